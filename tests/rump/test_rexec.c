/* test_rexec.c: exec in a real kernel: decided on the vnode the path names and the copied argv; the
 * kernel's exec (rk_exec.c) reads both again, and an image or argv not the decided one is killed. */
#include <pthread.h>
#include <sched.h>
#include <sys/mman.h>
#include <time.h>

#include "rt.h"

/*
 * NetBSD's exec reads its path and argv from user space itself, so the
 * wrapper decides on its own copy, lets execve1 (here rk_exec.c's stand-in,
 * which reads them again the same way) run, and then compares the image
 * (p_textvp) with the vnode it decided on and the new ps_strings' argv
 * with the argv it decided on: on a difference the process gets SIGKILL
 * before it runs.  A host function called by the stand-in before it reads
 * its arguments changes them deterministically (the "tampered" tests); a
 * host thread changes them while the process execs over and over (the
 * races, RT_EXEC_N attempts, default 2000).  After every exec either it
 * was denied (or failed), or it runs the permitted image with the
 * permitted argv, or it is killed: never anything else unkilled.
 */

int rump_syscall(int, void *, size_t, register_t *);

/* NetBSD's numbers, as rump_syscall() returns them. */
#define RX_SYS_execve		59
#define RX_EJUSTRETURN		(-2)	/* exec's success */
#define RX_EPERM		1
#define RX_ENOENT		2
#define RX_EACCES		13
#define RX_EFAULT		14
#define RX_ENOTDIR		20
#define RX_EINVAL		22

#define BIN			RT_T "/bin"
#define RX_N_DEFAULT		2000
#define RX_EXTEND		16	/* at most this many times N, */
#define RX_POWER_SECS		10.0	/* unless not yet tried this long */

/* ok runs with "ok good" only; plain (not executable), dir and absent pass the policy. */
static const char rx_policy[] =
    "  - execve: filename eq \"/t/bin/ok\" and argv eq \"ok good\" "
    "then permit\n"
    "  - execve: filename eq \"/t/bin/plain\" then permit\n"
    "  - execve: filename eq \"/t/bin/dir\" then permit\n"
    "  - execve: filename eq \"/t/bin/absent\" then permit\n"
    "  - execve: then deny[EPERM]\n";
static void *rx_blob;
static size_t rx_blobsize;

/* Where the stand-in puts the new image's ps_strings (its stack): the last exec's. */
static char rx_area[65536] __attribute__((aligned(64)));
/* NetBSD's struct ps_strings (amd64). */
struct rx_ps_strings {
	char	**ps_argvstr;
	int	ps_nargvstr;
	char	**ps_envstr;
	int	ps_nenvstr;
};

static uint64_t rx_ino_ok, rx_ino_no;	/* the two images */

/* The arguments exec is given, in memory a host thread may change. */
static union {
	uint64_t	w[2];
	char		c[16];
} rx_path, rx_arg1, rx_img[2];
static char *rx_argv[4];
static char *const rx_envp[] = { "E=1", NULL };

#define P(s)	((register_t)(uintptr_t)(s))

static int
rx_exec(const char *path, char *const *argv)
{
	register_t args[3] = { P(path), P(argv), P(rx_envp) }, rv[2];

	return rump_syscall(RX_SYS_execve, args, sizeof(args), rv);
}

/* The argv of the current process's image, joined with spaces ("" if none). */
static const char *
rx_image_argv(void)
{
	static char out[256];
	struct rx_ps_strings *ps;
	void *psstrp;
	size_t n = 0;
	int i;

	out[0] = '\0';
	(void)rump_policytest_exec_image(&psstrp, 0);
	if (psstrp == NULL || psstrp != rx_area)	/* none, or 32-bit */
		return out;
	ps = psstrp;
	for (i = 0; i < ps->ps_nargvstr && n < sizeof(out); i++)
		n += snprintf(out + n, sizeof(out) - n, "%s%s", i ? " " : "",
		    ps->ps_argvstr[i]);
	assert_null(ps->ps_argvstr[ps->ps_nargvstr]);
	assert_int_equal(ps->ps_nenvstr, 0);
	return out;
}

