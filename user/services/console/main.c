/* console: the COM1 driver. init starts it with two assets moved into its space and their
 * handle values as arguments: argv[1] the interrupt (ISA IRQ 4), argv[2] the I/O ports
 * 0x3f8-0x3ff. It registers "console" with the name server and serves idl/console.idl
 * through its generated dispatcher: WRITE goes out polled on the transmitter; READ takes
 * from a ring buffer that the receive interrupt fills, and waits while it is empty. Output
 * keeps lines whole (screen.h); the keyboard goes to the foreground (session.h).
 *
 * The main task receives everything: requests, closing notices and interrupt events (the
 * line stays masked from the interrupt until IRQ_ACK). A second task only accepts
 * connections, since a receive cannot also wait for them; it keeps no state (a message
 * names the connection it came on), so the two share nothing. A third (klog.c) moves the
 * kernel's log lines into the console as a client of its own. */
#include <console.h>
#include <console_idl.h>
#include <wingos.h>
#include "clients.h"
#include "input.h"
#include "klog.h"
#include "screen.h"
#include "session.h"
#include "uart.h"

#define ACCEPTOR_STACK_SIZE 4096
#define MS_NS               1000000ull

static struct {
    wg_handle irq, ports, server, registration, acceptor;
    uint64_t address;
} console;

static _Alignas(16) uint8_t acceptor_stack[ACCEPTOR_STACK_SIZE];

/* A handle value from its decimal text; false if the text is not one. */
static bool parse_handle(const char *text, wg_handle *out)
{
    uint64_t value = 0;
    if (!text || !*text)
        return false;
    for (; *text; text++) {
        if (*text < '0' || *text > '9' || value > (UINT64_MAX - 9) / 10)
            return false;
        value = value * 10 + (uint64_t)(*text - '0');
    }
    *out = value;
    return value != 0;
}

/* The second task: accepts connections for as long as the server lives. */
__attribute__((noreturn)) static void acceptor(uint64_t server)
{
    for (;;) {
        struct wg_result accepted = wg_ipc_accept(WG_SELF, server, WG_WAIT_FOREVER);
        if (accepted.err == WG_ERR_KILLED || accepted.err == WG_ERR_PEER_CLOSED)
            wg_task_exit(-(int64_t)accepted.err);
        if (!wg_ok(accepted) && accepted.err != WG_ERR_WOULD_BLOCK)
            wg_sleep(MS_NS); /* out of memory or handles: try again a little later */
    }
}

static enum wg_error start_acceptor(void)
{
    uintptr_t top = (uintptr_t)(acceptor_stack + ACCEPTOR_STACK_SIZE) & ~(uintptr_t)15;
    uintptr_t sp = top - 8; /* as if just called; the return address slot holds 0 */
    struct wg_result task = wg_task_create(WG_SELF, (uintptr_t)acceptor, sp, console.server);
    if (!wg_ok(task))
        return task.err;
    console.acceptor = task.value;
    return wg_task_start(WG_SELF, task.value).err;
}

/* Logs a failed setup step; true if `err` is WG_ERR_OK. */
static bool step(const char *what, enum wg_error err)
{
    if (err != WG_ERR_OK)
        printf("console: %s failed: %s\n", what, wg_error_name(err));
    return err == WG_ERR_OK;
}

/* Opens the ports, binds the interrupt to a new server, turns the receive interrupt on and
 * registers the name; false (after logging why) if a step failed. */
static bool setup(void)
{
    if (!step("IOPORT_ENABLE", wg_ioport_enable(WG_SELF, console.ports).err))
        return false;
    struct wg_result server = wg_ipc_server_create(WG_SELF, 0, &console.address);
    if (!step("IPC_SERVER_CREATE", server.err))
        return false;
    console.server = server.value;
    if (!step("IRQ_BIND", wg_irq_bind(WG_SELF, console.irq, console.server).err))
        return false;
    uart_enable_receive_interrupt();
    input_drain_uart(console.server); /* what was typed before we started */
    if (!step("starting the acceptor", start_acceptor()))
        return false;
    if (!step("registering the name",
              wg_name_register(CONSOLE_NAME, console.address, &console.registration)))
        return false;
    return step("starting the kernel log reader", klog_start(console.address));
}

/* The receive interrupt: empty the UART, unmask the line, then feed waiting readers. */
static void on_interrupt(void)
{
    input_drain_uart(console.server);
    wg_irq_ack(WG_SELF, console.irq);
    input_drain_uart(
        console.server); /* bytes that arrived before the unmask raised no new interrupt */
    input_serve_readers(console.server);
}

