/* Tables of errors, asset kinds and rights for the IDL compiler (see tables.h). */
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <wingos/abi.h>
#include <wingos/error.h>
#include "tables.h"

static const char *const errors[] = {
#define TABLES_ERROR(name, text) #name,
    WG_ERROR_LIST(TABLES_ERROR)
#undef TABLES_ERROR
};

static const char *const kinds[] = {
#define TABLES_KIND(name, text) #name,
    WG_ASSET_KIND_LIST(TABLES_KIND)
#undef TABLES_KIND
};

/* The rights a handle type may name: the ABI's WG_RIGHT_LIST, spelled in lower case. */
static const struct {
    const char *name; /* "READ" */
    uint32_t bit;
} rights[] = {
#define TABLES_RIGHT(name, bit, text) {#name, 1u << (bit)},
    WG_RIGHT_LIST(TABLES_RIGHT)
#undef TABLES_RIGHT
};

static const struct {
    const char *name, *doc;
} syscalls[] = {
#define TABLES_SYSCALL(name, count, text) {#name, text},
    WG_SYSCALL_LIST(TABLES_SYSCALL)
#undef TABLES_SYSCALL
};

const char *tables_syscall_doc(const char *name)
{
    for (unsigned i = 0; i < sizeof syscalls / sizeof syscalls[0]; i++)
        if (strcmp(syscalls[i].name, name) == 0)
            return syscalls[i].doc;
    return "";
}

int tables_error(const char *name)
{
    for (int i = 0; i < WG_ERROR_COUNT; i++)
        if (strcmp(errors[i], name) == 0)
            return i;
    return -1;
}

const char *tables_error_name(int number)
{
    return number >= 0 && number < WG_ERROR_COUNT ? errors[number] : "UNKNOWN";
}

/* The IDL spells asset kinds in lower case only. */
static bool lower_case(const char *name)
{
    for (; *name; name++)
        if (*name >= 'A' && *name <= 'Z')
            return false;
    return true;
}

const char *tables_asset_kind(const char *name)
{
    if (strcmp(name, "memory") == 0)
        return "PHYS_MEMORY";
    for (unsigned i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (lower_case(name) && strcasecmp(kinds[i], name) == 0)
            return kinds[i];
    return NULL;
}

uint32_t tables_right(const char *name)
{
    for (unsigned i = 0; i < sizeof rights / sizeof rights[0]; i++)
        if (lower_case(name) && strcasecmp(rights[i].name, name) == 0)
            return rights[i].bit;
    return 0;
}

/* The rights in `bits`, as IDL names (`lower`) or C constants, joined by `separator`;
 * `none` when there are none. */
static void rights_join(uint32_t bits, char *out, unsigned size, bool lower, const char *separator,
                        const char *none)
{
    unsigned used = 0;
    snprintf(out, size, "%s", none);
    for (unsigned i = 0; i < sizeof rights / sizeof rights[0]; i++) {
        if (!(bits & rights[i].bit))
            continue;
        char name[32];
        snprintf(name, sizeof name, "%s", rights[i].name);
        for (char *c = name; lower && *c; c++)
            *c = (char)(*c - 'A' + 'a');
        int n = snprintf(out + used, size - used, "%s%s%s", used ? separator : "",
                         lower ? "" : "WG_RIGHT_", name);
        if (n < 0 || (unsigned)n >= size - used)
            return;
        used += (unsigned)n;
    }
}

void tables_rights_text(uint32_t bits, char *out, unsigned size)
{
    rights_join(bits, out, size, true, "|", "");
}

void tables_rights_c(uint32_t bits, char *out, unsigned size)
{
    rights_join(bits, out, size, false, " | ", "0");
}
