/* test_kwrap_race.c: every wrapper decides on its copy and the kernel internal receives that
 * very copy while a thread rewrites the user buffer (10,000 races each); a systrace-style
 * control that lets the stock kernel re-read user memory after deciding must be fooled. */
#include "kt.h"

#define A_PATH	"/tmp/permit/aaaa"
#define B_PATH	"/etc/secret/bbbb"
#define F_PATH	"/tmp/permit/zzzz"
#define RACES	10000
#define CONTROL_MAX 50000

/* Slot values that stand for user addresses the case builds. */
#define RACE	(-1001)		/* the raced buffer (path, sockaddr, argv[1]) */
#define FIX	(-1002)		/* a fixed path, F_PATH */
#define OUT	(-1003)		/* an output buffer */
#define ARGV	(-1004)		/* argv array { F_PATH, raced string, NULL } */
#define MSG	(-1005)		/* msghdr naming the raced sockaddr */
#define SALEN	(-1006)		/* sizeof the raced sockaddr */
#define ENVP	(-1007)		/* empty envp */

enum rkind { RK_PATH1, RK_PATH2, RK_ARGV, RK_SA };
struct rcase {
	const char	*name;
	int		code;
	const char	*rule;
	enum rkind	kind;
	long		slot[6];
	struct emul	*em;
};

#define P(op, what)	"  - " op ": " what " eq \"" A_PATH "\" then permit\n"
#define SA_RULE(op)	"  - " op ": sockaddr eq \"inet-127.0.0.1:53\" then permit\n"
static struct rcase cases[] = {
	{ "open", SYS_open, P("open", "filename"), RK_PATH1, { RACE, O_RDONLY, 0 }, NULL },
	{ "openat", SYS_openat, P("open", "filename"), RK_PATH1, { 5, RACE, O_RDWR | O_CREAT, 0644 }, NULL },
	{ "unlink", SYS_unlink, P("unlink", "filename"), RK_PATH1, { RACE }, NULL },
	{ "unlinkat", SYS_unlinkat, P("unlink", "filename"), RK_PATH1, { AT_FDCWD, RACE, 0 }, NULL },
	{ "rmdir", SYS_rmdir, P("rmdir", "filename"), RK_PATH1, { RACE }, NULL },
	{ "rename-from", SYS_rename, P("rename", "filename"), RK_PATH1, { RACE, FIX }, NULL },
	{ "rename-to", SYS_rename, P("rename", "filename2"), RK_PATH2, { FIX, RACE }, NULL },
	{ "renameat", SYS_renameat, P("rename", "filename"), RK_PATH1, { AT_FDCWD, RACE, AT_FDCWD, FIX }, NULL },
	{ "mkdir", SYS_mkdir, P("mkdir", "filename"), RK_PATH1, { RACE, 0755 }, NULL },
	{ "mkdirat", SYS_mkdirat, P("mkdir", "filename"), RK_PATH1, { AT_FDCWD, RACE, 0755 }, NULL },
	{ "link", SYS_link, P("link", "filename"), RK_PATH1, { RACE, FIX }, NULL },
	{ "symlink", SYS_symlink, P("symlink", "filename2"), RK_PATH2, { RACE, FIX }, NULL },
	{ "chmod", SYS_chmod, P("chmod", "filename"), RK_PATH1, { RACE, 0600 }, NULL },
	{ "lchmod", SYS_lchmod, P("chmod", "filename"), RK_PATH1, { RACE, 0600 }, NULL },
	{ "fchmodat", SYS_fchmodat, P("chmod", "filename"), RK_PATH1, { AT_FDCWD, RACE, 0600, 0 }, NULL },
	{ "chown", SYS_chown, P("chown", "filename"), RK_PATH1, { RACE, 1, 1 }, NULL },
	{ "lchown", SYS_lchown, P("chown", "filename"), RK_PATH1, { RACE, 1, 1 }, NULL },
	{ "fchownat", SYS_fchownat, P("chown", "filename"), RK_PATH1, { AT_FDCWD, RACE, 1, 1, 0 }, NULL },
	{ "truncate", SYS_truncate, P("truncate", "filename"), RK_PATH1, { RACE, 0, 10 }, NULL },
	{ "readlink", SYS_readlink, P("readlink", "filename"), RK_PATH1, { RACE, OUT, 64 }, NULL },
	{ "readlinkat", SYS_readlinkat, P("readlink", "filename"), RK_PATH1, { AT_FDCWD, RACE, OUT, 64 }, NULL },
	{ "access", SYS_access, P("access", "filename"), RK_PATH1, { RACE, R_OK }, NULL },
	{ "faccessat", SYS_faccessat, P("access", "filename"), RK_PATH1, { AT_FDCWD, RACE, W_OK, 0 }, NULL },
	{ "stat", SYS___stat50, P("stat", "filename"), RK_PATH1, { RACE, OUT }, NULL },
	{ "lstat", SYS___lstat50, P("stat", "filename"), RK_PATH1, { RACE, OUT }, NULL },
	{ "fstatat", SYS_fstatat, P("stat", "filename"), RK_PATH1, { AT_FDCWD, RACE, OUT, 0 }, NULL },
	{ "chdir", SYS_chdir, P("chdir", "filename"), RK_PATH1, { RACE }, NULL },
	{ "execve-path", SYS_execve, P("execve", "filename"), RK_PATH1, { RACE, ARGV, ENVP }, NULL },
	{ "execve-argv", SYS_execve, "  - execve: argv eq \"" F_PATH " aaaa\" then permit\n", RK_ARGV, { FIX, ARGV, ENVP }, NULL },
	{ "mount", SYS___mount50, P("mount", "filename"), RK_PATH1, { FIX, RACE, 0, 0, 0 }, NULL },
	{ "connect", SYS_connect, SA_RULE("connect"), RK_SA, { 3, RACE, SALEN }, NULL },
	{ "bind", SYS_bind, SA_RULE("bind"), RK_SA, { 3, RACE, SALEN }, NULL },
	{ "sendto", SYS_sendto, SA_RULE("sendto"), RK_SA, { 3, OUT, 4, 0, RACE, SALEN }, NULL },
	{ "sendmsg", SYS_sendmsg, SA_RULE("sendmsg"), RK_SA, { 3, MSG, 0 }, NULL },
	{ "netbsd32-open", 5 /* netbsd32_open */, P("open", "filename"), RK_PATH1, { RACE, O_RDONLY, 0 }, &emul_netbsd32 },
	{ "linux-connect", LINUX_SYS_connect, SA_RULE("connect"), RK_SA, { 3, RACE, SALEN }, &emul_linux },
};

