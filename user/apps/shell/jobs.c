/* Foreground and background programs (see jobs.h). A job is a child space of the shell's:
 * its exit status is read with TASK_WAIT, and killing it destroys the space. */
#include <wingos.h>
#include "fs_commands.h"
#include "jobs.h"
#include "term.h"

#define JOB_NAME_MAX 32

struct job {
    unsigned id; /* 0: a free slot */
    struct wg_process process;
    char name[JOB_NAME_MAX];
};

static struct job jobs[JOBS_MAX];
static unsigned next_job_id = 1;

/* Prints "exit status N", naming the two statuses the kernel gives. */
static void print_status(int64_t status)
{
    term_printf("exit status %lld%s\n", (long long)status,
                status == WG_EXIT_KILLED    ? " (killed)"
                : status == WG_EXIT_FAULTED ? " (faulted)"
                                            : "");
}

static void forget(struct job *job)
{
    wg_process_destroy(&job->process);
    job->id = 0;
}

static void run_background(const struct wg_process *process, const char *name)
{
    for (size_t i = 0; i < JOBS_MAX; i++)
        if (jobs[i].id == 0) {
            jobs[i] = (struct job){.id = next_job_id++, .process = *process};
            strlcpy(jobs[i].name, name, sizeof jobs[i].name);
            term_printf("[job %u] started\n", jobs[i].id);
            return;
        }
    struct wg_process doomed = *process;
    wg_process_destroy(&doomed);
    term_printf("error: too many jobs (max %d)\n", JOBS_MAX);
}

/* True (and the '&' taken off) if the command ends with '&', alone or on the last word. */
static bool take_background_mark(int *argc, char **argv)
{
    char *last = argv[*argc - 1];
    size_t length = strlen(last);
    if (length == 0 || last[length - 1] != '&')
        return false;
    last[length - 1] = '\0';
    if (length == 1)
        (*argc)--;
    return true;
}

void jobs_run(int argc, char **argv)
{
    bool background = argc > 1 && take_background_mark(&argc, argv);
    if (argc < 2) {
        term_puts("usage: run PROGRAM ARGS... [&]\n");
        return;
    }
    struct wg_process process;
    enum wg_error err =
        programs_spawn(argv[1], argc - 1, (const char *const *)(argv + 1), &process);
    if (err != WG_ERR_OK) {
        term_printf("error: cannot run %s: %s\n", argv[1], wg_error_name(err));
        return;
    }
    if (background) {
        run_background(&process, argv[1]);
        return;
    }
    term_flush(); /* what we printed comes before what the program logs */
    struct wg_result status = wg_process_wait(&process, WG_WAIT_FOREVER);
    if (wg_ok(status))
        print_status((int64_t)status.value);
    else
        term_printf("error: waiting for %s: %s\n", argv[1], wg_error_name(status.err));
    wg_process_destroy(&process);
}

/* The job's state: true if it ended, its exit status then in *status. */
static bool job_ended(const struct job *job, int64_t *status)
{
    struct wg_result waited = wg_process_wait(&job->process, 0);
    *status = (int64_t)waited.value;
    return waited.err != WG_ERR_WOULD_BLOCK && waited.err != WG_ERR_TIMED_OUT;
}

void jobs_report_finished(void)
{
    for (size_t i = 0; i < JOBS_MAX; i++) {
        int64_t status;
        if (jobs[i].id == 0 || !job_ended(&jobs[i], &status))
            continue;
        term_printf("[job %u] done (%s), ", jobs[i].id, jobs[i].name);
        print_status(status);
        forget(&jobs[i]);
    }
}

void jobs_list(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    jobs_report_finished();
    bool any = false;
    for (size_t i = 0; i < JOBS_MAX; i++)
        if (jobs[i].id != 0) {
            term_printf("[job %u] running (%s)\n", jobs[i].id, jobs[i].name);
            any = true;
        }
    if (!any)
        term_puts("no jobs running\n");
}

/* A job number from its decimal text; 0 if it is not one. */
static unsigned parse_job(const char *text)
{
    unsigned value = 0;
    for (; *text; text++) {
        if (*text < '0' || *text > '9' || value > 100000000)
            return 0;
        value = value * 10 + (unsigned)(*text - '0');
    }
    return value;
}

void jobs_kill(int argc, char **argv)
{
    unsigned id = argc == 2 ? parse_job(argv[1]) : 0;
    if (id == 0) {
        term_puts("usage: kill J (a job number, see jobs)\n");
        return;
    }
    for (size_t i = 0; i < JOBS_MAX; i++)
        if (jobs[i].id == id) {
            forget(&jobs[i]);
            term_printf("[job %u] killed\n", id);
            return;
        }
    term_printf("error: no job %u\n", id);
}
