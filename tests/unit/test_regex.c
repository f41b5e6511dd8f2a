/* test_regex.c: unit tests for the regular-expression compiler (policy_regex.c) run
 * through the engine's policy_rx_exec(), cross-checked against glibc's regexec(). */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_regex.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

/* The checks policy_blob.c makes on a program, so a compiled one would load. */
static const char *
prog_problem(const struct policy_rx *rx)
{
	unsigned pc;

	if (rx->ninsn == 0 || rx->ninsn > POLICY_RX_MAX)
		return "bad instruction count";
	if (rx->insn[rx->ninsn - 1].rx_op != POLICY_RX_MATCH)
		return "does not end with MATCH";
	if ((rx->nclasses == 0) != (rx->classes == NULL))
		return "classes and nclasses disagree";
	for (pc = 0; pc < rx->ninsn; pc++) {
		const struct policy_rxinsn *in = &rx->insn[pc];
		bool falls = true;

		if (in->rx_pad[0] || in->rx_pad[1] || in->rx_pad[2])
			return "padding not zero";
		switch (in->rx_op) {
		case POLICY_RX_CHAR:
			if (in->rx_arg > 255)
				return "byte out of range";
			break;
		case POLICY_RX_CLASS:
			if (in->rx_arg >= rx->nclasses)
				return "class out of range";
			break;
		case POLICY_RX_ANY: case POLICY_RX_BOL: case POLICY_RX_EOL:
			break;
		case POLICY_RX_SPLIT:
			if (in->rx_y >= rx->ninsn)
				return "split out of range";
			/* FALLTHROUGH */
		case POLICY_RX_JMP:
			if (in->rx_x >= rx->ninsn)
				return "jump out of range";
			falls = false;
			break;
		case POLICY_RX_MATCH:
			falls = false;
			break;
		default:
			return "unknown opcode";
		}
		if (falls && pc + 1 >= rx->ninsn)
			return "runs off its end";
	}
	return NULL;
}

static bool
rx_run(const struct policy_rx *rx, const char *s, size_t len)
{
	struct policy p;
	struct policy_rxprog prog = { 0, rx->ninsn };

	memset(&p, 0, sizeof(p));
	p.p_rxprog = &prog;
	p.p_nrxprog = 1;
	p.p_rxinsn = rx->insn;
	p.p_nrxinsn = rx->ninsn;
	p.p_classes = (const uint8_t *)rx->classes;
	p.p_nclasses = rx->nclasses;
	return policy_rx_exec(&p, 0, s, len, 0);
}


/* rx split into head and tail (policy_rx_split), run as the engine runs a
 * regex test: the head, then the tail from where the head ends. */
static bool
rx_run_split(const struct policy_rx *rx, const char *s, size_t len)
{
	struct policy_rxinsn tail[POLICY_RX_MAX];
	struct policy_rx t = *rx;
	char head[POLICY_PATH_MAX];
	unsigned ntail;
	size_t h = policy_rx_split(rx, head, sizeof(head), tail, &ntail);

	t.insn = tail;
	t.ninsn = ntail;
	if (prog_problem(&t) != NULL)
		fail_msg("split left a bad tail: %s", prog_problem(&t));
	if (len < h || memcmp(s, head, h) != 0)
		return false;
	{
		struct policy p;
		struct policy_rxprog prog = { 0, ntail };

		memset(&p, 0, sizeof(p));
		p.p_rxprog = &prog;
		p.p_nrxprog = 1;
		p.p_rxinsn = tail;
		p.p_nrxinsn = ntail;
		p.p_classes = (const uint8_t *)rx->classes;
		p.p_nclasses = rx->nclasses;
		return policy_rx_exec(&p, 0, s, len, h);
	}
}

static void
compile_ok(const char *re, struct policy_rx *rx)
{
	char err[160];
	size_t pos;
	const char *why;

	if (policy_rx_compile(re, strlen(re), rx, err, sizeof(err), &pos) != 0)
		fail_msg("/%s/ rejected at %zu: %s", re, pos, err);
	if ((why = prog_problem(rx)) != NULL)
		fail_msg("/%s/ compiled to a bad program: %s", re, why);
}

