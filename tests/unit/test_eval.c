/* test_eval.c: evaluation semantics: every operator and action, first match across
 * index kinds, aliases, emulations, absent fields, errno and log; and the indexed
 * evaluator against a plain linear reference on thousands of random policies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

static int
decide_rule(const char *rule, unsigned op, const char *filename)
{
	struct policy_diag d;
	struct policy_loaded *pl = tu_compile_rule(rule, &d);
	struct policy_request req;
	int act;

	if (pl == NULL)
		fail_msg("%s: %s", rule, d.pd_msg);
	tu_req(&req, op, filename);
	act = tu_decide(pl, &req, NULL);
	policy_loaded_free(pl);
	return act;
}

#define PERMITS(rule, op, path) \
	assert_int_equal(decide_rule(rule, op, path), POLICY_ACT_PERMIT)
#define DENIES(rule, op, path) \
	assert_int_equal(decide_rule(rule, op, path), POLICY_ACT_DENY)

/* req is decided with action act by rule number rn. */
#define DECIDES(pl, req, act, rn) do {					\
	uint32_t rn_;							\
	assert_int_equal(tu_decide((pl), (req), &rn_), (act));		\
	assert_int_equal(rn_, (rn));					\
} while (0)

/* An open of path is decided act, by rule rn. */
static void
open_decides(struct policy_loaded *pl, const char *path, int act, uint32_t rn)
{
	struct policy_request req;

	tu_req(&req, POLICY_OP_OPEN, path);
	DECIDES(pl, &req, act, rn);
}

static void
test_string_operators(void **state)
{
	(void)state;
	PERMITS("open: filename eq \"/etc/passwd\" then permit", POLICY_OP_OPEN, "/etc/passwd");
	DENIES("open: filename eq \"/etc/passwd\" then permit", POLICY_OP_OPEN, "/etc/passwd2");
	DENIES("open: filename eq \"/etc/passwd\" then permit", POLICY_OP_OPEN, "/etc/passw");
	PERMITS("open: filename neq \"/etc/passwd\" then permit", POLICY_OP_OPEN, "/etc/group");
	DENIES("open: filename neq \"/etc/passwd\" then permit", POLICY_OP_OPEN, "/etc/passwd");
	PERMITS("open: filename match \"/usr/lib/*\" then permit", POLICY_OP_OPEN, "/usr/lib/x86_64-linux-gnu/libc.so.6");
	PERMITS("open: filename match \"/usr/lib/*\" then permit", POLICY_OP_OPEN, "/usr/lib/");
	DENIES("open: filename match \"/usr/lib/*\" then permit", POLICY_OP_OPEN, "/usr/lib");
	DENIES("open: filename match \"/usr/lib/*\" then permit", POLICY_OP_OPEN, "/usr/lib64/x");
	PERMITS("open: filename match \"/tmp/?.txt\" then permit", POLICY_OP_OPEN, "/tmp/a.txt");
	DENIES("open: filename match \"/tmp/?.txt\" then permit", POLICY_OP_OPEN, "/tmp/ab.txt");
	PERMITS("open: filename match \"/dev/tty[0-9]\" then permit", POLICY_OP_OPEN, "/dev/tty5");
	DENIES("open: filename match \"/dev/tty[0-9]\" then permit", POLICY_OP_OPEN, "/dev/ttyS");
	PERMITS("open: filename match \"/dev/tty[!0-9]\" then permit", POLICY_OP_OPEN, "/dev/ttyS");
	PERMITS("open: filename match \"/a/\\\\*\" then permit", POLICY_OP_OPEN, "/a/*");
	DENIES("open: filename match \"/a/\\\\*\" then permit", POLICY_OP_OPEN, "/a/b");
	PERMITS("open: filename match \"*.so*\" then permit", POLICY_OP_OPEN, "/lib/libm.so.6");
	PERMITS("open: filename match \"/x/[ab\" then permit", POLICY_OP_OPEN, "/x/[ab");
	DENIES("open: filename nmatch \"/usr/*\" then permit", POLICY_OP_OPEN, "/usr/bin/ls");
	PERMITS("open: filename nmatch \"/usr/*\" then permit", POLICY_OP_OPEN, "/etc/hosts");
	PERMITS("open: filename inpath \"/tmp\" then permit", POLICY_OP_OPEN, "/tmp");
	PERMITS("open: filename inpath \"/tmp\" then permit", POLICY_OP_OPEN, "/tmp/a/b");
	PERMITS("open: filename inpath \"/tmp/\" then permit", POLICY_OP_OPEN, "/tmp/a");
	DENIES("open: filename inpath \"/tmp\" then permit", POLICY_OP_OPEN, "/tmpfoo");
	DENIES("open: filename inpath \"/tmp\" then permit", POLICY_OP_OPEN, "/tm");
	PERMITS("open: filename inpath \"/\" then permit", POLICY_OP_OPEN, "/anything");
	PERMITS("open: filename sub \"passwd\" then permit", POLICY_OP_OPEN, "/etc/passwd-");
	DENIES("open: filename sub \"shadow\" then permit", POLICY_OP_OPEN, "/etc/passwd");
	PERMITS("open: filename nsub \"shadow\" then permit", POLICY_OP_OPEN, "/etc/passwd");
	PERMITS("open: filename re \"^/home/[a-z]+/\\\\.profile$\" then permit", POLICY_OP_OPEN, "/home/ann/.profile");
	DENIES("open: filename re \"^/home/[a-z]+/\\\\.profile$\" then permit", POLICY_OP_OPEN, "/home/ann/.profile~");
	DENIES("open: filename re \"^/home/[a-z]+/\\\\.profile$\" then permit", POLICY_OP_OPEN, "/home/Ann/.profile");
	PERMITS("open: filename re \"\\\\.so(\\\\.[0-9]+)*$\" then permit", POLICY_OP_OPEN, "/lib/libc.so.6");
	PERMITS("open: filename nre \"^/proc\" then permit", POLICY_OP_OPEN, "/etc/x");
	DENIES("open: filename nre \"^/proc\" then permit", POLICY_OP_OPEN, "/proc/1/mem");
}

