/* sys_policy_vfs.c (kernel only): every call that names a file: its path is copied in and
 * looked up once, decided on as the canonical path of what was found, and acted on there. */
/*
 * Deciding on the string a process passed and letting the kernel look it
 * up afterwards decides on the wrong thing: a symbolic link anywhere in
 * the path, or a directory renamed between the two lookups, reaches an
 * object the decision never saw.  Here namei(9) runs once, the decision is
 * on the global path of the object it found (of its directory plus the
 * last component when the object is not a directory, so a link that is
 * not followed is decided as itself), and the operation is done with the
 * VOPs on those same vnodes.  Calls that change a directory (create,
 * remove, rename) lock the directory again and look the last component up
 * in it once more, as the kernel's own rename does: same directory, same
 * name; if what the name denotes changed since the decision, the call is
 * decided again (POLICY_ECHANGED).
 *
 * A path that does not exist is decided on its lexical form, so that a
 * denied directory cannot be probed for names (ENOENT becomes the denial).
 * Paths are global: a chroot does not change what a policy names.
 */
#ifdef _KERNEL_OPT
#include "veriexec.h"
#endif

#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/errno.h>
#include <sys/exec.h>
#include <sys/extattr.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/ktrace.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/proc.h>
#include <sys/signalvar.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syslog.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/unistd.h>
#include <sys/vfs_syscalls.h>
#include <sys/vnode.h>
#if NVERIEXEC > 0
#include <sys/verified_exec.h>
#endif

#include "sys_policy.h"
#include "../secmodel/policy/secmodel_policy.h"

#define POLICY_ECHANGED		(-1000)	/* the name changed: decide again */
#define POLICY_RETRIES		8

/* One path argument, looked up once. */
struct policy_obj {
	struct pathbuf		*po_pb;
	struct nameidata	po_nd;
	struct vnode		*po_dvp;	/* its directory: held, unlocked */
	struct vnode		*po_vp;		/* held, unlocked; NULL: absent */
	int			po_missing;	/* its lookup's error, undecided */
};

static char *
policy_req_path(struct policy_request *req, unsigned field)
{
	KASSERT(field == POLICY_F_FILENAME || field == POLICY_F_FILENAME2);
	return field == POLICY_F_FILENAME ? req->pr_filename :
	    req->pr_filename2;
}

/* The global path of directory dvp. */
static int
policy_vn_dirpath(struct lwp *l, struct vnode *dvp, char *buf, size_t len)
{
	char *bp = buf + len;
	int error;

	*--bp = '\0';
	error = getcwd_common(dvp, rootvnode, &bp, buf, (int)len / 2, 0, l);
	if (error == ERANGE)
		error = ENAMETOOLONG;
	if (error == 0)
		memmove(buf, bp, strlen(bp) + 1);
	return error;
}

/*
 * A path that does not lead to an object: where it leads as far as it
 * exists.  The deepest prefix that exists is found (links inside it
 * followed by namei); if the next component is a symbolic link (dangling,
 * or one that loops), its text replaces it and the search goes on, at most
 * MAXSYMLINKS times; a prefix that is not a directory is part of the rest.
 * buf gets the prefix's global path and the rest, normalised lexically.
 */
#define POLICY_MISSING_MAX	(2 * MAXPATHLEN)

struct policy_missing {
	char	mp_path[POLICY_MISSING_MAX];
	char	mp_tmp[POLICY_MISSING_MAX];
};

/* Look path[0..n) up (n == 0: the start directory), following links or not. */
static int
policy_missing_lookup(struct lwp *l, int fdat, char *path, size_t n,
    bool follow, struct vnode **vpp)
{
	struct pathbuf *pb;
	struct nameidata nd;
	file_t *dfp = NULL;
	char c = path[n];
	int error;

	path[n] = '\0';
	pb = pathbuf_create(n == 0 ? "." : path[0] == '\0' ? "/" : path);
	path[n] = c;
	if (pb == NULL)
		return ENOMEM;
	NDINIT(&nd, LOOKUP, (follow ? FOLLOW : NOFOLLOW) | TRYEMULROOT, pb);
	if (fdat != AT_FDCWD && path[0] != '/') {
		if ((error = fd_getvnode(fdat, &dfp)) != 0) {
			pathbuf_destroy(pb);
			return error;
		}
		NDAT(&nd, dfp->f_vnode);
	}
	error = namei(&nd);
	if (dfp != NULL)
		fd_putfile(fdat);
	pathbuf_destroy(pb);
	if (error == 0)
		*vpp = nd.ni_vp;
	return error;
}

/* The text of link vp, in place of path[n..end) (the link's component). */
static int
policy_missing_link(struct policy_missing *mp, struct vnode *vp, size_t n,
    size_t end)
{
	struct iovec iov;
	struct uio uio;
	size_t tlen, rlen = strlen(mp->mp_path + end), dlen;
	int error;

	iov.iov_base = mp->mp_tmp;
	iov.iov_len = MAXPATHLEN;
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_offset = 0;
	uio.uio_resid = MAXPATHLEN;
	uio.uio_rw = UIO_READ;
	UIO_SETUP_SYSSPACE(&uio);
	vn_lock(vp, LK_SHARED | LK_RETRY);
	error = VOP_READLINK(vp, &uio, kauth_cred_get());
	VOP_UNLOCK(vp);
	if (error != 0)
		return error;
	tlen = MAXPATHLEN - uio.uio_resid;
	/* An absolute text replaces everything before it too. */
	dlen = mp->mp_tmp[0] == '/' ? 0 : n;
	if (dlen + tlen + rlen + 1 > POLICY_MISSING_MAX)
		return ENAMETOOLONG;
	memmove(mp->mp_tmp + tlen, mp->mp_path + end, rlen + 1);
	memmove(mp->mp_path + dlen, mp->mp_tmp, tlen + rlen + 1);
	return 0;
}

static int
policy_missing_where(struct lwp *l, int fdat, struct policy_missing *mp,
    char *buf)
{
	struct vnode *vp;
	size_t n, end, hops = 0;
	int error;

	for (;;) {
		/* The deepest existing directory: cut components off. */
		n = strlen(mp->mp_path);
		for (;;) {
			while (n > 1 && mp->mp_path[n - 1] == '/')
				n--;
			while (n > 0 && mp->mp_path[n - 1] != '/')
				n--;
			error = policy_missing_lookup(l, fdat, mp->mp_path, n,
			    true, &vp);
			if (error == 0 && vp->v_type == VDIR)
				break;
			if (error == 0)
				vrele(vp);
			else if (error != ENOENT && error != ENOTDIR &&
			    error != ELOOP)
				return error;
			if (n == 0 || (n == 1 && mp->mp_path[0] == '/'))
				return ENOENT;	/* the start is gone */
		}
		/* Is the next component a link namei could not go through? */
		for (end = n; mp->mp_path[end] != '\0' && mp->mp_path[end] !=
		    '/'; end++)
			continue;
		if (end > n && hops < MAXSYMLINKS) {
			struct vnode *lvp;

			if (policy_missing_lookup(l, fdat, mp->mp_path, end,
			    false, &lvp) == 0) {
				error = lvp->v_type == VLNK ?
				    policy_missing_link(mp, lvp, n, end) : -1;
				vrele(lvp);
				if (error == 0) {
					vrele(vp);
					hops++;
					continue;
				}
				if (error > 0) {
					vrele(vp);
					return error;
				}
			}
		}
		error = policy_vn_dirpath(l, vp, buf, POLICY_PATH_MAX);
		vrele(vp);
		if (error == 0)
			error = policy_path_normalize(buf, mp->mp_path[n] != '\0' ?
			    mp->mp_path + n : ".", buf, POLICY_PATH_MAX);
		return error;
	}
}

/*
 * The lookup failed with lookup_error before there was an object: decide
 * on where the path leads as far as it exists (policy_missing_where), so
 * that a denied directory cannot be probed for names, not even through a
 * link to it; a denial is reported instead of what the lookup said.
 * decide false: only the request field is set (the first path of a
 * rename or link, decided with the second).
 */
static int
policy_obj_missing(struct policy_call *pc, unsigned field, int fdat,
    const char *raw, int lookup_error, bool decide)
{
	char *buf = policy_req_path(&pc->pc_req, field);
	struct policy_missing *mp;
	int error;

	if (lookup_error != ENOENT && lookup_error != ENOTDIR &&
	    lookup_error != ELOOP)
		return lookup_error;
	mp = kmem_alloc(sizeof(*mp), KM_SLEEP);
	strlcpy(mp->mp_path, raw, sizeof(mp->mp_path));
	error = policy_missing_where(pc->pc_l, fdat, mp, buf);
	kmem_free(mp, sizeof(*mp));
	if (error != 0)
		return lookup_error;
	policy_req_str(&pc->pc_req, field, buf, strlen(buf));
	if (!decide)
		return lookup_error;
	error = policy_call_decide(pc);
	return error != 0 ? error : lookup_error;
}

