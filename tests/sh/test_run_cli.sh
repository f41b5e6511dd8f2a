#!/bin/sh
# test_run_cli.sh: `policyctl run` from the command line: errors, exit status, -v,
# --dry-run, denial logs, fail-closed on supervisor death, and transparency of real programs.
# Needs POLICYCTL; prints "N passed, M failed" and fails if any check failed.

: "${POLICYCTL:?set POLICYCTL to the policyctl binary}"
HERE=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/plx-run-sh.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() {	# check NAME CMD...: CMD must succeed
	name=$1; shift
	if "$@"; then ok; else bad "$name"; fi
}

cat >"$T/permit.yaml" <<EOF
policy: 1
name: permit-all
default: permit
EOF
# permissive, but every file, socket and exec call goes through the supervisor
cat >"$T/supervised.yaml" <<EOF
policy: 1
name: supervised
default: permit
rules:
  - fsread: filename eq "/nonexistent/x" then deny
  - fswrite: filename eq "/nonexistent/x" then deny
  - execve: filename eq "/nonexistent/x" then deny
  - connect: sockaddr eq "inet-127.0.0.9:9" then deny
  - sendto: sockaddr eq "inet-127.0.0.9:9" then deny
  - sendmsg: sockaddr eq "inet-127.0.0.9:9" then deny
  - bind: sockaddr eq "inet-127.0.0.9:9" then deny
EOF
echo secret >"$T/secret"
echo public >"$T/public"

# The supervisor's own refusals (escapes) hold under a permit-all policy,
# and are logged as denials with their reason, as a rule's would be.
"$POLICYCTL" run -p "$T/permit.yaml" -- sh -c 'unshare -n true || echo refused; chroot / true || echo refused' >"$T/ref.out" 2>"$T/ref.err"
[ "$(grep -c refused "$T/ref.out")" = 2 ] && ok || { bad "namespace and chroot refused"; cat "$T/ref.out" "$T/ref.err"; }
grep -q "deny unshare (.*refused whatever the policy says: a namespace the supervisor does not share)" "$T/ref.err" && ok || { bad "unshare refusal logged"; cat "$T/ref.err"; }
grep -q "deny chroot (.*refused whatever the policy says: a root directory" "$T/ref.err" && ok || { bad "chroot refusal logged"; cat "$T/ref.err"; }
cat >"$T/deny.yaml" <<EOF
policy: 1
name: deny-secret
default: permit
errno: EACCES
rules:
  - fsread: filename eq "$T/secret" then deny
EOF
printf 'policy: 1\ndefault: permit\nrules:\n  - open: filename eq "/x" then frobnicate\n' >"$T/broken.yaml"

# --- usage and errors ----------------------------------------------------
"$POLICYCTL" run --help >"$T/out" 2>&1
check "--help exits 0" test $? -eq 0
check "--help prints usage" grep -q "usage: policyctl run" "$T/out"
"$POLICYCTL" run -- /bin/true >/dev/null 2>"$T/err"
check "no policy: usage error" test $? -eq 2
"$POLICYCTL" run -p "$T/permit.yaml" >/dev/null 2>&1
check "no program: usage error" test $? -eq 2
"$POLICYCTL" run -p "$T/missing.yaml" -- /bin/true 2>"$T/err"
check "missing policy: exit 1" test $? -eq 1
check "missing policy: named" grep -q "missing.yaml" "$T/err"
"$POLICYCTL" run -p "$T/broken.yaml" -- /bin/true 2>"$T/err"
check "bad policy: exit 1" test $? -eq 1
check "bad policy: file:line:col" grep -q "broken.yaml:4:[0-9]" "$T/err"
"$POLICYCTL" run -p "$T/permit.yaml" -- no-such-program-xyz 2>"$T/err"
check "program not found: 127" test $? -eq 127
check "program not found: said" grep -q "no-such-program-xyz" "$T/err"
"$POLICYCTL" run -p "$T/permit.yaml" -- "$T" 2>/dev/null
check "not executable: 126" test $? -eq 126

