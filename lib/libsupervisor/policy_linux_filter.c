/* policy_linux_filter.c: compiles a policy to the seccomp BPF program the target runs:
 * integer-decidable calls answered in the kernel, pointer calls sent to the supervisor. */
/*
 * The program is written by hand rather than with libseccomp's rule API
 * (libseccomp is used only for syscall names) because we need exact control
 * of three things libseccomp 2.5 does not give us: the install flags
 * (SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV), the treatment of x32 and i386
 * entry (killed, explicitly, before anything else), and a per-syscall
 * argument test that falls back to the policy's own verdict rather than to
 * a filter-wide default.  The dispatch is a binary search over runs of
 * syscall numbers with the same verdict, so its cost is logarithmic.
 *
 * With several policies (program: switching), a call is answered in the
 * filter only when every policy answers it alike; otherwise it goes to
 * the supervisor, which decides with the caller's policy.  Calls that
 * change a thread's credentials (set*id, capset) are sent to the
 * supervisor when permitted, so that it can drop its cached copy of them.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/prctl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>

#include "policy_linux.h"
#include "policy_linux_landlock.h"

#define NR_MAX		POLICY_LINUX_NR_MAX
#define X32_BIT		0x40000000u
#define NS_FLAGS	(CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWPID | \
			 CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWUTS | \
			 CLONE_NEWCGROUP | 0x00000080 /* CLONE_NEWTIME */)
#define RET_DENY(e)	(SECCOMP_RET_ERRNO | ((uint32_t)(e) & SECCOMP_RET_DATA))

/*
 * Calls refused whatever the policy says, and why: io_uring performs
 * system calls the filter never sees; the others would give the target a
 * root directory, mount namespace or file handle the supervisor's path
 * resolution (done in our own namespace, from our own root) does not share,
 * or let it stall the supervisor's reads of its memory (userfaultfd).
 */
static const struct {
	const char	*name;
	int		error;
	const char	*why;		/* NULL: not a refusal, not logged */
} policy_linux_refused[] = {
	{ "io_uring_setup", EPERM, "io_uring submits system calls the "
	    "filter never sees" },
	{ "io_uring_enter", EPERM, "io_uring submits system calls the "
	    "filter never sees" },
	{ "io_uring_register", EPERM, "io_uring submits system calls the "
	    "filter never sees" },
	{ "chroot", EPERM, "a root directory the supervisor does not share" },
	{ "pivot_root", EPERM, "a root directory the supervisor does not "
	    "share" },
	{ "setns", EPERM, "a namespace the supervisor does not share" },
	{ "open_by_handle_at", EPERM, "a file handle bypasses path "
	    "decisions" },
	{ "userfaultfd", EPERM, "it could stall the supervisor's reads of "
	    "the program's memory" },
	{ "landlock_restrict_self", EPERM, "the supervisor carries out the "
	    "program's file calls and cannot apply a Landlock domain the "
	    "program gives itself" },
	{ "clone3", ENOSYS, NULL },	/* flags in memory: libc uses clone */
	/* a path the kernel then reads or writes, with no emulation here */
	{ "acct", EPERM, "the kernel appends to a file no decision covers" },
	{ "swapon", EPERM, "the kernel writes to a file no decision covers" },
	{ "swapoff", EPERM, "it names a file no decision covers" },
	{ "uselib", EPERM, "the kernel maps a file no decision covers" },
	{ "quotactl", EPERM, "it names a device and a quota file no "
	    "decision covers" },
	{ "fanotify_init", EPERM, "fanotify's events hand over descriptors "
	    "of files no decision covers" },
};

/*
 * The supervisor's own refusals, whatever the policy says: each is what a
 * rule "NAME: deny" would decide, and is logged as a denial with its
 * reason.  NULL if the call (name, arguments) is not one of them.
 */
const char *
policy_linux_refusal(const struct policy_sup *s, const char *name,
    const uint64_t *args, int *errp)
{
	size_t i;

	*errp = EPERM;
	for (i = 0; i < __arraycount(policy_linux_refused); i++)
		if (policy_linux_refused[i].why != NULL &&
		    strcmp(name, policy_linux_refused[i].name) == 0) {
			*errp = policy_linux_refused[i].error;
			return policy_linux_refused[i].why;
		}
	if ((strcmp(name, "clone") == 0 || strcmp(name, "unshare") == 0) &&
	    (args[0] & NS_FLAGS))
		return "a namespace the supervisor does not share";
	if (s->s_npols > 1 && strcmp(name, "clone") == 0 &&
	    (args[0] & CLONE_PARENT))
		return "with several policies a new process must be its "
		    "creator's child, to run under its policy";
	if (s->s_npols > 1 && strcmp(name, "prctl") == 0 &&
	    args[0] == PR_SET_CHILD_SUBREAPER)
		return "with several policies no confined process may adopt "
		    "orphans";
	return NULL;
}

