/* policy_linux_walk.c: resolves a target's path ourselves, one component at a time, to
 * the object (O_PATH fd) the decision is made on and the operation is carried out with. */
/*
 * The kernel cannot resolve a path "as the target" for us, and resolving it
 * as ourselves would be wrong in exactly the places that matter: /proc/self
 * and /proc/thread-self (and the links through them: /dev/fd, /dev/stdin,
 * /proc/net, /proc/mounts) name the opener, and /proc/<our pid> would hand
 * the target our own memory and descriptors.  So every component is opened
 * O_PATH|O_NOFOLLOW from the previous one, ordinary symlinks are read and
 * followed here, "self" is rewritten to the target's pid, procfs magic links
 * under /proc/<pid>/ are followed by the kernel (they name the target's
 * objects, since <pid> is the target's), and /proc/<our pid> is refused.
 * Nothing the walk decides on is re-read: each step starts from the fd the
 * previous step opened.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "policy_linux.h"

#define LINKS_MAX	40
#define REST_MAX	(2 * PATH_MAX)

static bool
policy_linux_is_procroot(int fd, const struct stat *st)
{
	struct statfs sf;

	return st->st_ino == 1 && fstatfs(fd, &sf) == 0 &&
	    sf.f_type == PROC_SUPER_MAGIC;
}

static bool
policy_linux_in_proc(int fd)
{
	struct statfs sf;

	return fstatfs(fd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC;
}

static bool
policy_linux_numeric(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Replace rest with text + rest[from...]. */
static int
policy_linux_splice(char *rest, size_t from, const char *text, size_t tlen)
{
	size_t rlen = strlen(rest + from);

	if (tlen + rlen + 1 > REST_MAX)
		return -ENAMETOOLONG;
	memmove(rest + tlen, rest + from, rlen + 1);
	memcpy(rest, text, tlen);
	return 0;
}

void
policy_linux_walk_done(struct policy_linux_walk *w)
{
	if (w->w_fd >= 0)
		close(w->w_fd);
	if (w->w_dirfd >= 0)
		close(w->w_dirfd);
	w->w_fd = w->w_dirfd = -1;
}

static int
policy_linux_walk_paths(struct policy_linux_walk *w)
{
	int r;

	if ((r = policy_linux_fdpath(w->w_dirfd, w->w_dirpath,
	    sizeof(w->w_dirpath))) != 0)
		return r;
	if (w->w_fd >= 0)
		return policy_linux_fdpath(w->w_fd, w->w_path,
		    sizeof(w->w_path));
	if ((size_t)snprintf(w->w_path, sizeof(w->w_path), "%s%s%s",
	    w->w_dirpath, strcmp(w->w_dirpath, "/") == 0 ? "" : "/",
	    w->w_last) >= sizeof(w->w_path))
		return -ENAMETOOLONG;
	return 0;
}

/* Has another process (by pid) our thread group id? */
static bool
policy_linux_is_us(const struct policy_sup *s, const char *name)
{
	long n = strtol(name, NULL, 10);

	if (n == s->s_pid)
		return true;
	return policy_linux_tgid((pid_t)n) == s->s_pid;
}

