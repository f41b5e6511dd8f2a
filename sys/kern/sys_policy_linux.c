/* sys_policy_linux.c: the copy-once wrappers for Linux binaries (compat_linux), and the
 * conversions Linux forms need: open flags, *at flags, sockaddrs, signals, stat results. */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/proc.h>
#include <sys/socket.h>
#include <sys/mbuf.h>
#include <sys/un.h>
#include <sys/stat.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/namei.h>
#include <sys/vfs_syscalls.h>
#include <sys/syscallargs.h>

#include <compat/linux/common/linux_types.h>
#include <compat/linux/common/linux_fcntl.h>
#include <compat/linux/common/linux_signal.h>
#include <compat/linux/common/linux_socket.h>
#include <compat/linux/common/linux_exec.h>
#include <compat/linux/common/linux_machdep.h>
#include <compat/linux/common/linux_sched.h>
#include <compat/linux/linux_syscall.h>
#include <compat/linux/linux_syscallargs.h>

#include "sys_policy.h"

int
policy_linux_oflags(int lf)
{
	static const struct { int lx, nat; } map[] = {
		{ LINUX_O_CREAT, O_CREAT }, { LINUX_O_EXCL, O_EXCL },
		{ LINUX_O_NOCTTY, O_NOCTTY }, { LINUX_O_TRUNC, O_TRUNC },
		{ LINUX_O_APPEND, O_APPEND }, { LINUX_O_NONBLOCK, O_NONBLOCK },
		{ LINUX_O_SYNC, O_SYNC }, { LINUX_O_DIRECTORY, O_DIRECTORY },
		{ LINUX_O_NOFOLLOW, O_NOFOLLOW }, { LINUX_O_CLOEXEC, O_CLOEXEC },
	};
	int f = lf & LINUX_O_ACCMODE;	/* same access-mode values */
	size_t i;

	for (i = 0; i < __arraycount(map); i++)
		if (lf & map[i].lx)
			f |= map[i].nat;
	return f;
}

int
policy_linux_domain(int ld)
{
	switch (ld) {
	case LINUX_AF_UNSPEC:
		return AF_UNSPEC;
	case LINUX_AF_UNIX:
		return AF_LOCAL;
	case LINUX_AF_INET:
		return AF_INET;
	case LINUX_AF_INET6:
		return AF_INET6;
	default:
		return -1;
	}
}

/* Linux socket type with its flag bits to the native type; EINVAL if unknown. */
int
policy_linux_socktype(int lt, int *typep)
{
	int t = lt & LINUX_SOCK_TYPE_MASK;

	if (lt & ~(LINUX_SOCK_TYPE_MASK | LINUX_SOCK_CLOEXEC |
	    LINUX_SOCK_NONBLOCK))
		return EINVAL;
	if (lt & LINUX_SOCK_CLOEXEC)
		t |= SOCK_CLOEXEC;
	if (lt & LINUX_SOCK_NONBLOCK)
		t |= SOCK_NONBLOCK;
	*typep = t;
	return 0;
}

/*
 * Linux send flags to the native ones; -1 for those Linux's emulation
 * refuses (EINVAL).  Bits with no meaning here are dropped, as it does.
 */
int
policy_linux_msgflags(int lf)
{
	static const struct { int lx, nat; } map[] = {
		{ LINUX_MSG_OOB, MSG_OOB }, { LINUX_MSG_PEEK, MSG_PEEK },
		{ LINUX_MSG_DONTROUTE, MSG_DONTROUTE },
		{ LINUX_MSG_CTRUNC, MSG_CTRUNC }, { LINUX_MSG_TRUNC, MSG_TRUNC },
		{ LINUX_MSG_DONTWAIT, MSG_DONTWAIT }, { LINUX_MSG_EOR, MSG_EOR },
		{ LINUX_MSG_WAITALL, MSG_WAITALL },
		{ LINUX_MSG_NOSIGNAL, MSG_NOSIGNAL },
	};
	const int refused = LINUX_MSG_PROBE | LINUX_MSG_FIN | LINUX_MSG_SYN |
	    LINUX_MSG_CONFIRM | LINUX_MSG_RST | LINUX_MSG_ERRQUEUE |
	    LINUX_MSG_MORE;
	int f = 0;
	size_t i;

	if (lf & refused)
		return -1;
	for (i = 0; i < __arraycount(map); i++)
		if (lf & map[i].lx)
			f |= map[i].nat;
	return f;
}

