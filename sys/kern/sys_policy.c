/* sys_policy.c: NetBSD system-call wrappers of the policy secmodel: copy the arguments in
 * once, decide on that copy, run the in-kernel implementation with that same copy. */
#ifdef _KERNEL_OPT
#include "opt_compat_netbsd32.h"
#include "opt_compat_linux.h"
#include "opt_compat_linux32.h"
#endif

#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/kmem.h>
#include <sys/mbuf.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/proc.h>
#include <sys/signal.h>
#include <sys/socket.h>
#include <sys/socketvar.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/syscallargs.h>
#include <sys/syscallvar.h>
#include <sys/uio.h>
#include <sys/vfs_syscalls.h>

#include "sys_policy.h"
#include "../secmodel/policy/secmodel_policy.h"

/* ------------------------------------------------------------------ */
/* The per-call context and the decision                              */

bool
policy_lwp_confined(struct lwp *l)
{
	return policy_cred_confined(l->l_cred);
}

struct policy_call *
policy_call_begin(struct lwp *l, unsigned op, unsigned emul)
{
	struct policy_call *pc;

	pc = kmem_alloc(sizeof(*pc), KM_SLEEP);
	pc->pc_l = l;
	pc->pc_pol = policy_cred_get(l->l_cred);
	memset(&pc->pc_req, 0, offsetof(struct policy_request, pr_filename));
	pc->pc_req.pr_op = (uint16_t)op;
	pc->pc_req.pr_emul = (uint8_t)emul;
	pc->pc_argc = 0;
	return pc;
}

void
policy_call_end(struct policy_call *pc)
{
	if (pc->pc_pol != NULL)
		policy_cred_put(pc->pc_pol);
	kmem_free(pc, sizeof(*pc));
}

/* 0 to go ahead, else the errno the call fails with. */
int
policy_call_decide(struct policy_call *pc)
{
	if (pc->pc_pol == NULL)
		return 0;
	return policy_decide(pc->pc_l, pc->pc_pol, &pc->pc_req);
}

static struct policy_emul_hooks *const policy_emuls[] = {
	&policy_native_hooks,
#ifdef COMPAT_NETBSD32
	&policy_netbsd32_hooks,
#endif
#ifdef COMPAT_LINUX
	&policy_linux_hooks,
#endif
#ifdef COMPAT_LINUX32
	&policy_linux32_hooks,
#endif
};

/*
 * Run the emulation's own handler of the current call: for unconfined
 * processes, and for calls whose arguments are integers only (uap is
 * already the kernel's copy of them).
 */
int
policy_call_orig(struct lwp *l, const void *uap, register_t *retval)
{
	const struct emul *em = l->l_proc->p_emul;
	const struct policy_hook *h;
	size_t i;
	u_short code;

	for (i = 0; i < __arraycount(policy_emuls); i++) {
		if (policy_emuls[i]->peh_emul != em)
			continue;
		code = (u_short)(l->l_sysent - em->e_sysent);
		for (h = policy_emuls[i]->peh_hooks; h->ph_call != NULL; h++)
			if (h->ph_code == code && h->ph_saved != NULL)
				return (*h->ph_saved)(l, uap, retval);
	}
	return ENOSYS;
}

/* ------------------------------------------------------------------ */
/* Shared cores: decide on the copy, act on the copy                  */

int
policy_core_open(struct lwp *l, unsigned emul, int fdat, const char *upath,
    int flags, mode_t mode, register_t *retval)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_OPEN, emul);
	struct pathbuf *pb;
	int error, fd;

	error = policy_copyin_path(pc, fdat, upath, POLICY_F_FILENAME);
	if (error == 0) {
		policy_req_int(&pc->pc_req, POLICY_F_FLAGS, policy_oflags(flags));
		if (flags & O_CREAT)
			policy_req_int(&pc->pc_req, POLICY_F_MODE, mode);
		error = policy_call_decide(pc);
	}
	if (error == 0) {
		pb = pathbuf_create(pc->pc_req.pr_filename);
		if (pb == NULL)
			error = ENOMEM;
		else {
			error = do_open(l, NULL, pb, flags, mode, &fd);
			pathbuf_destroy(pb);
			if (error == 0)
				*retval = fd;
		}
	}
	policy_call_end(pc);
	return error;
}

