/* kh_kernel.h: the userland harness's stand-in for exactly the NetBSD kernel KPI the policy
 * wrappers and secmodel use; every NetBSD header name under tests/kernel/include maps here. */
#ifndef _KH_KERNEL_H_
#define _KH_KERNEL_H_

#ifndef _KERNEL
#error "kh_kernel.h stands in for kernel headers: build with -D_KERNEL"
#endif

#include <sys/types.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/queue.h>

/* ---- sys/cdefs.h, sys/param.h, sys/systm.h ---------------------- */
#ifndef __arraycount
#define __arraycount(a)		(sizeof(a) / sizeof((a)[0]))
#endif
#define __UNCONST(a)		((void *)(uintptr_t)(const void *)(a))
#define MAXPATHLEN		1024
#define NODEVMAJOR		(-1)
#define KASSERT(e)	((e) ? (void)0 : kh_panic("KASSERT " #e, __FILE__, __LINE__))
void	kh_panic(const char *, const char *, int) __attribute__((noreturn));
#undef ERESTART
#define ERESTART		(-3)
#define EJUSTRETURN		(-2)
extern int hz;
#define mstohz(ms)		((int)((long)(ms) * hz / 1000) > 0 ? \
				    (int)((long)(ms) * hz / 1000) : 1)
size_t	kh_strlcpy(char *, const char *, size_t);
#define strlcpy			kh_strlcpy
typedef int devmajor_t;
typedef struct kauth_cred *kauth_cred_t;
struct lwp;
struct proc;
typedef struct lwp lwp_t;

int	copyin(const void *uaddr, void *kaddr, size_t len);
int	copyout(const void *kaddr, void *uaddr, size_t len);
int	copyinstr(const void *uaddr, void *kaddr, size_t len, size_t *done);

/* ---- sys/syslog.h: log(9) -------------------------------------- */
#define LOG_WARNING		4
#define LOG_NOTICE		5
void	kh_log(int, const char *, ...) __attribute__((format(printf, 2, 3)));
#define log			kh_log

/* ---- sys/kmem.h, sys/atomic.h ---------------------------------- */
typedef unsigned km_flag_t;
#define KM_SLEEP		0x1
#define KM_NOSLEEP		0x2
void	*kmem_alloc(size_t, km_flag_t);
void	*kmem_zalloc(size_t, km_flag_t);
void	kmem_free(void *, size_t);
#define preempt_point()		((void)0)	/* sys/systm.h: no preemption here */
#define atomic_inc_uint(p)	((void)__atomic_add_fetch((p), 1, __ATOMIC_SEQ_CST))
#define atomic_dec_uint(p)	((void)__atomic_sub_fetch((p), 1, __ATOMIC_SEQ_CST))
#define atomic_inc_uint_nv(p)	__atomic_add_fetch((p), 1, __ATOMIC_SEQ_CST)
#define atomic_dec_uint_nv(p)	__atomic_sub_fetch((p), 1, __ATOMIC_SEQ_CST)

/* ---- sys/mutex.h, sys/condvar.h, sys/select.h ------------------- */
typedef struct kmutex { pthread_mutex_t m; } kmutex_t;
typedef struct kcondvar { pthread_cond_t c; } kcondvar_t;
#define MUTEX_DEFAULT		0
#define IPL_NONE		0
void	mutex_init(kmutex_t *, int, int);
void	mutex_destroy(kmutex_t *);
void	mutex_enter(kmutex_t *);
void	mutex_exit(kmutex_t *);
void	cv_init(kcondvar_t *, const char *);
void	cv_destroy(kcondvar_t *);
void	cv_signal(kcondvar_t *);
void	cv_broadcast(kcondvar_t *);
int	cv_wait_sig(kcondvar_t *, kmutex_t *);
int	cv_timedwait_sig(kcondvar_t *, kmutex_t *, int);
struct selinfo { int sel_nrecord; int sel_nnotify; };
void	selinit(struct selinfo *);
void	seldestroy(struct selinfo *);
void	selrecord(struct lwp *, struct selinfo *);
void	selnotify(struct selinfo *, int, long);
#define POLLIN			0x0001
#define POLLOUT			0x0004
#define POLLRDNORM		0x0040
#define POLLWRNORM		POLLOUT

