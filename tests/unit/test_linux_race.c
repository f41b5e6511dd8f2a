/* test_linux_race.c: TOCTOU races against the Linux supervisor: a path swapped in memory or
 * on disk after the check never yields a denied object, while a naive monitor is fooled. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "testutil.h"
#include "policy_linux.h"

#define RACE_SECONDS	2.0

static char dir[256], exe[PATH_MAX];

/* ------------------------------------------------------------------ */
/* Target side                                                         */

static char buf_path[PATH_MAX];		/* the racing argument */
static char path_ok[PATH_MAX], path_bad[PATH_MAX];
static atomic_int stop;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Flip the path in memory between an allowed and a denied file. */
static void *
flip_mem(void *arg)
{
	(void)arg;
	while (!atomic_load(&stop)) {
		memcpy(buf_path, path_bad, strlen(path_bad) + 1);
		memcpy(buf_path, path_ok, strlen(path_ok) + 1);
	}
	return NULL;
}

/* Flip a symlink on disk between the allowed and the denied file. */
static void *
flip_link(void *arg)
{
	char tmp[PATH_MAX], flip[PATH_MAX];
	int i = 0;

	(void)arg;
	snprintf(tmp, sizeof(tmp), "%s/pub/tmpl", dir);
	snprintf(flip, sizeof(flip), "%s/pub/flip", dir);
	while (!atomic_load(&stop)) {
		unlink(tmp);
		if (symlink(i++ & 1 ? "../secret" : "a", tmp) == 0)
			rename(tmp, flip);
	}
	return NULL;
}

/*
 * Open buf_path again and again while another thread changes what it
 * names.  Exit status: 0 if the denied file was never opened and both
 * outcomes were seen, 1 if the denied file was opened, 2 if the race
 * never produced both outcomes.
 */
static int
race_open(void *(*flipper)(void *), ino_t bad_ino, double seconds)
{
	pthread_t t;
	struct stat st;
	long ok = 0, denied = 0, bad = 0;
	double end = now() + seconds;

	if (pthread_create(&t, NULL, flipper, NULL) != 0)
		return 3;
	while (now() < end) {
		int fd = open(buf_path, O_RDONLY);

		if (fd < 0) {
			denied++;
			continue;
		}
		if (fstat(fd, &st) == 0 && st.st_ino == bad_ino)
			bad++;
		else
			ok++;
		close(fd);
		if (bad > 0)
			break;
	}
	atomic_store(&stop, 1);
	pthread_join(t, NULL);
	fprintf(stderr, "race: %ld allowed, %ld denied, %ld denied file opened\n",
	    ok, denied, bad);
	if (bad > 0)
		return 1;
	return ok > 0 && denied > 0 ? 0 : 2;
}

/* Exec a path flipped between /usr/bin/true (allowed) and /usr/bin/touch
 * (denied, would create the marker). */
static void *
flip_exec(void *arg)
{
	(void)arg;
	for (;;) {
		memcpy(buf_path, "/usr/bin/touch", 15);
		memcpy(buf_path, "/usr/bin/true", 14);
	}
	return NULL;
}

static int
race_exec(double seconds)
{
	char marker[PATH_MAX];
	double end = now() + seconds;
	long runs = 0, killed = 0;

	snprintf(marker, sizeof(marker), "%s/pub/marker", dir);
	while (now() < end) {
		int st;
		pid_t pid = fork();

		if (pid < 0)
			return 3;
		if (pid == 0) {
			char *argv[] = { "touch", marker, NULL };
			pthread_t t;

			strcpy(buf_path, "/usr/bin/true");
			if (pthread_create(&t, NULL, flip_exec, NULL) != 0)
				_exit(3);
			execv(buf_path, argv);
			_exit(4);
		}
		if (waitpid(pid, &st, 0) != pid)
			return 3;
		runs++;
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL)
			killed++;
	}
	fprintf(stderr, "race exec: %ld runs, %ld killed at the exec check\n",
	    runs, killed);
	return access(marker, F_OK) == 0 ? 1 : 0;
}

