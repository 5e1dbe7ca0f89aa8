/* Loading programs from the boot archive into a space. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <wingos/error.h>

#include "kernel/sched/task.h"

struct space;

#define EXEC_STACK_PAGES 16
#define EXEC_STACK_TOP   0x00007ffffff00000ULL

/* Where the boot archive (a ustar initrd) lies, set once at boot. */
void exec_set_archive(const void *archive, size_t size);
bool exec_have_archive(void);

/* The name of the index-th program of the boot archive; WG_ERR_NOT_FOUND past the end. */
enum wg_error exec_archive_name(size_t index, char *out, size_t size);

/* Loads program `name` into `space` (which must have its own, empty address space) and
 * creates its main task, not started, with `argc` NUL-separated strings in `strings` (of
 * `size` bytes) as its arguments. */
struct task_result exec_load(struct space *space, const char *name, const char *strings,
                             size_t size, uint64_t argc);
