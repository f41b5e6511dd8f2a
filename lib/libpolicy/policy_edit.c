/* policy_edit.c: changes to policy files that must never lose anything: atomic file
 * replacement, and adding a rule to a YAML policy with its comments and order kept. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "policy_compile.h"

int
policy_write_atomic(const char *path, const void *data, size_t size,
    mode_t mode, struct policy_diag *diag)
{
	char tmp[4096], dir[4096];
	const char *p = data;
	int fd, dfd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path) >= (int)sizeof(tmp)) {
		policy_diag_set(diag, path, 0, 0, "path too long");
		return -1;
	}
	if ((fd = mkstemp(tmp)) == -1) {
		policy_diag_set(diag, path, 0, 0, "cannot create %s: %s", tmp,
		    strerror(errno));
		return -1;
	}
	while (size > 0) {
		ssize_t n = write(fd, p, size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		p += n;
		size -= (size_t)n;
	}
	if (fchmod(fd, mode) != 0 || fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	/* make the rename itself durable */
	snprintf(dir, sizeof(dir), "%s", path);
	if ((dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) != -1) {
		(void)fsync(dfd);
		close(dfd);
	}
	return 0;
fail:
	policy_diag_set(diag, path, 0, 0, "cannot write: %s", strerror(errno));
	if (fd != -1)
		close(fd);
	unlink(tmp);
	return -1;
}

/* Where and how to insert a new rule: at byte offset at, either as a block
 * list item (after a newline if need_nl, under a new "rules:" if add_key)
 * or as a flow list element (after ", " if the list has items). */
struct policy_spot {
	size_t		at;
	bool		block, need_nl, add_key, flow_items, flow_before;
	unsigned	indent;
};

/* The end of the line holding byte i (just after its newline, or len). */
static size_t
policy_line_end(const char *text, size_t len, size_t i)
{
	while (i < len && text[i] != '\n')
		i++;
	return i < len ? i + 1 : len;
}

/* The start of the line holding byte i. */
static size_t
policy_line_start(const char *text, size_t i)
{
	while (i > 0 && text[i - 1] != '\n')
		i--;
	return i;
}

/* Is the line starting at ls a comment alone, indented by exactly ind? */
static bool
policy_comment_line(const char *text, size_t len, size_t ls, unsigned ind)
{
	size_t i = ls;

	while (i < len && text[i] == ' ')
		i++;
	return i - ls == ind && i < len && text[i] == '#';
}

/*
 * Before block item n: at the start of its line, and above the comment
 * lines at its indentation that lead into it (they describe it), but not
 * above the end of the item before it.
 */
static void
policy_spot_before(const char *text, size_t len, yaml_document_t *doc,
    yaml_node_t *v, size_t n, struct policy_spot *sp)
{
	yaml_node_t *item = yaml_document_get_node(doc,
	    v->data.sequence.items.start[n]);
	size_t i = item->start_mark.index, ls = policy_line_start(text, i);
	size_t floor = 0;

	while (i > ls && text[i] != '-')
		i--;
	sp->indent = (unsigned)(i - ls);
	if (n > 0) {
		yaml_node_t *prev = yaml_document_get_node(doc,
		    v->data.sequence.items.start[n - 1]), *tail = prev;

		if (prev->type == YAML_MAPPING_NODE &&
		    prev->data.mapping.pairs.top > prev->data.mapping.pairs.start)
			tail = yaml_document_get_node(doc,
			    prev->data.mapping.pairs.top[-1].value);
		floor = policy_line_end(text, len, tail->end_mark.index > 0 ?
		    tail->end_mark.index - 1 : 0);
	}
	while (ls > floor && ls > 0) {
		size_t pl = policy_line_start(text, ls - 1);

		if (!policy_comment_line(text, len, pl, sp->indent))
			break;
		ls = pl;
	}
	sp->at = ls;
}

