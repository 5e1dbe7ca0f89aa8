/* Who has the keyboard. The controller (the shell, after CLAIM) has it while no job has;
 * FOREGROUND gives it to a job's connection (shared by the job's children). While a job has
 * it, Ctrl-C interrupts the job (its readers are answered KILLED, its WAIT_SIGNAL signal 1)
 * and Ctrl-Z gives the keyboard back to the controller; both are reported to the controller
 * by EVENTS, and the shell decides the rest (kill, suspend). Before any claim, everyone
 * reads. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wingos.h>

#include "clients.h"

#define SESSION_EVENT_INTERRUPT 1u
#define SESSION_EVENT_SUSPEND   2u
#define SESSION_KEY_INTERRUPT   0x03 /* Ctrl-C */
#define SESSION_KEY_SUSPEND     0x1a /* Ctrl-Z */

/* True if `client` may read the keyboard now. */
bool session_may_read(const struct client *client);

/* True if `key` is one the session takes (while a job has the keyboard): it then acts on
 * it, answering through `server`. */
bool session_key(wg_handle server, uint8_t key);

enum wg_error session_claim(const struct client *client);
enum wg_error session_foreground(wg_handle server, const struct client *client, uint32_t id);
enum wg_error session_events(const struct client *client, uint32_t *events);

/* WAIT_SIGNAL: keeps the reply token; an older one of the client is answered BUSY. */
void session_wait_signal(wg_handle server, struct client *client, uint64_t token);

/* `client` is closing: it no longer controls or has the keyboard; its WAIT_SIGNAL is
 * answered PEER_CLOSED. */
void session_forget(wg_handle server, struct client *client);
