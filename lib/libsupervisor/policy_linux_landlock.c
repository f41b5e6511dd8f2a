/* policy_linux_landlock.c: Landlock decides the write opens a policy decides exactly as a
 * Landlock rule set would (the filter lets them through), and guards the supervisor's /proc. */
/*
 * What is offloaded.  The write opens: open and openat whose flags (an
 * integer argument) ask for O_WRONLY or O_RDWR, and creat.  The policy
 * decides them (rules for open and fswrite, first match) on the resolved
 * path; a rule set handling WRITE_FILE, MAKE_REG and TRUNCATE, granting
 * them beneath each directory of the policy's `filename inpath "DIR" then
 * permit` rules, decides the same when:
 *
 *  - every rule a write open can meet, up to a rule without condition (or
 *    the default), is such an inpath permit or a `filename eq "FILE"
 *    then permit` (WRITE_FILE and TRUNCATE on the file), and that last
 *    rule (or the default) denies with EACCES, Landlock's errno;
 *  - none of them, nor the default, is logged or asks: Landlock's denials
 *    are not seen by the supervisor, so the logging would be lost;
 *  - each DIR exists at launch, is a directory, is spelled canonically
 *    (the policy matches resolved paths), and the program cannot remove
 *    it (rmdir or rename denied by the policy, or its parent not
 *    writable): Landlock's rule is bound to the directory found at launch;
 *    each FILE exists, is no directory, has no other hard link, and is in
 *    a directory the program cannot change (/dev/null): nothing can be
 *    renamed over it or made in its place; and neither is seen through
 *    another mount (a bind mount of it or above it shows it at another
 *    path, which the policy decides otherwise);
 *  - the filter lets none of the other calls those rights govern through
 *    by name (mknod, truncate, rename, link): the supervisor makes them
 *    itself, outside the domain, so Landlock never refuses a move between
 *    directories (REFER: EXDEV) nor anything else the policy permits.
 *
 * Opens with O_PATH, O_TMPFILE or O_DIRECTORY, openat2 (flags in memory)
 * and read-only opens stay supervised.  The rule set is entered by the
 * child before its seccomp filter: the supervisor, which makes every
 * supervised call itself, is never in the domain.  Fds the supervisor
 * opens and hands over carry all rights (Landlock checks at open).
 *
 * The values of the Landlock UAPI not in Debian 12's <linux/landlock.h>
 * are defined here (names LL_*).
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "policy_linux.h"
#include "policy_linux_landlock.h"
#include "secmodel/policy/policy_impl.h"

#ifndef SYS_landlock_create_ruleset
#define SYS_landlock_create_ruleset	444
#define SYS_landlock_add_rule		445
#define SYS_landlock_restrict_self	446
#endif

/* Landlock UAPI (include/uapi/linux/landlock.h) */
#define LL_CREATE_RULESET_VERSION	(1u << 0)
#define LL_RULE_PATH_BENEATH		1
#define LL_FS_WRITE_FILE		(1ull << 1)
#define LL_FS_MAKE_REG			(1ull << 8)
#define LL_FS_TRUNCATE			(1ull << 14)	/* ABI 3 */

struct ll_ruleset_attr {
	uint64_t	handled_access_fs;	/* the first field: size 8 */
};

struct ll_path_beneath_attr {
	uint64_t	allowed_access;
	int32_t		parent_fd;
} __attribute__((packed));

#define LL_WRITE_RIGHTS	(LL_FS_WRITE_FILE | LL_FS_MAKE_REG | LL_FS_TRUNCATE)
/* The kernel's __O_TMPFILE (glibc's O_TMPFILE includes O_DIRECTORY). */
#define LL_TMPFILE_BIT	(O_TMPFILE & ~O_DIRECTORY)
#define LL_NOTIFY_FLAGS	((uint32_t)(O_PATH | LL_TMPFILE_BIT | O_DIRECTORY))

