/* policy.h: the ABI shared by the kernel engine, libpolicy, policyctl and policyd.
 * Compiled-policy blob layout, requests, alarms and answers; fixed-width types, no pointers. */
#ifndef _SYS_POLICY_H_
#define _SYS_POLICY_H_

#if defined(_KERNEL) || defined(_STANDALONE)
#include <sys/types.h>
#else
#include <stdint.h>
#endif

/* ------------------------------------------------------------------ */
/* Operations, emulations, actions                                     */

enum policy_op {
	POLICY_OP_NONE = 0,
	POLICY_OP_OPEN,		/* open, openat, openat2, creat */
	POLICY_OP_ACCESS,	/* access, faccessat, faccessat2 */
	POLICY_OP_STAT,		/* stat, lstat, fstatat, statx */
	POLICY_OP_READLINK,	/* readlink, readlinkat */
	POLICY_OP_CHDIR,	/* chdir, chroot */
	POLICY_OP_UNLINK,	/* unlink, unlinkat */
	POLICY_OP_RENAME,	/* rename, renameat, renameat2 */
	POLICY_OP_MKDIR,	/* mkdir, mkdirat, mknod */
	POLICY_OP_RMDIR,	/* rmdir, unlinkat(AT_REMOVEDIR) */
	POLICY_OP_LINK,		/* link, linkat */
	POLICY_OP_SYMLINK,	/* symlink, symlinkat */
	POLICY_OP_CHMOD,	/* chmod, fchmodat, lchmod */
	POLICY_OP_CHOWN,	/* chown, fchownat, lchown */
	POLICY_OP_TRUNCATE,	/* truncate */
	POLICY_OP_UTIMES,	/* utimes, utimensat, lutimes */
	POLICY_OP_EXECVE,	/* execve, execveat, fexecve */
	POLICY_OP_CONNECT,
	POLICY_OP_BIND,
	POLICY_OP_SENDTO,
	POLICY_OP_SENDMSG,
	POLICY_OP_SOCKET,
	POLICY_OP_KILL,		/* kill, tkill, tgkill */
	POLICY_OP_PTRACE,
	POLICY_OP_MOUNT,
	POLICY_OP_UNMOUNT,
	POLICY_OP_SYSCALL,	/* any other system call, named by the syscall field */
	POLICY_OP_COUNT,	/* number of request operations */
	/* Aliases: appear in rules only, never in requests. */
	POLICY_OP_FSREAD = POLICY_OP_COUNT,
	POLICY_OP_FSWRITE,
	POLICY_OP_ALL_COUNT
};

enum policy_emul {
	POLICY_EMUL_NATIVE = 0,
	POLICY_EMUL_NETBSD32,
	POLICY_EMUL_LINUX,
	POLICY_EMUL_LINUX32,
	POLICY_EMUL_COUNT
};
#define POLICY_EMUL_ALL		((1u << POLICY_EMUL_COUNT) - 1)

enum policy_action {
	POLICY_ACT_NONE = 0,
	POLICY_ACT_PERMIT,
	POLICY_ACT_DENY,
	POLICY_ACT_ASK,
	POLICY_ACT_COUNT
};

/* Log levels (header) and rule flags. */
#define POLICY_LOG_NONE		0
#define POLICY_LOG_DENY		1
#define POLICY_LOG_ALL		2
#define POLICY_RULE_LOG		0x01
/*
 * Index hints the compiler sets, so that a decision need not read the
 * condition of a rule its index entry already proves: the rule's whole
 * condition is "<primary field> eq KEY" and it is listed under the exact
 * key KEY (KEYEQ), or "<primary field> inpath KEY" (KEY at least two
 * bytes, no trailing '/') and it is listed at the trie node spelling KEY
 * (KEYINPATH).  KEYHEAD: the whole condition is "<primary field> match"
 * or "re" with a head of at least one byte, and the rule is listed at the
 * trie node spelling the head, so that only the tail is left to test.
 * Like everything in a blob they state what the blob decides: set on a
 * rule listed elsewhere, they make it match there.
 */