static enum wg_error on_write(void *context, struct idl_call *call,
                              const struct console_write_request *request,
                              struct console_write_response *response)
{
    (void)context;
    struct client *client = clients_get(call->connection);
    if (client)
        screen_write(client, (const char *)request->data.data, request->data.length);
    else
        uart_write((const char *)request->data.data, request->data.length); /* table full */
    response->written = request->data.length;
    return WG_ERR_OK;
}

/* Answered now when input waits, else when it comes (the reply is deferred either way). */
static enum wg_error on_read(void *context, struct idl_call *call,
                             const struct console_read_request *request,
                             struct console_read_response *response)
{
    (void)context;
    (void)response;
    if (request->max == 0 || request->max > CONSOLE_READ_MAX)
        return WG_ERR_INVALID_ARGUMENT;
    if (call->token == 0)
        return WG_ERR_OK; /* nobody waits for the bytes */
    if (!clients_get(call->connection))
        return WG_ERR_BUSY;
    enum wg_error err = input_read(console.server, call->connection, call->token, request->max);
    call->deferred = err == WG_ERR_OK;
    return err;
}

static enum wg_error on_identify(void *context, struct idl_call *call,
                                 const struct console_identify_request *request,
                                 struct console_identify_response *response)
{
    (void)context;
    (void)request;
    struct client *client = clients_get(call->connection);
    if (client)
        response->id = client->id;
    return client ? WG_ERR_OK : WG_ERR_NO_MEMORY;
}

static enum wg_error on_claim(void *context, struct idl_call *call,
                              const struct console_claim_request *request,
                              struct console_claim_response *response)
{
    (void)context;
    (void)request;
    (void)response;
    struct client *client = clients_get(call->connection);
    return client ? session_claim(client) : WG_ERR_NO_MEMORY;
}

static enum wg_error on_foreground(void *context, struct idl_call *call,
                                   const struct console_foreground_request *request,
                                   struct console_foreground_response *response)
{
    (void)context;
    (void)response;
    struct client *client = clients_find(call->connection);
    return client ? session_foreground(console.server, client, request->id) : WG_ERR_ACCESS_DENIED;
}

static enum wg_error on_events(void *context, struct idl_call *call,
                               const struct console_events_request *request,
                               struct console_events_response *response)
{
    (void)context;
    (void)request;
    struct client *client = clients_find(call->connection);
    return client ? session_events(client, &response->events) : WG_ERR_ACCESS_DENIED;
}

/* Answered when the user interrupts the connection's job (the reply is deferred). */
static enum wg_error on_wait_signal(void *context, struct idl_call *call,
                                    const struct console_wait_signal_request *request,
                                    struct console_wait_signal_response *response)
{
    (void)context;
    (void)request;
    (void)response;
    struct client *client = clients_get(call->connection);
    if (!client)
        return WG_ERR_NO_MEMORY;
    if (call->token == 0)
        return WG_ERR_OK;
    session_wait_signal(console.server, client, call->token);
    call->deferred = true;
    return WG_ERR_OK;
}

static const struct console_handlers handlers = {
    .write = on_write,
    .read = on_read,
    .identify = on_identify,
    .claim = on_claim,
    .foreground = on_foreground,
    .events = on_events,
    .wait_signal = on_wait_signal,
};

/* A connection closed: its lines end, its readers and signal waiter are answered. */
static void on_closed(wg_handle connection)
{
    struct client *client = clients_find(connection);
    input_answer_readers(console.server, connection, WG_ERR_PEER_CLOSED);
    if (client) {
        screen_forget(client);
        session_forget(console.server, client);
        clients_free(client);
    }
    wg_asset_release(WG_SELF, connection);
}

static void serve(void)
{
    for (;;) {
        struct wg_message message;
        struct wg_result got = wg_ipc_receive(WG_SELF, console.server, &message, WG_WAIT_FOREVER);
        if (!step("IPC_RECEIVE", got.err))
            return;
        if (message.event == WG_IPC_EVENT_INTERRUPT) {
            on_interrupt();
        } else if (message.event == WG_IPC_EVENT_CLOSED) {
            on_closed(message.connection);
        } else {
            console_dispatch(&handlers, NULL, console.server, &message, got.value);
        }
    }
}

int main(int argc, char **argv)
{
    if (argc != 3 || !parse_handle(argv[1], &console.irq) ||
        !parse_handle(argv[2], &console.ports)) {
        printf("console: usage: console IRQ-HANDLE PORTS-HANDLE (decimal)\n");
        return -(int)WG_ERR_INVALID_ARGUMENT;
    }
    if (setup()) {
        printf("console: COM1 driver serving as \"%s\" (IPC address %llu)\n", CONSOLE_NAME,
               (unsigned long long)console.address);
        serve();
    }
    if (console.acceptor != 0)
        wg_task_kill(WG_SELF, console.acceptor); /* so the process ends with this task */
    return 1;
}
