/* policy_build.c: turns a parsed policy into the flat blob: string table, rules,
 * postfix condition code, regex programs, and the index (exact-key hash, prefix radix trie). */
#include <stdlib.h>
#include <string.h>

#include "policy_compile.h"

/* A growable array of fixed-size elements. */
struct pc_vec {
	uint8_t	*d;
	size_t	n, cap, esz;
};

static void *
pc_vec_push(struct pc_vec *v, const void *e, size_t count)
{
	void *at;

	if (v->n + count > v->cap || v->d == NULL) {
		size_t cap = v->cap ? v->cap : 64;
		uint8_t *d;
		while (cap < v->n + count)
			cap *= 2;
		if ((d = realloc(v->d, cap * v->esz)) == NULL)
			return NULL;
		v->d = d;
		v->cap = cap;
	}
	at = v->d + v->n * v->esz;
	if (e != NULL)
		memcpy(at, e, count * v->esz);
	else
		memset(at, 0, count * v->esz);
	v->n += count;
	return at;
}

/* Move element i of v out to e, closing the gap. */
static void
pc_vec_shift(struct pc_vec *v, size_t i, void *e)
{
	memcpy(e, v->d + i * v->esz, v->esz);
	memmove(v->d + i * v->esz, v->d + (i + 1) * v->esz,
	    (v->n - i - 1) * v->esz);
	v->n--;
}

#define PC_VEC(type)	{ NULL, 0, 0, sizeof(type) }
#define PC_AT(v, type, i)	(&((type *)(void *)(v)->d)[i])

/* One (key, rule) pair for the index. */
struct pc_key {
	const char	*s;
	size_t		len;
	uint32_t	rule;
	uint16_t	op;
};

/* A table of things stored once (open addressing): slot holds the
 * thing's id + 1, or 0 when empty; hash(b, id) says where an id goes. */
struct pc_build;
struct pc_intern {
	uint32_t	*slot;
	size_t		n, cap;
	uint32_t	(*hash)(const struct pc_build *, uint32_t);
};

struct pc_build {
	struct pc_vec	str;		/* char */
	struct pc_intern strs;		/* strings by offset in str */
	struct pc_intern rxprogs;	/* regex programs by number */
	struct pc_vec	rules, code, lists, rxprog, rxinsn, classes;
	struct pc_vec	nodes, hashent, exact, prefix;	/* exact, prefix: pc_key */
	struct policy_opindex opindex[POLICY_OP_COUNT];
	uint32_t	*buckets;
	uint32_t	nbuckets;
	uint8_t		*nodebytes;
	uint64_t	*bloom;
	uint32_t	nbloom;
	struct pc_arena	keyarena;	/* stable copies of derived keys */
	bool		nomem;
};

static uint32_t
pc_strhash(const char *s, size_t n)
{
	return policy_hash(0, s, n);
}

/* The class table's entry for bitmap: a recent equal one is shared (many
 * rules' expressions use the same few classes, which then stay cached). */
#define PC_CLASS_REUSE	256
static uint32_t
pc_class(struct pc_build *b, const uint8_t bitmap[32])
{
	size_t i, n = b->classes.n;

	for (i = n; i > 0 && n - i < PC_CLASS_REUSE; i--)
		if (memcmp((uint8_t *)b->classes.d + 32 * (i - 1), bitmap,
		    32) == 0)
			return (uint32_t)(i - 1);
	if (pc_vec_push(&b->classes, bitmap, 1) == NULL)
		b->nomem = true;
	return (uint32_t)n;
}

/* Room in t for one more thing, the table doubled and rehashed when half
 * full; false when out of memory. */
static bool
pc_intern_room(struct pc_build *b, struct pc_intern *t)
{
	size_t cap = t->cap ? t->cap * 2 : 64, i, j;
	uint32_t *slot;

	if (t->n * 2 < t->cap)
		return true;
	if ((slot = calloc(cap, sizeof(*slot))) == NULL) {
		b->nomem = true;
		return false;
	}
	for (i = 0; i < t->cap; i++) {
		if (t->slot[i] == 0)
			continue;
		for (j = t->hash(b, t->slot[i] - 1) & (cap - 1); slot[j] != 0;
		    j = (j + 1) & (cap - 1))
			;
		slot[j] = t->slot[i];
	}
	free(t->slot);
	t->slot = slot;
	t->cap = cap;
	return true;
}

