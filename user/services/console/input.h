/* The console's input side: bytes received from the UART wait in a ring buffer, READ
 * requests that found it empty wait in a queue, and each side is served as the other comes. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <wingos.h>

#define INPUT_RING_SIZE   4096 /* bytes kept for readers; more are dropped */
#define INPUT_READERS_MAX 16   /* READ requests kept waiting at once */

/* Answers READ `token` of `server` with `err` and `count` bytes (count <= CONSOLE_READ_MAX). */
void input_reply(wg_handle server, uint64_t token, enum wg_error err, const char *bytes,
                 size_t count);

/* Moves every byte the UART holds into the ring, dropping what does not fit; the session's
 * control keys are acted on instead (session.h). */
void input_drain_uart(wg_handle server);

/* A READ of up to `max` bytes (1..CONSOLE_READ_MAX) from `connection`: answered now if input
 * is waiting and no reader is ahead, else kept. ACCESS_DENIED when the connection does not
 * have the keyboard, BUSY when the queue is full. */
enum wg_error input_read(wg_handle server, wg_handle connection, uint64_t token, size_t max);

/* Gives waiting input to waiting readers, oldest first. */
void input_serve_readers(wg_handle server);

/* Answers `err` to the waiting readers of `connection` and forgets them (PEER_CLOSED when it
 * closed, which frees their requests in the kernel). */
void input_answer_readers(wg_handle server, wg_handle connection, enum wg_error err);

/* Answers ACCESS_DENIED to the waiting readers that no longer have the keyboard. */
void input_refuse_background(wg_handle server);
