/* policyctl_run.c: `policyctl run`: runs a program, its threads, children and everything
 * it execs under a policy (Linux: seccomp user notification supervisor) and returns its status. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "policyctl.h"
#include "policy_linux.h"
#include "policy_interactive.h"

#define RUN_POLICIES_MAX	256

/* The policy files -p names: files as given, directories expanded. */
struct policyctl_run_files {
	char	*path[RUN_POLICIES_MAX];
	size_t	n;
};

static int
policyctl_run_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
policyctl_run_is_policy(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && ((n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
	    (n > 4 && strcmp(name + n - 4, ".yml") == 0) ||
	    (n > 5 && strcmp(name + n - 5, ".blob") == 0));
}

/* Add a -p argument.  0, or an exit status after a message. */
static int
policyctl_run_add(struct policyctl_run_files *f, const char *arg)
{
	struct stat st;
	struct dirent *de;
	DIR *d;
	size_t first = f->n;

	if (stat(arg, &st) != 0 || !S_ISDIR(st.st_mode)) {
		if (f->n == RUN_POLICIES_MAX || (f->path[f->n] = strdup(arg)) ==
		    NULL)
			goto many;
		f->n++;
		return 0;		/* a missing file is reported when loaded */
	}
	if ((d = opendir(arg)) == NULL) {
		fprintf(stderr, "policyctl run: %s: %s\n", arg, strerror(errno));
		return PCTL_EXIT_INVALID;
	}
	while ((de = readdir(d)) != NULL) {
		char *p;

		if (!policyctl_run_is_policy(de->d_name))
			continue;
		if (f->n == RUN_POLICIES_MAX || asprintf(&p, "%s/%s", arg,
		    de->d_name) < 0) {
			closedir(d);
			goto many;
		}
		f->path[f->n++] = p;
	}
	closedir(d);
	if (f->n == first) {
		fprintf(stderr, "policyctl run: %s: no policy in this "
		    "directory\n", arg);
		return PCTL_EXIT_INVALID;
	}
	qsort(f->path + first, f->n - first, sizeof(f->path[0]),
	    policyctl_run_cmp);
	return 0;
many:
	fprintf(stderr, "policyctl run: more than %d policies\n",
	    RUN_POLICIES_MAX);
	return PCTL_EXIT_USAGE;
}

static void
policyctl_run_usage(FILE *fp)
{
	fprintf(fp,
	    "usage: policyctl run [-v] [--dry-run] [-i] [--ask-timeout SEC]\n"
	    "           [--socket PATH] [--json-log FILE] -p POLICY [--] PROGRAM "
	    "[ARGS...]\n"
	    "\n"
	    "Run PROGRAM confined by POLICY (YAML or compiled).  Every thread,\n"
	    "child and exec'd program stays confined; denied calls fail with the\n"
	    "policy's errno and are logged on stderr with the rule's file:line.\n"
	    "\n"
	    "  -p, --policy FILE  the policy; given again, or a directory (its\n"
	    "                     .yaml, .yml and .blob files), more policies: a\n"
	    "                     program some policy's 'program:' names runs\n"
	    "                     under that policy, with its children\n"
	    "  -v, --verbose      print every decision (all calls go through the\n"
	    "                     supervisor: slower), after where each rule is\n"
	    "                     enforced without -v (filter, Landlock or\n"
	    "                     supervisor) and why, as 'policyctl show' does\n"
	    "  -n, --dry-run      audit mode: log what would be denied, permit it\n"
	    "  -i, --interactive  ask about calls no rule covers (default: ask)\n"
	    "  --ask-timeout SEC  deny an unanswered alarm after SEC seconds (60)\n"
	    "  --socket PATH      policyd's socket (default: $POLICYD_SOCKET,\n"
	    "                     $XDG_RUNTIME_DIR/policyd.sock, or as root\n"
	    "                     /run/policyd/policyd.sock)\n"
	    "  --no-policyd       ask on the terminal only\n"
	    "  --json-log FILE    append logged decisions to FILE as JSON lines\n"
	    "  --syslog           send logged decisions to syslog too\n"
	    "  -h, --help         this text\n"
	    "\n"
	    "Alarms ('ask' rules) go to policyd if it runs, else to the terminal,\n"
	    "else they are denied; 'always' answers are written to POLICY (YAML)\n"
	    "and take effect at once.  See policyd(8).\n"
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
	struct policy_linux_interact pi;
	struct policy_loaded *pl, *more[RUN_POLICIES_MAX];
	const struct policy *morep[RUN_POLICIES_MAX];
	struct policyctl_run_files files;
	struct policy_diag diag;
	const char *policy = NULL, *json = NULL;
	char err[512];
	int i, st = 0, r;
	size_t k, nmore = 0;

	memset(&o, 0, sizeof(o));
	memset(&files, 0, sizeof(files));
	memset(&pi, 0, sizeof(pi));
	pi.pi_report = 1;
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
		else if ((r = policyctl_interact_opt(argc, argv, &i, &pi,
		    &json)) != 0) {
			if (r < 0) {
				r = PCTL_EXIT_USAGE;
				goto out_files;
			}
		} else if (strcmp(a, "-p") == 0 || strcmp(a, "--policy") == 0) {
			if (++i == argc) {
				fprintf(stderr, "policyctl run: %s needs a "
				    "policy file\n", a);
				return PCTL_EXIT_USAGE;
			}
			if ((r = policyctl_run_add(&files, argv[i])) != 0)
				goto out_files;
		} else if (strncmp(a, "--policy=", 9) == 0) {
			if ((r = policyctl_run_add(&files, a + 9)) != 0)
				goto out_files;
		} else {
			fprintf(stderr, "policyctl run: unknown option '%s'\n", a);
			policyctl_run_usage(stderr);
			r = PCTL_EXIT_USAGE;
			goto out_files;
		}
	}
	if (files.n == 0) {
		fprintf(stderr, "policyctl run: no policy given (-p POLICY)\n");
		policyctl_run_usage(stderr);
		return PCTL_EXIT_USAGE;
	}
	if (i >= argc) {
		fprintf(stderr, "policyctl run: no program given\n");
		policyctl_run_usage(stderr);
		r = PCTL_EXIT_USAGE;
		goto out_files;
	}
	/* every policy is loaded (and checked) before anything runs */
	for (k = 0; k < files.n; k++) {
		memset(&diag, 0, sizeof(diag));
		if ((more[k] = policy_load_file(files.path[k], &diag)) == NULL) {
			fprintf(stderr, "policyctl run: ");
			policy_diag_print(stderr, &diag);
			while (k-- > 0)
				policy_loaded_free(more[k]);
			r = PCTL_EXIT_INVALID;
			goto out_files;
		}
	}
	/* The launch policy: the one naming the program, else the first. */
	{
		char path[PATH_MAX];
		struct stat pst;
		size_t launch = 0;

		if (files.n > 1 && policy_linux_which(argv[i], path,
		    sizeof(path)) == 0 && stat(path, &pst) == 0)
			for (k = 0; k < files.n; k++)
				if (policy_linux_program_is(&more[k]->pl_policy,
				    path, &pst)) {
					launch = k;
					break;
				}
		pl = more[launch];
		policy = files.path[launch];
		for (k = 0; k < files.n; k++)
			if (k != launch) {
				more[nmore] = more[k];
				morep[nmore++] = &more[k]->pl_policy;
			}
	}
	if ((r = policyctl_interact_begin(&pi, policy, &pl, json)) != 0) {
		for (k = 0; k < nmore; k++)
			policy_loaded_free(more[k]);
		policy_loaded_free(pl);
		goto out_files;
	}
	o.plo_policy = &pl->pl_policy;
	o.plo_more = morep;
	o.plo_nmore = nmore;
	o.plo_log = stderr;
	err[0] = '\0';
	r = policy_linux_run(&o, argv + i, &st, err, sizeof(err));
	policyctl_interact_end(&pi);
	policy_loaded_free(pl);
	for (k = 0; k < nmore; k++)
		policy_loaded_free(more[k]);
	for (k = 0; k < files.n; k++)
		free(files.path[k]);
	switch (r) {
	case POLICY_LINUX_OK:
		break;
	case POLICY_LINUX_ENOTFOUND:
		fprintf(stderr, "policyctl run: %s\n", err);
		return 127;
	case POLICY_LINUX_ENOEXEC:
		fprintf(stderr, "policyctl run: %s\n", err);
		return 126;
	case POLICY_LINUX_EPOLICY:
		fprintf(stderr, "policyctl run: %s\n", err);
		return PCTL_EXIT_INVALID;
	default:
		fprintf(stderr, "policyctl run: %s\n", err);
		return PCTL_EXIT_SYSTEM;
	}
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return WEXITSTATUS(st);
out_files:
	for (k = 0; k < files.n; k++)
		free(files.path[k]);
	return r;
}
