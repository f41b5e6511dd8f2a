#!/bin/sh
# test_policyd_peer.sh: policyd against its peers: socket directory checks and mode, a peer of
# another uid (setuid to nobody) refused, garbage records dropped, a 10,000-alarm flood bounded.
# Needs POLICYCTL and BUILD; prints "N passed, M failed" and fails if any check failed.

. "$(dirname "$0")/policyd_lib.sh"
pd_scratch peer

# --- the socket's directory and mode ---------------------------------------------
mkdir -m 777 "$T/open"
chmod 777 "$T/open"
"$POLICYD" -f --no-syslog -s "$T/open/pd.sock" 2>"$T/err" &
p=$!
wait_exit $p 5
check "world-writable directory: refused" test "$WST" -eq 1
has "$T/err" "group or world writable" "world-writable directory: said"
check "world-writable directory: no socket" test ! -e "$T/open/pd.sock"
"$POLICYD" -f --no-syslog -s "$T/nodir/pd.sock" 2>"$T/err" &
p=$!
wait_exit $p 5
check "missing directory: refused" test "$WST" -eq 1
"$POLICYD" -f --no-syslog --bogus 2>/dev/null
check "bad option: usage" test $? -eq 2

check "policyd starts" pd_start
check "socket mode 0600" test "$(stat -c %a "$S")" = 600
"$POLICYD" -f --no-syslog -s "$S" 2>"$T/err" &
p=$!
wait_exit $p 5
check "second policyd: refused" test "$WST" -eq 1
has "$T/err" "another policyd is running" "second policyd: said"
check "first policyd still serves" test -n "$(stat_of clients)"

# --- garbage: every malformed record drops its peer, policyd lives ------------------
inv=$(stat_of records_invalid)
"$PEER" "$S" garbage >"$T/g" 2>&1
has "$T/g" "dropped 9/9" "garbage: every bad peer dropped"
check "garbage: counted" test "$(stat_of records_invalid)" -ge $((inv + 7))
check "garbage: policyd still answers" test "$(stat_of alarms_pending)" = 0
check "garbage: policyd still runs" kill -0 "$PD"

# --- a peer of another user ---------------------------------------------------------
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	# with the default mode 0600 it cannot even connect
	"$PEER" -u nobody "$S" connect >"$T/n1" 2>&1
	has "$T/n1" "refused: Permission denied" "nobody: 0600 socket refuses the connection"

	# a socket every user may reach: SO_PEERCRED decides
	pd_stop
	rm -f "$S"
	check "policyd -m 0666 starts" pd_start -m 0666
	check "socket mode 0666" test "$(stat -c %a "$S")" = 666
	ref=$(stat_of peers_refused)
	"$PEER" -u nobody "$S" alarm $$ >"$T/n2" 2>&1
	has "$T/n2" "alarm refused: process $$ runs as uid 0, and you are uid 65534" \
	    "nobody: alarm for root's process refused"
	check "nobody: refusal counted" test "$(stat_of peers_refused)" -ge $((ref + 1))
	# root's pending alarm: invisible to nobody, and not nobody's to answer
	echo secret >"$T/secret"
	printf 'policy: 1\ndefault: permit\nrules:\n  - open: filename eq "%s" then ask\n' \
	    "$T/secret" >"$T/ask.yaml"
	timeout 60 "$POLICYCTL" run --socket "$S" -p "$T/ask.yaml" -- cat "$T/secret" \
	    >"$T/root.out" 2>"$T/root.err" &
	bg=$!
	check "root's alarm raised" wait_alarms 1
	id=$(first_alarm)
	"$PEER" -u nobody "$S" list >"$T/n3" 2>&1
	has "$T/n3" "visible 0" "nobody: sees no alarm of root's"
	"$PEER" -u nobody "$S" answer "$id" permit >"$T/n4" 2>&1
	has "$T/n4" "is not yours" "nobody: may not answer root's alarm"
	check "root's alarm still pending" wait_alarms 1
	"$POLICYCTL" answer -s "$S" "$id" deny >/dev/null 2>&1
	wait_exit $bg 10
	check "root's alarm answered by root" test "$WST" -eq 1
	# nobody's own process is nobody's business
	setpriv --reuid=nobody --regid=nogroup --clear-groups sleep 30 &
	np=$!
	sleep 0.2
	"$PEER" -u nobody "$S" alarm $np /x >"$T/n5" 2>&1 &
	ap=$!
	i=0
	while [ $i -lt 100 ] && ! "$PEER" -u nobody "$S" list 2>/dev/null | grep -q "^alarm"; do
		sleep 0.05; i=$((i + 1))
	done
	"$PEER" -u nobody "$S" list >"$T/n6" 2>&1
	has "$T/n6" "visible 1" "nobody: sees its own alarm"
	"$POLICYCTL" answer -s "$S" "$(cut -d' ' -f2 "$T/n6" | head -1)" permit >/dev/null 2>&1
	check "root may answer nobody's alarm" test $? -eq 0
	wait_exit $ap 10
	has "$T/n5" "verdict permit" "nobody's supervisor got the verdict"
	kill $np 2>/dev/null
	# a confined run of nobody's: root answers "always", and policyd
	# writes nobody's policy as nobody
	mkdir "$T/nb"
	echo mine >"$T/nb/secret"
	printf 'policy: 1\ndefault: permit\nrules:\n  - open: filename eq "%s" then ask\n' \
	    "$T/nb/secret" >"$T/nb/ask.yaml"
	chown -R nobody:nogroup "$T/nb"
	timeout 60 setpriv --reuid=nobody --regid=nogroup --clear-groups \
	    "$POLICYCTL" run --socket "$S" -p "$T/nb/ask.yaml" -- cat "$T/nb/secret" \
	    >"$T/nb.out" 2>"$T/nb.err" &
	bg=$!
	check "nobody's run raises an alarm" wait_alarms 1
	has "$T/list" "$T/nb/secret" "nobody's alarm shown to root"
	"$POLICYCTL" answer -s "$S" --always "$(first_alarm)" permit >"$T/ans" 2>&1
	check "root answers nobody's alarm always" test $? -eq 0
	wait_exit $bg 10
	check "nobody's run permitted" test "$WST" -eq 0
	has "$T/nb/ask.yaml" "fsread: filename eq \"$T/nb/secret\" then permit" \
	    "nobody's policy gained the rule"
	check "nobody's policy still nobody's" test "$(stat -c %U "$T/nb/ask.yaml")" = nobody
	has "$T/nb.err" "reloaded" "nobody's supervisor reloaded"
