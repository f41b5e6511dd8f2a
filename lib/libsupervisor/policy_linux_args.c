/* policy_linux_args.c: native argument conventions the supervisor reads from registers:
 * open(2) flags as POLICY_O_* bits, and the *at (and xattr) flags each call accepts. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "policy_linux.h"

/*
 * The *at flags each call accepts: any other bit is EINVAL, as the kernel
 * answers before looking anything up.  0 or EINVAL.
 */
int
policy_linux_atflags_ok(const char *n, const uint64_t *args)
{
	static const struct { const char *name; int arg; uint64_t ok; } t[] = {
		{ "unlinkat", 2, AT_REMOVEDIR },
		{ "linkat", 4, AT_SYMLINK_FOLLOW | AT_EMPTY_PATH },
		{ "fchownat", 4, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH },
		{ "fchmodat2", 3, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH },
		{ "faccessat2", 3, AT_EACCESS | AT_SYMLINK_NOFOLLOW |
		    AT_EMPTY_PATH },
		{ "utimensat", 3, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH },
		{ "newfstatat", 3, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT |
		    AT_EMPTY_PATH },
		{ "statx", 2, AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT |
		    AT_EMPTY_PATH | AT_STATX_SYNC_TYPE },
		{ "execveat", 4, AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH },
		{ "renameat2", 4, RENAME_NOREPLACE | RENAME_EXCHANGE |
		    RENAME_WHITEOUT },
		{ "setxattr", 4, XATTR_CREATE | XATTR_REPLACE },
		{ "lsetxattr", 4, XATTR_CREATE | XATTR_REPLACE },
		{ "fsetxattr", 4, XATTR_CREATE | XATTR_REPLACE },
	};
	size_t i;

	/* statx: both sync kinds at once, or a reserved mask bit */
	if (strcmp(n, "statx") == 0 && (((uint32_t)args[2] &
	    AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE ||
	    ((uint32_t)args[3] & STATX__RESERVED) != 0))
		return EINVAL;
	/* renameat2: no replace and exchange contradict each other */
	if (strcmp(n, "renameat2") == 0 && ((uint32_t)args[4] &
	    (RENAME_NOREPLACE | RENAME_EXCHANGE)) ==
	    (RENAME_NOREPLACE | RENAME_EXCHANGE))
		return EINVAL;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(n, t[i].name) == 0)
			return ((uint32_t)args[t[i].arg] & ~t[i].ok) != 0 ?
			    EINVAL : 0;
	return 0;
}

/* open(2)'s flags as the POLICY_O_* bits policies test. */
int64_t
policy_linux_oflags(int fl)
{
	static const struct { int native; int64_t portable; } map[] = {
		{ O_CREAT, POLICY_O_CREAT }, { O_EXCL, POLICY_O_EXCL },
		{ O_TRUNC, POLICY_O_TRUNC }, { O_APPEND, POLICY_O_APPEND },
		{ O_NONBLOCK, POLICY_O_NONBLOCK },
		{ O_DIRECTORY, POLICY_O_DIRECTORY },
		{ O_NOFOLLOW, POLICY_O_NOFOLLOW }, { O_CLOEXEC, POLICY_O_CLOEXEC },
		{ O_PATH, POLICY_O_PATH }, { O_NOCTTY, POLICY_O_NOCTTY },
	};
	int64_t v = 0;
	size_t i;

	switch (fl & O_ACCMODE) {
	case O_WRONLY: v = POLICY_O_WRONLY; break;
	/* 3: a descriptor for ioctls, which the kernel gives for read and
	 * write permission both: decided as a read and write open */
	case O_RDWR: case O_WRONLY | O_RDWR: v = POLICY_O_RDWR; break;
	default: break;
	}
	for (i = 0; i < __arraycount(map); i++)
		if (fl & map[i].native)
			v |= map[i].portable;
	if ((fl & O_TMPFILE) == O_TMPFILE)
		v = (v & ~POLICY_O_DIRECTORY) | POLICY_O_TMPFILE;
	if ((fl & O_SYNC) == O_SYNC)
		v |= POLICY_O_SYNC;
	return v;
}

