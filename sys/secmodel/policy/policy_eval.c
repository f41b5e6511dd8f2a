/* policy_eval.c: decides one request against a validated policy.  First matching
 * rule wins (as in systrace); candidates come from the exact-key hash, the prefix trie
 * and the unindexed list of the operation, so cost grows with matches, not rule count. */
#include "policy_impl.h"

const char *
policy_str(const struct policy *p, struct policy_ref r)
{
	return p->p_strtab + r.off;
}

/* The systrace alias (fsread or fswrite) a request belongs to, or 0. */
int
policy_op_class(const struct policy_request *req)
{
	int64_t fl;

	switch (req->pr_op) {
	case POLICY_OP_OPEN:
		fl = req->pr_int[POLICY_F_FLAGS - POLICY_F_NSTR];
		if ((fl & POLICY_O_ACCMODE) != POLICY_O_RDONLY ||
		    (fl & (POLICY_O_CREAT | POLICY_O_TRUNC | POLICY_O_APPEND |
		    POLICY_O_TMPFILE)) != 0)
			return POLICY_OP_FSWRITE;
		return POLICY_OP_FSREAD;
	case POLICY_OP_ACCESS: case POLICY_OP_STAT:
	case POLICY_OP_READLINK: case POLICY_OP_CHDIR:
		return POLICY_OP_FSREAD;
	case POLICY_OP_UNLINK: case POLICY_OP_RENAME: case POLICY_OP_MKDIR:
	case POLICY_OP_RMDIR: case POLICY_OP_LINK: case POLICY_OP_SYMLINK:
	case POLICY_OP_CHMOD: case POLICY_OP_CHOWN: case POLICY_OP_TRUNCATE:
	case POLICY_OP_UTIMES:
		return POLICY_OP_FSWRITE;
	default:
		return 0;
	}
}

/* The field an operation's rules are indexed on, or -1. */
int
policy_field_primary(unsigned op)
{
	switch (op) {
	case POLICY_OP_CONNECT: case POLICY_OP_BIND:
	case POLICY_OP_SENDTO: case POLICY_OP_SENDMSG:
		return POLICY_F_SOCKADDR;
	case POLICY_OP_SYSCALL:
		return POLICY_F_SYSCALL;
	case POLICY_OP_SOCKET: case POLICY_OP_KILL: case POLICY_OP_PTRACE:
		return -1;
	default:
		return POLICY_F_FILENAME;
	}
}

/*
 * A request being decided, with its string fields: the request's own, or
 * for the path fields a backend's whole text when it is longer than the
 * request's buffers (policy_eval_long).  er_trunc: a path field is longer
 * than its buffer and its whole text was not given.
 */
struct policy_ereq {
	const struct policy_request *er_req;
	const char	*er_str[POLICY_F_NSTR];
	size_t		er_len[POLICY_F_NSTR];
	bool		er_trunc;
};

static void
policy_ereq_init(struct policy_ereq *er, const struct policy_request *req,
    const char *const lstr[POLICY_F_NLONG],
    const size_t llen[POLICY_F_NLONG])
{
	static const uint32_t cap[POLICY_F_NSTR] = {
		POLICY_PATH_MAX, POLICY_PATH_MAX, POLICY_SOCKADDR_MAX,
		POLICY_ARGV_MAX, POLICY_SYSCALL_MAX
	};
	const char *s[POLICY_F_NSTR] = { req->pr_filename, req->pr_filename2,
	    req->pr_sockaddr, req->pr_argv, req->pr_syscall };
	unsigned f;

	er->er_req = req;
	er->er_trunc = false;
	for (f = 0; f < POLICY_F_NSTR; f++) {
		er->er_str[f] = s[f];
		er->er_len[f] = req->pr_len[f] < cap[f] ? req->pr_len[f] :
		    cap[f] - 1;
		if (f >= POLICY_F_NLONG || req->pr_len[f] < cap[f] ||
		    !(req->pr_present & (1u << f)))
			continue;
		/* a path or socket address longer than the buffer: decided
		 * whole, or not at all */
		if (lstr != NULL && lstr[f] != NULL &&
		    llen[f] == req->pr_len[f] &&
		    memcmp(lstr[f], s[f], cap[f] - 1) == 0) {
			er->er_str[f] = lstr[f];
			er->er_len[f] = llen[f];
		} else
			er->er_trunc = true;
	}
}

