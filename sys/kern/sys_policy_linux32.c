/* sys_policy_linux32.c: the copy-once wrappers for 32-bit Linux binaries (compat_linux32):
 * 32-bit pointers, Linux forms, and socketcall(2), whose argument array is copied once. */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/proc.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/stat.h>

#include <compat/netbsd32/netbsd32.h>
#include <compat/netbsd32/netbsd32_syscallargs.h>
#include <compat/linux/common/linux_types.h>
#include <compat/linux/common/linux_fcntl.h>
#include <compat/linux/common/linux_signal.h>
#include <compat/linux/common/linux_machdep.h>
#include <compat/linux32/common/linux32_types.h>
#include <compat/linux32/common/linux32_signal.h>
#include <compat/linux32/common/linux32_exec.h>
#include <compat/linux32/linux32_syscall.h>
#include <compat/linux32/linux32_syscallargs.h>

#include "sys_policy.h"
#include "sys_policy_ptr32.h"

/* socketcall(2) call numbers: Linux ABI constants (linux/net.h). */
#define POLICY_LXSC_SOCKET	1
#define POLICY_LXSC_BIND	2
#define POLICY_LXSC_CONNECT	3
#define POLICY_LXSC_LISTEN	4
#define POLICY_LXSC_SEND	9
#define POLICY_LXSC_SENDTO	11
#define POLICY_LXSC_NCALLS	21

static int
policy_lx32_fd(int lfd)
{
	return lfd == LINUX_AT_FDCWD ? AT_FDCWD : lfd;
}

static int
policy_lx32_open(struct lwp *l, const struct linux32_sys_open_args *uap,
    register_t *retval)
{
	return policy_core_open(l, AT_FDCWD, SCARG_P32(uap, path),
	    policy_linux_oflags(SCARG(uap, flags)), SCARG(uap, mode), retval);
}

static int
policy_lx32_openat(struct lwp *l, const struct linux32_sys_openat_args *uap,
    register_t *retval)
{
	return policy_core_open(l, policy_lx32_fd(SCARG(uap, fd)),
	    SCARG_P32(uap, path), policy_linux_oflags(SCARG(uap, flags)),
	    SCARG(uap, mode), retval);
}

static int
policy_lx32_creat(struct lwp *l, const struct linux32_sys_creat_args *uap,
    register_t *retval)
{
	return policy_core_open(l, AT_FDCWD, SCARG_P32(uap, path),
	    O_CREAT | O_TRUNC | O_WRONLY, SCARG(uap, mode), retval);
}

static int
policy_lx32_unlink(struct lwp *l, const struct linux32_sys_unlink_args *uap,
    register_t *retval)
{
	return policy_core_unlink(l, AT_FDCWD, SCARG_P32(uap, path),
	    POLICY_AT_LINUX);
}

static int
policy_lx32_unlinkat(struct lwp *l,
    const struct linux32_sys_unlinkat_args *uap, register_t *retval)
{
	return policy_core_unlink(l, policy_lx32_fd(SCARG(uap, fd)),
	    SCARG_P32(uap, path), POLICY_AT_LINUX |
	    ((SCARG(uap, flag) & LINUX_AT_REMOVEDIR) ? AT_REMOVEDIR : 0));
}

static int
policy_lx32_mknod(struct lwp *l, const struct linux32_sys_mknod_args *uap,
    register_t *retval)
{
	return policy_core_mknod(l, AT_FDCWD, SCARG_P32(uap, path),
	    SCARG(uap, mode), SCARG(uap, dev) & 0xffff,
	    S_ISFIFO(SCARG(uap, mode)));
}

static int
policy_lx32_mknodat(struct lwp *l, const struct linux32_sys_mknodat_args *uap,
    register_t *retval)
{
	return policy_core_mknod(l, policy_lx32_fd(SCARG(uap, fd)),
	    SCARG_P32(uap, path), SCARG(uap, mode), SCARG(uap, dev) & 0xffff,
	    S_ISFIFO(SCARG(uap, mode)));
}

static int
policy_lx32_linkat(struct lwp *l, const struct linux32_sys_linkat_args *uap,
    register_t *retval)
{
	return policy_core_link(l, policy_lx32_fd(SCARG(uap, fd1)),
	    SCARG_P32(uap, name1), policy_lx32_fd(SCARG(uap, fd2)),
	    SCARG_P32(uap, name2),
	    (SCARG(uap, flags) & LINUX_AT_SYMLINK_FOLLOW) != 0);
}

