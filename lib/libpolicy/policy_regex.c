/* policy_regex.c: compiles POSIX-ERE-style patterns (parse to a syntax tree, size it,
 * emit it) into the Thompson-NFA bytecode that policy_rx_exec() runs. */

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_regex.h"

#define RX_REPMAX	32	/* largest count in {m,n} */
#define RX_INF		0xff	/* rn_max when unbounded */
#define RX_PARENMAX	100	/* nesting of ( ) */
#define RX_HEIGHTMAX	200	/* height of the syntax tree */
#define RX_NONE		(-1)

enum rx_kind {
	RX_EMPTY,		/* matches the empty string */
	RX_CHAR,		/* rn_byte */
	RX_ANY,
	RX_CLASS,		/* rn_class: index into rx_parse.cls */
	RX_BOL,
	RX_EOL,
	RX_CAT,			/* children rn_first .. rn_last */
	RX_ALT,
	RX_REP			/* rn_first, rn_min .. rn_max times */
};

struct rx_node {
	uint8_t		rn_kind;
	uint8_t		rn_byte;
	uint8_t		rn_min, rn_max;
	bool		rn_open;	/* a list still being built */
	uint32_t	rn_class;
	int32_t		rn_first, rn_last, rn_next;
	uint16_t	rn_size;	/* instructions it compiles to */
	uint16_t	rn_height;
	size_t		rn_pos;		/* offset in the pattern */
};

struct rx_parse {
	const char	*re;
	size_t		len;
	size_t		i;		/* next byte to read */
	unsigned	depth;		/* open parentheses */
	struct rx_node	*nodes;
	size_t		nnodes, capnodes;
	uint8_t		(*cls)[32];
	size_t		ncls, capcls;
	bool		failed;
	char		*err;
	size_t		errlen;
	size_t		errpos;
};

struct rx_emit {
	const struct rx_parse	*ps;
	struct policy_rxinsn	*insn;
	unsigned		pc, cap;
	bool			overflow;	/* a sizing bug */
	uint8_t			(*cls)[32];
	unsigned		ncls, capcls;
};

static int rx_alt(struct rx_parse *);

static int __attribute__((format(printf, 3, 4)))
rx_error(struct rx_parse *ps, size_t pos, const char *fmt, ...)
{
	va_list ap;

	if (ps->failed)
		return RX_NONE;
	ps->failed = true;
	ps->errpos = pos;
	if (ps->err != NULL && ps->errlen > 0) {
		va_start(ap, fmt);
		vsnprintf(ps->err, ps->errlen, fmt, ap);
		va_end(ap);
	}
	return RX_NONE;
}

/* ------------------------------------------------------------------ */
/* Character classes                                                   */

static void
rx_setrange(uint8_t *bm, unsigned lo, unsigned hi)
{
	unsigned c;

	for (c = lo; c <= hi; c++)
		bm[c >> 3] |= (uint8_t)(1u << (c & 7));
}

static void
rx_setbyte(uint8_t *bm, unsigned c)
{
	rx_setrange(bm, c, c);
}

static void
rx_invert(uint8_t *bm)
{
	unsigned k;

	for (k = 0; k < 32; k++)
		bm[k] = (uint8_t)~bm[k];
}

static unsigned
rx_popcount(const uint8_t *bm)
{
	unsigned k, c, n = 0;

	for (k = 0; k < 32; k++)
		for (c = bm[k]; c != 0; c &= c - 1)
			n++;
	return n;
}

static unsigned
rx_firstbyte(const uint8_t *bm)
{
	unsigned c;

	for (c = 0; c < 256; c++)
		if (bm[c >> 3] & (1u << (c & 7)))
			return c;
	return 0;
}

