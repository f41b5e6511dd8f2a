/* test_rrace.c: races against the real kernel: host threads change what a confined process's call
 * names (its memory, symlinks, directories, its cwd) while it calls; the product is never fooled, a control is. */
#include <pthread.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include "rt.h"

/*
 * Each class runs N attempts (RT_RACE_N, default 2000) while a racer
 * thread keeps changing what the call names.  Every attempt is made twice,
 * in turn: by the product (the confined process's own system call, through
 * the policy gate and its copy-once wrappers) and by a control (rk_race.c:
 * the same engine deciding on a copy, then the kernel's own handler reading
 * the user's memory or looking the path up again, as systrace did).  An
 * attempt is scored by what it reached: "fooled" when it reached the object
 * the policy denies (read "secret", a datagram or connection at the denied
 * socket, the denied file unlinked or moved), "public" when it did what the
 * policy permits, "denied" (the policy's EACCES), "other" (anything else,
 * such as ENOENT while a name is between two renames).  A class passes when
 * the product is never fooled, permits and denies at least once each (it
 * is neither refusing everything nor blind to the racer), and the control
 * is fooled at least once (the attack has the power to make the test fail;
 * when it is not, the attempts are doubled, up to RR_EXTEND times N and
 * at least RR_POWER_SECS of trying, before the class fails).
 *
 * A racer that shares a CPU with the caller is preempted for the whole
 * window, so on a busy machine a run could see no race at all: the caller
 * and the racer are each held to a CPU of their own when there are two.
 *
 * The policy permits everything under /t/ok and nothing under /t/no.
 * The classes, and what their controls do after deciding:
 *
 *  path, sockaddr-sendto, sockaddr-connect, unlink, rename: the argument
 *	flipped in memory by a host thread; the kernel's handler is given
 *	the user's pointer and copies it in again.
 *  sockaddr-link, sockaddr-link-sendto, sockaddr-bind: an AF_LOCAL path
 *	whose last component (connect, sendto) or directory (bind) is
 *	swapped on disk for a link into /t/no; the socket layer looks the
 *	path as written up.
 *  symlink-final, symlink-component: a link swapped on disk at the last
 *	or a middle component of the path opened; decided on the path as
 *	written (lexical) or on what a lookup finds then (resolved), and
 *	opened by the kernel looking the path up again.
 *  dirfd-rename, cwd-rename: "../f" from a directory that is moved
 *	between /t/ok and /t/no ("f" in the moved directory itself would
 *	move with it and could not tell one tree from the other: /t/ok/f
 *	and /t/no/f stay put); decided on where the directory is then,
 *	opened again from it.  cwd-fchdir: "f" while a second thread of
 *	the process fchdir()s between /t/ok and /t/no.
 *
 * RT_RACE_ONLY and RT_RACE_SKIP (cmocka patterns) pick classes by name.
 */

#define RR_N_DEFAULT	2000
#define RR_EXTEND	16		/* at most this many times N, */
#define RR_POWER_SECS	10.0		/* unless not yet tried this long */
#define RR_HANG_SECS	120		/* no attempt finished for this long: abort */
#define RR_VNODE_SLACK	4		/* a racer's name left between two steps */

/* NetBSD's numbers, as the rump kernel takes them. */
#define RR_F_SETFL	4
#define RR_EACCES	13

static const char rr_policy[] =
    "  - open: filename inpath \"/t/ok\" then permit\n"
    "  - unlink: filename inpath \"/t/ok\" then permit\n"
    "  - rename: filename inpath \"/t/ok\" and filename2 inpath \"/t/ok\" "
    "then permit\n"
    "  - connect: sockaddr eq \"unix-/t/ok/sock\" then permit\n"
    "  - sendto: sockaddr eq \"unix-/t/ok/dgram\" then permit\n"
    "  - bind: sockaddr match \"unix-/t/ok/*\" then permit\n"
    "  - socket: permit\n"
    "  - read: permit\n"
    "  - close: permit\n"
    "  - accept: permit\n"
    "  - recvfrom: permit\n"
    "  - fchdir: permit\n"
    "  - getpid: permit\n";

enum rr_outcome { RR_FOOLED, RR_DENIED, RR_PUBLIC, RR_OTHER, RR_NOUTCOME };

/* Who makes the call. */
enum rr_side { RR_PRODUCT, RR_CONTROL, RR_CONTROL2, RR_NSIDE };

/* Where the racer runs. */
enum rr_where {
	RR_HOST,	/* a host thread writing memory: no lwp */
	RR_ADMIN,	/* an lwp of its own in the unconfined admin process */
	RR_SIBLING,	/* a second lwp of the confined process itself */
};

