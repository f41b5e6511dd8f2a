/* policy_linux_trace.c: the supervisor as the confined tasks' tracer: resuming stops,
 * seccomp strict mode enforced by tracing, and tasks handed over to confined tracers. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <linux/audit.h>

#include "policy_linux.h"

#define ERESTARTNOINTR_	513	/* the kernel's restart code */
#define TRACE_OPTS	(PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK | \
			 PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | \
			 PTRACE_O_TRACESYSGOOD | PTRACE_O_EXITKILL)


/*
 * Tracing by confined programs (policy_linux_intop.c).  A task a confined
 * tracer wants is detached at its next stop (PTRACE_INTERRUPT forces
 * one); an attach waits for that, a PTRACE_TRACEME is restarted after it.
 * A task we no longer trace keeps its filter; calls that need our tracing
 * (an exec to verify, a chdir to carry out) are refused in it unless we
 * can take it back (its tracer left it).
 */
#define NATTACH	64
static struct {
	pid_t		a_tracee;	/* 0: free */
	uint64_t	a_id;		/* the attacher's notification */
} policy_linux_attaches[NATTACH];
static int policy_linux_handed;	/* some task was handed over */
static pid_t policy_linux_tracer;	/* the tracer thread's id */

/* Is tid traced by the tracer thread? */
static bool
policy_linux_ours(const struct policy_sup *s, pid_t tid)
{
	char buf[2048];
	const char *p;
	pid_t tr;

	if (policy_linux_status(tid, buf, sizeof(buf)) == 0 ||
	    (p = policy_linux_field(buf, "TracerPid:")) == NULL)
		return false;
	tr = (pid_t)strtol(p, NULL, 10);
	return tr != 0 && (tr == s->s_pid || tr == policy_linux_tracer);
}

/* Trace tid again if no one else does.  True if we trace it. */
static bool
policy_linux_adopt(const struct policy_sup *s, pid_t tid)
{
	if (policy_linux_ours(s, tid))
		return true;
	if (!policy_linux_is_tracer() ||
	    ptrace(PTRACE_SEIZE, tid, 0, TRACE_OPTS) != 0)
		return false;
	policy_linux_task_add(tid);
	(void)policy_linux_task_setflags(tid, 0, POLICY_LINUX_T_FOREIGN);
	return true;
}

int
policy_linux_trace_handover(struct policy_linux_call *c, pid_t tid, bool self)
{
	struct policy_sup *s = c->c_sup;
	unsigned f;
	int i = 0;

	if (!policy_linux_is_tracer()) {
		return policy_linux_refuse(c, EPERM, "ptrace: a decision "
		    "that was asked cannot hand a task over");
	}
	if (policy_linux_task_flags(tid) & POLICY_LINUX_T_STRICT) {
		/* strict mode is ours to enforce, by tracing it */
		return policy_linux_refuse(c, EPERM, "ptrace of a task in "
		    "seccomp strict mode, which the supervisor enforces by "
		    "tracing it");
	}
	if (!policy_linux_ours(s, tid)) {
		/* not ours to give (another tracer has it, or none): the
		 * kernel decides */
		policy_linux_continue(s, c->c_id);
		return 0;
	}
	if (!self) {
		for (i = 0; i < NATTACH; i++)
			if (policy_linux_attaches[i].a_tracee == 0)
				break;
		if (i == NATTACH)
			return EAGAIN;
	}
	f = policy_linux_task_setflags(tid, POLICY_LINUX_T_HANDOVER, 0);
	if (!(f & POLICY_LINUX_T_HANDOVER) &&
	    ptrace(PTRACE_INTERRUPT, tid, 0, 0) != 0) {
		(void)policy_linux_task_setflags(tid, 0,
		    POLICY_LINUX_T_HANDOVER);
		return ESRCH;
	}
	policy_linux_handed = 1;
	if (s->s_verbose)
		policy_linux_note(c, "ptrace: pid %d handed over to a confined "
		    "tracer", (int)tid);
	if (self)	/* made again once we have let go of it */
		policy_linux_reply(s, c->c_id, 0, ERESTARTNOINTR_);
	else {
		policy_linux_attaches[i].a_tracee = tid;
		policy_linux_attaches[i].a_id = c->c_id;
	}
	return 0;
}

/*
 * Is tid a confined task: one we trace, or one we handed over that still
 * lives (we see no exit of those: their pidfd, taken at the handover,
 * tells)?  Only the serving threads can tell the latter.
 */
bool
policy_linux_confined(pid_t tid)
{
	struct pollfd p;

	if (!policy_linux_task_known(tid))
		return false;
	if (!(policy_linux_task_flags(tid) & POLICY_LINUX_T_FOREIGN))
		return true;
	if ((p.fd = policy_linux_task_pidfd(tid)) < 0)
		return false;
	p.events = POLLIN;
	p.revents = 0;
	if (poll(&p, 1, 0) != 0) {
		/* gone; its id may be reused.  Its cached pidfd is closed
		 * with the gate closed, as the tracer's reaping does. */
		if (policy_linux_is_tracer()) {
			policy_linux_gate_close();
			policy_linux_task_del(tid);
			policy_linux_gate_open();
		}
		return false;
	}
	return true;
}

