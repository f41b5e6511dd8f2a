/* secmodel_policy_cred.c: per-credential policies kept as kauth key data: one reference per
 * credential, carried to copies (fork shares the credential), dropped when it is freed. */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/errno.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/proc.h>

#include "secmodel_policy.h"
#include "../../kern/sys_policy.h"

static kauth_key_t policy_key;
static kauth_listener_t policy_cred_listener;
static volatile unsigned policy_nlive;	/* policies not yet freed */
static volatile size_t policy_nbytes;	/* what they hold */

bool
policy_cred_confined(kauth_cred_t cred)
{
	if (cred == NOCRED || cred == FSCRED || policy_key == NULL)
		return false;
	return kauth_cred_getdata(cred, policy_key) != NULL;
}

/*
 * The caller holds cred, and cred holds a reference to its policy, so the
 * policy cannot go away under us: taking another reference is safe.
 */
struct policy_cred *
policy_cred_get(kauth_cred_t cred)
{
	struct policy_cred *pol;

	if (cred == NOCRED || cred == FSCRED || policy_key == NULL)
		return NULL;
	pol = kauth_cred_getdata(cred, policy_key);
	if (pol != NULL)
		atomic_inc_uint(&pol->pc_refcnt);
	return pol;
}

void
policy_cred_put(struct policy_cred *pol)
{
	if (atomic_dec_uint_nv(&pol->pc_refcnt) > 0)
		return;
	atomic_add_long((volatile unsigned long *)&policy_nbytes,
	    -(long)(pol->pc_size + sizeof(*pol)));
	kmem_free(pol->pc_blob, pol->pc_size);
	kmem_free(pol, sizeof(*pol));
	atomic_dec_uint(&policy_nlive);
}

unsigned
policy_cred_live(void)
{
	return policy_nlive;
}

/* Bytes held by live policies: their blobs and records. */
size_t
policy_cred_bytes(void)
{
	return policy_nbytes;
}

/* Takes ownership of blob (kmem_alloc'd, size bytes) on success. */
int
policy_cred_create(void *blob, size_t size, struct policy_cred **polp,
    char *err, size_t errlen)
{
	struct policy_cred *pol;

	pol = kmem_zalloc(sizeof(*pol), KM_SLEEP);
	if (policy_blob_validate(&pol->pc_policy, blob, size, err,
	    errlen) != 0) {
		kmem_free(pol, sizeof(*pol));
		return EINVAL;
	}
	pol->pc_blob = blob;
	pol->pc_size = size;
	pol->pc_refcnt = 1;
	atomic_add_long((volatile unsigned long *)&policy_nbytes,
	    (long)(size + sizeof(*pol)));
	atomic_inc_uint(&policy_nlive);
	*polp = pol;
	return 0;
}

/*
 * Give the calling process a new credential that carries pol (the
 * caller's reference becomes the credential's).  A confined process
 * cannot change or drop its policy: EBUSY.
 */
int
policy_cred_confine(struct lwp *l, struct policy_cred *pol)
{
	struct proc *p = l->l_proc;
	kauth_cred_t ncred, ocred;

	ncred = kauth_cred_alloc();
	proc_crmod_enter();
	ocred = p->p_cred;
	if (kauth_cred_getdata(ocred, policy_key) != NULL) {
		proc_crmod_leave(ocred, ncred, false);
		return EBUSY;
	}
	kauth_cred_clone(ocred, ncred);
	kauth_cred_setdata(ncred, policy_key, pol);
	proc_crmod_leave(ncred, ocred, false);
	return 0;
}

/*
 * Credential life cycle.  fork shares the parent's credential (no new
 * reference is needed); a copy (dup, clone: setuid, setgroups, ...)
 * carries the policy and takes a reference; free drops it.
 */
static int
policy_cred_cb(kauth_cred_t cred, kauth_action_t action, void *cookie,
    void *arg0, void *arg1, void *arg2, void *arg3)
{
	struct policy_cred *pol;

	switch (action) {
	case KAUTH_CRED_COPY:
		if ((pol = kauth_cred_getdata(cred, policy_key)) != NULL) {
			atomic_inc_uint(&pol->pc_refcnt);
			kauth_cred_setdata(arg0, policy_key, pol);
		}
		break;
	case KAUTH_CRED_FORK:
		/* A confined process's child runs under a shadow too. */
		if (kauth_cred_getdata(cred, policy_key) != NULL)
			policy_gate_fork(arg1);
		break;
	case KAUTH_CRED_FREE:
		if ((pol = kauth_cred_getdata(cred, policy_key)) != NULL) {
			kauth_cred_setdata(cred, policy_key, NULL);
			policy_cred_put(pol);
		}
		break;
	default:
		break;
	}
	/* A notification scope: listeners must not refuse. */
	return KAUTH_RESULT_ALLOW;
}

int
policy_cred_init(secmodel_t sm)
{
	int error;

	if ((error = kauth_register_key(sm, &policy_key)) != 0)
		return error;
	policy_cred_listener = kauth_listen_scope(KAUTH_SCOPE_CRED,
	    policy_cred_cb, NULL);
	if (policy_cred_listener == NULL) {
		kauth_deregister_key(policy_key);
		policy_key = NULL;
		return ENOMEM;
	}
	return 0;
}

void
policy_cred_fini(void)
{
	KASSERT(policy_nlive == 0);
	kauth_unlisten_scope(policy_cred_listener);
	kauth_deregister_key(policy_key);
	policy_key = NULL;
}
