/* policy_yaml.c: YAML front end (libyaml): reads the policy document, checks its keys
 * and values, and hands each rule's text to the rule parser with its exact file position. */
#include <string.h>
#include <yaml.h>

#include "policy_compile.h"

#define PC_FILE_MAX	(64u * 1024 * 1024)

struct pc_yaml {
	struct pc_arena		*arena;
	const char		*file;
	const char		*text;		/* the raw document */
	size_t			len;
	yaml_document_t		*doc;
	struct pc_policy	*pol;
	struct policy_diag	*diag;
};

static int
pc_yaml_err(struct pc_yaml *y, const yaml_node_t *n, const char *fmt,
    const char *arg)
{
	char msg[400];

	snprintf(msg, sizeof(msg), fmt, arg);
	policy_diag_set(y->diag, y->file, n ? (unsigned)n->start_mark.line + 1 : 1,
	    n ? (unsigned)n->start_mark.column + 1 : 1, "%s", msg);
	return -1;
}

/* Where a scalar's text starts: quoted scalars start after the quote. */
static struct pc_where
pc_yaml_where(struct pc_yaml *y, const yaml_node_t *n)
{
	struct pc_where w = { y->file, (unsigned)n->start_mark.line + 1,
	    (unsigned)n->start_mark.column + 1 };

	if (n->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
	    n->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE)
		w.col++;
	return w;
}

/* Bytes of UTF-8 that code point c takes. */
static size_t
pc_utf8_len(unsigned long c)
{
	return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

/*
 * A diagnostic inside a quoted scalar was positioned on the unescaped text;
 * move its column to the raw bytes of the file ("\"" and '' take two).
 */
static void
pc_yaml_fix_col(struct pc_yaml *y, const yaml_node_t *n,
    const struct pc_where *w)
{
	yaml_scalar_style_t st = n->data.scalar.style;
	size_t i = n->start_mark.index + 1, cooked = 0, want;

	if ((st != YAML_SINGLE_QUOTED_SCALAR_STYLE &&
	    st != YAML_DOUBLE_QUOTED_SCALAR_STYLE) ||
	    y->diag->pd_line != w->line || y->diag->pd_col < w->col)
		return;
	want = y->diag->pd_col - w->col;
	while (cooked < want && i < y->len && y->text[i] != '\n') {
		if (st == YAML_SINGLE_QUOTED_SCALAR_STYLE) {
			if (y->text[i] == '\'' && i + 1 < y->len &&
			    y->text[i + 1] == '\'')
				i++;
			else if (y->text[i] == '\'')
				return;
			i++;
			cooked++;
			continue;
		}
		if (y->text[i] == '"')
			return;
		if (y->text[i] == '\\' && i + 1 < y->len) {
			char e = y->text[i + 1];
			size_t hex = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
			unsigned long c = 0;
			size_t k;

			for (k = 0; k < hex && i + 2 + k < y->len; k++) {
				char h = y->text[i + 2 + k];
				c = c * 16 + (unsigned long)(h <= '9' ? h - '0' :
				    (h | 0x20) - 'a' + 10);
			}
			i += 2 + hex;
			cooked += hex > 2 ? pc_utf8_len(c) : 1;
			continue;
		}
		i++;
		cooked++;
	}
	y->diag->pd_col = w->col + (unsigned)(i - n->start_mark.index - 1);
}

static const char *
pc_yaml_scalar(struct pc_yaml *y, const yaml_node_t *n, const char *key)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE) {
		pc_yaml_err(y, n, "'%s' must be a single value", key);
		return NULL;
	}
	if (strlen((const char *)n->data.scalar.value) != n->data.scalar.length) {
		pc_yaml_err(y, n, "'%s' contains a NUL byte", key);
		return NULL;
	}
	return (const char *)n->data.scalar.value;
}

