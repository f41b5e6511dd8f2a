/* sys_policy_netbsd32.c: the copy-once wrappers for 32-bit NetBSD processes on a 64-bit kernel:
 * widen the 32-bit pointers, convert 32-bit structures, and hand the native cores the rest. */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/kmem.h>
#include <sys/proc.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/exec.h>

#include <compat/netbsd32/netbsd32.h>
#include <compat/netbsd32/netbsd32_exec.h>
#include <compat/netbsd32/netbsd32_syscall.h>
#include <compat/netbsd32/netbsd32_syscallargs.h>
#include <compat/netbsd32/netbsd32_conv.h>

#include "sys_policy.h"
#include "sys_policy_ptr32.h"

static int
policy_n32_open(struct lwp *l, const struct netbsd32_open_args *uap,
    register_t *retval)
{
	return policy_core_open(l, AT_FDCWD, SCARG_P32(uap, path),
	    SCARG(uap, flags), SCARG(uap, mode), retval);
}

static int
policy_n32_openat(struct lwp *l, const struct netbsd32_openat_args *uap,
    register_t *retval)
{
	return policy_core_open(l, SCARG(uap, fd), SCARG_P32(uap, path),
	    SCARG(uap, oflags), SCARG(uap, mode), retval);
}

static int
policy_n32_unlink(struct lwp *l, const struct netbsd32_unlink_args *uap,
    register_t *retval)
{
	return policy_core_unlink(l, AT_FDCWD, SCARG_P32(uap, path), 0);
}

static int
policy_n32_unlinkat(struct lwp *l, const struct netbsd32_unlinkat_args *uap,
    register_t *retval)
{
	return policy_core_unlink(l, SCARG(uap, fd), SCARG_P32(uap, path),
	    SCARG(uap, flag));
}

static int
policy_n32_rmdir(struct lwp *l, const struct netbsd32_rmdir_args *uap,
    register_t *retval)
{
	return policy_core_unlink(l, AT_FDCWD, SCARG_P32(uap, path), AT_REMOVEDIR);
}

static int
policy_n32_rename(struct lwp *l, const struct netbsd32_rename_args *uap,
    register_t *retval)
{
	return policy_core_rename(l, AT_FDCWD, SCARG_P32(uap, from),
	    AT_FDCWD, SCARG_P32(uap, to), false);
}

static int
policy_n32___posix_rename(struct lwp *l, const struct netbsd32___posix_rename_args *uap,
    register_t *retval)
{
	return policy_core_rename(l, AT_FDCWD, SCARG_P32(uap, from),
	    AT_FDCWD, SCARG_P32(uap, to), true);
}

static int
policy_n32_renameat(struct lwp *l, const struct netbsd32_renameat_args *uap,
    register_t *retval)
{
	return policy_core_rename(l, SCARG(uap, fromfd),
	    SCARG_P32(uap, from), SCARG(uap, tofd), SCARG_P32(uap, to), false);
}

static int
policy_n32_mkdir(struct lwp *l, const struct netbsd32_mkdir_args *uap,
    register_t *retval)
{
	return policy_core_mkdir(l, AT_FDCWD, SCARG_P32(uap, path), SCARG(uap, mode));
}

static int
policy_n32_mkdirat(struct lwp *l, const struct netbsd32_mkdirat_args *uap,
    register_t *retval)
{
	return policy_core_mkdir(l, SCARG(uap, fd), SCARG_P32(uap, path),
	    SCARG(uap, mode));
}

static int
policy_n32___mknod50(struct lwp *l, const struct netbsd32___mknod50_args *uap,
    register_t *retval)
{
	return policy_core_mknod(l, AT_FDCWD, SCARG_P32(uap, path), SCARG(uap, mode),
	    SCARG(uap, dev), false);
}

static int
policy_n32_mknodat(struct lwp *l, const struct netbsd32_mknodat_args *uap,
    register_t *retval)
{
	return policy_core_mknod(l, SCARG(uap, fd), SCARG_P32(uap, path),
	    SCARG(uap, mode), SCARG(uap, dev), false);
}

static int
policy_n32_mkfifo(struct lwp *l, const struct netbsd32_mkfifo_args *uap,
    register_t *retval)
{
	return policy_core_mknod(l, AT_FDCWD, SCARG_P32(uap, path), SCARG(uap, mode),
	    0, true);
}

static int
policy_n32_mkfifoat(struct lwp *l, const struct netbsd32_mkfifoat_args *uap,
    register_t *retval)
{
	return policy_core_mknod(l, SCARG(uap, fd), SCARG_P32(uap, path),
	    SCARG(uap, mode), 0, true);
}