/* The POSIX classes, C locale. */
static bool
rx_posix_class(const char *name, size_t len, uint8_t *bm)
{
	static const char *const names[] = {
		"alpha", "digit", "alnum", "space", "upper", "lower",
		"punct", "xdigit", "blank", "cntrl", "print", "graph",
	};
	unsigned k;

	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
		if (strlen(names[k]) == len && memcmp(names[k], name, len) == 0)
			break;
	switch (k) {
	case 0:		/* alpha */
		rx_setrange(bm, 'A', 'Z');
		rx_setrange(bm, 'a', 'z');
		return true;
	case 1:		/* digit */
		rx_setrange(bm, '0', '9');
		return true;
	case 2:		/* alnum */
		rx_setrange(bm, '0', '9');
		rx_setrange(bm, 'A', 'Z');
		rx_setrange(bm, 'a', 'z');
		return true;
	case 3:		/* space */
		rx_setrange(bm, '\t', '\r');
		rx_setbyte(bm, ' ');
		return true;
	case 4:		/* upper */
		rx_setrange(bm, 'A', 'Z');
		return true;
	case 5:		/* lower */
		rx_setrange(bm, 'a', 'z');
		return true;
	case 6:		/* punct */
		rx_setrange(bm, '!', '/');
		rx_setrange(bm, ':', '@');
		rx_setrange(bm, '[', '`');
		rx_setrange(bm, '{', '~');
		return true;
	case 7:		/* xdigit */
		rx_setrange(bm, '0', '9');
		rx_setrange(bm, 'A', 'F');
		rx_setrange(bm, 'a', 'f');
		return true;
	case 8:		/* blank */
		rx_setbyte(bm, ' ');
		rx_setbyte(bm, '\t');
		return true;
	case 9:		/* cntrl */
		rx_setrange(bm, 0, 0x1f);
		rx_setbyte(bm, 0x7f);
		return true;
	case 10:	/* print */
		rx_setrange(bm, ' ', '~');
		return true;
	case 11:	/* graph */
		rx_setrange(bm, '!', '~');
		return true;
	default:
		return false;
	}
}

/* \d \w \s and their negations; false if c names none of them. */
static bool
rx_shorthand(int c, uint8_t *bm)
{
	uint8_t set[32];
	unsigned k;

	memset(set, 0, sizeof(set));
	switch (c) {
	case 'd': case 'D':
		rx_setrange(set, '0', '9');
		break;
	case 'w': case 'W':
		rx_setrange(set, '0', '9');
		rx_setrange(set, 'A', 'Z');
		rx_setrange(set, 'a', 'z');
		rx_setbyte(set, '_');
		break;
	case 's': case 'S':
		rx_setrange(set, '\t', '\r');
		rx_setbyte(set, ' ');
		break;
	default:
		return false;
	}
	if (c == 'D' || c == 'W' || c == 'S')
		rx_invert(set);
	for (k = 0; k < 32; k++)
		bm[k] |= set[k];
	return true;
}

/* The byte a control escape stands for, or -1. */
static int
rx_control_escape(int c)
{
	switch (c) {
	case 'n':
		return '\n';
	case 't':
		return '\t';
	case 'r':
		return '\r';
	case 'f':
		return '\f';
	case 'v':
		return '\v';
	default:
		return -1;
	}
}

static bool
rx_isalnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') ||
	    (c >= 'a' && c <= 'z');
}

/* ------------------------------------------------------------------ */
/* The syntax tree                                                     */

static int
rx_node(struct rx_parse *ps, enum rx_kind kind, size_t pos)
{
	struct rx_node *n;

	if (ps->nnodes == ps->capnodes) {
		size_t cap = ps->capnodes ? 2 * ps->capnodes : 32;
		struct rx_node *nn;

		if (cap > INT32_MAX ||
		    (nn = realloc(ps->nodes, cap * sizeof(*nn))) == NULL)
			return rx_error(ps, pos, "out of memory");
		ps->nodes = nn;
		ps->capnodes = cap;
	}
	n = &ps->nodes[ps->nnodes];
	memset(n, 0, sizeof(*n));
	n->rn_kind = (uint8_t)kind;
	n->rn_first = n->rn_last = n->rn_next = RX_NONE;
	n->rn_pos = pos;
	switch (kind) {
	case RX_CHAR: case RX_ANY: case RX_CLASS: case RX_BOL: case RX_EOL:
		n->rn_size = 1;
		break;
	default:
		break;
	}
	return (int)ps->nnodes++;
}

