/* policy_linux_serve.c: the supervisor's event loop: seccomp notifications dispatched to
 * their handlers, and ptrace stops (fork, clone, exec, signals) of every confined task. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/signalfd.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <linux/audit.h>

#include "policy_linux.h"

#define ERESTARTSYS_	512	/* the kernel's restart codes */
#define ERESTARTNOINTR_	513
#define SYSCALL_STOP	(SIGTRAP | 0x80)	/* PTRACE_O_TRACESYSGOOD */
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
static pid_t policy_linux_tracer;	/* the serve loop's thread id */

/* Is tid traced by this thread (the serve loop's, the tracer)? */
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
	if (!policy_linux_is_serve_thread() ||
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

	if (!policy_linux_is_serve_thread()) {
		policy_linux_note(c, "ptrace: asked decisions cannot hand a "
		    "task over; refused");
		return EPERM;
	}
	if (policy_linux_task_flags(tid) & POLICY_LINUX_T_STRICT) {
		/* strict mode is ours to enforce, by tracing it */
		policy_linux_note(c, "ptrace of a task in seccomp strict mode "
		    "refused");
		return EPERM;
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
 * tells)?  Another thread than the serve loop's cannot tell the latter.
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
		policy_linux_task_del(tid);	/* gone; its id may be reused */
		return false;
	}
	return true;
}

/* Attaches waiting for tid: let the kernel make them now. */
static void
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
static bool
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

	if (!policy_linux_is_serve_thread() ||
	    !policy_linux_ours(s, c->c_tid)) {
		policy_linux_note(c, "seccomp strict mode cannot be emulated "
		    "for this task; refused");
		return EINVAL;
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
static void
policy_linux_resume(pid_t pid, int sig)
{
	(void)ptrace(policy_linux_task_flags(pid) & POLICY_LINUX_T_STRICT ?
	    PTRACE_SYSCALL : PTRACE_CONT, pid, 0, (void *)(long)sig);
}

/* A syscall stop: strict mode's check. */
static void
policy_linux_syscall_stop(pid_t pid)
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
	policy_linux_resume(pid, 0);
}

/* The policy a call is decided by: the caller's. */
static void
policy_linux_call_policy(struct policy_linux_call *c)
{
	const struct policy_sup *s = c->c_sup;

	c->c_polidx = s->s_npols > 1 ? policy_linux_task_pol(c->c_tid) : 0;
	if (c->c_polidx == 0 || c->c_polidx >= s->s_npols) {
		c->c_polidx = 0;
		/* s_pol may be swapped for a reloaded policy (ask) */
		c->c_pol = __atomic_load_n(&s->s_pol, __ATOMIC_ACQUIRE);
		c->c_source = s->s_source;
	} else {
		c->c_pol = s->s_pols[c->c_polidx];
		c->c_source = s->s_sources[c->c_polidx];
	}
}

