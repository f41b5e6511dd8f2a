/* policy_linux_launch.c: starts the confined program: a child sharing our memory, ptrace
 * seize, no_new_privs, seccomp filter with a notification listener, its handover, exec, serve. */
/*
 * The child is made with clone(CLONE_VM), as posix_spawn makes one: it
 * runs on a stack of its own in our memory until its execve.  fork would
 * copy our page tables and leave every page of ours to fault once more
 * when next written; on the development VM (shadow paging) a fork child
 * first ran 1.2-1.4 ms after fork, a CLONE_VM child 65 us, and each
 * copy-on-write fault cost about 14 us.  Sharing our memory, the child
 * writes nothing of ours but its part of struct policy_linux_child: it
 * calls no function that keeps state, makes its last calls (execve,
 * exit) without errno, which it shares with us, and runs no handler of
 * ours (each is reset to the default before signals are unblocked).
 *
 * The listener is created by the child when it installs its filter, and
 * from then on every system call the child makes is filtered, including
 * the ones that would pass the fd to us.  So the child does none: it stores
 * the fd number where we read it and executes int3.  We, already its
 * tracer, see the SIGTRAP stop, take the fd with pidfd_getfd and resume
 * the child, which execs the program.  That execve is the first call the
 * supervisor decides.
 *
 * Fail closed: the tracer uses PTRACE_O_EXITKILL, so if the supervisor
 * dies every confined task gets SIGKILL (the child also has
 * PR_SET_PDEATHSIG); a task blocked in a notification gets ENOSYS when the
 * listener closes.  no_new_privs means set-id binaries run without their
 * privileges: they run unprivileged rather than being refused.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "policy_linux.h"
#include "policy_linux_interact.h"
#include "policy_linux_landlock.h"

#ifndef SECCOMP_IOCTL_NOTIF_SET_FLAGS
#define SECCOMP_IOCTL_NOTIF_SET_FLAGS	SECCOMP_IOW(4, uint64_t)
#endif
#ifndef SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP
#define SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP	(1UL << 0)
#endif
#ifndef SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV
#define SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV	(1UL << 5)
#endif

#define STR_(x)	#x
#define STR(x)	STR_(x)

extern char **environ;

#define CHILD_STACK	(256 * 1024)

/* What the child is given, and what it writes back (between seccomp()
 * and int3; we read it at the stop). */
struct policy_linux_child {
	int		 syncfd;	/* read: we are its tracer */
	int		 closefd;	/* the other end, ours */
	pid_t		 parent;
	const sigset_t	*mask;
	const struct sock_fprog *prog;
	const char	*path;
	char *const	*argv;
	volatile long	 fd;		/* the listener, or -errno */
	volatile int	 killable;	/* its filter has WAIT_KILLABLE_RECV */
};

/* A system call that leaves errno alone (x86-64): the child's errno is
 * ours. */
static long
policy_linux_rawcall(long nr, long a, long b, long c)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "0"(nr), "D"(a), "S"(b),
	    "d"(c) : "rcx", "r11", "memory");
	return r;
}

/* execvp's search: 0 with the path, or ENOENT / EACCES. */
int
policy_linux_which(const char *name, char *out, size_t cap)
{
	const char *pathv, *p, *e;
	struct stat st;
	int err = ENOENT;

	if (name[0] == '\0')
		return ENOENT;
	if (strchr(name, '/') != NULL) {
		if (stat(name, &st) != 0)
			return errno;
		if (S_ISDIR(st.st_mode) || access(name, X_OK) != 0)
			return EACCES;
		snprintf(out, cap, "%s", name);
		return 0;
	}
	if ((pathv = getenv("PATH")) == NULL)
		pathv = "/usr/local/bin:/usr/bin:/bin";
	for (p = pathv; ; p = e + 1) {
		size_t dl;

		e = strchrnul(p, ':');
		dl = (size_t)(e - p);
		if ((size_t)snprintf(out, cap, "%.*s%s%s", (int)dl, p,
		    dl ? "/" : "", name) < cap && stat(out, &st) == 0) {
			if (!S_ISDIR(st.st_mode) && access(out, X_OK) == 0)
				return 0;
			err = EACCES;
		}
		if (*e == '\0')
			break;
	}
	return err;
}

