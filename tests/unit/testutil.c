/* testutil.c: helpers shared by the cmocka unit tests (see testutil.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

struct policy_loaded *
tu_compile(const char *yaml, struct policy_diag *diag)
{
	struct policy_diag d;
	void *blob;
	size_t size;
	struct policy_loaded *pl;

	if (diag == NULL)
		diag = &d;
	memset(diag, 0, sizeof(*diag));
	if (policy_compile_buffer("test.yaml", yaml, strlen(yaml), &blob, &size,
	    diag) != 0)
		return NULL;
	pl = policy_load_blob(blob, size, "test.yaml", diag);
	free(blob);
	return pl;
}

struct policy_loaded *
tu_compile_rule(const char *rule, struct policy_diag *diag)
{
	char buf[8192];

	snprintf(buf, sizeof(buf), "policy: 1\ndefault: deny\nrules:\n  - %s\n",
	    rule);
	return tu_compile(buf, diag);
}

void
tu_req(struct policy_request *req, unsigned op, const char *filename)
{
	memset(req, 0, sizeof(*req));
	req->pr_op = (uint16_t)op;
	req->pr_emul = POLICY_EMUL_NATIVE;
	if (filename != NULL)
		policy_request_set_str(req, POLICY_F_FILENAME, filename);
}

int
tu_decide(const struct policy_loaded *pl, const struct policy_request *req,
    uint32_t *rule)
{
	struct policy_decision d;

	policy_eval(&pl->pl_policy, req, &d);
	if (rule != NULL)
		*rule = d.pd_rule;
	return d.pd_action;
}

uint64_t
tu_rand(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 2685821657736338717ull;
}