int
policy_core_unlink(struct lwp *l, unsigned emul, int fdat, const char *upath,
    int atflags)
{
	bool dir = (atflags & AT_REMOVEDIR) != 0;
	struct policy_call *pc = policy_call_begin(l,
	    dir ? POLICY_OP_RMDIR : POLICY_OP_UNLINK, emul);
	int error;

	error = policy_copyin_path(pc, fdat, upath, POLICY_F_FILENAME);
	if (error == 0)
		error = policy_call_decide(pc);
	if (error == 0)
		error = dir ? policy_vfs_rmdir(l, pc->pc_req.pr_filename) :
		    do_sys_unlink(pc->pc_req.pr_filename, UIO_SYSSPACE);
	policy_call_end(pc);
	return error;
}

int
policy_core_rename(struct lwp *l, unsigned emul, int fromfd, const char *ufrom,
    int tofd, const char *uto)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_RENAME, emul);
	int error;

	error = policy_copyin_path(pc, fromfd, ufrom, POLICY_F_FILENAME);
	if (error == 0)
		error = policy_copyin_path(pc, tofd, uto, POLICY_F_FILENAME2);
	if (error == 0)
		error = policy_call_decide(pc);
	if (error == 0)
		error = do_sys_rename(pc->pc_req.pr_filename,
		    pc->pc_req.pr_filename2, UIO_SYSSPACE, 0);
	policy_call_end(pc);
	return error;
}

int
policy_core_mkdir(struct lwp *l, unsigned emul, int fdat, const char *upath,
    mode_t mode)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_MKDIR, emul);
	int error;

	error = policy_copyin_path(pc, fdat, upath, POLICY_F_FILENAME);
	if (error == 0) {
		policy_req_int(&pc->pc_req, POLICY_F_MODE, mode);
		error = policy_call_decide(pc);
	}
	if (error == 0)
		error = do_sys_mkdir(pc->pc_req.pr_filename, mode, UIO_SYSSPACE);
	policy_call_end(pc);
	return error;
}

int
policy_core_link(struct lwp *l, unsigned emul, const char *ufrom,
    const char *uto, bool follow)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_LINK, emul);
	int error;

	error = policy_copyin_path(pc, AT_FDCWD, ufrom, POLICY_F_FILENAME);
	if (error == 0)
		error = policy_copyin_path(pc, AT_FDCWD, uto, POLICY_F_FILENAME2);
	if (error == 0)
		error = policy_call_decide(pc);
	if (error == 0)
		error = policy_vfs_link(l, pc->pc_req.pr_filename,
		    pc->pc_req.pr_filename2, follow);
	policy_call_end(pc);
	return error;
}

/* symlink(target, link): filename is where the link goes, filename2 its text. */
int
policy_core_symlink(struct lwp *l, unsigned emul, const char *utarget,
    const char *ulink)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_SYMLINK, emul);
	struct policy_request *req = &pc->pc_req;
	size_t done;
	int error;

	error = copyinstr(utarget, req->pr_filename2, POLICY_PATH_MAX, &done);
	if (error == 0) {
		policy_req_str(req, POLICY_F_FILENAME2, req->pr_filename2,
		    done - 1);
		error = policy_copyin_path(pc, AT_FDCWD, ulink,
		    POLICY_F_FILENAME);
	}
	if (error == 0)
		error = policy_call_decide(pc);
	if (error == 0)
		error = do_sys_symlink(req->pr_filename2, req->pr_filename,
		    UIO_SYSSPACE);
	policy_call_end(pc);
	return error;
}

int
policy_core_chmod(struct lwp *l, unsigned emul, int fdat, const char *upath,
    mode_t mode, bool follow)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_CHMOD, emul);
	int error;

	error = policy_copyin_path(pc, fdat, upath, POLICY_F_FILENAME);
	if (error == 0) {
		policy_req_int(&pc->pc_req, POLICY_F_MODE, mode);
		error = policy_call_decide(pc);
	}
	if (error == 0)
		error = policy_vfs_chmod(l, pc->pc_req.pr_filename, mode, follow);
	policy_call_end(pc);
	return error;
}

int
policy_core_chown(struct lwp *l, unsigned emul, int fdat, const char *upath,
    uid_t uid, gid_t gid, bool follow)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_CHOWN, emul);
	int error;

	error = policy_copyin_path(pc, fdat, upath, POLICY_F_FILENAME);
	if (error == 0) {
		policy_req_int(&pc->pc_req, POLICY_F_UID, (int32_t)uid);
		policy_req_int(&pc->pc_req, POLICY_F_GID, (int32_t)gid);
		error = policy_call_decide(pc);
	}
	if (error == 0)
		error = policy_vfs_chown(l, pc->pc_req.pr_filename, uid, gid,
		    follow);
	policy_call_end(pc);
	return error;
}

