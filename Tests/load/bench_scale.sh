#!/usr/bin/env bash
# How one sample scales with the machine's size beyond the process count: 64 CPUs' worth of /proc/stat lines and
# 200 mounted filesystems, faked in a private mount namespace (root needed; nothing outside it changes).
#
#   - 64 CPUs: a copy of /proc/stat with its per-CPU lines repeated up to cpu63 (each line a real one, numbered
#     anew), bind-mounted over /proc/stat: glanced's CPU readers and percpu plugin parse and render 64 CPUs.
#   - 200 mounts: 200 small ext2 filesystems (1 MiB image files, loop-mounted read-only; the loop devices go when
#     the namespace does), so the fs plugin lists, statvfs()es and renders 200 more filesystems (bind mounts of one
#     filesystem would not do: the fs plugin shows one mount per device, as psutil's users expect).
#
# For each case GlancedBench takes the samples and the C /proc floor (which reads the per-process files only) on
# the same 1,000 idle extra processes; prints one table row per case.
#
# Usage: sudo bash Tests/load/bench_scale.sh [GlancedBench binary] [extra processes] [iterations]
set -euo pipefail
bench=${1:-.build/release/GlancedBench}
extra=${2:-1000}
iterations=${3:-10}
bench=$(realpath "$bench")

run_case() {
    local label=$1 cpus=$2 mounts=$3
    unshare --mount --propagation private bash -s "$bench" "$extra" "$iterations" "$cpus" "$mounts" "$label" <<'INNER'
set -euo pipefail
bench=$1 extra=$2 iterations=$3 cpus=$4 mounts=$5 label=$6
work=$(mktemp -d)
if ((cpus > 0)); then
    # The aggregate line, then cpu0..cpu(N-1) made from the real per-CPU lines in turn, then the rest.
    awk -v n="$cpus" '
        /^cpu / { print; next }
        /^cpu[0-9]/ { sub(/^cpu[0-9]+/, ""); lines[count++] = $0; next }
        { rest[r++] = $0 }
        END { for (i = 0; i < n; i++) print "cpu" i lines[i % count]; for (i = 0; i < r; i++) print rest[i] }
    ' /proc/stat >"$work/stat"
    mount --bind "$work/stat" /proc/stat
fi
for ((i = 0; i < mounts; i++)); do
    mkdir -p "$work/m$i"
    truncate -s 1M "$work/fs$i.img"
    mkfs.ext2 -q -F "$work/fs$i.img"
    mount -o loop,ro "$work/fs$i.img" "$work/m$i"
done
out=$("$bench" --extra "$extra" --iterations "$iterations" --codec 0)
sample=$(awk '/^full sample:/ { print $4 }' <<<"$out")
floor=$(awk '/^floor: / { print $3 }' <<<"$out")
ratio=$(awk '/^ratio:/ { print $3 }' <<<"$out" | tr -d ,)
getall=$(awk '/^full sample:/ { print $(NF - 1) }' <<<"$out")
printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$(grep -c '^cpu[0-9]' /proc/stat)" \
    "$(wc -l </proc/self/mountinfo)" "$sample" "$floor" "$ratio" "$getall"
for ((i = 0; i < mounts; i++)); do umount "$work/m$i"; done
rm -rf "$work"
INNER
}

# Loop devices the kernel adds for the images stay listed (unattached) in /proc/diskstats afterwards: the ones
# this run added are removed at the end.
loops_before=$(ls /sys/block | grep -c '^loop' || true)
remove_added_loops() {
    python3 - "$loops_before" <<'PY'
import fcntl, os, sys
first = int(sys.argv[1])
names = sorted(int(n[4:]) for n in os.listdir("/sys/block") if n.startswith("loop"))
control = os.open("/dev/loop-control", os.O_RDWR)
for number in names[first:]:
    try:
        fcntl.ioctl(control, 0x4C81, number)  # LOOP_CTL_REMOVE
    except OSError:
        pass
PY
}
trap remove_added_loops EXIT

echo "| case | /proc/stat CPU lines | mountinfo entries | sample CPU ms | floor CPU ms | sample / floor | getAll bytes |"
echo "|---|---|---|---|---|---|---|"
run_case "as the machine is" 0 0
run_case "64 CPUs" 64 0
run_case "200 mounts" 0 200
run_case "64 CPUs and 200 mounts" 64 200
