/* policyd_alarm.c: the alarm queue: identical alarms coalesced, bounded per user and per
 * connection, answered (persisting "always"), timed out (deny), or withdrawn by the caller. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include "policyd.h"

static uint64_t pd_waiting;	/* calls held, all alarms */

static void
pd_alarm_gauges(void)
{
	pthread_mutex_lock(&pd.stats_lock);
	pd.stats.ms_alarms_pending = pd.npending;
	pd.stats.ms_alarms_waiting = pd_waiting;
	pthread_mutex_unlock(&pd.stats_lock);
}

static uint64_t
pd_fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n-- > 0)
		h = (h ^ *b++) * 1099511628211u;
	return h;
}

static uint64_t
pd_fnv_str(uint64_t h, const char *s)
{
	return pd_fnv(h, s, strlen(s) + 1);
}

/* Alarms are identical when the same user's same program, under the same
 * rule of the same policy, asks the same question (whatever its pid). */
static uint64_t
pd_alarm_hash(const struct policy_msg_alarm *m, uid_t owner, uid_t raiser)
{
	const struct policy_request *r = &m->ma_alarm.pa_req;
	uint64_t h = 1469598103934665603u;

	h = pd_fnv(h, &owner, sizeof(owner));
	h = pd_fnv(h, &raiser, sizeof(raiser));
	h = pd_fnv(h, &m->ma_alarm.pa_rule, sizeof(m->ma_alarm.pa_rule));
	h = pd_fnv_str(h, m->ma_alarm.pa_program);
	h = pd_fnv_str(h, m->ma_path);
	h = pd_fnv_str(h, m->ma_rule);
	h = pd_fnv(h, &r->pr_op, sizeof(r->pr_op));
	h = pd_fnv(h, &r->pr_present, sizeof(r->pr_present));
	h = pd_fnv(h, r->pr_int, sizeof(r->pr_int));
	h = pd_fnv_str(h, r->pr_filename);
	h = pd_fnv_str(h, r->pr_filename2);
	h = pd_fnv_str(h, r->pr_sockaddr);
	h = pd_fnv_str(h, r->pr_argv);
	return pd_fnv_str(h, r->pr_syscall);
}

static bool
pd_alarm_same(const struct pd_alarm *a, const struct policy_msg_alarm *m,
    uid_t owner, uid_t raiser)
{
	const struct policy_request *x = &a->a_msg.ma_alarm.pa_req;
	const struct policy_request *y = &m->ma_alarm.pa_req;

	return a->a_owner == owner && a->a_raiser == raiser &&
	    a->a_msg.ma_alarm.pa_rule == m->ma_alarm.pa_rule &&
	    x->pr_op == y->pr_op && x->pr_present == y->pr_present &&
	    memcmp(x->pr_int, y->pr_int, sizeof(x->pr_int)) == 0 &&
	    strcmp(a->a_msg.ma_alarm.pa_program, m->ma_alarm.pa_program) == 0 &&
	    strcmp(a->a_msg.ma_path, m->ma_path) == 0 &&
	    strcmp(a->a_msg.ma_rule, m->ma_rule) == 0 &&
	    strcmp(x->pr_filename, y->pr_filename) == 0 &&
	    strcmp(x->pr_filename2, y->pr_filename2) == 0 &&
	    strcmp(x->pr_sockaddr, y->pr_sockaddr) == 0 &&
	    strcmp(x->pr_argv, y->pr_argv) == 0 &&
	    strcmp(x->pr_syscall, y->pr_syscall) == 0;
}

static void
pd_verdict(struct pd_client *c, uint64_t id, uint64_t alarm, unsigned action,
    unsigned scope, unsigned perrno, unsigned reason, bool persisted)
{
	struct policy_msg_verdict v;

	memset(&v, 0, sizeof(v));
	v.mv_id = id;
	v.mv_alarm = alarm;
	v.mv_action = (uint8_t)action;
	v.mv_scope = (uint8_t)scope;
	v.mv_errno = (uint16_t)perrno;
	v.mv_reason = (uint8_t)reason;
	v.mv_persisted = persisted;
	(void)pd_send(c, POLICY_MSG_VERDICT, &v, sizeof(v));
}

