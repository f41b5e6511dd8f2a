/* test_rnet.c: sockets through the rump kernel's network stack under a policy: connect, bind,
 * listen, sendto, sendmsg, sendmmsg decided on their addresses; rfork children confined alike. */
#include <poll.h>
#include <time.h>
#include <sys/uio.h>

#include "rt.h"

/* NetBSD's numbers, as the rump kernel takes them (errno is the host's). */
#define RN_SOL_SOCKET		0xffff
#define RN_SO_REUSEADDR		0x0004
#define RN_F_SETFL		4
#define RN_S_IFSOCK		0140000

/* The ports and paths the rules below name: OK permitted, NO not. */
#define RN_CONN_OK		17001
#define RN_CONN_NO		17002
#define RN_BIND_OK		17101
#define RN_BIND_NO		17102
#define RN_SEND_OK		17201
#define RN_SEND_NO		17202

/*
 * The kernel binds an unbound inet socket itself when it connects or
 * sends (in_pcbbind, port 0): no rule needs to name that
 * (test_implicit_bind).
 */
static const char rn_rules[] =
    "  - socket: permit\n"
    "  - close: permit\n"
    "  - getpid: permit\n"
    "  - getsockname: permit\n"
    "  - connect: sockaddr eq \"inet-127.0.0.1:17001\" then permit\n"
    "  - connect: sockaddr eq \"unix-/t/ok.s\" then permit\n"
    "  - connect: sockaddr eq \"inet-127.0.0.1:17201\" then permit\n"
    "  - connect: sockaddr eq \"unix-/t/ok.d\" then permit\n"
    "  - bind: sockaddr eq \"inet-127.0.0.1:17101\" then permit\n"
    "  - bind: sockaddr match \"unix-/t/ok*\" then permit\n"
    "  - sendto: sockaddr eq \"inet-127.0.0.1:17201\" then permit\n"
    "  - sendto: sockaddr eq \"unix-/t/ok.d\" then permit\n"
    "  - sendmsg: sockaddr eq \"inet-127.0.0.1:17201\" then permit\n"
    "  - sendmsg: sockaddr eq \"unix-/t/ok.d\" then permit\n";

/*
 * Sends without an address (a connected socket's), which policy(5)
 * decides with the sockaddr field absent: any address test is false,
 * so these permit them.  Without them the default (deny) decides.
 */
static const char rn_anon_rules[] =
    "  - sendto: sockaddr match \"*\" then deny\n"
    "  - sendto: then permit\n"
    "  - sendmsg: sockaddr match \"*\" then deny\n"
    "  - sendmsg: then permit\n";

/* NetBSD's struct msghdr and struct mmsghdr (LP64), not the host's. */
struct rn_msghdr {
	void		*msg_name;
	uint32_t	msg_namelen;
	struct iovec	*msg_iov;
	int32_t		msg_iovlen;
	void		*msg_control;
	uint32_t	msg_controllen;
	int32_t		msg_flags;
};

struct rn_mmsghdr {
	struct rn_msghdr msg_hdr;
	uint32_t	msg_len;
};

/* A socket address, as the native or the Linux emulation takes it. */
struct rn_sa {
	uint8_t		b[128];
	socklen_t	len;
};

static void
rn_sin(struct rn_sa *sa, unsigned port, bool lx)
{
	memset(sa, 0, sizeof(*sa));
	if (lx)
		sa->b[0] = RUMP_AF_INET;	/* a 16-bit family, no length */
	else {
		sa->b[0] = 16;
		sa->b[1] = RUMP_AF_INET;
	}
	sa->b[2] = (uint8_t)(port >> 8);
	sa->b[3] = (uint8_t)port;
	sa->b[4] = 127;
	sa->b[7] = 1;
	sa->len = 16;
}

static void
rn_sun(struct rn_sa *sa, const char *path, bool lx)
{
	size_t n = strlen(path);

	memset(sa, 0, sizeof(*sa));
	assert_true(n < 100);
	sa->len = (socklen_t)(2 + n + 1);
	if (lx)
		sa->b[0] = RUMP_AF_LOCAL;
	else {
		sa->b[0] = (uint8_t)sa->len;
		sa->b[1] = RUMP_AF_LOCAL;
	}
	memcpy(sa->b + 2, path, n);
}

#define SA(sa)	((const void *)(sa)->b)
#define RN_UNCONST(p)	((void *)(uintptr_t)(const void *)(p))

/* The current process's emulation is rump's Linux one. */
static bool
rn_linux(void)
{
	return strncmp(rump_policytest_emul(), "linux", 5) == 0;
}

/* ------------------------------------------------------------------ */
/* The unconfined side: listeners and receivers in the admin process  */

static struct lwp *rn_back;
static int rn_fds[16];		/* the admin's, closed by rn_exit_all() */
static unsigned rn_nfds;

static void
rn_admin_enter(void)
{
	rn_back = rump_pub_lwproc_curlwp();
	rt_admin();
}

static void
rn_admin_leave(void)
{
	if (rn_back != rt_admin_lwp)
		rump_pub_lwproc_switch(rn_back);
}

/* As admin: a bound socket of domain and type (listening if a stream). */
static int
rn_server(int domain, int type, unsigned port, const char *path)
{
	struct rn_sa sa;
	int s, on = 1;

	rn_admin_enter();
	if (domain == RUMP_AF_INET)
		rn_sin(&sa, port, false);
	else
		rn_sun(&sa, path, false);
	rt_works(s = rump_sys_socket(domain, type, 0));
	rt_works(rump_sys_setsockopt(s, RN_SOL_SOCKET, RN_SO_REUSEADDR, &on,
	    sizeof(on)));
	if (rump_sys_bind(s, SA(&sa), sa.len) != 0)
		fail_msg("bind %u %s: %d", port, path ? path : "", errno);
	if (type == RUMP_SOCK_STREAM)
		rt_works(rump_sys_listen(s, 8));
	rt_works(rump_sys_fcntl(s, RN_F_SETFL, RUMP_O_NONBLOCK));
	rn_admin_leave();
	assert_true(rn_nfds < __arraycount(rn_fds));
	rn_fds[rn_nfds++] = s;
	return s;
}

