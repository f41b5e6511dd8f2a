/* policy_linux_analysis.c: what a policy's rules say about an operation as a whole: does
 * a rule apply to it, is its decision fixed whatever the arguments, may it ask. */
#include <string.h>

#include "policy_linux.h"

/* Does rule r apply to requests of operation op (ignoring its condition)? */
bool
policy_linux_rule_for(const struct policy_rule *r, unsigned op, int cls)
{
	if ((r->pr_emul & (1u << POLICY_EMUL_NATIVE)) == 0)
		return false;
	if (r->pr_op == op)
		return true;
	if (op == POLICY_OP_OPEN)
		return r->pr_op == POLICY_OP_FSREAD ||
		    r->pr_op == POLICY_OP_FSWRITE;
	return cls != 0 && r->pr_op == (unsigned)cls;
}

/* The alias class (fsread, fswrite) of operation op, or 0. */
int
policy_linux_class(unsigned op)
{
	struct policy_request req;

	memset(&req, 0, sizeof(req));
	req.pr_op = (uint16_t)op;
	return policy_op_class(&req);
}

bool
policy_linux_op_constant(const struct policy *p, unsigned op)
{
	int cls = policy_linux_class(op);
	uint32_t i;

	/* a move is checked against every path rule (policy_move.c) */
	if ((op == POLICY_OP_RENAME || op == POLICY_OP_LINK) &&
	    !policy_move_free(p))
		return false;
	for (i = 0; i < p->p_nrules; i++) {
		const struct policy_rule *r = &p->p_rules[i];

		if (!policy_linux_rule_for(r, op, cls))
			continue;
		if (r->pr_ncode > 0)
			return false;
		if (r->pr_op == op)
			return true;
		/*
		 * An alias rule (fsread, fswrite) meets every request of an
		 * operation always in that alias: all but open, whose alias
		 * depends on its flags.  Only its permits are left to the
		 * filter: the kernel then makes the call as it would unconfined;
		 * a denial by the supervisor reports a missing file first, as
		 * the kernel would, where the filter could not.
		 */
		return op != POLICY_OP_OPEN && r->pr_action == POLICY_ACT_PERMIT;
	}
	return true;
}

/*
 * Can a request of op be decided "ask"?  Only if an ask rule for it comes
 * before any rule that every such request meets (one without a condition),
 * or the default is ask and no such rule comes at all.  For open, opencls
 * is the alias the open belongs to by its flags (POLICY_OP_FSREAD or
 * POLICY_OP_FSWRITE), or 0 when not known (either).  Calls by name,
 * renames and links (checked against other operations' rules too) can
 * whenever the default is ask.
 */
bool
policy_linux_op_may_ask(const struct policy *p, unsigned op, unsigned opencls)
{
	int cls = policy_linux_class(op);
	bool defask = p->p_hdr->ph_default_action == POLICY_ACT_ASK;
	uint32_t i;

	if (defask && (op == POLICY_OP_SYSCALL || op == POLICY_OP_RENAME ||
	    op == POLICY_OP_LINK))
		return true;
	for (i = 0; i < p->p_nrules; i++) {
		const struct policy_rule *r = &p->p_rules[i];
		bool all;

		if (op == POLICY_OP_OPEN && opencls != 0) {
			if ((r->pr_emul & (1u << POLICY_EMUL_NATIVE)) == 0 ||
			    (r->pr_op != op && r->pr_op != opencls))
				continue;
			all = true;
		} else {
			if (!policy_linux_rule_for(r, op, cls))
				continue;
			/* an alias rule meets only some opens */
			all = op != POLICY_OP_OPEN || r->pr_op == op;
		}
		if (r->pr_action == POLICY_ACT_ASK)
			return true;
		if (r->pr_ncode == 0 && all)
			return false;
	}
	return defask;
}

/* Does rule r's condition test a field of fields (bits 1 << POLICY_F_*)? */
bool
policy_linux_rule_tests(const struct policy *p, const struct policy_rule *r,
    uint32_t fields)
{
	uint32_t j;

	for (j = 0; j < r->pr_ncode; j++) {
		const struct policy_insn *in = policy_rule_insn(p, r, j);

		if ((in->pi_kind == POLICY_I_STR ||
		    in->pi_kind == POLICY_I_INT) && in->pi_field < 32 &&
		    (fields & (1u << in->pi_field)))
			return true;
	}
	return false;
}

bool
policy_linux_rules_test(const struct policy *p, unsigned op, uint32_t fields)
{
	int cls = policy_linux_class(op);
	uint32_t i;

	for (i = 0; i < p->p_nrules; i++)
		if (policy_linux_rule_for(&p->p_rules[i], op, cls) &&
		    policy_linux_rule_tests(p, &p->p_rules[i], fields))
			return true;
	return false;
}

bool
policy_linux_every_pol(const struct policy_sup *s,
    bool (*test)(const struct policy_sup *, const struct policy *))
{
	size_t i;

	if (!test(s, s->s_pol))
		return false;
	for (i = 1; i < s->s_npols; i++)
		if (!test(s, s->s_pols[i]))
			return false;
	return true;
}
