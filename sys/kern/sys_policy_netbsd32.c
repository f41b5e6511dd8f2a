/* sys_policy_netbsd32.c: the policy wrappers for 32-bit NetBSD processes on a 64-bit kernel:
 * widen the 32-bit pointers and hand the same shared cores the same native request. */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/proc.h>
#include <sys/socket.h>
#include <sys/exec.h>

#include <compat/netbsd32/netbsd32.h>
#include <compat/netbsd32/netbsd32_exec.h>
#include <compat/netbsd32/netbsd32_syscall.h>
#include <compat/netbsd32/netbsd32_syscallargs.h>

#include "sys_policy.h"
#include "sys_policy_ptr32.h"

#define N32	POLICY_EMUL_NETBSD32

static int
policy_n32_open(struct lwp *l, const struct netbsd32_open_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_open(l, N32, AT_FDCWD, SCARG_P32(uap, path),
	    SCARG(uap, flags), SCARG(uap, mode), retval);
}

static int
policy_n32_openat(struct lwp *l, const struct netbsd32_openat_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_open(l, N32, SCARG(uap, fd), SCARG_P32(uap, path),
	    SCARG(uap, oflags), SCARG(uap, mode), retval);
}

static int
policy_n32_unlink(struct lwp *l, const struct netbsd32_unlink_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_unlink(l, N32, AT_FDCWD, SCARG_P32(uap, path), 0);
}

static int
policy_n32_rmdir(struct lwp *l, const struct netbsd32_rmdir_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_unlink(l, N32, AT_FDCWD, SCARG_P32(uap, path),
	    AT_REMOVEDIR);
}

static int
policy_n32_rename(struct lwp *l, const struct netbsd32_rename_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_rename(l, N32, AT_FDCWD, SCARG_P32(uap, from),
	    AT_FDCWD, SCARG_P32(uap, to));
}

static int
policy_n32_mkdir(struct lwp *l, const struct netbsd32_mkdir_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_mkdir(l, N32, AT_FDCWD, SCARG_P32(uap, path),
	    SCARG(uap, mode));
}

static int
policy_n32_link(struct lwp *l, const struct netbsd32_link_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_link(l, N32, SCARG_P32(uap, path),
	    SCARG_P32(uap, link), false);
}

static int
policy_n32_symlink(struct lwp *l, const struct netbsd32_symlink_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_symlink(l, N32, SCARG_P32(uap, path),
	    SCARG_P32(uap, link));
}

static int
policy_n32_chmod(struct lwp *l, const struct netbsd32_chmod_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_chmod(l, N32, AT_FDCWD, SCARG_P32(uap, path),
	    SCARG(uap, mode), true);
}

static int
policy_n32_readlink(struct lwp *l, const struct netbsd32_readlink_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_readlink(l, N32, AT_FDCWD, SCARG_P32(uap, path),
	    SCARG_P32(uap, buf), SCARG(uap, count), retval);
}

static int
policy_n32_access(struct lwp *l, const struct netbsd32_access_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_access(l, N32, AT_FDCWD, SCARG_P32(uap, path),
	    SCARG(uap, flags), 0);
}

static int
policy_n32_chdir(struct lwp *l, const struct netbsd32_chdir_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_chdir(l, N32, SCARG_P32(uap, path));
}

static int
policy_n32_execve(struct lwp *l, const struct netbsd32_execve_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_execve(l, N32, SCARG_P32(uap, path),
	    SCARG_P32(uap, argp), policy_fetch_ptr32, uap, retval);
}

