/* Argument checks (see args.h). */
#include <wingos.h>
#include "args.h"
#include "term.h"

bool args_none(int argc, char **argv)
{
    if (argc <= 1)
        return true;
    if (argv[1][0] == '-')
        term_printf("error: %s: unknown option '%s'\n", argv[0], argv[1]);
    else
        term_printf("error: %s takes no arguments\n", argv[0]);
    return false;
}

bool args_number(const char *text, uint64_t *out)
{
    uint64_t value = 0;
    if (!*text)
        return false;
    for (; *text; text++) {
        if (*text < '0' || *text > '9' || value > (UINT64_MAX - 9) / 10)
            return false;
        value = value * 10 + (uint64_t)(*text - '0');
    }
    *out = value;
    return true;
}
