/* libpolicy.h: the userland library's public interface: compiling YAML policies to
 * blobs, loading and validating blobs, diagnostics with file:line:col, systrace import. */
#ifndef _LIBPOLICY_H_
#define _LIBPOLICY_H_

#include <stddef.h>
#include <stdio.h>

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

/* Build a request's string field (sets pr_len and pr_present). */
void	policy_request_set_str(struct policy_request *, unsigned field,
	    const char *s);
void	policy_request_set_int(struct policy_request *, unsigned field,
	    int64_t v);

#endif /* !_LIBPOLICY_H_ */