static uint64_t
rx_image(void)
{
	return rump_policytest_exec_image(NULL, 0);
}

static uint64_t
rx_ino(const char *path)
{
	struct rt_stat st;

	rt_works(rt_stat(path, true, &st));
	return st.st_ino;
}

/*
 * A fresh /t:  bin/ok, bin/no (executable), bin/plain (not), bin/dir,
 * bin/lnk -> ok.
 */
static void
rx_tree(void)
{
	rt_fresh();
	rt_works(rump_sys_mkdir(BIN, 0755));
	rt_works(rump_sys_mkdir(BIN "/dir", 0755));
	rt_mkfile(BIN "/ok", "ok-image");
	rt_mkfile(BIN "/no", "no-image");
	rt_mkfile(BIN "/plain", "plain");
	rt_works(rump_sys_chmod(BIN "/ok", 0755));
	rt_works(rump_sys_chmod(BIN "/no", 0755));
	rt_works(rump_sys_symlink("ok", BIN "/lnk"));
	rx_ino_ok = rx_ino(BIN "/ok");
	rx_ino_no = rx_ino(BIN "/no");
	strcpy(rx_path.c, BIN "/ok");
	strcpy(rx_arg1.c, "good");
	rx_argv[0] = "ok";
	rx_argv[1] = rx_arg1.c;
	rx_argv[2] = NULL;
}

/* A fresh process for the calling thread, confined; its pid. */
static int
rx_confined(void)
{
	int pid;

	rt_proc();
	pid = rump_sys_getpid();
	assert_true(pid > 0);
	assert_int_equal(rt_load_blob(rx_blob, rx_blobsize), 0);
	return pid;
}

/* The current process's image let go of, as exit does, and the process gone. */
static void
rx_exit(void)
{
	(void)rump_policytest_exec_image(NULL, 1);
	rt_proc_exit();
}

/* Nobody holds the images: no reference leaked by a lookup or an exec. */
static void
rx_no_refs(void)
{
	assert_int_equal(rump_policytest_usecount(BIN "/ok"), 0);
	assert_int_equal(rump_policytest_usecount(BIN "/no"), 0);
	assert_int_equal(rump_policytest_usecount(BIN "/dir"), 0);
}

/* ------------------------------------------------------------------ */
/* The stand-in, the gate, the decision                               */

/* Unconfined, exec is the stand-in's alone: what the tests below stand on. */
static void
test_unconfined(void **state)
{
	char *argv[] = { "ok", "x", "y", NULL };
	int pid;

	(void)state;
	rx_tree();
	rt_proc();
	pid = rump_sys_getpid();
	assert_int_equal(rx_image(), 0);
	assert_int_equal(rx_exec(BIN "/ok", argv), RX_EJUSTRETURN);
	assert_int_equal(rx_image(), rx_ino_ok);
	assert_string_equal(rx_image_argv(), "ok x y");
	assert_int_equal(rump_policytest_usecount(BIN "/ok"), 1);
	/* A second exec releases the first image. */
	assert_int_equal(rx_exec(BIN "/lnk", rx_argv), RX_EJUSTRETURN);
	assert_int_equal(rx_image(), rx_ino_ok);
	assert_string_equal(rx_image_argv(), "ok good");
	assert_int_equal(rump_policytest_usecount(BIN "/ok"), 1);
	assert_int_equal(rx_exec(BIN "/no", rx_argv), RX_EJUSTRETURN);
	assert_int_equal(rx_image(), rx_ino_no);
	assert_int_equal(rump_policytest_usecount(BIN "/ok"), 0);
	assert_int_equal(rump_policytest_usecount(BIN "/no"), 1);
	/* The kernel's own failures; the image stays. */
	assert_int_equal(rx_exec(BIN "/dir", rx_argv), RX_EACCES);
	assert_int_equal(rx_exec(BIN "/plain", rx_argv), RX_EACCES);
	assert_int_equal(rx_exec(BIN "/absent", rx_argv), RX_ENOENT);
	assert_int_equal(rx_image(), rx_ino_no);
	assert_int_equal(rump_policytest_killed(pid), 0);
	rx_exit();
	rx_no_refs();
}

