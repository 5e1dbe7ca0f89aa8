/* Inter-processor interrupts: reschedule, TLB shootdown, and the NMI that stops every CPU
 * on a panic. */
#include "ipi.h"
#include "cr.h"
#include "cpu.h"
#include "percpu.h"
#include "lapic.h"
#include "interrupt.h"
#include "kernel/arch.h"
#include "kernel/panic.h"
#include "kernel/sync/spinlock.h"

#define SHOOTDOWN_FULL_FLUSH 64 /* pages: beyond this, reloading CR3 is cheaper */

static struct spinlock shootdown_lock = SPINLOCK_INIT;
static struct {
    uint64_t root; /* 0: kernel address, every CPU */
    uintptr_t virt;
    size_t pages;
    volatile unsigned pending;
} shootdown;

static void on_reschedule(struct interrupt_frame *frame)
{
    (void)frame;
    lapic_eoi();
    cpu_request_resched();
}

static void flush_local(uintptr_t virt, size_t pages)
{
    if (pages > SHOOTDOWN_FULL_FLUSH) {
        uint64_t cr4 = read_cr4(); /* toggling PGE drops global entries too */
        write_cr4(cr4 & ~CR4_PGE);
        write_cr4(cr4);
        return;
    }
    for (size_t i = 0; i < pages; i++)
        invlpg(virt + i * PAGE_SIZE);
}

static void on_shootdown(struct interrupt_frame *frame)
{
    (void)frame;
    flush_local(shootdown.virt, shootdown.pages);
    __atomic_fetch_sub(&shootdown.pending, 1, __ATOMIC_RELEASE);
    lapic_eoi();
}

void ipi_init(void)
{
    interrupt_register(VECTOR_RESCHEDULE, on_reschedule);
    interrupt_register(VECTOR_TLB, on_shootdown);
}

void arch_send_reschedule(unsigned index)
{
    struct arch_cpu *target = arch_cpu_of(index);
    if (!target || !target->online || target == percpu_this())
        return;
    lapic_send_ipi(target->apic_id, VECTOR_RESCHEDULE);
}

static bool shootdown_target(struct arch_cpu *target, uint64_t root)
{
    if (!target || !target->online || target == percpu_this())
        return false;
    return root == 0 || target->active_root == root;
}

void arch_tlb_shootdown(uint64_t root, uintptr_t virt, size_t pages)
{
    if (virt >= HHDM_BASE)
        root = 0;
    unsigned count_all = percpu_count();
    if (count_all < 2 || pages == 0)
        return;
    /* Wait for the lock with interrupts on, so we keep answering the holder's IPIs; hold it
     * with interrupts off, so we are not preempted by a task that wants it too. */
    kassert(arch_irq_enabled());
    uint64_t flags;
    for (;;) {
        flags = arch_irq_save();
        if (spin_trylock(&shootdown_lock))
            break;
        arch_irq_restore(flags);
        cpu_relax();
    }
    shootdown.root = root;
    shootdown.virt = virt;
    shootdown.pages = pages;
    /* One decision per CPU, used for both the count and the IPIs: a CPU switching trees
     * meanwhile must not be counted without being asked (or the reverse). */
    uint64_t targets = 0; /* bit n: CPU n (ARCH_MAX_CPUS is 64) */
    unsigned count = 0;
    for (unsigned i = 0; i < count_all; i++)
        if (shootdown_target(arch_cpu_of(i), root)) {
            targets |= 1ULL << i;
            count++;
        }
    shootdown.pending = count;
    for (unsigned i = 0; i < count_all; i++)
        if (targets & (1ULL << i))
            lapic_send_ipi(arch_cpu_of(i)->apic_id, VECTOR_TLB);
    while (__atomic_load_n(&shootdown.pending, __ATOMIC_ACQUIRE) != 0)
        cpu_relax();
    spin_unlock_irqrestore(&shootdown_lock, flags);
}

void arch_stop_other_cpus(void)
{
    if (percpu_count() > 1)
        lapic_send_nmi_all_others();
}