/* Where t's probe for hash h starts, and goes on. */
#define PC_PROBE(t, h, i) \
	for ((i) = (h) & ((t)->cap - 1); (t)->slot[i] != 0; \
	    (i) = ((i) + 1) & ((t)->cap - 1))

static uint32_t
pc_str_hash(const struct pc_build *b, uint32_t off)
{
	const char *c = (const char *)b->str.d + off;

	return pc_strhash(c, strlen(c));
}

/* Intern a string; returns its reference (identical strings share bytes). */
static struct policy_ref
pc_str(struct pc_build *b, const char *s, size_t len)
{
	struct policy_ref r = { 0, (uint32_t)len };
	size_t i;

	if (!pc_intern_room(b, &b->strs))
		return r;
	PC_PROBE(&b->strs, pc_strhash(s, len), i) {
		const char *c = (char *)b->str.d + b->strs.slot[i] - 1;
		if (strncmp(c, s, len) == 0 && c[len] == '\0') {
			r.off = b->strs.slot[i] - 1;
			return r;
		}
	}
	r.off = (uint32_t)b->str.n;
	if (pc_vec_push(&b->str, s, len) == NULL ||
	    pc_vec_push(&b->str, "", 1) == NULL) {
		b->nomem = true;
		return r;
	}
	b->strs.slot[i] = r.off + 1;
	b->strs.n++;
	return r;
}

static struct policy_list
pc_list(struct pc_build *b, const uint32_t *rules, size_t n)
{
	struct policy_list l = { (uint32_t)b->lists.n, (uint32_t)n };

	if (n == 1)
		l.off = rules[0];	/* held inline */
	else if (n > 1 && pc_vec_push(&b->lists, rules, n) == NULL)
		b->nomem = true;
	return l;
}

/* The head of glob pattern s: its bytes before the first wildcard or
 * escape, fewer than POLICY_PATH_MAX (the longest key). */
static size_t
pc_glob_head(const char *s, size_t len)
{
	size_t h = 0;

	while (h < len && h < POLICY_PATH_MAX - 1 && s[h] != '*' &&
	    s[h] != '?' && s[h] != '[' && s[h] != '\\')
		h++;
	return h;
}

/* The hash of regex program number n. */
static uint32_t
pc_rxprog_hash(const struct pc_build *b, uint32_t n)
{
	const struct policy_rxprog *rp = (void *)b->rxprog.d;
	const struct policy_rxinsn *all = (void *)b->rxinsn.d;

	return policy_hash(0, (const char *)(all + rp[n].rp_insn),
	    rp[n].rp_ninsn * sizeof(*all));
}

/* The number of the regex program code[0..n) (classes: those of rx),
 * shared with every equal program compiled before. */
static uint32_t
pc_rxprog(struct pc_build *b, const struct policy_rx *rx,
    struct policy_rxinsn *code, unsigned n)
{
	struct policy_rxprog np = { (uint32_t)b->rxinsn.n, n };
	size_t i, slot;

	for (i = 0; i < n; i++)
		if (code[i].rx_op == POLICY_RX_CLASS)
			code[i].rx_arg = pc_class(b, rx->classes[code[i].rx_arg]);
	if (!pc_intern_room(b, &b->rxprogs))
		return 0;
	PC_PROBE(&b->rxprogs, policy_hash(0, (const char *)code,
	    n * sizeof(*code)), slot) {
		const struct policy_rxprog *rp = (void *)b->rxprog.d;

		i = b->rxprogs.slot[slot] - 1;
		if (rp[i].rp_ninsn == n && memcmp((struct policy_rxinsn *)(void *)
		    b->rxinsn.d + rp[i].rp_insn, code, n * sizeof(*code)) == 0)
			return (uint32_t)i;
	}
	if (pc_vec_push(&b->rxprog, &np, 1) == NULL ||
	    pc_vec_push(&b->rxinsn, code, n) == NULL) {
		b->nomem = true;
		return 0;
	}
	b->rxprogs.slot[slot] = (uint32_t)b->rxprog.n;
	b->rxprogs.n++;
	return (uint32_t)b->rxprog.n - 1;
}

