/* kh_kern.c: harness kernel services: kmem with accounting, mutexes and condvars on pthreads,
 * kauth credentials/keys/listeners, processes and LWPs, syscall_establish, devsw and files. */
#include <time.h>

#include "kh.h"

#define EMOVEFD		(-6)

int hz = 100;
__thread struct lwp *kh_curlwp;
unsigned kh_ncreds;
size_t kh_kmem_bytes;

void
kh_panic(const char *what, const char *file, int line)
{
	fprintf(stderr, "harness panic: %s at %s:%d\n", what, file, line);
	abort();
}

size_t
kh_strlcpy(char *d, const char *s, size_t n)
{
	size_t len = strlen(s);

	if (n > 0) {
		size_t c = len < n - 1 ? len : n - 1;
		memcpy(d, s, c);
		d[c] = '\0';
	}
	return len;
}

void
kh_log(int level, const char *fmt, ...)
{
	va_list ap;

	if (getenv("KH_VERBOSE") == NULL)
		return;
	va_start(ap, fmt);
	fprintf(stderr, "log(%d): ", level);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}

/* kmem: a header keeps the size so kmem_free's size is checked. */
void *
kmem_alloc(size_t n, km_flag_t f)
{
	size_t *p;

	(void)f;
	if ((p = malloc(n + 16)) == NULL)
		kh_panic("kmem_alloc", __FILE__, __LINE__);
	p[0] = n;
	__atomic_add_fetch(&kh_kmem_bytes, n, __ATOMIC_SEQ_CST);
	return (char *)p + 16;
}

void *
kmem_zalloc(size_t n, km_flag_t f)
{
	void *p = kmem_alloc(n, f);

	memset(p, 0, n);
	return p;
}

void
kmem_free(void *p, size_t n)
{
	size_t *h = (size_t *)((char *)p - 16);

	if (h[0] != n)
		kh_panic("kmem_free: wrong size", __FILE__, __LINE__);
	__atomic_sub_fetch(&kh_kmem_bytes, n, __ATOMIC_SEQ_CST);
	free(h);
}

void mutex_init(kmutex_t *m, int t, int i) { (void)t; (void)i; pthread_mutex_init(&m->m, NULL); }
void mutex_destroy(kmutex_t *m) { pthread_mutex_destroy(&m->m); }
void mutex_enter(kmutex_t *m) { pthread_mutex_lock(&m->m); }
void mutex_exit(kmutex_t *m) { pthread_mutex_unlock(&m->m); }
void cv_init(kcondvar_t *c, const char *w) { (void)w; pthread_cond_init(&c->c, NULL); }
void cv_destroy(kcondvar_t *c) { pthread_cond_destroy(&c->c); }
void cv_signal(kcondvar_t *c) { pthread_cond_signal(&c->c); }
void cv_broadcast(kcondvar_t *c) { pthread_cond_broadcast(&c->c); }

/* A pending "signal" (l_interrupt) interrupts the sleep, as cv_*_sig would. */
static bool
kh_interrupted(void)
{
	if (curlwp != NULL && curlwp->l_interrupt) {
		curlwp->l_interrupt = false;
		return true;
	}
	return false;
}

int
cv_wait_sig(kcondvar_t *c, kmutex_t *m)
{
	struct timespec ts;

	if (kh_interrupted())
		return EINTR;
	/* Wake up now and then to notice an interrupt. */
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += 20 * 1000 * 1000;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&c->c, &m->m, &ts);
	return kh_interrupted() ? EINTR : 0;
}

int
cv_timedwait_sig(kcondvar_t *c, kmutex_t *m, int ticks)
{
	struct timespec ts;
	long ns = (long)ticks * (1000000000L / hz);
	int r;

	if (kh_interrupted())
		return EINTR;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ns / 1000000000L;
	ts.tv_nsec += ns % 1000000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	r = pthread_cond_timedwait(&c->c, &m->m, &ts);
	if (kh_interrupted())
		return EINTR;
	return r == ETIMEDOUT ? EWOULDBLOCK : 0;
}

void selinit(struct selinfo *s) { memset(s, 0, sizeof(*s)); }
void seldestroy(struct selinfo *s) { (void)s; }
void selrecord(struct lwp *l, struct selinfo *s) { (void)l; s->sel_nrecord++; }
void selnotify(struct selinfo *s, int e, long k) { (void)e; (void)k; s->sel_nnotify++; }

