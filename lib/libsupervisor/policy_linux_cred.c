/* policy_linux_cred.c: credentials a thread of the supervisor acts with: a target's fsuid,
 * fsgid, groups and capabilities read from /proc and taken on per thread, or its own. */
/*
 * Every file and socket operation the supervisor performs for a target
 * (its path walk, open, unlink, connect, bind, ...) is checked by the
 * kernel against the credentials of the thread performing it.  A root
 * supervisor acting for a target that dropped its privileges must not
 * lend it root's: so before walking a target's path and acting on it, the
 * performing thread takes on the target thread's fsuid, fsgid,
 * supplementary groups and effective capabilities, and it takes its own
 * back before touching the target (process_vm_readv, pidfd_getfd and
 * /proc/PID/cwd need the supervisor's ptrace rights).
 *
 * All of it is per thread: setfsuid(2), setfsgid(2) and capset(2) are,
 * and setgroups(2) is called as the raw system call (glibc's wrapper
 * changes every thread of the process).  The thread remembers what it has
 * taken on, so a call from a target whose credentials equal the
 * supervisor's (the usual, unprivileged case) costs nothing, and
 * consecutive calls of one target switch once.
 *
 * The credentials are read from /proc/TID/status and cached per thread
 * (policy_linux_task.c).  Only the thread itself can change them, with the
 * set*id family or capset, which the filter sends to the supervisor (so the
 * cache entry is dropped before the call runs), or by executing a program
 * (dropped at the exec event).  The umask, which threads may share, is
 * read afresh whenever a call creates something.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/capability.h>

#include "policy_linux.h"

#define CAP_BIT(c)	(1ull << (c))

/* What this thread has taken on: 0, the supervisor's own credentials. */
static __thread int tl_target;
static __thread struct policy_linux_cred tl_cur;

/*
 * Read a thread's credentials, umask and thread group from
 * /proc/TID/status.  0, or -ESRCH (gone) / -E2BIG (too many groups: the
 * caller fails the call rather than act with other groups).
 */
int
policy_linux_cred_read(pid_t tid, struct policy_linux_cred *cr, pid_t *tgidp)
{
	char buf[8192];
	const char *p;
	char *e;
	size_t got;
	int i;
	unsigned long v[4];

	if ((got = policy_linux_status(tid, buf, sizeof(buf))) == 0)
		return -ESRCH;
	if (got == sizeof(buf) - 1)
		return -E2BIG;
	memset(cr, 0, offsetof(struct policy_linux_cred, cr_groups));
	cr->cr_umask = -1;
	if ((p = policy_linux_field(buf, "Umask:")) != NULL)
		cr->cr_umask = (int)strtol(p, NULL, 8) & 0777;
	if (tgidp != NULL) {
		if ((p = policy_linux_field(buf, "Tgid:")) == NULL)
			return -ESRCH;
		*tgidp = (pid_t)strtol(p, NULL, 10);
	}
	/* Uid: real effective saved fs */
	if ((p = policy_linux_field(buf, "Uid:")) == NULL)
		return -ESRCH;
	for (i = 0; i < 4; i++, p = e)
		v[i] = strtoul(p, &e, 10);
	cr->cr_fsuid = (uid_t)v[3];
	cr->cr_ruid = (uid_t)v[0];
	if ((p = policy_linux_field(buf, "Gid:")) == NULL)
		return -ESRCH;
	for (i = 0; i < 4; i++, p = e)
		v[i] = strtoul(p, &e, 10);
	cr->cr_fsgid = (gid_t)v[3];
	cr->cr_rgid = (gid_t)v[0];
	if ((p = policy_linux_field(buf, "Groups:")) == NULL)
		return -ESRCH;
	for (;;) {
		unsigned long g;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p < '0' || *p > '9')
			break;
		g = strtoul(p, &e, 10);
		if (cr->cr_ngroups == POLICY_LINUX_NGROUPS)
			return -E2BIG;
		cr->cr_groups[cr->cr_ngroups++] = (gid_t)g;
		p = e;
	}
	if ((p = policy_linux_field(buf, "CapEff:")) == NULL)
		return -ESRCH;
	cr->cr_cap = strtoull(p, NULL, 16);
	if ((p = policy_linux_field(buf, "CapPrm:")) == NULL)
		return -ESRCH;
	cr->cr_capprm = strtoull(p, NULL, 16);
	return 0;
}

static bool
policy_linux_cred_same(const struct policy_linux_cred *a,
    const struct policy_linux_cred *b, uint64_t acap)
{
	return a->cr_fsuid == b->cr_fsuid && a->cr_fsgid == b->cr_fsgid &&
	    acap == b->cr_cap && a->cr_ngroups == b->cr_ngroups &&
	    memcmp(a->cr_groups, b->cr_groups,
	    (size_t)a->cr_ngroups * sizeof(gid_t)) == 0;
}

static int
policy_linux_capset(uint64_t eff, uint64_t perm, uint64_t inh)
{
	struct __user_cap_header_struct h;
	struct __user_cap_data_struct d[2];

	memset(&h, 0, sizeof(h));
	h.version = _LINUX_CAPABILITY_VERSION_3;
	d[0].effective = (uint32_t)eff;
	d[1].effective = (uint32_t)(eff >> 32);
	d[0].permitted = (uint32_t)perm;
	d[1].permitted = (uint32_t)(perm >> 32);
	d[0].inheritable = (uint32_t)inh;
	d[1].inheritable = (uint32_t)(inh >> 32);
	return (int)syscall(SYS_capset, &h, d);
}

