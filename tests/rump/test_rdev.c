/* test_rdev.c: /dev/policy in a booted rump kernel: loads, every kind of bad blob refused,
 * what a confined process may not do with it, and alarms answered by a stand-in policyd. */
#include <poll.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "rt.h"
#include "../../sys/secmodel/policy/policy_impl.h"

/* NetBSD's numbers, as the rump kernel takes them (errno is the host's). */
#define RD_SIGUSR1	30
#define RD_KBLOB_MAX	(16u * 1024 * 1024)	/* POLICY_KBLOB_MAX */

/* Something in each section: hashed keys, a trie, globs, a regex. */
static const char rd_rules[] =
    "  - open: filename eq \"/t/a\" then permit\n"
    "  - open: filename inpath \"/t/dir\" then permit\n"
    "  - open: filename match \"/t/g/*.txt\" then permit\n"
    "  - open: filename re \"^/t/r/[a-z]+$\" then deny[EROFS]\n"
    "  - connect: sockaddr eq \"inet-127.0.0.1:80\" then permit\n"
    "  - mkdir: filename eq \"/t/m\" and mode sub 0700 then permit\n"
    "  - getpid: permit\n";

static void *rd_good;
static size_t rd_good_size;

static int
setup(void **state)
{
	(void)state;
	rt_boot();
	rd_good = rt_blob(rd_rules, &rd_good_size);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	free(rd_good);
	return 0;
}

/* A test that failed half-way leaves its process: it ends. */
static int
rd_done(void **state)
{
	(void)state;
	while (rump_pub_lwproc_curlwp() != rt_admin_lwp)
		rt_proc_exit();
	return 0;
}

/*
 * Policies alive and their bytes, once no cache holds a credential that
 * carries one (a closed file's does, until reused: test_freed_on_exit).
 */
static unsigned
rd_live(size_t *bytes)
{
	uint64_t decided, refused;
	unsigned live;
	size_t b;

	rump_policytest_drain();
	rump_policytest_counts(&live, &b, &decided, &refused);
	if (bytes != NULL)
		*bytes = b;
	return live;
}

/* A copy of the good blob, size bytes (zero past its end), to mutate. */
static uint8_t *
rd_copy(size_t size)
{
	uint8_t *b = calloc(1, size > rd_good_size ? size : rd_good_size);

	assert_non_null(b);
	memcpy(b, rd_good, rd_good_size);
	return b;
}

static struct policy_blob_header *
rd_hdr(void *b)
{
	return b;
}

/* A mutated blob that still carries a right checksum. */
static void
rd_sum(void *b, size_t size)
{
	rd_hdr(b)->ph_checksum = policy_blob_checksum(b, size);
}

/* The current process can do everything an unconfined one can. */
static void
rd_unconfined(const char *what)
{
	int fd;

	if ((int)rump_sys_umask(022) < 0)
		fail_msg("%s: umask failed: %d", what, errno);
	if (rump_sys_mkdir(RT_T "/free", 0755) != 0 ||
	    rump_sys_rmdir(RT_T "/free") != 0)
		fail_msg("%s: mkdir/rmdir failed: %d", what, errno);
	if ((fd = rump_sys_open("/dev/policy", RUMP_O_RDWR)) < 0)
		fail_msg("%s: open /dev/policy failed: %d", what, errno);
	rump_sys_close(fd);
}

/*
 * A fresh process loads blob: refused with EINVAL, nothing held for it,
 * the process still unconfined; the good policy then loads and confines.
 */
static void
rd_refused(const void *blob, size_t size, const char *what)
{
	size_t bytes0, bytes;
	unsigned live0 = rd_live(&bytes0);
	int e;

	rt_proc();
	if ((e = rt_load_blob(blob, size)) != EINVAL)
		fail_msg("%s: load gave %d, not EINVAL", what, e);
	if (rd_live(&bytes) != live0 || bytes != bytes0)
		fail_msg("%s: a refused load holds a policy (%u, %zu bytes)",
		    what, rd_live(NULL), bytes);
	rd_unconfined(what);
	if ((e = rt_load_blob(rd_good, rd_good_size)) != 0)
		fail_msg("%s: the good policy then failed to load: %d", what,
		    e);
	assert_int_equal(rd_live(NULL), live0 + 1);
	rt_fails(rump_sys_umask(022), EACCES);
	rt_works(rump_sys_getpid());
	rt_proc_exit();
	assert_int_equal(rd_live(&bytes), live0);
	assert_int_equal(bytes, bytes0);
}

/* ------------------------------------------------------------------ */
/* Loading                                                            */