static void
rn_admin_close(int s)
{
	unsigned i;

	for (i = 0; i < rn_nfds; i++)
		if (rn_fds[i] == s)
			rn_fds[i] = rn_fds[--rn_nfds];
	rn_admin_enter();
	rt_works(rump_sys_close(s));
	rn_admin_leave();
}

/* As admin: connections that reach listener s within ms (taken, closed). */
static unsigned
rn_accept(int s, int ms)
{
	struct pollfd pfd;
	unsigned n = 0;
	int c;

	rn_admin_enter();
	pfd.fd = s;
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (rump_sys_poll(&pfd, 1, ms) == 1)
		while ((c = rump_sys_accept(s, NULL, NULL)) >= 0) {
			rump_sys_close(c);
			n++;
		}
	rn_admin_leave();
	return n;
}

/* As admin: datagrams that reach s within ms; their bytes in buf. */
static unsigned
rn_recv(int s, int ms, char *buf, size_t len)
{
	struct pollfd pfd;
	unsigned n = 0;
	size_t off = 0;
	ssize_t r;

	rn_admin_enter();
	pfd.fd = s;
	pfd.events = POLLIN;
	pfd.revents = 0;
	if (rump_sys_poll(&pfd, 1, ms) == 1)
		while (off + 1 < len && (r = rump_sys_recvfrom(s, buf + off,
		    len - off - 1, RUMP_MSG_DONTWAIT, NULL, NULL)) >= 0) {
			off += (size_t)r;
			n++;
		}
	buf[off] = '\0';
	rn_admin_leave();
	return n;
}

/* As admin: can an address still be bound (0), or the errno. */
static int
rn_bindable(int domain, int type, unsigned port, const char *path)
{
	struct rn_sa sa;
	int s, e;

	rn_admin_enter();
	if (domain == RUMP_AF_INET)
		rn_sin(&sa, port, false);
	else
		rn_sun(&sa, path, false);
	rt_works(s = rump_sys_socket(domain, type, 0));
	e = rt_err(rump_sys_bind(s, SA(&sa), sa.len));
	rump_sys_close(s);
	if (e == 0 && path != NULL)
		rump_sys_unlink(path);
	rn_admin_leave();
	return e;
}

/*
 * The processes a test makes, ended by rn_exit() or, when the test
 * fails half-way, by its teardown.
 */
static struct lwp *rn_procs[8];
static unsigned rn_nprocs;

static struct lwp *
rn_proc(void)
{
	struct lwp *l = rt_proc();

	assert_true(rn_nprocs < __arraycount(rn_procs));
	rn_procs[rn_nprocs++] = l;
	return l;
}

/* The current process (the last one made) ends. */
static void
rn_exit(void)
{
	assert_true(rn_nprocs > 0);
	assert_ptr_equal(rump_pub_lwproc_curlwp(), rn_procs[rn_nprocs - 1]);
	rn_nprocs--;
	rt_proc_exit();
}

/* A test's processes and the admin's sockets, whatever is left of them. */
static void
rn_exit_all(void)
{
	while (rn_nprocs > 0) {
		if (rump_pub_lwproc_curlwp() != rn_procs[--rn_nprocs])
			rump_pub_lwproc_switch(rn_procs[rn_nprocs]);
		rt_proc_exit();
	}
	rt_admin();
	while (rn_nfds > 0)
		rump_sys_close(rn_fds[--rn_nfds]);
}

/* The process rump_pub_lwproc_rfork() made, current, to end by rn_exit(). */
static struct lwp *
rn_forked(void)
{
	struct lwp *l = rump_pub_lwproc_curlwp();

	assert_true(rn_nprocs < __arraycount(rn_procs));
	rn_procs[rn_nprocs++] = l;
	return l;
}

/* A fresh process confined by rn_rules (and rn_anon_rules if anon). */
static struct lwp *
rn_confined(bool anon)
{
	char yaml[4096];
	struct lwp *l = rn_proc();

	snprintf(yaml, sizeof(yaml), "%s%s", rn_rules, anon ? rn_anon_rules :
	    "");
	assert_int_equal(rt_confine(yaml), 0);
	return l;
}

/* A datagram socket of the current process connected to sa, before or after. */
static int
rn_connected(int domain, const struct rn_sa *sa)
{
	int s;

	rt_works(s = rump_sys_socket(domain, RUMP_SOCK_DGRAM, 0));
	rt_works(rump_sys_connect(s, SA(sa), sa->len));
	return s;
}

static unsigned
rn_live(size_t *bytes, uint64_t *decided, uint64_t *refused)
{
	uint64_t d, r;
	unsigned live;
	size_t b;

	rump_policytest_counts(&live, &b, &d, &r);
	if (bytes != NULL)
		*bytes = b;
	if (decided != NULL)
		*decided = d;
	if (refused != NULL)
		*refused = r;
	return live;
}

static int
setup(void **state)
{
	(void)state;
	rt_boot();
	return 0;
}

static int
rn_fresh(void **state)
{
	(void)state;
	rt_fresh();
	return 0;
}

static int
rn_done(void **state)
{
	(void)state;
	rn_exit_all();
	return 0;
}

/* ------------------------------------------------------------------ */
/* connect                                                            */

