/* sys_policy_linux.c: the policy wrappers for Linux binaries (compat_linux) and the
 * conversions Linux forms need before the shared request: open flags, sockaddrs, signals. */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/proc.h>
#include <sys/socket.h>
#include <sys/mbuf.h>
#include <sys/un.h>
#include <sys/syscallargs.h>

#include <compat/linux/common/linux_types.h>
#include <compat/linux/common/linux_fcntl.h>
#include <compat/linux/common/linux_signal.h>
#include <compat/linux/common/linux_socket.h>
#include <compat/linux/common/linux_exec.h>
#include <compat/linux/linux_syscall.h>
#include <compat/linux/linux_syscallargs.h>

#include "sys_policy.h"

#define LX	POLICY_EMUL_LINUX

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
policy_lx_open(struct lwp *l, const struct linux_sys_open_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_open(l, LX, AT_FDCWD, SCARG(uap, path),
	    policy_linux_oflags(SCARG(uap, flags)), SCARG(uap, mode), retval);
}

static int
policy_lx_openat(struct lwp *l, const struct linux_sys_openat_args *uap,
    register_t *retval)
{
	int fd = SCARG(uap, fd) == LINUX_AT_FDCWD ? AT_FDCWD : SCARG(uap, fd);

	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_open(l, LX, fd, SCARG(uap, path),
	    policy_linux_oflags(SCARG(uap, flags)), SCARG(uap, mode), retval);
}

static int
policy_lx_unlink(struct lwp *l, const struct linux_sys_unlink_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_unlink(l, LX, AT_FDCWD, SCARG(uap, path), 0);
}

/* Linux/amd64 execve uses the native argument layout. */
static int
policy_lx_execve(struct lwp *l, const struct sys_execve_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_execve(l, LX, SCARG(uap, path), SCARG(uap, argp),
	    policy_fetch_native, uap, retval);
}

static int
policy_lx_connect(struct lwp *l, const struct linux_sys_connect_args *uap,
    register_t *retval)
{
	struct policy_call *pc;
	int error;

	POLICY_UNCONFINED(l, uap, retval);
	pc = policy_call_begin(l, POLICY_OP_CONNECT, LX);
	error = policy_linux_sockaddr(pc, SCARG(uap, name), SCARG(uap, namelen));
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

	POLICY_UNCONFINED(l, uap, retval);
	pc = policy_call_begin(l, POLICY_OP_BIND, LX);
	error = policy_linux_sockaddr(pc, SCARG(uap, name), SCARG(uap, namelen));
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
	int error;

	if (!policy_lwp_confined(l) || SCARG(uap, to) == NULL)
		return policy_call_orig(l, uap, retval);
	pc = policy_call_begin(l, POLICY_OP_SENDTO, LX);
	error = SCARG(uap, tolen) < 0 || SCARG(uap, len) < 0 ? EINVAL :
	    policy_linux_sockaddr(pc, SCARG(uap, to), (size_t)SCARG(uap, tolen));
	if (error == 0)
		error = policy_core_sendto(pc, SCARG(uap, s), SCARG(uap, msg),
		    (size_t)SCARG(uap, len), SCARG(uap, flags), retval);
	policy_call_end(pc);
	return error;
}

static int
policy_lx_socket(struct lwp *l, const struct linux_sys_socket_args *uap,
    register_t *retval)
{
	int dom, type, error;

	POLICY_UNCONFINED(l, uap, retval);
	dom = policy_linux_domain(SCARG(uap, domain));
	if (dom < 0)
		return EAFNOSUPPORT;
	if ((error = policy_linux_socktype(SCARG(uap, type), &type)) != 0)
		return error;
	error = policy_core_socket(l, LX, dom, type, SCARG(uap, protocol));
	return error != 0 ? error : policy_call_orig(l, uap, retval);
}

static int
policy_lx_kill(struct lwp *l, const struct linux_sys_kill_args *uap,
    register_t *retval)
{
	int sig, error;

	POLICY_UNCONFINED(l, uap, retval);
	if ((sig = policy_linux_signo(SCARG(uap, signum))) < 0)
		return EINVAL;
	error = policy_core_kill(l, LX, SCARG(uap, pid), sig);
	return error != 0 ? error : policy_call_orig(l, uap, retval);
}

#define POLICY_HOOK(code, fn)	{ code, (sy_call_t *)fn, NULL }
static struct policy_hook policy_linux[] = {
	POLICY_HOOK(LINUX_SYS_open, policy_lx_open),
	POLICY_HOOK(LINUX_SYS_openat, policy_lx_openat),
	POLICY_HOOK(LINUX_SYS_unlink, policy_lx_unlink),
	POLICY_HOOK(LINUX_SYS_execve, policy_lx_execve),
	POLICY_HOOK(LINUX_SYS_connect, policy_lx_connect),
	POLICY_HOOK(LINUX_SYS_bind, policy_lx_bind),
	POLICY_HOOK(LINUX_SYS_sendto, policy_lx_sendto),
	POLICY_HOOK(LINUX_SYS_socket, policy_lx_socket),
	POLICY_HOOK(LINUX_SYS_kill, policy_lx_kill),
	{ 0, NULL, NULL }
};

struct policy_emul_hooks policy_linux_hooks = {
	.peh_emul = &emul_linux,
	.peh_policy_emul = POLICY_EMUL_LINUX,
	.peh_hooks = policy_linux,
};
