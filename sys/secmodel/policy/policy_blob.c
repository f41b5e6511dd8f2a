/* policy_blob.c: validator for compiled policies.  A blob is untrusted input: every
 * offset, length, count, string and code path is checked here before any use. */
#include "policy_impl.h"

/* The evaluator counts on a rule and a trie node being one cache line. */
typedef char policy_rule_is_a_line[sizeof(struct policy_rule) == 64 ? 1 : -1];
typedef char policy_node_is_a_line[sizeof(struct policy_node) == 64 ? 1 : -1];
typedef char policy_hashent_is_a_line[
    sizeof(struct policy_hashent) == 64 ? 1 : -1];

struct policy_vctx {
	struct policy	*p;
	char		*err;
	size_t		errlen;
	uint64_t	list_budget;	/* list entries left to reference */
};

static int
policy_bad(struct policy_vctx *v, const char *what)
{
	if (v->err != NULL && v->errlen > 0)
		snprintf(v->err, v->errlen, "invalid policy blob: %s", what);
	return EINVAL;
}

/* CRC-32 of a blob with its checksum field taken as zero. */
uint32_t
policy_blob_checksum(const void *blob, size_t size)
{
	static const uint8_t zero[4];
	const size_t at = offsetof(struct policy_blob_header, ph_checksum);
	uint32_t crc;

	crc = policy_crc32(0, blob, at);
	crc = policy_crc32(crc, zero, sizeof(zero));
	return policy_crc32(crc, (const uint8_t *)blob + at + 4,
	    size - at - 4);
}

static bool
policy_ref_ok(const struct policy *p, struct policy_ref r)
{
	if ((uint64_t)r.off + r.len >= p->p_strtab_size)
		return false;
	if (p->p_strtab[r.off + r.len] != '\0')
		return false;
	return memchr(p->p_strtab + r.off, '\0', r.len) == NULL;
}

/* Operation op is covered by a rule written for rule_op. */
bool
policy_op_in_alias(unsigned rule_op, unsigned op)
{
	if (rule_op == op)
		return true;
	switch (op) {
	case POLICY_OP_OPEN:
		return rule_op == POLICY_OP_FSREAD ||
		    rule_op == POLICY_OP_FSWRITE;
	case POLICY_OP_ACCESS: case POLICY_OP_STAT:
	case POLICY_OP_READLINK: case POLICY_OP_CHDIR:
		return rule_op == POLICY_OP_FSREAD;
	case POLICY_OP_UNLINK: case POLICY_OP_RENAME: case POLICY_OP_MKDIR:
	case POLICY_OP_RMDIR: case POLICY_OP_LINK: case POLICY_OP_SYMLINK:
	case POLICY_OP_CHMOD: case POLICY_OP_CHOWN: case POLICY_OP_TRUNCATE:
	case POLICY_OP_UTIMES:
		return rule_op == POLICY_OP_FSWRITE;
	default:
		return false;
	}
}

/* A rule list: in range, ascending rule numbers, each rule covering op
 * (op < 0: any).  Lists may be shared, but the entries referenced in all
 * may not exceed the LISTS section, so validation stays linear. */
static int
policy_list_ok(struct policy_vctx *v, struct policy_list l, int op)
{
	const struct policy *p = v->p;
	uint32_t i, r, prev = 0;

	if (l.count > 1) {
		if ((uint64_t)l.off + l.count > p->p_nlists)
			return policy_bad(v, "rule list out of range");
		if (l.count > v->list_budget)
			return policy_bad(v, "rule lists referenced too often");
		v->list_budget -= l.count;
	}
	for (i = 0; i < l.count; i++) {
		r = policy_list_rule(p, l, i);
		if (r >= p->p_nrules || (i > 0 && r <= prev))
			return policy_bad(v, "rule list not ascending rule numbers");
		if (op >= 0 && !policy_op_in_alias(p->p_rules[r].pr_op,
		    (unsigned)op))
			return policy_bad(v, "rule listed under another operation");
		prev = r;
	}
	return 0;
}

