/* secmodel_policy_alarm.c: the queue of "ask" decisions: a confined thread sleeps
 * (interruptibly, with a timeout) until policyd answers through /dev/policy. */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/condvar.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mutex.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/queue.h>
#include <sys/select.h>

#include "secmodel_policy.h"

struct policy_pending {
	TAILQ_ENTRY(policy_pending) pp_entry;
	kcondvar_t		pp_cv;
	bool			pp_taken;	/* read by a daemon */
	const void		*pp_taker;	/* that daemon's file */
	bool			pp_answered;
	uint8_t			pp_action;
	uint16_t		pp_perrno;
	struct policy_alarm	pp_alarm;
};

int policy_ask_timeout_ms = 60 * 1000;

static kmutex_t policy_alarm_lock;
static kcondvar_t policy_alarm_cv;	/* daemons waiting for an alarm */
static struct selinfo policy_alarm_sel;
static TAILQ_HEAD(, policy_pending) policy_alarms;
static uint64_t policy_alarm_next;
static int policy_ndaemons;

void
policy_alarm_init(void)
{
	mutex_init(&policy_alarm_lock, MUTEX_DEFAULT, IPL_NONE);
	cv_init(&policy_alarm_cv, "policyrd");
	selinit(&policy_alarm_sel);
	TAILQ_INIT(&policy_alarms);
	policy_alarm_next = 1;
	policy_ndaemons = 0;
}

void
policy_alarm_fini(void)
{
	KASSERT(TAILQ_EMPTY(&policy_alarms));
	seldestroy(&policy_alarm_sel);
	cv_destroy(&policy_alarm_cv);
	mutex_destroy(&policy_alarm_lock);
}

/* The answer "deny, with the rule's errno" to a waiting call. */
static void
policy_alarm_deny(struct policy_pending *pp)
{
	if (pp->pp_answered)
		return;
	pp->pp_answered = true;
	pp->pp_action = POLICY_ACT_DENY;
	pp->pp_perrno = 0;
	cv_signal(&pp->pp_cv);
}

/*
 * A reader of alarms opens (delta 1) or closes (-1) its file who.  A
 * daemon that goes away answers what it read with deny; the last one
 * answers everything pending so: no one is left to answer.
 */
void
policy_alarm_daemon(const void *who, int delta)
{
	struct policy_pending *pp;

	mutex_enter(&policy_alarm_lock);
	policy_ndaemons += delta;
	if (delta < 0)
		TAILQ_FOREACH(pp, &policy_alarms, pp_entry)
			if (pp->pp_taker == who || policy_ndaemons == 0)
				policy_alarm_deny(pp);
	mutex_exit(&policy_alarm_lock);
}

/* Root sees every alarm; anyone else the alarms of processes of its uid. */
static bool
policy_alarm_visible(kauth_cred_t cred, const struct policy_pending *pp)
{
	uid_t u = kauth_cred_geteuid(cred);

	return u == 0 || u == pp->pp_alarm.pa_uid;
}

static void
policy_alarm_fill(struct policy_alarm *a, struct lwp *l,
    const struct policy_cred *pol, const struct policy_request *req,
    const struct policy_decision *d)
{
	const struct policy *p = &pol->pc_policy;
	const struct policy_blob_header *h = p->p_hdr;
	const struct policy_ref src = h->ph_source.len > 0 ? h->ph_source :
	    h->ph_name;

	a->pa_pid = l->l_proc->p_pid;
	a->pa_uid = kauth_cred_geteuid(l->l_cred);
	a->pa_rule = d->pd_rule;
	a->pa_line = d->pd_line;
	strlcpy(a->pa_program, policy_str(p, h->ph_program),
	    sizeof(a->pa_program));
	strlcpy(a->pa_policy, policy_str(p, src), sizeof(a->pa_policy));
	memcpy(&a->pa_req, req, sizeof(*req));
}

/*
 * An "ask" decision: 0 if policyd permits, the errno to fail with if it
 * denies or does not answer in time (or none runs), EINTR/ERESTART if a
 * signal interrupts the wait (the call then did nothing).
 */
