/* policy_linux_net.c: connect, bind, sendto, sendmsg, sendmmsg and listen: the target's socket
 * is taken with pidfd_getfd and the call is made on it with the copied address and data. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/un.h>

#include "policy_linux.h"

#define DATA_MAX	(1u << 20)	/* bytes one send may carry */
#define CTL_MAX		(64u * 1024)
#define MMSG_MAX	1024

int
policy_linux_sockaddr_str(const void *sa, size_t len, char *buf, size_t cap)
{
	sa_family_t fam;
	char a[INET6_ADDRSTRLEN];

	if (len < sizeof(fam))
		return -EINVAL;
	memcpy(&fam, sa, sizeof(fam));
	switch (fam) {
	case AF_INET: {
		struct sockaddr_in in;

		if (len < sizeof(in))
			return -EINVAL;
		memcpy(&in, sa, sizeof(in));
		inet_ntop(AF_INET, &in.sin_addr, a, sizeof(a));
		snprintf(buf, cap, "inet-%s:%u", a, ntohs(in.sin_port));
		return 0;
	}
	case AF_INET6: {
		struct sockaddr_in6 in6;

		if (len < sizeof(in6))
			return -EINVAL;
		memcpy(&in6, sa, sizeof(in6));
		/* an IPv4-mapped address reaches that IPv4 host: one spelling,
		 * so that inet- rules cover it */
		if (IN6_IS_ADDR_V4MAPPED(&in6.sin6_addr)) {
			inet_ntop(AF_INET, &in6.sin6_addr.s6_addr[12], a,
			    sizeof(a));
			snprintf(buf, cap, "inet-%s:%u", a,
			    ntohs(in6.sin6_port));
			return 0;
		}
		inet_ntop(AF_INET6, &in6.sin6_addr, a, sizeof(a));
		snprintf(buf, cap, "inet6-[%s]:%u", a, ntohs(in6.sin6_port));
		return 0;
	}
	case AF_UNIX: {
		const unsigned char *p = (const unsigned char *)sa +
		    offsetof(struct sockaddr_un, sun_path);
		size_t n = len - offsetof(struct sockaddr_un, sun_path), i, j;

		if (len > sizeof(struct sockaddr_un))
			return -EINVAL;
		if (cap < sizeof("unix-@"))
			return -ENAMETOOLONG;
		if (n == 0) {
			snprintf(buf, cap, "unix-");
			return 0;
		}
		j = (size_t)snprintf(buf, cap, "unix-%s", p[0] ? "" : "@");
		if (p[0] == 0) {
			/* abstract: every byte of the name counts (NULs too,
			 * to its length), so each is spelt one way: bytes
			 * outside ' '..'~', and '%', as %XX */
			for (i = 1; i < n; i++) {
				if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '%') {
					if (j + 1 >= cap)
						return -ENAMETOOLONG;
					buf[j++] = (char)p[i];
				} else {
					if (j + 3 >= cap)
						return -ENAMETOOLONG;
					j += (size_t)snprintf(buf + j, cap - j,
					    "%%%02X", p[i]);
				}
			}
			buf[j] = '\0';
			return 0;
		}
		/* a path, as given (the supervisor decides on the path it
		 * resolves instead) */
		for (i = 0; i < n && p[i] != 0; i++) {
			if (j + 1 >= cap)
				return -ENAMETOOLONG;
			buf[j++] = p[i] < 0x20 || p[i] >= 0x7f ? '?' :
			    (char)p[i];
		}
		buf[j] = '\0';
		return 0;
	}
	case AF_UNSPEC:
		snprintf(buf, cap, "unspec-");
		return 0;
	default:
		snprintf(buf, cap, "af%u-", (unsigned)fam);
		return 0;
	}
}

/*
 * A copied destination: the address the call will use (rewritten to our own
 * fd for a unix path) and the string the policy decides on, of any length
 * (a unix path is resolved, and may be longer than PATH_MAX when it was
 * relative; an abstract name spells its bytes).
 */
/* The domain of the socket the call names (its first argument), or -1. */
static int
policy_linux_sock_domain(struct policy_linux_call *c)
{
	int fd = policy_linux_getfd(c->c_tid, (int)c->c_args[0]), dom = -1;
	socklen_t l = sizeof(dom);

	if (fd < 0)
		return -1;
	if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &dom, &l) != 0)
		dom = -1;
	close(fd);
	return dom;
}

