/* policy_linux_offload.c: a notification whose decision may ask (an ask rule for its
 * operation, or default ask) is handled on its own thread: a pending alarm blocks only it. */
/*
 * The serve loop hands such a call here before dispatching it; the whole
 * handler (copy, resolve, decide, act) then runs on a detached thread, and
 * the loop goes on serving every other call and ptrace stop of the target.
 * The thread unshares its fs attributes first, so the handler's umask()
 * (set to the target's while creating a file) is its own.  When the loop
 * ends (every confined task gone), it cancels the alarms still waiting
 * and drains the threads before the supervisor state they use goes away.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/eventfd.h>
#include <linux/audit.h>
#include <linux/seccomp.h>

#include "policy_linux.h"
#include "policy_interactive.h"

typedef void (*policy_linux_dispatch_fn)(struct policy_sup *,
    const struct seccomp_notif *);

struct policy_linux_offjob {
	struct policy_sup	*o_sup;
	policy_linux_dispatch_fn o_fn;
	struct seccomp_notif	o_notif;	/* s_sizes.seccomp_notif bytes */
};

static pthread_mutex_t off_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t off_cv = PTHREAD_COND_INITIALIZER;
static unsigned off_inflight;
static int off_cancelfd = -1;

/* Per policy: bit op set when a request of op may be asked. */
static const struct policy *off_pol;
static uint32_t off_askmask;

int
policy_linux_offload_cancelfd(void)
{
	pthread_mutex_lock(&off_lock);
	if (off_cancelfd < 0)
		off_cancelfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	pthread_mutex_unlock(&off_lock);
	return off_cancelfd;
}

static uint32_t
policy_linux_askmask(const struct policy *p)
{
	uint32_t m = 0, i;
	unsigned op;

	if (p->p_hdr->ph_default_action == POLICY_ACT_ASK)
		return (1u << POLICY_OP_COUNT) - 1;
	for (i = 0; i < p->p_nrules; i++) {
		const struct policy_rule *r = &p->p_rules[i];

		if (r->pr_action != POLICY_ACT_ASK ||
		    !(r->pr_emul & (1u << POLICY_EMUL_NATIVE)))
			continue;
		if (r->pr_op < POLICY_OP_COUNT) {
			m |= 1u << r->pr_op;
			continue;
		}
		for (op = 1; op < POLICY_OP_COUNT; op++)
			if (policy_op_in_alias(op, r->pr_op))
				m |= 1u << op;
	}
	return m;
}

static void
policy_linux_offjob_main(void *arg)
{
	struct policy_linux_offjob *j = arg;

	(void)unshare(CLONE_FS);	/* umask, cwd: ours alone */
	j->o_fn(j->o_sup, &j->o_notif);
	free(j);
	pthread_mutex_lock(&off_lock);
	if (--off_inflight == 0)
		pthread_cond_broadcast(&off_cv);
	pthread_mutex_unlock(&off_lock);
}

bool
policy_linux_offload(struct policy_sup *s, const struct seccomp_notif *n,
    void (*fn)(struct policy_sup *, const struct seccomp_notif *))
{
	const struct policy *p = __atomic_load_n(&s->s_pol, __ATOMIC_ACQUIRE);
	struct policy_linux_offjob *j;
	size_t sz;
	int op;

	if (n->data.arch != AUDIT_ARCH_X86_64)
		return false;
	op = policy_linux_syscall_op(n->data.nr);
	if (op <= POLICY_OP_NONE || op >= POLICY_OP_COUNT)
		return false;
	if (p != off_pol) {		/* only the serve loop calls us */
		size_t i;

		off_askmask = policy_linux_askmask(p);
		/* and the policies programs may switch to */
		for (i = 1; i < s->s_npols; i++)
			if (s->s_pols[i] != NULL)
				off_askmask |= policy_linux_askmask(s->s_pols[i]);
		off_pol = p;
	}
	if (!(off_askmask & (1u << op)))
		return false;
	sz = s->s_sizes.seccomp_notif;
	if ((j = calloc(1, offsetof(struct policy_linux_offjob, o_notif) +
	    (sz > sizeof(j->o_notif) ? sz : sizeof(j->o_notif)))) == NULL)
		return false;
	j->o_sup = s;
	j->o_fn = fn;
	memcpy(&j->o_notif, n, sz);
	(void)policy_linux_offload_cancelfd();
	pthread_mutex_lock(&off_lock);
	off_inflight++;
	pthread_mutex_unlock(&off_lock);
	if (policy_linux_defer(policy_linux_offjob_main, j) != 0) {
		pthread_mutex_lock(&off_lock);
		off_inflight--;
		pthread_mutex_unlock(&off_lock);
		free(j);
		return false;		/* handled inline, blocking */
	}
	return true;
}

void
policy_linux_offload_drain(void)
{
	uint64_t one = 1, v;

	pthread_mutex_lock(&off_lock);
	if (off_inflight > 0 && off_cancelfd >= 0)
		(void)!write(off_cancelfd, &one, sizeof(one));
	while (off_inflight > 0)
		pthread_cond_wait(&off_cv, &off_lock);
	if (off_cancelfd >= 0)
		(void)!read(off_cancelfd, &v, sizeof(v));	/* re-arm */
	off_pol = NULL;
	pthread_mutex_unlock(&off_lock);
}
