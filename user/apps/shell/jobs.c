/* Starting programs and waiting for them (see jobs.h). */
#include <console.h>
#include <console_idl.h>
#include <wingos.h>
#include "fs_commands.h"
#include "jobs.h"
#include "status.h"
#include "term.h"

#define POLL_NS       (20ull * 1000000ull) /* how often a foreground wait looks at the keys */
#define STATUS_TEXT   64
#define JOB_TASKS_MAX 64

static struct job jobs[JOBS_MAX];
static unsigned next_job_id = 1;

struct job *jobs_find(unsigned id)
{
    for (size_t i = 0; i < JOBS_MAX; i++)
        if (id != 0 && jobs[i].id == id)
            return &jobs[i];
    return NULL;
}

struct job *jobs_at(size_t index)
{
    return index < JOBS_MAX && jobs[index].id != 0 ? &jobs[index] : NULL;
}

void jobs_end(struct job *job)
{
    wg_process_destroy(&job->process);
    if (job->console)
        wg_asset_release(WG_SELF, job->console);
    job->id = 0;
}

/* The job's own console connection and its number; none for a shell that does not control
 * the console (its jobs share its connection). */
static enum wg_error open_console(struct job *job)
{
    job->console = 0;
    job->console_id = 0;
    if (!term_controls())
        return WG_ERR_OK;
    enum wg_error err = console_open(&job->console);
    struct console_identify_request request = {0};
    struct console_identify_response response;
    if (err == WG_ERR_OK)
        err = console_identify_call(job->console, &request, &response, WG_WAIT_FOREVER);
    if (err == WG_ERR_OK)
        job->console_id = response.id;
    else if (job->console)
        wg_asset_release(WG_SELF, job->console);
    return err;
}

static void set_foreground(uint32_t id)
{
    struct console_foreground_request request = {id};
    struct console_foreground_response response;
    console_foreground_call(term_connection(), &request, &response, WG_WAIT_FOREVER);
}

static uint32_t take_events(void)
{
    struct console_events_request request = {0};
    struct console_events_response response = {0};
    console_events_call(term_connection(), &request, &response, WG_WAIT_FOREVER);
    return response.events;
}

void jobs_set_stopped(struct job *job, bool stopped)
{
    struct wg_result (*change)(wg_handle, wg_handle) = stopped ? wg_task_suspend : wg_task_resume;
    static struct wg_asset_info assets[JOB_TASKS_MAX];
    change(WG_SELF, job->process.task);
    struct wg_result listed = wg_asset_list(job->process.space, assets, JOB_TASKS_MAX);
    for (uint64_t i = 0; wg_ok(listed) && i < listed.value && i < JOB_TASKS_MAX; i++)
        if (assets[i].kind == WG_ASSET_TASK)
            change(job->process.space, assets[i].handle);
    job->stopped = stopped;
}

static void report_end(const struct job *job, int64_t status, bool interrupted)
{
    char text[STATUS_TEXT];
    status_describe(status, text, sizeof text);
    term_printf("%s%s\n", text, interrupted && status == WG_EXIT_KILLED ? " (interrupted)" : "");
    (void)job;
}

/* Waits for the job with the keys watched: Ctrl-C interrupts (the console has told the job)
 * and kills after JOBS_GRACE_NS; Ctrl-Z stops it and returns. */
void jobs_wait_foreground(struct job *job)
{
    bool control = term_controls() && job->console_id != 0;
    if (job->stopped)
        jobs_set_stopped(job, false);
    if (control)
        set_foreground(job->console_id);
    term_flush(); /* what we printed comes before what the program writes */
    uint64_t deadline = 0;
    for (;;) {
        struct wg_result waited =
            wg_process_wait(&job->process, control ? POLL_NS : WG_WAIT_FOREVER);
        if (wg_ok(waited) || (waited.err != WG_ERR_TIMED_OUT && waited.err != WG_ERR_WOULD_BLOCK)) {
            if (control)
                set_foreground(0);
            if (wg_ok(waited))
                report_end(job, (int64_t)waited.value, deadline != 0);
            else
                term_printf("error: waiting for %s: %s\n", job->name, wg_error_name(waited.err));
            jobs_end(job);
            return;
        }
        uint32_t events = take_events();
        if (events & 2u) { /* Ctrl-Z: the console gave us the keyboard back */
            jobs_set_stopped(job, true);
            term_printf("\n[job %u] stopped (%s)\n", job->id, job->name);
            return;
        }
        if ((events & 1u) && deadline == 0) {
            term_puts("^C\n");
            term_flush();
            deadline = wg_clock().value + JOBS_GRACE_NS;
        }
        if (deadline != 0 && wg_clock().value >= deadline)
            wg_task_kill(WG_SELF, job->process.task);
    }
}

/* Starts argv[0] as a job; NULL (after saying why, unless quiet about NOT_FOUND) if it
 * could not start. */
static struct job *start(int argc, char **argv, bool quiet)
{
    struct job *job = NULL;
    for (size_t i = 0; i < JOBS_MAX && !job; i++)
        if (jobs[i].id == 0)
            job = &jobs[i];
    if (!job) {
        term_printf("error: too many jobs (max %d)\n", JOBS_MAX);
        return NULL;
    }
    term_flush(); /* the echoed line ends before the program writes */
    enum wg_error err = open_console(job);
    if (err == WG_ERR_OK)
        err = programs_spawn(argv[0], argc, (const char *const *)argv,
                             job->console ? job->console : term_connection(), &job->process);
    if (err != WG_ERR_OK) {
        if (job->console)
            wg_asset_release(WG_SELF, job->console);
        if (!quiet || err != WG_ERR_NOT_FOUND)
            term_printf("error: cannot run %s: %s\n", argv[0], wg_error_name(err));
        return NULL;
    }
    job->id = next_job_id++;
    job->stopped = false;
    strlcpy(job->name, argv[0], sizeof job->name);
    return job;
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

/* Runs argv[0..argc-1]; false only if quiet and there is no such program. */
static bool launch(int argc, char **argv, bool quiet)
{
    bool background = take_background_mark(&argc, argv);
    if (argc < 1) {
        term_puts("usage: run PROGRAM ARGS... [&]\n");
        return true;
    }
    struct job *job = start(argc, argv, quiet);
    if (!job)
        return !quiet;
    if (background)
        term_printf("[job %u] started\n", job->id);
    else
        jobs_wait_foreground(job);
    return true;
}

void jobs_run(int argc, char **argv)
{
    launch(argc - 1, argv + 1, false);
}

bool jobs_run_by_name(int argc, char **argv)
{
    return launch(argc, argv, true);
}

void jobs_report_finished(void)
{
    for (size_t i = 0; i < JOBS_MAX; i++) {
        if (jobs[i].id == 0)
            continue;
        struct wg_result waited = wg_process_wait(&jobs[i].process, 0);
        if (waited.err == WG_ERR_WOULD_BLOCK || waited.err == WG_ERR_TIMED_OUT)
            continue;
        char text[STATUS_TEXT] = "gone";
        if (wg_ok(waited))
            status_describe((int64_t)waited.value, text, sizeof text);
        term_printf("[job %u] done (%s): %s\n", jobs[i].id, jobs[i].name, text);
        jobs_end(&jobs[i]);
    }
}
