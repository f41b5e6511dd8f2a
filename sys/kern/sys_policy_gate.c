/* sys_policy_gate.c: complete mediation: a confined process runs under a shadow of its
 * emulation whose every system-call slot leads to the gate: a wrapper, a decision, a refusal. */
/*
 * NetBSD gives each process its system-call table through its emulation
 * (p_emul).  A confined process gets a copy of its emulation whose table
 * has the gate in every slot, sized as the emulation's own; nothing in the
 * kernel's tables changes, so unconfined processes are untouched and the
 * module works the same built in, loaded at boot or later (and in a rump
 * kernel, whose syscall components fill their slots after modules start).
 *
 * At each call the gate reads the handler in the emulation's own slot, so
 * a module that establishes its calls later is mediated too, and sends the
 * call, by handler, to the copy-once wrapper that stands in for it; by
 * name (sys_policy_class.c) to a decision, then the handler; or refuses
 * it.  Calls to slots with no handler yet (sys_nomodule) are decided by
 * name and then handled as the kernel would: the module is autoloaded and
 * the call restarted through the gate, or it fails with ENOSYS.
 *
 * Fork copies p_emul, so children are confined alike; exec sets it to the
 * new image's emulation, and the exec wrapper puts the shadow back
 * (policy_gate_exec) before the image runs.
 */
#ifdef _KERNEL_OPT
#include "opt_compat_netbsd32.h"
#include "opt_compat_linux.h"
#include "opt_compat_linux32.h"
#endif

#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/errno.h>
#include <sys/kmem.h>
#include <sys/module.h>
#include <sys/mutex.h>
#include <sys/proc.h>
#include <sys/queue.h>
#include <sys/signalvar.h>
#include <sys/syscall.h>
#include <sys/syscallvar.h>
#include <sys/syslog.h>

#include "sys_policy.h"

static const struct policy_emul_desc *const policy_descs[] = {
	&policy_native_desc,
#ifdef COMPAT_NETBSD32
	&policy_netbsd32_desc,
#endif
#ifdef COMPAT_LINUX
	&policy_linux_desc,
#endif
#ifdef COMPAT_LINUX32
	&policy_linux32_desc,
#endif
};

/* Calls let through whatever the policy says: refusing them cannot be honoured. */
static const char *const policy_always[] = {
	"exit", "exit_group", "lwp_exit", "restart_syscall", "rt_sigreturn",
	"setcontext", "sigreturn",
};

enum policy_slot_class {
	POLICY_SLOT_REFUSED,	/* names objects and has no wrapper */
	POLICY_SLOT_ALWAYS,
	POLICY_SLOT_BYNAME,	/* decided by name, then its handler */
	POLICY_SLOT_LISTEN,	/* by name, then its handler as a listen */
	POLICY_SLOT_NOSYS,	/* no such call: decided by name, then ENOSYS */
	POLICY_SLOT_NOMODULE,	/* decided by name, then autoload */
	POLICY_SLOT_WRAPPED,	/* its copy-once wrapper */
};

/* What the gate does with one slot, worked out for the handler it holds. */
struct policy_slot {
	sy_call_t	*ps_fn;
	sy_call_t	*ps_wrap;
	uint8_t		ps_class;
	char		ps_name[POLICY_SYSCALL_MAX];
};

struct policy_shadow {
	struct emul		ps_emul;	/* first: p_emul points here */
	const struct emul	*ps_orig;
	const struct policy_emul_desc *ps_desc;
	struct sysent		*ps_sysent;	/* the gate in every slot */
	struct policy_slot	*ps_slots;
	u_int			ps_nsysent;
	LIST_ENTRY(policy_shadow) ps_list;
};

static kmutex_t policy_gate_lock;
static LIST_HEAD(, policy_shadow) policy_shadows =
    LIST_HEAD_INITIALIZER(policy_shadows);

static int policy_gate(struct lwp *, const void *, register_t *);

static bool
policy_is_shadow(const struct emul *em)
{
	return em->e_sysent[0].sy_call == policy_gate;
}

