#!/bin/sh
# callgrind.sh: repeatable instruction counts per decision (callgrind counts only
# inside policy_eval) for policies of 10, 1,000 and 100,000 rules.
bench=$1
n=20000
if ! command -v valgrind >/dev/null 2>&1; then
	echo "callgrind: valgrind not installed (make deps), skipped"
	exit 0
fi
printf '%10s %16s\n' rules "instr/decision"
for rules in 10 1000 100000; do
	out=$(mktemp)
	valgrind --tool=callgrind --toggle-collect=policy_eval \
	    --callgrind-out-file="$out" "$bench" --decide-only $rules $n \
	    >/dev/null 2>&1 || { echo "callgrind run failed"; rm -f "$out"; exit 1; }
	total=$(awk '/^(summary|totals):/ { print $2; exit }' "$out")
	rm -f "$out"
	awk -v r=$rules -v t="$total" -v n=$n 'BEGIN { printf "%10d %16.1f\n", r, t / n }'
done
