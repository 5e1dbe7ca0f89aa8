/* A small fixed table of guard ranges; lookups happen only while reporting a fault. */
#include "kernel/stack_guard.h"

#define STACK_GUARD_MAX 64

struct stack_guard {
    uintptr_t base;
    size_t size;
    const char *owner;
};

static struct stack_guard guards[STACK_GUARD_MAX];
static struct {
    uintptr_t base;
    size_t size, stride, guard;
    const char *owner;
} striped;

void stack_guard_register(uintptr_t guard_base, size_t guard_size, const char *owner)
{
    for (size_t i = 0; i < STACK_GUARD_MAX; i++) {
        if (guards[i].size == 0) {
            guards[i] = (struct stack_guard){guard_base, guard_size, owner};
            return;
        }
    }
}

void stack_guard_register_striped(uintptr_t base, size_t size, size_t stride, size_t guard,
                                  const char *owner)
{
    if (stride == 0)
        return;
    striped.base = base;
    striped.size = size;
    striped.stride = stride;
    striped.guard = guard;
    striped.owner = owner;
}

void stack_guard_unregister(uintptr_t guard_base)
{
    for (size_t i = 0; i < STACK_GUARD_MAX; i++)
        if (guards[i].size != 0 && guards[i].base == guard_base)
            guards[i].size = 0;
}

const char *stack_guard_owner(uintptr_t address)
{
    if (striped.size != 0 && address - striped.base < striped.size &&
        (address - striped.base) % striped.stride < striped.guard)
        return striped.owner;
    for (size_t i = 0; i < STACK_GUARD_MAX; i++)
        if (guards[i].size != 0 && address - guards[i].base < guards[i].size)
            return guards[i].owner;
    return NULL;
}
