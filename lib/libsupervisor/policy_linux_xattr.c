/* policy_linux_xattr.c: extended attributes named by path or descriptor (setxattr, getxattr,
 * listxattr, removexattr and their l and f forms): name and value copied once, done on our fd. */
/*
 * The calls are decided as the path operations NetBSD's wrappers decide
 * them as: set and remove as chmod, get and list as stat, on the object
 * the walk resolved (policy_linux_path.c); the f forms on the descriptor's
 * object.  The name and a value to set are copied before the walk, as the
 * kernel does, and the call is then made on "/proc/self/fd/N" of the
 * walk's O_PATH descriptor: following that magic link reaches the object
 * itself, a symbolic link too (an l form's), never a path looked up again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/xattr.h>
#include <linux/limits.h>

#include "policy_linux.h"

#define ARG(i)	(c->c_args[i])

bool
policy_linux_is_xattr(const char *n)
{
	return strstr(n, "xattr") != NULL;
}

/*
 * Does setting it grant what a mode grants?  Any attribute but a user.*
 * one means what the kernel makes of it: a POSIX ACL (system.) rewrites
 * the permission bits and adds to them, a file capability (security.) is
 * what a set-user-ID bit is for, labels decide access under an LSM,
 * trusted.* ones steer overlayfs.  Such a set is decided as a chmod to
 * every mode bit (07777), so that a rule on mode (no set-user-ID, no
 * write for others) refuses it too; NetBSD decides its system namespace
 * (system., security., trusted.) alike.
 */
bool
policy_linux_xattr_grants(const struct policy_linux_xattr *x)
{
	return strncmp(x->x_name, "system.", 7) == 0 ||
	    strncmp(x->x_name, "security.", 9) == 0 ||
	    strncmp(x->x_name, "trusted.", 8) == 0;
}

void
policy_linux_xattr_free(struct policy_linux_xattr *x)
{
	free(x->x_value);
	x->x_value = NULL;
}

/* Copy what the call names once: its attribute name (not for list) and
 * the value to set.  0, or the kernel's -errno for them. */
int
policy_linux_xattr_copy(struct policy_linux_call *c, struct policy_linux_xattr *x)
{
	const char *n = c->c_name;
	int r;

	memset(x, 0, sizeof(*x));
	x->x_kind = strstr(n, "setxattr") ? PLX_SET : strstr(n, "getxattr") ?
	    PLX_GET : strstr(n, "listxattr") ? PLX_LIST : PLX_REMOVE;
	if (x->x_kind == PLX_LIST) {
		x->x_buf = ARG(1);
		x->x_size = (size_t)ARG(2);
		return 0;
	}
	/* an empty name or one longer than XATTR_NAME_MAX: ERANGE */
	if ((r = policy_linux_read_str(c->c_tid, ARG(1), x->x_name,
	    sizeof(x->x_name), NULL)) != 0)
		return r == -ENAMETOOLONG ? -ERANGE : r;
	if (x->x_name[0] == '\0')
		return -ERANGE;
	if (x->x_kind == PLX_GET) {
		x->x_buf = ARG(2);
		x->x_size = (size_t)ARG(3);
	} else if (x->x_kind == PLX_SET) {
		x->x_size = (size_t)ARG(3);
		x->x_flags = (int)ARG(4);
		if (x->x_size > XATTR_SIZE_MAX)
			return -E2BIG;
		if (x->x_size > 0) {
			if ((x->x_value = malloc(x->x_size)) == NULL)
				return -ENOMEM;
			if ((r = policy_linux_read(c->c_tid, ARG(2), x->x_value,
			    x->x_size)) != 0)
				return r;
		}
	}
	return 0;
}

/* Make the call on the object behind proc (our descriptor's magic link),
 * with the caller's credentials in place; results back into the caller.
 * Returns 0 or an errno; *ret the call's value. */
int
policy_linux_xattr_do(struct policy_linux_call *c,
    const struct policy_linux_xattr *x, const char *proc, int64_t *ret)
{
	size_t cap = x->x_size > XATTR_SIZE_MAX ? XATTR_SIZE_MAX : x->x_size;
	char *buf = NULL;
	ssize_t n;
	int r;

	*ret = 0;
	switch (x->x_kind) {
	case PLX_SET:
		return setxattr(proc, x->x_name, x->x_value, x->x_size,
		    x->x_flags) != 0 ? errno : 0;
	case PLX_REMOVE:
		return removexattr(proc, x->x_name) != 0 ? errno : 0;
	default:
		break;
	}
	if (cap > 0 && (buf = malloc(cap)) == NULL)
		return ENOMEM;
	n = x->x_kind == PLX_GET ? getxattr(proc, x->x_name, buf, cap) :
	    listxattr(proc, buf, cap);
	if (n < 0) {
		r = errno;
		free(buf);
		/* too small a buffer that could not be larger: E2BIG */
		return r == ERANGE && x->x_size >= XATTR_SIZE_MAX ? E2BIG : r;
	}
	r = 0;
	if (cap > 0 && n > 0 && (r = policy_linux_write_result(c, x->x_buf,
	    buf, (size_t)n)) != 0)
		r = -r;
	free(buf);
	*ret = n;
	return r;
}