int
policy_alarm_ask(struct lwp *l, struct policy_cred *pol,
    const struct policy_request *req, const struct policy_decision *d,
    int *errnop)
{
	struct policy_pending *pp;
	int error, ticks = mstohz(policy_ask_timeout_ms);

	*errnop = d->pd_errno != 0 ? d->pd_errno : EPERM;
	pp = kmem_zalloc(sizeof(*pp), KM_SLEEP);
	policy_alarm_fill(&pp->pp_alarm, l, pol, req, d);
	cv_init(&pp->pp_cv, "policyask");

	mutex_enter(&policy_alarm_lock);
	if (policy_ndaemons == 0) {
		mutex_exit(&policy_alarm_lock);
		error = *errnop;	/* no one can answer */
		goto out;
	}
	pp->pp_alarm.pa_id = policy_alarm_next++;
	TAILQ_INSERT_TAIL(&policy_alarms, pp, pp_entry);
	cv_broadcast(&policy_alarm_cv);
	selnotify(&policy_alarm_sel, POLLIN | POLLRDNORM, 0);
	error = 0;
	while (!pp->pp_answered && error == 0)
		error = cv_timedwait_sig(&pp->pp_cv, &policy_alarm_lock,
		    ticks > 0 ? ticks : 1);
	TAILQ_REMOVE(&policy_alarms, pp, pp_entry);
	if (pp->pp_answered) {
		if (pp->pp_action == POLICY_ACT_PERMIT)
			error = 0;
		else if (pp->pp_perrno != 0)
			error = policy_errno_native(pp->pp_perrno);
		else
			error = *errnop;
	} else if (error == EWOULDBLOCK)
		error = *errnop;	/* timed out: deny */
	mutex_exit(&policy_alarm_lock);
out:
	cv_destroy(&pp->pp_cv);
	kmem_free(pp, sizeof(*pp));
	return error;
}

/* The oldest alarm this reader may see and no one has read yet. */
int
policy_alarm_take(kauth_cred_t cred, const void *who, bool wait,
    struct policy_alarm *out)
{
	struct policy_pending *pp;
	int error = 0;

	mutex_enter(&policy_alarm_lock);
	for (;;) {
		TAILQ_FOREACH(pp, &policy_alarms, pp_entry)
			if (!pp->pp_taken && policy_alarm_visible(cred, pp))
				break;
		if (pp != NULL) {
			pp->pp_taken = true;
			pp->pp_taker = who;
			memcpy(out, &pp->pp_alarm, sizeof(*out));
			break;
		}
		if (!wait) {
			error = EAGAIN;
			break;
		}
		if ((error = cv_wait_sig(&policy_alarm_cv,
		    &policy_alarm_lock)) != 0)
			break;
	}
	mutex_exit(&policy_alarm_lock);
	return error;
}

/* ESRCH for an id that is not (or no longer, or not to this reader) pending. */
int
policy_alarm_answer(kauth_cred_t cred, const struct policy_answer *ans)
{
	struct policy_pending *pp;
	int error = ESRCH;

	if ((ans->pa_action != POLICY_ACT_PERMIT &&
	    ans->pa_action != POLICY_ACT_DENY) ||
	    ans->pa_scope > POLICY_ANSWER_ALWAYS ||
	    ans->pa_errno > policy_nerrno)
		return EINVAL;
	mutex_enter(&policy_alarm_lock);
	TAILQ_FOREACH(pp, &policy_alarms, pp_entry) {
		if (pp->pp_alarm.pa_id != ans->pa_id ||
		    !policy_alarm_visible(cred, pp))
			continue;
		if (pp->pp_answered) {
			error = EALREADY;
			break;
		}
		pp->pp_answered = true;
		pp->pp_action = ans->pa_action;
		pp->pp_perrno = ans->pa_errno;
		cv_signal(&pp->pp_cv);
		error = 0;
		break;
	}
	mutex_exit(&policy_alarm_lock);
	return error;
}

/* poll(2): true if an alarm is waiting for this reader, else record l. */
bool
policy_alarm_poll(kauth_cred_t cred, struct lwp *l)
{
	struct policy_pending *pp;

	mutex_enter(&policy_alarm_lock);
	TAILQ_FOREACH(pp, &policy_alarms, pp_entry)
		if (!pp->pp_taken && policy_alarm_visible(cred, pp))
			break;
	if (pp == NULL)
		selrecord(l, &policy_alarm_sel);
	mutex_exit(&policy_alarm_lock);
	return pp != NULL;
}
