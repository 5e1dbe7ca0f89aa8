/* The test library's failure record and checks (test.h). */
#include "test.h"

#define FAILURE_MAX 200

static struct {
    int count;
    char first[FAILURE_MAX];
} failures;

void test_reset(void)
{
    failures.count = 0;
    failures.first[0] = '\0';
}

const char *test_first_failure(int *count)
{
    *count = failures.count;
    return failures.first;
}

bool test_failed(void)
{
    return failures.count > 0;
}

void test_fail_at(const char *file, int line, const char *format, ...)
{
    if (failures.count++ > 0)
        return;
    int used = snprintf(failures.first, sizeof failures.first, "%s:%d: ", file, line);
    if (used < 0 || used >= FAILURE_MAX)
        return;
    va_list args;
    va_start(args, format);
    vsnprintf(failures.first + used, sizeof failures.first - (size_t)used, format, args);
    va_end(args);
}

bool test_expect_err(const char *file, int line, const char *what, enum wg_error got,
                     enum wg_error want)
{
    if (got == want)
        return true;
    test_fail_at(file, line, "%.100s gave %s, expected %s", what, wg_error_name(got),
                 wg_error_name(want));
    return false;
}

bool test_expect_refused(const char *file, int line, const char *what, struct wg_result got,
                         enum wg_error want)
{
    if (!test_expect_err(file, line, what, got.err, want))
        return false;
    if (got.err == WG_ERR_OK || got.value == 0)
        return true;
    test_fail_at(file, line, "%.100s failed (%s) with the value %#llx, not 0", what,
                 wg_error_name(got.err), (unsigned long long)got.value);
    return false;
}

uint64_t test_value(const char *file, int line, const char *what, struct wg_result result)
{
    if (result.err == WG_ERR_OK)
        return result.value;
    test_fail_at(file, line, "%.100s gave %s", what, wg_error_name(result.err));
    return 0;
}

uint64_t test_wait_nonzero(volatile uint64_t *word, uint64_t timeout_ns)
{
    uint64_t deadline = wg_clock().value + timeout_ns;
    while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == 0 && wg_clock().value < deadline)
        wg_sleep(MS_NS);
    return __atomic_load_n(word, __ATOMIC_ACQUIRE);
}