/* Tell every call waiting on a the verdict, then forget a. */
static void
pd_alarm_settle(struct pd_alarm *a, unsigned action, unsigned scope,
    unsigned perrno, unsigned reason, bool persisted)
{
	size_t i;

	for (i = 0; i < a->a_nw; i++) {
		struct pd_waiter *w = &a->a_w[i];

		if (w->w_client->fd < 0 || w->w_client->serial != w->w_serial)
			continue;
		w->w_client->waiting--;
		pd_verdict(w->w_client, w->w_id, a->a_id, action, scope, perrno,
		    reason, persisted);
	}
	pd_waiting -= a->a_nw;
	if (a->a_prev != NULL)
		a->a_prev->a_next = a->a_next;
	else
		pd.head = a->a_next;
	if (a->a_next != NULL)
		a->a_next->a_prev = a->a_prev;
	else
		pd.tail = a->a_prev;
	pd.npending--;
	free(a->a_w);
	free(a);
	pd_alarm_gauges();
	pd_console_changed();
}

static bool
pd_alarm_wait(struct pd_alarm *a, struct pd_client *c, uint64_t id)
{
	if (a->a_nw == a->a_capw) {
		size_t cap = a->a_capw ? a->a_capw * 2 : 4;
		struct pd_waiter *w = realloc(a->a_w, cap * sizeof(*w));

		if (w == NULL)
			return false;
		a->a_w = w;
		a->a_capw = cap;
	}
	a->a_w[a->a_nw].w_client = c;
	a->a_w[a->a_nw].w_serial = c->serial;
	a->a_w[a->a_nw].w_id = id;
	a->a_nw++;
	c->waiting++;
	pd_waiting++;
	return true;
}

void
pd_alarm_raise(struct pd_client *c, const struct policy_msg_alarm *m)
{
	const uint64_t id = m->ma_alarm.pa_id;
	struct pd_alarm *a;
	char why[200];
	uint64_t h, now;
	unsigned mine = 0;
	uid_t owner;

	if (!pd_may_raise(c, m, &owner, why, sizeof(why))) {
		PD_COUNT(ms_peers_refused, 1);
		pd_log(LOG_WARNING, "alarm from pid %d uid %u refused: %s",
		    (int)c->pid, (unsigned)c->uid, why);
		pd_result(c, POLICY_RES_DENIED, "alarm refused: %s", why);
		c->dead = true;
		return;
	}
	PD_COUNT(ms_alarms_raised, 1);
	if (c->waiting >= PD_CONN_WAITERS_MAX)
		goto full;
	h = pd_alarm_hash(m, owner, c->uid);
	for (a = pd.head; a != NULL; a = a->a_next) {
		if (a->a_hash == h && pd_alarm_same(a, m, owner, c->uid)) {
			if (a->a_nw >= PD_WAITERS_MAX || !pd_alarm_wait(a, c, id))
				goto full;
			PD_COUNT(ms_alarms_coalesced, 1);
			pd_alarm_gauges();
			pd_console_changed();
			return;
		}
		if (a->a_owner == owner)
			mine++;
	}
	if (mine >= pd.cfg.pending_uid || pd.npending >= PD_PENDING_MAX)
		goto full;
	if ((a = calloc(1, sizeof(*a))) == NULL)
		goto full;
	now = pd_now_ms();
	a->a_id = ++pd.next_id;
	a->a_hash = h;
	a->a_owner = owner;
	a->a_raiser = c->uid;
	a->a_raiser_gid = c->gid;
	a->a_created_ms = now;
	a->a_deadline_ms = now + (m->ma_timeout_ms < pd.cfg.timeout_ms ?
	    m->ma_timeout_ms : pd.cfg.timeout_ms);
	memcpy(&a->a_msg, m, sizeof(*m));
	a->a_msg.ma_alarm.pa_uid = owner;	/* as we checked it, not as told */
	if (!pd_alarm_wait(a, c, id)) {
		free(a);
		goto full;
	}
	a->a_prev = pd.tail;
	if (pd.tail != NULL)
		pd.tail->a_next = a;
	else
		pd.head = a;
	pd.tail = a;
	pd.npending++;
	pd_alarm_gauges();
	pd_log(LOG_DEBUG, "alarm %llu: pid %d %s", (unsigned long long)a->a_id,
	    (int)m->ma_alarm.pa_pid, m->ma_alarm.pa_program);
	pd_wake_parked();
	pd_console_policy_seen(a);
	pd_console_changed();
	return;
full:
	PD_COUNT(ms_alarms_dropped, 1);
	pd_verdict(c, id, 0, POLICY_ACT_DENY, POLICY_ANSWER_ONCE, m->ma_errno,
	    POLICY_VERDICT_FULL, false);
}

