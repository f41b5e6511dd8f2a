/* atk_net.c: the socket address swapped in memory between check and use (address and port)
 * on connect, bind, sendto and sendmsg; loopback only: 127.0.0.1 permitted, 127.0.0.2 denied. */
/*
 * Only loopback addresses are ever used (the machine's rules forbid any
 * other destination, even in a test that expects a denial).  The permitted
 * address is 127.0.0.1:PO and the denied one 127.0.0.2:PB, ports picked
 * free by setup; the listeners and receivers are this program's own, and
 * the win is seen on them (or with getsockname for bind).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "toctou.h"

#define OK_ADDR		"127.0.0.1"
#define BAD_ADDR	"127.0.0.2"

static _Alignas(64) struct sockaddr_in sa_buf;	/* the raced argument */
static struct sockaddr_in sa_ok, sa_bad;

static void
mkaddr(struct sockaddr_in *sin, const char *addr, unsigned port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, addr, &sin->sin_addr) != 1)
		die("bad address %s", addr);
}

/* A port free on addr now (the listeners bind it again in the run). */
static unsigned
free_port(int type, const char *addr)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	int s = socket(AF_INET, type | SOCK_CLOEXEC, 0);

	mkaddr(&sin, addr, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sin, sizeof(sin)) != 0 ||
	    getsockname(s, (struct sockaddr *)&sin, &len) != 0)
		die("picking a port on %s: %s", addr, strerror(errno));
	close(s);
	return ntohs(sin.sin_port);
}

static void
ports_setup(const char *dir, int type)
{
	char p[PATH_MAX], text[64];

	snprintf(text, sizeof(text), "%u %u\n", free_port(type, OK_ADDR),
	    free_port(type, BAD_ADDR));
	put_file(pjoin(p, dir, "ports"), text, 0644);
}

static void tcp_setup(const char *dir) { ports_setup(dir, SOCK_STREAM); }
static void udp_setup(const char *dir) { ports_setup(dir, SOCK_DGRAM); }

/* Read the ports and set sa_ok, sa_bad and sa_buf (= sa_ok). */
static void
load_ports(const char *dir)
{
	char p[PATH_MAX];
	unsigned po, pb;
	FILE *f = fopen(pjoin(p, dir, "ports"), "re");

	if (f == NULL || fscanf(f, "%u %u", &po, &pb) != 2)
		die("%s: no ports (run setup first)", p);
	fclose(f);
	mkaddr(&sa_ok, OK_ADDR, po);
	mkaddr(&sa_bad, BAD_ADDR, pb);
	sa_buf = sa_ok;
}

static void
net_policy(const char *op, const char *dir, FILE *out)
{
	load_ports(dir);
	fprintf(out, "  - %s: sockaddr eq \"inet-%s:%u\" then deny[EACCES]\n",
	    op, BAD_ADDR, ntohs(sa_bad.sin_port));
}

static void connect_policy(const char *d, FILE *o) { net_policy("connect", d, o); }
static void bind_policy(const char *d, FILE *o) { net_policy("bind", d, o); }
static void sendto_policy(const char *d, FILE *o) { net_policy("sendto", d, o); }
static void sendmsg_policy(const char *d, FILE *o) { net_policy("sendmsg", d, o); }

/* Flip family, port and address (the first 8 bytes) of sa_buf. */
static void
start_flip(struct flipper *f, struct memflip *m)
{
	m->dst = (volatile char *)&sa_buf;
	m->val[0] = &sa_ok;
	m->val[1] = &sa_bad;
	m->len = 8;
	flip_start(f, flip_mem, m);
}

static int
same_addr(const struct sockaddr_in *a, const struct sockaddr_in *b)
{
	return a->sin_port == b->sin_port &&
	    a->sin_addr.s_addr == b->sin_addr.s_addr;
}

static int
bound(int type, const struct sockaddr_in *sin)
{
	int s = socket(AF_INET, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), one = 1;

	if (s < 0)
		die("socket: %s", strerror(errno));
	(void)setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(s, (const struct sockaddr *)sin, sizeof(*sin)) != 0)
		die("bind %s:%u: %s", inet_ntoa(sin->sin_addr),
		    ntohs(sin->sin_port), strerror(errno));
	if (type == SOCK_STREAM && listen(s, 128) != 0)
		die("listen: %s", strerror(errno));
	return s;
}

