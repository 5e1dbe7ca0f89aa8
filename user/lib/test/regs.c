/* regs_syscall (regs.h), in assembly: it saves what C expects kept, loads the frame's
 * patterns and arguments, issues `syscall`, stores every register, and restores C's. */
#include <stddef.h>

#include "regs.h"

_Static_assert(offsetof(struct regs_frame, keep) == 56, "regs_syscall's offsets");
_Static_assert(offsetof(struct regs_frame, mxcsr) == 104, "regs_syscall's offsets");
_Static_assert(offsetof(struct regs_frame, xmm) == 112, "regs_syscall's offsets");
_Static_assert(offsetof(struct regs_frame, out) == 368, "regs_syscall's offsets");
_Static_assert(offsetof(struct regs_frame, rsp_before) == 480, "regs_syscall's offsets");
_Static_assert(offsetof(struct regs_frame, xmm_out) == 496, "regs_syscall's offsets");

#define XMM_LOAD(i)  "movdqu " #i "*16+112(%rdi), %xmm" #i "\n"
#define XMM_STORE(i) "movdqu %xmm" #i ", " #i "*16+496(%rcx)\n"
#define XMM_ALL(m) \
    m(0) m(1) m(2) m(3) m(4) m(5) m(6) m(7) m(8) m(9) m(10) m(11) m(12) m(13) m(14) m(15)

/* rcx, free after `syscall`, points at the frame again (it was pushed). */
__asm__(".text\n"
        ".globl regs_syscall\n"
        ".type regs_syscall, @function\n"
        "regs_syscall:\n"
        "push %rbx\npush %rbp\npush %r12\npush %r13\npush %r14\npush %r15\n"
        "sub $8, %rsp\n"
        "stmxcsr (%rsp)\nfnstcw 4(%rsp)\n" /* the caller's, restored at the end */
        "push %rdi\n"
        "mov %rsp, 480(%rdi)\n"
        "ldmxcsr 104(%rdi)\nfldcw 108(%rdi)\n" XMM_ALL(
            XMM_LOAD) "mov 56(%rdi), %rbx\nmov 64(%rdi), %rbp\nmov 72(%rdi), %r12\n"
                      "mov 80(%rdi), %r13\nmov 88(%rdi), %r14\nmov 96(%rdi), %r15\n"
                      "mov 0(%rdi), %rax\nmov 16(%rdi), %rsi\nmov 24(%rdi), %rdx\n"
                      "mov 32(%rdi), %r10\nmov 40(%rdi), %r8\nmov 48(%rdi), %r9\n"
                      "mov 8(%rdi), %rdi\n"
                      "syscall\n"
                      "mov (%rsp), %rcx\n"
                      "mov %rax, 368(%rcx)\nmov %rdx, 376(%rcx)\nmov %rdi, 384(%rcx)\n"
                      "mov %rsi, 392(%rcx)\nmov %r10, 400(%rcx)\nmov %r8, 408(%rcx)\n"
                      "mov %r9, 416(%rcx)\nmov %rbx, 424(%rcx)\nmov %rbp, 432(%rcx)\n"
                      "mov %r12, 440(%rcx)\nmov %r13, 448(%rcx)\nmov %r14, 456(%rcx)\n"
                      "mov %r15, 464(%rcx)\nmov %rsp, 472(%rcx)\n"
                      "stmxcsr 488(%rcx)\nfnstcw 492(%rcx)\n" XMM_ALL(
                          XMM_STORE) "pop %rdi\n"
                                     "ldmxcsr (%rsp)\nfldcw 4(%rsp)\n"
                                     "add $8, %rsp\n"
                                     "pop %r15\npop %r14\npop %r13\npop %r12\npop %rbp\npop %rbx\n"
                                     "ret\n"
                                     ".size regs_syscall, . - regs_syscall\n");
