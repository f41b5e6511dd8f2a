/* policy_linux_ask.c: answers `ask` decisions: an alarm to policyd if it runs, else a
 * prompt on the launching terminal, else deny; "always" answers reload the policy at once. */
/*
 * Every way out of here is a verdict: policyd's answer; its timeout; deny
 * when policyd closes the connection (it died), when our own deadline (its
 * timeout plus a grace period) passes, or when the run is ending.  The call
 * runs on its own thread (policy_linux_offload.c), so only the asking
 * thread of the target waits.
 *
 * An "always" answer is written into the YAML policy (by policyd, or here
 * for a terminal answer), then the file is compiled, validated and swapped
 * in with one atomic pointer store: every decision sees either the old
 * policy or the new one, never none.  Old policies stay allocated until the
 * run ends, since a decision may still be reading one.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/eventfd.h>

#include "policy_linux.h"
#include "policy_interactive.h"

#define ASK_TIMEOUT_MS	60000
#define ASK_GRACE_MS	2000	/* beyond policyd's own timeout */

static struct {
	pthread_mutex_t	lock;		/* reloads, the reloaded list */
	int		configured;
	int		no_policyd, no_tty, interactive, have_socket;
	unsigned	timeout_ms;
	char		socket[108];
	char		path[PATH_MAX];	/* absolute YAML path, or "" */
	struct policy_loaded **reloaded;
	size_t		nreloaded;
	uint64_t	next_id;
	uint64_t	alarms, reloads;
} ask = { .lock = PTHREAD_MUTEX_INITIALIZER };

static pthread_mutex_t ask_tty_lock = PTHREAD_MUTEX_INITIALIZER;
static __thread int ask_last = POLICY_ACT_DENY;

/* Readable while the run is ending: every pending alarm gives up. */
static pthread_mutex_t ask_cancel_lock = PTHREAD_MUTEX_INITIALIZER;
static int ask_cancelfd = -1;

int
policy_linux_ask_cancelfd(void)
{
	pthread_mutex_lock(&ask_cancel_lock);
	if (ask_cancelfd < 0)
		ask_cancelfd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	pthread_mutex_unlock(&ask_cancel_lock);
	return ask_cancelfd;
}

/* Cancel the pending alarms (on), or re-arm for the next run (off). */
void
policy_linux_ask_cancel(bool on)
{
	uint64_t v = 1;
	int fd = policy_linux_ask_cancelfd();

	if (fd < 0)
		return;
	if (on)
		(void)!write(fd, &v, sizeof(v));
	else
		(void)!read(fd, &v, sizeof(v));
}

/* How an alarm was settled. */
struct ask_verdict {
	int		action;		/* POLICY_ACT_PERMIT / DENY */
	int		always;
	int		persisted;	/* the rule is in the file */
	unsigned	perrno;		/* portable errno for deny, or 0 */
	int		tty;		/* answered on the terminal */
	char		how[160];	/* for the log */
};

int
policy_linux_ask_setup(const struct policy_linux_interact *pi, char *err,
    size_t errlen)
{
	pthread_mutex_lock(&ask.lock);
	ask.no_policyd = pi->pi_no_policyd;
	ask.no_tty = pi->pi_no_tty;
	ask.interactive = pi->pi_interactive;
	ask.timeout_ms = pi->pi_timeout_ms ? pi->pi_timeout_ms : ASK_TIMEOUT_MS;
	ask.have_socket = pi->pi_socket != NULL;
	snprintf(ask.socket, sizeof(ask.socket), "%s",
	    pi->pi_socket ? pi->pi_socket : "");
	ask.path[0] = '\0';
	if (pi->pi_policy_path != NULL &&
	    realpath(pi->pi_policy_path, ask.path) == NULL) {
		snprintf(err, errlen, "%s: %s", pi->pi_policy_path,
		    strerror(errno));
		ask.path[0] = '\0';
		pthread_mutex_unlock(&ask.lock);
		return -1;
	}
	ask.configured = 1;
	pthread_mutex_unlock(&ask.lock);
	return 0;
}

void
policy_linux_ask_teardown(void)
{
	size_t i;

	pthread_mutex_lock(&ask.lock);
	for (i = 0; i < ask.nreloaded; i++)
		policy_loaded_free(ask.reloaded[i]);
	free(ask.reloaded);
	ask.reloaded = NULL;
	ask.nreloaded = 0;
	ask.configured = 0;
	pthread_mutex_unlock(&ask.lock);
}

void
policy_linux_ask_counts(uint64_t *alarms, uint64_t *reloads)
{
	pthread_mutex_lock(&ask.lock);
	*alarms = ask.alarms;
	*reloads = ask.reloads;
	pthread_mutex_unlock(&ask.lock);
}