int
policy_linux_walk(struct policy_linux_call *c, int startfd, const char *path,
    int flags, struct policy_linux_walk *w)
{
	const struct policy_sup *s = c->c_sup;
	static char rest[REST_MAX];	/* the supervisor's main thread only */
	char name[NAME_MAX + 1], text[PATH_MAX + 64];
	struct stat cst;
	size_t pos = 0;
	int cur, nfd, links = 0, r;

	memset(w, 0, sizeof(*w));
	w->w_fd = w->w_dirfd = -1;
	if (path[0] == '\0')
		return -ENOENT;
	if (strlen(path) >= REST_MAX)
		return -ENAMETOOLONG;
	memcpy(rest, path, strlen(path) + 1);
	if (rest[0] == '/')
		cur = fcntl(s->s_rootfd, F_DUPFD_CLOEXEC, 3);
	else
		cur = fcntl(startfd, F_DUPFD_CLOEXEC, 3);
	if (cur < 0)
		return -errno;
	if (fstat(cur, &cst) != 0) {
		r = -errno;
		goto fail;
	}

	for (;;) {
		size_t len, q;
		bool last, trailing;
		struct stat st;

		while (rest[pos] == '/')
			pos++;
		if (rest[pos] == '\0') {
			/* "/" or a path of only "." and "/": the object is cur */
			if (flags & PLW_PARENT) {
				r = -EBUSY;
				goto fail;
			}
			w->w_fd = cur;
			w->w_st = cst;
			w->w_dirfd = openat(cur, "..", O_PATH | O_CLOEXEC);
			snprintf(w->w_last, sizeof(w->w_last), ".");
			cur = -1;
			if (w->w_dirfd < 0) {
				r = -errno;
				goto fail;
			}
			break;
		}
		len = strcspn(rest + pos, "/");
		if (len > NAME_MAX) {
			r = -ENAMETOOLONG;
			goto fail;
		}
		memcpy(name, rest + pos, len);
		name[len] = '\0';
		pos += len;
		for (q = pos; rest[q] == '/'; q++)
			;
		last = rest[q] == '\0';
		trailing = last && q != pos;
		w->w_slash = trailing;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
			if (last && (flags & PLW_PARENT)) {
				r = -EINVAL;
				goto fail;
			}
			if (name[1] == '\0') {
				if (last) {
					rest[pos] = '\0';
					continue;	/* object is cur */
				}
				continue;
			}
			nfd = openat(cur, "..", O_PATH | O_CLOEXEC);
			if (nfd < 0) {
				r = -errno;
				goto fail;
			}
			close(cur);
			cur = nfd;
			if (fstat(cur, &cst) != 0) {
				r = -errno;
				goto fail;
			}
			if (last)
				rest[pos] = '\0';
			continue;
		}

		/* /proc/<n>: never ourselves */
		if (policy_linux_numeric(name) && policy_linux_is_procroot(cur,
		    &cst) && policy_linux_is_us(s, name)) {
			r = -EACCES;
			goto fail;
		}
		nfd = openat(cur, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (nfd < 0) {
			r = -errno;
			if (r == -ENOENT && last && !(flags & PLW_MUSTEXIST)) {
				w->w_dirfd = cur;
				cur = -1;
				snprintf(w->w_last, sizeof(w->w_last), "%s", name);
				break;
			}
			goto fail;
		}
		if (fstat(nfd, &st) != 0) {
			r = -errno;
			close(nfd);
			goto fail;
		}
		if (S_ISLNK(st.st_mode) &&
		    (!last || trailing || !(flags & PLW_NOFOLLOW))) {
			ssize_t n;

			if (++links > LINKS_MAX) {
				close(nfd);
				r = -ELOOP;
				goto fail;
			}
			if (policy_linux_is_procroot(cur, &cst) &&
			    (strcmp(name, "self") == 0 ||
			    strcmp(name, "thread-self") == 0)) {
				if (c->c_tgid == 0 &&
				    (c->c_tgid = policy_linux_tgid(c->c_tid)) <= 0) {
					close(nfd);
					r = -ESRCH;
					goto fail;
				}
				if (name[0] == 's')
					n = snprintf(text, sizeof(text), "%d",
					    (int)c->c_tgid);
				else
					n = snprintf(text, sizeof(text),
					    "%d/task/%d", (int)c->c_tgid,
					    (int)c->c_tid);
			} else if (!policy_linux_is_procroot(cur, &cst) &&
			    policy_linux_in_proc(nfd)) {
				/* magic link of a target process: the kernel
				 * follows it to the target's own object */
				int mfd = openat(cur, name, O_PATH | O_CLOEXEC);

				close(nfd);
				if (mfd < 0) {
					r = -errno;
					goto fail;
				}
				nfd = mfd;
				if (fstat(nfd, &st) != 0) {
					r = -errno;
					close(nfd);
					goto fail;
				}
				goto resolved;
			} else {
				n = readlinkat(nfd, "", text, sizeof(text) - 1);
				if (n < 0) {
					r = -errno;
					close(nfd);
					goto fail;
				}
				if ((size_t)n >= sizeof(text) - 1) {
					close(nfd);
					r = -ENAMETOOLONG;
					goto fail;
				}
				text[n] = '\0';
			}
			close(nfd);
			if ((r = policy_linux_splice(rest, pos, text,
			    (size_t)n)) != 0)
				goto fail;
			pos = 0;
			if (rest[0] == '/') {
				close(cur);
				cur = fcntl(s->s_rootfd, F_DUPFD_CLOEXEC, 3);
				if (cur < 0 || fstat(cur, &cst) != 0) {
					r = -errno;
					goto fail;
				}
			}
			continue;
		}
resolved:
		if (!last) {
			if (!S_ISDIR(st.st_mode)) {
				close(nfd);
				r = -ENOTDIR;
				goto fail;
			}
			close(cur);
			cur = nfd;
			cst = st;
			continue;
		}
		if (trailing && !S_ISDIR(st.st_mode)) {
			close(nfd);
			r = -ENOTDIR;
			goto fail;
		}
		w->w_fd = nfd;
		w->w_st = st;
		w->w_dirfd = cur;
		cur = -1;
		snprintf(w->w_last, sizeof(w->w_last), "%s", name);
		break;
	}
	if ((r = policy_linux_walk_paths(w)) != 0)
		goto fail;
	return 0;
fail:
	if (cur >= 0)
		close(cur);
	policy_linux_walk_done(w);
	return r;
}

