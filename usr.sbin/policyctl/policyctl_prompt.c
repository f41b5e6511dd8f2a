/* policyctl_prompt.c: `policyctl prompt`: shows policyd's pending alarms one by one (what,
 * who, which rule) and takes single-key answers; --list prints them for scripts. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "policyctl.h"
#include "policy_interactive.h"

static struct termios prompt_saved;
static int prompt_raw;

static void
policyctl_prompt_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: policyctl prompt [-s SOCKET] [-l | --list] [-1 | --once]\n"
	    "\n"
	    "Show the alarms policyd holds for you, one at a time: the program\n"
	    "and process, the call and its arguments, and the rule that asked.\n"
	    "Answer with one key:\n"
	    "  y  permit once        a (or Y)  permit always\n"
	    "  n  deny once          d (or N)  deny always\n"
	    "  s  skip for now       q         quit\n"
	    "'Always' answers become rules in the policy file.\n"
	    "\n"
	    "  -s, --socket PATH  policyd's socket (default as for 'run')\n"
	    "  -l, --list         print the pending alarms, one per line (ID, pid,\n"
	    "                     program, call, rule, identical calls), and exit\n"
	    "  -1, --once         exit after one answer\n"
	    "  -h, --help         this text\n");
}

static void
policyctl_prompt_restore(void)
{
	if (prompt_raw)
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &prompt_saved);
	prompt_raw = 0;
}

static void
policyctl_prompt_signal(int sig)
{
	policyctl_prompt_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Single keys without Enter; Ctrl-C still works. */
static void
policyctl_prompt_rawmode(void)
{
	struct termios t;

	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &prompt_saved) != 0)
		return;
	t = prompt_saved;
	t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	t.c_cc[VMIN] = 1;
	t.c_cc[VTIME] = 0;
	if (tcsetattr(STDIN_FILENO, TCSANOW, &t) != 0)
		return;
	prompt_raw = 1;
	atexit(policyctl_prompt_restore);
	signal(SIGINT, policyctl_prompt_signal);
	signal(SIGTERM, policyctl_prompt_signal);
	signal(SIGHUP, policyctl_prompt_signal);
}

/* Text from policyd, made safe for a terminal: printable ASCII and valid
 * UTF-8 stay, control bytes (escape sequences) become '?'. */
static void
policyctl_safe(const char *in, char *out, size_t cap)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t j = 0;

	while (*p != '\0' && j + 5 < cap) {
		size_t n = 0, k;

		if (*p >= 0x20 && *p < 0x7f)
			n = 1;
		else if ((*p & 0xe0) == 0xc0 && *p >= 0xc2)
			n = 2;
		else if ((*p & 0xf0) == 0xe0)
			n = 3;
		else if ((*p & 0xf8) == 0xf0 && *p <= 0xf4)
			n = 4;
		for (k = 1; k < n; k++)
			if ((p[k] & 0xc0) != 0x80)
				n = 0;
		if (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)
			n = 0;		/* C1 controls */
		if (n == 0) {
			out[j++] = '?';
			p++;
			continue;
		}
		memcpy(out + j, p, n);
		j += n;
		p += n;
	}
	out[j] = '\0';
}

static void
policyctl_prompt_show(const struct policy_msg_pending *p, bool list)
{
	const struct policy_msg_alarm *m = &p->mp_alarm;
	char desc[1200], prog[300], pol[300], rule[600];

	policy_request_describe(&m->ma_alarm.pa_req, desc, sizeof(desc));
	policyctl_safe(m->ma_alarm.pa_program[0] ? m->ma_alarm.pa_program : "?",
	    prog, sizeof(prog));
	policyctl_safe(m->ma_path[0] ? m->ma_path : m->ma_alarm.pa_policy, pol,
	    sizeof(pol));
	policyctl_safe(m->ma_rule, rule, sizeof(rule));
	if (list) {
		char line[16] = "default";

		if (m->ma_alarm.pa_rule != POLICY_NONE)
			snprintf(line, sizeof(line), "%u",
			    (unsigned)m->ma_alarm.pa_line);
		printf("%llu\t%d\t%s\t%s\t%s:%s\t%u\n",
		    (unsigned long long)p->mp_id, (int)m->ma_alarm.pa_pid, prog,
		    desc, pol, line, (unsigned)p->mp_count);
		return;
	}
	printf("\n[alarm %llu] pid %d %s (uid %u)", (unsigned long long)p->mp_id,
	    (int)m->ma_alarm.pa_pid, prog, (unsigned)p->mp_uid);
	if (p->mp_count > 1)
		printf(", %u identical calls waiting", (unsigned)p->mp_count);
	printf(", %u s left", (unsigned)(p->mp_remaining_ms / 1000));
	if (p->mp_npending > 1)
		printf(" (%u pending)", (unsigned)p->mp_npending);
	printf("\n  wants: %s\n", desc);
	if (m->ma_alarm.pa_rule == POLICY_NONE)
		printf("  rule:  %s: no rule matched, the default asks\n", pol);
	else
		printf("  rule:  %s:%u: %s\n", pol, (unsigned)m->ma_alarm.pa_line,
		    rule);
	printf("  [y] permit once  [a] permit always  [n] deny once  "
	    "[d] deny always  [s] skip  [q] quit ");
	fflush(stdout);
}

/* Next key from stdin: the character, 0 for none within ms, -1 at EOF. */
static int
policyctl_prompt_key(int ms)
{
	struct pollfd pfd = { STDIN_FILENO, POLLIN, 0 };
	unsigned char c;
	ssize_t n;

	for (;;) {
		int r = poll(&pfd, 1, ms);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r < 0 ? -1 : 0;
		n = read(STDIN_FILENO, &c, 1);
		if (n <= 0)
			return -1;
		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		return c;
	}
}