int
policy_linux_signo(int ls)
{
	if (ls < 0 || ls >= LINUX__NSIG)
		return -1;
	return linux_to_native_signo[ls];
}

/*
 * A Linux sockaddr (16-bit family, no length byte) copied in once, then
 * rewritten in kernel memory to the native form the request is built from
 * and the operation is given.
 */
int
policy_linux_sockaddr(struct policy_call *pc, const void *uname,
    size_t namelen)
{
	uint8_t *raw = (uint8_t *)&pc->pc_sa;
	uint16_t lfam;
	int fam, error;

	if (namelen > sizeof(pc->pc_sa) || namelen < sizeof(lfam))
		return EINVAL;
	if ((error = copyin(uname, raw, namelen)) != 0)
		return error;
	memcpy(&lfam, raw, sizeof(lfam));
	if ((fam = policy_linux_domain(lfam)) < 0)
		return EAFNOSUPPORT;
	if (fam == AF_LOCAL) {
		/* Linux's sun_path is longer; no abstract names here. */
		size_t p = offsetof(struct sockaddr_un, sun_path), n;

		if (namelen > p && raw[p] == '\0')
			return EINVAL;
		for (n = p; n < namelen && raw[n] != '\0'; n++)
			continue;
		if (n > sizeof(struct sockaddr_un))
			return EINVAL;
		namelen = n;
	}
	pc->pc_sa.sb_len = (uint8_t)namelen;
	pc->pc_sa.sb_family = (sa_family_t)fam;
	return policy_req_sockaddr(pc);
}

static int
policy_linux_fd(int lfd)
{
	return lfd == LINUX_AT_FDCWD ? AT_FDCWD : lfd;
}

static int
policy_lx_open(struct lwp *l, const struct linux_sys_open_args *uap,
    register_t *retval)
{
	return policy_core_open(l, AT_FDCWD, SCARG(uap, path),
	    policy_linux_oflags(SCARG(uap, flags)), SCARG(uap, mode), retval);
}

static int
policy_lx_openat(struct lwp *l, const struct linux_sys_openat_args *uap,
    register_t *retval)
{
	return policy_core_open(l, policy_linux_fd(SCARG(uap, fd)),
	    SCARG(uap, path), policy_linux_oflags(SCARG(uap, flags)),
	    SCARG(uap, mode), retval);
}

/* Linux's unlink of a directory says EISDIR. */
static int
policy_lx_unlink(struct lwp *l, const struct linux_sys_unlink_args *uap,
    register_t *retval)
{
	return policy_core_unlink(l, AT_FDCWD, SCARG(uap, path),
	    POLICY_AT_LINUX);
}

static int
policy_lx_unlinkat(struct lwp *l, const struct linux_sys_unlinkat_args *uap,
    register_t *retval)
{
	return policy_core_unlink(l, policy_linux_fd(SCARG(uap, fd)),
	    SCARG(uap, path), POLICY_AT_LINUX |
	    ((SCARG(uap, flag) & LINUX_AT_REMOVEDIR) ? AT_REMOVEDIR : 0));
}

/* Linux's mknod makes a fifo as mkfifo does, and has 16-bit devices. */
static int
policy_lx_mknodat1(struct lwp *l, int fd, const char *upath, mode_t mode,
    unsigned dev)
{
	return policy_core_mknod(l, policy_linux_fd(fd), upath, mode,
	    dev & 0xffff, S_ISFIFO(mode));
}

