/* policy_linux_selfproc.c: the supervisor's own /proc/PID, which no route may hand to a
 * confined program: is a pid ours, is an object a procfs route reached inside our tree. */
/*
 * The supervisor opens what a program asks for with its own process's
 * rights over itself: for /proc/<our pid>/mem the kernel checks nothing
 * (a process may always read and write its own memory), and the program
 * would get a descriptor that writes into the supervisor.  The walk
 * refuses /proc/<our pid> by name, but a path can reach our tree without
 * naming it: a magic link (/proc/self/fd/N of an O_PATH descriptor the
 * kernel opened for the program), a working directory or dirfd inside it.
 * So whatever a walk ends on in a procfs is placed by what the kernel
 * calls it (/proc/self/fd) and the procfs mount it is on: the first
 * component of its path within that procfs is the process it belongs to.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <linux/magic.h>

#include "policy_linux.h"

bool
policy_linux_is_us(const struct policy_sup *s, long pid)
{
	if (pid <= 0)
		return false;
	return pid == s->s_pid || policy_linux_tgid((pid_t)pid) == s->s_pid;
}

bool
policy_linux_proc_ours(const struct policy_sup *s, int fd)
{
	struct policy_linux_mount *m;
	char *path, *fs, *p, *end;
	struct statfs sf;
	bool ours = true;	/* what cannot be placed is refused */
	long id, pid;

	if (fstatfs(fd, &sf) != 0 || sf.f_type != PROC_SUPER_MAGIC)
		return false;
	m = malloc(sizeof(*m));
	path = malloc(PATH_MAX);
	fs = malloc(PATH_MAX);
	if (m != NULL && path != NULL && fs != NULL &&
	    (id = policy_linux_mount_id(fd)) >= 0 &&
	    policy_linux_fdpath(fd, path, PATH_MAX) == 0 &&
	    policy_linux_mount_find(id, m) == 0 &&
	    policy_linux_fs_path(m, path, fs, PATH_MAX) == 0) {
		p = fs + strspn(fs, "/");
		pid = *p >= '0' && *p <= '9' ? strtol(p, &end, 10) : 0;
		end = pid > 0 ? end : p;
		/* "/": the procfs root; "/self": the link itself; "/sys" */
		ours = end != p && (*end == '/' || *end == '\0' ||
		    *end == ' ') && policy_linux_is_us(s, pid);
	}
	free(m);
	free(path);
	free(fs);
	return ours;
}