#define POLICY_RULE_KEYEQ	0x02
#define POLICY_RULE_KEYINPATH	0x04
#define POLICY_RULE_KEYHEAD	0x08
/*
 * WIDEN: a rename or link this rule permits may move objects to where the
 * policy decides them differently (policy_move.c refuses such moves
 * otherwise).  Only on rename and link rules that permit or ask.
 */
#define POLICY_RULE_WIDEN	0x10

/* ------------------------------------------------------------------ */
/* Request fields                                                      */

enum policy_field {
	/* String fields. */
	POLICY_F_FILENAME = 0,	/* first path (resolved when the backend can) */
	POLICY_F_FILENAME2,	/* second path: rename/link target, symlink text */
	POLICY_F_SOCKADDR,	/* "inet-1.2.3.4:53", "inet6-[::1]:53", "unix-/path" */
	POLICY_F_ARGV,		/* execve argv joined with single spaces */
	POLICY_F_SYSCALL,	/* system call name, for POLICY_OP_SYSCALL */
	POLICY_F_NSTR,
	/* Integer fields. */
	POLICY_F_FLAGS = POLICY_F_NSTR,	/* POLICY_O_* bits */
	POLICY_F_MODE,
	POLICY_F_UID,
	POLICY_F_GID,
	POLICY_F_SIGNAL,
	POLICY_F_PID,
	POLICY_F_DOMAIN,	/* POLICY_AF_* */
	POLICY_F_TYPE,		/* POLICY_SOCK_* */
	POLICY_F_PROTOCOL,
	POLICY_F_REQUEST,	/* ptrace request, mount flags */
	POLICY_F_COUNT
};
#define POLICY_F_NINT		(POLICY_F_COUNT - POLICY_F_NSTR)
#define POLICY_FIELD_IS_STR(f)	((unsigned)(f) < POLICY_F_NSTR)

/* Portable open flags (the backends translate native flags to these). */
#define POLICY_O_RDONLY		0x0000
#define POLICY_O_WRONLY		0x0001
#define POLICY_O_RDWR		0x0002
#define POLICY_O_ACCMODE	0x0003
#define POLICY_O_CREAT		0x0010
#define POLICY_O_EXCL		0x0020
#define POLICY_O_TRUNC		0x0040
#define POLICY_O_APPEND		0x0080
#define POLICY_O_NONBLOCK	0x0100
#define POLICY_O_DIRECTORY	0x0200
#define POLICY_O_NOFOLLOW	0x0400
#define POLICY_O_CLOEXEC	0x0800
#define POLICY_O_PATH		0x1000
#define POLICY_O_TMPFILE	0x2000
#define POLICY_O_SYNC		0x4000
#define POLICY_O_NOCTTY		0x8000

/* Portable socket domains and types. */
#define POLICY_AF_UNSPEC	0
#define POLICY_AF_UNIX		1
#define POLICY_AF_INET		2
#define POLICY_AF_INET6		10
#define POLICY_AF_NETLINK	16
#define POLICY_AF_PACKET	17
#define POLICY_SOCK_STREAM	1
#define POLICY_SOCK_DGRAM	2
#define POLICY_SOCK_RAW		3
#define POLICY_SOCK_SEQPACKET	5

/* Sizes of request buffers (including the terminating NUL). */
#define POLICY_PATH_MAX		1024
#define POLICY_SOCKADDR_MAX	128
#define POLICY_ARGV_MAX		4096
#define POLICY_SYSCALL_MAX	32

/*
 * A request: one system call's decision-relevant arguments, already copied
 * out of the confined process.  Strings are NUL-terminated; pr_len[] gives
 * their lengths without the NUL, and pr_present has bit (1 << field) set for
 * each field the call supplies.  A rule testing an absent field never matches.
 * In userland only, a path or sockaddr field's pr_len may be its buffer's
 * size or more: the text is longer than its buffer, which holds its head;
 * the engine decides such a request only given the whole (policy_eval_long).
 */
