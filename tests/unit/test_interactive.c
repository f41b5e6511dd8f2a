/* test_interactive.c: the library side of interactive use: rules inserted before a given
 * rule, answers as rules, protocol records checked, JSON lines, learning's generalisation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "policy_interactive.h"

/* Compile YAML with one single-quoted rule per entry of rules[]. */
static struct policy_loaded *
compile_rules(const char *const *rules, size_t n)
{
	char buf[16384];
	size_t len, i, j;

	len = (size_t)snprintf(buf, sizeof(buf), "policy: 1\ndefault: deny\n"
	    "rules:\n");
	for (i = 0; i < n; i++) {
		buf[len++] = ' ';
		buf[len++] = ' ';
		buf[len++] = '-';
		buf[len++] = ' ';
		buf[len++] = '\'';
		for (j = 0; rules[i][j]; j++) {
			if (rules[i][j] == '\'')
				buf[len++] = '\'';
			buf[len++] = rules[i][j];
		}
		buf[len++] = '\'';
		buf[len++] = '\n';
	}
	buf[len] = '\0';
	return tu_compile(buf, NULL);
}

/* ------------------------------------------------------------------ */
/* policy_yaml_with_rule_at                                            */

static char *
insert_ok(const char *in, uint32_t at, const char *rule, const char *comment,
    uint32_t want_index)
{
	struct policy_diag d;
	char *out = policy_yaml_with_rule_at("p.yaml", in, strlen(in), at, rule,
	    comment, &d);
	struct policy_loaded *pl;

	if (out == NULL)
		fail_msg("%u:%u: %s", d.pd_line, d.pd_col, d.pd_msg);
	assert_non_null(pl = tu_compile(out, &d));
	assert_string_equal(policy_str(&pl->pl_policy,
	    pl->pl_policy.p_rules[want_index].pr_text), rule);
	policy_loaded_free(pl);
	return out;
}

static void
test_insert_before(void **state)
{
	const char *in =
	    "policy: 1\nrules:\n"
	    "  - kill: then deny\n"
	    "  # about the ask\n"
	    "  # (two lines)\n"
	    "  - open: filename eq \"/a\" then ask   # why\n"
	    "\n"
	    "  - stat: then permit\n"
	    "name: x\n";
	char *out;

	(void)state;
	out = insert_ok(in, 1, "fsread: filename eq \"/a\" then permit", "answered",
	    1);
	assert_string_equal(out,
	    "policy: 1\nrules:\n"
	    "  - kill: then deny\n"
	    "  # answered\n"
	    "  - 'fsread: filename eq \"/a\" then permit'\n"
	    "  # about the ask\n"
	    "  # (two lines)\n"
	    "  - open: filename eq \"/a\" then ask   # why\n"
	    "\n"
	    "  - stat: then permit\n"
	    "name: x\n");
	free(out);
	/* before the first; a blank line stops the climb over comments */
	out = insert_ok(in, 0, "getpid: permit", NULL, 0);
	assert_non_null(strstr(out, "rules:\n  - 'getpid: permit'\n  - kill"));
	free(out);
	out = insert_ok(in, 2, "getpid: permit", NULL, 2);
	assert_non_null(strstr(out, "\n\n  - 'getpid: permit'\n  - stat"));
	free(out);
	/* past the end, or POLICY_NONE: appended */
	out = insert_ok(in, POLICY_NONE, "getpid: permit", NULL, 3);
	assert_non_null(strstr(out, "  - stat: then permit\n  - 'getpid: permit'\n"
	    "name: x\n"));
	free(out);
	out = insert_ok(in, 99, "getpid: permit", NULL, 3);
	free(out);
	/* a flow list */
	out = insert_ok("policy: 1\nrules: [kill: then deny, 'stat: permit']\n",
	    1, "getpid: permit", NULL, 1);
	assert_string_equal(out, "policy: 1\nrules: [kill: then deny, "
	    "'getpid: permit', 'stat: permit']\n");
	free(out);
}

static void
test_insert_refused(void **state)
{
	struct policy_diag d;

	(void)state;
	assert_null(policy_yaml_with_rule_at("p.yaml", "policy: 1\nrules:\n"
	    "  - kill: then deny\n", 30, 0, "open: filename frob \"/x\"", NULL,
	    &d));
	assert_null(policy_yaml_with_rule_at("p.yaml", "policy: 1\nrules:\n"
	    "  - kill: then deny\n", 30, 0, "a: permit\nb: permit", NULL, &d));
}

/* ------------------------------------------------------------------ */
/* policy_request_rule                                                 */

/* The rule for req must compile, permit or deny req as asked, and not
 * match other. */
static void
rule_for(const struct policy_request *req, unsigned action, unsigned perrno,
    const char *want, const struct policy_request *other)
{
	char buf[4096];
	const char *rules[1] = { buf };
	struct policy_loaded *pl;
	uint32_t r;

	assert_int_equal(policy_request_rule(req, action, perrno, buf,
	    sizeof(buf)), 0);
	if (want != NULL)
		assert_string_equal(buf, want);
	assert_non_null(pl = compile_rules(rules, 1));
	assert_int_equal(tu_decide(pl, req, &r), (int)action);
	assert_int_equal(r, 0);
	if (other != NULL) {
		assert_int_equal(tu_decide(pl, other, &r), POLICY_ACT_DENY);
		assert_int_equal(r, POLICY_NONE);
	}
	policy_loaded_free(pl);
}

