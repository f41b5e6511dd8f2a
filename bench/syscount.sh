#!/bin/sh
# syscount.sh: the supervisor's own system calls per notification, for supervised open+close
# (and of a missing file) and stat with absolute and relative paths (strace -c attached to the supervisor's threads only).
#
# Usage: sh bench/syscount.sh [BUILD] [N]   (BUILD default build, N default 10000 calls)
# The confined program (bench_run --work KIND N FILE 1) makes one call, then
# waits on its stdin; strace -f -c is attached to every thread of the
# supervisor (policyctl run) meanwhile, the program is let go for the other
# N-1 calls, and strace's table, divided by N-1, is printed per call kind.
# Needs strace.  Both policies send every file call to the supervisor; under
# the first, execve is supervised too (as in make bench); under the second the
# filter lets it through by name, so the supervisor checks after each copy
# that the call is still pending (SECCOMP_IOCTL_NOTIF_ID_VALID): another
# thread's exec, which it does not see, may have replaced the memory it read.

B=${1:-build}
N=${2:-10000}
P=$B/policyctl
W=$B/bench/bench_run
command -v strace >/dev/null 2>&1 || { echo "syscount.sh: no strace, skipped"; exit 0; }
[ -x "$P" ] && [ -x "$W" ] || { echo "syscount.sh: build $P and $W first"; exit 1; }
P=$(cd "$(dirname "$P")" && pwd)/policyctl
W=$(cd "$(dirname "$W")" && pwd)/bench_run
T=$(mktemp -d /tmp/syscount.XXXXXX)
trap 'rm -rf "$T"' EXIT
cat >"$T/noexec.yaml" <<EOF
policy: 1
name: syscount
default: permit
rules:
  - fsread: filename inpath "/nonexistent/syscount" then deny
  - fswrite: filename inpath "/nonexistent/syscount" then deny
EOF
{ cat "$T/noexec.yaml"; echo '  - execve: filename eq "/nonexistent/syscount" then deny'; } >"$T/exec.yaml"
echo data >"$T/file"
mkfifo "$T/in"

# count KIND FILE: supervisor system calls per call, by name, under $pol
count() {
	cp "$T/$pol.yaml" "$T/sup.yaml"
	(cd "$T" && "$P" run -p "$T/sup.yaml" -- "$W" --work "$1" "$N" "$2" 1 \
	    <"$T/in" >"$T/out" 2>"$T/err") &
	run=$!
	exec 3>"$T/in"
	i=0
	while ! grep -q mark "$T/out" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1; i=$((i + 1)); done
	sup=$(pgrep -f -n "policyctl run -p $T/sup.yaml")
	tids=$(ls "/proc/$sup/task" | sed 's/^/-p /' | tr '\n' ' ')
	# shellcheck disable=SC2086
	strace -f -c -o "$T/st" $tids 2>/dev/null &
	st=$!
	sleep 0.5
	echo g >&3
	exec 3>&-
	wait $run
	sleep 0.2
	kill -INT $st 2>/dev/null
	wait $st 2>/dev/null
	awk -v n=$((N - 1)) -v k="$1 $2" '
	    $1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" && $NF != "wait4" &&
	    $NF != "restart_syscall" && $4 >= n * 0.9 {
		s = s sprintf(" %s %.2f", $NF, $4 / n); t += $4 / n }
	    END { printf "%-26s %5.2f per call:%s\n", k, t, s }' "$T/st"
}

echo "supervisor system calls per supervised call (strace -f -c on its threads, $((N - 1)) calls)"
for pol in exec noexec; do
	if [ $pol = exec ]; then echo "execve supervised:"
	else echo "execve decided by name in the filter:"; fi
	count open "$T/file"
	count open file
	count missing "$T/missing"
	count stat "$T/file"
	count stat file
done
