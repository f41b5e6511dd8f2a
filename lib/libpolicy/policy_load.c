/* policy_load.c: libpolicy's entry points: read a policy file, compile YAML to a blob,
 * load and validate a blob, diagnostics, and request construction helpers. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/mman.h>

#include "policy_compile.h"

#define POLICY_FILE_MAX	(64u * 1024 * 1024)

void
policy_diag_set(struct policy_diag *d, const char *file, unsigned line,
    unsigned col, const char *fmt, ...)
{
	va_list ap;

	if (d == NULL)
		return;
	snprintf(d->pd_file, sizeof(d->pd_file), "%s", file ? file : "");
	d->pd_line = line;
	d->pd_col = col;
	va_start(ap, fmt);
	vsnprintf(d->pd_msg, sizeof(d->pd_msg), fmt, ap);
	va_end(ap);
}

void
policy_diag_print(FILE *fp, const struct policy_diag *d)
{
	if (d->pd_line > 0)
		fprintf(fp, "%s:%u:%u: %s\n", d->pd_file, d->pd_line,
		    d->pd_col, d->pd_msg);
	else
		fprintf(fp, "%s: %s\n", d->pd_file, d->pd_msg);
}

int
policy_read_file(const char *path, char **textp, size_t *lenp,
    struct policy_diag *diag)
{
	struct stat st;
	char *buf = NULL;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		policy_diag_set(diag, path, 0, 0, "cannot open: %s",
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		policy_diag_set(diag, path, 0, 0, "is a directory, not a policy");
		close(fd);
		return -1;
	}
	for (;;) {
		if (len + 1 >= cap) {
			char *nb;
			cap = cap ? cap * 2 : 8192;
			if (cap > POLICY_FILE_MAX + 2) {
				policy_diag_set(diag, path, 0, 0, "file larger "
				    "than %u bytes", POLICY_FILE_MAX);
				goto fail;
			}
			/* aligned as a loaded blob, to be used in place */
			if ((nb = aligned_alloc(64, cap)) == NULL) {
				policy_diag_set(diag, path, 0, 0, "out of memory");
				goto fail;
			}
			if (len > 0)
				memcpy(nb, buf, len);
			free(buf);
			buf = nb;
		}
		n = read(fd, buf + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			policy_diag_set(diag, path, 0, 0, "read error: %s",
			    strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = '\0';
	*textp = buf;
	*lenp = len;
	return 0;
fail:
	free(buf);
	close(fd);
	return -1;
}

int
policy_compile_buffer(const char *name, const char *text, size_t len,
    void **blobp, size_t *sizep, struct policy_diag *diag)
{
	struct pc_arena arena;
	struct pc_policy pol;
	int rv;

	memset(&arena, 0, sizeof(arena));
	rv = pc_yaml_parse(&arena, name, text, len, &pol, diag);
	if (rv == 0)
		rv = pc_build(&pol, blobp, sizep, diag);
	pc_arena_free(&arena);
	return rv;
}

int
policy_compile_file(const char *path, void **blobp, size_t *sizep,
    struct policy_diag *diag)
{
	char *text;
	size_t len;
	int rv;

	if (policy_read_file(path, &text, &len, diag) != 0)
		return -1;
	rv = policy_compile_buffer(path, text, len, blobp, sizep, diag);
	free(text);
	return rv;
}

/*
 * Memory for a loaded blob (freed with free()): on a cache line, as the
 * trie nodes in it are laid out.  A large policy is read at
 * random places on every decision: in 2 MiB pages, those reads miss the
 * TLB far less (a page walk is dearest in a virtual machine), as they do
 * in a kernel's direct map.
 */
#define HUGE_PAGE	(2u << 20)
static void *
policy_blob_alloc(size_t size)
{
	size_t rounded = (size + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
	void *p;

	if (size < HUGE_PAGE)
		return aligned_alloc(64, (size + 63) & ~(size_t)63);
	if ((p = aligned_alloc(HUGE_PAGE, rounded)) != NULL)
		(void)madvise(p, rounded, MADV_HUGEPAGE);	/* a hint */
	return p;
}

/* Takes ownership of blob (malloc'd, 8-aligned) in all cases. */
static struct policy_loaded *
policy_adopt_blob(void *blob, size_t size, const char *name,
    struct policy_diag *diag)
{
	struct policy_loaded *pl;
	char err[POLICY_ERRBUF];

	if ((pl = calloc(1, sizeof(*pl))) == NULL) {
		policy_diag_set(diag, name, 0, 0, "out of memory");
		free(blob);
		return NULL;
	}
	if (policy_blob_validate(&pl->pl_policy, blob, size, err,
	    sizeof(err)) != 0) {
		policy_diag_set(diag, name, 0, 0, "%s", err);
		free(blob);
		free(pl);
		return NULL;
	}
	pl->pl_blob = blob;
	pl->pl_size = size;
	return pl;
}

struct policy_loaded *
policy_load_blob(const void *blob, size_t size, const char *name,
    struct policy_diag *diag)
{
	void *copy;

	if (size > POLICY_BLOB_MAX) {
		policy_diag_set(diag, name, 0, 0, "blob too large");
		return NULL;
	}
	if ((copy = policy_blob_alloc(size)) == NULL) {
		policy_diag_set(diag, name, 0, 0, "out of memory");
		return NULL;
	}
	memcpy(copy, blob, size);
	return policy_adopt_blob(copy, size, name, diag);
}

struct policy_loaded *
policy_load_file(const char *path, struct policy_diag *diag)
{
	char *text;
	size_t len, size;
	void *blob;
	uint32_t magic = 0;

	if (policy_read_file(path, &text, &len, diag) != 0)
		return NULL;
	if (len >= sizeof(magic))
		memcpy(&magic, text, sizeof(magic));
	if (magic == POLICY_MAGIC)
		return policy_adopt_blob(text, len, path, diag);
	if (policy_compile_buffer(path, text, len, &blob, &size, diag) != 0) {
		free(text);
		return NULL;
	}
	free(text);
	return policy_adopt_blob(blob, size, path, diag);
}

void
policy_loaded_free(struct policy_loaded *pl)
{
	if (pl == NULL)
		return;
	free(pl->pl_blob);
	free(pl);
}

void
policy_request_set_str(struct policy_request *req, unsigned field,
    const char *s)
{
	static const size_t cap[POLICY_F_NSTR] = {
		POLICY_PATH_MAX, POLICY_PATH_MAX, POLICY_SOCKADDR_MAX,
		POLICY_ARGV_MAX, POLICY_SYSCALL_MAX
	};
	char *dst[POLICY_F_NSTR] = { req->pr_filename, req->pr_filename2,
	    req->pr_sockaddr, req->pr_argv, req->pr_syscall };
	size_t n, len;

	if (field >= POLICY_F_NSTR)
		return;
	n = len = strlen(s);
	if (n >= cap[field])
		n = cap[field] - 1;
	memcpy(dst[field], s, n);
	dst[field][n] = '\0';
	/* a longer path or socket address keeps its length: policy_eval
	 * refuses to decide on its head alone (policy_eval_long takes the
	 * whole) */
	if (field > POLICY_F_SOCKADDR || len < cap[field])
		len = n;
	else if (len > UINT32_MAX)
		len = UINT32_MAX;
	req->pr_len[field] = (uint32_t)len;
	req->pr_present |= 1u << field;
}

void
policy_request_set_int(struct policy_request *req, unsigned field, int64_t v)
{
	if (field < POLICY_F_NSTR || field >= POLICY_F_COUNT)
		return;
	req->pr_int[field - POLICY_F_NSTR] = v;
	req->pr_present |= 1u << field;
}

struct policy_loaded *
policy_loaded_with_default(const struct policy_loaded *pl, unsigned action,
    struct policy_diag *diag)
{
	struct policy_blob_header *h;
	struct policy_loaded *out;
	void *copy;
	const char *name = pl->pl_policy.p_hdr->ph_source.len ?
	    policy_str(&pl->pl_policy, pl->pl_policy.p_hdr->ph_source) :
	    "policy";

	if (action == POLICY_ACT_NONE || action >= POLICY_ACT_COUNT) {
		policy_diag_set(diag, name, 0, 0, "bad default action");
		return NULL;
	}
	if ((copy = aligned_alloc(8, (pl->pl_size + 7) & ~(size_t)7)) == NULL) {
		policy_diag_set(diag, name, 0, 0, "out of memory");
		return NULL;
	}
	memcpy(copy, pl->pl_blob, pl->pl_size);
	h = copy;
	h->ph_default_action = (uint8_t)action;
	h->ph_checksum = policy_blob_checksum(copy, pl->pl_size);
	out = policy_load_blob(copy, pl->pl_size, name, diag);
	free(copy);
	return out;
}
