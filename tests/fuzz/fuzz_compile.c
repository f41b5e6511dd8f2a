/* fuzz_compile.c: libFuzzer target for the YAML compiler: any input either fails with
 * a positioned diagnostic or yields a blob that the validator accepts. */
#include <stdlib.h>
#include <string.h>

#include "libpolicy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct policy_diag d;
	struct policy p;
	char err[POLICY_ERRBUF];
	void *blob;
	size_t bsize;

	if (policy_compile_buffer("fuzz.yaml", (const char *)data, size, &blob,
	    &bsize, &d) != 0) {
		if (d.pd_msg[0] == '\0')
			abort();	/* every error says what is wrong */
		return 0;
	}
	if (policy_blob_validate(&p, blob, bsize, err, sizeof(err)) != 0)
		abort();		/* the compiler emitted an invalid blob */
	free(blob);
	return 0;
}
