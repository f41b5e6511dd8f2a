/* test_kwrap_copy.c: each user buffer is copied in exactly once; copy-in faults give EFAULT
 * and nothing runs; oversized paths/argv give ENAMETOOLONG/E2BIG; paths are decided absolute
 * and normalised; unconfined processes go straight to the stock handlers. */
#include "kt.h"
#include "../../sys/kern/sys_policy.h"

#define ALLOW_ALL "  - open: then permit\n  - unlink: then permit\n" \
	"  - rename: then permit\n  - execve: then permit\n" \
	"  - connect: then permit\n  - sendmsg: then permit\n" \
	"  - symlink: then permit\n  - mount: then permit\n"

static void
test_copied_once(void **state)
{
	struct lwp *l = kt_confined(ALLOW_ALL, NULL);
	struct sys_open_args o;
	struct sys_rename_args rn;
	struct sys_execve_args ex;
	struct sys_sendmsg_args sm;
	struct sockaddr_in sin;
	struct msghdr msg;
	uintptr_t p1, p2, a0, a1, av, sa, mh, env;
	uintptr_t argv[3];
	register_t rv;

	(void)state;
	p1 = kh_ustr("/tmp/a");
	SCARG(&o, path) = KH_UPTR(p1);
	SCARG(&o, flags) = O_RDONLY;
	SCARG(&o, mode) = 0;
	kh_reads_reset();
	assert_int_equal(kh_syscall(l, SYS_open, &o, &rv), 0);
	assert_int_equal(kh_reads(p1, 7), 1);

	p2 = kh_ustr("/tmp/b");
	SCARG(&rn, from) = KH_UPTR(p1);
	SCARG(&rn, to) = KH_UPTR(p2);
	kh_reads_reset();
	assert_int_equal(kh_syscall(l, SYS_rename, &rn, &rv), 0);
	assert_int_equal(kh_reads(p1, 7), 1);
	assert_int_equal(kh_reads(p2, 7), 1);

	a0 = kh_ustr("/bin/echo");
	a1 = kh_ustr("hello");
	argv[0] = a0;
	argv[1] = a1;
	argv[2] = 0;
	av = kh_ualloc(sizeof(argv));
	kh_uwrite(av, argv, sizeof(argv));
	env = kh_ualloc(8);
	SCARG(&ex, path) = KH_UPTR(a0);
	SCARG(&ex, argp) = KH_UPTR(av);
	SCARG(&ex, envp) = KH_UPTR(env);
	kh_reads_reset();
	assert_int_equal(kh_syscall(l, SYS_execve, &ex, &rv), 0);
	/* path once, argv[0] once (same bytes as path: two distinct copies of
	 * two distinct arguments), argv[1] once, each pointer slot once */
	assert_int_equal(kh_reads(a1, 6), 1);
	assert_int_equal(kh_reads(av, 8), 1);
	assert_int_equal(kh_reads(av + 8, 8), 1);
	assert_int_equal(kh_reads(av + 16, 8), 1);
	assert_int_equal(kh_reads(env, 8), 0);	/* envp: not decided on */
	assert_string_equal(kh_act.argv, "/bin/echo hello");

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(80);
	sa = kh_ualloc(sizeof(sin));
	kh_uwrite(sa, &sin, sizeof(sin));
	memset(&msg, 0, sizeof(msg));
	msg.msg_name = KH_UPTR(sa);
	msg.msg_namelen = sizeof(sin);
	mh = kh_ualloc(sizeof(msg));
	kh_uwrite(mh, &msg, sizeof(msg));
	SCARG(&sm, s) = 3;
	SCARG(&sm, msg) = KH_UPTR(mh);
	SCARG(&sm, flags) = 0;
	kh_reads_reset();
	assert_int_equal(kh_syscall(l, SYS_sendmsg, &sm, &rv), 0);
	assert_int_equal(kh_reads(mh, sizeof(msg)), 1);
	assert_int_equal(kh_reads(sa, sizeof(sin)), 1);
	assert_string_equal(kh_act.what, "sendmsg");
	assert_string_equal(kh_dec.req.pr_sockaddr, "inet-0.0.0.0:80");
	kt_release(l);
}

