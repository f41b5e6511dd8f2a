/* atk_fd.c: a descriptor number swapped by dup2() in a sibling thread between check and use:
 * the dirfd of openat(), the socket named by /proc/self/fd/N in connect(), execveat()'s fd. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>

#include "toctou.h"

#define SWAPFD		100	/* the raced descriptor number */

/* dup2(fds[phase], SWAPFD) */
static void
flip_fd(void *arg, unsigned phase)
{
	const int *fds = arg;

	(void)dup2(fds[phase & 1], SWAPFD);
}

/* ---------------------------------------------------------------- */
/* fd-dirfd: openat(SWAPFD, "file"), SWAPFD is pub one moment, priv  */
/* the next.                                                         */

static void
dirfd_policy(const char *dir, FILE *out)
{
	fprintf(out, "  - open: filename eq \"%s/priv/file\" then deny[EACCES]\n",
	    dir);
}

static void
dirfd_setup(const char *dir)
{
	char p[PATH_MAX];

	make_dir(pjoin(p, dir, "pub"));
	make_dir(pjoin(p, dir, "priv"));
	put_file(pjoin(p, dir, "pub/file"), PUBLIC_TEXT, 0644);
	put_file(pjoin(p, dir, "priv/file"), SECRET_TEXT, 0644);
}

static void
dirfd_run(const char *dir, long n, struct atk_result *r)
{
	char p[PATH_MAX];
	struct flipper f;
	int fds[2], how = (atk_fast ? O_PATH : O_RDONLY) | O_DIRECTORY |
	    O_CLOEXEC;
	long i;

	r->mode = "dup2";
	/* fast: O_PATH descriptors, opened in the kernel filter */
	if ((fds[0] = open(pjoin(p, dir, "pub"), how)) < 0 ||
	    (fds[1] = open(pjoin(p, dir, "priv"), how)) < 0)
		die("open %s: %s", p, strerror(errno));
	if (dup2(fds[0], SWAPFD) != SWAPFD)
		die("dup2: %s", strerror(errno));
	flip_start(&f, flip_fd, fds);
	for (i = 0; i < n; i++) {
		score_open(r, open_route(SWAPFD, "file", i));
	}
	flip_stop(&f);
	close(SWAPFD);
	close(fds[0]);
	close(fds[1]);
}

/* ---------------------------------------------------------------- */
/* fd-socket: two unix listeners, ok.sock and bad.sock; SWAPFD is an */
/* O_PATH descriptor of one or the other, and the client connects to */
/* "/proc/self/fd/100", which names whichever it is at lookup time.  */

static void
sock_policy(const char *dir, FILE *out)
{
	fprintf(out, "  - connect: sockaddr eq \"unix-%s/bad.sock\" then "
	    "deny[EACCES]\n", dir);
}

static void
sock_setup(const char *dir)
{
	(void)dir;		/* the listeners are made by the run */
}

static socklen_t
unaddr(struct sockaddr_un *un, const char *path)
{
	memset(un, 0, sizeof(*un));
	un->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(un->sun_path))
		die("socket path too long: %s", path);
	memcpy(un->sun_path, path, strlen(path));
	return (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    strlen(path) + 1);
}

static int
listener(const char *path)
{
	struct sockaddr_un un;
	socklen_t len = unaddr(&un, path);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	(void)unlink(path);
	if (s < 0 || bind(s, (struct sockaddr *)&un, len) != 0 ||
	    listen(s, 64) != 0)
		die("listen %s: %s", path, strerror(errno));
	return s;
}

static void
drain(int l)
{
	int a;

	while ((a = accept4(l, NULL, NULL, SOCK_CLOEXEC)) >= 0)
		close(a);
}

