/* secmodel_policy.c: the policy secmodel itself: registration, the decision entry point
 * the wrappers call, kauth listeners as a second line, and the module(9) glue. */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/lwp.h>
#include <sys/module.h>
#include <sys/proc.h>
#include <sys/sdt.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/syslog.h>
#include <netinet/in.h>

#include "secmodel_policy.h"
#include "../../kern/sys_policy.h"

SDT_PROVIDER_DEFINE(policy);
SDT_PROBE_DEFINE3(policy, , decide, done, "struct policy_request *",
    "uint32_t", "int");

static secmodel_t policy_sm;
volatile uint64_t policy_ndecided, policy_nrefused;
static kauth_listener_t policy_l_process, policy_l_network, policy_l_vnode;
static specificdata_key_t policy_pin_key, policy_listen_key;
static volatile unsigned policy_npinned;

static void
policy_log(struct lwp *l, const struct policy_request *req, int error,
    const char *why)
{
	const char *op = policy_name_of(policy_op_names, req->pr_op);
	bool path = (req->pr_present & (1u << POLICY_F_FILENAME)) != 0;
	bool name = req->pr_op == POLICY_OP_SYSCALL &&
	    (req->pr_present & (1u << POLICY_F_SYSCALL)) != 0;

	log(LOG_NOTICE, "policy: pid %d (%s): %s %s%s%s%s (%s)\n",
	    l->l_proc->p_pid, l->l_proc->p_comm, error == 0 ? "permit" : "deny",
	    op != NULL ? op : "?", path || name ? " \"" : "",
	    path ? req->pr_filename : name ? req->pr_syscall : "",
	    path || name ? "\"" : "", why);
}

/*
 * Decide a request built from kernel copies: 0 to go ahead, or the errno
 * the call fails with.  "ask" sleeps until policyd answers.
 */
int
policy_decide(struct lwp *l, struct policy_cred *pol,
    struct policy_request *req, struct policy_decision *dp)
{
	struct policy_decision d;
	int error, deny;

	policy_eval(&pol->pc_policy, req, &d);
	atomic_inc_64(&policy_ndecided);
	switch (d.pd_action) {
	case POLICY_ACT_PERMIT:
		error = 0;
		break;
	case POLICY_ACT_ASK:
		error = policy_alarm_ask(l, pol, req, &d, &deny);
		break;
	default:
		error = d.pd_errno != 0 ? d.pd_errno : EPERM;
		break;
	}
	if (d.pd_log) {
		char why[32];

		snprintf(why, sizeof(why), "line %u", d.pd_line);
		policy_log(l, req, error, why);
	}
	SDT_PROBE3(policy, , decide, done, req, d.pd_rule, error);
	if (dp != NULL)
		*dp = d;
	return error;
}

/*
 * A call the policy cannot decide exactly (it names an object no wrapper
 * copies in): refused with the policy's errno whatever its rules say, and
 * logged as the policy logs denials.
 */
int
policy_refuse(struct lwp *l, struct policy_cred *pol,
    struct policy_request *req, const char *why)
{
	const struct policy_blob_header *h = pol->pc_policy.p_hdr;
	int error = policy_errno_native(h->ph_default_errno);

	atomic_inc_64(&policy_nrefused);

	if (h->ph_log != POLICY_LOG_NONE)
		policy_log(l, req, error, why);
	SDT_PROBE3(policy, , decide, done, req, POLICY_NONE, error);
	return error;
}

/*
 * Second line: paths into signals, ptrace, socket creation and binding
 * that no wrapper covers are decided here too.  Only ever DENY or DEFER
 * (a policy never grants what another secmodel refuses); "ask" defers, as
 * the wrappers are where asking happens.  The request is allocated without
 * sleeping (callers may hold locks); if that fails, deny.
 */
static int
policy_second_line(kauth_cred_t cred, struct policy_request **reqp,
    struct policy_cred **polp, unsigned op)
{
	if ((*polp = policy_cred_get(cred)) == NULL)
		return KAUTH_RESULT_DEFER;
	*reqp = kmem_zalloc(sizeof(**reqp), KM_NOSLEEP);
	if (*reqp == NULL) {
		policy_cred_put(*polp);
		return KAUTH_RESULT_DENY;
	}
	(*reqp)->pr_op = (uint16_t)op;
	(*reqp)->pr_emul = POLICY_EMUL_NATIVE;
	return -1;
}

