/* test_linux_reach.c: the supervisor's own /proc/PID stays out of a confined program's reach
 * by every route: by name, magic links, a dirfd or cwd inside it, the kernel's own opens. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/xattr.h>

#include "tu_selfrun.h"

/* ------------------------------------------------------------------ */
/* The target side: one step per argument pair                        */

static int saved = -1;		/* the last O_PATH descriptor opened */
static int served = -1;		/* the last listening socket */

/* arg with each '@' replaced by the supervisor's pid (our parent) */
static const char *
at_sup(const char *arg)
{
	static char buf[PATH_MAX];
	char pid[16];
	size_t o = 0, n;

	snprintf(pid, sizeof(pid), "%d", (int)getppid());
	n = strlen(pid);
	for (; *arg != '\0' && o + n + 1 < sizeof(buf); arg++)
		if (*arg == '@') {
			memcpy(buf + o, pid, n);
			o += n;
		} else
			buf[o++] = *arg;
	buf[o] = '\0';
	return buf;
}

static int
opened(int fd)
{
	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

/* A UNIX stream socket bound to path (listening) or connected to it. */
static int
unix_sock(const char *path, bool listening)
{
	struct sockaddr_un un;
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), r;

	if (s < 0)
		return -errno;
	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	snprintf(un.sun_path, sizeof(un.sun_path), "%s", path);
	if (listening) {
		r = bind(s, (struct sockaddr *)&un, sizeof(un)) == 0 &&
		    listen(s, 4) == 0 ? 0 : -errno;
		if (r == 0)
			served = s;
		else
			close(s);
		return r;
	}
	r = connect(s, (struct sockaddr *)&un, sizeof(un)) == 0 ? 0 : -errno;
	close(s);
	return r;
}

/*
 * An attribute that grants: a POSIX access ACL giving others rwx (setacl),
 * a file capability CAP_SETUID (setcap); or one that does not (setx).
 */
static int
set_attr(const char *op, const char *path)
{
	/* version 2; USER_OBJ rwx, GROUP_OBJ r, OTHER rwx */
	static const uint32_t acl[] = { 2, 0x00070001, ~0u, 0x00040004, ~0u,
	    0x00070020, ~0u };
	/* VFS_CAP_REVISION_2 | effective; permitted CAP_SETUID (7) */
	static const uint32_t cap[] = { 0x02000001, 1u << 7, 0, 0, 0 };
	int r;

	if (op[3] == 'a')
		r = setxattr(path, "system.posix_acl_access", acl, sizeof(acl), 0);
	else if (op[3] == 'c')
		r = setxattr(path, "security.capability", cap, sizeof(cap), 0);
	else
		r = setxattr(path, "user.reach", "x", 1, 0);
	return r == 0 ? 0 : -errno;
}

/*
 * open PATH (read), openw PATH (read and write), opath PATH (O_PATH, kept),
 * reopen - (the kept one, read and write, through /proc/self/fd),
 * reopenr - (the same, read only), at NAME (openat of the kept one, read),
 * cd PATH, readlink PATH, mv A:B (rename), rm PATH, serve PATH (a
 * listening UNIX socket there), connfd - (connect to the kept one through
 * /proc/self/fd), fchmod - and fsetxattr - (of the kept one), ln A:B (link),
 * setacl, setcap, setx PATH (set_attr).  Each prints 0 or -errno.
 */