static void
test_int_operators(void **state)
{
	struct policy_loaded *pl;
	struct policy_request req;

	(void)state;
	pl = tu_compile("policy: 1\nrules:\n"
	    "  - open: flags sub \"O_WRONLY|O_CREAT\" then deny[EROFS]\n"
	    "  - open: flags sub \"O_RDONLY\" then permit\n"
	    "  - open: flags eq \"O_RDWR|O_APPEND\" then ask\n"
	    "  - kill: signal eq \"SIGKILL\" or pid eq \"1\" then deny\n"
	    "  - kill: signal neq \"SIGTERM\" then permit\n"
	    "  - socket: domain eq \"AF_INET\" and type eq \"SOCK_STREAM\" then permit\n"
	    "  - chmod: mode nsub \"04000\" then permit\n", NULL);
	assert_non_null(pl);
	tu_req(&req, POLICY_OP_OPEN, "/x");
	policy_request_set_int(&req, POLICY_F_FLAGS, POLICY_O_WRONLY | POLICY_O_CREAT | POLICY_O_TRUNC);
	assert_int_equal(tu_decide(pl, &req, NULL), POLICY_ACT_DENY);
	policy_request_set_int(&req, POLICY_F_FLAGS, POLICY_O_RDWR | POLICY_O_CREAT);
	assert_int_equal(tu_decide(pl, &req, NULL), POLICY_ACT_DENY);	/* default */
	policy_request_set_int(&req, POLICY_F_FLAGS, POLICY_O_RDONLY | POLICY_O_CLOEXEC);
	assert_int_equal(tu_decide(pl, &req, NULL), POLICY_ACT_PERMIT);
	policy_request_set_int(&req, POLICY_F_FLAGS, POLICY_O_RDWR | POLICY_O_APPEND);
	assert_int_equal(tu_decide(pl, &req, NULL), POLICY_ACT_ASK);
	policy_request_set_int(&req, POLICY_F_FLAGS, POLICY_O_RDWR | POLICY_O_APPEND | POLICY_O_CLOEXEC);
	assert_int_equal(tu_decide(pl, &req, NULL), POLICY_ACT_DENY);	/* eq is exact */

	tu_req(&req, POLICY_OP_KILL, NULL);
	policy_request_set_int(&req, POLICY_F_SIGNAL, 9);		/* SIGKILL: 9th name */
	policy_request_set_int(&req, POLICY_F_PID, 42);
	assert_int_equal(tu_decide(pl, &req, NULL), POLICY_ACT_DENY);
	policy_request_set_int(&req, POLICY_F_SIGNAL, 15);		/* SIGTERM */
	assert_int_equal(tu_decide(pl, &req, NULL), POLICY_ACT_DENY);	/* default */
	policy_request_set_int(&req, POLICY_F_SIGNAL, 10);		/* SIGUSR1 */
	assert_int_equal(tu_decide(pl, &req, NULL), POLICY_ACT_PERMIT);
	policy_request_set_int(&req, POLICY_F_PID, 1);
	assert_int_equal(tu_decide(pl, &req, NULL), POLICY_ACT_DENY);

	tu_req(&req, POLICY_OP_SOCKET, NULL);
	policy_request_set_int(&req, POLICY_F_DOMAIN, POLICY_AF_INET);
	policy_request_set_int(&req, POLICY_F_TYPE, POLICY_SOCK_STREAM);
	assert_int_equal(tu_decide(pl, &req, NULL), POLICY_ACT_PERMIT);
	policy_request_set_int(&req, POLICY_F_TYPE, POLICY_SOCK_RAW);
	assert_int_equal(tu_decide(pl, &req, NULL), POLICY_ACT_DENY);

	tu_req(&req, POLICY_OP_CHMOD, "/x");
	policy_request_set_int(&req, POLICY_F_MODE, 0644);
	assert_int_equal(tu_decide(pl, &req, NULL), POLICY_ACT_PERMIT);
	policy_request_set_int(&req, POLICY_F_MODE, 04755);
	assert_int_equal(tu_decide(pl, &req, NULL), POLICY_ACT_DENY);
	policy_loaded_free(pl);
	/* The portable signal numbering follows the name table. */
	assert_string_equal(policy_signal_names[9 - 1].pn_name, "SIGKILL");
	assert_string_equal(policy_signal_names[15 - 1].pn_name, "SIGTERM");
	assert_string_equal(policy_signal_names[10 - 1].pn_name, "SIGUSR1");
}