/* ---- sys/errno.h, sys/signal.h (NetBSD numbers) ----------------- */
#define SIGHUP	1
#define SIGINT	2
#define SIGQUIT	3
#define SIGILL	4
#define SIGTRAP	5
#define SIGABRT	6
#define SIGFPE	8
#define SIGKILL	9
#define SIGBUS	10
#define SIGSEGV	11
#define SIGSYS	12
#define SIGPIPE	13
#define SIGALRM	14
#define SIGTERM	15
#define SIGURG	16
#define SIGSTOP	17
#define SIGTSTP	18
#define SIGCONT	19
#define SIGCHLD	20
#define SIGTTIN	21
#define SIGTTOU	22
#define SIGIO	23
#define SIGXCPU	24
#define SIGXFSZ	25
#define SIGVTALRM 26
#define SIGPROF	27
#define SIGWINCH 28
#define SIGINFO	29
#define SIGUSR1	30
#define SIGUSR2	31
#define SIGPWR	32

/* ---- sys/fcntl.h, sys/unistd.h (NetBSD values) ------------------ */
#define O_RDONLY	0x00000000
#define O_WRONLY	0x00000001
#define O_RDWR		0x00000002
#define O_ACCMODE	0x00000003
#define O_NONBLOCK	0x00000004
#define O_APPEND	0x00000008
#define O_CREAT		0x00000200
#define O_TRUNC		0x00000400
#define O_EXCL		0x00000800
#define O_SYNC		0x00000080
#define O_NOCTTY	0x00008000
#define O_DIRECTORY	0x00200000
#define O_CLOEXEC	0x00400000
#define O_NOFOLLOW	0x00000100
#define FNONBLOCK	O_NONBLOCK
#define AT_FDCWD		-100
#define AT_EACCESS		0x100
#define AT_SYMLINK_NOFOLLOW	0x200
#define AT_SYMLINK_FOLLOW	0x400
#define AT_REMOVEDIR		0x800
#define R_OK	4
#define W_OK	2
#define X_OK	1

/* ---- sys/stat.h --------------------------------------------------- */
struct stat {
	dev_t	st_dev;
	mode_t	st_mode;
	ino_t	st_ino;
	nlink_t	st_nlink;
	uid_t	st_uid;
	gid_t	st_gid;
	off_t	st_size;
	char	st_pad[64];
};
#define S_IFCHR		0020000

/* ---- sys/uio.h ------------------------------------------------------ */
enum uio_seg { UIO_USERSPACE, UIO_SYSSPACE };
enum uio_rw { UIO_READ, UIO_WRITE };
struct iovec { void *iov_base; size_t iov_len; };
struct uio {
	struct iovec	*uio_iov;
	int		uio_iovcnt;
	off_t		uio_offset;
	size_t		uio_resid_u;
	ssize_t		uio_resid;
	enum uio_rw	uio_rw;
	enum uio_seg	uio_segflg;	/* harness: where iov_base points */
};
int	uiomove(void *, size_t, struct uio *);

/* ---- sys/socket.h, sys/un.h, netinet/in.h (NetBSD layouts) ------ */
typedef uint8_t sa_family_t;
typedef unsigned int socklen_t;
#define AF_UNSPEC	0
#define AF_LOCAL	1
#define AF_UNIX		AF_LOCAL
#define AF_INET		2
#define AF_INET6	24
#define SOCK_STREAM	1
#define SOCK_DGRAM	2
#define SOCK_RAW	3
#define SOCK_SEQPACKET	5
#define SOCK_CLOEXEC	0x10000000
#define SOCK_NONBLOCK	0x20000000
#define SOCK_NOSIGPIPE	0x40000000
#define MSG_USERFLAGS	0x0ffffff
#define MSG_NAMEMBUF	0x1000000
#define MSG_CONTROLMBUF	0x2000000
#define MSG_IOVUSRSPACE	0x4000000
struct sockaddr { uint8_t sa_len; sa_family_t sa_family; char sa_data[14]; };
struct sockaddr_big { uint8_t sb_len; sa_family_t sb_family; char sb_data[253]; };
struct in_addr { uint32_t s_addr; };
struct in6_addr { uint8_t s6_addr[16]; };
struct sockaddr_in {
	uint8_t sin_len; sa_family_t sin_family; uint16_t sin_port;
	struct in_addr sin_addr; uint8_t sin_zero[8];
};
struct sockaddr_in6 {
	uint8_t sin6_len; sa_family_t sin6_family; uint16_t sin6_port;
	uint32_t sin6_flowinfo; struct in6_addr sin6_addr; uint32_t sin6_scope_id;
};
struct sockaddr_un { uint8_t sun_len; sa_family_t sun_family; char sun_path[104]; };
#define ntohs(x)	__builtin_bswap16((uint16_t)(x))
#define htons(x)	__builtin_bswap16((uint16_t)(x))
struct msghdr {
	void		*msg_name;
	socklen_t	msg_namelen;
	struct iovec	*msg_iov;
	int		msg_iovlen;
	void		*msg_control;
	socklen_t	msg_controllen;
	int		msg_flags;
};

