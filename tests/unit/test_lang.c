/* test_lang.c: the rule language's accept/reject table (each reject with its exact
 * line:column and message) and YAML-level errors with exact positions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "policy_compile.h"

struct lang_case {
	const char	*rule;
	int		ok;
	const char	*at;	/* reject: text at the error column (NULL: col 5) */
	const char	*msg;	/* reject: substring of the message */
};

static const struct lang_case cases[] = {
	/* every operation and alias */
	{ "open: then permit", 1, NULL, NULL },
	{ "access: then permit", 1, NULL, NULL },
	{ "stat: then permit", 1, NULL, NULL },
	{ "readlink: then permit", 1, NULL, NULL },
	{ "chdir: then permit", 1, NULL, NULL },
	{ "unlink: then permit", 1, NULL, NULL },
	{ "rename: then permit", 1, NULL, NULL },
	{ "mkdir: then permit", 1, NULL, NULL },
	{ "rmdir: then permit", 1, NULL, NULL },
	{ "link: then permit", 1, NULL, NULL },
	{ "symlink: then permit", 1, NULL, NULL },
	{ "chmod: then permit", 1, NULL, NULL },
	{ "chown: then permit", 1, NULL, NULL },
	{ "truncate: then permit", 1, NULL, NULL },
	{ "utimes: then permit", 1, NULL, NULL },
	{ "execve: then permit", 1, NULL, NULL },
	{ "connect: then permit", 1, NULL, NULL },
	{ "bind: then permit", 1, NULL, NULL },
	{ "sendto: then permit", 1, NULL, NULL },
	{ "sendmsg: then permit", 1, NULL, NULL },
	{ "socket: then permit", 1, NULL, NULL },
	{ "kill: then permit", 1, NULL, NULL },
	{ "ptrace: then permit", 1, NULL, NULL },
	{ "mount: then permit", 1, NULL, NULL },
	{ "unmount: then permit", 1, NULL, NULL },
	{ "syscall: then permit", 1, NULL, NULL },
	{ "fsread: then permit", 1, NULL, NULL },
	{ "fswrite: then permit", 1, NULL, NULL },
	/* synonyms and system calls by name */
	{ "openat: filename eq \"/x\" then permit", 1, NULL, NULL },
	{ "openat2: then permit", 1, NULL, NULL },
	{ "creat: then deny", 1, NULL, NULL },
	{ "newfstatat: then permit", 1, NULL, NULL },
	{ "statx: then permit", 1, NULL, NULL },
	{ "renameat2: then permit", 1, NULL, NULL },
	{ "unlinkat: then permit", 1, NULL, NULL },
	{ "fchmodat: then permit", 1, NULL, NULL },
	{ "execveat: then permit", 1, NULL, NULL },
	{ "tgkill: then deny", 1, NULL, NULL },
	{ "umount2: then deny", 1, NULL, NULL },
	{ "getpid: then permit", 1, NULL, NULL },
	{ "getpid: permit", 1, NULL, NULL },
	{ "__sysctl: permit", 1, NULL, NULL },
	{ "mmap: then permit", 1, NULL, NULL },
	{ "io_uring_setup: then deny[ENOSYS]", 1, NULL, NULL },
	{ "syscall: syscall match \"get*\" then permit", 1, NULL, NULL },
	/* emulation prefixes */
	{ "native-open: then permit", 1, NULL, NULL },
	{ "netbsd32-open: then permit", 1, NULL, NULL },
	{ "linux-open: then permit", 1, NULL, NULL },
	{ "linux32-open: then permit", 1, NULL, NULL },
	{ "native-fsread: filename eq \"/etc/malloc.conf\" then permit", 1, NULL, NULL },
	{ "linux-getpid: permit", 1, NULL, NULL },
	/* every operator on a string field */
	{ "open: filename eq \"/x\" then permit", 1, NULL, NULL },
	{ "open: filename neq \"/x\" then permit", 1, NULL, NULL },
	{ "open: filename match \"/usr/lib/*\" then permit", 1, NULL, NULL },
	{ "open: filename nmatch \"/usr/lib/*\" then permit", 1, NULL, NULL },
	{ "open: filename re \"^/tmp/[a-z]+$\" then permit", 1, NULL, NULL },
	{ "open: filename nre \"\\\\.so$\" then permit", 1, NULL, NULL },
	{ "open: filename sub \"passwd\" then deny", 1, NULL, NULL },
	{ "open: filename nsub \"passwd\" then permit", 1, NULL, NULL },
	{ "open: filename inpath \"/tmp\" then permit", 1, NULL, NULL },
	{ "rename: filename2 inpath \"/tmp\" then permit", 1, NULL, NULL },
	{ "connect: sockaddr eq \"inet-127.0.0.1:53\" then permit", 1, NULL, NULL },
	{ "connect: sockaddr match \"inet6-*:443\" then permit", 1, NULL, NULL },
	{ "bind: sockaddr match \"unix-/tmp/*\" then permit", 1, NULL, NULL },
	{ "execve: argv match \"ls *\" then permit", 1, NULL, NULL },
	{ "execve: filename eq \"/bin/ls\" and argv sub \"-l\" then permit", 1, NULL, NULL },
	{ "open: filename match \"/a/[!x]?\" then permit", 1, NULL, NULL },
	{ "open: filename eq \"\" then deny", 1, NULL, NULL },
	{ "open: filename eq \"quote\\\"in\" then deny", 1, NULL, NULL },
	{ "open: filename eq \"tab\\there\" then deny", 1, NULL, NULL },
	{ "open: filename re \"(a|b)*c{1,3}\" then deny", 1, NULL, NULL },
	{ "open: filename re \"[[:digit:]]+\" then deny", 1, NULL, NULL },
	{ "open: filename match \"*\" then permit", 1, NULL, NULL },
	{ "open: filename eq unquoted_word then permit", 1, NULL, NULL },
	/* integer fields */
	{ "open: flags sub \"O_RDONLY\" then permit", 1, NULL, NULL },
	{ "open: flags sub \"O_WRONLY|O_CREAT\" then permit", 1, NULL, NULL },
	{ "open: flags nsub \"O_CREAT\" then permit", 1, NULL, NULL },
	{ "open: flags eq \"O_RDWR | O_APPEND\" then permit", 1, NULL, NULL },
	{ "open: flags eq \"o_rdonly\" then permit", 1, NULL, NULL },
	{ "open: flags sub \"0x40\" then permit", 1, NULL, NULL },
	{ "chmod: mode eq \"0644\" then permit", 1, NULL, NULL },
	{ "chmod: mode sub \"04000\" then deny", 1, NULL, NULL },
	{ "chmod: mode neq 0755 then deny", 1, NULL, NULL },
	{ "chown: uid eq \"0\" then deny", 1, NULL, NULL },
	{ "chown: gid neq \"100\" then deny", 1, NULL, NULL },
	{ "kill: signal eq \"SIGKILL\" then deny", 1, NULL, NULL },
	{ "kill: signal eq \"sigterm\" then permit", 1, NULL, NULL },
	{ "kill: signal eq \"9\" then deny", 1, NULL, NULL },
	{ "kill: signal eq \"0\" then permit", 1, NULL, NULL },	/* the null signal */
	{ "kill: signal eq \"34\" then permit", 1, NULL, NULL },	/* real-time */
	{ "kill: pid eq \"1\" then deny", 1, NULL, NULL },
	{ "kill: pid eq \"-1\" then deny", 1, NULL, NULL },
	{ "socket: domain eq \"AF_INET\" and type eq \"SOCK_STREAM\" then permit", 1, NULL, NULL },
	{ "socket: domain eq \"AF_PACKET\" then deny", 1, NULL, NULL },
	{ "socket: protocol eq \"6\" then permit", 1, NULL, NULL },
	{ "ptrace: request eq \"16\" then deny", 1, NULL, NULL },
	{ "socket: domain eq AF_UNIX then permit", 1, NULL, NULL },
	/* actions */
	{ "open: then deny", 1, NULL, NULL },
	{ "open: then ask", 1, NULL, NULL },
	{ "open: then deny[EACCES]", 1, NULL, NULL },
	{ "open: then deny[enoent]", 1, NULL, NULL },
	{ "open: then deny[E2BIG] log", 1, NULL, NULL },
	{ "open: then permit log", 1, NULL, NULL },
	{ "open: ask log", 1, NULL, NULL },
	{ "open: deny[EROFS]", 1, NULL, NULL },
	{ "open: then PERMIT", 1, NULL, NULL },
	/* boolean structure */
	{ "open: filename eq \"/a\" or filename eq \"/b\" then permit", 1, NULL, NULL },
	{ "open: filename eq \"/a\" and flags sub \"O_RDONLY\" then permit", 1, NULL, NULL },
	{ "open: not filename eq \"/a\" then deny", 1, NULL, NULL },
	{ "open: ! filename eq \"/a\" then deny", 1, NULL, NULL },
	{ "open: filename eq \"/a\" && filename2 eq \"/b\" then deny", 1, NULL, NULL },
	{ "open: filename eq \"/a\" || filename eq \"/b\" then deny", 1, NULL, NULL },
	{ "open: (filename eq \"/a\" or filename eq \"/b\") and flags sub \"O_RDONLY\" then permit", 1, NULL, NULL },
	{ "open: not (filename eq \"/a\" or filename eq \"/b\") then deny", 1, NULL, NULL },
	{ "open: ((filename eq \"/a\")) then permit", 1, NULL, NULL },
	{ "open: not not filename eq \"/a\" then permit", 1, NULL, NULL },
	{ "open: filename eq \"/a\"   then    permit   # trailing comment", 1, NULL, NULL },

	/* --- rejects --- */
	{ "bogus-open: then permit", 0, "bogus", "unknown emulation 'bogus'" },
	{ "linux64-open: then permit", 0, "linux64", "unknown emulation" },
	{ "native-: then permit", 0, ": then", "not an operation" },
	{ "GETPID: then permit", 0, "GETPID", "not an operation" },
	{ "get-pid-x: then permit", 0, "get", "unknown emulation" },
	{ "9open: then permit", 0, "9open", "not an operation" },
	{ "averyveryveryveryverylongsyscallname: permit", 0, "avery", "not an operation" },
	{ "open then permit", 0, "then", "expecting ':'" },
	{ "open: filenam eq \"/x\" then permit", 0, "filenam", "unknown field 'filenam'" },
	{ "open: path eq \"/x\" then permit", 0, "path", "unknown field" },
	{ "open: filename eqq \"/x\" then permit", 0, "eqq", "unexpected word" },
	{ "open: filename is \"/x\" then permit", 0, "is", "expecting" },
	{ "open: filename eq \"/x\" permit", 0, "permit", "expecting then" },
	{ "open: filename eq \"/x\" then", 0, NULL, "unexpected end of rule" },
	{ "open: filename eq \"/x\"", 0, NULL, "unexpected end of rule" },
	{ "open: filename eq then permit", 0, "then", "expecting word or quoted string" },
	{ "open: eq \"/x\" then permit", 0, "eq", "expecting" },
	{ "open: then permt", 0, "permt", "unknown action 'permt'" },
	{ "open: then allow", 0, "allow", "unknown action" },
	{ "open: then deny[EFOO]", 0, "EFOO", "unknown errno 'EFOO'" },
	{ "open: then deny[]", 0, "]", "expecting word" },
	{ "open: then deny[EPERM", 0, NULL, "expecting ']'" },
	{ "open: then permit[EPERM]", 0, "permit", "only 'deny' takes an errno" },
	{ "open: then ask[EPERM]", 0, "ask", "only 'deny' takes an errno" },
	{ "open: then permit log log", 0, "^^log", "'log' given twice" },
	/* widen: a move the rule permits may change other rules' decisions */
	{ "rename: then permit widen", 1, NULL, NULL },
	{ "link: filename eq \"/a\" then ask widen log", 1, NULL, NULL },
	{ "open: then permit widen", 0, "widen", "rename and link rules only" },
	{ "fswrite: then permit widen", 0, "widen", "rename and link rules only" },
	{ "rename: then deny widen", 0, "widen", "means nothing" },
	{ "rename: then permit widen widen", 0, "^^widen", "'widen' given twice" },
	{ "open: then permit extra", 0, "extra", "expecting end of rule" },
	{ "open: then", 0, NULL, "unexpected end of rule" },
	{ "open: filename eq \"/x then permit", 0, "\"/x", "unterminated string" },
	{ "open: filename eq \"/x\\\" then permit", 0, "\"/x", "unterminated string" },
	{ "open: filename eq \"a\\0b\" then permit", 0, "\\0", "NUL" },
	{ "open: filename eq \"/x\" then permit $", 0, "$", "unexpected character '$'" },
	{ "open: filename eq \"/x\" ; then permit", 0, ";", "unexpected character ';'" },
	{ "open: filename eq \"/x\" & filename eq \"/y\" then permit", 0, "&", "unexpected character '&'" },
	{ "open: (filename eq \"/x\" then permit", 0, "then", "expecting" },
	{ "open: filename eq \"/x\") then permit", 0, ")", "expecting then" },
	{ "open: () then permit", 0, ")", "expecting" },
	{ "open: not then permit", 0, "then", "expecting" },
	{ "open: filename eq \"/a\" and then permit", 0, "then", "expecting" },
	{ "open: filename eq \"/a\" or or filename eq \"/b\" then permit", 0, "or filename", "expecting" },
	{ "open: and filename eq \"/a\" then permit", 0, "and", "expecting" },
	{ "open: uid match \"0\" then permit", 0, "uid", "'uid' is a number" },
	{ "open: uid re \"0\" then permit", 0, "uid", "'uid' is a number" },
	{ "open: mode inpath \"/x\" then permit", 0, "mode", "is a number" },
	{ "open: flags match \"O_*\" then permit", 0, "flags", "is a number" },
	{ "open: uid eq \"root\" then permit", 0, "\"root\"", "not a valid value for uid" },
	{ "open: uid eq \"12abc\" then permit", 0, "\"12abc\"", "not a valid value" },
	{ "open: uid eq \"\" then permit", 0, "\"\"", "not a valid value" },
	{ "open: flags sub \"O_FOO\" then permit", 0, "\"O_FOO\"", "not a valid value for flags" },
	{ "open: flags sub \"O_RDONLY|\" then permit", 0, "\"O_RDONLY|\"", "not a valid value" },
	{ "open: flags sub \"|O_CREAT\" then permit", 0, "\"|O_CREAT\"", "not a valid value" },
	{ "kill: signal eq \"SIGFOO\" then deny", 0, "\"SIGFOO\"", "not a valid value for signal" },
	{ "kill: signal eq \"999\" then deny", 0, "\"999\"", "not a valid value for signal" },
	{ "kill: signal eq \"65\" then deny", 0, "\"65\"", "not a valid value for signal" },
	{ "kill: signal eq \"-1\" then deny", 0, "\"-1\"", "not a valid value for signal" },
	{ "socket: domain eq \"AF_BOGUS\" then deny", 0, "\"AF_BOGUS\"", "not a valid value for domain" },
	{ "socket: type eq \"SOCK_BOGUS\" then deny", 0, "\"SOCK_BOGUS\"", "not a valid value for type" },
	{ "chmod: mode eq \"99999999999999999999999\" then deny", 0, "\"9999", "not a valid value" },
	{ "open: filename re \"a(b\" then permit", 0, "(b\"", "unmatched '('" },
	{ "open: filename re \"*a\" then permit", 0, "*a\"", "nothing to repeat" },
	{ "open: filename re \"[abc\" then permit", 0, "[abc\"", "unmatched '['" },
	{ "open: filename re \"a{3,1}\" then permit", 0, "{3,1}", "bad repetition bounds" },
	{ "open: filename re \"abc\\\\\" then permit", 0, "\\\\\" then", "bad regular expression" },
	{ "open: filename nre \"a)\" then permit", 0, ")\" then", "unmatched ')'" },
	{ "': then permit'", 0, ":", "expecting word" },
	{ "open:", 0, NULL, "has no action" },
	{ "open: filename eq \"/x\" then permit: deny", 0, ": deny", "mapping values are not allowed" },
	{ "open: filename \"/x\" then permit", 0, "\"/x\"", "or operator (eq neq match" },
	{ "open: filename eq \"/x\" \"/y\" then permit", 0, "\"/y\"", "expecting then" },
	{ "open: 42 eq \"/x\" then permit", 0, "42", "unknown field '42'" },
	{ "open: then deny[EPERM] [EACCES]", 0, "[EACCES]", "expecting end of rule" },
	{ "open: filename eq \"/x\" then deny[EPERM log", 0, "log", "expecting ']'" },
};

