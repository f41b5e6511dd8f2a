/* kh.h: the harness's test-facing API: user memory (a separate mapping, racing writers, read
 * counts, faults), processes and syscall dispatch, recorders of what the kernel was asked to do. */
#ifndef _KH_H_
#define _KH_H_

#include "kh_kernel.h"
#include "kh_syscalls.h"
#include "../../sys/sys/policy.h"

/* ---- user memory ---- */
#define KH_UBASE	0x10000000UL
#define KH_USIZE	(8UL << 20)
void	kh_user_reset(void);
uintptr_t kh_ualloc(size_t);			/* zeroed, 16-aligned */
uintptr_t kh_ustr(const char *);		/* allocate + write string */
void	kh_uwrite(uintptr_t, const void *, size_t);
void	kh_uread(uintptr_t, void *, size_t);	/* not counted */
void	kh_ufault(uintptr_t, size_t);		/* copyin there: EFAULT */
unsigned kh_reads(uintptr_t, size_t);		/* copy-ins overlapping */
void	kh_reads_reset(void);
#define KH_UPTR(u)	((void *)(uintptr_t)(u))

/* A thread rewriting [u, u+n) with a, b, a, b, ... until stopped; and, so
 * that the interleaving does not depend on the scheduler, the bytes also
 * change right after every copy-in that reads them. */
struct kh_racer;
struct kh_racer *kh_race_start(uintptr_t u, const void *a, const void *b,
	    size_t n);
unsigned long kh_race_stop(struct kh_racer *);	/* returns flips done */

/* ---- processes, LWPs, system calls ---- */
struct lwp *kh_proc_new(uid_t uid, struct emul *);
struct lwp *kh_fork(struct lwp *parent);
struct lwp *kh_lwp_new(struct proc *);		/* another thread */
void	kh_lwp_free(struct lwp *);		/* frees the proc with its last lwp */
int	kh_syscall(struct lwp *, int code, const void *uap, register_t *rv);
int	kh_syscall_stock(struct lwp *, int code, const void *uap, register_t *);
extern unsigned kh_ncreds;			/* credentials alive */
extern size_t kh_kmem_bytes;			/* kmem outstanding */
int	kh_kauth_authorize(const char *scope, kauth_cred_t, kauth_action_t,
	    void *, void *, void *, void *);
void	kh_module(modcmd_t expect_ok);		/* INIT or FINI, must succeed */
int	kh_module_cmd(modcmd_t);

/* ---- /dev/policy ---- */
struct file *kh_dev_open(struct lwp *);
int	kh_dev_read(struct lwp *, struct file *, void *, size_t, size_t *);
int	kh_dev_write(struct lwp *, struct file *, const void *, size_t);
int	kh_dev_ioctl(struct lwp *, struct file *, u_long, void *);
int	kh_dev_poll(struct lwp *, struct file *, int);
void	kh_dev_close(struct lwp *, struct file *);

/* ---- what the kernel internals were asked to do ---- */
struct kh_act {
	unsigned	n;		/* internals called since reset */
	char		what[32];
	char		s1[MAXPATHLEN];
	char		s2[MAXPATHLEN];
	long		i1, i2;
	uint8_t		sa[256];
	size_t		salen;
	char		argv[POLICY_ARGV_MAX];	/* joined with spaces */
	size_t		argc;
	int		stock_code;	/* a stock handler ran: its code */
};
extern struct kh_act kh_act;
void	kh_act_reset(void);
/* Stock handlers re-read their user arguments, as the unmodified kernel does. */
extern bool kh_stock_reread;

/* The last decision (SDT probe policy:::decide:done). */
struct kh_decision {
	unsigned		n;
	struct policy_request	req;
	uint32_t		rule;
	int			error;
};
extern struct kh_decision kh_dec;
void	kh_dec_reset(void);

extern char kh_cwd[MAXPATHLEN];
extern int policy_ask_timeout_ms;
unsigned policy_cred_live(void);

#endif /* !_KH_H_ */
