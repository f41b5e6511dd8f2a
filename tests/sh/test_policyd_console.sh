#!/bin/sh
# test_policyd_console.sh: policyd --console's protections, each shown to matter: off unless
# asked, loopback only, the token, Host, Origin, answers by POST only, users, bounds.
# Needs POLICYCTL, BUILD and curl; prints "N passed, M failed" and fails if any check failed.

. "$(dirname "$0")/policyd_lib.sh"
pd_scratch console
if ! command -v curl >/dev/null 2>&1; then
	echo "SKIP: test_policyd_console.sh: curl is not installed (make deps)"
	exit 0
fi

echo secret >"$T/secret"
chmod 644 "$T/secret"
cat >"$T/ask.yaml" <<EOF2
policy: 1
name: consoletest
default: permit
log: deny
rules:
  - open: filename eq "$T/secret" then ask
EOF2
chmod 644 "$T/ask.yaml"
cp "$T/ask.yaml" "$T/ask.orig"

# code [CURL ARGS...]: the HTTP status of one request (000: none)
code() {
	curl -s -o "$T/body" -w '%{http_code}' --max-time 5 "$@" 2>/dev/null
}
# console_up: wait for SOCKET.console; sets TOKEN, BASE (http://ADDR:PORT), HP
console_up() {
	i=0
	while [ ! -s "$1.console" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	TOKEN=$(sed -n 1p "$1.console")
	BASE=$(sed -n 2p "$1.console" | sed 's|/login.*||')
	HP=${BASE#http://}
	[ -n "$TOKEN" ] && [ -n "$BASE" ]
}
# alarms_total: how many alarms the console shows
alarms_total() {
	curl -s --max-time 5 -H "X-Policyd-Token: $TOKEN" "$BASE/api/alarms" |
	    python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'
}
wait_console_alarms() {	# N
	i=0
	while [ $i -lt 200 ]; do
		[ "$(alarms_total 2>/dev/null)" -ge "$1" ] 2>/dev/null && return 0
		sleep 0.05
		i=$((i + 1))
	done
	return 1
}
# san_check: policyd's messages so far hold no sanitizer report
san_check() {
	hasnt "$T/policyd.log" "Sanitizer" "no sanitizer report"
	hasnt "$T/policyd.log" "runtime error" "no undefined behaviour"
}
first_console_alarm() {
	curl -s --max-time 5 -H "X-Policyd-Token: $TOKEN" "$BASE/api/alarms" |
	    python3 -c 'import json,sys; print(json.load(sys.stdin)["alarms"][0]["id"])'
}

# --- options -----------------------------------------------------------------------
"$POLICYD" --help >"$T/h" 2>&1
has "$T/h" "--console ADDR:PORT" "--help lists --console"
has "$T/h" "--review FILE" "--help lists --review"
for a in 0.0.0.0:0 192.0.2.1:8080 "[::]:0"; do
	"$POLICYD" -f --no-syslog -s "$T/x.sock" --console "$a" 2>"$T/err"
	check "non-loopback $a refused" test $? -eq 1
	has "$T/err" "not a loopback address" "non-loopback $a: said"
done
check "refused: no token file left" test ! -e "$T/x.sock.console"
"$POLICYD" -f --no-syslog -s "$T/x.sock" --metrics 127.0.0.1:0 \
    --console 127.0.0.2:0 2>"$T/err"
check "different --metrics and --console refused" test $? -eq 1
has "$T/err" "one HTTP server serves both" "different addresses: said"

# --- off unless asked --------------------------------------------------------------
check "policyd --metrics only starts" pd_start --metrics 127.0.0.1:0
i=0
while [ $i -lt 100 ] && ! grep -q "metrics on" "$T/policyd.log"; do sleep 0.05; i=$((i + 1)); done
murl=$(sed -n 's/.*metrics on \(http[^ ]*\).*/\1/p' "$T/policyd.log" | tail -1)
check "off: no token file" test ! -e "$S.console"
check "off: metrics served" test "$(code "$murl")" = 200
check "off: no console page" test "$(code "${murl%/metrics}/")" = 404
check "off: no console API" test "$(code "${murl%/metrics}/api/alarms")" = 404
pd_stop
rm -f "$S"

# --- one server for both -----------------------------------------------------------
san_check
: >"$T/policyd.log"
check "policyd --metrics A --console A starts" \
    pd_start --metrics 127.0.0.1:0 --console 127.0.0.1:0
check "console: token file" console_up "$S"
check "token file mode 0600" test "$(stat -c %a "$S.console")" = 600
check "token: 64 hex digits" sh -c "sed -n 1p '$S.console' | grep -Eqx '[0-9a-f]{64}'"
check "token printed once" test "$(grep -c "$TOKEN" "$T/policyd.log")" -eq 1
check "metrics on the console's server, no token" test "$(code "$BASE/metrics")" = 200
has "$T/body" "policyd_alarms_pending" "metrics body"
pd_stop
check "token file removed at exit" test ! -e "$S.console"
tok1=$TOKEN
rm -f "$S"

check "policyd --console starts" pd_start --console 127.0.0.1:0
check "console up again" console_up "$S"
check "a fresh token each start" test "$TOKEN" != "$tok1"

# --- the token ---------------------------------------------------------------------
check "no token: 401" test "$(code "$BASE/")" = 401
check "no token, API: 401" test "$(code "$BASE/api/alarms")" = 401
check "wrong token: 401" test "$(code -H "X-Policyd-Token: $tok1" "$BASE/api/alarms")" = 401
bad=$(echo "$TOKEN" | sed 's/.$/x/')
check "token off by one digit: 401" \
    test "$(code -H "X-Policyd-Token: $bad" "$BASE/api/alarms")" = 401
check "token prefix: 401" \
    test "$(code -H "X-Policyd-Token: ${TOKEN%????}" "$BASE/api/alarms")" = 401
check "token: 200" test "$(code -H "X-Policyd-Token: $TOKEN" "$BASE/api/alarms")" = 200
check "token: the page" test "$(code -H "X-Policyd-Token: $TOKEN" "$BASE/")" = 200
has "$T/body" "<title>policyd console</title>" "the page is the console"
check "wrong cookie: 401" \
    test "$(code -b "policyd_${HP##*:}=$tok1" "$BASE/api/alarms")" = 401
check "login, wrong token: 401" test "$(code "$BASE/login?token=$bad")" = 401
curl -s -D "$T/hdr" -o /dev/null "$BASE/login?token=$bad"
hasnt "$T/hdr" "Set-Cookie" "login, wrong token: no cookie"
check "login: 303" test "$(code -c "$T/jar" "$BASE/login?token=$TOKEN")" = 303
curl -s -D "$T/hdr" -o /dev/null "$BASE/login?token=$TOKEN"
has "$T/hdr" "HttpOnly; SameSite=Strict" "login: a strict HttpOnly cookie"
check "cookie: 200" test "$(code -b "$T/jar" "$BASE/api/alarms")" = 200
check "cookie: the script" test "$(code -b "$T/jar" "$BASE/console.js")" = 200

# --- Host and Origin ---------------------------------------------------------------
H="X-Policyd-Token: $TOKEN"
check "foreign Host: 403" \
    test "$(code -H "$H" -H "Host: evil.example:${HP##*:}" "$BASE/api/alarms")" = 403
has "$T/body" "Host" "foreign Host: said"
check "Host by name: 403" \
    test "$(code -H "$H" -H "Host: localhost:${HP##*:}" "$BASE/api/alarms")" = 403
check "Host, other port: 403" \
    test "$(code -H "$H" -H "Host: ${HP%:*}:1" "$BASE/api/alarms")" = 403
check "foreign Host at login: 403" \
    test "$(code -H "Host: evil.example" "$BASE/login?token=$TOKEN")" = 403
check "foreign Origin: 403" \
    test "$(code -H "$H" -H "Origin: http://evil.example" "$BASE/api/alarms")" = 403
has "$T/body" "Origin" "foreign Origin: said"
check "own Origin: 200" \
    test "$(code -H "$H" -H "Origin: $BASE" "$BASE/api/alarms")" = 200
check "cross-site fetch metadata: 403" \
    test "$(code -b "$T/jar" -H "Sec-Fetch-Site: cross-site" "$BASE/api/alarms")" = 403
# the token and Host are right and no Origin is sent: only Sec-Fetch-Site refuses
check "token, own Host, Sec-Fetch-Site cross-site: 403" \
    test "$(code -H "$H" -H "Sec-Fetch-Site: cross-site" "$BASE/api/alarms")" = 403
has "$T/body" "Sec-Fetch-Site" "Sec-Fetch-Site cross-site: said"
check "token, own Host, Sec-Fetch-Site same-site: 403" \
    test "$(code -H "$H" -H "Sec-Fetch-Site: same-site" "$BASE/api/alarms")" = 403
check "token, own Host, Sec-Fetch-Site same-origin: 200" \
    test "$(code -H "$H" -H "Sec-Fetch-Site: same-origin" "$BASE/api/alarms")" = 200

# --- answers: POST with the token, never GET ----------------------------------------
timeout 60 "$POLICYCTL" run --socket "$S" -p "$T/ask.yaml" -- cat "$T/secret" \
    >"$T/a.out" 2>"$T/a.err" &
BG=$!
check "alarm: shown by the console" wait_console_alarms 1
id=$(first_console_alarm)
check "GET answer: 405" \
    test "$(code -H "$H" "$BASE/api/answer?id=$id&action=permit&scope=once")" = 405
check "GET answer: still pending" test "$(alarms_total)" = 1
check "POST answer, no token: 401" \
    test "$(code -d "id=$id&action=permit" "$BASE/api/answer")" = 401
check "POST answer, wrong token: 401" \
    test "$(code -H "X-Policyd-Token: $bad" -d "id=$id&action=permit" "$BASE/api/answer")" = 401
check "POST answer, cookie, foreign Origin: 403" \
    test "$(code -b "$T/jar" -H "Origin: http://evil.example" -d "id=$id&action=permit" "$BASE/api/answer")" = 403
check "POST answer, cookie, no Origin: 403" \
    test "$(code -b "$T/jar" -d "id=$id&action=permit" "$BASE/api/answer")" = 403
check "POST answer, token, foreign Host: 403" \
    test "$(code -H "$H" -H "Host: evil.example" -d "id=$id&action=permit" "$BASE/api/answer")" = 403
check "POST answer, token, Sec-Fetch-Site cross-site: 403" \
    test "$(code -H "$H" -H "Sec-Fetch-Site: cross-site" -d "id=$id&action=permit" "$BASE/api/answer")" = 403
check "refused answers: still pending" test "$(alarms_total)" = 1
check "bad answer: 400" \
    test "$(code -H "$H" -d "id=$id&action=maybe" "$BASE/api/answer")" = 400
check "widened rule that does not cover the call: 422" \
    test "$(code -H "$H" -d "id=$id&action=permit&scope=always&widen=match&pattern=/nowhere/*" "$BASE/api/answer")" = 422
has "$T/body" "does not cover this call" "422: said"
check "bad widening: still pending" test "$(alarms_total)" = 1
check "huge body: 413" test "$(head -c 10000 /dev/zero | tr '\0' a |
    code -H "$H" --data-binary @- "$BASE/api/answer")" = 413
check "POST answer, cookie and own Origin: 200" \
    test "$(code -b "$T/jar" -H "Origin: $BASE" -d "id=$id&action=deny&scope=once&errno=ENOENT" "$BASE/api/answer")" = 200
has "$T/body" '"status":"ok"' "answer: ok"
wait_exit $BG 10
check "deny once: cat fails" test "$WST" -eq 1
has "$T/a.err" "No such file or directory" "deny once: the errno chosen"
check "answered twice: 404" \
    test "$(code -H "$H" -d "id=$id&action=permit" "$BASE/api/answer")" = 404
hasnt "$T/ask.yaml" "then deny" "once: policy unchanged"

# always, widened to the directory: the rule is written and checked
timeout 60 "$POLICYCTL" run --socket "$S" -p "$T/ask.yaml" -- cat "$T/secret" \
    >"$T/b.out" 2>"$T/b.err" &
BG=$!
check "alarm 2: shown" wait_console_alarms 1
id=$(first_console_alarm)
check "preview: 200" test "$(code -H "$H" "$BASE/api/rule?id=$id&action=permit&widen=dir")" = 200
has "$T/body" "fsread: filename inpath \\\"$T\\\" then permit" "preview: inpath the directory"
check "always widened: 200" \
    test "$(code -H "$H" -d "id=$id&action=permit&scope=always&widen=dir" "$BASE/api/answer")" = 200
has "$T/body" "rule added at" "always: written"
wait_exit $BG 10
check "permit always: cat succeeds" test "$WST" -eq 0
has "$T/ask.yaml" "fsread: filename inpath \"$T\" then permit" "always: the widened rule in the file"
"$POLICYCTL" check -q "$T/ask.yaml" 2>/dev/null
check "always: the file still compiles" test $? -eq 0
check "policies: 200" test "$(code -H "$H" "$BASE/api/policies")" = 200
has "$T/body" "$T/ask.yaml" "policies: the file"
has "$T/body" '"first":"policy: 1' "policies: its first text, for the diff"
# --- match counts stay on their rules when the console adds one above them ---------
echo public >"$T/public"
echo secret >"$T/secret3"
chmod 644 "$T/public" "$T/secret3"
cat >"$T/counts.yaml" <<EOF2
policy: 1
name: countstest
default: permit
log: deny
rules:
  - open: filename eq "$T/secret3" then ask
  - open: filename eq "$T/public" then permit log
EOF2
chmod 644 "$T/counts.yaml"
# A: alarm, answered always (a rule is added above the logged one), then a logged
# open numbered as A loaded the file; B, started after, numbers it in the new file
timeout 60 "$POLICYCTL" run --socket "$S" -p "$T/counts.yaml" -- \
    sh -c "cat '$T/secret3'; cat '$T/public'" >/dev/null 2>"$T/c.err" &
BG=$!
check "counts: alarm shown" wait_console_alarms 1
id=$(first_console_alarm)
check "counts: permit always" \
    test "$(code -H "$H" -d "id=$id&action=permit&scope=always" "$BASE/api/answer")" = 200
wait_exit $BG 10
check "counts: A done" test "$WST" -eq 0
"$POLICYCTL" run --socket "$S" -p "$T/counts.yaml" -- cat "$T/public" >/dev/null 2>&1
check "counts: B done" test $? -eq 0
cat >"$T/counts.py" <<'EOF2'
# counts.py JSON FILE PUBLIC ASK: the counts the Policies view shows on FILE's lines
# (console.js: counts[line.trim()]): 2 on the line holding PUBLIC (A's open, numbered
# in the file A loaded, and B's), 1 on the line holding ASK (the asked call), no other
import json, sys
for p in json.load(open(sys.argv[1])):
    if p["path"] != sys.argv[2]:
        continue
    lines = p["text"].split("\n")
    shown = [(l, p["counts"][l.strip()]) for l in lines if l.strip() in p["counts"]]
    want = [(l, 2 if sys.argv[3] in l else 1) for l in lines
            if sys.argv[3] in l or sys.argv[4] in l]
    print(shown)
    sys.exit(0 if shown == want else 1)
sys.exit("no " + sys.argv[2])
EOF2
i=0
while [ $i -lt 100 ]; do
	code -H "$H" "$BASE/api/policies" >/dev/null
	python3 "$T/counts.py" "$T/body" "$T/counts.yaml" "$T/public\"" \
	    "secret3\" then ask" >"$T/cout" 2>&1 && break
	sleep 0.05
	i=$((i + 1))
done
check "counts: A's and B's opens on the public rule, the asked call on the ask rule" \
    python3 "$T/counts.py" "$T/body" "$T/counts.yaml" "$T/public\"" "secret3\" then ask"
sed 's/^/    /' "$T/cout"
check "counts: the rule was added above" \
    test "$(grep -n "$T/public" "$T/counts.yaml" | cut -d: -f1)" -gt 7

pd_stop
rm -f "$S" "$S.console"

# --- the Learning view: a learned policy reviewed rule by rule ------------------------
# learned from cat reading a file: replays, and reads nothing else (/etc/hostname)
"$POLICYCTL" learn -o "$T/learned.yaml" -- cat "$T/public" >/dev/null 2>"$T/l.err"
check "review: learn wrote a policy" test -s "$T/learned.yaml"
chmod 600 "$T/learned.yaml"
cp "$T/learned.yaml" "$T/learned.orig"
"$POLICYCTL" run -p "$T/learned.yaml" -- cat "$T/public" >/dev/null 2>&1
check "review: the learned policy replays" test $? -eq 0
"$POLICYCTL" run -p "$T/learned.yaml" -- cat /etc/hostname >/dev/null 2>&1
check "review: the learned policy denies /etc/hostname" test $? -ne 0
"$POLICYD" -f --no-syslog -s "$T/x.sock" --review "$T/learned.yaml" 2>"$T/err"
check "--review without --console: refused" test $? -eq 2
has "$T/err" "--review goes with --console" "--review alone: said"
"$POLICYD" -f --no-syslog -s "$T/x.sock" --console 127.0.0.1:0 --review "$T/nonesuch.yaml" 2>"$T/err"
check "--review of a missing file: refused" test $? -eq 2
has "$T/err" "nonesuch.yaml: No such file" "--review missing: said"
ln -s "$T/learned.yaml" "$T/link.yaml"
check "--review through a symbolic link: the file itself" \
    pd_start --console 127.0.0.1:0 --review "$T/link.yaml"
pd_stop
rm -f "$S" "$S.console"
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1; then
	cp "$T/learned.yaml" "$T/other.yaml"
	chown nobody "$T/other.yaml"
	"$POLICYD" -f --no-syslog -s "$T/x.sock" --console 127.0.0.1:0 --review "$T/other.yaml" 2>"$T/err"
	check "--review of another user's file: refused" test $? -eq 2
	has "$T/err" "not by the console's user" "--review another user's: said"
fi
# a second file whose rules compile one by one but not as a whole (a key after them)
cp "$T/learned.yaml" "$T/broken.yaml"
echo "colour: blue" >>"$T/broken.yaml"
cp "$T/broken.yaml" "$T/broken.orig"
check "policyd --console --review starts" \
    pd_start --console 127.0.0.1:0 --review "$T/learned.yaml" --review "$T/broken.yaml"
check "review: console up" console_up "$S"
H="X-Policyd-Token: $TOKEN"
cat >"$T/review.py" <<'EOF2'
# review.py BASE TOKEN list | check RULE | save [file=..] [drop=SUBSTR] [edit=SUBSTR=>RULE]
#   [as=NAME] [version=V] [hdr=NAME:VALUE]: one request; prints "CODE BODY"
import json, sys, urllib.error, urllib.parse, urllib.request
base, token, what = sys.argv[1], sys.argv[2], sys.argv[3]
hdrs = {"X-Policyd-Token": token}
def req(path, data=None):
    r = urllib.request.Request(base + path, headers=hdrs,
        data=None if data is None else urllib.parse.urlencode(data).encode())
    try:
        with urllib.request.urlopen(r, timeout=10) as f:
            return f.status, f.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()
if what == "list":
    print(*req("/api/review"))
elif what == "check":
    print(*req("/api/review/check", {"rule": sys.argv[4]}))
else:
    n = [int(a[5:]) for a in sys.argv[4:] if a.startswith("file=")]
    f = json.loads(req("/api/review")[1])[n[0] if n else 0]
    rules = [r["rule"] for r in f["rules"]]
    keep, form = ["1"] * len(rules), {"file": f["id"], "version": f["version"]}
    for a in sys.argv[4:]:
        k, v = a.split("=", 1)
        if k == "drop":
            keep[[i for i, r in enumerate(rules) if v in r][0]] = "0"
        elif k == "edit":
            sub, new = v.split("=>", 1)
            form["rule.%d" % [i for i, r in enumerate(rules) if sub in r][0]] = new
        elif k == "hdr":
            hdrs[v.split(":", 1)[0]] = v.split(":", 1)[1]
        else:
            form[k] = v
    form.setdefault("keep", "".join(keep))
    print(*req("/api/review/save", form))
EOF2
rv() { python3 "$T/review.py" "$BASE" "$TOKEN" "$@" >"$T/rv" 2>&1; cut -d' ' -f1 "$T/rv"; }
nrules=$(grep -c "^  - " "$T/learned.yaml")
check "review list: 200" test "$(rv list)" = 200
python3 -c 'import json,sys
f = json.loads(open(sys.argv[1]).read().split(" ", 1)[1])[0]
assert f["path"] == sys.argv[2], f["path"]
assert len(f["rules"]) == int(sys.argv[3]), len(f["rules"])
assert all(r["comment"].strip().startswith("# ") and " call" in r["comment"] for r in f["rules"])
assert any(sys.argv[4] in r["rule"] for r in f["rules"])' "$T/rv" "$T/learned.yaml" "$nrules" "$T/public" 2>"$T/perr"
check "review list: the file, each of its $nrules rules with its '# N calls' comment" test $? -eq 0
cat "$T/perr"
# GET never changes anything; POSTs need the token, Host, Origin, fetch metadata
check "review save by GET: 405" test "$(code -H "$H" "$BASE/api/review/save?file=0&keep=0")" = 405
check "review check by GET: 405" test "$(code -H "$H" "$BASE/api/review/check?rule=x")" = 405
check "review save, no token: 401" test "$(code -d "file=0&keep=0" "$BASE/api/review/save")" = 401
check "review save, cookie, foreign Origin: 403" \
    test "$(code -b "$T/jar2" -H "Origin: http://evil.example" -d "file=0" "$BASE/api/review/save")" = 403
check "review save, token, foreign Host: 403" \
    test "$(code -H "$H" -H "Host: evil.example" -d "file=0" "$BASE/api/review/save")" = 403
check "review save, Sec-Fetch-Site cross-site: 403" test "$(rv save drop="$T/public" hdr=Sec-Fetch-Site:cross-site)" = 403
check "review list by another site's page: 403" \
    test "$(code -H "$H" -H "Origin: http://evil.example" "$BASE/api/review")" = 403
check "refused saves: file unchanged" cmp -s "$T/learned.yaml" "$T/learned.orig"
# the compiler checks each rule
check "review check, good rule: 200" test "$(rv check 'fsread: filename inpath "/etc" then permit')" = 200
check "review check, bad rule: 422" test "$(rv check 'fsread: filename inpath "/etc" then permitt')" = 422
has "$T/rv" "unknown action 'permitt'" "review check: the compiler's message"
check "review save, an edited rule that does not compile: 422" \
    test "$(rv save edit="/etc/ld.so.cache=>fsread: filename inpath \"/etc\" then permitt")" = 422
has "$T/rv" "does not compile, nothing was written" "422: said"
has "$T/rv" "unknown action 'permitt'" "422: the compiler's message"
check "review save, bad rule: file unchanged" cmp -s "$T/learned.yaml" "$T/learned.orig"
check "review save, rules that compile in a policy that does not: 422" \
    test "$(rv save file=1 drop=/etc/locale.alias)" = 422
# the key's line in the result: one rule and its comment fewer above it
has "$T/rv" "nothing was written: $T/broken.yaml:$(($(wc -l <"$T/broken.orig") - 2)):1: unknown key 'colour'" \
    "422: the compiler's file:line:column and message"
check "review save, whole policy does not compile: file unchanged" cmp -s "$T/broken.yaml" "$T/broken.orig"
check "review save, stale version: 409" test "$(rv save version=0123456789abcdef drop="$T/public")" = 409
has "$T/rv" "changed since it was shown" "409: said"
check "review save, keep of the wrong length: 400" test "$(rv save keep=1)" = 400
check "review save, rule.K of no rule: 400" test "$(rv save rule.9999=x)" = 400
check "review save, a 70 kB body: 413" test "$(rv save pad="$(head -c 70000 /dev/zero | tr '\0' a)")" = 413
check "review save as ../x: 400" test "$(rv save as=../escaped.yaml drop="$T/public")" = 400
check "review save as a hidden name: 400" test "$(rv save as=.hidden.yaml)" = 400
check "bad saves: file unchanged" cmp -s "$T/learned.yaml" "$T/learned.orig"
check "review save, a 10 kB body (more than answers take), nothing changed: 200" \
    test "$(rv save pad="$(head -c 10000 /dev/zero | tr '\0' a)")" = 200
has "$T/rv" "0 edited), 0 dropped" "10 kB body: said"
check "nothing changed: the same bytes" cmp -s "$T/learned.yaml" "$T/learned.orig"
check "bad saves: nothing beside it" test ! -e "$T/../escaped.yaml" -a ! -e "$T/.hidden.yaml"
# drop a rule: saved atomically, the rule and its comment gone, the rest kept
check "review save, drop a rule: 200" test "$(rv save drop="$T/public")" = 200
has "$T/rv" "1 dropped" "drop: said"
hasnt "$T/learned.yaml" "eq \"$T/public\"" "drop: the rule is gone"
check "drop: one rule and its comment fewer" \
    test "$(grep -c . "$T/learned.yaml")" -eq $(($(grep -c . "$T/learned.orig") - 2))
check "drop: the mode kept (0600)" test "$(stat -c %a "$T/learned.yaml")" = 600
"$POLICYCTL" check -q "$T/learned.yaml" 2>/dev/null
check "drop: the file compiles" test $? -eq 0
"$POLICYCTL" run -p "$T/learned.yaml" -- cat "$T/public" >/dev/null 2>&1
check "drop: the dropped read is denied now" test $? -ne 0
# edit (widen) a rule: /etc/ld.so.cache to all of /etc
check "review save, widen a rule: 200" \
    test "$(rv save edit="/etc/ld.so.cache=>fsread: filename inpath \"/etc\" then permit")" = 200
has "$T/rv" "1 edited" "widen: said"
has "$T/learned.yaml" "- 'fsread: filename inpath \"/etc\" then permit'" "widen: the rule in the file"
has "$T/learned.yaml" "# edited in policyd's console; learned: 'fsread: filename eq \"/etc/ld.so.cache\"" "widen: what was learned, in a comment"
"$POLICYCTL" run -p "$T/learned.yaml" -- cat /etc/hostname >/dev/null 2>&1
check "widen: /etc/hostname may be read now" test $? -eq 0
# save as a new file beside it: the reviewed file untouched
cp "$T/learned.yaml" "$T/learned.2"
check "review save as reviewed.yaml: 200" test "$(rv save as=reviewed.yaml drop=/etc/locale.alias)" = 200
check "save as: the new file" test -s "$T/reviewed.yaml"
hasnt "$T/reviewed.yaml" "/etc/locale.alias" "save as: without the dropped rule"
check "save as: the reviewed file unchanged" cmp -s "$T/learned.yaml" "$T/learned.2"
check "save as an existing file: 409" test "$(rv save as=reviewed.yaml)" = 409
has "$T/rv" "exists" "save as existing: said"
pd_stop
rm -f "$S" "$S.console"
san_check

# --- a user's console answers that user's alarms only -------------------------------
# root's policyd (socket 0666) holds every user's alarms; --console-user nobody
# gives a console that sees and answers nobody's, as nobody's prompt would
if [ "$(id -u)" = 0 ] && id nobody >/dev/null 2>&1 && id daemon >/dev/null 2>&1 &&
    command -v setpriv >/dev/null 2>&1; then
	"$POLICYD" -f --no-syslog -s "$T/x.sock" --console-user nobody 2>"$T/err"
	check "--console-user alone: usage" test $? -eq 2
	"$POLICYD" -f --no-syslog -s "$T/x.sock" --console 127.0.0.1:0 \
	    --console-user no-such-user-here 2>"$T/err"
	check "--console-user unknown: usage" test $? -eq 2
	has "$T/err" "no such user" "--console-user unknown: said"
	check "root's policyd, nobody's console" \
	    pd_start -m 0666 --console 127.0.0.1:0 --console-user nobody
	check "nobody's console up" console_up "$S"
	check "token file: nobody's, 0600" \
	    test "$(stat -c '%U %a' "$S.console")" = "nobody 600"
	H="X-Policyd-Token: $TOKEN"
	cp "$T/ask.orig" "$T/ask.yaml"
	# a program that runs as daemon: not nobody's alarm
	timeout 60 "$POLICYCTL" run --socket "$S" -p "$T/ask.yaml" -- \
	    setpriv --reuid=daemon --regid=daemon --clear-groups cat "$T/secret" \
	    >"$T/d.out" 2>"$T/d.err" &
	DBG=$!
	check "daemon's alarm pending" wait_alarms 1
	did=$(first_alarm)
	check "nobody's console: daemon's alarm not shown" test "$(alarms_total)" = 0
	check "nobody's console: answering daemon's alarm: 403" \
	    test "$(code -H "$H" -d "id=$did&action=permit&scope=always" "$BASE/api/answer")" = 403
	has "$T/body" "not yours" "another user's alarm: said"
	check "nobody's console: preview of daemon's alarm: 403" \
	    test "$(code -H "$H" "$BASE/api/rule?id=$did&action=permit")" = 403
	wait_alarms 1
	check "daemon's alarm: still pending" test "$(first_alarm)" = "$did"
	hasnt "$T/ask.yaml" "then permit" "daemon's alarm: no rule written"
	# a program that runs as nobody: the console's user's
	timeout 60 "$POLICYCTL" run --socket "$S" -p "$T/ask.yaml" -- \
	    setpriv --reuid=nobody --regid="$(id -g nobody)" --clear-groups \
	    cat "$T/secret" >"$T/n.out" 2>"$T/n.err" &
	NBG=$!
	check "nobody's alarm: shown" wait_console_alarms 1
	nid=$(first_console_alarm)
	check "nobody's alarm: answered" \
	    test "$(code -H "$H" -d "id=$nid&action=permit" "$BASE/api/answer")" = 200
	wait_exit $NBG 10
	check "nobody's program goes on" test "$WST" -eq 0
	"$POLICYCTL" answer -s "$S" "$did" deny >/dev/null 2>&1
	wait_exit $DBG 10
	check "daemon's program: denied by root's answer" test "$WST" -eq 1
	pd_stop
	rm -f "$S" "$S.console"
else
	echo "SKIP: another user's alarm (needs root, users nobody and daemon, setpriv)"
fi

# --- bounded: connections, live views, alarms ---------------------------------------
san_check
: >"$T/policyd.log"
check "policyd -q 100 --console starts" pd_start -q 100 --console 127.0.0.1:0
check "console up" console_up "$S"
H="X-Policyd-Token: $TOKEN"
cat >"$T/flood.py" <<'EOF2'
# flood.py HOST PORT TOKEN PID: 100 idle connections (how many policyd holds),
# then 20 live views (how many are served); prints the counts
import os, socket, sys, time
host, port, token, pid = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
hp = "%s:%d" % (host, port)
def held():
    n = 0
    for f in os.listdir("/proc/%s/fd" % pid):
        try:
            n += os.readlink("/proc/%s/fd/%s" % (pid, f)).startswith("socket:")
        except OSError:
            pass
    return n
base = held()
socks = []
for i in range(100):
    s = socket.create_connection((host, port), timeout=5)
    s.sendall(b"GET / HTTP/1.1\r\nHost: " + hp.encode())  # never finished
    socks.append(s)
time.sleep(1.0)
print("idle-held", held() - base)
for s in socks:
    s.close()
time.sleep(1.0)
views, ok, busy = [], 0, 0
for i in range(20):
    s = socket.create_connection((host, port), timeout=10)
    s.sendall(("GET /api/events HTTP/1.1\r\nHost: %s\r\nX-Policyd-Token: %s\r\n\r\n"
               % (hp, token)).encode())
    status = s.recv(4096).decode(errors="replace").split("\r\n")[0]
    ok += " 200 " in status + " "
    busy += " 503 " in status + " "
    views.append(s)
print("views-ok", ok)
print("views-busy", busy)
for s in views:
    s.close()
EOF2
rss0=$(awk '/VmRSS/ { print $2 }' "/proc/$PD/status")
python3 "$T/flood.py" "${HP%:*}" "${HP##*:}" "$TOKEN" "$PD" >"$T/flood" 2>&1
sed 's/^/    /' "$T/flood"
n=$(awk '$1 == "idle-held" { print $2 }' "$T/flood")
check "100 idle connections: policyd holds at most 32 ($n)" test "${n:-999}" -le 32
n=$(awk '$1 == "views-ok" { print $2 }' "$T/flood")
check "20 live views: 8 served ($n)" test "${n:-0}" -eq 8
n=$(awk '$1 == "views-busy" { print $2 }' "$T/flood")
check "live views beyond 8: 503 ($n)" test "${n:-0}" -eq 12
check "after the flood: console answers" \
    test "$(code -H "$H" "$BASE/api/alarms")" = 200
"$PEER" "$S" flood 2000 500 30 >"$T/aflood" 2>&1 &
fp=$!
i=0
while [ $i -lt 200 ] && ! grep -q sent "$T/aflood"; do sleep 0.05; i=$((i + 1)); done
i=0
while [ $i -lt 200 ] && [ "$(alarms_total)" -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
check "alarm flood: the console answers" test "$(code -H "$H" "$BASE/api/alarms")" = 200
python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(len(j["alarms"]), j["total"])' \
    "$T/body" >"$T/counts"
read shown total <"$T/counts"
check "alarm flood: 100 pending (-q 100), $total" test "$total" -eq 100
check "alarm flood: at most 50 sent per update ($shown)" test "$shown" -eq 50
timeout 2 curl -s -N -H "$H" "$BASE/api/events" >"$T/ev" 2>/dev/null
n=$(wc -c <"$T/ev")
check "alarm flood: a live view's update bounded ($n bytes)" test "$n" -gt 0 -a "$n" -lt 2000000
kill $fp 2>/dev/null
wait $fp 2>/dev/null
rss1=$(awk '/VmRSS/ { print $2 }' "/proc/$PD/status")
check "floods: policyd's memory bounded (${rss0} kB -> ${rss1} kB)" \
    test $((rss1 - rss0)) -lt 65536
check "policyd still runs" kill -0 "$PD"
pd_stop
san_check
finish
