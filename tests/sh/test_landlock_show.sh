#!/bin/sh
# test_landlock_show.sh: `policyctl show` and `policyctl run -v` say where each rule is
# enforced (kernel filter, Landlock, supervisor) and why; a Landlock run decides as a supervised one.
# Needs POLICYCTL; prints "N passed, M failed" and fails if any check failed.

: "${POLICYCTL:?set POLICYCTL to the policyctl binary}"
T=$(mktemp -d /tmp/plx-landlock-sh.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# has NAME FILE TEXT: FILE has a line with TEXT (fixed string)
has() {
	if grep -qF -- "$3" "$2"; then ok; else bad "$1: no \"$3\""; cat "$2"; fi
}
hasnt() {
	if grep -qF -- "$3" "$2"; then bad "$1: \"$3\""; cat "$2"; else ok; fi
}

mkdir -p "$T/w/a" "$T/w/b" "$T/out"
cat >"$T/offload.yaml" <<EOF2
policy: 1
name: offload
default: permit
errno: EACCES
log: none
rules:
  - getppid: deny
  - rmdir: filename eq "$T/w" then deny
  - rename: filename eq "$T/w" then deny
  - fswrite: filename inpath "$T/w" then permit
  - fswrite: then deny
  - unmount: then deny
EOF2
sed 's/^log: none/log: deny/' "$T/offload.yaml" >"$T/logged.yaml"
sed "s|  - fswrite: filename inpath \"$T/w\" then permit|  - open: filename re \"^$T/w/\" then permit|" "$T/offload.yaml" >"$T/regex.yaml"

abi=$(POLICY_LANDLOCK_ABI= "$POLICYCTL" show "$T/offload.yaml" 2>/dev/null | sed -n 's/.*Landlock ABI \([0-9]*\).*/\1/p')
"$POLICYCTL" show --help >"$T/help" 2>&1
has "show --help" "$T/help" "Landlock"
"$POLICYCTL" run --help >"$T/help" 2>&1
has "run --help" "$T/help" "Landlock"

"$POLICYCTL" show "$T/offload.yaml" >"$T/show" 2>&1
has "show: section" "$T/show" "enforcement on Linux (Landlock ABI"
has "show: by name" "$T/show" "kernel filter (BPF): getppid"
if [ "${abi:-0}" -ge 3 ]; then
	has "show: write opens" "$T/show" "creat): Landlock, permitted beneath $T/w"
	has "show: inpath rule" "$T/show" "Landlock: open (write), creat, openat (write)"
	has "show: openat2" "$T/show" "supervisor: openat2 (write): openat2 keeps its flags in memory"
	has "show: other fswrite calls" "$T/show" "supervisor: truncate, rename, mkdir, rmdir, link, unlink, symlink, chmod, chown, utimes: its condition tests"
else
	echo "test_landlock_show: Landlock ABI ${abi:-0} < 3: offload checks skipped"
fi
# why a condition keeps a call supervised: what a pointer points to, or
# numbers in registers the filter does not test
cat >"$T/why.yaml" <<EOF2
policy: 1
name: why
default: permit
log: none
rules:
  - socket: domain eq AF_UNIX then permit
  - socket: then deny
  - connect: sockaddr eq "unix-/run/x" then deny
EOF2
"$POLICYCTL" show "$T/why.yaml" >"$T/show" 2>&1
has "why: pointer condition" "$T/show" "supervisor: connect: its condition tests what pointer arguments point to"
hasnt "why: no pointer reason for socket" "$T/show" "supervisor: socket: its condition tests what pointer"
# socket rules on the domain alone: the filter decides each domain
has "socket by domain" "$T/show" "kernel filter (BPF): socket"
hasnt "socket by domain: not supervised" "$T/show" "supervisor: socket"
# a rule on the type too: every socket is the supervisor's
sed 's/^  - socket: then deny/  - socket: type eq SOCK_RAW then deny\n  - socket: then deny/' "$T/why.yaml" >"$T/why2.yaml"
"$POLICYCTL" show "$T/why2.yaml" >"$T/show" 2>&1
has "why: register condition" "$T/show" "supervisor: socket: its condition tests numbers (flags, mode, ids, domain...) the filter leaves to the supervisor"
hasnt "why: type rule: socket not in the filter" "$T/show" "kernel filter (BPF): socket"
# sendto without an address is decided on no address: in the filter
cat >"$T/send.yaml" <<EOF2
policy: 1
name: send
default: permit
log: deny
rules:
  - sendto: sockaddr match "inet*" then deny
  - sendto: then permit
EOF2
"$POLICYCTL" show "$T/send.yaml" >"$T/show" 2>&1
has "sendto: no address" "$T/show" "kernel filter (BPF): sendto (no address)"
has "sendto: with an address" "$T/show" "supervisor: sendto (with an address): rules before it test what pointer arguments point to"
has "sendto: deny rule" "$T/show" "supervisor: sendto: denials are logged (log: deny)"
"$POLICYCTL" show "$T/logged.yaml" >"$T/show" 2>&1
has "logged: write opens" "$T/show" "write opens: supervisor: rule #4: its denials are logged (log: deny)"
has "logged: rule" "$T/show" "supervisor: open (write), creat, openat (write), openat2 (write): Landlock cannot decide write opens: rule #4: its denials are logged"
hasnt "logged: no Landlock" "$T/show" "Landlock: open"
# a widen rule lets a move past the move check: Landlock's grant would go
# with the directory moved, so no Landlock
sed "s|^rules:|rules:\n  - rename: filename eq \"$T/w\" and filename2 eq \"$T/w2\" then permit widen|" \
    "$T/offload.yaml" >"$T/widen.yaml"
"$POLICYCTL" show "$T/widen.yaml" >"$T/show" 2>&1
has "widen: why" "$T/show" "write opens: supervisor: rule #0: it widens"
hasnt "widen: no Landlock" "$T/show" "Landlock: open"
# a file named alone with a second name (a FIFO too) is not offloaded
mkfifo "$T/fifo" && ln "$T/fifo" "$T/fifo2"
sed "s|  - fswrite: filename inpath \"$T/w\" then permit|  - fswrite: filename eq \"$T/fifo\" then permit|" \
    "$T/offload.yaml" >"$T/fifo.yaml"
"$POLICYCTL" show "$T/fifo.yaml" >"$T/show" 2>&1
has "fifo: why" "$T/show" "the file has other hard links"
# unmount permitted (the default): a domain would refuse it, so no Landlock
grep -v '^  - unmount: then deny' "$T/offload.yaml" >"$T/unmount.yaml"
"$POLICYCTL" show "$T/unmount.yaml" >"$T/show" 2>&1
has "unmount: why" "$T/show" "write opens: supervisor: it may permit mount or unmount, which Landlock refuses a program in a domain"
hasnt "unmount: no Landlock" "$T/show" "Landlock: open"
"$POLICYCTL" show "$T/regex.yaml" >"$T/show" 2>&1
has "regex: why" "$T/show" "write opens: supervisor: rule #3: a regular expression Landlock cannot express"
hasnt "regex: no Landlock" "$T/show" "Landlock: open"
POLICY_LANDLOCK_ABI=0 "$POLICYCTL" show "$T/offload.yaml" >"$T/show" 2>&1
has "no Landlock" "$T/show" "write opens: supervisor: this kernel has no Landlock (POLICY_LANDLOCK_ABI)"
hasnt "no Landlock: none" "$T/show" "Landlock: open"

# Landlock's other rights: read opens, TCP ports, scopes, each with why
"$POLICYCTL" show "$T/regex.yaml" >"$T/show" 2>&1
has "reads: first rule" "$T/show" "read opens: supervisor: rule #3: a regular expression Landlock cannot express"
# reads.yaml: offload.yaml's write rules as read rules; connect and bind
# decided by name
sed 's/fswrite:/fsread:/' "$T/offload.yaml" >"$T/reads.yaml"
printf '  - connect: then deny\n  - bind: then permit\n' >>"$T/reads.yaml"
"$POLICYCTL" show "$T/reads.yaml" >"$T/show" 2>&1
if [ "${abi:-0}" -ge 1 ]; then
	has "reads: exec" "$T/show" "read opens: supervisor: Landlock's read right also binds execve, which reads the program and its ELF interpreter"
else
	has "reads: no Landlock" "$T/show" "read opens: supervisor: this kernel has no Landlock"
fi
has "tcp: by name" "$T/show" "TCP connect and bind: kernel filter: decided by name"
# by_abi MIN FILE NEW OLD: show FILE says NEW under Landlock ABI MIN or
# later (when the kernel has it), OLD under ABI MIN-1
by_abi() {
	if [ "${abi:-0}" -ge "$1" ]; then
		"$POLICYCTL" show "$2" >"$T/show" 2>&1
		has "ABI $1: $2" "$T/show" "$3"
	fi
	POLICY_LANDLOCK_ABI=$(($1 - 1)) "$POLICYCTL" show "$2" >"$T/show" 2>&1
	has "ABI below $1: $2" "$T/show" "$4"
}
by_abi 4 "$T/why.yaml" "TCP connect and bind: supervisor: rule #2: its address test applies to every socket, and Landlock's network rights hold TCP ports alone" \
    "has no network rights (4 or later)"
by_abi 6 "$T/why.yaml" "signals and abstract UNIX sockets (scopes): Landlock not used: a scope refuses what crosses the sandbox's boundary" \
    "has no scopes (6 or later)"
POLICY_LANDLOCK_ABI=0 "$POLICYCTL" show "$T/reads.yaml" >"$T/show" 2>&1
has "reads: ABI 0" "$T/show" "read opens: supervisor: this kernel has no Landlock"

# run -v: the same table first, for a run without -v
"$POLICYCTL" run -v -p "$T/offload.yaml" -- true >"$T/v.out" 2>"$T/v.err"
has "run -v: section" "$T/v.err" "enforcement on Linux (Landlock ABI"
has "run -v: note" "$T/v.err" "(-v: this run sends every call to the supervisor"

# the same decisions with Landlock and without, in a real shell
for a in "" 0; do
	rm -rf "$T/w/a/"* "$T/w/b/"* "$T/out/"*
	POLICY_LANDLOCK_ABI=$a POLICYCTL_TALLY=1 "$POLICYCTL" run -p "$T/offload.yaml" -- sh -c "
		echo one > $T/w/a/f && echo ok1
		echo two >> $T/w/a/f && echo ok2
		echo three > $T/out/g || echo denied3
		mv $T/w/a/f $T/w/b/f && echo moved4
		cat $T/w/b/f" >"$T/run$a" 2>"$T/runerr$a"
	has "run abi=$a: write" "$T/run$a" "ok1"
	has "run abi=$a: append" "$T/run$a" "ok2"
	has "run abi=$a: denied" "$T/run$a" "denied3"
	has "run abi=$a: denied EACCES" "$T/runerr$a" "cannot create $T/out/g: Permission denied"
	has "run abi=$a: moved across directories" "$T/run$a" "moved4"
	has "run abi=$a: content" "$T/run$a" "two"
	[ ! -e "$T/out/g" ] && ok || bad "run abi=$a: denied file made"
	# log: none: no denial logged, supervised or not
	hasnt "run abi=$a: log: none" "$T/runerr$a" " deny "
done
if cmp -s "$T/run" "$T/run0"; then ok; else bad "Landlock and supervised runs differ"; diff "$T/run" "$T/run0"; fi

echo "test_landlock_show: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
