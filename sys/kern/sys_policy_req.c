/* sys_policy_req.c: turns arguments copied in from a confined process into request fields:
 * paths (once, made absolute and normalised), argv (bounded), sockaddrs, open flags. */
#include <sys/param.h>
#include <sys/types.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/proc.h>
#include <sys/socket.h>
#include <sys/mbuf.h>
#include <sys/un.h>
#include <netinet/in.h>

#include "sys_policy.h"

void
policy_req_str(struct policy_request *req, unsigned field, const char *s,
    size_t len)
{
	static const size_t cap[POLICY_F_NSTR] = {
		POLICY_PATH_MAX, POLICY_PATH_MAX, POLICY_SOCKADDR_MAX,
		POLICY_ARGV_MAX, POLICY_SYSCALL_MAX
	};
	char *dst[POLICY_F_NSTR] = {
		req->pr_filename, req->pr_filename2, req->pr_sockaddr,
		req->pr_argv, req->pr_syscall
	};

	KASSERT(field < POLICY_F_NSTR);
	KASSERT(len < cap[field]);
	if (len >= cap[field])		/* cannot happen: never overflow */
		len = cap[field] - 1;
	if (dst[field] != s)
		memmove(dst[field], s, len);
	dst[field][len] = '\0';
	req->pr_len[field] = (uint32_t)len;
	req->pr_present |= 1u << field;
}

void
policy_req_int(struct policy_request *req, unsigned field, int64_t v)
{
	KASSERT(field >= POLICY_F_NSTR && field < POLICY_F_COUNT);
	req->pr_int[field - POLICY_F_NSTR] = v;
	req->pr_present |= 1u << field;
}

/*
 * Lexically normalise path against dir (an absolute, normalised directory;
 * ignored when path is absolute) into out: no ".", "..", empty components or
 * trailing slash.  dir may be out itself.  ENAMETOOLONG if it does not fit,
 * ENOENT for an empty path, as namei would say.
 */
int
policy_path_normalize(const char *dir, const char *path, char *out,
    size_t outlen)
{
	size_t len = 0, i = 0, n;

	if (path[0] == '\0')
		return ENOENT;
	if (path[0] != '/') {
		n = strlen(dir);
		if (n >= outlen)
			return ENAMETOOLONG;
		if (dir != out)
			memmove(out, dir, n);
		len = (n == 1 && out[0] == '/') ? 0 : n;
	}
	while (path[i] != '\0') {
		while (path[i] == '/')
			i++;
		for (n = 0; path[i + n] != '\0' && path[i + n] != '/'; n++)
			continue;
		if (n == 0 || (n == 1 && path[i] == '.')) {
			/* nothing */
		} else if (n == 2 && path[i] == '.' && path[i + 1] == '.') {
			while (len > 0 && out[len - 1] != '/')
				len--;
			if (len > 0)
				len--;
		} else {
			if (len + 1 + n >= outlen)
				return ENAMETOOLONG;
			out[len++] = '/';
			memmove(out + len, path + i, n);
			len += n;
		}
		i += n;
	}
	if (len == 0)
		out[len++] = '/';
	out[len] = '\0';
	return 0;
}

int
policy_fetch_native(const void *array, size_t index, const void **elemp)
{
	const void *const *a = array;

	return copyin(a + index, elemp, sizeof(*elemp));
}

/*
 * Copy argv in: each element pointer read once, each string copied once
 * into pc_args; the request gets them joined with single spaces.  More than
 * the request can hold is E2BIG: a policy must see the whole argv.
 */
int
policy_copyin_argv(struct policy_call *pc, const void *uargv,
    policy_fetch_t fetch)
{
	struct policy_request *req = &pc->pc_req;
	size_t off = 0, done, i;
	const void *up;
	int error;

	for (i = 0;; i++) {
		if ((error = (*fetch)(uargv, i, &up)) != 0)
			return error;
		if (up == NULL)
			break;
		if (i == POLICY_ARGC_MAX || off == sizeof(pc->pc_args))
			return E2BIG;
		error = copyinstr(up, pc->pc_args + off,
		    sizeof(pc->pc_args) - off, &done);
		if (error == ENAMETOOLONG)
			return E2BIG;
		if (error != 0)
			return error;
		pc->pc_argp[i] = pc->pc_args + off;
		off += done;
	}
	pc->pc_argp[i] = NULL;
	pc->pc_argc = i;
	if (off == 0) {
		policy_req_str(req, POLICY_F_ARGV, "", 0);
		return 0;
	}
	memcpy(req->pr_argv, pc->pc_args, off);
	for (i = 0; i + 1 < off; i++)
		if (req->pr_argv[i] == '\0')
			req->pr_argv[i] = ' ';
	policy_req_str(req, POLICY_F_ARGV, req->pr_argv, off - 1);
	return 0;
}

