/* policy_linux.h: the Linux enforcement backend (seccomp user notification + ptrace
 * exec checks): the run entry point policyctl uses, and the supervisor's internals. */
#ifndef _POLICY_LINUX_H_
#define _POLICY_LINUX_H_

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <linux/seccomp.h>

#include "libpolicy.h"
#include "policy_linux_interact.h"

/* ------------------------------------------------------------------ */
/* Public: run a program under a policy.                               */

struct policy_linux_opts {
	const struct policy *plo_policy;	/* validated, outlives the run */
	int		plo_verbose;	/* print every decision */
	int		plo_dry_run;	/* log what would be denied, permit it */
	FILE		*plo_log;	/* decisions and denials (stderr if NULL) */
	/* Count the calls the kernel filter decides (policy_linux_count.c).
	 * Also done with plo_verbose and when reporting to policyd; off
	 * otherwise: the tracepoint it needs costs every call of the run
	 * and some 20 ms to switch on and off. */
	int		plo_count;
	/* More policies (policyctl run -p A -p B ...): a process that executes
	 * the program: one of them names switches to it, with its children;
	 * any other exec keeps the policy it runs under.  plo_policy is the
	 * launch policy (the first program runs under it unless it is some
	 * policy's program:). */
	const struct policy *const *plo_more;
	size_t		plo_nmore;
};

/* Why policy_linux_run() failed before the program ran. */
enum policy_linux_err {
	POLICY_LINUX_OK = 0,
	POLICY_LINUX_ENOTFOUND,	/* program not found (exit 127) */
	POLICY_LINUX_ENOEXEC,	/* found but cannot be executed (exit 126) */
	POLICY_LINUX_ENOTSUPP,	/* kernel lacks seccomp user notification */
	POLICY_LINUX_ESYSTEM,	/* another OS call failed */
	POLICY_LINUX_EPOLICY	/* the policies conflict (two name a program) */
};

/*
 * Run argv[0] (searched in PATH when it has no slash) with argv under the
 * policy, supervising it and everything it starts until all of them exit.
 * Returns 0 with *wstatus set to the program's wait status (the status the
 * initial process ended with), or an enum policy_linux_err with err set.
 * The initial execve is itself decided by the policy: when the policy
 * denies it, the program's status is exit 126 and the denial is logged.
 */
int	policy_linux_run(const struct policy_linux_opts *, char *const argv[],
	    int *wstatus, char *err, size_t errlen);

/* execvp's search for name: 0 with its path in out, or ENOENT/EACCES. */
int	policy_linux_which(const char *name, char *out, size_t cap);
/* Is the file at path (st: its stat) the program: that p names? */
bool	policy_linux_program_is(const struct policy *p, const char *path,
	    const struct stat *st);

/* Format a socket address the way policies spell it ("inet-1.2.3.4:53",
 * "inet6-[::1]:53", "unix-/path", "unix-@abstract", "unix-"). */
int	policy_linux_sockaddr_str(const void *sa, size_t len, char *buf,
	    size_t cap);

/* Translate native open(2) flags to POLICY_O_* bits. */
int64_t	policy_linux_oflags(int flags);

/* ------------------------------------------------------------------ */
/* Internal: the supervisor.                                           */

/* A pending exec: what the policy permitted a thread to execute. */
struct policy_linux_exec {
	struct policy_linux_exec *pe_next;
	pid_t		pe_tid;
	dev_t		pe_dev;		/* image expected at PTRACE_EVENT_EXEC */
	ino_t		pe_ino;
	char		*pe_argv;	/* NUL-separated argv to verify, or NULL */
	size_t		pe_argvlen;
	size_t		pe_skip;	/* leading args the kernel adds (#!) */
	char		*pe_script;	/* #!: the name the interpreter gets */
	dev_t		pe_sdev;	/* #!: the script decided on */
	ino_t		pe_sino;
	int		pe_initial;	/* the launch's own first exec */
	unsigned	pe_pol;		/* the policy the new image runs under */
};

