/* policy_json.c: the decision log format: one decision as one JSON line (time, pid,
 * program, operation, arguments, action, rule file:line, latency). */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "policy_interactive.h"

static const char *const policy_decided_names[POLICY_DECIDED_COUNT] = {
	"permit", "deny", "would-deny"
};

void
policy_json_decision(const struct policy_msg_decision *d, long uid,
    char *buf, size_t cap)
{
	char when[64], prog[600], rule[700], args[4096], op[80];
	time_t sec = (time_t)(d->md_time_ns / 1000000000u);
	struct tm tm;
	char where[POLICY_NAME_MAX + 32], uidpart[32] = "";
	int n;

	if (cap == 0)
		return;
	if (gmtime_r(&sec, &tm) == NULL)
		memset(&tm, 0, sizeof(tm));
	n = (int)strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(when + n, sizeof(when) - (size_t)n, ".%06uZ",
	    (unsigned)(d->md_time_ns % 1000000000u / 1000u));
	policy_json_string(d->md_program, prog, sizeof(prog));
	if (d->md_flags & POLICY_DECISION_DEFAULT)
		snprintf(where, sizeof(where), "%s:default", d->md_policy);
	else
		snprintf(where, sizeof(where), "%s:%u", d->md_policy,
		    (unsigned)d->md_line);
	policy_json_string(where, rule, sizeof(rule));
	policy_json_string(policy_request_opname(&d->md_req), op, sizeof(op));
	policy_request_json(&d->md_req, args, sizeof(args));
	if (uid >= 0)
		snprintf(uidpart, sizeof(uidpart), "\"uid\":%ld,", uid);
	snprintf(buf, cap, "{\"time\":\"%s\",\"pid\":%d,%s\"program\":%s,"
	    "\"operation\":%s,\"arguments\":%s,\"action\":\"%s\",\"asked\":%s,"
	    "\"rule\":%s,\"latency_us\":%.3f}\n", when, (int)d->md_pid,
	    uidpart, prog, op, args,
	    d->md_action < POLICY_DECIDED_COUNT ?
	    policy_decided_names[d->md_action] : "?",
	    (d->md_flags & POLICY_DECISION_ASKED) ? "true" : "false", rule,
	    (double)d->md_latency_ns / 1000.0);
}
