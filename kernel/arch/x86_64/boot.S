/* Multiboot (v1) entry: a 32-bit stub that checks for long mode, maps the first 4 GiB
 * (identity, higher half at HHDM_BASE, kernel image at KERNEL_VMA) with 2 MiB pages, enters
 * 64-bit mode and jumps to arch_entry() in the higher half. */
#include "arch_layout.h"

#define MB_MAGIC      0x1BADB002
#define MB_FLAGS      0x3 /* page-aligned modules, memory map */
#define MB_BOOT_MAGIC 0x2BADB002

#define CR0_PE   (1 << 0)
#define CR0_WP   (1 << 16)
#define CR0_PG   (1 << 31)
#define CR4_PAE  (1 << 5)
#define MSR_EFER 0xC0000080
#define EFER_LME (1 << 8)
#define EFER_NXE (1 << 11)
#define COM1     0x3f8

        .section .multiboot, "a"
        .balign 4
        .long MB_MAGIC, MB_FLAGS, -(MB_MAGIC + MB_FLAGS)

        .section .boot.text, "ax"
        .code32
        .globl boot_entry32
boot_entry32:
        cli
        cld
        movl $boot_stack32_top, %esp
        movl %eax, boot_magic
        movl %ebx, boot_info_phys
        cmpl $MB_BOOT_MAGIC, %eax
        jne .Lnot_multiboot
        call check_long_mode
        call build_boot_tables
        call enter_long_mode
        ljmp $0x08, $.Llong_mode

/* Halts with a message on COM1 when the CPU cannot run us. */
.Lnot_multiboot:
        movl $msg_not_multiboot, %esi
        jmp die32
.Lno_long_mode:
        movl $msg_no_long_mode, %esi
die32:
        movw $COM1 + 5, %dx
1:      inb %dx, %al
        testb $0x20, %al
        jz 1b
        movw $COM1, %dx
        lodsb
        testb %al, %al
        jz 2f
        outb %al, %dx
        jmp die32
2:      hlt
        jmp 2b

check_long_mode:
        movl $0x80000000, %eax
        cpuid
        cmpl $0x80000001, %eax
        jb .Lno_long_mode
        movl $0x80000001, %eax
        cpuid
        testl $(1 << 29), %edx
        jz .Lno_long_mode
        andl $(1 << 20), %edx /* remember NX support for EFER.NXE */
        movl %edx, boot_has_nx
        ret

/* PML4[0] and PML4[256] map the first 4 GiB, PML4[511]/PDPT[510] the first GiB at KERNEL_VMA. */
build_boot_tables:
        movl $boot_tables, %edi
        movl $(BOOT_TABLE_PAGES * 4096 / 4), %ecx
        xorl %eax, %eax
        rep stosl
        movl $(boot_pdpt_low + 3), boot_pml4
        movl $(boot_pdpt_hhdm + 3), boot_pml4 + 256 * 8
        movl $(boot_pdpt_high + 3), boot_pml4 + 511 * 8
        movl $(boot_pd + 3), boot_pdpt_low
        movl $(boot_pd + 3), boot_pdpt_high + 510 * 8
        xorl %ecx, %ecx
1:      movl %ecx, %eax /* PDPT_hhdm[i] = PD page i, for i in 0..3 */
        shll $12, %eax
        addl $(boot_pd + 3), %eax
        movl %eax, boot_pdpt_hhdm(, %ecx, 8)
        incl %ecx
        cmpl $4, %ecx
        jne 1b
        xorl %ecx, %ecx
2:      movl %ecx, %eax /* PD entry k maps 2 MiB page k: present, writable, large */
        shll $21, %eax
        orl $0x83, %eax
        movl %eax, boot_pd(, %ecx, 8)
        movl %ecx, %eax
        shrl $11, %eax
        movl %eax, boot_pd + 4(, %ecx, 8)
        incl %ecx
        cmpl $2048, %ecx
        jne 2b
        ret

enter_long_mode:
        movl %cr4, %eax
        orl $CR4_PAE, %eax
        movl %eax, %cr4
        movl $boot_pml4, %eax
        movl %eax, %cr3
        movl $MSR_EFER, %ecx
        rdmsr
        orl $EFER_LME, %eax
        cmpl $0, boot_has_nx
        je 1f
        orl $EFER_NXE, %eax
1:      wrmsr
        movl %cr0, %eax
        orl $(CR0_PE | CR0_WP | CR0_PG), %eax
        movl %eax, %cr0
        lgdt boot_gdt_pointer
        ret

        .code64
.Llong_mode:
        movw $0x10, %ax
        movw %ax, %ds
        movw %ax, %es
        movw %ax, %ss
        xorw %ax, %ax
        movw %ax, %fs
        movw %ax, %gs
        movabsq $higher_half_entry, %rax
        jmp *%rax

        .section .boot.rodata, "a"
        .balign 8
boot_gdt:
        .quad 0
        .quad 0x00af9a000000ffff /* 64-bit code */
        .quad 0x00cf92000000ffff /* data */
boot_gdt_pointer:
        .word boot_gdt_pointer - boot_gdt - 1
        .long boot_gdt
msg_not_multiboot:
        .asciz "WingOS: not started by a multiboot loader\r\n"
msg_no_long_mode:
        .asciz "WingOS: this CPU has no 64-bit long mode\r\n"

        .section .boot.bss, "aw", @nobits
        .balign 4096
        .set BOOT_TABLE_PAGES, 8
boot_tables:
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_hhdm: .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4 * 4096
boot_stack32:   .skip 1024
boot_stack32_top:
        .globl boot_magic, boot_info_phys, boot_has_nx
boot_magic:     .long 0
boot_info_phys: .long 0
boot_has_nx:    .long 0

        .text
higher_half_entry:
        leaq boot_stack_top(%rip), %rsp
        xorl %ebp, %ebp
        movl boot_magic, %edi
        movl boot_info_phys, %esi
        call arch_entry
1:      cli
        hlt
        jmp 1b

/* The boot CPU's kernel stack. The page below it is left unmapped by the kernel page tables,
 * so an overflow faults instead of corrupting .bss. */
        .section .bss.stack, "aw", @nobits
        .balign 4096
        .globl boot_stack_guard, boot_stack_bottom, boot_stack_top
boot_stack_guard:  .skip 4096
boot_stack_bottom: .skip 16384
boot_stack_top:
        .globl double_fault_stack_top
double_fault_stack: .skip 8192
double_fault_stack_top:
