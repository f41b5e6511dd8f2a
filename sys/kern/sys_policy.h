/* sys_policy.h: kernel-private interface of the policy system-call mediation: the per-call
 * context, the gate every confined call passes, the wrapper tables and the shared cores. */
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
struct stat;
struct statvfs;
struct timespec;
struct policy_cred;
struct vnode;

/*
 * One confined system call in progress.  Everything the decision depends on
 * lives here, in kernel memory, copied in exactly once; the operation is then
 * carried out with these bytes, or on the very objects the decision named.
 * Too big for the kernel stack: taken from a pool cache.
 */
#define POLICY_ARGC_MAX		(POLICY_ARGV_MAX / 2)
struct policy_call {
	struct lwp		*pc_l;
	struct policy_cred	*pc_pol;	/* held reference */
	struct policy_request	pc_req;
	char			pc_args[POLICY_ARGV_MAX]; /* argv, NUL-separated */
	char			*pc_argp[POLICY_ARGC_MAX + 1];
	size_t			pc_argc;
	struct sockaddr_big	pc_sa;		/* sockaddr, native form */
	struct policy_decision	pc_dec;		/* the last decision */
};

/* Reads one pointer-sized element of a user array (native or 32-bit). */
typedef int (*policy_fetch_t)(const void *array, size_t index,
    const void **elemp);

/* sys_policy.c: the per-call context and the decision. */
struct policy_call *policy_call_begin(struct lwp *, unsigned op);
void	policy_call_end(struct policy_call *);
int	policy_call_decide(struct policy_call *);
int	policy_call_refuse(struct policy_call *, const char *why);
int	policy_call_byname(struct lwp *, const char *name);
bool	policy_lwp_confined(struct lwp *);
int	policy_call_orig(struct lwp *, const void *, register_t *);
int	policy_calls_init(void);
void	policy_calls_fini(void);

/*
 * sys_policy_gate.c: complete mediation.  A confined process runs under a
 * shadow of its emulation whose every system-call slot is the gate; the
 * gate looks at the emulation's own slot at each call and sends it to the
 * copy-once wrapper for its handler, decides it by name, or refuses it.
 */
struct policy_wrap {
	sy_call_t	*pw_orig;	/* the handler it stands in for */
	sy_call_t	*pw_call;	/* copies in once, decides, acts */
};
struct policy_emul_desc {
	const char		*ped_name;	/* e_name, or its part before '-' */
	unsigned		ped_emul;	/* enum policy_emul */
	u_int			ped_nsysent;	/* slots in its table */
	sy_call_t		*ped_nosys;	/* its "no such call" handler */
	const struct policy_wrap *ped_wraps;	/* ends with pw_orig NULL */
};
extern const struct policy_emul_desc policy_native_desc;
extern const struct policy_emul_desc policy_netbsd32_desc;
extern const struct policy_emul_desc policy_linux_desc;
extern const struct policy_emul_desc policy_linux32_desc;
/* Slots in an emulation's table: ports without e_nsysent size every table by its own constant. */
#ifdef __HAVE_MINIMAL_EMUL
#define POLICY_EMUL_NSYSENT(em, d)	((d)->ped_nsysent)
#else
#define POLICY_EMUL_NSYSENT(em, d)	((u_int)(em)->e_nsysent)
#endif

int	policy_gate_init(void);
int	policy_gate_fini(void);		/* EBUSY while a shadow is in use */
int	policy_gate_confine(struct lwp *);	/* curproc onto its shadow */
void	policy_gate_exec(struct lwp *);	/* after an exec succeeded */
void	policy_gate_fork(struct proc *child);	/* of a confined parent */
unsigned policy_gate_emul(struct lwp *);	/* enum policy_emul */

/* sys_policy_class.c: which calls are decided by their name alone. */
void	policy_class_name(const char *raw, char *out, size_t outlen);
bool	policy_class_byname(const char *name);

/* sys_policy_req.c: turning copied arguments into request fields. */
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

/*
 * sys_policy_vfs.c (kernel only; recorders in the userland stand-in): every
 * call that names a file.  Each looks its path up once, decides on the
 * canonical path of what it found (the link itself for calls that do not
 * follow links) and acts on that vnode, never looking the name up again.
 * User pointers and native integer arguments in, result out.
 */
int	policy_core_open(struct lwp *, int fdat, const char *upath, int flags,
	    mode_t mode, register_t *);
int	policy_core_unlink(struct lwp *, int fdat, const char *upath,
	    int atflags);
#define POLICY_AT_LINUX		0x40000000	/* unlink of a directory: EISDIR */
int	policy_core_rename(struct lwp *, int fromfd, const char *ufrom,
	    int tofd, const char *uto, bool posix);
int	policy_core_mkdir(struct lwp *, int fdat, const char *upath,
	    mode_t mode);
int	policy_core_mknod(struct lwp *, int fdat, const char *upath,
	    mode_t mode, dev_t dev, bool fifo);
int	policy_core_link(struct lwp *, int fd1, const char *ufrom, int fd2,
	    const char *uto, bool follow);
