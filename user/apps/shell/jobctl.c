/* Job control commands (see jobctl.h). A task or space id is looked up among the shell's
 * jobs (ASSET_INFO gives the ids of our handles); anything else is refused with what it is,
 * found in SYSTEM_TASKS. */
#include <wingos.h>
#include "args.h"
#include "jobctl.h"
#include "jobs.h"
#include "term.h"

#define JOB_TASKS_MAX 64
#define ALL_TASKS_MAX 512

void jobctl_jobs(int argc, char **argv)
{
    if (!args_none(argc, argv))
        return;
    jobs_report_finished();
    bool any = false;
    for (size_t i = 0; i < JOBS_MAX; i++) {
        const struct job *job = jobs_at(i);
        if (job)
            term_printf("[job %u] %s (%s)\n", job->id, job->stopped ? "stopped" : "running",
                        job->name);
        any = any || job;
    }
    if (!any)
        term_puts("no jobs running\n");
}

/* The job named by "%J" (or, without an argument, the newest); NULL after saying why. */
static struct job *job_argument(int argc, char **argv, const char *usage)
{
    if (argc > 2 || (argc == 2 && argv[1][0] != '%')) {
        term_printf("usage: %s\n", usage);
        return NULL;
    }
    struct job *job = NULL;
    uint64_t id = 0;
    if (argc == 2 && !args_number(argv[1] + 1, &id)) {
        term_printf("usage: %s\n", usage);
        return NULL;
    }
    for (size_t i = 0; i < JOBS_MAX; i++) {
        struct job *candidate = jobs_at(i);
        if (candidate && (argc == 1 ? (!job || candidate->id > job->id) : candidate->id == id))
            job = candidate;
    }
    if (!job)
        term_puts(argc == 2 ? "error: no such job\n" : "error: no jobs\n");
    return job;
}

void jobctl_fg(int argc, char **argv)
{
    struct job *job = job_argument(argc, argv, "fg [%J]");
    if (job) {
        term_printf("%s\n", job->name);
        jobs_wait_foreground(job);
    }
}

void jobctl_bg(int argc, char **argv)
{
    struct job *job = job_argument(argc, argv, "bg [%J]");
    if (job) {
        jobs_set_stopped(job, false);
        term_printf("[job %u] running (%s)\n", job->id, job->name);
    }
}

/* The id ASSET_INFO gives for our handle `handle` in `space` (0 if none). */
static uint64_t id_of(wg_handle space, wg_handle handle)
{
    struct wg_asset_info info;
    return wg_ok(wg_asset_info(space, handle, &info)) ? info.address : 0;
}

/* Kills task `id` if it is one of our jobs' tasks; true if found. */
static bool kill_job_task(uint64_t id)
{
    static struct wg_asset_info assets[JOB_TASKS_MAX];
    for (size_t i = 0; i < JOBS_MAX; i++) {
        struct job *job = jobs_at(i);
        if (job && id_of(WG_SELF, job->process.task) == id) {
            wg_task_kill(WG_SELF, job->process.task);
            return true;
        }
        struct wg_result listed =
            job ? wg_asset_list(job->process.space, assets, JOB_TASKS_MAX) : (struct wg_result){0};
        for (uint64_t a = 0; wg_ok(listed) && a < listed.value && a < JOB_TASKS_MAX; a++)
            if (assets[a].kind == WG_ASSET_TASK && assets[a].address == id) {
                wg_task_kill(job->process.space, assets[a].handle);
                return true;
            }
    }
    return false;
}

/* Why a task or space that is not ours cannot be killed, from SYSTEM_TASKS. */
static void refuse(bool space, uint64_t id)
{
    static struct wg_task_info tasks[ALL_TASKS_MAX];
    struct wg_result listed = wg_system_tasks(tasks, ALL_TASKS_MAX);
    for (uint64_t i = 0; wg_ok(listed) && i < listed.value && i < ALL_TASKS_MAX; i++) {
        const struct wg_task_info *t = &tasks[i];
        if ((space ? t->space : t->id) != id || (space && t->space == 0))
            continue;
        const char *what = t->space == 0          ? "a kernel task"
                           : t->parent_space == 0 ? "init, which runs the system"
                           : strcmp(t->name, "console") == 0
                               ? "the console: the screen and keyboard"
                               : "not one of this shell's jobs";
        term_printf("kill: refused: %s %llu is %s\n", space ? "space" : "task",
                    (unsigned long long)id, what);
        return;
    }
    term_printf("error: no %s %llu\n", space ? "space" : "task", (unsigned long long)id);
}

void jobctl_kill(int argc, char **argv)
{
    static const char usage[] = "usage: kill %J | kill TASK | kill space SPACE\n";
    bool space = argc == 3 && strcmp(argv[1], "space") == 0;
    uint64_t id = 0;
    if (argc == 2 && argv[1][0] == '%') {
        struct job *job = args_number(argv[1] + 1, &id) ? jobs_find((unsigned)id) : NULL;
        if (job) {
            term_printf("[job %u] killed\n", job->id);
            jobs_end(job);
        } else {
            term_puts(id ? "error: no such job\n" : usage);
        }
        return;
    }
    if ((argc != 2 && !space) || !args_number(argv[argc - 1], &id)) {
        term_puts(argc == 2 && argv[1][0] == '-' ? "error: unknown option\n" : usage);
        return;
    }
    for (size_t i = 0; space && i < JOBS_MAX; i++) {
        struct job *job = jobs_at(i);
        if (job && id_of(WG_SELF, job->process.space) == id) {
            term_printf("[job %u] killed\n", job->id);
            jobs_end(job);
            return;
        }
    }
    if (!space && kill_job_task(id))
        term_printf("task %llu killed\n", (unsigned long long)id);
    else
        refuse(space, id);
}
