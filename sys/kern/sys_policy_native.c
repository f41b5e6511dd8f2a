/* sys_policy_native.c: the copy-once wrappers of NetBSD's own system calls, each standing in
 * for the kernel's handler: unpack the arguments, then the shared core decides and acts. */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/mount.h>
#include <sys/proc.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/kmem.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/syscallargs.h>
#include <sys/uio.h>

#include "sys_policy.h"

static int
policy_sys_open(struct lwp *l, const struct sys_open_args *uap,
    register_t *retval)
{
	return policy_core_open(l, AT_FDCWD, SCARG(uap, path),
	    SCARG(uap, flags), SCARG(uap, mode), retval);
}

static int
policy_sys_openat(struct lwp *l, const struct sys_openat_args *uap,
    register_t *retval)
{
	return policy_core_open(l, SCARG(uap, fd), SCARG(uap, path),
	    SCARG(uap, oflags), SCARG(uap, mode), retval);
}

static int
policy_sys_unlink(struct lwp *l, const struct sys_unlink_args *uap,
    register_t *retval)
{
	return policy_core_unlink(l, AT_FDCWD, SCARG(uap, path), 0);
}

static int
policy_sys_unlinkat(struct lwp *l, const struct sys_unlinkat_args *uap,
    register_t *retval)
{
	return policy_core_unlink(l, SCARG(uap, fd), SCARG(uap, path),
	    SCARG(uap, flag));
}

static int
policy_sys_rmdir(struct lwp *l, const struct sys_rmdir_args *uap,
    register_t *retval)
{
	return policy_core_unlink(l, AT_FDCWD, SCARG(uap, path), AT_REMOVEDIR);
}

static int
policy_sys_rename(struct lwp *l, const struct sys_rename_args *uap,
    register_t *retval)
{
	return policy_core_rename(l, AT_FDCWD, SCARG(uap, from), AT_FDCWD,
	    SCARG(uap, to), false);
}

static int
policy_sys___posix_rename(struct lwp *l,
    const struct sys___posix_rename_args *uap, register_t *retval)
{
	return policy_core_rename(l, AT_FDCWD, SCARG(uap, from), AT_FDCWD,
	    SCARG(uap, to), true);
}

static int
policy_sys_renameat(struct lwp *l, const struct sys_renameat_args *uap,
    register_t *retval)
{
	return policy_core_rename(l, SCARG(uap, fromfd), SCARG(uap, from),
	    SCARG(uap, tofd), SCARG(uap, to), false);
}

static int
policy_sys_mkdir(struct lwp *l, const struct sys_mkdir_args *uap,
    register_t *retval)
{
	return policy_core_mkdir(l, AT_FDCWD, SCARG(uap, path),
	    SCARG(uap, mode));
}

static int
policy_sys_mkdirat(struct lwp *l, const struct sys_mkdirat_args *uap,
    register_t *retval)
{
	return policy_core_mkdir(l, SCARG(uap, fd), SCARG(uap, path),
	    SCARG(uap, mode));
}

static int
policy_sys___mknod50(struct lwp *l, const struct sys___mknod50_args *uap,
    register_t *retval)
{
	return policy_core_mknod(l, AT_FDCWD, SCARG(uap, path),
	    SCARG(uap, mode), SCARG(uap, dev), false);
}

static int
policy_sys_mknodat(struct lwp *l, const struct sys_mknodat_args *uap,
    register_t *retval)
{
	return policy_core_mknod(l, SCARG(uap, fd), SCARG(uap, path),
	    SCARG(uap, mode), SCARG(uap, dev), false);
}

static int
policy_sys_mkfifo(struct lwp *l, const struct sys_mkfifo_args *uap,
    register_t *retval)
{
	return policy_core_mknod(l, AT_FDCWD, SCARG(uap, path),
	    SCARG(uap, mode), 0, true);
}

static int
policy_sys_mkfifoat(struct lwp *l, const struct sys_mkfifoat_args *uap,
    register_t *retval)
{
	return policy_core_mknod(l, SCARG(uap, fd), SCARG(uap, path),
	    SCARG(uap, mode), 0, true);
}

