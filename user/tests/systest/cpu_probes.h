/* Syscalls issued from assembly, for what C cannot control: which registers hold what across
 * the `syscall` instruction, the direction flag, the SSE registers. */
#pragma once

#include <stdint.h>

/* The general registers a syscall must preserve, in the order regs_probe stores them. */
enum probe_reg {
    PROBE_RDI,
    PROBE_RSI,
    PROBE_R8,
    PROBE_R9,
    PROBE_R10,
    PROBE_RBX,
    PROBE_RBP,
    PROBE_R12,
    PROBE_R13,
    PROBE_R14,
    PROBE_R15,
    PROBE_REG_COUNT
};

/* The value regs_probe puts in register `reg` before the syscall (rdi holds arg0). */
uint64_t regs_probe_pattern(enum probe_reg reg);

/* Issues syscall `number` with rdi = arg0 and every other preserved register set to its
 * pattern; stores what they hold afterwards in out[]. Returns rax (the error). */
uint64_t regs_probe(uint64_t number, uint64_t arg0, uint64_t *out);

/* Issues syscall `number` with rdi = arg0 and the direction flag set; stores rflags as they
 * were right after the syscall in *flags. Returns rax. */
uint64_t df_syscall(uint64_t number, uint64_t arg0, uint64_t *flags);

/* Loads xmm0-xmm15 from in[32] (two words each), issues syscall `number` with rdi = arg0 and
 * stores xmm0-xmm15 to out[32]. Returns rax. */
uint64_t xmm_probe(const uint64_t *in, uint64_t *out, uint64_t number, uint64_t arg0);
