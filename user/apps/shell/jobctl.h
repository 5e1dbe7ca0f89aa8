/* Job control commands: jobs, fg, bg, and kill (a job %J, a task id or a space id as ps
 * shows them; init and the console are refused with the reason). */
#pragma once

void jobctl_jobs(int argc, char **argv);
void jobctl_fg(int argc, char **argv);
void jobctl_bg(int argc, char **argv);
void jobctl_kill(int argc, char **argv);