/* Attaches waiting for tid: let the kernel make them now. */
void
policy_linux_attach_release(const struct policy_sup *s, pid_t tid)
{
	int i;

	for (i = 0; i < NATTACH; i++)
		if (policy_linux_attaches[i].a_tracee == tid) {
			policy_linux_attaches[i].a_tracee = 0;
			policy_linux_continue(s, policy_linux_attaches[i].a_id);
		}
}

/* /proc/PID/stat's state letter, or 0. */
static char
policy_linux_state(pid_t pid)
{
	char buf[512], *p;
	ssize_t n;
	int fd;

	snprintf(buf, sizeof(buf), "/proc/%d/stat", (int)pid);
	if ((fd = open(buf, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return (p = strrchr(buf, ')')) != NULL && p[1] == ' ' ? p[2] : 0;
}

/*
 * A stop of a task to hand over: detach (delivering sig).  A task in a
 * group-stop goes back to it once detached; the attach waits for that, as
 * an attach to a stopped task natively returns with it trapped.
 */
bool
policy_linux_handover_stop(struct policy_sup *s, pid_t pid, int sig,
    bool groupstop)
{
	int i;

	if (!(policy_linux_task_flags(pid) & POLICY_LINUX_T_HANDOVER))
		return false;
	(void)policy_linux_task_pidfd(pid);	/* to see it exit */
	(void)ptrace(PTRACE_DETACH, pid, 0, (void *)(long)sig);
	for (i = 0; groupstop && i < 200 && policy_linux_state(pid) != 'T'; i++)
		usleep(500);
	(void)policy_linux_task_setflags(pid, POLICY_LINUX_T_FOREIGN,
	    POLICY_LINUX_T_HANDOVER);
	policy_linux_attach_release(s, pid);
	return true;
}

/*
 * seccomp strict mode (read, write, _exit, rt_sigreturn only; any other
 * call kills) cannot be set over a filter, so the tracer enforces it: the
 * thread is stopped on its way out of this call and from then on resumed
 * with PTRACE_SYSCALL; a syscall-entry stop (before seccomp) of any other
 * call kills it.  It only ever restricts further.
 */
int
policy_linux_strict(struct policy_linux_call *c)
{
	struct policy_sup *s = c->c_sup;

	if (!policy_linux_is_tracer() ||
	    !policy_linux_ours(s, c->c_tid)) {
		return policy_linux_refuse(c, EINVAL, "seccomp strict mode "
		    "cannot be emulated for this task");
	}
	(void)policy_linux_task_setflags(c->c_tid, POLICY_LINUX_T_STRICT, 0);
	if (ptrace(PTRACE_INTERRUPT, c->c_tid, 0, 0) != 0) {
		(void)policy_linux_task_setflags(c->c_tid, 0,
		    POLICY_LINUX_T_STRICT);
		return EINVAL;
	}
	policy_linux_reply(s, c->c_id, 0, 0);
	return 0;
}

/* Resume a stopped task: strict-mode tasks stop at every call. */
void
policy_linux_trace_resume(pid_t pid, int sig)
{
	(void)ptrace(policy_linux_task_flags(pid) & POLICY_LINUX_T_STRICT ?
	    PTRACE_SYSCALL : PTRACE_CONT, pid, 0, (void *)(long)sig);
}

/* A syscall stop: strict mode's check. */
void
policy_linux_strict_stop(pid_t pid)
{
	struct __ptrace_syscall_info si;

	if ((policy_linux_task_flags(pid) & POLICY_LINUX_T_STRICT) &&
	    ptrace(PTRACE_GET_SYSCALL_INFO, pid, sizeof(si), &si) > 0 &&
	    si.op == PTRACE_SYSCALL_INFO_ENTRY &&
	    (si.arch != AUDIT_ARCH_X86_64 || (si.entry.nr != SYS_read &&
	    si.entry.nr != SYS_write && si.entry.nr != SYS_exit &&
	    si.entry.nr != SYS_rt_sigreturn))) {
		pid_t tgid = policy_linux_tgid(pid);

		(void)syscall(SYS_tgkill, tgid > 0 ? tgid : pid, pid, SIGKILL);
	}
	policy_linux_trace_resume(pid, 0);
}

/* The tracer thread, the tracer of every confined task, starts. */
void
policy_linux_trace_init(void)
{
	policy_linux_tracer = (pid_t)syscall(SYS_gettid);
}

/*
 * A call that needs us as its caller's tracer (exec verification, chdir):
 * true if we trace tid, taking it back if it was handed over and no one
 * traces it now; false if another program traces it.
 */
bool
policy_linux_trace_reclaim(const struct policy_sup *s, pid_t tid)
{
	if (!__atomic_load_n(&policy_linux_handed, __ATOMIC_RELAXED))
		return true;
	return policy_linux_adopt(s, tid);
}