static const struct policy_emul_desc *
policy_desc_of(const struct emul *em)
{
	const char *n;
	size_t i, len;

	for (i = 0; i < __arraycount(policy_descs); i++) {
		n = policy_descs[i]->ped_name;
		len = strlen(n);
		if (strncmp(em->e_name, n, len) == 0 &&
		    (em->e_name[len] == '\0' || em->e_name[len] == '-'))
			return policy_descs[i];
	}
	return NULL;
}

/* Wrappers of native handlers that every emulation's table may hold. */
static const struct policy_wrap *const policy_shared_wraps[] = {
	policy_xattr_wraps,
};

static sy_call_t *
policy_wrap_in(const struct policy_wrap *w, sy_call_t *fn)
{
	for (; w->pw_orig != NULL; w++)
		if (w->pw_orig == fn)
			return w->pw_call;
	return NULL;
}

static sy_call_t *
policy_wrap_of(sy_call_t *fn)
{
	sy_call_t *wrap = NULL;
	size_t i;

	for (i = 0; i < __arraycount(policy_descs) && wrap == NULL; i++)
		wrap = policy_wrap_in(policy_descs[i]->ped_wraps, fn);
	for (i = 0; i < __arraycount(policy_shared_wraps) && wrap == NULL; i++)
		wrap = policy_wrap_in(policy_shared_wraps[i], fn);
	return wrap;
}

static void
policy_slot_make(const struct policy_shadow *ps, u_int code, sy_call_t *fn,
    struct policy_slot *slot)
{
	const char *const *names = ps->ps_orig->e_syscallnames;
	size_t i;

	slot->ps_fn = fn;
	slot->ps_wrap = policy_wrap_of(fn);
	slot->ps_name[0] = '\0';
	if (names != NULL && names[code] != NULL)
		policy_class_name(names[code], slot->ps_name,
		    sizeof(slot->ps_name));
	if (slot->ps_wrap != NULL) {
		slot->ps_class = POLICY_SLOT_WRAPPED;
		return;
	}
	for (i = 0; i < __arraycount(policy_always); i++)
		if (strcmp(slot->ps_name, policy_always[i]) == 0) {
			slot->ps_class = POLICY_SLOT_ALWAYS;
			return;
		}
	if (fn == sys_nomodule)
		slot->ps_class = POLICY_SLOT_NOMODULE;
	else if (fn == sys_nosys || fn == (sy_call_t *)(void *)enosys ||
	    fn == ps->ps_desc->ped_nosys)
		slot->ps_class = POLICY_SLOT_NOSYS;
	else if (slot->ps_name[0] != '\0' &&
	    policy_class_byname(slot->ps_name))
		slot->ps_class = strcmp(slot->ps_name, "listen") == 0 ?
		    POLICY_SLOT_LISTEN : POLICY_SLOT_BYNAME;
	else
		slot->ps_class = POLICY_SLOT_REFUSED;
}

/* A request for the call by name: the engine decides it as "syscall". */
static struct policy_call *
policy_gate_call(struct lwp *l, const struct policy_slot *slot, u_int code)
{
	struct policy_call *pc = policy_call_begin(l, POLICY_OP_SYSCALL);
	char num[16];

	if (slot->ps_name[0] != '\0')
		policy_req_str(&pc->pc_req, POLICY_F_SYSCALL, slot->ps_name,
		    strlen(slot->ps_name));
	else {
		snprintf(num, sizeof(num), "#%u", code);
		policy_req_str(&pc->pc_req, POLICY_F_SYSCALL, num, strlen(num));
	}
	return pc;
}

/*
 * No handler yet: what sys_nomodule does, for the emulation's own slot
 * (the kernel's version would look at the shadow's): autoload the module
 * that provides the call and restart it, which brings it back here with
 * the handler in place; else no such call.
 */
