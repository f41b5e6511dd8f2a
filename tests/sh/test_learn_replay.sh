#!/bin/sh
# test_learn_replay.sh: a policy learned from one run of a real job replays ten runs in a row,
# each with fresh temporary names (make -j2, gcc and cc linking, ar, sed -i, git, tar, python3
# tempfile), and make again over its own outputs.
# Prints "N passed, M failed".  REPLAY_N sets the number of replays (default 10).

: "${POLICYCTL:?set POLICYCTL to the policyctl binary}"
N=${REPLAY_N:-10}
T=$(mktemp -d /tmp/plx-replay.XXXXXX)
trap 'rm -rf "$T"' EXIT
trap 'exit 1' INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

W=$T/w
mkdir -p "$W" "$T/home"
printf '[user]\n\tname = t\n\temail = t@t\n[init]\n\tdefaultBranch = main\n' \
    >"$T/home/.gitconfig"
export HOME="$T/home" LC_ALL=C.UTF-8
unset POLICYD_SOCKET

# replay NAME SETUP CHECK CMD...: run SETUP (a shell command, in $W), learn
# CMD, then N times: SETUP, CMD under the learned policy; each run must exit
# 0, be denied nothing, and pass CHECK (a shell command, in $W).
replay() {
	rn=$1 setup=$2 chk=$3
	shift 3
	(cd "$W" && eval "$setup")
	if ! (cd "$W" && timeout 120 "$POLICYCTL" learn -o "$T/$rn.yaml" -- "$@") \
	    >"$T/out" 2>"$T/err"; then
		bad "$rn: learning run failed"; tail -5 "$T/err"; return
	fi
	if (cd "$W" && eval "$chk") >/dev/null 2>&1; then ok; else
		bad "$rn: learning run's result"; fi
	good=0
	i=1
	while [ $i -le "$N" ]; do
		(cd "$W" && eval "$setup")
		(cd "$W" && timeout 120 "$POLICYCTL" run -p "$T/$rn.yaml" -- "$@") \
		    >"$T/out" 2>"$T/err"
		st=$?
		if [ $st -ne 0 ]; then
			bad "$rn: replay $i exited $st"; grep deny "$T/err" | head -5
		elif grep -q " deny " "$T/err"; then
			bad "$rn: replay $i was denied something"
			grep " deny " "$T/err" | head -5
		elif ! (cd "$W" && eval "$chk") >/dev/null 2>&1; then
			bad "$rn: replay $i: result wrong"
		else
			good=$((good + 1))
		fi
		i=$((i + 1))
	done
	if [ $good -eq "$N" ]; then ok; echo "$rn: $N of $N replays ran"; else
		bad "$rn: $good of $N replays ran"; fi
}

# --- make -j2 of a 9-file C project --------------------------------------------------------
mkdir -p "$W/proj"
for i in 1 2 3 4 5 6 7 8; do
	printf 'int f%d(int x) { return x * %d; }\n' $i $i >"$W/proj/f$i.c"
done
printf '#include <stdio.h>\nint f3(int);\nint main(void) { printf("%%d\\n", f3(2)); return 0; }\n' \
    >"$W/proj/main.c"
printf 'OBJS = main.o f1.o f2.o f3.o f4.o f5.o f6.o f7.o f8.o\nprog: $(OBJS)\n\t$(CC) -o $@ $(OBJS)\nclean:\n\trm -f $(OBJS) prog\n' \
    >"$W/proj/Makefile"
replay make "make -s -C proj clean" "test \"\$(proj/prog)\" = 6" make -s -C proj -j2

# and again over its own outputs (learned on a clean tree): as and ld remove
# the old ones first, which the learning run never did
touch "$W/proj/f1.c" "$W/proj/main.c"
(cd "$W" && timeout 120 "$POLICYCTL" run -p "$T/make.yaml" -- make -s -C proj -j2) \
    >"$T/out" 2>"$T/err"
if [ $? -eq 0 ] && ! grep -q " deny " "$T/err" && [ "$(cd "$W" && proj/prog)" = 6 ]; then ok
else bad "make: rebuilt over its outputs"; grep " deny " "$T/err" | head -5; fi

# --- gcc and cc compiling and linking ----------------------------------------------------------
printf '#include <stdio.h>\nint main(void) { puts("linked"); return 0; }\n' >"$W/hello.c"
replay gcc "rm -f hello" "test \"\$(./hello)\" = linked" gcc -O2 -o hello hello.c
replay cc "rm -f hello2" "test \"\$(./hello2)\" = linked" cc -o hello2 hello.c