/* Postfix code for an expression; returns the stack depth it needs. */
static int
pc_emit(struct pc_build *b, const struct pc_expr *e, const struct pc_rule *r)
{
	struct policy_insn in;
	int dl, dr;

	memset(&in, 0, sizeof(in));
	switch (e->kind) {
	case PC_TEST:
		in.pi_field = (uint8_t)e->field;
		in.pi_cmp = (uint8_t)e->cmp;
		if (!POLICY_FIELD_IS_STR(e->field)) {
			in.pi_kind = POLICY_I_INT;
			in.pi_mask = e->mask;
			in.pi_value = e->value;
		} else if (e->cmp == POLICY_C_MATCH || e->cmp == POLICY_C_NMATCH) {
			size_t h = pc_glob_head(e->str, e->len);

			in.pi_kind = POLICY_I_STR;
			in.pi_str = pc_str(b, e->str, h);
			in.pi_tail = pc_str(b, e->str + h, e->len - h);
		} else if (e->rx != NULL) {
			struct policy_rxinsn tail[POLICY_RX_MAX];
			char head[POLICY_PATH_MAX];
			unsigned ntail;
			size_t h = policy_rx_split(e->rx, head, sizeof(head) - 1,
			    tail, &ntail);

			in.pi_kind = POLICY_I_STR;
			in.pi_str = pc_str(b, head, h);
			in.pi_value = pc_rxprog(b, e->rx, tail, ntail);
		} else {
			in.pi_kind = POLICY_I_STR;
			in.pi_str = pc_str(b, e->str, e->len);
		}
		if (pc_vec_push(&b->code, &in, 1) == NULL)
			b->nomem = true;
		return 1;
	case PC_NOT:
		dl = pc_emit(b, e->l, r);
		in.pi_kind = POLICY_I_NOT;
		if (pc_vec_push(&b->code, &in, 1) == NULL)
			b->nomem = true;
		return dl;
	default:
		dl = pc_emit(b, e->l, r);
		dr = pc_emit(b, e->r, r) + 1;
		in.pi_kind = e->kind == PC_AND ? POLICY_I_AND : POLICY_I_OR;
		if (pc_vec_push(&b->code, &in, 1) == NULL)
			b->nomem = true;
		return dl > dr ? dl : dr;
	}
}

static int
pc_key_cmp(const void *a, const void *b)
{
	const struct pc_key *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c;

	if (x->op != y->op)
		return x->op < y->op ? -1 : 1;
	if ((c = memcmp(x->s, y->s, n)) != 0)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return x->rule < y->rule ? -1 : x->rule > y->rule;
}

/* A trie node while building: children in ascending byte order. */
struct pc_tnode {
	const char	*label;
	size_t		len;
	uint32_t	*rules, *kids;
	size_t		nrules, nkids;
};

/* Radix trie over keys[lo, hi), which share their first `start` bytes;
 * returns the node's index in tn. */
static uint32_t
pc_trie(struct pc_build *b, struct pc_vec *tn, const struct pc_key *keys,
    size_t lo, size_t hi, size_t start)
{
	const struct pc_key *f = &keys[lo], *l = &keys[hi - 1];
	size_t lcp = start, i, n;
	uint32_t idx = (uint32_t)tn->n, kid, *kids;
	struct pc_tnode *t;

	while (lcp < f->len && lcp < l->len && f->s[lcp] == l->s[lcp])
		lcp++;
	if ((t = pc_vec_push(tn, NULL, 1)) == NULL ||
	    (t->rules = malloc((hi - lo) * sizeof(uint32_t))) == NULL ||
	    (t->kids = malloc(256 * sizeof(uint32_t))) == NULL) {
		b->nomem = true;
		return idx;
	}
	t->label = f->s + start;
	t->len = lcp - start;
	for (i = lo, n = 0; i < hi && keys[i].len == lcp; i++)
		t->rules[n++] = keys[i].rule;
	t->nrules = n;
	while (i < hi && !b->nomem) {
		size_t j = i;
		uint8_t c = (uint8_t)keys[i].s[lcp];

		while (j < hi && (uint8_t)keys[j].s[lcp] == c)
			j++;
		kid = pc_trie(b, tn, keys, i, j, lcp);
		t = PC_AT(tn, struct pc_tnode, idx);	/* tn may have moved */
		kids = t->kids;
		kids[t->nkids++] = kid;
		i = j;
	}
	return idx;
}