struct policy_request {
	uint16_t	pr_op;		/* enum policy_op, < POLICY_OP_COUNT */
	uint8_t		pr_emul;	/* enum policy_emul */
	uint8_t		pr_pad0;
	uint32_t	pr_present;	/* bit (1 << field) per supplied field */
	int64_t		pr_int[POLICY_F_NINT];	/* indexed by field - POLICY_F_NSTR */
	uint32_t	pr_len[POLICY_F_NSTR];
	char		pr_filename[POLICY_PATH_MAX];
	char		pr_filename2[POLICY_PATH_MAX];
	char		pr_sockaddr[POLICY_SOCKADDR_MAX];
	char		pr_argv[POLICY_ARGV_MAX];
	char		pr_syscall[POLICY_SYSCALL_MAX];
};

/* ------------------------------------------------------------------ */
/* Compiled policy blob                                                */

#define POLICY_MAGIC		0x504f4c59u	/* "POLY" */
#define POLICY_VERSION		4
#define POLICY_BLOB_MAX		(64u * 1024 * 1024)
#define POLICY_RULES_MAX	(1u << 20)
#define POLICY_NONE		0xffffffffu	/* "no index" */
#define POLICY_STACK_MAX	32	/* condition evaluation stack depth */
#define POLICY_CODE_MAX		256	/* instructions in one condition */
#define POLICY_RX_MAX		256	/* instructions in one regex program */

/* A string in the string table: bytes [off, off+len) plus a NUL at off+len. */
struct policy_ref {
	uint32_t	off;
	uint32_t	len;
};

/* A run of rule numbers in the LISTS section: [off, off+count), ascending.
 * A list of exactly one rule holds that rule's number in off instead. */
struct policy_list {
	uint32_t	off;
	uint32_t	count;
};

/* A section: byte range of the blob, aligned to 8. */
struct policy_section {
	uint32_t	off;
	uint32_t	size;
};

enum policy_sect {
	POLICY_S_STRTAB = 0,	/* char[] */
	POLICY_S_RULES,		/* struct policy_rule[] */
	POLICY_S_CODE,		/* struct policy_insn[] */
	POLICY_S_OPINDEX,	/* struct policy_opindex[POLICY_OP_COUNT] */
	POLICY_S_BUCKETS,	/* uint32_t[nbuckets + 1] into HASHENT */
	POLICY_S_HASHENT,	/* struct policy_hashent[] */
	POLICY_S_NODES,		/* struct policy_node[] (radix trie) */
	POLICY_S_LISTS,		/* uint32_t[] rule numbers */
	POLICY_S_RXPROG,	/* struct policy_rxprog[] */
	POLICY_S_RXINSN,	/* struct policy_rxinsn[] */
	POLICY_S_CLASSES,	/* uint8_t[32] character-class bitmaps */
	POLICY_S_NODEBYTES,	/* uint8_t[nnodes]: first label byte per node */
	POLICY_S_BLOOM,		/* uint64_t[2^k]: Bloom filter of exact keys */
	POLICY_S_COUNT
};

struct policy_blob_header {
	uint32_t	ph_magic;	/* POLICY_MAGIC */
	uint16_t	ph_version;	/* POLICY_VERSION */
	uint16_t	ph_header_size;	/* sizeof(struct policy_blob_header) */
	uint32_t	ph_total_size;	/* whole blob, header included */
	uint32_t	ph_checksum;	/* CRC-32 of the blob with this field 0 */
	uint8_t		ph_default_action;
	uint8_t		ph_log;		/* POLICY_LOG_* */
	uint16_t	ph_default_errno; /* portable errno number (policy_errno) */
	uint32_t	ph_nrules;
	struct policy_ref ph_name;
	struct policy_ref ph_program;
	struct policy_ref ph_source;	/* file the policy was compiled from */
	struct policy_section ph_sect[POLICY_S_COUNT];
};

enum policy_insn_kind {
	POLICY_I_STR = 1,	/* string test: field cmp pi_str */
	POLICY_I_INT,		/* integer test: (field & pi_mask) == pi_value */
	POLICY_I_AND,		/* pop two, push conjunction */
	POLICY_I_OR,
	POLICY_I_NOT
};

