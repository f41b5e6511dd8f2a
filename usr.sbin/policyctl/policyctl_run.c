/* policyctl_run.c: `policyctl run`: runs a program, its threads, children and everything
 * it execs under a policy (Linux: seccomp user notification supervisor) and returns its status. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "policyctl.h"
#include "policy_linux.h"

static void
policyctl_run_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: policyctl run [-v] [--dry-run] -p POLICY [--] PROGRAM [ARGS...]\n"
	    "\n"
	    "Run PROGRAM confined by POLICY (YAML or compiled).  Every thread,\n"
	    "child and exec'd program stays confined; denied calls fail with the\n"
	    "policy's errno and are logged on stderr with the rule's file:line.\n"
	    "\n"
	    "  -p, --policy FILE  the policy\n"
	    "  -v, --verbose      print every decision (all calls go through the\n"
	    "                     supervisor: slower)\n"
	    "  -n, --dry-run      audit mode: log what would be denied, permit it\n"
	    "  -h, --help         this text\n"
	    "\n"
	    "Exit status: the program's, or 128+N if signal N ended it; 127 if the\n"
	    "program is not found, 126 if it cannot be executed (or the policy\n"
	    "denies its execution); 1 for a bad policy, 2 for bad usage, 3 if\n"
	    "the system cannot confine programs.\n");
}

int
policyctl_run(int argc, char **argv)
{
	struct policy_linux_opts o;
	struct policy_loaded *pl;
	struct policy_diag diag;
	const char *policy = NULL;
	char err[512];
	int i, st = 0, r;

	memset(&o, 0, sizeof(o));
	if (policyctl_wants_help(argc, argv)) {
		policyctl_run_usage(stdout);
		return PCTL_EXIT_OK;
	}
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-')
			break;
		if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0)
			o.plo_verbose = 1;
		else if (strcmp(a, "-n") == 0 || strcmp(a, "--dry-run") == 0)
			o.plo_dry_run = 1;
		else if (strcmp(a, "-p") == 0 || strcmp(a, "--policy") == 0) {
			if (++i == argc) {
				fprintf(stderr, "policyctl run: %s needs a "
				    "policy file\n", a);
				return PCTL_EXIT_USAGE;
			}
			policy = argv[i];
		} else if (strncmp(a, "--policy=", 9) == 0)
			policy = a + 9;
		else {
			fprintf(stderr, "policyctl run: unknown option '%s'\n", a);
			policyctl_run_usage(stderr);
			return PCTL_EXIT_USAGE;
		}
	}
	if (policy == NULL) {
		fprintf(stderr, "policyctl run: no policy given (-p POLICY)\n");
		policyctl_run_usage(stderr);
		return PCTL_EXIT_USAGE;
	}
	if (i >= argc) {
		fprintf(stderr, "policyctl run: no program given\n");
		policyctl_run_usage(stderr);
		return PCTL_EXIT_USAGE;
	}
	memset(&diag, 0, sizeof(diag));
	if ((pl = policy_load_file(policy, &diag)) == NULL) {
		fprintf(stderr, "policyctl run: ");
		policy_diag_print(stderr, &diag);
		return PCTL_EXIT_INVALID;
	}
	o.plo_policy = &pl->pl_policy;
	o.plo_log = stderr;
	err[0] = '\0';
	r = policy_linux_run(&o, argv + i, &st, err, sizeof(err));
	policy_loaded_free(pl);
	switch (r) {
	case POLICY_LINUX_OK:
		break;
	case POLICY_LINUX_ENOTFOUND:
		fprintf(stderr, "policyctl run: %s\n", err);
		return 127;
	case POLICY_LINUX_ENOEXEC:
		fprintf(stderr, "policyctl run: %s\n", err);
		return 126;
	default:
		fprintf(stderr, "policyctl run: %s\n", err);
		return PCTL_EXIT_SYSTEM;
	}
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
}
