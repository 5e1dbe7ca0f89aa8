/* The name service: servers register their address under a name with the root server
 * (address 0, user/services/nameserver), clients look names up and connect by name. The
 * protocol is idl/names.idl (NameService); its generated code (names_idl.h) does the
 * encoding and checking, these calls wrap it.
 *
 * A name belongs to the connection it was registered on: when that connection closes (its
 * handle released, or the registering process gone) the name is removed. */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <wingos/abi.h>
#include <wingos/error.h>

#define WG_NAME_MAX        40 /* bytes in a name, NUL excluded (string:40 in names.idl) */
#define WG_NAME_TIMEOUT_NS (5ull * 1000000000ull) /* how long the library waits for a server */

/* Registers `name` for the server at `address` over a new connection to the root server,
 * returned in *registration: releasing that handle (or the caller's process ending)
 * unregisters the name. Errors: the server's (ALREADY_EXISTS, NO_MEMORY...),
 * INVALID_ARGUMENT (an empty or NULL name, one longer than WG_NAME_MAX, no registration
 * pointer), NOT_FOUND (no root server), TIMED_OUT (it did not answer within
 * WG_NAME_TIMEOUT_NS), PEER_CLOSED, or a syscall's error. */
enum wg_error wg_name_register(const char *name, uint64_t address, wg_handle *registration);

/* The address registered under `name`; WG_ERR_NOT_FOUND when there is none. Other errors as
 * for wg_name_register. */
enum wg_error wg_name_lookup(const char *name, uint64_t *address);

/* Looks `name` up, connects to it and waits (up to WG_NAME_TIMEOUT_NS) for the server to
 * accept; *connection is then a connection handle of the caller's space. */
enum wg_error wg_connect_by_name(const char *name, wg_handle *connection);