static int
policy_second_decide(struct policy_cred *pol, struct policy_request *req)
{
	struct policy_decision d;

	policy_eval(&pol->pc_policy, req, &d);
	kmem_free(req, sizeof(*req));
	policy_cred_put(pol);
	return d.pd_action == POLICY_ACT_DENY ? KAUTH_RESULT_DENY :
	    KAUTH_RESULT_DEFER;
}

static int
policy_process_cb(kauth_cred_t cred, kauth_action_t action, void *cookie,
    void *arg0, void *arg1, void *arg2, void *arg3)
{
	struct proc *p = arg0;
	struct policy_request *req;
	struct policy_cred *pol;
	int r;

	if (action != KAUTH_PROCESS_SIGNAL && action != KAUTH_PROCESS_PTRACE)
		return KAUTH_RESULT_DEFER;
	r = policy_second_line(cred, &req, &pol, action == KAUTH_PROCESS_SIGNAL ?
	    POLICY_OP_KILL : POLICY_OP_PTRACE);
	if (r >= 0)
		return r;
	policy_req_int(req, POLICY_F_PID, p != NULL ? p->p_pid : -1);
	if (action == KAUTH_PROCESS_SIGNAL)
		policy_req_int(req, POLICY_F_SIGNAL,
		    policy_signal_portable((int)(uintptr_t)arg1));
	else
		policy_req_int(req, POLICY_F_REQUEST, (int)(uintptr_t)arg1);
	return policy_second_decide(pol, req);
}

static bool
policy_autobind(const struct sockaddr *sa)
{
	const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
	const struct sockaddr_in6 *sin6 = (const struct sockaddr_in6 *)sa;

	switch (sa->sa_family) {
	case AF_INET:
		return sa->sa_len >= sizeof(*sin) && sin->sin_port == 0;
	case AF_INET6:
		return sa->sa_len >= sizeof(*sin6) && sin6->sin6_port == 0;
	default:
		return false;
	}
}

static int
policy_network_cb(kauth_cred_t cred, kauth_action_t action, void *cookie,
    void *arg0, void *arg1, void *arg2, void *arg3)
{
	enum kauth_network_req req0 = (enum kauth_network_req)(uintptr_t)arg0;
	const struct sockaddr *sa = arg2;
	struct policy_request *req;
	struct policy_cred *pol;
	int r;

	if (action == KAUTH_NETWORK_SOCKET &&
	    req0 == KAUTH_REQ_NETWORK_SOCKET_OPEN) {
		r = policy_second_line(cred, &req, &pol, POLICY_OP_SOCKET);
		if (r >= 0)
			return r;
		policy_req_int(req, POLICY_F_DOMAIN,
		    policy_req_domain((int)(uintptr_t)arg1));
		policy_req_int(req, POLICY_F_TYPE,
		    policy_req_socktype((int)(uintptr_t)arg2));
		policy_req_int(req, POLICY_F_PROTOCOL, (int)(uintptr_t)arg3);
		return policy_second_decide(pol, req);
	}
	/*
	 * The kernel binds an unbound socket to a port of its choosing when it
	 * connects or sends, and says so as a bind to port 0: that is not a
	 * bind the process made (bind(2) itself is decided by its wrapper).
	 * When it listens, it is: a server on every address
	 * (policy_core_listen).
	 */
	if (action == KAUTH_NETWORK_BIND && sa != NULL &&
	    (!policy_autobind(sa) ||
	    lwp_getspecific(policy_listen_key) != NULL)) {
		r = policy_second_line(cred, &req, &pol, POLICY_OP_BIND);
		if (r >= 0)
			return r;
		if (policy_req_sockaddr_fmt(req, sa, sa->sa_len) != 0) {
			kmem_free(req, sizeof(*req));
			policy_cred_put(pol);
			return KAUTH_RESULT_DENY;
		}
		return policy_second_decide(pol, req);
	}
	return KAUTH_RESULT_DEFER;
}

/*
 * A vnode the current call has decided on, while the socket layer looks
 * its name up again: any other vnode it would write to (connect to a
 * socket, create a name in a directory) is refused, so that a path
 * changed between the two lookups reaches nothing the decision did not
 * see.  The caller holds a reference to vp.
 */
