/* test_linux_landlock.c: the Landlock offload of write opens: which policies it takes, and
 * that offloaded runs decide as supervised ones do, without notifying the supervisor. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <grp.h>
#include <pthread.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "testutil.h"
#include "policy_linux.h"
#include "policy_linux_landlock.h"

static char self[4096];
static char base[64];		/* BASE/w is writable, BASE/out is not */
static char offload_yaml[2048];
static struct policy_loaded *offload_pl;
static FILE *quiet;

/* ---- the confined target: each mode returns 0 when all went as it must */

static int
path_in(char *buf, size_t cap, const char *b, const char *rel)
{
	return snprintf(buf, cap, "%s/%s", b, rel) >= (int)cap ? -1 : 0;
}

/* n opens for writing in the permitted tree, each by another call */
static int
target_write(const char *b, long n)
{
	char p[256];
	long i;
	int fd;

	for (i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/w/f%ld", b, i % 4);
		switch (i % 4) {
		case 0:
			fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
			break;
		case 1:
			fd = openat(AT_FDCWD, p, O_RDWR | O_CREAT, 0644);
			break;
		case 2:
			fd = creat(p, 0644);
			break;
		default:
			fd = openat(AT_FDCWD, p, O_WRONLY | O_CREAT | O_APPEND,
			    0644);
			break;
		}
		if (fd < 0)
			return 10 + (int)(i % 4);
		if (write(fd, "x", 1) != 1 || ftruncate(fd, 0) != 0) {
			close(fd);
			return 20;
		}
		close(fd);
	}
	return 0;
}

/* every write open outside the tree fails EACCES, and changes nothing */
static int
target_deny(const char *b)
{
	char p[256], q[256];
	struct stat st;

	if (path_in(p, sizeof(p), b, "out/new") || path_in(q, sizeof(q), b,
	    "out/existing"))
		return 2;
	errno = 0;
	if (open(p, O_WRONLY | O_CREAT, 0644) >= 0 || errno != EACCES)
		return 10;
	errno = 0;
	if (openat(AT_FDCWD, p, O_RDWR | O_CREAT | O_TRUNC, 0644) >= 0 ||
	    errno != EACCES)
		return 11;
	errno = 0;
	if (creat(p, 0644) >= 0 || errno != EACCES)
		return 12;
	errno = 0;
	if (open(q, O_WRONLY | O_TRUNC) >= 0 || errno != EACCES)
		return 13;
	errno = 0;
	if (openat(AT_FDCWD, q, O_RDWR) >= 0 || errno != EACCES)
		return 14;
	if (stat(p, &st) == 0)
		return 15;			/* nothing was made */
	if (stat(q, &st) != 0 || st.st_size != 6)
		return 16;			/* nor truncated */
	/* a missing directory is ENOENT first, as natively */
	snprintf(p, sizeof(p), "%s/out/nodir/x", b);
	errno = 0;
	if (open(p, O_WRONLY | O_CREAT, 0644) >= 0 || errno != ENOENT)
		return 17;
	/* reading is not what the rule set decides */
	{
		int fd = open(q, O_RDONLY);

		if (fd < 0)
			return 18;
		close(fd);
	}
	return 0;
}

