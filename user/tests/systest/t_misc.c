/* Syscalls without assets: NULL_CALL, LOG, YIELD, SLEEP, CLOCK, SYSTEM_INFO, unknown numbers,
 * and what the syscall instruction itself must keep (registers, flags, SSE state). */
#include "cpu_probes.h"
#include "systest.h"

/* Read-only data: copies to it must fail (and leave it alone). */
static const struct wg_system_info read_only_info = {.free_pages = 0x5a5a};

static void test_null_call(void)
{
    struct wg_result r = wg_null_call();
    CHECK_OK(r);
    CHECK(r.value == 0, "NULL_CALL returned value %llu", (unsigned long long)r.value);
}

static void test_unknown_syscalls(void)
{
    CHECK_REFUSED(WG_ERR_NOT_SUPPORTED, wg_syscall6(9999, 0, 0, 0, 0, 0, 0));
    CHECK_REFUSED(WG_ERR_NOT_SUPPORTED, wg_syscall6(WG_SYSCALL_COUNT, 0, 0, 0, 0, 0, 0));
    CHECK_REFUSED(WG_ERR_NOT_SUPPORTED, wg_syscall6(UINT64_MAX, 0, 0, 0, 0, 0, 0));
    /* The number is 64 bits wide: a high bit must not be cut off to reach NULL_CALL. */
    CHECK_REFUSED(WG_ERR_NOT_SUPPORTED,
                  wg_syscall6((1ull << 32) | WG_SYS_NULL_CALL, 0, 0, 0, 0, 0, 0));
    CHECK_REFUSED(WG_ERR_NOT_SUPPORTED, wg_syscall6(1ull << 63, 0, 0, 0, 0, 0, 0));
}

static void test_log(void)
{
    static char line[WG_LOG_MAX + 1];
    memset(line, 'x', sizeof line);
    memcpy(line, "systest: LOG test line", 22);
    CHECK_OK(wg_log("systest: a LOG line", 19));
    CHECK_OK(wg_log(line, 0));
    CHECK_OK(wg_log(line, WG_LOG_MAX));
    CHECK_REFUSED(WG_ERR_OUT_OF_RANGE, wg_log(line, WG_LOG_MAX + 1));
    CHECK_REFUSED(WG_ERR_OUT_OF_RANGE, wg_log(line, 1ull << 40));
    CHECK_REFUSED(WG_ERR_OUT_OF_RANGE, wg_log(line, UINT64_MAX));
}

static void test_log_bad_addresses(void)
{
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_log((const char *)KERNEL_POINTER, 16));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_log((const char *)UNMAPPED_LOW, 16));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_log((const char *)UNMAPPED_HIGH, 16));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_log((const char *)NONCANONICAL, 16));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_log(NULL, 16));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_log((const char *)(UINT64_MAX - 7), 16)); /* wraps */
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_log((const char *)(NONCANONICAL - 8), 16));
    /* Text running from a mapped page into an unmapped one. */
    struct mapping m;
    if (!mapping_create(&m, 1, SCRATCH_ADDRESS, WG_MAP_READ | WG_MAP_WRITE))
        return;
    memset((void *)SCRATCH_ADDRESS, 'y', 4096);
    CHECK_OK(wg_log((const char *)(SCRATCH_ADDRESS + 4096 - 16), 16));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_log((const char *)(SCRATCH_ADDRESS + 4096 - 16), 17));
    mapping_release(&m);
}

/* LOG writes one line: an embedded newline must not start a line of the program's making
 * (which could pass for a kernel message). If it does, the harness (tests/system/run.sh)
 * finds "ktest: FORGED" at the start of a line and counts a failure. */
static void test_log_cannot_forge_lines(void)
{
    static const char text[] = "systest: a LOG with a newline inside\n"
                               "ktest: FORGED by log_cannot_forge_lines";
    CHECK_OK(wg_log(text, sizeof text - 1));
}

