/* policyctl_show.c: "policyctl show" (human-readable dump of a policy and its index)
 * and "policyctl import" (systrace policy to YAML). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libpolicy.h"
#include "policy_linux.h"
#include "policy_linux_landlock.h"
#include "policyctl.h"

int
policyctl_show(int argc, char **argv)
{
	struct policy_loaded *pl;
	struct policy_diag diag;

	if (policyctl_wants_help(argc, argv)) {
		printf("usage: policyctl show POLICY\n\n"
		    "Print a policy (YAML source or compiled blob): header, "
		    "rules in order\nwith their source positions, and the rule "
		    "index per operation\n(exact keys, prefix trie, unindexed "
		    "rules), then where policyctl run enforces\neach rule on "
		    "this machine: kernel filter (BPF), Landlock or supervisor,\n"
		    "and why.\n");
		return PCTL_EXIT_OK;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: policyctl show POLICY\n");
		return PCTL_EXIT_USAGE;
	}
	if ((pl = policy_load_file(argv[1], &diag)) == NULL) {
		policy_diag_print(stderr, &diag);
		return PCTL_EXIT_INVALID;
	}
	policy_dump(stdout, &pl->pl_policy);
	{
		/* where policyctl run enforces each rule, and why */
		struct policy_sup s;
		char err[256];

		memset(&s, 0, sizeof(s));
		s.s_pol = &pl->pl_policy;
		fputc('\n', stdout);
		if (policy_linux_where(stdout, &s, s.s_pol, err,
		    sizeof(err)) != 0)
			fprintf(stderr, "policyctl: %s\n", err);
	}
	policy_loaded_free(pl);
	return PCTL_EXIT_OK;
}

int
policyctl_import(int argc, char **argv)
{
	struct policy_diag diag;
	char *text;
	size_t len;
	int rv;

	if (policyctl_wants_help(argc, argv)) {
		printf("usage: policyctl import SYSTRACE-POLICY\n\n"
		    "Convert a systrace policy file ('Policy: /bin/ls, "
		    "Emulation: native'\nfollowed by rule lines) to a YAML "
		    "policy with the same meaning,\nwritten to standard "
		    "output.  Every rule is checked; errors name\nthe "
		    "systrace file's line and column.\n");
		return PCTL_EXIT_OK;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: policyctl import SYSTRACE-POLICY\n");
		return PCTL_EXIT_USAGE;
	}
	if (policy_read_file(argv[1], &text, &len, &diag) != 0) {
		policy_diag_print(stderr, &diag);
		return PCTL_EXIT_INVALID;
	}
	rv = policy_import_systrace(argv[1], text, len, stdout, &diag);
	free(text);
	if (rv != 0) {
		policy_diag_print(stderr, &diag);
		return PCTL_EXIT_INVALID;
	}
	return PCTL_EXIT_OK;
}