static void
test_answer_rules(void **state)
{
	struct policy_request a, b;
	char buf[256];

	(void)state;
	tu_req(&a, POLICY_OP_OPEN, "/etc/motd");
	policy_request_set_int(&a, POLICY_F_FLAGS, POLICY_O_RDONLY);
	tu_req(&b, POLICY_OP_OPEN, "/etc/motd");
	policy_request_set_int(&b, POLICY_F_FLAGS, POLICY_O_WRONLY);
	/* a read permitted always does not permit a write */
	rule_for(&a, POLICY_ACT_PERMIT, 0,
	    "fsread: filename eq \"/etc/motd\" then permit", &b);
	rule_for(&b, POLICY_ACT_PERMIT, 0,
	    "open: filename eq \"/etc/motd\" then permit", NULL);
	rule_for(&b, POLICY_ACT_DENY, (unsigned)policy_errno_portable(13),
	    "open: filename eq \"/etc/motd\" then deny[EACCES]", NULL);
	/* quotes and backslashes survive */
	tu_req(&a, POLICY_OP_UNLINK, "/tmp/it's \"odd\"\\x");
	tu_req(&b, POLICY_OP_UNLINK, "/tmp/it's");
	rule_for(&a, POLICY_ACT_PERMIT, 0, NULL, &b);
	tu_req(&a, POLICY_OP_RENAME, "/a");
	policy_request_set_str(&a, POLICY_F_FILENAME2, "/b");
	tu_req(&b, POLICY_OP_RENAME, "/a");
	policy_request_set_str(&b, POLICY_F_FILENAME2, "/c");
	rule_for(&a, POLICY_ACT_PERMIT, 0,
	    "rename: filename eq \"/a\" and filename2 eq \"/b\" then permit", &b);
	tu_req(&a, POLICY_OP_CONNECT, NULL);
	policy_request_set_str(&a, POLICY_F_SOCKADDR, "inet-127.0.0.1:80");
	tu_req(&b, POLICY_OP_CONNECT, NULL);
	policy_request_set_str(&b, POLICY_F_SOCKADDR, "inet-127.0.0.1:81");
	rule_for(&a, POLICY_ACT_PERMIT, 0,
	    "connect: sockaddr eq \"inet-127.0.0.1:80\" then permit", &b);
	tu_req(&a, POLICY_OP_SENDTO, NULL);	/* no address */
	rule_for(&a, POLICY_ACT_PERMIT, 0,
	    "sendto: not sockaddr match \"*\" then permit", &b);
	tu_req(&a, POLICY_OP_SOCKET, NULL);
	policy_request_set_int(&a, POLICY_F_DOMAIN, POLICY_AF_INET);
	policy_request_set_int(&a, POLICY_F_TYPE, POLICY_SOCK_STREAM);
	policy_request_set_int(&a, POLICY_F_PROTOCOL, 6);
	tu_req(&b, POLICY_OP_SOCKET, NULL);
	policy_request_set_int(&b, POLICY_F_DOMAIN, POLICY_AF_INET6);
	policy_request_set_int(&b, POLICY_F_TYPE, POLICY_SOCK_STREAM);
	rule_for(&a, POLICY_ACT_PERMIT, 0, "socket: domain eq AF_INET and "
	    "type eq SOCK_STREAM then permit", &b);
	tu_req(&a, POLICY_OP_KILL, NULL);
	policy_request_set_int(&a, POLICY_F_PID, 42);
	policy_request_set_int(&a, POLICY_F_SIGNAL, 15);	/* SIGTERM */
	rule_for(&a, POLICY_ACT_DENY, 0, "kill: signal eq SIGTERM then deny",
	    NULL);
	tu_req(&a, POLICY_OP_SYSCALL, NULL);
	policy_request_set_str(&a, POLICY_F_SYSCALL, "getpid");
	tu_req(&b, POLICY_OP_SYSCALL, NULL);
	policy_request_set_str(&b, POLICY_F_SYSCALL, "getppid");
	rule_for(&a, POLICY_ACT_PERMIT, 0, "getpid: permit", &b);
	/* what YAML cannot hold is refused, not mangled */
	tu_req(&a, POLICY_OP_OPEN, "/tmp/a\033[2Jb");
	assert_int_equal(policy_request_rule(&a, POLICY_ACT_PERMIT, 0, buf,
	    sizeof(buf)), -1);
	tu_req(&a, POLICY_OP_OPEN, "/tmp/x");
	assert_int_equal(policy_request_rule(&a, POLICY_ACT_PERMIT, 0, buf, 10),
	    -1);
}

/* ------------------------------------------------------------------ */
/* Protocol records                                                    */

static union policy_msg_buf mb;

static size_t
record(unsigned type, const void *body, size_t len)
{
	struct policy_msg_hdr h;

	memset(&h, 0, sizeof(h));
	h.pm_magic = POLICY_MSG_MAGIC;
	h.pm_version = POLICY_MSG_VERSION;
	h.pm_type = (uint16_t)type;
	h.pm_len = (uint32_t)(sizeof(h) + len);
	memcpy(mb.bytes, &h, sizeof(h));
	if (len > 0)
		memcpy(mb.bytes + sizeof(h), body, len);
	return sizeof(h) + len;
}

static struct policy_msg_alarm *
good_alarm(void)
{
	static struct policy_msg_alarm m;

	memset(&m, 0, sizeof(m));
	m.ma_alarm.pa_id = 7;
	m.ma_alarm.pa_pid = 1234;
	m.ma_alarm.pa_rule = 3;
	strcpy(m.ma_alarm.pa_program, "/usr/bin/cat");
	m.ma_timeout_ms = 1000;
	m.ma_flags = POLICY_ALARM_PERSIST;
	strcpy(m.ma_path, "/home/u/p.yaml");
	strcpy(m.ma_rule, "open: then ask");
	tu_req(&m.ma_alarm.pa_req, POLICY_OP_OPEN, "/etc/motd");
	policy_request_set_int(&m.ma_alarm.pa_req, POLICY_F_FLAGS, 0);
	return &m;
}

static int
check_alarm(const struct policy_msg_alarm *m)
{
	size_t n = record(POLICY_MSG_ALARM, m, sizeof(*m));

	return policy_msg_check(mb.bytes, n, NULL, 0);
}

