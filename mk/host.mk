# Host unit tests: kernel logic and lib/ compiled for the build machine with ASan and UBSan.
# Each tests/host/test_NAME.c becomes build/host/test_NAME, linked with test_main.c and the
# sources listed in HOST_SRCS_NAME.

HOST_CC     ?= gcc
HOST_CFLAGS := -std=gnu11 -g -O1 $(WARNINGS) -I. -Iinclude -DHEAP_DEBUG=1 \
               -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

HOST_TESTS := fmt string list pmm heap runqueue cpu_tree acpi handle_table elf ustar samples \
              ext2_read ext2_write ext2_hostile virtq pci_bar block \
              nvmeq prp sha256 vfs_path timer_queue heap_cache svc_config fs_dedup

HOST_SRCS_fmt    := lib/fmt.c
HOST_SRCS_string := lib/string.c
HOST_SRCS_list   :=
HOST_SRCS_pmm    := kernel/mm/pmm.c
HOST_SRCS_heap   := kernel/mm/heap.c tests/host/heap_fixture.c
HOST_SRCS_heap_cache := kernel/mm/heap.c kernel/mm/heap_cache.c tests/host/heap_fixture.c
HOST_SRCS_acpi   := kernel/acpi/acpi.c kernel/acpi/madt.c kernel/acpi/srat.c kernel/acpi/mcfg.c kernel/acpi/fadt.c lib/fmt.c
HOST_SRCS_runqueue := kernel/sched/runqueue.c
HOST_SRCS_cpu_tree := kernel/cpu_tree.c
HOST_SRCS_timer_queue := kernel/sched/timer_queue.c
# memcpy, strcmp and friends come from the host libc here (lib/string.c would clash).
HOST_SRCS_handle_table := kernel/space/handle_table.c
HOST_SRCS_elf          := kernel/exec/elf.c
HOST_SRCS_ustar        := kernel/exec/ustar.c
HOST_SRCS_samples      := lib/samples.c
# The ext2 library (user/lib/fs) with a file-backed device; images come from tests/ext2/.
EXT2_LIB_SRCS := $(wildcard user/lib/fs/*.c)
EXT2_TEST_SRCS := $(EXT2_LIB_SRCS) tests/host/ext2_host.c
HOST_SRCS_ext2_read    := $(EXT2_TEST_SRCS)
HOST_SRCS_ext2_write   := $(EXT2_TEST_SRCS)
HOST_SRCS_ext2_hostile := $(EXT2_TEST_SRCS)
# Pure logic of the disk drivers and the block protocol (user/).
HOST_SRCS_virtq        := user/services/virtio_blk/virtq.c
HOST_SRCS_pci_bar      := user/services/pci/bar.c
HOST_SRCS_block        := user/lib/block_check.c
HOST_SRCS_nvmeq        := user/services/nvme/nvmeq.c
HOST_SRCS_prp          := user/services/nvme/prp.c
# The VFS's pure logic and the shell's SHA-256 (user/lib).
HOST_SRCS_sha256       := user/lib/sha256.c
HOST_SRCS_vfs_path     := user/lib/vfs_path.c user/lib/fs_dirent.c
HOST_SRCS_fs_dedup     := user/lib/fs_dedup.c
# The service manager's configuration parser and dependency checks.
SVC_CONFIG_SRCS        := user/services/svcman/config.c user/services/svcman/config_keys.c \
                          user/services/svcman/deps.c lib/fmt.c
HOST_SRCS_svc_config   := $(SVC_CONFIG_SRCS)

# lib/string.c defines memcpy and friends; on the host they are renamed so they neither clash
# with libc nor escape ASan's interceptors.
HOST_EXTRA_string := -include tests/host/string_rename.h -fno-builtin
# block.h includes the code generated from idl/block.idl.
HOST_EXTRA_block  := -Ibuild/gen/idl -Iuser/lib
build/host/test_block: build/gen/idl/block_idl.h

define host_test_rule
build/host/test_$(1): tests/host/test_$(1).c tests/host/test_main.c tests/host/test.h $(HOST_SRCS_$(1)) \
                      $(wildcard $(HOST_SRCS_$(1):.c=.h)) | build/host
	$$(HOST_CC) $$(HOST_CFLAGS) $(HOST_EXTRA_$(1)) -o $$@ tests/host/test_$(1).c tests/host/test_main.c $(HOST_SRCS_$(1))
endef
$(foreach t,$(HOST_TESTS),$(eval $(call host_test_rule,$(t))))

HOST_TEST_BINS := $(addprefix build/host/test_,$(HOST_TESTS))

build/host:
	mkdir -p $@

.PHONY: host-tests host-test-bins
# Expanded late: mk/idl.mk adds its host tests to HOST_TEST_BINS after this file is read.
.SECONDEXPANSION:
host-test-bins: $$(HOST_TEST_BINS)
host-tests: $$(HOST_TEST_BINS)
	@status=0; for t in $(HOST_TEST_BINS); do $$t || status=1; done; exit $$status
