/* policyctl_learn.c: `policyctl learn -o POLICY -- PROGRAM ARGS...`: runs the program
 * permitting everything, records every decision point, and writes the policy it needs. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "policyctl.h"
#include "policy_linux.h"
#include "policy_interactive.h"

/* Every call notified and permitted: "log: all" makes the filter send all
 * of them to the supervisor, where the learning hook sees each. */
static const char policyctl_learn_policy[] =
    "policy: 1\nname: learning\ndefault: permit\nlog: all\n";

static void
policyctl_learn_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: policyctl learn [-a] -o POLICY [-n NAME] [--home DIR] [--] "
	    "PROGRAM [ARGS...]\n"
	    "\n"
	    "Run PROGRAM (and everything it starts) permitting every call, then\n"
	    "write a YAML policy that permits what it did: shared libraries and\n"
	    "locale, header and language-library trees by directory, temporary\n"
	    "files in /tmp by name pattern, /proc/PID by number pattern, trees\n"
	    "the run made (a repository's .git) as a whole, addresses and ports\n"
	    "exactly; one comment per rule says how many calls it covers.  The\n"
	    "policy denies everything else.\n"
	    "\n"
	    "  -o, --output FILE  where to write the policy ('-': stdout);\n"
	    "                     replaced atomically\n"
	    "  -a, --append       FILE exists: add the rules this run needs\n"
	    "                     that it lacks, keeping everything in it\n"
	    "  -n, --name NAME    the policy's name (default: the program's)\n"
	    "  --home DIR         the home directory shown as $HOME in comments\n"
	    "                     (default: $HOME)\n"
	    "  -h, --help         this text\n"
	    "\n"
	    "Exit status: the program's, as for 'run'; 1 if the policy could not\n"
	    "be written, 2 for bad usage, 3 if programs cannot be confined.\n");
}

