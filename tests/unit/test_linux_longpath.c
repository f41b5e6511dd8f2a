/* test_linux_longpath.c: trees whose absolute paths exceed POLICY_PATH_MAX and PATH_MAX work under
 * `policyctl run` as natively, and rules beneath them decide on the whole path, never a prefix. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "tu_selfrun.h"

#define NAMELEN	200

/* ------------------------------------------------------------------ */
/* The target side: prints the errno of each step (0: done)            */

static void
name_of(char *buf, int level)
{
	memset(buf, 'a' + level % 26, NAMELEN);
	buf[NAMELEN] = '\0';
}

static void
out(int e)
{
	printf("%d\n", e);
	fflush(stdout);
}

/* Remove everything in dirfd through descriptors (as shutil.rmtree). */
static int
rmtree_at(int dirfd)
{
	DIR *d;
	struct dirent *de;
	int fd, r = 0;

	if ((fd = dup(dirfd)) < 0 || (d = fdopendir(fd)) == NULL)
		return errno;
	while ((de = readdir(d)) != NULL) {
		int sub;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (unlinkat(dirfd, de->d_name, 0) == 0)
			continue;
		if (errno != EISDIR && errno != EPERM) {
			r = errno;
			break;
		}
		if ((sub = openat(dirfd, de->d_name, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW)) < 0) {
			r = errno;
			break;
		}
		r = rmtree_at(sub);
		close(sub);
		if (r == 0 && unlinkat(dirfd, de->d_name, AT_REMOVEDIR) != 0)
			r = errno;
		if (r != 0)
			break;
		rewinddir(d);
	}
	closedir(d);
	return r;
}

/* Create, write, read back and unlink name relative to dirfd. */
static int
file_at(int dirfd, const char *name)
{
	char buf[8];
	int fd;

	if ((fd = openat(dirfd, name, O_WRONLY | O_CREAT | O_TRUNC, 0600)) < 0)
		return errno;
	if (write(fd, "x", 1) != 1) {
		close(fd);
		return EIO;
	}
	close(fd);
	if ((fd = openat(dirfd, name, O_RDONLY)) < 0)
		return errno;
	if (read(fd, buf, sizeof(buf)) != 1 || buf[0] != 'x') {
		close(fd);
		return EIO;
	}
	close(fd);
	return unlinkat(dirfd, name, 0) == 0 ? 0 : errno;
}

/*
 * py ROOT: what the python one-liner does: makedirs of five 200-byte
 * levels, chdir there, a file "f" written, read and removed by relative
 * name, chdir("/"), the tree removed through descriptors.
 * deep ROOT LEVELS: LEVELS levels made with mkdirat and entered with
 * openat/fchdir (beyond PATH_MAX), files at the bottom by cwd and by
 * descriptor: "ok" and "deny" (denied by the policy), then the tree removed.
 */
static int
target(int argc, char **argv)
{
	char name[NAMELEN + 1];
	int i, levels, dfd, nfd, e;

	if (argc >= 2 && strcmp(argv[0], "py") == 0) {
		e = 0;
		if (mkdir(argv[1], 0700) != 0 || chdir(argv[1]) != 0)
			e = errno;
		for (i = 0; e == 0 && i < 5; i++) {
			name_of(name, i);
			if (mkdir(name, 0700) != 0 || chdir(name) != 0)
				e = errno;
		}
		out(e);
		out(e ? e : file_at(AT_FDCWD, "f"));
		/* the same by absolute path, reread from the kernel */
		{
			static char cwd[8192];

			if (getcwd(cwd, sizeof(cwd)) == NULL)
				out(errno);
			else {
				strcat(cwd, "/g");
				out(file_at(AT_FDCWD, cwd));
			}
		}
		out(chdir("/") == 0 ? 0 : errno);
		if ((dfd = open(argv[1], O_RDONLY | O_DIRECTORY)) < 0)
			out(errno);
		else {
			out(rmtree_at(dfd));
			close(dfd);
		}
		out(rmdir(argv[1]) == 0 ? 0 : errno);
		return 0;
	}
	if (argc >= 3 && strcmp(argv[0], "deep") == 0) {
		levels = atoi(argv[2]);
		e = 0;
		if (mkdir(argv[1], 0700) != 0 ||
		    (dfd = open(argv[1], O_RDONLY | O_DIRECTORY)) < 0) {
			out(errno);
			return 0;
		}
		for (i = 0; e == 0 && i < levels; i++) {
			name_of(name, i);
			if (mkdirat(dfd, name, 0700) != 0 ||
			    (nfd = openat(dfd, name, O_RDONLY | O_DIRECTORY)) < 0)
				e = errno;
			else {
				close(dfd);
				dfd = nfd;
			}
		}
		out(e);					/* 0: made */
		out(fchdir(dfd) == 0 ? 0 : errno);	/* 1: entered */
		out(file_at(AT_FDCWD, "ok"));		/* 2: by cwd */
		out(file_at(dfd, "ok2"));		/* 3: by descriptor */
		out(file_at(AT_FDCWD, "deny"));		/* 4: denied */
		out(file_at(dfd, "deny2"));		/* 5: denied */
		out(mkdirat(dfd, "sub", 0700) == 0 ? 0 : errno); /* 6 */
		out(chdir("sub") == 0 ? 0 : errno);	/* 7: deeper still */
		out(file_at(AT_FDCWD, "ok3"));		/* 8 */
		out(chdir("..") == 0 ? 0 : errno);	/* 9 */
		out(unlinkat(dfd, "sub", AT_REMOVEDIR) == 0 ? 0 : errno);
		close(dfd);
		out(chdir("/") == 0 ? 0 : errno);	/* 11 */
		if ((dfd = open(argv[1], O_RDONLY | O_DIRECTORY)) < 0)
			out(errno);
		else {
			out(rmtree_at(dfd));		/* 12 */
			close(dfd);
		}
		out(rmdir(argv[1]) == 0 ? 0 : errno);	/* 13 */
		return 0;
	}
	return 2;
}