/* ---- kauth ---- */
#define KH_NKEYS	4
struct kauth_cred {
	unsigned	refcnt;
	uid_t		uid, euid;
	gid_t		gid, egid;
	void		*data[KH_NKEYS];
};
struct kauth_key { int idx; };
struct kauth_listener {
	char			scope[64];
	kauth_scope_callback_t	cb;
	void			*cookie;
	struct kauth_listener	*next;
};
static struct kauth_listener *kh_listeners;
static bool kh_keyused[KH_NKEYS];
static pthread_mutex_t kh_kauth_lock = PTHREAD_MUTEX_INITIALIZER;

int
secmodel_register(secmodel_t *sm, const char *id, const char *name,
    prop_dictionary_t p, void *e, void *s)
{
	(void)id; (void)name; (void)p; (void)e; (void)s;
	*sm = (secmodel_t)calloc(1, 16);
	return 0;
}

int
secmodel_deregister(secmodel_t sm)
{
	free(sm);
	return 0;
}

int
kauth_register_key(secmodel_t sm, kauth_key_t *kp)
{
	int i;

	(void)sm;
	for (i = 0; i < KH_NKEYS; i++)
		if (!kh_keyused[i]) {
			kh_keyused[i] = true;
			*kp = malloc(sizeof(**kp));
			(*kp)->idx = i;
			return 0;
		}
	return ENOMEM;
}

int
kauth_deregister_key(kauth_key_t k)
{
	kh_keyused[k->idx] = false;
	free(k);
	return 0;
}

void *
kauth_cred_getdata(kauth_cred_t c, kauth_key_t k)
{
	KASSERT(c != NOCRED && c != FSCRED);
	return c->data[k->idx];
}

void
kauth_cred_setdata(kauth_cred_t c, kauth_key_t k, void *d)
{
	KASSERT(c != NOCRED && c != FSCRED);
	c->data[k->idx] = d;
}

kauth_listener_t
kauth_listen_scope(const char *scope, kauth_scope_callback_t cb, void *cookie)
{
	struct kauth_listener *l = calloc(1, sizeof(*l));

	kh_strlcpy(l->scope, scope, sizeof(l->scope));
	l->cb = cb;
	l->cookie = cookie;
	pthread_mutex_lock(&kh_kauth_lock);
	l->next = kh_listeners;
	kh_listeners = l;
	pthread_mutex_unlock(&kh_kauth_lock);
	return l;
}

void
kauth_unlisten_scope(kauth_listener_t l)
{
	struct kauth_listener **pp;

	pthread_mutex_lock(&kh_kauth_lock);
	for (pp = &kh_listeners; *pp != NULL; pp = &(*pp)->next)
		if (*pp == l) {
			*pp = l->next;
			break;
		}
	pthread_mutex_unlock(&kh_kauth_lock);
	free(l);
}

/* NetBSD's combination: any DENY denies, else any ALLOW allows, else DEFER. */
int
kh_kauth_authorize(const char *scope, kauth_cred_t cred, kauth_action_t a,
    void *a0, void *a1, void *a2, void *a3)
{
	struct kauth_listener *l;
	bool allow = false, deny = false;
	int r;

	for (l = kh_listeners; l != NULL; l = l->next) {
		if (strcmp(l->scope, scope) != 0)
			continue;
		r = l->cb(cred, a, l->cookie, a0, a1, a2, a3);
		if (r == KAUTH_RESULT_DENY)
			deny = true;
		else if (r == KAUTH_RESULT_ALLOW)
			allow = true;
	}
	return deny ? KAUTH_RESULT_DENY : allow ? KAUTH_RESULT_ALLOW :
	    KAUTH_RESULT_DEFER;
}

static void
kh_cred_hook(kauth_cred_t c, kauth_action_t a, void *a0, void *a1)
{
	int r = kh_kauth_authorize(KAUTH_SCOPE_CRED, c, a, a0, a1, NULL, NULL);

	if (r == KAUTH_RESULT_DENY)
		kh_panic("a cred-scope listener refused", __FILE__, __LINE__);
}

kauth_cred_t
kauth_cred_alloc(void)
{
	kauth_cred_t c = calloc(1, sizeof(*c));

	c->refcnt = 1;
	__atomic_add_fetch(&kh_ncreds, 1, __ATOMIC_SEQ_CST);
	kh_cred_hook(c, KAUTH_CRED_INIT, NULL, NULL);
	return c;
}

void
kauth_cred_hold(kauth_cred_t c)
{
	__atomic_add_fetch(&c->refcnt, 1, __ATOMIC_SEQ_CST);
}

void
kauth_cred_free(kauth_cred_t c)
{
	if (__atomic_sub_fetch(&c->refcnt, 1, __ATOMIC_SEQ_CST) > 0)
		return;
	kh_cred_hook(c, KAUTH_CRED_FREE, NULL, NULL);
	__atomic_sub_fetch(&kh_ncreds, 1, __ATOMIC_SEQ_CST);
	free(c);
}

