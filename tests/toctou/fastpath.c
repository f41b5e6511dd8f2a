/* fastpath.c: says which calls of an attack policyctl run's kernel filter decides under a policy,
 * by running the very BPF program the supervisor builds for it over each call (the +fast check). */
/*
 * usage: fastpath -p POLICY [-k CALLS] [-s CALLS]
 *
 * CALLS is a comma-separated list of native system call names, a name
 * followed by "/O_PATH" or "/O_WRONLY" for an open(2) or openat(2) with
 * those flags (the integer argument the filter may test for them; without
 * either, the flags are O_RDONLY), "sendto/ADDR" for a sendto(2) with an
 * address (a pointer that is not null: without one, the filter may decide
 * it, as the supervisor would on no address).  Each
 * call is run, with zero arguments otherwise, through the program
 * policy_linux_filter_build() makes for POLICY (what policyctl run
 * installs, without -v), and is reported as "kernel" (the filter answers
 * it: allow or an errno) or "supervisor" (SECCOMP_RET_USER_NOTIF).
 * -k lists calls the variant expects in the kernel, -s calls it expects
 * at the supervisor; exit 1 if one is elsewhere, 2 on a usage or policy
 * error.  One line is printed per list.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>

#include "libpolicy.h"
#include "policy_linux.h"

static struct sock_fprog prog;

static void
usage(void)
{
	fprintf(stderr, "usage: fastpath -p POLICY [-k CALLS] [-s CALLS]\n");
	exit(2);
}

/* Run the classic BPF program over d: its return value. */
static uint32_t
bpf_run(const struct seccomp_data *d)
{
	uint32_t a = 0;
	size_t pc = 0;

	while (pc < prog.len) {
		const struct sock_filter *in = &prog.filter[pc++];
		uint32_t ok;

		switch (in->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (in->k + 4 > sizeof(*d))
				goto bad;
			memcpy(&a, (const char *)d + in->k, 4);
			continue;
		case BPF_RET | BPF_K:
			return in->k;
		case BPF_JMP | BPF_JA:
			pc += in->k;
			continue;
		case BPF_JMP | BPF_JEQ | BPF_K:
			ok = a == in->k;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			ok = a >= in->k;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			ok = a > in->k;
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			ok = (a & in->k) != 0;
			break;
		default:
			goto bad;
		}
		pc += ok ? in->jt : in->jf;
	}
bad:
	fprintf(stderr, "fastpath: instruction %zu of the filter is not "
	    "one this checker runs\n", pc);
	exit(2);
}

/* Where is call spec (NAME, NAME/O_PATH, NAME/O_WRONLY, sendto/ADDR)
 * decided?  1: the kernel. */
static int
in_kernel(const char *spec)
{
	struct seccomp_data d;
	char name[64];
	const char *slash = strchr(spec, '/');
	size_t len = slash ? (size_t)(slash - spec) : strlen(spec);
	uint32_t ret;
	int nr;

	if (len >= sizeof(name) || (slash && strcmp(slash, "/O_PATH") != 0 &&
	    strcmp(slash, "/O_WRONLY") != 0 && strcmp(slash, "/ADDR") != 0)) {
		fprintf(stderr, "fastpath: bad call %s\n", spec);
		exit(2);
	}
	memcpy(name, spec, len);
	name[len] = '\0';
	if ((nr = seccomp_syscall_resolve_name_arch(SCMP_ARCH_X86_64,
	    name)) < 0) {
		fprintf(stderr, "fastpath: unknown system call %s\n", name);
		exit(2);
	}
	memset(&d, 0, sizeof(d));
	d.nr = nr;
	d.arch = AUDIT_ARCH_X86_64;
	if (slash != NULL && strcmp(slash, "/ADDR") == 0) {
		if (strcmp(name, "sendto") != 0) {
			fprintf(stderr, "fastpath: /ADDR is for sendto\n");
			exit(2);
		}
		d.args[4] = 0x10000;	/* not null: an address to read */
	} else if (slash != NULL) {
		uint64_t fl = (strcmp(slash, "/O_PATH") == 0 ? O_PATH :
		    O_WRONLY) | O_CLOEXEC;

		if (strcmp(name, "open") == 0)
			d.args[1] = fl;
		else if (strcmp(name, "openat") == 0)
			d.args[2] = fl;
		else {
			fprintf(stderr, "fastpath: %s is for open and "
			    "openat\n", slash);
			exit(2);
		}
	}
	ret = bpf_run(&d) & SECCOMP_RET_ACTION_FULL;
	return ret != SECCOMP_RET_USER_NOTIF;
}

/* Check each call of list is (want 1) or is not (want 0) in the kernel. */
static int
check(const char *what, const char *list, int want)
{
	char *copy, *c, *save = NULL;
	int bad = 0;

	if (list == NULL)
		return 0;
	if ((copy = strdup(list)) == NULL)
		exit(2);
	printf("%s:", what);
	for (c = strtok_r(copy, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
		int k = in_kernel(c);

		printf(" %s%s", c, k == want ? "" : k ? "(KERNEL)" :
		    "(SUPERVISOR)");
		bad |= k != want;
	}
	printf("\n");
	free(copy);
	return bad;
}

int
main(int argc, char **argv)
{
	const char *policy = NULL, *kern = NULL, *sup = NULL;
	struct policy_loaded *pl;
	struct policy_diag diag;
	struct policy_sup s;
	char err[256];
	int ch, bad;

	while ((ch = getopt(argc, argv, "p:k:s:")) != -1) {
		switch (ch) {
		case 'p':
			policy = optarg;
			break;
		case 'k':
			kern = optarg;
			break;
		case 's':
			sup = optarg;
			break;
		default:
			usage();
		}
	}
	if (policy == NULL || optind != argc)
		usage();
	memset(&diag, 0, sizeof(diag));
	if ((pl = policy_load_file(policy, &diag)) == NULL) {
		policy_diag_print(stderr, &diag);
		return 2;
	}
	/* as policyctl run -p POLICY sets it up for the filter */
	memset(&s, 0, sizeof(s));
	s.s_pol = &pl->pl_policy;
	s.s_npols = 1;
	s.s_listener = s.s_sigfd = s.s_rootfd = -1;
	if (policy_linux_filter_build(&s, &prog, err, sizeof(err)) != 0) {
		fprintf(stderr, "fastpath: %s\n", err);
		return 2;
	}
	bad = check("kernel filter", kern, 1);
	bad |= check("supervisor", sup, 0);
	free(prog.filter);
	policy_loaded_free(pl);
	return bad;
}