static void
test_boolean(void **state)
{
	(void)state;
	PERMITS("open: filename eq \"/a\" or filename eq \"/b\" then permit", POLICY_OP_OPEN, "/b");
	DENIES("open: filename eq \"/a\" and filename eq \"/b\" then permit", POLICY_OP_OPEN, "/b");
	PERMITS("open: not filename eq \"/a\" then permit", POLICY_OP_OPEN, "/b");
	DENIES("open: not filename eq \"/a\" then permit", POLICY_OP_OPEN, "/a");
	/* and binds tighter than or */
	PERMITS("open: filename eq \"/a\" or filename eq \"/b\" and filename eq \"/c\" then permit", POLICY_OP_OPEN, "/a");
	DENIES("open: (filename eq \"/a\" or filename eq \"/b\") and filename eq \"/c\" then permit", POLICY_OP_OPEN, "/a");
	PERMITS("open: not (filename eq \"/a\" or filename eq \"/b\") then permit", POLICY_OP_OPEN, "/c");
	PERMITS("open: not not filename eq \"/a\" then permit", POLICY_OP_OPEN, "/a");
	/* a field the call does not supply tests false, so 'not' of it is true */
	DENIES("open: filename2 eq \"/a\" then permit", POLICY_OP_OPEN, "/a");
	PERMITS("open: not filename2 eq \"/a\" then permit", POLICY_OP_OPEN, "/a");
	DENIES("open: filename eq \"/a\" then permit", POLICY_OP_OPEN, NULL);
	PERMITS("open: then permit", POLICY_OP_OPEN, NULL);
}

static const char *first_match_policy =
    "policy: 1\ndefault: deny\nerrno: EACCES\nrules:\n"
    "  - fsread: filename match \"/etc/*\" then deny[ENOENT]\n"	/* #0 trie */
    "  - open: filename eq \"/etc/passwd\" then permit\n"		/* #1 hash */
    "  - open: flags sub \"O_CREAT\" then deny[EEXIST]\n"		/* #2 generic */
    "  - open: filename eq \"/tmp/new\" then permit\n"		/* #3 hash */
    "  - open: filename re \"^/var/[a-z]+$\" then ask\n"		/* #4 trie */
    "  - open: filename inpath \"/var\" then permit\n"		/* #5 trie */
    "  - fswrite: filename inpath \"/home\" then permit log\n"	/* #6 */
    "  - native-unlink: filename eq \"/x\" then permit\n"		/* #7 */
    "  - linux-unlink: filename eq \"/x\" then deny[EBUSY]\n"	/* #8 */
    "  - getpid: then permit\n"					/* #9 */
    "  - syscall: syscall match \"get*\" then deny\n";		/* #10 */

