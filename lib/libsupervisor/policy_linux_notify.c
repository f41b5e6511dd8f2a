/* policy_linux_notify.c: answering a seccomp notification (an error or value, let the
 * kernel make the call, install a descriptor) and checking that it is still pending. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
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
 * calls handled on other threads (offloaded, workers) use.  The two
 * serving threads (serve.c: the receiver, which takes the notifications,
 * and the tracer, which reaps the confined tasks) may skip the system
 * call: a thread waiting in a notification they handle can stop being
 * that thread only by dying, and a dead traced task keeps its id as a
 * zombie until the tracer reaps it, which it does only holding the reap
 * gate below exclusively, while the receiver holds it shared for each
 * call it handles (the tracer reaps nothing while it handles one; a call
 * received before the gate was last closed is checked once, as
 * policy_linux_gate_enter says).  The one exception is execve's
 * de_thread, which hands the old leader's id to the exec'ing thread
 * without waiting for us, and it can run only while an execve is let
 * through: unchecked by the filter, or continued and not yet seen at its
 * exec event (a pending exec record, taken out only by the tracer at that
 * event or when it reaps the task, or when its thread makes another
 * execve, the first being over: so one whose exec may run while a call is
 * handled is still there when the call checks).  The cached descriptors of the
 * tasks (task.c) are closed only with the gate closed too.
 */
static __thread int tl_serve;		/* 1: the receiver; 2: the tracer */
static pthread_rwlock_t reap_gate =
    PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP;
static uint64_t gate_gen;		/* times the gate was closed */

void
policy_linux_serve_thread(bool tracer)
{
	tl_serve = tracer ? 2 : 1;
}

bool
policy_linux_is_serve_thread(void)
{
	return tl_serve != 0;
}

bool
policy_linux_is_tracer(void)
{
	return tl_serve == 2;
}

/* The gate's generation, taken before a notification is received. */
uint64_t
policy_linux_gate_mark(void)
{
	return __atomic_load_n(&gate_gen, __ATOMIC_ACQUIRE);
}

/*
 * Is notification id, received after mark was taken, still from the
 * thread that made it: nothing reaped since, or still pending?  For the
 * tracer, which reaps, and for the gate's holders.
 */
bool
policy_linux_gate_caller(const struct policy_sup *s, uint64_t id,
    uint64_t mark)
{
	return __atomic_load_n(&gate_gen, __ATOMIC_ACQUIRE) == mark ||
	    policy_linux_valid(s, id);
}

/*
 * Hold the gate shared to handle notification id, received after mark was
 * taken.  Between the receipt and now its caller may have died and been
 * reaped, and its id given to a new task: if the gate was closed since
 * mark, the call must still be pending (one check; from now on nothing is
 * reaped until the gate is left).  False, and the gate is not held, if it
 * is not.
 */
bool
policy_linux_gate_enter(const struct policy_sup *s, uint64_t id,
    uint64_t mark)
{
	(void)pthread_rwlock_rdlock(&reap_gate);
	if (policy_linux_gate_caller(s, id, mark))
		return true;
	(void)pthread_rwlock_unlock(&reap_gate);
	return false;
}

void
policy_linux_gate_leave(void)
{
	(void)pthread_rwlock_unlock(&reap_gate);
}

/* The tracer, around reaping and the exec events. */
void
policy_linux_gate_close(void)
{
	(void)pthread_rwlock_wrlock(&reap_gate);
	__atomic_add_fetch(&gate_gen, 1, __ATOMIC_RELEASE);
}

void
policy_linux_gate_open(void)
{
	(void)pthread_rwlock_unlock(&reap_gate);
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