static int
target_main(int argc, char **argv)
{
	ino_t bad;

	if (argc < 5)
		return 90;
	snprintf(dir, sizeof(dir), "%s", argv[3]);
	bad = (ino_t)strtoull(argv[4], NULL, 10);
	snprintf(path_ok, sizeof(path_ok), "%s/pub/a", dir);
	snprintf(path_bad, sizeof(path_bad), "%s/secret", dir);
	strcpy(buf_path, path_ok);
	if (strcmp(argv[2], "mem") == 0)
		return race_open(flip_mem, bad, RACE_SECONDS);
	if (strcmp(argv[2], "link") == 0) {
		snprintf(buf_path, sizeof(buf_path), "%s/pub/flip", dir);
		return race_open(flip_link, bad, RACE_SECONDS);
	}
	if (strcmp(argv[2], "exec") == 0)
		return race_exec(RACE_SECONDS);
	return 91;
}

/* ------------------------------------------------------------------ */
/* Supervisor side                                                     */

static ino_t secret_ino;

static int
setup(void **state)
{
	char p[PATH_MAX];
	struct stat st;
	ssize_t n;
	FILE *f;

	(void)state;
	/* the target is this binary under ptrace: LeakSanitizer cannot run */
	setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
	snprintf(dir, sizeof(dir), "/tmp/plx-race.%d", (int)getpid());
	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) < 0)
		return -1;
	exe[n] = '\0';
	snprintf(p, sizeof(p), "%s/pub", dir);
	if (mkdir(dir, 0755) != 0 || mkdir(p, 0755) != 0)
		return -1;
	snprintf(p, sizeof(p), "%s/pub/a", dir);
	if ((f = fopen(p, "w")) == NULL)
		return -1;
	fputs("A", f);
	fclose(f);
	snprintf(p, sizeof(p), "%s/secret", dir);
	if ((f = fopen(p, "w")) == NULL)
		return -1;
	fputs("S", f);
	fclose(f);
	if (stat(p, &st) != 0)
		return -1;
	secret_ino = st.st_ino;
	snprintf(path_ok, sizeof(path_ok), "%s/pub/a", dir);
	snprintf(path_bad, sizeof(path_bad), "%s/secret", dir);
	return 0;
}

