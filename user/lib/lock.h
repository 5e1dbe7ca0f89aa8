/* A spin lock for the user library's shared state (the malloc heap, the printf line), so tasks
 * sharing one space (threads) can call them. A waiter yields the CPU instead of burning it. */
#pragma once

#include <stdbool.h>
#include "syscall.h"

struct wg_lock {
    bool held;
};

static inline void wg_lock_acquire(struct wg_lock *lock)
{
    while (__atomic_exchange_n(&lock->held, true, __ATOMIC_ACQUIRE))
        wg_yield();
}

static inline void wg_lock_release(struct wg_lock *lock)
{
    __atomic_store_n(&lock->held, false, __ATOMIC_RELEASE);
}
