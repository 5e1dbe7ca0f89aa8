/* faulter: does one thing a user program must not be able to get away with, named by its
 * first argument, so systest can check the kernel kills it (exit status WG_EXIT_FAULTED)
 * and carries on. If the deed does not fault, it exits with 0. The "spin" modes loop forever
 * in a hostile state (a bad stack pointer, the direction flag set) until killed. */
#include <wingos.h>

#define KERNEL_TEXT  0xffffffff80100000ull
#define KERNEL_HALF  0xffff800000000000ull
#define NONCANONICAL 0x8000000000000000ull
#define USER_TOP     0x0000800000000000ull
#define STAGING      0x40000000ull

static const char read_only[] = "read-only";
static uint8_t data_code[16] = {0xc3}; /* ret, in a data page */
static volatile int zero;

static void null_read(void)
{
    (void)*(volatile int *)0;
}

static void null_write(void)
{
    *(volatile int *)0 = 1;
}

static void rodata_write(void)
{
    *(volatile char *)read_only = 'R';
}

static void text_write(void)
{
    *(volatile uint8_t *)(uintptr_t)null_read = 0xc3;
}

static void exec_data(void)
{
    ((void (*)(void))(uintptr_t)data_code)();
}

static void exec_stack(void)
{
    volatile uint8_t code[16] = {0xc3};
    ((void (*)(void))(uintptr_t)code)();
}

static void divide_by_zero(void)
{
    zero = 10 / zero;
}

static void kernel_read(void)
{
    (void)*(volatile uint64_t *)KERNEL_TEXT;
}

static void kernel_write(void)
{
    *(volatile uint64_t *)KERNEL_HALF = 1;
}

static void kernel_jump(void)
{
    ((void (*)(void))KERNEL_TEXT)();
}

static void noncanonical_read(void)
{
    (void)*(volatile uint64_t *)NONCANONICAL;
}

static int recurse(int depth)
{
    volatile char frame[256];
    frame[0] = (char)depth;
    if (frame[0] == 0 && depth < 0) /* never: the stack runs out first */
        return 0;
    return recurse(depth + 1) + frame[0];
}

static void stack_overflow(void)
{
    recurse(0);
}

/* A `syscall` in the last two bytes of user space: the kernel must not return (sysret) to the
 * non-canonical address that follows. */
static void syscall_at_the_top(void)
{
    uint64_t page = USER_TOP - 4096;
    struct wg_result pmem = wg_pmem_create(WG_SELF, 1, 0, WG_PMEM_ANY_NODE);
    if (!wg_ok(pmem) || !wg_ok(wg_vmem_map(WG_SELF, pmem.value, STAGING, WG_MAP_WRITE)) ||
        !wg_ok(wg_vmem_map(WG_SELF, pmem.value, page, WG_MAP_READ | WG_MAP_EXEC)))
        wg_panic("faulter: cannot map the top page");
    static const uint8_t code[] = {0xb8, WG_SYS_NULL_CALL, 0, 0, 0, 0x0f, 0x05}; /* mov; syscall */
    memcpy((void *)(STAGING + 4096 - sizeof code), code, sizeof code);
    ((void (*)(void))(page + 4096 - sizeof code))();
}

/* The trap flag set across a syscall: the single-step trap must come in user mode. */
static void trap_flag_syscall(void)
{
    __asm__ volatile("pushfq\n"
                     "orq $0x100, (%%rsp)\n"
                     "popfq\n"
                     "syscall\n"
                     "nop\n"
                     :
                     : "a"((uint64_t)WG_SYS_NULL_CALL)
                     : "rcx", "r11", "memory");
}

static void bad_stack_syscall(void)
{
    __asm__ volatile("movq $0, %%rsp\n"
                     "syscall\n"
                     "pushq $0\n"
                     :
                     : "a"((uint64_t)WG_SYS_NULL_CALL)
                     : "rcx", "r11", "memory");
}

