/* test_rboot.c: the policy module in a booted rump kernel: it starts with the kernel, confines
 * a process through /dev/policy, stays while one is confined, unloads and loads when none is. */
#include "rt.h"

static int
setup(void **state)
{
	(void)state;
	rt_boot();
	return 0;
}

/* Booting initialised the module (built in) and nothing is confined. */
static void
test_boot(void **state)
{
	(void)state;
	assert_true(rump_policytest_major() >= 0);
	rt_works(rump_sys_getpid());
	rt_mkfile(RT_T "/a", "public");
	assert_string_equal(rt_read(RT_T "/a"), "public");
}

/* A confined process: its permitted calls work, everything else is refused. */
static void
test_confine(void **state)
{
	(void)state;
	rt_mkfile(RT_T "/pub", "public");
	rt_mkfile(RT_T "/sec", "secret");
	rt_proc();
	assert_int_equal(rt_confine(
	    "  - open: filename eq \"/t/pub\" then permit\n"
	    "  - getpid: permit\n"
	    "  - read: permit\n"
	    "  - close: permit\n"), 0);
	assert_string_equal(rump_policytest_emul(), "netbsd-rump");
	rt_works(rump_sys_getpid());
	assert_string_equal(rt_read(RT_T "/pub"), "public");
	rt_fails(rump_sys_open(RT_T "/sec", RUMP_O_RDONLY), EACCES);
	/* By name: umask has no rule (getuid cannot fail, so rump ignores its errors). */
	rt_fails(rump_sys_umask(022), EACCES);
	rt_fails(rump_sys_mkdir(RT_T "/d", 0755), EACCES);
	/* A policy is for life. */
	rt_fails(rump_sys_open("/dev/policy", RUMP_O_RDWR), EACCES);
	rt_proc_exit();
}

/*
 * Unload is refused while a process is confined, works when none is; loaded
 * again later, it confines again (NetBSD keeps a built-in secmodel, so the
 * module's own commands are run as modctl runs them for a file module).
 */
static void
test_unload(void **state)
{
	struct lwp *admin, *child;

	(void)state;
	admin = rt_proc();
	child = rt_proc();
	assert_int_equal(rt_confine("  - getpid: permit\n"), 0);
	rump_pub_lwproc_switch(admin);
	assert_int_equal(rump_policytest_modcmd(0), EBUSY);
	/* The confined process ends: nothing holds a policy any more, once
	 * the file cache gives back the structures of files closed before,
	 * which keep the credential they were opened with until reused
	 * (policy.4; test_rdev's test_freed_on_exit).  Without the drain:
	 * EBUSY in 5 of 60 runs under ASan, for as long as 5 s. */
	rump_pub_lwproc_switch(child);
	rt_proc_exit();
	rump_pub_lwproc_switch(admin);
	rump_policytest_drain();
	assert_int_equal(rump_policytest_modcmd(0), 0);
	assert_true(rump_policytest_major() < 0);
	rt_fails(rump_sys_open("/dev/policy", RUMP_O_RDWR), ENXIO);
	assert_int_equal(rump_policytest_modcmd(1), 0);
	assert_true(rump_policytest_major() >= 0);
	/* Loaded again, it confines again. */
	rt_proc();
	assert_int_equal(rt_confine("  - getpid: permit\n"), 0);
	rt_fails(rump_sys_umask(022), EACCES);
	rt_works(rump_sys_getpid());
	rt_proc_exit();
	rump_pub_lwproc_switch(admin);
	rt_proc_exit();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_boot),
		cmocka_unit_test(test_confine),
		cmocka_unit_test(test_unload),
	};

	return cmocka_run_group_tests_name("rump: module and /dev/policy",
	    tests, setup, NULL);
}