static int
policy_lx_mknod(struct lwp *l, const struct linux_sys_mknod_args *uap,
    register_t *retval)
{
	return policy_lx_mknodat1(l, AT_FDCWD, SCARG(uap, path),
	    SCARG(uap, mode), SCARG(uap, dev));
}

static int
policy_lx_mknodat(struct lwp *l, const struct linux_sys_mknodat_args *uap,
    register_t *retval)
{
	return policy_lx_mknodat1(l, SCARG(uap, fd), SCARG(uap, path),
	    SCARG(uap, mode), SCARG(uap, dev));
}

static int
policy_lx_linkat(struct lwp *l, const struct linux_sys_linkat_args *uap,
    register_t *retval)
{
	return policy_core_link(l, policy_linux_fd(SCARG(uap, fd1)),
	    SCARG(uap, name1), policy_linux_fd(SCARG(uap, fd2)),
	    SCARG(uap, name2),
	    (SCARG(uap, flags) & LINUX_AT_SYMLINK_FOLLOW) != 0);
}

static int
policy_lx_faccessat(struct lwp *l, const struct linux_sys_faccessat_args *uap,
    register_t *retval)
{
	return policy_core_access(l, policy_linux_fd(SCARG(uap, fd)),
	    SCARG(uap, path), SCARG(uap, amode), AT_SYMLINK_FOLLOW);
}

static int
policy_lx_fchmodat(struct lwp *l, const struct linux_sys_fchmodat_args *uap,
    register_t *retval)
{
	return policy_core_chmod(l, policy_linux_fd(SCARG(uap, fd)),
	    SCARG(uap, path), SCARG(uap, mode), true);
}

static int
policy_lx_fchownat(struct lwp *l, const struct linux_sys_fchownat_args *uap,
    register_t *retval)
{
	return policy_core_chown(l, policy_linux_fd(SCARG(uap, fd)),
	    SCARG(uap, path), SCARG(uap, owner), SCARG(uap, group),
	    (SCARG(uap, flag) & LINUX_AT_SYMLINK_NOFOLLOW) == 0, true);
}

/*
 * utimensat: the Linux times converted once; a NULL path with a
 * descriptor is Linux's futimens, decided by that name.
 */
static int
policy_lx_utimensat(struct lwp *l, const struct linux_sys_utimensat_args *uap,
    register_t *retval)
{
	struct linux_timespec lts[2];
	struct timespec ts[2], *tsp = NULL;
	file_t *fp;
	int fd = policy_linux_fd(SCARG(uap, fd)), error;

	if (SCARG(uap, times) != NULL) {
		if ((error = copyin(SCARG(uap, times), lts, sizeof(lts))) != 0)
			return error;
		linux_to_native_timespec(&ts[0], &lts[0]);
		linux_to_native_timespec(&ts[1], &lts[1]);
		tsp = ts;
	}
	if (SCARG(uap, path) == NULL && fd != AT_FDCWD) {
		if ((error = policy_call_byname(l, "futimens")) != 0)
			return error;
		if ((error = fd_getvnode(fd, &fp)) != 0)
			return error;
		error = do_sys_utimensat(l, AT_FDCWD, fp->f_vnode, NULL,
		    NOFOLLOW, tsp, UIO_SYSSPACE);
		fd_putfile(fd);
		return error;
	}
	return policy_core_utimes(l, fd, SCARG(uap, path), tsp,
	    POLICY_UT_TIMESPEC | POLICY_UT_KERNEL,
	    (SCARG(uap, flag) & LINUX_AT_SYMLINK_NOFOLLOW) == 0);
}

