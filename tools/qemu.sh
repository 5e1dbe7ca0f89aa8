#!/bin/sh
# Boots a WingOS kernel in QEMU with the serial console on this terminal (or pipe).
# Usage: tools/qemu.sh KERNEL|IMAGE.iso [extra QEMU arguments...]
# An .iso boots from the CD through its GRUB (BIOS; with UEFI=1 through OVMF's firmware);
# APPEND and INITRD do not apply to it (its grub.cfg has them).
# Environment: SMP (CPUs, default 2), MEM (e.g. 512M, 5G; default 512M), NUMA (nodes, CPUs
# and memory split evenly; default none), KVM (0 forces TCG; otherwise KVM is used where
# tools/accel.sh finds it real), APPEND (kernel command line), QEMUFLAGS (added verbatim),
# INITRD (boot module), TCG_ACCEL (the -accel value under software emulation, default "tcg").
# DISK (a raw disk image) with DISK_IF (virtio, the default, or nvme), DISK2 with DISK2_IF
# (a second disk).
set -eu
kernel=$1
shift

smp=${SMP:-2}
mem=${MEM:-512M}
numa=${NUMA:-0}

# Memory size in MiB from forms like 512, 512M, 5G.
mem_mib() {
    case $1 in
    *[Gg]) echo $((${1%[Gg]} * 1024)) ;;
    *[Mm]) echo "${1%[Mm]}" ;;
    *) echo "$1" ;;
    esac
}

accel="-accel ${TCG_ACCEL:-tcg}"
kvm=$(sh "$(dirname "$0")/accel.sh")
[ "$kvm" = kvm ] && accel="-enable-kvm -cpu host,-arch-capabilities"

numa_args=""
if [ "$numa" -gt 0 ]; then
    total=$(mem_mib "$mem")
    if [ "$smp" -lt "$numa" ]; then
        echo "qemu.sh: NUMA=$numa needs SMP >= $numa" >&2
        exit 2
    fi
    i=0
    while [ "$i" -lt "$numa" ]; do
        size=$((total / numa))
        [ "$i" -eq $((numa - 1)) ] && size=$((total - size * (numa - 1)))
        first=$((i * smp / numa))
        last=$(((i + 1) * smp / numa - 1))
        numa_args="$numa_args -object memory-backend-ram,id=mem$i,size=${size}M"
        numa_args="$numa_args -numa node,nodeid=$i,cpus=$first-$last,memdev=mem$i"
        i=$((i + 1))
    done
    # Distances make QEMU build a SLIT: 10 local, 20 between any two nodes.
    a=0
    while [ "$a" -lt "$numa" ]; do
        b=$((a + 1))
        while [ "$b" -lt "$numa" ]; do
            numa_args="$numa_args -numa dist,src=$a,dst=$b,val=20"
            b=$((b + 1))
        done
        a=$((a + 1))
    done
fi

# disk_args ID IMAGE INTERFACE: QEMU arguments attaching a raw image.
disk_args() {
    case $3 in
    nvme) echo "-drive file=$2,if=none,id=$1,format=raw -device nvme,drive=$1,serial=wingos-$1" ;;
    virtio) echo "-drive file=$2,if=none,id=$1,format=raw -device virtio-blk-pci,drive=$1,disable-legacy=on" ;;
    *)
        echo "qemu.sh: unknown disk interface '$3' (virtio or nvme)" >&2
        exit 2
        ;;
    esac
}
disks=""
[ -n "${DISK:-}" ] && disks="$(disk_args disk0 "$DISK" "${DISK_IF:-virtio}")"
[ -n "${DISK2:-}" ] && disks="$disks $(disk_args disk1 "$DISK2" "${DISK2_IF:-virtio}")"

initrd_args=""
[ -n "${INITRD:-}" ] && initrd_args="-initrd ${INITRD}"
boot_args="-kernel $kernel $initrd_args"
firmware=""
case $kernel in
*.iso) boot_args="-cdrom $kernel -boot d" ;;
esac
if [ "${UEFI:-0}" = 1 ]; then
    code=/usr/share/OVMF/OVMF_CODE_4M.fd
    [ -e "$code" ] || code=/usr/share/OVMF/OVMF_CODE.fd
    vars="$(dirname "$0")/../build/ovmf-vars.fd" # a writable copy, made fresh each boot
    mkdir -p "$(dirname "$vars")"
    cp "$(dirname "$code")/$(basename "$code" | sed 's/CODE/VARS/')" "$vars"
    firmware="-drive if=pflash,format=raw,readonly=on,file=$code -drive if=pflash,format=raw,file=$vars"
fi

# shellcheck disable=SC2086
set -- -machine q35 $accel -smp "$smp" -m "$mem" $numa_args $firmware $boot_args \
    -display none -serial mon:stdio -no-reboot \
    -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
    $disks ${QEMUFLAGS:-} "$@"
case $kernel in
*.iso) ;;
*) set -- "$@" -append "${APPEND:-}" ;;
esac
echo "qemu.sh: SMP=$smp MEM=$mem NUMA=$numa accel=$kvm ($accel)" >&2
[ "$kvm" = kvm ] || exec qemu-system-x86_64 "$@"

# Under KVM, QEMU's messages pass through a watcher: a KVM error (which leaves QEMU paused for
# ever) or a KVM that does not start ends QEMU with a hint to force emulation. Its exit
# status is kept for the caller (the tests read the isa-debug-exit code).
echo "qemu.sh: KVM in use; if the boot hangs or dies, force emulation with KVM=0" >&2
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
{ { qemu-system-x86_64 -pidfile "$state/pid" "$@" 2>&1 1>&3 3>&-; echo $? > "$state/status"; } |
    while IFS= read -r line; do
        printf '%s\n' "$line" >&2
        case $line in
        *"KVM internal error"* | *"kvm run failed"* | *"entry failed"* | *"failed to initialize kvm"* | *"Could not access KVM"*)
            echo "qemu.sh: QEMU's KVM failed here; run again with KVM=0 (e.g. make run KVM=0) to use software emulation" >&2
            touch "$state/failed"
            [ -s "$state/pid" ] && kill "$(cat "$state/pid")" 2>/dev/null
            ;;
        esac
    done; } 3>&1
[ -e "$state/failed" ] && exit 1
exit "$(cat "$state/status" 2>/dev/null || echo 1)"
