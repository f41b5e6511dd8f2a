/* policyd_peer.c: a test peer for policyd: optionally drops to another user (setuid),
 * then raises, lists or answers alarms, floods, or sends garbage, and prints what happened. */
#include <errno.h>
#include <grp.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "policy_msg.h"

static const char *sockpath;

static void
usage(void)
{
	fprintf(stderr,
	    "usage: policyd_peer [-u USER] SOCKET COMMAND\n"
	    "  connect                  connect, print connected or the error\n"
	    "  alarm PID [FILE]         raise an alarm for PID, print the reply\n"
	    "  answer ID permit|deny    answer alarm ID, print the result\n"
	    "  list                     print the alarm numbers we can see\n"
	    "  garbage                  send malformed records, print how many\n"
	    "                           got the connection dropped\n"
	    "  flood N DISTINCT SECONDS  raise N alarms for our own pid over one\n"
	    "                           connection (DISTINCT different ones),\n"
	    "                           reading verdicts; hold SECONDS; print counts\n"
	    "Drops to USER (setgroups, setgid, setuid) before connecting.\n");
	exit(2);
}

/* Connect without checking policyd's identity (we test policyd). */
static int
peer_connect(void)
{
	struct sockaddr_un sun;
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);

	memset(&sun, 0, sizeof(sun));
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", sockpath);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		printf("refused: %s\n", strerror(errno));
		exit(0);
	}
	return fd;
}

static void
peer_alarm_fill(struct policy_msg_alarm *m, pid_t pid, uint64_t id,
    const char *file)
{
	memset(m, 0, sizeof(*m));
	m->ma_alarm.pa_id = id;
	m->ma_alarm.pa_pid = pid;
	m->ma_alarm.pa_uid = (uint32_t)getuid();
	m->ma_alarm.pa_rule = POLICY_NONE;
	snprintf(m->ma_alarm.pa_program, sizeof(m->ma_alarm.pa_program),
	    "/usr/bin/test-peer");
	snprintf(m->ma_alarm.pa_policy, sizeof(m->ma_alarm.pa_policy),
	    "peer.yaml");
	m->ma_timeout_ms = 60000;
	m->ma_alarm.pa_req.pr_op = POLICY_OP_OPEN;
	policy_request_set_str(&m->ma_alarm.pa_req, POLICY_F_FILENAME, file);
	policy_request_set_int(&m->ma_alarm.pa_req, POLICY_F_FLAGS, 0);
}

/* Print the reply (or the end of the connection); returns its type. */
static int
peer_reply(int fd, int ms)
{
	static union policy_msg_buf b;
	char why[160] = "";
	int t = policy_msg_recv(fd, &b, ms, -1, why, sizeof(why));

	if (t == POLICY_MSG_VERDICT) {
		const struct policy_msg_verdict *v = POLICY_MSG_BODY(&b);

		printf("verdict %s reason %u\n", v->mv_action ==
		    POLICY_ACT_PERMIT ? "permit" : "deny", (unsigned)v->mv_reason);
	} else if (t == POLICY_MSG_RESULT) {
		const struct policy_msg_result *r = POLICY_MSG_BODY(&b);

		printf("result %u %s\n", (unsigned)r->mr_status, r->mr_text);
	} else if (t == POLICY_MSG_PENDING)
		printf("pending %llu\n", (unsigned long long)
		    ((struct policy_msg_pending *)POLICY_MSG_BODY(&b))->mp_id);
	else if (t == 0)
		printf("closed\n");
	else
		printf("error %s\n", errno == EPROTO ? why : strerror(errno));
	return t;
}

/* Did policyd drop the connection (within 2 s)? */
static int
peer_dropped(int fd)
{
	struct pollfd pfd = { fd, POLLIN, 0 };
	char buf[64];

	if (poll(&pfd, 1, 2000) <= 0)
		return 0;
	return recv(fd, buf, sizeof(buf), MSG_DONTWAIT) <= 0;
}

static void
peer_garbage(void)
{
	struct policy_msg_hdr h;
	struct policy_msg_alarm m;
	unsigned char raw[POLICY_MSG_MAX + 512];
	int dropped = 0, tries = 0, fd, i;

	/* 1: a few bytes; 2: bad magic; 3: wrong length; 4: unknown type;
	 * 5: unterminated string; 6: oversized; 7: bad request op;
	 * 8: a reply type from a client; 9: random bytes */
	for (i = 1; i <= 9; i++) {
		size_t len = 0;

		memset(raw, 0, sizeof(raw));
		memset(&h, 0, sizeof(h));
		h.pm_magic = POLICY_MSG_MAGIC;
		h.pm_version = POLICY_MSG_VERSION;
		h.pm_type = POLICY_MSG_ALARM;
		peer_alarm_fill(&m, getpid(), 1, "/x");
		switch (i) {
		case 1:
			len = 3;
			break;
		case 2:
			h.pm_magic = 0xdeadbeef;
			/* FALLTHROUGH */
		case 3: case 4: case 5: case 7:
			if (i == 4)
				h.pm_type = 77;
			if (i == 5)
				memset(m.ma_rule, 'A', sizeof(m.ma_rule));
			if (i == 7)
				m.ma_alarm.pa_req.pr_op = 999;
			h.pm_len = (uint32_t)(sizeof(h) + sizeof(m) + (i == 3));
			memcpy(raw, &h, sizeof(h));
			memcpy(raw + sizeof(h), &m, sizeof(m));
			len = sizeof(h) + sizeof(m) + (i == 3);
			break;
		case 6:
			len = sizeof(raw);
			memset(raw, 'x', len);
			break;
		case 8:
			h.pm_type = POLICY_MSG_STATS;
			h.pm_len = (uint32_t)(sizeof(h) +
			    sizeof(struct policy_msg_stats));
			memcpy(raw, &h, sizeof(h));
			len = h.pm_len;
			break;
		case 9: {
			size_t k;

			srand(7);
			len = 4000;
			for (k = 0; k < len; k++)
				raw[k] = (unsigned char)rand();
			break;
		}
		}
		fd = peer_connect();
		tries++;
		if (send(fd, raw, len, MSG_NOSIGNAL) < 0)
			dropped++;	/* refused outright */
		else
			dropped += peer_dropped(fd);
		close(fd);
	}
	printf("dropped %d/%d\n", dropped, tries);
}