# --- ar and sed -i: a temporary file made beside the file they replace ------------------------
# (its made-up name differs every run)
replay ar "rm -f libh.a" "ar t libh.a | grep -qx hello.c" ar rcs libh.a hello.c
replay sed "echo one >s.txt" "grep -qx two s.txt" sed -i s/one/two/ s.txt

# --- git init, add, commit in a new repository --------------------------------------------------
replay git "rm -rf repo && mkdir repo && echo one >repo/a && echo two >repo/b" \
    "test \"\$(git -C repo log --format=%s)\" = first" \
    sh -c 'cd repo && git init -q && git add a b && git commit -qm first'

# --- tar create and extract ------------------------------------------------------------------
mkdir -p "$W/src/sub"
echo one >"$W/src/a"
echo two >"$W/src/sub/b"
replay tar "rm -rf out src.tar && mkdir out" "cmp src/sub/b out/src/sub/b" \
    sh -c 'tar cf src.tar src && tar xf src.tar -C out'

# --- python3 with tempfile ---------------------------------------------------------------------
cat >"$W/tf.py" <<'EOF'
import os, tempfile
with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
    f.write("data")
    name = f.name
with open(name) as f:
    assert f.read() == "data"
os.unlink(name)
with tempfile.TemporaryDirectory() as d:
    with open(os.path.join(d, "x"), "w") as f:
        f.write("x")
fd, p = tempfile.mkstemp(prefix="job-")
os.close(fd)
os.unlink(p)
print("ok")
EOF
replay python3 ":" "true" python3 tf.py

# --- learn -a: a further run adds what it needs, keeps the rest --------------------------------
echo a >"$W/fa"; echo b >"$W/fb"; echo c >"$W/fc"
(cd "$W" && "$POLICYCTL" learn -o "$T/cat.yaml" -- cat fa) >/dev/null 2>&1
printf '# kept by hand\n' >>"$T/cat.yaml"
cp "$T/cat.yaml" "$T/cat0.yaml"
(cd "$W" && "$POLICYCTL" learn -a -o "$T/cat.yaml" -- cat fb) >"$T/out" 2>"$T/err"
if grep -q "rules\? added to $T/cat.yaml" "$T/err"; then ok; else bad "learn -a: says what it added"; cat "$T/err"; fi
# everything that was there is there, in order: lines were only added
if ! diff "$T/cat0.yaml" "$T/cat.yaml" | grep -q '^[<|]' && grep -q "kept by hand" "$T/cat.yaml"; then ok
else bad "learn -a: the policy it was given is kept"; diff "$T/cat0.yaml" "$T/cat.yaml" | head; fi
if grep -q "filename eq \"$W/fb\"" "$T/cat.yaml"; then ok; else bad "learn -a: the new file's rule"; fi
for f in fa fb; do
	if (cd "$W" && "$POLICYCTL" run -p "$T/cat.yaml" -- cat $f) >/dev/null 2>&1; then ok
	else bad "learn -a: cat $f permitted"; fi
done
if (cd "$W" && "$POLICYCTL" run -p "$T/cat.yaml" -- cat fc) >/dev/null 2>&1; then
	bad "learn -a: cat fc must stay denied"; else ok; fi
cp "$T/cat.yaml" "$T/cat1.yaml"
(cd "$W" && "$POLICYCTL" learn -a -o "$T/cat.yaml" -- cat fa fb) >/dev/null 2>"$T/err"
if grep -q " 0 rules added" "$T/err" && cmp -s "$T/cat.yaml" "$T/cat1.yaml"; then ok
else bad "learn -a: nothing new, nothing changed"; cat "$T/err"; fi
echo 'rules: [' >"$T/broken.yaml"
"$POLICYCTL" learn -a -o "$T/broken.yaml" -- true >/dev/null 2>"$T/err"
st=$?
if [ $st -eq 1 ] && grep -q "broken.yaml:[0-9]*:[0-9]*:" "$T/err" && \
    [ "$(cat "$T/broken.yaml")" = 'rules: [' ]; then ok
else bad "learn -a: a broken policy is reported (file:line:col) and left alone ($st)"; cat "$T/err"; fi
"$POLICYCTL" learn -a -o "$T/none.yaml" -- true >/dev/null 2>"$T/err"
if [ $? -eq 1 ] && [ ! -e "$T/none.yaml" ] && grep -q "none.yaml" "$T/err"; then ok
else bad "learn -a: a missing policy is an error"; cat "$T/err"; fi

echo "$pass passed, $fail failed"
[ $fail -eq 0 ]
