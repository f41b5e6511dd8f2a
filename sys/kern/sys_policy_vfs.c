/* sys_policy_vfs.c (kernel only): the file operations NetBSD exports no kernel-path internal
 * for, done on the decided absolute path with namei(9) and VOPs; and exec with verification. */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/exec.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/proc.h>
#include <sys/signalvar.h>
#include <sys/stat.h>
#include <sys/syslog.h>
#include <sys/uio.h>
#include <sys/unistd.h>
#include <sys/vfs_syscalls.h>
#include <sys/vnode.h>

#include "sys_policy.h"

/* The absolute path of the directory fdat names (AT_FDCWD: the cwd), or of
 * any vnode descriptor (for fexecve). */
int
policy_vfs_dirpath(struct lwp *l, int fdat, char *buf, size_t len)
{
	struct cwdinfo *cwdi = l->l_proc->p_cwdi;
	struct vnode *vp;
	file_t *fp;
	char *bp;
	int error;

	if (fdat == AT_FDCWD) {
		rw_enter(&cwdi->cwdi_lock, RW_READER);
		vp = cwdi->cwdi_cdir;
		vref(vp);
		rw_exit(&cwdi->cwdi_lock);
	} else {
		if ((error = fd_getvnode(fdat, &fp)) != 0)
			return error;
		vp = fp->f_vnode;
		vref(vp);
		fd_putfile(fdat);
	}
	if (vp->v_type == VDIR) {
		bp = buf + len;
		*--bp = '\0';
		error = getcwd_common(vp, NULL, &bp, buf, (int)len / 2, 0, l);
		if (error == 0)
			memmove(buf, bp, strlen(bp) + 1);
	} else
		error = vnode_to_path(buf, len, vp, l, l->l_proc);
	vrele(vp);
	return error;
}

static void
policy_vfs_abort(struct nameidata *nd)
{
	VOP_ABORTOP(nd->ni_dvp, &nd->ni_cnd);
	if (nd->ni_dvp == nd->ni_vp)
		vrele(nd->ni_dvp);
	else
		vput(nd->ni_dvp);
	if (nd->ni_vp != NULL)
		vput(nd->ni_vp);
}

int
policy_vfs_rmdir(struct lwp *l, const char *kpath)
{
	struct pathbuf *pb;
	struct nameidata nd;
	struct vnode *vp;
	int error;

	if ((pb = pathbuf_create(kpath)) == NULL)
		return ENOMEM;
	NDINIT(&nd, DELETE, LOCKPARENT | LOCKLEAF | TRYEMULROOT, pb);
	if ((error = namei(&nd)) != 0)
		goto out;
	vp = nd.ni_vp;
	if (vp->v_type != VDIR)
		error = ENOTDIR;
	else if (nd.ni_dvp == vp)
		error = EINVAL;
	else if ((vp->v_vflag & VV_ROOT) != 0 || vp->v_mountedhere != NULL)
		error = EBUSY;
	if (error != 0)
		policy_vfs_abort(&nd);
	else
		error = VOP_RMDIR(nd.ni_dvp, nd.ni_vp, &nd.ni_cnd);
out:
	pathbuf_destroy(pb);
	return error;
}

int
policy_vfs_link(struct lwp *l, const char *kfrom, const char *kto, bool follow)
{
	struct pathbuf *pb;
	struct nameidata nd;
	struct vnode *vp;
	int error;

	error = namei_simple_kernel(kfrom, follow ? NSM_FOLLOW_TRYEMULROOT :
	    NSM_NOFOLLOW_TRYEMULROOT, &vp);
	if (error != 0)
		return error;
	if ((pb = pathbuf_create(kto)) == NULL) {
		vrele(vp);
		return ENOMEM;
	}
	NDINIT(&nd, CREATE, LOCKPARENT | TRYEMULROOT, pb);
	if ((error = namei(&nd)) != 0)
		goto out;
	if (nd.ni_vp != NULL)
		error = EEXIST;
	else if (vp->v_type == VDIR)
		error = EPERM;
	else if (nd.ni_dvp->v_mount != vp->v_mount)
		error = EXDEV;
	if (error != 0) {
		VOP_ABORTOP(nd.ni_dvp, &nd.ni_cnd);
		if (nd.ni_dvp == nd.ni_vp)
			vrele(nd.ni_dvp);
		else
			vput(nd.ni_dvp);
		if (nd.ni_vp != NULL)
			vrele(nd.ni_vp);
		goto out;
	}
	error = VOP_LINK(nd.ni_dvp, vp, &nd.ni_cnd);
	VOP_UNLOCK(nd.ni_dvp);
	vrele(nd.ni_dvp);
out:
	pathbuf_destroy(pb);
	vrele(vp);
	return error;
}

static int
policy_vfs_setattr(struct lwp *l, const char *kpath, bool follow,
    struct vattr *va)
{
	struct vnode *vp;
	int error;

