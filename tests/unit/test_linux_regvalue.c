/* test_linux_regvalue.c: socket decided by its domain and sendto without an address decided
 * in the kernel filter, by the value of a register, exactly as the supervisor decides them. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "testutil.h"
#include "policy_linux.h"

static char self[4096];
static char logpath[64];

/* socket rules on the domain alone: AF_UNIX permitted, AF_INET6 refused
 * with its own errno, anything else denied; unlogged, so all in the filter */
static const char socket_quiet[] =
    "policy: 1\nname: sock\ndefault: permit\nerrno: EACCES\nlog: none\n"
    "rules:\n"
    "  - socket: domain eq AF_UNIX then permit\n"
    "  - socket: domain eq AF_INET6 then deny[EAFNOSUPPORT]\n"
    "  - socket: then deny\n";
/* the same, denials logged: those the supervisor's */
static const char socket_logged[] =
    "policy: 1\nname: sock\ndefault: permit\nerrno: EACCES\nlog: deny\n"
    "rules:\n"
    "  - socket: domain eq AF_UNIX then permit\n"
    "  - socket: then deny\n";
/* a rule on the type too: every socket is the supervisor's */
static const char socket_type[] =
    "policy: 1\nname: sock\ndefault: permit\nerrno: EACCES\nlog: none\n"
    "rules:\n"
    "  - socket: type eq SOCK_RAW then deny\n"
    "  - socket: domain eq AF_UNIX then permit\n"
    "  - socket: then deny\n";
static const char send_policy[] =
    "policy: 1\nname: send\ndefault: permit\nerrno: EACCES\nlog: deny\n"
    "rules:\n"
    "  - sendto: sockaddr match \"inet*\" then deny\n"
    "  - sendto: then permit\n";

/* The targets; exit status 0, or the number of the check that failed. */
static int
target_socket(long n)
{
	long i;
	int fd;

	for (i = 0; i < n; i++) {
		if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0)
			return 2;
		close(fd);
		/* the kernel takes the low 32 bits of the domain, as does
		 * the supervisor, and so the filter */
		if ((fd = (int)syscall(SYS_socket, (1ull << 32) | AF_UNIX,
		    SOCK_DGRAM, 0)) < 0)
			return 3;
		close(fd);
		if (socket(AF_INET, SOCK_STREAM, 0) != -1 || errno != EACCES)
			return 4;
	}
	if (n < 0) {		/* the policy with the AF_INET6 rule */
		if (socket(AF_INET6, SOCK_STREAM, 0) != -1 ||
		    errno != EAFNOSUPPORT)
			return 5;
	}
	/* no address family: what the supervisor decides (denied) */
	if (syscall(SYS_socket, 1000, SOCK_STREAM, 0) != -1 || errno != EACCES)
		return 6;
	return 0;
}

static int
target_send(long n)
{
	struct sockaddr_in sin;
	char c;
	long i;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, sv) != 0)
		return 2;
	for (i = 0; i < n; i++)
		if (send(sv[0], "x", 1, 0) != 1 || recv(sv[1], &c, 1, 0) != 1 ||
		    c != 'x')
			return 3;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons(9);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (sendto(sv[0], "y", 1, 0, (struct sockaddr *)&sin,
	    sizeof(sin)) != -1 || errno != EACCES)
		return 4;
	/* a pointer whose low word is 0 is no null pointer: the supervisor
	 * reads it (nothing mapped there: EFAULT), nothing is sent */
	if (syscall(SYS_sendto, sv[0], "z", 1, 0, 1ull << 32,
	    sizeof(sin)) != -1 || errno != EFAULT)
		return 5;
	if (recv(sv[1], &c, 1, MSG_DONTWAIT) != -1 || errno != EAGAIN)
		return 6;
	return 0;
}

/* Runs "SELF --target KIND N" under yaml; its exit status; the number of
 * notifications in *supervised; the log in logpath. */