static int
policy_linux_child(void *arg)
{
	struct policy_linux_child *ch = arg;
	struct sigaction sa;
	long fd, r;
	char b;
	int sig;

	close(ch->closefd);

	/* our handlers are not the program's, and would run on our memory */
	for (sig = 1; sig < NSIG; sig++)
		if ((sig < 32 || sig >= SIGRTMIN) &&	/* not libc's own */
		    sigaction(sig, NULL, &sa) == 0 && sa.sa_handler !=
		    SIG_DFL && sa.sa_handler != SIG_IGN) {
			sa.sa_handler = SIG_DFL;
			sa.sa_flags &= ~SA_SIGINFO;
			(void)sigaction(sig, &sa, NULL);
		}
	sigprocmask(SIG_SETMASK, ch->mask, NULL);
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != ch->parent)
		policy_linux_rawcall(SYS_exit_group, 127, 0, 0);
	if (read(ch->syncfd, &b, 1) != 1)		/* we are traced now */
		policy_linux_rawcall(SYS_exit_group, 127, 0, 0);
	close(ch->syncfd);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		fd = -errno;
	else if ((fd = policy_linux_landlock_restrict()) < 0)
		;	/* no domain: write opens must not be let through */
	else {
		fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		    SECCOMP_FILTER_FLAG_NEW_LISTENER |
		    SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV, ch->prog);
		ch->killable = fd >= 0;
		if (fd < 0 && errno == EINVAL)
			fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
			    SECCOMP_FILTER_FLAG_NEW_LISTENER, ch->prog);
		if (fd < 0)
			fd = -errno;
	}
	ch->fd = fd;
	__asm__ volatile("int3");
	/* from here on we may be serving: not one write to our memory */
	if (fd < 0)
		policy_linux_rawcall(SYS_exit_group, 127, 0, 0);
	r = policy_linux_rawcall(SYS_execve, (long)ch->path, (long)ch->argv,
	    (long)environ);
	policy_linux_rawcall(SYS_exit_group, r == -ENOENT ? 127 : 126, 0, 0);
	return 127;
}

/* Take the listener from the child stopped at its int3.  Returns the fd
 * or -errno; *killable: its filter has WAIT_KILLABLE_RECV. */
static int
policy_linux_handover(pid_t pid, const struct policy_linux_child *ch,
    int *killable, char *err, size_t errlen)
{
	long fd = ch->fd;
	int pidfd, l;

	*killable = ch->killable;
	if (fd < 0) {
		snprintf(err, errlen, "this kernel cannot confine programs: "
		    "seccomp user notification unavailable (%s)",
		    strerror((int)-fd));
		return -ENOTSUP;
	}
	if ((pidfd = (int)syscall(SYS_pidfd_open, pid, 0)) < 0 ||
	    (l = (int)syscall(SYS_pidfd_getfd, pidfd, (int)fd, 0)) < 0) {
		snprintf(err, errlen, "pidfd_getfd: %s", strerror(errno));
		if (pidfd >= 0)
			close(pidfd);
		return -ENOTSUP;
	}
	close(pidfd);
	return l;
}

