#!/bin/sh
# test_policyd_metrics.sh: policyd's decision log (JSON lines) and its Prometheus endpoint,
# fetched with curl and checked line by line; loopback only; `policyctl stats` counters.
# Needs POLICYCTL and BUILD; prints "N passed, M failed" and fails if any check failed.

. "$(dirname "$0")/policyd_lib.sh"
pd_scratch metrics

echo secret >"$T/secret"
echo public >"$T/public"
cat >"$T/p.yaml" <<EOF
policy: 1
name: metrics
default: permit
log: deny
rules:
  - open: filename eq "$T/secret" then deny[EACCES]
  - open: filename eq "$T/public" then permit log
EOF

"$POLICYD" -f --no-syslog -s "$T/x.sock" --metrics 0.0.0.0:0 2>"$T/err"
check "metrics: non-loopback address refused" test $? -eq 1
has "$T/err" "not a loopback address" "metrics: non-loopback said"
"$POLICYD" -f --no-syslog -s "$T/x.sock" --metrics 127.0.0.1 2>/dev/null
check "metrics: ADDR:PORT required" test $? -eq 1

check "policyd starts" pd_start -l "$T/decisions.json" --metrics 127.0.0.1:0
i=0
while [ $i -lt 100 ] && ! grep -q "metrics on" "$T/policyd.log"; do sleep 0.05; i=$((i + 1)); done
url=$(sed -n 's/.*metrics on \(http[^ ]*\).*/\1/p' "$T/policyd.log" | head -1)
check "metrics: address printed ($url)" test -n "$url"

# decisions for the counters and the log: a permit that logs, a denial
"$POLICYCTL" run --socket "$S" -p "$T/p.yaml" --json-log "$T/own.json" -- \
    sh -c "cat '$T/public'; cat '$T/secret'; exit 0" >/dev/null 2>"$T/run.err"
check "run: done" test $? -eq 0
i=0
while [ $i -lt 100 ] && [ "$(grep -c . "$T/decisions.json" 2>/dev/null)" -lt 2 ]; do
	sleep 0.05; i=$((i + 1))
done

# --- the JSON decision log ---------------------------------------------------------
cat >"$T/checklog.py" <<'EOF'
import json, sys
need = ["time", "pid", "program", "operation", "arguments", "action", "rule",
        "latency_us"]
seen = set()
for n, line in enumerate(open(sys.argv[1]), 1):
    d = json.loads(line)
    for k in need:
        if k not in d:
            sys.exit("line %d: no %s" % (n, k))
    if not isinstance(d["arguments"], dict) or d["latency_us"] < 0:
        sys.exit("line %d: bad types" % n)
    seen.add((d["operation"], d["action"], d["arguments"].get("filename"),
              d["rule"].rsplit(":", 1)[1], d["program"]))
want = [("open", "deny", sys.argv[2] + "/secret", "6", "/usr/bin/cat"),
        ("open", "permit", sys.argv[2] + "/public", "7", "/usr/bin/cat")]
for w in want:
    if w not in seen:
        sys.exit("missing %r in %r" % (w, seen))
EOF
python3 "$T/checklog.py" "$T/decisions.json" "$T" >"$T/jerr" 2>&1
check "log: policyd's JSON lines valid, with the decisions" test $? -eq 0
[ -s "$T/jerr" ] && cat "$T/jerr"
python3 "$T/checklog.py" "$T/own.json" "$T" >"$T/jerr" 2>&1
check "log: run --json-log lines valid, with the decisions" test $? -eq 0
[ -s "$T/jerr" ] && cat "$T/jerr"
check "log: mode 0600" test "$(stat -c %a "$T/decisions.json")" = 600
has "$T/decisions.json" "\"uid\":$(id -u)," "log: the reporting uid"

# --- policyctl stats -------------------------------------------------------------
"$POLICYCTL" stats -s "$S" >"$T/st" 2>&1
check "stats: exit 0" test $? -eq 0
has "$T/st" "decisions_logged" "stats: counters"
check "stats: open decisions counted" \
    test "$(awk '$1 == "open" { print $2 + $3 }' "$T/st")" -ge 2