static void
policy_linux_dispatch(struct policy_sup *s, const struct seccomp_notif *n)
{
	struct policy_linux_call c;
	int op, i;

	memset(&c, 0, offsetof(struct policy_linux_call, c_cred));
	c.c_sup = s;
	c.c_id = n->id;
	c.c_tid = (pid_t)n->pid;
	c.c_nr = n->data.nr;
	for (i = 0; i < 6; i++)
		c.c_args[i] = n->data.args[i];
	c.c_name = policy_linux_syscall_name(c.c_nr);
	policy_linux_call_policy(&c);
	op = n->data.arch == AUDIT_ARCH_X86_64 ?
	    policy_linux_syscall_op(c.c_nr) : POLICY_OP_NONE;
	/* a new call: a signal's restart (worker.c) is over */
	if (policy_linux_task_flags(c.c_tid) & POLICY_LINUX_T_RESTART)
		(void)policy_linux_task_setflags(c.c_tid, 0,
		    POLICY_LINUX_T_RESTART);
	/* exec verification and chdir need us as the caller's tracer */
	if ((op == POLICY_OP_EXECVE || op == POLICY_OP_CHDIR) &&
	    __atomic_load_n(&policy_linux_handed, __ATOMIC_RELAXED) &&
	    !policy_linux_adopt(s, c.c_tid)) {
		policy_linux_note(&c, "%s: the caller is traced by another "
		    "program, the supervisor cannot follow it; refused",
		    c.c_name != NULL ? c.c_name : "?");
		policy_linux_reply(s, c.c_id, 0, EPERM);
		return;
	}
	policy_linux_worker_call(&c);
	/* set*id, capset: the thread's credentials are about to change */
	if (op == POLICY_OP_SYSCALL && policy_linux_syscall_setcred(c.c_nr))
		policy_linux_task_cred_forget(c.c_tid);
	switch (op) {
	case POLICY_OP_OPEN:
		policy_linux_open(&c);
		break;
	case POLICY_OP_ACCESS: case POLICY_OP_STAT: case POLICY_OP_READLINK:
	case POLICY_OP_CHDIR: case POLICY_OP_UNLINK: case POLICY_OP_RENAME:
	case POLICY_OP_MKDIR: case POLICY_OP_RMDIR: case POLICY_OP_LINK:
	case POLICY_OP_SYMLINK: case POLICY_OP_CHMOD: case POLICY_OP_CHOWN:
	case POLICY_OP_TRUNCATE: case POLICY_OP_UTIMES:
		policy_linux_pathop(&c, (unsigned)op);
		break;
	case POLICY_OP_EXECVE:
		policy_linux_execve(&c);
		break;
	case POLICY_OP_CONNECT: case POLICY_OP_BIND: case POLICY_OP_SENDTO:
	case POLICY_OP_SENDMSG:
		policy_linux_net(&c, (unsigned)op);
		break;
	case POLICY_OP_NONE:
		policy_linux_reply(s, c.c_id, 0, ENOSYS);
		break;
	default:
		policy_linux_intop(&c, (unsigned)op);
		break;
	}
	policy_linux_worker_call(NULL);
}

/*
 * A signal is about to be delivered to pid.  If it interrupted a system
 * call that waited in the filter for us (before we received it: after
 * that, only a fatal signal interrupts), the kernel returns -ERESTARTSYS,
 * which becomes EINTR for a handler without SA_RESTART: a stat or open
 * would fail with EINTR where it never does unconfined.  For the calls the
 * supervisor carries out itself, which never ran, and for those that
 * never wait natively (kill decided on its signal: LTP kill10), make it
 * -ERESTARTNOINTR: the call is made again after the handler, as the kernel
 * does for calls that cannot be interrupted.
 */
static void
policy_linux_restart(pid_t pid)
{
	struct user_regs_struct r;

	/* answered -ERESTARTSYS on purpose: a blocking call the signal
	 * interrupts as it would natively (policy_linux_worker.c) */
	if (policy_linux_task_setflags(pid, 0, POLICY_LINUX_T_RESTART) &
	    POLICY_LINUX_T_RESTART)
		return;
	if (ptrace(PTRACE_GETREGS, pid, 0, &r) != 0 ||
	    (long long)r.rax != -ERESTARTSYS_ ||
	    !policy_linux_syscall_restart((int)r.orig_rax, (uint64_t)r.r8))
		return;
	r.rax = (unsigned long long)-ERESTARTNOINTR_;
	(void)ptrace(PTRACE_SETREGS, pid, 0, &r);
}

/* "PPid:" and "Tgid:" of a task, or -1. */
static int
policy_linux_parent(pid_t tid, pid_t *ppid, pid_t *tgid)
{
	char buf[2048];
	const char *p;

	if (policy_linux_status(tid, buf, sizeof(buf)) == 0 ||
	    (p = policy_linux_field(buf, "Tgid:")) == NULL)
		return -1;
	*tgid = (pid_t)strtol(p, NULL, 10);
	if ((p = policy_linux_field(buf, "PPid:")) == NULL)
		return -1;
	*ppid = (pid_t)strtol(p, NULL, 10);
	return 0;
}