struct rr_class {
	const char	*rc_name;
	const char	*rc_what;		/* what the racer does */
	const char	*rc_control[RR_NSIDE];	/* how each control decides */
	void		(*rc_setup)(void);	/* as admin, on a fresh /t */
	void		(*rc_prepare)(void);	/* in the process, unconfined */
	enum rr_where	rc_where;
	void		(*rc_race)(unsigned long step);
	enum rr_outcome	(*rc_attempt)(enum rr_side);
	void		(*rc_finish)(void);	/* as admin, after the run */
};

struct rr_score {
	unsigned long	n[RR_NOUTCOME];
	double		secs;
};

/* ------------------------------------------------------------------ */
/* The racer, the watchdog, the buffers the memory classes flip       */

static struct {
	const struct rr_class *cls;
	pid_t		pid;		/* the process of its lwp */
	int		run;		/* atomic: keep racing */
	int		err;		/* atomic: setup failed (errno) */
	int		sibling_open;	/* the sibling's open of /t/no/f: errno */
	unsigned long	steps;		/* atomic */
	pthread_t	th;
} rr_racer;

static pid_t rr_admin_pid;
static struct lwp *rr_victim;
static unsigned long rr_progress;	/* atomic: attempts made */
static const char *volatile rr_current = "boot";

/* The argument the memory classes flip, and its two images. */
static union {
	uint64_t	w[4];
	char		c[32];
} rr_arg, rr_img[2];
static size_t rr_arglen;		/* bytes of it the racer writes (x8) */

static void
rr_img_set(const void *a, const void *b, size_t len)
{
	memset(rr_img, 0, sizeof(rr_img));
	memcpy(rr_img[0].c, a, len);
	memcpy(rr_img[1].c, b, len);
	rr_arg = rr_img[0];
	rr_arglen = (len + 7) / 8;
}

/* One flip: word by word, each an atomic store. */
static void
rr_flip(unsigned long step)
{
	const uint64_t *src = rr_img[step & 1].w;
	size_t i;

	for (i = 0; i < rr_arglen; i++)
		__atomic_store_n(&rr_arg.w[i], src[i], __ATOMIC_RELAXED);
}

static void *
rr_racer_main(void *arg)
{
	const struct rr_class *c = rr_racer.cls;
	unsigned long step = 0;
	int fd, error;

	(void)arg;
	rt_pin(1);
	if (c->rc_where != RR_HOST &&
	    (error = rump_pub_lwproc_newlwp(rr_racer.pid)) != 0) {
		__atomic_store_n(&rr_racer.err, error, __ATOMIC_SEQ_CST);
		return NULL;
	}
	/* A thread of a confined process is as confined as the process. */
	if (c->rc_where == RR_SIBLING) {
		fd = rump_sys_open(RT_T "/no/f", RUMP_O_RDONLY);
		rr_racer.sibling_open = fd < 0 ? errno : 0;
		if (fd >= 0)
			rump_sys_close(fd);
	}
	while (__atomic_load_n(&rr_racer.run, __ATOMIC_RELAXED))
		(*c->rc_race)(step++);
	__atomic_store_n(&rr_racer.steps, step, __ATOMIC_SEQ_CST);
	if (c->rc_where != RR_HOST)
		rump_pub_lwproc_releaselwp();
	return NULL;
}

static void
rr_racer_start(const struct rr_class *c, pid_t pid)
{
	rr_racer.cls = c;
	rr_racer.pid = pid;
	rr_racer.err = 0;
	rr_racer.sibling_open = -1;
	rr_racer.steps = 0;
	__atomic_store_n(&rr_racer.run, 1, __ATOMIC_SEQ_CST);
	if (pthread_create(&rr_racer.th, NULL, rr_racer_main, NULL) != 0)
		fail_msg("pthread_create failed");
}

static unsigned long
rr_racer_stop(void)
{
	__atomic_store_n(&rr_racer.run, 0, __ATOMIC_SEQ_CST);
	pthread_join(rr_racer.th, NULL);
	if (rr_racer.err != 0)
		fail_msg("%s: the racer got no lwp: %s", rr_racer.cls->rc_name,
		    strerror(rr_racer.err));
	return rr_racer.steps;
}

/* A kernel that hangs fails the suite rather than stopping it for good. */
static void *
rr_watchdog(void *arg)
{
	unsigned long last = (unsigned long)-1, now;
	int still = 0;

	(void)arg;
	for (;;) {
		sleep(5);
		now = __atomic_load_n(&rr_progress, __ATOMIC_RELAXED);
		still = now == last ? still + 5 : 0;
		last = now;
		if (still >= RR_HANG_SECS) {
			fprintf(stderr, "test_rrace: no attempt finished in "
			    "%d s (class %s, attempt %lu): the kernel hangs\n",
			    still, rr_current, now);
			abort();
		}
	}
	return NULL;
}