static int
policy_sections(struct policy_vctx *v, const struct policy_blob_header *h)
{
	static const uint32_t elem[POLICY_S_COUNT] = {
		[POLICY_S_STRTAB] = 1,
		[POLICY_S_RULES] = sizeof(struct policy_rule),
		[POLICY_S_CODE] = sizeof(struct policy_insn),
		[POLICY_S_OPINDEX] = sizeof(struct policy_opindex),
		[POLICY_S_BUCKETS] = sizeof(uint32_t),
		[POLICY_S_HASHENT] = sizeof(struct policy_hashent),
		[POLICY_S_NODES] = sizeof(struct policy_node),
		[POLICY_S_LISTS] = sizeof(uint32_t),
		[POLICY_S_RXPROG] = sizeof(struct policy_rxprog),
		[POLICY_S_RXINSN] = sizeof(struct policy_rxinsn),
		[POLICY_S_CLASSES] = 32,
		[POLICY_S_NODEBYTES] = 1,
		[POLICY_S_BLOOM] = sizeof(uint64_t),
	};
	struct policy *p = v->p;
	unsigned order[POLICY_S_COUNT], n = 0, i, j;

	for (i = 0; i < POLICY_S_COUNT; i++) {
		const struct policy_section *s = &h->ph_sect[i];
		if (s->size == 0)
			continue;
		if ((s->off & 7) != 0 || s->off < h->ph_header_size ||
		    (uint64_t)s->off + s->size > p->p_size)
			return policy_bad(v, "section out of range");
		if (s->size % elem[i] != 0)
			return policy_bad(v, "section size not a whole number of entries");
		/* insertion sort by offset, to find overlaps */
		for (j = n; j > 0 && h->ph_sect[order[j - 1]].off > s->off; j--)
			order[j] = order[j - 1];
		order[j] = i;
		n++;
	}
	for (i = 1; i < n; i++) {
		const struct policy_section *a = &h->ph_sect[order[i - 1]];
		if ((uint64_t)a->off + a->size > h->ph_sect[order[i]].off)
			return policy_bad(v, "sections overlap");
	}
#define SECT(idx, type) \
	((const type *)(const void *)(p->p_base + h->ph_sect[idx].off))
#define COUNT(idx)	(h->ph_sect[idx].size / elem[idx])
	p->p_strtab = SECT(POLICY_S_STRTAB, char);
	p->p_strtab_size = COUNT(POLICY_S_STRTAB);
	p->p_rules = SECT(POLICY_S_RULES, struct policy_rule);
	p->p_nrules = COUNT(POLICY_S_RULES);
	p->p_code = SECT(POLICY_S_CODE, struct policy_insn);
	p->p_ncode = COUNT(POLICY_S_CODE);
	p->p_opindex = SECT(POLICY_S_OPINDEX, struct policy_opindex);
	p->p_buckets = SECT(POLICY_S_BUCKETS, uint32_t);
	p->p_nbuckets = COUNT(POLICY_S_BUCKETS) > 0 ?
	    COUNT(POLICY_S_BUCKETS) - 1 : 0;
	p->p_hashent = SECT(POLICY_S_HASHENT, struct policy_hashent);
	p->p_nhashent = COUNT(POLICY_S_HASHENT);
	p->p_nodes = SECT(POLICY_S_NODES, struct policy_node);
	p->p_nnodes = COUNT(POLICY_S_NODES);
	p->p_lists = SECT(POLICY_S_LISTS, uint32_t);
	p->p_nlists = COUNT(POLICY_S_LISTS);
	p->p_rxprog = SECT(POLICY_S_RXPROG, struct policy_rxprog);
	p->p_nrxprog = COUNT(POLICY_S_RXPROG);
	p->p_rxinsn = SECT(POLICY_S_RXINSN, struct policy_rxinsn);
	p->p_nrxinsn = COUNT(POLICY_S_RXINSN);
	p->p_classes = SECT(POLICY_S_CLASSES, uint8_t);
	p->p_nclasses = COUNT(POLICY_S_CLASSES);
	p->p_nodebytes = SECT(POLICY_S_NODEBYTES, uint8_t);
	p->p_bloom = SECT(POLICY_S_BLOOM, uint64_t);
	p->p_nbloom = COUNT(POLICY_S_BLOOM);
	if (COUNT(POLICY_S_NODEBYTES) != p->p_nnodes)
		return policy_bad(v, "node byte table has the wrong size");
	if (p->p_nbloom == 0 || (p->p_nbloom & (p->p_nbloom - 1)) != 0 ||
	    p->p_nbloom > (1u << 26))
		return policy_bad(v, "Bloom filter size not a power of two");
	if (COUNT(POLICY_S_OPINDEX) != POLICY_OP_COUNT)
		return policy_bad(v, "operation index has the wrong size");
	if (p->p_strtab_size == 0)
		return policy_bad(v, "empty string table");
#undef SECT
#undef COUNT
	return 0;
}