/* The canonical path of what the lookup found, into the request field. */
static int
policy_obj_path(struct policy_call *pc, unsigned field, struct policy_obj *po)
{
	const struct componentname *cnp = &po->po_nd.ni_cnd;
	char *buf = policy_req_path(&pc->pc_req, field);
	size_t n;
	int error;

	if (po->po_vp != NULL &&
	    (po->po_vp->v_type == VDIR || po->po_dvp == NULL))
		error = policy_vn_dirpath(pc->pc_l, po->po_vp, buf,
		    POLICY_PATH_MAX);
	else {
		error = policy_vn_dirpath(pc->pc_l, po->po_dvp, buf,
		    POLICY_PATH_MAX);
		n = strlen(buf);
		if (n == 1)		/* the root: no second '/' */
			n = 0;
		if (error == 0 && n + 1 + cnp->cn_namelen >= POLICY_PATH_MAX)
			error = ENAMETOOLONG;
		if (error == 0) {
			buf[n++] = '/';
			memcpy(buf + n, cnp->cn_nameptr, cnp->cn_namelen);
			buf[n + cnp->cn_namelen] = '\0';
		}
	}
	if (error == 0)
		policy_req_str(&pc->pc_req, field, buf, strlen(buf));
	return error;
}

static void
policy_obj_done(struct policy_obj *po)
{
	if (po->po_pb == NULL)
		return;
	if (po->po_nd.ni_cnd.cn_nameiop != LOOKUP && po->po_dvp != NULL)
		VOP_ABORTOP(po->po_dvp, &po->po_nd.ni_cnd);
	if (po->po_vp != NULL)
		vrele(po->po_vp);
	if (po->po_dvp != NULL)
		vrele(po->po_dvp);
	pathbuf_destroy(po->po_pb);
	po->po_pb = NULL;
}

/*
 * The kernel's calls take their arguments in different orders, which only
 * shows when two are bad at once: most copy the path in before they look
 * at the directory descriptor, chmodat, chownat, utimensat and link's
 * first path the other way round (POLICY_FDFIRST).
 */
#define POLICY_FDFIRST		0x40000000u	/* with follow; not a namei flag */
#define POLICY_NODECIDE		0x20000000u	/* missing: set the field only */
#define POLICY_EMISSING		(-1001)	/* so missing: po_missing says why */

/* Copy upath in: the one copyinstr of it. */
static int
policy_obj_copyin(const char *upath, struct policy_obj *po)
{
	memset(po, 0, sizeof(*po));
	return pathbuf_copyin(upath, &po->po_pb);
}

/*
 * Look the copied path up once from fdat for nameiop, and put the
 * canonical path of what it names into the request field.  Nothing is
 * left locked.  policy_obj_done() releases what is held.
 */
static int
policy_obj_namei(struct policy_call *pc, unsigned field, int fdat,
    uint32_t nameiop, uint32_t follow, struct policy_obj *po)
{
	struct nameidata *nd = &po->po_nd;
	const char *raw;
	file_t *dfp = NULL;
	int error;

	if ((raw = pathbuf_stringcopy_get(po->po_pb)) == NULL) {
		error = ENOMEM;
		goto fail;
	}
	NDINIT(nd, nameiop, (follow & ~(POLICY_FDFIRST | POLICY_NODECIDE)) |
	    LOCKPARENT | TRYEMULROOT, po->po_pb);
	if (fdat != AT_FDCWD) {
		if ((error = fd_getvnode(fdat, &dfp)) != 0)
			goto fail_raw;
		NDAT(nd, dfp->f_vnode);
	}
	error = namei(nd);
	if (dfp != NULL)
		fd_putfile(fdat);
	if (error != 0) {
		if (!(follow & POLICY_NODECIDE))
			error = policy_obj_missing(pc, field, fdat, raw, error,
			    true);
		else if ((po->po_missing = policy_obj_missing(pc, field, fdat,
		    raw, error, false)) == error &&
		    (error == ENOENT || error == ENOTDIR || error == ELOOP))
			error = POLICY_EMISSING;
		goto fail_raw;
	}
	pathbuf_stringcopy_put(po->po_pb, raw);
	po->po_dvp = nd->ni_dvp;
	po->po_vp = nd->ni_vp;
	if (po->po_dvp != NULL && po->po_dvp != po->po_vp)
		VOP_UNLOCK(po->po_dvp);
	if ((error = policy_obj_path(pc, field, po)) != 0)
		policy_obj_done(po);
	return error;
fail_raw:
	pathbuf_stringcopy_put(po->po_pb, raw);
fail:
	pathbuf_destroy(po->po_pb);
	po->po_pb = NULL;
	return error;
}

/* Both steps, in the order the kernel's own call takes them. */
static int
policy_obj_lookup(struct policy_call *pc, unsigned field, int fdat,
    const char *upath, uint32_t nameiop, uint32_t follow,
    struct policy_obj *po)
{
	file_t *fp;
	int error;

	if ((follow & POLICY_FDFIRST) && fdat != AT_FDCWD) {
		if ((error = fd_getvnode(fdat, &fp)) != 0)
			return error;
		fd_putfile(fdat);
	}
	if ((error = policy_obj_copyin(upath, po)) != 0)
		return error;
	return policy_obj_namei(pc, field, fdat, nameiop, follow, po);
}

/* The last component is "." or "..": not a name in a directory. */
static bool
policy_obj_dots(const struct policy_obj *po)
{
	const struct componentname *cnp = &po->po_nd.ni_cnd;

	return (cnp->cn_namelen == 1 && cnp->cn_nameptr[0] == '.') ||
	    (cnp->cn_flags & ISDOTDOT) != 0;
}

/*
 * Lock the directory and look the last component up in it once more: the
 * same directory and the same name the decision was on.  *vpp is locked
 * (unless it is the directory) or NULL.
 */
static int
policy_obj_relock(struct policy_obj *po, struct vnode **vpp)
{
	struct componentname *cnp = &po->po_nd.ni_cnd;
	int error;

	KASSERT(!policy_obj_dots(po));
	vn_lock(po->po_dvp, LK_EXCLUSIVE | LK_RETRY);
	cnp->cn_flags &= ~FOLLOW;
	error = relookup(po->po_dvp, vpp, cnp, 0);
	if (error != 0) {
		VOP_UNLOCK(po->po_dvp);
		*vpp = NULL;
	}
	return error;
}

static void
policy_vn_drop(struct vnode *dvp, struct vnode *vp)
{
	if (vp == NULL)
		return;
	if (vp == dvp)
		vrele(vp);
	else
		vput(vp);
}

/* Look up, decide, act; again while the name changes under the decision. */
typedef int (*policy_act_t)(struct policy_call *, struct policy_obj *,
    void *arg);

static int
policy_path_call(struct lwp *l, unsigned op, int fdat, const char *upath,
    uint32_t nameiop, uint32_t follow, policy_act_t act, void *arg,
    void (*prep)(struct policy_request *, void *))
{
	struct policy_call *pc = policy_call_begin(l, op);
	struct policy_obj po;
	int error, tries = 0;

	if (prep != NULL)
		(*prep)(&pc->pc_req, arg);
	do {
		error = policy_obj_lookup(pc, POLICY_F_FILENAME, fdat, upath,
		    nameiop, follow, &po);
		if (error != 0)
			break;
		if ((error = policy_call_decide(pc)) == 0)
			error = (*act)(pc, &po, arg);
		policy_obj_done(&po);
	} while (error == POLICY_ECHANGED && ++tries < POLICY_RETRIES);
	policy_call_end(pc);
	return error == POLICY_ECHANGED ? EAGAIN : error;
}

/* ------------------------------------------------------------------ */
/* open                                                               */

struct policy_open_args {
	int	oa_flags;	/* as the process gave them */
	int	oa_fmode;	/* FFLAGS() of them */
	mode_t	oa_cmode;	/* for a new file */
	mode_t	oa_mode;
	register_t *oa_retval;
};

static void
policy_open_prep(struct policy_request *req, void *arg)
{
	struct policy_open_args *oa = arg;

	policy_req_int(req, POLICY_F_FLAGS, policy_oflags(oa->oa_flags));
	if (oa->oa_flags & O_CREAT)
		policy_req_int(req, POLICY_F_MODE, oa->oa_mode);
}

/* The checks and the open of vn_open(9), on vp (locked). */
static int
policy_vn_open(struct lwp *l, struct vnode *vp, int fmode, bool created)
{
	struct vattr va;
	int error;

	if (vp->v_type == VSOCK)
		return EOPNOTSUPP;
	if (vp->v_type == VLNK)
		return EFTYPE;
	if (!created && (error = vn_openchk(vp, l->l_cred, fmode)) != 0)
		return error;
	if (fmode & O_TRUNC) {
		vattr_null(&va);
		va.va_size = 0;
		if ((error = VOP_SETATTR(vp, &va, l->l_cred)) != 0)
			return error;
	}
	return VOP_OPEN(vp, fmode, l->l_cred);
}

