/* policy_widen.c: the rule an "always" answer writes, exact or widened (the path to its
 * directory with inpath, or to a match pattern), checked by the compiler and the engine. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_interactive.h"

/* s quoted as the rule language reads it; false if it cannot be. */
static bool
policy_widen_quote(const char *s, char *out, size_t cap)
{
	size_t j = 0;

	if (cap < 3)
		return false;
	out[j++] = '"';
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (j + 4 >= cap || c < 0x20 || c == 0x7f)
			return false;
		if (c == '"' || c == '\\')
			out[j++] = '\\';
		out[j++] = (char)c;
	}
	out[j++] = '"';
	out[j] = '\0';
	return true;
}

/* The directory of an absolute path ("/" for "/x"). */
static void
policy_widen_dir(const char *path, char *out, size_t cap)
{
	const char *slash = strrchr(path, '/');
	size_t n = slash == NULL ? 0 : (size_t)(slash - path);

	if (n == 0)
		snprintf(out, cap, "/");
	else
		snprintf(out, cap, "%.*s", (int)n, path);
}

void
policy_widen_defaults(const struct policy_request *r, char *dir, size_t dcap,
    char *pattern, size_t pcap)
{
	const char *base, *dot;

	dir[0] = pattern[0] = '\0';
	if (!(r->pr_present & (1u << POLICY_F_FILENAME)) ||
	    r->pr_filename[0] != '/')
		return;
	policy_widen_dir(r->pr_filename, dir, dcap);
	base = strrchr(r->pr_filename, '/') + 1;
	dot = strrchr(base, '.');
	snprintf(pattern, pcap, "%s/*%s", strcmp(dir, "/") == 0 ? "" : dir,
	    dot != NULL && dot != base ? dot : "");
}

/*
 * Does the one-rule policy made of rule decide r with that rule, and as
 * action?  The compiler reads the rule as the policy file will; the
 * engine evaluates it on the request the alarm carried.
 */
static int
policy_widen_check(const struct policy_request *r, unsigned action,
    const char *rule, char *err, size_t errlen)
{
	struct policy_diag diag;
	struct policy_loaded *pl;
	struct policy_decision d;
	char *yaml;
	void *blob;
	size_t bsize;
	int rv = -1;

	if ((yaml = policy_yaml_one_rule(action == POLICY_ACT_PERMIT ?
	    "policy: 1\nname: check\ndefault: deny\n" :
	    "policy: 1\nname: check\ndefault: permit\n", rule)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memset(&diag, 0, sizeof(diag));
	if (policy_compile_buffer("rule", yaml, strlen(yaml), &blob, &bsize,
	    &diag) != 0) {
		snprintf(err, errlen, "the rule does not compile: %s",
		    diag.pd_msg);
		goto out;
	}
	pl = policy_load_blob(blob, bsize, "rule", &diag);
	free(blob);
	if (pl == NULL) {
		snprintf(err, errlen, "the rule does not load: %s", diag.pd_msg);
		goto out;
	}
	memset(&d, 0, sizeof(d));
	policy_eval(&pl->pl_policy, r, &d);
	policy_loaded_free(pl);
	if (d.pd_rule != 0 || d.pd_action != action) {
		snprintf(err, errlen, "the rule does not cover this call");
		goto out;
	}
	rv = 0;
out:
	free(yaml);
	return rv;
}

int
policy_widen_rule(const struct policy_request *r, unsigned action,
    unsigned perrno, unsigned how, const char *pattern, char *buf,
    size_t cap, char *err, size_t errlen)
{
	char exact[POLICY_PATH_MAX * 2 + 128], from[POLICY_PATH_MAX * 2 + 32];
	char to[POLICY_PATH_MAX * 2 + 32], q[POLICY_PATH_MAX * 2 + 4];
	char dir[POLICY_PATH_MAX];
	const char *at;
	int n;

	if (policy_request_rule(r, action, perrno, exact, sizeof(exact)) != 0) {
		snprintf(err, errlen, "this call cannot be written as a rule "
		    "(control characters in its arguments)");
		return -1;
	}
	if (how == POLICY_WIDEN_EXACT) {
		if (snprintf(buf, cap, "%s", exact) >= (int)cap) {
			snprintf(err, errlen, "the rule is too long");
			return -1;
		}
		return policy_widen_check(r, action, buf, err, errlen);
	}
	if (how != POLICY_WIDEN_DIR && how != POLICY_WIDEN_MATCH) {
		snprintf(err, errlen, "unknown way to widen a rule");
		return -1;
	}
	if (!(r->pr_present & (1u << POLICY_F_FILENAME)) ||
	    r->pr_filename[0] != '/' ||
	    !policy_widen_quote(r->pr_filename, q, sizeof(q))) {
		snprintf(err, errlen, "only a rule on an absolute file name can "
		    "be widened");
		return -1;
	}
	snprintf(from, sizeof(from), "filename eq %s", q);
	if ((at = strstr(exact, from)) == NULL) {
		snprintf(err, errlen, "this rule has no file name to widen");
		return -1;
	}
	if (how == POLICY_WIDEN_DIR) {
		policy_widen_dir(r->pr_filename, dir, sizeof(dir));
		pattern = dir;
	} else if (pattern == NULL || pattern[0] == '\0') {
		snprintf(err, errlen, "a match pattern is needed");
		return -1;
	}
	if (!policy_widen_quote(pattern, q, sizeof(q))) {
		snprintf(err, errlen, "the pattern is too long or holds control "
		    "characters");
		return -1;
	}
	snprintf(to, sizeof(to), "filename %s %s",
	    how == POLICY_WIDEN_DIR ? "inpath" : "match", q);
	n = snprintf(buf, cap, "%.*s%s%s", (int)(at - exact), exact, to,
	    at + strlen(from));
	if (n < 0 || (size_t)n >= cap) {
		snprintf(err, errlen, "the rule is too long");
		return -1;
	}
	return policy_widen_check(r, action, buf, err, errlen);
}
