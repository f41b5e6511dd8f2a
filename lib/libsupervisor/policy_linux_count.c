/* policy_linux_count.c: counts the calls the seccomp filter decides in the kernel (which never
 * reach the supervisor), as all calls of the confined tasks less those it was notified of. */
/*
 * The kernel keeps no count of a filter's answers, so every call the
 * confined tasks make is counted instead, with a perf counter on the
 * raw_syscalls:sys_exit tracepoint, attached to the first confined task
 * once its filter is in place and inherited by every thread and process it
 * starts.  sys_exit, not sys_enter: seccomp runs before the entry
 * tracepoint, which a call the filter (or the supervisor) answers never
 * reaches, but every call that returns passes the exit one.  So the
 * filter-decided calls are the calls counted less the notifications the
 * supervisor received; calls that never return (exit, exit_group, a
 * killed one) are not counted.
 *
 * The counter needs the tracepoint's id from tracefs and a perf event the
 * supervisor may open (root, or CAP_PERFMON, or a low enough
 * perf_event_paranoid); without either, the count is unknown and says why.
 * One run at a time, as policy_linux_run.
 *
 * Enabling the tracepoint makes every system call of the machine take
 * the slow path while it is on, and switching it on and off waits for
 * RCU grace periods (20 ms of start-up measured for `policyctl run
 * true`): so a run counts only when the count is wanted (-v,
 * POLICYCTL_TALLY, a policyd to report to).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/perf_event.h>

#include "policy_linux.h"

static struct {
	int		fd;		/* the perf counter, or -1 */
	int		known;		/* counting (or counted) this run */
	uint64_t	notified;	/* notifications received */
	uint64_t	final;		/* filter-decided, once stopped */
	int		stopped;
	char		why[160];	/* why not counted */
} cnt = { .fd = -1 };

static const char *const tracefs_ids[] = {
	"/sys/kernel/tracing/events/raw_syscalls/sys_exit/id",
	"/sys/kernel/debug/tracing/events/raw_syscalls/sys_exit/id",
};

/* The tracepoint's id, or -1 with cnt.why set. */
static long
policy_linux_count_id(void)
{
	char buf[32];
	size_t i, first = 0;
	ssize_t n;
	int fd, e = ENOENT;

	for (i = 0; i < sizeof(tracefs_ids) / sizeof(tracefs_ids[0]); i++) {
		if ((fd = open(tracefs_ids[i], O_RDONLY | O_CLOEXEC)) < 0) {
			if (e == ENOENT && errno != ENOENT) {
				e = errno;	/* there, but not for us */
				first = i;
			}
			continue;
		}
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n > 0) {
			buf[n] = '\0';
			return strtol(buf, NULL, 10);
		}
	}
	snprintf(cnt.why, sizeof(cnt.why), "%s: %s", tracefs_ids[first],
	    strerror(e));
	return -1;
}

/* A new run: nothing counted yet, and no reason. */
static void
policy_linux_count_reset(void)
{
	cnt.fd = -1;
	cnt.known = cnt.stopped = 0;
	cnt.notified = cnt.final = 0;
	cnt.why[0] = '\0';
}

/* Not counting this run (nobody asked for the count). */
void
policy_linux_count_off(void)
{
	policy_linux_count_reset();
	snprintf(cnt.why, sizeof(cnt.why), "not asked for");
}

/* Start counting the calls of pid (stopped, its filter in place) and of
 * everything it starts. */
void
policy_linux_count_start(pid_t pid)
{
	struct perf_event_attr a;
	long id;
	int e;

	policy_linux_count_reset();
	if ((id = policy_linux_count_id()) < 0)
		return;
	memset(&a, 0, sizeof(a));
	a.type = PERF_TYPE_TRACEPOINT;
	a.size = sizeof(a);
	a.config = (uint64_t)id;
	a.inherit = 1;
	cnt.fd = (int)syscall(SYS_perf_event_open, &a, pid, -1, -1,
	    PERF_FLAG_FD_CLOEXEC);
	if (cnt.fd < 0) {
		FILE *f;
		int paranoid = -9;

		e = errno;
		cnt.fd = -1;
		if ((f = fopen("/proc/sys/kernel/perf_event_paranoid", "r")) !=
		    NULL) {
			if (fscanf(f, "%d", &paranoid) != 1)
				paranoid = -9;
			fclose(f);
		}
		if (paranoid != -9)
			snprintf(cnt.why, sizeof(cnt.why), "perf_event_open: "
			    "%s (perf_event_paranoid %d)", strerror(e),
			    paranoid);
		else
			snprintf(cnt.why, sizeof(cnt.why), "perf_event_open: "
			    "%s", strerror(e));
		return;
	}
	cnt.known = 1;
}

/* A notification was received. */
void
policy_linux_count_notified(void)
{
	__atomic_add_fetch(&cnt.notified, 1, __ATOMIC_RELAXED);
}

/*
 * The calls the filter has decided so far (the total, once stopped):
 * 0 with *n, or -1 when they are not counted (why: the reason, if asked).
 */
int
policy_linux_count_filtered(uint64_t *n, const char **why)
{
	uint64_t total, notified;

	if (why != NULL)
		*why = cnt.why[0] ? cnt.why : "not started";
	if (!cnt.known)
		return -1;
	if (cnt.stopped) {
		*n = cnt.final;
		return 0;
	}
	if (cnt.fd < 0 || read(cnt.fd, &total, sizeof(total)) !=
	    (ssize_t)sizeof(total))
		return -1;
	notified = __atomic_load_n(&cnt.notified, __ATOMIC_RELAXED);
	/* the first exec's notification precedes no counted exit: clamp */
	*n = total > notified ? total - notified : 0;
	return 0;
}

/* The run ended: keep the final count, close the counter. */
void
policy_linux_count_stop(void)
{
	uint64_t n;

	if (cnt.known && policy_linux_count_filtered(&n, NULL) == 0)
		cnt.final = n;
	else if (cnt.known) {
		cnt.known = 0;
		snprintf(cnt.why, sizeof(cnt.why), "the counter could not "
		    "be read");
	}
	cnt.stopped = 1;
	if (cnt.fd >= 0)
		close(cnt.fd);
	cnt.fd = -1;
}

/* Notifications received this run. */
uint64_t
policy_linux_count_supervised(void)
{
	return __atomic_load_n(&cnt.notified, __ATOMIC_RELAXED);
}
