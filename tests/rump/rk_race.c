/* rk_race.c: the control monitor of the rump race tests (test_rrace.c), built with rumpkern-cc: it
 * decides with the real engine on a copy of the argument, then lets the kernel read or look it up again. */
/*
 * What systrace did, done with this project's engine: copy the argument in
 * once, decide on that copy, then hand the call to the kernel's own
 * handler, which copies the argument in again from user memory (or looks
 * the path up again).  Whatever changed in between is what the kernel
 * acts on.  The product (the wrappers of sys_policy*.c) must never lose a
 * race this control loses.  The calling host thread must be current in a
 * confined rump process; nothing here goes through the gate.
 */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/kmem.h>
#include <sys/namei.h>
#include <sys/proc.h>
#include <sys/socket.h>
#include <sys/syscallargs.h>
#include <sys/vnode.h>

#include <rump/rump.h>

#include "sys_policy.h"

/* How rump_policyrace_open() decides and acts, and the socket calls: as in rt.h. */
#define RK_RACE_USER	0	/* decide on the copy, open the user's pointer */
#define RK_RACE_LEXICAL	1	/* decide on the copy made absolute, open the copy */
#define RK_RACE_RESOLVE	2	/* decide on what a lookup of the copy finds, open the copy */
/* rump_policyrace_sock()'s calls. */
#define RK_RACE_CONNECT	0
#define RK_RACE_SENDTO	1
#define RK_RACE_BIND	2

/* The global path of directory vp (held). */
static int
rk_dirpath_vp(struct lwp *l, struct vnode *vp, char *buf, size_t len)
{
	char *bp = buf + len;
	int error;

	*--bp = '\0';
	error = getcwd_common(vp, rootvnode, &bp, buf, (int)len / 2, 0, l);
	if (error == 0)
		memmove(buf, bp, strlen(bp) + 1);
	return error;
}

/* The global path of the directory fdat (or the cwd) names now. */
static int
rk_dirpath(struct lwp *l, int fdat, char *buf, size_t len)
{
	struct cwdinfo *cwdi = l->l_proc->p_cwdi;
	struct vnode *vp;
	file_t *fp;
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
	error = vp->v_type == VDIR ? rk_dirpath_vp(l, vp, buf, len) : ENOTDIR;
	vrele(vp);
	return error;
}

/* The path made absolute against fdat (or the cwd) now, and normalised. */
static int
rk_lexical(struct lwp *l, int fdat, const char *path, char *out, size_t len)
{
	int error;

	out[0] = '/';
	out[1] = '\0';
	if (path[0] != '/' && (error = rk_dirpath(l, fdat, out, len)) != 0)
		return error;
	return policy_path_normalize(out, path, out, len);
}

/*
 * What the sys_policy_vfs.c wrappers decide on: the canonical path of the
 * object a lookup (following links) finds now: its directory's path and
 * its own name.  The lookup's vnodes are let go: the kernel looks again.
 */
static int
rk_resolve(struct lwp *l, int fdat, const char *path, char *out, size_t len)
{
	struct nameidata nd;
	struct pathbuf *pb;
	struct vnode *dvp, *vp;
	file_t *dfp = NULL;
	size_t n, cn;
	int error;

	if ((pb = pathbuf_create(path)) == NULL)
		return ENOMEM;
	NDINIT(&nd, LOOKUP, FOLLOW | LOCKPARENT | TRYEMULROOT, pb);
	if (fdat != AT_FDCWD) {
		if ((error = fd_getvnode(fdat, &dfp)) != 0) {
			pathbuf_destroy(pb);
			return error;
		}
		NDAT(&nd, dfp->f_vnode);
	}
	error = namei(&nd);
	if (dfp != NULL)
		fd_putfile(fdat);
	if (error != 0) {
		pathbuf_destroy(pb);
		return error;
	}
	dvp = nd.ni_dvp;
	vp = nd.ni_vp;
	if (dvp != NULL && dvp != vp)
		VOP_UNLOCK(dvp);
	if (vp->v_type == VDIR || dvp == NULL) {
		error = rk_dirpath_vp(l, vp, out, len);
	} else if ((error = rk_dirpath_vp(l, dvp, out, len)) == 0) {
		n = strlen(out);
		if (n == 1)
			n = 0;
		cn = nd.ni_cnd.cn_namelen;
		if (n + 1 + cn >= len)
			error = ENAMETOOLONG;
		else {
			out[n++] = '/';
			memcpy(out + n, nd.ni_cnd.cn_nameptr, cn);
			out[n + cn] = '\0';
		}
	}
	vrele(vp);
	if (dvp != NULL)
		vrele(dvp);
	pathbuf_destroy(pb);
	return error;
}

/* Copy the path in once and put what how says into the request field. */
static int
rk_path(struct policy_call *pc, unsigned field, int how, int fdat,
    const char *upath, char *kpath)
{
	char *out = field == POLICY_F_FILENAME ? pc->pc_req.pr_filename :
	    pc->pc_req.pr_filename2;
	size_t done;
	int error;

	if ((error = copyinstr(upath, kpath, MAXPATHLEN, &done)) != 0)
		return error;
	if (how == RK_RACE_RESOLVE)
		error = rk_resolve(pc->pc_l, fdat, kpath, out, POLICY_PATH_MAX);
	else
		error = rk_lexical(pc->pc_l, fdat, kpath, out, POLICY_PATH_MAX);
	if (error == 0)
		policy_req_str(&pc->pc_req, field, out, strlen(out));
	return error;
}

