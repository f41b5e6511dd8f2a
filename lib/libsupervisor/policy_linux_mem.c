/* policy_linux_mem.c: the supervisor's only access to a target's memory and descriptors:
 * copying its memory once (process_vm_readv), writing results back, taking its fds. */
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
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

/*
 * Write a call's result (a struct stat, a link's text, a count) into the
 * caller's memory, the last step before the answer.  process_vm_writev
 * names the caller by thread id, and an execve in another thread of its
 * process (de_thread) kills the caller and gives the thread group leader's
 * id to the exec'ing thread: if that happens after the caller was last
 * checked, a write to the leader's id can land in the new image.  Within
 * one policy that gains nothing: the old image may make every call the
 * new one may.  But an image that runs under another policy ('program:'
 * switching) must not start with memory its caller wrote.  It has not run
 * yet: the tracer resumes it only from its exec event, which it takes
 * only with the reap gate closed (notify.c), and the gate is held here.
 * So when such an exec is pending after the write, the call is checked;
 * a leader no longer waiting (it can only have been killed, the filter
 * waiting killably) may have written the new image, and its process is
 * killed before that image runs.  Another thread's id is given to no one
 * while the gate is held, so a write to it reaches the caller or nothing.
 * Threads other than the serving ones take the gate here and check first
 * that the call is still pending (the exec event may have been taken
 * since their last check).  A task handed over to a confined debugger is
 * resumed by the debugger, which may write its memory anyway.
 */
static void
policy_linux_write_killed(struct policy_linux_call *c)
{
	struct policy_linux_cred cr;
	pid_t tgid = c->c_tgid;

	if (tgid == 0 && policy_linux_task_cred(c->c_sup, c->c_tid, &cr,
	    &tgid) != 0)
		return;			/* gone: not a leader whose id lives on */
	if (tgid != c->c_tid)
		return;
	fprintf(c->c_sup->s_log, "policyctl: pid %d: killed: an exec to "
	    "another policy ran while its %s result was written back, which "
	    "the new image may hold\n", (int)c->c_tid, c->c_name);
	fflush(c->c_sup->s_log);
	kill(c->c_tid, SIGKILL);
}

int
policy_linux_write_result(struct policy_linux_call *c, uint64_t addr,
    const void *buf, size_t len)
{
	const struct policy_sup *s = c->c_sup;
	struct iovec local = { (void *)(uintptr_t)buf, len };
	struct iovec remote = { (void *)(uintptr_t)addr, len };
	bool gate = !policy_linux_is_serve_thread();
	ssize_t n;
	int r;

	if (len == 0)
		return 0;
	if (addr == 0)
		return -EFAULT;
	if (gate && !policy_linux_gate_enter(s, c->c_id,
	    policy_linux_gate_mark()))
		return -ESRCH;
	if (gate && !policy_linux_valid(s, c->c_id))
		r = -ESRCH;
	else {
		policy_linux_as_self(NULL);
		n = process_vm_writev(c->c_tid, &local, 1, &remote, 1, 0);
		r = n < 0 && errno == ESRCH ? -ESRCH :
		    n >= 0 && (size_t)n == len ? 0 : -EFAULT;
		/* an exec let through before now is still recorded */
		if (n > 0 && s->s_wait_killable &&
		    policy_linux_exec_switch_pending(s, c->c_polidx) &&
		    !policy_linux_valid(s, c->c_id))
			policy_linux_write_killed(c);
	}
	if (gate)
		policy_linux_gate_leave();
	return r;
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
		/* the serving threads' cached pidfd of this thread */
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