struct policy_linux_dest {
	struct sockaddr_storage	d_ss;
	socklen_t		d_len;
	char			*d_str;	/* malloc'd */
	struct policy_linux_walk d_w;	/* unix path: the resolved socket */
	int			d_bind;	/* bind: create d_w.w_last in w_dirfd */
};

/* d_str = "unix-" a [ "/" ] b, for a path of any length. */
static int
policy_linux_dest_path(struct policy_linux_dest *d, const char *a,
    const char *b)
{
	const char *sep = b == NULL ? "" : strcmp(a, "/") == 0 ? "" : "/";
	size_t n = 5 + strlen(a) + strlen(sep) + (b ? strlen(b) : 0) + 1;

	if ((d->d_str = malloc(n)) == NULL)
		return -ENOMEM;
	snprintf(d->d_str, n, "unix-%s%s%s", a, sep, b ? b : "");
	return 0;
}

static int
policy_linux_dest(struct policy_linux_call *c, uint64_t addr, uint64_t len,
    struct policy_linux_dest *d, int bind)
{
	struct sockaddr_un *un = (struct sockaddr_un *)&d->d_ss;
	char path[sizeof(un->sun_path) + 1];
	/* "unix-@" and each byte of an abstract name as %XX at most */
	char str[sizeof("unix-@") + 3 * sizeof(un->sun_path)];
	size_t plen;
	int r, start;

	memset(d, 0, sizeof(*d));
	policy_linux_walk_init(&d->d_w);
	d->d_bind = bind;
	if (len > sizeof(d->d_ss) || len < sizeof(sa_family_t))
		return -EINVAL;
	if ((r = policy_linux_read(c->c_tid, addr, &d->d_ss, len)) != 0)
		return r;
	d->d_len = (socklen_t)len;
	if (d->d_ss.ss_family != AF_UNIX ||
	    len <= offsetof(struct sockaddr_un, sun_path) ||
	    un->sun_path[0] == 0) {
		if ((r = policy_linux_sockaddr_str(&d->d_ss, len, str,
		    sizeof(str))) != 0)
			return r;
		return (d->d_str = strdup(str)) == NULL ? -ENOMEM : 0;
	}
	if (len > sizeof(*un))
		return -EINVAL;
	/* A local address for a socket of another family is no path to it
	 * (the kernel refuses it: EAFNOSUPPORT): passed on as it is. */
	if (policy_linux_sock_domain(c) != AF_UNIX) {
		if ((r = policy_linux_sockaddr_str(&d->d_ss, len, str,
		    sizeof(str))) != 0)
			return r;
		return (d->d_str = strdup(str)) == NULL ? -ENOMEM : 0;
	}
	/* A path: resolve it as the target would, from its cwd. */
	plen = len - offsetof(struct sockaddr_un, sun_path);
	memcpy(path, un->sun_path, plen);
	path[plen] = '\0';
	if ((start = policy_linux_startfd(c->c_sup, c->c_tid, AT_FDCWD,
	    path)) < 0)
		return start;
	if (!policy_linux_recheck(c->c_sup, c->c_id)) {
		close(start);
		return -ESRCH;
	}
	r = policy_linux_walk(c, start, path, bind ? PLW_PARENT | PLW_NOFOLLOW :
	    PLW_MUSTEXIST, &d->d_w);
	close(start);
	if (r != 0)
		return r == -ENOENT && !bind ? -ENOENT : r;
	if (bind) {
		if (d->d_w.w_fd >= 0)
			return -EADDRINUSE;
		return policy_linux_dest_path(d, d->d_w.w_dirpath,
		    d->d_w.w_last);
	}
	if (!S_ISSOCK(d->d_w.w_st.st_mode))
		return -ECONNREFUSED;
	if ((r = policy_linux_dest_path(d, d->d_w.w_path, NULL)) != 0)
		return r;
	/* connect to the very inode decided on, through our fd */
	memset(un, 0, sizeof(*un));
	un->sun_family = AF_UNIX;
	snprintf(un->sun_path, sizeof(un->sun_path), "/proc/self/fd/%d",
	    d->d_w.w_fd);
	d->d_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    strlen(un->sun_path) + 1);
	return 0;
}

/* A copied message and the socket to send it on. */
struct policy_linux_send {
	const struct policy_sup *m_sup;
	uint64_t	m_id;
	int		m_sock;
	int		m_flags;
	int		m_connect;	/* connect rather than send */
	struct policy_linux_dest m_dest;
	int		m_hasdest;
	char		*m_data;
	size_t		m_len;
	char		*m_ctl;
	size_t		m_ctllen;
	int		*m_fds;		/* our copies of SCM_RIGHTS fds */
	size_t		m_nfds;
	int		m_hascred;	/* act with m_cred (the target's) */
	struct policy_linux_cred m_cred;
};

