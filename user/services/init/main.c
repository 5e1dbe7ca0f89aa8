/* init: the first user program. The kernel passes its command line words as init's
 * arguments; with "test" (or "bench") among them init runs the system test program
 * "systest" (or the benchmarks, "bench"), giving it the same words, and ends with its exit
 * status; otherwise it stays up, idle. */
#include <wingos.h>

#define SECOND_NS 1000000000ull

static bool has_word(int argc, char **argv, const char *word)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], word) == 0)
            return true;
    }
    return false;
}

/* Runs `program` with init's own arguments after its name; returns its exit status. */
static int run_program(const char *program, int argc, char **argv)
{
    const char *args[WG_EXEC_MAX_ARGS] = {program};
    int count = 1;
    struct wg_process process;

    for (int i = 1; i < argc && count < WG_EXEC_MAX_ARGS; i++)
        args[count++] = argv[i];
    enum wg_error err = wg_spawn(program, count, args, &process);
    if (err != WG_ERR_OK) {
        printf("init: cannot start %s: %s\n", program, wg_error_name(err));
        return -(int)err;
    }
    struct wg_result status = wg_process_wait(&process, WG_WAIT_FOREVER);
    if (!wg_ok(status)) {
        printf("init: waiting for %s failed: %s\n", program, wg_error_name(status.err));
        return -(int)status.err;
    }
    printf("init: %s exited with %lld\n", program, (long long)(int64_t)status.value);
    wg_process_destroy(&process);
    return (int)(int64_t)status.value;
}

int main(int argc, char **argv)
{
    printf("init: WingOS userspace is up\n");
    if (has_word(argc, argv, "test"))
        return run_program("systest", argc, argv);
    if (has_word(argc, argv, "bench"))
        return run_program("bench", argc, argv);

    printf("init: nothing more to start yet; idle\n");
    for (;;)
        wg_sleep(SECOND_NS);
}
