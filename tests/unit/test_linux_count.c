/* test_linux_count.c: the calls the kernel filter decides (permits or denies by name, never
 * seen by the supervisor) are counted: policy_linux_count_filtered after runs that make them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "testutil.h"
#include "policy_linux.h"

#define TRACEFS		"/sys/kernel/tracing"
#define TP_ID		TRACEFS "/events/raw_syscalls/sys_exit/id"

static char self[4096];
static struct policy_loaded *pl;
static FILE *quiet;
static const char *why_not;		/* set: counting unavailable here */

/* The target: n getpid (permitted in the filter), n/2 getppid (denied in
 * the filter), and two opens the supervisor decides. */
static int
target(long n)
{
	long i;
	int fd;

	for (i = 0; i < n; i++)
		(void)syscall(SYS_getpid);
	for (i = 0; i < n / 2; i++)
		if (syscall(SYS_getppid) != -1 || errno != EPERM)
			return 3;
	if ((fd = open("/etc/hostname", O_RDONLY)) >= 0)
		close(fd);
	if (open("/nonexistent/count", O_RDONLY) >= 0)
		return 4;
	return 0;
}

static const char policy_text[] =
    "policy: 1\nname: count\ndefault: permit\nlog: none\nrules:\n"
    "  - getppid: deny\n"
    "  - fsread: filename eq \"/nonexistent/count\" then deny[ENOENT]\n";

/* Runs the target with n; the filter's (when counting: plo_count) and
 * the supervisor's counts. */
static void
run_counting(long n, int counting, uint64_t *filtered, uint64_t *supervised)
{
	struct policy_linux_opts o;
	char arg[32], err[256];
	char *argv[] = { self, "--target", arg, NULL };
	const char *why;
	int st, r;

	snprintf(arg, sizeof(arg), "%ld", n);
	memset(&o, 0, sizeof(o));
	o.plo_policy = &pl->pl_policy;
	o.plo_log = quiet;
	o.plo_count = counting;
	r = policy_linux_run(&o, argv, &st, err, sizeof(err));
	if (r != 0)
		fprintf(stderr, "policy_linux_run: %s\n", err);
	assert_int_equal(r, 0);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	if (counting)
		assert_int_equal(policy_linux_count_filtered(filtered, &why),
		    0);
	else {
		/* not asked for: not counted, and said so */
		assert_int_equal(policy_linux_count_filtered(filtered, &why),
		    -1);
		assert_string_equal(why, "not asked for");
	}
	*supervised = policy_linux_count_supervised();
}

/* As run_counting, asking for the count. */
static void
run(long n, uint64_t *filtered, uint64_t *supervised)
{
	run_counting(n, 1, filtered, supervised);
}

/*
 * A run nobody asks the count of does not switch the tracepoint on (it
 * costs every call of the machine, and 20 ms to switch): unknown, and
 * the supervisor's own count still kept.
 */
static void
test_not_counted_unless_asked(void **state)
{
	uint64_t f = 12345, s;

	(void)state;
	run_counting(10, 0, &f, &s);
	assert_true(s >= 2);		/* the opens, the exec */
}

/*
 * 1,000 getpid and 500 getppid more than another run: 1,500 more calls
 * decided by the filter (the denied ones too), and no more notified.
 */
static void
test_filter_counted(void **state)
{
	uint64_t f0, s0, f1, s1;

	(void)state;
	if (why_not != NULL) {
		print_message("test_filter_counted: skipped: calls decided by "
		    "the kernel filter cannot be counted here (%s)\n", why_not);
		skip();
	}
	run(0, &f0, &s0);
	run(1000, &f1, &s1);
	print_message("filter-decided %llu -> %llu, supervised %llu -> %llu\n",
	    (unsigned long long)f0, (unsigned long long)f1,
	    (unsigned long long)s0, (unsigned long long)s1);
	assert_true(f1 >= 1500);
	assert_true(f1 - f0 >= 1500 && f1 - f0 <= 1520);
	assert_true(s0 >= 2);		/* the opens, the exec */
	assert_true(s1 <= s0 + 5);
}

