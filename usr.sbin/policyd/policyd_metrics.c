/* policyd_metrics.c: policyd's counters: updated from supervisors' tallies and alarms,
 * sent to `policyctl stats`, and written as Prometheus text (served by policyd_http.c). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policyd.h"

void
pd_count_tally(const struct policy_msg_tally *t)
{
	unsigned op, a, i;

	pthread_mutex_lock(&pd.stats_lock);
	for (op = 0; op < POLICY_OP_COUNT; op++)
		for (a = 0; a < POLICY_DECIDED_COUNT; a++)
			pd.stats.ms_decisions[op][a] += t->mt_decisions[op][a];
	for (i = 0; i < POLICY_LAT_BUCKETS; i++)
		pd.stats.ms_latency[i] += t->mt_latency[i];
	pd.stats.ms_latency_sum_ns += t->mt_latency_sum_ns;
	pd.stats.ms_filter_decided += t->mt_filter_decided;
	pd.stats.ms_filter_uncounted += t->mt_filter_uncounted;
	pthread_mutex_unlock(&pd.stats_lock);
}

void
pd_stats_snapshot(struct policy_msg_stats *st)
{
	pthread_mutex_lock(&pd.stats_lock);
	*st = pd.stats;
	pthread_mutex_unlock(&pd.stats_lock);
	st->ms_uptime_ms = pd_now_ms() - pd.start_ms;
}

/* Prometheus text exposition format 0.0.4. */
struct pd_text {
	char	*b;
	size_t	n, cap;
	int	oom;
};

static void __attribute__((format(printf, 2, 3)))
pd_text(struct pd_text *t, const char *fmt, ...)
{
	va_list ap;
	int k;

	for (;;) {
		if (t->oom)
			return;
		va_start(ap, fmt);
		k = vsnprintf(t->b + t->n, t->cap - t->n, fmt, ap);
		va_end(ap);
		if (k >= 0 && (size_t)k < t->cap - t->n) {
			t->n += (size_t)k;
			return;
		}
		{
			size_t cap = t->cap * 2 + (k > 0 ? (size_t)k : 0);
			char *nb = realloc(t->b, cap);

			if (nb == NULL) {
				t->oom = 1;
				return;
			}
			t->b = nb;
			t->cap = cap;
		}
	}
}

static void
pd_metric(struct pd_text *t, const char *name, const char *type,
    const char *help, uint64_t v)
{
	pd_text(t, "# HELP %s %s\n# TYPE %s %s\n%s %llu\n", name, help, name,
	    type, name, (unsigned long long)v);
}

char *
pd_metrics_text(size_t *lenp)
{
	static const char *const act[POLICY_DECIDED_COUNT] = {
		"permit", "deny", "would-deny"
	};
	struct policy_msg_stats s;
	struct pd_text t = { NULL, 0, 4096, 0 };
	uint64_t cum = 0;
	unsigned op, a, i;

	if ((t.b = malloc(t.cap)) == NULL)
		return NULL;
	pd_stats_snapshot(&s);
	pd_text(&t, "# HELP policyd_decisions_total Decisions the supervisors "
	    "reported, by operation and action.\n"
	    "# TYPE policyd_decisions_total counter\n");
	for (op = 1; op < POLICY_OP_COUNT; op++)
		for (a = 0; a < POLICY_DECIDED_COUNT; a++)
			pd_text(&t, "policyd_decisions_total{operation=\"%s\","
			    "action=\"%s\"} %llu\n",
			    policy_name_of(policy_op_names, op), act[a],
			    (unsigned long long)s.ms_decisions[op][a]);
	pd_text(&t, "# HELP policyd_decision_latency_seconds Time from the "
	    "start of a decision to its verdict (alarms included).\n"
	    "# TYPE policyd_decision_latency_seconds histogram\n");
	for (i = 0; i < POLICY_LAT_BUCKETS; i++) {
		cum += s.ms_latency[i];
		if (i < POLICY_LAT_BUCKETS - 1)
			pd_text(&t, "policyd_decision_latency_seconds_bucket"
			    "{le=\"%g\"} %llu\n",
			    (double)policy_lat_bounds_ns[i] / 1e9,
			    (unsigned long long)cum);
		else
			pd_text(&t, "policyd_decision_latency_seconds_bucket"
			    "{le=\"+Inf\"} %llu\n", (unsigned long long)cum);
	}
	pd_text(&t, "policyd_decision_latency_seconds_sum %.9f\n"
	    "policyd_decision_latency_seconds_count %llu\n",
	    (double)s.ms_latency_sum_ns / 1e9, (unsigned long long)cum);
	pd_metric(&t, "policyd_filter_decided_total", "counter",
	    "System calls the kernel filter decided by name alone (never "
	    "sent to a supervisor; not in policyd_decisions_total).",
	    s.ms_filter_decided);
	pd_metric(&t, "policyd_filter_uncounted_runs_total", "counter",
	    "Confined runs that could not count their filter-decided calls "
	    "(no tracefs or perf event).", s.ms_filter_uncounted);
	pd_metric(&t, "policyd_alarms_pending", "gauge",
	    "Distinct alarms waiting for an answer.", s.ms_alarms_pending);
	pd_metric(&t, "policyd_alarms_waiting_calls", "gauge",
	    "System calls blocked on pending alarms.", s.ms_alarms_waiting);
	pd_metric(&t, "policyd_alarms_raised_total", "counter",
	    "Alarms supervisors raised.", s.ms_alarms_raised);
	pd_metric(&t, "policyd_alarms_answered_total", "counter",
	    "Alarms a user answered.", s.ms_alarms_answered);
	pd_metric(&t, "policyd_alarms_timed_out_total", "counter",
	    "Alarms nobody answered in time (denied).", s.ms_alarms_timed_out);
	pd_metric(&t, "policyd_alarms_coalesced_total", "counter",
	    "Alarms merged into an identical pending one.",
	    s.ms_alarms_coalesced);
	pd_metric(&t, "policyd_alarms_dropped_total", "counter",
	    "Alarms denied at once because a queue limit was reached.",
	    s.ms_alarms_dropped);
	pd_metric(&t, "policyd_rules_written_total", "counter",
	    "Always answers written to policy files.", s.ms_alarms_persisted);
	pd_metric(&t, "policyd_peers_refused_total", "counter",
	    "Peers or requests refused after checking their credentials.",
	    s.ms_peers_refused);
	pd_metric(&t, "policyd_records_invalid_total", "counter",
	    "Malformed records received (the peer was dropped).",
	    s.ms_msgs_invalid);
	pd_metric(&t, "policyd_decisions_logged_total", "counter",
	    "Decisions written to the decision log.", s.ms_logged);
	pd_metric(&t, "policyd_clients", "gauge", "Connected peers.",
	    s.ms_clients);
	pd_text(&t, "# HELP policyd_uptime_seconds Seconds since policyd "
	    "started.\n# TYPE policyd_uptime_seconds gauge\n"
	    "policyd_uptime_seconds %llu\n",
	    (unsigned long long)(s.ms_uptime_ms / 1000));
	if (t.oom) {
		free(t.b);
		return NULL;
	}
	*lenp = t.n;
	return t.b;
}