/* A target thread's credentials, as file and socket operations see them
 * (/proc/TID/status); the supervisor takes them on to act for it. */
#define POLICY_LINUX_NGROUPS	256
struct policy_linux_cred {
	uid_t		cr_fsuid;
	gid_t		cr_fsgid;
	uint64_t	cr_cap;		/* effective capabilities */
	uid_t		cr_ruid;	/* real ids and permitted capabilities: */
	gid_t		cr_rgid;	/* what access(2) checks with */
	uint64_t	cr_capprm;
	int		cr_umask;	/* -1: not read */
	int		cr_ngroups;
	gid_t		cr_groups[POLICY_LINUX_NGROUPS];
};

/* The program a policy's program: names (matched by identity, else path). */
struct policy_linux_progid {
	const char	*pp_path;	/* NULL: the policy names none */
	dev_t		pp_dev;
	ino_t		pp_ino;
	int		pp_stat;	/* pp_dev/pp_ino are valid */
};

struct policy_sup {
	const struct policy *s_pol;
	int		s_verbose;
	int		s_dry_run;
	FILE		*s_log;
	const char	*s_source;	/* policy file name, for logs */
	int		s_listener;	/* seccomp notification fd */
	/* the filter has WAIT_KILLABLE_RECV: a call received waits for its
	 * answer through every signal but a fatal one */
	int		s_wait_killable;
	int		s_sigfd;	/* signalfd: SIGCHLD and forwarded signals */
	int		s_exec_unchecked; /* the filter permits every exec */
	int		s_rootfd;	/* O_PATH "/" */
	pid_t		s_pid;		/* our own pid */
	pid_t		s_child;	/* the initial target process */
	int		s_child_status;
	int		s_child_done;
	int		s_initial_pending; /* first exec not yet seen */
	int		s_initial_errno;   /* why the first exec failed */
	dev_t		s_procdev;	/* st_dev of /proc */
	struct seccomp_notif_sizes s_sizes;
	struct policy_linux_exec *s_execs;
	uint8_t		s_argv_rules;	/* some execve rule tests argv */
	/* Policies by index: 0 is s_pol (the launch policy; ask may swap it
	 * for a reloaded one), 1... the others given; a task's index says
	 * which it runs under.  Entry 0 of the arrays is unused. */
	size_t		s_npols;
	const struct policy **s_pols;
	const char	**s_sources;
	struct policy_linux_progid *s_progs;	/* [s_npols] */
	struct policy_linux_cred s_cred;	/* the supervisor's own */
};

/* One notification being handled. */
struct policy_linux_call {
	struct policy_sup *c_sup;
	uint64_t	c_id;
	pid_t		c_tid;
	pid_t		c_tgid;		/* looked up when a path needs it */
	int		c_nr;
	const char	*c_name;	/* system call name */
	uint64_t	c_args[6];
	struct policy_request c_req;
	struct policy_decision c_dec;
	const struct policy *c_pol;	/* the policy the caller runs under */
	const char	*c_source;	/* its file, for logs */
	unsigned	c_polidx;
	bool		c_exchange;	/* rename: RENAME_EXCHANGE */
	int		c_credok;	/* c_cred read */
	/* Resolved paths of the call's walks longer than a request's buffer
	 * (POLICY_PATH_MAX): policy_linux_decide decides a path field on the
	 * one its head was set from, never on the head alone. */
#define POLICY_LINUX_NLONG	6
	const char	*c_long[POLICY_LINUX_NLONG];
	struct policy_linux_cred c_cred;
};

/*
 * The supervisor's files, bottom up.  A file calls only files of the
 * layers below its own (tests/sh/test_layers.sh checks it on the objects):
 * a notification flows one way, from serve (dispatch) through a handler
 * (copy in, resolve, build the request), decide, and the answer.
 */

/* ---- 1. Base: facts about calls, tasks and the supervisor's fds ---- */

/* policy_linux_syscalls.c: native system calls by number */
#define POLICY_LINUX_NR_MAX	512	/* native numbers scanned */
const char *policy_linux_syscall_name(int nr);
/* The operation a native system call is mediated as (POLICY_OP_SYSCALL for
 * calls decided by name alone). */
