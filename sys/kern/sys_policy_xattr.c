/* sys_policy_xattr.c (kernel only): extended attributes named by path, both NetBSD's extattr_*
 * calls and the xattr ones: decided on the object found (get, list as stat; set, delete as chmod). */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/extattr.h>
#include <sys/proc.h>
#include <sys/syscallargs.h>
#include <sys/uio.h>
#include <sys/vnode.h>
#include <sys/xattr.h>

#include "sys_policy.h"

/*
 * The attribute calls the file system is asked, on the decided vnode, as
 * NetBSD's own extattr code asks them: a NULL buffer asks for a size.
 */
static void
policy_xattr_uio(struct uio *uio, struct iovec *iov, void *data, size_t n,
    enum uio_rw rw)
{
	iov->iov_base = data;
	iov->iov_len = n;
	uio->uio_iov = iov;
	uio->uio_iovcnt = 1;
	uio->uio_offset = 0;
	uio->uio_resid = n;
	uio->uio_rw = rw;
	uio->uio_vmspace = curlwp->l_proc->p_vmspace;
}

int
policy_xattr_act(struct lwp *l, struct vnode *vp, struct policy_xattr *px,
    int ns, register_t *rv)
{
	struct uio uio;
	struct iovec iov;
	size_t size;
	int error = 0;

	vn_lock(vp, LK_EXCLUSIVE | LK_RETRY);
	switch (px->px_kind) {
	case POLICY_XATTR_SET:
		if (px->px_flag != 0) {
			error = VOP_GETEXTATTR(vp, ns, px->px_name, NULL, &size,
			    l->l_cred);
			if (error == ENODATA && (px->px_flag & XATTR_REPLACE))
				break;
			if (error == 0 && (px->px_flag & XATTR_CREATE)) {
				error = EEXIST;
				break;
			}
			if (error != 0 && error != ENODATA)
				break;
		}
		if (px->px_nbytes > INT_MAX) {
			error = EINVAL;
			break;
		}
		policy_xattr_uio(&uio, &iov, px->px_data, px->px_nbytes,
		    UIO_WRITE);
		error = VOP_SETEXTATTR(vp, ns, px->px_name, &uio, l->l_cred);
		*rv = px->px_nbytes - uio.uio_resid;
		break;
	case POLICY_XATTR_GET:
	case POLICY_XATTR_LIST:
		if (px->px_data != NULL && px->px_nbytes > INT_MAX) {
			error = EINVAL;
			break;
		}
		if (px->px_data != NULL)
			policy_xattr_uio(&uio, &iov, px->px_data, px->px_nbytes,
			    UIO_READ);
		error = px->px_kind == POLICY_XATTR_GET ?
		    VOP_GETEXTATTR(vp, ns, px->px_name,
		    px->px_data != NULL ? &uio : NULL,
		    px->px_data != NULL ? NULL : &size, l->l_cred) :
		    VOP_LISTEXTATTR(vp, ns, px->px_data != NULL ? &uio : NULL,
		    px->px_data != NULL ? NULL : &size, px->px_flag, l->l_cred);
		*rv = px->px_data != NULL ? (register_t)(px->px_nbytes -
		    uio.uio_resid) : (register_t)size;
		break;
	default:
		error = VOP_DELETEEXTATTR(vp, ns, px->px_name, l->l_cred);
		if (error == EOPNOTSUPP)
			error = VOP_SETEXTATTR(vp, ns, px->px_name, NULL,
			    l->l_cred);
		break;
	}
	VOP_UNLOCK(vp);
	return error;
}

/* The namespace an xattr name is in, by its prefix, as NetBSD files it. */
static int
policy_xattr_ns(const char *name)
{
	if (strncmp(name, "system.", 7) == 0 ||
	    strncmp(name, "security.", 9) == 0 ||
	    strncmp(name, "trusted.", 8) == 0)
		return EXTATTR_NAMESPACE_SYSTEM;
	return EXTATTR_NAMESPACE_USER;
}

/* The attribute name, copied in first as the kernel's calls do. */
static int
policy_xattr_name(struct policy_xattr *px, const char *uname)
{
	return copyinstr(uname, px->px_name, sizeof(px->px_name), NULL);
}

