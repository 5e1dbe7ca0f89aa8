/* The assembly probes of cpu_probes.h. Patterns: 0x5100000000000011 * (register index + 1),
 * distinct in every byte position that matters. */
#include "cpu_probes.h"

#define PATTERN_BASE 0x5100000000000011ull

uint64_t regs_probe_pattern(enum probe_reg reg)
{
    return PATTERN_BASE * ((uint64_t)reg + 1);
}

/* regs_probe(rdi = number, rsi = arg0, rdx = out). The patterns are computed the same way as
 * regs_probe_pattern: base * (index + 1), built by repeated addition of the base in r11. */
__asm__(".text\n"
        ".globl regs_probe\n"
        ".type regs_probe, @function\n"
        "regs_probe:\n"
        "    pushq %rbp\n"
        "    pushq %rbx\n"
        "    pushq %r12\n"
        "    pushq %r13\n"
        "    pushq %r14\n"
        "    pushq %r15\n"
        "    pushq %rdx\n" /* out */
        "    movq %rdi, %rax\n"
        "    movq %rsi, %rdi\n"
        "    movabsq $0x5100000000000011, %r11\n"
        "    movq %r11, %rcx\n"
        "    addq %r11, %rcx\n"
        "    movq %rcx, %rsi\n" /* 2 */
        "    addq %r11, %rcx\n"
        "    movq %rcx, %r8\n" /* 3 */
        "    addq %r11, %rcx\n"
        "    movq %rcx, %r9\n" /* 4 */
        "    addq %r11, %rcx\n"
        "    movq %rcx, %r10\n" /* 5 */
        "    addq %r11, %rcx\n"
        "    movq %rcx, %rbx\n" /* 6 */
        "    addq %r11, %rcx\n"
        "    movq %rcx, %rbp\n" /* 7 */
        "    addq %r11, %rcx\n"
        "    movq %rcx, %r12\n" /* 8 */
        "    addq %r11, %rcx\n"
        "    movq %rcx, %r13\n" /* 9 */
        "    addq %r11, %rcx\n"
        "    movq %rcx, %r14\n" /* 10 */
        "    addq %r11, %rcx\n"
        "    movq %rcx, %r15\n" /* 11 */
        "    syscall\n"
        "    xchgq %rax, (%rsp)\n" /* rax = out, the error saved on the stack */
        "    movq %rdi, 0(%rax)\n"
        "    movq %rsi, 8(%rax)\n"
        "    movq %r8, 16(%rax)\n"
        "    movq %r9, 24(%rax)\n"
        "    movq %r10, 32(%rax)\n"
        "    movq %rbx, 40(%rax)\n"
        "    movq %rbp, 48(%rax)\n"
        "    movq %r12, 56(%rax)\n"
        "    movq %r13, 64(%rax)\n"
        "    movq %r14, 72(%rax)\n"
        "    movq %r15, 80(%rax)\n"
        "    popq %rax\n"
        "    popq %r15\n"
        "    popq %r14\n"
        "    popq %r13\n"
        "    popq %r12\n"
        "    popq %rbx\n"
        "    popq %rbp\n"
        "    ret\n"
        ".size regs_probe, . - regs_probe\n");

/* df_syscall(rdi = number, rsi = arg0, rdx = flags). */
__asm__(".text\n"
        ".globl df_syscall\n"
        ".type df_syscall, @function\n"
        "df_syscall:\n"
        "    pushq %rbx\n"
        "    movq %rdx, %rbx\n"
        "    movq %rdi, %rax\n"
        "    movq %rsi, %rdi\n"
        "    std\n"
        "    syscall\n"
        "    pushfq\n"
        "    popq %rcx\n"
        "    cld\n"
        "    movq %rcx, (%rbx)\n"
        "    popq %rbx\n"
        "    ret\n"
        ".size df_syscall, . - df_syscall\n");

/* xmm_probe(rdi = in, rsi = out, rdx = number, rcx = arg0); relies on rsi being preserved. */
__asm__(".text\n"
        ".globl xmm_probe\n"
        ".type xmm_probe, @function\n"
        "xmm_probe:\n"
        "    movdqu 0(%rdi), %xmm0\n"
        "    movdqu 16(%rdi), %xmm1\n"
        "    movdqu 32(%rdi), %xmm2\n"
        "    movdqu 48(%rdi), %xmm3\n"
        "    movdqu 64(%rdi), %xmm4\n"
        "    movdqu 80(%rdi), %xmm5\n"
        "    movdqu 96(%rdi), %xmm6\n"
        "    movdqu 112(%rdi), %xmm7\n"
        "    movdqu 128(%rdi), %xmm8\n"
        "    movdqu 144(%rdi), %xmm9\n"
        "    movdqu 160(%rdi), %xmm10\n"
        "    movdqu 176(%rdi), %xmm11\n"
        "    movdqu 192(%rdi), %xmm12\n"
        "    movdqu 208(%rdi), %xmm13\n"
        "    movdqu 224(%rdi), %xmm14\n"
        "    movdqu 240(%rdi), %xmm15\n"
        "    movq %rdx, %rax\n"
        "    movq %rcx, %rdi\n"
        "    syscall\n"
        "    movdqu %xmm0, 0(%rsi)\n"
        "    movdqu %xmm1, 16(%rsi)\n"
        "    movdqu %xmm2, 32(%rsi)\n"
        "    movdqu %xmm3, 48(%rsi)\n"
        "    movdqu %xmm4, 64(%rsi)\n"
        "    movdqu %xmm5, 80(%rsi)\n"
        "    movdqu %xmm6, 96(%rsi)\n"
        "    movdqu %xmm7, 112(%rsi)\n"
        "    movdqu %xmm8, 128(%rsi)\n"
        "    movdqu %xmm9, 144(%rsi)\n"
        "    movdqu %xmm10, 160(%rsi)\n"
        "    movdqu %xmm11, 176(%rsi)\n"
        "    movdqu %xmm12, 192(%rsi)\n"
        "    movdqu %xmm13, 208(%rsi)\n"
        "    movdqu %xmm14, 224(%rsi)\n"
        "    movdqu %xmm15, 240(%rsi)\n"
        "    ret\n"
        ".size xmm_probe, . - xmm_probe\n");
