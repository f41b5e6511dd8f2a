/* test_kdev.c: /dev/policy: malformed blobs are rejected and confine nothing; answers for
 * unknown alarm ids are refused; "ask" sleeps until policyd answers, times out to deny,
 * is interruptible; alarms are for unconfined readers of the same uid (or root). */
#include "kt.h"

#define ASK	"  - open: filename eq \"/tmp/ask\" then ask\n" \
		"  - open: then permit\n"

static struct lwp *
root_daemon(struct file **fpp)
{
	struct lwp *d = kh_proc_new(0, &emul_netbsd);

	*fpp = kh_dev_open(d);
	assert_non_null(*fpp);
	/* poll registers it as a daemon (someone who can answer) */
	assert_int_equal(kh_dev_poll(d, *fpp, POLLIN | POLLOUT), POLLOUT);
	return d;
}

static int
load(struct lwp *l, const void *blob, size_t size, uint64_t addr)
{
	struct policy_load pl;
	struct file *fp = kh_dev_open(l);
	bool fits = size > 0 && size <= 65536;
	uintptr_t u = kh_ualloc(fits ? size : 8);
	int error;

	if (fits)
		kh_uwrite(u, blob, size);
	pl.pl_addr = addr != 0 ? addr : u;
	pl.pl_size = size;
	error = kh_dev_ioctl(l, fp, POLICY_IOC_LOAD, &pl);
	kh_dev_close(l, fp);
	return error;
}

static void
test_malformed_blobs(void **state)
{
	struct lwp *l = kh_proc_new(1000, &emul_netbsd);
	size_t size, off;
	uint8_t *blob = kt_blob("  - open: filename eq \"/x\" then permit\n",
	    &size), *bad = malloc(size);
	uint32_t v;

	(void)state;
	assert_int_equal(load(l, blob, size - 8, 0), EINVAL);	/* truncated */
	memcpy(bad, blob, size);
	bad[0] ^= 0xff;						/* magic */
	assert_int_equal(load(l, bad, size, 0), EINVAL);
	for (off = 64; off < size; off += size / 7) {		/* checksum */
		memcpy(bad, blob, size);
		bad[off] ^= 0x5a;
		assert_int_equal(load(l, bad, size, 0), EINVAL);
	}
	memcpy(bad, blob, size);				/* total size */
	v = (uint32_t)size * 2;
	memcpy(bad + offsetof(struct policy_blob_header, ph_total_size), &v,
	    sizeof(v));
	assert_int_equal(load(l, bad, size, 0), EINVAL);
	assert_int_equal(load(l, blob, 0, 0), EINVAL);		/* empty */
	assert_int_equal(load(l, blob, 17u << 20, 0), EINVAL);	/* too big */
	assert_int_equal(load(l, blob, size, 0x1000), EFAULT);	/* bad address */
	assert_int_equal(policy_cred_live(), 0);		/* nothing confined */
	kh_act_reset();
	assert_int_equal(kh_syscall(l, SYS_open, &(struct sys_open_args){
	    .path.datum = KH_UPTR(kh_ustr("/y")) }, &(register_t){ 0 }), 0);
	assert_int_equal(kh_act.stock_code, SYS_open);		/* unconfined */
	assert_int_equal(load(l, blob, size, 0), 0);		/* the good one */
	assert_int_equal(policy_cred_live(), 1);
	free(bad);
	free(blob);
	kh_lwp_free(l);
}

static void
test_unknown_answers(void **state)
{
	struct file *fp;
	struct lwp *d = root_daemon(&fp);
	struct policy_answer a;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.pa_id = 12345;
	a.pa_action = POLICY_ACT_PERMIT;
	assert_int_equal(kh_dev_write(d, fp, &a, sizeof(a)), ESRCH);
	assert_int_equal(kh_dev_ioctl(d, fp, POLICY_IOC_ANSWER, &a), ESRCH);
	a.pa_action = 77;
	assert_int_equal(kh_dev_ioctl(d, fp, POLICY_IOC_ANSWER, &a), EINVAL);
	a.pa_action = POLICY_ACT_DENY;
	a.pa_errno = 60000;
	assert_int_equal(kh_dev_ioctl(d, fp, POLICY_IOC_ANSWER, &a), EINVAL);
	assert_int_equal(kh_dev_write(d, fp, &a, 3), EINVAL);	/* short */
	kh_dev_close(d, fp);
	kh_lwp_free(d);
}

struct asker {
	struct lwp	*l;
	const char	*path;
	int		error;
	pthread_t	t;
};

static void *
asker_main(void *arg)
{
	struct asker *a = arg;
	struct sys_open_args o;
	register_t rv;

	SCARG(&o, path) = KH_UPTR(kh_ustr(a->path));
	SCARG(&o, flags) = O_RDONLY;
	SCARG(&o, mode) = 0;
	a->error = kh_syscall(a->l, SYS_open, &o, &rv);
	return NULL;
}

