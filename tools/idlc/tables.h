/* What the IDL names from the system's ABI: the error list and the asset kinds (read from
 * include/wingos/error.h and abi.h, so they are defined once), and the handle rights.
 * The rights are abi.h's WG_RIGHT_LIST in lower case ("read", "map", ...). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* The WG_ERR_* suffix "NOT_FOUND" -> its number; -1 if there is no such error. */
int tables_error(const char *name);
const char *tables_error_name(int number);

/* An asset kind as the IDL writes it ("memory", "phys_memory", "task"...) -> the
 * WG_ASSET_* suffix ("PHYS_MEMORY"); NULL if unknown. */
const char *tables_asset_kind(const char *name);

/* A right's bit ("map" -> WG_RIGHT_MAP); 0 if the name is not a right. */
uint32_t tables_right(const char *name);

/* The names of the rights in `bits`, "read|map", into `out`. */
void tables_rights_text(uint32_t bits, char *out, unsigned size);
/* The same as a C expression, "WG_RIGHT_READ | WG_RIGHT_MAP" ("0" for none). */
void tables_rights_c(uint32_t bits, char *out, unsigned size);

/* abi.h's description of syscall NAME ("SPACE_CREATE"), for the docs; "" if not listed. */
const char *tables_syscall_doc(const char *name);
