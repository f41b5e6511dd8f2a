/* test_rmove.c: the move table of test_linux_move.c in the NetBSD kernel: renames and links that would
 * carry a denied file out from under its rule are refused by the wrappers, the same moves elsewhere work. */
#include "rt.h"

#define W	RT_T "/w"

/* The policy of the issue: everything but reading and writing beneath w/no. */
#define RM_MATCH \
	"policy: 1\nname: move\ndefault: permit\nrules:\n" \
	"  - fsread: filename match \"" W "/no/*\" then deny\n" \
	"  - fswrite: filename match \"" W "/no/*\" then deny\n"
/* No write rule: renames are decided by the move check alone. */
#define RM_READONLY \
	"policy: 1\nname: move\ndefault: permit\nrules:\n" \
	"  - fsread: filename match \"" W "/no/*\" then deny\n"
#define RM_WIDEN RM_MATCH \
	"  - rename: filename eq \"" W "/no\" and filename2 eq \"" W \
	"/released\" then permit widen\n"

static struct rt_stat rm_secret;

static void
rm_mkdir(const char *p)
{
	rt_works(rump_sys_mkdir(p, 0755));
}

/* w/no/a (the secret), w/no/sub/b; w/ok, other: places no rule names. */
static void
rm_tree(void)
{
	rt_admin();
	rt_fresh();
	rm_mkdir(W);
	rm_mkdir(W "/no");
	rm_mkdir(W "/no/sub");
	rm_mkdir(W "/ok");
	rm_mkdir(RT_T "/other");
	rt_mkfile(W "/no/a", "secret");
	rt_mkfile(W "/no/sub/b", "secret");
	rt_mkfile(W "/ok/x", "public");
	rt_mkfile(W "/ok/f", "public");
	assert_int_equal(rt_stat(W "/no/a", false, &rm_secret), 0);
}

/* The secret: still w/no/a, and none of the names the row made (symbolic
 * links are names of their own, decided on what they lead to). */
static void
rm_held(const char *const *names)
{
	struct rt_stat st;
	char p[256];
	size_t i;

	rt_admin();
	assert_int_equal(rt_stat(W "/no/a", false, &st), 0);
	assert_int_equal(st.st_ino, rm_secret.st_ino);
	for (i = 0; names[i] != NULL; i++) {
		snprintf(p, sizeof(p), "%s", names[i]);
		if (rt_stat(p, false, &st) == 0 && st.st_ino == rm_secret.st_ino)
			fail_msg("the secret is reachable as %s", p);
		snprintf(p, sizeof(p), "%s/a", names[i]);
		if (rt_stat(p, false, &st) == 0 && st.st_ino == rm_secret.st_ino)
			fail_msg("the secret is reachable as %s", p);
	}
}

static int
rm_dirfd(const char *dir)
{
	return rump_sys_open(dir, RUMP_O_RDONLY | RUMP_O_DIRECTORY);
}

/* Each row: in a fresh tree, confined by yaml, the calls, then the names
 * it tried, none of which may be the secret. */
static void
rm_refused(const char *yaml, int e)
{
	static const char *const names[] = { W "/moved", RT_T "/w2",
	    RT_T "/w2/no", RT_T "/other/no", W "/ok/sub", W "/ok/h",
	    W "/ok/h2", W "/ok/s", W "/ok", W "/no/f", NULL };
	char buf[16];
	int fd;

	/* directory */
	rm_tree();
	rt_proc();
	assert_int_equal(rt_confine(yaml), 0);
	rt_fails(rump_sys_rename(W "/no", W "/moved"), e);
	rt_fails(rump_sys_open(W "/moved/a", RUMP_O_RDONLY), ENOENT);
	/* directory by descriptor */
	rt_fails(rump_sys_renameat(fd = rm_dirfd(W), "no", RT_AT_FDCWD,
	    W "/moved"), e);
	rump_sys_close(fd);
	/* ancestor */
	rt_fails(rump_sys_rename(W, RT_T "/w2"), e);
	/* into another tree */
	rt_fails(rump_sys_rename(W "/no", RT_T "/other/no"), e);
	/* hard links: by path and by directory descriptor */
	rt_fails(rump_sys_link(W "/no/a", W "/ok/h"), e);
	rt_fails(rump_sys_linkat(fd = rm_dirfd(W "/no"), "a", RT_AT_FDCWD,
	    W "/ok/h2", 0), e);
	rump_sys_close(fd);
	/* a symbolic link is made, and decides nothing */
	rt_works(rump_sys_symlink(W "/no/a", W "/ok/s"));
	rt_fails(rump_sys_open(W "/ok/s", RUMP_O_RDONLY), EPERM);
	/* a move, then a second move back */
	rt_works(rump_sys_rename(W "/ok", W "/ok.old"));
	rt_fails(rump_sys_rename(W "/no", W "/ok"), e);
	rt_works(rump_sys_rename(W "/ok.old", W "/ok"));
	rt_fails(rump_sys_open(W "/ok/a", RUMP_O_RDONLY), ENOENT);
	/* a file no rule names, into the denied directory */
	rt_fails(rump_sys_rename(W "/ok/f", W "/no/f"), e);
	/* the secret itself, by its own name */
	fd = rump_sys_open(W "/no/a", RUMP_O_RDONLY);
	assert_true(fd < 0 || rump_sys_read(fd, buf, sizeof(buf)) < 0);
	rt_proc_exit();
	rm_held(names);
}

static void
test_refused(void **state)
{
	(void)state;
	rm_refused(RM_MATCH, EPERM);
}

/* With no write rule, nothing but the move check stands in the way. */
static void
test_refused_readonly(void **state)
{
	(void)state;
	rm_refused(RM_READONLY, EPERM);
}

/* Moves that widen nothing still work: editors, build tools. */
static void
test_permitted(void **state)
{
	static const char *const names[] = { W "/ok/y", RT_T "/other/ok",
	    RT_T "/other/xl", NULL };

	(void)state;
	rm_tree();
	rt_proc();
	assert_int_equal(rt_confine(RM_MATCH), 0);
	rt_works(rump_sys_rename(W "/ok/x", W "/ok/y"));
	rt_works(rump_sys_link(W "/ok/y", W "/ok/x"));
	rt_works(rump_sys_rename(W "/ok", RT_T "/other/ok"));
	rt_works(rump_sys_link(RT_T "/other/ok/x", RT_T "/other/xl"));
	rt_mkfile(RT_T "/other/ok/.f.swp", "edited");
	rt_works(rump_sys_rename(RT_T "/other/ok/.f.swp", RT_T "/other/ok/f"));
	assert_string_equal(rt_read(RT_T "/other/ok/f"), "edited");
	rt_proc_exit();
	rm_held(names);
}

/* "widen": the one rename the policy names goes through, no other. */
static void
test_widen(void **state)
{
	struct rt_stat st;

	(void)state;
	rm_tree();
	rt_proc();
	assert_int_equal(rt_confine(RM_WIDEN), 0);
	rt_fails(rump_sys_rename(W "/no", W "/moved"), EPERM);
	rt_works(rump_sys_rename(W "/no", W "/released"));
	rt_proc_exit();
	assert_int_equal(rt_stat(W "/released/a", false, &st), 0);
	assert_int_equal(st.st_ino, rm_secret.st_ino);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_refused_readonly),
		cmocka_unit_test(test_permitted),
		cmocka_unit_test(test_widen),
	};

	rt_boot();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