enum policy_cmp {
	POLICY_C_EQ = 1,
	POLICY_C_NEQ,
	POLICY_C_MATCH,		/* glob: * ? [...]; head and tail, see below */
	POLICY_C_NMATCH,
	POLICY_C_RE,		/* regular expression; head and tail, see below */
	POLICY_C_NRE,
	POLICY_C_SUB,		/* substring; for integers: bits present */
	POLICY_C_NSUB,
	POLICY_C_INPATH,	/* path is the directory or below it */
	POLICY_C_COUNT
};

/*
 * Condition instruction; a condition is postfix code.  A pattern test
 * (match, re and their negations) is split into a head, the literal bytes
 * every matching value starts with (pi_str, maybe empty), and a tail for
 * the rest: the glob pi_tail, or the regex program pi_value, which runs
 * anchored at the end of the head when the head is not empty.  A head is
 * what a rule is indexed by; tails are shared, so that many rules of one
 * shape ("/dir/N/" then "*.txt") test one tail once the index has proved
 * their heads.
 * Every other string test has an empty pi_tail and a pi_value of 0.
 */
struct policy_insn {
	uint8_t		pi_kind;	/* enum policy_insn_kind */
	uint8_t		pi_field;	/* enum policy_field */
	uint8_t		pi_cmp;		/* enum policy_cmp */
	uint8_t		pi_pad;
	uint32_t	pi_pad2;
	union {
		int64_t	pi_mask;	/* POLICY_I_INT */
		struct policy_ref pi_tail; /* match, nmatch: the glob's tail */
	};
	int64_t		pi_value;	/* POLICY_I_INT value; re: program */
	struct policy_ref pi_str;	/* POLICY_I_STR operand, or head */
};

/* A rule: one 64-byte cache line with its header and the first instruction
 * of its condition (most conditions are a single test), so that testing a
 * rule usually reads one line.  Instructions 1 .. pr_ncode-1 are in CODE. */
struct policy_rule {
	uint32_t	pr_code;	/* instruction 1 in CODE; 0 if pr_ncode < 2 */
	uint16_t	pr_ncode;	/* 0: no condition, always true */
	uint8_t		pr_op;		/* enum policy_op, aliases included */
	uint8_t		pr_emul;	/* mask of (1 << enum policy_emul) */
	uint8_t		pr_action;	/* enum policy_action */
	uint8_t		pr_flags;	/* POLICY_RULE_* */
	uint16_t	pr_errno;	/* portable errno number, for deny */
	uint32_t	pr_line;	/* source position, for logs */
	uint32_t	pr_col;
	struct policy_ref pr_text;	/* the rule as written */
	uint32_t	pr_pad;		/* 0 */
	struct policy_insn pr_test;	/* instruction 0; all 0 if pr_ncode == 0 */
};

/* Per-operation index: radix-trie root for prefix keys and the list of
 * rules that no key indexes; exact keys live in the shared hash table. */
struct policy_opindex {
	uint32_t	po_root;	/* node number or POLICY_NONE */
	uint32_t	po_pad;
	struct policy_list po_generic;
};

/* An exact key's entry: one cache line, which holds the key's head, so
 * that most keys are compared without reading the string table. */
#define POLICY_HASH_INLINE	40
struct policy_hashent {
	uint16_t	ph_op;
	uint16_t	ph_pad;
	uint32_t	ph_pad2;
	struct policy_ref ph_key;
	struct policy_list ph_rules;
	char		ph_head[POLICY_HASH_INLINE]; /* the key's head, 0-padded */
};

/*
 * Radix-trie node, one 64-byte cache line.  Children are contiguous, after
 * their parent, sorted by the first byte of their (non-empty) labels; the
 * first 8 label bytes are kept inline so that a walk rarely touches the
 * string table, and so are the children's first bytes (up to 12
 * children; else zero, and the node byte table holds them), so that a
 * step reads this line and the child's only.  The first rule of each of
 * the first 8 children is there too, as pn_hintbase + pn_hint[k] (or
 * POLICY_NODE_NOHINT), so that a step fetches the child's rule together
 * with the child; policy_node_hints() says what they must be.
 */
