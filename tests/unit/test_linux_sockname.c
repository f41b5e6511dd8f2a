/* test_linux_sockname.c: Unix-domain socket names of every length and form the kernel takes
 * bind and connect confined as natively, and a rule naming one of them denies exactly that one. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "tu_selfrun.h"

#define SUN_MAX		sizeof(((struct sockaddr_un *)0)->sun_path)
#define DEEP_LEVELS	24	/* of 200-byte names: a cwd > PATH_MAX */
#define NCASES		10

/*
 * One socket name: its bytes as given to bind and connect (name, nlen),
 * the address length, the file it makes (relative to the scratch
 * directory or, for "deep", to the deep cwd; NULL: abstract or none), the
 * policy's spelling of it (after "unix-"; relative to the scratch
 * directory unless absolute), and whether getsockname is compared (it is
 * the name as given, except for a name with a directory in it, which
 * confined is bound from that directory and reads back as its last part).
 */
struct sockcase {
	const char	*tag;
	char		name[SUN_MAX];
	size_t		nlen;
	socklen_t	alen;
	char		file[SUN_MAX + 1];
	char		rule[SUN_MAX * 3 + 1];
	bool		showname;
	int		unbound;	/* connect's errno with nothing bound */
};

static struct sockcase cases[NCASES];
static char deepname[201];

static void
fill(char *p, int ch, size_t n)
{
	memset(p, ch, n);
}

/* The cases, for the scratch directory dir (the target's cwd). */
static void
make_cases(const char *dir)
{
	static const socklen_t off = offsetof(struct sockaddr_un, sun_path);
	struct sockcase *c = cases;
	size_t dl = strlen(dir);

	memset(cases, 0, sizeof(cases));
	memset(deepname, 'd', 200);
	deepname[200] = '\0';

	/* 108 bytes, no terminating NUL, relative */
	c->tag = "r108";
	fill(c->name, 'r', SUN_MAX);
	c->nlen = SUN_MAX;
	c->alen = (socklen_t)(off + SUN_MAX);
	memcpy(c->file, c->name, SUN_MAX);
	c->showname = true;
	c->unbound = ENOENT;
	c++;
	/* 107 bytes and the NUL: the whole struct */
	c->tag = "r107";
	fill(c->name, 's', SUN_MAX - 1);
	c->nlen = SUN_MAX;
	c->alen = sizeof(struct sockaddr_un);
	memcpy(c->file, c->name, SUN_MAX - 1);
	c->showname = true;
	c->unbound = ENOENT;
	c++;
	/* 108 bytes, absolute, no NUL */
	c->tag = "a108";
	memcpy(c->name, dir, dl);
	c->name[dl] = '/';
	fill(c->name + dl + 1, 'a', SUN_MAX - dl - 1);
	c->nlen = SUN_MAX;
	c->alen = (socklen_t)(off + SUN_MAX);
	memcpy(c->file, c->name + dl + 1, SUN_MAX - dl - 1);
	c->unbound = ENOENT;
	c++;
	/* an address length that cuts the name: "cut" */
	c->tag = "cut";
	memcpy(c->name, "cutXYZ", 6);
	c->nlen = 6;
	c->alen = off + 3;
	strcpy(c->file, "cut");
	c->showname = true;
	c->unbound = ENOENT;
	c++;
	/* a NUL inside the length: the name ends there, "emb" */
	c->tag = "emb";
	memcpy(c->name, "emb\0tail", 8);
	c->nlen = 8;
	c->alen = off + 8;
	strcpy(c->file, "emb");
	c->showname = true;
	c->unbound = ENOENT;
	c++;
	/* abstract, with NULs inside and at the end (part of the name) */
	c->tag = "abs";
	memcpy(c->name, "\0ab\0cd\0", 7);
	c->nlen = 7;
	c->alen = off + 7;
	strcpy(c->rule, "@ab%00cd%00");
	c->showname = true;
	c->unbound = ECONNREFUSED;
	c++;
	/* another abstract name, "?" where the first has NULs */
	c->tag = "absq";
	memcpy(c->name, "\0ab?cd?", 7);
	c->nlen = 7;
	c->alen = off + 7;
	strcpy(c->rule, "@ab?cd?");
	c->showname = true;
	c->unbound = ECONNREFUSED;
	c++;
	/* the same first bytes, shorter: another abstract socket */
	c->tag = "absp";
	memcpy(c->name, "\0ab", 3);
	c->nlen = 3;
	c->alen = off + 3;
	strcpy(c->rule, "@ab");
	c->showname = true;
	c->unbound = ECONNREFUSED;
	c++;
	/* autobind: no name at all (connect: EINVAL) */
	c->tag = "auto";
	c->alen = off;
	c->unbound = EINVAL;
	c++;
	/* relative, from a cwd longer than PATH_MAX (made last) */
	c->tag = "deep";
	memcpy(c->name, "sock", 5);
	c->nlen = 5;
	c->alen = off + 5;
	strcpy(c->file, "sock");
	c->showname = true;
	c->unbound = ENOENT;
	/* the rule texts of the path cases */
	for (c = cases; c < cases + NCASES; c++)
		if (c->file[0] != '\0' && strcmp(c->tag, "deep") != 0)
			snprintf(c->rule, sizeof(c->rule), "%s/%s", dir,
			    c->file);
}