/* Check a node that has just been sized; blame pos if it is too big. */
static int
rx_check(struct rx_parse *ps, int n, size_t pos)
{
	const struct rx_node *nd = &ps->nodes[n];

	if (nd->rn_size + 1u > POLICY_RX_MAX)
		return rx_error(ps, pos,
		    "pattern too complex (more than %d instructions)",
		    POLICY_RX_MAX);
	if (nd->rn_height > RX_HEIGHTMAX)
		return rx_error(ps, pos, "pattern nested too deeply");
	return n;
}

/*
 * Add child to the CAT or ALT list *listp (RX_NONE before the first child:
 * the list is then just that child until a second one arrives).
 */
static int
rx_append(struct rx_parse *ps, int *listp, enum rx_kind kind, int child,
    size_t pos)
{
	struct rx_node *l, *c;
	unsigned size, height;
	int list = *listp;

	if (list == RX_NONE) {
		*listp = child;
		return child;
	}
	if (ps->nodes[list].rn_kind != kind || !ps->nodes[list].rn_open) {
		int nl = rx_node(ps, kind, ps->nodes[list].rn_pos);

		if (nl == RX_NONE)
			return RX_NONE;
		l = &ps->nodes[nl];
		l->rn_first = l->rn_last = list;
		l->rn_size = ps->nodes[list].rn_size;
		l->rn_height = (uint16_t)(ps->nodes[list].rn_height + 1);
		l->rn_open = true;
		*listp = list = nl;
	}
	l = &ps->nodes[list];
	c = &ps->nodes[child];
	ps->nodes[l->rn_last].rn_next = child;
	l->rn_last = child;
	size = l->rn_size + c->rn_size + (kind == RX_ALT ? 2u : 0u);
	height = c->rn_height + 1u > l->rn_height ? c->rn_height + 1u :
	    l->rn_height;
	l->rn_size = (uint16_t)(size > 0xffff ? 0xffff : size);
	l->rn_height = (uint16_t)(height > 0xffff ? 0xffff : height);
	return rx_check(ps, list, pos);
}

/* Close a list that rx_append built, so that no later list grows it. */
static int
rx_finish(struct rx_parse *ps, int list)
{
	if (list != RX_NONE)
		ps->nodes[list].rn_open = false;
	return list;
}

static int
rx_rep(struct rx_parse *ps, int child, unsigned min, unsigned max, size_t pos)
{
	const struct rx_node *c = &ps->nodes[child];
	unsigned x = c->rn_size, size;
	struct rx_node *r;
	int n;

	if (min == 1 && max == 1)
		return child;
	if (x == 0)
		size = 0;
	else if (max == RX_INF)
		size = min * x + (min == 0 ? x + 2 : 1);
	else
		size = min * x + (max - min) * (x + 1);
	if ((n = rx_node(ps, RX_REP, pos)) == RX_NONE)
		return RX_NONE;
	r = &ps->nodes[n];
	r->rn_first = r->rn_last = child;
	r->rn_min = (uint8_t)min;
	r->rn_max = (uint8_t)max;
	r->rn_size = (uint16_t)(size > 0xffff ? 0xffff : size);
	r->rn_height = (uint16_t)(ps->nodes[child].rn_height + 1);
	return rx_check(ps, n, pos);
}

static int
rx_class_node(struct rx_parse *ps, const uint8_t *bm, size_t pos)
{
	unsigned pop = rx_popcount(bm);
	int n;

	if (pop == 1) {
		if ((n = rx_node(ps, RX_CHAR, pos)) != RX_NONE)
			ps->nodes[n].rn_byte = (uint8_t)rx_firstbyte(bm);
		return n;
	}
	if (pop == 256)
		return rx_node(ps, RX_ANY, pos);
	if (ps->ncls == ps->capcls) {
		size_t cap = ps->capcls ? 2 * ps->capcls : 8;
		uint8_t (*nc)[32];

		if (cap > UINT32_MAX ||
		    (nc = realloc(ps->cls, cap * sizeof(*nc))) == NULL)
			return rx_error(ps, pos, "out of memory");
		ps->cls = nc;
		ps->capcls = cap;
	}
	if ((n = rx_node(ps, RX_CLASS, pos)) == RX_NONE)
		return RX_NONE;
	memcpy(ps->cls[ps->ncls], bm, 32);
	ps->nodes[n].rn_class = (uint32_t)ps->ncls++;
	return n;
}