static int
pc_yaml_rule(struct pc_yaml *y, yaml_node_t *item)
{
	struct pc_rule rule;
	struct pc_where w, kw;
	const char *text, *op;
	yaml_node_t *k, *v;

	if (item->type == YAML_SCALAR_NODE) {
		if ((text = pc_yaml_scalar(y, item, "rule")) == NULL)
			return -1;
		w = pc_yaml_where(y, item);
		if (pc_parse_rule(y->arena, text, strlen(text), NULL, NULL, &w,
		    &rule, y->diag) != 0) {
			pc_yaml_fix_col(y, item, &w);
			return -1;
		}
	} else if (item->type == YAML_MAPPING_NODE &&
	    item->data.mapping.pairs.top - item->data.mapping.pairs.start == 1) {
		k = yaml_document_get_node(y->doc,
		    item->data.mapping.pairs.start->key);
		v = yaml_document_get_node(y->doc,
		    item->data.mapping.pairs.start->value);
		if ((op = pc_yaml_scalar(y, k, "operation")) == NULL ||
		    (text = pc_yaml_scalar(y, v, op)) == NULL)
			return -1;
		kw = pc_yaml_where(y, k);
		w = pc_yaml_where(y, v);
		if (text[0] == '\0')
			return pc_yaml_err(y, v, "rule for '%s' has no action "
			    "(expected e.g. '[condition] then permit')", op);
		if (pc_parse_rule(y->arena, text, strlen(text), op, &kw, &w,
		    &rule, y->diag) != 0) {
			pc_yaml_fix_col(y, v, &w);
			return -1;
		}
	} else
		return pc_yaml_err(y, item, "%s", "a rule is a string "
		    "'op: [condition then] action' or a one-entry mapping "
		    "'op: [condition then] action'");
	if (!pc_policy_add(y->arena, y->pol, &rule))
		return pc_yaml_err(y, item, "%s", "out of memory");
	return 0;
}

static int
pc_yaml_name(struct pc_yaml *y, yaml_node_t *v, const char *key,
    const struct policy_name *tab, const char *expect, unsigned *out)
{
	const char *s = pc_yaml_scalar(y, v, key);
	int64_t n;

	if (s == NULL)
		return -1;
	if (!policy_name_lookup(tab, s, strlen(s), &n)) {
		char msg[300];
		snprintf(msg, sizeof(msg), "unknown %s '%.64s' (expected %s)",
		    key, s, expect);
		return pc_yaml_err(y, v, "%s", msg);
	}
	*out = (unsigned)n;
	return 0;
}

static const struct policy_name pc_log_names[] = {
	{ "none", POLICY_LOG_NONE }, { "deny", POLICY_LOG_DENY },
	{ "all", POLICY_LOG_ALL }, { NULL, 0 }
};

static int
pc_yaml_top(struct pc_yaml *y, yaml_node_t *root)
{
	static const char *const keys[] = { "policy", "name", "program",
	    "default", "errno", "log", "rules" };
	bool seen[__arraycount(keys)] = { false };
	struct pc_policy *pol = y->pol;
	yaml_node_pair_t *pr;
	yaml_node_item_t *it;

	if (root->type != YAML_MAPPING_NODE)
		return pc_yaml_err(y, root, "%s", "a policy is a mapping with "
		    "keys policy, name, program, default, errno, log, rules");
	for (pr = root->data.mapping.pairs.start;
	    pr < root->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(y->doc, pr->key);
		yaml_node_t *v = yaml_document_get_node(y->doc, pr->value);
		const char *key = pc_yaml_scalar(y, k, "key"), *s;
		unsigned i;

		if (key == NULL)
			return -1;
		for (i = 0; i < __arraycount(keys); i++)
			if (strcmp(key, keys[i]) == 0)
				break;
		if (i == __arraycount(keys))
			return pc_yaml_err(y, k, "unknown key '%.64s' (expected "
			    "policy, name, program, default, errno, log or "
			    "rules)", key);
		if (seen[i])
			return pc_yaml_err(y, k, "duplicate key '%s'", key);
		seen[i] = true;
		switch (i) {
		case 0:
			if ((s = pc_yaml_scalar(y, v, key)) == NULL)
				return -1;
			if (strcmp(s, "1") != 0)
				return pc_yaml_err(y, v, "unsupported policy "
				    "format version '%.32s' (expected 1)", s);
			break;
		case 1:
		case 2:
			if ((s = pc_yaml_scalar(y, v, key)) == NULL)
				return -1;
			if (strlen(s) >= POLICY_NAME_MAX)
				return pc_yaml_err(y, v, "'%s' is too long", key);
			if (i == 2 && s[0] != '/')
				return pc_yaml_err(y, v, "%s", "'program' must "
				    "be an absolute path");
			if ((s = pc_strndup(y->arena, s, strlen(s))) == NULL)
				return pc_yaml_err(y, v, "%s", "out of memory");
			if (i == 1)
				pol->name = s;
			else
				pol->program = s;
			break;
		case 3:
			if (pc_yaml_name(y, v, "default", policy_action_names,
			    "permit, deny or ask", &pol->default_action) != 0)
				return -1;
			break;
		case 4:
			if ((s = pc_yaml_scalar(y, v, key)) == NULL)
				return -1;
			if ((pol->default_errno = pc_errno_lookup(s,
			    strlen(s))) == 0)
				return pc_yaml_err(y, v, "unknown errno '%.32s' "
				    "(expected a name such as EPERM or EACCES)", s);
			break;
		case 5:
			if (pc_yaml_name(y, v, "log", pc_log_names,
			    "none, deny or all", &pol->log) != 0)
				return -1;
			break;
		case 6:
			if (v->type == YAML_SCALAR_NODE &&
			    v->data.scalar.length == 0)
				break;	/* "rules:" with nothing */
			if (v->type != YAML_SEQUENCE_NODE)
				return pc_yaml_err(y, v, "%s", "'rules' must be "
				    "a list ('- op: condition then action')");
			for (it = v->data.sequence.items.start;
			    it < v->data.sequence.items.top; it++)
				if (pc_yaml_rule(y, yaml_document_get_node(y->doc,
				    *it)) != 0)
					return -1;
			break;
		}
	}
	if (!seen[0])
		return pc_yaml_err(y, root, "%s", "missing 'policy: 1' (the "
		    "format version)");
	return 0;
}