/* A run from start: the tail's way (anchored there); past the end, none. */
static void
test_start(void **state)
{
	struct policy_rx rx;
	struct policy p;
	struct policy_rxprog prog;

	(void)state;
	compile_ok("b+$", &rx);
	prog = (struct policy_rxprog){ 0, rx.ninsn };
	memset(&p, 0, sizeof(p));
	p.p_rxprog = &prog;
	p.p_nrxprog = 1;
	p.p_rxinsn = rx.insn;
	p.p_nrxinsn = rx.ninsn;
	assert_true(policy_rx_exec(&p, 0, "abb", 3, 0));	/* search */
	assert_true(policy_rx_exec(&p, 0, "abb", 3, 1));
	assert_true(policy_rx_exec(&p, 0, "aabb", 4, 0));
	assert_false(policy_rx_exec(&p, 0, "aabb", 4, 1));	/* anchored: 'a' */
	assert_false(policy_rx_exec(&p, 0, "abb", 3, 3));	/* nothing left */
	assert_false(policy_rx_exec(&p, 0, "abb", 3, 4));	/* past the end */
	policy_rx_free(&rx);
}

/* ------------------------------------------------------------------ */
/* Matching                                                            */

struct match_row {
	const char	*re;
	const char	*s;
	bool		match;
};