/* The stat64 a Linux program reads, from the native result. */
static int
policy_linux_stat64_out(const struct stat *st, void *usp)
{
	struct linux_stat64 ls;

	memset(&ls, 0, sizeof(ls));
	ls.lst_dev = linux_fakedev(st->st_dev, 0);
	ls.lst_ino = st->st_ino;
	ls.lst_mode = (linux_mode_t)st->st_mode;
	ls.lst_nlink = st->st_nlink >= (1 << 15) ? (1 << 15) - 1 :
	    (linux_nlink_t)st->st_nlink;
	ls.lst_uid = st->st_uid;
	ls.lst_gid = st->st_gid;
	ls.lst_rdev = linux_fakedev(st->st_rdev, 1);
	ls.lst_size = st->st_size;
	ls.lst_blksize = st->st_blksize;
	ls.lst_blocks = st->st_blocks;
	ls.lst_atime = st->st_atime;
	ls.lst_mtime = st->st_mtime;
	ls.lst_ctime = st->st_ctime;
#ifdef LINUX_STAT64_HAS_NSEC
	ls.lst_atime_nsec = st->st_atimensec;
	ls.lst_mtime_nsec = st->st_mtimensec;
	ls.lst_ctime_nsec = st->st_ctimensec;
#endif
	return copyout(&ls, usp, sizeof(ls));
}

static int
policy_lx_stat(struct lwp *l, int fd, const char *upath, bool follow,
    void *usp)
{
	struct stat st;
	int error;

	error = policy_core_stat(l, fd, upath, follow, &st);
	return error != 0 ? error : policy_linux_stat64_out(&st, usp);
}

static int
policy_lx_stat64(struct lwp *l, const struct linux_sys_stat64_args *uap,
    register_t *retval)
{
	return policy_lx_stat(l, AT_FDCWD, SCARG(uap, path), true,
	    SCARG(uap, sp));
}

static int
policy_lx_lstat64(struct lwp *l, const struct linux_sys_lstat64_args *uap,
    register_t *retval)
{
	return policy_lx_stat(l, AT_FDCWD, SCARG(uap, path), false,
	    SCARG(uap, sp));
}

static int
policy_lx_fstatat64(struct lwp *l, const struct linux_sys_fstatat64_args *uap,
    register_t *retval)
{
	return policy_lx_stat(l, policy_linux_fd(SCARG(uap, fd)),
	    SCARG(uap, path),
	    (SCARG(uap, flag) & LINUX_AT_SYMLINK_NOFOLLOW) == 0,
	    SCARG(uap, sp));
}

static int
policy_lx_sockaddr_call(struct lwp *l, unsigned op, const void *uname,
    int namelen, struct policy_call **pcp)
{
	*pcp = policy_call_begin(l, op);
	if (namelen < 0)
		return EINVAL;
	return policy_linux_sockaddr(*pcp, uname, (size_t)namelen);
}

static int
policy_lx_connect(struct lwp *l, const struct linux_sys_connect_args *uap,
    register_t *retval)
{
	struct policy_call *pc;
	int error;

	error = policy_lx_sockaddr_call(l, POLICY_OP_CONNECT, SCARG(uap, name),
	    (int)SCARG(uap, namelen), &pc);
	if (error == 0)
		error = policy_core_connect(pc, SCARG(uap, s));
	policy_call_end(pc);
	return error;
}

static int
policy_lx_bind(struct lwp *l, const struct linux_sys_bind_args *uap,
    register_t *retval)
{
	struct policy_call *pc;
	int error;

	error = policy_lx_sockaddr_call(l, POLICY_OP_BIND, SCARG(uap, name),
	    (int)SCARG(uap, namelen), &pc);
	if (error == 0)
		error = policy_core_bind(pc, SCARG(uap, s));
	policy_call_end(pc);
	return error;
}