static double
rr_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ------------------------------------------------------------------ */
/* Scoring                                                            */

/* An open's result: what the descriptor reads, or why there is none. */
static enum rr_outcome
rr_open_outcome(int fd, int error)
{
	char buf[16];
	ssize_t n;

	if (fd < 0)
		return error == RR_EACCES ? RR_DENIED : RR_OTHER;
	n = rump_sys_read(fd, buf, sizeof(buf) - 1);
	rump_sys_close(fd);
	buf[n > 0 ? n : 0] = '\0';
	if (strcmp(buf, "secret") == 0)
		return RR_FOOLED;
	return strcmp(buf, "public") == 0 ? RR_PUBLIC : RR_OTHER;
}

/* open(path), or openat(fdat, path), by the product or a control. */
static enum rr_outcome
rr_open(enum rr_side side, int control, int control2, int fdat,
    const char *path)
{
	int fd, error;

	if (side == RR_PRODUCT) {
		fd = fdat == RT_AT_FDCWD ? rump_sys_open(path, RUMP_O_RDONLY) :
		    rump_sys_openat(fdat, path, RUMP_O_RDONLY);
		return rr_open_outcome(fd, fd < 0 ? errno : 0);
	}
	error = rump_policyrace_open(side == RR_CONTROL ? control : control2,
	    fdat, path, RUMP_O_RDONLY, &fd);
	return rr_open_outcome(error == 0 ? fd : -1, error);
}

/* As the unconfined admin, then back. */
static void
rr_as_admin(void)
{
	rt_admin();
}

static void
rr_as_victim(void)
{
	rump_pub_lwproc_switch(rr_victim);
}

static bool
rr_exists(const char *path)
{
	struct rt_stat st;

	return rt_stat(path, false, &st) == 0;
}

/* ------------------------------------------------------------------ */
/* 1. path: the path buffer flipped in memory                         */

static void
rr_path_setup(void)
{
	rt_mkfile(RT_T "/ok/pub", "public");
	rt_mkfile(RT_T "/no/sec", "secret");
	rr_img_set(RT_T "/ok/pub", RT_T "/no/sec", sizeof(RT_T "/ok/pub"));
}

static enum rr_outcome
rr_path_attempt(enum rr_side side)
{
	return rr_open(side, RT_RACE_USER, 0, RT_AT_FDCWD, rr_arg.c);
}

/* ------------------------------------------------------------------ */
/* 2. sockaddr: a local socket's address flipped in memory            */

static int rr_s, rr_rok, rr_rno;	/* sender, receivers or listeners */

static void
rr_sun(bool stream)
{
	char a[2][32];
	const char *name = stream ? "sock" : "dgram";
	size_t len;
	int i;

	memset(a, 0, sizeof(a));
	for (i = 0; i < 2; i++) {
		len = 2 + (size_t)snprintf(a[i] + 2, sizeof(a[i]) - 2,
		    RT_T "/%s/%s", i ? "no" : "ok", name) + 1;
		a[i][0] = (char)len;
		a[i][1] = RUMP_AF_LOCAL;
	}
	assert_true(len <= sizeof(rr_arg.c));
	rr_img_set(a[0], a[1], len);
}

static int
rr_sun_bound(int type, const char *path)
{
	char sa[32];
	size_t len = 2 + strlen(path) + 1;
	int s;

	memset(sa, 0, sizeof(sa));
	sa[0] = (char)len;
	sa[1] = RUMP_AF_LOCAL;
	memcpy(sa + 2, path, len - 2);
	rt_works(s = rump_sys_socket(RUMP_PF_LOCAL, type, 0));
	rt_works(rump_sys_bind(s, (void *)sa, (socklen_t)len));
	if (type == RUMP_SOCK_STREAM) {
		rt_works(rump_sys_listen(s, 16));
		rt_works(rump_sys_fcntl(s, RR_F_SETFL, RUMP_O_NONBLOCK));
	}
	return s;
}

static void
rr_dgram_setup(void)
{
	rr_sun(false);
}

static void
rr_dgram_prepare(void)
{
	rr_rok = rr_sun_bound(RUMP_SOCK_DGRAM, RT_T "/ok/dgram");
	rr_rno = rr_sun_bound(RUMP_SOCK_DGRAM, RT_T "/no/dgram");
	rt_works(rr_s = rump_sys_socket(RUMP_PF_LOCAL, RUMP_SOCK_DGRAM, 0));
}

