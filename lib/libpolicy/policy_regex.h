/* policy_regex.h: the regular-expression compiler that turns POSIX-ERE-style patterns
 * into the Thompson-NFA bytecode run by policy_rx_exec() in the portable engine. */
#ifndef _POLICY_REGEX_H_
#define _POLICY_REGEX_H_

#include <stddef.h>
#include <stdint.h>

#include "../../sys/secmodel/policy/policy_impl.h"

/*
 * A compiled pattern: a program of at most POLICY_RX_MAX instructions ending
 * in POLICY_RX_MATCH, whose jump targets are relative to insn[0], and the
 * character classes its POLICY_RX_CLASS instructions index (from 0).  Both
 * arrays are malloc'd; classes is NULL when nclasses is 0.
 */
struct policy_rx {
	struct policy_rxinsn	*insn;
	unsigned		ninsn;
	uint8_t			(*classes)[32];
	unsigned		nclasses;
};

/*
 * Syntax (bytes, no locale):
 *   c          a literal byte (anything not listed below; ']' and '}' too)
 *   .          any byte
 *   [set]      bracket expression: bytes, ranges a-z, [:name:] classes
 *              (alpha digit alnum space upper lower punct xdigit blank
 *              cntrl print graph), \d \w \s \D \W \S and backslash
 *              escapes as below; [^set] negates; ']' first and '-'
 *              first or last are literal
 *   \d \w \s   [0-9], [A-Za-z0-9_], [ \t\n\v\f\r]; \D \W \S negate them
 *   \n \t \r \f \v   control bytes
 *   \c         the byte c itself, for any c that is not a letter or digit
 *   * + ?      repetition; {m} {m,} {m,n} with m <= n <= 32
 *   a|b  (re)  alternation and grouping; empty alternatives are allowed
 *   ^ $        start and end of the subject, anywhere in the pattern
 * Back-references, collating elements ([. .] [= =]), unknown escapes,
 * "[:name:]" outside brackets and malformed bounds are rejected rather
 * than guessed at.
 *
 * policy_rx_compile compiles re[0..len).  It returns 0 and fills *out
 * (free it with policy_rx_free), or returns -1 with *out empty, a message
 * in err (if errlen > 0) and the 0-based byte offset of the problem in
 * *errpos (if errpos is not NULL).
 */
int	policy_rx_compile(const char *re, size_t len, struct policy_rx *out,
	    char *err, size_t errlen, size_t *errpos);
void	policy_rx_free(struct policy_rx *);
size_t	policy_rx_split(const struct policy_rx *, char *, size_t,
	    struct policy_rxinsn *, unsigned *);

#endif /* !_POLICY_REGEX_H_ */