int
policy_core_truncate(struct lwp *l, unsigned emul, const char *upath,
    off_t length)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_TRUNCATE, emul);
	int error;

	error = policy_copyin_path(pc, AT_FDCWD, upath, POLICY_F_FILENAME);
	if (error == 0)
		error = policy_call_decide(pc);
	if (error == 0)
		error = policy_vfs_truncate(l, pc->pc_req.pr_filename, length);
	policy_call_end(pc);
	return error;
}

int
policy_core_readlink(struct lwp *l, unsigned emul, int fdat, const char *upath,
    char *ubuf, size_t count, register_t *retval)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_READLINK, emul);
	int error;

	error = policy_copyin_path(pc, fdat, upath, POLICY_F_FILENAME);
	if (error == 0)
		error = policy_call_decide(pc);
	if (error == 0)
		error = policy_vfs_readlink(l, pc->pc_req.pr_filename, ubuf,
		    count, retval);
	policy_call_end(pc);
	return error;
}

int
policy_core_access(struct lwp *l, unsigned emul, int fdat, const char *upath,
    int mode, int atflags)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_ACCESS, emul);
	int error;

	error = policy_copyin_path(pc, fdat, upath, POLICY_F_FILENAME);
	if (error == 0) {
		policy_req_int(&pc->pc_req, POLICY_F_MODE, mode & 7);
		error = policy_call_decide(pc);
	}
	if (error == 0)
		error = policy_vfs_access(l, pc->pc_req.pr_filename, mode,
		    atflags);
	policy_call_end(pc);
	return error;
}

/* The result is left in *sb (kernel): each emulation copies out its own form. */
int
policy_core_stat(struct lwp *l, unsigned emul, int fdat, const char *upath,
    bool follow, struct stat *sb)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_STAT, emul);
	int error;

	error = policy_copyin_path(pc, fdat, upath, POLICY_F_FILENAME);
	if (error == 0)
		error = policy_call_decide(pc);
	if (error == 0)
		error = policy_vfs_stat(l, pc->pc_req.pr_filename, follow, sb);
	policy_call_end(pc);
	return error;
}

int
policy_core_chdir(struct lwp *l, unsigned emul, const char *upath)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_CHDIR, emul);
	int error;

	error = policy_copyin_path(pc, AT_FDCWD, upath, POLICY_F_FILENAME);
	if (error == 0)
		error = policy_call_decide(pc);
	if (error == 0)
		error = policy_vfs_chdir(l, pc->pc_req.pr_filename);
	policy_call_end(pc);
	return error;
}

static int
policy_exec_common(struct policy_call *pc, int fd, const void *uargv,
    policy_fetch_t fetch, const void *uap, register_t *retval)
{
	struct policy_exec pe;
	int error;

	error = policy_copyin_argv(pc, uargv, fetch);
	if (error == 0)
		error = policy_call_decide(pc);
	if (error != 0)
		return error;
	pe.pe_path = pc->pc_req.pr_filename;
	pe.pe_fd = fd;
	pe.pe_argv = pc->pc_argp;
	pe.pe_argc = pc->pc_argc;
	pe.pe_fetch = fetch;
	pe.pe_uap = uap;
	pe.pe_retval = retval;
	return policy_vfs_execve(pc->pc_l, &pe);
}

int
policy_core_execve(struct lwp *l, unsigned emul, const char *upath,
    const void *uargv, policy_fetch_t fetch, const void *uap,
    register_t *retval)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_EXECVE, emul);
	int error;

	error = policy_copyin_path(pc, AT_FDCWD, upath, POLICY_F_FILENAME);
	if (error == 0)
		error = policy_exec_common(pc, -1, uargv, fetch, uap, retval);
	policy_call_end(pc);
	return error;
}

/* fexecve: the filename decided on is the path of the descriptor's vnode. */
int
policy_core_fexecve(struct lwp *l, unsigned emul, int fd, const void *uargv,
    policy_fetch_t fetch, const void *uap, register_t *retval)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_EXECVE, emul);
	struct policy_request *req = &pc->pc_req;
	int error;

	error = fd < 0 ? EBADF :
	    policy_vfs_dirpath(l, fd, req->pr_filename, POLICY_PATH_MAX);
	if (error == 0) {
		policy_req_str(req, POLICY_F_FILENAME, req->pr_filename,
		    strlen(req->pr_filename));
		error = policy_exec_common(pc, fd, uargv, fetch, uap, retval);
	}
	policy_call_end(pc);
	return error;
}