/* Datagrams waiting at s, taken. */
static unsigned
rr_drain(int s)
{
	char buf[8];
	unsigned n = 0;

	while (rump_sys_recvfrom(s, buf, sizeof(buf), RUMP_MSG_DONTWAIT, NULL,
	    NULL) >= 0)
		n++;
	return n;
}

static enum rr_outcome
rr_dgram_attempt(enum rr_side side)
{
	unsigned salen = (unsigned char)rr_img[0].c[0];
	int rv, error;
	unsigned ok, no;

	if (side == RR_PRODUCT) {
		rv = (int)rump_sys_sendto(rr_s, "x", 1, 0, (void *)rr_arg.c,
		    salen);
		error = rv < 0 ? errno : 0;
	} else
		error = rump_policyrace_sock(RT_RACE_SENDTO, rr_s, rr_arg.c,
		    salen, "x", 1);
	no = rr_drain(rr_rno);
	ok = rr_drain(rr_rok);
	if (no > 0)
		return RR_FOOLED;
	if (error == RR_EACCES)
		return RR_DENIED;
	return ok == 1 && error == 0 ? RR_PUBLIC : RR_OTHER;
}

static void
rr_stream_setup(void)
{
	rr_sun(true);
}

static void
rr_stream_prepare(void)
{
	rr_rok = rr_sun_bound(RUMP_SOCK_STREAM, RT_T "/ok/sock");
	rr_rno = rr_sun_bound(RUMP_SOCK_STREAM, RT_T "/no/sock");
}

/* Connections waiting at listener s, taken. */
static unsigned
rr_accept(int s)
{
	unsigned n = 0;
	int c;

	while ((c = rump_sys_accept(s, NULL, NULL)) >= 0) {
		rump_sys_close(c);
		n++;
	}
	return n;
}

static enum rr_outcome
rr_stream_attempt(enum rr_side side)
{
	unsigned salen = (unsigned char)rr_img[0].c[0];
	int s, error;
	unsigned ok, no;

	if ((s = rump_sys_socket(RUMP_PF_LOCAL, RUMP_SOCK_STREAM, 0)) < 0)
		return RR_OTHER;
	if (side == RR_PRODUCT)
		error = rump_sys_connect(s, (void *)rr_arg.c, salen) < 0 ?
		    errno : 0;
	else
		error = rump_policyrace_sock(RT_RACE_CONNECT, s, rr_arg.c,
		    salen, NULL, 0);
	rump_sys_close(s);
	no = rr_accept(rr_rno);
	ok = rr_accept(rr_rok);
	if (no > 0)
		return RR_FOOLED;
	if (error == RR_EACCES)
		return RR_DENIED;
	return ok == 1 && error == 0 ? RR_PUBLIC : RR_OTHER;
}

/*
 * 2c. sockaddr-link, sockaddr-link-sendto: a local socket's own path,
 * /t/ok/sock (/t/ok/dgram), replaced on disk by a link to /t/no/sock
 * (/t/no/dgram) and put back, every state atomic: the socket layer looks
 * the path up itself, after the decision.
 */
static const char *rr_slink_name;

static void
rr_slink_setup(void)
{
	rr_slink_name = "sock";
	rr_sun(true);
}

static void
rr_slink_dgram_setup(void)
{
	rr_slink_name = "dgram";
	rr_sun(false);
}

static void
rr_slink_race(unsigned long step)
{
	char sock[32], keep[32], lnk[32], no[32];

	snprintf(sock, sizeof(sock), RT_T "/ok/%s", rr_slink_name);
	snprintf(keep, sizeof(keep), RT_T "/ok/%s.keep", rr_slink_name);
	snprintf(lnk, sizeof(lnk), RT_T "/ok/%s.lnk", rr_slink_name);
	snprintf(no, sizeof(no), RT_T "/no/%s", rr_slink_name);
	switch (step & 3) {
	case 0:		/* keep the socket's node under a second name */
		rump_sys_link(sock, keep);
		break;
	case 1:
		rump_sys_symlink(no, lnk);
		break;
	case 2:		/* the name: the link */
		rump_sys_rename(lnk, sock);
		break;
	default:	/* the name: the socket again */
		rump_sys_rename(keep, sock);
		break;
	}
}

/*
 * 2d. sockaddr-bind: bind(2) of /t/ok/d/b while /t/ok/d is a directory or
 * a link to /t/no (as symlink-component): the socket layer makes the name
 * where its own lookup of the path leads.
 */
static int rr_bind_dfd = -1;		/* the admin's: the real directory */