static void
test_records(void **state)
{
	struct policy_msg_alarm *m;
	struct policy_answer a;
	struct policy_msg_verdict v;
	struct policy_msg_result r;
	struct policy_msg_decision *d = calloc(1, sizeof(*d));
	char why[160];
	size_t n;

	(void)state;
	assert_int_equal(check_alarm(good_alarm()), POLICY_MSG_ALARM);
	n = record(POLICY_MSG_ALARM, good_alarm(), sizeof(*m));
	assert_int_equal(policy_msg_check(mb.bytes, n - 1, why, sizeof(why)), -1);
	assert_int_equal(policy_msg_check(mb.bytes, 10, why, sizeof(why)), -1);
	mb.h.pm_magic ^= 1;
	assert_int_equal(policy_msg_check(mb.bytes, n, why, sizeof(why)), -1);
	n = record(77, good_alarm(), sizeof(*m));
	assert_int_equal(policy_msg_check(mb.bytes, n, why, sizeof(why)), -1);
	m = good_alarm();
	memset(m->ma_rule, 'x', sizeof(m->ma_rule));
	assert_int_equal(check_alarm(m), -1);
	m = good_alarm();
	m->ma_alarm.pa_req.pr_op = POLICY_OP_COUNT;
	assert_int_equal(check_alarm(m), -1);
	m = good_alarm();
	m->ma_alarm.pa_req.pr_len[POLICY_F_FILENAME] = 3;
	assert_int_equal(check_alarm(m), -1);
	m = good_alarm();
	m->ma_alarm.pa_req.pr_sockaddr[0] = 'x';	/* absent, yet a value */
	assert_int_equal(check_alarm(m), -1);
	m = good_alarm();
	m->ma_alarm.pa_req.pr_int[POLICY_F_PID - POLICY_F_NSTR] = 5;
	assert_int_equal(check_alarm(m), -1);
	m = good_alarm();
	strcpy(m->ma_path, "relative.yaml");
	assert_int_equal(check_alarm(m), -1);
	m = good_alarm();
	m->ma_timeout_ms = 0;
	assert_int_equal(check_alarm(m), -1);
	m = good_alarm();
	m->ma_alarm.pa_pid = -1;
	assert_int_equal(check_alarm(m), -1);
	m = good_alarm();
	m->ma_errno = 9999;
	assert_int_equal(check_alarm(m), -1);

	memset(&a, 0, sizeof(a));
	a.pa_id = 1;
	a.pa_action = POLICY_ACT_PERMIT;
	n = record(POLICY_MSG_ANSWER, &a, sizeof(a));
	assert_int_equal(policy_msg_check(mb.bytes, n, NULL, 0), POLICY_MSG_ANSWER);
	a.pa_action = POLICY_ACT_ASK;
	n = record(POLICY_MSG_ANSWER, &a, sizeof(a));
	assert_int_equal(policy_msg_check(mb.bytes, n, NULL, 0), -1);
	a.pa_action = POLICY_ACT_DENY;
	a.pa_scope = 2;
	n = record(POLICY_MSG_ANSWER, &a, sizeof(a));
	assert_int_equal(policy_msg_check(mb.bytes, n, NULL, 0), -1);

	memset(&v, 0, sizeof(v));
	v.mv_action = POLICY_ACT_DENY;
	v.mv_reason = POLICY_VERDICT_TIMEOUT;
	n = record(POLICY_MSG_VERDICT, &v, sizeof(v));
	assert_int_equal(policy_msg_check(mb.bytes, n, NULL, 0), POLICY_MSG_VERDICT);
	v.mv_reason = 0;
	n = record(POLICY_MSG_VERDICT, &v, sizeof(v));
	assert_int_equal(policy_msg_check(mb.bytes, n, NULL, 0), -1);

	memset(&r, 'z', sizeof(r));
	r.mr_status = 0;
	r.mr_pad = 0;
	n = record(POLICY_MSG_RESULT, &r, sizeof(r));
	assert_int_equal(policy_msg_check(mb.bytes, n, NULL, 0), -1);

	tu_req(&d->md_req, POLICY_OP_OPEN, "/x");
	d->md_flags = POLICY_DECISION_LOGGED;
	n = record(POLICY_MSG_DECISION, d, sizeof(*d));
	assert_int_equal(policy_msg_check(mb.bytes, n, NULL, 0),
	    POLICY_MSG_DECISION);
	d->md_flags = 0x80;
	n = record(POLICY_MSG_DECISION, d, sizeof(*d));
	assert_int_equal(policy_msg_check(mb.bytes, n, NULL, 0), -1);
	free(d);
	{
		struct policy_msg_tally *t = calloc(1, sizeof(*t));

		t->mt_decisions[POLICY_OP_OPEN][POLICY_DECIDED_DENY] = 3;
		t->mt_latency_sum_ns = 1ull << 50;
		n = record(POLICY_MSG_TALLY, t, sizeof(*t));
		assert_int_equal(policy_msg_check(mb.bytes, n, NULL, 0),
		    POLICY_MSG_TALLY);
		t->mt_latency[2] = POLICY_TALLY_MAX + 1;
		n = record(POLICY_MSG_TALLY, t, sizeof(*t));
		assert_int_equal(policy_msg_check(mb.bytes, n, NULL, 0), -1);
		free(t);
	}
	n = record(POLICY_MSG_STATS_REQ, NULL, 0);
	assert_int_equal(policy_msg_check(mb.bytes, n, NULL, 0),
	    POLICY_MSG_STATS_REQ);
	n = record(POLICY_MSG_STATS_REQ, "x", 1);
	assert_int_equal(policy_msg_check(mb.bytes, n, NULL, 0), -1);
}

/* Random bytes never pass as a record, and never crash the checker. */
static void
test_records_random(void **state)
{
	uint64_t s = 42;
	unsigned i, passed = 0;
	size_t j, n;

	(void)state;
	for (i = 0; i < 20000; i++) {
		n = record(POLICY_MSG_ALARM, good_alarm(),
		    sizeof(struct policy_msg_alarm));
		for (j = 0; j < 1 + tu_rand(&s) % 8; j++)
			mb.bytes[tu_rand(&s) % n] = (unsigned char)tu_rand(&s);
		if (policy_msg_check(mb.bytes, n - (tu_rand(&s) % 2), NULL, 0) >= 0)
			passed++;
	}
	/* some flips land in ignored bytes (after a NUL): fine, but most fail */
	assert_true(passed < 20000 / 2);
}

