/* policy_linux_mem.c: the supervisor's only access to a target: copying its memory once
 * (process_vm_readv), writing results back, taking its fds, and answering notifications. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "policy_linux.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD	O_EXCL
#endif

#define PAGE	4096u

/* Copy len bytes; a bad address is EFAULT, never a crash. */
int
policy_linux_read(pid_t tid, uint64_t addr, void *buf, size_t len)
{
	struct iovec local = { buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n;

	if (len == 0)
		return 0;
	if (addr == 0)
		return -EFAULT;
	policy_linux_as_self(NULL);	/* our ptrace rights, not the target's */
	n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
	if (n < 0)
		return errno == ESRCH ? -ESRCH : -EFAULT;
	return (size_t)n == len ? 0 : -EFAULT;
}

/*
 * Copy a NUL-terminated string of at most cap - 1 bytes.  Reads stop at page
 * boundaries so that a string ending just before an unmapped page is read.
 */
int
policy_linux_read_str(pid_t tid, uint64_t addr, char *buf, size_t cap,
    size_t *lenp)
{
	size_t got = 0;

	if (addr == 0)
		return -EFAULT;
	policy_linux_as_self(NULL);
	while (got < cap) {
		size_t chunk = PAGE - ((addr + got) & (PAGE - 1));
		struct iovec local, remote;
		ssize_t n;
		char *nul;

		if (chunk > cap - got)
			chunk = cap - got;
		local.iov_base = buf + got;
		local.iov_len = chunk;
		remote.iov_base = (void *)(uintptr_t)(addr + got);
		remote.iov_len = chunk;
		n = process_vm_readv(tid, &local, 1, &remote, 1, 0);
		if (n <= 0)
			return errno == ESRCH ? -ESRCH : -EFAULT;
		if ((nul = memchr(buf + got, '\0', (size_t)n)) != NULL) {
			if (lenp != NULL)
				*lenp = (size_t)(nul - buf);
			return 0;
		}
		got += (size_t)n;
	}
	buf[cap - 1] = '\0';
	return -ENAMETOOLONG;
}

int
policy_linux_write(pid_t tid, uint64_t addr, const void *buf, size_t len)
{
	struct iovec local = { (void *)(uintptr_t)buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	ssize_t n;

	if (len == 0)
		return 0;
	if (addr == 0)
		return -EFAULT;
	policy_linux_as_self(NULL);
	n = process_vm_writev(tid, &local, 1, &remote, 1, 0);
	return n >= 0 && (size_t)n == len ? 0 : -EFAULT;
}

/* Is the notification still pending?  Checked after every read of the
 * target, so that what we read belonged to the thread that is waiting
 * (a thread id can be reused once the thread is gone). */
bool
policy_linux_valid(const struct policy_sup *s, uint64_t id)
{
	return ioctl(s->s_listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &id) == 0;
}

/*
 * Is what we just read from the target (its memory, cwd, fds) the calling
 * thread's?  policy_linux_valid() after the reads proves it, and is what
 * calls handled off the serve loop use.  The serve loop itself may skip
 * the system call: a thread waiting in a notification it handles can
 * stop being that thread only by dying, and a dead traced task keeps its
 * id as a zombie until this same loop reaps it; the one exception is
 * execve's de_thread, which hands the old leader's id to the exec'ing
 * thread without waiting for us, and it can run only while an execve is
 * let through: unchecked by the filter, or continued and not yet seen at
 * its exec event (a pending exec record).
 */
static __thread int tl_serve;

void
policy_linux_serve_thread(void)
{
	tl_serve = 1;
}

bool
policy_linux_is_serve_thread(void)
{
	return tl_serve != 0;
}

bool
policy_linux_recheck(const struct policy_sup *s, uint64_t id)
{
	if (tl_serve && !s->s_exec_unchecked && !policy_linux_exec_pending(s))
		return true;
	return policy_linux_valid(s, id);
}

/* A duplicate of the target thread's fd (same open file description). */
int
policy_linux_getfd(pid_t tid, int fd)
{
	int pidfd, r, e;

	if (fd < 0)
		return -EBADF;
	policy_linux_as_self(NULL);
	if ((pidfd = policy_linux_task_pidfd(tid)) >= 0) {
		/* the serve loop's cached pidfd of this thread */
		r = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
		return r < 0 ? -errno : r;
	}
	pidfd = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
	if (pidfd < 0 && errno == EINVAL)
		pidfd = (int)syscall(SYS_pidfd_open, tid, 0);
	if (pidfd < 0)
		return -ESRCH;
	r = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	e = errno;
	close(pidfd);
	if (r < 0)
		return e == EBADF ? -EBADF : -e;
	return r;
}

/*
 * The directory a target's path is resolved from: the root for absolute
 * paths, its cwd for AT_FDCWD, else its dirfd.  Returns an fd we own.
 */
int
policy_linux_startfd(const struct policy_sup *s, pid_t tid, int dirfd,
    const char *path)
{
	char buf[64];
	int fd;

	if (path != NULL && path[0] == '/')
		fd = fcntl(s->s_rootfd, F_DUPFD_CLOEXEC, 3);
	else if (dirfd == AT_FDCWD) {
		policy_linux_as_self(NULL);
		snprintf(buf, sizeof(buf), "/proc/%d/cwd", (int)tid);
		fd = open(buf, O_PATH | O_CLOEXEC);
		if (fd < 0)
			return -ESRCH;
	} else
		return policy_linux_getfd(tid, dirfd);
	return fd < 0 ? -errno : fd;
}

/*
 * The same, where the caller can leave the fd open: the cwd a relative
 * path starts from may be a cached descriptor (*borrowed: not to be
 * closed; policy_linux_task.c says when that is exact).
 */
int
policy_linux_startfd_cached(const struct policy_sup *s, pid_t tid, int dirfd,
    const char *path, bool *borrowed)
{
	*borrowed = false;
	if (dirfd == AT_FDCWD && (path == NULL || path[0] != '/'))
		return policy_linux_task_cwd(tid, borrowed);
	return policy_linux_startfd(s, tid, dirfd, path);
}

void
policy_linux_reply(const struct policy_sup *s, uint64_t id, int64_t val,
    int error)
{
	struct seccomp_notif_resp resp;

	memset(&resp, 0, sizeof(resp));
	resp.id = id;
	resp.val = error ? 0 : val;
	resp.error = error ? -error : 0;
	/* ENOENT: the target was interrupted or died; nothing to answer. */
	(void)ioctl(s->s_listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

/*
 * Let the kernel run the call as the target made it.  Used only where the
 * decision read nothing from the target's memory (its registers were
 * captured in the notification and cannot change), and for execve, whose
 * image is verified at the exec event.
 */
void
policy_linux_continue(const struct policy_sup *s, uint64_t id)
{
	struct seccomp_notif_resp resp;

	memset(&resp, 0, sizeof(resp));
	resp.id = id;
	resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
	(void)ioctl(s->s_listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

/* Install fd in the target and complete its call with the new number. */
int
policy_linux_addfd(const struct policy_sup *s, uint64_t id, int fd,
    bool cloexec)
{
	struct seccomp_notif_addfd a;
	int r;

	memset(&a, 0, sizeof(a));
	a.id = id;
	a.flags = SECCOMP_ADDFD_FLAG_SEND;
	a.srcfd = (uint32_t)fd;
	a.newfd_flags = cloexec ? O_CLOEXEC : 0;
	r = ioctl(s->s_listener, SECCOMP_IOCTL_NOTIF_ADDFD, &a);
	if (r < 0 && errno != ENOENT && errno != EINPROGRESS) {
		/* not installed (EMFILE...): the call fails with that error */
		policy_linux_reply(s, id, 0, errno);
		return -1;
	}
	return r;
}

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

/* /proc/TID/status, NUL-terminated in buf: its length, 0 if the task is
 * gone, cap - 1 if it did not fit. */
size_t
policy_linux_status(pid_t tid, char *buf, size_t cap)
{
	char path[64];
	size_t got = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	while (got < cap - 1 && (n = read(fd, buf + got, cap - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	return got;
}

/* The value of a status field ("Tgid:"): where it starts, or NULL. */
const char *
policy_linux_field(const char *buf, const char *name)
{
	size_t n = strlen(name);
	const char *p = buf;

	for (;;) {
		if (strncmp(p, name, n) == 0)
			return p + n;
		if ((p = strchr(p, '\n')) == NULL)
			return NULL;
		p++;
	}
}

/* The number a status field of task tid holds, in base; unknown if the
 * task or the field is not there. */
static long
policy_linux_status_number(pid_t tid, const char *name, int base,
    long unknown)
{
	char buf[2048];
	const char *p;

	if (policy_linux_status(tid, buf, sizeof(buf)) == 0 ||
	    (p = policy_linux_field(buf, name)) == NULL)
		return unknown;
	return strtol(p, NULL, base);
}

/* The target's umask (from /proc/TID/status), or 022 if unknown. */
int
policy_linux_umask(pid_t tid)
{
	return (int)policy_linux_status_number(tid, "Umask:", 8, 022) & 0777;
}

/* The thread group (process) a thread belongs to, or -1. */
pid_t
policy_linux_tgid(pid_t tid)
{
	return (pid_t)policy_linux_status_number(tid, "Tgid:", 10, -1);
}
