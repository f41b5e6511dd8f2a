/* policy_linux_task.c: what the supervisor knows per confined thread: its ptrace state,
 * the policy it runs under, its cached credentials, pidfd and cwd; kept by thread id. */
/*
 * Entries are made when a task is first seen (its creator's fork/clone
 * event or its own first stop) and removed when it is reaped, so a thread
 * id reused later starts afresh.  Entries are made and removed by the
 * tracer (serve.c); the receiver and handlers running on other threads
 * (calls that ask) read and update them, hence the lock.  Cached pidfds
 * and cwds are used by the two serving threads only (the receiver and the
 * tracer), each for the calls it handles, so never for one thread's call
 * on both at once; the tracer closes them when it reaps a task or sees its
 * exec, holding the reap gate (notify.c) that the receiver holds while it
 * handles a call.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "policy_linux.h"

#ifndef PIDFD_THREAD
#define PIDFD_THREAD	O_EXCL
#endif

struct policy_linux_task {
	pid_t		t_tid;		/* 0: free slot */
	uint8_t		t_seen;		/* stopped at least once */
	uint8_t		t_held;		/* first stop came before its creator's
					 * event: kept stopped until then */
	uint8_t		t_haspol;
	uint8_t		t_flags;	/* POLICY_LINUX_T_* */
	uint16_t	t_pol;
	pid_t		t_tgid;
	pid_t		t_ppid;		/* held: its parent, the creator */
	int		t_pidfd;	/* -1: none yet */
	int		t_cwdfd;	/* O_PATH of its cwd; -1: none */
	uint64_t	t_cwdgen;	/* cwd_gen when t_cwdfd was opened */
	uint8_t		t_cwdbusy;	/* made a chdir/fchdir not known done */
	struct policy_linux_cred *t_cred;	/* NULL: not cached */
};

/*
 * Working directories, cached (serving threads only).  No interface
 * tells another process's cwd cheaply, so an O_PATH descriptor of
 * /proc/TID/cwd is kept per thread and used while nothing can have
 * changed it.  A confined thread changes its cwd, or that of the threads
 * and processes sharing its fs_struct, only by chdir or fchdir (chroot,
 * pivot_root, setns and new mount namespaces are refused by the filter),
 * and only when the filter notifies both: fchdir always is, chdir unless
 * every policy lets it through by name (then no cwd is cached).  Such a
 * call changes the cwd after it is received and before its thread makes
 * another call, so from its receipt (policy_linux_task_cwd_call) until
 * that thread's next notification or exit, no cached cwd is used or
 * stored; at its end every cached cwd is dropped (cwd_gen).
 */
static int cwd_on;		/* chdir is notified: caching is exact */
static uint64_t cwd_gen = 1;	/* bumped when any cwd may have changed */
static unsigned cwd_busy;	/* threads with t_cwdbusy set */

static struct {
	struct policy_linux_task *t;
	size_t		cap, n, nheld;
} tasks;

static pthread_mutex_t task_lock = PTHREAD_MUTEX_INITIALIZER;

static size_t
task_slot(pid_t tid)
{
	size_t i = ((size_t)tid * 2654435761u) & (tasks.cap - 1);

	while (tasks.t[i].t_tid != 0 && tasks.t[i].t_tid != tid)
		i = (i + 1) & (tasks.cap - 1);
	return i;
}

static struct policy_linux_task *
task_find(pid_t tid)
{
	size_t i;

	if (tasks.cap == 0 || tid <= 0)
		return NULL;
	i = task_slot(tid);
	return tasks.t[i].t_tid == tid ? &tasks.t[i] : NULL;
}

static struct policy_linux_task *
task_get(pid_t tid)
{
	struct policy_linux_task *t;
	size_t i;

	if ((t = task_find(tid)) != NULL)
		return t;
	if ((tasks.n + 1) * 2 > tasks.cap) {
		struct policy_linux_task *old = tasks.t;
		size_t ocap = tasks.cap, ncap = ocap ? ocap * 2 : 64;

		if ((tasks.t = calloc(ncap, sizeof(*tasks.t))) == NULL) {
			tasks.t = old;
			return NULL;
		}
		tasks.cap = ncap;
		for (i = 0; i < ocap; i++)
			if (old[i].t_tid != 0)
				tasks.t[task_slot(old[i].t_tid)] = old[i];
		free(old);
	}
	t = &tasks.t[task_slot(tid)];
	memset(t, 0, sizeof(*t));
	t->t_tid = tid;
	t->t_pidfd = -1;
	t->t_cwdfd = -1;
	tasks.n++;
	return t;
}