/*
 * openat(fdat, path, flags) decided as how says, then done by the kernel's
 * sys_openat: with the user's pointer (RK_RACE_USER: it copies the path
 * in again) or the kernel copy (it looks the path up again).  0 and the
 * descriptor in *fdp, or the errno.
 */
int
rump_policyrace_open(int how, int fdat, const char *upath, int flags,
    int *fdp)
{
	struct sys_openat_args ua;
	struct policy_call *pc;
	register_t rv = -1;
	char *kpath;
	int error;

	rump_schedule();
	kpath = kmem_alloc(MAXPATHLEN, KM_SLEEP);
	pc = policy_call_begin(curlwp, POLICY_OP_OPEN);
	policy_req_int(&pc->pc_req, POLICY_F_FLAGS, policy_oflags(flags));
	error = rk_path(pc, POLICY_F_FILENAME, how, fdat, upath, kpath);
	if (error == 0)
		error = policy_call_decide(pc);
	policy_call_end(pc);
	if (error == 0) {
		SCARG(&ua, fd) = fdat;
		SCARG(&ua, path) = how == RK_RACE_USER ? upath : kpath;
		SCARG(&ua, oflags) = flags;
		SCARG(&ua, mode) = 0;
		error = sys_openat(curlwp, &ua, &rv);
	}
	*fdp = (int)rv;
	kmem_free(kpath, MAXPATHLEN);
	rump_unschedule();
	return error;
}

/*
 * connect(s, sa), sendto(s, buf, len, 0, sa) or bind(s, sa): the sockaddr
 * copied in and decided on as given (an AF_LOCAL path as written), then
 * the kernel's handler copies it in again from the user's pointer and the
 * socket layer looks its path up.
 */
int
rump_policyrace_sock(int op, int s, const void *usa, unsigned salen,
    const void *ubuf, size_t len)
{
	static const unsigned pop[] = {
		POLICY_OP_CONNECT, POLICY_OP_SENDTO, POLICY_OP_BIND
	};
	struct sys_connect_args ca;
	struct sys_sendto_args sa;
	struct sys_bind_args ba;
	struct policy_call *pc;
	register_t rv = 0;
	int error;

	if (op < RK_RACE_CONNECT || op > RK_RACE_BIND)
		return EINVAL;
	rump_schedule();
	pc = policy_call_begin(curlwp, pop[op]);
	error = policy_copyin_sockaddr(pc, usa, salen);
	if (error == 0)
		error = policy_call_decide(pc);
	policy_call_end(pc);
	if (error == 0 && op == RK_RACE_SENDTO) {
		SCARG(&sa, s) = s;
		SCARG(&sa, buf) = ubuf;
		SCARG(&sa, len) = len;
		SCARG(&sa, flags) = 0;
		SCARG(&sa, to) = usa;
		SCARG(&sa, tolen) = salen;
		error = sys_sendto(curlwp, &sa, &rv);
	} else if (error == 0 && op == RK_RACE_CONNECT) {
		SCARG(&ca, s) = s;
		SCARG(&ca, name) = usa;
		SCARG(&ca, namelen) = salen;
		error = sys_connect(curlwp, &ca, &rv);
	} else if (error == 0) {
		SCARG(&ba, s) = s;
		SCARG(&ba, name) = usa;
		SCARG(&ba, namelen) = salen;
		error = sys_bind(curlwp, &ba, &rv);
	}
	rump_unschedule();
	return error;
}

/* unlink(path): decided on the copy made absolute, done with the user's pointer. */
int
rump_policyrace_unlink(const char *upath)
{
	struct sys_unlink_args ua;
	struct policy_call *pc;
	register_t rv = 0;
	char *kpath;
	int error;

	rump_schedule();
	kpath = kmem_alloc(MAXPATHLEN, KM_SLEEP);
	pc = policy_call_begin(curlwp, POLICY_OP_UNLINK);
	error = rk_path(pc, POLICY_F_FILENAME, RK_RACE_USER, AT_FDCWD, upath,
	    kpath);
	if (error == 0)
		error = policy_call_decide(pc);
	policy_call_end(pc);
	if (error == 0) {
		SCARG(&ua, path) = upath;
		error = sys_unlink(curlwp, &ua, &rv);
	}
	kmem_free(kpath, MAXPATHLEN);
	rump_unschedule();
	return error;
}

/* rename(from, to): both decided on their copies, done with the user's pointers. */
int
rump_policyrace_rename(const char *ufrom, const char *uto)
{
	struct sys_rename_args ua;
	struct policy_call *pc;
	register_t rv = 0;
	char *kpath;
	int error;

	rump_schedule();
	kpath = kmem_alloc(MAXPATHLEN, KM_SLEEP);
	pc = policy_call_begin(curlwp, POLICY_OP_RENAME);
	error = rk_path(pc, POLICY_F_FILENAME, RK_RACE_USER, AT_FDCWD, ufrom,
	    kpath);
	if (error == 0)
		error = rk_path(pc, POLICY_F_FILENAME2, RK_RACE_USER, AT_FDCWD,
		    uto, kpath);
	if (error == 0)
		error = policy_call_decide(pc);
	policy_call_end(pc);
	if (error == 0) {
		SCARG(&ua, from) = ufrom;
		SCARG(&ua, to) = uto;
		error = sys_rename(curlwp, &ua, &rv);
	}
	kmem_free(kpath, MAXPATHLEN);
	rump_unschedule();
	return error;
}

/* Vnodes the kernel holds now: a lookup that leaks a reference shows here. */
unsigned
rump_policyrace_vnodes(void)
{
	unsigned n;

	rump_schedule();
	n = numvnodes;
	rump_unschedule();
	return n;
}