/* ------------------------------------------------------------------ */
/* JSON decision lines                                                 */

static void
test_json(void **state)
{
	struct policy_msg_decision *d = calloc(1, sizeof(*d));
	char line[8192];

	(void)state;
	d->md_time_ns = 1700000000123456789ull;
	d->md_latency_ns = 12500;
	d->md_pid = 42;
	d->md_line = 6;
	d->md_action = POLICY_DECIDED_DENY;
	strcpy(d->md_program, "/usr/bin/c\"at");
	strcpy(d->md_policy, "/p.yaml");
	tu_req(&d->md_req, POLICY_OP_OPEN, "/x\n\xff\xc3\xa9");
	policy_request_set_int(&d->md_req, POLICY_F_FLAGS,
	    POLICY_O_WRONLY | POLICY_O_CREAT);
	policy_request_set_int(&d->md_req, POLICY_F_MODE, 0644);
	policy_json_decision(d, 1000, line, sizeof(line));
	assert_string_equal(line,
	    "{\"time\":\"2023-11-14T22:13:20.123456Z\",\"pid\":42,\"uid\":1000,"
	    "\"program\":\"/usr/bin/c\\\"at\",\"operation\":\"open\","
	    "\"arguments\":{\"filename\":\"/x\\u000a\\ufffd\xc3\xa9\","
	    "\"flags\":\"O_WRONLY|O_CREAT\",\"mode\":\"0644\"},"
	    "\"action\":\"deny\",\"asked\":false,\"rule\":\"/p.yaml:6\","
	    "\"latency_us\":12.500}\n");
	d->md_flags = POLICY_DECISION_DEFAULT | POLICY_DECISION_ASKED;
	d->md_action = POLICY_DECIDED_WOULD_DENY;
	policy_json_decision(d, -1, line, sizeof(line));
	assert_non_null(strstr(line, "\"rule\":\"/p.yaml:default\""));
	assert_non_null(strstr(line, "\"asked\":true"));
	assert_non_null(strstr(line, "\"would-deny\""));
	assert_null(strstr(line, "\"uid\""));
	free(d);
}

/* ------------------------------------------------------------------ */
/* Learning                                                            */

static void
learn_open(struct policy_learn *l, const char *path, int64_t flags)
{
	struct policy_request r;

	tu_req(&r, POLICY_OP_OPEN, path);
	policy_request_set_int(&r, POLICY_F_FLAGS, flags);
	policy_learn_add(l, &r);
}