int	policy_linux_syscall_op(int nr);
/* Does the call change the calling thread's credentials (set*id, capset)? */
bool	policy_linux_syscall_setcred(int nr);
bool	policy_linux_name_setcred(const char *name);
/* Does the supervisor carry the call out itself (arg4: sendto's address)? */
bool	policy_linux_syscall_ours(int nr, uint64_t arg4);
/* Interrupted before we received it, may the call be made again (it
 * never ran, and natively it would not have waited)? */
bool	policy_linux_syscall_restart(int nr, uint64_t arg4);
bool	policy_linux_name_listed(const char *name, const char *const *list,
	    size_t n);

/* policy_linux_analysis.c: a policy's rules for an operation as a whole */
bool	policy_linux_rule_for(const struct policy_rule *, unsigned op, int cls);
int	policy_linux_class(unsigned op);
/* Is the policy's decision for op fixed regardless of the call's arguments? */
bool	policy_linux_op_constant(const struct policy *, unsigned op);
bool	policy_linux_op_may_ask(const struct policy *, unsigned op,
	    unsigned opencls);
/* Does a rule for op test a field of fields (bits 1 << POLICY_F_*)? */
bool	policy_linux_rules_test(const struct policy *, unsigned op,
	    uint32_t fields);
bool	policy_linux_rule_tests(const struct policy *, const struct policy_rule *,
	    uint32_t fields);
/* Does test hold for every policy of the run? */
bool	policy_linux_every_pol(const struct policy_sup *,
	    bool (*test)(const struct policy_sup *, const struct policy *));

/* policy_linux_args.c: native argument conventions (and oflags above) */
/* The *at flags the call takes: EINVAL for any other bit, as the kernel
 * answers before looking anything up; else 0. */
int	policy_linux_atflags_ok(const char *name, const uint64_t *args);

/* policy_linux_proc.c: /proc/TID/status */
/* /proc/TID/status into buf (length; 0: gone; cap - 1: did not fit), and
 * the value of one of its fields ("Tgid:"), or NULL. */
size_t	policy_linux_status(pid_t tid, char *buf, size_t cap);
const char *policy_linux_field(const char *buf, const char *name);
int	policy_linux_umask(pid_t tid);
pid_t	policy_linux_tgid(pid_t tid);

/* policy_linux_mounts.c: /proc/self/mountinfo */
struct policy_linux_mount {
	long	id;			/* mountinfo's (STATX_MNT_ID) */
	char	dev[32];
	char	root[PATH_MAX];		/* what of its file system it shows */
	char	point[PATH_MAX];	/* where */
};
/* The next line of mountinfo f, using line (of cap bytes) to read it. */
bool	policy_linux_mount_next(FILE *, struct policy_linux_mount *,
	    char *line, size_t cap);
/* The mount fd's object is on (-1: unknown), and its mountinfo line
 * (0, or -errno: -ENOENT when gone). */
long	policy_linux_mount_id(int fd);
int	policy_linux_mount_find(long id, struct policy_linux_mount *);
/* The object at path (as /proc/self/fd names it), on mount m: its path
 * within the file system (0, or -EXDEV when not beneath m's point). */
int	policy_linux_fs_path(const struct policy_linux_mount *,
	    const char *path, char *out, size_t cap);

/* policy_linux_selfproc.c: the supervisor's own /proc/PID */
/* Is pid (a process or thread id) the supervisor (any of its threads)? */
bool	policy_linux_is_us(const struct policy_sup *, long pid);
/* Is fd's object inside the supervisor's /proc/PID (or /proc/TID) tree,
 * whatever the route that reached it?  True too when that cannot be told
 * of an object in a procfs; false for objects in no procfs. */
bool	policy_linux_proc_ours(const struct policy_sup *, int fd);

/* policy_linux_fdpath.c: the supervisor's own descriptors */
int	policy_linux_fdpath(int fd, char *buf, size_t cap);
/* The same in a new heap string, of any length (a directory beyond what
 * /proc/self/fd can name is spelled from its parents): 0 or -errno. */
