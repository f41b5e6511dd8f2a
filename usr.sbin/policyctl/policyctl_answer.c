/* policyctl_answer.c: `policyctl answer ID permit|deny [--always]`: answers one pending
 * policyd alarm from a script; the exit status says whether it was taken. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policyctl.h"
#include "policy_msg.h"

static void
policyctl_answer_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: policyctl answer [-s SOCKET] [--always] [--errno ERRNO] ID "
	    "permit|deny\n"
	    "\n"
	    "Answer policyd's pending alarm ID (see 'policyctl prompt --list'):\n"
	    "the waiting system call is permitted or denied.  With --always the\n"
	    "answer also becomes a rule in the policy file, placed before the\n"
	    "rule that asked, and the running program uses it at once.\n"
	    "\n"
	    "  -s, --socket PATH  policyd's socket (default as for 'run')\n"
	    "  -a, --always       permit or deny always, not only this time\n"
	    "  -e, --errno ERRNO  the error a denied call fails with (EACCES...)\n"
	    "  -h, --help         this text\n"
	    "\n"
	    "Exit status: 0 answered; 1 no such alarm, not yours, or answered\n"
	    "but the rule could not be written; 2 usage; 3 policyd unreachable.\n");
}

int
policyctl_answer(int argc, char **argv)
{
	struct policy_answer a;
	union policy_msg_buf *b;
	const char *sock = NULL, *pos[2] = { NULL, NULL };
	char *end;
	int64_t e = 0;
	unsigned long long id;
	int i, np = 0, fd, t, rv;

	if (policyctl_wants_help(argc, argv)) {
		policyctl_answer_usage(stdout);
		return PCTL_EXIT_OK;
	}
	memset(&a, 0, sizeof(a));
	a.pa_scope = POLICY_ANSWER_ONCE;
	for (i = 1; i < argc; i++) {
		const char *s = argv[i];

		if (strcmp(s, "-a") == 0 || strcmp(s, "--always") == 0)
			a.pa_scope = POLICY_ANSWER_ALWAYS;
		else if ((strcmp(s, "-s") == 0 || strcmp(s, "--socket") == 0) &&
		    i + 1 < argc)
			sock = argv[++i];
		else if ((strcmp(s, "-e") == 0 || strcmp(s, "--errno") == 0) &&
		    i + 1 < argc) {
			i++;
			if (!policy_name_lookup(policy_errno_names + 1, argv[i],
			    strlen(argv[i]), &e)) {
				fprintf(stderr, "policyctl answer: unknown errno "
				    "'%s'\n", argv[i]);
				return PCTL_EXIT_USAGE;
			}
			a.pa_errno = (uint16_t)policy_errno_portable((int)e);
		} else if (strcmp(s, "--") == 0)
			continue;
		else if (s[0] == '-' && s[1] != '\0') {
			fprintf(stderr, "policyctl answer: unknown option '%s'\n", s);
			policyctl_answer_usage(stderr);
			return PCTL_EXIT_USAGE;
		} else if (np < 2)
			pos[np++] = s;
		else {
			policyctl_answer_usage(stderr);
			return PCTL_EXIT_USAGE;
		}
	}
	if (np != 2) {
		policyctl_answer_usage(stderr);
		return PCTL_EXIT_USAGE;
	}
	id = strtoull(pos[0], &end, 10);
	if (*pos[0] == '\0' || *end != '\0' || id == 0) {
		fprintf(stderr, "policyctl answer: '%s' is not an alarm number\n",
		    pos[0]);
		return PCTL_EXIT_USAGE;
	}
	a.pa_id = id;
	if (strcmp(pos[1], "permit") == 0)
		a.pa_action = POLICY_ACT_PERMIT;
	else if (strcmp(pos[1], "deny") == 0)
		a.pa_action = POLICY_ACT_DENY;
	else {
		fprintf(stderr, "policyctl answer: say permit or deny, not '%s'\n",
		    pos[1]);
		return PCTL_EXIT_USAGE;
	}
	if (a.pa_errno != 0 && a.pa_action != POLICY_ACT_DENY) {
		fprintf(stderr, "policyctl answer: --errno goes with deny\n");
		return PCTL_EXIT_USAGE;
	}
	if ((fd = policyctl_connect("answer", sock)) < 0)
		return PCTL_EXIT_SYSTEM;
	if ((b = malloc(sizeof(*b))) == NULL) {
		close(fd);
		return PCTL_EXIT_SYSTEM;
	}
	t = policyctl_request("answer", fd, POLICY_MSG_ANSWER, &a, sizeof(a),
	    b, 30000);
	close(fd);
	if (t != POLICY_MSG_RESULT) {
		if (t > 0)
			fprintf(stderr, "policyctl answer: unexpected reply\n");
		free(b);
		return PCTL_EXIT_SYSTEM;
	} else {
		const struct policy_msg_result *r = POLICY_MSG_BODY(b);

		fprintf(r->mr_status == POLICY_RES_OK ? stdout : stderr,
		    "%s%s\n", r->mr_status == POLICY_RES_OK ? "" :
		    "policyctl answer: ", r->mr_text);
		rv = r->mr_status == POLICY_RES_OK ? PCTL_EXIT_OK : 1;
	}
	free(b);
	return rv;
}
