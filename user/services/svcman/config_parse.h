/* Inside the configuration parser (config.c, config_keys.c): the parser's state and the
 * pieces the two files share. */
#pragma once

#include <lib/string.h>
#include "config.h"

struct svc_parser {
    const char *file;
    struct svc_config *config;
    svc_report report;
    void *context;
    int line;
    bool open;   /* an entry is open */
    bool broken; /* it has a mistake: it will be left out */
    struct svc_entry entry;
};

/* Reports "FILE:LINE: message" and marks the open entry broken. */
void svc_parse_error(struct svc_parser *p, int line, const char *format, ...)
    __attribute__((format(printf, 3, 4)));

/* Parses one `KEY VALUE...` line (count >= 1 words) into the open entry. */
void svc_parse_key(struct svc_parser *p, int count, char **words);

/* A name of 1..SVC_NAME_MAX bytes of [A-Za-z0-9_.-], with one final '#' when `numbered`
 * may be. */
bool svc_valid_name(const char *name, bool numbered);

/* Checks that numbered names ('#') and PCI grants go together. */
void svc_check_numbered(struct svc_parser *p);

/* Copies `text`, already checked to fit in `size` bytes with its NUL (the host's libc has no
 * strlcpy, and the parser is host-tested). */
static inline void svc_copy(char *out, const char *text, size_t size)
{
    size_t length = strnlen(text, size - 1);
    memcpy(out, text, length);
    out[length] = '\0';
}
