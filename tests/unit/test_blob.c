/* test_blob.c: compiled-blob round trip and the validator's rejection of every kind
 * of malformed blob: truncation, magic, version, checksum, ranges, overlaps, strings,
 * counts, code, lists, hash, trie and regex programs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static const char *full_policy =
    "policy: 1\nname: full\nprogram: /bin/full\ndefault: deny\nerrno: EACCES\nrules:\n"
    "  - open: filename eq \"/etc/passwd\" then permit\n"
    "  - fsread: filename match \"/usr/lib/*\" then permit\n"
    "  - open: filename match \"/usr/share/*\" then permit\n"
    "  - stat: filename re \"^/home/[a-z]+/x$\" then permit\n"
    "  - open: flags sub \"O_CREAT\" and not filename inpath \"/tmp\" then deny[EROFS]\n"
    "  - getpid: then permit\n"
    "  - open: flags sub \"O_TRUNC\" then deny\n";

struct blob {
	uint8_t	*d;
	size_t	size;
};

static struct blob
compile_full(void)
{
	struct policy_diag d;
	struct blob b;
	void *p;

	if (policy_compile_buffer("full.yaml", full_policy, strlen(full_policy),
	    &p, &b.size, &d) != 0)
		fail_msg("%s", d.pd_msg);
	b.d = p;
	return b;
}

static struct policy_blob_header *
hdr(struct blob *b)
{
	return (struct policy_blob_header *)(void *)b->d;
}

static void
refix(struct blob *b)
{
	hdr(b)->ph_checksum = policy_blob_checksum(b->d, b->size);
}

/* Validate, expect failure whose message contains want. */
static void
expect_reject(struct blob *b, const char *want)
{
	struct policy p;
	char err[POLICY_ERRBUF];

	assert_int_equal(policy_blob_validate(&p, b->d, b->size, err,
	    sizeof(err)), EINVAL);
	if (strstr(err, want) == NULL)
		fail_msg("error '%s' lacks '%s'", err, want);
	assert_null(p.p_base);
}

static void
test_crc32(void **state)
{
	(void)state;
	assert_int_equal(policy_crc32(0, "123456789", 9), 0xcbf43926u);
	assert_int_equal(policy_crc32(policy_crc32(0, "1234", 4), "56789", 5),
	    0xcbf43926u);
	assert_int_equal(policy_crc32(0, "", 0), 0);
}

static void
test_round_trip(void **state)
{
	struct blob a = compile_full(), b = compile_full();
	struct policy p;
	char err[POLICY_ERRBUF], *text = NULL;
	size_t tlen = 0;
	FILE *fp;

	(void)state;
	/* deterministic: the same source gives the same bytes */
	assert_int_equal(a.size, b.size);
	assert_memory_equal(a.d, b.d, a.size);
	assert_int_equal(policy_blob_validate(&p, a.d, a.size, err, sizeof(err)), 0);
	assert_int_equal(p.p_nrules, 7);
	assert_true(p.p_nrxprog == 1 && p.p_nclasses >= 1 && p.p_nnodes >= 2 &&
	    p.p_nhashent >= 2 && p.p_nlists > 0);
	assert_string_equal(policy_str(&p, p.p_hdr->ph_program), "/bin/full");
	assert_non_null(fp = open_memstream(&text, &tlen));
	policy_dump(fp, &p);
	fclose(fp);
	assert_non_null(strstr(text, "policy:  full"));
	assert_non_null(strstr(text, "#1     8:5"));
	assert_non_null(strstr(text, "exact  \"/etc/passwd\" -> #0"));
	assert_non_null(strstr(text, "prefix \"/usr/lib/\" -> #1"));
	assert_non_null(strstr(text, "prefix \"/home/\" -> #3"));
	assert_non_null(strstr(text, "unindexed -> #4 #6"));
	assert_non_null(strstr(text, "exact  \"getpid\" -> #5"));
	free(text);
	free(a.d);
	free(b.d);
}

