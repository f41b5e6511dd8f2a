/* policy_linux_landlock.h: the Landlock offload of write opens (policy_linux_landlock.c)
 * and the report of where each rule is enforced (policy_linux_where.c). */
#ifndef _POLICY_LINUX_LANDLOCK_H_
#define _POLICY_LINUX_LANDLOCK_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct policy;
struct policy_sup;
struct sock_filter;

/* The lowest ABI the offload needs: 3 has the truncate right, so that an
 * O_TRUNC open, truncate(2) and ftruncate(2) are decided with the write. */
#define POLICY_LL_ABI_MIN	3
#define POLICY_LL_MAXDIRS	64

/*
 * What Landlock decides for one policy: the write opens (open and openat
 * with O_WRONLY or O_RDWR, creat), beneath the directories of the
 * policy's `filename inpath "DIR" then permit` rules and on the files of
 * its `filename eq "FILE" then permit` rules, when the policy
 * decides them exactly as that rule set would; otherwise why not, and
 * the rule (index) the reason is about (-1: the policy as a whole).
 */
struct policy_linux_llplan {
	bool		ll_write;		/* write opens are Landlock's */
	int		ll_abi;			/* 0: no Landlock */
	int		ll_why_rule;
	char		ll_why[200];
	size_t		ll_ndirs;
	char		*ll_dirs[POLICY_LL_MAXDIRS];	/* heap, canonical */
	bool		ll_isdir[POLICY_LL_MAXDIRS];	/* else an eq file */
	uint32_t	ll_dir_rule[POLICY_LL_MAXDIRS];
};

/* The running kernel's ABI (0: none); POLICY_LANDLOCK_ABI=N in the
 * environment lowers it (0: as if there were no Landlock), for tests. */
int	policy_linux_landlock_abi(void);
/* Work out the plan of policy p under the run settings of s (verbose,
 * dry run, several policies); free it with policy_linux_llplan_free. */
void	policy_linux_llplan(const struct policy_sup *, const struct policy *,
	    struct policy_linux_llplan *);
void	policy_linux_llplan_free(struct policy_linux_llplan *);

/*
 * Before the filter is built: the plan of the launch policy becomes the
 * active one (the filter lets write opens through only when it offloads
 * them), and with make_ruleset its Landlock rule set is created.  Always
 * 0: when the rule set cannot be made, the plan says why and nothing is
 * offloaded (supervised, with the same decisions).
 */
int	policy_linux_landlock_prepare(const struct policy_sup *, bool make_ruleset,
	    char *err, size_t errlen);
/*
 * The supervisor's /proc/PID and a program that may hold CAP_SYS_PTRACE
 * (run as root): guarded, it is in a Landlock domain of its own (the
 * write offload's, or one that changes nothing else), which refuses it
 * every process outside; exposed, it would be in none (no Landlock, or
 * ABI 1), so the filter must let no open through unsupervised.
 */
bool	policy_linux_landlock_guarded(void);
bool	policy_linux_landlock_exposed(void);
/* In the child, after no_new_privs and before the seccomp filter: enter
 * the rule set (0, or -errno: the child must not run). */
int	policy_linux_landlock_restrict(void);
/* The run is over: close the rule set, forget the plan. */
void	policy_linux_landlock_done(void);
/* The active plan (NULL: none prepared). */
const struct policy_linux_llplan *policy_linux_landlock_active(void);

/*
 * For the filter: 0 when native call nr is not offloaded; -1 when every
 * call is (creat: always a write); else 1 with *argidx the flags argument,
 * *notify_flags the flags that keep the call supervised (O_PATH,
 * O_TMPFILE, O_DIRECTORY), and the instructions policy_linux_landlock_bpf
 * writes decide it by its access mode.
 */
int	policy_linux_landlock_nr(int nr, unsigned *argidx, uint32_t *notify_flags);
/* With the flags in the accumulator: allow O_WRONLY and O_RDWR, else
 * return fallback.  Writes at most POLICY_LL_BPF_MAX instructions. */
#define POLICY_LL_BPF_MAX	5
size_t	policy_linux_landlock_bpf(struct sock_filter *out, uint32_t fallback);
/* Would policy p (a reload) be offloaded as the active plan is? */
bool	policy_linux_landlock_same(const struct policy_sup *, const struct policy *);

/* Landlock's other rights (read opens, TCP ports, scopes), which the
 * offload does not use: where policy p's calls of each are decided, and
 * why not by Landlock (ol_rule: the rule the reason is about, or -1). */
#define POLICY_LL_OTHERS	3
struct policy_linux_llother {
	const char	*ol_what;
	const char	*ol_where;	/* NULL: no calls of its own */
	int		ol_rule;
	char		ol_why[240];
};
void	policy_linux_landlock_others(const struct policy *,
	    struct policy_linux_llother[POLICY_LL_OTHERS]);

/* policy_linux_where.c: print, rule by rule, where each is enforced
 * (kernel filter, Landlock or supervisor) and why, for policy p run with
 * the settings of s.  0, or -1 with err set. */
int	policy_linux_where(FILE *, const struct policy_sup *, const struct policy *,
	    char *err, size_t errlen);

#endif /* !_POLICY_LINUX_LANDLOCK_H_ */
