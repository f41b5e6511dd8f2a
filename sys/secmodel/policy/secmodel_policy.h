/* secmodel_policy.h: interface between the NetBSD glue files of the policy secmodel
 * (credentials, alarms, device, module) and the system-call wrappers in sys_policy.c. */
#ifndef _SECMODEL_POLICY_SECMODEL_POLICY_H_
#define _SECMODEL_POLICY_SECMODEL_POLICY_H_

#include <sys/types.h>
#include <sys/kauth.h>

#include <secmodel/secmodel.h>

#include "policy_impl.h"

#define SECMODEL_POLICY_ID	"org.netbsd.secmodel.policy"
#define SECMODEL_POLICY_NAME	"policy: system-call policies (systrace successor)"

/* Largest blob the kernel accepts (the ABI allows more; the kernel won't). */
#define POLICY_KBLOB_MAX	(16u * 1024 * 1024)

/*
 * A loaded policy, shared by every credential that carries it: one
 * reference per credential (kauth key data) plus one per call in progress.
 */
struct policy_cred {
	volatile unsigned	pc_refcnt;
	struct policy		pc_policy;	/* validated view of pc_blob */
	void			*pc_blob;
	size_t			pc_size;
};

/* secmodel_policy_cred.c */
int	policy_cred_init(secmodel_t);
void	policy_cred_fini(void);
bool	policy_cred_confined(kauth_cred_t);
struct policy_cred *policy_cred_get(kauth_cred_t);	/* +1 or NULL */
void	policy_cred_put(struct policy_cred *);
int	policy_cred_create(void *blob, size_t size, struct policy_cred **,
	    char *err, size_t errlen);
int	policy_cred_confine(struct lwp *, struct policy_cred *);
unsigned policy_cred_live(void);
size_t	policy_cred_bytes(void);

/* secmodel_policy_alarm.c */
extern int policy_ask_timeout_ms;	/* no answer within: deny */
void	policy_alarm_init(void);
void	policy_alarm_fini(void);
int	policy_alarm_ask(struct lwp *, struct policy_cred *,
	    const struct policy_request *, const struct policy_decision *,
	    int *errnop);
int	policy_alarm_take(kauth_cred_t, const void *who, bool wait,
	    struct policy_alarm *);
int	policy_alarm_answer(kauth_cred_t, const struct policy_answer *);
bool	policy_alarm_poll(kauth_cred_t, struct lwp *);
void	policy_alarm_daemon(const void *who, int delta); /* readers' files */

/* secmodel_policy_dev.c */
int	policy_dev_init(void);
int	policy_dev_fini(void);

/* secmodel_policy.c */
int	policy_decide(struct lwp *, struct policy_cred *,
	    struct policy_request *, struct policy_decision *);
int	policy_refuse(struct lwp *, struct policy_cred *,
	    struct policy_request *, const char *why);
struct vnode;
void	policy_pin_vnode(struct vnode *);
void	policy_unpin_vnode(void);
void	policy_listen_begin(void);
void	policy_listen_end(void);

/* Decisions taken (rules evaluated) and calls refused, since boot. */
extern volatile uint64_t policy_ndecided, policy_nrefused;

#endif /* !_SECMODEL_POLICY_SECMODEL_POLICY_H_ */