int
policy_linux_ask_last(void)
{
	return ask_last;
}

/* Compile the policy file again and make it the one every decision uses. */
static void
policy_linux_ask_reload(struct policy_linux_call *c)
{
	struct policy_sup *s = c->c_sup;
	struct policy_loaded *pl, *pl2, **nl;
	struct policy_diag diag;

	memset(&diag, 0, sizeof(diag));
	pthread_mutex_lock(&ask.lock);
	if ((pl = policy_load_file(ask.path, &diag)) != NULL && ask.interactive) {
		pl2 = policy_loaded_with_default(pl, POLICY_ACT_ASK, &diag);
		policy_loaded_free(pl);
		pl = pl2;
	}
	if (pl == NULL || (nl = realloc(ask.reloaded, (ask.nreloaded + 1) *
	    sizeof(*nl))) == NULL) {
		pthread_mutex_unlock(&ask.lock);
		policy_linux_note(c, "policy not reloaded, the old one stays: "
		    "%s:%u: %s", diag.pd_file, diag.pd_line, pl ? "out of memory" :
		    diag.pd_msg);
		policy_loaded_free(pl);
		return;
	}
	ask.reloaded = nl;
	/* what the kernel filter decides cannot be changed in a running
	 * program: such a policy waits for the next run */
	if (!policy_linux_filter_same(s, &pl->pl_policy)) {
		pthread_mutex_unlock(&ask.lock);
		policy_linux_note(c, "policy %s not reloaded: it changes calls "
		    "the kernel filter decides, which cannot change in a "
		    "running program; it applies from the next run", ask.path);
		policy_loaded_free(pl);
		return;
	}
	ask.reloaded[ask.nreloaded++] = pl;
	__atomic_store_n(&s->s_pol, &pl->pl_policy, __ATOMIC_RELEASE);
	ask.reloads++;
	pthread_mutex_unlock(&ask.lock);
	policy_linux_note(c, "policy %s reloaded (%u rules)", ask.path,
	    (unsigned)pl->pl_policy.p_nrules);
}

/* The alarm for this call. */
static void
policy_linux_ask_alarm(struct policy_linux_call *c, struct policy_msg_alarm *m)
{
	const struct policy_sup *s = c->c_sup;
	/* the policy the call was decided by: the caller's program's one */
	const struct policy *p = c->c_pol != NULL ? c->c_pol :
	    __atomic_load_n(&s->s_pol, __ATOMIC_ACQUIRE);
	struct policy_alarm *a = &m->ma_alarm;
	char link[64];
	ssize_t n;
	pid_t tgid;

	memset(m, 0, sizeof(*m));
	pthread_mutex_lock(&ask.lock);
	a->pa_id = ++ask.next_id;
	ask.alarms++;
	m->ma_timeout_ms = ask.timeout_ms ? ask.timeout_ms : ASK_TIMEOUT_MS;
	/* "always" goes to the launch policy's file; a policy another
	 * program switched to was not given as one we may write */
	if (ask.path[0] != '\0' && strlen(ask.path) < sizeof(m->ma_path) &&
	    c->c_polidx == 0) {
		memcpy(m->ma_path, ask.path, strlen(ask.path) + 1);
		m->ma_flags |= POLICY_ALARM_PERSIST;
	}
	pthread_mutex_unlock(&ask.lock);
	tgid = c->c_tgid > 0 ? c->c_tgid : policy_linux_tgid(c->c_tid);
	a->pa_pid = tgid > 0 ? tgid : c->c_tid;
	a->pa_uid = (uint32_t)geteuid();
	a->pa_rule = c->c_dec.pd_rule;
	a->pa_line = c->c_dec.pd_line;
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)c->c_tid);
	if ((n = readlink(link, a->pa_program, sizeof(a->pa_program) - 1)) < 0)
		n = 0;
	a->pa_program[n] = '\0';
	snprintf(a->pa_policy, sizeof(a->pa_policy), "%s",
	    c->c_source != NULL ? c->c_source : s->s_source);
	memcpy(&a->pa_req, &c->c_req, sizeof(a->pa_req));
	m->ma_errno = c->c_dec.pd_perrno <= policy_nerrno ?
	    c->c_dec.pd_perrno : 0;
	if (c->c_dec.pd_rule != POLICY_NONE && c->c_dec.pd_rule < p->p_nrules)
		snprintf(m->ma_rule, sizeof(m->ma_rule), "%s",
		    policy_str(p, p->p_rules[c->c_dec.pd_rule].pr_text));
	else
		a->pa_rule = POLICY_NONE;
	if (strlen(m->ma_rule) >= sizeof(m->ma_rule) - 1)
		m->ma_flags &= ~POLICY_ALARM_PERSIST;	/* cannot be found */
}