int	policy_linux_fdpath_dup(int fd, char **out);
int	policy_linux_fdopen(int fd, int flags);
void	policy_linux_close2(int, int);

/* policy_linux_log.c: log lines */
void	policy_linux_note(struct policy_linux_call *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	policy_linux_log_verdict(struct policy_linux_call *,
	    const char *verdict, const char *why);

/* policy_linux_request.c: the request a call is decided on */
void	policy_linux_req(struct policy_linux_call *, unsigned op);
/* Note a long resolved path for the call's decision (0, or -ENAMETOOLONG
 * when too many are noted); forget it.  The whole text of path field f of
 * c_req (its head when longer than the buffer), or NULL if unknown. */
int	policy_linux_long_note(struct policy_linux_call *, const char *);
void	policy_linux_long_forget(struct policy_linux_call *, const char *);
const char *policy_linux_req_path(const struct policy_linux_call *,
	    unsigned f, size_t *lenp);

/* policy_linux_execrec.c: execs let through, until their exec event */
void	policy_linux_exec_add(struct policy_sup *, struct policy_linux_exec *);
struct policy_linux_exec *policy_linux_exec_take(struct policy_sup *, pid_t);
void	policy_linux_exec_free(struct policy_linux_exec *);
void	policy_linux_exec_forget(struct policy_sup *, pid_t tid);
bool	policy_linux_exec_pending(const struct policy_sup *);
bool	policy_linux_exec_switch_pending(const struct policy_sup *,
	    unsigned pol);

/* policy_linux_count.c: calls the kernel filter decided (all calls of the
 * confined tasks, counted by a perf tracepoint counter, less those the
 * supervisor was notified of); -1 (and why) when they cannot be counted */
void	policy_linux_count_start(pid_t);
void	policy_linux_count_off(void);
void	policy_linux_count_notified(void);
int	policy_linux_count_filtered(uint64_t *, const char **why);
uint64_t policy_linux_count_supervised(void);
void	policy_linux_count_stop(void);

/* ---- 2. Answers and identities -------------------------------------- */

/* policy_linux_notify.c: answering a notification */
bool	policy_linux_valid(const struct policy_sup *, uint64_t id);
bool	policy_linux_recheck(const struct policy_sup *, uint64_t id);
void	policy_linux_serve_thread(bool tracer);
bool	policy_linux_is_serve_thread(void);
bool	policy_linux_is_tracer(void);
uint64_t policy_linux_gate_mark(void);
bool	policy_linux_gate_caller(const struct policy_sup *, uint64_t id,
	    uint64_t mark);
bool	policy_linux_gate_enter(const struct policy_sup *, uint64_t id,
	    uint64_t mark);
void	policy_linux_gate_leave(void);
void	policy_linux_gate_close(void);
void	policy_linux_gate_open(void);
void	policy_linux_reply(const struct policy_sup *, uint64_t id, int64_t val,
	    int error);
void	policy_linux_continue(const struct policy_sup *, uint64_t id);
/* fd (and other, or -1) closed; with release_first, before the target
 * runs on (a description open for writing) */
int	policy_linux_addfd(const struct policy_sup *, uint64_t id, int fd,
	    bool cloexec, int other, bool release_first);

/* policy_linux_cred.c: credentials a supervisor thread acts with */
int	policy_linux_cred_read(pid_t, struct policy_linux_cred *, pid_t *tgidp);
int	policy_linux_cred_init(struct policy_sup *);
int	policy_linux_cred_apply(const struct policy_sup *,
	    const struct policy_linux_cred *, int selfproc);
void	policy_linux_as_self(const struct policy_sup *);

/* ---- 3. The confined tasks ------------------------------------------ */

/* policy_linux_task.c: per-thread state of the confined tasks */
#define POLICY_LINUX_STOP_FIRST	0
#define POLICY_LINUX_STOP_HOLD	1
#define POLICY_LINUX_STOP_AGAIN	2
int	policy_linux_task_stop(pid_t, int needpol);
void	policy_linux_task_add(pid_t);
void	policy_linux_task_del(pid_t);
void	policy_linux_tasks_reset(void);
bool	policy_linux_task_known(pid_t);
bool	policy_linux_task_setpol(pid_t, unsigned pol);
unsigned policy_linux_task_pol(pid_t);
bool	policy_linux_task_setppid(pid_t, pid_t ppid);
pid_t	policy_linux_task_orphan(pid_t creator);
void	policy_linux_task_cred_forget(pid_t);
int	policy_linux_task_cred(const struct policy_sup *, pid_t,
	    struct policy_linux_cred *, pid_t *tgidp);
int	policy_linux_task_pidfd(pid_t);
void	policy_linux_task_cwd_enable(bool);
void	policy_linux_task_cwd_call(pid_t, int nr);
void	policy_linux_task_cwd_forget(pid_t);
int	policy_linux_task_cwd(pid_t, bool *borrowed);
#define POLICY_LINUX_T_STRICT	0x01	/* emulated SECCOMP_MODE_STRICT */
#define POLICY_LINUX_T_HANDOVER	0x02	/* detach at its next stop */
#define POLICY_LINUX_T_FOREIGN	0x04	/* detached: a confined tracer has it */
#define POLICY_LINUX_T_RESTART	0x08	/* answered -ERESTARTSYS (a signal) */
unsigned policy_linux_task_flags(pid_t);
unsigned policy_linux_task_setflags(pid_t, unsigned set, unsigned clear);

/* ---- 4. Copy in: the caller's memory, fds and credentials ------------ */

/* policy_linux_mem.c: copying to and from the target, its fds */
int	policy_linux_read(pid_t, uint64_t addr, void *buf, size_t len);
int	policy_linux_read_str(pid_t, uint64_t addr, char *buf, size_t cap,
	    size_t *lenp);
int	policy_linux_write_result(struct policy_linux_call *, uint64_t addr,
	    const void *buf, size_t len);
int	policy_linux_getfd(pid_t tid, int fd);
int	policy_linux_startfd(const struct policy_sup *, pid_t tid, int dirfd,
	    const char *path);
int	policy_linux_startfd_cached(const struct policy_sup *, pid_t tid,
	    int dirfd, const char *path, bool *borrowed);

/* policy_linux_callcred.c: the credentials of the call being handled */
int	policy_linux_call_cred(struct policy_linux_call *);
int	policy_linux_as_target(struct policy_linux_call *, int selfproc);
int	policy_linux_access_cred(struct policy_linux_call *);
int	policy_linux_call_umask(struct policy_linux_call *);

/* ---- 5. Resolve: paths walked once, scripts ------------------------- */

/* policy_linux_walk.c: resolving a target's path ourselves */
#define PLW_NOFOLLOW	0x01	/* do not follow a final symlink */
#define PLW_MUSTEXIST	0x02	/* ENOENT if the final component is missing */
#define PLW_PARENT	0x04	/* caller acts on (dirfd, last): no "." or ".." */
/* openat2's RESOLVE_* restrictions, emulated by the walk */
#define PLW_BENEATH	0x10	/* never leave the start directory */
#define PLW_IN_ROOT	0x20	/* the start directory is the root */
#define PLW_NO_SYMLINKS	0x40
#define PLW_NO_MAGICLINKS 0x80
#define PLW_NO_XDEV	0x100	/* never cross a mount point */
#define PLW_SCOPED	(PLW_BENEATH | PLW_IN_ROOT)
#define PLW_RESOLVE	(PLW_SCOPED | PLW_NO_SYMLINKS | PLW_NO_MAGICLINKS | \
			 PLW_NO_XDEV)

