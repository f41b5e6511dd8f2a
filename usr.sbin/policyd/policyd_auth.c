/* policyd_auth.c: who may do what, from each peer's SO_PEERCRED credentials: alarms only
 * for processes of the supervisor's own user, answers only to one's own alarms; root may all. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policyd.h"

/* The real and effective user of a process, which must agree; 0 or -1. */
int
pd_process_uid(pid_t pid, uid_t *uid)
{
	char path[64], buf[4096], *p;
	unsigned long r, e;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	if ((p = strstr(buf, "\nUid:")) == NULL ||
	    sscanf(p + 5, "%lu %lu", &r, &e) != 2 || r != e)
		return -1;
	*uid = (uid_t)r;
	return 0;
}

/*
 * May peer c raise this alarm?  The process it names must exist and run
 * as c's user (root may raise alarms for anyone).  *owner gets the
 * process's user: that user's prompts see the alarm.
 */
bool
pd_may_raise(const struct pd_client *c, const struct policy_msg_alarm *m,
    uid_t *owner, char *why, size_t cap)
{
	uid_t u;

	if (pd_process_uid(m->ma_alarm.pa_pid, &u) != 0) {
		snprintf(why, cap, "process %d does not exist or cannot be "
		    "checked", (int)m->ma_alarm.pa_pid);
		return false;
	}
	if (c->uid != 0 && u != c->uid) {
		snprintf(why, cap, "process %d runs as uid %u, and you are "
		    "uid %u", (int)m->ma_alarm.pa_pid, (unsigned)u,
		    (unsigned)c->uid);
		return false;
	}
	*owner = u;
	return true;
}

/* May peer c see (and answer) alarm a? */
bool
pd_may_see(const struct pd_client *c, const struct pd_alarm *a)
{
	return c->uid == 0 || c->uid == a->a_owner;
}
