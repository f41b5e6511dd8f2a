/* policy_linux.h: the Linux enforcement backend (seccomp user notification + ptrace
 * exec checks): the run entry point policyctl uses, and the supervisor's internals. */
#ifndef _POLICY_LINUX_H_
#define _POLICY_LINUX_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <linux/seccomp.h>

#include "libpolicy.h"

/* ------------------------------------------------------------------ */
/* Public: run a program under a policy.                               */

struct policy_linux_opts {
	const struct policy *plo_policy;	/* validated, outlives the run */
	int		plo_verbose;	/* print every decision */
	int		plo_dry_run;	/* log what would be denied, permit it */
	FILE		*plo_log;	/* decisions and denials (stderr if NULL) */
};

/* Why policy_linux_run() failed before the program ran. */
enum policy_linux_err {
	POLICY_LINUX_OK = 0,
	POLICY_LINUX_ENOTFOUND,	/* program not found (exit 127) */
	POLICY_LINUX_ENOEXEC,	/* found but cannot be executed (exit 126) */
	POLICY_LINUX_ENOTSUPP,	/* kernel lacks seccomp user notification */
	POLICY_LINUX_ESYSTEM	/* another OS call failed */
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

/* Format a socket address the way policies spell it ("inet-1.2.3.4:53",
 * "inet6-[::1]:53", "unix-/path", "unix-@abstract", "unix-"). */
int	policy_linux_sockaddr_str(const void *sa, size_t len, char *buf,
	    size_t cap);

/* Translate native open(2) flags to POLICY_O_* bits. */
int64_t	policy_linux_oflags(int flags);
/* Portable signal number (index + 1 in policy_signal_names), or 64 + sig. */
int64_t	policy_linux_signal(int sig);

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
	int		pe_initial;	/* the launch's own first exec */
};

struct policy_sup {
	const struct policy *s_pol;
	int		s_verbose;
	int		s_dry_run;
	FILE		*s_log;
	const char	*s_source;	/* policy file name, for logs */
	int		s_listener;	/* seccomp notification fd */
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
};

/* policy_linux_filter.c: the BPF program */
struct sock_fprog;
int	policy_linux_filter_build(struct policy_sup *, struct sock_fprog *,
	    char *err, size_t errlen);
const char *policy_linux_syscall_name(int nr);
/* The operation a native system call is mediated as (POLICY_OP_SYSCALL for
 * calls decided by name alone). */
int	policy_linux_syscall_op(int nr);
/* Is the policy's decision for op fixed regardless of the call's arguments? */
bool	policy_linux_op_constant(const struct policy *, unsigned op);
bool	policy_linux_rules_test(const struct policy *, unsigned op, unsigned field);

/* policy_linux_mem.c: copying to and from the target, replies */
int	policy_linux_read(pid_t, uint64_t addr, void *buf, size_t len);
int	policy_linux_read_str(pid_t, uint64_t addr, char *buf, size_t cap,
	    size_t *lenp);
int	policy_linux_write(pid_t, uint64_t addr, const void *buf, size_t len);
bool	policy_linux_valid(const struct policy_sup *, uint64_t id);
int	policy_linux_getfd(pid_t tid, int fd);
int	policy_linux_startfd(const struct policy_sup *, pid_t tid, int dirfd,
	    const char *path);
void	policy_linux_reply(const struct policy_sup *, uint64_t id, int64_t val,
	    int error);
void	policy_linux_continue(const struct policy_sup *, uint64_t id);
int	policy_linux_addfd(const struct policy_sup *, uint64_t id, int fd,
	    bool cloexec);
int	policy_linux_fdpath(int fd, char *buf, size_t cap);
int	policy_linux_umask(pid_t tid);
pid_t	policy_linux_tgid(pid_t tid);

/* policy_linux_walk.c: resolving a target's path ourselves */
#define PLW_NOFOLLOW	0x01	/* do not follow a final symlink */
#define PLW_MUSTEXIST	0x02	/* ENOENT if the final component is missing */
#define PLW_PARENT	0x04	/* caller acts on (dirfd, last): no "." or ".." */

struct policy_linux_walk {
	int		w_dirfd;	/* O_PATH: directory holding w_last */
	int		w_fd;		/* O_PATH: the object, -1 if missing */
	struct stat	w_st;		/* of w_fd */
	int		w_slash;	/* path ended in '/' */
	char		w_last[256];
	char		w_path[POLICY_PATH_MAX];	/* resolved path */
	char		w_dirpath[POLICY_PATH_MAX];	/* resolved directory */
};
int	policy_linux_walk(struct policy_linux_call *, int startfd,
	    const char *path, int flags, struct policy_linux_walk *);
void	policy_linux_walk_done(struct policy_linux_walk *);
/* Open the path (dirfd, path, flags) names for the target, as the walk does. */
int	policy_linux_path_arg(struct policy_linux_call *, int dirfd,
	    uint64_t addr, int flags, int emptyok, struct policy_linux_walk *);

/* policy_linux_decide.c: evaluation, logging, dry-run and ask */
void	policy_linux_req(struct policy_linux_call *, unsigned op);
int	policy_linux_decide(struct policy_linux_call *);
void	policy_linux_note(struct policy_linux_call *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* policy_linux_ask.c */
int	policy_linux_ask(struct policy_linux_call *);

/* Handlers: each answers the notification exactly once. */
void	policy_linux_open(struct policy_linux_call *);
void	policy_linux_pathop(struct policy_linux_call *, unsigned op);
void	policy_linux_net(struct policy_linux_call *, unsigned op);
void	policy_linux_intop(struct policy_linux_call *, unsigned op);
void	policy_linux_execve(struct policy_linux_call *);
void	policy_linux_exec_event(struct policy_sup *, pid_t pid, pid_t oldtid);
void	policy_linux_exec_forget(struct policy_sup *, pid_t tid);

/* policy_linux_worker.c: a blocking operation finished on its own thread */
int	policy_linux_defer(void (*)(void *), void *);

/* policy_linux_serve.c */
int	policy_linux_serve(struct policy_sup *);

#endif /* !_POLICY_LINUX_H_ */