#define POLICY_NODE_INLINE	8
#define POLICY_NODE_KIDS	12
#define POLICY_NODE_HINTS	8
#define POLICY_NODE_NOHINT	0xffff
#define POLICY_BLOOM_K		3	/* bits set per exact key */
struct policy_node {
	struct policy_ref pn_label;	/* the whole label */
	uint8_t		pn_inline[POLICY_NODE_INLINE]; /* its head, 0-padded */
	uint32_t	pn_child;	/* first child */
	uint32_t	pn_nchild;
	struct policy_list pn_rules;	/* rules whose key prefix ends here */
	uint8_t		pn_kids[POLICY_NODE_KIDS]; /* children's first bytes */
	uint32_t	pn_hintbase;	/* the least hinted rule, or 0 */
	uint16_t	pn_hint[POLICY_NODE_HINTS]; /* child's rule - hintbase */
};

struct policy_rxprog {
	uint32_t	rp_insn;	/* first instruction in RXINSN */
	uint32_t	rp_ninsn;
};

enum policy_rxop {
	POLICY_RX_CHAR = 1,	/* byte == rx_arg */
	POLICY_RX_ANY,		/* any byte */
	POLICY_RX_CLASS,	/* byte in class rx_arg */
	POLICY_RX_SPLIT,	/* continue at rx_x and rx_y */
	POLICY_RX_JMP,		/* continue at rx_x */
	POLICY_RX_BOL,		/* at start of subject */
	POLICY_RX_EOL,		/* at end of subject */
	POLICY_RX_MATCH
};

struct policy_rxinsn {
	uint8_t		rx_op;
	uint8_t		rx_pad[3];
	uint32_t	rx_arg;
	uint16_t	rx_x;		/* relative to the program start */
	uint16_t	rx_y;
};

/* ------------------------------------------------------------------ */
/* Alarms and answers (policyd <-> kernel or supervisor)               */

#define POLICY_NAME_MAX		256

struct policy_alarm {
	uint64_t	pa_id;
	int32_t		pa_pid;
	uint32_t	pa_uid;
	uint32_t	pa_rule;	/* rule number, or POLICY_NONE */
	uint32_t	pa_line;	/* rule's source line, 0 if none */
	char		pa_program[POLICY_NAME_MAX];
	char		pa_policy[POLICY_NAME_MAX];	/* policy file */
	struct policy_request pa_req;
};

#define POLICY_ANSWER_ONCE	0
#define POLICY_ANSWER_ALWAYS	1

struct policy_answer {
	uint64_t	pa_id;
	uint8_t		pa_action;	/* POLICY_ACT_PERMIT or POLICY_ACT_DENY */
	uint8_t		pa_scope;	/* POLICY_ANSWER_* */
	uint16_t	pa_errno;	/* portable errno number for deny */
	uint32_t	pa_pad;
};

/* /dev/policy: load a blob for the calling credential. */
struct policy_load {
	uint64_t	pl_addr;	/* user address of the blob */
	uint64_t	pl_size;
};

#define POLICY_IOC_LOAD		_IOW('P', 1, struct policy_load)
#define POLICY_IOC_ANSWER	_IOW('P', 2, struct policy_answer)
#define POLICY_IOC_UNLOAD	_IO('P', 3)

/* ------------------------------------------------------------------ */
/* policyd's unix-socket protocol (SOCK_SEQPACKET)                     */

/*
 * Every message is one record: a struct policy_msg_hdr, then exactly the
 * body its type defines; pm_len is the header plus that body, so a record
 * of any other length is malformed.  Strings are NUL-terminated inside
 * their arrays, padding is zero, enumerations are in range: a receiver
 * checks all of it (policy_msg_check) and drops a peer that sends anything
 * else.  Each datagram holds one record; nothing spans datagrams.
 */
#define POLICY_MSG_MAGIC	0x50444d53u	/* "PDMS" */
#define POLICY_MSG_VERSION	1
#define POLICY_MSG_MAX		16384	/* no record is larger */
#define POLICY_RULETEXT_MAX	512	/* rule text carried in an alarm */
#define POLICY_ARGTEXT_MAX	1024

