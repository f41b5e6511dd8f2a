#!/bin/sh
# test_run_cli.sh: `policyctl run` from the command line: errors, exit status, -v,
# --dry-run, denial logs, fail-closed on supervisor death, and transparency of real programs.
# Needs POLICYCTL; prints "N passed, M failed" and fails if any check failed.

: "${POLICYCTL:?set POLICYCTL to the policyctl binary}"
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

# --- transparency: same output and status as a native run -------------------
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
	same "false" $pol /bin/false
	if command -v python3 >/dev/null 2>&1; then
		same "python3" $pol python3 -c '
import json, threading, subprocess, os
r = []
ts = [threading.Thread(target=lambda i=i: r.append(json.dumps({"i": i}))) for i in range(8)]
[t.start() for t in ts]; [t.join() for t in ts]
print(len(r), subprocess.run(["/bin/echo", "sub"], capture_output=True).stdout.decode().strip())
print(open("f").read().split())'
	fi
	if command -v git >/dev/null 2>&1; then
		rm -rf "$T/w/repo"
		same "git" $pol sh -c 'git init -q repo && cd repo && echo x >x && git add x &&
		    git -c user.name=t -c user.email=t@t commit -qm m && git log --format=%s && rm -rf ../repo'
	fi
	if command -v gcc >/dev/null 2>&1; then
		printf '#include <stdio.h>\nint main(void){puts("hi");return 3;}\n' >"$T/w/h.c"
		same "gcc" $pol sh -c 'gcc -o h h.c && ./h; r=$?; rm -f h; exit $r'
	fi
done

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