int	policy_core_symlink(struct lwp *, const char *utarget, int fdat,
	    const char *ulink);
int	policy_core_chmod(struct lwp *, int fdat, const char *upath,
	    mode_t mode, bool follow);
int	policy_core_chown(struct lwp *, int fdat, const char *upath, uid_t,
	    gid_t, bool follow, bool posix);
int	policy_core_chflags(struct lwp *, const char *upath, u_long flags,
	    bool follow);
/* Times are data, not decided on: two timespecs or timevals, NULL for now. */
#define POLICY_UT_TIMESPEC	0x1	/* else struct timeval */
#define POLICY_UT_KERNEL	0x2	/* already copied in (compat forms) */
int	policy_core_utimes(struct lwp *, int fdat, const char *upath,
	    const void *times, int how, bool follow);
int	policy_core_truncate(struct lwp *, const char *upath, off_t length);
int	policy_core_readlink(struct lwp *, int fdat, const char *upath,
	    char *ubuf, size_t count, register_t *);
int	policy_core_access(struct lwp *, int fdat, const char *upath,
	    int mode, int atflags);
int	policy_core_stat(struct lwp *, int fdat, const char *upath,
	    bool follow, struct stat *sb);
int	policy_core_chdir(struct lwp *, const char *upath, bool root);
int	policy_core_pathconf(struct lwp *, const char *upath, int name,
	    bool follow, register_t *);
int	policy_core_statvfs(struct lwp *, const char *upath, int flags,
	    struct statvfs *);
int	policy_core_revoke(struct lwp *, const char *upath);
int	policy_core_ktrace(struct lwp *, const char *upath, int ops, int facs,
	    int pid);
/* Extended attributes named by path (sys_policy_xattr.c). */
enum policy_xattr_kind { POLICY_XATTR_SET, POLICY_XATTR_GET,
    POLICY_XATTR_DELETE, POLICY_XATTR_LIST, POLICY_XATTR_LISTX };
struct policy_xattr {
	int		px_kind;	/* LISTX: listxattr, both namespaces */
	int		px_ns;		/* EXTATTR_NAMESPACE_* */
	char		px_name[256];	/* copied in */
	void		*px_data;	/* user buffer, data not decided on */
	size_t		px_nbytes;
	int		px_flag;	/* XATTR_CREATE/REPLACE; list flags */
};
int	policy_core_xattr(struct lwp *, const char *upath, bool follow,
	    struct policy_xattr *, register_t *);
int	policy_xattr_act(struct lwp *, struct vnode *, struct policy_xattr *,
	    int ns, register_t *);
extern const struct policy_wrap policy_xattr_wraps[];
int	policy_core_mount(struct lwp *, const char *utype, const char *upath,
	    int flags, void *udata, size_t data_len, register_t *);
int	policy_core_unmount(struct lwp *, const char *upath, int flags);
/*
 * Exec the decided path with the decided argv.  envp is not decided on and
 * stays in user space; uap/retval are the emulation's own, for the kernel
 * side that must verify the image it ran.
 */
int	policy_core_execve(struct lwp *, const char *upath, const void *uargv,
	    policy_fetch_t, const void *uap, register_t *);
int	policy_core_fexecve(struct lwp *, int fd, const void *uargv,
	    policy_fetch_t, const void *uap, register_t *);

/*
 * An AF_LOCAL address names a file: its path is looked up once (bind: its
 * directory) and made the canonical path, the request decided on that, and
 * the vnode found pinned, so that the socket layer's own lookup of the path
 * can reach nothing else (*pinp; released by policy_vfs_sockdone).
 */
int	policy_vfs_sockpath(struct policy_call *, bool bind,
	    struct vnode **pinp);
void	policy_vfs_sockdone(struct vnode *);

/* sys_policy.c: sockets, and calls decided on integers. */
int	policy_sock_check(int s);
int	policy_core_connect(struct policy_call *, int s);
int	policy_core_bind(struct policy_call *, int s);
int	policy_core_sendto(struct policy_call *, int s, const void *ubuf,
	    size_t len, int flags, register_t *);
int	policy_core_sendmsg(struct policy_call *, int s, struct msghdr *,
	    int flags, register_t *);
int	policy_core_send_noaddr(struct lwp *, unsigned op);
/* listen(2) by the emulation's handler fn, decided by name already: the
 * bind it makes of an unbound socket is decided as one. */
int	policy_core_listen(struct lwp *, sy_call_t *fn, const void *uap,
	    register_t *retval);
int	policy_core_socket(struct lwp *, int domain, int type, int protocol);
int	policy_core_kill(struct lwp *, pid_t pid, int signo);
int	policy_core_ptrace(struct lwp *, int req, pid_t pid);

/* Linux forms, shared by the linux and linux32 wrappers (sys_policy_linux.c). */
int	policy_linux_oflags(int);
int	policy_linux_sockaddr(struct policy_call *, const void *uname,
	    size_t namelen);
int	policy_linux_domain(int);
int	policy_linux_socktype(int, int *);
int	policy_linux_signo(int);
int	policy_linux_msgflags(int);

#endif /* !_KERN_SYS_POLICY_H_ */