static void
test_header_rejects(void **state)
{
	struct blob b = compile_full();
	struct policy p;
	char err[POLICY_ERRBUF];
	uint8_t *odd;

	(void)state;
	assert_int_equal(policy_blob_validate(&p, NULL, 0, err, sizeof(err)), EINVAL);
	assert_non_null(strstr(err, "truncated"));
	assert_int_equal(policy_blob_validate(&p, b.d, 10, err, sizeof(err)), EINVAL);
	assert_non_null(strstr(err, "truncated"));
	assert_int_equal(policy_blob_validate(&p, b.d, b.size - 8, err, sizeof(err)), EINVAL);
	assert_non_null(strstr(err, "size does not match"));
	assert_int_equal(policy_blob_validate(&p, b.d, POLICY_BLOB_MAX + 8ul, err, sizeof(err)), EINVAL);
	assert_non_null(strstr(err, "too large"));
	/* misaligned in memory */
	odd = malloc(b.size + 1);
	memcpy(odd + 1, b.d, b.size);
	assert_int_equal(policy_blob_validate(&p, odd + 1, b.size, err, sizeof(err)), EINVAL);
	assert_non_null(strstr(err, "aligned"));
	free(odd);

	hdr(&b)->ph_magic ^= 1;
	expect_reject(&b, "wrong magic");
	hdr(&b)->ph_magic ^= 1;
	hdr(&b)->ph_version = POLICY_VERSION + 1;
	expect_reject(&b, "unsupported format version");
	hdr(&b)->ph_version = POLICY_VERSION;
	hdr(&b)->ph_header_size = 12;
	expect_reject(&b, "header size");
	hdr(&b)->ph_header_size = sizeof(struct policy_blob_header);
	b.d[b.size - 1] ^= 0x55;	/* any byte: checksum */
	expect_reject(&b, "checksum mismatch");
	b.d[b.size - 1] ^= 0x55;
	hdr(&b)->ph_checksum ^= 1;
	expect_reject(&b, "checksum mismatch");
	hdr(&b)->ph_checksum ^= 1;
	assert_int_equal(policy_blob_validate(&p, b.d, b.size, err, sizeof(err)), 0);
	free(b.d);
}

/* Mutate a copy of the blob with fn, fix the checksum, expect a rejection. */
typedef void (*mutator)(struct blob *, struct policy *);

static void
mutate_and_reject(mutator fn, const char *want)
{
	struct blob b = compile_full();
	struct policy p;
	char err[POLICY_ERRBUF];

	assert_int_equal(policy_blob_validate(&p, b.d, b.size, err, sizeof(err)), 0);
	fn(&b, &p);
	refix(&b);
	expect_reject(&b, want);
	free(b.d);
}

#define MUT(name, ...) \
	static void name(struct blob *b, struct policy *p) { (void)b; (void)p; __VA_ARGS__; }
#define SECT(b, i)	(hdr(b)->ph_sect[i])
#define W(p, ptr)	((void *)(uintptr_t)(ptr))	/* writable view */

/* Compile y into b, validated into p; and the first hash entry for key
 * and trie node labelled label in p (writable). */
static void
compile_find(const char *y, struct blob *b, struct policy *p)
{
	struct policy_diag d;
	char err[POLICY_ERRBUF];
	void *v;

	assert_int_equal(policy_compile_buffer("t", y, strlen(y), &v, &b->size,
	    &d), 0);
	b->d = v;
	assert_int_equal(policy_blob_validate(p, b->d, b->size, err,
	    sizeof(err)), 0);
}

static struct policy_hashent *
find_hashent(struct policy *p, const char *key)
{
	uint32_t e;

	for (e = 0; e < p->p_nhashent; e++)
		if (strcmp(policy_str(p, p->p_hashent[e].ph_key), key) == 0)
			return W(p, &p->p_hashent[e]);
	fail_msg("no hash entry for %s", key);
	return NULL;
}

static struct policy_node *
find_node(struct policy *p, const char *label)
{
	uint32_t n;

	for (n = 0; n < p->p_nnodes; n++)
		if (strcmp(policy_str(p, p->p_nodes[n].pn_label), label) == 0)
			return W(p, &p->p_nodes[n]);
	fail_msg("no trie node labelled %s", label);
	return NULL;
}

/* After a mutation of nodes' rule lists: their parents' rule hints made
 * to agree again, so that the check the mutation is for is reached. */