static void
policy_vn_writers(struct vnode *vp, int fmode)
{
	if (fmode & FWRITE) {
		mutex_enter(vp->v_interlock);
		vp->v_writecount++;
		mutex_exit(vp->v_interlock);
	}
}

/* O_EXLOCK, O_SHLOCK: the flock(2) lock open takes. */
static int
policy_open_lock(file_t *fp, struct vnode *vp, int fmode)
{
	struct flock lf;
	int error, type;

	lf.l_whence = SEEK_SET;
	lf.l_start = 0;
	lf.l_len = 0;
	lf.l_type = (fmode & O_EXLOCK) ? F_WRLCK : F_RDLCK;
	type = F_FLOCK | ((fmode & FNONBLOCK) ? 0 : F_WAIT);
	if ((error = VOP_ADVLOCK(vp, fp, F_SETLK, &lf, type)) == 0)
		atomic_or_uint((volatile unsigned *)&fp->f_flag, FHASLOCK);
	return error;
}

static int
policy_open_act(struct policy_call *pc, struct policy_obj *po, void *arg)
{
	struct policy_open_args *oa = arg;
	struct lwp *l = pc->pc_l;
	struct proc *p = l->l_proc;
	int fmode = oa->oa_fmode, indx, error;
	struct vnode *vp = po->po_vp, *nvp;
	bool created = false;
	struct vattr va;
	file_t *fp;

	if (vp == NULL) {		/* O_CREAT of a name that was absent */
		if ((error = policy_obj_relock(po, &nvp)) != 0)
			return error;
		if (nvp != NULL) {
			policy_vn_drop(po->po_dvp, nvp);
			VOP_UNLOCK(po->po_dvp);
			return POLICY_ECHANGED;
		}
		vattr_null(&va);
		va.va_type = VREG;
		va.va_mode = oa->oa_cmode;
		if (fmode & O_EXCL)
			va.va_vaflags |= VA_EXCLUSIVE;
		error = VOP_CREATE(po->po_dvp, &nvp, &po->po_nd.ni_cnd, &va);
		VOP_UNLOCK(po->po_dvp);
		if (error != 0)
			return error;
		po->po_vp = vp = nvp;
		fmode &= ~O_TRUNC;
		created = true;
	} else if ((fmode & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return EEXIST;
	fmode &= ~O_CREAT;
	if ((error = fd_allocfile(&fp, &indx)) != 0)
		return error;
	vn_lock(vp, LK_EXCLUSIVE | LK_RETRY);
#if NVERIEXEC > 0
	error = veriexec_openchk(l, vp, pc->pc_req.pr_filename, fmode);
	if (error == 0)
#endif
	{
		l->l_dupfd = -indx - 1;		/* for fdesc's /dev/fd/N */
		error = policy_vn_open(l, vp, fmode, created);
	}
	if (error != 0) {
		VOP_UNLOCK(vp);
		fd_abort(p, fp, indx);
		if ((error == EDUPFD || error == EMOVEFD) && l->l_dupfd >= 0 &&
		    (error = fd_dupopen(l->l_dupfd, &indx, fmode,
		    error)) == 0)
			*oa->oa_retval = indx;
		return error;
	}
	l->l_dupfd = 0;
	policy_vn_writers(vp, fmode);
	fp->f_flag = fmode & FMASK;
	fp->f_type = DTYPE_VNODE;
	fp->f_ops = &vnops;
	fp->f_vnode = vp;
	po->po_vp = NULL;		/* the file holds it now */
	VOP_UNLOCK(vp);
	if ((fmode & (O_EXLOCK | O_SHLOCK)) != 0 &&
	    (error = policy_open_lock(fp, vp, fmode)) != 0) {
		(void)vn_close(vp, fp->f_flag, fp->f_cred);
		fd_abort(p, fp, indx);
		return error;
	}
	*oa->oa_retval = indx;
	fd_affix(p, fp, indx);
	return 0;
}

/*
 * Flags open(2) refuses: it says so after copying the path in and taking
 * the directory descriptor, as the kernel's own open does; nothing is
 * looked up, so there is nothing to decide.
 */
static int
policy_open_einval(int fdat, const char *upath)
{
	struct pathbuf *pb;
	file_t *dfp;
	int error;

	if ((error = pathbuf_copyin(upath, &pb)) != 0)
		return error;
	pathbuf_destroy(pb);
	if (fdat != AT_FDCWD) {
		if ((error = fd_getvnode(fdat, &dfp)) != 0)
			return error;
		fd_putfile(fdat);
	}
	return EINVAL;
}

int
policy_core_open(struct lwp *l, int fdat, const char *upath, int flags,
    mode_t mode, register_t *retval)
{
	struct policy_open_args oa;
	uint32_t follow = FOLLOW;

	flags &= ~O_SEARCH;
	oa.oa_flags = flags;
	oa.oa_fmode = FFLAGS(flags);
	oa.oa_mode = mode;
	oa.oa_cmode = ((mode & ~l->l_proc->p_cwdi->cwdi_cmask) & ALLPERMS) &
	    ~S_ISTXT;
	oa.oa_retval = retval;
	if ((oa.oa_fmode & (FREAD | FWRITE)) == 0 ||
	    (flags & (O_CREAT | O_DIRECTORY)) == (O_CREAT | O_DIRECTORY))
		return policy_open_einval(fdat, upath);
	if ((flags & O_NOFOLLOW) != 0 ||
	    (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		follow = NOFOLLOW;
	return policy_path_call(l, POLICY_OP_OPEN, fdat, upath,
	    (flags & O_CREAT) ? CREATE : LOOKUP, follow, policy_open_act, &oa,
	    policy_open_prep);
}

/* ------------------------------------------------------------------ */
/* Names made and removed in a directory                              */

static int
policy_unlink_act(struct policy_call *pc, struct policy_obj *po, void *arg)
{
	int atflags = *(int *)arg;
	struct vnode *vp = po->po_vp, *nvp;
	struct componentname *cnp = &po->po_nd.ni_cnd;
	int error;

	if ((vp->v_vflag & VV_ROOT) != 0 ||
	    (vp->v_type == VDIR && vp->v_mountedhere != NULL))
		return EBUSY;
	if (po->po_dvp == vp)
		return EINVAL;
	if (vp->v_type == VDIR && (atflags & AT_REMOVEDIR) == 0)
		return (atflags & POLICY_AT_LINUX) ? EISDIR : EPERM;
	if (vp->v_type != VDIR && (atflags & AT_REMOVEDIR) != 0)
		return ENOTDIR;
	/* "dir/..": the parent, never empty (it holds dir), as the file system says. */
	if (policy_obj_dots(po))
		return ENOTEMPTY;
	if ((error = policy_obj_relock(po, &nvp)) != 0)
		return error;
	if (nvp != vp) {		/* another object took the name */
		policy_vn_drop(po->po_dvp, nvp);
		VOP_UNLOCK(po->po_dvp);
		return POLICY_ECHANGED;
	}
#if NVERIEXEC > 0
	if (vp->v_type != VDIR && (error = veriexec_removechk(pc->pc_l, vp,
	    pc->pc_req.pr_filename)) != 0) {
		vput(nvp);
		VOP_UNLOCK(po->po_dvp);
		return error;
	}
#endif
	/* Both are put by the VOP: the directory reference is ours. */
	if (vp->v_type == VDIR)
		error = VOP_RMDIR(po->po_dvp, nvp, cnp);
	else
		error = VOP_REMOVE(po->po_dvp, nvp, cnp);
	po->po_dvp = NULL;
	return error;
}

int
policy_core_unlink(struct lwp *l, int fdat, const char *upath, int atflags)
{
	return policy_path_call(l, (atflags & AT_REMOVEDIR) ? POLICY_OP_RMDIR :
	    POLICY_OP_UNLINK, fdat, upath, DELETE, NOFOLLOW, policy_unlink_act,
	    &atflags, NULL);
}

/* A new name in the directory: what mkdir, mknod, mkfifo and symlink share. */
enum policy_make { POLICY_MAKE_DIR, POLICY_MAKE_NODE, POLICY_MAKE_FILE,
    POLICY_MAKE_WHITEOUT, POLICY_MAKE_LINK };
struct policy_make_args {
	enum policy_make ma_kind;
	struct vattr	ma_va;
	mode_t		ma_mode;	/* decided on */
	char		*ma_target;	/* symlink text (kernel copy) */
};

static void
policy_make_prep(struct policy_request *req, void *arg)
{
	struct policy_make_args *ma = arg;

	if (ma->ma_kind == POLICY_MAKE_LINK)	/* the link's text, as written */
		policy_req_str(req, POLICY_F_FILENAME2, ma->ma_target,
		    strnlen(ma->ma_target, POLICY_PATH_MAX - 1));
	else
		policy_req_int(req, POLICY_F_MODE, ma->ma_mode);
}

static int
policy_make_act(struct policy_call *pc, struct policy_obj *po, void *arg)
{
	struct policy_make_args *ma = arg;
	struct componentname *cnp = &po->po_nd.ni_cnd;
	struct vnode *nvp;
	int error;

	if (po->po_vp != NULL || po->po_dvp == NULL || policy_obj_dots(po))
		return EEXIST;
	if ((error = policy_obj_relock(po, &nvp)) != 0)
		return error;
	if (nvp != NULL) {
		policy_vn_drop(po->po_dvp, nvp);
		VOP_UNLOCK(po->po_dvp);
		return EEXIST;
	}
	switch (ma->ma_kind) {
	case POLICY_MAKE_DIR:
		error = VOP_MKDIR(po->po_dvp, &nvp, cnp, &ma->ma_va);
		break;
	case POLICY_MAKE_NODE:
		error = VOP_MKNOD(po->po_dvp, &nvp, cnp, &ma->ma_va);
		break;
	case POLICY_MAKE_FILE:
		error = VOP_CREATE(po->po_dvp, &nvp, cnp, &ma->ma_va);
		break;
	case POLICY_MAKE_WHITEOUT:
		error = VOP_WHITEOUT(po->po_dvp, cnp, CREATE);
		break;
	default:
		error = VOP_SYMLINK(po->po_dvp, &nvp, cnp, &ma->ma_va,
		    ma->ma_target);
		break;
	}
	if (error == 0 && nvp != NULL)
		vrele(nvp);
	VOP_UNLOCK(po->po_dvp);
	return error;
}

static mode_t
policy_cmask(struct lwp *l, mode_t mode, mode_t perms)
{
	/* cwdi_cmask is read unlocked, as the kernel's own calls do. */
	return (mode & perms) & ~l->l_proc->p_cwdi->cwdi_cmask;
}

int
policy_core_mkdir(struct lwp *l, int fdat, const char *upath, mode_t mode)
{
	struct policy_make_args ma;

	ma.ma_kind = POLICY_MAKE_DIR;
	ma.ma_mode = mode;
	vattr_null(&ma.ma_va);
	ma.ma_va.va_type = VDIR;
	ma.ma_va.va_mode = policy_cmask(l, mode, ACCESSPERMS);
	return policy_path_call(l, POLICY_OP_MKDIR, fdat, upath, CREATE,
	    NOFOLLOW | CREATEDIR, policy_make_act, &ma, policy_make_prep);
}

/* mknod's node type, from its mode, once the name is decided on (as the kernel's). */
static int
policy_mknod_act(struct policy_call *pc, struct policy_obj *po, void *arg)
{
	struct policy_make_args *ma = arg;
	dev_t dev = ma->ma_va.va_rdev;

	ma->ma_kind = POLICY_MAKE_NODE;
	if (po->po_vp != NULL)		/* whatever the type, as mknod(2) */
		return EEXIST;
	switch (ma->ma_mode & S_IFMT) {
	case S_IFIFO:
		if (ma->ma_target == NULL)	/* mknod's, not mkfifo's */
			return EINVAL;
		ma->ma_va.va_type = VFIFO;
		ma->ma_va.va_rdev = VNOVAL;
		break;
	case S_IFMT:		/* badsect(8)'s mark */
		ma->ma_va.va_type = VBAD;
		break;
	case S_IFCHR:
		ma->ma_va.va_type = VCHR;
		break;
	case S_IFBLK:
		ma->ma_va.va_type = VBLK;
		break;
	case S_IFWHT:
		ma->ma_kind = POLICY_MAKE_WHITEOUT;
		break;
	case S_IFREG:
		ma->ma_va.va_type = VREG;
		ma->ma_va.va_rdev = VNOVAL;
		ma->ma_kind = POLICY_MAKE_FILE;
		break;
	default:
		return EINVAL;
	}
	if (ma->ma_kind == POLICY_MAKE_NODE && ma->ma_va.va_type != VFIFO &&
	    dev == (dev_t)VNOVAL)
		return EINVAL;
	return policy_make_act(pc, po, arg);
}

/* mknod (mode with its S_IF type), and mkfifo (fifo: type S_IFIFO). */
int
policy_core_mknod(struct lwp *l, int fdat, const char *upath, mode_t mode,
    dev_t dev, bool fifo)
{
	struct policy_make_args ma;
	int error;

	if (!fifo && (error = kauth_authorize_system(l->l_cred,
	    KAUTH_SYSTEM_MKNOD, 0, NULL, NULL, NULL)) != 0)
		return error;
	ma.ma_mode = fifo ? S_IFIFO | (mode & ALLPERMS) : mode;
	ma.ma_target = fifo ? (char *)&ma : NULL;	/* marks mkfifo */
	vattr_null(&ma.ma_va);
	ma.ma_va.va_mode = policy_cmask(l, mode, ALLPERMS);
	ma.ma_va.va_rdev = dev;
	return policy_path_call(l, POLICY_OP_MKDIR, fdat, upath, CREATE,
	    NOFOLLOW, policy_mknod_act, &ma, policy_make_prep);
}

/* symlink(target, link): filename is where the link goes, filename2 its text. */
int
policy_core_symlink(struct lwp *l, const char *utarget, int fdat,
    const char *ulink)
{
	struct policy_make_args ma;
	struct pathbuf *tpb;
	const char *t;
	int error;

	if ((error = pathbuf_copyin(utarget, &tpb)) != 0)
		return error;
	if ((t = pathbuf_stringcopy_get(tpb)) == NULL) {
		pathbuf_destroy(tpb);
		return ENOMEM;
	}
	ma.ma_kind = POLICY_MAKE_LINK;
	ma.ma_target = __UNCONST(t);
	vattr_null(&ma.ma_va);
	ma.ma_va.va_type = VLNK;
	ma.ma_va.va_mode = policy_cmask(l, ACCESSPERMS, ACCESSPERMS);
	if (strlen(t) >= POLICY_PATH_MAX)
		error = ENAMETOOLONG;
	else
		error = policy_path_call(l, POLICY_OP_SYMLINK, fdat, ulink,
		    CREATE, NOFOLLOW, policy_make_act, &ma, policy_make_prep);
	pathbuf_stringcopy_put(tpb, t);
	pathbuf_destroy(tpb);
	return error;
}

/* ------------------------------------------------------------------ */
/* Socket addresses that name files                                   */

int
policy_vfs_sockpath(struct policy_call *pc, bool bind, struct vnode **pinp)
{
	struct sockaddr_un *sun = (struct sockaddr_un *)&pc->pc_sa;
	const size_t off = offsetof(struct sockaddr_un, sun_path);
	char *canon = pc->pc_req.pr_filename;
	struct policy_obj po;
	size_t n, len;
	int error;

	*pinp = NULL;
	if (pc->pc_sa.sb_family != AF_LOCAL || pc->pc_sa.sb_len <= off)
		return 0;
	len = pc->pc_sa.sb_len - off;
	for (n = 0; n < len && sun->sun_path[n] != '\0'; n++)
		continue;
	if (n == 0 || n >= sizeof(pc->pc_args))
		return n == 0 ? 0 : ENAMETOOLONG;
	/* The path as given, as a kernel string, looked up as the socket layer will. */
	memcpy(pc->pc_args, sun->sun_path, n);
	pc->pc_args[n] = '\0';
	memset(&po, 0, sizeof(po));
	if ((po.po_pb = pathbuf_create(pc->pc_args)) == NULL)
		return ENOMEM;
	error = policy_obj_namei(pc, POLICY_F_FILENAME, AT_FDCWD,
	    bind ? CREATE : LOOKUP, FOLLOW, &po);
	if (error != 0)
		goto out;
	n = strlen(canon);
	if (n >= sizeof(sun->sun_path))
		error = ENAMETOOLONG;
	else {
		memcpy(sun->sun_path, canon, n + 1);
		pc->pc_sa.sb_len = (uint8_t)(off + n);
		error = policy_req_sockaddr(pc);
	}
	/*
	 * What the socket layer may write to when it looks the name up
	 * again: the socket found, or for bind the directory.  Pinned until
	 * the call is over (policy_vfs_sockdone).
	 */
	if (error == 0 && (*pinp = bind ? po.po_dvp : po.po_vp) != NULL) {
		vref(*pinp);
		policy_pin_vnode(*pinp);
	}
	policy_obj_done(&po);
out:
	/* Only the address was asked for. */
	pc->pc_req.pr_present &= ~(1u << POLICY_F_FILENAME);
	return error;
}

void
policy_vfs_sockdone(struct vnode *pin)
{
	if (pin == NULL)
		return;
	policy_unpin_vnode();
	vrele(pin);
}

/* ------------------------------------------------------------------ */
/* Calls with two paths: link and rename                              */

/*
 * A rename or link makes the object reachable at filename2: refused,
 * logged with the rule, when some rule decides paths at (or, for a
 * directory, beneath) the new place differently from the old one.
 */
static int
policy_move_check(struct policy_call *pc, bool dir)
{
	char why[80];

	if (pc->pc_pol == NULL || policy_move_permitted(&pc->pc_pol->pc_policy,
	    &pc->pc_dec, pc->pc_req.pr_filename, pc->pc_req.pr_filename2, dir,
	    false, why, sizeof(why)))
		return 0;
	return policy_call_refuse(pc, why);
}

/*
 * Look both paths up, the first for nameiop1, and decide; the first is
 * filename, the second filename2.  On success both objects are held.
 */
static int
policy_pair_lookup(struct policy_call *pc, int fd1, const char *u1,
    uint32_t nameiop1, uint32_t follow1, int fd2, const char *u2,
    uint32_t nameiop2, uint32_t flags2, struct policy_obj *po1,
    struct policy_obj *po2)
{
	bool rename = nameiop1 == DELETE;
	int error, missing = 0;

	memset(po1, 0, sizeof(*po1));
	memset(po2, 0, sizeof(*po2));
	/* rename copies both paths in first; link looks the first one up. */
	if (rename) {
		if ((error = policy_obj_copyin(u1, po1)) != 0)
			return error;
		if ((error = policy_obj_copyin(u2, po2)) != 0) {
			pathbuf_destroy(po1->po_pb);
			po1->po_pb = po2->po_pb = NULL;
			return error;
		}
		error = policy_obj_namei(pc, POLICY_F_FILENAME, fd1, nameiop1,
		    follow1 | POLICY_NODECIDE, po1);
	} else
		error = policy_obj_lookup(pc, POLICY_F_FILENAME, fd1, u1,
		    nameiop1, follow1 | POLICY_NODECIDE, po1);
	/* A first path that leads nowhere is decided with the second. */
	if (error == POLICY_EMISSING) {
		missing = po1->po_missing;
		error = 0;
	}
	if (error == 0 && !missing && rename && policy_obj_dots(po1))
		error = EINVAL;
	else if (error == 0 && !missing && rename &&
	    po1->po_vp->v_type == VDIR)
		flags2 |= CREATEDIR;
	if (error == 0)
		error = rename ? policy_obj_namei(pc, POLICY_F_FILENAME2, fd2,
		    nameiop2, flags2, po2) : policy_obj_lookup(pc,
		    POLICY_F_FILENAME2, fd2, u2, nameiop2, flags2, po2);
	else if (rename) {
		pathbuf_destroy(po2->po_pb);
		po2->po_pb = NULL;
	}
	if (error == 0 && (error = policy_call_decide(pc)) == 0)
		error = missing != 0 ? missing :
		    policy_move_check(pc, po1->po_vp->v_type == VDIR);
	if (error != 0 && po2->po_pb != NULL)
		policy_obj_done(po2);
	if (error != 0)
		policy_obj_done(po1);
	return error;
}

int
policy_core_link(struct lwp *l, int fd1, const char *ufrom, int fd2,
    const char *uto, bool follow)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_LINK);
	struct policy_obj from, to;
	struct vnode *vp, *nvp;
	int error;

	error = policy_pair_lookup(pc, fd1, ufrom, LOOKUP,
	    (follow ? FOLLOW : NOFOLLOW) | POLICY_FDFIRST, fd2, uto, CREATE,
	    NOFOLLOW,
	    &from, &to);
	if (error != 0)
		goto out;
	vp = from.po_vp;
	if (to.po_vp != NULL || policy_obj_dots(&to))
		error = EEXIST;
	else if (vp->v_type == VDIR)
		error = EPERM;
	else if (to.po_dvp->v_mount != vp->v_mount)
		error = EXDEV;
	else if ((error = policy_obj_relock(&to, &nvp)) == 0) {
		if (nvp != NULL) {
			policy_vn_drop(to.po_dvp, nvp);
			error = EEXIST;
		} else
			error = VOP_LINK(to.po_dvp, vp, &to.po_nd.ni_cnd);
		VOP_UNLOCK(to.po_dvp);
	}
	policy_obj_done(&to);
	policy_obj_done(&from);
out:
	policy_call_end(pc);
	return error;
}

/*
 * rename: VOP_RENAME's protocol, as the kernel's own rename follows it:
 * nothing locked while both paths were looked up and decided; the file
 * system's rename lock; the target directory locked and its name looked
 * up once more.  posix: rename(2)'s answer when both names are links to
 * the same file is to do nothing (__posix_rename).
 */
static int
policy_rename_act(struct policy_obj *from, struct policy_obj *to, bool posix)
{
	struct componentname *fcnp = &from->po_nd.ni_cnd;
	struct componentname *tcnp = &to->po_nd.ni_cnd;
	struct vnode *fvp = from->po_vp, *tdvp = to->po_dvp, *tvp;
	struct mount *mp;
	int error;

	if (tcnp->cn_namelen == 1 && tcnp->cn_nameptr[0] == '.')
		return EISDIR;
	if (policy_obj_dots(to))
		return EINVAL;
	mp = from->po_dvp->v_mount;
	if (mp == NULL || tdvp->v_mount == NULL)
		return ENOENT;
	if (mp != tdvp->v_mount)
		return EXDEV;
	if ((error = VFS_RENAMELOCK_ENTER(mp)) != 0)
		return error;
	if ((error = policy_obj_relock(to, &tvp)) != 0)
		goto unlock;
	if (to->po_vp != NULL)
		vrele(to->po_vp);
	to->po_vp = tvp;		/* held and locked now */
	if (tvp != NULL && fvp->v_type == VDIR && tvp->v_type != VDIR)
		error = ENOTDIR;
	else if (tvp != NULL && fvp->v_type != VDIR && tvp->v_type == VDIR)
		error = EISDIR;
	else if (fvp == tdvp)
		error = EINVAL;
	else if (fvp == tvp && (posix || (from->po_dvp == tdvp &&
	    fcnp->cn_namelen == tcnp->cn_namelen &&
	    memcmp(fcnp->cn_nameptr, tcnp->cn_nameptr,
	    fcnp->cn_namelen) == 0)))
		error = -1;		/* nothing to do */
#if NVERIEXEC > 0
	else {
		char f1[MAXNAMLEN + 1], f2[MAXNAMLEN + 1];

		strlcpy(f1, fcnp->cn_nameptr, MIN(sizeof(f1),
		    fcnp->cn_namelen + 1));
		strlcpy(f2, tcnp->cn_nameptr, MIN(sizeof(f2),
		    tcnp->cn_namelen + 1));
		error = veriexec_renamechk(curlwp, fvp, f1, tvp, f2);
	}
#endif
	if (error != 0) {
		if (tvp != NULL && tvp != tdvp)
			VOP_UNLOCK(tvp);
		VOP_UNLOCK(tdvp);
		goto unlock;
	}
	/* Every vnode goes to the VOP: released (from), put (to). */
	error = VOP_RENAME(from->po_dvp, fvp, fcnp, tdvp, tvp, tcnp);
	from->po_dvp = from->po_vp = NULL;
	to->po_dvp = to->po_vp = NULL;
unlock:
	VFS_RENAMELOCK_EXIT(mp);
	return error == -1 ? 0 : error;
}

int
policy_core_rename(struct lwp *l, int fromfd, const char *ufrom, int tofd,
    const char *uto, bool posix)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_RENAME);
	struct policy_obj from, to;
	int error;

	error = policy_pair_lookup(pc, fromfd, ufrom, DELETE, NOFOLLOW, tofd,
	    uto, RENAME, NOFOLLOW | NOCACHE, &from, &to);
	if (error == 0) {
		error = policy_rename_act(&from, &to, posix);
		policy_obj_done(&to);
		policy_obj_done(&from);
	}
	policy_call_end(pc);
	return error;
}

