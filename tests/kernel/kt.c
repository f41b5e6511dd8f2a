/* kt.c: helpers the kernel-harness tests share: module load/unload around each test, policies
 * compiled with libpolicy and loaded through /dev/policy, and stock-handler calls. */
#include "kt.h"
#include "../../lib/libpolicy/libpolicy.h"

#define KT_NLWP	16
static struct lwp *kt_lwps[KT_NLWP];

int
kt_setup(void **state)
{
	(void)state;
	kh_user_reset();
	kh_act_reset();
	kh_dec_reset();
	kh_module(MODULE_CMD_INIT);
	return 0;
}

int
kt_teardown(void **state)
{
	size_t i;

	(void)state;
	/* A failed test leaves its processes: free them so unload can work. */
	for (i = 0; i < KT_NLWP; i++)
		if (kt_lwps[i] != NULL) {
			kh_lwp_free(kt_lwps[i]);
			kt_lwps[i] = NULL;
		}
	kh_module(MODULE_CMD_FINI);
	return 0;
}

void *
kt_blob(const char *yaml, size_t *sizep)
{
	struct policy_diag d;
	char text[8192];
	void *blob;

	if (strncmp(yaml, "policy:", 7) == 0)
		kh_strlcpy(text, yaml, sizeof(text));
	else
		snprintf(text, sizeof(text),
		    "policy: 1\nname: kt\ndefault: deny\nerrno: EACCES\n"
		    "rules:\n%s", yaml);
	if (policy_compile_buffer("kt.yaml", text, strlen(text), &blob, sizep,
	    &d) != 0)
		fail_msg("policy does not compile: %s:%u:%u: %s", d.pd_file,
		    d.pd_line, d.pd_col, d.pd_msg);
	return blob;
}

int
kt_confine(struct lwp *l, const char *yaml)
{
	struct policy_load pl;
	struct file *fp;
	size_t size;
	void *blob = kt_blob(yaml, &size);
	uintptr_t u = kh_ualloc(size);
	int error;

	kh_uwrite(u, blob, size);
	free(blob);
	fp = kh_dev_open(l);
	assert_non_null(fp);
	pl.pl_addr = u;
	pl.pl_size = size;
	error = kh_dev_ioctl(l, fp, POLICY_IOC_LOAD, &pl);
	kh_dev_close(l, fp);
	return error;
}

struct lwp *
kt_confined(const char *yaml, struct emul *em)
{
	struct lwp *l = kh_proc_new(1000, em != NULL ? em : &emul_netbsd);

	size_t i;

	assert_int_equal(kt_confine(l, yaml), 0);
	for (i = 0; i < KT_NLWP && kt_lwps[i] != NULL; i++)
		continue;
	if (i < KT_NLWP)
		kt_lwps[i] = l;
	return l;
}

void
kt_release(struct lwp *l)
{
	size_t i;

	for (i = 0; i < KT_NLWP; i++)
		if (kt_lwps[i] == l)
			kt_lwps[i] = NULL;
	kh_lwp_free(l);
}

int
kt_stock(struct lwp *l, int code, const void *uap, register_t *rv)
{
	int error;

	kh_stock_reread = true;
	error = kh_syscall_stock(l, code, uap, rv);
	kh_stock_reread = false;
	return error;
}
