/* policy_sock.c: where policyd's socket is by default, and connecting to it with the
 * daemon itself authenticated (SO_PEERCRED: root or our own user, nobody else). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "policy_msg.h"

int
policy_sock_default(char *buf, size_t cap, char *err, size_t errlen)
{
	const char *env = getenv("POLICYD_SOCKET"), *xdg;
	int n;

	if (env != NULL && env[0] != '\0')
		n = snprintf(buf, cap, "%s", env);
	else if (geteuid() == 0)
		n = snprintf(buf, cap, "/run/policyd/policyd.sock");
	else if ((xdg = getenv("XDG_RUNTIME_DIR")) != NULL && xdg[0] == '/')
		n = snprintf(buf, cap, "%s/policyd.sock", xdg);
	else {
		snprintf(err, errlen, "no socket given and XDG_RUNTIME_DIR is "
		    "not set");
		return -1;
	}
	if (n < 0 || (size_t)n >= cap ||
	    (size_t)n >= sizeof(((struct sockaddr_un *)0)->sun_path)) {
		snprintf(err, errlen, "socket path too long");
		return -1;
	}
	return 0;
}

int
policy_sock_peer(int fd, pid_t *pid, uid_t *uid, gid_t *gid)
{
	struct ucred uc;
	socklen_t len = sizeof(uc);

	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &uc, &len) != 0)
		return -1;
	if (len != sizeof(uc)) {
		errno = EPROTO;
		return -1;
	}
	if (pid != NULL)
		*pid = uc.pid;
	if (uid != NULL)
		*uid = uc.uid;
	if (gid != NULL)
		*gid = uc.gid;
	return 0;
}

int
policy_sock_connect(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sun;
	char def[sizeof(sun.sun_path)];
	uid_t uid;
	int fd, e;

	if (path == NULL) {
		if (policy_sock_default(def, sizeof(def), err, errlen) != 0) {
			errno = ENOENT;
			return -1;
		}
		path = def;
	}
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		snprintf(err, errlen, "%s: socket path too long", path);
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(sun.sun_path, path, strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0)) < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return -1;
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		close(fd);
		errno = e;
		return -1;
	}
	if (policy_sock_peer(fd, NULL, &uid, NULL) != 0) {
		e = errno;
		snprintf(err, errlen, "%s: SO_PEERCRED: %s", path, strerror(e));
		close(fd);
		errno = e;
		return -1;
	}
	if (uid != 0 && uid != geteuid()) {
		snprintf(err, errlen, "%s: policyd there runs as uid %u, "
		    "neither root nor us: not trusted", path, (unsigned)uid);
		close(fd);
		errno = EACCES;
		return -1;
	}
	return fd;
}
