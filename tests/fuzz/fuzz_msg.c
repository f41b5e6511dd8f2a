/* fuzz_msg.c: libFuzzer target for policyd's record checker: arbitrary bytes are checked
 * as a record and, if accepted, shown the ways policyd and policyctl show them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_interactive.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static union policy_msg_buf b;
	char text[8192];
	const void *body = POLICY_MSG_BODY(&b);
	int t;

	if (size > sizeof(b.bytes))
		return 0;
	memcpy(b.bytes, data, size);	/* aligned, as received */
	/* let the fuzzer past the header: make it say what it holds */
	if (size >= sizeof(struct policy_msg_hdr) && (b.bytes[0] & 1)) {
		b.h.pm_magic = POLICY_MSG_MAGIC;
		b.h.pm_version = POLICY_MSG_VERSION;
		b.h.pm_len = (uint32_t)size;
		b.h.pm_pad = 0;
	}
	if ((t = policy_msg_check(b.bytes, size, text, sizeof(text))) < 0)
		return 0;
	if (t == POLICY_MSG_ALARM || t == POLICY_MSG_PENDING) {
		const struct policy_msg_alarm *m = t == POLICY_MSG_ALARM ? body :
		    &((const struct policy_msg_pending *)body)->mp_alarm;

		policy_request_describe(&m->ma_alarm.pa_req, text, sizeof(text));
		policy_request_json(&m->ma_alarm.pa_req, text, sizeof(text));
		(void)policy_request_rule(&m->ma_alarm.pa_req, POLICY_ACT_PERMIT,
		    m->ma_errno, text, sizeof(text));
	} else if (t == POLICY_MSG_DECISION)
		policy_json_decision(body, 0, text, sizeof(text));
	return 0;
}
