/* fuzz_cond.c: libFuzzer target for the rule-condition parser (flex + bison): one
 * rule line in systrace syntax, parsed and, when valid, compiled and evaluated. */
#include <stdlib.h>
#include <string.h>

#include "policy_compile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pc_where w = { "fuzz", 1, 1 };
	struct pc_arena a;
	struct pc_rule rule;
	struct policy_diag d;

	memset(&a, 0, sizeof(a));
	if (pc_parse_rule(&a, (const char *)data, size, NULL, NULL, &w, &rule,
	    &d) == 0) {
		struct pc_policy pol;
		void *blob;
		size_t bsize;

		memset(&pol, 0, sizeof(pol));
		pol.default_action = POLICY_ACT_DENY;
		pol.source = "fuzz";
		if (!pc_policy_add(&a, &pol, &rule))
			abort();
		if (pc_build(&pol, &blob, &bsize, &d) == 0) {
			struct policy p;
			struct policy_request req;
			struct policy_decision dec;
			char err[POLICY_ERRBUF];

			if (policy_blob_validate(&p, blob, bsize, err, sizeof(err)) != 0)
				abort();
			memset(&req, 0, sizeof(req));
			req.pr_op = (uint16_t)(rule.op < POLICY_OP_COUNT ? rule.op :
			    POLICY_OP_OPEN);
			policy_request_set_str(&req, POLICY_F_FILENAME, "/etc/passwd");
			policy_eval(&p, &req, &dec);
			free(blob);
		}
	} else {
		/* errors are positioned inside the input */
		unsigned lines = 1;
		size_t i;

		for (i = 0; i < size; i++)
			lines += data[i] == '\n';
		if (d.pd_line < 1 || d.pd_line > lines || d.pd_col == 0 ||
		    d.pd_msg[0] == '\0')
			abort();
	}
	pc_arena_free(&a);
	return 0;
}