/* Is copy[0..size) the head of valid string r, zero-padded?  (A trie
 * node's label and a hash entry's key keep one, to be read in place.) */
static bool
policy_head_copy_ok(const struct policy *p, struct policy_ref r,
    const void *copy, size_t size)
{
	const uint8_t *c = copy;
	size_t k;

	for (k = 0; k < size; k++)
		if (c[k] != (k < r.len ? (uint8_t)p->p_strtab[r.off + k] : 0))
			return false;
	return true;
}

/* Is any byte of in nonzero? */
static bool
policy_insn_used(const struct policy_insn *in)
{
	const uint8_t *b = (const uint8_t *)in;
	size_t i;

	for (i = 0; i < sizeof(*in); i++)
		if (b[i] != 0)
			return true;
	return false;
}

static int
policy_code_ok(struct policy_vctx *v, const struct policy_rule *r)
{
	const struct policy *p = v->p;
	int depth = 0;
	uint32_t i;

	if (r->pr_ncode > POLICY_CODE_MAX || (r->pr_ncode > 1 &&
	    (uint64_t)r->pr_code + r->pr_ncode - 1 > p->p_ncode))
		return policy_bad(v, "condition code out of range");
	for (i = 0; i < r->pr_ncode; i++) {
		const struct policy_insn *in = policy_rule_insn(p, r, i);

		switch (in->pi_kind) {
		case POLICY_I_STR:
			if (in->pi_field >= POLICY_F_NSTR ||
			    in->pi_cmp < POLICY_C_EQ || in->pi_cmp >= POLICY_C_COUNT ||
			    !policy_ref_ok(p, in->pi_str))
				return policy_bad(v, "bad string test");
			if ((in->pi_cmp == POLICY_C_RE || in->pi_cmp == POLICY_C_NRE) ?
			    (in->pi_value < 0 || in->pi_value >= p->p_nrxprog) :
			    in->pi_value != 0)
				return policy_bad(v, "bad regular expression number");
			if ((in->pi_cmp == POLICY_C_MATCH ||
			    in->pi_cmp == POLICY_C_NMATCH) ?
			    !policy_ref_ok(p, in->pi_tail) :
			    (in->pi_tail.off != 0 || in->pi_tail.len != 0))
				return policy_bad(v, "bad pattern tail");
			depth++;
			break;
		case POLICY_I_INT:
			if (in->pi_field < POLICY_F_NSTR ||
			    in->pi_field >= POLICY_F_COUNT ||
			    (in->pi_cmp != POLICY_C_EQ && in->pi_cmp != POLICY_C_NEQ &&
			    in->pi_cmp != POLICY_C_SUB && in->pi_cmp != POLICY_C_NSUB))
				return policy_bad(v, "bad integer test");
			depth++;
			break;
		case POLICY_I_AND:
		case POLICY_I_OR:
			if (depth < 2)
				return policy_bad(v, "condition stack underflow");
			depth--;
			break;
		case POLICY_I_NOT:
			if (depth < 1)
				return policy_bad(v, "condition stack underflow");
			break;
		default:
			return policy_bad(v, "unknown condition instruction");
		}
		if (depth > POLICY_STACK_MAX)
			return policy_bad(v, "condition too deep");
	}
	if (r->pr_ncode > 0 && depth != 1)
		return policy_bad(v, "condition leaves a bad stack");
	return 0;
}

