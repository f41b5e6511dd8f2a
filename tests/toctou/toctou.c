/* toctou.c: the helpers every race attack links with: the policy/setup/run command line,
 * the RESULT line the harness parses, racing threads, and file and path helpers. */
#include <errno.h>
#include <sched.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "toctou.h"

void
die(const char *fmt, ...)
{
	va_list ap;

	fputs("toctou: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

char *
pjoin(char *buf, const char *dir, const char *name)
{
	if ((size_t)snprintf(buf, PATH_MAX, "%s/%s", dir, name) >= PATH_MAX)
		die("path too long: %s/%s", dir, name);
	return buf;
}

void
put_file(const char *path, const char *text, mode_t mode)
{
	size_t len = strlen(text);
	int fd;

	(void)unlink(path);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)) < 0)
		die("create %s: %s", path, strerror(errno));
	if (write(fd, text, len) != (ssize_t)len)
		die("write %s: %s", path, strerror(errno));
	if (fchmod(fd, mode) != 0)
		die("chmod %s: %s", path, strerror(errno));
	close(fd);
}

void
copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	ssize_t n;
	int in, out;

	if ((in = open(from, O_RDONLY | O_CLOEXEC)) < 0)
		die("open %s: %s", from, strerror(errno));
	(void)unlink(to);
	if ((out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)) < 0)
		die("create %s: %s", to, strerror(errno));
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			die("write %s: %s", to, strerror(errno));
	if (n < 0)
		die("read %s: %s", from, strerror(errno));
	if (fchmod(out, mode) != 0)
		die("chmod %s: %s", to, strerror(errno));
	close(in);
	close(out);
}

void
make_dir(const char *path)
{
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		die("mkdir %s: %s", path, strerror(errno));
}

