#!/bin/sh
# test_learn.sh: `policyctl learn` on five real programs (ls, python3 -c, git status, gcc -c,
# curl against a loopback server): the learned policy, run back enforcing, lets the same run
# succeed and denies an access the run did not make.  Prints "N passed, M failed".

: "${POLICYCTL:?set POLICYCTL to the policyctl binary}"
T=$(mktemp -d /tmp/plx-learn.XXXXXX)
SRV=""
trap '[ -n "$SRV" ] && kill $SRV 2>/dev/null; rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { cname=$1; shift; if "$@"; then ok; else bad "$cname"; fi; }
has() { if grep -qF -- "$2" "$1"; then ok; else bad "$3: no '$2' in $1"; tail -5 "$1"; fi; }

W=$T/w
mkdir -p "$W" "$T/home"
printf '[user]\n\tname = t\n\temail = t@t\n' >"$T/home/.gitconfig"
export HOME="$T/home" LC_ALL=C.UTF-8
unset POLICYD_SOCKET

# roundtrip NAME SETUP NEW DENIAL CMD...: learn CMD (after the shell
# command SETUP), check the policy, run CMD again under it (same output and
# status), then NEW (a command line making an access CMD did not) must fail
# under it, with DENIAL in the supervisor's log.
roundtrip() {
	rt=$1 setup=$2 new=$3 denial=$4
	shift 4
	(cd "$W" && eval "$setup")
	(cd "$W" && "$@") >"$T/native.out" 2>"$T/native.err"
	nst=$?
	(cd "$W" && eval "$setup")
	(cd "$W" && timeout 120 "$POLICYCTL" learn -o "$T/$rt.yaml" -- "$@") \
	    >"$T/out" 2>"$T/err"
	lst=$?
	check "$rt: learn exits as the program ($lst, $nst)" test $lst -eq $nst
	has "$T/err" "policy written to $T/$rt.yaml" "$rt: learn says so"
	"$POLICYCTL" check -q "$T/$rt.yaml"
	check "$rt: learned policy is valid" test $? -eq 0
	has "$T/$rt.yaml" "default: deny" "$rt: enforcing"
	check "$rt: a comment per rule" test "$(grep -c "^  - " "$T/$rt.yaml")" -eq \
	    "$(grep -Ec "^  # ([0-9]* call|implied: )" "$T/$rt.yaml")"
	(cd "$W" && eval "$setup")
	(cd "$W" && timeout 120 "$POLICYCTL" run -p "$T/$rt.yaml" -- "$@") \
	    >"$T/out" 2>"$T/err"
	rst=$?
	check "$rt: the same run succeeds under it ($rst, $nst)" test $rst -eq $nst
	if cmp -s "$T/out" "$T/native.out"; then ok; else
		bad "$rt: same output"; diff "$T/native.out" "$T/out" | head -5
	fi
	if grep -q "deny" "$T/err"; then bad "$rt: the same run was denied something"
		grep deny "$T/err" | head -5; else ok; fi
	(cd "$W" && eval "set -- $new" && timeout 120 "$POLICYCTL" run \
	    -p "$T/$rt.yaml" -- "$@") >"$T/out" 2>"$T/err"
	check "$rt: a new access fails" test $? -ne 0
	has "$T/err" "$denial" "$rt: the new access is denied and logged"
}

# --- ls -----------------------------------------------------------------------------
mkdir -p "$W/d" "$W/e"
touch "$W/d/a" "$W/d/b" "$W/e/c"
roundtrip ls ":" "ls '$W/e'" "deny stat filename=\"$W/e\"" ls "$W/d"
has "$T/ls.yaml" 'match "/usr/lib/x86_64-linux-gnu/*.so*"' "ls: libraries by directory glob"
has "$T/ls.yaml" "inpath \"/usr/lib/locale\"" "ls: locale files by directory"
has "$T/ls.yaml" "fsread: filename eq \"$W/d\" then permit" "ls: the directory exactly"
has "$T/ls.yaml" "execve: filename eq \"$(readlink -f "$(command -v ls)")\"" "ls: the program"

# --- python3 -c ----------------------------------------------------------------------
echo hello >"$W/a.txt"
echo other >"$W/b.txt"
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
roundtrip python3 ":" "$PY -c 'print(open(\"b.txt\").read())'" \
    "deny open filename=\"$W/b.txt\"" "$PY" -c 'print(open("a.txt").read().strip())'