static int
teardown(void **state)
{
	char cmd[PATH_MAX];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int
run(const char *scenario)
{
	static char yaml[4096];
	struct policy_linux_opts o;
	struct policy_diag diag;
	struct policy_loaded *pl;
	char ino[32], err[256];
	char *argv[] = { exe, "--target", (char *)scenario, dir, ino, NULL };
	int st = -1;
	FILE *quiet = fopen("/dev/null", "w");

	snprintf(ino, sizeof(ino), "%llu", (unsigned long long)secret_ino);
	snprintf(yaml, sizeof(yaml),
	    "policy: 1\n"
	    "default: permit\n"
	    "errno: EACCES\n"
	    "log: none\n"
	    "rules:\n"
	    "  - fsread: filename eq \"%1$s/secret\" then deny\n"
	    "  - fswrite: filename eq \"%1$s/secret\" then deny\n"
	    "  - execve: filename eq \"/usr/bin/touch\" then deny\n", dir);
	pl = tu_compile(yaml, &diag);
	if (pl == NULL)
		policy_diag_print(stderr, &diag);
	assert_non_null(pl);
	assert_non_null(quiet);
	memset(&o, 0, sizeof(o));
	o.plo_policy = &pl->pl_policy;
	o.plo_log = quiet;
	assert_int_equal(policy_linux_run(&o, argv, &st, err, sizeof(err)), 0);
	policy_loaded_free(pl);
	fclose(quiet);
	return st;
}

/* A path swapped in memory by another thread after the check. */
static void
test_race_memory(void **s)
{
	int st = run("mem");

	(void)s;
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* A symlink swapped on disk after the check. */
static void
test_race_symlink(void **s)
{
	int st = run("link");

	(void)s;
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/* An execve path swapped after the check: the denied program never runs. */
static void
test_race_exec(void **s)
{
	int st = run("exec");

	(void)s;
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
}

/*
 * The control: the same memory race against a naive monitor that reads the
 * path, checks it and lets the kernel run the call
 * (SECCOMP_USER_NOTIF_FLAG_CONTINUE).  It must be fooled, or the race test
 * above would prove nothing.
 */
static void
test_race_naive_is_fooled(void **s)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_openat, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };
	struct seccomp_notif_sizes sz;
	struct seccomp_notif *req;
	int sv[2], listener = -1, st;
	pid_t pid;

	(void)s;
	assert_int_equal(syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sz), 0);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	atomic_store(&stop, 0);
	strcpy(buf_path, path_ok);
	if ((pid = fork()) == 0) {
		char cbuf[CMSG_SPACE(sizeof(int))];
		struct msghdr mh;
		struct iovec iov = { "x", 1 };
		struct cmsghdr *cm;
		int fd;

		close(sv[0]);
		prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
		fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
		    SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
		if (fd < 0)
			_exit(3);
		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		cm = CMSG_FIRSTHDR(&mh);
		cm->cmsg_level = SOL_SOCKET;
		cm->cmsg_type = SCM_RIGHTS;
		cm->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(cm), &fd, sizeof(int));
		if (sendmsg(sv[1], &mh, 0) != 1)
			_exit(3);
		close(fd);
		/* exit 1 = the denied file was opened */
		_exit(race_open(flip_mem, secret_ino, 10.0));
	}
	assert_true(pid > 0);
	close(sv[1]);
	{
		char cbuf[CMSG_SPACE(sizeof(int))], b;
		struct iovec iov = { &b, 1 };
		struct msghdr mh;

		memset(&mh, 0, sizeof(mh));
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cbuf;
		mh.msg_controllen = sizeof(cbuf);
		assert_int_equal(recvmsg(sv[0], &mh, 0), 1);
		memcpy(&listener, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(int));
	}
	req = calloc(1, sz.seccomp_notif);
	assert_non_null(req);
	for (;;) {
		struct seccomp_notif_resp resp;
		char path[PATH_MAX];
		struct iovec l = { path, sizeof(path) - 1 }, r;
		struct pollfd pfd = { listener, POLLIN, 0 };

		if (waitpid(pid, &st, WNOHANG) == pid)
			goto done;
		if (poll(&pfd, 1, 100) <= 0 || !(pfd.revents & POLLIN))
			continue;
		memset(req, 0, sz.seccomp_notif);
		if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req) != 0)
			continue;
		memset(&resp, 0, sizeof(resp));
		resp.id = req->id;
		r.iov_base = (void *)(uintptr_t)req->data.args[1];
		r.iov_len = sizeof(path) - 1;
		memset(path, 0, sizeof(path));
		(void)process_vm_readv(req->pid, &l, 1, &r, 1, 0);
		if (strcmp(path, path_bad) == 0)
			resp.error = -EACCES;		/* check... */
		else
			resp.flags = SECCOMP_USER_NOTIF_FLAG_CONTINUE; /* ...use */
		(void)ioctl(listener, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
done:
	free(req);
	close(listener);
	close(sv[0]);
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 1);	/* fooled */
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_race_naive_is_fooled),
		cmocka_unit_test(test_race_memory),
		cmocka_unit_test(test_race_symlink),
		cmocka_unit_test(test_race_exec),
	};

	if (argc >= 3 && strcmp(argv[1], "--target") == 0)
		return target_main(argc, argv);
	return cmocka_run_group_tests(tests, setup, teardown);
}
