/* policy_move.c: does a rename or a link widen what the policy permits?  Whether every rule
 * decides each path at and beneath the object's old place as it decides the same path at its new one. */
/*
 * Path rules are only as strong as paths are stable: a program that may
 * rename /srv/no to /srv/moved reads what a "match" on /srv/no/... was
 * written to deny.  A move from A to B is let through only if no rule can
 * tell A+s from B+s, for s empty (the object itself) or, when the object
 * is a directory, any "/..." (what lies beneath it): then every
 * operation decides every path beneath the new place exactly as beneath
 * the old one.  This is decided from the rules' tests, not by walking the
 * file system: per test, exactly (the matchers' states after reading A
 * and B are compared, so equal states mean equal outcomes for every
 * continuation); a rule is reported as soon as one of its path tests
 * might tell the two apart.  Moves into a more restricted place are
 * refused too: the question is "decided the same", not "not wider".
 */
#include "policy_impl.h"

/* The fields of op's rules that name a path a move can change. */
bool
policy_move_field(unsigned op, unsigned field)
{
	switch (op) {
	case POLICY_OP_SYSCALL: case POLICY_OP_SOCKET: case POLICY_OP_KILL:
	case POLICY_OP_PTRACE:
		return false;
	case POLICY_OP_CONNECT: case POLICY_OP_BIND:
	case POLICY_OP_SENDTO: case POLICY_OP_SENDMSG:
		return field == POLICY_F_SOCKADDR;	/* unix-PATH */
	case POLICY_OP_RENAME: case POLICY_OP_LINK: case POLICY_OP_FSWRITE:
		return field == POLICY_F_FILENAME || field == POLICY_F_FILENAME2;
	default:
		return field == POLICY_F_FILENAME;
	}
}

/* Where "path is inside dir k" stands for v+s: 2 always, 1 for some s, 0 never. */
static int
policy_move_inpath(const char *v, size_t vlen, const char *k, size_t klen)
{
	while (klen > 1 && k[klen - 1] == '/')
		klen--;
	if (policy_inpath(v, vlen, k, klen))
		return 2;
	return klen > vlen && memcmp(k, v, vlen) == 0 && k[vlen] == '/';
}

/*
 * For a substring k that v does not hold: the splits k = k1 k2 (k2
 * starting with '/') whose k1 ends v, as a bitmap of k1's lengths; two
 * values with the same splits meet k across their end alike.
 */
static bool
policy_move_sub_same(const char *a, size_t alen, const char *b, size_t blen,
    const char *k, size_t klen)
{
	size_t i;

	for (i = 1; i < klen; i++) {
		if (k[i] != '/')
			continue;
		if ((alen >= i && memcmp(a + alen - i, k, i) == 0) !=
		    (blen >= i && memcmp(b + blen - i, k, i) == 0))
			return false;
	}
	return true;
}

/*
 * Where a pattern test with head h stands after v, for continuations
 * that start with '/': -1 dead, 0 still in the head (pending), 1 past it.
 */
static int
policy_move_head(const char *v, size_t vlen, const char *h, size_t hlen)
{
	if (vlen >= hlen)
		return memcmp(v, h, hlen) == 0 ? 1 : -1;
	if (memcmp(v, h, vlen) != 0 || h[vlen] != '/')
		return -1;
	return 0;
}

struct policy_move_work {
	char		a[POLICY_PATH_MAX + 8], b[POLICY_PATH_MAX + 8];
	uint8_t		sa[POLICY_GLOB_STATES_MAX / 8 + 1];
	uint8_t		sb[POLICY_GLOB_STATES_MAX / 8 + 1];
};

/* Can test in tell a+s from b+s, for s "" or (dir) any "/..."? */
static bool
policy_move_test_same(const struct policy *p, const struct policy_insn *in,
    struct policy_move_work *w, size_t alen, size_t blen, bool dir)
{
	const char *k = policy_str(p, in->pi_str);
	size_t klen = in->pi_str.len;
	int ha, hb;
	bool ma, mb;

