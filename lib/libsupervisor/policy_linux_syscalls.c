/* policy_linux_syscalls.c: the native system calls by number: name, the operation each is
 * mediated as, which change credentials, which the supervisor carries out, which may wait. */
#include <pthread.h>
#include <string.h>
#include <seccomp.h>

#include "policy_linux.h"

#define NR_MAX	POLICY_LINUX_NR_MAX

/* How the supervisor treats a native system call, by name. */
static const struct {
	const char	*name;
	unsigned	op;
} policy_linux_ops[] = {
	{ "open", POLICY_OP_OPEN }, { "openat", POLICY_OP_OPEN },
	{ "openat2", POLICY_OP_OPEN }, { "creat", POLICY_OP_OPEN },
	{ "access", POLICY_OP_ACCESS }, { "faccessat", POLICY_OP_ACCESS },
	{ "faccessat2", POLICY_OP_ACCESS },
	{ "stat", POLICY_OP_STAT }, { "lstat", POLICY_OP_STAT },
	{ "newfstatat", POLICY_OP_STAT }, { "statx", POLICY_OP_STAT },
	{ "readlink", POLICY_OP_READLINK }, { "readlinkat", POLICY_OP_READLINK },
	{ "chdir", POLICY_OP_CHDIR },
	{ "unlink", POLICY_OP_UNLINK }, { "unlinkat", POLICY_OP_UNLINK },
	{ "rename", POLICY_OP_RENAME }, { "renameat", POLICY_OP_RENAME },
	{ "renameat2", POLICY_OP_RENAME },
	{ "mkdir", POLICY_OP_MKDIR }, { "mkdirat", POLICY_OP_MKDIR },
	{ "mknod", POLICY_OP_MKDIR }, { "mknodat", POLICY_OP_MKDIR },
	{ "rmdir", POLICY_OP_RMDIR },
	{ "link", POLICY_OP_LINK }, { "linkat", POLICY_OP_LINK },
	{ "symlink", POLICY_OP_SYMLINK }, { "symlinkat", POLICY_OP_SYMLINK },
	{ "chmod", POLICY_OP_CHMOD }, { "fchmodat", POLICY_OP_CHMOD },
	{ "fchmodat2", POLICY_OP_CHMOD }, { "fchmod", POLICY_OP_CHMOD },
	{ "chown", POLICY_OP_CHOWN }, { "lchown", POLICY_OP_CHOWN },
	{ "fchownat", POLICY_OP_CHOWN }, { "fchown", POLICY_OP_CHOWN },
	/* extended attributes: set and remove as chmod, get and list as stat
	 * (as NetBSD's wrappers decide them); fgetxattr and flistxattr, as
	 * fstat, by name */
	{ "setxattr", POLICY_OP_CHMOD }, { "lsetxattr", POLICY_OP_CHMOD },
	{ "fsetxattr", POLICY_OP_CHMOD }, { "removexattr", POLICY_OP_CHMOD },
	{ "lremovexattr", POLICY_OP_CHMOD },
	{ "fremovexattr", POLICY_OP_CHMOD },
	{ "getxattr", POLICY_OP_STAT }, { "lgetxattr", POLICY_OP_STAT },
	{ "listxattr", POLICY_OP_STAT }, { "llistxattr", POLICY_OP_STAT },
	{ "truncate", POLICY_OP_TRUNCATE },
	{ "utime", POLICY_OP_UTIMES }, { "utimes", POLICY_OP_UTIMES },
	{ "utimensat", POLICY_OP_UTIMES }, { "futimesat", POLICY_OP_UTIMES },
	{ "execve", POLICY_OP_EXECVE }, { "execveat", POLICY_OP_EXECVE },
	{ "connect", POLICY_OP_CONNECT }, { "bind", POLICY_OP_BIND },
	{ "sendto", POLICY_OP_SENDTO }, { "sendmsg", POLICY_OP_SENDMSG },
	{ "sendmmsg", POLICY_OP_SENDMSG },
	{ "socket", POLICY_OP_SOCKET },
	{ "kill", POLICY_OP_KILL }, { "tkill", POLICY_OP_KILL },
	{ "tgkill", POLICY_OP_KILL },
	/* a signal with data: the same pid and signal in the same places */
	{ "rt_sigqueueinfo", POLICY_OP_KILL },
	{ "rt_tgsigqueueinfo", POLICY_OP_KILL },
	{ "ptrace", POLICY_OP_PTRACE },
	{ "mount", POLICY_OP_MOUNT }, { "umount2", POLICY_OP_UNMOUNT },
	/* the new mount API: each can put a tree where a path names it */
	{ "open_tree", POLICY_OP_MOUNT }, { "move_mount", POLICY_OP_MOUNT },
	{ "fsopen", POLICY_OP_MOUNT }, { "fsconfig", POLICY_OP_MOUNT },
	{ "fsmount", POLICY_OP_MOUNT }, { "fspick", POLICY_OP_MOUNT },
	{ "mount_setattr", POLICY_OP_MOUNT },
};

static char *policy_linux_names[NR_MAX];
static pthread_once_t policy_linux_names_once = PTHREAD_ONCE_INIT;

static void
policy_linux_names_init(void)
{
	int i;

	for (i = 0; i < NR_MAX; i++)
		policy_linux_names[i] = seccomp_syscall_resolve_num_arch(
		    SCMP_ARCH_X86_64, i);
}

const char *
policy_linux_syscall_name(int nr)
{
	if (nr < 0 || nr >= NR_MAX)
		return NULL;
	pthread_once(&policy_linux_names_once, policy_linux_names_init);
	return policy_linux_names[nr];
}