/*
 * A sockaddr copied in once, checked and adjusted as the kernel's
 * sockargs() does (so the decision is on what the socket layer gets):
 * 3 to 255 bytes; a family of 0 with a small length byte is the old
 * 4.3BSD form whose length byte is the family.
 */
int
policy_copyin_sockaddr(struct policy_call *pc, const void *uname,
    size_t namelen)
{
	int error;

	if (namelen > UCHAR_MAX || namelen <= 2 || namelen > sizeof(pc->pc_sa))
		return EINVAL;
	if ((error = copyin(uname, &pc->pc_sa, namelen)) != 0)
		return error;
	if (pc->pc_sa.sb_family == 0 && pc->pc_sa.sb_len < AF_MAX)
		pc->pc_sa.sb_family = pc->pc_sa.sb_len;
	pc->pc_sa.sb_len = (uint8_t)namelen;
	return policy_req_sockaddr(pc);
}

static size_t
policy_fmt_u(char *buf, unsigned v, unsigned base)
{
	char tmp[12];
	size_t n = 0, i;

	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v != 0);
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	return n;
}

static size_t
policy_fmt_in4(char *buf, const uint8_t *a)
{
	size_t n = 0;
	int i;

	for (i = 0; i < 4; i++) {
		if (i > 0)
			buf[n++] = '.';
		n += policy_fmt_u(buf + n, a[i], 10);
	}
	return n;
}

/* The textual form inet_ntop gives (RFC 5952), for identical decisions. */
static size_t
policy_fmt_in6(char *buf, const uint8_t *a)
{
	unsigned w[8];
	int i, best = -1, bestlen = 1, run = 0;
	size_t n = 0;

	for (i = 0; i < 8; i++)
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	for (i = 0; i < 8; i++) {
		run = w[i] == 0 ? run + 1 : 0;
		if (run > bestlen) {
			bestlen = run;
			best = i - run + 1;
		}
	}
	for (i = 0; i < 8; i++) {
		if (i == best) {
			buf[n++] = ':';
			if (i == 0)
				buf[n++] = ':';
			i += bestlen - 1;
			continue;
		}
		if (i == 6 && best == 0 && (bestlen == 6 ||
		    (bestlen == 5 && w[5] == 0xffff))) {
			n += policy_fmt_in4(buf + n, a + 12);
			break;
		}
		n += policy_fmt_u(buf + n, w[i], 16);
		if (i < 7)
			buf[n++] = ':';
	}
	return n;
}

int
policy_req_sockaddr(struct policy_call *pc)
{
	return policy_req_sockaddr_fmt(&pc->pc_req, &pc->pc_sa,
	    pc->pc_sa.sb_len);
}

/*
 * A native sockaddr of len bytes (kernel memory) to the sockaddr and
 * domain fields; the family is read from the sockaddr, not its length byte.
 */