int
policy_core_connect(struct policy_call *pc, int s)
{
	int error;

	if ((error = policy_call_decide(pc)) != 0)
		return error;
	return do_sys_connect(pc->pc_l, s, (struct sockaddr *)&pc->pc_sa);
}

int
policy_core_bind(struct policy_call *pc, int s)
{
	int error;

	if ((error = policy_call_decide(pc)) != 0)
		return error;
	return do_sys_bind(pc->pc_l, s, (struct sockaddr *)&pc->pc_sa);
}

/* The decided sockaddr, in an mbuf, for do_sys_sendmsg (MSG_NAMEMBUF). */
static int
policy_sa_mbuf(const struct policy_call *pc, struct mbuf **mp)
{
	struct mbuf *m;

	if (pc->pc_sa.sb_len > MLEN)
		return EINVAL;
	m = m_get(M_WAIT, MT_SONAME);
	memcpy(mtod(m, void *), &pc->pc_sa, pc->pc_sa.sb_len);
	m->m_len = pc->pc_sa.sb_len;
	*mp = m;
	return 0;
}

/* sendmsg with *msg a kernel msghdr whose msg_name the caller decided on. */
int
policy_core_sendmsg(struct policy_call *pc, int s, struct msghdr *msg,
    int flags, register_t *retval)
{
	struct mbuf *m;
	int error;

	if ((error = policy_call_decide(pc)) != 0)
		return error;
	if ((error = policy_sa_mbuf(pc, &m)) != 0)
		return error;
	msg->msg_name = m;
	msg->msg_namelen = pc->pc_sa.sb_len;
	msg->msg_flags |= MSG_NAMEMBUF;
	return do_sys_sendmsg(pc->pc_l, s, msg, flags, retval);
}

int
policy_core_sendto(struct policy_call *pc, int s, const void *ubuf,
    size_t len, int flags, register_t *retval)
{
	struct msghdr msg;
	struct iovec iov;

	iov.iov_base = __UNCONST(ubuf);
	iov.iov_len = len;
	memset(&msg, 0, sizeof(msg));
	msg.msg_iov = &iov;
	msg.msg_iovlen = 1;
	return policy_core_sendmsg(pc, s, &msg, flags & MSG_USERFLAGS, retval);
}

/* Integer-only calls: decided on their (kernel) arguments, then run as is. */
int
policy_core_socket(struct lwp *l, unsigned emul, int domain, int type,
    int protocol)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_SOCKET, emul);
	int error;

	policy_req_int(&pc->pc_req, POLICY_F_DOMAIN, policy_req_domain(domain));
	policy_req_int(&pc->pc_req, POLICY_F_TYPE, policy_req_socktype(type));
	policy_req_int(&pc->pc_req, POLICY_F_PROTOCOL, protocol);
	error = policy_call_decide(pc);
	policy_call_end(pc);
	return error;
}

int
policy_core_kill(struct lwp *l, unsigned emul, pid_t pid, int signo)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_KILL, emul);
	int error;

	policy_req_int(&pc->pc_req, POLICY_F_PID, pid);
	policy_req_int(&pc->pc_req, POLICY_F_SIGNAL, signo);
	error = policy_call_decide(pc);
	policy_call_end(pc);
	return error;
}

int
policy_core_ptrace(struct lwp *l, unsigned emul, int req, pid_t pid)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_PTRACE, emul);
	int error;

	policy_req_int(&pc->pc_req, POLICY_F_REQUEST, req);
	policy_req_int(&pc->pc_req, POLICY_F_PID, pid);
	error = policy_call_decide(pc);
	policy_call_end(pc);
	return error;
}

/* mount: filename is the mount point, filename2 the file-system type. */
int
policy_core_mount(struct lwp *l, unsigned emul, const char *utype,
    const char *upath, int flags, void *udata, size_t data_len,
    register_t *retval)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_MOUNT, emul);
	struct policy_request *req = &pc->pc_req;
	size_t done;
	int error;

	error = copyinstr(utype, req->pr_filename2, _VFS_NAMELEN, &done);
	if (error == 0) {
		policy_req_str(req, POLICY_F_FILENAME2, req->pr_filename2,
		    done - 1);
		error = policy_copyin_path(pc, AT_FDCWD, upath,
		    POLICY_F_FILENAME);
	}
	if (error == 0) {
		policy_req_int(req, POLICY_F_REQUEST, flags);
		error = policy_call_decide(pc);
	}
	if (error == 0)
		error = policy_vfs_mount(l, req->pr_filename2, req->pr_filename,
		    upath, flags, udata, data_len, retval);
	policy_call_end(pc);
	return error;
}

