/* rk_exec.c: exec for the rump kernel, which has none: a sys_execve that reads its path and argv
 * from user space again and sets the image and ps_strings as execve1 does; test_rexec.c's hooks. */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/errno.h>
#include <sys/exec.h>
#include <sys/kmem.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/proc.h>
#include <sys/signalvar.h>
#include <sys/syscall.h>
#include <sys/syscallargs.h>
#include <sys/vnode.h>

#include <rump/rump.h>

#define RK_EXEC_ARGC	256		/* arguments a new image may get */
#define RK_EXEC_STRMAX	16384		/* and their bytes */

/* Host memory the new images' ps_strings go to: their stack, as it were. */
static void *rk_exec_base;
static size_t rk_exec_len;
static bool rk_exec_32;			/* the new images are 32-bit ones */
/* Called once, by the next exec, before it reads its arguments (test_rexec.c). */
static void (*volatile rk_exec_tamper)(void);

/* argv as user space holds it now: strings into buf, their offsets into off; none: EINVAL. */
static int
rk_exec_args(char *const *uargv, char *buf, size_t *off, size_t *argcp)
{
	const char *up;
	size_t used = 0, done, i;
	int error;

	if (uargv == NULL)
		return EINVAL;
	for (i = 0;; i++) {
		if ((error = copyin(&uargv[i], &up, sizeof(up))) != 0)
			return error;
		if (up == NULL)
			break;
		if (i == RK_EXEC_ARGC)
			return E2BIG;
		error = copyinstr(up, buf + used, RK_EXEC_STRMAX - used, &done);
		if (error != 0)
			return error == ENAMETOOLONG ? E2BIG : error;
		off[i] = used;
		used += done;
	}
	*argcp = i;
	return 0;
}

/*
 * The new image's ps_strings, argv vector (an empty environment after it)
 * and strings, laid out at the registered area and copied out there; for
 * a 32-bit image (rk_exec_32) in their 32-bit forms, below 4 GB.
 */
static int
rk_exec_psstrings(const char *buf, const size_t *off, size_t argc)
{
	char *k, *ubase = rk_exec_base;
	uintptr_t uvec, ustr;
	size_t psz = rk_exec_32 ? sizeof(uint32_t) : sizeof(char *);
	size_t head, vecsz, strsz, need, i;
	struct ps_strings *ps;
	struct ps_strings32 *ps32;
	int error;

	if (ubase == NULL)
		return ENOEXEC;
	head = roundup(rk_exec_32 ? sizeof(*ps32) : sizeof(*ps), psz);
	vecsz = (argc + 2) * psz;
	strsz = argc == 0 ? 0 : off[argc - 1] + strlen(buf + off[argc - 1]) + 1;
	need = head + vecsz + strsz;
	if (need > rk_exec_len)
		return E2BIG;
	if (rk_exec_32 && (uintptr_t)ubase + need > UINT32_MAX)
		return ENOEXEC;
	k = kmem_zalloc(need, KM_SLEEP);
	uvec = (uintptr_t)ubase + head;
	ustr = uvec + vecsz;
	for (i = 0; i < argc; i++) {	/* then NULL: argv's end, envp's */
		if (rk_exec_32)
			((uint32_t *)(k + head))[i] = (uint32_t)(ustr + off[i]);
		else
			((char **)(k + head))[i] = (char *)(ustr + off[i]);
	}
	memcpy(k + head + vecsz, buf, strsz);
	if (rk_exec_32) {
		ps32 = (struct ps_strings32 *)k;
		ps32->ps_argvstr = (uint32_t)uvec;
		ps32->ps_nargvstr = (int32_t)argc;
		ps32->ps_envstr = (uint32_t)(uvec + (argc + 1) * psz);
		ps32->ps_nenvstr = 0;
	} else {
		ps = (struct ps_strings *)k;
		ps->ps_argvstr = (char **)uvec;
		ps->ps_nargvstr = (int)argc;
		ps->ps_envstr = (char **)(uvec + (argc + 1) * psz);
		ps->ps_nenvstr = 0;
	}
	error = copyout(k, ubase, need);
	kmem_free(k, need);
	return error;
}

/*
 * What execve1 does with its arguments, minus loading the image: the path
 * is copied in from user space and looked up (the user's pointer: what its
 * memory holds now is what runs), the file must be a regular, executable
 * file on a mount that allows exec, and then argv is read from user space
 * again, string by string (a NULL argv: EINVAL).  Past the point of no
 * return the new stack gets ps_strings (here: the registered area) and
 * p_psstrp points at it, the image's vnode becomes p_textvp (the old one
 * released), PK_32 says whether the image is a 32-bit one, and the process
 * takes the emulation of the image's format, the native one (even for a
 * 32-bit image: this kernel has no netbsd32), and its syscall_intern (in a
 * rump kernel it clears p_emuldata, the errno table rump_syscall()
 * translates the result with, which a process made under rump's default
 * Linux emulation keeps).  The caller's argv is read natively whatever its
 * width.  envp is not read: the new image gets an empty environment.
 * EJUSTRETURN, as a successful exec returns.
 */
