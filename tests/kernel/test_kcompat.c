/* test_kcompat.c: the netbsd32, linux and linux32 wrappers convert their argument layouts,
 * open flags, sockaddrs, socket types and signals, and then decide and act exactly as the
 * native wrapper does for the same call; socketcall's argument array is copied once. */
#include "kt.h"

#define POLICY_TEXT \
	"  - open: filename match \"/tmp/*\" then permit\n" \
	"  - unlink: filename eq \"/tmp/gone\" then permit\n" \
	"  - connect: sockaddr eq \"inet6-[::1]:443\" then permit\n" \
	"  - connect: sockaddr match \"unix-/run/*\" then permit\n" \
	"  - sendto: sockaddr eq \"inet-127.0.0.1:53\" then permit\n" \
	"  - kill: signal eq \"SIGUSR1\" then deny[EPERM]\n" \
	"  - kill: then permit\n" \
	"  - execve: argv eq \"/bin/ls -l\" then permit\n" \
	"  - socket: domain eq \"AF_INET6\" then deny[EPERM]\n" \
	"  - socket: then permit\n"

enum { E_NATIVE, E_N32, E_LINUX, E_LINUX32, E_N };
static struct emul *const emuls[E_N] = { &emul_netbsd, &emul_netbsd32,
    &emul_linux, &emul_linux32 };
static const char *const ename[E_N] = { "native", "netbsd32", "linux",
    "linux32" };

struct outcome {
	int			error;
	unsigned		ndec;
	struct policy_request	req;
	struct kh_act		act;
};

static void
run(struct lwp *l, int code, const register_t *uap, struct outcome *o)
{
	register_t rv;

	kh_act_reset();
	kh_dec_reset();
	o->error = kh_syscall(l, code, uap, &rv);
	o->ndec = kh_dec.n;
	memcpy(&o->req, &kh_dec.req, sizeof(o->req));
	memcpy(&o->act, &kh_act, sizeof(o->act));
}

static void
same(const char *what, unsigned e, const struct outcome *n,
    const struct outcome *c)
{
	const struct policy_request *a = &n->req, *b = &c->req;
	unsigned f;

	if (n->error != c->error || n->ndec != c->ndec || c->ndec != 1)
		fail_msg("%s/%s: error %d vs native %d (%u decisions; "
		    "\"%s\" vs native \"%s\")", what, ename[e], c->error,
		    n->error, c->ndec, c->req.pr_filename, n->req.pr_filename);
	assert_int_equal(b->pr_emul, e);
	if (a->pr_op != b->pr_op || a->pr_present != b->pr_present ||
	    memcmp(a->pr_int, b->pr_int, sizeof(a->pr_int)) != 0 ||
	    memcmp(a->pr_len, b->pr_len, sizeof(a->pr_len)) != 0)
		fail_msg("%s/%s: request differs from native", what, ename[e]);
	for (f = 0; f < POLICY_F_NSTR; f++) {
		const char *sa[] = { a->pr_filename, a->pr_filename2,
		    a->pr_sockaddr, a->pr_argv, a->pr_syscall };
		const char *sb[] = { b->pr_filename, b->pr_filename2,
		    b->pr_sockaddr, b->pr_argv, b->pr_syscall };
		if ((a->pr_present & (1u << f)) && strcmp(sa[f], sb[f]) != 0)
			fail_msg("%s/%s: field %u \"%s\" vs native \"%s\"", what,
			    ename[e], f, sb[f], sa[f]);
	}
	if (n->act.n != c->act.n || strcmp(n->act.what, c->act.what) != 0 ||
	    strcmp(n->act.s1, c->act.s1) != 0 ||
	    strcmp(n->act.argv, c->act.argv) != 0 ||
	    n->act.salen != c->act.salen ||
	    memcmp(n->act.sa, c->act.sa, n->act.salen) != 0)
		fail_msg("%s/%s: the kernel was asked something else (%s \"%s\")",
		    what, ename[e], c->act.what, c->act.s1);
}

/* Pointers as each emulation passes them. */
static void
setp(register_t *slot, unsigned e, uintptr_t u)
{
	if (e == E_N32 || e == E_LINUX32) {
		uint32_t w = (uint32_t)u;
		*slot = 0;
		memcpy(slot, &w, sizeof(w));
	} else
		*slot = (register_t)u;
}

static uintptr_t
argv_array(unsigned e, const char *const *v, size_t n)
{
	uintptr_t a = kh_ualloc((n + 1) * 8), s;
	size_t i, w = (e == E_N32 || e == E_LINUX32) ? 4 : 8;
	uint64_t z = 0;

	for (i = 0; i < n; i++) {
		s = kh_ustr(v[i]);
		kh_uwrite(a + i * w, &s, w);
	}
	kh_uwrite(a + n * w, &z, w);
	return a;
}

