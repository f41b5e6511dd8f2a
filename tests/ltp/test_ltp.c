/* test_ltp.c: `make ltp` as a cmocka test: runs tests/ltp/ltp-compare (LTP natively, then
 * confined: permit-all and learned policies) and asserts on the counts its summary lines give. */
/*
 * The comparison runs once, in the group setup; its output is passed
 * through as it comes.  Environment (set by tests/ltp/ltp.mk):
 * LTP_COMPARE the script, LTP the LTP directory, POLICYCTL, LTP_OUT where
 * the logs go, LTP_ARGS more arguments for the script (test tags, -v, ...).
 * A pass the script was told not to run (--passes) is skipped.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <cmocka.h>

struct ltp_pass {
	const char	*name;
	int		seen;
	int		tests, identical, expected, unexpected, stale;
};

static struct ltp_pass ltp_native = { "native", 0, 0, 0, 0, 0, 0 };
static struct ltp_pass ltp_passes[] = {
	{ "permit-all", 0, 0, 0, 0, 0, 0 },
	{ "learned", 0, 0, 0, 0, 0, 0 },
};
static int ltp_status = -1;	/* the script's exit status */
static int ltp_verdict = -1;	/* its last line: 1 PASS, 0 FAIL */

static void
ltp_parse(const char *line)
{
	char name[32];
	int n, i, j, u, s;
	size_t k;

	if (sscanf(line, "ltp native: %d tests,", &n) == 1) {
		ltp_native.seen = 1;
		ltp_native.tests = n;
		return;
	}
	if (strncmp(line, "ltp: PASS:", 10) == 0)
		ltp_verdict = 1;
	else if (strncmp(line, "ltp: FAIL:", 10) == 0)
		ltp_verdict = 0;
	if (sscanf(line, "ltp %31[^:]: %d tests, %d identical, %d expected "
	    "differences, %d unexpected, %d stale", name, &n, &i, &j, &u,
	    &s) != 6)
		return;
	for (k = 0; k < sizeof(ltp_passes) / sizeof(ltp_passes[0]); k++)
		if (strcmp(name, ltp_passes[k].name) == 0) {
			ltp_passes[k].seen = 1;
			ltp_passes[k].tests = n;
			ltp_passes[k].identical = i;
			ltp_passes[k].expected = j;
			ltp_passes[k].unexpected = u;
			ltp_passes[k].stale = s;
		}
}

static int
ltp_run(void **state)
{
	char line[4096];
	FILE *p;

	(void)state;
	if (getenv("LTP_COMPARE") == NULL) {
		fprintf(stderr, "test_ltp: set LTP_COMPARE to tests/ltp/ltp-compare\n");
		return -1;
	}
	fflush(stdout);
	/* the shell expands the variables: no quoting to get wrong here */
	p = popen("exec \"$LTP_COMPARE\" $LTP_ARGS 2>&1", "r");
	if (p == NULL)
		return -1;
	while (fgets(line, sizeof(line), p) != NULL) {
		fputs(line, stdout);
		fflush(stdout);
		ltp_parse(line);
	}
	ltp_status = pclose(p);
	if (ltp_status != -1 && WIFEXITED(ltp_status))
		ltp_status = WEXITSTATUS(ltp_status);
	return 0;
}

/* Every test ran natively. */
static void
test_native(void **state)
{
	(void)state;
	assert_true(ltp_native.seen);
	assert_true(ltp_native.tests > 0);
}

/* Confined, every test ends as it does natively, or as the expectations say. */
static void
ltp_check(const struct ltp_pass *lp)
{
	if (!lp->seen && ltp_native.seen && ltp_verdict >= 0 &&
	    getenv("LTP_ARGS") != NULL && strstr(getenv("LTP_ARGS"), "--passes"))
		skip();
	assert_true(lp->seen);
	assert_int_equal(lp->tests, ltp_native.tests);
	assert_int_equal(lp->unexpected, 0);
	assert_int_equal(lp->stale, 0);
	assert_int_equal(lp->identical + lp->expected, lp->tests);
}

static void
test_permit_all(void **state)
{
	(void)state;
	ltp_check(&ltp_passes[0]);
}

static void
test_learned(void **state)
{
	(void)state;
	ltp_check(&ltp_passes[1]);
}

/* The script agrees: its verdict line and exit status. */
static void
test_verdict(void **state)
{
	(void)state;
	assert_int_equal(ltp_verdict, 1);
	assert_int_equal(ltp_status, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_native),
		cmocka_unit_test(test_permit_all),
		cmocka_unit_test(test_learned),
		cmocka_unit_test(test_verdict),
	};

	return cmocka_run_group_tests_name("ltp", tests, ltp_run, NULL);
}
