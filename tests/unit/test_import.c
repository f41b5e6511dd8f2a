/* test_import.c: systrace policy import: the YAML produced compiles and decides every
 * request exactly as the systrace rules themselves; errors name the systrace file's
 * line and column, and nothing is written on error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static const char *systrace_ls =
    "# systrace policy, as written by systrace -A\n"
    "Policy: /bin/ls, Emulation: native\n"
    "\tnative-__sysctl: permit\n"
    "\tnative-fsread: filename eq \"/etc/malloc.conf\" then permit\n"
    "\tnative-fsread: filename match \"/usr/lib/*\" then permit\n"
    "\tnative-fsread: filename eq \"/etc/it's\" then permit\n"
    "\tnative-fswrite: filename eq \"/dev/tty\" then permit\n"
    "\tnative-open: filename sub \"secret\" then deny[enoent] log\n"
    "\tnative-connect: sockaddr eq \"inet-127.0.0.1:53\" then deny[econnrefused]\n"
    "\tnative-execve: filename eq \"/bin/ls\" and argv match \"ls *\" then permit\n"
    "\n"
    "\tnative-exit: permit\n"
    "\tlinux-fsread: filename inpath \"/emul/linux\" then permit\n";

static char *
import(const char *text, struct policy_diag *d)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	int rv;

	assert_non_null(fp);
	rv = policy_import_systrace("ls.systrace", text, strlen(text), fp, d);
	fclose(fp);
	if (rv != 0) {
		assert_int_equal(len, 0);	/* nothing written on error */
		free(out);
		return NULL;
	}
	return out;
}

static void
test_import_same_meaning(void **state)
{
	static const struct { unsigned op; const char *f; const char *f2; int64_t flags; unsigned emul; } reqs[] = {
		{ POLICY_OP_OPEN, "/etc/malloc.conf", NULL, POLICY_O_RDONLY, POLICY_EMUL_NATIVE },
		{ POLICY_OP_OPEN, "/etc/malloc.conf", NULL, POLICY_O_RDWR, POLICY_EMUL_NATIVE },
		{ POLICY_OP_STAT, "/usr/lib/libc.so", NULL, 0, POLICY_EMUL_NATIVE },
		{ POLICY_OP_STAT, "/usr/lib/libc.so", NULL, 0, POLICY_EMUL_LINUX },
		{ POLICY_OP_OPEN, "/etc/it's", NULL, 0, POLICY_EMUL_NATIVE },
		{ POLICY_OP_OPEN, "/dev/tty", NULL, POLICY_O_WRONLY, POLICY_EMUL_NATIVE },
		{ POLICY_OP_UNLINK, "/dev/tty", NULL, 0, POLICY_EMUL_NATIVE },
		{ POLICY_OP_OPEN, "/home/secret", NULL, POLICY_O_WRONLY, POLICY_EMUL_NATIVE },
		{ POLICY_OP_EXECVE, "/bin/ls", NULL, 0, POLICY_EMUL_NATIVE },
		{ POLICY_OP_STAT, "/emul/linux/lib", NULL, 0, POLICY_EMUL_LINUX },
		{ POLICY_OP_STAT, "/emul/linux/lib", NULL, 0, POLICY_EMUL_NATIVE },
		{ POLICY_OP_OPEN, "/etc/shadow", NULL, 0, POLICY_EMUL_NATIVE },
	};
	struct policy_diag d;
	char *yaml = import(systrace_ls, &d), rules[4096];
	struct policy_loaded *imp, *direct;
	const char *s;
	size_t i, n = 0;

	(void)state;
	if (yaml == NULL)
		fail_msg("%u:%u: %s", d.pd_line, d.pd_col, d.pd_msg);
	assert_non_null(strstr(yaml, "program: '/bin/ls'"));
	assert_non_null(strstr(yaml, "name: 'ls'"));
	assert_non_null(strstr(yaml, "default: ask"));
	assert_non_null(strstr(yaml, "'native-fsread: filename eq \"/etc/it''s\" then permit'"));
	assert_non_null(imp = tu_compile(yaml, &d));
	assert_int_equal(imp->pl_policy.p_nrules, 10);
	/* The same rules compiled directly from their systrace text. */
	n = (size_t)snprintf(rules, sizeof(rules), "policy: 1\ndefault: ask\nrules:\n");
	for (s = systrace_ls; (s = strchr(s, '\t')) != NULL; s++) {
		const char *e = strchr(s, '\n');
		n += (size_t)snprintf(rules + n, sizeof(rules) - n, "  - '");
		for (s++; s < e; s++) {
			if (*s == '\'')
				rules[n++] = '\'';
			rules[n++] = *s;
		}
		n += (size_t)snprintf(rules + n, sizeof(rules) - n, "'\n");
	}
	assert_non_null(direct = tu_compile(rules, &d));
	for (i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
		struct policy_request req;
		struct policy_decision a, b;

		tu_req(&req, reqs[i].op, reqs[i].f);
		req.pr_emul = (uint8_t)reqs[i].emul;
		policy_request_set_int(&req, POLICY_F_FLAGS, reqs[i].flags);
		if (reqs[i].op == POLICY_OP_EXECVE)
			policy_request_set_str(&req, POLICY_F_ARGV, "ls -l /");
		policy_eval(&imp->pl_policy, &req, &a);
		policy_eval(&direct->pl_policy, &req, &b);
		assert_int_equal(a.pd_action, b.pd_action);
		assert_int_equal(a.pd_rule, b.pd_rule);
		assert_int_equal(a.pd_errno, b.pd_errno);
		assert_int_equal(a.pd_log, b.pd_log);
	}
	/* and spot checks of the meaning itself */
	{
		struct policy_request req;
		uint32_t r;

		tu_req(&req, POLICY_OP_OPEN, "/home/secret");
		policy_request_set_int(&req, POLICY_F_FLAGS, POLICY_O_WRONLY);
		assert_int_equal(tu_decide(imp, &req, &r), POLICY_ACT_DENY);
		tu_req(&req, POLICY_OP_STAT, "/emul/linux/x");
		assert_int_equal(tu_decide(imp, &req, &r), POLICY_ACT_ASK);
		req.pr_emul = POLICY_EMUL_LINUX;
		assert_int_equal(tu_decide(imp, &req, &r), POLICY_ACT_PERMIT);
	}
	policy_loaded_free(imp);
	policy_loaded_free(direct);
	free(yaml);
}

