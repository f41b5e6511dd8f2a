/* policyd_console.c: the web console's requests: login (token to cookie), its pages, the
 * alarms, decisions and policies as JSON, the rule an answer would write, and answers (POST). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <microhttpd.h>

#include "policyd.h"
#include "policy_interactive.h"

#define PD_JSON_MAX	(8u * 1024 * 1024)

/* Every console page: no framing, no other origin's scripts, no cache. */
static void
pd_console_headers(struct MHD_Response *r, const char *type)
{
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Content-Security-Policy",
	    "default-src 'self'; frame-ancestors 'none'; form-action 'self'");
}

static int
pd_console_send(struct MHD_Connection *conn, unsigned code, const char *type,
    const void *body, size_t len, bool copy)
{
	struct MHD_Response *r;
	int ret;

	r = MHD_create_response_from_buffer(len, (void *)(uintptr_t)body,
	    copy ? MHD_RESPMEM_MUST_COPY : MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	pd_console_headers(r, type);
	ret = MHD_queue_response(conn, code, r);
	MHD_destroy_response(r);
	return ret;
}

static int
pd_console_text(struct MHD_Connection *conn, unsigned code, const char *msg)
{
	return pd_console_send(conn, code, "text/plain; charset=utf-8", msg,
	    strlen(msg), true);
}

static int
pd_console_buf(struct MHD_Connection *conn, unsigned code, struct pd_buf *b)
{
	int ret;

	if (b->failed || b->b == NULL) {
		pd_buf_free(b);
		return pd_console_text(conn, MHD_HTTP_INTERNAL_SERVER_ERROR,
		    "too large or out of memory\n");
	}
	ret = pd_console_send(conn, code, "application/json", b->b, b->n, true);
	pd_buf_free(b);
	return ret;
}

/* GET /login?token=T: the token becomes a cookie for this console only. */
static int
pd_console_login(struct MHD_Connection *conn)
{
	const char *t = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND,
	    "token");
	struct MHD_Response *r;
	char cookie[200];
	int ret;

	if (t == NULL || !pd_console_token_ok(t, strlen(t))) {
		PD_COUNT(ms_peers_refused, 1);
		return pd_console_text(conn, MHD_HTTP_UNAUTHORIZED,
		    "refused: wrong token\n");
	}
	r = MHD_create_response_from_buffer(0, (void *)(uintptr_t)"",
	    MHD_RESPMEM_PERSISTENT);
	if (r == NULL)
		return MHD_NO;
	pd_console_headers(r, "text/plain");
	snprintf(cookie, sizeof(cookie), "%s=%s; Path=/; HttpOnly; "
	    "SameSite=Strict", pd_console_cookie_name(), pd_console_token());
	MHD_add_response_header(r, MHD_HTTP_HEADER_SET_COOKIE, cookie);
	MHD_add_response_header(r, MHD_HTTP_HEADER_LOCATION, "/");
	ret = MHD_queue_response(conn, MHD_HTTP_SEE_OTHER, r);
	MHD_destroy_response(r);
	return ret;
}

/* The value of key in an application/x-www-form-urlencoded body. */
bool
pd_form_get(const char *body, const char *key, char *out, size_t cap)
{
	size_t kl = strlen(key);
	const char *p = body;

	while (p != NULL && *p != '\0') {
		const char *end = strchr(p, '&');
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p), j = 0, i;

		if (n > kl && strncmp(p, key, kl) == 0 && p[kl] == '=') {
			for (i = kl + 1; i < n && j + 1 < cap; i++) {
				unsigned v;

				if (p[i] == '+')
					out[j++] = ' ';
				else if (p[i] == '%' && i + 2 < n &&
				    isxdigit((unsigned char)p[i + 1]) &&
				    isxdigit((unsigned char)p[i + 2]) &&
				    sscanf(p + i + 1, "%2x", &v) == 1 && v != 0) {
					out[j++] = (char)v;
					i += 2;
				} else
					out[j++] = p[i];
			}
			out[j] = '\0';
			return i >= n;		/* false if cut short */
		}
		p = end != NULL ? end + 1 : NULL;
	}
	out[0] = '\0';
	return false;
}

/* An answer's fields, from the form or the query: 0, or -1 with err. */
struct pd_ans {
	struct policy_answer a;
	unsigned	how;
	char		pattern[POLICY_PATH_MAX];
};