static void
rehint(struct policy *p)
{
	uint32_t i;

	for (i = 0; i < p->p_nnodes; i++) {
		struct policy_node *n = W(p, &p->p_nodes[i]);

		policy_node_hints(p, n, &n->pn_hintbase, n->pn_hint);
	}
}

MUT(m_sect_range, SECT(b, POLICY_S_RULES).off = (uint32_t)b->size)
MUT(m_sect_huge, SECT(b, POLICY_S_LISTS).size = 0xfffffff0u)
MUT(m_sect_wrap, SECT(b, POLICY_S_LISTS).off = 0xfffffff8u)
MUT(m_sect_align, SECT(b, POLICY_S_CODE).off += 4)
MUT(m_sect_in_header, SECT(b, POLICY_S_STRTAB).off = 8)
MUT(m_sect_overlap, SECT(b, POLICY_S_CODE).off = SECT(b, POLICY_S_RULES).off)
MUT(m_sect_overlap2, SECT(b, POLICY_S_RULES).size += sizeof(struct policy_rule))
MUT(m_sect_partial, SECT(b, POLICY_S_RULES).size -= 4)
MUT(m_opindex_size, SECT(b, POLICY_S_OPINDEX).size -= sizeof(struct policy_opindex))
MUT(m_strtab_empty, SECT(b, POLICY_S_STRTAB).size = 0)
MUT(m_nrules, hdr(b)->ph_nrules = 0xffffffffu)
MUT(m_nrules_small, hdr(b)->ph_nrules = 2)
MUT(m_default_action, hdr(b)->ph_default_action = 9)
MUT(m_default_none, hdr(b)->ph_default_action = POLICY_ACT_NONE)
MUT(m_log, hdr(b)->ph_log = 3)
MUT(m_errno, hdr(b)->ph_default_errno = 60000)
MUT(m_name_range, hdr(b)->ph_name.off = 0x7fffffff)
MUT(m_name_len_wrap, hdr(b)->ph_name.len = 0xffffffffu)
MUT(m_name_unterminated,
    ((char *)W(p, p->p_strtab))[hdr(b)->ph_name.off + hdr(b)->ph_name.len] = 'x')
MUT(m_name_nul_inside,
    ((char *)W(p, p->p_strtab))[hdr(b)->ph_name.off + 1] = '\0')
MUT(m_rule_op, ((struct policy_rule *)W(p, p->p_rules))[0].pr_op = 200)
MUT(m_rule_op0, ((struct policy_rule *)W(p, p->p_rules))[0].pr_op = 0)
MUT(m_rule_emul, ((struct policy_rule *)W(p, p->p_rules))[0].pr_emul = 0)
MUT(m_rule_emul2, ((struct policy_rule *)W(p, p->p_rules))[0].pr_emul = 0x80)
MUT(m_rule_action, ((struct policy_rule *)W(p, p->p_rules))[0].pr_action = 7)
MUT(m_rule_flags, ((struct policy_rule *)W(p, p->p_rules))[0].pr_flags = 0x80)
MUT(m_widen_op, ((struct policy_rule *)W(p, p->p_rules))[0].pr_flags |=
    POLICY_RULE_WIDEN)		/* widen on a rule that is no rename */
MUT(m_hint_both, ((struct policy_rule *)W(p, p->p_rules))[0].pr_flags =
    POLICY_RULE_KEYEQ | POLICY_RULE_KEYINPATH)
MUT(m_hint_wrong, ((struct policy_rule *)W(p, p->p_rules))[0].pr_flags =
    POLICY_RULE_KEYINPATH)		/* an eq rule */
MUT(m_hint_match, ((struct policy_rule *)W(p, p->p_rules))[1].pr_flags =
    POLICY_RULE_KEYEQ)			/* a match rule */
MUT(m_hint_compound, ((struct policy_rule *)W(p, p->p_rules))[4].pr_flags =
    POLICY_RULE_KEYINPATH)		/* several tests */
MUT(m_hint_int, ((struct policy_rule *)W(p, p->p_rules))[6].pr_flags =
    POLICY_RULE_KEYEQ)			/* an integer test */
