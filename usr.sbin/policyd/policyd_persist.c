/* policyd_persist.c: an "always" answer written into the alarm's YAML policy, with the
 * rights of the user whose supervisor raised it (a root policyd forks and drops to them). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>

#include "policyd.h"
#include "policy_interactive.h"

#define PD_PERSIST_TIMEOUT_MS	10000

static int
pd_persist_here(const struct pd_alarm *a, const struct policy_answer *ans,
    const char *rule, uid_t answerer, char *where, size_t wcap, char *err,
    size_t errlen)
{
	struct policy_diag diag;
	char comment[400], date[32];
	time_t now = time(NULL);
	struct tm tm;
	unsigned perrno = ans->pa_action == POLICY_ACT_DENY ? (ans->pa_errno ?
	    ans->pa_errno : a->a_msg.ma_errno) : 0;

	localtime_r(&now, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M", &tm);
	snprintf(comment, sizeof(comment), "%s always: answered via policyd by "
	    "uid %u on %s (alarm %llu, pid %d, %.200s)",
	    ans->pa_action == POLICY_ACT_PERMIT ? "permit" : "deny",
	    (unsigned)answerer, date, (unsigned long long)a->a_id,
	    (int)a->a_msg.ma_alarm.pa_pid, a->a_msg.ma_alarm.pa_program);
	memset(&diag, 0, sizeof(diag));
	if ((rule != NULL ? policy_persist_rule(&a->a_msg, rule, comment, where,
	    wcap, &diag) : policy_persist_answer(&a->a_msg, ans->pa_action,
	    perrno, comment, where, wcap, &diag)) != 0) {
		if (diag.pd_line)
			snprintf(err, errlen, "%s:%u: %s", diag.pd_file,
			    diag.pd_line, diag.pd_msg);
		else
			snprintf(err, errlen, "%s: %s", diag.pd_file, diag.pd_msg);
		return -1;
	}
	return 0;
}

/*
 * Write the rule for answer ans to alarm a (rule: a widened one, checked;
 * NULL: the exact rule).  As the raising user: when we
 * are that user, here; when we are root, in a child that has become them,
 * so that policyd never writes where they could not.  0, or -1 with err.
 */
int
pd_persist(const struct pd_alarm *a, const struct policy_answer *ans,
    const char *rule, uid_t answerer, char *where, size_t wcap, char *err,
    size_t errlen)
{
	char buf[POLICY_PATH_MAX + 400];
	struct pollfd pfd;
	int p[2], st;
	ssize_t n;
	size_t got = 0;
	pid_t pid;

	if (geteuid() == a->a_raiser)
		return pd_persist_here(a, ans, rule, answerer, where, wcap, err,
		    errlen);
	if (geteuid() != 0) {
		snprintf(err, errlen, "policyd runs as uid %u and may not write "
		    "uid %u's policy", (unsigned)geteuid(), (unsigned)a->a_raiser);
		return -1;
	}
	if (pipe2(p, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	if ((pid = fork()) < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		int ok;

		close(p[0]);
		if (setgroups(0, NULL) != 0 ||
		    setresgid(a->a_raiser_gid, a->a_raiser_gid,
		    a->a_raiser_gid) != 0 ||
		    setresuid(a->a_raiser, a->a_raiser, a->a_raiser) != 0) {
			snprintf(buf, sizeof(buf), "E cannot become uid %u: %s",
			    (unsigned)a->a_raiser, strerror(errno));
			ok = 0;
		} else {
			char w[POLICY_PATH_MAX + 32], e[300];

			ok = pd_persist_here(a, ans, rule, answerer, w, sizeof(w), e,
			    sizeof(e)) == 0;
			snprintf(buf, sizeof(buf), "%c %s", ok ? 'K' : 'E',
			    ok ? w : e);
		}
		(void)!write(p[1], buf, strlen(buf));
		_exit(ok ? 0 : 1);
	}
	close(p[1]);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	while (got < sizeof(buf) - 1 && poll(&pfd, 1, PD_PERSIST_TIMEOUT_MS) > 0 &&
	    (n = read(p[0], buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	close(p[0]);
	kill(pid, SIGKILL);	/* if it hangs (a lock held elsewhere) */
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (got >= 2 && buf[0] == 'K') {
		snprintf(where, wcap, "%s", buf + 2);
		return 0;
	}
	snprintf(err, errlen, "%s", got >= 2 ? buf + 2 : "no result from the "
	    "writer");
	return -1;
}