struct pd_alarm *
pd_alarm_find(uint64_t id)
{
	struct pd_alarm *a;

	for (a = pd.head; a != NULL; a = a->a_next)
		if (a->a_id == id)
			return a;
	return NULL;
}

/*
 * Answer an alarm as peer c (a prompt, or the web console): the one path
 * every answer takes.  rule: the rule an "always" answer writes, already
 * checked (NULL: the exact rule).  Returns a POLICY_RES_* status, with
 * what happened in text.
 */
unsigned
pd_alarm_answer_as(struct pd_client *c, const struct policy_answer *ans,
    const char *rule, char *text, size_t tcap)
{
	struct pd_alarm *a = pd_alarm_find(ans->pa_id);
	char where[POLICY_PATH_MAX + 32], err[300];
	const char *verb = ans->pa_action == POLICY_ACT_PERMIT ? "permit" : "deny";
	bool always = ans->pa_scope == POLICY_ANSWER_ALWAYS, persisted = false;
	unsigned perrno, status;

	if (a == NULL) {
		snprintf(text, tcap, "alarm %llu is not pending "
		    "(answered, timed out or withdrawn)",
		    (unsigned long long)ans->pa_id);
		return POLICY_RES_NOTFOUND;
	}
	if (!pd_may_see(c, a)) {
		PD_COUNT(ms_peers_refused, 1);
		pd_log(LOG_WARNING, "answer to alarm %llu from uid %u refused: "
		    "it is uid %u's", (unsigned long long)a->a_id,
		    (unsigned)c->uid, (unsigned)a->a_owner);
		snprintf(text, tcap, "alarm %llu is not yours",
		    (unsigned long long)a->a_id);
		return POLICY_RES_DENIED;
	}
	perrno = ans->pa_action == POLICY_ACT_DENY ? (ans->pa_errno ?
	    ans->pa_errno : a->a_msg.ma_errno) : 0;
	err[0] = '\0';
	if (always && !(a->a_msg.ma_flags & POLICY_ALARM_PERSIST))
		snprintf(err, sizeof(err), "the policy is not a YAML file "
		    "policyd may write to");
	else if (always && pd_persist(a, ans, rule, c->uid, where,
	    sizeof(where), err, sizeof(err)) == 0) {
		persisted = true;
		PD_COUNT(ms_alarms_persisted, 1);
		pd_console_policy_changed(a->a_msg.ma_path);
	}
	PD_COUNT(ms_alarms_answered, 1);
	pd_log(LOG_INFO, "alarm %llu: %s%s by uid %u%s%s",
	    (unsigned long long)a->a_id, verb, always ? " always" : "",
	    (unsigned)c->uid, persisted ? ", rule added at " : "",
	    persisted ? where : "");
	status = POLICY_RES_OK;
	if (!always)
		snprintf(text, tcap, "alarm %llu: %s once (%zu call%s)",
		    (unsigned long long)a->a_id, verb, a->a_nw,
		    a->a_nw == 1 ? "" : "s");
	else if (persisted)
		snprintf(text, tcap, "alarm %llu: %s always; rule added "
		    "at %.200s", (unsigned long long)a->a_id, verb, where);
	else {
		snprintf(text, tcap, "alarm %llu: %s this time only: "
		    "the rule could not be written: %.180s",
		    (unsigned long long)a->a_id, verb, err);
		status = POLICY_RES_PERSIST;
	}
	pd_alarm_settle(a, ans->pa_action, persisted ? POLICY_ANSWER_ALWAYS :
	    POLICY_ANSWER_ONCE, perrno, POLICY_VERDICT_ANSWERED, persisted);
	return status;
}

