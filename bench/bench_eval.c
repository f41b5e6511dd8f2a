/* bench_eval.c: decision cost of the engine for policies of 10, 1,000 and 100,000
 * rules (eq, match, re and inpath rules; the matching rule at a random position):
 * median and p99 ns per decision, and callgrind instructions per decision. */
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "libpolicy.h"
#include "bench_clock.h"

#define BATCH	8

static uint64_t rs = 88172645463325252ull;

static uint64_t
rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return rs;
}

/* Rule i governs paths under /d/i/ only, so exactly rule i matches its path. */
static struct policy_loaded *
make_policy(unsigned nrules)
{
	size_t cap = (size_t)nrules * 96 + 256, len;
	char *y = malloc(cap);
	struct policy_diag d;
	struct policy_loaded *pl;
	void *blob;
	size_t size;
	unsigned i;

	len = (size_t)snprintf(y, cap, "policy: 1\ndefault: deny\nrules:\n");
	for (i = 0; i < nrules; i++) {
		switch (i % 4) {
		case 0:
			len += (size_t)snprintf(y + len, cap - len,
			    "  - open: filename eq \"/d/%u/file\" then permit\n", i);
			break;
		case 1:
			len += (size_t)snprintf(y + len, cap - len,
			    "  - open: filename match \"/d/%u/*.txt\" then permit\n", i);
			break;
		case 2:
			len += (size_t)snprintf(y + len, cap - len,
			    "  - open: filename re \"^/d/%u/[a-z]+[0-9]*$\" then permit\n", i);
			break;
		default:
			len += (size_t)snprintf(y + len, cap - len,
			    "  - fsread: filename inpath \"/d/%u/sub\" then permit\n", i);
			break;
		}
	}
	if (policy_compile_buffer("bench.yaml", y, len, &blob, &size, &d) != 0) {
		policy_diag_print(stderr, &d);
		exit(1);
	}
	free(y);
	if ((pl = policy_load_blob(blob, size, "bench", &d)) == NULL) {
		policy_diag_print(stderr, &d);
		exit(1);
	}
	free(blob);
	return pl;
}

/* The path of a request that rule want (and no other) matches. */
static void
make_path(char *path, size_t size, unsigned nrules, unsigned *want)
{
	static const char *const fmt[] = { "/d/%u/file", "/d/%u/notes.txt",
	    "/d/%u/abc12", "/d/%u/sub/x/y" };
	unsigned i = (unsigned)(rnd() % nrules);

	snprintf(path, size, fmt[i % 4], i);
	*want = i;
}

/* An open-for-reading request, path to be filled in. */
static void
init_request(struct policy_request *req)
{
	memset(req, 0, sizeof(*req));
	req->pr_op = POLICY_OP_OPEN;
	policy_request_set_int(req, POLICY_F_FLAGS, POLICY_O_RDONLY);
}


static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

#define NREQ	4096
#define PATHLEN	32
#define ROUNDS	7		/* each round measures every size once */

/* One policy under test with its request paths (rule i matches path i).
 * A batch's requests are written just before it is timed, as a kernel or
 * supervisor writes a request (copied in from the caller) right before it
 * is decided: the requests are in cache, the policy only as far as it fits. */
struct sized {
	unsigned		nrules;
	struct policy_loaded	*pl;
	char			paths[NREQ][PATHLEN];
	struct policy_request	reqs[BATCH];
	double			*samples;	/* all rounds' samples */
	size_t			nsamples;
	double			round_median[ROUNDS];
};

static void
sized_init(struct sized *z, unsigned nrules)
{
	struct policy_decision d;
	unsigned want[NREQ], i;

	z->nrules = nrules;
	z->pl = make_policy(nrules);
	for (i = 0; i < NREQ; i++)
		make_path(z->paths[i], PATHLEN, nrules, &want[i]);
	for (i = 0; i < BATCH; i++)
		init_request(&z->reqs[i]);
	for (i = 0; i < NREQ; i++) {	/* correctness */
		policy_request_set_str(&z->reqs[0], POLICY_F_FILENAME,
		    z->paths[i]);
		policy_eval(&z->pl->pl_policy, &z->reqs[0], &d);
		if (d.pd_rule != want[i] || d.pd_action != POLICY_ACT_PERMIT) {
			fprintf(stderr, "bench: wrong decision: rule %u, want %u\n",
			    d.pd_rule, want[i]);
			exit(1);
		}
	}
	z->samples = malloc(ROUNDS * (200000 / BATCH) * sizeof(double));
	z->nsamples = 0;
}