/*
 * The native execve slot holds the stand-in and the gate wraps it: the
 * execve rules decide (their errno, EPERM, not the default's EACCES that a
 * by-name decision of "syscall" would get), once per exec; the permitted
 * image runs with the decided argv, unkilled, and still confined: exec
 * gave the process the native emulation and the wrapper put its shadow back.
 */
static void
test_permitted(void **state)
{
	unsigned live;
	size_t bytes;
	uint64_t d0, d1, f0;
	int pid;

	(void)state;
	rx_tree();
	pid = rx_confined();
	rump_policytest_counts(&live, &bytes, &d0, &f0);
	assert_int_equal(rx_exec(BIN "/ok", rx_argv), RX_EJUSTRETURN);
	rump_policytest_counts(&live, &bytes, &d1, &f0);
	assert_int_equal(d1 - d0, 1);
	assert_int_equal(rx_image(), rx_ino_ok);
	assert_string_equal(rx_image_argv(), "ok good");
	assert_int_equal(rump_policytest_killed(pid), 0);
	assert_int_equal(rump_policytest_usecount(BIN "/ok"), 1);
	/* Still confined after the exec. */
	rt_fails(rump_sys_open(BIN "/no", RUMP_O_RDONLY), EACCES);
	assert_int_equal(rx_exec(BIN "/no", rx_argv), RX_EPERM);
	assert_int_equal(rx_image(), rx_ino_ok);
	/* Through a link: decided on what it names. */
	assert_int_equal(rx_exec(BIN "/lnk", rx_argv), RX_EJUSTRETURN);
	assert_int_equal(rx_image(), rx_ino_ok);
	assert_int_equal(rump_policytest_usecount(BIN "/ok"), 1);
	assert_int_equal(rump_policytest_killed(pid), 0);
	rx_exit();
	rx_no_refs();
}

/* Denied by path or by argv: the rule's errno, nothing changed, not killed. */
static void
test_denied(void **state)
{
	char *evil[] = { "ok", "evil", NULL }, *more[] = { "ok", "good", "x",
	    NULL }, *fewer[] = { "ok", NULL }, *none[] = { NULL };
	void *ps0, *ps1;
	int pid;

	(void)state;
	rx_tree();
	pid = rx_confined();
	(void)rump_policytest_exec_image(&ps0, 0);
	assert_int_equal(rx_exec(BIN "/no", rx_argv), RX_EPERM);
	assert_int_equal(rx_exec(BIN "/ok", evil), RX_EPERM);
	assert_int_equal(rx_exec(BIN "/ok", more), RX_EPERM);
	assert_int_equal(rx_exec(BIN "/ok", fewer), RX_EPERM);
	assert_int_equal(rx_exec(BIN "/ok", none), RX_EPERM);
	assert_int_equal(rx_exec(BIN "/ok", NULL), RX_EPERM);
	assert_int_equal(rx_image(), 0);
	(void)rump_policytest_exec_image(&ps1, 0);
	assert_ptr_equal(ps0, ps1);
	assert_int_equal(rump_policytest_killed(pid), 0);
	rx_no_refs();
	/* A denial after a permitted exec leaves that image. */
	assert_int_equal(rx_exec(BIN "/ok", rx_argv), RX_EJUSTRETURN);
	assert_int_equal(rx_exec(BIN "/ok", evil), RX_EPERM);
	assert_int_equal(rx_image(), rx_ino_ok);
	assert_string_equal(rx_image_argv(), "ok good");
	assert_int_equal(rump_policytest_killed(pid), 0);
	rx_exit();
	rx_no_refs();
}

