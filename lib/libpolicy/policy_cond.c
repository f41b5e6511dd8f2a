/* policy_cond.c: meaning of a parsed rule: operation and emulation names, field and
 * operator checks, integer literals (flags, signals, ...), actions and errno names. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "policy_compile.h"
#include "policy_cond_parse.h"
#include "policy_cond_lex.h"

#define PC_OPERAND_MAX	4096

void
pc_parse_error(struct pc_parse *pp, unsigned line, unsigned col,
    const char *fmt, ...)
{
	va_list ap;

	if (pp->failed)
		return;
	pp->failed = true;
	policy_diag_set(pp->diag, pp->where->file, line, col, "%s", "");
	va_start(ap, fmt);
	vsnprintf(pp->diag->pd_msg, sizeof(pp->diag->pd_msg), fmt, ap);
	va_end(ap);
}

unsigned
pc_errno_lookup(const char *s, size_t len)
{
	unsigned i;

	for (i = 1; i <= policy_nerrno; i++) {
		const char *n = policy_errno_names[i].pn_name;
		size_t k;

		if (strlen(n) != len)
			continue;
		for (k = 0; k < len; k++)
			if (toupper((unsigned char)s[k]) != n[k])
				break;
		if (k == len)
			return i;
	}
	return 0;
}

bool
pc_set_op(struct pc_parse *pp, const char *name, size_t len, unsigned line,
    unsigned col)
{
	const char *dash = memchr(name, '-', len);
	struct pc_rule *r = pp->rule;
	int64_t v;
	size_t i;

	r->emul = POLICY_EMUL_ALL;
	if (dash != NULL) {
		if (!policy_name_lookup(policy_emul_names, name,
		    (size_t)(dash - name), &v)) {
			pc_parse_error(pp, line, col, "unknown emulation '%.*s' "
			    "(expected native, netbsd32, linux or linux32)",
			    (int)(dash - name), name);
			return false;
		}
		r->emul = 1u << v;
		len -= (size_t)(dash - name) + 1;
		col += (unsigned)(dash - name) + 1;
		name = dash + 1;
	}
	if (policy_name_lookup(policy_op_names, name, len, &v) ||
	    policy_name_lookup(policy_op_synonyms, name, len, &v)) {
		r->op = (unsigned)v;
		return true;
	}
	/* Any other system call, by name. */
	for (i = 0; i < len; i++)
		if (!(islower((unsigned char)name[i]) || name[i] == '_' ||
		    (i > 0 && isdigit((unsigned char)name[i]))))
			break;
	if (len == 0 || i < len || len >= POLICY_SYSCALL_MAX) {
		pc_parse_error(pp, line, col, "'%.*s' is not an operation or "
		    "system call name", (int)len, name);
		return false;
	}
	r->op = POLICY_OP_SYSCALL;
	pp->generic = pc_strndup(pp->arena, name, len);
	return pp->generic != NULL;
}

bool
pc_set_action(struct pc_parse *pp, const char *verb, unsigned line,
    unsigned col, const char *err, unsigned eline, unsigned ecol)
{
	int64_t v;

	if (!policy_name_lookup(policy_action_names, verb, strlen(verb), &v)) {
		pc_parse_error(pp, line, col, "unknown action '%s' (expected "
		    "permit, deny, deny[ERRNO] or ask)", verb);
		return false;
	}
	pp->rule->action = (unsigned)v;
	if (err != NULL) {
		if (v != POLICY_ACT_DENY) {
			pc_parse_error(pp, line, col, "only 'deny' takes an errno");
			return false;
		}
		pp->rule->perrno = pc_errno_lookup(err, strlen(err));
		if (pp->rule->perrno == 0) {
			pc_parse_error(pp, eline, ecol, "unknown errno '%s' "
			    "(expected a name such as EPERM, EACCES or ENOENT)",
			    err);
			return false;
		}
	}
	return true;
}

/*
 * "log", "widen", each at most once; "widen" only on a rename or link
 * that is permitted (or asked).
 */
bool
pc_set_modifier(struct pc_parse *pp, unsigned mod, unsigned line,
    unsigned col)
{
	struct pc_rule *r = pp->rule;

	if ((mod == PC_MOD_LOG && r->log) || (mod == PC_MOD_WIDEN && r->widen)) {
		pc_parse_error(pp, line, col, "'%s' given twice",
		    mod == PC_MOD_LOG ? "log" : "widen");
		return false;
	}
	if (mod == PC_MOD_LOG) {
		r->log = true;
		return true;
	}
	if (r->op != POLICY_OP_RENAME && r->op != POLICY_OP_LINK) {
		pc_parse_error(pp, line, col, "'widen' applies to rename and "
		    "link rules only (it lets the move they permit change "
		    "how other rules decide)");
		return false;
	}
	if (r->action == POLICY_ACT_DENY) {
		pc_parse_error(pp, line, col, "'widen' on a rule that denies "
		    "means nothing: it applies to moves a rule permits");
		return false;
	}
	r->widen = true;
	return true;
}

