# Benchmarks (docs/benchmarks.md). `make bench` runs WingOS's figures and the Linux reference
# under the same QEMU settings and prints the side-by-side table; `make bench-linux` runs the
# Linux reference alone (the table keeps the last WingOS figures). The Linux reference is the
# static program bench/linux/*.c (host gcc and libc), the only file of its initramfs.

LINUX_BENCH     := $(BUILD)/linux-bench
LINUX_BENCH_SRC := $(wildcard bench/linux/*.c) lib/samples.c lib/fsbench_jobs.c

$(LINUX_BENCH)/init: $(LINUX_BENCH_SRC) $(wildcard bench/linux/*.h) lib/samples.h lib/fsbench_jobs.h mk/bench.mk
	@mkdir -p $(dir $@)
	@echo "  CC      $@ (static, for Linux)"
	@$(CC) -std=gnu11 -O2 $(WARNINGS) -I. -static -o $@ $(LINUX_BENCH_SRC)

$(LINUX_BENCH)/initramfs.cpio: $(LINUX_BENCH)/init bench/linux/mkinitramfs.sh
	@echo "  CPIO    $@"
	@sh bench/linux/mkinitramfs.sh $< $@

# Where one benchmark step's instructions go (docs/benchmarks.md#profiling-one-step):
# make trace-step FN=echo_step [SKIP=50] [STEPS=4000]
trace-step: kernel $(BUILD)/initrd.tar
	sh tools/trace-step.sh $(FN) $(or $(SKIP),50) $(or $(STEPS),4000)

.PHONY: bench bench-linux trace-step
bench: deps kernel $(BUILD)/initrd.tar $(LINUX_BENCH)/initramfs.cpio
	INITRD=$(BUILD)/initrd.tar bash tools/bench.sh all

bench-linux: deps $(LINUX_BENCH)/initramfs.cpio
	bash tools/bench.sh linux
