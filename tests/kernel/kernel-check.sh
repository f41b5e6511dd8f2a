# kernel-check.sh: compiles every policy kernel file with all emulations on (COMPAT_NETBSD32,
# COMPAT_LINUX, COMPAT_LINUX32) against real NetBSD kernel headers: the rump kit's.
# Usage (from the Makefile): RUMPKIT=... BUILD=build sh kernel-check.sh FILES
view=$BUILD/kernel-check/kit
msg=$(sh tests/rump/rump-kit.sh "${RUMPKIT:-../shared/netbsd-rump}" "$view")
case $? in
0) ;;
3) echo "kernel-check: $msg"; exit 0 ;;
*) echo "kernel-check: $msg" >&2; exit 1 ;;
esac
out=$BUILD/kernel-check/obj
mkdir -p "$out"
fail=0
for f in "$@"; do
	if "$view/bin/rumpkern-cc" -Wall -Wextra -Werror -Wno-unused-parameter \
	    -Wno-sign-compare -Wno-cast-function-type \
	    -Wno-missing-field-initializers -Isys/kern -Isys/secmodel/policy \
	    -idirafter sys -DCOMPAT_NETBSD32 -DCOMPAT_LINUX -DCOMPAT_LINUX32 \
	    -o "$out/$(basename "$f" .c).o" "$f"; then
		echo "kernel-check: ok    $f"
	else
		echo "kernel-check: FAIL  $f"
		fail=1
	fi
done
exit $fail