MUT(m_rule_errno, ((struct policy_rule *)W(p, p->p_rules))[0].pr_errno = 999)
MUT(m_rule_text, ((struct policy_rule *)W(p, p->p_rules))[0].pr_text.off = 0xfffffff0u)
MUT(m_code_range, ((struct policy_rule *)W(p, p->p_rules))[5].pr_ncode = 300)
MUT(m_code_range2, ((struct policy_rule *)W(p, p->p_rules))[4].pr_ncode = 5)
MUT(m_code_wrap, ((struct policy_rule *)W(p, p->p_rules))[4].pr_code = 0xffffffffu)
MUT(m_code_order, ((struct policy_rule *)W(p, p->p_rules))[1].pr_code = 1)	/* one test */
MUT(m_code_order2, {		/* INT, NOT: valid code, but not where it belongs */
	struct policy_rule *r = W(p, &p->p_rules[4]);
	r->pr_code = 1;
	r->pr_ncode = 2;
})
MUT(m_code_unused, ((struct policy_rule *)W(p, p->p_rules))[4].pr_ncode = 1)
MUT(m_rule_pad, ((struct policy_rule *)W(p, p->p_rules))[0].pr_pad = 1)
MUT(m_rule_test_unused, ((struct policy_rule *)W(p, p->p_rules))[1].pr_ncode = 0)
					/* an instruction 0 left in it */
MUT(m_code_underflow, ((struct policy_insn *)W(p, p->p_code))[0].pi_kind = POLICY_I_AND)
MUT(m_code_kind, ((struct policy_insn *)W(p, p->p_code))[0].pi_kind = 77)
MUT(m_code_field, ((struct policy_insn *)W(p, p->p_code))[0].pi_field = POLICY_F_FLAGS)
MUT(m_code_cmp, ((struct policy_insn *)W(p, p->p_code))[0].pi_cmp = 0)
MUT(m_code_str, ((struct policy_insn *)W(p, p->p_code))[0].pi_str.len = 0x10000000)
MUT(m_code_leftover, {
	/* rule 4: flags-sub, filename-inpath, NOT, AND -> turn AND into NOT */
	const struct policy_rule *r = &p->p_rules[4];
	((struct policy_insn *)W(p, policy_rule_insn(p, r, r->pr_ncode - 1)))->pi_kind =
	    POLICY_I_NOT;
})
MUT(m_code_intcmp, ((struct policy_rule *)W(p, p->p_rules))[4].pr_test.pi_cmp =
    POLICY_C_MATCH)
MUT(m_code_rx, ((struct policy_rule *)W(p, p->p_rules))[3].pr_test.pi_value = 5)
MUT(m_list_range, ((struct policy_opindex *)W(p, p->p_opindex))[POLICY_OP_OPEN].po_generic.count = 0x7fffffff)
MUT(m_list_rule, ((struct policy_opindex *)W(p, p->p_opindex))[POLICY_OP_OPEN].po_generic =
    (struct policy_list){ 99, 1 })
MUT(m_list_wrong_op, ((struct policy_opindex *)W(p, p->p_opindex))[POLICY_OP_OPEN].po_generic =
    (struct policy_list){ 5, 1 })
MUT(m_list_order, {
	struct policy_opindex *oi = W(p, p->p_opindex);
	uint32_t *l = W(p, p->p_lists);
	uint32_t k;
	for (k = 1; k < POLICY_OP_COUNT; k++)
		if (oi[k].po_generic.count > 1) {
			uint32_t t = l[oi[k].po_generic.off];
			l[oi[k].po_generic.off] = l[oi[k].po_generic.off + 1];
			l[oi[k].po_generic.off + 1] = t;
			break;
		}
})
MUT(m_unindexed_exact, find_hashent(p, "/etc/passwd")->ph_rules =
    (struct policy_list){ 2, 1 })	/* rule 0 left out, rule 2 instead */
