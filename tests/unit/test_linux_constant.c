/* test_linux_constant.c: which operations' decisions the seccomp filter makes by name
 * (policy_linux_op_constant): those no path or address can change, alias rules included. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "policy_linux.h"

static bool
constant(const char *yaml, unsigned op)
{
	struct policy_loaded *pl = tu_compile(yaml, NULL);
	bool r;

	assert_non_null(pl);
	r = policy_linux_op_constant(&pl->pl_policy, op);
	policy_loaded_free(pl);
	return r;
}

/* "fsread: then permit" permits every stat, access, readlink and chdir
 * whatever its path: the kernel may make them; not open (a writing open
 * is no fsread) */
static void
test_alias_permit(void **state)
{
	static const char *pol =
	    "policy: 1\ndefault: deny\nrules:\n"
	    "  - open: filename eq \"/etc/shadow\" then deny\n"
	    "  - fsread: then permit\n";

	(void)state;
	assert_true(constant(pol, POLICY_OP_STAT));
	assert_true(constant(pol, POLICY_OP_ACCESS));
	assert_true(constant(pol, POLICY_OP_READLINK));
	assert_true(constant(pol, POLICY_OP_CHDIR));
	assert_false(constant(pol, POLICY_OP_OPEN));
	/* fswrite has no rule: the default decides, by name */
	assert_true(constant(pol, POLICY_OP_UNLINK));
}

/* a rule with a condition before it: the path matters */
static void
test_condition_first(void **state)
{
	static const char *pol =
	    "policy: 1\ndefault: permit\nrules:\n"
	    "  - fsread: filename inpath \"/root/.ssh\" then deny\n"
	    "  - fsread: then permit\n";
	static const char *stat_first =
	    "policy: 1\ndefault: permit\nrules:\n"
	    "  - stat: filename eq \"/x\" then deny\n"
	    "  - fsread: then permit\n";

	(void)state;
	assert_false(constant(pol, POLICY_OP_STAT));
	assert_false(constant(pol, POLICY_OP_CHDIR));
	assert_false(constant(stat_first, POLICY_OP_STAT));
	/* another operation's rule changes nothing for access */
	assert_true(constant(stat_first, POLICY_OP_ACCESS));
}

/* denials through an alias stay with the supervisor (a missing file is
 * ENOENT before the denial); the operation's own rule is as before */
static void
test_alias_deny(void **state)
{
	static const char *alias =
	    "policy: 1\ndefault: permit\nrules:\n"
	    "  - fswrite: then deny[EROFS]\n";
	static const char *own =
	    "policy: 1\ndefault: permit\nrules:\n"
	    "  - unlink: then deny[EROFS]\n";

	(void)state;
	assert_false(constant(alias, POLICY_OP_UNLINK));
	assert_false(constant(alias, POLICY_OP_MKDIR));
	assert_true(constant(own, POLICY_OP_UNLINK));
	/* stat has no rule there: the default */
	assert_true(constant(alias, POLICY_OP_STAT));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_alias_permit),
		cmocka_unit_test(test_condition_first),
		cmocka_unit_test(test_alias_deny),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