/* ------------------------------------------------------------------ */
/* The parser                                                          */

static int
rx_peek(const struct rx_parse *ps, size_t off)
{
	return ps->i + off < ps->len ? (unsigned char)ps->re[ps->i + off] : -1;
}

/*
 * One element of a bracket expression at ps->i: a byte (returned, 0..255)
 * or a set of bytes (added to bm; returns 256).  -1 on error.
 */
static int
rx_bracket_elem(struct rx_parse *ps, uint8_t *bm, size_t open)
{
	size_t at = ps->i;
	int c = rx_peek(ps, 0), e;

	if (c == '[' && rx_peek(ps, 1) == ':') {
		size_t j = at + 2;

		while (j < ps->len && ps->re[j] >= 'a' && ps->re[j] <= 'z')
			j++;
		if (j == at + 2 || j + 1 >= ps->len || ps->re[j] != ':' ||
		    ps->re[j + 1] != ']')
			return rx_error(ps, at,
			    "malformed character class (expected [:name:])");
		if (!rx_posix_class(ps->re + at + 2, j - (at + 2), bm))
			return rx_error(ps, at,
			    "unknown character class '[:%.*s:]'",
			    (int)(j - (at + 2)), ps->re + at + 2);
		ps->i = j + 2;
		return 256;
	}
	if (c == '[' && (rx_peek(ps, 1) == '.' || rx_peek(ps, 1) == '='))
		return rx_error(ps, at,
		    "collating elements ([. .] and [= =]) are not supported");
	if (c == '\\') {
		if ((e = rx_peek(ps, 1)) < 0)
			return rx_error(ps, at, "trailing backslash");
		ps->i += 2;
		if (rx_shorthand(e, bm))
			return 256;
		if (rx_control_escape(e) >= 0)
			return rx_control_escape(e);
		if (rx_isalnum(e))
			return rx_error(ps, at, "unknown escape '\\%c'", e);
		return e;
	}
	if (c < 0)
		return rx_error(ps, open, "unmatched '['");
	ps->i++;
	return c;
}

static int
rx_bracket(struct rx_parse *ps)
{
	size_t open = ps->i, j;
	uint8_t bm[32];
	bool neg = false, first = true;
	int lo, hi;

	/* "[:alpha:]" alone is a common slip for "[[:alpha:]]". */
	if (rx_peek(ps, 1) == ':') {
		j = open + 2;
		while (j < ps->len && ps->re[j] >= 'a' && ps->re[j] <= 'z')
			j++;
		if (j > open + 2 && j + 1 < ps->len && ps->re[j] == ':' &&
		    ps->re[j + 1] == ']')
			return rx_error(ps, open, "character class syntax is "
			    "[[:%.*s:]], not [:%.*s:]", (int)(j - open - 2),
			    ps->re + open + 2, (int)(j - open - 2),
			    ps->re + open + 2);
	}

	memset(bm, 0, sizeof(bm));
	ps->i++;
	if (rx_peek(ps, 0) == '^') {
		neg = true;
		ps->i++;
	}
	for (;;) {
		size_t at = ps->i;

		if (rx_peek(ps, 0) < 0)
			return rx_error(ps, open, "unmatched '['");
		if (rx_peek(ps, 0) == ']' && !first) {
			ps->i++;
			break;
		}
		if (first && rx_peek(ps, 0) == ']') {
			ps->i++;
			lo = ']';
		} else if ((lo = rx_bracket_elem(ps, bm, open)) < 0)
			return RX_NONE;
		first = false;
		if (lo == 256)
			continue;
		if (rx_peek(ps, 0) == '-' && rx_peek(ps, 1) >= 0 &&
		    rx_peek(ps, 1) != ']') {
			size_t hat;

			ps->i++;
			hat = ps->i;
			if ((hi = rx_bracket_elem(ps, bm, open)) < 0)
				return RX_NONE;
			if (hi == 256)
				return rx_error(ps, hat,
				    "a class cannot end a range");
			if (hi < lo)
				return rx_error(ps, at, "invalid range "
				    "(end before start)");
			rx_setrange(bm, (unsigned)lo, (unsigned)hi);
		} else
			rx_setbyte(bm, (unsigned)lo);
	}
	if (neg)
		rx_invert(bm);
	return rx_class_node(ps, bm, open);
}

