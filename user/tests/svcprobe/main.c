/* svcprobe: a service for the service manager's tests (services-test.conf).
 *   svcprobe crash   faults at once (a service that crashes at start)
 *   svcprobe hang    registers "hang" and never accepts (it misses every heartbeat)
 *   svcprobe NAME    registers NAME and accepts connections until killed */
#include <wingos.h>

int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    if (strcmp(argv[1], "crash") == 0) {
        volatile int *nothing = NULL;
        return *nothing; /* a page fault: the manager sees a crash */
    }
    uint64_t address;
    wg_handle registration;
    struct wg_result server = wg_ipc_server_create(WG_SELF, 0, &address);
    if (!wg_ok(server) || wg_name_register(argv[1], address, &registration) != WG_ERR_OK)
        return 1;
    while (strcmp(argv[1], "hang") == 0)
        wg_sleep(1000000000ull);
    for (;;) {
        struct wg_result accepted = wg_ipc_accept(WG_SELF, server.value, WG_WAIT_FOREVER);
        if (wg_ok(accepted))
            wg_asset_release(WG_SELF, accepted.value);
    }
}
