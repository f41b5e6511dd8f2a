/* policyd_console_events.c: the console's live views (server-sent events): alarm lists and
 * logged decisions pushed as they change; a fixed number of views, each with a bounded buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <microhttpd.h>

#include "policyd.h"

#define PD_SUB_BUF_MAX		(2u * 1024 * 1024)	/* one view's pending text */
#define PD_SUB_DEC_BATCH	(128u * 1024)	/* decisions per refill, about */
#define PD_PING_MS		15000

struct pd_sub {
	struct MHD_Connection *conn;	/* NULL: free slot */
	bool		suspended;
	uint64_t	alarms_sent;	/* pd_alarms_version sent */
	uint64_t	dec_sent;	/* last decision sent, by seq */
	uint64_t	ping_sent;
	struct pd_buf	out;
	size_t		off;
};

struct pd_ring_ent {
	uint64_t	seq;		/* 0: empty */
	uid_t		uid;
	char		*json;
};

static struct pd_sub pd_subs[PD_CONSOLE_SUBS];
static struct pd_ring_ent pd_ring[PD_CONSOLE_RING];
static uint64_t pd_ring_seq;
static uint64_t pd_alarms_version = 1;
static uint64_t pd_ping_seq, pd_ping_last_ms;
static bool pd_closing;

static bool
pd_console_may_see_uid(uid_t uid)
{
	uid_t me = pd_console_client()->uid;

	return me == 0 || me == uid;
}

static void
pd_subs_wake(void)
{
	size_t i;

	for (i = 0; i < PD_CONSOLE_SUBS; i++)
		if (pd_subs[i].conn != NULL && pd_subs[i].suspended) {
			pd_subs[i].suspended = false;
			MHD_resume_connection(pd_subs[i].conn);
		}
}

void
pd_console_changed(void)
{
	if (pd.cfg.console == NULL)
		return;
	pd_alarms_version++;
	pd_subs_wake();
}

void
pd_console_decision(uid_t uid, const struct policy_msg_decision *d,
    const char *json)
{
	struct pd_ring_ent *e;
	size_t n;

	if (pd.cfg.console == NULL)
		return;
	pd_console_policy_count(d);
	e = &pd_ring[pd_ring_seq % PD_CONSOLE_RING];
	free(e->json);
	n = strlen(json);
	if (n > 0 && json[n - 1] == '\n')
		n--;
	if ((e->json = strndup(json, n)) == NULL) {
		e->seq = 0;
		return;
	}
	e->seq = ++pd_ring_seq;
	e->uid = uid;
	pd_subs_wake();
}

/* [{"seq":N,"decision":{...}},...]: the kept decisions after seq after. */
void
pd_console_decisions_json(struct pd_buf *b, uint64_t after)
{
	uint64_t s = pd_ring_seq > PD_CONSOLE_RING ? pd_ring_seq -
	    PD_CONSOLE_RING + 1 : 1;
	bool first = true;

	if (s <= after)
		s = after + 1;
	pd_buf_printf(b, "[");
	for (; s <= pd_ring_seq; s++) {
		const struct pd_ring_ent *e = &pd_ring[(s - 1) % PD_CONSOLE_RING];

		if (e->seq != s || !pd_console_may_see_uid(e->uid))
			continue;
		pd_buf_printf(b, "%s{\"seq\":%llu,\"decision\":%s}",
		    first ? "" : ",", (unsigned long long)s, e->json);
		first = false;
	}
	pd_buf_printf(b, "]");
}

/* Whatever view v has not seen yet, as events; nothing: "". */
static void
pd_sub_fill(struct pd_sub *v)
{
	uint64_t s;

	v->out.n = 0;
	v->off = 0;
	v->out.failed = false;
	if (v->alarms_sent != pd_alarms_version) {
		pd_buf_printf(&v->out, "event: alarms\ndata: ");
		pd_console_alarms_json(&v->out, PD_CONSOLE_ALARMS_MAX);
		pd_buf_printf(&v->out, "\n\n");
		v->alarms_sent = pd_alarms_version;
	}
	s = pd_ring_seq > PD_CONSOLE_RING ? pd_ring_seq - PD_CONSOLE_RING + 1 : 1;
	if (v->dec_sent + 1 > s)
		s = v->dec_sent + 1;
	for (; s <= pd_ring_seq && v->out.n < PD_SUB_DEC_BATCH; s++) {
		const struct pd_ring_ent *e = &pd_ring[(s - 1) % PD_CONSOLE_RING];

		v->dec_sent = s;
		if (e->seq != s || !pd_console_may_see_uid(e->uid))
			continue;
		pd_buf_printf(&v->out, "event: decision\nid: %llu\ndata: "
		    "{\"seq\":%llu,\"decision\":%s}\n\n", (unsigned long long)s,
		    (unsigned long long)s, e->json);
	}
	if (v->ping_sent != pd_ping_seq) {
		pd_buf_printf(&v->out, ": ping\n\n");
		v->ping_sent = pd_ping_seq;
	}
	if (v->out.failed)	/* over its ceiling: start afresh */
		v->out.n = 0;
}

static ssize_t
pd_sub_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct pd_sub *v = cls;
	size_t n;

	if (pd_closing)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (v->off >= v->out.n)
		pd_sub_fill(v);
	if (v->out.n == 0) {		/* nothing new: wait for a change */
		v->suspended = true;
		MHD_suspend_connection(v->conn);
		return 0;
	}
	n = v->out.n - v->off < max ? v->out.n - v->off : max;
	memcpy(buf, v->out.b + v->off, n);
	v->off += n;
	return (ssize_t)n;
}

static void
pd_sub_free(void *cls)
{
	struct pd_sub *v = cls;

	pd_buf_free(&v->out);
	v->conn = NULL;
	v->suspended = false;
}

int
pd_console_events(struct MHD_Connection *conn)
{
	struct MHD_Response *r;
	struct pd_sub *v = NULL;
	enum MHD_Result ret;
	size_t i;

	for (i = 0; i < PD_CONSOLE_SUBS; i++)
		if (pd_subs[i].conn == NULL) {
			v = &pd_subs[i];
			break;
		}
	if (v == NULL)
		return pd_http_reply(conn, MHD_HTTP_SERVICE_UNAVAILABLE,
		    "text/plain", "too many live views open: close one\n", 36,
		    false);
	memset(v, 0, sizeof(*v));
	v->conn = conn;
	v->out.max = PD_SUB_BUF_MAX;
	v->ping_sent = pd_ping_seq;
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16384,
	    pd_sub_read, v, pd_sub_free);
	if (r == NULL) {
		v->conn = NULL;
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/event-stream");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	/* a live view is quiet for long: the pings find it gone */
	MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT,
	    (unsigned)0);
	ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

void
pd_console_tick(uint64_t now)
{
	if (pd.cfg.console == NULL)
		return;
	if (now - pd_ping_last_ms >= PD_PING_MS) {
		pd_ping_last_ms = now;
		pd_ping_seq++;
		pd_subs_wake();
	}
}

void
pd_console_shutdown(void)
{
	size_t i;

	pd_closing = true;
	pd_subs_wake();
	for (i = 0; i < PD_CONSOLE_RING; i++) {
		free(pd_ring[i].json);
		pd_ring[i].json = NULL;
	}
	pd_console_policies_free();
}
