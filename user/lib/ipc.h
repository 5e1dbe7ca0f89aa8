/* Calls and server loops that take the short-message path when they can
 * (docs/ipc.md#short-messages): a message whose only content is its first
 * WG_IPC_SHORT_WORDS values travels in registers, anything else through memory. Both ends
 * see whole struct wg_message values either way, in the caller's own space (WG_SELF). */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wingos/abi.h>

#include "syscall.h"

/* Whether `message` can travel in registers: no entry flags, values past the short words 0. */
bool wg_message_is_short(const struct wg_message *message);

/* IPC_CALL_SHORT: `words` out, the reply's words back; *long_id 0, or the id of a reply too
 * long for registers (collect it with wg_ipc_receive_reply; `reply` is then all 0). */
static inline enum wg_error wg_ipc_call_words(wg_handle connection, const uint64_t *words,
                                              uint64_t timeout_ns, uint64_t *reply,
                                              uint64_t *long_id)
{
    register uint64_t r10 __asm__("r10") = words[2];
    register uint64_t r8 __asm__("r8") = words[3];
    register uint64_t r9 __asm__("r9") = timeout_ns;
    uint64_t rax = WG_SYS_IPC_CALL_SHORT, rdi = connection, rsi = words[0], rdx = words[1];
    __asm__ volatile("syscall"
                     : "+a"(rax), "+D"(rdi), "+S"(rsi), "+d"(rdx), "+r"(r10), "+r"(r8)
                     : "r"(r9)
                     : "rcx", "r11", "memory");
    reply[0] = rdx;
    reply[1] = rdi;
    reply[2] = rsi;
    reply[3] = r10;
    *long_id = r8;
    return (enum wg_error)rax;
}

/* IPC_REPLY_RECEIVE_SHORT: replies `words` to `token` (0: none), then waits for ever for
 * the next message. Its token is returned in *token, its words in `in`, and *connection is
 * its connection, or 0 when the next message is not short (receive it with wg_ipc_receive).
 * `in` may be `words` (a server answering in place). */
static inline enum wg_error wg_ipc_reply_receive_words(wg_handle server, uint64_t *token,
                                                       const uint64_t *words, uint64_t *in,
                                                       wg_handle *connection)
{
    register uint64_t r10 __asm__("r10") = words[1];
    register uint64_t r8 __asm__("r8") = words[2];
    register uint64_t r9 __asm__("r9") = words[3];
    uint64_t rax = WG_SYS_IPC_REPLY_RECEIVE_SHORT, rdi = server, rsi = *token, rdx = words[0];
    __asm__ volatile("syscall"
                     : "+a"(rax), "+D"(rdi), "+S"(rsi), "+d"(rdx), "+r"(r10), "+r"(r8), "+r"(r9)
                     :
                     : "rcx", "r11", "memory");
    *token = rdx;
    *connection = rdi;
    in[0] = rsi;
    in[1] = r10;
    in[2] = r8;
    in[3] = r9;
    return (enum wg_error)rax;
}

/* A call: IPC_CALL_SHORT when `request` is short (a long reply is then collected at once),
 * IPC_CALL otherwise. The value of the result is 0. */
struct wg_result wg_call(wg_handle connection, const struct wg_message *request,
                         struct wg_message *reply, uint64_t timeout_ns);

/* A server loop's step: the reply to `token` (0: none), then the next message into `out`;
 * the value is its reply token (0 if it expects none). IPC_REPLY_RECEIVE_SHORT when the wait
 * is for ever and the reply short, IPC_REPLY_RECEIVE otherwise, as that syscall documents. */
struct wg_result wg_reply_receive(wg_handle server, uint64_t token, const struct wg_message *reply,
                                  struct wg_message *out, uint64_t timeout_ns);
