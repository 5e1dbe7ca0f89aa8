/* portpoke: touches an I/O port, for tests that expect the kernel to end it with
 * WG_EXIT_FAULT(13) (a general protection fault in user mode) when the port is not open to
 * its space, and to let it live (exit 0) when it is.
 *   portpoke               reads COM1's data register (port 0x3f8)
 *   portpoke out           writes COM1's scratch register (0x3ff)
 *   portpoke enable H      IOPORT_ENABLE of I/O-port handle H (hex) in its own space, then
 *                          writes 0x3ff: the enabling task must see its ports at once
 *   portpoke cycle H       the same, then releases H and writes 0x3ff again: the release
 *                          must close the port at once, so it ends in the fault
 * Exits 0 if its last port access was allowed (drvtest: the failure; roottest: what an open
 * port must give) and 2 if a step before it failed. */
#include <test/helper.h>
#include <wingos.h>

#define COM1_DATA    0x3f8
#define COM1_SCRATCH 0x3ff

static void write_scratch(void)
{
    __asm__ volatile("outb %0, %1" : : "a"((uint8_t)0x5a), "Nd"((uint16_t)COM1_SCRATCH));
    printf("portpoke: outb to %#x was allowed\n", COM1_SCRATCH);
}

/* "enable H" and "cycle H". */
static int enable_and_poke(wg_handle ports, bool release)
{
    struct wg_result enabled = wg_ioport_enable(WG_SELF, ports);
    if (!wg_ok(enabled)) {
        printf("portpoke: IOPORT_ENABLE: %s\n", wg_error_name(enabled.err));
        return 2;
    }
    write_scratch();
    if (!release)
        return 0;
    struct wg_result released = wg_asset_release(WG_SELF, ports);
    if (!wg_ok(released)) {
        printf("portpoke: ASSET_RELEASE: %s\n", wg_error_name(released.err));
        return 2;
    }
    write_scratch();
    return 0;
}

int main(int argc, char **argv)
{
    if (argc > 2 && (strcmp(argv[1], "enable") == 0 || strcmp(argv[1], "cycle") == 0))
        return enable_and_poke(helper_parse_hex(argv[2]), strcmp(argv[1], "cycle") == 0);
    if (argc > 1 && strcmp(argv[1], "out") == 0) {
        write_scratch();
        return 0;
    }
    uint8_t value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"((uint16_t)COM1_DATA));
    printf("portpoke: inb from %#x was allowed (read %#x)\n", COM1_DATA, value);
    return 0;
}
