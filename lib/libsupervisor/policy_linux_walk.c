/* policy_linux_walk.c: resolves a target's path ourselves, with the target's credentials,
 * to the object (O_PATH fd) the decision is made on and the operation is carried out with. */
/*
 * Resolving a path "as the target" differs from resolving it as the
 * supervisor in exactly the places that matter: /proc/self and
 * /proc/thread-self (and the links through them: /dev/fd, /dev/stdin,
 * /proc/net, /proc/mounts) name the opener, and /proc/<our pid> would hand
 * the target our own memory and descriptors.  Everywhere else the kernel
 * resolves a path the same for both, given the same root, cwd and
 * credentials (the caller has taken on the target's: policy_linux_cred.c).
 *
 * So a path is first resolved by the kernel in one openat2(O_PATH) with
 * RESOLVE_NO_MAGICLINKS (no procfs magic link is followed).  If the object
 * it reaches is not in a procfs, the resolution cannot have depended on
 * who resolved it: outside procfs only ".." leads out of /proc/<pid>, to
 * the same place for everyone.  With RESOLVE_NO_SYMLINKS as well, the
 * resolved path is the path itself, normalised; else it is read back from
 * the descriptor.  A failure is trusted when the same call with
 * RESOLVE_NO_XDEV fails the same way from a start that is not in a procfs
 * (the resolution never left that mount); anything else, and every object
 * in a procfs, is resolved by the walk below.
 *
 * The walk opens every component O_PATH|O_NOFOLLOW from the previous one,
 * reads and follows ordinary symlinks itself, rewrites "self" and
 * "thread-self" at a procfs root to the target's ids, lets the kernel
 * follow the magic links under /proc/<target pid>/ (they name the target's
 * objects), and refuses /proc/<our pid>.  It also implements openat2's
 * RESOLVE_* restrictions.  Nothing the walk decides on is re-read: each
 * step starts from the fd the previous step opened.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/vfs.h>
#include <linux/magic.h>
#include <linux/openat2.h>

#include "policy_linux.h"

#define LINKS_MAX	40
#define REST_MAX	(2 * PATH_MAX)
#define WALK_SLOW	1		/* fast path: take the walk instead */

#ifndef STATX_MNT_ID_UNIQUE
#define STATX_MNT_ID_UNIQUE	0x00004000U
#endif

/* ------------------------------------------------------------------ */
/* Mounts: is an fd in a procfs?                                       */

/* Unique mount ids are never reused, so what we learnt about one stays
 * true; a small cache per thread (handlers run on several). */
#define MNT_CACHE	32
static __thread struct { uint64_t id; int proc; } mnt_cache[MNT_CACHE];
static __thread unsigned mnt_next;

static bool
policy_linux_in_proc(int fd)
{
	struct statfs sf;

	return fstatfs(fd, &sf) == 0 && sf.f_type == PROC_SUPER_MAGIC;
}

/* Is the object of fd (statx'd into stx) in a procfs? */
static bool
policy_linux_stx_proc(int fd, const struct statx *stx)
{
	unsigned i;
	int proc;

	if (!(stx->stx_mask & STATX_MNT_ID_UNIQUE))
		return policy_linux_in_proc(fd);
	for (i = 0; i < MNT_CACHE; i++)
		if (mnt_cache[i].id == stx->stx_mnt_id)
			return mnt_cache[i].proc;
	proc = policy_linux_in_proc(fd);
	mnt_cache[mnt_next].id = stx->stx_mnt_id;
	mnt_cache[mnt_next].proc = proc;
	mnt_next = (mnt_next + 1) % MNT_CACHE;
	return proc;
}

static int
policy_linux_statx(int fd, struct statx *stx)
{
	if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
	    STATX_BASIC_STATS | STATX_MNT_ID_UNIQUE, stx) != 0)
		return -errno;
	return 0;
}