static int
policyctl_prompt_list(int fd, union policy_msg_buf *b)
{
	struct policy_msg_next nx;
	int t;

	memset(&nx, 0, sizeof(nx));
	for (;;) {
		t = policyctl_request("prompt", fd, POLICY_MSG_NEXT, &nx,
		    sizeof(nx), b, 10000);
		if (t == POLICY_MSG_RESULT)
			break;		/* no more */
		if (t != POLICY_MSG_PENDING)
			return PCTL_EXIT_SYSTEM;
		policyctl_prompt_show(POLICY_MSG_BODY(b), true);
		nx.mn_after = ((struct policy_msg_pending *)POLICY_MSG_BODY(b))->mp_id;
	}
	fflush(stdout);
	return PCTL_EXIT_OK;
}

int
policyctl_prompt(int argc, char **argv)
{
	union policy_msg_buf *b;
	struct policy_msg_next nx;
	const char *sock = NULL;
	char why[160];
	bool list = false, once = false, waiting = false;
	uint64_t after = 0;
	int i, fd, t, rv = PCTL_EXIT_OK;

	if (policyctl_wants_help(argc, argv)) {
		policyctl_prompt_usage(stdout);
		return PCTL_EXIT_OK;
	}
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-l") == 0 || strcmp(argv[i], "--list") == 0)
			list = true;
		else if (strcmp(argv[i], "-1") == 0 ||
		    strcmp(argv[i], "--once") == 0)
			once = true;
		else if ((strcmp(argv[i], "-s") == 0 ||
		    strcmp(argv[i], "--socket") == 0) && i + 1 < argc)
			sock = argv[++i];
		else {
			fprintf(stderr, "policyctl prompt: unknown argument "
			    "'%s'\n", argv[i]);
			policyctl_prompt_usage(stderr);
			return PCTL_EXIT_USAGE;
		}
	}
	if ((fd = policyctl_connect("prompt", sock)) < 0)
		return PCTL_EXIT_SYSTEM;
	if ((b = malloc(sizeof(*b))) == NULL) {
		close(fd);
		return PCTL_EXIT_SYSTEM;
	}
	if (list) {
		rv = policyctl_prompt_list(fd, b);
		free(b);
		close(fd);
		return rv;
	}
	policyctl_prompt_rawmode();
	for (;;) {
		struct policy_msg_pending *p;
		struct policy_answer a;
		struct pollfd pfd[2];
		int key;

		memset(&nx, 0, sizeof(nx));
		nx.mn_after = after;
		nx.mn_wait_ms = waiting ? 1000 : 0;
		if (policy_msg_send(fd, POLICY_MSG_NEXT, &nx, sizeof(nx), 0) != 0) {
			fprintf(stderr, "policyctl prompt: policyd: %s\n",
			    strerror(errno));
			rv = PCTL_EXIT_SYSTEM;
			break;
		}
		/* while waiting for an alarm, 'q' still quits */
		pfd[0].fd = fd;
		pfd[0].events = POLLIN;
		pfd[1].fd = STDIN_FILENO;
		pfd[1].events = POLLIN;
		while (waiting && poll(pfd, 2, -1) > 0 && !(pfd[0].revents) &&
		    (pfd[1].revents & (POLLIN | POLLHUP))) {
			key = policyctl_prompt_key(0);
			if (key == 'q' || key == -1)
				goto out;
		}
		why[0] = '\0';
		if ((t = policy_msg_recv(fd, b, -1, -1, why, sizeof(why))) <= 0) {
			fprintf(stderr, "policyctl prompt: policyd: %s\n",
			    t == 0 ? "closed the connection" : errno == EPROTO ?
			    why : strerror(errno));
			rv = PCTL_EXIT_SYSTEM;
			break;
		}
		if (t == POLICY_MSG_RESULT) {
			if (after != 0) {	/* wrap to skipped ones */
				after = 0;
				continue;
			}
			if (!waiting)
				printf("\nno alarms pending; waiting "
				    "(q to quit)\n");
			fflush(stdout);
			waiting = true;
			continue;
		}
		if (t != POLICY_MSG_PENDING) {
			rv = PCTL_EXIT_SYSTEM;
			break;
		}
		waiting = false;
		p = POLICY_MSG_BODY(b);
		after = p->mp_id;
		policyctl_prompt_show(p, false);
		do
			key = policyctl_prompt_key(-1);
		while (key > 0 && strchr("yYaAnNdDsSq?", key) == NULL);
		printf("%c\n", key > 0 ? key : ' ');
		if (key == -1 || key == 'q')
			break;
		if (key == 's' || key == 'S' || key == '?')
			continue;
		memset(&a, 0, sizeof(a));
		a.pa_id = p->mp_id;
		a.pa_action = strchr("yYaA", key) ? POLICY_ACT_PERMIT :
		    POLICY_ACT_DENY;
		a.pa_scope = strchr("aAYdDN", key) ? POLICY_ANSWER_ALWAYS :
		    POLICY_ANSWER_ONCE;
		t = policyctl_request("prompt", fd, POLICY_MSG_ANSWER, &a,
		    sizeof(a), b, 30000);
		if (t == POLICY_MSG_RESULT) {
			const struct policy_msg_result *r = POLICY_MSG_BODY(b);
			char txt[300];

			policyctl_safe(r->mr_text, txt, sizeof(txt));
			printf("  %s\n", txt);
		} else {
			rv = PCTL_EXIT_SYSTEM;
			break;
		}
		if (once)
			break;
	}
out:
	policyctl_prompt_restore();
	free(b);
	close(fd);
	return rv;
}