/* Loopback inet: the denied connection never reaches its listener. */
static void
test_connect_inet(void **state)
{
	struct rn_sa ok, no;
	int lok, lno, s, s2;

	(void)state;
	lok = rn_server(RUMP_AF_INET, RUMP_SOCK_STREAM, RN_CONN_OK, NULL);
	lno = rn_server(RUMP_AF_INET, RUMP_SOCK_STREAM, RN_CONN_NO, NULL);
	rn_sin(&ok, RN_CONN_OK, false);
	rn_sin(&no, RN_CONN_NO, false);
	rn_confined(false);
	rt_works(s = rump_sys_socket(RUMP_PF_INET, RUMP_SOCK_STREAM, 0));
	rt_fails(rump_sys_connect(s, SA(&no), no.len), EACCES);
	assert_int_equal(rn_accept(lno, 200), 0);
	/* The socket was left as it was: it connects where it may. */
	rt_works(rump_sys_connect(s, SA(&ok), ok.len));
	assert_int_equal(rn_accept(lok, 2000), 1);
	rt_works(s2 = rump_sys_socket(RUMP_PF_INET, RUMP_SOCK_STREAM, 0));
	rt_fails(rump_sys_connect(s2, SA(&no), no.len), EACCES);
	assert_int_equal(rn_accept(lno, 200), 0);
	rt_works(rump_sys_close(s));
	rt_works(rump_sys_close(s2));
	rn_exit();
	/* Unconfined, the same connection is made: the listener was there. */
	rn_proc();
	rt_works(s = rump_sys_socket(RUMP_PF_INET, RUMP_SOCK_STREAM, 0));
	rt_works(rump_sys_connect(s, SA(&no), no.len));
	assert_int_equal(rn_accept(lno, 2000), 1);
	rn_exit();
	rn_admin_close(lok);
	rn_admin_close(lno);
}

/*
 * Local: decided on the socket's own path, what the name resolves to, so
 * a link to the denied socket is denied and a link to the permitted one
 * permitted.
 */
static void
test_connect_local(void **state)
{
	struct rn_sa ok, no, lnk_no, lnk_ok;
	int lok, lno, s;

	(void)state;
	lok = rn_server(RUMP_AF_LOCAL, RUMP_SOCK_STREAM, 0, RT_T "/ok.s");
	lno = rn_server(RUMP_AF_LOCAL, RUMP_SOCK_STREAM, 0, RT_T "/no.s");
	rt_works(rump_sys_symlink(RT_T "/no.s", RT_T "/ok.l"));
	rt_works(rump_sys_symlink(RT_T "/ok.s", RT_T "/no.l"));
	rn_sun(&ok, RT_T "/ok.s", false);
	rn_sun(&no, RT_T "/no.s", false);
	rn_sun(&lnk_no, RT_T "/ok.l", false);
	rn_sun(&lnk_ok, RT_T "/no.l", false);
	rn_confined(false);
	rt_works(s = rump_sys_socket(RUMP_PF_LOCAL, RUMP_SOCK_STREAM, 0));
	rt_fails(rump_sys_connect(s, SA(&no), no.len), EACCES);
	rt_fails(rump_sys_connect(s, SA(&lnk_no), lnk_no.len), EACCES);
	assert_int_equal(rn_accept(lno, 200), 0);
	rt_works(rump_sys_connect(s, SA(&ok), ok.len));
	assert_int_equal(rn_accept(lok, 2000), 1);
	rt_works(rump_sys_close(s));
	rt_works(s = rump_sys_socket(RUMP_PF_LOCAL, RUMP_SOCK_STREAM, 0));
	rt_works(rump_sys_connect(s, SA(&lnk_ok), lnk_ok.len));
	assert_int_equal(rn_accept(lok, 2000), 1);
	assert_int_equal(rn_accept(lno, 100), 0);
	rt_works(rump_sys_close(s));
	rn_exit();
	rn_admin_close(lok);
	rn_admin_close(lno);
}

/* ------------------------------------------------------------------ */
/* bind                                                               */

static void
test_bind_inet(void **state)
{
	struct rn_sa ok, no, got;
	socklen_t len = sizeof(got.b);
	int s, s2;

	(void)state;
	rn_sin(&ok, RN_BIND_OK, false);
	rn_sin(&no, RN_BIND_NO, false);
	rn_confined(false);
	rt_works(s = rump_sys_socket(RUMP_PF_INET, RUMP_SOCK_DGRAM, 0));
	rt_fails(rump_sys_bind(s, SA(&no), no.len), EACCES);
	/* Denied: the address is still free, the socket still unbound. */
	assert_int_equal(rn_bindable(RUMP_AF_INET, RUMP_SOCK_DGRAM,
	    RN_BIND_NO, NULL), 0);
	rt_works(rump_sys_bind(s, SA(&ok), ok.len));
	rt_works(rump_sys_getsockname(s, (void *)got.b, &len));
	assert_int_equal(got.b[1], RUMP_AF_INET);
	assert_int_equal((got.b[2] << 8) | got.b[3], RN_BIND_OK);
	/* Permitted: it is taken. */
	assert_int_equal(rn_bindable(RUMP_AF_INET, RUMP_SOCK_DGRAM,
	    RN_BIND_OK, NULL), EADDRINUSE);
	rt_works(s2 = rump_sys_socket(RUMP_PF_INET, RUMP_SOCK_STREAM, 0));
	rt_fails(rump_sys_bind(s2, SA(&no), no.len), EACCES);
	assert_int_equal(rn_bindable(RUMP_AF_INET, RUMP_SOCK_STREAM,
	    RN_BIND_NO, NULL), 0);
	rt_works(rump_sys_close(s));
	rt_works(rump_sys_close(s2));
	rn_exit();
	assert_int_equal(rn_bindable(RUMP_AF_INET, RUMP_SOCK_DGRAM,
	    RN_BIND_OK, NULL), 0);
}