/*
 * With several policies, a new task's first stop may come before its
 * creator's fork/clone event, which tells us the policy it inherits.  A
 * thread takes its process's.  A new process stays stopped until the
 * event comes; if its parent is no confined task (the creator died before
 * reporting the event, and the child went to an outside reaper: confined
 * tasks can make neither CLONE_PARENT children nor themselves reapers
 * then), it is killed: it would otherwise run under no known policy.
 */
static void
policy_linux_first_stop(struct policy_sup *s, pid_t pid)
{
	pid_t ppid, tgid;
	int r = policy_linux_parent(pid, &ppid, &tgid);

	if (r == 0 && tgid != pid && policy_linux_task_known(tgid)) {
		(void)policy_linux_task_setpol(pid, policy_linux_task_pol(tgid));
		(void)ptrace(PTRACE_CONT, pid, 0, 0);
		return;
	}
	if (r != 0 || tgid != pid || !policy_linux_task_known(ppid) ||
	    !policy_linux_task_setppid(pid, ppid)) {
		fprintf(s->s_log, "policyctl: pid %d: its creator is gone; "
		    "killed\n", (int)pid);
		fflush(s->s_log);
		kill(pid, SIGKILL);
		(void)ptrace(PTRACE_CONT, pid, 0, 0);
	}
}

/* Handle every pending ptrace stop and exit.  Returns true when no traced
 * task is left. */
static bool
policy_linux_reap(struct policy_sup *s)
{
	int needpol = s->s_npols > 1;

	for (;;) {
		int st, sig, ev;
		unsigned long msg;
		pid_t pid = waitpid(-1, &st, __WALL | WNOHANG), orphan;

		if (pid == 0)
			return false;
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			return true;	/* ECHILD: everyone is gone */
		}
		if (WIFEXITED(st) || WIFSIGNALED(st)) {
			if (pid == s->s_child) {
				s->s_child_status = st;
				s->s_child_done = 1;
			}
			policy_linux_attach_release(s, pid);
			policy_linux_task_del(pid);
			policy_linux_exec_forget(s, pid);
			policy_linux_chdir_forget(pid);
			policy_linux_script_forget(pid);
			/* held children it made but never reported */
			while ((orphan = policy_linux_task_orphan(pid)) > 0) {
				fprintf(s->s_log, "policyctl: pid %d: its "
				    "creator is gone; killed\n", (int)orphan);
				fflush(s->s_log);
				kill(orphan, SIGKILL);
				(void)ptrace(PTRACE_CONT, orphan, 0, 0);
			}
			continue;
		}
		if (!WIFSTOPPED(st))
			continue;
		if (policy_linux_chdir_stop(s, pid, st))
			continue;	/* a chdir being carried out */
		sig = WSTOPSIG(st);
		ev = (unsigned)st >> 16;
		if (ev == 0 && sig == SYSCALL_STOP) {
			policy_linux_syscall_stop(pid);
			continue;
		}
		switch (ev) {
		case PTRACE_EVENT_EXEC:
			msg = 0;
			(void)ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
			if ((pid_t)msg != pid) {
				unsigned pol = policy_linux_task_pol((pid_t)msg);

				policy_linux_task_del((pid_t)msg);
				policy_linux_task_add(pid);
				(void)policy_linux_task_setpol(pid, pol);
			}
			policy_linux_task_cred_forget(pid);
			policy_linux_task_cwd_forget(pid);
			policy_linux_exec_event(s, pid, (pid_t)msg);
			policy_linux_resume(pid, 0);
			break;
		case PTRACE_EVENT_FORK: case PTRACE_EVENT_VFORK:
		case PTRACE_EVENT_CLONE:
			policy_linux_task_add(pid);
			msg = 0;
			if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg) == 0 &&
			    msg != 0 && policy_linux_task_setpol((pid_t)msg,
			    policy_linux_task_pol(pid)))
				(void)ptrace(PTRACE_CONT, (pid_t)msg, 0, 0);
			policy_linux_resume(pid, 0);
			break;
		case PTRACE_EVENT_STOP:
			if (policy_linux_handover_stop(s, pid, 0,
			    sig == SIGSTOP || sig == SIGTSTP ||
			    sig == SIGTTIN || sig == SIGTTOU))
				break;
			if (sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN ||
			    sig == SIGTTOU) {
				switch (policy_linux_task_stop(pid, needpol)) {
				case POLICY_LINUX_STOP_AGAIN:
					(void)ptrace(PTRACE_LISTEN, pid, 0, 0);
					break;
				case POLICY_LINUX_STOP_HOLD:
					policy_linux_first_stop(s, pid);
					break;
				default:
					policy_linux_resume(pid, 0);
					break;
				}
			} else {
				if (policy_linux_task_stop(pid, needpol) ==
				    POLICY_LINUX_STOP_HOLD) {
					policy_linux_first_stop(s, pid);
					break;
				}
				policy_linux_resume(pid, 0);
			}
			break;
		default:
			/* signal-delivery-stop: deliver it */
			policy_linux_task_add(pid);
			policy_linux_restart(pid);
			if (policy_linux_handover_stop(s, pid, sig, false))
				break;
			policy_linux_resume(pid, sig);
			break;
		}
	}
}