static void
rr_bind_setup(void)
{
	char a[32];
	const char *path = RT_T "/ok/d/b";
	size_t len = 2 + strlen(path) + 1;

	rt_works(rump_sys_mkdir(RT_T "/ok/d", 0755));
	rt_works(rump_sys_symlink(RT_T "/no", RT_T "/ok/d.lnk"));
	rt_works(rr_bind_dfd = rump_sys_open(RT_T "/ok/d", RUMP_O_RDONLY |
	    RUMP_O_DIRECTORY));
	memset(a, 0, sizeof(a));
	a[0] = (char)len;
	a[1] = RUMP_AF_LOCAL;
	memcpy(a + 2, path, len - 2);
	rr_img_set(a, a, len);
}

static enum rr_outcome
rr_bind_attempt(enum rr_side side)
{
	unsigned salen = (unsigned char)rr_img[0].c[0];
	bool no, ok;
	int s, error;

	if ((s = rump_sys_socket(RUMP_PF_LOCAL, RUMP_SOCK_STREAM, 0)) < 0)
		return RR_OTHER;
	if (side == RR_PRODUCT)
		error = rump_sys_bind(s, (void *)rr_arg.c, salen) < 0 ?
		    errno : 0;
	else
		error = rump_policyrace_sock(RT_RACE_BIND, s, rr_arg.c, salen,
		    NULL, 0);
	rump_sys_close(s);
	rr_as_admin();
	if ((no = rr_exists(RT_T "/no/b")))
		rt_works(rump_sys_unlink(RT_T "/no/b"));
	ok = rump_sys_unlinkat(rr_bind_dfd, "b", 0) == 0;
	rr_as_victim();
	if (no)
		return RR_FOOLED;
	if (error == RR_EACCES)
		return RR_DENIED;
	return ok && error == 0 ? RR_PUBLIC : RR_OTHER;
}

static void
rr_bind_finish(void)
{
	rump_sys_close(rr_bind_dfd);
	rr_bind_dfd = -1;
}

/* ------------------------------------------------------------------ */
/* 3. symlink-final: /t/ok/l renamed over, to /t/ok/pub or /t/no/sec  */

static void
rr_final_setup(void)
{
	rt_mkfile(RT_T "/ok/pub", "public");
	rt_mkfile(RT_T "/no/sec", "secret");
	rt_works(rump_sys_symlink(RT_T "/ok/pub", RT_T "/ok/l"));
}

static void
rr_final_race(unsigned long step)
{
	rump_sys_symlink((step & 1) ? RT_T "/no/sec" : RT_T "/ok/pub",
	    RT_T "/ok/l.new");
	rump_sys_rename(RT_T "/ok/l.new", RT_T "/ok/l");
}

static enum rr_outcome
rr_final_attempt(enum rr_side side)
{
	return rr_open(side, RT_RACE_LEXICAL, RT_RACE_RESOLVE, RT_AT_FDCWD,
	    RT_T "/ok/l");
}

/* ------------------------------------------------------------------ */
/* 4. symlink-component: /t/ok/d a directory, or a link to /t/no      */

static void
rr_middle_setup(void)
{
	rt_works(rump_sys_mkdir(RT_T "/ok/d", 0755));
	rt_mkfile(RT_T "/ok/d/f", "public");
	rt_mkfile(RT_T "/no/f", "secret");
	rt_works(rump_sys_symlink(RT_T "/no", RT_T "/ok/d.lnk"));
}

/* A directory cannot be renamed over a link, nor a link over it: two steps each way. */
static void
rr_middle_race(unsigned long step)
{
	static const char *const from[4] = {
		RT_T "/ok/d", RT_T "/ok/d.lnk", RT_T "/ok/d", RT_T "/ok/d.dir"
	};
	static const char *const to[4] = {
		RT_T "/ok/d.dir", RT_T "/ok/d", RT_T "/ok/d.lnk", RT_T "/ok/d"
	};

	rump_sys_rename(from[step & 3], to[step & 3]);
}

static enum rr_outcome
rr_middle_attempt(enum rr_side side)
{
	return rr_open(side, RT_RACE_LEXICAL, RT_RACE_RESOLVE, RT_AT_FDCWD,
	    RT_T "/ok/d/f");
}

/* ------------------------------------------------------------------ */
/* 5, 6. A directory moved under a dirfd, or under the cwd            */

/*
 * /t/ok/f is public, /t/no/f secret; the empty directory x is moved
 * between /t/ok/x and /t/no/x, and "../f" from it names one or the other.
 */
static int rr_dirfd;

static void
rr_dir_setup(void)
{
	rt_mkfile(RT_T "/ok/f", "public");
	rt_mkfile(RT_T "/no/f", "secret");
	rt_works(rump_sys_mkdir(RT_T "/ok/x", 0755));
}

