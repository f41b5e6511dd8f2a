/* policy_linux_open.c: open, openat, openat2 and creat: the supervisor opens the object
 * itself, decides on what it opened, and installs that very fd in the target (ADDFD). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/openat2.h>

#include "policy_linux.h"

/* Flags open(2) accepts (anything else is EINVAL from openat2). */
#define OPEN_FLAGS	(O_ACCMODE | O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | \
			 O_APPEND | O_NONBLOCK | O_DSYNC | O_ASYNC | O_DIRECT | \
			 O_LARGEFILE | O_DIRECTORY | O_NOFOLLOW | O_NOATIME | \
			 O_CLOEXEC | O_PATH | O_SYNC | O_TMPFILE)
#define RESOLVE_ALL	(RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | \
			 RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH | \
			 RESOLVE_IN_ROOT | RESOLVE_CACHED)
/* Flags O_PATH keeps (open(2)); the others are ignored with it. */
#define PATH_FLAGS	(O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
/* The kernel's __O_TMPFILE (glibc's includes O_DIRECTORY). */
#define TMPFILE_BIT	(O_TMPFILE & ~O_DIRECTORY)

/* A blocking open (a FIFO waiting for its other end) on its own thread. */
struct policy_linux_fifo {
	const struct policy_sup *f_sup;
	uint64_t	f_id;
	int		f_fd;		/* O_PATH */
	int		f_flags;
	struct policy_linux_cred f_cred;	/* the target's */
};

/* Open the object of our O_PATH fd with flags, through /proc/self/fd. */
static int
policy_linux_reopen(int opath, int flags)
{
	return policy_linux_fdopen(opath, (flags & ~(O_CREAT | O_EXCL |
	    O_NOFOLLOW)) | O_NOCTTY | O_CLOEXEC);
}

static void
policy_linux_fifo_open(void *arg)
{
	struct policy_linux_fifo *f = arg;
	int fd = -1, err = 0;

	if (policy_linux_cred_apply(f->f_sup, &f->f_cred, 0) != 0)
		err = EPERM;
	else if ((fd = policy_linux_reopen(f->f_fd, f->f_flags)) < 0)
		err = errno;
	policy_linux_as_self(f->f_sup);
	if (err != 0) {
		policy_linux_reply(f->f_sup, f->f_id, 0, err);
		close(f->f_fd);
	} else		/* closes fd and f_fd */
		(void)policy_linux_addfd(f->f_sup, f->f_id, fd,
		    (f->f_flags & O_CLOEXEC) != 0, f->f_fd, false);
	free(f);
}

/* Read openat2's struct open_how once; sizes follow openat2(2). */
static int
policy_linux_open_how(struct policy_linux_call *c, struct open_how *how)
{
	uint64_t size = c->c_args[3];
	unsigned char extra[256];
	uint64_t off;
	int r;

	if (size < sizeof(*how))
		return -EINVAL;
	if (size > 4096)
		return -E2BIG;
	if ((r = policy_linux_read(c->c_tid, c->c_args[2], how,
	    sizeof(*how))) != 0)
		return r;
	for (off = sizeof(*how); off < size; off += sizeof(extra)) {
		size_t n = size - off < sizeof(extra) ? size - off : sizeof(extra);
		size_t i;

		if ((r = policy_linux_read(c->c_tid, c->c_args[2] + off, extra,
		    n)) != 0)
			return r;
		for (i = 0; i < n; i++)
			if (extra[i] != 0)
				return -E2BIG;
	}
	if ((how->flags & ~(uint64_t)OPEN_FLAGS) != 0 || how->mode > 07777 ||
	    (how->mode != 0 && !(how->flags & O_CREAT) &&
	    (how->flags & O_TMPFILE) != O_TMPFILE))
		return -EINVAL;
	if ((how->resolve & ~(uint64_t)RESOLVE_ALL) != 0 ||
	    ((how->resolve & RESOLVE_BENEATH) &&
	    (how->resolve & RESOLVE_IN_ROOT)))
		return -EINVAL;
	if ((how->flags & O_PATH) && (how->flags & ~(uint64_t)PATH_FLAGS) != 0)
		return -EINVAL;
	/*
	 * RESOLVE_CACHED asks to fail with EAGAIN unless the lookup can be
	 * done from the kernel's caches without blocking; ours may block (and
	 * it may never create or truncate), so it is always EAGAIN, which
	 * callers answer by retrying without it.
	 */
	if (how->resolve & RESOLVE_CACHED)
		return -EAGAIN;
	return 0;
}