int
read_fd(int fd, char *buf, size_t cap)
{
	ssize_t n = pread(fd, buf, cap - 1, 0);

	if (n < 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

bool
score_refused(struct atk_result *r, int fd)
{
	r->attempts++;
	if (fd >= 0)
		return false;
	if (errno == EACCES)
		r->denied++;
	else
		r->other++;
	return true;
}

void
score_open(struct atk_result *r, int fd)
{
	char buf[64];

	if (score_refused(r, fd))
		return;
	if (read_fd(fd, buf, sizeof(buf)) != 0)
		r->other++;
	else if (strcmp(buf, SECRET_TEXT) == 0)
		r->wins++;
	else if (strcmp(buf, PUBLIC_TEXT) == 0)
		r->ok++;
	else
		r->other++;
	close(fd);
}

void
self_path(char *buf)
{
	ssize_t n = readlink("/proc/self/exe", buf, PATH_MAX - 1);

	if (n < 0)
		die("readlink /proc/self/exe: %s", strerror(errno));
	buf[n] = '\0';
}

void
self_dir(char *buf)
{
	char *slash;

	self_path(buf);
	if ((slash = strrchr(buf, '/')) != NULL)
		*slash = '\0';
}

double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Byte stores the compiler must perform in order (no dead-store removal). */
void
flip_bytes(volatile void *dst, const void *src, size_t len)
{
	volatile char *d = dst;
	const char *s = src;
	size_t i;

	for (i = 0; i < len; i++)
		d[i] = s[i];
}

void
flip_mem(void *arg, unsigned phase)
{
	struct memflip *m = arg;

	flip_bytes(m->dst, m->val[phase & 1], m->len);
}

/*
 * Where the racing thread and the attacking thread run.  Left to the
 * scheduler, the racer often ends up sharing a CPU with the monitor, which
 * then preempts it for the whole window, and the race is lost for the rest
 * of the run (a run could see no win at all).  So the racer rotates the
 * placement every 50 ms: racer on the first CPU and attacker on the
 * second, the other way round, then both free.  Any program may place its
 * own threads, so this is fair play against both monitors.
 */
#define PLACE_PERIOD	0.05

/* The which-th CPU (0 or 1) this process may run on, or -1. */
static int
nth_cpu(const cpu_set_t *all, int which)
{
	int cpu;

	for (cpu = 0; cpu < CPU_SETSIZE; cpu++)
		if (CPU_ISSET(cpu, all) && which-- == 0)
			return cpu;
	return -1;
}

static void
set_cpus(pid_t tid, const cpu_set_t *all, int which)
{
	cpu_set_t one;
	int cpu = which < 0 ? -1 : nth_cpu(all, which);

	if (cpu < 0)
		one = *all;
	else {
		CPU_ZERO(&one);
		CPU_SET(cpu, &one);
	}
	(void)sched_setaffinity(tid, sizeof(one), &one);
}

void
place_init(struct place *pl, pid_t attacker)
{
	pl->attacker = attacker;
	pl->next = 0;
	pl->phase = 0;
	if (attacker == 0 ||
	    sched_getaffinity(0, sizeof(pl->all), &pl->all) != 0 ||
	    CPU_COUNT(&pl->all) < 2)
		pl->attacker = 0;	/* one CPU: nothing to place */
}

void
place_step(struct place *pl)
{
	double t;

	if (pl->attacker == 0 || (t = now()) < pl->next)
		return;
	pl->next = t + PLACE_PERIOD;
	switch (pl->phase++ % 3) {
	case 0:
		set_cpus(0, &pl->all, 0);
		set_cpus(pl->attacker, &pl->all, 1);
		break;
	case 1:
		set_cpus(0, &pl->all, 1);
		set_cpus(pl->attacker, &pl->all, 0);
		break;
	default:
		set_cpus(0, &pl->all, -1);
		set_cpus(pl->attacker, &pl->all, -1);
		break;
	}
}

static void *
flip_loop(void *arg)
{
	struct flipper *f = arg;
	unsigned long i = 0;

	while (!atomic_load_explicit(&f->stop, memory_order_relaxed)) {
		if ((i & 1023) == 0)
			place_step(&f->place);
		f->fn(f->arg, (unsigned)(i++ & 1));
	}
	f->fn(f->arg, 0);		/* leave the permitted value behind */
	f->flips = i;
	return NULL;
}

void
flip_start(struct flipper *f, void (*fn)(void *, unsigned), void *arg)
{
	flip_start_placed(f, fn, arg, 1);
}

void
flip_start_placed(struct flipper *f, void (*fn)(void *, unsigned), void *arg,
    int placed)
{
	int e;

	f->fn = fn;
	f->arg = arg;
	f->flips = 0;
	atomic_store(&f->stop, 0);
	place_init(&f->place, placed ? (pid_t)syscall(SYS_gettid) : 0);
	if ((e = pthread_create(&f->th, NULL, flip_loop, f)) != 0)
		die("pthread_create: %s", strerror(e));
}

void
flip_stop(struct flipper *f)
{
	atomic_store(&f->stop, 1);
	pthread_join(f->th, NULL);
	if (f->place.attacker != 0)
		set_cpus(f->place.attacker, &f->place.all, -1);
}

void
exec_attempt(void (*child)(void *), void *arg, struct atk_result *r)
{
	pid_t pid;
	int st;

	if ((pid = fork()) < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		child(arg);		/* returns only if the exec failed */
		_exit(errno == EACCES ? 50 : 51);
	}
	if (waitpid(pid, &st, 0) != pid)
		die("waitpid: %s", strerror(errno));
	r->attempts++;
	if (WIFEXITED(st) && WEXITSTATUS(st) == PROBE_BAD)
		r->wins++;
	else if (WIFEXITED(st) && WEXITSTATUS(st) == PROBE_OK)
		r->ok++;
	else if (WIFEXITED(st) && WEXITSTATUS(st) == 50)
		r->denied++;
	else if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
		r->caught++;
	else
		r->other++;
}

int atk_fast;

int
open_route(int dirfd, const char *path, long i)
{
	return open_route_flags(dirfd, path, i, O_RDONLY);
}

int
open_route_flags(int dirfd, const char *path, long i, int flags)
{
	char proc[64];
	int pfd, fd, e;

	if (!atk_fast || (i & 1) == 0)
		return openat(dirfd, path, flags | O_CLOEXEC);
	if ((pfd = openat(dirfd, path, O_PATH | O_CLOEXEC)) < 0)
		return -1;
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", pfd);
	fd = open(proc, flags | O_CLOEXEC);
	e = errno;
	close(pfd);
	errno = e;
	return fd;
}

static void
usage(const char *prog, const struct atk_class *cl, size_t ncl)
{
	size_t i;

	fprintf(stderr, "usage: %s policy|setup CLASS DIR\n"
	    "       %s run CLASS DIR ATTEMPTS\nclasses (each also as "
	    "CLASS+fast):", prog, prog);
	for (i = 0; i < ncl; i++)
		fprintf(stderr, " %s", cl[i].name);
	fputc('\n', stderr);
	exit(2);
}

int
atk_main(int argc, char **argv, const struct atk_class *cl, size_t ncl)
{
	const struct atk_class *c = NULL;
	struct atk_result r;
	char dir[PATH_MAX];
	double t0;
	size_t i, len;
	long n;

	if (argc < 4)
		usage(argv[0], cl, ncl);
	len = strlen(argv[2]);
	if (len > 5 && strcmp(argv[2] + len - 5, "+fast") == 0) {
		atk_fast = 1;
		len -= 5;
	}
	for (i = 0; i < ncl; i++)
		if (strlen(cl[i].name) == len &&
		    strncmp(cl[i].name, argv[2], len) == 0)
			c = &cl[i];
	if (c == NULL)
		usage(argv[0], cl, ncl);
	if (realpath(argv[3], dir) == NULL)
		die("%s: %s", argv[3], strerror(errno));
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (strcmp(argv[1], "policy") == 0 && !atk_fast) {
		/* unmount denied, as no class needs it: a policy that may
		 * permit it keeps a program run as root in no Landlock
		 * domain, with every open supervised (policyctl(8)) */
		printf("# toctou class %s: permit everything but the operation "
		    "the attack tries\npolicy: 1\nname: toctou-%s\n"
		    "default: permit\nerrno: EACCES\nlog: none\nrules:\n"
		    "  - unmount: then deny\n", c->name, c->name);
		c->policy(dir, stdout);
		return ferror(stdout) ? 2 : 0;
	}
	if (strcmp(argv[1], "policy") == 0) {
		/*
		 * The fast variant: the class's rules between rules the
		 * kernel filter decides by name: O_PATH opens on their flags
		 * (real O_PATH descriptors, when no exec rule makes the
		 * supervisor see every open), and the fsread and fswrite
		 * calls no class rule names (stat, access, readlink, chdir,
		 * mkdir, unlink...) by the unconditional alias permits.
		 */
		printf("# toctou class %s+fast: the class's rules, with every "
		    "call the kernel filter can decide by name decided there\n"
		    "policy: 1\nname: toctou-%s-fast\ndefault: permit\n"
		    "errno: EACCES\nlog: none\nrules:\n"
		    "  - unmount: then deny\n"
		    "  - open: flags sub \"O_PATH\" then permit\n",
		    c->name, c->name);
		c->policy(dir, stdout);
		printf("  - fsread: then permit\n  - fswrite: then permit\n");
		return ferror(stdout) ? 2 : 0;
	}
	if (strcmp(argv[1], "setup") == 0) {
		c->setup(dir);
		return 0;
	}
	if (strcmp(argv[1], "run") != 0 || argc < 5)
		usage(argv[0], cl, ncl);
	n = strtol(argv[4], NULL, 10);
	if (n <= 0)
		die("bad attempt count %s", argv[4]);
	/* A stuck attack must not hang the suite: the harness has its own
	 * timeout, this is the last resort. */
	alarm((unsigned)(600 + n / 20));
	memset(&r, 0, sizeof(r));
	r.mode = "thread";
	t0 = now();
	c->run(dir, n, &r);
	printf("RESULT class=%s%s attempts=%ld wins=%ld denied=%ld ok=%ld "
	    "caught=%ld other=%ld mode=%s seconds=%.2f\n", c->name,
	    atk_fast ? "+fast" : "", r.attempts,
	    r.wins, r.denied, r.ok, r.caught, r.other, r.mode, now() - t0);
	return 0;
}