/* ------------------------------------------------------------------ */
/* Calls that act on what the path names                              */

struct policy_attr_args {
	struct vattr	aa_va;
	int		aa_mode;	/* access(2) bits; chown: posix */
	int		aa_flags;
	const void	*aa_times;	/* utimes: user timevals or timespecs */
	void		*aa_out;	/* stat, statvfs, readlink buffers */
	size_t		aa_count;
	register_t	*aa_retval;
};

static void
policy_mode_prep(struct policy_request *req, void *arg)
{
	policy_req_int(req, POLICY_F_MODE,
	    ((struct policy_attr_args *)arg)->aa_mode);
}

static void
policy_owner_prep(struct policy_request *req, void *arg)
{
	struct policy_attr_args *aa = arg;

	policy_req_int(req, POLICY_F_UID, (int32_t)aa->aa_va.va_uid);
	policy_req_int(req, POLICY_F_GID, (int32_t)aa->aa_va.va_gid);
}

static int
policy_setattr_act(struct policy_call *pc, struct policy_obj *po, void *arg)
{
	struct policy_attr_args *aa = arg;
	struct vnode *vp = po->po_vp;
	int error;

	vn_lock(vp, LK_EXCLUSIVE | LK_RETRY);
	error = VOP_SETATTR(vp, &aa->aa_va, pc->pc_l->l_cred);
	VOP_UNLOCK(vp);
	return error;
}