static const struct match_row match_rows[] = {
	/* literals and the empty pattern */
	{ "abc", "xxabcxx", true },
	{ "abc", "abxabd", false },
	{ "", "", true },
	{ "", "anything", true },
	{ "/etc/passwd", "/etc/passwd", true },
	{ "a]b}c", "a]b}c", true },
	{ "\xff\x80", "x\xff\x80", true },
	/* . */
	{ "a.c", "abc", true },
	{ "a.c", "ac", false },
	{ "a.c", "a\nc", true },
	{ "^...$", "ab", false },
	/* bracket expressions */
	{ "[abc]", "xxbxx", true },
	{ "[abc]", "xyz", false },
	{ "^[^a-z]$", "A", true },
	{ "^[^a-z]$", "q", false },
	{ "^[^a]$", "\xfe", true },
	{ "^[]x]+$", "]x]", true },
	{ "^[]x]$", "y", false },
	{ "^[^]x]$", "y", true },
	{ "^[^]x]$", "]", false },
	{ "^[a-]$", "-", true },
	{ "^[-a]$", "-", true },
	{ "^[a\\-z]$", "-", true },
	{ "^[a\\-z]$", "b", false },
	{ "^[\\]]$", "]", true },
	{ "^[0-9a-fA-F]+$", "dEAd09", true },
	{ "^[0-9a-fA-F]+$", "dEAg09", false },
	{ "^[.*+?]+$", ".*+?", true },
	/* POSIX classes */
	{ "^[[:alpha:]]+$", "HelloWorld", true },
	{ "^[[:alpha:]]+$", "Hello1", false },
	{ "^[[:digit:]]+$", "0123456789", true },
	{ "^[[:digit:]]$", "a", false },
	{ "^[[:alnum:]_]+$", "a_Z9", true },
	{ "^[[:alnum:]]$", "_", false },
	{ "^a[[:space:]]b$", "a\tb", true },
	{ "^a[[:space:]]b$", "a_b", false },
	{ "^[[:upper:]]+$", "ABC", true },
	{ "^[[:upper:]]+$", "AbC", false },
	{ "^[[:lower:]]+$", "abc", true },
	{ "^[[:lower:]]+$", "aBc", false },
	{ "^[[:punct:]]+$", "!/:@[`{~", true },
	{ "^[[:punct:]]$", "a", false },
	{ "^[[:xdigit:]]+$", "09afAF", true },
	{ "^[[:xdigit:]]$", "g", false },
	{ "^[^[:digit:]/]+$", "abc", true },
	{ "^[^[:digit:]/]+$", "ab/c", false },
	/* shorthands */
	{ "^\\d+$", "2024", true },
	{ "^\\d+$", "20x4", false },
	{ "^\\w+$", "foo_Bar9", true },
	{ "^\\w+$", "foo-bar", false },
	{ "^a\\sb$", "a b", true },
	{ "^a\\sb$", "a-b", false },
	{ "^\\D\\W\\S$", "x-y", true },
	{ "^\\D$", "5", false },
	/* escapes */
	{ "a\\.b", "a.b", true },
	{ "a\\.b", "axb", false },
	{ "^\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\$", "*+?()[]{}|^$\\", true },
	{ "a\\nb", "a\nb", true },
	{ "a\\tb", "a b", false },
	/* repetition */
	{ "^ab*c$", "ac", true },
	{ "^ab*c$", "abbbc", true },
	{ "^ab+c$", "ac", false },
	{ "^ab+c$", "abbc", true },
	{ "^ab?c$", "abc", true },
	{ "^ab?c$", "abbc", false },
	{ "^a{3}$", "aaa", true },
	{ "^a{3}$", "aa", false },
	{ "^a{3}$", "aaaa", false },
	{ "^a{2,}$", "a", false },
	{ "^a{2,}$", "aaaaaaa", true },
	{ "^a{2,3}$", "aa", true },
	{ "^a{2,3}$", "aaaa", false },
	{ "^(ab){2}$", "abab", true },
	{ "^(ab){2}$", "ab", false },
	{ "^a{0}b$", "b", true },
	{ "^a{0}b$", "ab", false },
	{ "^a{0,0}$", "", true },
	{ "^a{32}$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", true },
	{ "^a{32}$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false },
	{ "^a**$", "aaa", true },
	{ "^a{2}{3}$", "aaaaaa", true },
	{ "^a{2}{3}$", "aaaaa", false },
	{ "^(a|b){1,3}c$", "babc", true },
	{ "^(a|b){1,3}c$", "babac", false },
	/* alternation and groups */
	{ "cat|dog", "hotdog", true },
	{ "cat|dog", "cow", false },
	{ "^(cat|dog)$", "cats", false },
	{ "^(|a)b$", "b", true },
	{ "^(|a)b$", "ab", true },
	{ "^(a|)b$", "aab", false },
	{ "a|", "zzz", true },
	{ "^(a|b|c|d)+$", "abcdcba", true },
	{ "^((a|b)c)*$", "acbc", true },
	{ "^((a|b)c)*$", "acb", false },
	{ "^(((x)))$", "x", true },
	/* anchors */
	{ "^abc", "abcx", true },
	{ "^abc", "xabc", false },
	{ "abc$", "xabc", true },
	{ "abc$", "abcx", false },
	{ "^$", "", true },
	{ "^$", "x", false },
	{ "a^b", "a^b", false },
	{ "a$b", "a$b", false },
	{ "(^|/)etc", "etc", true },
	{ "(^|/)etc", "/usr/etc", true },
	{ "(^|/)etc", "xetc", false },
	{ "x(^a)", "xa", false },
	{ "(^x){2}", "xx", false },
	{ "(^x|y){2}", "xy", true },
	{ "(x$){1,2}", "x", true },
	{ "(a$|b)c", "ac", false },
	{ "(a$|b)c", "bc", true },
	/* empty loops */
	{ "(a*)*", "", true },
	{ "^(a*)*$", "aaa", true },
	{ "^(a*)*$", "b", false },
	{ "^(a*)+b$", "aab", true },
	{ "^(a|)+$", "aaa", true },
	{ "^()*x$", "x", true },
	{ "^(a?){3}$", "aa", true },
	{ "^(a*|b)*c$", "abbac", true },
	{ "^(a*)*(b*)*$", "aabba", false },
	/* realistic paths */
	{ "^/usr/(lib|lib64)/[^/]+\\.so(\\.[0-9]+)*$", "/usr/lib/libc.so.6", true },
	{ "^/usr/(lib|lib64)/[^/]+\\.so(\\.[0-9]+)*$", "/usr/lib/x/libc.so", false },
	{ "^/home/[[:alnum:]_]+/\\.ssh/", "/home/bob/.ssh/id_rsa", true },
	{ "^/home/[[:alnum:]_]+/\\.ssh/", "/home/bob/ssh/id_rsa", false },
	{ "^/tmp/", "/tmpx", false },
	{ "^/proc/[0-9]+/(mem|maps)$", "/proc/123/mem", true },
	{ "^/proc/[0-9]+/(mem|maps)$", "/proc/self/mem", false },
};

static void
test_match_table(void **state)
{
	size_t k;

	assert_true(sizeof(match_rows) / sizeof(match_rows[0]) >= 60);
	for (k = 0; k < sizeof(match_rows) / sizeof(match_rows[0]); k++) {
		const struct match_row *r = &match_rows[k];
		struct policy_rx rx;
		bool got;

		compile_ok(r->re, &rx);
		got = rx_run(&rx, r->s, strlen(r->s));
		if (got != r->match)
			fail_msg("/%s/ on \"%s\": got %d, want %d", r->re, r->s,
			    got, r->match);
		policy_rx_free(&rx);
	}
}

/* Patterns and subjects with NUL bytes: nothing stops at a NUL. */
static void
test_nul_bytes(void **state)
{
	struct policy_rx rx;
	char err[160];
	size_t pos;

	assert_int_equal(policy_rx_compile("a\0b", 3, &rx, err, sizeof(err),
	    &pos), 0);
	assert_true(rx_run(&rx, "xa\0b", 4));
	assert_false(rx_run(&rx, "ab", 2));
	policy_rx_free(&rx);

	compile_ok("^a.b$", &rx);
	assert_true(rx_run(&rx, "a\0b", 3));
	policy_rx_free(&rx);

	/* A pattern need not be NUL-terminated: only len bytes are read. */
	assert_int_equal(policy_rx_compile("ab(", 2, &rx, err, sizeof(err),
	    &pos), 0);
	assert_true(rx_run(&rx, "ab", 2));
	policy_rx_free(&rx);
}

/* ------------------------------------------------------------------ */
/* Errors                                                              */

struct error_row {
	const char	*re;
	size_t		pos;
	const char	*msg;		/* a substring of the message */
};

static const struct error_row error_rows[] = {
	{ "(", 0, "unmatched '('" },
	{ "a(b(c)", 1, "unmatched '('" },
	{ "a(b)(c", 4, "unmatched '('" },
	{ "ab)", 2, "unmatched ')'" },
	{ "(a))", 3, "unmatched ')'" },
	{ "[abc", 0, "unmatched '['" },
	{ "a[^", 1, "unmatched '['" },
	{ "x[]", 1, "unmatched '['" },
	{ "a\\", 1, "trailing backslash" },
	{ "[a\\", 2, "trailing backslash" },
	{ "*a", 0, "nothing to repeat" },
	{ "a|+b", 2, "nothing to repeat" },
	{ "(?:a)", 1, "nothing to repeat" },
	{ "^*", 1, "nothing to repeat" },
	{ "a$?", 2, "nothing to repeat" },
	{ "{1}", 0, "nothing to repeat" },
	{ "a{3,2}", 1, "bad repetition bounds" },
	{ "a{33}", 2, "too large" },
	{ "a{1,99}", 4, "too large" },
	{ "a{99999999999999999999}", 2, "too large" },
	{ "a{x}", 2, "expected a number" },
	{ "a{,2}", 2, "expected a number" },
	{ "a{2", 1, "unmatched '{'" },
	{ "a{2,", 1, "unmatched '{'" },
	{ "a{2,3x", 5, "expected '}'" },
	{ "[z-a]", 1, "invalid range" },
	{ "[a-\\d]", 3, "cannot end a range" },
	{ "[[:foo:]]", 1, "unknown character class" },
	{ "[[:alpha]", 1, "malformed character class" },
	{ "[:digit:]", 0, "[[:digit:]]" },
	{ "[[.a.]]", 1, "collating" },
	{ "[[=a=]]", 1, "collating" },
	{ "(a)\\1", 3, "back-references" },
	{ "\\q", 0, "unknown escape" },
	{ "[\\b]", 1, "unknown escape" },
	{ "a{32}{8}", 5, "pattern too complex (more than 256 instructions)" },
	{ "(a{32}){4}(b{32}){4}", 10, "pattern too complex" },
};

static void
test_errors(void **state)
{
	size_t k;

	assert_true(sizeof(error_rows) / sizeof(error_rows[0]) >= 15);
	for (k = 0; k < sizeof(error_rows) / sizeof(error_rows[0]); k++) {
		const struct error_row *r = &error_rows[k];
		struct policy_rx rx;
		char err[160];
		size_t pos = 12345;

		memset(&rx, 0x5a, sizeof(rx));
		if (policy_rx_compile(r->re, strlen(r->re), &rx, err,
		    sizeof(err), &pos) != -1)
			fail_msg("/%s/ was accepted", r->re);
		if (pos != r->pos || strstr(err, r->msg) == NULL)
			fail_msg("/%s/: got \"%s\" at %zu, want \"%s\" at %zu",
			    r->re, err, pos, r->msg, r->pos);
		assert_null(rx.insn);
		assert_null(rx.classes);
		policy_rx_free(&rx);
	}
	/* No message buffer, no position: still just -1. */
	{
		struct policy_rx rx;

		assert_int_equal(policy_rx_compile("(", 1, &rx, NULL, 0, NULL),
		    -1);
	}
}

/* ------------------------------------------------------------------ */
/* Limits                                                              */

static void
test_limits(void **state)
{
	char re[2048], err[160];
	struct policy_rx rx;
	size_t pos, k;

	/* 255 literals and the MATCH: exactly POLICY_RX_MAX. */
	memset(re, 'a', 256);
	assert_int_equal(policy_rx_compile(re, 255, &rx, err, sizeof(err),
	    &pos), 0);
	assert_int_equal(rx.ninsn, POLICY_RX_MAX);
	assert_null(prog_problem(&rx));
	assert_true(rx_run(&rx, re, 255));
	assert_false(rx_run(&rx, re, 254));
	policy_rx_free(&rx);
	/* One more is too many; the 256th literal is blamed. */
	assert_int_equal(policy_rx_compile(re, 256, &rx, err, sizeof(err),
	    &pos), -1);
	assert_int_equal(pos, 255);
	assert_non_null(strstr(err, "too complex"));

	/* {m,n} expands: x{32} with a 7-instruction x is 224 + MATCH. */
	compile_ok("^(a|b|c){32}$", &rx);
	assert_int_equal(rx.ninsn, 32 * 7 + 3);
	assert_true(rx_run(&rx, "abcabcabcabcabcabcabcabcabcabcab", 32));
	assert_false(rx_run(&rx, "abcabcabcabcabcabcabcabcabcabca", 31));
	policy_rx_free(&rx);
	strcpy(re, "(a|b|c){32}x{32}");
	assert_int_equal(policy_rx_compile(re, strlen(re), &rx, err,
	    sizeof(err), &pos), -1);
	assert_int_equal(pos, 11);
	assert_non_null(strstr(err, "too complex"));

	/* Exponential nesting is stopped early, not computed. */
	strcpy(re, "((((a{32}){32}){32}){32}){32}");
	assert_int_equal(policy_rx_compile(re, strlen(re), &rx, err,
	    sizeof(err), &pos), -1);
	assert_int_equal(pos, 10);

	/* 100 nested groups are fine, 101 are not. */
	for (k = 0; k < 100; k++) {
		re[k] = '(';
		re[101 + k] = ')';
	}
	re[100] = 'a';
	re[201] = '\0';
	compile_ok(re, &rx);
	assert_true(rx_run(&rx, "a", 1));
	policy_rx_free(&rx);
	memmove(re + 1, re, 202);
	re[0] = '(';
	re[202] = ')';
	re[203] = '\0';
	assert_int_equal(policy_rx_compile(re, strlen(re), &rx, err,
	    sizeof(err), &pos), -1);
	assert_int_equal(pos, 100);
	assert_non_null(strstr(err, "nested"));

	/* Deep recursion is refused, not followed: 100k '(' and 100k '*'. */
	{
		size_t n = 100000;
		char *big = malloc(n + 1);

		assert_non_null(big);
		memset(big, '(', n);
		assert_int_equal(policy_rx_compile(big, n, &rx, err,
		    sizeof(err), &pos), -1);
		assert_non_null(strstr(err, "nested"));
		big[0] = 'a';
		memset(big + 1, '*', n - 1);
		assert_int_equal(policy_rx_compile(big, n, &rx, err,
		    sizeof(err), &pos), -1);
		assert_non_null(strstr(err, "too complex"));
		big[0] = '(';
		big[1] = ')';
		assert_int_equal(policy_rx_compile(big, n, &rx, err,
		    sizeof(err), &pos), -1);
		assert_non_null(strstr(err, "nested"));
		/* Many empty groups compile to nothing at all. */
		for (k = 0; k + 1 < n; k += 2) {
			big[k] = '(';
			big[k + 1] = ')';
		}
		assert_int_equal(policy_rx_compile(big, n, &rx, err,
		    sizeof(err), &pos), 0);
		assert_int_equal(rx.ninsn, 1);
		policy_rx_free(&rx);
		free(big);
	}
}

/* Identical classes are stored once; trivial classes become CHAR or ANY. */
static void
test_classes(void **state)
{
	struct policy_rx rx;
	unsigned k, nclass = 0;

	compile_ok("[ab][ab]x[ba]\\d[0-9][[:digit:]]", &rx);
	assert_int_equal(rx.nclasses, 2);
	for (k = 0; k < rx.ninsn; k++)
		if (rx.insn[k].rx_op == POLICY_RX_CLASS)
			nclass++;
	assert_int_equal(nclass, 6);
	policy_rx_free(&rx);

	compile_ok("[.]", &rx);
	assert_int_equal(rx.nclasses, 0);
	assert_null(rx.classes);
	assert_int_equal(rx.insn[0].rx_op, POLICY_RX_CHAR);
	assert_int_equal(rx.insn[0].rx_arg, '.');
	policy_rx_free(&rx);

	/* An empty class is kept, and matches nothing. */
	compile_ok("a|[^\\D\\d]", &rx);
	assert_int_equal(rx.nclasses, 1);
	assert_false(rx_run(&rx, "xyz019", 6));
	assert_true(rx_run(&rx, "xa", 2));
	policy_rx_free(&rx);

	compile_ok("[\\d\\D]", &rx);
	assert_int_equal(rx.insn[0].rx_op, POLICY_RX_ANY);
	policy_rx_free(&rx);

	/* Unused classes ({0}) are not emitted. */
	compile_ok("[ab]{0}[cd]", &rx);
	assert_int_equal(rx.nclasses, 1);
	assert_true(rx_run(&rx, "d", 1));
	assert_false(rx_run(&rx, "a", 1));
	policy_rx_free(&rx);
}

/* ------------------------------------------------------------------ */
/* Literal prefixes                                                    */

struct prefix_row {
	const char	*re;
	const char	*prefix;
};

static const struct prefix_row prefix_rows[] = {
	{ "^/usr/lib/.*", "/usr/lib/" },
	{ "^/ab*", "/a" },
	{ "^/ab?c", "/a" },
	{ "^/ab{2}c", "/abbc" },	/* exactly two b: both in the program */
	{ "^/ab{0,3}", "/a" },
	{ "^ab+c", "a" },	/* the first b is also the loop's: it stays */
	{ "^a|b", "" },
	{ "abc", "" },
	{ "a^bc", "" },
	{ "^\\.x\\*y", ".x*y" },
	{ "^(abc)d", "abcd" },
	{ "^ab(c|d)", "ab" },
	{ "^abc$", "abc" },
	{ "^[/]x[yz]", "/x" },
	{ "^", "" },
	{ "", "" },
	{ "^ab(", "" },
	{ "^a*", "" },
	{ "^/etc/(passwd|shadow)$", "/etc/" },
	{ "(^/x)y", "/xy" },
	{ "^^ab", "ab" },
	{ "^()a", "a" },
};

/* The head of re's program (0 if re does not compile). */
static size_t
prefix_of(const char *re, size_t len, char *buf, size_t size)
{
	struct policy_rxinsn tail[POLICY_RX_MAX];
	struct policy_rx rx;
	char err[160];
	unsigned ntail, bol;
	size_t n;

	if (policy_rx_compile(re, len, &rx, err, sizeof(err), NULL) != 0)
		return 0;
	n = policy_rx_split(&rx, buf, size, tail, &ntail);
	for (bol = 0; n > 0 && rx.insn[bol].rx_op == POLICY_RX_BOL; bol++)
		;
	assert_int_equal(ntail, rx.ninsn - bol - n);	/* BOLs and head go */
	policy_rx_free(&rx);
	return n;
}

static void
test_prefix(void **state)
{
	char buf[64];
	size_t k, n;

	for (k = 0; k < sizeof(prefix_rows) / sizeof(prefix_rows[0]); k++) {
		const struct prefix_row *r = &prefix_rows[k];

		memset(buf, 0, sizeof(buf));
		n = prefix_of(r->re, strlen(r->re), buf, sizeof(buf));
		if (n != strlen(r->prefix) || memcmp(buf, r->prefix, n) != 0)
			fail_msg("prefix of /%s/: got \"%.*s\", want \"%s\"",
			    r->re, (int)n, buf, r->prefix);
	}
	/* A small buffer gets the start of the prefix, and no more. */
	memset(buf, 'Z', sizeof(buf));
	assert_int_equal(prefix_of("^abcdef", 7, buf, 3), 3);
	assert_memory_equal(buf, "abcZ", 4);
	assert_int_equal(prefix_of("^abcdef", 7, NULL, 0), 0);
}

/* ------------------------------------------------------------------ */
/* Random patterns                                                     */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static unsigned
rng(unsigned n)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (unsigned)((rng_state >> 11) % n);
}