static const char *
policy_req_str(const struct policy_ereq *er, unsigned f, size_t *len)
{
	*len = er->er_len[f];
	return er->er_str[f];
}

/* Does s start with the head of pattern test in?  (Known when the index
 * proved it: head_known.) */
static bool
policy_head(const struct policy *p, const struct policy_insn *in,
    const char *s, size_t slen, bool head_known)
{
	return head_known || (slen >= in->pi_str.len &&
	    memcmp(s, policy_str(p, in->pi_str), in->pi_str.len) == 0);
}

/* String test in on the value s[0..slen). */
bool
policy_test_value(const struct policy *p, const struct policy_insn *in,
    const char *s, size_t slen, bool head_known)
{
	const char *arg = policy_str(p, in->pi_str);
	size_t alen = in->pi_str.len;

	switch (in->pi_cmp) {
	case POLICY_C_EQ:
		return slen == alen && memcmp(s, arg, alen) == 0;
	case POLICY_C_NEQ:
		return !(slen == alen && memcmp(s, arg, alen) == 0);
	case POLICY_C_MATCH:
	case POLICY_C_NMATCH:
		return (policy_head(p, in, s, slen, head_known) &&
		    policy_glob_match(s + alen, slen - alen,
		    policy_str(p, in->pi_tail), in->pi_tail.len)) ==
		    (in->pi_cmp == POLICY_C_MATCH);
	case POLICY_C_RE:
	case POLICY_C_NRE:
		return (policy_head(p, in, s, slen, head_known) &&
		    policy_rx_exec(p, (uint32_t)in->pi_value, s, slen, alen)) ==
		    (in->pi_cmp == POLICY_C_RE);
	case POLICY_C_SUB:
		return policy_substr(s, slen, arg, alen);
	case POLICY_C_NSUB:
		return !policy_substr(s, slen, arg, alen);
	case POLICY_C_INPATH:
		return policy_inpath(s, slen, arg, alen);
	default:
		return false;
	}
}

static bool
policy_test_str(const struct policy *p, const struct policy_insn *in,
    const struct policy_ereq *req, bool head_known)
{
	size_t slen;
	const char *s = policy_req_str(req, in->pi_field, &slen);

	return policy_test_value(p, in, s, slen, head_known);
}

static bool
policy_test_int(const struct policy_insn *in, const struct policy_request *req)
{
	int64_t v = req->pr_int[in->pi_field - POLICY_F_NSTR];

	switch (in->pi_cmp) {
	case POLICY_C_EQ:	return v == in->pi_value;
	case POLICY_C_NEQ:	return v != in->pi_value;
	case POLICY_C_SUB:	return (v & in->pi_mask) == in->pi_value;
	case POLICY_C_NSUB:	return (v & in->pi_mask) != in->pi_value;
	default:		return false;
	}
}

/* Does rule r match?  Code was validated: the stack cannot under- or overflow.
 * hint: the index hints (POLICY_RULE_KEY*) the way rn was found proves. */