/* One round for z: time 25,000 batches of BATCH decisions of requests at
 * random places of the path list. */
static void
sized_round(struct sized *z, unsigned round)
{
	unsigned i, s, n = 200000 / BATCH;
	struct policy_decision d;
	double *out = z->samples + z->nsamples;

	for (s = 0; s < n; s++) {
		unsigned base = (unsigned)(rnd() % (NREQ - BATCH));
		double t0;

		for (i = 0; i < BATCH; i++)
			policy_request_set_str(&z->reqs[i], POLICY_F_FILENAME,
			    z->paths[base + i]);
		t0 = now_ns();
		for (i = 0; i < BATCH; i++)
			policy_eval(&z->pl->pl_policy, &z->reqs[i], &d);
		out[s] = (now_ns() - t0) / BATCH;
	}
	qsort(out, n, sizeof(double), cmp_double);
	z->round_median[round] = out[n / 2];
	z->nsamples += n;
}

static double
median_of(double *v, size_t n)
{
	qsort(v, n, sizeof(double), cmp_double);
	return v[n / 2];
}

/* For callgrind: n decisions and nothing else worth counting. */
static void
decide_only(unsigned nrules, unsigned n)
{
	struct policy_loaded *pl = make_policy(nrules);
	struct policy_request req;
	struct policy_decision d;
	unsigned i, want, bad = 0;
	char path[PATHLEN];

	init_request(&req);
	for (i = 0; i < n; i++) {
		make_path(path, sizeof(path), nrules, &want);
		policy_request_set_str(&req, POLICY_F_FILENAME, path);
		policy_eval(&pl->pl_policy, &req, &d);
		bad += d.pd_rule != want;
	}
	policy_loaded_free(pl);
	if (bad)
		exit(1);
}

int
main(int argc, char **argv)
{
	static const unsigned sizes[] = { 10, 1000, 100000 };
	static struct sized z[3];
	double med[3], p99[3], ratio[ROUNDS];
	cpu_set_t cpu;
	unsigned i, r;
	int c;

	if (argc == 4 && strcmp(argv[1], "--decide-only") == 0) {
		decide_only((unsigned)atoi(argv[2]), (unsigned)atoi(argv[3]));
		return 0;
	}
	if (argc > 1) {
		fprintf(stderr, "usage: bench_eval [--decide-only RULES N]\n");
		return 2;
	}
	/* one CPU for the whole run, so that the sizes are compared on it */
	if ((c = sched_getcpu()) >= 0) {
		CPU_ZERO(&cpu);
		CPU_SET(c, &cpu);
		(void)sched_setaffinity(0, sizeof(cpu), &cpu);
	}
	for (i = 0; i < 3; i++)
		sized_init(&z[i], sizes[i]);
	for (r = 0; r < ROUNDS; r++) {
		for (i = 0; i < 3; i++)
			sized_round(&z[i], r);
		ratio[r] = z[2].round_median[r] / z[1].round_median[r];
	}
	printf("policy engine: ns per decision (open of a path matched by one "
	    "rule at a random position;\nrules are 1/4 each eq, match, re, "
	    "inpath; batches of %d requests written just before they are\n"
	    "decided; %d rounds, each timing every size in turn on one CPU; "
	    "median and p99 over all\nrounds' batches)\n", BATCH, ROUNDS);
	printf("%10s %12s %12s\n", "rules", "median ns", "p99 ns");
	for (i = 0; i < 3; i++) {
		size_t n = z[i].nsamples;

		qsort(z[i].samples, n, sizeof(double), cmp_double);
		med[i] = z[i].samples[n / 2];
		p99[i] = z[i].samples[n * 99 / 100];
		printf("%10u %12.1f %12.1f\n", sizes[i], med[i], p99[i]);
	}
	printf("100,000/1,000 per round:");
	for (r = 0; r < ROUNDS; r++)
		printf(" %.2f", ratio[r]);
	printf("\n");
	printf("targets: median at 1,000 rules <= 200 ns: %s (%.1f); "
	    "100,000 rules <= 2x 1,000 rules: %s (%.2fx, the median of the "
	    "rounds' ratios)\n",
	    med[1] <= 200 ? "met" : "MISSED", med[1],
	    median_of(ratio, ROUNDS) <= 2 ? "met" : "MISSED",
	    median_of(ratio, ROUNDS));
	for (i = 0; i < 3; i++) {
		policy_loaded_free(z[i].pl);
		free(z[i].samples);
	}
	return 0;
}