/* Always let through: denying them cannot be meaningfully honoured. */
static const char *const policy_linux_always[] = {
	"exit", "exit_group", "rt_sigreturn", "restart_syscall",
};

/* Calls whose pid argument the supervisor checks is not its own. */
static const char *const policy_linux_pidcheck[] = {
	"process_vm_readv", "process_vm_writev", "pidfd_open",
	"kcmp", "process_madvise", "perf_event_open",
};

/* The seccomp return value for a decision made without the arguments. */
static uint32_t
policy_linux_verdict(const struct policy_sup *s, const struct policy_decision *d)
{
	if (s->s_verbose || d->pd_log)
		return SECCOMP_RET_USER_NOTIF;
	switch (d->pd_action) {
	case POLICY_ACT_PERMIT:
		return SECCOMP_RET_ALLOW;
	case POLICY_ACT_DENY:
		if (s->s_dry_run)
			return SECCOMP_RET_USER_NOTIF;
		return RET_DENY(d->pd_errno);
	default:
		return SECCOMP_RET_USER_NOTIF;	/* ask */
	}
}

#define VAL_NCLASS	4

/* A run of system call numbers with the same treatment. */
struct policy_linux_run {
	uint32_t	lo;		/* first number of the run */
	uint32_t	ret;		/* verdict */
	uint8_t		argtest;	/* ARG_*: arg0 tested first */
	uint8_t		argidx;		/* the argument the tests read (0: arg0) */
	uint32_t	argk;
	uint32_t	argret;		/* verdict when the test holds */
	uint8_t		argtest2;	/* ARG_*: then a second test */
	uint32_t	argk2;
	uint32_t	argret2;
	uint8_t		readtest;	/* then plain reads (READ_MASK clear)
					 * allowed */
	uint8_t		landlock;	/* then write opens to Landlock */
	uint8_t		valtest;	/* VAL_*: values of one argument */
	uint8_t		validx;		/* the argument (0: arg0) */
	uint8_t		nval;		/* classes of values, each a verdict */
	uint32_t	valret[VAL_NCLASS];
	uint64_t	valmask[VAL_NCLASS];	/* VAL_SET: values 0-63 */
};
#define ARG_NONE	0
#define ARG_JSET	1		/* arg0 & argk */
#define ARG_JEQ		2		/* arg0 == argk */
#define VAL_NONE	0
#define VAL_SET		1		/* (uint32_t)arg in valmask[k] */
#define VAL_ZERO64	2		/* arg == 0, all 64 bits: valret[0] */

/* Is the run decided by number alone (ret), no argument tested? */
static bool
policy_linux_run_by_number(const struct policy_linux_run *r)
{
	return r->argtest == ARG_NONE && r->argtest2 == ARG_NONE &&
	    r->valtest == VAL_NONE && !r->readtest;
}

/*
 * Calls let through by name only where another call, whose decision they
 * share, is: listen may bind (policy_linux_listen), pidfd_send_signal
 * signals (policy_linux_intop.c refuses it under kill rules with tests).
 */
static const struct {
	const char	*name;
	const char	*other;
	unsigned	op;
} policy_linux_byname_if[] = {
	{ "listen", "bind", POLICY_OP_BIND },
	{ "pidfd_send_signal", "kill", POLICY_OP_KILL },
};

/* The verdict one policy gives native system call nr (name, op). */
static uint32_t
policy_linux_pol_verdict(const struct policy_sup *s, const struct policy *p,
    const char *name, int op)
{
	struct policy_request req;
	struct policy_decision d;
	size_t i;

	memset(&req, 0, sizeof(req));
	req.pr_emul = POLICY_EMUL_NATIVE;
	req.pr_op = (uint16_t)op;
	if (op == POLICY_OP_SYSCALL) {
		policy_request_set_str(&req, POLICY_F_SYSCALL, name);
		policy_eval(p, &req, &d);
		if (d.pd_action == POLICY_ACT_PERMIT &&
		    (policy_linux_name_listed(name, policy_linux_pidcheck,
		    __arraycount(policy_linux_pidcheck)) ||
		    policy_linux_name_setcred(name)))
			return SECCOMP_RET_USER_NOTIF;
		for (i = 0; d.pd_action == POLICY_ACT_PERMIT &&
		    i < __arraycount(policy_linux_byname_if); i++)
			if (strcmp(name, policy_linux_byname_if[i].name) == 0 &&
			    policy_linux_pol_verdict(s, p,
			    policy_linux_byname_if[i].other,
			    (int)policy_linux_byname_if[i].op) !=
			    SECCOMP_RET_ALLOW)
				return SECCOMP_RET_USER_NOTIF;
		return policy_linux_verdict(s, &d);
	}
	if (!policy_linux_op_constant(p, (unsigned)op))
		return SECCOMP_RET_USER_NOTIF;
	policy_eval(p, &req, &d);
	return policy_linux_verdict(s, &d);
}

