/* policy_linux_report.c: what the supervisor does after each decision: record it for
 * learning, write logged ones as JSON lines (file, syslog), and report it to policyd. */
/*
 * Reporting never slows or blocks a decision on policyd's account: the
 * connection is made once, records go out with MSG_DONTWAIT, and a record
 * policyd has no room for is counted as dropped.  If the connection
 * fails, reporting stops for the rest of the run.  Logged decisions go out
 * one by one (with their arguments, for the log); all decisions are only
 * counted here, and the counts sent about once a second and at the end.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include "policy_linux.h"
#include "policy_interactive.h"

static struct {
	pthread_mutex_t	lock;		/* fd */
	FILE		*json;
	int		syslog;
	int		fd;		/* policyd, or -1 */
	struct policy_learn *learn;
	uint64_t	reported, dropped;
	struct policy_msg_tally tally;	/* since last_ns */
	bool		tallied;
	uint64_t	last_ns;
	uint64_t	filter_sent;	/* filter-decided calls tallied */
} rep = { .lock = PTHREAD_MUTEX_INITIALIZER, .fd = -1 };

#define TALLY_EVERY_NS	1000000000u


/* Record the call for learning, with its whole paths and address: a rule
 * learned from the head of a long one would never match it.  A long one
 * not known whole is not learned. */
static void
policy_linux_learn(const struct policy_linux_call *c)
{
	const char *whole[POLICY_F_NLONG] = { NULL, NULL, NULL };
	size_t len;
	unsigned f;

	for (f = 0; f < POLICY_F_NLONG; f++) {
		if (!(c->c_req.pr_present & (1u << f)) || c->c_req.pr_len[f] <
		    (f == POLICY_F_SOCKADDR ? POLICY_SOCKADDR_MAX :
		    POLICY_PATH_MAX))
			continue;
		if ((whole[f] = policy_linux_req_path(c, f, &len)) == NULL)
			return;
	}
	policy_learn_add_whole(rep.learn, &c->c_req, whole);
}

/* Send the counts (rep.lock held). */
static void
policy_linux_report_flush(void)
{
	uint64_t f;

	if (rep.fd < 0)
		return;
	/* the kernel filter's calls since the last counts */
	if (policy_linux_count_filtered(&f, NULL) == 0 && f > rep.filter_sent) {
		rep.tally.mt_filter_decided += f - rep.filter_sent;
		rep.filter_sent = f;
		rep.tallied = true;
	}
	if (!rep.tallied)
		return;
	if (policy_msg_send(rep.fd, POLICY_MSG_TALLY, &rep.tally,
	    sizeof(rep.tally), MSG_DONTWAIT) == 0) {
		memset(&rep.tally, 0, sizeof(rep.tally));
		rep.tallied = false;
	} else if (errno != EAGAIN && errno != ENOBUFS) {
		close(rep.fd);
		rep.fd = -1;
	}	/* else kept, and sent with the next counts */
}

