/* policy_linux_callcred.c: the credentials of the call being handled: its thread's (from
 * the task cache), those access(2) checks with, its umask; taken on to act for it. */
#include <errno.h>

#include "policy_linux.h"

/* The calling thread's credentials, from the cache or /proc. */
int
policy_linux_call_cred(struct policy_linux_call *c)
{
	int r;

	if (c->c_credok)
		return 0;
	if ((r = policy_linux_task_cred(c->c_sup, c->c_tid, &c->c_cred,
	    &c->c_tgid)) != 0)
		return r;
	c->c_credok = 1;
	return 0;
}

/* Act as the calling target thread from here on (see above). */
int
policy_linux_as_target(struct policy_linux_call *c, int selfproc)
{
	int r;

	if ((r = policy_linux_call_cred(c)) != 0)
		return r == -E2BIG ? -EPERM : r;
	return policy_linux_cred_apply(c->c_sup, &c->c_cred, selfproc);
}

/*
 * From here on, act as access(2) and faccessat(2) without AT_EACCESS check
 * for the caller: with its real user and group as the file system ids, and
 * no capabilities unless the real user is root (then the permitted ones),
 * for the lookup as for the check.  The kernel does the same.
 */
int
policy_linux_access_cred(struct policy_linux_call *c)
{
	int r;

	if ((r = policy_linux_call_cred(c)) != 0)
		return r;
	c->c_cred.cr_fsuid = c->c_cred.cr_ruid;
	c->c_cred.cr_fsgid = c->c_cred.cr_rgid;
	c->c_cred.cr_cap = c->c_cred.cr_ruid == 0 ? c->c_cred.cr_capprm : 0;
	return 0;
}

/* The target's umask now (creating calls), or 022 if it cannot be read. */
int
policy_linux_call_umask(struct policy_linux_call *c)
{
	struct policy_linux_cred cr;

	if (policy_linux_cred_read(c->c_tid, &cr, NULL) != 0 ||
	    cr.cr_umask < 0)
		return 022;
	return cr.cr_umask;
}
