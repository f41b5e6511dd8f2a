/* rk_compat.c: the kernel side of test_rcompat.c, built with rumpkern-cc: a netbsd32 and a
 * linux32 emulation for this kit, which has neither, so that their policy wrappers run. */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/proc.h>
#include <sys/socket.h>
#include <sys/socketvar.h>

#include <compat/netbsd32/netbsd32.h>
#include <compat/netbsd32/netbsd32_syscall.h>
#include <compat/netbsd32/netbsd32_syscallargs.h>
#include <compat/linux/common/linux_types.h>
#include <compat/linux/common/linux_signal.h>
#include <compat/linux32/common/linux32_types.h>
#include <compat/linux32/common/linux32_signal.h>
#include <compat/linux32/linux32_syscall.h>
#include <compat/linux32/linux32_syscallargs.h>

#include <rump/rump.h>

#include "sys_policy.h"

/*
 * The calls the wrappers stand in for, as the X-macros below name them:
 * netbsd32's in its own table; linux32's, and the netbsd32 handlers that
 * a real linux32 table holds (LINUX32_SYS_netbsd32_*), in linux32's.
 */
#define RK_N32_CALLS(X)							\
	X(open) X(openat) X(unlink) X(unlinkat) X(rmdir) X(rename)	\
	X(__posix_rename) X(renameat) X(mkdir) X(mkdirat) X(__mknod50)	\
	X(mknodat) X(mkfifo) X(mkfifoat) X(link) X(linkat) X(symlink)	\
	X(symlinkat) X(chmod) X(lchmod) X(fchmodat) X(chown) X(lchown)	\
	X(__posix_chown) X(__posix_lchown) X(fchownat) X(chflags)	\
	X(lchflags) X(truncate) X(readlink) X(readlinkat) X(access)	\
	X(faccessat) X(chdir) X(chroot) X(pathconf) X(revoke) X(ktrace)	\
	X(unmount) X(execve) X(fexecve) X(__utimes50) X(__lutimes50)	\
	X(utimensat) X(__stat50) X(__lstat50) X(fstatat) X(statvfs1)	\
	X(connect) X(bind) X(sendto) X(__socket30) X(kill) X(ptrace)
#define RK_L32_CALLS(X)							\
	X(open) X(openat) X(creat) X(unlink) X(unlinkat) X(mknod)	\
	X(mknodat) X(linkat) X(fchmodat) X(faccessat) X(fchownat)	\
	X(chown16) X(lchown16) X(truncate64) X(stat64) X(lstat64)	\
	X(fstatat64) X(kill) X(socketcall)
#define RK_L32_N32_CALLS(X)						\
	X(link) X(execve) X(chdir) X(chmod) X(access) X(__posix_rename)	\
	X(mkdir) X(rmdir) X(chroot) X(symlink) X(readlink)		\
	X(__posix_lchown) X(__posix_chown) X(mkdirat) X(renameat)	\
	X(symlinkat) X(readlinkat)

/*
 * The kit has no 32-bit emulations: these stand for their handlers.  The
 * gate replaces every slot that holds one with the wrapper for it, so a
 * stand-in runs only where a wrapper hands a permitted call back to the
 * emulation's own handler (kill, socket, ptrace, netbsd32's sendto with no
 * address, socketcall's calls that name nothing): there it fails with
 * ENOSYS.
 */
#define RK_N32_STANDIN(fn)						\
int									\
netbsd32_##fn(struct lwp *l, const struct netbsd32_##fn##_args *uap,	\
    register_t *retval)							\
{									\
	return ENOSYS;							\
}
#define RK_L32_STANDIN(fn)						\
int									\
linux32_sys_##fn(struct lwp *l, const struct linux32_sys_##fn##_args *uap, \
    register_t *retval)							\
{									\
	return ENOSYS;							\
}
RK_N32_CALLS(RK_N32_STANDIN)
RK_L32_CALLS(RK_L32_STANDIN)

/* The two emulations: [0] netbsd32, [1] linux32 (RT_EMUL_* in rt.h). */
CTASSERT(NETBSD32_SYS_NSYSENT == LINUX32_SYS_NSYSENT);
#define RK_NSYSENT	NETBSD32_SYS_NSYSENT
static struct sysent rk_sysent[2][RK_NSYSENT];
static const char *rk_names[2][RK_NSYSENT];
static struct emul rk_emul[2];

static void
rk_slot(int e, u_int code, sy_call_t *fn, size_t argsize, const char *name)
{
	KASSERT(code < RK_NSYSENT);
	rk_sysent[e][code].sy_call = fn;
	rk_sysent[e][code].sy_argsize = (short)argsize;
	rk_sysent[e][code].sy_narg = (short)(argsize / sizeof(register32_t));
	rk_names[e][code] = name;
}

