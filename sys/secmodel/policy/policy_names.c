/* policy_names.c: name tables for operations, fields, operators, actions, emulations,
 * open flags, signals, socket constants and errno values, shared by engine and compiler. */
#include "policy_impl.h"

const struct policy_name policy_op_names[] = {
	{ "open", POLICY_OP_OPEN },
	{ "access", POLICY_OP_ACCESS },
	{ "stat", POLICY_OP_STAT },
	{ "readlink", POLICY_OP_READLINK },
	{ "chdir", POLICY_OP_CHDIR },
	{ "unlink", POLICY_OP_UNLINK },
	{ "rename", POLICY_OP_RENAME },
	{ "mkdir", POLICY_OP_MKDIR },
	{ "rmdir", POLICY_OP_RMDIR },
	{ "link", POLICY_OP_LINK },
	{ "symlink", POLICY_OP_SYMLINK },
	{ "chmod", POLICY_OP_CHMOD },
	{ "chown", POLICY_OP_CHOWN },
	{ "truncate", POLICY_OP_TRUNCATE },
	{ "utimes", POLICY_OP_UTIMES },
	{ "execve", POLICY_OP_EXECVE },
	{ "connect", POLICY_OP_CONNECT },
	{ "bind", POLICY_OP_BIND },
	{ "sendto", POLICY_OP_SENDTO },
	{ "sendmsg", POLICY_OP_SENDMSG },
	{ "socket", POLICY_OP_SOCKET },
	{ "kill", POLICY_OP_KILL },
	{ "ptrace", POLICY_OP_PTRACE },
	{ "mount", POLICY_OP_MOUNT },
	{ "unmount", POLICY_OP_UNMOUNT },
	{ "syscall", POLICY_OP_SYSCALL },
	{ "fsread", POLICY_OP_FSREAD },
	{ "fswrite", POLICY_OP_FSWRITE },
	{ NULL, 0 }
};

/* Other names of the system calls each operation covers. */
const struct policy_name policy_op_synonyms[] = {
	{ "openat", POLICY_OP_OPEN },
	{ "openat2", POLICY_OP_OPEN },
	{ "creat", POLICY_OP_OPEN },
	{ "faccessat", POLICY_OP_ACCESS },
	{ "faccessat2", POLICY_OP_ACCESS },
	{ "eaccess", POLICY_OP_ACCESS },
	{ "lstat", POLICY_OP_STAT },
	{ "fstatat", POLICY_OP_STAT },
	{ "newfstatat", POLICY_OP_STAT },
	{ "statx", POLICY_OP_STAT },
	{ "readlinkat", POLICY_OP_READLINK },
	{ "chroot", POLICY_OP_CHDIR },
	{ "unlinkat", POLICY_OP_UNLINK },
	{ "renameat", POLICY_OP_RENAME },
	{ "renameat2", POLICY_OP_RENAME },
	{ "mkdirat", POLICY_OP_MKDIR },
	{ "mknod", POLICY_OP_MKDIR },
	{ "mknodat", POLICY_OP_MKDIR },
	{ "mkfifo", POLICY_OP_MKDIR },
	{ "linkat", POLICY_OP_LINK },
	{ "symlinkat", POLICY_OP_SYMLINK },
	{ "fchmodat", POLICY_OP_CHMOD },
	{ "lchmod", POLICY_OP_CHMOD },
	{ "fchownat", POLICY_OP_CHOWN },
	{ "lchown", POLICY_OP_CHOWN },
	{ "utimensat", POLICY_OP_UTIMES },
	{ "lutimes", POLICY_OP_UTIMES },
	{ "utime", POLICY_OP_UTIMES },
	{ "futimesat", POLICY_OP_UTIMES },
	{ "sendmmsg", POLICY_OP_SENDMSG },
	{ "execveat", POLICY_OP_EXECVE },
	{ "fexecve", POLICY_OP_EXECVE },
	{ "tkill", POLICY_OP_KILL },
	{ "tgkill", POLICY_OP_KILL },
	{ "umount", POLICY_OP_UNMOUNT },
	{ "umount2", POLICY_OP_UNMOUNT },
	{ NULL, 0 }
};

const struct policy_name policy_field_names[] = {
	{ "filename", POLICY_F_FILENAME },
	{ "filename2", POLICY_F_FILENAME2 },
	{ "sockaddr", POLICY_F_SOCKADDR },
	{ "argv", POLICY_F_ARGV },
	{ "syscall", POLICY_F_SYSCALL },
	{ "flags", POLICY_F_FLAGS },
	{ "mode", POLICY_F_MODE },
	{ "uid", POLICY_F_UID },
	{ "gid", POLICY_F_GID },
	{ "signal", POLICY_F_SIGNAL },
	{ "pid", POLICY_F_PID },
	{ "domain", POLICY_F_DOMAIN },
	{ "type", POLICY_F_TYPE },
	{ "protocol", POLICY_F_PROTOCOL },
	{ "request", POLICY_F_REQUEST },
	{ NULL, 0 }
};

