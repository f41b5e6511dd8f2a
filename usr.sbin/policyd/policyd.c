/* policyd.c: policyd(8): options, the socket (its directory checked, mode 0600), and the
 * event loop: peers, alarm timeouts, signals; foreground with -f or as a daemon. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "policyd.h"

struct pd_state pd = {
	.stats_lock = PTHREAD_MUTEX_INITIALIZER,
	.lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP,	/* see pd_sub_free */
};

static int pd_sigpipe[2] = { -1, -1 };
static int pd_daemonized;

uint64_t
pd_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Messages about policyd itself: stderr in the foreground, syslog too. */
void
pd_log(int prio, const char *fmt, ...)
{
	va_list ap;
	char buf[1024];

	if (prio == LOG_DEBUG && !pd.cfg.verbose)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (!pd_daemonized)
		fprintf(stderr, "policyd: %s\n", buf);
	if (pd.cfg.syslog && prio != LOG_DEBUG)
		syslog(prio, "%s", buf);
}

static void
pd_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: policyd [-fv] [-s SOCKET] [-m MODE] [-t SECONDS] [-q N]\n"
	    "               [-l JSONLOG] [--no-syslog] [--metrics ADDR:PORT]\n"
	    "               [--console ADDR:PORT [--console-user USER]\n"
	    "               [--review FILE]...]\n"
	    "\n"
	    "The policy alarm daemon: supervisors ('policyctl run') send it the\n"
	    "calls their policies 'ask' about; 'policyctl prompt' and 'policyctl\n"
	    "answer' answer them; 'always' answers are written to the policy.\n"
	    "It also logs the decisions supervisors report and counts them.\n"
	    "\n"
	    "  -f, --foreground   do not detach (for systemd and tests)\n"
	    "  -s, --socket PATH  listen here (default: $POLICYD_SOCKET, else\n"
	    "                     /run/policyd/policyd.sock as root, else\n"
	    "                     $XDG_RUNTIME_DIR/policyd.sock); the directory\n"
	    "                     must be ours and not group/world writable\n"
	    "  -m, --mode MODE    the socket's mode (default 0600; 0666 lets\n"
	    "                     every user's supervisor in: each peer is still\n"
	    "                     checked with SO_PEERCRED)\n"
	    "  -t, --timeout SEC  deny an alarm nobody answers in SEC s (60)\n"
	    "  -q, --queue N      distinct alarms pending per user (256)\n"
	    "  -l, --log FILE     append logged decisions to FILE, one JSON\n"
	    "                     object per line (SIGHUP reopens it)\n"
	    "  --no-syslog        do not send them (and our notices) to syslog\n"
	    "  --metrics ADDR:PORT  serve Prometheus metrics over HTTP on a\n"
	    "                     loopback address (127.0.0.1:9464, [::1]:9464;\n"
	    "                     port 0 picks one and prints it); off by default\n"
	    "  --console ADDR:PORT  serve the web console (alarms, decisions,\n"
	    "                     policies) on a loopback address; prints its\n"
	    "                     URL with a fresh token, also written to\n"
	    "                     SOCKET.console (mode 0600); with --metrics,\n"
	    "                     give both the same ADDR:PORT; off by default\n"
	    "  --review FILE      (with --console, repeatable) a learned policy\n"
	    "                     to review rule by rule in the console's\n"
	    "                     Learning view; FILE must be the console\n"
	    "                     user's\n"
	    "  --console-user USER  (root) the console answers USER's alarms\n"
	    "                     only, and its token file is USER's (default:\n"
	    "                     policyd's user: root answers every user's)\n"
	    "  -v, --verbose      say more\n"
	    "  -h, --help         this text\n");
}

static void
pd_signal(int sig)
{
	unsigned char c = (unsigned char)sig;
	int e = errno;

	(void)!write(pd_sigpipe[1], &c, 1);
	errno = e;
}

