/* What the IDL names from the system's ABI: the error list and the asset kinds (read from
 * include/wingos/error.h and abi.h, so they are defined once), and the handle rights.
 *
 * Rights: the message ABI does not carry an asset's rights yet, so `handle<memory, read|map>`
 * is checked for valid names and recorded in the generated code as documentation; once
 * include/wingos/abi.h has WG_RIGHT_* bits and a received asset's rights can be asked for,
 * set IDLC_ABI_HAS_RIGHTS and the decoders check them (docs/idl.md, "Rights"). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define IDLC_ABI_HAS_RIGHTS 0

/* The WG_ERR_* suffix "NOT_FOUND" -> its number; -1 if there is no such error. */
int tables_error(const char *name);
const char *tables_error_name(int number);

/* An asset kind as the IDL writes it ("memory", "phys_memory", "task"...) -> the
 * WG_ASSET_* suffix ("PHYS_MEMORY"); NULL if unknown. */
const char *tables_asset_kind(const char *name);

/* A right's bit; 0 if the name is not a right. */
uint32_t tables_right(const char *name);

/* The names of the rights in `bits`, "read|map", into `out`. */
void tables_rights_text(uint32_t bits, char *out, unsigned size);
