#!/bin/sh
# demo.sh: `make demo`: confines a real program (a shell script using cat and nc) with
# tests/demo/demo.yaml and shows one permitted read and two denials (a secret, a connection).
set -u
POLICYCTL=${POLICYCTL:-build/policyctl}
HERE=$(cd "$(dirname "$0")" && pwd)
D=/tmp/policy-demo

rm -rf "$D"
mkdir -p "$D"
echo "Opening hours: 9 to 5." >"$D/public.txt"
echo "TOP SECRET: the launch code is 0000." >"$D/secret.txt"
cat >"$D/script.sh" <<'SCRIPT'
echo "--- reading the public notice:"
cat /tmp/policy-demo/public.txt
echo "--- reading the secret:"
cat /tmp/policy-demo/secret.txt || echo "(refused)"
echo "--- phoning home to 127.0.0.1:9 (a local port standing in for the internet):"
busybox nc -w 2 127.0.0.1 9 </dev/null || echo "(refused)"
SCRIPT

echo "The script, run without confinement, would print the secret:"
echo "  \$ cat $D/secret.txt"
echo "  $(cat "$D/secret.txt")"
echo
echo "Run under the policy:"
echo "  \$ policyctl run -p tests/demo/demo.yaml -- /bin/sh $D/script.sh"
echo
"$POLICYCTL" run -p "$HERE/demo.yaml" -- /bin/sh "$D/script.sh"
status=$?
echo
echo "policyctl run exited with status $status (the script's own)."
rm -rf "$D"
exit $status
