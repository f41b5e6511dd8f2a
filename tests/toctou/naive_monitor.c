/* naive_monitor.c: the deliberately wrong monitor of the race suite: seccomp user notification
 * that reads the arguments, decides with libpolicy, then lets the kernel re-read them (CONTINUE). */
/*
 * This is systrace's design on Linux, kept so that every attack in
 * tests/toctou shows it has the power to fail: the monitor copies a call's
 * path, sockaddr or argv out of the target, resolves the path the way
 * systrace normalised it (relative to the target's cwd or dirfd, symbolic
 * links followed with realpath(3)), evaluates the policy with the same
 * engine policyctl uses (policy_load_file + policy_eval), and on permit
 * answers SECCOMP_USER_NOTIF_FLAG_CONTINUE: the kernel then reads the
 * arguments again from the target's memory, resolves the path again and
 * uses whatever descriptor the fd number names by then.  Only the
 * enforcement differs from policyctl run; the decisions are the same.
 *
 * Do not use it for anything else.
 *
 * usage: naive_monitor [-v] -p POLICY -- PROGRAM [ARGS...]
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>

#include "policy_linux.h"	/* sockaddr and open-flag spelling only */

#define X32_BIT		0x40000000u
#define ARGV_MAX	256

static int verbose;
static const struct policy *pol;

/* The calls this monitor looks at, and the operation each is decided as. */
static const struct {
	int		nr;
	unsigned	op;
} calls[] = {
	{ SYS_open, POLICY_OP_OPEN }, { SYS_openat, POLICY_OP_OPEN },
	{ SYS_openat2, POLICY_OP_OPEN }, { SYS_creat, POLICY_OP_OPEN },
	{ SYS_unlink, POLICY_OP_UNLINK }, { SYS_unlinkat, POLICY_OP_UNLINK },
	{ SYS_rename, POLICY_OP_RENAME }, { SYS_renameat, POLICY_OP_RENAME },
	{ SYS_renameat2, POLICY_OP_RENAME },
	{ SYS_chmod, POLICY_OP_CHMOD }, { SYS_fchmodat, POLICY_OP_CHMOD },
	{ SYS_chdir, POLICY_OP_CHDIR },
	{ SYS_execve, POLICY_OP_EXECVE }, { SYS_execveat, POLICY_OP_EXECVE },
	{ SYS_connect, POLICY_OP_CONNECT }, { SYS_bind, POLICY_OP_BIND },
	{ SYS_sendto, POLICY_OP_SENDTO }, { SYS_sendmsg, POLICY_OP_SENDMSG },
};
#define NCALLS	(sizeof(calls) / sizeof(calls[0]))

static void fatal(const char *, ...)
    __attribute__((format(printf, 1, 2), noreturn));

static void
fatal(const char *fmt, ...)
{
	va_list ap;

	fputs("naive_monitor: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(3);
}

/* Does any rule name operation op (open: also fsread/fswrite)? */
static int
op_ruled(unsigned op)
{
	uint32_t i;

	for (i = 0; i < pol->p_nrules; i++) {
		unsigned r = pol->p_rules[i].pr_op;

		if (r == op || (op == POLICY_OP_OPEN &&
		    (r == POLICY_OP_FSREAD || r == POLICY_OP_FSWRITE)))
			return 1;
	}
	return 0;
}

static void
req_init(struct policy_request *req, unsigned op)
{
	memset(req, 0, sizeof(*req));
	req->pr_op = (uint16_t)op;
	req->pr_emul = POLICY_EMUL_NATIVE;
}

/* 0 to permit, else the errno the call fails with. */
static int
decide(const struct policy_request *req, pid_t pid)
{
	struct policy_decision d;

	policy_eval(pol, req, &d);
	if (verbose)
		fprintf(stderr, "naive_monitor: pid %d: %s op %u file=\"%s\" "
		    "file2=\"%s\" sockaddr=\"%s\" argv=\"%s\"\n", (int)pid,
		    d.pd_action == POLICY_ACT_PERMIT ? "permit" : "deny",
		    req->pr_op, req->pr_filename, req->pr_filename2,
		    req->pr_sockaddr, req->pr_argv);
	if (d.pd_action == POLICY_ACT_PERMIT)
		return 0;
	return d.pd_errno > 0 ? d.pd_errno : EPERM;
}

/* A filter: notify the calls whose verdict depends on their arguments,
 * answer the others as the policy does, allow the rest. */
static struct sock_fprog *
build_filter(void)
{
	static struct sock_filter f[8 + 2 * NCALLS];
	static struct sock_fprog prog;
	size_t n = 0, i;

	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, arch));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
	    AUDIT_ARCH_X86_64, 1, 0);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_KILL_PROCESS);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
	    offsetof(struct seccomp_data, nr));
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K,
	    X32_BIT, 0, 1);
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_KILL_PROCESS);
	for (i = 0; i < NCALLS; i++) {
		uint32_t ret = SECCOMP_RET_USER_NOTIF;

		if (!op_ruled(calls[i].op)) {
			struct policy_request req;
			int e;

			req_init(&req, calls[i].op);
			e = decide(&req, 0);
			ret = e == 0 ? SECCOMP_RET_ALLOW :
			    SECCOMP_RET_ERRNO | (uint32_t)e;
		}
		f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    (uint32_t)calls[i].nr, 0, 1);
		f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, ret);
	}
	f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
	    SECCOMP_RET_ALLOW);
	prog.len = (unsigned short)n;
	prog.filter = f;
	return &prog;
}