	error = namei_simple_kernel(kpath, follow ? NSM_FOLLOW_TRYEMULROOT :
	    NSM_NOFOLLOW_TRYEMULROOT, &vp);
	if (error != 0)
		return error;
	vn_lock(vp, LK_EXCLUSIVE | LK_RETRY);
	error = VOP_SETATTR(vp, va, l->l_cred);
	VOP_UNLOCK(vp);
	vrele(vp);
	return error;
}

int
policy_vfs_chmod(struct lwp *l, const char *kpath, mode_t mode, bool follow)
{
	struct vattr va;

	vattr_null(&va);
	va.va_mode = mode & ALLPERMS;
	return policy_vfs_setattr(l, kpath, follow, &va);
}

int
policy_vfs_chown(struct lwp *l, const char *kpath, uid_t uid, gid_t gid,
    bool follow)
{
	struct vattr va;

	vattr_null(&va);
	va.va_uid = uid == (uid_t)-1 ? (uid_t)VNOVAL : uid;
	va.va_gid = gid == (gid_t)-1 ? (gid_t)VNOVAL : gid;
	return policy_vfs_setattr(l, kpath, follow, &va);
}

int
policy_vfs_truncate(struct lwp *l, const char *kpath, off_t length)
{
	struct vattr va;
	struct vnode *vp;
	int error;

	if (length < 0)
		return EINVAL;
	error = namei_simple_kernel(kpath, NSM_FOLLOW_TRYEMULROOT, &vp);
	if (error != 0)
		return error;
	vn_lock(vp, LK_EXCLUSIVE | LK_RETRY);
	if (vp->v_type == VDIR)
		error = EISDIR;
	else if ((error = vn_writechk(vp)) == 0 &&
	    (error = VOP_ACCESS(vp, VWRITE, l->l_cred)) == 0) {
		vattr_null(&va);
		va.va_size = length;
		error = VOP_SETATTR(vp, &va, l->l_cred);
	}
	VOP_UNLOCK(vp);
	vrele(vp);
	return error;
}

static int
policy_vfs_lookup(const char *kpath, int follow, struct pathbuf **pbp,
    struct nameidata *nd)
{
	int error;

	if ((*pbp = pathbuf_create(kpath)) == NULL)
		return ENOMEM;
	NDINIT(nd, LOOKUP, follow | LOCKLEAF | TRYEMULROOT, *pbp);
	if ((error = namei(nd)) != 0)
		pathbuf_destroy(*pbp);
	return error;
}

/* The link text goes straight to the caller's buffer: output, not decided on. */
int
policy_vfs_readlink(struct lwp *l, const char *kpath, char *ubuf, size_t count,
    register_t *retval)
{
	struct pathbuf *pb;
	struct nameidata nd;
	struct vnode *vp;
	struct iovec iov;
	struct uio uio;
	int error;

	if (count > SSIZE_MAX)
		return EINVAL;
	if ((error = policy_vfs_lookup(kpath, NOFOLLOW, &pb, &nd)) != 0)
		return error;
	vp = nd.ni_vp;
	if (vp->v_type != VLNK)
		error = EINVAL;
	else if ((vp->v_mount->mnt_flag & MNT_SYMPERM) == 0 ||
	    (error = VOP_ACCESS(vp, VREAD, l->l_cred)) == 0) {
		iov.iov_base = ubuf;
		iov.iov_len = count;
		uio.uio_iov = &iov;
		uio.uio_iovcnt = 1;
		uio.uio_offset = 0;
		uio.uio_rw = UIO_READ;
		uio.uio_resid = count;
		uio.uio_vmspace = l->l_proc->p_vmspace;
		error = VOP_READLINK(vp, &uio, l->l_cred);
		*retval = count - uio.uio_resid;
	}
	vput(vp);
	pathbuf_destroy(pb);
	return error;
}

int
policy_vfs_access(struct lwp *l, const char *kpath, int mode, int atflags)
{
	struct pathbuf *pb;
	struct nameidata nd;
	kauth_cred_t cred;
	int error, vmode = 0;

	if ((mode & ~(R_OK | W_OK | X_OK)) != 0)
		return EINVAL;
	cred = kauth_cred_dup(l->l_cred);
	if ((atflags & AT_EACCESS) == 0) {
		kauth_cred_seteuid(cred, kauth_cred_getuid(l->l_cred));
		kauth_cred_setegid(cred, kauth_cred_getgid(l->l_cred));
	}
	error = policy_vfs_lookup(kpath,
	    (atflags & AT_SYMLINK_NOFOLLOW) ? NOFOLLOW : FOLLOW, &pb, &nd);
	if (error != 0)
		goto out;
	if (mode & R_OK)
		vmode |= VREAD;
	if (mode & W_OK)
		vmode |= VWRITE;
	if (mode & X_OK)
		vmode |= VEXEC;
	if ((mode & W_OK) != 0)
		error = vn_writechk(nd.ni_vp);
	if (error == 0 && vmode != 0)
		error = VOP_ACCESS(nd.ni_vp, vmode, cred);
	vput(nd.ni_vp);
	pathbuf_destroy(pb);
out:
	kauth_cred_free(cred);
	return error;
}

