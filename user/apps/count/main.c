/* count: prints "count: line I of N" for I = 1..N (default 10), one printf per line; the
 * shell test runs it with many lines while typing, to see that no line splits the prompt. */
#include <wingos.h>

int main(int argc, char **argv)
{
    uint64_t lines = 10;
    if (argc > 2 || (argc == 2 && (argv[1][0] < '1' || argv[1][0] > '9'))) {
        printf("usage: count [LINES]\n");
        return 1;
    }
    if (argc == 2) {
        lines = 0;
        for (const char *p = argv[1]; *p; p++) {
            if (*p < '0' || *p > '9' || lines > 1000000) {
                printf("usage: count [LINES]\n");
                return 1;
            }
            lines = lines * 10 + (uint64_t)(*p - '0');
        }
    }
    for (uint64_t i = 1; i <= lines; i++)
        printf("count: line %llu of %llu\n", (unsigned long long)i, (unsigned long long)lines);
    return 0;
}
