/* policy_linux_worker.c: runs an operation that may block (a FIFO open, a blocking
 * connect or send) on its own thread, so one waiting target never stalls the others. */
/*
 * A signal must interrupt such a call as it would natively: EINTR for a
 * handler without SA_RESTART, the call made again with one.  The target
 * waits for our answer killably (SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV),
 * so the kernel will not interrupt it for us: a watcher thread looks at
 * the waiting caller's pending signals (/proc/TID/status) every few
 * milliseconds and, when one it does not block is there, answers the
 * call -ERESTARTSYS (the code the kernel's own interrupted waits return;
 * the signal code turns it into EINTR or a restart) and interrupts the
 * worker's own blocking call with a signal of ours (so too when the
 * caller is to be handed to a tracer).  Only opens and
 * connects are answered so: an interrupted open did nothing, and an
 * interrupted connect goes on in the background exactly as natively (it
 * is the target's own socket).  A send may have sent part of its data,
 * which a restart would send again: it is left to finish.  A job whose
 * caller is gone (killed) is interrupted too, so no thread waits for ever.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy_linux.h"

#define ERESTARTSYS_	512
#define WATCH_NS	10000000L	/* 10 ms */
#define SIGKICK		(SIGRTMIN + 4)	/* interrupts a worker's call */

struct policy_linux_job {
	void	(*j_fn)(void *);
	void	*j_arg;
	/* the call, when watched */
	const struct policy_sup *j_sup;
	uint64_t	j_id;
	pid_t		j_tid;
	int		j_watch;
	/* under watch_lock */
	pthread_t	j_thread;
	int		j_started;
	int		j_answered;	/* by the watcher */
	int		j_shared;	/* a shared signal was pending last time */
	struct policy_linux_job *j_next;
};

/* The call the dispatching thread is handling (serve.c sets it). */
static __thread const struct policy_linux_call *tl_call;

static pthread_mutex_t watch_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t watch_cond = PTHREAD_COND_INITIALIZER;
static struct policy_linux_job *watch_list;
static int watch_running;
static pthread_once_t kick_once = PTHREAD_ONCE_INIT;

void
policy_linux_worker_call(const struct policy_linux_call *c)
{
	tl_call = c;
}

static void
policy_linux_kick_handler(int sig)
{
	(void)sig;	/* only there to interrupt the call (no SA_RESTART) */
}

static void
policy_linux_kick_init(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = policy_linux_kick_handler;
	sigemptyset(&sa.sa_mask);
	(void)sigaction(SIGKICK, &sa, NULL);
}

static uint64_t
policy_linux_sigmask(const char *buf, const char *name)
{
	const char *p = policy_linux_field(buf, name);

	return p != NULL ? strtoull(p, NULL, 16) : 0;
}

/*
 * Has the caller a signal that would interrupt its call natively?  A
 * process-wide signal with several threads may be taken by another: then
 * only if it is still there one period later.  1: yes, 0: no, -1: gone.
 */
static int
policy_linux_job_signalled(struct policy_linux_job *j)
{
	/* ignored by default unless caught: CHLD, CONT, URG, WINCH */
	const uint64_t dflign = (1ull << (SIGCHLD - 1)) |
	    (1ull << (SIGCONT - 1)) | (1ull << (SIGURG - 1)) |
	    (1ull << (SIGWINCH - 1));
	char buf[4096];
	uint64_t mine, shd, want;
	const char *p;
	long threads;

	if (policy_linux_status(j->j_tid, buf, sizeof(buf)) == 0)
		return -1;
	/* to be handed to a tracer (serve.c): it must get to a stop, as a
	 * tracer's SIGSTOP would natively interrupt the call */
	if (policy_linux_task_flags(j->j_tid) & POLICY_LINUX_T_HANDOVER)
		return 1;
	want = ~policy_linux_sigmask(buf, "SigBlk:") &
	    ~policy_linux_sigmask(buf, "SigIgn:") &
	    (policy_linux_sigmask(buf, "SigCgt:") | ~dflign);
	mine = policy_linux_sigmask(buf, "SigPnd:") & want;
	shd = policy_linux_sigmask(buf, "ShdPnd:") & want;
	threads = (p = policy_linux_field(buf, "Threads:")) != NULL ?
	    strtol(p, NULL, 10) : 1;
	if (mine != 0 || (shd != 0 && (threads <= 1 || j->j_shared)))
		return 1;
	j->j_shared = shd != 0;
	return 0;
}

