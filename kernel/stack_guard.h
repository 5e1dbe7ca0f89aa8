/* Registry of kernel stack guard pages, so a fault on one is reported as a stack overflow.
 * The stack owners register their guards here (the boot stack's, and the task-stack area
 * as one striped range), so this service needs none of them. */
#pragma once

#include <stddef.h>
#include <stdint.h>

void stack_guard_register(uintptr_t guard_base, size_t guard_size, const char *owner);
void stack_guard_unregister(uintptr_t guard_base);
/* An area of `size` bytes at `base` cut into slots of `stride` bytes, each starting with a
 * guard of `guard` bytes (the kernel-stack area). One such area is kept; a later call
 * replaces it. */
void stack_guard_register_striped(uintptr_t base, size_t size, size_t stride, size_t guard,
                                  const char *owner);
/* The owner's name if `address` lies in a registered guard, else NULL. */
const char *stack_guard_owner(uintptr_t address);