/* moves and links between directories of the permitted tree */
static int
target_move(const char *b)
{
	char a[256], c[256], d[256];
	int fd;

	snprintf(a, sizeof(a), "%s/w/a/f", b);
	snprintf(c, sizeof(c), "%s/w/c/f", b);
	snprintf(d, sizeof(d), "%s/w/a/g", b);
	if ((fd = open(a, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
		return 10;
	close(fd);
	if (rename(a, c) != 0)
		return errno == EXDEV ? 11 : 12;
	if (link(c, d) != 0)
		return errno == EXDEV ? 13 : 14;
	if (rename(d, a) != 0)		/* same directory */
		return 15;
	if (unlink(a) != 0 || unlink(c) != 0)
		return 16;
	return 0;
}

/* n write opens of /dev/null (an eq rule), then one of /dev/zero denied */
static int
target_devnull(long n)
{
	long i;
	int fd;

	for (i = 0; i < n; i++) {
		if ((fd = open("/dev/null", O_WRONLY)) < 0)
			return 10;
		if (write(fd, "x", 1) != 1)
			return 11;
		close(fd);
	}
	errno = 0;
	if (open("/dev/zero", O_WRONLY) >= 0 || errno != EACCES)
		return 12;
	return 0;
}

/*
 * A symbolic link in the tree flipped, by another thread, between a file
 * in the tree and one outside, while this thread opens it for appending
 * n times: the file outside is never opened for writing (Landlock checks
 * the object the kernel's own lookup found: nothing to race).
 */
static const char *flip_link, *flip_in, *flip_out;
static volatile int flip_stop;

static void *
flipper(void *arg)
{
	char tmp[300];

	(void)arg;
	snprintf(tmp, sizeof(tmp), "%s.new", flip_link);
	while (!flip_stop) {
		(void)unlink(tmp);
		if (symlink(flip_in, tmp) == 0)
			(void)rename(tmp, flip_link);
		(void)unlink(tmp);
		if (symlink(flip_out, tmp) == 0)
			(void)rename(tmp, flip_link);
	}
	return NULL;
}

static int
target_race(const char *b, long n)
{
	char link[256], in[256], out[256];
	pthread_t t;
	long i, wrote = 0, refused = 0;
	int fd;

	snprintf(link, sizeof(link), "%s/w/a/flip", b);
	snprintf(in, sizeof(in), "%s/w/a/in", b);
	snprintf(out, sizeof(out), "%s/out/existing", b);
	flip_link = link;
	flip_in = in;
	flip_out = out;
	if (symlink(in, link) != 0 || pthread_create(&t, NULL, flipper,
	    NULL) != 0)
		return 2;
	for (i = 0; i < n; i++) {
		if ((fd = open(link, O_WRONLY | O_APPEND | O_CREAT, 0644)) >= 0) {
			wrote += write(fd, "r", 1) == 1;
			close(fd);
		} else if (errno == EACCES)
			refused++;
	}
	flip_stop = 1;
	pthread_join(t, NULL);
	(void)unlink(link);
	(void)unlink(in);
	fprintf(stderr, "race: %ld appended in the tree, %ld refused\n",
	    wrote, refused);
	return wrote > 0 && refused > 0 ? 0 : 3;	/* both ways were tried */
}

/* umount BASE/m: 0, or its errno. */
static int
target_umount(const char *b)
{
	char p[4096];

	path_in(p, sizeof(p), b, "m");
	return umount(p) == 0 ? 0 : errno;
}

static int
target_main(int argc, char **argv)
{
	if (argc < 4)
		return 2;
	if (strcmp(argv[2], "write") == 0)
		return target_write(argv[3], argc > 4 ? atol(argv[4]) : 0);
	if (strcmp(argv[2], "deny") == 0)
		return target_deny(argv[3]);
	if (strcmp(argv[2], "move") == 0)
		return target_move(argv[3]);
	if (strcmp(argv[2], "race") == 0)
		return target_race(argv[3], argc > 4 ? atol(argv[4]) : 0);
	if (strcmp(argv[2], "devnull") == 0)
		return target_devnull(argc > 4 ? atol(argv[4]) : 0);
	if (strcmp(argv[2], "umount") == 0)
		return target_umount(argv[3]);
	return 2;
}

/* ---- the tests */

/* Run the target's mode under p (the Landlock ABI lowered to abi when
 * abi >= 0); its exit status; *sup: the calls the supervisor decided. */
static int
run(const struct policy *p, int abi, const char *mode, long n, uint64_t *sup)
{
	struct policy_linux_opts o;
	char num[32], err[256], abis[16];
	char *argv[] = { self, "--target", (char *)mode, base, num, NULL };
	int st, r;

	const char *was = getenv("POLICY_LANDLOCK_ABI");
	char saved[16];

	snprintf(saved, sizeof(saved), "%s", was != NULL ? was : "");
	snprintf(num, sizeof(num), "%ld", n);
	if (abi >= 0) {
		snprintf(abis, sizeof(abis), "%d", abi);
		setenv("POLICY_LANDLOCK_ABI", abis, 1);
	}
	memset(&o, 0, sizeof(o));
	o.plo_policy = p;
	o.plo_log = quiet;
	r = policy_linux_run(&o, argv, &st, err, sizeof(err));
	if (was != NULL)
		setenv("POLICY_LANDLOCK_ABI", saved, 1);
	else
		unsetenv("POLICY_LANDLOCK_ABI");
	if (r != 0)
		fprintf(stderr, "policy_linux_run: %s\n", err);
	assert_int_equal(r, 0);
	assert_true(WIFEXITED(st));
	if (sup != NULL)
		*sup = policy_linux_count_supervised();
	return WEXITSTATUS(st);
}

static bool
have_landlock(void)
{
	if (policy_linux_landlock_abi() >= POLICY_LL_ABI_MIN)
		return true;
	print_message("skipped: this kernel's Landlock ABI is %d (%d needed)\n",
	    policy_linux_landlock_abi(), POLICY_LL_ABI_MIN);
	return false;
}

/* The plan of a policy text (BASE replaced); its reason in why. */
static bool
plan_of(const char *yaml, char *why, size_t cap, size_t *ndirs)
{
	struct policy_loaded *pl = tu_compile(yaml, NULL);
	struct policy_linux_llplan plan;
	struct policy_sup s;
	bool w;

	assert_non_null(pl);
	memset(&s, 0, sizeof(s));
	s.s_pol = &pl->pl_policy;
	policy_linux_llplan(&s, s.s_pol, &plan);
	w = plan.ll_write;
	snprintf(why, cap, "%s", plan.ll_why);
	if (ndirs != NULL)
		*ndirs = plan.ll_ndirs;
	policy_linux_llplan_free(&plan);
	policy_loaded_free(pl);
	return w;
}

/* the offload policy (inpath permit, final deny EACCES, log: none) */
static void
test_plan_offloaded(void **state)
{
	char why[256];
	size_t nd = 0;

	(void)state;
	if (!have_landlock())
		skip();
	assert_true(plan_of(offload_yaml, why, sizeof(why), &nd));
	assert_int_equal(nd, 1);
}

/* Each change that makes Landlock inexact keeps write opens supervised,
 * with the reason. */
static void
test_plan_refused(void **state)
{
	static const struct {
		const char	*from, *to, *why;
	} cases[] = {
		{ "log: none", "log: deny", "denials are logged" },
		{ "log: none", "log: all", "every decision is logged" },
		{ "fswrite: then deny\n", "fswrite: then deny log\n",
		    "its decisions are logged" },
		{ "fswrite: then deny\n", "fswrite: then deny[EPERM]\n",
		    "denies with EPERM" },
		{ "fswrite: then deny\n", "fswrite: then ask\n", "it asks" },
		{ "fswrite: then deny\n", "open: filename re \"^/tmp/x\" then "
		    "permit\n  - fswrite: then deny\n", "regular expression" },
		{ "fswrite: then deny\n", "open: filename match \"/tmp/*.o\" "
		    "then permit\n  - fswrite: then deny\n", "glob pattern" },
		{ "fswrite: then deny\n", "open: filename inpath \"/nonexistent"
		    "/dir\" then permit\n  - fswrite: then deny\n",
		    "does not exist at launch" },
		{ "fswrite: then deny\n", "fswrite: filename inpath \"/tmp/x\" "
		    "then deny\n  - fswrite: then deny\n",
		    "rights only add up" },
		{ "fswrite: then deny\n", "open: flags sub \"O_APPEND\" then "
		    "permit\n  - fswrite: then deny\n", "flags or mode" },
		{ "  - rmdir:", "  - chmod:", "remove or rename" },
		{ "fswrite: then deny\n", "open: filename eq \"/nonexistent/f\" "
		    "then permit\n  - fswrite: then deny\n",
		    "file does not exist at launch" },
		{ "fswrite: then deny\n", "open: filename eq \"/tmp\" "
		    "then permit\n  - fswrite: then deny\n",
		    "a directory named alone" },
		{ "  - fswrite: then deny\n", "", "default: permit" },
		{ "  - rmdir:", "  - mkdir: permit\n  - rmdir:",
		    "mknod is let through" },
		{ "  - rmdir:", "  - truncate: permit\n  - rmdir:",
		    "truncate is let through" },
	};
	char yaml[4096], why[256];
	size_t i;

	(void)state;
	if (!have_landlock())
		skip();
	for (i = 0; i < __arraycount(cases); i++) {
		const char *at = strstr(offload_yaml, cases[i].from);
		size_t pre;

		assert_non_null(at);
		pre = (size_t)(at - offload_yaml);
		snprintf(yaml, sizeof(yaml), "%.*s%s%s", (int)pre, offload_yaml,
		    cases[i].to, at + strlen(cases[i].from));
		if (plan_of(yaml, why, sizeof(why), NULL) ||
		    strstr(why, cases[i].why) == NULL) {
			print_message("case %zu: expected \"%s\", got \"%s\"\n"
			    "%s", i, cases[i].why, why, yaml);
			fail();
		}
	}
}

/* Without Landlock, with too old an ABI, under -v, --dry-run: supervised. */
static void
test_plan_fallback(void **state)
{
	char was[16];
	struct policy_linux_llplan plan;
	struct policy_sup s;

	(void)state;
	snprintf(was, sizeof(was), "%s", getenv("POLICY_LANDLOCK_ABI") ?
	    getenv("POLICY_LANDLOCK_ABI") : "");
	memset(&s, 0, sizeof(s));
	s.s_pol = &offload_pl->pl_policy;
	setenv("POLICY_LANDLOCK_ABI", "0", 1);
	policy_linux_llplan(&s, s.s_pol, &plan);
	assert_false(plan.ll_write);
	assert_non_null(strstr(plan.ll_why, "no Landlock"));
	setenv("POLICY_LANDLOCK_ABI", "2", 1);
	policy_linux_llplan(&s, s.s_pol, &plan);
	if (was[0] != '\0')
		setenv("POLICY_LANDLOCK_ABI", was, 1);
	else
		unsetenv("POLICY_LANDLOCK_ABI");
	assert_false(plan.ll_write);
	if (policy_linux_landlock_abi() >= 3)
		assert_non_null(strstr(plan.ll_why, "ABI 2"));
	s.s_verbose = 1;
	policy_linux_llplan(&s, s.s_pol, &plan);
	assert_false(plan.ll_write);
	s.s_verbose = 0;
	s.s_dry_run = 1;
	policy_linux_llplan(&s, s.s_pol, &plan);
	assert_false(plan.ll_write);
}

/* Permitted write opens work, and reach no supervisor: 200 more opens,
 * no more notifications; supervised, 200 more. */
static void
test_write_permitted_unnotified(void **state)
{
	uint64_t s0, s1, f0, f1;

	(void)state;
	if (!have_landlock())
		skip();
	assert_int_equal(run(&offload_pl->pl_policy, -1, "write", 0, &s0), 0);
	assert_int_equal(run(&offload_pl->pl_policy, -1, "write", 200, &s1), 0);
	assert_int_equal(run(&offload_pl->pl_policy, 0, "write", 0, &f0), 0);
	assert_int_equal(run(&offload_pl->pl_policy, 0, "write", 200, &f1), 0);
	print_message("supervised: Landlock %llu -> %llu; without %llu -> "
	    "%llu\n", (unsigned long long)s0, (unsigned long long)s1,
	    (unsigned long long)f0, (unsigned long long)f1);
	assert_true(s1 <= s0 + 2);
	assert_true(f1 >= f0 + 200);
}

/* Denied write opens fail EACCES and change nothing, with Landlock and
 * without; and with Landlock the supervisor never sees them. */
static void
test_write_denied_same(void **state)
{
	uint64_t s0, s1;

	(void)state;
	if (!have_landlock())
		skip();
	assert_int_equal(run(&offload_pl->pl_policy, -1, "write", 0, &s0), 0);
	assert_int_equal(run(&offload_pl->pl_policy, -1, "deny", 0, &s1), 0);
	/* the deny mode's stat and read-only open are supervised: 3 */
	assert_true(s1 <= s0 + 4);
	assert_int_equal(run(&offload_pl->pl_policy, 0, "deny", 0, NULL), 0);
}

/* A rename and a link between directories of the permitted tree work
 * (no EXDEV from Landlock's REFER: the supervisor makes them), with
 * Landlock and without. */
static void
test_move_no_exdev(void **state)
{
	(void)state;
	if (!have_landlock())
		skip();
	assert_int_equal(run(&offload_pl->pl_policy, -1, "move", 0, NULL), 0);
	assert_int_equal(run(&offload_pl->pl_policy, 0, "move", 0, NULL), 0);
}

/*
 * A Landlock domain refuses mount and umount whatever it handles: a policy
 * that permits unmounting (here by its default) is not offloaded, and its
 * program unmounts; with unmount denied it is, and the policy refuses.
 */
static void
test_unmount_permitted(void **state)
{
	char m[4096], yaml[sizeof(offload_yaml)], *cut;
	struct policy_loaded *pl;
	struct stat st, up;

	(void)state;
	if (!have_landlock())
		skip();
	if (geteuid() != 0) {
		print_message("skipped: mounting a tmpfs needs root\n");
		skip();
	}
	snprintf(yaml, sizeof(yaml), "%s", offload_yaml);
	assert_non_null(cut = strstr(yaml, "  - unmount: then deny\n"));
	*cut = '\0';
	assert_non_null(pl = tu_compile(yaml, NULL));
	path_in(m, sizeof(m), base, "m");
	assert_int_equal(mkdir(m, 0755), 0);
	assert_int_equal(mount("none", m, "tmpfs", 0, NULL), 0);
	assert_int_not_equal(run(&offload_pl->pl_policy, -1, "umount", 0,
	    NULL), 0);
	assert_int_equal(run(&pl->pl_policy, -1, "umount", 0, NULL), 0);
	assert_int_equal(stat(m, &st), 0);
	assert_int_equal(stat(base, &up), 0);
	if (st.st_dev != up.st_dev)	/* still mounted: leave nothing */
		(void)umount(m);
	assert_int_equal(st.st_dev, up.st_dev);
	assert_int_equal(rmdir(m), 0);
	policy_loaded_free(pl);
}

/* policy_linux_landlock_same: a reload with the same write rules keeps
 * the rule set; one with another directory cannot. */
static void
test_reload_same(void **state)
{
	struct policy_sup s;
	struct policy_loaded *pl2;
	char yaml[4096], err[256];
	const char *at;

	(void)state;
	if (!have_landlock())
		skip();
	memset(&s, 0, sizeof(s));
	s.s_pol = &offload_pl->pl_policy;
	assert_int_equal(policy_linux_landlock_prepare(&s, false, err,
	    sizeof(err)), 0);
	assert_true(policy_linux_landlock_active()->ll_write);
	assert_true(policy_linux_landlock_same(&s, s.s_pol));
	at = strstr(offload_yaml, "/w\" then permit");
	assert_non_null(at);
	snprintf(yaml, sizeof(yaml), "%.*s/w/c%s", (int)(at - offload_yaml),
	    offload_yaml, at + 2);
	assert_non_null(pl2 = tu_compile(yaml, NULL));
	assert_false(policy_linux_landlock_same(&s, &pl2->pl_policy));
	policy_linux_landlock_done();
	policy_loaded_free(pl2);
}

/* The race above: the file outside keeps its 6 bytes ("intact"). */
static void
test_symlink_race(void **state)
{
	char p[256];
	struct stat st;

	(void)state;
	if (!have_landlock())
		skip();
	/* the supervisor's rename of the link: permitted, in the tree */
	assert_int_equal(run(&offload_pl->pl_policy, -1, "race", 20000, NULL),
	    0);
	path_in(p, sizeof(p), base, "out/existing");
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_size, 6);
}

/*
 * An eq file in a directory the program cannot change: /dev/null for a
 * user (as root, the user nobody, in a child).  Offloaded, with file
 * rights only: 100 write opens of it reach no supervisor, /dev/zero is
 * EACCES.  Exit status of the child: 0, or which step failed.
 */
static int
eq_file_child(void)
{
	static const char yaml[] = "policy: 1\nname: devnull\n"
	    "default: permit\nerrno: EACCES\nlog: none\nrules:\n"
	    "  - open: filename eq \"/dev/null\" then permit\n"
	    "  - fswrite: then deny\n"
	    "  - unmount: then deny\n";
	struct policy_linux_llplan plan;
	struct policy_linux_opts o;
	struct policy_loaded *pl;
	struct policy_sup s;
	uint64_t sup[2];
	char err[256], *argv[] = { self, "--target", "devnull", base, NULL,
	    NULL };
	int st, i;

	if (geteuid() == 0 && (setgroups(0, NULL) != 0 ||
	    setresgid(65534, 65534, 65534) != 0 ||
	    setresuid(65534, 65534, 65534) != 0 ||
	    prctl(PR_SET_DUMPABLE, 1) != 0))	/* ptrace our children */
		return 2;
	if ((pl = tu_compile(yaml, NULL)) == NULL)
		return 3;
	memset(&s, 0, sizeof(s));
	s.s_pol = &pl->pl_policy;
	policy_linux_llplan(&s, s.s_pol, &plan);
	if (!plan.ll_write || plan.ll_ndirs != 1 || plan.ll_isdir[0]) {
		fprintf(stderr, "eq file: not offloaded: %s\n", plan.ll_why);
		return 4;
	}
	policy_linux_llplan_free(&plan);
	for (i = 0; i < 2; i++) {
		memset(&o, 0, sizeof(o));
		o.plo_policy = &pl->pl_policy;
		o.plo_log = quiet;
		argv[4] = i == 0 ? "0" : "100";
		if (policy_linux_run(&o, argv, &st, err, sizeof(err)) != 0) {
			fprintf(stderr, "policy_linux_run: %s\n", err);
			return 5;
		}
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "eq file: target status %#x\n", st);
			return 6;
		}
		sup[i] = policy_linux_count_supervised();
	}
	fprintf(stderr, "eq file: supervised %llu -> %llu\n",
	    (unsigned long long)sup[0], (unsigned long long)sup[1]);
	return sup[1] <= sup[0] + 2 ? 0 : 7;
}