/* ------------------------------------------------------------------ */
/* Native wrappers                                                    */

static int
policy_sys_open(struct lwp *l, const struct sys_open_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_open(l, POLICY_EMUL_NATIVE, AT_FDCWD,
	    SCARG(uap, path), SCARG(uap, flags), SCARG(uap, mode), retval);
}

static int
policy_sys_openat(struct lwp *l, const struct sys_openat_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_open(l, POLICY_EMUL_NATIVE, SCARG(uap, fd),
	    SCARG(uap, path), SCARG(uap, oflags), SCARG(uap, mode), retval);
}

static int
policy_sys_unlink(struct lwp *l, const struct sys_unlink_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_unlink(l, POLICY_EMUL_NATIVE, AT_FDCWD,
	    SCARG(uap, path), 0);
}

static int
policy_sys_unlinkat(struct lwp *l, const struct sys_unlinkat_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_unlink(l, POLICY_EMUL_NATIVE, SCARG(uap, fd),
	    SCARG(uap, path), SCARG(uap, flag));
}

static int
policy_sys_rmdir(struct lwp *l, const struct sys_rmdir_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_unlink(l, POLICY_EMUL_NATIVE, AT_FDCWD,
	    SCARG(uap, path), AT_REMOVEDIR);
}

static int
policy_sys_rename(struct lwp *l, const struct sys_rename_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_rename(l, POLICY_EMUL_NATIVE, AT_FDCWD,
	    SCARG(uap, from), AT_FDCWD, SCARG(uap, to));
}

static int
policy_sys_renameat(struct lwp *l, const struct sys_renameat_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_rename(l, POLICY_EMUL_NATIVE, SCARG(uap, fromfd),
	    SCARG(uap, from), SCARG(uap, tofd), SCARG(uap, to));
}

static int
policy_sys_mkdir(struct lwp *l, const struct sys_mkdir_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_mkdir(l, POLICY_EMUL_NATIVE, AT_FDCWD,
	    SCARG(uap, path), SCARG(uap, mode));
}

static int
policy_sys_mkdirat(struct lwp *l, const struct sys_mkdirat_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_mkdir(l, POLICY_EMUL_NATIVE, SCARG(uap, fd),
	    SCARG(uap, path), SCARG(uap, mode));
}

static int
policy_sys_link(struct lwp *l, const struct sys_link_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_link(l, POLICY_EMUL_NATIVE, SCARG(uap, path),
	    SCARG(uap, link), false);
}

static int
policy_sys_symlink(struct lwp *l, const struct sys_symlink_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_symlink(l, POLICY_EMUL_NATIVE, SCARG(uap, path),
	    SCARG(uap, link));
}

static int
policy_sys_chmod(struct lwp *l, const struct sys_chmod_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_chmod(l, POLICY_EMUL_NATIVE, AT_FDCWD,
	    SCARG(uap, path), SCARG(uap, mode), true);
}

static int
policy_sys_lchmod(struct lwp *l, const struct sys_lchmod_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_chmod(l, POLICY_EMUL_NATIVE, AT_FDCWD,
	    SCARG(uap, path), SCARG(uap, mode), false);
}

static int
policy_sys_fchmodat(struct lwp *l, const struct sys_fchmodat_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_chmod(l, POLICY_EMUL_NATIVE, SCARG(uap, fd),
	    SCARG(uap, path), SCARG(uap, mode),
	    (SCARG(uap, flag) & AT_SYMLINK_NOFOLLOW) == 0);
}

static int
policy_sys_chown(struct lwp *l, const struct sys_chown_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_chown(l, POLICY_EMUL_NATIVE, AT_FDCWD,
	    SCARG(uap, path), SCARG(uap, uid), SCARG(uap, gid), true);
}

static int
policy_sys_lchown(struct lwp *l, const struct sys_lchown_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_chown(l, POLICY_EMUL_NATIVE, AT_FDCWD,
	    SCARG(uap, path), SCARG(uap, uid), SCARG(uap, gid), false);
}

static int
policy_sys_fchownat(struct lwp *l, const struct sys_fchownat_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_chown(l, POLICY_EMUL_NATIVE, SCARG(uap, fd),
	    SCARG(uap, path), SCARG(uap, owner), SCARG(uap, group),
	    (SCARG(uap, flag) & AT_SYMLINK_NOFOLLOW) == 0);
}