static uint64_t
policy_linux_now(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void
policy_linux_report_decided(struct policy_linux_call *c, int err,
    uint64_t start_ns)
{
	const struct policy_sup *s = c->c_sup;
	const struct policy_decision *d = &c->c_dec;
	struct policy_msg_decision *md;
	char line[8192], link[64];
	uint64_t now, lat;
	unsigned action;
	bool logged;
	ssize_t n;
	int fd;

	if (rep.learn != NULL)
		policy_linux_learn(c);
	if (err != 0)
		action = POLICY_DECIDED_DENY;
	else if (s->s_dry_run && (d->pd_action == POLICY_ACT_DENY ||
	    (d->pd_action == POLICY_ACT_ASK &&
	    policy_linux_ask_last() != POLICY_ACT_PERMIT)))
		action = POLICY_DECIDED_WOULD_DENY;
	else
		action = POLICY_DECIDED_PERMIT;
	logged = s->s_verbose || d->pd_log || d->pd_action != POLICY_ACT_PERMIT;
	if (rep.fd >= 0) {	/* rechecked under the lock by the flush */
		now = policy_linux_now(CLOCK_MONOTONIC);
		lat = now - start_ns;
		pthread_mutex_lock(&rep.lock);
		if (c->c_req.pr_op < POLICY_OP_COUNT)
			rep.tally.mt_decisions[c->c_req.pr_op][action]++;
		rep.tally.mt_latency[policy_lat_bucket(lat)]++;
		rep.tally.mt_latency_sum_ns += lat;
		rep.tallied = true;
		if (now - rep.last_ns >= TALLY_EVERY_NS) {
			policy_linux_report_flush();
			rep.last_ns = now;
		}
		pthread_mutex_unlock(&rep.lock);
	}
	if (!logged || (rep.fd < 0 && rep.json == NULL && !rep.syslog))
		return;
	if ((md = calloc(1, sizeof(*md))) == NULL)
		return;
	md->md_time_ns = policy_linux_now(CLOCK_REALTIME);
	md->md_latency_ns = policy_linux_now(CLOCK_MONOTONIC) - start_ns;
	md->md_pid = c->c_tgid > 0 ? c->c_tgid : c->c_tid;
	md->md_line = d->pd_rule == POLICY_NONE ? 0 : d->pd_line;
	md->md_action = (uint8_t)action;
	md->md_flags = POLICY_DECISION_LOGGED |
	    (d->pd_action == POLICY_ACT_ASK ? POLICY_DECISION_ASKED : 0) |
	    (d->pd_rule == POLICY_NONE ? POLICY_DECISION_DEFAULT : 0);
	snprintf(md->md_policy, sizeof(md->md_policy), "%s",
	    c->c_source != NULL ? c->c_source : s->s_source);
	memcpy(&md->md_req, &c->c_req, sizeof(md->md_req));
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)c->c_tid);
	if ((n = readlink(link, md->md_program, sizeof(md->md_program) - 1)) < 0)
		n = 0;
	md->md_program[n] = '\0';
	if (rep.json != NULL || rep.syslog) {
		policy_json_decision(md, (long)geteuid(), line, sizeof(line));
		if (rep.json != NULL) {
			fputs(line, rep.json);
			fflush(rep.json);
		}
		if (rep.syslog)
			syslog(LOG_AUTHPRIV | (err ? LOG_NOTICE : LOG_INFO),
			    "%.*s", (int)strlen(line) - 1, line);
	}
	pthread_mutex_lock(&rep.lock);
	if ((fd = rep.fd) >= 0) {
		if (policy_msg_send(fd, POLICY_MSG_DECISION, md, sizeof(*md),
		    MSG_DONTWAIT) == 0)
			rep.reported++;
		else if (errno == EAGAIN || errno == ENOBUFS)
			rep.dropped++;
		else {
			close(fd);
			rep.fd = -1;
		}
	}
	pthread_mutex_unlock(&rep.lock);
	free(md);
}

int
policy_linux_interact_start(const struct policy_linux_interact *pi,
    char *err, size_t errlen)
{
	char e2[256];

	if (policy_linux_ask_setup(pi, err, errlen) != 0)
		return -1;
	rep.json = pi->pi_json;
	rep.syslog = pi->pi_syslog;
	rep.learn = pi->pi_learn;
	rep.reported = rep.dropped = 0;
	rep.filter_sent = 0;
	memset(&rep.tally, 0, sizeof(rep.tally));
	rep.tallied = false;
	rep.last_ns = policy_linux_now(CLOCK_MONOTONIC);
	if (rep.syslog)
		openlog("policyctl", LOG_PID, LOG_AUTHPRIV);
	if (pi->pi_report && !pi->pi_no_policyd)
		rep.fd = policy_sock_connect(pi->pi_socket, e2, sizeof(e2));
	if (rep.json != NULL || rep.syslog || rep.learn != NULL || rep.fd >= 0)
		policy_linux_decided = policy_linux_report_decided;
	return 0;
}

int
policy_linux_report_wants_count(void)
{
	return rep.fd >= 0;
}

void
policy_linux_interact_stop(void)
{
	uint64_t f;

	policy_linux_decided = NULL;
	pthread_mutex_lock(&rep.lock);
	if (rep.fd >= 0 && policy_linux_count_filtered(&f, NULL) != 0) {
		rep.tally.mt_filter_uncounted++;
		rep.tallied = true;
	}
	policy_linux_report_flush();	/* the last counts */
	if (rep.fd >= 0)
		close(rep.fd);
	rep.fd = -1;
	pthread_mutex_unlock(&rep.lock);
	if (rep.json != NULL)
		fflush(rep.json);
	if (rep.syslog)
		closelog();
	rep.json = NULL;
	rep.syslog = 0;
	rep.learn = NULL;
	policy_linux_ask_teardown();
}

void
policy_linux_interact_stats(struct policy_linux_interact_stats *st)
{
	memset(st, 0, sizeof(*st));
	policy_linux_ask_counts(&st->pis_alarms, &st->pis_reloads);
	pthread_mutex_lock(&rep.lock);
	st->pis_reported = rep.reported;
	st->pis_dropped = rep.dropped;
	pthread_mutex_unlock(&rep.lock);
}
