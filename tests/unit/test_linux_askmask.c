/* test_linux_askmask.c: which calls the supervisor hands to a thread of their own because
 * their decision may ask (policy_linux_op_may_ask): exactly those an ask can be reached for. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "policy_linux.h"

#define R	POLICY_OP_FSREAD
#define W	POLICY_OP_FSWRITE

static bool
may(const char *yaml, unsigned op, unsigned cls)
{
	struct policy_loaded *pl = tu_compile(yaml, NULL);
	bool r;

	assert_non_null(pl);
	r = policy_linux_op_may_ask(&pl->pl_policy, op, cls);
	policy_loaded_free(pl);
	return r;
}

/* default ask, but fsread's last rule has no condition: reads never ask,
 * writes do (an ask rule), the rest reach the default */
static const char *pol_py =
    "policy: 1\ndefault: ask\nrules:\n"
    "  - open: filename eq \"/etc/shadow\" then deny\n"
    "  - fswrite: filename inpath \"/tmp\" then permit\n"
    "  - fswrite: then ask\n"
    "  - fsread: then permit\n"
    "  - connect: sockaddr eq \"inet-127.0.0.1:53\" then permit\n";

static void
test_default_ask(void **state)
{
	(void)state;
	assert_false(may(pol_py, POLICY_OP_STAT, 0));
	assert_false(may(pol_py, POLICY_OP_ACCESS, 0));
	assert_false(may(pol_py, POLICY_OP_OPEN, R));
	assert_true(may(pol_py, POLICY_OP_OPEN, W));
	assert_true(may(pol_py, POLICY_OP_OPEN, 0));	/* openat2 */
	assert_true(may(pol_py, POLICY_OP_UNLINK, 0));
	assert_true(may(pol_py, POLICY_OP_CONNECT, 0));	/* the default */
	assert_true(may(pol_py, POLICY_OP_EXECVE, 0));
	/* by name, renames and links: whenever the default is ask */
	assert_true(may(pol_py, POLICY_OP_SYSCALL, 0));
	assert_true(may(pol_py, POLICY_OP_RENAME, 0));
	assert_true(may(pol_py, POLICY_OP_LINK, 0));
}

/* an ask rule before the catch-all counts, one after it does not */
static void
test_order(void **state)
{
	static const char *before =
	    "policy: 1\ndefault: permit\nrules:\n"
	    "  - stat: filename eq \"/x\" then ask\n"
	    "  - fsread: then permit\n";
	static const char *after =
	    "policy: 1\ndefault: permit\nrules:\n"
	    "  - fsread: then permit\n"
	    "  - stat: filename eq \"/x\" then ask\n";
	static const char *cond =
	    "policy: 1\ndefault: ask\nrules:\n"
	    "  - fsread: filename inpath \"/usr\" then permit\n";

	(void)state;
	assert_true(may(before, POLICY_OP_STAT, 0));
	assert_false(may(after, POLICY_OP_STAT, 0));
	assert_false(may(before, POLICY_OP_OPEN, R));
	/* a rule with a condition lets requests through to the default */
	assert_true(may(cond, POLICY_OP_STAT, 0));
	assert_true(may(cond, POLICY_OP_OPEN, R));
}

/* an fsread catch-all covers reading opens only; an open one covers all */
static void
test_open_alias(void **state)
{
	static const char *rd =
	    "policy: 1\ndefault: ask\nrules:\n"
	    "  - fsread: then permit\n";
	static const char *op =
	    "policy: 1\ndefault: ask\nrules:\n"
	    "  - open: then permit\n";
	static const char *none =
	    "policy: 1\ndefault: deny\nrules:\n"
	    "  - fsread: filename eq \"/x\" then deny\n";

	(void)state;
	assert_false(may(rd, POLICY_OP_OPEN, R));
	assert_true(may(rd, POLICY_OP_OPEN, W));
	assert_true(may(rd, POLICY_OP_OPEN, 0));
	assert_false(may(op, POLICY_OP_OPEN, R));
	assert_false(may(op, POLICY_OP_OPEN, W));
	assert_false(may(op, POLICY_OP_OPEN, 0));
	assert_false(may(none, POLICY_OP_OPEN, 0));
	assert_false(may(none, POLICY_OP_SYSCALL, 0));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_ask),
		cmocka_unit_test(test_order),
		cmocka_unit_test(test_open_alias),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
