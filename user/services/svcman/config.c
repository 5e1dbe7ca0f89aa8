/* The configuration parser (config.h): one line at a time, split into words; a `service`
 * line opens an entry, every other line is a key of the open entry (config_keys.c). The
 * entry is kept when it closes without a mistake. */
#include <lib/fmt.h>
#include <lib/string.h>
#include "config_parse.h"

#define WORDS_MAX 16

/* True if `length` bytes at `text` hold a NUL (a binary file is refused line by line). */
static bool memchr_nul(const char *text, size_t length)
{
    for (size_t i = 0; i < length; i++)
        if (text[i] == '\0')
            return true;
    return false;
}

static void entry_defaults(struct svc_entry *e, int line)
{
    memset(e, 0, sizeof *e);
    e->priority = -1;
    e->node = -1;
    e->restart = SVC_RESTART_ON_FAILURE;
    e->limit_count = 5;
    e->limit_window_ms = 30000;
    e->backoff_min_ms = 100;
    e->backoff_max_ms = 5000;
    e->line = line;
}

void svc_parse_error(struct svc_parser *p, int line, const char *format, ...)
{
    char message[SVC_MESSAGE_MAX];
    size_t used = fmt_snprintf(message, sizeof message, "%s:%d: ", p->file, line);
    va_list args;
    va_start(args, format);
    if (used < sizeof message)
        fmt_vsnprintf(message + used, sizeof message - used, format, args);
    va_end(args);
    p->config->errors++;
    p->broken = true;
    if (p->report)
        p->report(p->context, message);
}

/* Checks a finished entry as a whole and keeps it if it has no mistake. */
static void close_entry(struct svc_parser *p)
{
    struct svc_entry *e = &p->entry;
    if (!p->open)
        return;
    p->open = false;
    if (!p->broken && e->program[0] == '\0')
        svc_parse_error(p, e->line, "service %s: no program", e->name);
    if (!p->broken && e->cpu_mask != 0 && e->node >= 0)
        svc_parse_error(p, e->line, "service %s: both cpu and node", e->name);
    if (!p->broken)
        svc_check_numbered(p);
    if (p->broken)
        return;
    if (p->config->count >= SVC_MAX) {
        svc_parse_error(p, e->line, "service %s: more than %d services", e->name, SVC_MAX);
        return;
    }
    p->config->entries[p->config->count++] = *e;
}

static void open_entry(struct svc_parser *p, int count, char **words)
{
    close_entry(p);
    p->open = true;
    p->broken = false;
    entry_defaults(&p->entry, p->line);
    if (count != 2) {
        svc_parse_error(p, p->line, "service takes one name");
        return;
    }
    if (!svc_valid_name(words[1], false)) {
        svc_parse_error(p, p->line, "bad service name '%.40s'", words[1]);
        return;
    }
    svc_copy(p->entry.name, words[1], sizeof p->entry.name);
    if (svc_config_find(p->config, words[1]))
        svc_parse_error(p, p->line, "service %s defined twice", words[1]);
}

/* Splits `line` in place into at most WORDS_MAX words; -1 for more. A word starting with
 * '#' starts a comment (inside a word, as in "blk#", it is part of the word). */
static int split(char *line, char **words)
{
    int count = 0;
    for (char *c = line;;) {
        while (*c == ' ' || *c == '\t' || *c == '\r')
            *c++ = '\0';
        if (*c == '\0' || *c == '#')
            return count;
        if (count == WORDS_MAX)
            return -1;
        words[count++] = c;
        while (*c && *c != ' ' && *c != '\t' && *c != '\r')
            c++;
    }
}

static void parse_line(struct svc_parser *p, char *line)
{
    char *words[WORDS_MAX];
    int count = split(line, words);
    if (count < 0) {
        svc_parse_error(p, p->line, "more than %d words", WORDS_MAX);
        return;
    }
    if (count == 0)
        return;
    if (strcmp(words[0], "service") == 0) {
        open_entry(p, count, words);
        return;
    }
    if (!p->open) {
        svc_parse_error(p, p->line, "'%.40s' outside a service", words[0]);
        p->broken = false; /* no entry to leave out */
        return;
    }
    svc_parse_key(p, count, words);
}

void svc_config_parse(const char *file, const char *text, size_t length, struct svc_config *out,
                      svc_report report, void *context)
{
    static struct svc_parser parser; /* an entry is large: not on a small stack */
    struct svc_parser *p = &parser;
    memset(p, 0, sizeof *p);
    memset(out, 0, sizeof *out);
    *p = (struct svc_parser){.file = file, .config = out, .report = report, .context = context};
    char line[SVC_LINE_MAX + 1];
    size_t at = 0;
    while (at < length) {
        size_t end = at;
        while (end < length && text[end] != '\n')
            end++;
        p->line++;
        if (end - at > SVC_LINE_MAX || memchr_nul(text + at, end - at)) {
            svc_parse_error(p, p->line,
                            end - at > SVC_LINE_MAX ? "line longer than %d bytes"
                                                    : "a NUL byte in line (%d max)",
                            SVC_LINE_MAX);
        } else {
            memcpy(line, text + at, end - at);
            line[end - at] = '\0';
            parse_line(p, line);
        }
        at = end + 1;
    }
    close_entry(p);
}

const struct svc_entry *svc_config_find(const struct svc_config *config, const char *name)
{
    for (int i = 0; i < config->count; i++)
        if (strcmp(config->entries[i].name, name) == 0)
            return &config->entries[i];
    return NULL;
}
