#!/bin/sh
# Prints the accelerator QEMU should use here: "kvm" only when KVM is not turned off (KVM=0),
# /dev/kvm is readable and writable AND the host CPU really has hardware virtualization (the
# vmx or svm flag in /proc/cpuinfo): some cloud hosts expose a /dev/kvm without it that fails
# at the guest's first ldmxcsr. Otherwise "tcg" (QEMU's software emulation).
# Used by tools/qemu.sh (make run, debug, test) and tools/bench.sh (make bench).
if [ "${KVM:-1}" != 0 ] && [ -r /dev/kvm ] && [ -w /dev/kvm ] &&
    grep -qwE 'vmx|svm' /proc/cpuinfo 2>/dev/null; then
    echo kvm
else
    echo tcg
fi