static void noncanonical_stack_syscall(void)
{
    __asm__ volatile("movq %1, %%rsp\n"
                     "syscall\n"
                     "pushq $0\n"
                     :
                     : "a"((uint64_t)WG_SYS_NULL_CALL), "r"(NONCANONICAL)
                     : "rcx", "r11", "memory");
}

static void iretq_to_ring0(void)
{
    __asm__ volatile("movq %%rsp, %%rax\n"
                     "pushq $0x10\n" /* ss: kernel data */
                     "pushq %%rax\n"
                     "pushfq\n"
                     "pushq $0x08\n" /* cs: kernel code */
                     "leaq 1f(%%rip), %%rax\n"
                     "pushq %%rax\n"
                     "iretq\n"
                     "1:\n"
                     :
                     :
                     : "rax", "memory");
}

static void load_kernel_data_segment(void)
{
    __asm__ volatile("movw $0x10, %%ax\n"
                     "movw %%ax, %%ds\n"
                     :
                     :
                     : "rax", "memory");
}

/* Spins with the stack pointer and the direction flag wrong; interrupts must cope. */
static void hostile_spin(void)
{
    __asm__ volatile("std\n"
                     "movq $0x10, %%rsp\n"
                     "1: jmp 1b\n"
                     :
                     :
                     : "memory");
}

#define ASM_MODE(name, text)                 \
    static void name(void)                   \
    {                                        \
        __asm__ volatile(text ::: "memory"); \
    }

ASM_MODE(invalid_opcode, "ud2")
ASM_MODE(cli, "cli")
ASM_MODE(hlt, "hlt")
ASM_MODE(io_port, "inb $0x80, %%al")
ASM_MODE(int3, "int3")
ASM_MODE(int_0x80, "int $0x80")
ASM_MODE(int_0x20, "int $0x20")
ASM_MODE(int_0x0e, "int $0x0e")
ASM_MODE(icebp, ".byte 0xf1")
ASM_MODE(swapgs, "swapgs")
ASM_MODE(rdmsr, "movl $0x10, %%ecx\n rdmsr")
ASM_MODE(read_cr3, "movq %%cr3, %%rax")
ASM_MODE(sysenter, "sysenter")

static const struct {
    const char *name;
    void (*run)(void);
} modes[] = {
    {"null_read", null_read},
    {"null_write", null_write},
    {"rodata_write", rodata_write},
    {"text_write", text_write},
    {"exec_data", exec_data},
    {"exec_stack", exec_stack},
    {"invalid_opcode", invalid_opcode},
    {"cli", cli},
    {"hlt", hlt},
    {"io_port", io_port},
    {"int3", int3},
    {"int_0x80", int_0x80},
    {"int_0x20", int_0x20},
    {"int_0x0e", int_0x0e},
    {"icebp", icebp},
    {"swapgs", swapgs},
    {"rdmsr", rdmsr},
    {"read_cr3", read_cr3},
    {"sysenter", sysenter},
    {"divide_by_zero", divide_by_zero},
    {"kernel_read", kernel_read},
    {"kernel_write", kernel_write},
    {"kernel_jump", kernel_jump},
    {"noncanonical_read", noncanonical_read},
    {"stack_overflow", stack_overflow},
    {"syscall_at_the_top", syscall_at_the_top},
    {"trap_flag_syscall", trap_flag_syscall},
    {"bad_stack_syscall", bad_stack_syscall},
    {"noncanonical_stack_syscall", noncanonical_stack_syscall},
    {"iretq_to_ring0", iretq_to_ring0},
    {"load_kernel_data_segment", load_kernel_data_segment},
    {"hostile_spin", hostile_spin},
};

int main(int argc, char **argv)
{
    if (argc < 2)
        return -1;
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        if (strcmp(argv[1], modes[i].name) == 0) {
            modes[i].run();
            return 0; /* it did not fault */
        }
    }
    printf("faulter: no mode %s\n", argv[1]);
    return -1;
}