struct gen {
	char	buf[256];
	size_t	len;
};

static void
put(struct gen *g, const char *s)
{
	size_t n = strlen(s);

	if (g->len + n < sizeof(g->buf)) {
		memcpy(g->buf + g->len, s, n);
		g->len += n;
		g->buf[g->len] = '\0';
	}
}

static void gen_alt(struct gen *, int, bool);

/*
 * Syntax that this compiler and glibc's ERE define the same way.  Anchors
 * stay out of repeated groups: glibc matches "(^x){2}" against "xx" (its
 * copies of the group lose the anchor's context), though "(^x)(^x)" does
 * not match and neither does the engine.
 */
static void
gen_item(struct gen *g, int depth, bool anchors)
{
	static const char *const atoms[] = {
		"a", "b", "c", "a", "b", ".", "-", "\\.", "[ab]", "[^a]",
		"[a-c]", "[[:alpha:]]", "[[:digit:]x]", "[]a]", "[^]b]",
		"[a-]", "[.]", "1",
	};
	static const char *const quants[] = {
		"*", "+", "?", "{2}", "{0,1}", "{1,}", "{0,2}", "{1,3}", "{0}",
	};
	unsigned r = rng(20);
	bool repeat = rng(3) == 0;
	char num[16];

	if (r == 0 && anchors) {
		put(g, "^");
		return;
	}
	if (r == 1 && anchors) {
		put(g, "$");
		return;
	}
	if (r < 5 && depth > 0) {
		put(g, "(");
		gen_alt(g, depth - 1, anchors && !repeat);
		put(g, ")");
	} else
		put(g, atoms[rng(sizeof(atoms) / sizeof(atoms[0]))]);
	if (repeat) {
		put(g, quants[rng(sizeof(quants) / sizeof(quants[0]))]);
		if (rng(8) == 0) {
			snprintf(num, sizeof(num), "{%u,%u}", rng(2),
			    2 + rng(2));
			put(g, num);
		}
	}
}

