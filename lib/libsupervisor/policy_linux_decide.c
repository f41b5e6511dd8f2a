/* policy_linux_decide.c: turns a built request into a verdict: policy evaluation, ask,
 * dry-run, -v output and denial logs naming the rule's file:line. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "policy_linux.h"

/* Start the request for a call: operation, emulation, and for generic
 * calls the syscall name. */
void
policy_linux_req(struct policy_linux_call *c, unsigned op)
{
	memset(&c->c_req, 0, sizeof(c->c_req));
	c->c_req.pr_op = (uint16_t)op;
	c->c_req.pr_emul = POLICY_EMUL_NATIVE;
	if (op == POLICY_OP_SYSCALL && c->c_name != NULL)
		policy_request_set_str(&c->c_req, POLICY_F_SYSCALL, c->c_name);
}

int64_t
policy_linux_oflags(int fl)
{
	static const struct { int native; int64_t portable; } map[] = {
		{ O_CREAT, POLICY_O_CREAT }, { O_EXCL, POLICY_O_EXCL },
		{ O_TRUNC, POLICY_O_TRUNC }, { O_APPEND, POLICY_O_APPEND },
		{ O_NONBLOCK, POLICY_O_NONBLOCK },
		{ O_DIRECTORY, POLICY_O_DIRECTORY },
		{ O_NOFOLLOW, POLICY_O_NOFOLLOW }, { O_CLOEXEC, POLICY_O_CLOEXEC },
		{ O_PATH, POLICY_O_PATH }, { O_NOCTTY, POLICY_O_NOCTTY },
	};
	int64_t v = 0;
	size_t i;

	switch (fl & O_ACCMODE) {
	case O_WRONLY: v = POLICY_O_WRONLY; break;
	case O_RDWR: v = POLICY_O_RDWR; break;
	default: break;
	}
	for (i = 0; i < __arraycount(map); i++)
		if (fl & map[i].native)
			v |= map[i].portable;
	if ((fl & O_TMPFILE) == O_TMPFILE)
		v = (v & ~POLICY_O_DIRECTORY) | POLICY_O_TMPFILE;
	if ((fl & O_SYNC) == O_SYNC)
		v |= POLICY_O_SYNC;
	return v;
}

/* ------------------------------------------------------------------ */
/* Paths longer than a request's buffer                               */

int
policy_linux_long_note(struct policy_linux_call *c, const char *path)
{
	unsigned i;

	for (i = 0; i < POLICY_LINUX_NLONG; i++)
		if (c->c_long[i] == NULL) {
			c->c_long[i] = path;
			return 0;
		}
	return -ENAMETOOLONG;
}

void
policy_linux_long_forget(struct policy_linux_call *c, const char *path)
{
	unsigned i;

	for (i = 0; i < POLICY_LINUX_NLONG; i++)
		if (c->c_long[i] == path)
			c->c_long[i] = NULL;
}

/*
 * The whole text of path field f: the request's own when it fits, else
 * the noted long path it was set from (same length, same head); NULL if
 * no noted path, or two different ones, could be it.
 */
const char *
policy_linux_req_path(const struct policy_linux_call *c, unsigned f,
    size_t *lenp)
{
	const struct policy_request *r = &c->c_req;
	const char *head = f == POLICY_F_FILENAME ? r->pr_filename :
	    f == POLICY_F_FILENAME2 ? r->pr_filename2 : r->pr_sockaddr,
	    *found = NULL;
	size_t len = r->pr_len[f], cap = f == POLICY_F_SOCKADDR ?
	    POLICY_SOCKADDR_MAX : POLICY_PATH_MAX;
	unsigned i;

	if (f >= POLICY_F_NLONG || !(r->pr_present & (1u << f)))
		return NULL;
	*lenp = len;
	if (len < cap)
		return head;
	for (i = 0; i < POLICY_LINUX_NLONG; i++) {
		const char *p = c->c_long[i];

		if (p == NULL || memcmp(p, head, cap - 1) != 0 ||
		    strlen(p) != len)
			continue;
		if (found != NULL && strcmp(found, p) != 0)
			return NULL;
		found = p;
	}
	return found;
}

/* policy_eval on the request's whole paths and socket address: 0, or
 * -ENAMETOOLONG when one longer than its buffer is not known whole (then
 * not decided). */
