/* test_linux_move.c: moves under `policyctl run`: renames, exchanges and links that would carry a
 * denied file out from under its rule are refused and logged; moves that change nothing still work. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "tu_selfrun.h"

/* ------------------------------------------------------------------ */
/* The target side: run confined, one step per argument triple         */

/*
 * Each step "op a b" prints the errno it ended with (0: done).  The ops
 * are the routes a program has to move or reach a file.
 */
static int
step(const char *op, const char *a, const char *b)
{
	char buf[64], proc[64];
	int fd, r = -1;
	ssize_t n;

	if (strcmp(op, "rename") == 0)
		r = rename(a, b);
	else if (strcmp(op, "exchange") == 0)
		r = (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b,
		    RENAME_EXCHANGE);
	else if (strcmp(op, "noreplace") == 0)
		r = (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b,
		    RENAME_NOREPLACE);
	else if (strcmp(op, "renameat") == 0) {
		/* a's directory as a descriptor, its last name relative */
		char dir[PATH_MAX], *slash;

		snprintf(dir, sizeof(dir), "%s", a);
		if ((slash = strrchr(dir, '/')) == NULL)
			return EINVAL;
		*slash = '\0';
		if ((fd = open(dir, O_RDONLY | O_DIRECTORY)) < 0)
			return errno;
		r = renameat(fd, slash + 1, AT_FDCWD, b);
		if (r != 0)
			r = errno;
		close(fd);
		return r;
	} else if (strcmp(op, "link") == 0)
		r = link(a, b);
	else if (strcmp(op, "linkproc") == 0) {
		/* the object by descriptor: /proc/self/fd/N, followed */
		if ((fd = open(a, O_PATH)) < 0)
			return errno;
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		r = linkat(AT_FDCWD, proc, AT_FDCWD, b, AT_SYMLINK_FOLLOW);
		if (r != 0)
			r = errno;
		close(fd);
		return r;
	} else if (strcmp(op, "bind") == 0)
		r = mount(a, b, NULL, MS_BIND, NULL);
	else if (strcmp(op, "bindtree") == 0) {
		/* the new mount API: a detached copy, then moved into place */
		if ((fd = (int)syscall(SYS_open_tree, AT_FDCWD, a,
		    OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC)) < 0)
			return errno;
		r = (int)syscall(SYS_move_mount, fd, "", AT_FDCWD, b,
		    MOVE_MOUNT_F_EMPTY_PATH);
		if (r != 0)
			r = errno;
		close(fd);
		return r;
	} else if (strcmp(op, "symlink") == 0)
		r = symlink(a, b);
	else if (strcmp(op, "read") == 0) {
		if ((fd = open(a, O_RDONLY)) < 0)
			return errno;
		n = read(fd, buf, sizeof(buf));
		close(fd);
		/* the secret's text read by any name is the failure */
		return n >= 6 && memcmp(buf, "secret", 6) == 0 ? 255 : 0;
	} else if (strcmp(op, "write") == 0) {
		if ((fd = open(a, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0)
			return errno;
		r = write(fd, b, strlen(b)) < 0 ? -1 : 0;
		close(fd);
	} else
		return EINVAL;
	return r == 0 ? 0 : errno;
}

static int
target(int argc, char **argv)
{
	int i;

	for (i = 0; i + 2 < argc; i += 3)
		printf("%d\n", step(argv[i], argv[i + 1], argv[i + 2]));
	return 0;
}

/* ------------------------------------------------------------------ */
/* The test side                                                       */

static ino_t secret_ino;
static dev_t secret_dev;

/* w/no/a (the secret) and w/no/sub/b beneath the denied directory; w/ok,
 * other: places no rule names. */
static void
fresh_tree(void)
{
	struct stat st;

	/* a mount a failed row left behind */
	(void)umount2(tu_path("w/ok"), MNT_DETACH);
	tu_sh("rm -rf %1$s/w %1$s/other && mkdir -p %1$s/w/no/sub %1$s/w/ok "
	    "%1$s/other", tu_dir);
	tu_put("w/no/a", "secret");
	tu_put("w/no/sub/b", "secret");
	tu_put("w/ok/x", "public");
	tu_put("w/ok/f", "public");
	tu_put("other/y", "public");
	assert_int_equal(stat(tu_path("w/no/a"), &st), 0);
	secret_ino = st.st_ino;
	secret_dev = st.st_dev;
}

static const char *policy_match =
    "policy: 1\nname: move-match\ndefault: permit\nrules:\n"
    "  - fsread: filename match \"%1$s/w/no/*\" then deny\n"
    "  - fswrite: filename match \"%1$s/w/no/*\" then deny\n";
static const char *policy_inpath =
    "policy: 1\nname: move-inpath\ndefault: permit\nrules:\n"
    "  - fsread: filename inpath \"%1$s/w/no\" then deny\n"
    "  - fswrite: filename inpath \"%1$s/w/no\" then deny\n";
/* No write rule at all: renames would otherwise be let through by the
 * kernel filter without reaching the supervisor. */
static const char *policy_readonly =
    "policy: 1\nname: move-readonly\ndefault: permit\nrules:\n"
    "  - fsread: filename match \"%1$s/w/no/*\" then deny\n";
static const char *policy_widen =
    "policy: 1\nname: move-widen\ndefault: permit\nrules:\n"
    "  - fsread: filename match \"%1$s/w/no/*\" then deny\n"
    "  - fswrite: filename match \"%1$s/w/no/*\" then deny\n"
    "  - rename: filename eq \"%1$s/w/no\" and filename2 eq "
    "\"%1$s/w/released\" then permit widen\n";

/* Runs the steps confined; results[i] the errno of step i, the log in
 * tu_logpath. */
static void
run_steps(const char *pol, const char *const *steps, size_t nsteps,
    int *results)
{
	char args[16 * PATH_MAX];
	size_t n = 0, i;

	args[0] = '\0';
	for (i = 0; i < nsteps; i++)
		n += (size_t)snprintf(args + n, sizeof(args) - n, " '%s'",
		    steps[i]);
	assert_true(n < sizeof(args) - PATH_MAX);
	(void)tu_run_ints(pol, args, results, nsteps / 3);
}

/* Every name of the secret's inode is still beneath w/no. */
static int escaped;
static int
find_secret(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)type;
	(void)ftw;
	if (st->st_ino == secret_ino && st->st_dev == secret_dev &&
	    strncmp(path, tu_path("w/no/"), strlen(tu_path("w/no/"))) != 0) {
		fprintf(stderr, "the secret is reachable as %s\n", path);
		escaped++;
	}
	return 0;
}

static void
assert_secret_held(void)
{
	struct stat st;

	escaped = 0;
	assert_int_equal(nftw(tu_dir, find_secret, 16, FTW_PHYS), 0);
	assert_int_equal(escaped, 0);
	assert_int_equal(stat(tu_path("w/no/a"), &st), 0);
	assert_true(st.st_ino == secret_ino);
}

/*
 * One row: steps run confined; want[i] the errno step i must end with
 * (-2: any failure, as long as the secret stays held); log: what the
 * log must say.
 */
struct move_row {
	const char	*name;
	const char	*steps[12];	/* rel paths: "~/" is the tree */
	int		want[4];
	const char	*log;
};

static void
run_row(const char *pol, const struct move_row *r)
{
	const char *steps[12];
	char abs[12][PATH_MAX];
	int res[4];
	size_t n, i;

	fresh_tree();
	for (n = 0; n < 12 && r->steps[n] != NULL; n++) {
		if (strncmp(r->steps[n], "~/", 2) == 0) {
			snprintf(abs[n], sizeof(abs[n]), "%s/%s", tu_dir,
			    r->steps[n] + 2);
			steps[n] = abs[n];
		} else
			steps[n] = r->steps[n];
	}
	run_steps(pol, steps, n, res);
	for (i = 0; i < n / 3; i++) {
		if (r->want[i] == -2 ? res[i] == 0 || res[i] == 255 :
		    res[i] != r->want[i])
			fail_msg("%s: step %zu (%s %s) ended with %d, want %d",
			    r->name, i + 1, steps[3 * i], steps[3 * i + 1],
			    res[i], r->want[i]);
	}
	if (r->log != NULL && !tu_log_has(r->log))
		fail_msg("%s: the log does not say \"%s\"", r->name, r->log);
	assert_secret_held();
}

#define MOVED	"move would change how the rule at line"

/* The table: each route refused, logged, the secret never reached. */
static const struct move_row refused[] = {
	{ "directory", { "rename", "~/w/no", "~/w/moved",
	    "read", "~/w/moved/a", "-" }, { EPERM, ENOENT }, MOVED },
	{ "directory by descriptor", { "renameat", "~/w/no", "~/w/moved" },
	    { EPERM }, MOVED },
	{ "ancestor", { "rename", "~/w", "~/w2",
	    "read", "~/w2/no/a", "-" }, { EPERM, ENOENT }, MOVED },
	{ "into another tree", { "rename", "~/w/no", "~/other/no" },
	    { EPERM }, MOVED },
	{ "subdirectory out", { "rename", "~/w/no/sub", "~/w/ok/sub" },
	    { EPERM }, "deny rename" },
	{ "exchange with a permitted directory", { "exchange", "~/w/no",
	    "~/w/ok", "read", "~/w/ok/a", "-" }, { EPERM, ENOENT }, MOVED },
	{ "exchange, no-replace form", { "noreplace", "~/w/no", "~/w/new" },
	    { EPERM }, MOVED },
	{ "hard link", { "link", "~/w/no/a", "~/w/ok/h" }, { EPERM },
	    "deny link" },
	{ "hard link by descriptor", { "linkproc", "~/w/no/a", "~/w/ok/h" },
	    { -2 }, NULL },
	{ "symbolic link", { "symlink", "~/w/no/a", "~/w/ok/s",
	    "read", "~/w/ok/s", "-" }, { 0, EPERM }, "deny open" },
	{ "a move, then a second move back", { "rename", "~/w/ok",
	    "~/w/ok.old", "rename", "~/w/no", "~/w/ok", "rename", "~/w/ok.old",
	    "~/w/ok", "read", "~/w/ok/a", "-" }, { 0, EPERM, 0, ENOENT },
	    MOVED },
	{ "a file no rule names, into the denied directory", { "rename",
	    "~/w/ok/f", "~/w/no/f" }, { EPERM }, MOVED },
	{ "bind mount", { "bind", "~/w/no", "~/w/ok", "read", "~/w/ok/a",
	    "-" }, { EPERM, ENOENT }, "policy says: the policy has path rules a "
	    "mount could move objects past)" },
	{ "bind mount by the new mount API", { "bindtree", "~/w/no", "~/w/ok",
	    "read", "~/w/ok/a", "-" }, { EPERM, ENOENT }, NULL },
};

/* Moves that widen nothing: done, the secret still held. */
static const struct move_row permitted[] = {
	{ "file in a permitted directory", { "rename", "~/w/ok/x",
	    "~/w/ok/y" }, { 0 }, NULL },
	{ "permitted directory to another tree", { "rename", "~/w/ok",
	    "~/other/ok" }, { 0 }, NULL },
	{ "exchange of two permitted places", { "exchange", "~/w/ok",
	    "~/other" }, { 0 }, NULL },
	{ "hard link of a permitted file", { "link", "~/w/ok/x",
	    "~/other/xl" }, { 0 }, NULL },
	{ "editor save: temporary file, then rename", { "write",
	    "~/w/ok/.f.swp", "edited", "rename", "~/w/ok/.f.swp", "~/w/ok/f" },
	    { 0, 0 }, NULL },
};

static void
table(const char *pol_fmt, const char *name, const struct move_row *rows,
    size_t n)
{
	const char *pol = tu_write_policy(name, pol_fmt, tu_dir);
	size_t i;

	for (i = 0; i < n; i++)
		run_row(pol, &rows[i]);
}

static void
test_refused_match(void **state)
{
	(void)state;
	table(policy_match, "match", refused, sizeof(refused) /
	    sizeof(refused[0]));
}

static void
test_refused_inpath(void **state)
{
	size_t i;

	(void)state;
	/* under inpath the rule itself denies moving w/no: any refusal */
	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct move_row r = refused[i];

		r.log = NULL;
		for (size_t j = 0; j < 4; j++)
			if (r.want[j] == EPERM)
				r.want[j] = -2;
		run_row(tu_write_policy("inpath", policy_inpath, tu_dir), &r);
	}
}