/*
 * Copy the path argument at addr, then walk it from the target's dirfd (or
 * cwd).  With emptyok (AT_EMPTY_PATH) an empty path names dirfd itself.
 */
int
policy_linux_path_arg(struct policy_linux_call *c, int dirfd, uint64_t addr,
    int flags, int emptyok, struct policy_linux_walk *w)
{
	const struct policy_sup *s = c->c_sup;
	char path[PATH_MAX];
	int start, r;

	memset(w, 0, sizeof(*w));
	w->w_fd = w->w_dirfd = -1;
	if ((r = policy_linux_read_str(c->c_tid, addr, path, sizeof(path),
	    NULL)) != 0)
		return r;
	if (path[0] == '\0' && emptyok) {
		char link[64];

		if (dirfd == AT_FDCWD)
			snprintf(link, sizeof(link), "/proc/%d/cwd", (int)c->c_tid);
		else
			snprintf(link, sizeof(link), "/proc/%d/fd/%d",
			    (int)c->c_tid, dirfd);
		w->w_fd = open(link, O_PATH | O_CLOEXEC);
		if (w->w_fd < 0)
			return errno == ENOENT ? -EBADF : -errno;
		if (!policy_linux_valid(s, c->c_id)) {
			policy_linux_walk_done(w);
			return -ESRCH;
		}
		if (fstat(w->w_fd, &w->w_st) != 0 ||
		    (r = policy_linux_fdpath(w->w_fd, w->w_path,
		    sizeof(w->w_path))) != 0) {
			policy_linux_walk_done(w);
			return r ? r : -errno;
		}
		w->w_dirfd = openat(w->w_fd, "..", O_PATH | O_CLOEXEC);
		snprintf(w->w_last, sizeof(w->w_last), ".");
		return 0;
	}
	if (path[0] == '\0')
		return -ENOENT;
	if ((start = policy_linux_startfd(s, c->c_tid, dirfd, path)) < 0)
		return start;
	if (!policy_linux_valid(s, c->c_id)) {
		close(start);
		return -ESRCH;
	}
	r = policy_linux_walk(c, start, path, flags, w);
	close(start);
	if (r == 0 && c->c_tgid != 0 && !policy_linux_valid(s, c->c_id)) {
		policy_linux_walk_done(w);
		return -ESRCH;
	}
	return r;
}
