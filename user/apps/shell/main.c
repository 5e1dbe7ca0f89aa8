/* shell: the interactive shell on the console service. It reads keys from the console,
 * edits the line (line.c), and runs the commands of commands.c on Enter. init starts it
 * once the console driver is up, and again whenever it ends. */
#include <wingos.h>
#include "commands.h"
#include "line.h"
#include "term.h"

#define INPUT_CHUNK 40

/* Acts on one input byte: edits, or runs the finished line and starts the next. */
static void take(char byte)
{
    static char command[LINE_MAX + 1];
    enum line_event event = line_feed(byte);
    if (event == LINE_MORE)
        return;
    if (event == LINE_TOO_LONG) {
        term_printf("error: line too long (max %d)\n", LINE_MAX);
    } else if (event == LINE_EOF) {
        term_puts("\nthe shell stays; to leave QEMU press Ctrl-A then X, or type shutdown\n");
    } else if (event == LINE_READY) {
        strlcpy(command, line_text(), sizeof command);
        commands_run(command);
    }
    line_begin();
}

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        printf("usage: shell\n");
        return 1;
    }
    if (!term_open())
        return 1;
    term_puts("WingOS shell: type help for the commands\n");
    line_begin();
    for (;;) {
        char input[INPUT_CHUNK];
        size_t count = term_read(input, sizeof input);
        if (count == 0) {
            printf("shell: the console failed; leaving\n");
            return 1;
        }
        for (size_t i = 0; i < count; i++)
            take(input[i]);
    }
}