static int
policy_linux_capget(uint64_t *perm, uint64_t *inh)
{
	struct __user_cap_header_struct h;
	struct __user_cap_data_struct d[2];

	memset(&h, 0, sizeof(h));
	h.version = _LINUX_CAPABILITY_VERSION_3;
	if (syscall(SYS_capget, &h, d) != 0)
		return -errno;
	*perm = (uint64_t)d[1].permitted << 32 | d[0].permitted;
	*inh = (uint64_t)d[1].inheritable << 32 | d[0].inheritable;
	return 0;
}

/* Our own credentials, and the permitted and inheritable sets capset
 * must keep (the supervisor's, whichever policy_sup is running). */
static struct policy_linux_cred self_cred;
static uint64_t self_perm, self_inh;
static FILE *self_log;

/* The supervisor's own credentials, read once by the launching thread. */
int
policy_linux_cred_init(struct policy_sup *s)
{
	int r;

	tl_target = 0;
	if ((r = policy_linux_cred_read((pid_t)syscall(SYS_gettid), &s->s_cred,
	    NULL)) != 0)
		return r;
	memcpy(&self_cred, &s->s_cred, sizeof(self_cred));
	self_log = s->s_log;
	return policy_linux_capget(&self_perm, &self_inh);
}

/* Take the supervisor's own credentials back on this thread (s may be
 * NULL: they are the process's). */
void
policy_linux_as_self(const struct policy_sup *s)
{
	const struct policy_linux_cred *me = &self_cred;
	int bad = 0;

	if (!tl_target)
		return;
	/* capabilities first: they allow the rest */
	if (policy_linux_capset(me->cr_cap, self_perm, self_inh) != 0)
		bad = 1;
	(void)syscall(SYS_setfsuid, me->cr_fsuid);
	(void)syscall(SYS_setfsgid, me->cr_fsgid);
	if ((tl_cur.cr_ngroups != me->cr_ngroups || memcmp(tl_cur.cr_groups,
	    me->cr_groups, (size_t)me->cr_ngroups * sizeof(gid_t)) != 0) &&
	    syscall(SYS_setgroups, (size_t)me->cr_ngroups, me->cr_groups) != 0)
		bad = 1;
	if (bad || (uid_t)syscall(SYS_setfsuid, -1) != me->cr_fsuid ||
	    (gid_t)syscall(SYS_setfsgid, -1) != me->cr_fsgid) {
		/* Cannot happen with the privileges we had; if it does, this
		 * thread is left with less privilege, never more. */
		(void)s;
		if (self_log != NULL) {
			fprintf(self_log, "policyctl: cannot restore the "
			    "supervisor's credentials on a thread\n");
			fflush(self_log);
		}
	}
	tl_target = 0;
}

/*
 * Take on cr on this thread (selfproc: the object is in the target's own
 * /proc/PID, which a process may always inspect, so keep CAP_SYS_PTRACE
 * if we have it).  0, or -EPERM when the switch failed (then the
 * supervisor's own credentials are back and the call must fail).
 */
int
policy_linux_cred_apply(const struct policy_sup *s,
    const struct policy_linux_cred *cr, int selfproc)
{
	const struct policy_linux_cred *me = &self_cred;
	uint64_t cap = cr->cr_cap & self_perm;

	if (selfproc)
		cap |= me->cr_cap & CAP_BIT(CAP_SYS_PTRACE);
	if (policy_linux_cred_same(cr, me, cap)) {
		policy_linux_as_self(s);
		return 0;
	}
	if (tl_target && policy_linux_cred_same(cr, &tl_cur, cap))
		return 0;
	policy_linux_as_self(s);
	if (cr->cr_ngroups != me->cr_ngroups || memcmp(cr->cr_groups,
	    me->cr_groups, (size_t)cr->cr_ngroups * sizeof(gid_t)) != 0) {
		if (syscall(SYS_setgroups, (size_t)cr->cr_ngroups,
		    cr->cr_groups) != 0)
			goto fail;
	}
	tl_target = 1;		/* from here on, as_self() undoes it */
	memcpy(&tl_cur, cr, sizeof(tl_cur));
	tl_cur.cr_cap = cap;
	(void)syscall(SYS_setfsgid, cr->cr_fsgid);
	(void)syscall(SYS_setfsuid, cr->cr_fsuid);
	if ((gid_t)syscall(SYS_setfsgid, -1) != cr->cr_fsgid ||
	    (uid_t)syscall(SYS_setfsuid, -1) != cr->cr_fsuid)
		goto fail;
	/* setfsuid() to nonzero dropped the file capabilities from the
	 * effective set; set exactly the target's (within ours). */
	if (policy_linux_capset(cap, self_perm, self_inh) != 0)
		goto fail;
	return 0;
fail:
	tl_target = 1;
	memcpy(&tl_cur, cr, sizeof(tl_cur));
	tl_cur.cr_ngroups = -1;		/* force the groups back */
	policy_linux_as_self(s);
	return -EPERM;
}
