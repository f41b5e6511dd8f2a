/* test_linux_open.c: open under `policyctl run` ends as the kernel's does: O_CREAT on a directory,
 * the flag combinations refused before a lookup, and O_PATH descriptors (real or emulated). */
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
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include "tu_selfrun.h"

/* ------------------------------------------------------------------ */
/* The target side: one step per argument pair, confined or not        */

#define BAD	255		/* the call worked, but not as it must */

static int
e(int r)
{
	return r < 0 ? errno : 0;
}

/*
 * Each step "op path" prints the errno it ended with (0: done as it must,
 * BAD: done, with the wrong result).
 */
static int
step(const char *op, const char *a)
{
	char buf[PATH_MAX], proc[64];
	struct stat st, st2;
	int fd, fd2, r;
	ssize_t n;

	/* O_CREAT and friends: the open alone */
	if (strcmp(op, "creat") == 0)
		return e(fd = open(a, O_RDONLY | O_CREAT, 0644)) ? errno :
		    (close(fd), 0);
	if (strcmp(op, "creat-excl") == 0)
		return e(fd = open(a, O_RDONLY | O_CREAT | O_EXCL, 0644)) ?
		    errno : (close(fd), 0);
	if (strcmp(op, "creat-directory") == 0)
		return e(fd = open(a, O_RDONLY | O_CREAT | O_DIRECTORY,
		    0644)) ? errno : (close(fd), 0);
	if (strcmp(op, "wronly") == 0)
		return e(fd = open(a, O_WRONLY)) ? errno : (close(fd), 0);
	if (strcmp(op, "nofollow-directory") == 0)
		return e(fd = open(a, O_RDONLY | O_NOFOLLOW | O_DIRECTORY)) ?
		    errno : (close(fd), 0);

	/*
	 * Written, closed, executed at once, 2,000 times: the file is no
	 * executable format (ENOEXEC) and must never be busy (ETXTBSY: the
	 * supervisor still held the description it opened for us, open for
	 * writing, when we ran on).
	 */
	if (strcmp(op, "write-exec") == 0) {
		char *const av[] = { (char *)a, NULL };
		int i;

		for (i = 0; i < 2000; i++) {
			if ((fd = open(a, O_WRONLY | O_CREAT | O_TRUNC |
			    O_CLOEXEC, 0755)) < 0)
				return errno;
			n = write(fd, "\1\2\3 no format\n", 14);
			close(fd);
			if (n != 14)
				return BAD;
			(void)execv(a, av);
			if (errno != ENOEXEC)
				return errno;
		}
		return ENOEXEC;
	}

	if (strcmp(op, "rdonly") == 0)
		return e(fd = open(a, O_RDONLY)) ? errno : (close(fd), 0);
	if (strcmp(op, "rdonly-nonblock") == 0)
		return e(fd = open(a, O_RDONLY | O_NONBLOCK)) ? errno :
		    (close(fd), 0);
	if (strcmp(op, "opendir") == 0)
		return e(fd = openat(AT_FDCWD, a, O_RDONLY | O_DIRECTORY |
		    O_CLOEXEC)) ? errno : (close(fd), 0);
	/* a /proc/self file, through a link: ours, not the supervisor's */
	if (strcmp(op, "read-self") == 0) {
		char want[32];

		if ((fd = open(a, O_RDONLY)) < 0)
			return errno;
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			return BAD;
		buf[n] = '\0';
		snprintf(want, sizeof(want), "\nPid:\t%d\n", (int)getpid());
		return strstr(buf, want) != NULL ? 0 : BAD;
	}

	/* O_PATH: the descriptor, then what is done with it */
	if (strncmp(op, "path-", 5) == 0) {
		int fl = O_PATH | (strstr(op, "-nofollow") ? O_NOFOLLOW : 0);

		if ((fd = open(a, fl)) < 0)
			return errno;
		op += 5;
		if (strncmp(op, "nofollow-", 9) == 0)
			op += 9;
		r = 0;
		if (strcmp(op, "open") == 0)
			;
		else if (strcmp(op, "read") == 0)
			r = e((int)read(fd, buf, 1));
		else if (strcmp(op, "fchmod") == 0)
			r = e(fchmod(fd, 0600));
		else if (strcmp(op, "fstat") == 0)
			/* the object named, by identity */
			r = fstat(fd, &st) != 0 ? errno : stat(a, &st2) != 0 ?
			    errno : st.st_ino == st2.st_ino &&
			    st.st_dev == st2.st_dev ? 0 : BAD;
		else if (strcmp(op, "dirfd") == 0) {
			/* a name under it, read through it */
			if ((fd2 = openat(fd, "f", O_RDONLY)) < 0)
				r = errno;
			else {
				n = read(fd2, buf, 6);
				r = n == 6 && memcmp(buf, "public", 6) == 0 ?
				    0 : BAD;
				close(fd2);
			}
		} else if (strcmp(op, "lstat") == 0)
			/* the link itself: fstatat(fd, "", AT_EMPTY_PATH) */
			r = fstatat(fd, "", &st, AT_EMPTY_PATH) != 0 ? errno :
			    S_ISLNK(st.st_mode) ? 0 : BAD;
		else if (strcmp(op, "readlink") == 0) {
			n = readlinkat(fd, "", buf, sizeof(buf) - 1);
			if (n < 0)
				r = errno;
			else {
				buf[n] = '\0';
				r = strcmp(buf, "f") == 0 ? 0 : BAD;
			}
		} else if (strcmp(op, "reopen-write") == 0) {
			/* the object again, for writing, by its fd's name */
			snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
			if ((fd2 = open(proc, O_WRONLY)) < 0)
				r = errno;
			else
				close(fd2);
		} else if (strcmp(op, "create-under") == 0) {
			if ((fd2 = openat(fd, "new", O_WRONLY | O_CREAT,
			    0644)) < 0)
				r = errno;
			else
				close(fd2);
		} else
			r = EINVAL;
		close(fd);
		return r;
	}
	return EINVAL;
}

