/* policy_linux_chdir.c: chdir carried out on the directory the policy decided on: the
 * supervisor installs it in the target and makes the target fchdir() to it (ptrace). */
/*
 * No interface changes another process's working directory, and letting
 * the kernel run chdir(path) after the decision would have it read the
 * path from the target's memory again, where another thread (or another
 * process sharing the page) may have changed it.  So chdir is done this
 * way instead, by the tracer thread (serve.c):
 *
 *   1. the notification is decided on the resolved directory, which the
 *      supervisor opens (read-only, with the target's credentials) and
 *      installs in the target (SECCOMP_IOCTL_NOTIF_ADDFD, close-on-exec);
 *   2. PTRACE_INTERRUPT, then the call is answered "0" without running
 *      it: the thread stops on its way back to user space, before it
 *      runs an instruction;
 *   3. at that stop its registers are saved and it is made to run
 *      fchdir(fd) and then close(fd) (its own system call instruction,
 *      executed again with our registers; seen at ptrace syscall stops),
 *      and its registers are restored with fchdir's result.
 *
 * The injected fchdir goes to the supervisor like every fchdir and is let
 * through without a policy decision (it is ours: that thread, that fd,
 * while we run it).  A directory the target may search but not read
 * cannot be opened for it (O_PATH descriptors cannot be installed), so
 * then the kernel runs the chdir and the thread is stopped after it: if
 * its working directory is not the one decided on, the process is killed.
 * A stop that does not fit the sequence kills the process too.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "policy_linux.h"

enum {
	INJ_QUEUED,		/* waiting for the tracer to start it */
	INJ_STOP,		/* interrupted, answered; wait for its stop */
	INJ_FCHDIR_ENTER,
	INJ_FCHDIR_EXIT,
	INJ_CLOSE_ENTER,
	INJ_CLOSE_EXIT,
	INJ_VERIFY		/* the kernel ran chdir: check where it went */
};

struct policy_linux_inj {
	struct policy_linux_inj *i_next;
	pid_t		i_tid;
	int		i_step;
	uint64_t	i_id;		/* the chdir notification */
	int		i_fd;		/* installed in the target, or -1 */
	dev_t		i_dev;		/* the directory decided on */
	ino_t		i_ino;
	long		i_result;	/* fchdir's */
	int		i_sig;		/* signal to deliver at the end */
	struct user_regs_struct i_regs;
};

static struct policy_linux_inj *injs;
static pthread_mutex_t inj_lock = PTHREAD_MUTEX_INITIALIZER;
static int inj_pipe[2] = { -1, -1 };	/* wakes the tracer */
static pthread_once_t inj_once = PTHREAD_ONCE_INIT;

static void
policy_linux_inj_pipe(void)
{
	if (pipe2(inj_pipe, O_CLOEXEC | O_NONBLOCK) != 0)
		inj_pipe[0] = inj_pipe[1] = -1;
}

/* The fd the tracer polls for queued injections (-1: none). */
int
policy_linux_chdir_pollfd(void)
{
	pthread_once(&inj_once, policy_linux_inj_pipe);
	return inj_pipe[0];
}

static struct policy_linux_inj *
policy_linux_inj_find(pid_t tid)
{
	struct policy_linux_inj *i;

	for (i = injs; i != NULL; i = i->i_next)
		if (i->i_tid == tid)
			return i;
	return NULL;
}

static void
policy_linux_inj_del(struct policy_linux_inj *x)
{
	struct policy_linux_inj **pp;

	for (pp = &injs; *pp != NULL; pp = &(*pp)->i_next)
		if (*pp == x) {
			*pp = x->i_next;
			free(x);
			return;
		}
}

static void
policy_linux_inj_kill(struct policy_sup *s, struct policy_linux_inj *x,
    const char *why)
{
	pid_t tgid = policy_linux_tgid(x->i_tid);

	fprintf(s->s_log, "policyctl: pid %d: chdir: %s; killed\n",
	    (int)x->i_tid, why);
	fflush(s->s_log);
	kill(tgid > 0 ? tgid : x->i_tid, SIGKILL);
	(void)ptrace(PTRACE_CONT, x->i_tid, 0, 0);
	policy_linux_inj_del(x);
}

/* Step 2 (tracer): interrupt, then answer.  Returns false on failure
 * (the call has then been answered with an error). */
static bool
policy_linux_inj_start(struct policy_sup *s, struct policy_linux_inj *x)
{
	if (ptrace(PTRACE_INTERRUPT, x->i_tid, 0, 0) != 0) {
		policy_linux_reply(s, x->i_id, 0, ESRCH);
		return false;
	}
	x->i_step = x->i_fd >= 0 ? INJ_STOP : INJ_VERIFY;
	if (x->i_fd >= 0)
		policy_linux_reply(s, x->i_id, 0, 0);
	else
		policy_linux_continue(s, x->i_id);
	return true;
}

