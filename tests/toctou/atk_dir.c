/* atk_dir.c: the directory a relative path starts from changed between check and use: a
 * dirfd's directory renamed into the forbidden tree (".." race), and the cwd moved by a thread. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/fs.h>

#include "toctou.h"


/* Both classes: dir/pub/file is public, dir/priv/file the secret. */
static void
dir_policy(const char *dir, FILE *out)
{
	fprintf(out, "  - open: filename eq \"%s/priv/file\" then deny[EACCES]\n",
	    dir);
}

static void
dir_setup(const char *dir)
{
	char p[PATH_MAX];

	make_dir(pjoin(p, dir, "pub"));
	make_dir(pjoin(p, dir, "priv"));
	make_dir(pjoin(p, dir, "pub/sub"));
	make_dir(pjoin(p, dir, "priv/sub"));
	put_file(pjoin(p, dir, "pub/file"), PUBLIC_TEXT, 0644);
	put_file(pjoin(p, dir, "priv/file"), SECRET_TEXT, 0644);
}

static void
open_attempts(int dirfd, const char *path, void (*fn)(void *, unsigned),
    void *arg, long n, struct atk_result *r)
{
	struct flipper f;
	long i;

	flip_start(&f, fn, arg);
	for (i = 0; i < n; i++) {
		score_open(r, open_route(dirfd, path, i));
	}
	flip_stop(&f);
}

/* ---------------------------------------------------------------- */
/* dirfd-rename: openat(fd of pub/sub, "../file") while pub/sub and  */
/* priv/sub are exchanged, so ".." is pub one moment and priv next.  */

struct xchg {
	char	a[PATH_MAX];
	char	b[PATH_MAX];
};

static void
flip_xchg(void *arg, unsigned phase)
{
	struct xchg *x = arg;

	(void)phase;
	(void)syscall(SYS_renameat2, AT_FDCWD, x->a, AT_FDCWD, x->b,
	    RENAME_EXCHANGE);
}

static void
dirfd_run(const char *dir, long n, struct atk_result *r)
{
	struct xchg x;
	int dfd;

	r->mode = "renameat2-exchange";
	pjoin(x.a, dir, "pub/sub");
	pjoin(x.b, dir, "priv/sub");
	/* fast: an O_PATH descriptor, opened in the kernel filter */
	if ((dfd = open(x.a, (atk_fast ? O_PATH : O_RDONLY) | O_DIRECTORY |
	    O_CLOEXEC)) < 0)
		die("open %s: %s", x.a, strerror(errno));
	open_attempts(dfd, "../file", flip_xchg, &x, n, r);
	close(dfd);
}

/* ---------------------------------------------------------------- */
/* cwd: open("file") while another thread fchdir()s between pub and  */
/* priv (threads share the cwd).  The fast variant chdir()s by path: */
/* its policy has chdir decided by name in the kernel filter, so the */
/* supervisor never sees the cwd change (fchdir it always sees).     */

static char cwd_paths[2][PATH_MAX];

static void
flip_cwd(void *arg, unsigned phase)
{
	const int *fds = arg;

	if (atk_fast)
		(void)chdir(cwd_paths[phase & 1]);
	else
		(void)fchdir(fds[phase & 1]);
}

static void
cwd_run(const char *dir, long n, struct atk_result *r)
{
	char p[PATH_MAX];
	int fds[2];

	r->mode = atk_fast ? "chdir" : "fchdir";
	pjoin(cwd_paths[0], dir, "pub");
	pjoin(cwd_paths[1], dir, "priv");
	if ((fds[0] = open(pjoin(p, dir, "pub"), O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) < 0 || (fds[1] = open(pjoin(p, dir, "priv"),
	    O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		die("open %s: %s", p, strerror(errno));
	if (fchdir(fds[0]) != 0)
		die("fchdir: %s", strerror(errno));
	open_attempts(AT_FDCWD, "file", flip_cwd, fds, n, r);
	close(fds[0]);
	close(fds[1]);
}

static const struct atk_class classes[] = {
	{ "dirfd-rename", dir_policy, dir_setup, dirfd_run },
	{ "cwd", dir_policy, dir_setup, cwd_run },
};

int
main(int argc, char **argv)
{
	return atk_main(argc, argv, classes, sizeof(classes) / sizeof(classes[0]));
}
