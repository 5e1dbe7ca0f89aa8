# User programs and the initrd. The user library (user/lib/, the test library user/lib/test/,
# lib/string.c, lib/fmt.c, lib/samples.c and lib/fsbench_jobs.c) becomes build/user/libwingos.a; every directory
# user/services/NAME/, user/apps/NAME/ or user/tests/NAME/ (test-only programs) with .c files
# becomes the static executable build/user/bin/NAME, linked with user/lib/user.ld;
# build/initrd.tar is a ustar archive of them all, each under its program name.

USER_CFLAGS := -std=gnu11 -O2 -g $(WARNINGS) -I. -Iinclude -Iuser/lib -I$(IDL_GEN) -I$(SYSCALL_GEN) \
               -ffreestanding -fno-pic -fno-pie -fno-stack-protector \
               -fno-asynchronous-unwind-tables -fno-tree-loop-distribute-patterns -MMD -MP
USER_ASFLAGS := -g -I. -Iinclude -Iuser/lib -MMD -MP
USER_LDFLAGS := -static -nostdlib -z max-page-size=0x1000 -z noexecstack -T user/lib/user.ld
USER_LIBGCC  := $(shell $(CC) -print-libgcc-file-name)

USER_OBJ := $(BUILD)/user/obj
USER_LIB_SRCS := $(filter-out user/lib/crt0.S,$(wildcard user/lib/*.c)) $(wildcard user/lib/test/*.c) \
                 lib/string.c lib/fmt.c lib/samples.c lib/fsbench_jobs.c $(wildcard user/lib/fs/*.c) $(IDL_GEN_SRCS) \
                 $(SYSCALL_GEN)/syscalls_user.c
USER_LIB_OBJS := $(patsubst %.c,$(USER_OBJ)/%.o,$(USER_LIB_SRCS))
USER_CRT0     := $(USER_OBJ)/user/lib/crt0.o
USER_LIB      := $(BUILD)/user/libwingos.a

USER_PROGRAM_DIRS := $(sort $(patsubst %/,%,$(dir $(wildcard user/services/*/*.c user/apps/*/*.c user/tests/*/*.c))))
USER_PROGRAMS     := $(notdir $(USER_PROGRAM_DIRS))
USER_BINS         := $(addprefix $(BUILD)/user/bin/,$(USER_PROGRAMS))
ifneq ($(words $(USER_PROGRAMS)),$(words $(sort $(USER_PROGRAMS))))
$(error two user programs share a name: $(USER_PROGRAM_DIRS))
endif

$(USER_OBJ)/%.o: %.c Makefile mk/user.mk | $(IDL_GEN_HDRS) $(SYSCALL_GEN)/syscalls_user.h
	@mkdir -p $(dir $@)
	@echo "  CC      $< (user)"
	@$(CC) $(USER_CFLAGS) -c $< -o $@

$(USER_OBJ)/%.o: %.S Makefile mk/user.mk
	@mkdir -p $(dir $@)
	@echo "  AS      $< (user)"
	@$(CC) $(USER_ASFLAGS) -c $< -o $@

$(USER_LIB): $(USER_LIB_OBJS)
	@rm -f $@
	@echo "  AR      $@"
	@ar rcs $@ $^

# user_program_rule DIR: build/user/bin/NAME from DIR/*.c.
define user_program_rule
$(BUILD)/user/bin/$(notdir $(1)): $(patsubst %.c,$(USER_OBJ)/%.o,$(wildcard $(1)/*.c)) \
                                  $(USER_CRT0) $(USER_LIB) user/lib/user.ld
	@mkdir -p $$(dir $$@)
	@echo "  LD      $$@"
	@$(LD) $(USER_LDFLAGS) -o $$@ $(USER_CRT0) \
		$(patsubst %.c,$(USER_OBJ)/%.o,$(wildcard $(1)/*.c)) $(USER_LIB) $(USER_LIBGCC)
endef
$(foreach d,$(USER_PROGRAM_DIRS),$(eval $(call user_program_rule,$(d))))

# The service manager's configurations travel in the archive beside the programs.
USER_CONFIGS := $(notdir $(wildcard user/services/svcman/*.conf))

$(BUILD)/user/bin/%.conf: user/services/svcman/%.conf
	@mkdir -p $(dir $@)
	@cp $< $@

# Names only (no "./" entries), fixed owner and time, so the same programs give the same bytes.
$(BUILD)/initrd.tar: $(USER_BINS) $(addprefix $(BUILD)/user/bin/,$(USER_CONFIGS))
	@echo "  TAR     $@ ($(USER_PROGRAMS) $(USER_CONFIGS))"
	@tar --format=ustar --owner=0 --group=0 --numeric-owner --mtime=@0 --mode=a-w \
		-cf $@ -C $(BUILD)/user/bin $(USER_PROGRAMS) $(USER_CONFIGS)

.PHONY: user
user: $(BUILD)/initrd.tar

-include $(USER_LIB_OBJS:.o=.d) $(USER_CRT0:.o=.d) \
         $(patsubst %.c,$(USER_OBJ)/%.d,$(wildcard $(addsuffix /*.c,$(USER_PROGRAM_DIRS))))
