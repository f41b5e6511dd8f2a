/* policy_linux_program.c: the policies of a run by index, and which one a program runs
 * under once executed: the policy whose program: names it (by identity, else path). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "policy_linux.h"

/* The file a policy was compiled from, for logs. */
const char *
policy_linux_source(const struct policy *p)
{
	return p->p_hdr->ph_source.len ? policy_str(p, p->p_hdr->ph_source) :
	    "policy";
}

/* The policies by index, and the program each names.  0 or -1 with err. */
int
policy_linux_policies(struct policy_sup *s, const struct policy_linux_opts *o,
    char *err, size_t errlen)
{
	size_t i, j, n = 1 + o->plo_nmore;

	s->s_pols = calloc(n, sizeof(*s->s_pols));
	s->s_sources = calloc(n, sizeof(*s->s_sources));
	s->s_progs = calloc(n, sizeof(*s->s_progs));
	if (s->s_pols == NULL || s->s_sources == NULL || s->s_progs == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->s_npols = n;
	s->s_pols[0] = s->s_pol;
	s->s_sources[0] = s->s_source;
	for (i = 1; i < n; i++) {
		s->s_pols[i] = o->plo_more[i - 1];
		s->s_sources[i] = policy_linux_source(s->s_pols[i]);
		if (policy_linux_rules_test(s->s_pols[i], POLICY_OP_EXECVE,
		    1u << POLICY_F_ARGV))
			s->s_argv_rules = 1;
	}
	for (i = 0; i < n; i++) {
		const struct policy *p = s->s_pols[i];
		struct policy_linux_progid *pp = &s->s_progs[i];
		struct stat st;

		if (p->p_hdr->ph_program.len == 0)
			continue;
		pp->pp_path = policy_str(p, p->p_hdr->ph_program);
		if (stat(pp->pp_path, &st) == 0) {
			pp->pp_dev = st.st_dev;
			pp->pp_ino = st.st_ino;
			pp->pp_stat = 1;
		}
		for (j = 0; j < i && n > 1; j++)
			if (s->s_progs[j].pp_path != NULL &&
			    (strcmp(s->s_progs[j].pp_path, pp->pp_path) == 0 ||
			    (pp->pp_stat && s->s_progs[j].pp_stat &&
			    s->s_progs[j].pp_dev == pp->pp_dev &&
			    s->s_progs[j].pp_ino == pp->pp_ino))) {
				snprintf(err, errlen, "%s and %s both apply to "
				    "program %s", s->s_sources[j],
				    s->s_sources[i], pp->pp_path);
				return -1;
			}
	}
	return 0;
}

/* Is the file at path (st) the program: policy p names? */
bool
policy_linux_program_is(const struct policy *p, const char *path,
    const struct stat *st)
{
	const char *prog;
	struct stat pst;

	if (p->p_hdr->ph_program.len == 0)
		return false;
	prog = policy_str(p, p->p_hdr->ph_program);
	if (stat(prog, &pst) == 0)
		return pst.st_dev == st->st_dev && pst.st_ino == st->st_ino;
	return strcmp(prog, path) == 0;
}

/* The policy a program (resolved path, file) runs under when executed by
 * a task under policy cur: the one whose program: it is, else cur. */
unsigned
policy_linux_program_policy(const struct policy_sup *s, unsigned cur,
    const char *path, const struct stat *st)
{
	size_t i;

	for (i = 0; i < s->s_npols && s->s_npols > 1; i++) {
		const struct policy_linux_progid *pp = &s->s_progs[i];

		if (pp->pp_path == NULL)
			continue;
		if (pp->pp_stat ? (pp->pp_dev == st->st_dev &&
		    pp->pp_ino == st->st_ino) : strcmp(pp->pp_path, path) == 0)
			return (unsigned)i;
	}
	return cur;
}

