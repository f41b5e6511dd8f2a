/* policyd_console_events.c: the console's live views (server-sent events): alarm lists and
 * logged decisions pushed as they change; a fixed number of views, each with a bounded buffer. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <microhttpd.h>

#include "policyd.h"

#define PD_SUB_BUF_MAX		(2u * 1024 * 1024)	/* one view's pending text */
#define PD_SUB_DEC_BATCH	(128u * 1024)	/* decisions per refill, about */
#define PD_PING_S		5	/* a quiet view is pinged: gone ones end */

struct pd_sub {
	struct MHD_Connection *conn;	/* NULL: free slot */
	uint64_t	alarms_sent;	/* pd_alarms_version sent */
	uint64_t	dec_sent;	/* last decision sent, by seq */
	bool		ping;
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
static bool pd_closing;
/* a change for the live views; waited on with pd.lock */
static pthread_cond_t pd_views_cond = PTHREAD_COND_INITIALIZER;

static bool
pd_console_may_see_uid(uid_t uid)
{
	uid_t me = pd_console_client()->uid;

	return me == 0 || me == uid;
}

static void
pd_subs_wake(void)
{
	pthread_cond_broadcast(&pd_views_cond);
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
pd_console_decision(const struct pd_client *c,
    const struct policy_msg_decision *d, const char *json)
{
	struct pd_ring_ent *e;
	size_t n;

	if (pd.cfg.console == NULL)
		return;
	pd_console_policy_count(d, c->serial);
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
	e->uid = c->uid;
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
	if (v->ping) {
		pd_buf_printf(&v->out, ": ping\n\n");
		v->ping = false;
	}
	if (v->out.failed)	/* over its ceiling: start afresh */
		v->out.n = 0;
}

/* A view's thread (one per connection): what is new, or wait for it. */
static ssize_t
pd_sub_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	struct pd_sub *v = cls;
	struct timespec ts;
	ssize_t ret;
	size_t n;

	pthread_mutex_lock(&pd.lock);
	for (;;) {
		if (pd_closing) {
			ret = MHD_CONTENT_READER_END_OF_STREAM;
			break;
		}
		if (v->off < v->out.n) {
			n = v->out.n - v->off < max ? v->out.n - v->off : max;
			memcpy(buf, v->out.b + v->off, n);
			v->off += n;
			ret = (ssize_t)n;
			break;
		}
		pd_sub_fill(v);
		if (v->out.n > 0)
			continue;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += PD_PING_S;
		if (pthread_cond_timedwait(&pd_views_cond, &pd.lock, &ts) ==
		    ETIMEDOUT)
			v->ping = true;
	}
	pthread_mutex_unlock(&pd.lock);
	return ret;
}

static void
pd_sub_free(void *cls)
{
	struct pd_sub *v = cls;

	pthread_mutex_lock(&pd.lock);
	pd_buf_free(&v->out);
	v->conn = NULL;
	pthread_mutex_unlock(&pd.lock);
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
	r = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 16384,
	    pd_sub_read, v, pd_sub_free);
	if (r == NULL) {
		v->conn = NULL;
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/event-stream");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	/* a live view is quiet for long: its pings find it gone */
	MHD_set_connection_option(conn, MHD_CONNECTION_OPTION_TIMEOUT,
	    (unsigned)0);
	ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

/* Live views end (before the server stops: it waits for their threads). */
void
pd_console_shutdown(void)
{
	pthread_mutex_lock(&pd.lock);
	pd_closing = true;
	pd_subs_wake();
	pthread_mutex_unlock(&pd.lock);
}

/* After the server stopped. */
void
pd_console_free(void)
{
	size_t i;

	for (i = 0; i < PD_CONSOLE_RING; i++) {
		free(pd_ring[i].json);
		pd_ring[i].json = NULL;
	}
	pd_console_policies_free();
	pd_review_free();
}
