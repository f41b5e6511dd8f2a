/* policy_linux_where.c: says, rule by rule, where a policy is enforced on Linux (kernel
 * filter, Landlock or supervisor) and why, read from the very filter and plan a run uses. */
/*
 * The filter a run would install is built and run here, on a stand-in
 * for each system call a rule can apply to (its number, and for opens
 * the flags of a read or of a write): ALLOW or ERRNO is the kernel
 * filter's decision, USER_NOTIF the supervisor's, and a write open the
 * filter lets through because Landlock decides it is Landlock's.  So
 * what is printed is what the filter does, not a second reckoning of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "policy_linux.h"
#include "policy_linux_landlock.h"
#include "secmodel/policy/policy_impl.h"

#define WHERE_NR_MAX	512

/* WHERE_SUP_WOPEN: write opens the supervisor decides (their own why) */
enum where_place { WHERE_FILTER, WHERE_LANDLOCK, WHERE_SUPERVISOR,
	WHERE_SUP_WOPEN, WHERE_N };

static const char *const where_place_names[WHERE_N] = {
	"kernel filter (BPF)", "Landlock", "supervisor", "supervisor",
};

/* Run a seccomp filter (the instructions filter_build emits) on d. */
static uint32_t
where_bpf_run(const struct sock_fprog *fp, const struct seccomp_data *d)
{
	uint32_t a = 0, pc = 0;

	while (pc < fp->len) {
		const struct sock_filter *in = &fp->filter[pc++];
		uint32_t w;

		switch (in->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (in->k + sizeof(w) > sizeof(*d))
				return SECCOMP_RET_KILL_PROCESS;
			memcpy(&w, (const char *)d + in->k, sizeof(w));
			a = w;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= in->k;
			break;
		case BPF_JMP | BPF_JA:
			pc += in->k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == in->k ? in->jt : in->jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += a >= in->k ? in->jt : in->jf;
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			pc += (a & in->k) ? in->jt : in->jf;
			break;
		case BPF_RET | BPF_K:
			return in->k;
		default:
			return SECCOMP_RET_KILL_PROCESS;	/* not ours */
		}
	}
	return SECCOMP_RET_KILL_PROCESS;
}

/* For each call decided by name: the rule that decides it (or none). */
static void
where_name_rules(const struct policy *p, uint32_t *rule)
{
	struct policy_request req;
	struct policy_decision d;
	int nr;

	for (nr = 0; nr < WHERE_NR_MAX; nr++) {
		rule[nr] = POLICY_NONE;
		if (policy_linux_syscall_op(nr) != POLICY_OP_SYSCALL)
			continue;
		memset(&req, 0, sizeof(req));
		req.pr_emul = POLICY_EMUL_NATIVE;
		req.pr_op = POLICY_OP_SYSCALL;
		policy_request_set_str(&req, POLICY_F_SYSCALL,
		    policy_linux_syscall_name(nr));
		policy_eval(p, &req, &d);
		rule[nr] = d.pd_rule;
	}
}

/* Does rule ri apply to native system call nr's operation?  name_rule:
 * where_name_rules' answer. */
static bool
where_rule_for(const struct policy *p, uint32_t ri, int nr,
    const uint32_t *name_rule)
{
	const struct policy_rule *r = &p->p_rules[ri];
	int op = policy_linux_syscall_op(nr);

	if (op <= POLICY_OP_NONE)
		return false;
	if (op == POLICY_OP_SYSCALL)
		return r->pr_op == POLICY_OP_SYSCALL && name_rule[nr] == ri;
	if (r->pr_op == (unsigned)op)
		return true;
	return (r->pr_op == POLICY_OP_FSREAD || r->pr_op == POLICY_OP_FSWRITE) &&
	    policy_op_in_alias(r->pr_op, (unsigned)op);
}

/* Where the filter fp sends nr with the given open flags, and argument
 * argi (if not -1) set to val. */
static enum where_place
where_place_of(const struct sock_fprog *fp, int nr, int flags, bool landlock,
    int argi, uint64_t val)
{
	const char *name = policy_linux_syscall_name(nr);
	struct seccomp_data d;
	uint32_t v;

	memset(&d, 0, sizeof(d));
	d.nr = nr;
	d.arch = AUDIT_ARCH_X86_64;
	if (strcmp(name, "open") == 0)
		d.args[1] = (uint64_t)flags;
	else if (strcmp(name, "openat") == 0)
		d.args[2] = (uint64_t)flags;
	if (argi >= 0)
		d.args[argi] = val;
	v = where_bpf_run(fp, &d);
	if ((v & SECCOMP_RET_ACTION_FULL) == SECCOMP_RET_USER_NOTIF)
		return WHERE_SUPERVISOR;
	if (landlock && v == SECCOMP_RET_ALLOW &&
	    policy_linux_syscall_op(nr) == POLICY_OP_OPEN &&
	    (flags & O_ACCMODE) != O_RDONLY)
		return WHERE_LANDLOCK;
	return WHERE_FILTER;
}