void
pd_alarm_answer(struct pd_client *c, const struct policy_answer *ans)
{
	char text[256];
	unsigned status = pd_alarm_answer_as(c, ans, NULL, text, sizeof(text));

	pd_result(c, status, "%s", text);
}

struct pd_alarm *
pd_alarm_visible(const struct pd_client *c, uint64_t after, uint32_t *count)
{
	struct pd_alarm *a, *first = NULL;

	*count = 0;
	for (a = pd.head; a != NULL; a = a->a_next) {
		if (!pd_may_see(c, a))
			continue;
		(*count)++;
		if (first == NULL && a->a_id > after)
			first = a;
	}
	return first;
}

void
pd_pending_send(struct pd_client *c, const struct pd_alarm *a,
    uint32_t npending)
{
	static struct policy_msg_pending p;
	uint64_t now = pd_now_ms();

	memset(&p, 0, sizeof(p));
	p.mp_id = a->a_id;
	p.mp_count = (uint32_t)a->a_nw;
	p.mp_remaining_ms = a->a_deadline_ms > now ?
	    (uint32_t)(a->a_deadline_ms - now) : 0;
	p.mp_npending = npending;
	p.mp_uid = (uint32_t)a->a_owner;
	memcpy(&p.mp_alarm, &a->a_msg, sizeof(p.mp_alarm));
	(void)pd_send(c, POLICY_MSG_PENDING, &p, sizeof(p));
}

void
pd_alarm_next(struct pd_client *c, uint64_t after, bool park)
{
	uint32_t count;
	struct pd_alarm *a = pd_alarm_visible(c, after, &count);

	if (a != NULL)
		pd_pending_send(c, a, count);
	else if (park)
		c->parked = true;
	else
		pd_result(c, POLICY_RES_NOTFOUND, "no alarm pending");
}

void
pd_alarm_expire(uint64_t now)
{
	struct pd_alarm *a = pd.head, *next;

	for (; a != NULL; a = next) {
		next = a->a_next;
		if (a->a_deadline_ms > now)
			continue;
		PD_COUNT(ms_alarms_timed_out, 1);
		pd_log(LOG_INFO, "alarm %llu: no answer in time: deny",
		    (unsigned long long)a->a_id);
		pd_alarm_settle(a, POLICY_ACT_DENY, POLICY_ANSWER_ONCE,
		    a->a_msg.ma_errno, POLICY_VERDICT_TIMEOUT, false);
	}
}

uint64_t
pd_alarm_next_deadline(void)
{
	const struct pd_alarm *a;
	uint64_t next = UINT64_MAX;

	for (a = pd.head; a != NULL; a = a->a_next)
		if (a->a_deadline_ms < next)
			next = a->a_deadline_ms;
	return next;
}

/* A peer went away: its calls wait no more; alarms nobody waits on go. */
void
pd_alarm_forget_client(struct pd_client *c)
{
	struct pd_alarm *a = pd.head, *next;
	size_t i, j;

	for (; a != NULL; a = next) {
		next = a->a_next;
		for (i = j = 0; i < a->a_nw; i++) {
			if (a->a_w[i].w_client == c &&
			    a->a_w[i].w_serial == c->serial)
				continue;
			a->a_w[j++] = a->a_w[i];
		}
		pd_waiting -= a->a_nw - j;
		a->a_nw = j;
		if (j == 0)
			pd_alarm_settle(a, POLICY_ACT_DENY, POLICY_ANSWER_ONCE, 0,
			    POLICY_VERDICT_SHUTDOWN, false);
	}
	c->waiting = 0;
	pd_alarm_gauges();
}

void
pd_alarm_shutdown(void)
{
	while (pd.head != NULL)
		pd_alarm_settle(pd.head, POLICY_ACT_DENY, POLICY_ANSWER_ONCE,
		    pd.head->a_msg.ma_errno, POLICY_VERDICT_SHUTDOWN, false);
}