/* A decimal count in {m,n}: digits at ps->i, at most RX_REPMAX. */
static int
rx_count(struct rx_parse *ps, size_t open)
{
	size_t at = ps->i;
	unsigned v = 0;
	int c;

	if ((c = rx_peek(ps, 0)) < 0)
		return rx_error(ps, open, "unmatched '{'");
	if (c < '0' || c > '9')
		return rx_error(ps, at, "expected a number in repetition "
		    "bounds (write \\{ for a literal '{')");
	while ((c = rx_peek(ps, 0)) >= '0' && c <= '9') {
		if (v <= RX_REPMAX)
			v = v * 10 + (unsigned)(c - '0');
		ps->i++;
	}
	if (v > RX_REPMAX)
		return rx_error(ps, at, "repetition count too large "
		    "(at most %d)", RX_REPMAX);
	return (int)v;
}

/* A repetition operator at ps->i applied to atom. */
static int
rx_quantifier(struct rx_parse *ps, int atom)
{
	size_t at = ps->i;
	int c = rx_peek(ps, 0), min, max;

	ps->i++;
	switch (c) {
	case '*':
		return rx_rep(ps, atom, 0, RX_INF, at);
	case '+':
		return rx_rep(ps, atom, 1, RX_INF, at);
	case '?':
		return rx_rep(ps, atom, 0, 1, at);
	}
	/* '{' */
	if ((min = rx_count(ps, at)) < 0)
		return RX_NONE;
	max = min;
	if (rx_peek(ps, 0) == ',') {
		ps->i++;
		if (rx_peek(ps, 0) == '}')
			max = RX_INF;
		else if ((max = rx_count(ps, at)) < 0)
			return RX_NONE;
	}
	if (rx_peek(ps, 0) < 0)
		return rx_error(ps, at, "unmatched '{'");
	if (rx_peek(ps, 0) != '}')
		return rx_error(ps, ps->i, "expected '}' in repetition bounds");
	ps->i++;
	if (max < min)
		return rx_error(ps, at, "bad repetition bounds {%d,%d} "
		    "(minimum above maximum)", min, max);
	return rx_rep(ps, atom, (unsigned)min, (unsigned)max, at);
}

/* An atom and the repetition operators that follow it. */
static int
rx_atom(struct rx_parse *ps)
{
	size_t at = ps->i;
	int c = rx_peek(ps, 0), e, n;
	uint8_t bm[32];

	switch (c) {
	case '(':
		if (ps->depth >= RX_PARENMAX)
			return rx_error(ps, at, "parentheses nested too deeply "
			    "(more than %d)", RX_PARENMAX);
		ps->depth++;
		ps->i++;
		if ((n = rx_alt(ps)) == RX_NONE)
			return RX_NONE;
		if (rx_peek(ps, 0) != ')')
			return rx_error(ps, at, "unmatched '('");
		ps->i++;
		ps->depth--;
		break;
	case '*': case '+': case '?': case '{':
		return rx_error(ps, at, "nothing to repeat");
	case '[':
		n = rx_bracket(ps);
		break;
	case '.':
		ps->i++;
		n = rx_node(ps, RX_ANY, at);
		break;
	case '^': case '$':
		ps->i++;
		n = rx_node(ps, c == '^' ? RX_BOL : RX_EOL, at);
		/* As in POSIX, a bare anchor cannot be repeated. */
		c = rx_peek(ps, 0);
		if (n != RX_NONE && (c == '*' || c == '+' || c == '?' ||
		    c == '{'))
			return rx_error(ps, ps->i, "nothing to repeat (an "
			    "anchor cannot be repeated)");
		break;
	case '\\':
		if ((e = rx_peek(ps, 1)) < 0)
			return rx_error(ps, at, "trailing backslash");
		ps->i += 2;
		memset(bm, 0, sizeof(bm));
		if (rx_shorthand(e, bm)) {
			n = rx_class_node(ps, bm, at);
			break;
		}
		if (e >= '0' && e <= '9')
			return rx_error(ps, at,
			    "back-references are not supported");
		if (rx_control_escape(e) >= 0)
			e = rx_control_escape(e);
		else if (rx_isalnum(e))
			return rx_error(ps, at, "unknown escape '\\%c'", e);
		if ((n = rx_node(ps, RX_CHAR, at)) != RX_NONE)
			ps->nodes[n].rn_byte = (uint8_t)e;
		break;
	default:
		ps->i++;
		if ((n = rx_node(ps, RX_CHAR, at)) != RX_NONE)
			ps->nodes[n].rn_byte = (uint8_t)c;
		break;
	}
	while (n != RX_NONE && ((c = rx_peek(ps, 0)) == '*' || c == '+' ||
	    c == '?' || c == '{'))
		n = rx_quantifier(ps, n);
	return n;
}

