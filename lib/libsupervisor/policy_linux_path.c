/* policy_linux_path.c: path operations (stat family, access, readlink, chdir, unlink, rename,
 * mkdir, rmdir, link, symlink, chmod, chown, truncate, utimes, xattrs) done on our fds. */
/*
 * Each path is walked once to an fd (the object, or its parent directory
 * plus the final name for calls that create or remove names); the policy
 * decides on that object's resolved path, and the call is then made with
 * the fd and the *at() family, so a path changed after the check changes
 * nothing.  Results (stat buffers, link text) are written back into the
 * target.  chdir is done with fchdir in the target: policy_linux_chdir.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utime.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>

#include "policy_linux.h"

#define ARG(i)	(c->c_args[i])
#define DIRFD(i) ((int)c->c_args[i])

/* A path for the request, in a heap string of any length (*out), noted
 * with the call when longer than the request's buffer: dir + last, or
 * whole. */
static int
policy_linux_reqpath(struct policy_linux_call *c, const char *dir,
    const char *last, char **out)
{
	size_t n = strlen(dir) + (last ? strlen(last) + 1 : 0) + 1;
	char *p = malloc(n);

	if ((*out = p) == NULL)
		return -ENOMEM;
	if (last != NULL)
		snprintf(p, n, "%s%s%s", dir, strcmp(dir, "/") == 0 ? "" : "/",
		    last);
	else
		snprintf(p, n, "%s", dir);
	if (n - 1 >= POLICY_PATH_MAX)
		return policy_linux_long_note(c, p);
	return 0;
}

static void
policy_linux_reqpath_free(struct policy_linux_call *c, char *p)
{
	if (p != NULL) {
		policy_linux_long_forget(c, p);
		free(p);
	}
}

static void
policy_linux_procpath(int fd, char *buf, size_t cap)
{
	snprintf(buf, cap, "/proc/self/fd/%d", fd);
}

/* chdir: decided on the directory the supervisor resolved, and carried out
 * on that directory (policy_linux_chdir.c). */
static void
policy_linux_chdir(struct policy_linux_call *c, struct policy_linux_walk *w)
{
	if (!S_ISDIR(w->w_st.st_mode)) {
		policy_linux_reply(c->c_sup, c->c_id, 0, ENOTDIR);
		return;
	}
	policy_linux_chdir_run(c, w->w_fd, &w->w_st);
}

/* Write a struct stat or statx for the object back to the target. */
static int
policy_linux_stat_out(struct policy_linux_call *c,
    const struct policy_linux_walk *w, int statx_call)
{
	if (statx_call) {
		struct statx stx;
		int fl = (int)ARG(2);

		if (statx(w->w_fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW |
		    (fl & AT_STATX_SYNC_TYPE), (unsigned)ARG(3), &stx) != 0)
			return -errno;
		return policy_linux_write_result(c, ARG(4), &stx, sizeof(stx));
	}
	return policy_linux_write_result(c, strcmp(c->c_name, "newfstatat") == 0 ?
	    ARG(2) : ARG(1), &w->w_st, sizeof(w->w_st));
}

static int
policy_linux_times(struct policy_linux_call *c, struct timespec ts[2],
    struct timespec **tsp)
{
	const char *n = c->c_name;
	int r;

	*tsp = ts;
	if (strcmp(n, "utimensat") == 0) {
		if (ARG(2) == 0) {
			*tsp = NULL;
			return 0;
		}
		return policy_linux_read(c->c_tid, ARG(2), ts, 2 * sizeof(*ts));
	}
	if (strcmp(n, "utime") == 0) {
		struct utimbuf ub;

		if (ARG(1) == 0) {
			*tsp = NULL;
			return 0;
		}
		if ((r = policy_linux_read(c->c_tid, ARG(1), &ub, sizeof(ub))) != 0)
			return r;
		ts[0].tv_sec = ub.actime;
		ts[1].tv_sec = ub.modtime;
		ts[0].tv_nsec = ts[1].tv_nsec = 0;
		return 0;
	} else {
		struct timeval tv[2];
		uint64_t a = strcmp(n, "utimes") == 0 ? ARG(1) : ARG(2);

		if (a == 0) {
			*tsp = NULL;
			return 0;
		}
		if ((r = policy_linux_read(c->c_tid, a, tv, sizeof(tv))) != 0)
			return r;
		if (tv[0].tv_usec < 0 || tv[0].tv_usec >= 1000000 ||
		    tv[1].tv_usec < 0 || tv[1].tv_usec >= 1000000)
			return -EINVAL;
		ts[0].tv_sec = tv[0].tv_sec;
		ts[0].tv_nsec = tv[0].tv_usec * 1000;
		ts[1].tv_sec = tv[1].tv_sec;
		ts[1].tv_nsec = tv[1].tv_usec * 1000;
		return 0;
	}
}

