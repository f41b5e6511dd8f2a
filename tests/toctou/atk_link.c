/* atk_link.c: symbolic links swapped on disk between check and use: the final component
 * (a link to the public file or the secret) and a directory component on the way to it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/fs.h>

#include "toctou.h"


/* Two links exchanged atomically, over and over: renameat2(RENAME_EXCHANGE)
 * makes one system call per swap, and "a" never goes missing. */
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

/* Open path while the flipper runs; classify by the bytes read. */
static void
open_attempts(const char *path, struct xchg *x, long n, struct atk_result *r)
{
	struct flipper f;
	long i;

	flip_start(&f, flip_xchg, x);
	for (i = 0; i < n; i++) {
		score_open(r, open_route(AT_FDCWD, path, i));
	}
	flip_stop(&f);
}

static void
mklink(const char *target, const char *path)
{
	(void)unlink(path);
	if (symlink(target, path) != 0)
		die("symlink %s: %s", path, strerror(errno));
}

/* ---------------------------------------------------------------- */
/* symlink-final: dir/link -> public | secret                        */

static void
final_policy(const char *dir, FILE *out)
{
	fprintf(out, "  - open: filename eq \"%s/secret\" then deny[EACCES]\n",
	    dir);
}

static void
final_setup(const char *dir)
{
	char p[PATH_MAX];

	put_file(pjoin(p, dir, "public"), PUBLIC_TEXT, 0644);
	put_file(pjoin(p, dir, "secret"), SECRET_TEXT, 0644);
	mklink("public", pjoin(p, dir, "link"));
	mklink("secret", pjoin(p, dir, "spare"));
}

static void
final_run(const char *dir, long n, struct atk_result *r)
{
	struct xchg x;
	char path[PATH_MAX];

	r->mode = "renameat2-exchange";
	pjoin(x.a, dir, "link");
	pjoin(x.b, dir, "spare");
	open_attempts(pjoin(path, dir, "link"), &x, n, r);
}

/* ---------------------------------------------------------------- */
/* symlink-component: dir/via -> pubdir | secdir, then "/file"       */

static void
comp_policy(const char *dir, FILE *out)
{
	fprintf(out, "  - open: filename inpath \"%s/secdir\" then "
	    "deny[EACCES]\n", dir);
}

static void
comp_setup(const char *dir)
{
	char p[PATH_MAX];

	make_dir(pjoin(p, dir, "pubdir"));
	make_dir(pjoin(p, dir, "secdir"));
	put_file(pjoin(p, dir, "pubdir/file"), PUBLIC_TEXT, 0644);
	put_file(pjoin(p, dir, "secdir/file"), SECRET_TEXT, 0644);
	mklink("pubdir", pjoin(p, dir, "via"));
	mklink("secdir", pjoin(p, dir, "spare"));
}

static void
comp_run(const char *dir, long n, struct atk_result *r)
{
	struct xchg x;
	char path[PATH_MAX];

	r->mode = "renameat2-exchange";
	pjoin(x.a, dir, "via");
	pjoin(x.b, dir, "spare");
	open_attempts(pjoin(path, dir, "via/file"), &x, n, r);
}

static const struct atk_class classes[] = {
	{ "symlink-final", final_policy, final_setup, final_run },
	{ "symlink-component", comp_policy, comp_setup, comp_run },
};

int
main(int argc, char **argv)
{
	return atk_main(argc, argv, classes, sizeof(classes) / sizeof(classes[0]));
}