static int
policy_find_spot(const char *name, const char *text, size_t len,
    size_t before, struct policy_spot *sp, struct policy_diag *diag)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root, *k, *v = NULL;
	yaml_node_pair_t *pr;
	int rv = -1;

	if (!yaml_parser_initialize(&parser)) {
		policy_diag_set(diag, name, 0, 0, "out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, &doc)) {
		policy_diag_set(diag, name, (unsigned)parser.problem_mark.line + 1,
		    (unsigned)parser.problem_mark.column + 1, "YAML: %s",
		    parser.problem ? parser.problem : "malformed document");
		yaml_parser_delete(&parser);
		return -1;
	}
	root = yaml_document_get_root_node(&doc);
	if (root == NULL || root->type != YAML_MAPPING_NODE) {
		policy_diag_set(diag, name, 1, 1, "not a policy mapping");
		goto out;
	}
	for (pr = root->data.mapping.pairs.start;
	    pr < root->data.mapping.pairs.top; pr++) {
		k = yaml_document_get_node(&doc, pr->key);
		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, "rules") == 0)
			v = yaml_document_get_node(&doc, pr->value);
	}
	memset(sp, 0, sizeof(*sp));
	sp->indent = 2;
	sp->block = true;
	if (v == NULL) {		/* no rules yet: add the key at the end */
		sp->at = len;
		sp->add_key = true;
	} else if (v->type == YAML_SCALAR_NODE && v->data.scalar.length == 0) {
		/* "rules:" with nothing after it */
		sp->at = policy_line_end(text, len, v->start_mark.index);
	} else if (v->type == YAML_SEQUENCE_NODE &&
	    v->data.sequence.style == YAML_FLOW_SEQUENCE_STYLE) {
		/* rules: [ ... ] : add before the closing bracket */
		size_t end = v->end_mark.index;
		while (end > v->start_mark.index && text[end - 1] != ']')
			end--;
		if (end == v->start_mark.index) {
			policy_diag_set(diag, name, (unsigned)v->start_mark.line + 1,
			    (unsigned)v->start_mark.column + 1,
			    "cannot find the end of the rules list");
			goto out;
		}
		sp->at = end - 1;
		sp->block = false;
		sp->flow_items = v->data.sequence.items.top >
		    v->data.sequence.items.start;
		if (before < (size_t)(v->data.sequence.items.top -
		    v->data.sequence.items.start)) {
			yaml_node_t *item = yaml_document_get_node(&doc,
			    v->data.sequence.items.start[before]);

			sp->at = item->start_mark.index;
			sp->flow_before = true;
		}
	} else if (v->type == YAML_SEQUENCE_NODE &&
	    before < (size_t)(v->data.sequence.items.top -
	    v->data.sequence.items.start)) {
		policy_spot_before(text, len, &doc, v, before, sp);
	} else if (v->type == YAML_SEQUENCE_NODE &&
	    v->data.sequence.items.top > v->data.sequence.items.start) {
		/* block list: after the last item, at the items' indentation */
		yaml_node_t *last = yaml_document_get_node(&doc,
		    v->data.sequence.items.top[-1]), *tail = last;
		size_t i = last->start_mark.index, ls = i;

		/* A mapping's end mark lies past the comments that follow it;
		 * its last value's end mark does not. */
		if (last->type == YAML_MAPPING_NODE &&
		    last->data.mapping.pairs.top > last->data.mapping.pairs.start)
			tail = yaml_document_get_node(&doc,
			    last->data.mapping.pairs.top[-1].value);

		while (ls > 0 && text[ls - 1] != '\n')
			ls--;
		while (i > ls && text[i] != '-')
			i--;
		sp->indent = (unsigned)(i - ls);
		sp->at = policy_line_end(text, len, tail->end_mark.index > 0 ?
		    tail->end_mark.index - 1 : 0);
	} else {
		policy_diag_set(diag, name, (unsigned)v->start_mark.line + 1,
		    (unsigned)v->start_mark.column + 1,
		    "'rules' must be a list");
		goto out;
	}
	sp->need_nl = sp->block && sp->at > 0 && text[sp->at - 1] != '\n';
	rv = 0;
out:
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return rv;
}

void
policy_yaml_quoted(FILE *fp, const char *s, size_t n)
{
	size_t i;

	fputc('\'', fp);
	for (i = 0; i < n; i++) {
		if (s[i] == '\'')
			fputc('\'', fp);	/* YAML: '' is ' */
		fputc(s[i], fp);
	}
	fputc('\'', fp);
}