/* ------------------------------------------------------------------ */
/* The target side: each case bound and connected, one line each       */

/* bytes as text: printable as they are, others (and '%') as %XX */
static void
print_bytes(const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)p[i];

		if (ch > 0x20 && ch < 0x7f && ch != '%')
			putchar(ch);
		else
			printf("%%%02X", ch);
	}
}

/* "TAG BIND-ERRNO CONNECT-ERRNO NAME" (0: success; NAME: getsockname of
 * the bound socket, or "-") */
static void
one(const struct sockcase *c)
{
	struct sockaddr_un a;
	struct sockaddr_storage g;	/* a 108-byte name reads back 109 */
	socklen_t gl = sizeof(g);
	int srv, cli, b, k;

	if (c->file[0] != '\0')
		(void)unlink(c->file);
	memset(&a, 0, sizeof(a));
	a.sun_family = AF_UNIX;
	memcpy(a.sun_path, c->name, c->nlen);
	srv = socket(AF_UNIX, SOCK_STREAM, 0);
	cli = socket(AF_UNIX, SOCK_STREAM, 0);
	b = bind(srv, (struct sockaddr *)&a, c->alen) == 0 ? 0 : errno;
	if (b == 0)
		(void)listen(srv, 1);
	k = connect(cli, (struct sockaddr *)&a, c->alen) == 0 ? 0 : errno;
	printf("%s %d %d ", c->tag, b, k);
	if (b == 0 && c->showname &&
	    getsockname(srv, (struct sockaddr *)&g, &gl) == 0)
		print_bytes(((struct sockaddr_un *)&g)->sun_path,
		    (gl < sizeof(g) ? gl : sizeof(g)) -
		    offsetof(struct sockaddr_un, sun_path));
	else
		printf("-");
	printf("\n");
	close(cli);
	close(srv);
	if (c->file[0] != '\0')
		(void)unlink(c->file);
}

/* Into the deep directory (made if need be), by names relative to each
 * level: its path is longer than PATH_MAX. */
static int
deep_enter(void)
{
	int i;

	for (i = 0; i < DEEP_LEVELS; i++) {
		if (mkdirat(AT_FDCWD, deepname, 0755) != 0 && errno != EEXIST)
			return -1;
		if (chdir(deepname) != 0)
			return -1;
	}
	return 0;
}

static int
target(int argc, char **argv)
{
	int i;

	if (argc < 2 || strcmp(argv[0], "names") != 0)
		return 2;
	make_cases(argv[1]);
	if (chdir(argv[1]) != 0)
		return 3;
	for (i = 0; i < NCASES; i++) {
		if (strcmp(cases[i].tag, "deep") == 0 && deep_enter() != 0) {
			printf("deep enter %d\n", errno);
			continue;
		}
		one(&cases[i]);
	}
	fflush(stdout);
	return 0;
}

/* ------------------------------------------------------------------ */
/* The test side                                                       */

static char watch_pol[PATH_MAX];	/* permits all; bind, connect supervised */
static char native[NCASES][512];	/* the native run's lines */

static const char watch_rules[] =
    "policy: 1\nname: %s\ndefault: permit\nlog: deny\nrules:\n"
    "  - bind: sockaddr eq \"unix-%s/nothing\" then deny\n"
    "  - connect: sockaddr eq \"unix-%s/nothing\" then deny\n";

/* The run's lines, NCASES of them (confined with pol, or native). */
static void
run_lines(const char *pol, char out[NCASES][512])
{
	char args[PATH_MAX + 16];
	FILE *f;
	size_t i, n;

	snprintf(args, sizeof(args), "names %s", tu_dir);
	f = tu_run_open(pol, args);
	for (i = 0; i < NCASES; i++) {
		out[i][0] = '\0';
		if (fgets(out[i], 512, f) == NULL)
			break;
		n = strlen(out[i]);
		if (n > 0 && out[i][n - 1] == '\n')
			out[i][n - 1] = '\0';
	}
	assert_int_equal(pclose(f), 0);
}

