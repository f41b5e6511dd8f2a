/* policyctl.h: the subcommands of policyctl(8), one file each, dispatched from
 * policyctl.c; each takes the arguments after its own name (argv[0] = name). */
#ifndef _POLICYCTL_H_
#define _POLICYCTL_H_

int	policyctl_compile(int, char **);
int	policyctl_check(int, char **);
int	policyctl_show(int, char **);
int	policyctl_import(int, char **);
int	policyctl_run(int, char **);

/* Exit statuses shared by the subcommands. */
#define PCTL_EXIT_OK		0
#define PCTL_EXIT_INVALID	1	/* the input policy is wrong */
#define PCTL_EXIT_USAGE		2	/* the command line is wrong */
#define PCTL_EXIT_SYSTEM	3	/* an OS call failed */

/* True if argv holds -h or --help before any "--". */
int	policyctl_wants_help(int, char **);

#endif /* !_POLICYCTL_H_ */