/*
 * Does the filter send every chdir to the supervisor (or deny it by
 * name)?  Then no confined task changes a working directory unseen
 * (fchdir is always notified; chroot, pivot_root and setns are refused),
 * and the supervisor may cache them (policy_linux_task.c).  As the filter
 * is built: a call is let through by name only when every policy lets it.
 */
bool
policy_linux_cwd_notified(const struct policy_sup *s)
{
	size_t i;

	if (policy_linux_pol_verdict(s, s->s_pol, "chdir", POLICY_OP_CHDIR) ==
	    SECCOMP_RET_ALLOW)
		return false;
	for (i = 1; i < s->s_npols; i++)
		if (policy_linux_pol_verdict(s, s->s_pols[i], "chdir",
		    POLICY_OP_CHDIR) == SECCOMP_RET_ALLOW)
			return false;
	return true;
}

/*
 * O_PATH opens answered in the filter.  The supervisor cannot give the
 * target an O_PATH descriptor (ADDFD refuses them: policy_linux_open.c),
 * so it emulates one.  Where a policy lets every O_PATH open through
 * whatever its path, it need not: open(2) and openat(2) with O_PATH in
 * their flags (an integer argument) are let through to the kernel, and the
 * target gets a real O_PATH descriptor, nothing read from its memory.
 *
 * "Whatever its path": for each flag set O_PATH keeps, the policy permits
 * the open, neither logged nor asked, by a rule (or the default) that every
 * rule an O_PATH open can meet before it (open, and fsread: an O_PATH open
 * is read-only) leaves to it whatever the path: those rules, and the
 * deciding rule, test nothing but flags.  So a policy whose first rule is
 * `open: flags has O_PATH then permit` qualifies whatever path rules come
 * after.  And stat too, by name alone: fstat() of the descriptor says what
 * stat(2) of its path would.  Anything else such a descriptor is good for
 * is a call the supervisor decides on the object's resolved path (an *at()
 * call with it as dirfd, fchdir, execveat, an open of /proc/self/fd/N) or
 * fails with EBADF (read, write, fchmod, fchown, ioctl, mmap, the f*xattr
 * calls).
 */
static bool
policy_linux_flags_only(const struct policy *p, const struct policy_rule *r)
{
	uint32_t j;

	for (j = 0; j < r->pr_ncode; j++) {
		const struct policy_insn *in = policy_rule_insn(p, r, j);

		if ((in->pi_kind == POLICY_I_STR || in->pi_kind == POLICY_I_INT) &&
		    in->pi_field != POLICY_F_FLAGS)
			return false;
	}
	return true;
}

/*
 * Does p permit every open with the flags base and any of keep[] (n of
 * them), neither logged nor asked, whatever its path: by a rule (or the
 * default) that every open and fsread rule before it leaves to it whatever
 * the path, those rules and the deciding one testing nothing but flags?
 */
static bool
policy_linux_flags_free(const struct policy_sup *s, const struct policy *p,
    int base, const int *keep, unsigned n)
{
	struct policy_request req;
	struct policy_decision d;
	uint32_t i, j, upto;
	int m;

	for (m = 0; m < 1 << n; m++) {
		int fl = base;

		for (j = 0; j < n; j++)
			if (m & (1 << j))
				fl |= keep[j];
		memset(&req, 0, sizeof(req));
		req.pr_emul = POLICY_EMUL_NATIVE;
		req.pr_op = POLICY_OP_OPEN;
		policy_request_set_int(&req, POLICY_F_FLAGS,
		    policy_linux_oflags(fl));
		policy_eval(p, &req, &d);
		if (policy_linux_verdict(s, &d) != SECCOMP_RET_ALLOW)
			return false;
		/* decided on flags alone: so also with any path */
		upto = d.pd_rule == POLICY_NONE ? p->p_nrules : d.pd_rule + 1;
		for (i = 0; i < upto && i < p->p_nrules; i++) {
			const struct policy_rule *r = &p->p_rules[i];

			if ((r->pr_emul & (1u << POLICY_EMUL_NATIVE)) != 0 &&
			    (r->pr_op == POLICY_OP_OPEN ||
			    r->pr_op == POLICY_OP_FSREAD) &&
			    !policy_linux_flags_only(p, r))
				return false;
		}
	}
	return true;
}