/*
 * A resolved path.  w_fd is the object (-1 if missing, for calls that may
 * create it); w_dirfd, w_last and w_dirpath (its directory) are set for
 * PLW_PARENT walks and when the object is missing, otherwise w_dirfd may
 * be -1.
 */
struct policy_linux_walk {
	int		w_dirfd;	/* O_PATH: directory holding w_last */
	int		w_fd;		/* O_PATH: the object, -1 if missing */
	struct stat	w_st;		/* of w_fd */
	int		w_slash;	/* path ended in '/' */
	int		w_selfproc;	/* in the target's own /proc/PID */
	int		w_tgid;		/* "self" was resolved to the target */
	char		w_last[256];
	/* Never NULL once walked, any length (heap, freed by walk_done). */
	char		*w_path;	/* resolved path */
	char		*w_dirpath;	/* resolved directory */
	struct policy_linux_call *w_call; /* where long paths are noted */
};
int	policy_linux_walk(struct policy_linux_call *, int startfd,
	    const char *path, int flags, struct policy_linux_walk *);
void	policy_linux_walk_init(struct policy_linux_walk *);
void	policy_linux_walk_done(struct policy_linux_walk *);
/* w->w_fd (ours, of the target's descriptor) as a walk's object. */
int	policy_linux_walk_fd(struct policy_linux_call *,
	    struct policy_linux_walk *);