/* Close without TIME_WAIT: 100,000 connections must not use up ports. */
static void
hard_close(int s)
{
	struct linger l = { 1, 0 };

	(void)setsockopt(s, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	close(s);
}

static void
drain_accept(int l)
{
	int a;

	while ((a = accept4(l, NULL, NULL, SOCK_CLOEXEC)) >= 0)
		hard_close(a);
}

/* Datagrams waiting on s. */
static long
drain_recv(int s)
{
	char buf[64];
	long n = 0;

	while (recv(s, buf, sizeof(buf), MSG_DONTWAIT) >= 0)
		n++;
	return n;
}

/* ---------------------------------------------------------------- */

static void
connect_run(const char *dir, long n, struct atk_result *r)
{
	struct sockaddr_in peer;
	struct memflip m;
	struct flipper f;
	int lok, lbad;
	long i;

	load_ports(dir);
	lok = bound(SOCK_STREAM, &sa_ok);
	lbad = bound(SOCK_STREAM, &sa_bad);
	start_flip(&f, &m);
	for (i = 0; i < n; i++) {
		socklen_t len = sizeof(peer);
		int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), rc, e;

		if (s < 0)
			die("socket: %s", strerror(errno));
		rc = connect(s, (struct sockaddr *)&sa_buf, sizeof(sa_buf));
		e = errno;
		r->attempts++;
		if (rc == 0 && getpeername(s, (struct sockaddr *)&peer,
		    &len) == 0) {
			if (same_addr(&peer, &sa_bad))
				r->wins++;
			else if (same_addr(&peer, &sa_ok))
				r->ok++;
			else
				r->other++;
		} else if (rc != 0 && e == EACCES)
			r->denied++;
		else
			r->other++;
		hard_close(s);
		drain_accept(lok);
		drain_accept(lbad);
	}
	flip_stop(&f);
	close(lok);
	close(lbad);
}

static void
bind_run(const char *dir, long n, struct atk_result *r)
{
	struct sockaddr_in me;
	struct memflip m;
	struct flipper f;
	long i;

	load_ports(dir);
	start_flip(&f, &m);
	for (i = 0; i < n; i++) {
		socklen_t len = sizeof(me);
		int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc, e;

		if (s < 0)
			die("socket: %s", strerror(errno));
		rc = bind(s, (struct sockaddr *)&sa_buf, sizeof(sa_buf));
		e = errno;
		r->attempts++;
		if (rc == 0 && getsockname(s, (struct sockaddr *)&me, &len) == 0) {
			if (same_addr(&me, &sa_bad))
				r->wins++;
			else if (same_addr(&me, &sa_ok))
				r->ok++;
			else
				r->other++;
		} else if (rc != 0 && e == EACCES)
			r->denied++;
		else
			r->other++;
		close(s);
	}
	flip_stop(&f);
}

/* sendto and sendmsg: one datagram per attempt; a datagram that reaches
 * the 127.0.0.2 receiver is a win. */
static void
send_run(const char *dir, long n, struct atk_result *r, int use_msg)
{
	struct memflip m;
	struct flipper f;
	int rok, rbad, s;
	long i, sent_ok = 0;

	load_ports(dir);
	rok = bound(SOCK_DGRAM, &sa_ok);
	rbad = bound(SOCK_DGRAM, &sa_bad);
	if ((s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		die("socket: %s", strerror(errno));
	start_flip(&f, &m);
	for (i = 0; i < n; i++) {
		ssize_t rc;
		int e;

		if (use_msg) {
			struct iovec iov = { &i, sizeof(i) };
			struct msghdr mh;

			memset(&mh, 0, sizeof(mh));
			mh.msg_name = &sa_buf;
			mh.msg_namelen = sizeof(sa_buf);
			mh.msg_iov = &iov;
			mh.msg_iovlen = 1;
			rc = sendmsg(s, &mh, 0);
		} else
			rc = sendto(s, &i, sizeof(i), 0,
			    (struct sockaddr *)&sa_buf, sizeof(sa_buf));
		e = errno;
		r->attempts++;
		if (rc < 0 && e == EACCES)
			r->denied++;
		else if (rc < 0)
			r->other++;
		else
			sent_ok++;
		/* loopback delivery is synchronous: the datagram is queued
		 * (or not) by the time the send returns */
		r->wins += drain_recv(rbad);
		r->ok += drain_recv(rok);
	}
	flip_stop(&f);
	r->wins += drain_recv(rbad);
	r->ok += drain_recv(rok);
	/* sent to neither receiver: a torn address (no one listens there) */
	if (sent_ok > r->wins + r->ok)
		r->other += sent_ok - r->wins - r->ok;
	close(s);
	close(rok);
	close(rbad);
}

static void sendto_run(const char *d, long n, struct atk_result *r) { send_run(d, n, r, 0); }
static void sendmsg_run(const char *d, long n, struct atk_result *r) { send_run(d, n, r, 1); }

static const struct atk_class classes[] = {
	{ "connect", connect_policy, tcp_setup, connect_run },
	{ "bind", bind_policy, udp_setup, bind_run },
	{ "sendto", sendto_policy, udp_setup, sendto_run },
	{ "sendmsg", sendmsg_policy, udp_setup, sendmsg_run },
};

int
main(int argc, char **argv)
{
	return atk_main(argc, argv, classes, sizeof(classes) / sizeof(classes[0]));
}
