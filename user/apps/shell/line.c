/* The line editor (see line.h): the line being edited, an escape-sequence decoder and a
 * UTF-8 collector. The cursor is a byte offset that never stops inside a character; the
 * screen moves one column per character. */
#include <wingos.h>
#include "complete.h"
#include "history.h"
#include "line.h"
#include "term.h"

#define ESCAPE         0x1b
#define CSI_PARAMS_MAX 16 /* parameter bytes accepted in one sequence */
#define CTRL(key)      ((key)&0x1f)

enum mode { MODE_TEXT, MODE_ESCAPE, MODE_SEQUENCE };

static struct {
    char text[LINE_MAX + 1];
    size_t length, cursor;
    bool overflow; /* characters past LINE_MAX were typed */
    enum mode mode;
    unsigned params; /* parameter bytes of the current sequence */
    unsigned number; /* its first numeric parameter */
    char last;       /* the previous byte: a '\n' right after '\r' is the same Enter */
    char utf8[4];    /* a multi-byte character being collected */
    size_t utf8_count, utf8_need;
} edit;

static bool continuation(char c)
{
    return ((uint8_t)c & 0xc0) == 0x80;
}

/* Characters (columns) in text[from, to). */
static size_t columns(size_t from, size_t to)
{
    size_t count = 0;
    for (size_t i = from; i < to; i++)
        count += !continuation(edit.text[i]);
    return count;
}

static size_t char_before(size_t at)
{
    do
        at--;
    while (at > 0 && continuation(edit.text[at]));
    return at;
}

static size_t char_after(size_t at)
{
    do
        at++;
    while (at < edit.length && continuation(edit.text[at]));
    return at;
}

/* Redraws the whole line and puts the cursor back where it is. */
static void redraw(void)
{
    term_puts("\r" LINE_PROMPT);
    term_write(edit.text, edit.length);
    term_puts("\x1b[K");
    if (edit.cursor < edit.length)
        term_printf("\x1b[%zuD", columns(edit.cursor, edit.length));
}

static void insert(const char *bytes, size_t count)
{
    if (edit.length + count > LINE_MAX) {
        edit.overflow = true; /* the rest of the line is ignored */
        return;
    }
    memmove(edit.text + edit.cursor + count, edit.text + edit.cursor, edit.length - edit.cursor);
    memcpy(edit.text + edit.cursor, bytes, count);
    edit.cursor += count;
    edit.length += count;
    if (edit.cursor == edit.length)
        term_write(bytes, count);
    else
        redraw();
}

/* Removes text[from, to) and redraws. */
static void erase(size_t from, size_t to)
{
    if (from >= to)
        return;
    memmove(edit.text + from, edit.text + to, edit.length - to);
    edit.length -= to - from;
    edit.cursor = from;
    redraw();
}

static void erase_word_before(void)
{
    size_t from = edit.cursor;
    while (from > 0 && edit.text[from - 1] == ' ')
        from--;
    while (from > 0 && edit.text[from - 1] != ' ')
        from--;
    erase(from, edit.cursor);
}

static void move_to(size_t at)
{
    edit.cursor = at;
    redraw();
}

/* Replaces the line with `text` (a history entry or the draft), the cursor at its end. */
static void load(const char *text)
{
    if (!text)
        return;
    edit.length = edit.cursor = strnlen(text, LINE_MAX);
    memcpy(edit.text, text, edit.length);
    edit.overflow = false;
    redraw();
}

static void complete(void)
{
    struct complete_result result;
    complete_word(edit.text, edit.cursor, &result);
    if (result.insert[0])
        insert(result.insert, strlen(result.insert));
    if (result.listed)
        redraw();
}

