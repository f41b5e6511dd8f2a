/* test_rswap.c: every path call of a confined process, raced: a host thread flips the path in its
 * memory between a permitted and a denied object while it calls; the denied one is never reached. */
#include <pthread.h>
#include <poll.h>
#include <sched.h>
#include <sys/uio.h>
#include <sys/time.h>
#include <unistd.h>

#include "rt.h"

/*
 * test_rrace.c races a few calls to the end, each against a control that
 * must be fooled.  Here every call that names a path is raced the same way
 * (the copy-once property is shared by all of them, but each is its own
 * wrapper, and a call that read its path twice would show up here only):
 * the path's first eight bytes are flipped between "/t/ok/..." and
 * "/t/no/..." by a host thread with single 8-byte stores while the
 * confined process makes the call RS_N times (RT_SWAP_N).  The policy
 * permits everything under /t/ok and denies everything under /t/no with
 * EPERM.  Each attempt is scored by what the call reached:
 *
 *	PUBLIC	the object under /t/ok (its data, its inode, its link text)
 *	DENIED	EPERM, the policy's answer for /t/no
 *	FOOLED	the object under /t/no (its data, its inode, its text; an
 *		answer that tells it apart, such as ENOENT for a name that
 *		exists only under /t/ok)
 *	OTHER	anything else
 *
 * Calls that change an object are scored PUBLIC when they succeed and are
 * checked at the end instead: /t/no must be exactly as it was (a snapshot
 * of every name in it, their modes, owners, flags, sizes, times, links and
 * data).  A call passes when it is never fooled, /t/no is unchanged, and
 * both PUBLIC and DENIED were seen (the racer did flip the path under it).
 *
 * The socket calls are raced the same way on their address: its first
 * eight bytes (length, family, port, address) flipped between
 * 127.0.0.1:RS_PORT_OK and 127.0.0.1:RS_PORT_NO.  A connect or a bind is
 * scored by the address the socket got; a send by the receiver the
 * datagram reached (the unconfined admin's two sockets, one per port).
 */

#define RS_N_DEFAULT	2000
#define RS_PORT_OK	18001
#define RS_PORT_NO	18002
#define RS_SOCKLEN	16
#define RS_EPERM	1
#define RS_EACCES	13
#define RS_ENOENT	2
#define RS_X_OK		1
#define RS_UF_NODUMP	0x00000001
#define RS_PC_NAME_MAX	4
#define RS_ST_WAIT	1

static const char rs_policy[] =
    "  - fsread: filename inpath \"/t/no\" then deny[EPERM]\n"
    "  - fswrite: filename inpath \"/t/no\" then deny[EPERM]\n"
    "  - link: filename inpath \"/t/no\" then deny[EPERM]\n"
    "  - link: filename2 inpath \"/t/no\" then deny[EPERM]\n"
    "  - link: filename inpath \"/t/ok\" and filename2 inpath \"/t/ok\" "
    "then permit\n"
    "  - fsread: filename inpath \"/t/ok\" then permit\n"
    "  - fswrite: filename inpath \"/t/ok\" then permit\n"
    "  - close: permit\n"
    "  - read: permit\n"
    "  - write: permit\n";

static const char rs_sock_policy[] =
    "  - connect: sockaddr eq \"inet-127.0.0.1:18001\" then permit\n"
    "  - bind: sockaddr eq \"inet-127.0.0.1:18001\" then permit\n"
    "  - sendto: sockaddr eq \"inet-127.0.0.1:18001\" then permit\n"
    "  - sendmsg: sockaddr eq \"inet-127.0.0.1:18001\" then permit\n"
    "  - connect: then deny[EPERM]\n"
    "  - bind: then deny[EPERM]\n"
    "  - sendto: then deny[EPERM]\n"
    "  - sendmsg: then deny[EPERM]\n"
    "  - socket: permit\n"
    "  - close: permit\n"
    "  - getsockname: permit\n"
    "  - getpeername: permit\n";

