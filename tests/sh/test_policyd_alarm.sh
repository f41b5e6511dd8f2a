#!/bin/sh
# test_policyd_alarm.sh: `ask` end to end: alarms answered by `policyctl answer` and `prompt`
# (once, always: the YAML gains the rule), timeout, policyd killed, no policyd, concurrency.
# Needs POLICYCTL and BUILD; prints "N passed, M failed" and fails if any check failed.

. "$(dirname "$0")/policyd_lib.sh"
pd_scratch alarm

echo secret >"$T/secret"
echo secret2 >"$T/secret2"
echo secret3 >"$T/secret3"
echo public >"$T/public"
cat >"$T/ask.yaml" <<EOF
# ask.yaml: reading the secrets needs an answer
policy: 1
name: asktest
default: permit
errno: EACCES
rules:
  # keep this comment
  - fswrite: filename eq "/nonexistent/x" then deny
  # the question
  - open: filename inpath "$T/secret" then ask
  - open: filename match "$T/secret[23]" then ask   # trailing comment
  - stat: filename eq "/nonexistent/y" then deny
EOF
cp "$T/ask.yaml" "$T/ask.orig"

# run_bg NAME CMD...: a confined command in the background, output in
# $T/NAME.out and $T/NAME.err, its pid in $BG.
run_bg() {
	n=$1; shift
	timeout 60 "$POLICYCTL" run --socket "$S" -p "$T/ask.yaml" -- "$@" \
	    >"$T/$n.out" 2>"$T/$n.err" &
	BG=$!
}

# --- --help everywhere ---------------------------------------------------------
for c in prompt answer stats learn; do
	"$POLICYCTL" $c --help >"$T/h" 2>&1
	check "policyctl $c --help" test $? -eq 0
	has "$T/h" "usage: policyctl $c" "policyctl $c --help"
done
"$POLICYD" --help >"$T/h" 2>&1
check "policyd --help" test $? -eq 0
has "$T/h" "usage: policyd" "policyd --help"
"$POLICYCTL" answer 1 maybe >/dev/null 2>&1
check "answer: bad action is usage" test $? -eq 2
"$POLICYCTL" stats -s "$T/none.sock" >/dev/null 2>&1
check "stats: no policyd is exit 3" test $? -eq 3

check "policyd starts" pd_start

# --- permit once -------------------------------------------------------------
run_bg once cat "$T/secret"
check "once: alarm raised" wait_alarms 1
has "$T/list" "open filename=\"$T/secret\"" "once: the call is shown"
has "$T/list" "ask.yaml:10" "once: the rule's file:line is shown"
has "$T/list" "/usr/bin/cat" "once: the program is shown"
id=$(first_alarm)
"$POLICYCTL" answer -s "$S" "$id" permit >"$T/ans" 2>&1
check "once: answer accepted" test $? -eq 0
wait_exit $BG 10
check "once: cat succeeds" test "$WST" -eq 0
has "$T/once.out" secret "once: cat read it"
check "once: policy file unchanged" cmp -s "$T/ask.yaml" "$T/ask.orig"
"$POLICYCTL" answer -s "$S" "$id" permit >/dev/null 2>"$T/ans"
check "answered alarm is gone" test $? -eq 1
has "$T/ans" "not pending" "answered alarm is gone: said"

# --- deny once, with an errno ------------------------------------------------
run_bg deny cat "$T/secret"
check "deny: alarm raised" wait_alarms 1
"$POLICYCTL" answer -s "$S" --errno ENOENT "$(first_alarm)" deny >/dev/null
check "deny: answer accepted" test $? -eq 0
wait_exit $BG 10
check "deny: cat fails" test "$WST" -eq 1
has "$T/deny.err" "No such file or directory" "deny: the answer's errno"
has "$T/deny.err" "ask open filename=\"$T/secret\"" "deny: logged by the supervisor"

