/* test_rlinux.c: Linux binaries under the policy, through rump's Linux emulation: the same
 * policy decides each operation as it does for a native process, on the same objects. */
#include "rt.h"

int rump_syscall(int, void *, size_t, register_t *);

/* rump's Linux table numbers its calls as NetBSD does; Linux's own values. */
#define LX_SYS_open		5
#define LX_SYS_rename		128
#define LX_SYS_mkdir		136
#define LX_SYS_link		9
#define LX_SYS_connect		98
#define LX_SYS_stat64		439
#define LX_SYS_fstatat64	466
#define LX_SYS_openat		468
#define LX_SYS_unlinkat		471
#define LX_O_WRONLY		01
#define LX_O_CREAT		0100
#define LX_AT_FDCWD		(-100)
#define LX_AT_REMOVEDIR		0x200
#define LX_AF_INET		2
#define LX_SOCK_STREAM		1

static const char *const rt_rules =
    "  - fsread: filename inpath \"/t/ok\" then permit\n"
    "  - fswrite: filename inpath \"/t/ok\" then permit\n"
    "  - fsread: filename inpath \"/t/no\" then deny[ENOENT]\n"
    "  - socket: then permit\n"
    "  - connect: sockaddr eq \"inet-127.0.0.1:9\" then deny[ECONNREFUSED]\n"
    "  - close: permit\n";

/* One call under rump's Linux emulation, or the native one, confined. */
static int
rt_lx(int num, register_t a0, register_t a1, register_t a2, register_t a3)
{
	register_t args[8] = { a0, a1, a2, a3 }, rv[2];

	return rump_syscall(num, args, sizeof(args), rv);
}

#define P(s)	((register_t)(uintptr_t)(s))

static void
rt_setup_tree(void)
{
	rt_fresh();
	rt_works(rump_sys_mkdir(RT_T "/ok", 0777));
	rt_works(rump_sys_mkdir(RT_T "/no", 0777));
	rt_mkfile(RT_T "/ok/a", "public");
	rt_mkfile(RT_T "/no/s", "secret");
	rt_works(rump_sys_symlink("/t/no/s", RT_T "/ok/l"));
}

/*
 * The confined Linux process: a child of a natively confined one, which
 * a rump kernel gives its default emulation, Linux.
 */
static struct lwp *
rt_linux_confined(void)
{
	struct lwp *parent = rt_proc();

	assert_int_equal(rt_confine(rt_rules), 0);
	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0)
		fail_msg("rfork failed");
	assert_string_equal(rump_policytest_emul(), "linux-rump");
	return parent;
}

static void
rt_linux_done(struct lwp *parent)
{
	rump_pub_lwproc_releaselwp();
	rump_pub_lwproc_switch(parent);
	rt_proc_exit();
}