static void
test_eq_file_user(void **state)
{
	pid_t pid;
	int st;

	(void)state;
	if (!have_landlock())
		skip();
	if ((pid = fork()) == 0)
		_exit(eq_file_child());
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static int
setup(void **state)
{
	char p[256];
	ssize_t n;
	int fd;

	(void)state;
	setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) < 0)
		return -1;
	self[n] = '\0';
	strcpy(base, "/tmp/plx-landlock.XXXXXX");
	if (mkdtemp(base) == NULL)
		return -1;
	path_in(p, sizeof(p), base, "w");
	(void)mkdir(p, 0755);
	path_in(p, sizeof(p), base, "w/a");
	(void)mkdir(p, 0755);
	path_in(p, sizeof(p), base, "w/c");
	(void)mkdir(p, 0755);
	path_in(p, sizeof(p), base, "out");
	(void)mkdir(p, 0755);
	path_in(p, sizeof(p), base, "out/existing");
	if ((fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
	    write(fd, "intact", 6) != 6)
		return -1;
	close(fd);
	snprintf(offload_yaml, sizeof(offload_yaml),
	    "policy: 1\nname: landlock\ndefault: permit\nerrno: EACCES\n"
	    "log: none\nrules:\n"
	    "  - rmdir: filename eq \"%s/w\" then deny\n"
	    "  - rename: filename eq \"%s/w\" then deny\n"
	    "  - fswrite: filename inpath \"%s/w\" then permit\n"
	    "  - fswrite: then deny\n"
	    "  - unmount: then deny\n", base, base, base);
	if ((offload_pl = tu_compile(offload_yaml, NULL)) == NULL ||
	    (quiet = fopen("/dev/null", "w")) == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", base);
	if (system(cmd) != 0)
		return -1;
	policy_loaded_free(offload_pl);
	fclose(quiet);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plan_offloaded),
		cmocka_unit_test(test_plan_refused),
		cmocka_unit_test(test_plan_fallback),
		cmocka_unit_test(test_write_permitted_unnotified),
		cmocka_unit_test(test_write_denied_same),
		cmocka_unit_test(test_move_no_exdev),
		cmocka_unit_test(test_unmount_permitted),
		cmocka_unit_test(test_reload_same),
		cmocka_unit_test(test_eq_file_user),
		cmocka_unit_test(test_symlink_race),
	};

	if (argc > 1 && strcmp(argv[1], "--target") == 0)
		return target_main(argc, argv);
	return cmocka_run_group_tests(tests, setup, teardown);
}
