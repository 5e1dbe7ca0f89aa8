/* The worker: one seed's calls, run in a child space the campaign destroys afterwards. Half
 * of the steps are random syscalls with hostile arguments (calls.c), half stateful sequences
 * (ops.c); a background task checks FPU/SSE state meanwhile (roles.c). The exit status is
 * calls * 1000 + failures (at most 999): the campaign reads both from it. */
#include "sysfuzz.h"

struct fuzz fuzz;

#define PROTECT_MAX 64
static wg_handle protected_handles[PROTECT_MAX];
static unsigned protected_count;

void protect_add(wg_handle handle)
{
    if (protected_count < PROTECT_MAX)
        protected_handles[protected_count++] = handle;
    else
        fuzz_fail("too many protected handles");
}

bool protect_has(wg_handle handle)
{
    for (unsigned i = 0; i < protected_count; i++)
        if (protected_handles[i] == handle)
            return true;
    return false;
}

void fuzz_fail(const char *format, ...)
{
    char text[160];
    va_list args;
    va_start(args, format);
    vsnprintf(text, sizeof text, format, args);
    va_end(args);
    fuzz.failures++;
    printf("sysfuzz: FAIL seed %llu call #%llu: %s\n", (unsigned long long)fuzz.seed,
           (unsigned long long)fuzz.number, text);
}

/* Everything our space holds before fuzzing (program segments, stack) is protected. */
static void protect_initial(void)
{
    static struct wg_asset_info infos[64];
    struct wg_result listed = wg_asset_list(WG_SELF, infos, 64);
    for (uint64_t i = 0; wg_ok(listed) && i < listed.value; i++)
        protect_add(infos[i].handle);
}

int64_t worker_main(uint64_t seed, uint64_t iters, bool log)
{
    fuzz.seed = seed;
    fuzz.log = log;
    rng_seed(&fuzz.rng, seed);
    pool_reset();
    protect_initial();
    args_init();
    roles_noise_start();
    uint64_t began = wg_clock().value;
    for (uint64_t i = 0; i < iters && fuzz.failures < 50; i++) {
        if (rng_chance(&fuzz.rng, 50))
            calls_random();
        else
            ops_step();
        if (i % 32 == 0)
            args_check_readonly();
    }
    args_check_readonly();
    uint64_t noise = roles_noise_stop();
    if (noise != 0)
        fuzz_fail("FPU/SSE state or registers of the noise task changed %llu times",
                  (unsigned long long)noise);
    ops_end();
    uint64_t took = (wg_clock().value - began) / MS_NS;
    printf("sysfuzz: seed %llu: %llu calls in %llu ms, %llu failures\n", (unsigned long long)seed,
           (unsigned long long)fuzz.calls, (unsigned long long)took,
           (unsigned long long)fuzz.failures);
    uint64_t failures = fuzz.failures > 999 ? 999 : fuzz.failures;
    return (int64_t)(fuzz.calls * 1000 + failures);
}