static int
policy_sys_truncate(struct lwp *l, const struct sys_truncate_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_truncate(l, POLICY_EMUL_NATIVE, SCARG(uap, path),
	    SCARG(uap, length));
}

static int
policy_sys_readlink(struct lwp *l, const struct sys_readlink_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_readlink(l, POLICY_EMUL_NATIVE, AT_FDCWD,
	    SCARG(uap, path), SCARG(uap, buf), SCARG(uap, count), retval);
}

static int
policy_sys_readlinkat(struct lwp *l, const struct sys_readlinkat_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_readlink(l, POLICY_EMUL_NATIVE, SCARG(uap, fd),
	    SCARG(uap, path), SCARG(uap, buf), SCARG(uap, bufsize), retval);
}

static int
policy_sys_access(struct lwp *l, const struct sys_access_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_access(l, POLICY_EMUL_NATIVE, AT_FDCWD,
	    SCARG(uap, path), SCARG(uap, flags), 0);
}

static int
policy_sys_faccessat(struct lwp *l, const struct sys_faccessat_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_access(l, POLICY_EMUL_NATIVE, SCARG(uap, fd),
	    SCARG(uap, path), SCARG(uap, amode), SCARG(uap, flag));
}

static int
policy_stat_out(struct lwp *l, int fdat, const char *upath, bool follow,
    void *ub)
{
	struct stat sb;
	int error;

	error = policy_core_stat(l, POLICY_EMUL_NATIVE, fdat, upath, follow,
	    &sb);
	if (error == 0)
		error = copyout(&sb, ub, sizeof(sb));
	return error;
}

static int
policy_sys___stat50(struct lwp *l, const struct sys___stat50_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_stat_out(l, AT_FDCWD, SCARG(uap, path), true,
	    SCARG(uap, ub));
}

static int
policy_sys___lstat50(struct lwp *l, const struct sys___lstat50_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_stat_out(l, AT_FDCWD, SCARG(uap, path), false,
	    SCARG(uap, ub));
}

static int
policy_sys_fstatat(struct lwp *l, const struct sys_fstatat_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_stat_out(l, SCARG(uap, fd), SCARG(uap, path),
	    (SCARG(uap, flag) & AT_SYMLINK_NOFOLLOW) == 0, SCARG(uap, buf));
}

static int
policy_sys_chdir(struct lwp *l, const struct sys_chdir_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_chdir(l, POLICY_EMUL_NATIVE, SCARG(uap, path));
}

static int
policy_sys_execve(struct lwp *l, const struct sys_execve_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_execve(l, POLICY_EMUL_NATIVE, SCARG(uap, path),
	    SCARG(uap, argp), policy_fetch_native, uap, retval);
}

static int
policy_sys_fexecve(struct lwp *l, const struct sys_fexecve_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_fexecve(l, POLICY_EMUL_NATIVE, SCARG(uap, fd),
	    SCARG(uap, argp), policy_fetch_native, uap, retval);
}

static int
policy_sys_connect(struct lwp *l, const struct sys_connect_args *uap,
    register_t *retval)
{
	struct policy_call *pc;
	int error;

	POLICY_UNCONFINED(l, uap, retval);
	pc = policy_call_begin(l, POLICY_OP_CONNECT, POLICY_EMUL_NATIVE);
	error = policy_copyin_sockaddr(pc, SCARG(uap, name),
	    SCARG(uap, namelen));
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

	POLICY_UNCONFINED(l, uap, retval);
	pc = policy_call_begin(l, POLICY_OP_BIND, POLICY_EMUL_NATIVE);
	error = policy_copyin_sockaddr(pc, SCARG(uap, name),
	    SCARG(uap, namelen));
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

	/* No address: a connected socket, whose connect was decided. */
	if (!policy_lwp_confined(l) || SCARG(uap, to) == NULL)
		return policy_call_orig(l, uap, retval);
	pc = policy_call_begin(l, POLICY_OP_SENDTO, POLICY_EMUL_NATIVE);
	error = policy_copyin_sockaddr(pc, SCARG(uap, to), SCARG(uap, tolen));
	if (error == 0)
		error = policy_core_sendto(pc, SCARG(uap, s), SCARG(uap, buf),
		    SCARG(uap, len), SCARG(uap, flags), retval);
	policy_call_end(pc);
	return error;
}