static void
ask_and_answer(struct lwp *conf, struct lwp *d, struct file *fp,
    uint8_t action, uint16_t perrno, int expect)
{
	struct asker a = { conf, "/tmp/ask", -1, 0 };
	struct policy_alarm al;
	struct policy_answer ans;
	size_t done;

	kh_act_reset();
	pthread_create(&a.t, NULL, asker_main, &a);
	assert_int_equal(kh_dev_read(d, fp, &al, sizeof(al), &done), 0);
	assert_int_equal(done, sizeof(al));
	assert_int_equal(al.pa_pid, conf->l_proc->p_pid);
	assert_int_equal(al.pa_uid, 1000);
	assert_string_equal(al.pa_req.pr_filename, "/tmp/ask");
	assert_int_equal(al.pa_req.pr_op, POLICY_OP_OPEN);
	memset(&ans, 0, sizeof(ans));
	ans.pa_id = al.pa_id;
	ans.pa_action = action;
	ans.pa_errno = perrno;
	assert_int_equal(kh_dev_write(d, fp, &ans, sizeof(ans)), 0);
	pthread_join(a.t, NULL);
	assert_int_equal(a.error, expect);
	/* the alarm is gone: a second answer has nothing to answer */
	assert_int_equal(kh_dev_write(d, fp, &ans, sizeof(ans)), ESRCH);
	if (expect == 0)
		assert_string_equal(kh_act.s1, "/tmp/ask");
	else
		assert_int_equal(kh_act.n, 0);
}

static void
test_ask(void **state)
{
	struct file *fp;
	struct lwp *d = root_daemon(&fp);
	struct lwp *conf = kt_confined(ASK, NULL);

	(void)state;
	ask_and_answer(conf, d, fp, POLICY_ACT_PERMIT, 0, 0);
	ask_and_answer(conf, d, fp, POLICY_ACT_DENY, 0, EACCES);
	ask_and_answer(conf, d, fp, POLICY_ACT_DENY, 2 /* ENOENT */, ENOENT);
	kh_dev_close(d, fp);
	kh_lwp_free(d);
	kt_release(conf);
}

static void
test_ask_timeout_nodaemon_interrupt(void **state)
{
	struct lwp *conf = kt_confined(ASK, NULL), *d;
	struct asker a = { conf, "/tmp/ask", -1, 0 };
	struct file *fp;
	int saved = policy_ask_timeout_ms;

	(void)state;
	asker_main(&a);				/* no daemon: denied at once */
	assert_int_equal(a.error, EACCES);
	d = root_daemon(&fp);
	policy_ask_timeout_ms = 50;
	kh_act_reset();
	asker_main(&a);				/* nobody answers: timeout */
	assert_int_equal(a.error, EACCES);
	assert_int_equal(kh_act.n, 0);
	policy_ask_timeout_ms = saved;
	conf->l_interrupt = true;		/* a signal arrives */
	asker_main(&a);
	assert_int_equal(a.error, EINTR);
	assert_int_equal(kh_act.n, 0);
	kh_dev_close(d, fp);
	kh_lwp_free(d);
	kt_release(conf);
}

static void
test_readers(void **state)
{
	struct lwp *conf = kt_confined(ASK, NULL), *other, *d;
	struct asker a = { conf, "/tmp/ask", -1, 0 };
	struct file *fp, *fo, *fc;
	struct policy_alarm al;
	struct policy_answer ans;
	size_t done;
	int saved = policy_ask_timeout_ms;

	(void)state;
	d = root_daemon(&fp);
	other = kh_proc_new(2000, &emul_netbsd);
	fo = kh_dev_open(other);
	fo->f_flag |= FNONBLOCK;
	assert_int_equal(kh_dev_poll(other, fo, POLLIN), 0);
	fc = kh_dev_open(conf);		/* a confined process may not read */
	assert_int_equal(kh_dev_read(conf, fc, &al, sizeof(al), &done), EPERM);
	assert_int_equal(kh_dev_poll(conf, fc, POLLIN), 0);
	kh_dev_close(conf, fc);

	policy_ask_timeout_ms = 5000;
	pthread_create(&a.t, NULL, asker_main, &a);
	while (kh_dev_poll(d, fp, POLLIN) == 0)
		sched_yield();
	/* another uid neither sees nor answers it */
	assert_int_equal(kh_dev_poll(other, fo, POLLIN), 0);
	assert_int_equal(kh_dev_read(other, fo, &al, sizeof(al), &done), EAGAIN);
	assert_int_equal(kh_dev_read(d, fp, &al, sizeof(al), &done), 0);
	memset(&ans, 0, sizeof(ans));
	ans.pa_id = al.pa_id;
	ans.pa_action = POLICY_ACT_PERMIT;
	assert_int_equal(kh_dev_write(other, fo, &ans, sizeof(ans)), ESRCH);
	assert_int_equal(kh_dev_ioctl(d, fp, POLICY_IOC_ANSWER, &ans), 0);
	pthread_join(a.t, NULL);
	assert_int_equal(a.error, 0);
	policy_ask_timeout_ms = saved;
	kh_dev_close(other, fo);
	kh_dev_close(d, fp);
	kh_lwp_free(other);
	kh_lwp_free(d);
	kt_release(conf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_malformed_blobs, kt_setup, kt_teardown),
		cmocka_unit_test_setup_teardown(test_unknown_answers, kt_setup, kt_teardown),
		cmocka_unit_test_setup_teardown(test_ask, kt_setup, kt_teardown),
		cmocka_unit_test_setup_teardown(test_ask_timeout_nodaemon_interrupt, kt_setup, kt_teardown),
		cmocka_unit_test_setup_teardown(test_readers, kt_setup, kt_teardown),
	};
	return cmocka_run_group_tests_name("kernel /dev/policy", tests, NULL,
	    NULL);
}