static int
count_at(const char *rule, const char *at)
{
	const char *p;

	if (at == NULL)
		return -1;
	if (strncmp(at, "^^", 2) == 0) {	/* the last occurrence */
		const char *q;
		at += 2;
		for (p = NULL, q = rule; (q = strstr(q, at)) != NULL; q++)
			p = q;
	} else
		p = strstr(rule, at);
	assert_non_null(p);
	return (int)(p - rule);
}

static void
test_table(void **state)
{
	size_t i, nok = 0, nbad = 0;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct lang_case *c = &cases[i];
		struct policy_diag d;
		struct policy_loaded *pl = tu_compile_rule(c->rule, &d);

		if (c->ok) {
			if (pl == NULL)
				fail_msg("rejected: %s\n  %s:%u:%u: %s", c->rule,
				    d.pd_file, d.pd_line, d.pd_col, d.pd_msg);
			assert_int_equal(pl->pl_policy.p_nrules, 1);
			policy_loaded_free(pl);
			nok++;
		} else {
			int off = count_at(c->rule, c->at);

			if (pl != NULL)
				fail_msg("accepted: %s", c->rule);
			if (strstr(d.pd_msg, c->msg) == NULL)
				fail_msg("%s\n  message '%s' lacks '%s'", c->rule,
				    d.pd_msg, c->msg);
			assert_int_equal(d.pd_line, 4);
			if (off >= 0 && d.pd_col != (unsigned)(5 + off))
				fail_msg("%s\n  column %u, expected %d (%s)", c->rule,
				    d.pd_col, 5 + off, d.pd_msg);
			if (off < 0)
				assert_true(d.pd_col >= 5);
			assert_string_equal(d.pd_file, "test.yaml");
			nbad++;
		}
	}
	assert_true(nok + nbad >= 150);
	assert_true(nbad >= 60);
}