static void
rr_dir_race(unsigned long step)
{
	if (step & 1)
		rump_sys_rename(RT_T "/no/x", RT_T "/ok/x");
	else
		rump_sys_rename(RT_T "/ok/x", RT_T "/no/x");
}

static void
rr_dirfd_prepare(void)
{
	rt_works(rr_dirfd = rump_sys_open(RT_T "/ok/x", RUMP_O_RDONLY |
	    RUMP_O_DIRECTORY));
}

static enum rr_outcome
rr_dirfd_attempt(enum rr_side side)
{
	return rr_open(side, RT_RACE_LEXICAL, 0, rr_dirfd, "../f");
}

static void
rr_cwd_prepare(void)
{
	rt_works(rump_sys_chdir(RT_T "/ok/x"));
}

static enum rr_outcome
rr_cwd_attempt(enum rr_side side)
{
	return rr_open(side, RT_RACE_LEXICAL, 0, RT_AT_FDCWD, "../f");
}

/* 6b. The cwd switched by a sibling thread: fchdir between /t/ok and /t/no. */
static int rr_dok, rr_dno;

static void
rr_fchdir_setup(void)
{
	rt_mkfile(RT_T "/ok/f", "public");
	rt_mkfile(RT_T "/no/f", "secret");
}

static void
rr_fchdir_prepare(void)
{
	rt_works(rr_dok = rump_sys_open(RT_T "/ok", RUMP_O_RDONLY |
	    RUMP_O_DIRECTORY));
	rt_works(rr_dno = rump_sys_open(RT_T "/no", RUMP_O_RDONLY |
	    RUMP_O_DIRECTORY));
}

static void
rr_fchdir_race(unsigned long step)
{
	rump_sys_fchdir((step & 1) ? rr_dno : rr_dok);
}

static enum rr_outcome
rr_fchdir_attempt(enum rr_side side)
{
	return rr_open(side, RT_RACE_LEXICAL, 0, RT_AT_FDCWD, "f");
}

/* ------------------------------------------------------------------ */
/* 7. unlink, rename: the path flipped in memory                      */

static void
rr_rm_setup(void)
{
	rt_mkfile(RT_T "/ok/x", "public");
	rt_mkfile(RT_T "/no/x", "secret");
	rr_img_set(RT_T "/ok/x", RT_T "/no/x", sizeof(RT_T "/ok/x"));
}

/* What became of the two files (the admin looks, and puts them back). */
static enum rr_outcome
rr_rm_outcome(int error)
{
	bool no_gone, ok_gone;

	rr_as_admin();
	no_gone = !rr_exists(RT_T "/no/x");
	ok_gone = !rr_exists(RT_T "/ok/x");
	if (rr_exists(RT_T "/ok/moved"))
		rt_works(rump_sys_unlink(RT_T "/ok/moved"));
	if (no_gone)
		rt_mkfile(RT_T "/no/x", "secret");
	if (ok_gone)
		rt_mkfile(RT_T "/ok/x", "public");
	rr_as_victim();
	if (no_gone)
		return RR_FOOLED;
	if (error == RR_EACCES)
		return RR_DENIED;
	return error == 0 && ok_gone ? RR_PUBLIC : RR_OTHER;
}

static enum rr_outcome
rr_unlink_attempt(enum rr_side side)
{
	int error;

	if (side == RR_PRODUCT)
		error = rump_sys_unlink(rr_arg.c) < 0 ? errno : 0;
	else
		error = rump_policyrace_unlink(rr_arg.c);
	return rr_rm_outcome(error);
}

static enum rr_outcome
rr_rename_attempt(enum rr_side side)
{
	int error;

	if (side == RR_PRODUCT)
		error = rump_sys_rename(rr_arg.c, RT_T "/ok/moved") < 0 ?
		    errno : 0;
	else
		error = rump_policyrace_rename(rr_arg.c, RT_T "/ok/moved");
	return rr_rm_outcome(error);
}

/* ------------------------------------------------------------------ */
/* The classes and the run                                            */