int
policy_core_chmod(struct lwp *l, int fdat, const char *upath, mode_t mode,
    bool follow)
{
	struct policy_attr_args aa;

	vattr_null(&aa.aa_va);
	aa.aa_va.va_mode = mode & ALLPERMS;
	aa.aa_mode = mode;
	return policy_path_call(l, POLICY_OP_CHMOD, fdat, upath, LOOKUP,
	    (follow ? FOLLOW : NOFOLLOW) | POLICY_FDFIRST, policy_setattr_act,
	    &aa, policy_mode_prep);
}

/*
 * chown clears set-id bits: NetBSD's own chown the bits of what changes,
 * the POSIX forms both unless the caller may keep them.
 */
static int
policy_chown_act(struct policy_call *pc, struct policy_obj *po, void *arg)
{
	struct policy_attr_args *aa = arg;
	kauth_cred_t cred = pc->pc_l->l_cred;
	struct vnode *vp = po->po_vp;
	struct vattr cur;
	mode_t mode;
	int error;

	vn_lock(vp, LK_EXCLUSIVE | LK_RETRY);
	if ((error = VOP_GETATTR(vp, &cur, cred)) == 0) {
		mode = cur.va_mode;
		if (aa->aa_mode) {
			if ((mode & S_ISUID) && kauth_authorize_vnode(cred,
			    KAUTH_VNODE_RETAIN_SUID, vp, NULL, EPERM) != 0)
				mode &= ~S_ISUID;
			if ((mode & S_ISGID) && kauth_authorize_vnode(cred,
			    KAUTH_VNODE_RETAIN_SGID, vp, NULL, EPERM) != 0)
				mode &= ~S_ISGID;
		} else {
			if (aa->aa_va.va_uid != (uid_t)VNOVAL)
				mode &= ~S_ISUID;
			if (aa->aa_va.va_gid != (gid_t)VNOVAL)
				mode &= ~S_ISGID;
		}
		aa->aa_va.va_mode = mode == cur.va_mode ? (mode_t)VNOVAL : mode;
		error = VOP_SETATTR(vp, &aa->aa_va, cred);
	}
	VOP_UNLOCK(vp);
	return error;
}