static void
test_refused_readonly(void **state)
{
	(void)state;
	table(policy_readonly, "readonly", refused, 4);
}

static void
test_permitted(void **state)
{
	(void)state;
	table(policy_match, "match", permitted, sizeof(permitted) /
	    sizeof(permitted[0]));
	table(policy_inpath, "inpath", permitted, sizeof(permitted) /
	    sizeof(permitted[0]));
}

/* "widen": the one move the policy names is let through, no other. */
static void
test_widen(void **state)
{
	const char *pol = tu_write_policy("widen", policy_widen, tu_dir);
	const char *steps[] = { "rename", tu_path("w/no"), tu_path("w/moved"),
	    "rename", tu_path("w/no"), tu_path("w/released") };
	int res[2];

	(void)state;
	fresh_tree();
	run_steps(pol, steps, 6, res);
	assert_int_equal(res[0], EPERM);
	assert_int_equal(res[1], 0);
	assert_true(tu_log_has(MOVED));
	assert_int_equal(access(tu_path("w/released/a"), F_OK), 0);
}

/* Ordinary programs that rename files work under a policy protecting a
 * directory they do not touch. */
static void
test_programs(void **state)
{
	const char *pol = tu_write_policy("match", policy_match, tu_dir);

	(void)state;
	fresh_tree();
	tu_sh("rm -rf %1$s/proj %1$s/x && mkdir -p %1$s/proj/src %1$s/x",
	    tu_dir);
	tu_put("proj/src/in.txt", "hello\n");
	tu_put("proj/Makefile", "out.txt: src/in.txt\n\tcp src/in.txt "
	    "out.tmp && mv out.tmp out.txt\n");
	tu_sh("tar -C %s/proj -cf %s/p.tar src", tu_dir, tu_dir);
	tu_sh("cd %s/proj && %s run -p %s -- sh -c '"
	    "git init -q && git add -A && git -c user.name=t -c "
	    "user.email=t@t commit -qm one && "
	    "make -s && test \"$(cat out.txt)\" = hello && "
	    "tar -C %s/x -xf %s/p.tar && test -f %s/x/src/in.txt && "
	    "sed -i s/hello/bye/ src/in.txt && "
	    "python3 -c \"import os,tempfile; "
	    "fd,t=tempfile.mkstemp(dir=\\\"src\\\"); os.write(fd,b\\\"saved\\\"); "
	    "os.close(fd); os.replace(t,\\\"src/in.txt\\\")\" && "
	    "git add -A && git -c user.name=t -c user.email=t@t commit -qm two "
	    "&& test $(git rev-list --count HEAD) = 2' 2>%s",
	    tu_dir, tu_policyctl, pol, tu_dir, tu_dir, tu_dir,
	    tu_logpath);
	assert_false(tu_log_has("deny"));
	assert_secret_held();
}

static int
setup(void **state)
{
	(void)state;
	return tu_selfrun_setup("move");
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused_match),
		cmocka_unit_test(test_refused_inpath),
		cmocka_unit_test(test_refused_readonly),
		cmocka_unit_test(test_permitted),
		cmocka_unit_test(test_widen),
		cmocka_unit_test(test_programs),
	};

	if (argc > 1 && strcmp(argv[1], "--target") == 0)
		return target(argc - 2, argv + 2);
	return cmocka_run_group_tests(tests, setup, tu_selfrun_teardown);
}