static const struct rr_class rr_classes[] = {
	{ "path", "open(2)'s path flipped in memory: /t/ok/pub, /t/no/sec",
	    { NULL, "user pointer" }, rr_path_setup, NULL, RR_HOST, rr_flip,
	    rr_path_attempt, NULL },
	{ "sockaddr-sendto", "sendto(2)'s sun_path flipped in memory: "
	    "/t/ok/dgram, /t/no/dgram", { NULL, "user pointer" },
	    rr_dgram_setup, rr_dgram_prepare, RR_HOST, rr_flip,
	    rr_dgram_attempt, NULL },
	{ "sockaddr-connect", "connect(2)'s sun_path flipped in memory: "
	    "/t/ok/sock, /t/no/sock", { NULL, "user pointer" },
	    rr_stream_setup, rr_stream_prepare, RR_HOST, rr_flip,
	    rr_stream_attempt, NULL },
	{ "sockaddr-link", "connect(2) to /t/ok/sock while it is renamed over "
	    "by a link to /t/no/sock and back", { NULL, "lexical" },
	    rr_slink_setup, rr_stream_prepare, RR_ADMIN, rr_slink_race,
	    rr_stream_attempt, NULL },
	{ "sockaddr-link-sendto", "sendto(2) to /t/ok/dgram while it is "
	    "renamed over by a link to /t/no/dgram and back",
	    { NULL, "lexical" }, rr_slink_dgram_setup, rr_dgram_prepare,
	    RR_ADMIN, rr_slink_race, rr_dgram_attempt, NULL },
	{ "sockaddr-bind", "bind(2) of /t/ok/d/b while /t/ok/d is a directory "
	    "or a link to /t/no", { NULL, "lexical" }, rr_bind_setup, NULL,
	    RR_ADMIN, rr_middle_race, rr_bind_attempt, rr_bind_finish },
	{ "symlink-final", "/t/ok/l renamed over by a link to /t/ok/pub or "
	    "/t/no/sec", { NULL, "lexical", "resolved" }, rr_final_setup,
	    NULL, RR_ADMIN, rr_final_race, rr_final_attempt, NULL },
	{ "symlink-component", "/t/ok/d a directory (f public) or a link to "
	    "/t/no (f secret)", { NULL, "lexical", "resolved" },
	    rr_middle_setup, NULL, RR_ADMIN, rr_middle_race,
	    rr_middle_attempt, NULL },
	{ "dirfd-rename", "openat(dirfd of x, \"../f\"), x renamed between "
	    "/t/ok and /t/no", { NULL, "dirfd's path now" }, rr_dir_setup,
	    rr_dirfd_prepare, RR_ADMIN, rr_dir_race, rr_dirfd_attempt, NULL },
	{ "cwd-rename", "open(\"../f\") from cwd x, x renamed between /t/ok "
	    "and /t/no", { NULL, "cwd's path now" }, rr_dir_setup,
	    rr_cwd_prepare, RR_ADMIN, rr_dir_race, rr_cwd_attempt, NULL },
	{ "cwd-fchdir", "open(\"f\") while a sibling thread fchdir()s "
	    "between /t/ok and /t/no", { NULL, "cwd's path now" },
	    rr_fchdir_setup, rr_fchdir_prepare, RR_SIBLING, rr_fchdir_race,
	    rr_fchdir_attempt, NULL },
	{ "unlink", "unlink(2)'s path flipped in memory: /t/ok/x, /t/no/x",
	    { NULL, "user pointer" }, rr_rm_setup, NULL, RR_HOST, rr_flip,
	    rr_unlink_attempt, NULL },
	{ "rename", "rename(2)'s from flipped in memory: /t/ok/x, /t/no/x "
	    "(to /t/ok/moved)", { NULL, "user pointer" }, rr_rm_setup, NULL,
	    RR_HOST, rr_flip, rr_rename_attempt, NULL },
};

static unsigned long
rr_n(void)
{
	const char *s = getenv("RT_RACE_N");
	unsigned long n;

	if (s == NULL || *s == '\0')
		return RR_N_DEFAULT;
	n = strtoul(s, NULL, 10);
	return n > 0 ? n : RR_N_DEFAULT;
}

static void
rr_score_line(char *buf, size_t len, const char *who, const char *how,
    const struct rr_score *s, unsigned long n)
{
	snprintf(buf, len, "%s%s%s%s fooled %lu denied %lu public %lu other %lu "
	    "(%.1f us/call)", who, how ? " (" : "", how ? how : "",
	    how ? ")" : "", s->n[RR_FOOLED], s->n[RR_DENIED], s->n[RR_PUBLIC],
	    s->n[RR_OTHER], n ? s->secs * 1e6 / n : 0.0);
}

