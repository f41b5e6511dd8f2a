/* policy_linux_execrec.c: the execs the policy permitted and let through, recorded per
 * thread until its exec event checks the image that runs against the record. */
/*
 * An execve decided on an offloaded thread (policy_linux_offload.c) adds
 * its record while the tracer takes others at their exec events, so
 * the list is locked; a record is taken out whole and checked unlocked.
 */
#include <pthread.h>
#include <stdlib.h>

#include "policy_linux.h"

static pthread_mutex_t execrec_lock = PTHREAD_MUTEX_INITIALIZER;

/* Unlink tid's record from the list: it, or NULL.  Lock held. */
static struct policy_linux_exec *
policy_linux_exec_unlink(struct policy_sup *s, pid_t tid)
{
	struct policy_linux_exec **pp, *e;

	for (pp = &s->s_execs; *pp != NULL; pp = &(*pp)->pe_next)
		if ((*pp)->pe_tid == tid) {
			e = *pp;
			*pp = e->pe_next;
			e->pe_next = NULL;
			return e;
		}
	return NULL;
}

void
policy_linux_exec_free(struct policy_linux_exec *e)
{
	if (e == NULL)
		return;
	free(e->pe_argv);
	free(e->pe_script);
	free(e);
}

/* Record e for its thread, in place of an earlier record of it. */
void
policy_linux_exec_add(struct policy_sup *s, struct policy_linux_exec *e)
{
	struct policy_linux_exec *old;

	pthread_mutex_lock(&execrec_lock);
	old = policy_linux_exec_unlink(s, e->pe_tid);
	e->pe_next = s->s_execs;
	s->s_execs = e;
	pthread_mutex_unlock(&execrec_lock);
	policy_linux_exec_free(old);
}

/* tid's record, taken out of the list (the caller frees it), or NULL. */
struct policy_linux_exec *
policy_linux_exec_take(struct policy_sup *s, pid_t tid)
{
	struct policy_linux_exec *e;

	pthread_mutex_lock(&execrec_lock);
	e = policy_linux_exec_unlink(s, tid);
	pthread_mutex_unlock(&execrec_lock);
	return e;
}

void
policy_linux_exec_forget(struct policy_sup *s, pid_t tid)
{
	policy_linux_exec_free(policy_linux_exec_take(s, tid));
}

/* Is some execve let through and not yet seen at its exec event? */
bool
policy_linux_exec_pending(const struct policy_sup *s)
{
	bool r;

	pthread_mutex_lock(&execrec_lock);
	r = s->s_execs != NULL;
	pthread_mutex_unlock(&execrec_lock);
	return r;
}

/*
 * Is some execve let through and not yet seen at its exec event whose
 * image will run under a policy other than pol?
 */
bool
policy_linux_exec_switch_pending(const struct policy_sup *s, unsigned pol)
{
	const struct policy_linux_exec *e;
	bool r = false;

	pthread_mutex_lock(&execrec_lock);
	for (e = s->s_execs; e != NULL && !r; e = e->pe_next)
		r = e->pe_pol != pol;
	pthread_mutex_unlock(&execrec_lock);
	return r;
}