const struct policy_name policy_cmp_names[] = {
	{ "eq", POLICY_C_EQ },
	{ "neq", POLICY_C_NEQ },
	{ "match", POLICY_C_MATCH },
	{ "nmatch", POLICY_C_NMATCH },
	{ "re", POLICY_C_RE },
	{ "nre", POLICY_C_NRE },
	{ "sub", POLICY_C_SUB },
	{ "nsub", POLICY_C_NSUB },
	{ "inpath", POLICY_C_INPATH },
	{ NULL, 0 }
};

const struct policy_name policy_action_names[] = {
	{ "permit", POLICY_ACT_PERMIT },
	{ "deny", POLICY_ACT_DENY },
	{ "ask", POLICY_ACT_ASK },
	{ NULL, 0 }
};

const struct policy_name policy_emul_names[] = {
	{ "native", POLICY_EMUL_NATIVE },
	{ "netbsd32", POLICY_EMUL_NETBSD32 },
	{ "linux", POLICY_EMUL_LINUX },
	{ "linux32", POLICY_EMUL_LINUX32 },
	{ NULL, 0 }
};

const struct policy_name policy_oflag_names[] = {
	{ "O_RDONLY", POLICY_O_RDONLY },
	{ "O_WRONLY", POLICY_O_WRONLY },
	{ "O_RDWR", POLICY_O_RDWR },
	{ "O_CREAT", POLICY_O_CREAT },
	{ "O_EXCL", POLICY_O_EXCL },
	{ "O_TRUNC", POLICY_O_TRUNC },
	{ "O_APPEND", POLICY_O_APPEND },
	{ "O_NONBLOCK", POLICY_O_NONBLOCK },
	{ "O_DIRECTORY", POLICY_O_DIRECTORY },
	{ "O_NOFOLLOW", POLICY_O_NOFOLLOW },
	{ "O_CLOEXEC", POLICY_O_CLOEXEC },
	{ "O_PATH", POLICY_O_PATH },
	{ "O_TMPFILE", POLICY_O_TMPFILE },
	{ "O_SYNC", POLICY_O_SYNC },
	{ "O_NOCTTY", POLICY_O_NOCTTY },
	{ NULL, 0 }
};

/* Portable signal number = index + 1; values are the host's numbers. */
const struct policy_name policy_signal_names[] = {
	{ "SIGHUP", SIGHUP }, { "SIGINT", SIGINT }, { "SIGQUIT", SIGQUIT },
	{ "SIGILL", SIGILL }, { "SIGTRAP", SIGTRAP }, { "SIGABRT", SIGABRT },
	{ "SIGBUS", SIGBUS }, { "SIGFPE", SIGFPE }, { "SIGKILL", SIGKILL },
	{ "SIGUSR1", SIGUSR1 }, { "SIGSEGV", SIGSEGV }, { "SIGUSR2", SIGUSR2 },
	{ "SIGPIPE", SIGPIPE }, { "SIGALRM", SIGALRM }, { "SIGTERM", SIGTERM },
	{ "SIGCHLD", SIGCHLD }, { "SIGCONT", SIGCONT }, { "SIGSTOP", SIGSTOP },
	{ "SIGTSTP", SIGTSTP }, { "SIGTTIN", SIGTTIN }, { "SIGTTOU", SIGTTOU },
	{ "SIGURG", SIGURG }, { "SIGXCPU", SIGXCPU }, { "SIGXFSZ", SIGXFSZ },
	{ "SIGVTALRM", SIGVTALRM }, { "SIGPROF", SIGPROF },
	{ "SIGWINCH", SIGWINCH }, { "SIGIO", SIGIO }, { "SIGSYS", SIGSYS },
	{ NULL, 0 }
};

/*
 * The portable number of a host signal: its index + 1 in the table; 64 +
 * the number for one the table has no name for; 0 for 0.
 */
int64_t
policy_signal_portable(int sig)
{
	unsigned i;

	for (i = 0; policy_signal_names[i].pn_name != NULL; i++)
		if (policy_signal_names[i].pn_value == sig)
			return i + 1;
	return sig == 0 ? 0 : 64 + (int64_t)sig;
}