void
policy_pin_vnode(struct vnode *vp)
{
	lwp_setspecific(policy_pin_key, vp);
	atomic_inc_uint(&policy_npinned);
}

void
policy_unpin_vnode(void)
{
	lwp_setspecific(policy_pin_key, NULL);
	atomic_dec_uint(&policy_npinned);
}

/* The current lwp is in listen(2), or no longer (policy_core_listen). */
void
policy_listen_begin(void)
{
	lwp_setspecific(policy_listen_key, &policy_listen_key);
}

void
policy_listen_end(void)
{
	lwp_setspecific(policy_listen_key, NULL);
}

static int
policy_vnode_cb(kauth_cred_t cred, kauth_action_t action, void *cookie,
    void *arg0, void *arg1, void *arg2, void *arg3)
{
	void *pin;

	if (policy_npinned == 0 || (action & KAUTH_VNODE_WRITE_DATA) == 0 ||
	    (pin = lwp_getspecific(policy_pin_key)) == NULL)
		return KAUTH_RESULT_DEFER;
	return pin == arg0 ? KAUTH_RESULT_DEFER : KAUTH_RESULT_DENY;
}

static int
policy_init(void)
{
	int error;

	error = secmodel_register(&policy_sm, SECMODEL_POLICY_ID,
	    SECMODEL_POLICY_NAME, NULL, NULL, NULL);
	if (error != 0)
		return error;
	if ((error = policy_cred_init(policy_sm)) != 0)
		goto fail_sm;
	policy_alarm_init();
	policy_l_process = kauth_listen_scope(KAUTH_SCOPE_PROCESS,
	    policy_process_cb, NULL);
	policy_l_network = kauth_listen_scope(KAUTH_SCOPE_NETWORK,
	    policy_network_cb, NULL);
	if ((error = lwp_specific_key_create(&policy_pin_key, NULL)) != 0)
		goto fail_key;
	if ((error = lwp_specific_key_create(&policy_listen_key, NULL)) != 0) {
		lwp_specific_key_delete(policy_pin_key);
		goto fail_key;
	}
	policy_l_vnode = kauth_listen_scope(KAUTH_SCOPE_VNODE,
	    policy_vnode_cb, NULL);
	policy_gate_init();
	if ((error = policy_dev_init()) != 0)
		goto fail_listen;
	return 0;
fail_listen:
	(void)policy_gate_fini();
	kauth_unlisten_scope(policy_l_vnode);
	lwp_specific_key_delete(policy_listen_key);
	lwp_specific_key_delete(policy_pin_key);
fail_key:
	kauth_unlisten_scope(policy_l_network);
	kauth_unlisten_scope(policy_l_process);
	policy_alarm_fini();
	policy_cred_fini();
fail_sm:
	(void)secmodel_deregister(policy_sm);
	return error;
}

/* Refused (EBUSY) while any process is confined or /dev/policy is open. */
static int
policy_fini(void)
{
	int error;

	/*
	 * Anything that holds a credential carrying a policy keeps it: a
	 * process, a socket still closing, and (until the kernel reuses or
	 * drains its cached structure) a closed file.
	 */
	if (policy_cred_live() > 0)
		return EBUSY;
	if ((error = policy_dev_fini()) != 0)
		return error;
	/* No device, so no new policy; but one may have been loaded meanwhile. */
	if (policy_cred_live() > 0) {
		(void)policy_dev_init();
		return EBUSY;
	}
	(void)policy_gate_fini();
	kauth_unlisten_scope(policy_l_vnode);
	lwp_specific_key_delete(policy_listen_key);
	lwp_specific_key_delete(policy_pin_key);
	kauth_unlisten_scope(policy_l_network);
	kauth_unlisten_scope(policy_l_process);
	policy_alarm_fini();
	policy_cred_fini();
	return secmodel_deregister(policy_sm);
}

/* Built with the compat wrappers, the module needs those emulations loaded. */
#ifndef POLICY_MODULE_REQUIRES
#define POLICY_MODULE_REQUIRES	NULL
#endif
MODULE(MODULE_CLASS_SECMODEL, secmodel_policy, POLICY_MODULE_REQUIRES);

static int
secmodel_policy_modcmd(modcmd_t cmd, void *arg)
{
	switch (cmd) {
	case MODULE_CMD_INIT:
		return policy_init();
	case MODULE_CMD_FINI:
		return policy_fini();
	default:
		return ENOTTY;
	}
}
