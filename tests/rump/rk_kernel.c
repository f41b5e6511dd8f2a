/* rk_kernel.c: the kernel side of the rump tests, built with rumpkern-cc: what this rump kernel
 * lacks that the policy code names (it runs no programs), and the hooks the host tests call. */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/conf.h>
#include <sys/errno.h>
#include <sys/module.h>
#include <sys/proc.h>
#include <sys/syscallargs.h>

#include <rump/rump.h>

#include "../../sys/secmodel/policy/secmodel_policy.h"

/*
 * A rump kernel has no exec and no kill(2): the slots hold enosys.  The
 * wrappers still name the handlers they stand in for, so these stand for
 * them here; no table holds them, so nothing calls them.  (sys_execve is
 * rk_exec.c's, which test_rexec.c puts into the native table.)
 */
int
sys_fexecve(struct lwp *l, const struct sys_fexecve_args *uap, register_t *rv)
{
	return ENOSYS;
}

int
sys_kill(struct lwp *l, const struct sys_kill_args *uap, register_t *rv)
{
	return ENOSYS;
}

/*
 * A NetBSD kernel's emulations carry their system-call names
 * (e_syscallnames); rump's trimmed ones do not.  Give the calling process's
 * emulation the native names, which number its calls as NetBSD does (rump's
 * Linux table too), so that it looks like a real kernel's to the policy.
 */
void
rump_policytest_names(void)
{
	extern const char *const syscallnames[];
	struct emul *em;

	rump_schedule();
	em = curproc->p_emul;
	if (em->e_syscallnames == NULL)
		em->e_syscallnames = syscallnames;
	rump_unschedule();
}

/* The character major /dev/policy got. */
int
rump_policytest_major(void)
{
	devmajor_t m;

	rump_schedule();
	m = devsw_name2chr("policy", NULL, 0);
	rump_unschedule();
	return (int)m;
}

/* The emulation's name the calling process runs under. */
const char *
rump_policytest_emul(void)
{
	const char *n;

	rump_schedule();
	n = curproc->p_emul->e_name;
	rump_unschedule();
	return n;
}

/*
 * Unload (MODULE_CMD_FINI) or load (MODULE_CMD_INIT) the policy module as
 * modctl(2) does for a module loaded from a file: NetBSD keeps a built-in
 * secmodel loaded for good (module_do_unload refuses), and this kernel can
 * only have it built in.
 */
int
rump_policytest_modcmd(int init)
{
	module_t *mod;
	int error;

	rump_schedule();
	kernconfig_lock();
	TAILQ_FOREACH(mod, &module_list, mod_chain)
		if (strcmp(mod->mod_info->mi_name, "secmodel_policy") == 0)
			break;
	if (mod == NULL)
		error = ENOENT;
	else
		error = (*mod->mod_info->mi_modcmd)(init ? MODULE_CMD_INIT :
		    MODULE_CMD_FINI, NULL);
	kernconfig_unlock();
	rump_unschedule();
	return error;
}

/* Policies alive and the bytes they hold; decisions and refusals so far. */
void
rump_policytest_counts(unsigned *live, size_t *bytes, uint64_t *decided,
    uint64_t *refused)
{
	rump_schedule();
	*live = policy_cred_live();
	*bytes = policy_cred_bytes();
	*decided = policy_ndecided;
	*refused = policy_nrefused;
	rump_unschedule();
}

/* test_rdev.c: the "ask" timeout in ms (set when ms > 0); the one before. */
int
rump_policytest_ask_timeout(int ms)
{
	int old;

	rump_schedule();
	old = policy_ask_timeout_ms;
	if (ms > 0)
		policy_ask_timeout_ms = ms;
	rump_unschedule();
	return old;
}

/*
 * test_rdev.c: post signal sig to process pid as kill(2) would, and wake
 * its interruptibly sleeping lwps as a real kernel's sleep queue does for
 * a pending signal.  rump's cv_timedwait_sig() never looks at signals (its
 * RECORD model only leaves them pending), so the wake-up is rump's own
 * interruption, the one sysproxy gives the lwps of a process that goes
 * away: LW_RUMP_QEXIT, a broadcast of the condvar each sleeps on
 * (l_private), PS_RUMP_LWPEXIT, after which their wait returns EINTR.  The
 * flags are taken back once they have left their sleep.  Returns how many
 * lwps were woken, or -1 if there is no such process.
 */
int
rump_policytest_signal(int pid, int sig)
{
	struct proc *p;
	struct lwp *l;
	bool asleep;
	int n = 0, tries;

	rump_schedule();
	mutex_enter(proc_lock);
	if ((p = proc_find_raw(pid)) == NULL) {
		mutex_exit(proc_lock);
		rump_unschedule();
		return -1;
	}
	psignal(p, sig);
	mutex_enter(p->p_lock);
	LIST_FOREACH(l, &p->p_lwps, l_sibling) {
		if (l->l_private == NULL)
			continue;
		l->l_flag |= LW_RUMP_QEXIT;
		cv_broadcast(l->l_private);
		n++;
	}
	p->p_sflag |= PS_RUMP_LWPEXIT;
	cv_broadcast(&p->p_waitcv);
	mutex_exit(p->p_lock);
	mutex_exit(proc_lock);
	/* The process cannot go away: its lwps are still in their calls. */
	for (tries = 0; tries < 10 * hz; tries++) {
		asleep = false;
		mutex_enter(p->p_lock);
		LIST_FOREACH(l, &p->p_lwps, l_sibling)
			if ((l->l_flag & LW_RUMP_QEXIT) != 0 &&
			    l->l_private != NULL)
				asleep = true;
		mutex_exit(p->p_lock);
		if (!asleep)
			break;
		kpause("polsig", false, 1, NULL);
	}
	mutex_enter(p->p_lock);
	LIST_FOREACH(l, &p->p_lwps, l_sibling)
		l->l_flag &= ~LW_RUMP_QEXIT;
	p->p_sflag &= ~PS_RUMP_LWPEXIT;
	mutex_exit(p->p_lock);
	rump_unschedule();
	return n;
}

#include <sys/pool.h>
#include <sys/xcall.h>

/* Run on every CPU: its share of the file cache given back. */
static void
rump_policytest_drain_cpu(void *arg1, void *arg2)
{
	extern TAILQ_HEAD(, pool) pool_head;
	struct pool *pp;

	TAILQ_FOREACH(pp, &pool_head, pr_poollist)
		if (pp->pr_cache != NULL && strcmp(pp->pr_wchan, "file") == 0)
			pool_cache_invalidate(pp->pr_cache);
}

/*
 * test_rdev.c, test_rnet.c: a closed file's struct file waits in the file
 * cache with the credential it was opened with until it is reused, or
 * until memory pressure drains the cache: drained here.  A rump kernel
 * never sets mp_online, so pool_cache_invalidate() takes back only the
 * calling CPU's share: it is called on every CPU.
 */
void
rump_policytest_drain(void)
{
	rump_schedule();
	xc_wait(xc_broadcast(0, rump_policytest_drain_cpu, NULL, NULL));
	rump_unschedule();
}
