# Boot media (docs/building.md#boot-media). `make iso` builds build/wingos.iso with GRUB for
# BIOS and UEFI (grub-mkrescue from Debian's grub-pc-bin and grub-efi-amd64-bin, with
# xorriso and mtools) holding the kernel, the boot archive and tools/iso/grub.cfg;
# `make run-iso` boots it (UEFI=1: through OVMF).

ISO     := $(BUILD)/wingos.iso
ISO_DIR := $(BUILD)/iso

$(ISO): $(BUILD)/kernel32.elf $(BUILD)/initrd.tar tools/iso/grub.cfg mk/iso.mk
	@rm -rf $(ISO_DIR)
	@mkdir -p $(ISO_DIR)/boot/grub
	@cp $(BUILD)/kernel32.elf $(ISO_DIR)/boot/wingos.elf
	@cp $(BUILD)/initrd.tar $(ISO_DIR)/boot/initrd.tar
	@cp tools/iso/grub.cfg $(ISO_DIR)/boot/grub/grub.cfg
	@echo "  ISO     $@"
	@grub-mkrescue -o $@ $(ISO_DIR) > $(BUILD)/iso.log 2>&1 || { cat $(BUILD)/iso.log; exit 1; }

.PHONY: iso run-iso
iso: deps $(ISO)

run-iso: deps $(ISO)
	UEFI="$(UEFI)" sh tools/qemu.sh $(ISO)
