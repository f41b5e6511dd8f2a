/* bench_notify.c: the floor under a supervised call: a minimal seccomp user-notification supervisor
 * that answers CONTINUE, a fixed errno, or opens the file itself and hands it over with ADDFD. */
/*
 * Without arguments (as `make bench` runs it) it measures, in one run,
 * per call: native, and notified with each answer, for getppid, open+close
 * and stat of a file, and prints the round-trip floor beside native.
 *
 *   bench_notify [-c CPU] -- measure (the default)
 *   bench_notify -s CALLS [-e ERRNO | -a] [-p] -- PROGRAM [ARGS...]
 *	run PROGRAM with CALLS (comma-separated names) notified; each
 *	notification is answered CONTINUE, or failed with ERRNO (-e), or,
 *	with -a, for an open of an absolute path: the path is copied
 *	(process_vm_readv), the file opened here and given to the target
 *	(SECCOMP_IOCTL_NOTIF_ADDFD with SECCOMP_ADDFD_FLAG_SEND) - what the
 *	product does for an open, with no decision, no resolution and no
 *	checks.  With -p, the listener is poll(2)ed before each receive, as
 *	policyctl run's serve loop does.  bench_run uses this mode for the
 *	floor rows of its table.
 *
 * The supervisor makes two system calls per notification (RECV, SEND) in
 * the CONTINUE and errno modes, five in -a mode (RECV, process_vm_readv,
 * openat, ADDFD, close); nothing else.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <seccomp.h>
#include "bench_clock.h"

#define NMAX	48			/* notified calls at most */

enum answer { ANS_CONTINUE, ANS_ERRNO, ANS_ADDFD };

static int nrs[NMAX], nnr;
static int poll_first;		/* -p: poll(2) the listener before each RECV */

static void
fatal(const char *what)
{
	fprintf(stderr, "bench_notify: %s: %s\n", what, strerror(errno));
	exit(1);
}


/* Install the filter (nrs[] notified, the rest allowed); the listener. */
static int
install(void)
{
	struct sock_filter f[8 + 2 * NMAX];
	struct sock_fprog prog;
	int n = 0, i, fd;

	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, nr));
	for (i = 0; i < nnr; i++) {
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    (uint32_t)nrs[i], 0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
		    SECCOMP_RET_USER_NOTIF);
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_ALLOW);
	prog.len = (unsigned short)n;
	prog.filter = f;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		fatal("no_new_privs");
	fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
	    SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (fd < 0)
		fatal("seccomp");
	return fd;
}

/* Pass a descriptor over a unix socket. */
static void
send_fd(int sock, int fd)
{
	char c = 0, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr m;
	struct cmsghdr *cm;

	memset(&m, 0, sizeof(m));
	memset(ctl, 0, sizeof(ctl));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = ctl;
	m.msg_controllen = sizeof(ctl);
	cm = CMSG_FIRSTHDR(&m);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &fd, sizeof(int));
	if (sendmsg(sock, &m, 0) != 1)
		fatal("sendmsg");
}

static int
recv_fd(int sock)
{
	char c, ctl[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { &c, 1 };
	struct msghdr m;
	struct cmsghdr *cm;
	int fd;

	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = ctl;
	m.msg_controllen = sizeof(ctl);
	if (recvmsg(sock, &m, 0) != 1 || (cm = CMSG_FIRSTHDR(&m)) == NULL)
		fatal("recvmsg");
	memcpy(&fd, CMSG_DATA(cm), sizeof(int));
	return fd;
}

/* Serve the listener until the target is gone. */
static void
serve(int lfd, enum answer ans, int err)
{
	struct seccomp_notif_sizes sz;
	struct seccomp_notif *req;
	struct seccomp_notif_resp *resp;

	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) != 0)
		fatal("notif sizes");
	req = calloc(1, sz.seccomp_notif > sizeof(*req) ? sz.seccomp_notif :
	    sizeof(*req));
	resp = calloc(1, sz.seccomp_notif_resp > sizeof(*resp) ?
	    sz.seccomp_notif_resp : sizeof(*resp));
	if (req == NULL || resp == NULL)
		fatal("calloc");
	for (;;) {
		struct pollfd pfd = { lfd, POLLIN, 0 };

		if (poll_first && poll(&pfd, 1, -1) < 0 && errno != EINTR)
			return;
		memset(req, 0, sz.seccomp_notif);
		if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, req) != 0) {
			if (errno == EINTR)
				continue;
			return;		/* ENOENT...: the target is gone */
		}
		memset(resp, 0, sz.seccomp_notif_resp);
		resp->id = req->id;
		if (ans == ANS_ADDFD && (req->data.nr == SYS_openat ||
		    req->data.nr == SYS_open)) {
			int at = req->data.nr == SYS_openat;
			struct seccomp_notif_addfd af;
			char path[PATH_MAX];
			struct iovec l = { path, sizeof(path) };
			struct iovec r = { (void *)(uintptr_t)req->data.args[at],
			    sizeof(path) };
			ssize_t n;
			int fd;

			/* one copy of up to PATH_MAX bytes (it may stop short
			 * at the end of a mapping: then page by page would be
			 * needed; the benchmark's path is in the stack) */
			n = process_vm_readv(req->pid, &l, 1, &r, 1, 0);
			if (n <= 0 || memchr(path, '\0', (size_t)n) == NULL ||
			    path[0] != '/') {
				resp->error = -EPERM;
				goto send;
			}
			fd = open(path, (int)req->data.args[at + 1] | O_CLOEXEC,
			    (mode_t)req->data.args[at + 2]);
			if (fd < 0) {
				resp->error = -errno;
				goto send;
			}
			memset(&af, 0, sizeof(af));
			af.id = req->id;
			af.flags = SECCOMP_ADDFD_FLAG_SEND;
			af.srcfd = (uint32_t)fd;
			af.newfd_flags = (uint32_t)req->data.args[at + 1] &
			    O_CLOEXEC;
			(void)ioctl(lfd, SECCOMP_IOCTL_NOTIF_ADDFD, &af);
			close(fd);
			continue;
		}
		if (ans == ANS_ERRNO)
			resp->error = -err;
		else
			resp->flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;
