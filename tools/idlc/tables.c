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

/* The rights a handle type may name, with the bit each will have in the ABI. Update this
 * table with WG_RIGHT_* when the ABI gains them. */
static const struct {
    const char *name;
    uint32_t bit;
} rights[] = {
    {"read", 1u << 0}, {"write", 1u << 1},    {"exec", 1u << 2},
    {"map", 1u << 3},  {"transfer", 1u << 4}, {"duplicate", 1u << 5},
};

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
        if (strcmp(rights[i].name, name) == 0)
            return rights[i].bit;
    return 0;
}

void tables_rights_text(uint32_t bits, char *out, unsigned size)
{
    unsigned used = 0;
    out[0] = '\0';
    for (unsigned i = 0; i < sizeof rights / sizeof rights[0]; i++) {
        if (!(bits & rights[i].bit))
            continue;
        int n = snprintf(out + used, size - used, "%s%s", used ? "|" : "", rights[i].name);
        if (n < 0 || (unsigned)n >= size - used)
            return;
        used += (unsigned)n;
    }
}