static int
step(const char *op, const char *a)
{
	char buf[PATH_MAX];

	a = at_sup(a);
	if (strcmp(op, "reopenr") == 0 || strcmp(op, "connfd") == 0) {
		snprintf(buf, sizeof(buf), "/proc/self/fd/%d", saved);
		return op[0] == 'r' ? opened(open(buf, O_RDONLY)) :
		    unix_sock(buf, false);
	}
	if (strcmp(op, "rm") == 0)
		return unlink(a) == 0 ? 0 : -errno;
	if (strcmp(op, "fchmod") == 0)
		return fchmod(saved, 0600) == 0 ? 0 : -errno;
	if (strcmp(op, "ln") == 0)
		return tu_link_pair(a);
	if (strcmp(op, "setacl") == 0 || strcmp(op, "setcap") == 0 ||
	    strcmp(op, "setx") == 0)
		return set_attr(op, a);
	if (strcmp(op, "fsetxattr") == 0)
		return fsetxattr(saved, "user.reach", "x", 1, 0) == 0 ? 0 : -errno;
	if (strcmp(op, "serve") == 0)
		return unix_sock(a, true);
	if (strcmp(op, "open") == 0)
		return opened(open(a, O_RDONLY));
	if (strcmp(op, "openw") == 0)
		return opened(open(a, O_RDWR));
	if (strcmp(op, "opath") == 0) {
		if (saved >= 0)
			close(saved);
		saved = open(a, O_PATH);
		return saved < 0 ? -errno : 0;
	}
	if (strcmp(op, "reopen") == 0) {
		snprintf(buf, sizeof(buf), "/proc/self/fd/%d", saved);
		return opened(open(buf, O_RDWR));
	}
	if (strcmp(op, "at") == 0)
		return opened(openat(saved, a, O_RDONLY));
	if (strcmp(op, "cd") == 0)
		return chdir(a) == 0 ? 0 : -errno;
	if (strcmp(op, "readlink") == 0)
		return readlink(a, buf, sizeof(buf)) >= 0 ? 0 : -errno;
	if (strcmp(op, "mv") == 0)
		return tu_rename_pair(a);
	return -EINVAL;
}

/* ------------------------------------------------------------------ */
/* The test side                                                       */

/* Every open let through by name (and O_PATH ones by their flags); no
 * mount (a Landlock domain refuses them: see policy_mounts). */
static const char *policy_permit =
    "policy: 1\nname: reach-permit\ndefault: permit\nrules:\n"
    "  - mount: then deny\n"
    "  - unmount: then deny\n";
/* The same, mounts permitted: no domain, so every open is supervised. */
static const char *policy_mounts =
    "policy: 1\nname: reach-mounts\ndefault: permit\nrules:\n"
    "  - ptrace: then deny\n";
/* O_PATH opens by their flags; the others, and stat, supervised; chdir by
 * name. */
static const char *policy_opath =
    "policy: 1\nname: reach-opath\ndefault: permit\nrules:\n"
    "  - open: flags sub \"O_PATH\" then permit\n"
    "  - open: filename eq \"/nonexistent/reach\" then deny\n"
    "  - unmount: then deny\n";
/* Every path call supervised, chdir too. */
static const char *policy_all =
    "policy: 1\nname: reach-all\ndefault: permit\nrules:\n"
    "  - fsread: filename inpath \"/nonexistent/reach\" then deny\n"
    "  - fswrite: filename inpath \"/nonexistent/reach\" then deny\n";

/* A step's result: 0 (done) or denied (any error). */
#define OK	0
#define NO	1

static char args[4096];

/*
 * Runs the steps of steps_fmt (its "%1$s": the scratch directory)
 * confined under pol; each must succeed (OK) or fail (NO).
 */
static void
run_steps(const char *pol_fmt, const int *want, size_t n, const char *steps_fmt)
{
	const char *pol = tu_write_policy("p", pol_fmt, tu_dir);
	int res[32];
	size_t i;

	assert_true(n <= 32);
	snprintf(args, sizeof(args), steps_fmt, tu_dir);
	tu_sh("rm -rf %1$s/d1 %1$s/d2 && mkdir %1$s/d1 %1$s/d2 && "
	    "echo x >%1$s/d1/f && echo x >%1$s/d1/key && echo x >%1$s/d1/sec && "
	    "echo x >%1$s/d1/sec2 && echo y >%1$s/d1/new", tu_dir);
	assert_int_equal(tu_run_ints(pol, args, res, n), n);
	for (i = 0; i < n; i++)
		if ((want[i] == OK) != (res[i] == 0))
			fail_msg("step %zu: %d, want %s (%s)", i, res[i],
			    want[i] == OK ? "success" : "an error", args);
}
#define RUN_STEPS(pol, want, steps_fmt) \
	run_steps(pol, want, sizeof(want) / sizeof(want[0]), steps_fmt)