/* The rest of the stream must be empty: no second document, and no text the
 * first document's structure could not take (which libyaml reports only when
 * asked for the next document). */
static int
pc_yaml_single(struct pc_yaml *y, yaml_parser_t *parser)
{
	yaml_document_t next;
	yaml_node_t *root;
	int rv = 0;

	if (!yaml_parser_load(parser, &next)) {
		const yaml_mark_t *m = parser->problem ? &parser->problem_mark :
		    &parser->context_mark;
		policy_diag_set(y->diag, y->file, (unsigned)m->line + 1,
		    (unsigned)m->column + 1, "YAML: %s%s%s",
		    parser->problem ? parser->problem : "malformed document",
		    parser->context ? " " : "",
		    parser->context ? parser->context : "");
		return -1;
	}
	if ((root = yaml_document_get_root_node(&next)) != NULL) {
		policy_diag_set(y->diag, y->file,
		    (unsigned)root->start_mark.line + 1,
		    (unsigned)root->start_mark.column + 1,
		    "a second YAML document (a policy file holds one)");
		rv = -1;
	}
	yaml_document_delete(&next);
	return rv;
}

int
pc_yaml_parse(struct pc_arena *a, const char *name, const char *text,
    size_t len, struct pc_policy *pol, struct policy_diag *diag)
{
	struct pc_yaml y = { a, name, text, len, NULL, pol, diag };
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	int rv = -1;

	memset(pol, 0, sizeof(*pol));
	pol->default_action = POLICY_ACT_DENY;
	pol->default_errno = pc_errno_lookup("EPERM", 5);
	pol->log = POLICY_LOG_DENY;
	pol->source = name;
	if (len > PC_FILE_MAX) {
		policy_diag_set(diag, name, 0, 0, "policy larger than %u bytes",
		    PC_FILE_MAX);
		return -1;
	}
	if (!yaml_parser_initialize(&parser)) {
		policy_diag_set(diag, name, 0, 0, "out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		const yaml_mark_t *m = parser.problem ? &parser.problem_mark :
		    &parser.context_mark;
		policy_diag_set(diag, name, (unsigned)m->line + 1,
		    (unsigned)m->column + 1, "YAML: %s%s%s",
		    parser.problem ? parser.problem : "malformed document",
		    parser.context ? " " : "",
		    parser.context ? parser.context : "");
		yaml_parser_delete(&parser);
		return -1;
	}
	y.doc = &doc;
	if ((root = yaml_document_get_root_node(&doc)) == NULL)
		policy_diag_set(diag, name, 1, 1, "empty policy (expected "
		    "'policy: 1' and rules)");
	else if (pc_yaml_single(&y, &parser) == 0)
		rv = pc_yaml_top(&y, root);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rv;
}

bool
pc_policy_add(struct pc_arena *a, struct pc_policy *pol,
    const struct pc_rule *r)
{
	if (pol->nrules == pol->caprules) {
		size_t cap = pol->caprules ? pol->caprules * 2 : 64;
		struct pc_rule *n = pc_alloc(a, cap * sizeof(*n));
		if (n == NULL)
			return false;
		if (pol->nrules > 0)
			memcpy(n, pol->rules, pol->nrules * sizeof(*n));
		pol->rules = n;
		pol->caprules = cap;
	}
	pol->rules[pol->nrules++] = *r;
	return true;
}
