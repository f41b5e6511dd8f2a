/* policyctl_compile.c: "policyctl compile" and "policyctl check": YAML to a validated
 * blob written atomically, and validation of YAML policies or blobs with exact errors. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "libpolicy.h"
#include "policyctl.h"

/* Write data to path atomically: temporary file, fsync, rename. */
static int
policyctl_write_atomic(const char *path, const void *data, size_t size)
{
	char tmp[4096];
	const char *p = data;
	int fd;

	if (snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path) >= (int)sizeof(tmp)) {
		fprintf(stderr, "policyctl: %s: path too long\n", path);
		return -1;
	}
	if ((fd = mkstemp(tmp)) == -1) {
		fprintf(stderr, "policyctl: cannot create %s: %s\n", tmp,
		    strerror(errno));
		return -1;
	}
	while (size > 0) {
		ssize_t n = write(fd, p, size);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		p += n;
		size -= (size_t)n;
	}
	if (fchmod(fd, 0644) != 0 || fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	if (rename(tmp, path) != 0) {
		fd = -1;
		goto fail;
	}
	return 0;
fail:
	fprintf(stderr, "policyctl: cannot write %s: %s\n", path,
	    strerror(errno));
	if (fd != -1)
		close(fd);
	unlink(tmp);
	return -1;
}

int
policyctl_compile(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *out = NULL;
	struct policy_diag diag;
	void *blob;
	size_t size;
	int c;

	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'h':
			printf("usage: policyctl compile [-o OUTPUT] POLICY.yaml\n\n"
			    "Compile a YAML policy into a validated binary blob.\n"
			    "The output (default: POLICY.yaml with .blob in place of "
			    ".yaml) is\nreplaced atomically; on any error nothing "
			    "is written.\n\n"
			    "  -o, --output FILE  where to write the blob ('-' for "
			    "standard output)\n  -h, --help         this text\n");
			return PCTL_EXIT_OK;
		default:
			return PCTL_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: policyctl compile [-o OUTPUT] POLICY.yaml\n");
		return PCTL_EXIT_USAGE;
	}
	if (policy_compile_file(argv[optind], &blob, &size, &diag) != 0) {
		policy_diag_print(stderr, &diag);
		return PCTL_EXIT_INVALID;
	}
	{
		/* The compiler's output must pass the same validator as any blob. */
		struct policy_loaded *pl = policy_load_blob(blob, size,
		    argv[optind], &diag);
		if (pl == NULL) {
			policy_diag_print(stderr, &diag);
			free(blob);
			return PCTL_EXIT_INVALID;
		}
		policy_loaded_free(pl);
	}
	if (out != NULL && strcmp(out, "-") == 0) {
		int ok = fwrite(blob, 1, size, stdout) == size &&
		    fflush(stdout) == 0;
		free(blob);
		return ok ? PCTL_EXIT_OK : PCTL_EXIT_SYSTEM;
	}
	{
		char def[4096];
		const char *in = argv[optind];
		size_t n = strlen(in);

		if (out == NULL) {
			if (n > 5 && strcmp(in + n - 5, ".yaml") == 0)
				n -= 5;
			else if (n > 4 && strcmp(in + n - 4, ".yml") == 0)
				n -= 4;
			snprintf(def, sizeof(def), "%.*s.blob", (int)n, in);
			out = def;
		}
		c = policyctl_write_atomic(out, blob, size);
	}
	free(blob);
	return c == 0 ? PCTL_EXIT_OK : PCTL_EXIT_SYSTEM;
}

int
policyctl_check(int argc, char **argv)
{
	int i, bad = 0, quiet = 0, first = 1;

	if (policyctl_wants_help(argc, argv)) {
		printf("usage: policyctl check [-q] POLICY...\n\n"
		    "Validate YAML policies or compiled blobs.  Each error is "
		    "printed as\nfile:line:col: message; the exit status is 1 "
		    "if any policy is invalid.\n\n  -q  print nothing for valid "
		    "policies\n");
		return PCTL_EXIT_OK;
	}
	if (argc > 1 && strcmp(argv[1], "-q") == 0) {
		quiet = 1;
		first = 2;
	}
	if (argc <= first) {
		fprintf(stderr, "usage: policyctl check [-q] POLICY...\n");
		return PCTL_EXIT_USAGE;
	}
	for (i = first; i < argc; i++) {
		struct policy_diag diag;
		struct policy_loaded *pl = policy_load_file(argv[i], &diag);

		if (pl == NULL) {
			policy_diag_print(stderr, &diag);
			bad = 1;
			continue;
		}
		if (!quiet)
			printf("%s: ok (%u rules)\n", argv[i],
			    pl->pl_policy.p_nrules);
		policy_loaded_free(pl);
	}
	return bad ? PCTL_EXIT_INVALID : PCTL_EXIT_OK;
}
