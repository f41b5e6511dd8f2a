/* policyd_http.c: policyd's one HTTP server (libmicrohttpd, loopback only, a thread per
 * connection): /metrics for --metrics, everything else for the web console (--console). */
#include <arpa/inet.h>
#include <errno.h>
#include <unistd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <sys/socket.h>
#include <microhttpd.h>

#include "policyd.h"

static struct MHD_Daemon *pd_mhd;
static int pd_http_lfd = -1, pd_http_v6;
char pd_http_origin[96];
char pd_http_host[80];

/* One request: its body so far (bounded: more is refused, not kept). */
struct pd_http_req {
	size_t	len, max;		/* max: more for /api/review/ */
	bool	toolong;
	char	body[];
};

/* ADDR:PORT on loopback only: 127.0.0.0/8, [::1] or localhost. */
static int
pd_http_addr(const char *spec, struct sockaddr_storage *ss, int *v6,
    char *err, size_t errlen)
{
	char host[64];
	const char *colon, *port;
	unsigned long p;
	char *end;

	if (spec[0] == '[') {
		const char *rb = strchr(spec, ']');

		if (rb == NULL || rb[1] != ':' || (size_t)(rb - spec - 1) >=
		    sizeof(host))
			goto bad;
		memcpy(host, spec + 1, (size_t)(rb - spec - 1));
		host[rb - spec - 1] = '\0';
		port = rb + 2;
	} else {
		if ((colon = strrchr(spec, ':')) == NULL ||
		    (size_t)(colon - spec) >= sizeof(host))
			goto bad;
		memcpy(host, spec, (size_t)(colon - spec));
		host[colon - spec] = '\0';
		port = colon + 1;
	}
	p = strtoul(port, &end, 10);
	if (*port == '\0' || *end != '\0' || p > 65535)
		goto bad;
	memset(ss, 0, sizeof(*ss));
	if (strcmp(host, "localhost") == 0)
		snprintf(host, sizeof(host), "127.0.0.1");
	if (inet_pton(AF_INET, host, &((struct sockaddr_in *)ss)->sin_addr) == 1) {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		if ((ntohl(in->sin_addr.s_addr) >> 24) != 127) {
			snprintf(err, errlen, "%s is not a loopback address: "
			    "metrics and the console are served on loopback "
			    "only", host);
			return -1;
		}
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)p);
		*v6 = 0;
		return 0;
	}
	if (inet_pton(AF_INET6, host, &((struct sockaddr_in6 *)ss)->sin6_addr) ==
	    1) {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		if (!IN6_IS_ADDR_LOOPBACK(&in6->sin6_addr)) {
			snprintf(err, errlen, "%s is not a loopback address: "
			    "metrics and the console are served on loopback "
			    "only", host);
			return -1;
		}
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)p);
		*v6 = 1;
		return 0;
	}
bad:
	snprintf(err, errlen, "expected ADDR:PORT, e.g. 127.0.0.1:9464 or "
	    "[::1]:9464");
	return -1;
}