/* Read the signals that arrived; true if SIGCHLD was among them. */
static bool
policy_linux_signals(struct policy_sup *s)
{
	struct signalfd_siginfo si;
	bool chld = false;

	while (read(s->s_sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM: case SIGHUP:
			/* pass on to the program; we end when it does */
			if (!s->s_child_done)
				kill(s->s_child, (int)si.ssi_signo);
			break;
		case SIGCHLD:
			chld = true;
			break;
		default:
			/* SIGINT and SIGQUIT from the terminal reached the
			 * program too. */
			break;
		}
	}
	return chld;
}

int
policy_linux_serve(struct policy_sup *s)
{
	struct seccomp_notif *n;
	struct pollfd pfd[3];
	bool reap = true;

	if ((n = calloc(1, s->s_sizes.seccomp_notif + 64)) == NULL)
		return -1;
	policy_linux_task_init();
	policy_linux_serve_thread();
	policy_linux_tracer = (pid_t)syscall(SYS_gettid);
	(void)policy_linux_task_stop(s->s_child, 0);
	(void)policy_linux_task_setpol(s->s_child, 0);
	policy_linux_task_cwd_enable(policy_linux_cwd_notified(s));
	pfd[0].fd = s->s_listener;
	pfd[0].events = POLLIN;
	pfd[1].fd = s->s_sigfd;
	pfd[1].events = POLLIN;
	pfd[2].fd = policy_linux_chdir_pollfd();	/* chdir from other threads */
	pfd[2].events = POLLIN;
	for (;;) {
		/* ptrace stops and exits are reported by SIGCHLD */
		if (reap && policy_linux_reap(s))
			break;
		reap = false;
		if (poll(pfd, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[2].revents & POLLIN)
			policy_linux_chdir_queued(s);
		if ((pfd[1].revents & POLLIN) && policy_linux_signals(s))
			reap = true;
		if (pfd[0].revents & POLLIN) {
			memset(n, 0, s->s_sizes.seccomp_notif);
			if (ioctl(s->s_listener, SECCOMP_IOCTL_NOTIF_RECV,
			    n) == 0) {
				policy_linux_count_notified();
				if (n->data.arch == AUDIT_ARCH_X86_64)
					policy_linux_task_cwd_call(
					    (pid_t)n->pid, n->data.nr);
				if (!policy_linux_offload(s, n,
				    policy_linux_dispatch))
					policy_linux_dispatch(s, n);
			}
		} else if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			pfd[0].fd = -1;		/* no filtered task left */
	}
	policy_linux_offload_drain();	/* no call may outlive s */
	policy_linux_as_self(s);
	free(n);
	policy_linux_tasks_reset();
	return 0;
}