const struct policy_name policy_domain_names[] = {
	{ "AF_UNSPEC", POLICY_AF_UNSPEC },
	{ "AF_UNIX", POLICY_AF_UNIX },
	{ "AF_LOCAL", POLICY_AF_UNIX },
	{ "AF_INET", POLICY_AF_INET },
	{ "AF_INET6", POLICY_AF_INET6 },
	{ "AF_NETLINK", POLICY_AF_NETLINK },
	{ "AF_PACKET", POLICY_AF_PACKET },
	{ NULL, 0 }
};

const struct policy_name policy_socktype_names[] = {
	{ "SOCK_STREAM", POLICY_SOCK_STREAM },
	{ "SOCK_DGRAM", POLICY_SOCK_DGRAM },
	{ "SOCK_RAW", POLICY_SOCK_RAW },
	{ "SOCK_SEQPACKET", POLICY_SOCK_SEQPACKET },
	{ NULL, 0 }
};

/* Portable errno number = index; 0 means "the policy's default errno". */
const struct policy_name policy_errno_names[] = {
	{ "0", 0 },
	{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "ESRCH", ESRCH },
	{ "EINTR", EINTR }, { "EIO", EIO }, { "ENXIO", ENXIO },
	{ "E2BIG", E2BIG }, { "ENOEXEC", ENOEXEC }, { "EBADF", EBADF },
	{ "ECHILD", ECHILD }, { "EAGAIN", EAGAIN }, { "ENOMEM", ENOMEM },
	{ "EACCES", EACCES }, { "EFAULT", EFAULT }, { "EBUSY", EBUSY },
	{ "EEXIST", EEXIST }, { "EXDEV", EXDEV }, { "ENODEV", ENODEV },
	{ "ENOTDIR", ENOTDIR }, { "EISDIR", EISDIR }, { "EINVAL", EINVAL },
	{ "ENFILE", ENFILE }, { "EMFILE", EMFILE }, { "ENOTTY", ENOTTY },
	{ "ETXTBSY", ETXTBSY }, { "EFBIG", EFBIG }, { "ENOSPC", ENOSPC },
	{ "ESPIPE", ESPIPE }, { "EROFS", EROFS }, { "EMLINK", EMLINK },
	{ "EPIPE", EPIPE }, { "ENAMETOOLONG", ENAMETOOLONG },
	{ "ENOSYS", ENOSYS }, { "ENOTEMPTY", ENOTEMPTY }, { "ELOOP", ELOOP },
	{ "EADDRINUSE", EADDRINUSE }, { "EADDRNOTAVAIL", EADDRNOTAVAIL },
	{ "ENETUNREACH", ENETUNREACH }, { "ECONNREFUSED", ECONNREFUSED },
	{ "EHOSTUNREACH", EHOSTUNREACH }, { "EAFNOSUPPORT", EAFNOSUPPORT },
	{ "EPROTONOSUPPORT", EPROTONOSUPPORT }, { "ENOTSUP", ENOTSUP },
	{ "EOPNOTSUPP", EOPNOTSUPP }, { "ETIMEDOUT", ETIMEDOUT },
	{ "ECONNRESET", ECONNRESET }, { "EDQUOT", EDQUOT },
	{ NULL, 0 }
};
/* the highest valid portable number: the table ends with a NULL entry */
const unsigned policy_nerrno = __arraycount(policy_errno_names) - 2;

static int
policy_casecmp(const char *a, const char *b, size_t blen)
{
	size_t i;

	for (i = 0; i < blen; i++) {
		unsigned char ca = (unsigned char)a[i], cb = (unsigned char)b[i];
		if (ca >= 'A' && ca <= 'Z')
			ca += 'a' - 'A';
		if (cb >= 'A' && cb <= 'Z')
			cb += 'a' - 'A';
		if (ca != cb || ca == '\0')
			return 1;
	}
	return a[blen] != '\0';
}

/* Case-insensitive lookup of the first blen bytes of name. */
bool
policy_name_lookup(const struct policy_name *t, const char *name, size_t blen,
    int64_t *value)
{
	for (; t->pn_name != NULL; t++) {
		if (policy_casecmp(t->pn_name, name, blen) == 0) {
			*value = t->pn_value;
			return true;
		}
	}
	return false;
}

const char *
policy_name_of(const struct policy_name *t, int64_t value)
{
	for (; t->pn_name != NULL; t++)
		if (t->pn_value == value)
			return t->pn_name;
	return NULL;
}

int
policy_errno_native(unsigned perrno)
{
	if (perrno == 0 || perrno > policy_nerrno)
		return EPERM;
	return (int)policy_errno_names[perrno].pn_value;
}

int
policy_errno_portable(int native)
{
	unsigned i;

	for (i = 1; i <= policy_nerrno; i++)
		if (policy_errno_names[i].pn_value == native)
			return (int)i;
	return 0;
}
