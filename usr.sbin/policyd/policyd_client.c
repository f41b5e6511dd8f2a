/* policyd_client.c: policyd's peers: accepted with their SO_PEERCRED credentials, records
 * read a bounded number per turn and checked, anything malformed drops the connection. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "policyd.h"

void
pd_accept(void)
{
	size_t i;
	int fd;

	for (;;) {
		struct pd_client *c = NULL;

		fd = accept4(pd.lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			/* out of descriptors: the backlog waits a moment,
			 * rather than the loop spinning on it */
			if (errno == EMFILE || errno == ENFILE ||
			    errno == ENOBUFS || errno == ENOMEM)
				pd.accept_pause_until = pd_now_ms() + 100;
			return;		/* EAGAIN, or a peer that went away */
		}
		for (i = 0; i < PD_CLIENTS_MAX; i++)
			if (pd.clients[i].fd < 0) {
				c = &pd.clients[i];
				break;
			}
		if (c == NULL) {
			pd_log(LOG_WARNING, "%d peers connected: refusing more",
			    PD_CLIENTS_MAX);
			PD_COUNT(ms_peers_refused, 1);
			close(fd);
			continue;
		}
		memset(c, 0, sizeof(*c));
		if (policy_sock_peer(fd, &c->pid, &c->uid, &c->gid) != 0) {
			PD_COUNT(ms_peers_refused, 1);
			close(fd);
			c->fd = -1;
			continue;
		}
		c->fd = fd;
		c->serial = ++pd.next_serial;
		PD_COUNT(ms_clients, 1);
		pd_log(LOG_DEBUG, "peer %llu: pid %d uid %u",
		    (unsigned long long)c->serial, (int)c->pid,
		    (unsigned)c->uid);
	}
}

void
pd_client_close(struct pd_client *c)
{
	if (c->fd < 0)
		return;
	pd_alarm_forget_client(c);
	close(c->fd);
	c->fd = -1;
	c->parked = false;
	PD_COUNT(ms_clients, (uint64_t)-1);
}

/* Send one record; a peer that cannot take it (not reading) is dropped. */
int
pd_send(struct pd_client *c, unsigned type, const void *body, size_t len)
{
	if (c->fd < 0 || c->dead)
		return -1;
	if (policy_msg_send(c->fd, type, body, len, MSG_DONTWAIT) != 0) {
		pd_log(LOG_DEBUG, "peer %llu: %s: dropped",
		    (unsigned long long)c->serial, strerror(errno));
		c->dead = true;
		return -1;
	}
	return 0;
}

void
pd_result(struct pd_client *c, unsigned status, const char *fmt, ...)
{
	struct policy_msg_result r;
	va_list ap;

	memset(&r, 0, sizeof(r));
	r.mr_status = status;
	va_start(ap, fmt);
	vsnprintf(r.mr_text, sizeof(r.mr_text), fmt, ap);
	va_end(ap);
	(void)pd_send(c, POLICY_MSG_RESULT, &r, sizeof(r));
}

/* A peer broke the protocol: count it and drop it. */
static void
pd_client_bad(struct pd_client *c, const char *why)
{
	PD_COUNT(ms_msgs_invalid, 1);
	pd_log(LOG_WARNING, "peer pid %d uid %u: %s: dropped", (int)c->pid,
	    (unsigned)c->uid, why);
	c->dead = true;
}

static void
pd_client_record(struct pd_client *c, int type, union policy_msg_buf *b)
{
	const void *body = POLICY_MSG_BODY(b);

	switch (type) {
	case POLICY_MSG_ALARM:
		pd_alarm_raise(c, body);
		break;
	case POLICY_MSG_ANSWER:
		pd_alarm_answer(c, body);
		break;
	case POLICY_MSG_NEXT: {
		const struct policy_msg_next *nx = body;

		c->parked = false;
		pd_alarm_next(c, nx->mn_after, nx->mn_wait_ms > 0);
		if (c->parked) {
			c->park_after = nx->mn_after;
			c->park_until_ms = pd_now_ms() + nx->mn_wait_ms;
		}
		break;
	}
	case POLICY_MSG_DECISION:
		pd_log_decision(c, body);
		break;
	case POLICY_MSG_TALLY:
		pd_count_tally(body);
		break;
	case POLICY_MSG_STATS_REQ: {
		struct policy_msg_stats st;

		pd_stats_snapshot(&st);
		(void)pd_send(c, POLICY_MSG_STATS, &st, sizeof(st));
		break;
	}
	default:	/* replies are ours to send, not to receive */
		pd_client_bad(c, "unexpected record type");
		break;
	}
}

void
pd_client_input(struct pd_client *c)
{
	static union policy_msg_buf b;
	char why[160];
	struct iovec iov;
	struct msghdr m;
	ssize_t n;
	int k, type;

	for (k = 0; k < PD_BURST && !c->dead && c->fd >= 0; k++) {
		iov.iov_base = b.bytes;
		iov.iov_len = sizeof(b.bytes);
		memset(&m, 0, sizeof(m));
		m.msg_iov = &iov;
		m.msg_iovlen = 1;
		n = recvmsg(c->fd, &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
		if (n < 0) {
			if (errno != EAGAIN && errno != EINTR)
				c->dead = true;
			return;
		}
		if (n == 0) {		/* the peer closed */
			c->dead = true;
			return;
		}
		if (m.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
			pd_client_bad(c, "oversized record");
			return;
		}
		if ((type = policy_msg_check(b.bytes, (size_t)n, why,
		    sizeof(why))) < 0) {
			pd_client_bad(c, why);
			return;
		}
		pd_client_record(c, type, &b);
	}
}

/* Give parked NEXT requests the alarms that arrived for them. */
void
pd_wake_parked(void)
{
	size_t i;

	for (i = 0; i < PD_CLIENTS_MAX; i++) {
		struct pd_client *c = &pd.clients[i];
		struct pd_alarm *a;
		uint32_t count;

		if (c->fd < 0 || !c->parked || c->dead)
			continue;
		if ((a = pd_alarm_visible(c, c->park_after, &count)) != NULL) {
			c->parked = false;
			pd_pending_send(c, a, count);
		}
	}
}

void
pd_park_expire(uint64_t now)
{
	size_t i;

	for (i = 0; i < PD_CLIENTS_MAX; i++) {
		struct pd_client *c = &pd.clients[i];

		if (c->fd >= 0 && c->parked && now >= c->park_until_ms) {
			c->parked = false;
			pd_result(c, POLICY_RES_NOTFOUND, "no alarm pending");
		}
	}
}

uint64_t
pd_park_next(void)
{
	uint64_t next = UINT64_MAX;
	size_t i;

	for (i = 0; i < PD_CLIENTS_MAX; i++)
		if (pd.clients[i].fd >= 0 && pd.clients[i].parked &&
		    pd.clients[i].park_until_ms < next)
			next = pd.clients[i].park_until_ms;
	return next;
}
