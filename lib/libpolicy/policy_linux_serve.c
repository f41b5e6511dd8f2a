/* policy_linux_serve.c: the supervisor's event loop: seccomp notifications dispatched to
 * their handlers, and ptrace stops (fork, clone, exec, signals) of every confined task. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <linux/audit.h>

#include "policy_linux.h"

/* Tasks seen stopped at least once: a first stop of an unknown task is its
 * attach stop (resume it), a later one a group-stop (leave it stopped). */
struct policy_linux_tasks {
	pid_t	*t;
	size_t	cap, n;
};

static struct policy_linux_tasks policy_linux_tasks;

static size_t
policy_linux_slot(const struct policy_linux_tasks *ts, pid_t pid)
{
	size_t i = ((size_t)pid * 2654435761u) & (ts->cap - 1);

	while (ts->t[i] != 0 && ts->t[i] != pid)
		i = (i + 1) & (ts->cap - 1);
	return i;
}

static bool
policy_linux_task_known(pid_t pid)
{
	struct policy_linux_tasks *ts = &policy_linux_tasks;

	return ts->cap != 0 && ts->t[policy_linux_slot(ts, pid)] == pid;
}

static void
policy_linux_task_add(pid_t pid)
{
	struct policy_linux_tasks *ts = &policy_linux_tasks;
	size_t i;

	if ((ts->n + 1) * 2 > ts->cap) {
		struct policy_linux_tasks nt;

		nt.cap = ts->cap ? ts->cap * 2 : 64;
		nt.n = 0;
		if ((nt.t = calloc(nt.cap, sizeof(pid_t))) == NULL)
			return;
		for (i = 0; i < ts->cap; i++)
			if (ts->t[i] > 0) {
				nt.t[policy_linux_slot(&nt, ts->t[i])] = ts->t[i];
				nt.n++;
			}
		free(ts->t);
		*ts = nt;
	}
	i = policy_linux_slot(ts, pid);
	if (ts->t[i] == 0) {
		ts->t[i] = pid;
		ts->n++;
	}
}

/* Removal by rehashing the run after the slot (no tombstones). */
static void
policy_linux_task_del(pid_t pid)
{
	struct policy_linux_tasks *ts = &policy_linux_tasks;
	size_t i, j;

	if (ts->cap == 0 || ts->t[i = policy_linux_slot(ts, pid)] != pid)
		return;
	ts->t[i] = 0;
	ts->n--;
	for (j = (i + 1) & (ts->cap - 1); ts->t[j] != 0;
	    j = (j + 1) & (ts->cap - 1)) {
		pid_t p = ts->t[j];

		ts->t[j] = 0;
		ts->t[policy_linux_slot(ts, p)] = p;
	}
}

static void
policy_linux_tasks_reset(void)
{
	free(policy_linux_tasks.t);
	memset(&policy_linux_tasks, 0, sizeof(policy_linux_tasks));
}

static void
policy_linux_dispatch(struct policy_sup *s, const struct seccomp_notif *n)
{
	struct policy_linux_call c;
	int op, i;

	memset(&c, 0, sizeof(c));
	c.c_sup = s;
	c.c_id = n->id;
	c.c_tid = (pid_t)n->pid;
	c.c_nr = n->data.nr;
	for (i = 0; i < 6; i++)
		c.c_args[i] = n->data.args[i];
	c.c_name = policy_linux_syscall_name(c.c_nr);
	op = n->data.arch == AUDIT_ARCH_X86_64 ?
	    policy_linux_syscall_op(c.c_nr) : POLICY_OP_NONE;
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
}

/* Handle every pending ptrace stop and exit.  Returns true when no traced
 * task is left. */
static bool
policy_linux_reap(struct policy_sup *s)
{
	for (;;) {
		int st, sig, ev;
		unsigned long msg;
		pid_t pid = waitpid(-1, &st, __WALL | WNOHANG);

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
			policy_linux_task_del(pid);
			policy_linux_exec_forget(s, pid);
			continue;
		}
		if (!WIFSTOPPED(st))
			continue;
		sig = WSTOPSIG(st);
		ev = (unsigned)st >> 16;
		switch (ev) {
		case PTRACE_EVENT_EXEC:
			msg = 0;
			(void)ptrace(PTRACE_GETEVENTMSG, pid, 0, &msg);
			if ((pid_t)msg != pid) {
				policy_linux_task_del((pid_t)msg);
				policy_linux_task_add(pid);
			}
			policy_linux_exec_event(s, pid, (pid_t)msg);
			(void)ptrace(PTRACE_CONT, pid, 0, 0);
			break;
		case PTRACE_EVENT_FORK: case PTRACE_EVENT_VFORK:
		case PTRACE_EVENT_CLONE:
			policy_linux_task_add(pid);
			(void)ptrace(PTRACE_CONT, pid, 0, 0);
			break;
		case PTRACE_EVENT_STOP:
			if (policy_linux_task_known(pid) && (sig == SIGSTOP ||
			    sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU))
				(void)ptrace(PTRACE_LISTEN, pid, 0, 0);
			else {
				policy_linux_task_add(pid);
				(void)ptrace(PTRACE_CONT, pid, 0, 0);
			}
			break;
		default:
			/* signal-delivery-stop: deliver it */
			policy_linux_task_add(pid);
			(void)ptrace(PTRACE_CONT, pid, 0, (void *)(long)sig);
			break;
		}
	}
}

static void
policy_linux_signals(struct policy_sup *s)
{
	struct signalfd_siginfo si;

	while (read(s->s_sigfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
		switch (si.ssi_signo) {
		case SIGTERM: case SIGHUP:
			/* pass on to the program; we end when it does */
			if (!s->s_child_done)
				kill(s->s_child, (int)si.ssi_signo);
			break;
		default:
			/* SIGCHLD: reaped by the loop.  SIGINT and SIGQUIT
			 * from the terminal reached the program too. */
			break;
		}
	}
}

int
policy_linux_serve(struct policy_sup *s)
{
	struct seccomp_notif *n;
	struct pollfd pfd[2];

	if ((n = calloc(1, s->s_sizes.seccomp_notif + 64)) == NULL)
		return -1;
	policy_linux_task_add(s->s_child);
	pfd[0].fd = s->s_listener;
	pfd[0].events = POLLIN;
	pfd[1].fd = s->s_sigfd;
	pfd[1].events = POLLIN;
	for (;;) {
		if (policy_linux_reap(s))
			break;
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pfd[1].revents & POLLIN)
			policy_linux_signals(s);
		if (pfd[0].revents & POLLIN) {
			memset(n, 0, s->s_sizes.seccomp_notif);
			if (ioctl(s->s_listener, SECCOMP_IOCTL_NOTIF_RECV, n) == 0)
				policy_linux_dispatch(s, n);
		} else if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))
			pfd[0].fd = -1;		/* no filtered task left */
	}
	free(n);
	policy_linux_tasks_reset();
	return 0;
}