/* Append name (with a suffix) to a comma-separated list, once. */
static void
where_add(char *list, size_t cap, const char *name, const char *suffix)
{
	char item[64];
	size_t n = strlen(list), il;
	const char *at;

	snprintf(item, sizeof(item), "%s%s", name, suffix);
	il = strlen(item);
	for (at = list; (at = strstr(at, item)) != NULL; at += il)
		if ((at == list || at[-1] == ' ') &&
		    (at[il] == ',' || at[il] == '\0'))
			return;
	snprintf(list + n, cap - n, "%s%s", n ? ", " : "", item);
}

/*
 * socket and sendto, which the filter may decide by the value of a
 * register (policy_linux_filter.c).  socket: the domains 0-63 rule ri
 * decides, each where the filter sends it (a larger domain, no address
 * family, always reaches the supervisor); the domains are named only
 * when the rule's are not all in one place.  sendto: with an address
 * (the supervisor's), and with none where rule ri decides that, named
 * apart if the two are apart.
 */
static void
where_by_value(const struct sock_fprog *fp, const struct policy *p,
    uint32_t ri, int nr, char lists[][512])
{
	const char *name = policy_linux_syscall_name(nr);
	struct policy_request req;
	struct policy_decision d;
	uint64_t mask[WHERE_N];
	unsigned v, nplaces = 0, n;
	char suffix[48];
	int w;

	memset(&req, 0, sizeof(req));
	req.pr_emul = POLICY_EMUL_NATIVE;
	req.pr_op = (uint16_t)policy_linux_syscall_op(nr);
	if (req.pr_op == POLICY_OP_SENDTO) {
		int none = where_place_of(fp, nr, 0, false, 4, 0);

		w = where_place_of(fp, nr, 0, false, 4, 4096);
		policy_eval(p, &req, &d);
		if (d.pd_rule != ri || none == w) {
			where_add(lists[w], 512, name, "");
			return;
		}
		where_add(lists[w], 512, name, " (with an address)");
		where_add(lists[none], 512, name, " (no address)");
		return;
	}
	memset(mask, 0, sizeof(mask));
	for (v = 0; v < 64; v++) {
		policy_request_set_int(&req, POLICY_F_DOMAIN, (int64_t)v);
		policy_eval(p, &req, &d);
		if (d.pd_rule == ri)
			mask[where_place_of(fp, nr, 0, false, 0, v)] |=
			    1ull << v;
	}
	for (w = 0; w < WHERE_N; w++)
		nplaces += mask[w] != 0;
	if (nplaces == 0) {	/* no family: what a larger domain meets */
		w = where_place_of(fp, nr, 0, false, 0, 64);
		where_add(lists[w], 512, name, "");
		return;
	}
	for (w = 0; w < WHERE_N; w++) {
		if (mask[w] == 0)
			continue;
		suffix[0] = '\0';
		if (nplaces > 1) {
			for (n = 0, v = 0; v < 64; v++)
				n += (mask[w] >> v) & 1;
			snprintf(suffix, sizeof(suffix), " (%u domain%s)", n,
			    n == 1 ? "" : "s");
		}
		where_add(lists[w], 512, name, suffix);
	}
}

/* The fields taken from what pointer arguments point to (a path, an
 * address, argv), not numbers passed in registers. */
#define WHERE_F_MEMORY	((1u << POLICY_F_FILENAME) | \
	(1u << POLICY_F_FILENAME2) | (1u << POLICY_F_SOCKADDR) | \
	(1u << POLICY_F_ARGV))