static void
policy_linux_send_free(struct policy_linux_send *m)
{
	size_t i;

	if (m->m_sock >= 0)
		close(m->m_sock);
	for (i = 0; i < m->m_nfds; i++)
		close(m->m_fds[i]);
	policy_linux_walk_done(&m->m_dest.d_w);
	free(m->m_dest.d_str);
	free(m->m_fds);
	free(m->m_data);
	free(m->m_ctl);
	free(m);
}

static int64_t
policy_linux_send_do(struct policy_linux_send *m, int *err)
{
	struct msghdr mh;
	struct iovec iov;
	ssize_t n;

	*err = 0;
	/* the kernel checks the acting thread's credentials (connect to a
	 * unix socket: write permission; bind below 1024, ...) */
	if (m->m_hascred &&
	    policy_linux_cred_apply(m->m_sup, &m->m_cred, 0) != 0) {
		*err = EPERM;
		return 0;
	}
	if (m->m_connect) {
		if (connect(m->m_sock, (struct sockaddr *)&m->m_dest.d_ss,
		    m->m_dest.d_len) != 0)
			*err = errno;
		return 0;
	}
	memset(&mh, 0, sizeof(mh));
	iov.iov_base = m->m_data;
	iov.iov_len = m->m_len;
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	if (m->m_hasdest) {
		mh.msg_name = &m->m_dest.d_ss;
		mh.msg_namelen = m->m_dest.d_len;
	}
	mh.msg_control = m->m_ctllen ? m->m_ctl : NULL;
	mh.msg_controllen = m->m_ctllen;
	n = sendmsg(m->m_sock, &mh, m->m_flags | MSG_NOSIGNAL);
	if (n < 0) {
		*err = errno;
		return 0;
	}
	return n;
}

static void
policy_linux_send_job(void *arg)
{
	struct policy_linux_send *m = arg;
	int err;
	int64_t n = policy_linux_send_do(m, &err);

	policy_linux_reply(m->m_sup, m->m_id, n, err);
	policy_linux_send_free(m);
}

/* Would the operation block?  Then it runs on a worker thread. */
static bool
policy_linux_may_block(const struct policy_linux_send *m)
{
	int fl = fcntl(m->m_sock, F_GETFL);

	return fl >= 0 && !(fl & O_NONBLOCK) && !(m->m_flags & MSG_DONTWAIT);
}

/* Copy the msghdr at addr: iovecs gathered into one buffer, SCM_RIGHTS fds
 * duplicated from the target.  Returns 0 or -errno. */
static int
policy_linux_copy_msg(struct policy_linux_call *c, uint64_t addr,
    struct policy_linux_send *m)
{
	struct msghdr mh;
	struct iovec *iov = NULL;
	size_t i, total = 0, off = 0;
	int r;