/* struct stat as fstat(2) fills it, from statx. */
static void
policy_linux_stx_stat(const struct statx *x, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = makedev(x->stx_dev_major, x->stx_dev_minor);
	st->st_ino = x->stx_ino;
	st->st_nlink = x->stx_nlink;
	st->st_mode = x->stx_mode;
	st->st_uid = x->stx_uid;
	st->st_gid = x->stx_gid;
	st->st_rdev = makedev(x->stx_rdev_major, x->stx_rdev_minor);
	st->st_size = (off_t)x->stx_size;
	st->st_blksize = (blksize_t)x->stx_blksize;
	st->st_blocks = (blkcnt_t)x->stx_blocks;
	st->st_atim.tv_sec = x->stx_atime.tv_sec;
	st->st_atim.tv_nsec = x->stx_atime.tv_nsec;
	st->st_mtim.tv_sec = x->stx_mtime.tv_sec;
	st->st_mtim.tv_nsec = x->stx_mtime.tv_nsec;
	st->st_ctim.tv_sec = x->stx_ctime.tv_sec;
	st->st_ctim.tv_nsec = x->stx_ctime.tv_nsec;
}

static uint64_t
policy_linux_mntid(int fd)
{
	struct statx stx;

	if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW,
	    STATX_MNT_ID_UNIQUE | STATX_MNT_ID, &stx) != 0)
		return 0;
	return stx.stx_mnt_id;
}

/* ------------------------------------------------------------------ */

static bool
policy_linux_is_procroot(int fd, const struct stat *st)
{
	return st->st_ino == 1 && policy_linux_in_proc(fd);
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

/* The resolved paths are heap strings of any length, "" until set; one
 * longer than a request's buffer is noted with the call for its decision. */
static char policy_linux_noname[1];

static void
policy_linux_walk_free(struct policy_linux_walk *w)
{
	char **p[2] = { &w->w_path, &w->w_dirpath };
	unsigned i;

	for (i = 0; i < 2; i++) {
		if (*p[i] != NULL && *p[i] != policy_linux_noname) {
			if (w->w_call != NULL)
				policy_linux_long_forget(w->w_call, *p[i]);
			free(*p[i]);
		}
		*p[i] = policy_linux_noname;
	}
}

void
policy_linux_walk_done(struct policy_linux_walk *w)
{
	if (w->w_fd >= 0)
		close(w->w_fd);
	if (w->w_dirfd >= 0)
		close(w->w_dirfd);
	w->w_fd = w->w_dirfd = -1;
	policy_linux_walk_free(w);
}

/* Start a walk (w may hold anything: nothing is freed); also an empty
 * walk that policy_linux_walk_done() may be called on. */
void
policy_linux_walk_init(struct policy_linux_walk *w)
{
	w->w_fd = w->w_dirfd = -1;
	w->w_slash = w->w_selfproc = w->w_tgid = 0;
	w->w_last[0] = '\0';
	w->w_path = w->w_dirpath = policy_linux_noname;
	w->w_call = NULL;
}

/* Set *slot (w_path or w_dirpath) to the heap string p (taken). */
static int
policy_linux_wset(struct policy_linux_walk *w, char **slot, char *p)
{
	if (p == NULL)
		return -ENOMEM;
	if (*slot != policy_linux_noname) {
		if (w->w_call != NULL)
			policy_linux_long_forget(w->w_call, *slot);
		free(*slot);
	}
	*slot = p;
	if (slot == &w->w_path && w->w_call != NULL &&
	    strlen(p) >= POLICY_PATH_MAX)
		return policy_linux_long_note(w->w_call, p);
	return 0;
}

/* dir + "/" + last into *slot. */
static int
policy_linux_join(struct policy_linux_walk *w, char **slot, const char *dir,
    const char *last)
{
	size_t dl = strlen(dir), ll = strlen(last);
	char *p = malloc(dl + ll + 2);

	if (p != NULL)
		snprintf(p, dl + ll + 2, "%s%s%s", dir,
		    strcmp(dir, "/") == 0 ? "" : "/", last);
	return policy_linux_wset(w, slot, p);
}

/* The name of fd into *slot (any length for a directory). */
static int
policy_linux_wfdpath(struct policy_linux_walk *w, char **slot, int fd)
{
	char *p;
	int r;

	if ((r = policy_linux_fdpath_dup(fd, &p)) != 0)
		return r;
	return policy_linux_wset(w, slot, p);
}

/*
 * The absolute path p (resolved without symlinks) normalised: no "//",
 * "." or "..".  0, or -ENAMETOOLONG.
 */
static int
policy_linux_lexical_buf(const char *p, size_t plen, char *out, size_t cap)
{
	size_t n = 0, i = 0;

	while (i < plen) {
		size_t len;

		while (i < plen && p[i] == '/')
			i++;
		if (i == plen)
			break;
		for (len = 0; i + len < plen && p[i + len] != '/'; len++)
			;
		if (len == 1 && p[i] == '.')
			;
		else if (len == 2 && p[i] == '.' && p[i + 1] == '.') {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;		/* the '/' before it */
		} else {
			if (n + 1 + len + 1 > cap)
				return -ENAMETOOLONG;
			out[n++] = '/';
			memcpy(out + n, p + i, len);
			n += len;
		}
		i += len;
	}
	if (n == 0)
		out[n++] = '/';
	out[n] = '\0';
	return 0;
}

/* The same into *slot (never longer than p and a '/'). */
static int
policy_linux_lexical(struct policy_linux_walk *w, char **slot, const char *p,
    size_t plen)
{
	char *out = malloc(plen + 2);
	int r;

	if (out == NULL)
		return -ENOMEM;
	if ((r = policy_linux_lexical_buf(p, plen, out, plen + 2)) != 0) {
		free(out);
		return r;
	}
	return policy_linux_wset(w, slot, out);
}

static uint64_t
policy_linux_resolve_bits(int flags)
{
	uint64_t r = 0;

	if (flags & PLW_BENEATH)
		r |= RESOLVE_BENEATH;
	if (flags & PLW_IN_ROOT)
		r |= RESOLVE_IN_ROOT;
	if (flags & PLW_NO_SYMLINKS)
		r |= RESOLVE_NO_SYMLINKS;
	if (flags & PLW_NO_MAGICLINKS)
		r |= RESOLVE_NO_MAGICLINKS;
	if (flags & PLW_NO_XDEV)
		r |= RESOLVE_NO_XDEV;
	return r;
}

/*
 * openat2(start, path, O_PATH|oflags): first without symlinks when the
 * path's own text can name the result (*lex set), then without magic links.
 * The fd, or -errno.
 */
static int
policy_linux_open2(int start, const char *path, int oflags, uint64_t resolve,
    int *lex)
{
	struct open_how how;
	int fd;

	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)(O_PATH | O_CLOEXEC | oflags);
	if (*lex) {
		how.resolve = resolve | RESOLVE_NO_SYMLINKS;
		fd = (int)syscall(SYS_openat2, start, path, &how, sizeof(how));
		if (fd >= 0 || errno != ELOOP ||
		    (resolve & RESOLVE_NO_SYMLINKS))
			return fd >= 0 ? fd : -errno;
		*lex = 0;
	}
	how.resolve = resolve | RESOLVE_NO_MAGICLINKS;
	fd = (int)syscall(SYS_openat2, start, path, &how, sizeof(how));
	return fd >= 0 ? fd : -errno;
}