/* Why the supervisor decides rule r's calls. */
static void
where_why_supervised(const struct policy_sup *s, const struct policy *p,
    uint32_t ri, const struct policy_linux_llplan *pl, bool write_opens,
    char *buf, size_t cap)
{
	const struct policy_rule *r = &p->p_rules[ri];
	const struct policy_blob_header *h = p->p_hdr;

	if (s->s_verbose)
		snprintf(buf, cap, "-v prints every decision");
	else if (r->pr_action == POLICY_ACT_ASK)
		snprintf(buf, cap, "it asks");
	else if ((r->pr_flags & POLICY_RULE_LOG) || h->ph_log == POLICY_LOG_ALL)
		snprintf(buf, cap, "its decisions are logged");
	else if (h->ph_log == POLICY_LOG_DENY && r->pr_action == POLICY_ACT_DENY)
		snprintf(buf, cap, "denials are logged (log: deny)");
	else if (s->s_dry_run && r->pr_action == POLICY_ACT_DENY)
		snprintf(buf, cap, "--dry-run logs and permits denials");
	else if (write_opens && pl->ll_write)
		snprintf(buf, cap, "openat2 keeps its flags in memory, which "
		    "the filter cannot read");
	else if (write_opens && !pl->ll_write && pl->ll_why_rule == (int)ri)
		snprintf(buf, cap, "Landlock cannot decide write opens: %s",
		    pl->ll_why);
	else if (write_opens && !pl->ll_write && pl->ll_why_rule >= 0)
		snprintf(buf, cap, "Landlock cannot decide write opens: rule "
		    "#%d: %s", pl->ll_why_rule, pl->ll_why);
	else if (write_opens && !pl->ll_write)
		snprintf(buf, cap, "Landlock cannot decide write opens: %s",
		    pl->ll_why);
	else if (r->pr_op == POLICY_OP_SYSCALL)
		snprintf(buf, cap, "the supervisor checks these calls itself "
		    "(pids, credentials, exec, refusals)");
	else if (policy_linux_rule_tests(p, r, WHERE_F_MEMORY))
		snprintf(buf, cap, "its condition tests what pointer arguments "
		    "point to, which the filter cannot read");
	else if (r->pr_ncode > 0)
		snprintf(buf, cap, "its condition tests numbers (flags, mode, "
		    "ids, domain...) the filter leaves to the supervisor");
	else
		snprintf(buf, cap, "rules before it test what pointer "
		    "arguments point to");
}

