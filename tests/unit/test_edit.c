/* test_edit.c: appending a rule to a YAML policy keeps every other byte (comments,
 * order, layout), adds exactly one rule, refuses a bad rule, and replaces atomically. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

/* Append, then check the text and that the new rule is the last one. */
static char *
append_ok(const char *in, const char *rule, const char *comment)
{
	struct policy_diag d;
	char *out = policy_yaml_with_rule("p.yaml", in, strlen(in), rule,
	    comment, &d);
	struct policy_loaded *pl;
	const struct policy *p;

	if (out == NULL)
		fail_msg("%u:%u: %s", d.pd_line, d.pd_col, d.pd_msg);
	assert_non_null(pl = tu_compile(out, &d));
	p = &pl->pl_policy;
	assert_true(p->p_nrules >= 1);
	assert_string_equal(policy_str(p, p->p_rules[p->p_nrules - 1].pr_text),
	    rule);
	policy_loaded_free(pl);
	return out;
}

static void
test_block_list(void **state)
{
	const char *in =
	    "# a policy\npolicy: 1   # version\nrules:\n"
	    "  # reading\n  - open: filename eq \"/a\" then permit  # first\n"
	    "  - stat: then permit\n"
	    "# trailing comment\nname: x\n";
	char *out;

	(void)state;
	out = append_ok(in, "open: filename eq \"/it's\" then deny", "always, by policyd");
	assert_string_equal(out,
	    "# a policy\npolicy: 1   # version\nrules:\n"
	    "  # reading\n  - open: filename eq \"/a\" then permit  # first\n"
	    "  - stat: then permit\n"
	    "  # always, by policyd\n"
	    "  - 'open: filename eq \"/it''s\" then deny'\n"
	    "# trailing comment\nname: x\n");
	free(out);
	/* zero indentation, no final newline */
	out = append_ok("policy: 1\nrules:\n- kill: then deny", "getpid: permit", NULL);
	assert_string_equal(out, "policy: 1\nrules:\n- kill: then deny\n- 'getpid: permit'\n");
	free(out);
	/* a multi-line last item */
	out = append_ok("policy: 1\nrules:\n    - open: filename eq \"/a\"\n"
	    "        then permit\nlog: all\n", "stat: then deny", NULL);
	assert_string_equal(out, "policy: 1\nrules:\n    - open: filename eq \"/a\"\n"
	    "        then permit\n    - 'stat: then deny'\nlog: all\n");
	free(out);
}

static void
test_other_shapes(void **state)
{
	char *out;

	(void)state;
	out = append_ok("policy: 1\ndefault: deny\n", "getpid: permit", "c");
	assert_string_equal(out, "policy: 1\ndefault: deny\nrules:\n  # c\n  - 'getpid: permit'\n");
	free(out);
	out = append_ok("policy: 1\ndefault: deny", "getpid: permit", NULL);
	assert_string_equal(out, "policy: 1\ndefault: deny\nrules:\n  - 'getpid: permit'\n");
	free(out);
	out = append_ok("policy: 1\nrules:\nname: n\n", "getpid: permit", NULL);
	assert_string_equal(out, "policy: 1\nrules:\n  - 'getpid: permit'\nname: n\n");
	free(out);
	out = append_ok("policy: 1\nrules: []\n", "getpid: permit", NULL);
	assert_string_equal(out, "policy: 1\nrules: ['getpid: permit']\n");
	free(out);
	out = append_ok("policy: 1\nrules: ['kill: deny']\n", "getpid: permit", NULL);
	assert_string_equal(out, "policy: 1\nrules: ['kill: deny', 'getpid: permit']\n");
	free(out);
}

static void
test_refusals(void **state)
{
	struct policy_diag d;

	(void)state;
	assert_null(policy_yaml_with_rule("p.yaml", "policy: 1\n", 10,
	    "open: then permt", NULL, &d));
	assert_non_null(strstr(d.pd_msg, "unknown action"));
	assert_null(policy_yaml_with_rule("p.yaml", "policy: 1\n", 10,
	    "open: then permit\n  - kill: deny", NULL, &d));
	assert_non_null(strstr(d.pd_msg, "one line"));
	assert_null(policy_yaml_with_rule("p.yaml", "policy: 2\n", 10,
	    "open: then permit", NULL, &d));
	assert_non_null(strstr(d.pd_msg, "version"));
	assert_null(policy_yaml_with_rule("p.yaml", "policy: 1\nrules: x\n", 19,
	    "open: then permit", NULL, &d));
}

static void
test_append_file(void **state)
{
	char path[] = "/tmp/policy-edit-XXXXXX";
	const char *in = "policy: 1\n# keep me\nrules:\n  - kill: deny\n";
	struct policy_diag d;
	struct stat st;
	char *text;
	size_t len;
	FILE *fp;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) >= 0);
	assert_non_null(fp = fdopen(fd, "w"));
	fputs(in, fp);
	fclose(fp);
	assert_int_equal(chmod(path, 0640), 0);
	assert_int_equal(policy_yaml_append_rule(path, "getpid: permit", NULL, &d), 0);
	assert_int_equal(policy_read_file(path, &text, &len, &d), 0);
	assert_string_equal(text, "policy: 1\n# keep me\nrules:\n  - kill: deny\n  - 'getpid: permit'\n");
	free(text);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	/* a bad rule leaves the file exactly as it was */
	assert_int_equal(policy_yaml_append_rule(path, "open: then permt", NULL, &d), -1);
	assert_int_equal(policy_read_file(path, &text, &len, &d), 0);
	assert_string_equal(text, "policy: 1\n# keep me\nrules:\n  - kill: deny\n  - 'getpid: permit'\n");
	free(text);
	unlink(path);
	assert_int_equal(policy_yaml_append_rule(path, "getpid: permit", NULL, &d), -1);
	assert_non_null(strstr(d.pd_msg, "cannot open"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_block_list),
		cmocka_unit_test(test_other_shapes),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_append_file),
	};

	return cmocka_run_group_tests_name("edit", tests, NULL, NULL);
}
