/* test_linux_transparent.c: a confined program behaves as natively where the policy permits:
 * its own seccomp filters and strict mode, tracing its own children, signals interrupting calls. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "tu_selfrun.h"

#ifndef PTRACE_O_SUSPEND_SECCOMP
#define PTRACE_O_SUSPEND_SECCOMP	(1 << 21)
#endif

/* ------------------------------------------------------------------ */
/* The target side: one operation, its outcome printed as one line     */

static volatile sig_atomic_t handled;
static struct timespec handled_at;

static void
on_alarm(int sig)
{
	(void)sig;
	handled++;
	clock_gettime(CLOCK_MONOTONIC, &handled_at);
}

static void
catch_alarm(bool restart, long ms)
{
	struct sigaction sa;
	struct itimerval it;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	memset(&it, 0, sizeof(it));
	it.it_value.tv_sec = ms / 1000;
	it.it_value.tv_usec = (ms % 1000) * 1000;
	setitimer(ITIMER_REAL, &it, NULL);
}

static long
ms_since(const struct timespec *a, const struct timespec *b)
{
	return (b->tv_sec - a->tv_sec) * 1000 +
	    (b->tv_nsec - a->tv_nsec) / 1000000;
}

/* A child that installs a filter of its own: getppid fails with EPERM. */
static void
own_filter(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { 4, f };
	long r, l, g;
	int e, ge;

	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	/* a listener of its own would be served before ours: refused */
	l = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
	    SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	r = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
	e = errno;
	errno = 0;
	g = syscall(SYS_getppid);
	ge = errno;
	printf("filter %ld %d getppid %ld %d listener %s\n", r, r ? e : 0,
	    g, ge, l >= 0 ? "yes" : "no");
}

/* strict mode: write works, anything else kills. */
static void
strict(bool viaprctl)
{
	int p[2], st;
	char c = 0;
	pid_t pid;

	if (pipe(p) != 0)
		return;
	fflush(stdout);
	if ((pid = fork()) == 0) {
		long r = viaprctl ? prctl(PR_SET_SECCOMP, SECCOMP_MODE_STRICT) :
		    syscall(SYS_seccomp, SECCOMP_SET_MODE_STRICT, 0, NULL);

		c = r == 0 ? 'y' : 'n';
		if (write(p[1], &c, 1) != 1)
			syscall(SYS_exit, 3);
		(void)syscall(SYS_getppid);	/* killed here */
		syscall(SYS_exit, 4);
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1)
		c = '?';
	waitpid(pid, &st, 0);
	printf("strict %c %s %d\n", c, WIFSIGNALED(st) ? "signal" : "exit",
	    WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
}

/* PTRACE_TRACEME in a child, which stops at a signal and is read. */
static void
traceme(void)
{
	struct user_regs_struct r;
	int st, st2;
	long e;
	pid_t pid;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		if (ptrace(PTRACE_TRACEME, 0, 0, 0) != 0)
			_exit(10 + errno);
		raise(SIGUSR1);
		_exit(7);
	}
	waitpid(pid, &st, 0);
	e = WIFSTOPPED(st) ? ptrace(PTRACE_GETREGS, pid, 0, &r) : -2;
	if (WIFSTOPPED(st))
		ptrace(PTRACE_CONT, pid, 0, 0);
	waitpid(pid, &st2, 0);
	printf("traceme stopped %d sig %d regs %ld exit %d\n", WIFSTOPPED(st),
	    WIFSTOPPED(st) ? WSTOPSIG(st) : -1, e,
	    WIFEXITED(st2) ? WEXITSTATUS(st2) : -1);
}

/* PTRACE_ATTACH to a child; PTRACE_O_SUSPEND_SECCOMP must fail. */
static void
attach(void)
{
	struct user_regs_struct r;
	int st;
	long a, g, sus;
	pid_t pid;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		for (;;)
			pause();
	}
	usleep(100000);
	a = ptrace(PTRACE_ATTACH, pid, 0, 0);
	if (a != 0)
		kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	g = ptrace(PTRACE_GETREGS, pid, 0, &r);
	sus = ptrace(PTRACE_SETOPTIONS, pid, 0, PTRACE_O_SUSPEND_SECCOMP);
	kill(pid, SIGKILL);
	ptrace(PTRACE_CONT, pid, 0, 0);
	waitpid(pid, &st, 0);
	printf("attach %ld regs %ld killed %d suspend %s\n", a, g,
	    WIFSIGNALED(st) ? WTERMSIG(st) : -1, sus == 0 ? "yes" : "no");
}