static void
test_bind_local(void **state)
{
	struct rn_sa ok, no;
	struct rt_stat st;
	int s;

	(void)state;
	rt_works(rump_sys_mkdir(RT_T "/dir", 0777));
	rt_works(rump_sys_symlink(RT_T "/dir", RT_T "/okdir"));
	rn_sun(&ok, RT_T "/ok.b", false);
	rn_sun(&no, RT_T "/no.b", false);
	rn_confined(false);
	rt_works(s = rump_sys_socket(RUMP_PF_LOCAL, RUMP_SOCK_DGRAM, 0));
	rt_fails(rump_sys_bind(s, SA(&no), no.len), EACCES);
	rt_works(rump_sys_bind(s, SA(&ok), ok.len));
	rt_works(rump_sys_close(s));
	/* A name under /t/ok* by way of a link to a directory elsewhere. */
	rt_works(s = rump_sys_socket(RUMP_PF_LOCAL, RUMP_SOCK_DGRAM, 0));
	rn_sun(&no, RT_T "/okdir/x", false);
	rt_fails(rump_sys_bind(s, SA(&no), no.len), EACCES);
	rt_works(rump_sys_close(s));
	rn_exit();
	assert_int_equal(rt_stat(RT_T "/ok.b", false, &st), 0);
	assert_int_equal(st.st_mode & RT_S_IFMT, RN_S_IFSOCK);
	assert_int_equal(rt_err(rt_stat(RT_T "/no.b", false, &st)), ENOENT);
	assert_int_equal(rt_err(rt_stat(RT_T "/dir/x", false, &st)), ENOENT);
	assert_int_equal(rt_err(rt_stat(RT_T "/okdir/x", false, &st)), ENOENT);
	assert_int_equal(rn_bindable(RUMP_AF_LOCAL, RUMP_SOCK_DGRAM, 0,
	    RT_T "/no.b"), 0);
}

/*
 * A policy that permits a connection, or a datagram, to an inet address
 * and says nothing of bind: the call is permitted, and made.  The kernel
 * binds the unbound socket to a local port itself on the way (in_pcbbind
 * of INADDR_ANY, port 0), which is no bind(2) the program made.
 */
static void
test_implicit_bind(void **state)
{
	struct rn_sa ok, dok;
	char buf[16];
	int l, r, s, e1, e2;

	(void)state;
	l = rn_server(RUMP_AF_INET, RUMP_SOCK_STREAM, RN_CONN_OK, NULL);
	r = rn_server(RUMP_AF_INET, RUMP_SOCK_DGRAM, RN_SEND_OK, NULL);
	rn_sin(&ok, RN_CONN_OK, false);
	rn_sin(&dok, RN_SEND_OK, false);
	rn_proc();
	assert_int_equal(rt_confine(
	    "  - socket: permit\n"
	    "  - close: permit\n"
	    "  - connect: sockaddr eq \"inet-127.0.0.1:17001\" then permit\n"
	    "  - sendto: sockaddr eq \"inet-127.0.0.1:17201\" then permit\n"),
	    0);
	rt_works(s = rump_sys_socket(RUMP_PF_INET, RUMP_SOCK_STREAM, 0));
	e1 = rt_err(rump_sys_connect(s, SA(&ok), ok.len));
	rump_sys_close(s);
	rt_works(s = rump_sys_socket(RUMP_PF_INET, RUMP_SOCK_DGRAM, 0));
	e2 = rt_err((int)rump_sys_sendto(s, "x", 1, 0, SA(&dok), dok.len));
	rump_sys_close(s);
	rn_exit();
	if (e1 != 0 || e2 != 0)
		fail_msg("permitted, yet connect gave errno %d and sendto %d "
		    "(the kernel's own bind of the local port was denied)",
		    e1, e2);
	assert_int_equal(rn_accept(l, 2000), 1);
	assert_int_equal(rn_recv(r, 2000, buf, sizeof(buf)), 1);
}

/*
 * listen(2) of an unbound socket binds it to every address and a port of
 * the kernel's choosing: a server no bind(2) was asked for.  Decided as
 * that bind ("inet-0.0.0.0:0"), which these rules do not permit; the
 * socket stays unbound.  A socket bound where the policy permits listens,
 * and one it may bind to the wildcard does too.
 */
static void
test_listen_bind(void **state)
{
	struct rn_sa ok, got;
	socklen_t len = sizeof(got.b);
	int s, s2;

	(void)state;
	rn_sin(&ok, RN_BIND_OK, false);
	rn_proc();
	assert_int_equal(rt_confine(
	    "  - socket: permit\n"
	    "  - close: permit\n"
	    "  - listen: permit\n"
	    "  - getsockname: permit\n"
	    "  - bind: sockaddr eq \"inet-127.0.0.1:17101\" then permit\n"),
	    0);
	rt_works(s = rump_sys_socket(RUMP_PF_INET, RUMP_SOCK_STREAM, 0));
	rt_fails(rump_sys_listen(s, 4), EACCES);
	rt_works(rump_sys_getsockname(s, (void *)got.b, &len));
	assert_int_equal((got.b[2] << 8) | got.b[3], 0);
	rt_works(s2 = rump_sys_socket(RUMP_PF_INET, RUMP_SOCK_STREAM, 0));
	rt_works(rump_sys_bind(s2, SA(&ok), ok.len));
	rt_works(rump_sys_listen(s2, 4));
	rt_works(rump_sys_close(s));
	rt_works(rump_sys_close(s2));
	rn_exit();

	rn_proc();
	assert_int_equal(rt_confine(
	    "  - socket: permit\n"
	    "  - close: permit\n"
	    "  - listen: permit\n"
	    "  - bind: sockaddr eq \"inet-0.0.0.0:0\" then permit\n"), 0);
	rt_works(s = rump_sys_socket(RUMP_PF_INET, RUMP_SOCK_STREAM, 0));
	rt_works(rump_sys_listen(s, 4));
	rt_works(rump_sys_close(s));
	rn_exit();
}

/* ------------------------------------------------------------------ */
/* sendto, sendmsg, sendmmsg                                          */

/* Receivers for the send tests: inet and local, permitted and not. */
static int rn_rok, rn_rno, rn_uok, rn_uno;
static struct rn_sa rn_iok, rn_ino, rn_lok, rn_lno;
static const char *rn_arrived(const char *expect);

