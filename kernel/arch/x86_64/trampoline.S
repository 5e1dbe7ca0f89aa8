/* Application processor start-up code, copied to TRAMPOLINE_PHYS (a page below 1 MiB) and
 * entered in real mode by the STARTUP IPI. It goes through protected mode to long mode with
 * the page tables, stack and entry point the boot CPU left in its parameter block, then jumps
 * to ap_entry() in the higher half. Addresses are computed relative to the copy. */
#define TRAMPOLINE_PHYS 0x8000
#define ABS(label)      (TRAMPOLINE_PHYS + (label - trampoline_start))

        .section .rodata
        .balign 16
        .globl trampoline_start, trampoline_end, trampoline_params
trampoline_start:
        .code16
        cli
        cld
        xorw %ax, %ax
        movw %ax, %ds
        lgdtl ABS(tramp_gdt_pointer)
        movl %cr0, %eax
        orl $1, %eax
        movl %eax, %cr0
        ljmpl $0x08, $ABS(tramp_protected)

        .code32
tramp_protected:
        movw $0x10, %ax
        movw %ax, %ds
        movw %ax, %es
        movw %ax, %ss
        movl %cr4, %eax
        orl $(1 << 5), %eax /* PAE */
        movl %eax, %cr4
        movl ABS(param_cr3), %eax
        movl %eax, %cr3
        movl $0xC0000080, %ecx
        rdmsr
        orl ABS(param_efer), %eax
        wrmsr
        movl %cr0, %eax
        orl $((1 << 31) | (1 << 16)), %eax /* PG, WP */
        movl %eax, %cr0
        ljmpl $0x18, $ABS(tramp_long)

        .code64
tramp_long:
        movw $0x10, %ax
        movw %ax, %ds
        movw %ax, %es
        movw %ax, %ss
        movq ABS(param_stack), %rsp
        movq ABS(param_cpu), %rdi
        movq ABS(param_entry), %rax
        xorl %ebp, %ebp
        jmp *%rax

        .balign 8
tramp_gdt:
        .quad 0
        .quad 0x00cf9a000000ffff /* 0x08: 32-bit code */
        .quad 0x00cf92000000ffff /* 0x10: data */
        .quad 0x00af9a000000ffff /* 0x18: 64-bit code */
tramp_gdt_pointer:
        .word tramp_gdt_pointer - tramp_gdt - 1
        .long ABS(tramp_gdt)

        .balign 8
trampoline_params:
param_cr3:   .quad 0
param_efer:  .quad 0
param_stack: .quad 0
param_cpu:   .quad 0
param_entry: .quad 0
trampoline_end:
