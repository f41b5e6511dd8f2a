/* test_rvfs.c: every path call of a confined process, in a real NetBSD kernel on tmpfs, is decided
 * on the object its path names (links followed or not, as the call does) and done on that object. */
#include "rt.h"

#include <sys/time.h>
#include <time.h>

/* NetBSD constants the host spells differently, or does not have. */
#define RV_S_IFCHR	0020000
#define RV_PC_NAME_MAX	4		/* _PC_NAME_MAX */
#define RV_ST_WAIT	1		/* statvfs1 flag */
#define RV_UF_NODUMP	0x00000001
#define RV_F_OK		0
#define RV_W_OK		2
#define RV_R_OK		4
#define RV_DEV		((dev_t)(2 << 8) | 2)	/* a character device number */

/*
 * The tree every test starts from (rv_tree), made by the unconfined admin:
 *
 *	/t/ok/			permitted	/t/no/		denied
 *	/t/ok/a		"a-data"		/t/no/secret	"secret"
 *	/t/ok/d/f	"f"			/t/no/sub/s2	"s2"
 *	/t/ok/e/	(empty)			/t/no/empty/	(empty)
 *	/t/ok/fin  -> /t/no/secret		/t/no/lnk  -> /t/ok/a
 *	/t/ok/rel  -> ../no/secret
 *	/t/ok/mid  -> /t/no
 *	/t/ok/loc  -> a
 *	/t/ok/dang -> /t/no/absent
 */
#define OK		RT_T "/ok"
#define NO		RT_T "/no"

/* By-name calls every policy here lets through. */
#define RV_BYNAME \
	"  - close: permit\n" \
	"  - read: permit\n" \
	"  - write: permit\n" \
	"  - getcwd: permit\n" \
	"  - fchdir: permit\n"

/* Read and write below /t/ok only; link and rename only within it. */
#define RV_OK \
	"  - rename: filename inpath \"/t/ok\" and filename2 inpath " \
	"\"/t/ok\" then permit\n" \
	"  - rename: then deny\n" \
	"  - link: filename inpath \"/t/ok\" and filename2 inpath " \
	"\"/t/ok\" then permit\n" \
	"  - link: then deny\n" \
	"  - fsread: filename inpath \"/t/ok\" then permit\n" \
	"  - fswrite: filename inpath \"/t/ok\" then permit\n" \
	RV_BYNAME

/* Read below /t/ok, write nowhere. */
#define RV_RO \
	"  - fsread: filename inpath \"/t/ok\" then permit\n" \
	RV_BYNAME

/*
 * Write anywhere in /t, read anywhere but /t/no: a link or a rename of a
 * file of /t/no into /t/ok would widen what the process can read.
 */
#define RV_WIDE \
	"  - fsread: filename inpath \"/t/no\" then deny\n" \
	"  - fsread: filename inpath \"/t\" then permit\n" \
	"  - fswrite: filename inpath \"/t\" then permit\n" \
	RV_BYNAME

/* The confined process of the current test (NULL: none). */
static struct lwp *rv_conf;

static void
rv_tree(void)
{
	static const char *const dirs[] = {
		OK, OK "/d", OK "/e", NO, NO "/sub", NO "/empty",
	};
	static const char *const links[][2] = {
		{ NO "/secret", OK "/fin" }, { "../no/secret", OK "/rel" },
		{ NO, OK "/mid" }, { "a", OK "/loc" },
		{ NO "/absent", OK "/dang" }, { OK "/a", NO "/lnk" },
	};
	size_t i;

	rt_fresh();
	for (i = 0; i < __arraycount(dirs); i++)
		rt_works(rump_sys_mkdir(dirs[i], 0777));
	rt_mkfile(OK "/a", "a-data");
	rt_mkfile(OK "/d/f", "f");
	rt_mkfile(NO "/secret", "secret");
	rt_mkfile(NO "/sub/s2", "s2");
	for (i = 0; i < __arraycount(links); i++)
		rt_works(rump_sys_symlink(links[i][0], links[i][1]));
}

/* A fresh process for this thread (unconfined until rv_load). */
static void
rv_proc(void)
{
	rv_conf = rt_proc();
}

static void
rv_load(const char *yaml)
{
	assert_int_equal(rt_confine(yaml), 0);
}

static void
rv_confine(const char *yaml)
{
	rv_proc();
	rv_load(yaml);
}

/* Back to the confined process after a look as the admin. */
static void
rv_back(void)
{
	if (rv_conf != NULL && rump_pub_lwproc_curlwp() != rv_conf)
		rump_pub_lwproc_switch(rv_conf);
}

static void
rv_end(void)
{
	if (rv_conf != NULL) {
		rv_back();
		rv_conf = NULL;
		rt_proc_exit();
	} else
		rt_admin();
}

/* lstat (or stat) as the unconfined admin; errno kept. */
static int
rv_look(const char *path, bool follow, struct rt_stat *st)
{
	int rv, e;

	rt_admin();
	rv = rt_stat(path, follow, st);
	e = errno;
	rv_back();
	errno = e;
	return rv;
}

static bool
rv_exists(const char *path)
{
	struct rt_stat st;

	return rv_look(path, false, &st) == 0;
}

static struct rt_stat
rv_lst(const char *path)
{
	struct rt_stat st;

	if (rv_look(path, false, &st) != 0)
		fail_msg("lstat %s: errno %d", path, errno);
	return st;
}

static unsigned
rv_mode(const char *path)
{
	return rv_lst(path).st_mode & 07777;
}

static unsigned
rv_type(const char *path)
{
	return rv_lst(path).st_mode & RT_S_IFMT;
}

/* The text of a file, read by the admin ("" if it cannot be opened). */
static const char *
rv_text(const char *path)
{
	const char *s;

	rt_admin();
	s = rt_read(path);
	rv_back();
	return s;
}

/* Everything about path that a call could change, against a snapshot. */
static void
rv_same_as(const char *path, const struct rt_stat *o)
{
	struct rt_stat st = rv_lst(path);

	assert_int_equal(st.st_ino, o->st_ino);
	assert_int_equal(st.st_mode, o->st_mode);
	assert_int_equal(st.st_uid, o->st_uid);
	assert_int_equal(st.st_gid, o->st_gid);
	assert_int_equal(st.st_nlink, o->st_nlink);
	assert_int_equal(st.st_size, o->st_size);
	assert_int_equal(st.st_flags, o->st_flags);
	assert_int_equal(st.st_times[2], o->st_times[2]);	/* mtime */
	assert_int_equal(st.st_times[3], o->st_times[3]);
	assert_int_equal(st.st_times[4], o->st_times[4]);	/* ctime */
	assert_int_equal(st.st_times[5], o->st_times[5]);
}

/* The secret is as rv_tree made it: nothing was done to it. */
static void
rv_secret_intact(const struct rt_stat *o)
{
	rv_same_as(NO "/secret", o);
	assert_string_equal(rv_text(NO "/secret"), "secret");
}

static const char *
rv_cwd(void)
{
	static char buf[256];

	memset(buf, 0, sizeof(buf));
	if (rump_sys___getcwd(buf, sizeof(buf)) < 0)
		snprintf(buf, sizeof(buf), "(getcwd: errno %d)", errno);
	return buf;
}

/* Read what fd gives into a static buffer. */
static const char *
rv_fdtext(int fd)
{
	static char buf[256];
	ssize_t n;

	n = rump_sys_read(fd, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

/* Open path under the policy and say what it reads. */
static const char *
rv_cat(int dfd, const char *path)
{
	static char buf[256];
	int fd;

	fd = rump_sys_openat(dfd, path, RUMP_O_RDONLY);
	if (fd < 0) {
		snprintf(buf, sizeof(buf), "(open %s: errno %d)", path, errno);
		return buf;
	}
	snprintf(buf, sizeof(buf), "%s", rv_fdtext(fd));
	rump_sys_close(fd);
	return buf;
}

/*
 * A call that fails unconfined (absolute paths only, nothing happens
 * either way) fails the same way confined under a policy that permits it.
 */
#define rv_native(call) do {						\
	int rv_e_;							\
									\
	rt_admin();							\
	rv_e_ = rt_err((int)(call));					\
	rv_back();							\
	if (rv_e_ == 0)							\
		fail_msg("%s worked unconfined", #call);		\
	if (rt_err((int)(call)) != rv_e_)				\
		fail_msg("%s: errno %d confined, %d unconfined", #call,	\
		    errno, rv_e_);					\
} while (0)

/* Calls on one path, each expected to fail with one errno; all reported. */
struct rv_tally {
	int	bad;
};
#define RV_SHOWN	12		/* wrong answers listed */

static void
rv_expect(struct rv_tally *t, const char *path, const char *what, int got,
    int want)
{
	if (got == want)
		return;
	if (t->bad++ == 0)
		print_message("    wrong answers:\n");
	if (t->bad <= RV_SHOWN)
		print_message("    %s [p=%s]: errno %d, not %d\n", what, path,
		    got, want);
}

#define RV_EXPECT(t, call, e) \
	rv_expect((t), p, #call, rt_err((int)(call)), (e))

static void
rv_tally_check(const struct rv_tally *t)
{
	if (t->bad > RV_SHOWN)
		print_message("    ... and %d more\n", t->bad - RV_SHOWN);
	if (t->bad != 0)
		fail_msg("%d calls gave the wrong answer", t->bad);
}

/* Calls that follow a link at the end of p. */
static void
rv_follow(struct rv_tally *t, const char *p, int e)
{
	struct timeval tv[2] = { { 1000, 0 }, { 2000, 0 } };
	static uint64_t vfs[1024];
	struct rt_stat st;

	RV_EXPECT(t, rump_sys_open(p, RUMP_O_RDONLY), e);
	RV_EXPECT(t, rump_sys_open(p, RUMP_O_RDWR), e);
	RV_EXPECT(t, rump_sys_open(p, RUMP_O_WRONLY | RUMP_O_TRUNC), e);
	RV_EXPECT(t, rump_sys_openat(RT_AT_FDCWD, p, RUMP_O_RDONLY), e);
	RV_EXPECT(t, rump_sys_stat(p, (void *)&st), e);
	RV_EXPECT(t, rump_sys_fstatat(RT_AT_FDCWD, p, (void *)&st, 0), e);
	RV_EXPECT(t, rump_sys_access(p, RV_F_OK), e);
	RV_EXPECT(t, rump_sys_faccessat(RT_AT_FDCWD, p, RV_R_OK, 0), e);
	RV_EXPECT(t, rump_sys_chmod(p, 0600), e);
	RV_EXPECT(t, rump_sys_fchmodat(RT_AT_FDCWD, p, 0600, 0), e);
	RV_EXPECT(t, rump_sys_chown(p, 5, 6), e);
	RV_EXPECT(t, rump_sys___posix_chown(p, 5, 6), e);
	RV_EXPECT(t, rump_sys_fchownat(RT_AT_FDCWD, p, 5, 6, 0), e);
	RV_EXPECT(t, rump_sys_chflags(p, RV_UF_NODUMP), e);
	RV_EXPECT(t, rump_sys_utimes(p, tv), e);
	RV_EXPECT(t, rump_sys_utimensat(RT_AT_FDCWD, p, NULL, 0), e);
	RV_EXPECT(t, rump_sys_truncate(p, 1), e);
	RV_EXPECT(t, rump_sys_pathconf(p, RV_PC_NAME_MAX), e);
	RV_EXPECT(t, rump_sys_statvfs1(p, (void *)vfs, RV_ST_WAIT), e);
	RV_EXPECT(t, rump_sys_revoke(p), e);
	RV_EXPECT(t, rump_sys_chdir(p), e);
	RV_EXPECT(t, rump_sys_chroot(p), e);
}

/* Calls that act on a link at the end of p itself. */
static void
rv_nofollow(struct rv_tally *t, const char *p, int e)
{
	struct timeval tv[2] = { { 1000, 0 }, { 2000, 0 } };
	struct rt_stat st;
	char buf[64];

	RV_EXPECT(t, rump_sys_lstat(p, (void *)&st), e);
	RV_EXPECT(t, rump_sys_fstatat(RT_AT_FDCWD, p, (void *)&st,
	    RT_AT_SYMLINK_NOFOLLOW), e);
	RV_EXPECT(t, rump_sys_faccessat(RT_AT_FDCWD, p, RV_F_OK,
	    RT_AT_SYMLINK_NOFOLLOW), e);
	RV_EXPECT(t, rump_sys_readlink(p, buf, sizeof(buf)), e);
	RV_EXPECT(t, rump_sys_readlinkat(RT_AT_FDCWD, p, buf, sizeof(buf)), e);
	RV_EXPECT(t, rump_sys_lchmod(p, 0600), e);
	RV_EXPECT(t, rump_sys_fchmodat(RT_AT_FDCWD, p, 0600,
	    RT_AT_SYMLINK_NOFOLLOW), e);
	RV_EXPECT(t, rump_sys_lchown(p, 5, 6), e);
	RV_EXPECT(t, rump_sys___posix_lchown(p, 5, 6), e);
	RV_EXPECT(t, rump_sys_fchownat(RT_AT_FDCWD, p, 5, 6,
	    RT_AT_SYMLINK_NOFOLLOW), e);
	RV_EXPECT(t, rump_sys_lchflags(p, RV_UF_NODUMP), e);
	RV_EXPECT(t, rump_sys_lutimes(p, tv), e);
	RV_EXPECT(t, rump_sys_utimensat(RT_AT_FDCWD, p, NULL,
	    RT_AT_SYMLINK_NOFOLLOW), e);
	RV_EXPECT(t, rump_sys_open(p, RUMP_O_RDONLY | RUMP_O_NOFOLLOW), e);
	RV_EXPECT(t, rump_sys_unlink(p), e);
	RV_EXPECT(t, rump_sys_unlinkat(RT_AT_FDCWD, p, 0), e);
	RV_EXPECT(t, rump_sys_rmdir(p), e);
	RV_EXPECT(t, rump_sys_unlinkat(RT_AT_FDCWD, p, RT_AT_REMOVEDIR), e);
}

/* Calls with p as their first path of two (the second is in /t/ok). */
static void
rv_pair(struct rv_tally *t, const char *p, int e)
{
	RV_EXPECT(t, rump_sys_rename(p, OK "/rn"), e);
	RV_EXPECT(t, rump_sys___posix_rename(p, OK "/rn"), e);
	RV_EXPECT(t, rump_sys_renameat(RT_AT_FDCWD, p, RT_AT_FDCWD,
	    OK "/rn"), e);
	RV_EXPECT(t, rump_sys_link(p, OK "/ln"), e);
	RV_EXPECT(t, rump_sys_linkat(RT_AT_FDCWD, p, RT_AT_FDCWD, OK "/ln",
	    0), e);
	RV_EXPECT(t, rump_sys_linkat(RT_AT_FDCWD, p, RT_AT_FDCWD, OK "/ln",
	    RT_AT_SYMLINK_FOLLOW), e);
}

/* Calls that make the name p (from /t/ok/a where they move or link). */
static void
rv_create(struct rv_tally *t, const char *p, int e)
{
	RV_EXPECT(t, rump_sys_open(p, RUMP_O_WRONLY | RUMP_O_CREAT, 0644), e);
	RV_EXPECT(t, rump_sys_open(p, RUMP_O_WRONLY | RUMP_O_CREAT |
	    RUMP_O_EXCL, 0644), e);
	RV_EXPECT(t, rump_sys_openat(RT_AT_FDCWD, p, RUMP_O_RDWR |
	    RUMP_O_CREAT, 0644), e);
	RV_EXPECT(t, rump_sys_mkdir(p, 0755), e);
	RV_EXPECT(t, rump_sys_mkdirat(RT_AT_FDCWD, p, 0755), e);
	RV_EXPECT(t, rump_sys_mkfifo(p, 0644), e);
	RV_EXPECT(t, rump_sys_mkfifoat(RT_AT_FDCWD, p, 0644), e);
	RV_EXPECT(t, rump_sys_mknod(p, RV_S_IFCHR | 0600, RV_DEV), e);
	RV_EXPECT(t, rump_sys_mknodat(RT_AT_FDCWD, p, RV_S_IFCHR | 0600,
	    RV_DEV), e);
	RV_EXPECT(t, rump_sys_symlink("x", p), e);
	RV_EXPECT(t, rump_sys_symlinkat("x", RT_AT_FDCWD, p), e);
	RV_EXPECT(t, rump_sys_link(OK "/a", p), e);
	RV_EXPECT(t, rump_sys_linkat(RT_AT_FDCWD, OK "/a", RT_AT_FDCWD, p,
	    0), e);
	RV_EXPECT(t, rump_sys_rename(OK "/a", p), e);
	RV_EXPECT(t, rump_sys___posix_rename(OK "/a", p), e);
	RV_EXPECT(t, rump_sys_renameat(RT_AT_FDCWD, OK "/a", RT_AT_FDCWD,
	    p), e);
}

static int
setup(void **state)
{
	(void)state;
	rt_boot();
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	rv_end();
	return 0;
}

/* ------------------------------------------------------------------ */
/* open, openat                                                       */

static void
test_open(void **state)
{
	struct rt_stat sec;
	int fd;

	(void)state;
	rv_tree();
	sec = rv_lst(NO "/secret");
	rt_works(rump_sys_symlink(OK "/made", OK "/tomake"));
	rv_confine(RV_OK);

	assert_string_equal(rv_cat(RT_AT_FDCWD, OK "/a"), "a-data");
	rt_fails(rump_sys_open(NO "/secret", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_open(NO "/secret", RUMP_O_RDWR), EACCES);
	rt_fails(rump_sys_open(NO "/secret", RUMP_O_WRONLY | RUMP_O_TRUNC),
	    EACCES);
	rt_fails(rump_sys_open(NO "/secret", RUMP_O_RDONLY | RUMP_O_TRUNC),
	    EACCES);
	rt_fails(rump_sys_open(NO, RUMP_O_RDONLY | RUMP_O_DIRECTORY), EACCES);
	rt_fails(rump_sys_open(NO "/absent", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_open(OK "/absent", RUMP_O_RDONLY), ENOENT);

	/* O_CREAT: the file is made, with the mode asked less the umask. */
	rt_works(fd = rump_sys_open(OK "/new", RUMP_O_WRONLY | RUMP_O_CREAT,
	    0640));
	assert_int_equal(rump_sys_write(fd, "n", 1), 1);
	rump_sys_close(fd);
	assert_int_equal(rv_type(OK "/new"), RT_S_IFREG);
	assert_int_equal(rv_mode(OK "/new"), 0640);
	assert_string_equal(rv_text(OK "/new"), "n");
	rt_fails(rump_sys_open(NO "/new", RUMP_O_WRONLY | RUMP_O_CREAT, 0644),
	    EACCES);
	assert_false(rv_exists(NO "/new"));
	rt_fails(rump_sys_open(NO "/absent/x", RUMP_O_WRONLY | RUMP_O_CREAT,
	    0644), EACCES);
	rt_fails(rump_sys_open(OK "/absent/x", RUMP_O_WRONLY | RUMP_O_CREAT,
	    0644), ENOENT);

	/* O_EXCL: EEXIST only where the name may be seen. */
	rt_fails(rump_sys_open(OK "/a", RUMP_O_WRONLY | RUMP_O_CREAT |
	    RUMP_O_EXCL, 0644), EEXIST);
	rt_fails(rump_sys_open(NO "/secret", RUMP_O_WRONLY | RUMP_O_CREAT |
	    RUMP_O_EXCL, 0644), EACCES);
	/* ... and a link is not followed: the link exists. */
	rt_fails(rump_sys_open(OK "/fin", RUMP_O_WRONLY | RUMP_O_CREAT |
	    RUMP_O_EXCL, 0644), EEXIST);
	rt_fails(rump_sys_open(OK "/dang", RUMP_O_WRONLY | RUMP_O_CREAT |
	    RUMP_O_EXCL, 0644), EEXIST);
	assert_false(rv_exists(NO "/absent"));

	/* O_CREAT follows a dangling link: the name made is its target. */
	rt_works(fd = rump_sys_open(OK "/tomake", RUMP_O_WRONLY |
	    RUMP_O_CREAT, 0644));
	rump_sys_close(fd);
	assert_int_equal(rv_type(OK "/made"), RT_S_IFREG);
	assert_int_equal(rv_type(OK "/tomake"), RT_S_IFLNK);
	rt_fails(rump_sys_open(OK "/dang", RUMP_O_WRONLY | RUMP_O_CREAT,
	    0644), EACCES);
	assert_false(rv_exists(NO "/absent"));
	rt_fails(rump_sys_open(OK "/fin", RUMP_O_WRONLY | RUMP_O_CREAT,
	    0644), EACCES);

	/* O_TRUNC empties the file it opened, and only that one. */
	rt_works(fd = rump_sys_open(OK "/a", RUMP_O_WRONLY | RUMP_O_TRUNC));
	rump_sys_close(fd);
	assert_int_equal(rv_lst(OK "/a").st_size, 0);
	rt_fails(rump_sys_open(OK "/fin", RUMP_O_WRONLY | RUMP_O_TRUNC),
	    EACCES);
	rt_fails(rump_sys_open(OK "/rel", RUMP_O_RDWR | RUMP_O_TRUNC), EACCES);

	/* Links followed to the end: decided on the target. */
	rt_admin();
	rt_mkfile(OK "/a", "a-data");
	rv_back();
	assert_string_equal(rv_cat(RT_AT_FDCWD, OK "/loc"), "a-data");
	assert_string_equal(rv_cat(RT_AT_FDCWD, NO "/lnk"), "a-data");
	rt_fails(rump_sys_open(OK "/fin", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_open(OK "/rel", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_open(OK "/mid/secret", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_open(OK "/mid/sub/s2", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_open(OK "/mid", RUMP_O_RDONLY), EACCES);

	/* O_NOFOLLOW: decided on the link, which cannot be opened. */
	rt_works(fd = rump_sys_open(OK "/a", RUMP_O_RDONLY | RUMP_O_NOFOLLOW));
	rump_sys_close(fd);
	rv_native(rump_sys_open(OK "/loc", RUMP_O_RDONLY | RUMP_O_NOFOLLOW));
	rv_native(rump_sys_open(OK "/fin", RUMP_O_RDONLY | RUMP_O_NOFOLLOW));
	rv_native(rump_sys_open(OK "/a", RUMP_O_RDONLY | RUMP_O_DIRECTORY));
	rv_native(rump_sys_open(OK "/d", RUMP_O_WRONLY));
	rv_native(rump_sys_open(OK "/d", RUMP_O_RDONLY | RUMP_O_CREAT |
	    RUMP_O_DIRECTORY, 0644));
	rv_native(rump_sys_open(OK "/a/", RUMP_O_RDONLY));
	rt_works(fd = rump_sys_open(OK "/d", RUMP_O_RDONLY |
	    RUMP_O_DIRECTORY));
	rump_sys_close(fd);
	rv_secret_intact(&sec);
}

/* A read-only open with O_TRUNC writes: it is decided as a write. */
static void
test_open_readonly(void **state)
{
	struct rt_stat a;
	int fd;

	(void)state;
	rv_tree();
	a = rv_lst(OK "/a");
	rv_confine(RV_RO);
	rt_works(fd = rump_sys_open(OK "/a", RUMP_O_RDONLY));
	rump_sys_close(fd);
	rt_fails(rump_sys_open(OK "/a", RUMP_O_WRONLY), EACCES);
	rt_fails(rump_sys_open(OK "/a", RUMP_O_RDWR), EACCES);
	rt_fails(rump_sys_open(OK "/a", RUMP_O_RDONLY | RUMP_O_TRUNC), EACCES);
	rt_fails(rump_sys_open(OK "/a", RUMP_O_RDONLY | RUMP_O_APPEND),
	    EACCES);
	rt_fails(rump_sys_open(OK "/n", RUMP_O_RDONLY | RUMP_O_CREAT, 0644),
	    EACCES);
	assert_false(rv_exists(OK "/n"));
	rv_same_as(OK "/a", &a);
	assert_string_equal(rv_text(OK "/a"), "a-data");
}

static void
test_openat(void **state)
{
	struct rt_stat sec;
	int okfd, nofd, afd, fd;

	(void)state;
	rv_tree();
	sec = rv_lst(NO "/secret");
	rv_proc();
	/* Opened before the policy: a descriptor is no permission. */
	rt_works(nofd = rump_sys_open(NO, RUMP_O_RDONLY | RUMP_O_DIRECTORY));
	rv_load(RV_OK);
	rt_works(okfd = rump_sys_open(OK, RUMP_O_RDONLY | RUMP_O_DIRECTORY));
	rt_works(afd = rump_sys_open(OK "/a", RUMP_O_RDONLY));

	assert_string_equal(rv_cat(okfd, "a"), "a-data");
	assert_string_equal(rv_cat(okfd, "./a"), "a-data");
	assert_string_equal(rv_cat(okfd, "d/../a"), "a-data");
	assert_string_equal(rv_cat(okfd, "../ok/a"), "a-data");
	assert_string_equal(rv_cat(okfd, "loc"), "a-data");
	assert_string_equal(rv_cat(okfd, "d/f"), "f");
	rt_fails(rump_sys_openat(okfd, "../no/secret", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_openat(okfd, NO "/secret", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_openat(okfd, "mid/secret", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_openat(okfd, "fin", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_openat(okfd, "rel", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_openat(okfd, "..", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_openat(okfd, "../no/absent", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_openat(okfd, "absent", RUMP_O_RDONLY), ENOENT);

	rt_works(fd = rump_sys_openat(okfd, "new", RUMP_O_WRONLY |
	    RUMP_O_CREAT, 0600));
	rump_sys_close(fd);
	assert_int_equal(rv_mode(OK "/new"), 0600);
	rt_fails(rump_sys_openat(okfd, "../no/new", RUMP_O_WRONLY |
	    RUMP_O_CREAT, 0600), EACCES);
	rt_fails(rump_sys_openat(okfd, "mid/new", RUMP_O_WRONLY |
	    RUMP_O_CREAT, 0600), EACCES);
	assert_false(rv_exists(NO "/new"));

	/* The directory of a descriptor is where the path starts, no more. */
	rt_fails(rump_sys_openat(nofd, "secret", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_openat(nofd, "absent", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_openat(nofd, ".", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_openat(nofd, "x", RUMP_O_WRONLY | RUMP_O_CREAT,
	    0644), EACCES);
	assert_false(rv_exists(NO "/x"));
	assert_string_equal(rv_cat(nofd, "../ok/a"), "a-data");
	assert_string_equal(rv_cat(nofd, "lnk"), "a-data");
	assert_string_equal(rv_cat(nofd, OK "/a"), "a-data");

	rt_fails(rump_sys_openat(afd, "x", RUMP_O_RDONLY), ENOTDIR);
	rt_fails(rump_sys_openat(99, "x", RUMP_O_RDONLY), EBADF);
	rv_secret_intact(&sec);
}

/* ------------------------------------------------------------------ */
/* Relative paths, the working directory, "." and ".."                */

static void
test_relative(void **state)
{
	struct rt_stat st, sec;
	int nofd, fd;
	char buf[32];

	(void)state;
	rv_tree();
	sec = rv_lst(NO "/secret");
	rv_proc();
	rt_works(nofd = rump_sys_open(NO, RUMP_O_RDONLY | RUMP_O_DIRECTORY));
	rv_load(RV_OK);

	rt_works(rump_sys_chdir(OK));
	assert_string_equal(rv_cwd(), OK);
	assert_string_equal(rv_cat(RT_AT_FDCWD, "a"), "a-data");
	rt_works(rump_sys_stat("./a", (void *)&st));
	rt_works(rump_sys_stat("d/../a", (void *)&st));
	rt_works(rump_sys_stat(".", (void *)&st));
	rt_works(rump_sys_stat("d/..", (void *)&st));
	rt_fails(rump_sys_stat("..", (void *)&st), EACCES);
	rt_fails(rump_sys_open("../no/secret", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_stat("../no/secret", (void *)&st), EACCES);
	rt_fails(rump_sys_stat("../no/absent", (void *)&st), EACCES);
	rt_fails(rump_sys_stat("absent", (void *)&st), ENOENT);
	rt_fails(rump_sys_stat("", (void *)&st), ENOENT);
	rt_fails(rump_sys_open("mid/secret", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_stat("fin", (void *)&st), EACCES);
	rt_works(rump_sys_lstat("fin", (void *)&st));
	assert_int_equal(st.st_mode & RT_S_IFMT, RT_S_IFLNK);

	/* Changes made relative to the cwd land where the cwd is. */
	rt_works(rump_sys_mkdir("n", 0755));
	assert_int_equal(rv_type(OK "/n"), RT_S_IFDIR);
	rt_fails(rump_sys_mkdir("../no/n", 0755), EACCES);
	assert_false(rv_exists(NO "/n"));
	rt_works(rump_sys_rename("a", "b"));
	assert_string_equal(rv_text(OK "/b"), "a-data");
	rt_fails(rump_sys_rename("b", "../no/b"), EACCES);
	assert_true(rv_exists(OK "/b"));
	rt_works(rump_sys_symlink("b", "sb"));
	assert_int_equal(rump_sys_readlink("sb", buf, sizeof(buf)), 1);
	rt_fails(rump_sys_unlink("../no/secret"), EACCES);
	rt_fails(rump_sys_chmod("mid/secret", 0600), EACCES);

	/* chdir: the cwd moves only where the policy says. */
	rt_fails(rump_sys_chdir("../no"), EACCES);
	assert_string_equal(rv_cwd(), OK);
	rt_fails(rump_sys_chdir("mid"), EACCES);
	rt_fails(rump_sys_chdir("mid/sub"), EACCES);
	assert_string_equal(rv_cwd(), OK);
	rt_works(rump_sys_chdir("d"));
	assert_string_equal(rv_cwd(), OK "/d");
	assert_string_equal(rv_cat(RT_AT_FDCWD, "f"), "f");
	rt_works(rump_sys_chdir(".."));
	assert_string_equal(rv_cwd(), OK);
	rt_fails(rump_sys_chdir(".."), EACCES);
	assert_string_equal(rv_cwd(), OK);

	/* fchdir (by name) into a denied directory gives nothing in it. */
	rt_works(rump_sys_fchdir(nofd));
	assert_string_equal(rv_cwd(), NO);
	rt_fails(rump_sys_open("secret", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_stat("absent", (void *)&st), EACCES);
	rt_fails(rump_sys_open("new", RUMP_O_WRONLY | RUMP_O_CREAT, 0644),
	    EACCES);
	assert_false(rv_exists(NO "/new"));
	rt_works(fd = rump_sys_open("../ok/d/f", RUMP_O_RDONLY));
	rump_sys_close(fd);
	rv_secret_intact(&sec);
}

/*
 * The name decided on is the canonical one: where the path leads, with
 * "." and ".." and links resolved, the link itself when not followed.
 */
static void
test_canonical_name(void **state)
{
	struct rt_stat st;

	(void)state;
	rv_tree();
	rt_works(rump_sys_symlink("../a", OK "/d/la"));
	rt_works(rump_sys_symlink(RT_T "//ok/./d/../a", OK "/d/lb"));
	rt_works(rump_sys_link(OK "/a", OK "/d/ha"));
	rv_confine(
	    "  - fsread: filename eq \"/t/ok/a\" then permit\n"
	    "  - fsread: filename eq \"/t/ok/d\" then permit\n"
	    "  - fsread: filename eq \"/t/ok/d/la\" then permit\n"
	    RV_BYNAME);
	assert_string_equal(rv_cat(RT_AT_FDCWD, OK "/a"), "a-data");
	assert_string_equal(rv_cat(RT_AT_FDCWD, OK "/loc"), "a-data");
	assert_string_equal(rv_cat(RT_AT_FDCWD, OK "/d/la"), "a-data");
	assert_string_equal(rv_cat(RT_AT_FDCWD, OK "/d/lb"), "a-data");
	assert_string_equal(rv_cat(RT_AT_FDCWD, OK "/d/../a"), "a-data");
	assert_string_equal(rv_cat(RT_AT_FDCWD, NO "/../ok/./a"), "a-data");
	assert_string_equal(rv_cat(RT_AT_FDCWD, OK "/mid/lnk"), "a-data");
	/* Another name of the same file is another name. */
	rt_fails(rump_sys_open(OK "/d/ha", RUMP_O_RDONLY), EACCES);
	/* Not followed: the link's own name. */
	rt_fails(rump_sys_lstat(OK "/loc", (void *)&st), EACCES);
	rt_works(rump_sys_lstat(OK "/d/la", (void *)&st));
	rt_fails(rump_sys_lstat(OK "/d/lb", (void *)&st), EACCES);
	/* Directories as themselves, however named. */
	rt_works(rump_sys_stat(OK "/d/", (void *)&st));
	rt_works(rump_sys_stat(OK "/d/.", (void *)&st));
	rt_works(rump_sys_stat(OK "/mid/../ok/d", (void *)&st));
	rt_works(rump_sys_chdir(OK "/d"));
	rt_works(rump_sys_stat(".", (void *)&st));
	assert_string_equal(rv_cat(RT_AT_FDCWD, "la"), "a-data");
	assert_string_equal(rv_cat(RT_AT_FDCWD, "../a"), "a-data");
	rt_fails(rump_sys_stat("..", (void *)&st), EACCES);
	rt_fails(rump_sys_open("f", RUMP_O_RDONLY), EACCES);
}

/* The cwd is an object: moved into a denied place, what is below it is too. */
static void
test_cwd_moved(void **state)
{
	struct rt_stat st;

	(void)state;
	rv_tree();
	rv_confine(RV_OK);
	rt_works(rump_sys_chdir(OK "/d"));
	assert_string_equal(rv_cat(RT_AT_FDCWD, "f"), "f");
	rt_admin();
	rt_works(rump_sys_rename(OK "/d", NO "/d"));
	rv_back();
	rt_fails(rump_sys_open("f", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_stat("absent", (void *)&st), EACCES);
	rt_fails(rump_sys_mkdir("x", 0755), EACCES);
	rt_fails(rump_sys_unlink("f"), EACCES);
	assert_false(rv_exists(NO "/d/x"));
	assert_true(rv_exists(NO "/d/f"));
	rt_admin();
	rt_works(rump_sys_rename(NO "/d", OK "/d"));
	rv_back();
	assert_string_equal(rv_cat(RT_AT_FDCWD, "f"), "f");
}

/* "." and ".." as last components, odd slashes: as the kernel's own calls. */
static void
test_dots(void **state)
{
	struct rt_stat st;

	(void)state;
	rv_tree();
	rt_works(rump_sys_mkdir(OK "/d2", 0755));
	rv_confine(RV_OK);
	assert_string_equal(rv_cat(RT_AT_FDCWD, RT_T "//ok///a"), "a-data");
	assert_string_equal(rv_cat(RT_AT_FDCWD, "/../t/ok/./a"), "a-data");
	assert_string_equal(rv_cat(RT_AT_FDCWD, NO "/../ok/a"), "a-data");
	rt_fails(rump_sys_open("//t/no/secret", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_open(OK "/../no/secret", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_open(OK "/d/../../no/./secret", RUMP_O_RDONLY),
	    EACCES);

	rv_native(rump_sys_rmdir(OK "/d2/."));
	rv_native(rump_sys_unlink(OK "/d2/."));
	rv_native(rump_sys_unlinkat(RT_AT_FDCWD, OK "/d2/.", RT_AT_REMOVEDIR));
	rv_native(rump_sys_mkdir(OK "/d2/.", 0755));
	rv_native(rump_sys_mkdir(OK "/d/..", 0755));
	rv_native(rump_sys_mkfifo(OK "/d2/.", 0644));
	rv_native(rump_sys_symlink("x", OK "/d2/."));
	rv_native(rump_sys_link(OK "/a", OK "/d2/."));
	rv_native(rump_sys_link(OK "/a", OK "/d/.."));
	rv_native(rump_sys_rename(OK "/d2/.", OK "/x"));
	rv_native(rump_sys_rename(OK "/d/f/..", OK "/x"));
	rv_native(rump_sys_rename(OK "/a", OK "/d2/."));
	rv_native(rump_sys_rename(OK "/a", OK "/d/.."));
	rv_native(rump_sys_open(OK "/d2/.", RUMP_O_WRONLY | RUMP_O_CREAT,
	    0644));
	/* Other refusals of the kernel itself, not the policy's. */
	rv_native(rump_sys_rmdir(OK "/a"));
	rv_native(rump_sys_rmdir(OK "/mid"));
	rv_native(rump_sys_unlink(OK "/d2"));
	rv_native(rump_sys_rmdir(OK "/d"));
	rv_native(rump_sys_unlink(OK "/a/"));
	rv_native(rump_sys_mkdir(OK "/a/x", 0755));
	rv_native(rump_sys_mkdir(OK "/fin", 0755));
	rv_native(rump_sys_mkdir(OK "/dang", 0755));
	rv_native(rump_sys_rename(OK "/d", OK "/a"));
	rv_native(rump_sys_rename(OK "/a", OK "/d"));
	rv_native(rump_sys_rename(OK, OK "/d/x"));
	rv_native(rump_sys_rename(OK "/d", OK "/d/x"));
	rv_native(rump_sys_link(OK "/d", OK "/dl"));
	rv_native(rump_sys_link(OK "/a", OK "/dang"));
	rv_native(rump_sys_chdir(OK "/a"));
	rv_native(rump_sys_truncate(OK "/d", 0));
	rv_native(rump_sys_truncate(OK "/a", -1));
	rv_native(rump_sys_mknod(OK "/ff", RT_S_IFIFO | 0600, 0));
	assert_false(rv_exists(NO "/absent"));
	assert_false(rv_exists(OK "/ff"));
	/* A directory named by "." or "..": decided as that directory. */
	rt_fails(rump_sys_rmdir(OK "/.."), EACCES);
	rt_fails(rump_sys_rmdir(NO "/empty/."), EACCES);
	rt_fails(rump_sys_stat(OK "/..", (void *)&st), EACCES);
	rt_works(rump_sys_stat(OK "/d/..", (void *)&st));
	assert_int_equal(st.st_ino, rv_lst(OK).st_ino);
	assert_true(rv_exists(NO "/empty"));
}

/* The kernel's own answer, unconfined, against the confined one. */
#define RV_NATIVE(t, call) do {						\
	int rv_e_;							\
									\
	rt_admin();							\
	rv_e_ = rt_err((int)(call));					\
	rv_back();							\
	rv_expect((t), "", #call, rt_err((int)(call)), rv_e_);		\
} while (0)

/* Removing "dir/..": what the kernel's own calls say (nothing is removed). */
static void
test_remove_dotdot(void **state)
{
	struct rv_tally t;

	(void)state;
	rv_tree();
	rv_confine(RV_OK);
	memset(&t, 0, sizeof(t));
	RV_NATIVE(&t, rump_sys_rmdir(OK "/d/.."));
	RV_NATIVE(&t, rump_sys_unlinkat(RT_AT_FDCWD, OK "/d/..",
	    RT_AT_REMOVEDIR));
	RV_NATIVE(&t, rump_sys_unlink(OK "/d/.."));
	RV_NATIVE(&t, rump_sys_rename(OK "/d/..", OK "/x"));
	rv_tally_check(&t);
	assert_true(rv_exists(OK "/d/f"));
}

/* ------------------------------------------------------------------ */
/* Names made and removed                                             */

static void
test_unlink_rmdir(void **state)
{
	struct rt_stat sec, empty;
	int okfd;

	(void)state;
	rv_tree();
	sec = rv_lst(NO "/secret");
	empty = rv_lst(NO "/empty");
	rt_mkfile(OK "/b", "b");
	rv_confine(RV_OK);
	rt_works(okfd = rump_sys_open(OK, RUMP_O_RDONLY | RUMP_O_DIRECTORY));

	rt_works(rump_sys_unlink(OK "/b"));
	assert_false(rv_exists(OK "/b"));
	rt_fails(rump_sys_unlink(NO "/secret"), EACCES);
	rt_fails(rump_sys_unlink(OK "/mid/secret"), EACCES);
	rt_fails(rump_sys_unlinkat(okfd, "../no/secret", 0), EACCES);
	rt_fails(rump_sys_unlinkat(okfd, "mid/secret", 0), EACCES);
	rt_fails(rump_sys_unlink(NO "/lnk"), EACCES);
	assert_true(rv_exists(NO "/lnk"));
	/* A link is removed as itself, its target stays. */
	rt_works(rump_sys_unlink(OK "/fin"));
	assert_false(rv_exists(OK "/fin"));
	rt_works(rump_sys_unlinkat(okfd, "rel", 0));
	assert_false(rv_exists(OK "/rel"));
	rt_works(rump_sys_unlink(OK "/dang"));
	rt_works(rump_sys_unlinkat(okfd, "loc", 0));
	assert_string_equal(rv_text(OK "/a"), "a-data");
	rv_secret_intact(&sec);

	rt_works(rump_sys_unlinkat(okfd, "d/f", 0));
	rt_works(rump_sys_unlinkat(okfd, "d", RT_AT_REMOVEDIR));
	assert_false(rv_exists(OK "/d"));
	rt_works(rump_sys_rmdir(OK "/e"));
	assert_false(rv_exists(OK "/e"));
	rt_fails(rump_sys_rmdir(NO "/empty"), EACCES);
	rt_fails(rump_sys_rmdir(OK "/mid/empty"), EACCES);
	rt_fails(rump_sys_unlinkat(RT_AT_FDCWD, NO "/empty", RT_AT_REMOVEDIR),
	    EACCES);
	rt_fails(rump_sys_unlinkat(okfd, "../no/empty", RT_AT_REMOVEDIR),
	    EACCES);
	rv_same_as(NO "/empty", &empty);
	/* The link to a directory is a link: rmdir does not follow it. */
	rv_native(rump_sys_rmdir(OK "/mid"));
	assert_true(rv_exists(OK "/mid"));
	rt_fails(rump_sys_unlink(NO "/absent"), EACCES);
	rt_fails(rump_sys_unlink(OK "/absent"), ENOENT);
	rt_fails(rump_sys_rmdir(NO "/absent"), EACCES);
	rt_fails(rump_sys_rmdir(OK "/absent"), ENOENT);
	rt_works(rump_sys_unlink(OK "/mid"));
	assert_true(rv_exists(NO "/sub/s2"));
}

static void
test_rename(void **state)
{
	struct rt_stat sec, st;
	int okfd, e1, e2;
	char buf[32];

	(void)state;
	rv_tree();
	sec = rv_lst(NO "/secret");
	/* Two pairs of hard links, one pair for the kernel's own rename. */
	rt_mkfile(OK "/h1", "h");
	rt_works(rump_sys_link(OK "/h1", OK "/h2"));
	rt_mkfile(OK "/g1", "g");
	rt_works(rump_sys_link(OK "/g1", OK "/g2"));
	rt_mkfile(OK "/p1", "p");
	rt_works(rump_sys_link(OK "/p1", OK "/p2"));
	rt_mkfile(OK "/q1", "q");
	rt_works(rump_sys_link(OK "/q1", OK "/q2"));
	rv_confine(RV_OK);
	rt_works(okfd = rump_sys_open(OK, RUMP_O_RDONLY | RUMP_O_DIRECTORY));

	rt_works(rump_sys_rename(OK "/a", OK "/b"));
	assert_false(rv_exists(OK "/a"));
	assert_string_equal(rv_text(OK "/b"), "a-data");
	rt_fails(rump_sys_rename(NO "/secret", OK "/s"), EACCES);
	rt_fails(rump_sys_rename(OK "/mid/secret", OK "/s"), EACCES);
	rt_fails(rump_sys_rename(OK "/b", NO "/b"), EACCES);
	rt_fails(rump_sys_rename(OK "/b", OK "/mid/b"), EACCES);
	rt_fails(rump_sys_rename(OK "/b", NO "/secret"), EACCES);
	rt_fails(rump_sys_rename(NO "/absent", OK "/s"), EACCES);
	assert_false(rv_exists(OK "/s"));
	assert_false(rv_exists(NO "/b"));
	assert_string_equal(rv_text(OK "/b"), "a-data");
	rv_secret_intact(&sec);

	/* The link is what moves, not its target. */
	rt_works(rump_sys_rename(OK "/fin", OK "/fin2"));
	assert_int_equal(rv_type(OK "/fin2"), RT_S_IFLNK);
	assert_int_equal(rump_sys_readlink(OK "/fin2", buf, sizeof(buf)), 12);
	assert_memory_equal(buf, NO "/secret", 12);
	/* A link as the new name is replaced, its target not made. */
	rt_works(rump_sys_rename(OK "/b", OK "/dang"));
	assert_int_equal(rv_type(OK "/dang"), RT_S_IFREG);
	assert_string_equal(rv_text(OK "/dang"), "a-data");
	assert_false(rv_exists(NO "/absent"));
	rt_works(rump_sys_rename(OK "/dang", OK "/rel"));
	assert_int_equal(rv_type(OK "/rel"), RT_S_IFREG);
	rv_secret_intact(&sec);

	/* renameat and __posix_rename. */
	rt_works(rump_sys_renameat(okfd, "rel", okfd, "c"));
	assert_string_equal(rv_text(OK "/c"), "a-data");
	rt_fails(rump_sys_renameat(okfd, "c", okfd, "../no/c"), EACCES);
	rt_fails(rump_sys_renameat(okfd, "../no/secret", okfd, "c2"), EACCES);
	rt_fails(rump_sys_renameat(okfd, "c", okfd, "mid/c"), EACCES);
	rt_works(rump_sys___posix_rename(OK "/c", OK "/e2"));
	rt_fails(rump_sys___posix_rename(OK "/e2", NO "/e2"), EACCES);
	rt_fails(rump_sys___posix_rename(NO "/secret", OK "/e3"), EACCES);
	assert_true(rv_exists(OK "/e2"));
	assert_false(rv_exists(NO "/e2"));
	rt_works(rump_sys_rename(OK "/e2", OK "/e2"));
	assert_true(rv_exists(OK "/e2"));

	/* Directories. */
	rt_works(rump_sys_rename(OK "/d", OK "/dd"));
	assert_string_equal(rv_text(OK "/dd/f"), "f");
	rt_fails(rump_sys_rename(OK "/dd", NO "/dd"), EACCES);
	rt_fails(rump_sys_rename(NO "/sub", OK "/sub"), EACCES);
	rt_fails(rump_sys_rename(OK "/e", NO "/empty"), EACCES);
	assert_true(rv_exists(OK "/dd/f"));
	assert_true(rv_exists(NO "/sub/s2"));
	assert_true(rv_exists(OK "/e"));
	assert_true(rv_exists(NO "/empty"));

	/* Two names of one file: as the kernel's rename and __posix_rename. */
	rt_admin();
	e1 = rt_err(rump_sys_rename(OK "/g1", OK "/g2"));
	e2 = rt_err(rump_sys___posix_rename(OK "/q1", OK "/q2"));
	rv_back();
	rt_fails(rump_sys_rename(OK "/h1", OK "/h2"), e1);
	rt_fails(rump_sys___posix_rename(OK "/p1", OK "/p2"), e2);
	assert_int_equal(rv_exists(OK "/h1"), rv_exists(OK "/g1"));
	assert_int_equal(rv_exists(OK "/p1"), rv_exists(OK "/q1"));
	assert_int_equal(rv_lst(OK "/h2").st_nlink, rv_lst(OK "/g2").st_nlink);
	assert_int_equal(rv_lst(OK "/p2").st_nlink, rv_lst(OK "/q2").st_nlink);
	rt_works(rump_sys_stat(OK "/h2", (void *)&st));
}

static void
test_mkdir(void **state)
{
	struct rt_stat st;
	int okfd;

	(void)state;
	rv_tree();
	/* World-writable directories are refused: the mode is decided on. */
	rv_confine("  - mkdir: mode sub 02 then deny\n" RV_OK);
	rt_works(okfd = rump_sys_open(OK, RUMP_O_RDONLY | RUMP_O_DIRECTORY));

	rt_works(rump_sys_mkdir(OK "/n", 0750));
	assert_int_equal(rv_type(OK "/n"), RT_S_IFDIR);
	assert_int_equal(rv_mode(OK "/n"), 0750);
	rt_fails(rump_sys_mkdir(OK "/w", 0777), EACCES);
	assert_false(rv_exists(OK "/w"));
	rt_fails(rump_sys_mkdir(NO "/n", 0755), EACCES);
	rt_fails(rump_sys_mkdir(OK "/mid/n", 0755), EACCES);
	assert_false(rv_exists(NO "/n"));
	rt_fails(rump_sys_mkdir(NO "/secret", 0755), EACCES);
	rt_fails(rump_sys_mkdir(NO "/sub", 0755), EACCES);
	rt_fails(rump_sys_mkdir(OK "/a", 0755), EEXIST);
	rt_fails(rump_sys_mkdir(OK "/dang", 0755), EEXIST);
	assert_false(rv_exists(NO "/absent"));
	rt_works(rump_sys_mkdir(OK "/n2/", 0755));
	assert_int_equal(rv_type(OK "/n2"), RT_S_IFDIR);
	rt_works(rump_sys_mkdirat(okfd, "m", 0700));
	assert_int_equal(rv_mode(OK "/m"), 0700);
	rt_works(rump_sys_mkdirat(okfd, "d/../m2", 0700));
	assert_true(rv_exists(OK "/m2"));
	rt_fails(rump_sys_mkdirat(okfd, "../no/m", 0700), EACCES);
	rt_fails(rump_sys_mkdirat(okfd, "mid/m", 0700), EACCES);
	assert_false(rv_exists(NO "/m"));
	rt_fails(rump_sys_mkdir(NO "/absent/x", 0755), EACCES);
	rt_fails(rump_sys_mkdir(OK "/absent/x", 0755), ENOENT);
	rt_works(rump_sys_stat(OK "/m", (void *)&st));
}

static void
test_mkfifo_mknod(void **state)
{
	struct rt_stat st;
	int okfd;

	(void)state;
	rv_tree();
	/* No character devices: the mode with its type is decided on. */
	rv_confine("  - mkdir: mode sub 020000 then deny\n" RV_OK);
	rt_works(okfd = rump_sys_open(OK, RUMP_O_RDONLY | RUMP_O_DIRECTORY));

	rt_works(rump_sys_mkfifo(OK "/f", 0600));
	assert_int_equal(rv_type(OK "/f"), RT_S_IFIFO);
	assert_int_equal(rv_mode(OK "/f"), 0600);
	rt_fails(rump_sys_mkfifo(NO "/f", 0600), EACCES);
	rt_fails(rump_sys_mkfifo(OK "/mid/f", 0600), EACCES);
	assert_false(rv_exists(NO "/f"));
	rt_works(rump_sys_mkfifoat(okfd, "g", 0640));
	assert_int_equal(rv_type(OK "/g"), RT_S_IFIFO);
	rt_fails(rump_sys_mkfifoat(okfd, "../no/g", 0640), EACCES);
	assert_false(rv_exists(NO "/g"));
	rt_fails(rump_sys_mkfifo(OK "/a", 0600), EEXIST);
	rt_fails(rump_sys_mkfifo(NO "/secret", 0600), EACCES);
	rt_fails(rump_sys_mkfifo(OK "/dang", 0600), EEXIST);
	assert_false(rv_exists(NO "/absent"));

	rt_fails(rump_sys_mknod(OK "/c", RV_S_IFCHR | 0600, RV_DEV), EACCES);
	rt_fails(rump_sys_mknodat(okfd, "c", RV_S_IFCHR | 0600, RV_DEV),
	    EACCES);
	assert_false(rv_exists(OK "/c"));
	rv_end();

	rv_confine(RV_OK);
	rt_works(okfd = rump_sys_open(OK, RUMP_O_RDONLY | RUMP_O_DIRECTORY));
	rt_works(rump_sys_mknod(OK "/c", RV_S_IFCHR | 0600, RV_DEV));
	st = rv_lst(OK "/c");
	assert_int_equal(st.st_mode & RT_S_IFMT, RV_S_IFCHR);
	assert_int_equal(st.st_rdev, RV_DEV);
	rt_fails(rump_sys_mknod(NO "/c", RV_S_IFCHR | 0600, RV_DEV), EACCES);
	rt_fails(rump_sys_mknod(OK "/mid/c", RV_S_IFCHR | 0600, RV_DEV),
	    EACCES);
	assert_false(rv_exists(NO "/c"));
	rt_works(rump_sys_mknodat(okfd, "c2", RV_S_IFCHR | 0600, RV_DEV));
	assert_int_equal(rv_type(OK "/c2"), RV_S_IFCHR);
	rt_fails(rump_sys_mknodat(okfd, "../no/c2", RV_S_IFCHR | 0600,
	    RV_DEV), EACCES);
	assert_false(rv_exists(NO "/c2"));
	rt_works(rump_sys_mknod(OK "/r", RT_S_IFREG | 0600, 0));
	assert_int_equal(rv_type(OK "/r"), RT_S_IFREG);
	rt_fails(rump_sys_mknod(NO "/r", RT_S_IFREG | 0600, 0), EACCES);
	assert_false(rv_exists(NO "/r"));
}

static void
test_link(void **state)
{
	struct rt_stat sec, a;
	char buf[32];
	int okfd;

	(void)state;
	rv_tree();
	sec = rv_lst(NO "/secret");
	a = rv_lst(OK "/a");
	rv_confine(RV_OK);
	rt_works(okfd = rump_sys_open(OK, RUMP_O_RDONLY | RUMP_O_DIRECTORY));

	rt_works(rump_sys_link(OK "/a", OK "/h"));
	assert_int_equal(rv_lst(OK "/h").st_ino, a.st_ino);
	assert_int_equal(rv_lst(OK "/a").st_nlink, 2);
	rt_fails(rump_sys_link(NO "/secret", OK "/h2"), EACCES);
	rt_fails(rump_sys_link(OK "/a", NO "/h3"), EACCES);
	rt_fails(rump_sys_link(OK "/a", OK "/mid/h3"), EACCES);
	rt_fails(rump_sys_link(OK "/mid/secret", OK "/h4"), EACCES);
	/* link(2) follows a link: decided on, and links, the target. */
	rt_fails(rump_sys_link(OK "/fin", OK "/h5"), EACCES);
	rt_fails(rump_sys_link(OK "/rel", OK "/h5"), EACCES);
	rt_works(rump_sys_link(OK "/loc", OK "/h6"));
	assert_int_equal(rv_lst(OK "/h6").st_ino, a.st_ino);
	assert_false(rv_exists(OK "/h2"));
	assert_false(rv_exists(NO "/h3"));
	assert_false(rv_exists(OK "/h4"));
	assert_false(rv_exists(OK "/h5"));
	/* linkat without AT_SYMLINK_FOLLOW links the link itself. */
	rt_works(rump_sys_linkat(RT_AT_FDCWD, OK "/fin", RT_AT_FDCWD,
	    OK "/h7", 0));
	assert_int_equal(rv_type(OK "/h7"), RT_S_IFLNK);
	assert_int_equal(rump_sys_readlink(OK "/h7", buf, sizeof(buf)), 12);
	rt_fails(rump_sys_linkat(RT_AT_FDCWD, OK "/fin", RT_AT_FDCWD,
	    OK "/h8", RT_AT_SYMLINK_FOLLOW), EACCES);
	assert_false(rv_exists(OK "/h8"));
	rt_works(rump_sys_linkat(okfd, "a", okfd, "h9", 0));
	assert_int_equal(rv_lst(OK "/h9").st_ino, a.st_ino);
	rt_fails(rump_sys_linkat(okfd, "../no/secret", okfd, "h10", 0),
	    EACCES);
	rt_fails(rump_sys_linkat(okfd, "a", okfd, "../no/h11", 0), EACCES);
	rt_fails(rump_sys_linkat(okfd, "mid/secret", okfd, "h12", 0), EACCES);
	assert_false(rv_exists(OK "/h10"));
	assert_false(rv_exists(NO "/h11"));
	rt_fails(rump_sys_link(OK "/a", OK "/h"), EEXIST);
	rt_fails(rump_sys_link(OK "/a", NO "/secret"), EACCES);
	rt_fails(rump_sys_link(NO "/absent", OK "/h13"), EACCES);
	rt_fails(rump_sys_link(OK "/a", NO "/absent/x"), EACCES);
	rt_fails(rump_sys_link(OK "/a", OK "/absent/x"), ENOENT);
	assert_int_equal(rv_lst(OK "/a").st_nlink, 4);	/* a h h6 h9 */
	rv_secret_intact(&sec);
}

static void
test_symlink(void **state)
{
	char buf[32];
	int okfd;

	(void)state;
	rv_tree();
	rv_confine(RV_OK);
	rt_works(okfd = rump_sys_open(OK, RUMP_O_RDONLY | RUMP_O_DIRECTORY));

	/* Where the link goes is decided; it may point anywhere. */
	rt_works(rump_sys_symlink(NO "/secret", OK "/s"));
	assert_int_equal(rv_type(OK "/s"), RT_S_IFLNK);
	assert_int_equal(rump_sys_readlink(OK "/s", buf, sizeof(buf)), 12);
	assert_memory_equal(buf, NO "/secret", 12);
	rt_fails(rump_sys_open(OK "/s", RUMP_O_RDONLY), EACCES);
	rt_fails(rump_sys_symlink(OK "/a", NO "/s"), EACCES);
	rt_fails(rump_sys_symlink("a", OK "/mid/s"), EACCES);
	assert_false(rv_exists(NO "/s"));
	rt_works(rump_sys_symlinkat("a", okfd, "s2"));
	assert_int_equal(rump_sys_readlink(OK "/s2", buf, sizeof(buf)), 1);
	assert_string_equal(rv_cat(RT_AT_FDCWD, OK "/s2"), "a-data");
	rt_fails(rump_sys_symlinkat("a", okfd, "../no/s3"), EACCES);
	assert_false(rv_exists(NO "/s3"));
	rt_fails(rump_sys_symlink("x", OK "/fin"), EEXIST);
	rt_fails(rump_sys_symlink("x", OK "/dang"), EEXIST);
	rt_fails(rump_sys_symlink("x", NO "/secret"), EACCES);
	rt_fails(rump_sys_symlink("x", NO "/absent/s"), EACCES);
	rt_fails(rump_sys_symlink("x", OK "/absent/s"), ENOENT);
	assert_false(rv_exists(NO "/absent"));
}

/* policy.5: filename2 of symlink is the text of the link. */
static void
test_symlink_text(void **state)
{
	struct rv_tally t;
	const char *p = "symlink";

	(void)state;
	rv_tree();
	memset(&t, 0, sizeof(t));
	/* A rule that denies links pointing into /t/no ... */
	rv_confine(
	    "  - symlink: filename2 inpath \"/t/no\" then deny\n" RV_OK);
	RV_EXPECT(&t, rump_sys_symlink(NO "/secret", OK "/s"), EACCES);
	RV_EXPECT(&t, rump_sys_symlink("../no/secret", OK "/s1"), 0);
	rv_end();
	/* ... and one that permits only links with the text "a". */
	rv_confine(
	    "  - symlink: filename inpath \"/t/ok\" and filename2 eq \"a\" "
	    "then permit\n"
	    "  - symlink: then deny\n" RV_OK);
	RV_EXPECT(&t, rump_sys_symlink("a", OK "/s2"), 0);
	RV_EXPECT(&t, rump_sys_symlink("b", OK "/s3"), EACCES);
	rv_tally_check(&t);
	assert_false(rv_exists(OK "/s"));
	assert_int_equal(rv_type(OK "/s2"), RT_S_IFLNK);
}

/* ------------------------------------------------------------------ */
/* Attributes                                                         */

/*
 * Extended attributes of the system namespace (ACLs, capabilities,
 * labels) are set as a chmod to mode 07777: a rule on mode refuses them;
 * one of the user namespace has no mode, and the rule passes it by (the
 * file system's own answer then stands).
 */
#define RV_NS_USER	1	/* EXTATTR_NAMESPACE_USER */
#define RV_NS_SYSTEM	2	/* EXTATTR_NAMESPACE_SYSTEM */

static void
test_xattr_mode(void **state)
{
	int e;

	(void)state;
	rv_tree();
	rv_confine("  - chmod: mode sub 04000 then deny\n" RV_OK);
	rt_fails(rump_sys_extattr_set_file(OK "/a", RV_NS_SYSTEM, "acl", "v",
	    1), EACCES);
	rt_fails(rump_sys_setxattr(OK "/a", "security.capability", "v", 1, 0),
	    EACCES);
	rt_fails(rump_sys_setxattr(OK "/a", "trusted.x", "v", 1, 0), EACCES);
	e = rt_err(rump_sys_extattr_set_file(OK "/a", RV_NS_USER, "x", "v", 1));
	assert_int_not_equal(e, EACCES);
	e = rt_err(rump_sys_setxattr(OK "/a", "user.x", "v", 1, 0));
	assert_int_not_equal(e, EACCES);
	/* outside /t/ok: the path decides, whatever the namespace */
	rt_fails(rump_sys_setxattr(NO "/secret", "user.x", "v", 1, 0), EACCES);
	rv_end();
}

static void
test_chmod(void **state)
{
	struct rt_stat sec, lnk;
	int okfd;

	(void)state;
	rv_tree();
	sec = rv_lst(NO "/secret");
	lnk = rv_lst(NO "/lnk");
	/* No set-user-ID: the mode is decided on. */
	rv_confine("  - chmod: mode sub 04000 then deny\n" RV_OK);
	rt_works(okfd = rump_sys_open(OK, RUMP_O_RDONLY | RUMP_O_DIRECTORY));

	rt_works(rump_sys_chmod(OK "/a", 0600));
	assert_int_equal(rv_mode(OK "/a"), 0600);
	rt_fails(rump_sys_chmod(OK "/a", 04755), EACCES);
	assert_int_equal(rv_mode(OK "/a"), 0600);
	rt_fails(rump_sys_chmod(NO "/secret", 0600), EACCES);
	rt_fails(rump_sys_chmod(OK "/fin", 0600), EACCES);
	rt_fails(rump_sys_chmod(OK "/rel", 0600), EACCES);
	rt_fails(rump_sys_chmod(OK "/mid/secret", 0600), EACCES);
	rt_fails(rump_sys_fchmodat(RT_AT_FDCWD, OK "/fin", 0600, 0), EACCES);
	rt_fails(rump_sys_fchmodat(okfd, "../no/secret", 0600, 0), EACCES);
	rt_fails(rump_sys_fchmodat(okfd, "mid/secret", 0600, 0), EACCES);
	rv_secret_intact(&sec);
	/* Followed to a permitted file: done on that file. */
	rt_works(rump_sys_chmod(OK "/loc", 0640));
	assert_int_equal(rv_mode(OK "/a"), 0640);
	rt_works(rump_sys_chmod(NO "/lnk", 0604));
	assert_int_equal(rv_mode(OK "/a"), 0604);
	rv_same_as(NO "/lnk", &lnk);
	rt_works(rump_sys_fchmodat(okfd, "a", 0644, 0));
	assert_int_equal(rv_mode(OK "/a"), 0644);
	/* Not followed: the link's own mode, its target untouched. */
	rt_works(rump_sys_lchmod(OK "/fin", 0700));
	assert_int_equal(rv_mode(OK "/fin"), 0700);
	rt_works(rump_sys_fchmodat(RT_AT_FDCWD, OK "/rel", 0750,
	    RT_AT_SYMLINK_NOFOLLOW));
	assert_int_equal(rv_mode(OK "/rel"), 0750);
	rt_works(rump_sys_lchmod(OK "/loc", 0500));
	assert_int_equal(rv_mode(OK "/a"), 0644);
	rt_fails(rump_sys_lchmod(NO "/lnk", 0600), EACCES);
	rv_same_as(NO "/lnk", &lnk);
	rv_secret_intact(&sec);
	rt_works(rump_sys_chmod(OK "/d", 0700));
	assert_int_equal(rv_mode(OK "/d"), 0700);
	rt_fails(rump_sys_chmod(NO "/absent", 0600), EACCES);
	rt_fails(rump_sys_chmod(OK "/absent", 0600), ENOENT);
}

static void
test_chown(void **state)
{
	static const char *const f[] = { OK "/x1", OK "/x2", OK "/y1",
	    OK "/y2" };
	struct rt_stat sec, lnk, st;
	size_t i;
	int okfd;

	(void)state;
	rv_tree();
	sec = rv_lst(NO "/secret");
	lnk = rv_lst(NO "/lnk");
	for (i = 0; i < __arraycount(f); i++) {
		rt_mkfile(f[i], "x");
		rt_works(rump_sys_chmod(f[i], 06755));
	}
	/* Not to root: the owner is decided on. */
	rv_confine("  - chown: uid eq 0 then deny\n" RV_OK);
	rt_works(okfd = rump_sys_open(OK, RUMP_O_RDONLY | RUMP_O_DIRECTORY));

	rt_works(rump_sys_chown(OK "/a", 5, 6));
	st = rv_lst(OK "/a");
	assert_int_equal(st.st_uid, 5);
	assert_int_equal(st.st_gid, 6);
	rt_works(rump_sys_chown(OK "/a", -1, 7));
	st = rv_lst(OK "/a");
	assert_int_equal(st.st_uid, 5);
	assert_int_equal(st.st_gid, 7);
	rt_fails(rump_sys_chown(OK "/a", 0, 0), EACCES);
	assert_int_equal(rv_lst(OK "/a").st_uid, 5);
	rt_fails(rump_sys_chown(NO "/secret", 5, 6), EACCES);
	rt_fails(rump_sys_chown(OK "/fin", 5, 6), EACCES);
	rt_fails(rump_sys___posix_chown(OK "/rel", 5, 6), EACCES);
	rt_fails(rump_sys_chown(OK "/mid/secret", 5, 6), EACCES);
	rt_fails(rump_sys_fchownat(okfd, "fin", 5, 6, 0), EACCES);
	rt_fails(rump_sys_fchownat(okfd, "../no/secret", 5, 6, 0), EACCES);
	rt_fails(rump_sys_lchown(NO "/lnk", 5, 6), EACCES);
	rt_fails(rump_sys___posix_lchown(NO "/lnk", 5, 6), EACCES);
	rv_same_as(NO "/lnk", &lnk);
	rv_secret_intact(&sec);
	rt_works(rump_sys___posix_chown(OK "/loc", 9, 9));
	assert_int_equal(rv_lst(OK "/a").st_uid, 9);
	rt_works(rump_sys_fchownat(okfd, "a", 1, 1, 0));
	assert_int_equal(rv_lst(OK "/a").st_uid, 1);
	/* Not followed: the link is what changes owner. */
	rt_works(rump_sys_lchown(OK "/fin", 7, 8));
	assert_int_equal(rv_lst(OK "/fin").st_uid, 7);
	assert_int_equal(rv_lst(OK "/fin").st_gid, 8);
	rt_works(rump_sys___posix_lchown(OK "/rel", 3, 3));
	assert_int_equal(rv_lst(OK "/rel").st_uid, 3);
	rt_works(rump_sys_fchownat(okfd, "loc", 2, 2,
	    RT_AT_SYMLINK_NOFOLLOW));
	assert_int_equal(rv_lst(OK "/loc").st_uid, 2);
	assert_int_equal(rv_lst(OK "/a").st_uid, 1);
	rv_secret_intact(&sec);

	/* The set-ID bits go as the kernel's own chown and __posix_chown do. */
	rt_admin();
	rt_works(rump_sys_chown(OK "/x1", 5, -1));
	rt_works(rump_sys___posix_chown(OK "/y1", 5, 6));
	rv_back();
	rt_works(rump_sys_chown(OK "/x2", 5, -1));
	rt_works(rump_sys___posix_chown(OK "/y2", 5, 6));
	assert_int_equal(rv_mode(OK "/x2"), rv_mode(OK "/x1"));
	assert_int_equal(rv_mode(OK "/y2"), rv_mode(OK "/y1"));
	rt_fails(rump_sys_chown(NO "/absent", 5, 6), EACCES);
	rt_fails(rump_sys_chown(OK "/absent", 5, 6), ENOENT);
}

static void
test_chflags(void **state)
{
	struct rt_stat sec, lnk;

	(void)state;
	rv_tree();
	sec = rv_lst(NO "/secret");
	lnk = rv_lst(NO "/lnk");
	rv_confine(RV_OK);
	rt_works(rump_sys_chflags(OK "/a", RV_UF_NODUMP));
	assert_int_equal(rv_lst(OK "/a").st_flags, RV_UF_NODUMP);
	rt_fails(rump_sys_chflags(NO "/secret", RV_UF_NODUMP), EACCES);
	rt_fails(rump_sys_chflags(OK "/fin", RV_UF_NODUMP), EACCES);
	rt_fails(rump_sys_chflags(OK "/mid/secret", RV_UF_NODUMP), EACCES);
	rt_fails(rump_sys_lchflags(NO "/lnk", RV_UF_NODUMP), EACCES);
	rv_same_as(NO "/lnk", &lnk);
	rv_secret_intact(&sec);
	rt_works(rump_sys_lchflags(OK "/fin", RV_UF_NODUMP));
	assert_int_equal(rv_lst(OK "/fin").st_flags, RV_UF_NODUMP);
	rt_works(rump_sys_chflags(OK "/loc", 0));
	assert_int_equal(rv_lst(OK "/a").st_flags, 0);
	rt_works(rump_sys_chflags(NO "/lnk", RV_UF_NODUMP));
	assert_int_equal(rv_lst(OK "/a").st_flags, RV_UF_NODUMP);
	rv_secret_intact(&sec);
	rt_fails(rump_sys_chflags(NO "/absent", 0), EACCES);
	rt_fails(rump_sys_chflags(OK "/absent", 0), ENOENT);
}

static void
test_utimes(void **state)
{
	struct timeval tv[2] = { { 1000, 0 }, { 2000, 0 } };
	struct timeval tv3[2] = { { 3000, 0 }, { 3000, 0 } };
	struct timespec ts[2] = { { 4000, 0 }, { 5000, 0 } };
	struct rt_stat sec, lnk, st;
	int okfd;

	(void)state;
	rv_tree();
	sec = rv_lst(NO "/secret");
	lnk = rv_lst(NO "/lnk");
	rv_confine(RV_OK);
	rt_works(okfd = rump_sys_open(OK, RUMP_O_RDONLY | RUMP_O_DIRECTORY));

	rt_works(rump_sys_utimes(OK "/a", tv));
	st = rv_lst(OK "/a");
	assert_int_equal(st.st_times[0], 1000);
	assert_int_equal(st.st_times[2], 2000);
	rt_fails(rump_sys_utimes(NO "/secret", tv), EACCES);
	rt_fails(rump_sys_utimes(OK "/fin", tv), EACCES);
	rt_fails(rump_sys_utimes(OK "/mid/secret", NULL), EACCES);
	rt_fails(rump_sys_lutimes(NO "/lnk", tv), EACCES);
	rt_fails(rump_sys_utimensat(RT_AT_FDCWD, OK "/rel", ts, 0), EACCES);
	rt_fails(rump_sys_utimensat(okfd, "../no/secret", ts, 0), EACCES);
	rv_same_as(NO "/lnk", &lnk);
	rv_secret_intact(&sec);
	rt_works(rump_sys_utimes(OK "/loc", tv3));
	assert_int_equal(rv_lst(OK "/a").st_times[2], 3000);
	rt_works(rump_sys_lutimes(OK "/fin", tv));
	assert_int_equal(rv_lst(OK "/fin").st_times[2], 2000);
	rt_works(rump_sys_utimensat(okfd, "a", ts, 0));
	assert_int_equal(rv_lst(OK "/a").st_times[2], 5000);
	rt_works(rump_sys_utimensat(RT_AT_FDCWD, OK "/rel", ts,
	    RT_AT_SYMLINK_NOFOLLOW));
	assert_int_equal(rv_lst(OK "/rel").st_times[2], 5000);
	rt_works(rump_sys_utimes(OK "/a", NULL));
	assert_true(rv_lst(OK "/a").st_times[2] > 1000000000);
	rv_secret_intact(&sec);
	rt_fails(rump_sys_utimes(NO "/absent", NULL), EACCES);
	rt_fails(rump_sys_utimes(OK "/absent", NULL), ENOENT);
}

static void
test_truncate(void **state)
{
	struct rt_stat sec;

	(void)state;
	rv_tree();
	sec = rv_lst(NO "/secret");
	rv_confine(RV_OK);
	rt_works(rump_sys_truncate(OK "/a", 2));
	assert_string_equal(rv_text(OK "/a"), "a-");
	rt_fails(rump_sys_truncate(NO "/secret", 0), EACCES);
	rt_fails(rump_sys_truncate(OK "/fin", 0), EACCES);
	rt_fails(rump_sys_truncate(OK "/rel", 0), EACCES);
	rt_fails(rump_sys_truncate(OK "/mid/secret", 0), EACCES);
	rv_secret_intact(&sec);
	rt_works(rump_sys_truncate(OK "/loc", 1));
	assert_string_equal(rv_text(OK "/a"), "a");
	rt_works(rump_sys_truncate(NO "/lnk", 0));
	assert_int_equal(rv_lst(OK "/a").st_size, 0);
	rv_native(rump_sys_truncate(OK "/d", 0));
	rt_fails(rump_sys_truncate(NO "/absent", 0), EACCES);
	rt_fails(rump_sys_truncate(OK "/absent", 0), ENOENT);
	rt_works(rump_sys_chdir(OK "/d"));
	rt_works(rump_sys_truncate("f", 0));
	assert_int_equal(rv_lst(OK "/d/f").st_size, 0);
	rt_fails(rump_sys_truncate("../../no/secret", 0), EACCES);
	rv_secret_intact(&sec);
}

/* ------------------------------------------------------------------ */
/* Calls that look                                                    */

static void
test_readlink(void **state)
{
	char buf[64];
	int okfd, nofd;

	(void)state;
	rv_tree();
	rv_proc();
	rt_works(nofd = rump_sys_open(NO, RUMP_O_RDONLY | RUMP_O_DIRECTORY));
	rv_load(RV_OK);
	rt_works(okfd = rump_sys_open(OK, RUMP_O_RDONLY | RUMP_O_DIRECTORY));

	/* Decided on the link, wherever it points. */
	memset(buf, 0, sizeof(buf));
	assert_int_equal(rump_sys_readlink(OK "/fin", buf, sizeof(buf)), 12);
	assert_string_equal(buf, NO "/secret");
	memset(buf, 0, sizeof(buf));
	assert_int_equal(rump_sys_readlink(OK "/fin", buf, 4), 4);
	assert_string_equal(buf, "/t/n");
	memset(buf, 0, sizeof(buf));
	assert_int_equal(rump_sys_readlinkat(okfd, "rel", buf, sizeof(buf)),
	    12);
	assert_string_equal(buf, "../no/secret");
	memset(buf, 0, sizeof(buf));
	assert_int_equal(rump_sys_readlinkat(nofd, "../ok/mid", buf,
	    sizeof(buf)), 5);
	assert_string_equal(buf, NO);
	/* A link in a denied directory, however it is reached. */
	rt_fails(rump_sys_readlink(NO "/lnk", buf, sizeof(buf)), EACCES);
	rt_fails(rump_sys_readlink(OK "/mid/lnk", buf, sizeof(buf)), EACCES);
	rt_fails(rump_sys_readlinkat(okfd, "../no/lnk", buf, sizeof(buf)),
	    EACCES);
	rt_fails(rump_sys_readlinkat(okfd, "mid/lnk", buf, sizeof(buf)),
	    EACCES);
	rt_fails(rump_sys_readlinkat(nofd, "lnk", buf, sizeof(buf)), EACCES);
	rv_native(rump_sys_readlink(OK "/a", buf, sizeof(buf)));
	rt_fails(rump_sys_readlink(NO "/absent", buf, sizeof(buf)), EACCES);
	rt_fails(rump_sys_readlink(OK "/absent", buf, sizeof(buf)), ENOENT);
	rt_works(rump_sys_chdir(OK));
	memset(buf, 0, sizeof(buf));
	assert_int_equal(rump_sys_readlink("loc", buf, sizeof(buf)), 1);
	assert_string_equal(buf, "a");
}

static void
test_access(void **state)
{
	int okfd;

	(void)state;
	rv_tree();
	/* Asking for write access is refused: the mode is decided on. */
	rv_confine("  - access: mode sub 2 then deny\n" RV_OK);
	rt_works(okfd = rump_sys_open(OK, RUMP_O_RDONLY | RUMP_O_DIRECTORY));

	rt_works(rump_sys_access(OK "/a", RV_R_OK));
	rt_works(rump_sys_access(OK "/a", RV_F_OK));
	rt_fails(rump_sys_access(OK "/a", RV_W_OK), EACCES);
	rt_fails(rump_sys_access(NO "/secret", RV_F_OK), EACCES);
	rt_fails(rump_sys_access(NO "/secret", RV_R_OK), EACCES);
	rt_fails(rump_sys_access(OK "/fin", RV_F_OK), EACCES);
	rt_fails(rump_sys_access(OK "/mid/secret", RV_F_OK), EACCES);
	rt_works(rump_sys_access(OK "/loc", RV_R_OK));
	rt_works(rump_sys_faccessat(RT_AT_FDCWD, OK "/fin", RV_F_OK,
	    RT_AT_SYMLINK_NOFOLLOW));
	rt_works(rump_sys_faccessat(okfd, "a", RV_R_OK, 0));
	rt_fails(rump_sys_faccessat(okfd, "../no/secret", RV_F_OK, 0), EACCES);
	rt_fails(rump_sys_faccessat(okfd, "mid", RV_F_OK, 0), EACCES);
	rt_works(rump_sys_faccessat(okfd, "mid", RV_F_OK,
	    RT_AT_SYMLINK_NOFOLLOW));
	rt_fails(rump_sys_faccessat(RT_AT_FDCWD, NO "/lnk", RV_F_OK,
	    RT_AT_SYMLINK_NOFOLLOW), EACCES);
	rt_fails(rump_sys_access(NO "/absent", RV_F_OK), EACCES);
	rt_fails(rump_sys_access(OK "/absent", RV_F_OK), ENOENT);
}

static void
test_stat(void **state)
{
	struct rt_stat st, a;
	int okfd;

	(void)state;
	rv_tree();
	a = rv_lst(OK "/a");
	rv_confine(RV_OK);
	rt_works(okfd = rump_sys_open(OK, RUMP_O_RDONLY | RUMP_O_DIRECTORY));

	rt_works(rump_sys_stat(OK "/a", (void *)&st));
	assert_int_equal(st.st_size, 6);
	assert_int_equal(st.st_mode & RT_S_IFMT, RT_S_IFREG);
	rt_fails(rump_sys_stat(NO "/secret", (void *)&st), EACCES);
	rt_fails(rump_sys_lstat(NO "/secret", (void *)&st), EACCES);
	rt_fails(rump_sys_stat(OK "/fin", (void *)&st), EACCES);
	rt_works(rump_sys_lstat(OK "/fin", (void *)&st));
	assert_int_equal(st.st_mode & RT_S_IFMT, RT_S_IFLNK);
	assert_int_equal(st.st_size, 12);
	rt_works(rump_sys_stat(OK "/loc", (void *)&st));
	assert_int_equal(st.st_ino, a.st_ino);
	rt_fails(rump_sys_stat(OK "/mid", (void *)&st), EACCES);
	rt_works(rump_sys_lstat(OK "/mid", (void *)&st));
	assert_int_equal(st.st_mode & RT_S_IFMT, RT_S_IFLNK);
	rt_fails(rump_sys_stat(OK "/mid/secret", (void *)&st), EACCES);
	rt_fails(rump_sys_lstat(OK "/mid/secret", (void *)&st), EACCES);
	rt_fails(rump_sys_lstat(OK "/mid/sub", (void *)&st), EACCES);
	rt_works(rump_sys_fstatat(okfd, "a", (void *)&st, 0));
	assert_int_equal(st.st_ino, a.st_ino);
	rt_works(rump_sys_fstatat(okfd, "fin", (void *)&st,
	    RT_AT_SYMLINK_NOFOLLOW));
	assert_int_equal(st.st_mode & RT_S_IFMT, RT_S_IFLNK);
	rt_fails(rump_sys_fstatat(okfd, "fin", (void *)&st, 0), EACCES);
	rt_fails(rump_sys_fstatat(okfd, "../no/secret", (void *)&st, 0),
	    EACCES);
	rt_works(rump_sys_stat(OK, (void *)&st));
	assert_int_equal(st.st_mode & RT_S_IFMT, RT_S_IFDIR);
	rt_works(rump_sys_stat(OK "/.", (void *)&st));
	rt_fails(rump_sys_stat(NO, (void *)&st), EACCES);
	rt_fails(rump_sys_stat(RT_T, (void *)&st), EACCES);
	rt_fails(rump_sys_stat("/", (void *)&st), EACCES);
	/* Decided on the object reached, not the way there. */
	rt_works(rump_sys_stat(NO "/lnk", (void *)&st));
	assert_int_equal(st.st_ino, a.st_ino);
	rt_fails(rump_sys_lstat(NO "/lnk", (void *)&st), EACCES);
	rt_works(rump_sys_stat(NO "/../ok/a", (void *)&st));
}

static void
test_chdir_chroot(void **state)
{
	struct rt_stat st, ok;

	(void)state;
	rv_tree();
	ok = rv_lst(OK);
	rv_confine(RV_OK);
	rt_works(rump_sys_chdir(OK));
	assert_string_equal(rv_cwd(), OK);
	rt_fails(rump_sys_chdir(NO), EACCES);
	rt_fails(rump_sys_chdir(OK "/mid"), EACCES);
	rt_fails(rump_sys_chdir(OK "/mid/sub"), EACCES);
	rt_fails(rump_sys_chdir(NO "/absent"), EACCES);
	rt_fails(rump_sys_chdir(OK "/absent"), ENOENT);
	assert_string_equal(rv_cwd(), OK);
	rv_native(rump_sys_chdir(OK "/a"));

	rt_fails(rump_sys_chroot(NO), EACCES);
	rt_fails(rump_sys_chroot(OK "/mid"), EACCES);
	rt_fails(rump_sys_chroot(NO "/absent"), EACCES);
	/* Paths stay global in a chroot: "/a" is /t/ok/a to the policy. */
	rt_works(rump_sys_chroot(OK));
	assert_string_equal(rv_cat(RT_AT_FDCWD, "/a"), "a-data");
	assert_string_equal(rv_cat(RT_AT_FDCWD, "/d/f"), "f");
	assert_string_equal(rv_cat(RT_AT_FDCWD, "/../a"), "a-data");
	rt_works(rump_sys_stat("/", (void *)&st));
	assert_int_equal(st.st_ino, ok.st_ino);
	rt_works(rump_sys_stat("/..", (void *)&st));
	assert_int_equal(st.st_ino, ok.st_ino);
	rt_works(rump_sys_mkdir("/n", 0755));
	assert_true(rv_exists(OK "/n"));
	rt_works(rump_sys_chdir("/d"));
	assert_string_equal(rv_cat(RT_AT_FDCWD, "f"), "f");
}

/*
 * In a chroot, a path that does not exist must be decided where it would
 * be: under the chroot, not at the global path its text spells.
 */
static void
test_chroot_missing(void **state)
{
	struct rv_tally t;
	struct rt_stat st;
	const char *p = "(chroot " OK ")";

	(void)state;
	rv_tree();
	rt_works(rump_sys_mkdir(OK "/t", 0777));
	rt_works(rump_sys_mkdir(OK "/t/ok", 0777));
	rt_mkfile(OK "/t/ok/here", "here");
	rv_confine(
	    "  - fsread: filename inpath \"/t/ok/t\" then deny\n"
	    "  - fsread: filename inpath \"/t\" then permit\n" RV_BYNAME);
	rt_works(rump_sys_chroot(OK));
	memset(&t, 0, sizeof(t));
	/* /t/ok/t/ok/here: in the denied /t/ok/t. */
	RV_EXPECT(&t, rump_sys_stat("/t/ok/here", (void *)&st), EACCES);
	/* /t/ok/t/ok/absent: denied as well, not ENOENT. */
	RV_EXPECT(&t, rump_sys_stat("/t/ok/absent", (void *)&st), EACCES);
	RV_EXPECT(&t, rump_sys_open("/t/ok/absent", RUMP_O_RDONLY), EACCES);
	/* /t/ok/absent: permitted, so the kernel's ENOENT. */
	RV_EXPECT(&t, rump_sys_stat("/absent", (void *)&st), ENOENT);
	RV_EXPECT(&t, rump_sys_open("/absent", RUMP_O_RDONLY), ENOENT);
	RV_EXPECT(&t, rump_sys_stat("/here", (void *)&st), ENOENT);
	rv_tally_check(&t);
}

static void
test_pathconf_statvfs(void **state)
{
	static uint64_t vfs[1024];
	long v;

	(void)state;
	rv_tree();
	rt_admin();
	v = rump_sys_pathconf(OK "/a", RV_PC_NAME_MAX);
	assert_true(v > 0);
	rv_confine(RV_OK);
	assert_int_equal(rump_sys_pathconf(OK "/a", RV_PC_NAME_MAX), v);
	assert_int_equal(rump_sys_pathconf(OK "/loc", RV_PC_NAME_MAX), v);
	assert_int_equal(rump_sys_pathconf(OK "/d", RV_PC_NAME_MAX), v);
	rt_fails(rump_sys_pathconf(NO "/secret", RV_PC_NAME_MAX), EACCES);
	rt_fails(rump_sys_pathconf(OK "/fin", RV_PC_NAME_MAX), EACCES);
	rt_fails(rump_sys_pathconf(OK "/mid/secret", RV_PC_NAME_MAX), EACCES);
	rt_fails(rump_sys_pathconf(NO "/absent", RV_PC_NAME_MAX), EACCES);
	rt_fails(rump_sys_pathconf(OK "/absent", RV_PC_NAME_MAX), ENOENT);
	memset(vfs, 0, sizeof(vfs));
	rt_works(rump_sys_statvfs1(OK "/a", (void *)vfs, RV_ST_WAIT));
	assert_non_null(memmem(vfs, sizeof(vfs), "tmpfs", 5));
	memset(vfs, 0, sizeof(vfs));
	rt_fails(rump_sys_statvfs1(NO "/secret", (void *)vfs, RV_ST_WAIT),
	    EACCES);
	rt_fails(rump_sys_statvfs1(OK "/fin", (void *)vfs, RV_ST_WAIT),
	    EACCES);
	rt_fails(rump_sys_statvfs1(OK "/mid", (void *)vfs, RV_ST_WAIT),
	    EACCES);
	rt_fails(rump_sys_statvfs1(NO "/absent", (void *)vfs, RV_ST_WAIT),
	    EACCES);
	rt_fails(rump_sys_statvfs1(OK "/absent", (void *)vfs, RV_ST_WAIT),
	    ENOENT);
	assert_null(memmem(vfs, sizeof(vfs), "tmpfs", 5));
	rt_works(rump_sys_statvfs1(OK "/loc", (void *)vfs, RV_ST_WAIT));
	assert_non_null(memmem(vfs, sizeof(vfs), "tmpfs", 5));
}

/* revoke takes a file from everyone who has it open. */
static void
test_revoke(void **state)
{
	int afd, sfd, fd, nrv, ne, crv, ce;
	char buf[16];

	(void)state;
	rv_tree();
	rt_mkfile(OK "/b", "b-data");
	/* The kernel's own revoke, for what a revoked descriptor gives. */
	rt_admin();
	rt_works(fd = rump_sys_open(OK "/b", RUMP_O_RDONLY));
	rt_works(rump_sys_revoke(OK "/b"));
	nrv = (int)rump_sys_read(fd, buf, sizeof(buf));
	ne = errno;
	rump_sys_close(fd);
	/* The admin holds the secret and a open. */
	rt_works(sfd = rump_sys_open(NO "/secret", RUMP_O_RDONLY));
	rt_works(afd = rump_sys_open(OK "/a", RUMP_O_RDONLY));
	rv_confine(RV_OK);

	rt_fails(rump_sys_revoke(NO "/secret"), EACCES);
	rt_fails(rump_sys_revoke(OK "/fin"), EACCES);
	rt_fails(rump_sys_revoke(OK "/mid/secret"), EACCES);
	rt_fails(rump_sys_revoke(NO "/absent"), EACCES);
	rt_fails(rump_sys_revoke(OK "/absent"), ENOENT);
	rt_admin();
	assert_int_equal(rump_sys_pread(sfd, buf, 6, 0), 6);
	assert_memory_equal(buf, "secret", 6);
	rv_back();

	rt_works(fd = rump_sys_open(OK "/a", RUMP_O_RDONLY));
	rt_works(rump_sys_revoke(OK "/loc"));
	crv = (int)rump_sys_read(fd, buf, sizeof(buf));
	ce = errno;
	assert_int_equal(crv, nrv);
	if (nrv < 0)
		assert_int_equal(ce, ne);
	/* ... from the admin too: it was done to /t/ok/a. */
	rt_admin();
	assert_int_equal((int)rump_sys_pread(afd, buf, sizeof(buf), 0), nrv);
	assert_int_equal(rump_sys_pread(sfd, buf, 6, 0), 6);
	rump_sys_close(afd);
	rump_sys_close(sfd);
	rv_back();
}

/* ------------------------------------------------------------------ */
/* Denials everywhere, for every call                                 */

/* Under fsread only, no write call does anything. */
static void
test_readonly(void **state)
{
	struct timeval tv[2] = { { 1000, 0 }, { 2000, 0 } };
	static uint64_t vfs[1024];
	struct rv_tally t;
	struct rt_stat a, fin, st;
	const char *p = OK "/a";
	char buf[32];
	int fd;

	(void)state;
	rv_tree();
	a = rv_lst(OK "/a");
	fin = rv_lst(OK "/fin");
	rv_confine(RV_RO);
	memset(&t, 0, sizeof(t));
	RV_EXPECT(&t, rump_sys_stat(p, (void *)&st), 0);
	RV_EXPECT(&t, rump_sys_lstat(OK "/fin", (void *)&st), 0);
	RV_EXPECT(&t, rump_sys_access(p, RV_R_OK), 0);
	RV_EXPECT(&t, rump_sys_readlink(OK "/fin", buf, sizeof(buf)), 0);
	RV_EXPECT(&t, rump_sys_pathconf(p, RV_PC_NAME_MAX), 0);
	RV_EXPECT(&t, rump_sys_statvfs1(p, (void *)vfs, RV_ST_WAIT), 0);
	RV_EXPECT(&t, fd = rump_sys_open(p, RUMP_O_RDONLY), 0);
	rump_sys_close(fd);
	RV_EXPECT(&t, rump_sys_chdir(OK "/d"), 0);
	RV_EXPECT(&t, rump_sys_chdir(OK), 0);
	rv_tally_check(&t);

	memset(&t, 0, sizeof(t));
	RV_EXPECT(&t, rump_sys_open(p, RUMP_O_WRONLY), EACCES);
	RV_EXPECT(&t, rump_sys_open(p, RUMP_O_RDONLY | RUMP_O_TRUNC), EACCES);
	RV_EXPECT(&t, rump_sys_unlink(p), EACCES);
	RV_EXPECT(&t, rump_sys_rename(p, OK "/b"), EACCES);
	RV_EXPECT(&t, rump_sys_link(p, OK "/b"), EACCES);
	RV_EXPECT(&t, rump_sys_chmod(p, 0600), EACCES);
	RV_EXPECT(&t, rump_sys_lchmod(OK "/fin", 0600), EACCES);
	RV_EXPECT(&t, rump_sys_chown(p, 5, 6), EACCES);
	RV_EXPECT(&t, rump_sys_lchown(OK "/fin", 5, 6), EACCES);
	RV_EXPECT(&t, rump_sys_chflags(p, RV_UF_NODUMP), EACCES);
	RV_EXPECT(&t, rump_sys_lchflags(OK "/fin", RV_UF_NODUMP), EACCES);
	RV_EXPECT(&t, rump_sys_utimes(p, tv), EACCES);
	RV_EXPECT(&t, rump_sys_lutimes(OK "/fin", tv), EACCES);
	RV_EXPECT(&t, rump_sys_truncate(p, 0), EACCES);
	RV_EXPECT(&t, rump_sys_revoke(p), EACCES);
	RV_EXPECT(&t, rump_sys_unlink(OK "/fin"), EACCES);
	RV_EXPECT(&t, rump_sys_rmdir(OK "/e"), EACCES);
	rv_create(&t, OK "/new", EACCES);
	rv_tally_check(&t);
	rv_same_as(OK "/a", &a);
	rv_same_as(OK "/fin", &fin);
	assert_true(rv_exists(OK "/e"));
	assert_false(rv_exists(OK "/new"));
	assert_false(rv_exists(OK "/b"));
	assert_string_equal(rv_text(OK "/a"), "a-data");
}

/* Every call on paths into /t/no: the policy's errno, nothing done. */
static void
test_denied_everywhere(void **state)
{
	static const char *const paths[] = {
		NO "/secret", NO "/sub", NO "/empty", NO "/lnk",
		OK "/mid/secret", OK "/mid/sub", OK "/mid/lnk",
		OK "/d/../../no/secret", NO "/./secret",
	};
	static const char *const rel[] = {
		"../../no/secret", "../mid/secret", "../../no/sub",
		"../../no/empty", "./../mid/sub/s2",
	};
	struct rt_stat sec, sub, empty, lnk;
	struct rv_tally t;
	const char *p;
	size_t i;

	(void)state;
	rv_tree();
	sec = rv_lst(NO "/secret");
	sub = rv_lst(NO "/sub");
	empty = rv_lst(NO "/empty");
	lnk = rv_lst(NO "/lnk");
	rv_confine(RV_OK);
	memset(&t, 0, sizeof(t));
	for (i = 0; i < __arraycount(paths); i++) {
		p = paths[i];
		rv_nofollow(&t, p, EACCES);
		if (strcmp(p, NO "/lnk") != 0 && strcmp(p, OK "/mid/lnk") != 0) {
			rv_follow(&t, p, EACCES);
			rv_pair(&t, p, EACCES);
			continue;
		}
		/* Followed, the link is /t/ok/a: only what does not follow. */
		RV_EXPECT(&t, rump_sys_rename(p, OK "/rn"), EACCES);
		RV_EXPECT(&t, rump_sys_linkat(RT_AT_FDCWD, p, RT_AT_FDCWD,
		    OK "/ln", 0), EACCES);
	}
	rv_create(&t, NO "/new", EACCES);
	rv_create(&t, OK "/mid/new", EACCES);
	rv_create(&t, NO "/secret", EACCES);
	rv_create(&t, NO "/sub", EACCES);
	rv_create(&t, NO "/empty", EACCES);
	/* The same, relative to a permitted cwd. */
	rt_works(rump_sys_chdir(OK "/d"));
	for (i = 0; i < __arraycount(rel); i++) {
		rv_follow(&t, rel[i], EACCES);
		rv_nofollow(&t, rel[i], EACCES);
		rv_pair(&t, rel[i], EACCES);
		rv_create(&t, rel[i], EACCES);
	}
	rv_tally_check(&t);
	assert_string_equal(rv_cwd(), OK "/d");
	rv_secret_intact(&sec);
	rv_same_as(NO "/sub", &sub);
	rv_same_as(NO "/empty", &empty);
	rv_same_as(NO "/lnk", &lnk);
	assert_false(rv_exists(NO "/new"));
	assert_true(rv_exists(OK "/a"));
	assert_false(rv_exists(OK "/rn"));
	assert_false(rv_exists(OK "/ln"));
	assert_false(rv_exists(OK "/d/rn"));
}

/* Links in /t/ok into /t/no: refused when followed, else done to the link. */
static void
test_links_into_denied(void **state)
{
	static const char *const paths[] = {
		OK "/fin", OK "/rel", OK "/mid",
	};
	struct timeval tv[2] = { { 1000, 0 }, { 2000, 0 } };
	struct rt_stat sec, no, st;
	struct rv_tally t;
	const char *p;
	char buf[32];
	size_t i;

	(void)state;
	rv_tree();
	sec = rv_lst(NO "/secret");
	no = rv_lst(NO);
	rv_confine(RV_OK);
	memset(&t, 0, sizeof(t));
	for (i = 0; i < __arraycount(paths); i++)
		rv_follow(&t, paths[i], EACCES);
	rv_tally_check(&t);
	rv_secret_intact(&sec);
	rv_same_as(NO, &no);
	assert_string_equal(rv_cwd(), "/");

	/* Not followed: each is done to the link. */
	for (i = 0; i < __arraycount(paths); i++) {
		p = paths[i];
		memset(&t, 0, sizeof(t));
		RV_EXPECT(&t, rump_sys_lstat(p, (void *)&st), 0);
		RV_EXPECT(&t, rump_sys_fstatat(RT_AT_FDCWD, p, (void *)&st,
		    RT_AT_SYMLINK_NOFOLLOW), 0);
		RV_EXPECT(&t, rump_sys_faccessat(RT_AT_FDCWD, p, RV_F_OK,
		    RT_AT_SYMLINK_NOFOLLOW), 0);
		RV_EXPECT(&t, rump_sys_readlink(p, buf, sizeof(buf)) > 0 ?
		    0 : -1, 0);
		RV_EXPECT(&t, rump_sys_lchmod(p, 0711), 0);
		RV_EXPECT(&t, rump_sys_lchown(p, 4, 4), 0);
		RV_EXPECT(&t, rump_sys_lchflags(p, RV_UF_NODUMP), 0);
		RV_EXPECT(&t, rump_sys_lutimes(p, tv), 0);
		rv_tally_check(&t);
		st = rv_lst(p);
		assert_int_equal(st.st_mode, RT_S_IFLNK | 0711);
		assert_int_equal(st.st_uid, 4);
		assert_int_equal(st.st_flags, RV_UF_NODUMP);
		assert_int_equal(st.st_times[2], 2000);
		rt_works(rump_sys_rename(p, OK "/moved"));
		assert_int_equal(rv_type(OK "/moved"), RT_S_IFLNK);
		rt_works(rump_sys_linkat(RT_AT_FDCWD, OK "/moved", RT_AT_FDCWD,
		    OK "/hard", 0));
		assert_int_equal(rv_lst(OK "/hard").st_ino, st.st_ino);
		rt_works(rump_sys_unlink(OK "/hard"));
		rt_works(rump_sys_unlink(OK "/moved"));
		assert_false(rv_exists(OK "/moved"));
	}
	rv_secret_intact(&sec);
	assert_true(rv_exists(NO "/sub/s2"));
}

/*
 * A path that does not exist under a denied directory is denied (no
 * probing); under a permitted one the kernel says ENOENT or ENOTDIR.
 */
static void
test_missing(void **state)
{
	struct rv_tally t;

	(void)state;
	rv_tree();
	rv_confine(RV_OK);
	memset(&t, 0, sizeof(t));
	rv_follow(&t, NO "/absent", EACCES);
	rv_nofollow(&t, NO "/absent", EACCES);
	rv_pair(&t, NO "/absent", EACCES);
	rv_follow(&t, NO "/absent/deeper", EACCES);
	rv_nofollow(&t, NO "/absent/deeper", EACCES);
	rv_pair(&t, NO "/absent/deeper", EACCES);
	rv_create(&t, NO "/absent/deeper", EACCES);
	rv_follow(&t, OK "/absent", ENOENT);
	rv_nofollow(&t, OK "/absent", ENOENT);
	rv_follow(&t, OK "/absent/deeper", ENOENT);
	rv_nofollow(&t, OK "/absent/deeper", ENOENT);
	rv_create(&t, OK "/absent/deeper", ENOENT);
	rv_follow(&t, OK "/a/x", ENOTDIR);
	rv_nofollow(&t, OK "/a/x", ENOTDIR);
	rv_create(&t, OK "/a/x", ENOTDIR);
	rv_tally_check(&t);
	assert_false(rv_exists(NO "/absent"));
	assert_true(rv_exists(OK "/a"));
}

/*
 * Below a file of a denied directory: denied, as below a name that is not
 * there, or the errno tells files from absent names and directories.
 */
static void
test_probe_notdir(void **state)
{
	struct rv_tally t;

	(void)state;
	rv_tree();
	rv_confine(RV_OK);
	memset(&t, 0, sizeof(t));
	rv_follow(&t, NO "/secret/x", EACCES);
	rv_nofollow(&t, NO "/secret/x", EACCES);
	rv_create(&t, NO "/secret/x", EACCES);
	rv_follow(&t, OK "/mid/secret/x", EACCES);
	rv_tally_check(&t);
}

/* A pair call whose first path is missing: ENOENT where the policy permits. */
static void
test_missing_pair(void **state)
{
	struct rv_tally t;

	(void)state;
	rv_tree();
	rv_confine(RV_OK);
	memset(&t, 0, sizeof(t));
	rv_pair(&t, OK "/absent", ENOENT);
	rv_pair(&t, OK "/absent/deeper", ENOENT);
	rv_tally_check(&t);
}

/*
 * Probing a denied directory through links in a permitted one: a name
 * that is not there must be denied as one that is.
 */
static void
test_probe_links(void **state)
{
	struct rv_tally t;

	(void)state;
	rv_tree();
	rv_confine(RV_OK);
	/* The process makes its own probes: symlink is permitted in /t/ok. */
	rt_works(rump_sys_symlink(NO "/sub/s2", OK "/p1"));
	rt_works(rump_sys_symlink(NO "/sub/nothing", OK "/p2"));
	memset(&t, 0, sizeof(t));
	rv_follow(&t, OK "/p1", EACCES);	/* exists */
	rv_follow(&t, OK "/p2", EACCES);	/* does not */
	rv_follow(&t, OK "/dang", EACCES);
	/* A link as a middle component: /t/no/sub/s2 and /t/no/nothing. */
	rv_follow(&t, OK "/mid/sub/s2", EACCES);
	rv_follow(&t, OK "/mid/nothing", EACCES);
	rv_nofollow(&t, OK "/mid/nothing", EACCES);
	rv_create(&t, OK "/mid/nothing/x", EACCES);
	rv_tally_check(&t);
	assert_false(rv_exists(NO "/sub/nothing"));
	assert_false(rv_exists(NO "/nothing"));
}

/* A link that loops, in a denied directory: denied, not ELOOP. */
static void
test_probe_loop(void **state)
{
	struct rv_tally t;

	(void)state;
	rv_tree();
	rt_works(rump_sys_symlink(NO "/loop", NO "/loop"));
	rv_confine(RV_OK);
	rt_works(rump_sys_symlink(NO "/loop", OK "/q"));
	memset(&t, 0, sizeof(t));
	rv_follow(&t, NO "/loop", EACCES);
	rv_nofollow(&t, NO "/loop", EACCES);
	rv_follow(&t, OK "/q", EACCES);
	rv_follow(&t, NO "/loop/x", EACCES);
	rv_tally_check(&t);
}

/* Probing through ".." after a link: the path walked is what counts. */
static void
test_probe_dotdot(void **state)
{
	struct rv_tally t;

	(void)state;
	rv_tree();
	rv_confine(RV_OK);
	memset(&t, 0, sizeof(t));
	/* /t/ok/mid/sub/.. is /t/no: these are /t/no/s2 and /t/no/absent. */
	rv_follow(&t, OK "/mid/sub/../secret", EACCES);
	rv_follow(&t, OK "/mid/sub/../absent", EACCES);
	rv_nofollow(&t, OK "/mid/sub/../absent", EACCES);
	rv_tally_check(&t);
}

/* ------------------------------------------------------------------ */
/* Hard links and renames that would widen what may be read           */

/*
 * MOVE-CHECK: a new name for a file of /t/no in /t/ok would let it be
 * read through that name; the link or rename must be refused (by the
 * widening check of policy_move.c, which refuses a move whose two places
 * some rule decides differently).
 */
static void
rv_widen(int (*call)(void), const char *newname)
{
	struct rt_stat sec;
	int e;

	rv_tree();
	sec = rv_lst(NO "/secret");
	rv_confine(RV_WIDE);
	/* What the policy says without links: */
	rt_fails(rump_sys_open(NO "/secret", RUMP_O_RDONLY), EACCES);
	rt_works(rump_sys_link(OK "/a", OK "/a2"));	/* decided alike */
	e = rt_err((*call)());
	if (rv_exists(newname))
		fail_msg("%s made (errno %d): the process reads \"%s\" "
		    "through it", newname, e, rv_cat(RT_AT_FDCWD, newname));
	assert_int_equal(e, EACCES);
	rv_same_as(NO "/secret", &sec);
}

static int
rv_okfd(void)
{
	return rump_sys_open(OK, RUMP_O_RDONLY | RUMP_O_DIRECTORY);
}

static int
rv_do_link(void)
{
	return rump_sys_link(NO "/secret", OK "/w");
}

static int
rv_do_linkat(void)
{
	return rump_sys_linkat(RT_AT_FDCWD, NO "/secret", rv_okfd(), "w", 0);
}

static int
rv_do_rename(void)
{
	return rump_sys_rename(NO "/secret", OK "/w");
}

static int
rv_do_renameat(void)
{
	return rump_sys_renameat(RT_AT_FDCWD, NO "/secret", rv_okfd(), "w");
}

static int
rv_do_rename_dir(void)
{
	return rump_sys_rename(NO "/sub", OK "/w");
}

static void
test_move_link(void **state)
{
	(void)state;
	rv_widen(rv_do_link, OK "/w");			/* MOVE-CHECK */
}

static void
test_move_linkat(void **state)
{
	(void)state;
	rv_widen(rv_do_linkat, OK "/w");		/* MOVE-CHECK */
}

static void
test_move_rename(void **state)
{
	(void)state;
	rv_widen(rv_do_rename, OK "/w");		/* MOVE-CHECK */
}

static void
test_move_renameat(void **state)
{
	(void)state;
	rv_widen(rv_do_renameat, OK "/w");		/* MOVE-CHECK */
}

static void
test_move_rename_dir(void **state)
{
	(void)state;
	rv_widen(rv_do_rename_dir, OK "/w/s2");		/* MOVE-CHECK */
}

/*
 * A hard link made before (or outside) the confinement is a name of its
 * own: it is decided as that name, which is how path rules work.
 */
static void
test_hardlink_existing(void **state)
{
	(void)state;
	rv_tree();
	rt_works(rump_sys_link(NO "/secret", OK "/hl"));
	rv_confine(RV_OK);
	rt_fails(rump_sys_open(NO "/secret", RUMP_O_RDONLY), EACCES);
	assert_string_equal(rv_cat(RT_AT_FDCWD, OK "/hl"), "secret");
	rt_works(rump_sys_unlink(OK "/hl"));
	assert_string_equal(rv_text(NO "/secret"), "secret");
	assert_int_equal(rv_lst(NO "/secret").st_nlink, 1);
}

int
main(void)
{
#define T(f)	cmocka_unit_test_teardown(f, teardown)
	const struct CMUnitTest tests[] = {
		T(test_open),
		T(test_open_readonly),
		T(test_openat),
		T(test_relative),
		T(test_canonical_name),
		T(test_cwd_moved),
		T(test_dots),
		T(test_remove_dotdot),
		T(test_unlink_rmdir),
		T(test_rename),
		T(test_mkdir),
		T(test_mkfifo_mknod),
		T(test_link),
		T(test_symlink),
		T(test_symlink_text),
		T(test_xattr_mode),
		T(test_chmod),
		T(test_chown),
		T(test_chflags),
		T(test_utimes),
		T(test_truncate),
		T(test_readlink),
		T(test_access),
		T(test_stat),
		T(test_chdir_chroot),
		T(test_chroot_missing),
		T(test_pathconf_statvfs),
		T(test_revoke),
		T(test_readonly),
		T(test_denied_everywhere),
		T(test_links_into_denied),
		T(test_missing),
		T(test_missing_pair),
		T(test_probe_notdir),
		T(test_probe_links),
		T(test_probe_dotdot),
		T(test_probe_loop),
		T(test_move_link),
		T(test_move_linkat),
		T(test_move_rename),
		T(test_move_renameat),
		T(test_move_rename_dir),
		T(test_hardlink_existing),
	};
#undef T

	if (getenv("RV_ONLY") != NULL)		/* one test, by its name */
		cmocka_set_test_filter(getenv("RV_ONLY"));
	return cmocka_run_group_tests_name(
	    "rump: path calls decided on the object", tests, setup, NULL);
}