static int
rn_send_setup(void **state)
{
	(void)state;
	rt_fresh();
	rn_rok = rn_server(RUMP_AF_INET, RUMP_SOCK_DGRAM, RN_SEND_OK, NULL);
	rn_rno = rn_server(RUMP_AF_INET, RUMP_SOCK_DGRAM, RN_SEND_NO, NULL);
	rn_uok = rn_server(RUMP_AF_LOCAL, RUMP_SOCK_DGRAM, 0, RT_T "/ok.d");
	rn_uno = rn_server(RUMP_AF_LOCAL, RUMP_SOCK_DGRAM, 0, RT_T "/no.d");
	rn_sin(&rn_iok, RN_SEND_OK, false);
	rn_sin(&rn_ino, RN_SEND_NO, false);
	rn_sun(&rn_lok, RT_T "/ok.d", false);
	rn_sun(&rn_lno, RT_T "/no.d", false);
	/* Nothing a test before sent (loopback delivers later) is counted. */
	(void)rn_arrived(NULL);
	return 0;
}

static int
rn_send_teardown(void **state)
{
	(void)state;
	rn_exit_all();
	return 0;
}

/*
 * What reaches the four receivers, "iok <datagrams> <their bytes> ino ...":
 * gathered until it reads as expect (and for 100 ms at least, so that a
 * datagram that should not come has had time to), or for 2 s.  Loopback
 * delivers after the send returns.  No expect: 100 ms of stragglers.
 */
static const char *
rn_arrived(const char *expect)
{
	static char out[512];
	const int fds[4] = { rn_rok, rn_rno, rn_uok, rn_uno };
	char b[4][64], buf[64];
	unsigned n[4] = { 0, 0, 0, 0 }, i, ms;
	size_t len;

	memset(b, 0, sizeof(b));
	for (ms = 0; ms < 2000; ms += 10) {
		for (i = 0; i < 4; i++) {
			n[i] += rn_recv(fds[i], 0, buf, sizeof(buf));
			len = strlen(b[i]);
			snprintf(b[i] + len, sizeof(b[i]) - len, "%s", buf);
		}
		snprintf(out, sizeof(out), "iok %u%s%s ino %u%s%s lok %u%s%s "
		    "lno %u%s%s", n[0], n[0] ? " " : "", b[0], n[1],
		    n[1] ? " " : "", b[1], n[2], n[2] ? " " : "", b[2], n[3],
		    n[3] ? " " : "", b[3]);
		if (ms >= 100 && (expect == NULL || strcmp(out, expect) == 0))
			break;
		{
			struct timespec ts = { 0, 10 * 1000 * 1000 };

			nanosleep(&ts, NULL);
		}
	}
	return out;
}

/* Exactly this, as rn_arrived() reads it, reached the receivers. */
#define rn_expect(s)	assert_string_equal(rn_arrived(s), (s))

static void
test_sendto(void **state)
{
	int si, su;

	(void)state;
	rn_confined(false);
	rt_works(si = rump_sys_socket(RUMP_PF_INET, RUMP_SOCK_DGRAM, 0));
	rt_works(su = rump_sys_socket(RUMP_PF_LOCAL, RUMP_SOCK_DGRAM, 0));
	assert_int_equal(rump_sys_sendto(si, "a", 1, 0, SA(&rn_iok),
	    rn_iok.len), 1);
	rt_fails(rump_sys_sendto(si, "b", 1, 0, SA(&rn_ino), rn_ino.len),
	    EACCES);
	assert_int_equal(rump_sys_sendto(su, "c", 1, 0, SA(&rn_lok),
	    rn_lok.len), 1);
	rt_fails(rump_sys_sendto(su, "d", 1, 0, SA(&rn_lno), rn_lno.len),
	    EACCES);
	/* The same socket, permitted again after a denial. */
	assert_int_equal(rump_sys_sendto(si, "e", 1, 0, SA(&rn_iok),
	    rn_iok.len), 1);
	rn_expect("iok 2 ae ino 0 lok 1 c lno 0");
	rn_exit();
}

/*
 * Without an address, on a socket connected where the policy permits:
 * decided as policy(5) says, the sockaddr field absent; the rule for
 * that permits it.
 */
static void
test_sendto_noaddr(void **state)
{
	int si, su;

	(void)state;
	rn_confined(true);
	si = rn_connected(RUMP_PF_INET, &rn_iok);
	su = rn_connected(RUMP_PF_LOCAL, &rn_lok);
	assert_int_equal(rump_sys_sendto(si, "a", 1, 0, NULL, 0), 1);
	assert_int_equal(rump_sys_sendto(su, "b", 1, 0, NULL, 0), 1);
	/* An address test is false without one: match "*" denies none. */
	rt_fails(rump_sys_sendto(si, "c", 1, 0, SA(&rn_ino), rn_ino.len),
	    EACCES);
	rn_expect("iok 1 a ino 0 lok 1 b lno 0");
	rn_exit();
}

/*
 * What the address-less sends of the two sockets below gave: both denied
 * (EACCES) and nothing received.
 */
static void
rn_noaddr_denied(const char *call, int e_ok, int e_no)
{
	const char *got = rn_arrived("iok 0 ino 0 lok 0 lno 0");

	if (e_ok != EACCES || e_no != EACCES ||
	    strcmp(got, "iok 0 ino 0 lok 0 lno 0") != 0)
		fail_msg("%s without an address, no rule for it: errno %d on "
		    "the socket connected to the permitted port, %d on the one "
		    "connected to the denied port before the policy (EACCES "
		    "expected); received: %s", call, e_ok, e_no, got);
}

/*
 * A policy with no rule for address-less sends: the default denies them,
 * as it does write(2) on the same socket, and as the Linux supervisor
 * does (policy_linux_net.c decides them).  A socket connected before the
 * policy was loaded, to an address it denies, is the case that matters.
 */