static int
policy_xattr_call(struct lwp *l, const char *upath, bool follow, int kind,
    int ns, const char *uname, void *data, size_t nbytes, int flag,
    register_t *rv)
{
	struct policy_xattr px;
	int error;

	px.px_kind = kind;
	px.px_ns = ns;
	px.px_data = data;
	px.px_nbytes = nbytes;
	px.px_flag = flag;
	px.px_name[0] = '\0';
	if (uname != NULL && (error = policy_xattr_name(&px, uname)) != 0)
		return error;
	if (ns < 0)
		px.px_ns = policy_xattr_ns(px.px_name);
	return policy_core_xattr(l, upath, follow, &px, rv);
}

#define XATTR_ERRNO(e)	((e) == EOPNOTSUPP ? ENOTSUP : (e))

static int
policy_sys_extattr_set_file(struct lwp *l,
    const struct sys_extattr_set_file_args *uap, register_t *rv)
{
	return policy_xattr_call(l, SCARG(uap, path), true, POLICY_XATTR_SET,
	    SCARG(uap, attrnamespace), SCARG(uap, attrname),
	    __UNCONST(SCARG(uap, data)), SCARG(uap, nbytes), 0, rv);
}

static int
policy_sys_extattr_set_link(struct lwp *l,
    const struct sys_extattr_set_link_args *uap, register_t *rv)
{
	return policy_xattr_call(l, SCARG(uap, path), false, POLICY_XATTR_SET,
	    SCARG(uap, attrnamespace), SCARG(uap, attrname),
	    __UNCONST(SCARG(uap, data)), SCARG(uap, nbytes), 0, rv);
}

static int
policy_sys_extattr_get_file(struct lwp *l,
    const struct sys_extattr_get_file_args *uap, register_t *rv)
{
	return policy_xattr_call(l, SCARG(uap, path), true, POLICY_XATTR_GET,
	    SCARG(uap, attrnamespace), SCARG(uap, attrname), SCARG(uap, data),
	    SCARG(uap, nbytes), 0, rv);
}

static int
policy_sys_extattr_get_link(struct lwp *l,
    const struct sys_extattr_get_link_args *uap, register_t *rv)
{
	return policy_xattr_call(l, SCARG(uap, path), false, POLICY_XATTR_GET,
	    SCARG(uap, attrnamespace), SCARG(uap, attrname), SCARG(uap, data),
	    SCARG(uap, nbytes), 0, rv);
}

static int
policy_sys_extattr_delete_file(struct lwp *l,
    const struct sys_extattr_delete_file_args *uap, register_t *rv)
{
	return policy_xattr_call(l, SCARG(uap, path), true,
	    POLICY_XATTR_DELETE, SCARG(uap, attrnamespace),
	    SCARG(uap, attrname), NULL, 0, 0, rv);
}

static int
policy_sys_extattr_delete_link(struct lwp *l,
    const struct sys_extattr_delete_link_args *uap, register_t *rv)
{
	return policy_xattr_call(l, SCARG(uap, path), false,
	    POLICY_XATTR_DELETE, SCARG(uap, attrnamespace),
	    SCARG(uap, attrname), NULL, 0, 0, rv);
}

static int
policy_sys_extattr_list_file(struct lwp *l,
    const struct sys_extattr_list_file_args *uap, register_t *rv)
{
	return policy_xattr_call(l, SCARG(uap, path), true, POLICY_XATTR_LIST,
	    SCARG(uap, attrnamespace), NULL, SCARG(uap, data),
	    SCARG(uap, nbytes), EXTATTR_LIST_LENPREFIX, rv);
}

static int
policy_sys_extattr_list_link(struct lwp *l,
    const struct sys_extattr_list_link_args *uap, register_t *rv)
{
	return policy_xattr_call(l, SCARG(uap, path), false, POLICY_XATTR_LIST,
	    SCARG(uap, attrnamespace), NULL, SCARG(uap, data),
	    SCARG(uap, nbytes), EXTATTR_LIST_LENPREFIX, rv);
}