/* ------------------------------------------------------------------ */
/* Reading the target                                                 */

static int
rd(pid_t pid, uint64_t addr, void *buf, size_t len)
{
	struct iovec l = { buf, len }, r = { (void *)(uintptr_t)addr, len };

	if (len == 0)
		return 0;
	return process_vm_readv(pid, &l, 1, &r, 1, 0) == (ssize_t)len ? 0 :
	    -EFAULT;
}

static int
rd_str(pid_t pid, uint64_t addr, char *buf, size_t cap)
{
	size_t got = 0;

	while (got < cap) {
		size_t chunk = 4096 - ((addr + got) & 4095);
		struct iovec l, r;
		ssize_t n;

		if (chunk > cap - got)
			chunk = cap - got;
		l.iov_base = buf + got;
		l.iov_len = chunk;
		r.iov_base = (void *)(uintptr_t)(addr + got);
		r.iov_len = chunk;
		if ((n = process_vm_readv(pid, &l, 1, &r, 1, 0)) <= 0)
			return -EFAULT;
		if (memchr(buf + got, '\0', (size_t)n) != NULL)
			return 0;
		got += (size_t)n;
	}
	return -ENAMETOOLONG;
}

/*
 * The path as systrace saw it: made absolute from the target's cwd or
 * dirfd, /proc/self meaning the target, then normalised with realpath(3),
 * the final component followed only when the call follows it.
 */
static int
resolve(pid_t pid, int dirfd, const char *path, int follow, char *out,
    size_t cap)
{
	char abs[2 * PATH_MAX], dir[PATH_MAX], rdir[PATH_MAX], link[64];
	char *slash, *last;
	ssize_t n;

	if (strncmp(path, "/proc/self", 10) == 0 &&
	    (path[10] == '/' || path[10] == '\0'))
		snprintf(abs, sizeof(abs), "/proc/%d%s", (int)pid, path + 10);
	else if (path[0] == '/')
		snprintf(abs, sizeof(abs), "%s", path);
	else {
		if (dirfd == AT_FDCWD)
			snprintf(link, sizeof(link), "/proc/%d/cwd", (int)pid);
		else
			snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)pid,
			    dirfd);
		if ((n = readlink(link, dir, sizeof(dir) - 1)) < 0)
			return -EBADF;
		dir[n] = '\0';
		snprintf(abs, sizeof(abs), "%s/%s", dir, path);
	}
	if (follow && realpath(abs, out) != NULL)
		return 0;
	/* the final component as named, in its resolved directory */
	n = (ssize_t)strlen(abs);
	while (n > 1 && abs[n - 1] == '/')
		abs[--n] = '\0';
	slash = strrchr(abs, '/');
	last = slash + 1;
	if (strcmp(last, ".") == 0 || strcmp(last, "..") == 0 || *last == '\0') {
		if (realpath(abs, out) == NULL)
			snprintf(out, cap, "%s", abs);
		return 0;
	}
	if (slash == abs)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - abs), abs);
	if (realpath(dir, rdir) == NULL)
		snprintf(rdir, sizeof(rdir), "%s", dir);
	if ((size_t)snprintf(out, cap, "%s%s%s", rdir, strcmp(rdir, "/") ? "/" :
	    "", last) >= cap)
		return -ENAMETOOLONG;
	return 0;
}

