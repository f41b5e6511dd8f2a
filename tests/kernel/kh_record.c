/* kh_record.c: the harness's kernel internals as recorders (do_open, do_sys_*, the socket
 * layer, policy_vfs_*), the stock syscall handlers of four emulations, the decision probe. */
#include "kh.h"
#include "../../sys/kern/sys_policy.h"

struct kh_act kh_act;
struct kh_decision kh_dec;
bool kh_stock_reread;
char kh_cwd[MAXPATHLEN] = "/home/user";

void
kh_act_reset(void)
{
	memset(&kh_act, 0, offsetof(struct kh_act, s1));
	kh_act.s1[0] = kh_act.s2[0] = kh_act.argv[0] = '\0';
	kh_act.salen = 0;
	kh_act.argc = 0;
	kh_act.stock_code = -1;
}

void
kh_dec_reset(void)
{
	kh_dec.n = 0;
	kh_dec.error = -1;
}

void
kh_sdt_decide(const struct policy_request *req, uint32_t rule, int error)
{
	memcpy(&kh_dec.req, req, sizeof(*req));
	kh_dec.rule = rule;
	kh_dec.error = error;
	kh_dec.n++;
}

static void
kh_rec(const char *what, const char *s1, const char *s2, long i1, long i2)
{
	kh_act.n++;
	kh_strlcpy(kh_act.what, what, sizeof(kh_act.what));
	kh_strlcpy(kh_act.s1, s1 != NULL ? s1 : "", sizeof(kh_act.s1));
	kh_strlcpy(kh_act.s2, s2 != NULL ? s2 : "", sizeof(kh_act.s2));
	kh_act.i1 = i1;
	kh_act.i2 = i2;
}

static void
kh_rec_sa(const void *sa, size_t len)
{
	if (len > sizeof(kh_act.sa))
		len = sizeof(kh_act.sa);
	memcpy(kh_act.sa, sa, len);
	kh_act.salen = len;
}

/* ---- internals with a kernel-space form ---- */
int
do_open(struct lwp *l, struct vnode *dvp, struct pathbuf *pb, int flags,
    int mode, int *fd)
{
	(void)l; (void)dvp;
	kh_rec("open", pathbuf_stringcopy_get(pb), NULL, flags, mode);
	*fd = 7;
	return 0;
}

int
do_sys_unlink(const char *p, enum uio_seg seg)
{
	KASSERT(seg == UIO_SYSSPACE);
	kh_rec("unlink", p, NULL, 0, 0);
	return 0;
}

int
do_sys_rename(const char *a, const char *b, enum uio_seg seg, int retain)
{
	KASSERT(seg == UIO_SYSSPACE);
	kh_rec("rename", a, b, retain, 0);
	return 0;
}

int
do_sys_mkdir(const char *p, mode_t mode, enum uio_seg seg)
{
	KASSERT(seg == UIO_SYSSPACE);
	kh_rec("mkdir", p, NULL, mode, 0);
	return 0;
}

int
do_sys_symlink(const char *target, const char *link, enum uio_seg seg)
{
	KASSERT(seg == UIO_SYSSPACE);
	kh_rec("symlink", link, target, 0, 0);
	return 0;
}

int
do_sys_connect(struct lwp *l, int s, struct sockaddr *sa)
{
	(void)l;
	kh_rec("connect", NULL, NULL, s, 0);
	kh_rec_sa(sa, sa->sa_len);
	return 0;
}

int
do_sys_bind(struct lwp *l, int s, struct sockaddr *sa)
{
	(void)l;
	kh_rec("bind", NULL, NULL, s, 0);
	kh_rec_sa(sa, sa->sa_len);
	return 0;
}

int
do_sys_sendmsg(struct lwp *l, int s, struct msghdr *m, int flags,
    register_t *rv)
{
	struct mbuf *mb = m->msg_name;

	(void)l;
	kh_rec("sendmsg", NULL, NULL, s, flags);
	if (m->msg_flags & MSG_NAMEMBUF) {
		kh_rec_sa(mtod(mb, void *), (size_t)mb->m_len);
		m_freem(mb);
	}
	*rv = 0;
	return 0;
}

int
fsocreate(int dom, struct socket **so, int type, int proto, int *fd)
{
	(void)so;
	kh_rec("socket", NULL, NULL, dom, type);
	kh_act.i2 = type;
	(void)proto;
	*fd = 9;
	return 0;
}