/* A sockaddr as the emulation lays it out: Linux has a 16-bit family. */
static uintptr_t
sockaddr_for(unsigned e, const void *native, size_t len)
{
	uint8_t b[128];
	uint16_t fam;
	uintptr_t u = kh_ualloc(len);

	memcpy(b, native, len);
	if (e == E_LINUX || e == E_LINUX32) {
		fam = b[1] == AF_INET6 ? LINUX_AF_INET6 : b[1] == AF_INET ?
		    LINUX_AF_INET : LINUX_AF_UNIX;
		memcpy(b, &fam, 2);
	}
	kh_uwrite(u, b, len);
	return u;
}

static void
test_paths(void **state)
{
	static const int open_code[E_N] = { SYS_open, 5, LINUX_SYS_open,
	    LINUX32_SYS_open };
	static const int unlink_code[E_N] = { SYS_unlink, 10, LINUX_SYS_unlink,
	    LINUX32_SYS_unlink };
	static const char *const paths[] = { "/tmp/a", "/etc/passwd",
	    "/tmp/../etc/x" };
	struct outcome o[E_N], o2[E_N];
	register_t uap[6];
	size_t i;
	unsigned e;

	(void)state;
	for (i = 0; i < __arraycount(paths); i++) {
		for (e = 0; e < E_N; e++) {
			struct lwp *l = kt_confined(POLICY_TEXT, emuls[e]);

			memset(uap, 0, sizeof(uap));
			setp(&uap[0], e, kh_ustr(paths[i]));
			uap[1] = e >= E_LINUX ?
			    (0x1 | LINUX_O_CREAT | LINUX_O_TRUNC) :
			    (O_WRONLY | O_CREAT | O_TRUNC);
			uap[2] = 0644;
			run(l, open_code[e], uap, &o[e]);
			if (e > 0)
				same("open", e, &o[0], &o[e]);
			run(l, unlink_code[e], uap, &o2[e]);
			if (e > 0)
				same("unlink", e, &o2[0], &o2[e]);
			kt_release(l);
		}
	}
	assert_int_equal(o[0].error, EACCES);
}

static void
test_sockets(void **state)
{
	struct sockaddr_in6 s6;
	struct sockaddr_un su;
	struct sockaddr_in s4;
	const void *sas[] = { &s6, &su, &s4 };
	const size_t lens[] = { sizeof(s6), 2 + 9, sizeof(s4) };
	static const int conn[E_N] = { SYS_connect, 98, LINUX_SYS_connect, -1 };
	static const int sendto[E_N] = { SYS_sendto, 133, LINUX_SYS_sendto, -1 };
	struct outcome o[E_N], o2[E_N];
	register_t uap[6];
	uint32_t args[6];
	uintptr_t u, a;
	size_t i;
	unsigned e;

	(void)state;
	memset(&s6, 0, sizeof(s6));
	s6.sin6_len = sizeof(s6);
	s6.sin6_family = AF_INET6;
	s6.sin6_port = htons(443);
	s6.sin6_addr.s6_addr[15] = 1;
	memset(&su, 0, sizeof(su));
	su.sun_family = AF_LOCAL;
	memcpy(su.sun_path, "/run/sock", 9);
	memset(&s4, 0, sizeof(s4));
	s4.sin_len = sizeof(s4);
	s4.sin_family = AF_INET;
	s4.sin_port = htons(53);
	s4.sin_addr.s_addr = __builtin_bswap32(0x7f000001);
	for (i = 0; i < __arraycount(sas); i++) {
		for (e = 0; e < E_N; e++) {
			struct lwp *l = kt_confined(POLICY_TEXT, emuls[e]);

			u = sockaddr_for(e, sas[i], lens[i]);
			memset(uap, 0, sizeof(uap));
			if (e == E_LINUX32) {
				args[0] = 3;
				args[1] = (uint32_t)u;
				args[2] = (uint32_t)lens[i];
				a = kh_ualloc(sizeof(args));
				kh_uwrite(a, args, sizeof(args));
				uap[0] = LINUX_SYS_CONNECT;
				setp(&uap[1], e, a);
				kh_reads_reset();
				run(l, LINUX32_SYS_socketcall, uap, &o[e]);
				assert_int_equal(kh_reads(a, 12), 1);
			} else {
				uap[0] = 3;
				setp(&uap[1], e, u);
				uap[2] = (register_t)lens[i];
				run(l, conn[e], uap, &o[e]);
			}
			if (e > 0)
				same("connect", e, &o[0], &o[e]);
			/* sendto: data, then the address in slots 4 and 5 */
			memset(uap, 0, sizeof(uap));
			if (e == E_LINUX32) {
				args[0] = 3;
				args[1] = (uint32_t)kh_ualloc(4);
				args[2] = 4;
				args[3] = 0;
				args[4] = (uint32_t)u;
				args[5] = (uint32_t)lens[i];
				a = kh_ualloc(sizeof(args));
				kh_uwrite(a, args, sizeof(args));
				uap[0] = LINUX_SYS_SENDTO;
				setp(&uap[1], e, a);
				run(l, LINUX32_SYS_socketcall, uap, &o2[e]);
			} else {
				uap[0] = 3;
				setp(&uap[1], e, kh_ualloc(4));
				uap[2] = 4;
				setp(&uap[4], e, u);
				uap[5] = (register_t)lens[i];
				run(l, sendto[e], uap, &o2[e]);
			}
			if (e > 0)
				same("sendto", e, &o2[0], &o2[e]);
			kt_release(l);
		}
	}
}