void
kauth_cred_clone(kauth_cred_t from, kauth_cred_t to)
{
	to->uid = from->uid;
	to->euid = from->euid;
	to->gid = from->gid;
	to->egid = from->egid;
	kh_cred_hook(from, KAUTH_CRED_COPY, to, NULL);
}

kauth_cred_t
kauth_cred_dup(kauth_cred_t c)
{
	kauth_cred_t n = kauth_cred_alloc();

	kauth_cred_clone(c, n);
	return n;
}

kauth_cred_t kauth_cred_get(void) { return curlwp->l_cred; }
uid_t kauth_cred_getuid(kauth_cred_t c) { return c->uid; }
uid_t kauth_cred_geteuid(kauth_cred_t c) { return c->euid; }
gid_t kauth_cred_getgid(kauth_cred_t c) { return c->gid; }
gid_t kauth_cred_getegid(kauth_cred_t c) { return c->egid; }

/* ---- processes and LWPs ---- */
#define KH_NLWP	64
static struct lwp *kh_lwps[KH_NLWP];
static pthread_mutex_t kh_lwp_lock = PTHREAD_MUTEX_INITIALIZER;
static pid_t kh_nextpid = 100;

static struct lwp *
kh_lwp_add(struct proc *p)
{
	struct lwp *l = calloc(1, sizeof(*l));
	int i;

	l->l_proc = p;
	l->l_cred = p->p_cred;
	kauth_cred_hold(l->l_cred);
	pthread_mutex_lock(&kh_lwp_lock);
	for (i = 0; i < KH_NLWP && kh_lwps[i] != NULL; i++)
		continue;
	KASSERT(i < KH_NLWP);
	kh_lwps[i] = l;
	pthread_mutex_unlock(&kh_lwp_lock);
	return l;
}

struct lwp *
kh_proc_new(uid_t uid, struct emul *em)
{
	struct proc *p = calloc(1, sizeof(*p));

	p->p_pid = kh_nextpid++;
	snprintf(p->p_comm, sizeof(p->p_comm), "proc%d", (int)p->p_pid);
	p->p_emul = em;
	mutex_init(&p->p_lock, 0, 0);
	p->p_cred = kauth_cred_alloc();
	p->p_cred->uid = p->p_cred->euid = uid;
	p->p_cred->gid = p->p_cred->egid = uid;
	return kh_lwp_add(p);
}

struct lwp *
kh_lwp_new(struct proc *p)
{
	return kh_lwp_add(p);
}

/* fork: the child shares the parent's credential (kauth_proc_fork). */
struct lwp *
kh_fork(struct lwp *parent)
{
	struct proc *pp = parent->l_proc, *p = calloc(1, sizeof(*p));

	p->p_pid = kh_nextpid++;
	memcpy(p->p_comm, pp->p_comm, sizeof(p->p_comm));
	p->p_emul = pp->p_emul;
	mutex_init(&p->p_lock, 0, 0);
	mutex_enter(&pp->p_lock);
	kauth_cred_hold(pp->p_cred);
	p->p_cred = pp->p_cred;
	mutex_exit(&pp->p_lock);
	kh_cred_hook(pp->p_cred, KAUTH_CRED_FORK, pp, p);
	return kh_lwp_add(p);
}

void
kh_lwp_free(struct lwp *l)
{
	struct proc *p = l->l_proc;
	bool last = true;
	int i;

	pthread_mutex_lock(&kh_lwp_lock);
	for (i = 0; i < KH_NLWP; i++) {
		if (kh_lwps[i] == l)
			kh_lwps[i] = NULL;
		else if (kh_lwps[i] != NULL && kh_lwps[i]->l_proc == p)
			last = false;
	}
	pthread_mutex_unlock(&kh_lwp_lock);
	kauth_cred_free(l->l_cred);
	free(l);
	if (last) {
		kauth_cred_free(p->p_cred);
		mutex_destroy(&p->p_lock);
		free(p);
	}
}

void
proc_crmod_enter(void)
{
	mutex_enter(&curproc->p_lock);
}

void
proc_crmod_leave(kauth_cred_t scred, kauth_cred_t fcred, bool sugid)
{
	struct lwp *l = curlwp;
	struct proc *p = l->l_proc;
	kauth_cred_t oc = NULL;

	(void)sugid;
	if (scred != NULL) {
		p->p_cred = scred;
		if ((oc = l->l_cred) != scred) {
			kauth_cred_hold(scred);
			l->l_cred = scred;
		}
	}
	mutex_exit(&p->p_lock);
	if (fcred != NULL) {
		kauth_cred_free(fcred);
		if (oc != scred)
			kauth_cred_free(oc);
	}
}

