/* The generic kernel's entry point, called by the arch layer once the CPU is set up. */
#pragma once

struct boot_info;

__attribute__((noreturn)) void kernel_main(struct boot_info *info);
