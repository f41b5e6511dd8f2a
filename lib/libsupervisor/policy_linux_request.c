/* policy_linux_request.c: the request a call is decided on: started from the call,
 * and its paths longer than the request's buffers kept whole beside it. */
#include <errno.h>
#include <string.h>

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

