/* policy_linux_serve.c: the supervisor's two serving threads: the receiver takes each seccomp
 * notification and dispatches it; the tracer handles ptrace stops and the calls that need it. */
/*
 * The receiver waits in SECCOMP_IOCTL_NOTIF_RECV itself (no poll before
 * it: one system call less per notification) and handles the call,
 * holding the reap gate (notify.c) shared.  A call that needs the tracer
 * of its caller (execve and chdir, verified and carried out by ptrace;
 * the calls with integer arguments: ptrace hand-overs, seccomp's strict
 * mode, signals to confined tasks) it passes to the tracer.  The tracer,
 * the thread that started the program and traces every confined task,
 * waits in poll for signals (SIGCHLD: ptrace stops and exits), the calls
 * passed to it and the chdirs other threads queue, and reaps with the gate
 * closed.  If the receiver cannot be started, the tracer polls the
 * listener too and handles every call itself, as one loop.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>
#include <sched.h>
#include <sys/eventfd.h>
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
#define SIGRXSTOP	(SIGRTMIN + 5)	/* ends the receiver's wait */

/* A call the receiver passed to the tracer. */
struct policy_linux_passed {
	struct policy_linux_passed *p_next;
	uint64_t		p_mark;		/* the gate's, before receipt */
	struct seccomp_notif	p_notif;	/* s_sizes.seccomp_notif bytes */
};

static struct {
	pthread_mutex_t	lock;
	struct policy_linux_passed *head, **tail;
	int		efd;		/* the tracer's doorbell */
	int		stop;		/* the receiver is to end */
	pthread_t	rx;
	struct seccomp_notif *rxbuf;	/* the receiver's (serve's buffer) */
} srv = { PTHREAD_MUTEX_INITIALIZER, NULL, &srv.head, -1, 0, 0, NULL };

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

/* The handler of each operation. */
enum policy_linux_handler {
	H_NONE,		/* not a call we know: ENOSYS */
	H_OPEN, H_PATH, H_EXEC, H_NET,
	H_INT		/* calls with integer arguments */
};

static enum policy_linux_handler
policy_linux_handler(int op)
{
	switch (op) {
	case POLICY_OP_NONE:
		return H_NONE;
	case POLICY_OP_OPEN:
		return H_OPEN;
	case POLICY_OP_ACCESS: case POLICY_OP_STAT: case POLICY_OP_READLINK:
	case POLICY_OP_CHDIR: case POLICY_OP_UNLINK: case POLICY_OP_RENAME:
	case POLICY_OP_MKDIR: case POLICY_OP_RMDIR: case POLICY_OP_LINK:
	case POLICY_OP_SYMLINK: case POLICY_OP_CHMOD: case POLICY_OP_CHOWN:
	case POLICY_OP_TRUNCATE: case POLICY_OP_UTIMES:
		return H_PATH;
	case POLICY_OP_EXECVE:
		return H_EXEC;
	case POLICY_OP_CONNECT: case POLICY_OP_BIND: case POLICY_OP_SENDTO:
	case POLICY_OP_SENDMSG:
		return H_NET;
	default:
		return H_INT;
	}
}

/* The operation a notification asks for. */
static int
policy_linux_notif_op(const struct seccomp_notif *n)
{
	return n->data.arch == AUDIT_ARCH_X86_64 ?
	    policy_linux_syscall_op(n->data.nr) : POLICY_OP_NONE;
}

/*
 * Must the tracer handle it?  execve and chdir (verified and carried out
 * by ptrace), and the calls with integer arguments (ptrace hands tasks
 * over, strict mode is enforced by tracing, a signal's target is known
 * alive by its pidfd only there).
 */
