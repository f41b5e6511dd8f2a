/* policy_blob_index.c: a rule's index key, by which the compiler indexes it, and the
 * validator's check that a blob's index says what its rules say (keys and hints). */
#include "policy_impl.h"

/*
 * The index key of a rule for field f, derived from its condition: a test
 * on f gives an exact key (eq, or match without wildcards) or a prefix
 * (the head of a match or regex, inpath without trailing '/'); "and"
 * keeps the better side (exact before prefix, then the longer prefix,
 * then the left one); "or" and "not" give none.  The condition is postfix
 * code, so keys are combined on a stack like values.  The compiler
 * indexes each rule by this key (policy_build.c), and the validator finds
 * the rule where it says.
 */

static struct policy_key
policy_key_of_test(const struct policy *p, const struct policy_insn *in)
{
	struct policy_key k = { policy_str(p, in->pi_str), in->pi_str.len, 0 };

	switch (in->pi_cmp) {
	case POLICY_C_EQ:
		k.pk_kind = 1;
		break;
	case POLICY_C_MATCH:
		k.pk_kind = in->pi_tail.len == 0 ? 1 : 2;
		break;
	case POLICY_C_INPATH:
		while (k.pk_len > 1 && k.pk_str[k.pk_len - 1] == '/')
			k.pk_len--;
		k.pk_kind = 2;
		break;
	case POLICY_C_RE:
		k.pk_kind = 2;
		break;
	default:
		break;
	}
	if (k.pk_kind == 2 && k.pk_len == 0)
		k.pk_kind = 0;
	if (k.pk_len >= POLICY_PATH_MAX)	/* longer than any request value */
		k.pk_len = POLICY_PATH_MAX - 1;
	return k;
}

/* Rule r's key for field f.  r's code must be valid. */
struct policy_key
policy_rule_key(const struct policy *p, const struct policy_rule *r, int f)
{
	struct policy_key st[POLICY_STACK_MAX + 1], none = { NULL, 0, 0 };
	unsigned sp = 0;
	uint32_t i;

	for (i = 0; i < r->pr_ncode; i++) {	/* validated: no under/overflow */
		const struct policy_insn *in = policy_rule_insn(p, r, i);
		struct policy_key a, b;

		switch (in->pi_kind) {
		case POLICY_I_STR:
			st[sp++] = (int)in->pi_field == f ?
			    policy_key_of_test(p, in) : none;
			break;
		case POLICY_I_INT:
			st[sp++] = none;
			break;
		case POLICY_I_NOT:
			st[sp - 1] = none;
			break;
		case POLICY_I_OR:
			st[--sp - 1] = none;
			break;
		default:		/* AND */
			b = st[--sp];
			a = st[sp - 1];
			if (b.pk_kind != 0 && (a.pk_kind == 0 ||
			    b.pk_kind < a.pk_kind || (b.pk_kind == 2 &&
			    a.pk_kind == 2 && b.pk_len > a.pk_len)))
				st[sp - 1] = b;
			break;
		}
	}
	return sp == 0 ? none : st[0];
}