	if ((r = policy_linux_read(c->c_tid, addr, &mh, sizeof(mh))) != 0)
		return r;
	if (mh.msg_iovlen > IOV_MAX)
		return -EMSGSIZE;
	if (mh.msg_name != NULL && mh.msg_namelen > 0) {
		if ((r = policy_linux_dest(c, (uintptr_t)mh.msg_name,
		    mh.msg_namelen, &m->m_dest, 0)) != 0)
			return r;
		m->m_hasdest = 1;
	}
	if (mh.msg_iovlen > 0) {
		if ((iov = calloc(mh.msg_iovlen, sizeof(*iov))) == NULL)
			return -ENOMEM;
		if ((r = policy_linux_read(c->c_tid, (uintptr_t)mh.msg_iov, iov,
		    mh.msg_iovlen * sizeof(*iov))) != 0)
			goto out;
	}
	for (i = 0; i < mh.msg_iovlen; i++) {
		if (iov[i].iov_len > DATA_MAX - total) {
			r = -EMSGSIZE;
			goto out;
		}
		total += iov[i].iov_len;
	}
	if ((m->m_data = malloc(total ? total : 1)) == NULL) {
		r = -ENOMEM;
		goto out;
	}
	for (i = 0; i < mh.msg_iovlen; i++) {
		if ((r = policy_linux_read(c->c_tid, (uintptr_t)iov[i].iov_base,
		    m->m_data + off, iov[i].iov_len)) != 0)
			goto out;
		off += iov[i].iov_len;
	}
	m->m_len = total;
	if (mh.msg_control != NULL && mh.msg_controllen > 0) {
		struct msghdr tmp;
		struct cmsghdr *cm;

		if (mh.msg_controllen > CTL_MAX) {
			r = -ENOBUFS;
			goto out;
		}
		if ((m->m_ctl = malloc(mh.msg_controllen)) == NULL) {
			r = -ENOMEM;
			goto out;
		}
		if ((r = policy_linux_read(c->c_tid, (uintptr_t)mh.msg_control,
		    m->m_ctl, mh.msg_controllen)) != 0)
			goto out;
		m->m_ctllen = mh.msg_controllen;
		memset(&tmp, 0, sizeof(tmp));
		tmp.msg_control = m->m_ctl;
		tmp.msg_controllen = m->m_ctllen;
		for (cm = CMSG_FIRSTHDR(&tmp); cm != NULL;
		    cm = CMSG_NXTHDR(&tmp, cm)) {
			size_t nfd, k;
			int *fds;

			if (cm->cmsg_level != SOL_SOCKET)
				continue;
			/* our credentials would be sent, not the target's */
			if (cm->cmsg_type == SCM_CREDENTIALS) {
				r = -EPERM;
				goto out;
			}
			if (cm->cmsg_type != SCM_RIGHTS ||
			    cm->cmsg_len < CMSG_LEN(0))
				continue;
			nfd = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
			fds = (int *)CMSG_DATA(cm);
			m->m_fds = realloc(m->m_fds, (m->m_nfds + nfd) *
			    sizeof(int) + 1);
			if (m->m_fds == NULL) {
				m->m_nfds = 0;
				r = -ENOMEM;
				goto out;
			}
			for (k = 0; k < nfd; k++) {
				int tfd, ours;

				memcpy(&tfd, &fds[k], sizeof(tfd));
				if ((ours = policy_linux_getfd(c->c_tid, tfd)) < 0) {
					r = ours;
					goto out;
				}
				m->m_fds[m->m_nfds++] = ours;
				memcpy(&fds[k], &ours, sizeof(ours));
			}
		}
	}
	r = 0;
out:
	free(iov);
	return r;
}

/*
 * Decide the call, with d's address as its sockaddr when hasdest: 0 or the
 * errno.  One longer than the request's buffer is noted for the decision,
 * which is then made on all of it (policy_eval_long).
 */
static int
policy_linux_net_decide(struct policy_linux_call *c, unsigned op,
    const char *addr)
{
	int err, noted = 0;

	policy_linux_req(c, op);
	if (addr != NULL) {
		policy_request_set_str(&c->c_req, POLICY_F_SOCKADDR, addr);
		if (strlen(addr) >= POLICY_SOCKADDR_MAX) {
			if (policy_linux_long_note(c, addr) != 0)
				return ENAMETOOLONG;
			noted = 1;
		}
	}
	err = policy_linux_decide(c);
	if (noted)
		policy_linux_long_forget(c, addr);
	return err;
}

/*
 * bind(sock, NAME) with NAME in the directory dirfd, the length the kernel
 * takes (up to all of sun_path, unterminated), with umask mask, run from
 * that directory: "/proc/self/fd/N/NAME" would not fit sun_path for the
 * longest names.  The thread's cwd and umask are its own for that
 * (unshared once, before either changes); both are restored.
 */
