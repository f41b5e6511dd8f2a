/* rt.c: helpers the rump tests share: booting the rump kernel with the policy module built in,
 * tmpfs, processes, policies compiled with libpolicy and loaded through /dev/policy. */
#include <pthread.h>
#include <sched.h>

#include "rt.h"
#include "../../lib/libpolicy/libpolicy.h"

/* fs/tmpfs/tmpfs_args.h, in NetBSD's types. */
struct rt_tmpfs_args {
	int		ta_version;
	uint64_t	ta_nodes_max;
	int64_t		ta_size_max;
	uint32_t	ta_root_uid;
	uint32_t	ta_root_gid;
	uint32_t	ta_root_mode;
};

static void
rt_mount_t(void)
{
	struct rt_tmpfs_args ta;

	memset(&ta, 0, sizeof(ta));
	ta.ta_version = 1;
	ta.ta_root_mode = 0777;
	if (rump_sys_mount("tmpfs", RT_T, 0, &ta, sizeof(ta)) != 0)
		fail_msg("mount tmpfs on %s: %s", RT_T, strerror(errno));
}

void
rt_boot(void)
{
	static int booted;
	int major;

	if (booted++)
		return;
	rump_boot_setsigmodel(RUMP_SIGMODEL_RECORD);
	if (rump_init() != 0)
		fail_msg("rump_init failed");
	/* Linking the Linux component makes its emulation every new process's. */
	rump_i_know_what_i_am_doing_with_sysents = 1;
	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0)
		fail_msg("rfork failed");
	rump_policytest_names();		/* rump's Linux emulation */
	rump_pub_lwproc_sysent_usenative();
	rump_policytest_names();
	rt_admin_lwp = rump_pub_lwproc_curlwp();
	if ((major = rump_policytest_major()) < 0)
		fail_msg("the policy module did not attach /dev/policy");
	if (rump_sys_mkdir("/dev", 0755) != 0 && errno != EEXIST)
		fail_msg("mkdir /dev: %s", strerror(errno));
	if (rump_sys_mknod("/dev/policy", 0020666,
	    ((dev_t)major << 8)) != 0 && errno != EEXIST)
		fail_msg("mknod /dev/policy: %s", strerror(errno));
	if (rump_sys_mkdir(RT_T, 0777) != 0)
		fail_msg("mkdir %s: %s", RT_T, strerror(errno));
	rt_mount_t();
}

void
rt_fresh(void)
{
	rt_boot();
	rt_admin();
	if (rump_sys_unmount(RT_T, RUMP_MNT_FORCE) != 0)
		fail_msg("unmount %s: %s", RT_T, strerror(errno));
	rt_mount_t();
}

struct lwp *rt_admin_lwp;

void
rt_admin(void)
{
	if (rump_pub_lwproc_curlwp() != rt_admin_lwp)
		rump_pub_lwproc_switch(rt_admin_lwp);
}

struct lwp *
rt_proc_linux(void)
{
	rt_admin();
	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0)
		fail_msg("rfork failed");
	return rump_pub_lwproc_curlwp();
}

struct lwp *
rt_proc(void)
{
	struct lwp *l = rt_proc_linux();

	rump_pub_lwproc_sysent_usenative();
	return l;
}

void
rt_proc_exit(void)
{
	rump_pub_lwproc_releaselwp();
	rt_admin();
}

void *
rt_blob(const char *yaml, size_t *sizep)
{
	struct policy_diag d;
	char text[16384];
	void *blob;

	if (strncmp(yaml, "policy:", 7) == 0)
		snprintf(text, sizeof(text), "%s", yaml);
	else
		snprintf(text, sizeof(text),
		    "policy: 1\nname: rt\ndefault: deny\nerrno: EACCES\n"
		    "log: none\nrules:\n%s", yaml);
	if (policy_compile_buffer("rt.yaml", text, strlen(text), &blob, sizep,
	    &d) != 0)
		fail_msg("policy does not compile: %s:%u:%u: %s", d.pd_file,
		    d.pd_line, d.pd_col, d.pd_msg);
	return blob;
}

int
rt_load_blob(const void *blob, size_t size)
{
	struct policy_load pl;
	int fd, rv, e;

	if ((fd = rump_sys_open("/dev/policy", RUMP_O_RDWR)) < 0)
		return errno;
	pl.pl_addr = (uint64_t)(uintptr_t)blob;
	pl.pl_size = size;
	rv = rump_sys_ioctl(fd, RT_IOC_LOAD, &pl);
	e = errno;
	rump_sys_close(fd);
	return rv == 0 ? 0 : e;
}

int
rt_confine(const char *yaml)
{
	size_t size;
	void *blob = rt_blob(yaml, &size);
	int error = rt_load_blob(blob, size);

	free(blob);
	return error;
}

void
rt_mkfile(const char *path, const char *text)
{
	int fd = rump_sys_open(path, RUMP_O_WRONLY | RUMP_O_CREAT |
	    RUMP_O_TRUNC, 0644);

	if (fd < 0)
		fail_msg("create %s: %s", path, strerror(errno));
	if (rump_sys_write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		fail_msg("write %s: %s", path, strerror(errno));
	rump_sys_close(fd);
}

const char *
rt_read(const char *path)
{
	static char buf[4096];
	ssize_t n;
	int fd;

	buf[0] = '\0';
	if ((fd = rump_sys_open(path, RUMP_O_RDONLY)) < 0)
		return buf;
	n = rump_sys_read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	rump_sys_close(fd);
	return buf;
}

int
rt_err(int rv)
{
	return rv < 0 ? errno : 0;
}

int
rt_stat(const char *path, bool follow, struct rt_stat *st)
{
	memset(st, 0, sizeof(*st));
	return follow ? rump_sys_stat(path, (void *)st) :
	    rump_sys_lstat(path, (void *)st);
}

/*
 * The calling thread onto the first (0) or second (1) CPU the process may
 * use, or (-1) back onto all of them: a racer that shares a CPU with the
 * caller is preempted for whole attempts at a time.  One CPU: nothing.
 */
void
rt_pin(int which)
{
	static cpu_set_t all;
	static int cpu[2] = { -1, -1 }, init;
	cpu_set_t set;
	int i, n = 0;

	if (!init++) {
		(void)pthread_getaffinity_np(pthread_self(), sizeof(all), &all);
		for (i = 0; i < CPU_SETSIZE && n < 2; i++)
			if (CPU_ISSET(i, &all))
				cpu[n++] = i;
	}
	if (cpu[1] < 0)
		return;
	if (which < 0)
		set = all;
	else {
		CPU_ZERO(&set);
		CPU_SET(cpu[which], &set);
	}
	(void)pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}