int
sys_execve(struct lwp *l, const struct sys_execve_args *uap, register_t *rv)
{
	struct proc *p = l->l_proc;
	void (*tamper)(void);
	struct pathbuf *pb;
	struct nameidata nd;
	struct vnode *vp, *ovp;
	size_t *off, argc = 0;
	char *buf;
	int error;

	if ((tamper = atomic_swap_ptr(&rk_exec_tamper, NULL)) != NULL)
		(*tamper)();
	if ((error = pathbuf_copyin(SCARG(uap, path), &pb)) != 0)
		return error;
	NDINIT(&nd, LOOKUP, FOLLOW | LOCKLEAF | TRYEMULROOT, pb);
	error = namei(&nd);
	pathbuf_destroy(pb);
	if (error != 0)
		return error;
	vp = nd.ni_vp;
	if (vp->v_type != VREG || (vp->v_mount->mnt_flag & MNT_NOEXEC) != 0)
		error = EACCES;
	else
		error = VOP_ACCESS(vp, VEXEC, l->l_cred);
	VOP_UNLOCK(vp);
	if (error != 0) {
		vrele(vp);
		return error;
	}
	buf = kmem_alloc(RK_EXEC_STRMAX, KM_SLEEP);
	off = kmem_alloc(RK_EXEC_ARGC * sizeof(*off), KM_SLEEP);
	error = rk_exec_args(SCARG(uap, argp), buf, off, &argc);
	if (error == 0)
		error = rk_exec_psstrings(buf, off, argc);
	kmem_free(off, RK_EXEC_ARGC * sizeof(*off));
	kmem_free(buf, RK_EXEC_STRMAX);
	if (error != 0) {
		vrele(vp);
		return error;
	}
	/* The point of no return: namei's reference becomes the image's. */
	p->p_psstrp = (vaddr_t)rk_exec_base;
	mutex_enter(p->p_lock);
	if (rk_exec_32)
		p->p_flag |= PK_32;
	else
		p->p_flag &= ~PK_32;
	mutex_exit(p->p_lock);
	ovp = p->p_textvp;
	p->p_textvp = vp;
	if (ovp != NULL)
		vrele(ovp);
	p->p_emul = &emul_netbsd;
#ifdef __HAVE_SYSCALL_INTERN
	(*p->p_emul->e_syscall_intern)(p);
#endif
	return EJUSTRETURN;
}

/*
 * Where new images' ps_strings go; and sys_execve into the native table's
 * execve slot, which holds enosys in a rump kernel (the gate wraps a slot
 * by the handler it holds).  EBUSY if the slot holds something else.
 */
int
rump_policytest_exec_area(void *base, size_t len)
{
	struct sysent *sy = &sysent[SYS_execve];
	int error = 0;

	rump_schedule();
	kernconfig_lock();
	if (sy->sy_call == (sy_call_t *)(void *)enosys) {
		sy->sy_narg = sizeof(struct sys_execve_args) / sizeof(register_t);
		sy->sy_argsize = sizeof(struct sys_execve_args);
		sy->sy_call = (sy_call_t *)sys_execve;
	} else if (sy->sy_call != (sy_call_t *)sys_execve)
		error = EBUSY;
	if (error == 0) {
		rk_exec_base = base;
		rk_exec_len = len;
	}
	kernconfig_unlock();
	rump_unschedule();
	return error;
}

/* The next images are 32-bit ones (on) or native ones. */
void
rump_policytest_exec_32(int on)
{
	rk_exec_32 = on != 0;
}

/* fn is called by the next exec before it reads its arguments. */
void
rump_policytest_exec_tamper(void (*fn)(void))
{
	atomic_swap_ptr(&rk_exec_tamper, fn);
}

/* 1 if SIGKILL is pending on process pid (<= 0: the current one), 0 if not, -1: no such process. */
int
rump_policytest_killed(int pid)
{
	struct proc *p;
	int killed = -1;

	rump_schedule();
	mutex_enter(proc_lock);
	p = pid > 0 ? proc_find_raw(pid) : curproc;
	if (p != NULL) {
		mutex_enter(p->p_lock);
		killed = sigismember(&p->p_sigpend.sp_set, SIGKILL) ? 1 : 0;
		mutex_exit(p->p_lock);
	}
	mutex_exit(proc_lock);
	rump_unschedule();
	return killed;
}

/*
 * The current process's image: its file id (0: none) and its ps_strings
 * (*psstrp).  release: the image let go of, as exit does (a rump kernel's
 * process exit does not know of p_textvp).
 */
uint64_t
rump_policytest_exec_image(void **psstrp, int release)
{
	struct proc *p;
	struct vnode *vp;
	struct vattr va;
	uint64_t id = 0;

	rump_schedule();
	p = curproc;
	if (psstrp != NULL)
		*psstrp = (void *)p->p_psstrp;
	if ((vp = p->p_textvp) != NULL) {
		vn_lock(vp, LK_SHARED | LK_RETRY);
		if (VOP_GETATTR(vp, &va, curlwp->l_cred) == 0)
			id = va.va_fileid;
		VOP_UNLOCK(vp);
		if (release) {
			p->p_textvp = NULL;
			vrele(vp);
		}
	}
	rump_unschedule();
	return id;
}

/* References held on the vnode path names, besides this lookup's; -errno if none. */
int
rump_policytest_usecount(const char *path)
{
	struct pathbuf *pb;
	struct nameidata nd;
	int n;

	rump_schedule();
	if ((pb = pathbuf_create(path)) == NULL)
		n = -ENOMEM;
	else {
		NDINIT(&nd, LOOKUP, FOLLOW | TRYEMULROOT, pb);
		if ((n = namei(&nd)) != 0)
			n = -n;
		else {
			n = (int)nd.ni_vp->v_usecount - 1;
			vrele(nd.ni_vp);
		}
		pathbuf_destroy(pb);
	}
	rump_unschedule();
	return n;
}

/*
 * The console quiet or not for log(9): open as if syslogd had /dev/klog
 * open, when messages only go to the message buffer (the races kill often,
 * each with a warning).  The previous setting.
 */
int
rump_policytest_klog(int open)
{
	extern int log_open;
	int old;

	rump_schedule();
	old = log_open;
	log_open = open;
	rump_unschedule();
	return old;
}