#define RK_N32_SLOT(fn)							\
	rk_slot(0, NETBSD32_SYS_netbsd32_##fn, (sy_call_t *)netbsd32_##fn, \
	    sizeof(struct netbsd32_##fn##_args), "netbsd32_" #fn);
#define RK_L32_SLOT(fn)							\
	rk_slot(1, LINUX32_SYS_##fn, (sy_call_t *)linux32_sys_##fn,	\
	    sizeof(struct linux32_sys_##fn##_args), #fn);
#define RK_L32_N32_SLOT(fn)						\
	rk_slot(1, LINUX32_SYS_netbsd32_##fn, (sy_call_t *)netbsd32_##fn, \
	    sizeof(struct netbsd32_##fn##_args), "netbsd32_" #fn);

/*
 * Made once, before any process uses them: every other slot is the
 * emulation's "no such call" (the policy_emul_desc's ped_nosys), slot 0
 * named "syscall" as in the real tables.  The rest of each emulation is
 * the one this kernel has for its ABI: the native one's for netbsd32
 * (native errno numbers), rump's Linux one's for linux32 (its errno table,
 * set by e_syscall_intern).  There is no e_nsysent to set: amd64 has
 * __HAVE_MINIMAL_EMUL, every table has NSYSENT (512) slots, and the gate
 * sizes its shadow by the descriptor's ped_nsysent.
 */
static void
rk_compat_init(void)
{
	extern struct emul emul_rump_sys_linux;
	static bool done;
	u_int i;

	if (done)
		return;
	for (i = 0; i < RK_NSYSENT; i++) {
		rk_sysent[0][i].sy_call = sys_nosys;
		rk_sysent[1][i].sy_call = linux_sys_nosys;
	}
	rk_names[0][0] = rk_names[1][0] = "syscall";
	RK_N32_CALLS(RK_N32_SLOT)
	RK_L32_CALLS(RK_L32_SLOT)
	RK_L32_N32_CALLS(RK_L32_N32_SLOT)

	rk_emul[0] = emul_netbsd;
	rk_emul[0].e_name = "netbsd32";
	rk_emul[1] = emul_rump_sys_linux;
	rk_emul[1].e_name = "linux32";
	for (i = 0; i < 2; i++) {
		rk_emul[i].e_sysent = rk_sysent[i];
		rk_emul[i].e_syscallnames = rk_names[i];
		rk_emul[i].e_sc_autoload = NULL;
	}
	done = true;
}

/*
 * The calling process onto netbsd32 (0) or linux32 (1), as an exec of a
 * 32-bit image would leave it: the emulation, its errno numbering, PK_32.
 * Only before the process is confined: loading a policy then puts it
 * under the gate's shadow of that emulation (policy_gate_confine).
 */
int
rump_policytest_emul32(int which)
{
	struct proc *p;
	int error = 0;

	if (which != 0 && which != 1)
		return EINVAL;
	rump_schedule();
	rk_compat_init();
	p = curproc;
	if (policy_lwp_confined(curlwp))
		error = EBUSY;
	else {
		mutex_enter(p->p_lock);
		p->p_flag |= PK_32;
		mutex_exit(p->p_lock);
		p->p_emul = &rk_emul[which];
		(*p->p_emul->e_syscall_intern)(p);
	}
	rump_unschedule();
	return error;
}

/*
 * What the process's ioctl(2) does with a command whose argument is
 * already in the kernel: the file's own ioctl.  The 32-bit tables have no
 * ioctl, and struct policy_load has the same layout in both ABIs.
 */
int
rump_policytest_ioctl(int fd, u_long cmd, void *data)
{
	file_t *fp;
	int error;

	rump_schedule();
	if ((fp = fd_getfile(fd)) == NULL)
		error = EBADF;
	else {
		error = (*fp->f_ops->fo_ioctl)(fp, cmd, data);
		fd_putfile(fd);
	}
	rump_unschedule();
	return error;
}

/*
 * The process's read(2) of up to len bytes of fd (none if len is 0), then
 * its close(2): bytes read, or -errno.  For what a 32-bit process opened:
 * its tables have no read or close.
 */
ssize_t
rump_policytest_fdread(int fd, void *buf, size_t len)
{
	register_t n = 0;
	file_t *fp;
	int error = 0;

	rump_schedule();
	if (len > 0) {
		if ((fp = fd_getfile(fd)) == NULL)
			error = EBADF;
		else		/* puts the file back */
			error = dofileread(fd, fp, buf, len, &fp->f_offset,
			    FOF_UPDATE_OFFSET, &n);
	}
	if (fd_getfile(fd) == NULL)
		error = error != 0 ? error : EBADF;
	else
		(void)fd_close(fd);
	rump_unschedule();
	return error != 0 ? -(ssize_t)error : (ssize_t)n;
}

/* The socket's own address (peer 0) or its peer's (1), at most len bytes of it. */
int
rump_policytest_sockname(int fd, int peer, void *sa, size_t len)
{
	struct sockaddr_big sb;
	int error;

	rump_schedule();
	memset(&sb, 0, sizeof(sb));
	sb.sb_len = UCHAR_MAX;
	error = peer ? do_sys_getpeername(fd, (struct sockaddr *)&sb) :
	    do_sys_getsockname(fd, (struct sockaddr *)&sb);
	if (error == 0)
		memcpy(sa, &sb, MIN(len, sb.sb_len));
	rump_unschedule();
	return error;
}