# --- permit always: the YAML gains the rule, the run uses it at once ---------
raised=$(stat_of alarms_raised)
run_bg always sh -c "cat '$T/secret'; cat '$T/secret'"
check "always: alarm raised" wait_alarms 1
"$POLICYCTL" answer -s "$S" --always "$(first_alarm)" permit >"$T/ans" 2>&1
check "always: answer accepted" test $? -eq 0
has "$T/ans" "rule added at $T/ask.yaml:" "always: says where"
wait_exit $BG 10
check "always: both reads succeed" test "$WST" -eq 0
check "always: two reads" test "$(grep -c secret "$T/always.out")" -eq 2
check "always: one alarm for two reads (reloaded)" \
    test "$(stat_of alarms_raised)" -eq $((raised + 1))
has "$T/always.err" "reloaded" "always: the supervisor reloaded"
has "$T/ask.yaml" "fsread: filename eq \"$T/secret\" then permit" "always: YAML gained the rule"
has "$T/ask.yaml" "# permit always: answered via policyd by uid" "always: with a comment"
has "$T/ask.yaml" "# keep this comment" "always: comments kept"
has "$T/ask.yaml" "# trailing comment" "always: trailing comments kept"
new=$(grep -n "then permit'" "$T/ask.yaml" | head -1 | cut -d: -f1)
asks=$(grep -n "inpath \"$T/secret\" then ask" "$T/ask.yaml" | cut -d: -f1)
check "always: new rule before the rule that asked" test "$new" -lt "$asks"
check "always: the rule is inserted, nothing else changed" \
    test "$(diff "$T/ask.orig" "$T/ask.yaml" | grep -c '^[<]')" -eq 0
"$POLICYCTL" check -q "$T/ask.yaml"
check "always: policy still valid" test $? -eq 0
timeout 20 "$POLICYCTL" run --socket "$S" -p "$T/ask.yaml" -- cat "$T/secret" >/dev/null 2>&1
check "always: a new run is not asked" test $? -eq 0

# --- deny always -------------------------------------------------------------
run_bg dalways cat "$T/secret2"
check "deny always: alarm raised" wait_alarms 1
"$POLICYCTL" answer -s "$S" --always "$(first_alarm)" deny >/dev/null 2>&1
check "deny always: accepted" test $? -eq 0
wait_exit $BG 10
check "deny always: cat fails" test "$WST" -eq 1
has "$T/ask.yaml" "open: filename eq \"$T/secret2\" then deny[EACCES]" "deny always: rule"
timeout 20 "$POLICYCTL" run --socket "$S" -p "$T/ask.yaml" -- cat "$T/secret2" >/dev/null 2>&1
check "deny always: a new run is denied without asking" test $? -eq 1

# --- the prompt, keys from a pipe --------------------------------------------
run_bg prompt cat "$T/secret3"
check "prompt: alarm raised" wait_alarms 1
printf 'y' | timeout 10 "$POLICYCTL" prompt --once -s "$S" >"$T/pr" 2>&1
check "prompt: exits after one answer" test $? -eq 0
has "$T/pr" "wants: open filename=\"$T/secret3\"" "prompt: shows what"
has "$T/pr" "pid " "prompt: shows who"
has "$T/pr" "ask.yaml:" "prompt: shows which rule (file)"
has "$T/pr" ": open: filename match \"$T/secret[23]\" then ask" "prompt: shows which rule"
wait_exit $BG 10
check "prompt: y permits" test "$WST" -eq 0

# --- timeout: nobody answers, deny -------------------------------------------
to=$(stat_of alarms_timed_out)
start=$(date +%s)
timeout 30 "$POLICYCTL" run --socket "$S" --ask-timeout 1 -p "$T/ask.yaml" -- \
    cat "$T/secret3" >/dev/null 2>"$T/to.err"
st=$?
check "timeout: denied" test $st -eq 1
check "timeout: within seconds" test $(($(date +%s) - start)) -le 6
has "$T/to.err" "timed out" "timeout: said"
check "timeout: counted" test "$(stat_of alarms_timed_out)" -eq $((to + 1))