static void
gen_cat(struct gen *g, int depth, bool anchors)
{
	unsigned n = rng(8) == 0 ? 0 : 1 + rng(4);

	while (n-- > 0)
		gen_item(g, depth, anchors);
}

static void
gen_alt(struct gen *g, int depth, bool anchors)
{
	unsigned n = rng(3) == 0 ? 2 + rng(2) : 1;

	gen_cat(g, depth, anchors);
	while (--n > 0) {
		put(g, "|");
		gen_cat(g, depth, anchors);
	}
}

/* Split into head and tail, re decides s as it does whole. */
static void
check_split(const char *re, const struct policy_rx *rx, const char *s,
    size_t len, bool matched)
{
	if (rx_run_split(rx, s, len) != matched)
		fail_msg("/%s/ on \"%.*s\": %d whole, %d split", re, (int)len,
		    s, matched, !matched);
}

static void
test_glibc_crosscheck(void **state)
{
	static const char alpha[] = "abc1.-";
	unsigned iter, k, compared = 0, patterns = 0, matches = 0;

	for (iter = 0; iter < 4000; iter++) {
		struct gen g;
		struct policy_rx rx;
		regex_t preg;
		char err[160], subj[16];
		size_t pos, slen;
		const char *why;

		g.len = 0;
		g.buf[0] = '\0';
		gen_alt(&g, 2, true);
		if (regcomp(&preg, g.buf, REG_EXTENDED | REG_NOSUB) != 0)
			continue;
		if (policy_rx_compile(g.buf, g.len, &rx, err, sizeof(err),
		    &pos) != 0) {
			regfree(&preg);
			if (strstr(err, "too complex") != NULL)
				continue;
			fail_msg("/%s/ accepted by glibc, rejected at %zu: %s",
			    g.buf, pos, err);
		}
		if ((why = prog_problem(&rx)) != NULL)
			fail_msg("/%s/ compiled to a bad program: %s", g.buf,
			    why);
		patterns++;
		for (k = 0; k < 8; k++) {
			bool mine, theirs;

			slen = rng(9);
			for (pos = 0; pos < slen; pos++)
				subj[pos] = alpha[rng(sizeof(alpha) - 1)];
			subj[slen] = '\0';
			mine = rx_run(&rx, subj, slen);
			theirs = regexec(&preg, subj, 0, NULL, 0) == 0;
			if (mine != theirs)
				fail_msg("/%s/ on \"%s\": engine %d, glibc %d",
				    g.buf, subj, mine, theirs);
			check_split(g.buf, &rx, subj, slen, mine);
			compared++;
			matches += mine;
		}
		regfree(&preg);
		policy_rx_free(&rx);
	}
	print_message("glibc cross-check: %u patterns, %u subjects, "
	    "%u matches\n", patterns, compared, matches);
	assert_true(patterns >= 2000);
	assert_true(matches > compared / 10 && matches < compared - compared / 10);
}