static int
target(int argc, char **argv)
{
	int i;

	for (i = 0; i + 1 < argc; i += 2)
		printf("%d\n", step(argv[i], argv[i + 1]));
	return 0;
}

/* ------------------------------------------------------------------ */
/* The test side                                                       */

/*
 * t/dir (holding f), t/f, t/ldir -> dir, t/lf -> f, t/dangling -> nowhere,
 * t/ro (holding f, x), t/secret.
 */
static void
fresh_tree(void)
{
	tu_sh("rm -rf %1$s/t && mkdir -p %1$s/t/dir %1$s/t/ro && cd %1$s/t && "
	    "ln -s dir ldir && ln -s f lf && ln -s nowhere dangling", tu_dir);
	tu_put("t/f", "public");
	tu_put("t/dir/f", "public");
	tu_put("t/ro/f", "public");
	tu_put("t/ro/x", "public");
	tu_put("t/secret", "secret");
	assert_int_equal(chmod(tu_path("t/f"), 0644), 0);
}

/*
 * Policies (each denies unmounting: under a policy that may permit it, a
 * program run as root is in no Landlock domain, so every open of it is
 * supervised: policy_linux_landlock.c).  "writes": everything permitted,
 * but every writing open goes to the supervisor (an fswrite rule with a
 * condition); O_PATH and plain read opens (fsread) depend on no path
 * under it, and are the kernel's.  "paths": a
 * read rule with a path, so O_PATH opens are decided by the supervisor
 * too.  "stat": as "writes", with a stat rule on a path.
 */
static const char *policy_writes =
    "policy: 1\nname: open-writes\ndefault: permit\nrules:\n"
    "  - fswrite: filename match \"%1$s/t/ro/*\" then deny\n"
    "  - unmount: then deny\n";
static const char *policy_paths =
    "policy: 1\nname: open-paths\ndefault: permit\nrules:\n"
    "  - fsread: filename eq \"%1$s/t/secret\" then deny\n"
    "  - unmount: then deny\n";
static const char *policy_stat =
    "policy: 1\nname: open-stat\ndefault: permit\nrules:\n"
    "  - fswrite: filename match \"%1$s/t/ro/*\" then deny\n"
    "  - stat: filename eq \"%1$s/t/secret\" then deny\n"
    "  - unmount: then deny\n";

/* "nonblock": as "writes", and O_NONBLOCK opens refused by their flags. */
static const char *policy_nonblock =
    "policy: 1\nname: open-nonblock\ndefault: permit\nrules:\n"
    "  - open: flags sub \"O_NONBLOCK\" then deny\n"
    "  - fswrite: filename match \"%1$s/t/ro/*\" then deny\n"
    "  - unmount: then deny\n";

/* "opath-first": O_PATH opens permitted by their flags before any path
 * rule, so they are real (let through to the kernel) under path rules. */
static const char *policy_opath_first =
    "policy: 1\nname: open-opath-first\ndefault: permit\nrules:\n"
    "  - open: flags sub \"O_PATH\" then permit\n"
    "  - open: filename eq \"%1$s/t/secret\" then deny\n"
    "  - unmount: then deny\n";

