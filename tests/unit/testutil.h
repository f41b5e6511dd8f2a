/* testutil.h: helpers shared by the cmocka unit tests: compile YAML text to a loaded
 * policy, build requests, and decide them in one call. */
#ifndef _TESTUTIL_H_
#define _TESTUTIL_H_

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "libpolicy.h"

/* Compile YAML text; NULL (diag filled) if it does not compile. */
struct policy_loaded *tu_compile(const char *yaml, struct policy_diag *);
/* Compile "policy: 1\ndefault: deny\nrules:\n  - RULE\n" for one rule text. */
struct policy_loaded *tu_compile_rule(const char *rule, struct policy_diag *);

/* Request for op with optional filename (NULL: absent). */
void	tu_req(struct policy_request *, unsigned op, const char *filename);

/* Decide and return the action; *rule gets the rule number (may be NULL). */
int	tu_decide(const struct policy_loaded *, const struct policy_request *,
	    uint32_t *rule);

/* Deterministic pseudo-random numbers (xorshift64*). */
uint64_t tu_rand(uint64_t *state);

#endif
