/* The keys of a service entry (docs/services.md#the-configuration): each checks its words
 * and fills the open entry, or reports a mistake. */
#include <lib/string.h>
#include "config_parse.h"

#define DURATION_MAX_MS 3600000u /* an hour */

/* Reports a mistake on this line (or `line`) and leaves the key's function. */
#define FAIL(...) FAIL_AT(p->line, __VA_ARGS__)
#define FAIL_AT(line, ...)                     \
    do {                                       \
        svc_parse_error(p, line, __VA_ARGS__); \
        return;                                \
    } while (0)

bool svc_valid_name(const char *name, bool numbered)
{
    size_t length = strlen(name);
    if (length == 0 || length > SVC_NAME_MAX)
        return false;
    for (size_t i = 0; i < length; i++) {
        char c = name[i];
        bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '_' || c == '.' || c == '-';
        if (!plain && !(numbered && c == '#' && i == length - 1 && i > 0))
            return false;
    }
    return true;
}

/* A decimal or 0x-hexadecimal number up to `max`. */
static bool number(const char *text, uint32_t max, uint32_t *out)
{
    unsigned base = 10;
    if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X') && text[2] != '\0') {
        base = 16;
        text += 2;
    }
    uint64_t value = 0;
    if (*text == '\0')
        return false;
    for (; *text; text++) {
        char c = *text;
        unsigned digit = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
                         : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                         : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                                : 99;
        if (digit >= base)
            return false;
        value = value * base + digit;
        if (value > max)
            return false;
    }
    *out = (uint32_t)value;
    return true;
}

/* "250ms" or "3s", at most an hour, in milliseconds. */
static bool duration(const char *text, uint32_t *ms)
{
    char digits[12];
    size_t length = strlen(text), unit;
    if (length > 2 && strcmp(text + length - 2, "ms") == 0)
        unit = 2;
    else if (length > 1 && text[length - 1] == 's')
        unit = 1;
    else
        return false;
    if (length - unit >= sizeof digits)
        return false;
    memcpy(digits, text, length - unit);
    digits[length - unit] = '\0';
    uint32_t value;
    uint32_t max = unit == 2 ? DURATION_MAX_MS : DURATION_MAX_MS / 1000;
    if (!number(digits, max, &value))
        return false;
    *ms = unit == 2 ? value : value * 1000;
    return true;
}

/* Hex fields "A:B" or "A:B:C" (each up to `max`); the count of fields in *fields. */
static bool hex_fields(const char *text, uint32_t max, uint32_t out[3], int *fields)
{
    char part[8];
    *fields = 0;
    while (*fields < 3) {
        size_t length = 0;
        while (text[length] && text[length] != ':')
            length++;
        if (length == 0 || length > 4)
            return false;
        memcpy(part, "0x", 2);
        memcpy(part + 2, text, length);
        part[2 + length] = '\0';
        if (!number(part, max, &out[(*fields)++]))
            return false;
        if (text[length] == '\0')
            return true;
        text += length + 1;
    }
    return false;
}

static void key_program(struct svc_parser *p, int count, char **words)
{
    struct svc_entry *e = &p->entry;
    if (count < 2)
        FAIL("program needs a name");
    if (e->program[0])
        FAIL("service %s: program given twice", e->name);
    if (!svc_valid_name(words[1], false))
        FAIL("bad program name '%.40s'", words[1]);
    if (count - 2 > SVC_ARGS_MAX)
        FAIL("more than %d arguments", SVC_ARGS_MAX);
    for (int i = 2; i < count; i++)
        if (strlen(words[i]) > SVC_ARG_MAX)
            FAIL("argument longer than %d bytes", SVC_ARG_MAX);
    svc_copy(e->program, words[1], sizeof e->program);
    for (int i = 2; i < count; i++)
        svc_copy(e->args[e->argc++], words[i], sizeof e->args[0]);
}