/* The failures a resolution kept to one mount can vouch for. */
static bool
policy_linux_err_kind(int err)
{
	return err == -ENOENT || err == -ENOTDIR || err == -EACCES ||
	    err == -ENAMETOOLONG;
}

/*
 * Is err, from resolving path from start, what the walk would find too?
 * Yes if start is not in a procfs and the resolution, kept to start's
 * mount, fails the same way (so it never reached another mount).
 */
static bool
policy_linux_err_trusted(const struct policy_sup *s, int start,
    const char *path, int oflags, uint64_t resolve, int err)
{
	struct statx stx;
	int lex = 0, fd;

	if (!policy_linux_err_kind(err))
		return false;
	if (start != s->s_rootfd && (policy_linux_statx(start, &stx) != 0 ||
	    policy_linux_stx_proc(start, &stx)))
		return false;
	fd = policy_linux_open2(start, path, oflags, resolve | RESOLVE_NO_XDEV,
	    &lex);
	if (fd >= 0) {
		close(fd);
		return false;
	}
	return fd == err;
}

/*
 * The first components of absolute paths whose lookup left the root's
 * mount (EXDEV): /proc, /dev, /sys, a tmpfs /tmp...  Their later paths
 * skip the first try kept to the root's mount, which would only fail so
 * again.  Per thread (handlers run on several); what is recorded decides
 * how many lookups a path costs, never what it resolves to.
 */
