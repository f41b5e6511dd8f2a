/* policy_linux_intop.c: calls decided on their integer arguments alone (socket, kill,
 * ptrace, mount, named syscalls) when the filter could not answer them in the kernel. */
/*
 * These decisions read nothing from the target's memory: the arguments are
 * the registers the kernel captured in the notification, which no other
 * thread can change.  A permitted call is therefore continued in the kernel
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE) exactly as it was checked.  They come
 * here rather than being answered in BPF when the verdict depends on an
 * argument, must be logged or asked, or names a pid that must not be ours.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>

#include "policy_linux.h"

#define ARG(i)	(c->c_args[i])
#ifndef PTRACE_O_SUSPEND_SECCOMP
#define PTRACE_O_SUSPEND_SECCOMP	(1 << 21)
#endif

/* Is pid a live process outside the confinement? */
static bool
policy_linux_outside(pid_t pid)
{
	/* alive: signalable, or not by us (another user's) */
	return pid > 0 && (kill(pid, 0) == 0 || errno == EPERM) &&
	    !policy_linux_confined(pid) &&
	    !policy_linux_confined(policy_linux_tgid(pid));
}

/*
 * A permitted ptrace request.  A task has one tracer, and every confined
 * task has the supervisor (exec verification, fork events): before a
 * confined program may trace a confined task, the supervisor detaches
 * from it (policy_linux_trace_handover).  This opens no way out: the tracee
 * keeps its filter; since Linux 4.8 seccomp runs after the syscall-entry
 * stop, so the filter sees registers as the tracer left them, there is no
 * ptrace stop between our answer and the call running, and a SECCOMP_RET_
 * TRACE stop (the program's own filter) makes the kernel run the filters
 * again; memory the tracer writes is memory we only ever read once.  What
 * is lost with the supervisor's tracing is refused instead: an exec the
 * policy must verify (policy_linux_trace.c), and tracing when several
 * policies are in use (a tracee's children must inherit its policy).
 * Tracing a process outside the confinement stays refused: its tracer
 * could make it do anything.
 */
/* Why the supervisor refuses this ptrace request whatever the policy says
 * (see above), or NULL. */
static const char *
policy_linux_ptrace_refused(const struct policy_linux_call *c)
{
	const struct policy_sup *s = c->c_sup;
	long req = (long)ARG(0);
	pid_t pid = (pid_t)(int32_t)ARG(1), ppid = 0, tgid;

	if (req == PTRACE_TRACEME) {
		char buf[2048];
		const char *p;

		if (policy_linux_status(c->c_tid, buf, sizeof(buf)) > 0 &&
		    (p = policy_linux_field(buf, "PPid:")) != NULL)
			ppid = (pid_t)strtol(p, NULL, 10);
		if (ppid <= 0 || ppid == s->s_pid ||
		    !policy_linux_confined(ppid))
			return "PTRACE_TRACEME: the parent is not a confined "
			    "process";
	} else if (req != PTRACE_ATTACH && req != PTRACE_SEIZE)
		return NULL;		/* to a tracee: the kernel checks it */
	else if (pid <= 0 || (kill(pid, 0) != 0 && errno == ESRCH))
		return NULL;		/* the kernel answers ESRCH */
	else if ((tgid = policy_linux_tgid(pid)) <= 0 ||
	    (!policy_linux_confined(pid) && !policy_linux_confined(tgid)))
		return "ptrace of a process outside the confinement: its "
		    "tracer could make it do anything";
	else if (tgid == policy_linux_tgid(c->c_tid))
		return NULL;		/* the kernel answers EPERM: its own */
	else if (!policy_linux_confined(pid))
		/* a thread of a confined process we never saw (started while
		 * another program traced it): nothing of ours to hand over */
		return "ptrace of an unknown thread of a confined process";
	if (s->s_npols > 1)
		return "ptrace: with several policies a traced process could "
		    "not be followed";
	return NULL;
}

