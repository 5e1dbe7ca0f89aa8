/* Ticket spinlocks. The _irqsave forms also turn interrupts off on this CPU, which every
 * lock shared with an interrupt handler (run queues, wait queues, timers) needs, and which
 * keeps a lock holder from being preempted. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch.h"

struct spinlock {
    volatile uint32_t next;  /* ticket handed to the next arrival */
    volatile uint32_t owner; /* ticket now served */
};

#define SPINLOCK_INIT \
    {                 \
        0, 0          \
    }

static inline void spin_lock(struct spinlock *lock)
{
    uint32_t ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_RELAXED);
    while (__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != ticket)
        arch_cpu_relax();
}

/* Takes the lock only if it is free right now. */
static inline bool spin_trylock(struct spinlock *lock)
{
    uint32_t owner = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);
    uint32_t expected = owner;
    return __atomic_compare_exchange_n(&lock->next, &expected, owner + 1, false, __ATOMIC_ACQUIRE,
                                       __ATOMIC_RELAXED);
}

static inline void spin_unlock(struct spinlock *lock)
{
    __atomic_store_n(&lock->owner, lock->owner + 1, __ATOMIC_RELEASE);
}

static inline uint64_t spin_lock_irqsave(struct spinlock *lock)
{
    uint64_t flags = arch_irq_save();
    spin_lock(lock);
    return flags;
}

static inline void spin_unlock_irqrestore(struct spinlock *lock, uint64_t flags)
{
    spin_unlock(lock);
    arch_irq_restore(flags);
}

static inline bool spin_is_locked(const struct spinlock *lock)
{
    return __atomic_load_n(&lock->next, __ATOMIC_RELAXED) !=
           __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);
}
