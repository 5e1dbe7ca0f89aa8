/* sysfuzz: the syscall fuzzer (docs/testing.md). Modes, by the first word after the name:
 *   sysfuzz fuzz [seed=N] [seeds=K] [iters=M] [log]   the campaign (init runs it with "fuzz")
 *   sysfuzz worker seed=N iters=M [log]               one seed (the campaign EXECs it)
 *   sysfuzz role NAME                                 a child task's body (the worker EXECs it)
 * Anything else exits with 2 at once (random EXECs of it do no harm). */
#include "sysfuzz.h"

static bool has_word(int argc, char **argv, const char *word)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], word) == 0)
            return true;
    return false;
}

uint64_t fuzz_word(int argc, char **argv, const char *name, uint64_t fallback)
{
    size_t length = strlen(name);
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], name, length) == 0 && argv[i][length] == '=') {
            uint64_t value = 0;
            for (const char *c = argv[i] + length + 1; *c >= '0' && *c <= '9'; c++)
                value = value * 10 + (uint64_t)(*c - '0');
            return value;
        }
    return fallback;
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "worker") == 0) {
        int64_t status =
            worker_main(fuzz_word(argc, argv, "seed", 0), fuzz_word(argc, argv, "iters", 1000),
                        has_word(argc, argv, "log"));
        printf_flush();
        wg_task_exit(status);
    }
    if (argc > 1 && strcmp(argv[1], "role") == 0)
        return roles_main(argc, argv);
    if (has_word(argc, argv, "fuzz"))
        return campaign_main(argc, argv);
    return 2;
}
