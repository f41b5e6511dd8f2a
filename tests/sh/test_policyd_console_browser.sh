#!/bin/sh
# test_policyd_console_browser.sh: a real browser (headless Chromium via chromedriver) answers
# an alarm in policyd's console with "permit always"; the program goes on, the YAML gains the rule,
# the next identical call is not asked; then it drops a learned rule in the Learning view.
# CONSOLE_SHOTS=DIR keeps screenshots of the console.

. "$(dirname "$0")/policyd_lib.sh"
HERE=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
	echo "SKIP: test_policyd_console_browser.sh: chromium and chromium-driver are not installed (make deps)"
	exit 0
fi
pd_scratch browser

mkdir "$T/private"
echo secret >"$T/secret"
echo "buy milk" >"$T/private/notes.txt"
echo "-----BEGIN KEY-----" >"$T/private/id.key"
cat >"$T/ask.yaml" <<EOF2
# ask.yaml: reading the secret, or anything private, needs an answer
policy: 1
name: browsertest
default: permit
errno: EACCES
log: deny
rules:
  - open: filename eq "$T/secret" then ask
  - open: filename inpath "$T/private" then ask
EOF2

# a learned policy for the Learning view: one of its rules is dropped in the browser
echo public >"$T/public"
"$POLICYCTL" learn -o "$T/learned.yaml" -- cat "$T/public" >/dev/null 2>&1
check "a learned policy to review" grep -q "eq \"$T/public\"" "$T/learned.yaml"
check "policyd --console starts" pd_start -t 120 --console 127.0.0.1:0 --review "$T/learned.yaml"
i=0
while [ ! -s "$S.console" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
LOGIN=$(sed -n 2p "$S.console")
check "console URL" test -n "$LOGIN"

run_bg() {	# NAME CMD...: confined, in the background; its pid in $BG
	n=$1; shift
	timeout 100 "$POLICYCTL" run --socket "$S" -p "$T/ask.yaml" -- "$@" \
	    >"$T/$n.out" 2>"$T/$n.err" &
	BG=$!
}
run_bg notes cat "$T/private/notes.txt"
NOTES=$BG
run_bg key head -c 8 "$T/private/id.key"
KEY=$BG
check "two alarms first" wait_alarms 2
run_bg secret cat "$T/secret"
SECRET=$BG
check "three alarms pending" wait_alarms 3
raised=$(stat_of alarms_raised)
check "policyd counts alarms ($raised)" test -n "$raised"

RULE="fsread: filename eq \"$T/secret\" then permit"
CONSOLE_REVIEW="eq \"$T/public\"" \
timeout 120 python3 "$HERE/helpers/console_browser.py" "$LOGIN" "$T/secret" "$RULE" \
    ${CONSOLE_SHOTS:+"$CONSOLE_SHOTS"} >"$T/browser" 2>&1
st=$?
sed 's/^/    /' "$T/browser"
check "the browser answered permit always" test $st -eq 0
wait_exit $SECRET 10
check "the program went on" test "$WST" -eq 0
has "$T/secret.out" secret "the program read the file"
has "$T/ask.yaml" "- 'fsread: filename eq \"$T/secret\" then permit'" "the rule is in the YAML file"
has "$T/ask.yaml" "answered via policyd by uid $(id -u)" "the rule says who answered"
"$POLICYCTL" check -q "$T/ask.yaml" 2>/dev/null
check "the policy still compiles" test $? -eq 0

# the Learning view: the rule unticked in the browser is gone, the rest compiles
hasnt "$T/learned.yaml" "eq \"$T/public\"" "learning: the dropped rule is gone"
has "$T/learned.yaml" "/usr/bin/cat" "learning: the other rules kept"
"$POLICYCTL" check -q "$T/learned.yaml" 2>/dev/null
check "learning: the saved policy compiles" test $? -eq 0

# the next identical call: not asked
timeout 20 "$POLICYCTL" run --socket "$S" -p "$T/ask.yaml" -- cat "$T/secret" \
    >"$T/again.out" 2>"$T/again.err"
check "the same call again: permitted" test $? -eq 0
has "$T/again.out" secret "the same call again: read"
check "the same call again: no alarm raised" test "$(stat_of alarms_raised)" = "$raised"
n=$(stat_of alarms_pending)
check "the other alarms still wait ($n)" test "$n" = 2

"$POLICYCTL" prompt --list -s "$S" >"$T/list"
for id in $(cut -f1 "$T/list"); do "$POLICYCTL" answer -s "$S" "$id" deny >/dev/null; done
wait_exit $NOTES 10
wait_exit $KEY 10
pd_stop
hasnt "$T/policyd.log" "Sanitizer" "no sanitizer report"
hasnt "$T/policyd.log" "runtime error" "no undefined behaviour"
finish
