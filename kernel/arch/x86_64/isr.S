/* Interrupt entry stubs for all 256 vectors. Each pushes a zero error code when the CPU does
 * not, then its vector number, and joins the common path that saves every general register
 * into a struct interrupt_frame and calls interrupt_dispatch(). */

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || \
                      (v) == 29 || (v) == 30)

        .text
        .balign 16
isr_common:
        testb $3, 24(%rsp) /* from user mode: switch to the kernel's GS base */
        jz 1f
        swapgs
        cmpb $0, arch_smap_enabled(%rip) /* and never run with the user's AC flag (SMAP) */
        je 1f
        clac
1:      pushq %rax
        pushq %rbx
        pushq %rcx
        pushq %rdx
        pushq %rsi
        pushq %rdi
        pushq %rbp
        pushq %r8
        pushq %r9
        pushq %r10
        pushq %r11
        pushq %r12
        pushq %r13
        pushq %r14
        pushq %r15
        cld
        movq %rsp, %rdi
        call interrupt_dispatch
        popq %r15
        popq %r14
        popq %r13
        popq %r12
        popq %r11
        popq %r10
        popq %r9
        popq %r8
        popq %rbp
        popq %rdi
        popq %rsi
        popq %rdx
        popq %rcx
        popq %rbx
        popq %rax
        testb $3, 24(%rsp)
        jz 2f
        swapgs
2:      addq $16, %rsp
        iretq

        .altmacro
        .macro isr_stub v
        .balign 16
isr_stub_\v:
        .if !HAS_ERROR(\v)
        pushq $0
        .endif
        pushq $\v
        jmp isr_common
        .endm

        .set vec, 0
        .rept 256
        isr_stub %vec
        .set vec, vec + 1
        .endr

        .section .rodata
        .balign 8
        .globl isr_stub_table
isr_stub_table:
        .macro isr_address v
        .quad isr_stub_\v
        .endm
        .set vec, 0
        .rept 256
        isr_address %vec
        .set vec, vec + 1
        .endr