/* YAML-level errors: whole documents with the expected position. */
struct yaml_case {
	const char	*yaml;
	unsigned	line, col;
	const char	*msg;
};

static const struct yaml_case ycases[] = {
	{ "", 1, 1, "empty policy" },
	{ "name: x\n", 1, 1, "missing 'policy: 1'" },
	{ "policy: 2\n", 1, 9, "unsupported policy format version '2'" },
	{ "policy: 1\nfoo: bar\n", 2, 1, "unknown key 'foo'" },
	{ "policy: 1\npolicy: 1\n", 2, 1, "duplicate key 'policy'" },
	{ "policy: 1\ndefault: maybe\n", 2, 10, "unknown default 'maybe'" },
	{ "policy: 1\nerrno: EWHAT\n", 2, 8, "unknown errno 'EWHAT'" },
	{ "policy: 1\nlog: loud\n", 2, 6, "unknown log 'loud'" },
	{ "policy: 1\nprogram: bin/ls\n", 2, 10, "absolute path" },
	{ "policy: 1\nname: [a, b]\n", 2, 7, "single value" },
	{ "policy: 1\nrules: permit\n", 2, 8, "must be a list" },
	{ "policy: 1\nrules:\n  - [open, permit]\n", 3, 5, "a rule is a string" },
	{ "policy: 1\nrules:\n  - open: then permit\n    stat: then permit\n", 3, 5, "a rule is a string" },
	{ "policy: 1\nrules:\n  - open:\n", 3, 10, "has no action" },
	{ "policy: 1\nrules:\n  - open: [a\n", 4, 1, "YAML" },
	{ "policy: 1\n  bad indent: 1\n", 2, 13, "YAML" },
	{ "policy: 1\nrules:\n  - \"open: filename eq \\\"/x\\\" then permt\"\n", 3, 36, "unknown action" },
	{ "policy: 1\nrules:\n  - 'open: then deny[EFOO]'\n", 3, 22, "unknown errno" },
	{ "policy: 1\nrules:\n  - open: then permit\n  - stat: filename eqq \"/x\" then permit\n", 4, 20, "unexpected word" },
	{ "policy: 1\nrules:\n  - bogus-open: then permit\n", 3, 5, "unknown emulation" },
	{ "policy: 1\nrules:\n  - open: then permit\n  - 'x y: then permit'\n", 4, 8, "expecting ':'" },
	{ "policy: 1\ndefault: deny\nrules:\n\n\n  - kill: signal eq \"SIGNOPE\" then deny\n", 6, 21, "not a valid value for signal" },
	{ "\tpolicy: 1\n", 1, 1, "YAML" },
	{ " policy: 1\nname: a\nrules:\n  - kill: then deny\n", 2, 1, "YAML" },
	{ "policy: 1\n---\npolicy: 1\n", 3, 1, "a second YAML document" },
	{ "policy: 1\nrules:\n  - \"open: filename eq \\\"/\\u00e9\\\" then permt\"\n", 3, 41, "unknown action" },
	{ "policy: 1\nrules:\n  - 'open: filename eq \"it''s\" then permt'\n", 3, 37, "unknown action" },
};