static int
policy_n32_link(struct lwp *l, const struct netbsd32_link_args *uap,
    register_t *retval)
{
	return policy_core_link(l, AT_FDCWD, SCARG_P32(uap, path), AT_FDCWD,
	    SCARG_P32(uap, link), true);
}

static int
policy_n32_linkat(struct lwp *l, const struct netbsd32_linkat_args *uap,
    register_t *retval)
{
	return policy_core_link(l, SCARG(uap, fd1), SCARG_P32(uap, name1),
	    SCARG(uap, fd2), SCARG_P32(uap, name2),
	    (SCARG(uap, flags) & AT_SYMLINK_FOLLOW) != 0);
}

static int
policy_n32_symlink(struct lwp *l, const struct netbsd32_symlink_args *uap,
    register_t *retval)
{
	return policy_core_symlink(l, SCARG_P32(uap, path), AT_FDCWD,
	    SCARG_P32(uap, link));
}

static int
policy_n32_symlinkat(struct lwp *l, const struct netbsd32_symlinkat_args *uap,
    register_t *retval)
{
	return policy_core_symlink(l, SCARG_P32(uap, path1), SCARG(uap, fd),
	    SCARG_P32(uap, path2));
}

static int
policy_n32_chmod(struct lwp *l, const struct netbsd32_chmod_args *uap,
    register_t *retval)
{
	return policy_core_chmod(l, AT_FDCWD, SCARG_P32(uap, path), SCARG(uap, mode),
	    true);
}

static int
policy_n32_lchmod(struct lwp *l, const struct netbsd32_lchmod_args *uap,
    register_t *retval)
{
	return policy_core_chmod(l, AT_FDCWD, SCARG_P32(uap, path), SCARG(uap, mode),
	    false);
}

static int
policy_n32_fchmodat(struct lwp *l, const struct netbsd32_fchmodat_args *uap,
    register_t *retval)
{
	return policy_core_chmod(l, SCARG(uap, fd), SCARG_P32(uap, path),
	    SCARG(uap, mode), (SCARG(uap, flag) & AT_SYMLINK_NOFOLLOW) == 0);
}

static int
policy_n32_chown(struct lwp *l, const struct netbsd32_chown_args *uap,
    register_t *retval)
{
	return policy_core_chown(l, AT_FDCWD, SCARG_P32(uap, path), SCARG(uap, uid),
	    SCARG(uap, gid), true, false);
}

static int
policy_n32_lchown(struct lwp *l, const struct netbsd32_lchown_args *uap,
    register_t *retval)
{
	return policy_core_chown(l, AT_FDCWD, SCARG_P32(uap, path), SCARG(uap, uid),
	    SCARG(uap, gid), false, false);
}

static int
policy_n32___posix_chown(struct lwp *l, const struct netbsd32___posix_chown_args *uap,
    register_t *retval)
{
	return policy_core_chown(l, AT_FDCWD, SCARG_P32(uap, path), SCARG(uap, uid),
	    SCARG(uap, gid), true, true);
}

static int
policy_n32___posix_lchown(struct lwp *l, const struct netbsd32___posix_lchown_args *uap,
    register_t *retval)
{
	return policy_core_chown(l, AT_FDCWD, SCARG_P32(uap, path), SCARG(uap, uid),
	    SCARG(uap, gid), false, true);
}

static int
policy_n32_fchownat(struct lwp *l, const struct netbsd32_fchownat_args *uap,
    register_t *retval)
{
	return policy_core_chown(l, SCARG(uap, fd), SCARG_P32(uap, path),
	    SCARG(uap, owner), SCARG(uap, group),
	    (SCARG(uap, flag) & AT_SYMLINK_NOFOLLOW) == 0, true);
}

static int
policy_n32_chflags(struct lwp *l, const struct netbsd32_chflags_args *uap,
    register_t *retval)
{
	return policy_core_chflags(l, SCARG_P32(uap, path), SCARG(uap, flags), true);
}

static int
policy_n32_lchflags(struct lwp *l, const struct netbsd32_lchflags_args *uap,
    register_t *retval)
{
	return policy_core_chflags(l, SCARG_P32(uap, path), SCARG(uap, flags), false);
}

static int
policy_n32_truncate(struct lwp *l, const struct netbsd32_truncate_args *uap,
    register_t *retval)
{
	return policy_core_truncate(l, SCARG_P32(uap, path), SCARG(uap, length));
}

