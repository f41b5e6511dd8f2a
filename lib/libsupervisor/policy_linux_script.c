/* policy_linux_script.c: "#!" scripts: the interpreter must get, and open, the very script
 * the exec decision was made on, not another one the name reaches after the decision. */
/*
 * The kernel runs a script by running its interpreter with the script's
 * *name*; the interpreter then opens that name itself.  The name is read
 * from the target's memory again by the kernel and resolved again by the
 * interpreter, so two checks close the races:
 *
 *   1. at the exec stop, the name the interpreter got must be the one
 *      decided on (policy_linux_script_ok: a path swapped in memory);
 *   2. from then until the process executes again, every open of that
 *      name by the process must reach the file decided on, by (dev, inode)
 *      (policy_linux_script_open: a symlink or a directory swapped on
 *      disk); any other file is refused with EACCES.
 *
 * For 2 to see the interpreter's open, opens are sent to the supervisor
 * whenever exec decisions are (policy_linux_filter.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "policy_linux.h"

/* A script some process was let execute: the name its interpreter got. */
struct policy_linux_script {
	struct policy_linux_script *ps_next;
	pid_t		ps_pid;		/* the process (thread group) */
	dev_t		ps_dev;		/* the script decided on */
	ino_t		ps_ino;
	char		*ps_name;
};

static struct policy_linux_script *scripts;
static atomic_uint nscripts;		/* lets opens skip the lock */
static pthread_mutex_t script_lock = PTHREAD_MUTEX_INITIALIZER;

/*
 * The name the kernel gives a "#!" script's interpreter for the script
 * (binfmt_script: bprm->filename): the path as passed, or for execveat
 * from a directory descriptor "/dev/fd/N/path", "/dev/fd/N" for
 * AT_EMPTY_PATH.
 */
char *
policy_linux_script_name(int dirfd, const char *path)
{
	char *r;

	if (path[0] == '/' || dirfd == AT_FDCWD)
		return strdup(path);
	if (asprintf(&r, path[0] ? "/dev/fd/%d/%s" : "/dev/fd/%d%s", dirfd,
	    path) < 0)
		return NULL;
	return r;
}

/*
 * Is the name the interpreter got (argument `skip` of the new image's
 * command line cmd, len bytes) the one the policy decided on?
 */
bool
policy_linux_script_ok(const char *cmd, size_t len, size_t skip,
    const char *name)
{
	size_t i, n = 0, want = strlen(name) + 1;

	for (i = 0; i < len && n < skip; i++)
		if (cmd[i] == '\0')
			n++;
	return n == skip && len - i >= want && memcmp(cmd + i, name, want) == 0;
}

static struct policy_linux_script **
script_find(pid_t pid)
{
	struct policy_linux_script **pp;

	for (pp = &scripts; *pp != NULL; pp = &(*pp)->ps_next)
		if ((*pp)->ps_pid == pid)
			return pp;
	return NULL;
}

/* Process pid executed again or is gone: it runs no script of ours. */
void
policy_linux_script_forget(pid_t pid)
{
	struct policy_linux_script **pp, *x;

	if (atomic_load(&nscripts) == 0)
		return;
	pthread_mutex_lock(&script_lock);
	if ((pp = script_find(pid)) != NULL) {
		x = *pp;
		*pp = x->ps_next;
		free(x->ps_name);
		free(x);
		atomic_fetch_sub(&nscripts, 1);
	}
	pthread_mutex_unlock(&script_lock);
}

/* Process pid now runs the interpreter of the script (dev, ino) it knows
 * as name (taken over).  Returns false when out of memory. */
bool
policy_linux_script_expect(pid_t pid, char *name, dev_t dev, ino_t ino)
{
	struct policy_linux_script *x;

	policy_linux_script_forget(pid);
	if ((x = malloc(sizeof(*x))) == NULL) {
		free(name);
		return false;
	}
	x->ps_pid = pid;
	x->ps_dev = dev;
	x->ps_ino = ino;
	x->ps_name = name;
	pthread_mutex_lock(&script_lock);
	x->ps_next = scripts;
	scripts = x;
	atomic_fetch_add(&nscripts, 1);
	pthread_mutex_unlock(&script_lock);
	return true;
}

/* Is any script expected?  Then opens need the path as written. */
bool
policy_linux_script_any(void)
{
	return atomic_load(&nscripts) != 0;
}

/*
 * An open by the calling process of raw, which reached the file st: 0, or
 * EACCES when raw is the name of the process's script and st is not the
 * script decided on.
 */
int
policy_linux_script_open(struct policy_linux_call *c, const char *raw,
    const struct stat *st)
{
	struct policy_linux_script **pp;
	pid_t pid;
	int err = 0;

	if (!policy_linux_script_any())
		return 0;
	pid = c->c_tgid > 0 ? c->c_tgid : policy_linux_tgid(c->c_tid);
	pthread_mutex_lock(&script_lock);
	if ((pp = script_find(pid)) != NULL &&
	    strcmp((*pp)->ps_name, raw) == 0 &&
	    (st->st_dev != (*pp)->ps_dev || st->st_ino != (*pp)->ps_ino))
		err = EACCES;
	pthread_mutex_unlock(&script_lock);
	if (err != 0)
		policy_linux_note(c, "open %s: not the script the policy let "
		    "this process execute (it changed on disk); denied", raw);
	return err;
}