/* A concatenation: atoms up to '|', ')' or the end. */
static int
rx_cat(struct rx_parse *ps)
{
	size_t at = ps->i;
	int list = RX_NONE, c, a;

	while ((c = rx_peek(ps, 0)) >= 0 && c != '|' && c != ')') {
		size_t apos = ps->i;

		if ((a = rx_atom(ps)) == RX_NONE)
			return RX_NONE;
		if (rx_append(ps, &list, RX_CAT, a, apos) == RX_NONE)
			return RX_NONE;
	}
	if (list == RX_NONE)
		return rx_node(ps, RX_EMPTY, at);
	return rx_finish(ps, list);
}

/* An alternation of concatenations. */
static int
rx_alt(struct rx_parse *ps)
{
	size_t at = ps->i;
	int list = RX_NONE, a;

	for (;;) {
		size_t bar = ps->i;

		if ((a = rx_cat(ps)) == RX_NONE)
			return RX_NONE;
		if (rx_append(ps, &list, RX_ALT, a,
		    bar > at ? bar - 1 : at) == RX_NONE)
			return RX_NONE;
		if (rx_peek(ps, 0) != '|')
			break;
		ps->i++;
	}
	return rx_finish(ps, list);
}

static void
rx_parse_free(struct rx_parse *ps)
{
	free(ps->nodes);
	free(ps->cls);
}

/* Parse the whole pattern; the root node, or RX_NONE with the error set. */
static int
rx_parse(struct rx_parse *ps, const char *re, size_t len, char *err,
    size_t errlen)
{
	int root;

	memset(ps, 0, sizeof(*ps));
	ps->re = re;
	ps->len = re != NULL ? len : 0;
	ps->err = err;
	ps->errlen = errlen;
	if ((root = rx_alt(ps)) == RX_NONE)
		return RX_NONE;
	if (ps->i < ps->len)	/* rx_alt stops only at the end or a ')' */
		return rx_error(ps, ps->i, "unmatched ')'");
	return root;
}

/* ------------------------------------------------------------------ */
/* Code generation                                                     */

static unsigned
rx_insn(struct rx_emit *em, enum policy_rxop op, uint32_t arg, unsigned x,
    unsigned y)
{
	struct policy_rxinsn *in;

	/* The sizes were checked while parsing, so this cannot happen. */
	if (em->pc >= em->cap) {
		em->overflow = true;
		return em->pc;
	}
	in = &em->insn[em->pc];
	memset(in, 0, sizeof(*in));
	in->rx_op = (uint8_t)op;
	in->rx_arg = arg;
	in->rx_x = (uint16_t)x;
	in->rx_y = (uint16_t)y;
	return em->pc++;
}

static void
rx_patch_x(struct rx_emit *em, unsigned pc, unsigned target)
{
	if (pc < em->cap)
		em->insn[pc].rx_x = (uint16_t)target;
}

static void
rx_patch_y(struct rx_emit *em, unsigned pc, unsigned target)
{
	if (pc < em->cap)
		em->insn[pc].rx_y = (uint16_t)target;
}