static int
policy_n32_readlink(struct lwp *l, const struct netbsd32_readlink_args *uap,
    register_t *retval)
{
	return policy_core_readlink(l, AT_FDCWD, SCARG_P32(uap, path),
	    SCARG_P32(uap, buf), SCARG(uap, count), retval);
}

static int
policy_n32_readlinkat(struct lwp *l, const struct netbsd32_readlinkat_args *uap,
    register_t *retval)
{
	return policy_core_readlink(l, SCARG(uap, fd), SCARG_P32(uap, path),
	    SCARG_P32(uap, buf), SCARG(uap, bufsize), retval);
}

static int
policy_n32_access(struct lwp *l, const struct netbsd32_access_args *uap,
    register_t *retval)
{
	return policy_core_access(l, AT_FDCWD, SCARG_P32(uap, path), SCARG(uap, flags),
	    0);
}

static int
policy_n32_faccessat(struct lwp *l, const struct netbsd32_faccessat_args *uap,
    register_t *retval)
{
	return policy_core_access(l, SCARG(uap, fd), SCARG_P32(uap, path),
	    SCARG(uap, amode), SCARG(uap, flag));
}

static int
policy_n32_chdir(struct lwp *l, const struct netbsd32_chdir_args *uap,
    register_t *retval)
{
	return policy_core_chdir(l, SCARG_P32(uap, path), false);
}

static int
policy_n32_chroot(struct lwp *l, const struct netbsd32_chroot_args *uap,
    register_t *retval)
{
	return policy_core_chdir(l, SCARG_P32(uap, path), true);
}

static int
policy_n32_pathconf(struct lwp *l, const struct netbsd32_pathconf_args *uap,
    register_t *retval)
{
	return policy_core_pathconf(l, SCARG_P32(uap, path), SCARG(uap, name), true,
	    retval);
}

static int
policy_n32_revoke(struct lwp *l, const struct netbsd32_revoke_args *uap,
    register_t *retval)
{
	return policy_core_revoke(l, SCARG_P32(uap, path));
}

static int
policy_n32_ktrace(struct lwp *l, const struct netbsd32_ktrace_args *uap,
    register_t *retval)
{
	return policy_core_ktrace(l, SCARG_P32(uap, fname), SCARG(uap, ops),
	    SCARG(uap, facs), SCARG(uap, pid));
}

static int
policy_n32_unmount(struct lwp *l, const struct netbsd32_unmount_args *uap,
    register_t *retval)
{
	return policy_core_unmount(l, SCARG_P32(uap, path), SCARG(uap, flags));
}

static int
policy_n32_execve(struct lwp *l, const struct netbsd32_execve_args *uap,
    register_t *retval)
{
	return policy_core_execve(l, SCARG_P32(uap, path), SCARG_P32(uap, argp),
	    policy_fetch_ptr32, uap, retval);
}

static int
policy_n32_fexecve(struct lwp *l, const struct netbsd32_fexecve_args *uap,
    register_t *retval)
{
	return policy_core_fexecve(l, SCARG(uap, fd), SCARG_P32(uap, argp),
	    policy_fetch_ptr32, uap, retval);
}

/* The 32-bit times, converted once into the kernel for the native core. */
static int
policy_n32_utimes1(struct lwp *l, const char *upath, netbsd32_timevalp_t utv,
    bool follow)
{
	struct netbsd32_timeval tv32[2];
	struct timeval tv[2];
	int error;

	if (NETBSD32PTR64(utv) == NULL)
		return policy_core_utimes(l, AT_FDCWD, upath, NULL, 0, follow);
	if ((error = copyin(NETBSD32PTR64(utv), tv32, sizeof(tv32))) != 0)
		return error;
	netbsd32_to_timeval(&tv32[0], &tv[0]);
	netbsd32_to_timeval(&tv32[1], &tv[1]);
	return policy_core_utimes(l, AT_FDCWD, upath, tv, POLICY_UT_KERNEL,
	    follow);
}

static int
policy_n32___utimes50(struct lwp *l, const struct netbsd32___utimes50_args *uap,
    register_t *retval)
{
	return policy_n32_utimes1(l, SCARG_P32(uap, path), SCARG(uap, tptr),
	    true);
}

static int
policy_n32___lutimes50(struct lwp *l,
    const struct netbsd32___lutimes50_args *uap, register_t *retval)
{
	return policy_n32_utimes1(l, SCARG_P32(uap, path), SCARG(uap, tptr),
	    false);
}

