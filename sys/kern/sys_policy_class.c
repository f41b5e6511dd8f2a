/* sys_policy_class.c: which system calls a confined process may have decided by their name
 * alone (integers, descriptors, data buffers), and the name a policy uses for a call. */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>

#include "sys_policy.h"

/*
 * Calls whose arguments are integers, descriptors or buffers of data:
 * nothing they take from user memory names a file, an address or another
 * process, so the policy decides them by name and the default, as the
 * Linux filter does.  NetBSD and Linux names, after policy_class_name();
 * sorted (strcmp).  A call that is not here and has no copy-once wrapper
 * is refused for a confined process: a new or unknown call fails closed.
 * Calls that name objects (paths, addresses, file handles, processes) are
 * deliberately absent: they are wrapped, or refused.
 */
static const char *const policy_byname[] = {
	"accept", "accept4", "adjtime", "aio_cancel", "aio_error",
	"aio_fsync", "aio_read", "aio_return", "aio_suspend",
	"aio_write", "alarm", "arch_prctl", "break", "brk", "capget",
	"clock_adjtime", "clock_getcpuclockid2", "clock_getres",
	"clock_gettime", "clock_nanosleep", "clock_settime", "clone",
	"close", "close_range", "dup", "dup2", "dup3", "epoll_create",
	"epoll_create1", "epoll_ctl", "epoll_pwait", "epoll_wait",
	"eventfd", "eventfd2", "extattr_delete_fd", "extattr_get_fd",
	"extattr_list_fd", "extattr_set_fd", "fadvise64",
	"fadvise64_64", "fallocate", "fchdir", "fchflags", "fchmod",
	"fchown", "fchown16", "fchown32", "fchroot", "fcntl", "fcntl64",
	"fdatasync", "fdiscard", "fgetxattr", "fktrace", "flistxattr",
	"flock", "fork", "fpathconf", "fremovexattr", "fsetxattr",
	"fstat", "fstat64", "fstatfs", "fstatfs64", "fstatvfs1",
	"fsync", "fsync_range", "ftruncate", "ftruncate64", "futex",
	"futimens", "futimes", "get_robust_list", "get_thread_area",
	"getcontext", "getcpu", "getcwd", "getdents", "getdents64",
	"getegid", "getegid16", "getegid32", "geteuid", "geteuid16",
	"geteuid32", "getgid", "getgid16", "getgid32", "getgroups",
	"getgroups16", "getgroups32", "getitimer", "getlogin",
	"getpeername", "getpgid", "getpgrp", "getpid", "getppid",
	"getpriority", "getrandom", "getresgid", "getresgid16",
	"getresgid32", "getresuid", "getresuid16", "getresuid32",
	"getrlimit", "getrusage", "getsid", "getsockname", "getsockopt",
	"gettid", "gettimeofday", "getuid", "getuid16", "getuid32",
	"getvfsstat", "inotify_init", "inotify_init1",
	"inotify_rm_watch", "ioctl", "ioprio_get", "ioprio_set", "ipc",
	"issetugid", "kevent", "kqueue", "kqueue1", "ksem_close",
	"ksem_destroy", "ksem_getvalue", "ksem_init", "ksem_open",
	"ksem_post", "ksem_timedwait", "ksem_trywait", "ksem_unlink",
	"ksem_wait", "lio_listio", "listen", "llseek", "lseek",
	"lwp_continue", "lwp_create", "lwp_ctl", "lwp_detach",
	"lwp_getname", "lwp_getprivate", "lwp_kill", "lwp_park",
	"lwp_self", "lwp_setname", "lwp_setprivate", "lwp_suspend",
	"lwp_unpark", "lwp_unpark_all", "lwp_wait", "lwp_wakeup",
	"madvise", "membarrier", "memfd_create", "mincore", "minherit",
	"mlock", "mlock2", "mlockall", "mmap", "mmap2", "mprotect",
	"mq_close", "mq_getattr", "mq_notify", "mq_open", "mq_receive",
	"mq_send", "mq_setattr", "mq_timedreceive", "mq_timedsend",
	"mq_unlink", "mremap", "msgctl", "msgget", "msgrcv", "msgsnd",
	"msync", "munlock", "munlockall", "munmap", "nanosleep",
	"newselect", "nice", "ntp_adjtime", "ntp_gettime",
	"oldolduname", "olduname", "paccept", "pause", "personality",
	"pipe", "pipe2", "pmc_control", "pmc_get_info", "poll",
	"pollts", "posix_fadvise", "posix_fallocate", "posix_fchown",
	"ppoll", "prctl", "pread", "pread64", "preadv", "preadv2",
	"prlimit64", "profil", "pselect", "pselect6", "pset_assign",
	"pset_bind", "pset_create", "pset_destroy", "pwrite",
	"pwrite64", "pwritev", "pwritev2", "rasctl", "read",
	"readahead", "readv", "reboot", "recvfrom", "recvmmsg",
	"recvmsg", "rseq", "rt_sigaction", "rt_sigpending",
	"rt_sigprocmask", "rt_sigqueueinfo", "rt_sigsuspend",
	"rt_sigtimedwait", "rt_tgsigqueueinfo", "sbrk",
	"sched_get_priority_max", "sched_get_priority_min",
	"sched_getaffinity", "sched_getattr", "sched_getparam",
	"sched_getscheduler", "sched_protect", "sched_rr_get_interval",
	"sched_setaffinity", "sched_setattr", "sched_setparam",
	"sched_setscheduler", "sched_yield", "select", "semconfig",
	"semctl", "semget", "semop", "semtimedop", "sendfile",
	"sendfile64", "set_robust_list", "set_thread_area",
	"set_tid_address", "setegid", "seteuid", "setfsgid",
	"setfsgid16", "setfsgid32", "setfsuid", "setfsuid16",
	"setfsuid32", "setgid", "setgid16", "setgid32", "setgroups",
	"setgroups16", "setgroups32", "setitimer", "setlogin",
	"setpgid", "setpriority", "setregid", "setregid16",
	"setregid32", "setresgid", "setresgid16", "setresgid32",
	"setresuid", "setresuid16", "setresuid32", "setreuid",
	"setreuid16", "setreuid32", "setrlimit", "setsid", "setsockopt",
	"settimeofday", "setuid", "setuid16", "setuid32", "shmat",
	"shmctl", "shmdt", "shmget", "shutdown", "sigaction",
	"sigaction_sigtramp", "sigaltstack", "signal", "signalfd",
	"signalfd4", "sigpending", "sigprocmask", "sigqueueinfo",
	"sigsuspend", "sigtimedwait", "socketpair", "splice", "sstk",
	"sync", "sync_file_range", "syncfs", "sysarch", "sysctl",
	"sysinfo", "tee", "time", "timer_create", "timer_delete",
	"timer_getoverrun", "timer_gettime", "timer_settime",
	"timerfd_create", "timerfd_gettime", "timerfd_settime", "times",
	"ugetrlimit", "umask", "uname", "utrace", "uuidgen", "vadvise",
	"vfork", "vmsplice", "wait4", "wait6", "waitid", "waitpid",
	"write", "writev",
};