/* Kernel entry: refresh the LWP's cached credential, dispatch, as syscall(). */
int
kh_syscall(struct lwp *l, int code, const void *uap, register_t *rv)
{
	const struct sysent *sy = &l->l_proc->p_emul->e_sysent[code];
	kauth_cred_t oc = NULL;
	int error;

	kh_curlwp = l;
	mutex_enter(&l->l_proc->p_lock);
	if (l->l_cred != l->l_proc->p_cred) {
		oc = l->l_cred;
		l->l_cred = l->l_proc->p_cred;
		kauth_cred_hold(l->l_cred);
	}
	mutex_exit(&l->l_proc->p_lock);
	if (oc != NULL)
		kauth_cred_free(oc);
	__atomic_store_n(&l->l_sysent, sy, __ATOMIC_SEQ_CST);
	error = sy->sy_call(l, uap, rv);
	__atomic_store_n(&l->l_sysent, NULL, __ATOMIC_SEQ_CST);
	return error;
}

int
sys_nomodule(struct lwp *l, const void *uap, register_t *rv)
{
	(void)l; (void)uap; (void)rv;
	return ENOSYS;
}

int
syscall_establish(const struct emul *em, const struct syscall_package *sp)
{
	struct sysent *sy = em->e_sysent;
	int i;

	for (i = 0; sp[i].sp_call != NULL; i++)
		if (sy[sp[i].sp_code].sy_call != sys_nomodule)
			return EBUSY;
	for (i = 0; sp[i].sp_call != NULL; i++)
		sy[sp[i].sp_code].sy_call = sp[i].sp_call;
	return 0;
}

int
syscall_disestablish(const struct emul *em, const struct syscall_package *sp)
{
	struct sysent *sy = em->e_sysent;
	int i, j;

	for (i = 0; sp[i].sp_call != NULL; i++) {
		KASSERT(sy[sp[i].sp_code].sy_call == sp[i].sp_call);
		sy[sp[i].sp_code].sy_call = sys_nomodule;
	}
	for (i = 0; sp[i].sp_call != NULL; i++)
		for (j = 0; j < KH_NLWP; j++)
			if (kh_lwps[j] != NULL && __atomic_load_n(
			    &kh_lwps[j]->l_sysent, __ATOMIC_SEQ_CST) ==
			    &sy[sp[i].sp_code]) {
				for (i = 0; sp[i].sp_call != NULL; i++)
					sy[sp[i].sp_code].sy_call =
					    sp[i].sp_call;
				return EBUSY;
			}
	return 0;
}

/* ---- devsw, files ---- */
static const struct cdevsw *kh_cdev;

int
devsw_attach(const char *name, const struct bdevsw *b, devmajor_t *bm,
    const struct cdevsw *c, devmajor_t *cm)
{
	(void)name; (void)b; (void)bm;
	if (kh_cdev != NULL)
		return EEXIST;
	kh_cdev = c;
	*cm = 42;
	return 0;
}

int
devsw_detach(const struct bdevsw *b, const struct cdevsw *c)
{
	(void)b;
	if (kh_cdev != c)
		return ENOENT;
	kh_cdev = NULL;
	return 0;
}

static file_t *kh_newfile;

int
fd_allocfile(file_t **fpp, int *fdp)
{
	file_t *fp = calloc(1, sizeof(*fp));

	fp->f_cred = curlwp->l_cred;
	kauth_cred_hold(fp->f_cred);
	*fpp = fp;
	*fdp = 3;
	kh_newfile = fp;
	return 0;
}

int
fd_clone(file_t *fp, unsigned fd, int flag, const struct fileops *ops,
    void *data)
{
	(void)fd;
	fp->f_flag = flag;
	fp->f_ops = ops;
	fp->f_data = data;
	return EMOVEFD;
}

int fnullop_fcntl(struct file *fp, u_int c, void *d) { (void)fp; (void)c; (void)d; return 0; }
int fnullop_kqfilter(struct file *fp, struct knote *k) { (void)fp; (void)k; return 0; }
void fnullop_restart(struct file *fp) { (void)fp; }

struct file *
kh_dev_open(struct lwp *l)
{
	int error;

	kh_curlwp = l;
	if (kh_cdev == NULL)
		return NULL;
	kh_newfile = NULL;
	error = kh_cdev->d_open(0, O_RDWR, 0, l);
	return error == EMOVEFD ? kh_newfile : NULL;
}

