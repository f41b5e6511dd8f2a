/* policyctl_stats.c: `policyctl stats`: policyd's counters: alarms, decisions by
 * operation and action, filter-decided calls, decision latency, refused peers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policyctl.h"
#include "policy_msg.h"

static void
policyctl_stats_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: policyctl stats [-s SOCKET]\n"
	    "\n"
	    "Print policyd's counters: alarms pending, answered, timed out,\n"
	    "coalesced and dropped; decisions the supervisors reported, by\n"
	    "operation and action; calls the kernel filter decided by name\n"
	    "alone (filter_decided) and runs that could not count them\n"
	    "(filter_uncounted_runs); the decisions' latency; refused peers.\n"
	    "\n"
	    "  -s, --socket PATH  policyd's socket (default as for 'run')\n"
	    "  -h, --help         this text\n");
}

static void
policyctl_stats_print(const struct policy_msg_stats *s)
{
	static const char *const lat[POLICY_LAT_BUCKETS] = {
		"1us", "5us", "10us", "50us", "100us", "500us", "1ms", "10ms",
		"100ms", "1s", "10s", "60s", "more"
	};
	uint64_t total = 0;
	unsigned op, i;

	printf("uptime_seconds %llu\n", (unsigned long long)(s->ms_uptime_ms /
	    1000));
	printf("clients %llu\n", (unsigned long long)s->ms_clients);
	printf("alarms_pending %llu\n", (unsigned long long)s->ms_alarms_pending);
	printf("alarms_waiting_calls %llu\n",
	    (unsigned long long)s->ms_alarms_waiting);
	printf("alarms_raised %llu\n", (unsigned long long)s->ms_alarms_raised);
	printf("alarms_answered %llu\n",
	    (unsigned long long)s->ms_alarms_answered);
	printf("alarms_timed_out %llu\n",
	    (unsigned long long)s->ms_alarms_timed_out);
	printf("alarms_coalesced %llu\n",
	    (unsigned long long)s->ms_alarms_coalesced);
	printf("alarms_dropped %llu\n", (unsigned long long)s->ms_alarms_dropped);
	printf("rules_written %llu\n", (unsigned long long)s->ms_alarms_persisted);
	printf("peers_refused %llu\n", (unsigned long long)s->ms_peers_refused);
	printf("records_invalid %llu\n", (unsigned long long)s->ms_msgs_invalid);
	printf("decisions_logged %llu\n", (unsigned long long)s->ms_logged);
	printf("decisions:%14s %10s %10s\n", "permit", "deny", "would-deny");
	for (op = 1; op < POLICY_OP_COUNT; op++) {
		const uint64_t *d = s->ms_decisions[op];

		if (d[0] + d[1] + d[2] == 0)
			continue;
		printf("  %-18s %10llu %10llu %10llu\n",
		    policy_name_of(policy_op_names, op), (unsigned long long)d[0],
		    (unsigned long long)d[1], (unsigned long long)d[2]);
		total += d[0] + d[1] + d[2];
	}
	printf("  %-18s %10llu\n", "total", (unsigned long long)total);
	printf("filter_decided %llu\n",
	    (unsigned long long)s->ms_filter_decided);
	printf("filter_uncounted_runs %llu\n",
	    (unsigned long long)s->ms_filter_uncounted);
	printf("latency (decisions at most):\n");
	for (i = 0; i < POLICY_LAT_BUCKETS; i++)
		if (s->ms_latency[i] != 0)
			printf("  %-6s %llu\n", lat[i],
			    (unsigned long long)s->ms_latency[i]);
	if (total != 0)
		printf("  mean   %.1f us\n", (double)s->ms_latency_sum_ns /
		    (double)total / 1000.0);
}

int
policyctl_stats(int argc, char **argv)
{
	union policy_msg_buf *b;
	const char *sock = NULL;
	int i, fd, t;

	if (policyctl_wants_help(argc, argv)) {
		policyctl_stats_usage(stdout);
		return PCTL_EXIT_OK;
	}
	for (i = 1; i < argc; i++) {
		if ((strcmp(argv[i], "-s") == 0 ||
		    strcmp(argv[i], "--socket") == 0) && i + 1 < argc)
			sock = argv[++i];
		else {
			fprintf(stderr, "policyctl stats: unknown argument '%s'\n",
			    argv[i]);
			policyctl_stats_usage(stderr);
			return PCTL_EXIT_USAGE;
		}
	}
	if ((fd = policyctl_connect("stats", sock)) < 0)
		return PCTL_EXIT_SYSTEM;
	if ((b = malloc(sizeof(*b))) == NULL) {
		close(fd);
		return PCTL_EXIT_SYSTEM;
	}
	t = policyctl_request("stats", fd, POLICY_MSG_STATS_REQ, NULL, 0, b,
	    10000);
	close(fd);
	if (t == POLICY_MSG_STATS)
		policyctl_stats_print(POLICY_MSG_BODY(b));
	else if (t > 0)
		fprintf(stderr, "policyctl stats: unexpected reply\n");
	free(b);
	return t == POLICY_MSG_STATS ? PCTL_EXIT_OK : PCTL_EXIT_SYSTEM;
}
