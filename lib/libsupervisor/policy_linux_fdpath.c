/* policy_linux_fdpath.c: the supervisor's own descriptors: the kernel's name for what one
 * refers to (any length), reopening it with other flags, closing two at once. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "policy_linux.h"

/*
 * Our own /proc/self/fd, kept open: the magic links in it name our
 * descriptors' objects, and looking one up there is one component rather
 * than four (a forked child opens its own).
 */
static int selffd = -1;
static pthread_once_t selffd_once = PTHREAD_ONCE_INIT;

static void
policy_linux_selffd_forked(void)
{
	if (selffd >= 0)
		close(selffd);
	selffd = -1;
	selffd_once = (pthread_once_t)PTHREAD_ONCE_INIT;
}

static void
policy_linux_selffd_open(void)
{
	static int registered;

	selffd = open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (!registered++)
		(void)pthread_atfork(NULL, NULL, policy_linux_selffd_forked);
}

/* Open what our fd refers to anew with flags (checked as any open). */
int
policy_linux_fdopen(int fd, int flags)
{
	char name[16];

	pthread_once(&selffd_once, policy_linux_selffd_open);
	snprintf(name, sizeof(name), "%d", fd);
	if (selffd < 0) {
		char link[64];

		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		return open(link, flags);
	}
	return openat(selffd, name, flags);
}

/* Close two descriptors, in one call when they are adjacent. */
void
policy_linux_close2(int a, int b)
{
	if (a >= 0 && b >= 0 && (a == b + 1 || b == a + 1)) {
		(void)close_range((unsigned)(a < b ? a : b),
		    (unsigned)(a < b ? b : a), 0);
		return;
	}
	if (a >= 0)
		close(a);
	if (b >= 0)
		close(b);
}

/* The kernel's name for what fd refers to. */
int
policy_linux_fdpath(int fd, char *buf, size_t cap)
{
	char link[64];
	ssize_t n;

	pthread_once(&selffd_once, policy_linux_selffd_open);
	if (selffd >= 0) {
		snprintf(link, sizeof(link), "%d", fd);
		n = readlinkat(selffd, link, buf, cap);
	} else {
		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		n = readlink(link, buf, cap);
	}
	if (n < 0)
		return -errno;
	if ((size_t)n >= cap)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return 0;
}

/*
 * Longer paths.  /proc/self/fd names at most PATH_MAX bytes, but a
 * directory may lie deeper (reached through *at calls): its name is then
 * spelled from the nearest ancestor /proc can name, each directory looked
 * up (dev, ino) in its parent, and the result verified: walked down from
 * that ancestor without following symlinks, it reaches the directory.
 * Bounded (FDPATH_LONG_MAX), far beyond what programs use; a non-directory
 * has no ".." to climb from: the caller joins its directory and name.
 */
#define FDPATH_LONG_MAX	(1u << 20)

