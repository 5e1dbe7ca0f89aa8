/* A syscall issued with every register known, for tests of the syscall ABI: regs_syscall
 * loads the number and arguments, and patterns into every register the ABI keeps (rbx, rbp,
 * r12-r15, xmm0-15, MXCSR, the x87 control word), issues `syscall` and stores what all of
 * them hold afterwards. Used by sysfuzz's oracles (every call) and by ipctest's
 * short-message tests (which answer in the argument registers). */
#pragma once

#include <wingos.h>

struct regs_frame {
    uint64_t number;
    uint64_t args[6]; /* rdi, rsi, rdx, r10, r8, r9 */
    uint64_t keep[6]; /* rbx, rbp, r12, r13, r14, r15 */
    uint32_t mxcsr;   /* keep all exceptions masked (0x1f80 and up) */
    uint16_t fcw;     /* likewise (0x37f and up) */
    uint16_t pad;
    uint8_t xmm[16][16];
    uint64_t out[14]; /* after: enum regs_out */
    uint64_t rsp_before;
    uint32_t mxcsr_out;
    uint16_t fcw_out;
    uint16_t pad_out;
    uint8_t xmm_out[16][16];
};

enum regs_out {
    REGS_RAX,
    REGS_RDX,
    REGS_RDI,
    REGS_RSI,
    REGS_R10,
    REGS_R8,
    REGS_R9,
    REGS_RBX, /* rbx, rbp, r12-r15: as keep[] */
    REGS_RSP = 13,
};

void regs_syscall(struct regs_frame *frame);