static void
task_clear(struct policy_linux_task *t)
{
	if (t->t_pidfd >= 0)
		close(t->t_pidfd);
	if (t->t_cwdfd >= 0)
		close(t->t_cwdfd);
	if (t->t_cwdbusy) {
		cwd_busy--;
		cwd_gen++;
	}
	free(t->t_cred);
	if (t->t_held)
		tasks.nheld--;
}

/* Remove by shifting the entries after it back (no tombstones). */
void
policy_linux_task_del(pid_t tid)
{
	struct policy_linux_task *t;
	size_t i, j;

	pthread_mutex_lock(&task_lock);
	if ((t = task_find(tid)) == NULL) {
		pthread_mutex_unlock(&task_lock);
		return;
	}
	task_clear(t);
	i = (size_t)(t - tasks.t);
	tasks.t[i].t_tid = 0;
	tasks.n--;
	for (j = (i + 1) & (tasks.cap - 1); tasks.t[j].t_tid != 0;
	    j = (j + 1) & (tasks.cap - 1)) {
		struct policy_linux_task e = tasks.t[j];

		tasks.t[j].t_tid = 0;
		tasks.t[task_slot(e.t_tid)] = e;
	}
	pthread_mutex_unlock(&task_lock);
}

void
policy_linux_tasks_reset(void)
{
	size_t i;

	pthread_mutex_lock(&task_lock);
	for (i = 0; i < tasks.cap; i++)
		if (tasks.t[i].t_tid != 0)
			task_clear(&tasks.t[i]);
	free(tasks.t);
	tasks.t = NULL;
	tasks.cap = tasks.n = tasks.nheld = 0;
	pthread_mutex_unlock(&task_lock);
}

/*
 * A stop of tid that is not a fork/clone/exec event.  Returns
 * POLICY_LINUX_STOP_FIRST for its first stop when it may run (resume it),
 * POLICY_LINUX_STOP_HOLD for a first stop before its creator's event told
 * us its policy (leave it stopped: policy_linux_task_setpol releases it),
 * POLICY_LINUX_STOP_AGAIN for a later stop (a group-stop).
 */
int
policy_linux_task_stop(pid_t tid, int needpol)
{
	struct policy_linux_task *t;
	int r;

	pthread_mutex_lock(&task_lock);
	t = task_get(tid);
	if (t == NULL)
		r = POLICY_LINUX_STOP_FIRST;	/* out of memory: as before */
	else if (t->t_seen)
		r = POLICY_LINUX_STOP_AGAIN;
	else {
		t->t_seen = 1;
		r = POLICY_LINUX_STOP_FIRST;
		if (needpol && !t->t_haspol) {
			t->t_held = 1;
			tasks.nheld++;
			r = POLICY_LINUX_STOP_HOLD;
		}
	}
	pthread_mutex_unlock(&task_lock);
	return r;
}

/* Mark tid seen (a task known to be running, e.g. after an event). */
void
policy_linux_task_add(pid_t tid)
{
	struct policy_linux_task *t;

	pthread_mutex_lock(&task_lock);
	if ((t = task_get(tid)) != NULL)
		t->t_seen = 1;
	pthread_mutex_unlock(&task_lock);
}

/*
 * tid runs under policy pol from now on.  Returns true if tid was held at
 * its first stop waiting for this (the caller resumes it).
 */
bool
policy_linux_task_setpol(pid_t tid, unsigned pol)
{
	struct policy_linux_task *t;
	bool held = false;

	pthread_mutex_lock(&task_lock);
	if ((t = task_get(tid)) != NULL) {
		t->t_pol = (uint16_t)pol;
		t->t_haspol = 1;
		if (t->t_held) {
			t->t_held = 0;
			tasks.nheld--;
			held = true;
		}
	}
	pthread_mutex_unlock(&task_lock);
	return held;
}

unsigned
policy_linux_task_pol(pid_t tid)
{
	struct policy_linux_task *t;
	unsigned pol = 0;

	pthread_mutex_lock(&task_lock);
	if ((t = task_find(tid)) != NULL)
		pol = t->t_pol;
	pthread_mutex_unlock(&task_lock);
	return pol;
}

