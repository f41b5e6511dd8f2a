/* sys_policy_linux32.c: the policy wrappers for 32-bit Linux binaries (compat_linux32):
 * 32-bit pointers, Linux forms, and socketcall(2), whose argument array is copied once. */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/proc.h>
#include <sys/socket.h>
#include <sys/socketvar.h>

#include <compat/netbsd32/netbsd32.h>
#include <compat/netbsd32/netbsd32_syscallargs.h>
#include <compat/linux/common/linux_types.h>
#include <compat/linux/common/linux_fcntl.h>
#include <compat/linux/common/linux_signal.h>
#include <compat/linux32/common/linux32_types.h>
#include <compat/linux32/common/linux32_signal.h>
#include <compat/linux32/common/linux32_exec.h>
#include <compat/linux32/linux32_syscall.h>
#include <compat/linux32/linux32_syscallargs.h>

#include "sys_policy.h"
#include "sys_policy_ptr32.h"

#define LX32	POLICY_EMUL_LINUX32

/* socketcall(2) call numbers: Linux ABI constants (linux/net.h). */
#define POLICY_LXSC_SOCKET	1
#define POLICY_LXSC_BIND	2
#define POLICY_LXSC_CONNECT	3
#define POLICY_LXSC_SENDTO	11

static int
policy_lx32_open(struct lwp *l, const struct linux32_sys_open_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_open(l, LX32, AT_FDCWD, SCARG_P32(uap, path),
	    policy_linux_oflags(SCARG(uap, flags)), SCARG(uap, mode), retval);
}

static int
policy_lx32_unlink(struct lwp *l, const struct linux32_sys_unlink_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_unlink(l, LX32, AT_FDCWD, SCARG_P32(uap, path), 0);
}

static int
policy_lx32_execve(struct lwp *l, const struct netbsd32_execve_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_execve(l, LX32, SCARG_P32(uap, path),
	    SCARG_P32(uap, argp), policy_fetch_ptr32, uap, retval);
}

static int
policy_lx32_kill(struct lwp *l, const struct linux32_sys_kill_args *uap,
    register_t *retval)
{
	int sig, error;

	POLICY_UNCONFINED(l, uap, retval);
	if ((sig = policy_linux_signo(SCARG(uap, signum))) < 0)
		return EINVAL;
	error = policy_core_kill(l, LX32, SCARG(uap, pid), sig);
	return error != 0 ? error : policy_call_orig(l, uap, retval);
}

static int
policy_lx32_sockcall(struct lwp *l, unsigned op, const uint32_t *a,
    register_t *retval)
{
	struct policy_call *pc = policy_call_begin(l, op, LX32);
	const void *name = NETBSD32IPTR64(op == POLICY_OP_SENDTO ? a[4] : a[1]);
	uint32_t len = op == POLICY_OP_SENDTO ? a[5] : a[2];
	int error;

	error = len > INT32_MAX ? EINVAL :
	    policy_linux_sockaddr(pc, name, len);
	if (error == 0) {
		if (op == POLICY_OP_CONNECT)
			error = policy_core_connect(pc, (int)a[0]);
		else if (op == POLICY_OP_BIND)
			error = policy_core_bind(pc, (int)a[0]);
		else
			error = policy_core_sendto(pc, (int)a[0],
			    NETBSD32IPTR64(a[1]), a[2], (int)a[3], retval);
	}
	policy_call_end(pc);
	return error;
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

	POLICY_UNCONFINED(l, uap, retval);
	switch (SCARG(uap, what)) {
	case POLICY_LXSC_SOCKET: case POLICY_LXSC_CONNECT: case POLICY_LXSC_BIND:
		n = 3;
		break;
	case POLICY_LXSC_SENDTO:
		n = 6;
		break;
	default:
		return policy_call_orig(l, uap, retval);
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
		error = policy_core_socket(l, LX32, dom, type, (int)a[2]);
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
			return policy_call_orig(l, uap, retval);
		return policy_lx32_sockcall(l, POLICY_OP_SENDTO, a, retval);
	}
}

#define POLICY_HOOK(code, fn)	{ code, (sy_call_t *)fn, NULL }
static struct policy_hook policy_linux32[] = {
	POLICY_HOOK(LINUX32_SYS_open, policy_lx32_open),
	POLICY_HOOK(LINUX32_SYS_unlink, policy_lx32_unlink),
	POLICY_HOOK(LINUX32_SYS_netbsd32_execve, policy_lx32_execve),
	POLICY_HOOK(LINUX32_SYS_kill, policy_lx32_kill),
	POLICY_HOOK(LINUX32_SYS_socketcall, policy_lx32_socketcall),
	{ 0, NULL, NULL }
};

struct policy_emul_hooks policy_linux32_hooks = {
	.peh_emul = &emul_linux32,
	.peh_policy_emul = POLICY_EMUL_LINUX32,
	.peh_hooks = policy_linux32,
};