/* The name of the directory (dev, ino of cst) in its parent par, or NULL. */
static char *
policy_linux_name_in(int par, const struct stat *pst, const struct stat *cst)
{
	struct dirent *de;
	struct stat est;
	char *name = NULL;
	DIR *d;
	int dfd;

	if ((dfd = openat(par, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return NULL;
	if ((d = fdopendir(dfd)) == NULL) {
		close(dfd);
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		/* a mount point's entry shows the covered inode */
		if (pst->st_dev == cst->st_dev && de->d_ino != cst->st_ino)
			continue;
		if (fstatat(par, de->d_name, &est, AT_SYMLINK_NOFOLLOW) == 0 &&
		    est.st_dev == cst->st_dev && est.st_ino == cst->st_ino) {
			name = strdup(de->d_name);
			break;
		}
	}
	closedir(d);
	return name;
}

/*
 * A name that no longer leads to the object (unlinked, or replaced by a
 * rename over it, while other hard links may remain) is shown by /proc as
 * that name and " (deleted)".  Rules name objects by their names, and a
 * program that kept a descriptor of one (an O_PATH open the filter let
 * through, a cwd) must not reach it under a name no rule means: it is
 * decided under the name it had.  A live file may itself be called
 * "x (deleted)": the suffix is dropped only when that path does not lead
 * to the object, and the name is read again after that test, so that an
 * unlink or rename meanwhile (which changes it) is seen and the test made
 * anew.  0, or -ESTALE if the name never holds still.
 */
#define DELETED		" (deleted)"
#define UNDELETE_TRIES	8

static int
policy_linux_undelete(int fd, char *name, size_t cap)
{
	size_t k = sizeof(DELETED) - 1, n = strlen(name);
	struct stat fst, pst;
	char *again;
	int i, r, gone;

	if (n <= k || strcmp(name + n - k, DELETED) != 0)
		return 0;
	if ((again = malloc(cap)) == NULL)
		return -ENOMEM;
	for (i = 0; i < UNDELETE_TRIES; i++) {
		n = strlen(name);
		if (n <= k || strcmp(name + n - k, DELETED) != 0) {
			free(again);
			return 0;
		}
		gone = fstat(fd, &fst) != 0 || fstatat(AT_FDCWD, name, &pst,
		    AT_SYMLINK_NOFOLLOW) != 0 || pst.st_dev != fst.st_dev ||
		    pst.st_ino != fst.st_ino;
		if ((r = policy_linux_fdpath(fd, again, cap)) != 0) {
			free(again);
			return r;
		}
		if (strcmp(again, name) == 0) {
			if (gone)
				name[n - k] = '\0';
			free(again);
			return 0;
		}
		memcpy(name, again, strlen(again) + 1);
	}
	free(again);
	return -ESTALE;
}

int
policy_linux_fdpath_dup(int fd, char **out)
{
	char *buf, **comp = NULL, **nc, *path = NULL;
	size_t ncomp = 0, total, i, n;
	struct stat st0, cst, pst, vst;
	int cur = -1, par = -1, r;

	*out = NULL;
	if ((buf = malloc(PATH_MAX)) == NULL)
		return -ENOMEM;
	if ((r = policy_linux_fdpath(fd, buf, PATH_MAX)) != -ENAMETOOLONG) {
		if (r == 0)
			r = policy_linux_undelete(fd, buf, PATH_MAX);
		if (r == 0)
			*out = buf;
		else
			free(buf);
		return r;
	}
	if (fstat(fd, &st0) != 0 || !S_ISDIR(st0.st_mode)) {
		free(buf);
		return -ENAMETOOLONG;
	}
	cst = st0;
	total = 0;
	if ((cur = fcntl(fd, F_DUPFD_CLOEXEC, 3)) < 0) {
		r = -errno;
		goto out;
	}
	for (;;) {
		char *name;

		if ((par = openat(cur, "..", O_PATH | O_DIRECTORY |
		    O_CLOEXEC)) < 0) {
			r = -errno;
			goto out;
		}
		if (fstat(par, &pst) != 0) {
			r = -errno;
			goto out;
		}
		if ((pst.st_dev == cst.st_dev && pst.st_ino == cst.st_ino) ||
		    (name = policy_linux_name_in(par, &pst, &cst)) == NULL) {
			r = -ENAMETOOLONG;	/* the root, or unreadable */
			goto out;
		}
		if ((nc = realloc(comp, (ncomp + 1) * sizeof(*comp))) == NULL) {
			free(name);
			r = -ENOMEM;
			goto out;
		}
		comp = nc;
		comp[ncomp++] = name;
		total += 1 + strlen(name);
		if (total >= FDPATH_LONG_MAX) {
			r = -ENAMETOOLONG;
			goto out;
		}
		r = policy_linux_fdpath(par, buf, PATH_MAX);
		if (r == 0)
			break;
		if (r != -ENAMETOOLONG)
			goto out;
		close(cur);
		cur = par;
		par = -1;
		cst = pst;
	}
	/* buf: par's name; comp[ncomp - 1] ... comp[0] lead down to fd */
	n = strlen(buf);
	if (strcmp(buf, "/") == 0)
		n = 0;
	if (buf[0] != '/' || n + total + 1 > FDPATH_LONG_MAX ||
	    (path = malloc(n + total + 1)) == NULL) {
		r = buf[0] != '/' ? -ENOENT : -ENAMETOOLONG;
		goto out;
	}
	memcpy(path, buf, n);
	close(cur);
	cur = par;
	par = -1;
	for (i = ncomp; i-- > 0;) {
		size_t l = strlen(comp[i]);
		int nfd;

		path[n++] = '/';
		memcpy(path + n, comp[i], l);
		n += l;
		nfd = openat(cur, comp[i], O_PATH | O_NOFOLLOW | O_DIRECTORY |
		    O_CLOEXEC);
		if (nfd < 0) {
			r = -ESTALE;	/* renamed meanwhile */
			goto out;
		}
		close(cur);
		cur = nfd;
	}
	path[n] = '\0';
	if (fstat(cur, &vst) != 0 || vst.st_dev != st0.st_dev ||
	    vst.st_ino != st0.st_ino) {
		r = -ESTALE;
		goto out;
	}
	*out = path;
	path = NULL;
	r = 0;
out:
	for (i = 0; i < ncomp; i++)
		free(comp[i]);
	free(comp);
	free(path);
	free(buf);
	if (cur >= 0)
		close(cur);
	if (par >= 0)
		close(par);
	return r;
}