/* The socket's directory: a real directory, ours, writable by us only. */
static int
pd_check_dir(const char *path)
{
	char buf[sizeof(pd.cfg.sock)], *dir;
	struct stat st;

	snprintf(buf, sizeof(buf), "%s", path);
	dir = dirname(buf);
	if (lstat(dir, &st) != 0 && errno == ENOENT && geteuid() == 0 &&
	    strcmp(dir, "/run/policyd") == 0)
		(void)mkdir(dir, 0755);
	if (lstat(dir, &st) != 0) {
		pd_log(LOG_ERR, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode)) {
		pd_log(LOG_ERR, "%s: not a directory", dir);
		return -1;
	}
	if (st.st_uid != geteuid()) {
		pd_log(LOG_ERR, "%s: owned by uid %u, not by us (uid %u)", dir,
		    (unsigned)st.st_uid, (unsigned)geteuid());
		return -1;
	}
	if (st.st_mode & (S_IWGRP | S_IWOTH)) {
		pd_log(LOG_ERR, "%s: group or world writable (mode %04o)", dir,
		    (unsigned)(st.st_mode & 07777));
		return -1;
	}
	return 0;
}

static int
pd_listen(void)
{
	struct sockaddr_un sun;
	struct stat st;
	mode_t old;
	int fd, probe;

	if (pd_check_dir(pd.cfg.sock) != 0)
		return -1;
	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, pd.cfg.sock, strlen(pd.cfg.sock));
	if (lstat(pd.cfg.sock, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			pd_log(LOG_ERR, "%s exists and is not a socket",
			    pd.cfg.sock);
			return -1;
		}
		probe = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
		if (probe >= 0 && connect(probe, (struct sockaddr *)&sun,
		    sizeof(sun)) == 0) {
			close(probe);
			pd_log(LOG_ERR, "%s: another policyd is running",
			    pd.cfg.sock);
			return -1;
		}
		if (probe >= 0)
			close(probe);
		(void)unlink(pd.cfg.sock);	/* stale */
	}
	if ((fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0)) < 0) {
		pd_log(LOG_ERR, "socket: %s", strerror(errno));
		return -1;
	}
	old = umask(0177);
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		umask(old);
		pd_log(LOG_ERR, "%s: %s", pd.cfg.sock, strerror(errno));
		close(fd);
		return -1;
	}
	umask(old);
	if (chmod(pd.cfg.sock, pd.cfg.sock_mode) != 0 || listen(fd, 128) != 0) {
		pd_log(LOG_ERR, "%s: %s", pd.cfg.sock, strerror(errno));
		close(fd);
		unlink(pd.cfg.sock);
		return -1;
	}
	return fd;
}

static int
pd_options(int argc, char **argv)
{
	int console_user = 0;
	char err[256], *end;
	int i;

	pd.cfg.sock_mode = 0600;
	pd.cfg.console_uid = geteuid();
	pd.cfg.console_gid = getegid();
	pd.cfg.timeout_ms = PD_TIMEOUT_DEF_MS;
	pd.cfg.pending_uid = PD_PENDING_UID_DEF;
	pd.cfg.syslog = 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			pd_usage(stdout);
			exit(0);
		} else if (strcmp(a, "-f") == 0 || strcmp(a, "--foreground") == 0)
			pd.cfg.foreground = 1;
		else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)
			pd.cfg.verbose = 1;
		else if (strcmp(a, "--no-syslog") == 0)
			pd.cfg.syslog = 0;
		else if (v == NULL)
			goto bad;
		else if (strcmp(a, "-s") == 0 || strcmp(a, "--socket") == 0) {
			if (strlen(v) >= sizeof(pd.cfg.sock) || v[0] == '\0')
				goto bad;
			snprintf(pd.cfg.sock, sizeof(pd.cfg.sock), "%s", v);
			i++;
		} else if (strcmp(a, "-m") == 0 || strcmp(a, "--mode") == 0) {
			unsigned long m = strtoul(v, &end, 8);

			if (*v == '\0' || *end != '\0' || (m & ~0666ul) != 0 ||
			    (m & 0600) != 0600)
				goto bad;
			pd.cfg.sock_mode = (mode_t)m;
			i++;
		} else if (strcmp(a, "-t") == 0 || strcmp(a, "--timeout") == 0) {
			unsigned long t = strtoul(v, &end, 10);

			if (*v == '\0' || *end != '\0' || t == 0 || t > 86400)
				goto bad;
			pd.cfg.timeout_ms = (unsigned)t * 1000;
			i++;
		} else if (strcmp(a, "-q") == 0 || strcmp(a, "--queue") == 0) {
			unsigned long q = strtoul(v, &end, 10);

			if (*v == '\0' || *end != '\0' || q == 0 ||
			    q > PD_PENDING_MAX)
				goto bad;
			pd.cfg.pending_uid = (unsigned)q;
			i++;
		} else if (strcmp(a, "-l") == 0 || strcmp(a, "--log") == 0) {
			pd.cfg.json_path = v;
			i++;
		} else if (strcmp(a, "--metrics") == 0) {
			pd.cfg.metrics = v;
			i++;
		} else if (strcmp(a, "--console") == 0) {
			pd.cfg.console = v;
			i++;
		} else if (strcmp(a, "--review") == 0) {
			if (pd.cfg.nreview >= PD_REVIEW_FILES) {
				fprintf(stderr, "policyd: --review: at most %d "
				    "files\n", PD_REVIEW_FILES);
				return -1;
			}
			pd.cfg.review[pd.cfg.nreview++] = v;
			i++;
		} else if (strcmp(a, "--console-user") == 0) {
			struct passwd *pw = getpwnam(v);
			unsigned long u = strtoul(v, &end, 10);

			if (pw == NULL && (*v == '\0' || *end != '\0' ||
			    (pw = getpwuid((uid_t)u)) == NULL)) {
				fprintf(stderr, "policyd: --console-user %s: no "
				    "such user\n", v);
				return -1;
			}
			if (geteuid() != 0 && pw->pw_uid != geteuid()) {
				fprintf(stderr, "policyd: --console-user %s: only "
				    "root's policyd holds other users' alarms\n",
				    v);
				return -1;
			}
			pd.cfg.console_uid = pw->pw_uid;
			pd.cfg.console_gid = pw->pw_gid;
			console_user = 1;
			i++;
		} else
			goto bad;
		continue;