enum policy_msg_type {
	POLICY_MSG_ALARM = 1,	/* supervisor -> policyd: policy_msg_alarm */
	POLICY_MSG_VERDICT,	/* policyd -> supervisor: policy_msg_verdict */
	POLICY_MSG_NEXT,	/* prompt -> policyd: policy_msg_next */
	POLICY_MSG_PENDING,	/* policyd -> prompt: policy_msg_pending */
	POLICY_MSG_ANSWER,	/* prompt -> policyd: struct policy_answer */
	POLICY_MSG_RESULT,	/* policyd -> client: policy_msg_result */
	POLICY_MSG_DECISION,	/* supervisor -> policyd: policy_msg_decision */
	POLICY_MSG_STATS_REQ,	/* client -> policyd: no body */
	POLICY_MSG_STATS,	/* policyd -> client: policy_msg_stats */
	POLICY_MSG_TALLY,	/* supervisor -> policyd: policy_msg_tally */
	POLICY_MSG_COUNT
};

struct policy_msg_hdr {
	uint32_t	pm_magic;	/* POLICY_MSG_MAGIC */
	uint16_t	pm_version;	/* POLICY_MSG_VERSION */
	uint16_t	pm_type;	/* enum policy_msg_type */
	uint32_t	pm_len;		/* header + body */
	uint32_t	pm_pad;
};

/* An alarm as a supervisor raises it.  ma_alarm.pa_policy names the
 * policy for display; ma_path is the YAML file "always" answers go to. */
struct policy_msg_alarm {
	struct policy_alarm ma_alarm;
	uint32_t	ma_timeout_ms;	/* the supervisor denies after this */
	uint32_t	ma_flags;	/* POLICY_ALARM_* */
	uint16_t	ma_errno;	/* portable errno a denial fails with */
	uint16_t	ma_pad[3];
	char		ma_rule[POLICY_RULETEXT_MAX];	/* "" for the default */
	char		ma_path[POLICY_PATH_MAX];	/* absolute, or "" */
};
#define POLICY_ALARM_PERSIST	0x01	/* ma_path may take "always" rules */
#define POLICY_ALARM_FLAGS	0x01

/* Why a verdict was given. */
enum policy_verdict_reason {
	POLICY_VERDICT_ANSWERED = 1,	/* a user answered */
	POLICY_VERDICT_TIMEOUT,		/* nobody answered in time: deny */
	POLICY_VERDICT_FULL,		/* queue limit reached: deny */
	POLICY_VERDICT_REFUSED,		/* the peer may not raise it: deny */
	POLICY_VERDICT_SHUTDOWN,	/* policyd is stopping: deny */
	POLICY_VERDICT_COUNT
};

struct policy_msg_verdict {
	uint64_t	mv_id;		/* the alarm's pa_id */
	uint64_t	mv_alarm;	/* policyd's number for it */
	uint8_t		mv_action;	/* POLICY_ACT_PERMIT or POLICY_ACT_DENY */
	uint8_t		mv_scope;	/* POLICY_ANSWER_* */
	uint16_t	mv_errno;	/* portable errno for deny, 0: default */
	uint8_t		mv_reason;	/* enum policy_verdict_reason */
	uint8_t		mv_persisted;	/* 1: rule written to ma_path */
	uint16_t	mv_pad;
};

/* Ask for the first pending alarm numbered above mn_after. */
struct policy_msg_next {
	uint64_t	mn_after;
	uint32_t	mn_wait_ms;	/* 0: reply at once; else wait for one */
	uint32_t	mn_pad;
};

struct policy_msg_pending {
	uint64_t	mp_id;		/* what `policyctl answer` takes */
	uint32_t	mp_count;	/* identical alarms coalesced in it */
	uint32_t	mp_remaining_ms; /* until the timeout denies it */
	uint32_t	mp_npending;	/* alarms the client may answer */
	uint32_t	mp_uid;		/* owner of the confined process */
	struct policy_msg_alarm mp_alarm;
};

