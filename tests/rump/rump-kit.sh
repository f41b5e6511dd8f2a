#!/bin/sh
# rump-kit.sh: checks for the rump kernel kit and gives it a usable view under OUT: its
# links (machine/, x86/, ...) and library names as real symbolic links, whatever the copy kept.
# Usage: rump-kit.sh KIT OUT   (exit 0 and "ok", or exit 3 with one line saying why not)
set -eu
KIT=$1 OUT=$2
if [ ! -x "$KIT/bin/rumpkern-cc" ] || [ ! -d "$KIT/kernel/sys" ] || [ ! -d "$KIT/lib" ]; then
	echo "skipped: no NetBSD rump kernel kit at $KIT (set RUMPKIT to its directory)"
	exit 3
fi
KIT=$(cd "$KIT" && pwd)
rm -rf "$OUT"
mkdir -p "$OUT/bin" "$OUT/kernel/links" "$OUT/lib"
# rumpkern-cc finds the kit from its own path: a link to it here makes it use this view.
ln -s "$KIT/bin/rumpkern-cc" "$OUT/bin/rumpkern-cc"
for d in sys common buildrump; do ln -s "$KIT/kernel/$d" "$OUT/kernel/$d"; done
ln -s "$KIT/include" "$OUT/include"
# A link that a copy turned into a file holds its target as text.
relink() {	# relink SRC DST
	if [ -L "$1" ]; then ln -s "$(readlink "$1")" "$2"
	elif [ -f "$1" ] && [ "$(wc -c < "$1")" -lt 256 ]; then ln -s "$(cat "$1")" "$2"
	else ln -s "$1" "$2"
	fi
}
for f in "$KIT"/kernel/links/*; do relink "$f" "$OUT/kernel/links/$(basename "$f")"; done
for f in "$KIT"/lib/*; do
	case $f in
	*.so.[0-9]*) ln -s "$f" "$OUT/lib/$(basename "$f")" ;;
	*.so) (cd "$OUT/lib" && relink "$f" "$(basename "$f")") ;;
	esac
done
[ -d "$OUT/kernel/links/machine/" ] || { echo "rump kit at $KIT: kernel/links/machine is not a directory" >&2; exit 1; }
echo ok