static int
policy_linux_bind_at(const struct policy_sup *s, int sock, int dirfd,
    const char *name, mode_t mask)
{
	static __thread int fs_own;
	struct sockaddr_un un;
	size_t n = strlen(name);
	mode_t old;
	int here, err = 0;

	if (n > sizeof(un.sun_path))
		return ENAMETOOLONG;
	if (!fs_own) {
		if (unshare(CLONE_FS) != 0)
			return errno;
		fs_own = 1;
	}
	if ((here = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		return errno;
	memset(&un, 0, sizeof(un));
	un.sun_family = AF_UNIX;
	memcpy(un.sun_path, name, n);
	old = umask(mask);
	if (fchdir(dirfd) != 0)
		err = errno;
	else if (bind(sock, (struct sockaddr *)&un, (socklen_t)(offsetof(
	    struct sockaddr_un, sun_path) + n + (n < sizeof(un.sun_path)))) != 0)
		err = errno;
	umask(old);
	if (fchdir(here) != 0) {
		/* the caller's credentials may not search our directory */
		policy_linux_as_self(s);
		(void)fchdir(here);
	}
	close(here);
	return err;
}

static void
policy_linux_bind(struct policy_linux_call *c, int sock,
    struct policy_linux_dest *d)
{
	const struct policy_sup *s = c->c_sup;
	int err = 0;

	if (d->d_w.w_dirfd >= 0) {
		/*
		 * Create the name in the directory decided on, reached
		 * through our descriptor of it; the caller runs with the
		 * target's credentials, and the target's umask gives the
		 * socket its mode.
		 */
		err = policy_linux_bind_at(s, sock, d->d_w.w_dirfd,
		    d->d_w.w_last, (mode_t)policy_linux_call_umask(c));
	} else if (bind(sock, (struct sockaddr *)&d->d_ss, d->d_len) != 0)
		err = errno;
	policy_linux_reply(s, c->c_id, 0, err);
}

void
policy_linux_net(struct policy_linux_call *c, unsigned op)
{
	const struct policy_sup *s = c->c_sup;
	struct policy_linux_send *m;
	const char *n = c->c_name;
	int r, err = 0, isbind = op == POLICY_OP_BIND;

	/* sendto without an address reads nothing the decision needs: the
	 * kernel may run it as made (its registers cannot change). */
	if (strcmp(n, "sendto") == 0 && c->c_args[4] == 0) {
		policy_linux_req(c, op);
		if ((err = policy_linux_decide(c)) != 0)
			policy_linux_reply(s, c->c_id, 0, err);
		else
			policy_linux_continue(s, c->c_id);
		return;
	}
	if (strcmp(n, "sendmmsg") == 0) {
		/* Each message is copied and sent in turn, like the kernel's
		 * loop; msg_len of each is written back. */
		uint64_t vec = c->c_args[1];
		unsigned vlen = (unsigned)c->c_args[2], i, sent = 0;
		int sock, fl = (int)c->c_args[3];

		if (vlen > MMSG_MAX)
			vlen = MMSG_MAX;
		if ((sock = policy_linux_getfd(c->c_tid, (int)c->c_args[0])) < 0) {
			policy_linux_reply(s, c->c_id, 0, -sock);
			return;
		}
		for (i = 0; i < vlen; i++) {
			struct policy_linux_send *mm = calloc(1, sizeof(*mm));
			int64_t nb;
			unsigned len;

			if (mm == NULL) {
				err = ENOMEM;
				break;
			}
			mm->m_sock = -1;
			policy_linux_walk_init(&mm->m_dest.d_w);
			r = policy_linux_copy_msg(c, vec + i *
			    sizeof(struct mmsghdr), mm);
			if (r == 0 && !policy_linux_recheck(s, c->c_id))
				r = -ESRCH;
			if (r == 0)
				r = -policy_linux_net_decide(c, op,
				    mm->m_hasdest ? mm->m_dest.d_str : NULL);
			if (r == 0)
				r = policy_linux_as_target(c, 0);
			if (r == 0) {
				mm->m_sock = sock;
				mm->m_flags = (fl & ~MSG_WAITFORONE) | MSG_DONTWAIT;
				nb = policy_linux_send_do(mm, &err);
				mm->m_sock = -1;
				r = -err;
			}
			policy_linux_send_free(mm);
			if (r != 0) {
				err = -r;
				break;
			}
			len = (unsigned)nb;
			(void)policy_linux_write_result(c, vec + i *
			    sizeof(struct mmsghdr) + offsetof(struct mmsghdr,
			    msg_len), &len, sizeof(len));
			sent++;
		}
		close(sock);
		policy_linux_reply(s, c->c_id, sent, sent ? 0 : err);
		return;
	}

	if ((m = calloc(1, sizeof(*m))) == NULL) {
		policy_linux_reply(s, c->c_id, 0, ENOMEM);
		return;
	}
	m->m_sup = s;
	m->m_id = c->c_id;
	m->m_sock = -1;
	policy_linux_walk_init(&m->m_dest.d_w);
	if (op == POLICY_OP_CONNECT || isbind) {
		r = policy_linux_dest(c, c->c_args[1], c->c_args[2], &m->m_dest,
		    isbind);
		m->m_hasdest = 1;
		m->m_connect = !isbind;
	} else if (op == POLICY_OP_SENDTO) {
		size_t len = c->c_args[2];

		m->m_flags = (int)c->c_args[3];
		r = policy_linux_dest(c, c->c_args[4], c->c_args[5], &m->m_dest, 0);
		m->m_hasdest = 1;
		if (r == 0 && len > DATA_MAX)
			r = -EMSGSIZE;
		if (r == 0 && (m->m_data = malloc(len ? len : 1)) == NULL)
			r = -ENOMEM;
		if (r == 0)
			r = policy_linux_read(c->c_tid, c->c_args[1], m->m_data, len);
		m->m_len = len;
	} else {
		m->m_flags = (int)c->c_args[2];
		r = policy_linux_copy_msg(c, c->c_args[1], m);
	}
	if (r == 0) {
		m->m_sock = policy_linux_getfd(c->c_tid, (int)c->c_args[0]);
		if (m->m_sock < 0)
			r = m->m_sock;
	}
	if (r == 0 && !policy_linux_recheck(s, c->c_id))
		r = -ESRCH;
	if (r != 0) {
		policy_linux_reply(s, c->c_id, 0, -r);
		policy_linux_send_free(m);
		return;
	}
	if ((err = policy_linux_net_decide(c, op, m->m_hasdest ?
	    m->m_dest.d_str : NULL)) != 0) {
		policy_linux_reply(s, c->c_id, 0, err);
		policy_linux_send_free(m);
		return;
	}
	if ((r = policy_linux_call_cred(c)) != 0) {
		policy_linux_reply(s, c->c_id, 0, EPERM);
		policy_linux_send_free(m);
		return;
	}
	memcpy(&m->m_cred, &c->c_cred, sizeof(m->m_cred));
	m->m_hascred = 1;
	if (isbind) {
		if ((r = policy_linux_as_target(c, 0)) != 0)
			policy_linux_reply(s, c->c_id, 0, -r);
		else
			policy_linux_bind(c, m->m_sock, &m->m_dest);
		policy_linux_send_free(m);
		return;
	}
	if (policy_linux_may_block(m) && policy_linux_defer(
	    policy_linux_send_job, m) == 0)
		return;
	policy_linux_send_job(m);
}

/*
 * listen(2) on an inet socket with no port binds it first, to a port of
 * the kernel's choosing on its address (every address, unless it was
 * bound with IP_BIND_ADDRESS_NO_PORT): a server no bind was asked for.
 * So it is decided as that bind too, as bind(2) of the same address and
 * port 0 would be ("inet-0.0.0.0:0", "inet6-[::]:0"); a connect or send
 * that binds an unbound socket is a client's and is theirs (a UNIX
 * socket's listen binds nothing: EINVAL).  By name first.  Made
 * on our copy of the socket, so that the socket checked is the one that
 * listens (the target's fd number may name another by then).  Binding is
 * one way: a socket found bound stays bound.
 */
void
policy_linux_listen(struct policy_linux_call *c)
{
	const struct policy_sup *s = c->c_sup;
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss), l;
	char addr[sizeof("inet6-[]:65535") + INET6_ADDRSTRLEN];
	int sock, dom = -1, type = -1, err = 0, unbound = 0;

	/* first as itself, by name */
	policy_linux_req(c, POLICY_OP_SYSCALL);
	if ((err = policy_linux_decide(c)) != 0) {
		policy_linux_reply(s, c->c_id, 0, err);
		return;
	}
	if ((sock = policy_linux_getfd(c->c_tid, (int)c->c_args[0])) < 0) {
		policy_linux_reply(s, c->c_id, 0, -sock);
		return;
	}
	memset(&ss, 0, sizeof(ss));
	l = sizeof(dom);
	(void)getsockopt(sock, SOL_SOCKET, SO_DOMAIN, &dom, &l);
	l = sizeof(type);
	(void)getsockopt(sock, SOL_SOCKET, SO_TYPE, &type, &l);
	if ((type == SOCK_STREAM || type == SOCK_SEQPACKET) &&
	    getsockname(sock, (struct sockaddr *)&ss, &len) == 0) {
		if (dom == AF_INET)
			unbound = ((struct sockaddr_in *)&ss)->sin_port == 0;
		else if (dom == AF_INET6)
			unbound = ((struct sockaddr_in6 *)&ss)->sin6_port == 0;
	}
	/* its address (the wildcard, or one bound with
	 * IP_BIND_ADDRESS_NO_PORT) and port 0, the kernel's choice */
	if (unbound && (err = -policy_linux_sockaddr_str(&ss, len, addr,
	    sizeof(addr))) == 0)
		err = policy_linux_net_decide(c, POLICY_OP_BIND, addr);
	if (err == 0 && listen(sock, (int)c->c_args[1]) != 0)
		err = errno;
	close(sock);
	policy_linux_reply(s, c->c_id, 0, err);
}