int
policy_linux_where(FILE *out, const struct policy_sup *s,
    const struct policy *p, char *err, size_t errlen)
{
	struct policy_sup n = *s;
	struct sock_fprog fp = { 0, NULL };
	const struct policy_linux_llplan *pl;
	struct policy_linux_llother others[POLICY_LL_OTHERS];
	uint32_t i, name_rule[WHERE_NR_MAX];
	size_t k;
	int nr;

	n.s_pol = p;
	n.s_verbose = 0;	/* what the filter does without -v */
	(void)policy_linux_landlock_prepare(&n, false, err, errlen);
	if (policy_linux_filter_build(&n, &fp, err, errlen) != 0) {
		policy_linux_landlock_done();
		return -1;
	}
	pl = policy_linux_landlock_active();
	where_name_rules(p, name_rule);
	fprintf(out, "enforcement on Linux (Landlock ABI %d):\n", pl->ll_abi);
	if (pl->ll_write) {
		fprintf(out, "  write opens (open, openat with O_WRONLY or "
		    "O_RDWR; creat): Landlock, permitted");
		for (k = 0; k < pl->ll_ndirs; k++)
			fprintf(out, "%s %s %s", k ? "," : "",
			    pl->ll_isdir[k] ? "beneath" : "on",
			    pl->ll_dirs[k]);
		fprintf(out, "%s\n", pl->ll_ndirs ? "" : " nowhere");
	} else if (pl->ll_why_rule >= 0)
		fprintf(out, "  write opens: supervisor: rule #%d: %s\n",
		    pl->ll_why_rule, pl->ll_why);
	else
		fprintf(out, "  write opens: supervisor: %s\n", pl->ll_why);
	if (policy_linux_landlock_guarded())
		fprintf(out, "  the supervisor's /proc/PID: out of reach: the "
		    "program may hold CAP_SYS_PTRACE, and its Landlock domain "
		    "refuses it processes outside\n");
	else if (policy_linux_landlock_exposed())
		fprintf(out, "  the supervisor's /proc/PID: the program may hold "
		    "CAP_SYS_PTRACE and is in no Landlock domain (none on this "
		    "kernel, or the policy permits mounts, which a domain "
		    "refuses): every open is supervised\n");
	else
		fprintf(out, "  the supervisor's /proc/PID: out of reach: the "
		    "supervisor is not dumpable\n");
	policy_linux_landlock_others(p, others);
	/* read opens the filter lets through by their flags, every one
	 * permitted whatever its path (policy_linux_filter.c) */
	if (strcmp(others[0].ol_where, "kernel filter") != 0 &&
	    where_place_of(&fp, SYS_openat, O_RDONLY, false, -1, 0) ==
	    WHERE_FILTER) {
		others[0].ol_where = "kernel filter";
		others[0].ol_rule = -1;
		snprintf(others[0].ol_why, sizeof(others[0].ol_why),
		    "every one is permitted whatever its path: let through by "
		    "its flags (no write, create or O_PATH flag)");
	}
	for (k = 0; k < POLICY_LL_OTHERS; k++) {
		const struct policy_linux_llother *o = &others[k];

		fprintf(out, "  %s: %s: ", o->ol_what, o->ol_where != NULL ?
		    o->ol_where : "Landlock not used");
		if (o->ol_rule >= 0)
			fprintf(out, "rule #%d: ", o->ol_rule);
		fprintf(out, "%s\n", o->ol_why);
	}
	if (s->s_verbose)
		fprintf(out, "  (-v: this run sends every call to the "
		    "supervisor, to print its decision)\n");
	for (i = 0; i < p->p_nrules; i++) {
		const struct policy_rule *r = &p->p_rules[i];
		char lists[WHERE_N][512];
		char why[300];
		int e;

		fprintf(out, "  #%-5u %u:%u\t%s\n", i, r->pr_line, r->pr_col,
		    policy_str(p, r->pr_text));
		if ((r->pr_emul & (1u << POLICY_EMUL_NATIVE)) == 0) {
			fprintf(out, "        not used on Linux x86-64 (the "
			    "filter kills i386 and x32 entry)\n");
			continue;
		}
		memset(lists, 0, sizeof(lists));
		for (nr = 0; nr < WHERE_NR_MAX; nr++) {
			const char *name = policy_linux_syscall_name(nr);
			enum where_place w;

			if (name == NULL || !where_rule_for(p, i, nr,
			    name_rule))
				continue;
			if (policy_linux_syscall_op(nr) != POLICY_OP_OPEN) {
				/* by operation: the policy's names */
				int op = policy_linux_syscall_op(nr);

				if (op == POLICY_OP_SOCKET ||
				    strcmp(name, "sendto") == 0) {
					where_by_value(&fp, p, i, nr, lists);
					continue;
				}
				w = where_place_of(&fp, nr, 0, pl->ll_write,
				    -1, 0);
				where_add(lists[w], sizeof(lists[w]),
				    op == POLICY_OP_SYSCALL ? name :
				    policy_name_of(policy_op_names, op), "");
				/* a listen that binds is decided as a bind
				 * (policy_linux_listen) */
				if (op == POLICY_OP_BIND && where_place_of(&fp,
				    SYS_listen, 0, false, -1, 0) ==
				    WHERE_SUPERVISOR)
					where_add(lists[WHERE_SUPERVISOR],
					    sizeof(lists[0]), "listen",
					    " (an unbound socket)");
				continue;
			}
			if (r->pr_op != POLICY_OP_FSWRITE &&
			    strcmp(name, "creat") != 0) {
				w = where_place_of(&fp, nr, O_RDONLY,
				    pl->ll_write, -1, 0);
				where_add(lists[w], sizeof(lists[w]), name,
				    r->pr_op == POLICY_OP_FSREAD ? "" :
				    " (read)");
			}
			if (r->pr_op != POLICY_OP_FSREAD) {
				w = where_place_of(&fp, nr, O_WRONLY,
				    pl->ll_write, -1, 0);
				if (w == WHERE_SUPERVISOR)
					w = WHERE_SUP_WOPEN;
				where_add(lists[w], sizeof(lists[w]), name,
				    strcmp(name, "creat") == 0 ? "" :
				    " (write)");
			}
		}
		for (e = 0; e < WHERE_N; e++) {
			if (lists[e][0] == '\0')
				continue;
			fprintf(out, "        %s: %s", where_place_names[e],
			    lists[e]);
			if (e == WHERE_SUPERVISOR || e == WHERE_SUP_WOPEN) {
				where_why_supervised(&n, p, i, pl,
				    e == WHERE_SUP_WOPEN, why, sizeof(why));
				fprintf(out, ": %s", why);
			}
			fputc('\n', out);
		}
	}
	free(fp.filter);
	policy_linux_landlock_done();
	return 0;
}