/* `provides` and `needs`: names added to `list` (holding *used of `max`). */
static void key_names(struct svc_parser *p, int count, char **words, char (*list)[SVC_NAME_MAX + 1],
                      int *used, int max)
{
    if (count < 2)
        FAIL("%s needs a name", words[0]);
    if (*used + count - 1 > max)
        FAIL("more than %d names in %s", max, words[0]);
    for (int i = 1; i < count; i++)
        if (!svc_valid_name(words[i], true))
            FAIL("bad name '%.40s'", words[i]);
    for (int i = 1; i < count; i++)
        svc_copy(list[(*used)++], words[i], SVC_NAME_MAX + 1);
}

static void key_provides(struct svc_parser *p, int count, char **words)
{
    key_names(p, count, words, p->entry.provides, &p->entry.provides_count, SVC_PROVIDES_MAX);
}

static void key_needs(struct svc_parser *p, int count, char **words)
{
    key_names(p, count, words, p->entry.needs, &p->entry.needs_count, SVC_NEEDS_MAX);
}

/* The words of a grant after `grant` as one resource; false if malformed. */
static bool grant_of(int count, char **words, struct svc_grant *g)
{
    int fields;
    uint32_t v[3];
    *g = (struct svc_grant){0};
    if (count == 3 && strcmp(words[1], "irq") == 0) {
        g->kind = SVC_GRANT_IRQ;
        return number(words[2], 15, &g->a);
    }
    if (count == 3 && strcmp(words[1], "ports") == 0) {
        char *dash = strchr(words[2], '-');
        uint32_t last;
        if (!dash)
            return false;
        *dash = '\0';
        g->kind = SVC_GRANT_PORTS;
        if (!number(words[2], 0xffff, &g->a) || !number(dash + 1, 0xffff, &last) || last < g->a)
            return false;
        g->b = last - g->a + 1;
        return true;
    }
    if (count == 3 && strcmp(words[1], "pci") == 0) {
        g->kind = SVC_GRANT_PCI_ID;
        if (!hex_fields(words[2], 0xffff, v, &fields) || fields != 2)
            return false;
        g->a = v[0], g->b = v[1];
        return true;
    }
    if (count == 4 && strcmp(words[1], "pci") == 0 && strcmp(words[2], "class") == 0) {
        g->kind = SVC_GRANT_PCI_CLASS;
        if (!hex_fields(words[3], 0xff, v, &fields) || fields != 3)
            return false;
        g->a = v[0], g->b = v[1], g->c = v[2];
        return true;
    }
    g->kind = SVC_GRANT_ECAM;
    return count == 2 && strcmp(words[1], "ecam") == 0;
}

static void key_grant(struct svc_parser *p, int count, char **words)
{
    struct svc_grant g;
    if (!grant_of(count, words, &g))
        FAIL("grant: expected irq N, ports FIRST-LAST, pci VVVV:DDDD, "
             "pci class CC:SS:PP or ecam");
    if (p->entry.grants_count == SVC_GRANTS_MAX)
        FAIL("more than %d grants", SVC_GRANTS_MAX);
    p->entry.grants[p->entry.grants_count++] = g;
}

static void key_space(struct svc_parser *p, int count, char **words)
{
    if (count < 2)
        FAIL("space needs klog, introspect or power");
    for (int i = 1; i < count; i++) {
        uint32_t flag = strcmp(words[i], "klog") == 0         ? SVC_SPACE_KLOG
                        : strcmp(words[i], "introspect") == 0 ? SVC_SPACE_INTROSPECT
                        : strcmp(words[i], "power") == 0      ? SVC_SPACE_POWER
                                                              : 0;
        if (flag == 0)
            FAIL("unknown space grant '%.40s'", words[i]);
        p->entry.space_flags |= flag;
    }
}

static void key_priority(struct svc_parser *p, int count, char **words)
{
    uint32_t value;
    if (count != 2 || !number(words[1], 31, &value) || value == 0)
        FAIL("priority takes a number 1..31");
    p->entry.priority = (int)value;
}

