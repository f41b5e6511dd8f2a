/* policyd_console_alarms.c: the pending alarms the console's user may see, as JSON: what
 * (call, copied arguments), who (pid, program, user), which rule asked, time left. */
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policyd.h"
#include "policy_interactive.h"

struct pd_client *
pd_console_client(void)
{
	static struct pd_client c = { .fd = -1 };

	c.uid = pd.cfg.console_uid;
	c.gid = pd.cfg.console_gid;
	return &c;
}

static void
pd_console_alarm_json(struct pd_buf *b, const struct pd_alarm *a,
    uint64_t now)
{
	static char desc[POLICY_PATH_MAX * 3 + 1024];
	static char args[POLICY_PATH_MAX * 3 + 1024];
	static char rule[POLICY_PATH_MAX * 2 + 128];
	static char dir[POLICY_PATH_MAX], pat[POLICY_PATH_MAX];
	const struct policy_msg_alarm *m = &a->a_msg;
	const struct policy_request *r = &m->ma_alarm.pa_req;
	struct passwd *pw = getpwuid(a->a_owner);
	const char *ename = policy_name_of(policy_errno_names,
	    (int64_t)policy_errno_native(m->ma_errno));

	policy_request_describe(r, desc, sizeof(desc));
	policy_request_json(r, args, sizeof(args));
	if (policy_request_rule(r, POLICY_ACT_PERMIT, 0, rule, sizeof(rule)) != 0)
		rule[0] = '\0';
	policy_widen_defaults(r, dir, sizeof(dir), pat, sizeof(pat));
	pd_buf_printf(b, "{\"id\":%llu,\"count\":%zu,\"remaining_ms\":%llu,"
	    "\"timeout_ms\":%llu,\"pid\":%d,\"uid\":%u,\"user\":",
	    (unsigned long long)a->a_id, a->a_nw,
	    (unsigned long long)(a->a_deadline_ms > now ?
	    a->a_deadline_ms - now : 0),
	    (unsigned long long)(a->a_deadline_ms - a->a_created_ms),
	    (int)m->ma_alarm.pa_pid, (unsigned)a->a_owner);
	pd_buf_json(b, pw != NULL ? pw->pw_name : "");
	pd_buf_printf(b, ",\"program\":");
	pd_buf_json(b, m->ma_alarm.pa_program);
	pd_buf_printf(b, ",\"operation\":");
	pd_buf_json(b, policy_request_opname(r));
	pd_buf_printf(b, ",\"call\":");
	pd_buf_json(b, desc);
	pd_buf_printf(b, ",\"arguments\":%s,\"policy\":", args[0] ? args : "{}");
	pd_buf_json(b, m->ma_alarm.pa_policy);
	pd_buf_printf(b, ",\"file\":");
	pd_buf_json(b, m->ma_path);
	pd_buf_printf(b, ",\"line\":%u,\"rule\":", (unsigned)m->ma_alarm.pa_line);
	pd_buf_json(b, m->ma_rule);
	pd_buf_printf(b, ",\"errno\":");
	pd_buf_json(b, ename != NULL && m->ma_errno != 0 ? ename : "EPERM");
	pd_buf_printf(b, ",\"writable\":%s,\"exact_rule\":",
	    (m->ma_flags & POLICY_ALARM_PERSIST) ? "true" : "false");
	pd_buf_json(b, rule);
	pd_buf_printf(b, ",\"dir\":");
	pd_buf_json(b, dir);
	pd_buf_printf(b, ",\"pattern\":");
	pd_buf_json(b, pat);
	pd_buf_printf(b, "}");
}

/* {"total":N,"alarms":[...]}: the first max_alarms of those we may see. */
void
pd_console_alarms_json(struct pd_buf *b, size_t max_alarms)
{
	struct pd_client *c = pd_console_client();
	const struct pd_alarm *a;
	uint64_t now = pd_now_ms();
	size_t total = 0, shown = 0;

	pd_buf_printf(b, "{\"alarms\":[");
	for (a = pd.head; a != NULL; a = a->a_next) {
		if (!pd_may_see(c, a))
			continue;
		if (shown < max_alarms) {
			if (shown > 0)
				pd_buf_printf(b, ",");
			pd_console_alarm_json(b, a, now);
			shown++;
		}
		total++;
	}
	pd_buf_printf(b, "],\"total\":%zu,\"uid\":%u}", total, (unsigned)c->uid);
}