static bool
policy_linux_opath_pol(const struct policy_sup *s, const struct policy *p)
{
	static const int keep[] = { O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC };

	return policy_linux_flags_free(s, p, O_PATH, keep,
	    __arraycount(keep)) &&
	    policy_linux_pol_verdict(s, p, "newfstatat", POLICY_OP_STAT) ==
	    SECCOMP_RET_ALLOW;
}

/*
 * Read opens answered in the filter.  An open with read access only and
 * none of the flags that make it write, create or emulate (READ_MASK:
 * O_CREAT, O_TRUNC, O_APPEND, O_EXCL, O_TMPFILE, O_PATH) is a plain read
 * (fsread); where a policy permits every such open whatever its path, in
 * the sense above, for every combination of the other flags it sees
 * (O_NONBLOCK, O_DIRECTORY, O_NOFOLLOW, O_CLOEXEC, O_NOCTTY, O_SYNC), the
 * filter lets open(2) and openat(2) with such flags through: the kernel
 * opens the file as unconfined.  A policy that restricts only writing
 * thus reads at native speed.
 */
#define READ_MASK	((uint32_t)(O_ACCMODE | O_CREAT | O_TRUNC | O_APPEND | \
			    O_EXCL | (O_TMPFILE & ~O_DIRECTORY) | O_PATH))

static bool
policy_linux_read_pol(const struct policy_sup *s, const struct policy *p)
{
	static const int keep[] = { O_NONBLOCK, O_DIRECTORY, O_NOFOLLOW,
	    O_CLOEXEC, O_NOCTTY, O_SYNC };

	return policy_linux_flags_free(s, p, O_RDONLY, keep,
	    __arraycount(keep));
}

/*
 * Calls a policy decides on a number in a register, by value.  socket:
 * the supervisor decides on the domain, the low 32 bits of arg0 ((int),
 * policy_linux_intop.c), and the type and protocol; where every socket
 * rule tests the domain alone, each domain 0-63 (every address family)
 * is decided here as the supervisor would.  sendto with no address
 * (send(2)): the supervisor decides it on the request with no address and
 * lets the kernel run it (policy_linux_net.c), reading nothing else; so
 * can the filter, testing all 64 bits of the pointer.  A value whose
 * verdict is a permit or an unlogged denial, the same under every policy,
 * is answered in the filter; any other value, or a fifth distinct
 * verdict, goes to the supervisor.
 */
static uint32_t
policy_linux_value_verdict(const struct policy_sup *s, const struct policy *p,
    unsigned op, unsigned v)
{
	struct policy_request req;
	struct policy_decision d;

	memset(&req, 0, sizeof(req));
	req.pr_emul = POLICY_EMUL_NATIVE;
	req.pr_op = (uint16_t)op;
	if (op == POLICY_OP_SOCKET)
		policy_request_set_int(&req, POLICY_F_DOMAIN, (int64_t)v);
	policy_eval(p, &req, &d);
	return policy_linux_verdict(s, &d);
}

static void
policy_linux_nr_values(const struct policy_sup *s, unsigned op,
    const char *name, struct policy_linux_run *r)
{
	uint32_t fields;
	unsigned v, nv, k;
	size_t i;

	if (op == POLICY_OP_SOCKET) {
		fields = 1u << POLICY_F_DOMAIN;
		nv = 64;
		r->validx = 0;
	} else if (op == POLICY_OP_SENDTO && strcmp(name, "sendto") == 0) {
		fields = 1u << POLICY_F_SOCKADDR;	/* absent */
		nv = 1;
		r->validx = 4;
	} else
		return;
	for (i = 0; i < s->s_npols || i == 0; i++)
		if (policy_linux_rules_test(i == 0 ? s->s_pol : s->s_pols[i],
		    op, ~fields))	/* a field besides them */
			return;
	for (v = 0; v < nv; v++) {
		uint32_t ret = policy_linux_value_verdict(s, s->s_pol, op, v);

		for (i = 1; i < s->s_npols; i++)
			if (policy_linux_value_verdict(s, s->s_pols[i], op,
			    v) != ret)
				ret = SECCOMP_RET_USER_NOTIF;
		if (ret == SECCOMP_RET_USER_NOTIF)
			continue;
		for (k = 0; k < r->nval && r->valret[k] != ret; k++)
			;
		if (k == VAL_NCLASS)
			continue;
		r->nval = (uint8_t)(k == r->nval ? k + 1 : r->nval);
		r->valret[k] = ret;
		r->valmask[k] |= 1ull << v;
	}
	if (r->nval > 0)
		r->valtest = op == POLICY_OP_SOCKET ? VAL_SET : VAL_ZERO64;
}

