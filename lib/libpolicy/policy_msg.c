/* policy_msg.c: policyd protocol records (sys/sys/policy.h): every received record is
 * checked field by field before use, like a blob; sending and receiving one datagram. */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include "policy_msg.h"

const uint64_t policy_lat_bounds_ns[POLICY_LAT_BUCKETS - 1] =
    POLICY_LAT_BOUNDS_NS;

unsigned
policy_lat_bucket(uint64_t ns)
{
	unsigned i;

	for (i = 0; i < POLICY_LAT_BUCKETS - 1; i++)
		if (ns <= policy_lat_bounds_ns[i])
			return i;
	return POLICY_LAT_BUCKETS - 1;
}

size_t
policy_msg_body_size(unsigned type)
{
	switch (type) {
	case POLICY_MSG_ALARM:		return sizeof(struct policy_msg_alarm);
	case POLICY_MSG_VERDICT:	return sizeof(struct policy_msg_verdict);
	case POLICY_MSG_NEXT:		return sizeof(struct policy_msg_next);
	case POLICY_MSG_PENDING:	return sizeof(struct policy_msg_pending);
	case POLICY_MSG_ANSWER:		return sizeof(struct policy_answer);
	case POLICY_MSG_RESULT:		return sizeof(struct policy_msg_result);
	case POLICY_MSG_DECISION:	return sizeof(struct policy_msg_decision);
	case POLICY_MSG_STATS_REQ:	return 0;
	case POLICY_MSG_STATS:		return sizeof(struct policy_msg_stats);
	case POLICY_MSG_TALLY:		return sizeof(struct policy_msg_tally);
	default:			return (size_t)-1;
	}
}

int
policy_msg_str_ok(const char *s, size_t cap)
{
	return memchr(s, '\0', cap) != NULL;
}

