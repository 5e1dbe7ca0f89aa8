/* Ending a task: exit (after flushing printf's pending line), and the failure paths of the
 * Result helpers, which log what went wrong first. */
#include <lib/fmt.h>
#include <lib/string.h>
#include "printf.h"
#include "result.h"

void wg_fail(const char *what, enum wg_error err)
{
    char message[160];
    size_t length =
        fmt_snprintf(message, sizeof message, "%s: %s", what ? what : "(null)", wg_error_name(err));

    if (length >= sizeof message)
        length = sizeof message - 1;
    printf_flush();
    wg_log(message, length);
    wg_task_exit(-(int64_t)err);
}

void wg_panic(const char *message)
{
    printf_flush();
    wg_log(message, strlen(message));
    wg_task_exit(WG_EXIT_PANIC);
}

void exit(int status)
{
    printf_flush();
    wg_task_exit(status);
}
