/* The COM1 UART registers, reached with in/out from user mode (the I/O port asset init gave
 * us, enabled for our space). */
#include "uart.h"

#define REG_DATA     0 /* receive buffer / transmit holding (DLAB 0) */
#define REG_IER      1
#define REG_IIR      2
#define REG_MCR      4
#define REG_LSR      5
#define REG_MSR      6
#define IER_RX_DATA  0x01
#define MCR_DTR      0x01
#define MCR_RTS      0x02
#define MCR_OUT2     0x08
#define LSR_RX_READY 0x01
#define LSR_TX_EMPTY 0x20

static inline uint8_t port_in(uint16_t port)
{
    uint8_t value;
    __asm__ volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
    return value;
}

static inline void port_out(uint16_t port, uint8_t value)
{
    __asm__ volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

void uart_enable_receive_interrupt(void)
{
    port_out(UART_PORT_BASE + REG_MCR, MCR_DTR | MCR_RTS | MCR_OUT2);
    port_out(UART_PORT_BASE + REG_IER, IER_RX_DATA);
    (void)port_in(UART_PORT_BASE + REG_IIR); /* reading these clears their causes */
    (void)port_in(UART_PORT_BASE + REG_LSR);
    (void)port_in(UART_PORT_BASE + REG_MSR);
}

static void uart_put(uint8_t byte)
{
    while (!(port_in(UART_PORT_BASE + REG_LSR) & LSR_TX_EMPTY))
        __asm__ volatile("pause");
    port_out(UART_PORT_BASE + REG_DATA, byte);
}

void uart_write(const char *bytes, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        if (bytes[i] == '\n')
            uart_put('\r');
        uart_put((uint8_t)bytes[i]);
    }
}

bool uart_readable(void)
{
    return port_in(UART_PORT_BASE + REG_LSR) & LSR_RX_READY;
}

uint8_t uart_read(void)
{
    return port_in(UART_PORT_BASE + REG_DATA);
}
