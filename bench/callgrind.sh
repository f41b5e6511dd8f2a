#!/bin/sh
# callgrind.sh: repeatable counts per decision (callgrind counts only inside policy_eval):
# instructions, and first-level data-cache misses in callgrind's cache simulation.
bench=$1
n=20000
if ! command -v valgrind >/dev/null 2>&1; then
	echo "callgrind: valgrind not installed (make deps), skipped"
	exit 0
fi
printf '%10s %16s %22s\n' rules "instr/decision" "D1 misses/decision"
for rules in 10 1000 100000; do
	out=$(mktemp)
	valgrind --tool=callgrind --cache-sim=yes --toggle-collect=policy_eval \
	    --callgrind-out-file="$out" "$bench" --decide-only $rules $n \
	    >/dev/null 2>&1 || { echo "callgrind run failed"; rm -f "$out"; exit 1; }
	awk -v r=$rules -v n=$n '
	    /^events:/ { for (i = 2; i <= NF; i++) ev[$i] = i }
	    /^(summary|totals):/ {
		printf "%10d %16.1f %22.2f\n", r, $(ev["Ir"]) / n,
		    $(ev["D1mr"]) / n + $(ev["D1mw"]) / n
		exit
	    }' "$out"
	rm -f "$out"
done