static int
policy_sys_sendmsg(struct lwp *l, const struct sys_sendmsg_args *uap,
    register_t *retval)
{
	struct policy_call *pc;
	struct msghdr msg;
	int error;

	POLICY_UNCONFINED(l, uap, retval);
	error = copyin(SCARG(uap, msg), &msg, sizeof(msg));
	if (error != 0)
		return error;
	msg.msg_flags = MSG_IOVUSRSPACE;
	if (msg.msg_name == NULL)	/* acts on the msghdr copied above */
		return do_sys_sendmsg(l, SCARG(uap, s), &msg,
		    SCARG(uap, flags) & MSG_USERFLAGS, retval);
	pc = policy_call_begin(l, POLICY_OP_SENDMSG, POLICY_EMUL_NATIVE);
	error = policy_copyin_sockaddr(pc, msg.msg_name, msg.msg_namelen);
	if (error == 0)
		error = policy_core_sendmsg(pc, SCARG(uap, s), &msg,
		    SCARG(uap, flags) & MSG_USERFLAGS, retval);
	policy_call_end(pc);
	return error;
}

static int
policy_sys___socket30(struct lwp *l, const struct sys___socket30_args *uap,
    register_t *retval)
{
	int error;

	POLICY_UNCONFINED(l, uap, retval);
	error = policy_core_socket(l, POLICY_EMUL_NATIVE, SCARG(uap, domain),
	    SCARG(uap, type), SCARG(uap, protocol));
	return error != 0 ? error : policy_call_orig(l, uap, retval);
}

static int
policy_sys_kill(struct lwp *l, const struct sys_kill_args *uap,
    register_t *retval)
{
	int error;

	POLICY_UNCONFINED(l, uap, retval);
	error = policy_core_kill(l, POLICY_EMUL_NATIVE, SCARG(uap, pid),
	    SCARG(uap, signum));
	return error != 0 ? error : policy_call_orig(l, uap, retval);
}

static int
policy_sys_ptrace(struct lwp *l, const struct sys_ptrace_args *uap,
    register_t *retval)
{
	int error;

	POLICY_UNCONFINED(l, uap, retval);
	error = policy_core_ptrace(l, POLICY_EMUL_NATIVE, SCARG(uap, req),
	    SCARG(uap, pid));
	return error != 0 ? error : policy_call_orig(l, uap, retval);
}

static int
policy_sys___mount50(struct lwp *l, const struct sys___mount50_args *uap,
    register_t *retval)
{
	POLICY_UNCONFINED(l, uap, retval);
	return policy_core_mount(l, POLICY_EMUL_NATIVE, SCARG(uap, type),
	    SCARG(uap, path), SCARG(uap, flags), SCARG(uap, data),
	    SCARG(uap, data_len), retval);
}

#define POLICY_HOOK(code, fn)	{ code, (sy_call_t *)fn, NULL }
static struct policy_hook policy_native[] = {
	POLICY_HOOK(SYS_open, policy_sys_open),
	POLICY_HOOK(SYS_openat, policy_sys_openat),
	POLICY_HOOK(SYS_unlink, policy_sys_unlink),
	POLICY_HOOK(SYS_unlinkat, policy_sys_unlinkat),
	POLICY_HOOK(SYS_rmdir, policy_sys_rmdir),
	POLICY_HOOK(SYS_rename, policy_sys_rename),
	POLICY_HOOK(SYS_renameat, policy_sys_renameat),
	POLICY_HOOK(SYS_mkdir, policy_sys_mkdir),
	POLICY_HOOK(SYS_mkdirat, policy_sys_mkdirat),
	POLICY_HOOK(SYS_link, policy_sys_link),
	POLICY_HOOK(SYS_symlink, policy_sys_symlink),
	POLICY_HOOK(SYS_chmod, policy_sys_chmod),
	POLICY_HOOK(SYS_lchmod, policy_sys_lchmod),
	POLICY_HOOK(SYS_fchmodat, policy_sys_fchmodat),
	POLICY_HOOK(SYS_chown, policy_sys_chown),
	POLICY_HOOK(SYS___posix_chown, policy_sys_chown),
	POLICY_HOOK(SYS_lchown, policy_sys_lchown),
	POLICY_HOOK(SYS___posix_lchown, policy_sys_lchown),
	POLICY_HOOK(SYS_fchownat, policy_sys_fchownat),
	POLICY_HOOK(SYS_truncate, policy_sys_truncate),
	POLICY_HOOK(SYS_readlink, policy_sys_readlink),
	POLICY_HOOK(SYS_readlinkat, policy_sys_readlinkat),
	POLICY_HOOK(SYS_access, policy_sys_access),
	POLICY_HOOK(SYS_faccessat, policy_sys_faccessat),
	POLICY_HOOK(SYS___stat50, policy_sys___stat50),
	POLICY_HOOK(SYS___lstat50, policy_sys___lstat50),
	POLICY_HOOK(SYS_fstatat, policy_sys_fstatat),
	POLICY_HOOK(SYS_chdir, policy_sys_chdir),
	POLICY_HOOK(SYS_execve, policy_sys_execve),
	POLICY_HOOK(SYS_fexecve, policy_sys_fexecve),
	POLICY_HOOK(SYS_connect, policy_sys_connect),
	POLICY_HOOK(SYS_bind, policy_sys_bind),
	POLICY_HOOK(SYS_sendto, policy_sys_sendto),
	POLICY_HOOK(SYS_sendmsg, policy_sys_sendmsg),
	POLICY_HOOK(SYS___socket30, policy_sys___socket30),
	POLICY_HOOK(SYS_kill, policy_sys_kill),
	POLICY_HOOK(SYS_ptrace, policy_sys_ptrace),
	POLICY_HOOK(SYS___mount50, policy_sys___mount50),
	{ 0, NULL, NULL }
};