/* Would the policy let the caller open the directory (c_req's filename)
 * for reading?  Asked silently: this is not the program's request. */
static bool
policy_linux_chdir_readable(const struct policy_linux_call *c)
{
	struct policy_request *req;
	struct policy_decision d;
	size_t len;
	/* the whole path (a long one: noted by the walk) */
	const char *path = policy_linux_req_path(c, POLICY_F_FILENAME, &len);
	const char *str[POLICY_F_NLONG] = { path, NULL, NULL };
	size_t slen[POLICY_F_NLONG] = { len, 0, 0 };
	bool r;

	if (path == NULL || (req = malloc(sizeof(*req))) == NULL)
		return false;
	memset(req, 0, sizeof(*req));
	req->pr_op = POLICY_OP_OPEN;
	req->pr_emul = POLICY_EMUL_NATIVE;
	policy_request_set_str(req, POLICY_F_FILENAME, path);
	policy_request_set_int(req, POLICY_F_FLAGS, policy_linux_oflags(
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC));
	policy_eval_long(c->c_pol != NULL ? c->c_pol : c->c_sup->s_pol, req,
	    str, slen, &d);
	r = d.pd_action == POLICY_ACT_PERMIT;
	free(req);
	return r;
}

/*
 * Step 1, from the chdir handler after a permit: dir is our O_PATH fd of
 * the directory decided on.  The handler has answered nothing yet; this
 * answers the call (now, or from the tracer).
 */