enum rs_outcome { RS_PUBLIC, RS_DENIED, RS_FOOLED, RS_OTHER, RS_NOUTCOME };

/* The path the process passes, and its two images; only w[0] differs. */
static union rs_path {
	uint64_t	w[8];
	char		c[64];
} rs_path, rs_img[2];

static struct {
	pthread_t	th;
	int		run;		/* atomic */
	int		started;	/* atomic: the racer runs */
	unsigned long	flips;
} rs_racer;

/* What the tree's objects are, to tell /t/ok's from /t/no's. */
static struct {
	uint64_t	ino[2][8];	/* [ok, no][name] */
	int		dirfd;		/* /t, opened before confinement */
} rs_tree;

/* The tree: the same names under /t/ok and /t/no, with other contents. */
enum { RS_F, RS_X, RS_D, RS_E, RS_L, RS_NNAMES };
static const char *const rs_names[RS_NNAMES] = { "f", "x", "d", "e", "l" };

static void
rs_side(const char *dir, int no)
{
	char p[64];
	struct rt_stat st;
	int i;

	rt_works(rump_sys_mkdir(dir, 0755));
	snprintf(p, sizeof(p), "%s/f", dir);
	rt_mkfile(p, no ? "secret" : "public");
	snprintf(p, sizeof(p), "%s/x", dir);
	rt_mkfile(p, "x");
	rt_works(rump_sys_chmod(p, no ? 0755 : 0644));
	snprintf(p, sizeof(p), "%s/d", dir);
	rt_works(rump_sys_mkdir(p, 0755));
	snprintf(p, sizeof(p), "%s/e", dir);
	rt_works(rump_sys_mkdir(p, 0755));
	snprintf(p, sizeof(p), "%s/l", dir);
	rt_works(rump_sys_symlink(no ? "sec" : "pub", p));
	/* Only /t/ok has a "p": ENOENT for it tells /t/no apart. */
	if (!no) {
		snprintf(p, sizeof(p), "%s/p", dir);
		rt_mkfile(p, "p");
	}
	for (i = 0; i < RS_NNAMES; i++) {
		snprintf(p, sizeof(p), "%s/%s", dir, rs_names[i]);
		rt_works(rt_stat(p, false, &st));
		rs_tree.ino[no][i] = st.st_ino;
	}
}

/* Everything /t/no holds, as text: two snapshots must be equal. */
static void
rs_snapshot(char *out, size_t len)
{
	static const char *const names[] = { "f", "x", "d", "e", "l", "n",
	    "p" };
	char p[64], text[64];
	struct rt_stat st;
	size_t i, o = 0;
	ssize_t n;

	rt_admin();
	for (i = 0; i < __arraycount(names) && o < len; i++) {
		snprintf(p, sizeof(p), RT_T "/no/%s", names[i]);
		if (rt_stat(p, false, &st) != 0) {
			o += snprintf(out + o, len - o, "%s: none\n", names[i]);
			continue;
		}
		text[0] = '\0';
		if ((st.st_mode & RT_S_IFMT) == RT_S_IFLNK) {
			n = rump_sys_readlink(p, text, sizeof(text) - 1);
			text[n > 0 ? n : 0] = '\0';
		} else if ((st.st_mode & RT_S_IFMT) == RT_S_IFREG)
			snprintf(text, sizeof(text), "%s", rt_read(p));
		o += snprintf(out + o, len - o,
		    "%s: ino %llu mode %o uid %u gid %u flags %x size %lld "
		    "nlink %u mtime %lld.%lld text \"%s\"\n", names[i],
		    (unsigned long long)st.st_ino, st.st_mode, st.st_uid,
		    st.st_gid, st.st_flags, (long long)st.st_size, st.st_nlink,
		    (long long)st.st_times[2], (long long)st.st_times[3], text);
	}
}

