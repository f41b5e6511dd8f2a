/* policy_linux_proc.c: what /proc/TID/status says about a task: its fields, its thread
 * group, its umask; the supervisor's base for credentials, tracing and tasks. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy_linux.h"

/* /proc/TID/status, NUL-terminated in buf: its length, 0 if the task is
 * gone, cap - 1 if it did not fit. */
size_t
policy_linux_status(pid_t tid, char *buf, size_t cap)
{
	char path[64];
	size_t got = 0;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	while (got < cap - 1 && (n = read(fd, buf + got, cap - 1 - got)) > 0)
		got += (size_t)n;
	close(fd);
	buf[got] = '\0';
	return got;
}

/* The value of a status field ("Tgid:"): where it starts, or NULL. */
const char *
policy_linux_field(const char *buf, const char *name)
{
	size_t n = strlen(name);
	const char *p = buf;

	for (;;) {
		if (strncmp(p, name, n) == 0)
			return p + n;
		if ((p = strchr(p, '\n')) == NULL)
			return NULL;
		p++;
	}
}

/* The number a status field of task tid holds, in base; unknown if the
 * task or the field is not there. */
static long
policy_linux_status_number(pid_t tid, const char *name, int base,
    long unknown)
{
	char buf[2048];
	const char *p;

	if (policy_linux_status(tid, buf, sizeof(buf)) == 0 ||
	    (p = policy_linux_field(buf, name)) == NULL)
		return unknown;
	return strtol(p, NULL, base);
}

/* The target's umask (from /proc/TID/status), or 022 if unknown. */
int
policy_linux_umask(pid_t tid)
{
	return (int)policy_linux_status_number(tid, "Umask:", 8, 022) & 0777;
}

/* The thread group (process) a thread belongs to, or -1. */
pid_t
policy_linux_tgid(pid_t tid)
{
	return (pid_t)policy_linux_status_number(tid, "Tgid:", 10, -1);
}