struct rstate {
	register_t	uap[6];
	uintptr_t	race;
	uint8_t		a[64], b[64];
	size_t		n;
};

static void
sa_in(uint8_t *buf, const uint8_t ip[4], bool linux_form)
{
	struct sockaddr_in sin;
	uint16_t fam = LINUX_AF_INET;

	memset(&sin, 0, sizeof(sin));
	sin.sin_len = sizeof(sin);
	sin.sin_family = AF_INET;
	sin.sin_port = htons(53);
	memcpy(&sin.sin_addr, ip, 4);
	memcpy(buf, &sin, sizeof(sin));
	if (linux_form)
		memcpy(buf, &fam, 2);
}

static void
build(const struct rcase *c, struct rstate *st)
{
	static const uint8_t lo[4] = { 127, 0, 0, 1 }, ten[4] = { 10, 0, 0, 1 };
	uintptr_t argv[3], u;
	struct msghdr msg;
	bool p32 = c->em == &emul_netbsd32;
	int i;

	memset(st, 0, sizeof(*st));
	if (c->kind == RK_SA) {
		st->n = sizeof(struct sockaddr_in);
		sa_in(st->a, lo, c->em == &emul_linux);
		sa_in(st->b, ten, c->em == &emul_linux);
	} else if (c->kind == RK_ARGV) {
		st->n = 5;
		memcpy(st->a, "aaaa", 5);
		memcpy(st->b, "bbbb", 5);
	} else {
		st->n = sizeof(A_PATH);
		memcpy(st->a, A_PATH, sizeof(A_PATH));
		memcpy(st->b, B_PATH, sizeof(B_PATH));
	}
	st->race = kh_ualloc(st->n);
	kh_uwrite(st->race, st->a, st->n);
	for (i = 0; i < 6; i++) {
		long v = c->slot[i];

		switch (v) {
		case RACE:
			u = st->race;
			break;
		case FIX:
			u = kh_ustr(F_PATH);
			break;
		case OUT:
			u = kh_ualloc(256);
			break;
		case ENVP:
			u = kh_ualloc(sizeof(uintptr_t));
			break;
		case ARGV:
			argv[0] = kh_ustr(F_PATH);
			argv[1] = c->kind == RK_ARGV ? st->race : kh_ustr("x");
			argv[2] = 0;
			u = kh_ualloc(sizeof(argv));
			kh_uwrite(u, argv, sizeof(argv));
			break;
		case MSG:
			memset(&msg, 0, sizeof(msg));
			msg.msg_name = KH_UPTR(st->race);
			msg.msg_namelen = (socklen_t)st->n;
			u = kh_ualloc(sizeof(msg));
			kh_uwrite(u, &msg, sizeof(msg));
			break;
		case SALEN:
			st->uap[i] = (register_t)st->n;
			continue;
		default:
			st->uap[i] = (register_t)v;
			continue;
		}
		if (p32) {
			uint32_t w = (uint32_t)u;
			memcpy(&st->uap[i], &w, sizeof(w));
		} else
			st->uap[i] = (register_t)u;
	}
}

