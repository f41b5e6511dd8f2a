/* libpolicy.h: the userland library's public interface: compiling YAML policies to
 * blobs, loading and validating blobs, diagnostics with file:line:col, systrace import. */
#ifndef _LIBPOLICY_H_
#define _LIBPOLICY_H_

#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "../../sys/secmodel/policy/policy_impl.h"

/* A diagnostic: where (1-based line and column; 0 if unknown) and what. */
struct policy_diag {
	char		pd_file[256];
	unsigned	pd_line;
	unsigned	pd_col;
	char		pd_msg[512];
};

/* Print "file:line:col: msg" (or "file: msg" without a position). */
void	policy_diag_print(FILE *, const struct policy_diag *);
void	policy_diag_set(struct policy_diag *, const char *, unsigned,
	    unsigned, const char *, ...) __attribute__((format(printf, 5, 6)));

/*
 * Compile YAML policy text to a blob.  On success *blobp (malloc'd, 8-byte
 * aligned, free with free()) and *sizep are set and 0 is returned; on error
 * nothing is allocated, diag says where and why, and -1 is returned.
 */
int	policy_compile_buffer(const char *name, const char *text, size_t len,
	    void **blobp, size_t *sizep, struct policy_diag *diag);
int	policy_compile_file(const char *path, void **blobp, size_t *sizep,
	    struct policy_diag *diag);

/* A loaded policy: the blob and its validated view. */
struct policy_loaded {
	struct policy	pl_policy;
	void		*pl_blob;
	size_t		pl_size;
};

/*
 * Load a policy file: a compiled blob (recognised by its magic) is validated,
 * anything else is compiled as YAML.  Returns NULL with diag set on error.
 */
struct policy_loaded *policy_load_file(const char *path, struct policy_diag *);
struct policy_loaded *policy_load_blob(const void *blob, size_t size,
	    const char *name, struct policy_diag *);
void	policy_loaded_free(struct policy_loaded *);

/* Read a whole file (NUL-terminated, size excludes the NUL); -1 + diag on error. */
int	policy_read_file(const char *path, char **textp, size_t *lenp,
	    struct policy_diag *);

/* Human-readable dump of a validated policy, with its rule index. */
void	policy_dump(FILE *, const struct policy *);

/* Convert a systrace policy file to YAML text written to out. */
int	policy_import_systrace(const char *name, const char *text, size_t len,
	    FILE *out, struct policy_diag *);

/* Replace path with data atomically (temporary file, fsync, rename). */
int	policy_write_atomic(const char *path, const void *data, size_t size,
	    mode_t mode, struct policy_diag *);

/*
 * Append a rule (one line of rule text, e.g. "open: filename eq \"/x\" then
 * permit") at the end of a YAML policy's rules, keeping every other byte, with
 * an optional comment line above it.  policy_yaml_with_rule returns the new
 * text (malloc'd) after checking that it compiles with exactly one rule more;
 * policy_yaml_append_rule then replaces the file atomically.
 */
char	*policy_yaml_with_rule(const char *name, const char *text, size_t len,
	    const char *rule, const char *comment, struct policy_diag *);
int	policy_yaml_append_rule(const char *path, const char *rule,
	    const char *comment, struct policy_diag *);
/* The same, inserting the rule before rule number at (0-based) instead,
 * with the comment lines leading into that rule kept above both; at >=
 * the number of rules (or POLICY_NONE) appends. */
char	*policy_yaml_with_rule_at(const char *name, const char *text,
	    size_t len, uint32_t at, const char *rule, const char *comment,
	    struct policy_diag *);
int	policy_yaml_insert_rule(const char *path, uint32_t at,
	    const char *rule, const char *comment, struct policy_diag *);

/* s[0..n) as a single-quoted YAML scalar ('' for '), written to fp. */
void	policy_yaml_quoted(FILE *fp, const char *s, size_t n);
/* A policy of head (its keys, each line ended) and rule as its one rule
 * (the rule on the line after head's), malloc'd; NULL without memory. */
char	*policy_yaml_one_rule(const char *head, const char *rule);

/* A copy of a loaded policy whose default action is action (interactive
 * mode: calls no rule covers are asked); NULL with diag on error. */
struct policy_loaded *policy_loaded_with_default(const struct policy_loaded *,
	    unsigned action, struct policy_diag *);

/*
 * Rules a move could sidestep: for each deny or ask rule whose path test is anchored
 * beneath a directory (inpath, eq, or the literal head of match or re)
 * that the same policy lets the program rename (that directory or an
 * ancestor) in a way that changes decisions, a warning at the rule's
 * position: the move is refused at run time unless the rule permitting
 * it says "widen", in which case the rule can be sidestepped.  Returns
 * the number of warnings, each passed to fn.
 */
unsigned policy_lint_moves(const struct policy *,
	    void (*fn)(void *, unsigned line, unsigned col, const char *msg),
	    void *arg);

/* Build a request's string field (sets pr_len and pr_present).  A path
 * or socket address (filename, filename2, sockaddr) longer than its buffer
 * keeps its whole length in pr_len with its head in the buffer:
 * policy_eval refuses it, policy_eval_long decides it given the whole. */
void	policy_request_set_str(struct policy_request *, unsigned field,
	    const char *s);
void	policy_request_set_int(struct policy_request *, unsigned field,
	    int64_t v);

#endif /* !_LIBPOLICY_H_ */
