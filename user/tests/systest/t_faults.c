/* Faulting programs are killed, never the kernel: each runs "faulter MODE" in a child space
 * and expects the exit status WG_EXIT_FAULT(vector) (or, for the hostile spinner, WG_EXIT_KILLED
 * once we kill it); then the system must still work. */
#include "systest.h"

static void expect_fault(const char *mode)
{
    const char *argv[] = {"faulter", mode};
    int64_t status = helper_run("faulter", 2, argv);
    CHECK(WG_EXIT_IS_FAULTED(status), "faulter %s ended with status %lld, not a fault", mode,
          (long long)status);
}

#define FAULT_TEST(mode)                \
    static void test_fault_##mode(void) \
    {                                   \
        expect_fault(#mode);            \
    }

FAULT_TEST(null_read)
FAULT_TEST(null_write)
FAULT_TEST(rodata_write)
FAULT_TEST(text_write)
FAULT_TEST(exec_data)
FAULT_TEST(exec_stack)
FAULT_TEST(invalid_opcode)
FAULT_TEST(cli)
FAULT_TEST(hlt)
FAULT_TEST(io_port)
FAULT_TEST(int3)
FAULT_TEST(int_0x80)
FAULT_TEST(int_0x20)
FAULT_TEST(int_0x0e)
FAULT_TEST(icebp)
FAULT_TEST(swapgs)
FAULT_TEST(rdmsr)
FAULT_TEST(read_cr3)
FAULT_TEST(sysenter)
FAULT_TEST(divide_by_zero)
FAULT_TEST(kernel_read)
FAULT_TEST(kernel_write)
FAULT_TEST(kernel_jump)
FAULT_TEST(noncanonical_read)
FAULT_TEST(stack_overflow)
FAULT_TEST(syscall_at_the_top)
FAULT_TEST(trap_flag_syscall)
FAULT_TEST(bad_stack_syscall)
FAULT_TEST(noncanonical_stack_syscall)
FAULT_TEST(iretq_to_ring0)
FAULT_TEST(load_kernel_data_segment)

/* A program spinning with a bad stack pointer and the direction flag set takes interrupts
 * for a while, then is killed. */
static void test_fault_hostile_spin(void)
{
    struct helper child;
    const char *argv[] = {"faulter", "hostile_spin"};
    if (!helper_create(&child))
        return;
    if (helper_exec(&child, "faulter", 2, argv, 0)) {
        CHECK_REFUSED(WG_ERR_TIMED_OUT, wg_task_wait(WG_SELF, child.task, 30 * MS_NS));
        CHECK_OK(wg_task_kill(WG_SELF, child.task));
        int64_t status = helper_wait(&child, 2 * SECOND_NS);
        CHECK(status == WG_EXIT_KILLED, "the spinner ended with %lld", (long long)status);
    }
    helper_end(&child);
}

/* The status names the exception: the shell shows it ("killed: page fault"). */
static void test_fault_status_names_the_vector(void)
{
    static const struct {
        const char *mode;
        unsigned vector;
    } cases[] = {{"null_read", 14}, {"invalid_opcode", 6}, {"divide_by_zero", 0}, {"cli", 13}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *argv[] = {"faulter", cases[i].mode};
        int64_t status = helper_run("faulter", 2, argv);
        CHECK(status == WG_EXIT_FAULT(cases[i].vector), "faulter %s: status %lld, not %lld",
              cases[i].mode, (long long)status, (long long)WG_EXIT_FAULT(cases[i].vector));
    }
}

/* After all those faults: programs still run, memory still comes and goes. */
static void test_system_survives_faults(void)
{
    const char *argv[] = {"hello", "after", "the", "faults"};
    CHECK(helper_run("hello", 4, argv) == 7, "hello no longer runs");
    struct mapping m;
    if (mapping_create(&m, 16, SCRATCH_ADDRESS, WG_MAP_READ | WG_MAP_WRITE)) {
        m.words[16 * 512 - 1] = 1;
        mapping_release(&m);
    }
    CHECK_OK(wg_null_call());
}

#define FAULT_ENTRY(mode)                        \
    {                                            \
        "fault_" #mode, test_fault_##mode, false \
    }

const struct test fault_tests[] = {
    FAULT_ENTRY(null_read),
    FAULT_ENTRY(null_write),
    FAULT_ENTRY(rodata_write),
    FAULT_ENTRY(text_write),
    FAULT_ENTRY(exec_data),
    FAULT_ENTRY(exec_stack),
    FAULT_ENTRY(invalid_opcode),
    FAULT_ENTRY(cli),
    FAULT_ENTRY(hlt),
    FAULT_ENTRY(io_port),
    FAULT_ENTRY(int3),
    FAULT_ENTRY(int_0x80),
    FAULT_ENTRY(int_0x20),
    FAULT_ENTRY(int_0x0e),
    FAULT_ENTRY(icebp),
    FAULT_ENTRY(swapgs),
    FAULT_ENTRY(rdmsr),
    FAULT_ENTRY(read_cr3),
    FAULT_ENTRY(sysenter),
    FAULT_ENTRY(divide_by_zero),
    FAULT_ENTRY(kernel_read),
    FAULT_ENTRY(kernel_write),
    FAULT_ENTRY(kernel_jump),
    FAULT_ENTRY(noncanonical_read),
    FAULT_ENTRY(stack_overflow),
    FAULT_ENTRY(syscall_at_the_top),
    FAULT_ENTRY(trap_flag_syscall),
    FAULT_ENTRY(bad_stack_syscall),
    FAULT_ENTRY(noncanonical_stack_syscall),
    FAULT_ENTRY(iretq_to_ring0),
    FAULT_ENTRY(load_kernel_data_segment),
    FAULT_ENTRY(hostile_spin),
    {"fault_status_names_the_vector", test_fault_status_names_the_vector, false},
    {"system_survives_faults", test_system_survives_faults, false},
    {NULL, NULL, false},
};
