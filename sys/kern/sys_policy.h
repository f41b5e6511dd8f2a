/* sys_policy.h: kernel-private interface of the policy system-call wrappers: the per-call
 * context, the copy-in helpers, the shared cores the native and compat wrappers call. */
#ifndef _KERN_SYS_POLICY_H_
#define _KERN_SYS_POLICY_H_

#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/proc.h>
#include <sys/socket.h>
#include <sys/kauth.h>

#include "../sys/policy.h"
#include "../secmodel/policy/policy_impl.h"

struct mbuf;
struct msghdr;
struct emul;
struct policy_cred;

/*
 * One confined system call in progress.  Everything the decision depends on
 * lives here, in kernel memory, copied in exactly once; the operation is then
 * carried out with these bytes.  Too big for the kernel stack: kmem-allocated.
 */
#define POLICY_ARGC_MAX		(POLICY_ARGV_MAX / 2)
struct policy_call {
	struct lwp		*pc_l;
	struct policy_cred	*pc_pol;	/* held reference */
	struct policy_request	pc_req;
	char			pc_raw[POLICY_PATH_MAX];  /* path as copied */
	char			pc_args[POLICY_ARGV_MAX]; /* argv, NUL-separated */
	char			*pc_argp[POLICY_ARGC_MAX + 1];
	size_t			pc_argc;
	struct sockaddr_big	pc_sa;		/* sockaddr, native form */
};

/* Reads one pointer-sized element of a user array (native or 32-bit). */
typedef int (*policy_fetch_t)(const void *array, size_t index,
    const void **elemp);

/* sys_policy.c: the per-call context and the decision. */
struct policy_call *policy_call_begin(struct lwp *, unsigned op, unsigned emul);
void	policy_call_end(struct policy_call *);
int	policy_call_decide(struct policy_call *);
bool	policy_lwp_confined(struct lwp *);
int	policy_call_orig(struct lwp *, const void *, register_t *);
/* First line of every wrapper: an unconfined lwp gets the original call. */
#define POLICY_UNCONFINED(l, uap, retval) do {				\
	if (!policy_lwp_confined(l))					\
		return policy_call_orig((l), (uap), (retval));		\
} while (0)

/* sys_policy_req.c: turning copied arguments into request fields. */
int	policy_copyin_path(struct policy_call *, int fdat, const char *upath,
	    unsigned field);
int	policy_copyin_argv(struct policy_call *, const void *uargv,
	    policy_fetch_t);
int	policy_copyin_sockaddr(struct policy_call *, const void *uname,
	    size_t namelen);
int	policy_req_sockaddr(struct policy_call *);
int	policy_req_sockaddr_fmt(struct policy_request *, const void *, size_t);
int64_t	policy_req_domain(int native_af);
int64_t	policy_req_socktype(int native_type);
int	policy_path_normalize(const char *dir, const char *path, char *out,
	    size_t outlen);
void	policy_req_str(struct policy_request *, unsigned field, const char *,
	    size_t);
void	policy_req_int(struct policy_request *, unsigned field, int64_t);
uint32_t policy_oflags(int native_flags);
int	policy_fetch_native(const void *, size_t, const void **);

/* Shared cores: user pointers and native integer arguments in, result out. */
int	policy_core_open(struct lwp *, unsigned emul, int fdat,
	    const char *upath, int flags, mode_t mode, register_t *);
int	policy_core_unlink(struct lwp *, unsigned emul, int fdat,
	    const char *upath, int atflags);
int	policy_core_rename(struct lwp *, unsigned emul, int fromfd,
	    const char *ufrom, int tofd, const char *uto);
int	policy_core_mkdir(struct lwp *, unsigned emul, int fdat,
	    const char *upath, mode_t mode);
int	policy_core_link(struct lwp *, unsigned emul, const char *ufrom,
	    const char *uto, bool follow);
int	policy_core_symlink(struct lwp *, unsigned emul, const char *utarget,
	    const char *ulink);
int	policy_core_chmod(struct lwp *, unsigned emul, int fdat,
	    const char *upath, mode_t mode, bool follow);
int	policy_core_chown(struct lwp *, unsigned emul, int fdat,
	    const char *upath, uid_t, gid_t, bool follow);
int	policy_core_truncate(struct lwp *, unsigned emul, const char *upath,
	    off_t length);
int	policy_core_readlink(struct lwp *, unsigned emul, int fdat,
	    const char *upath, char *ubuf, size_t count, register_t *);
int	policy_core_access(struct lwp *, unsigned emul, int fdat,
	    const char *upath, int mode, int atflags);