/* Ask policyd.  0 if it cannot be reached (ask someone else), 1 with v set
 * once settled, whatever happened. */
static int
policy_linux_ask_policyd(struct policy_linux_call *c,
    const struct policy_msg_alarm *m, struct ask_verdict *v)
{
	union policy_msg_buf *b;
	char err[256], why[160];
	int fd, t, left, slice;

	if (ask.no_policyd)
		return 0;
	fd = policy_sock_connect(ask.have_socket ? ask.socket : NULL, err,
	    sizeof(err));
	if (fd < 0) {
		if (ask.have_socket || (errno != ENOENT &&
		    errno != ECONNREFUSED))
			policy_linux_note(c, "policyd: %s", err);
		return 0;
	}
	if (policy_msg_send(fd, POLICY_MSG_ALARM, m, sizeof(*m), 0) != 0) {
		policy_linux_note(c, "policyd: send: %s", strerror(errno));
		close(fd);
		return 0;
	}
	v->action = POLICY_ACT_DENY;
	if ((b = malloc(sizeof(*b))) == NULL) {
		close(fd);
		snprintf(v->how, sizeof(v->how), "out of memory");
		return 1;
	}
	why[0] = '\0';
	/* wait in slices: a caller killed meanwhile withdraws its alarm */
	for (left = (int)(m->ma_timeout_ms + ASK_GRACE_MS); ; left -= slice) {
		slice = left < 500 ? left : 500;
		t = policy_msg_recv(fd, b, slice, policy_linux_ask_cancelfd(),
		    why, sizeof(why));
		if (t >= 0 || errno != ETIMEDOUT || left <= slice)
			break;
		if (!policy_linux_valid(c->c_sup, c->c_id)) {
			errno = ESRCH;
			break;
		}
	}
	close(fd);
	if (t == POLICY_MSG_VERDICT) {
		const struct policy_msg_verdict *mv = POLICY_MSG_BODY(b);
		static const char *const reason[POLICY_VERDICT_COUNT] = {
			"?", "answered", "timed out", "queue full", "refused",
			"policyd stopping"
		};

		if (mv->mv_id != m->ma_alarm.pa_id)
			snprintf(v->how, sizeof(v->how), "policyd answered "
			    "another alarm: deny");
		else {
			v->action = mv->mv_action;
			v->always = mv->mv_scope == POLICY_ANSWER_ALWAYS;
			v->persisted = mv->mv_persisted;
			v->perrno = mv->mv_errno;
			snprintf(v->how, sizeof(v->how), "policyd alarm %llu: %s",
			    (unsigned long long)mv->mv_alarm,
			    reason[mv->mv_reason]);
		}
	} else if (t == POLICY_MSG_RESULT) {
		const struct policy_msg_result *mr = POLICY_MSG_BODY(b);

		snprintf(v->how, sizeof(v->how), "policyd refused the alarm: "
		    "%.120s", mr->mr_text);
	} else if (t == 0)
		snprintf(v->how, sizeof(v->how), "policyd went away");
	else if (t < 0 && errno == ETIMEDOUT)
		snprintf(v->how, sizeof(v->how), "no verdict from policyd in "
		    "time");
	else if (t < 0 && errno == ECANCELED)
		snprintf(v->how, sizeof(v->how), "the run is ending");
	else if (t < 0 && errno == ESRCH)
		snprintf(v->how, sizeof(v->how), "the caller is gone");
	else
		snprintf(v->how, sizeof(v->how), "policyd: %.140s",
		    t < 0 && errno == EPROTO ? why : "unexpected reply");
	free(b);
	return 1;
}