MUT(m_unindexed_prefix, {
	find_node(p, "share/")->pn_rules = (struct policy_list){ 0, 0 };
	rehint(p);	/* the open rule for /usr/share/ left out */
})
MUT(m_node_hint, {	/* a hint naming another rule */
	uint32_t k;
	struct policy_node *n = W(p, p->p_nodes);
	for (k = 0; k < p->p_nnodes && n[k].pn_hint[0] == POLICY_NODE_NOHINT; k++)
		;
	assert_true(k < p->p_nnodes);
	n[k].pn_hint[0] ^= 1;
})
MUT(m_node_hintbase, {
	uint32_t k;
	struct policy_node *n = W(p, p->p_nodes);
	for (k = 0; k < p->p_nnodes && n[k].pn_hint[0] == POLICY_NODE_NOHINT; k++)
		;
	assert_true(k < p->p_nnodes);
	n[k].pn_hintbase += 1;
})
MUT(m_unindexed_generic, ((struct policy_opindex *)W(p, p->p_opindex))[POLICY_OP_OPEN].po_generic =
    (struct policy_list){ 0, 0 })	/* the flags-only open rules */
MUT(m_root_range, ((struct policy_opindex *)W(p, p->p_opindex))[POLICY_OP_STAT].po_root = 1000)
MUT(m_buckets_pow2, SECT(b, POLICY_S_BUCKETS).size = 4)
MUT(m_buckets_cover, ((uint32_t *)W(p, p->p_buckets))[p->p_nbuckets] = 99)
MUT(m_hash_op, ((struct policy_hashent *)W(p, p->p_hashent))[0].ph_op = 0)
MUT(m_hash_bucket, {
	struct policy_hashent *h = W(p, p->p_hashent), first = h[0];
	uint32_t k;
	for (k = 0; k + 1 < p->p_nhashent; k++) {	/* keys and heads move */
		h[k].ph_key = h[k + 1].ph_key;
		memcpy(h[k].ph_head, h[k + 1].ph_head, POLICY_HASH_INLINE);
	}
	h[k].ph_key = first.ph_key;
	memcpy(h[k].ph_head, first.ph_head, POLICY_HASH_INLINE);
})
MUT(m_hash_head, ((struct policy_hashent *)W(p, p->p_hashent))[0].ph_head[1] ^= 1)
MUT(m_hash_head_pad, ((struct policy_hashent *)W(p, p->p_hashent))[0]
    .ph_head[POLICY_HASH_INLINE - 1] = 'x')	/* keys here are shorter */
MUT(m_node_label, ((struct policy_node *)W(p, p->p_nodes))[0].pn_label.off = 0xffffff00u)
MUT(m_node_kids, ((struct policy_node *)W(p, p->p_nodes))[0].pn_nchild = 1000)
MUT(m_node_kid_back, {
	/* a child before its parent would allow a cycle */
	struct policy_node *n = W(p, p->p_nodes);
	uint32_t k;
	for (k = 0; k < p->p_nnodes; k++)
		if (n[k].pn_nchild > 0) {
			n[k].pn_child = k;
			break;
		}
})
MUT(m_node_inline, ((struct policy_node *)W(p, p->p_nodes))[1].pn_inline[7] ^= 0x20)
MUT(m_node_byte, ((uint8_t *)W(p, p->p_nodebytes))[1] ^= 0x20)
MUT(m_leaf_child, {	/* a leaf naming children it does not have */
	uint32_t k;
	struct policy_node *n = W(p, p->p_nodes);
	for (k = 0; k < p->p_nnodes && n[k].pn_nchild > 0; k++)
		;
	assert_true(k < p->p_nnodes);
	n[k].pn_child = 0xfffffffau;
})
MUT(m_node_kidbyte, ((struct policy_node *)W(p, p->p_nodes))[0].pn_kids[0] ^= 0x20)
MUT(m_node_kids_pad, ((struct policy_node *)W(p, p->p_nodes))[0].pn_kids[
    POLICY_NODE_KIDS - 1] = 'x')
MUT(m_nodebytes_size, SECT(b, POLICY_S_NODEBYTES).size -= 1)
MUT(m_bloom_size, SECT(b, POLICY_S_BLOOM).size = 0)
MUT(m_bloom_clear, memset(W(p, p->p_bloom), 0, p->p_nbloom * 8))
MUT(m_node_kid_empty, {
	struct policy_node *n = W(p, p->p_nodes);
	uint32_t k;
	for (k = 0; k < p->p_nnodes; k++)
		if (n[k].pn_nchild > 0) {
			n[n[k].pn_child].pn_label.len = 0;
			memset(n[n[k].pn_child].pn_inline, 0, POLICY_NODE_INLINE);
			break;
		}
})
MUT(m_node_list, ((struct policy_node *)W(p, p->p_nodes))[1].pn_rules =
    (struct policy_list){ 0xfffffff0u, 2 })