static int
policy_gate_nomodule(struct lwp *l, const struct policy_shadow *ps,
    u_int code, const void *uap, register_t *retval)
{
	const struct sysent *sy = &ps->ps_orig->e_sysent[code];
	const struct sc_autoload *al;

	kernconfig_lock();
	if (sy->sy_call != sys_nomodule) {
		kernconfig_unlock();
		return ERESTART;
	}
	for (al = ps->ps_orig->e_sc_autoload; al != NULL && al->al_code > 0;
	    al++) {
		if (al->al_code != code)
			continue;
		if (module_autoload(al->al_module, MODULE_CLASS_ANY) == 0 &&
		    sy->sy_call != sys_nomodule) {
			kernconfig_unlock();
			return ERESTART;
		}
		break;
	}
	kernconfig_unlock();
	return sys_nosys(l, uap, retval);
}

static int
policy_gate(struct lwp *l, const void *uap, register_t *retval)
{
	struct policy_shadow *ps = (struct policy_shadow *)l->l_proc->p_emul;
	const struct sysent *sh = l->l_sysent, *sy;
	const struct policy_slot *slot;
	struct policy_slot fresh;
	struct policy_call *pc;
	sy_call_t *fn;
	u_int code;
	int error;

	if (sh < ps->ps_sysent || sh >= ps->ps_sysent + ps->ps_nsysent)
		return ENOSYS;		/* not ours: cannot happen */
	code = (u_int)(sh - ps->ps_sysent);
	sy = &ps->ps_orig->e_sysent[code];
	fn = sy->sy_call;
	slot = &ps->ps_slots[code];
	if (slot->ps_fn != fn) {	/* a module changed the slot */
		policy_slot_make(ps, code, fn, &fresh);
		slot = &fresh;
	}
	/* The slot really in use, for syscall_disestablish's drain and the wrappers. */
	l->l_sysent = sy;
	if (!policy_lwp_confined(l) || slot->ps_class == POLICY_SLOT_ALWAYS)
		return (*fn)(l, uap, retval);
	if (slot->ps_class == POLICY_SLOT_WRAPPED)
		return (*slot->ps_wrap)(l, uap, retval);
	pc = policy_gate_call(l, slot, code);
	if (slot->ps_class == POLICY_SLOT_REFUSED)
		error = policy_call_refuse(pc,
		    "names an object and has no copy-once wrapper");
	else
		error = policy_call_decide(pc);
	policy_call_end(pc);
	if (error != 0)
		return error;
	if (slot->ps_class == POLICY_SLOT_NOMODULE)
		return policy_gate_nomodule(l, ps, code, uap, retval);
	if (slot->ps_class == POLICY_SLOT_LISTEN)
		return policy_core_listen(l, fn, uap, retval);
	return (*fn)(l, uap, retval);
}

static void
policy_shadow_free(struct policy_shadow *ps)
{
	kmem_free(ps->ps_slots, ps->ps_nsysent * sizeof(*ps->ps_slots));
	kmem_free(ps->ps_sysent, ps->ps_nsysent * sizeof(*ps->ps_sysent));
	kmem_free(ps, sizeof(*ps));
}

static struct policy_shadow *
policy_shadow_make(const struct emul *em, const struct policy_emul_desc *d)
{
	struct policy_shadow *ps;
	u_int i, n = POLICY_EMUL_NSYSENT(em, d);

	ps = kmem_zalloc(sizeof(*ps), KM_SLEEP);
	ps->ps_emul = *em;
	ps->ps_orig = em;
	ps->ps_desc = d;
	ps->ps_nsysent = n;
	ps->ps_sysent = kmem_zalloc(n * sizeof(*ps->ps_sysent), KM_SLEEP);
	ps->ps_slots = kmem_zalloc(n * sizeof(*ps->ps_slots), KM_SLEEP);
	for (i = 0; i < n; i++) {
		ps->ps_sysent[i] = em->e_sysent[i];
		ps->ps_sysent[i].sy_call = policy_gate;
		policy_slot_make(ps, i, em->e_sysent[i].sy_call,
		    &ps->ps_slots[i]);
	}
	ps->ps_emul.e_sysent = ps->ps_sysent;
	return ps;
}