static bool
policy_linux_needs_tracer(const struct seccomp_notif *n)
{
	int op = policy_linux_notif_op(n);
	enum policy_linux_handler h = policy_linux_handler(op);

	return h == H_EXEC || h == H_INT || op == POLICY_OP_CHDIR;
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
	op = policy_linux_notif_op(n);
	/* a new call: a signal's restart (worker.c) is over */
	if (policy_linux_task_flags(c.c_tid) & POLICY_LINUX_T_RESTART)
		(void)policy_linux_task_setflags(c.c_tid, 0,
		    POLICY_LINUX_T_RESTART);
	/* exec verification and chdir need us as the caller's tracer */
	if ((op == POLICY_OP_EXECVE || op == POLICY_OP_CHDIR) &&
	    !policy_linux_trace_reclaim(s, c.c_tid)) {
		policy_linux_req(&c, (unsigned)op);
		policy_linux_reply(s, c.c_id, 0, policy_linux_refuse(&c, EPERM,
		    "the caller is traced by another program, the supervisor "
		    "cannot follow it"));
		return;
	}
	policy_linux_worker_call(&c);
	/* set*id, capset: the thread's credentials are about to change */
	if (op == POLICY_OP_SYSCALL && policy_linux_syscall_setcred(c.c_nr))
		policy_linux_task_cred_forget(c.c_tid);
	switch (policy_linux_handler(op)) {
	case H_OPEN:
		policy_linux_open(&c);
		break;
	case H_PATH:
		policy_linux_pathop(&c, (unsigned)op);
		break;
	case H_EXEC:
		policy_linux_execve(&c);
		break;
	case H_NET:
		policy_linux_net(&c, (unsigned)op);
		break;
	case H_NONE:
		policy_linux_reply(s, c.c_id, 0, ENOSYS);
		break;
	case H_INT:
		/* listen: by name, and as the bind it may make (net.c) */
		if (op == POLICY_OP_SYSCALL && c.c_name != NULL &&
		    strcmp(c.c_name, "listen") == 0)
			policy_linux_listen(&c);
		else
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
			policy_linux_strict_stop(pid);
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
			policy_linux_trace_resume(pid, 0);
			break;
		case PTRACE_EVENT_FORK: case PTRACE_EVENT_VFORK:
		case PTRACE_EVENT_CLONE:
			policy_linux_task_add(pid);
			msg = 0;
			if (ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg) == 0 &&
			    msg != 0 && policy_linux_task_setpol((pid_t)msg,
			    policy_linux_task_pol(pid)))
				(void)ptrace(PTRACE_CONT, (pid_t)msg, 0, 0);
			policy_linux_trace_resume(pid, 0);
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
					policy_linux_trace_resume(pid, 0);
					break;
				}
			} else {
				if (policy_linux_task_stop(pid, needpol) ==
				    POLICY_LINUX_STOP_HOLD) {
					policy_linux_first_stop(s, pid);
					break;
				}
				policy_linux_trace_resume(pid, 0);
			}
			break;
		default:
			/* signal-delivery-stop: deliver it */
			policy_linux_task_add(pid);
			policy_linux_restart(pid);
			if (policy_linux_handover_stop(s, pid, sig, false))
				break;
			policy_linux_trace_resume(pid, sig);
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

/* Pass n to the tracer. */
static void
policy_linux_pass(struct policy_sup *s, const struct seccomp_notif *n,
    uint64_t mark)
{
	size_t sz = s->s_sizes.seccomp_notif;
	struct policy_linux_passed *p;
	uint64_t one = 1;

	if ((p = calloc(1, offsetof(struct policy_linux_passed, p_notif) +
	    (sz > sizeof(p->p_notif) ? sz : sizeof(p->p_notif)))) == NULL) {
		policy_linux_reply(s, n->id, 0, ENOMEM);
		return;
	}
	memcpy(&p->p_notif, n, sz);
	p->p_mark = mark;
	pthread_mutex_lock(&srv.lock);
	*srv.tail = p;
	srv.tail = &p->p_next;
	pthread_mutex_unlock(&srv.lock);
	(void)!write(srv.efd, &one, sizeof(one));
}

/* The tracer: handle the calls passed to it, in the order received. */
static void
policy_linux_passed_run(struct policy_sup *s)
{
	struct policy_linux_passed *p, *next;
	uint64_t v;

	(void)!read(srv.efd, &v, sizeof(v));
	pthread_mutex_lock(&srv.lock);
	p = srv.head;
	srv.head = NULL;
	srv.tail = &srv.head;
	pthread_mutex_unlock(&srv.lock);
	for (; p != NULL; p = next) {
		next = p->p_next;
		/* reaped since (its caller killed) and its id reused? */
		if (policy_linux_gate_caller(s, p->p_notif.id, p->p_mark))
			policy_linux_dispatch(s, &p->p_notif);
		free(p);
	}
}

/* A notification received: handled here, on its own thread (it may ask),
 * or by the tracer. */
static void
policy_linux_take(struct policy_sup *s, const struct seccomp_notif *n,
    uint64_t mark)
{
	policy_linux_count_notified();
	if (n->data.arch == AUDIT_ARCH_X86_64)
		policy_linux_task_cwd_call((pid_t)n->pid, n->data.nr);
	if (policy_linux_offload(s, n, policy_linux_dispatch))
		return;
	if (!policy_linux_is_tracer() && policy_linux_needs_tracer(n))
		policy_linux_pass(s, n, mark);
	else
		policy_linux_dispatch(s, n);
}

/* Take the next notification into n (the receiver's wait, or the
 * tracer's after poll): false if none (errno says why). */
static bool
policy_linux_receive(struct policy_sup *s, struct seccomp_notif *n)
{
	memset(n, 0, s->s_sizes.seccomp_notif);
	return ioctl(s->s_listener, SECCOMP_IOCTL_NOTIF_RECV, n) == 0;
}

static void
policy_linux_rxstop_handler(int sig)
{
	(void)sig;	/* only there to interrupt the receive (no SA_RESTART) */
}

