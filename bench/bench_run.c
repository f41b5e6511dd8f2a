/* bench_run.c: the cost of `policyctl run`, as ratios measured in one run against a native
 * run and `strace -f -e trace=file`: per call (BPF-decided, supervised) and real workloads. */
/*
 * Every figure is the median of ROUNDS rounds; within a round the native,
 * confined and strace runs of a workload follow each other, so that a busy
 * machine slows them alike.  Per-call figures are timed inside the
 * confined program (this binary, re-executed as `bench_run --work ...`),
 * so start-up is not in them; workload figures are wall-clock times of
 * whole commands, start-up included.  Workloads run under realistic
 * policies (share/policies/python3.yaml and build.yaml, a policy learned
 * from the same make, a read-only one) and, as the worst case, one that
 * sends every file call to the supervisor.  Each row prints its target and
 * "met" or "missed", and the supervisor's round trips per second (the
 * notifications of a separate run, counted by policyctl run with
 * POLICYCTL_TALLY).  Supervisor memory is read from /proc while a program
 * under a 1,000-rule policy has made 10,000 and then 1,000,000 supervised
 * calls (100,000 with BENCH_QUICK).
 *
 * Environment: POLICYCTL (default: ../policyctl next to this binary),
 * BENCH_QUICK=1 for a short run (fewer calls, one round).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include "bench_clock.h"

#define ROUNDS_MAX	9

static char dir[256];			/* scratch */
static char policyctl[PATH_MAX];
static char notify[PATH_MAX];		/* bench_notify, beside this binary */
static char self[PATH_MAX];
static int quick;


/* ------------------------------------------------------------------ */
/* The measured program                                                */

/*
 * --work getpid|open|write|landlock|missing|stat N [FILE [MARKS...]]: make
 * the call N times (open: read-only open+close; write: O_WRONLY open+close;
 * landlock: the same under a bare Landlock rule set of its own, see
 * bare_landlock; landlockf: and a seccomp filter that reads openat's
 * flags, see flags_filter; missing: a read-only open that must fail with ENOENT),
 * print "ns-per-call".  At each mark (a count), print "mark COUNT" and wait
 * for a byte on stdin (the runner reads the supervisor's memory meanwhile).
 */
/*
 * The Landlock write row's floor: the rights policyctl's rule set handles
 * (policy_linux_landlock.c: write, create, truncate) granted beneath
 * file's directory, restricting this process, with no seccomp filter; what
 * the kernel's own check of a write open costs.  0, or -1.
 */
#define BL_WRITE_FILE	(1ull << 1)
#define BL_MAKE_REG	(1ull << 8)
#define BL_TRUNCATE	(1ull << 14)	/* Landlock ABI 3 */
static int
bare_landlock(const char *file)
{
	struct { uint64_t handled; } attr;
	struct { uint64_t allowed; int32_t parent; } __attribute__((packed)) pb;
	char dir[PATH_MAX], *slash;
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, 1u);
	int rs;

	snprintf(dir, sizeof(dir), "%s", file);
	if ((slash = strrchr(dir, '/')) == NULL || abi < 1)
		return -1;
	*slash = '\0';
	attr.handled = BL_WRITE_FILE | BL_MAKE_REG | (abi >= 3 ? BL_TRUNCATE : 0);
	pb.allowed = attr.handled;
	if ((rs = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr),
	    0)) < 0)
		return -1;
	if ((pb.parent = open(dir[0] ? dir : "/", O_PATH | O_CLOEXEC)) < 0 ||
	    syscall(SYS_landlock_add_rule, rs, 1 /* PATH_BENEATH */, &pb, 0) != 0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    syscall(SYS_landlock_restrict_self, rs, 0) != 0)
		return -1;
	close(pb.parent);
	close(rs);
	return 0;
}

/*
 * The Landlock row's second floor: a seccomp filter that must read an
 * open's flags to tell a write open (Landlock's) from a read.  The kernel
 * skips a filter for the calls it answers alike whatever their arguments
 * (its per-call cache of constant verdicts), so a filter that lets every
 * open through by name costs an open nothing; this one runs for each
 * openat, as policyctl's does under a policy Landlock decides.  0, or -1.
 */
static int
flags_filter(void)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat, 0, 2),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, args[2])),
		BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, O_ACCMODE, 0, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog fp = { sizeof(f) / sizeof(f[0]), f };

	return (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fp);
}

