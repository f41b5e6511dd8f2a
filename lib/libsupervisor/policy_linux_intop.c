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
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "policy_linux.h"

#define ARG(i)	(c->c_args[i])

/* Is pid (a process or thread id, as the target passed it) the supervisor? */
static bool
policy_linux_targets_us(const struct policy_sup *s, int64_t pid)
{
	if (pid <= 0)
		return false;
	return pid == s->s_pid || policy_linux_tgid((pid_t)pid) == s->s_pid;
}

void
policy_linux_intop(struct policy_linux_call *c, unsigned op)
{
	const struct policy_sup *s = c->c_sup;
	const char *n = c->c_name;
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
		int si = strcmp(n, "tgkill") == 0 ? 2 : 1;

		policy_request_set_int(&c->c_req, POLICY_F_PID,
		    (int32_t)ARG(strcmp(n, "tgkill") == 0 ? 1 : 0));
		policy_request_set_int(&c->c_req, POLICY_F_SIGNAL,
		    policy_signal_portable((int)ARG(si)));
		break;
	}
	case POLICY_OP_PTRACE:
		policy_request_set_int(&c->c_req, POLICY_F_REQUEST, (int64_t)ARG(0));
		policy_request_set_int(&c->c_req, POLICY_F_PID, (int32_t)ARG(1));
		if (policy_linux_targets_us(s, (int32_t)ARG(1))) {
			policy_linux_note(c, "ptrace of the supervisor refused");
			policy_linux_reply(s, c->c_id, 0, EPERM);
			return;
		}
		break;
	case POLICY_OP_MOUNT:
	case POLICY_OP_UNMOUNT:
		/* Paths would have to be resolved and the mount made by us;
		 * only verdicts that do not depend on them are supported. */
		if (!policy_linux_op_constant(c->c_pol != NULL ? c->c_pol :
		    s->s_pol, op)) {
			policy_linux_note(c, "%s: rules with conditions are not "
			    "supported on Linux; denied", n);
			policy_linux_reply(s, c->c_id, 0, EPERM);
			return;
		}
		/* A mount moves whole trees to where other paths name them:
		 * under path rules, a move no check can follow. */
		if (op == POLICY_OP_MOUNT && !policy_move_free(c->c_pol !=
		    NULL ? c->c_pol : s->s_pol)) {
			policy_linux_note(c, "%s: the policy has path rules a "
			    "mount could move objects past; denied", n);
			policy_linux_reply(s, c->c_id, 0, EPERM);
			return;
		}
		break;
	default:
		if (strcmp(n, "process_vm_readv") == 0 ||
		    strcmp(n, "process_vm_writev") == 0 ||
		    strcmp(n, "pidfd_open") == 0 || strcmp(n, "kcmp") == 0) {
			if (policy_linux_targets_us(s, (int32_t)ARG(0)) ||
			    (n[0] == 'k' && policy_linux_targets_us(s,
			    (int32_t)ARG(1)))) {
				policy_linux_note(c, "%s of the supervisor "
				    "refused", n);
				policy_linux_reply(s, c->c_id, 0, EPERM);
				return;
			}
		} else if (strcmp(n, "perf_event_open") == 0 &&
		    policy_linux_targets_us(s, (int32_t)ARG(1))) {
			policy_linux_reply(s, c->c_id, 0, EPERM);
			return;
		}
		break;
	}
	if ((err = policy_linux_decide(c)) != 0)
		policy_linux_reply(s, c->c_id, 0, err);
	else
		policy_linux_continue(s, c->c_id);
}