static void
test_learn(void **state)
{
	struct policy_learn *l = policy_learn_new("/home/u/");
	struct policy_request r, seen[8];
	struct policy_loaded *pl;
	struct policy_diag d;
	char *yaml;
	size_t len, i, ns = 0;

	(void)state;
	assert_non_null(l);
	learn_open(l, "/usr/lib/x86_64-linux-gnu/libc.so.6", POLICY_O_CLOEXEC);
	learn_open(l, "/usr/lib/x86_64-linux-gnu/libm.so.6", 0);
	learn_open(l, "/usr/lib/locale/C.utf8/LC_CTYPE", 0);
	learn_open(l, "/tmp/ccAbC123.s", POLICY_O_RDWR | POLICY_O_CREAT |
	    POLICY_O_EXCL);
	learn_open(l, "/tmp/ccAbC123.s", 0);
	learn_open(l, "/tmp/notes.txt", 0);	/* not temporary-looking */
	learn_open(l, "/home/u/.gitconfig", 0);
	learn_open(l, "/home/u/.gitconfig", 0);
	learn_open(l, "/proc/4242/status", 0);
	tu_req(&r, POLICY_OP_ACCESS, "pid:[4026532184]");
	policy_learn_add(l, &r);
	tu_req(&r, POLICY_OP_UNLINK, "/tmp/ccAbC123.s");
	policy_learn_add(l, &r);
	tu_req(&r, POLICY_OP_CONNECT, NULL);
	policy_request_set_str(&r, POLICY_F_SOCKADDR, "inet-127.0.0.1:8080");
	policy_learn_add(l, &r);
	tu_req(&r, POLICY_OP_SYSCALL, NULL);
	policy_request_set_str(&r, POLICY_F_SYSCALL, "getpid");
	policy_learn_add(l, &r);
	policy_learn_add(l, &r);
	tu_req(&r, POLICY_OP_EXECVE, "/usr/bin/cat");
	policy_request_set_str(&r, POLICY_F_ARGV, "cat x");
	policy_learn_add(l, &r);
	/* an output the run creates (as's), a log it only appends to, and
	 * an output made and removed within the run (its unlink learned) */
	learn_open(l, "/w/f0.o", POLICY_O_WRONLY | POLICY_O_CREAT |
	    POLICY_O_TRUNC);
	learn_open(l, "/w/log", POLICY_O_WRONLY | POLICY_O_APPEND);
	learn_open(l, "/w/t.d", POLICY_O_WRONLY);
	learn_open(l, "/w/t.d", POLICY_O_WRONLY | POLICY_O_CREAT);
	tu_req(&r, POLICY_OP_UNLINK, "/w/t.d");
	policy_learn_add(l, &r);
	assert_int_equal(policy_learn_calls(l), 20);
	yaml = policy_learn_yaml(l, "cat", "cat x", &len);
	assert_non_null(yaml);
#define HAS(s) do { if (strstr(yaml, (s)) == NULL) fail_msg("no %s in\n%s", (s), yaml); } while (0)
	HAS("default: deny\n");
	HAS("  # 2 calls, 2 names, e.g. /usr/lib/x86_64-linux-gnu/lib");
	HAS("  - 'fsread: filename match \"/usr/lib/x86_64-linux-gnu/*.so*\" then permit'\n");
	HAS("  - 'fsread: filename inpath \"/usr/lib/locale\" then permit'\n");
	HAS("  - 'open: filename re \"^/tmp/cc[^/]*\\\\.s$\" then permit'\n");
	HAS("  - 'fsread: filename re \"^/tmp/cc[^/]*\\\\.s$\" then permit'\n");
	HAS("  - 'unlink: filename re \"^/tmp/cc[^/]*\\\\.s$\" then permit'\n");
	HAS("  - 'fsread: filename eq \"/tmp/notes.txt\" then permit'\n");
	HAS("  # 2 calls: $HOME/.gitconfig\n");
	HAS("  - 'fsread: filename eq \"/home/u/.gitconfig\" then permit'\n");
	HAS("  - 'fsread: filename re \"^/proc/[0-9]+/status$\" then permit'\n");
	HAS("  - 'fsread: filename re \"^pid:\\\\[[0-9]+\\\\]$\" then permit'\n");
	HAS("  - 'connect: sockaddr eq \"inet-127.0.0.1:8080\" then permit'\n");
	HAS("  # 2 calls\n  - 'getpid: permit'\n");
	HAS("  - 'execve: filename eq \"/usr/bin/cat\" then permit'\n");
	HAS("  # implied: the run creates /w/f0.o, which running it again "
	    "removes first\n  - 'unlink: filename eq \"/w/f0.o\" then permit'\n");
	HAS("  # 1 call\n  - 'unlink: filename eq \"/w/t.d\" then permit'\n");
	if (strstr(yaml, "unlink: filename eq \"/w/log\"") != NULL)
		fail_msg("an append implies no unlink:\n%s", yaml);
#undef HAS
	/* it compiles, permits what was seen and its like, and no more */
	assert_non_null(pl = tu_compile(yaml, &d));
	tu_req(&seen[ns], POLICY_OP_OPEN, "/tmp/ccXyZ789.s");
	policy_request_set_int(&seen[ns++], POLICY_F_FLAGS, POLICY_O_RDWR |
	    POLICY_O_CREAT | POLICY_O_EXCL);
	tu_req(&seen[ns++], POLICY_OP_STAT, "/usr/lib/locale/C.utf8");
	tu_req(&seen[ns++], POLICY_OP_OPEN, "/usr/lib/x86_64-linux-gnu/libz.so.1");
	tu_req(&seen[ns++], POLICY_OP_OPEN, "/proc/99/status");
	tu_req(&seen[ns++], POLICY_OP_ACCESS, "pid:[4026532999]");
	for (i = 0; i < ns; i++)
		assert_int_equal(tu_decide(pl, &seen[i], NULL), POLICY_ACT_PERMIT);
	tu_req(&r, POLICY_OP_OPEN, "/tmp/cc/../../etc/shadow.s");
	assert_int_equal(tu_decide(pl, &r, NULL), POLICY_ACT_DENY);
	tu_req(&r, POLICY_OP_OPEN, "/home/u/.ssh/id_rsa");
	assert_int_equal(tu_decide(pl, &r, NULL), POLICY_ACT_DENY);
	tu_req(&r, POLICY_OP_CONNECT, NULL);
	policy_request_set_str(&r, POLICY_F_SOCKADDR, "inet-127.0.0.1:8081");
	assert_int_equal(tu_decide(pl, &r, NULL), POLICY_ACT_DENY);
	tu_req(&r, POLICY_OP_UNLINK, "/tmp/notes.txt");
	assert_int_equal(tu_decide(pl, &r, NULL), POLICY_ACT_DENY);
	{
		/* removing: what the run created, not what it appended to,
		 * nor a neighbour */
		static const struct { const char *path; unsigned act; } u[] = {
			{ "/w/f0.o", POLICY_ACT_PERMIT },
			{ "/w/t.d", POLICY_ACT_PERMIT },
			{ "/w/log", POLICY_ACT_DENY },
			{ "/w/f1.o", POLICY_ACT_DENY },
		};

		for (i = 0; i < sizeof(u) / sizeof(u[0]); i++) {
			tu_req(&r, POLICY_OP_UNLINK, u[i].path);
			if ((unsigned)tu_decide(pl, &r, NULL) != u[i].act)
				fail_msg("unlink %s: not %u", u[i].path,
				    u[i].act);
		}
	}
	policy_loaded_free(pl);
	free(yaml);
	policy_learn_free(l);
}

/* Temporary names made by mkstemp, Python's tempfile and mktemp(1), and
 * trees the run made, generalise from one example to every later run. */
