/* Starting the console driver and the shell (see console_start.h). wg_spawn starts a
 * program's task at once, so the driver is started step by step instead: SPACE_CREATE,
 * the assets created and moved into the new space, EXEC with their handles as arguments,
 * and only then TASK_START. */
#include "console_start.h"

#define COM1_IRQ          4
#define COM1_FIRST_PORT   0x3f8
#define COM1_PORTS        8
#define SECOND_NS         1000000000ull
#define CONSOLE_ARGS_SIZE 64

static struct wg_process console_process; /* kept: the driver runs as long as init */

/* Moves a just-created asset (`created`) of our space into `child`: its handle there in
 * *moved. On failure our handle is released, so nothing stays in our space. */
static enum wg_error move_new_asset(struct wg_result created, wg_handle child, wg_handle *moved)
{
    if (!wg_ok(created))
        return created.err;
    struct wg_result result = wg_asset_move(WG_SELF, created.value, child);
    if (!wg_ok(result)) {
        wg_asset_release(WG_SELF, created.value);
        return result.err;
    }
    *moved = result.value;
    return WG_ERR_OK;
}

/* Appends `text` and its NUL to the argument block; false if it does not fit. */
static bool append_arg(char *block, size_t *used, const char *text)
{
    size_t length = strlen(text) + 1;
    if (length > CONSOLE_ARGS_SIZE - *used)
        return false;
    memcpy(block + *used, text, length);
    *used += length;
    return true;
}

/* Loads "console" into `child` with arguments "console IRQ PORTS" (decimal handle values);
 * the new task, not started, in *task (a handle of our space). */
static enum wg_error exec_console(wg_handle child, wg_handle irq, wg_handle ports, wg_handle *task)
{
    char block[CONSOLE_ARGS_SIZE], irq_text[24], ports_text[24];
    size_t used = 0;
    snprintf(irq_text, sizeof irq_text, "%llu", (unsigned long long)irq);
    snprintf(ports_text, sizeof ports_text, "%llu", (unsigned long long)ports);
    if (!append_arg(block, &used, "console") || !append_arg(block, &used, irq_text) ||
        !append_arg(block, &used, ports_text))
        return WG_ERR_OUT_OF_RANGE;
    struct wg_exec_args args = {.count = 3, .size = used, .strings = block};
    struct wg_result loaded = wg_exec(child, "console", strlen("console"), &args);
    *task = loaded.value;
    return loaded.err;
}

enum wg_error console_start(void)
{
    struct wg_result child = wg_space_create(WG_SELF, WG_SPACE_KLOG); /* it prints the log */
    if (!wg_ok(child))
        return child.err;
    wg_handle irq = 0, ports = 0, task = 0;
    enum wg_error err = move_new_asset(wg_irq_create(WG_SELF, COM1_IRQ), child.value, &irq);
    if (err == WG_ERR_OK)
        err = move_new_asset(wg_ioport_create(WG_SELF, COM1_FIRST_PORT, COM1_PORTS), child.value,
                             &ports);
    if (err == WG_ERR_OK)
        err = exec_console(child.value, irq, ports, &task);
    if (err == WG_ERR_OK)
        err = wg_task_start(WG_SELF, task).err;
    if (err != WG_ERR_OK) {
        if (task != 0)
            wg_asset_release(WG_SELF, task);
        wg_space_destroy(WG_SELF, child.value); /* and the assets moved into it */
        return err;
    }
    console_process = (struct wg_process){.space = child.value, .task = task};
    return WG_ERR_OK;
}

/* Runs the shell once and waits for its end; false if it could not be started or ended
 * within a second (so a broken shell is not restarted in a tight loop). */
static bool run_shell_once(void)
{
    struct wg_process shell;
    const char *args[] = {"shell"};
    uint64_t began = wg_clock().value;
    /* ps sees every task; shutdown and reboot may power the machine */
    enum wg_error err =
        wg_spawn_with("shell", 1, args, WG_SPACE_INTROSPECT | WG_SPACE_POWER, &shell);
    if (err != WG_ERR_OK) {
        printf("init: cannot start the shell: %s\n", wg_error_name(err));
        return false;
    }
    struct wg_result status = wg_process_wait(&shell, WG_WAIT_FOREVER);
    if (wg_ok(status))
        printf("init: the shell exited with %lld; starting it again\n",
               (long long)(int64_t)status.value);
    wg_process_destroy(&shell);
    return wg_clock().value - began >= SECOND_NS;
}

void console_start_shell(void)
{
    for (;;) {
        if (!run_shell_once())
            wg_sleep(SECOND_NS);
    }
}

void console_start_session(void)
{
    enum wg_error err = console_start();
    if (err != WG_ERR_OK) {
        printf("init: cannot start the console: %s\n", wg_error_name(err));
        return;
    }
    console_start_shell();
}