bad:
		fprintf(stderr, "policyd: bad or incomplete option '%s'%s%s\n", a,
		    v ? " " : "", v ? v : "");
		pd_usage(stderr);
		return -1;
	}
	if (console_user && pd.cfg.console == NULL) {
		fprintf(stderr, "policyd: --console-user goes with --console\n");
		return -1;
	}
	if (pd.cfg.nreview > 0 && pd.cfg.console == NULL) {
		fprintf(stderr, "policyd: --review goes with --console\n");
		return -1;
	}
	/* each a file of the console's user, as a learned policy is */
	for (i = 0; i < (int)pd.cfg.nreview; i++)
		if (pd_review_add(pd.cfg.review[i], err, sizeof(err)) != 0) {
			fprintf(stderr, "policyd: %s\n", err);
			return -1;
		}
	if (pd.cfg.sock[0] == '\0' && policy_sock_default(pd.cfg.sock,
	    sizeof(pd.cfg.sock), err, sizeof(err)) != 0) {
		fprintf(stderr, "policyd: %s (use -s SOCKET)\n", err);
		return -1;
	}
	return 0;
}

/* Handle signals noted by pd_signal; false when policyd must stop. */
static bool
pd_signals(void)
{
	unsigned char c;
	bool run = true;

	while (read(pd_sigpipe[0], &c, 1) == 1) {
		if (c == SIGHUP)
			pd_log_reopen();
		else
			run = false;
	}
	return run;
}