void
policy_linux_chdir_run(struct policy_linux_call *c, int dir,
    const struct stat *st)
{
	struct policy_sup *s = c->c_sup;
	struct policy_linux_inj *x;
	int fd, r;
	bool serve = policy_linux_is_tracer();

	if ((x = calloc(1, sizeof(*x))) == NULL) {
		policy_linux_reply(s, c->c_id, 0, ENOMEM);
		return;
	}
	x->i_tid = c->c_tid;
	x->i_id = c->c_id;
	x->i_dev = st->st_dev;
	x->i_ino = st->st_ino;
	x->i_fd = -1;
	/* The fd is in the target's hands for a moment: the target must be
	 * able to read the directory, and the policy must let it. */
	if ((r = policy_linux_as_target(c, 0)) != 0) {
		free(x);
		policy_linux_reply(s, c->c_id, 0, -r);
		return;
	}
	fd = policy_linux_chdir_readable(c) ? policy_linux_fdopen(dir,
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (fd >= 0) {
		struct seccomp_notif_addfd a;

		memset(&a, 0, sizeof(a));
		a.id = c->c_id;
		a.srcfd = (uint32_t)fd;
		a.newfd_flags = O_CLOEXEC;
		x->i_fd = ioctl(s->s_listener, SECCOMP_IOCTL_NOTIF_ADDFD, &a);
		close(fd);
		if (x->i_fd < 0) {
			r = errno;
			free(x);
			policy_linux_reply(s, c->c_id, 0, r == EMFILE ? EMFILE :
			    ESRCH);
			return;
		}
	}
	pthread_mutex_lock(&inj_lock);
	if (policy_linux_inj_find(c->c_tid) != NULL) {
		/* cannot happen: the thread is in this call */
		pthread_mutex_unlock(&inj_lock);
		free(x);
		policy_linux_reply(s, c->c_id, 0, EBUSY);
		return;
	}
	x->i_next = injs;
	injs = x;
	x->i_step = INJ_QUEUED;
	if (serve && !policy_linux_inj_start(s, x))
		policy_linux_inj_del(x);
	pthread_mutex_unlock(&inj_lock);
	if (!serve && policy_linux_chdir_pollfd() >= 0)
		(void)!write(inj_pipe[1], "c", 1);	/* tracer: start */
}

/* The tracer: start the injections queued by other threads. */
void
policy_linux_chdir_queued(struct policy_sup *s)
{
	struct policy_linux_inj *x, *next;
	char b[64];

	while (read(inj_pipe[0], b, sizeof(b)) > 0)
		;
	pthread_mutex_lock(&inj_lock);
	for (x = injs; x != NULL; x = next) {
		next = x->i_next;
		if (x->i_step == INJ_QUEUED && !policy_linux_inj_start(s, x))
			policy_linux_inj_del(x);
	}
	pthread_mutex_unlock(&inj_lock);
}

/* Is this fchdir (tid, fd) the one we are injecting? */
bool
policy_linux_chdir_ours(pid_t tid, int64_t fd)
{
	struct policy_linux_inj *x;
	bool r;

	pthread_mutex_lock(&inj_lock);
	x = policy_linux_inj_find(tid);
	/* between its syscall-entry stop and its exit stop */
	r = x != NULL && (x->i_step == INJ_FCHDIR_ENTER ||
	    x->i_step == INJ_FCHDIR_EXIT) && x->i_fd == fd;
	pthread_mutex_unlock(&inj_lock);
	return r;
}

/* Run system call nr(arg) in the stopped thread from its saved state. */
static bool
policy_linux_inj_call(struct policy_linux_inj *x, long nr, long arg)
{
	struct user_regs_struct r = x->i_regs;

	r.rax = (unsigned long long)nr;
	r.orig_rax = (unsigned long long)-1;	/* no restart logic */
	r.rdi = (unsigned long long)arg;
	r.rip -= 2;				/* its syscall instruction */
	return ptrace(PTRACE_SETREGS, x->i_tid, 0, &r) == 0 &&
	    ptrace(PTRACE_SYSCALL, x->i_tid, 0, 0) == 0;
}

/*
 * A ptrace stop (status st) of tid.  Returns true if it belonged to an
 * injection (and was handled), false if the caller handles it as usual.
 */
bool
policy_linux_chdir_stop(struct policy_sup *s, pid_t tid, int st)
{
	struct policy_linux_inj *x;
	struct user_regs_struct r;
	int sig = WSTOPSIG(st), ev = (unsigned)st >> 16;
	bool sysstop = sig == (SIGTRAP | 0x80);
	bool ok = true;

	pthread_mutex_lock(&inj_lock);
	if ((x = policy_linux_inj_find(tid)) == NULL ||
	    x->i_step == INJ_QUEUED) {
		pthread_mutex_unlock(&inj_lock);
		return false;
	}
	if (!sysstop && ev == 0) {
		/* a signal on its way in: held, and delivered once we are
		 * done (the first one; the thread runs nothing meanwhile) */
		if (x->i_sig == 0)
			x->i_sig = sig;
		ok = ptrace(x->i_step == INJ_STOP || x->i_step == INJ_VERIFY ?
		    PTRACE_CONT : PTRACE_SYSCALL, tid, 0, 0) == 0;
		goto out;
	}
	switch (x->i_step) {
	case INJ_VERIFY: {
		char p[64];
		struct stat cst;

		if (ev != PTRACE_EVENT_STOP) {
			ok = false;
			break;
		}
		snprintf(p, sizeof(p), "/proc/%d/cwd", (int)tid);
		if (stat(p, &cst) != 0 || cst.st_dev != x->i_dev ||
		    cst.st_ino != x->i_ino) {
			policy_linux_inj_kill(s, x, "the directory is not the "
			    "one the policy decided on");
			pthread_mutex_unlock(&inj_lock);
			return true;
		}
		(void)ptrace(PTRACE_CONT, tid, 0, (void *)(long)x->i_sig);
		policy_linux_inj_del(x);
		pthread_mutex_unlock(&inj_lock);
		return true;
	}
	case INJ_STOP:
		if (ev != PTRACE_EVENT_STOP ||
		    ptrace(PTRACE_GETREGS, tid, 0, &x->i_regs) != 0 ||
		    (long)x->i_regs.orig_rax != SYS_chdir) {
			ok = false;
			break;
		}
		x->i_step = INJ_FCHDIR_ENTER;
		ok = policy_linux_inj_call(x, SYS_fchdir, x->i_fd);
		break;
	case INJ_FCHDIR_ENTER:
	case INJ_CLOSE_ENTER:
		if (!sysstop || ptrace(PTRACE_GETREGS, tid, 0, &r) != 0 ||
		    (long)r.orig_rax != (x->i_step == INJ_FCHDIR_ENTER ?
		    SYS_fchdir : SYS_close)) {
			ok = false;
			break;
		}
		x->i_step++;
		ok = ptrace(PTRACE_SYSCALL, tid, 0, 0) == 0;
		break;
	case INJ_FCHDIR_EXIT:
		if (!sysstop || ptrace(PTRACE_GETREGS, tid, 0, &r) != 0) {
			ok = false;
			break;
		}
		x->i_result = (long)r.rax;
		x->i_step = INJ_CLOSE_ENTER;
		ok = policy_linux_inj_call(x, SYS_close, x->i_fd);
		break;
	case INJ_CLOSE_EXIT:
		if (!sysstop) {
			ok = false;
			break;
		}
		x->i_regs.rax = (unsigned long long)x->i_result;
		ok = ptrace(PTRACE_SETREGS, tid, 0, &x->i_regs) == 0 &&
		    ptrace(PTRACE_CONT, tid, 0, (void *)(long)x->i_sig) == 0;
		policy_linux_inj_del(x);
		pthread_mutex_unlock(&inj_lock);
		return true;
	default:
		ok = false;
		break;
	}
out:
	if (!ok)
		policy_linux_inj_kill(s, x, "the thread left the sequence");
	pthread_mutex_unlock(&inj_lock);
	return true;
}

/* tid is gone. */
void
policy_linux_chdir_forget(pid_t tid)
{
	struct policy_linux_inj *x;

	pthread_mutex_lock(&inj_lock);
	if ((x = policy_linux_inj_find(tid)) != NULL)
		policy_linux_inj_del(x);
	pthread_mutex_unlock(&inj_lock);
}
