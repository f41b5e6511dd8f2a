/* policy_reqtext.c: a request as text: the exact rule an "always" answer becomes, a
 * one-line description for prompts, and a JSON object of its arguments for the log. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "policy_interactive.h"

static const char *
policy_req_str(const struct policy_request *r, unsigned f)
{
	switch (f) {
	case POLICY_F_FILENAME:	return r->pr_filename;
	case POLICY_F_FILENAME2: return r->pr_filename2;
	case POLICY_F_SOCKADDR:	return r->pr_sockaddr;
	case POLICY_F_ARGV:	return r->pr_argv;
	default:		return r->pr_syscall;
	}
}

static bool
policy_req_has(const struct policy_request *r, unsigned f)
{
	return (r->pr_present & (1u << f)) != 0;
}

static int64_t
policy_req_int(const struct policy_request *r, unsigned f)
{
	return r->pr_int[f - POLICY_F_NSTR];
}

const char *
policy_request_opname(const struct policy_request *r)
{
	const char *n;

	if (r->pr_op == POLICY_OP_SYSCALL && policy_req_has(r, POLICY_F_SYSCALL))
		return r->pr_syscall;
	n = policy_name_of(policy_op_names, r->pr_op);
	return n != NULL ? n : "?";
}

/* Appending to a bounded buffer; a full buffer sets ovf. */
struct policy_sb {
	char	*b;
	size_t	cap, n;
	bool	ovf;
};

static void __attribute__((format(printf, 2, 3)))
sb_printf(struct policy_sb *sb, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (sb->n >= sb->cap) {
		sb->ovf = true;
		return;
	}
	va_start(ap, fmt);
	k = vsnprintf(sb->b + sb->n, sb->cap - sb->n, fmt, ap);
	va_end(ap);
	if (k < 0 || (size_t)k >= sb->cap - sb->n) {
		sb->ovf = true;
		sb->n = sb->cap - 1;
	} else
		sb->n += (size_t)k;
}

/* A string operand in the rule language: "..." with \" \\ \n \t. */
static bool
sb_rule_string(struct policy_sb *sb, const char *s)
{
	sb_printf(sb, "\"");
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			sb_printf(sb, "\\%c", c);
		else if (c == '\n')
			sb_printf(sb, "\\n");
		else if (c == '\t')
			sb_printf(sb, "\\t");
		else if (c < 0x20 || c == 0x7f)
			return false;	/* YAML cannot hold it */
		else
			sb_printf(sb, "%c", c);
	}
	sb_printf(sb, "\"");
	return !sb->ovf;
}

/* An integer operand, by name where the language has one. */
static void
sb_int_operand(struct policy_sb *sb, unsigned f, int64_t v)
{
	const struct policy_name *t = NULL;
	const char *n;

	if (f == POLICY_F_SIGNAL) {
		unsigned cnt = 0;

		while (policy_signal_names[cnt].pn_name != NULL)
			cnt++;
		if (v >= 1 && v <= (int64_t)cnt)
			sb_printf(sb, "%s", policy_signal_names[v - 1].pn_name);
		else
			sb_printf(sb, "%lld", (long long)(v > 64 ? v - 64 : v));
		return;
	}
	if (f == POLICY_F_DOMAIN)
		t = policy_domain_names;
	else if (f == POLICY_F_TYPE)
		t = policy_socktype_names;
	if (t != NULL && (n = policy_name_of(t, v)) != NULL)
		sb_printf(sb, "%s", n);
	else
		sb_printf(sb, "%lld", (long long)v);
}

static bool
policy_open_writes(const struct policy_request *r)
{
	int64_t fl = policy_req_has(r, POLICY_F_FLAGS) ?
	    policy_req_int(r, POLICY_F_FLAGS) : 0;

	return (fl & POLICY_O_ACCMODE) != POLICY_O_RDONLY ||
	    (fl & (POLICY_O_CREAT | POLICY_O_TRUNC | POLICY_O_APPEND |
	    POLICY_O_TMPFILE)) != 0;
}