static int
policy_lx_sendto(struct lwp *l, const struct linux_sys_sendto_args *uap,
    register_t *retval)
{
	struct policy_call *pc;
	int error, flags;

	if (SCARG(uap, to) == NULL)
		return (error = policy_core_send_noaddr(l, POLICY_OP_SENDTO)) != 0 ?
		    error : policy_call_orig(l, uap, retval);
	error = policy_lx_sockaddr_call(l, POLICY_OP_SENDTO, SCARG(uap, to),
	    SCARG(uap, tolen), &pc);
	if (error == 0 && (SCARG(uap, len) < 0 ||
	    (flags = policy_linux_msgflags(SCARG(uap, flags))) < 0))
		error = EINVAL;
	if (error == 0)
		error = policy_core_sendto(pc, SCARG(uap, s), SCARG(uap, msg),
		    (size_t)SCARG(uap, len), flags, retval);
	policy_call_end(pc);
	return error;
}

static int
policy_lx_socket(struct lwp *l, const struct linux_sys_socket_args *uap,
    register_t *retval)
{
	int dom, type, error;

	/* Arguments Linux's socket refuses are decided as unnamed, then refused by it. */
	dom = policy_linux_domain(SCARG(uap, domain));
	if (policy_linux_socktype(SCARG(uap, type), &type) != 0)
		type = SCARG(uap, type) & 0xff;
	error = policy_core_socket(l, dom, type, SCARG(uap, protocol));
	return error != 0 ? error : policy_call_orig(l, uap, retval);
}

static int
policy_lx_kill(struct lwp *l, const struct linux_sys_kill_args *uap,
    register_t *retval)
{
	int sig, error;

	if ((sig = policy_linux_signo(SCARG(uap, signum))) < 0)
		return EINVAL;
	error = policy_core_kill(l, SCARG(uap, pid), sig);
	return error != 0 ? error : policy_call_orig(l, uap, retval);
}

/*
 * Linux/amd64's execve, link, chdir, rename, mkdir and the other calls
 * whose arguments Linux and NetBSD share are the native handlers, so the
 * native wrappers stand in for them.  Not wrapped yet, so refused while
 * confined: sendmsg (a Linux msghdr and its control messages, which
 * compat_linux converts with helpers of its own).
 */
#define POLICY_WRAP(orig, fn)	{ (sy_call_t *)orig, (sy_call_t *)fn }
static const struct policy_wrap policy_linux_wraps[] = {
	POLICY_WRAP(linux_sys_open, policy_lx_open),
	POLICY_WRAP(linux_sys_openat, policy_lx_openat),
	POLICY_WRAP(linux_sys_unlink, policy_lx_unlink),
	POLICY_WRAP(linux_sys_unlinkat, policy_lx_unlinkat),
	POLICY_WRAP(linux_sys_mknod, policy_lx_mknod),
	POLICY_WRAP(linux_sys_mknodat, policy_lx_mknodat),
	POLICY_WRAP(linux_sys_linkat, policy_lx_linkat),
	POLICY_WRAP(linux_sys_faccessat, policy_lx_faccessat),
	POLICY_WRAP(linux_sys_fchmodat, policy_lx_fchmodat),
	POLICY_WRAP(linux_sys_fchownat, policy_lx_fchownat),
	POLICY_WRAP(linux_sys_utimensat, policy_lx_utimensat),
	POLICY_WRAP(linux_sys_stat64, policy_lx_stat64),
	POLICY_WRAP(linux_sys_lstat64, policy_lx_lstat64),
	POLICY_WRAP(linux_sys_fstatat64, policy_lx_fstatat64),
	POLICY_WRAP(linux_sys_connect, policy_lx_connect),
	POLICY_WRAP(linux_sys_bind, policy_lx_bind),
	POLICY_WRAP(linux_sys_sendto, policy_lx_sendto),
	POLICY_WRAP(linux_sys_socket, policy_lx_socket),
	POLICY_WRAP(linux_sys_kill, policy_lx_kill),
	{ NULL, NULL }
};

const struct policy_emul_desc policy_linux_desc = {
	.ped_name = "linux",
	.ped_emul = POLICY_EMUL_LINUX,
	.ped_nsysent = LINUX_SYS_NSYSENT,
	.ped_nosys = (sy_call_t *)linux_sys_nosys,
	.ped_wraps = policy_linux_wraps,
};