static int
work(int argc, char **argv)
{
	const char *kind = argv[2], *file = argc > 4 ? argv[4] : "/";
	long n = atol(argv[3]), i, next = -1;
	int m = 5, fd;
	struct stat st;
	double t0;
	char b;

	if (argc > m)
		next = atol(argv[m]);
	if (kind[0] == 'l' && bare_landlock(file) != 0) {
		fprintf(stderr, "%s: no Landlock rule set (%s)\n", file,
		    strerror(errno));
		return 1;
	}
	if (strcmp(kind, "landlockf") == 0 && flags_filter() != 0) {
		fprintf(stderr, "no seccomp filter (%s)\n", strerror(errno));
		return 1;
	}
	t0 = now_ns();
	for (i = 1; i <= n; i++) {
		if (kind[0] == 'g')
			(void)syscall(SYS_getpid);
		else if (kind[0] == 'm') {	/* a file that is not there */
			if ((fd = open(file, O_RDONLY)) >= 0 || errno != ENOENT) {
				fprintf(stderr, "%s: want ENOENT\n", file);
				return 1;
			}
		} else if (kind[0] == 'o' || kind[0] == 'w' || kind[0] == 'l') {
			if ((fd = open(file, kind[0] == 'o' ? O_RDONLY :
			    O_WRONLY)) < 0) {
				perror(file);
				return 1;
			}
			close(fd);
		} else if (stat(file, &st) != 0) {
			perror(file);
			return 1;
		}
		if (i == next) {
			printf("mark %ld\n", i);
			fflush(stdout);
			if (read(0, &b, 1) != 1)
				return 1;
			next = ++m < argc ? atol(argv[m]) : -1;
		}
	}
	printf("%.1f\n", (now_ns() - t0) / (double)n);
	fflush(stdout);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Running things                                                      */

enum mode { NATIVE, POLICY, STRACE, NMODES };
static const char *const mode_name[NMODES] = { "native", "policyctl run",
    "strace" };

/* Run on CPU 0 only (taskset), to show the cost without migrations. */
static int pin;
/* Floor rows: "confined" under bench_notify with these arguments instead
 * of policyctl run (a minimal supervisor: see bench_notify.c). */
static char *const *floor_args;

/* argv for cmd under mode, in buf. */
static char **
wrap(enum mode m, const char *policy, char *const cmd[], char **buf)
{
	int n = 0, i;

	if (pin) {
		buf[n++] = "taskset";
		buf[n++] = "-c";
		buf[n++] = "0";
	}
	if (m == POLICY && floor_args != NULL) {
		buf[n++] = notify;
		for (i = 0; floor_args[i] != NULL; i++)
			buf[n++] = floor_args[i];
		buf[n++] = "--";
	} else if (m == POLICY) {
		buf[n++] = policyctl;
		buf[n++] = "run";
		buf[n++] = "-p";
		buf[n++] = (char *)policy;
		buf[n++] = "--";
	} else if (m == STRACE) {
		buf[n++] = "strace";
		buf[n++] = "-f";
		buf[n++] = "-e";
		buf[n++] = "trace=file";
		buf[n++] = "-o";
		buf[n++] = "/dev/null";
	}
	for (i = 0; cmd[i] != NULL; i++)
		buf[n++] = cmd[i];
	buf[n] = NULL;
	return buf;
}

/* Start argv with stdout to a pipe (*outp) and stdin from one (*inp); or
 * both to /dev/null. */
static pid_t
spawn(char **argv, FILE **outp, FILE **inp)
{
	int o[2], in[2];
	pid_t pid;

	if (outp != NULL && (pipe(o) != 0 || pipe(in) != 0))
		return -1;
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);

		if (outp != NULL) {
			dup2(o[1], 1);
			dup2(in[0], 0);
			close(o[0]);
			close(o[1]);
			close(in[0]);
			close(in[1]);
		} else {
			dup2(nul, 0);
			dup2(nul, 1);
		}
		if (getenv("BENCH_DEBUG") == NULL)
			dup2(nul, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (outp != NULL) {
		close(o[1]);
		close(in[0]);
		*outp = fdopen(o[0], "r");
		*inp = fdopen(in[1], "w");
	}
	return pid;
}

static int
finish(pid_t pid)
{
	int st;

	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* ns per call of `bench_run --work kind n file` under m, or -1. */
static double
per_call(enum mode m, const char *policy, const char *kind, long n,
    const char *file)
{
	char num[32], *cmd[8], *argv[24], line[128];
	FILE *out, *in;
	double v = -1;
	pid_t pid;

	snprintf(num, sizeof(num), "%ld", n);
	cmd[0] = self;
	cmd[1] = "--work";
	cmd[2] = (char *)kind;
	cmd[3] = num;
	cmd[4] = (char *)file;
	cmd[5] = NULL;
	if ((pid = spawn(wrap(m, policy, cmd, argv), &out, &in)) < 0)
		return -1;
	if (fgets(line, sizeof(line), out) != NULL)
		v = atof(line);
	fclose(in);
	fclose(out);
	if (finish(pid) != 0)
		return -1;
	return v;
}

/* Wall-clock ns of `cmd` (reps times, in dir) under m, per run. */
static double
wall(enum mode m, const char *policy, char *const cmd[], int reps)
{
	char *argv[32];
	double t0 = now_ns();
	int i;

	for (i = 0; i < reps; i++) {
		pid_t pid = spawn(wrap(m, policy, cmd, argv), NULL, NULL);

		if (pid < 0 || finish(pid) != 0)
			return -1;
	}
	return (now_ns() - t0) / reps;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (v[i] < 0)
			return -1;
	qsort(v, (size_t)n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* ------------------------------------------------------------------ */
/* Set-up                                                              */

static void
writefile(const char *name, const char *text)
{
	char p[PATH_MAX];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	if ((f = fopen(p, "w")) == NULL || fputs(text, f) < 0 ||
	    fclose(f) != 0) {
		perror(p);
		exit(1);
	}
}

/* Every file, exec and socket call goes to the supervisor; nothing the
 * benchmarks do is denied. */
static const char supervised[] =
    "policy: 1\n"
    "name: bench-supervised\n"
    "default: permit\n"
    "rules:\n"
    "  - fsread: filename inpath \"/nonexistent/bench\" then deny\n"
    "  - fswrite: filename inpath \"/nonexistent/bench\" then deny\n"
    "  - execve: filename eq \"/nonexistent/bench\" then deny\n"
    "  - connect: sockaddr eq \"inet-127.0.0.9:9\" then deny\n"
    "  - bind: sockaddr eq \"inet-127.0.0.9:9\" then deny\n"
    "  - sendto: sockaddr eq \"inet-127.0.0.9:9\" then deny\n"
    "  - sendmsg: sockaddr eq \"inet-127.0.0.9:9\" then deny\n";

static void
make_policies(void)
{
	size_t cap = 200000, len;
	char *y = malloc(cap);
	int i;

	/* write opens in the scratch directory decided by Landlock (see
	 * policy_linux_landlock.c: inpath permits, a final unlogged deny) */
	snprintf(y, cap, "policy: 1\nname: bench-landlock\ndefault: permit\n"
	    "errno: EACCES\nlog: none\nrules:\n"
	    "  - rmdir: filename eq \"%s\" then deny\n"
	    "  - rename: filename eq \"%s\" then deny\n"
	    "  - fswrite: filename inpath \"%s\" then permit\n"
	    "  - fswrite: then deny\n"
	    "  - unmount: then deny\n", dir, dir, dir);
	writefile("landlock.yaml", y);
	writefile("supervised.yaml", supervised);
	/* everything permitted but mounting and unmounting, which a policy
	 * for a program run as root denies: else it runs in no Landlock
	 * domain, every open supervised (policyctl(8), "The supervisor's own
	 * process") */
	writefile("permit.yaml", "policy: 1\nname: bench-permit\n"
	    "default: permit\nrules:\n  - mount: then deny\n"
	    "  - unmount: then deny\n");
	/* 1,000 rules of the usual kinds, none matching the benchmark */
	len = (size_t)snprintf(y, cap, "%s", supervised);
	for (i = 0; i < 1000; i++)
		len += (size_t)snprintf(y + len, cap - len, i % 4 == 0 ?
		    "  - fsread: filename eq \"/nonexistent/r%d/file\" then deny\n" :
		    i % 4 == 1 ?
		    "  - fsread: filename match \"/nonexistent/r%d/*.txt\" then deny\n" :
		    i % 4 == 2 ?
		    "  - fswrite: filename inpath \"/nonexistent/r%d\" then deny\n" :
		    "  - connect: sockaddr eq \"inet-127.0.0.%d:9\" then deny\n",
		    i % 4 == 3 ? 10 + i % 200 : i);
	writefile("rules1000.yaml", y);
	free(y);
	writefile("file", "bench\n");
}

/* A small C project: 8 files and a Makefile. */
static void
make_project(void)
{
	char name[64], text[512];
	int i;

	snprintf(text, sizeof(text), "%.256s/proj", dir);
	if (mkdir(text, 0755) != 0 && errno != EEXIST) {
		perror(text);
		exit(1);
	}
	for (i = 0; i < 8; i++) {
		snprintf(name, sizeof(name), "proj/f%d.c", i);
		snprintf(text, sizeof(text),
		    "#include <stdio.h>\n#include <string.h>\n#include <stdlib.h>\n"
		    "int f%d(const char *s) { char b[64]; snprintf(b, sizeof(b),"
		    " \"%%s%d\", s); return (int)strlen(b) + atoi(s); }\n", i, i);
		writefile(name, text);
	}
	writefile("proj/main.c", "#include <stdio.h>\n"
	    "int f0(const char *),f1(const char *),f2(const char *),"
	    "f3(const char *),f4(const char *),f5(const char *),"
	    "f6(const char *),f7(const char *);\n"
	    "int main(void) { printf(\"%d\\n\", f0(\"1\")+f1(\"2\")+f2(\"3\")"
	    "+f3(\"4\")+f4(\"5\")+f5(\"6\")+f6(\"7\")+f7(\"8\")); return 0; }\n");
	writefile("proj/Makefile", "OBJS = main.o f0.o f1.o f2.o f3.o f4.o "
	    "f5.o f6.o f7.o\nprog: $(OBJS)\n\t$(CC) -o $@ $(OBJS)\n"
	    "%.o: %.c\n\t$(CC) -O2 -c $<\n");
}

/* VmRSS and VmHWM of pid, in KiB. */
static int
rss(pid_t pid, long *cur, long *hwm)
{
	char p[64], line[256];
	FILE *f;

	snprintf(p, sizeof(p), "/proc/%d/status", (int)pid);
	if ((f = fopen(p, "r")) == NULL)
		return -1;
	*cur = *hwm = -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, "VmRSS:", 6) == 0)
			*cur = atol(line + 6);
		else if (strncmp(line, "VmHWM:", 6) == 0)
			*hwm = atol(line + 6);
	}
	fclose(f);
	return *cur < 0 ? -1 : 0;
}

/*
 * The supervisor's memory under the 1,000-rule policy, after each mark
 * of supervised open+close calls.
 */
static int
memory(long n, long *marks, int nmarks, long *cur, long *hwm)
{
	char num[32], pol[PATH_MAX], file[PATH_MAX], ms[4][32];
	char *argv[16], line[128];
	FILE *out, *in;
	pid_t pid;
	int i, k = 0;

	snprintf(num, sizeof(num), "%ld", n);
	snprintf(pol, sizeof(pol), "%s/rules1000.yaml", dir);
	snprintf(file, sizeof(file), "%s/file", dir);
	argv[0] = policyctl;
	argv[1] = "run";
	argv[2] = "-p";
	argv[3] = pol;
	argv[4] = "--";
	argv[5] = self;
	argv[6] = "--work";
	argv[7] = "open";
	argv[8] = num;
	argv[9] = file;
	for (i = 0; i < nmarks; i++) {
		snprintf(ms[i], sizeof(ms[i]), "%ld", marks[i]);
		argv[10 + i] = ms[i];
	}
	argv[10 + nmarks] = NULL;
	if ((pid = spawn(argv, &out, &in)) < 0)
		return -1;
	while (fgets(line, sizeof(line), out) != NULL) {
		if (strncmp(line, "mark ", 5) != 0)
			continue;
		if (k < nmarks && rss(pid, &cur[k], &hwm[k]) == 0)
			k++;
		fputc('g', in);
		fflush(in);
	}
	fclose(in);
	fclose(out);
	return finish(pid) == 0 && k == nmarks ? 0 : -1;
}

/* ------------------------------------------------------------------ */

/*
 * Round trips to the supervisor: `policyctl run` with POLICYCTL_TALLY set
 * prints the number of notifications it received at its end ("by the
 * supervisor: N"; -v would send every call to it).  From one untimed run
 * of cmd under policy; -1 if it could not be read.
 */
static long
round_trips(const char *policy, char *const cmd[])
{
	char *argv[32], log[PATH_MAX], line[512];
	long n = -1;
	FILE *f;
	pid_t pid;
	int i, k = 0;

	snprintf(log, sizeof(log), "%s/rt.log", dir);
	argv[k++] = policyctl;
	argv[k++] = "run";
	argv[k++] = "-p";
	argv[k++] = (char *)policy;
	argv[k++] = "--";
	for (i = 0; cmd[i] != NULL && k < 31; i++)
		argv[k++] = cmd[i];
	argv[k] = NULL;
	if ((pid = fork()) < 0)
		return -1;
	if (pid == 0) {
		int nul = open("/dev/null", O_RDWR);
		int lf = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (nul < 0 || lf < 0)
			_exit(127);
		dup2(nul, 0);
		dup2(nul, 1);
		dup2(lf, 2);
		setenv("POLICYCTL_TALLY", "1", 1);
		execvp(argv[0], argv);
		_exit(127);
	}
	if (finish(pid) != 0 || (f = fopen(log, "r")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		const char *p = strstr(line, "by the supervisor: ");

		if (p != NULL)
			n = atol(p + 19);
	}
	fclose(f);
	return n;
}

struct row {
	const char	*name;
	const char	*policy;	/* confined under */
	char *const	*cmd;		/* workload rows: the command */
	const char	*kind;		/* per-call rows: --work kind */
	long		n[NMODES];	/* per-call rows: calls per mode */
	int		reps;		/* workload rows: runs per figure */
	int		use_strace;	/* also time it under strace */
	int		pin;		/* under taskset -c 0 */
	double		max_ratio;	/* target: confined/native at most */
	double		min_vs_strace;	/* target: strace/confined at least */
	char *const	*floor;		/* a floor row: bench_notify's args */
	const char	*bare;		/* or: its confined figure is this
					 * --work kind, run as it is */
	const char	*note;		/* target text when there is none */
	double		v[NMODES][ROUNDS_MAX];
	double		med[NMODES];
	double		rt;		/* round trips per call or per run */
};

static void
row_round(struct row *r, int round, const char *file)
{
	int m;

	pin = r->pin;
	floor_args = r->floor;
	for (m = 0; m < NMODES; m++) {
		if (m == STRACE && !r->use_strace) {
			r->v[m][round] = -1;
			continue;
		}
		if (r->kind != NULL && m == POLICY && r->bare != NULL)
			r->v[m][round] = per_call(NATIVE, NULL, r->bare,
			    r->n[m], file);
		else if (r->kind != NULL)
			r->v[m][round] = per_call((enum mode)m, r->policy,
			    r->kind, r->n[m], file);
		else
			r->v[m][round] = wall((enum mode)m, r->policy, r->cmd,
			    r->reps);
	}
	pin = 0;
	floor_args = NULL;
}

/* Round trips per call (per-call rows: from 10,000 calls) or per run. */
static void
row_round_trips(struct row *r, const char *file)
{
	char *cmd[8];
	long n;

	if (r->floor != NULL) {
		r->rt = 1;		/* per-call rows: one per call */
		return;
	}
	if (r->bare != NULL) {
		r->rt = 0;		/* no supervisor */
		return;
	}
	if (r->kind == NULL) {
		n = round_trips(r->policy, r->cmd);
		r->rt = n < 0 ? -1 : (double)n;
		return;
	}
	cmd[0] = self;
	cmd[1] = "--work";
	cmd[2] = (char *)r->kind;
	cmd[3] = "10000";
	cmd[4] = (char *)file;
	cmd[5] = NULL;
	n = round_trips(r->policy, cmd);
	r->rt = n < 0 ? -1 : (double)n / 10000.0;
}

/* A floor row (under bench_notify, or bare): printed with its row. */
static int
row_is_floor(const struct row *r)
{
	return r->floor != NULL || r->bare != NULL;
}

/* "met", "missed" or "-" (no target, or no figure). */
static const char *
row_verdict(const struct row *r, char *target, size_t cap)
{
	double ratio, vs;
	int ok = 1, any = 0;
	size_t len = 0;

	target[0] = '\0';
	if (r->max_ratio > 0)
		len += (size_t)snprintf(target + len, cap - len, "<= %gx",
		    r->max_ratio);
	if (r->min_vs_strace > 0 && len < cap)
		len += (size_t)snprintf(target + len, cap - len,
		    "%s>= %gx faster than strace", len ? ", " : "",
		    r->min_vs_strace);
	if (len == 0) {
		snprintf(target, cap, "%s", r->note != NULL ? r->note : "-");
		return "-";
	}
	if (r->med[POLICY] <= 0 || r->med[NATIVE] <= 0)
		return "missed";
	ratio = r->med[POLICY] / r->med[NATIVE];
	if (r->max_ratio > 0) {
		any = 1;
		ok &= ratio <= r->max_ratio;
	}
	if (r->min_vs_strace > 0) {
		if (r->med[STRACE] <= 0)
			return "-";
		vs = r->med[STRACE] / r->med[POLICY];
		any = 1;
		ok &= vs >= r->min_vs_strace;
	}
	return any && ok ? "met" : "missed";
}

static void
print_row(const struct row *r)
{
	char nat[32], pol[48], st[48], vs[32], rt[32], target[96];
	double u = 1000.0;		/* ns -> µs */
	const char *un = "us", *verdict;

	if (r->med[NATIVE] > 1e6) {
		u = 1e6;
		un = "ms";
	}
	snprintf(nat, sizeof(nat), "%.2f %s", r->med[NATIVE] / u, un);
	if (r->med[POLICY] < 0)
		snprintf(pol, sizeof(pol), "failed");
	else
		snprintf(pol, sizeof(pol), "%.2f %s %6.2fx", r->med[POLICY] / u,
		    un, r->med[POLICY] / r->med[NATIVE]);
	if (r->med[STRACE] < 0)
		snprintf(st, sizeof(st), "-");
	else
		snprintf(st, sizeof(st), "%.2f %s %6.2fx", r->med[STRACE] / u,
		    un, r->med[STRACE] / r->med[NATIVE]);
	if (r->med[STRACE] > 0 && r->med[POLICY] > 0)
		snprintf(vs, sizeof(vs), "%.1fx", r->med[STRACE] / r->med[POLICY]);
	else
		snprintf(vs, sizeof(vs), "-");
	/* round trips per second of the confined run */
	if (r->floor != NULL && r->kind == NULL)
		snprintf(rt, sizeof(rt), "-");	/* not counted by bench_notify */
	else if (r->rt < 0 || r->med[POLICY] <= 0)
		snprintf(rt, sizeof(rt), "?");
	else
		snprintf(rt, sizeof(rt), "%.0f", r->rt * 1e9 / r->med[POLICY]);
	verdict = row_verdict(r, target, sizeof(target));
	printf("%-38s %10s %19s %19s %9s %8s  %-6s %s\n", r->name, nat, pol, st,
	    vs, rt, verdict, target);
}

/* A realistic row against its floor: how far the target is below it. */
static void
print_floor_ratio(const struct row *r, const struct row *f)
{
	if (r == NULL || f == NULL || r->med[POLICY] <= 0 ||
	    f->med[POLICY] <= 0 || r->med[NATIVE] <= 0 || f->med[NATIVE] <= 0)
		return;
	printf("%s: floor %.2fx native (target %gx), policyctl run %.2fx "
	    "native = %.2fx the floor\n", r->name, f->med[POLICY] /
	    f->med[NATIVE], r->max_ratio, r->med[POLICY] / r->med[NATIVE],
	    r->med[POLICY] / f->med[POLICY]);
}

/* The spread of the confined/native ratio over the rounds. */
static void
print_spread(const struct row *r, int rounds)
{
	double lo = 1e300, hi = 0;
	int i;

	for (i = 0; i < rounds; i++) {
		double x = r->v[POLICY][i] / r->v[NATIVE][i];

		if (r->v[POLICY][i] < 0 || r->v[NATIVE][i] <= 0)
			return;
		lo = x < lo ? x : lo;
		hi = x > hi ? x : hi;
	}
	printf("    %-40s confined/native over %d rounds: %.2fx .. %.2fx\n",
	    r->name, rounds, lo, hi);
}

/* share/policies/NAME: beside the working directory (make bench runs in
 * the tree), or next to the build directory policyctl is in. */
static int
stock_policy(const char *name, char *out, size_t cap)
{
	char *e;

	snprintf(out, cap, "share/policies/%s", name);
	if (access(out, R_OK) == 0)
		return 0;
	snprintf(out, cap, "%s", policyctl);
	if ((e = strrchr(out, '/')) != NULL)
		*e = '\0';
	strncat(out, "/../share/policies/", cap - strlen(out) - 1);
	strncat(out, name, cap - strlen(out) - 1);
	return access(out, R_OK);
}

/* build.yaml with its build tree /build replaced by tree, into DIR/name. */
static int
build_policy(const char *src, const char *tree, const char *name)
{
	char text[16384], out[PATH_MAX * 2], *p, *q;
	size_t n, len = 0;
	FILE *f;

	if ((f = fopen(src, "r")) == NULL)
		return -1;
	n = fread(text, 1, sizeof(text) - 1, f);
	fclose(f);
	text[n] = '\0';
	out[0] = '\0';
	for (p = text; (q = strstr(p, "inpath \"/build\"")) != NULL; p = q + 15)
		len += (size_t)snprintf(out + len, sizeof(out) - len,
		    "%.*sinpath \"%s\"", (int)(q - p), p, tree);
	snprintf(out + len, sizeof(out) - len, "%s", p);
	if (len == 0)
		return -1;		/* no build tree rule to replace */
	writefile(name, out);
	return 0;
}

/* `policyctl learn -o DIR/name -- cmd`; 0 if the policy was written. */
static int
learn(const char *name, char *const cmd[])
{
	char out[PATH_MAX], *argv[32];
	pid_t pid;
	int i, k = 0;

	snprintf(out, sizeof(out), "%s/%s", dir, name);
	argv[k++] = policyctl;
	argv[k++] = "learn";
	argv[k++] = "-o";
	argv[k++] = out;
	argv[k++] = "--";
	for (i = 0; cmd[i] != NULL && k < 31; i++)
		argv[k++] = cmd[i];
	argv[k] = NULL;
	if ((pid = spawn(argv, NULL, NULL)) < 0 || finish(pid) != 0)
		return -1;
	return access(out, R_OK);
}

/* Read-only, keys and credentials excluded: directories are opened by the
 * supervisor, stat and the rest are decided by name in the filter. */
static const char readonly[] =
    "policy: 1\n"
    "name: bench-readonly\n"
    "default: permit\n"
    "errno: EACCES\n"
    "log: deny\n"
    "rules:\n"
    "  - open: filename re \"^/(root|home/[^/]+)/\\\\.(ssh|gnupg|aws)(/|$)\" "
    "then deny\n"
    "  - open: filename re \"^/etc/(g?shadow-?|ssh/ssh_host_[^/]*_key)$\" "
    "then deny\n"
    "  - fswrite: then deny[EROFS]\n"
    "  - fsread: then permit\n"
    "  - unmount: then deny\n";

int
main(int argc, char **argv)
{
	struct row rows[32];
	char file[PATH_MAX], sup[PATH_MAX], perm[PATH_MAX], ro[PATH_MAX];
	char py3[PATH_MAX], bsrc[PATH_MAX], bpol[PATH_MAX], lpol[PATH_MAX];
	char llpol[PATH_MAX];
	char *py[] = { "/usr/bin/python3", "-c",
	    "import json, decimal, subprocess, threading, pathlib; "
	    "json.dumps({'a': [decimal.Decimal(1)]}, default=str)", NULL };
	char *find[] = { "busybox", "find", "/usr/share/doc", NULL };
	/* 50 processes started, exec'd and waited for: what each costs
	 * under the tracer (policyctl follows every fork and exec) */
	char *procs[] = { "/bin/sh", "-c", "i=0; while [ $i -lt 50 ]; do "
	    "/bin/true; i=$((i + 1)); done", NULL };
	char mk[PATH_MAX + 8];
	char *make[] = { "make", "-s", "-B", "-j2", "-C", mk, NULL };
	int rounds, i, r, nrows = 0, has_strace, has_py, has_find, has_make;
	int has_taskset, has_py3pol, has_build, has_learned, has_notify;
	int i_open, i_stat, i_fopen = -1, i_faddfd = -1, i_fstat = -1;
	int i_ll, i_fll, i_flf;
	static char *const fl_open[] = { "-s", "openat", NULL };
	static char *const fl_addfd[] = { "-a", "-s", "openat", NULL };
	static char *const fl_stat[] = { "-s", "newfstatat", NULL };
	/* the realistic rows' floors: only the calls those policies can
	 * never decide in the kernel (`policyctl show`: opens, as their
	 * secrets rules are regular expressions; under build.yaml the
	 * writing calls too, whose rules test the path; not execve,
	 * socket or an address-less sendto, which its filter decides; nor
	 * connect, bind and sendmsg, which make does not call and
	 * bench_notify's own handover needs), notified and answered
	 * CONTINUE */
	static char *const fl_wpy[] = { "-s", "open,openat", NULL };
#define WRITING_CALLS	"open,openat,openat2,creat,truncate,rename,renameat," \
	"renameat2,mkdir,mkdirat,mknod,mknodat,rmdir,link,linkat,unlink," \
	"unlinkat,symlink,symlinkat,chmod,fchmodat,chown,lchown,fchownat," \
	"utime,utimes,utimensat,futimesat,fchdir"
	static char *const fl_wmake[] = { "-s", WRITING_CALLS, NULL };
	/* the learned policy decides reads by exact path too: stat,
	 * access, readlink (cc1 reads every component of each header's
	 * path back) and chdir; exec and set*id by name and path */
	static char *const fl_lmake[] = { "-s", WRITING_CALLS ",stat,lstat,"
	    "newfstatat,statx,access,faccessat,faccessat2,readlink,readlinkat,"
	    "chdir,execve,execveat,setresuid,setresgid", NULL };
#undef WRITING_CALLS
	int i_py = -1, i_fpy = -1, i_mk = -1, i_fmk = -1, i_lmk = -1;
	int i_flmk = -1;
	long ng, no, marks[2], cur[2], hwm[2];
	ssize_t n;
	char *e;

	if (argc >= 4 && strcmp(argv[1], "--work") == 0)
		return work(argc, argv);
	quick = getenv("BENCH_QUICK") != NULL;
	rounds = quick ? 1 : 3;
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) < 0)
		return 1;
	self[n] = '\0';
	if ((e = getenv("POLICYCTL")) != NULL)
		snprintf(policyctl, sizeof(policyctl), "%s", e);
	else {
		snprintf(policyctl, sizeof(policyctl), "%s", self);
		if ((e = strrchr(policyctl, '/')) != NULL)
			*e = '\0';
		if ((e = strrchr(policyctl, '/')) != NULL)
			*e = '\0';
		strncat(policyctl, "/policyctl", sizeof(policyctl) -
		    strlen(policyctl) - 1);
	}
	snprintf(notify, sizeof(notify), "%s", self);
	if ((e = strrchr(notify, '/')) != NULL)
		e[1] = '\0';
	strncat(notify, "bench_notify", sizeof(notify) - strlen(notify) - 1);
	has_notify = access(notify, X_OK) == 0;
	if (access(policyctl, X_OK) != 0) {
		printf("bench_run: %s not built, skipped\n", policyctl);
		return 0;
	}
	snprintf(dir, sizeof(dir), "/tmp/bench_run.%d", (int)getpid());
	if (mkdir(dir, 0755) != 0) {
		perror(dir);
		return 1;
	}
	make_policies();
	make_project();
	writefile("readonly.yaml", readonly);
	snprintf(file, sizeof(file), "%s/file", dir);
	snprintf(sup, sizeof(sup), "%s/supervised.yaml", dir);
	snprintf(perm, sizeof(perm), "%s/permit.yaml", dir);
	snprintf(ro, sizeof(ro), "%s/readonly.yaml", dir);
	snprintf(llpol, sizeof(llpol), "%s/landlock.yaml", dir);
	snprintf(mk, sizeof(mk), "%s/proj", dir);
	snprintf(bpol, sizeof(bpol), "%s/build.yaml", dir);
	snprintf(lpol, sizeof(lpol), "%s/learned.yaml", dir);
	has_strace = system("strace -V >/dev/null 2>&1") == 0;
	has_py = access(py[0], X_OK) == 0;
	has_taskset = system("taskset -c 0 true >/dev/null 2>&1") == 0;
	has_find = system("busybox true >/dev/null 2>&1") == 0;
	has_make = system("make --version >/dev/null 2>&1") == 0 &&
	    system("cc --version >/dev/null 2>&1") == 0;
	has_py3pol = has_py && stock_policy("python3.yaml", py3,
	    sizeof(py3)) == 0;
	has_build = has_make && stock_policy("build.yaml", bsrc,
	    sizeof(bsrc)) == 0 && build_policy(bsrc, mk, "build.yaml") == 0;
	/* learned from one run of the very command it then runs */
	has_learned = has_make && learn("learned.yaml", make) == 0;
	ng = quick ? 200000 : 2000000;
	no = quick ? 10000 : 50000;

	memset(rows, 0, sizeof(rows));
#define CALLROW(nm, k, nn, ns, mx, vs)					\
	rows[nrows++] = (struct row){ .name = nm, .policy = sup, .kind = k, \
	    .n = { nn, ns, ns / 4 }, .use_strace = has_strace,		\
	    .max_ratio = mx, .min_vs_strace = vs }
	CALLROW("getpid (kernel filter), per call", "getpid", ng, ng, 1.1, 0);
	rows[nrows - 1].n[STRACE] = ng / 20;
	i_open = nrows;
	CALLROW("open+close (supervised), per call", "open", no * 4, no, 6, 4);
	i_stat = nrows;
	CALLROW("stat (supervised), per call", "stat", no * 4, no, 6, 4);
	if (has_notify) {
		/* the floor: bench_notify, a supervisor that only answers */
		i_fopen = nrows;
		CALLROW("open+close, open answered CONTINUE", "open", no * 4,
		    no, 0, 0);
		rows[nrows - 1].floor = fl_open;
		i_faddfd = nrows;
		CALLROW("open+close, opened here, ADDFD", "open", no * 4, no,
		    0, 0);
		rows[nrows - 1].floor = fl_addfd;
		i_fstat = nrows;
		CALLROW("stat, answered CONTINUE", "stat", no * 4, no, 0, 0);
		rows[nrows - 1].floor = fl_stat;
		for (i = i_fopen; i < nrows; i++) {
			rows[i].use_strace = 0;
			rows[i].note = "(floor)";
		}
	}
	/* a call Landlock decides (the filter lets it through by its flags) */
	CALLROW("open O_WRONLY+close (Landlock), per call", "write", no * 4,
	    no * 4, 1.1, 0);
	rows[nrows - 1].policy = llpol;
	rows[nrows - 1].use_strace = 0;
	i_ll = nrows - 1;
	/* its floors: the kernel's Landlock check alone, and with a filter
	 * that must read the open's flags, as policyctl's */
#define BAREROW(nm, k)							\
	do {								\
		CALLROW(nm, "write", no * 4, no * 4, 0, 0);		\
		rows[nrows - 1].bare = k;				\
		rows[nrows - 1].use_strace = 0;				\
		rows[nrows - 1].note = "(floor)";			\
	} while (0)
	i_fll = nrows;
	BAREROW("open O_WRONLY+close, bare Landlock rule", "landlock");
	i_flf = nrows;
	BAREROW("open O_WRONLY+close, the same + filter", "landlockf");
#undef BAREROW
	CALLROW("open O_WRONLY+close (supervised)", "write", no * 4, no, 0, 0);
	rows[nrows - 1].use_strace = 0;
	rows[nrows - 1].note = "(information)";
	if (has_taskset) {
		CALLROW("open+close, all on one CPU", "open", no * 4, no, 0, 0);
		rows[nrows - 1].pin = 1;
		rows[nrows - 1].note = "(information)";
	}
#undef CALLROW
#define RUNROW(nm, pol, c, rp, st, mx, nt)				\
	rows[nrows++] = (struct row){ .name = nm, .policy = pol, .cmd = c, \
	    .reps = rp, .use_strace = st && has_strace, .max_ratio = mx, \
	    .note = nt }
	if (has_py3pol) {
		i_py = nrows;
		RUNROW("python3 start-up, python3.yaml", py3, py,
		    quick ? 3 : 10, 0, 1.15, NULL);
		if (has_notify) {
			i_fpy = nrows;
			RUNROW("python3 start-up, opens notified", py3, py,
			    quick ? 3 : 10, 0, 0, "(floor)");
			rows[nrows - 1].floor = fl_wpy;
		}
	}
	if (has_py) {
		RUNROW("python3 start-up, all supervised", sup, py,
		    quick ? 3 : 10, 1, 0, "(worst case)");
		RUNROW("python3 start-up, permit-all", perm, py,
		    quick ? 3 : 10, 0, 0, "(information)");
	}
	RUNROW("50 x fork+exec+wait, permit-all", perm, procs, quick ? 3 :
	    10, 0, 0, "(information)");
	if (has_taskset) {
		RUNROW("50 x fork+exec+wait, all on one CPU", perm, procs,
		    quick ? 3 : 10, 0, 0, "(information)");
		rows[nrows - 1].pin = 1;
	}
	if (has_learned) {
		i_lmk = nrows;
		RUNROW("make -j2, 9 C files, learned policy", lpol, make, 1,
		    0, 1.3, NULL);
		if (has_notify) {
			i_flmk = nrows;
			RUNROW("make -j2, the learned policy's calls",
			    lpol, make, 1, 0, 0, "(floor)");
			rows[nrows - 1].floor = fl_lmake;
		}
	}
	if (has_build) {
		i_mk = nrows;
		RUNROW("make -j2, 9 C files, build.yaml", bpol, make, 1, 0,
		    1.3, NULL);
		if (has_notify) {
			i_fmk = nrows;
			RUNROW("make -j2, build.yaml's supervised calls", bpol,
			    make, 1, 0, 0, "(floor)");
			rows[nrows - 1].floor = fl_wmake;
		}
	}
	if (has_make)
		RUNROW("make -j2, 9 C files, all supervised", sup, make, 1, 1,
		    0, "(worst case)");
	if (has_find) {
		RUNROW("busybox find /usr/share/doc, read-only", ro, find, 3,
		    0, 2, NULL);
		RUNROW("busybox find, all supervised", sup, find, 3, 1, 0,
		    "(worst case)");
	}
#undef RUNROW

	fprintf(stderr, "bench_run: %d round%s of native, policyctl run, "
	    "strace...\n", rounds, rounds > 1 ? "s" : "");
	for (r = 0; r < rounds; r++)
		for (i = 0; i < nrows; i++)
			row_round(&rows[i], r, file);
	for (i = 0; i < nrows; i++) {
		int m;

		for (m = 0; m < NMODES; m++)
			rows[i].med[m] = median(rows[i].v[m], rounds);
		row_round_trips(&rows[i], file);
	}

	printf("\npolicyctl run: overhead against native and strace -f -e "
	    "trace=file -o /dev/null\n(median of %d round%s; each round runs "
	    "the three side by side; per-call rows are timed\ninside the "
	    "program, workload rows are whole runs; \"supervised\": every "
	    "file, exec\nand socket call goes to the supervisor; \"all on one "
	    "CPU\": under taskset -c 0;\nrt/s: the supervisor's round trips "
	    "(notifications, counted by policyctl run in\na separate run) per "
	    "second of the confined run)\n\n", rounds, rounds > 1 ? "s" : "");
	printf("%-38s %10s %19s %19s %9s %8s  %-6s %s\n", "", mode_name[NATIVE],
	    mode_name[POLICY], mode_name[STRACE], "vs strace", "rt/s", "",
	    "target");
	for (i = 0; i < nrows; i++)
		if (!row_is_floor(&rows[i]))
			print_row(&rows[i]);
	if (i_fopen >= 0) {
		const struct row *o = &rows[i_open], *fo = &rows[i_fopen];
		const struct row *fa = &rows[i_faddfd], *st = &rows[i_stat];
		const struct row *fs = &rows[i_fstat];

		printf("\nthe floor: the same calls under bench_notify, a "
		    "supervisor that only receives\nand answers each "
		    "notification (CONTINUE), or copies the path, opens the "
		    "file\nand hands it over (ADDFD), deciding nothing "
		    "(bench/bench_notify.c, bench/README.md)\n\n");
		printf("%-38s %10s %19s\n", "", mode_name[NATIVE],
		    "minimal supervisor");
		for (i = i_fopen; i <= i_fstat; i++)
			print_row(&rows[i]);
		if (fo->med[POLICY] > 0 && fo->med[NATIVE] > 0)
			printf("\nnotify round trip floor: %.2f us = %.2fx "
			    "native open+close (%.2f us over it)\n",
			    fo->med[POLICY] / 1000, fo->med[POLICY] /
			    fo->med[NATIVE], (fo->med[POLICY] -
			    fo->med[NATIVE]) / 1000);
		if (fa->med[POLICY] > 0 && fa->med[NATIVE] > 0)
			printf("open done by the supervisor (copy, open, "
			    "ADDFD) floor: %.2f us = %.2fx native\n",
			    fa->med[POLICY] / 1000, fa->med[POLICY] /
			    fa->med[NATIVE]);
		if (o->med[POLICY] > 0 && fa->med[POLICY] > 0)
			printf("supervised open+close: %.2f us = %.2fx the "
			    "ADDFD floor, %.2f us %s it%s\n", o->med[POLICY] /
			    1000, o->med[POLICY] / fa->med[POLICY],
			    fabs(o->med[POLICY] - fa->med[POLICY]) / 1000,
			    o->med[POLICY] >= fa->med[POLICY] ? "over" :
			    "under", o->med[POLICY] >= fa->med[POLICY] ?
			    " (the product's own work)" : " (noise: see the "
			    "rounds)");
		if (st->med[POLICY] > 0 && fs->med[POLICY] > 0 &&
		    fs->med[NATIVE] > 0)
			printf("stat: floor %.2f us = %.2fx native; supervised "
			    "%.2f us = %.2fx the floor\n", fs->med[POLICY] /
			    1000, fs->med[POLICY] / fs->med[NATIVE],
			    st->med[POLICY] / 1000, st->med[POLICY] /
			    fs->med[POLICY]);
	}
	{
		const struct row *l = &rows[i_ll], *fl = &rows[i_flf];

		printf("\nthe floor of the Landlock row: the same open under a "
		    "bare Landlock rule set\n(the rights policyctl's handles, "
		    "granted beneath the file's directory), no\nseccomp filter, "
		    "no supervisor: what the kernel's own check costs; then "
		    "with\na five-instruction seccomp filter that reads "
		    "openat's flags, as any filter\nmust that tells a write "
		    "open (Landlock's) from a read: the kernel runs it on\n"
		    "every openat (its cache of constant verdicts cannot "
		    "skip it)\n\n");
		printf("%-38s %10s %19s\n", "", mode_name[NATIVE],
		    "bare Landlock");
		print_row(&rows[i_fll]);
		print_row(fl);
		if (l->med[POLICY] > 0 && fl->med[POLICY] > 0 &&
		    fl->med[NATIVE] > 0)
			printf("\nLandlock write open: floor %.2f us = %.2fx "
			    "native (target %gx); policyctl run %.2f us = "
			    "%.2fx the floor\n", fl->med[POLICY] / 1000,
			    fl->med[POLICY] / fl->med[NATIVE], l->max_ratio,
			    l->med[POLICY] / 1000, l->med[POLICY] /
			    fl->med[POLICY]);
	}
	if (i_fpy >= 0 || i_fmk >= 0 || i_flmk >= 0) {
		printf("\nthe floor of the realistic rows: the calls their "
		    "policies never let the kernel\ndecide (opens: the "
		    "secrets rules are regular expressions; build.yaml's "
		    "writing\ncalls; the learned policy's reads by exact "
		    "path), notified to bench_notify and\nanswered CONTINUE, "
		    "deciding nothing; everything else runs free\n\n");
		printf("%-38s %10s %19s\n", "", mode_name[NATIVE],
		    "minimal supervisor");
		for (i = 0; i < nrows; i++)
			if (rows[i].floor != NULL && rows[i].kind == NULL)
				print_row(&rows[i]);
		printf("\n");
		print_floor_ratio(i_py >= 0 ? &rows[i_py] : NULL,
		    i_fpy >= 0 ? &rows[i_fpy] : NULL);
		print_floor_ratio(i_mk >= 0 ? &rows[i_mk] : NULL,
		    i_fmk >= 0 ? &rows[i_fmk] : NULL);
		print_floor_ratio(i_lmk >= 0 ? &rows[i_lmk] : NULL,
		    i_flmk >= 0 ? &rows[i_flmk] : NULL);
	}
	if (!has_learned && has_make)
		printf("(make under a learned policy: policyctl learn failed)\n");
	if (rounds > 1) {
		printf("\n");
		for (i = 0; i < nrows; i++)
			if (!row_is_floor(&rows[i]))
				print_spread(&rows[i], rounds);
	}

	/* the supervisor's memory: under 16 MiB, and no growth between the
	 * marks (less than 1 MiB more resident at the second) */
	marks[0] = 10000;
	marks[1] = quick ? 100000 : 1000000;
	if (memory(marks[1], marks, 2, cur, hwm) == 0) {
		int met = hwm[1] < 16 * 1024 && cur[1] - cur[0] < 1024;

		printf("\nsupervisor memory, 1,000-rule policy:  %-6s target: "
		    "< 16 MiB, no growth\n  after %ld supervised calls: VmRSS "
		    "%.1f MiB, VmHWM %.1f MiB\n  after %ld supervised calls: "
		    "VmRSS %.1f MiB, VmHWM %.1f MiB\n", met ? "met" : "missed",
		    marks[0], cur[0] / 1024.0, hwm[0] / 1024.0, marks[1],
		    cur[1] / 1024.0, hwm[1] / 1024.0);
	} else
		printf("\nsupervisor memory: measurement failed  missed\n");
	{
		char cmd[PATH_MAX + 16];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
		(void)!system(cmd);
	}
	return 0;
}
