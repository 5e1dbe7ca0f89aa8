/* ask: reads one line from standard input and says what came, byte for byte: "ask: got
 * 'TEXT' (N bytes)". It echoes what is typed (the console does not). In the background it
 * may not read: it says why and exits with the error. Ctrl-C while it reads: "ask:
 * interrupted". */
#include <wingos.h>

#define ASK_MAX 128

int main(int argc, char **argv)
{
    (void)argv;
    if (argc > 1) {
        printf("usage: ask\n");
        return 1;
    }
    char line[ASK_MAX + 1];
    size_t length = 0;
    printf("ask: type a line: ");
    printf_flush();
    for (;;) {
        char chunk[16];
        size_t count;
        enum wg_error err = conio_read(chunk, sizeof chunk, &count);
        if (err != WG_ERR_OK) {
            printf("\nask: %s\n", err == WG_ERR_KILLED ? "interrupted"
                                  : err == WG_ERR_ACCESS_DENIED
                                      ? "cannot read: not in the foreground (ACCESS_DENIED)"
                                      : wg_error_name(err));
            return -(int)err;
        }
        for (size_t i = 0; i < count; i++) {
            if (chunk[i] == '\r' || chunk[i] == '\n') {
                line[length] = '\0';
                printf("\nask: got '%s' (%zu bytes)\n", line, length);
                return 0;
            }
            if (length < ASK_MAX)
                line[length++] = chunk[i];
            conio_write(chunk + i, 1);
        }
    }
}