/* ------------------------------------------------------------------ */
/* The racer                                                          */

static void *
rs_race(void *arg)
{
	unsigned long i = 0;

	(void)arg;
	rt_pin(1);
	__atomic_store_n(&rs_racer.started, 1, __ATOMIC_RELEASE);
	while (__atomic_load_n(&rs_racer.run, __ATOMIC_RELAXED)) {
		__atomic_store_n(&rs_path.w[0], rs_img[i & 1].w[0],
		    __ATOMIC_RELAXED);
		i++;
	}
	rs_racer.flips = i;
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The calls: each makes one attempt on rs_path.c and scores it       */

static enum rs_outcome
rs_err(int rv)
{
	if (rv >= 0)
		return RS_PUBLIC;
	return errno == RS_EPERM ? RS_DENIED : RS_OTHER;
}

/* Back to the admin for a repair after a successful change, then back. */
static void
rs_as_admin(void (*fn)(const char *), const char *arg)
{
	struct lwp *l = rump_pub_lwproc_curlwp();

	rt_admin();
	fn(arg);
	rump_pub_lwproc_switch(l);
}

static void rs_rm(const char *p) { (void)rump_sys_unlink(p); (void)rump_sys_rmdir(p); }
static void rs_mkf(const char *p) { rt_mkfile(p, "public"); }
static void rs_mkd(const char *p) { (void)rump_sys_mkdir(p, 0755); }

/* A changing call that succeeded was on /t/ok: repaired, scored public. */
static enum rs_outcome
rs_changed(int rv, void (*repair)(const char *), const char *what)
{
	enum rs_outcome o = rs_err(rv);

	if (o == RS_PUBLIC && repair != NULL)
		rs_as_admin(repair, what);
	return o;
}

static enum rs_outcome
rs_data(int fd)
{
	char buf[16];
	ssize_t n;

	if (fd < 0)
		return rs_err(fd);
	n = rump_sys_read(fd, buf, sizeof(buf) - 1);
	rump_sys_close(fd);
	buf[n > 0 ? n : 0] = '\0';
	if (strcmp(buf, "public") == 0)
		return RS_PUBLIC;
	return strcmp(buf, "secret") == 0 ? RS_FOOLED : RS_OTHER;
}

static enum rs_outcome
rs_ino(int rv, const struct rt_stat *st, int name)
{
	if (rv != 0)
		return rs_err(rv);
	if (st->st_ino == rs_tree.ino[0][name])
		return RS_PUBLIC;
	return st->st_ino == rs_tree.ino[1][name] ? RS_FOOLED : RS_OTHER;
}

static enum rs_outcome
rs_text(ssize_t n, char *buf)
{
	if (n < 0)
		return rs_err(-1);
	buf[n] = '\0';
	if (strcmp(buf, "pub") == 0)
		return RS_PUBLIC;
	return strcmp(buf, "sec") == 0 ? RS_FOOLED : RS_OTHER;
}

/* Success on "p", which only /t/ok has; ENOENT is /t/no answering. */
static enum rs_outcome
rs_exists(int rv)
{
	if (rv < 0 && errno == RS_ENOENT)
		return RS_FOOLED;
	return rs_err(rv);
}

static enum rs_outcome
rs_dirs(int rv, int root)
{
	uint64_t cwd, rdir, ino;

	if (rv != 0)
		return rs_err(rv);
	rump_policytest_dirs(&cwd, &rdir, 1);
	ino = root ? rdir : cwd;
	if (ino == rs_tree.ino[0][RS_D])
		return RS_PUBLIC;
	return ino == rs_tree.ino[1][RS_D] ? RS_FOOLED : RS_OTHER;
}

static const struct timeval rs_tv[2] = { { 1000, 0 }, { 2000, 0 } };
#define P	rs_path.c

static enum rs_outcome c_open(void) { return rs_data(rump_sys_open(P, RUMP_O_RDONLY)); }
static enum rs_outcome c_openat(void) { return rs_data(rump_sys_openat(rs_tree.dirfd, P, RUMP_O_RDONLY)); }
static enum rs_outcome c_open_w(void) { int fd = rump_sys_open(P, RUMP_O_WRONLY | RUMP_O_APPEND); if (fd >= 0) { rump_sys_write(fd, "w", 1); rump_sys_close(fd); } return rs_err(fd); }
static enum rs_outcome c_creat(void) { int fd = rump_sys_open(P, RUMP_O_WRONLY | RUMP_O_CREAT | RUMP_O_EXCL, 0644); if (fd >= 0) rump_sys_close(fd); return rs_changed(fd, rs_rm, RT_T "/ok/n"); }
static enum rs_outcome c_unlink(void) { return rs_changed(rump_sys_unlink(P), rs_mkf, RT_T "/ok/f"); }
static enum rs_outcome c_unlinkat(void) { return rs_changed(rump_sys_unlinkat(rs_tree.dirfd, P, 0), rs_mkf, RT_T "/ok/f"); }
static enum rs_outcome c_rmdir(void) { return rs_changed(rump_sys_rmdir(P), rs_mkd, RT_T "/ok/e"); }
static enum rs_outcome c_mkdir(void) { return rs_changed(rump_sys_mkdir(P, 0755), rs_rm, RT_T "/ok/n"); }
static enum rs_outcome c_mkfifo(void) { return rs_changed(rump_sys_mkfifo(P, 0644), rs_rm, RT_T "/ok/n"); }
static enum rs_outcome c_symlink(void) { return rs_changed(rump_sys_symlink("x", P), rs_rm, RT_T "/ok/n"); }
static enum rs_outcome c_link_to(void) { return rs_changed(rump_sys_link(RT_T "/ok/f", P), rs_rm, RT_T "/ok/n"); }
static enum rs_outcome
c_link_from(void)
{
	enum rs_outcome o;

	if (rump_sys_link(P, RT_T "/ok/n") != 0)
		return rs_err(-1);
	o = rs_data(rump_sys_open(RT_T "/ok/n", RUMP_O_RDONLY));
	rs_as_admin(rs_rm, RT_T "/ok/n");
	return o;
}
static enum rs_outcome c_chmod(void) { return rs_err(rump_sys_chmod(P, 0600)); }
static enum rs_outcome c_lchmod(void) { return rs_err(rump_sys_lchmod(P, 0700)); }
static enum rs_outcome c_chown(void) { return rs_err(rump_sys_chown(P, 1234, 1234)); }
static enum rs_outcome c_lchown(void) { return rs_err(rump_sys_lchown(P, 1234, 1234)); }
static enum rs_outcome c_fchownat(void) { return rs_err(rump_sys_fchownat(rs_tree.dirfd, P, 1234, 1234, 0)); }
static enum rs_outcome c_chflags(void) { return rs_err(rump_sys_chflags(P, RS_UF_NODUMP)); }
static enum rs_outcome c_lchflags(void) { return rs_err(rump_sys_lchflags(P, RS_UF_NODUMP)); }
static enum rs_outcome c_truncate(void) { return rs_err(rump_sys_truncate(P, 1)); }
static enum rs_outcome c_utimes(void) { return rs_err(rump_sys_utimes(P, rs_tv)); }
static enum rs_outcome c_lutimes(void) { return rs_err(rump_sys_lutimes(P, rs_tv)); }
static enum rs_outcome c_stat(void) { struct rt_stat st; return rs_ino(rt_stat(P, true, &st), &st, RS_F); }
static enum rs_outcome c_lstat(void) { struct rt_stat st; return rs_ino(rt_stat(P, false, &st), &st, RS_L); }
static enum rs_outcome c_readlink(void) { char b[16]; return rs_text(rump_sys_readlink(P, b, sizeof(b) - 1), b); }
static enum rs_outcome c_readlinkat(void) { char b[16]; return rs_text(rump_sys_readlinkat(rs_tree.dirfd, P, b, sizeof(b) - 1), b); }
static enum rs_outcome
c_access(void)
{
	/* /t/ok/x is 0644, /t/no/x 0755: only /t/no's is executable. */
	int rv = rump_sys_access(P, RS_X_OK);

	if (rv == 0)
		return RS_FOOLED;
	return errno == RS_EACCES ? RS_PUBLIC : rs_err(rv);
}
static enum rs_outcome
c_faccessat(void)
{
	int rv = rump_sys_faccessat(rs_tree.dirfd, P, RS_X_OK, 0);

	if (rv == 0)
		return RS_FOOLED;
	return errno == RS_EACCES ? RS_PUBLIC : rs_err(rv);
}
static enum rs_outcome c_pathconf(void) { return rs_exists((int)rump_sys_pathconf(P, RS_PC_NAME_MAX)); }
static enum rs_outcome c_statvfs(void) { char b[4096]; return rs_exists(rump_sys_statvfs1(P, (void *)b, RS_ST_WAIT)); }
static enum rs_outcome c_chdir(void) { return rs_dirs(rump_sys_chdir(P), 0); }
static enum rs_outcome c_chroot(void) { return rs_dirs(rump_sys_chroot(P), 1); }


/* ------------------------------------------------------------------ */
/* Sockets                                                            */

int rump_syscall(int, void *, size_t, register_t *);
#define RS_LX_SYS_connect	98	/* rump's Linux table numbers as NetBSD */

static struct {
	int	rx[2];		/* the admin's receivers: [ok, no] */
	int	linux;		/* the process runs under Linux emulation */
} rs_net;

/* NetBSD's struct msghdr and struct mmsghdr (LP64). */
struct rs_msghdr {
	void		*msg_name;
	uint32_t	msg_namelen;
	struct iovec	*msg_iov;
	int32_t		msg_iovlen;
	void		*msg_control;
	uint32_t	msg_controllen;
	int32_t		msg_flags;
};
struct rs_mmsghdr {
	struct rs_msghdr hdr;
	uint32_t	len;
};

static void
rs_sin(union rs_path *a, unsigned port, int lx)
{
	memset(a, 0, sizeof(*a));
	if (lx)
		a->c[0] = RUMP_AF_INET;		/* a 16-bit family, no length */
	else {
		a->c[0] = RS_SOCKLEN;
		a->c[1] = RUMP_AF_INET;
	}
	a->c[2] = (char)(port >> 8);
	a->c[3] = (char)(port & 0xff);
	a->c[4] = 127;
	a->c[7] = 1;
}

static unsigned
rs_port(const union rs_path *a)
{
	return ((unsigned)(uint8_t)a->c[2] << 8) | (uint8_t)a->c[3];
}

static enum rs_outcome
rs_by_port(const union rs_path *a)
{
	if (rs_port(a) == RS_PORT_OK)
		return RS_PUBLIC;
	return rs_port(a) == RS_PORT_NO ? RS_FOOLED : RS_OTHER;
}

/* A socket's own (peer 0) or peer's (peer 1) address, scored; closed. */
static enum rs_outcome
rs_sock_name(int s, int rv, int peer)
{
	union rs_path a;
	socklen_t len = sizeof(a);
	enum rs_outcome o;

	if (rv != 0)
		o = rs_err(rv);
	else if ((peer ? rump_sys_getpeername(s, (void *)&a, &len) :
	    rump_sys_getsockname(s, (void *)&a, &len)) != 0)
		o = RS_OTHER;
	else
		o = rs_by_port(&a);
	rump_sys_close(s);
	return o;
}

/* A send on s, closed here: which receiver got the datagram. */
static enum rs_outcome
rs_sent(int s, ssize_t rv)
{
	struct lwp *l = rump_pub_lwproc_curlwp();
	struct pollfd pfd[2];
	enum rs_outcome o;
	char c;
	int i;

	o = rs_err(rv < 0 ? -1 : 0);
	rump_sys_close(s);
	if (o != RS_PUBLIC)
		return o;
	o = RS_OTHER;
	rt_admin();
	for (i = 0; i < 2; i++) {
		pfd[i].fd = rs_net.rx[i];
		pfd[i].events = POLLIN;
	}
	/* Loopback delivers from a soft interrupt: wait for it. */
	if (rump_sys_poll(pfd, 2, 1000) > 0) {
		if (rump_sys_recvfrom(rs_net.rx[1], &c, 1, RUMP_MSG_DONTWAIT,
		    NULL, NULL) == 1)
			o = RS_FOOLED;
		else if (rump_sys_recvfrom(rs_net.rx[0], &c, 1,
		    RUMP_MSG_DONTWAIT, NULL, NULL) == 1)
			o = RS_PUBLIC;
	}
	rump_pub_lwproc_switch(l);
	return o;
}

static int
rs_udp(void)
{
	return rump_sys_socket(RUMP_PF_INET, RUMP_SOCK_DGRAM, 0);
}

static enum rs_outcome
c_connect(void)
{
	int s = rs_udp();

	return rs_sock_name(s, rump_sys_connect(s, (void *)P, RS_SOCKLEN), 1);
}

static enum rs_outcome
c_bind(void)
{
	int s = rs_udp();

	return rs_sock_name(s, rump_sys_bind(s, (void *)P, RS_SOCKLEN), 0);
}

static enum rs_outcome
c_sendto(void)
{
	int s = rs_udp();
	ssize_t rv = rump_sys_sendto(s, "x", 1, 0, (void *)P, RS_SOCKLEN);

	return rs_sent(s, rv);
}

static enum rs_outcome
c_sendmsg(void)
{
	struct iovec iov = { .iov_base = (void *)(uintptr_t)"x", .iov_len = 1 };
	struct rs_msghdr m = { .msg_name = P, .msg_namelen = RS_SOCKLEN,
	    .msg_iov = &iov, .msg_iovlen = 1 };
	int s = rs_udp();
	ssize_t rv = rump_sys_sendmsg(s, (void *)&m, 0);

	return rs_sent(s, rv);
}

static enum rs_outcome
c_sendmmsg(void)
{
	struct iovec iov = { .iov_base = (void *)(uintptr_t)"x", .iov_len = 1 };
	struct rs_mmsghdr m = { .hdr = { .msg_name = P,
	    .msg_namelen = RS_SOCKLEN, .msg_iov = &iov, .msg_iovlen = 1 } };
	int s = rs_udp();
	int rv = rump_sys_sendmmsg(s, (void *)&m, 1, 0);

	return rs_sent(s, rv == 1 ? 1 : -1);
}

/* connect(2) of a Linux process: a Linux sockaddr, through its table. */
static enum rs_outcome
c_linux_connect(void)
{
	register_t args[8] = { 0 }, rv[2];
	int s = rs_udp(), e;

	args[0] = s;
	args[1] = (register_t)(uintptr_t)P;
	args[2] = RS_SOCKLEN;
	e = rump_syscall(RS_LX_SYS_connect, args, sizeof(args), rv);
	if (e != 0)
		errno = e;
	return rs_sock_name(s, e != 0 ? -1 : 0, 1);
}

/* Each call: its name, the name it is given (under /t/XX/, or XX/ from /t), its attempt. */
struct rs_call {
	const char	*name;
	const char	*path;		/* after "/t/ok/", or "ok/" with at */
	int		at;		/* relative to rs_tree.dirfd (/t) */
	enum rs_outcome	(*attempt)(void);
};
#define RS_SOCK		NULL		/* path: a socket call */
#define RS_LINUX	2		/* at: a socket call of a Linux process */
#define RS_RX		4		/* at: a send, to the admin's receivers */

static const struct rs_call rs_calls[] = {
	{ "open", "f", 0, c_open },
	{ "openat", "f", 1, c_openat },
	{ "open-write", "f", 0, c_open_w },
	{ "open-create", "n", 0, c_creat },
	{ "unlink", "f", 0, c_unlink },
	{ "unlinkat", "f", 1, c_unlinkat },
	{ "rmdir", "e", 0, c_rmdir },
	{ "mkdir", "n", 0, c_mkdir },
	{ "mkfifo", "n", 0, c_mkfifo },
	{ "symlink", "n", 0, c_symlink },
	{ "link-to", "n", 0, c_link_to },
	{ "link-from", "f", 0, c_link_from },
	{ "chmod", "f", 0, c_chmod },
	{ "lchmod", "l", 0, c_lchmod },
	{ "chown", "f", 0, c_chown },
	{ "lchown", "l", 0, c_lchown },
	{ "fchownat", "f", 1, c_fchownat },
	{ "chflags", "f", 0, c_chflags },
	{ "lchflags", "l", 0, c_lchflags },
	{ "truncate", "f", 0, c_truncate },
	{ "utimes", "f", 0, c_utimes },
	{ "lutimes", "l", 0, c_lutimes },
	{ "stat", "f", 0, c_stat },
	{ "lstat", "l", 0, c_lstat },
	{ "readlink", "l", 0, c_readlink },
	{ "readlinkat", "l", 1, c_readlinkat },
	{ "access", "x", 0, c_access },
	{ "faccessat", "x", 1, c_faccessat },
	{ "pathconf", "p", 0, c_pathconf },
	{ "statvfs1", "p", 0, c_statvfs },
	{ "chdir", "d", 0, c_chdir },
	{ "chroot", "d", 0, c_chroot },
	{ "connect", RS_SOCK, 0, c_connect },
	{ "bind", RS_SOCK, 0, c_bind },
	{ "sendto", RS_SOCK, RS_RX, c_sendto },
	{ "sendmsg", RS_SOCK, RS_RX, c_sendmsg },
	{ "sendmmsg", RS_SOCK, RS_RX, c_sendmmsg },
	{ "linux-connect", RS_SOCK, RS_LINUX, c_linux_connect },
};

/* As the admin: the tree, or the two receivers; the images of the argument. */
static void
rs_setup(const struct rs_call *c)
{
	union rs_path a;
	int k;

	rt_fresh();
	if (c->path != RS_SOCK) {
		rs_side(RT_T "/ok", 0);
		rs_side(RT_T "/no", 1);
		for (k = 0; k < 2; k++) {
			memset(&rs_img[k], 0, sizeof(rs_img[k]));
			snprintf(rs_img[k].c, sizeof(rs_img[k].c), c->at ?
			    "%s/%s" : RT_T "/%s/%s", k ? "no" : "ok", c->path);
		}
		return;
	}
	for (k = 0; k < 2; k++) {
		rs_sin(&rs_img[k], k ? RS_PORT_NO : RS_PORT_OK,
		    c->at == RS_LINUX);
		if (!(c->at & RS_RX))
			continue;
		rs_sin(&a, k ? RS_PORT_NO : RS_PORT_OK, 0);
		rs_net.rx[k] = rs_udp();
		assert_true(rs_net.rx[k] >= 0);
		rt_works(rump_sys_bind(rs_net.rx[k], (void *)&a, RS_SOCKLEN));
	}
}

/* The confined process the call is made in (its parent, for Linux). */
static struct lwp *
rs_process(const struct rs_call *c)
{
	struct lwp *l = rt_proc();

	if (c->path != RS_SOCK) {
		rs_tree.dirfd = rump_sys_open(RT_T, RUMP_O_RDONLY |
		    RUMP_O_DIRECTORY);
		assert_true(rs_tree.dirfd >= 0);
		assert_int_equal(rt_confine(rs_policy), 0);
		return l;
	}
	assert_int_equal(rt_confine(rs_sock_policy), 0);
	if (c->at == RS_LINUX) {
		/* A confined process's rfork child: rump's Linux emulation. */
		if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0)
			fail_msg("rfork failed");
		assert_string_equal(rump_policytest_emul(), "linux-rump");
	}
	return l;
}

