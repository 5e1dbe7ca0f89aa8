/* Virtual address layout of the x86_64 kernel (shared by C and assembly). */
#pragma once

#define KERNEL_VMA       0xffffffff80000000 /* kernel image: virtual = physical + KERNEL_VMA */
#define KERNEL_PHYS      0x100000           /* where the image is loaded */
#define HHDM_BASE        0xffff800000000000 /* all RAM mapped at physical + HHDM_BASE */
#define HHDM_MAX_PHYS    0x8000000000       /* one PML4 slot: 512 GiB of physical memory */
#define BOOT_HHDM_LIMIT  0x100000000        /* the boot page tables map the first 4 GiB */
#define KSTACK_AREA_BASE 0xffffff8000000000 /* PML4 511, below the image: kernel stacks */
#define KSTACK_AREA_SIZE 0x4000000          /* 64 MiB */
#define DEVICE_AREA_BASE 0xffffff8040000000 /* uncached device mappings (APICs) */
#define DEVICE_AREA_SIZE 0x200000
#define PAGE_SIZE        4096
#define USER_TOP         0x0000800000000000 /* first non-canonical address of the lower half */
