/* The `syscall` entry and the ways back to user mode. GS points at this CPU's struct
 * arch_cpu: %gs:8 is the kernel stack top of the current task, %gs:16 a slot for the user
 * stack pointer (percpu.h checks both offsets).
 *
 * The entry saves only what C does not: the six argument registers, pushed so that they
 * form the array syscall_dispatch() reads (rdi, rsi, rdx, r10, r8, r9), rbp (zeroed so that
 * backtraces stop here), and rip, rflags and the user stack for sysret. rbx and r12-r15 are
 * callee-saved in C; rax and rdx carry the result back (struct syscall_result is returned in
 * exactly those two); rcx and r11 are the `syscall` instruction's. Every register the ABI
 * promises to keep (docs/abi.md) comes back, and none carries kernel data out. */
#define GDT_USER_DATA         0x18
#define GDT_USER_CODE         0x20
#define SYSCALL_RIP_LIMIT_BIT 47 /* a return rip at or above 2^47 is not canonical */

        .text
        .globl syscall_entry
syscall_entry:
        swapgs
        movq %rsp, %gs:16
        movq %gs:8, %rsp
        pushq %gs:16
        pushq %r11
        pushq %rcx
        pushq %rbp
        pushq %r9
        pushq %r8
        pushq %r10
        pushq %rdx
        pushq %rsi
        pushq %rdi
        xorl %ebp, %ebp
        movq %rsp, %rdi
        movq %rax, %rsi
        /* A syscall at the very top of the user half would "return" to a non-canonical
         * address, which sysret cannot do safely (it would fault in ring 0): such a task is
         * ended instead (syscall_bad_return does not come back). */
        btq $SYSCALL_RIP_LIMIT_BIT, %rcx
        jc syscall_bad_return
        sti
        call syscall_dispatch
        cli
        popq %rdi
        popq %rsi
        addq $8, %rsp /* rdx: the result's value */
        popq %r10
        popq %r8
        popq %r9
        popq %rbp
        popq %rcx
        popq %r11
        popq %rsp
        swapgs
        sysretq

syscall_bad_return:
        sti
        movq %rcx, %rdi
        call syscall_exit_bad_return

/* void arch_enter_user(uint64_t rip, uint64_t rsp, uint64_t arg0, uint64_t arg1, uint64_t arg2):
 * a task's first entry to user mode, with clean registers. */
        .globl arch_enter_user
arch_enter_user:
        cli
        pushq $(GDT_USER_DATA | 3)
        pushq %rsi
        pushq $0x202 /* IF set */
        pushq $(GDT_USER_CODE | 3)
        pushq %rdi
        movq %rdx, %rdi
        movq %rcx, %rsi
        movq %r8, %rdx
        xorl %eax, %eax
        xorl %ebx, %ebx
        xorl %ecx, %ecx
        xorl %ebp, %ebp
        xorl %r8d, %r8d
        xorl %r9d, %r9d
        xorl %r10d, %r10d
        xorl %r11d, %r11d
        xorl %r12d, %r12d
        xorl %r13d, %r13d
        xorl %r14d, %r14d
        xorl %r15d, %r15d
        swapgs
        iretq

/* Copying from and to user memory. A fault inside [user_copy_start, user_copy_end) resumes
 * at user_copy_fault, which returns -1 (fault.c does the redirect). With SMAP on, stac/clac
 * open the window; arch_smap_enabled (set at boot) says whether the CPU has them. */
        .globl user_copy_bytes, user_touch_writable, user_copy_start, user_copy_end
        .globl user_copy_fault, arch_smap_enabled
/* int user_copy_bytes(void *dst, const void *src, size_t n): 0, or -1 after a fault */
user_copy_bytes:
        cmpb $0, arch_smap_enabled(%rip)
        je 1f
        stac
1:      movq %rdx, %rcx
        shrq $3, %rcx       /* whole quadwords first: one step each, not eight */
user_copy_start:
        rep movsq
        movq %rdx, %rcx
        andq $7, %rcx
        rep movsb
        jmp user_copy_done
/* A locked "or 0" needs write access and changes nothing, even if another task of the
 * space writes the byte at the same time: one instruction checks a page is writable. */
user_touch_instruction:
        lock orb $0, (%rdi)
user_copy_end:
user_copy_done:
        xorl %eax, %eax
        jmp 2f
user_copy_fault:
        movl $-1, %eax
2:      cmpb $0, arch_smap_enabled(%rip)
        je 3f
        clac
3:      ret

/* int user_touch_writable(void *user_byte): 0, or -1 if it is not writable */
user_touch_writable:
        cmpb $0, arch_smap_enabled(%rip)
        je user_touch_instruction
        stac
        jmp user_touch_instruction

        .data
arch_smap_enabled:
        .byte 0