static void test_yield(void)
{
    for (int i = 0; i < 10; i++)
        CHECK_OK(wg_yield());
}

static int64_t sleep_for(uint64_t ns)
{
    return wg_sleep(ns).err;
}

static void test_sleep(void)
{
    uint64_t before = wg_clock().value;
    CHECK_OK(wg_sleep(20 * MS_NS));
    uint64_t slept = wg_clock().value - before;
    CHECK(slept >= 20 * MS_NS, "SLEEP(20 ms) returned after %llu ns", (unsigned long long)slept);
    CHECK(slept < 2 * SECOND_NS, "SLEEP(20 ms) took %llu ns", (unsigned long long)slept);
    CHECK_OK(wg_sleep(0));
    CHECK_OK(wg_sleep(1));
    /* Sleeps too long to end are ended by a kill. */
    const uint64_t forever[] = {UINT64_MAX, UINT64_MAX - 1, 1ull << 63};
    for (int i = 0; i < 3; i++) {
        struct thread sleeper;
        if (!thread_start(&sleeper, sleep_for, forever[i], 0))
            continue;
        CHECK_REFUSED(WG_ERR_TIMED_OUT, wg_task_wait(WG_SELF, sleeper.task, 5 * MS_NS));
        CHECK_OK(wg_task_kill(WG_SELF, sleeper.task));
        CHECK(thread_join(&sleeper, 2 * SECOND_NS) == WG_EXIT_KILLED,
              "a task sleeping %#llx ns was not killed", (unsigned long long)forever[i]);
    }
}

static void test_clock(void)
{
    uint64_t first = VALUE(wg_clock()), last = first;
    for (int i = 0; i < 1000; i++) {
        uint64_t now = wg_clock().value;
        if (!CHECK(now >= last, "CLOCK went back from %llu to %llu", (unsigned long long)last,
                   (unsigned long long)now))
            return;
        last = now;
    }
    CHECK(first > 0, "CLOCK is 0 after boot");
    wg_sleep(2 * MS_NS);
    CHECK(wg_clock().value > first, "CLOCK did not advance over a sleep");
}

static void test_system_info(void)
{
    struct wg_system_info info = {0};
    uint64_t clock = wg_clock().value;
    if (!CHECK_OK(wg_system_info(&info)))
        return;
    CHECK(info.total_pages > 0 && info.free_pages > 0 && info.free_pages <= info.total_pages,
          "pages: %llu free of %llu", (unsigned long long)info.free_pages,
          (unsigned long long)info.total_pages);
    CHECK(info.cpus >= 1 && info.cpus <= 64, "cpus %llu", (unsigned long long)info.cpus);
    CHECK(info.nodes >= 1 && info.nodes <= 64, "nodes %llu", (unsigned long long)info.nodes);
    /* At least our program's segments, its stack and the heap are assets; init and we run. */
    CHECK(info.assets >= 5, "assets %llu", (unsigned long long)info.assets);
    CHECK(info.tasks >= 2, "tasks %llu", (unsigned long long)info.tasks);
    CHECK(info.uptime_ns >= clock && info.uptime_ns <= wg_clock().value,
          "uptime %llu outside the clock's %llu", (unsigned long long)info.uptime_ns,
          (unsigned long long)clock);
}

static void test_system_info_bad_addresses(void)
{
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_system_info((struct wg_system_info *)KERNEL_POINTER));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_system_info((struct wg_system_info *)UNMAPPED_LOW));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_system_info((struct wg_system_info *)UNMAPPED_HIGH));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_system_info((struct wg_system_info *)NONCANONICAL));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_system_info(NULL));
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_system_info((struct wg_system_info *)(NONCANONICAL - 8)));
    /* Read-only and code pages are not writable for the kernel either. */
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS, wg_system_info((struct wg_system_info *)&read_only_info));
    CHECK(*(volatile uint64_t *)&read_only_info.free_pages == 0x5a5a,
          "SYSTEM_INFO wrote into read-only data");
    CHECK_REFUSED(WG_ERR_BAD_ADDRESS,
                  wg_system_info((struct wg_system_info *)(uintptr_t)test_clock));
}