static void
test_sendto_noaddr_denied(void **state)
{
	int si, sno;

	(void)state;
	rn_proc();
	sno = rn_connected(RUMP_PF_INET, &rn_ino);	/* before a policy */
	assert_int_equal(rt_confine(rn_rules), 0);
	si = rn_connected(RUMP_PF_INET, &rn_iok);
	rt_fails(rump_sys_write(si, "w", 1), EACCES);
	rt_fails(rump_sys_write(sno, "w", 1), EACCES);
	rn_noaddr_denied("sendto",
	    rt_err((int)rump_sys_sendto(si, "a", 1, 0, NULL, 0)),
	    rt_err((int)rump_sys_sendto(sno, "b", 1, 0, NULL, 0)));
	rn_exit();
}

static ssize_t
rn_sendmsg(int s, const struct rn_sa *sa, const char *text)
{
	struct rn_msghdr m;
	struct iovec iov;

	iov.iov_base = RN_UNCONST(text);
	iov.iov_len = strlen(text);
	memset(&m, 0, sizeof(m));
	m.msg_name = sa != NULL ? RN_UNCONST(sa->b) : NULL;
	m.msg_namelen = sa != NULL ? sa->len : 0;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	return rump_sys_sendmsg(s, (const void *)&m, 0);
}

static void
test_sendmsg(void **state)
{
	int si, su;

	(void)state;
	rt_works(rump_sys_symlink(RT_T "/no.d", RT_T "/ok.dl"));
	rn_confined(false);
	rt_works(si = rump_sys_socket(RUMP_PF_INET, RUMP_SOCK_DGRAM, 0));
	rt_works(su = rump_sys_socket(RUMP_PF_LOCAL, RUMP_SOCK_DGRAM, 0));
	assert_int_equal(rn_sendmsg(si, &rn_iok, "ab"), 2);
	rt_fails(rn_sendmsg(si, &rn_ino, "cd"), EACCES);
	assert_int_equal(rn_sendmsg(su, &rn_lok, "ef"), 2);
	rt_fails(rn_sendmsg(su, &rn_lno, "gh"), EACCES);
	/* A local name resolving to the denied socket: denied. */
	{
		struct rn_sa l;

		rn_sun(&l, RT_T "/ok.dl", false);
		rt_fails(rn_sendmsg(su, &l, "ij"), EACCES);
	}
	rn_expect("iok 1 ab ino 0 lok 1 ef lno 0");
	rn_exit();
}

static void
test_sendmsg_noname(void **state)
{
	int si, su;

	(void)state;
	rn_confined(true);
	si = rn_connected(RUMP_PF_INET, &rn_iok);
	su = rn_connected(RUMP_PF_LOCAL, &rn_lok);
	assert_int_equal(rn_sendmsg(si, NULL, "ab"), 2);
	assert_int_equal(rn_sendmsg(su, NULL, "cd"), 2);
	rn_expect("iok 1 ab ino 0 lok 1 cd lno 0");
	rn_exit();
}

/* As sendto: with no rule for it, a message without a name is denied. */
static void
test_sendmsg_noname_denied(void **state)
{
	int si, sno;

	(void)state;
	rn_proc();
	sno = rn_connected(RUMP_PF_INET, &rn_ino);
	assert_int_equal(rt_confine(rn_rules), 0);
	si = rn_connected(RUMP_PF_INET, &rn_iok);
	rn_noaddr_denied("sendmsg", rt_err((int)rn_sendmsg(si, NULL, "ab")),
	    rt_err((int)rn_sendmsg(sno, NULL, "cd")));
	rn_exit();
}

/* n messages, texts[i] to sa[i] (NULL: no name); sendmmsg's result. */
static int
rn_sendmmsg(int s, unsigned n, const struct rn_sa *const *sa,
    const char *const *texts, uint32_t *lens)
{
	struct rn_mmsghdr mm[4];
	struct iovec iov[4];
	unsigned i;
	int rv;

	assert_true(n <= 4);
	memset(mm, 0, sizeof(mm));
	for (i = 0; i < n; i++) {
		iov[i].iov_base = RN_UNCONST(texts[i]);
		iov[i].iov_len = strlen(texts[i]);
		mm[i].msg_hdr.msg_name = sa[i] != NULL ? RN_UNCONST(sa[i]->b) :
		    NULL;
		mm[i].msg_hdr.msg_namelen = sa[i] != NULL ? sa[i]->len : 0;
		mm[i].msg_hdr.msg_iov = &iov[i];
		mm[i].msg_hdr.msg_iovlen = 1;
		mm[i].msg_len = 0xdead;
	}
	rv = rump_sys_sendmmsg(s, (void *)mm, n, 0);
	for (i = 0; i < n; i++)
		lens[i] = mm[i].msg_len;
	return rv;
}

/* Each message decided on its own; the call stops at the first denied. */
static void
test_sendmmsg(void **state)
{
	const struct rn_sa *okno[2] = { &rn_iok, &rn_ino };
	const struct rn_sa *nook[2] = { &rn_ino, &rn_iok };
	const struct rn_sa *okok[3] = { &rn_iok, &rn_lok, &rn_iok };
	const char *t2[2] = { "a", "b" }, *t3[3] = { "c", "d", "e" };
	uint32_t lens[4];
	int si, su;

	(void)state;
	rn_confined(false);
	rt_works(si = rump_sys_socket(RUMP_PF_INET, RUMP_SOCK_DGRAM, 0));
	rt_works(su = rump_sys_socket(RUMP_PF_LOCAL, RUMP_SOCK_DGRAM, 0));
	/* Permitted, then denied: one sent, the other not. */
	assert_int_equal(rn_sendmmsg(si, 2, okno, t2, lens), 1);
	assert_int_equal(lens[0], 1);
	assert_int_equal(lens[1], 0xdead);
	rn_expect("iok 1 a ino 0 lok 0 lno 0");
	/* Denied first: nothing sent, the errno. */
	rt_fails(rn_sendmmsg(si, 2, nook, t2, lens), EACCES);
	assert_int_equal(lens[0], 0xdead);
	rn_expect("iok 0 ino 0 lok 0 lno 0");
	/* All permitted. */
	assert_int_equal(rn_sendmmsg(si, 1, okok, t3, lens), 1);
	assert_int_equal(rn_sendmmsg(su, 1, okok + 1, t3 + 1, lens), 1);
	assert_int_equal(rn_sendmmsg(si, 3, (const struct rn_sa *[]){ &rn_iok,
	    &rn_iok, &rn_iok }, t3, lens), 3);
	assert_int_equal(lens[2], 1);
	rn_expect("iok 4 ccde ino 0 lok 1 d lno 0");
	rn_exit();
}

