/* policy_linux_worker.c: runs an operation that may block (a FIFO open, a blocking
 * connect or send) on its own thread, so one waiting target never stalls the others. */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "policy_linux.h"

struct policy_linux_job {
	void	(*j_fn)(void *);
	void	*j_arg;
};

static void *
policy_linux_job_main(void *arg)
{
	struct policy_linux_job j = *(struct policy_linux_job *)arg;

	free(arg);
	j.j_fn(j.j_arg);
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
	struct policy_linux_job *j = malloc(sizeof(*j));
	pthread_attr_t attr;
	pthread_t t;
	int r;

	if (j == NULL)
		return ENOMEM;
	j->j_fn = fn;
	j->j_arg = arg;
	/* a new thread inherits our credentials: start it with our own */
	policy_linux_as_self(NULL);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 * 1024);
	r = pthread_create(&t, &attr, policy_linux_job_main, j);
	pthread_attr_destroy(&attr);
	if (r != 0)
		free(j);
	return r;
}