/* Runs one step, confined under pol (or natively: NULL); its errno. */
static int
run1(const char *pol, const char *op, const char *path)
{
	char args[PATH_MAX + 64];
	int res;

	fresh_tree();
	snprintf(args, sizeof(args), "%s '%s'", op, path);
	(void)tu_run_ints(pol, args, &res, 1);
	return res;
}

/* The step ends with want natively, and confined the same. */
static void
same(const char *pol_fmt, const char *op, const char *rel, int want)
{
	const char *pol = tu_write_policy("p", pol_fmt, tu_dir);
	int nat = run1(NULL, op, tu_path(rel));
	int conf = run1(pol, op, tu_path(rel));

	if (nat != want)
		fail_msg("%s %s natively: %d, want %d", op, rel, nat, want);
	if (conf != want)
		fail_msg("%s %s confined: %d, want %d (as natively)", op, rel,
		    conf, want);
}

/* The step ends with want confined (natively: nat). */
static void
confined(const char *pol_fmt, const char *op, const char *rel, int nat,
    int want)
{
	const char *pol = tu_write_policy("p", pol_fmt, tu_dir);
	int n = run1(NULL, op, tu_path(rel));
	int c = run1(pol, op, tu_path(rel));

	if (n != nat)
		fail_msg("%s %s natively: %d, want %d", op, rel, n, nat);
	if (c != want)
		fail_msg("%s %s confined: %d, want %d", op, rel, c, want);
}

/* open(directory, O_RDONLY|O_CREAT) is EISDIR (LTP open11) */
static void
test_creat_directory(void **state)
{
	(void)state;
	same(policy_writes, "creat", "t/dir", EISDIR);
	same(policy_writes, "creat", "t/ldir", EISDIR);	/* followed */
	same(policy_writes, "creat", "t/dir/.", EISDIR);
}

/* O_CREAT with "name/": EISDIR, whatever name is (before O_EXCL) */
static void
test_creat_slash(void **state)
{
	(void)state;
	same(policy_writes, "creat", "t/dir/", EISDIR);
	same(policy_writes, "creat", "t/f/", EISDIR);
	same(policy_writes, "creat", "t/lf/", EISDIR);
	same(policy_writes, "creat", "t/new/", EISDIR);
	same(policy_writes, "creat-excl", "t/dir/", EISDIR);
	same(policy_writes, "creat", "t/f/x/", ENOTDIR);
}

/* O_CREAT|O_EXCL on anything there, a symlink too: EEXIST */
static void
test_creat_excl(void **state)
{
	(void)state;
	same(policy_writes, "creat-excl", "t/dir", EEXIST);
	same(policy_writes, "creat-excl", "t/lf", EEXIST);
	same(policy_writes, "creat-excl", "t/dangling", EEXIST);
	same(policy_writes, "creat-excl", "t/dir/..", EEXIST);
}

/* O_CREAT|O_DIRECTORY: EINVAL, there or not (Linux 6.4) */
static void
test_creat_o_directory(void **state)
{
	(void)state;
	same(policy_writes, "creat-directory", "t/dir", EINVAL);
	same(policy_writes, "creat-directory", "t/f", EINVAL);
	same(policy_writes, "creat-directory", "t/new", EINVAL);
}

/* writing a directory: EISDIR; O_NOFOLLOW|O_DIRECTORY on a link: ENOTDIR */
static void
test_directory_modes(void **state)
{
	(void)state;
	same(policy_writes, "wronly", "t/dir", EISDIR);
	same(policy_writes, "nofollow-directory", "t/lf", ENOTDIR);
}

/* an O_PATH descriptor cannot be read (LTP open13) */
static void
test_path_read(void **state)
{
	(void)state;
	same(policy_writes, "path-read", "t/f", EBADF);
}

