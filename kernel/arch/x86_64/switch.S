/* Task context switch and the first entry of a new task. Only callee-saved registers are
 * switched: everything else was saved by the C caller (or by the interrupt stub). */
        .text
        .globl arch_context_switch
/* void arch_context_switch(uint64_t *save_rsp, uint64_t load_rsp) */
arch_context_switch:
        pushq %rbp
        pushq %rbx
        pushq %r12
        pushq %r13
        pushq %r14
        pushq %r15
        movq %rsp, (%rdi)
        movq %rsi, %rsp
        popq %r15
        popq %r14
        popq %r13
        popq %r12
        popq %rbx
        popq %rbp
        ret

/* A new task's stack is built so the pops above land here with a zero frame pointer. */
        .globl task_bootstrap
task_bootstrap:
        xorl %ebp, %ebp
        call task_first_run
        ud2