int
policy_request_rule(const struct policy_request *r, unsigned action,
    unsigned perrno, char *buf, size_t cap)
{
	struct policy_sb sb = { buf, cap, 0, false };
	const char *op = policy_request_opname(r);
	bool cond = false, ok = true;

	if (cap == 0)
		return -1;
	buf[0] = '\0';
	switch (r->pr_op) {
	case POLICY_OP_OPEN:
		/* a read the user permits is also fine to stat or access */
		if (action == POLICY_ACT_PERMIT && !policy_open_writes(r))
			op = "fsread";
		/* FALLTHROUGH */
	case POLICY_OP_ACCESS: case POLICY_OP_STAT: case POLICY_OP_READLINK:
	case POLICY_OP_CHDIR: case POLICY_OP_UNLINK: case POLICY_OP_RENAME:
	case POLICY_OP_MKDIR: case POLICY_OP_RMDIR: case POLICY_OP_LINK:
	case POLICY_OP_SYMLINK: case POLICY_OP_CHMOD: case POLICY_OP_CHOWN:
	case POLICY_OP_TRUNCATE: case POLICY_OP_UTIMES: case POLICY_OP_EXECVE:
	case POLICY_OP_MOUNT: case POLICY_OP_UNMOUNT:
		sb_printf(&sb, "%s: ", op);
		if (policy_req_has(r, POLICY_F_FILENAME)) {
			sb_printf(&sb, "filename eq ");
			ok = sb_rule_string(&sb, r->pr_filename);
			cond = true;
		}
		if (ok && policy_req_has(r, POLICY_F_FILENAME2)) {
			sb_printf(&sb, "%sfilename2 eq ", cond ? " and " : "");
			ok = sb_rule_string(&sb, r->pr_filename2);
			cond = true;
		}
		break;
	case POLICY_OP_CONNECT: case POLICY_OP_BIND: case POLICY_OP_SENDTO:
	case POLICY_OP_SENDMSG:
		sb_printf(&sb, "%s: ", op);
		if (policy_req_has(r, POLICY_F_SOCKADDR)) {
			sb_printf(&sb, "sockaddr eq ");
			ok = sb_rule_string(&sb, r->pr_sockaddr);
		} else	/* exactly the calls without an address */
			sb_printf(&sb, "not sockaddr match \"*\"");
		cond = true;
		break;
	case POLICY_OP_SOCKET: case POLICY_OP_KILL: case POLICY_OP_PTRACE: {
		static const unsigned sockf[] = { POLICY_F_DOMAIN, POLICY_F_TYPE };
		static const unsigned killf[] = { POLICY_F_SIGNAL };
		static const unsigned ptracef[] = { POLICY_F_REQUEST };
		const unsigned *fs = r->pr_op == POLICY_OP_SOCKET ? sockf :
		    r->pr_op == POLICY_OP_KILL ? killf : ptracef;
		size_t nf = r->pr_op == POLICY_OP_SOCKET ? 2 : 1, i;

		sb_printf(&sb, "%s: ", op);
		for (i = 0; i < nf; i++) {
			if (!policy_req_has(r, fs[i]))
				continue;
			sb_printf(&sb, "%s%s eq ", cond ? " and " : "",
			    policy_name_of(policy_field_names, fs[i]));
			sb_int_operand(&sb, fs[i], policy_req_int(r, fs[i]));
			cond = true;
		}
		break;
	}
	case POLICY_OP_SYSCALL:
		if (!policy_req_has(r, POLICY_F_SYSCALL))
			return -1;
		sb_printf(&sb, "%s: ", r->pr_syscall);
		break;
	default:
		return -1;
	}
	if (!ok)
		return -1;
	sb_printf(&sb, "%s", cond ? " then " : "");
	if (action == POLICY_ACT_PERMIT)
		sb_printf(&sb, "permit");
	else if (perrno != 0 && perrno <= policy_nerrno)
		sb_printf(&sb, "deny[%s]", policy_errno_names[perrno].pn_name);
	else
		sb_printf(&sb, "deny");
	return sb.ovf ? -1 : 0;
}

/* An integer field as text: flag names, octal mode, signal and socket
 * names, or the number. */
static void
sb_int_text(struct policy_sb *sb, unsigned f, int64_t v)
{
	if (f == POLICY_F_FLAGS) {
		unsigned i;
		const char *acc = (v & POLICY_O_ACCMODE) == POLICY_O_WRONLY ?
		    "O_WRONLY" : (v & POLICY_O_ACCMODE) == POLICY_O_RDWR ?
		    "O_RDWR" : "O_RDONLY";

		sb_printf(sb, "%s", acc);
		for (i = 0; policy_oflag_names[i].pn_name != NULL; i++) {
			int64_t bit = policy_oflag_names[i].pn_value;

			if ((bit & ~(int64_t)POLICY_O_ACCMODE) != 0 &&
			    (v & bit) == bit)
				sb_printf(sb, "|%s", policy_oflag_names[i].pn_name);
		}
		return;
	}
	if (f == POLICY_F_MODE) {
		sb_printf(sb, "0%llo", (unsigned long long)v);
		return;
	}
	sb_int_operand(sb, f, v);
}