/* Open the path (dirfd, path, flags) names for the target, as the walk does. */
int	policy_linux_path_arg(struct policy_linux_call *, int dirfd,
	    uint64_t addr, int flags, int emptyok, struct policy_linux_walk *);
int	policy_linux_path_arg_raw(struct policy_linux_call *, int dirfd,
	    uint64_t addr, int flags, int emptyok, struct policy_linux_walk *,
	    char *raw, size_t rawcap);

/* policy_linux_script.c: the script a "#!" interpreter gets and opens */
char	*policy_linux_script_name(int dirfd, const char *path);
bool	policy_linux_script_ok(const char *cmd, size_t len, size_t skip,
	    const char *name);
bool	policy_linux_script_expect(pid_t, char *name, dev_t, ino_t);
void	policy_linux_script_forget(pid_t);
bool	policy_linux_script_any(void);
int	policy_linux_script_open(struct policy_linux_call *, const char *raw,
	    const struct stat *);

/* ---- 6. Decide ------------------------------------------------------ */

/* policy_linux_filter.c: what the kernel decides (the BPF program), and
 * the policy analysis behind it */
struct sock_fprog;
int	policy_linux_filter_build(struct policy_sup *, struct sock_fprog *,
	    char *err, size_t errlen);
/* Would policy p get the filter the running policy got? */
bool	policy_linux_filter_same(const struct policy_sup *, const struct policy *);
/* The supervisor's own refusal of a call, with its reason; NULL if none. */
const char *policy_linux_refusal(const struct policy_sup *, const char *name,
	    const uint64_t *args, int *errp);
bool	policy_linux_cwd_notified(const struct policy_sup *);

/* policy_linux_program.c: the run's policies and the programs they name */
const char *policy_linux_source(const struct policy *);
int	policy_linux_policies(struct policy_sup *,
	    const struct policy_linux_opts *, char *err, size_t errlen);
unsigned policy_linux_program_policy(const struct policy_sup *, unsigned cur,
	    const char *path, const struct stat *);

/* policy_linux_ask.c: alarms (setup in policy_interactive.h) */
int	policy_linux_ask(struct policy_linux_call *);
/* Readable when pending alarms must give up; cancel (true) or re-arm. */
int	policy_linux_ask_cancelfd(void);
void	policy_linux_ask_cancel(bool);

/* policy_linux_decide.c: the verdict on a built request */
int	policy_linux_decide(struct policy_linux_call *);
/* A refusal of the supervisor's own, decided, logged and recorded as a
 * denial with its reason; returns err. */
int	policy_linux_refuse(struct policy_linux_call *, int err,
	    const char *why);
/* Called after every decision when set (policy_linux_report.c: learning,
 * JSON decision log, policyd); start_ns is CLOCK_MONOTONIC at its start. */
extern void (*policy_linux_decided)(struct policy_linux_call *, int err,
	    uint64_t start_ns);

/* ---- 7. Act: handlers, each answers its notification exactly once --- */

