#!/bin/sh
# The build's dependency step: checks for every tool WingOS needs and installs what is
# missing from Debian's packages (as root, or through sudo without a password); otherwise
# prints the exact command to run.
set -eu

# tool:package pairs
needs="gcc:gcc ld:binutils objcopy:binutils nm:binutils make:make \
qemu-system-x86_64:qemu-system-x86 clang:clang clang-format:clang-format mke2fs:e2fsprogs \
gdb:gdb python3:python3 cpio:cpio gnuplot:gnuplot-nox"

missing=""
for pair in $needs; do
    tool=${pair%%:*}
    package=${pair#*:}
    command -v "$tool" >/dev/null 2>&1 && continue
    case " $missing " in *" $package "*) ;; *) missing="$missing $package" ;; esac
done
# The host tests link with ASan and UBSan, whose runtimes come with gcc's libasan/libubsan.
if command -v gcc >/dev/null 2>&1 && ! echo 'int main(void){return 0;}' |
    gcc -x c -fsanitize=address,undefined -o /dev/null - >/dev/null 2>&1; then
    missing="$missing libasan8 libubsan1"
fi
# The bounded fuzz runs link clang's libFuzzer runtime (libclang-rt-14-dev on Debian 12).
if command -v clang >/dev/null 2>&1 && ! echo 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n){(void)d;(void)n;return 0;}' |
    clang -x c -fsanitize=fuzzer -o /dev/null - >/dev/null 2>&1; then
    missing="$missing libclang-rt-14-dev"
fi
# `make bench` boots Debian's cloud kernel beside WingOS (docs/benchmarks.md) with a static
# init program, which needs libc's static archive.
ls /boot/vmlinuz-*-cloud-amd64 >/dev/null 2>&1 || missing="$missing linux-image-cloud-amd64"
if command -v gcc >/dev/null 2>&1 && ! echo 'int main(void){return 0;}' |
    gcc -x c -static -o /dev/null - >/dev/null 2>&1; then
    missing="$missing libc6-dev"
fi
# `make iso` (GRUB for BIOS and UEFI in one ISO) and booting it under UEFI (OVMF).
[ -d /usr/lib/grub/i386-pc ] || missing="$missing grub-pc-bin"
[ -d /usr/lib/grub/x86_64-efi ] || missing="$missing grub-efi-amd64-bin"
command -v grub-mkrescue >/dev/null 2>&1 || missing="$missing grub-common"
command -v xorriso >/dev/null 2>&1 || missing="$missing xorriso"
command -v mformat >/dev/null 2>&1 || missing="$missing mtools"
[ -e /usr/share/OVMF/OVMF_CODE.fd ] || [ -e /usr/share/OVMF/OVMF_CODE_4M.fd ] ||
    missing="$missing ovmf"
[ -z "$missing" ] && exit 0

command="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" = 0 ]; then
    echo "deps: installing$missing"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive $command
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    echo "deps: installing$missing (sudo)"
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive $command
else
    echo "deps: missing$missing; install them with:"
    echo "    sudo apt-get update && sudo $command"
    exit 1
fi