static void
test_learn_made_names(void **state)
{
	static const struct { const char *made, *rule, *next; } tmp[] = {
		{ "/tmp/ccsAb1x9.cdtor.c", "^/tmp/cc[^/]*\\\\.cdtor\\\\.c$",
		    "/tmp/ccQz8kWp.cdtor.c" },
		/* letters of one case only: six bytes that look made up are
		 * never found across the extension's dot */
		{ "/tmp/ccQWERTY.s", "^/tmp/cc[^/]*\\\\.s$", "/tmp/ccAb1x9Z.s" },
		{ "/tmp/ccqwerty.o", "^/tmp/[^/]*\\\\.o$", "/tmp/ccAb1x9Z.o" },
		{ "/tmp/qv70br9o", "^/tmp/[^/]*$", "/tmp/ab_4k2zz" },
		{ "/tmp/tmpk3j_a9zq", "^/tmp/tmp[^/]*$", "/tmp/tmp_0aa9z1m" },
		{ "/tmp/job-abcd12ef", "^/tmp/job-[^/]*$", "/tmp/job-zzzz0000" },
	};
	struct policy_learn *l = policy_learn_new(NULL);
	struct policy_request r;
	struct policy_loaded *pl;
	struct policy_diag d;
	char *yaml, want[256];
	size_t len, i;

	(void)state;
	assert_non_null(l);
	for (i = 0; i < sizeof(tmp) / sizeof(tmp[0]); i++)
		learn_open(l, tmp[i].made, POLICY_O_RDWR | POLICY_O_CREAT |
		    POLICY_O_EXCL);
	tu_req(&r, POLICY_OP_MKDIR, "/tmp/tmp.AbCdEfGhIj");	/* mktemp -d */
	policy_learn_add(l, &r);
	tu_req(&r, POLICY_OP_MKDIR, "/tmp/plx-run.hSyvyE");
	policy_learn_add(l, &r);
	learn_open(l, "/tmp/plx-run.hSyvyE/out", POLICY_O_WRONLY | POLICY_O_CREAT);
	/* git init: .git is the run's; objects and locks in it are named at run time */
	tu_req(&r, POLICY_OP_MKDIR, "/w/repo/.git");
	policy_learn_add(l, &r);
	tu_req(&r, POLICY_OP_MKDIR, "/w/repo/.git/objects/ab");
	policy_learn_add(l, &r);
	learn_open(l, "/w/repo/.git/objects/ab/cdef01", POLICY_O_WRONLY |
	    POLICY_O_CREAT | POLICY_O_EXCL);
	tu_req(&r, POLICY_OP_RENAME, "/w/repo/.git/HEAD.lock");
	policy_request_set_str(&r, POLICY_F_FILENAME2, "/w/repo/.git/HEAD");
	policy_learn_add(l, &r);
	tu_req(&r, POLICY_OP_RENAME, "/w/a.tmp");	/* an editor's save */
	policy_request_set_str(&r, POLICY_F_FILENAME2, "/w/a");
	policy_learn_add(l, &r);
	learn_open(l, "/w/a.tmp", POLICY_O_WRONLY | POLICY_O_CREAT);
	/* a helper program and a socket in the run's own directory, and a
	 * server on a port the kernel handed out, next to a fixed one */
	tu_req(&r, POLICY_OP_EXECVE, "/tmp/plx-run.hSyvyE/child");
	policy_learn_add(l, &r);
	tu_req(&r, POLICY_OP_BIND, NULL);
	policy_request_set_str(&r, POLICY_F_SOCKADDR, "unix-/tmp/plx-run.hSyvyE/s");
	policy_learn_add(l, &r);
	tu_req(&r, POLICY_OP_CONNECT, NULL);
	policy_request_set_str(&r, POLICY_F_SOCKADDR, "inet-127.0.0.1:41234");
	policy_learn_add(l, &r);
	policy_request_set_str(&r, POLICY_F_SOCKADDR, "inet6-[::1]:8080");
	policy_learn_add(l, &r);
	assert_non_null(yaml = policy_learn_yaml(l, "t", "t", &len));
#define HAS(s) do { if (strstr(yaml, (s)) == NULL) fail_msg("no %s in\n%s", (s), yaml); } while (0)
	for (i = 0; i < sizeof(tmp) / sizeof(tmp[0]); i++) {
		snprintf(want, sizeof(want), "  - 'open: filename re \"%s\" then "
		    "permit'\n", tmp[i].rule);
		HAS(want);
	}
	HAS("  - 'mkdir: filename re \"^/tmp/tmp\\\\.[^/]*$\" then permit'\n");
	HAS("  - 'mkdir: filename re \"^/tmp/plx-run\\\\.[^/]*$\" then permit'\n");
	HAS("  - 'open: filename re \"^/tmp/plx-run\\\\.[^/]*/\" then permit'\n");
	HAS("  - 'mkdir: filename eq \"/w/repo/.git\" then permit'\n");
	HAS("  - 'mkdir: filename inpath \"/w/repo/.git\" then permit'\n");
	HAS("  - 'open: filename inpath \"/w/repo/.git\" then permit'\n");
	HAS("  - 'rename: filename inpath \"/w/repo/.git\" and filename2 inpath "
	    "\"/w/repo/.git\" then permit widen'\n");
	HAS("  - 'rename: filename eq \"/w/a.tmp\" and filename2 eq \"/w/a\" "
	    "then permit widen'\n");
#undef HAS
	assert_non_null(pl = tu_compile(yaml, &d));
	for (i = 0; i < sizeof(tmp) / sizeof(tmp[0]); i++) {
		tu_req(&r, POLICY_OP_OPEN, tmp[i].next);
		policy_request_set_int(&r, POLICY_F_FLAGS, POLICY_O_RDWR |
		    POLICY_O_CREAT | POLICY_O_EXCL);
		if (tu_decide(pl, &r, NULL) != POLICY_ACT_PERMIT)
			fail_msg("%s not permitted after %s", tmp[i].next,
			    tmp[i].made);
	}
	tu_req(&r, POLICY_OP_OPEN, "/w/repo/.git/objects/9f/0123ab");
	assert_int_equal(tu_decide(pl, &r, NULL), POLICY_ACT_PERMIT);
	tu_req(&r, POLICY_OP_RENAME, "/w/repo/.git/index.lock");
	policy_request_set_str(&r, POLICY_F_FILENAME2, "/w/repo/.git/index");
	assert_int_equal(tu_decide(pl, &r, NULL), POLICY_ACT_PERMIT);
	/* and no more: the repository's files, other tmp names, out of .git */
	tu_req(&r, POLICY_OP_OPEN, "/w/repo/a");
	assert_int_equal(tu_decide(pl, &r, NULL), POLICY_ACT_DENY);
	tu_req(&r, POLICY_OP_OPEN, "/tmp/plx-run.Zz9Yy8/sub/made"); /* its tree */
	assert_int_equal(tu_decide(pl, &r, NULL), POLICY_ACT_PERMIT);
	tu_req(&r, POLICY_OP_OPEN, "/tmp/other.hSyvyE/out");
	assert_int_equal(tu_decide(pl, &r, NULL), POLICY_ACT_DENY);
	tu_req(&r, POLICY_OP_MKDIR, "/tmp/other.AbCdEf");
	assert_int_equal(tu_decide(pl, &r, NULL), POLICY_ACT_DENY);
	tu_req(&r, POLICY_OP_RENAME, "/w/repo/.git/HEAD");
	policy_request_set_str(&r, POLICY_F_FILENAME2, "/w/b");
	assert_int_equal(tu_decide(pl, &r, NULL), POLICY_ACT_DENY);
	tu_req(&r, POLICY_OP_EXECVE, "/tmp/plx-run.Q1w2E3/child");
	assert_int_equal(tu_decide(pl, &r, NULL), POLICY_ACT_PERMIT);
	tu_req(&r, POLICY_OP_EXECVE, "/tmp/evil");
	assert_int_equal(tu_decide(pl, &r, NULL), POLICY_ACT_DENY);
	tu_req(&r, POLICY_OP_BIND, NULL);
	policy_request_set_str(&r, POLICY_F_SOCKADDR, "unix-/tmp/plx-run.Q1w2E3/s");
	assert_int_equal(tu_decide(pl, &r, NULL), POLICY_ACT_PERMIT);
	policy_request_set_str(&r, POLICY_F_SOCKADDR, "unix-/run/s");
	assert_int_equal(tu_decide(pl, &r, NULL), POLICY_ACT_DENY);
	tu_req(&r, POLICY_OP_CONNECT, NULL);
	{
		static const struct { const char *sa; unsigned act; } c[] = {
			{ "inet-127.0.0.1:32768", POLICY_ACT_PERMIT },
			{ "inet-127.0.0.1:65535", POLICY_ACT_PERMIT },
			{ "inet-127.0.0.1:50000", POLICY_ACT_PERMIT },
			{ "inet-127.0.0.1:32767", POLICY_ACT_DENY },
			{ "inet-127.0.0.1:65536", POLICY_ACT_DENY },
			{ "inet-127.0.0.1:443", POLICY_ACT_DENY },
			{ "inet-127.0.0.2:41234", POLICY_ACT_DENY },
			{ "inet6-[::1]:8080", POLICY_ACT_PERMIT },
			{ "inet6-[::1]:8081", POLICY_ACT_DENY },
		};

		for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
			policy_request_set_str(&r, POLICY_F_SOCKADDR, c[i].sa);
			if ((unsigned)tu_decide(pl, &r, NULL) != c[i].act)
				fail_msg("connect %s: not %u", c[i].sa, c[i].act);
		}
	}
	policy_loaded_free(pl);
	free(yaml);
	policy_learn_free(l);
}

