/* policy_linux_decide.c: turns a built request into a verdict: the supervisor's own
 * refusals, policy evaluation on whole paths, ask, dry-run, the move check, its log line. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "policy_linux.h"

/* Set by policy_linux_report.c when decisions are recorded. */
void (*policy_linux_decided)(struct policy_linux_call *, int err,
    uint64_t start_ns);

/* policy_eval on the request's whole paths and socket address: 0, or
 * -ENAMETOOLONG when one longer than its buffer is not known whole (then
 * not decided). */
static int
policy_linux_eval(struct policy_linux_call *c, const struct policy *p)
{
	const char *str[POLICY_F_NLONG] = { NULL, NULL, NULL };
	size_t len[POLICY_F_NLONG] = { 0, 0, 0 };
	unsigned f;

	for (f = 0; f < POLICY_F_NLONG; f++) {
		if (!(c->c_req.pr_present & (1u << f)) ||
		    c->c_req.pr_len[f] < (f == POLICY_F_SOCKADDR ?
		    POLICY_SOCKADDR_MAX : POLICY_PATH_MAX))
			continue;
		if ((str[f] = policy_linux_req_path(c, f, &len[f])) == NULL)
			return -ENAMETOOLONG;
	}
	policy_eval_long(p, &c->c_req, str, len, &c->c_dec);
	return 0;
}

/*
 * A permitted rename or link that would move an object to where policy p
 * decides it differently (policy_move.c; the rename is checked as if the
 * object were a directory: the supervisor cannot hold it across the
 * call): refused with the policy's errno, logged with the reason.
 */
static int
policy_linux_move_refused(struct policy_linux_call *c, const struct policy *p)
{
	const struct policy_request *r = &c->c_req;
	char why[80];
	int e;

	const char *from, *to;
	size_t len;

	if ((r->pr_op != POLICY_OP_RENAME && r->pr_op != POLICY_OP_LINK) ||
	    !(r->pr_present & (1u << POLICY_F_FILENAME2)))
		return 0;
	from = policy_linux_req_path(c, POLICY_F_FILENAME, &len);
	to = policy_linux_req_path(c, POLICY_F_FILENAME2, &len);
	if (from == NULL || to == NULL)	/* decided whole, so known */
		snprintf(why, sizeof(why), "path too long to decide");
	else if (policy_move_permitted(p, &c->c_dec, from, to,
	    r->pr_op == POLICY_OP_RENAME, c->c_exchange, why, sizeof(why)))
		return 0;
	if (c->c_sup->s_dry_run) {
		policy_linux_log_verdict(c, "would deny", why);
		return 0;
	}
	policy_linux_log_verdict(c, "deny", why);
	e = policy_errno_native(p->p_hdr->ph_default_errno);
	return e > 0 ? e : EPERM;
}

/* A refusal of the supervisor's own: the decision a rule "OP: deny"
 * before the policy's would make, logged with the reason. */
static void
policy_linux_refused(struct policy_linux_call *c, const char *why)
{
	struct policy_decision *d = &c->c_dec;
	char because[256];

	memset(d, 0, sizeof(*d));
	d->pd_rule = POLICY_NONE;
	d->pd_action = POLICY_ACT_DENY;
	d->pd_log = 1;
	snprintf(because, sizeof(because), "refused whatever the policy says: "
	    "%s", why);
	policy_linux_log_verdict(c, "deny", because);
}

/*
 * Decide the call's request.  Returns 0 to go ahead, or the native errno
 * the call fails with.  Every supervisor decision goes through here.
 */
static int
policy_linux_decide1(struct policy_linux_call *c)
{
	const struct policy_sup *s = c->c_sup;
	struct policy_decision *d = &c->c_dec;
	/* s_pol may be swapped for a reloaded policy (policy_linux_ask.c) */
	const struct policy *p = c->c_polidx != 0 && c->c_pol != NULL ?
	    c->c_pol : __atomic_load_n(&s->s_pol, __ATOMIC_ACQUIRE);
	const char *why;
	int action, err;

	/* the supervisor's own refusals: escapes, refused even in a dry run */
	if (c->c_req.pr_op == POLICY_OP_SYSCALL && c->c_name != NULL &&
	    (why = policy_linux_refusal(s, c->c_name, c->c_args, &err)) !=
	    NULL) {
		policy_linux_refused(c, why);
		return err;
	}
	if (policy_linux_eval(c, p) != 0) {
		/* never decided on a prefix: refused, with the reason */
		memset(d, 0, sizeof(*d));
		d->pd_rule = POLICY_NONE;
		d->pd_action = POLICY_ACT_DENY;
		policy_linux_log_verdict(c, s->s_dry_run ? "would deny" : "deny",
		    "path too long to decide");
		return s->s_dry_run ? 0 : ENAMETOOLONG;
	}
	action = d->pd_action;
	if (action == POLICY_ACT_ASK && (c->c_req.pr_len[POLICY_F_FILENAME] >=
	    POLICY_PATH_MAX || c->c_req.pr_len[POLICY_F_FILENAME2] >=
	    POLICY_PATH_MAX || c->c_req.pr_len[POLICY_F_SOCKADDR] >=
	    POLICY_SOCKADDR_MAX)) {
		/* an alarm carries POLICY_PATH_MAX bytes: cannot be asked */
		policy_linux_log_verdict(c, "deny", "path too long to ask");
		return d->pd_errno > 0 ? d->pd_errno : EPERM;
	}
	if (action == POLICY_ACT_ASK)
		action = policy_linux_ask(c);
	if (action == POLICY_ACT_PERMIT) {
		int e = policy_linux_move_refused(c, p);

		if (e == 0 && (s->s_verbose || d->pd_log))
			policy_linux_log_verdict(c, "permit", NULL);
		return e;
	}
	if (s->s_dry_run) {
		policy_linux_log_verdict(c, "would deny", NULL);
		return 0;
	}
	/* log: none logs only rules marked log (policy.5), as the filter's
	 * denials and a Landlock domain's are not */
	if (s->s_verbose || d->pd_log)
		policy_linux_log_verdict(c, "deny", NULL);
	return d->pd_errno > 0 ? d->pd_errno : EPERM;
}

/* CLOCK_MONOTONIC in nanoseconds: when a recorded decision started. */
static uint64_t
policy_linux_start_ns(void)
{
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	return (uint64_t)t0.tv_sec * 1000000000u + (uint64_t)t0.tv_nsec;
}

/* The decision, then the record hook (learning, JSON log, policyd). */
int
policy_linux_decide(struct policy_linux_call *c)
{
	uint64_t t0;
	int err;

	if (policy_linux_decided == NULL)
		return policy_linux_decide1(c);
	t0 = policy_linux_start_ns();
	err = policy_linux_decide1(c);
	policy_linux_decided(c, err, t0);
	return err;
}

/*
 * The same refusal where a handler finds it (ptrace of a process outside
 * the confinement, a mount under path rules...), its request built: logged
 * and recorded as every decision is, even in a dry run.  Returns err.
 */
int
policy_linux_refuse(struct policy_linux_call *c, int err, const char *why)
{
	uint64_t t0 = policy_linux_decided != NULL ?
	    policy_linux_start_ns() : 0;

	policy_linux_refused(c, why);
	if (policy_linux_decided != NULL)
		policy_linux_decided(c, err, t0);
	return err;
}