/* The output index of parse-time class k, sharing identical bitmaps. */
static uint32_t
rx_emit_class(struct rx_emit *em, uint32_t k)
{
	unsigned j;

	for (j = 0; j < em->ncls; j++)
		if (memcmp(em->cls[j], em->ps->cls[k], 32) == 0)
			return j;
	if (em->ncls >= em->capcls) {
		em->overflow = true;
		return 0;
	}
	memcpy(em->cls[em->ncls], em->ps->cls[k], 32);
	return em->ncls++;
}

static void
rx_emit(struct rx_emit *em, int n)
{
	const struct rx_node *nodes = em->ps->nodes, *nd = &nodes[n];
	unsigned k, loop, fix[RX_REPMAX], nfix = 0;
	int c;

	switch (nd->rn_kind) {
	case RX_EMPTY:
		break;
	case RX_CHAR:
		rx_insn(em, POLICY_RX_CHAR, nd->rn_byte, 0, 0);
		break;
	case RX_ANY:
		rx_insn(em, POLICY_RX_ANY, 0, 0, 0);
		break;
	case RX_CLASS:
		rx_insn(em, POLICY_RX_CLASS, rx_emit_class(em, nd->rn_class),
		    0, 0);
		break;
	case RX_BOL:
		rx_insn(em, POLICY_RX_BOL, 0, 0, 0);
		break;
	case RX_EOL:
		rx_insn(em, POLICY_RX_EOL, 0, 0, 0);
		break;
	case RX_CAT:
		for (c = nd->rn_first; c != RX_NONE; c = nodes[c].rn_next)
			rx_emit(em, c);
		break;
	case RX_ALT: {
		/* SPLIT l1,l2; l1: a; JMP end; l2: SPLIT ... ; last; end: */
		unsigned jmp[POLICY_RX_MAX / 2], njmp = 0, split;

		for (c = nd->rn_first; c != RX_NONE; c = nodes[c].rn_next) {
			if (nodes[c].rn_next == RX_NONE ||
			    njmp == POLICY_RX_MAX / 2) {
				rx_emit(em, c);
				break;
			}
			split = rx_insn(em, POLICY_RX_SPLIT, 0, em->pc + 1, 0);
			rx_emit(em, c);
			jmp[njmp++] = rx_insn(em, POLICY_RX_JMP, 0, 0, 0);
			rx_patch_y(em, split, em->pc);
		}
		for (k = 0; k < njmp; k++)
			rx_patch_x(em, jmp[k], em->pc);
		break;
	}
	case RX_REP:
		if (nodes[nd->rn_first].rn_size == 0)
			break;
		if (nd->rn_max == RX_INF && nd->rn_min > 0) {
			/* x{min-1} then L: x; SPLIT L, out */
			for (k = 1; k < nd->rn_min; k++)
				rx_emit(em, nd->rn_first);
			loop = em->pc;
			rx_emit(em, nd->rn_first);
			rx_insn(em, POLICY_RX_SPLIT, 0, loop, em->pc + 1);
			break;
		}
		for (k = 0; k < nd->rn_min; k++)
			rx_emit(em, nd->rn_first);
		if (nd->rn_max == RX_INF) {
			/* L: SPLIT body, out; body: x; JMP L; out: */
			loop = rx_insn(em, POLICY_RX_SPLIT, 0, em->pc + 1, 0);
			rx_emit(em, nd->rn_first);
			rx_insn(em, POLICY_RX_JMP, 0, loop, 0);
			rx_patch_y(em, loop, em->pc);
			break;
		}
		/* (max - min) times: SPLIT body, out; body: x */
		for (k = nd->rn_min; k < nd->rn_max; k++) {
			fix[nfix++] = rx_insn(em, POLICY_RX_SPLIT, 0,
			    em->pc + 1, 0);
			rx_emit(em, nd->rn_first);
		}
		for (k = 0; k < nfix; k++)
			rx_patch_y(em, fix[k], em->pc);
		break;
	}
}