int
policy_core_chown(struct lwp *l, int fdat, const char *upath, uid_t uid,
    gid_t gid, bool follow, bool posix)
{
	struct policy_attr_args aa;

	vattr_null(&aa.aa_va);
	aa.aa_va.va_uid = uid == (uid_t)-1 ? (uid_t)VNOVAL : uid;
	aa.aa_va.va_gid = gid == (gid_t)-1 ? (gid_t)VNOVAL : gid;
	aa.aa_mode = posix;
	return policy_path_call(l, POLICY_OP_CHOWN, fdat, upath, LOOKUP,
	    (follow ? FOLLOW : NOFOLLOW) | POLICY_FDFIRST, policy_chown_act,
	    &aa, policy_owner_prep);
}

/* File flags are attributes of the file: decided as chmod. */
int
policy_core_chflags(struct lwp *l, const char *upath, u_long flags,
    bool follow)
{
	struct policy_attr_args aa;

	vattr_null(&aa.aa_va);
	aa.aa_va.va_flags = flags;
	aa.aa_mode = 0;
	return policy_path_call(l, POLICY_OP_CHMOD, AT_FDCWD, upath, LOOKUP,
	    follow ? FOLLOW : NOFOLLOW, policy_setattr_act, &aa, NULL);
}

static int
policy_utimes_act(struct policy_call *pc, struct policy_obj *po, void *arg)
{
	struct policy_attr_args *aa = arg;

	enum uio_seg seg = (aa->aa_flags & POLICY_UT_KERNEL) ? UIO_SYSSPACE :
	    UIO_USERSPACE;

	/* The times are data, read once here; NULL means now. */
	if (aa->aa_flags & POLICY_UT_TIMESPEC)
		return do_sys_utimens(pc->pc_l, po->po_vp, NULL, FOLLOW,
		    aa->aa_times, seg);
	return do_sys_utimes(pc->pc_l, po->po_vp, NULL, FOLLOW, aa->aa_times,
	    seg);
}

int
policy_core_utimes(struct lwp *l, int fdat, const char *upath,
    const void *times, int how, bool follow)
{
	struct policy_attr_args aa;

	aa.aa_times = times;
	aa.aa_flags = how;
	return policy_path_call(l, POLICY_OP_UTIMES, fdat, upath, LOOKUP,
	    (follow ? FOLLOW : NOFOLLOW) | POLICY_FDFIRST, policy_utimes_act,
	    &aa, NULL);
}

static int
policy_truncate_act(struct policy_call *pc, struct policy_obj *po, void *arg)
{
	struct policy_attr_args *aa = arg;
	struct vnode *vp = po->po_vp;
	int error;

	vn_lock(vp, LK_EXCLUSIVE | LK_RETRY);
	if (vp->v_type == VDIR)
		error = EISDIR;
	else if ((error = vn_writechk(vp)) == 0 &&
	    (error = VOP_ACCESS(vp, VWRITE, pc->pc_l->l_cred)) == 0)
		error = VOP_SETATTR(vp, &aa->aa_va, pc->pc_l->l_cred);
	VOP_UNLOCK(vp);
	return error;
}

int
policy_core_truncate(struct lwp *l, const char *upath, off_t length)
{
	struct policy_attr_args aa;

	if (length < 0)
		return EINVAL;
	vattr_null(&aa.aa_va);
	aa.aa_va.va_size = length;
	return policy_path_call(l, POLICY_OP_TRUNCATE, AT_FDCWD, upath, LOOKUP,
	    FOLLOW, policy_truncate_act, &aa, NULL);
}

/* The link text goes straight to the caller's buffer: output, not decided on. */
static int
policy_readlink_act(struct policy_call *pc, struct policy_obj *po, void *arg)
{
	struct policy_attr_args *aa = arg;
	struct lwp *l = pc->pc_l;
	struct vnode *vp = po->po_vp;
	struct iovec iov;
	struct uio uio;
	int error = 0;

	vn_lock(vp, LK_EXCLUSIVE | LK_RETRY);
	if (vp->v_type != VLNK)
		error = EINVAL;
	else if ((vp->v_mount->mnt_flag & MNT_SYMPERM) == 0 ||
	    (error = VOP_ACCESS(vp, VREAD, l->l_cred)) == 0) {
		iov.iov_base = aa->aa_out;
		iov.iov_len = aa->aa_count;
		uio.uio_iov = &iov;
		uio.uio_iovcnt = 1;
		uio.uio_offset = 0;
		uio.uio_rw = UIO_READ;
		uio.uio_resid = aa->aa_count;
		uio.uio_vmspace = l->l_proc->p_vmspace;
		error = VOP_READLINK(vp, &uio, l->l_cred);
		*aa->aa_retval = aa->aa_count - uio.uio_resid;
	}
	VOP_UNLOCK(vp);
	return error;
}

int
policy_core_readlink(struct lwp *l, int fdat, const char *upath, char *ubuf,
    size_t count, register_t *retval)
{
	struct policy_attr_args aa;

	if (count > SSIZE_MAX)
		return EINVAL;
	aa.aa_out = ubuf;
	aa.aa_count = count;
	aa.aa_retval = retval;
	return policy_path_call(l, POLICY_OP_READLINK, fdat, upath, LOOKUP,
	    NOFOLLOW, policy_readlink_act, &aa, NULL);
}

static int
policy_access_act(struct policy_call *pc, struct policy_obj *po, void *arg)
{
	struct policy_attr_args *aa = arg;
	struct lwp *l = pc->pc_l;
	struct vnode *vp = po->po_vp;
	kauth_cred_t cred;
	int error = 0, vmode = 0;

	cred = kauth_cred_dup(l->l_cred);
	if ((aa->aa_flags & AT_EACCESS) == 0) {
		kauth_cred_seteuid(cred, kauth_cred_getuid(l->l_cred));
		kauth_cred_setegid(cred, kauth_cred_getgid(l->l_cred));
	}
	if (aa->aa_mode & R_OK)
		vmode |= VREAD;
	if (aa->aa_mode & W_OK)
		vmode |= VWRITE;
	if (aa->aa_mode & X_OK)
		vmode |= VEXEC;
	vn_lock(vp, LK_EXCLUSIVE | LK_RETRY);
	if (aa->aa_mode & W_OK)
		error = vn_writechk(vp);
	if (error == 0 && vmode != 0)
		error = VOP_ACCESS(vp, vmode, cred);
	VOP_UNLOCK(vp);
	kauth_cred_free(cred);
	return error;
}

