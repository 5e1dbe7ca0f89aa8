/* The console's kernel log reader: a task that takes whole kernel log lines with KLOG_READ
 * (the console's space is given WG_SPACE_KLOG by init) and writes them to the console over
 * a connection of its own, so they never split a line either. */
#pragma once

#include <stdint.h>
#include <wingos.h>

/* Starts the reader task, which connects to the console at `address`. */
enum wg_error klog_start(uint64_t address);
