/* policyctl_interact.c: the interactive options of `policyctl run` (alarms, policyd, JSON
 * decision log) and setting the supervisor up with them around a run. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policyctl.h"
#include "policy_interactive.h"
#include "policy_linux_interact.h"

/* The value of option a: "--opt=VALUE" or the next argument. */
static const char *
policyctl_optval(int argc, char **argv, int *i, const char *name)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n) == 0 && a[n] == '=')
		return a + n + 1;
	if (*i + 1 >= argc) {
		fprintf(stderr, "policyctl: %s needs a value\n", name);
		return NULL;
	}
	return argv[++*i];
}

static bool
policyctl_is(const char *a, const char *name)
{
	size_t n = strlen(name);

	return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=');
}

int
policyctl_interact_opt(int argc, char **argv, int *i,
    struct policy_linux_interact *pi, const char **json)
{
	const char *a = argv[*i], *v;
	char *end;
	unsigned long sec;

	if (strcmp(a, "-i") == 0 || strcmp(a, "--interactive") == 0)
		pi->pi_interactive = 1;
	else if (strcmp(a, "--no-policyd") == 0)
		pi->pi_no_policyd = 1;
	else if (strcmp(a, "--no-tty") == 0)
		pi->pi_no_tty = 1;
	else if (strcmp(a, "--no-report") == 0)
		pi->pi_report = 0;
	else if (strcmp(a, "--syslog") == 0)
		pi->pi_syslog = 1;
	else if (policyctl_is(a, "--ask-timeout")) {
		if ((v = policyctl_optval(argc, argv, i, "--ask-timeout")) == NULL)
			return -1;
		errno = 0;
		sec = strtoul(v, &end, 10);
		if (errno != 0 || *end != '\0' || sec == 0 || sec > 86400) {
			fprintf(stderr, "policyctl: --ask-timeout: seconds, "
			    "1 to 86400\n");
			return -1;
		}
		pi->pi_timeout_ms = (unsigned)sec * 1000;
	} else if (policyctl_is(a, "--socket")) {
		if ((v = policyctl_optval(argc, argv, i, "--socket")) == NULL)
			return -1;
		pi->pi_socket = v;
	} else if (policyctl_is(a, "--json-log")) {
		if ((v = policyctl_optval(argc, argv, i, "--json-log")) == NULL)
			return -1;
		*json = v;
	} else
		return 0;
	return 1;
}

/* Is path a YAML policy (not a compiled blob)? */
static bool
policyctl_is_yaml(const char *path)
{
	uint32_t magic = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	if (read(fd, &magic, sizeof(magic)) != (ssize_t)sizeof(magic))
		magic = 0;
	close(fd);
	return magic != POLICY_MAGIC;
}

int
policyctl_interact_begin(struct policy_linux_interact *pi, const char *policy,
    struct policy_loaded **plp, const char *json)
{
	struct policy_diag diag;
	struct policy_loaded *pl2;
	char err[512];
	int fd;

	if (policy != NULL && policyctl_is_yaml(policy))
		pi->pi_policy_path = policy;
	if (pi->pi_interactive) {
		memset(&diag, 0, sizeof(diag));
		if ((pl2 = policy_loaded_with_default(*plp, POLICY_ACT_ASK,
		    &diag)) == NULL) {
			policy_diag_print(stderr, &diag);
			return PCTL_EXIT_SYSTEM;
		}
		policy_loaded_free(*plp);
		*plp = pl2;
	}
	if (json != NULL) {
		if ((fd = open(json, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		    0600)) < 0 || (pi->pi_json = fdopen(fd, "a")) == NULL) {
			fprintf(stderr, "policyctl: %s: %s\n", json,
			    strerror(errno));
			if (fd >= 0)
				close(fd);
			return PCTL_EXIT_SYSTEM;
		}
	}
	if (policy_linux_interact_start(pi, err, sizeof(err)) != 0) {
		fprintf(stderr, "policyctl: %s\n", err);
		if (pi->pi_json != NULL)
			fclose(pi->pi_json);
		pi->pi_json = NULL;
		return PCTL_EXIT_SYSTEM;
	}
	return 0;
}

void
policyctl_interact_end(struct policy_linux_interact *pi)
{
	policy_linux_interact_stop();
	if (pi->pi_json != NULL)
		fclose(pi->pi_json);
	pi->pi_json = NULL;
}
