/* test_linux_run.c: the Linux supervisor end to end: this program re-executes itself as
 * the confined target (--target SCENARIO) and checks permit and deny for every call class. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/swap.h>
#include <sys/xattr.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/openat2.h>

#include "testutil.h"
#include "policy_linux.h"

/* ------------------------------------------------------------------ */
/* The target side: scenarios run confined; exit 0 when all held.      */

static const char *D;		/* scratch directory */
static char self[PATH_MAX];	/* this binary */

#define T(cond) do {							\
	if (!(cond)) {							\
		fprintf(stderr, "target %s:%d: %s (errno %d %s)\n",	\
		    __func__, __LINE__, #cond, errno, strerror(errno));	\
		return 1;						\
	}								\
} while (0)
#define DENIED(call, e)	T((call) == -1 && errno == (e))

static char *
P(const char *rel)
{
	static char buf[8][PATH_MAX];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", D, rel);
	return buf[i];
}

static int
readfile(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return (int)n;
}

static int
t_open(void)
{
	char buf[256], big[PATH_MAX + 64];
	struct stat st;
	int fd, dfd, p[2], fl;

	T(readfile(P("pub/a"), buf, sizeof(buf)) == 1 && buf[0] == 'A');
	DENIED(open(P("secret"), O_RDONLY), EACCES);
	DENIED(open(P("priv/x"), O_RDONLY), EACCES);
	/* access mode 3 (ioctls only) needs write permission too */
	T((fd = open(P("pub/ro"), O_RDONLY)) >= 0);
	close(fd);
	DENIED(open(P("pub/ro"), O_WRONLY | O_RDWR), EACCES);
	DENIED(open(P("nonexistent"), O_RDONLY), ENOENT);
	/* relative, "..", dirfd */
	T(chdir(P("pub")) == 0);
	T((fd = open("a", O_RDONLY)) >= 0);
	close(fd);
	DENIED(open("../secret", O_RDONLY), EACCES);
	T((fd = open("../pub/./a", O_RDONLY)) >= 0);
	close(fd);
	T((dfd = open(D, O_PATH | O_DIRECTORY)) >= 0);
	DENIED(openat(dfd, "secret", O_RDONLY), EACCES);
	T((fd = openat(dfd, "pub/a", O_RDONLY)) >= 0);
	close(fd);
	close(dfd);
	/* symlinks: the decision is on the object reached */
	DENIED(open(P("pub/ln_secret"), O_RDONLY), EACCES);
	DENIED(open(P("pub/ln_priv/x"), O_RDONLY), EACCES);
	T((fd = open(P("pub/ln_a"), O_RDONLY)) >= 0);
	close(fd);
	DENIED(open(P("pub/ln_a"), O_RDONLY | O_NOFOLLOW), ELOOP);
	/* O_PATH is emulated with O_RDONLY (ADDFD cannot install O_PATH):
	 * a symlink itself cannot be opened */
	DENIED(open(P("pub/ln_secret"), O_PATH | O_NOFOLLOW), ELOOP);
	/* create */
	T((fd = open(P("pub/new"), O_CREAT | O_WRONLY | O_TRUNC, 0640)) >= 0);
	T(write(fd, "xyz", 3) == 3);
	T(fstat(fd, &st) == 0 && (st.st_mode & 0777) == (0640 & ~022u));
	close(fd);
	DENIED(open(P("pub/new"), O_CREAT | O_EXCL | O_WRONLY, 0600), EEXIST);
	DENIED(open(P("priv/new"), O_CREAT | O_WRONLY, 0600), EACCES);
	DENIED(creat(P("priv/new2"), 0600), EACCES);
	T((fd = creat(P("pub/new2"), 0600)) >= 0);
	close(fd);
	/* flags honoured */
	T((fd = open(P("pub/a"), O_RDONLY | O_CLOEXEC)) >= 0);
	T((fl = fcntl(fd, F_GETFD)) >= 0 && (fl & FD_CLOEXEC));
	close(fd);
	T((fd = open(P("pub/a"), O_RDONLY)) >= 0);
	T((fl = fcntl(fd, F_GETFD)) == 0);
	T((fl = fcntl(fd, F_GETFL)) >= 0 && (fl & O_ACCMODE) == O_RDONLY);
	close(fd);
	T((fd = open(P("pub/a"), O_PATH)) >= 0);
	T(fstat(fd, &st) == 0 && st.st_size == 1);
	close(fd);
	T((fd = open(D, O_PATH | O_DIRECTORY)) >= 0);
	T(fstat(fd, &st) == 0 && S_ISDIR(st.st_mode));
	close(fd);
	DENIED(open(P("pub/a"), O_RDONLY | O_DIRECTORY), ENOTDIR);
	T((fd = open(P("pub"), O_TMPFILE | O_RDWR, 0600)) >= 0 ||
	    errno == EOPNOTSUPP);
	if (fd >= 0)
		close(fd);
	DENIED(open(P("priv"), O_TMPFILE | O_RDWR, 0600), EACCES);
	/* /proc/self and the links through it name the target */
	T(readfile("/proc/self/status", buf, sizeof(buf)) > 0);
	{
		char *pl = strstr(buf, "\nPid:");
		T(pl != NULL && atoi(pl + 5) == getpid());
	}
	T(pipe(p) == 0);
	snprintf(buf, sizeof(buf), "/dev/fd/%d", p[0]);
	T((fd = open(buf, O_RDONLY | O_NONBLOCK)) >= 0);
	T(write(p[1], "q", 1) == 1);
	T(read(fd, buf, 1) == 1 && buf[0] == 'q');
	close(fd);
	close(p[0]);
	close(p[1]);
	/* the supervisor is out of reach */
	snprintf(buf, sizeof(buf), "/proc/%d/status", (int)getppid());
	DENIED(open(buf, O_RDONLY), EACCES);
	snprintf(buf, sizeof(buf), "/proc/%d/mem", (int)getppid());
	DENIED(open(buf, O_RDWR), EACCES);
	/* hostile arguments */
	DENIED((int)syscall(SYS_openat, AT_FDCWD, (char *)1, O_RDONLY), EFAULT);
	DENIED((int)syscall(SYS_openat, 999, "x", O_RDONLY), EBADF);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	DENIED(open(big, O_RDONLY), ENAMETOOLONG);
	return 0;
}

static long
oa2(int dfd, const char *path, int flags, uint64_t resolve)
{
	struct open_how how;

	memset(&how, 0, sizeof(how));
	how.flags = (uint64_t)flags;
	how.resolve = resolve;
	return syscall(SYS_openat2, dfd, path, &how, sizeof(how));
}