static void
test_efault(void **state)
{
	struct lwp *l = kt_confined(ALLOW_ALL, NULL);
	struct sys_open_args o;
	struct sys_connect_args c;
	struct sys_execve_args ex;
	uintptr_t p = kh_ustr("/tmp/x"), s = kh_ualloc(16), av, a[2];
	register_t rv;

	(void)state;
	kh_ufault(p, 7);
	kh_ufault(s, 16);
	SCARG(&o, path) = KH_UPTR(p);
	SCARG(&o, flags) = 0;
	SCARG(&o, mode) = 0;
	kh_act_reset();
	kh_dec_reset();
	assert_int_equal(kh_syscall(l, SYS_open, &o, &rv), EFAULT);
	/* an address outside user memory entirely */
	SCARG(&o, path) = (const char *)(uintptr_t)0x1000;
	assert_int_equal(kh_syscall(l, SYS_open, &o, &rv), EFAULT);
	SCARG(&c, s) = 3;
	SCARG(&c, name) = KH_UPTR(s);
	SCARG(&c, namelen) = 16;
	assert_int_equal(kh_syscall(l, SYS_connect, &c, &rv), EFAULT);
	/* argv: a bad string pointer inside a good array */
	a[0] = p;
	a[1] = 0;
	av = kh_ualloc(sizeof(a));
	kh_uwrite(av, a, sizeof(a));
	SCARG(&ex, path) = KH_UPTR(kh_ustr("/bin/sh"));
	SCARG(&ex, argp) = KH_UPTR(av);
	SCARG(&ex, envp) = NULL;
	assert_int_equal(kh_syscall(l, SYS_execve, &ex, &rv), EFAULT);
	assert_int_equal(kh_act.n, 0);		/* nothing ran */
	assert_int_equal(kh_dec.n, 0);		/* nothing was even decided */
	kt_release(l);
}

static void
test_too_long(void **state)
{
	struct lwp *l = kt_confined(ALLOW_ALL, NULL);
	struct sys_open_args o;
	struct sys_execve_args ex;
	char big[MAXPATHLEN + 64], huge[3001];
	uintptr_t av, argv[POLICY_ARGC_MAX + 2], s;
	register_t rv;
	size_t i;

	(void)state;
	memset(big, 'a', sizeof(big));
	big[0] = '/';
	big[sizeof(big) - 1] = '\0';
	SCARG(&o, path) = KH_UPTR(kh_ustr(big));
	SCARG(&o, flags) = 0;
	SCARG(&o, mode) = 0;
	kh_act_reset();
	kh_dec_reset();
	assert_int_equal(kh_syscall(l, SYS_open, &o, &rv), ENAMETOOLONG);
	/* short enough alone, too long once made absolute against the cwd */
	big[0] = 'a';
	big[MAXPATHLEN - 4] = '\0';
	SCARG(&o, path) = KH_UPTR(kh_ustr(big));
	assert_int_equal(kh_syscall(l, SYS_open, &o, &rv), ENAMETOOLONG);

	/* argv larger than a request can hold */
	memset(huge, 'b', 3000);
	huge[3000] = '\0';
	s = kh_ustr(huge);
	argv[0] = s;
	argv[1] = s;
	argv[2] = 0;
	av = kh_ualloc(3 * sizeof(uintptr_t));
	kh_uwrite(av, argv, 3 * sizeof(uintptr_t));
	SCARG(&ex, path) = KH_UPTR(kh_ustr("/bin/sh"));
	SCARG(&ex, argp) = KH_UPTR(av);
	SCARG(&ex, envp) = NULL;
	assert_int_equal(kh_syscall(l, SYS_execve, &ex, &rv), E2BIG);
	/* too many arguments */
	s = kh_ustr("");
	for (i = 0; i < POLICY_ARGC_MAX + 1; i++)
		argv[i] = s;
	argv[i] = 0;
	av = kh_ualloc(sizeof(argv));
	kh_uwrite(av, argv, sizeof(argv));
	SCARG(&ex, argp) = KH_UPTR(av);
	assert_int_equal(kh_syscall(l, SYS_execve, &ex, &rv), E2BIG);
	assert_int_equal(kh_act.n, 0);
	assert_int_equal(kh_dec.n, 0);
	kt_release(l);
}

