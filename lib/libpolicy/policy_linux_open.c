/* policy_linux_open.c: open, openat, openat2 and creat: the supervisor opens the object
 * itself, decides on what it opened, and installs that very fd in the target (ADDFD). */
#include <errno.h>
#include <fcntl.h>
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

/* A blocking open (a FIFO waiting for its other end) on its own thread. */
struct policy_linux_fifo {
	const struct policy_sup *f_sup;
	uint64_t	f_id;
	int		f_fd;		/* O_PATH */
	int		f_flags;
};

static int
policy_linux_reopen(int opath, int flags)
{
	char link[64];

	snprintf(link, sizeof(link), "/proc/self/fd/%d", opath);
	return open(link, (flags & ~(O_CREAT | O_EXCL | O_NOFOLLOW)) |
	    O_NOCTTY | O_CLOEXEC);
}

static void
policy_linux_fifo_open(void *arg)
{
	struct policy_linux_fifo *f = arg;
	int fd = policy_linux_reopen(f->f_fd, f->f_flags);

	if (fd < 0)
		policy_linux_reply(f->f_sup, f->f_id, 0, errno);
	else {
		(void)policy_linux_addfd(f->f_sup, f->f_id, fd,
		    (f->f_flags & O_CLOEXEC) != 0);
		close(fd);
	}
	close(f->f_fd);
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
	/* RESOLVE_* restrictions are not implemented by our path walk: the
	 * caller is told openat2 is unavailable and falls back to openat. */
	if (how->resolve != 0)
		return -ENOSYS;
	return 0;
}

void
policy_linux_open(struct policy_linux_call *c)
{
	const struct policy_sup *s = c->c_sup;
	struct policy_linux_walk w;
	struct open_how how;
	uint64_t paddr;
	int dirfd = AT_FDCWD, flags, wflags = 0, err, fd = -1, tmpfile, r;
	mode_t mode;

	if (strcmp(c->c_name, "open") == 0) {
		paddr = c->c_args[0];
		flags = (int)c->c_args[1];
		mode = (mode_t)c->c_args[2];
	} else if (strcmp(c->c_name, "creat") == 0) {
		paddr = c->c_args[0];
		flags = O_CREAT | O_WRONLY | O_TRUNC;
		mode = (mode_t)c->c_args[1];
	} else if (strcmp(c->c_name, "openat") == 0) {
		dirfd = (int)c->c_args[0];
		paddr = c->c_args[1];
		flags = (int)c->c_args[2];
		mode = (mode_t)c->c_args[3];
	} else {
		dirfd = (int)c->c_args[0];
		paddr = c->c_args[1];
		if ((r = policy_linux_open_how(c, &how)) != 0) {
			policy_linux_reply(s, c->c_id, 0, -r);
			return;
		}
		flags = (int)how.flags;
		mode = (mode_t)how.mode;
	}
	mode &= 07777;
	tmpfile = (flags & O_TMPFILE) == O_TMPFILE;
	if ((flags & O_NOFOLLOW) || ((flags & O_CREAT) && (flags & O_EXCL)))
		wflags |= PLW_NOFOLLOW;
	if (!(flags & O_CREAT) || tmpfile)
		wflags |= PLW_MUSTEXIST;

	if ((r = policy_linux_path_arg(c, dirfd, paddr, wflags, 0, &w)) != 0) {
		policy_linux_reply(s, c->c_id, 0, -r);
		return;
	}
	policy_linux_req(c, POLICY_OP_OPEN);
	policy_request_set_str(&c->c_req, POLICY_F_FILENAME, w.w_path);
	policy_request_set_int(&c->c_req, POLICY_F_FLAGS,
	    policy_linux_oflags(flags));
	if ((flags & O_CREAT) || tmpfile)
		policy_request_set_int(&c->c_req, POLICY_F_MODE, mode);
	if ((err = policy_linux_decide(c)) != 0)
		goto out;

	err = 0;
	if (w.w_fd < 0) {			/* create */
		mode_t old;

		if (w.w_slash) {
			err = EISDIR;
			goto out;
		}
		old = umask((mode_t)policy_linux_umask(c->c_tid));
		fd = openat(w.w_dirfd, w.w_last, flags | O_NOFOLLOW | O_NOCTTY |
		    O_CLOEXEC, mode);
		umask(old);
	} else if (flags & O_PATH) {
		/* The kernel will not install an O_PATH file with ADDFD
		 * (fget() skips them), so O_PATH is emulated with a read-only
		 * descriptor of the same object; objects that cannot be opened
		 * that way fail as a plain open would. */
		mode_t t = w.w_st.st_mode & S_IFMT;

		if ((flags & O_DIRECTORY) && t != S_IFDIR)
			err = ENOTDIR;
		else if (t == S_IFLNK)
			err = ELOOP;
		else if (t == S_IFSOCK)
			err = ENXIO;
		else
			fd = policy_linux_reopen(w.w_fd, O_RDONLY |
			    (t == S_IFREG || t == S_IFDIR ? 0 : O_NONBLOCK));
	} else if (tmpfile) {
		mode_t old;

		if (!S_ISDIR(w.w_st.st_mode)) {
			err = ENOTDIR;
			goto out;
		}
		old = umask((mode_t)policy_linux_umask(c->c_tid));
		fd = openat(w.w_fd, ".", flags | O_CLOEXEC, mode);
		umask(old);
	} else if (S_ISLNK(w.w_st.st_mode))
		err = ELOOP;
	else if ((flags & O_DIRECTORY) && !S_ISDIR(w.w_st.st_mode))
		err = ENOTDIR;
	else if ((flags & O_CREAT) && (flags & O_EXCL))
		err = EEXIST;
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
	policy_linux_walk_done(&w);
	if (err != 0) {
		policy_linux_reply(s, c->c_id, 0, err);
		return;
	}
	(void)policy_linux_addfd(s, c->c_id, fd, (flags & O_CLOEXEC) != 0);
	close(fd);
}