static int
policy_linux_eval(struct policy_linux_call *c, const struct policy *p)
{
	const char *str[POLICY_F_NLONG] = { NULL, NULL, NULL };
	size_t len[POLICY_F_NLONG] = { 0, 0, 0 };
	unsigned f;

	for (f = 0; f < POLICY_F_NLONG; f++) {
		if (!(c->c_req.pr_present & (1u << f)) ||
		    c->c_req.pr_len[f] < (f == POLICY_F_SOCKADDR ?
		    POLICY_SOCKADDR_MAX : POLICY_PATH_MAX))
			continue;
		if ((str[f] = policy_linux_req_path(c, f, &len[f])) == NULL)
			return -ENAMETOOLONG;
	}
	policy_eval_long(p, &c->c_req, str, len, &c->c_dec);
	return 0;
}

/* A compact, printable description of the request for logs. */
static void
policy_linux_describe(const struct policy_request *r, char *buf, size_t cap)
{
	static const char *const fname[POLICY_F_NSTR] = {
		"filename", "filename2", "sockaddr", "argv", "syscall"
	};
	const char *str[POLICY_F_NSTR] = { r->pr_filename, r->pr_filename2,
	    r->pr_sockaddr, r->pr_argv, r->pr_syscall };
	size_t n = 0;
	unsigned f;

	buf[0] = '\0';
	for (f = 0; f < POLICY_F_COUNT && n < cap; f++) {
		if (!(r->pr_present & (1u << f)) ||
		    (f == POLICY_F_SYSCALL && r->pr_op == POLICY_OP_SYSCALL))
			continue;
		if (f < POLICY_F_NSTR) {
			char tmp[160];
			size_t i, j = 0;

			for (i = 0; str[f][i] && j + 5 < sizeof(tmp); i++) {
				unsigned char ch = (unsigned char)str[f][i];
				if (ch < 0x20 || ch >= 0x7f || ch == '"')
					j += (size_t)snprintf(tmp + j,
					    sizeof(tmp) - j, "\\x%02x", ch);
				else
					tmp[j++] = (char)ch;
			}
			tmp[j] = '\0';
			n += (size_t)snprintf(buf + n, cap - n, " %s=\"%s%s\"",
			    fname[f], tmp, str[f][i] ? "..." : "");
		} else {
			const char *nm = policy_name_of(policy_field_names, f);
			n += (size_t)snprintf(buf + n, cap - n, " %s=%#llx",
			    nm ? nm : "?",
			    (unsigned long long)r->pr_int[f - POLICY_F_NSTR]);
		}
	}
}

static const char *
policy_linux_opname(const struct policy_request *r)
{
	const char *n;

	if (r->pr_op == POLICY_OP_SYSCALL)
		return r->pr_syscall;
	n = policy_name_of(policy_op_names, r->pr_op);
	return n ? n : "?";
}

static void
policy_linux_log(struct policy_linux_call *c, const char *verdict,
    const char *why)
{
	const struct policy_sup *s = c->c_sup;
	const struct policy_decision *d = &c->c_dec;
	char desc[1024], where[320];

	policy_linux_describe(&c->c_req, desc, sizeof(desc));
	if (why != NULL)
		snprintf(where, sizeof(where), "%s: %s", c->c_source ?
		    c->c_source : s->s_source, why);
	else if (d->pd_rule != POLICY_NONE)
		snprintf(where, sizeof(where), "%s:%u", c->c_source ?
		    c->c_source : s->s_source,
		    (unsigned)d->pd_line);
	else
		snprintf(where, sizeof(where), "%s: default", c->c_source ?
		    c->c_source : s->s_source);
	fprintf(s->s_log, "policyctl: pid %d: %s %s%s (%s)\n", (int)c->c_tid,
	    verdict, policy_linux_opname(&c->c_req), desc, where);
	fflush(s->s_log);
}

/*
 * A permitted rename or link that would move an object to where policy p
 * decides it differently (policy_move.c; the rename is checked as if the
 * object were a directory: the supervisor cannot hold it across the
 * call): refused with the policy's errno, logged with the reason.
 */