/* openat2's RESOLVE_* restrictions, and O_PATH */
static int
t_resolve(void)
{
	char buf[512];
	struct stat st;
	int d, pub, proc, fd, p[2], sk;
	ssize_t n;

	T((d = open(D, O_PATH | O_DIRECTORY)) >= 0);
	T((pub = open(P("pub"), O_PATH | O_DIRECTORY)) >= 0);
	/* BENEATH: nothing outside the directory */
	T((fd = (int)oa2(d, "pub/a", O_RDONLY, RESOLVE_BENEATH)) >= 0);
	close(fd);
	DENIED((int)oa2(pub, "../pub/a", O_RDONLY, RESOLVE_BENEATH), EXDEV);
	DENIED((int)oa2(pub, "/etc/hostname", O_RDONLY, RESOLVE_BENEATH), EXDEV);
	DENIED((int)oa2(pub, "ln_secret", O_RDONLY, RESOLVE_BENEATH), EXDEV);
	T((fd = (int)oa2(pub, "ln_a", O_RDONLY, RESOLVE_BENEATH)) >= 0);
	close(fd);
	/* the policy still decides */
	DENIED((int)oa2(d, "secret", O_RDONLY, RESOLVE_BENEATH), EACCES);
	/* IN_ROOT: the directory is "/" */
	T((fd = (int)oa2(pub, "/a", O_RDONLY, RESOLVE_IN_ROOT)) >= 0);
	T(read(fd, buf, 1) == 1 && buf[0] == 'A');
	close(fd);
	T((fd = (int)oa2(pub, "../../a", O_RDONLY, RESOLVE_IN_ROOT)) >= 0);
	close(fd);
	DENIED((int)oa2(pub, "/secret", O_RDONLY, RESOLVE_IN_ROOT), ENOENT);
	/* NO_SYMLINKS, NO_MAGICLINKS, NO_XDEV */
	DENIED((int)oa2(AT_FDCWD, P("pub/ln_a"), O_RDONLY, RESOLVE_NO_SYMLINKS),
	    ELOOP);
	T((fd = (int)oa2(AT_FDCWD, P("pub/ln_a"), O_PATH | O_NOFOLLOW,
	    RESOLVE_NO_SYMLINKS)) >= 0 || errno == ELOOP);
	if (fd >= 0)
		close(fd);
	T(pipe(p) == 0);
	snprintf(buf, sizeof(buf), "/proc/self/fd/%d", p[0]);
	DENIED((int)oa2(AT_FDCWD, buf, O_RDONLY, RESOLVE_NO_MAGICLINKS), ELOOP);
	T((fd = (int)oa2(AT_FDCWD, buf, O_RDONLY | O_NONBLOCK, 0)) >= 0);
	close(fd);
	close(p[0]);
	close(p[1]);
	DENIED((int)oa2(AT_FDCWD, "/proc/self/status", O_RDONLY,
	    RESOLVE_NO_XDEV), EXDEV);
	/* the caller's own NO_XDEV, staying on the root's mount: the
	 * supervisor's first lookup is already the answer */
	T((fd = (int)oa2(AT_FDCWD, "/etc/passwd", O_RDONLY,
	    RESOLVE_NO_XDEV)) >= 0);
	close(fd);
	DENIED((int)oa2(AT_FDCWD, "/etc/policy-no-such-file", O_RDONLY,
	    RESOLVE_NO_XDEV), ENOENT);
	DENIED((int)oa2(AT_FDCWD, "/etc/passwd/x", O_RDONLY,
	    RESOLVE_NO_XDEV), ENOTDIR);
	DENIED((int)oa2(AT_FDCWD, P("pub/a"), O_RDONLY, RESOLVE_CACHED), EAGAIN);
	/* "self" under a scoped lookup is still the target */
	T((proc = open("/proc", O_PATH | O_DIRECTORY)) >= 0);
	T((fd = (int)oa2(proc, "self/status", O_RDONLY, RESOLVE_BENEATH)) >= 0);
	T((n = read(fd, buf, sizeof(buf) - 1)) > 0);
	buf[n] = '\0';
	close(fd);
	T(strstr(buf, "\nPid:") != NULL &&
	    atoi(strstr(buf, "\nPid:") + 5) == getpid());
	DENIED((int)oa2(proc, "self/cwd/a", O_RDONLY, RESOLVE_BENEATH), EXDEV);
	/* bad arguments */
	DENIED((int)oa2(d, "pub/a", O_RDONLY, RESOLVE_BENEATH | RESOLVE_IN_ROOT),
	    EINVAL);
	DENIED((int)oa2(d, "pub/a", O_RDONLY, 1ull << 40), EINVAL);
	/* O_PATH: a read-only descriptor, which the policy must permit too */
	T((fd = open(P("pathonly"), O_PATH)) == -1 && errno == EACCES);
	T((fd = open(P("pub/a"), O_PATH | O_CLOEXEC)) >= 0);
	T(fstat(fd, &st) == 0 && S_ISREG(st.st_mode));
	T(fcntl(fd, F_GETFD) == FD_CLOEXEC);
	close(fd);
	T((fd = open(P("pub"), O_PATH | O_DIRECTORY)) >= 0);
	T(fstatat(fd, "a", &st, 0) == 0);
	close(fd);
	DENIED(open(P("pub/a"), O_PATH | O_DIRECTORY), ENOTDIR);
	T((sk = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	{
		struct sockaddr_un un;

		memset(&un, 0, sizeof(un));
		un.sun_family = AF_UNIX;
		snprintf(un.sun_path, sizeof(un.sun_path), "%s", P("pub/osock"));
		T(bind(sk, (struct sockaddr *)&un, sizeof(un)) == 0);
	}
	DENIED(open(P("pub/osock"), O_PATH), ENXIO);
	close(sk);
	close(proc);
	close(pub);
	close(d);
	return 0;
}

static int
t_path(void)
{
	struct stat st;
	struct statx stx;
	char buf[64];
	int fd;

	T(stat(P("pub/a"), &st) == 0 && st.st_size == 1 && S_ISREG(st.st_mode));
	DENIED(stat(P("secret"), &st), EACCES);
	DENIED(stat(P("pub/ln_secret"), &st), EACCES);
	T(lstat(P("pub/ln_secret"), &st) == 0 && S_ISLNK(st.st_mode));
	T(statx(AT_FDCWD, P("pub/a"), 0, STATX_SIZE, &stx) == 0 &&
	    stx.stx_size == 1);
	DENIED(statx(AT_FDCWD, P("priv/x"), 0, STATX_SIZE, &stx), EACCES);
	T((fd = open(P("pub/a"), O_RDONLY)) >= 0);
	T(fstat(fd, &st) == 0 && st.st_size == 1);
	T(fstatat(fd, "", &st, AT_EMPTY_PATH) == 0 && st.st_size == 1);
	close(fd);
	DENIED(stat((char *)1, &st), EFAULT);
	DENIED(stat(P("pub/a"), (struct stat *)1), EFAULT);
	T(access(P("pub/a"), R_OK) == 0);
	DENIED(access(P("secret"), R_OK), EACCES);
	DENIED(faccessat(AT_FDCWD, P("priv/x"), R_OK, AT_EACCESS), EACCES);
	T(readlink(P("pub/ln_a"), buf, sizeof(buf)) == 1 && buf[0] == 'a');
	T(readlink(P("pub/ln_a"), buf, 0) == -1 && errno == EINVAL);
	DENIED(readlink(P("priv/l"), buf, sizeof(buf)), EACCES);
	T(readlink("/proc/self/exe", buf, sizeof(buf)) > 0);
	T(mkdir(P("pub/nd"), 0755) == 0);
	DENIED(mkdir(P("priv/nd"), 0755), EACCES);
	DENIED(mkdir(P("pub/eperm"), 0755), EPERM);	/* the rule's errno */
	T(rmdir(P("pub/nd")) == 0);
	DENIED(rmdir(P("priv/sub")), EACCES);
	T(close(open(P("pub/u"), O_CREAT | O_WRONLY, 0600)) == 0);
	T(unlink(P("pub/u")) == 0);
	DENIED(unlink(P("priv/x")), EACCES);
	DENIED(unlink(P("pub/u")), ENOENT);
	T(rename(P("pub/r1"), P("pub/r2")) == 0);
	DENIED(rename(P("pub/r2"), P("priv/r3")), EACCES);
	DENIED(rename(P("priv/x"), P("pub/x")), EACCES);
	T(link(P("pub/a"), P("pub/a2")) == 0);
	T(stat(P("pub/a2"), &st) == 0 && st.st_nlink == 2);
	DENIED(link(P("secret"), P("pub/s2")), EACCES);
	DENIED(link(P("pub/a"), P("priv/a3")), EACCES);
	T(symlink("target", P("pub/sl")) == 0);
	T(readlink(P("pub/sl"), buf, sizeof(buf)) == 6);
	DENIED(symlink("target", P("priv/sl")), EACCES);
	T(chmod(P("pub/a"), 0600) == 0);
	T(stat(P("pub/a"), &st) == 0 && (st.st_mode & 0777) == 0600);
	DENIED(chmod(P("secret"), 0666), EACCES);
	/* fchmodat2 (Linux 6.6) is a chmod too, not a call decided by name */
	T(syscall(452, AT_FDCWD, P("pub/a"), 0640, 0) == 0);
	T(stat(P("pub/a"), &st) == 0 && (st.st_mode & 0777) == 0640);
	DENIED(syscall(452, AT_FDCWD, P("secret"), 0666, 0), EACCES);
	T(chown(P("pub/a"), getuid(), getgid()) == 0);
	DENIED(chown(P("priv/x"), getuid(), getgid()), EACCES);
	T(truncate(P("pub/t"), 2) == 0);
	T(stat(P("pub/t"), &st) == 0 && st.st_size == 2);
	DENIED(truncate(P("secret"), 0), EACCES);
	{
		struct timespec ts[2] = { { 1000000000, 0 }, { 1000000000, 0 } };
		T(utimensat(AT_FDCWD, P("pub/a"), ts, 0) == 0);
		T(stat(P("pub/a"), &st) == 0 && st.st_mtime == 1000000000);
		DENIED(utimensat(AT_FDCWD, P("secret"), ts, 0), EACCES);
		DENIED(utimes(P("secret"), NULL), EACCES);
	}
	T(chdir(P("pub")) == 0);
	DENIED(chdir(P("priv")), EACCES);
	T(getcwd(buf, sizeof(buf)) != NULL && strstr(buf, "/pub") != NULL);
	/* chdir is done as fchdir in the target: relative paths follow it,
	 * the policy's fchdir rule does not apply to it, a denied fchdir
	 * still is, and a directory the policy will not let the program
	 * read is still entered (checked after the fact) */
	T((fd = open("a", O_RDONLY)) >= 0);
	close(fd);
	T((fd = open(".", O_RDONLY | O_DIRECTORY)) >= 0);
	DENIED(fchdir(fd), EPERM);
	close(fd);
	T(chdir("..") == 0);
	T(getcwd(buf, sizeof(buf)) != NULL && strcmp(buf, D) == 0);
	T(chdir("pub/noread") == 0);
	T(getcwd(buf, sizeof(buf)) != NULL && strstr(buf, "/noread") != NULL);
	DENIED(open(".", O_RDONLY | O_DIRECTORY), EACCES);
	T(chdir("../..") == 0);
	DENIED(chdir("pub/a"), ENOTDIR);
	DENIED(chdir((char *)1), EFAULT);
	return 0;
}

static int
t_net(const char *okport, const char *denyport)
{
	struct sockaddr_in ok, no;
	struct sockaddr_un un;
	struct msghdr mh;
	struct iovec iov;
	int s, u, l, c;

	memset(&ok, 0, sizeof(ok));
	ok.sin_family = AF_INET;
	ok.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	no = ok;
	ok.sin_port = htons((uint16_t)atoi(okport));
	no.sin_port = htons((uint16_t)atoi(denyport));
	T((s = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	DENIED(connect(s, (struct sockaddr *)&no, sizeof(no)), EACCES);
	T(connect(s, (struct sockaddr *)&ok, sizeof(ok)) == 0);
	close(s);
	T((s = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	DENIED(connect(s, (struct sockaddr *)1, sizeof(ok)), EFAULT);
	close(s);
	DENIED(socket(AF_INET6, SOCK_STREAM, 0), EAFNOSUPPORT);
	T((u = socket(AF_INET, SOCK_DGRAM, 0)) >= 0);
	DENIED(sendto(u, "x", 1, 0, (struct sockaddr *)&no, sizeof(no)), EACCES);
	T(sendto(u, "xy", 2, 0, (struct sockaddr *)&ok, sizeof(ok)) == 2);
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = "abc";
	iov.iov_len = 3;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_name = &no;
	mh.msg_namelen = sizeof(no);
	DENIED(sendmsg(u, &mh, 0), EACCES);
	mh.msg_name = &ok;
	T(sendmsg(u, &mh, 0) == 3);
	close(u);
	/* unix sockets: names resolved as paths */
	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	snprintf(un.sun_path, sizeof(un.sun_path), "%s", P("priv/sock"));
	T((l = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	DENIED(bind(l, (struct sockaddr *)&un, sizeof(un)), EACCES);
	snprintf(un.sun_path, sizeof(un.sun_path), "%s", P("pub/sock"));
	T(bind(l, (struct sockaddr *)&un, sizeof(un)) == 0);
	T(listen(l, 1) == 0);
	T((c = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	T(chdir(P("pub")) == 0);
	snprintf(un.sun_path, sizeof(un.sun_path), "sock");
	T(connect(c, (struct sockaddr *)&un, sizeof(un)) == 0);
	close(c);
	close(l);
	/* listen on an unbound socket binds it to every address: decided
	 * as bind to "inet-0.0.0.0:0", which the policy denies; a bound one
	 * listens, and so does one bound to an address with its port left
	 * to listen (IP_BIND_ADDRESS_NO_PORT): "inet-127.0.0.1:0" */
	T((s = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	DENIED(listen(s, 1), EACCES);
	ok.sin_port = 0;
	T(bind(s, (struct sockaddr *)&ok, sizeof(ok)) == 0);
	T(listen(s, 1) == 0);
	close(s);
	T((s = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	c = 1;
	T(setsockopt(s, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &c,
	    sizeof(c)) == 0);
	T(bind(s, (struct sockaddr *)&ok, sizeof(ok)) == 0);
	T(listen(s, 1) == 0);
	close(s);
	/* a UNIX socket's listen binds nothing: EINVAL, as unconfined */
	T((s = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	DENIED(listen(s, 1), EINVAL);
	close(s);
	T((u = socket(AF_INET, SOCK_DGRAM, 0)) >= 0);
	DENIED(listen(u, 1), EOPNOTSUPP);	/* binds nothing */
	close(u);
	DENIED(listen(-1, 1), EBADF);
	return 0;
}

static int
t_exec(void)
{
	char *argv[] = { "touch", P("pub/marker"), NULL };
	char *self_argv[] = { self, "--target", "confined", (char *)D, NULL };
	int st;
	pid_t pid;

	DENIED(execv("/usr/bin/touch", argv), EACCES);
	T(access(P("pub/marker"), F_OK) == -1);
	/* an exec'd program stays confined */
	T((pid = fork()) >= 0);
	if (pid == 0) {
		execv(self, self_argv);
		_exit(99);
	}
	T(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	DENIED(execv(P("nonexistent"), argv), ENOENT);
	DENIED(execv(P("pub"), argv), EACCES);
	DENIED((int)syscall(SYS_execve, (char *)1, argv, NULL), EFAULT);
	DENIED((int)syscall(SYS_execve, "/usr/bin/true", (char **)1, NULL),
	    EFAULT);
	return 0;
}

static int
t_confined(void)
{
	DENIED(open(P("secret"), O_RDONLY), EACCES);
	return 0;
}

static volatile sig_atomic_t got;

static void
on_sig(int sig)
{
	got = sig;
}

static volatile sig_atomic_t ticks;

static void
on_tick(int sig)
{
	(void)sig;
	ticks++;
}

/* Signals (handlers without SA_RESTART) arriving while calls wait for the
 * supervisor do not make them fail with EINTR; calls the kernel runs are
 * still interrupted as unconfined. */
static int
t_signals(void)
{
	struct sigaction sa;
	struct itimerval it;
	struct stat st;
	char b;
	int i, fd, p[2];

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_tick;	/* no SA_RESTART */
	T(sigaction(SIGALRM, &sa, NULL) == 0);
	memset(&it, 0, sizeof(it));
	it.it_interval.tv_usec = it.it_value.tv_usec = 200;
	T(setitimer(ITIMER_REAL, &it, NULL) == 0);
	for (i = 0; i < 3000; i++) {
		T(stat(P("pub/a"), &st) == 0);
		T((fd = open(P("pub/a"), O_RDONLY)) >= 0);
		close(fd);
		T(access(P("pub"), X_OK) == 0);
	}
	memset(&it, 0, sizeof(it));
	T(setitimer(ITIMER_REAL, &it, NULL) == 0);
	T(ticks > 0);
	T(pipe(p) == 0);
	it.it_value.tv_usec = 20000;
	T(setitimer(ITIMER_REAL, &it, NULL) == 0);
	DENIED((int)read(p[0], &b, 1), EINTR);
	close(p[0]);
	close(p[1]);
	return 0;
}

static int
t_ints(void)
{
	struct utsname un;
	pid_t pp = getppid();
	char buf[8];
	struct iovec l = { buf, sizeof(buf) }, r = { buf, sizeof(buf) };
	siginfo_t si;
	int pfd;

	signal(SIGUSR1, on_sig);
	signal(SIGUSR2, on_sig);
	DENIED(kill(getpid(), SIGUSR2), EPERM);
	T(kill(getpid(), SIGUSR1) == 0 && got == SIGUSR1);
	DENIED(uname(&un), ENOSYS);
	DENIED((int)syscall(SYS_io_uring_setup, 1, buf), EPERM);
	DENIED(chroot("/"), EPERM);
	DENIED(unshare(CLONE_NEWUSER), EPERM);
	DENIED(unshare(CLONE_NEWNS), EPERM);
	DENIED((int)syscall(SYS_clone3, NULL, 0), ENOSYS);
	DENIED((int)ptrace(PTRACE_ATTACH, pp, 0, 0), EPERM);
	DENIED((int)process_vm_readv(pp, &l, 1, &r, 1, 0), EPERM);
	DENIED((int)syscall(SYS_pidfd_open, pp, 0), EPERM);
	/* signals with data are kill rules' too; a pidfd's target is a
	 * descriptor kill rules cannot name: refused under them */
	memset(&si, 0, sizeof(si));
	si.si_code = SI_QUEUE;
	si.si_signo = SIGUSR2;
	DENIED((int)syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR2, &si), EPERM);
	DENIED((int)syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGUSR2,
	    &si), EPERM);
	si.si_signo = SIGUSR1;
	got = 0;
	T(syscall(SYS_rt_sigqueueinfo, getpid(), SIGUSR1, &si) == 0 &&
	    got == SIGUSR1);
	T((pfd = (int)syscall(SYS_pidfd_open, getpid(), 0)) >= 0);
	DENIED((int)syscall(SYS_pidfd_send_signal, pfd, SIGUSR1, NULL, 0), EPERM);
	close(pfd);
	/* a process outside the confinement (init): not its memory, not a
	 * pidfd of it */
	DENIED((int)process_vm_readv(1, &l, 1, &r, 1, 0), EPERM);
	DENIED((int)syscall(SYS_pidfd_open, 1, 0), EPERM);
	return 0;
}

/* No seccomp listener leaked into the program. */
static int
t_nolistener(void)
{
	char link[64], to[256];
	int fd;

	for (fd = 0; fd < 1024; fd++) {
		ssize_t n;

		snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
		if ((n = readlink(link, to, sizeof(to) - 1)) < 0)
			continue;
		to[n] = '\0';
		T(strstr(to, "seccomp") == NULL);
	}
	return 0;
}

static int
t_arch(void)
{
	int st;
	pid_t pid;

	/* i386 entry: int $0x80 getpid */
	T((pid = fork()) >= 0);
	if (pid == 0) {
		long r;

		signal(SIGSEGV, SIG_DFL);	/* not a sanitizer's report */
		__asm__ volatile("int $0x80" : "=a"(r) : "a"(20L) : "memory");
		_exit(0);
	}
	/* killed by the filter, or (kernels without ia32 emulation) by the
	 * CPU fault; never let through */
	T(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
	    (WTERMSIG(st) == SIGSYS || WTERMSIG(st) == SIGSEGV));
	/* x32 entry */
	T((pid = fork()) >= 0);
	if (pid == 0) {
		syscall(0x40000000 | 39);
		_exit(0);
	}
	T(waitpid(pid, &st, 0) == pid && WIFSIGNALED(st) &&
	    WTERMSIG(st) == SIGSYS);
	return 0;
}

static char th_secret[PATH_MAX], th_a[PATH_MAX];

/* The two paths the threads open. */
static void
th_paths(void)
{
	snprintf(th_secret, sizeof(th_secret), "%s", P("secret"));
	snprintf(th_a, sizeof(th_a), "%s", P("pub/a"));
}

/* One try: 0 when the secret is refused (EACCES) and pub/a opens; 1 if
 * the secret is not refused so, 2 if pub/a does not open. */
static int
th_open_once(void)
{
	int fd;

	if (open(th_secret, O_RDONLY) != -1 || errno != EACCES)
		return 1;
	if ((fd = open(th_a, O_RDONLY)) < 0)
		return 2;
	close(fd);
	return 0;
}

static void *
thread_open(void *arg)
{
	*(int *)arg = th_open_once();
	return NULL;
}

static int
t_threads(void)
{
	pthread_t t[4];
	int res[4], i, st;
	pid_t pid;

	th_paths();
	for (i = 0; i < 4; i++)
		T(pthread_create(&t[i], NULL, thread_open, &res[i]) == 0);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		T(res[i] == 0);
	}
	/* fork, vfork */
	T((pid = fork()) >= 0);
	if (pid == 0)
		_exit(open(P("secret"), O_RDONLY) == -1 && errno == EACCES ? 0 : 1);
	T(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	T((pid = vfork()) >= 0);
	if (pid == 0)
		_exit(open(P("secret"), O_RDONLY) == -1 && errno == EACCES ? 0 : 1);
	T(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	return 0;
}

/* ---- both serving threads at once: the receiver answers file calls of
 * two threads while the tracer handles the execs passed to it and reaps
 * the children (its reap gate closed, calls received meanwhile checked) */

static void *
thread_busy_open(void *arg)
{
	int *res = arg, i;

	for (i = 0; i < 2000 && *res == 0; i++)
		*res = th_open_once();
	return NULL;
}

static int
t_busy(void)
{
	char *touch[] = { "touch", P("pub/busy"), NULL };
	char *self_argv[] = { self, "--target", "confined", (char *)D, NULL };
	pthread_t t[2];
	int res[2] = { 0, 0 }, i, st;
	pid_t pid;

	th_paths();
	for (i = 0; i < 2; i++)
		T(pthread_create(&t[i], NULL, thread_busy_open, &res[i]) == 0);
	for (i = 0; i < 40; i++) {
		T((pid = fork()) >= 0);
		if (pid == 0) {
			if (i % 2) {
				execv("/usr/bin/touch", touch);
				_exit(errno == EACCES ? 0 : 1);
			}
			execv(self, self_argv);
			_exit(99);
		}
		T(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
		    WEXITSTATUS(st) == 0);
	}
	for (i = 0; i < 2; i++) {
		pthread_join(t[i], NULL);
		T(res[i] == 0);
	}
	T(access(P("pub/busy"), F_OK) == -1);
	return 0;
}

/* ---- credentials: the supervisor acts with the target's (run as root) */

static void *
thread_setuid(void *arg)
{
	int *res = arg, fd;
	struct stat st;

	/* raw system calls: this thread alone becomes nobody */
	if (syscall(SYS_setgroups, 0, NULL) != 0 ||
	    syscall(SYS_setresgid, 65534, 65534, 65534) != 0 ||
	    syscall(SYS_setresuid, 65534, 65534, 65534) != 0) {
		res[0] = -1;
		return NULL;
	}
	res[0] = open(P("s600"), O_RDONLY) == -1 ? errno : 0;
	res[1] = stat(P("rootonly/s"), &st) == -1 ? errno : 0;
	fd = open(P("pubw/r"), O_RDONLY);
	res[2] = fd >= 0 ? 0 : errno;
	if (fd >= 0)
		close(fd);
	return NULL;
}

static void *
thread_nocaps(void *arg)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	int *res = arg, fd;

	/* still uid 0, but without any effective capability (and out of
	 * group 0, which may not search "/" on some systems) */
	if (syscall(SYS_setgroups, 0, NULL) != 0 ||
	    syscall(SYS_setresgid, 23456, 23456, 23456) != 0 ||
	    syscall(SYS_capget, &h, d) != 0) {
		res[0] = -1;
		return NULL;
	}
	d[0].effective = d[1].effective = 0;
	if (syscall(SYS_capset, &h, d) != 0) {
		res[0] = -1;
		return NULL;
	}
	res[0] = open(P("u600"), O_RDONLY) == -1 ? errno : 0;	/* not ours */
	fd = open(P("s600"), O_RDONLY);				/* ours */
	res[1] = fd >= 0 ? 0 : errno;
	if (fd >= 0)
		close(fd);
	return NULL;
}

static int
t_creds(void)
{
	struct sockaddr_in in;
	struct stat st;
	pthread_t t;
	char buf[PATH_MAX];
	int res[3] = { 0, 0, 0 }, fd, sk, st2;
	pid_t pid;

	T(getuid() == 0);
	/* one thread drops to nobody: only its calls are made as nobody */
	T(pthread_create(&t, NULL, thread_setuid, res) == 0);
	pthread_join(t, NULL);
	T(res[0] == EACCES && res[1] == EACCES && res[2] == 0);
	T((fd = open(P("s600"), O_RDONLY)) >= 0);
	close(fd);
	/* one thread drops its capabilities */
	T(pthread_create(&t, NULL, thread_nocaps, res) == 0);
	pthread_join(t, NULL);
	T(res[0] == EACCES && res[1] == 0);
	T((fd = open(P("u600"), O_RDONLY)) >= 0);
	close(fd);
	/* the whole process drops its privileges */
	T(setgroups(0, NULL) == 0 && setgid(65534) == 0 && setuid(65534) == 0);
	DENIED(open(P("s600"), O_RDONLY), EACCES);
	DENIED(open(P("rootonly/s"), O_RDONLY), EACCES);
	DENIED(stat(P("rootonly/s"), &st), EACCES);
	DENIED(mkdir(P("rootonly/d"), 0755), EACCES);
	DENIED(unlink(P("rootonly/s")), EACCES);
	DENIED(open(P("pub/x"), O_CREAT | O_WRONLY, 0644), EACCES);
	DENIED(chmod(P("s600"), 0644), EPERM);
	DENIED(chdir(P("rootonly")), EACCES);
	T(chdir(P("xonly")) == 0);		/* searchable, not readable */
	T(getcwd(buf, sizeof(buf)) != NULL && strstr(buf, "/xonly") != NULL);
	T(chdir(D) == 0);
	T((fd = open(P("pubw/mine"), O_CREAT | O_WRONLY, 0644)) >= 0);
	T(fstat(fd, &st) == 0 && st.st_uid == 65534 && st.st_gid == 65534);
	close(fd);
	T((sk = socket(AF_INET, SOCK_STREAM, 0)) >= 0);
	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	in.sin_port = htons(81);
	DENIED(bind(sk, (struct sockaddr *)&in, sizeof(in)), EACCES);
	close(sk);
	/* and its children */
	T((pid = fork()) >= 0);
	if (pid == 0)
		_exit(open(P("s600"), O_RDONLY) == -1 && errno == EACCES ? 0 : 1);
	T(waitpid(pid, &st2, 0) == pid && WIFEXITED(st2) &&
	    WEXITSTATUS(st2) == 0);
	return 0;
}

/*
 * Extended attributes: set and remove decided as chmod, get and list as
 * stat, by path (l forms on a link itself) or on a descriptor's object;
 * fchmod and fchown on the descriptor's object; the kernel's errors for
 * the name, value and flags as unconfined.  Calls that make the kernel
 * read or write a path it decides nothing on are refused.
 */
static int
t_xattr(void)
{
	char big[300], buf[64];
	int fd;

	memset(big, 'u', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	/* permitted: a file of pub */
	T(setxattr(P("pub/a"), "user.k", "vv", 2, 0) == 0);
	T(getxattr(P("pub/a"), "user.k", buf, sizeof(buf)) == 2 &&
	    memcmp(buf, "vv", 2) == 0);
	T(getxattr(P("pub/a"), "user.k", NULL, 0) == 2);
	DENIED(getxattr(P("pub/a"), "user.k", buf, 1), ERANGE);
	T(listxattr(P("pub/a"), buf, sizeof(buf)) == 7 &&
	    strcmp(buf, "user.k") == 0);
	DENIED(setxattr(P("pub/a"), "user.k", "w", 1, XATTR_CREATE), EEXIST);
	DENIED(setxattr(P("pub/a"), "user.k", "w", 1, 8), EINVAL);
	DENIED(setxattr(P("pub/a"), "", "w", 1, 0), ERANGE);
	DENIED(setxattr(P("pub/a"), big, "w", 1, 0), ERANGE);
	/* hostile sizes and addresses, past the compiler's checks */
	DENIED((int)syscall(SYS_setxattr, P("pub/a"), "user.k", "w", 70000, 0),
	    E2BIG);
	DENIED((int)syscall(SYS_setxattr, P("pub/a"), "user.k", 1, 1, 0),
	    EFAULT);
	DENIED((int)syscall(SYS_getxattr, P("pub/a"), "user.k", 1, 8), EFAULT);
	DENIED(getxattr(P("pub/none"), "user.k", buf, sizeof(buf)), ENOENT);
	T(removexattr(P("pub/a"), "user.k") == 0);
	DENIED(removexattr(P("pub/a"), "user.k"), ENODATA);
	/* a link itself has no user attributes; the file it names does */
	T(symlink("a", P("pub/ln")) == 0);
	T(setxattr(P("pub/ln"), "user.l", "l", 1, 0) == 0);
	DENIED(lgetxattr(P("pub/ln"), "user.l", buf, sizeof(buf)), ENODATA);
	DENIED(lsetxattr(P("pub/ln"), "user.l", "l", 1, 0), EPERM);
	T(getxattr(P("pub/a"), "user.l", buf, sizeof(buf)) == 1);
	T(listxattr(P("pub/ln"), buf, sizeof(buf)) == 7);	/* a's */
	T(llistxattr(P("pub/ln"), buf, sizeof(buf)) == 0);	/* ln's */
	/* denied: the secret file, by path and by a link to it */
	DENIED(setxattr(P("secret"), "user.k", "v", 1, 0), EACCES);
	DENIED(lsetxattr(P("secret"), "user.k", "v", 1, 0), EACCES);
	DENIED(removexattr(P("secret"), "user.k"), EACCES);
	DENIED(getxattr(P("secret"), "user.k", buf, sizeof(buf)), EACCES);
	DENIED(listxattr(P("secret"), buf, sizeof(buf)), EACCES);
	T(symlink(P("secret"), P("pub/tosecret")) == 0);
	DENIED(setxattr(P("pub/tosecret"), "user.k", "v", 1, 0), EACCES);
	/* a file read but not written: its descriptor changes nothing */
	T((fd = open(P("pub/ro"), O_RDONLY)) >= 0);
	DENIED(fsetxattr(fd, "user.k", "v", 1, 0), EACCES);
	DENIED(fremovexattr(fd, "user.k"), EACCES);
	DENIED(fchmod(fd, 0600), EACCES);
	DENIED(fchown(fd, (uid_t)-1, (gid_t)-1), EACCES);
	T(fgetxattr(fd, "user.k", buf, sizeof(buf)) == -1 && errno == ENODATA);
	close(fd);
	/* one written: they do */
	T((fd = open(P("pub/a"), O_RDWR)) >= 0);
	T(fsetxattr(fd, "user.f", "f", 1, 0) == 0);
	T(fremovexattr(fd, "user.f") == 0);
	T(fchmod(fd, 0640) == 0);
	T(fchown(fd, (uid_t)-1, (gid_t)-1) == 0);
	close(fd);
	/* (a real O_PATH descriptor: test_linux_reach test_fd_forms; this
	 * policy's O_PATH opens are emulated, read-only: policyctl.8) */
	/* the kernel would read or write a path: refused */
	DENIED(acct(P("pub/a")), EPERM);
	DENIED(swapoff(P("pub/a")), EPERM);
	return 0;
}

static int
target_main(int argc, char **argv)
{
	const char *sc = argv[2];

	D = argv[3];
	if (readlink("/proc/self/exe", self, sizeof(self) - 1) < 0)
		return 90;
	if (strcmp(sc, "open") == 0) return t_open();
	if (strcmp(sc, "path") == 0) return t_path();
	if (strcmp(sc, "resolve") == 0) return t_resolve();
	if (strcmp(sc, "net") == 0 && argc > 5) return t_net(argv[4], argv[5]);
	if (strcmp(sc, "xattr") == 0) return t_xattr();
	if (strcmp(sc, "exec") == 0) return t_exec();
	if (strcmp(sc, "confined") == 0) return t_confined();
	if (strcmp(sc, "ints") == 0) return t_ints();
	if (strcmp(sc, "signals") == 0) return t_signals();
	if (strcmp(sc, "nolistener") == 0) return t_nolistener();
	if (strcmp(sc, "arch") == 0) return t_arch();
	if (strcmp(sc, "threads") == 0) return t_threads();
	if (strcmp(sc, "busy") == 0) return t_busy();
	if (strcmp(sc, "creds") == 0) return t_creds();
	if (strcmp(sc, "exit") == 0) return atoi(argv[4]);
	if (strcmp(sc, "signal") == 0) {
		signal(SIGTERM, SIG_DFL);
		kill(getpid(), SIGTERM);
		return 91;
	}
	return 92;
}

/* ------------------------------------------------------------------ */
/* The supervisor side.                                                */

static char dir[256];
static char exe[PATH_MAX];
static int tcp_ok, tcp_no, udp_ok;
static FILE *quiet;		/* decisions, unless PLX_VERBOSE is set */
static int port_ok, port_no;

static void
mkfile(const char *rel, const char *content)
{
	char p[PATH_MAX];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(content, f);
	fclose(f);
}

static void
mklink(const char *to, const char *rel)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	assert_int_equal(symlink(to, p), 0);
}

static void
mksub(const char *rel)
{
	char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	assert_int_equal(mkdir(p, 0755), 0);
}

static int
listener(int type, int *port)
{
	struct sockaddr_in a;
	socklen_t al = sizeof(a);
	int s = socket(AF_INET, type, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a.sin_port = htons((uint16_t)*port);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    (type == SOCK_STREAM && listen(s, 8) != 0) ||
	    getsockname(s, (struct sockaddr *)&a, &al) != 0)
		return -1;
	*port = ntohs(a.sin_port);
	return s;
}

static int
setup(void **state)
{
	ssize_t n;

	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/plx-test.%d", (int)getpid());
	if (mkdir(dir, 0755) != 0)
		return -1;
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) < 0)
		return -1;
	exe[n] = '\0';
	/* the target is this binary under ptrace: LeakSanitizer cannot run */
	setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
	umask(022);
	quiet = getenv("PLX_VERBOSE") ? stderr : fopen("/dev/null", "w");
	if (quiet == NULL)
		return -1;
	mksub("pub");
	mksub("priv");
	mksub("priv/sub");
	mkfile("pub/a", "A");
	mkfile("pub/ro", "R");
	mkfile("pub/r1", "r");
	mkfile("pub/t", "tttt");
	mkfile("secret", "S");
	mkfile("priv/x", "X");
	mkfile("pathonly", "P");
	mksub("pub/noread");
	mklink("a", "pub/ln_a");
	mklink("../secret", "pub/ln_secret");
	mklink("../priv", "pub/ln_priv");
	mklink("x", "priv/l");
	port_ok = port_no = 0;
	if ((tcp_ok = listener(SOCK_STREAM, &port_ok)) < 0 ||
	    (udp_ok = listener(SOCK_DGRAM, &port_ok)) < 0 ||
	    (tcp_no = listener(SOCK_STREAM, &port_no)) < 0)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	char cmd[PATH_MAX + 16];

	(void)state;
	close(tcp_ok);
	close(udp_ok);
	close(tcp_no);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static const char policy_fmt[] =
    "policy: 1\n"
    "name: linux-test\n"
    "default: permit\n"
    "errno: EACCES\n"
    "rules:\n"
    "  - fsread: filename eq \"%1$s/secret\" then deny\n"
    "  - fswrite: filename eq \"%1$s/secret\" then deny\n"
    "  - fswrite: filename eq \"%1$s/pub/ro\" then deny\n"
    "  - fsread: filename inpath \"%1$s/priv\" then deny\n"
    "  - fswrite: filename inpath \"%1$s/priv\" then deny\n"
    "  - mkdir: filename eq \"%1$s/pub/eperm\" then deny[EPERM]\n"
    "  - rename: filename2 inpath \"%1$s/priv\" then deny\n"
    "  - link: filename2 inpath \"%1$s/priv\" then deny\n"
    "  - connect: sockaddr eq \"inet-127.0.0.1:%2$d\" then deny\n"
    "  - sendto: sockaddr eq \"inet-127.0.0.1:%2$d\" then deny\n"
    "  - sendmsg: sockaddr eq \"inet-127.0.0.1:%2$d\" then deny\n"
    "  - bind: sockaddr inpath \"unix-%1$s/priv\" then deny\n"
    "  - bind: sockaddr match \"unix-%1$s/priv/*\" then deny\n"
    "  - bind: sockaddr eq \"inet-0.0.0.0:0\" then deny\n"
    "  - execve: filename eq \"/usr/bin/touch\" then deny\n"
    "  - kill: signal eq \"SIGUSR2\" then deny[EPERM]\n"
    "  - socket: domain eq \"AF_INET6\" then deny[EAFNOSUPPORT]\n"
    "  - uname: then deny[ENOSYS]\n"
    "  - open: filename eq \"%1$s/pathonly\" and flags sub \"O_PATH\" then permit\n"
    "  - fsread: filename eq \"%1$s/pathonly\" then deny\n"
    "  - open: filename eq \"%1$s/pub/noread\" then deny\n"
    "  - fchdir: then deny[EPERM]\n";

static struct policy_loaded *
test_policy(void)
{
	static char yaml[16384];
	struct policy_diag diag;
	struct policy_loaded *pl;

	snprintf(yaml, sizeof(yaml), policy_fmt, dir, port_no);
	pl = tu_compile(yaml, &diag);
	if (pl == NULL)
		policy_diag_print(stderr, &diag);
	assert_non_null(pl);
	return pl;
}

/* Run a scenario confined; returns its wait status; log gets the decisions. */
static int
run(const char *scenario, const char *a1, const char *a2, FILE *log)
{
	struct policy_linux_opts o;
	struct policy_loaded *pl = test_policy();
	char *argv[] = { exe, "--target", (char *)scenario, dir, (char *)a1,
	    (char *)a2, NULL };
	char err[256];
	int st = -1, r;

	memset(&o, 0, sizeof(o));
	o.plo_policy = &pl->pl_policy;
	o.plo_log = log ? log : quiet;
	r = policy_linux_run(&o, argv, &st, err, sizeof(err));
	if (r != 0)
		fprintf(stderr, "policy_linux_run: %s\n", err);
	assert_int_equal(r, 0);
	policy_loaded_free(pl);
	return st;
}

static void
expect_ok(const char *scenario, const char *a1, const char *a2)
{
	int st = run(scenario, a1, a2, NULL);

	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

static void test_open(void **s) { (void)s; expect_ok("open", NULL, NULL); }
static void test_path(void **s) { (void)s; expect_ok("path", NULL, NULL); }
static void test_resolve(void **s) { (void)s; expect_ok("resolve", NULL, NULL); }
static void test_exec(void **s) { (void)s; expect_ok("exec", NULL, NULL); }
static void test_ints(void **s) { (void)s; expect_ok("ints", NULL, NULL); }
static void test_signals(void **s) { (void)s; expect_ok("signals", NULL, NULL); }
static void test_arch(void **s) { (void)s; expect_ok("arch", NULL, NULL); }
static void test_threads(void **s) { (void)s; expect_ok("threads", NULL, NULL); }
static void test_busy(void **s) { (void)s; expect_ok("busy", NULL, NULL); }

/* A root-run target that drops privileges (a thread, its capabilities,
 * the whole process) has its calls made with what it has left. */
static void
test_creds(void **s)
{
	char p[PATH_MAX];

	(void)s;
	if (getuid() != 0) {
		fprintf(stderr, "test_creds: needs root, skipped\n");
		skip();
	}
	mksub("rootonly");
	snprintf(p, sizeof(p), "%s/rootonly", dir);
	assert_int_equal(chmod(p, 0700), 0);
	mkfile("rootonly/s", "s");
	mkfile("s600", "s");
	mkfile("u600", "u");
	snprintf(p, sizeof(p), "%s/s600", dir);
	assert_int_equal(chmod(p, 0600), 0);
	snprintf(p, sizeof(p), "%s/u600", dir);
	assert_int_equal(chmod(p, 0600), 0);
	assert_int_equal(chown(p, 12345, 12345), 0);
	mksub("xonly");
	snprintf(p, sizeof(p), "%s/xonly", dir);
	assert_int_equal(chmod(p, 0711), 0);
	mksub("pubw");
	snprintf(p, sizeof(p), "%s/pubw", dir);
	assert_int_equal(chmod(p, 0777), 0);
	mkfile("pubw/r", "r");
	snprintf(p, sizeof(p), "%s/pubw/r", dir);
	assert_int_equal(chmod(p, 0644), 0);
	/* the scratch directory must be searchable by nobody */
	assert_int_equal(chmod(dir, 0755), 0);
	expect_ok("creds", NULL, NULL);
}
static void test_nolistener(void **s) { (void)s; expect_ok("nolistener", NULL, NULL); }
static void test_xattr(void **s) { (void)s; expect_ok("xattr", NULL, NULL); }

static void
test_net(void **s)
{
	char a[16], b[16];

	(void)s;
	snprintf(a, sizeof(a), "%d", port_ok);
	snprintf(b, sizeof(b), "%d", port_no);
	expect_ok("net", a, b);
}

/* The program's exit status and terminating signal come back. */
static void
test_status(void **s)
{
	int st;

	(void)s;
	st = run("exit", "42", NULL, NULL);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 42);
	st = run("signal", NULL, NULL, NULL);
	assert_true(WIFSIGNALED(st));
	assert_int_equal(WTERMSIG(st), SIGTERM);
}

/* Denials are logged with the rule's file:line. */
static void
test_log(void **s)
{
	char buf[4096];
	size_t n;
	FILE *log = tmpfile();

	(void)s;
	assert_non_null(log);
	run("confined", NULL, NULL, log);
	rewind(log);
	n = fread(buf, 1, sizeof(buf) - 1, log);
	buf[n] = '\0';
	fclose(log);
	assert_non_null(strstr(buf, "deny open"));
	assert_non_null(strstr(buf, "/secret"));
	assert_non_null(strstr(buf, "test.yaml:6"));
}

/* The filter answers what it can in the kernel: the program is killed for
 * i386 and x32 entry, and the verdicts match the engine's. */
static void
test_filter(void **s)
{
	struct policy_sup sup;
	struct sock_fprog fp;
	struct policy_loaded *pl = test_policy();
	char err[128];

	(void)s;
	memset(&sup, 0, sizeof(sup));
	sup.s_pol = &pl->pl_policy;
	assert_int_equal(policy_linux_filter_build(&sup, &fp, err,
	    sizeof(err)), 0);
	assert_true(fp.len > 6 && fp.len < 4096);
	free(fp.filter);
	/* open has conditional rules; getpid only the default */
	assert_false(policy_linux_op_constant(&pl->pl_policy, POLICY_OP_OPEN));
	assert_true(policy_linux_op_constant(&pl->pl_policy, POLICY_OP_MOUNT));
	assert_true(policy_linux_rules_test(&pl->pl_policy, POLICY_OP_CONNECT,
	    1u << POLICY_F_SOCKADDR));
	assert_false(policy_linux_rules_test(&pl->pl_policy, POLICY_OP_EXECVE,
	    1u << POLICY_F_ARGV));
	policy_loaded_free(pl);
}

/* A reload may not change what the running filter decides in the kernel. */
static void
test_filter_reload(void **s)
{
	static const char head[] = "policy: 1\nname: r\ndefault: permit\n"
	    "rules:\n  - open: filename eq \"/a\" then ask\n";
	struct policy_loaded *old, *same, *wider, *narrower;
	struct policy_diag d;
	struct policy_sup sup;
	char y[512];

	(void)s;
	assert_non_null(old = tu_compile(head, &d));
	/* an answer for the asked call: open is supervised already */
	snprintf(y, sizeof(y), "%s  - open: filename eq \"/b\" then permit\n",
	    head);
	assert_non_null(same = tu_compile(y, &d));
	/* a permit for stat, which the filter lets through: still all permit */
	snprintf(y, sizeof(y), "%s  - stat: filename eq \"/b\" then permit\n",
	    head);
	assert_non_null(wider = tu_compile(y, &d));
	/* a deny for stat: the kernel lets every stat through */
	snprintf(y, sizeof(y), "%s  - stat: filename eq \"/b\" then deny\n",
	    head);
	assert_non_null(narrower = tu_compile(y, &d));
	memset(&sup, 0, sizeof(sup));
	sup.s_pol = &old->pl_policy;
	assert_true(policy_linux_filter_same(&sup, &same->pl_policy));
	assert_true(policy_linux_filter_same(&sup, &wider->pl_policy));
	assert_false(policy_linux_filter_same(&sup, &narrower->pl_policy));
	policy_loaded_free(old);
	policy_loaded_free(same);
	policy_loaded_free(wider);
	policy_loaded_free(narrower);
}

static void
test_sockaddr(void **s)
{
	struct sockaddr_in in;
	struct sockaddr_in6 in6;
	struct sockaddr_un un;
	char buf[POLICY_SOCKADDR_MAX];

	(void)s;
	memset(&in, 0, sizeof(in));
	in.sin_family = AF_INET;
	in.sin_port = htons(53);
	inet_pton(AF_INET, "1.2.3.4", &in.sin_addr);
	assert_int_equal(policy_linux_sockaddr_str(&in, sizeof(in), buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "inet-1.2.3.4:53");
	memset(&in6, 0, sizeof(in6));
	in6.sin6_family = AF_INET6;
	in6.sin6_port = htons(443);
	inet_pton(AF_INET6, "::1", &in6.sin6_addr);
	assert_int_equal(policy_linux_sockaddr_str(&in6, sizeof(in6), buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "inet6-[::1]:443");
	inet_pton(AF_INET6, "::ffff:127.0.0.1", &in6.sin6_addr);
	assert_int_equal(policy_linux_sockaddr_str(&in6, sizeof(in6), buf,
	    sizeof(buf)), 0);
	assert_string_equal(buf, "inet-127.0.0.1:443");	/* IPv4-mapped */
	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	memcpy(un.sun_path, "\0abs", 4);
	assert_int_equal(policy_linux_sockaddr_str(&un,
	    offsetof(struct sockaddr_un, sun_path) + 4, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "unix-@abs");
	assert_int_equal(policy_linux_sockaddr_str(&un, 1, buf, sizeof(buf)),
	    -EINVAL);
	assert_int_equal(policy_linux_sockaddr_str(&in, 4, buf, sizeof(buf)),
	    -EINVAL);
	assert_int_equal(policy_linux_oflags(O_WRONLY | O_CREAT | O_CLOEXEC),
	    POLICY_O_WRONLY | POLICY_O_CREAT | POLICY_O_CLOEXEC);
	assert_int_equal(policy_linux_oflags(O_TMPFILE | O_RDWR),
	    POLICY_O_TMPFILE | POLICY_O_RDWR);
	assert_int_equal(policy_signal_portable(SIGTERM), 15);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sockaddr),
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_filter_reload),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_open),
		cmocka_unit_test(test_path),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_net),
		cmocka_unit_test(test_xattr),
		cmocka_unit_test(test_exec),
		cmocka_unit_test(test_ints),
		cmocka_unit_test(test_signals),
		cmocka_unit_test(test_arch),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_busy),
		cmocka_unit_test(test_creds),
		cmocka_unit_test(test_nolistener),
		cmocka_unit_test(test_log),
	};

	if (argc >= 4 && strcmp(argv[1], "--target") == 0)
		return target_main(argc, argv);
	return cmocka_run_group_tests(tests, setup, teardown);
}
