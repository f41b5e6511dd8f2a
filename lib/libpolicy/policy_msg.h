/* policy_msg.h: policyd's unix-socket protocol for its peers (supervisors, prompts,
 * policyctl): validating and moving the records of sys/sys/policy.h, socket paths. */
#ifndef _POLICY_MSG_H_
#define _POLICY_MSG_H_

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "libpolicy.h"

/* A received record: aligned storage for the largest one. */
union policy_msg_buf {
	struct policy_msg_hdr	h;
	uint64_t		align;
	unsigned char		bytes[POLICY_MSG_MAX];
};

/* The body of a received record (just after the header). */
#define POLICY_MSG_BODY(b)	((void *)((b)->bytes + sizeof(struct policy_msg_hdr)))

/* The exact body size of a message type, or (size_t)-1 if there is none. */
size_t	policy_msg_body_size(unsigned type);

/*
 * Check a received record completely: header, length, and every field of
 * its body (strings terminated, enums and flags in range, padding zero).
 * Returns the type, or -1 with why set.
 */
int	policy_msg_check(const void *buf, size_t len, char *why, size_t cap);

/* Check a request received from a peer; 0 if well formed, -1 otherwise. */
int	policy_request_check(const struct policy_request *, char *why,
	    size_t cap);

/* A string array field holds a NUL within its cap bytes. */
int	policy_msg_str_ok(const char *s, size_t cap);

/*
 * Send one record (header + body) as one datagram; never raises SIGPIPE.
 * flags are added to send(2)'s (MSG_DONTWAIT).  0, or -1 with errno.
 */
int	policy_msg_send(int fd, unsigned type, const void *body, size_t len,
	    int flags);

/*
 * Receive one record within timeout_ms (-1: wait).  Returns its type, 0 on
 * end of file, -1 with errno (ETIMEDOUT, EPROTO for a malformed record,
 * or the error); why describes a malformed record.  cancelfd (or -1) ends
 * the wait early with ECANCELED when readable.
 */
int	policy_msg_recv(int fd, union policy_msg_buf *, int timeout_ms,
	    int cancelfd, char *why, size_t cap);

/* Latency bucket for a duration (index into ms_latency). */
unsigned policy_lat_bucket(uint64_t ns);
extern const uint64_t policy_lat_bounds_ns[POLICY_LAT_BUCKETS - 1];

/* ------------------------------------------------------------------ */
/* policy_sock.c: where policyd listens, and connecting to it           */

/*
 * policyd's socket: $POLICYD_SOCKET if set, else /run/policyd/policyd.sock
 * for root and $XDG_RUNTIME_DIR/policyd.sock for others.  0, or -1 with
 * err set when no default exists.
 */
int	policy_sock_default(char *buf, size_t cap, char *err, size_t errlen);

/*
 * Connect to policyd at path (NULL: the default).  The daemon must run as
 * root or as our own user (SO_PEERCRED), or it is not trusted.  Returns
 * the socket, or -1 with errno (ENOENT, ECONNREFUSED: not running) and err.
 */
int	policy_sock_connect(const char *path, char *err, size_t errlen);

/* The peer's credentials; 0, or -1 with errno. */
int	policy_sock_peer(int fd, pid_t *pid, uid_t *uid, gid_t *gid);

#endif /* !_POLICY_MSG_H_ */