/* Copy a path argument and resolve it into the request field. */
static int
path_field(pid_t pid, int dirfd, uint64_t addr, int follow,
    struct policy_request *req, unsigned field)
{
	char path[PATH_MAX], res[PATH_MAX];
	int r;

	if ((r = rd_str(pid, addr, path, sizeof(path))) != 0)
		return r;
	if (path[0] == '\0')
		return -ENOENT;
	if ((r = resolve(pid, dirfd, path, follow, res, sizeof(res))) != 0)
		return r;
	policy_request_set_str(req, field, res);
	return 0;
}

/* execveat(fd, "", AT_EMPTY_PATH): the file the fd names, read from
 * /proc/PID/fd/N (which the kernel looks up again when it execs).
 * Returns 1 when the field was set, 0 for an ordinary path. */
static int
empty_path(pid_t pid, uint64_t addr, uint64_t flags, int fd,
    struct policy_request *req)
{
	char link[64], res[PATH_MAX], c;
	ssize_t n;

	if (!(flags & AT_EMPTY_PATH) || rd(pid, addr, &c, 1) != 0 || c != '\0')
		return 0;
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)pid, fd);
	if ((n = readlink(link, res, sizeof(res) - 1)) < 0)
		return -EBADF;
	res[n] = '\0';
	policy_request_set_str(req, POLICY_F_FILENAME, res);
	return 1;
}

static int
sockaddr_field(pid_t pid, uint64_t addr, uint64_t len,
    struct policy_request *req)
{
	struct sockaddr_storage ss;
	struct sockaddr_un *un = (struct sockaddr_un *)&ss;
	char str[POLICY_SOCKADDR_MAX], res[PATH_MAX];
	int r;

	if (addr == 0)
		return 0;
	if (len > sizeof(ss) || len < sizeof(sa_family_t))
		return -EINVAL;
	memset(&ss, 0, sizeof(ss));
	if ((r = rd(pid, addr, &ss, len)) != 0)
		return r;
	if (ss.ss_family == AF_UNIX && len > offsetof(struct sockaddr_un,
	    sun_path) && un->sun_path[0] != '\0') {
		un->sun_path[sizeof(un->sun_path) - 1] = '\0';
		if ((r = resolve(pid, AT_FDCWD, un->sun_path, 1, res,
		    sizeof(res))) != 0)
			return r;
		if ((size_t)snprintf(str, sizeof(str), "unix-%s", res) >=
		    sizeof(str))
			return -ENAMETOOLONG;
	} else if ((r = policy_linux_sockaddr_str(&ss, len, str,
	    sizeof(str))) != 0)
		return r;
	policy_request_set_str(req, POLICY_F_SOCKADDR, str);
	return 0;
}