MUT(m_rx_jump, ((struct policy_rxinsn *)W(p, p->p_rxinsn))[0].rx_op = POLICY_RX_JMP;
    ((struct policy_rxinsn *)W(p, p->p_rxinsn))[0].rx_x = 300)
MUT(m_rx_op, ((struct policy_rxinsn *)W(p, p->p_rxinsn))[0].rx_op = 99)
MUT(m_rx_off_end, ((struct policy_rxinsn *)W(p, p->p_rxinsn))[p->p_nrxinsn - 1].rx_op = POLICY_RX_ANY)
MUT(m_rx_class, {
	struct policy_rxinsn *r = W(p, p->p_rxinsn);
	uint32_t k;
	for (k = 0; k < p->p_nrxinsn; k++)
		if (r[k].rx_op == POLICY_RX_CLASS)
			r[k].rx_arg = 50;
})
MUT(m_rx_char, ((struct policy_rxinsn *)W(p, p->p_rxinsn))[0].rx_op = POLICY_RX_CHAR;
    ((struct policy_rxinsn *)W(p, p->p_rxinsn))[0].rx_arg = 256)
MUT(m_rx_prog, ((struct policy_rxprog *)W(p, p->p_rxprog))[0].rp_ninsn = 0)
MUT(m_rx_prog_big, ((struct policy_rxprog *)W(p, p->p_rxprog))[0].rp_ninsn = 5000)
MUT(m_classes_size, SECT(b, POLICY_S_CLASSES).size -= 1)

