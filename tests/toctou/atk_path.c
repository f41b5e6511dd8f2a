/* atk_path.c: path argument swapped in memory between check and use: by a sibling thread
 * (open, unlink, rename, chmod, chdir, execve) and by another process through a memfd. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "toctou.h"

/*
 * Every class names a permitted object "public" (or "decoys") and a denied
 * one "secret" (or "victim"): the same length, so the swap rewrites only
 * the last six bytes of one path and never leaves a longer string behind.
 */

static _Alignas(64) char path_buf[PATH_MAX];	/* the raced argument */

/* Point path_buf at dir/ok and return the flip of its last component. */
static void
setup_flip(struct memflip *m, const char *dir, const char *ok,
    const char *bad)
{
	char p[PATH_MAX];

	pjoin(p, dir, ok);
	memcpy(path_buf, p, strlen(p) + 1);
	m->dst = path_buf + strlen(dir) + 1;
	m->val[0] = ok;
	m->val[1] = bad;
	m->len = strlen(ok);
	if (strlen(bad) != m->len)
		die("names differ in length");
}

/* ---------------------------------------------------------------- */
/* open: read the secret's bytes                                     */

static void
open_policy(const char *dir, FILE *out)
{
	fprintf(out, "  - open: filename eq \"%s/secret\" then deny[EACCES]\n",
	    dir);
}

static void
open_setup(const char *dir)
{
	char p[PATH_MAX];

	put_file(pjoin(p, dir, "public"), PUBLIC_TEXT, 0644);
	put_file(pjoin(p, dir, "secret"), SECRET_TEXT, 0644);
}

static void
open_run(const char *dir, long n, struct atk_result *r)
{
	struct memflip m;
	struct flipper f;
	long i;

	setup_flip(&m, dir, "public", "secret");
	flip_start(&f, flip_mem, &m);
	for (i = 0; i < n; i++)
		score_open(r, open_route(AT_FDCWD, path_buf, i));
	flip_stop(&f);
}

/* ---------------------------------------------------------------- */
/* open-write: write into the file outside the one tree writable.    */
/* A policy Landlock can express exactly (write access beneath       */
/* pubdir, nothing else writable), for the Landlock offload.         */

static void
write_policy(const char *dir, FILE *out)
{
	fprintf(out, "  - fswrite: filename inpath \"%s/pubdir\" then permit\n"
	    "  - fswrite: then deny[EACCES]\n", dir);
}

static void
write_setup(const char *dir)
{
	char p[PATH_MAX];

	make_dir(pjoin(p, dir, "pubdir"));
	make_dir(pjoin(p, dir, "secdir"));
	put_file(pjoin(p, dir, "pubdir/file"), PUBLIC_TEXT, 0644);
	put_file(pjoin(p, dir, "secdir/file"), SECRET_TEXT, 0644);
}

static void
write_run(const char *dir, long n, struct atk_result *r)
{
	char p[PATH_MAX];
	struct memflip m;
	struct flipper f;
	struct stat pub, sec, st;
	long i;

	if (stat(pjoin(p, dir, "pubdir/file"), &pub) != 0 ||
	    stat(pjoin(p, dir, "secdir/file"), &sec) != 0)
		die("stat %s: %s", p, strerror(errno));
	setup_flip(&m, dir, "pubdir/file", "secdir/file");
	flip_start(&f, flip_mem, &m);
	for (i = 0; i < n; i++) {
		int fd = open_route_flags(AT_FDCWD, path_buf, i, O_WRONLY);

		if (score_refused(r, fd))
			continue;
		if (fstat(fd, &st) != 0)
			die("fstat: %s", strerror(errno));
		/* a win: a byte written into the secret, then put back */
		if (st.st_ino == sec.st_ino && st.st_dev == sec.st_dev &&
		    pwrite(fd, "W", 1, 0) == 1) {
			r->wins++;
			if (pwrite(fd, SECRET_TEXT, 1, 0) != 1)
				die("restore the secret: %s", strerror(errno));
		} else if (st.st_ino == pub.st_ino && st.st_dev == pub.st_dev)
			r->ok++;
		else
			r->other++;
		close(fd);
	}
	flip_stop(&f);
}