/* policy_linux_worker.c: a blocking operation finished on its own thread */
int	policy_linux_defer(void (*)(void *), void *);
/* The call being dispatched on this thread (a deferred job of it is
 * answered -ERESTARTSYS if the caller gets a signal); NULL: none. */
void	policy_linux_worker_call(const struct policy_linux_call *);

/* policy_linux_trace.c: the tracer of the confined tasks */
void	policy_linux_trace_init(void);
bool	policy_linux_trace_reclaim(const struct policy_sup *, pid_t tid);
void	policy_linux_trace_resume(pid_t pid, int sig);
void	policy_linux_strict_stop(pid_t pid);
void	policy_linux_attach_release(const struct policy_sup *, pid_t tid);
bool	policy_linux_handover_stop(struct policy_sup *, pid_t pid, int sig,
	    bool groupstop);
/* ptrace by a confined program (intop): hand tid over to a confined
 * tracer, emulate seccomp strict mode; the serve thread only. */
int	policy_linux_trace_handover(struct policy_linux_call *, pid_t tid,
	    bool self);
int	policy_linux_strict(struct policy_linux_call *);
bool	policy_linux_confined(pid_t);	/* a task under our filter */

/* policy_linux_chdir.c: chdir done as fchdir on the decided directory */
void	policy_linux_chdir_run(struct policy_linux_call *, int dir,
	    const struct stat *);
int	policy_linux_chdir_pollfd(void);
void	policy_linux_chdir_queued(struct policy_sup *);
bool	policy_linux_chdir_ours(pid_t, int64_t fd);
bool	policy_linux_chdir_stop(struct policy_sup *, pid_t, int status);
void	policy_linux_chdir_forget(pid_t);

void	policy_linux_open(struct policy_linux_call *);		/* open.c */
void	policy_linux_pathop(struct policy_linux_call *, unsigned op); /* path.c */

/* policy_linux_xattr.c: extended attributes, copied once, done on our fd */
#define PLX_SET		0
#define PLX_REMOVE	1
#define PLX_GET		2
#define PLX_LIST	3
struct policy_linux_xattr {
	int		x_kind;			/* PLX_* */
	char		x_name[256];		/* XATTR_NAME_MAX + 1 */
	void		*x_value;		/* to set: malloc'd */
	size_t		x_size;
	int		x_flags;		/* XATTR_CREATE, XATTR_REPLACE */
	uint64_t	x_buf;			/* get, list: the caller's buffer */
};
bool	policy_linux_is_xattr(const char *name);
bool	policy_linux_xattr_grants(const struct policy_linux_xattr *);
int	policy_linux_xattr_copy(struct policy_linux_call *,
	    struct policy_linux_xattr *);
int	policy_linux_xattr_do(struct policy_linux_call *,
	    const struct policy_linux_xattr *, const char *proc, int64_t *ret);
void	policy_linux_xattr_free(struct policy_linux_xattr *);
void	policy_linux_net(struct policy_linux_call *, unsigned op);	/* net.c */
void	policy_linux_listen(struct policy_linux_call *);
void	policy_linux_intop(struct policy_linux_call *, unsigned op); /* intop.c */
/* policy_linux_exec.c: execve decided, its image checked at the event */
void	policy_linux_execve(struct policy_linux_call *);
void	policy_linux_exec_event(struct policy_sup *, pid_t pid, pid_t oldtid);

/* ---- 8. Dispatch ---------------------------------------------------- */

/* policy_linux_offload.c: a call whose decision may ask runs on its own
 * thread, so a pending alarm blocks that thread of the target only. */
struct seccomp_notif;
bool	policy_linux_offload(struct policy_sup *, const struct seccomp_notif *,
	    void (*)(struct policy_sup *, const struct seccomp_notif *));
/* Wait for offloaded calls to finish (their alarms are cancelled). */
void	policy_linux_offload_drain(void);

/* policy_linux_serve.c: the receiver and tracer threads (policy_linux_launch.c
 * starts them) */
int	policy_linux_serve(struct policy_sup *);

#endif /* !_POLICY_LINUX_H_ */