/*
 * The treatment of native system call nr.  With several policies, a call
 * every policy treats alike is answered in the filter; any other goes to
 * the supervisor, which decides it with the caller's policy.
 */
static void
policy_linux_nr_verdict(const struct policy_sup *s, int nr,
    struct policy_linux_run *r)
{
	const char *name = policy_linux_syscall_name(nr);
	size_t i;
	int op;

	r->argtest = r->argtest2 = ARG_NONE;
	r->argidx = 0;
	r->argk = r->argret = r->argk2 = r->argret2 = 0;
	r->valtest = VAL_NONE;
	r->validx = r->nval = 0;
	r->readtest = 0;
	memset(r->valret, 0, sizeof(r->valret));
	memset(r->valmask, 0, sizeof(r->valmask));
	if (name == NULL) {
		r->ret = RET_DENY(ENOSYS);
		return;
	}
	/* refusals are logged by the supervisor (policy_linux_refusal) */
	for (i = 0; i < __arraycount(policy_linux_refused); i++)
		if (strcmp(name, policy_linux_refused[i].name) == 0) {
			r->ret = policy_linux_refused[i].why != NULL ?
			    SECCOMP_RET_USER_NOTIF :
			    RET_DENY(policy_linux_refused[i].error);
			return;
		}
	if (policy_linux_name_listed(name, policy_linux_always,
	    __arraycount(policy_linux_always))) {
		r->ret = SECCOMP_RET_ALLOW;
		return;
	}
	op = policy_linux_syscall_op(nr);
	/* Always checked by the supervisor: pid protection, exec verification
	 * when the verdict depends on the binary. */
	if (op == POLICY_OP_PTRACE || op == POLICY_OP_MOUNT ||
	    (op == POLICY_OP_EXECVE && s->s_npols > 1) ||
	    strcmp(name, "fchdir") == 0) {
		/* fchdir: chdir is carried out with it (policy_linux_chdir.c) */
		/* several policies: every exec may switch the policy */
		r->ret = SECCOMP_RET_USER_NOTIF;
		return;
	}
	r->ret = policy_linux_pol_verdict(s, s->s_pol, name, op);
	for (i = 1; i < s->s_npols; i++)
		if (policy_linux_pol_verdict(s, s->s_pols[i], name, op) != r->ret)
			r->ret = SECCOMP_RET_USER_NOTIF;
	if (r->ret == SECCOMP_RET_USER_NOTIF)
		policy_linux_nr_values(s, (unsigned)op, name, r);
	if (op == POLICY_OP_OPEN && r->ret != SECCOMP_RET_ALLOW &&
	    (strcmp(name, "open") == 0 || strcmp(name, "openat") == 0)) {
		/* O_PATH opens and plain reads by their flags: open's arg1,
		 * openat's arg2 (openat2's are in memory) */
		if (policy_linux_every_pol(s, policy_linux_opath_pol)) {
			r->argtest = ARG_JSET;
			r->argk = O_PATH;
			r->argret = SECCOMP_RET_ALLOW;
		}
		r->readtest = policy_linux_every_pol(s, policy_linux_read_pol);
		if (r->argtest != ARG_NONE || r->readtest)
			r->argidx = name[4] == '\0' ? 1 : 2;
	}
	if (op != POLICY_OP_SYSCALL)
		return;
	if (strcmp(name, "clone") == 0 || strcmp(name, "unshare") == 0) {
		r->argtest = ARG_JSET;
		r->argk = NS_FLAGS;
		/* several policies: a new process must have its creator as
		 * parent, to inherit the creator's policy (serve.c) */
		if (s->s_npols > 1 && name[0] == 'c')
			r->argk |= CLONE_PARENT;
		r->argret = SECCOMP_RET_USER_NOTIF;	/* refused, logged */
	} else if (strcmp(name, "prctl") == 0) {
		if (s->s_npols > 1) {
			/* ...and no confined task may adopt orphans */
			r->argtest = ARG_JEQ;
			r->argk = PR_SET_CHILD_SUBREAPER;
			r->argret = SECCOMP_RET_USER_NOTIF;	/* refused, logged */
		}
		/* seccomp strict mode cannot be entered over our filter: the
		 * supervisor emulates it (policy_linux_trace.c) */
		if (r->ret == SECCOMP_RET_ALLOW) {
			r->argtest2 = ARG_JEQ;
			r->argk2 = PR_SET_SECCOMP;
			r->argret2 = SECCOMP_RET_USER_NOTIF;
		}
	} else if (strcmp(name, "seccomp") == 0 &&
	    r->ret == SECCOMP_RET_ALLOW) {
		/* SECCOMP_SET_MODE_STRICT: as prctl's; a filter of the
		 * program's own can only restrict further (a second
		 * listener is refused by the kernel: EBUSY), so it runs */
		r->argtest2 = ARG_JEQ;
		r->argk2 = SECCOMP_SET_MODE_STRICT;
		r->argret2 = SECCOMP_RET_USER_NOTIF;
	}
}