static void
test_first_match(void **state)
{
	struct policy_loaded *pl = tu_compile(first_match_policy, NULL);
	struct policy_request req;
	struct policy_decision d;
	uint32_t rule;

	(void)state;
	assert_non_null(pl);
	/* An earlier prefix rule beats a later exact rule. */
	tu_req(&req, POLICY_OP_OPEN, "/etc/passwd");
	DECIDES(pl, &req, POLICY_ACT_DENY, 0);
	policy_eval(&pl->pl_policy, &req, &d);
	assert_int_equal(d.pd_errno, ENOENT);
	assert_int_equal(d.pd_line, 5);
	/* fsread does not cover open for writing: the exact rule #1 wins. */
	policy_request_set_int(&req, POLICY_F_FLAGS, POLICY_O_WRONLY);
	DECIDES(pl, &req, POLICY_ACT_PERMIT, 1);
	/* An earlier unindexed rule beats a later exact rule. */
	tu_req(&req, POLICY_OP_OPEN, "/tmp/new");
	policy_request_set_int(&req, POLICY_F_FLAGS, POLICY_O_WRONLY | POLICY_O_CREAT);
	DECIDES(pl, &req, POLICY_ACT_DENY, 2);
	policy_eval(&pl->pl_policy, &req, &d);
	assert_int_equal(d.pd_errno, EEXIST);
	policy_request_set_int(&req, POLICY_F_FLAGS, POLICY_O_WRONLY);
	DECIDES(pl, &req, POLICY_ACT_PERMIT, 3);
	/* Two prefix rules on one trie path: the earlier wins. */
	tu_req(&req, POLICY_OP_OPEN, "/var/log");
	DECIDES(pl, &req, POLICY_ACT_ASK, 4);
	tu_req(&req, POLICY_OP_OPEN, "/var/log/syslog");
	DECIDES(pl, &req, POLICY_ACT_PERMIT, 5);
	/* fswrite covers unlink and mkdir; log flag is reported. */
	tu_req(&req, POLICY_OP_MKDIR, "/home/u/d");
	policy_eval(&pl->pl_policy, &req, &d);
	assert_int_equal(d.pd_action, POLICY_ACT_PERMIT);
	assert_int_equal(d.pd_rule, 6);
	assert_true(d.pd_log);
	tu_req(&req, POLICY_OP_STAT, "/home/u/d");	/* fsread: not covered */
	policy_eval(&pl->pl_policy, &req, &d);
	assert_int_equal(d.pd_rule, POLICY_NONE);
	assert_int_equal(d.pd_action, POLICY_ACT_DENY);
	assert_int_equal(d.pd_errno, EACCES);		/* the policy's errno */
	assert_int_equal(d.pd_line, 0);
	/* Emulation prefixes. */
	tu_req(&req, POLICY_OP_UNLINK, "/x");
	DECIDES(pl, &req, POLICY_ACT_PERMIT, 7);
	req.pr_emul = POLICY_EMUL_LINUX;
	DECIDES(pl, &req, POLICY_ACT_DENY, 8);
	req.pr_emul = POLICY_EMUL_NETBSD32;
	DECIDES(pl, &req, POLICY_ACT_DENY, POLICY_NONE);
	/* System calls by name. */
	tu_req(&req, POLICY_OP_SYSCALL, NULL);
	policy_request_set_str(&req, POLICY_F_SYSCALL, "getpid");
	DECIDES(pl, &req, POLICY_ACT_PERMIT, 9);
	policy_request_set_str(&req, POLICY_F_SYSCALL, "getppid");
	DECIDES(pl, &req, POLICY_ACT_DENY, 10);
	policy_request_set_str(&req, POLICY_F_SYSCALL, "mmap");
	DECIDES(pl, &req, POLICY_ACT_DENY, POLICY_NONE);
	/* Out-of-range requests get the default, never a crash. */
	req.pr_op = 999;
	assert_int_equal(tu_decide(pl, &req, &rule), POLICY_ACT_DENY);
	req.pr_op = POLICY_OP_OPEN;
	req.pr_emul = 77;
	assert_int_equal(tu_decide(pl, &req, &rule), POLICY_ACT_DENY);
	req.pr_emul = 0;
	req.pr_len[POLICY_F_FILENAME] = 0xffffffff;	/* clamped */
	req.pr_present = ~0u;
	(void)tu_decide(pl, &req, &rule);
	policy_loaded_free(pl);
}

/* Index hints: a rule whose only test its index entry proves is decided
 * without its code, and only where that entry proves it. */
static const char hint_policy[] =
    "policy: 1\ndefault: deny\nrules:\n"
    "  - open: filename inpath \"/srv/www\" then deny\n"		/* 0 */
    "  - open: filename eq \"/srv/wwwroot\" then permit\n"		/* 1 */
    "  - open: filename match \"/srv/*.txt\" then permit\n"	/* 2 */
    "  - open: filename eq \"/e\" and flags sub \"O_CREAT\" then ask\n" /* 3 */
    "  - open: filename inpath \"/opt/\" then permit\n"		/* 4 */
    "  - linux-open: filename eq \"/l\" then deny\n"		/* 5 */
    "  - open: filename re \"^/srv/d/[a-z]+$\" then ask\n"	/* 6 */
    "  - open: filename match \"/srv/x\" then deny\n"		/* 7 */
    "  - open: filename inpath \"/\" then permit\n";		/* 8 */

static const struct {
	const char	*path;
	int		act;
	uint32_t	rule;
} hint_cases[] = {
	{ "/srv/www", POLICY_ACT_DENY, 0 },
	{ "/srv/www/a/b", POLICY_ACT_DENY, 0 },
	/* the trie passes "/srv/www" with 'r' next: no hint, no match */
	{ "/srv/wwwroot", POLICY_ACT_PERMIT, 1 },
	{ "/srv/wwwx", POLICY_ACT_PERMIT, 8 },
	{ "/e", POLICY_ACT_PERMIT, 8 },		/* flags absent: rule 3 fails */
	{ "/l", POLICY_ACT_PERMIT, 8 },		/* native: rule 5 is linux's */
	/* KEYHEAD: the trie proves the head, the tail is still tested */
	{ "/srv/a.txt", POLICY_ACT_PERMIT, 2 },
	{ "/srv/a.txx", POLICY_ACT_PERMIT, 8 },
	{ "/srv/d/abc", POLICY_ACT_ASK, 6 },
	{ "/srv/d/abc1", POLICY_ACT_PERMIT, 8 },
	{ "/srv/d/", POLICY_ACT_PERMIT, 8 },
	{ "/srv/x", POLICY_ACT_DENY, 7 },
};