/*
 * The guard.  The supervisor is not dumpable, which keeps a confined
 * program from its /proc/PID (mem, environ, the fd links) unless the
 * program holds CAP_SYS_PTRACE: run as root, it may open /proc/<our
 * pid>/mem for writing through the kernel whenever the filter lets an
 * open through unsupervised.  Landlock refuses a task in a domain ptrace
 * access to a process outside it, and with it mem, the fd links, cwd,
 * root and exe (Linux 6.18 still lets it open environ, maps and auxv,
 * which a ptrace read access opens: measured; policyctl.8).  So
 * such a program is always in a domain: the write offload's, or else
 * this one, which handles only MAKE_BLOCK and REFER and grants both
 * beneath "/", so that nothing else it may do changes (a domain refuses
 * moves between directories unless REFER is granted, which it can be
 * only when handled: ABI 2).  A domain also refuses mount and umount, so
 * a policy that may permit them gets no guard.  With no domain, every
 * open is supervised (policy_linux_landlock_exposed), and the walk
 * refuses our /proc/PID (policy_linux_selfproc.c).
 */
#define LL_FS_MAKE_BLOCK		(1ull << 11)
#define LL_FS_REFER			(1ull << 13)	/* ABI 2 */
#define LL_GUARD_RIGHTS	(LL_FS_MAKE_BLOCK | LL_FS_REFER)
#define LL_GUARD_ABI	2

static struct {
	bool		prepared;
	struct policy_linux_llplan plan;
	bool		may_ptrace;	/* the program may hold CAP_SYS_PTRACE */
	bool		guard;		/* no write offload: the guard domain */
	int		ruleset;	/* -1: none */
} ll_active = { .ruleset = -1 };

static const char ll_exposed_why[] = "the program may hold CAP_SYS_PTRACE "
    "and no Landlock domain keeps it from the supervisor's /proc/PID";

/* Could a program we start hold CAP_SYS_PTRACE?  It runs with our
 * credentials under no_new_privs: as root, or keeping a capability of
 * ours. */
static bool
ll_may_ptrace(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];
	uint32_t bit = 1u << (CAP_SYS_PTRACE % 32);
	int w = CAP_SYS_PTRACE / 32;

	if (getuid() == 0 || geteuid() == 0 ||
	    syscall(SYS_capget, &h, d) != 0)
		return true;
	if ((d[w].permitted | d[w].inheritable | d[w].effective) & bit)
		return true;
	return prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, CAP_SYS_PTRACE,
	    0, 0) == 1;
}

/* May p permit some mount (or unmount: op)?  The supervisor refuses those
 * whose rules have conditions, and mounts under path rules. */
static bool
ll_op_permitted(const struct policy *p, unsigned op)
{
	struct policy_request req;
	struct policy_decision d;

	if (!policy_linux_op_constant(p, op) ||
	    (op == POLICY_OP_MOUNT && !policy_move_free(p)))
		return false;
	memset(&req, 0, sizeof(req));
	req.pr_emul = POLICY_EMUL_NATIVE;
	req.pr_op = (uint16_t)op;
	policy_eval(p, &req, &d);
	return d.pd_action != POLICY_ACT_DENY;
}

static bool
ll_mounts_refused(const struct policy_sup *s, const struct policy *p)
{
	return !ll_op_permitted(p, POLICY_OP_MOUNT) &&
	    !ll_op_permitted(p, POLICY_OP_UNMOUNT);
}

/* Grant rights beneath path (opened with oflags) in rule set rs: 0, or
 * an errno. */
static int
ll_add_beneath(int rs, const char *path, int oflags, uint64_t rights)
{
	struct ll_path_beneath_attr pb;
	int e = 0;

	if ((pb.parent_fd = open(path, O_PATH | O_CLOEXEC | oflags)) < 0)
		return errno;
	pb.allowed_access = rights;
	if (syscall(SYS_landlock_add_rule, rs, LL_RULE_PATH_BENEATH, &pb,
	    0) != 0)
		e = errno;
	close(pb.parent_fd);
	return e;
}

/* The guard's rule set, or -1. */
static int
ll_make_guard(void)
{
	struct ll_ruleset_attr attr = { LL_GUARD_RIGHTS };
	int rs;

	if ((rs = (int)syscall(SYS_landlock_create_ruleset, &attr,
	    sizeof(attr), 0)) < 0)
		return -1;
	if (ll_add_beneath(rs, "/", O_DIRECTORY, LL_GUARD_RIGHTS) != 0) {
		close(rs);
		return -1;
	}
	return rs;
}

