/* policyctl.h: the subcommands of policyctl(8), one file each, dispatched from
 * policyctl.c; each takes the arguments after its own name (argv[0] = name). */
#ifndef _POLICYCTL_H_
#define _POLICYCTL_H_

int	policyctl_compile(int, char **);
int	policyctl_check(int, char **);
int	policyctl_show(int, char **);
int	policyctl_import(int, char **);
int	policyctl_run(int, char **);
int	policyctl_learn(int, char **);
int	policyctl_prompt(int, char **);
int	policyctl_answer(int, char **);
int	policyctl_stats(int, char **);

/* policyctl_interact.c: run's interactive options and set-up. */
struct policy_linux_interact;
struct policy_loaded;
int	policyctl_interact_opt(int, char **, int *,
	    struct policy_linux_interact *, const char **json);
int	policyctl_interact_begin(struct policy_linux_interact *,
	    const char *policy, struct policy_loaded **, const char *json);
void	policyctl_interact_end(struct policy_linux_interact *);

/* policyctl_client.c: talking to policyd. */
union policy_msg_buf;
int	policyctl_connect(const char *cmd, const char *sock);
int	policyctl_request(const char *cmd, int fd, unsigned type,
	    const void *body, size_t len, union policy_msg_buf *reply,
	    int timeout_ms);

/* Exit statuses shared by the subcommands. */
#define PCTL_EXIT_OK		0
#define PCTL_EXIT_INVALID	1	/* the input policy is wrong */
#define PCTL_EXIT_USAGE		2	/* the command line is wrong */
#define PCTL_EXIT_SYSTEM	3	/* an OS call failed */

/* True if argv holds -h or --help before any "--". */
int	policyctl_wants_help(int, char **);

#endif /* !_POLICYCTL_H_ */