/* Lay the trie out breadth first, so that siblings are contiguous and
 * children follow their parent; returns the root's node number. */
static uint32_t
pc_trie_emit(struct pc_build *b, struct pc_vec *tn)
{
	struct pc_tnode *t = (struct pc_tnode *)(void *)tn->d;
	uint32_t base = (uint32_t)b->nodes.n, *queue, *first;
	size_t head, tail = 1, i;

	queue = malloc(tn->n * sizeof(*queue));
	first = malloc(tn->n * sizeof(*first));
	if (queue == NULL || first == NULL ||
	    pc_vec_push(&b->nodes, NULL, tn->n) == NULL) {
		b->nomem = true;
		free(queue);
		free(first);
		return POLICY_NONE;
	}
	queue[0] = 0;
	for (head = 0; head < tail; head++) {
		first[head] = (uint32_t)tail;
		for (i = 0; i < t[queue[head]].nkids; i++)
			queue[tail++] = t[queue[head]].kids[i];
	}
	for (head = 0; head < tail; head++) {
		const struct pc_tnode *x = &t[queue[head]];
		struct policy_node *n = PC_AT(&b->nodes, struct policy_node,
		    base + head);
		size_t k;

		n->pn_label = pc_str(b, x->label, x->len);
		for (k = 0; k < x->len && k < POLICY_NODE_INLINE; k++)
			n->pn_inline[k] = (uint8_t)x->label[k];
		n->pn_rules = pc_list(b, x->rules, x->nrules);
		n->pn_nchild = (uint32_t)x->nkids;
		n->pn_child = x->nkids ? base + first[head] : 0;
		for (k = 0; x->nkids <= POLICY_NODE_KIDS && k < x->nkids; k++)
			n->pn_kids[k] = (uint8_t)t[x->kids[k]].label[0];
	}
	free(queue);
	free(first);
	return base;
}

static uint32_t
pc_trie_build(struct pc_build *b, const struct pc_key *keys, size_t lo,
    size_t hi)
{
	struct pc_vec tn = PC_VEC(struct pc_tnode);
	uint32_t root = POLICY_NONE;
	size_t i;

	pc_trie(b, &tn, keys, lo, hi, 0);
	if (!b->nomem)
		root = pc_trie_emit(b, &tn);
	for (i = 0; i < tn.n; i++) {
		free(PC_AT(&tn, struct pc_tnode, i)->rules);
		free(PC_AT(&tn, struct pc_tnode, i)->kids);
	}
	free(tn.d);
	return root;
}

/* Rule r's index entry (kind 1: exact key, 2: prefix key of klen bytes)
 * for field f may be its whole condition: then say so (POLICY_RULE_KEY*). */
static void
pc_hint(struct pc_build *b, uint32_t r, int f, int kind, size_t klen)
{
	struct policy_rule *pr = PC_AT(&b->rules, struct policy_rule, r);
	const struct policy_insn *in = &pr->pr_test;

	if (pr->pr_ncode != 1 || in->pi_kind != POLICY_I_STR ||
	    (int)in->pi_field != f || klen != in->pi_str.len)
		return;
	if (kind == 1 && in->pi_cmp == POLICY_C_EQ)
		pr->pr_flags |= POLICY_RULE_KEYEQ;
	else if (kind == 2 && in->pi_cmp == POLICY_C_INPATH && klen >= 2)
		pr->pr_flags |= POLICY_RULE_KEYINPATH;
	else if (kind == 2 && (in->pi_cmp == POLICY_C_MATCH ||
	    in->pi_cmp == POLICY_C_RE))
		pr->pr_flags |= POLICY_RULE_KEYHEAD;
}