/* link(2) follows a link it is given, as the kernel's does. */
static int
policy_sys_link(struct lwp *l, const struct sys_link_args *uap,
    register_t *retval)
{
	return policy_core_link(l, AT_FDCWD, SCARG(uap, path), AT_FDCWD,
	    SCARG(uap, link), true);
}

static int
policy_sys_linkat(struct lwp *l, const struct sys_linkat_args *uap,
    register_t *retval)
{
	return policy_core_link(l, SCARG(uap, fd1), SCARG(uap, name1),
	    SCARG(uap, fd2), SCARG(uap, name2),
	    (SCARG(uap, flags) & AT_SYMLINK_FOLLOW) != 0);
}

static int
policy_sys_symlink(struct lwp *l, const struct sys_symlink_args *uap,
    register_t *retval)
{
	return policy_core_symlink(l, SCARG(uap, path), AT_FDCWD,
	    SCARG(uap, link));
}

static int
policy_sys_symlinkat(struct lwp *l, const struct sys_symlinkat_args *uap,
    register_t *retval)
{
	return policy_core_symlink(l, SCARG(uap, path1), SCARG(uap, fd),
	    SCARG(uap, path2));
}

static int
policy_sys_chmod(struct lwp *l, const struct sys_chmod_args *uap,
    register_t *retval)
{
	return policy_core_chmod(l, AT_FDCWD, SCARG(uap, path),
	    SCARG(uap, mode), true);
}

static int
policy_sys_lchmod(struct lwp *l, const struct sys_lchmod_args *uap,
    register_t *retval)
{
	return policy_core_chmod(l, AT_FDCWD, SCARG(uap, path),
	    SCARG(uap, mode), false);
}

static int
policy_sys_fchmodat(struct lwp *l, const struct sys_fchmodat_args *uap,
    register_t *retval)
{
	return policy_core_chmod(l, SCARG(uap, fd), SCARG(uap, path),
	    SCARG(uap, mode), (SCARG(uap, flag) & AT_SYMLINK_NOFOLLOW) == 0);
}

static int
policy_sys_chown(struct lwp *l, const struct sys_chown_args *uap,
    register_t *retval)
{
	return policy_core_chown(l, AT_FDCWD, SCARG(uap, path),
	    SCARG(uap, uid), SCARG(uap, gid), true, false);
}

static int
policy_sys_lchown(struct lwp *l, const struct sys_lchown_args *uap,
    register_t *retval)
{
	return policy_core_chown(l, AT_FDCWD, SCARG(uap, path),
	    SCARG(uap, uid), SCARG(uap, gid), false, false);
}

static int
policy_sys___posix_chown(struct lwp *l,
    const struct sys___posix_chown_args *uap, register_t *retval)
{
	return policy_core_chown(l, AT_FDCWD, SCARG(uap, path),
	    SCARG(uap, uid), SCARG(uap, gid), true, true);
}

static int
policy_sys___posix_lchown(struct lwp *l,
    const struct sys___posix_lchown_args *uap, register_t *retval)
{
	return policy_core_chown(l, AT_FDCWD, SCARG(uap, path),
	    SCARG(uap, uid), SCARG(uap, gid), false, true);
}

static int
policy_sys_fchownat(struct lwp *l, const struct sys_fchownat_args *uap,
    register_t *retval)
{
	return policy_core_chown(l, SCARG(uap, fd), SCARG(uap, path),
	    SCARG(uap, owner), SCARG(uap, group),
	    (SCARG(uap, flag) & AT_SYMLINK_NOFOLLOW) == 0, true);
}

static int
policy_sys_chflags(struct lwp *l, const struct sys_chflags_args *uap,
    register_t *retval)
{
	return policy_core_chflags(l, SCARG(uap, path), SCARG(uap, flags),
	    true);
}

static int
policy_sys_lchflags(struct lwp *l, const struct sys_lchflags_args *uap,
    register_t *retval)
{
	return policy_core_chflags(l, SCARG(uap, path), SCARG(uap, flags),
	    false);
}