static int
policy_n32_utimensat(struct lwp *l, const struct netbsd32_utimensat_args *uap,
    register_t *retval)
{
	struct netbsd32_timespec ts32[2];
	struct timespec ts[2];
	const void *times = NULL;
	int error;

	if (NETBSD32PTR64(SCARG(uap, tptr)) != NULL) {
		error = copyin(SCARG_P32(uap, tptr), ts32, sizeof(ts32));
		if (error != 0)
			return error;
		netbsd32_to_timespec(&ts32[0], &ts[0]);
		netbsd32_to_timespec(&ts32[1], &ts[1]);
		times = ts;
	}
	return policy_core_utimes(l, SCARG(uap, fd), SCARG_P32(uap, path),
	    times, POLICY_UT_TIMESPEC | POLICY_UT_KERNEL,
	    (SCARG(uap, flag) & AT_SYMLINK_NOFOLLOW) == 0);
}

/* stat: the native result, in the 32-bit layout. */
static int
policy_n32_stat1(struct lwp *l, int fdat, const char *upath, bool follow,
    void *usb)
{
	struct netbsd32_stat sb32;
	struct stat sb;
	int error;

	if ((error = policy_core_stat(l, fdat, upath, follow, &sb)) != 0)
		return error;
	netbsd32_from_stat(&sb, &sb32);
	return copyout(&sb32, usb, sizeof(sb32));
}

static int
policy_n32___stat50(struct lwp *l, const struct netbsd32___stat50_args *uap,
    register_t *retval)
{
	return policy_n32_stat1(l, AT_FDCWD, SCARG_P32(uap, path), true,
	    SCARG_P32(uap, ub));
}

static int
policy_n32___lstat50(struct lwp *l, const struct netbsd32___lstat50_args *uap,
    register_t *retval)
{
	return policy_n32_stat1(l, AT_FDCWD, SCARG_P32(uap, path), false,
	    SCARG_P32(uap, ub));
}

static int
policy_n32_fstatat(struct lwp *l, const struct netbsd32_fstatat_args *uap,
    register_t *retval)
{
	return policy_n32_stat1(l, SCARG(uap, fd), SCARG_P32(uap, path),
	    (SCARG(uap, flag) & AT_SYMLINK_NOFOLLOW) == 0, SCARG_P32(uap, buf));
}

static int
policy_n32_statvfs1(struct lwp *l, const struct netbsd32_statvfs1_args *uap,
    register_t *retval)
{
	struct netbsd32_statvfs *sb32;
	struct statvfs *sb;
	int error;

	sb = kmem_alloc(sizeof(*sb), KM_SLEEP);
	sb32 = kmem_alloc(sizeof(*sb32), KM_SLEEP);
	error = policy_core_statvfs(l, SCARG_P32(uap, path), SCARG(uap, flags),
	    sb);
	if (error == 0) {
		netbsd32_from_statvfs(sb, sb32);
		error = copyout(sb32, SCARG_P32(uap, buf), sizeof(*sb32));
	}
	kmem_free(sb32, sizeof(*sb32));
	kmem_free(sb, sizeof(*sb));
	return error;
}

/* The 32-bit sockaddr layouts are the native ones. */
static int
policy_n32_sock(struct lwp *l, unsigned op, netbsd32_sockaddrp_t uname,
    int namelen, struct policy_call **pcp)
{
	*pcp = policy_call_begin(l, op);
	if (namelen < 0)
		return EINVAL;
	return policy_copyin_sockaddr(*pcp, NETBSD32PTR64(uname),
	    (size_t)namelen);
}

static int
policy_n32_connect(struct lwp *l, const struct netbsd32_connect_args *uap,
    register_t *retval)
{
	struct policy_call *pc;
	int error;

	error = policy_n32_sock(l, POLICY_OP_CONNECT, SCARG(uap, name),
	    SCARG(uap, namelen), &pc);
	if (error == 0)
		error = policy_core_connect(pc, SCARG(uap, s));
	policy_call_end(pc);
	return error;
}

static int
policy_n32_bind(struct lwp *l, const struct netbsd32_bind_args *uap,
    register_t *retval)
{
	struct policy_call *pc;
	int error;

	error = policy_n32_sock(l, POLICY_OP_BIND, SCARG(uap, name),
	    SCARG(uap, namelen), &pc);
	if (error == 0)
		error = policy_core_bind(pc, SCARG(uap, s));
	policy_call_end(pc);
	return error;
}