/* A good blob confines; the policy lives as long as its process. */
static void
test_load(void **state)
{
	size_t bytes0, bytes;
	unsigned live0;
	int fd;

	(void)state;
	rt_fresh();
	rt_mkfile(RT_T "/a", "a");
	live0 = rd_live(&bytes0);
	rt_proc();
	rd_unconfined("before");
	assert_int_equal(rt_load_blob(rd_good, rd_good_size), 0);
	assert_int_equal(rd_live(&bytes), live0 + 1);
	assert_true(bytes >= bytes0 + rd_good_size);
	/* Its rules decide now, the default and errno too. */
	rt_works(rump_sys_getpid());
	rt_works(fd = rump_sys_open(RT_T "/a", RUMP_O_RDONLY));
	rt_fails(rump_sys_close(fd), EACCES);	/* no rule: by name */
	rt_fails(rump_sys_open(RT_T "/b", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_open(RT_T "/r/abc", RUMP_O_RDONLY), EROFS);
	rt_fails(rump_sys_umask(022), EACCES);
	rt_fails(rump_sys_mkdir(RT_T "/free", 0755), EACCES);
	rt_proc_exit();
	assert_int_equal(rd_live(&bytes), live0);
	assert_int_equal(bytes, bytes0);
}

/* Short blobs: empty, a partial header, a header alone, short by a little. */
static void
test_bad_truncated(void **state)
{
	const size_t hs = sizeof(struct policy_blob_header);
	const size_t sizes[] = { 1, 4, hs - 1, hs, hs + 8, rd_good_size / 2,
	    rd_good_size - 8, rd_good_size - 1 };
	char what[64];
	size_t i;

	(void)state;
	rt_fresh();
	rd_refused(rd_good, 0, "empty");
	for (i = 0; i < __arraycount(sizes); i++) {
		snprintf(what, sizeof(what), "truncated to %zu of %zu",
		    sizes[i], rd_good_size);
		rd_refused(rd_good, sizes[i], what);
	}
}

/* A wrong magic, version or header size, each with a right checksum. */
static void
test_bad_header(void **state)
{
	struct policy_blob_header *h;
	uint8_t *b;

	(void)state;
	rt_fresh();
	b = rd_copy(rd_good_size);
	h = rd_hdr(b);
	h->ph_magic ^= 1;
	rd_sum(b, rd_good_size);
	rd_refused(b, rd_good_size, "bad magic");
	memcpy(b, rd_good, rd_good_size);
	h->ph_magic = 0x594c4f50;	/* the other byte order */
	rd_sum(b, rd_good_size);
	rd_refused(b, rd_good_size, "magic in the other byte order");

	memcpy(b, rd_good, rd_good_size);
	h->ph_version = POLICY_VERSION + 1;
	rd_sum(b, rd_good_size);
	rd_refused(b, rd_good_size, "newer version");
	memcpy(b, rd_good, rd_good_size);
	h->ph_version = POLICY_VERSION - 1;
	rd_sum(b, rd_good_size);
	rd_refused(b, rd_good_size, "older version");

	memcpy(b, rd_good, rd_good_size);
	h->ph_header_size += 8;
	rd_sum(b, rd_good_size);
	rd_refused(b, rd_good_size, "header size");

	memcpy(b, rd_good, rd_good_size);
	h->ph_default_action = POLICY_ACT_COUNT;
	rd_sum(b, rd_good_size);
	rd_refused(b, rd_good_size, "default action");
	memcpy(b, rd_good, rd_good_size);
	h->ph_default_errno = 0xffff;
	rd_sum(b, rd_good_size);
	rd_refused(b, rd_good_size, "default errno");
	free(b);
}

/* The checksum field wrong, and the blob right. */
static void
test_bad_checksum(void **state)
{
	uint8_t *b;
	int bit;

	(void)state;
	rt_fresh();
	b = rd_copy(rd_good_size);
	for (bit = 0; bit < 32; bit += 7) {
		memcpy(b, rd_good, rd_good_size);
		rd_hdr(b)->ph_checksum ^= 1u << bit;
		rd_refused(b, rd_good_size, "wrong checksum");
	}
	rd_hdr(b)->ph_checksum = 0;
	rd_refused(b, rd_good_size, "zero checksum");
	free(b);
}

/* pl_size and ph_total_size disagree, either way. */
static void
test_bad_size(void **state)
{
	uint8_t *b;

	(void)state;
	rt_fresh();
	b = rd_copy(rd_good_size + 64);
	/* Loaded with bytes after it. */
	rd_refused(b, rd_good_size + 8, "8 bytes more than the header says");
	rd_refused(b, rd_good_size + 64, "64 bytes more than the header says");
	/* The header says more (or less) than is loaded, checksum right. */
	rd_hdr(b)->ph_total_size = (uint32_t)rd_good_size + 8;
	rd_sum(b, rd_good_size);
	rd_refused(b, rd_good_size, "header says 8 more");
	memcpy(b, rd_good, rd_good_size);
	rd_hdr(b)->ph_total_size = (uint32_t)rd_good_size - 8;
	rd_sum(b, rd_good_size);
	rd_refused(b, rd_good_size, "header says 8 less");
	/* Both agree, on a size that has bytes no section holds. */
	memcpy(b, rd_good, rd_good_size);
	rd_hdr(b)->ph_total_size = 0;
	rd_sum(b, rd_good_size);
	rd_refused(b, rd_good_size, "header says 0");
	free(b);
}

/* More than the kernel takes: refused before it is copied in. */
static void
test_bad_oversized(void **state)
{
	const size_t big = RD_KBLOB_MAX + 8;
	uint8_t *b;

	(void)state;
	rt_fresh();
	b = rd_copy(big);
	/* A header that agrees, so that only the size is wrong. */
	rd_hdr(b)->ph_total_size = (uint32_t)big;
	rd_sum(b, big);
	rd_refused(b, big, "16 MiB + 8, header agreeing");
	rd_refused(b, RD_KBLOB_MAX + 1, "16 MiB + 1");
	free(b);
	/* Sizes no buffer backs: never copied in. */
	rd_refused(rd_good, (size_t)1 << 40, "1 TiB");
	rd_refused(rd_good, SIZE_MAX, "SIZE_MAX");
}

/* Section and string offsets out of range, each with a right checksum. */
static void
test_bad_offsets(void **state)
{
	const struct policy_blob_header *g = rd_good;
	struct policy_blob_header *h;
	struct policy_rule *r;
	char what[80];
	uint8_t *b;
	unsigned s, n = 0;

	(void)state;
	rt_fresh();
	b = rd_copy(rd_good_size);
	h = rd_hdr(b);
	for (s = 0; s < POLICY_S_COUNT; s++) {
		if (g->ph_sect[s].size == 0)
			continue;
		n++;
		memcpy(b, rd_good, rd_good_size);
		h->ph_sect[s].off = (uint32_t)rd_good_size;
		rd_sum(b, rd_good_size);
		snprintf(what, sizeof(what), "section %u at the end", s);
		rd_refused(b, rd_good_size, what);

		memcpy(b, rd_good, rd_good_size);
		h->ph_sect[s].off = 0xfffffff8u;
		rd_sum(b, rd_good_size);
		snprintf(what, sizeof(what), "section %u at 4 GiB", s);
		rd_refused(b, rd_good_size, what);

		memcpy(b, rd_good, rd_good_size);
		h->ph_sect[s].size = 0xfffffff8u;
		rd_sum(b, rd_good_size);
		snprintf(what, sizeof(what), "section %u 4 GiB long", s);
		rd_refused(b, rd_good_size, what);

		memcpy(b, rd_good, rd_good_size);
		h->ph_sect[s].size = (uint32_t)rd_good_size -
		    h->ph_sect[s].off + 64;
		rd_sum(b, rd_good_size);
		snprintf(what, sizeof(what), "section %u past the end", s);
		rd_refused(b, rd_good_size, what);

		memcpy(b, rd_good, rd_good_size);
		h->ph_sect[s].off = 0;
		rd_sum(b, rd_good_size);
		snprintf(what, sizeof(what), "section %u over the header", s);
		rd_refused(b, rd_good_size, what);

		memcpy(b, rd_good, rd_good_size);
		h->ph_sect[s].off += 4;
		rd_sum(b, rd_good_size);
		snprintf(what, sizeof(what), "section %u misaligned", s);
		rd_refused(b, rd_good_size, what);
	}
	assert_true(n >= 6);	/* the rules above fill most sections */
	/* Two sections on the same bytes. */
	memcpy(b, rd_good, rd_good_size);
	h->ph_sect[POLICY_S_CODE] = h->ph_sect[POLICY_S_RULES];
	rd_sum(b, rd_good_size);
	rd_refused(b, rd_good_size, "sections overlap");
	/* Strings outside the string table. */
	memcpy(b, rd_good, rd_good_size);
	h->ph_name.off = h->ph_sect[POLICY_S_STRTAB].size;
	rd_sum(b, rd_good_size);
	rd_refused(b, rd_good_size, "name past the strings");
	memcpy(b, rd_good, rd_good_size);
	h->ph_name.len = 0xffffffffu;
	rd_sum(b, rd_good_size);
	rd_refused(b, rd_good_size, "name 4 GiB long");
	/* A rule's text, code and action. */
	memcpy(b, rd_good, rd_good_size);
	r = (struct policy_rule *)(b + h->ph_sect[POLICY_S_RULES].off);
	r->pr_text.off = h->ph_sect[POLICY_S_STRTAB].size + 8;
	rd_sum(b, rd_good_size);
	rd_refused(b, rd_good_size, "rule text past the strings");
	memcpy(b, rd_good, rd_good_size);
	r->pr_ncode = 3;
	r->pr_code = 0x7fffffff;
	rd_sum(b, rd_good_size);
	rd_refused(b, rd_good_size, "rule code past its section");
	memcpy(b, rd_good, rd_good_size);
	r->pr_test.pi_str.off = 0xfffffff0u;
	rd_sum(b, rd_good_size);
	rd_refused(b, rd_good_size, "operand past the strings");
	memcpy(b, rd_good, rd_good_size);
	r->pr_action = POLICY_ACT_COUNT;
	rd_sum(b, rd_good_size);
	rd_refused(b, rd_good_size, "rule action");
	memcpy(b, rd_good, rd_good_size);
	h->ph_nrules += 1;
	rd_sum(b, rd_good_size);
	rd_refused(b, rd_good_size, "rule count");
	free(b);
}

/*
 * Every byte of a good blob flipped in turn, the checksum left as it was:
 * each refused, and the process that tried stays unconfined.
 */
static void
test_bad_flipped(void **state)
{
	size_t bytes0, bytes, i;
	unsigned live0;
	uint8_t *b;
	int e;

	(void)state;
	rt_fresh();
	b = rd_copy(rd_good_size);
	live0 = rd_live(&bytes0);
	rt_proc();
	for (i = 0; i < rd_good_size; i++) {
		b[i] ^= 0xff;
		if ((e = rt_load_blob(b, rd_good_size)) != EINVAL)
			fail_msg("byte %zu of %zu flipped: load gave %d", i,
			    rd_good_size, e);
		b[i] ^= 0xff;
		if (rd_live(&bytes) != live0 || bytes != bytes0)
			fail_msg("byte %zu flipped: a policy is held", i);
	}
	rd_unconfined("after the flipped blobs");
	assert_int_equal(rt_load_blob(b, rd_good_size), 0);
	rt_fails(rump_sys_umask(022), EACCES);
	rt_proc_exit();
	assert_int_equal(rd_live(&bytes), live0);
	assert_int_equal(bytes, bytes0);
	free(b);
}

/* Must a blob with byte i flipped be refused, whatever its checksum? */
static bool
rd_must_refuse(size_t i)
{
	const struct policy_blob_header *g = rd_good;
	const size_t table = offsetof(struct policy_blob_header, ph_sect);

	/* Magic, version, header and total size. */
	if (i < offsetof(struct policy_blob_header, ph_checksum))
		return true;
	/* Where a section is, if it has any bytes. */
	if (i >= table && i < sizeof(*g))
		return g->ph_sect[(i - table) / sizeof(g->ph_sect[0])].size !=
		    0;
	return false;
}

/*
 * The same flips with the checksum made right again: the validator alone
 * stands between them and the evaluator.  Each is refused, or confines
 * (and then decides calls without harm); what cannot be a policy (the
 * magic, version, sizes, a section's place) is always refused.
 */
static void
test_bad_flipped_resummed(void **state)
{
	const size_t sum = offsetof(struct policy_blob_header, ph_checksum);
	size_t bytes0, bytes, i;
	unsigned live0, live, accepted = 0, refused = 0;
	char why[128];
	uint8_t *b;
	int e;

	(void)state;
	rt_fresh();
	rt_mkfile(RT_T "/a", "a");
	b = rd_copy(rd_good_size);
	live0 = rd_live(&bytes0);
	why[0] = '\0';
	for (i = 0; i < rd_good_size && why[0] == '\0'; i++) {
		if (i >= sum && i < sum + 4)
			continue;
		memcpy(b, rd_good, rd_good_size);
		b[i] ^= 0xff;
		rd_sum(b, rd_good_size);
		rt_proc();
		e = rt_load_blob(b, rd_good_size);
		live = rd_live(NULL);
		if (e != 0 && e != EINVAL)
			snprintf(why, sizeof(why), "load gave %d", e);
		else if (e == 0 && rd_must_refuse(i))
			snprintf(why, sizeof(why), "loaded");
		else if (live != live0 + (e == 0))
			snprintf(why, sizeof(why), "load gave %d, %u policies "
			    "live, %u before", e, live, live0);
		if (e == 0) {
			accepted++;
			/* Whatever it now says, it decides without harm. */
			(void)rump_sys_getpid();
			(void)rump_sys_umask(022);
			(void)rump_sys_open(RT_T "/a", RUMP_O_RDONLY);
			(void)rump_sys_open(RT_T "/r/abc", RUMP_O_RDONLY);
			(void)rump_sys_open(RT_T "/g/x.txt", RUMP_O_RDONLY);
			(void)rump_sys_open(RT_T "/dir/x", RUMP_O_RDONLY);
			(void)rump_sys_connect(-1, NULL, 0);
			(void)rump_sys_mkdir(RT_T "/m", 0700);
			(void)rump_sys_rmdir(RT_T "/m");
		} else {
			refused++;
			if (why[0] == '\0')
				rd_unconfined("after a refused flip");
		}
		rt_proc_exit();
		if (why[0] == '\0' && (rd_live(&bytes) != live0 ||
		    bytes != bytes0))
			snprintf(why, sizeof(why), "policy not freed");
	}
	free(b);
	if (why[0] != '\0')
		fail_msg("byte %zu of %zu flipped: %s", i - 1, rd_good_size,
		    why);
	assert_true(refused > 0);
	print_message("      %u flips refused, %u loaded\n", refused,
	    accepted);
}

/* ------------------------------------------------------------------ */
/* What a confined process cannot do with the device                  */

static void
test_confined_device(void **state)
{
	struct policy_answer ans;
	struct policy_alarm a;
	struct pollfd pfd;
	size_t bytes0, bytes;
	unsigned live0;
	int fd, fd0;

	(void)state;
	rt_fresh();
	rt_proc();
	/* An unconfined process's unload does nothing. */
	rt_works(fd0 = rump_sys_open("/dev/policy", RUMP_O_RDWR));
	rt_works(rump_sys_ioctl(fd0, RT_IOC_UNLOAD));
	rd_unconfined("after an unconfined unload");
	assert_int_equal(rt_confine(
	    "  - open: filename eq \"/dev/policy\" then permit\n"
	    "  - ioctl: permit\n"
	    "  - read: permit\n"
	    "  - write: permit\n"
	    "  - poll: permit\n"
	    "  - close: permit\n"
	    "  - getpid: permit\n"), 0);
	live0 = rd_live(&bytes0);
	rt_fails(rump_sys_umask(022), EACCES);
	/* A second policy, through a new descriptor or the one from before. */
	rt_works(fd = rump_sys_open("/dev/policy", RUMP_O_RDWR));
	{
		struct policy_load pl;
		size_t size;
		void *blob = rt_blob("  - umask: permit\n  - getpid: permit\n",
		    &size);

		pl.pl_addr = (uint64_t)(uintptr_t)blob;
		pl.pl_size = size;
		rt_fails(rump_sys_ioctl(fd, RT_IOC_LOAD, &pl), EBUSY);
		rt_fails(rump_sys_ioctl(fd0, RT_IOC_LOAD, &pl), EBUSY);
		free(blob);
	}
	/* The first still decides, and nothing is held for the second. */
	rt_fails(rump_sys_umask(022), EACCES);
	assert_int_equal(rd_live(&bytes), live0);
	assert_int_equal(bytes, bytes0);
	/* No unload. */
	rt_fails(rump_sys_ioctl(fd, RT_IOC_UNLOAD), EPERM);
	rt_fails(rump_sys_ioctl(fd0, RT_IOC_UNLOAD), EPERM);
	rt_fails(rump_sys_umask(022), EACCES);
	/* No alarms, no answers, no POLLIN. */
	rt_fails(rump_sys_read(fd, &a, sizeof(a)), EPERM);
	rt_fails(rump_sys_read(fd0, &a, sizeof(a)), EPERM);
	memset(&ans, 0, sizeof(ans));
	ans.pa_id = 1;
	ans.pa_action = POLICY_ACT_PERMIT;
	rt_fails(rump_sys_write(fd, &ans, sizeof(ans)), EPERM);
	rt_fails(rump_sys_ioctl(fd, RT_IOC_ANSWER, &ans), EPERM);
	pfd.fd = fd;
	pfd.events = POLLIN | POLLOUT;
	pfd.revents = 0;
	assert_int_equal(rump_sys_poll(&pfd, 1, 0), 1);
	assert_int_equal(pfd.revents, POLLOUT);
	rt_works(rump_sys_close(fd));
	rt_works(rump_sys_close(fd0));
	rt_proc_exit();
	assert_int_equal(rd_live(NULL), live0 - 1);
}

/* A policy that does not name the device: not even opened. */
static void
test_confined_noopen(void **state)
{
	(void)state;
	rt_fresh();
	rt_proc();
	assert_int_equal(rt_confine("  - getpid: permit\n"), 0);
	rt_fails(rump_sys_open("/dev/policy", RUMP_O_RDWR), EACCES);
	assert_int_equal(rt_confine("  - getpid: permit\n"), EACCES);
	rt_proc_exit();
}

/* ------------------------------------------------------------------ */
/* Freed on exit                                                      */

/*
 * A confined process that opened and closed a file exits: its policy goes
 * with the last thing that holds its credential.  The closed file's
 * cached structure is one (the kernel keeps it with its credential until
 * it reuses or drains it, policy.4): while it holds it the module does
 * not unload; drained, nothing is held and the module unloads and loads.
 */
static void
test_freed_on_exit(void **state)
{
	size_t bytes0, bytes;
	unsigned live0, live;
	int fd;

	(void)state;
	rt_fresh();
	rt_mkfile(RT_T "/a", "a");
	rump_policytest_drain();
	live0 = rd_live(&bytes0);
	assert_int_equal(live0, 0);
	rt_proc();
	assert_int_equal(rt_confine(
	    "  - open: filename eq \"/t/a\" then permit\n"
	    "  - close: permit\n"), 0);
	rt_works(fd = rump_sys_open(RT_T "/a", RUMP_O_RDONLY));
	rt_works(rump_sys_close(fd));
	rt_proc_exit();
	live = rd_live(&bytes);
	if (live > 0)
		assert_int_equal(rump_policytest_modcmd(0), EBUSY);
	rump_policytest_drain();
	live = rd_live(&bytes);
	assert_int_equal(live, 0);
	assert_int_equal(bytes, 0);
	assert_int_equal(rump_policytest_modcmd(0), 0);
	assert_int_equal(rump_policytest_modcmd(1), 0);
}

/* ------------------------------------------------------------------ */
/* Alarms                                                             */

/*
 * The confined process asks (open with O_CREAT, which an "ask" rule
 * covers) from a host thread of its own, with an lwp of its own in the
 * process; it blocks there while the test, as policyd, reads and answers
 * from another process.  Their state is kept here, so that a failed test
 * leaves nothing behind (rd_alarm_teardown).
 */
struct rd_call {
	int		pid;
	const char	*path;
	int		rv, err, lwperr;
	double		secs;
	bool		started;
	int		done;		/* atomic */
	pthread_t	th;
};

/* A stand-in policyd: an unconfined process with the device open. */
struct rd_daemon {
	struct lwp	*l;
	int		fd;
};

static struct rd_call rd_c[2];
static struct rd_daemon rd_d, rd_o;	/* root's; uid 1000's */
static struct lwp *rd_p;		/* the confined process */
static int rd_pid;
static int rd_timeout0;

static const char rd_ask_rules[] =
    "  - open: filename eq \"/t/a\" then ask\n"
    "  - open: filename eq \"/t/b\" then ask\n"
    "  - close: permit\n"
    "  - getpid: permit\n";
#define RD_ASK_LINE	7	/* the first rule's line, past the header */

static double
rd_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
rd_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static void *
rd_call_main(void *arg)
{
	struct rd_call *c = arg;
	double t0;

	if ((c->lwperr = rump_pub_lwproc_newlwp(c->pid)) != 0) {
		__atomic_store_n(&c->done, 1, __ATOMIC_SEQ_CST);
		return NULL;
	}
	t0 = rd_now();
	c->rv = rump_sys_open(c->path, RUMP_O_WRONLY | RUMP_O_CREAT, 0644);
	c->err = c->rv < 0 ? errno : 0;
	c->secs = rd_now() - t0;
	if (c->rv >= 0)
		rump_sys_close(c->rv);
	rump_pub_lwproc_releaselwp();
	__atomic_store_n(&c->done, 1, __ATOMIC_SEQ_CST);
	return NULL;
}

/* The confined process opens path (O_CREAT) from a thread of its own. */
static void
rd_call_start(struct rd_call *c, const char *path)
{
	memset(c, 0, sizeof(*c));
	c->pid = rd_pid;
	c->path = path;
	c->rv = -2;
	if (pthread_create(&c->th, NULL, rd_call_main, c) != 0)
		fail_msg("pthread_create failed");
	c->started = true;
}

static bool
rd_call_done(struct rd_call *c)
{
	return __atomic_load_n(&c->done, __ATOMIC_SEQ_CST) != 0;
}

/* Wait up to secs for the call to return; false if it has not. */
static bool
rd_call_wait(struct rd_call *c, double secs)
{
	double end = rd_now() + secs;

	if (!c->started)
		return true;
	while (!rd_call_done(c) && rd_now() < end)
		rd_sleep_ms(5);
	if (!rd_call_done(c))
		return false;
	pthread_join(c->th, NULL);
	c->started = false;
	if (c->lwperr != 0)
		fail_msg("the caller got no lwp: %d", c->lwperr);
	return true;
}

/* A call that must return within secs. */
static void
rd_call_join(struct rd_call *c, double secs, const char *what)
{
	if (!rd_call_wait(c, secs))
		fail_msg("%s: the call did not return within %.1f s", what,
		    secs);
}

static void
rd_daemon_start(struct rd_daemon *d, bool enrol)
{
	struct pollfd pfd;

	d->l = rt_proc();
	rt_works(d->fd = rump_sys_open("/dev/policy", RUMP_O_RDWR));
	if (enrol) {	/* a poll makes it a reader of alarms */
		pfd.fd = d->fd;
		pfd.events = POLLIN;
		pfd.revents = 0;
		assert_int_equal(rump_sys_poll(&pfd, 1, 0), 0);
	}
	rt_admin();
}

/* Its descriptor closed (it stops being a reader): it stays for answers. */
static void
rd_daemon_close(struct rd_daemon *d)
{
	rump_pub_lwproc_switch(d->l);
	rt_works(rump_sys_close(d->fd));
	d->fd = -1;
	rt_admin();
}

static void
rd_daemon_stop(struct rd_daemon *d)
{
	if (d->l == NULL)
		return;
	rump_pub_lwproc_switch(d->l);
	if (d->fd >= 0)
		rump_sys_close(d->fd);
	rt_proc_exit();
	d->l = NULL;
	d->fd = -1;
}

/* As the daemon: the next alarm, waited for up to 5 s. */
static void
rd_alarm_read(struct rd_daemon *d, struct policy_alarm *a)
{
	struct pollfd pfd;
	int n;

	rump_pub_lwproc_switch(d->l);
	pfd.fd = d->fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	n = rump_sys_poll(&pfd, 1, 5000);
	if (n == 1 && (pfd.revents & POLLIN) != 0) {
		memset(a, 0, sizeof(*a));
		n = (int)rump_sys_read(d->fd, a, sizeof(*a));
	} else
		n = -1;
	rt_admin();
	if (n < 0)
		fail_msg("no alarm within 5 s");
	assert_int_equal(n, sizeof(*a));
}

/* As the daemon: answer (by write, or by ioctl); 0 or the errno. */
static int
rd_answer(struct rd_daemon *d, uint64_t id, int action, int perrno,
    bool ioctl)
{
	struct policy_answer ans;
	ssize_t rv;
	int e;

	memset(&ans, 0, sizeof(ans));
	ans.pa_id = id;
	ans.pa_action = (uint8_t)action;
	ans.pa_scope = POLICY_ANSWER_ONCE;
	ans.pa_errno = (uint16_t)perrno;
	rump_pub_lwproc_switch(d->l);
	if (ioctl)
		rv = rump_sys_ioctl(d->fd, RT_IOC_ANSWER, &ans);
	else
		rv = rump_sys_write(d->fd, &ans, sizeof(ans));
	e = rv < 0 ? errno : 0;
	rt_admin();
	if (!ioctl && rv >= 0)
		assert_int_equal(rv, sizeof(ans));
	return e;
}

static bool
rd_exists(const char *path)
{
	struct rt_stat st;

	return rt_stat(path, false, &st) == 0;
}

/* A fresh /t, a root daemon (enrolled as a reader if enrol), the asker. */
static void
rd_alarm_begin(bool enrol)
{
	rd_daemon_start(&rd_d, enrol);
	rd_p = rt_proc();
	rd_pid = rump_sys_getpid();
	assert_int_equal(rt_confine(rd_ask_rules), 0);
	rt_admin();
}

static int
rd_alarm_setup(void **state)
{
	(void)state;
	rt_fresh();
	memset(rd_c, 0, sizeof(rd_c));
	rd_d.l = rd_o.l = rd_p = NULL;
	rd_d.fd = rd_o.fd = -1;
	/* Long enough for any answer, short enough that a hang ends. */
	rd_timeout0 = rump_policytest_ask_timeout(20000);
	return 0;
}

/* Whatever a test left: daemons gone, calls waited for, the asker ended. */
static int
rd_alarm_teardown(void **state)
{
	size_t i;

	(void)state;
	rd_daemon_stop(&rd_o);
	rd_daemon_stop(&rd_d);
	for (i = 0; i < __arraycount(rd_c); i++)
		if (!rd_call_wait(&rd_c[i], 60))
			fprintf(stderr, "test_rdev: a call is still waiting\n");
	if (rd_p != NULL) {
		rump_pub_lwproc_switch(rd_p);
		rt_proc_exit();
		rd_p = NULL;
	}
	rump_policytest_ask_timeout(rd_timeout0);
	return 0;
}

/* What an alarm says; the call waits; permit once, then deny with an errno. */
static void
test_alarm_answer(void **state)
{
	struct policy_alarm a, a2;
	uint64_t dec0, dec1, ref0, ref1;
	size_t bytes;
	unsigned live;

	(void)state;
	rd_alarm_begin(true);
	rump_policytest_counts(&live, &bytes, &dec0, &ref0);
	rd_call_start(&rd_c[0], RT_T "/a");
	rd_alarm_read(&rd_d, &a);
	assert_true(a.pa_id != 0);
	assert_int_equal(a.pa_pid, rd_pid);
	assert_int_equal(a.pa_uid, 0);
	assert_int_equal(a.pa_rule, 0);
	assert_int_equal(a.pa_line, RD_ASK_LINE);
	assert_string_equal(a.pa_policy, "rt.yaml");
	assert_int_equal(a.pa_req.pr_op, POLICY_OP_OPEN);
	assert_int_equal(a.pa_req.pr_emul, POLICY_EMUL_NATIVE);
	assert_true((a.pa_req.pr_present & (1u << POLICY_F_FILENAME)) != 0);
	assert_string_equal(a.pa_req.pr_filename, "/t/a");
	assert_int_equal(a.pa_req.pr_len[POLICY_F_FILENAME], 4);
	assert_true((a.pa_req.pr_present & (1u << POLICY_F_FLAGS)) != 0);
	assert_int_equal(a.pa_req.pr_int[POLICY_F_FLAGS - POLICY_F_NSTR] &
	    (POLICY_O_ACCMODE | POLICY_O_CREAT),
	    POLICY_O_WRONLY | POLICY_O_CREAT);
	/* It waits for the answer, and nothing happened yet. */
	rd_sleep_ms(200);
	assert_false(rd_call_done(&rd_c[0]));
	assert_false(rd_exists(RT_T "/a"));
	/* Permit once: the call goes on and does what it asked. */
	assert_int_equal(rd_answer(&rd_d, a.pa_id, POLICY_ACT_PERMIT, 0,
	    false), 0);
	rd_call_join(&rd_c[0], 5, "permitted");
	assert_true(rd_c[0].rv >= 0);
	assert_true(rd_exists(RT_T "/a"));
	/* Once: the same call asks again; denied with EROFS (by ioctl). */
	rt_works(rump_sys_unlink(RT_T "/a"));
	rd_call_start(&rd_c[0], RT_T "/a");
	rd_alarm_read(&rd_d, &a2);
	assert_true(a2.pa_id > a.pa_id);
	assert_int_equal(a2.pa_pid, rd_pid);
	assert_int_equal(rd_answer(&rd_d, a2.pa_id, POLICY_ACT_DENY,
	    policy_errno_portable(EROFS), true), 0);
	rd_call_join(&rd_c[0], 5, "denied");
	assert_int_equal(rd_c[0].rv, -1);
	assert_int_equal(rd_c[0].err, EROFS);
	assert_false(rd_exists(RT_T "/a"));
	/* Deny with no errno: the rule's (the policy's default). */
	rd_call_start(&rd_c[0], RT_T "/a");
	rd_alarm_read(&rd_d, &a2);
	assert_int_equal(rd_answer(&rd_d, a2.pa_id, POLICY_ACT_DENY, 0,
	    false), 0);
	rd_call_join(&rd_c[0], 5, "denied by default");
	assert_int_equal(rd_c[0].err, EACCES);
	assert_false(rd_exists(RT_T "/a"));
	/* Answered alarms are gone. */
	assert_int_equal(rd_answer(&rd_d, a.pa_id, POLICY_ACT_PERMIT, 0,
	    false), ESRCH);
	assert_int_equal(rd_answer(&rd_d, a2.pa_id, POLICY_ACT_PERMIT, 0,
	    true), ESRCH);
	/* Three decisions, whatever the answers, and the permitted close. */
	rump_policytest_counts(&live, &bytes, &dec1, &ref1);
	assert_int_equal(dec1 - dec0, 4);
	assert_int_equal(ref1, ref0);
}

/* Two calls waiting: one read takes both, each answer reaches its own call. */
static void
test_alarm_two(void **state)
{
	struct policy_alarm a[3];
	struct pollfd pfd;
	uint64_t id_a = 0, id_b = 0;
	ssize_t n;
	int i, fd;

	(void)state;
	rd_alarm_begin(true);
	rd_call_start(&rd_c[0], RT_T "/a");
	rd_call_start(&rd_c[1], RT_T "/b");
	/* Both queued (give the second time to be), then one read. */
	rump_pub_lwproc_switch(rd_d.l);
	pfd.fd = rd_d.fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	assert_int_equal(rump_sys_poll(&pfd, 1, 5000), 1);
	rd_sleep_ms(300);
	memset(a, 0, sizeof(a));
	n = rump_sys_read(rd_d.fd, a, sizeof(a));
	rt_admin();
	assert_int_equal(n, 2 * sizeof(a[0]));
	for (i = 0; i < 2; i++) {
		assert_int_equal(a[i].pa_pid, rd_pid);
		if (strcmp(a[i].pa_req.pr_filename, "/t/a") == 0)
			id_a = a[i].pa_id;
		else if (strcmp(a[i].pa_req.pr_filename, "/t/b") == 0) {
			id_b = a[i].pa_id;
			assert_int_equal(a[i].pa_line, RD_ASK_LINE + 1);
			assert_int_equal(a[i].pa_rule, 1);
		}
	}
	assert_true(id_a != 0 && id_b != 0 && id_a != id_b);
	/* Nothing more: a non-blocking read says so. */
	rump_pub_lwproc_switch(rd_d.l);
	fd = rump_sys_open("/dev/policy", RUMP_O_RDWR | RUMP_O_NONBLOCK);
	n = fd < 0 ? -1 : rump_sys_read(fd, a, sizeof(a[0]));
	i = n < 0 ? errno : 0;
	if (fd >= 0)
		rump_sys_close(fd);
	rt_admin();
	assert_true(fd >= 0);
	assert_int_equal(i, EAGAIN);
	/* b denied first, then a permitted. */
	assert_int_equal(rd_answer(&rd_d, id_b, POLICY_ACT_DENY,
	    policy_errno_portable(ENOSPC), false), 0);
	rd_call_join(&rd_c[1], 5, "b");
	assert_int_equal(rd_c[1].err, ENOSPC);
	rd_sleep_ms(100);
	assert_false(rd_call_done(&rd_c[0]));
	assert_int_equal(rd_answer(&rd_d, id_a, POLICY_ACT_PERMIT, 0, false),
	    0);
	rd_call_join(&rd_c[0], 5, "a");
	assert_true(rd_c[0].rv >= 0);
	assert_true(rd_exists(RT_T "/a"));
	assert_false(rd_exists(RT_T "/b"));
}

/* Malformed reads and answers are refused, and answer nothing. */
static void
test_alarm_checked(void **state)
{
	struct policy_alarm a;
	char small[16];
	int e1, e2;

	(void)state;
	rd_alarm_begin(true);
	rd_call_start(&rd_c[0], RT_T "/a");
	rd_alarm_read(&rd_d, &a);
	rump_pub_lwproc_switch(rd_d.l);
	e1 = rt_err(rump_sys_read(rd_d.fd, small, sizeof(small)));
	e2 = rt_err(rump_sys_write(rd_d.fd, small, sizeof(small)));
	rt_admin();
	assert_int_equal(e1, EINVAL);
	assert_int_equal(e2, EINVAL);
	assert_int_equal(rd_answer(&rd_d, a.pa_id, POLICY_ACT_ASK, 0, false),
	    EINVAL);
	assert_int_equal(rd_answer(&rd_d, a.pa_id, 0, 0, true), EINVAL);
	assert_int_equal(rd_answer(&rd_d, a.pa_id, POLICY_ACT_DENY, 0xfff,
	    false), EINVAL);
	assert_int_equal(rd_answer(&rd_d, a.pa_id + 1000, POLICY_ACT_DENY, 0,
	    false), ESRCH);
	/* None of that answered it. */
	rd_sleep_ms(100);
	assert_false(rd_call_done(&rd_c[0]));
	assert_int_equal(rd_answer(&rd_d, a.pa_id, POLICY_ACT_DENY, 0, false),
	    0);
	rd_call_join(&rd_c[0], 5, "denied");
	assert_int_equal(rd_c[0].err, EACCES);
}

/* Alarms are shown to root and the confined process's own uid only. */
static void
test_alarm_visible(void **state)
{
	struct policy_alarm a, b;
	int e;

	(void)state;
	rd_alarm_begin(true);
	rd_o.l = rt_proc();
	rt_works(rump_sys_setuid(1000));
	/* The node is 0644: for reading; answers go by ioctl. */
	rt_works(rd_o.fd = rump_sys_open("/dev/policy", RUMP_O_RDONLY |
	    RUMP_O_NONBLOCK));
	rt_admin();
	rd_call_start(&rd_c[0], RT_T "/a");
	rd_alarm_read(&rd_d, &a);
	/* Not uid 1000's: not read, not answered. */
	rump_pub_lwproc_switch(rd_o.l);
	e = rt_err(rump_sys_read(rd_o.fd, &b, sizeof(b)));
	rt_admin();
	assert_int_equal(e, EAGAIN);
	assert_int_equal(rd_answer(&rd_o, a.pa_id, POLICY_ACT_PERMIT, 0,
	    true), ESRCH);
	rd_sleep_ms(100);
	assert_false(rd_call_done(&rd_c[0]));
	assert_int_equal(rd_answer(&rd_d, a.pa_id, POLICY_ACT_DENY, 0, false),
	    0);
	rd_call_join(&rd_c[0], 5, "denied");
	assert_int_equal(rd_c[0].err, EACCES);
}

/* No reader (the device open, never read or polled): denied at once. */
static void
test_alarm_nodaemon(void **state)
{
	(void)state;
	rd_alarm_begin(false);
	rd_call_start(&rd_c[0], RT_T "/a");
	rd_call_join(&rd_c[0], 5, "no daemon");
	assert_int_equal(rd_c[0].err, EACCES);
	assert_true(rd_c[0].secs < 2.0);
	assert_false(rd_exists(RT_T "/a"));
}

/* Nobody answers in time: denied with the rule's errno, the alarm withdrawn. */
static void
test_alarm_timeout(void **state)
{
	struct policy_alarm a;

	(void)state;
	rump_policytest_ask_timeout(400);
	rd_alarm_begin(true);
	rd_call_start(&rd_c[0], RT_T "/a");
	rd_alarm_read(&rd_d, &a);
	rd_call_join(&rd_c[0], 10, "unanswered");
	assert_int_equal(rd_c[0].rv, -1);
	assert_int_equal(rd_c[0].err, EACCES);
	assert_true(rd_c[0].secs >= 0.35);
	assert_true(rd_c[0].secs < 5.0);
	assert_false(rd_exists(RT_T "/a"));
	assert_int_equal(rd_answer(&rd_d, a.pa_id, POLICY_ACT_PERMIT, 0,
	    false), ESRCH);
	/* Unread too: the same. */
	rd_call_start(&rd_c[0], RT_T "/a");
	rd_call_join(&rd_c[0], 10, "unread");
	assert_int_equal(rd_c[0].err, EACCES);
	assert_true(rd_c[0].secs >= 0.35);
	assert_false(rd_exists(RT_T "/a"));
}

/*
 * A signal interrupts the wait: the call fails with EINTR having done
 * nothing, the alarm is withdrawn, and the next call asks again.
 */
static void
test_alarm_signal(void **state)
{
	struct policy_alarm a, a2;

	(void)state;
	rd_alarm_begin(true);
	rd_call_start(&rd_c[0], RT_T "/a");
	rd_alarm_read(&rd_d, &a);
	rd_sleep_ms(50);
	assert_false(rd_call_done(&rd_c[0]));
	assert_int_equal(rump_policytest_signal(rd_pid, RD_SIGUSR1), 1);
	rd_call_join(&rd_c[0], 5, "signalled");
	assert_int_equal(rd_c[0].rv, -1);
	assert_int_equal(rd_c[0].err, EINTR);
	assert_false(rd_exists(RT_T "/a"));
	assert_int_equal(rd_answer(&rd_d, a.pa_id, POLICY_ACT_PERMIT, 0,
	    false), ESRCH);
	/* Asked again, answered again. */
	rd_call_start(&rd_c[0], RT_T "/a");
	rd_alarm_read(&rd_d, &a2);
	assert_true(a2.pa_id > a.pa_id);
	assert_int_equal(rd_answer(&rd_d, a2.pa_id, POLICY_ACT_PERMIT, 0,
	    false), 0);
	rd_call_join(&rd_c[0], 5, "permitted after the signal");
	assert_true(rd_c[0].rv >= 0);
	assert_true(rd_exists(RT_T "/a"));
}

/*
 * The daemon closes its descriptor, leaving an alarm it read unanswered:
 * no one can answer it any more, so the call is denied at once ("when no
 * one has the device open for reading", policy.4), not at the timeout.
 */
static void
test_alarm_close_taken(void **state)
{
	struct policy_alarm a;
	double t0;

	(void)state;
	rump_policytest_ask_timeout(5000);
	rd_alarm_begin(true);
	rd_call_start(&rd_c[0], RT_T "/a");
	rd_alarm_read(&rd_d, &a);
	t0 = rd_now();
	rd_daemon_close(&rd_d);
	if (!rd_call_wait(&rd_c[0], 2.0)) {
		rd_call_wait(&rd_c[0], 20);
		fail_msg("the daemon closed its descriptor: the call still "
		    "waited %.1f s, until the ask timeout (errno %d)",
		    rd_now() - t0, rd_c[0].err);
	}
	assert_int_equal(rd_c[0].err, EACCES);
	assert_false(rd_exists(RT_T "/a"));
}

/* The same with an alarm no one has read yet. */
static void
test_alarm_close_pending(void **state)
{
	struct pollfd pfd;
	double t0;
	int n;

	(void)state;
	rump_policytest_ask_timeout(5000);
	rd_alarm_begin(true);
	rd_call_start(&rd_c[0], RT_T "/a");
	/* Queued, not taken. */
	rump_pub_lwproc_switch(rd_d.l);
	pfd.fd = rd_d.fd;
	pfd.events = POLLIN;
	pfd.revents = 0;
	n = rump_sys_poll(&pfd, 1, 5000);
	rt_admin();
	assert_int_equal(n, 1);
	t0 = rd_now();
	rd_daemon_close(&rd_d);
	if (!rd_call_wait(&rd_c[0], 2.0)) {
		rd_call_wait(&rd_c[0], 20);
		fail_msg("the only reader closed the device: the call still "
		    "waited %.1f s, until the ask timeout (errno %d)",
		    rd_now() - t0, rd_c[0].err);
	}
	assert_int_equal(rd_c[0].err, EACCES);
	assert_false(rd_exists(RT_T "/a"));
}

/* Everything confined has gone: nothing is held. */
static void
test_none_left(void **state)
{
	size_t bytes;

	(void)state;
	assert_int_equal(rd_live(&bytes), 0);
	assert_int_equal(bytes, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_load, rd_done),
		cmocka_unit_test_teardown(test_bad_truncated, rd_done),
		cmocka_unit_test_teardown(test_bad_header, rd_done),
		cmocka_unit_test_teardown(test_bad_checksum, rd_done),
		cmocka_unit_test_teardown(test_bad_size, rd_done),
		cmocka_unit_test_teardown(test_bad_oversized, rd_done),
		cmocka_unit_test_teardown(test_bad_offsets, rd_done),
		cmocka_unit_test_teardown(test_bad_flipped, rd_done),
		cmocka_unit_test_teardown(test_bad_flipped_resummed, rd_done),
		cmocka_unit_test_teardown(test_confined_device, rd_done),
		cmocka_unit_test_teardown(test_confined_noopen, rd_done),
		cmocka_unit_test_teardown(test_freed_on_exit, rd_done),
		cmocka_unit_test_setup_teardown(test_alarm_answer,
		    rd_alarm_setup, rd_alarm_teardown),
		cmocka_unit_test_setup_teardown(test_alarm_two,
		    rd_alarm_setup, rd_alarm_teardown),
		cmocka_unit_test_setup_teardown(test_alarm_checked,
		    rd_alarm_setup, rd_alarm_teardown),
		cmocka_unit_test_setup_teardown(test_alarm_visible,
		    rd_alarm_setup, rd_alarm_teardown),
		cmocka_unit_test_setup_teardown(test_alarm_nodaemon,
		    rd_alarm_setup, rd_alarm_teardown),
		cmocka_unit_test_setup_teardown(test_alarm_timeout,
		    rd_alarm_setup, rd_alarm_teardown),
		cmocka_unit_test_setup_teardown(test_alarm_signal,
		    rd_alarm_setup, rd_alarm_teardown),
		cmocka_unit_test_setup_teardown(test_alarm_close_taken,
		    rd_alarm_setup, rd_alarm_teardown),
		cmocka_unit_test_setup_teardown(test_alarm_close_pending,
		    rd_alarm_setup, rd_alarm_teardown),
		cmocka_unit_test(test_none_left),
	};

	return cmocka_run_group_tests_name("rump: /dev/policy", tests, setup,
	    teardown);
}