/*
 * A missing file: decided on where its path leads (the policy's errno if
 * denied, else ENOENT); a directory and a file that is not executable,
 * permitted: exec's own EACCES.  Nothing runs, nothing is killed.
 */
static void
test_missing_dir(void **state)
{
	int pid;

	(void)state;
	rx_tree();
	pid = rx_confined();
	assert_int_equal(rx_exec(BIN "/absent", rx_argv), RX_ENOENT);
	assert_int_equal(rx_exec(BIN "/gone", rx_argv), RX_EPERM);
	assert_int_equal(rx_exec(BIN "/dir", rx_argv), RX_EACCES);
	assert_int_equal(rx_exec(BIN "/dir/", rx_argv), RX_EACCES);
	assert_int_equal(rx_exec(BIN "/plain", rx_argv), RX_EACCES);
	assert_int_equal(rx_exec(BIN "/ok/x", rx_argv), RX_EPERM);
	assert_int_equal(rx_image(), 0);
	assert_int_equal(rump_policytest_killed(pid), 0);
	rx_exit();
	rx_no_refs();
}

/* ------------------------------------------------------------------ */
/* Tampered: the arguments changed after the decision, deterministically */

static const char *rx_tamper_path;
static void
rx_tamper_path_fn(void)
{
	strcpy(rx_path.c, rx_tamper_path);
}

static const char *rx_tamper_arg;
static void
rx_tamper_arg_fn(void)
{
	strcpy(rx_arg1.c, rx_tamper_arg);
}

static char *rx_tamper_ptr;
static void
rx_tamper_ptr_fn(void)
{
	rx_argv[2] = rx_tamper_ptr;
}

static char rx_other_good[] = "good";
static void
rx_tamper_moved_fn(void)
{
	rx_argv[1] = rx_other_good;
}

/*
 * One exec of rx_path with rx_argv in a fresh confined process, fn run
 * by the kernel's exec just before it reads them; what came of it.
 */
struct rx_result {
	int		rv;
	int		killed;
	uint64_t	image;
	char		argv[256];
};

static struct rx_result
rx_attempt(void (*fn)(void))
{
	struct rx_result r;
	int pid;

	pid = rx_confined();
	if (fn != NULL)
		rump_policytest_exec_tamper(fn);
	r.rv = rx_exec(rx_path.c, rx_argv);
	rump_policytest_exec_tamper(NULL);
	r.killed = rump_policytest_killed(pid);
	r.image = rx_image();
	snprintf(r.argv, sizeof(r.argv), "%s", rx_image_argv());
	rx_exit();
	return r;
}

/*
 * The path changed after the decision: the other image ran and is killed;
 * a name that is gone: exec fails, nothing ran; a link to the decided
 * file: the decided vnode runs, not killed (the image is compared, not
 * the name).
 */
static void
test_tampered_path(void **state)
{
	struct rx_result r;

	(void)state;
	rx_tree();
	rx_tamper_path = BIN "/no";
	r = rx_attempt(rx_tamper_path_fn);
	assert_int_equal(r.rv, RX_EJUSTRETURN);
	assert_int_equal(r.image, rx_ino_no);
	assert_int_equal(r.killed, 1);

	strcpy(rx_path.c, BIN "/ok");
	rx_tamper_path = BIN "/xx";
	r = rx_attempt(rx_tamper_path_fn);
	assert_int_equal(r.rv, RX_ENOENT);
	assert_int_equal(r.image, 0);
	assert_int_equal(r.killed, 0);

	strcpy(rx_path.c, BIN "/ok");
	rx_tamper_path = BIN "/lnk";
	r = rx_attempt(rx_tamper_path_fn);
	assert_int_equal(r.rv, RX_EJUSTRETURN);
	assert_int_equal(r.image, rx_ino_ok);
	assert_string_equal(r.argv, "ok good");
	assert_int_equal(r.killed, 0);
	rx_no_refs();
}

/*
 * argv changed after the decision: another string, one more argument:
 * killed.  The same strings elsewhere in memory: the same argv, runs.
 */
