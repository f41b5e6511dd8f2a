/* rk_swap.c: the kernel side of test_rswap.c: which directories a process is in (its working
 * directory and its root), and its root and working directory set back to the system's. */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/filedesc.h>
#include <sys/proc.h>
#include <sys/vnode.h>

#include <rump/rump.h>

static uint64_t
rk_swap_fileid(struct vnode *vp)
{
	struct vattr va;
	int error;

	vn_lock(vp, LK_SHARED | LK_RETRY);
	error = VOP_GETATTR(vp, &va, curlwp->l_cred);
	VOP_UNLOCK(vp);
	return error == 0 ? (uint64_t)va.va_fileid : 0;
}

/*
 * The file ids of the calling process's working directory and root; with
 * reset, both then set back to the system's root, as a new process has
 * them (fchroot(2) cannot leave a chroot).
 */
void
rump_policytest_dirs(uint64_t *cwd, uint64_t *root, int reset)
{
	struct cwdinfo *cwdi;
	struct vnode *old;

	rump_schedule();
	cwdi = curproc->p_cwdi;
	rw_enter(&cwdi->cwdi_lock, RW_WRITER);
	*cwd = rk_swap_fileid(cwdi->cwdi_cdir);
	*root = rk_swap_fileid(cwdi->cwdi_rdir != NULL ? cwdi->cwdi_rdir :
	    rootvnode);
	if (reset) {
		if ((old = cwdi->cwdi_rdir) != NULL) {
			cwdi->cwdi_rdir = NULL;
			vrele(old);
		}
		old = cwdi->cwdi_cdir;
		vref(rootvnode);
		cwdi->cwdi_cdir = rootvnode;
		vrele(old);
	}
	rw_exit(&cwdi->cwdi_lock);
	rump_unschedule();
}