/*
 * The name a policy writes for a call, from the emulation's table name:
 * the netbsd32 prefix goes, and so do the leading underscores of NetBSD's
 * versioned entry points with their two-digit version ("__stat50" is
 * stat, "__wait450" wait4, "____semctl50" semctl); Linux's "_llseek" is
 * llseek.  Old-ABI entries keep their compat_NN_ prefix.
 */
void
policy_class_name(const char *raw, char *out, size_t outlen)
{
	static const char n32[] = "netbsd32_";
	size_t i = 0, o = 0, lead = 0;

	KASSERT(outlen > 0);
	for (; raw[i] != '\0' && o + 1 < outlen; i++) {
		if (strncmp(raw + i, n32, sizeof(n32) - 1) == 0 &&
		    (i == 0 || raw[i - 1] == '_')) {
			i += sizeof(n32) - 2;
			continue;
		}
		if (o == 0 && raw[i] == '_') {
			lead++;
			continue;
		}
		out[o++] = raw[i];
	}
	if (lead > 0 && o > 2 && out[o - 1] >= '0' && out[o - 1] <= '9' &&
	    out[o - 2] >= '0' && out[o - 2] <= '9')
		o -= 2;
	out[o] = '\0';
}

bool
policy_class_byname(const char *name)
{
	size_t lo = 0, hi = __arraycount(policy_byname), mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(name, policy_byname[mid]);
		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}