static void
test_ints(void **state)
{
	static const int kill_code[E_N] = { SYS_kill, 37, LINUX_SYS_kill,
	    LINUX32_SYS_kill };
	static const int sigs[][E_N] = {
		{ SIGUSR1, SIGUSR1, 10, 10 },	/* Linux numbers differ */
		{ SIGCHLD, SIGCHLD, 17, 17 },
		{ SIGKILL, SIGKILL, 9, 9 },
	};
	static const int sock_code[E_N] = { SYS___socket30, 394,
	    LINUX_SYS_socket, -1 };
	struct outcome o[E_N];
	register_t uap[6];
	uint32_t args[3];
	uintptr_t a;
	size_t i;
	unsigned e;

	(void)state;
	for (i = 0; i < __arraycount(sigs); i++)
		for (e = 0; e < E_N; e++) {
			struct lwp *l = kt_confined(POLICY_TEXT, emuls[e]);

			memset(uap, 0, sizeof(uap));
			uap[0] = 4242;
			uap[1] = sigs[i][e];
			run(l, kill_code[e], uap, &o[e]);
			if (e > 0)
				same("kill", e, &o[0], &o[e]);
			kt_release(l);
		}
	for (e = 0; e < E_N; e++) {
		struct lwp *l = kt_confined(POLICY_TEXT, emuls[e]);

		memset(uap, 0, sizeof(uap));
		if (e == E_LINUX32) {
			args[0] = LINUX_AF_INET6;
			args[1] = 1 | LINUX_SOCK_CLOEXEC;
			args[2] = 0;
			a = kh_ualloc(sizeof(args));
			kh_uwrite(a, args, sizeof(args));
			uap[0] = LINUX_SYS_SOCKET;
			setp(&uap[1], e, a);
			run(l, LINUX32_SYS_socketcall, uap, &o[e]);
		} else {
			uap[0] = e == E_LINUX ? LINUX_AF_INET6 : AF_INET6;
			uap[1] = e == E_LINUX ? (1 | LINUX_SOCK_CLOEXEC) :
			    (SOCK_STREAM | SOCK_CLOEXEC);
			run(l, sock_code[e], uap, &o[e]);
		}
		if (e > 0)
			same("socket", e, &o[0], &o[e]);
		kt_release(l);
	}
	assert_int_equal(o[0].error, EPERM);
}

static void
test_execve(void **state)
{
	static const int code[E_N] = { SYS_execve, 59, LINUX_SYS_execve,
	    LINUX32_SYS_netbsd32_execve };
	static const char *const v1[] = { "/bin/ls", "-l" };
	static const char *const v2[] = { "/bin/ls", "-l", "/root" };
	struct outcome o[E_N];
	register_t uap[6];
	unsigned e, k;

	(void)state;
	for (k = 0; k < 2; k++)
		for (e = 0; e < E_N; e++) {
			struct lwp *l = kt_confined(POLICY_TEXT, emuls[e]);

			memset(uap, 0, sizeof(uap));
			setp(&uap[0], e, kh_ustr("/bin/ls"));
			setp(&uap[1], e, k == 0 ? argv_array(e, v1, 2) :
			    argv_array(e, v2, 3));
			run(l, code[e], uap, &o[e]);
			if (e > 0)
				same("execve", e, &o[0], &o[e]);
			assert_int_equal(o[e].error, k == 0 ? 0 : EACCES);
			kt_release(l);
		}
}

static void
test_linux_rejects(void **state)
{
	struct lwp *l = kt_confined(POLICY_TEXT, &emul_linux);
	uint8_t b[16] = { 0 };
	register_t uap[6] = { 3, 0, 0 };
	struct outcome o;
	uint16_t fam;

	(void)state;
	fam = LINUX_AF_UNIX;	/* abstract name: no NetBSD equivalent */
	memcpy(b, &fam, 2);
	uap[1] = (register_t)kh_ualloc(sizeof(b));
	kh_uwrite((uintptr_t)uap[1], b, sizeof(b));
	uap[2] = 8;
	run(l, LINUX_SYS_connect, uap, &o);
	assert_int_equal(o.error, EINVAL);
	fam = 99;
	memcpy(b, &fam, 2);
	kh_uwrite((uintptr_t)uap[1], b, sizeof(b));
	run(l, LINUX_SYS_connect, uap, &o);
	assert_int_equal(o.error, EAFNOSUPPORT);
	assert_int_equal(o.act.n, 0);
	kt_release(l);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_paths, kt_setup, kt_teardown),
		cmocka_unit_test_setup_teardown(test_sockets, kt_setup, kt_teardown),
		cmocka_unit_test_setup_teardown(test_ints, kt_setup, kt_teardown),
		cmocka_unit_test_setup_teardown(test_execve, kt_setup, kt_teardown),
		cmocka_unit_test_setup_teardown(test_linux_rejects, kt_setup, kt_teardown),
	};
	return cmocka_run_group_tests_name("kernel compat wrappers", tests,
	    NULL, NULL);
}