static int
policy_lx32_fchmodat(struct lwp *l,
    const struct linux32_sys_fchmodat_args *uap, register_t *retval)
{
	return policy_core_chmod(l, policy_lx32_fd(SCARG(uap, fd)),
	    SCARG_P32(uap, path), SCARG(uap, mode), true);
}

static int
policy_lx32_faccessat(struct lwp *l,
    const struct linux32_sys_faccessat_args *uap, register_t *retval)
{
	return policy_core_access(l, policy_lx32_fd(SCARG(uap, fd)),
	    SCARG_P32(uap, path), SCARG(uap, amode), AT_SYMLINK_FOLLOW);
}

static int
policy_lx32_fchownat(struct lwp *l,
    const struct linux32_sys_fchownat_args *uap, register_t *retval)
{
	return policy_core_chown(l, policy_lx32_fd(SCARG(uap, fd)),
	    SCARG_P32(uap, path), SCARG(uap, owner), SCARG(uap, group),
	    (SCARG(uap, flag) & LINUX_AT_SYMLINK_NOFOLLOW) == 0, true);
}

/* 16-bit ids: -1 (0xffff) means "unchanged", as in the kernel's. */
static uid_t
policy_lx32_id16(unsigned id)
{
	return id == 0xffff ? (uid_t)-1 : id;
}

static int
policy_lx32_chown16(struct lwp *l, const struct linux32_sys_chown16_args *uap,
    register_t *retval)
{
	return policy_core_chown(l, AT_FDCWD, SCARG_P32(uap, path),
	    policy_lx32_id16(SCARG(uap, uid)), policy_lx32_id16(SCARG(uap, gid)),
	    true, true);
}

static int
policy_lx32_lchown16(struct lwp *l,
    const struct linux32_sys_lchown16_args *uap, register_t *retval)
{
	return policy_core_chown(l, AT_FDCWD, SCARG_P32(uap, path),
	    policy_lx32_id16(SCARG(uap, uid)), policy_lx32_id16(SCARG(uap, gid)),
	    false, true);
}

static int
policy_lx32_truncate64(struct lwp *l,
    const struct linux32_sys_truncate64_args *uap, register_t *retval)
{
	return policy_core_truncate(l, SCARG_P32(uap, path),
	    (off_t)((uint64_t)SCARG(uap, lenhi) << 32 | SCARG(uap, lenlo)));
}

/* The stat64 a 32-bit Linux program reads, from the native result. */
static int
policy_lx32_stat(struct lwp *l, int fd, const char *upath, bool follow,
    void *usp)
{
	struct linux32_stat64 ls;
	struct stat st;
	int error;

	if ((error = policy_core_stat(l, fd, upath, follow, &st)) != 0)
		return error;
	memset(&ls, 0, sizeof(ls));
	ls.lst_dev = linux_fakedev(st.st_dev, 0);
	ls.__lst_ino = (unsigned int)st.st_ino;
	ls.lst_ino = st.st_ino;
	ls.lst_mode = st.st_mode;
	ls.lst_nlink = st.st_nlink;
	ls.lst_uid = st.st_uid;
	ls.lst_gid = st.st_gid;
	ls.lst_rdev = linux_fakedev(st.st_rdev, 1);
	ls.lst_size = st.st_size;
	ls.lst_blksize = st.st_blksize;
	ls.lst_blocks = st.st_blocks;
	ls.lst_atime = (unsigned)st.st_atime;
	ls.lst_mtime = (unsigned)st.st_mtime;
	ls.lst_ctime = (unsigned)st.st_ctime;
	ls.lst_atime_nsec = st.st_atimensec;
	ls.lst_mtime_nsec = st.st_mtimensec;
	ls.lst_ctime_nsec = st.st_ctimensec;
	return copyout(&ls, usp, sizeof(ls));
}

static int
policy_lx32_stat64(struct lwp *l, const struct linux32_sys_stat64_args *uap,
    register_t *retval)
{
	return policy_lx32_stat(l, AT_FDCWD, SCARG_P32(uap, path), true,
	    SCARG_P32(uap, sp));
}

