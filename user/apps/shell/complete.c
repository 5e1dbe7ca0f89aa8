/* Tab completion (see complete.h): the candidates that start with the word are gathered;
 * one is completed with a space after it, several are completed as far as they agree, and
 * listed when they agree no further. */
#include <wingos.h>
#include "commands.h"
#include "complete.h"
#include "term.h"

struct candidates {
    const char *prefix;
    size_t prefix_length;
    size_t count;
    char names[COMPLETE_MAX][COMPLETE_NAME_MAX + 1];
};

__attribute__((weak)) void complete_paths(const char *prefix, complete_each each, void *context)
{
    (void)prefix;
    (void)each;
    (void)context;
}

static void offer(void *context, const char *name)
{
    struct candidates *c = context;
    if (strncmp(name, c->prefix, c->prefix_length) != 0 || c->count == COMPLETE_MAX ||
        strlen(name) > COMPLETE_NAME_MAX)
        return;
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->names[i], name) == 0)
            return;
    strlcpy(c->names[c->count++], name, COMPLETE_NAME_MAX + 1);
}

static void offer_names(struct candidates *c)
{
    for (size_t i = 0; commands_name(i); i++)
        offer(c, commands_name(i));
    char name[WG_EXEC_NAME_MAX + 1];
    for (uint64_t index = 0; wg_ok(wg_archive_list(name, sizeof name, index)); index++)
        offer(c, name);
}

/* How many leading bytes all candidates share. */
static size_t agreed_length(const struct candidates *c)
{
    size_t length = strlen(c->names[0]);
    for (size_t i = 1; i < c->count; i++) {
        size_t same = 0;
        while (same < length && c->names[i][same] == c->names[0][same])
            same++;
        length = same;
    }
    return length;
}

/* True if the word at `start` is the first of the line, or follows "run". */
static bool names_a_program(const char *line, size_t start)
{
    size_t at = start;
    while (at > 0 && line[at - 1] == ' ')
        at--;
    return at == 0 ||
           (at >= 3 && strncmp(line + at - 3, "run", 3) == 0 && (at == 3 || line[at - 4] == ' '));
}

void complete_word(const char *line, size_t cursor, struct complete_result *out)
{
    static struct candidates c;
    char prefix[COMPLETE_NAME_MAX + 1];
    size_t start = cursor;
    while (start > 0 && line[start - 1] != ' ')
        start--;
    *out = (struct complete_result){0};
    if (cursor - start > COMPLETE_NAME_MAX)
        return;
    memcpy(prefix, line + start, cursor - start);
    prefix[cursor - start] = '\0';
    c.prefix = prefix;
    c.prefix_length = cursor - start;
    c.count = 0;
    if (names_a_program(line, start))
        offer_names(&c);
    else
        complete_paths(prefix, offer, &c);
    if (c.count == 0)
        return;
    size_t agreed = agreed_length(&c);
    if (c.count == 1 || agreed > c.prefix_length) {
        snprintf(out->insert, sizeof out->insert, "%.*s%s", (int)(agreed - c.prefix_length),
                 c.names[0] + c.prefix_length, c.count == 1 ? " " : "");
        return;
    }
    term_puts("\n");
    for (size_t i = 0; i < c.count; i++)
        term_printf("%s%s", c.names[i], i + 1 < c.count ? "  " : "\n");
    out->listed = true;
}