static bool
policy_rule_match(const struct policy *p, uint32_t rn,
    const struct policy_ereq *er, int cls, unsigned hint)
{
	const struct policy_request *req = er->er_req;
	const struct policy_rule *r = &p->p_rules[rn];
	uint32_t stack = 0;	/* bit i: value at depth i */
	unsigned sp = 0, i;

	if ((r->pr_emul & (1u << req->pr_emul)) == 0)
		return false;
	if (r->pr_op != req->pr_op && r->pr_op != cls)
		return false;
	if (r->pr_flags & hint & (POLICY_RULE_KEYEQ | POLICY_RULE_KEYINPATH))
		return true;	/* the index entry was the whole test */
	if (r->pr_flags & hint & POLICY_RULE_KEYHEAD)	/* the tail is left */
		return policy_test_str(p, &r->pr_test, er, true);
	for (i = 0; i < r->pr_ncode; i++) {
		const struct policy_insn *in = policy_rule_insn(p, r, i);
		bool val = false, a, b;

		switch (in->pi_kind) {
		case POLICY_I_STR:
		case POLICY_I_INT:
			if (req->pr_present & (1u << in->pi_field))
				val = in->pi_kind == POLICY_I_STR ?
				    policy_test_str(p, in, er, false) :
				    policy_test_int(in, req);
			stack = (stack & ~(1u << sp)) | ((uint32_t)val << sp);
			sp++;
			continue;
		case POLICY_I_NOT:
			stack ^= 1u << (sp - 1);
			continue;
		default:
			a = (stack >> (sp - 1)) & 1;
			b = (stack >> (sp - 2)) & 1;
			val = in->pi_kind == POLICY_I_AND ? (a && b) : (a || b);
			sp--;
			stack = (stack & ~(1u << (sp - 1))) | ((uint32_t)val << (sp - 1));
			continue;
		}
	}
	return r->pr_ncode == 0 || (stack & 1);
}

/* First rule in list l below *best that matches lowers *best. */
static void
policy_scan(const struct policy *p, struct policy_list l,
    const struct policy_ereq *req, int cls, unsigned hint, uint32_t *best)
{
	uint32_t i;

	for (i = 0; i < l.count; i++) {
		uint32_t rn = policy_list_rule(p, l, i);
		if (rn >= *best)
			return;
		if (policy_rule_match(p, rn, req, cls, hint)) {
			*best = rn;
			return;
		}
	}
}

/* May the exact-key table hold a key with hash h?  (No false negatives.) */
bool
policy_bloom_has(const struct policy *p, uint32_t h)
{
	uint32_t nbits = p->p_nbloom * 64, i, bit;

	for (i = 0; i < POLICY_BLOOM_K; i++) {
		bit = policy_bloom_bit(h, i, nbits);
		if (((p->p_bloom[bit >> 6] >> (bit & 63)) & 1) == 0)
			return false;
	}
	return true;
}

/* The hash entry of key (hash h) under op, or NULL.  A one-rule entry's
 * rule is fetched while the key is compared: its head in the entry, the
 * rest (of a long key) in the string table. */
const struct policy_hashent *
policy_hash_entry(const struct policy *p, unsigned op, const char *key,
    size_t klen, uint32_t h)
{
	uint32_t b = h & (p->p_nbuckets - 1), e;
	size_t head = klen < POLICY_HASH_INLINE ? klen : POLICY_HASH_INLINE;

	for (e = p->p_buckets[b]; e < p->p_buckets[b + 1]; e++) {
		const struct policy_hashent *he = &p->p_hashent[e];

		if (he->ph_op != op || he->ph_key.len != klen)
			continue;
		if (he->ph_rules.count == 1)
			policy_os_prefetch(&p->p_rules[he->ph_rules.off]);
		if (memcmp(he->ph_head, key, head) == 0 && (klen == head ||
		    memcmp(policy_str(p, he->ph_key) + head, key + head,
		    klen - head) == 0))
			return he;
	}
	return NULL;
}

/* The exact-key lookup for key, whose hash h the caller computed early and
 * whose Bloom word and bucket it prefetched. */
static void
policy_scan_hash(const struct policy *p, const struct policy_ereq *req,
    const char *key, size_t klen, uint32_t h, int cls, uint32_t *best)
{
	const struct policy_hashent *he;

	if (policy_bloom_has(p, h) &&
	    (he = policy_hash_entry(p, req->er_req->pr_op, key, klen, h)) != NULL)
		policy_scan(p, he->ph_rules, req, cls, POLICY_RULE_KEYEQ, best);
}

/* n's child whose label starts with c, or POLICY_NONE: from the bytes
 * inline in n when it has few children, else the node byte table. */
