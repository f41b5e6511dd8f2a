/* policyd_metrics.c: policyd's counters: updated from supervisors' tallies and alarms,
 * sent to `policyctl stats`, and served as Prometheus text by libmicrohttpd on loopback. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/socket.h>
#include <microhttpd.h>

#include "policyd.h"

static struct MHD_Daemon *pd_mhd;

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

static char *
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

static enum MHD_Result
pd_metrics_reply(struct MHD_Connection *conn, unsigned code, char *body,
    size_t len)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, code == 200 ?
	    "text/plain; version=0.0.4; charset=utf-8" : "text/plain");
	ret = MHD_queue_response(conn, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
pd_metrics_handler(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **state)
{
	static int first;
	char *body;
	size_t len;

	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return pd_metrics_reply(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
		    strdup("GET /metrics\n"), 13);
	if (*state == NULL) {		/* headers only, so far */
		*state = &first;
		return MHD_YES;
	}
	if (*upload_size != 0)
		return MHD_NO;
	if (strcmp(url, "/metrics") != 0)
		return pd_metrics_reply(conn, MHD_HTTP_NOT_FOUND,
		    strdup("not found: try /metrics\n"), 24);
	if ((body = pd_metrics_text(&len)) == NULL)
		return MHD_NO;
	return pd_metrics_reply(conn, MHD_HTTP_OK, body, len);
}

/* ADDR:PORT on loopback only: 127.0.0.0/8, [::1] or localhost. */
static int
pd_metrics_addr(const char *spec, struct sockaddr_storage *ss, int *v6,
    char *err, size_t errlen)
{
	char host[64];
	const char *colon, *port;
	unsigned long p;
	char *end;

	if (spec[0] == '[') {
		const char *rb = strchr(spec, ']');

		if (rb == NULL || rb[1] != ':' || (size_t)(rb - spec - 1) >=
		    sizeof(host))
			goto bad;
		memcpy(host, spec + 1, (size_t)(rb - spec - 1));
		host[rb - spec - 1] = '\0';
		port = rb + 2;
	} else {
		if ((colon = strrchr(spec, ':')) == NULL ||
		    (size_t)(colon - spec) >= sizeof(host))
			goto bad;
		memcpy(host, spec, (size_t)(colon - spec));
		host[colon - spec] = '\0';
		port = colon + 1;
	}
	p = strtoul(port, &end, 10);
	if (*port == '\0' || *end != '\0' || p > 65535)
		goto bad;
	memset(ss, 0, sizeof(*ss));
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		if ((ntohl(in->sin_addr.s_addr) >> 24) != 127) {
			snprintf(err, errlen, "%s is not a loopback address: "
			    "metrics are served on loopback only", host);
			return -1;
		}
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)p);
		*v6 = 0;
		return 0;
	}
	if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)ss)->sin6_addr) ==
	    1) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		if (!IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr)) {
			snprintf(err, errlen, "%s is not a loopback address: "
			    "metrics are served on loopback only", host);
			return -1;
		}
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)p);
		*v6 = 1;
		return 0;
	}
bad:
	snprintf(err, errlen, "expected ADDR:PORT, e.g. 127.0.0.1:9464 or "
	    "[::1]:9464");
	return -1;
}

int
pd_metrics_start(const char *spec, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	const union MHD_DaemonInfo *info;
	char host[64];
	int v6;

	if (pd_metrics_addr(spec, &ss, &v6, err, errlen) != 0)
		return -1;
	pd_mhd = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD |
	    (v6 ? MHD_USE_IPv6 : 0), 0, NULL, NULL, pd_metrics_handler, NULL,
	    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)16,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)8,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
	    MHD_OPTION_END);
	if (pd_mhd == NULL) {
		snprintf(err, errlen, "cannot listen (address in use?)");
		return -1;
	}
	info = MHD_get_daemon_info(pd_mhd, MHD_DAEMON_INFO_BIND_PORT);
	if (v6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr,
		    host, sizeof(host));
	else
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host,
		    sizeof(host));
	pd_log(LOG_NOTICE, "metrics on http://%s%s%s:%u/metrics", v6 ? "[" : "",
	    host, v6 ? "]" : "", info != NULL ? (unsigned)info->port : 0u);
	return 0;
}

void
pd_metrics_stop(void)
{
	if (pd_mhd != NULL)
		MHD_stop_daemon(pd_mhd);
	pd_mhd = NULL;
}