/* Each operation, Linux form and native form, decided alike. */
static void
test_same_decisions(void **state)
{
	struct { int lx; int nat; } r[12];
	struct rt_stat st;
	char stbuf[256];
	struct lwp *parent;
	int n = 0, i;

	(void)state;
	rt_setup_tree();
	parent = rt_linux_confined();
	r[n++].lx = rt_lx(LX_SYS_open, P("/t/ok/a"), 0, 0, 0) == 0 ? 0 : 1;
	r[n++].lx = rt_lx(LX_SYS_open, P("/t/no/s"), 0, 0, 0);
	r[n++].lx = rt_lx(LX_SYS_open, P("/t/ok/l"), 0, 0, 0);
	r[n++].lx = rt_lx(LX_SYS_openat, LX_AT_FDCWD, P("/t/no/s"), 0, 0);
	r[n++].lx = rt_lx(LX_SYS_stat64, P("/t/no/s"), P(stbuf), 0, 0);
	r[n++].lx = rt_lx(LX_SYS_fstatat64, LX_AT_FDCWD, P("/t/ok/a"),
	    P(stbuf), 0);
	r[n++].lx = rt_lx(LX_SYS_mkdir, P("/t/no/d"), 0755, 0, 0);
	r[n++].lx = rt_lx(LX_SYS_mkdir, P("/t/ok/d"), 0755, 0, 0);
	r[n++].lx = rt_lx(LX_SYS_unlinkat, LX_AT_FDCWD, P("/t/ok/d"),
	    LX_AT_REMOVEDIR, 0);
	r[n++].lx = rt_lx(LX_SYS_open, P("/t/no/new"),
	    LX_O_CREAT | LX_O_WRONLY, 0644, 0);
	r[n++].lx = rt_lx(LX_SYS_rename, P("/t/no/s"), P("/t/ok/s"), 0, 0);
	r[n++].lx = rt_lx(LX_SYS_link, P("/t/no/s"), P("/t/ok/h"), 0, 0);
	rt_linux_done(parent);

	rt_setup_tree();
	parent = rt_proc();
	assert_int_equal(rt_confine(rt_rules), 0);
	n = 0;
	r[n++].nat = rump_sys_open(RT_T "/ok/a", RUMP_O_RDONLY) >= 0 ? 0 : 1;
	r[n++].nat = rt_err(rump_sys_open(RT_T "/no/s", RUMP_O_RDONLY));
	r[n++].nat = rt_err(rump_sys_open(RT_T "/ok/l", RUMP_O_RDONLY));
	r[n++].nat = rt_err(rump_sys_openat(RT_AT_FDCWD, RT_T "/no/s",
	    RUMP_O_RDONLY));
	r[n++].nat = rt_err(rt_stat(RT_T "/no/s", true, &st));
	r[n++].nat = rt_err(rump_sys_fstatat(RT_AT_FDCWD, RT_T "/ok/a",
	    (void *)&st, 0));
	r[n++].nat = rt_err(rump_sys_mkdir(RT_T "/no/d", 0755));
	r[n++].nat = rt_err(rump_sys_mkdir(RT_T "/ok/d", 0755));
	r[n++].nat = rt_err(rump_sys_unlinkat(RT_AT_FDCWD, RT_T "/ok/d",
	    RT_AT_REMOVEDIR));
	r[n++].nat = rt_err(rump_sys_open(RT_T "/no/new",
	    RUMP_O_CREAT | RUMP_O_WRONLY, 0644));
	r[n++].nat = rt_err(rump_sys_rename(RT_T "/no/s", RT_T "/ok/s"));
	r[n++].nat = rt_err(rump_sys_link(RT_T "/no/s", RT_T "/ok/h"));
	rt_proc_exit();
	(void)parent;

	for (i = 0; i < n; i++)
		if (r[i].lx != r[i].nat)
			fail_msg("operation %d: errno %d under Linux, %d native",
			    i, r[i].lx, r[i].nat);
	/* and what they were: */
	assert_int_equal(r[0].nat, 0);		/* open /t/ok/a */
	assert_int_equal(r[1].nat, ENOENT);	/* the rule's errno */
	assert_int_equal(r[2].nat, ENOENT);	/* the link's target */
	assert_int_equal(r[4].nat, ENOENT);
	assert_int_equal(r[6].nat, EACCES);	/* default deny */
	assert_int_equal(r[7].nat, 0);
	assert_int_equal(r[8].nat, 0);
	assert_int_equal(r[9].nat, EACCES);
	/* the secret never moved nor got a second name */
	assert_int_equal(rt_stat(RT_T "/no/s", false, &st), 0);
	assert_int_equal(rt_err(rt_stat(RT_T "/ok/s", false, &st)), ENOENT);
	assert_int_equal(rt_err(rt_stat(RT_T "/ok/h", false, &st)), ENOENT);
}

/* A socket address in Linux's form is decided as the native one. */
static void
test_sockaddr(void **state)
{
	char lsa[16] = { LX_AF_INET, 0, 0, 9, 127, 0, 0, 1 };
	struct lwp *parent;
	int s, e;

	(void)state;
	rt_setup_tree();
	parent = rt_linux_confined();
	s = rump_sys_socket(LX_AF_INET, LX_SOCK_STREAM, 0);
	assert_true(s >= 0);
	e = rt_lx(LX_SYS_connect, s, P(lsa), sizeof(lsa), 0);
	rt_linux_done(parent);
	assert_int_equal(e, ECONNREFUSED);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_decisions),
		cmocka_unit_test(test_sockaddr),
	};

	rt_boot();
	return cmocka_run_group_tests_name("rump: Linux emulation", tests,
	    NULL, NULL);
}