static int
argv_field(pid_t pid, uint64_t vec, struct policy_request *req)
{
	char joined[POLICY_ARGV_MAX], arg[POLICY_ARGV_MAX];
	size_t len = 0, i;

	joined[0] = '\0';
	for (i = 0; vec != 0 && i < ARGV_MAX; i++) {
		uint64_t p;
		size_t al;

		if (rd(pid, vec + 8 * i, &p, sizeof(p)) != 0)
			return -EFAULT;
		if (p == 0)
			break;
		if (rd_str(pid, p, arg, sizeof(arg)) != 0)
			return -E2BIG;
		al = strlen(arg);
		if (len + al + 2 > sizeof(joined))
			return -E2BIG;
		if (i > 0)
			joined[len++] = ' ';
		memcpy(joined + len, arg, al + 1);
		len += al;
	}
	policy_request_set_str(req, POLICY_F_ARGV, joined);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Deciding one notification                                          */

static int
build_request(const struct seccomp_notif *n, unsigned op,
    struct policy_request *req)
{
	const __u64 *a = n->data.args;
	pid_t pid = (pid_t)n->pid;
	int nr = n->data.nr, flags, r = 0;

	req_init(req, op);
	switch (op) {
	case POLICY_OP_OPEN:
		if (nr == SYS_open || nr == SYS_creat) {
			flags = nr == SYS_creat ? O_CREAT | O_WRONLY | O_TRUNC :
			    (int)a[1];
			r = path_field(pid, AT_FDCWD, a[0], !(flags & O_NOFOLLOW),
			    req, POLICY_F_FILENAME);
		} else {
			if (nr == SYS_openat2) {
				struct open_how how;

				if ((r = rd(pid, a[2], &how, sizeof(how))) != 0)
					return r;
				flags = (int)how.flags;
			} else
				flags = (int)a[2];
			r = path_field(pid, (int)a[0], a[1],
			    !(flags & O_NOFOLLOW), req, POLICY_F_FILENAME);
		}
		policy_request_set_int(req, POLICY_F_FLAGS,
		    policy_linux_oflags(flags));
		return r;
	case POLICY_OP_UNLINK:
		if (nr == SYS_unlink)
			return path_field(pid, AT_FDCWD, a[0], 0, req,
			    POLICY_F_FILENAME);
		if (a[2] & AT_REMOVEDIR)
			req->pr_op = POLICY_OP_RMDIR;
		return path_field(pid, (int)a[0], a[1], 0, req,
		    POLICY_F_FILENAME);
	case POLICY_OP_RENAME:
		if (nr == SYS_rename) {
			if ((r = path_field(pid, AT_FDCWD, a[0], 0, req,
			    POLICY_F_FILENAME)) != 0)
				return r;
			return path_field(pid, AT_FDCWD, a[1], 0, req,
			    POLICY_F_FILENAME2);
		}
		if ((r = path_field(pid, (int)a[0], a[1], 0, req,
		    POLICY_F_FILENAME)) != 0)
			return r;
		return path_field(pid, (int)a[2], a[3], 0, req,
		    POLICY_F_FILENAME2);
	case POLICY_OP_CHMOD:
		if (nr == SYS_chmod) {
			policy_request_set_int(req, POLICY_F_MODE,
			    (int64_t)(a[1] & 07777));
			return path_field(pid, AT_FDCWD, a[0], 1, req,
			    POLICY_F_FILENAME);
		}
		policy_request_set_int(req, POLICY_F_MODE,
		    (int64_t)(a[2] & 07777));
		return path_field(pid, (int)a[0], a[1], 1, req,
		    POLICY_F_FILENAME);
	case POLICY_OP_CHDIR:
		return path_field(pid, AT_FDCWD, a[0], 1, req,
		    POLICY_F_FILENAME);
	case POLICY_OP_EXECVE:
		if (nr == SYS_execve) {
			if ((r = path_field(pid, AT_FDCWD, a[0], 1, req,
			    POLICY_F_FILENAME)) != 0)
				return r;
			return argv_field(pid, a[1], req);
		}
		if ((r = empty_path(pid, a[1], a[4], (int)a[0], req)) < 0 ||
		    (r == 0 && (r = path_field(pid, (int)a[0], a[1],
		    !(a[4] & AT_SYMLINK_NOFOLLOW), req, POLICY_F_FILENAME)) != 0))
			return r;
		return argv_field(pid, a[2], req);
	case POLICY_OP_CONNECT:
	case POLICY_OP_BIND:
		return sockaddr_field(pid, a[1], a[2], req);
	case POLICY_OP_SENDTO:
		return sockaddr_field(pid, a[4], a[5], req);
	case POLICY_OP_SENDMSG: {
		struct msghdr mh;

		if ((r = rd(pid, a[1], &mh, sizeof(mh))) != 0)
			return r;
		return sockaddr_field(pid, (uintptr_t)mh.msg_name,
		    mh.msg_namelen, req);
	}
	default:
		return 0;
	}
}

static void
answer(int lfd, uint64_t id, int err)
{
	struct seccomp_notif_resp resp;

	memset(&resp, 0, sizeof(resp));
	resp.id = id;
	if (err != 0)
		resp.error = -err;
	else
		resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE;	/* the mistake */
	(void)ioctl(lfd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
}

static void
handle(int lfd, const struct seccomp_notif *n)
{
	struct policy_request req;
	unsigned op = POLICY_OP_NONE;
	size_t i;
	int r;

	for (i = 0; i < NCALLS; i++)
		if (calls[i].nr == n->data.nr)
			op = calls[i].op;
	if (op == POLICY_OP_NONE) {
		answer(lfd, n->id, 0);
		return;
	}
	r = build_request(n, op, &req);
	/* the notification must still be pending for what we read to be the
	 * waiting thread's (the one check a naive monitor does get right) */
	if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_ID_VALID, &n->id) != 0)
		return;
	if (r != 0) {
		answer(lfd, n->id, -r);
		return;
	}
	answer(lfd, n->id, decide(&req, (pid_t)n->pid));
}