# --- Prometheus text over HTTP ---------------------------------------------------
curl -sS -o "$T/metrics" -w '%{http_code} %{content_type}\n' "$url" >"$T/code" 2>&1
check "metrics: curl succeeds" test $? -eq 0
has "$T/code" "200 text/plain; version=0.0.4" "metrics: 200, Prometheus content type"
cat >"$T/checkprom.py" <<'EOF'
import re, sys
name = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
label = r'[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*"'
sample = re.compile(r"^(%s)(\{%s(?:,%s)*\})? ([-+]?(?:[0-9.]+(?:[eE][-+]?[0-9]+)?|\+Inf|-Inf|NaN))$"
                    % (name, label, label))
types, helps, values = {}, set(), {}
for n, line in enumerate(open(sys.argv[1]), 1):
    line = line.rstrip("\n")
    if line.startswith("# HELP "):
        helps.add(line.split()[2]); continue
    if line.startswith("# TYPE "):
        _, _, m, t = line.split()
        if t not in ("counter", "gauge", "histogram", "summary", "untyped"):
            sys.exit("line %d: bad type" % n)
        if m in types:
            sys.exit("line %d: %s typed twice" % (n, m))
        types[m] = t; continue
    m = sample.match(line)
    if not m:
        sys.exit("line %d: not a sample: %r" % (n, line))
    base = re.sub("_(bucket|sum|count)$", "", m.group(1))
    if m.group(1) not in types and base not in types:
        sys.exit("line %d: %s has no TYPE before it" % (n, m.group(1)))
    values[m.group(1) + (m.group(2) or "")] = float(m.group(3))
for t in types:
    if t not in helps:
        sys.exit("%s has no HELP" % t)
h = "policyd_decision_latency_seconds"
if types.get(h) != "histogram":
    sys.exit("no latency histogram")
b = [v for k, v in values.items() if k.startswith(h + "_bucket")]
if b != sorted(b) or values[h + '_bucket{le="+Inf"}'] != values[h + "_count"]:
    sys.exit("histogram buckets not cumulative")
for k in sys.argv[2:]:
    if values.get(k, 0) < 1:
        sys.exit("%s missing or zero" % k)
for k in ["policyd_alarms_pending", "policyd_alarms_answered_total",
          "policyd_alarms_timed_out_total"]:
    if k not in values:
        sys.exit("no " + k)
EOF
python3 "$T/checkprom.py" "$T/metrics" \
    'policyd_decisions_total{operation="open",action="deny"}' \
    'policyd_decisions_total{operation="open",action="permit"}' \
    'policyd_decision_latency_seconds_count' >"$T/perr" 2>&1
check "metrics: valid Prometheus text with the decisions" test $? -eq 0
[ -s "$T/perr" ] && cat "$T/perr"
curl -s -o /dev/null -w '%{http_code}\n' "${url%/metrics}/other" >"$T/code"
has "$T/code" 404 "metrics: other paths are 404"
curl -s -o /dev/null -w '%{http_code}\n' -X POST "$url" >"$T/code"
has "$T/code" 405 "metrics: POST is 405"