/* Is rule rn in list l (ascending)? */
static bool
policy_list_has(const struct policy *p, struct policy_list l, uint32_t rn)
{
	uint32_t lo = 0, hi = l.count;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2, r = policy_list_rule(p, l, mid);

		if (r == rn)
			return true;
		if (r < rn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

/* The list of the exact key k under op, or an empty one. */
static struct policy_list
policy_exact_list(const struct policy *p, unsigned op, struct policy_key k)
{
	const struct policy_hashent *he = policy_hash_entry(p, op, k.pk_str,
	    k.pk_len, policy_hash(op, k.pk_str, k.pk_len));

	return he != NULL ? he->ph_rules : (struct policy_list){ 0, 0 };
}

/* The list of the trie node whose path from op's root is the prefix k,
 * or an empty one. */
static struct policy_list
policy_prefix_list(const struct policy *p, unsigned op, struct policy_key k)
{
	uint32_t node = p->p_opindex[op].po_root, pos = 0;

	while (node != POLICY_NONE) {
		const struct policy_node *n = &p->p_nodes[node];
		uint32_t len = n->pn_label.len;

		if (len > k.pk_len - pos ||
		    memcmp(policy_str(p, n->pn_label), k.pk_str + pos, len) != 0)
			break;
		pos += len;
		if (pos == k.pk_len)
			return n->pn_rules;
		node = policy_child(p, n, (unsigned char)k.pk_str[pos]);
	}
	return (struct policy_list){ 0, 0 };
}

/* Every rule is listed, for each operation it covers, where its key puts
 * it: under its exact key, at the trie node of its prefix, or in the
 * operation's list of unindexed rules.  Otherwise the evaluator would
 * never consider it, and the blob would not do what its rules say.  A
 * rule's key depends on the operation only through its primary field, so
 * it is derived once per field. */
static const char *
policy_rules_indexed(const struct policy *p)
{
	uint32_t rn;
	unsigned op;

	for (rn = 0; rn < p->p_nrules; rn++) {
		const struct policy_rule *r = &p->p_rules[rn];
		struct policy_key k, kf_key = { NULL, 0, 0 };
		int kf = -1;		/* the field kf_key is for */

		if ((rn & 1023) == 1023)
			policy_os_yield();	/* a large blob is long work */
		for (op = 1; op < POLICY_OP_COUNT; op++) {
			int f = policy_field_primary(op);
			struct policy_list l;

			if (!policy_op_in_alias(r->pr_op, op))
				continue;
			if (f >= 0 && f != kf) {
				kf_key = policy_rule_key(p, r, f);
				kf = f;
			}
			k = f >= 0 ? kf_key : (struct policy_key){ NULL, 0, 0 };
			if (k.pk_kind == 1)
				l = policy_exact_list(p, op, k);
			else if (k.pk_kind == 2)
				l = policy_prefix_list(p, op, k);
			else
				l = p->p_opindex[op].po_generic;
			if (!policy_list_has(p, l, rn))
				return "a rule is missing from the index";
		}
	}
	return NULL;
}

/* Is the path of trie node n (its labels from the top; up[i]: node i's
 * parent + 1, or 0; plen[i]: its path's length) the len bytes at s? */
static bool
policy_node_path_is(const struct policy *p, const uint32_t *up,
    const uint32_t *plen, uint32_t n, const char *s, uint32_t len)
{
	if (plen[n] != len)
		return false;
	for (;;) {
		const struct policy_node *nd = &p->p_nodes[n];
		uint32_t l = nd->pn_label.len;

		if (memcmp(p->p_strtab + nd->pn_label.off, s + len - l, l) != 0)
			return false;
		len -= l;
		if (up[n] == 0)
			return true;	/* len is 0: the lengths add up */
		n = up[n] - 1;		/* a parent lies before its children */
	}
}

/*
 * An index hint lets the evaluator take the entry a rule was found by for
 * the rule's whole test, or for its head, so the entry must say what the
 * test says: a KEYEQ rule listed under an exact key has that key as its
 * operand, and a KEYINPATH or KEYHEAD rule listed at a trie node has that
 * node's path as its operand or head.  For a node to have one path, it has one parent at most, and a
 * root none; no path is longer than a request's value can be, so checking
 * one costs at most POLICY_PATH_MAX bytes.  up, plen: room for a parent
 * link and a path length per node.
 */
static const char *
policy_hints_fit(const struct policy *p, uint32_t *up, uint32_t *plen)
{
	uint32_t i, k, e;

	for (e = 0; e < p->p_nhashent; e++) {
		const struct policy_hashent *he = &p->p_hashent[e];

		for (k = 0; k < he->ph_rules.count; k++) {
			const struct policy_rule *r =
			    &p->p_rules[policy_list_rule(p, he->ph_rules, k)];

			if ((r->pr_flags & POLICY_RULE_KEYEQ) &&
			    (r->pr_test.pi_str.len != he->ph_key.len ||
			    memcmp(policy_str(p, r->pr_test.pi_str),
			    policy_str(p, he->ph_key), he->ph_key.len) != 0))
				return "exact key and its rule's operand differ";
		}
	}
	for (i = 0; i < p->p_nnodes; i++)
		for (k = 0; k < p->p_nodes[i].pn_nchild; k++) {
			if (up[p->p_nodes[i].pn_child + k] != 0)
				return "trie node with two parents";
			up[p->p_nodes[i].pn_child + k] = i + 1;
		}
	for (i = 0; i < POLICY_OP_COUNT; i++)
		if (p->p_opindex[i].po_root != POLICY_NONE &&
		    up[p->p_opindex[i].po_root] != 0)
			return "trie root under another node";
	for (i = 0; i < p->p_nnodes; i++) {	/* parents first */
		plen[i] = (up[i] != 0 ? plen[up[i] - 1] : 0) +
		    p->p_nodes[i].pn_label.len;
		if (plen[i] >= POLICY_PATH_MAX)
			return "trie path longer than any request value";
	}
	for (i = 0; i < p->p_nnodes; i++) {
		struct policy_list l = p->p_nodes[i].pn_rules;
		struct policy_ref fits = { 0, 0 };	/* an operand that fits */
		bool found = false;

		if ((i & 1023) == 1023)
			policy_os_yield();
		for (k = 0; k < l.count; k++) {
			const struct policy_rule *r =
			    &p->p_rules[policy_list_rule(p, l, k)];
			struct policy_ref o = r->pr_test.pi_str;

			if ((r->pr_flags & (POLICY_RULE_KEYINPATH |
			    POLICY_RULE_KEYHEAD)) == 0 ||
			    (found && o.off == fits.off && o.len == fits.len))
				continue;
			if (!policy_node_path_is(p, up, plen, i,
			    policy_str(p, o), o.len))
				return "trie path and its rule's operand differ";
			fits = o;
			found = true;
		}
	}
	return NULL;
}

/*
 * Does the index of structurally valid policy p say what its rules say?
 * 0 if so; else EINVAL (or ENOMEM) and *why says what is wrong.
 */
int
policy_index_agrees(const struct policy *p, const char **why)
{
	size_t nodes = (size_t)p->p_nnodes * sizeof(uint32_t);
	size_t size = 2 * nodes;
	uint32_t *up, *plen;

	*why = NULL;
	if ((up = policy_os_zalloc(size + 1)) == NULL) {
		*why = "no memory to check the index";
		return ENOMEM;
	}
	plen = up + p->p_nnodes;
	if ((*why = policy_hints_fit(p, up, plen)) == NULL)
		*why = policy_rules_indexed(p);
	policy_os_free(up, size + 1);
	return *why != NULL ? EINVAL : 0;
}
