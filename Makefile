# WingOS top-level build.
#   make run    build, boot WingOS in QEMU with the serial console here (Ctrl-A X quits)
#               (the production kernel; make run-test: the test kernel, docs/building.md)
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
                 -fno-tree-loop-distribute-patterns -MMD -MP \
                 -I$(BUILD)/gen/syscalls
KERNEL_ASFLAGS := -g -I. -I$(ARCH_DIR) -MMD -MP
KERNEL_LDFLAGS := -nostdlib -n -z max-page-size=0x1000 -z noexecstack \
                  --no-warn-rwx-segments -T $(ARCH_DIR)/linker.ld

# Two kernels from one set of sources (docs/building.md#two-kernels). The production kernel,
# $(BUILD)/kernel32.elf, is what `make run`, `make bench` and the ISO boot: no in-kernel tests
# and no heap debugging. The test kernel, $(BUILD)/test/kernel32.elf, is what `make test`
# and `make fuzz` boot: the tests of kernel/test/ and HEAP_DEBUG=1. They differ only in the
# heap's two files (built twice, with HEAP_DEBUG=0 and =1) and in kernel/test/ (ktest_none.c
# in production, the runner and the tests in the test kernel); every other object is shared.
KERNEL_HEAP_SRCS := kernel/mm/heap.c kernel/mm/heap_cache.c
KERNEL_C_SRCS := $(filter-out $(KERNEL_HEAP_SRCS), \
                   $(wildcard kernel/*.c kernel/mm/*.c kernel/acpi/*.c kernel/sched/*.c \
                     kernel/space/*.c kernel/exec/*.c kernel/syscall/*.c kernel/ipc/*.c \
                     kernel/bench/*.c kernel/driver/*.c $(ARCH_DIR)/*.c)) \
                 lib/fmt.c lib/string.c lib/samples.c
KERNEL_C_SRCS += $(BUILD)/gen/syscalls/syscalls_kernel.c # from idl/syscalls.idl (mk/idl.mk)
KERNEL_S_SRCS := $(wildcard $(ARCH_DIR)/*.S)
KERNEL_OBJS := $(patsubst %.c,$(BUILD)/%.o,$(KERNEL_C_SRCS)) \
               $(patsubst %.S,$(BUILD)/%.o,$(KERNEL_S_SRCS))
KERNEL_TEST_SRCS := $(filter-out kernel/test/ktest_none.c,$(wildcard kernel/test/*.c))
PROD_KERNEL_OBJS := $(KERNEL_OBJS) $(patsubst %.c,$(BUILD)/%.o,$(KERNEL_HEAP_SRCS)) \
                    $(BUILD)/kernel/test/ktest_none.o
TEST_KERNEL_OBJS := $(KERNEL_OBJS) $(patsubst %.c,$(BUILD)/test/%.o,$(KERNEL_HEAP_SRCS)) \
                    $(patsubst %.c,$(BUILD)/%.o,$(KERNEL_TEST_SRCS))
TEST_KERNEL := $(BUILD)/test/kernel32.elf

.PHONY: all kernel test-kernel run run-test debug test deps clean format disk fuzz
all: kernel test-kernel

kernel: $(BUILD)/kernel32.elf
test-kernel: $(TEST_KERNEL)

# HEAP_DEBUG is given to the heap's files only (heap_internal.h refuses to build without it),
# so the objects of all other files are the same in both kernels.
$(patsubst %.c,$(BUILD)/%.o,$(KERNEL_HEAP_SRCS)): KERNEL_HEAP_DEBUG := -DHEAP_DEBUG=0
# Sibling calls are on (a syscall's decoder jumps to its handler); the in-kernel tests keep
# every frame, as their crash tests look for the test function in the backtrace.
$(patsubst %.c,$(BUILD)/%.o,$(KERNEL_TEST_SRCS)): KERNEL_OBJ_FLAGS := -fno-optimize-sibling-calls

$(BUILD)/test/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $< (test kernel)"
	@$(CC) $(KERNEL_CFLAGS) -DHEAP_DEBUG=1 -c $< -o $@

$(BUILD)/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(KERNEL_CFLAGS) $(KERNEL_HEAP_DEBUG) $(KERNEL_OBJ_FLAGS) -c $< -o $@

$(BUILD)/%.o: %.S Makefile
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

$(BUILD)/ksyms0.S: tools/gensyms.sh
	@mkdir -p $(BUILD)
	sh tools/gensyms.sh > $@

$(BUILD)/ksyms0.o: $(BUILD)/ksyms0.S
	@$(CC) $(KERNEL_ASFLAGS) -c $< -o $@

# kernel_link DIR, OBJECTS: DIR/kernel.elf and DIR/kernel32.elf. Two links: the first without
# symbols gives the addresses for the table the second embeds. The table sits after all code,
# so the second link moves no function; the check says so. QEMU's multiboot loader only takes
# 32-bit ELF files: kernel32.elf has the same segments with 32-bit headers.
define kernel_link
$(1)/kernel.pass1.elf: $(2) $(BUILD)/ksyms0.o $(ARCH_DIR)/linker.ld
	@mkdir -p $(1)
	@echo "  LD      $$@"
	@$(LD) $(KERNEL_LDFLAGS) -o $$@ $(2) $(BUILD)/ksyms0.o

$(1)/ksyms.S: $(1)/kernel.pass1.elf tools/gensyms.sh
	sh tools/gensyms.sh $$< > $$@

$(1)/ksyms.o: $(1)/ksyms.S
	@$(CC) $(KERNEL_ASFLAGS) -c $$< -o $$@

$(1)/kernel.elf: $(2) $(1)/ksyms.o
	@echo "  LD      $$@"
	@$(LD) $(KERNEL_LDFLAGS) -o $$@ $(2) $(1)/ksyms.o
	@nm -n $(1)/kernel.pass1.elf | grep -i ' t ' > $(1)/syms1.txt
	@nm -n $$@ | grep -i ' t ' > $(1)/syms2.txt
	@cmp -s $(1)/syms1.txt $(1)/syms2.txt || \
		{ echo "error: code moved between the two kernel links"; rm -f $$@; exit 1; }

$(1)/kernel32.elf: $(1)/kernel.elf
	objcopy -O elf32-i386 $$< $$@
endef
$(eval $(call kernel_link,$(BUILD),$(PROD_KERNEL_OBJS)))
$(eval $(call kernel_link,$(BUILD)/test,$(TEST_KERNEL_OBJS)))

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

# run-test: the same boot with the test kernel (for APPEND="test ..." by hand).
run run-test: deps $(BUILD)/initrd.tar $(if $(filter $(BUILD)/disk.img,$(DISK)),$(BUILD)/disk.img)
run: kernel
run-test: test-kernel
run run-test:
	DISK="$(DISK)" DISK_IF="$(DISK_IF)" DISK2="$(DISK2)" DISK2_IF="$(DISK2_IF)" \
		INITRD=$(BUILD)/initrd.tar sh tools/qemu.sh $(if $(filter run-test,$@),$(TEST_KERNEL),$(BUILD)/kernel32.elf)

debug: deps kernel $(BUILD)/initrd.tar
	@echo "QEMU waits for gdb on :1234; in another terminal: gdb -x tools/gdbinit"
	QEMUFLAGS="$(QEMUFLAGS) -s -S" KVM=0 INITRD=$(BUILD)/initrd.tar sh tools/qemu.sh $(BUILD)/kernel32.elf

test: deps kernel test-kernel host-test-bins fuzz-bins $(BUILD)/initrd.tar $(BUILD)/wingos.iso
	INITRD=$(BUILD)/initrd.tar bash tools/test-all.sh $(HOST_TEST_BINS)

# The syscall fuzzer's long campaign (tools/sysfuzz.sh): SEEDS= ITERS= SEED= LOG=1.
fuzz: deps test-kernel $(BUILD)/initrd.tar
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

-include $(sort $(PROD_KERNEL_OBJS:.o=.d) $(TEST_KERNEL_OBJS:.o=.d))
