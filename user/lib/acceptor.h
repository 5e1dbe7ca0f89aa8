/* A server's second task that only accepts connections (a receive cannot wait for new
 * connections too): it runs until the server closes or the task is killed. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <wingos/abi.h>

/* Starts the acceptor for `server` on `stack` (`size` bytes, kept for the task's life);
 * its task handle in *task. */
enum wg_error wg_acceptor_start(wg_handle server, void *stack, size_t size, wg_handle *task);