static void
pd_loop(void)
{
	static struct pollfd pfd[PD_CLIENTS_MAX + 2];
	static struct pd_client *who[PD_CLIENTS_MAX + 2];
	bool run = true;

	pthread_mutex_lock(&pd.lock);
	while (run) {
		uint64_t now = pd_now_ms(), next, park;
		size_t n = 0, i;
		int timeout, r;

		pfd[n].fd = pd_sigpipe[0];
		pfd[n++].events = POLLIN;
		pfd[n].fd = now >= pd.accept_pause_until ? pd.lfd : -1;
		pfd[n++].events = POLLIN;
		for (i = 0; i < PD_CLIENTS_MAX; i++)
			if (pd.clients[i].fd >= 0) {
				who[n] = &pd.clients[i];
				pfd[n].fd = pd.clients[i].fd;
				pfd[n++].events = POLLIN;
			}
		next = pd_alarm_next_deadline();
		park = pd_park_next();
		if (park < next)
			next = park;
		if (pd.accept_pause_until > now && pd.accept_pause_until < next)
			next = pd.accept_pause_until;
		timeout = next == UINT64_MAX ? 1000 : next <= now ? 0 :
		    next - now > 1000 ? 1000 : (int)(next - now);
		/* the HTTP server's threads use the state while we wait */
		pthread_mutex_unlock(&pd.lock);
		r = poll(pfd, (nfds_t)n, timeout);
		pthread_mutex_lock(&pd.lock);
		if (r < 0 && errno != EINTR) {
			pd_log(LOG_ERR, "poll: %s", strerror(errno));
			break;
		}
		if (r > 0) {
			if (pfd[0].revents & POLLIN)
				run = pd_signals();
			if (pfd[1].revents & POLLIN)
				pd_accept();
			for (i = 2; i < n; i++)
				if (pfd[i].revents != 0 && who[i]->fd == pfd[i].fd)
					pd_client_input(who[i]);
		}
		now = pd_now_ms();
		pd_alarm_expire(now);
		pd_park_expire(now);
		for (i = 0; i < PD_CLIENTS_MAX; i++)
			if (pd.clients[i].fd >= 0 && pd.clients[i].dead)
				pd_client_close(&pd.clients[i]);
	}
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	struct rlimit rl;
	char err[256];
	size_t i;

	if (pd_options(argc, argv) != 0)
		return 2;
	/* a descriptor for every peer, and some to spare */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < PD_CLIENTS_MAX + 64) {
		rl.rlim_cur = rl.rlim_max < PD_CLIENTS_MAX + 64 ? rl.rlim_max :
		    PD_CLIENTS_MAX + 64;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (pd.cfg.syslog)
		openlog("policyd", LOG_PID, LOG_AUTHPRIV);
	for (i = 0; i < PD_CLIENTS_MAX; i++)
		pd.clients[i].fd = -1;
	pd.start_ms = pd_now_ms();
	if (pipe2(pd_sigpipe, O_CLOEXEC | O_NONBLOCK) != 0) {
		pd_log(LOG_ERR, "pipe: %s", strerror(errno));
		return 1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = pd_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if ((pd.lfd = pd_listen()) < 0)
		return 1;
	if (pd_log_open() != 0) {
		unlink(pd.cfg.sock);
		return 1;
	}
	/* before daemon(): errors and the console's URL reach the terminal
	 * (the server's threads start after it) */
	if (pd_http_bind(err, sizeof(err)) != 0 || (pd.cfg.console != NULL &&
	    pd_console_token_init(pd.cfg.sock, err, sizeof(err)) != 0)) {
		pd_log(LOG_ERR, "%s %s: %s", pd.cfg.console != NULL ?
		    "--console" : "--metrics", pd.cfg.console != NULL ?
		    pd.cfg.console : pd.cfg.metrics, err);
		pd_http_stop();
		unlink(pd.cfg.sock);
		return 1;
	}
	if (!pd.cfg.foreground) {
		if (daemon(0, 0) != 0) {
			pd_log(LOG_ERR, "daemon: %s", strerror(errno));
			pd_console_token_remove();
			unlink(pd.cfg.sock);
			return 1;
		}
		pd_daemonized = 1;
	}
	if (pd_http_start(err, sizeof(err)) != 0) {
		pd_log(LOG_ERR, "%s", err);
		pd_http_stop();
		pd_console_token_remove();
		unlink(pd.cfg.sock);
		return 1;
	}
	pd_log(LOG_NOTICE, "listening on %s (mode %04o), alarm timeout %u s",
	    pd.cfg.sock, (unsigned)pd.cfg.sock_mode, pd.cfg.timeout_ms / 1000);
	pd_loop();		/* returns holding pd.lock */
	pd_alarm_shutdown();
	for (i = 0; i < PD_CLIENTS_MAX; i++)
		if (pd.clients[i].fd >= 0)
			pd_client_close(&pd.clients[i]);
	pthread_mutex_unlock(&pd.lock);
	close(pd.lfd);
	unlink(pd.cfg.sock);
	pd_http_stop();
	pd_console_token_remove();
	pd_log_close();
	pd_log(LOG_NOTICE, "stopped");
	return 0;
}