	/* s empty: the object itself. */
	if (policy_test_value(p, in, w->a, alen, false) !=
	    policy_test_value(p, in, w->b, blen, false))
		return false;
	if (!dir)
		return true;
	switch (in->pi_cmp) {
	case POLICY_C_EQ:
	case POLICY_C_NEQ:
		return policy_move_inpath(w->a, alen, k, klen) != 1 &&
		    policy_move_inpath(w->b, blen, k, klen) != 1;
	case POLICY_C_INPATH:
		ha = policy_move_inpath(w->a, alen, k, klen);
		hb = policy_move_inpath(w->b, blen, k, klen);
		return ha == hb && ha != 1;
	case POLICY_C_SUB:
	case POLICY_C_NSUB:
		ma = policy_substr(w->a, alen, k, klen);
		mb = policy_substr(w->b, blen, k, klen);
		return ma == mb && (ma ||
		    policy_move_sub_same(w->a, alen, w->b, blen, k, klen));
	case POLICY_C_MATCH:
	case POLICY_C_NMATCH:
	case POLICY_C_RE:
	case POLICY_C_NRE:
		ha = policy_move_head(w->a, alen, k, klen);
		hb = policy_move_head(w->b, blen, k, klen);
		if (ha == -1 && hb == -1)
			return true;
		if (ha != 1 || hb != 1)
			return false;	/* a head still to complete */
		if (in->pi_cmp == POLICY_C_MATCH || in->pi_cmp == POLICY_C_NMATCH) {
			const char *t = policy_str(p, in->pi_tail);
			size_t tlen = in->pi_tail.len, nb = tlen / 8 + 1;

			if (tlen > POLICY_GLOB_STATES_MAX)
				return false;
			memset(w->sa, 0, nb);
			memset(w->sb, 0, nb);
			policy_glob_states(t, tlen, w->a + klen, alen - klen,
			    w->sa);
			policy_glob_states(t, tlen, w->b + klen, blen - klen,
			    w->sb);
			return memcmp(w->sa, w->sb, nb) == 0;
		}
		policy_rx_states(p, (uint32_t)in->pi_value, w->a, alen, klen,
		    w->sa, &ma);
		policy_rx_states(p, (uint32_t)in->pi_value, w->b, blen, klen,
		    w->sb, &mb);
		return ma == mb && (ma ||
		    memcmp(w->sa, w->sb, POLICY_RX_MAX / 8) == 0);
	default:
		return false;
	}
}

/* a and b, behind prefix, into the work buffers; false if too long. */
static bool
policy_move_values(struct policy_move_work *w, const char *prefix,
    const char *from, const char *to, size_t *alen, size_t *blen)
{
	size_t pl = strlen(prefix), fl = strlen(from), tl = strlen(to);

	if (pl + fl >= sizeof(w->a) || pl + tl >= sizeof(w->b))
		return false;
	memcpy(w->a, prefix, pl);
	memcpy(w->a + pl, from, fl + 1);
	memcpy(w->b, prefix, pl);
	memcpy(w->b + pl, to, tl + 1);
	*alen = pl + fl;
	*blen = pl + tl;
	return true;
}

/*
 * Does every rule decide each path at from (and, dir: beneath it) as it
 * decides the same path at to?  If not, *rulep is the first rule that
 * might tell them apart (or whose test the paths are too long for).
 * Fails closed (false, POLICY_NONE) if memory is short.
 */
bool
policy_move_same(const struct policy *p, const char *from, const char *to,
    bool dir, uint32_t *rulep)
{
	struct policy_move_work *w;
	const struct policy_rule *r;
	const struct policy_insn *in;
	size_t alen, blen;
	uint32_t i, j;
	bool same = true;

	*rulep = POLICY_NONE;
	if ((w = policy_os_zalloc(sizeof(*w))) == NULL)
		return false;
	for (i = 0; i < p->p_nrules && same; i++) {
		r = &p->p_rules[i];
		for (j = 0; j < r->pr_ncode && same; j++) {
			in = policy_rule_insn(p, r, j);
			if (in->pi_kind != POLICY_I_STR ||
			    !policy_move_field(r->pr_op, in->pi_field))
				continue;
			if (!policy_move_values(w,
			    in->pi_field == POLICY_F_SOCKADDR ? "unix-" : "",
			    from, to, &alen, &blen) ||
			    !policy_move_test_same(p, in, w, alen, blen, dir)) {
				same = false;
				*rulep = i;
			}
		}
		if ((i & 1023) == 1023)
			policy_os_yield();
	}
	policy_os_free(w, sizeof(*w));
	return same;
}

/* Can no move change a decision: no rule tests a path a move changes? */
bool
policy_move_free(const struct policy *p)
{
	const struct policy_rule *r;
	const struct policy_insn *in;
	uint32_t i, j;

	for (i = 0; i < p->p_nrules; i++) {
		r = &p->p_rules[i];
		for (j = 0; j < r->pr_ncode; j++) {
			in = policy_rule_insn(p, r, j);
			if (in->pi_kind == POLICY_I_STR &&
			    policy_move_field(r->pr_op, in->pi_field))
				return false;
		}
	}
	return true;
}

/*
 * The check every enforcement point makes after a rename or link was
 * permitted (decision d): the object at from (a directory, or with dir
 * possibly one) becomes reachable at to; with exchange, the object at to
 * (to_dir) at from as well.  Let through if the rule that permitted it
 * says "widen", or if the move changes no decision; otherwise false, and
 * why says which rule it would change (or that it could not be decided).
 */
bool
policy_move_permitted(const struct policy *p, const struct policy_decision *d,
    const char *from, const char *to, bool dir, bool exchange, char *why,
    size_t whylen)
{
	uint32_t rule;

	if (d->pd_rule != POLICY_NONE && d->pd_rule < p->p_nrules &&
	    (p->p_rules[d->pd_rule].pr_flags & POLICY_RULE_WIDEN))
		return true;
	if (policy_move_same(p, from, to, dir, &rule) && (!exchange ||
	    policy_move_same(p, to, from, dir, &rule)))
		return true;
	if (rule == POLICY_NONE)
		snprintf(why, whylen, "move not decidable (paths too long or "
		    "no memory)");
	else
		snprintf(why, whylen, "move would change how the rule at "
		    "line %u decides", (unsigned)p->p_rules[rule].pr_line);
	return false;
}