static void
rs_process_done(const struct rs_call *c, struct lwp *l)
{
	if (c->at == RS_LINUX && c->path == RS_SOCK) {
		rump_pub_lwproc_releaselwp();
		rump_pub_lwproc_switch(l);
	}
	rt_proc_exit();
	if (c->path == RS_SOCK && (c->at & RS_RX)) {
		rump_sys_close(rs_net.rx[0]);
		rump_sys_close(rs_net.rx[1]);
	}
}

static void
test_swap(void **state)
{
	const struct rs_call *c = *state;
	unsigned long n[RS_NOUTCOME] = { 0 }, i, total;
	const char *env = getenv("RT_SWAP_N");
	char before[2048], after[2048];
	struct lwp *l;

	total = env != NULL ? strtoul(env, NULL, 10) : RS_N_DEFAULT;
	rs_setup(c);
	rs_snapshot(before, sizeof(before));
	/* Only the first word differs: every store leaves a whole argument. */
	assert_memory_equal(rs_img[0].w + 1, rs_img[1].w + 1,
	    sizeof(rs_img[0]) - sizeof(rs_img[0].w[0]));
	rs_path = rs_img[0];

	l = rs_process(c);
	/* Unraced first: each image decided as the policy says. */
	assert_int_equal(c->attempt(), RS_PUBLIC);
	rs_path = rs_img[1];
	assert_int_equal(c->attempt(), RS_DENIED);

	rs_racer.run = 1;
	rs_racer.started = 0;
	assert_int_equal(pthread_create(&rs_racer.th, NULL, rs_race, NULL), 0);
	while (!__atomic_load_n(&rs_racer.started, __ATOMIC_ACQUIRE))
		sched_yield();
	rt_pin(0);
	/* a racer whose CPU other work takes may miss every window of total
	 * attempts: up to eight times as many while no outcome changed */
	for (i = 0; i < total || ((n[RS_PUBLIC] == 0 || n[RS_DENIED] == 0) &&
	    i < 8 * total); i++)
		n[c->attempt()]++;
	total = i;
	__atomic_store_n(&rs_racer.run, 0, __ATOMIC_RELAXED);
	pthread_join(rs_racer.th, NULL);
	rt_pin(-1);
	rs_process_done(c, l);
	rs_snapshot(after, sizeof(after));

	printf("  %-13s %lu attempts: public %lu denied %lu fooled %lu other "
	    "%lu (%lu flips)\n", c->name, total, n[RS_PUBLIC], n[RS_DENIED],
	    n[RS_FOOLED], n[RS_OTHER], rs_racer.flips);
	assert_int_equal(n[RS_FOOLED], 0);
	assert_string_equal(before, after);
	if (n[RS_PUBLIC] == 0 || n[RS_DENIED] == 0)
		fail_msg("%s: the racer never changed the outcome (public %lu, "
		    "denied %lu): the race did not happen", c->name,
		    n[RS_PUBLIC], n[RS_DENIED]);
}

int
main(void)
{
	struct CMUnitTest t[__arraycount(rs_calls)];
	size_t i;

	rt_boot();
	for (i = 0; i < __arraycount(rs_calls); i++) {
		memset(&t[i], 0, sizeof(t[i]));
		t[i].name = rs_calls[i].name;
		t[i].test_func = test_swap;
		t[i].initial_state = (void *)(uintptr_t)&rs_calls[i];
	}
	return cmocka_run_group_tests_name("rswap", t, NULL, NULL);
}