static int
pd_console_parse(const char *(*get)(void *, const char *, char *, size_t),
    void *ctx, struct pd_ans *x, const char **err)
{
	char v[64], *end;
	const char *s;
	int64_t e;

	memset(x, 0, sizeof(*x));
	if ((s = get(ctx, "id", v, sizeof(v))) == NULL ||
	    (x->a.pa_id = strtoull(s, &end, 10)) == 0 || *end != '\0') {
		*err = "id: the alarm's number is needed";
		return -1;
	}
	s = get(ctx, "action", v, sizeof(v));
	if (s != NULL && strcmp(s, "permit") == 0)
		x->a.pa_action = POLICY_ACT_PERMIT;
	else if (s != NULL && strcmp(s, "deny") == 0)
		x->a.pa_action = POLICY_ACT_DENY;
	else {
		*err = "action: permit or deny";
		return -1;
	}
	s = get(ctx, "scope", v, sizeof(v));
	if (s == NULL || strcmp(s, "once") == 0)
		x->a.pa_scope = POLICY_ANSWER_ONCE;
	else if (strcmp(s, "always") == 0)
		x->a.pa_scope = POLICY_ANSWER_ALWAYS;
	else {
		*err = "scope: once or always";
		return -1;
	}
	if ((s = get(ctx, "errno", v, sizeof(v))) != NULL && s[0] != '\0') {
		if (x->a.pa_action != POLICY_ACT_DENY ||
		    !policy_name_lookup(policy_errno_names + 1, s, strlen(s), &e)) {
			*err = "errno: a name such as EACCES, with deny";
			return -1;
		}
		x->a.pa_errno = (uint16_t)policy_errno_portable((int)e);
	}
	s = get(ctx, "widen", v, sizeof(v));
	if (s == NULL || strcmp(s, "exact") == 0)
		x->how = POLICY_WIDEN_EXACT;
	else if (strcmp(s, "dir") == 0)
		x->how = POLICY_WIDEN_DIR;
	else if (strcmp(s, "match") == 0)
		x->how = POLICY_WIDEN_MATCH;
	else {
		*err = "widen: exact, dir or match";
		return -1;
	}
	if ((s = get(ctx, "pattern", x->pattern, sizeof(x->pattern))) != NULL &&
	    s != x->pattern)
		snprintf(x->pattern, sizeof(x->pattern), "%s", s);
	return 0;
}

static const char *
pd_get_form(void *ctx, const char *key, char *buf, size_t cap)
{
	return pd_form_get(ctx, key, buf, cap) ? buf : NULL;
}

static const char *
pd_get_query(void *ctx, const char *key, char *buf, size_t cap)
{
	return MHD_lookup_connection_value(ctx, MHD_GET_ARGUMENT_KIND, key);
}

/* The rule answer x would write, checked; NULL for the exact one, which
 * the prompt's path makes itself.  -1 with err when it does not check. */
static int
pd_console_rule(const struct pd_alarm *a, const struct pd_ans *x, char *rule,
    size_t cap, char *err, size_t errlen)
{
	unsigned perrno = x->a.pa_action == POLICY_ACT_DENY ? (x->a.pa_errno ?
	    x->a.pa_errno : a->a_msg.ma_errno) : 0;

	return policy_widen_rule(&a->a_msg.ma_alarm.pa_req, x->a.pa_action,
	    perrno, x->how, x->pattern, rule, cap, err, errlen);
}

/* GET /api/rule?id=&action=&errno=&widen=&pattern=: what "always" writes. */
static int
pd_console_preview(struct MHD_Connection *conn)
{
	static char rule[POLICY_PATH_MAX * 3 + 256];
	struct pd_buf b = { .max = PD_JSON_MAX };
	struct pd_alarm *a;
	struct pd_ans x;
	const char *perr;
	char err[300];

	if (pd_console_parse(pd_get_query, conn, &x, &perr) != 0)
		return pd_console_text(conn, MHD_HTTP_BAD_REQUEST, perr);
	if ((a = pd_alarm_find(x.a.pa_id)) == NULL)
		return pd_console_text(conn, MHD_HTTP_NOT_FOUND,
		    "that alarm is not pending\n");
	if (!pd_may_see(pd_console_client(), a))
		return pd_console_text(conn, MHD_HTTP_FORBIDDEN,
		    "that alarm is not yours\n");
	if (pd_console_rule(a, &x, rule, sizeof(rule), err, sizeof(err)) != 0) {
		pd_buf_printf(&b, "{\"ok\":false,\"error\":");
		pd_buf_json(&b, err);
	} else {
		pd_buf_printf(&b, "{\"ok\":true,\"rule\":");
		pd_buf_json(&b, rule);
	}
	pd_buf_printf(&b, ",\"file\":");
	pd_buf_json(&b, a->a_msg.ma_path);
	pd_buf_printf(&b, ",\"writable\":%s}",
	    (a->a_msg.ma_flags & POLICY_ALARM_PERSIST) ? "true" : "false");
	return pd_console_buf(conn, MHD_HTTP_OK, &b);
}