/* The shadow of em, made the first time it is needed; NULL if not mediated. */
static struct policy_shadow *
policy_shadow_of(const struct emul *em)
{
	const struct policy_emul_desc *d;
	struct policy_shadow *ps, *nps;

	if (policy_is_shadow(em))
		return (struct policy_shadow *)__UNCONST(em);
	if ((d = policy_desc_of(em)) == NULL)
		return NULL;
	mutex_enter(&policy_gate_lock);
	LIST_FOREACH(ps, &policy_shadows, ps_list)
		if (ps->ps_orig == em)
			break;
	mutex_exit(&policy_gate_lock);
	if (ps != NULL)
		return ps;
	nps = policy_shadow_make(em, d);
	mutex_enter(&policy_gate_lock);
	LIST_FOREACH(ps, &policy_shadows, ps_list)
		if (ps->ps_orig == em)
			break;
	if (ps == NULL) {
		membar_producer();	/* complete before anyone can see it */
		LIST_INSERT_HEAD(&policy_shadows, nps, ps_list);
		ps = nps;
		nps = NULL;
	}
	mutex_exit(&policy_gate_lock);
	if (nps != NULL)
		policy_shadow_free(nps);
	return ps;
}

int
policy_gate_confine(struct lwp *l)
{
	struct proc *p = l->l_proc;
	struct policy_shadow *ps;

	if ((ps = policy_shadow_of(p->p_emul)) == NULL)
		return EOPNOTSUPP;
	p->p_emul = &ps->ps_emul;
	return 0;
}

/*
 * A confined process's child, from the credential's fork notification:
 * fork copies the parent's emulation, which is a shadow already; a kernel
 * that gives new processes another emulation (a rump kernel's rfork gives
 * its default one) gets the shadow of that.  No shadow: the child is killed
 * before it runs.
 */
void
policy_gate_fork(struct proc *child)
{
	struct policy_shadow *ps;

	if ((ps = policy_shadow_of(child->p_emul)) != NULL) {
		child->p_emul = &ps->ps_emul;
		return;
	}
	log(LOG_WARNING, "policy: pid %d: child under emulation \"%s\", which "
	    "the policy cannot mediate: killed\n", child->p_pid,
	    child->p_emul->e_name);
	mutex_enter(proc_lock);
	psignal(child, SIGKILL);
	mutex_exit(proc_lock);
}

/*
 * After an exec the process has one lwp, this one, in the kernel: put the
 * shadow of the new emulation in place before the image runs, or kill it
 * when no shadow can mediate that emulation.
 */
void
policy_gate_exec(struct lwp *l)
{
	struct proc *p = l->l_proc;
	struct policy_shadow *ps;

	if ((ps = policy_shadow_of(p->p_emul)) != NULL) {
		p->p_emul = &ps->ps_emul;
		return;
	}
	log(LOG_WARNING, "policy: pid %d: exec into emulation \"%s\", which "
	    "the policy cannot mediate: killed\n", p->p_pid, p->p_emul->e_name);
	mutex_enter(proc_lock);
	psignal(p, SIGKILL);
	mutex_exit(proc_lock);
}

unsigned
policy_gate_emul(struct lwp *l)
{
	const struct emul *em = l->l_proc->p_emul;

	if (!policy_is_shadow(em))
		return POLICY_EMUL_NATIVE;
	return ((const struct policy_shadow *)em)->ps_desc->ped_emul;
}

int
policy_gate_init(void)
{
	mutex_init(&policy_gate_lock, MUTEX_DEFAULT, IPL_NONE);
	return 0;
}

/* Called when no process is confined, so no process runs under a shadow. */
int
policy_gate_fini(void)
{
	struct policy_shadow *ps;

	while ((ps = LIST_FIRST(&policy_shadows)) != NULL) {
		LIST_REMOVE(ps, ps_list);
		policy_shadow_free(ps);
	}
	mutex_destroy(&policy_gate_lock);
	return 0;
}