/* Was this call's act the copy decided on?  -1 denied and nothing ran,
 * 1 permitted and the internal got exactly the decided bytes, 0 fooled. */
static int
judge(const struct rcase *c, const struct rstate *st, int error)
{
	const struct policy_request *r = &kh_dec.req;

	if (kh_dec.n != 1)
		fail_msg("%s: %u decisions in one call", c->name, kh_dec.n);
	if (error != 0) {
		if (kh_act.n != 0)
			fail_msg("%s: denied (%d) but something ran", c->name, error);
		return -1;
	}
	switch (c->kind) {
	case RK_PATH1:
		return strcmp(kh_act.s1, r->pr_filename) == 0 &&
		    strcmp(r->pr_filename, A_PATH) == 0;
	case RK_PATH2:
		return strcmp(kh_act.s2, r->pr_filename2) == 0 &&
		    strcmp(r->pr_filename2, A_PATH) == 0;
	case RK_ARGV:
		return strcmp(kh_act.argv, r->pr_argv) == 0 &&
		    strcmp(r->pr_argv, F_PATH " aaaa") == 0;
	case RK_SA: {
		uint8_t want[64];

		memcpy(want, st->a, st->n);
		want[0] = (uint8_t)st->n;	/* native form, length set */
		want[1] = AF_INET;
		return kh_act.salen == st->n &&
		    memcmp(kh_act.sa, want, st->n) == 0 &&
		    strcmp(r->pr_sockaddr, "inet-127.0.0.1:53") == 0;
	}
	}
	return 0;
}

/* The control: decide as the wrapper does, then let the stock kernel run. */
static int
control_call(struct lwp *l, const struct rcase *c, const struct rstate *st,
    register_t *rv)
{
	int error;

	kh_act_reset();
	kh_dec_reset();
	error = kh_syscall(l, c->code, st->uap, rv);
	if (error == 0) {
		kh_act_reset();
		kt_stock(l, c->code, st->uap, rv);
		/* the stock kernel recorded what it re-read, in the same fields */
		if (c->kind == RK_SA)
			kh_act.sa[1] = AF_INET;
	}
	return error;
}

static void
race_test(void **state)
{
	const struct rcase *c = *state;
	struct rstate st;
	struct kh_racer *rc;
	struct lwp *l;
	register_t rv;
	unsigned i, ok = 0, denied = 0, fooled = 0, cfooled = 0, ctries = 0;
	unsigned long flips;
	char rules[512];
	int error, j;

	snprintf(rules, sizeof(rules), "%s", c->rule);
	l = kt_confined(rules, c->em);
	build(c, &st);

	/* Unraced, the permitted value is permitted and acted on exactly. */
	kh_act_reset();
	kh_dec_reset();
	error = kh_syscall(l, c->code, st.uap, &rv);
	assert_int_equal(error, 0);
	assert_int_equal(judge(c, &st, error), 1);

	rc = kh_race_start(st.race, st.a, st.b, st.n);
	for (i = 0; i < RACES; i++) {
		kh_act_reset();
		kh_dec_reset();
		error = kh_syscall(l, c->code, st.uap, &rv);
		j = judge(c, &st, error);
		if (j == 1)
			ok++;
		else if (j == -1)
			denied++;
		else
			fooled++;
	}
	for (ctries = 0; ctries < CONTROL_MAX && (cfooled == 0 ||
	    ctries < 2000); ctries++) {
		error = control_call(l, c, &st, &rv);
		if (judge(c, &st, error) == 0)
			cfooled++;
	}
	flips = kh_race_stop(rc);
	print_message("  %-14s %u races: %u permitted, %u denied, %u fooled; "
	    "control fooled %u/%u; %lu rewrites (thread and after-read)\n", c->name, RACES, ok, denied,
	    fooled, cfooled, ctries, flips);
	assert_int_equal(fooled, 0);
	assert_true(ok > 0 && denied > 0);	/* the race really happened */
	assert_true(cfooled > 0);		/* and the test can fail */
	kt_release(l);
}

int
main(void)
{
	struct CMUnitTest t[__arraycount(cases)];
	size_t i;

	for (i = 0; i < __arraycount(cases); i++) {
		t[i].name = cases[i].name;
		t[i].test_func = race_test;
		t[i].setup_func = kt_setup;
		t[i].teardown_func = kt_teardown;
		t[i].initial_state = &cases[i];
	}
	return _cmocka_run_group_tests("kernel wrapper races", t,
	    __arraycount(cases), NULL, NULL);
}
