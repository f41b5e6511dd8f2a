/* policy_linux_notify.c: answering a seccomp notification (an error or value, let the
 * kernel make the call, install a descriptor) and checking that it is still pending. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>

#include "policy_linux.h"

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

/*
 * Install fd in the target and complete its call with the new number;
 * fd and other (another descriptor of ours, or -1) are closed.  The
 * description is one: while we hold it, the target's close(2) does not
 * end it.  For a description open for writing that shows: the file stays
 * busy for execve (ETXTBSY) until we close, and the target, woken first,
 * may exec it at once (a compiler's output run by make or configure).
 * With release_first, then, the fd is added, ours closed, and the call
 * completed after: one more wake-up of the target (measured: 10-15 us on
 * the development VM), safe under the filter's WAIT_KILLABLE_RECV (Linux
 * 5.19), where only a fatal signal can end the call between the steps,
 * taking the added fd with its process.  Otherwise (a read-only open, a
 * FIFO open another thread may answer meanwhile, a kernel without
 * WAIT_KILLABLE_RECV) the fd is added and the call completed in one step
 * and ours closed just after: a flock(2) lock the target takes through a
 * read-only descriptor may outlive its close by that long.
 */
int
policy_linux_addfd(const struct policy_sup *s, uint64_t id, int fd,
    bool cloexec, int other, bool release_first)
{
	struct seccomp_notif_addfd a;
	bool split = s->s_wait_killable && release_first;
	int r, e;

	memset(&a, 0, sizeof(a));
	a.id = id;
	a.flags = split ? 0 : SECCOMP_ADDFD_FLAG_SEND;
	a.srcfd = (uint32_t)fd;
	a.newfd_flags = cloexec ? O_CLOEXEC : 0;
	r = ioctl(s->s_listener, SECCOMP_IOCTL_NOTIF_ADDFD, &a);
	e = errno;
	policy_linux_close2(fd, other);
	if (r < 0 && e != ENOENT && e != EINPROGRESS) {
		/* not installed (EMFILE...): the call fails with that error */
		policy_linux_reply(s, id, 0, e);
		return -1;
	}
	if (r >= 0 && split)
		policy_linux_reply(s, id, r, 0);
	return r;
}