int
policy_rx_compile(const char *re, size_t len, struct policy_rx *out,
    char *err, size_t errlen, size_t *errpos)
{
	struct rx_parse ps;
	struct rx_emit em;
	int root;

	if (err != NULL && errlen > 0)
		err[0] = '\0';
	if (errpos != NULL)
		*errpos = 0;
	if (out == NULL) {
		if (err != NULL && errlen > 0)
			snprintf(err, errlen, "no output structure");
		return -1;
	}
	memset(out, 0, sizeof(*out));
	if ((root = rx_parse(&ps, re, len, err, errlen)) == RX_NONE)
		goto fail;

	memset(&em, 0, sizeof(em));
	em.ps = &ps;
	em.cap = ps.nodes[root].rn_size + 1u;
	em.capcls = ps.ncls < POLICY_RX_MAX ? (unsigned)ps.ncls : POLICY_RX_MAX;
	if ((em.insn = calloc(em.cap, sizeof(*em.insn))) == NULL ||
	    (em.capcls > 0 && (em.cls = calloc(em.capcls, 32)) == NULL)) {
		free(em.insn);
		rx_error(&ps, 0, "out of memory");
		goto fail;
	}
	rx_emit(&em, root);
	rx_insn(&em, POLICY_RX_MATCH, 0, 0, 0);
	if (em.overflow || em.pc != em.cap) {
		free(em.insn);
		free(em.cls);
		rx_error(&ps, 0, "internal error: program size mismatch");
		goto fail;
	}
	out->insn = em.insn;
	out->ninsn = em.pc;
	if (em.ncls == 0) {
		free(em.cls);
		em.cls = NULL;
	}
	out->classes = em.cls;
	out->nclasses = em.ncls;
	rx_parse_free(&ps);
	return 0;
fail:
	if (errpos != NULL)
		*errpos = ps.errpos;
	rx_parse_free(&ps);
	return -1;
}

void
policy_rx_free(struct policy_rx *rx)
{
	if (rx == NULL)
		return;
	free(rx->insn);
	free(rx->classes);
	memset(rx, 0, sizeof(*rx));
}

/*
 * Split program rx into a head and a tail.  When the program starts with
 * BOL and then literal bytes (CHAR instructions that no jump leads into),
 * every match starts with those bytes: copy up to hmax of them to head and
 * return their number h, and write to tail the rest of the program, with
 * its jumps moved to start at 0, to be run anchored at position h.  Else
 * return 0 and copy the whole program.  tail has room for rx->ninsn
 * instructions; *ntail is set to the tail's length.
 */
size_t
policy_rx_split(const struct policy_rx *rx, char *head, size_t hmax,
    struct policy_rxinsn *tail, unsigned *ntail)
{
	unsigned first_target = rx->ninsn, pc, skip, bol = 0;
	size_t h = 0;

	for (pc = 0; pc < rx->ninsn; pc++) {
		const struct policy_rxinsn *in = &rx->insn[pc];

		if (in->rx_op == POLICY_RX_SPLIT && in->rx_y < first_target)
			first_target = in->rx_y;
		if ((in->rx_op == POLICY_RX_SPLIT || in->rx_op == POLICY_RX_JMP) &&
		    in->rx_x < first_target)
			first_target = in->rx_x;
	}
	while (bol < first_target && bol < rx->ninsn &&
	    rx->insn[bol].rx_op == POLICY_RX_BOL)
		bol++;
	if (bol > 0)
		while (h < hmax && bol + h < first_target &&
		    rx->insn[bol + h].rx_op == POLICY_RX_CHAR) {
			head[h] = (char)rx->insn[bol + h].rx_arg;
			h++;
		}
	skip = h > 0 ? bol + (unsigned)h : 0;
	for (pc = skip; pc < rx->ninsn; pc++) {
		tail[pc - skip] = rx->insn[pc];
		if (tail[pc - skip].rx_op == POLICY_RX_SPLIT ||
		    tail[pc - skip].rx_op == POLICY_RX_JMP) {
			tail[pc - skip].rx_x = (uint16_t)(tail[pc - skip].rx_x - skip);
			if (tail[pc - skip].rx_op == POLICY_RX_SPLIT)
				tail[pc - skip].rx_y =
				    (uint16_t)(tail[pc - skip].rx_y - skip);
		}
	}
	*ntail = rx->ninsn - skip;
	return h;
}