static void check_registers(const char *what, uint64_t arg0, const uint64_t *regs)
{
    static const char *const names[PROBE_REG_COUNT] = {
        "rdi", "rsi", "r8", "r9", "r10", "rbx", "rbp", "r12", "r13", "r14", "r15",
    };
    for (int r = 0; r < PROBE_REG_COUNT; r++) {
        uint64_t want = r == PROBE_RDI ? arg0 : regs_probe_pattern((enum probe_reg)r);
        CHECK(regs[r] == want, "%s: %s was %#llx after the syscall, %#llx before", what, names[r],
              (unsigned long long)regs[r], (unsigned long long)want);
    }
}

static void test_syscall_preserves_registers(void)
{
    uint64_t regs[PROBE_REG_COUNT];
    CHECK(regs_probe(WG_SYS_NULL_CALL, 0x1234, regs) == WG_ERR_OK, "NULL_CALL failed");
    check_registers("NULL_CALL", 0x1234, regs);
    CHECK(regs_probe(9999, 0x77, regs) == WG_ERR_NOT_SUPPORTED, "syscall 9999 did not fail");
    check_registers("an unknown syscall", 0x77, regs);
    CHECK(regs_probe(WG_SYS_SLEEP, MS_NS, regs) == WG_ERR_OK, "SLEEP failed");
    check_registers("SLEEP (a switch away and back)", MS_NS, regs);
    CHECK(regs_probe(WG_SYS_SYSTEM_INFO, UNMAPPED_LOW, regs) == WG_ERR_BAD_ADDRESS,
          "SYSTEM_INFO to an unmapped pointer did not fail");
    check_registers("a fault in the user copy", UNMAPPED_LOW, regs);
}

/* A syscall made with the direction flag set must still copy forwards, and give the flag
 * back as it was. */
static void test_direction_flag(void)
{
    struct {
        uint64_t before[8];
        struct wg_system_info info;
        uint64_t after[8];
    } area;
    memset(&area, 0x3c, sizeof area);
    uint64_t flags = 0;
    uint64_t err = df_syscall(WG_SYS_SYSTEM_INFO, (uint64_t)(uintptr_t)&area.info, &flags);
    CHECK(err == WG_ERR_OK, "SYSTEM_INFO with DF set gave %s", wg_error_name((int)err));
    CHECK(flags & (1u << 10), "the direction flag was cleared by the syscall");
    for (int i = 0; i < 8; i++)
        CHECK(area.before[i] == 0x3c3c3c3c3c3c3c3cull && area.after[i] == 0x3c3c3c3c3c3c3c3cull,
              "SYSTEM_INFO with DF set wrote outside its struct");
    CHECK(area.info.cpus >= 1 && area.info.cpus <= 64 && area.info.total_pages > 0,
          "SYSTEM_INFO with DF set wrote garbage (cpus %llu)", (unsigned long long)area.info.cpus);
}

const struct test misc_tests[] = {
    {"null_call", test_null_call, false},
    {"unknown_syscall_numbers", test_unknown_syscalls, false},
    {"log", test_log, false},
    {"log_bad_addresses", test_log_bad_addresses, false},
    {"log_cannot_forge_lines", test_log_cannot_forge_lines, false},
    {"yield", test_yield, false},
    {"sleep", test_sleep, false},
    {"clock_monotonic", test_clock, false},
    {"system_info", test_system_info, false},
    {"system_info_bad_addresses", test_system_info_bad_addresses, false},
    {"syscall_preserves_registers", test_syscall_preserves_registers, false},
    {"syscall_with_direction_flag_set", test_direction_flag, false},
    {NULL, NULL, false},
};
