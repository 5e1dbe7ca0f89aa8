/* Segment descriptors and the task state segment (for the double-fault IST stack). */
#pragma once

#include <stdint.h>

#define GDT_KERNEL_CODE 0x08
#define GDT_KERNEL_DATA 0x10
#define GDT_USER_DATA   0x18 /* sysret expects user data right below user code */
#define GDT_USER_CODE   0x20
#define GDT_TSS         0x28

#define IST_DOUBLE_FAULT 1

void gdt_init(void);