static int
policy_sys___utimes50(struct lwp *l, const struct sys___utimes50_args *uap,
    register_t *retval)
{
	return policy_core_utimes(l, AT_FDCWD, SCARG(uap, path),
	    SCARG(uap, tptr), 0, true);
}

static int
policy_sys___lutimes50(struct lwp *l, const struct sys___lutimes50_args *uap,
    register_t *retval)
{
	return policy_core_utimes(l, AT_FDCWD, SCARG(uap, path),
	    SCARG(uap, tptr), 0, false);
}

static int
policy_sys_utimensat(struct lwp *l, const struct sys_utimensat_args *uap,
    register_t *retval)
{
	return policy_core_utimes(l, SCARG(uap, fd), SCARG(uap, path),
	    SCARG(uap, tptr), POLICY_UT_TIMESPEC,
	    (SCARG(uap, flag) & AT_SYMLINK_NOFOLLOW) == 0);
}

static int
policy_sys_truncate(struct lwp *l, const struct sys_truncate_args *uap,
    register_t *retval)
{
	return policy_core_truncate(l, SCARG(uap, path), SCARG(uap, length));
}

static int
policy_sys_readlink(struct lwp *l, const struct sys_readlink_args *uap,
    register_t *retval)
{
	return policy_core_readlink(l, AT_FDCWD, SCARG(uap, path),
	    SCARG(uap, buf), SCARG(uap, count), retval);
}

static int
policy_sys_readlinkat(struct lwp *l, const struct sys_readlinkat_args *uap,
    register_t *retval)
{
	return policy_core_readlink(l, SCARG(uap, fd), SCARG(uap, path),
	    SCARG(uap, buf), SCARG(uap, bufsize), retval);
}

static int
policy_sys_access(struct lwp *l, const struct sys_access_args *uap,
    register_t *retval)
{
	return policy_core_access(l, AT_FDCWD, SCARG(uap, path),
	    SCARG(uap, flags), 0);
}

static int
policy_sys_faccessat(struct lwp *l, const struct sys_faccessat_args *uap,
    register_t *retval)
{
	return policy_core_access(l, SCARG(uap, fd), SCARG(uap, path),
	    SCARG(uap, amode), SCARG(uap, flag));
}

static int
policy_stat_out(struct lwp *l, int fdat, const char *upath, bool follow,
    void *ub)
{
	struct stat sb;
	int error;

	error = policy_core_stat(l, fdat, upath, follow, &sb);
	if (error == 0)
		error = copyout(&sb, ub, sizeof(sb));
	return error;
}

static int
policy_sys___stat50(struct lwp *l, const struct sys___stat50_args *uap,
    register_t *retval)
{
	return policy_stat_out(l, AT_FDCWD, SCARG(uap, path), true,
	    SCARG(uap, ub));
}

static int
policy_sys___lstat50(struct lwp *l, const struct sys___lstat50_args *uap,
    register_t *retval)
{
	return policy_stat_out(l, AT_FDCWD, SCARG(uap, path), false,
	    SCARG(uap, ub));
}

static int
policy_sys_fstatat(struct lwp *l, const struct sys_fstatat_args *uap,
    register_t *retval)
{
	return policy_stat_out(l, SCARG(uap, fd), SCARG(uap, path),
	    (SCARG(uap, flag) & AT_SYMLINK_NOFOLLOW) == 0, SCARG(uap, buf));
}

static int
policy_sys_chdir(struct lwp *l, const struct sys_chdir_args *uap,
    register_t *retval)
{
	return policy_core_chdir(l, SCARG(uap, path), false);
}

static int
policy_sys_chroot(struct lwp *l, const struct sys_chroot_args *uap,
    register_t *retval)
{
	return policy_core_chdir(l, SCARG(uap, path), true);
}

static int
policy_sys_pathconf(struct lwp *l, const struct sys_pathconf_args *uap,
    register_t *retval)
{
	return policy_core_pathconf(l, SCARG(uap, path), SCARG(uap, name),
	    true, retval);
}

