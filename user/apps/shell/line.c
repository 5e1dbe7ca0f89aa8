/* The line editor (see line.h): the line being edited, an escape-sequence decoder and the
 * history ring. */
#include <wingos.h>
#include "line.h"
#include "term.h"

#define ESCAPE         0x1b
#define CSI_PARAMS_MAX 16 /* parameter bytes accepted in one sequence */

enum mode { MODE_TEXT, MODE_ESCAPE, MODE_SEQUENCE };

static struct {
    char text[LINE_MAX + 1];
    size_t length, cursor;
    bool overflow; /* characters past LINE_MAX were typed */
    enum mode mode;
    unsigned params; /* parameter bytes of the current sequence */
    char last;       /* the previous byte: a '\n' right after '\r' is the same Enter */
} edit;

static struct {
    char lines[LINE_HISTORY][LINE_MAX + 1]; /* a ring: the oldest at `first` */
    size_t first, count;
    size_t browse;            /* the entry shown: 0..count-1, or count for the draft */
    char draft[LINE_MAX + 1]; /* the line being typed before browsing began */
} history;

/* Redraws the whole line and puts the cursor back where it is. */
static void redraw(void)
{
    term_puts("\r" LINE_PROMPT);
    term_write(edit.text, edit.length);
    term_puts("\x1b[K");
    if (edit.cursor < edit.length)
        term_printf("\x1b[%zuD", edit.length - edit.cursor);
}

static void insert(char c)
{
    if (edit.length == LINE_MAX) {
        edit.overflow = true; /* the rest of the line is ignored */
        return;
    }
    memmove(edit.text + edit.cursor + 1, edit.text + edit.cursor, edit.length - edit.cursor);
    edit.text[edit.cursor++] = c;
    edit.length++;
    if (edit.cursor == edit.length)
        term_write(&c, 1);
    else
        redraw();
}

static void erase_before(void)
{
    if (edit.cursor == 0)
        return;
    memmove(edit.text + edit.cursor - 1, edit.text + edit.cursor, edit.length - edit.cursor);
    edit.cursor--;
    edit.length--;
    if (edit.cursor == edit.length)
        term_puts("\b\x1b[K");
    else
        redraw();
}

/* Replaces the line with `text` (a history entry or the draft), the cursor at its end. */
static void load(const char *text)
{
    edit.length = strnlen(text, LINE_MAX);
    memcpy(edit.text, text, edit.length);
    edit.cursor = edit.length;
    edit.overflow = false;
    redraw();
}

static const char *history_at(size_t index)
{
    return history.lines[(history.first + index) % LINE_HISTORY];
}

static void history_add(const char *text)
{
    if (text[0] == '\0' || (history.count > 0 && strcmp(history_at(history.count - 1), text) == 0))
        return;
    size_t slot = (history.first + history.count) % LINE_HISTORY;
    if (history.count == LINE_HISTORY)
        history.first = (history.first + 1) % LINE_HISTORY; /* the oldest goes */
    else
        history.count++;
    strlcpy(history.lines[slot], text, sizeof history.lines[slot]);
}

static void history_older(void)
{
    if (history.browse == 0)
        return;
    if (history.browse == history.count) {
        edit.text[edit.length] = '\0';
        strlcpy(history.draft, edit.text, sizeof history.draft);
    }
    load(history_at(--history.browse));
}

static void history_newer(void)
{
    if (history.browse >= history.count)
        return;
    history.browse++;
    load(history.browse == history.count ? history.draft : history_at(history.browse));
}

static void move_cursor(char direction)
{
    if (direction == 'D' && edit.cursor > 0) {
        edit.cursor--;
        term_puts("\x1b[D");
    } else if (direction == 'C' && edit.cursor < edit.length) {
        edit.cursor++;
        term_puts("\x1b[C");
    } else if (direction == 'H' || direction == 'F') {
        edit.cursor = direction == 'H' ? 0 : edit.length;
        redraw();
    }
}

/* A byte inside an escape sequence (ESC [ params final, or ESC O final). */
static void feed_sequence(uint8_t byte)
{
    if (edit.mode == MODE_ESCAPE) {
        edit.mode = byte == '[' || byte == 'O' ? MODE_SEQUENCE : MODE_TEXT;
        edit.params = 0;
        return;
    }
    if (byte >= 0x20 && byte <= 0x3f) { /* parameters and intermediates */
        if (++edit.params > CSI_PARAMS_MAX)
            edit.mode = MODE_TEXT;
        return;
    }
    edit.mode = MODE_TEXT;
    if (byte == 'A')
        history_older();
    else if (byte == 'B')
        history_newer();
    else
        move_cursor((char)byte); /* C, D, H, F; any other final byte is ignored */
}

static enum line_event finish(void)
{
    term_puts("\n");
    edit.text[edit.length] = '\0';
    if (edit.overflow)
        return LINE_TOO_LONG;
    history_add(edit.text);
    return LINE_READY;
}

void line_begin(void)
{
    edit.length = edit.cursor = 0;
    edit.overflow = false;
    edit.mode = MODE_TEXT;
    edit.text[0] = '\0';
    history.browse = history.count;
    term_puts(LINE_PROMPT);
}

enum line_event line_feed(char c)
{
    uint8_t byte = (uint8_t)c;
    char last = edit.last;
    edit.last = c;
    if (edit.mode != MODE_TEXT && byte >= 0x20 && byte < 0x7f) {
        feed_sequence(byte);
        return LINE_MORE;
    }
    edit.mode = MODE_TEXT; /* a control byte ends any sequence, then counts as itself */
    if (byte == '\r' || (byte == '\n' && last != '\r'))
        return finish();
    if (byte == ESCAPE)
        edit.mode = MODE_ESCAPE;
    else if (byte == 0x7f || byte == '\b')
        erase_before();
    else if (byte >= 0x20 && byte < 0x7f)
        insert(c);
    return LINE_MORE;
}

const char *line_text(void)
{
    return edit.text;
}