char *
policy_yaml_one_rule(const char *head, const char *rule)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp;

	if ((fp = open_memstream(&out, &len)) == NULL)
		return NULL;
	fprintf(fp, "%srules:\n  - ", head);
	policy_yaml_quoted(fp, rule, strlen(rule));
	fputc('\n', fp);
	if (fclose(fp) != 0) {
		free(out);
		return NULL;
	}
	return out;
}

char *
policy_yaml_with_rule(const char *name, const char *text, size_t len,
    const char *rule, const char *comment, struct policy_diag *diag)
{
	return policy_yaml_with_rule_at(name, text, len, POLICY_NONE, rule,
	    comment, diag);
}

char *
policy_yaml_with_rule_at(const char *name, const char *text, size_t len,
    uint32_t at, const char *rule, const char *comment,
    struct policy_diag *diag)
{
	struct policy_spot sp;
	char *out = NULL;
	size_t olen = 0;
	FILE *fp;
	void *blob;
	size_t bsize;
	struct policy_loaded *before, *after;
	uint32_t nbefore;

	if (strchr(rule, '\n') != NULL) {
		policy_diag_set(diag, name, 0, 0, "a rule is one line");
		return NULL;
	}
	if (policy_compile_buffer(name, text, len, &blob, &bsize, diag) != 0)
		return NULL;
	before = policy_load_blob(blob, bsize, name, diag);
	free(blob);
	if (before == NULL)
		return NULL;
	nbefore = before->pl_policy.p_nrules;
	policy_loaded_free(before);
	if (at >= nbefore)
		at = nbefore;		/* append */
	if (policy_find_spot(name, text, len, at, &sp, diag) != 0 ||
	    (fp = open_memstream(&out, &olen)) == NULL)
		return NULL;
	fwrite(text, 1, sp.at, fp);
	if (sp.block) {
		if (sp.need_nl)
			fputc('\n', fp);
		if (sp.add_key)
			fputs("rules:\n", fp);
		if (comment != NULL && comment[0] != '\0' &&
		    strchr(comment, '\n') == NULL)
			fprintf(fp, "%*s# %s\n", (int)sp.indent, "", comment);
		fprintf(fp, "%*s- ", (int)sp.indent, "");
	} else if (sp.flow_items && !sp.flow_before)
		fputs(", ", fp);
	policy_yaml_quoted(fp, rule, strlen(rule));
	if (sp.block)
		fputc('\n', fp);
	else if (sp.flow_before)
		fputs(", ", fp);
	fwrite(text + sp.at, 1, len - sp.at, fp);
	if (fclose(fp) != 0) {
		free(out);
		policy_diag_set(diag, name, 0, 0, "out of memory");
		return NULL;
	}
	/* The result must compile, with exactly one rule more. */
	if (policy_compile_buffer(name, out, olen, &blob, &bsize, diag) != 0) {
		free(out);
		return NULL;
	}
	after = policy_load_blob(blob, bsize, name, diag);
	free(blob);
	if (after == NULL || after->pl_policy.p_nrules != nbefore + 1 ||
	    strcmp(policy_str(&after->pl_policy,
	    after->pl_policy.p_rules[at].pr_text), rule) != 0) {
		if (after != NULL)
			policy_diag_set(diag, name, 0, 0, "adding the rule did not "
			    "add exactly this one rule at position %u",
			    (unsigned)at + 1);
		policy_loaded_free(after);
		free(out);
		return NULL;
	}
	policy_loaded_free(after);
	return out;
}

int
policy_yaml_append_rule(const char *path, const char *rule,
    const char *comment, struct policy_diag *diag)
{
	return policy_yaml_insert_rule(path, POLICY_NONE, rule, comment, diag);
}

int
policy_yaml_insert_rule(const char *path, uint32_t at, const char *rule,
    const char *comment, struct policy_diag *diag)
{
	struct stat st;
	char *text, *out;
	size_t len;
	int rv;

	if (policy_read_file(path, &text, &len, diag) != 0)
		return -1;
	if (stat(path, &st) != 0)
		st.st_mode = 0644;
	out = policy_yaml_with_rule_at(path, text, len, at, rule, comment, diag);
	free(text);
	if (out == NULL)
		return -1;
	rv = policy_write_atomic(path, out, strlen(out), st.st_mode & 07777,
	    diag);
	free(out);
	return rv;
}