/* Is name one of the n names in list? */
bool
policy_linux_name_listed(const char *name, const char *const *list, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

/* Calls that change the calling thread's credentials. */
static const char *const policy_linux_setcred[] = {
	"setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid",
	"setfsuid", "setfsgid", "setgroups", "capset",
};

/* Does the call named name change the calling thread's credentials? */
bool
policy_linux_name_setcred(const char *name)
{
	return policy_linux_name_listed(name, policy_linux_setcred,
	    __arraycount(policy_linux_setcred));
}

static int
policy_linux_syscall_op_slow(int nr)
{
	const char *name = policy_linux_syscall_name(nr);
	size_t i;

	if (name == NULL)
		return POLICY_OP_NONE;
	for (i = 0; i < __arraycount(policy_linux_ops); i++)
		if (strcmp(name, policy_linux_ops[i].name) == 0)
			return (int)policy_linux_ops[i].op;
	return POLICY_OP_SYSCALL;
}

/* nr -> operation, and the set-credential bit, computed once. */
static uint8_t policy_linux_optab[NR_MAX];
static uint8_t policy_linux_credtab[NR_MAX];
static pthread_once_t policy_linux_optab_once = PTHREAD_ONCE_INIT;

static void
policy_linux_optab_init(void)
{
	int nr;

	for (nr = 0; nr < NR_MAX; nr++) {
		const char *name = policy_linux_syscall_name(nr);

		policy_linux_optab[nr] = (uint8_t)policy_linux_syscall_op_slow(nr);
		policy_linux_credtab[nr] = name != NULL &&
		    policy_linux_name_setcred(name);
	}
}

int
policy_linux_syscall_op(int nr)
{
	if (nr < 0 || nr >= NR_MAX)
		return POLICY_OP_NONE;
	pthread_once(&policy_linux_optab_once, policy_linux_optab_init);
	return policy_linux_optab[nr];
}

/*
 * Does the supervisor carry the call out itself (it never runs in the
 * kernel as made)?  sendto without an address (arg4) is let through.
 */
bool
policy_linux_syscall_ours(int nr, uint64_t arg4)
{
	switch (policy_linux_syscall_op(nr)) {
	case POLICY_OP_OPEN: case POLICY_OP_ACCESS: case POLICY_OP_STAT:
	case POLICY_OP_READLINK: case POLICY_OP_CHDIR: case POLICY_OP_UNLINK:
	case POLICY_OP_RENAME: case POLICY_OP_MKDIR: case POLICY_OP_RMDIR:
	case POLICY_OP_LINK: case POLICY_OP_SYMLINK: case POLICY_OP_CHMOD:
	case POLICY_OP_CHOWN: case POLICY_OP_TRUNCATE: case POLICY_OP_UTIMES:
	case POLICY_OP_EXECVE: case POLICY_OP_CONNECT: case POLICY_OP_BIND:
	case POLICY_OP_SENDMSG:
		return true;
	case POLICY_OP_SENDTO:
		return arg4 != 0;
	default:
		return false;
	}
}

/*
 * May the call wait, natively, so that a signal interrupts it (EINTR, or
 * a restart under SA_RESTART)?  The calls of an interruptible sleep a
 * supervised call can be: reads and writes (pipes, sockets, terminals),
 * waits, sleeps, polls, locks, IPC, and ioctl and close (drivers).
 */
static bool
policy_linux_syscall_may_wait(int nr)
{
	static const char *const wait[] = {
		"read", "readv", "pread64", "preadv", "preadv2", "write",
		"writev", "pwrite64", "pwritev", "pwritev2", "recvfrom",
		"recvmsg", "recvmmsg", "sendto", "sendmsg", "sendmmsg",
		"accept", "accept4", "connect", "wait4", "waitid", "nanosleep",
		"clock_nanosleep", "pause", "rt_sigsuspend", "rt_sigtimedwait",
		"poll", "ppoll", "select", "pselect6", "epoll_wait",
		"epoll_pwait", "epoll_pwait2", "futex", "futex_waitv", "flock",
		"fcntl", "msgrcv", "msgsnd", "semop", "semtimedop",
		"mq_timedsend", "mq_timedreceive", "ioctl", "close",
		"io_getevents", "io_pgetevents", "splice", "tee", "vmsplice",
		"sendfile", "copy_file_range", "getrandom", "open", "openat",
		"openat2", "creat", "restart_syscall", "fsync", "fdatasync",
		"sync_file_range", "fallocate", "ftruncate",
	};
	const char *n = policy_linux_syscall_name(nr);
	size_t i;

	if (n == NULL)
		return true;
	for (i = 0; i < __arraycount(wait); i++)
		if (strcmp(n, wait[i]) == 0)
			return true;
	return false;
}

/*
 * A notified call a signal interrupted before we received it never ran:
 * may it be made again after the handler, whatever SA_RESTART says?  Yes
 * for the calls we carry out ourselves (they are answered, not run), and
 * for the others that never wait natively (kill, socket, getpid...): for
 * them EINTR is something the kernel never answers.
 */
bool
policy_linux_syscall_restart(int nr, uint64_t arg4)
{
	return policy_linux_syscall_ours(nr, arg4) ||
	    !policy_linux_syscall_may_wait(nr);
}

bool
policy_linux_syscall_setcred(int nr)
{
	if (nr < 0 || nr >= NR_MAX)
		return false;
	pthread_once(&policy_linux_optab_once, policy_linux_optab_init);
	return policy_linux_credtab[nr] != 0;
}