static void
sock_run(const char *dir, long n, struct atk_result *r)
{
	char okp[PATH_MAX], badp[PATH_MAX], name[32];
	struct sockaddr_un to, peer;
	socklen_t tolen;
	struct flipper f;
	int lok, lbad, fds[2];
	long i;

	r->mode = "dup2";
	lok = listener(pjoin(okp, dir, "ok.sock"));
	lbad = listener(pjoin(badp, dir, "bad.sock"));
	if ((fds[0] = open(okp, O_PATH | O_CLOEXEC)) < 0 ||
	    (fds[1] = open(badp, O_PATH | O_CLOEXEC)) < 0)
		die("open socket file: %s", strerror(errno));
	if (dup2(fds[0], SWAPFD) != SWAPFD)
		die("dup2: %s", strerror(errno));
	snprintf(name, sizeof(name), "/proc/self/fd/%d", SWAPFD);
	tolen = unaddr(&to, name);
	flip_start(&f, flip_fd, fds);
	for (i = 0; i < n; i++) {
		int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), rc, e;
		socklen_t plen = sizeof(peer);

		if (s < 0)
			die("socket: %s", strerror(errno));
		rc = connect(s, (struct sockaddr *)&to, tolen);
		e = errno;
		r->attempts++;
		memset(&peer, 0, sizeof(peer));
		if (rc == 0 && getpeername(s, (struct sockaddr *)&peer,
		    &plen) == 0) {
			if (strcmp(peer.sun_path, badp) == 0)
				r->wins++;
			else if (strcmp(peer.sun_path, okp) == 0)
				r->ok++;
			else
				r->other++;
		} else if (rc != 0 && e == EACCES)
			r->denied++;
		else
			r->other++;
		close(s);
		drain(lok);
		drain(lbad);
	}
	flip_stop(&f);
	close(SWAPFD);
	close(lok);
	close(lbad);
	(void)unlink(okp);
	(void)unlink(badp);
}

/* ---------------------------------------------------------------- */
/* fd-execve: execveat(SWAPFD, "", AT_EMPTY_PATH) where SWAPFD is    */
/* the permitted binary one moment and the denied one the next.      */

static void
exec_policy(const char *dir, FILE *out)
{
	char self[PATH_MAX];

	self_path(self);
	fprintf(out, "  - execve: filename eq \"%s\" then permit\n"
	    "  - execve: filename eq \"%s/bad\" then deny[EACCES]\n", self, dir);
}

static void
exec_setup(const char *dir)
{
	char here[PATH_MAX], from[PATH_MAX], to[PATH_MAX];

	self_dir(here);
	copy_file(pjoin(from, here, "probe_ok"), pjoin(to, dir, "ok"), 0755);
	copy_file(pjoin(from, here, "probe_bad"), pjoin(to, dir, "bad"), 0755);
}

static void
exec_child(void *arg)
{
	static char *const argv[] = { "probe", NULL };
	static char *const envp[] = { NULL };
	struct flipper f;

	flip_start(&f, flip_fd, arg);
	syscall(SYS_execveat, SWAPFD, "", argv, envp, AT_EMPTY_PATH);
}

static void
exec_run(const char *dir, long n, struct atk_result *r)
{
	char p[PATH_MAX];
	int fds[2];
	long i;

	r->mode = "dup2";
	if ((fds[0] = open(pjoin(p, dir, "ok"), O_PATH | O_CLOEXEC)) < 0 ||
	    (fds[1] = open(pjoin(p, dir, "bad"), O_PATH | O_CLOEXEC)) < 0)
		die("open %s: %s", p, strerror(errno));
	/* not close-on-exec: fexecve of a close-on-exec fd needs /proc */
	if (dup2(fds[0], SWAPFD) != SWAPFD)
		die("dup2: %s", strerror(errno));
	for (i = 0; i < n; i++)
		exec_attempt(exec_child, fds, r);
	close(SWAPFD);
}

static const struct atk_class classes[] = {
	{ "fd-dirfd", dirfd_policy, dirfd_setup, dirfd_run },
	{ "fd-socket", sock_policy, sock_setup, sock_run },
	{ "fd-execve", exec_policy, exec_setup, exec_run },
};

int
main(int argc, char **argv)
{
	return atk_main(argc, argv, classes, sizeof(classes) / sizeof(classes[0]));
}
