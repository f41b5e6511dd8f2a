/* test_linux_reach.c: the supervisor's own /proc/PID stays out of a confined program's reach
 * by every route: by name, magic links, a dirfd or cwd inside it, the kernel's own opens. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "tu_selfrun.h"

/* ------------------------------------------------------------------ */
/* The target side: one step per argument pair                        */

static int saved = -1;		/* the last O_PATH descriptor opened */

/* arg with each '@' replaced by the supervisor's pid (our parent) */
static const char *
at_sup(const char *arg)
{
	static char buf[PATH_MAX];
	char pid[16];
	size_t o = 0, n;

	snprintf(pid, sizeof(pid), "%d", (int)getppid());
	n = strlen(pid);
	for (; *arg != '\0' && o + n + 1 < sizeof(buf); arg++)
		if (*arg == '@') {
			memcpy(buf + o, pid, n);
			o += n;
		} else
			buf[o++] = *arg;
	buf[o] = '\0';
	return buf;
}

static int
opened(int fd)
{
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/*
 * open PATH (read), openw PATH (read and write), opath PATH (O_PATH, kept),
 * reopen - (the kept one, read and write, through /proc/self/fd),
 * at NAME (openat of the kept one, read), cd PATH, readlink PATH,
 * mv A:B (rename).  Each prints 0 or -errno.
 */
static int
step(const char *op, const char *a)
{
	char buf[PATH_MAX];

	a = at_sup(a);
	if (strcmp(op, "open") == 0)
		return opened(open(a, O_RDONLY));
	if (strcmp(op, "openw") == 0)
		return opened(open(a, O_RDWR));
	if (strcmp(op, "opath") == 0) {
		if (saved >= 0)
			close(saved);
		saved = open(a, O_PATH);
		return saved < 0 ? -errno : 0;
	}
	if (strcmp(op, "reopen") == 0) {
		snprintf(buf, sizeof(buf), "/proc/self/fd/%d", saved);
		return opened(open(buf, O_RDWR));
	}
	if (strcmp(op, "at") == 0)
		return opened(openat(saved, a, O_RDONLY));
	if (strcmp(op, "cd") == 0)
		return chdir(a) == 0 ? 0 : -errno;
	if (strcmp(op, "readlink") == 0)
		return readlink(a, buf, sizeof(buf)) >= 0 ? 0 : -errno;
	if (strcmp(op, "mv") == 0)
		return tu_rename_pair(a);
	return -EINVAL;
}

/* ------------------------------------------------------------------ */
/* The test side                                                       */

/* Every open let through by name (and O_PATH ones by their flags); no
 * mount (a Landlock domain refuses them: see policy_mounts). */
static const char *policy_permit =
    "policy: 1\nname: reach-permit\ndefault: permit\nrules:\n"
    "  - mount: then deny\n"
    "  - unmount: then deny\n";
/* The same, mounts permitted: no domain, so every open is supervised. */
static const char *policy_mounts =
    "policy: 1\nname: reach-mounts\ndefault: permit\nrules:\n"
    "  - ptrace: then deny\n";
/* O_PATH opens by their flags; the others, and stat, supervised; chdir by
 * name. */
static const char *policy_opath =
    "policy: 1\nname: reach-opath\ndefault: permit\nrules:\n"
    "  - open: flags sub \"O_PATH\" then permit\n"
    "  - open: filename eq \"/nonexistent/reach\" then deny\n"
    "  - unmount: then deny\n";
/* Every path call supervised, chdir too. */
static const char *policy_all =
    "policy: 1\nname: reach-all\ndefault: permit\nrules:\n"
    "  - fsread: filename inpath \"/nonexistent/reach\" then deny\n"
    "  - fswrite: filename inpath \"/nonexistent/reach\" then deny\n";

/* A step's result: 0 (done) or denied (any error). */
#define OK	0
#define NO	1

static char args[4096];

/* Runs the steps confined under pol; each must succeed (OK) or fail (NO). */
static void
run_steps(const char *pol_fmt, const int *want, size_t n)
{
	const char *pol = tu_write_policy("p", pol_fmt, tu_dir);
	int res[32];
	size_t i;

	assert_true(n <= 32);
	tu_sh("rm -rf %1$s/d1 %1$s/d2 && mkdir %1$s/d1 %1$s/d2 && "
	    "echo x >%1$s/d1/f", tu_dir);
	assert_int_equal(tu_run_ints(pol, args, res, n), n);
	for (i = 0; i < n; i++)
		if ((want[i] == OK) != (res[i] == 0))
			fail_msg("step %zu: %d, want %s (%s)", i, res[i],
			    want[i] == OK ? "success" : "an error", args);
}

/*
 * Opens the kernel makes itself (the filter lets them through by name):
 * a program that may hold CAP_SYS_PTRACE is kept in a Landlock domain,
 * which refuses it our memory and our descriptors' links; what it may do
 * otherwise is unchanged (its own /proc, a move between directories).
 */
static void
test_kernel_opens(void **state)
{
	static const int want[] = { NO, NO, NO, NO, NO, OK, OK, OK };

	(void)state;
	snprintf(args, sizeof(args), "openw /proc/@/mem open /proc/@/mem "
	    "readlink /proc/@/fd/0 open /proc/@/cwd/. open /proc/@/root/. "
	    "open /proc/self/status openw /proc/self/mem mv %1$s/d1/f:%1$s/d2/f",
	    tu_dir);
	run_steps(policy_permit, want, sizeof(want) / sizeof(want[0]));
}

/* The same with no Landlock: every open is then supervised. */
static void
test_kernel_opens_nolandlock(void **state)
{
	static const int want[] = { NO, NO, NO, NO, OK, OK };

	(void)state;
	setenv("POLICY_LANDLOCK_ABI", "0", 1);
	snprintf(args, sizeof(args), "openw /proc/@/mem open /proc/@/environ "
	    "opath /proc/@/mem open /proc/@/root/. open /proc/self/status "
	    "mv %1$s/d1/f:%1$s/d2/f", tu_dir);
	run_steps(policy_permit, want, sizeof(want) / sizeof(want[0]));
	unsetenv("POLICY_LANDLOCK_ABI");
}

/* A policy that permits mounts: a domain would refuse them, so there is
 * none, and every open goes to the supervisor, which refuses our /proc. */
static void
test_kernel_opens_mounts(void **state)
{
	static const int want[] = { NO, NO, NO, OK, OK };

	(void)state;
	snprintf(args, sizeof(args), "openw /proc/@/mem open /proc/@/environ "
	    "opath /proc/@/mem open /proc/self/status mv %1$s/d1/f:%1$s/d2/f",
	    tu_dir);
	run_steps(policy_mounts, want, sizeof(want) / sizeof(want[0]));
}

/*
 * An O_PATH descriptor of our memory, which the kernel opened for the
 * program: reopened through /proc/self/fd (a magic link), the supervisor
 * would open its own memory with its own rights over itself.  Likewise a
 * dirfd or a cwd inside our /proc/PID, and the fd links there.  The same
 * routes into the program's own /proc/PID work.
 */
static void
test_magic_routes(void **state)
{
	static const int want[] = {
		OK, NO,			/* O_PATH of our mem, reopened */
		OK, NO, NO, NO,		/* a dirfd in our /proc/PID */
		OK, NO, NO, NO,		/* a cwd there */
		OK, OK,			/* the program's own */
		OK, OK, OK,
	};

	(void)state;
	snprintf(args, sizeof(args),
	    "opath /proc/@/mem reopen - "
	    "opath /proc/@ at mem at environ at fd/0 "
	    "cd /proc/@ open mem open environ open fd/0 "
	    "opath %1$s/d1/f reopen - "
	    "opath /proc/self at status cd /proc/self", tu_dir);
	run_steps(policy_opath, want, sizeof(want) / sizeof(want[0]));
}

/* Every path call supervised: refused by name, chdir included. */
static void
test_supervised(void **state)
{
	static const int want[] = { NO, NO, NO, NO, OK, OK };

	(void)state;
	snprintf(args, sizeof(args), "cd /proc/@ openw /proc/@/mem "
	    "opath /proc/@/environ readlink /proc/@/exe "
	    "open /proc/self/status cd /proc/self");
	run_steps(policy_all, want, sizeof(want) / sizeof(want[0]));
}

static int
setup(void **state)
{
	(void)state;
	return tu_selfrun_setup("reach");
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_opens),
		cmocka_unit_test(test_kernel_opens_nolandlock),
		cmocka_unit_test(test_kernel_opens_mounts),
		cmocka_unit_test(test_magic_routes),
		cmocka_unit_test(test_supervised),
	};

	if (argc > 1 && strcmp(argv[1], "--target") == 0)
		return tu_target_steps(argc - 2, argv + 2, step);
	return cmocka_run_group_tests(tests, setup, tu_selfrun_teardown);
}
