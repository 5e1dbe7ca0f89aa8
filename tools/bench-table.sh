#!/bin/bash
# The side-by-side table of `make bench` (docs/benchmarks.md): reads the figure lines of
# WingOS (build/bench/wingos.txt) and of the Linux reference (build/bench/linux.txt), prints
# one Markdown table (operation, WingOS, Linux, Linux/WingOS), writes it to build/bench.md
# and draws build/bench.svg, a log-scale bar chart, with gnuplot. Either file may be missing
# (its column then says "-").
set -eu
cd "$(dirname "$0")/.."
dir=build/bench
wingos=$dir/wingos.txt
linux=$dir/linux.txt
touch "$wingos" "$linux" "$dir/wingos-disks.txt" "$dir/linux-disks.txt" "$dir/wingos-files.txt" \
    "$dir/linux-files.txt"

# Rows: label|WingOS figure|Linux figure (either may be empty). Pairs first, then the rest.
rows='null syscall|syscall_null|linux_getppid
IPC round trip, short message, same CPU (Linux: pipe)|ipc_call_same_cpu|linux_pipe_round_trip
IPC round trip, short message, same CPU (Linux: Unix socket)|ipc_call_same_cpu|linux_unix_socket_round_trip
context switch (Linux: sched_yield, half a ping-pong)|context_switch|linux_sched_yield_switch
futex wake/wait round trip||linux_futex_round_trip
IPC round trip, two CPUs|ipc_call_cross_cpu|
IPC round trip, whole messages (wg_call), same CPU|ipc_call_message_same_cpu|
one-way IPC send, per message|ipc_send|
IPC call with 4 KiB in shared memory|ipc_call_4k_shared|
name-server lookup|name_lookup|
map + unmap a page|map_unmap_page|
space create + destroy|space_create_destroy|
spawn a program and wait for it|spawn|
wake a task on another CPU|cross_cpu_wakeup|
disk: sequential read, 32 KiB requests, virtio-blk|blk_seq_read_virtio|linux_blk_seq_read_virtio
disk: sequential write, 32 KiB requests, virtio-blk|blk_seq_write_virtio|linux_blk_seq_write_virtio
disk: 4 KiB random read, queue depth 1, virtio-blk|blk_rand_read_qd1_virtio|linux_blk_rand_read_qd1_virtio
disk: 4 KiB random read, queue depth 32, virtio-blk|blk_rand_read_qd32_virtio|linux_blk_rand_read_qd32_virtio
disk: sequential read, 32 KiB requests, NVMe|blk_seq_read_nvme|linux_blk_seq_read_nvme
disk: sequential write, 32 KiB requests, NVMe|blk_seq_write_nvme|linux_blk_seq_write_nvme
disk: 4 KiB random read, queue depth 1, NVMe|blk_rand_read_qd1_nvme|linux_blk_rand_read_qd1_nvme
disk: 4 KiB random read, queue depth 32, NVMe|blk_rand_read_qd32_nvme|linux_blk_rand_read_qd32_nvme
file: write 1 MiB + fsync, ext2|fs_write_1m|linux_fs_write_1m
file: read 1 MiB, cold cache, ext2|fs_read_1m|linux_fs_read_1m
file: write 4 KiB + fsync, ext2|fs_write_4k|linux_fs_write_4k
file: read 4 KiB, cold cache, ext2|fs_read_4k|linux_fs_read_4k
file: create an empty file, ext2|fs_create|linux_fs_create
boot to the shell prompt (wall-clock ms)|boot_to_prompt|'

unit=$(sed -n 's/.* unit=\([a-z]*\) accel=\([a-z]*\).*/\1, \2/p' "$wingos" "$linux" | head -1)
echo "$rows" | awk -F'|' -v wingos="$wingos" -v linux="$linux" -v unit="${unit:-no figures}" \
    -v data="$dir/chart.dat" -v wdisks="$dir/wingos-disks.txt" -v ldisks="$dir/linux-disks.txt" \
    -v wfiles="$dir/wingos-files.txt" -v lfiles="$dir/linux-files.txt" '
function load(file, fig,    line, f, n, i) {
    while ((getline line < file) > 0) {
        n = split(line, f, " ")
        if (f[1] != "bench:" || f[3] !~ /^median=/) continue
        fig[f[2]] = substr(f[3], 8)
        for (i = 4; i <= n; i++) {
            if (f[i] ~ /^msgs_per_s=/) rate[f[2]] = commas(substr(f[i], 12)) " msgs/s"
            if (f[i] ~ /^mb_per_s=/) rate[f[2]] = commas(substr(f[i], 10)) " MB/s"
            if (f[i] ~ /^iops=/) rate[f[2]] = commas(substr(f[i], 6)) " IOPS"
            if (f[i] ~ /^ops_per_s=/) rate[f[2]] = commas(substr(f[i], 11)) " ops/s"
        }
    }
}
function commas(v,    s) {
    s = sprintf("%d", v)
    while (s ~ /[0-9][0-9][0-9][0-9]/) sub(/[0-9][0-9][0-9]($|,)/, ",&", s)
    return s
}
function show(fig, name) {
    if (name == "" || !(name in fig)) return "-"
    return commas(fig[name]) (name in rate ? " (" rate[name] ")" : "")
}
BEGIN {
    load(wingos, w); load(linux, l); load(wdisks, w); load(ldisks, l); load(wfiles, w); load(lfiles, l)
    print "| operation | WingOS | Linux | Linux/WingOS |"
    print "|---|---:|---:|---:|"
}
{
    ratio = ($2 in w && $3 in l && w[$2] > 0) ? sprintf("%.2f", l[$3] / w[$2]) : "-"
    printf "| %s | %s | %s | %s |\n", $1, show(w, $2), show(l, $3), ratio
    label = $2 ($2 != "" && $3 != "" ? " / " : "") substr($3, 7)
    if ($2 in w || $3 in l)
        printf "\"%s\" %s %s\n", label, ($2 in w ? w[$2] : "?"), ($3 in l ? l[$3] : "?") > data
}
END {
    printf "\nMedians in %s (%s). Disk rows: per request, between successive completions; file\n", unit, "lower is better"
    printf "rows: per operation; both in guest nanoseconds under TCG (-icount sleep=on: host time while\n"
    printf "waiting), in brackets the rate over the whole run in guest time (higher is better).\n"
}
' | tee build/bench.md

if command -v gnuplot >/dev/null 2>&1 && [ -s "$dir/chart.dat" ]; then
    gnuplot <<GNUPLOT
set terminal svg size 1200,600 dynamic font "sans,11"
set termoption noenhanced
set output "build/bench.svg"
set title "WingOS and Linux under the same QEMU: medians in ${unit:-?} (log scale, lower is better)"
set datafile missing "?"
set logscale y
set yrange [10:*]
set format y "%.0f"
set ylabel "${unit%%,*}"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set xtics rotate by -35 left font ",9" nomirror
set grid ytics
set key top left
set bmargin 11
set rmargin 8
plot "$dir/chart.dat" using 2:xtic(1) title "WingOS", "" using 3 title "Linux"
GNUPLOT
    echo "bench: wrote build/bench.md and build/bench.svg"
else
    echo "bench: wrote build/bench.md (no chart: gnuplot is missing or there are no figures)"
fi