/* ---- sys/mbuf.h ---------------------------------------------------- */
#define MLEN		200
#define M_WAIT		1
#define MT_SONAME	3
struct mbuf { int m_len; int m_type; char m_dat[MLEN]; };
#define mtod(m, t)	((t)((m)->m_dat))
struct mbuf *m_get(int, int);
void	m_freem(struct mbuf *);

/* ---- sys/namei.h (pathbuf) ----------------------------------------- */
struct pathbuf;
struct pathbuf *pathbuf_create(const char *);
void	pathbuf_destroy(struct pathbuf *);
int	pathbuf_copyin(const char *, struct pathbuf **);
const char *pathbuf_stringcopy_get(struct pathbuf *);
void	pathbuf_stringcopy_put(struct pathbuf *, const char *);

/* ---- sys/mount.h ------------------------------------------------------ */
#define _VFS_NAMELEN	32

/* ---- sys/kauth.h, secmodel/secmodel.h ------------------------------- */
typedef uint32_t kauth_action_t;
typedef int (*kauth_scope_callback_t)(kauth_cred_t, kauth_action_t, void *,
    void *, void *, void *, void *);
typedef struct kauth_key *kauth_key_t;
typedef struct kauth_listener *kauth_listener_t;
typedef struct secmodel_descr *secmodel_t;
typedef void *prop_dictionary_t;
#define KAUTH_RESULT_ALLOW	0
#define KAUTH_RESULT_DENY	1
#define KAUTH_RESULT_DEFER	2
#define KAUTH_SCOPE_PROCESS	"org.netbsd.kauth.process"
#define KAUTH_SCOPE_NETWORK	"org.netbsd.kauth.network"
#define KAUTH_SCOPE_CRED	"org.netbsd.kauth.cred"
enum { KAUTH_PROCESS_PTRACE = 10, KAUTH_PROCESS_SIGNAL = 11 };
enum { KAUTH_NETWORK_BIND = 20, KAUTH_NETWORK_SOCKET = 21 };
enum kauth_network_req {
	KAUTH_REQ_NETWORK_BIND_PORT = 1, KAUTH_REQ_NETWORK_SOCKET_OPEN = 2
};
enum { KAUTH_CRED_INIT = 1, KAUTH_CRED_FORK, KAUTH_CRED_COPY, KAUTH_CRED_FREE };
#define NOCRED			((kauth_cred_t)-1)
#define FSCRED			((kauth_cred_t)-2)
int	secmodel_register(secmodel_t *, const char *, const char *,
	    prop_dictionary_t, void *, void *);
int	secmodel_deregister(secmodel_t);
int	kauth_register_key(secmodel_t, kauth_key_t *);
int	kauth_deregister_key(kauth_key_t);
void	*kauth_cred_getdata(kauth_cred_t, kauth_key_t);
void	kauth_cred_setdata(kauth_cred_t, kauth_key_t, void *);
kauth_listener_t kauth_listen_scope(const char *, kauth_scope_callback_t,
	    void *);
void	kauth_unlisten_scope(kauth_listener_t);
kauth_cred_t kauth_cred_alloc(void);
void	kauth_cred_hold(kauth_cred_t);
void	kauth_cred_free(kauth_cred_t);
void	kauth_cred_clone(kauth_cred_t, kauth_cred_t);
kauth_cred_t kauth_cred_dup(kauth_cred_t);
kauth_cred_t kauth_cred_get(void);
uid_t	kauth_cred_getuid(kauth_cred_t);
uid_t	kauth_cred_geteuid(kauth_cred_t);
gid_t	kauth_cred_getgid(kauth_cred_t);
gid_t	kauth_cred_getegid(kauth_cred_t);

/* ---- sys/proc.h, sys/lwp.h, sys/syscallvar.h ---------------------- */
typedef int sy_call_t(struct lwp *, const void *, register_t *);
struct sysent { short sy_narg; short sy_argsize; int sy_flags; sy_call_t *sy_call; };
struct emul { const char *e_name; struct sysent *e_sysent; };
struct proc {
	pid_t		p_pid;
	char		p_comm[24];
	struct emul	*p_emul;
	kauth_cred_t	p_cred;
	kmutex_t	p_lock;
};
struct lwp {
	struct proc		*l_proc;
	kauth_cred_t		l_cred;
	const struct sysent	*l_sysent;
	bool			l_interrupt;	/* harness: next sleep gets EINTR */
};
extern __thread struct lwp *kh_curlwp;
#define curlwp		kh_curlwp
#define curproc		(kh_curlwp->l_proc)
void	proc_crmod_enter(void);
void	proc_crmod_leave(kauth_cred_t, kauth_cred_t, bool);
struct syscall_package { u_short sp_code; u_short sp_flags; sy_call_t *sp_call; };
int	syscall_establish(const struct emul *, const struct syscall_package *);
int	syscall_disestablish(const struct emul *, const struct syscall_package *);
int	sys_nomodule(struct lwp *, const void *, register_t *);
extern struct emul emul_netbsd, emul_netbsd32, emul_linux, emul_linux32;