static int
policy_lx32_lstat64(struct lwp *l, const struct linux32_sys_lstat64_args *uap,
    register_t *retval)
{
	return policy_lx32_stat(l, AT_FDCWD, SCARG_P32(uap, path), false,
	    SCARG_P32(uap, sp));
}

static int
policy_lx32_fstatat64(struct lwp *l,
    const struct linux32_sys_fstatat64_args *uap, register_t *retval)
{
	return policy_lx32_stat(l, policy_lx32_fd(SCARG(uap, fd)),
	    SCARG_P32(uap, path),
	    (SCARG(uap, flag) & LINUX_AT_SYMLINK_NOFOLLOW) == 0,
	    SCARG_P32(uap, sp));
}

static int
policy_lx32_kill(struct lwp *l, const struct linux32_sys_kill_args *uap,
    register_t *retval)
{
	int sig, error;

	if ((sig = policy_linux_signo(SCARG(uap, signum))) < 0)
		return EINVAL;
	error = policy_core_kill(l, SCARG(uap, pid), sig);
	return error != 0 ? error : policy_call_orig(l, uap, retval);
}

static int
policy_lx32_sockcall(struct lwp *l, unsigned op, const uint32_t *a,
    register_t *retval)
{
	struct policy_call *pc = policy_call_begin(l, op);
	const void *name = NETBSD32IPTR64(op == POLICY_OP_SENDTO ? a[4] : a[1]);
	uint32_t len = op == POLICY_OP_SENDTO ? a[5] : a[2];
	int error, flags = 0;

	error = len > INT32_MAX ? EINVAL :
	    policy_linux_sockaddr(pc, name, len);
	if (error == 0 && op == POLICY_OP_SENDTO &&
	    (flags = policy_linux_msgflags((int)a[3])) < 0)
		error = EINVAL;
	if (error == 0) {
		if (op == POLICY_OP_CONNECT)
			error = policy_core_connect(pc, (int)a[0]);
		else if (op == POLICY_OP_BIND)
			error = policy_core_bind(pc, (int)a[0]);
		else
			error = policy_core_sendto(pc, (int)a[0],
			    NETBSD32IPTR64(a[1]), a[2], flags, retval);
	}
	policy_call_end(pc);
	return error;
}

/* A send with no address, from the copied words: where the socket is connected. */
static int
policy_lx32_send_noaddr(struct lwp *l, const uint32_t *a, register_t *retval)
{
	struct msghdr msg;
	struct iovec iov;
	int error, flags;

	if ((error = policy_core_send_noaddr(l, POLICY_OP_SENDTO)) != 0)
		return error;
	if ((int)a[2] < 0 || (flags = policy_linux_msgflags((int)a[3])) < 0)
		return EINVAL;
	iov.iov_base = NETBSD32IPTR64(a[1]);
	iov.iov_len = a[2];
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	return do_sys_sendmsg(l, (int)a[0], &msg, flags & MSG_USERFLAGS,
	    retval);
}

/*
 * The socketcall calls with no wrapper: their arguments name nothing
 * (descriptors, buffers, lengths), so each is decided by its name, as the
 * gate decides such calls (send as sendto with no address, recv as
 * recvfrom), then handed to the emulation's socketcall, which may read
 * the words again: nothing was decided on them.  sendmsg and sendmmsg
 * (an address inside a 32-bit msghdr) and numbers Linux does not have
 * are refused.
 */
static int
policy_lx32_socketcall_other(struct lwp *l,
    const struct linux32_sys_socketcall_args *uap, register_t *retval)
{
	static const char *const names[POLICY_LXSC_NCALLS] = {
		[4] = "listen", [5] = "accept", [6] = "getsockname",
		[7] = "getpeername", [8] = "socketpair", [10] = "recvfrom",
		[12] = "recvfrom", [13] = "shutdown", [14] = "setsockopt",
		[15] = "getsockopt", [17] = "recvmsg", [18] = "accept4",
		[19] = "recvmmsg",
	};
	int what = SCARG(uap, what), error;
	struct policy_call *pc;

	if (what == POLICY_LXSC_SEND)
		error = policy_core_send_noaddr(l, POLICY_OP_SENDTO);
	else if (what >= 0 && what < POLICY_LXSC_NCALLS && names[what] != NULL)
		error = policy_call_byname(l, names[what]);
	else {
		pc = policy_call_begin(l, POLICY_OP_SYSCALL);
		policy_req_str(&pc->pc_req, POLICY_F_SYSCALL, "socketcall",
		    strlen("socketcall"));
		error = policy_call_refuse(pc, "socketcall: sendmsg, sendmmsg "
		    "or an unknown call");
		policy_call_end(pc);
	}
	if (error != 0)
		return error;
	if (what == POLICY_LXSC_LISTEN)
		return policy_core_listen(l, l->l_sysent->sy_call, uap, retval);
	return policy_call_orig(l, uap, retval);
}

