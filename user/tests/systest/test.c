/* The framework: failure records, the checks, system counts, and test memory mappings. */
#include "test.h"

#define FAILURE_MAX 160

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
    test_fail_at(file, line, "%.90s gave %s, expected %s", what, wg_error_name(got),
                 wg_error_name(want));
    return false;
}

bool test_expect_result(const char *file, int line, const char *what, struct wg_result got,
                        enum wg_error want)
{
    if (!test_expect_err(file, line, what, got.err, want))
        return false;
    if (got.err == WG_ERR_OK || got.value == 0)
        return true;
    test_fail_at(file, line, "%.90s failed (%s) with the value %#llx, not 0", what,
                 wg_error_name(got.err), (unsigned long long)got.value);
    return false;
}

uint64_t test_value(const char *file, int line, const char *what, struct wg_result result)
{
    if (result.err == WG_ERR_OK)
        return result.value;
    test_fail_at(file, line, "%.90s gave %s", what, wg_error_name(result.err));
    return 0;
}

struct counts counts_now(void)
{
    struct wg_system_info info = {0};
    wg_system_info(&info);
    return (struct counts){info.free_pages, info.assets, info.tasks};
}

/* Whether `now` holds nothing more than `start` did (other programs may free things
 * meanwhile, so fewer is fine). */
static bool counts_back(const struct counts *now, const struct counts *start, bool pages)
{
    return now->assets <= start->assets && now->tasks <= start->tasks &&
           (!pages || now->free_pages >= start->free_pages);
}

bool counts_settle_at(const char *file, int line, const struct counts *start, bool pages,
                      uint64_t timeout_ns, const char *what)
{
    uint64_t deadline = wg_clock().value + timeout_ns;
    struct counts now = counts_now();
    while (!counts_back(&now, start, pages) && wg_clock().value < deadline) {
        wg_sleep(10 * MS_NS);
        now = counts_now();
    }
    if (counts_back(&now, start, pages))
        return true;
    test_fail_at(file, line, "%s: free pages %llu -> %llu, assets %llu -> %llu, tasks %llu -> %llu",
                 what, (unsigned long long)start->free_pages, (unsigned long long)now.free_pages,
                 (unsigned long long)start->assets, (unsigned long long)now.assets,
                 (unsigned long long)start->tasks, (unsigned long long)now.tasks);
    return false;
}

uint64_t wait_nonzero(volatile uint64_t *word, uint64_t timeout_ns)
{
    uint64_t deadline = wg_clock().value + timeout_ns;
    while (__atomic_load_n(word, __ATOMIC_ACQUIRE) == 0 && wg_clock().value < deadline)
        wg_sleep(MS_NS);
    return __atomic_load_n(word, __ATOMIC_ACQUIRE);
}

bool map_new(struct mapping *mapping, uint64_t pages, uintptr_t address, unsigned flags)
{
    *mapping = (struct mapping){0};
    struct wg_result pmem = wg_pmem_create(WG_SELF, pages, 0, WG_PMEM_ANY_NODE);
    mapping->pmem = VALUE(pmem);
    if (pmem.err != WG_ERR_OK)
        return false;
    struct wg_result vmem = wg_vmem_map(WG_SELF, mapping->pmem, address, flags);
    mapping->vmem = VALUE(vmem);
    if (vmem.err != WG_ERR_OK) {
        wg_asset_release(WG_SELF, mapping->pmem);
        mapping->pmem = 0;
        return false;
    }
    mapping->words = (volatile uint64_t *)address;
    return true;
}

void mapping_release(struct mapping *mapping)
{
    if (mapping->vmem)
        CHECK_OK(wg_asset_release(WG_SELF, mapping->vmem));
    if (mapping->pmem)
        CHECK_OK(wg_asset_release(WG_SELF, mapping->pmem));
    *mapping = (struct mapping){0};
}
