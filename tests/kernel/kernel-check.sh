# kernel-check.sh: compiles (no link) the policy kernel files against a real NetBSD source
# tree's headers with -D_KERNEL -nostdinc, so that drift in NetBSD's interfaces shows up.
# Usage (from the Makefile): NETBSDSRC=... ARCH=amd64 BUILD=build CC=cc sh kernel-check.sh FILES
if [ -z "$NETBSDSRC" ]; then
	echo "kernel-check: skipped: NETBSDSRC is not set" \
	    "(make kernel-check NETBSDSRC=/path/to/netbsd/src)"
	exit 0
fi
if [ ! -f "$NETBSDSRC/sys/sys/kauth.h" ]; then
	echo "kernel-check: $NETBSDSRC/sys/sys/kauth.h missing: not a NetBSD source tree" >&2
	exit 1
fi
ARCH=${ARCH:-amd64}
inc=$BUILD/kernel-check/include
mkdir -p "$inc"
# What a kernel build's config(1) and the arch Makefiles would provide: the
# machine/ and x86/ links, and (empty) opt_*.h files are not needed here as
# _KERNEL_OPT is not defined.
ln -sfn "$(cd "$NETBSDSRC/sys/arch/$ARCH/include" && pwd)" "$inc/machine"
case $ARCH in
amd64|i386) ln -sfn "$(cd "$NETBSDSRC/sys/arch/x86/include" && pwd)" "$inc/x86" ;;
esac
fail=0
for f in "$@"; do
	# A host compiler stands in for NetBSD's: undo its Linux defines.
	if ${CC:-cc} -fsyntax-only -std=gnu99 -nostdinc -ffreestanding \
	    -fno-builtin -D_KERNEL -D_MODULE -D__NetBSD__ -U__linux__ \
	    -U__linux -Ulinux -U__gnu_linux__ -U__unix__ -Uunix \
	    -DCOMPAT_NETBSD32 -DCOMPAT_LINUX -DCOMPAT_LINUX32 \
	    -I"$inc" -I"$NETBSDSRC/sys" -I"$NETBSDSRC/sys/arch" \
	    -I"$NETBSDSRC/common/include" \
	    -Wall -Wno-unused-parameter -Wno-attributes -Werror "$f"; then
		echo "kernel-check: ok    $f"
	else
		echo "kernel-check: FAIL  $f"
		fail=1
	fi
done
exit $fail