/*
 * socketcall(what, args): the argument words are user memory too, read
 * here exactly once; the covered calls then run from that copy.
 */
static int
policy_lx32_socketcall(struct lwp *l,
    const struct linux32_sys_socketcall_args *uap, register_t *retval)
{
	uint32_t a[6];
	size_t n;
	int error, dom, type, fd;

	switch (SCARG(uap, what)) {
	case POLICY_LXSC_SOCKET: case POLICY_LXSC_CONNECT: case POLICY_LXSC_BIND:
		n = 3;
		break;
	case POLICY_LXSC_SENDTO:
		n = 6;
		break;
	default:
		return policy_lx32_socketcall_other(l, uap, retval);
	}
	error = copyin(SCARG_P32(uap, args), a, n * sizeof(a[0]));
	if (error != 0)
		return error;
	switch (SCARG(uap, what)) {
	case POLICY_LXSC_SOCKET:
		if ((dom = policy_linux_domain((int)a[0])) < 0)
			return EAFNOSUPPORT;
		if ((error = policy_linux_socktype((int)a[1], &type)) != 0)
			return error;
		error = policy_core_socket(l, dom, type, (int)a[2]);
		if (error != 0)
			return error;
		/* fsocreate(9): the socket the decision was made for. */
		error = fsocreate(dom, NULL, type, (int)a[2], &fd);
		if (error == 0)
			*retval = fd;
		return error;
	case POLICY_LXSC_CONNECT:
		return policy_lx32_sockcall(l, POLICY_OP_CONNECT, a, retval);
	case POLICY_LXSC_BIND:
		return policy_lx32_sockcall(l, POLICY_OP_BIND, a, retval);
	default:
		if (a[4] == 0)	/* send on a connected socket */
			return policy_lx32_send_noaddr(l, a, retval);
		return policy_lx32_sockcall(l, POLICY_OP_SENDTO, a, retval);
	}
}

/*
 * The calls whose arguments 32-bit Linux shares with 32-bit NetBSD are
 * compat_netbsd32's handlers, which the netbsd32 wrappers stand in for.
 * Not wrapped, so refused while confined: utime and utimensat (Linux
 * time structures), statfs and statfs64 (paths), the old stat and lstat
 * (their structures), swapon and swapoff.
 */
#define POLICY_WRAP(fn)	{ (sy_call_t *)linux32_sys_##fn, (sy_call_t *)policy_lx32_##fn }
static const struct policy_wrap policy_linux32_wraps[] = {
	POLICY_WRAP(open), POLICY_WRAP(openat), POLICY_WRAP(creat),
	POLICY_WRAP(unlink), POLICY_WRAP(unlinkat), POLICY_WRAP(mknod),
	POLICY_WRAP(mknodat), POLICY_WRAP(linkat), POLICY_WRAP(fchmodat),
	POLICY_WRAP(faccessat), POLICY_WRAP(fchownat), POLICY_WRAP(chown16),
	POLICY_WRAP(lchown16), POLICY_WRAP(truncate64), POLICY_WRAP(stat64),
	POLICY_WRAP(lstat64), POLICY_WRAP(fstatat64), POLICY_WRAP(kill),
	POLICY_WRAP(socketcall),
	{ NULL, NULL }
};

const struct policy_emul_desc policy_linux32_desc = {
	.ped_name = "linux32",
	.ped_emul = POLICY_EMUL_LINUX32,
	.ped_nsysent = LINUX32_SYS_NSYSENT,
	.ped_nosys = (sy_call_t *)linux_sys_nosys,
	.ped_wraps = policy_linux32_wraps,
};
