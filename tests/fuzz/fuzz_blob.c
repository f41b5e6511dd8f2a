/* fuzz_blob.c: libFuzzer target for the blob validator: arbitrary bytes are validated
 * and, if accepted, evaluated and dumped; nothing may crash or read out of bounds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libpolicy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy p;
	char err[POLICY_ERRBUF];
	void *blob;

	if (size > (1u << 20))
		return 0;
	/* exact-size aligned copy so ASan sees any overrun */
	if ((blob = aligned_alloc(8, (size + 7) & ~(size_t)7)) == NULL)
		return 0;
	memcpy(blob, data, size);
	/* let the fuzzer reach past the checksum: fix it up when it is wrong */
	if (size >= sizeof(struct policy_blob_header))
		((struct policy_blob_header *)blob)->ph_checksum =
		    policy_blob_checksum(blob, size);
	if (policy_blob_validate(&p, blob, size, err, sizeof(err)) == 0) {
		static const char *const paths[] = { "/etc/passwd", "/usr/lib/x", "" };
		struct policy_request req;
		struct policy_decision d;
		unsigned op, i;
		FILE *fp = fopen("/dev/null", "w");

		for (op = 1; op < POLICY_OP_COUNT; op++)
			for (i = 0; i < 3; i++) {
				memset(&req, 0, sizeof(req));
				req.pr_op = (uint16_t)op;
				policy_request_set_str(&req, POLICY_F_FILENAME, paths[i]);
				policy_request_set_str(&req, POLICY_F_SYSCALL, "getpid");
				policy_eval(&p, &req, &d);
			}
		if (fp != NULL) {
			policy_dump(fp, &p);
			fclose(fp);
		}
	} else if (strncmp(err, "invalid policy blob: ", 21) != 0)
		abort();
	free(blob);
	return 0;
}
