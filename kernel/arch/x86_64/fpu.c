/* FPU/SSE state: enabled on every CPU, saved and restored with fxsave/fxrstor on every task
 * switch (eagerly: simple, and the cost is a few hundred cycles). The kernel itself is built
 * without SSE, so only tasks' own state lives in these registers. */
#include "fpu.h"
#include "cr.h"
#include "kernel/arch.h"
#include "lib/string.h"

#define CR0_MP         (1ULL << 1)
#define CR0_EM         (1ULL << 2)
#define CR0_TS         (1ULL << 3)
#define CR4_OSFXSR     (1ULL << 9)
#define CR4_OSXMMEXCPT (1ULL << 10)

static uint8_t initial_state[ARCH_FPU_STATE_SIZE] __attribute__((aligned(16)));

void fpu_init_cpu(void)
{
    write_cr0((read_cr0() & ~(CR0_EM | CR0_TS)) | CR0_MP);
    write_cr4(read_cr4() | CR4_OSFXSR | CR4_OSXMMEXCPT);
    __asm__ volatile("fninit");
}

void fpu_capture_initial_state(void)
{
    uint32_t mxcsr_default = 0x1f80; /* all SIMD exceptions masked */
    __asm__ volatile("fninit\n\tldmxcsr %0" : : "m"(mxcsr_default));
    arch_fpu_save(initial_state);
}

void arch_fpu_init_area(void *area)
{
    memcpy(area, initial_state, ARCH_FPU_STATE_SIZE);
}