/* ...nor have its mode changed, which stays as it was */
static void
test_path_fchmod(void **state)
{
	struct stat st;

	(void)state;
	same(policy_writes, "path-fchmod", "t/f", EBADF);
	assert_int_equal(stat(tu_path("t/f"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
}

/* fstat() of it names the object opened */
static void
test_path_fstat(void **state)
{
	(void)state;
	same(policy_writes, "path-fstat", "t/f", 0);
	same(policy_writes, "path-fstat", "t/dir", 0);
}

/* it serves as the directory of an openat() */
static void
test_path_dirfd(void **state)
{
	(void)state;
	same(policy_writes, "path-dirfd", "t/dir", 0);
}

/* O_PATH|O_NOFOLLOW on a symlink: the link (LTP chmod09, readlinkat01) */
static void
test_path_nofollow_link(void **state)
{
	(void)state;
	same(policy_writes, "path-nofollow-open", "t/lf", 0);
	same(policy_writes, "path-nofollow-lstat", "t/lf", 0);
	same(policy_writes, "path-nofollow-readlink", "t/lf", 0);
	same(policy_writes, "path-nofollow-lstat", "t/dangling", 0);
}

/* what the policy refuses stays refused through a real O_PATH descriptor */
static void
test_path_no_escape(void **state)
{
	(void)state;
	confined(policy_writes, "path-reopen-write", "t/ro/x", 0, EPERM);
	confined(policy_writes, "path-create-under", "t/ro", 0, EPERM);
	confined(policy_writes, "path-reopen-write", "t/f", 0, 0);
	assert_int_equal(access(tu_path("t/ro/new"), F_OK), -1);
}

/*
 * Under a policy whose read rules name paths, O_PATH opens are decided
 * by the supervisor, which cannot install an O_PATH descriptor: it gives
 * a read-only one of the same object, decided as a read too.  So a
 * refused file is refused, and what the emulation does differently from
 * the kernel is written down here: read succeeds, a symlink cannot be
 * opened (ELOOP).
 */
static void
test_path_emulated(void **state)
{
	(void)state;
	confined(policy_paths, "path-open", "t/secret", 0, EPERM);
	confined(policy_paths, "path-read", "t/secret", EBADF, EPERM);
	same(policy_paths, "path-fstat", "t/f", 0);
	same(policy_paths, "path-dirfd", "t/dir", 0);
	confined(policy_paths, "path-read", "t/f", EBADF, 0);
	confined(policy_paths, "path-nofollow-open", "t/lf", 0, ELOOP);
}

/* A rule permitting O_PATH opens by their flags, before the path rules,
 * makes them real again (LTP open13, chmod09, readlinkat01 under a policy
 * that permits O_PATH first); the path rule still refuses the file. */
static void
test_path_rule_first(void **state)
{
	(void)state;
	same(policy_opath_first, "path-read", "t/f", EBADF);
	same(policy_opath_first, "path-fchmod", "t/f", EBADF);
	same(policy_opath_first, "path-nofollow-open", "t/lf", 0);
	same(policy_opath_first, "path-read", "t/secret", EBADF);
	confined(policy_opath_first, "wronly", "t/secret", 0, EPERM);
}

/*
 * Where every plain read open (read access, no flag that writes, creates
 * or asks for O_PATH) is permitted whatever its path, the filter lets
 * them through by their flags: under "writes" a run of reads reaches the
 * supervisor not once, with the kernel's results; a read rule with a path,
 * or a flag rule that refuses some reads, keeps them supervised.
 */
static void
test_read_by_flags(void **state)
{
	(void)state;
	setenv("POLICYCTL_TALLY", "1", 1);
	same(policy_writes, "rdonly", "t/ro/x", 0);
	assert_true(tu_log_has("by the supervisor: 0"));
	same(policy_writes, "opendir", "t/ldir", 0);
	assert_true(tu_log_has("by the supervisor: 0"));
	same(policy_writes, "rdonly", "t/missing", ENOENT);
	assert_true(tu_log_has("by the supervisor: 0"));
	same(policy_writes, "rdonly-nonblock", "t/f", 0);
	assert_true(tu_log_has("by the supervisor: 0"));
	/* writes still go to the supervisor */
	confined(policy_writes, "wronly", "t/ro/x", 0, EPERM);
	assert_false(tu_log_has("by the supervisor: 0"));
	same(policy_paths, "rdonly", "t/f", 0);
	assert_false(tu_log_has("by the supervisor: 0"));
	confined(policy_nonblock, "rdonly-nonblock", "t/f", 0, EPERM);
	same(policy_nonblock, "rdonly", "t/f", 0);
	assert_false(tu_log_has("by the supervisor: 0"));
	unsetenv("POLICYCTL_TALLY");
}

/* A stat rule with a path keeps O_PATH opens in the supervisor: fstat()
 * of a real descriptor would tell what the rule refuses. */
static void
test_path_stat_rule(void **state)
{
	(void)state;
	confined(policy_stat, "path-read", "t/f", EBADF, 0);
	same(policy_stat, "path-fstat", "t/f", 0);
}

/*
 * The supervisor resolves an absolute path first kept to the root's mount
 * (RESOLVE_NO_XDEV), trusting a failure there at once; what leaves that
 * mount is resolved again.  Each ending, under read rules with a path
 * (every open supervised), is the kernel's: a file missing on the root's
 * mount, below a missing directory, below a file (opened or created);
 * links into /proc/self (the opener's, not the supervisor's), present
 * or missing.
 */
static void
test_resolve_root_mount(void **state)
{
	(void)state;
	tu_sh("ln -sfn /proc/self/status %1$s/lself && "
	    "ln -sfn /proc/self/nothing %1$s/lnone", tu_dir);
	same(policy_paths, "rdonly", "t/missing", ENOENT);
	same(policy_paths, "rdonly", "t/gone/f", ENOENT);
	same(policy_paths, "rdonly", "t/f/x", ENOTDIR);
	same(policy_paths, "rdonly", "t/dir/f", 0);
	/* creating: the directory is resolved first, and is missing */
	same(policy_writes, "creat", "t/gone/new", ENOENT);
	same(policy_writes, "creat", "t/f/new", ENOTDIR);
	same(policy_paths, "read-self", "lself", 0);
	same(policy_paths, "rdonly", "lnone", ENOENT);
	confined(policy_paths, "rdonly", "t/secret", 0, EPERM);
}

/* ...and a mount of another kind that no name hints at (a tmpfs in our
 * own mount namespace): found through it, missing in it, left by "..". */
static void
test_resolve_other_mount(void **state)
{
	(void)state;
	if (unshare(CLONE_NEWNS) != 0 ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) {
		print_message("test_resolve_other_mount: no mount namespace "
		    "(%s): skipped\n", strerror(errno));
		skip();
	}
	tu_sh("mkdir -p %s/m", tu_dir);
	assert_int_equal(mount("tmpfs", tu_path("m"), "tmpfs", 0, NULL), 0);
	tu_put("m/f", "public");
	same(policy_paths, "rdonly", "m/f", 0);
	same(policy_paths, "rdonly", "m/missing", ENOENT);
	same(policy_paths, "rdonly", "m/../t/f", 0);
	same(policy_paths, "rdonly", "m/../t/missing", ENOENT);
	confined(policy_paths, "rdonly", "m/../t/secret", 0, EPERM);
	/* in one run: once a path under /tmp has left the root's mount, the
	 * supervisor resolves the next ones under /tmp the other way */
	{
		char args[8 * PATH_MAX];
		int res[5];

		fresh_tree();
		snprintf(args, sizeof(args), "rdonly '%s' rdonly '%s' "
		    "rdonly '%s' rdonly '%s' rdonly '%s'", tu_path("m/f"),
		    tu_path("m/missing"), tu_path("t/f"), tu_path("t/missing"),
		    tu_path("t/secret"));
		assert_int_equal(tu_run_ints(tu_write_policy("p", policy_paths,
		    tu_dir), args, res, 5), 5);
		assert_int_equal(res[0], 0);
		assert_int_equal(res[1], ENOENT);
		assert_int_equal(res[2], 0);
		assert_int_equal(res[3], ENOENT);
		assert_int_equal(res[4], EPERM);
	}
	assert_int_equal(umount(tu_path("m")), 0);
}

/* A file written through the supervisor is not busy once we closed it. */
static void
test_write_then_exec(void **state)
{
	(void)state;
	same(policy_writes, "write-exec", "t/x", ENOEXEC);
}

static int
setup(void **state)
{
	(void)state;
	if (tu_selfrun_setup("open") != 0)
		return -1;
	umask(022);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_creat_directory),
		cmocka_unit_test(test_creat_slash),
		cmocka_unit_test(test_creat_excl),
		cmocka_unit_test(test_creat_o_directory),
		cmocka_unit_test(test_directory_modes),
		cmocka_unit_test(test_path_read),
		cmocka_unit_test(test_path_fchmod),
		cmocka_unit_test(test_path_fstat),
		cmocka_unit_test(test_path_dirfd),
		cmocka_unit_test(test_path_nofollow_link),
		cmocka_unit_test(test_path_rule_first),
		cmocka_unit_test(test_path_no_escape),
		cmocka_unit_test(test_path_emulated),
		cmocka_unit_test(test_path_stat_rule),
		cmocka_unit_test(test_read_by_flags),
		cmocka_unit_test(test_write_then_exec),
		cmocka_unit_test(test_resolve_root_mount),
		cmocka_unit_test(test_resolve_other_mount),
	};

	if (argc > 1 && strcmp(argv[1], "--target") == 0)
		return target(argc - 2, argv + 2);
	return cmocka_run_group_tests(tests, setup, tu_selfrun_teardown);
}
