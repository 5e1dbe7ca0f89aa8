/* sleep: waits and exits with status 0; "sleep S" waits S seconds, "sleep" forever. The
 * shell's tests run it in the background to have a job to list and kill. */
#include <wingos.h>

#define SECOND_NS 1000000000ull

int main(int argc, char **argv)
{
    uint64_t seconds = 0;
    const char *text = argc > 1 ? argv[1] : "";
    for (; *text >= '0' && *text <= '9' && seconds < 1000000000ull; text++)
        seconds = seconds * 10 + (uint64_t)(*text - '0');
    if (argc > 1 && *text != '\0') {
        printf("usage: sleep [SECONDS]\n");
        return 1;
    }
    wg_sleep(argc > 1 ? seconds * SECOND_NS : WG_WAIT_FOREVER);
    return 0;
}