int
policyctl_learn(int argc, char **argv)
{
	struct policy_linux_opts o;
	struct policy_linux_interact pi;
	struct policy_loaded *pl;
	struct policy_diag diag;
	struct policy_learn *l;
	const char *out = NULL, *name = NULL, *home = getenv("HOME");
	char err[512], *yaml, *cmd = NULL;
	size_t ylen, clen = 0;
	void *blob;
	size_t bsize;
	FILE *null, *cf;
	int i, j, st = 0, r, rv, append = 0;
	unsigned added = 0;
	char *prior = NULL;
	size_t plen = 0;

	if (policyctl_wants_help(argc, argv)) {
		policyctl_learn_usage(stdout);
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
		if ((strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) &&
		    i + 1 < argc)
			out = argv[++i];
		else if ((strcmp(a, "-n") == 0 || strcmp(a, "--name") == 0) &&
		    i + 1 < argc)
			name = argv[++i];
		else if (strcmp(a, "-a") == 0 || strcmp(a, "--append") == 0)
			append = 1;
		else if (strcmp(a, "--home") == 0 && i + 1 < argc)
			home = argv[++i];
		else {
			fprintf(stderr, "policyctl learn: unknown or incomplete "
			    "option '%s'\n", a);
			policyctl_learn_usage(stderr);
			return PCTL_EXIT_USAGE;
		}
	}
	if (out == NULL || i >= argc) {
		fprintf(stderr, "policyctl learn: %s\n", out == NULL ?
		    "no output given (-o POLICY)" : "no program given");
		policyctl_learn_usage(stderr);
		return PCTL_EXIT_USAGE;
	}
	if (append && strcmp(out, "-") == 0) {
		fprintf(stderr, "policyctl learn: -a needs a policy file (-o FILE)\n");
		return PCTL_EXIT_USAGE;
	}
	memset(&diag, 0, sizeof(diag));
	/* -a: the policy must be there and valid before the run, not after */
	if (append && (policy_read_file(out, &prior, &plen, &diag) != 0 ||
	    policy_compile_buffer(out, prior, plen, &blob, &bsize, &diag) != 0)) {
		policy_diag_print(stderr, &diag);
		free(prior);
		return PCTL_EXIT_INVALID;
	}
	if (append)
		free(blob);
	if (name == NULL) {
		name = strrchr(argv[i], '/');
		name = name != NULL ? name + 1 : argv[i];
	}
	memset(&diag, 0, sizeof(diag));
	if (policy_compile_buffer("learning", policyctl_learn_policy,
	    strlen(policyctl_learn_policy), &blob, &bsize, &diag) != 0 ||
	    (pl = policy_load_blob(blob, bsize, "learning", &diag)) == NULL) {
		policy_diag_print(stderr, &diag);
		return PCTL_EXIT_SYSTEM;
	}
	free(blob);
	if ((l = policy_learn_new(home)) == NULL ||
	    (null = fopen("/dev/null", "we")) == NULL) {
		fprintf(stderr, "policyctl learn: %s\n", strerror(errno));
		policy_learn_free(l);
		policy_loaded_free(pl);
		return PCTL_EXIT_SYSTEM;
	}
	memset(&o, 0, sizeof(o));
	memset(&pi, 0, sizeof(pi));
	o.plo_policy = &pl->pl_policy;
	o.plo_log = null;	/* "log: all" would print every call */
	pi.pi_no_policyd = 1;
	pi.pi_no_tty = 1;
	pi.pi_learn = l;
	err[0] = '\0';
	if (policy_linux_interact_start(&pi, err, sizeof(err)) != 0)
		r = POLICY_LINUX_ESYSTEM;
	else {
		r = policy_linux_run(&o, argv + i, &st, err, sizeof(err));
		policy_linux_interact_stop();
	}
	fclose(null);
	policy_loaded_free(pl);
	if (r != POLICY_LINUX_OK) {
		fprintf(stderr, "policyctl learn: %s\n", err);
		policy_learn_free(l);
		return r == POLICY_LINUX_ENOTFOUND ? 127 :
		    r == POLICY_LINUX_ENOEXEC ? 126 : PCTL_EXIT_SYSTEM;
	}

	if ((cf = open_memstream(&cmd, &clen)) != NULL) {
		for (j = i; j < argc; j++)
			fprintf(cf, "%s%s", j > i ? " " : "", argv[j]);
		fclose(cf);
	}
	if (append) {
		yaml = policy_learn_merge(l, out, prior, plen, &ylen, &added,
		    &diag);
		free(prior);
		if (yaml == NULL) {
			policy_diag_print(stderr, &diag);
			free(cmd);
			policy_learn_free(l);
			return PCTL_EXIT_INVALID;
		}
	} else
		yaml = policy_learn_yaml(l, name, cmd, &ylen);
	free(cmd);
	rv = WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
	/* what we write must load: never leave an unusable policy */
	if (yaml == NULL || policy_compile_buffer(out, yaml, ylen, &blob, &bsize,
	    &diag) != 0) {
		if (yaml == NULL)
			fprintf(stderr, "policyctl learn: out of memory\n");
		else
			policy_diag_print(stderr, &diag);
		free(yaml);
		policy_learn_free(l);
		return PCTL_EXIT_INVALID;
	}
	free(blob);
	if (strcmp(out, "-") == 0)
		fwrite(yaml, 1, ylen, stdout);
	else if (policy_write_atomic(out, yaml, ylen, 0644, &diag) != 0) {
		policy_diag_print(stderr, &diag);
		free(yaml);
		policy_learn_free(l);
		return PCTL_EXIT_INVALID;
	}
	fprintf(stderr, "policyctl learn: %llu decisions recorded",
	    (unsigned long long)policy_learn_calls(l));
	if (append)
		fprintf(stderr, ", %u rule%s added to %s", added,
		    added == 1 ? "" : "s", out);
	else if (strcmp(out, "-") != 0)
		fprintf(stderr, ", policy written to %s", out);
	fprintf(stderr, "; program %s %d\n", WIFSIGNALED(st) ?
	    "killed by signal" : "exited with", WIFSIGNALED(st) ?
	    WTERMSIG(st) : WEXITSTATUS(st));
	free(yaml);
	policy_learn_free(l);
	return rv;
}
