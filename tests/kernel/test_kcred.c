/* test_kcred.c: a policy lives as kauth key data on credentials: inherited by fork, carried
 * to credential copies, freed with the last credential; the module will not unload while
 * anything is confined; the kauth listeners deny (never allow) as a second line. */
#include "kt.h"

#define TEXT	"  - open: filename match \"/etc/*\" then deny[EPERM]\n" \
		"  - open: then permit\n" \
		"  - kill: signal eq \"SIGKILL\" then deny[EPERM]\n" \
		"  - kill: then permit\n" \
		"  - socket: domain eq \"AF_INET6\" then deny\n" \
		"  - socket: then permit\n" \
		"  - bind: sockaddr eq \"inet-0.0.0.0:22\" then deny\n" \
		"  - bind: then permit\n"

static int
try_open(struct lwp *l, const char *path)
{
	struct sys_open_args o;
	register_t rv;

	SCARG(&o, path) = KH_UPTR(kh_ustr(path));
	SCARG(&o, flags) = O_RDONLY;
	SCARG(&o, mode) = 0;
	return kh_syscall(l, SYS_open, &o, &rv);
}

static void
test_fork_copy_free(void **state)
{
	size_t bytes0 = kh_kmem_bytes;
	unsigned creds0 = kh_ncreds;
	struct lwp *p, *c, *t;
	kauth_cred_t ncred, ocred;

	(void)state;
	p = kt_confined(TEXT, NULL);
	assert_int_equal(policy_cred_live(), 1);
	assert_int_equal(try_open(p, "/etc/shadow"), EPERM);
	c = kh_fork(p);
	assert_int_equal(try_open(c, "/etc/shadow"), EPERM);	/* inherited */
	assert_int_equal(try_open(c, "/tmp/x"), 0);
	t = kh_lwp_new(c->l_proc);				/* a thread */
	assert_int_equal(try_open(t, "/etc/passwd"), EPERM);

	/* A credential change (setuid and the like) copies the credential. */
	kh_curlwp = c;
	ncred = kauth_cred_alloc();
	proc_crmod_enter();
	ocred = c->l_proc->p_cred;
	kauth_cred_clone(ocred, ncred);
	proc_crmod_leave(ncred, ocred, true);
	assert_int_equal(try_open(c, "/etc/shadow"), EPERM);	/* carried */
	assert_int_equal(try_open(t, "/etc/shadow"), EPERM);
	assert_int_equal(policy_cred_live(), 1);		/* one policy */

	/* Unload is refused while anything is confined. */
	assert_int_equal(kh_module_cmd(MODULE_CMD_FINI), EBUSY);
	kh_lwp_free(t);
	kh_lwp_free(c);
	assert_int_equal(policy_cred_live(), 1);		/* parent holds it */
	kt_release(p);
	assert_int_equal(policy_cred_live(), 0);		/* last reference */
	assert_int_equal(kh_ncreds, creds0);
	assert_int_equal(kh_kmem_bytes, bytes0);		/* nothing leaked */
}

static void
test_once_for_life(void **state)
{
	struct lwp *l = kt_confined(TEXT, NULL);
	struct file *fp;

	(void)state;
	assert_int_equal(kt_confine(l, "  - open: then permit\n"), EBUSY);
	assert_int_equal(try_open(l, "/etc/shadow"), EPERM);	/* unchanged */
	fp = kh_dev_open(l);
	assert_int_equal(kh_dev_ioctl(l, fp, POLICY_IOC_UNLOAD, NULL), EPERM);
	kh_dev_close(l, fp);
	assert_int_equal(policy_cred_live(), 1);
	kt_release(l);
}

static void
test_second_line(void **state)
{
	struct lwp *l = kt_confined(TEXT, NULL), *u = kh_proc_new(5, &emul_netbsd);
	struct sockaddr_in sin;
	struct proc *target = u->l_proc;

	(void)state;
	assert_int_equal(kh_kauth_authorize(KAUTH_SCOPE_PROCESS, l->l_cred,
	    KAUTH_PROCESS_SIGNAL, target, (void *)(uintptr_t)SIGKILL, NULL,
	    NULL), KAUTH_RESULT_DENY);
	/* permit never turns into ALLOW: other secmodels still decide */
	assert_int_equal(kh_kauth_authorize(KAUTH_SCOPE_PROCESS, l->l_cred,
	    KAUTH_PROCESS_SIGNAL, target, (void *)(uintptr_t)SIGUSR1, NULL,
	    NULL), KAUTH_RESULT_DEFER);
	assert_int_equal(kh_kauth_authorize(KAUTH_SCOPE_NETWORK, l->l_cred,
	    KAUTH_NETWORK_SOCKET, (void *)KAUTH_REQ_NETWORK_SOCKET_OPEN,
	    (void *)(uintptr_t)AF_INET6, (void *)(uintptr_t)SOCK_STREAM, NULL),
	    KAUTH_RESULT_DENY);
	assert_int_equal(kh_kauth_authorize(KAUTH_SCOPE_NETWORK, l->l_cred,
	    KAUTH_NETWORK_SOCKET, (void *)KAUTH_REQ_NETWORK_SOCKET_OPEN,
	    (void *)(uintptr_t)AF_INET, (void *)(uintptr_t)SOCK_DGRAM, NULL),
	    KAUTH_RESULT_DEFER);
	memset(&sin, 0, sizeof(sin));
	sin.sin_len = sizeof(sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(22);
	assert_int_equal(kh_kauth_authorize(KAUTH_SCOPE_NETWORK, l->l_cred,
	    KAUTH_NETWORK_BIND, (void *)KAUTH_REQ_NETWORK_BIND_PORT, NULL, &sin,
	    NULL), KAUTH_RESULT_DENY);
	sin.sin_port = htons(8080);
	assert_int_equal(kh_kauth_authorize(KAUTH_SCOPE_NETWORK, l->l_cred,
	    KAUTH_NETWORK_BIND, (void *)KAUTH_REQ_NETWORK_BIND_PORT, NULL, &sin,
	    NULL), KAUTH_RESULT_DEFER);
	/* an unconfined credential is none of this secmodel's business */
	assert_int_equal(kh_kauth_authorize(KAUTH_SCOPE_PROCESS, u->l_cred,
	    KAUTH_PROCESS_SIGNAL, target, (void *)(uintptr_t)SIGKILL, NULL,
	    NULL), KAUTH_RESULT_DEFER);
	kh_lwp_free(u);
	kt_release(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_fork_copy_free, kt_setup, kt_teardown),
		cmocka_unit_test_setup_teardown(test_once_for_life, kt_setup, kt_teardown),
		cmocka_unit_test_setup_teardown(test_second_line, kt_setup, kt_teardown),
	};
	return cmocka_run_group_tests_name("kernel per-credential policy", tests,
	    NULL, NULL);
}
