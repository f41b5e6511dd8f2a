/* policyd.h: policyd's shared state: configuration, connected peers, the alarm queue,
 * counters, and the functions each of its files provides. */
#ifndef _POLICYD_H_
#define _POLICYD_H_

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "policy_msg.h"

/* Bounds: nothing a peer does grows policyd without limit. */
#define PD_CLIENTS_MAX		1024	/* connected peers */
#define PD_PENDING_MAX		4096	/* distinct alarms, all users */
#define PD_PENDING_UID_DEF	256	/* distinct alarms per user (-q) */
#define PD_WAITERS_MAX		4096	/* calls coalesced into one alarm */
#define PD_CONN_WAITERS_MAX	4096	/* calls one connection waits for */
#define PD_BURST		64	/* records read per peer per turn */
#define PD_TIMEOUT_DEF_MS	60000

struct pd_config {
	char		sock[108];
	mode_t		sock_mode;
	int		foreground;
	unsigned	timeout_ms;
	unsigned	pending_uid;
	const char	*json_path;
	int		syslog;
	const char	*metrics;	/* ADDR:PORT or NULL */
	const char	*console;	/* ADDR:PORT or NULL */
	const char	*review[16];	/* --review FILE (PD_REVIEW_FILES) */
	size_t		nreview;
	uid_t		console_uid;	/* whose alarms it answers */
	gid_t		console_gid;
	int		verbose;
};

/* A connected peer, authenticated by SO_PEERCRED when it connected. */
struct pd_client {
	int		fd;		/* -1: slot free */
	pid_t		pid;
	uid_t		uid;
	gid_t		gid;
	uint64_t	serial;		/* never reused */
	unsigned	waiting;	/* its calls held in alarms */
	bool		dead;		/* close at the end of this turn */
	bool		parked;		/* a NEXT waits for an alarm */
	uint64_t	park_after;
	uint64_t	park_until_ms;
};

/* A call blocked on an alarm: who to send the verdict to. */
struct pd_waiter {
	struct pd_client *w_client;
	uint64_t	w_serial;	/* w_client's, to detect reuse */
	uint64_t	w_id;		/* the supervisor's pa_id */
};

struct pd_alarm {
	struct pd_alarm	*a_prev, *a_next;	/* by id */
	uint64_t	a_id;
	uint64_t	a_hash;		/* of what makes alarms identical */
	uid_t		a_owner;	/* the confined process's user */
	uid_t		a_raiser;	/* the supervisor's user and group */
	gid_t		a_raiser_gid;
	uint64_t	a_created_ms;
	uint64_t	a_deadline_ms;
	struct pd_waiter *a_w;
	size_t		a_nw, a_capw;
	struct policy_msg_alarm a_msg;
};

struct pd_state {
	struct pd_config cfg;
	uint64_t	start_ms;
	int		lfd;		/* listening socket */
	uint64_t	accept_pause_until;	/* out of fds: stop accepting */
	struct pd_client clients[PD_CLIENTS_MAX];
	uint64_t	next_serial;
	struct pd_alarm	*head, *tail;
	size_t		npending;
	uint64_t	next_id;
	/* everything above and the alarm queue: held by the event loop
	 * except while it waits, and by the HTTP server's console requests */
	pthread_mutex_t	lock;
	/* counters: written by the main thread, read by the metrics one */
	pthread_mutex_t	stats_lock;
	struct policy_msg_stats stats;
};

extern struct pd_state pd;

