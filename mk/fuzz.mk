# Fuzz tests: libFuzzer targets (clang) for the ELF parser, the handle table, ustar, ACPI and ext2, each run for a
# bounded time from a small seed corpus. Each run prints "fuzz_NAME: 1 passed, 0 failed" (or
# "0 passed, 1 failed" after a crash, with the end of its log) for `make test` to count.
# Works included from the top-level Makefile or alone: make -f mk/fuzz.mk fuzz-tests
#   fuzz-tests        every fuzzer;  fuzz-NAME  one of them;  fuzz-bins  build only
# A crash leaves its input in build/fuzz/crash_NAME-*; rerun it with build/fuzz/fuzz_NAME FILE.

WARNINGS ?= -Wall -Wextra -Werror -Wstrict-prototypes -Wmissing-prototypes -Wshadow -Wvla

FUZZ_CC        ?= clang
FUZZ_CFLAGS    := -std=gnu11 -I. -Iinclude -g -O1 -fsanitize=fuzzer,address,undefined \
                  -fno-sanitize-recover=all $(WARNINGS)
FUZZ_RUN_FLAGS := -runs=200000 -max_total_time=15

FUZZERS := elf handle_table ustar acpi ext2 svc_config
FUZZ_SRCS_elf          := kernel/exec/elf.c
FUZZ_SRCS_handle_table := kernel/space/handle_table.c
FUZZ_SRCS_ustar        := kernel/exec/ustar.c
FUZZ_SRCS_acpi         := kernel/acpi/acpi.c kernel/acpi/madt.c kernel/acpi/srat.c lib/fmt.c
FUZZ_SRCS_ext2         := $(wildcard user/lib/fs/*.c)
FUZZ_SRCS_svc_config   := user/services/svcman/config.c user/services/svcman/config_keys.c \
                          user/services/svcman/deps.c lib/fmt.c

FUZZ_BINS := $(addprefix build/fuzz/fuzz_,$(FUZZERS))
FUZZ_SEEDS := build/fuzz/seeds.stamp

# Runs the fuzzers named in $(1) one after another; fails if any of them found something.
fuzz_run = status=0; \
	for f in $(1); do \
		log=build/fuzz/fuzz_$$f.log; mkdir -p build/fuzz/corpus_$$f; \
		if build/fuzz/fuzz_$$f $(FUZZ_RUN_FLAGS) -artifact_prefix=build/fuzz/crash_$$f- \
			build/fuzz/corpus_$$f build/fuzz/seed_$$f > $$log 2>&1; then \
			grep -E '^Done [0-9]+ runs' $$log | sed "s/^/fuzz_$$f: /"; \
			echo "fuzz_$$f: 1 passed, 0 failed"; \
		else \
			tail -n 40 $$log; echo "fuzz_$$f: 0 passed, 1 failed"; status=1; \
		fi; \
	done; exit $$status

define fuzz_rule
build/fuzz/fuzz_$(1): tests/fuzz/fuzz_$(1).c $(FUZZ_SRCS_$(1)) $(wildcard $(FUZZ_SRCS_$(1):.c=.h)) | build/fuzz
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) -o $$@ tests/fuzz/fuzz_$(1).c $(FUZZ_SRCS_$(1))

.PHONY: fuzz-$(1)
fuzz-$(1): build/fuzz/fuzz_$(1) $(FUZZ_SEEDS)
	@$$(call fuzz_run,$(1))
endef
$(foreach f,$(FUZZERS),$(eval $(call fuzz_rule,$(f))))

build/fuzz/make_seed: tests/fuzz/make_seed.c | build/fuzz
	$(FUZZ_CC) -std=gnu11 -O1 $(WARNINGS) -o $@ $<

$(FUZZ_SEEDS): build/fuzz/make_seed tests/ext2/mkseeds.sh tests/ext2/mkimage.sh \
               $(wildcard user/services/svcman/*.conf) tests/fuzz/svc_config_seed.conf
	mkdir -p $(addprefix build/fuzz/seed_,$(FUZZERS))
	build/fuzz/make_seed $(addprefix build/fuzz/seed_,elf handle_table ustar acpi)
	sh tests/ext2/mkseeds.sh build/fuzz/seed_ext2
	cp user/services/svcman/*.conf tests/fuzz/svc_config_seed.conf build/fuzz/seed_svc_config/
	touch $@

build/fuzz:
	mkdir -p $@

.PHONY: fuzz-tests fuzz-bins
fuzz-bins: $(FUZZ_BINS) $(FUZZ_SEEDS)
fuzz-tests: $(FUZZ_BINS) $(FUZZ_SEEDS)
	@$(call fuzz_run,$(FUZZERS))