static int
policy_msg_bad(char *why, size_t cap, const char *fmt, ...)
{
	va_list ap;

	if (why != NULL && cap > 0) {
		va_start(ap, fmt);
		vsnprintf(why, cap, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static int
policy_msg_zero(const void *p, size_t n)
{
	const unsigned char *b = p;
	size_t i;

	for (i = 0; i < n; i++)
		if (b[i] != 0)
			return 0;
	return 1;
}

int
policy_request_check(const struct policy_request *r, char *why, size_t cap)
{
	static const size_t scap[POLICY_F_NSTR] = {
		POLICY_PATH_MAX, POLICY_PATH_MAX, POLICY_SOCKADDR_MAX,
		POLICY_ARGV_MAX, POLICY_SYSCALL_MAX
	};
	const char *str[POLICY_F_NSTR] = { r->pr_filename, r->pr_filename2,
	    r->pr_sockaddr, r->pr_argv, r->pr_syscall };
	unsigned f;

	if (r->pr_op == POLICY_OP_NONE || r->pr_op >= POLICY_OP_COUNT)
		return policy_msg_bad(why, cap, "request: bad operation %u",
		    (unsigned)r->pr_op);
	if (r->pr_emul >= POLICY_EMUL_COUNT || r->pr_pad0 != 0)
		return policy_msg_bad(why, cap, "request: bad emulation");
	if (r->pr_present & ~((1u << POLICY_F_COUNT) - 1))
		return policy_msg_bad(why, cap, "request: unknown fields");
	for (f = 0; f < POLICY_F_NSTR; f++) {
		if (!policy_msg_str_ok(str[f], scap[f]))
			return policy_msg_bad(why, cap,
			    "request: field %u not terminated", f);
		if (!(r->pr_present & (1u << f))) {
			if (r->pr_len[f] != 0 || str[f][0] != '\0')
				return policy_msg_bad(why, cap,
				    "request: absent field %u has a value", f);
			continue;
		}
		if (r->pr_len[f] >= scap[f] || strlen(str[f]) != r->pr_len[f])
			return policy_msg_bad(why, cap,
			    "request: field %u length mismatch", f);
	}
	for (f = POLICY_F_NSTR; f < POLICY_F_COUNT; f++)
		if (!(r->pr_present & (1u << f)) &&
		    r->pr_int[f - POLICY_F_NSTR] != 0)
			return policy_msg_bad(why, cap,
			    "request: absent field %u has a value", f);
	if (r->pr_op == POLICY_OP_SYSCALL &&
	    !(r->pr_present & (1u << POLICY_F_SYSCALL)))
		return policy_msg_bad(why, cap, "request: syscall unnamed");
	return 0;
}

static int
policy_msg_check_alarm(const struct policy_msg_alarm *m, char *why, size_t cap)
{
	const struct policy_alarm *a = &m->ma_alarm;

	if (!policy_msg_str_ok(a->pa_program, sizeof(a->pa_program)) ||
	    !policy_msg_str_ok(a->pa_policy, sizeof(a->pa_policy)) ||
	    !policy_msg_str_ok(m->ma_rule, sizeof(m->ma_rule)) ||
	    !policy_msg_str_ok(m->ma_path, sizeof(m->ma_path)))
		return policy_msg_bad(why, cap, "alarm: string not terminated");
	if (a->pa_pid <= 0)
		return policy_msg_bad(why, cap, "alarm: bad pid");
	if (a->pa_rule != POLICY_NONE && a->pa_rule >= POLICY_RULES_MAX)
		return policy_msg_bad(why, cap, "alarm: bad rule number");
	if ((m->ma_flags & ~(uint32_t)POLICY_ALARM_FLAGS) != 0 ||
	    m->ma_errno > policy_nerrno ||
	    !policy_msg_zero(m->ma_pad, sizeof(m->ma_pad)))
		return policy_msg_bad(why, cap, "alarm: bad flags or errno");
	if (m->ma_timeout_ms == 0 || m->ma_timeout_ms > 86400000u)
		return policy_msg_bad(why, cap, "alarm: bad timeout");
	if (m->ma_path[0] != '\0' && m->ma_path[0] != '/')
		return policy_msg_bad(why, cap, "alarm: policy path not absolute");
	if ((m->ma_flags & POLICY_ALARM_PERSIST) && m->ma_path[0] == '\0')
		return policy_msg_bad(why, cap, "alarm: nowhere to persist");
	return policy_request_check(&a->pa_req, why, cap);
}

static int
policy_msg_check_body(unsigned type, const void *body, char *why, size_t cap)
{
	switch (type) {
	case POLICY_MSG_ALARM:
		return policy_msg_check_alarm(body, why, cap);
	case POLICY_MSG_VERDICT: {
		const struct policy_msg_verdict *v = body;

		if ((v->mv_action != POLICY_ACT_PERMIT &&
		    v->mv_action != POLICY_ACT_DENY) ||
		    v->mv_scope > POLICY_ANSWER_ALWAYS ||
		    v->mv_errno > policy_nerrno || v->mv_reason == 0 ||
		    v->mv_reason >= POLICY_VERDICT_COUNT ||
		    v->mv_persisted > 1 || v->mv_pad != 0)
			return policy_msg_bad(why, cap, "verdict: bad field");
		return 0;
	}
	case POLICY_MSG_NEXT: {
		const struct policy_msg_next *n = body;

		if (n->mn_pad != 0 || n->mn_wait_ms > 3600000u)
			return policy_msg_bad(why, cap, "next: bad field");
		return 0;
	}
	case POLICY_MSG_PENDING: {
		const struct policy_msg_pending *p = body;

		if (p->mp_id == 0 || p->mp_count == 0)
			return policy_msg_bad(why, cap, "pending: bad field");
		return policy_msg_check_alarm(&p->mp_alarm, why, cap);
	}
	case POLICY_MSG_ANSWER: {
		const struct policy_answer *a = body;

		if ((a->pa_action != POLICY_ACT_PERMIT &&
		    a->pa_action != POLICY_ACT_DENY) ||
		    a->pa_scope > POLICY_ANSWER_ALWAYS ||
		    a->pa_errno > policy_nerrno || a->pa_pad != 0)
			return policy_msg_bad(why, cap, "answer: bad field");
		return 0;
	}
	case POLICY_MSG_RESULT: {
		const struct policy_msg_result *r = body;

		if (r->mr_status >= POLICY_RES_COUNT || r->mr_pad != 0 ||
		    !policy_msg_str_ok(r->mr_text, sizeof(r->mr_text)))
			return policy_msg_bad(why, cap, "result: bad field");
		return 0;
	}
	case POLICY_MSG_DECISION: {
		const struct policy_msg_decision *d = body;

		if (d->md_action >= POLICY_DECIDED_COUNT ||
		    (d->md_flags & ~POLICY_DECISION_FLAGS) != 0 ||
		    d->md_pad != 0 || d->md_pad2 != 0 ||
		    !policy_msg_str_ok(d->md_program, sizeof(d->md_program)) ||
		    !policy_msg_str_ok(d->md_policy, sizeof(d->md_policy)))
			return policy_msg_bad(why, cap, "decision: bad field");
		return policy_request_check(&d->md_req, why, cap);
	}
	case POLICY_MSG_TALLY: {
		const struct policy_msg_tally *t = body;
		const uint64_t *v = &t->mt_decisions[0][0];
		size_t i, n = offsetof(struct policy_msg_tally,
		    mt_latency_sum_ns) / sizeof(*v);

		for (i = 0; i < n; i++)
			if (v[i] > POLICY_TALLY_MAX)
				return policy_msg_bad(why, cap, "tally: count too "
				    "large");
		if (t->mt_latency_sum_ns > POLICY_TALLY_MAX << 20)
			return policy_msg_bad(why, cap, "tally: sum too large");
		return 0;
	}
	default:	/* STATS_REQ has no body; STATS is counters only */
		return 0;
	}
}

int
policy_msg_check(const void *buf, size_t len, char *why, size_t cap)
{
	const struct policy_msg_hdr *h = buf;
	size_t bsize;

	if (len < sizeof(*h))
		return policy_msg_bad(why, cap, "short record (%zu bytes)", len);
	if (h->pm_magic != POLICY_MSG_MAGIC ||
	    h->pm_version != POLICY_MSG_VERSION || h->pm_pad != 0)
		return policy_msg_bad(why, cap, "bad record header");
	if ((bsize = policy_msg_body_size(h->pm_type)) == (size_t)-1)
		return policy_msg_bad(why, cap, "unknown record type %u",
		    (unsigned)h->pm_type);
	if (h->pm_len != len || len != sizeof(*h) + bsize)
		return policy_msg_bad(why, cap, "record type %u: length %zu, "
		    "expected %zu", (unsigned)h->pm_type, len, sizeof(*h) + bsize);
	if (policy_msg_check_body(h->pm_type, (const char *)buf + sizeof(*h),
	    why, cap) != 0)
		return -1;
	return h->pm_type;
}

int
policy_msg_send(int fd, unsigned type, const void *body, size_t len,
    int flags)
{
	struct policy_msg_hdr h;
	struct iovec iov[2];
	struct msghdr m;
	ssize_t n;

	memset(&h, 0, sizeof(h));
	h.pm_magic = POLICY_MSG_MAGIC;
	h.pm_version = POLICY_MSG_VERSION;
	h.pm_type = (uint16_t)type;
	h.pm_len = (uint32_t)(sizeof(h) + len);
	iov[0].iov_base = &h;
	iov[0].iov_len = sizeof(h);
	iov[1].iov_base = (void *)(uintptr_t)body;
	iov[1].iov_len = len;
	memset(&m, 0, sizeof(m));
	m.msg_iov = iov;
	m.msg_iovlen = len ? 2 : 1;
	do
		n = sendmsg(fd, &m, MSG_NOSIGNAL | flags);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if ((size_t)n != sizeof(h) + len) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

int
policy_msg_recv(int fd, union policy_msg_buf *b, int timeout_ms, int cancelfd,
    char *why, size_t cap)
{
	struct pollfd pfd[2];
	struct iovec iov;
	struct msghdr m;
	ssize_t n;
	int r, t;

	pfd[0].fd = fd;
	pfd[0].events = POLLIN;
	pfd[1].fd = cancelfd;
	pfd[1].events = POLLIN;
	for (;;) {
		r = poll(pfd, cancelfd >= 0 ? 2 : 1, timeout_ms);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (cancelfd >= 0 && (pfd[1].revents & POLLIN)) {
			errno = ECANCELED;
			return -1;
		}
		break;
	}
	iov.iov_base = b->bytes;
	iov.iov_len = sizeof(b->bytes);
	memset(&m, 0, sizeof(m));
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	do
		n = recvmsg(fd, &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if (n == 0)
		return 0;
	if (m.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
		policy_msg_bad(why, cap, "record larger than %u bytes",
		    POLICY_MSG_MAX);
		errno = EPROTO;
		return -1;
	}
	if ((t = policy_msg_check(b->bytes, (size_t)n, why, cap)) < 0) {
		errno = EPROTO;
		return -1;
	}
	return t;
}