static int
policy_sys_statvfs1(struct lwp *l, const struct sys_statvfs1_args *uap,
    register_t *retval)
{
	struct statvfs *sb;
	int error;

	sb = kmem_alloc(sizeof(*sb), KM_SLEEP);
	error = policy_core_statvfs(l, SCARG(uap, path), SCARG(uap, flags),
	    sb);
	if (error == 0)
		error = copyout(sb, SCARG(uap, buf), sizeof(*sb));
	kmem_free(sb, sizeof(*sb));
	return error;
}

static int
policy_sys_revoke(struct lwp *l, const struct sys_revoke_args *uap,
    register_t *retval)
{
	return policy_core_revoke(l, SCARG(uap, path));
}

static int
policy_sys_ktrace(struct lwp *l, const struct sys_ktrace_args *uap,
    register_t *retval)
{
	return policy_core_ktrace(l, SCARG(uap, fname), SCARG(uap, ops),
	    SCARG(uap, facs), SCARG(uap, pid));
}

static int
policy_sys___mount50(struct lwp *l, const struct sys___mount50_args *uap,
    register_t *retval)
{
	return policy_core_mount(l, SCARG(uap, type), SCARG(uap, path),
	    SCARG(uap, flags), SCARG(uap, data), SCARG(uap, data_len), retval);
}

static int
policy_sys_unmount(struct lwp *l, const struct sys_unmount_args *uap,
    register_t *retval)
{
	return policy_core_unmount(l, SCARG(uap, path), SCARG(uap, flags));
}

static int
policy_sys_execve(struct lwp *l, const struct sys_execve_args *uap,
    register_t *retval)
{
	return policy_core_execve(l, SCARG(uap, path), SCARG(uap, argp),
	    policy_fetch_native, uap, retval);
}

static int
policy_sys_fexecve(struct lwp *l, const struct sys_fexecve_args *uap,
    register_t *retval)
{
	return policy_core_fexecve(l, SCARG(uap, fd), SCARG(uap, argp),
	    policy_fetch_native, uap, retval);
}

/* One address a socket call is given, copied in and decided. */
static int
policy_sock_call(struct lwp *l, unsigned op, const void *uname,
    socklen_t namelen, struct policy_call **pcp)
{
	*pcp = policy_call_begin(l, op);
	return policy_copyin_sockaddr(*pcp, uname, namelen);
}

static int
policy_sys_connect(struct lwp *l, const struct sys_connect_args *uap,
    register_t *retval)
{
	struct policy_call *pc;
	int error;

	error = policy_sock_call(l, POLICY_OP_CONNECT, SCARG(uap, name),
	    SCARG(uap, namelen), &pc);
	if (error == 0)
		error = policy_core_connect(pc, SCARG(uap, s));
	policy_call_end(pc);
	return error;
}

static int
policy_sys_bind(struct lwp *l, const struct sys_bind_args *uap,
    register_t *retval)
{
	struct policy_call *pc;
	int error;

	error = policy_sock_call(l, POLICY_OP_BIND, SCARG(uap, name),
	    SCARG(uap, namelen), &pc);
	if (error == 0)
		error = policy_core_bind(pc, SCARG(uap, s));
	policy_call_end(pc);
	return error;
}

static int
policy_sys_sendto(struct lwp *l, const struct sys_sendto_args *uap,
    register_t *retval)
{
	struct policy_call *pc;
	int error;

	if (SCARG(uap, to) == NULL)
		return (error = policy_core_send_noaddr(l, POLICY_OP_SENDTO)) != 0 ?
		    error : policy_call_orig(l, uap, retval);
	if ((error = policy_sock_check(SCARG(uap, s))) != 0)
		return error;
	error = policy_sock_call(l, POLICY_OP_SENDTO, SCARG(uap, to),
	    SCARG(uap, tolen), &pc);
	if (error == 0)
		error = policy_core_sendto(pc, SCARG(uap, s), SCARG(uap, buf),
		    SCARG(uap, len), SCARG(uap, flags), retval);
	policy_call_end(pc);
	return error;
}

