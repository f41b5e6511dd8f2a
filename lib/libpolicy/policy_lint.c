/* policy_lint.c: warnings about policies that compile but may not mean what they say:
 * rules a rename of their directory would move objects out from under (policy_move.c). */
#include <stdio.h>
#include <string.h>

#include "libpolicy.h"

/*
 * The directory a positive path test is anchored at, into buf: inpath's
 * operand, eq's path, the literal head of match or re cut back to its last
 * '/'.  False if the test names no place (sub, negations, an empty head).
 */
static bool
policy_lint_anchor(const struct policy *p, const struct policy_insn *in,
    char *buf, size_t cap)
{
	const char *k = policy_str(p, in->pi_str);
	size_t len = in->pi_str.len;

	switch (in->pi_cmp) {
	case POLICY_C_EQ:
	case POLICY_C_INPATH:
		break;
	case POLICY_C_MATCH:
	case POLICY_C_RE:
		while (len > 0 && k[len - 1] != '/')
			len--;
		break;
	default:
		return false;
	}
	while (len > 1 && k[len - 1] == '/')
		len--;
	if (len < 2 || k[0] != '/' || len >= cap)
		return false;
	memcpy(buf, k, len);
	buf[len] = '\0';
	return true;
}

/*
 * Is a rename of dir to a sibling permitted (by rule or default, or asked
 * by a rule that says "widen"), and would it change a decision?
 */
static bool
policy_lint_renamable(const struct policy *p, const char *dir,
    struct policy_decision *d)
{
	struct policy_request req;
	char to[POLICY_PATH_MAX];
	const char *slash = strrchr(dir, '/');
	uint32_t rule;

	snprintf(to, sizeof(to), "%.*s/.moved", (int)(slash - dir), dir);
	memset(&req, 0, sizeof(req));
	req.pr_op = POLICY_OP_RENAME;
	req.pr_emul = POLICY_EMUL_NATIVE;
	policy_request_set_str(&req, POLICY_F_FILENAME, dir);
	policy_request_set_str(&req, POLICY_F_FILENAME2, to);
	policy_eval(p, &req, d);
	/* asked: the user sees the rename; "widen" is always worth a word */
	return (d->pd_action == POLICY_ACT_PERMIT || (d->pd_rule != POLICY_NONE &&
	    (p->p_rules[d->pd_rule].pr_flags & POLICY_RULE_WIDEN))) &&
	    !policy_move_same(p, dir, to, true, &rule);
}

unsigned
policy_lint_moves(const struct policy *p,
    void (*fn)(void *, unsigned, unsigned, const char *), void *arg)
{
	struct policy_decision d;
	char dir[POLICY_PATH_MAX], msg[POLICY_PATH_MAX + 256], by[64];
	const struct policy_rule *r;
	const struct policy_insn *in;
	unsigned n = 0;
	uint32_t i, j;
	char *slash;
	bool found;

	for (i = 0; i < p->p_nrules; i++) {
		r = &p->p_rules[i];
		/* what a permit rule decides cannot be widened */
		if (r->pr_action == POLICY_ACT_PERMIT)
			continue;
		for (j = 0; j < r->pr_ncode; j++) {
			in = policy_rule_insn(p, r, j);
			if (in->pi_kind == POLICY_I_STR &&
			    policy_move_field(r->pr_op, in->pi_field) &&
			    policy_lint_anchor(p, in, dir, sizeof(dir)))
				break;
		}
		if (j == r->pr_ncode)
			continue;
		/* the anchor, then each ancestor up to (not) the root */
		while (!(found = policy_lint_renamable(p, dir, &d)) &&
		    (slash = strrchr(dir, '/')) != dir)
			*slash = '\0';
		if (!found)
			continue;
		if (d.pd_rule == POLICY_NONE)
			snprintf(by, sizeof(by), "the default");
		else
			snprintf(by, sizeof(by), "the rule at line %u",
			    (unsigned)d.pd_line);
		if (d.pd_rule != POLICY_NONE &&
		    (p->p_rules[d.pd_rule].pr_flags & POLICY_RULE_WIDEN))
			snprintf(msg, sizeof(msg), "warning: this rule can be "
			    "sidestepped: %s permits renaming %s with 'widen', "
			    "which moves what it decides to paths it does not "
			    "name", by, dir);
		else
			snprintf(msg, sizeof(msg), "warning: %s permits renaming "
			    "%s, which would move what this rule decides; such "
			    "moves are refused at run time (see 'Moves' in "
			    "policy.5): deny them, or permit one with 'widen'",
			    by, dir);
		fn(arg, r->pr_line, r->pr_col, msg);
		n++;
	}
	return n;
}