static void
rr_run(const struct rr_class *c)
{
	struct rr_score sc[RR_NSIDE];
	unsigned long n0 = rr_n(), n = n0, i = 0, steps;
	double t0, t1, start;
	char line[3][200];
	int side, nside;
	enum rr_outcome o;
	unsigned vn0, vn1;

	rr_current = c->rc_name;
	memset(sc, 0, sizeof(sc));
	nside = c->rc_control[RR_CONTROL2] != NULL ? 3 : 2;
	rt_fresh();
	rt_works(rump_sys_mkdir(RT_T "/ok", 0755));
	rt_works(rump_sys_mkdir(RT_T "/no", 0755));
	(*c->rc_setup)();
	rr_victim = rt_proc();
	if (c->rc_prepare != NULL)
		(*c->rc_prepare)();
	assert_int_equal(rt_confine(rr_policy), 0);
	rt_pin(0);
	rr_racer_start(c, c->rc_where == RR_SIBLING ? rump_sys_getpid() :
	    rr_admin_pid);
	vn0 = rump_policyrace_vnodes();
	start = rr_now();
	for (;;) {
		for (; i < n; i++) {
			for (side = 0; side < nside; side++) {
				t0 = rr_now();
				o = (*c->rc_attempt)((enum rr_side)side);
				t1 = rr_now();
				sc[side].n[o]++;
				sc[side].secs += t1 - t0;
			}
			__atomic_store_n(&rr_progress, rr_progress + 1,
			    __ATOMIC_RELAXED);
		}
		if ((sc[RR_CONTROL].n[RR_FOOLED] > 0 &&
		    (nside < 3 || sc[RR_CONTROL2].n[RR_FOOLED] > 0)) ||
		    (n >= n0 * RR_EXTEND && rr_now() - start >= RR_POWER_SECS))
			break;
		n *= 2;		/* not yet shown to have the power: more */
	}
	steps = rr_racer_stop();
	rt_pin(-1);
	rt_proc_exit();
	if (c->rc_finish != NULL)
		(*c->rc_finish)();
	vn1 = rump_policyrace_vnodes();
	rr_score_line(line[0], sizeof(line[0]), "product", NULL,
	    &sc[RR_PRODUCT], n);
	for (side = 1; side < nside; side++)
		rr_score_line(line[side], sizeof(line[side]), "control",
		    c->rc_control[side], &sc[side], n);
	printf("rrace: %-20s attempts %lu%s | %s | %s%s%s | racer steps %lu | "
	    "vnodes %u->%u | %.2f s\n", c->rc_name, n, n > n0 ?
	    " (extended)" : "", line[0], line[1], nside > 2 ? " | " : "",
	    nside > 2 ? line[2] : "", steps, vn0, vn1, rr_now() - start);
	fflush(stdout);

	if (c->rc_where == RR_SIBLING && rr_racer.sibling_open != RR_EACCES)
		fail_msg("%s: a second thread of the confined process opened "
		    "/t/no/f: errno %d", c->rc_name, rr_racer.sibling_open);
	if (sc[RR_PRODUCT].n[RR_FOOLED] != 0)
		fail_msg("%s: the product was fooled %lu times in %lu (%s)",
		    c->rc_name, sc[RR_PRODUCT].n[RR_FOOLED], n, c->rc_what);
	if (sc[RR_PRODUCT].n[RR_PUBLIC] == 0 ||
	    sc[RR_PRODUCT].n[RR_DENIED] == 0)
		fail_msg("%s: the product never %s in %lu attempts", c->rc_name,
		    sc[RR_PRODUCT].n[RR_PUBLIC] == 0 ? "permitted" : "denied",
		    n);
	/* Every reference the calls took was given back. */
	if (vn1 > vn0 + RR_VNODE_SLACK)
		fail_msg("%s: %u vnodes before, %u after %lu attempts: "
		    "references leaked", c->rc_name, vn0, vn1, n);
	for (side = 1; side < nside; side++)
		if (sc[side].n[RR_FOOLED] == 0)
			fail_msg("%s: the control (%s) was never fooled in %lu "
			    "attempts: the attack lacks the power to fail",
			    c->rc_name, c->rc_control[side], n);
}

static void
test_class(void **state)
{
	rr_run(*state);
}

static int
setup(void **state)
{
	pthread_t th;

	(void)state;
	rt_boot();
	rt_admin();
	rr_admin_pid = rump_sys_getpid();
	if (pthread_create(&th, NULL, rr_watchdog, NULL) != 0)
		return -1;
	pthread_detach(th);
	return 0;
}

int
main(void)
{
	struct CMUnitTest tests[__arraycount(rr_classes)];
	size_t i;

	for (i = 0; i < __arraycount(rr_classes); i++) {
		memset(&tests[i], 0, sizeof(tests[i]));
		tests[i].name = rr_classes[i].rc_name;
		tests[i].test_func = test_class;
		tests[i].initial_state = (void *)(uintptr_t)&rr_classes[i];
	}
	if (getenv("RT_RACE_ONLY") != NULL)
		cmocka_set_test_filter(getenv("RT_RACE_ONLY"));
	if (getenv("RT_RACE_SKIP") != NULL)
		cmocka_set_skip_filter(getenv("RT_RACE_SKIP"));
	return cmocka_run_group_tests_name("rump: races against the real "
	    "kernel", tests, setup, NULL);
}
