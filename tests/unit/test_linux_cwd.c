/* test_linux_cwd.c: relative paths under `policyctl run` start from the cwd the kernel would
 * use, although the supervisor caches each thread's cwd: chdir, fchdir, threads, CLONE_FS. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "tu_selfrun.h"

/* ------------------------------------------------------------------ */
/* The target side: one step per argument pair                        */

static int dirfd_saved = -1;

/* "f" read relative to the cwd: its first byte, or -errno. */
static int
readf(const char *name)
{
	char b;
	int fd = open(name, O_RDONLY), r;

	if (fd < 0)
		return -errno;
	r = read(fd, &b, 1) == 1 ? b : -EIO;
	close(fd);
	return r;
}

struct tstep {
	const char	*op, *arg;
	int		r;
};

static void *
thread_step(void *arg)
{
	struct tstep *t = arg;

	if (strcmp(t->op, "tcd") == 0)
		t->r = chdir(t->arg) == 0 ? 0 : -errno;
	else
		t->r = fchdir(dirfd_saved) == 0 ? 0 : -errno;
	return NULL;
}

static char child_stack[64 * 1024] __attribute__((aligned(16)));

static int
child_cd(void *arg)
{
	_exit(chdir((const char *)arg) == 0 ? 0 : 1);
}

/*
 * cd DIR, fcd - (fchdir to the saved dir), save DIR (open it O_RDONLY),
 * tcd DIR / tfcd - (the same from another thread: threads share the cwd),
 * ccd DIR (a clone(CLONE_FS) child's chdir: shared too), mv A B (rename),
 * read NAME (its first byte), size NAME (stat: its size),
 * fstatat NAME (fstatat(AT_FDCWD): its size).  Each prints a number.
 */
static int
step(const char *op, const char *a)
{
	struct stat st;

	if (strcmp(op, "cd") == 0)
		return chdir(a) == 0 ? 0 : -errno;
	if (strcmp(op, "fcd") == 0)
		return fchdir(dirfd_saved) == 0 ? 0 : -errno;
	if (strcmp(op, "save") == 0)
		return (dirfd_saved = open(a, O_RDONLY | O_DIRECTORY)) >= 0 ?
		    0 : -errno;
	if (strcmp(op, "tcd") == 0 || strcmp(op, "tfcd") == 0) {
		struct tstep t = { op, a, -1 };
		pthread_t th;

		if (pthread_create(&th, NULL, thread_step, &t) != 0)
			return -EAGAIN;
		pthread_join(th, NULL);
		return t.r;
	}
	if (strcmp(op, "ccd") == 0) {
		int st2;
		pid_t p = clone(child_cd, child_stack + sizeof(child_stack),
		    CLONE_FS | SIGCHLD, (void *)a);

		if (p < 0)
			return -errno;
		if (waitpid(p, &st2, 0) != p)
			return -ECHILD;
		return WIFEXITED(st2) && WEXITSTATUS(st2) == 0 ? 0 : -EIO;
	}
	if (strcmp(op, "mv") == 0)
		return tu_rename_pair(a);
	if (strcmp(op, "read") == 0)
		return readf(a);
	if (strcmp(op, "size") == 0)
		return stat(a, &st) == 0 ? (int)st.st_size : -errno;
	if (strcmp(op, "fstatat") == 0)
		return fstatat(AT_FDCWD, a, &st, 0) == 0 ? (int)st.st_size :
		    -errno;
	return -EINVAL;
}

/* ------------------------------------------------------------------ */
/* The test side                                                       */

/* t/a/f holds "A", t/b/f holds "BB" (so their sizes differ too). */
static void
fresh_tree(void)
{
	tu_sh("rm -rf %1$s/t && mkdir -p %1$s/t/a %1$s/t/b", tu_dir);
	tu_put("t/a/f", "A");
	tu_put("t/b/f", "BB");
}

/* Every file call goes to the supervisor; chdir too (it is notified, so
 * the supervisor caches cwds). */
static const char *policy_all =
    "policy: 1\nname: cwd-all\ndefault: permit\nrules:\n"
    "  - fsread: filename inpath \"/nonexistent/cwd\" then deny\n"
    "  - fswrite: filename inpath \"/nonexistent/cwd\" then deny\n";
/* ...and nothing under t/moved may be read: decided on the path the object has
 * now, not on the one its directory had when its cwd was cached. */