static void
test_structure_rejects(void **state)
{
	static const struct { mutator fn; const char *want; } t[] = {
		{ m_sect_range, "section out of range" },
		{ m_sect_huge, "section out of range" },
		{ m_sect_wrap, "section out of range" },
		{ m_sect_align, "section out of range" },
		{ m_sect_in_header, "section out of range" },
		{ m_sect_overlap, "overlap" },
		{ m_sect_overlap2, "overlap" },
		{ m_sect_partial, "whole number" },
		{ m_opindex_size, "operation index has the wrong size" },
		{ m_strtab_empty, "empty string table" },
		{ m_nrules, "rule count" },
		{ m_nrules_small, "rule count" },
		{ m_default_action, "header fields" },
		{ m_default_none, "header fields" },
		{ m_log, "header fields" },
		{ m_errno, "header fields" },
		{ m_name_range, "header fields" },
		{ m_name_len_wrap, "header fields" },
		{ m_name_unterminated, "header fields" },
		{ m_name_nul_inside, "header fields" },
		{ m_rule_op, "bad rule header" },
		{ m_rule_op0, "bad rule header" },
		{ m_rule_emul, "bad rule header" },
		{ m_rule_emul2, "bad rule header" },
		{ m_rule_action, "bad rule header" },
		{ m_rule_flags, "bad rule header" },
		{ m_widen_op, "bad rule header" },
		{ m_hint_both, "two index hints on one rule" },
		{ m_hint_wrong, "index hint on a rule it does not fit" },
		{ m_hint_match, "index hint on a rule it does not fit" },
		{ m_hint_compound, "index hint on a rule it does not fit" },
		{ m_hint_int, "index hint on a rule it does not fit" },
		{ m_rule_errno, "bad rule header" },
		{ m_rule_text, "bad rule header" },
		{ m_code_range, "condition code out of range" },
		{ m_code_range2, "condition code out of range" },
		{ m_code_wrap, "condition code out of range" },
		{ m_code_order, "rule order" },
		{ m_code_order2, "rule order" },
		{ m_code_unused, "unused condition code" },
		{ m_rule_pad, "bad rule header" },
		{ m_rule_test_unused, "bad rule header" },
		{ m_code_underflow, "underflow" },
		{ m_code_kind, "unknown condition instruction" },
		{ m_code_field, "bad string test" },
		{ m_code_cmp, "bad string test" },
		{ m_code_str, "bad string test" },
		{ m_code_leftover, "bad stack" },
		{ m_code_intcmp, "bad integer test" },
		{ m_code_rx, "regular expression number" },
		{ m_list_range, "rule list out of range" },
		{ m_list_rule, "not ascending" },
		{ m_list_wrong_op, "another operation" },
		{ m_unindexed_exact, "a rule is missing from the index" },
		{ m_unindexed_prefix, "a rule is missing from the index" },
		{ m_node_hint, "rule hints disagree" },
		{ m_leaf_child, "trie children out of range" },
		{ m_node_hintbase, "rule hints disagree" },
		{ m_unindexed_generic, "a rule is missing from the index" },
		{ m_list_order, "not ascending" },
		{ m_root_range, "trie root out of range" },
		{ m_buckets_pow2, "power of two" },
		{ m_buckets_cover, "do not cover" },
		{ m_hash_op, "bad hash entry" },
		{ m_hash_bucket, "wrong bucket" },
		{ m_hash_head, "key's head disagree" },
		{ m_hash_head_pad, "key's head disagree" },
		{ m_node_label, "bad trie node" },
		{ m_node_kids, "trie children out of range" },
		{ m_node_kid_back, "trie children out of range" },
		{ m_node_inline, "inline head disagree" },
		{ m_node_byte, "node byte table and trie node disagree" },
		{ m_nodebytes_size, "node byte table has the wrong size" },
		{ m_node_kidbyte, "child bytes disagree" },
		{ m_node_kids_pad, "child bytes disagree" },
		{ m_bloom_size, "Bloom filter size" },
		{ m_bloom_clear, "Bloom filter misses an exact key" },
		{ m_node_kid_empty, "not sorted by label" },
		{ m_node_list, "rule list out of range" },
		{ m_rx_jump, "jump out of range" },
		{ m_rx_op, "unknown regex instruction" },
		{ m_rx_off_end, "runs off its end" },
		{ m_rx_class, "class out of range" },
		{ m_rx_char, "byte out of range" },
		{ m_rx_prog, "program out of range" },
		{ m_rx_prog_big, "program out of range" },
		{ m_classes_size, "whole number" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		print_message("mutation %zu: expect '%s'\n", i, t[i].want);
		mutate_and_reject(t[i].fn, t[i].want);
	}
}

/* Lists shared between index entries are fine, but the total referenced
 * may not exceed the LISTS section: validation stays linear in blob size. */
static void
test_list_budget(void **state)
{
	const char *y = "policy: 1\nrules:\n  - fsread: filename match \"/a*\" then permit\n"
	    "  - fsread: filename match \"/a*\" then deny\n";
	struct policy_diag d;
	struct policy p;
	struct policy_opindex *oi;
	char err[POLICY_ERRBUF];
	struct blob b;
	void *v;

	(void)state;
	assert_int_equal(policy_compile_buffer("t", y, strlen(y), &v, &b.size, &d), 0);
	b.d = v;
	assert_int_equal(policy_blob_validate(&p, b.d, b.size, err, sizeof(err)), 0);
	assert_int_equal(p.p_nlists, 10);	/* a two-rule node per fsread op */
	oi = W(&p, p.p_opindex);
	oi[POLICY_OP_OPEN].po_generic = (struct policy_list){ 0, 2 };
	refix(&b);
	assert_int_equal(policy_blob_validate(&p, b.d, b.size, err, sizeof(err)), EINVAL);
	assert_non_null(strstr(err, "referenced too often"));
	free(b.d);
}

static void
swap_lists(struct policy_list *x, struct policy_list *y)
{
	struct policy_list t = *x;

	*x = *y;
	*y = t;
}

/* Fix b's checksum after a change, expect the validator to refuse it with
 * want, and free it. */
static void
refix_reject(struct blob *b, const char *want)
{
	refix(b);
	expect_reject(b, want);
	free(b->d);
}

/* An index hint makes the index entry a rule's whole test, so a blob whose
 * entries lead to hinted rules with other operands (which would enforce
 * something else than its rules say) is refused, as is a trie in which a
 * node has two paths. */
static void
test_hints_match_index(void **state)
{
	const char *y = "policy: 1\ndefault: deny\nrules:\n"
	    "  - open: filename eq \"/a\" then deny\n"
	    "  - open: filename eq \"/b\" then permit\n"
	    "  - open: filename inpath \"/x/p\" then deny\n"
	    "  - open: filename inpath \"/x/q\" then permit\n"
	    "  - open: filename inpath \"/y/r\" then permit\n";
	struct policy_node *q1, *r1;
	struct policy p;
	struct blob b;

	(void)state;
	/* the /a entry leads to rule 1 (/b, permit) and /b's to rule 0 */
	compile_find(y, &b, &p);
	swap_lists(&find_hashent(&p, "/a")->ph_rules,
	    &find_hashent(&p, "/b")->ph_rules);
	refix_reject(&b, "exact key and its rule's operand differ");

	/* node /x/p lists rule 3 (/x/q, permit), and /x/q rule 2 */
	compile_find(y, &b, &p);
	swap_lists(&find_node(&p, "p")->pn_rules, &find_node(&p, "q")->pn_rules);
	rehint(&p);
	refix_reject(&b, "trie path and its rule's operand differ");

	/* leaf y/r takes x/'s child q as well: q gets two parents (within
	 * the child budget, which counts one reference per node) */
	compile_find(y, &b, &p);
	r1 = find_node(&p, "y/r");
	q1 = find_node(&p, "q");
	assert_true(r1 < q1);		/* children come after their parents */
	r1->pn_child = (uint32_t)(q1 - p.p_nodes);
	r1->pn_nchild = 1;
	r1->pn_kids[0] = 'q';
	rehint(&p);
	refix_reject(&b, "trie node with two parents");
}

/* Index keys and trie paths are never longer than a request value can be
 * (the compiler cuts them there), which bounds the validator's work: a
 * hash entry whose key is the rule's whole 1,500-byte operand is refused. */
static void
test_index_key_length(void **state)
{
	char y[2048], op[1501];
	struct policy_hashent *he = NULL;
	struct policy p;
	struct blob b;
	uint32_t e;

	(void)state;
	memset(op, 'a', sizeof(op) - 1);
	op[0] = '/';
	op[sizeof(op) - 1] = '\0';
	snprintf(y, sizeof(y), "policy: 1\nrules:\n  - open: filename eq \"%s\" "
	    "and flags sub \"O_CREAT\" then permit\n", op);
	compile_find(y, &b, &p);
	for (e = 0; e < p.p_nhashent; e++)
		if (p.p_hashent[e].ph_op == POLICY_OP_OPEN)
			he = W(&p, &p.p_hashent[e]);
	assert_non_null(he);
	assert_int_equal(he->ph_key.len, POLICY_PATH_MAX - 1);	/* cut */
	he->ph_key = p.p_rules[0].pr_test.pi_str;
	assert_int_equal(he->ph_key.len, 1500);
	refix_reject(&b, "bad hash entry");
}

/* A loaded blob file, and one with a bad blob, through the library entry. */
static void
test_load_file(void **state)
{
	struct blob b = compile_full();
	char path[] = "/tmp/policy-test-XXXXXX";
	struct policy_diag d;
	struct policy_loaded *pl;
	FILE *fp;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(fp = fdopen(fd, "w"));
	assert_int_equal(fwrite(b.d, 1, b.size, fp), b.size);
	fclose(fp);
	assert_non_null(pl = policy_load_file(path, &d));
	assert_int_equal(pl->pl_policy.p_nrules, 7);
	policy_loaded_free(pl);
	/* truncate the file: rejected, with the file name */
	assert_int_equal(truncate(path, (off_t)b.size / 2), 0);
	assert_null(policy_load_file(path, &d));
	assert_string_equal(d.pd_file, path);
	assert_non_null(strstr(d.pd_msg, "size does not match"));
	unlink(path);
	assert_null(policy_load_file(path, &d));
	assert_non_null(strstr(d.pd_msg, "cannot open"));
	assert_null(policy_load_file("/tmp", &d));
	assert_non_null(strstr(d.pd_msg, "directory"));
	free(b.d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crc32),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_header_rejects),
		cmocka_unit_test(test_structure_rejects),
		cmocka_unit_test(test_list_budget),
		cmocka_unit_test(test_hints_match_index),
		cmocka_unit_test(test_index_key_length),
		cmocka_unit_test(test_load_file),
	};

	return cmocka_run_group_tests_name("blob", tests, NULL, NULL);
}