static int
policy_setxattr1(struct lwp *l, const char *upath, bool follow,
    const char *uname, const void *value, size_t size, int flags,
    register_t *rv)
{
	register_t len;
	int error;

	error = policy_xattr_call(l, upath, follow, POLICY_XATTR_SET, -1, uname,
	    __UNCONST(value), size, flags, &len);
	*rv = error == 0 ? 0 : -1;
	return XATTR_ERRNO(error);
}

static int
policy_sys_setxattr(struct lwp *l, const struct sys_setxattr_args *uap,
    register_t *rv)
{
	return policy_setxattr1(l, SCARG(uap, path), true, SCARG(uap, name),
	    SCARG(uap, value), SCARG(uap, size), SCARG(uap, flags), rv);
}

static int
policy_sys_lsetxattr(struct lwp *l, const struct sys_lsetxattr_args *uap,
    register_t *rv)
{
	return policy_setxattr1(l, SCARG(uap, path), false, SCARG(uap, name),
	    SCARG(uap, value), SCARG(uap, size), SCARG(uap, flags), rv);
}

static int
policy_sys_getxattr(struct lwp *l, const struct sys_getxattr_args *uap,
    register_t *rv)
{
	return XATTR_ERRNO(policy_xattr_call(l, SCARG(uap, path), true,
	    POLICY_XATTR_GET, -1, SCARG(uap, name), SCARG(uap, value),
	    SCARG(uap, size), 0, rv));
}

static int
policy_sys_lgetxattr(struct lwp *l, const struct sys_lgetxattr_args *uap,
    register_t *rv)
{
	return XATTR_ERRNO(policy_xattr_call(l, SCARG(uap, path), false,
	    POLICY_XATTR_GET, -1, SCARG(uap, name), SCARG(uap, value),
	    SCARG(uap, size), 0, rv));
}

/* listxattr: the user namespace, then the system one where permitted. */
static int
policy_sys_listxattr(struct lwp *l, const struct sys_listxattr_args *uap,
    register_t *rv)
{
	return XATTR_ERRNO(policy_xattr_call(l, SCARG(uap, path), true,
	    POLICY_XATTR_LISTX, EXTATTR_NAMESPACE_USER, NULL, SCARG(uap, list),
	    SCARG(uap, size), 0, rv));
}

static int
policy_sys_llistxattr(struct lwp *l, const struct sys_llistxattr_args *uap,
    register_t *rv)
{
	return XATTR_ERRNO(policy_xattr_call(l, SCARG(uap, path), false,
	    POLICY_XATTR_LISTX, EXTATTR_NAMESPACE_USER, NULL, SCARG(uap, list),
	    SCARG(uap, size), 0, rv));
}

static int
policy_sys_removexattr(struct lwp *l, const struct sys_removexattr_args *uap,
    register_t *rv)
{
	return XATTR_ERRNO(policy_xattr_call(l, SCARG(uap, path), true,
	    POLICY_XATTR_DELETE, -1, SCARG(uap, name), NULL, 0, 0, rv));
}

static int
policy_sys_lremovexattr(struct lwp *l,
    const struct sys_lremovexattr_args *uap, register_t *rv)
{
	return XATTR_ERRNO(policy_xattr_call(l, SCARG(uap, path), false,
	    POLICY_XATTR_DELETE, -1, SCARG(uap, name), NULL, 0, 0, rv));
}

#define POLICY_WRAP(fn)	{ (sy_call_t *)sys_##fn, (sy_call_t *)policy_sys_##fn }
const struct policy_wrap policy_xattr_wraps[] = {
	POLICY_WRAP(extattr_set_file), POLICY_WRAP(extattr_set_link),
	POLICY_WRAP(extattr_get_file), POLICY_WRAP(extattr_get_link),
	POLICY_WRAP(extattr_delete_file), POLICY_WRAP(extattr_delete_link),
	POLICY_WRAP(extattr_list_file), POLICY_WRAP(extattr_list_link),
	POLICY_WRAP(setxattr), POLICY_WRAP(lsetxattr), POLICY_WRAP(getxattr),
	POLICY_WRAP(lgetxattr), POLICY_WRAP(listxattr),
	POLICY_WRAP(llistxattr), POLICY_WRAP(removexattr),
	POLICY_WRAP(lremovexattr),
	{ NULL, NULL }
};