static void
test_tampered_argv(void **state)
{
	struct rx_result r;

	(void)state;
	rx_tree();
	rx_tamper_arg = "evil";
	r = rx_attempt(rx_tamper_arg_fn);
	assert_int_equal(r.rv, RX_EJUSTRETURN);
	assert_int_equal(r.image, rx_ino_ok);
	assert_string_equal(r.argv, "ok evil");
	assert_int_equal(r.killed, 1);

	rx_tree();
	rx_tamper_ptr = "extra";
	r = rx_attempt(rx_tamper_ptr_fn);
	assert_int_equal(r.rv, RX_EJUSTRETURN);
	assert_string_equal(r.argv, "ok good extra");
	assert_int_equal(r.killed, 1);

	rx_tree();
	r = rx_attempt(rx_tamper_moved_fn);
	assert_int_equal(r.rv, RX_EJUSTRETURN);
	assert_string_equal(r.argv, "ok good");
	assert_int_equal(r.killed, 0);
	rx_no_refs();
}

/*
 * A policy that permits every exec is invisible: each exec gives what it
 * gives unconfined (result, image, argv), bad arguments included, whose
 * errno shows the order the kernel checks them in (the path first, then
 * argv; a NULL argv is EINVAL).
 */
static void
test_permit_all(void **state)
{
	static const char *const paths[] = { BIN "/ok", BIN "/lnk",
	    BIN "/absent", BIN "/dir", BIN "/plain", BIN "/ok/x", NULL };
	char *empty[] = { NULL };
	char *const *argvs[] = { rx_argv, empty, NULL };
	/* What each gives (NetBSD's errnos): the path's checks first. */
	static const int want[][3] = {
		{ RX_EJUSTRETURN, RX_EJUSTRETURN, RX_EINVAL },
		{ RX_EJUSTRETURN, RX_EJUSTRETURN, RX_EINVAL },
		{ RX_ENOENT, RX_ENOENT, RX_ENOENT },
		{ RX_EACCES, RX_EACCES, RX_EACCES },
		{ RX_EACCES, RX_EACCES, RX_EACCES },
		{ RX_ENOTDIR, RX_ENOTDIR, RX_ENOTDIR },
		{ RX_EFAULT, RX_EFAULT, RX_EFAULT },
	};
	void *blob;
	size_t size, i, j;
	struct rx_result r[2];
	int pass, pid;

	(void)state;
	rx_tree();
	blob = rt_blob("policy: 1\nname: all\ndefault: permit\n"
	    "errno: EACCES\nlog: none\n", &size);
	for (i = 0; i < __arraycount(paths); i++)
		for (j = 0; j < __arraycount(argvs); j++) {
			for (pass = 0; pass < 2; pass++) {
				rt_proc();
				pid = rump_sys_getpid();
				if (pass == 1)
					assert_int_equal(rt_load_blob(blob,
					    size), 0);
				r[pass].rv = rx_exec(paths[i], argvs[j]);
				r[pass].killed = rump_policytest_killed(pid);
				r[pass].image = rx_image();
				snprintf(r[pass].argv, sizeof(r[pass].argv),
				    "%s", rx_image_argv());
				rx_exit();
			}
			if (r[0].rv != r[1].rv || r[0].image != r[1].image ||
			    strcmp(r[0].argv, r[1].argv) != 0 || r[1].killed)
				fail_msg("exec %s, argv %zu: unconfined %d "
				    "\"%s\", under permit-all %d \"%s\"%s",
				    paths[i] ? paths[i] : "NULL", j, r[0].rv,
				    r[0].argv, r[1].rv, r[1].argv,
				    r[1].killed ? ", killed" : "");
			assert_int_equal(r[0].rv, want[i][j]);
		}
	free(blob);
	rx_no_refs();
}

/*
 * A native process that execs a 32-bit image (PK_32): the new argv vector
 * holds 32-bit pointers, and is read as such (not as the caller's), so the
 * decided argv runs and a changed one is killed.  Its stack below 4 GB.
 */