/* PTRACE_ATTACH to a process given (outside the confinement). */
static void
attach_pid(pid_t pid)
{
	char c = 0;
	struct iovec l = { &c, 1 }, r = { (void *)0x1000, 1 };
	long a = ptrace(PTRACE_ATTACH, pid, 0, 0), w;
	int e = a == 0 ? 0 : errno;

	if (a == 0)
		ptrace(PTRACE_DETACH, pid, 0, 0);
	/* natively EFAULT (nothing mapped there) */
	w = syscall(SYS_process_vm_writev, pid, &l, 1, &r, 1, 0);
	printf("attach_pid %ld %d vmwrite %d\n", a, e, w < 0 ? errno : 0);
}

/* A traced child executes a program. */
static void
traced_exec(void)
{
	int st;
	pid_t pid;

	fflush(stdout);
	if ((pid = fork()) == 0) {
		ptrace(PTRACE_TRACEME, 0, 0, 0);
		execl("/bin/true", "true", (char *)NULL);
		_exit(20 + errno);
	}
	waitpid(pid, &st, 0);
	if (WIFSTOPPED(st)) {	/* the exec's SIGTRAP */
		ptrace(PTRACE_CONT, pid, 0, 0);
		printf("exec trapped ");
		waitpid(pid, &st, 0);
	}
	printf("exec %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

/* A blocking FIFO open, interrupted by SIGALRM after 200 ms. */
static void
fifo(const char *path, bool restart)
{
	struct timespec t0, t1;
	pid_t writer = -1;
	int fd, e;

	fflush(stdout);
	/* a writer comes after 0.8 s (restart) or 3 s (so that the open
	 * ends even where the signal does not end it) */
	if ((writer = fork()) == 0) {
		usleep(restart ? 800000 : 3000000);
		fd = open(path, O_WRONLY | O_NONBLOCK);
		_exit(fd < 0);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	catch_alarm(restart, 200);
	fd = open(path, O_RDONLY);
	e = errno;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (writer > 0) {
		kill(writer, SIGKILL);
		waitpid(writer, NULL, 0);
	}
	if (fd >= 0)
		close(fd);
	/* natively the handler runs at 200 ms, during the open */
	printf("fifo %s %d handled %d early %d\n", fd >= 0 ? "open" : "fail",
	    fd >= 0 ? 0 : e, (int)handled,
	    handled && ms_since(&handled_at, &t1) >= 300);
}

/* A connect that blocks (the listener's backlog is full). */
static void
connect_full(const char *path)
{
	struct sockaddr_un sa;
	int l, a, b, ra, rb, e;
	pid_t acceptor;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(path);
	l = socket(AF_UNIX, SOCK_STREAM, 0);
	if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(l, 0) != 0) {
		printf("connect setup %d\n", errno);
		return;
	}
	a = socket(AF_UNIX, SOCK_STREAM, 0);
	b = socket(AF_UNIX, SOCK_STREAM, 0);
	ra = connect(a, (struct sockaddr *)&sa, sizeof(sa));
	fflush(stdout);
	/* room in the backlog after 3 s, where the signal does not end it */
	if ((acceptor = fork()) == 0) {
		sleep(3);
		accept(l, NULL, NULL);
		pause();
		_exit(0);
	}
	catch_alarm(false, 200);
	rb = connect(b, (struct sockaddr *)&sa, sizeof(sa));
	e = errno;
	kill(acceptor, SIGKILL);
	waitpid(acceptor, NULL, 0);
	printf("connect %d %d %d handled %d\n", ra, rb, rb ? e : 0,
	    (int)handled);
	unlink(path);
}

/*
 * Arguments the kernel refuses before it looks anything up: invalid *at
 * flags, a truncate beyond RLIMIT_FSIZE, exec with a bad pointer.  Prints
 * "args" and the errno of each.
 */
static void
bad_args(const char *dir)
{
	char f[PATH_MAX], g[PATH_MAX];
	struct rlimit rl = { 4096, 4096 };
	char *argv[] = { "true", NULL };
	int fd;

	snprintf(f, sizeof(f), "%s/args-f", dir);
	snprintf(g, sizeof(g), "%s/args-g", dir);
	(void)unlink(g);
	if ((fd = open(f, O_WRONLY | O_CREAT | O_TRUNC, 0644)) >= 0)
		close(fd);
	printf("args");
#define E(call) printf(" %d", (call) == 0 ? 0 : errno)
	E(unlinkat(AT_FDCWD, f, 0x9999));
	E(linkat(AT_FDCWD, f, AT_FDCWD, g, 0x9999));
	E(fchownat(AT_FDCWD, f, getuid(), getgid(), 0x9999));
	E((int)syscall(SYS_faccessat2, AT_FDCWD, f, F_OK, 0x9999));
	E(utimensat(AT_FDCWD, f, NULL, 0x9999));
	signal(SIGXFSZ, SIG_IGN);
	E(setrlimit(RLIMIT_FSIZE, &rl));
	E(truncate(f, 8192));
	E(truncate(f, -1));
	E(truncate(f, 100));
	E((int)syscall(SYS_execve, "/bin/true", (uintptr_t)1, NULL));
	E((int)syscall(SYS_execve, (uintptr_t)1, argv, NULL));
	{
		struct stat st;
		struct statx stx;

		E(fstatat(AT_FDCWD, f, &st, 0x9999));
		E(statx(AT_FDCWD, f, AT_STATX_FORCE_SYNC |
		    AT_STATX_DONT_SYNC, STATX_BASIC_STATS, &stx));
		E(statx(AT_FDCWD, f, 0, STATX__RESERVED, &stx));
		E((int)syscall(SYS_execveat, AT_FDCWD, "/bin/true", argv, NULL,
		    0x9999));
		E(renameat2(AT_FDCWD, f, AT_FDCWD, g, RENAME_NOREPLACE |
		    RENAME_EXCHANGE));
	}
#undef E
	printf("\n");
}

/*
 * access(2) checks with the real ids, faccessat2(AT_EACCESS) with the
 * effective ones: a root-owned 0644 file, W_OK, by a caller that is root
 * really but nobody effectively, then the other way round (LTP access01).
 * Must run as root.  Prints "acc" and each errno (0: success).
 */
static void
access_ids(const char *dir)
{
	char f[PATH_MAX];
	int fd;

	snprintf(f, sizeof(f), "%s/acc-root", dir);
	if ((fd = open(f, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
	    fchmod(fd, 0644) != 0 || close(fd) != 0) {
		printf("acc setup %d\n", errno);
		return;
	}
	printf("acc");
#define E(call) printf(" %d", (call) == 0 ? 0 : errno)
	E(setresuid(0, 65534, 0));		/* really root */
	E(access(f, W_OK));
	E(faccessat(AT_FDCWD, f, W_OK, 0));
	E((int)syscall(SYS_faccessat2, AT_FDCWD, f, W_OK, AT_EACCESS));
	E(setresuid(65534, 0, 0));		/* really nobody */
	E(access(f, W_OK));
	E(access(f, R_OK));
	E((int)syscall(SYS_faccessat2, AT_FDCWD, f, W_OK, AT_EACCESS));
#undef E
	printf("\n");
}

/*
 * truncate by a caller that gave up root (setuid, or seteuid as LTP's
 * truncate03 does), under RLIMIT_FSIZE: a file it may not write (EACCES,
 * also beyond the limit: permission comes first), one it may (beyond the
 * limit EFBIG and SIGXFSZ, nothing done), a FIFO (EINVAL), negative lengths
 * (EINVAL, before the lookup).  Must run as root.  Prints "trunc", each
 * errno (0: success), whether SIGXFSZ came, and the final size.
 */
static void
trunc_user(const char *dir, bool euid)
{
	char fr[PATH_MAX], fn[PATH_MAX], ff[PATH_MAX], nx[PATH_MAX];
	struct rlimit rl = { 4096, 4096 };
	struct timespec zero = { 0, 0 };
	struct stat st;
	sigset_t set;
	int fd;

	snprintf(fr, sizeof(fr), "%s/trunc-root", dir);
	snprintf(fn, sizeof(fn), "%s/trunc-nobody", dir);
	snprintf(ff, sizeof(ff), "%s/fifo", dir);
	snprintf(nx, sizeof(nx), "%s/none/x", dir);
	if ((fd = open(fr, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
	    fchmod(fd, 0644) != 0 || write(fd, "root", 4) != 4 || close(fd) ||
	    (fd = open(fn, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
	    fchmod(fd, 0644) != 0 || fchown(fd, 65534, 65534) != 0 ||
	    close(fd) != 0) {
		printf("trunc setup %d\n", errno);
		return;
	}
	sigemptyset(&set);
	sigaddset(&set, SIGXFSZ);
	sigprocmask(SIG_BLOCK, &set, NULL);
	if ((euid ? seteuid(65534) : setuid(65534)) != 0) {
		printf("trunc drop %d\n", errno);
		return;
	}
	printf("trunc");
#define E(call) printf(" %d", (call) == 0 ? 0 : errno)
#define XFSZ() printf(" %d", sigtimedwait(&set, NULL, &zero) == SIGXFSZ)
	E(truncate(fr, 10));
	E(truncate(fn, 10));
	E(setrlimit(RLIMIT_FSIZE, &rl));
	E(truncate(fn, 8192));
	XFSZ();
	E(truncate(fn, 100));
	E(truncate(fr, 8192));
	XFSZ();
	E(truncate(ff, 8192));
	E(truncate(nx, -1));
	E(truncate(fn, -1));
	printf(" %lld", stat(fn, &st) == 0 ? (long long)st.st_size : -1LL);
#undef XFSZ
#undef E
	printf("\n");
}

/*
 * A call the supervisor decides but that never blocks (kill, decided on
 * its signal) under a storm of signals whose handler has no SA_RESTART:
 * natively it never fails with EINTR.  Prints "kintr", the calls that
 * failed EINTR, those that failed otherwise, and whether signals came.
 */
static volatile sig_atomic_t kintr_got;

static void
kintr_handler(int sig)
{
	(void)sig;
	kintr_got = 1;
}

static void
kill_intr(void)
{
	struct sigaction sa;
	pid_t me = getpid(), storm;
	int i, eintr = 0, other = 0;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = kintr_handler;	/* no SA_RESTART */
	sigaction(SIGUSR1, &sa, NULL);
	if ((storm = fork()) == 0) {
		for (;;)
			if (kill(me, SIGUSR1) != 0)
				_exit(0);
	}
	for (i = 0; i < 20000; i++)
		if (kill(storm, 0) != 0) {
			if (errno == EINTR)
				eintr++;
			else
				other++;
		}
	kill(storm, SIGKILL);
	waitpid(storm, NULL, 0);
	printf("kintr %d %d %d\n", eintr, other, (int)kintr_got);
}

static int
target(int argc, char **argv)
{
	const char *op = argc > 0 ? argv[0] : "";

	if (strcmp(op, "filter") == 0) {
		pid_t pid;

		fflush(stdout);
		if ((pid = fork()) == 0) {
			own_filter();
			fflush(stdout);
			_exit(0);
		}
		waitpid(pid, NULL, 0);
	} else if (strcmp(op, "strict") == 0) {
		strict(true);
		strict(false);
	} else if (strcmp(op, "traceme") == 0)
		traceme();
	else if (strcmp(op, "attach") == 0)
		attach();
	else if (strcmp(op, "attach_pid") == 0 && argc > 1)
		attach_pid((pid_t)atoi(argv[1]));
	else if (strcmp(op, "exec") == 0)
		traced_exec();
	else if (strcmp(op, "fifo") == 0 && argc > 2)
		fifo(argv[1], strcmp(argv[2], "restart") == 0);
	else if (strcmp(op, "connect") == 0 && argc > 1)
		connect_full(argv[1]);
	else if (strcmp(op, "args") == 0 && argc > 1)
		bad_args(argv[1]);
	else if (strcmp(op, "kintr") == 0)
		kill_intr();
	else if (strcmp(op, "acc") == 0 && argc > 1)
		access_ids(argv[1]);
	else if (strcmp(op, "trunc") == 0 && argc > 2)
		trunc_user(argv[1], strcmp(argv[2], "euid") == 0);
	else
		return 2;
	fflush(stdout);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The test side                                                       */

static char permit_pol[PATH_MAX];	/* permits all, in the filter */
static char watch_pol[PATH_MAX];	/* opens, connects, execs supervised */
static char signal_pol[PATH_MAX];	/* kill supervised */

/* The first line the target prints; confined with pol, or native (NULL). */
static void
run(const char *pol, const char *args, char *out, size_t cap)
{
	FILE *f = tu_run_open(pol, args);
	size_t n;

	out[0] = '\0';
	if (fgets(out, (int)cap, f) == NULL)
		out[0] = '\0';
	n = strlen(out);
	if (n > 0 && out[n - 1] == '\n')
		out[n - 1] = '\0';
	pclose(f);
}

/* Native and confined (under pol) give the same line; returns it. */
static const char *
same(const char *pol, const char *args)
{
	static char conf[512];
	char nat[512];

	run(NULL, args, nat, sizeof(nat));
	run(pol, args, conf, sizeof(conf));
	print_message("native:   %s\nconfined: %s\n", nat, conf);
	assert_string_equal(nat, conf);
	return conf;
}

/* A filter of the program's own stacks on ours and restricts further;
 * a listener of its own is refused (the kernel allows one per chain). */
static void
test_own_filter(void **state)
{
	char out[512];

	(void)state;
	run(permit_pol, "filter", out, sizeof(out));
	assert_string_equal(out, "filter 0 0 getppid -1 1 listener no");
	run(watch_pol, "filter", out, sizeof(out));
	assert_string_equal(out, "filter 0 0 getppid -1 1 listener no");
}

/* Arguments refused before any lookup: the same errno confined. */
static void
test_bad_args(void **state)
{
	char args[PATH_MAX + 8];

	(void)state;
	snprintf(args, sizeof(args), "args %s", tu_dir);
	assert_string_equal(same(watch_pol, args),
	    "args 22 22 22 22 22 0 27 22 0 14 14 22 22 22 22 22");
}

/*
 * truncate by a caller that is no longer root, with and without the
 * supervisor's help: the same errno and signals as natively.  Before the
 * fix, every one of these truncates failed EPERM confined (the supervisor
 * read the caller's RLIMIT_FSIZE while acting with its credentials).
 */
static void
test_trunc_user(void **state)
{
	static const char *const how[] = { "uid", "euid" };
	char args[PATH_MAX + 16];
	size_t i;

	(void)state;
	if (geteuid() != 0) {
		print_message("test_trunc_user: skipped, needs root\n");
		skip();
	}
	for (i = 0; i < sizeof(how) / sizeof(how[0]); i++) {
		snprintf(args, sizeof(args), "trunc %s %s", tu_dir, how[i]);
		assert_string_equal(same(watch_pol, args),
		    "trunc 13 0 0 27 1 0 13 0 22 22 22 100");
		assert_string_equal(same(permit_pol, args),
		    "trunc 13 0 0 27 1 0 13 0 22 22 22 100");
	}
}

/* access checks with the real ids, also when the supervisor carries it
 * out: before, it checked as root whatever the caller's real user. */
static void
test_access_ids(void **state)
{
	char args[PATH_MAX + 8];

	(void)state;
	if (geteuid() != 0) {
		print_message("test_access_ids: skipped, needs root\n");
		skip();
	}
	snprintf(args, sizeof(args), "acc %s", tu_dir);
	assert_string_equal(same(watch_pol, args), "acc 0 0 0 13 0 13 0 0");
	assert_string_equal(same(permit_pol, args), "acc 0 0 0 13 0 13 0 0");
}

/* Strict mode, through prctl and seccomp: emulated, same outcome. */
static void
test_strict(void **state)
{
	const char *r;

	(void)state;
	r = same(permit_pol, "strict");
	assert_string_equal(r, "strict y signal 9");
	r = same(watch_pol, "strict");
	assert_string_equal(r, "strict y signal 9");
}

static void
test_traceme(void **state)
{
	const char *r;

	(void)state;
	r = same(permit_pol, "traceme");
	assert_string_equal(r, "traceme stopped 1 sig 10 regs 0 exit 7");
}

/* ...but seccomp cannot be lifted from the tracee (natively root can). */
static void
test_attach(void **state)
{
	char out[512];

	(void)state;
	run(NULL, "attach", out, sizeof(out));
	assert_memory_equal(out, "attach 0 regs 0 killed 9 suspend ", 33);
	run(permit_pol, "attach", out, sizeof(out));
	assert_string_equal(out, "attach 0 regs 0 killed 9 suspend no");
	/* a denial like any other: the verdict line, the reason */
	assert_true(tu_log_has("deny ptrace pid="));
	assert_true(tu_log_has("refused whatever the policy says: "
	    "PTRACE_O_SUSPEND_SECCOMP lifts the filter)"));
}

/* A process outside the confinement cannot be traced or written to. */
static void
test_attach_outside(void **state)
{
	char args[64], out[512];
	pid_t pid;

	(void)state;
	if ((pid = fork()) == 0) {
		for (;;)
			pause();
	}
	snprintf(args, sizeof(args), "attach_pid %d", (int)pid);
	run(NULL, args, out, sizeof(out));
	assert_string_equal(out, "attach_pid 0 0 vmwrite 14");
	run(permit_pol, args, out, sizeof(out));
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	assert_string_equal(out, "attach_pid -1 1 vmwrite 1");
	assert_true(tu_log_has("refused whatever the policy says: ptrace of "
	    "a process outside the confinement"));
	assert_true(tu_log_has("deny process_vm_writev"));
	assert_true(tu_log_has("refused whatever the policy says: "
	    "process_vm_writev to a process outside"));
}

/* Exec in a task another program traces: permitted when the filter lets
 * every exec through; refused (and logged) when it must be verified. */
static void
test_traced_exec(void **state)
{
	char out[512];

	(void)state;
	(void)same(permit_pol, "exec");
	run(watch_pol, "exec", out, sizeof(out));
	assert_string_equal(out, "exec 21");
	assert_true(tu_log_has("deny execve"));
	assert_true(tu_log_has("refused whatever the policy says: the caller "
	    "is traced by another program"));
}

/* A signal interrupts a FIFO open the supervisor waits in. */
static void
test_fifo_eintr(void **state)
{
	char args[PATH_MAX + 32];
	const char *r;

	(void)state;
	snprintf(args, sizeof(args), "fifo %s/fifo eintr", tu_dir);
	r = same(watch_pol, args);
	assert_string_equal(r, "fifo fail 4 handled 1 early 0");
}

/* With SA_RESTART the handler runs during the open, which goes on. */
static void
test_fifo_restart(void **state)
{
	char args[PATH_MAX + 32];
	const char *r;

	(void)state;
	snprintf(args, sizeof(args), "fifo %s/fifo restart", tu_dir);
	r = same(watch_pol, args);
	assert_string_equal(r, "fifo open 0 handled 1 early 1");
}

static void
test_connect_eintr(void **state)
{
	char args[PATH_MAX + 32];
	const char *r;

	(void)state;
	snprintf(args, sizeof(args), "connect %s/sock", tu_dir);
	r = same(watch_pol, args);
	assert_string_equal(r, "connect 0 -1 4 handled 1");
}

/* A supervised call that never blocks is not interrupted (LTP kill10
 * under a learned policy: kill failed EINTR in a storm of signals). */
static void
test_kill_storm(void **state)
{
	(void)state;
	assert_string_equal(same(signal_pol, "kintr"), "kintr 0 0 1");
}

static int
setup(void **state)
{
	(void)state;
	if (tu_selfrun_setup("transp") != 0)
		return -1;
	snprintf(permit_pol, sizeof(permit_pol), "%s",
	    tu_write_policy("permit", "policy: 1\nname: permit\n"
	    "default: permit\n"));
	/* rules with conditions: opens, connects and execs come to the
	 * supervisor, which carries them out (and verifies execs) */
	snprintf(signal_pol, sizeof(signal_pol), "%s",
	    tu_write_policy("signal", "policy: 1\nname: signal\n"
	    "default: permit\nrules:\n"
	    "  - kill: signal eq SIGSYS then deny\n"));
	snprintf(watch_pol, sizeof(watch_pol), "%s",
	    tu_write_policy("watch", "policy: 1\nname: watch\ndefault: permit\n"
	    "rules:\n"
	    "  - fsread: filename eq \"%1$s/nothing\" then deny\n"
	    "  - fswrite: filename eq \"%1$s/nothing\" then deny\n"
	    "  - connect: sockaddr eq \"unix-%1$s/nothing\" then deny\n"
	    "  - execve: filename eq \"%1$s/nothing\" then deny\n", tu_dir));
	if (mkfifo(tu_path("fifo"), 0600) != 0)
		return -1;
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_own_filter),
		cmocka_unit_test(test_bad_args),
		cmocka_unit_test(test_trunc_user),
		cmocka_unit_test(test_access_ids),
		cmocka_unit_test(test_strict),
		cmocka_unit_test(test_traceme),
		cmocka_unit_test(test_attach),
		cmocka_unit_test(test_attach_outside),
		cmocka_unit_test(test_traced_exec),
		cmocka_unit_test(test_fifo_eintr),
		cmocka_unit_test(test_fifo_restart),
		cmocka_unit_test(test_connect_eintr),
		cmocka_unit_test(test_kill_storm),
	};

	if (argc > 1 && strcmp(argv[1], "--target") == 0)
		return target(argc - 2, argv + 2);
	return cmocka_run_group_tests(tests, setup, tu_selfrun_teardown);
}