/* The 32-bit sockaddr layouts are the native ones. */
static int
policy_n32_connect(struct lwp *l, const struct netbsd32_connect_args *uap,
    register_t *retval)
{
	struct policy_call *pc;
	int error;

	POLICY_UNCONFINED(l, uap, retval);
	pc = policy_call_begin(l, POLICY_OP_CONNECT, N32);
	error = SCARG(uap, namelen) < 0 ? EINVAL :
	    policy_copyin_sockaddr(pc, SCARG_P32(uap, name),
	    (size_t)SCARG(uap, namelen));
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

	POLICY_UNCONFINED(l, uap, retval);
	pc = policy_call_begin(l, POLICY_OP_BIND, N32);
	error = SCARG(uap, namelen) < 0 ? EINVAL :
	    policy_copyin_sockaddr(pc, SCARG_P32(uap, name),
	    (size_t)SCARG(uap, namelen));
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

	if (!policy_lwp_confined(l) || SCARG_P32(uap, to) == NULL)
		return policy_call_orig(l, uap, retval);
	pc = policy_call_begin(l, POLICY_OP_SENDTO, N32);
	error = SCARG(uap, tolen) < 0 ? EINVAL :
	    policy_copyin_sockaddr(pc, SCARG_P32(uap, to),
	    (size_t)SCARG(uap, tolen));
	if (error == 0)
		error = policy_core_sendto(pc, SCARG(uap, s),
		    SCARG_P32(uap, buf), SCARG(uap, len), SCARG(uap, flags),
		    retval);
	policy_call_end(pc);
	return error;
}

static int
policy_n32_socket(struct lwp *l, const struct netbsd32___socket30_args *uap,
    register_t *retval)
{
	int error;

	POLICY_UNCONFINED(l, uap, retval);
	error = policy_core_socket(l, N32, SCARG(uap, domain), SCARG(uap, type),
	    SCARG(uap, protocol));
	return error != 0 ? error : policy_call_orig(l, uap, retval);
}

static int
policy_n32_kill(struct lwp *l, const struct netbsd32_kill_args *uap,
    register_t *retval)
{
	int error;

	POLICY_UNCONFINED(l, uap, retval);
	error = policy_core_kill(l, N32, SCARG(uap, pid), SCARG(uap, signum));
	return error != 0 ? error : policy_call_orig(l, uap, retval);
}

#define POLICY_HOOK(code, fn)	{ code, (sy_call_t *)fn, NULL }
static struct policy_hook policy_netbsd32[] = {
	POLICY_HOOK(NETBSD32_SYS_netbsd32_open, policy_n32_open),
	POLICY_HOOK(NETBSD32_SYS_netbsd32_openat, policy_n32_openat),
	POLICY_HOOK(NETBSD32_SYS_netbsd32_unlink, policy_n32_unlink),
	POLICY_HOOK(NETBSD32_SYS_netbsd32_rmdir, policy_n32_rmdir),
	POLICY_HOOK(NETBSD32_SYS_netbsd32_rename, policy_n32_rename),
	POLICY_HOOK(NETBSD32_SYS_netbsd32_mkdir, policy_n32_mkdir),
	POLICY_HOOK(NETBSD32_SYS_netbsd32_link, policy_n32_link),
	POLICY_HOOK(NETBSD32_SYS_netbsd32_symlink, policy_n32_symlink),
	POLICY_HOOK(NETBSD32_SYS_netbsd32_chmod, policy_n32_chmod),
	POLICY_HOOK(NETBSD32_SYS_netbsd32_readlink, policy_n32_readlink),
	POLICY_HOOK(NETBSD32_SYS_netbsd32_access, policy_n32_access),
	POLICY_HOOK(NETBSD32_SYS_netbsd32_chdir, policy_n32_chdir),
	POLICY_HOOK(NETBSD32_SYS_netbsd32_execve, policy_n32_execve),
	POLICY_HOOK(NETBSD32_SYS_netbsd32_connect, policy_n32_connect),
	POLICY_HOOK(NETBSD32_SYS_netbsd32_bind, policy_n32_bind),
	POLICY_HOOK(NETBSD32_SYS_netbsd32_sendto, policy_n32_sendto),
	POLICY_HOOK(NETBSD32_SYS_netbsd32___socket30, policy_n32_socket),
	POLICY_HOOK(NETBSD32_SYS_netbsd32_kill, policy_n32_kill),
	{ 0, NULL, NULL }
};

struct policy_emul_hooks policy_netbsd32_hooks = {
	.peh_emul = &emul_netbsd32,
	.peh_policy_emul = POLICY_EMUL_NETBSD32,
	.peh_hooks = policy_netbsd32,
};
