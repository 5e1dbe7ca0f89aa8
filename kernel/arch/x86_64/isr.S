/* Interrupt entry stubs for all 256 vectors. Each pushes a zero error code when the CPU does
 * not, then its vector number, and joins the common path that saves every general register
 * into a struct interrupt_frame and calls interrupt_dispatch(). */
#include "frame.inc"

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
1:      PUSH_GENERAL_REGISTERS
        cld
        movq %rsp, %rdi
        call interrupt_dispatch
        POP_GENERAL_REGISTERS
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