static void
test_yaml_errors(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ycases) / sizeof(ycases[0]); i++) {
		struct policy_diag d;
		struct policy_loaded *pl = tu_compile(ycases[i].yaml, &d);

		if (pl != NULL)
			fail_msg("accepted: %s", ycases[i].yaml);
		if (strstr(d.pd_msg, ycases[i].msg) == NULL ||
		    d.pd_line != ycases[i].line || d.pd_col != ycases[i].col)
			fail_msg("case %zu: got %u:%u: %s; want %u:%u: ...%s...",
			    i, d.pd_line, d.pd_col, d.pd_msg, ycases[i].line,
			    ycases[i].col, ycases[i].msg);
	}
}

/* Keys and defaults land in the blob. */
static void
test_header_fields(void **state)
{
	struct policy_loaded *pl;
	const struct policy_blob_header *h;

	(void)state;
	pl = tu_compile("policy: 1\nname: demo\nprogram: /usr/bin/ls\n"
	    "default: ask\nerrno: EACCES\nlog: all\n", NULL);
	assert_non_null(pl);
	h = pl->pl_policy.p_hdr;
	assert_string_equal(policy_str(&pl->pl_policy, h->ph_name), "demo");
	assert_string_equal(policy_str(&pl->pl_policy, h->ph_program),
	    "/usr/bin/ls");
	assert_int_equal(h->ph_default_action, POLICY_ACT_ASK);
	assert_int_equal(policy_errno_native(h->ph_default_errno), EACCES);
	assert_int_equal(h->ph_log, POLICY_LOG_ALL);
	assert_int_equal(pl->pl_policy.p_nrules, 0);
	policy_loaded_free(pl);

	pl = tu_compile("policy: 1\n", NULL);
	assert_non_null(pl);
	h = pl->pl_policy.p_hdr;
	assert_int_equal(h->ph_default_action, POLICY_ACT_DENY);
	assert_int_equal(policy_errno_native(h->ph_default_errno), EPERM);
	assert_int_equal(h->ph_log, POLICY_LOG_DENY);
	policy_loaded_free(pl);
}