else
	echo "skip: not root, cannot drop to nobody"
fi

# --- a flood: 10,000 alarms over one connection ---------------------------------------
pd_stop
rm -f "$S"
check "policyd -q 100 starts" pd_start -q 100
"$PEER" "$S" flood 10000 500 4 >"$T/flood" 2>&1 &
fp=$!
i=0
while [ $i -lt 200 ] && ! grep -q sent "$T/flood"; do sleep 0.05; i=$((i + 1)); done
has "$T/flood" "sent 10000" "flood: all 10,000 alarms taken"
t0=$(date +%s%N)
"$POLICYCTL" stats -s "$S" >"$T/st" 2>&1
t1=$(date +%s%N)
check "flood: policyd answers others at once" test $(((t1 - t0) / 1000000)) -lt 2000
pend=$(awk '$1 == "alarms_pending" { print $2 }' "$T/st")
check "flood: pending bounded by the queue limit ($pend)" test "$pend" -le 100
check "flood: pending alarms held" test "$pend" -ge 1
check "flood: identical alarms coalesced" \
    test "$(awk '$1 == "alarms_coalesced" { print $2 }' "$T/st")" -ge 1000
check "flood: the excess denied at once" \
    test "$(awk '$1 == "alarms_dropped" { print $2 }' "$T/st")" -ge 1000
"$POLICYCTL" prompt --list -s "$S" >"$T/fl" 2>&1
check "flood: the prompt still lists" test "$(grep -c . "$T/fl")" -eq "$pend"
wait_exit $fp 20
check "flood: the flooder ends" test "$WST" -eq 0
i=0
while [ $i -lt 100 ] && [ "$(stat_of alarms_pending)" != 0 ]; do sleep 0.05; i=$((i + 1)); done
check "flood: its alarms withdrawn when it leaves" test "$(stat_of alarms_pending)" = 0
check "flood: policyd still runs" kill -0 "$PD"

# --- SIGTERM: pending alarms denied, socket removed --------------------------------------
"$PEER" "$S" alarm $$ >"$T/last" 2>&1 &
ap=$!
check "last alarm raised" wait_alarms 1
kill -TERM "$PD"
wait_exit $ap 10
has "$T/last" "verdict deny reason 5" "SIGTERM: pending alarm denied"
wait "$PD" 2>/dev/null
check "SIGTERM: socket removed" test ! -e "$S"

finish
