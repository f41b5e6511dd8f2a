/* secmodel_policy_dev.c: the /dev/policy cloning device: load a (validated) policy for the
 * calling process, read alarms, write answers, poll; each open is its own file. */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/atomic.h>
#include <sys/conf.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/filio.h>
#include <sys/kauth.h>
#include <sys/kmem.h>
#include <sys/poll.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/syslog.h>
#include <sys/uio.h>

#include "secmodel_policy.h"
#include "../../kern/sys_policy.h"

struct policy_dev_file {
	bool	pf_daemon;	/* has read or polled for alarms */
};

static volatile unsigned policy_dev_nopen;

static int policy_dev_open(dev_t, int, int, struct lwp *);

const struct cdevsw policy_cdevsw = {
	.d_open = policy_dev_open,
	.d_close = noclose,
	.d_read = noread,
	.d_write = nowrite,
	.d_ioctl = noioctl,
	.d_stop = nostop,
	.d_tty = notty,
	.d_poll = nopoll,
	.d_mmap = nommap,
	.d_kqfilter = nokqfilter,
	.d_discard = nodiscard,
	.d_flag = D_OTHER | D_MPSAFE,
};

/* Alarms and answers are for unconfined processes only (also via a passed fd). */
static bool
policy_dev_confined(struct file *fp)
{
	return policy_cred_confined(kauth_cred_get()) ||
	    policy_cred_confined(fp->f_cred);
}

static void
policy_dev_daemon(struct policy_dev_file *pf)
{
	if (!pf->pf_daemon) {
		pf->pf_daemon = true;
		policy_alarm_daemon(pf, 1);
	}
}

static int
policy_fop_read(struct file *fp, off_t *offp, struct uio *uio,
    kauth_cred_t cred, int flags)
{
	struct policy_dev_file *pf = fp->f_data;
	struct policy_alarm *a;
	bool first = true;
	int error = 0;

	if (policy_dev_confined(fp))
		return EPERM;
	if (uio->uio_resid < (ssize_t)sizeof(*a))
		return EINVAL;
	policy_dev_daemon(pf);
	a = kmem_alloc(sizeof(*a), KM_SLEEP);
	while (uio->uio_resid >= (ssize_t)sizeof(*a)) {
		error = policy_alarm_take(fp->f_cred, pf,
		    first && (fp->f_flag & FNONBLOCK) == 0, a);
		if (error != 0)
			break;
		if ((error = uiomove(a, sizeof(*a), uio)) != 0)
			break;
		first = false;
	}
	kmem_free(a, sizeof(*a));
	return first ? error : 0;
}

static int
policy_fop_write(struct file *fp, off_t *offp, struct uio *uio,
    kauth_cred_t cred, int flags)
{
	struct policy_answer ans;
	int error = 0;

	if (policy_dev_confined(fp))
		return EPERM;
	if (uio->uio_resid < (ssize_t)sizeof(ans))
		return EINVAL;
	while (uio->uio_resid >= (ssize_t)sizeof(ans) && error == 0) {
		if ((error = uiomove(&ans, sizeof(ans), uio)) == 0)
			error = policy_alarm_answer(fp->f_cred, &ans);
	}
	return error;
}

/* Copy the blob in once, validate it, and confine the calling process. */
static int
policy_dev_load(const struct policy_load *pl)
{
	struct policy_cred *pol;
	char err[POLICY_ERRBUF];
	void *blob;
	size_t size;
	int error;

	if (pl->pl_size == 0 || pl->pl_size > POLICY_KBLOB_MAX)
		return EINVAL;
	size = (size_t)pl->pl_size;
	blob = kmem_alloc(size, KM_SLEEP);
	error = copyin((const void *)(uintptr_t)pl->pl_addr, blob, size);
	if (error == 0) {
		error = policy_cred_create(blob, size, &pol, err, sizeof(err));
		if (error != 0)
			log(LOG_NOTICE, "policy: pid %d: rejected blob: %s\n",
			    curproc->p_pid, err);
	}
	if (error != 0) {
		kmem_free(blob, size);
		return error;
	}
	/* The process runs under the gate before its credential carries pol. */
	if ((error = policy_gate_confine(curlwp)) != 0 ||
	    (error = policy_cred_confine(curlwp, pol)) != 0)
		policy_cred_put(pol);
	return error;
}

static int
policy_fop_ioctl(struct file *fp, u_long cmd, void *data)
{
	switch (cmd) {
	case POLICY_IOC_LOAD:
		return policy_dev_load(data);
	case POLICY_IOC_ANSWER:
		if (policy_dev_confined(fp))
			return EPERM;
		return policy_alarm_answer(fp->f_cred, data);
	case POLICY_IOC_UNLOAD:
		/* A policy is for life: a confined process cannot drop it. */
		return policy_cred_confined(kauth_cred_get()) ? EPERM : 0;
	case FIONBIO:
		return 0;
	default:
		return ENOTTY;
	}
}

static int
policy_fop_poll(struct file *fp, int events)
{
	struct policy_dev_file *pf = fp->f_data;
	int revents = events & (POLLOUT | POLLWRNORM);

	if ((events & (POLLIN | POLLRDNORM)) == 0 || policy_dev_confined(fp))
		return revents;
	policy_dev_daemon(pf);
	if (policy_alarm_poll(fp->f_cred, curlwp))
		revents |= events & (POLLIN | POLLRDNORM);
	return revents;
}

static int
policy_fop_stat(struct file *fp, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0666;
	st->st_uid = kauth_cred_geteuid(fp->f_cred);
	st->st_gid = kauth_cred_getegid(fp->f_cred);
	return 0;
}

static int
policy_fop_close(struct file *fp)
{
	struct policy_dev_file *pf = fp->f_data;

	if (pf->pf_daemon)
		policy_alarm_daemon(pf, -1);
	kmem_free(pf, sizeof(*pf));
	fp->f_data = NULL;
	atomic_dec_uint(&policy_dev_nopen);
	return 0;
}

static const struct fileops policy_fileops = {
	.fo_read = policy_fop_read,
	.fo_write = policy_fop_write,
	.fo_ioctl = policy_fop_ioctl,
	.fo_fcntl = fnullop_fcntl,
	.fo_poll = policy_fop_poll,
	.fo_stat = policy_fop_stat,
	.fo_close = policy_fop_close,
	.fo_kqfilter = fnullop_kqfilter,
	.fo_restart = fnullop_restart,
};

static int
policy_dev_open(dev_t dev, int flag, int mode, struct lwp *l)
{
	struct policy_dev_file *pf;
	struct file *fp;
	int error, fd;

	if ((error = fd_allocfile(&fp, &fd)) != 0)
		return error;
	pf = kmem_zalloc(sizeof(*pf), KM_SLEEP);
	atomic_inc_uint(&policy_dev_nopen);
	return fd_clone(fp, fd, flag, &policy_fileops, pf);
}

static devmajor_t policy_bmajor = NODEVMAJOR, policy_cmajor = NODEVMAJOR;

int
policy_dev_init(void)
{
	return devsw_attach("policy", NULL, &policy_bmajor, &policy_cdevsw,
	    &policy_cmajor);
}

int
policy_dev_fini(void)
{
	if (policy_dev_nopen > 0)
		return EBUSY;
	return devsw_detach(NULL, &policy_cdevsw);
}
