/* policy_dump.c: human-readable listing of a validated policy: header, rules with
 * their source positions, and the index (exact keys, prefix trie, unindexed rules). */
#include <string.h>

#include "libpolicy.h"

static void
policy_dump_list(FILE *fp, const struct policy *p, struct policy_list l)
{
	uint32_t i;

	for (i = 0; i < l.count; i++)
		fprintf(fp, "%s#%u", i ? " " : "", policy_list_rule(p, l, i));
}

/* Depth-first over the trie; budget bounds the walk even on a cyclic blob. */
static void
policy_dump_trie(FILE *fp, const struct policy *p, uint32_t node, char *buf,
    size_t len, uint32_t *budget)
{
	const struct policy_node *n;
	uint32_t e;

	if (node >= p->p_nnodes || *budget == 0)
		return;
	(*budget)--;
	n = &p->p_nodes[node];
	if (len + n->pn_label.len >= POLICY_PATH_MAX)
		return;
	memcpy(buf + len, policy_str(p, n->pn_label), n->pn_label.len);
	len += n->pn_label.len;
	if (n->pn_rules.count > 0) {
		fprintf(fp, "      prefix \"%.*s\" -> ", (int)len, buf);
		policy_dump_list(fp, p, n->pn_rules);
		fputc('\n', fp);
	}
	for (e = 0; e < n->pn_nchild; e++)
		policy_dump_trie(fp, p, n->pn_child + e, buf, len, budget);
}

void
policy_dump(FILE *fp, const struct policy *p)
{
	static const char *const logs[] = { "none", "deny", "all" };
	const struct policy_blob_header *h = p->p_hdr;
	char buf[POLICY_PATH_MAX];
	uint32_t i, e;
	unsigned op;

	fprintf(fp, "policy:  %s\n", h->ph_name.len ?
	    policy_str(p, h->ph_name) : "(unnamed)");
	fprintf(fp, "format:  %u, %u bytes, checksum 0x%08x\n", h->ph_version,
	    h->ph_total_size, h->ph_checksum);
	if (h->ph_source.len)
		fprintf(fp, "source:  %s\n", policy_str(p, h->ph_source));
	if (h->ph_program.len)
		fprintf(fp, "program: %s\n", policy_str(p, h->ph_program));
	fprintf(fp, "default: %s (errno %s), log %s\n",
	    policy_name_of(policy_action_names, h->ph_default_action),
	    policy_errno_names[h->ph_default_errno ? h->ph_default_errno :
	    1].pn_name, logs[h->ph_log]);
	fprintf(fp, "rules:   %u\n", p->p_nrules);
	for (i = 0; i < p->p_nrules; i++) {
		const struct policy_rule *r = &p->p_rules[i];
		fprintf(fp, "  #%-5u %u:%-4u %s\n", i, r->pr_line, r->pr_col,
		    policy_str(p, r->pr_text));
	}
	fprintf(fp, "index:\n");
	for (op = 1; op < POLICY_OP_COUNT; op++) {
		const struct policy_opindex *oi = &p->p_opindex[op];
		uint32_t nexact = 0, budget = p->p_nnodes;

		for (e = 0; e < p->p_nhashent; e++)
			nexact += p->p_hashent[e].ph_op == op;
		if (nexact == 0 && oi->po_root == POLICY_NONE &&
		    oi->po_generic.count == 0)
			continue;
		fprintf(fp, "  %s:\n", policy_name_of(policy_op_names, op));
		for (i = 0; i < p->p_nbuckets; i++) {
			for (e = p->p_buckets[i]; e < p->p_buckets[i + 1]; e++) {
				const struct policy_hashent *he = &p->p_hashent[e];
				if (he->ph_op != op)
					continue;
				fprintf(fp, "      exact  \"%s\" -> ",
				    policy_str(p, he->ph_key));
				policy_dump_list(fp, p, he->ph_rules);
				fputc('\n', fp);
			}
		}
		if (oi->po_root != POLICY_NONE)
			policy_dump_trie(fp, p, oi->po_root, buf, 0, &budget);
		if (oi->po_generic.count > 0) {
			fprintf(fp, "      unindexed -> ");
			policy_dump_list(fp, p, oi->po_generic);
			fputc('\n', fp);
		}
	}
}