/* A ptrace request the policy permitted and the supervisor did not refuse:
 * the kernel makes it, or the tracee is handed over. */
static void
policy_linux_intop_ptrace(struct policy_linux_call *c)
{
	const struct policy_sup *s = c->c_sup;
	long req = (long)ARG(0);
	pid_t pid = (pid_t)(int32_t)ARG(1);
	const char *why;
	int err;


	/* again: the tracee may have gone, its id taken, since */
	if ((why = policy_linux_ptrace_refused(c)) != NULL) {
		policy_linux_reply(s, c->c_id, 0,
		    policy_linux_refuse(c, EPERM, why));
		return;
	}
	if (req == PTRACE_TRACEME)
		pid = c->c_tid;
	else if ((req != PTRACE_ATTACH && req != PTRACE_SEIZE) ||
	    pid <= 0 || (kill(pid, 0) != 0 && errno == ESRCH) ||
	    policy_linux_tgid(pid) == policy_linux_tgid(c->c_tid)) {
		policy_linux_continue(s, c->c_id);
		return;
	}
	if ((err = policy_linux_trace_handover(c, pid,
	    req == PTRACE_TRACEME)) != 0)
		policy_linux_reply(s, c->c_id, 0, err);
}

void
policy_linux_intop(struct policy_linux_call *c, unsigned op)
{
	const struct policy_sup *s = c->c_sup;
	const char *n = c->c_name, *why = NULL;
	int err;

	/* the fchdir of a chdir being carried out (policy_linux_chdir.c) */
	if (op == POLICY_OP_SYSCALL && strcmp(n, "fchdir") == 0 &&
	    policy_linux_chdir_ours(c->c_tid, (int32_t)ARG(0))) {
		policy_linux_continue(s, c->c_id);
		return;
	}
	policy_linux_req(c, op);
	switch (op) {
	case POLICY_OP_SOCKET:
		policy_request_set_int(&c->c_req, POLICY_F_DOMAIN, (int)ARG(0));
		policy_request_set_int(&c->c_req, POLICY_F_TYPE,
		    (int)ARG(1) & ~(SOCK_NONBLOCK | SOCK_CLOEXEC));
		policy_request_set_int(&c->c_req, POLICY_F_PROTOCOL, (int)ARG(2));
		break;
	case POLICY_OP_KILL: {
		/* tgkill, rt_tgsigqueueinfo: (tgid, tid, sig); the others
		 * (pid, sig) */
		bool tg = strcmp(n, "tgkill") == 0 ||
		    strcmp(n, "rt_tgsigqueueinfo") == 0;
		int si = tg ? 2 : 1;

		policy_request_set_int(&c->c_req, POLICY_F_PID,
		    (int32_t)ARG(tg ? 1 : 0));
		/* no such signal: the kernel fails the call (EINVAL, or
		 * ESRCH first), signalling nothing; it reads only registers */
		if ((int64_t)(int32_t)ARG(si) < 0 || (int32_t)ARG(si) > 64) {
			policy_linux_continue(s, c->c_id);
			return;
		}
		policy_request_set_int(&c->c_req, POLICY_F_SIGNAL,
		    policy_signal_portable((int)ARG(si)));
		break;
	}
	case POLICY_OP_PTRACE:
		policy_request_set_int(&c->c_req, POLICY_F_REQUEST, (int64_t)ARG(0));
		policy_request_set_int(&c->c_req, POLICY_F_PID, (int32_t)ARG(1));
		if (policy_linux_is_us(s, (int32_t)ARG(1)))
			why = "ptrace of the supervisor";
		/* lifts seccomp from the tracee (the kernel refuses it to a
		 * filtered tracer too) */
		else if ((ARG(0) == PTRACE_SETOPTIONS ||
		    ARG(0) == PTRACE_SEIZE) &&
		    (ARG(3) & PTRACE_O_SUSPEND_SECCOMP))
			why = "PTRACE_O_SUSPEND_SECCOMP lifts the filter";
		else
			why = policy_linux_ptrace_refused(c);
		break;
	case POLICY_OP_MOUNT:
	case POLICY_OP_UNMOUNT:
		/* Paths would have to be resolved and the mount made by us;
		 * only verdicts that do not depend on them are supported. */
		if (!policy_linux_op_constant(c->c_pol != NULL ? c->c_pol :
		    s->s_pol, op))
			why = "mount and unmount rules with conditions are not "
			    "supported on Linux";
		/* A mount moves whole trees to where other paths name them:
		 * under path rules, a move no check can follow. */
		else if (op == POLICY_OP_MOUNT && !policy_move_free(c->c_pol !=
		    NULL ? c->c_pol : s->s_pol))
			why = "the policy has path rules a mount could move "
			    "objects past";
		break;
	default:
		if (strcmp(n, "process_vm_readv") == 0 ||
		    strcmp(n, "process_vm_writev") == 0 ||
		    strcmp(n, "pidfd_open") == 0 || strcmp(n, "kcmp") == 0) {
			if (policy_linux_is_us(s, (int32_t)ARG(0)) ||
			    (n[0] == 'k' && policy_linux_is_us(s,
			    (int32_t)ARG(1))))
				why = "a call on the supervisor";
			/* a process outside the confinement is out of
			 * reach: writing into it would make it do anything
			 * for us, its memory and (through a pidfd,
			 * pidfd_getfd) its descriptors hold what no
			 * decision covers.  A confined pid is not reused
			 * meanwhile: its task stays a zombie until this
			 * thread, its tracer, reaps it. */
			else if (n[0] != 'k' && policy_linux_outside(
			    (pid_t)(int32_t)ARG(0)))
				why = strcmp(n, "pidfd_open") == 0 ?
				    "pidfd_open of a process outside the "
				    "confinement (its descriptors, by "
				    "pidfd_getfd)" : strcmp(n,
				    "process_vm_writev") == 0 ?
				    "process_vm_writev to a process outside "
				    "the confinement" : "process_vm_readv of "
				    "a process outside the confinement";
		} else if (strcmp(n, "perf_event_open") == 0 &&
		    policy_linux_is_us(s, (int32_t)ARG(1)))
			why = "a call on the supervisor";
		/* its target is a descriptor, which another thread may
		 * point elsewhere after a check: kill rules decide pids */
		else if (strcmp(n, "pidfd_send_signal") == 0 &&
		    !policy_linux_op_constant(c->c_pol != NULL ? c->c_pol :
		    s->s_pol, POLICY_OP_KILL))
			why = "pidfd_send_signal under kill rules that test "
			    "the pid or signal";
		break;
	}
	if (why != NULL) {
		policy_linux_reply(s, c->c_id, 0,
		    policy_linux_refuse(c, EPERM, why));
		return;
	}
	if ((err = policy_linux_decide(c)) != 0)
		policy_linux_reply(s, c->c_id, 0, err);
	else if (op == POLICY_OP_PTRACE)
		policy_linux_intop_ptrace(c);
	else if (op == POLICY_OP_SYSCALL && ((strcmp(n, "prctl") == 0 &&
	    (int)ARG(0) == PR_SET_SECCOMP && ARG(1) == SECCOMP_MODE_STRICT) ||
	    (strcmp(n, "seccomp") == 0 &&
	    (unsigned)ARG(0) == SECCOMP_SET_MODE_STRICT))) {
		/* the kernel refuses strict mode over a filter: emulated */
		if (n[0] == 's' && (ARG(1) != 0 || ARG(2) != 0))
			policy_linux_reply(s, c->c_id, 0, EINVAL);
		else if ((err = policy_linux_strict(c)) != 0)
			policy_linux_reply(s, c->c_id, 0, err);
	} else
		policy_linux_continue(s, c->c_id);
}