static const struct policy_name *
pc_int_names(unsigned field)
{
	switch (field) {
	case POLICY_F_FLAGS:	return policy_oflag_names;
	case POLICY_F_SIGNAL:	return policy_signal_names;
	case POLICY_F_DOMAIN:	return policy_domain_names;
	case POLICY_F_TYPE:	return policy_socktype_names;
	default:		return NULL;
	}
}

/* "O_RDONLY|O_CREAT", "SIGTERM", "0644", "17": fills mask and value. */
static bool
pc_parse_int(unsigned field, unsigned cmp, const char *s, size_t len,
    int64_t *maskp, int64_t *valuep)
{
	const struct policy_name *names = pc_int_names(field);
	int64_t value = 0, mask = 0;
	size_t i = 0;

	while (i <= len) {
		size_t j = i, a, b;
		int64_t v;

		while (j < len && s[j] != '|')
			j++;
		for (a = i; a < j && isspace((unsigned char)s[a]); a++)
			;
		for (b = j; b > a && isspace((unsigned char)s[b - 1]); b--)
			;
		if (a == b || b - a > 30)
			return false;
		if (isdigit((unsigned char)s[a]) || s[a] == '-') {
			char buf[32], *end;
			memcpy(buf, s + a, b - a);
			buf[b - a] = '\0';
			errno = 0;
			v = strtoll(buf, &end, 0);
			if (*end != '\0' || errno != 0)
				return false;
			/* A host signal number: 0 (the null signal), one
			 * the table names, or another of 1 to 64 (such as a
			 * real-time signal: a number of this system's) */
			if (field == POLICY_F_SIGNAL && (v < 0 || v > 64))
				return false;
			if (field == POLICY_F_SIGNAL)
				v = policy_signal_portable((int)v);
			mask |= v;
		} else {
			unsigned k;
			bool found = false;

			for (k = 0; names != NULL && names[k].pn_name != NULL; k++) {
				if (strlen(names[k].pn_name) == b - a &&
				    strncasecmp(names[k].pn_name, s + a, b - a) == 0) {
					found = true;
					break;
				}
			}
			if (!found)
				return false;
			v = field == POLICY_F_SIGNAL ? (int64_t)k + 1 :
			    names[k].pn_value;
			mask |= v;
			if (field == POLICY_F_FLAGS &&
			    (v & ~(int64_t)POLICY_O_ACCMODE) == 0)
				mask |= POLICY_O_ACCMODE;
		}
		value |= v;
		i = j + 1;
	}
	if (cmp == POLICY_C_EQ || cmp == POLICY_C_NEQ)
		mask = -1;
	*maskp = mask;
	*valuep = value;
	return true;
}

struct pc_expr *
pc_make_test(struct pc_parse *pp, const char *field, unsigned fline,
    unsigned fcol, unsigned cmp, const char *operand, size_t oplen,
    unsigned oline, unsigned ocol)
{
	struct pc_expr *e;
	int64_t f;

	if (!policy_name_lookup(policy_field_names, field, strlen(field), &f)) {
		pc_parse_error(pp, fline, fcol, "unknown field '%s' (expected "
		    "filename, filename2, sockaddr, argv, syscall, flags, mode, "
		    "uid, gid, signal, pid, domain, type, protocol or request)",
		    field);
		return NULL;
	}
	if (oplen > PC_OPERAND_MAX) {
		pc_parse_error(pp, oline, ocol, "operand longer than %d bytes",
		    PC_OPERAND_MAX);
		return NULL;
	}
	if ((e = pc_alloc(pp->arena, sizeof(*e))) == NULL) {
		pc_parse_error(pp, fline, fcol, "out of memory");
		return NULL;
	}
	e->kind = PC_TEST;
	e->field = (unsigned)f;
	e->cmp = cmp;
	e->line = fline;
	e->col = fcol;
	e->str = operand;
	e->len = oplen;
	if (!POLICY_FIELD_IS_STR(f)) {
		if (cmp != POLICY_C_EQ && cmp != POLICY_C_NEQ &&
		    cmp != POLICY_C_SUB && cmp != POLICY_C_NSUB) {
			pc_parse_error(pp, fline, fcol, "'%s' is a number: use "
			    "eq, neq, sub or nsub, not '%s'", field,
			    policy_name_of(policy_cmp_names, cmp));
			return NULL;
		}
		if (!pc_parse_int((unsigned)f, cmp, operand, oplen, &e->mask,
		    &e->value)) {
			pc_parse_error(pp, oline, ocol, "'%.*s' is not a valid "
			    "value for %s", (int)(oplen > 64 ? 64 : oplen),
			    operand, field);
			return NULL;
		}
		return e;
	}
	if (cmp == POLICY_C_RE || cmp == POLICY_C_NRE) {
		char msg[128];
		size_t at = 0;

		if ((e->rx = pc_alloc(pp->arena, sizeof(*e->rx))) == NULL) {
			pc_parse_error(pp, fline, fcol, "out of memory");
			return NULL;
		}
		if (policy_rx_compile(operand, oplen, e->rx, msg, sizeof(msg),
		    &at) != 0) {
			pc_parse_error(pp, oline, ocol + 1 + (unsigned)at,
			    "bad regular expression: %s", msg);
			return NULL;
		}
		if (!pc_adopt(pp->arena, e->rx->insn) ||
		    !pc_adopt(pp->arena, e->rx->classes)) {
			pc_parse_error(pp, fline, fcol, "out of memory");
			return NULL;
		}
	}
	return e;
}