/* Without names on a connected socket: decided as sendmsg's, each. */
static void
test_sendmmsg_noname(void **state)
{
	const struct rn_sa *none[2] = { NULL, NULL };
	const struct rn_sa *mixed[2] = { NULL, &rn_ino };
	const char *t2[2] = { "a", "b" };
	uint32_t lens[4];
	int si, sno;

	(void)state;
	rn_confined(true);
	si = rn_connected(RUMP_PF_INET, &rn_iok);
	assert_int_equal(rn_sendmmsg(si, 2, none, t2, lens), 2);
	assert_int_equal(lens[1], 1);
	rn_expect("iok 2 ab ino 0 lok 0 lno 0");
	/* A named one among them is decided on its name: not sent. */
	rt_works(sno = rump_sys_socket(RUMP_PF_INET, RUMP_SOCK_DGRAM, 0));
	assert_int_equal(rn_sendmmsg(si, 2, mixed, t2, lens), 1);
	rn_expect("iok 1 a ino 0 lok 0 lno 0");
	rt_fails(rn_sendmmsg(sno, 1, mixed + 1, t2, lens), EACCES);
	rn_exit();
	rn_expect("iok 0 ino 0 lok 0 lno 0");

	/* With no rule for them, denied: nothing sent. */
	rn_proc();
	sno = rn_connected(RUMP_PF_INET, &rn_ino);
	assert_int_equal(rt_confine(rn_rules), 0);
	si = rn_connected(RUMP_PF_INET, &rn_iok);
	rn_noaddr_denied("sendmmsg", rt_err(rn_sendmmsg(si, 2, none, t2, lens)),
	    rt_err(rn_sendmmsg(sno, 2, none, t2, lens)));
	rn_exit();
}

/* ------------------------------------------------------------------ */
/* Inheritance                                                        */

/* Confined calls made, each of which the policy must decide once. */
static unsigned rn_ncalls;
#define C(call)	(rn_ncalls++, (call))

/*
 * What every process of the family must see, in its emulation's forms
 * (rump's rfork gives a child its default emulation, Linux): the same
 * decisions on the same objects.
 */
static void
rn_family_checks(const char *who, int lok, int lno)
{
	struct rn_sa cok, cno, dok, dno;
	bool lx = rn_linux();
	char buf[64];
	int s, e;

	rn_sin(&cok, RN_CONN_OK, lx);
	rn_sin(&cno, RN_CONN_NO, lx);
	rn_sun(&dok, RT_T "/ok.d", lx);
	rn_sun(&dno, RT_T "/no.d", lx);
	if ((int)C(rump_sys_getpid()) < 0)
		fail_msg("%s: getpid: %d", who, errno);
	if ((e = rt_err((int)C(rump_sys_umask(022)))) != EACCES)
		fail_msg("%s: umask: %d, not EACCES", who, e);
	if ((e = rt_err(C(rump_sys_open("/dev/policy", RUMP_O_RDWR)))) !=
	    EACCES)
		fail_msg("%s: open /dev/policy: %d, not EACCES", who, e);
	/* connect */
	if ((s = C(rump_sys_socket(RUMP_PF_INET, RUMP_SOCK_STREAM, 0))) < 0)
		fail_msg("%s: socket: %d", who, errno);
	if ((e = rt_err(C(rump_sys_connect(s, SA(&cno), cno.len)))) != EACCES)
		fail_msg("%s: connect to the denied port: %d", who, e);
	if (rn_accept(lno, 200) != 0)
		fail_msg("%s: the denied listener got a connection", who);
	if ((e = rt_err(C(rump_sys_connect(s, SA(&cok), cok.len)))) != 0)
		fail_msg("%s: connect to the permitted port: %d", who, e);
	if (rn_accept(lok, 2000) != 1)
		fail_msg("%s: the permitted listener got no connection", who);
	C(rump_sys_close(s));
	/* sendto a local address */
	if ((s = C(rump_sys_socket(RUMP_PF_LOCAL, RUMP_SOCK_DGRAM, 0))) < 0)
		fail_msg("%s: socket: %d", who, errno);
	if ((e = rt_err((int)C(rump_sys_sendto(s, "n", 1, 0, SA(&dno),
	    dno.len)))) != EACCES)
		fail_msg("%s: sendto the denied socket: %d", who, e);
	if ((e = rt_err((int)C(rump_sys_sendto(s, who, strlen(who), 0,
	    SA(&dok), dok.len)))) != 0)
		fail_msg("%s: sendto the permitted socket: %d", who, e);
	C(rump_sys_close(s));
	if (rn_recv(rn_uno, 100, buf, sizeof(buf)) != 0)
		fail_msg("%s: the denied socket got a datagram", who);
	if (rn_recv(rn_uok, 2000, buf, sizeof(buf)) != 1 ||
	    strcmp(buf, who) != 0)
		fail_msg("%s: the permitted socket got \"%s\"", who, buf);
}

/*
 * A process forked from a confined one is confined by the same policy,
 * and its children too; when the last of them has gone the policy is
 * freed, and every call any of them made was decided once.
 */
