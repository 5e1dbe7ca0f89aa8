/* One syscall with every register oracle: regs_syscall (user/lib/test/regs.c) loads known
 * patterns into every register the ABI preserves (rbx, rbp, r12-r15, the argument registers
 * other than rdx, xmm0-15, MXCSR, the x87 control word), issues `syscall`, and stores what it
 * finds afterwards; raw_call compares. Only rax and rdx (the results), rcx and r11 may change
 * (and the answer registers of a successful short-message call). */
#include <test/regs.h>

#include "sysfuzz.h"

static const char *const register_names[] = {"rax", "rdx", "rdi", "rsi", "r10", "r8",  "r9",
                                             "rbx", "rbp", "r12", "r13", "r14", "r15", "rsp"};

/* Patterns that differ from call to call, so a value left over from elsewhere never matches. */
static void fill_patterns(struct regs_frame *f, struct rng *rng)
{
    for (int i = 0; i < 6; i++)
        f->keep[i] = rng_next(rng);
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 16; j += 8) {
            uint64_t word = rng_next(rng);
            memcpy(&f->xmm[i][j], &word, 8);
        }
    /* All exceptions masked; rounding and flush-to-zero vary; a few sticky flags set. */
    f->mxcsr = 0x1f80u | (uint32_t)(rng_next(rng) & 0xe03fu);
    /* x87: exceptions masked; precision and rounding control vary. */
    f->fcw = (uint16_t)(0x107fu | (rng_next(rng) & 0xc00u) | (rng_next(rng) & 0x200u));
}

/* The registers out[2..6] (rdi, rsi, r10, r8, r9) that a successful short-message syscall
 * answers in (user/lib/ipc.h), as a bit mask; 0 for every other call. */
static unsigned answer_registers(const struct regs_frame *f)
{
    if (f->out[0] != WG_ERR_OK)
        return 0;
    if (f->number == WG_SYS_IPC_CALL_SHORT)
        return 0x3c; /* rdi, rsi, r10 (reply w1..w3), r8 (the id of a long reply) */
    return f->number == WG_SYS_IPC_REPLY_RECEIVE_SHORT ? 0x7c : 0;
}

/* What the short-message answers must look like: a long reply (r8 its id) comes with no
 * words, and a message that is not short (rdi, its connection, 0) with no token or words. */
static void check_short_answer(const struct regs_frame *f)
{
    if (f->number == WG_SYS_IPC_CALL_SHORT && f->out[5] != 0 &&
        (f->out[1] | f->out[2] | f->out[3] | f->out[4]) != 0)
        fuzz_fail("a long reply (id %llu) came with words", (unsigned long long)f->out[5]);
    if (f->number == WG_SYS_IPC_REPLY_RECEIVE_SHORT && f->out[2] == 0 &&
        (f->out[1] | f->out[3] | f->out[4] | f->out[5] | f->out[6]) != 0)
        fuzz_fail("a message left queued came with a token or words");
}

static void check_frame(const struct regs_frame *f)
{
    uint64_t err = f->out[0], value = f->out[1];
    const uint64_t want[14] = {0,          0,          f->args[0], f->args[1],   f->args[3],
                               f->args[4], f->args[5], f->keep[0], f->keep[1],   f->keep[2],
                               f->keep[3], f->keep[4], f->keep[5], f->rsp_before};
    unsigned answers = answer_registers(f);
    if (err >= WG_ERROR_COUNT)
        fuzz_fail("error %llu is not in the list", (unsigned long long)err);
    else if (err != WG_ERR_OK && value != 0)
        fuzz_fail("value %#llx with error %s", (unsigned long long)value, wg_error_name((int)err));
    if (answers)
        check_short_answer(f);
    for (int i = 2; i < 14; i++)
        if (f->out[i] != want[i] && !(answers & 1u << i))
            fuzz_fail("%s changed: %#llx -> %#llx", register_names[i], (unsigned long long)want[i],
                      (unsigned long long)f->out[i]);
    if (f->mxcsr_out != f->mxcsr || f->fcw_out != f->fcw)
        fuzz_fail("MXCSR %#x -> %#x, FCW %#x -> %#x", f->mxcsr, f->mxcsr_out, f->fcw, f->fcw_out);
    for (int i = 0; i < 16; i++)
        if (memcmp(f->xmm[i], f->xmm_out[i], 16) != 0)
            fuzz_fail("xmm%d changed", i);
}

static struct regs_frame frames[2]; /* the main task's; the noise task's */

/* The main task's calls: counted, logged and reported. */
struct raw_result raw_call(uint64_t number, const uint64_t args[6])
{
    struct regs_frame *f = &frames[0];
    f->number = number;
    memcpy(f->args, args, sizeof f->args);
    fill_patterns(f, &fuzz.rng);
    fuzz.number = ++fuzz.calls;
    regs_syscall(f);
    struct raw_result result = {(enum wg_error)f->out[0], f->out[1]};
    if (fuzz.log)
        printf("sysfuzz: #%llu %s(%llx, %llx, %llx, %llx, %llx, %llx) -> %s %#llx\n",
               (unsigned long long)fuzz.number, wg_syscall_name(number),
               (unsigned long long)args[0], (unsigned long long)args[1],
               (unsigned long long)args[2], (unsigned long long)args[3],
               (unsigned long long)args[4], (unsigned long long)args[5], wg_error_name(result.err),
               (unsigned long long)result.value);
    check_frame(f);
    return result;
}

const uint64_t *raw_answer(void)
{
    return frames[0].out;
}

struct raw_result raw_call6(uint64_t number, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
                            uint64_t a4, uint64_t a5)
{
    const uint64_t args[6] = {a0, a1, a2, a3, a4, a5};
    return raw_call(number, args);
}

/* The noise task's calls (roles.c): the same oracles, counted in *failures, not printed. */
uint64_t raw_noise_call(struct rng *rng, uint64_t number, uint64_t arg);
uint64_t raw_noise_call(struct rng *rng, uint64_t number, uint64_t arg)
{
    struct regs_frame *f = &frames[1];
    f->number = number;
    memset(f->args, 0, sizeof f->args);
    f->args[0] = arg;
    fill_patterns(f, rng);
    regs_syscall(f);
    bool same = f->mxcsr_out == f->mxcsr && f->fcw_out == f->fcw &&
                memcmp(f->xmm, f->xmm_out, sizeof f->xmm) == 0;
    for (int i = 7; i < 14; i++)
        same = same && f->out[i] == (i == 13 ? f->rsp_before : f->keep[i - 7]);
    return same ? 0 : 1;
}
