/* Spinlocks (test and test-and-set). The _irqsave forms also turn interrupts off on this
 * CPU, which every lock shared with an interrupt handler (run queues, wait queues, timers)
 * needs, and which keeps a lock holder from being preempted.
 *
 * Not ticket locks, on purpose: a fair lock hands the lock to one chosen waiter, and when
 * CPUs are threads of a host with fewer cores (multi-threaded TCG, or any hypervisor) that
 * waiter may not be running, so every CPU behind it waits for the host to schedule it. With
 * 8 vCPUs on 2 host cores that made ipctest's flood 40-90 times slower (and time out). Here
 * whichever CPU runs when the lock is released takes it; waiters spin on a plain read so the
 * line is not bounced. Fairness is not needed: no holder keeps a lock for long. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "kernel/arch.h"

struct spinlock {
    volatile uint32_t locked; /* 1 while held */
};

#define SPINLOCK_INIT \
    {                 \
        0             \
    }

static inline void spin_lock(struct spinlock *lock)
{
    while (__atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) != 0)
        while (__atomic_load_n(&lock->locked, __ATOMIC_RELAXED) != 0)
            arch_cpu_relax();
}

/* Takes the lock only if it is free right now. */
static inline bool spin_trylock(struct spinlock *lock)
{
    return __atomic_load_n(&lock->locked, __ATOMIC_RELAXED) == 0 &&
           __atomic_exchange_n(&lock->locked, 1, __ATOMIC_ACQUIRE) == 0;
}

static inline void spin_unlock(struct spinlock *lock)
{
    __atomic_store_n(&lock->locked, 0, __ATOMIC_RELEASE);
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
    return __atomic_load_n(&lock->locked, __ATOMIC_RELAXED) != 0;
}
