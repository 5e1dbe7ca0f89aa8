/* portpoke: touches an I/O port without having been given it. drvtest runs it and expects
 * the kernel to end it with WG_EXIT_FAULT(13) (a general protection fault in user mode).
 * "portpoke" reads COM1's data register (port 0x3f8); "portpoke out" writes COM1's scratch
 * register (0x3ff). Returns 0 if it survived, which is the failure. */
#include <wingos.h>

#define COM1_DATA    0x3f8
#define COM1_SCRATCH 0x3ff

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "out") == 0) {
        __asm__ volatile("outb %0, %1" : : "a"((uint8_t)0x5a), "Nd"((uint16_t)COM1_SCRATCH));
        printf("portpoke: outb to %#x was allowed\n", COM1_SCRATCH);
        return 0;
    }
    uint8_t value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"((uint16_t)COM1_DATA));
    printf("portpoke: inb from %#x was allowed (read %#x)\n", COM1_DATA, value);
    return 0;
}