/*
 * The caller's RLIMIT_FSIZE (soft), from /proc/TID/limits, which anyone
 * may read.  prlimit(2) of another user's process needs CAP_SYS_RESOURCE,
 * which a root supervisor may lack (a container's root usually does), and
 * which no thread has while it acts with an unprivileged caller's
 * credentials: it failed EPERM, and truncate answered EPERM instead of
 * EACCES or EFBIG.  0, or ESRCH (the caller is gone).
 */
static int
policy_linux_fsize(const struct policy_linux_call *c, rlim_t *lim)
{
	char path[64], buf[4096], *p;
	unsigned long long v;
	ssize_t n;
	size_t got = 0;
	int fd;

	policy_linux_as_self(c->c_sup);
	snprintf(path, sizeof(path), "/proc/%d/limits", (int)c->c_tid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return ESRCH;
	while (got < sizeof(buf) - 1 &&
	    (n = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	*lim = RLIM_INFINITY;
	/* "Max file size   SOFT   HARD   bytes", SOFT "unlimited" or bytes */
	if ((p = strstr(buf, "\nMax file size")) == NULL)
		return got == 0 ? ESRCH : 0;
	p += strlen("\nMax file size");
	while (*p == ' ')
		p++;
	if (*p >= '0' && *p <= '9') {
		v = strtoull(p, NULL, 10);
		*lim = (rlim_t)v;
	}
	return 0;
}

/*
 * truncate of a regular file to len, acting with the caller's credentials
 * on the object walked, as the kernel's vfs_truncate: a read-only mount
 * (EROFS), write permission (EACCES, or EPERM for an immutable file), an
 * append-only file (EPERM), then beyond the caller's RLIMIT_FSIZE EFBIG and
 * SIGXFSZ (the supervisor's own limit is not the caller's, so that one is
 * checked here, after the others as in the kernel, and nothing is done).
 */
static int
policy_linux_truncate(struct policy_linux_call *c,
    const struct policy_linux_walk *w, const char *proc, off_t len,
    rlim_t lim)
{
	struct statvfs vfs;
	struct statx stx;

	if (lim == RLIM_INFINITY || (uint64_t)len <= lim)
		return truncate(proc, len) != 0 ? errno : 0;
	if (fstatvfs(w->w_fd, &vfs) == 0 && (vfs.f_flag & ST_RDONLY))
		return EROFS;
	if (syscall(SYS_faccessat2, w->w_fd, "", W_OK,
	    AT_EACCESS | AT_EMPTY_PATH) != 0)
		return errno;
	if (statx(w->w_fd, "", AT_EMPTY_PATH, 0, &stx) == 0 &&
	    (stx.stx_attributes_mask & STATX_ATTR_APPEND) &&
	    (stx.stx_attributes & STATX_ATTR_APPEND))
		return EPERM;
	/* the signal as the supervisor: the caller's credentials may not
	 * send it */
	policy_linux_as_self(c->c_sup);
	(void)syscall(SYS_tgkill, c->c_tgid > 0 ? c->c_tgid :
	    policy_linux_tgid(c->c_tid), c->c_tid, SIGXFSZ);
	return EFBIG;
}

/* Does the call act on its first argument, a descriptor, alone? */
static bool
policy_linux_fd_form(const char *n)
{
	return strcmp(n, "fchmod") == 0 || strcmp(n, "fchown") == 0 ||
	    strcmp(n, "fsetxattr") == 0 || strcmp(n, "fremovexattr") == 0;
}

/*
 * Where the (first) path of each call is: dirfd argument (-1: AT_FDCWD),
 * path argument, walk flags, AT_EMPTY_PATH allowed.
 */
static int
policy_linux_first(struct policy_linux_call *c, unsigned op, int *dirfd,
    uint64_t *path, int *wflags, int *emptyok)
{
	const char *n = c->c_name;
	int atflags = 0;

	*dirfd = AT_FDCWD;
	*emptyok = 0;
	*wflags = PLW_MUSTEXIST;
	/* the *at variants take (dirfd, path, ...) */
	if (strcmp(n, "faccessat") == 0 || strcmp(n, "faccessat2") == 0 ||
	    strcmp(n, "newfstatat") == 0 || strcmp(n, "statx") == 0 ||
	    strcmp(n, "readlinkat") == 0 || strcmp(n, "unlinkat") == 0 ||
	    strcmp(n, "renameat") == 0 || strcmp(n, "renameat2") == 0 ||
	    strcmp(n, "mkdirat") == 0 || strcmp(n, "mknodat") == 0 ||
	    strcmp(n, "linkat") == 0 || strncmp(n, "fchmodat", 8) == 0 ||
	    strcmp(n, "fchownat") == 0 || strcmp(n, "utimensat") == 0 ||
	    strcmp(n, "futimesat") == 0) {
		*dirfd = DIRFD(0);
		*path = ARG(1);
	} else
		*path = ARG(0);

	if (strcmp(n, "faccessat2") == 0 || strcmp(n, "fchmodat2") == 0)
		atflags = (int)ARG(3);
	else if (strcmp(n, "newfstatat") == 0 || strcmp(n, "utimensat") == 0)
		atflags = (int)ARG(3);
	else if (strcmp(n, "statx") == 0)
		atflags = (int)ARG(2);
	else if (strcmp(n, "fchownat") == 0 || strcmp(n, "linkat") == 0)
		atflags = (int)ARG(4);
	if (strcmp(n, "lstat") == 0 || strcmp(n, "lchown") == 0 ||
	    strcmp(n, "lsetxattr") == 0 || strcmp(n, "lgetxattr") == 0 ||
	    strcmp(n, "llistxattr") == 0 || strcmp(n, "lremovexattr") == 0)
		atflags |= AT_SYMLINK_NOFOLLOW;

	switch (op) {
	case POLICY_OP_ACCESS: case POLICY_OP_STAT: case POLICY_OP_CHOWN:
	case POLICY_OP_UTIMES: case POLICY_OP_CHMOD:	/* fchmodat2 flags */
		if (atflags & AT_SYMLINK_NOFOLLOW)
			*wflags |= PLW_NOFOLLOW;
		*emptyok = (atflags & AT_EMPTY_PATH) != 0;
		if (op == POLICY_OP_UTIMES && *path == 0 &&
		    strcmp(n, "utimensat") == 0)
			*emptyok = 2;	/* futimens(): NULL path is the fd */
		break;
	case POLICY_OP_LINK:
		if (!(atflags & AT_SYMLINK_FOLLOW))
			*wflags |= PLW_NOFOLLOW;
		*emptyok = (atflags & AT_EMPTY_PATH) != 0;
		break;
	case POLICY_OP_READLINK:
		*wflags |= PLW_NOFOLLOW;
		*emptyok = strcmp(n, "readlinkat") == 0;
		break;
	case POLICY_OP_UNLINK: case POLICY_OP_RENAME: case POLICY_OP_MKDIR:
	case POLICY_OP_RMDIR: case POLICY_OP_SYMLINK:
		*wflags = PLW_PARENT | PLW_NOFOLLOW;
		break;
	default:
		break;
	}
	/* fchmod, fchown, fsetxattr, fremovexattr: the descriptor's object */
	if (policy_linux_fd_form(n)) {
		*dirfd = DIRFD(0);
		*path = 0;
		*emptyok = 2;
	}
	if (op == POLICY_OP_SYMLINK) {
		/* symlink(target, linkpath), symlinkat(target, dirfd, linkpath) */
		if (strcmp(n, "symlinkat") == 0) {
			*dirfd = DIRFD(1);
			*path = ARG(2);
		} else
			*path = ARG(1);
	}
	return 0;
}

/* The second path of rename and link: (dirfd, path). */
static void
policy_linux_second(struct policy_linux_call *c, int *dirfd, uint64_t *path)
{
	if (strcmp(c->c_name, "rename") == 0 || strcmp(c->c_name, "link") == 0) {
		*dirfd = AT_FDCWD;
		*path = ARG(1);
	} else {
		*dirfd = DIRFD(2);
		*path = ARG(3);
	}
}

/* Walk with AT_EMPTY_PATH / NULL-path (futimens) handling. */
static int
policy_linux_walk_arg(struct policy_linux_call *c, int dirfd, uint64_t path,
    int wflags, int emptyok, struct policy_linux_walk *w)
{
	if (emptyok == 2) {
		/* utimensat(fd, NULL, ...), fchmod...: the fd itself */
		int r;

		policy_linux_walk_init(w);	/* no path: walk_done frees */
		w->w_call = c;
		if (dirfd == AT_FDCWD)
			return -EFAULT;
		if ((w->w_fd = policy_linux_getfd(c->c_tid, dirfd)) < 0) {
			w->w_fd = -1;
			return -EBADF;
		}
		/* any other failure to take it: not a descriptor */
		r = policy_linux_walk_fd(c, w);
		return r == 0 || r == -EACCES || r == -ESRCH ? r : -EBADF;
	}
	return policy_linux_path_arg(c, dirfd, path, wflags, emptyok, w);
}

void
policy_linux_pathop(struct policy_linux_call *c, unsigned op)
{
	const struct policy_sup *s = c->c_sup;
	struct policy_linux_walk w, w2;
	char *path1 = NULL, *path2 = NULL, text[PATH_MAX];
	char proc[64];
	struct timespec ts[2], *tsp = NULL;
	struct policy_linux_xattr xa;
	const char *n = c->c_name;
	bool xattr = policy_linux_is_xattr(n);
	uint64_t paddr, p2addr;
	int dirfd, d2, wflags, emptyok, err = 0, r;
	int64_t ret = 0;
	rlim_t fsize = RLIM_INFINITY;

	memset(&w2, 0, sizeof(w2));	/* no path: walk_done frees */
	policy_linux_walk_init(&w2);
	memset(&xa, 0, sizeof(xa));
	/* flags the kernel refuses before it looks a path up */
	if ((r = policy_linux_atflags_ok(n, c->c_args)) != 0) {
		policy_linux_reply(s, c->c_id, 0, r);
		return;
	}
	/* access(2) looks up and checks with the caller's real ids */
	if (op == POLICY_OP_ACCESS && !(strcmp(n, "faccessat2") == 0 &&
	    (ARG(3) & AT_EACCESS)) && (r = policy_linux_access_cred(c)) != 0) {
		policy_linux_reply(s, c->c_id, 0, r == -E2BIG ? EPERM : -r);
		return;
	}
	/* a negative length, before the path is looked up */
	if (op == POLICY_OP_TRUNCATE && (off_t)ARG(1) < 0) {
		policy_linux_reply(s, c->c_id, 0, EINVAL);
		return;
	}
	if (op == POLICY_OP_UNLINK && strcmp(n, "unlinkat") == 0 &&
	    (ARG(2) & AT_REMOVEDIR))
		op = POLICY_OP_RMDIR;
	policy_linux_first(c, op, &dirfd, &paddr, &wflags, &emptyok);
	if (op == POLICY_OP_SYMLINK) {
		size_t tl;

		if ((r = policy_linux_read_str(c->c_tid, ARG(0), text,
		    sizeof(text), &tl)) != 0) {
			policy_linux_reply(s, c->c_id, 0, -r);
			return;
		}
		if (tl == 0) {
			policy_linux_reply(s, c->c_id, 0, ENOENT);
			return;
		}
	}
	if (op == POLICY_OP_UTIMES &&
	    (r = policy_linux_times(c, ts, &tsp)) != 0) {
		policy_linux_reply(s, c->c_id, 0, -r);
		return;
	}
	/* a descriptor form given no descriptor (AT_FDCWD is none here) */
	if (policy_linux_fd_form(n) && DIRFD(0) < 0) {
		policy_linux_reply(s, c->c_id, 0, EBADF);
		return;
	}
	/* the attribute's name and value, before the path (as the kernel) */
	if (xattr && (r = policy_linux_xattr_copy(c, &xa)) != 0) {
		policy_linux_xattr_free(&xa);
		policy_linux_reply(s, c->c_id, 0, -r);
		return;
	}
	if ((r = policy_linux_walk_arg(c, dirfd, paddr, wflags, emptyok,
	    &w)) != 0) {
		policy_linux_xattr_free(&xa);
		policy_linux_reply(s, c->c_id, 0, -r);
		return;
	}
	/* a descriptor opened O_PATH changes nothing (the kernel: EBADF) */
	if (policy_linux_fd_form(n) && (fcntl(w.w_fd, F_GETFL) & O_PATH)) {
		err = EBADF;
		goto out;
	}
	if (op == POLICY_OP_RENAME || op == POLICY_OP_LINK) {
		policy_linux_second(c, &d2, &p2addr);
		if ((r = policy_linux_path_arg(c, d2, p2addr,
		    PLW_PARENT | PLW_NOFOLLOW, 0, &w2)) != 0) {
			err = -r;
			goto out;
		}
	}

	policy_linux_req(c, op);
	if ((r = (wflags & PLW_PARENT) ? policy_linux_reqpath(c, w.w_dirpath,
	    w.w_last, &path1) : policy_linux_reqpath(c, w.w_path, NULL,
	    &path1)) != 0) {
		err = -r;
		goto out;
	}
	policy_request_set_str(&c->c_req, POLICY_F_FILENAME, path1);
	if (w2.w_dirfd >= 0) {
		if ((r = policy_linux_reqpath(c, w2.w_dirpath, w2.w_last,
		    &path2)) != 0) {
			err = -r;
			goto out;
		}
		policy_request_set_str(&c->c_req, POLICY_F_FILENAME2, path2);
	}
	if (op == POLICY_OP_SYMLINK)
		policy_request_set_str(&c->c_req, POLICY_F_FILENAME2, text);
	if (op == POLICY_OP_CHMOD && !xattr)
		policy_request_set_int(&c->c_req, POLICY_F_MODE,
		    (int64_t)(ARG(strncmp(n, "fchmodat", 8) == 0 ? 2 : 1) & 07777));
	else if (op == POLICY_OP_CHMOD && xa.x_kind == PLX_SET &&
	    policy_linux_xattr_grants(&xa))
		/* an ACL or a file capability: as the widest chmod */
		policy_request_set_int(&c->c_req, POLICY_F_MODE, 07777);
	if (op == POLICY_OP_MKDIR)
		policy_request_set_int(&c->c_req, POLICY_F_MODE, (int64_t)(ARG(
		    strcmp(n, "mkdirat") == 0 || strcmp(n, "mknodat") == 0 ?
		    2 : 1) & 0177777));
	if (op == POLICY_OP_ACCESS)
		policy_request_set_int(&c->c_req, POLICY_F_MODE, (int64_t)(ARG(
		    strcmp(n, "access") == 0 ? 1 : 2) & 7));
	if (op == POLICY_OP_CHOWN) {
		int i = strcmp(n, "fchownat") == 0 ? 2 : 1;
		policy_request_set_int(&c->c_req, POLICY_F_UID, (int32_t)ARG(i));
		policy_request_set_int(&c->c_req, POLICY_F_GID,
		    (int32_t)ARG(i + 1));
	}
	c->c_exchange = op == POLICY_OP_RENAME &&
	    strcmp(n, "renameat2") == 0 && (ARG(4) & RENAME_EXCHANGE);
	if ((err = policy_linux_decide(c)) != 0)
		goto out;
	/*
	 * Results go back into the caller's memory.  Its thread id cannot
	 * have been reused since the check after copying (a traced task
	 * stays a zombie until the tracer reaps it, which it does not while
	 * a serving thread handles a call: notify.c) unless the decision
	 * waited for an answer on its own thread.
	 */
	if (c->c_dec.pd_action == POLICY_ACT_ASK &&
	    !policy_linux_recheck(s, c->c_id)) {
		err = ESRCH;
		goto out;
	}
	/* the caller's file size limit, read as ourselves */
	if (op == POLICY_OP_TRUNCATE && (err = policy_linux_fsize(c,
	    &fsize)) != 0)
		goto out;
	/* act as the target, with the target's credentials */
	if ((err = -policy_linux_as_target(c, w.w_selfproc)) != 0)
		goto out;

	if (w.w_fd >= 0)
		policy_linux_procpath(w.w_fd, proc, sizeof(proc));
	switch (op) {
	case POLICY_OP_ACCESS: {
		int mode = (int)ARG(strcmp(n, "access") == 0 ? 1 : 2);
		int fl = strcmp(n, "faccessat2") == 0 ?
		    (int)ARG(3) & AT_SYMLINK_NOFOLLOW : 0;

		/* the ids to check with are in place (real ones unless
		 * AT_EACCESS: policy_linux_access_cred) */
		if (syscall(SYS_faccessat2, w.w_fd, "", mode,
		    fl | AT_EACCESS | AT_EMPTY_PATH) != 0)
			err = errno;
		break;
	}
	case POLICY_OP_STAT:
		if (xattr)
			err = policy_linux_xattr_do(c, &xa, proc, &ret);
		else if ((r = policy_linux_stat_out(c, &w,
		    strcmp(n, "statx") == 0)) != 0)
			err = -r;
		break;
	case POLICY_OP_READLINK: {
		uint64_t buf = ARG(strcmp(n, "readlink") == 0 ? 1 : 2);
		int64_t size = (int)ARG(strcmp(n, "readlink") == 0 ? 2 : 3);
		ssize_t len;

		if (size <= 0) {
			err = EINVAL;
			break;
		}
		if (!S_ISLNK(w.w_st.st_mode)) {
			err = EINVAL;
			break;
		}
		if ((len = readlinkat(w.w_fd, "", text, sizeof(text))) < 0) {
			err = errno;
			break;
		}
		if (len > size)
			len = size;
		if ((r = policy_linux_write_result(c, buf, text,
		    (size_t)len)) != 0)
			err = -r;
		ret = len;
		break;
	}
	case POLICY_OP_CHDIR:
		policy_linux_chdir(c, &w);
		policy_linux_walk_done(&w);
		policy_linux_reqpath_free(c, path1);
		return;
	case POLICY_OP_UNLINK:
		if (unlinkat(w.w_dirfd, w.w_last, 0) != 0)
			err = errno;
		break;
	case POLICY_OP_RMDIR:
		if (unlinkat(w.w_dirfd, w.w_last, AT_REMOVEDIR) != 0)
			err = errno;
		break;
	case POLICY_OP_RENAME:
		if (syscall(SYS_renameat2, w.w_dirfd, w.w_last, w2.w_dirfd,
		    w2.w_last, strcmp(n, "renameat2") == 0 ?
		    (unsigned)ARG(4) : 0u) != 0)
			err = errno;
		break;
	case POLICY_OP_MKDIR: {
		mode_t old = umask((mode_t)policy_linux_call_umask(c));

		if (strcmp(n, "mkdir") == 0 || strcmp(n, "mkdirat") == 0)
			r = mkdirat(w.w_dirfd, w.w_last, (mode_t)ARG(
			    n[5] == 'a' ? 2 : 1) & 07777);
		else
			r = mknodat(w.w_dirfd, w.w_last, (mode_t)ARG(
			    n[5] == 'a' ? 2 : 1), (dev_t)ARG(
			    n[5] == 'a' ? 3 : 2));
		umask(old);
		if (r != 0)
			err = errno;
		break;
	}
	case POLICY_OP_LINK:
		if (linkat(AT_FDCWD, proc, w2.w_dirfd, w2.w_last,
		    AT_SYMLINK_FOLLOW) != 0)
			err = errno;
		break;
	case POLICY_OP_SYMLINK:
		if (symlinkat(text, w.w_dirfd, w.w_last) != 0)
			err = errno;
		break;
	case POLICY_OP_CHMOD:
		if (xattr)
			err = policy_linux_xattr_do(c, &xa, proc, &ret);
		else if (S_ISLNK(w.w_st.st_mode))
			err = EOPNOTSUPP;
		else if (chmod(proc, (mode_t)ARG(
		    strncmp(n, "fchmodat", 8) == 0 ? 2 : 1) & 07777) != 0)
			err = errno;
		break;
	case POLICY_OP_CHOWN: {
		int i = strcmp(n, "fchownat") == 0 ? 2 : 1;

		if (fchownat(w.w_fd, "", (uid_t)ARG(i), (gid_t)ARG(i + 1),
		    AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) != 0)
			err = errno;
		break;
	}
	case POLICY_OP_TRUNCATE:
		if (S_ISDIR(w.w_st.st_mode))
			err = EISDIR;
		else if (!S_ISREG(w.w_st.st_mode))
			err = EINVAL;
		else
			err = policy_linux_truncate(c, &w, proc,
			    (off_t)ARG(1), fsize);
		break;
	case POLICY_OP_UTIMES:
		if (utimensat(w.w_fd, "", tsp, AT_EMPTY_PATH |
		    AT_SYMLINK_NOFOLLOW) != 0)
			err = errno;
		break;
	default:
		err = ENOSYS;
		break;
	}
out:
	policy_linux_xattr_free(&xa);
	policy_linux_walk_done(&w);
	policy_linux_walk_done(&w2);
	policy_linux_reqpath_free(c, path1);
	policy_linux_reqpath_free(c, path2);
	policy_linux_reply(s, c->c_id, ret, err);
}
