#!/bin/sh
# timesplit.sh: where the time of a supervised open+close and stat goes: perf stat of native, the
# bare notification floor (bench_notify) and policyctl run, per call, on 2 CPUs and on one.
#
# Usage: sh bench/timesplit.sh [BUILD] [N]   (BUILD default build, N default 50000 calls)
# Per call: elapsed us (wall clock of the whole run / N), CPU us used by all
# its processes (task-clock), of which user and system (from rusage: tick
# granularity), the time no CPU ran any of them (elapsed - CPU: waiting to
# be woken; negative when both CPUs ran them at once), context switches and
# system calls (raw_syscalls:sys_enter, target and supervisor together).
# Start-up is included (a few ms: under 0.1 us per call at N=50000).
# task-clock misses part of policyctl run's CPU time (its rusage user+sys
# and system-wide sampling both find about 10 us per call more), so a
# last part splits each run on CPU 0 by system-wide cpu-clock samples
# (perf record -a): us per call in the target, in the supervisor and in
# anything else that ran on that CPU (other work on the machine).
# Needs perf (Debian: linux-perf) allowed to count (perf_event_paranoid <= 2
# for one's own processes; the last part needs root or paranoid <= 0).

B=${1:-build}
N=${2:-50000}
W=$B/bench/bench_run
P=$B/policyctl
F=$B/bench/bench_notify
command -v perf >/dev/null 2>&1 || { echo "timesplit.sh: no perf, skipped"; exit 0; }
for x in "$W" "$P" "$F"; do
	[ -x "$x" ] || { echo "timesplit.sh: build $x first"; exit 1; }
done
T=$(mktemp -d /tmp/timesplit.XXXXXX)
trap 'rm -rf "$T"' EXIT
echo data >"$T/file"
cat >"$T/sup.yaml" <<EOF
policy: 1
name: timesplit
default: permit
rules:
  - fsread: filename inpath "/nonexistent/timesplit" then deny
  - fswrite: filename inpath "/nonexistent/timesplit" then deny
  - execve: filename eq "/nonexistent/timesplit" then deny
EOF

# one LABEL KIND PIN CMD...: perf stat of CMD (bench_run --work KIND N file
# appended), one line of per-call figures
one() {
	label=$1 kind=$2 pin=$3
	shift 3
	if [ "$pin" = 1 ]; then set -- taskset -c 0 "$@"; fi
	perf stat -x, -e duration_time,user_time,system_time,task-clock \
	    -e context-switches,raw_syscalls:sys_enter \
	    -o "$T/st" -- "$@" "$W" --work "$kind" "$N" "$T/file" \
	    >/dev/null 2>"$T/err" || { echo "$label: failed"; return; }
	# value,unit,event,...: ns for the times, msec for task-clock
	awk -F, -v n="$N" -v l="$label" '
	    /^#/ || NF < 3 { next }
	    $3 == "duration_time" { el = $1 / 1000 }
	    $3 == "user_time" { us = $1 / 1000 }
	    $3 == "system_time" { sy = $1 / 1000 }
	    $3 == "task-clock" { cpu = $1 * 1000 }
	    $3 == "context-switches" { cs = $1 }
	    $3 == "raw_syscalls:sys_enter" { sc = $1 }
	    END { printf "%-34s %8.2f %7.2f %6.2f %6.2f %7.2f %6.2f %6.2f\n",
		l, el / n, cpu / n, us / n, sy / n, (el - cpu) / n, cs / n,
		sc / n }' "$T/st"
}

hdr() {
	printf "%-34s %8s %7s %6s %6s %7s %6s %6s\n" "$1" elapsed CPU user \
	    sys idle csw calls
}

for pin in 0 1; do
	echo
	if [ "$pin" = 1 ]; then hdr "us per call, all on CPU 0"
	else hdr "us per call, 2 CPUs"; fi
	for kind in open stat; do
		call=openat
		[ $kind = stat ] && call=newfstatat
		one "$kind native" $kind $pin
		one "$kind floor: CONTINUE" $kind $pin "$F" -s $call --
		[ $kind = open ] && one "$kind floor: copy, open, ADDFD" \
		    $kind $pin "$F" -a -s openat --
		one "$kind policyctl run" $kind $pin "$P" run -p "$T/sup.yaml" --
	done
done

# split LABEL KIND CMD...: CMD on CPU 0, sampled system-wide; the samples
# of CPU 0 in the target (bench_run), in the rest of the run's processes
# (the supervisor: the run's first process and its descendants, followed
# through the recorded forks) and in anything else, as us per call.
split() {
	label=$1 kind=$2
	shift 2
	perf record -q -a -C 0 -e cpu-clock -F 2000 -o "$T/rec" -- \
	    sh -c 'echo $$ >"$0"; exec "$@"' "$T/root" \
	    taskset -c 0 "$@" "$W" --work "$kind" "$N" "$T/file" \
	    >"$T/out" 2>"$T/err" || { echo "$label: failed"; return; }
	ns=$(tail -n 1 "$T/out")
	perf script -i "$T/rec" --show-task-events -F comm,pid 2>/dev/null |
	    awk -v l="$label" -v ns="$ns" -v root="$(cat "$T/root")" '
	    BEGIN { ours[root] = 1 }
	    /PERF_RECORD_FORK/ {
		# FORK(child:tid):(parent:tid): child f[i+1], parent f[i+5]
		split($0, f, /[():]/)
		for (i = 1; i in f; i++)
			if (f[i] ~ /PERF_RECORD_FORK$/) {
				if (f[i + 5] in ours)
					ours[f[i + 1]] = 1
				break
			}
		next
	    }
	    /PERF_RECORD/ { next }
	    NF >= 2 {
		pid = $NF; n++
		if (!(pid in ours)) o++
		else if ($1 == "bench_run") t++
		else s++
	    }
	    END { if (n == 0) n = 1
		printf "%-34s %8.2f %7.2f %7.2f %7.2f\n", l, ns / 1000,
		ns / 1000 * t / n, ns / 1000 * s / n, ns / 1000 * o / n }'
}

if [ "$(id -u)" = 0 ] || [ "$(cat /proc/sys/kernel/perf_event_paranoid)" -le 0 ]; then
	echo
	printf "%-34s %8s %7s %7s %7s\n" "us per call on CPU 0, sampled" \
	    elapsed target superv. other
	split "open native" open
	split "open floor: CONTINUE" open "$F" -s openat --
	split "open floor: copy, open, ADDFD" open "$F" -a -s openat --
	split "open policyctl run" open "$P" run -p "$T/sup.yaml" --
	split "stat native" stat
	split "stat floor: CONTINUE" stat "$F" -s newfstatat --
	split "stat policyctl run" stat "$P" run -p "$T/sup.yaml" --
fi