static void
peer_flood(unsigned n, unsigned distinct, unsigned hold)
{
	static union policy_msg_buf b;
	struct policy_msg_alarm m;
	unsigned sent = 0, verdicts = 0, byreason[POLICY_VERDICT_COUNT] = { 0 };
	int fd = peer_connect();
	time_t end;
	char file[64];

	while (sent < n || verdicts < sent) {
		struct pollfd pfd = { fd, POLLIN | (sent < n ? POLLOUT : 0), 0 };

		if (poll(&pfd, 1, sent < n ? 5000 : 300) <= 0)
			break;		/* the rest are pending */
		if (pfd.revents & (POLLHUP | POLLERR))
			break;
		if (pfd.revents & POLLIN) {
			int t = policy_msg_recv(fd, &b, 0, -1, NULL, 0);

			if (t <= 0)
				break;
			if (t == POLICY_MSG_VERDICT) {
				const struct policy_msg_verdict *v =
				    POLICY_MSG_BODY(&b);

				verdicts++;
				byreason[v->mv_reason]++;
			}
		}
		if ((pfd.revents & POLLOUT) && sent < n) {
			snprintf(file, sizeof(file), "/flood/%u", sent % distinct);
			peer_alarm_fill(&m, getpid(), sent + 1, file);
			if (policy_msg_send(fd, POLICY_MSG_ALARM, &m, sizeof(m),
			    MSG_DONTWAIT) == 0)
				sent++;
			else if (errno != EAGAIN)
				break;
		}
	}
	printf("sent %u verdicts %u full %u\n", sent, verdicts,
	    byreason[POLICY_VERDICT_FULL]);
	fflush(stdout);
	end = time(NULL) + hold;
	while (time(NULL) < end)
		sleep(1);
	close(fd);
}

int
main(int argc, char **argv)
{
	const char *user = NULL;
	int i = 1, fd;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (i + 1 < argc && strcmp(argv[i], "-u") == 0) {
		user = argv[i + 1];
		i += 2;
	}
	if (argc - i < 2)
		usage();
	sockpath = argv[i++];
	if (user != NULL) {
		struct passwd *pw = getpwnam(user);

		if (pw == NULL || setgroups(0, NULL) != 0 ||
		    setgid(pw->pw_gid) != 0 || setuid(pw->pw_uid) != 0 ||
		    getuid() != pw->pw_uid) {
			fprintf(stderr, "policyd_peer: cannot become %s: %s\n",
			    user, strerror(errno));
			return 3;
		}
	}
	if (strcmp(argv[i], "connect") == 0) {
		fd = peer_connect();
		printf("connected\n");
		close(fd);
	} else if (strcmp(argv[i], "alarm") == 0 && argc - i >= 2) {
		struct policy_msg_alarm m;

		peer_alarm_fill(&m, (pid_t)atoi(argv[i + 1]), 1,
		    argc - i >= 3 ? argv[i + 2] : "/etc/hostname");
		fd = peer_connect();
		if (policy_msg_send(fd, POLICY_MSG_ALARM, &m, sizeof(m), 0) != 0)
			printf("closed\n");
		else
			peer_reply(fd, 5000);
		close(fd);
	} else if (strcmp(argv[i], "answer") == 0 && argc - i >= 3) {
		struct policy_answer a;

		memset(&a, 0, sizeof(a));
		a.pa_id = strtoull(argv[i + 1], NULL, 10);
		a.pa_action = strcmp(argv[i + 2], "permit") == 0 ?
		    POLICY_ACT_PERMIT : POLICY_ACT_DENY;
		fd = peer_connect();
		if (policy_msg_send(fd, POLICY_MSG_ANSWER, &a, sizeof(a), 0) != 0)
			printf("closed\n");
		else
			peer_reply(fd, 5000);
		close(fd);
	} else if (strcmp(argv[i], "list") == 0) {
		struct policy_msg_next nx;
		int t, n = 0;

		memset(&nx, 0, sizeof(nx));
		fd = peer_connect();
		for (;;) {
			static union policy_msg_buf b;

			if (policy_msg_send(fd, POLICY_MSG_NEXT, &nx, sizeof(nx),
			    0) != 0)
				break;
			t = policy_msg_recv(fd, &b, 5000, -1, NULL, 0);
			if (t != POLICY_MSG_PENDING)
				break;
			nx.mn_after = ((struct policy_msg_pending *)
			    POLICY_MSG_BODY(&b))->mp_id;
			printf("alarm %llu\n", (unsigned long long)nx.mn_after);
			n++;
		}
		printf("visible %d\n", n);
		close(fd);
	} else if (strcmp(argv[i], "garbage") == 0)
		peer_garbage();
	else if (strcmp(argv[i], "flood") == 0 && argc - i >= 4)
		peer_flood((unsigned)atoi(argv[i + 1]),
		    (unsigned)atoi(argv[i + 2]) ? (unsigned)atoi(argv[i + 2]) : 1,
		    (unsigned)atoi(argv[i + 3]));
	else
		usage();
	return 0;
}