has "$T/python3.yaml" "inpath \"/usr/lib/python3." "python3: its library tree"
has "$T/python3.yaml" "fsread: filename eq \"$W/a.txt\"" "python3: the file it read"

# --- git status -----------------------------------------------------------------------
# old timestamps: no "racily clean" entries, so git status does the same
# (no index refresh) every time
git init -q "$W/repo" && (cd "$W/repo" && echo x >x && echo y >y &&
    touch -d 2020-01-01 x y && git add x && git commit -qm first &&
    git status --short >/dev/null)
cp -r "$W/repo" "$W/repo2"
roundtrip git ":" "git -C '$W/repo2' status --short" \
    "deny chdir filename=\"$W/repo2\"" git -C "$W/repo" status --short
has "$T/git.yaml" "\$HOME/.gitconfig" "git: home directory written as \$HOME"
has "$T/git.yaml" "fsread: filename eq \"$T/home/.gitconfig\"" "git: expanded in the rule"

# --- gcc -c -------------------------------------------------------------------------------
printf '#include <stdio.h>\nint main(void) { puts("hi"); return 0; }\n' >"$W/x.c"
cp "$W/x.c" "$W/y.c"
roundtrip gcc "rm -f x.o" "gcc -c y.c -o y.o" "filename=\"$W/y.c\"" \
    gcc -c x.c -o x.o
# gcc's six made-up letters: with no capital among them, the name may be
# Python's eight (policy_learn.c), and the stem "cc" goes with them
if grep -qF 're "^/tmp/cc[^/]*\\.s$"' "$T/gcc.yaml" ||
    grep -qF 're "^/tmp/[^/]*\\.s$"' "$T/gcc.yaml"; then ok; else
	bad "gcc: temporary files by pattern: no re \"^/tmp/(cc)[^/]*\\.s$\" in $T/gcc.yaml"
fi
has "$T/gcc.yaml" 'inpath "/usr/include"' "gcc: headers by directory"
check "gcc: object written" test -s "$W/x.o"
# run again over its own output (learned on a clean tree): as removes the
# old x.o first, which the learning run never did; the policy implies it
has "$T/gcc.yaml" "unlink: filename eq \"$W/x.o\" then permit" \
    "gcc: its output may be removed"
touch -d 2020-01-01 "$W/x.o"
(cd "$W" && timeout 120 "$POLICYCTL" run -p "$T/gcc.yaml" -- gcc -c x.c -o x.o) \
    >"$T/out" 2>"$T/err"
check "gcc: run again over its output ($?)" test $? -eq 0
if grep -q "deny" "$T/err"; then bad "gcc: run again was denied something"
	grep deny "$T/err" | head -5; else ok; fi
check "gcc: the output made anew" test "$W/x.o" -nt "$W/x.c"

# --- curl against a loopback server ---------------------------------------------------------
mkdir -p "$T/www"
echo "served" >"$T/www/a.txt"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$T/www" >"$T/srv.out" 2>&1 &
SRV=$!
i=0
while [ $i -lt 100 ] && ! grep -q "port" "$T/srv.out"; do sleep 0.05; i=$((i + 1)); done
port=$(sed -n 's/.* port \([0-9]*\).*/\1/p' "$T/srv.out" | head -1)
check "curl: a loopback server ($port)" test -n "$port"
# the server's port was handed out by the kernel (port 0): the policy
# permits any such port on that address (32768 and up), and no other port
other=8080
roundtrip curl ":" "curl -s http://127.0.0.1:$other/a.txt" \
    "deny connect sockaddr=\"inet-127.0.0.1:$other\"" curl -s "http://127.0.0.1:$port/a.txt"
has "$T/curl.yaml" 'connect: sockaddr re "^inet-127\\.0\\.0\\.1:(3276[89]|' "curl: a port handed out at run time, as any such port"
kill $SRV 2>/dev/null
SRV=""

# --- usage -------------------------------------------------------------------------------
"$POLICYCTL" learn -- true >/dev/null 2>&1
check "learn: -o required" test $? -eq 2
"$POLICYCTL" learn -o "$T/x.yaml" -- no-such-program-xyz >/dev/null 2>&1
check "learn: missing program is 127" test $? -eq 127
check "learn: nothing written then" test ! -e "$T/x.yaml"

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
