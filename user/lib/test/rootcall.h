/* Root calls: driver assets only the root space may create (interrupt lines, device memory,
 * DMA memory, I/O ports, MSI vectors), asked of init by roottest. In test mode init starts
 * roottest in a child space and serves its requests (rootcall_host); roottest asks with
 * rootcall_request. So the root space's checks are what the tests see, while the tests run in
 * their own program. The service manager (user/services/svcman) gets its driver assets the
 * same way.
 *
 * A request is a call whose entry 0 is the operation and entries 1..3 its arguments; the
 * reply's entry 0 is the error and, on success, entry 1 the new asset, moved to the caller. */
#pragma once

#include <wingos.h>

enum rootcall_op {
    ROOTCALL_MMIO_CREATE = 1, /* (physical address, pages) */
    ROOTCALL_IRQ_CREATE,      /* (isa irq) */
    ROOTCALL_PMEM_CREATE,     /* (pages, flags, node) */
    ROOTCALL_IOPORT_CREATE,   /* (first port, count) */
    ROOTCALL_MSI_CREATE,      /* () */
};

/* For the test program: asks over `connection`; value = the asset's handle in our space. */
struct wg_result rootcall_request(wg_handle connection, enum rootcall_op op, uint64_t a, uint64_t b,
                                  uint64_t c);

/* For init: runs `program` with argv[0] = program, argv[1] = the address of a server of
 * ours in hex, then `argc` - 1 words of `argv` (from argv[1]); answers its requests until
 * it ends. Returns its exit status (a negative error if it could not be run). */
int64_t rootcall_host(const char *program, int argc, char **argv);

/* rootcall_host with SPACE_CREATE flags for the program's space (the service manager gets
 * the grants it hands on: WG_SPACE_KLOG, WG_SPACE_INTROSPECT, WG_SPACE_POWER). */
int64_t rootcall_host_with(const char *program, uint32_t space_flags, int argc, char **argv);