static int
pc_index(struct pc_build *b, const struct pc_policy *pol)
{
	struct pc_vec generic[POLICY_OP_COUNT];
	struct pc_key *keys;
	size_t i, j, nb;
	unsigned op;
	uint32_t r;

	struct policy view;	/* the engine's view of the rules built */

	memset(&view, 0, sizeof(view));
	view.p_strtab = (const char *)b->str.d;
	view.p_strtab_size = (uint32_t)b->str.n;
	view.p_code = (const struct policy_insn *)(void *)b->code.d;
	view.p_ncode = (uint32_t)b->code.n;
	for (op = 0; op < POLICY_OP_COUNT; op++) {
		generic[op] = (struct pc_vec)PC_VEC(uint32_t);
		b->opindex[op].po_root = POLICY_NONE;
	}
	for (r = 0; r < pol->nrules; r++) {
		const struct pc_rule *rule = &pol->rules[r];
		for (op = 1; op < POLICY_OP_COUNT; op++) {
			int f = policy_field_primary(op), kind = 0;
			struct pc_key k = { NULL, 0, r, (uint16_t)op };
			struct policy_key pk;

			if (!policy_op_in_alias(rule->op, op))
				continue;
			if (f >= 0) {	/* the key the validator will check */
				pk = policy_rule_key(&view, PC_AT(&b->rules,
				    struct policy_rule, r), f);
				kind = pk.pk_kind;
			}
			if (kind != 0) {	/* the string table will move */
				k.len = pk.pk_len;
				if ((k.s = pc_strndup(&b->keyarena, pk.pk_str,
				    k.len)) == NULL)
					b->nomem = true;
				pc_hint(b, r, f, kind, k.len);
			}
			if (kind == 1 && pc_vec_push(&b->exact, &k, 1) == NULL)
				b->nomem = true;
			else if (kind == 2 &&
			    pc_vec_push(&b->prefix, &k, 1) == NULL)
				b->nomem = true;
			else if (kind == 0 &&
			    pc_vec_push(&generic[op], &r, 1) == NULL)
				b->nomem = true;
		}
	}
	for (op = 0; op < POLICY_OP_COUNT; op++) {
		b->opindex[op].po_generic = pc_list(b,
		    (uint32_t *)(void *)generic[op].d, generic[op].n);
		free(generic[op].d);
	}
	/* Exact keys: one hash entry per (op, key), its rules ascending. */
	keys = (struct pc_key *)(void *)b->exact.d;
	if (b->exact.n > 0)
		qsort(keys, b->exact.n, sizeof(*keys), pc_key_cmp);
	for (i = 0; i < b->exact.n; i = j) {
		struct policy_hashent he;
		uint32_t *rules = malloc((b->exact.n - i) * sizeof(*rules));
		size_t n = 0;

		if (rules == NULL) {
			b->nomem = true;
			break;
		}
		for (j = i; j < b->exact.n && keys[j].op == keys[i].op &&
		    keys[j].len == keys[i].len &&
		    memcmp(keys[j].s, keys[i].s, keys[i].len) == 0; j++)
			rules[n++] = keys[j].rule;
		memset(&he, 0, sizeof(he));
		he.ph_op = keys[i].op;
		he.ph_key = pc_str(b, keys[i].s, keys[i].len);
		memcpy(he.ph_head, keys[i].s, keys[i].len < POLICY_HASH_INLINE ?
		    keys[i].len : POLICY_HASH_INLINE);
		he.ph_rules = pc_list(b, rules, n);
		free(rules);
		if (pc_vec_push(&b->hashent, &he, 1) == NULL)
			b->nomem = true;
	}
	/* Order entries by bucket (stable: each bucket's entries contiguous). */
	for (nb = 1; nb < b->hashent.n; nb *= 2)
		;
	b->nbuckets = (uint32_t)nb;
	if ((b->buckets = calloc(nb + 1, sizeof(uint32_t))) == NULL)
		return -1;
	{
		struct policy_hashent *he = (void *)b->hashent.d, *sorted;
		size_t *pos;

		for (i = 0; i < b->hashent.n; i++)
			b->buckets[(policy_hash(he[i].ph_op, (char *)b->str.d +
			    he[i].ph_key.off, he[i].ph_key.len) & (nb - 1)) + 1]++;
		for (i = 0; i < nb; i++)
			b->buckets[i + 1] += b->buckets[i];
		sorted = malloc((b->hashent.n + 1) * sizeof(*sorted));
		pos = malloc((nb + 1) * sizeof(*pos));
		if (sorted == NULL || pos == NULL) {
			free(sorted);
			free(pos);
			return -1;
		}
		for (i = 0; i < nb; i++)
			pos[i] = b->buckets[i];
		for (i = 0; i < b->hashent.n; i++)
			sorted[pos[policy_hash(he[i].ph_op, (char *)b->str.d +
			    he[i].ph_key.off, he[i].ph_key.len) & (nb - 1)]++] =
			    he[i];
		if (b->hashent.n > 0)
			memcpy(he, sorted, b->hashent.n * sizeof(*he));
		free(sorted);
		free(pos);
	}
	/* Bloom filter over the exact keys: 8 or more bits per key. */
	for (b->nbloom = 1; (uint64_t)b->nbloom * 64 < 8 * (uint64_t)b->hashent.n;
	    b->nbloom *= 2)
		;
	if ((b->bloom = calloc(b->nbloom, sizeof(uint64_t))) == NULL)
		return -1;
	{
		const struct policy_hashent *he = (void *)b->hashent.d;
		unsigned k;

		for (i = 0; i < b->hashent.n; i++) {
			uint32_t h = policy_hash(he[i].ph_op, (char *)b->str.d +
			    he[i].ph_key.off, he[i].ph_key.len);
			for (k = 0; k < POLICY_BLOOM_K; k++) {
				uint32_t bit = policy_bloom_bit(h, k,
				    b->nbloom * 64);
				b->bloom[bit >> 6] |= 1ull << (bit & 63);
			}
		}
	}
	/* Prefix keys: a radix trie per operation. */
	keys = (struct pc_key *)(void *)b->prefix.d;
	if (b->prefix.n > 0)
		qsort(keys, b->prefix.n, sizeof(*keys), pc_key_cmp);
	for (i = 0; i < b->prefix.n; i = j) {
		for (j = i; j < b->prefix.n && keys[j].op == keys[i].op; j++)
			;
		b->opindex[keys[i].op].po_root = pc_trie_build(b, keys, i, j);
	}
	if (b->nomem || (b->nodebytes = malloc(b->nodes.n + 1)) == NULL)
		return -1;
	view.p_nodes = (const struct policy_node *)(void *)b->nodes.d;
	view.p_nnodes = (uint32_t)b->nodes.n;
	view.p_lists = (const uint32_t *)(void *)b->lists.d;
	view.p_nlists = (uint32_t)b->lists.n;
	for (i = 0; i < b->nodes.n; i++) {
		struct policy_node *n = PC_AT(&b->nodes, struct policy_node, i);

		b->nodebytes[i] = n->pn_inline[0];
		policy_node_hints(&view, n, &n->pn_hintbase, n->pn_hint);
	}
	return 0;
}