static int
policy_n32_sendto(struct lwp *l, const struct netbsd32_sendto_args *uap,
    register_t *retval)
{
	struct policy_call *pc;
	int error;

	if (SCARG_P32(uap, to) == NULL)
		return (error = policy_core_send_noaddr(l, POLICY_OP_SENDTO)) != 0 ?
		    error : policy_call_orig(l, uap, retval);
	if ((error = policy_sock_check(SCARG(uap, s))) != 0)
		return error;
	error = policy_n32_sock(l, POLICY_OP_SENDTO, SCARG(uap, to),
	    SCARG(uap, tolen), &pc);
	if (error == 0)
		error = policy_core_sendto(pc, SCARG(uap, s),
		    SCARG_P32(uap, buf), SCARG(uap, len), SCARG(uap, flags),
		    retval);
	policy_call_end(pc);
	return error;
}

static int
policy_n32___socket30(struct lwp *l,
    const struct netbsd32___socket30_args *uap, register_t *retval)
{
	int error;

	error = policy_core_socket(l, SCARG(uap, domain), SCARG(uap, type),
	    SCARG(uap, protocol));
	return error != 0 ? error : policy_call_orig(l, uap, retval);
}

static int
policy_n32_kill(struct lwp *l, const struct netbsd32_kill_args *uap,
    register_t *retval)
{
	int error;

	error = policy_core_kill(l, SCARG(uap, pid), SCARG(uap, signum));
	return error != 0 ? error : policy_call_orig(l, uap, retval);
}

static int
policy_n32_ptrace(struct lwp *l, const struct netbsd32_ptrace_args *uap,
    register_t *retval)
{
	int error;

	error = policy_core_ptrace(l, SCARG(uap, req), SCARG(uap, pid));
	return error != 0 ? error : policy_call_orig(l, uap, retval);
}

/*
 * Not wrapped, so refused while confined: sendmsg (a 32-bit msghdr and
 * iovec array to convert) and mount (file-system arguments holding 32-bit
 * pointers, converted per file system).
 */
#define POLICY_WRAP(fn)	{ (sy_call_t *)netbsd32_##fn, (sy_call_t *)policy_n32_##fn }
static const struct policy_wrap policy_netbsd32_wraps[] = {
	POLICY_WRAP(open),
	POLICY_WRAP(openat),
	POLICY_WRAP(unlink),
	POLICY_WRAP(unlinkat),
	POLICY_WRAP(rmdir),
	POLICY_WRAP(rename),
	POLICY_WRAP(__posix_rename),
	POLICY_WRAP(renameat),
	POLICY_WRAP(mkdir),
	POLICY_WRAP(mkdirat),
	POLICY_WRAP(__mknod50),
	POLICY_WRAP(mknodat),
	POLICY_WRAP(mkfifo),
	POLICY_WRAP(mkfifoat),
	POLICY_WRAP(link),
	POLICY_WRAP(linkat),
	POLICY_WRAP(symlink),
	POLICY_WRAP(symlinkat),
	POLICY_WRAP(chmod),
	POLICY_WRAP(lchmod),
	POLICY_WRAP(fchmodat),
	POLICY_WRAP(chown),
	POLICY_WRAP(lchown),
	POLICY_WRAP(__posix_chown),
	POLICY_WRAP(__posix_lchown),
	POLICY_WRAP(fchownat),
	POLICY_WRAP(chflags),
	POLICY_WRAP(lchflags),
	POLICY_WRAP(truncate),
	POLICY_WRAP(readlink),
	POLICY_WRAP(readlinkat),
	POLICY_WRAP(access),
	POLICY_WRAP(faccessat),
	POLICY_WRAP(chdir),
	POLICY_WRAP(chroot),
	POLICY_WRAP(pathconf),
	POLICY_WRAP(revoke),
	POLICY_WRAP(ktrace),
	POLICY_WRAP(unmount),
	POLICY_WRAP(execve),
	POLICY_WRAP(fexecve),
	POLICY_WRAP(__utimes50),
	POLICY_WRAP(__lutimes50),
	POLICY_WRAP(utimensat),
	POLICY_WRAP(__stat50),
	POLICY_WRAP(__lstat50),
	POLICY_WRAP(fstatat),
	POLICY_WRAP(statvfs1),
	POLICY_WRAP(connect),
	POLICY_WRAP(bind),
	POLICY_WRAP(sendto),
	POLICY_WRAP(__socket30),
	POLICY_WRAP(kill),
	POLICY_WRAP(ptrace),
	{ NULL, NULL }
};

const struct policy_emul_desc policy_netbsd32_desc = {
	.ped_name = "netbsd32",
	.ped_emul = POLICY_EMUL_NETBSD32,
	.ped_nsysent = NETBSD32_SYS_NSYSENT,
	.ped_nosys = sys_nosys,
	.ped_wraps = policy_netbsd32_wraps,
};