static void
test_normalised(void **state)
{
	struct lwp *l = kt_confined(
	    "  - open: filename eq \"/etc/passwd\" then deny[EPERM]\n"
	    "  - open: filename match \"/tmp/*\" then permit\n"
	    "  - open: filename eq \"/srv/dir5/f\" then permit\n"
	    "  - open: filename eq \"/home/user/rel\" then permit\n", NULL);
	struct sys_open_args o;
	struct sys_openat_args oa;
	register_t rv;

	(void)state;
	SCARG(&o, flags) = 0;
	SCARG(&o, mode) = 0;
	/* a glob on /tmp must not let ".." out of /tmp */
	SCARG(&o, path) = KH_UPTR(kh_ustr("/tmp/../etc/passwd"));
	assert_int_equal(kh_syscall(l, SYS_open, &o, &rv), EPERM);
	assert_string_equal(kh_dec.req.pr_filename, "/etc/passwd");
	SCARG(&o, path) = KH_UPTR(kh_ustr("//tmp/./x//y/"));
	kh_act_reset();
	assert_int_equal(kh_syscall(l, SYS_open, &o, &rv), 0);
	assert_string_equal(kh_act.s1, "/tmp/x/y");	/* acted on as decided */
	SCARG(&o, path) = KH_UPTR(kh_ustr("rel"));
	assert_int_equal(kh_syscall(l, SYS_open, &o, &rv), 0);
	assert_string_equal(kh_act.s1, "/home/user/rel");
	SCARG(&o, path) = KH_UPTR(kh_ustr("../../../../etc/passwd"));
	assert_int_equal(kh_syscall(l, SYS_open, &o, &rv), EPERM);
	SCARG(&oa, fd) = 5;
	SCARG(&oa, path) = KH_UPTR(kh_ustr("f"));
	SCARG(&oa, oflags) = O_WRONLY | O_CREAT;
	SCARG(&oa, mode) = 0600;
	kh_act_reset();
	assert_int_equal(kh_syscall(l, SYS_openat, &oa, &rv), 0);
	assert_string_equal(kh_act.s1, "/srv/dir5/f");
	assert_int_equal(kh_dec.req.pr_int[POLICY_F_FLAGS - POLICY_F_NSTR],
	    POLICY_O_WRONLY | POLICY_O_CREAT);
	assert_int_equal(kh_dec.req.pr_int[POLICY_F_MODE - POLICY_F_NSTR], 0600);
	SCARG(&o, path) = KH_UPTR(kh_ustr(""));
	assert_int_equal(kh_syscall(l, SYS_open, &o, &rv), ENOENT);
	kt_release(l);
}

static void
test_unconfined_passthrough(void **state)
{
	struct lwp *l = kh_proc_new(1000, &emul_netbsd);
	struct sys_open_args o;
	struct sys_kill_args k;
	register_t rv;

	(void)state;
	SCARG(&o, path) = KH_UPTR(kh_ustr("/etc/shadow"));
	SCARG(&o, flags) = 0;
	SCARG(&o, mode) = 0;
	kh_act_reset();
	kh_dec_reset();
	assert_int_equal(kh_syscall(l, SYS_open, &o, &rv), 0);
	assert_int_equal(kh_act.stock_code, SYS_open);
	assert_int_equal(kh_dec.n, 0);
	SCARG(&k, pid) = 1;
	SCARG(&k, signum) = SIGKILL;
	assert_int_equal(kh_syscall(l, SYS_kill, &k, &rv), 0);
	assert_int_equal(kh_act.stock_code, SYS_kill);
	kh_lwp_free(l);
}

static void
test_integer_calls(void **state)
{
	struct lwp *l = kt_confined(
	    "  - kill: signal eq \"SIGKILL\" then deny[EPERM]\n"
	    "  - kill: then permit\n"
	    "  - socket: domain eq \"AF_INET6\" then deny\n"
	    "  - socket: then permit\n"
	    "  - ptrace: then deny[ESRCH]\n", NULL);
	struct sys_kill_args k;
	struct sys___socket30_args so;
	struct sys_ptrace_args pt;
	register_t rv;

	(void)state;
	SCARG(&k, pid) = 55;
	SCARG(&k, signum) = SIGKILL;
	kh_act_reset();
	assert_int_equal(kh_syscall(l, SYS_kill, &k, &rv), EPERM);
	assert_int_equal(kh_act.n, 0);
	SCARG(&k, signum) = SIGUSR1;
	assert_int_equal(kh_syscall(l, SYS_kill, &k, &rv), 0);
	assert_int_equal(kh_act.stock_code, SYS_kill);
	SCARG(&so, domain) = AF_INET6;
	SCARG(&so, type) = SOCK_STREAM | SOCK_CLOEXEC;
	SCARG(&so, protocol) = 0;
	kh_act_reset();
	assert_int_equal(kh_syscall(l, SYS___socket30, &so, &rv), EACCES);
	assert_int_equal(kh_dec.req.pr_int[POLICY_F_TYPE - POLICY_F_NSTR],
	    POLICY_SOCK_STREAM);
	SCARG(&so, domain) = AF_INET;
	assert_int_equal(kh_syscall(l, SYS___socket30, &so, &rv), 0);
	SCARG(&pt, req) = 0;
	SCARG(&pt, pid) = 1;
	assert_int_equal(kh_syscall(l, SYS_ptrace, &pt, &rv), ESRCH);
	kt_release(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_copied_once, kt_setup, kt_teardown),
		cmocka_unit_test_setup_teardown(test_efault, kt_setup, kt_teardown),
		cmocka_unit_test_setup_teardown(test_too_long, kt_setup, kt_teardown),
		cmocka_unit_test_setup_teardown(test_normalised, kt_setup, kt_teardown),
		cmocka_unit_test_setup_teardown(test_unconfined_passthrough, kt_setup, kt_teardown),
		cmocka_unit_test_setup_teardown(test_integer_calls, kt_setup, kt_teardown),
	};
	return cmocka_run_group_tests_name("kernel wrapper copies", tests,
	    NULL, NULL);
}