int
policy_linux_run(const struct policy_linux_opts *o, char *const argv[],
    int *wstatus, char *err, size_t errlen)
{
	struct policy_sup s;
	struct sock_fprog prog = { 0, NULL };
	char path[PATH_MAX];
	sigset_t block, old;
	int sync[2] = { -1, -1 }, st, rv = POLICY_LINUX_ESYSTEM, e;
	int dumpable = prctl(PR_GET_DUMPABLE);
	pid_t pid = -1;
	struct stat pst;
	struct policy_linux_child ch;
	void *stack = NULL;
	bool tally;

	memset(&s, 0, sizeof(s));
	s.s_pol = o->plo_policy;
	s.s_verbose = o->plo_verbose;
	s.s_dry_run = o->plo_dry_run;
	s.s_log = o->plo_log ? o->plo_log : stderr;
	s.s_source = policy_linux_source(s.s_pol);
	s.s_pid = getpid();
	s.s_listener = s.s_sigfd = s.s_rootfd = -1;
	s.s_argv_rules = policy_linux_rules_test(s.s_pol, POLICY_OP_EXECVE,
	    1u << POLICY_F_ARGV);
	if (argv[0] == NULL) {
		snprintf(err, errlen, "no program to run");
		return POLICY_LINUX_ESYSTEM;
	}
	if (policy_linux_policies(&s, o, err, errlen) != 0) {
		rv = POLICY_LINUX_EPOLICY;
		goto out;
	}
	if ((e = policy_linux_cred_init(&s)) != 0) {
		snprintf(err, errlen, "cannot read our own credentials: %s",
		    e == -E2BIG ? "more than " STR(POLICY_LINUX_NGROUPS)
		    " supplementary groups" : strerror(-e));
		goto out;
	}
	if ((e = policy_linux_which(argv[0], path, sizeof(path))) != 0) {
		snprintf(err, errlen, "%s: %s", argv[0], strerror(e));
		rv = e == ENOENT || e == ENOTDIR ? POLICY_LINUX_ENOTFOUND :
		    POLICY_LINUX_ENOEXEC;
		goto out;
	}
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &s.s_sizes) != 0) {
		snprintf(err, errlen, "this kernel cannot confine programs: "
		    "seccomp user notification unavailable (%s)",
		    strerror(errno));
		rv = POLICY_LINUX_ENOTSUPP;
		goto out;
	}
	if ((s.s_rootfd = open("/", O_PATH | O_CLOEXEC)) < 0 ||
	    stat("/proc/self", &pst) != 0) {
		snprintf(err, errlen, "/ or /proc: %s", strerror(errno));
		goto out;
	}
	s.s_procdev = pst.st_dev;
	if (s.s_verbose)	/* where each rule is enforced, and why */
		(void)policy_linux_where(s.s_log, &s, s.s_pol, err, errlen);
	if (policy_linux_landlock_prepare(&s, true, err, errlen) != 0 ||
	    policy_linux_filter_build(&s, &prog, err, errlen) != 0)
		goto out;

	sigemptyset(&block);
	sigaddset(&block, SIGCHLD);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGQUIT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	if ((s.s_sigfd = signalfd(-1, &block, SFD_NONBLOCK | SFD_CLOEXEC)) < 0 ||
	    pipe2(sync, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "signalfd/pipe: %s", strerror(errno));
		goto out_mask;
	}
	fflush(NULL);
	ch.syncfd = sync[0];
	ch.closefd = sync[1];
	ch.parent = s.s_pid;
	ch.mask = &old;
	ch.prog = &prog;
	ch.path = path;
	ch.argv = argv;
	ch.fd = -EINVAL;
	if ((stack = mmap(NULL, CHILD_STACK, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0)) == MAP_FAILED) {
		stack = NULL;
		snprintf(err, errlen, "child stack: %s", strerror(errno));
		goto out_mask;
	}
	if ((pid = clone(policy_linux_child, (char *)stack + CHILD_STACK,
	    CLONE_VM | SIGCHLD, &ch)) < 0) {
		snprintf(err, errlen, "clone: %s", strerror(errno));
		goto out_mask;
	}
	close(sync[0]);
	sync[0] = -1;
	if (ptrace(PTRACE_SEIZE, pid, 0, PTRACE_O_TRACEFORK |
	    PTRACE_O_TRACEVFORK | PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC |
	    PTRACE_O_TRACESYSGOOD |
	    PTRACE_O_EXITKILL) != 0) {
		snprintf(err, errlen, "ptrace: %s", strerror(errno));
		kill(pid, SIGKILL);
		waitpid(pid, &st, 0);
		goto out_mask;
	}
	if (write(sync[1], "g", 1) != 1 ||
	    waitpid(pid, &st, __WALL) != pid || !WIFSTOPPED(st) ||
	    WSTOPSIG(st) != SIGTRAP) {
		snprintf(err, errlen, "the confined child did not start");
		kill(pid, SIGKILL);
		while (waitpid(pid, &st, __WALL) == pid && !WIFEXITED(st) &&
		    !WIFSIGNALED(st))
			;
		goto out_mask;
	}
	if ((s.s_listener = policy_linux_handover(pid, &ch, &s.s_wait_killable,
	    err, errlen)) < 0) {
		rv = s.s_listener == -ENOTSUP ? POLICY_LINUX_ENOTSUPP :
		    POLICY_LINUX_ESYSTEM;
		s.s_listener = -1;
		kill(pid, SIGKILL);
		(void)ptrace(PTRACE_CONT, pid, 0, 0);
		while (waitpid(pid, &st, __WALL) == pid && !WIFEXITED(st) &&
		    !WIFSIGNALED(st))
			;
		goto out_mask;
	}
	/* keep confined tasks from attaching to or reading us; only now: the
	 * child shares our memory, and so our dumpable flag, until its execve,
	 * and pidfd_getfd needs it dumpable (for any but root) */
	(void)prctl(PR_SET_DUMPABLE, 0);
	/*
	 * Answer on the CPU the target waits on, and wake it there (Linux
	 * 6.6): a notification round trip then costs two context switches
	 * instead of two cross-CPU wake-ups.  Older kernels: as before.
	 */
	{
		uint64_t fl = SECCOMP_USER_NOTIF_FD_SYNC_WAKE_UP;

		(void)ioctl(s.s_listener, SECCOMP_IOCTL_NOTIF_SET_FLAGS, fl);
	}
	s.s_child = pid;
	s.s_initial_pending = 1;
	/* every call from here on is the filter's or ours: count them, when
	 * the count is wanted (the tracepoint is not free) */
	tally = s.s_verbose || getenv("POLICYCTL_TALLY") != NULL;
	if (tally || o->plo_count || policy_linux_report_wants_count())
		policy_linux_count_start(pid);
	else
		policy_linux_count_off();
	(void)ptrace(PTRACE_CONT, pid, 0, 0);	/* drop the SIGTRAP */
	policy_linux_serve(&s);
	policy_linux_count_stop();
	/* POLICYCTL_TALLY: the counts alone, the filter as without -v */
	if (tally) {
		uint64_t nf;
		const char *why;

		if (policy_linux_count_filtered(&nf, &why) == 0)
			fprintf(s.s_log, "policyctl: calls decided by the "
			    "kernel filter: %llu; by the supervisor: %llu\n",
			    (unsigned long long)nf, (unsigned long long)
			    policy_linux_count_supervised());
		else
			fprintf(s.s_log, "policyctl: calls decided by the "
			    "kernel filter: not counted (%s); by the "
			    "supervisor: %llu\n", why, (unsigned long long)
			    policy_linux_count_supervised());
		fflush(s.s_log);
	}
	if (!s.s_child_done) {
		snprintf(err, errlen, "lost track of the confined program");
		goto out_mask;
	}
	*wstatus = s.s_child_status;
	rv = POLICY_LINUX_OK;
out_mask:
	if (s.s_sigfd >= 0) {
		/* what the program was sent is not ours to act on */
		struct signalfd_siginfo si;

		while (read(s.s_sigfd, &si, sizeof(si)) > 0)
			;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
out:
	policy_linux_landlock_done();
	if (dumpable >= 0)
		(void)prctl(PR_SET_DUMPABLE, dumpable);
	while (s.s_execs != NULL)
		policy_linux_exec_forget(&s, s.s_execs->pe_tid);
	if (sync[0] >= 0)
		close(sync[0]);
	if (sync[1] >= 0)
		close(sync[1]);
	if (s.s_sigfd >= 0)
		close(s.s_sigfd);
	if (s.s_listener >= 0)
		close(s.s_listener);
	if (s.s_rootfd >= 0)
		close(s.s_rootfd);
	/* the child has exec'd or is gone (waited for), or never ran */
	if (stack != NULL)
		munmap(stack, CHILD_STACK);
	free(prog.filter);
	free(s.s_pols);
	free(s.s_sources);
	free(s.s_progs);
	return rv;
}
