# WingOS top-level build.
#   make run    build, boot WingOS in QEMU with the serial console here (Ctrl-A X quits)
#   make test   every test (host unit tests, then system tests under QEMU); last line
#               "N passed, M failed"
#   make debug  boot with QEMU waiting for gdb (tools/gdbinit loads the symbols)
#   make fuzz   a long syscall-fuzzer campaign (SEEDS=, ITERS=, SEED=, LOG=1; docs/testing.md)
#   make bench  benchmarks beside Linux: instructions under TCG -icount, cycles under real KVM
#               (make bench-linux: the Linux reference alone; docs/benchmarks.md)
# Machine shape: SMP=n MEM=size NUMA=nodes KVM=0|1 QEMUFLAGS="..." (KVM only where the CPU has
# vmx/svm: tools/accel.sh)

WARNINGS := -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wshadow -Wvla

BUILD := build
CC    := gcc
LD    := ld
# The architecture folder: generic code includes its public headers (arch_*.h) by bare name.
ARCH     := x86_64
ARCH_DIR := kernel/arch/$(ARCH)

KERNEL_CFLAGS := -std=gnu11 -O2 -g $(WARNINGS) -I. -Iinclude -I$(ARCH_DIR) \
                 -ffreestanding -fno-pic -fno-pie -mcmodel=kernel -mno-red-zone \
                 -mgeneral-regs-only -fno-omit-frame-pointer -fno-stack-protector \
                 -fno-asynchronous-unwind-tables -fno-strict-aliasing \
                 -fno-tree-loop-distribute-patterns -fno-optimize-sibling-calls -MMD -MP \
                 -DHEAP_DEBUG=1
KERNEL_ASFLAGS := -g -I. -I$(ARCH_DIR) -MMD -MP
KERNEL_LDFLAGS := -nostdlib -n -z max-page-size=0x1000 -z noexecstack \
                  --no-warn-rwx-segments -T $(ARCH_DIR)/linker.ld

KERNEL_C_SRCS := $(wildcard kernel/*.c kernel/mm/*.c kernel/acpi/*.c kernel/sched/*.c \
                   kernel/space/*.c kernel/exec/*.c kernel/syscall/*.c kernel/ipc/*.c \
                   kernel/test/*.c kernel/driver/*.c $(ARCH_DIR)/*.c) \
                 lib/fmt.c lib/string.c lib/samples.c
KERNEL_S_SRCS := $(wildcard $(ARCH_DIR)/*.S)
KERNEL_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(KERNEL_C_SRCS)) \
               $(patsubst %.S,$(BUILD)/%.o,$(KERNEL_S_SRCS))

.PHONY: all kernel run debug test deps clean format disk fuzz
all: kernel

kernel: $(BUILD)/kernel32.elf

$(BUILD)/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.S Makefile
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

# Two links: the first without symbols gives the addresses for the table the second embeds.
# The table sits after all code, so the second link moves no function; the check says so.
$(BUILD)/ksyms0.S: tools/gensyms.sh
	@mkdir -p $(BUILD)
	sh tools/gensyms.sh > $@

$(BUILD)/kernel.pass1.elf: $(KERNEL_OBJS) $(BUILD)/ksyms0.o $(ARCH_DIR)/linker.ld
	$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/ksyms0.o

$(BUILD)/ksyms.S: $(BUILD)/kernel.pass1.elf tools/gensyms.sh
	sh tools/gensyms.sh $< > $@

$(BUILD)/ksyms0.o $(BUILD)/ksyms.o: $(BUILD)/%.o: $(BUILD)/%.S
	@$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

$(BUILD)/kernel.elf: $(KERNEL_OBJS) $(BUILD)/ksyms.o
	$(LD) $(KERNEL_LDFLAGS) -o $@ $(KERNEL_OBJS) $(BUILD)/ksyms.o
	@nm -n $(BUILD)/kernel.pass1.elf | grep -i ' t ' > $(BUILD)/syms1.txt
	@nm -n $@ | grep -i ' t ' > $(BUILD)/syms2.txt
	@cmp -s $(BUILD)/syms1.txt $(BUILD)/syms2.txt || \
		{ echo "error: code moved between the two kernel links"; rm -f $@; exit 1; }

# QEMU's multiboot loader only takes 32-bit ELF files: same segments, 32-bit headers.
$(BUILD)/kernel32.elf: $(BUILD)/kernel.elf
	objcopy -O elf32-i386 $< $@

deps:
	@sh tools/deps.sh

# The disk `make run` attaches: DISK=path for another image, DISK_IF=nvme for NVMe, DISK2 and
# DISK2_IF for a second one.
DISK    ?= $(BUILD)/disk.img
DISK_IF ?= virtio

# An ext2 file system with the user programs in /bin (tools/mkdisk.sh), kept once made so
# what WingOS writes survives; `make disk` makes it afresh.
DISK_PROGRAMS := hello sleep bench
$(BUILD)/disk.img: | $(addprefix $(BUILD)/user/bin/,$(DISK_PROGRAMS))
	@mkdir -p $(BUILD)
	sh tools/mkdisk.sh $@ 64M $(BUILD)/user/bin $(DISK_PROGRAMS)

disk:
	rm -f $(BUILD)/disk.img
	$(MAKE) --no-print-directory $(BUILD)/disk.img

run: deps kernel $(BUILD)/initrd.tar $(if $(filter $(BUILD)/disk.img,$(DISK)),$(BUILD)/disk.img)
	DISK="$(DISK)" DISK_IF="$(DISK_IF)" DISK2="$(DISK2)" DISK2_IF="$(DISK2_IF)" \
		INITRD=$(BUILD)/initrd.tar sh tools/qemu.sh $(BUILD)/kernel32.elf

debug: deps kernel $(BUILD)/initrd.tar
	@echo "QEMU waits for gdb on :1234; in another terminal: gdb -x tools/gdbinit"
	QEMUFLAGS="$(QEMUFLAGS) -s -S" KVM=0 INITRD=$(BUILD)/initrd.tar sh tools/qemu.sh $(BUILD)/kernel32.elf

test: deps kernel host-test-bins fuzz-bins $(BUILD)/initrd.tar $(BUILD)/wingos.iso
	INITRD=$(BUILD)/initrd.tar bash tools/test-all.sh $(HOST_TEST_BINS)

# The syscall fuzzer's long campaign (tools/sysfuzz.sh): SEEDS= ITERS= SEED= LOG=1.
fuzz: deps kernel $(BUILD)/initrd.tar
	bash tools/sysfuzz.sh

format:
	clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD)

include mk/host.mk
include mk/fuzz.mk
include mk/idl.mk
include mk/user.mk
include mk/bench.mk
include mk/iso.mk

-include $(KERNEL_OBJS:.o=.d)
