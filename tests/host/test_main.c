/* Runs every registered host test and prints the summary line `make test` reads. */
#include "test.h"

#include <string.h>

static struct test_case *tests_head;
static struct test_case **tests_tail = &tests_head;
static bool current_failed;

void test_register(struct test_case *tc)
{
    /* Constructors run in definition order; keep that order for readable output. */
    *tests_tail = tc;
    tests_tail = &tc->next;
}

void test_fail(const char *file, int line, const char *expr)
{
    current_failed = true;
    printf("  check failed at %s:%d: %s\n", file, line, expr);
}

int main(int argc, char **argv)
{
    const char *self = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    const char *only = argc > 1 ? argv[1] : NULL;
    int passed = 0, failed = 0;

    for (struct test_case *tc = tests_head; tc; tc = tc->next) {
        if (only && strcmp(only, tc->name) != 0)
            continue;
        current_failed = false;
        tc->fn();
        printf("%s %s\n", current_failed ? "FAIL" : "PASS", tc->name);
        if (current_failed)
            failed++;
        else
            passed++;
    }
    printf("%s: %d passed, %d failed\n", self, passed, failed);
    return failed ? 1 : 0;
}
