/* policyctl_compile.c: "policyctl compile" and "policyctl check": YAML to a validated
 * blob written atomically, and validation of YAML policies or blobs with exact errors. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libpolicy.h"
#include "policyctl.h"

int
policyctl_compile(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *out = NULL;
	struct policy_diag diag;
	void *blob;
	size_t size;
	int c;

	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'h':
			printf("usage: policyctl compile [-o OUTPUT] POLICY.yaml\n\n"
			    "Compile a YAML policy into a validated binary blob.\n"
			    "The output (default: POLICY.yaml with .blob in place of "
			    ".yaml) is\nreplaced atomically; on any error nothing "
			    "is written.\n\n"
			    "  -o, --output FILE  where to write the blob ('-' for "
			    "standard output)\n  -h, --help         this text\n");
			return PCTL_EXIT_OK;
		default:
			return PCTL_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: policyctl compile [-o OUTPUT] POLICY.yaml\n");
		return PCTL_EXIT_USAGE;
	}
	if (policy_compile_file(argv[optind], &blob, &size, &diag) != 0) {
		policy_diag_print(stderr, &diag);
		return PCTL_EXIT_INVALID;
	}
	{
		/* The compiler's output must pass the same validator as any blob. */
		struct policy_loaded *pl = policy_load_blob(blob, size,
		    argv[optind], &diag);
		if (pl == NULL) {
			policy_diag_print(stderr, &diag);
			free(blob);
			return PCTL_EXIT_INVALID;
		}
		policy_loaded_free(pl);
	}
	if (out != NULL && strcmp(out, "-") == 0) {
		int ok = fwrite(blob, 1, size, stdout) == size &&
		    fflush(stdout) == 0;
		free(blob);
		return ok ? PCTL_EXIT_OK : PCTL_EXIT_SYSTEM;
	}
	{
		char def[4096];
		const char *in = argv[optind];
		size_t n = strlen(in);

		if (out == NULL) {
			if (n > 5 && strcmp(in + n - 5, ".yaml") == 0)
				n -= 5;
			else if (n > 4 && strcmp(in + n - 4, ".yml") == 0)
				n -= 4;
			snprintf(def, sizeof(def), "%.*s.blob", (int)n, in);
			out = def;
		}
		c = policy_write_atomic(out, blob, size, 0644, &diag);
		if (c != 0)
			policy_diag_print(stderr, &diag);
	}
	free(blob);
	return c == 0 ? PCTL_EXIT_OK : PCTL_EXIT_SYSTEM;
}

/* A warning at a rule's position: "file:line:col: warning: ...". */
static void
policyctl_warn(void *file, unsigned line, unsigned col, const char *msg)
{
	fprintf(stderr, "%s:%u:%u: %s\n", (const char *)file, line, col, msg);
}

int
policyctl_check(int argc, char **argv)
{
	int i, bad = 0, quiet = 0, first = 1;

	if (policyctl_wants_help(argc, argv)) {
		printf("usage: policyctl check [-q] POLICY...\n\n"
		    "Validate YAML policies or compiled blobs.  Each error is "
		    "printed as\nfile:line:col: message; the exit status is 1 "
		    "if any policy is invalid.  Warnings (file:line:col: warning: ...)\n"
		    "name rules a permitted rename could move objects out from "
		    "under.\n\n  -q  print nothing for valid policies\n");
		return PCTL_EXIT_OK;
	}
	if (argc > 1 && strcmp(argv[1], "-q") == 0) {
		quiet = 1;
		first = 2;
	}
	if (argc <= first) {
		fprintf(stderr, "usage: policyctl check [-q] POLICY...\n");
		return PCTL_EXIT_USAGE;
	}
	for (i = first; i < argc; i++) {
		struct policy_diag diag;
		struct policy_loaded *pl = policy_load_file(argv[i], &diag);

		if (pl == NULL) {
			policy_diag_print(stderr, &diag);
			bad = 1;
			continue;
		}
		policy_lint_moves(&pl->pl_policy, policyctl_warn, argv[i]);
		if (!quiet)
			printf("%s: ok (%u rules)\n", argv[i],
			    pl->pl_policy.p_nrules);
		policy_loaded_free(pl);
	}
	return bad ? PCTL_EXIT_INVALID : PCTL_EXIT_OK;
}