static int
run(const char *yaml, const char *kind, long n, uint64_t *supervised)
{
	struct policy_loaded *pl = tu_compile(yaml, NULL);
	struct policy_linux_opts o;
	char arg[32], err[256];
	char *argv[] = { self, "--target", (char *)kind, arg, NULL };
	FILE *log;
	int st, r;

	assert_non_null(pl);
	assert_non_null(log = fopen(logpath, "w"));
	snprintf(arg, sizeof(arg), "%ld", n);
	memset(&o, 0, sizeof(o));
	o.plo_policy = &pl->pl_policy;
	o.plo_log = log;
	r = policy_linux_run(&o, argv, &st, err, sizeof(err));
	if (r != 0)
		fprintf(stderr, "policy_linux_run: %s\n", err);
	assert_int_equal(r, 0);
	fclose(log);
	policy_loaded_free(pl);
	*supervised = policy_linux_count_supervised();
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* How many lines of the last run's log contain what. */
static int
log_count(const char *what)
{
	char line[1024];
	FILE *f = fopen(logpath, "r");
	int n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof(line), f) != NULL)
		n += strstr(line, what) != NULL;
	fclose(f);
	return n;
}

/* Runs kind with 0 and with n rounds under yaml (each must pass); the
 * notifications of the first run in *base, how many more the second had. */
static uint64_t
more_notified(const char *yaml, const char *kind, long n, uint64_t *base)
{
	uint64_t s1;

	assert_int_equal(run(yaml, kind, 0, base), 0);
	assert_int_equal(run(yaml, kind, n, &s1), 0);
	print_message("%s: supervised %llu, %ld rounds: %llu\n", kind,
	    (unsigned long long)*base, n, (unsigned long long)s1);
	assert_true(s1 >= *base);
	return s1 - *base;
}

/*
 * Unlogged socket rules on the domain: 300 more AF_UNIX and AF_INET
 * sockets than another run, and not one more notification; the denials
 * carry each rule's errno; a domain beyond the address families is the
 * supervisor's, which denies it.
 */
static void
test_socket_in_filter(void **state)
{
	uint64_t s0, s1;

	(void)state;
	assert_true(more_notified(socket_quiet, "socket", 100, &s0) <= 2);
	assert_true(s0 >= 1);		/* socket(1000, ...) */
	assert_int_equal(run(socket_quiet, "socket", -1, &s1), 0);
}

/* Logged denials stay the supervisor's: each AF_INET socket is notified
 * and logged with its rule; the permitted AF_UNIX ones are not. */
static void
test_socket_denials_logged(void **state)
{
	uint64_t s0, d;

	(void)state;
	d = more_notified(socket_logged, "socket", 50, &s0);
	assert_true(d >= 50 && d <= 52);
	assert_int_equal(log_count("deny socket domain=0x2 "), 50);
	assert_int_equal(log_count("deny socket"), 51);	/* and domain 1000 */
}

/* A socket rule on the type: the filter cannot decide on the domain
 * alone; every socket is notified, decided the same. */
static void
test_socket_type_supervised(void **state)
{
	uint64_t s0;

	(void)state;
	assert_true(more_notified(socket_type, "socket", 50, &s0) >= 150);
}

/* send() (sendto with no address) 500 times: not one notification; a
 * sendto to an Internet address is denied and logged; a pointer with
 * only its high word set is read, not taken for none. */
static void
test_send_no_address(void **state)
{
	uint64_t s0;

	(void)state;
	assert_true(more_notified(send_policy, "send", 500, &s0) <= 2);
	assert_true(s0 >= 2);
	assert_int_equal(log_count("deny sendto"), 1);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_socket_in_filter),
		cmocka_unit_test(test_socket_denials_logged),
		cmocka_unit_test(test_socket_type_supervised),
		cmocka_unit_test(test_send_no_address),
	};
	ssize_t n;
	int r;

	if (argc == 4 && strcmp(argv[1], "--target") == 0)
		return strcmp(argv[2], "socket") == 0 ?
		    target_socket(atol(argv[3])) : target_send(atol(argv[3]));
	/* the sanitizer's leak check cannot run in a confined target */
	setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) < 0)
		return 1;
	self[n] = '\0';
	snprintf(logpath, sizeof(logpath), "/tmp/plx-regvalue.%d.log",
	    (int)getpid());
	r = cmocka_run_group_tests(tests, NULL, NULL);
	unlink(logpath);
	return r;
}