static void
test_index_hints(void **state)
{
	struct policy_loaded *pl = tu_compile(hint_policy, NULL);
	const struct policy_rule *r;
	struct policy_request req;
	size_t k;

	(void)state;
	assert_non_null(pl);
	r = pl->pl_policy.p_rules;
	assert_int_equal(r[0].pr_flags, POLICY_RULE_KEYINPATH);
	assert_int_equal(r[1].pr_flags, POLICY_RULE_KEYEQ);
	assert_int_equal(r[2].pr_flags, POLICY_RULE_KEYHEAD);
	assert_int_equal(r[3].pr_flags, 0);	/* two tests */
	assert_int_equal(r[4].pr_flags, 0);	/* trailing '/' */
	assert_int_equal(r[5].pr_flags, POLICY_RULE_KEYEQ);
	assert_int_equal(r[6].pr_flags, POLICY_RULE_KEYHEAD);
	assert_int_equal(r[7].pr_flags, 0);	/* exact: no tail to test */
	assert_int_equal(r[8].pr_flags, 0);	/* the root */
	for (k = 0; k < sizeof(hint_cases) / sizeof(hint_cases[0]); k++)
		open_decides(pl, hint_cases[k].path, hint_cases[k].act,
		    hint_cases[k].rule);
	/* a hint does not skip the emulation test */
	tu_req(&req, POLICY_OP_OPEN, "/l");
	DECIDES(pl, &req, POLICY_ACT_PERMIT, 8);
	req.pr_emul = POLICY_EMUL_LINUX;
	DECIDES(pl, &req, POLICY_ACT_DENY, 5);
	policy_loaded_free(pl);
}

/* Expressions share equal character classes (fewer cache lines). */
static void
test_shared_classes(void **state)
{
	struct policy_loaded *pl = tu_compile("policy: 1\ndefault: deny\n"
	    "rules:\n"
	    "  - open: filename re \"^/a/[a-z]+$\" then permit\n"
	    "  - open: filename re \"^/b/[a-z]+[0-9]$\" then ask\n"
	    "  - open: filename re \"^/c/[a-z]$\" then deny\n", NULL);
	struct policy_request req;
	uint32_t rule;

	(void)state;
	assert_non_null(pl);
	assert_int_equal(pl->pl_policy.p_nclasses, 2);	/* [a-z], [0-9] */
	tu_req(&req, POLICY_OP_OPEN, "/a/xyz");
	assert_int_equal(tu_decide(pl, &req, &rule), POLICY_ACT_PERMIT);
	tu_req(&req, POLICY_OP_OPEN, "/b/xy7");
	assert_int_equal(tu_decide(pl, &req, &rule), POLICY_ACT_ASK);
	tu_req(&req, POLICY_OP_OPEN, "/b/xy");
	DECIDES(pl, &req, POLICY_ACT_DENY, POLICY_NONE);
	tu_req(&req, POLICY_OP_OPEN, "/c/q");
	DECIDES(pl, &req, POLICY_ACT_DENY, 2);
	policy_loaded_free(pl);
}

/* Exact keys longer than a hash entry's inline head: the rest is compared
 * too, so keys that differ only past the head are told apart. */
#define LIBSO	"/usr/lib/x86_64-linux-gnu/libexample.so"	/* 39 bytes */
static void
test_long_exact_keys(void **state)
{
	struct policy_loaded *pl = tu_compile("policy: 1\ndefault: deny\n"
	    "rules:\n"
	    "  - open: filename eq \"" LIBSO ".1\" then permit\n"
	    "  - open: filename eq \"" LIBSO ".2\" then ask\n"
	    "  - open: filename eq \"" LIBSO "\" then permit\n", NULL);

	(void)state;
	assert_non_null(pl);
	open_decides(pl, LIBSO ".1", POLICY_ACT_PERMIT, 0);	/* 41 bytes */
	open_decides(pl, LIBSO ".2", POLICY_ACT_ASK, 1);
	open_decides(pl, LIBSO ".3", POLICY_ACT_DENY, POLICY_NONE);
	open_decides(pl, LIBSO, POLICY_ACT_PERMIT, 2);	/* all in the entry */
	open_decides(pl, "/usr/lib/x86_64-linux-gnu/libexample.sx",
	    POLICY_ACT_DENY, POLICY_NONE);
	policy_loaded_free(pl);
}

/* A node with more children than it holds first bytes and rule hints for
 * (POLICY_NODE_KIDS, POLICY_NODE_HINTS) finds each of them. */