/* A growing BPF program. */
struct policy_linux_prog {
	struct sock_filter *ins;
	size_t		n, cap;
	int		oom;
};

static size_t
emit(struct policy_linux_prog *pg, uint16_t code, uint8_t jt, uint8_t jf,
    uint32_t k)
{
	if (pg->n == pg->cap) {
		size_t cap = pg->cap ? pg->cap * 2 : 256;
		struct sock_filter *n = realloc(pg->ins, cap * sizeof(*n));
		if (n == NULL) {
			pg->oom = 1;
			return pg->n;
		}
		pg->ins = n;
		pg->cap = cap;
	}
	pg->ins[pg->n] = (struct sock_filter)BPF_JUMP(code, k, jt, jf);
	return pg->n++;
}

static void
policy_linux_emit_leaf(struct policy_linux_prog *pg,
    const struct policy_linux_run *r)
{
	uint32_t lo = offsetof(struct seccomp_data, args[0]) +
	    r->validx * sizeof(uint64_t);
	unsigned k, v;

	if (r->valtest == VAL_ZERO64) {
		/* x86-64: the low word first */
		emit(pg, BPF_LD | BPF_W | BPF_ABS, 0, 0, lo);
		emit(pg, BPF_JMP | BPF_JEQ | BPF_K, 0, 3, 0);
		emit(pg, BPF_LD | BPF_W | BPF_ABS, 0, 0, lo + 4);
		emit(pg, BPF_JMP | BPF_JEQ | BPF_K, 0, 1, 0);
		emit(pg, BPF_RET | BPF_K, 0, 0, r->valret[0]);
	} else if (r->valtest == VAL_SET) {
		emit(pg, BPF_LD | BPF_W | BPF_ABS, 0, 0, lo);
		for (k = 0; k < r->nval; k++)
			for (v = 0; v < 64; v++)
				if (r->valmask[k] & (1ull << v)) {
					emit(pg, BPF_JMP | BPF_JEQ | BPF_K, 0,
					    1, v);
					emit(pg, BPF_RET | BPF_K, 0, 0,
					    r->valret[k]);
				}
	}
	if (r->argtest != ARG_NONE || r->argtest2 != ARG_NONE)
		emit(pg, BPF_LD | BPF_W | BPF_ABS, 0, 0,
		    offsetof(struct seccomp_data, args[0]) +
		    r->argidx * sizeof(uint64_t));
	if (r->argtest != ARG_NONE) {
		emit(pg, BPF_JMP | (r->argtest == ARG_JSET ? BPF_JSET : BPF_JEQ) |
		    BPF_K, 0, 1, r->argk);
		emit(pg, BPF_RET | BPF_K, 0, 0, r->argret);
	}
	if (r->readtest) {
		if (r->argtest == ARG_NONE && r->argtest2 == ARG_NONE)
			emit(pg, BPF_LD | BPF_W | BPF_ABS, 0, 0,
			    offsetof(struct seccomp_data, args[0]) +
			    r->argidx * sizeof(uint64_t));
		emit(pg, BPF_JMP | BPF_JSET | BPF_K, 1, 0, READ_MASK);
		emit(pg, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_ALLOW);
	}
	if (r->argtest2 != ARG_NONE) {
		emit(pg, BPF_JMP | (r->argtest2 == ARG_JSET ? BPF_JSET :
		    BPF_JEQ) | BPF_K, 0, 1, r->argk2);
		emit(pg, BPF_RET | BPF_K, 0, 0, r->argret2);
	}
	if (r->landlock) {
		struct sock_filter ll[POLICY_LL_BPF_MAX];
		size_t i, n = policy_linux_landlock_bpf(ll, r->ret);

		for (i = 0; i < n; i++)
			emit(pg, ll[i].code, ll[i].jt, ll[i].jf, ll[i].k);
		return;
	}
	emit(pg, BPF_RET | BPF_K, 0, 0, r->ret);
}