static void
test_image32(void **state)
{
	struct { uint32_t argv; int32_t n; uint32_t env; int32_t nenv; } *ps;
	const uint32_t *vec;
	struct rx_result r;
	char *area;
	void *psstrp;
	int pid;

	(void)state;
	area = mmap(NULL, 65536, PROT_READ | PROT_WRITE,
	    MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (area == MAP_FAILED)
		skip();
	assert_int_equal(rump_policytest_exec_area(area, 65536), 0);
	rump_policytest_exec_32(1);
	rx_tree();
	pid = rx_confined();
	assert_int_equal(rx_exec(BIN "/ok", rx_argv), RX_EJUSTRETURN);
	assert_int_equal(rump_policytest_killed(pid), 0);
	assert_int_equal(rump_policytest_exec_image(&psstrp, 0), rx_ino_ok);
	assert_ptr_equal(psstrp, area);
	ps = psstrp;
	assert_int_equal(ps->n, 2);
	vec = (const uint32_t *)(uintptr_t)ps->argv;
	assert_string_equal((const char *)(uintptr_t)vec[0], "ok");
	assert_string_equal((const char *)(uintptr_t)vec[1], "good");
	assert_int_equal(vec[2], 0);
	rx_exit();

	rx_tamper_arg = "evil";
	r = rx_attempt(rx_tamper_arg_fn);
	assert_int_equal(r.rv, RX_EJUSTRETURN);
	assert_int_equal(r.image, rx_ino_ok);
	assert_int_equal(r.killed, 1);
	assert_string_equal((const char *)(uintptr_t)vec[1], "evil");

	rump_policytest_exec_32(0);
	assert_int_equal(rump_policytest_exec_area(rx_area, sizeof(rx_area)),
	    0);
	munmap(area, 65536);
	rx_no_refs();
}

/* ------------------------------------------------------------------ */
/* Races: a host thread flips the argument while the process execs    */

enum rx_outcome { RX_RAN, RX_KILLED, RX_DENIED, RX_FAILED, RX_FOOLED,
    RX_NOUTCOME };
static const char *const rx_outcome_names[] = { "ran", "killed", "denied",
    "failed", "fooled" };

static struct {
	union { uint64_t w[2]; char c[16]; } *arg;	/* what it flips */
	int		run;		/* atomic */
	unsigned long	steps;
	pthread_t	th;
} rx_racer;

static void *
rx_racer_main(void *arg)
{
	unsigned long step = 0;
	const uint64_t *src;

	(void)arg;
	rt_pin(1);
	while (__atomic_load_n(&rx_racer.run, __ATOMIC_RELAXED)) {
		src = rx_img[step++ & 1].w;
		__atomic_store_n(&rx_racer.arg->w[0], src[0], __ATOMIC_RELAXED);
		__atomic_store_n(&rx_racer.arg->w[1], src[1], __ATOMIC_RELAXED);
	}
	rx_racer.steps = step;
	return NULL;
}

static double
rx_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static enum rx_outcome
rx_classify(const struct rx_result *r, const char *what)
{
	bool decided_one = r->image == rx_ino_ok &&
	    strcmp(r->argv, "ok good") == 0;

	if (r->rv == RX_EJUSTRETURN) {
		if (r->killed == 1) {
			/* The permitted image with the permitted argv is
			 * what was decided: no reason to kill it. */
			if (decided_one)
				fail_msg("%s: killed running what was decided",
				    what);
			return RX_KILLED;
		}
		return decided_one ? RX_RAN : RX_FOOLED;
	}
	/* Nothing ran: the process is as it was, and not killed. */
	if (r->image != 0 || r->killed != 0)
		fail_msg("%s: exec failed (%d) but image %llu, killed %d",
		    what, r->rv, (unsigned long long)r->image, r->killed);
	return r->rv == RX_EPERM ? RX_DENIED : RX_FAILED;
}

static void
rx_race(const char *what, void *arg, const char *a, const char *b)
{
	unsigned long n[RX_NOUTCOME] = { 0 }, i, want, max;
	struct rx_result r;
	double t0, secs;
	const char *env;
	bool powered;
	int k, klog;

	rx_tree();
	want = (env = getenv("RT_EXEC_N")) != NULL ? strtoul(env, NULL, 10) :
	    RX_N_DEFAULT;
	max = want * RX_EXTEND;
	memset(rx_img, 0, sizeof(rx_img));
	strcpy(rx_img[0].c, a);
	strcpy(rx_img[1].c, b);
	rx_racer.arg = arg;
	memcpy(rx_racer.arg, &rx_img[0], sizeof(rx_img[0]));
	__atomic_store_n(&rx_racer.run, 1, __ATOMIC_SEQ_CST);
	klog = rump_policytest_klog(1);		/* a warning per kill */
	rt_pin(0);
	if (pthread_create(&rx_racer.th, NULL, rx_racer_main, NULL) != 0)
		fail_msg("pthread_create");
	t0 = rx_now();
	/*
	 * N attempts; more while the racer has not shown its power (a kill:
	 * the verification caught an exec the decision did not cover; a
	 * denial; a permitted run), up to RX_EXTEND * N and RX_POWER_SECS.
	 */
	for (i = 0;; i++) {
		powered = n[RX_KILLED] > 0 && n[RX_DENIED] > 0 &&
		    n[RX_RAN] > 0;
		if (i >= want && (powered || (i >= max &&
		    rx_now() - t0 > RX_POWER_SECS)))
			break;
		r = rx_attempt(NULL);
		n[rx_classify(&r, what)]++;
		if (n[RX_FOOLED] > 0)
			break;
	}
	__atomic_store_n(&rx_racer.run, 0, __ATOMIC_SEQ_CST);
	pthread_join(rx_racer.th, NULL);
	rt_pin(-1);
	(void)rump_policytest_klog(klog);
	secs = rx_now() - t0;
	print_message("%s: %lu execs in %.1fs, %lu flips:", what, i, secs,
	    rx_racer.steps);
	for (k = 0; k < RX_NOUTCOME; k++)
		print_message(" %s %lu", rx_outcome_names[k], n[k]);
	print_message("\n");
	if (n[RX_FOOLED] > 0)
		fail_msg("%s: the denied image or argv ran unkilled (%s)", what,
		    r.argv);
	/* The race had the power to make the test fail. */
	assert_true(n[RX_KILLED] > 0);
	assert_true(n[RX_DENIED] > 0);
	assert_true(n[RX_RAN] > 0);
	rx_no_refs();
}

static void
test_race_path(void **state)
{
	(void)state;
	rx_race("path", &rx_path, BIN "/ok", BIN "/no");
}

static void
test_race_argv(void **state)
{
	(void)state;
	rx_race("argv", &rx_arg1, "good", "evil");
}

static int
setup(void **state)
{
	(void)state;
	rt_boot();
	assert_int_equal(rump_policytest_exec_area(rx_area, sizeof(rx_area)),
	    0);
	rx_blob = rt_blob(rx_policy, &rx_blobsize);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	rump_policytest_exec_tamper(NULL);
	rump_policytest_exec_32(0);
	(void)rump_policytest_exec_area(rx_area, sizeof(rx_area));
	rt_admin();
	return 0;
}

int
main(void)
{
#define T(f)	cmocka_unit_test_teardown(f, teardown)
	const struct CMUnitTest tests[] = {
		T(test_unconfined),
		T(test_permitted),
		T(test_denied),
		T(test_missing_dir),
		T(test_permit_all),
		T(test_tampered_path),
		T(test_tampered_argv),
		T(test_image32),
		T(test_race_path),
		T(test_race_argv),
	};
#undef T

	if (getenv("RX_ONLY") != NULL)
		cmocka_set_test_filter(getenv("RX_ONLY"));
	return cmocka_run_group_tests_name("rump: exec decided and verified",
	    tests, setup, NULL);
}
