# policyd_lib.sh: shared by the policyd shell tests (sourced): counters, a scratch
# directory, starting and stopping a private policyd, and waiting for its alarms.

: "${POLICYCTL:?set POLICYCTL to the policyctl binary}"
: "${BUILD:?set BUILD to the build directory}"
POLICYD=${POLICYD:-$BUILD/policyd}
PEER=${PEER:-$BUILD/helpers/policyd_peer}
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() {	# check NAME CMD...: CMD must succeed
	name=$1; shift
	if "$@"; then ok; else bad "$name"; fi
}
has() {		# has FILE TEXT NAME: FILE contains TEXT
	if grep -qF -- "$2" "$1"; then ok; else bad "$3: no '$2' in $1:"; sed 's/^/    /' "$1" | tail -20; fi
}
hasnt() {	# hasnt FILE TEXT NAME
	if grep -qF -- "$2" "$1"; then bad "$3: '$2' in $1"; else ok; fi
}
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}

# A scratch directory (0755: a dropped-privilege peer must traverse it).
pd_scratch() {
	T=$(mktemp -d "/tmp/plx-$1.XXXXXX")
	chmod 755 "$T"
	PDPIDS=""
	trap 'pd_cleanup' EXIT
	trap 'exit 1' INT TERM
	S=$T/pd.sock
	export POLICYD_SOCKET=$S
}

pd_cleanup() {
	for p in $PDPIDS; do kill -9 "$p" 2>/dev/null; done
	rm -rf "$T"
}

# pd_start [OPTIONS...]: policyd on $S in the foreground; sets PD.
pd_start() {
	"$POLICYD" -f --no-syslog -s "$S" "$@" 2>>"$T/policyd.log" &
	PD=$!
	PDPIDS="$PDPIDS $PD"
	i=0
	while [ ! -S "$S" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	[ -S "$S" ]
}

pd_stop() {
	kill "$PD" 2>/dev/null
	wait "$PD" 2>/dev/null
}

# wait_alarms N: until at least N alarms are pending (10 s at most); the
# pending list is left in $T/list.
wait_alarms() {
	i=0
	while [ $i -lt 200 ]; do
		"$POLICYCTL" prompt --list -s "$S" >"$T/list" 2>/dev/null
		[ "$(grep -c . "$T/list")" -ge "$1" ] && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}

# first_alarm: the number of the first pending alarm.
first_alarm() {
	head -1 "$T/list" | cut -f1
}

# stat_of NAME: one counter from `policyctl stats`.
stat_of() {
	"$POLICYCTL" stats -s "$S" 2>/dev/null | awk -v k="$1" '$1 == k { print $2 }'
}

# wait_exit PID SECONDS: wait for a background job, killing it after
# SECONDS; its status is left in $WST (124 if it had to be killed).
wait_exit() {
	i=0
	while kill -0 "$1" 2>/dev/null && [ $i -lt $(($2 * 20)) ]; do
		sleep 0.05
		i=$((i + 1))
	done
	if kill -0 "$1" 2>/dev/null; then
		kill -9 "$1" 2>/dev/null
		wait "$1" 2>/dev/null
		WST=124
	else
		wait "$1"
		WST=$?
	fi
}