/* ---- policy_vfs_*: the kernel-only act layer, recorded ---- */
int
policy_vfs_dirpath(struct lwp *l, int fdat, char *buf, size_t len)
{
	(void)l;
	if (fdat == AT_FDCWD)
		kh_strlcpy(buf, kh_cwd, len);
	else if (fdat >= 0 && fdat < 100)
		snprintf(buf, len, "/srv/dir%d", fdat);
	else
		return EBADF;
	return 0;
}

int policy_vfs_rmdir(struct lwp *l, const char *p) { (void)l; kh_rec("rmdir", p, NULL, 0, 0); return 0; }
int policy_vfs_link(struct lwp *l, const char *a, const char *b, bool f) { (void)l; kh_rec("link", a, b, f, 0); return 0; }
int policy_vfs_chmod(struct lwp *l, const char *p, mode_t m, bool f) { (void)l; kh_rec("chmod", p, NULL, m, f); return 0; }
int policy_vfs_chown(struct lwp *l, const char *p, uid_t u, gid_t g, bool f) { (void)l; (void)f; kh_rec("chown", p, NULL, u, g); return 0; }
int policy_vfs_truncate(struct lwp *l, const char *p, off_t n) { (void)l; kh_rec("truncate", p, NULL, (long)n, 0); return 0; }
int policy_vfs_access(struct lwp *l, const char *p, int m, int f) { (void)l; kh_rec("access", p, NULL, m, f); return 0; }
int policy_vfs_chdir(struct lwp *l, const char *p) { (void)l; kh_rec("chdir", p, NULL, 0, 0); return 0; }

int
policy_vfs_readlink(struct lwp *l, const char *p, char *ubuf, size_t count,
    register_t *rv)
{
	size_t n = count < 6 ? count : 6;

	(void)l;
	kh_rec("readlink", p, NULL, (long)count, 0);
	*rv = (register_t)n;
	return copyout("target", ubuf, n);
}

int
policy_vfs_stat(struct lwp *l, const char *p, bool follow, struct stat *sb)
{
	(void)l;
	kh_rec("stat", p, NULL, follow, 0);
	memset(sb, 0, sizeof(*sb));
	sb->st_size = 42;
	return 0;
}

int
policy_vfs_mount(struct lwp *l, const char *type, const char *p,
    const char *upath, int flags, void *udata, size_t len, register_t *rv)
{
	(void)l; (void)upath; (void)udata; (void)len; (void)rv;
	kh_rec("mount", p, type, flags, 0);
	return 0;
}

int
policy_vfs_execve(struct lwp *l, const struct policy_exec *pe)
{
	size_t i, off = 0, n;

	(void)l;
	kh_rec("execve", pe->pe_path, NULL, pe->pe_fd, 0);
	for (i = 0; i < pe->pe_argc; i++) {
		n = strlen(pe->pe_argv[i]);
		if (off + n + 2 > sizeof(kh_act.argv))
			break;
		if (i > 0)
			kh_act.argv[off++] = ' ';
		memcpy(kh_act.argv + off, pe->pe_argv[i], n);
		off += n;
	}
	kh_act.argv[off] = '\0';
	kh_act.argc = pe->pe_argc;
	return 0;
}

/* ---- stock handlers ---- */

static void
kh_reread_str(const void *u, char *dst)
{
	if (copyinstr(u, dst, MAXPATHLEN, NULL) != 0)
		dst[0] = '\0';
}

static void
kh_reread_sa(const void *u, size_t len)
{
	uint8_t buf[256];

	if (len <= sizeof(buf) && copyin(u, buf, len) == 0) {
		buf[0] = (uint8_t)len;
		kh_rec_sa(buf, len);
	}
}

static void
kh_reread_argv(const void *uargv)
{
	const char *p;
	size_t i, off = 0, done;

	for (i = 0; i < 64; i++) {
		if (copyin((const char * const *)uargv + i, &p, sizeof(p)) != 0 ||
		    p == NULL)
			break;
		if (i > 0 && off + 1 < sizeof(kh_act.argv))
			kh_act.argv[off++] = ' ';
		if (copyinstr(p, kh_act.argv + off, sizeof(kh_act.argv) - off,
		    &done) != 0)
			break;
		off += done - 1;
	}
	kh_act.argv[off] = '\0';
	kh_act.argc = i;
}

/*
 * What the unmodified kernel does with a native call's user arguments: it
 * reads them (again).  Used for unconfined processes, and by the control
 * wrapper in the tests, which decides on one copy and then lets this run.
 */
struct kh_uargs {
	const register_t	*slot;
	bool			p32;	/* netbsd32, linux32: 32-bit pointers */
};

static const void *
kh_uarg(const struct kh_uargs *ua, int i)
{
	uint32_t w;

	if (!ua->p32)
		return (const void *)(uintptr_t)ua->slot[i];
	memcpy(&w, &ua->slot[i], sizeof(w));
	return (const void *)(uintptr_t)w;
}