# --- only the asking thread waits ----------------------------------------------
run_bg conc sh -c "cat '$T/secret3' >'$T/conc1' & echo done >'$T/other'; cat '$T/public'; wait"
check "concurrent: alarm raised" wait_alarms 1
i=0
while [ ! -s "$T/other" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
check "concurrent: other calls run while the alarm waits" test -s "$T/other"
"$POLICYCTL" answer -s "$S" "$(first_alarm)" permit >/dev/null
wait_exit $BG 10
check "concurrent: all done" test "$WST" -eq 0
has "$T/conc1" secret3 "concurrent: the asked read too"

# --- the asking process killed: its alarm is withdrawn -------------------------
run_bg gone sh -c "cat '$T/secret3' & wait"
check "gone: alarm raised" wait_alarms 1
kill -9 "$(cut -f2 "$T/list" | head -1)"
i=0
while [ $i -lt 100 ] && [ "$(stat_of alarms_pending)" != 0 ]; do sleep 0.05; i=$((i + 1)); done
check "gone: alarm withdrawn" test "$(stat_of alarms_pending)" = 0
wait_exit $BG 10
check "gone: the run ends" test "$WST" -ne 124

# --- identical alarms are coalesced -------------------------------------------
co=$(stat_of alarms_coalesced)
# each cat writes a file of its own: three processes writing one shared
# (non-append) stdout at once lose lines now and then, even unconfined
run_bg coal sh -c "cat '$T/secret3' >'$T/coal1' & cat '$T/secret3' >'$T/coal2' &
    cat '$T/secret3' >'$T/coal3' & wait"
i=0
while [ $i -lt 200 ]; do
	"$POLICYCTL" prompt --list -s "$S" >"$T/list" 2>/dev/null
	[ "$(cut -f6 "$T/list" | head -1)" = 3 ] && break
	sleep 0.05; i=$((i + 1))
done
check "coalesced: one alarm" test "$(grep -c . "$T/list")" -eq 1
check "coalesced: three calls in it" test "$(cut -f6 "$T/list")" = 3
"$POLICYCTL" answer -s "$S" "$(first_alarm)" permit >/dev/null
wait_exit $BG 10
check "coalesced: all three permitted" test "$WST" -eq 0
check "coalesced: three reads" test "$(cat "$T/coal1" "$T/coal2" "$T/coal3" |
    grep -c secret3)" -eq 3
check "coalesced: counted" test "$(stat_of alarms_coalesced)" -ge $((co + 2))

# --- interactive mode: calls no rule covers are asked ----------------------------
timeout 30 "$POLICYCTL" learn -o "$T/cat.yaml" -- cat "$T/public" >/dev/null 2>&1
check "interactive: learned a cat policy" test $? -eq 0
timeout 60 "$POLICYCTL" run -i --socket "$S" -p "$T/cat.yaml" -- cat "$T/secret" \
    >"$T/int.out" 2>"$T/int.err" &
BG=$!
n=0
i=0
while kill -0 $BG 2>/dev/null && [ $i -lt 400 ]; do
	"$POLICYCTL" prompt --list -s "$S" >"$T/list" 2>/dev/null
	for a in $(cut -f1 "$T/list"); do
		grep -q ":default" "$T/list" && n=$((n + 1))
		"$POLICYCTL" answer -s "$S" "$a" permit >/dev/null 2>&1
	done
	sleep 0.05; i=$((i + 1))
done
wait_exit $BG 10
check "interactive: uncovered calls were asked" test $n -ge 1
check "interactive: permitted, cat succeeds" test "$WST" -eq 0
has "$T/int.out" secret "interactive: output"

# --- policyd killed while a call waits: denied, nothing hangs ----------------------
run_bg killed cat "$T/secret3"
check "killed: alarm raised" wait_alarms 1
kill -9 "$PD"
wait "$PD" 2>/dev/null
wait_exit $BG 10
check "killed: no hang" test "$WST" -ne 124
check "killed: the call is denied" test "$WST" -eq 1
has "$T/killed.err" "policyd went away" "killed: said"
rm -f "$S"

# --- no policyd, no terminal: deny ------------------------------------------------
start=$(date +%s)
setsid timeout 30 "$POLICYCTL" run --socket "$S" -p "$T/ask.yaml" -- cat "$T/secret3" \
    >/dev/null 2>"$T/none.err" </dev/null
check "no policyd, no terminal: denied" test $? -eq 1
check "no policyd, no terminal: at once" test $(($(date +%s) - start)) -le 5
has "$T/none.err" "no policyd and no terminal" "no policyd: said"

finish
