/* test_rwalk.c: complete mediation, slot by slot: every system call of every emulation table in
 * this kernel, made by a confined process, is decided (or refused) and a permit-all policy is invisible. */
#include "rt.h"

#define RT_NSLOT	512		/* SYS_NSYSENT, and the Linux table's */
#define RT_NPAT		4
#define RT_OFF		0x5a40		/* pattern 3's pointer: other low bits */
#define RT_BUFSZ	65536

extern const char *const rumpns_syscallnames[];
int rump_syscall(int, void *, size_t, register_t *);

/*
 * What pointer arguments point at: a file that exists, in a buffer large
 * enough for what a call may write there.  A rump kernel's copyin reads
 * the host's memory directly, so an argument that is not a valid address
 * would fault the host: every pointer-sized argument is 0 or this buffer's
 * address, except where rt_special says otherwise.
 */
static char rt_buf[RT_BUFSZ] __attribute__((aligned(64)));
#define rt_walk_path	rt_buf
static const char rt_walk_file[] = RT_T "/walk/x";
/* A socket address for the calls that take one and its length. */
static char rt_sa[16] = { 16, 2, 0, 80, 127, 0, 0, 1 };
/* Linux's form of it: a 16-bit family and no length byte. */
static const char rt_sa_netbsd[16] = { 16, 2, 0, 80, 127, 0, 0, 1 };
static const char rt_sa_linux[16] = { 2, 0, 0, 80, 127, 0, 0, 1 };

/*
 * Argument patterns: all zero; all the buffer's address (path arguments
 * name a real file); the call's own (rt_special) when it needs a length
 * or an address to reach its decision; all an address RT_OFF into the
 * buffer, where the file's name is too (flags and modes taken from an
 * address then have other bits: the kernel's order of checks and the
 * wrapper's must agree for both).
 */
struct rt_special {
	const char	*rs_name;
	bool		rs_only;	/* its pointers lead to pointers: no pattern 1 */
	register_t	rs_args[8];	/* RT_P: the buffer, RT_SA: rt_sa */
};
#define RT_P	((register_t)-1)
#define RT_SA	((register_t)-2)
#define RT_MSG	((register_t)-3)
#define RT_SOCK	((register_t)-4)	/* a socket made before confinement */
static const struct rt_special rt_specials[] = {
	{ "connect", false, { RT_SOCK, RT_SA, 16 } },
	{ "bind", false, { RT_SOCK, RT_SA, 16 } },
	{ "sendto", false, { RT_SOCK, RT_P, 4, 0, RT_SA, 16 } },
	{ "sendmsg", true, { RT_SOCK, RT_MSG, 0 } },
	{ "recvmsg", true, { RT_P, RT_MSG, 0 } },
	{ "sendmmsg", true, { RT_SOCK, RT_MSG, 1, 0 } },
	{ "recvmmsg", true, { RT_P, RT_MSG, 1, 0, 0 } },
	/* Flags and modes valid whatever the buffer's address is. */
	{ "open", false, { RT_P, 0, 0 } },
	{ "access", false, { RT_P, 4 } },
	{ "__mknod50", false, { RT_P, 020644, 0 } },
	/* The *at calls: AT_FDCWD, for the path to be looked up. */
	{ "linkat", false, { -100, RT_P, -100, RT_P, 0 } },
	{ "renameat", false, { -100, RT_P, -100, RT_P } },
	{ "mkfifoat", false, { -100, RT_P, 0644 } },
	{ "mknodat", false, { -100, RT_P, 020644, 0, 0 } },
	{ "mkdirat", false, { -100, RT_P, 0755 } },
	{ "faccessat", false, { -100, RT_P, 4, 0 } },
	{ "fchmodat", false, { -100, RT_P, 0644, 0 } },
	{ "fchownat", false, { -100, RT_P, 0, 0, 0 } },
	{ "fstatat", false, { -100, RT_P, RT_P, 0 } },
	{ "utimensat", false, { -100, RT_P, 0, 0 } },
	{ "openat", false, { -100, RT_P, 0, 0 } },
	{ "readlinkat", false, { -100, RT_P, RT_P, 64 } },
	{ "symlinkat", false, { RT_P, -100, RT_P } },
	{ "unlinkat", false, { -100, RT_P, 0 } },
};
/* A msghdr (and mmsghdr) naming rt_sa, no data. */
static struct {
	void		*msg_name;
	uint32_t	msg_namelen;
	void		*msg_iov;
	int		msg_iovlen;
	void		*msg_control;
	uint32_t	msg_controllen;
	int		msg_flags;
	unsigned int	msg_len;
} rt_msg = { rt_sa, 16, NULL, 0, NULL, 0, 0, 0 };