struct policy_emul_hooks policy_native_hooks = {
	.peh_emul = &emul_netbsd,
	.peh_policy_emul = POLICY_EMUL_NATIVE,
	.peh_hooks = policy_native,
};

/* ------------------------------------------------------------------ */
/* Installation                                                       */

/*
 * syscall_establish(9) only fills slots that hold sys_nomodule, so each
 * slot's own handler is saved and the slot gated first; removal drains
 * the calls in progress (syscall_disestablish) and puts the handler back.
 * Called with kernconfig_lock held (module(9) commands are).
 */
static struct syscall_package *
policy_package(const struct policy_emul_hooks *h, size_t *np)
{
	struct syscall_package *sp;
	size_t n, i;

	for (n = 0; h->peh_hooks[n].ph_call != NULL; n++)
		continue;
	sp = kmem_zalloc((n + 1) * sizeof(*sp), KM_SLEEP);
	for (i = 0; i < n; i++) {
		sp[i].sp_code = h->peh_hooks[i].ph_code;
		sp[i].sp_call = h->peh_hooks[i].ph_call;
	}
	*np = n + 1;
	return sp;
}

static void
policy_restore(struct policy_emul_hooks *h)
{
	struct sysent *sy = h->peh_emul->e_sysent;
	struct policy_hook *ph;

	for (ph = h->peh_hooks; ph->ph_call != NULL; ph++) {
		if (ph->ph_saved != NULL)
			sy[ph->ph_code].sy_call = ph->ph_saved;
		ph->ph_saved = NULL;
	}
}

static int
policy_hooks_install(struct policy_emul_hooks *h)
{
	struct sysent *sy = h->peh_emul->e_sysent;
	struct syscall_package *sp;
	struct policy_hook *ph;
	size_t n;
	int error;

	for (ph = h->peh_hooks; ph->ph_call != NULL; ph++) {
		ph->ph_saved = sy[ph->ph_code].sy_call;
		sy[ph->ph_code].sy_call = sys_nomodule;
	}
	sp = policy_package(h, &n);
	error = syscall_establish(h->peh_emul, sp);
	kmem_free(sp, n * sizeof(*sp));
	if (error != 0)
		policy_restore(h);
	else
		h->peh_installed = true;
	return error;
}

static int
policy_hooks_remove(struct policy_emul_hooks *h)
{
	struct syscall_package *sp;
	size_t n;
	int error;

	if (!h->peh_installed)
		return 0;
	sp = policy_package(h, &n);
	error = syscall_disestablish(h->peh_emul, sp);
	kmem_free(sp, n * sizeof(*sp));
	if (error != 0)
		return error;
	policy_restore(h);
	h->peh_installed = false;
	return 0;
}

int
policy_syscalls_install(void)
{
	size_t i;
	int error;

	for (i = 0; i < __arraycount(policy_emuls); i++) {
		error = policy_hooks_install(policy_emuls[i]);
		if (error != 0) {
			(void)policy_syscalls_remove();
			return error;
		}
	}
	return 0;
}

int
policy_syscalls_remove(void)
{
	size_t i;
	int error, first = 0;

	for (i = __arraycount(policy_emuls); i-- > 0;) {
		error = policy_hooks_remove(policy_emuls[i]);
		if (error != 0 && first == 0)
			first = error;
	}
	return first;
}
