/* policy_linux_ask.c: answers `ask` decisions until policyd exists: a prompt on the
 * launching terminal (/dev/tty) with a timeout, else deny.  policyd will hook in here. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "policy_linux.h"

#define ASK_TIMEOUT_MS	60000

static int
policy_linux_ask_tty(struct policy_linux_call *c)
{
	const struct policy_request *r = &c->c_req;
	const char *op = r->pr_op == POLICY_OP_SYSCALL ? r->pr_syscall :
	    policy_name_of(policy_op_names, r->pr_op);
	const char *arg = (r->pr_present & (1u << POLICY_F_FILENAME)) ?
	    r->pr_filename : (r->pr_present & (1u << POLICY_F_SOCKADDR)) ?
	    r->pr_sockaddr : "";
	char msg[POLICY_PATH_MAX + 256], ans[16];
	struct pollfd pfd;
	ssize_t n;
	int fd, len;

	if ((fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0)
		return POLICY_ACT_DENY;
	len = snprintf(msg, sizeof(msg), "\npolicyctl: pid %d wants %s %s "
	    "(%s:%u)\npermit? [y/N] ", (int)c->c_tid, op ? op : "?", arg,
	    c->c_sup->s_source, (unsigned)c->c_dec.pd_line);
	if (len < 0 || write(fd, msg, (size_t)len > sizeof(msg) ?
	    sizeof(msg) : (size_t)len) < 0) {
		close(fd);
		return POLICY_ACT_DENY;
	}
	pfd.fd = fd;
	pfd.events = POLLIN;
	if (poll(&pfd, 1, ASK_TIMEOUT_MS) <= 0) {
		(void)!write(fd, "(no answer: deny)\n", 18);
		close(fd);
		return POLICY_ACT_DENY;
	}
	n = read(fd, ans, sizeof(ans) - 1);
	close(fd);
	if (n > 0 && (ans[0] == 'y' || ans[0] == 'Y'))
		return POLICY_ACT_PERMIT;
	return POLICY_ACT_DENY;
}

/* POLICY_ACT_PERMIT or POLICY_ACT_DENY for an `ask` decision. */
int
policy_linux_ask(struct policy_linux_call *c)
{
	/* Hook for policyd: when a daemon socket is configured, the alarm
	 * (struct policy_alarm) goes there instead; not implemented yet. */
	return policy_linux_ask_tty(c);
}
