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
 * them here; no table holds them, so nothing calls them.
 */
int
sys_execve(struct lwp *l, const struct sys_execve_args *uap, register_t *rv)
{
	return ENOSYS;
}

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
