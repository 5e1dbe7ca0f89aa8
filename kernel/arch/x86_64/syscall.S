/* The `syscall` entry and the ways back to user mode. The entry builds the same
 * struct interrupt_frame an interrupt stub does (vector 0x100, which no CPU vector has), so
 * the C side (syscall_entry.c) and a task's first entry to user mode share one frame layout.
 * GS points at this CPU's struct arch_cpu: %gs:8 is the kernel stack top, %gs:16 a slot
 * for the user stack pointer (percpu.h checks both offsets). */
#include "frame.inc"
#define GDT_USER_DATA   0x18
#define GDT_USER_CODE   0x20
#define USER_TOP        0x0000800000000000
#define FRAME_RIP       (17 * 8) /* offset of rip in struct interrupt_frame */

        .text
        .globl syscall_entry
syscall_entry:
        swapgs
        movq %rsp, %gs:16
        movq %gs:8, %rsp
        pushq $(GDT_USER_DATA | 3)
        pushq %gs:16
        pushq %r11
        pushq $(GDT_USER_CODE | 3)
        pushq %rcx
        pushq $0
        pushq $0x100 /* not a CPU vector: marks a syscall frame */
        PUSH_GENERAL_REGISTERS
        xorl %ebp, %ebp
        movq %rsp, %rdi
        sti
        call syscall_from_user
        cli
        /* sysret to a non-canonical rip would fault in ring 0: take the iretq path. */
        movq FRAME_RIP(%rsp), %rcx
        movq $USER_TOP, %r11
        cmpq %r11, %rcx
        jae return_to_user_iret
        POP_GENERAL_REGISTERS
        addq $16, %rsp
        movq 0(%rsp), %rcx  /* rip */
        movq 16(%rsp), %r11 /* rflags */
        movq 24(%rsp), %rsp /* user stack */
        swapgs
        sysretq

/* Returns to user mode through iretq from a full frame at %rsp. */
        .globl return_to_user_iret
return_to_user_iret:
        POP_GENERAL_REGISTERS
        addq $16, %rsp
        swapgs
        iretq

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
        .globl user_copy_bytes, user_copy_start, user_copy_end, user_copy_fault, arch_smap_enabled
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
user_copy_end:
        xorl %eax, %eax
        jmp 2f
user_copy_fault:
        movl $-1, %eax
2:      cmpb $0, arch_smap_enabled(%rip)
        je 3f
        clac
3:      ret

        .data
arch_smap_enabled:
        .byte 0