/* Binary search over runs [a, b]; far jumps go through BPF_JA. */
static void
policy_linux_emit_tree(struct policy_linux_prog *pg,
    const struct policy_linux_run *runs, size_t a, size_t b)
{
	size_t mid, ja;

	if (a == b) {
		policy_linux_emit_leaf(pg, &runs[a]);
		return;
	}
	mid = (a + b + 1) / 2;
	emit(pg, BPF_JMP | BPF_JGE | BPF_K, 0, 1, runs[mid].lo);
	ja = emit(pg, BPF_JMP | BPF_JA, 0, 0, 0);
	policy_linux_emit_tree(pg, runs, a, mid - 1);
	if (!pg->oom)
		pg->ins[ja].k = (uint32_t)(pg->n - ja - 1);
	policy_linux_emit_tree(pg, runs, mid, b);
}

/* Does the filter leave exec to the kernel (no exec decision to check)? */
static bool
policy_linux_exec_unchecked(const struct policy_sup *s)
{
	struct policy_linux_run r;
	int nr;

	if (s->s_npols > 1)	/* several: see every exec */
		return false;
	for (nr = 0; nr < NR_MAX; nr++) {
		if (policy_linux_syscall_op(nr) != POLICY_OP_EXECVE)
			continue;
		policy_linux_nr_verdict(s, nr, &r);
		if (r.ret != SECCOMP_RET_ALLOW)
			return false;
	}
	return true;
}

/* The filter's treatment of nr, exec_unchecked as above. */
static void
policy_linux_nr_run(const struct policy_sup *s, int nr, bool exec_unchecked,
    struct policy_linux_run *r)
{
	policy_linux_nr_verdict(s, nr, r);
	/* Every open to the supervisor: while execs are checked, since a
	 * "#!" interpreter's open of its script is checked against the exec
	 * decision (policy_linux_script.c); and for a program that may hold
	 * CAP_SYS_PTRACE in no Landlock domain, which could open our
	 * /proc/PID itself (policy_linux_landlock.c). */
	if ((!exec_unchecked || policy_linux_landlock_exposed()) &&
	    policy_linux_syscall_op(nr) == POLICY_OP_OPEN) {
		if (r->ret == SECCOMP_RET_ALLOW)
			r->ret = SECCOMP_RET_USER_NOTIF;
		r->argtest = ARG_NONE;	/* O_PATH opens too */
		r->readtest = 0;	/* and reads */
	}
	/* write opens Landlock decides (policy_linux_landlock.c) */
	if (r->ret == SECCOMP_RET_USER_NOTIF) {
		unsigned idx = 0;
		int ll = policy_linux_landlock_nr(nr, &idx, &r->argk2);

		if (ll < 0)
			r->ret = SECCOMP_RET_ALLOW;
		else if (ll > 0) {
			r->argidx = (uint8_t)idx;
			r->argtest2 = ARG_JSET;
			r->argret2 = r->ret;
			r->landlock = 1;
		}
	}
}

/*
 * Does p decide every request of nr's operation as verdict v, whatever
 * its arguments: each rule that applies has the action, errno and logging
 * of the decision on no arguments at all?
 */
static bool
policy_linux_nr_uniform(const struct policy_sup *s, const struct policy *p,
    int nr, uint32_t v)
{
	const char *name = policy_linux_syscall_name(nr);
	int op = policy_linux_syscall_op(nr), cls = policy_linux_class(
	    (unsigned)op);
	struct policy_request req;
	struct policy_decision d;
	uint32_t i;

	if (name == NULL || op == POLICY_OP_NONE)
		return false;
	memset(&req, 0, sizeof(req));
	req.pr_emul = POLICY_EMUL_NATIVE;
	req.pr_op = (uint16_t)op;
	if (op == POLICY_OP_SYSCALL)
		return policy_linux_pol_verdict(s, p, name, op) == v;
	policy_eval(p, &req, &d);
	if (policy_linux_verdict(s, &d) != v)
		return false;
	for (i = 0; i < p->p_nrules; i++) {
		const struct policy_rule *r = &p->p_rules[i];

		if (policy_linux_rule_for(r, (unsigned)op, cls) &&
		    (r->pr_action != d.pd_action || (r->pr_flags &
		    POLICY_RULE_LOG) || (r->pr_errno != 0 &&
		    r->pr_errno != d.pd_perrno)))
			return false;
	}
	return true;
}