static void
test_wide_node(void **state)
{
	char y[4096], path[32];
	size_t len;
	struct policy_loaded *pl;
	unsigned k, n = 20, hinted = 0;

	(void)state;
	len = (size_t)snprintf(y, sizeof(y), "policy: 1\ndefault: deny\nrules:\n");
	for (k = 0; k < n; k++)		/* the trie node "/w/" gets 20 children */
		len += (size_t)snprintf(y + len, sizeof(y) - len,
		    "  - open: filename match \"/w/%c%c/*\" then %s\n",
		    'a' + k, 'a' + k, k % 2 ? "ask" : "permit");
	assert_non_null(pl = tu_compile(y, NULL));
	for (k = 0; k < pl->pl_policy.p_nnodes; k++)
		hinted += pl->pl_policy.p_nodes[k].pn_hint[0] != POLICY_NODE_NOHINT;
	assert_int_equal(hinted, 0);	/* "/w/" has 20 children: no hints */
	for (k = 0; k < n; k++) {
		snprintf(path, sizeof(path), "/w/%c%c/f", 'a' + k, 'a' + k);
		open_decides(pl, path, k % 2 ? POLICY_ACT_ASK : POLICY_ACT_PERMIT, k);
		snprintf(path, sizeof(path), "/w/%c%c/f", 'a' + k, 'b' + k);
		open_decides(pl, path, POLICY_ACT_DENY, POLICY_NONE);
	}
	policy_loaded_free(pl);
	/* five children: each hinted with its rule */
	assert_non_null(pl = tu_compile("policy: 1\nrules:\n"
	    "  - open: filename match \"/v/a/*\" then permit\n"
	    "  - open: filename match \"/v/b/*\" then permit\n"
	    "  - open: filename match \"/v/c/*\" then permit\n"
	    "  - open: filename match \"/v/d/*\" then permit\n"
	    "  - open: filename match \"/v/e/*\" then permit\n", NULL));
	hinted = 0;
	for (k = 0; k < pl->pl_policy.p_nnodes; k++) {
		const struct policy_node *nd = &pl->pl_policy.p_nodes[k];
		unsigned c;

		for (c = 0; c < nd->pn_nchild && c < POLICY_NODE_HINTS; c++) {
			assert_int_equal(nd->pn_hintbase + nd->pn_hint[c], c);
			hinted++;
		}
	}
	assert_int_equal(hinted, 5);
	policy_loaded_free(pl);
}

/* Pattern tests of one shape share their tail: one glob string, one regex
 * program, whatever their heads. */
static void
test_shared_tails(void **state)
{
	struct policy_loaded *pl = tu_compile("policy: 1\ndefault: deny\n"
	    "rules:\n"
	    "  - open: filename re \"^/a/[a-z]+$\" then permit\n"
	    "  - open: filename re \"^/bb/[a-z]+$\" then ask\n"
	    "  - open: filename match \"/a/*.txt\" then permit\n"
	    "  - open: filename match \"/bb/*.txt\" then ask\n"
	    "  - open: filename re \"[a-z]+$\" then deny\n", NULL);
	const struct policy_rule *r;

	(void)state;
	assert_non_null(pl);
	r = pl->pl_policy.p_rules;
	assert_int_equal(pl->pl_policy.p_nrxprog, 1);
	assert_int_equal(r[0].pr_test.pi_value, r[1].pr_test.pi_value);
	assert_int_equal(r[0].pr_test.pi_value, r[4].pr_test.pi_value);
	assert_string_equal(policy_str(&pl->pl_policy, r[0].pr_test.pi_str),
	    "/a/");
	assert_int_equal(r[4].pr_test.pi_str.len, 0);	/* no head */
	assert_int_equal(r[2].pr_test.pi_tail.off, r[3].pr_test.pi_tail.off);
	assert_string_equal(policy_str(&pl->pl_policy, r[3].pr_test.pi_tail),
	    "*.txt");
	open_decides(pl, "/bb/xyz", POLICY_ACT_ASK, 1);
	open_decides(pl, "/bb/x.txt", POLICY_ACT_ASK, 3);
	open_decides(pl, "/c/1/xyz", POLICY_ACT_DENY, 4);	/* unanchored, no head */
	policy_loaded_free(pl);
}

static void
test_log_levels(void **state)
{
	static const struct { const char *log; int permit, deny; } t[] = {
		{ "none", 0, 0 }, { "deny", 0, 1 }, { "all", 1, 1 },
	};
	char y[512];
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		struct policy_loaded *pl;
		struct policy_request req;
		struct policy_decision d;

		snprintf(y, sizeof(y), "policy: 1\nlog: %s\nrules:\n"
		    "  - open: filename eq \"/p\" then permit\n"
		    "  - open: filename eq \"/l\" then permit log\n", t[i].log);
		assert_non_null(pl = tu_compile(y, NULL));
		tu_req(&req, POLICY_OP_OPEN, "/p");
		policy_eval(&pl->pl_policy, &req, &d);
		assert_int_equal(d.pd_log != 0, t[i].permit);
		tu_req(&req, POLICY_OP_OPEN, "/d");
		policy_eval(&pl->pl_policy, &req, &d);
		assert_int_equal(d.pd_log != 0, t[i].deny);
		tu_req(&req, POLICY_OP_OPEN, "/l");
		policy_eval(&pl->pl_policy, &req, &d);
		assert_true(d.pd_log);
		policy_loaded_free(pl);
	}
}

static void
test_errno_names(void **state)
{
	unsigned i;

	(void)state;
	for (i = 1; i <= policy_nerrno; i++) {
		char rule[128];
		struct policy_loaded *pl;
		struct policy_request req;
		struct policy_decision d;

		snprintf(rule, sizeof(rule), "open: then deny[%s]",
		    policy_errno_names[i].pn_name);
		assert_non_null(pl = tu_compile_rule(rule, NULL));
		tu_req(&req, POLICY_OP_OPEN, "/x");
		policy_eval(&pl->pl_policy, &req, &d);
		assert_int_equal(d.pd_action, POLICY_ACT_DENY);
		assert_int_equal(d.pd_errno, policy_errno_names[i].pn_value);
		assert_int_equal(policy_errno_portable(d.pd_errno) != 0, 1);
		policy_loaded_free(pl);
	}
	assert_true(policy_nerrno >= 40);
}