static void key_cpu(struct svc_parser *p, int count, char **words)
{
    uint32_t cpu;
    if (count < 2)
        FAIL("cpu takes CPU numbers 0..63");
    for (int i = 1; i < count; i++) {
        if (!number(words[i], 63, &cpu))
            FAIL("cpu takes CPU numbers 0..63");
        p->entry.cpu_mask |= 1ull << cpu;
    }
}

static void key_node(struct svc_parser *p, int count, char **words)
{
    uint32_t node;
    if (count != 2 || !number(words[1], 63, &node))
        FAIL("node takes a NUMA node 0..63");
    p->entry.node = (int)node;
}

static void key_restart(struct svc_parser *p, int count, char **words)
{
    static const char *const policies[] = {"always", "on-failure", "never"};
    for (int i = 0; count == 2 && i < 3; i++)
        if (strcmp(words[1], policies[i]) == 0) {
            p->entry.restart = (enum svc_restart)i;
            return;
        }
    svc_parse_error(p, p->line, "restart takes always, on-failure or never");
}

static void key_limit(struct svc_parser *p, int count, char **words)
{
    uint32_t restarts, window;
    if (count != 4 || strcmp(words[2], "in") != 0 || !number(words[1], 1000, &restarts) ||
        !duration(words[3], &window) || window == 0)
        FAIL("limit takes N in DURATION (e.g. 5 in 30s)");
    p->entry.limit_count = restarts;
    p->entry.limit_window_ms = window;
}

static void key_backoff(struct svc_parser *p, int count, char **words)
{
    uint32_t low, high;
    if (count != 3 || !duration(words[1], &low) || !duration(words[2], &high))
        FAIL("backoff takes MIN MAX (e.g. 100ms 5s)");
    if (low > high)
        FAIL("backoff: MIN above MAX");
    p->entry.backoff_min_ms = low;
    p->entry.backoff_max_ms = high;
}

static void key_heartbeat(struct svc_parser *p, int count, char **words)
{
    uint32_t every;
    if (count != 2 || !duration(words[1], &every) || every < 10)
        FAIL("heartbeat takes a DURATION of at least 10ms");
    p->entry.heartbeat_ms = every;
}

static void key_on_demand(struct svc_parser *p, int count, char **words)
{
    (void)words;
    if (count != 1)
        FAIL("on-demand takes no value");
    p->entry.on_demand = true;
}

static const struct {
    const char *name;
    void (*parse)(struct svc_parser *p, int count, char **words);
} keys[] = {
    {"program", key_program},
    {"provides", key_provides},
    {"needs", key_needs},
    {"grant", key_grant},
    {"space", key_space},
    {"priority", key_priority},
    {"cpu", key_cpu},
    {"node", key_node},
    {"restart", key_restart},
    {"limit", key_limit},
    {"backoff", key_backoff},
    {"heartbeat", key_heartbeat},
    {"on-demand", key_on_demand},
};

void svc_parse_key(struct svc_parser *p, int count, char **words)
{
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        if (strcmp(words[0], keys[i].name) == 0)
            return keys[i].parse(p, count, words);
    svc_parse_error(p, p->line, "unknown key '%.40s'", words[0]);
}

void svc_check_numbered(struct svc_parser *p)
{
    const struct svc_entry *e = &p->entry;
    bool pci = false;
    for (int i = 0; i < e->grants_count; i++)
        pci |= e->grants[i].kind == SVC_GRANT_PCI_ID || e->grants[i].kind == SVC_GRANT_PCI_CLASS;
    if (e->on_demand && (e->provides_count || e->needs_count || e->grants_count))
        FAIL_AT(e->line, "service %s: an on-demand service has no provides, needs or grant",
                e->name);
    for (int i = 0; i < e->provides_count; i++) {
        bool numbered = e->provides[i][strlen(e->provides[i]) - 1] == '#';
        if (numbered != pci)
            FAIL_AT(e->line,
                    pci ? "service %s: a PCI service's names end in '#'"
                        : "service %s: only a PCI service has '#' names",
                    e->name);
    }
}