/* Natively every name binds and connects (autobind: connect EINVAL), and
 * each reads back as given; confined under a permit-all policy that
 * sends bind and connect to the supervisor: the very same lines. */
static void
test_names_permitted(void **state)
{
	char conf[NCASES][512], want[512];
	size_t i;

	(void)state;
	for (i = 0; i < NCASES; i++) {
		const struct sockcase *c = &cases[i];

		print_message("native:   %s\n", native[i]);
		if (!c->showname)
			snprintf(want, sizeof(want), "%s 0 %d -", c->tag,
			    strcmp(c->tag, "auto") == 0 ? EINVAL : 0);
		else
			snprintf(want, sizeof(want), "%s 0 0 ", c->tag);
		assert_true(strncmp(native[i], want, strlen(want)) == 0);
	}
	/* the names as the kernel keeps them */
	assert_string_equal(native[3], "cut 0 0 cut%00");
	assert_string_equal(native[4], "emb 0 0 emb%00");
	assert_string_equal(native[5], "abs 0 0 %00ab%00cd%00");
	assert_string_equal(native[7], "absp 0 0 %00ab");
	assert_string_equal(native[9], "deep 0 0 sock%00");
	run_lines(watch_pol, conf);
	for (i = 0; i < NCASES; i++) {
		print_message("confined: %s\n", conf[i]);
		assert_string_equal(conf[i], native[i]);
	}
	assert_false(tu_log_has("deny"));
}

/* A rule naming one socket (bind, then connect) denies that one alone:
 * every other line is native. */
static void
deny_one(size_t k, const char *op)
{
	const struct sockcase *c = &cases[k];
	char conf[NCASES][512], want[512], *pol;
	const char *rule = c->rule, *cmp = "eq";
	char glob[PATH_MAX];
	size_t i, cap;

	if (strcmp(c->tag, "deep") == 0) {
		/* "unix-" and its path are longer than an operand may be
		 * (4,096 bytes): a glob that only it matches, on the whole
		 * of its (long) address */
		snprintf(glob, sizeof(glob), "%s/%.20s*/%.20s*%.20s/sock",
		    tu_dir, deepname, deepname, deepname);
		rule = glob;
		cmp = "match";
	}
	cap = strlen(watch_rules) + strlen(rule) + 3 * strlen(tu_dir) + 256;
	assert_non_null(pol = malloc(cap));
	snprintf(pol, cap, watch_rules, "deny", tu_dir, tu_dir);
	snprintf(pol + strlen(pol), cap - strlen(pol),
	    "  - %s: sockaddr %s \"unix-%s\" then deny\n", op, cmp, rule);
	tu_put("deny.yaml", pol);
	free(pol);
	run_lines(tu_path("deny.yaml"), conf);
	if (strcmp(op, "bind") == 0)
		snprintf(want, sizeof(want), "%s %d %d -", c->tag, EPERM,
		    c->unbound);
	else {
		/* "TAG 0 0 NAME" -> "TAG 0 1 NAME" */
		const char *rest = native[k] + strlen(c->tag) + 4;

		snprintf(want, sizeof(want), "%s 0 %d%s", c->tag, EPERM,
		    rest);
	}
	print_message("%s %s: %s\n", op, c->tag, conf[k]);
	for (i = 0; i < NCASES; i++)
		assert_string_equal(conf[i], i == k ? want : native[i]);
	assert_true(tu_log_has(strcmp(op, "bind") == 0 ? "deny bind" :
	    "deny connect"));
}

static void
test_names_denied(void **state)
{
	size_t k;

	(void)state;
	for (k = 0; k < NCASES; k++) {
		if (strcmp(cases[k].tag, "auto") == 0)
			continue;
		deny_one(k, "bind");
		deny_one(k, "connect");
	}
}

static int
setup(void **state)
{
	size_t i, n;

	(void)state;
	if (tu_selfrun_setup("sockn") != 0)
		return -1;
	make_cases(tu_dir);
	snprintf(watch_pol, sizeof(watch_pol), "%s",
	    tu_write_policy("watch", watch_rules, "watch", tu_dir, tu_dir));
	/* the deep socket's path is longer than PATH_MAX */
	n = strlen(tu_dir);
	for (i = 0; i < DEEP_LEVELS; i++)
		n += 1 + strlen(deepname);
	if (n + strlen("/sock") <= PATH_MAX)
		return -1;
	run_lines(NULL, native);
	return 0;
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_permitted),
		cmocka_unit_test(test_names_denied),
	};

	if (argc > 1 && strcmp(argv[1], "--target") == 0)
		return target(argc - 2, argv + 2);
	return cmocka_run_group_tests(tests, setup, tu_selfrun_teardown);
}