/* policyd.c */
uint64_t pd_now_ms(void);
void	pd_log(int prio, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* policyd_client.c: peers */
void	pd_accept(void);
void	pd_client_input(struct pd_client *);
void	pd_client_close(struct pd_client *);
int	pd_send(struct pd_client *, unsigned type, const void *, size_t);
void	pd_result(struct pd_client *, unsigned status, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
void	pd_wake_parked(void);
void	pd_park_expire(uint64_t now);
uint64_t pd_park_next(void);

/* policyd_auth.c: who may do what */
int	pd_process_uid(pid_t, uid_t *);
bool	pd_may_raise(const struct pd_client *, const struct policy_msg_alarm *,
	    uid_t *owner, char *why, size_t);
bool	pd_may_see(const struct pd_client *, const struct pd_alarm *);

/* policyd_alarm.c: the queue */
void	pd_alarm_raise(struct pd_client *, const struct policy_msg_alarm *);
void	pd_alarm_answer(struct pd_client *, const struct policy_answer *);
unsigned pd_alarm_answer_as(struct pd_client *, const struct policy_answer *,
	    const char *rule, char *text, size_t);
void	pd_alarm_next(struct pd_client *, uint64_t after, bool park);
void	pd_alarm_expire(uint64_t now);
uint64_t pd_alarm_next_deadline(void);
void	pd_alarm_forget_client(struct pd_client *);
void	pd_alarm_shutdown(void);
struct pd_alarm *pd_alarm_find(uint64_t id);
struct pd_alarm *pd_alarm_visible(const struct pd_client *, uint64_t after,
	    uint32_t *count);
void	pd_pending_send(struct pd_client *, const struct pd_alarm *,
	    uint32_t npending);

/* policyd_persist.c: "always" answers written as the raising user */
int	pd_persist(const struct pd_alarm *, const struct policy_answer *,
	    const char *rule, uid_t answerer, char *where, size_t wcap, char *err, size_t errlen);

/* policyd_log.c: the decision log */
int	pd_log_open(void);
void	pd_log_reopen(void);
void	pd_log_decision(const struct pd_client *,
	    const struct policy_msg_decision *);
void	pd_log_close(void);

/* policyd_metrics.c: counters, `policyctl stats`, Prometheus */
void	pd_count_tally(const struct policy_msg_tally *);
#define PD_COUNT(field, n) do {					\
	pthread_mutex_lock(&pd.stats_lock);				\
	pd.stats.field += (n);						\
	pthread_mutex_unlock(&pd.stats_lock);				\
} while (0)
void	pd_stats_snapshot(struct policy_msg_stats *);
char	*pd_metrics_text(size_t *lenp);

/* policyd_http.c: the one libmicrohttpd server (metrics and console);
 * its console requests run holding pd.lock, as the event loop does
 * except while it waits in poll */
struct MHD_Connection;
int	pd_http_bind(char *err, size_t errlen);
int	pd_http_start(char *err, size_t errlen);
void	pd_http_stop(void);
int	pd_http_reply(struct MHD_Connection *, unsigned code,
	    const char *type, const void *body, size_t len, bool copy);
extern char pd_http_origin[96];		/* "http://127.0.0.1:PORT" */
extern char pd_http_host[80];		/* "127.0.0.1:PORT" */

/* policyd_buf.c: text with a ceiling (max bytes); failed once it is hit */
struct pd_buf {
	char	*b;
	size_t	n, cap, max;
	bool	failed;
};
void	pd_buf_printf(struct pd_buf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	pd_buf_add(struct pd_buf *, const void *, size_t);
void	pd_buf_json(struct pd_buf *, const char *);
void	pd_buf_free(struct pd_buf *);

/* the console's files (usr.sbin/policyd/console), built in */
struct pd_asset {
	const char	*path;		/* "/" for index.html */
	const char	*type;
	const unsigned char *data;
	size_t		len;
};
extern const struct pd_asset pd_console_assets[];

/* policyd_console*.c: the web console (--console) */
#define PD_CONSOLE_CONNS	32	/* HTTP connections, all kinds */
#define PD_CONSOLE_SUBS		8	/* live views (server-sent events) */
#define PD_CONSOLE_BODY_MAX	4096	/* a request's body */
#define PD_CONSOLE_ALARMS_MAX	50	/* alarms per live update */
#define PD_CONSOLE_RING		256	/* recent decisions kept */
#define PD_CONSOLE_FILES	32	/* policy files shown */
#define PD_CONSOLE_FILE_MAX	(256 * 1024)	/* each */
int	pd_console_token_init(const char *sock, char *err, size_t errlen);
void	pd_console_token_remove(void);
const char *pd_console_token(void);
const char *pd_console_cookie_name(void);
bool	pd_console_token_ok(const char *, size_t);
bool	pd_console_authorized(struct MHD_Connection *, bool post,
	    unsigned *code, const char **why);
int	pd_console_handle(struct MHD_Connection *, const char *url,
	    const char *method, const char *body, size_t len);
void	pd_console_changed(void);
void	pd_console_decision(const struct pd_client *,
	    const struct policy_msg_decision *, const char *json);
int	pd_console_events(struct MHD_Connection *);
void	pd_console_shutdown(void);
void	pd_console_free(void);
struct pd_client *pd_console_client(void);	/* the console's identity */
void	pd_console_alarms_json(struct pd_buf *, size_t max_alarms);
void	pd_console_decisions_json(struct pd_buf *, uint64_t after);
void	pd_console_policies_json(struct pd_buf *);
void	pd_console_policy_seen(const struct pd_alarm *);
void	pd_console_policy_count(const struct policy_msg_decision *,
	    uint64_t serial);	/* of the reporting peer */
void	pd_console_policy_changed(const char *path);	/* policyd wrote it */
void	pd_console_policies_free(void);
bool	pd_form_get(const char *body, const char *key, char *out, size_t cap);

/* policyd_console_review.c: learned policies reviewed in the console (--review) */
#define PD_REVIEW_FILES		16	/* --review files */
#define PD_REVIEW_BODY_MAX	(64 * 1024)	/* a /api/review/ request's body */
int	pd_review_add(const char *path, char *err, size_t errlen);
void	pd_review_free(void);
void	pd_review_json(struct pd_buf *);
int	pd_review_check_rule(const char *rule, char *err, size_t errlen);
void	pd_review_check(const char *body, struct pd_buf *, unsigned *code);
void	pd_review_save(const char *body, struct pd_buf *, unsigned *code);

#endif /* !_POLICYD_H_ */
