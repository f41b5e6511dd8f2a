/* policy_linux_interact.h: the Linux supervisor's interactive side for its callers:
 * alarms to policyd or the terminal, "always" answers, decision records, learning. */
#ifndef _POLICY_LINUX_INTERACT_H_
#define _POLICY_LINUX_INTERACT_H_

#include <stdint.h>
#include <stdio.h>

struct policy_learn;

struct policy_linux_interact {
	const char	*pi_socket;	/* policyd socket; NULL: default */
	int		pi_no_policyd;	/* never ask policyd */
	int		pi_no_tty;	/* never prompt on the terminal */
	unsigned	pi_timeout_ms;	/* alarm timeout; 0: 60 s */
	const char	*pi_policy_path; /* YAML file: "always" + reload */
	int		pi_interactive;	/* default action ask, kept on reload */
	FILE		*pi_json;	/* JSON lines of logged decisions */
	int		pi_syslog;	/* and to syslog(3) */
	int		pi_report;	/* every decision to policyd */
	struct policy_learn *pi_learn;	/* record every decision point */
};

/* Configure before policy_linux_run(); 0, or -1 with err. */
int	policy_linux_interact_start(const struct policy_linux_interact *,
	    char *err, size_t errlen);
/* After policy_linux_run(): flush, disconnect, free reloaded policies. */
void	policy_linux_interact_stop(void);

/* Internal: the parts policy_linux_interact_start() sets up. */
int	policy_linux_ask_setup(const struct policy_linux_interact *, char *,
	    size_t);
void	policy_linux_ask_teardown(void);
void	policy_linux_ask_counts(uint64_t *alarms, uint64_t *reloads);
int	policy_linux_ask_last(void);	/* this thread's last ask verdict */
/* Counts go to policyd, which sums the kernel filter's decisions too. */
int	policy_linux_report_wants_count(void);

/* Counters a run may print at its end. */
struct policy_linux_interact_stats {
	uint64_t	pis_alarms;	/* asked */
	uint64_t	pis_reloads;
	uint64_t	pis_reported;	/* decisions sent to policyd */
	uint64_t	pis_dropped;	/* not sent: policyd busy */
};
void	policy_linux_interact_stats(struct policy_linux_interact_stats *);

#endif /* !_POLICY_LINUX_INTERACT_H_ */
