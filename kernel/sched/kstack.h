/* Kernel stacks in their own virtual area, each with an unmapped guard page below it, so an
 * overflow faults and is reported instead of corrupting its neighbour. */
#pragma once

#include <stdint.h>
#include <wingos/error.h>

#define KSTACK_PAGES 4 /* 16 KiB */

struct kstack {
    uintptr_t base; /* lowest mapped byte; the guard page is just below */
    uintptr_t top;
    unsigned slot;
};

void kstack_init(void);
/* Pages come preferably from `node`. Needs interrupts on (it may shoot down TLBs). */
enum wg_error kstack_alloc(struct kstack *stack, int node);
void kstack_free(struct kstack *stack);
