/* policy_persist.c: an "always" answer becomes a rule in the YAML policy, placed just
 * before the rule that asked, written atomically under a lock on the policy's directory. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>

#include "policy_interactive.h"

/*
 * Where the new rule goes in the policy as it is now: before the rule that
 * asked, found by its number and checked by its text (the file may have
 * changed since the supervisor compiled it); if that rule is gone, first,
 * so the answer is honoured; after everything when the default asked.
 */
static uint32_t
policy_persist_spot(const struct policy *p, const struct policy_msg_alarm *m)
{
	uint32_t r = m->ma_alarm.pa_rule, i;

	if (r == POLICY_NONE)
		return POLICY_NONE;
	if (r < p->p_nrules &&
	    strcmp(policy_str(p, p->p_rules[r].pr_text), m->ma_rule) == 0)
		return r;
	for (i = 0; i < p->p_nrules; i++)
		if (p->p_rules[i].pr_action == POLICY_ACT_ASK &&
		    strcmp(policy_str(p, p->p_rules[i].pr_text), m->ma_rule) == 0)
			return i;
	return 0;
}

/* A comment safe for one YAML comment line: printable ASCII only. */
static void
policy_persist_comment(const char *in, char *out, size_t cap)
{
	size_t i, j = 0;

	for (i = 0; in != NULL && in[i] != '\0' && j + 1 < cap; i++) {
		unsigned char c = (unsigned char)in[i];
		out[j++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	out[j] = '\0';
}

int
policy_persist_answer(const struct policy_msg_alarm *m, unsigned action,
    unsigned perrno, const char *comment, char *where, size_t wcap,
    struct policy_diag *diag)
{
	char rule[POLICY_PATH_MAX * 2 + 128];

	if (m->ma_path[0] != '/') {
		policy_diag_set(diag, m->ma_path, 0, 0, "no YAML policy to write to");
		return -1;
	}
	if (policy_request_rule(&m->ma_alarm.pa_req, action, perrno, rule,
	    sizeof(rule)) != 0) {
		policy_diag_set(diag, m->ma_path, 0, 0, "this call cannot be "
		    "written as a rule (control characters in its arguments)");
		return -1;
	}
	return policy_persist_rule(m, rule, comment, where, wcap, diag);
}

int
policy_persist_rule(const struct policy_msg_alarm *m, const char *rule,
    const char *comment, char *where, size_t wcap, struct policy_diag *diag)
{
	const char *path = m->ma_path;
	char com[512], dir[POLICY_PATH_MAX];
	struct policy_loaded *pl = NULL;
	struct policy_diag d2;
	struct stat st;
	char *text = NULL, *out = NULL;
	size_t len;
	uint32_t at, magic;
	int dfd = -1, rv = -1;

	if (path[0] != '/') {
		policy_diag_set(diag, path, 0, 0, "no YAML policy to write to");
		return -1;
	}
	policy_persist_comment(comment, com, sizeof(com));
	snprintf(dir, sizeof(dir), "%s", path);
	if ((dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0 ||
	    flock(dfd, LOCK_EX) != 0) {
		policy_diag_set(diag, path, 0, 0, "cannot lock its directory: %s",
		    strerror(errno));
		goto out;
	}
	if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		policy_diag_set(diag, path, 0, 0, "not a regular file");
		goto out;
	}
	if (policy_read_file(path, &text, &len, diag) != 0)
		goto out;
	magic = 0;
	if (len >= sizeof(magic))
		memcpy(&magic, text, sizeof(magic));
	if (magic == POLICY_MAGIC) {
		policy_diag_set(diag, path, 0, 0, "a compiled policy cannot "
		    "take rules; run with the YAML policy");
		goto out;
	}
	if ((pl = policy_load_file(path, diag)) == NULL)
		goto out;
	at = policy_persist_spot(&pl->pl_policy, m);
	if ((out = policy_yaml_with_rule_at(path, text, len, at, rule,
	    com[0] ? com : NULL, diag)) == NULL)
		goto out;
	if (policy_write_atomic(path, out, strlen(out), st.st_mode & 07777,
	    diag) != 0)
		goto out;
	if (where != NULL && wcap > 0) {
		struct policy_loaded *after;

		memset(&d2, 0, sizeof(d2));
		snprintf(where, wcap, "%s", path);
		if ((after = policy_load_file(path, &d2)) != NULL) {
			uint32_t i = at < after->pl_policy.p_nrules ? at :
			    after->pl_policy.p_nrules - 1;

			snprintf(where, wcap, "%s:%u", path,
			    (unsigned)after->pl_policy.p_rules[i].pr_line);
			policy_loaded_free(after);
		}
	}
	rv = 0;
out:
	policy_loaded_free(pl);
	free(out);
	free(text);
	if (dfd >= 0)
		close(dfd);	/* releases the lock */
	return rv;
}
