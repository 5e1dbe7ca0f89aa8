/* Program entry. The kernel starts a program here with rdi = argc, rsi = argv (an array of
 * char * on the user stack), rdx = the EXEC startup value (the standard input/output handle,
 * kept in wg_stdio) and rsp 16-byte aligned; main's return value goes to exit, which
 * flushes printf and ends the task with it. */
    .section .text.start, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    .cfi_startproc
    .cfi_undefined rip          /* the outermost frame: debuggers stop unwinding here */
    xorl %ebp, %ebp
    movq %rdx, wg_stdio(%rip)
    call main
    movslq %eax, %rdi
    call exit
    ud2
    .cfi_endproc
    .size _start, . - _start

    .section .note.GNU-stack, "", @progbits