static void *
policy_linux_receiver(void *arg)
{
	struct policy_sup *s = arg;
	struct seccomp_notif *n = srv.rxbuf;
	struct pollfd pfd;
	uint64_t mark;
	sigset_t set;

	policy_linux_serve_thread(false);
	(void)unshare(CLONE_FS);	/* umask, set while creating: ours */
	sigemptyset(&set);
	sigaddset(&set, SIGRXSTOP);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	while (!__atomic_load_n(&srv.stop, __ATOMIC_ACQUIRE)) {
		mark = policy_linux_gate_mark();
		if (!policy_linux_receive(s, n)) {
			/* EINTR: told to end; ENOENT: its caller is gone */
			if (errno != EINTR && errno != ENOENT) {
				pfd.fd = s->s_listener;
				pfd.events = POLLIN;
				(void)poll(&pfd, 1, 100);
			}
			continue;
		}
		if (!policy_linux_gate_enter(s, n->id, mark))
			continue;	/* its caller is gone */
		policy_linux_take(s, n, mark);
		policy_linux_gate_leave();
	}
	return NULL;
}

/* Start the receiver, receiving into buf: 0, or -1 (the tracer receives
 * into it then). */
static int
policy_linux_receiver_start(struct policy_sup *s, struct seccomp_notif *buf)
{
	struct sigaction sa;
	pthread_attr_t attr;
	int r;

	if ((srv.efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC)) < 0)
		return -1;
	srv.rxbuf = buf;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = policy_linux_rxstop_handler;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGRXSTOP, &sa, NULL);
	srv.stop = 0;
	/* a new thread inherits our credentials: start it with our own */
	policy_linux_as_self(NULL);
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 1024 * 1024);
	r = pthread_create(&srv.rx, &attr, policy_linux_receiver, s);
	pthread_attr_destroy(&attr);
	if (r != 0) {
		close(srv.efd);
		srv.efd = -1;
		return -1;
	}
	return 0;
}

/*
 * Every confined task is gone: end the receiver's wait (which no
 * notification ends now), until it has ended: a signal sent just before
 * it enters the wait would be missed, so it is sent again.  A receiver
 * still busy then waits for an alarm (asked inline, its thread could not
 * be made): that is cancelled.
 */
static void
policy_linux_receiver_stop(struct policy_sup *s)
{
	struct timespec ts;
	int tries = 0;

	if (srv.efd < 0)
		return;
	__atomic_store_n(&srv.stop, 1, __ATOMIC_RELEASE);
	for (;; tries++) {
		if (tries == 1)
			policy_linux_ask_cancel(true);	/* re-armed by the drain */
		(void)pthread_kill(srv.rx, SIGRXSTOP);
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 10000000;		/* 10 ms */
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		if (pthread_timedjoin_np(srv.rx, NULL, &ts) == 0)
			break;
	}
	policy_linux_passed_run(s);	/* none: their callers are gone */
	close(srv.efd);
	srv.efd = -1;
}

int
policy_linux_serve(struct policy_sup *s)
{
	struct seccomp_notif *n;
	struct pollfd pfd[4];
	bool reap = true, done;

	if ((n = calloc(1, s->s_sizes.seccomp_notif + 64)) == NULL)
		return -1;
	policy_linux_serve_thread(true);
	policy_linux_trace_init();
	(void)policy_linux_task_stop(s->s_child, 0);
	(void)policy_linux_task_setpol(s->s_child, 0);
	policy_linux_task_cwd_enable(policy_linux_cwd_notified(s));
	/* without a receiver, the tracer receives */
	pfd[0].fd = policy_linux_receiver_start(s, n) == 0 ? -1 :
	    s->s_listener;
	pfd[0].events = POLLIN;
	pfd[1].fd = s->s_sigfd;
	pfd[1].events = POLLIN;
	pfd[2].fd = policy_linux_chdir_pollfd();	/* chdir from other threads */
	pfd[2].events = POLLIN;
	pfd[3].fd = srv.efd;				/* calls passed to us */
	pfd[3].events = POLLIN;
	for (;;) {
		/* ptrace stops and exits are reported by SIGCHLD */
		if (reap) {
			policy_linux_gate_close();
			done = policy_linux_reap(s);
			policy_linux_gate_open();
			if (done)
				break;
		}
		reap = false;
		if (poll(pfd, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[3].revents & POLLIN)
			policy_linux_passed_run(s);
		if (pfd[2].revents & POLLIN)
			policy_linux_chdir_queued(s);
		if ((pfd[1].revents & POLLIN) && policy_linux_signals(s))
			reap = true;
		if (pfd[0].revents & POLLIN) {
			/* nothing is reaped between this receipt and the
			 * call's handling */
			if (policy_linux_receive(s, n))
				policy_linux_take(s, n,
				    policy_linux_gate_mark());
		} else if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			pfd[0].fd = -1;		/* no filtered task left */
	}
	policy_linux_receiver_stop(s);
	policy_linux_offload_drain();	/* no call may outlive s */
	policy_linux_as_self(s);
	free(n);
	policy_linux_tasks_reset();
	return 0;
}