send:
		while (ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, resp) != 0 &&
		    errno == EINTR)
			;
	}
}

/*
 * Fork: the child installs the filter, hands the listener to us over a
 * socket and runs child(arg) (or execs); we serve.  The child's exit
 * status is returned.
 */
static int
supervise(enum answer ans, int err, int (*child)(void *), void *arg)
{
	int sv[2], lfd, st;
	pid_t pid, server;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		fatal("socketpair");
	if ((pid = fork()) < 0)
		fatal("fork");
	if (pid == 0) {
		close(sv[0]);
		lfd = install();
		send_fd(sv[1], lfd);
		close(lfd);
		close(sv[1]);
		_exit(child(arg));
	}
	close(sv[1]);
	lfd = recv_fd(sv[0]);
	close(sv[0]);
	/* RECV does not return when the last target is gone (only poll
	 * says so): the server is a process of its own, killed then, so that
	 * the loop makes no call but RECV and SEND */
	if ((server = fork()) < 0)
		fatal("fork");
	if (server == 0) {
		serve(lfd, ans, err);
		_exit(0);
	}
	close(lfd);
	if (waitpid(pid, &st, 0) != pid)
		fatal("waitpid");
	kill(server, SIGKILL);
	waitpid(server, NULL, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ------------------------------------------------------------------ */
/* bench_notify -s CALLS [-e ERRNO | -a] -- PROGRAM [ARGS...]          */

static int
exec_child(void *arg)
{
	char **argv = arg;

	execvp(argv[0], argv);
	perror(argv[0]);
	return 127;
}

static void
set_calls(const char *list)
{
	char *copy = strdup(list), *c, *save = NULL;

	if (copy == NULL)
		fatal("strdup");
	for (c = strtok_r(copy, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
		int nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64, c);

		if (nr < 0 || nnr == NMAX) {
			fprintf(stderr, "bench_notify: bad call %s\n", c);
			exit(2);
		}
		nrs[nnr++] = nr;
	}
	free(copy);
}

/* ------------------------------------------------------------------ */
/* The measurement                                                     */

struct work {
	int	kind;		/* 'g' getppid, 'o' open+close, 's' stat */
	long	n;
	char	file[PATH_MAX];
	int	out;		/* pipe: ns per call, as a double */
};

static int
work_child(void *arg)
{
	struct work *w = arg;
	struct stat st;
	double t0, v;
	long i;
	int fd;

	t0 = now_ns();
	for (i = 0; i < w->n; i++) {
		if (w->kind == 'g')
			(void)syscall(SYS_getppid);
		else if (w->kind == 'o') {
			if ((fd = open(w->file, O_RDONLY)) < 0)
				return 1;
			close(fd);
		} else if (stat(w->file, &st) != 0)
			return 1;
	}
	v = (now_ns() - t0) / (double)w->n;
	return write(w->out, &v, sizeof(v)) == sizeof(v) ? 0 : 1;
}

/* ns per call of w under ans (nnr == 0: native, no filter), or -1. */
static double
measure(struct work *w, enum answer ans)
{
	int p[2];
	double v = -1;

	if (pipe(p) != 0)
		fatal("pipe");
	w->out = p[1];
	if (nnr == 0) {
		pid_t pid = fork();
		int st;

		if (pid < 0)
			fatal("fork");
		if (pid == 0)
			_exit(work_child(w));
		if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != 0)
			v = -2;
	} else if (supervise(ans, EPERM, work_child, w) != 0)
		v = -2;
	close(p[1]);
	if (v == -1 && read(p[0], &v, sizeof(v)) != sizeof(v))
		v = -1;
	close(p[0]);
	return v < 0 ? -1 : v;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of RUNS runs (1 with BENCH_QUICK), native and notified taking
 * turns, so that a busy machine slows them alike. */
#define RUNS	5

struct line {
	const char	*name;
	int		kind;
	int		nr;		/* the call notified (0: native) */
	enum answer	ans;
	double		v[RUNS], med;
};

static int
run_measurement(int cpu)
{
	struct line lines[] = {
		{ "getppid, native", 'g', 0, ANS_CONTINUE, {0}, 0 },
		{ "getppid, notified, errno answer", 'g', SYS_getppid,
		    ANS_ERRNO, {0}, 0 },
		{ "getppid, notified, CONTINUE", 'g', SYS_getppid,
		    ANS_CONTINUE, {0}, 0 },
		{ "open+close, native", 'o', 0, ANS_CONTINUE, {0}, 0 },
		{ "open+close, open notified, CONTINUE", 'o', SYS_openat,
		    ANS_CONTINUE, {0}, 0 },
		{ "open+close, open notified, ADDFD", 'o', SYS_openat,
		    ANS_ADDFD, {0}, 0 },
		{ "stat, native", 's', 0, ANS_CONTINUE, {0}, 0 },
		{ "stat, notified, CONTINUE", 's', SYS_newfstatat,
		    ANS_CONTINUE, {0}, 0 },
	};
	size_t nl = sizeof(lines) / sizeof(lines[0]), i;
	struct work w;
	int r, runs = getenv("BENCH_QUICK") != NULL ? 1 : RUNS;
	char tmpl[] = "/tmp/bench_notify.XXXXXX";

	if (cpu >= 0) {
		cpu_set_t set;

		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set) != 0)
			fatal("sched_setaffinity");
	}
	if (mkdtemp(tmpl) == NULL)
		fatal("mkdtemp");
	snprintf(w.file, sizeof(w.file), "%s/file", tmpl);
	{
		int fd = open(w.file, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd < 0)
			fatal(w.file);
		close(fd);
	}
	for (r = 0; r < runs; r++)
		for (i = 0; i < nl; i++) {
			w.kind = lines[i].kind;
			w.n = lines[i].kind == 'g' ? 50000 : 20000;
			nnr = lines[i].nr != 0;
			nrs[0] = lines[i].nr;
			lines[i].v[r] = measure(&w, lines[i].ans);
		}
	unlink(w.file);
	rmdir(tmpl);
	printf("seccomp user notification: a minimal supervisor (receive, "
	    "answer; nothing\nread or decided) against native, per call, "
	    "median of %d runs%s\n\n", runs, cpu >= 0 ? ", all on one CPU" :
	    "");
	printf("%-40s %10s %9s\n", "", "us/call", "x native");
	for (i = 0; i < nl; i++) {
		size_t base = lines[i].nr == 0 ? i :
		    lines[i].kind == 'g' ? 0 : lines[i].kind == 'o' ? 3 : 6;

		qsort(lines[i].v, (size_t)runs, sizeof(double), cmp_double);
		lines[i].med = lines[i].v[runs / 2];
		if (lines[i].med < 0) {
			printf("%-40s %10s\n", lines[i].name, "failed");
			continue;
		}
		printf("%-40s %10.2f %8.2fx\n", lines[i].name,
		    lines[i].med / 1000, lines[i].med / lines[base].med);
	}
	if (lines[4].med > 0 && lines[3].med > 0)
		printf("\nnotify round trip floor: %.2f us = %.2fx native "
		    "open+close (%.2f us over it)\n", lines[4].med / 1000,
		    lines[4].med / lines[3].med,
		    (lines[4].med - lines[3].med) / 1000);
	return 0;
}

int
main(int argc, char **argv)
{
	enum answer ans = ANS_CONTINUE;
	int ch, err = EPERM, cpu = -1;
	const char *calls = NULL;

	while ((ch = getopt(argc, argv, "+s:e:ac:p")) != -1) {
		switch (ch) {
		case 's':
			calls = optarg;
			break;
		case 'e':
			ans = ANS_ERRNO;
			err = atoi(optarg);
			break;
		case 'a':
			ans = ANS_ADDFD;
			break;
		case 'c':
			cpu = atoi(optarg);
			break;
		case 'p':
			poll_first = 1;
			break;
		default:
			fprintf(stderr, "usage: bench_notify [-c CPU]\n"
			    "       bench_notify -s CALLS [-e ERRNO | -a] [-p] -- "
			    "PROGRAM [ARGS...]\n");
			return 2;
		}
	}
	if (calls == NULL)
		return run_measurement(cpu);
	if (optind >= argc) {
		fprintf(stderr, "bench_notify: no program\n");
		return 2;
	}
	set_calls(calls);
	signal(SIGPIPE, SIG_IGN);
	return supervise(ans, err, exec_child, argv + optind);
}