static void
kh_stock_reread_native(int code, const void *uap, bool p32)
{
	struct kh_uargs ua = { uap, p32 };
	struct { const void *datum; } a[6];
	const struct sys_sendmsg_args *sm = uap;
	struct msghdr msg;
	int i;

	for (i = 0; i < 6; i++)
		a[i].datum = kh_uarg(&ua, i);

	switch (code) {
	case SYS_openat: case SYS_unlinkat: case SYS_mkdirat:
	case SYS_fchmodat: case SYS_fchownat: case SYS_readlinkat:
	case SYS_faccessat: case SYS_fstatat:
		kh_reread_str(a[1].datum, kh_act.s1);
		break;
	case SYS_rename: case SYS_link:
		kh_reread_str(a[0].datum, kh_act.s1);
		kh_reread_str(a[1].datum, kh_act.s2);
		break;
	case SYS_symlink:
		kh_reread_str(a[1].datum, kh_act.s1);
		kh_reread_str(a[0].datum, kh_act.s2);
		break;
	case SYS_renameat:
		kh_reread_str(a[1].datum, kh_act.s1);
		kh_reread_str(a[3].datum, kh_act.s2);
		break;
	case SYS___mount50:
		kh_reread_str(a[1].datum, kh_act.s1);
		kh_reread_str(a[0].datum, kh_act.s2);
		break;
	case SYS_execve:
		kh_reread_str(a[0].datum, kh_act.s1);
		kh_reread_argv(a[1].datum);
		break;
	case SYS_connect: case SYS_bind:
		kh_reread_sa(a[1].datum, (size_t)((const register_t *)uap)[2]);
		break;
	case SYS_sendto:
		kh_reread_sa(a[4].datum, (size_t)((const register_t *)uap)[5]);
		break;
	case SYS_sendmsg:
		if (copyin(SCARG(sm, msg), &msg, sizeof(msg)) == 0)
			kh_reread_sa(msg.msg_name, msg.msg_namelen);
		break;
	case SYS_kill: case SYS___socket30: case SYS_ptrace:
		break;
	default:
		kh_reread_str(a[0].datum, kh_act.s1);
		break;
	}
}

static int
kh_stock(struct lwp *l, const void *uap, register_t *rv)
{
	int code = (int)(l->l_sysent - l->l_proc->p_emul->e_sysent);

	kh_act.n++;
	kh_act.stock_code = code;
	kh_strlcpy(kh_act.what, "stock", sizeof(kh_act.what));
	/* Compat numbering: only the calls the tests race through compat. */
	if (l->l_proc->p_emul == &emul_linux && code == LINUX_SYS_connect)
		code = SYS_connect;
	else if (l->l_proc->p_emul == &emul_linux && code == LINUX_SYS_open)
		code = SYS_open;
	if (kh_stock_reread)
		kh_stock_reread_native(code, uap,
		    l->l_proc->p_emul == &emul_netbsd32 ||
		    l->l_proc->p_emul == &emul_linux32);
	*rv = 0;
	return 0;
}

static struct sysent kh_sysent[4][KH_NSYSENT];
struct emul emul_netbsd = { "netbsd", kh_sysent[0] };
struct emul emul_netbsd32 = { "netbsd32", kh_sysent[1] };
struct emul emul_linux = { "linux", kh_sysent[2] };
struct emul emul_linux32 = { "linux32", kh_sysent[3] };

__attribute__((constructor)) static void
kh_sysent_init(void)
{
	int e, i;

	for (e = 0; e < 4; e++)
		for (i = 0; i < KH_NSYSENT; i++)
			kh_sysent[e][i].sy_call = kh_stock;
}

/* The stock handler of the current emulation, whatever is installed now. */
int
kh_syscall_stock(struct lwp *l, int code, const void *uap, register_t *rv)
{
	int error;

	kh_curlwp = l;
	l->l_sysent = &l->l_proc->p_emul->e_sysent[code];
	error = kh_stock(l, uap, rv);
	l->l_sysent = NULL;
	return error;
}

extern int (*const kh_modcmd_secmodel_policy)(modcmd_t, void *);

int
kh_module_cmd(modcmd_t cmd)
{
	return kh_modcmd_secmodel_policy(cmd, NULL);
}

void
kh_module(modcmd_t cmd)
{
	int error = kh_module_cmd(cmd);

	if (error != 0) {
		fprintf(stderr, "module command %d: error %d\n", (int)cmd, error);
		kh_panic("module command failed", __FILE__, __LINE__);
	}
}
