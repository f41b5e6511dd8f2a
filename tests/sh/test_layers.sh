#!/bin/sh
# test_layers.sh: the supervisor's files call lower layers only (lib/libsupervisor/README.md):
# checked on the symbols each built object defines and uses. Prints "N passed, M failed".

: "${BUILD:?set BUILD to the build directory}"
HERE=$(cd "$(dirname "$0")/../.." && pwd)
OBJ=$BUILD/obj/lib/libsupervisor
README=$HERE/lib/libsupervisor/README.md
NM=${NM:-nm}
T=$(mktemp -d /tmp/plx-layers.XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# layer of each file: "file layer"
sed -n 's/^| \([0-9][0-9]*\) | \([a-z ]*\) |$/\1 \2/p' "$README" |
while read -r n files; do
	for f in $files; do echo "$f $n"; done
done >"$T/layers"
[ -s "$T/layers" ] && ok || bad "no layer table in $README"

# every object is in the table, and every file in the table is built
for o in "$OBJ"/policy_linux_*.o; do
	f=$(basename "$o" .o)
	f=${f#policy_linux_}
	grep -q "^$f " "$T/layers" && ok || bad "$f: not in the layer table"
	"$NM" "$o" | awk -v f="$f" '$2 ~ /^[TDBR]$/ { print $3, f }' >>"$T/defs"
	"$NM" "$o" | awk -v f="$f" '$1 == "U" { print $2, f }' >>"$T/uses"
done
while read -r f n; do
	[ -f "$OBJ/policy_linux_$f.o" ] && ok || bad "$f: in the table, not built"
done <"$T/layers"

# each use of another file's symbol goes to a lower layer
awk 'FILENAME == ARGV[1] { layer[$1] = $2; next }
     FILENAME == ARGV[2] { def[$1] = $2; next }
     ($1 in def) && def[$1] != $2 {
	from = $2; to = def[$1]
	if (!(from in layer) || !(to in layer)) next
	if (layer[from] + 0 > layer[to] + 0) print "ok"
	else print "up " from " (layer " layer[from] ") calls " $1 \
	    " of " to " (layer " layer[to] ")"
     }' "$T/layers" "$T/defs" "$T/uses" >"$T/edges"
n=$(grep -c '^ok$' "$T/edges")
[ "$n" -gt 100 ] && ok || bad "only $n calls between files found: objects not read?"
pass=$((pass + n))
grep -v '^ok$' "$T/edges" | while read -r line; do echo "FAIL: $line"; done
fail=$((fail + $(grep -vc '^ok$' "$T/edges")))

echo "test_layers: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