int	policy_core_stat(struct lwp *, unsigned emul, int fdat,
	    const char *upath, bool follow, struct stat *sb);
int	policy_core_chdir(struct lwp *, unsigned emul, const char *upath);
int	policy_core_execve(struct lwp *, unsigned emul, const char *upath,
	    const void *uargv, policy_fetch_t, const void *uap, register_t *);
int	policy_core_fexecve(struct lwp *, unsigned emul, int fd,
	    const void *uargv, policy_fetch_t, const void *uap, register_t *);
int	policy_core_connect(struct policy_call *, int s);
int	policy_core_bind(struct policy_call *, int s);
int	policy_core_sendto(struct policy_call *, int s, const void *ubuf,
	    size_t len, int flags, register_t *);
int	policy_core_sendmsg(struct policy_call *, int s, struct msghdr *,
	    int flags, register_t *);
int	policy_core_socket(struct lwp *, unsigned emul, int domain, int type,
	    int protocol);
int	policy_core_kill(struct lwp *, unsigned emul, pid_t pid, int signo);
int	policy_core_ptrace(struct lwp *, unsigned emul, int req, pid_t pid);
int	policy_core_mount(struct lwp *, unsigned emul, const char *utype,
	    const char *upath, int flags, void *udata, size_t data_len,
	    register_t *);

/*
 * sys_policy_vfs.c (kernel only; recorders in the userland harness): the
 * operations for which the kernel exports no internal that takes a kernel
 * path.  Each works on the absolute kernel path that was decided.
 */
int	policy_vfs_dirpath(struct lwp *, int fdat, char *buf, size_t len);
int	policy_vfs_rmdir(struct lwp *, const char *kpath);
int	policy_vfs_link(struct lwp *, const char *kfrom, const char *kto,
	    bool follow);
int	policy_vfs_chmod(struct lwp *, const char *kpath, mode_t, bool follow);
int	policy_vfs_chown(struct lwp *, const char *kpath, uid_t, gid_t,
	    bool follow);
int	policy_vfs_truncate(struct lwp *, const char *kpath, off_t);
int	policy_vfs_readlink(struct lwp *, const char *kpath, char *ubuf,
	    size_t count, register_t *);
int	policy_vfs_access(struct lwp *, const char *kpath, int mode,
	    int atflags);
int	policy_vfs_stat(struct lwp *, const char *kpath, bool follow,
	    struct stat *);
int	policy_vfs_chdir(struct lwp *, const char *kpath);
int	policy_vfs_mount(struct lwp *, const char *ktype, const char *kpath,
	    const char *upath, int flags, void *udata, size_t data_len,
	    register_t *);
/*
 * Exec the decided path with the decided argv.  envp is not decided on and
 * stays in user space; uap/retval are the emulation's own, for the kernel
 * side that must verify the image it ran (see sys_policy_vfs.c).
 */
struct policy_exec {
	const char	*pe_path;	/* kernel copy, decided */
	int		pe_fd;		/* fexecve: the descriptor, else -1 */
	char * const	*pe_argv;	/* kernel copies, decided */
	size_t		pe_argc;
	policy_fetch_t	pe_fetch;	/* pointer width of this emulation */
	const void	*pe_uap;
	register_t	*pe_retval;
};
int	policy_vfs_execve(struct lwp *, const struct policy_exec *);

/* sys_policy.c: install and remove every wrapper, all emulations. */
int	policy_syscalls_install(void);
int	policy_syscalls_remove(void);
/* A wrapper table: one per emulation (sys_policy.c, sys_policy_<emul>.c). */
struct policy_hook {
	u_short		ph_code;
	sy_call_t	*ph_call;
	sy_call_t	*ph_saved;	/* the emulation's own handler */
};
struct policy_emul_hooks {
	const struct emul	*peh_emul;
	unsigned		peh_policy_emul;	/* enum policy_emul */
	struct policy_hook	*peh_hooks;		/* ends with ph_call NULL */
	bool			peh_installed;
};
extern struct policy_emul_hooks policy_native_hooks;
extern struct policy_emul_hooks policy_netbsd32_hooks;
extern struct policy_emul_hooks policy_linux_hooks;
extern struct policy_emul_hooks policy_linux32_hooks;

/* Linux forms, shared by the linux and linux32 wrappers (sys_policy_linux.c). */
int	policy_linux_oflags(int);
int	policy_linux_sockaddr(struct policy_call *, const void *uname,
	    size_t namelen);
int	policy_linux_domain(int);
int	policy_linux_socktype(int, int *);
int	policy_linux_signo(int);

#endif /* !_KERN_SYS_POLICY_H_ */