int
policy_core_access(struct lwp *l, int fdat, const char *upath, int mode,
    int atflags)
{
	struct policy_attr_args aa;

	if ((mode & ~(R_OK | W_OK | X_OK)) != 0)
		return EINVAL;
	aa.aa_mode = mode;
	aa.aa_flags = atflags;
	return policy_path_call(l, POLICY_OP_ACCESS, fdat, upath, LOOKUP,
	    (atflags & AT_SYMLINK_NOFOLLOW) ? NOFOLLOW : FOLLOW,
	    policy_access_act, &aa, policy_mode_prep);
}

static int
policy_stat_act(struct policy_call *pc, struct policy_obj *po, void *arg)
{
	struct vnode *vp = po->po_vp;
	int error;

	vn_lock(vp, LK_EXCLUSIVE | LK_RETRY);
	error = vn_stat(vp, ((struct policy_attr_args *)arg)->aa_out);
	VOP_UNLOCK(vp);
	return error;
}

/* The result is left in *sb (kernel): each emulation copies out its own form. */
int
policy_core_stat(struct lwp *l, int fdat, const char *upath, bool follow,
    struct stat *sb)
{
	struct policy_attr_args aa;

	aa.aa_out = sb;
	return policy_path_call(l, POLICY_OP_STAT, fdat, upath, LOOKUP,
	    follow ? FOLLOW : NOFOLLOW, policy_stat_act, &aa, NULL);
}

static int
policy_pathconf_act(struct policy_call *pc, struct policy_obj *po, void *arg)
{
	struct policy_attr_args *aa = arg;
	int error;

	vn_lock(po->po_vp, LK_EXCLUSIVE | LK_RETRY);
	error = VOP_PATHCONF(po->po_vp, aa->aa_flags, aa->aa_retval);
	VOP_UNLOCK(po->po_vp);
	return error;
}

/* pathconf and statvfs describe what the path names: decided as stat. */
int
policy_core_pathconf(struct lwp *l, const char *upath, int name, bool follow,
    register_t *retval)
{
	struct policy_attr_args aa;

	aa.aa_flags = name;
	aa.aa_retval = retval;
	return policy_path_call(l, POLICY_OP_STAT, AT_FDCWD, upath, LOOKUP,
	    follow ? FOLLOW : NOFOLLOW, policy_pathconf_act, &aa, NULL);
}

static int
policy_statvfs_act(struct policy_call *pc, struct policy_obj *po, void *arg)
{
	struct policy_attr_args *aa = arg;

	return dostatvfs(po->po_vp->v_mount, aa->aa_out, pc->pc_l,
	    aa->aa_flags, 1);
}

int
policy_core_statvfs(struct lwp *l, const char *upath, int flags,
    struct statvfs *sb)
{
	struct policy_attr_args aa;

	aa.aa_flags = flags;
	aa.aa_out = sb;
	return policy_path_call(l, POLICY_OP_STAT, AT_FDCWD, upath, LOOKUP,
	    FOLLOW, policy_statvfs_act, &aa, NULL);
}

static int
policy_revoke_act(struct policy_call *pc, struct policy_obj *po, void *arg)
{
	return dorevoke(po->po_vp, pc->pc_l->l_cred);
}

/* revoke takes the object from everyone who has it open: decided as chmod. */
int
policy_core_revoke(struct lwp *l, const char *upath)
{
	return policy_path_call(l, POLICY_OP_CHMOD, AT_FDCWD, upath, LOOKUP,
	    FOLLOW, policy_revoke_act, NULL, NULL);
}

static int
policy_chdir_act(struct policy_call *pc, struct policy_obj *po, void *arg)
{
	struct lwp *l = pc->pc_l;
	struct cwdinfo *cwdi = l->l_proc->p_cwdi;
	struct vnode *vp = po->po_vp, *ovp;
	int error;

	vn_lock(vp, LK_EXCLUSIVE | LK_RETRY);
	error = vp->v_type != VDIR ? ENOTDIR : VOP_ACCESS(vp, VEXEC, l->l_cred);
	VOP_UNLOCK(vp);
	if (error != 0)
		return error;
	po->po_vp = NULL;		/* the reference goes to cwdinfo */
	if (arg != NULL) {
		change_root(cwdi, vp, l);
		return 0;
	}
	rw_enter(&cwdi->cwdi_lock, RW_WRITER);
	ovp = cwdi->cwdi_cdir;
	cwdi->cwdi_cdir = vp;
	rw_exit(&cwdi->cwdi_lock);
	vrele(ovp);
	return 0;
}

/* chdir, or chroot (root): the directory that becomes the process's own. */
int
policy_core_chdir(struct lwp *l, const char *upath, bool root)
{
	int error;

	if (root && (error = kauth_authorize_system(l->l_cred,
	    KAUTH_SYSTEM_CHROOT, KAUTH_REQ_SYSTEM_CHROOT_CHROOT, NULL, NULL,
	    NULL)) != 0)
		return error;
	return policy_path_call(l, POLICY_OP_CHDIR, AT_FDCWD, upath, LOOKUP,
	    FOLLOW, policy_chdir_act, root ? &root : NULL, NULL);
}

/* ktrace writes its records to the file: decided as open for writing. */
struct policy_ktrace_args {
	int	ka_ops, ka_facs, ka_pid;
};

static void
policy_ktrace_prep(struct policy_request *req, void *arg)
{
	policy_req_int(req, POLICY_F_FLAGS, POLICY_O_RDWR);
}

static int
policy_ktrace_act(struct policy_call *pc, struct policy_obj *po, void *arg)
{
	struct policy_ktrace_args *ka = arg;
	struct lwp *l = pc->pc_l;
	struct vnode *vp = po->po_vp;
	file_t *fp;
	int error, fd;

	if (vp->v_type != VREG)
		return EACCES;
	if ((error = fd_allocfile(&fp, &fd)) != 0)
		return error;
	vn_lock(vp, LK_EXCLUSIVE | LK_RETRY);
	error = policy_vn_open(l, vp, FREAD | FWRITE, false);
	if (error == 0)
		policy_vn_writers(vp, FWRITE);
	VOP_UNLOCK(vp);
	if (error != 0) {
		fd_abort(l->l_proc, fp, fd);
		return error;
	}
	fp->f_flag = FWRITE;
	fp->f_type = DTYPE_VNODE;
	fp->f_ops = &vnops;
	fp->f_vnode = vp;
	po->po_vp = NULL;		/* the file holds it now */
	error = ktrace_common(l, ka->ka_ops, ka->ka_facs, ka->ka_pid, &fp);
	fd_abort(l->l_proc, fp, fd);
	return error;
}

int
policy_core_ktrace(struct lwp *l, const char *upath, int ops, int facs,
    int pid)
{
	struct policy_ktrace_args ka = { ops, facs, pid };
	file_t *fp = NULL;
	int error;

	if (KTROP(ops) == KTROP_CLEAR)	/* no file */
		return ktrace_common(l, ops, facs, pid, &fp);
	if (ktrenter(l))
		return EAGAIN;
	error = policy_path_call(l, POLICY_OP_OPEN, AT_FDCWD, upath, LOOKUP,
	    FOLLOW, policy_ktrace_act, &ka, policy_ktrace_prep);
	ktrexit(l);
	return error;
}

/* Extended attributes: reading them is decided as stat, changing them as chmod. */
struct policy_xattr_args {
	struct policy_xattr	*xa_px;
	register_t		*xa_rv;
};

static int
policy_xattr_do(struct policy_call *pc, struct policy_obj *po, void *arg)
{
	struct policy_xattr_args *xa = arg;
	struct policy_xattr list = *xa->xa_px;
	register_t usr, sys;
	int error;

	if (list.px_kind != POLICY_XATTR_LISTX)
		return policy_xattr_act(pc->pc_l, po->po_vp, xa->xa_px,
		    xa->xa_px->px_ns, xa->xa_rv);
	/* listxattr: the user names, then the system ones if permitted. */
	list.px_kind = POLICY_XATTR_LIST;
	list.px_flag = 0;
	error = policy_xattr_act(pc->pc_l, po->po_vp, &list,
	    EXTATTR_NAMESPACE_USER, &usr);
	if (error != 0)
		return error;
	if (list.px_data != NULL)
		list.px_data = (char *)list.px_data + usr;
	if (list.px_nbytes != 0)
		list.px_nbytes -= usr;
	error = policy_xattr_act(pc->pc_l, po->po_vp, &list,
	    EXTATTR_NAMESPACE_SYSTEM, &sys);
	if (error == EPERM) {
		error = 0;
		sys = 0;
	}
	if (error == 0)
		*xa->xa_rv = usr + sys;
	return error;
}

/*
 * Setting an attribute of the system namespace (an ACL, a capability, a
 * label: what the kernel makes of it grants access as a mode does) is
 * decided as a chmod to every mode bit, so that rules on mode refuse it.
 */