/* One message: its msghdr copied in once, its address decided. */
static int
policy_sendmsg1(struct lwp *l, int s, struct msghdr *msg, int flags,
    register_t *retval)
{
	struct policy_call *pc;
	int error;

	msg->msg_flags = MSG_IOVUSRSPACE;
	if (msg->msg_name == NULL)	/* acts on the msghdr copied in */
		return (error = policy_core_send_noaddr(l,
		    POLICY_OP_SENDMSG)) != 0 ? error : do_sys_sendmsg(l, s, msg,
		    flags & MSG_USERFLAGS, retval);
	error = policy_sock_call(l, POLICY_OP_SENDMSG, msg->msg_name,
	    msg->msg_namelen, &pc);
	if (error == 0)
		error = policy_core_sendmsg(pc, s, msg, flags & MSG_USERFLAGS,
		    retval);
	policy_call_end(pc);
	return error;
}

static int
policy_sys_sendmsg(struct lwp *l, const struct sys_sendmsg_args *uap,
    register_t *retval)
{
	struct msghdr msg;
	int error;

	/* As the kernel's: the msghdr is copied in, then the socket looked up. */
	if ((error = copyin(SCARG(uap, msg), &msg, sizeof(msg))) != 0 ||
	    (error = policy_sock_check(SCARG(uap, s))) != 0)
		return error;
	return policy_sendmsg1(l, SCARG(uap, s), &msg, SCARG(uap, flags),
	    retval);
}

/* sendmmsg: each message decided on its own; stops at the first failure. */
static int
policy_sys_sendmmsg(struct lwp *l, const struct sys_sendmmsg_args *uap,
    register_t *retval)
{
	struct mmsghdr mmsg;
	unsigned int i, vlen = SCARG(uap, vlen);
	register_t sent;
	int error = 0;

	if ((error = policy_sock_check(SCARG(uap, s))) != 0)
		return error;
	if (vlen > 1024)
		vlen = 1024;
	for (i = 0; i < vlen; i++) {
		error = copyin(SCARG(uap, mmsg) + i, &mmsg, sizeof(mmsg));
		if (error == 0)
			error = policy_sendmsg1(l, SCARG(uap, s),
			    &mmsg.msg_hdr, SCARG(uap, flags), &sent);
		if (error == 0) {
			mmsg.msg_len = (unsigned int)sent;
			error = copyout(&mmsg.msg_len,
			    &SCARG(uap, mmsg)[i].msg_len,
			    sizeof(mmsg.msg_len));
		}
		if (error != 0)
			break;
	}
	*retval = i;
	return i > 0 ? 0 : error;
}

static int
policy_sys___socket30(struct lwp *l, const struct sys___socket30_args *uap,
    register_t *retval)
{
	int error;

	error = policy_core_socket(l, SCARG(uap, domain), SCARG(uap, type),
	    SCARG(uap, protocol));
	return error != 0 ? error : policy_call_orig(l, uap, retval);
}

static int
policy_sys_kill(struct lwp *l, const struct sys_kill_args *uap,
    register_t *retval)
{
	int error;

	error = policy_core_kill(l, SCARG(uap, pid), SCARG(uap, signum));
	return error != 0 ? error : policy_call_orig(l, uap, retval);
}

static int
policy_sys_ptrace(struct lwp *l, const struct sys_ptrace_args *uap,
    register_t *retval)
{
	int error;

	error = policy_core_ptrace(l, SCARG(uap, req), SCARG(uap, pid));
	return error != 0 ? error : policy_call_orig(l, uap, retval);
}

