/* policy_interactive.h: interactive use of policies in libpolicy: requests as text (rules,
 * descriptions, JSON), "always" answers written back, learning. */
#ifndef _POLICY_INTERACTIVE_H_
#define _POLICY_INTERACTIVE_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "libpolicy.h"
#include "policy_msg.h"

/* ------------------------------------------------------------------ */
/* policy_reqtext.c: a request as text                                 */

/* The operation's name ("open", or the system call for syscall). */
const char *policy_request_opname(const struct policy_request *);

/*
 * The rule an "always" answer to this request becomes: exact on the
 * arguments that identify the call (the path, the address, the program),
 * e.g. `fsread: filename eq "/etc/motd" then permit`.  perrno is the
 * portable errno of a denial (0: the policy's default).  0, or -1 if the
 * request cannot be written as a rule (a control byte in a path).
 */
int	policy_request_rule(const struct policy_request *, unsigned action,
	    unsigned perrno, char *buf, size_t cap);

/* `open filename="/x" flags=O_RDONLY`: for prompts and logs. */
void	policy_request_describe(const struct policy_request *, char *buf,
	    size_t cap);

/* The arguments as a JSON object: {"filename":"/x","flags":"O_RDONLY"}. */
void	policy_request_json(const struct policy_request *, char *buf,
	    size_t cap);

/* s as a JSON string (quotes included), truncated to fit cap. */
size_t	policy_json_string(const char *s, char *buf, size_t cap);

/* ------------------------------------------------------------------ */
/* policy_json.c: the decision log                                     */

/* One decision as one JSON line (newline included); uid < 0: unknown. */
void	policy_json_decision(const struct policy_msg_decision *, long uid,
	    char *buf, size_t cap);

/* ------------------------------------------------------------------ */
/* policy_persist.c: "always" answers written to the YAML policy        */

/*
 * Write the rule answering alarm m into its policy file (m->ma_path),
 * just before the rule that asked (so it takes precedence over it and
 * nothing else), or at the end when the default asked; atomically, with
 * comments and order kept, under a lock on the directory.  where gets
 * "file:line" of the new rule.  0, or -1 with diag.
 */
int	policy_persist_answer(const struct policy_msg_alarm *m,
	    unsigned action, unsigned perrno, const char *comment,
	    char *where, size_t wcap, struct policy_diag *diag);

/* As policy_persist_answer, with the rule given (policy_widen_rule's). */
int	policy_persist_rule(const struct policy_msg_alarm *m, const char *rule,
	    const char *comment, char *where, size_t wcap,
	    struct policy_diag *diag);

/* ------------------------------------------------------------------ */
/* policy_widen.c: the rule an "always" answer writes, widened          */

#define POLICY_WIDEN_EXACT	0	/* policy_request_rule's rule */
#define POLICY_WIDEN_DIR	1	/* filename inpath its directory */
#define POLICY_WIDEN_MATCH	2	/* filename match a pattern */

/*
 * The rule answering r with action (and perrno), widened as how says
 * (pattern: the match pattern for POLICY_WIDEN_MATCH), into buf; checked:
 * it compiles, and a policy of it alone decides r with it, as action.
 * 0, or -1 with err.
 */
int	policy_widen_rule(const struct policy_request *r, unsigned action,
	    unsigned perrno, unsigned how, const char *pattern, char *buf,
	    size_t cap, char *err, size_t errlen);

/* What to offer: r's directory, and a pattern for files like it
 * (for /tmp/a.txt: /tmp, and /tmp/ then a star then .txt); both "" when
 * r names no absolute file. */
void	policy_widen_defaults(const struct policy_request *r, char *dir,
	    size_t dcap, char *pattern, size_t pcap);

/* ------------------------------------------------------------------ */
/* policy_learn.c: learning mode                                       */

struct policy_learn;

/* home: the directory written as $HOME in comments (NULL: none). */
struct policy_learn *policy_learn_new(const char *home);
void	policy_learn_free(struct policy_learn *);
/* Record one decision point (thread-safe). */
void	policy_learn_add(struct policy_learn *, const struct policy_request *);
/* The same, with the whole text of path and address fields longer than
 * the request holds (whole[f] non-NULL: field f's whole text). */
void	policy_learn_add_whole(struct policy_learn *,
	    const struct policy_request *, const char *const whole[POLICY_F_NLONG]);
/*
 * The learned policy as YAML text (malloc'd): default deny, one rule per
 * generalised decision point with a comment saying how many calls it
 * covers.  name and cmdline go in the header.  NULL on allocation failure.
 */
char	*policy_learn_yaml(struct policy_learn *, const char *name,
	    const char *cmdline, size_t *lenp);
/*
 * `learn -a`: the policy text with each rule of this run that it lacks
 * appended (with its comment), everything in it kept; *added says how
 * many.  NULL, with diag set, if the text or the result does not compile.
 */
char	*policy_learn_merge(struct policy_learn *, const char *name,
	    const char *text, size_t len, size_t *lenp, unsigned *added,
	    struct policy_diag *diag);
/* Decision points recorded, and rules they became. */
uint64_t policy_learn_calls(const struct policy_learn *);

#endif /* !_POLICY_INTERACTIVE_H_ */