static void
test_import_errors(void **state)
{
	static const struct { const char *text; unsigned line, col; const char *msg; } t[] = {
		{ "", 1, 1, "no 'Policy:' header" },
		{ "# only a comment\n", 1, 1, "no 'Policy:' header" },
		{ "\tnative-exit: permit\n", 1, 2, "expected 'Policy: NAME" },
		{ "Policy: /bin/ls, Emulation: native\n\tnative-exit: permt\n", 2, 15, "unknown action" },
		{ "Policy: /bin/ls, Emulation: native\n  native-fsread: filename eqq \"/x\"\n", 2, 27, "unexpected word" },
		{ "Policy: /bin/ls, Emulation: vax\n", 1, 29, "unknown emulation 'vax'" },
		{ "Policy: /bin/ls, Emul: native\n", 1, 18, "expected 'Emulation: NAME'" },
		{ "Policy: , Emulation: native\n", 1, 9, "expected a policy name" },
		{ "Policy: /bin/ls, Emulation: native\nPolicy: /bin/cat, Emulation: native\n", 2, 1, "a second 'Policy:'" },
		{ "Policy: /bin/ls, Emulation: native\n\tbsd-open: permit\n", 2, 2, "unknown emulation 'bsd'" },
		{ "Policy: /bin/ls, Emulation: native\n\tnative-open: filename eq \"/x\" then permit, if user = root\n", 2, 43, "unexpected character ','" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		struct policy_diag d;

		memset(&d, 0, sizeof(d));
		assert_null(import(t[i].text, &d));
		if (strstr(d.pd_msg, t[i].msg) == NULL || d.pd_line != t[i].line ||
		    d.pd_col != t[i].col)
			fail_msg("case %zu: %u:%u: %s; want %u:%u ...%s...", i,
			    d.pd_line, d.pd_col, d.pd_msg, t[i].line, t[i].col,
			    t[i].msg);
		assert_string_equal(d.pd_file, "ls.systrace");
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import_same_meaning),
		cmocka_unit_test(test_import_errors),
	};

	return cmocka_run_group_tests_name("import", tests, NULL, NULL);
}