/* Sections start 8-byte aligned after the header; trie nodes, rules and
 * hash entries on a cache line each. */
#define PC_SECT_ALIGN(off, i) \
	((i) == POLICY_S_NODES || (i) == POLICY_S_RULES || \
	    (i) == POLICY_S_HASHENT ? \
	    ((off) + 63) & ~(size_t)63 : ((off) + 7) & ~(size_t)7)

static void *
pc_assemble(struct pc_build *b, const struct pc_policy *pol, size_t *sizep)
{
	const void *src[POLICY_S_COUNT];
	size_t len[POLICY_S_COUNT], off, i;
	struct policy_blob_header *h;
	uint8_t *blob;

	src[POLICY_S_STRTAB] = b->str.d;	len[POLICY_S_STRTAB] = b->str.n;
	src[POLICY_S_RULES] = b->rules.d;	len[POLICY_S_RULES] = b->rules.n * b->rules.esz;
	src[POLICY_S_CODE] = b->code.d;		len[POLICY_S_CODE] = b->code.n * b->code.esz;
	src[POLICY_S_OPINDEX] = b->opindex;	len[POLICY_S_OPINDEX] = sizeof(b->opindex);
	src[POLICY_S_BUCKETS] = b->buckets;	len[POLICY_S_BUCKETS] = (b->nbuckets + 1) * sizeof(uint32_t);
	src[POLICY_S_HASHENT] = b->hashent.d;	len[POLICY_S_HASHENT] = b->hashent.n * b->hashent.esz;
	src[POLICY_S_NODES] = b->nodes.d;	len[POLICY_S_NODES] = b->nodes.n * b->nodes.esz;
	src[POLICY_S_LISTS] = b->lists.d;	len[POLICY_S_LISTS] = b->lists.n * b->lists.esz;
	src[POLICY_S_RXPROG] = b->rxprog.d;	len[POLICY_S_RXPROG] = b->rxprog.n * b->rxprog.esz;
	src[POLICY_S_RXINSN] = b->rxinsn.d;	len[POLICY_S_RXINSN] = b->rxinsn.n * b->rxinsn.esz;
	src[POLICY_S_CLASSES] = b->classes.d;	len[POLICY_S_CLASSES] = b->classes.n * b->classes.esz;
	src[POLICY_S_NODEBYTES] = b->nodebytes;	len[POLICY_S_NODEBYTES] = b->nodes.n;
	src[POLICY_S_BLOOM] = b->bloom;		len[POLICY_S_BLOOM] = b->nbloom * sizeof(uint64_t);
	off = sizeof(*h);
	for (i = 0; i < POLICY_S_COUNT; i++)
		off = PC_SECT_ALIGN(off, i) + len[i];
	off = (off + 63) & ~(size_t)63;	/* aligned_alloc(64, off) */
	if (off > POLICY_BLOB_MAX || (blob = aligned_alloc(64, off)) == NULL)
		return NULL;
	memset(blob, 0, off);
	h = (struct policy_blob_header *)(void *)blob;
	h->ph_magic = POLICY_MAGIC;
	h->ph_version = POLICY_VERSION;
	h->ph_header_size = sizeof(*h);
	h->ph_total_size = (uint32_t)off;
	h->ph_default_action = (uint8_t)pol->default_action;
	h->ph_log = (uint8_t)pol->log;
	h->ph_default_errno = (uint16_t)pol->default_errno;
	h->ph_nrules = (uint32_t)pol->nrules;
	off = sizeof(*h);
	for (i = 0; i < POLICY_S_COUNT; i++) {
		off = PC_SECT_ALIGN(off, i);
		h->ph_sect[i].off = (uint32_t)off;
		h->ph_sect[i].size = (uint32_t)len[i];
		if (len[i] > 0)
			memcpy(blob + off, src[i], len[i]);
		off += len[i];
	}
	*sizep = h->ph_total_size;
	return blob;
}

