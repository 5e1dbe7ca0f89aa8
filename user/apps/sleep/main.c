/* sleep: waits and exits with status 0; "sleep S" waits S seconds, "sleep" forever. Ctrl-C
 * ends it at once: it waits for the console's interrupt signal rather than plain sleeping,
 * says "sleep: interrupted" and exits with 130 (a program catching the signal). */
#include <console_idl.h>
#include <wingos.h>

#define SECOND_NS 1000000000ull

/* Waits up to `ns` for Ctrl-C on standard input; true if it came. */
static bool interrupted_within(uint64_t ns)
{
    struct console_wait_signal_request request = {0};
    struct console_wait_signal_response response;
    enum wg_error err = console_wait_signal_call(wg_stdio, &request, &response, ns);
    if (err == WG_ERR_OK)
        return true;
    if (err != WG_ERR_TIMED_OUT)
        wg_sleep(ns); /* no console to listen to: plain sleep */
    return false;
}

int main(int argc, char **argv)
{
    uint64_t seconds = 0;
    const char *text = argc > 1 ? argv[1] : "";
    for (; *text >= '0' && *text <= '9' && seconds < 1000000000ull; text++)
        seconds = seconds * 10 + (uint64_t)(*text - '0');
    if (argc > 2 || (argc > 1 && (*text != '\0' || argv[1][0] == '\0'))) {
        printf("usage: sleep [SECONDS]\n");
        return 1;
    }
    uint64_t ns = argc > 1 ? seconds * SECOND_NS : WG_WAIT_FOREVER;
    if (wg_stdio != 0 && interrupted_within(ns)) {
        printf("sleep: interrupted\n");
        return 130;
    }
    if (wg_stdio == 0)
        wg_sleep(ns);
    return 0;
}
