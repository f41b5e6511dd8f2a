/* policy_impl.h: the portable engine's interface: a validated view of a compiled
 * policy, the evaluator, the matchers and the name tables shared with the compiler. */
#ifndef _SECMODEL_POLICY_IMPL_H_
#define _SECMODEL_POLICY_IMPL_H_

#include "policy_os.h"
#include "../../sys/policy.h"

/* A validated blob: typed pointers into it, with element counts. */
struct policy {
	const uint8_t			*p_base;
	uint32_t			p_size;
	const struct policy_blob_header	*p_hdr;
	const char			*p_strtab;
	uint32_t			p_strtab_size;
	const struct policy_rule	*p_rules;
	uint32_t			p_nrules;
	const struct policy_insn	*p_code;
	uint32_t			p_ncode;
	const struct policy_opindex	*p_opindex;
	const uint32_t			*p_buckets;
	uint32_t			p_nbuckets;	/* power of two */
	const struct policy_hashent	*p_hashent;
	uint32_t			p_nhashent;
	const struct policy_node	*p_nodes;
	uint32_t			p_nnodes;
	const uint32_t			*p_lists;
	uint32_t			p_nlists;
	const struct policy_rxprog	*p_rxprog;
	uint32_t			p_nrxprog;
	const struct policy_rxinsn	*p_rxinsn;
	uint32_t			p_nrxinsn;
	const uint8_t			*p_classes;	/* 32 bytes each */
	uint32_t			p_nclasses;
	const uint8_t			*p_nodebytes;	/* p_nnodes entries */
	const uint64_t			*p_bloom;
	uint32_t			p_nbloom;	/* words, power of two */
};

/* The outcome of one evaluation. */
struct policy_decision {
	uint32_t	pd_rule;	/* rule number, or POLICY_NONE for default */
	uint8_t		pd_action;	/* enum policy_action */
	uint8_t		pd_log;		/* nonzero: log this decision */
	uint16_t	pd_perrno;	/* portable errno number */
	int		pd_errno;	/* native errno, for deny */
	uint32_t	pd_line;	/* rule's source line, 0 for default */
	uint32_t	pd_col;
};

/* Rule i of list l (a one-rule list holds its rule number inline). */
static inline uint32_t
policy_list_rule(const struct policy *p, struct policy_list l, uint32_t i)
{
	return l.count == 1 ? l.off : p->p_lists[l.off + i];
}

/* Instruction i of rule r's condition: the first is in the rule's record. */
static inline const struct policy_insn *
policy_rule_insn(const struct policy *p, const struct policy_rule *r,
    uint32_t i)
{
	return i == 0 ? &r->pr_test : &p->p_code[r->pr_code + i - 1];
}

/* policy_blob.c */
#define POLICY_ERRBUF	160
int	policy_blob_validate(struct policy *, const void *, size_t,
	    char *, size_t);
uint32_t policy_crc32(uint32_t, const void *, size_t);
uint32_t policy_blob_checksum(const void *, size_t);

/* policy_blob_index.c */
struct policy_key {		/* a rule's index key for a field */
	const char	*pk_str;	/* the key, in the string table */
	uint32_t	pk_len;
	uint8_t		pk_kind;	/* 0 none, 1 exact, 2 prefix */
};
struct policy_key policy_rule_key(const struct policy *,
	    const struct policy_rule *, int);
int	policy_index_agrees(const struct policy *, const char **);

/* policy_eval.c */
bool	policy_bloom_has(const struct policy *, uint32_t);
void	policy_eval(const struct policy *, const struct policy_request *,
	    struct policy_decision *);
/* The string fields a userland request may hold only the head of
 * (filename, filename2, sockaddr): policy_eval_long's lstr and llen. */
#define POLICY_F_NLONG	(POLICY_F_SOCKADDR + 1)
void	policy_eval_long(const struct policy *, const struct policy_request *,
	    const char *const[POLICY_F_NLONG], const size_t[POLICY_F_NLONG],
	    struct policy_decision *);
int	policy_op_class(const struct policy_request *);
void	policy_node_hints(const struct policy *, const struct policy_node *,
	    uint32_t *, uint16_t[POLICY_NODE_HINTS]);
const struct policy_hashent *policy_hash_entry(const struct policy *, unsigned,
	    const char *, size_t, uint32_t);
uint32_t policy_child(const struct policy *, const struct policy_node *,
	    unsigned char);
int	policy_field_primary(unsigned);
bool	policy_test_value(const struct policy *, const struct policy_insn *,
	    const char *, size_t, bool);
bool	policy_op_in_alias(unsigned, unsigned);
const char *policy_str(const struct policy *, struct policy_ref);

/* policy_match.c */
bool	policy_glob_match(const char *, size_t, const char *, size_t);
bool	policy_inpath(const char *, size_t, const char *, size_t);
bool	policy_substr(const char *, size_t, const char *, size_t);
bool	policy_rx_exec(const struct policy *, uint32_t, const char *, size_t,
	    size_t);
uint32_t policy_hash(unsigned, const char *, size_t);
/*
 * Where a matcher stands after reading a prefix, for any continuation:
 * equal states mean every continuation ends the same.  Glob: the set of
 * pattern positions (a bitmap of plen + 1 bits).  Regex: the thread set
 * of the program (POLICY_RX_MAX bits) and whether it has matched already.
 */
#define POLICY_GLOB_STATES_MAX	POLICY_PATH_MAX	/* longest pattern */
void	policy_glob_states(const char *, size_t, const char *, size_t,
	    uint8_t *);
void	policy_rx_states(const struct policy *, uint32_t, const char *, size_t,
	    size_t, uint8_t[POLICY_RX_MAX / 8], bool *);

/* policy_move.c */
bool	policy_move_same(const struct policy *, const char *, const char *,
	    bool, uint32_t *);
bool	policy_move_field(unsigned op, unsigned field);
bool	policy_move_free(const struct policy *);
bool	policy_move_permitted(const struct policy *,
	    const struct policy_decision *, const char *, const char *, bool,
	    bool, char *, size_t);
uint32_t policy_bloom_bit(uint32_t, unsigned, uint32_t);

/* The 64-bit word of a filter of nbits bits that holds hash h's bits. */
static inline uint32_t
policy_bloom_word(uint32_t h, uint32_t nbits)
{
	return (h & (nbits - 1)) >> 6;
}

/* policy_names.c: name <-> number tables */
struct policy_name {
	const char	*pn_name;
	int64_t		pn_value;
};
extern const struct policy_name policy_op_names[];
extern const struct policy_name policy_op_synonyms[];
extern const struct policy_name policy_field_names[];
extern const struct policy_name policy_cmp_names[];
extern const struct policy_name policy_action_names[];
extern const struct policy_name policy_emul_names[];
extern const struct policy_name policy_oflag_names[];
extern const struct policy_name policy_signal_names[];
int64_t	policy_signal_portable(int host_sig);
extern const struct policy_name policy_domain_names[];
extern const struct policy_name policy_socktype_names[];
extern const struct policy_name policy_errno_names[];	/* value: native */
extern const unsigned policy_nerrno;
const char *policy_name_of(const struct policy_name *, int64_t);
bool	policy_name_lookup(const struct policy_name *, const char *, size_t,
	    int64_t *);
int	policy_errno_native(unsigned);
int	policy_errno_portable(int);

#endif /* !_SECMODEL_POLICY_IMPL_H_ */