struct pc_expr *
pc_make_node(struct pc_parse *pp, enum pc_kind kind, struct pc_expr *l,
    struct pc_expr *r)
{
	struct pc_expr *e = pc_alloc(pp->arena, sizeof(*e));

	if (e == NULL) {
		pc_parse_error(pp, l->line, l->col, "out of memory");
		return NULL;
	}
	e->kind = kind;
	e->l = l;
	e->r = r;
	e->line = l->line;
	e->col = l->col;
	return e;
}

static size_t
pc_trim(const char **s, size_t len)
{
	while (len > 0 && isspace((unsigned char)(*s)[0])) {
		(*s)++;
		len--;
	}
	while (len > 0 && isspace((unsigned char)(*s)[len - 1]))
		len--;
	return len;
}

int
pc_parse_rule(struct pc_arena *a, const char *text, size_t len,
    const char *op_name, const struct pc_where *opw,
    const struct pc_where *where, struct pc_rule *rule,
    struct policy_diag *diag)
{
	struct pc_parse pp;
	yyscan_t scanner;
	YY_BUFFER_STATE buf;
	const char *t = text;
	size_t tlen;
	int rv;

	memset(rule, 0, sizeof(*rule));
	memset(&pp, 0, sizeof(pp));
	pp.arena = a;
	pp.where = where;
	pp.rule = rule;
	pp.diag = diag;
	pp.line = where->line;
	pp.col = where->col;
	rule->line = opw != NULL ? opw->line : where->line;
	rule->col = opw != NULL ? opw->col : where->col;
	if (op_name != NULL) {
		pp.start_token = START_BODY;
		if (!pc_set_op(&pp, op_name, strlen(op_name), rule->line,
		    rule->col))
			return -1;
	} else
		pp.start_token = START_LINE;
	if (pc_yylex_init_extra(&pp, &scanner) != 0) {
		pc_parse_error(&pp, where->line, where->col, "out of memory");
		return -1;
	}
	buf = pc_yy_scan_bytes(text, (int)len, scanner);
	rv = pc_yyparse(scanner, &pp);
	pc_yy_delete_buffer(buf, scanner);
	pc_yylex_destroy(scanner);
	if (rv != 0 || pp.failed || a->a_failed) {
		if (!pp.failed)
			pc_parse_error(&pp, where->line, where->col,
			    rv == 2 || a->a_failed ? "out of memory" :
			    "syntax error");
		return -1;
	}
	/* A rule for a system call by name tests the syscall field. */
	if (pp.generic != NULL) {
		struct pc_expr *e = pc_alloc(a, sizeof(*e));
		if (e == NULL)
			return -1;
		e->kind = PC_TEST;
		e->field = POLICY_F_SYSCALL;
		e->cmp = POLICY_C_EQ;
		e->str = pp.generic;
		e->len = strlen(pp.generic);
		e->line = rule->line;
		e->col = rule->col;
		if (rule->cond != NULL &&
		    (e = pc_make_node(&pp, PC_AND, e, rule->cond)) == NULL)
			return -1;
		rule->cond = e;
	}
	tlen = pc_trim(&t, len);
	if (op_name != NULL) {
		size_t olen = strlen(op_name);
		char *s = pc_alloc(a, olen + 2 + tlen + 1);
		if (s == NULL)
			return -1;
		memcpy(s, op_name, olen);
		memcpy(s + olen, ": ", 2);
		memcpy(s + olen + 2, t, tlen);
		s[olen + 2 + tlen] = '\0';
		rule->text = s;
	} else if ((rule->text = pc_strndup(a, t, tlen)) == NULL)
		return -1;
	return 0;
}