/* ---------------------------------------------------------------- */
/* shm-open: the flip is done by another process through a memfd     */

static void
shm_run(const char *dir, long n, struct atk_result *r)
{
	char p[PATH_MAX], *shared;
	pid_t pid;
	int fd, st;
	long i;

	r->mode = "process";
	if ((fd = memfd_create("toctou", MFD_CLOEXEC)) < 0 ||
	    ftruncate(fd, 4096) != 0)
		die("memfd: %s", strerror(errno));
	shared = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (shared == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	pjoin(p, dir, "public");
	memcpy(shared, p, strlen(p) + 1);
	if ((pid = fork()) < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		/* the other process: flips until its parent kills it or dies */
		volatile char *d = shared + strlen(dir) + 1;
		struct place pl;
		unsigned long k;

		prctl(PR_SET_PDEATHSIG, SIGKILL);
		place_init(&pl, getppid());
		for (k = 0;; k++) {
			if ((k & 1023) == 0)
				place_step(&pl);
			flip_bytes(d, "secret", 6);
			flip_bytes(d, "public", 6);
		}
	}
	for (i = 0; i < n; i++) {
		score_open(r, open_route(AT_FDCWD, shared, i));
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
}

/* ---------------------------------------------------------------- */
/* unlink, rename, chmod: a protected file "victim" and a "decoys"   */

static void
victim_policy(const char *op, const char *dir, FILE *out)
{
	fprintf(out, "  - %s: filename eq \"%s/victim\" then deny[EACCES]\n",
	    op, dir);
}

static void unlink_policy(const char *d, FILE *o) { victim_policy("unlink", d, o); }
static void rename_policy(const char *d, FILE *o) { victim_policy("rename", d, o); }
static void chmod_policy(const char *d, FILE *o) { victim_policy("chmod", d, o); }

static void
victim_setup(const char *dir)
{
	char p[PATH_MAX];

	put_file(pjoin(p, dir, "victim"), "victim", 0644);
	put_file(pjoin(p, dir, "decoys"), "decoys", 0644);
}

static void
ensure(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

	if (fd < 0)
		die("create %s: %s", path, strerror(errno));
	close(fd);
}

static void
unlink_run(const char *dir, long n, struct atk_result *r)
{
	char victim[PATH_MAX], decoy[PATH_MAX];
	struct memflip m;
	struct flipper f;
	long i;

	pjoin(victim, dir, "victim");
	pjoin(decoy, dir, "decoys");
	setup_flip(&m, dir, "decoys", "victim");
	flip_start(&f, flip_mem, &m);
	for (i = 0; i < n; i++) {
		int rc = unlink(path_buf), e = errno;

		r->attempts++;
		if (access(victim, F_OK) != 0) {
			r->wins++;
			ensure(victim);
		} else if (rc == 0) {
			r->ok++;
			ensure(decoy);
		} else if (e == EACCES)
			r->denied++;
		else
			r->other++;
	}
	flip_stop(&f);
}

static void
rename_run(const char *dir, long n, struct atk_result *r)
{
	char victim[PATH_MAX], decoy[PATH_MAX], moved[PATH_MAX];
	struct memflip m;
	struct flipper f;
	long i;

	pjoin(victim, dir, "victim");
	pjoin(decoy, dir, "decoys");
	pjoin(moved, dir, "moved");
	setup_flip(&m, dir, "decoys", "victim");
	flip_start(&f, flip_mem, &m);
	for (i = 0; i < n; i++) {
		int rc = rename(path_buf, moved), e = errno;

		r->attempts++;
		if (access(victim, F_OK) != 0) {
			r->wins++;
			if (rename(moved, victim) != 0)
				die("restore victim: %s", strerror(errno));
		} else if (rc == 0) {
			r->ok++;
			if (rename(moved, decoy) != 0)
				die("restore decoy: %s", strerror(errno));
		} else if (e == EACCES)
			r->denied++;
		else
			r->other++;
	}
	flip_stop(&f);
}

static void
chmod_run(const char *dir, long n, struct atk_result *r)
{
	char victim[PATH_MAX];
	struct memflip m;
	struct flipper f;
	struct stat st;
	long i;
	int vfd;

	if ((vfd = open(pjoin(victim, dir, "victim"), O_RDONLY | O_CLOEXEC)) < 0)
		die("open victim: %s", strerror(errno));
	setup_flip(&m, dir, "decoys", "victim");
	flip_start(&f, flip_mem, &m);
	for (i = 0; i < n; i++) {
		int rc = chmod(path_buf, 0600), e = errno;

		r->attempts++;
		if (fstat(vfd, &st) != 0)
			die("fstat victim: %s", strerror(errno));
		if ((st.st_mode & 07777) != 0644) {
			r->wins++;
			if (fchmod(vfd, 0644) != 0)
				die("restore victim: %s", strerror(errno));
		} else if (rc == 0)
			r->ok++;
		else if (e == EACCES)
			r->denied++;
		else
			r->other++;
	}
	flip_stop(&f);
	close(vfd);
}

/* ---------------------------------------------------------------- */
/* chdir: end up in the directory the policy forbids                 */

static void
chdir_policy(const char *dir, FILE *out)
{
	fprintf(out, "  - chdir: filename eq \"%s/secret\" then deny[EACCES]\n",
	    dir);
}

static void
chdir_setup(const char *dir)
{
	char p[PATH_MAX];

	make_dir(pjoin(p, dir, "public"));
	make_dir(pjoin(p, dir, "secret"));
}

static void
chdir_run(const char *dir, long n, struct atk_result *r)
{
	char secret[PATH_MAX], cwd[PATH_MAX];
	struct memflip m;
	struct flipper f;
	long i;
	int home;

	pjoin(secret, dir, "secret");
	if ((home = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		die("open %s: %s", dir, strerror(errno));
	setup_flip(&m, dir, "public", "secret");
	flip_start(&f, flip_mem, &m);
	for (i = 0; i < n; i++) {
		int rc = chdir(path_buf), e = errno;

		r->attempts++;
		if (getcwd(cwd, sizeof(cwd)) == NULL)
			r->other++;
		else if (strcmp(cwd, secret) == 0)
			r->wins++;
		else if (rc == 0)
			r->ok++;
		else if (e == EACCES)
			r->denied++;
		else
			r->other++;
		if (fchdir(home) != 0)
			die("fchdir: %s", strerror(errno));
	}
	flip_stop(&f);
	close(home);
}

/* ---------------------------------------------------------------- */
/* execve: run the denied binary                                     */

static void
exec_policy(const char *dir, FILE *out)
{
	fprintf(out, "  - execve: filename eq \"%s/secret\" then deny[EACCES]\n",
	    dir);
}

static void
exec_setup(const char *dir)
{
	char here[PATH_MAX], from[PATH_MAX], to[PATH_MAX];

	self_dir(here);
	copy_file(pjoin(from, here, "probe_ok"), pjoin(to, dir, "public"), 0755);
	copy_file(pjoin(from, here, "probe_bad"), pjoin(to, dir, "secret"), 0755);
}

/* The child: start the racer on path_buf, exec it. */
static void
exec_child(void *arg)
{
	static char *const argv[] = { "probe", NULL };
	static char *const envp[] = { NULL };
	struct flipper f;

	flip_start(&f, flip_mem, arg);
	execve(path_buf, argv, envp);
}

static void
exec_run(const char *dir, long n, struct atk_result *r)
{
	struct memflip m;
	long i;

	setup_flip(&m, dir, "public", "secret");
	for (i = 0; i < n; i++)
		exec_attempt(exec_child, &m, r);
}

static const struct atk_class classes[] = {
	{ "open", open_policy, open_setup, open_run },
	{ "shm-open", open_policy, open_setup, shm_run },
	{ "open-write", write_policy, write_setup, write_run },
	{ "unlink", unlink_policy, victim_setup, unlink_run },
	{ "rename", rename_policy, victim_setup, rename_run },
	{ "chmod", chmod_policy, victim_setup, chmod_run },
	{ "chdir", chdir_policy, chdir_setup, chdir_run },
	{ "execve", exec_policy, exec_setup, exec_run },
};

int
main(int argc, char **argv)
{
	return atk_main(argc, argv, classes, sizeof(classes) / sizeof(classes[0]));
}