/* An index hint names the one test the rule's condition is made of. */
static int
policy_hint_ok(struct policy_vctx *v, const struct policy_rule *r)
{
	const struct policy *p = v->p;
	unsigned hint = r->pr_flags & (POLICY_RULE_KEYEQ |
	    POLICY_RULE_KEYINPATH | POLICY_RULE_KEYHEAD);
	const struct policy_insn *in = &r->pr_test;
	const char *s;
	uint32_t len;
	bool fits;

	if (hint == 0)
		return 0;
	if ((hint & (hint - 1)) != 0)
		return policy_bad(v, "two index hints on one rule");
	if (r->pr_ncode != 1 || in->pi_kind != POLICY_I_STR ||
	    (int)in->pi_field != policy_field_primary(r->pr_op))
		return policy_bad(v, "index hint on a rule it does not fit");
	s = policy_str(p, in->pi_str);
	len = in->pi_str.len;
	switch (hint) {
	case POLICY_RULE_KEYEQ:
		fits = in->pi_cmp == POLICY_C_EQ;
		break;
	case POLICY_RULE_KEYINPATH:
		fits = in->pi_cmp == POLICY_C_INPATH && len >= 2 &&
		    s[len - 1] != '/' && len < POLICY_PATH_MAX;
		break;
	default:		/* KEYHEAD: a head the trie can spell */
		fits = (in->pi_cmp == POLICY_C_MATCH ||
		    in->pi_cmp == POLICY_C_RE) &&
		    len >= 1 && len < POLICY_PATH_MAX;
		break;
	}
	if (!fits)
		return policy_bad(v, "index hint on a rule it does not fit");
	return 0;
}

static int
policy_rules_ok(struct policy_vctx *v)
{
	const struct policy *p = v->p;
	uint32_t i, next_code = 0;
	int error;

	if (p->p_nrules != p->p_hdr->ph_nrules || p->p_nrules > POLICY_RULES_MAX)
		return policy_bad(v, "rule count mismatch");
	for (i = 0; i < p->p_nrules; i++) {
		const struct policy_rule *r = &p->p_rules[i];

		if (r->pr_op == POLICY_OP_NONE || r->pr_op >= POLICY_OP_ALL_COUNT ||
		    r->pr_emul == 0 || (r->pr_emul & ~POLICY_EMUL_ALL) != 0 ||
		    r->pr_action == POLICY_ACT_NONE ||
		    r->pr_action >= POLICY_ACT_COUNT ||
		    (r->pr_flags & ~(POLICY_RULE_LOG | POLICY_RULE_KEYEQ |
		    POLICY_RULE_KEYINPATH | POLICY_RULE_KEYHEAD |
		    POLICY_RULE_WIDEN)) != 0 ||
		    ((r->pr_flags & POLICY_RULE_WIDEN) &&
		    ((r->pr_op != POLICY_OP_RENAME && r->pr_op != POLICY_OP_LINK) ||
		    r->pr_action == POLICY_ACT_DENY)) ||
		    r->pr_errno > policy_nerrno || !policy_ref_ok(p, r->pr_text))
			return policy_bad(v, "bad rule header");
		if ((error = policy_code_ok(v, r)) != 0)
			return error;
		/* Conditions are laid out in rule order, each exactly once;
		 * what a rule does not use of its record is 0. */
		if (r->pr_code != (r->pr_ncode > 1 ? next_code : 0))
			return policy_bad(v, "condition code not in rule order");
		if (r->pr_pad != 0 || (r->pr_ncode == 0 &&
		    policy_insn_used(&r->pr_test)))
			return policy_bad(v, "bad rule header");
		if ((error = policy_hint_ok(v, r)) != 0)
			return error;
		if (r->pr_ncode > 1)
			next_code += r->pr_ncode - 1u;
	}
	if (next_code != p->p_ncode)
		return policy_bad(v, "unused condition code");
	return 0;
}

