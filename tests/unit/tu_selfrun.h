/* tu_selfrun.h: harness shared by the unit tests that run their own binary confined by
 * `policyctl run` (a scratch directory, policy files, the confined run, its log). */
#ifndef _TU_SELFRUN_H_
#define _TU_SELFRUN_H_

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

extern char tu_dir[64];			/* scratch directory: /tmp/plx-NAME.PID */
extern char tu_self[PATH_MAX];		/* this test's binary */
extern const char *tu_policyctl;	/* $POLICYCTL, else build/policyctl */
extern char tu_logpath[PATH_MAX + 8];	/* the confined run's stderr: DIR/log */

/*
 * For the group setup: makes the scratch directory /tmp/plx-NAME.PID,
 * finds this binary and policyctl (which must be executable), turns off
 * ASan's leak checks in the runs.  0, or -1 (with a message) on failure.
 */
int	tu_selfrun_setup(const char *name);
/* A group teardown: removes the scratch directory. */
int	tu_selfrun_teardown(void **state);

/* DIR/rel, in one of 16 buffers used in turn. */
char	*tu_path(const char *rel);
/* Writes text to DIR/rel. */
void	tu_put(const char *rel, const char *text);
/* Runs a shell command (printf-formatted), which must succeed. */
void	tu_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Writes DIR/NAME.yaml from fmt and its arguments; its path (in a buffer
 * the next call reuses). */
char	*tu_write_policy(const char *name, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/*
 * Starts "SELF --target ARGS" confined: "POLICYCTL run -p POL -- SELF
 * --target ARGS 2>LOG", or natively when pol is NULL; its output to read,
 * for pclose().
 */
FILE	*tu_run_open(const char *pol, const char *args);
/* Runs as tu_run_open and reads up to max numbers into res, the rest -1;
 * the run must exit 0.  How many were read. */
size_t	tu_run_ints(const char *pol, const char *args, int *res, size_t max);

/* The target side: runs step(op, arg) for each pair of arguments, printing
 * each result on its own line; 0. */
int	tu_target_steps(int argc, char **argv,
	    int (*step)(const char *op, const char *arg));
/* A step "mv A:B": rename(A, B), 0 or -errno. */
int	tu_rename_pair(const char *arg);
/* The same, linking A to B. */
int	tu_link_pair(const char *arg);

/* Some line of the confined run's log contains what. */
bool	tu_log_has(const char *what);

#endif
