/* policy_linux_log.c: the supervisor's log lines: a verdict on a call, with the request
 * described and the rule's file:line (or the reason), and notes about a call. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy_linux.h"

/* A compact, printable description of the request for logs. */
static void
policy_linux_describe(const struct policy_request *r, char *buf, size_t cap)
{
	static const char *const fname[POLICY_F_NSTR] = {
		"filename", "filename2", "sockaddr", "argv", "syscall"
	};
	const char *str[POLICY_F_NSTR] = { r->pr_filename, r->pr_filename2,
	    r->pr_sockaddr, r->pr_argv, r->pr_syscall };
	size_t n = 0;
	unsigned f;

	buf[0] = '\0';
	for (f = 0; f < POLICY_F_COUNT && n < cap; f++) {
		if (!(r->pr_present & (1u << f)) ||
		    (f == POLICY_F_SYSCALL && r->pr_op == POLICY_OP_SYSCALL))
			continue;
		if (f < POLICY_F_NSTR) {
			char tmp[160];
			size_t i, j = 0;

			for (i = 0; str[f][i] && j + 5 < sizeof(tmp); i++) {
				unsigned char ch = (unsigned char)str[f][i];
				if (ch < 0x20 || ch >= 0x7f || ch == '"')
					j += (size_t)snprintf(tmp + j,
					    sizeof(tmp) - j, "\\x%02x", ch);
				else
					tmp[j++] = (char)ch;
			}
			tmp[j] = '\0';
			n += (size_t)snprintf(buf + n, cap - n, " %s=\"%s%s\"",
			    fname[f], tmp, str[f][i] ? "..." : "");
		} else {
			const char *nm = policy_name_of(policy_field_names, f);
			n += (size_t)snprintf(buf + n, cap - n, " %s=%#llx",
			    nm ? nm : "?",
			    (unsigned long long)r->pr_int[f - POLICY_F_NSTR]);
		}
	}
}

static const char *
policy_linux_opname(const struct policy_request *r)
{
	const char *n;

	if (r->pr_op == POLICY_OP_SYSCALL)
		return r->pr_syscall;
	n = policy_name_of(policy_op_names, r->pr_op);
	return n ? n : "?";
}

/* One line per verdict: the call, what it asked for, and the rule's
 * file:line, "default", or why (a refusal of the supervisor's own). */
void
policy_linux_log_verdict(struct policy_linux_call *c, const char *verdict,
    const char *why)
{
	const struct policy_sup *s = c->c_sup;
	const struct policy_decision *d = &c->c_dec;
	char desc[1024], where[320];

	policy_linux_describe(&c->c_req, desc, sizeof(desc));
	if (why != NULL)
		snprintf(where, sizeof(where), "%s: %s", c->c_source ?
		    c->c_source : s->s_source, why);
	else if (d->pd_rule != POLICY_NONE)
		snprintf(where, sizeof(where), "%s:%u", c->c_source ?
		    c->c_source : s->s_source,
		    (unsigned)d->pd_line);
	else
		snprintf(where, sizeof(where), "%s: default", c->c_source ?
		    c->c_source : s->s_source);
	fprintf(s->s_log, "policyctl: pid %d: %s %s%s (%s)\n", (int)c->c_tid,
	    verdict, policy_linux_opname(&c->c_req), desc, where);
	fflush(s->s_log);
}


/* A supervisor message about a call (not a policy decision). */
void
policy_linux_note(struct policy_linux_call *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(c->c_sup->s_log, "policyctl: pid %d: ", (int)c->c_tid);
	va_start(ap, fmt);
	vfprintf(c->c_sup->s_log, fmt, ap);
	va_end(ap);
	fputc('\n', c->c_sup->s_log);
	fflush(c->c_sup->s_log);
}