static void *
policy_linux_watch_main(void *arg)
{
	struct timespec ts = { 0, WATCH_NS };

	(void)arg;
	pthread_mutex_lock(&watch_lock);
	for (;;) {
		struct policy_linux_job *j;

		while (watch_list == NULL)
			pthread_cond_wait(&watch_cond, &watch_lock);
		for (j = watch_list; j != NULL; j = j->j_next) {
			int r;

			if (!j->j_started)
				continue;
			if (j->j_answered) {
				/* until it leaves its call */
				pthread_kill(j->j_thread, SIGKICK);
				continue;
			}
			r = policy_linux_job_signalled(j);
			if (r == 0 && policy_linux_valid(j->j_sup, j->j_id))
				continue;
			if (r > 0) {
				/* no conversion to a restart that ignores
				 * SA_RESTART (policy_linux_serve.c) */
				(void)policy_linux_task_setflags(j->j_tid,
				    POLICY_LINUX_T_RESTART, 0);
				policy_linux_reply(j->j_sup, j->j_id, 0,
				    ERESTARTSYS_);
			}
			j->j_answered = 1;
			pthread_kill(j->j_thread, SIGKICK);
		}
		pthread_mutex_unlock(&watch_lock);
		nanosleep(&ts, NULL);
		pthread_mutex_lock(&watch_lock);
	}
	return NULL;
}

static void
policy_linux_watch_del(struct policy_linux_job *j)
{
	struct policy_linux_job **pp;

	pthread_mutex_lock(&watch_lock);
	for (pp = &watch_list; *pp != NULL; pp = &(*pp)->j_next)
		if (*pp == j) {
			*pp = j->j_next;
			break;
		}
	pthread_mutex_unlock(&watch_lock);
}

static void *
policy_linux_job_main(void *arg)
{
	struct policy_linux_job *j = arg;

	if (j->j_watch) {
		sigset_t set;

		pthread_mutex_lock(&watch_lock);
		j->j_thread = pthread_self();
		j->j_started = 1;
		pthread_mutex_unlock(&watch_lock);
		sigemptyset(&set);
		sigaddset(&set, SIGKICK);
		pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	}
	j->j_fn(j->j_arg);
	if (j->j_watch) {
		sigset_t set;

		sigemptyset(&set);
		sigaddset(&set, SIGKICK);
		pthread_sigmask(SIG_BLOCK, &set, NULL);
		policy_linux_watch_del(j);
	}
	free(j);
	return NULL;
}

/*
 * Start fn(arg) on a detached thread; fn owns arg and answers the
 * notification.  Threads inherit the supervisor's blocked signal mask.
 * Never touches ptrace: only the main thread is the tracer.
 */
int
policy_linux_defer(void (*fn)(void *), void *arg)
{
	struct policy_linux_job *j = calloc(1, sizeof(*j));
	const struct policy_linux_call *c = tl_call;
	pthread_attr_t attr;
	pthread_t t;
	int r, op;

	if (j == NULL)
		return ENOMEM;
	j->j_fn = fn;
	j->j_arg = arg;
	if (c != NULL && ((op = policy_linux_syscall_op(c->c_nr)) ==
	    POLICY_OP_OPEN || op == POLICY_OP_CONNECT)) {
		j->j_sup = c->c_sup;
		j->j_id = c->c_id;
		j->j_tid = c->c_tid;
		j->j_watch = 1;
		pthread_once(&kick_once, policy_linux_kick_init);
	}
	/* a new thread inherits our credentials: start it with our own */
	policy_linux_as_self(NULL);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	if (j->j_watch) {
		pthread_mutex_lock(&watch_lock);
		if (!watch_running) {
			pthread_t w;

			if (pthread_create(&w, &attr, policy_linux_watch_main,
			    NULL) == 0)
				watch_running = 1;
			else
				j->j_watch = 0;
		}
		if (j->j_watch) {
			j->j_next = watch_list;
			watch_list = j;
			pthread_cond_signal(&watch_cond);
		}
		pthread_mutex_unlock(&watch_lock);
	}
	r = pthread_create(&t, &attr, policy_linux_job_main, j);
	pthread_attr_destroy(&attr);
	if (r != 0) {
		if (j->j_watch)
			policy_linux_watch_del(j);
		free(j);
	}
	return r;
}