void
policy_request_describe(const struct policy_request *r, char *buf, size_t cap)
{
	struct policy_sb sb = { buf, cap, 0, false };
	unsigned f;

	if (cap == 0)
		return;
	buf[0] = '\0';
	sb_printf(&sb, "%s", policy_request_opname(r));
	for (f = 0; f < POLICY_F_COUNT; f++) {
		if (!policy_req_has(r, f) || f == POLICY_F_SYSCALL)
			continue;
		sb_printf(&sb, " %s=", policy_name_of(policy_field_names, f));
		if (f < POLICY_F_NSTR) {
			const char *s = policy_req_str(r, f);
			char tmp[512];
			size_t i, j = 0;

			for (i = 0; s[i] != '\0' && j + 5 < sizeof(tmp); i++) {
				unsigned char c = (unsigned char)s[i];

				if (c < 0x20 || c == 0x7f || c == '"' || c == '\\')
					j += (size_t)snprintf(tmp + j,
					    sizeof(tmp) - j, "\\x%02x", c);
				else
					tmp[j++] = (char)c;
			}
			tmp[j] = '\0';
			sb_printf(&sb, "\"%s%s\"", tmp, s[i] ? "..." : "");
		} else
			sb_int_text(&sb, f, policy_req_int(r, f));
	}
}

/* Length of the valid UTF-8 sequence at s, or 0. */
static size_t
policy_utf8_len(const unsigned char *s)
{
	size_t n, i;
	uint32_t cp;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) ||
	    (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

size_t
policy_json_string(const char *s, char *buf, size_t cap)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	if (cap < 8) {
		if (cap > 0)
			buf[0] = '\0';
		return 0;
	}
	buf[n++] = '"';
	while (*p != '\0') {
		char esc[8];
		size_t k, el = 0;

		if (*p == '"' || *p == '\\') {
			esc[0] = '\\';
			esc[1] = (char)*p;
			el = 2;
			k = 1;
		} else if (*p < 0x20 || *p == 0x7f) {
			el = (size_t)snprintf(esc, sizeof(esc), "\\u%04x", *p);
			k = 1;
		} else if ((k = policy_utf8_len(p)) == 0) {
			el = (size_t)snprintf(esc, sizeof(esc), "\\ufffd");
			k = 1;
		}
		if (el == 0) {
			if (n + k + 5 > cap)
				break;
			memcpy(buf + n, p, k);
			n += k;
		} else {
			if (n + el + 5 > cap)
				break;
			memcpy(buf + n, esc, el);
			n += el;
		}
		p += k;
	}
	if (*p != '\0') {	/* truncated: say so, inside the string */
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n++] = '"';
	buf[n] = '\0';
	return n;
}

void
policy_request_json(const struct policy_request *r, char *buf, size_t cap)
{
	struct policy_sb sb = { buf, cap, 0, false };
	bool first = true;
	unsigned f;

	if (cap == 0)
		return;
	buf[0] = '\0';
	sb_printf(&sb, "{");
	for (f = 0; f < POLICY_F_COUNT; f++) {
		if (!policy_req_has(r, f) ||
		    (f == POLICY_F_SYSCALL && r->pr_op == POLICY_OP_SYSCALL))
			continue;
		sb_printf(&sb, "%s\"%s\":", first ? "" : ",",
		    policy_name_of(policy_field_names, f));
		first = false;
		if (sb.ovf)
			break;
		if (f < POLICY_F_NSTR) {
			/* leave room for the rest of the object */
			size_t room = sb.cap - sb.n > 64 ? sb.cap - sb.n - 64 : 0;

			sb.n += policy_json_string(policy_req_str(r, f),
			    sb.b + sb.n, room > 2048 ? 2048 : room);
		} else {
			char tmp[160];
			struct policy_sb t = { tmp, sizeof(tmp), 0, false };

			sb_int_text(&t, f, policy_req_int(r, f));
			if (f == POLICY_F_PID || f == POLICY_F_UID ||
			    f == POLICY_F_GID || f == POLICY_F_PROTOCOL ||
			    f == POLICY_F_REQUEST)
				sb_printf(&sb, "%s", tmp);
			else
				sb_printf(&sb, "\"%s\"", tmp);
		}
	}
	if (sb.ovf) {		/* keep it valid JSON */
		snprintf(buf, cap, "{\"truncated\":true}");
		return;
	}
	sb_printf(&sb, "}");
	if (sb.ovf)
		snprintf(buf, cap, "{\"truncated\":true}");
}
