/* policyd_console_auth.c: who may use the web console: a random token made at each start
 * (printed once, kept in a 0600 file), compared in constant time; Host and Origin checked. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <microhttpd.h>

#include "policyd.h"

#define PD_TOKEN_BYTES	32

static char pd_token[PD_TOKEN_BYTES * 2 + 1];
static char pd_token_path[sizeof(pd.cfg.sock) + 16];
static char pd_cookie_name[32];

const char *
pd_console_token(void)
{
	return pd_token;
}

const char *
pd_console_cookie_name(void)
{
	return pd_cookie_name;
}

/* Make the token and write it, with the URL to open, to SOCKET.console. */
int
pd_console_token_init(const char *sock, char *err, size_t errlen)
{
	unsigned char raw[PD_TOKEN_BYTES];
	const char *port = strrchr(pd_http_host, ':');
	char text[512];
	size_t got = 0, i;
	struct stat st;
	ssize_t n;
	int fd;

	while (got < sizeof(raw)) {
		n = getrandom(raw + got, sizeof(raw) - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "getrandom: %s", strerror(errno));
			return -1;
		}
		got += (size_t)n;
	}
	for (i = 0; i < sizeof(raw); i++)
		snprintf(pd_token + 2 * i, 3, "%02x", raw[i]);
	snprintf(pd_cookie_name, sizeof(pd_cookie_name), "policyd_%s",
	    port != NULL ? port + 1 : "0");
	if (snprintf(pd_token_path, sizeof(pd_token_path), "%s.console", sock) >=
	    (int)sizeof(pd_token_path)) {
		snprintf(err, errlen, "%s.console: name too long", sock);
		pd_token_path[0] = '\0';
		return -1;
	}
	/* the socket's directory is ours and closed to others (pd_check_dir) */
	if (lstat(pd_token_path, &st) == 0) {
		if (!S_ISREG(st.st_mode)) {
			snprintf(err, errlen, "%s exists and is not a file",
			    pd_token_path);
			pd_token_path[0] = '\0';
			return -1;
		}
		(void)unlink(pd_token_path);
	}
	fd = open(pd_token_path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", pd_token_path, strerror(errno));
		pd_token_path[0] = '\0';
		return -1;
	}
	snprintf(text, sizeof(text), "%s\n%s/login?token=%s\n", pd_token,
	    pd_http_origin, pd_token);
	/* the console's user's: root's policyd may serve another's */
	if ((pd.cfg.console_uid != geteuid() && fchown(fd, pd.cfg.console_uid,
	    pd.cfg.console_gid) != 0) || fchmod(fd, 0600) != 0 ||
	    write(fd, text, strlen(text)) != (ssize_t)strlen(text)) {
		snprintf(err, errlen, "%s: %s", pd_token_path, strerror(errno));
		close(fd);
		pd_console_token_remove();
		return -1;
	}
	close(fd);
	/* once, on the terminal only: the token never goes to syslog */
	fprintf(stderr, "policyd: console: open %s/login?token=%s\n",
	    pd_http_origin, pd_token);
	pd_log(LOG_NOTICE, "console on %s/ (its token is in %s)",
	    pd_http_origin, pd_token_path);
	return 0;
}

void
pd_console_token_remove(void)
{
	if (pd_token_path[0] != '\0')
		(void)unlink(pd_token_path);
	pd_token_path[0] = '\0';
}

/* Equal to the token?  In time that depends on neither's content. */
bool
pd_console_token_ok(const char *s, size_t n)
{
	volatile unsigned char diff = 0;
	size_t i;

	if (s == NULL || n != sizeof(pd_token) - 1 || pd_token[0] == '\0')
		return false;
	for (i = 0; i < n; i++)
		diff |= (unsigned char)s[i] ^ (unsigned char)pd_token[i];
	return diff == 0;
}

/*
 * May this request go on?  Its Host must be the address we listen on (a
 * name that resolves to us is DNS rebinding), an Origin must be ours
 * (CSRF), and it must carry the token: in the X-Policyd-Token header, or in
 * the cookie /login sets.  A POST that has only the cookie must show its
 * Origin.  On refusal, code and why say what to answer.
 */
bool
pd_console_authorized(struct MHD_Connection *conn, bool post, unsigned *code,
    const char **why)
{
	const char *host, *origin, *hdr, *cookie, *site;

	host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    MHD_HTTP_HEADER_HOST);
	if (host == NULL || strcasecmp(host, pd_http_host) != 0) {
		*code = MHD_HTTP_FORBIDDEN;
		*why = "refused: the Host header is not this console's address "
		    "(open it by its address, not by a name)\n";
		return false;
	}
	origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin");
	if (origin != NULL && strcmp(origin, pd_http_origin) != 0) {
		*code = MHD_HTTP_FORBIDDEN;
		*why = "refused: request from another site (Origin)\n";
		return false;
	}
	site = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    "Sec-Fetch-Site");
	if (site != NULL && strcmp(site, "same-origin") != 0 &&
	    strcmp(site, "none") != 0) {
		*code = MHD_HTTP_FORBIDDEN;
		*why = "refused: request from another site (Sec-Fetch-Site)\n";
		return false;
	}
	hdr = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
	    "X-Policyd-Token");
	if (hdr != NULL) {
		if (pd_console_token_ok(hdr, strlen(hdr)))
			return true;
		*code = MHD_HTTP_UNAUTHORIZED;
		*why = "refused: wrong token\n";
		return false;
	}
	cookie = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND,
	    pd_cookie_name);
	if (cookie == NULL || !pd_console_token_ok(cookie, strlen(cookie))) {
		*code = MHD_HTTP_UNAUTHORIZED;
		*why = cookie == NULL ? "refused: no token: open the URL policyd "
		    "printed when it started (also in SOCKET.console)\n" :
		    "refused: wrong token (policyd restarted? open its new URL)\n";
		return false;
	}
	if (post && origin == NULL) {
		*code = MHD_HTTP_FORBIDDEN;
		*why = "refused: a POST with the cookie must say its Origin\n";
		return false;
	}
	return true;
}