/* A held tid's creator is ppid (which will report it, or die).  False if
 * tid is no longer held (released meanwhile). */
bool
policy_linux_task_setppid(pid_t tid, pid_t ppid)
{
	struct policy_linux_task *t;
	bool r = false;

	pthread_mutex_lock(&task_lock);
	if ((t = task_find(tid)) != NULL && t->t_held) {
		t->t_ppid = ppid;
		r = true;
	}
	pthread_mutex_unlock(&task_lock);
	return r;
}

/* A task held for the event of creator, which exited without making it:
 * released from the table's hold (the caller kills it), or 0. */
pid_t
policy_linux_task_orphan(pid_t creator)
{
	pid_t r = 0;
	size_t i;

	pthread_mutex_lock(&task_lock);
	for (i = 0; tasks.nheld > 0 && i < tasks.cap; i++)
		if (tasks.t[i].t_tid != 0 && tasks.t[i].t_held &&
		    tasks.t[i].t_ppid == creator) {
			tasks.t[i].t_held = 0;
			tasks.nheld--;
			r = tasks.t[i].t_tid;
			break;
		}
	pthread_mutex_unlock(&task_lock);
	return r;
}

bool
policy_linux_task_known(pid_t tid)
{
	bool r;

	pthread_mutex_lock(&task_lock);
	r = task_find(tid) != NULL;
	pthread_mutex_unlock(&task_lock);
	return r;
}

/* tid's credentials changed or may have (set*id, capset, exec). */
void
policy_linux_task_cred_forget(pid_t tid)
{
	struct policy_linux_task *t;

	pthread_mutex_lock(&task_lock);
	if ((t = task_find(tid)) != NULL) {
		free(t->t_cred);
		t->t_cred = NULL;
	}
	pthread_mutex_unlock(&task_lock);
}

/* tid's credentials (and thread group), cached. */
int
policy_linux_task_cred(const struct policy_sup *s, pid_t tid,
    struct policy_linux_cred *cr, pid_t *tgidp)
{
	struct policy_linux_task *t;
	struct policy_linux_cred *n;
	pid_t tgid;
	int r;

	(void)s;
	pthread_mutex_lock(&task_lock);
	if ((t = task_find(tid)) != NULL && t->t_cred != NULL) {
		memcpy(cr, t->t_cred, sizeof(*cr));
		*tgidp = t->t_tgid;
		pthread_mutex_unlock(&task_lock);
		return 0;
	}
	pthread_mutex_unlock(&task_lock);
	if ((r = policy_linux_cred_read(tid, cr, &tgid)) != 0)
		return r;
	*tgidp = tgid;
	/*
	 * Cache it unless the entry changed meanwhile; the thread is blocked
	 * in the call we are handling, so what we read is current.
	 */
	if ((n = malloc(sizeof(*n))) == NULL)
		return 0;
	memcpy(n, cr, sizeof(*n));
	pthread_mutex_lock(&task_lock);
	if ((t = task_find(tid)) != NULL && t->t_cred == NULL) {
		t->t_cred = n;
		t->t_tgid = tgid;
		n = NULL;
	}
	pthread_mutex_unlock(&task_lock);
	free(n);
	return 0;
}

/* tid's POLICY_LINUX_T_* flags (0 for an unknown tid). */
unsigned
policy_linux_task_flags(pid_t tid)
{
	struct policy_linux_task *t;
	unsigned f = 0;

	pthread_mutex_lock(&task_lock);
	if ((t = task_find(tid)) != NULL)
		f = t->t_flags;
	pthread_mutex_unlock(&task_lock);
	return f;
}

/* Set then clear flags of tid (made known); returns the flags before. */
unsigned
policy_linux_task_setflags(pid_t tid, unsigned set, unsigned clear)
{
	struct policy_linux_task *t;
	unsigned f = 0;

	pthread_mutex_lock(&task_lock);
	if ((t = (set != 0 ? task_get(tid) : task_find(tid))) != NULL) {
		f = t->t_flags;
		t->t_flags = (uint8_t)((f | set) & ~clear);
		/* a task handed over: we may not see it exit (nor its thread
		 * id reused), so nothing is cached for it from now on */
		if ((set & POLICY_LINUX_T_FOREIGN) && t->t_cwdfd >= 0) {
			close(t->t_cwdfd);
			t->t_cwdfd = -1;
		}
	}
	pthread_mutex_unlock(&task_lock);
	return f;
}