/*
 * Opens the kernel makes itself (the filter lets them through by name):
 * a program that may hold CAP_SYS_PTRACE is kept in a Landlock domain,
 * which refuses it our memory and our descriptors' links; what it may do
 * otherwise is unchanged (its own /proc, a move between directories).
 */
static void
test_kernel_opens(void **state)
{
	static const int want[] = { NO, NO, NO, NO, NO, OK, OK, OK };

	(void)state;
	RUN_STEPS(policy_permit, want,
	    "openw /proc/@/mem open /proc/@/mem "
	    "readlink /proc/@/fd/0 open /proc/@/cwd/. open /proc/@/root/. "
	    "open /proc/self/status openw /proc/self/mem mv %1$s/d1/f:%1$s/d2/f");
}

/* The same with no Landlock: every open is then supervised. */
static void
test_kernel_opens_nolandlock(void **state)
{
	static const int want[] = { NO, NO, NO, NO, OK, OK };

	(void)state;
	setenv("POLICY_LANDLOCK_ABI", "0", 1);
	RUN_STEPS(policy_permit, want,
	    "openw /proc/@/mem open /proc/@/environ "
	    "opath /proc/@/mem open /proc/@/root/. open /proc/self/status "
	    "mv %1$s/d1/f:%1$s/d2/f");
	unsetenv("POLICY_LANDLOCK_ABI");
}

/* A policy that permits mounts: a domain would refuse them, so there is
 * none, and every open goes to the supervisor, which refuses our /proc. */
static void
test_kernel_opens_mounts(void **state)
{
	static const int want[] = { NO, NO, NO, OK, OK };

	(void)state;
	RUN_STEPS(policy_mounts, want,
	    "openw /proc/@/mem open /proc/@/environ "
	    "opath /proc/@/mem open /proc/self/status mv %1$s/d1/f:%1$s/d2/f");
}

/*
 * An O_PATH descriptor of our memory, which the kernel opened for the
 * program: reopened through /proc/self/fd (a magic link), the supervisor
 * would open its own memory with its own rights over itself.  Likewise a
 * dirfd or a cwd inside our /proc/PID, and the fd links there.  The same
 * routes into the program's own /proc/PID work.
 */
static void
test_magic_routes(void **state)
{
	static const int want[] = {
		OK, NO,			/* O_PATH of our mem, reopened */
		OK, NO, NO, NO,		/* a dirfd in our /proc/PID */
		OK, NO, NO, NO,		/* a cwd there */
		OK, OK,			/* the program's own */
		OK, OK, OK,
	};

	(void)state;
	RUN_STEPS(policy_opath, want,
	    "opath /proc/@/mem reopen - "
	    "opath /proc/@ at mem at environ at fd/0 "
	    "cd /proc/@ open mem open environ open fd/0 "
	    "opath %1$s/d1/f reopen - "
	    "opath /proc/self at status cd /proc/self");
}

/*
 * Names, not objects: a descriptor kept of a file the policy denies by
 * name (an O_PATH open, let through by its flags) whose name then goes
 * (unlinked, or replaced by a rename over it, as passwd(1) replaces
 * /etc/shadow) is /proc's "NAME (deleted)", which no rule for NAME
 * matches; reopened or connected to through /proc/self/fd it is decided
 * as NAME.  (The program itself may not rename over a name it may not
 * open: the move check refuses it.)  A permitted file so kept stays
 * reachable.
 */
static const char *policy_deleted =
    "policy: 1\nname: reach-deleted\ndefault: permit\nrules:\n"
    "  - open: flags sub \"O_PATH\" then permit\n"
    "  - open: filename eq \"%1$s/d1/key\" then deny\n"
    "  - open: filename re \"/d1/sec[0-9]?$\" then deny\n"
    "  - connect: sockaddr eq \"unix-%1$s/d1/sock\" then deny\n"
    "  - unmount: then deny\n";