int
uiomove(void *buf, size_t n, struct uio *uio)
{
	struct iovec *iov = uio->uio_iov;

	if (n > iov->iov_len)
		n = iov->iov_len;
	if (uio->uio_rw == UIO_READ)
		memcpy(iov->iov_base, buf, n);
	else
		memcpy(buf, iov->iov_base, n);
	iov->iov_base = (char *)iov->iov_base + n;
	iov->iov_len -= n;
	uio->uio_resid -= (ssize_t)n;
	uio->uio_offset += (off_t)n;
	return 0;
}

static int
kh_dev_rw(struct lwp *l, struct file *fp, void *buf, size_t n, enum uio_rw rw,
    size_t *done)
{
	struct iovec iov = { buf, n };
	struct uio uio;
	off_t off = 0;
	int error;

	memset(&uio, 0, sizeof(uio));
	uio.uio_iov = &iov;
	uio.uio_iovcnt = 1;
	uio.uio_resid = (ssize_t)n;
	uio.uio_rw = rw;
	uio.uio_segflg = UIO_SYSSPACE;
	kh_curlwp = l;
	error = rw == UIO_READ ?
	    fp->f_ops->fo_read(fp, &off, &uio, fp->f_cred, 0) :
	    fp->f_ops->fo_write(fp, &off, &uio, fp->f_cred, 0);
	if (done != NULL)
		*done = n - (size_t)uio.uio_resid;
	return error;
}

int
kh_dev_read(struct lwp *l, struct file *fp, void *buf, size_t n, size_t *done)
{
	return kh_dev_rw(l, fp, buf, n, UIO_READ, done);
}

int
kh_dev_write(struct lwp *l, struct file *fp, const void *buf, size_t n)
{
	return kh_dev_rw(l, fp, __UNCONST(buf), n, UIO_WRITE, NULL);
}

int
kh_dev_ioctl(struct lwp *l, struct file *fp, u_long cmd, void *data)
{
	kh_curlwp = l;
	return fp->f_ops->fo_ioctl(fp, cmd, data);
}

int
kh_dev_poll(struct lwp *l, struct file *fp, int events)
{
	kh_curlwp = l;
	return fp->f_ops->fo_poll(fp, events);
}

void
kh_dev_close(struct lwp *l, struct file *fp)
{
	kh_curlwp = l;
	fp->f_ops->fo_close(fp);
	kauth_cred_free(fp->f_cred);
	free(fp);
}

/* ---- mbufs, pathbufs ---- */
struct mbuf *
m_get(int how, int type)
{
	struct mbuf *m = kmem_zalloc(sizeof(*m), KM_SLEEP);

	(void)how;
	m->m_type = type;
	return m;
}

void
m_freem(struct mbuf *m)
{
	if (m != NULL)
		kmem_free(m, sizeof(*m));
}

struct pathbuf { char *pb_path; };

struct pathbuf *
pathbuf_create(const char *s)
{
	struct pathbuf *pb = kmem_alloc(sizeof(*pb), KM_SLEEP);

	pb->pb_path = kmem_alloc(MAXPATHLEN, KM_SLEEP);
	kh_strlcpy(pb->pb_path, s, MAXPATHLEN);
	return pb;
}

int
pathbuf_copyin(const char *u, struct pathbuf **pbp)
{
	struct pathbuf *pb = pathbuf_create("");
	int error = copyinstr(u, pb->pb_path, MAXPATHLEN, NULL);

	if (error != 0) {
		pathbuf_destroy(pb);
		return error;
	}
	*pbp = pb;
	return 0;
}

const char *pathbuf_stringcopy_get(struct pathbuf *pb) { return pb->pb_path; }
void pathbuf_stringcopy_put(struct pathbuf *pb, const char *s) { (void)pb; (void)s; }

void
pathbuf_destroy(struct pathbuf *pb)
{
	kmem_free(pb->pb_path, MAXPATHLEN);
	kmem_free(pb, sizeof(*pb));
}

/* Linux/amd64 signal numbers to NetBSD's. */
const int linux_to_native_signo[LINUX__NSIG] = {
	0, SIGHUP, SIGINT, SIGQUIT, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE,
	SIGKILL, SIGUSR1, SIGSEGV, SIGUSR2, SIGPIPE, SIGALRM, SIGTERM, 0,
	SIGCHLD, SIGCONT, SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG, SIGXCPU,
	SIGXFSZ, SIGVTALRM, SIGPROF, SIGWINCH, SIGIO, SIGPWR, SIGSYS,
};
