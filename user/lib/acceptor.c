/* The accepting task of a server (acceptor.h). */
#include "acceptor.h"
#include "syscall.h"

#define MS_NS 1000000ull

__attribute__((noreturn)) static void acceptor(uint64_t server)
{
    for (;;) {
        struct wg_result accepted = wg_ipc_accept(WG_SELF, server, WG_WAIT_FOREVER);
        if (accepted.err == WG_ERR_KILLED || accepted.err == WG_ERR_PEER_CLOSED)
            wg_task_exit(-(int64_t)accepted.err);
        if (accepted.err != WG_ERR_OK && accepted.err != WG_ERR_WOULD_BLOCK)
            wg_sleep(MS_NS); /* out of memory or handles: try again a little later */
    }
}

enum wg_error wg_acceptor_start(wg_handle server, void *stack, size_t size, wg_handle *task)
{
    uintptr_t top = ((uintptr_t)stack + size) & ~(uintptr_t)15;
    uintptr_t sp = top - 8; /* as if just called; the return address slot holds 0 */
    struct wg_result created = wg_task_create(WG_SELF, (uintptr_t)acceptor, sp, server);
    if (created.err != WG_ERR_OK)
        return created.err;
    *task = created.value;
    return wg_task_start(WG_SELF, created.value).err;
}