static void
test_deleted_names(void **state)
{
	static const int want[] = {
		NO, OK, OK, NO,		/* key: O_PATH kept, unlinked */
		NO, OK, NO, OK, NO,	/* sec: kept, unlinked (not by mv) */
		OK, OK, OK,		/* f, permitted: kept, unlinked */
		OK, OK, OK, NO,		/* sock: kept, unlinked, connected */
		OK, OK, OK, OK,		/* sock2, permitted */
		OK, OK, OK, NO,		/* sec2: a second name kept */
	};

	(void)state;
	RUN_STEPS(policy_deleted, want,
	    "open %1$s/d1/key opath %1$s/d1/key rm %1$s/d1/key reopenr - "
	    "open %1$s/d1/sec opath %1$s/d1/sec mv %1$s/d1/new:%1$s/d1/sec "
	    "rm %1$s/d1/sec reopenr - "
	    "opath %1$s/d1/f rm %1$s/d1/f reopenr - "
	    "serve %1$s/d1/sock opath %1$s/d1/sock rm %1$s/d1/sock connfd - "
	    "serve %1$s/d1/sock2 opath %1$s/d1/sock2 rm %1$s/d1/sock2 "
	    "connfd - "
	    "ln %1$s/d1/sec2:%1$s/d1/sec3 opath %1$s/d1/sec2 rm %1$s/d1/sec2 "
	    "reopenr -");
}

/*
 * A real O_PATH descriptor (let through by its flags) changes nothing
 * through fchmod or fsetxattr, which the kernel refuses (EBADF) and the
 * supervisor, deciding them on the descriptor's object, must too.
 */
static const char *policy_fdforms =
    "policy: 1\nname: reach-fdforms\ndefault: permit\nrules:\n"
    "  - open: flags sub \"O_PATH\" then permit\n"
    "  - fswrite: filename eq \"%1$s/d1/key\" then deny\n"
    "  - unmount: then deny\n";

static void
test_fd_forms(void **state)
{
	static const int want[] = { OK, NO, NO, OK, NO, NO };

	(void)state;
	RUN_STEPS(policy_fdforms, want,
	    "opath %1$s/d1/f fchmod - fsetxattr - "
	    "opath %1$s/d1/key fchmod - fsetxattr -");
	/* refused before any decision, as the kernel refuses it */
	assert_false(tu_log_has("deny chmod"));
}

/*
 * Attributes that grant what a mode grants: a POSIX ACL (it rewrites the
 * permission bits), a file capability (what set-user-ID is for).  Set by
 * setxattr, they are decided as a chmod to every bit, so that rules on
 * mode refuse them; an attribute that grants nothing is decided on its
 * path alone.
 */
static const char *policy_grants =
    "policy: 1\nname: reach-grants\ndefault: permit\nrules:\n"
    "  - chmod: mode sub 04000 then deny\n"
    "  - chmod: mode sub 0002 then deny\n"
    "  - unmount: then deny\n";

static void
test_xattr_grants(void **state)
{
	static const int want[] = { NO, NO, OK };

	(void)state;
	RUN_STEPS(policy_grants, want,
	    "setacl %1$s/d1/f setcap %1$s/d1/f "
	    "setx %1$s/d1/f");
	assert_true(tu_log_has("deny chmod"));
}

/* Every path call supervised: refused by name, chdir included. */
static void
test_supervised(void **state)
{
	static const int want[] = { NO, NO, NO, NO, OK, OK };

	(void)state;
	RUN_STEPS(policy_all, want,
	    "cd /proc/@ openw /proc/@/mem "
	    "opath /proc/@/environ readlink /proc/@/exe "
	    "open /proc/self/status cd /proc/self");
}

static int
setup(void **state)
{
	(void)state;
	return tu_selfrun_setup("reach");
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kernel_opens),
		cmocka_unit_test(test_kernel_opens_nolandlock),
		cmocka_unit_test(test_kernel_opens_mounts),
		cmocka_unit_test(test_magic_routes),
		cmocka_unit_test(test_supervised),
		cmocka_unit_test(test_deleted_names),
		cmocka_unit_test(test_fd_forms),
		cmocka_unit_test(test_xattr_grants),
	};

	if (argc > 1 && strcmp(argv[1], "--target") == 0)
		return tu_target_steps(argc - 2, argv + 2, step);
	return cmocka_run_group_tests(tests, setup, tu_selfrun_teardown);
}