#define POLICY_WRAP(orig, fn)	{ (sy_call_t *)orig, (sy_call_t *)fn }
static const struct policy_wrap policy_native_wraps[] = {
	POLICY_WRAP(sys_open, policy_sys_open),
	POLICY_WRAP(sys_openat, policy_sys_openat),
	POLICY_WRAP(sys_unlink, policy_sys_unlink),
	POLICY_WRAP(sys_unlinkat, policy_sys_unlinkat),
	POLICY_WRAP(sys_rmdir, policy_sys_rmdir),
	POLICY_WRAP(sys_rename, policy_sys_rename),
	POLICY_WRAP(sys___posix_rename, policy_sys___posix_rename),
	POLICY_WRAP(sys_renameat, policy_sys_renameat),
	POLICY_WRAP(sys_mkdir, policy_sys_mkdir),
	POLICY_WRAP(sys_mkdirat, policy_sys_mkdirat),
	POLICY_WRAP(sys___mknod50, policy_sys___mknod50),
	POLICY_WRAP(sys_mknodat, policy_sys_mknodat),
	POLICY_WRAP(sys_mkfifo, policy_sys_mkfifo),
	POLICY_WRAP(sys_mkfifoat, policy_sys_mkfifoat),
	POLICY_WRAP(sys_link, policy_sys_link),
	POLICY_WRAP(sys_linkat, policy_sys_linkat),
	POLICY_WRAP(sys_symlink, policy_sys_symlink),
	POLICY_WRAP(sys_symlinkat, policy_sys_symlinkat),
	POLICY_WRAP(sys_chmod, policy_sys_chmod),
	POLICY_WRAP(sys_lchmod, policy_sys_lchmod),
	POLICY_WRAP(sys_fchmodat, policy_sys_fchmodat),
	POLICY_WRAP(sys_chown, policy_sys_chown),
	POLICY_WRAP(sys_lchown, policy_sys_lchown),
	POLICY_WRAP(sys___posix_chown, policy_sys___posix_chown),
	POLICY_WRAP(sys___posix_lchown, policy_sys___posix_lchown),
	POLICY_WRAP(sys_fchownat, policy_sys_fchownat),
	POLICY_WRAP(sys_chflags, policy_sys_chflags),
	POLICY_WRAP(sys_lchflags, policy_sys_lchflags),
	POLICY_WRAP(sys___utimes50, policy_sys___utimes50),
	POLICY_WRAP(sys___lutimes50, policy_sys___lutimes50),
	POLICY_WRAP(sys_utimensat, policy_sys_utimensat),
	POLICY_WRAP(sys_truncate, policy_sys_truncate),
	POLICY_WRAP(sys_readlink, policy_sys_readlink),
	POLICY_WRAP(sys_readlinkat, policy_sys_readlinkat),
	POLICY_WRAP(sys_access, policy_sys_access),
	POLICY_WRAP(sys_faccessat, policy_sys_faccessat),
	POLICY_WRAP(sys___stat50, policy_sys___stat50),
	POLICY_WRAP(sys___lstat50, policy_sys___lstat50),
	POLICY_WRAP(sys_fstatat, policy_sys_fstatat),
	POLICY_WRAP(sys_chdir, policy_sys_chdir),
	POLICY_WRAP(sys_chroot, policy_sys_chroot),
	POLICY_WRAP(sys_pathconf, policy_sys_pathconf),
	POLICY_WRAP(sys_statvfs1, policy_sys_statvfs1),
	POLICY_WRAP(sys_revoke, policy_sys_revoke),
	POLICY_WRAP(sys_ktrace, policy_sys_ktrace),
	POLICY_WRAP(sys___mount50, policy_sys___mount50),
	POLICY_WRAP(sys_unmount, policy_sys_unmount),
	POLICY_WRAP(sys_execve, policy_sys_execve),
	POLICY_WRAP(sys_fexecve, policy_sys_fexecve),
	POLICY_WRAP(sys_connect, policy_sys_connect),
	POLICY_WRAP(sys_bind, policy_sys_bind),
	POLICY_WRAP(sys_sendto, policy_sys_sendto),
	POLICY_WRAP(sys_sendmsg, policy_sys_sendmsg),
	POLICY_WRAP(sys_sendmmsg, policy_sys_sendmmsg),
	POLICY_WRAP(sys___socket30, policy_sys___socket30),
	POLICY_WRAP(sys_kill, policy_sys_kill),
	POLICY_WRAP(sys_ptrace, policy_sys_ptrace),
	{ NULL, NULL }
};

const struct policy_emul_desc policy_native_desc = {
	.ped_name = "netbsd",
	.ped_emul = POLICY_EMUL_NATIVE,
	.ped_nsysent = SYS_NSYSENT,
	.ped_nosys = sys_nosys,
	.ped_wraps = policy_native_wraps,
};