# --- status passes through -------------------------------------------------
"$POLICYCTL" run -p "$T/permit.yaml" -- /bin/sh -c 'exit 7'
check "exit status" test $? -eq 7
"$POLICYCTL" run -p "$T/permit.yaml" -- /bin/sh -c 'kill -TERM $$'
check "signal: 128+15" test $? -eq 143
out=$(echo hello | "$POLICYCTL" run -p "$T/supervised.yaml" -- /bin/cat)
check "stdin/stdout pass through" test "$out" = hello

# --- decisions --------------------------------------------------------------
"$POLICYCTL" run -p "$T/deny.yaml" -- /bin/cat "$T/public" >"$T/out" 2>"$T/err"
check "permit: runs" test $? -eq 0
check "permit: output" grep -q public "$T/out"
"$POLICYCTL" run -p "$T/deny.yaml" -- /bin/cat "$T/secret" >"$T/out" 2>"$T/err"
check "deny: cat fails" test $? -eq 1
check "deny: errno EACCES" grep -q "Permission denied" "$T/err"
check "deny: logged with file:line" grep -q "deny open filename=\"$T/secret\".*deny.yaml:6" "$T/err"
check "deny: nothing leaked" test ! -s "$T/out"
"$POLICYCTL" run --dry-run -p "$T/deny.yaml" -- /bin/cat "$T/secret" >"$T/out" 2>"$T/err"
check "dry-run: permitted" test $? -eq 0
check "dry-run: output" grep -q secret "$T/out"
check "dry-run: logged" grep -q "would deny open" "$T/err"
"$POLICYCTL" run -v -p "$T/deny.yaml" -- /bin/cat "$T/public" >/dev/null 2>"$T/err"
check "-v: permits printed" grep -q "permit open filename=\"$T/public\"" "$T/err"
check "-v: generic calls printed" grep -q "permit close" "$T/err"