int
pc_build(const struct pc_policy *pol, void **blobp, size_t *sizep,
    struct policy_diag *diag)
{
	struct pc_build b;
	struct policy_ref name, program, source;
	struct policy_blob_header *h;
	void *blob = NULL;
	size_t i, size = 0;
	int rv = -1;

	memset(&b, 0, sizeof(b));
	b.str = (struct pc_vec)PC_VEC(char);
	b.strs.hash = pc_str_hash;
	b.rxprogs.hash = pc_rxprog_hash;
	b.rules = (struct pc_vec)PC_VEC(struct policy_rule);
	b.code = (struct pc_vec)PC_VEC(struct policy_insn);
	b.lists = (struct pc_vec)PC_VEC(uint32_t);
	b.rxprog = (struct pc_vec)PC_VEC(struct policy_rxprog);
	b.rxinsn = (struct pc_vec)PC_VEC(struct policy_rxinsn);
	b.classes = (struct pc_vec)PC_VEC(uint8_t[32]);
	b.nodes = (struct pc_vec)PC_VEC(struct policy_node);
	b.hashent = (struct pc_vec)PC_VEC(struct policy_hashent);
	b.exact = (struct pc_vec)PC_VEC(struct pc_key);
	b.prefix = (struct pc_vec)PC_VEC(struct pc_key);

