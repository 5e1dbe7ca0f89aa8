/* The kernel log's detour through userspace: once a task of a space with WG_SPACE_KLOG
 * calls KLOG_READ (the console service does), kernel log output waits in a ring until that
 * task reads it, and the console prints it between whole lines of program output. Until
 * then, during a panic, and after the reader has exited, the log goes to the serial port. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <wingos/error.h>

#define KLOG_RING_SIZE 16384 /* bytes held for the reader; the oldest lines go first */
#define KLOG_READ_MAX  1024  /* bytes one KLOG_READ returns at most */

struct task;

/* Log output: into the ring while a reader holds it, else to the console. Any context. */
void klog_write(const char *chars, size_t count);

/* Makes `reader` (a reference is taken) the one that reads the ring; WG_ERR_BUSY while
 * another live task is. */
enum wg_error klog_claim(struct task *reader);

/* Copies whole lines (or, for a line longer than `max`, its first `max` bytes) into `out`
 * without taking them: the count, 0 if none. Then klog_consume(count) takes them. */
size_t klog_peek(char *out, size_t max, uint64_t *position);
void klog_consume(uint64_t position, size_t count);