#define XDEV_TOPS	16
static __thread char xdev_top[XDEV_TOPS][32];
static __thread unsigned xdev_ntop;

/* The first component of absolute path p, its length (0: none). */
static size_t
policy_linux_top(const char *p, const char **top)
{
	while (*p == '/')
		p++;
	*top = p;
	return strcspn(p, "/");
}

static bool
policy_linux_top_crosses(const char *path)
{
	const char *t;
	size_t n = policy_linux_top(path, &t), i;

	for (i = 0; i < xdev_ntop; i++)
		if (strncmp(xdev_top[i], t, n) == 0 && xdev_top[i][n] == '\0')
			return true;
	return false;
}

static void
policy_linux_top_crossed(const char *path)
{
	const char *t;
	size_t n = policy_linux_top(path, &t);

	if (n > 0 && n < sizeof(xdev_top[0]) && xdev_ntop < XDEV_TOPS) {
		memcpy(xdev_top[xdev_ntop], t, n);
		xdev_top[xdev_ntop++][n] = '\0';
	}
}

/*
 * The first resolution of an absolute path, kept to the root's mount
 * (RESOLVE_NO_XDEV) where it likely stays: a failure there is one the
 * walk would find too (policy_linux_err_trusted's test, made first, so
 * that a missing file costs one lookup rather than two), and a success
 * is the object an unrestricted resolution reaches.  EXDEV (the path
 * leaves that mount) is resolved again without the restriction, and its
 * first component is remembered; unless the caller asked for
 * RESOLVE_NO_XDEV itself, when EXDEV is its answer.  *trust: 1 a failure
 * is trusted, -1 it is not (it left the mount), 0 unknown (ask
 * policy_linux_err_trusted).  The fd, or -errno.
 */
static int
policy_linux_open2_first(const struct policy_sup *s, int start,
    const char *path, int oflags, uint64_t resolve, int *lex, int *trust)
{
	int fd;

	*trust = 0;
	if (start != s->s_rootfd || (!(resolve & RESOLVE_NO_XDEV) &&
	    policy_linux_top_crosses(path)))
		return policy_linux_open2(start, path, oflags, resolve, lex);
	fd = policy_linux_open2(start, path, oflags, resolve | RESOLVE_NO_XDEV,
	    lex);
	if (fd != -EXDEV || (resolve & RESOLVE_NO_XDEV)) {
		*trust = policy_linux_err_kind(fd) ? 1 : 0;
		return fd;
	}
	policy_linux_top_crossed(path);
	*trust = -1;
	return policy_linux_open2(start, path, oflags, resolve, lex);
}

/* A failed first resolution (policy_linux_open2_first): err where it is
 * what the walk would find too, else WALK_SLOW. */
static int
policy_linux_fast_fail(const struct policy_sup *s, int start,
    const char *path, int oflags, uint64_t resolve, int err, int trust)
{
	if (trust == 0)
		trust = policy_linux_err_trusted(s, start, path, oflags,
		    resolve, err) ? 1 : -1;
	return trust > 0 ? err : WALK_SLOW;
}

/* An fd in a procfs, or not: fill w_st from it.  1 if in procfs. */
static int
policy_linux_fast_stat(int fd, struct stat *st)
{
	struct statx stx;
	int r;

	if ((r = policy_linux_statx(fd, &stx)) != 0)
		return r;
	if (policy_linux_stx_proc(fd, &stx))
		return 1;
	policy_linux_stx_stat(&stx, st);
	return 0;
}