/*
 * Would policy p be decided in the kernel as the running one is?  A filter
 * cannot be taken back from a process, so a reload must not change what
 * it decides there (policy_linux_ask.c): each call the running filter
 * decides must get the same filter treatment under p, or be sent to the
 * supervisor by it while p decides it the same way for any arguments.
 */
bool
policy_linux_filter_same(const struct policy_sup *s, const struct policy *p)
{
	struct policy_sup n = *s;
	struct policy_linux_run a, b;
	bool ua, ub;
	int nr;

	n.s_pol = p;
	if (!policy_linux_landlock_same(s, p))
		return false;	/* a Landlock domain cannot be changed */
	ua = policy_linux_exec_unchecked(s);
	ub = policy_linux_exec_unchecked(&n);
	for (nr = 0; nr < NR_MAX; nr++) {
		memset(&a, 0, sizeof(a));
		memset(&b, 0, sizeof(b));
		policy_linux_nr_run(s, nr, ua, &a);
		policy_linux_nr_run(&n, nr, ub, &b);
		if (memcmp(&a, &b, sizeof(a)) == 0)
			continue;
		if (!policy_linux_run_by_number(&a))
			return false;	/* decided in the kernel for some args */
		if (a.ret == SECCOMP_RET_USER_NOTIF)
			continue;	/* the supervisor decides with p */
		if (b.ret != SECCOMP_RET_USER_NOTIF ||
		    !policy_linux_nr_uniform(&n, p, nr, a.ret))
			return false;
	}
	return true;
}

int
policy_linux_filter_build(struct policy_sup *s, struct sock_fprog *fp,
    char *err, size_t errlen)
{
	struct policy_linux_run runs[NR_MAX + 1];
	struct policy_linux_prog pg = { NULL, 0, 0, 0 };
	size_t nruns = 0;
	int nr;

	s->s_exec_unchecked = policy_linux_exec_unchecked(s);
	for (nr = 0; nr < NR_MAX; nr++) {
		struct policy_linux_run r;

		memset(&r, 0, sizeof(r));
		policy_linux_nr_run(s, nr, s->s_exec_unchecked, &r);
		if (nruns > 0 && policy_linux_run_by_number(&r) &&
		    policy_linux_run_by_number(&runs[nruns - 1]) &&
		    runs[nruns - 1].ret == r.ret)
			continue;
		r.lo = (uint32_t)nr;
		runs[nruns++] = r;
	}
	if (runs[nruns - 1].ret != RET_DENY(ENOSYS) ||
	    !policy_linux_run_by_number(&runs[nruns - 1])) {
		memset(&runs[nruns], 0, sizeof(runs[nruns]));
		runs[nruns].lo = NR_MAX;
		runs[nruns].ret = RET_DENY(ENOSYS);
		nruns++;
	}

	/* Native x86-64 only: i386 (int 0x80) and x32 entry are killed. */
	emit(&pg, BPF_LD | BPF_W | BPF_ABS, 0, 0,
	    offsetof(struct seccomp_data, arch));
	emit(&pg, BPF_JMP | BPF_JEQ | BPF_K, 1, 0, AUDIT_ARCH_X86_64);
	emit(&pg, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_KILL_PROCESS);
	emit(&pg, BPF_LD | BPF_W | BPF_ABS, 0, 0,
	    offsetof(struct seccomp_data, nr));
	emit(&pg, BPF_JMP | BPF_JGE | BPF_K, 0, 1, X32_BIT);
	emit(&pg, BPF_RET | BPF_K, 0, 0, SECCOMP_RET_KILL_PROCESS);
	policy_linux_emit_tree(&pg, runs, 0, nruns - 1);

	if (pg.oom || pg.n > BPF_MAXINSNS) {
		snprintf(err, errlen, "seccomp filter: %s",
		    pg.oom ? "out of memory" : "program too large");
		free(pg.ins);
		return -1;
	}
	fp->len = (unsigned short)pg.n;
	fp->filter = pg.ins;
	return 0;
}