# --- calls the kernel filter decided -------------------------------------------------
# A permit-all policy: every getpid is decided by the kernel filter, counted by the
# supervisor's perf counter and summed by policyd.  Without tracefs mounted, root
# mounts it in a mount namespace of the run's own (as test_linux_count does).
printf 'policy: 1\nname: all\ndefault: permit\n' >"$T/all.yaml"
printf 'import os\nfor i in range(5000):\n    os.getpid()\n' >"$T/getpid.py"
TW=""
if [ ! -e /sys/kernel/tracing/events/raw_syscalls ] &&
    [ ! -e /sys/kernel/debug/tracing/events/raw_syscalls ] &&
    [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1 &&
    unshare -m sh -c 'mount -t tracefs tracefs /sys/kernel/tracing' 2>/dev/null; then
	TW=tracefs
fi
# tw CMD...: CMD with tracefs (mounted in a namespace of its own when TW is set)
tw() {
	if [ -n "$TW" ]; then
		unshare -m sh -c 'mount -t tracefs tracefs /sys/kernel/tracing && exec "$@"' sh "$@"
	else
		"$@"
	fi
}
# stat_moves NAME FROM: wait (5 s at most) until counter NAME is above FROM
stat_moves() {
	i=0
	while [ $i -lt 100 ] && [ "$(stat_of "$1")" -le "$2" ]; do sleep 0.05; i=$((i + 1)); done
	[ "$(stat_of "$1")" -gt "$2" ]
}
tw "$POLICYCTL" run -v -p "$T/all.yaml" -- true >/dev/null 2>"$T/v.err"
if grep -q "filter: not counted" "$T/v.err"; then
	echo "SKIP: filter-decided count: $(grep -o 'not counted.*' "$T/v.err" | sed 's/;.*//')"
else
	fd0=$(stat_of filter_decided)
	fu0=$(stat_of filter_uncounted_runs)
	tw "$POLICYCTL" run --socket "$S" -p "$T/all.yaml" -- python3 "$T/getpid.py"
	check "filter count: run done" test $? -eq 0
	check "filter count: policyd's filter_decided moves" stat_moves filter_decided "${fd0:-0}"
	fd1=$(stat_of filter_decided)
	check "filter count: at least the 5000 getpid calls ($fd0 -> $fd1)" \
	    test $((fd1 - fd0)) -ge 5000
	check "filter count: the run was counted (uncounted runs $fu0 -> $(stat_of filter_uncounted_runs))" \
	    test "$(stat_of filter_uncounted_runs)" = "$fu0"
	curl -s "$url" >"$T/metrics2"
	check "filter count: policyd_filter_decided_total is the stats' count" \
	    test "$(awk '$1 == "policyd_filter_decided_total" { print $2 }' "$T/metrics2")" = "$fd1"
	has "$T/metrics2" "# TYPE policyd_filter_decided_total counter" "filter count: typed"
fi
# a run that cannot count (tracefs hidden under an empty tmpfs, as root): one more
# uncounted run, and the decided count does not move
if [ "$(id -u)" = 0 ] && command -v unshare >/dev/null 2>&1 &&
    unshare -m sh -c 'mount -t tmpfs none /sys/kernel/tracing' 2>/dev/null; then
	fd0=$(stat_of filter_decided)
	fu0=$(stat_of filter_uncounted_runs)
	unshare -m sh -c 'mount -t tmpfs none /sys/kernel/tracing &&
	    { ! [ -d /sys/kernel/debug/tracing ] || mount -t tmpfs none /sys/kernel/debug; } &&
	    exec "$@"' sh "$POLICYCTL" run --socket "$S" -p "$T/all.yaml" -- python3 "$T/getpid.py"
	check "uncounted run: done" test $? -eq 0
	check "uncounted run: filter_uncounted_runs moves" stat_moves filter_uncounted_runs "${fu0:-0}"
	check "uncounted run: one more ($fu0 -> $(stat_of filter_uncounted_runs))" \
	    test "$(stat_of filter_uncounted_runs)" -eq $((fu0 + 1))
	check "uncounted run: filter_decided unchanged" test "$(stat_of filter_decided)" = "$fd0"
	curl -s "$url" >"$T/metrics3"
	check "uncounted run: policyd_filter_uncounted_runs_total" \
	    test "$(awk '$1 == "policyd_filter_uncounted_runs_total" { print $2 }' "$T/metrics3")" -eq $((fu0 + 1))
else
	echo "SKIP: an uncounted run (needs root and unshare to hide tracefs)"
fi

# --- SIGHUP reopens the log -------------------------------------------------------
mv "$T/decisions.json" "$T/decisions.old"
kill -HUP "$PD"
i=0
while [ $i -lt 100 ] && [ ! -e "$T/decisions.json" ]; do sleep 0.05; i=$((i + 1)); done
check "SIGHUP: log reopened" test -e "$T/decisions.json"
"$POLICYCTL" run --socket "$S" -p "$T/p.yaml" -- cat "$T/secret" >/dev/null 2>&1
i=0
while [ $i -lt 100 ] && [ ! -s "$T/decisions.json" ]; do sleep 0.05; i=$((i + 1)); done
has "$T/decisions.json" '"action":"deny"' "SIGHUP: new decisions in the new file"
pd_stop

finish