int
pd_http_reply(struct MHD_Connection *conn, unsigned code, const char *type,
    const void *body, size_t len, bool copy)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer(len, (void *)(uintptr_t)body,
	    copy ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	ret = MHD_queue_response(conn, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
pd_http_metrics(struct MHD_Connection *conn, const char *method)
{
	struct MHD_Response *r;
	enum MHD_Result ret;
	char *body;
	size_t len;

	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return (enum MHD_Result)pd_http_reply(conn,
		    MHD_HTTP_METHOD_NOT_ALLOWED, "text/plain", "GET /metrics\n",
		    13, false);
	if ((body = pd_metrics_text(&len)) == NULL)
		return MHD_NO;
	r = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE,
	    "text/plain; version=0.0.4; charset=utf-8");
	ret = MHD_queue_response(conn, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
pd_http_handler(void *cls, struct MHD_Connection *conn, const char *url,
    const char *method, const char *version, const char *upload,
    size_t *upload_size, void **state)
{
	struct pd_http_req *rq = *state;

	if (rq == NULL) {		/* headers only, so far */
		size_t max = strncmp(url, "/api/review/", 12) == 0 ?
		    PD_REVIEW_BODY_MAX : PD_CONSOLE_BODY_MAX;

		if ((rq = calloc(1, sizeof(*rq) + max + 1)) == NULL)
			return MHD_NO;
		rq->max = max;
		*state = rq;
		return MHD_YES;
	}
	if (*upload_size != 0) {	/* a piece of the body */
		if (rq->len + *upload_size > rq->max)
			rq->toolong = true;
		else {
			memcpy(rq->body + rq->len, upload, *upload_size);
			rq->len += *upload_size;
		}
		*upload_size = 0;
		return MHD_YES;
	}
	rq->body[rq->len] = '\0';
	if (pd.cfg.metrics != NULL && strcmp(url, "/metrics") == 0)
		return pd_http_metrics(conn, method);
	if (pd.cfg.console == NULL)
		return (enum MHD_Result)pd_http_reply(conn, MHD_HTTP_NOT_FOUND,
		    "text/plain", "not found: try /metrics\n", 24, false);
	if (rq->toolong)
		return (enum MHD_Result)pd_http_reply(conn,
		    413 /* content too large */, "text/plain",
		    "request body too large\n", 23, false);
	{
		int ret;

		/* the state is the event loop's: take it while it waits */
		pthread_mutex_lock(&pd.lock);
		ret = pd_console_handle(conn, url, method, rq->body, rq->len);
		pthread_mutex_unlock(&pd.lock);
		return (enum MHD_Result)ret;
	}
}

static void
pd_http_done(void *cls, struct MHD_Connection *conn, void **state,
    enum MHD_RequestTerminationCode why)
{
	free(*state);
	*state = NULL;
}

/*
 * Before daemon(): check the options, bind and listen on the address, so
 * that errors and the console's URL (its port) reach the terminal; the
 * server's threads start after it, in pd_http_start.
 */
int
pd_http_bind(char *err, size_t errlen)
{
	const char *spec = pd.cfg.console != NULL ? pd.cfg.console :
	    pd.cfg.metrics;
	struct sockaddr_storage ss;
	socklen_t sl;
	char host[64];
	int v6, one = 1;

	if (spec == NULL)
		return 0;
	if (pd.cfg.metrics != NULL && pd.cfg.console != NULL &&
	    strcmp(pd.cfg.metrics, pd.cfg.console) != 0) {
		snprintf(err, errlen, "--metrics %s and --console %s: one HTTP "
		    "server serves both, so give them the same ADDR:PORT",
		    pd.cfg.metrics, pd.cfg.console);
		return -1;
	}
	if (pd_http_addr(spec, &ss, &v6, err, errlen) != 0)
		return -1;
	sl = v6 ? sizeof(struct sockaddr_in6) : sizeof(struct sockaddr_in);
	if ((pd_http_lfd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC,
	    0)) < 0 ||
	    setsockopt(pd_http_lfd, SOL_SOCKET, SO_REUSEADDR, &one,
	    sizeof(one)) != 0 ||
	    bind(pd_http_lfd, (struct sockaddr *)&ss, sl) != 0 ||
	    listen(pd_http_lfd, 64) != 0 ||
	    getsockname(pd_http_lfd, (struct sockaddr *)&ss, &sl) != 0) {
		snprintf(err, errlen, "cannot listen on %s: %s", spec,
		    strerror(errno));
		if (pd_http_lfd >= 0)
			close(pd_http_lfd);
		pd_http_lfd = -1;
		return -1;
	}
	pd_http_v6 = v6;
	if (v6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr,
		    host, sizeof(host));
	else
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host,
		    sizeof(host));
	snprintf(pd_http_host, sizeof(pd_http_host), "%s%s%s:%u",
	    v6 ? "[" : "", host, v6 ? "]" : "", (unsigned)ntohs(v6 ?
	    ((struct sockaddr_in6 *)&ss)->sin6_port :
	    ((struct sockaddr_in *)&ss)->sin_port));
	snprintf(pd_http_origin, sizeof(pd_http_origin), "http://%s",
	    pd_http_host);
	return 0;
}

/* After daemon(): the server, a thread per connection (a live view
 * waits in its own), at most PD_CONSOLE_CONNS of them. */
int
pd_http_start(char *err, size_t errlen)
{
	if (pd_http_lfd < 0)
		return 0;
	pd_mhd = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
	    (pd_http_v6 ? MHD_USE_IPv6 : 0), 0, NULL, NULL, pd_http_handler,
	    NULL,
	    MHD_OPTION_LISTEN_SOCKET, pd_http_lfd,
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned)PD_CONSOLE_CONNS,
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)10,
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768,
	    MHD_OPTION_THREAD_STACK_SIZE, (size_t)(256 * 1024),
	    MHD_OPTION_NOTIFY_COMPLETED, pd_http_done, NULL,
	    MHD_OPTION_END);
	if (pd_mhd == NULL) {
		snprintf(err, errlen, "cannot start the HTTP server");
		return -1;
	}
	if (pd.cfg.metrics != NULL)
		pd_log(LOG_NOTICE, "metrics on %s/metrics", pd_http_origin);
	return 0;
}

void
pd_http_stop(void)
{
	if (pd_mhd != NULL) {
		pd_console_shutdown();	/* live views end */
		MHD_stop_daemon(pd_mhd);
		pd_console_free();
		pd_mhd = NULL;
		pd_http_lfd = -1;	/* closed with it */
	}
	if (pd_http_lfd >= 0)
		close(pd_http_lfd);
	pd_http_lfd = -1;
}