/* ------------------------------------------------------------------ */
/* The test side                                                       */

static int
setup(void **state)
{
	(void)state;
	return tu_selfrun_setup("longpath");
}

static char *
write_policy(const char *name, const char *rules)
{
	return tu_write_policy(name, "policy: 1\nname: %s\ndefault: permit\n"
	    "rules:\n%s", name, rules);
}

static void
print_log(void)
{
	char line[512];
	FILE *f = fopen(tu_logpath, "r");

	while (f != NULL && fgets(line, sizeof(line), f) != NULL)
		fprintf(stderr, "log: %.200s\n", line);
	if (f != NULL)
		fclose(f);
}

/* The python one-liner's tree (> 1024 bytes), natively and confined. */
static void
test_python_like(void **state)
{
	const char *pol = write_policy("all",
	    "  - open: filename eq \"/nonexistent/x\" then deny\n");
	char args[PATH_MAX];
	int res[8], i;
	size_t n;

	(void)state;
	snprintf(args, sizeof(args), "py %s/lp", tu_dir);
	n = tu_run_ints(NULL, args, res, 8);
	assert_int_equal(n, 6);
	for (i = 0; i < 6; i++)
		assert_int_equal(res[i], 0);	/* natively */
	n = tu_run_ints(pol, args, res, 8);
	if (n != 6 || res[0] || res[1] || res[2] || res[3] || res[4] || res[5])
		print_log();
	assert_int_equal(n, 6);
	for (i = 0; i < 6; i++)
		assert_int_equal(res[i], 0);
}

/* The "deep" target's 14 steps under pol: steps 4 and 5 (the deny*
 * names) denied, every other one done. */
static void
deep_steps(const char *pol, const char *args)
{
	int res[16], i;
	size_t n = tu_run_ints(pol, args, res, 16);

	if (n != 14)
		print_log();
	assert_int_equal(n, 14);
	for (i = 0; i < 14; i++) {
		if (i == 4 || i == 5)
			assert_int_equal(res[i], EACCES);	/* denied */
		else
			assert_int_equal(res[i], 0);
	}
}

/* Deeper than PATH_MAX, reached by *at calls and fchdir; a rule on a name
 * at the bottom still decides exactly there. */
static void
test_beyond_path_max(void **state)
{
	char rules[PATH_MAX], args[PATH_MAX];
	const char *pol;

	(void)state;
	snprintf(rules, sizeof(rules),
	    "  - fswrite: filename match \"%s/deep/*/deny*\" then deny[EACCES]\n",
	    tu_dir);
	pol = write_policy("deep", rules);
	/* ~5 KB */
	snprintf(args, sizeof(args), "deep %s/deep 25", tu_dir);
	deep_steps(pol, args);
	assert_true(tu_log_has("deny"));
	assert_false(tu_log_has("too long"));
}

/* A rule whose path itself is longer than POLICY_PATH_MAX: the denied name
 * at that depth is denied, its sibling permitted, the directory above
 * not covered by an inpath rule of the deep directory. */
static void
test_rule_beneath(void **state)
{
	char deep[PATH_MAX], name[NAMELEN + 1], rules[2 * PATH_MAX + 256];
	char args[PATH_MAX];
	const char *pol;
	int res[16], i;
	size_t n = 0;

	(void)state;
	n = (size_t)snprintf(deep, sizeof(deep), "%s/exact", tu_dir);
	for (i = 0; i < 6; i++) {
		name_of(name, i);
		n += (size_t)snprintf(deep + n, sizeof(deep) - n, "/%s", name);
	}
	assert_true(strlen(deep) > 1100);
	snprintf(rules, sizeof(rules),
	    "  - fswrite: filename match \"%s/deny*\" then deny[EACCES]\n"
	    "  - fsread: filename match \"%s/deny*\" then deny[EACCES]\n",
	    deep, deep);
	pol = write_policy("exact", rules);
	snprintf(args, sizeof(args), "deep %s/exact 6", tu_dir);
	deep_steps(pol, args);
	/* one level shallower the same names are not beneath the rule */
	snprintf(args, sizeof(args), "deep %s/exact 5", tu_dir);
	n = tu_run_ints(pol, args, res, 16);
	assert_int_equal(n, 14);
	for (i = 0; i < 14; i++)
		assert_int_equal(res[i], 0);
	/* and by inpath of the deep directory */
	snprintf(rules, sizeof(rules),
	    "  - fswrite: filename inpath \"%s\" and filename match \"*/deny*\""
	    " then deny[EACCES]\n", deep);
	pol = write_policy("inpath", rules);
	snprintf(args, sizeof(args), "deep %s/exact 6", tu_dir);
	n = tu_run_ints(pol, args, res, 16);
	assert_int_equal(n, 14);
	assert_int_equal(res[2], 0);
	assert_int_equal(res[4], EACCES);
	assert_int_equal(res[5], EACCES);
	assert_int_equal(res[8], 0);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_python_like),
		cmocka_unit_test(test_beyond_path_max),
		cmocka_unit_test(test_rule_beneath),
	};

	if (argc > 1 && strcmp(argv[1], "--target") == 0)
		return target(argc - 2, argv + 2);
	return cmocka_run_group_tests(tests, setup, tu_selfrun_teardown);
}