/* Arbitrary bytes: never a crash, and every success is a loadable program. */
static void
test_garbage(void **state)
{
	static const char bytes[] = "()[]{}|*+?.^$\\-:,0123ab^]d=[:alpha:]";
	unsigned iter, ok = 0;
	char re[40], err[160], subj[8];
	size_t len, pos, k;

	for (iter = 0; iter < 30000; iter++) {
		struct policy_rx rx;
		const char *why;

		len = rng(sizeof(re));
		for (k = 0; k < len; k++)
			re[k] = rng(10) == 0 ? (char)rng(256) :
			    bytes[rng(sizeof(bytes) - 1)];
		pos = SIZE_MAX;
		if (policy_rx_compile(re, len, &rx, err, sizeof(err),
		    &pos) != 0) {
			if (pos > len || err[0] == '\0')
				fail_msg("/%.*s/: errpos %zu, message \"%s\"",
				    (int)len, re, pos, err);
			continue;
		}
		ok++;
		if ((why = prog_problem(&rx)) != NULL)
			fail_msg("/%.*s/ compiled to a bad program: %s",
			    (int)len, re, why);
		for (k = 0; k < sizeof(subj); k++)
			subj[k] = "ab-:1]"[rng(6)];
		k = rng(sizeof(subj) + 1);
		check_split("garbage", &rx, subj, k, rx_run(&rx, subj, k));
		policy_rx_free(&rx);
	}
	print_message("garbage: %u of 30000 compiled\n", ok);
	assert_true(ok > 1000);
}

int
main(void)
{
	const char *seed = getenv("TEST_REGEX_SEED");
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_table),
		cmocka_unit_test(test_start),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_classes),
		cmocka_unit_test(test_prefix),
		cmocka_unit_test(test_glibc_crosscheck),
		cmocka_unit_test(test_garbage),
	};

	/* The random tests are repeatable; set a seed to explore further. */
	if (seed != NULL && strtoull(seed, NULL, 0) != 0)
		rng_state = strtoull(seed, NULL, 0);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