/* Rule text and position are recorded for logs. */
static void
test_rule_positions(void **state)
{
	struct policy_loaded *pl;
	const struct policy_rule *r;

	(void)state;
	pl = tu_compile("policy: 1\nrules:\n  - open: then permit\n"
	    "  - 'native-stat: filename eq \"/x\" then deny log'\n"
	    "  -   kill:   then deny\n", NULL);
	assert_non_null(pl);
	assert_int_equal(pl->pl_policy.p_nrules, 3);
	r = &pl->pl_policy.p_rules[0];
	assert_int_equal(r->pr_line, 3);
	assert_int_equal(r->pr_col, 5);
	assert_string_equal(policy_str(&pl->pl_policy, r->pr_text),
	    "open: then permit");
	r = &pl->pl_policy.p_rules[1];
	assert_int_equal(r->pr_line, 4);
	assert_int_equal(r->pr_col, 6);
	assert_int_equal(r->pr_flags, POLICY_RULE_LOG | POLICY_RULE_KEYEQ);
	assert_int_equal(r->pr_emul, 1u << POLICY_EMUL_NATIVE);
	r = &pl->pl_policy.p_rules[2];
	assert_int_equal(r->pr_line, 5);
	assert_int_equal(r->pr_col, 7);
	policy_loaded_free(pl);
}