static int
policy_regex_ok(struct policy_vctx *v)
{
	const struct policy *p = v->p;
	uint32_t i, pc, next = 0;

	for (i = 0; i < p->p_nrxprog; i++) {
		const struct policy_rxprog *rp = &p->p_rxprog[i];

		if (rp->rp_insn != next || rp->rp_ninsn == 0 ||
		    rp->rp_ninsn > POLICY_RX_MAX ||
		    (uint64_t)rp->rp_insn + rp->rp_ninsn > p->p_nrxinsn)
			return policy_bad(v, "regular expression program out of range");
		next += rp->rp_ninsn;
		for (pc = 0; pc < rp->rp_ninsn; pc++) {
			const struct policy_rxinsn *in = &p->p_rxinsn[rp->rp_insn + pc];
			bool falls = true;

			switch (in->rx_op) {
			case POLICY_RX_CHAR:
				if (in->rx_arg > 255)
					return policy_bad(v, "regex byte out of range");
				break;
			case POLICY_RX_CLASS:
				if (in->rx_arg >= p->p_nclasses)
					return policy_bad(v, "regex class out of range");
				break;
			case POLICY_RX_ANY: case POLICY_RX_BOL: case POLICY_RX_EOL:
				break;
			case POLICY_RX_SPLIT:
				if (in->rx_y >= rp->rp_ninsn)
					return policy_bad(v, "regex jump out of range");
				/* FALLTHROUGH */
			case POLICY_RX_JMP:
				if (in->rx_x >= rp->rp_ninsn)
					return policy_bad(v, "regex jump out of range");
				falls = false;
				break;
			case POLICY_RX_MATCH:
				falls = false;
				break;
			default:
				return policy_bad(v, "unknown regex instruction");
			}
			if (falls && pc + 1 >= rp->rp_ninsn)
				return policy_bad(v, "regex runs off its end");
		}
	}
	if (next != p->p_nrxinsn)
		return policy_bad(v, "unused regex code");
	return 0;
}

static int
policy_index_ok(struct policy_vctx *v)
{
	const struct policy *p = v->p;
	uint64_t child_budget = p->p_nnodes;
	uint32_t i, e;
	int error;

	for (i = 0; i < POLICY_OP_COUNT; i++) {
		const struct policy_opindex *oi = &p->p_opindex[i];
		if (oi->po_root != POLICY_NONE && oi->po_root >= p->p_nnodes)
			return policy_bad(v, "trie root out of range");
		if ((error = policy_list_ok(v, oi->po_generic, (int)i)) != 0)
			return error;
	}
	/* Hash table: power-of-two buckets, monotone bounds, keys in place. */
	if (p->p_nbuckets == 0 || (p->p_nbuckets & (p->p_nbuckets - 1)) != 0)
		return policy_bad(v, "hash bucket count not a power of two");
	if (p->p_buckets[0] != 0 || p->p_buckets[p->p_nbuckets] != p->p_nhashent)
		return policy_bad(v, "hash buckets do not cover the entries");
	for (i = 0; i < p->p_nbuckets; i++) {
		if (p->p_buckets[i] > p->p_buckets[i + 1])
			return policy_bad(v, "hash buckets not ascending");
		for (e = p->p_buckets[i]; e < p->p_buckets[i + 1]; e++) {
			const struct policy_hashent *he = &p->p_hashent[e];
			uint32_t h;

			if (he->ph_op == POLICY_OP_NONE || he->ph_op >= POLICY_OP_COUNT ||
			    !policy_ref_ok(p, he->ph_key) ||
			    he->ph_key.len >= POLICY_PATH_MAX)	/* no request's */
				return policy_bad(v, "bad hash entry");
			if (!policy_head_copy_ok(p, he->ph_key, he->ph_head,
			    POLICY_HASH_INLINE))
				return policy_bad(v, "hash entry and its key's head disagree");
			h = policy_hash(he->ph_op, policy_str(p, he->ph_key),
			    he->ph_key.len);
			if ((h & (p->p_nbuckets - 1)) != i)
				return policy_bad(v, "hash entry in the wrong bucket");
			if ((error = policy_list_ok(v, he->ph_rules, he->ph_op)) != 0)
				return error;
			if (!policy_bloom_has(p, h))
				return policy_bad(v, "Bloom filter misses an exact key");
		}
	}
	/* Trie: children lie after their parent (no cycles), each label but
	 * the root's is non-empty, so a walk consumes a byte per step. */
	for (i = 0; i < p->p_nnodes; i++) {
		const struct policy_node *n = &p->p_nodes[i];

		if (!policy_ref_ok(p, n->pn_label) ||
		    n->pn_label.len >= POLICY_PATH_MAX)
			return policy_bad(v, "bad trie node");
		if (p->p_nodebytes[i] != n->pn_inline[0])
			return policy_bad(v, "node byte table and trie node disagree");
		if (!policy_head_copy_ok(p, n->pn_label, n->pn_inline,
		    POLICY_NODE_INLINE))
			return policy_bad(v, "trie node label and inline head disagree");
		if (n->pn_nchild == 0) {
			if (n->pn_child != 0)
				return policy_bad(v, "trie children out of range");
			continue;
		}
		if (n->pn_child <= i ||
		    (uint64_t)n->pn_child + n->pn_nchild > p->p_nnodes ||
		    n->pn_nchild > child_budget)
			return policy_bad(v, "trie children out of range");
		child_budget -= n->pn_nchild;
		for (e = n->pn_child; e < n->pn_child + n->pn_nchild; e++) {
			const struct policy_node *c = &p->p_nodes[e];
			if (c->pn_label.len == 0 ||
			    (e > n->pn_child &&
			    c->pn_inline[0] <= p->p_nodes[e - 1].pn_inline[0]))
				return policy_bad(v, "trie children not sorted by label");
		}
	}
	/* Node rule lists: a node may hang under any operation's root; the
	 * evaluator checks each candidate's operation itself. */
	for (i = 0; i < p->p_nnodes; i++)
		if ((error = policy_list_ok(v, p->p_nodes[i].pn_rules, -1)) != 0)
			return error;
	/* A node's copies of its children's first bytes (or zeros) and first
	 * rules (the hints), with children and their lists known valid. */
	for (i = 0; i < p->p_nnodes; i++) {
		const struct policy_node *n = &p->p_nodes[i];
		uint16_t hint[POLICY_NODE_HINTS];
		uint32_t base, k;

		for (k = 0; k < POLICY_NODE_KIDS; k++)
			if (n->pn_kids[k] != (n->pn_nchild <= POLICY_NODE_KIDS &&
			    k < n->pn_nchild ?
			    p->p_nodes[n->pn_child + k].pn_inline[0] : 0))
				return policy_bad(v, "trie node's child bytes disagree with its children");
		policy_node_hints(p, n, &base, hint);
		if (n->pn_hintbase != base ||
		    memcmp(n->pn_hint, hint, sizeof(hint)) != 0)
			return policy_bad(v, "trie node's rule hints disagree with its children");
	}
	return 0;
}

