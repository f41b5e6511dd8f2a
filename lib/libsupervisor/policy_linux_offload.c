/* policy_linux_offload.c: a notification whose decision may ask (an ask rule for its
 * operation, or default ask) is handled on its own thread: a pending alarm blocks only it. */
/*
 * The thread that receives the notifications hands such a call here
 * before dispatching it; the whole handler (copy, resolve, decide, act)
 * then runs on a detached thread, and the supervisor goes on serving every
 * other call and ptrace stop of the target.
 * The thread unshares its fs attributes first, so the handler's umask()
 * (set to the target's while creating a file) is its own.  When serving
 * ends (every confined task gone), it cancels the alarms still waiting
 * and drains the threads before the supervisor state they use goes away.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/seccomp.h>

#include "policy_linux.h"
#include "policy_interactive.h"

typedef void (*policy_linux_dispatch_fn)(struct policy_sup *,
    const struct seccomp_notif *);

struct policy_linux_offjob {
	struct policy_sup	*o_sup;
	policy_linux_dispatch_fn o_fn;
	struct seccomp_notif	o_notif;	/* s_sizes.seccomp_notif bytes */
};

static pthread_mutex_t off_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t off_cv = PTHREAD_COND_INITIALIZER;
static unsigned off_inflight;

/* Per policy: bit op set when a request of op may be asked. */
static const struct policy *off_pol;
static uint32_t off_askmask;

/*
 * Bit op set when a request of op may be asked; for open, bits for the
 * opens of each alias (fsread, fswrite) as well.
 */
#define ASK_OPEN_READ	(1u << 30)
#define ASK_OPEN_WRITE	(1u << 31)

static uint32_t
policy_linux_askmask(const struct policy *p)
{
	uint32_t m = 0;
	unsigned op;

	for (op = 1; op < POLICY_OP_COUNT; op++)
		if (policy_linux_op_may_ask(p, op, 0))
			m |= 1u << op;
	if (policy_linux_op_may_ask(p, POLICY_OP_OPEN, POLICY_OP_FSREAD))
		m |= ASK_OPEN_READ;
	if (policy_linux_op_may_ask(p, POLICY_OP_OPEN, POLICY_OP_FSWRITE))
		m |= ASK_OPEN_WRITE;
	return m;
}

/*
 * An open's alias from its flags (in a register: open, openat, creat) as
 * policy_op_class() finds it; 0 for openat2, whose flags are in memory
 * (read by its handler only: either may be asked).
 */
static uint32_t
policy_linux_open_askbit(const struct seccomp_notif *n)
{
	const char *name = policy_linux_syscall_name((int)n->data.nr);
	uint64_t fl;

	if (name == NULL)
		return 0;
	if (strcmp(name, "creat") == 0)
		return ASK_OPEN_WRITE;
	if (strcmp(name, "open") == 0)
		fl = n->data.args[1];
	else if (strcmp(name, "openat") == 0)
		fl = n->data.args[2];
	else
		return 0;
	if (fl & O_PATH)	/* decided as a read (policy_linux_open.c) */
		return ASK_OPEN_READ;
	if ((fl & O_ACCMODE) != O_RDONLY ||
	    (fl & (O_CREAT | O_TRUNC | O_APPEND | (O_TMPFILE & ~O_DIRECTORY))))
		return ASK_OPEN_WRITE;
	return ASK_OPEN_READ;
}

static void
policy_linux_offjob_main(void *arg)
{
	struct policy_linux_offjob *j = arg;

	(void)unshare(CLONE_FS);	/* umask, cwd: ours alone */
	j->o_fn(j->o_sup, &j->o_notif);
	free(j);
	pthread_mutex_lock(&off_lock);
	if (--off_inflight == 0)
		pthread_cond_broadcast(&off_cv);
	pthread_mutex_unlock(&off_lock);
}

bool
policy_linux_offload(struct policy_sup *s, const struct seccomp_notif *n,
    void (*fn)(struct policy_sup *, const struct seccomp_notif *))
{
	const struct policy *p = __atomic_load_n(&s->s_pol, __ATOMIC_ACQUIRE);
	struct policy_linux_offjob *j;
	size_t sz;
	int op;

	if (n->data.arch != AUDIT_ARCH_X86_64)
		return false;
	op = policy_linux_syscall_op(n->data.nr);
	if (op <= POLICY_OP_NONE || op >= POLICY_OP_COUNT)
		return false;
	if (p != off_pol) {		/* only the receiving thread calls us */
		size_t i;

		off_askmask = policy_linux_askmask(p);
		/* and the policies programs may switch to */
		for (i = 1; i < s->s_npols; i++)
			if (s->s_pols[i] != NULL)
				off_askmask |= policy_linux_askmask(s->s_pols[i]);
		off_pol = p;
	}
	if (!(off_askmask & (1u << op)))
		return false;
	if (op == POLICY_OP_OPEN) {
		uint32_t b = policy_linux_open_askbit(n);

		if (b != 0 && !(off_askmask & b))
			return false;
	}
	sz = s->s_sizes.seccomp_notif;
	if ((j = calloc(1, offsetof(struct policy_linux_offjob, o_notif) +
	    (sz > sizeof(j->o_notif) ? sz : sizeof(j->o_notif)))) == NULL)
		return false;
	j->o_sup = s;
	j->o_fn = fn;
	memcpy(&j->o_notif, n, sz);
	(void)policy_linux_ask_cancelfd();
	pthread_mutex_lock(&off_lock);
	off_inflight++;
	pthread_mutex_unlock(&off_lock);
	if (policy_linux_defer(policy_linux_offjob_main, j) != 0) {
		pthread_mutex_lock(&off_lock);
		off_inflight--;
		pthread_mutex_unlock(&off_lock);
		free(j);
		return false;		/* handled inline, blocking */
	}
	return true;
}

void
policy_linux_offload_drain(void)
{
	pthread_mutex_lock(&off_lock);
	if (off_inflight > 0)
		policy_linux_ask_cancel(true);
	while (off_inflight > 0)
		pthread_cond_wait(&off_cv, &off_lock);
	policy_linux_ask_cancel(false);		/* re-arm */
	off_pol = NULL;
	pthread_mutex_unlock(&off_lock);
}