/* A temporary file made beside the file it replaces (ar's, sed -i's) is
 * learned as its directory, stem and six made-up bytes: the next run's name
 * matches, the tree's own files do not. */
static void
test_learn_made_beside(void **state)
{
	static const struct { const char *path; unsigned act; } d[] = {
		{ "/w/b/stQz8kWp", POLICY_ACT_PERMIT },	/* the next run's */
		{ "/w/b/sedR2d2C3.bak", POLICY_ACT_DENY },
		{ "/w/b/stuff.c", POLICY_ACT_DENY },
		{ "/w/b/stQz8kW", POLICY_ACT_DENY },	/* five bytes */
		{ "/w/b/stQz8kWpp", POLICY_ACT_DENY },	/* seven */
		{ "/w/b/st/Qz8kWp", POLICY_ACT_DENY },
		{ "/w/c/stQz8kWp", POLICY_ACT_DENY },	/* another directory */
		{ "/w/b/sedR2d2C3", POLICY_ACT_PERMIT },
		{ "/w/b/xAb12Cd", POLICY_ACT_PERMIT },	/* itself, exactly */
		{ "/w/b/xZz99Zz", POLICY_ACT_DENY },	/* not made exclusively */
	};
	struct policy_learn *l = policy_learn_new(NULL);
	struct policy_request r;
	struct policy_loaded *pl;
	struct policy_diag diag;
	unsigned ops[] = { POLICY_OP_OPEN, POLICY_OP_UNLINK };
	char *yaml;
	size_t len, i, k;

	(void)state;
	assert_non_null(l);
	learn_open(l, "/w/b/stAb12Cd", POLICY_O_RDWR | POLICY_O_CREAT |
	    POLICY_O_EXCL);				/* ar's mkstemp */
	learn_open(l, "/w/b/stAb12Cd", 0);
	tu_req(&r, POLICY_OP_UNLINK, "/w/b/stAb12Cd");
	policy_learn_add(l, &r);
	learn_open(l, "/w/b/sedX9y8Z7", POLICY_O_RDWR | POLICY_O_CREAT |
	    POLICY_O_EXCL);				/* sed -i's */
	tu_req(&r, POLICY_OP_RENAME, "/w/b/sedX9y8Z7");
	policy_request_set_str(&r, POLICY_F_FILENAME2, "/w/b/s.txt");
	policy_learn_add(l, &r);
	learn_open(l, "/w/b/xAb12Cd", POLICY_O_WRONLY | POLICY_O_CREAT);
	assert_non_null(yaml = policy_learn_yaml(l, "t", "t", &len));
#define HAS(s) do { if (strstr(yaml, (s)) == NULL) fail_msg("no %s in\n%s", (s), yaml); } while (0)
	HAS("  - 'open: filename re \"^/w/b/st[A-Za-z0-9]{6}$\" then permit'\n");
	HAS("  - 'fsread: filename re \"^/w/b/st[A-Za-z0-9]{6}$\" then permit'\n");
	HAS("  - 'unlink: filename re \"^/w/b/st[A-Za-z0-9]{6}$\" then permit'\n");
	HAS("  - 'rename: filename re \"^/w/b/sed[A-Za-z0-9]{6}$\" and "
	    "filename2 eq \"/w/b/s.txt\" then permit widen'\n");
	HAS("  - 'open: filename eq \"/w/b/xAb12Cd\" then permit'\n");
#undef HAS
	assert_non_null(pl = tu_compile(yaml, &diag));
	for (k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
		for (i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
			/* sed's: created, so its removal is implied */
			tu_req(&r, ops[k], d[i].path);
			policy_request_set_int(&r, POLICY_F_FLAGS, POLICY_O_RDWR |
			    POLICY_O_CREAT | POLICY_O_EXCL);
			if ((unsigned)tu_decide(pl, &r, NULL) != d[i].act)
				fail_msg("op %u %s: not %u", ops[k], d[i].path,
				    d[i].act);
		}
	tu_req(&r, POLICY_OP_RENAME, "/w/b/sedQ1w2E3");
	policy_request_set_str(&r, POLICY_F_FILENAME2, "/w/b/s.txt");
	assert_int_equal(tu_decide(pl, &r, NULL), POLICY_ACT_PERMIT);
	policy_loaded_free(pl);
	free(yaml);
	policy_learn_free(l);
}

/* mkstemp's six bytes drawn all of one case with no digit ("sedqwerty",
 * about one run in a hundred) look like a word; a file the run made
 * exclusively and renamed away or unlinked was its temporary all the
 * same, and is learned as one.  One the run keeps is learned exactly. */
static void
test_learn_made_one_case(void **state)
{
	struct policy_learn *l = policy_learn_new(NULL);
	struct policy_request r;
	char *yaml;
	size_t len;

	(void)state;
	assert_non_null(l);
	learn_open(l, "/w/b/sedqwerty", POLICY_O_RDWR | POLICY_O_CREAT |
	    POLICY_O_EXCL);
	tu_req(&r, POLICY_OP_RENAME, "/w/b/sedqwerty");
	policy_request_set_str(&r, POLICY_F_FILENAME2, "/w/b/s.txt");
	policy_learn_add(l, &r);
	learn_open(l, "/w/b/stQWERTY", POLICY_O_RDWR | POLICY_O_CREAT |
	    POLICY_O_EXCL);
	tu_req(&r, POLICY_OP_UNLINK, "/w/b/stQWERTY");
	policy_learn_add(l, &r);
	learn_open(l, "/w/b/keepfile", POLICY_O_RDWR | POLICY_O_CREAT |
	    POLICY_O_EXCL);
	assert_non_null(yaml = policy_learn_yaml(l, "t", "t", &len));
#define HAS(s) do { if (strstr(yaml, (s)) == NULL) fail_msg("no %s in\n%s", (s), yaml); } while (0)
	HAS("  - 'open: filename re \"^/w/b/sed[A-Za-z0-9]{6}$\" then permit'\n");
	HAS("  - 'open: filename re \"^/w/b/st[A-Za-z0-9]{6}$\" then permit'\n");
	HAS("  - 'open: filename eq \"/w/b/keepfile\" then permit'\n");
#undef HAS
	free(yaml);
	policy_learn_free(l);
}

/* A path or address longer than the request holds is learned whole (a rule
 * made from its head would never match it), or not at all when the text
 * would be too long for a rule. */
static void
test_learn_whole(void **state)
{
	struct policy_learn *l = policy_learn_new(NULL);
	const char *whole[POLICY_F_NLONG] = { NULL, NULL, NULL };
	struct policy_request r;
	char name[300], huge[5000], *yaml, want[400];
	size_t len;

	(void)state;
	assert_non_null(l);
	memset(name, 'a', sizeof(name) - 1);
	name[sizeof(name) - 1] = '\0';
	memcpy(name, "unix-/run/", 10);
	tu_req(&r, POLICY_OP_CONNECT, NULL);
	policy_request_set_str(&r, POLICY_F_SOCKADDR, name);	/* its head */
	whole[POLICY_F_SOCKADDR] = name;
	policy_learn_add_whole(l, &r, whole);
	memset(huge, 'b', sizeof(huge) - 1);
	huge[sizeof(huge) - 1] = '\0';
	huge[0] = '/';
	tu_req(&r, POLICY_OP_OPEN, "/x");
	whole[POLICY_F_SOCKADDR] = NULL;
	whole[POLICY_F_FILENAME] = huge;
	policy_learn_add_whole(l, &r, whole);
	assert_int_equal(policy_learn_calls(l), 2);
	assert_non_null(yaml = policy_learn_yaml(l, "t", "t", &len));
	snprintf(want, sizeof(want), "connect: sockaddr eq \"%s\" then permit",
	    name);
	if (strstr(yaml, want) == NULL)
		fail_msg("no %s in\n%s", want, yaml);
	assert_null(strstr(yaml, "bbbb"));	/* left out, not cut */
	assert_null(strstr(yaml, "\"/x\""));	/* the head is not the path */
	free(yaml);
	policy_learn_free(l);
}

static void
test_default_override(void **state)
{
	struct policy_loaded *pl = tu_compile("policy: 1\ndefault: deny\nrules:\n"
	    "  - open: filename eq \"/a\" then permit\n", NULL), *p2;
	struct policy_request r;
	struct policy_diag d;

	(void)state;
	assert_non_null(pl);
	assert_non_null(p2 = policy_loaded_with_default(pl, POLICY_ACT_ASK, &d));
	tu_req(&r, POLICY_OP_OPEN, "/b");
	assert_int_equal(tu_decide(pl, &r, NULL), POLICY_ACT_DENY);
	assert_int_equal(tu_decide(p2, &r, NULL), POLICY_ACT_ASK);
	tu_req(&r, POLICY_OP_OPEN, "/a");
	assert_int_equal(tu_decide(p2, &r, NULL), POLICY_ACT_PERMIT);
	assert_null(policy_loaded_with_default(pl, 99, &d));
	policy_loaded_free(p2);
	policy_loaded_free(pl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_insert_before),
		cmocka_unit_test(test_insert_refused),
		cmocka_unit_test(test_answer_rules),
		cmocka_unit_test(test_records),
		cmocka_unit_test(test_records_random),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_learn),
		cmocka_unit_test(test_learn_made_names),
		cmocka_unit_test(test_learn_made_beside),
		cmocka_unit_test(test_learn_made_one_case),
		cmocka_unit_test(test_learn_whole),
		cmocka_unit_test(test_default_override),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
