/* sys_policy.c: the per-call context of the policy system-call wrappers and the decision;
 * the socket calls (decided on a copied sockaddr, done with it; listen) and the integer-only calls. */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/proc.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/syscallvar.h>
#include <sys/uio.h>

#include "sys_policy.h"
#include "../secmodel/policy/secmodel_policy.h"

/* ------------------------------------------------------------------ */
/* The per-call context and the decision                              */

bool
policy_lwp_confined(struct lwp *l)
{
	return policy_cred_confined(l->l_cred);
}

struct policy_call *
policy_call_begin(struct lwp *l, unsigned op)
{
	struct policy_call *pc;

	pc = kmem_alloc(sizeof(*pc), KM_SLEEP);
	pc->pc_l = l;
	pc->pc_pol = policy_cred_get(l->l_cred);
	memset(&pc->pc_req, 0, offsetof(struct policy_request, pr_filename));
	pc->pc_req.pr_op = (uint16_t)op;
	pc->pc_req.pr_emul = (uint8_t)policy_gate_emul(l);
	pc->pc_argc = 0;
	pc->pc_dec.pd_rule = POLICY_NONE;
	return pc;
}

void
policy_call_end(struct policy_call *pc)
{
	if (pc->pc_pol != NULL)
		policy_cred_put(pc->pc_pol);
	kmem_free(pc, sizeof(*pc));
}

/* 0 to go ahead, else the errno the call fails with. */
int
policy_call_decide(struct policy_call *pc)
{
	if (pc->pc_pol == NULL)
		return 0;
	return policy_decide(pc->pc_l, pc->pc_pol, &pc->pc_req, &pc->pc_dec);
}

/* A call that cannot be decided exactly: denied whatever the rules say. */
int
policy_call_refuse(struct policy_call *pc, const char *why)
{
	if (pc->pc_pol == NULL)
		return 0;
	return policy_refuse(pc->pc_l, pc->pc_pol, &pc->pc_req, why);
}

/* A call decided by a name of its own (a Linux form that is another call). */
int
policy_call_byname(struct lwp *l, const char *name)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_SYSCALL);
	int error;

	policy_req_str(&pc->pc_req, POLICY_F_SYSCALL, name, strlen(name));
	error = policy_call_decide(pc);
	policy_call_end(pc);
	return error;
}

/*
 * The emulation's own handler of the current call, for calls decided on
 * integers (uap is already the kernel's copy of them) and for exec: the
 * gate left the emulation's slot in l_sysent.
 */
int
policy_call_orig(struct lwp *l, const void *uap, register_t *retval)
{
	return (*l->l_sysent->sy_call)(l, uap, retval);
}

/* ------------------------------------------------------------------ */
/* Sockets: decide on the copied sockaddr, act on it                  */

/* sendto and sendmsg look the socket up before anything else: so do we. */
int
policy_sock_check(int s)
{
	struct socket *so;
	int error;

	if ((error = fd_getsock(s, &so)) == 0)
		fd_putfile(s);
	return error;
}

int
policy_core_connect(struct policy_call *pc, int s)
{
	struct vnode *pin;
	int error;

	if ((error = policy_vfs_sockpath(pc, false, &pin)) == 0 &&
	    (error = policy_call_decide(pc)) == 0)
		error = do_sys_connect(pc->pc_l, s,
		    (struct sockaddr *)&pc->pc_sa);
	policy_vfs_sockdone(pin);
	return error;
}

int
policy_core_bind(struct policy_call *pc, int s)
{
	struct vnode *pin;
	int error;

	if ((error = policy_vfs_sockpath(pc, true, &pin)) == 0 &&
	    (error = policy_call_decide(pc)) == 0)
		error = do_sys_bind(pc->pc_l, s, (struct sockaddr *)&pc->pc_sa);
	policy_vfs_sockdone(pin);
	return error;
}