static const struct rt_special *
rt_special_of(const char *name)
{
	size_t i;

	for (i = 0; i < __arraycount(rt_specials); i++)
		if (strcmp(rt_specials[i].rs_name, name) == 0)
			return &rt_specials[i];
	return NULL;
}

static int rt_sock = -1;

static bool
rt_args(const char *name, int pat, register_t args[8])
{
	const struct rt_special *sp = rt_special_of(name);
	int i;

	if ((pat == 2 && sp == NULL) ||
	    ((pat == 1 || pat == 3) && sp != NULL && sp->rs_only))
		return false;
	if (args == NULL)
		return true;
	for (i = 0; i < 8; i++) {
		args[i] = pat == 0 ? 0 : pat == 2 ? sp->rs_args[i] : RT_P;
		if (args[i] == RT_P)
			args[i] = (register_t)(uintptr_t)(pat == 3 ?
			    rt_buf + RT_OFF : rt_buf);
		else if (args[i] == RT_SA)
			args[i] = (register_t)(uintptr_t)rt_sa;
		else if (args[i] == RT_MSG)
			args[i] = (register_t)(uintptr_t)&rt_msg;
		else if (args[i] == RT_SOCK)
			args[i] = rt_sock;
	}
	return true;
}

/*
 * Not run unconfined or under a permit-all policy: with these arguments
 * they sleep for good (select and pollts with no timeout, nanosleep for
 * years), stop the kernel (reboot), or make this rump kernel panic
 * (clock calls with a clock id it has no clock for).  Confined under
 * deny-all they are run: refused before they start.
 */
static const char *const rt_blocking[] = {
	"__clock_gettime50", "__clock_settime50", "__clock_getres50",
	"select", "__select50", "pselect", "__pselect50", "pollts",
	"__pollts50", "poll", "nanosleep", "__nanosleep50", "clock_nanosleep",
	"reboot", "__kevent50", "_lwp_park", "___lwp_park60",
};

/* Nothing to do with these arguments, so nothing to decide: sendmmsg of no message. */
static const char *const rt_noop[] = { "sendmmsg" };

/*
 * rump's Linux component stubs what the rump kernel lacks with a panic
 * (ioctl's machine-dependent part, signals, the VM map): those calls are
 * not run unconfined or permitted.
 */
static const char *const rt_linux_stubbed[] = {
	"ioctl",
};

/* Let through whatever the policy says (sys_policy_gate.c). */
static const char *const rt_always[] = {
	"exit", "_lwp_exit", "setcontext",
};

/*
 * Real handlers in this kernel that name objects and have no copy-once
 * wrapper: refused for confined processes (policy.4 says why).  Native
 * table, then what rump's Linux table adds.
 */
static const char *const rt_refused_native[] = {
	"modctl", "extattrctl", "__getfh30", "__fhopen40", "__fhstatvfs140",
	"__fhstat50", "__quotactl",
};
/* Refused with some arguments only: mount's updates. */
static const char *const rt_refused_partly[] = { "__mount50" };
static const char *const rt_refused_linux[] = {
	"sendmsg",	/* linux_sys_sendmsg: a Linux msghdr */
	"__utimes50",	/* compat_50_sys_utimes */
	"mknodat",	/* rump_linux_sys_mknodat */
};

