/* An address space: a page-table tree whose user half belongs to one or more spaces. */
#pragma once

#include <stdint.h>
#include <wingos/error.h>

#include "kernel/sync/spinlock.h"

struct vm_space {
    volatile int32_t refs;
    uint64_t root;        /* page-table root (physical) */
    struct spinlock lock; /* guards the tree's user half */
};

struct vm_result {
    enum wg_error err;
    struct vm_space *vm;
};

struct vm_result vm_create(void);
void vm_get(struct vm_space *vm);
/* The last reference frees the tree (never while a CPU runs on it: tasks hold references
 * through their space). */
void vm_put(struct vm_space *vm);

/* Maps `count` pages at `virt` (user half only) to the given frames. All or nothing:
 * WG_ERR_ALREADY_EXISTS if any page is taken, WG_ERR_NO_MEMORY for page tables. */
enum wg_error vm_map(struct vm_space *vm, uintptr_t virt, const uint64_t *frames, uint64_t count,
                     unsigned arch_flags);
/* Unmaps the pages and shoots them down on every CPU using the tree. */
void vm_unmap(struct vm_space *vm, uintptr_t virt, uint64_t count);