/*
 * The flag combinations the kernel refuses before any lookup
 * (build_open_flags()): O_CREAT with O_DIRECTORY (since Linux 6.4), and
 * O_TMPFILE without O_DIRECTORY or without write access.
 */
static int
policy_linux_open_einval(int flags)
{
	if ((flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return EINVAL;
	if ((flags & TMPFILE_BIT) && (!(flags & O_DIRECTORY) ||
	    (flags & O_ACCMODE) == O_RDONLY))
		return EINVAL;
	return 0;
}

/*
 * Does the path end in "name/" (a last component that is neither "." nor
 * ".." followed by slashes)?  With O_CREAT the kernel answers EISDIR for
 * it as soon as the directory holding it is found, whatever the name is
 * (open_last_lookups()), before the O_EXCL test.
 */
static bool
policy_linux_slash_name(const char *raw)
{
	size_t n = strlen(raw), e;

	if (n == 0 || raw[n - 1] != '/')
		return false;
	while (n > 0 && raw[n - 1] == '/')
		n--;
	if (n == 0)
		return false;			/* "/": the root */
	e = n;
	while (n > 0 && raw[n - 1] != '/')
		n--;
	return !((e - n == 1 && raw[n] == '.') ||
	    (e - n == 2 && raw[n] == '.' && raw[n + 1] == '.'));
}

/*
 * "name/" with O_CREAT where name is no directory: the walk fails with
 * ENOTDIR at name, the kernel with EISDIR (it never looks name up), unless
 * the directory holding name is what fails.  Which: does the path without
 * its trailing slashes resolve?  Walked from raw, the copy already read.
 */
static int
policy_linux_slash_error(struct policy_linux_call *c, int dirfd, char *raw,
    int wflags)
{
	const struct policy_sup *s = c->c_sup;
	struct policy_linux_walk w;
	size_t n = strlen(raw);
	int start, r;

	while (n > 1 && raw[n - 1] == '/')
		raw[--n] = '\0';
	wflags = (wflags & PLW_RESOLVE) | PLW_NOFOLLOW | PLW_MUSTEXIST;
	if (raw[0] == '/' && !(wflags & PLW_SCOPED))
		start = s->s_rootfd;		/* ours, not closed */
	else if ((start = policy_linux_startfd(s, c->c_tid, dirfd,
	    (wflags & PLW_SCOPED) ? "" : raw)) < 0)
		return ENOTDIR;
	r = policy_linux_walk(c, start, raw, wflags, &w);
	if (start != s->s_rootfd)
		close(start);
	if (r != 0)
		return ENOTDIR;
	policy_linux_walk_done(&w);
	return EISDIR;
}

/* The walk's flags for openat2's RESOLVE_* bits. */
static int
policy_linux_resolve_flags(uint64_t resolve)
{
	int f = 0;

	if (resolve & RESOLVE_BENEATH)
		f |= PLW_BENEATH;
	if (resolve & RESOLVE_IN_ROOT)
		f |= PLW_IN_ROOT;
	if (resolve & RESOLVE_NO_SYMLINKS)
		f |= PLW_NO_SYMLINKS;
	if (resolve & RESOLVE_NO_MAGICLINKS)
		f |= PLW_NO_MAGICLINKS;
	if (resolve & RESOLVE_NO_XDEV)
		f |= PLW_NO_XDEV;
	return f;
}

/*
 * O_PATH: the kernel will not install an O_PATH file with ADDFD (fget()
 * refuses them: EBADF, still so in Linux 6.18), and nothing else can put
 * a file into the target without its cooperation.  So O_PATH is emulated
 * with a read-only descriptor of the same object, which the policy must
 * then also permit (it can read): decided a second time as a plain
 * O_RDONLY open.  Objects that cannot be opened that way (symlinks,
 * sockets, devices, whose open may act on the device; files the target
 * may not read) fail with the error such an open gives.  So the emulated
 * descriptor can be read and fchmod()ed, and O_PATH|O_NOFOLLOW on a
 * symlink is ELOOP.  Where the policy's answer to an O_PATH open cannot
 * depend on its path, open and openat never get here: the filter lets
 * them through by their flags, and the kernel opens a real O_PATH
 * descriptor (policy_linux_filter.c, policy_linux_opath_pol).
 */
static int
policy_linux_open_path(struct policy_linux_call *c,
    const struct policy_linux_walk *w, int flags, int *fdp)
{
	mode_t t = w->w_st.st_mode & S_IFMT;
	int err;

	*fdp = -1;
	if ((flags & O_DIRECTORY) && t != S_IFDIR)
		return ENOTDIR;
	if (t == S_IFLNK)
		return ELOOP;
	if (t == S_IFSOCK || t == S_IFCHR || t == S_IFBLK)
		return ENXIO;
	policy_request_set_int(&c->c_req, POLICY_F_FLAGS,
	    policy_linux_oflags(O_RDONLY | (flags & (O_CLOEXEC | O_DIRECTORY))));
	if ((err = policy_linux_decide(c)) != 0)
		return err;
	if ((err = -policy_linux_as_target(c, w->w_selfproc)) != 0)
		return err;
	*fdp = policy_linux_reopen(w->w_fd, O_RDONLY |
	    (t == S_IFREG || t == S_IFDIR ? 0 : O_NONBLOCK));
	return *fdp < 0 ? errno : 0;
}

void
policy_linux_open(struct policy_linux_call *c)
{
	const struct policy_sup *s = c->c_sup;
	struct policy_linux_walk w;
	struct open_how how;
	uint64_t paddr;
	int dirfd = AT_FDCWD, flags, wflags = 0, err, fd = -1, tmpfile, r;
	bool script;
	char raw[PATH_MAX];
	mode_t mode;
	const char *n = c->c_name;

	if (n[4] == '\0') {				/* open */
		paddr = c->c_args[0];
		flags = (int)c->c_args[1];
		mode = (mode_t)c->c_args[2];
	} else if (n[0] == 'c') {			/* creat */
		paddr = c->c_args[0];
		flags = O_CREAT | O_WRONLY | O_TRUNC;
		mode = (mode_t)c->c_args[1];
	} else if (n[6] == '\0') {			/* openat */
		dirfd = (int)c->c_args[0];
		paddr = c->c_args[1];
		flags = (int)c->c_args[2];
		mode = (mode_t)c->c_args[3];
	} else {					/* openat2 */
		dirfd = (int)c->c_args[0];
		paddr = c->c_args[1];
		if ((r = policy_linux_open_how(c, &how)) != 0) {
			policy_linux_reply(s, c->c_id, 0, -r);
			return;
		}
		flags = (int)how.flags;
		mode = (mode_t)how.mode;
		wflags |= policy_linux_resolve_flags(how.resolve);
	}
	mode &= 07777;
	if (flags & O_PATH)
		flags &= PATH_FLAGS;	/* open(2): the rest are ignored */
	if ((err = policy_linux_open_einval(flags)) != 0) {
		policy_linux_reply(s, c->c_id, 0, err);
		return;
	}
	tmpfile = (flags & O_TMPFILE) == O_TMPFILE;
	if ((flags & O_NOFOLLOW) || ((flags & O_CREAT) && (flags & O_EXCL)))
		wflags |= PLW_NOFOLLOW;
	if (!(flags & O_CREAT) || tmpfile)
		wflags |= PLW_MUSTEXIST;

	script = policy_linux_script_any();
	if ((r = policy_linux_path_arg_raw(c, dirfd, paddr, wflags, 0, &w,
	    raw, sizeof(raw))) != 0) {
		if (r == -ENOTDIR && (flags & O_CREAT) &&
		    policy_linux_slash_name(raw))
			r = -policy_linux_slash_error(c, dirfd, raw, wflags);
		policy_linux_reply(s, c->c_id, 0, -r);
		return;
	}
	/* a "#!" interpreter opening its script: the one decided on? */
	if (script && w.w_fd >= 0 && (dirfd == AT_FDCWD || raw[0] == '/') &&
	    (err = policy_linux_script_open(c, raw, &w.w_st)) != 0)
		goto out;
	policy_linux_req(c, POLICY_OP_OPEN);
	policy_request_set_str(&c->c_req, POLICY_F_FILENAME, w.w_path);
	policy_request_set_int(&c->c_req, POLICY_F_FLAGS,
	    policy_linux_oflags(flags));
	if ((flags & O_CREAT) || tmpfile)
		policy_request_set_int(&c->c_req, POLICY_F_MODE, mode);
	if ((err = policy_linux_decide(c)) != 0)
		goto out;
	/* act as the target (the decision may have asked someone) */
	if ((err = -policy_linux_as_target(c, w.w_selfproc)) != 0)
		goto out;

	if (w.w_fd < 0) {			/* create */
		mode_t old;

		if (w.w_slash) {
			err = EISDIR;
			goto out;
		}
		old = umask((mode_t)policy_linux_call_umask(c));
		fd = openat(w.w_dirfd, w.w_last, flags | O_NOFOLLOW | O_NOCTTY |
		    O_CLOEXEC, mode);
		umask(old);
	} else if (flags & O_PATH) {
		err = policy_linux_open_path(c, &w, flags, &fd);
		goto out;
	} else if (tmpfile) {
		mode_t old;

		if (!S_ISDIR(w.w_st.st_mode)) {
			err = ENOTDIR;
			goto out;
		}
		old = umask((mode_t)policy_linux_call_umask(c));
		fd = openat(w.w_fd, ".", flags | O_CLOEXEC, mode);
		umask(old);
	} else if ((flags & O_CREAT) && policy_linux_slash_name(raw))
		err = EISDIR;
	/* the kernel's order (do_open(), then may_open()); the flag tests
	 * must be ours, since the reopen below drops O_CREAT and O_EXCL */
	else if ((flags & O_CREAT) && (flags & O_EXCL))
		err = EEXIST;
	else if ((flags & O_CREAT) && S_ISDIR(w.w_st.st_mode))
		err = EISDIR;
	else if ((flags & O_DIRECTORY) && !S_ISDIR(w.w_st.st_mode))
		err = ENOTDIR;
	else if (S_ISLNK(w.w_st.st_mode))
		err = ELOOP;
	else if (S_ISFIFO(w.w_st.st_mode) && !(flags & O_NONBLOCK)) {
		struct policy_linux_fifo *f = malloc(sizeof(*f));

		if (f == NULL) {
			err = ENOMEM;
			goto out;
		}
		f->f_sup = s;
		f->f_id = c->c_id;
		f->f_fd = w.w_fd;
		f->f_flags = flags;
		memcpy(&f->f_cred, &c->c_cred, sizeof(f->f_cred));
		if (policy_linux_defer(policy_linux_fifo_open, f) != 0) {
			free(f);
			err = EAGAIN;
			goto out;
		}
		w.w_fd = -1;
		policy_linux_walk_done(&w);
		return;
	} else
		fd = policy_linux_reopen(w.w_fd, flags);
	if (err == 0 && fd < 0)
		err = errno;
out:
	if (err != 0) {
		policy_linux_walk_done(&w);
		if (fd >= 0)
			close(fd);
		policy_linux_reply(s, c->c_id, 0, err);
		return;
	}
	(void)policy_linux_addfd(s, c->c_id, fd, (flags & O_CLOEXEC) != 0,
	    w.w_fd, (flags & O_ACCMODE) != O_RDONLY);
	w.w_fd = -1;
	policy_linux_walk_done(&w);
}
