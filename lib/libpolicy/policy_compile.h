/* policy_compile.h: the compiler's internal model (arena, syntax tree of rules and
 * conditions, parsed policy) shared by the YAML front end, the rule parser and the builder. */
#ifndef _POLICY_COMPILE_H_
#define _POLICY_COMPILE_H_

#include <stdbool.h>

#include "libpolicy.h"
#include "policy_regex.h"

/* Everything a compilation allocates, freed at once. */
struct pc_arena {
	struct pc_chunk	*a_chunks;
	void		**a_adopted;	/* malloc'd blocks to free() too */
	size_t		a_nadopted, a_capadopted;
	bool		a_failed;	/* an allocation failed */
};

void	*pc_alloc(struct pc_arena *, size_t);	/* zeroed; NULL on failure */
char	*pc_strndup(struct pc_arena *, const char *, size_t);
bool	pc_adopt(struct pc_arena *, void *);	/* frees the block on failure */
void	pc_arena_free(struct pc_arena *);

enum pc_kind { PC_TEST, PC_AND, PC_OR, PC_NOT };

struct pc_expr {
	enum pc_kind	kind;
	struct pc_expr	*l, *r;
	unsigned	field;		/* enum policy_field */
	unsigned	cmp;		/* enum policy_cmp */
	int64_t		mask, value;	/* integer tests */
	const char	*str;		/* string tests: operand */
	size_t		len;
	struct policy_rx *rx;		/* re/nre */
	unsigned	line, col;
};

struct pc_rule {
	unsigned	op;		/* enum policy_op, aliases included */
	unsigned	emul;		/* mask */
	unsigned	action;
	unsigned	perrno;		/* portable; 0 = policy default */
	bool		log;
	bool		widen;		/* a move it permits may widen */
	struct pc_expr	*cond;		/* NULL: always */
	unsigned	line, col;
	const char	*text;		/* "op: body" as written */
};

struct pc_policy {
	const char	*name;
	const char	*program;
	const char	*source;
	unsigned	default_action;
	unsigned	default_errno;
	unsigned	log;
	struct pc_rule	*rules;
	size_t		nrules, caprules;
};

/* Where a piece of text sits in its file, for diagnostics. */
struct pc_where {
	const char	*file;
	unsigned	line, col;	/* of the text's first byte */
};

/* Parse one rule.  With op_name == NULL the text is a whole systrace line
 * "[emul-]op: body" at where; otherwise it is the body (at where) for that
 * operation name (at op_where). */
int	pc_parse_rule(struct pc_arena *, const char *text, size_t len,
	    const char *op_name, const struct pc_where *op_where,
	    const struct pc_where *where, struct pc_rule *,
	    struct policy_diag *);

/* Semantic helpers the grammar calls; each returns NULL/false with diag set. */
struct pc_parse;
/* Rule modifiers after the action. */
#define PC_MOD_LOG	1
#define PC_MOD_WIDEN	2
bool	pc_set_modifier(struct pc_parse *, unsigned mod, unsigned line,
	    unsigned col);
struct pc_expr *pc_make_test(struct pc_parse *, const char *field,
	    unsigned fline, unsigned fcol, unsigned cmp, const char *operand,
	    size_t oplen, unsigned oline, unsigned ocol);
struct pc_expr *pc_make_node(struct pc_parse *, enum pc_kind,
	    struct pc_expr *, struct pc_expr *);
bool	pc_set_op(struct pc_parse *, const char *name, size_t len,
	    unsigned line, unsigned col);
bool	pc_set_action(struct pc_parse *, const char *action, unsigned line,
	    unsigned col, const char *err, unsigned eline, unsigned ecol);
void	pc_parse_error(struct pc_parse *, unsigned line, unsigned col,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The parser's state, visible to the scanner and grammar. */
struct pc_parse {
	struct pc_arena		*arena;
	const struct pc_where	*where;
	struct pc_rule		*rule;
	struct policy_diag	*diag;
	bool			failed;
	const char		*generic;	/* system call named by the rule */
	/* scanner position */
	unsigned		line, col;
	int			start_token;
};

/* Resolve an errno name (EPERM, eperm) to its portable number; 0 if unknown. */
unsigned pc_errno_lookup(const char *, size_t);

/* Build the blob from a parsed policy: malloc'd, aligned; -1 + diag on error. */
int	pc_build(const struct pc_policy *, void **, size_t *,
	    struct policy_diag *);

/* Parse YAML text into a policy (arena-owned). */
int	pc_yaml_parse(struct pc_arena *, const char *name, const char *text,
	    size_t len, struct pc_policy *, struct policy_diag *);

/* Append a rule to the policy. */
bool	pc_policy_add(struct pc_arena *, struct pc_policy *,
	    const struct pc_rule *);

#endif /* !_POLICY_COMPILE_H_ */