	if (pol->nrules > POLICY_RULES_MAX) {
		policy_diag_set(diag, pol->source, 0, 0, "too many rules "
		    "(%zu; at most %u)", pol->nrules, POLICY_RULES_MAX);
		goto out;
	}
	name = pc_str(&b, pol->name ? pol->name : "", pol->name ?
	    strlen(pol->name) : 0);
	program = pc_str(&b, pol->program ? pol->program : "", pol->program ?
	    strlen(pol->program) : 0);
	source = pc_str(&b, pol->source ? pol->source : "", pol->source ?
	    strlen(pol->source) : 0);
	for (i = 0; i < pol->nrules; i++) {
		const struct pc_rule *r = &pol->rules[i];
		struct policy_rule pr;
		int depth = 0;

		memset(&pr, 0, sizeof(pr));
		pr.pr_code = (uint32_t)b.code.n;
		if (r->cond != NULL)
			depth = pc_emit(&b, r->cond, r);
		if (depth > POLICY_STACK_MAX ||
		    b.code.n - pr.pr_code > POLICY_CODE_MAX) {
			policy_diag_set(diag, pol->source, r->line, r->col,
			    "condition too complex (at most %d tests and "
			    "nesting depth %d)", POLICY_CODE_MAX / 2,
			    POLICY_STACK_MAX);
			goto out;
		}
		pr.pr_ncode = (uint16_t)(b.code.n - pr.pr_code);
		if (pr.pr_ncode > 0 && !b.nomem)	/* instruction 0: inline */
			pc_vec_shift(&b.code, pr.pr_code, &pr.pr_test);
		if (pr.pr_ncode < 2)
			pr.pr_code = 0;
		pr.pr_op = (uint8_t)r->op;
		pr.pr_emul = (uint8_t)r->emul;
		pr.pr_action = (uint8_t)r->action;
		pr.pr_flags = (r->log ? POLICY_RULE_LOG : 0) |
		    (r->widen ? POLICY_RULE_WIDEN : 0);
		pr.pr_errno = (uint16_t)r->perrno;
		pr.pr_line = r->line;
		pr.pr_col = r->col;
		if (pc_vec_push(&b.rules, &pr, 1) == NULL)
			b.nomem = true;
	}
	if (b.nomem || pc_index(&b, pol) != 0)
		goto nomem;
	/* Rule texts are read only for logs: keep them after the strings that
	 * evaluation reads, which then share fewer cache lines with cold text. */
	for (i = 0; i < pol->nrules; i++)
		PC_AT(&b.rules, struct policy_rule, i)->pr_text =
		    pc_str(&b, pol->rules[i].text, strlen(pol->rules[i].text));
	if (b.nomem)
		goto nomem;
	if ((blob = pc_assemble(&b, pol, &size)) == NULL) {
		policy_diag_set(diag, pol->source, 0, 0, "compiled policy "
		    "larger than %u bytes", POLICY_BLOB_MAX);
		goto out;
	}
	h = blob;
	h->ph_name = name;
	h->ph_program = program;
	h->ph_source = source;
	h->ph_checksum = policy_blob_checksum(blob, size);
	*blobp = blob;
	*sizep = size;
	rv = 0;
	goto out;
nomem:
	policy_diag_set(diag, pol->source, 0, 0, "out of memory");
out:
	free(b.str.d); free(b.strs.slot); free(b.rxprogs.slot); free(b.rules.d); free(b.code.d);
	free(b.lists.d); free(b.rxprog.d); free(b.rxinsn.d); free(b.classes.d);
	free(b.nodes.d); free(b.hashent.d); free(b.exact.d);
	free(b.prefix.d); free(b.buckets); free(b.nodebytes); free(b.bloom);
	pc_arena_free(&b.keyarena);
	return rv;
}
