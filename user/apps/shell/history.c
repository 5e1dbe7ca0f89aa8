/* The history ring (see history.h). */
#include <wingos.h>
#include "history.h"
#include "line.h"

static struct {
    char lines[LINE_HISTORY][LINE_MAX + 1]; /* a ring: the oldest at `first` */
    size_t first, count;
    size_t browse;            /* the entry shown: 0..count-1, or count for the draft */
    char draft[LINE_MAX + 1]; /* the line being typed before browsing began */
} history;

static const char *entry(size_t index)
{
    return history.lines[(history.first + index) % LINE_HISTORY];
}

void history_add(const char *text)
{
    if (text[0] == '\0' || (history.count > 0 && strcmp(entry(history.count - 1), text) == 0))
        return;
    size_t slot = (history.first + history.count) % LINE_HISTORY;
    if (history.count == LINE_HISTORY)
        history.first = (history.first + 1) % LINE_HISTORY; /* the oldest goes */
    else
        history.count++;
    strlcpy(history.lines[slot], text, sizeof history.lines[slot]);
}

void history_reset(void)
{
    history.browse = history.count;
}

const char *history_older(const char *current)
{
    if (history.browse == 0)
        return NULL;
    if (history.browse == history.count)
        strlcpy(history.draft, current, sizeof history.draft);
    return entry(--history.browse);
}

const char *history_newer(void)
{
    if (history.browse >= history.count)
        return NULL;
    history.browse++;
    return history.browse == history.count ? history.draft : entry(history.browse);
}