/* The decided sockaddr, in an mbuf, for do_sys_sendmsg (MSG_NAMEMBUF). */
CTASSERT(UINT8_MAX <= MLEN);	/* sb_len always fits */
static int
policy_sa_mbuf(const struct policy_call *pc, struct mbuf **mp)
{
	struct mbuf *m;

	m = m_get(M_WAIT, MT_SONAME);
	memcpy(mtod(m, void *), &pc->pc_sa, pc->pc_sa.sb_len);
	m->m_len = pc->pc_sa.sb_len;
	*mp = m;
	return 0;
}

/* sendmsg with *msg a kernel msghdr whose msg_name the caller decided on. */
int
policy_core_sendmsg(struct policy_call *pc, int s, struct msghdr *msg,
    int flags, register_t *retval)
{
	struct vnode *pin;
	struct mbuf *m;
	int error;

	if ((error = policy_vfs_sockpath(pc, false, &pin)) == 0 &&
	    (error = policy_call_decide(pc)) == 0 &&
	    (error = policy_sa_mbuf(pc, &m)) == 0) {
		msg->msg_name = m;
		msg->msg_namelen = pc->pc_sa.sb_len;
		msg->msg_flags |= MSG_NAMEMBUF;
		error = do_sys_sendmsg(pc->pc_l, s, msg, flags, retval);
	}
	policy_vfs_sockdone(pin);
	return error;
}

int
policy_core_sendto(struct policy_call *pc, int s, const void *ubuf,
    size_t len, int flags, register_t *retval)
{
	struct msghdr msg;
	struct iovec iov;

	iov.iov_base = __UNCONST(ubuf);
	iov.iov_len = len;
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	return policy_core_sendmsg(pc, s, &msg, flags & MSG_USERFLAGS, retval);
}

/*
 * listen(2) of a socket bound to nothing binds it first (in_pcbbind, to
 * the wildcard address and a port of the kernel's choosing): a server no
 * bind was asked for.  The kernel asks kauth about that bind as about the
 * one a connect or a send makes (port 0), which the secmodel leaves alone;
 * while this lwp is in listen it decides it as a bind (of "inet-0.0.0.0:0"
 * or "inet6-[::]:0"), inside the very call, on the socket that listens.
 */
int
policy_core_listen(struct lwp *l, sy_call_t *fn, const void *uap,
    register_t *retval)
{
	int error;

	policy_listen_begin();
	error = (*fn)(l, uap, retval);
	policy_listen_end();
	return error;
}

/*
 * A send with no address goes where the socket is connected: decided as
 * op with the sockaddr field absent (rules on sockaddr do not match it).
 */
int
policy_core_send_noaddr(struct lwp *l, unsigned op)
{
	struct policy_call *pc = policy_call_begin(l, op);
	int error = policy_call_decide(pc);

	policy_call_end(pc);
	return error;
}

/* ------------------------------------------------------------------ */
/* Integer-only calls: decided on their (kernel) arguments            */

int
policy_core_socket(struct lwp *l, int domain, int type, int protocol)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_SOCKET);
	int error;

	policy_req_int(&pc->pc_req, POLICY_F_DOMAIN, policy_req_domain(domain));
	policy_req_int(&pc->pc_req, POLICY_F_TYPE, policy_req_socktype(type));
	policy_req_int(&pc->pc_req, POLICY_F_PROTOCOL, protocol);
	error = policy_call_decide(pc);
	policy_call_end(pc);
	return error;
}

int
policy_core_kill(struct lwp *l, pid_t pid, int signo)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_KILL);
	int error;

	policy_req_int(&pc->pc_req, POLICY_F_PID, pid);
	policy_req_int(&pc->pc_req, POLICY_F_SIGNAL, policy_signal_portable(signo));
	error = policy_call_decide(pc);
	policy_call_end(pc);
	return error;
}

int
policy_core_ptrace(struct lwp *l, int req, pid_t pid)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_PTRACE);
	int error;

	policy_req_int(&pc->pc_req, POLICY_F_REQUEST, req);
	policy_req_int(&pc->pc_req, POLICY_F_PID, pid);
	error = policy_call_decide(pc);
	policy_call_end(pc);
	return error;
}