static int
policy_linux_move_refused(struct policy_linux_call *c, const struct policy *p)
{
	const struct policy_request *r = &c->c_req;
	char why[80];
	int e;

	const char *from, *to;
	size_t len;

	if ((r->pr_op != POLICY_OP_RENAME && r->pr_op != POLICY_OP_LINK) ||
	    !(r->pr_present & (1u << POLICY_F_FILENAME2)))
		return 0;
	from = policy_linux_req_path(c, POLICY_F_FILENAME, &len);
	to = policy_linux_req_path(c, POLICY_F_FILENAME2, &len);
	if (from == NULL || to == NULL)	/* decided whole, so known */
		snprintf(why, sizeof(why), "path too long to decide");
	else if (policy_move_permitted(p, &c->c_dec, from, to,
	    r->pr_op == POLICY_OP_RENAME, c->c_exchange, why, sizeof(why)))
		return 0;
	if (c->c_sup->s_dry_run) {
		policy_linux_log(c, "would deny", why);
		return 0;
	}
	policy_linux_log(c, "deny", why);
	e = policy_errno_native(p->p_hdr->ph_default_errno);
	return e > 0 ? e : EPERM;
}

/*
 * Decide the call's request.  Returns 0 to go ahead, or the native errno
 * the call fails with.  Every supervisor decision goes through here.
 */
static int
policy_linux_decide1(struct policy_linux_call *c)
{
	const struct policy_sup *s = c->c_sup;
	struct policy_decision *d = &c->c_dec;
	/* s_pol may be swapped for a reloaded policy (policy_linux_ask.c) */
	const struct policy *p = c->c_polidx != 0 && c->c_pol != NULL ?
	    c->c_pol : __atomic_load_n(&s->s_pol, __ATOMIC_ACQUIRE);
	const char *why;
	char because[160];
	int action, err;

	/* the supervisor's own refusals: escapes, refused even in a dry run */
	if (c->c_req.pr_op == POLICY_OP_SYSCALL && c->c_name != NULL &&
	    (why = policy_linux_refusal(s, c->c_name, c->c_args, &err)) !=
	    NULL) {
		memset(d, 0, sizeof(*d));
		d->pd_rule = POLICY_NONE;
		d->pd_action = POLICY_ACT_DENY;
		d->pd_log = 1;
		snprintf(because, sizeof(because), "refused whatever the policy "
		    "says: %s", why);
		policy_linux_log(c, "deny", because);
		return err;
	}
	if (policy_linux_eval(c, p) != 0) {
		/* never decided on a prefix: refused, with the reason */
		memset(d, 0, sizeof(*d));
		d->pd_rule = POLICY_NONE;
		d->pd_action = POLICY_ACT_DENY;
		policy_linux_log(c, s->s_dry_run ? "would deny" : "deny",
		    "path too long to decide");
		return s->s_dry_run ? 0 : ENAMETOOLONG;
	}
	action = d->pd_action;
	if (action == POLICY_ACT_ASK && (c->c_req.pr_len[POLICY_F_FILENAME] >=
	    POLICY_PATH_MAX || c->c_req.pr_len[POLICY_F_FILENAME2] >=
	    POLICY_PATH_MAX || c->c_req.pr_len[POLICY_F_SOCKADDR] >=
	    POLICY_SOCKADDR_MAX)) {
		/* an alarm carries POLICY_PATH_MAX bytes: cannot be asked */
		policy_linux_log(c, "deny", "path too long to ask");
		return d->pd_errno > 0 ? d->pd_errno : EPERM;
	}
	if (action == POLICY_ACT_ASK)
		action = policy_linux_ask(c);
	if (action == POLICY_ACT_PERMIT) {
		int e = policy_linux_move_refused(c, p);

		if (e == 0 && (s->s_verbose || d->pd_log))
			policy_linux_log(c, "permit", NULL);
		return e;
	}
	if (s->s_dry_run) {
		policy_linux_log(c, "would deny", NULL);
		return 0;
	}
	if (s->s_verbose || d->pd_log || d->pd_action == POLICY_ACT_DENY)
		policy_linux_log(c, "deny", NULL);
	return d->pd_errno > 0 ? d->pd_errno : EPERM;
}

/* The decision, then the record hook (learning, JSON log, policyd). */
int
policy_linux_decide(struct policy_linux_call *c)
{
	struct timespec t0;
	int err;

	if (policy_linux_decided == NULL)
		return policy_linux_decide1(c);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	err = policy_linux_decide1(c);
	policy_linux_decided(c, err,
	    (uint64_t)t0.tv_sec * 1000000000u + (uint64_t)t0.tv_nsec);
	return err;
}

/* A supervisor message about a call (not a policy decision). */
void
policy_linux_note(struct policy_linux_call *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(c->c_sup->s_log, "policyctl: pid %d: ", (int)c->c_tid);
	va_start(ap, fmt);
	vfprintf(c->c_sup->s_log, fmt, ap);
	va_end(ap);
	fputc('\n', c->c_sup->s_log);
	fflush(c->c_sup->s_log);
}