/*
 * A pidfd for thread tid, kept until it is reaped (serving threads
 * only; others get -1 and open their own).  Borrowed: do not close.
 */
int
policy_linux_task_pidfd(pid_t tid)
{
	struct policy_linux_task *t;
	int fd = -1;

	if (!policy_linux_is_serve_thread())
		return -1;
	pthread_mutex_lock(&task_lock);
	if ((t = task_find(tid)) != NULL) {
		if (t->t_pidfd < 0) {
			t->t_pidfd = (int)syscall(SYS_pidfd_open, tid,
			    PIDFD_THREAD);
			if (t->t_pidfd < 0 && errno == EINVAL)
				t->t_pidfd = (int)syscall(SYS_pidfd_open, tid, 0);
		}
		fd = t->t_pidfd;
	}
	pthread_mutex_unlock(&task_lock);
	return fd;
}

/* Cache working directories in this run (the filter notifies chdir). */
void
policy_linux_task_cwd_enable(bool on)
{
	pthread_mutex_lock(&task_lock);
	cwd_on = on;
	pthread_mutex_unlock(&task_lock);
}

/*
 * Thread tid's call nr was received (by the receiver, before it is handled):
 * tid's previous call is over, and a chdir or fchdir may change cwds.
 */
void
policy_linux_task_cwd_call(pid_t tid, int nr)
{
	struct policy_linux_task *t;
	bool cd = nr == SYS_chdir || nr == SYS_fchdir;

	pthread_mutex_lock(&task_lock);
	if (cwd_on && (t = (cd ? task_get(tid) : task_find(tid))) != NULL) {
		if (t->t_cwdbusy) {
			t->t_cwdbusy = 0;
			cwd_busy--;
			cwd_gen++;	/* it is done: every cwd may differ */
		}
		if (cd) {
			t->t_cwdbusy = 1;
			cwd_busy++;
			cwd_gen++;
		}
	}
	pthread_mutex_unlock(&task_lock);
}

/* An exec: the thread that made it may have taken another's id. */
void
policy_linux_task_cwd_forget(pid_t tid)
{
	struct policy_linux_task *t;

	pthread_mutex_lock(&task_lock);
	if ((t = task_find(tid)) != NULL && t->t_cwdfd >= 0) {
		close(t->t_cwdfd);
		t->t_cwdfd = -1;
	}
	pthread_mutex_unlock(&task_lock);
}

/*
 * An O_PATH descriptor of thread tid's cwd, as opening /proc/TID/cwd now
 * would give: a cached one (*borrowed set: do not close it) where that is
 * exact (see cwd_on above), else a new one the caller closes.  -errno if
 * the thread is gone.  Opened as ourselves.
 */
int
policy_linux_task_cwd(pid_t tid, bool *borrowed)
{
	struct policy_linux_task *t = NULL;
	uint64_t gen;
	char buf[64];
	int fd, use;

	*borrowed = false;
	use = policy_linux_is_serve_thread();
	pthread_mutex_lock(&task_lock);
	use = use && cwd_on && cwd_busy == 0 && (t = task_find(tid)) != NULL &&
	    !(t->t_flags & POLICY_LINUX_T_FOREIGN);
	if (use && t->t_cwdfd >= 0 && t->t_cwdgen == cwd_gen) {
		fd = t->t_cwdfd;
		pthread_mutex_unlock(&task_lock);
		*borrowed = true;
		return fd;
	}
	gen = cwd_gen;
	pthread_mutex_unlock(&task_lock);
	policy_linux_as_self(NULL);
	snprintf(buf, sizeof(buf), "/proc/%d/cwd", (int)tid);
	if ((fd = open(buf, O_PATH | O_CLOEXEC)) < 0)
		return -ESRCH;
	if (!use)
		return fd;
	/* a chdir received since gen was read has moved cwd_gen, one not
	 * known done keeps cwd_busy set, and tid is blocked in the call
	 * being handled: still current */
	pthread_mutex_lock(&task_lock);
	if ((t = task_find(tid)) != NULL && gen == cwd_gen && cwd_busy == 0) {
		if (t->t_cwdfd >= 0)
			close(t->t_cwdfd);
		t->t_cwdfd = fd;
		t->t_cwdgen = gen;
		*borrowed = true;
	}
	pthread_mutex_unlock(&task_lock);
	return fd;
}