static void
policy_xattr_prep(struct policy_request *req, void *arg)
{
	const struct policy_xattr_args *xa = arg;

	if (xa->xa_px->px_kind == POLICY_XATTR_SET &&
	    xa->xa_px->px_ns == EXTATTR_NAMESPACE_SYSTEM)
		policy_req_int(req, POLICY_F_MODE, 07777);
}

int
policy_core_xattr(struct lwp *l, const char *upath, bool follow,
    struct policy_xattr *px, register_t *rv)
{
	struct policy_xattr_args xa = { px, rv };
	bool reads = px->px_kind == POLICY_XATTR_GET ||
	    px->px_kind == POLICY_XATTR_LIST || px->px_kind == POLICY_XATTR_LISTX;

	return policy_path_call(l, reads ? POLICY_OP_STAT : POLICY_OP_CHMOD,
	    AT_FDCWD, upath, LOOKUP, follow ? FOLLOW : NOFOLLOW,
	    policy_xattr_do, &xa, policy_xattr_prep);
}

/* ------------------------------------------------------------------ */
/* mount, unmount                                                     */

struct policy_mount_args {
	char		ma_type[_VFS_NAMELEN];
	const char	*ma_upath;
	int		ma_flags;
	void		*ma_udata;
	size_t		ma_len;
};

static void
policy_mount_prep(struct policy_request *req, void *arg)
{
	struct policy_mount_args *ma = arg;

	policy_req_str(req, POLICY_F_FILENAME2, ma->ma_type,
	    strlen(ma->ma_type));
	policy_req_int(req, POLICY_F_REQUEST, ma->ma_flags);
}

/*
 * New mounts only, on the vnode the decision named.  mount_domount()
 * hands the file system the user's path for f_mntonname only.  Updates
 * (and MNT_GETARGS) are refused while confined, as what they change is
 * not decided: their decision is taken, then the refusal logged.
 */
static int
policy_mount_act(struct policy_call *pc, struct policy_obj *po, void *arg)
{
	struct policy_mount_args *ma = arg;
	struct vfsops *vfsops;
	void *kdata = NULL;
	size_t len = ma->ma_len;
	int error;

	if (ma->ma_flags & (MNT_GETARGS | MNT_UPDATE))
		return policy_call_refuse(pc, "mount updates change what no "
		    "decision saw");
	if ((vfsops = vfs_getopsbyname(ma->ma_type)) == NULL)
		return ENODEV;
	if (ma->ma_udata != NULL) {
		if (len == 0 || len > VFS_MAX_MOUNT_DATA) {
			vfs_delref(vfsops);
			return EINVAL;
		}
		kdata = kmem_alloc(len, KM_SLEEP);
		if ((error = copyin(ma->ma_udata, kdata, len)) != 0) {
			vfs_delref(vfsops);
			kmem_free(kdata, len);
			return error;
		}
	}
	/* mount_domount() consumes vfsops, and the vnode unless it fails. */
	error = mount_domount(pc->pc_l, &po->po_vp, vfsops, ma->ma_upath,
	    ma->ma_flags, kdata, &len);
	if (kdata != NULL)
		kmem_free(kdata, ma->ma_len);
	return error;
}

/* mount: filename is the mount point, filename2 the file-system type. */
int
policy_core_mount(struct lwp *l, const char *utype, const char *upath,
    int flags, void *udata, size_t data_len, register_t *retval)
{
	struct policy_mount_args ma;
	size_t done;
	int error;

	error = copyinstr(utype, ma.ma_type, sizeof(ma.ma_type), &done);
	if (error != 0)
		return error;
	ma.ma_upath = upath;
	ma.ma_flags = flags;
	ma.ma_udata = udata;
	ma.ma_len = data_len;
	return policy_path_call(l, POLICY_OP_MOUNT, AT_FDCWD, upath, LOOKUP,
	    FOLLOW, policy_mount_act, &ma, policy_mount_prep);
}

static int
policy_unmount_act(struct policy_call *pc, struct policy_obj *po, void *arg)
{
	struct lwp *l = pc->pc_l;
	struct vnode *vp = po->po_vp;
	struct mount *mp = vp->v_mount;
	int error;

	atomic_inc_uint((volatile unsigned *)&mp->mnt_refcnt);
	error = kauth_authorize_system(l->l_cred, KAUTH_SYSTEM_MOUNT,
	    KAUTH_REQ_SYSTEM_MOUNT_UNMOUNT, mp, NULL, NULL);
	if (error == 0 && (mp->mnt_flag & MNT_ROOTFS) != 0)
		error = EINVAL;
	if (error == 0 && (vp->v_vflag & VV_ROOT) == 0)
		error = EINVAL;		/* not the root of a file system */
	if (error == 0) {
		po->po_vp = NULL;
		vrele(vp);
		error = dounmount(mp, *(int *)arg, l);
	}
	vfs_destroy(mp);
	return error;
}

int
policy_core_unmount(struct lwp *l, const char *upath, int flags)
{
	return policy_path_call(l, POLICY_OP_UNMOUNT, AT_FDCWD, upath, LOOKUP,
	    NOFOLLOW, policy_unmount_act, &flags, NULL);
}

/* ------------------------------------------------------------------ */
/* exec                                                               */

/*
 * One element of the new image's argv vector, whose pointers are as wide
 * as the new image's (PK_32), not the caller's: an exec may cross widths.
 */
static int
policy_exec_fetch(const struct proc *p, const void *argv, size_t i,
    const void **sp)
{
	uint32_t w;
	int error;

	if ((p->p_flag & PK_32) == 0)
		return policy_fetch_native(argv, i, sp);
	if ((error = copyin((const uint32_t *)argv + i, &w, sizeof(w))) != 0)
		return error;
	*sp = (const void *)(uintptr_t)w;
	return 0;
}

/* The argv strings the new image got, against the decided ones. */
static bool
policy_exec_argv_same(struct lwp *l, const struct policy_call *pc)
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
	if (n < 0 || (size_t)n != pc->pc_argc)
		return false;
	buf = kmem_alloc(POLICY_ARGV_MAX, KM_SLEEP);
	for (i = 0; i < pc->pc_argc && same; i++)
		same = policy_exec_fetch(p, argv, i, &s) == 0 &&
		    copyinstr(s, buf, POLICY_ARGV_MAX, &done) == 0 &&
		    strcmp(buf, pc->pc_argp[i]) == 0;
	kmem_free(buf, POLICY_ARGV_MAX);
	return same;
}

struct policy_exec_args {
	const void	*ea_uargv;
	const void	*ea_uap;
	register_t	*ea_retval;
};

/*
 * NetBSD's exec (execve1) only reads its path and argv from user space, so
 * the exec is run by the emulation's own handler and then verified: the
 * image must be the vnode the decision named and its argv the decided
 * argv, or the process is killed before it runs an instruction of it (all
 * its other threads are gone by then, and the new stack is private).
 * Then the new image runs under the shadow of its emulation.
 */
static int
policy_exec_act(struct policy_call *pc, struct policy_obj *po, void *arg)
{
	struct policy_exec_args *ea = arg;
	struct lwp *l = pc->pc_l;
	struct proc *p = l->l_proc;
	int error;

	error = policy_call_orig(l, ea->ea_uap, ea->ea_retval);
	if (error != 0 && error != EJUSTRETURN)
		return error;
	if (p->p_textvp != po->po_vp ||
	    !policy_exec_argv_same(l, pc)) {
		log(LOG_WARNING, "policy: pid %d: exec image or argv changed "
		    "after the decision: killed\n", p->p_pid);
		mutex_enter(proc_lock);
		psignal(p, SIGKILL);
		mutex_exit(proc_lock);
	}
	policy_gate_exec(l);
	return error;
}

int
policy_core_execve(struct lwp *l, const char *upath, const void *uargv,
    policy_fetch_t fetch, const void *uap, register_t *retval)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_EXECVE);
	struct policy_exec_args ea = { uargv, uap, retval };
	struct policy_obj po;
	int error = 0;

	/* No argv: execve1 fails with EINVAL after its lookup; decided as empty. */
	if (uargv == NULL)
		policy_req_str(&pc->pc_req, POLICY_F_ARGV, "", 0);
	else
		error = policy_copyin_argv(pc, uargv, fetch);
	if (error == 0)
		error = policy_obj_lookup(pc, POLICY_F_FILENAME, AT_FDCWD,
		    upath, LOOKUP, FOLLOW, &po);
	if (error == 0) {
		if ((error = policy_call_decide(pc)) == 0)
			error = policy_exec_act(pc, &po, &ea);
		policy_obj_done(&po);
	}
	policy_call_end(pc);
	return error;
}

/* fexecve: not carried out while confined (the 2016 kernel has none either). */
int
policy_core_fexecve(struct lwp *l, int fd, const void *uargv,
    policy_fetch_t fetch, const void *uap, register_t *retval)
{
	return ENOSYS;
}