/* ------------------------------------------------------------------ */

static void
usage(void)
{
	fprintf(stderr, "usage: naive_monitor [-v] -p POLICY -- PROGRAM "
	    "[ARGS...]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	struct policy_loaded *pl;
	struct policy_diag diag;
	struct seccomp_notif_sizes sz;
	struct seccomp_notif *n;
	struct sock_fprog *prog;
	const char *policy = NULL;
	int up[2], down[2], lfd, pidfd, child_l, st, ch;
	pid_t pid;

	while ((ch = getopt(argc, argv, "+vp:")) != -1) {
		switch (ch) {
		case 'v':
			verbose = 1;
			break;
		case 'p':
			policy = optarg;
			break;
		default:
			usage();
		}
	}
	if (policy == NULL || optind >= argc)
		usage();
	memset(&diag, 0, sizeof(diag));
	if ((pl = policy_load_file(policy, &diag)) == NULL) {
		policy_diag_print(stderr, &diag);
		return 1;
	}
	pol = &pl->pl_policy;
	prog = build_filter();
	if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz) != 0)
		fatal("seccomp user notification unavailable: %s",
		    strerror(errno));
	if (pipe2(up, O_CLOEXEC) != 0 || pipe2(down, O_CLOEXEC) != 0)
		fatal("pipe: %s", strerror(errno));

	if ((pid = fork()) < 0)
		fatal("fork: %s", strerror(errno));
	if (pid == 0) {
		char go;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
			_exit(126);
		child_l = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		    SECCOMP_FILTER_FLAG_NEW_LISTENER, prog);
		if (child_l < 0)
			_exit(126);
		/* read and write are not filtered: hand over the listener */
		if (write(up[1], &child_l, sizeof(child_l)) != sizeof(child_l) ||
		    read(down[0], &go, 1) != 1)
			_exit(126);
		close(child_l);
		execvp(argv[optind], argv + optind);
		_exit(127);
	}
	close(up[1]);
	close(down[0]);
	if (read(up[0], &child_l, sizeof(child_l)) != sizeof(child_l))
		fatal("the child could not install its filter");
	if ((pidfd = (int)syscall(SYS_pidfd_open, pid, 0)) < 0 ||
	    (lfd = (int)syscall(SYS_pidfd_getfd, pidfd, child_l, 0)) < 0)
		fatal("taking the listener: %s", strerror(errno));
	if (write(down[1], "g", 1) != 1)
		fatal("start: %s", strerror(errno));

	if ((n = calloc(1, sz.seccomp_notif + 64)) == NULL)
		fatal("out of memory");
	for (;;) {
		struct pollfd pfd[2] = { { lfd, POLLIN, 0 }, { pidfd, POLLIN, 0 } };

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			fatal("poll: %s", strerror(errno));
		}
		if (pfd[0].revents & POLLIN) {
			memset(n, 0, sz.seccomp_notif);
			if (ioctl(lfd, SECCOMP_IOCTL_NOTIF_RECV, n) == 0)
				handle(lfd, n);
			continue;
		}
		if (pfd[1].revents & POLLIN)
			break;
		if (pfd[0].revents & (POLLHUP | POLLERR))
			break;
	}
	if (waitpid(pid, &st, 0) != pid)
		fatal("waitpid: %s", strerror(errno));
	policy_loaded_free(pl);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}