/* Rule text rule[0..len) (with a raw NUL in it) is refused at column col,
 * for its NUL. */
static void
expect_nul_refused(const char *rule, size_t len, int col)
{
	struct pc_where w = { "x", 1, 1 };
	struct pc_arena a;
	struct pc_rule r;
	struct policy_diag d;

	memset(&a, 0, sizeof(a));
	assert_int_equal(pc_parse_rule(&a, rule, len, NULL, NULL, &w, &r, &d),
	    -1);
	assert_non_null(strstr(d.pd_msg, "NUL"));
	assert_int_equal(d.pd_col, col);
	pc_arena_free(&a);
}

/* Bytes YAML cannot carry still reach the rule parser through import. */
static void
test_nul_in_string(void **state)
{
	static const char rule[] = "open: filename eq \"/a\0b\" then permit";

	(void)state;
	expect_nul_refused(rule, sizeof(rule) - 1, 22);
}

/* A backslash before a raw NUL (found by fuzz_cond): rejected at the
 * backslash, not compiled into an operand the validator refuses. */
static void
test_escaped_nul(void **state)
{
	static const char rule[] = "open: filename re \"^/a\\\0$\" then permit";

	(void)state;
	expect_nul_refused(rule, sizeof(rule) - 1, 23);	/* the backslash */
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_yaml_errors),
		cmocka_unit_test(test_header_fields),
		cmocka_unit_test(test_rule_positions),
		cmocka_unit_test(test_nul_in_string),
		cmocka_unit_test(test_escaped_nul),
	};

	return cmocka_run_group_tests_name("language", tests, NULL, NULL);
}