/* Without tracefs the count is unknown, and policyctl run -v says so in
 * one line; with it, -v gives the count. */
static void
test_verbose_line(void **state)
{
	const char *ctl = getenv("POLICYCTL");
	char line[1024], path[64];
	int hasline, pass;

	(void)state;
	if (ctl == NULL)
		ctl = "build/policyctl";
	snprintf(path, sizeof(path), "/tmp/plx-count.%d.yaml", (int)getpid());
	{
		FILE *f = fopen(path, "w");

		assert_non_null(f);
		fputs(policy_text, f);
		fclose(f);
	}
	for (pass = 0; pass < 2; pass++) {
		FILE *p;
		pid_t pid;
		int fds[2], st;

		if (pass == 1 && why_not != NULL)
			break;
		assert_int_equal(pipe(fds), 0);
		if ((pid = fork()) == 0) {
			/* pass 0: tracefs out of sight, in a namespace of its
			 * own */
			if (pass == 0 && (unshare(CLONE_NEWNS) != 0 ||
			    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
			    (umount2(TRACEFS, MNT_DETACH) != 0 &&
			    errno != EINVAL) || access(TP_ID, R_OK) == 0))
				_exit(9);
			dup2(fds[1], 2);
			close(fds[0]);
			execl(ctl, ctl, "run", "-v", "-p", path, "--", self,
			    "--target", "10", (char *)NULL);
			_exit(127);
		}
		close(fds[1]);
		assert_non_null(p = fdopen(fds[0], "r"));
		hasline = 0;
		while (fgets(line, sizeof(line), p) != NULL) {
			if (strstr(line, "calls decided by the kernel filter:")
			    == NULL)
				continue;
			print_message("%s", line);
			hasline++;
			if (pass == 0)
				assert_non_null(strstr(line, "filter: not "
				    "counted (" TP_ID ": No such file"));
			else
				assert_null(strstr(line, "not counted"));
		}
		fclose(p);
		assert_int_equal(waitpid(pid, &st, 0), pid);
		if (pass == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 9) {
			print_message("test_verbose_line: cannot hide tracefs "
			    "here; the unavailable case not run\n");
			continue;
		}
		assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		assert_int_equal(hasline, 1);
	}
	unlink(path);
}

/*
 * The counter needs tracefs: when it is not mounted (and we may), mount
 * it in a mount namespace of this test's own, so the machine's mounts are
 * left as they are.  Then see whether a counter can be opened at all.
 */
static int
setup(void **state)
{
	struct policy_diag d;
	ssize_t n;

	(void)state;
	/* the sanitizer's leak check cannot run in a confined target */
	setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) < 0)
		return -1;
	self[n] = '\0';
	if ((pl = tu_compile(policy_text, &d)) == NULL ||
	    (quiet = fopen("/dev/null", "w")) == NULL)
		return -1;
	if (access(TP_ID, R_OK) != 0 && geteuid() == 0 &&
	    unshare(CLONE_NEWNS) == 0 &&
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0)
		(void)mount("tracefs", TRACEFS, "tracefs", 0, NULL);
	{
		/* a short run: is the count known? */
		uint64_t f;
		const char *why;
		struct policy_linux_opts o;
		char err[256];
		char *argv[] = { self, "--target", "0", NULL };
		int st;

		memset(&o, 0, sizeof(o));
		o.plo_policy = &pl->pl_policy;
		o.plo_log = quiet;
		o.plo_count = 1;
		if (policy_linux_run(&o, argv, &st, err, sizeof(err)) != 0)
			return -1;
		if (policy_linux_count_filtered(&f, &why) != 0) {
			static char buf[200];

			snprintf(buf, sizeof(buf), "%s", why);
			why_not = buf;
		}
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	policy_loaded_free(pl);
	fclose(quiet);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_counted),
		cmocka_unit_test(test_verbose_line),
		cmocka_unit_test(test_not_counted_unless_asked),
	};

	if (argc > 2 && strcmp(argv[1], "--target") == 0)
		return target(atol(argv[2]));
	return cmocka_run_group_tests(tests, setup, teardown);
}