/* POST /api/answer: the answer goes the way `policyctl answer`'s does. */
static int
pd_console_answer(struct MHD_Connection *conn, const char *body)
{
	static const char *const st[POLICY_RES_COUNT] = {
		"ok", "notfound", "denied", "invalid", "persist"
	};
	static char rule[POLICY_PATH_MAX * 3 + 256];
	struct pd_buf b = { .max = PD_JSON_MAX };
	struct pd_alarm *a;
	struct pd_ans x;
	const char *perr, *use = NULL;
	char err[300], text[256];
	unsigned status, code;

	if (pd_console_parse(pd_get_form, (void *)(uintptr_t)body, &x,
	    &perr) != 0)
		return pd_console_text(conn, MHD_HTTP_BAD_REQUEST, perr);
	a = pd_alarm_find(x.a.pa_id);
	if (a != NULL && pd_may_see(pd_console_client(), a) &&
	    x.a.pa_scope == POLICY_ANSWER_ALWAYS && x.how != POLICY_WIDEN_EXACT) {
		if (pd_console_rule(a, &x, rule, sizeof(rule), err,
		    sizeof(err)) != 0) {
			pd_buf_printf(&b, "{\"status\":\"invalid\",\"text\":");
			pd_buf_json(&b, err);
			pd_buf_printf(&b, "}");
			return pd_console_buf(conn, 422 /* unprocessable */,
			    &b);
		}
		use = rule;
	}
	status = pd_alarm_answer_as(pd_console_client(), &x.a, use, text,
	    sizeof(text));
	code = status == POLICY_RES_OK || status == POLICY_RES_PERSIST ?
	    MHD_HTTP_OK : status == POLICY_RES_NOTFOUND ? MHD_HTTP_NOT_FOUND :
	    status == POLICY_RES_DENIED ? MHD_HTTP_FORBIDDEN :
	    MHD_HTTP_BAD_REQUEST;
	pd_buf_printf(&b, "{\"status\":\"%s\",\"text\":",
	    status < POLICY_RES_COUNT ? st[status] : "?");
	pd_buf_json(&b, text);
	pd_buf_printf(&b, "}");
	return pd_console_buf(conn, code, &b);
}

int
pd_console_handle(struct MHD_Connection *conn, const char *url,
    const char *method, const char *body, size_t len)
{
	bool get = strcmp(method, MHD_HTTP_METHOD_GET) == 0 ||
	    strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
	bool post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
	struct pd_buf b = { .max = PD_JSON_MAX };
	const struct pd_asset *as;
	const char *why;
	unsigned code;

	if (!get && !post)
		return pd_console_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "GET or POST\n");
	if (strcmp(url, "/login") == 0) {
		/* the Host and Origin checks hold here too */
		if (!pd_console_authorized(conn, false, &code, &why) &&
		    code == MHD_HTTP_FORBIDDEN) {
			PD_COUNT(ms_peers_refused, 1);
			return pd_console_text(conn, code, why);
		}
		return get ? pd_console_login(conn) : pd_console_text(conn,
		    MHD_HTTP_METHOD_NOT_ALLOWED, "GET /login?token=TOKEN\n");
	}
	if (!pd_console_authorized(conn, post, &code, &why)) {
		PD_COUNT(ms_peers_refused, 1);
		return pd_console_text(conn, code, why);
	}
	if (strcmp(url, "/api/answer") == 0) {
		if (!post)
			return pd_console_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
			    "answers are POSTed\n");
		return pd_console_answer(conn, body);
	}
	if (strcmp(url, "/api/review/save") == 0 ||
	    strcmp(url, "/api/review/check") == 0) {
		if (!post)
			return pd_console_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
			    "reviewed rules are POSTed\n");
		if (url[12] == 's')
			pd_review_save(body, &b, &code);
		else
			pd_review_check(body, &b, &code);
		return pd_console_buf(conn, code, &b);
	}
	if (post)
		return pd_console_text(conn, MHD_HTTP_METHOD_NOT_ALLOWED,
		    "only /api/answer and /api/review/ take a POST\n");
	if (strcmp(url, "/api/review") == 0) {
		pd_review_json(&b);
		return pd_console_buf(conn, MHD_HTTP_OK, &b);
	}
	if (strcmp(url, "/api/events") == 0)
		return pd_console_events(conn);
	if (strcmp(url, "/api/alarms") == 0) {
		pd_console_alarms_json(&b, PD_CONSOLE_ALARMS_MAX);
		return pd_console_buf(conn, MHD_HTTP_OK, &b);
	}
	if (strcmp(url, "/api/decisions") == 0) {
		const char *after = MHD_lookup_connection_value(conn,
		    MHD_GET_ARGUMENT_KIND, "after");

		pd_console_decisions_json(&b, after != NULL ?
		    strtoull(after, NULL, 10) : 0);
		return pd_console_buf(conn, MHD_HTTP_OK, &b);
	}
	if (strcmp(url, "/api/policies") == 0) {
		pd_console_policies_json(&b);
		return pd_console_buf(conn, MHD_HTTP_OK, &b);
	}
	if (strcmp(url, "/api/rule") == 0)
		return pd_console_preview(conn);
	for (as = pd_console_assets; as->path != NULL; as++)
		if (strcmp(url, as->path) == 0)
			return pd_console_send(conn, MHD_HTTP_OK, as->type,
			    as->data, as->len, false);
	return pd_console_text(conn, MHD_HTTP_NOT_FOUND, "not found\n");
}
