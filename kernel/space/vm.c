/* Address spaces over the arch page tables. */
#include "kernel/space/vm.h"
#include "kernel/arch.h"
#include "kernel/mm/kmalloc.h"

struct vm_result vm_create(void)
{
    struct vm_space *vm = kcalloc(1, sizeof(*vm));
    if (!vm)
        return (struct vm_result){.err = WG_ERR_NO_MEMORY};
    struct arch_root_result tree = arch_paging_create_root();
    if (tree.err != WG_ERR_OK) {
        kfree(vm);
        return (struct vm_result){.err = tree.err};
    }
    vm->refs = 1;
    vm->root = tree.root;
    vm->lock = (struct spinlock)SPINLOCK_INIT;
    return (struct vm_result){WG_ERR_OK, vm};
}

void vm_get(struct vm_space *vm)
{
    __atomic_fetch_add(&vm->refs, 1, __ATOMIC_RELAXED);
}

void vm_put(struct vm_space *vm)
{
    if (__atomic_sub_fetch(&vm->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    arch_paging_destroy_root(vm->root);
    kfree(vm);
}

enum wg_error vm_map(struct vm_space *vm, uintptr_t virt, const uint64_t *frames, uint64_t count,
                     unsigned arch_flags)
{
    uint64_t flags = spin_lock_irqsave(&vm->lock);
    enum wg_error err = WG_ERR_OK;
    for (uint64_t i = 0; i < count; i++)
        if (arch_paging_translate(vm->root, virt + i * PAGE_SIZE).err == WG_ERR_OK)
            err = WG_ERR_ALREADY_EXISTS;
    uint64_t done = 0;
    for (; err == WG_ERR_OK && done < count; done++)
        err = arch_paging_map(vm->root, virt + done * PAGE_SIZE, frames[done], arch_flags);
    if (err != WG_ERR_OK) /* undo the part that went in: nothing was visible yet */
        for (uint64_t i = 0; i + 1 < done; i++)
            arch_paging_unmap(vm->root, virt + i * PAGE_SIZE);
    spin_unlock_irqrestore(&vm->lock, flags);
    return err;
}

void vm_unmap(struct vm_space *vm, uintptr_t virt, uint64_t count)
{
    uint64_t flags = spin_lock_irqsave(&vm->lock);
    for (uint64_t i = 0; i < count; i++)
        arch_paging_unmap(vm->root, virt + i * PAGE_SIZE);
    spin_unlock_irqrestore(&vm->lock, flags);
    arch_tlb_shootdown(vm->root, virt, count);
}