int
policy_blob_validate(struct policy *p, const void *blob, size_t size,
    char *err, size_t errlen)
{
	struct policy_vctx v = { p, err, errlen, 0 };
	const struct policy_blob_header *h = blob;
	const char *why = NULL;
	int error;

	memset(p, 0, sizeof(*p));
	v.p = p;
	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (blob == NULL || size < sizeof(*h))
		return policy_bad(&v, "truncated header");
	if (((uintptr_t)blob & 7) != 0)
		return policy_bad(&v, "blob not 8-byte aligned in memory");
	if (size > POLICY_BLOB_MAX)
		return policy_bad(&v, "blob too large");
	if (h->ph_magic != POLICY_MAGIC)
		return policy_bad(&v, "wrong magic (not a compiled policy)");
	if (h->ph_version != POLICY_VERSION)
		return policy_bad(&v, "unsupported format version");
	if (h->ph_header_size != sizeof(*h))
		return policy_bad(&v, "wrong header size");
	if (h->ph_total_size != size)
		return policy_bad(&v, "size does not match header (truncated?)");
	if (h->ph_checksum != policy_blob_checksum(blob, size))
		return policy_bad(&v, "checksum mismatch");
	p->p_base = blob;
	p->p_size = (uint32_t)size;
	p->p_hdr = h;
	if ((error = policy_sections(&v, h)) != 0)
		goto fail;
	v.list_budget = p->p_nlists;
	if (h->ph_default_action == POLICY_ACT_NONE ||
	    h->ph_default_action >= POLICY_ACT_COUNT ||
	    h->ph_log > POLICY_LOG_ALL || h->ph_default_errno > policy_nerrno ||
	    !policy_ref_ok(p, h->ph_name) || !policy_ref_ok(p, h->ph_program) ||
	    !policy_ref_ok(p, h->ph_source)) {
		error = policy_bad(&v, "bad header fields");
		goto fail;
	}
	if ((error = policy_rules_ok(&v)) != 0 ||
	    (error = policy_regex_ok(&v)) != 0 ||
	    (error = policy_index_ok(&v)) != 0 ||
	    (error = policy_index_agrees(p, &why)) != 0) {
		if (why != NULL)
			(void)policy_bad(&v, why);
		goto fail;
	}
	return 0;
fail:
	memset(p, 0, sizeof(*p));
	return error;
}