/* The final byte of ESC [ ... or ESC O ...: arrows, Home, End, Delete. */
static void sequence_done(uint8_t final)
{
    edit.text[edit.length] = '\0';
    bool home = final == 'H' || (final == '~' && (edit.number == 1 || edit.number == 7));
    bool end = final == 'F' || (final == '~' && (edit.number == 4 || edit.number == 8));
    if (final == 'A')
        load(history_older(edit.text));
    else if (final == 'B')
        load(history_newer());
    else if (final == 'D' && edit.cursor > 0)
        move_to(char_before(edit.cursor));
    else if (final == 'C' && edit.cursor < edit.length)
        move_to(char_after(edit.cursor));
    else if (home || end)
        move_to(home ? 0 : edit.length);
    else if (final == '~' && edit.number == 3 && edit.cursor < edit.length)
        erase(edit.cursor, char_after(edit.cursor));
}

/* A byte inside an escape sequence (ESC [ params final, or ESC O final). */
static void feed_sequence(uint8_t byte)
{
    if (edit.mode == MODE_ESCAPE) {
        edit.mode = byte == '[' || byte == 'O' ? MODE_SEQUENCE : MODE_TEXT;
        edit.params = edit.number = 0;
        return;
    }
    if (byte >= 0x20 && byte <= 0x3f) { /* parameters and intermediates */
        if (byte >= '0' && byte <= '9' && edit.number < 1000)
            edit.number = edit.number * 10 + (byte - '0');
        if (++edit.params > CSI_PARAMS_MAX)
            edit.mode = MODE_TEXT;
        return;
    }
    edit.mode = MODE_TEXT;
    sequence_done(byte);
}

/* Collects a UTF-8 character; it is inserted whole, and a malformed one is dropped. */
static void feed_utf8(uint8_t byte)
{
    if (continuation((char)byte) && edit.utf8_need > 0) {
        edit.utf8[edit.utf8_count++] = (char)byte;
        if (edit.utf8_count == edit.utf8_need) {
            insert(edit.utf8, edit.utf8_count);
            edit.utf8_need = 0;
        }
        return;
    }
    edit.utf8_need = byte >= 0xc2 && byte <= 0xdf   ? 2
                     : byte >= 0xe0 && byte <= 0xef ? 3
                     : byte >= 0xf0 && byte <= 0xf4 ? 4
                                                    : 0; /* stray or invalid: dropped */
    edit.utf8[0] = (char)byte;
    edit.utf8_count = 1;
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

/* A control byte; returns the event it ends the line with, or LINE_MORE. */
static enum line_event control(uint8_t byte)
{
    switch (byte) {
    case CTRL('A'):
        move_to(0);
        break;
    case CTRL('E'):
        move_to(edit.length);
        break;
    case CTRL('U'):
        erase(0, edit.cursor);
        break;
    case CTRL('K'):
        erase(edit.cursor, edit.length);
        break;
    case CTRL('W'):
        erase_word_before();
        break;
    case CTRL('L'):
        term_puts("\x1b[H\x1b[2J");
        redraw();
        break;
    case CTRL('I'):
        complete();
        break;
    case CTRL('C'):
        term_puts("^C\n");
        return LINE_CANCEL;
    case CTRL('D'):
        if (edit.length == 0)
            return LINE_EOF;
        if (edit.cursor < edit.length)
            erase(edit.cursor, char_after(edit.cursor));
        break;
    case ESCAPE:
        edit.mode = MODE_ESCAPE;
        break;
    case 0x7f:
    case '\b':
        if (edit.cursor > 0)
            erase(char_before(edit.cursor), edit.cursor);
        break;
    default:
        break; /* other control characters are ignored */
    }
    return LINE_MORE;
}

void line_begin(void)
{
    edit.length = edit.cursor = 0;
    edit.overflow = false;
    edit.mode = MODE_TEXT;
    edit.utf8_need = 0;
    edit.text[0] = '\0';
    history_reset();
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
    if (byte >= 0x80) {
        feed_utf8(byte);
        return LINE_MORE;
    }
    edit.utf8_need = 0;
    if (byte == '\r' || (byte == '\n' && last != '\r'))
        return finish();
    if (byte >= 0x20 && byte < 0x7f) {
        insert(&c, 1);
        return LINE_MORE;
    }
    return byte == '\n' ? LINE_MORE : control(byte);
}

const char *line_text(void)
{
    return edit.text;
}