int
policy_req_sockaddr_fmt(struct policy_request *req, const void *sa,
    size_t len)
{
	const struct sockaddr_big *sb = sa;
	const uint8_t *raw = sa;
	char buf[POLICY_SOCKADDR_MAX];
	size_t n = 0, i;
	int64_t dom;

	if (len < offsetof(struct sockaddr, sa_data) || len > sizeof(*sb))
		return EINVAL;
	switch (sb->sb_family) {
	case AF_INET: {
		struct sockaddr_in sin;

		if (len < sizeof(sin))
			return EINVAL;
		memcpy(&sin, sb, sizeof(sin));
		memcpy(buf, "inet-", 5);
		n = 5 + policy_fmt_in4(buf + 5, (const uint8_t *)&sin.sin_addr);
		buf[n++] = ':';
		n += policy_fmt_u(buf + n, ntohs(sin.sin_port), 10);
		dom = POLICY_AF_INET;
		break;
	}
	case AF_INET6: {
		struct sockaddr_in6 sin6;

		if (len < sizeof(sin6))
			return EINVAL;
		memcpy(&sin6, sb, sizeof(sin6));
		memcpy(buf, "inet6-[", 7);
		n = 7 + policy_fmt_in6(buf + 7,
		    (const uint8_t *)&sin6.sin6_addr);
		buf[n++] = ']';
		buf[n++] = ':';
		n += policy_fmt_u(buf + n, ntohs(sin6.sin6_port), 10);
		dom = POLICY_AF_INET6;
		break;
	}
	case AF_LOCAL: {
		size_t p = offsetof(struct sockaddr_un, sun_path);

		if (len > sizeof(struct sockaddr_un))
			return EINVAL;
		memcpy(buf, "unix-", 5);
		n = 5;
		for (i = p; i < len && raw[i] != '\0' &&
		    n + 1 < sizeof(buf); i++)
			buf[n++] = raw[i] < 0x20 || raw[i] >= 0x7f ? '?' :
			    (char)raw[i];
		dom = POLICY_AF_UNIX;
		break;
	}
	case AF_UNSPEC:
		memcpy(buf, "unspec-", 7);
		n = 7;
		dom = POLICY_AF_UNSPEC;
		break;
	default:
		buf[0] = 'a';
		buf[1] = 'f';
		n = 2 + policy_fmt_u(buf + 2, sb->sb_family, 10);
		buf[n++] = '-';
		dom = policy_req_domain(sb->sb_family);
		break;
	}
	policy_req_str(req, POLICY_F_SOCKADDR, buf, n);
	policy_req_int(req, POLICY_F_DOMAIN, dom);
	return 0;
}

int64_t
policy_req_domain(int af)
{
	switch (af) {
	case AF_LOCAL:
		return POLICY_AF_UNIX;
	case AF_INET:
		return POLICY_AF_INET;
	case AF_INET6:
		return POLICY_AF_INET6;
	case AF_UNSPEC:
		return POLICY_AF_UNSPEC;
	default:
		return 1000 + af;	/* no portable name */
	}
}

int64_t
policy_req_socktype(int type)
{
	switch (type & ~(SOCK_CLOEXEC | SOCK_NONBLOCK | SOCK_NOSIGPIPE)) {
	case SOCK_STREAM:
		return POLICY_SOCK_STREAM;
	case SOCK_DGRAM:
		return POLICY_SOCK_DGRAM;
	case SOCK_RAW:
		return POLICY_SOCK_RAW;
	case SOCK_SEQPACKET:
		return POLICY_SOCK_SEQPACKET;
	default:
		return 1000 + (type & 0xff);
	}
}

/* Native open(2) flags to POLICY_O_*; flags without a portable name drop. */
uint32_t
policy_oflags(int f)
{
	static const struct { int nat; uint32_t pol; } map[] = {
		{ O_CREAT, POLICY_O_CREAT }, { O_EXCL, POLICY_O_EXCL },
		{ O_TRUNC, POLICY_O_TRUNC }, { O_APPEND, POLICY_O_APPEND },
		{ O_NONBLOCK, POLICY_O_NONBLOCK },
		{ O_DIRECTORY, POLICY_O_DIRECTORY },
		{ O_NOFOLLOW, POLICY_O_NOFOLLOW },
		{ O_CLOEXEC, POLICY_O_CLOEXEC }, { O_SYNC, POLICY_O_SYNC },
		{ O_NOCTTY, POLICY_O_NOCTTY },
	};
	uint32_t r;
	size_t i;

	/* The invalid access mode (both bits) is decided as read-write. */
	if ((f & O_ACCMODE) == O_RDONLY)
		r = POLICY_O_RDONLY;
	else if ((f & O_ACCMODE) == O_WRONLY)
		r = POLICY_O_WRONLY;
	else
		r = POLICY_O_RDWR;
	for (i = 0; i < __arraycount(map); i++)
		if (f & map[i].nat)
			r |= map[i].pol;
	return r;
}