# --- fail closed: the supervisor killed, the program dies with it ----------
"$POLICYCTL" run -p "$T/supervised.yaml" -- /bin/sh -c "echo \$\$ >$T/pid; exec sleep 30" &
sup=$!
i=0
while [ ! -s "$T/pid" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
kill -9 $sup
wait $sup 2>/dev/null
sleep 0.3
tpid=$(cat "$T/pid")
# dead or a zombie waiting for its new parent: not running
state=$(sed 's/.*) \(.\).*/\1/' "/proc/$tpid/stat" 2>/dev/null)
if [ -n "$state" ] && [ "$state" != Z ] && [ "$state" != X ]; then
	bad "program outlived its supervisor (state $state)"; kill -9 "$tpid"
else ok; fi

# --- several policies: program: switches on exec ------------------------------
envpath=$(command -v env)
cat >"$T/launch.yaml" <<EOF
policy: 1
name: launch
default: permit
rules:
  - fsread: filename eq "/nonexistent/x" then deny
EOF
cat >"$T/env.yaml" <<EOF
policy: 1
name: env
program: $envpath
default: permit
errno: EACCES
rules:
  - fsread: filename eq "$T/secret" then deny
EOF
out=$("$POLICYCTL" run -p "$T/launch.yaml" -p "$T/env.yaml" -- /bin/sh -c "cat $T/secret" 2>/dev/null)
check "several: launch policy applies" test "$out" = secret
"$POLICYCTL" run -p "$T/launch.yaml" -p "$T/env.yaml" -- /bin/sh -c "env cat $T/secret" >"$T/out" 2>"$T/err"
check "several: exec of program: switches" test $? -eq 1
check "several: denial names that policy" grep -q "deny open.*env.yaml:7" "$T/err"
check "several: nothing leaked" test ! -s "$T/out"
"$POLICYCTL" run -p "$T/launch.yaml" -p "$T/env.yaml" -- /bin/sh -c "env /bin/sh -c 'cat $T/secret'; cat $T/secret" >"$T/out" 2>/dev/null
check "several: children and their execs stay switched" test "$(cat "$T/out")" = secret
"$POLICYCTL" run -p "$T/launch.yaml" -p "$T/env.yaml" -- env cat "$T/secret" >/dev/null 2>&1
check "several: a launched program: runs under its policy" test $? -eq 1
"$POLICYCTL" run -p "$T/launch.yaml" -p "$T/env.yaml" -- env sh -c 'exit 5' 2>/dev/null
check "several: exit status" test $? -eq 5
mkdir -p "$T/pols"
cp "$T/launch.yaml" "$T/pols/10-launch.yaml"
cp "$T/env.yaml" "$T/pols/20-env.yaml"
echo "not a policy" >"$T/pols/README"
"$POLICYCTL" run -p "$T/pols" -- /bin/sh -c "cat $T/secret; env cat $T/secret" >"$T/out" 2>"$T/err"
check "several: a directory of policies" test "$(cat "$T/out")" = secret
check "several: directory policy named" grep -q "20-env.yaml:7" "$T/err"
cp "$T/env.yaml" "$T/pols/30-env2.yaml"
"$POLICYCTL" run -p "$T/pols" -- /bin/true 2>"$T/err"
check "several: two policies for one program: exit 1" test $? -eq 1
check "several: conflict named" grep -q "both apply to program" "$T/err"
"$POLICYCTL" run -p "$T/launch.yaml" -p "$T/broken.yaml" -- /bin/true 2>"$T/err"
check "several: a bad one is reported" grep -q "broken.yaml:4:[0-9]" "$T/err"
"$POLICYCTL" run -p "$T/launch.yaml" -p "$T/env.yaml" -- /bin/sh -c \
    'for i in 1 2 3 4 5 6 7 8 9 10; do env true & /bin/true & done; wait; echo ok' >"$T/out" 2>&1
check "several: many children, none lost" test "$(cat "$T/out")" = ok

# --- transparency: same output and status as a native run -------------------
# (a sanitizer build's leak checker cannot run in a traced process)
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
export ASAN_OPTIONS
same() {	# same NAME POLICY CMD...
	name=$1; pol=$2; shift 2
	(cd "$T/w" && "$@") >"$T/native.out" 2>&1
	ns=$?
	(cd "$T/w" && "$POLICYCTL" run -p "$T/$pol" -- "$@") >"$T/conf.out" 2>&1
	cs=$?
	if [ $ns -eq $cs ] && cmp -s "$T/native.out" "$T/conf.out"; then ok; else
		bad "transparency $name ($pol): status $ns vs $cs"
		diff "$T/native.out" "$T/conf.out" | head -5
	fi
}
mkdir -p "$T/w"
printf 'b\na\nc\n' >"$T/w/f"
for pol in permit.yaml supervised.yaml; do
	same "busybox sort" $pol busybox sort f
	same "busybox ls" $pol busybox ls -la /usr/share/doc/busybox-static
	same "busybox sh" $pol busybox sh -c 'cd /tmp && pwd && ls /proc/self/fd >/dev/null && echo ok'
	same "busybox find" $pol busybox find /usr/share/doc/busybox-static
	same "busybox file ops" $pol busybox sh -c 'busybox cp f g && busybox md5sum g &&
	    busybox mkdir -p d/e && busybox ln -s ../g d/l && busybox readlink d/l &&
	    busybox cat d/l && busybox mv g d/e/h && busybox chmod 600 d/e/h &&
	    busybox stat -c "%a %s %F" d/e/h && busybox touch -d @1000000000 d/e/h &&
	    busybox ls -l --full-time d/e/h | busybox awk "{print \$1, \$5, \$7}" &&
	    busybox tar cf - d | busybox tar tvf - | busybox sed "s/ .* / /" | busybox sort &&
	    busybox rm -r d && busybox ls'
	same "busybox sh errors" $pol busybox sh -c 'busybox cat /nonexistent; busybox ls /root/x; exit 3'

	same "false" $pol /bin/false
	if command -v python3 >/dev/null 2>&1; then
		same "python3" $pol python3 -c '
import json, threading, subprocess, os
r = []
ts = [threading.Thread(target=lambda i=i: r.append(json.dumps({"i": i}))) for i in range(8)]
[t.start() for t in ts]; [t.join() for t in ts]
print(len(r), subprocess.run(["/bin/echo", "sub"], capture_output=True).stdout.decode().strip())
print(open("f").read().split())'
		same "python3 signals" $pol python3 -c '
import os, signal
n = [0]
signal.signal(signal.SIGALRM, lambda s, f: n.__setitem__(0, n[0] + 1))
signal.setitimer(signal.ITIMER_REAL, 0.0003, 0.0003)
for i in range(2000):
    os.stat("f"); open("f").close(); os.chdir("." if i % 2 else "..")
    if i % 2 == 0: os.chdir("w") if os.path.isdir("w") else None
signal.setitimer(signal.ITIMER_REAL, 0)
print("ok", n[0] > 0)'
	fi
	if command -v git >/dev/null 2>&1; then
		rm -rf "$T/w/repo"
		same "git" $pol sh -c 'git init -q repo && cd repo && echo x >x && git add x &&
		    git -c user.name=t -c user.email=t@t commit -qm m && git log --format=%s && rm -rf ../repo'
	fi
	# the project's own tests (a reduced "make check": those that do not
	# confine programs themselves; a confined process cannot trace, so
	# the supervisor's own tests cannot run nested)
	if [ -n "${BUILD:-}" ]; then
		for t in test_lang test_eval test_blob test_regex test_import test_edit; do
			[ -x "$BUILD/tests/$t" ] && same "make check: $t" $pol "$BUILD/tests/$t"
		done
	fi
	same "make check: test_policyctl.sh" $pol env POLICYCTL="$POLICYCTL" sh "$HERE/test_policyctl.sh"
	if command -v gcc >/dev/null 2>&1; then
		printf '#include <stdio.h>\nint main(void){puts("hi");return 3;}\n' >"$T/w/h.c"
		same "gcc" $pol sh -c 'gcc -o h h.c && ./h; r=$?; rm -f h; exit $r'
	fi
done

# The stock python3 and build policies: a secret under a home directory
# cannot be opened (read, written, or as a directory), while its name and
# attributes stay visible to stat, decided by the kernel filter (so Python's
# hundreds of start-up stats never reach the supervisor).  /home is a
# tmpfs in a mount namespace of the test's own, so no real home is touched.
PY=/usr/bin/python3.11
if [ "$(id -u)" != 0 ] || [ ! -x "$PY" ] || ! command -v unshare >/dev/null 2>&1; then
	echo "SKIP: stock policies' secrets: needs root, $PY and unshare"
else
	cat >"$T/secrets.py" <<'EOF2'
import os, sys
k = "/home/u/.ssh/id_ed25519"
os.stat(k)
print("stat ok", os.path.exists(k))
for how in ("r", "a"):
    try:
        open(k, how)
        print("open", how, "allowed")
    except PermissionError:
        print("open", how, "denied")
try:
    os.listdir("/home/u/.ssh")
    print("list allowed")
except PermissionError:
    print("list denied")
print(open("/home/u/notes").read().strip())
EOF2
	for pol in python3.yaml build.yaml; do
		unshare -m sh -c "mount -t tmpfs none /home && mkdir -p /home/u/.ssh &&
		    echo key >/home/u/.ssh/id_ed25519 && echo notes >/home/u/notes &&
		    POLICYCTL_TALLY=1 '$POLICYCTL' run -p '$HERE/../../share/policies/$pol' -- $PY '$T/secrets.py'" \
		    >"$T/sec.out" 2>"$T/sec.err"
		printf 'stat ok True\nopen r denied\nopen a denied\nlist denied\nnotes\n' >"$T/sec.want"
		if cmp -s "$T/sec.out" "$T/sec.want"; then ok; else
			bad "$pol: secrets"; diff "$T/sec.want" "$T/sec.out"; cat "$T/sec.err"
		fi
		grep -q "deny open filename=\"/home/u/.ssh/id_ed25519\"" "$T/sec.err" && ok ||
		    { bad "$pol: the denied open logged"; cat "$T/sec.err"; }
		"$POLICYCTL" show "$HERE/../../share/policies/$pol" >"$T/sec.show"
		grep -q "kernel filter (BPF): stat, access, chdir, readlink" "$T/sec.show" && ok ||
		    bad "$pol: stat decided by the kernel filter"
	done
fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
