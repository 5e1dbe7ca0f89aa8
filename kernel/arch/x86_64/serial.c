#include "serial.h"
#include "port_io.h"
#include "cpu.h"
/* COM1 serial port, polled: the kernel's console for early boot, logs and panics. */

#define COM1         0x3f8
#define REG_DATA     0
#define REG_IER      1
#define REG_FIFO     2
#define REG_LCR      3
#define REG_MCR      4
#define REG_LSR      5
#define LSR_RX_READY 0x01
#define LSR_TX_EMPTY 0x20
#define LCR_DLAB     0x80
#define LCR_8N1      0x03
#define BAUD_DIVISOR 1 /* 115200 baud */

void serial_init(void)
{
    outb(COM1 + REG_IER, 0x00);
    outb(COM1 + REG_LCR, LCR_DLAB);
    outb(COM1 + REG_DATA, BAUD_DIVISOR & 0xff);
    outb(COM1 + REG_IER, BAUD_DIVISOR >> 8);
    outb(COM1 + REG_LCR, LCR_8N1);
    outb(COM1 + REG_FIFO, 0xc7); /* enable and clear FIFOs, 14-byte threshold */
    outb(COM1 + REG_MCR, 0x03);  /* DTR and RTS */
}

static void serial_put(char c)
{
    while (!(inb(COM1 + REG_LSR) & LSR_TX_EMPTY))
        cpu_relax();
    outb(COM1 + REG_DATA, (uint8_t)c);
}

void serial_write(const char *chars, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (chars[i] == '\n')
            serial_put('\r');
        serial_put(chars[i]);
    }
}

int serial_read_nonblocking(void)
{
    if (!(inb(COM1 + REG_LSR) & LSR_RX_READY))
        return -1;
    return inb(COM1 + REG_DATA);
}
