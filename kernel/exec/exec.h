/* Loading programs from the boot archive into a space. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <wingos/error.h>

#include "kernel/sched/task.h"

struct space;
struct ustar_file;

#define EXEC_STACK_PAGES 16
#define EXEC_STACK_TOP   0x00007ffffff00000ULL

/* Where the boot archive (a ustar initrd) lies, set once at boot. */
void exec_set_archive(const void *archive, size_t size);
bool exec_have_archive(void);

/* The name of the index-th program of the boot archive; WG_ERR_NOT_FOUND past the end. */
enum wg_error exec_archive_name(size_t index, char *out, size_t size);

/* The index-th file of the boot archive (name, data, size); WG_ERR_NOT_FOUND past the end. */
enum wg_error exec_archive_file(size_t index, struct ustar_file *out);

/* Loads program `name` into `space` (which must have its own, empty address space) and
 * creates its main task, not started, with `argc` NUL-separated strings in `strings` (of
 * `size` bytes) as its arguments. */
struct task_result exec_load(struct space *space, const char *name, const char *strings,
                             size_t size, uint64_t argc);

/* The same from an ELF image at `data` (`data_size` bytes, which must not change while this
 * runs: the caller gives a private copy); `name` becomes the task's name. */
struct task_result exec_load_image(struct space *space, const char *name, const void *data,
                                   size_t data_size, const char *strings, size_t size,
                                   uint64_t argc);
