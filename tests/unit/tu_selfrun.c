/* tu_selfrun.c: harness shared by the unit tests that run their own binary confined by
 * `policyctl run` (see tu_selfrun.h). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "tu_selfrun.h"

char tu_dir[64];
char tu_self[PATH_MAX];
const char *tu_policyctl;
char tu_logpath[PATH_MAX + 8];

int
tu_selfrun_setup(const char *name)
{
	const char *prog;
	ssize_t n;

	snprintf(tu_dir, sizeof(tu_dir), "/tmp/plx-%s.%d", name, (int)getpid());
	snprintf(tu_logpath, sizeof(tu_logpath), "%s/log", tu_dir);
	if (mkdir(tu_dir, 0755) != 0)
		return -1;
	if ((n = readlink("/proc/self/exe", tu_self, sizeof(tu_self) - 1)) < 0)
		return -1;
	tu_self[n] = '\0';
	if ((tu_policyctl = getenv("POLICYCTL")) == NULL)
		tu_policyctl = "build/policyctl";
	if (access(tu_policyctl, X_OK) != 0) {
		prog = strrchr(tu_self, '/');
		fprintf(stderr, "%s: no policyctl at %s\n",
		    prog != NULL ? prog + 1 : tu_self, tu_policyctl);
		return -1;
	}
	setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
	return 0;
}

int
tu_selfrun_teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tu_dir);
	return system(cmd) == 0 ? 0 : -1;
}

char *
tu_path(const char *rel)
{
	static char buf[16][PATH_MAX];
	static int i;

	i = (i + 1) % 16;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", tu_dir, rel);
	return buf[i];
}

void
tu_put(const char *rel, const char *text)
{
	FILE *f = fopen(tu_path(rel), "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

void
tu_sh(const char *fmt, ...)
{
	char cmd[4 * PATH_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_int_equal(system(cmd), 0);
}

char *
tu_write_policy(const char *name, const char *fmt, ...)
{
	static char path[PATH_MAX];
	va_list ap;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.yaml", tu_dir, name);
	assert_non_null(f = fopen(path, "w"));
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	fclose(f);
	return path;
}

FILE *
tu_run_open(const char *pol, const char *args)
{
	size_t cap = strlen(tu_policyctl) + (pol != NULL ? strlen(pol) : 0) +
	    strlen(tu_self) + strlen(args) + strlen(tu_logpath) + 64;
	char *cmd = malloc(cap);
	FILE *f;

	assert_non_null(cmd);
	if (pol != NULL)
		snprintf(cmd, cap, "%s run -p %s -- %s --target %s 2>%s",
		    tu_policyctl, pol, tu_self, args, tu_logpath);
	else
		snprintf(cmd, cap, "%s --target %s", tu_self, args);
	f = popen(cmd, "r");
	free(cmd);
	assert_non_null(f);
	return f;
}

size_t
tu_run_ints(const char *pol, const char *args, int *res, size_t max)
{
	FILE *f = tu_run_open(pol, args);
	size_t n = 0, i;

	while (n < max && fscanf(f, "%d", &res[n]) == 1)
		n++;
	for (i = n; i < max; i++)
		res[i] = -1;
	assert_int_equal(pclose(f), 0);
	return n;
}

bool
tu_log_has(const char *what)
{
	char line[8192];
	bool found = false;
	FILE *f = fopen(tu_logpath, "r");

	assert_non_null(f);
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = strstr(line, what) != NULL;
	fclose(f);
	return found;
}

int
tu_target_steps(int argc, char **argv,
    int (*step)(const char *op, const char *arg))
{
	int i;

	for (i = 0; i + 1 < argc; i += 2) {
		printf("%d\n", step(argv[i], argv[i + 1]));
		fflush(stdout);
	}
	return 0;
}

/* "A:B" into from (A) and *to (B); 0 or -EINVAL. */
static int
tu_pair(const char *arg, char *from, size_t cap, const char **to)
{
	const char *b = strchr(arg, ':');

	if (b == NULL || (size_t)(b - arg) >= cap)
		return -EINVAL;
	memcpy(from, arg, (size_t)(b - arg));
	from[b - arg] = '\0';
	*to = b + 1;
	return 0;
}

int
tu_rename_pair(const char *arg)
{
	char from[PATH_MAX];
	const char *to;
	int r;

	if ((r = tu_pair(arg, from, sizeof(from), &to)) != 0)
		return r;
	return rename(from, to) == 0 ? 0 : -errno;
}

int
tu_link_pair(const char *arg)
{
	char from[PATH_MAX];
	const char *to;
	int r;

	if ((r = tu_pair(arg, from, sizeof(from), &to)) != 0)
		return r;
	return link(from, to) == 0 ? 0 : -errno;
}