/* Prompt on /dev/tty.  0 if there is no terminal, 1 with v set. */
static int
policy_linux_ask_tty(struct policy_linux_call *c,
    const struct policy_msg_alarm *m, struct ask_verdict *v)
{
	char msg[POLICY_PATH_MAX + 1024], desc[900], ans[16];
	struct pollfd pfd[2];
	ssize_t n;
	int fd, len, r;

	if (ask.no_tty)
		return 0;
	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		return 0;
	pthread_mutex_lock(&ask_tty_lock);	/* one question at a time */
	policy_request_describe(&m->ma_alarm.pa_req, desc, sizeof(desc));
	len = snprintf(msg, sizeof(msg), "\npolicyctl: pid %d (%s) wants: %s\n"
	    "  rule %s:%u%s%s\npermit? [y]es once, [a]lways, [n]o (default), "
	    "[d]eny always: ", (int)m->ma_alarm.pa_pid,
	    m->ma_alarm.pa_program[0] ? m->ma_alarm.pa_program : "?", desc,
	    m->ma_alarm.pa_policy, (unsigned)m->ma_alarm.pa_line,
	    m->ma_rule[0] ? "  " : " (default)", m->ma_rule);
	v->action = POLICY_ACT_DENY;
	if (len < 0 || write(fd, msg, (size_t)len >= sizeof(msg) ?
	    sizeof(msg) - 1 : (size_t)len) < 0) {
		snprintf(v->how, sizeof(v->how), "terminal: %s", strerror(errno));
		goto out;
	}
	pfd[0].fd = fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = policy_linux_ask_cancelfd();
	pfd[1].events = POLLIN;
	do
		r = poll(pfd, pfd[1].fd >= 0 ? 2 : 1, (int)m->ma_timeout_ms);
	while (r < 0 && errno == EINTR);
	if (r <= 0 || (pfd[1].fd >= 0 && (pfd[1].revents & POLLIN))) {
		(void)!write(fd, "(no answer: deny)\n", 18);
		snprintf(v->how, sizeof(v->how), "no answer on the terminal");
		goto out;
	}
	n = read(fd, ans, sizeof(ans) - 1);
	ans[n > 0 ? n : 0] = '\0';
	switch (ans[0]) {
	case 'y': case 'Y':
		v->action = POLICY_ACT_PERMIT;
		break;
	case 'a': case 'A':
		v->action = POLICY_ACT_PERMIT;
		v->always = 1;
		break;
	case 'd': case 'D':
		v->always = 1;
		break;
	default:
		break;
	}
	snprintf(v->how, sizeof(v->how), "answered on the terminal");
	v->tty = 1;
out:
	pthread_mutex_unlock(&ask_tty_lock);
	close(fd);
	return 1;
}

/* POLICY_ACT_PERMIT or POLICY_ACT_DENY for an `ask` decision; a denial's
 * errno, when the answer names one, goes into c->c_dec. */
int
policy_linux_ask(struct policy_linux_call *c)
{
	struct policy_msg_alarm *m;
	struct ask_verdict v;
	struct policy_diag diag;
	char where[PATH_MAX + 32], comment[512], desc[600], date[32];
	time_t now;
	struct tm tm;

	memset(&v, 0, sizeof(v));
	v.action = POLICY_ACT_DENY;
	if ((m = malloc(sizeof(*m))) == NULL) {
		policy_linux_note(c, "ask: out of memory: deny");
		return ask_last = POLICY_ACT_DENY;
	}
	policy_linux_ask_alarm(c, m);
	if (!policy_linux_ask_policyd(c, m, &v) &&
	    !policy_linux_ask_tty(c, m, &v))
		snprintf(v.how, sizeof(v.how), "no policyd and no terminal to "
		    "ask");
	if (v.always && v.tty && (m->ma_flags & POLICY_ALARM_PERSIST)) {
		now = time(NULL);
		localtime_r(&now, &tm);
		strftime(date, sizeof(date), "%Y-%m-%d %H:%M", &tm);
		snprintf(comment, sizeof(comment), "%s always: answered on the "
		    "terminal %s (pid %d, %.200s)", v.action == POLICY_ACT_PERMIT ?
		    "permit" : "deny", date, (int)m->ma_alarm.pa_pid,
		    m->ma_alarm.pa_program);
		memset(&diag, 0, sizeof(diag));
		if (policy_persist_answer(m, (unsigned)v.action, v.perrno,
		    comment, where, sizeof(where), &diag) == 0) {
			v.persisted = 1;
			policy_linux_note(c, "rule added at %s", where);
		} else
			policy_linux_note(c, "answer not saved: %s: %s",
			    diag.pd_file, diag.pd_msg);
	}
	if (v.action == POLICY_ACT_DENY && v.perrno != 0 &&
	    policy_errno_native(v.perrno) > 0) {
		c->c_dec.pd_errno = policy_errno_native(v.perrno);
		c->c_dec.pd_perrno = (uint16_t)v.perrno;
	}
	policy_request_describe(&c->c_req, desc, sizeof(desc));
	policy_linux_note(c, "ask %s: %s%s (%s)", desc,
	    v.action == POLICY_ACT_PERMIT ? "permit" : "deny",
	    v.always ? " always" : "", v.how);
	if (v.always && v.persisted && ask.path[0] != '\0')
		policy_linux_ask_reload(c);
	free(m);
	return ask_last = v.action;
}