/* The fast path for (dirfd, last): PLW_PARENT walks and creations. */
static int
policy_linux_fast_parent(struct policy_linux_call *c, int start,
    const char *path, int flags, int lexok, struct policy_linux_walk *w)
{
	const struct policy_sup *s = c->c_sup;
	uint64_t resolve = policy_linux_resolve_bits(flags);
	char dir[PATH_MAX];
	const char *last;
	size_t plen = strlen(path), dlen;
	int lex = lexok, dfd, fd, r, trust;

	if (plen == 0 || path[plen - 1] == '/')
		return WALK_SLOW;	/* trailing slash: the walk's rules */
	last = strrchr(path, '/');
	last = last ? last + 1 : path;
	if (strcmp(last, ".") == 0 || strcmp(last, "..") == 0)
		return WALK_SLOW;
	if (strlen(last) > NAME_MAX)
		return -ENAMETOOLONG;
	dlen = (size_t)(last - path);
	if (dlen == 0)
		snprintf(dir, sizeof(dir), ".");
	else {
		if (dlen >= sizeof(dir))
			return WALK_SLOW;
		memcpy(dir, path, dlen);
		dir[dlen] = '\0';
	}
	dfd = policy_linux_open2_first(s, start, dir, O_DIRECTORY, resolve,
	    &lex, &trust);
	if (dfd < 0)
		return policy_linux_fast_fail(s, start, dir, O_DIRECTORY,
		    resolve, dfd, trust);
	if ((r = policy_linux_fast_stat(dfd, &w->w_st)) != 0) {
		close(dfd);
		return r > 0 ? WALK_SLOW : r;
	}
	if (lex)
		r = policy_linux_lexical(w, &w->w_dirpath, dir, dlen);
	else
		r = policy_linux_wfdpath(w, &w->w_dirpath, dfd);
	if (r == 0)
		r = policy_linux_join(w, &w->w_path, w->w_dirpath, last);
	if (r != 0) {
		close(dfd);
		policy_linux_walk_free(w);
		return r;
	}
	snprintf(w->w_last, sizeof(w->w_last), "%s", last);
	w->w_dirfd = dfd;
	fd = openat(dfd, last, O_PATH | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno != ENOENT) {
			close(dfd);
			w->w_dirfd = -1;
			policy_linux_walk_free(w);
			return WALK_SLOW;
		}
		memset(&w->w_st, 0, sizeof(w->w_st));
		return 0;			/* missing: may be created */
	}
	if (fstat(fd, &w->w_st) != 0 || (S_ISLNK(w->w_st.st_mode) &&
	    !(flags & (PLW_PARENT | PLW_NOFOLLOW)))) {
		/* a symlink to follow (O_CREAT through a dangling link) */
		close(fd);
		close(dfd);
		w->w_dirfd = -1;
		policy_linux_walk_free(w);
		return WALK_SLOW;
	}
	w->w_fd = fd;
	return 0;
}

