/* policyctl_client.c: policyctl's side of policyd's socket: connecting (the daemon
 * authenticated by SO_PEERCRED) and one request with its checked reply. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "policyctl.h"
#include "policy_msg.h"

/* A connected socket, or -1 after saying why on stderr. */
int
policyctl_connect(const char *cmd, const char *sock)
{
	char err[512];
	int fd = policy_sock_connect(sock, err, sizeof(err));

	if (fd < 0)
		fprintf(stderr, "policyctl %s: cannot reach policyd: %s\n", cmd,
		    err);
	return fd;
}

/* Send a request and receive its reply: the reply's type, or -1 after
 * saying why on stderr. */
int
policyctl_request(const char *cmd, int fd, unsigned type, const void *body,
    size_t len, union policy_msg_buf *reply, int timeout_ms)
{
	char why[160] = "";
	int t;

	if (policy_msg_send(fd, type, body, len, 0) != 0) {
		fprintf(stderr, "policyctl %s: send: %s\n", cmd, strerror(errno));
		return -1;
	}
	t = policy_msg_recv(fd, reply, timeout_ms, -1, why, sizeof(why));
	if (t == 0)
		fprintf(stderr, "policyctl %s: policyd closed the connection\n",
		    cmd);
	else if (t < 0)
		fprintf(stderr, "policyctl %s: %s\n", cmd, errno == EPROTO ?
		    why : strerror(errno));
	return t > 0 ? t : -1;
}