/* ---------------------------------------------------------------- */
/* Indexed evaluation == linear reference, on random policies.        */

static const char *const vocab[] = {
	"/", "/etc", "/etc/passwd", "/etc/group", "/usr/lib/libc.so.6",
	"/usr/lib/x86_64/libm.so", "/usr/libexec/a", "/tmp", "/tmp/a",
	"/tmp/ab", "/tmp/abc/d", "/home/u/.profile", "/home/v/x.txt",
	"/var/log/syslog", "/var", "", "/dev/null", "/dev/tty1",
};
#define NVOCAB (sizeof(vocab) / sizeof(vocab[0]))

static const char *const patterns[] = {
	"/etc/*", "/usr/lib/*", "/tmp/?", "/tmp/*", "*", "/home/*/.profile",
	"/dev/tty[0-9]", "/var/*/syslog", "/usr/lib*",
};
static const char *const regexes[] = {
	"^/tmp/[a-z]+$", "^/usr/lib/.*\\\\.so", "passwd$", "^/(etc|var)/",
	"^/home/[a-z]/", "^$", "^/tmp", "x",
};
static const char *const opnames[] = {
	"open", "stat", "unlink", "fsread", "fswrite", "native-open",
	"linux-stat", "mkdir", "rename",
};

static void
gen_test(uint64_t *rs, char *buf, size_t sz)
{
	static const char *const fields[] = { "filename", "filename", "filename2" };
	const char *f = fields[tu_rand(rs) % 3];

	switch (tu_rand(rs) % 8) {
	case 0: snprintf(buf, sz, "%s eq \"%s\"", f, vocab[tu_rand(rs) % NVOCAB]); break;
	case 1: snprintf(buf, sz, "%s neq \"%s\"", f, vocab[tu_rand(rs) % NVOCAB]); break;
	case 2: snprintf(buf, sz, "%s match \"%s\"", f, patterns[tu_rand(rs) % 9]); break;
	case 3: snprintf(buf, sz, "%s inpath \"%s\"", f, vocab[tu_rand(rs) % NVOCAB]); break;
	case 4: snprintf(buf, sz, "%s re \"%s\"", f, regexes[tu_rand(rs) % 8]); break;
	case 5: snprintf(buf, sz, "%s sub \"%s\"", f, tu_rand(rs) % 2 ? "tmp" : "lib"); break;
	case 6: snprintf(buf, sz, "flags sub \"%s\"", tu_rand(rs) % 2 ? "O_RDONLY" : "O_CREAT"); break;
	default: snprintf(buf, sz, "%s nmatch \"%s\"", f, patterns[tu_rand(rs) % 9]); break;
	}
}

static void
gen_cond(uint64_t *rs, char *buf, size_t sz, int depth)
{
	char a[512], b[512];

	switch (depth > 2 ? 0 : tu_rand(rs) % 5) {
	case 0: case 1:
		gen_test(rs, buf, sz);
		break;
	case 2:
		gen_cond(rs, a, sizeof(a), depth + 1);
		gen_cond(rs, b, sizeof(b), depth + 1);
		snprintf(buf, sz, "(%s and %s)", a, b);
		break;
	case 3:
		gen_cond(rs, a, sizeof(a), depth + 1);
		gen_cond(rs, b, sizeof(b), depth + 1);
		snprintf(buf, sz, "(%s or %s)", a, b);
		break;
	default:
		gen_cond(rs, a, sizeof(a), depth + 1);
		snprintf(buf, sz, "not %s", a);
		break;
	}
}

/* Linear reference: interpret each rule's postfix code in order. */
static bool
ref_test(const struct policy *p, const struct policy_insn *in,
    const struct policy_request *req)
{
	size_t slen;
	const char *s, *a = policy_str(p, in->pi_str);
	char pat[2 * POLICY_PATH_MAX];
	int64_t v;

	if (!(req->pr_present & (1u << in->pi_field)))
		return false;
	if (in->pi_kind == POLICY_I_INT) {
		v = req->pr_int[in->pi_field - POLICY_F_NSTR];
		switch (in->pi_cmp) {
		case POLICY_C_EQ: return v == in->pi_value;
		case POLICY_C_NEQ: return v != in->pi_value;
		case POLICY_C_SUB: return (v & in->pi_mask) == in->pi_value;
		default: return (v & in->pi_mask) != in->pi_value;
		}
	}
	s = in->pi_field == POLICY_F_FILENAME ? req->pr_filename : req->pr_filename2;
	slen = strlen(s);
	switch (in->pi_cmp) {
	case POLICY_C_EQ: return strcmp(s, a) == 0;
	case POLICY_C_NEQ: return strcmp(s, a) != 0;
	case POLICY_C_MATCH:
	case POLICY_C_NMATCH:	/* the pattern as written: head, then tail */
		snprintf(pat, sizeof(pat), "%s%s", a, policy_str(p, in->pi_tail));
		return policy_glob_match(s, slen, pat, strlen(pat)) ==
		    (in->pi_cmp == POLICY_C_MATCH);
	case POLICY_C_RE:
		return strncmp(s, a, strlen(a)) == 0 &&
		    policy_rx_exec(p, (uint32_t)in->pi_value, s, slen, strlen(a));
	case POLICY_C_SUB: return strstr(s, a) != NULL;
	case POLICY_C_INPATH: return policy_inpath(s, slen, a, strlen(a));
	default: fail_msg("unexpected operator %u", in->pi_cmp); return false;
	}
}