static bool
rt_in(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

struct rt_result {
	int		error;		/* rump_syscall()'s errno */
	uint64_t	decided, refused;	/* counters moved by */
};

static void *rt_permit_blob, *rt_deny_blob;
static size_t rt_permit_size, rt_deny_size;

/*
 * One call in a fresh process (no descriptors, cwd /) on a fresh /t with
 * the file; confined with blob unless it is NULL; linux: under rump's
 * Linux emulation.
 */
static struct rt_result
rt_call(int slot, int pat, const void *blob, size_t size, bool linux)
{
	static int verbose = -1;
	struct rt_result r;
	register_t args[8], rv[2];
	struct lwp *parent;
	unsigned live;
	size_t bytes;
	uint64_t d0, f0, d1, f1;

	rt_fresh();
	rt_works(rump_sys_mkdir(RT_T "/walk", 0777));
	rt_mkfile(rt_walk_file, "walk");
	memset(rt_buf, 0, sizeof(rt_buf));
	memcpy(rt_buf, rt_walk_file, sizeof(rt_walk_file));
	memcpy(rt_buf + RT_OFF, rt_walk_file, sizeof(rt_walk_file));
	/*
	 * Under rump's Linux emulation ioctl is Linux's: the policy is loaded
	 * natively and a child (which a rump kernel gives that emulation)
	 * makes the calls.
	 */
	if (linux && blob == NULL)
		parent = rt_proc_linux();
	else
		parent = rt_proc();
	memcpy(rt_sa, linux ? rt_sa_linux : rt_sa_netbsd, sizeof(rt_sa));
	rt_sock = rump_sys_socket(RUMP_PF_INET, RUMP_SOCK_DGRAM, 0);
	if (blob != NULL)
		assert_int_equal(rt_load_blob(blob, size), 0);
	if (linux && blob != NULL) {
		if (rump_pub_lwproc_rfork(RUMP_RFFDG) != 0)
			fail_msg("rfork failed");
		assert_string_equal(rump_policytest_emul(), "linux-rump");
	}
	if (verbose < 0)
		verbose = getenv("RT_VERBOSE") != NULL;
	if (verbose)
		fprintf(stderr, "slot %d %s pattern %d%s\n", slot,
		    rumpns_syscallnames[slot], pat, blob ? " confined" : "");
	rt_args(rumpns_syscallnames[slot] ? rumpns_syscallnames[slot] : "", pat,
	    args);
	rump_policytest_counts(&live, &bytes, &d0, &f0);
	r.error = rump_syscall(slot, args, sizeof(args), rv);
	rump_policytest_counts(&live, &bytes, &d1, &f1);
	r.decided = d1 - d0;
	r.refused = f1 - f0;
	if (linux && blob != NULL) {
		rump_pub_lwproc_releaselwp();
		rump_pub_lwproc_switch(parent);
	}
	rt_proc_exit();
	return r;
}

static const char *
rt_name(int slot)
{
	const char *n = rumpns_syscallnames[slot];

	return n != NULL ? n : "?";
}

/*
 * Deny-all: every slot is decided or refused, with the policy's errno,
 * in at least one argument pattern; in the others it failed before the
 * decision (arguments that could not be copied in), so nothing ran.
 * Only the calls that are always let through are not decided.
 */
static void
rt_walk_deny(bool linux, const char *const *refused, size_t nrefused)
{
	int slot, pat, ndecided = 0, nrefusals = 0;
	struct rt_result r;
	bool seen;

	for (slot = 1; slot < RT_NSLOT; slot++) {
		const char *name = rt_name(slot);
		bool always = rt_in(name, rt_always, __arraycount(rt_always));

		seen = false;
		for (pat = 0; pat < RT_NPAT; pat++) {
			if (!rt_args(name, pat, NULL))
				continue;
			r = rt_call(slot, pat, rt_deny_blob, rt_deny_size,
			    linux);
			if (always)
				continue;
			if (r.decided + r.refused > 0) {
				if (r.error != EACCES)
					fail_msg("slot %d (%s) pattern %d: decided "
					    "but errno %d", slot, name, pat,
					    r.error);
				seen = true;
				if (r.refused > 0 && !rt_in(name, refused,
				    nrefused) && !rt_in(name, rt_refused_partly,
				    __arraycount(rt_refused_partly)))
					fail_msg("slot %d (%s): refused, not "
					    "decided", slot, name);
				nrefusals += r.refused > 0;
			} else if (r.error == 0 && !(pat == 0 && rt_in(name,
			    rt_noop, __arraycount(rt_noop))))
				fail_msg("slot %d (%s) pattern %d: ran without "
				    "a decision", slot, name, pat);
		}
		if (!always && !seen)
			fail_msg("slot %d (%s): never decided", slot, name);
		ndecided += seen;
	}
	print_message("%s: %d slots decided or refused under deny-all, "
	    "%d refusals\n", linux ? "linux" : "native", ndecided, nrefusals);
	assert_true(ndecided > 400);
}

/*
 * Permit-all: each call gives what it gives unconfined, except the
 * refused ones, which give the policy's errno.
 */
static void
rt_walk_permit(bool linux, const char *const *refused, size_t nrefused)
{
	int slot, pat, compared = 0;
	struct rt_result n, c;
	size_t found = 0;
	bool was;

	slot = getenv("RT_WALK_FROM") != NULL ? atoi(getenv("RT_WALK_FROM")) : 1;
	for (; slot < RT_NSLOT; slot++) {
		const char *name = rt_name(slot);
		bool refuse = rt_in(name, refused, nrefused);

		if (rt_in(name, rt_blocking, __arraycount(rt_blocking)) ||
		    (linux && rt_in(name, rt_linux_stubbed,
		    __arraycount(rt_linux_stubbed))))
			continue;
		was = false;
		for (pat = 0; pat < RT_NPAT; pat++) {
			if (!rt_args(name, pat, NULL))
				continue;
			n = rt_call(slot, pat, NULL, 0, linux);
			c = rt_call(slot, pat, rt_permit_blob, rt_permit_size,
			    linux);
			if (c.refused > 0) {
				if (!refuse && rt_in(name, rt_refused_partly,
				    __arraycount(rt_refused_partly)))
					continue;
				if (!refuse)
					fail_msg("slot %d (%s): refused under "
					    "permit-all", slot, name);
				assert_int_equal(c.error, EACCES);
				was = true;
				continue;
			}
			if (n.error != c.error)
				fail_msg("slot %d (%s) pattern %d: errno %d "
				    "unconfined, %d under permit-all", slot,
				    name, pat, n.error, c.error);
			compared++;
		}
		if (refuse && !was)
			fail_msg("slot %d (%s): expected a refusal", slot, name);
		found += was;
	}
	print_message("%s: %d calls the same under permit-all, %zu refused\n",
	    linux ? "linux" : "native", compared, found);
	assert_int_equal(found, nrefused);
}

static void
test_native_deny(void **state)
{
	(void)state;
	rt_walk_deny(false, rt_refused_native,
	    __arraycount(rt_refused_native));
}

static void
test_native_permit(void **state)
{
	(void)state;
	rt_walk_permit(false, rt_refused_native,
	    __arraycount(rt_refused_native));
}

static void
test_linux_deny(void **state)
{
	const char *refused[__arraycount(rt_refused_native) +
	    __arraycount(rt_refused_linux)];
	size_t n = 0, i;

	(void)state;
	for (i = 0; i < __arraycount(rt_refused_native); i++)
		refused[n++] = rt_refused_native[i];
	for (i = 0; i < __arraycount(rt_refused_linux); i++)
		refused[n++] = rt_refused_linux[i];
	rt_walk_deny(true, refused, n);
}

static void
test_linux_permit(void **state)
{
	(void)state;
	rt_walk_permit(true, rt_refused_linux, __arraycount(rt_refused_linux));
}

static int
setup(void **state)
{
	(void)state;
	rt_boot();
	rt_permit_blob = rt_blob("policy: 1\nname: all\ndefault: permit\n"
	    "errno: EACCES\nlog: none\n", &rt_permit_size);
	rt_deny_blob = rt_blob("", &rt_deny_size);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_native_deny),
		cmocka_unit_test(test_native_permit),
		cmocka_unit_test(test_linux_deny),
		cmocka_unit_test(test_linux_permit),
	};

	return cmocka_run_group_tests_name("rump: every system call decided",
	    tests, setup, NULL);
}