int
policy_linux_landlock_abi(void)
{
	const char *env = getenv("POLICY_LANDLOCK_ABI");
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0,
	    LL_CREATE_RULESET_VERSION);

	if (abi < 0)
		abi = 0;
	if (env != NULL && *env != '\0') {
		char *end;
		long want = strtol(env, &end, 10);

		if (*end == '\0' && want >= 0 && want < abi)
			abi = want;
	}
	return (int)abi;
}

static void
ll_why(struct policy_linux_llplan *pl, int rule, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
ll_why(struct policy_linux_llplan *pl, int rule, const char *fmt, ...)
{
	va_list ap;

	if (!pl->ll_write)
		return;			/* the first reason is kept */
	pl->ll_write = false;
	pl->ll_why_rule = rule;
	va_start(ap, fmt);
	vsnprintf(pl->ll_why, sizeof(pl->ll_why), fmt, ap);
	va_end(ap);
}

/* Does the filter let every call of op through by name (a permit the
 * kernel makes as unconfined)? */
static bool
ll_native_permit(const struct policy *p, unsigned op)
{
	struct policy_request req;
	struct policy_decision d;

	if (!policy_linux_op_constant(p, op))
		return false;
	memset(&req, 0, sizeof(req));
	req.pr_emul = POLICY_EMUL_NATIVE;
	req.pr_op = (uint16_t)op;
	policy_eval(p, &req, &d);
	return d.pd_action == POLICY_ACT_PERMIT;
}

/* The policy's decision of op on path (its first field). */
static int
ll_decide(const struct policy *p, unsigned op, const char *path)
{
	struct policy_request req;
	struct policy_decision d;

	memset(&req, 0, sizeof(req));
	req.pr_emul = POLICY_EMUL_NATIVE;
	req.pr_op = (uint16_t)op;
	policy_request_set_str(&req, POLICY_F_FILENAME, path);
	policy_eval(p, &req, &d);
	return d.pd_action;
}

/* The first rule that says widen (a rename or link let past the move
 * check: policy_move_permitted), or p_nrules. */
static uint32_t
ll_widen_rule(const struct policy *p)
{
	uint32_t i;

	for (i = 0; i < p->p_nrules; i++)
		if (p->p_rules[i].pr_flags & POLICY_RULE_WIDEN)
			break;
	return i;
}

/*
 * Can the program take DIR away (so that a new directory could stand at
 * its path, one Landlock's rule is not bound to)?  Not when the policy
 * denies its rmdir and its rename, nor when its parent is not writable
 * by us (the program runs with our credentials; root writes anywhere).
 */
static bool
ll_dir_removable(const struct policy *p, const char *dir)
{
	char parent[PATH_MAX];
	char *slash;

	if (ll_decide(p, POLICY_OP_RMDIR, dir) != POLICY_ACT_PERMIT &&
	    ll_decide(p, POLICY_OP_RENAME, dir) != POLICY_ACT_PERMIT)
		return false;
	if (strlen(dir) >= sizeof(parent))
		return true;
	strcpy(parent, dir);
	if ((slash = strrchr(parent, '/')) == NULL)
		return true;
	if (slash == parent)
		slash[1] = '\0';
	else
		*slash = '\0';
	return geteuid() == 0 || faccessat(AT_FDCWD, parent, W_OK,
	    AT_EACCESS) == 0;
}

/*
 * Is the object at path (canonical) seen at that path only?  Landlock's
 * rule is bound to the object: another mount of the same file system
 * whose root is the object or above it (a bind mount) shows it, and what
 * is beneath it, at another path, which the policy decides otherwise.
 * NULL if not, else why.
 */
static const char *
ll_mount_check(const char *path, char *why, size_t cap)
{
	char *line = malloc(3 * PATH_MAX), fspath[PATH_MAX];
	struct policy_linux_mount *m = malloc(sizeof(*m)), own;
	const char *rv = "its mount could not be found";
	long id = -1;
	size_t rl;
	FILE *f;
	int fd;

	if ((fd = open(path, O_PATH | O_CLOEXEC)) >= 0) {
		id = policy_linux_mount_id(fd);
		close(fd);
	}
	if (line == NULL || m == NULL || id < 0 ||
	    policy_linux_mount_find(id, &own) != 0 ||
	    policy_linux_fs_path(&own, path, fspath, sizeof(fspath)) != 0 ||
	    (f = fopen("/proc/self/mountinfo", "re")) == NULL) {
		free(line);
		free(m);
		return rv;
	}
	/* another mount of the same file system showing it */
	rv = NULL;
	while (rv == NULL && policy_linux_mount_next(f, m, line, 3 * PATH_MAX)) {
		if (m->id == id || strcmp(m->dev, own.dev) != 0)
			continue;
		rl = strlen(m->root);
		if (strcmp(m->root, "/") == 0 ||
		    (strncmp(fspath, m->root, rl) == 0 &&
		    (fspath[rl] == '\0' || fspath[rl] == '/'))) {
			snprintf(why, cap, "it is also reachable through the "
			    "mount at %s, where the policy sees another path",
			    m->point);
			rv = why;
		}
	}
	fclose(f);
	free(line);
	free(m);
	return rv;
}

/* Check an eq file; NULL if usable, else why not. */
static const char *
ll_file_check(const char *file, char *why, size_t cap)
{
	char real[PATH_MAX], parent[PATH_MAX], *slash;
	struct stat st;

	if (file[0] != '/' || strlen(file) >= sizeof(parent))
		return "the file is not an absolute path";
	if (stat(file, &st) != 0)
		return "the file does not exist at launch (Landlock rules are "
		    "bound to existing objects)";
	if (S_ISDIR(st.st_mode))
		return "a directory named alone (Landlock's rule would cover "
		    "what is beneath it)";
	if (realpath(file, real) == NULL || strcmp(real, file) != 0)
		return "the file's name is not its resolved path (a symbolic "
		    "link on the way)";
	if (st.st_nlink != 1)		/* a FIFO or a device node too */
		return "the file has other hard links, at paths the policy "
		    "decides otherwise";
	strcpy(parent, file);
	slash = strrchr(parent, '/');
	if (slash == parent)
		slash[1] = '\0';
	else
		*slash = '\0';
	if (geteuid() == 0 || faccessat(AT_FDCWD, parent, W_OK,
	    AT_EACCESS) == 0)
		return "a single file in a directory the program may change: "
		    "Landlock would stay bound to the file found at launch "
		    "(a file renamed over it or made again in its place would "
		    "be refused)";
	return ll_mount_check(file, why, cap);
}

/* Check an inpath directory; NULL if usable, else why not. */
static const char *
ll_dir_check(const struct policy *p, const char *dir, char *canon, size_t cap,
    char *why, size_t whycap)
{
	char real[PATH_MAX];
	struct stat st;
	size_t n = strlen(dir);

	if (dir[0] != '/')
		return "the directory is not an absolute path";
	while (n > 1 && dir[n - 1] == '/')
		n--;
	if (n >= cap)
		return "the directory's name is too long";
	memcpy(canon, dir, n);
	canon[n] = '\0';
	if (stat(canon, &st) != 0)
		return "the directory does not exist at launch (Landlock "
		    "rules are bound to existing objects)";
	if (!S_ISDIR(st.st_mode))
		return "it is not a directory at launch";
	if (realpath(canon, real) == NULL || strcmp(real, canon) != 0)
		return "the directory's name is not its resolved path (a "
		    "symbolic link on the way)";
	if (ll_dir_removable(p, canon))
		return "the program may remove or rename the directory "
		    "(Landlock stays bound to the one found at launch)";
	return ll_mount_check(canon, why, whycap);
}

/* Why a condition is none Landlock can express (the rule's first test). */
static const char *
ll_cond_why(const struct policy *p, const struct policy_rule *r)
{
	const struct policy_insn *in;

	if (r->pr_ncode > 1)
		return "a combined condition Landlock cannot express";
	in = policy_rule_insn(p, r, 0);
	if (in->pi_kind != POLICY_I_STR)
		return "a condition on flags or mode Landlock cannot express";
	if (in->pi_field != POLICY_F_FILENAME)
		return "a condition Landlock cannot express";
	switch (in->pi_cmp) {
	case POLICY_C_RE: case POLICY_C_NRE:
		return "a regular expression Landlock cannot express";
	case POLICY_C_MATCH: case POLICY_C_NMATCH:
		return "a glob pattern Landlock cannot express";
	case POLICY_C_EQ: case POLICY_C_INPATH:
		return NULL;
	default:
		return "a condition Landlock cannot express";
	}
}

static void	ll_walk(const struct policy *, unsigned,
		    struct policy_linux_llplan *);
static bool	ll_mounts_refused(const struct policy_sup *,
		    const struct policy *);

void
policy_linux_llplan(const struct policy_sup *s, const struct policy *p,
    struct policy_linux_llplan *pl)
{
	static const struct { unsigned op; const char *name; } natives[] = {
		{ POLICY_OP_MKDIR, "mknod" }, { POLICY_OP_TRUNCATE, "truncate" },
		{ POLICY_OP_RENAME, "rename" }, { POLICY_OP_LINK, "link" },
	};
	const struct policy_blob_header *h = p->p_hdr;
	size_t k;

	memset(pl, 0, sizeof(*pl));
	pl->ll_write = true;
	pl->ll_why_rule = -1;
	pl->ll_abi = policy_linux_landlock_abi();
	if (pl->ll_abi == 0)
		ll_why(pl, -1, "this kernel has no Landlock%s",
		    getenv("POLICY_LANDLOCK_ABI") != NULL ?
		    " (POLICY_LANDLOCK_ABI)" : "");
	else if (pl->ll_abi < POLICY_LL_ABI_MIN)
		ll_why(pl, -1, "Landlock ABI %d has no truncate right (3 "
		    "needed)", pl->ll_abi);
	if (s->s_npols > 1)
		ll_why(pl, -1, "several policies: a program may switch to "
		    "another, and a Landlock domain cannot be left");
	if (s->s_verbose)
		ll_why(pl, -1, "-v prints every decision");
	if (s->s_dry_run)
		ll_why(pl, -1, "--dry-run logs and permits denials");
	if (policy_linux_op_constant(p, POLICY_OP_OPEN))
		ll_why(pl, -1, "every open is decided alike (kernel filter)");
	for (k = 0; k < __arraycount(natives); k++)
		if (ll_native_permit(p, natives[k].op))
			ll_why(pl, -1, "%s is let through by name, and "
			    "Landlock would refuse it in places the policy "
			    "permits", natives[k].name);
	if (h->ph_log == POLICY_LOG_ALL)
		ll_why(pl, -1, "log: all: every decision is logged");
	if (!ll_mounts_refused(s, p))
		ll_why(pl, -1, "it may permit mount or unmount, which "
		    "Landlock refuses a program in a domain");
	if ((k = ll_widen_rule(p)) < p->p_nrules)
		ll_why(pl, (int)k, "it widens: a move it permits is let past "
		    "the move check, and Landlock's rights would go with the "
		    "directory or file moved, where the policy's rules see "
		    "another path");
	ll_walk(p, POLICY_OP_FSWRITE, pl);
	if (!pl->ll_write)
		policy_linux_llplan_free(pl);
}

/*
 * The rules an open of class cls (POLICY_OP_FSWRITE or FSREAD) can meet,
 * in order: while pl->ll_write holds, each must be an inpath or eq permit
 * (its directory or file added to pl) up to an unlogged EACCES deny.
 */
static void
ll_walk(const struct policy *p, unsigned cls, struct policy_linux_llplan *pl)
{
	const struct policy_blob_header *h = p->p_hdr;
	const char *what = cls == POLICY_OP_FSWRITE ? "write" : "read";
	uint32_t i;
	bool ended = false;

	for (i = 0; i < p->p_nrules && !ended && pl->ll_write; i++) {
		const struct policy_rule *r = &p->p_rules[i];
		const struct policy_insn *in;
		const char *why;
		char canon[PATH_MAX], whybuf[PATH_MAX + 100];
		bool isdir;
		int err;

		if ((r->pr_emul & (1u << POLICY_EMUL_NATIVE)) == 0 ||
		    (r->pr_op != POLICY_OP_OPEN && r->pr_op != cls))
			continue;
		if (r->pr_action == POLICY_ACT_ASK) {
			ll_why(pl, (int)i, "it asks");
			break;
		}
		if (r->pr_flags & POLICY_RULE_LOG) {
			ll_why(pl, (int)i, "its decisions are logged");
			break;
		}
		if (r->pr_ncode == 0) {
			ended = true;
			if (r->pr_action != POLICY_ACT_DENY) {
				ll_why(pl, (int)i, "it permits the rest: "
				    "nothing for Landlock to refuse");
				break;
			}
			err = policy_errno_native(r->pr_errno ? r->pr_errno :
			    h->ph_default_errno);
			if (err != EACCES)
				ll_why(pl, (int)i, "it denies with %s, "
				    "Landlock with EACCES",
				    policy_name_of(policy_errno_names, err));
			else if (h->ph_log == POLICY_LOG_DENY)
				ll_why(pl, (int)i, "its denials are logged "
				    "(log: deny)");
			break;
		}
		if ((why = ll_cond_why(p, r)) != NULL) {
			ll_why(pl, (int)i, "%s", why);
			break;
		}
		if (r->pr_action != POLICY_ACT_PERMIT) {
			ll_why(pl, (int)i, "it denies part of the %s opens "
			    "(Landlock rights only add up)", what);
			break;
		}
		in = policy_rule_insn(p, r, 0);
		isdir = in->pi_cmp == POLICY_C_INPATH;
		if (isdir)
			why = ll_dir_check(p, policy_str(p, in->pi_str), canon,
			    sizeof(canon), whybuf, sizeof(whybuf));
		else if ((why = ll_file_check(policy_str(p, in->pi_str),
		    whybuf, sizeof(whybuf))) == NULL)
			strcpy(canon, policy_str(p, in->pi_str));
		if (why != NULL) {
			ll_why(pl, (int)i, "%s", why);
			break;
		}
		if (pl->ll_ndirs == POLICY_LL_MAXDIRS) {
			ll_why(pl, (int)i, "more than %d directories",
			    POLICY_LL_MAXDIRS);
			break;
		}
		if ((pl->ll_dirs[pl->ll_ndirs] = strdup(canon)) == NULL) {
			ll_why(pl, (int)i, "out of memory");
			break;
		}
		pl->ll_isdir[pl->ll_ndirs] = isdir;
		pl->ll_dir_rule[pl->ll_ndirs++] = i;
	}
	if (!ended && pl->ll_write) {
		int err = policy_errno_native(h->ph_default_errno);

		if (h->ph_default_action != POLICY_ACT_DENY)
			ll_why(pl, -1, "default: %s", policy_name_of(
			    policy_action_names, h->ph_default_action));
		else if (err != EACCES)
			ll_why(pl, -1, "the default denies with %s, Landlock "
			    "with EACCES", policy_name_of(policy_errno_names,
			    err));
		else if (h->ph_log == POLICY_LOG_DENY)
			ll_why(pl, -1, "denials are logged (log: deny)");
	}
}

void
policy_linux_llplan_free(struct policy_linux_llplan *pl)
{
	size_t i;

	for (i = 0; i < pl->ll_ndirs; i++)
		free(pl->ll_dirs[i]);
	pl->ll_ndirs = 0;
}

/*
 * Landlock's other rights, which this offload does not use, and why for
 * policy p: each would have to decide a whole call the filter lets
 * through exactly as the policy does.
 */
void
policy_linux_landlock_others(const struct policy *p,
    struct policy_linux_llother o[POLICY_LL_OTHERS])
{
	struct policy_linux_llplan rd;
	int abi = policy_linux_landlock_abi();
	uint32_t i;

	memset(o, 0, sizeof(*o) * POLICY_LL_OTHERS);
	o[0].ol_what = "read opens";
	o[1].ol_what = "TCP connect and bind";
	o[2].ol_what = "signals and abstract UNIX sockets (scopes)";
	for (i = 0; i < POLICY_LL_OTHERS; i++) {
		o[i].ol_rule = -1;
		o[i].ol_where = "supervisor";
	}

	/* read opens: READ_FILE and READ_DIR */
	memset(&rd, 0, sizeof(rd));
	rd.ll_write = true;
	rd.ll_why_rule = -1;
	if (abi == 0)
		ll_why(&rd, -1, "this kernel has no Landlock");
	else if (policy_linux_landlock_exposed())
		ll_why(&rd, -1, "%s", ll_exposed_why);
	else if (policy_linux_op_constant(p, POLICY_OP_OPEN)) {
		o[0].ol_where = "kernel filter";
		ll_why(&rd, -1, "every open is decided alike");
	}
	ll_walk(p, POLICY_OP_FSREAD, &rd);
	policy_linux_llplan_free(&rd);
	if (rd.ll_write)
		ll_why(&rd, -1, "Landlock's read right also binds execve, "
		    "which reads the program and its ELF interpreter (the "
		    "launch's own exec among them) under the policy's "
		    "execve rules, not its read rules");
	o[0].ol_rule = rd.ll_why_rule;
	snprintf(o[0].ol_why, sizeof(o[0].ol_why), "%s", rd.ll_why);

	/* TCP ports: BIND_TCP and CONNECT_TCP, ABI 4 */
	if (policy_linux_op_constant(p, POLICY_OP_CONNECT) &&
	    policy_linux_op_constant(p, POLICY_OP_BIND)) {
		o[1].ol_where = "kernel filter";
		snprintf(o[1].ol_why, sizeof(o[1].ol_why), "decided by "
		    "name: the policy's connect and bind rules test nothing");
	} else if (abi < 4)
		snprintf(o[1].ol_why, sizeof(o[1].ol_why), "Landlock ABI "
		    "%d has no network rights (4 or later)", abi);
	else {
		for (i = 0; i < p->p_nrules; i++)
			if ((p->p_rules[i].pr_op == POLICY_OP_CONNECT ||
			    p->p_rules[i].pr_op == POLICY_OP_BIND) &&
			    p->p_rules[i].pr_ncode > 0)
				break;
		o[1].ol_rule = i < p->p_nrules ? (int)i : -1;
		snprintf(o[1].ol_why, sizeof(o[1].ol_why), "its address "
		    "test applies to every socket, and Landlock's network "
		    "rights hold TCP ports alone and check TCP sockets only: "
		    "a filter letting connect or bind through would leave "
		    "UDP and local sockets unchecked");
	}

	/* scopes: SIGNAL and ABSTRACT_UNIX_SOCKET, ABI 6 */
	if (abi < 6)
		snprintf(o[2].ol_why, sizeof(o[2].ol_why), "Landlock ABI %d "
		    "has no scopes (6 or later)", abi);
	else
		snprintf(o[2].ol_why, sizeof(o[2].ol_why), "a scope "
		    "refuses what crosses the sandbox's boundary; kill and "
		    "connect rules name pids and addresses instead");
	o[2].ol_where = NULL;	/* the rules' own place, printed with them */
}

static int
ll_make_ruleset(const struct policy_linux_llplan *pl, char *err,
    size_t errlen)
{
	struct ll_ruleset_attr attr = { LL_WRITE_RIGHTS };
	int rs, e;
	size_t i;

	rs = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (rs < 0) {
		snprintf(err, errlen, "landlock_create_ruleset: %s",
		    strerror(errno));
		return -1;
	}
	for (i = 0; i < pl->ll_ndirs; i++)
		/* a file holds file rights only: no MAKE_REG */
		if ((e = ll_add_beneath(rs, pl->ll_dirs[i], O_NOFOLLOW |
		    (pl->ll_isdir[i] ? O_DIRECTORY : 0), pl->ll_isdir[i] ?
		    LL_WRITE_RIGHTS : LL_FS_WRITE_FILE | LL_FS_TRUNCATE)) != 0) {
			snprintf(err, errlen, "Landlock rule for %s: %s",
			    pl->ll_dirs[i], strerror(e));
			close(rs);
			return -1;
		}
	return rs;
}

int
policy_linux_landlock_prepare(const struct policy_sup *s, bool make_ruleset,
    char *err, size_t errlen)
{
	policy_linux_landlock_done();
	policy_linux_llplan(s, s->s_pol, &ll_active.plan);
	ll_active.prepared = true;
	/* no rule set: supervised, with the same decisions */
	if (ll_active.plan.ll_write && make_ruleset &&
	    (ll_active.ruleset = ll_make_ruleset(&ll_active.plan, err,
	    errlen)) < 0) {
		ll_why(&ll_active.plan, -1, "%s", err);
		policy_linux_llplan_free(&ll_active.plan);
	}
	ll_active.may_ptrace = ll_may_ptrace();
	ll_active.guard = !ll_active.plan.ll_write && ll_active.may_ptrace &&
	    policy_linux_landlock_abi() >= LL_GUARD_ABI &&
	    policy_linux_every_pol(s, ll_mounts_refused);
	if (ll_active.guard && make_ruleset &&
	    (ll_active.ruleset = ll_make_guard()) < 0)
		ll_active.guard = false;
	if (policy_linux_landlock_exposed() &&
	    policy_linux_op_constant(s->s_pol, POLICY_OP_OPEN)) {
		/* not the kernel filter's after all */
		ll_active.plan.ll_why_rule = -1;
		snprintf(ll_active.plan.ll_why, sizeof(ll_active.plan.ll_why),
		    "%s", ll_exposed_why);
	}
	return 0;
}

bool
policy_linux_landlock_exposed(void)
{
	return ll_active.prepared && ll_active.may_ptrace &&
	    !ll_active.plan.ll_write && !ll_active.guard;
}

bool
policy_linux_landlock_guarded(void)
{
	return ll_active.prepared && ll_active.may_ptrace &&
	    (ll_active.guard || ll_active.plan.ll_write);
}

int
policy_linux_landlock_restrict(void)
{
	if (!ll_active.prepared || (!ll_active.plan.ll_write &&
	    !ll_active.guard))
		return 0;
	if (ll_active.ruleset < 0)
		return -EBADF;
	/* the child shares our memory (policy_linux_launch.c): nothing of
	 * ours is changed; the rule set's fd is close-on-exec */
	if (syscall(SYS_landlock_restrict_self, ll_active.ruleset, 0) != 0)
		return -errno;
	return 0;
}

void
policy_linux_landlock_done(void)
{
	if (ll_active.ruleset >= 0)
		close(ll_active.ruleset);
	ll_active.ruleset = -1;
	if (ll_active.prepared)
		policy_linux_llplan_free(&ll_active.plan);
	memset(&ll_active.plan, 0, sizeof(ll_active.plan));
	ll_active.prepared = ll_active.guard = ll_active.may_ptrace = false;
}

const struct policy_linux_llplan *
policy_linux_landlock_active(void)
{
	return ll_active.prepared ? &ll_active.plan : NULL;
}

int
policy_linux_landlock_nr(int nr, unsigned *argidx, uint32_t *notify_flags)
{
	const char *name;

	if (!ll_active.prepared || !ll_active.plan.ll_write ||
	    (name = policy_linux_syscall_name(nr)) == NULL)
		return 0;
	*notify_flags = LL_NOTIFY_FLAGS;
	if (strcmp(name, "creat") == 0)
		return -1;
	if (strcmp(name, "open") == 0) {
		*argidx = 1;
		return 1;
	}
	if (strcmp(name, "openat") == 0) {
		*argidx = 2;
		return 1;
	}
	return 0;
}

size_t
policy_linux_landlock_bpf(struct sock_filter *out, uint32_t fallback)
{
	static const struct sock_filter seq[POLICY_LL_BPF_MAX] = {
		BPF_STMT(BPF_ALU | BPF_AND | BPF_K, O_ACCMODE),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, O_WRONLY, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, O_RDWR, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, 0),		/* fallback */
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	memcpy(out, seq, sizeof(seq));
	out[3].k = fallback;
	return POLICY_LL_BPF_MAX;
}

bool
policy_linux_landlock_same(const struct policy_sup *s, const struct policy *p)
{
	struct policy_linux_llplan pl;
	bool same;
	size_t i;

	if (!ll_active.prepared)
		return true;
	if (ll_active.guard && !ll_mounts_refused(s, p))
		return false;	/* the guard refuses the mounts p permits */
	policy_linux_llplan(s, p, &pl);
	same = pl.ll_write == ll_active.plan.ll_write &&
	    pl.ll_ndirs == ll_active.plan.ll_ndirs;
	for (i = 0; same && i < pl.ll_ndirs; i++)
		same = strcmp(pl.ll_dirs[i], ll_active.plan.ll_dirs[i]) == 0 &&
		    pl.ll_isdir[i] == ll_active.plan.ll_isdir[i];
	policy_linux_llplan_free(&pl);
	return same;
}