/* ---- sys/sdt.h: the decision probe is the harness's observation point */
#define SDT_PROVIDER_DEFINE(prov)
#define SDT_PROBE_DEFINE3(prov, mod, func, name, a0, a1, a2)
struct policy_request;
void	kh_sdt_decide(const struct policy_request *, uint32_t, int);
#define SDT_PROBE3(prov, mod, func, name, a0, a1, a2) \
	kh_sdt_decide((a0), (a1), (a2))

/* ---- sys/module.h ------------------------------------------------------ */
typedef enum { MODULE_CMD_INIT, MODULE_CMD_FINI, MODULE_CMD_STAT,
    MODULE_CMD_AUTOUNLOAD } modcmd_t;
#define MODULE_CLASS_SECMODEL	3
#define MODULE(class, name, req) \
	static int name##_modcmd(modcmd_t, void *); \
	int (*const kh_modcmd_##name)(modcmd_t, void *) = name##_modcmd

/* ---- sys/conf.h, sys/file.h, sys/filedesc.h, sys/filio.h ---------- */
struct tty;
struct knote;
struct file;
struct fileops {
	int (*fo_read)(struct file *, off_t *, struct uio *, kauth_cred_t, int);
	int (*fo_write)(struct file *, off_t *, struct uio *, kauth_cred_t, int);
	int (*fo_ioctl)(struct file *, u_long, void *);
	int (*fo_fcntl)(struct file *, u_int, void *);
	int (*fo_poll)(struct file *, int);
	int (*fo_stat)(struct file *, struct stat *);
	int (*fo_close)(struct file *);
	int (*fo_kqfilter)(struct file *, struct knote *);
	void (*fo_restart)(struct file *);
};
typedef struct file {
	const struct fileops	*f_ops;
	void			*f_data;
	kauth_cred_t		f_cred;
	int			f_flag;
} file_t;
int	fd_allocfile(file_t **, int *);
int	fd_clone(file_t *, unsigned, int, const struct fileops *, void *);
int	fnullop_fcntl(struct file *, u_int, void *);
int	fnullop_kqfilter(struct file *, struct knote *);
void	fnullop_restart(struct file *);
#define FIONBIO		0x8004667e
#define _IOC_KH(inout, g, n, len) \
	((unsigned long)(inout) | (((len) & 0x1fff) << 16) | ((g) << 8) | (n))
#define _IO(g, n)	_IOC_KH(0x20000000UL, (g), (n), 0)
#define _IOW(g, n, t)	_IOC_KH(0x80000000UL, (g), (n), sizeof(t))
struct cdevsw {
	int (*d_open)(dev_t, int, int, struct lwp *);
	void *d_close, *d_read, *d_write, *d_ioctl, *d_stop, *d_tty, *d_poll,
	    *d_mmap, *d_kqfilter, *d_discard;
	int d_flag;
};
#define noclose		NULL
#define noread		NULL
#define nowrite		NULL
#define noioctl		NULL
#define nostop		NULL
#define notty		NULL
#define nopoll		NULL
#define nommap		NULL
#define nokqfilter	NULL
#define nodiscard	NULL
#define D_OTHER		0x0000
#define D_MPSAFE	0x0100
struct bdevsw;
int	devsw_attach(const char *, const struct bdevsw *, devmajor_t *,
	    const struct cdevsw *, devmajor_t *);
int	devsw_detach(const struct bdevsw *, const struct cdevsw *);

/* ---- the do_* internals and socket layer (recorders) ------------------ */
struct vnode;
int	do_open(struct lwp *, struct vnode *, struct pathbuf *, int, int, int *);
int	do_sys_unlink(const char *, enum uio_seg);
int	do_sys_rename(const char *, const char *, enum uio_seg, int);
int	do_sys_mkdir(const char *, mode_t, enum uio_seg);
int	do_sys_symlink(const char *, const char *, enum uio_seg);
int	do_sys_connect(struct lwp *, int, struct sockaddr *);
int	do_sys_bind(struct lwp *, int, struct sockaddr *);
int	do_sys_sendmsg(struct lwp *, int, struct msghdr *, int, register_t *);
struct socket;
int	fsocreate(int, struct socket **, int, int, int *);

#endif /* !_KH_KERNEL_H_ */