int
policy_vfs_stat(struct lwp *l, const char *kpath, bool follow, struct stat *sb)
{
	struct pathbuf *pb;
	struct nameidata nd;
	int error;

	error = policy_vfs_lookup(kpath, follow ? FOLLOW : NOFOLLOW, &pb, &nd);
	if (error != 0)
		return error;
	error = vn_stat(nd.ni_vp, sb);
	vput(nd.ni_vp);
	pathbuf_destroy(pb);
	return error;
}

int
policy_vfs_chdir(struct lwp *l, const char *kpath)
{
	struct cwdinfo *cwdi = l->l_proc->p_cwdi;
	struct vnode *vp, *ovp;
	int error;

	/* chdir_lookup(9) takes the path's address space; ours is the kernel. */
	if ((error = chdir_lookup(kpath, UIO_SYSSPACE, &vp, l)) != 0)
		return error;
	rw_enter(&cwdi->cwdi_lock, RW_WRITER);
	ovp = cwdi->cwdi_cdir;
	cwdi->cwdi_cdir = vp;
	rw_exit(&cwdi->cwdi_lock);
	vrele(ovp);
	return 0;
}

/*
 * New mounts only: the covered vnode is the one the decided path names.
 * mount_domount() hands the fs the user path for f_mntonname (the file
 * systems read it from user space); updates are refused while confined.
 */
int
policy_vfs_mount(struct lwp *l, const char *ktype, const char *kpath,
    const char *upath, int flags, void *udata, size_t data_len,
    register_t *retval)
{
	struct vfsops *vfsops;
	struct vnode *vp;
	void *kdata = NULL;
	int error;

	if (flags & (MNT_GETARGS | MNT_UPDATE))
		return EOPNOTSUPP;
	if ((vfsops = vfs_getopsbyname(ktype)) == NULL)
		return ENODEV;
	if (udata != NULL) {
		if (data_len == 0 || data_len > VFS_MAX_MOUNT_DATA) {
			vfs_delref(vfsops);
			return EINVAL;
		}
		kdata = kmem_alloc(data_len, KM_SLEEP);
		if ((error = copyin(udata, kdata, data_len)) != 0)
			goto out;
	}
	error = namei_simple_kernel(kpath, NSM_FOLLOW_TRYEMULROOT, &vp);
	if (error != 0)
		goto out;
	error = mount_domount(l, &vp, vfsops, upath, flags, kdata, &data_len);
	vfsops = NULL;	/* consumed */
	if (vp != NULL)
		vrele(vp);
out:
	if (vfsops != NULL)
		vfs_delref(vfsops);
	if (kdata != NULL)
		kmem_free(kdata, data_len);
	return error;
}

/* The argv strings the new image got, against the decided ones. */
static bool
policy_vfs_argv_same(struct lwp *l, const struct policy_exec *pe)
{
	struct proc *p = l->l_proc;
	char *buf;
	const void *argv, *s;
	uint32_t w[2];
	struct ps_strings ps;
	size_t i, done;
	bool same = true;
	int n;

	if (p->p_flag & PK_32) {
		if (copyin((void *)p->p_psstrp, w, sizeof(w)) != 0)
			return false;
		argv = (const void *)(uintptr_t)w[0];
		n = (int)w[1];
	} else {
		if (copyin((void *)p->p_psstrp, &ps, sizeof(ps)) != 0)
			return false;
		argv = ps.ps_argvstr;
		n = ps.ps_nargvstr;
	}
	if (n < 0 || (size_t)n != pe->pe_argc)
		return false;
	buf = kmem_alloc(POLICY_ARGV_MAX, KM_SLEEP);
	for (i = 0; i < pe->pe_argc && same; i++)
		same = (*pe->pe_fetch)(argv, i, &s) == 0 &&
		    copyinstr(s, buf, POLICY_ARGV_MAX, &done) == 0 &&
		    strcmp(buf, pe->pe_argv[i]) == 0;
	kmem_free(buf, POLICY_ARGV_MAX);
	return same;
}

/*
 * NetBSD's exec (execve1) only reads its path and argv from user space, so
 * the exec is run by the emulation's own handler and then verified: the
 * image must be the vnode the decided path names and its argv the decided
 * argv, or the process is killed before it runs an instruction of it (all
 * its other threads are gone by then, and the new stack is private).
 */
int
policy_vfs_execve(struct lwp *l, const struct policy_exec *pe)
{
	struct proc *p = l->l_proc;
	struct vnode *vp;
	int error;

	if (pe->pe_fd >= 0)
		return ENOSYS;
	error = namei_simple_kernel(pe->pe_path, NSM_FOLLOW_TRYEMULROOT, &vp);
	if (error != 0)
		return error;
	error = policy_call_orig(l, pe->pe_uap, pe->pe_retval);
	if ((error == 0 || error == EJUSTRETURN) &&
	    (p->p_textvp != vp || !policy_vfs_argv_same(l, pe))) {
		log(LOG_WARNING, "policy: pid %d: exec image or argv changed "
		    "after the decision: killed\n", p->p_pid);
		mutex_enter(proc_lock);
		psignal(p, SIGKILL);
		mutex_exit(proc_lock);
	}
	vrele(vp);
	return error;
}
