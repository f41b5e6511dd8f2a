/* policyd_log.c: the decision log: each logged decision a supervisor reports becomes one
 * JSON line in the log file (-l) and one syslog message; SIGHUP reopens the file. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "policyd.h"
#include "policy_interactive.h"

static int pd_logfd = -1;

int
pd_log_open(void)
{
	if (pd.cfg.json_path == NULL)
		return 0;
	pd_logfd = open(pd.cfg.json_path, O_WRONLY | O_CREAT | O_APPEND |
	    O_CLOEXEC | O_NOFOLLOW, 0600);
	if (pd_logfd < 0) {
		pd_log(LOG_ERR, "%s: %s", pd.cfg.json_path, strerror(errno));
		return -1;
	}
	return 0;
}

void
pd_log_reopen(void)
{
	int fd;

	if (pd.cfg.json_path == NULL)
		return;
	fd = open(pd.cfg.json_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC |
	    O_NOFOLLOW, 0600);
	if (fd < 0) {
		pd_log(LOG_ERR, "%s: %s (still writing the old file)",
		    pd.cfg.json_path, strerror(errno));
		return;
	}
	if (pd_logfd >= 0)
		close(pd_logfd);
	pd_logfd = fd;
	pd_log(LOG_INFO, "%s reopened", pd.cfg.json_path);
}

void
pd_log_close(void)
{
	if (pd_logfd >= 0)
		close(pd_logfd);
	pd_logfd = -1;
}

void
pd_log_decision(const struct pd_client *c, const struct policy_msg_decision *d)
{
	char line[8192];
	size_t n;

	if (!(d->md_flags & POLICY_DECISION_LOGGED))
		return;
	PD_COUNT(ms_logged, 1);
	if (pd_logfd < 0 && !pd.cfg.syslog && pd.cfg.console == NULL)
		return;
	/* the uid is the reporting supervisor's, as SO_PEERCRED says */
	policy_json_decision(d, (long)c->uid, line, sizeof(line));
	n = strlen(line);
	pd_console_decision(c, d, line);
	if (pd_logfd >= 0 && write(pd_logfd, line, n) != (ssize_t)n)
		pd_log(LOG_WARNING, "%s: %s", pd.cfg.json_path, strerror(errno));
	if (pd.cfg.syslog)
		syslog(LOG_AUTHPRIV | (d->md_action == POLICY_DECIDED_PERMIT ?
		    LOG_INFO : LOG_NOTICE), "%.*s", (int)n - 1, line);
}
