#!/bin/sh
# test_policyctl.sh: policyctl compile, check, show and import from the command line:
# stock policies pass, broken ones fail with file:line:col, exit codes, --help everywhere.
# Needs POLICYCTL; prints "N passed, M failed" and fails if any check failed.

: "${POLICYCTL:?set POLICYCTL to the policyctl binary}"
HERE=$(cd "$(dirname "$0")/../.." && pwd)
T=$(mktemp -d /tmp/plx-ctl-sh.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# expect STATUS NAME CMD...: CMD exits with STATUS
expect() {
	want=$1 name=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	got=$?
	if [ "$got" = "$want" ]; then ok; else bad "$name: exit $got, want $want"; cat "$T/err"; fi
}
# has FILE TEXT NAME: FILE contains TEXT
has() {
	if grep -qF -- "$2" "$1"; then ok; else bad "$3: no '$2' in"; cat "$1"; fi
}

# Every stock policy is valid, as YAML and compiled, with no warning.
for p in "$HERE"/share/policies/*.yaml; do
	expect 0 "check $p" "$POLICYCTL" check "$p"
	[ ! -s "$T/err" ] && ok || { bad "check $p warns"; cat "$T/err"; }
	expect 0 "compile $p" "$POLICYCTL" compile -o "$T/p.blob" "$p"
	expect 0 "check blob of $p" "$POLICYCTL" check -q "$T/p.blob"
	expect 0 "show $p" "$POLICYCTL" show "$T/p.blob"
	has "$T/out" "index:" "show lists the index of $p"
done
[ "$(ls "$HERE"/share/policies/*.yaml | wc -l)" -ge 6 ] && ok || bad "at least six stock policies"

# A broken policy: exact position, nothing written.
cat >"$T/broken.yaml" <<'EOF2'
policy: 1
name: broken
rules:
  - open: filename eq "/etc/passwd" then permit
  - stat: filename eqq "/etc/group" then permit
EOF2
expect 1 "check broken" "$POLICYCTL" check "$T/broken.yaml"
has "$T/err" "$T/broken.yaml:5:20: syntax error, unexpected word" "error names file:line:col"
expect 1 "compile broken" "$POLICYCTL" compile -o "$T/broken.blob" "$T/broken.yaml"
[ ! -e "$T/broken.blob" ] && ok || bad "a failed compile writes nothing"
ls "$T" | grep -q tmp && bad "temporary file left behind" || ok
# A deny beneath a directory the policy lets the program rename: a warning
# at the rule, the policy still valid.
cat >"$T/moves.yaml" <<'EOF2'
policy: 1
name: moves
default: permit
rules:
  - fsread: filename match "/srv/w/no/*" then deny
EOF2
expect 0 "check moves" "$POLICYCTL" check "$T/moves.yaml"
has "$T/err" "$T/moves.yaml:5:5: warning: the default permits renaming /srv/w/no" "move warning names file:line:col"
# One bad file among good ones: status 1, the good ones still reported.
expect 1 "check mixed" "$POLICYCTL" check "$HERE/share/policies/ls.yaml" "$T/broken.yaml"
has "$T/out" "ls.yaml: ok" "good policy reported among bad"
# Compile writes atomically next to the source by default.
cp "$HERE/share/policies/cat.yaml" "$T/cat.yaml"
expect 0 "compile default output" "$POLICYCTL" compile "$T/cat.yaml"
[ -s "$T/cat.blob" ] && ok || bad "compile wrote cat.blob"
expect 0 "compile to stdout" sh -c "'$POLICYCTL' compile -o - '$T/cat.yaml' > '$T/cat2.blob'"
cmp -s "$T/cat.blob" "$T/cat2.blob" && ok || bad "compile is deterministic"
# A damaged blob is rejected by check and show.
head -c 200 "$T/cat.blob" >"$T/trunc.blob"
expect 1 "check truncated blob" "$POLICYCTL" check "$T/trunc.blob"
has "$T/err" "invalid policy blob" "truncated blob error"
expect 1 "show truncated blob" "$POLICYCTL" show "$T/trunc.blob"
expect 1 "check missing file" "$POLICYCTL" check "$T/nope.yaml"
has "$T/err" "cannot open" "missing file error"

# Import: systrace policy to YAML that checks.
cat >"$T/ls.systrace" <<'EOF2'
Policy: /bin/ls, Emulation: native
	native-fsread: filename match "/usr/lib/*" then permit
	native-fsread: filename eq "/etc/it's" then permit
	native-exit: permit
EOF2
expect 0 "import" "$POLICYCTL" import "$T/ls.systrace"
cp "$T/out" "$T/ls.yaml"
has "$T/ls.yaml" "program: '/bin/ls'" "import keeps the program"
expect 0 "imported policy checks" "$POLICYCTL" check "$T/ls.yaml"
printf 'Policy: /bin/ls, Emulation: native\n\tnative-exit: permt\n' >"$T/bad.systrace"
expect 1 "import broken" "$POLICYCTL" import "$T/bad.systrace"
has "$T/err" "bad.systrace:2:15: unknown action 'permt'" "import error position"
[ ! -s "$T/out" ] && ok || bad "failed import prints no YAML"

# Usage errors and --help on every command.
expect 2 "no command" "$POLICYCTL"
expect 2 "unknown command" "$POLICYCTL" frobnicate
expect 0 "--help" "$POLICYCTL" --help
for c in run compile check show import; do
	expect 0 "$c --help" "$POLICYCTL" "$c" --help
	has "$T/out" "usage: policyctl $c" "$c --help prints usage"
done
expect 2 "compile without file" "$POLICYCTL" compile
expect 2 "show two files" "$POLICYCTL" show a b

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
