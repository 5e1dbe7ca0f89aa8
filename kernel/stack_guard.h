/* Registry of kernel stack guard pages, so a fault on one is reported as a stack overflow. */
#pragma once

#include <stddef.h>
#include <stdint.h>

void stack_guard_register(uintptr_t guard_base, size_t guard_size, const char *owner);
void stack_guard_unregister(uintptr_t guard_base);
/* The owner's name if `address` lies in a registered guard, else NULL. */
const char *stack_guard_owner(uintptr_t address);