enum policy_result {
	POLICY_RES_OK = 0,
	POLICY_RES_NOTFOUND,	/* no such pending alarm (or none pending) */
	POLICY_RES_DENIED,	/* not the peer's to see or answer */
	POLICY_RES_INVALID,	/* malformed request */
	POLICY_RES_PERSIST,	/* answered, but the rule could not be written */
	POLICY_RES_COUNT
};

struct policy_msg_result {
	uint32_t	mr_status;	/* enum policy_result */
	uint32_t	mr_pad;
	char		mr_text[256];
};

/* One decision a supervisor logged, for policyd's decision log. */
enum policy_decided {
	POLICY_DECIDED_PERMIT = 0,
	POLICY_DECIDED_DENY,
	POLICY_DECIDED_WOULD_DENY,	/* dry run: logged and permitted */
	POLICY_DECIDED_COUNT
};
#define POLICY_DECISION_LOGGED	0x01	/* goes to the decision log */
#define POLICY_DECISION_ASKED	0x02	/* an alarm decided it */
#define POLICY_DECISION_DEFAULT	0x04	/* no rule matched */
#define POLICY_DECISION_FLAGS	0x07

struct policy_msg_decision {
	uint64_t	md_time_ns;	/* CLOCK_REALTIME */
	uint64_t	md_latency_ns;	/* evaluation (and alarm) time */
	int32_t		md_pid;
	uint32_t	md_line;	/* the deciding rule's line, 0: default */
	uint8_t		md_action;	/* enum policy_decided */
	uint8_t		md_flags;	/* POLICY_DECISION_* */
	uint16_t	md_pad;
	uint32_t	md_pad2;
	char		md_program[POLICY_NAME_MAX];	/* "" unless logged */
	char		md_policy[POLICY_NAME_MAX];
	struct policy_request md_req;
};

/* Latency histogram: bucket i counts latencies <= bound i (ns); the last
 * bucket is everything above (Prometheus +Inf). */
#define POLICY_LAT_BUCKETS	13
#define POLICY_LAT_BOUNDS_NS	{ 1000, 5000, 10000, 50000, 100000, \
	500000, 1000000, 10000000, 100000000, 1000000000, 10000000000, \
	60000000000 }

/* Decisions a supervisor made since its last tally, for the counters
 * (sent about once a second, and when the run ends). */
#define POLICY_TALLY_MAX	(1ull << 40)	/* no count is larger */
struct policy_msg_tally {
	uint64_t	mt_decisions[POLICY_OP_COUNT][POLICY_DECIDED_COUNT];
	uint64_t	mt_latency[POLICY_LAT_BUCKETS];
	uint64_t	mt_latency_sum_ns;
	/* calls the kernel filter decided (never in mt_decisions), and
	 * runs that ended unable to count them (no perf, no tracefs) */
	uint64_t	mt_filter_decided;
	uint64_t	mt_filter_uncounted;
};

struct policy_msg_stats {
	uint64_t	ms_uptime_ms;
	uint64_t	ms_decisions[POLICY_OP_COUNT][POLICY_DECIDED_COUNT];
	uint64_t	ms_latency[POLICY_LAT_BUCKETS];
	uint64_t	ms_latency_sum_ns;
	uint64_t	ms_alarms_raised;
	uint64_t	ms_alarms_pending;	/* distinct, now */
	uint64_t	ms_alarms_waiting;	/* blocked calls, now */
	uint64_t	ms_alarms_answered;
	uint64_t	ms_alarms_timed_out;
	uint64_t	ms_alarms_coalesced;
	uint64_t	ms_alarms_dropped;	/* queue limit */
	uint64_t	ms_alarms_persisted;
	uint64_t	ms_peers_refused;
	uint64_t	ms_msgs_invalid;
	uint64_t	ms_clients;		/* connected now */
	uint64_t	ms_logged;
	uint64_t	ms_filter_decided;	/* mt_filter_decided, summed */
	uint64_t	ms_filter_uncounted;	/* runs that could not count */
};

#endif /* !_SYS_POLICY_H_ */
