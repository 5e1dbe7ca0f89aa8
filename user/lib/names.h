/* The name service: servers register their address under a name with the root server
 * (address 0, user/services/nameserver), clients look names up and connect by name. This
 * header defines the wire protocol, shared by the name server and the library functions.
 *
 * Request (a call, WG_IPC_EXPECT_REPLY; entries carry values only):
 *   entry 0   op (bits 0-7, enum wg_name_op) | address << 8 (REGISTER only, else 0)
 *   entry 1-5 the name: up to WG_NAME_MAX bytes, 8 per entry in memory order, NUL-padded
 * Reply:
 *   entry 0   enum wg_error: OK; REGISTER: ALREADY_EXISTS (the name is taken), NO_MEMORY
 *             (the table is full); LOOKUP: NOT_FOUND; any op: INVALID_ARGUMENT (empty name,
 *             bytes after the first NUL, an asset entry, an address on LOOKUP),
 *             NOT_SUPPORTED (unknown op)
 *   entry 1   the address (LOOKUP)
 *
 * A name belongs to the connection it was registered on: when that connection closes (its
 * handle released, or the registering process gone) the name is removed. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wingos/abi.h>
#include <wingos/error.h>

#define WG_NAME_MAX         40 /* bytes in a name, NUL excluded */
#define WG_NAME_OP_BITS     8
#define WG_NAME_ADDRESS_MAX (UINT64_MAX >> WG_NAME_OP_BITS) /* addresses REGISTER can carry */
#define WG_NAME_TIMEOUT_NS  (5ull * 1000000000ull) /* how long the library waits for a server */

enum wg_name_op {
    WG_NAME_OP_REGISTER = 1,
    WG_NAME_OP_LOOKUP = 2,
};

/* Builds a request; WG_ERR_INVALID_ARGUMENT for an empty or NULL name, one longer than
 * WG_NAME_MAX, or an address above WG_NAME_ADDRESS_MAX. */
enum wg_error wg_name_request(struct wg_message *out, enum wg_name_op op, const char *name,
                              uint64_t address);

/* Decodes a request: its op, its address and its name (NUL-terminated in `name`);
 * WG_ERR_INVALID_ARGUMENT when it is malformed (see above), WG_ERR_NOT_SUPPORTED for an
 * unknown op. */
enum wg_error wg_name_decode(const struct wg_message *request, enum wg_name_op *op,
                             char name[WG_NAME_MAX + 1], uint64_t *address);

/* Registers `name` for the server at `address` over a new connection to the root server,
 * returned in *registration: releasing that handle (or the caller's process ending)
 * unregisters the name. Errors: the reply's (ALREADY_EXISTS...), INVALID_ARGUMENT (see
 * wg_name_request, or no registration pointer), NOT_FOUND (no root server), TIMED_OUT (it
 * did not answer within WG_NAME_TIMEOUT_NS), PEER_CLOSED, or a syscall's error. */
enum wg_error wg_name_register(const char *name, uint64_t address, wg_handle *registration);

/* The address registered under `name`; WG_ERR_NOT_FOUND when there is none. Other errors as
 * for wg_name_register. */
enum wg_error wg_name_lookup(const char *name, uint64_t *address);

/* Looks `name` up, connects to it and waits (up to WG_NAME_TIMEOUT_NS) for the server to
 * accept; *connection is then a connection handle of the caller's space. */
enum wg_error wg_connect_by_name(const char *name, wg_handle *connection);