static uint32_t
ref_eval(const struct policy *p, const struct policy_request *req)
{
	uint32_t r, i;
	int cls = policy_op_class(req);

	for (r = 0; r < p->p_nrules; r++) {
		const struct policy_rule *pr = &p->p_rules[r];
		bool st[64];
		int sp = 0;

		if (!(pr->pr_emul & (1u << req->pr_emul)))
			continue;
		if (pr->pr_op != req->pr_op && pr->pr_op != cls)
			continue;
		for (i = 0; i < pr->pr_ncode; i++) {
			const struct policy_insn *in = policy_rule_insn(p, pr, i);
			if (in->pi_kind == POLICY_I_NOT)
				st[sp - 1] = !st[sp - 1];
			else if (in->pi_kind == POLICY_I_AND) {
				sp--;
				st[sp - 1] = st[sp - 1] && st[sp];
			} else if (in->pi_kind == POLICY_I_OR) {
				sp--;
				st[sp - 1] = st[sp - 1] || st[sp];
			} else
				st[sp++] = ref_test(p, in, req);
		}
		if (pr->pr_ncode == 0 || st[0])
			return r;
	}
	return POLICY_NONE;
}

static void
test_index_matches_linear(void **state)
{
	static const unsigned ops[] = { POLICY_OP_OPEN, POLICY_OP_STAT,
	    POLICY_OP_UNLINK, POLICY_OP_MKDIR, POLICY_OP_RENAME };
	uint64_t rs = 0x9e3779b97f4a7c15ull;
	unsigned pol, n, checked = 0, matched = 0;

	(void)state;
	for (pol = 0; pol < 300; pol++) {
		size_t cap = 1 << 16, len;
		char *y = malloc(cap), cond[1100];
		unsigned nrules = 1 + (unsigned)(tu_rand(&rs) % 40);
		struct policy_diag d;
		struct policy_loaded *pl;

		len = (size_t)snprintf(y, cap, "policy: 1\ndefault: deny\nrules:\n");
		for (n = 0; n < nrules; n++) {
			const char *op = opnames[tu_rand(&rs) % 9];
			if (tu_rand(&rs) % 6 == 0)
				len += (size_t)snprintf(y + len, cap - len,
				    "  - '%s: then %s'\n", op,
				    tu_rand(&rs) % 2 ? "ask" : "permit");
			else {
				gen_cond(&rs, cond, sizeof(cond), 0);
				len += (size_t)snprintf(y + len, cap - len,
				    "  - '%s: %s then permit'\n", op, cond);
			}
		}
		pl = tu_compile(y, &d);
		if (pl == NULL)
			fail_msg("%s\n%u:%u: %s", y, d.pd_line, d.pd_col, d.pd_msg);
		for (n = 0; n < 400; n++) {
			struct policy_request req;
			uint32_t got;

			tu_req(&req, ops[tu_rand(&rs) % 5], vocab[tu_rand(&rs) % NVOCAB]);
			req.pr_emul = tu_rand(&rs) % 4 == 0 ? POLICY_EMUL_LINUX :
			    POLICY_EMUL_NATIVE;
			if (tu_rand(&rs) % 2)
				policy_request_set_str(&req, POLICY_F_FILENAME2,
				    vocab[tu_rand(&rs) % NVOCAB]);
			policy_request_set_int(&req, POLICY_F_FLAGS,
			    tu_rand(&rs) % 2 ? POLICY_O_RDONLY :
			    POLICY_O_WRONLY | POLICY_O_CREAT);
			(void)tu_decide(pl, &req, &got);
			if (got != ref_eval(&pl->pl_policy, &req))
				fail_msg("policy %u request %u (%s): index says "
				    "%u, linear %u\n%s", pol, n, req.pr_filename,
				    got, ref_eval(&pl->pl_policy, &req), y);
			checked++;
			matched += got != POLICY_NONE;
		}
		policy_loaded_free(pl);
		free(y);
	}
	assert_int_equal(checked, 300 * 400);
	/* the generator must exercise both outcomes */
	assert_true(matched > checked / 10 && matched < checked - checked / 10);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_string_operators),
		cmocka_unit_test(test_int_operators),
		cmocka_unit_test(test_boolean),
		cmocka_unit_test(test_first_match),
		cmocka_unit_test(test_index_hints),
		cmocka_unit_test(test_shared_classes),
		cmocka_unit_test(test_shared_tails),
		cmocka_unit_test(test_long_exact_keys),
		cmocka_unit_test(test_wide_node),
		cmocka_unit_test(test_log_levels),
		cmocka_unit_test(test_errno_names),
		cmocka_unit_test(test_index_matches_linear),
	};

	return cmocka_run_group_tests_name("evaluation", tests, NULL, NULL);
}