uint32_t
policy_child(const struct policy *p, const struct policy_node *n,
    unsigned char c)
{
	const uint8_t *bytes = n->pn_kids;
	uint32_t lo = 0, hi = n->pn_nchild, base = 0;

	if (n->pn_nchild > POLICY_NODE_KIDS) {
		bytes = p->p_nodebytes;
		lo = n->pn_child;
		hi = n->pn_child + n->pn_nchild;
	} else
		base = n->pn_child;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (bytes[mid] == c)
			return base + mid;
		if (bytes[mid] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return POLICY_NONE;
}

/* The hints node n must carry: the first rule of each of its first
 * POLICY_NODE_HINTS children (of at most POLICY_NODE_KIDS), less the least
 * of them; POLICY_NODE_NOHINT where a child has no rule or the difference
 * does not fit.  n's children and their rule lists must be valid. */
void
policy_node_hints(const struct policy *p, const struct policy_node *n,
    uint32_t *base, uint16_t hint[POLICY_NODE_HINTS])
{
	uint32_t first[POLICY_NODE_HINTS], k;

	*base = POLICY_NONE;
	for (k = 0; k < POLICY_NODE_HINTS; k++) {
		struct policy_list l = { 0, 0 };

		if (n->pn_nchild <= POLICY_NODE_KIDS && k < n->pn_nchild)
			l = p->p_nodes[n->pn_child + k].pn_rules;
		first[k] = l.count > 0 ? policy_list_rule(p, l, 0) : POLICY_NONE;
		if (first[k] < *base)
			*base = first[k];
	}
	if (*base == POLICY_NONE)
		*base = 0;
	for (k = 0; k < POLICY_NODE_HINTS; k++)
		hint[k] = first[k] != POLICY_NONE &&
		    first[k] - *base < POLICY_NODE_NOHINT ?
		    (uint16_t)(first[k] - *base) : POLICY_NODE_NOHINT;
}

/*
 * Walk the radix trie along key; every node passed holds rules whose key
 * prefix the key starts with.  Each step consumes at least one byte.  The
 * nodes' rule lists are tested after the walk (or when TRIE_CANDS are
 * pending), their first rules fetched meanwhile, so that the cache misses
 * of the walk and of the rules overlap.
 */
#define TRIE_CANDS	16
struct policy_cand {
	struct policy_list l;
	unsigned	hint;
};

static void
policy_scan_cands(const struct policy *p, const struct policy_cand *cand,
    size_t n, const struct policy_ereq *req, int cls, uint32_t *best)
{
	size_t i;

	for (i = 0; i < n; i++)
		policy_scan(p, cand[i].l, req, cls, cand[i].hint, best);
}

static void
policy_scan_trie(const struct policy *p, uint32_t node, const char *key,
    size_t klen, const struct policy_ereq *req, int cls, uint32_t *best)
{
	struct policy_cand cand[TRIE_CANDS];
	size_t pos = 0, ncand = 0;

	while (node < p->p_nnodes) {
		const struct policy_node *n = &p->p_nodes[node];
		uint32_t len = n->pn_label.len;

		if (len > klen - pos)
			break;
		if (len <= POLICY_NODE_INLINE) {
			if (memcmp(n->pn_inline, key + pos, len) != 0)
				break;
		} else if (memcmp(n->pn_inline, key + pos, POLICY_NODE_INLINE) != 0 ||
		    memcmp(policy_str(p, n->pn_label) + POLICY_NODE_INLINE,
		    key + pos + POLICY_NODE_INLINE, len - POLICY_NODE_INLINE) != 0)
			break;
		pos += len;
		if (n->pn_rules.count > 0) {
			if (ncand == TRIE_CANDS) {
				policy_scan_cands(p, cand, ncand, req, cls, best);
				ncand = 0;
			}
			cand[ncand].l = n->pn_rules;
			/* the key starts with the path this node spells, and
			 * is in it when a '/' or the end follows */
			cand[ncand++].hint = POLICY_RULE_KEYHEAD |
			    (pos == klen || key[pos] == '/' ?
			    POLICY_RULE_KEYINPATH : 0);
			if (n->pn_rules.count == 1)	/* inline: a rule */
				policy_os_prefetch(&p->p_rules[n->pn_rules.off]);
		}
		if (pos == klen)
			break;
		node = policy_child(p, n, (unsigned char)key[pos]);
		if (node - n->pn_child < POLICY_NODE_HINTS &&	/* found */
		    n->pn_hint[node - n->pn_child] != POLICY_NODE_NOHINT)
			policy_os_prefetch(&p->p_rules[n->pn_hintbase +
			    n->pn_hint[node - n->pn_child]]);
	}
	policy_scan_cands(p, cand, ncand, req, cls, best);
}

/*
 * Decide req.  A path field whose pr_len is POLICY_PATH_MAX or more holds
 * only the head of a longer path (policy_request_set_str): it is decided
 * on the whole path when lstr[field]/llen[field] give it (same length,
 * same head), else the request is refused (denied, logged, no rule):
 * never decided on a prefix.
 */
void
policy_eval_long(const struct policy *p, const struct policy_request *req,
    const char *const lstr[POLICY_F_NLONG],
    const size_t llen[POLICY_F_NLONG], struct policy_decision *d)
{
	uint32_t best = POLICY_NONE;
	const struct policy_blob_header *h = p->p_hdr;
	struct policy_ereq er;
	int cls, f;

	memset(d, 0, sizeof(*d));
	policy_ereq_init(&er, req, lstr, llen);
	if (er.er_trunc) {
		d->pd_rule = POLICY_NONE;
		d->pd_action = POLICY_ACT_DENY;
		d->pd_perrno = h->ph_default_errno;
		d->pd_log = 1;
		d->pd_errno = policy_errno_native(d->pd_perrno);
		return;
	}
	if (req->pr_op != POLICY_OP_NONE && req->pr_op < POLICY_OP_COUNT &&
	    req->pr_emul < POLICY_EMUL_COUNT) {
		const struct policy_opindex *oi = &p->p_opindex[req->pr_op];

		cls = policy_op_class(req);
		f = policy_field_primary(req->pr_op);
		if (f >= 0 && (req->pr_present & (1u << f))) {
			size_t klen;
			const char *key = policy_req_str(&er, (unsigned)f, &klen);
			uint32_t hash = policy_hash(req->pr_op, key, klen);

			/* the exact-key lookup's first loads overlap the walk */
			policy_os_prefetch(&p->p_bloom[policy_bloom_word(hash,
			    p->p_nbloom * 64)]);
			policy_os_prefetch(&p->p_buckets[hash &
			    (p->p_nbuckets - 1)]);
			if (oi->po_root != POLICY_NONE)
				policy_scan_trie(p, oi->po_root, key, klen, &er,
				    cls, &best);
			policy_scan_hash(p, &er, key, klen, hash, cls, &best);
		}
		policy_scan(p, oi->po_generic, &er, cls, 0, &best);
	}
	d->pd_rule = best;
	if (best != POLICY_NONE) {
		const struct policy_rule *r = &p->p_rules[best];
		d->pd_action = r->pr_action;
		d->pd_perrno = r->pr_errno ? r->pr_errno : h->ph_default_errno;
		d->pd_log = (r->pr_flags & POLICY_RULE_LOG) ||
		    h->ph_log == POLICY_LOG_ALL ||
		    (h->ph_log == POLICY_LOG_DENY && r->pr_action == POLICY_ACT_DENY);
		d->pd_line = r->pr_line;
		d->pd_col = r->pr_col;
	} else {
		d->pd_action = h->ph_default_action;
		d->pd_perrno = h->ph_default_errno;
		d->pd_log = h->ph_log == POLICY_LOG_ALL ||
		    (h->ph_log == POLICY_LOG_DENY &&
		    d->pd_action == POLICY_ACT_DENY);
	}
	d->pd_errno = policy_errno_native(d->pd_perrno);
}

void
policy_eval(const struct policy *p, const struct policy_request *req,
    struct policy_decision *d)
{
	policy_eval_long(p, req, NULL, NULL, d);
}
