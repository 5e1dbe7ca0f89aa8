/* The command table, the word splitter and the small commands: help, echo, ls, uptime,
 * clear. A first word that is no command runs the program of that name. */
#include <wingos.h>
#include "args.h"
#include "commands.h"
#include "fs_commands.h"
#include "jobctl.h"
#include "jobs.h"
#include "power.h"
#include "storage.h"
#include "svc_commands.h"
#include "sysinfo.h"
#include "term.h"

struct command {
    const char *name;
    const char *usage;
    const char *what;
    void (*run)(int argc, char **argv);
};

static void help(int argc, char **argv);

static void echo(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        term_puts(i > 1 ? " " : "");
        term_puts(argv[i]);
    }
    term_puts("\n");
}

/* Lists the programs of the boot archive, one per line. */
static void list_programs(int argc, char **argv)
{
    if (!args_none(argc, argv))
        return;
    char name[WG_EXEC_NAME_MAX + 1];
    for (uint64_t index = 0;; index++) {
        struct wg_result listed = wg_archive_list(name, sizeof name, index);
        if (listed.err == WG_ERR_NOT_FOUND)
            return;
        if (!wg_ok(listed)) {
            term_printf("error: ARCHIVE_LIST: %s\n", wg_error_name(listed.err));
            return;
        }
        term_printf("%s\n", name);
    }
}

static void uptime(int argc, char **argv)
{
    if (!args_none(argc, argv))
        return;
    uint64_t ms = wg_clock().value / 1000000;
    term_printf("up %llu.%03llu s\n", (unsigned long long)(ms / 1000),
                (unsigned long long)(ms % 1000));
}

/* '\r' after the clearing: the console redraws an open line from its last '\r' on. */
static void clear(int argc, char **argv)
{
    if (args_none(argc, argv))
        term_puts("\x1b[H\x1b[2J\r");
}

static const struct command commands[] = {
    {"help", "help", "this list", help},
    {"echo", "echo ARGS...", "prints its arguments", echo},
    {"programs", "programs", "the programs in the boot archive", list_programs},
    {"run", "[run] PROGRAM ARGS... [&]", "runs a program and waits, or not with &", jobs_run},
    {"jobs", "jobs", "the jobs, running or stopped (Ctrl-Z)", jobctl_jobs},
    {"fg", "fg [%J]", "continues job J (or the newest) in the foreground", jobctl_fg},
    {"bg", "bg [%J]", "continues a stopped job in the background", jobctl_bg},
    {"kill", "kill %J | TASK | space S", "ends a job, a task or a space (ids from ps)",
     jobctl_kill},
    {"ps", "ps", "spaces and their tasks, as a tree", sysinfo_ps},
    {"mem", "mem", "free and total memory per NUMA node", sysinfo_mem},
    {"cpus", "cpus", "the CPUs, NUMA nodes and their distances", sysinfo_cpus},
    {"uptime", "uptime", "time since boot", uptime},
    {"lspci", "lspci", "PCI devices: ids, class, BARs, capabilities", storage_lspci},
    {"disks", "disks", "block devices: name, driver, size, sector size", storage_disks},
    {"blk", "blk read DEV LBA", "hex-dumps one sector of a disk", storage_blk},
    {"clear", "clear", "clears the screen (also Ctrl-L)", clear},
    {"shutdown", "shutdown", "powers the machine off (QEMU exits)", power_shutdown},
    {"reboot", "reboot", "restarts the machine", power_reboot},
    {"svc", "svc [start|stop|restart|kill NAME]", "services: list, or act on one",
     svc_commands_run},
};

#define COMMAND_COUNT (sizeof commands / sizeof commands[0])

static void help(int argc, char **argv)
{
    if (!args_none(argc, argv))
        return;
    term_puts("commands:\n");
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        term_printf("  %-26s %s\n", commands[i].usage, commands[i].what);
    fs_commands_help();
    term_puts("keys: Tab completes; Up/Down history; Home/End, Ctrl-A/E/U/W/K/L edit;\n"
              "  Ctrl-C interrupts the foreground job (or clears the line), Ctrl-Z stops it.\n"
              "To leave QEMU press Ctrl-A then X (or type shutdown).\n");
}

const char *commands_name(size_t index)
{
    return index < COMMAND_COUNT ? commands[index].name : NULL;
}

/* Splits `line` into words at spaces and tabs; the count, or -1 if more than `max`. */
static int split(char *line, char **words, int max)
{
    int count = 0;
    for (char *p = line; *p;) {
        while (*p == ' ' || *p == '\t')
            *p++ = '\0';
        if (!*p)
            break;
        if (count == max)
            return -1;
        words[count++] = p;
        while (*p && *p != ' ' && *p != '\t')
            p++;
    }
    return count;
}

void commands_run(char *line)
{
    char *words[COMMANDS_WORDS_MAX];
    int count = split(line, words, COMMANDS_WORDS_MAX);
    if (count < 0) {
        term_printf("error: too many words (max %d)\n", COMMANDS_WORDS_MAX);
        return;
    }
    jobs_report_finished();
    if (count == 0)
        return;
    if (fs_commands_run(count, words))
        return;
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (strcmp(words[0], commands[i].name) == 0) {
            commands[i].run(count, words);
            return;
        }
    if (!jobs_run_by_name(count, words))
        term_printf("error: unknown command '%s' (try help)\n", words[0]);
}
