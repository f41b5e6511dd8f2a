# kernel-check.sh: compiles every policy kernel file with all emulations on (COMPAT_NETBSD32,
# COMPAT_LINUX, COMPAT_LINUX32) against real NetBSD kernel headers: the rump kit's, by default.
# Usage (from the Makefile): RUMPKIT=... NETBSDSRC=... BUILD=build sh kernel-check.sh FILES
# The kit has no compat/netbsd32/netbsd32_syscallargs.h: the files that need it are checked
# when NETBSDSRC names a NetBSD source tree whose sys/ supplies it, and said skipped otherwise.
view=$BUILD/kernel-check/kit
msg=$(sh tests/rump/rump-kit.sh "${RUMPKIT:-../shared/netbsd-rump}" "$view")
case $? in
0) ;;
3) echo "kernel-check: $msg"; exit 0 ;;
*) echo "kernel-check: $msg" >&2; exit 1 ;;
esac
extra=
if [ -n "$NETBSDSRC" ]; then
	if [ ! -f "$NETBSDSRC/sys/compat/netbsd32/netbsd32_syscallargs.h" ]; then
		echo "kernel-check: $NETBSDSRC is not a NetBSD source tree" >&2
		exit 1
	fi
	extra="-idirafter $NETBSDSRC/sys"
fi
out=$BUILD/kernel-check/obj
mkdir -p "$out"
fail=0
for f in "$@"; do
	if [ -z "$extra" ] && grep -q "compat/netbsd32/netbsd32_syscallargs.h" "$f"; then
		echo "kernel-check: skip  $f (the kit has no netbsd32_syscallargs.h; NETBSDSRC=...)"
		continue
	fi
	if "$view/bin/rumpkern-cc" -Wall -Wextra -Werror -Wno-unused-parameter \
	    -Wno-sign-compare -Wno-cast-function-type \
	    -Wno-missing-field-initializers -Isys/kern -Isys/secmodel/policy \
	    -idirafter sys $extra -DCOMPAT_NETBSD32 -DCOMPAT_LINUX -DCOMPAT_LINUX32 \
	    -o "$out/$(basename "$f" .c).o" "$f"; then
		echo "kernel-check: ok    $f"
	else
		echo "kernel-check: FAIL  $f"
		fail=1
	fi
done
exit $fail