static const char *policy_moved =
    "policy: 1\nname: cwd-moved\ndefault: permit\nrules:\n"
    "  - fsread: filename match \"%1$s/t/moved/*\" then deny\n"
    "  - rename: filename eq \"%1$s/t/a\" then permit widen\n";

/* Runs the steps natively and confined; each result must be want[i]
 * natively, and confined too unless conf is given. */
static void
run_steps(const char *pol_fmt, const char *args, const int *want,
    const int *conf, size_t n)
{
	const char *pol = tu_write_policy("p", pol_fmt, tu_dir);
	int res[16];
	size_t i;

	assert_true(n <= 16);
	fresh_tree();
	assert_int_equal(tu_run_ints(NULL, args, res, n), n);
	for (i = 0; i < n; i++)
		if (res[i] != want[i])
			fail_msg("step %zu natively: %d, want %d (%s)", i,
			    res[i], want[i], args);
	fresh_tree();
	assert_int_equal(tu_run_ints(pol, args, res, n), n);
	for (i = 0; i < n; i++)
		if (res[i] != (conf ? conf[i] : want[i]))
			fail_msg("step %zu confined: %d, want %d (%s)", i,
			    res[i], conf ? conf[i] : want[i], args);
}

static char args[4096];

/* chdir between relative opens and stats: each starts from the new cwd. */
static void
test_chdir(void **state)
{
	static const int want[] = { 0, 'A', 1, 1, 0, 'B', 2, 2, 0, 'A', 1 };

	(void)state;
	snprintf(args, sizeof(args), "cd %1$s/t/a read f size f fstatat f "
	    "cd ../b read f size f fstatat f cd %1$s/t/a read f size f",
	    tu_dir);
	run_steps(policy_all, args, want, NULL, sizeof(want) / sizeof(want[0]));
}

/* fchdir (not carried out by the supervisor: let through) moves it too. */
static void
test_fchdir(void **state)
{
	static const int want[] = { 0, 0, 'A', 0, 'B', 2, 0, 'A', 0, 'B' };

	(void)state;
	snprintf(args, sizeof(args), "save %1$s/t/b cd %1$s/t/a read f "
	    "fcd - read f size f cd %1$s/t/a read f fcd - read f", tu_dir);
	run_steps(policy_all, args, want, NULL, sizeof(want) / sizeof(want[0]));
}

/* Another thread's chdir or fchdir moves every thread's cwd. */
static void
test_thread(void **state)
{
	static const int want[] = { 0, 0, 'A', 1, 0, 'B', 2, 0, 'A', 0, 'B',
	    2 };

	(void)state;
	snprintf(args, sizeof(args), "save %1$s/t/b cd %1$s/t/a read f size f "
	    "tcd %1$s/t/b read f size f tcd ../a read f tfcd - read f size f",
	    tu_dir);
	run_steps(policy_all, args, want, NULL, sizeof(want) / sizeof(want[0]));
}

/* So does a child's that shares the fs attributes (clone CLONE_FS). */
static void
test_clone_fs(void **state)
{
	static const int want[] = { 0, 'A', 0, 'B', 2, 0, 'A', 1 };

	(void)state;
	snprintf(args, sizeof(args), "cd %1$s/t/a read f ccd %1$s/t/b read f "
	    "size f ccd %1$s/t/a read f size f", tu_dir);
	run_steps(policy_all, args, want, NULL, sizeof(want) / sizeof(want[0]));
}

/*
 * The cwd renamed: the same directory still (natively too), and the
 * decision is made on the path it has now: under t/moved, not read.
 */
static void
test_renamed(void **state)
{
	static const int want[] = { 0, 'A', 0, 'A', 1 };
	static const int conf[] = { 0, 'A', 0, -EPERM, -EPERM };

	(void)state;
	snprintf(args, sizeof(args), "cd %1$s/t/a read f mv %1$s/t/a:%1$s/t/moved "
	    "read f size f", tu_dir);
	run_steps(policy_moved, args, want, conf, sizeof(want) / sizeof(want[0]));
}

static int
setup(void **state)
{
	(void)state;
	return tu_selfrun_setup("cwd");
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chdir),
		cmocka_unit_test(test_fchdir),
		cmocka_unit_test(test_thread),
		cmocka_unit_test(test_clone_fs),
		cmocka_unit_test(test_renamed),
	};

	if (argc > 1 && strcmp(argv[1], "--target") == 0)
		return tu_target_steps(argc - 2, argv + 2, step);
	return cmocka_run_group_tests(tests, setup, tu_selfrun_teardown);
}
