/* policyctl.c: entry point of policyctl(8): dispatches to the subcommands and prints
 * the overall usage. */
#include <stdio.h>
#include <string.h>

#include "policyctl.h"

static const struct {
	const char	*name;
	int		(*fn)(int, char **);
	const char	*summary;
} policyctl_cmds[] = {
	{ "run", policyctl_run, "run a program confined by a policy" },
	{ "learn", policyctl_learn, "run a program and write the policy it needs" },
	{ "prompt", policyctl_prompt, "answer policyd's alarms on this terminal" },
	{ "answer", policyctl_answer, "answer one alarm (for scripts)" },
	{ "stats", policyctl_stats, "print policyd's counters" },
	{ "compile", policyctl_compile, "compile a YAML policy to a blob" },
	{ "check", policyctl_check, "check policies, report errors as file:line:col" },
	{ "show", policyctl_show, "print a policy (YAML or blob) and its rule index" },
	{ "import", policyctl_import, "convert a systrace policy to YAML" },
};

int
policyctl_wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return 1;
	return 0;
}

static void
policyctl_usage(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: policyctl COMMAND [ARGS...]\n\ncommands:\n");
	for (i = 0; i < sizeof(policyctl_cmds) / sizeof(policyctl_cmds[0]); i++)
		fprintf(fp, "  %-9s %s\n", policyctl_cmds[i].name,
		    policyctl_cmds[i].summary);
	fprintf(fp, "\n'policyctl COMMAND --help' describes a command; "
	    "see policyctl(8) and policy(5).\n");
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		policyctl_usage(stderr);
		return PCTL_EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		policyctl_usage(stdout);
		return PCTL_EXIT_OK;
	}
	for (i = 0; i < sizeof(policyctl_cmds) / sizeof(policyctl_cmds[0]); i++)
		if (strcmp(argv[1], policyctl_cmds[i].name) == 0)
			return policyctl_cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "policyctl: unknown command '%s'\n", argv[1]);
	policyctl_usage(stderr);
	return PCTL_EXIT_USAGE;
}
