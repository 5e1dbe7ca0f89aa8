/* The one header WingOS programs include: the ABI, the syscall stubs, the Result helpers,
 * printf, malloc, the string functions, process spawning and the name service. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wingos/abi.h>
#include <wingos/error.h>
#include <lib/string.h>
#include "malloc.h"
#include "names.h"
#include "printf.h"
#include "result.h"
#include "spawn.h"
#include "conio.h"
#include "ipc.h"
#include "syscall.h"

/* Every program's entry, called by crt0 with the arguments EXEC was given; its return value
 * becomes the task's exit status. */
int main(int argc, char **argv);