/* The fast path: the kernel resolves (see the top of the file). */
static int
policy_linux_fast(struct policy_linux_call *c, int start, const char *path,
    int flags, struct policy_linux_walk *w)
{
	const struct policy_sup *s = c->c_sup;
	uint64_t resolve = policy_linux_resolve_bits(flags);
	int lexok = path[0] == '/' && !(flags & PLW_SCOPED);
	int lex = lexok, oflags = (flags & PLW_NOFOLLOW) ? O_NOFOLLOW : 0;
	int fd, r, trust;
	size_t plen = strlen(path);

	if (flags & PLW_PARENT)
		return policy_linux_fast_parent(c, start, path, flags, lexok, w);
	fd = policy_linux_open2_first(s, start, path, oflags, resolve, &lex,
	    &trust);
	if (fd < 0) {
		if (fd == -ENOENT && !(flags & PLW_MUSTEXIST))
			return policy_linux_fast_parent(c, start, path, flags,
			    lexok, w);
		return policy_linux_fast_fail(s, start, path, oflags, resolve,
		    fd, trust);
	}
	if ((r = policy_linux_fast_stat(fd, &w->w_st)) != 0) {
		close(fd);
		return r > 0 ? WALK_SLOW : r;
	}
	if (lex)
		r = policy_linux_lexical(w, &w->w_path, path, plen);
	else
		r = policy_linux_wfdpath(w, &w->w_path, fd);
	if (r != 0) {
		close(fd);
		policy_linux_walk_free(w);
		/* too long for /proc to name: the walk joins its directory */
		return r == -ENAMETOOLONG ? WALK_SLOW : r;
	}
	w->w_fd = fd;
	w->w_slash = plen > 0 && path[plen - 1] == '/';
	{
		const char *l = strrchr(w->w_path, '/');

		snprintf(w->w_last, sizeof(w->w_last), "%s",
		    l && l[1] ? l + 1 : ".");
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The walk                                                            */

/*
 * w->w_fd, our copy of a descriptor the target named (or of its cwd), as
 * the object of a walk with no path: never one in our own /proc/PID; the
 * caller still waiting; stat and name it.  0, or -errno with w done.
 */
int
policy_linux_walk_fd(struct policy_linux_call *c, struct policy_linux_walk *w)
{
	int r = 0;

	if (policy_linux_proc_ours(c->c_sup, w->w_fd)) {
		policy_linux_walk_done(w);
		return -EACCES;
	}
	if (!policy_linux_recheck(c->c_sup, c->c_id)) {
		policy_linux_walk_done(w);
		return -ESRCH;
	}
	if (fstat(w->w_fd, &w->w_st) != 0 ||
	    (r = policy_linux_wfdpath(w, &w->w_path, w->w_fd)) != 0) {
		r = r ? r : -errno;
		policy_linux_walk_done(w);
		return r;
	}
	snprintf(w->w_last, sizeof(w->w_last), ".");
	return 0;
}

/* Is /proc/<name> the target's own process (its tgid or one of its tids)? */
static bool
policy_linux_is_own(struct policy_linux_call *c, const char *name)
{
	long n = strtol(name, NULL, 10);

	if (policy_linux_call_cred(c) != 0)
		return false;
	return n == c->c_tgid || n == c->c_tid ||
	    policy_linux_tgid((pid_t)n) == c->c_tgid;
}

/* Open name in cur, as the target would be allowed to (own: inside its own
 * /proc/PID, which it may always inspect). */
static int
policy_linux_step(struct policy_linux_call *c, int cur, const char *name,
    int oflags, int own)
{
	int fd, r;

	if (own && (r = policy_linux_as_target(c, 1)) != 0)
		return r;
	fd = openat(cur, name, O_PATH | O_CLOEXEC | oflags);
	r = fd < 0 ? -errno : fd;
	if (own)
		(void)policy_linux_as_target(c, 0);
	return r;
}

static int
policy_linux_walk_slow(struct policy_linux_call *c, int startfd,
    const char *path, int flags, struct policy_linux_walk *w)
{
	const struct policy_sup *s = c->c_sup;
	char rest[REST_MAX], name[NAME_MAX + 1], text[PATH_MAX + 64];
	struct stat cst;
	size_t pos = 0;
	int cur, nfd, links = 0, r, own = 0, depth = 0, magic = 0;
	uint64_t mnt = 0;
	int scoped = flags & PLW_SCOPED;

	if (strlen(path) >= REST_MAX)
		return -ENAMETOOLONG;
	memcpy(rest, path, strlen(path) + 1);
	if (rest[0] == '/' && (flags & PLW_BENEATH))
		return -EXDEV;
	if (rest[0] == '/' && !scoped)
		cur = fcntl(s->s_rootfd, F_DUPFD_CLOEXEC, 3);
	else
		cur = fcntl(startfd, F_DUPFD_CLOEXEC, 3);
	if (cur < 0)
		return -errno;
	if (fstat(cur, &cst) != 0) {
		r = -errno;
		goto fail;
	}
	if (flags & PLW_NO_XDEV)
		mnt = policy_linux_mntid(cur);

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
				if (last)
					rest[pos] = '\0';
				continue;	/* the object is cur */
			}
			if (scoped && depth == 0) {
				if (flags & PLW_BENEATH) {
					r = -EXDEV;
					goto fail;
				}
				if (last)	/* IN_ROOT: ".." of the root */
					rest[pos] = '\0';
				continue;
			}
			if ((nfd = policy_linux_step(c, cur, "..", 0, own)) < 0) {
				r = nfd;
				goto fail;
			}
			close(cur);
			cur = nfd;
			depth--;
			if (fstat(cur, &cst) != 0) {
				r = -errno;
				goto fail;
			}
			if (policy_linux_is_procroot(cur, &cst))
				own = 0;
			if ((flags & PLW_NO_XDEV) && policy_linux_mntid(cur) != mnt) {
				r = -EXDEV;
				goto fail;
			}
			if (last)
				rest[pos] = '\0';
			continue;
		}

		/* /proc/<n>: never ourselves; the target's own is its */
		if (policy_linux_numeric(name) && policy_linux_is_procroot(cur,
		    &cst)) {
			if (policy_linux_is_us(s, strtol(name, NULL, 10))) {
				r = -EACCES;
				goto fail;
			}
			own = policy_linux_is_own(c, name);
		}
		nfd = policy_linux_step(c, cur, name, O_NOFOLLOW, own);
		if (nfd < 0) {
			r = nfd;
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
		if ((flags & PLW_NO_XDEV) && policy_linux_mntid(nfd) != mnt) {
			close(nfd);
			r = -EXDEV;
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
				if ((r = policy_linux_call_cred(c)) != 0 ||
				    c->c_tgid <= 0) {
					close(nfd);
					r = -ESRCH;
					goto fail;
				}
				w->w_tgid = 1;
				if (name[0] == 's')
					n = snprintf(text, sizeof(text), "%d",
					    (int)c->c_tgid);
				else
					n = snprintf(text, sizeof(text),
					    "%d/task/%d", (int)c->c_tgid,
					    (int)c->c_tid);
			} else if (!policy_linux_is_procroot(cur, &cst) &&
			    policy_linux_in_proc(nfd)) {
				/* magic link of a process: the kernel
				 * follows it to that process's object */
				int mfd;

				close(nfd);
				if (flags & PLW_NO_MAGICLINKS ||
				    flags & PLW_NO_SYMLINKS) {
					r = -ELOOP;
					goto fail;
				}
				/* our descriptors are not the target's
				 * (a cwd or dirfd in our /proc/PID) */
				if (!own && policy_linux_proc_ours(s, cur)) {
					r = -EACCES;
					goto fail;
				}
				if (scoped) {
					r = -EXDEV;
					goto fail;
				}
				mfd = policy_linux_step(c, cur, name, 0, own);
				if (mfd < 0) {
					r = mfd;
					goto fail;
				}
				nfd = mfd;
				magic = 1;	/* not named by (cur, name) */
				own = 0;	/* it leads out of /proc/PID */
				if (fstat(nfd, &st) != 0) {
					r = -errno;
					close(nfd);
					goto fail;
				}
				if ((flags & PLW_NO_XDEV) &&
				    policy_linux_mntid(nfd) != mnt) {
					close(nfd);
					r = -EXDEV;
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
			if (flags & PLW_NO_SYMLINKS) {
				r = -ELOOP;
				goto fail;
			}
			if ((r = policy_linux_splice(rest, pos, text,
			    (size_t)n)) != 0)
				goto fail;
			pos = 0;
			if (rest[0] == '/') {
				if (flags & PLW_BENEATH) {
					r = -EXDEV;
					goto fail;
				}
				close(cur);
				cur = fcntl(scoped ? startfd : s->s_rootfd,
				    F_DUPFD_CLOEXEC, 3);
				depth = 0;
				own = 0;
				if (cur < 0 || fstat(cur, &cst) != 0) {
					r = -errno;
					goto fail;
				}
				if ((flags & PLW_NO_XDEV) &&
				    policy_linux_mntid(cur) != mnt) {
					r = -EXDEV;
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
			depth++;
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
		w->w_selfproc = own;
		cur = -1;
		snprintf(w->w_last, sizeof(w->w_last), "%s", name);
		break;
	}
	/* whatever led here (a magic link, a cwd or dirfd in it): never an
	 * object in our own /proc/PID */
	if (!w->w_selfproc && policy_linux_proc_ours(s, w->w_fd >= 0 ?
	    w->w_fd : w->w_dirfd)) {
		r = -EACCES;
		goto fail;
	}
	/* the resolved names: of the object, and of its directory when the
	 * caller acts on (dirfd, last) */
	if (w->w_fd >= 0 && (r = policy_linux_wfdpath(w, &w->w_path,
	    w->w_fd)) != 0) {
		/* beyond what /proc names: the directory's name and the
		 * object's in it (not for an object a magic link reached) */
		if (r != -ENAMETOOLONG || magic || w->w_dirfd < 0 ||
		    strcmp(w->w_last, ".") == 0 ||
		    (r = policy_linux_wfdpath(w, &w->w_dirpath,
		    w->w_dirfd)) != 0 || (r = policy_linux_join(w, &w->w_path,
		    w->w_dirpath, w->w_last)) != 0)
			goto fail;
	}
	if (w->w_fd < 0 || (flags & PLW_PARENT)) {
		if (w->w_dirpath == policy_linux_noname && (r =
		    policy_linux_wfdpath(w, &w->w_dirpath, w->w_dirfd)) != 0)
			goto fail;
		if (w->w_fd < 0 && (r = policy_linux_join(w, &w->w_path,
		    w->w_dirpath, w->w_last)) != 0)
			goto fail;
	}
	return 0;
fail:
	if (cur >= 0)
		close(cur);
	policy_linux_walk_done(w);
	return r;
}

int
policy_linux_walk(struct policy_linux_call *c, int startfd, const char *path,
    int flags, struct policy_linux_walk *w)
{
	int r;

	policy_linux_walk_init(w);
	w->w_call = c;
	if (path[0] == '\0')
		return -ENOENT;
	if (strlen(path) >= PATH_MAX)
		return -ENAMETOOLONG;
	if ((r = policy_linux_as_target(c, 0)) != 0)
		return r;
	r = policy_linux_fast(c, startfd, path, flags, w);
	if (r == WALK_SLOW) {
		policy_linux_walk_free(w);
		policy_linux_walk_init(w);
		w->w_call = c;
		r = policy_linux_walk_slow(c, startfd, path, flags, w);
	}
	if (r != 0)
		policy_linux_walk_done(w);
	return r;
}

/*
 * Copy the path argument at addr, then walk it from the target's dirfd (or
 * cwd, or our root for an absolute path).  With emptyok (AT_EMPTY_PATH) an
 * empty path names dirfd itself.
 */
int
policy_linux_path_arg(struct policy_linux_call *c, int dirfd, uint64_t addr,
    int flags, int emptyok, struct policy_linux_walk *w)
{
	return policy_linux_path_arg_raw(c, dirfd, addr, flags, emptyok, w,
	    NULL, 0);
}

/* The same, also returning the path as copied (raw, rawcap) if asked. */
int
policy_linux_path_arg_raw(struct policy_linux_call *c, int dirfd,
    uint64_t addr, int flags, int emptyok, struct policy_linux_walk *w,
    char *raw, size_t rawcap)
{
	const struct policy_sup *s = c->c_sup;
	char path[PATH_MAX];
	bool borrowed = false;
	int start, r;

	policy_linux_walk_init(w);
	w->w_call = c;
	if ((r = policy_linux_read_str(c->c_tid, addr, path, sizeof(path),
	    NULL)) != 0)
		return r;
	if (raw != NULL && (size_t)snprintf(raw, rawcap, "%s", path) >= rawcap)
		return -ENAMETOOLONG;
	if (path[0] == '\0' && emptyok) {
		if (dirfd == AT_FDCWD)
			w->w_fd = policy_linux_startfd(s, c->c_tid, AT_FDCWD, ".");
		else
			w->w_fd = policy_linux_getfd(c->c_tid, dirfd);
		if (w->w_fd < 0) {
			r = w->w_fd;
			w->w_fd = -1;
			return r;
		}
		if ((r = policy_linux_walk_fd(c, w)) != 0)
			return r;
		return policy_linux_as_target(c, 0);
	}
	if (path[0] == '\0')
		return -ENOENT;
	if (path[0] == '/' && !(flags & PLW_SCOPED))
		start = s->s_rootfd;		/* ours, not closed */
	else if ((start = policy_linux_startfd_cached(s, c->c_tid, dirfd,
	    (flags & PLW_SCOPED) ? "" : path, &borrowed)) < 0)
		return start;
	if (!policy_linux_recheck(s, c->c_id)) {
		if (start != s->s_rootfd && !borrowed)
			close(start);
		return -ESRCH;
	}
	r = policy_linux_walk(c, start, path, flags, w);
	if (start != s->s_rootfd && !borrowed)
		close(start);
	if (r == 0 && w->w_tgid && !policy_linux_recheck(s, c->c_id)) {
		policy_linux_walk_done(w);
		return -ESRCH;
	}
	return r;
}