static void
test_inherit(void **state)
{
	uint64_t dec0, dec1, ref0, ref1;
	struct lwp *parent, *child;
	size_t bytes0, bytes;
	unsigned live0, live, i;
	int lok, lno, s;

	(void)state;
	lok = rn_server(RUMP_AF_INET, RUMP_SOCK_STREAM, RN_CONN_OK, NULL);
	lno = rn_server(RUMP_AF_INET, RUMP_SOCK_STREAM, RN_CONN_NO, NULL);
	rump_policytest_drain();
	live0 = rn_live(&bytes0, NULL, NULL);
	parent = rn_confined(false);
	assert_int_equal(rn_live(&bytes, NULL, NULL), live0 + 1);
	assert_string_equal(rump_policytest_emul(), "netbsd-rump");
	rn_ncalls = 0;
	rn_live(NULL, &dec0, &ref0);
	rn_family_checks("parent", lok, lno);
	/* A descriptor the child inherits (RUMP_RFFDG). */
	rt_works(s = C(rump_sys_socket(RUMP_PF_LOCAL, RUMP_SOCK_DGRAM, 0)));

	if (rump_pub_lwproc_rfork(RUMP_RFFDG) != 0)
		fail_msg("rfork failed");
	child = rn_forked();
	assert_true(child != parent);
	assert_string_equal(rump_policytest_emul(), "linux-rump");
	/* No second policy: the child's credential carries the parent's. */
	assert_int_equal(rn_live(NULL, NULL, NULL), live0 + 1);
	rn_family_checks("child", lok, lno);
	{
		struct rn_sa dno;

		rn_sun(&dno, RT_T "/no.d", true);
		rt_fails(C(rump_sys_sendto(s, "i", 1, 0, SA(&dno), dno.len)),
		    EACCES);
	}
	/* A grandchild, with descriptors of its own. */
	if (rump_pub_lwproc_rfork(RUMP_RFCFDG) != 0)
		fail_msg("rfork failed");
	rn_forked();
	rn_family_checks("grandchild", lok, lno);
	rn_exit();
	rump_pub_lwproc_switch(child);
	rn_exit();
	rump_pub_lwproc_switch(parent);
	/* Still confined after its children went. */
	rn_family_checks("parent again", lok, lno);
	rn_live(NULL, &dec1, &ref1);
	rn_exit();

	/* Every call was decided, once; none refused outright. */
	assert_int_equal(dec1 - dec0, rn_ncalls);
	assert_int_equal(ref1 - ref0, 0);
	rn_admin_close(lok);
	rn_admin_close(lno);
	/* Gone with the last of them (once no cache holds a credential). */
	for (i = 0; i < 200; i++) {
		rump_policytest_drain();
		if ((live = rn_live(&bytes, NULL, NULL)) == live0 &&
		    bytes == bytes0)
			break;
		rt_works(rump_sys_getpid());
		{
			struct timespec ts = { 0, 10 * 1000 * 1000 };

			nanosleep(&ts, NULL);
		}
	}
	assert_int_equal(live, live0);
	assert_int_equal(bytes, bytes0);
	assert_int_equal(live0, 0);
	assert_int_equal(bytes0, 0);
}

/*
 * A confined process used a socket and exited: its policy goes with the
 * last thing that holds its credential, the closed socket's cached file
 * structure (policy.4), which the test drains.
 */
static void
test_freed_on_exit(void **state)
{
	size_t bytes0, bytes;
	unsigned live0, live;
	int s;

	(void)state;
	rump_policytest_drain();
	live0 = rn_live(&bytes0, NULL, NULL);
	rn_confined(false);
	rt_works(s = rump_sys_socket(RUMP_PF_LOCAL, RUMP_SOCK_DGRAM, 0));
	assert_int_equal(rump_sys_sendto(s, "x", 1, 0, SA(&rn_lok),
	    rn_lok.len), 1);
	rt_works(rump_sys_close(s));
	rn_exit();
	rump_policytest_drain();
	live = rn_live(&bytes, NULL, NULL);
	assert_int_equal(live, live0);
	assert_int_equal(bytes, bytes0);
}

/* Nothing confined is left: nothing held. */
static void
test_none_left(void **state)
{
	size_t bytes;

	(void)state;
	rump_policytest_drain();
	assert_int_equal(rn_live(&bytes, NULL, NULL), 0);
	assert_int_equal(bytes, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_connect_inet, rn_fresh,
		    rn_done),
		cmocka_unit_test_setup_teardown(test_connect_local, rn_fresh,
		    rn_done),
		cmocka_unit_test_setup_teardown(test_bind_inet, rn_fresh,
		    rn_done),
		cmocka_unit_test_setup_teardown(test_bind_local, rn_fresh,
		    rn_done),
		cmocka_unit_test_setup_teardown(test_implicit_bind, rn_fresh,
		    rn_done),
		cmocka_unit_test_setup_teardown(test_listen_bind, rn_fresh,
		    rn_done),
		cmocka_unit_test_setup_teardown(test_sendto, rn_send_setup,
		    rn_send_teardown),
		cmocka_unit_test_setup_teardown(test_sendto_noaddr,
		    rn_send_setup, rn_send_teardown),
		cmocka_unit_test_setup_teardown(test_sendto_noaddr_denied,
		    rn_send_setup, rn_send_teardown),
		cmocka_unit_test_setup_teardown(test_sendmsg, rn_send_setup,
		    rn_send_teardown),
		cmocka_unit_test_setup_teardown(test_sendmsg_noname,
		    rn_send_setup, rn_send_teardown),
		cmocka_unit_test_setup_teardown(test_sendmsg_noname_denied,
		    rn_send_setup, rn_send_teardown),
		cmocka_unit_test_setup_teardown(test_sendmmsg, rn_send_setup,
		    rn_send_teardown),
		cmocka_unit_test_setup_teardown(test_sendmmsg_noname,
		    rn_send_setup, rn_send_teardown),
		cmocka_unit_test_setup_teardown(test_inherit, rn_send_setup,
		    rn_send_teardown),
		cmocka_unit_test_setup_teardown(test_freed_on_exit,
		    rn_send_setup, rn_send_teardown),
		cmocka_unit_test(test_none_left),
	};

	return cmocka_run_group_tests_name("rump: sockets and inheritance",
	    tests, setup, NULL);
}
