/* policyd_console_review.c: the console's Learning view: learned policies given by --review,
 * their rules one by one (kept, dropped or edited), checked by the compiler, saved atomically. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "policyd.h"
#include "policy_interactive.h"

#define PD_REVIEW_RULES		8192	/* rules per file */
#define PD_REVIEW_WRITE_MS	10000

static char *pd_review_paths[PD_REVIEW_FILES];
static size_t pd_nreview;

/* One rule of a learned policy: the comments above it and its line. */
struct pd_rrule {
	const char	*pre;		/* comment (and blank) lines above it */
	size_t		prelen;
	const char	*line;		/* the item line, newline excluded */
	size_t		linelen;
	char		*text;		/* the rule, unquoted */
	unsigned	lineno;
};

struct pd_rfile {
	char		*text;		/* the whole file */
	size_t		len;
	size_t		headlen;	/* through the "rules:" line */
	const char	*tail;		/* after the rules (keys, comments) */
	struct pd_rrule	*r;
	size_t		n;
	uint64_t	version;	/* hash of text */
};

static void
pd_rfile_free(struct pd_rfile *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		free(f->r[i].text);
	free(f->r);
	free(f->text);
	memset(f, 0, sizeof(*f));
}

static uint64_t
pd_review_hash(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;	/* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

/*
 * Read path, a regular file of uid's (not a link), at most
 * PD_CONSOLE_FILE_MAX bytes.  NULL with err if it is anything else.
 */
static char *
pd_review_read(const char *path, uid_t uid, size_t *lenp, char *err,
    size_t errlen)
{
	struct stat st;
	char *t;
	ssize_t n;
	size_t got = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK |
	    O_NOCTTY)) < 0) {
		snprintf(err, errlen, "%s: %s", path, errno == ELOOP ?
		    "a symbolic link (name the file itself)" : strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	if (st.st_uid != uid) {
		snprintf(err, errlen, "%s: owned by uid %u, not by the console's "
		    "user (uid %u)", path, (unsigned)st.st_uid, (unsigned)uid);
		close(fd);
		return NULL;
	}
	if (st.st_size > PD_CONSOLE_FILE_MAX ||
	    (t = malloc((size_t)st.st_size + 1)) == NULL) {
		snprintf(err, errlen, "%s: larger than %d bytes", path,
		    PD_CONSOLE_FILE_MAX);
		close(fd);
		return NULL;
	}
	while (got < (size_t)st.st_size && (n = read(fd, t + got,
	    (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	t[got] = '\0';
	if (strlen(t) != got) {
		snprintf(err, errlen, "%s: holds a NUL byte", path);
		free(t);
		return NULL;
	}
	*lenp = got;
	return t;
}

/* The rule an item line holds ("- 'rule'" or "- rule"), or NULL. */
static char *
pd_review_item(const char *s, size_t n)
{
	char *out;
	size_t i, j = 0;

	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	if ((out = malloc(n + 1)) == NULL)
		return NULL;
	if (n >= 2 && s[0] == '\'') {
		for (i = 1; i < n; i++) {
			if (s[i] == '\'') {
				if (i + 1 < n && s[i + 1] == '\'') {
					out[j++] = '\'';
					i++;
					continue;
				}
				break;
			}
			out[j++] = s[i];
		}
		if (i != n - 1) {	/* no closing quote, or more after it */
			free(out);
			return NULL;
		}
	} else if (n > 0 && s[0] != '"' && s[0] != '[' && s[0] != '{' &&
	    s[0] != '|' && s[0] != '>') {
		memcpy(out, s, n);
		j = n;
	} else {
		free(out);
		return NULL;
	}
	out[j] = '\0';
	return out;
}

/*
 * Split a learned policy into its head (through "rules:"), its rules with
 * the comments above each, and its tail.  Rules must be one line each, as
 * `policyctl learn` writes them.  0, or -1 with err.
 */
static int
pd_review_parse(struct pd_rfile *f, const char *path, char *err, size_t errlen)
{
	const char *p = f->text, *end = f->text + f->len, *pre = NULL;
	unsigned lineno = 0;
	bool in_rules = false;
	size_t cap = 0;

	f->tail = end;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl != NULL ? nl : end, *q = p;
		size_t ind;

		lineno++;
		while (q < le && q[0] == ' ')
			q++;
		ind = (size_t)(q - p);
		if (!in_rules) {
			if (strncmp(p, "rules:", 6) == 0 && (q = p + 6,
			    strspn(q, " \t\r") >= (size_t)(le - q))) {
				in_rules = true;
				f->headlen = (size_t)(nl != NULL ? nl + 1 - f->text :
				    end - f->text);
			}
		} else if (q == le || *q == '#' || *q == '\r') {
			if (pre == NULL)
				pre = p;
		} else if (ind > 0 && q + 1 < le && q[0] == '-' && q[1] == ' ') {
			struct pd_rrule *r;

			if (f->n >= PD_REVIEW_RULES) {
				snprintf(err, errlen, "%s: more than %d rules",
				    path, PD_REVIEW_RULES);
				return -1;
			}
			if (f->n == cap) {
				cap = cap ? cap * 2 : 64;
				if ((r = realloc(f->r, cap * sizeof(*r))) == NULL) {
					snprintf(err, errlen, "out of memory");
					return -1;
				}
				f->r = r;
			}
			r = &f->r[f->n];
			q += 2;
			while (q < le && *q == ' ')
				q++;
			if ((r->text = pd_review_item(q, (size_t)(le - q))) ==
			    NULL) {
				snprintf(err, errlen, "%s:%u: not a rule on one "
				    "line, as policyctl learn writes them", path,
				    lineno);
				return -1;
			}
			r->pre = pre != NULL ? pre : p;
			r->prelen = (size_t)(p - r->pre);
			r->line = p;
			r->linelen = (size_t)(le - p);
			r->lineno = lineno;
			f->n++;
			pre = NULL;
		} else if (ind == 0) {		/* the next key: the tail */
			f->tail = pre != NULL ? pre : p;
			return 0;
		} else {
			snprintf(err, errlen, "%s:%u: not a rule on one line, as "
			    "policyctl learn writes them", path, lineno);
			return -1;
		}
		p = nl != NULL ? nl + 1 : end;
	}
	if (!in_rules) {
		snprintf(err, errlen, "%s: no \"rules:\" list at the start of a "
		    "line", path);
		return -1;
	}
	if (pre != NULL)
		f->tail = pre;
	return 0;
}

static int
pd_review_load(size_t id, struct pd_rfile *f, char *err, size_t errlen)
{
	memset(f, 0, sizeof(*f));
	if ((f->text = pd_review_read(pd_review_paths[id], pd.cfg.console_uid,
	    &f->len, err, errlen)) == NULL)
		return -1;
	f->version = pd_review_hash(f->text, f->len);
	if (pd_review_parse(f, pd_review_paths[id], err, errlen) != 0) {
		pd_rfile_free(f);
		return -1;
	}
	return 0;
}

/* --review FILE at start: an absolute name, and a file we may review. */
int
pd_review_add(const char *path, char *err, size_t errlen)
{
	char abs[PATH_MAX];
	struct pd_rfile f;
	size_t i;

	if (pd_nreview >= PD_REVIEW_FILES) {
		snprintf(err, errlen, "--review %s: at most %d files", path,
		    PD_REVIEW_FILES);
		return -1;
	}
	if (realpath(path, abs) == NULL) {
		snprintf(err, errlen, "--review %s: %s", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < pd_nreview; i++)
		if (strcmp(pd_review_paths[i], abs) == 0)
			return 0;
	if ((pd_review_paths[pd_nreview] = strdup(abs)) == NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	pd_nreview++;
	if (pd_review_load(pd_nreview - 1, &f, err, errlen) != 0) {
		free(pd_review_paths[--pd_nreview]);
		return -1;
	}
	pd_rfile_free(&f);
	return 0;
}

void
pd_review_free(void)
{
	while (pd_nreview > 0)
		free(pd_review_paths[--pd_nreview]);
}

/* GET /api/review: [{"id","path","version","rules":[{"line","comment","rule"}]}
 * or {"id","path","error"}]. */
void
pd_review_json(struct pd_buf *b)
{
	struct pd_rfile f;
	char err[600], ver[20];
	size_t i, k;

	pd_buf_printf(b, "[");
	for (i = 0; i < pd_nreview; i++) {
		pd_buf_printf(b, "%s{\"id\":%zu,\"path\":", i ? "," : "", i);
		pd_buf_json(b, pd_review_paths[i]);
		if (pd_review_load(i, &f, err, sizeof(err)) != 0) {
			pd_buf_printf(b, ",\"error\":");
			pd_buf_json(b, err);
			pd_buf_printf(b, "}");
			continue;
		}
		snprintf(ver, sizeof(ver), "%016llx",
		    (unsigned long long)f.version);
		pd_buf_printf(b, ",\"version\":\"%s\",\"rules\":[", ver);
		for (k = 0; k < f.n; k++) {
			struct pd_rrule *r = &f.r[k];
			char *c = strndup(r->pre, r->prelen);

			pd_buf_printf(b, "%s{\"line\":%u,\"comment\":", k ? "," : "",
			    r->lineno);
			pd_buf_json(b, c != NULL ? c : "");
			pd_buf_printf(b, ",\"rule\":");
			pd_buf_json(b, r->text);
			pd_buf_printf(b, "}");
			free(c);
		}
		pd_buf_printf(b, "]}");
		pd_rfile_free(&f);
	}
	pd_buf_printf(b, "]");
}

/* Does rule compile alone, as a policy's one rule?  0, or -1 with the
 * compiler's message in err. */
int
pd_review_check_rule(const char *rule, char *err, size_t errlen)
{
	struct policy_diag diag;
	size_t i;
	char *yaml;
	void *blob;
	size_t bsize;
	int rv;

	for (i = 0; rule[i] != '\0'; i++)
		if ((unsigned char)rule[i] < 0x20 || rule[i] == 0x7f) {
			snprintf(err, errlen, "a rule is one line, without control "
			    "characters");
			return -1;
		}
	if (rule[strspn(rule, " \t")] == '\0') {
		snprintf(err, errlen, "the rule is empty (drop it instead)");
		return -1;
	}
	if ((yaml = policy_yaml_one_rule("policy: 1\nname: rule\n", rule)) ==
	    NULL) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memset(&diag, 0, sizeof(diag));
	rv = policy_compile_buffer("rule", yaml, strlen(yaml), &blob, &bsize,
	    &diag);
	free(yaml);
	if (rv != 0) {
		/* the column is the rule's: the item starts at column 6 */
		if (diag.pd_line == 4 && diag.pd_col > 5)
			snprintf(err, errlen, "column %u: %s", diag.pd_col - 5,
			    diag.pd_msg);
		else
			snprintf(err, errlen, "%s", diag.pd_msg);
		return -1;
	}
	free(blob);
	return 0;
}

/* Write text to path as the console's user (a child that has become them
 * when we are root).  0, or -1 with err.  create: path must not exist. */
static int
pd_review_write_here(const char *path, const char *text, size_t len,
    mode_t mode, bool create, char *err, size_t errlen)
{
	struct policy_diag diag;
	struct stat st;

	if (lstat(path, &st) == 0) {
		if (create) {
			snprintf(err, errlen, "%s exists: choose another name",
			    path);
			return -1;
		}
		if (!S_ISREG(st.st_mode) || st.st_uid != pd.cfg.console_uid) {
			snprintf(err, errlen, "%s is no longer a file of uid %u",
			    path, (unsigned)pd.cfg.console_uid);
			return -1;
		}
		mode = st.st_mode & 07777;
	} else if (!create || errno != ENOENT) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	memset(&diag, 0, sizeof(diag));
	if (policy_write_atomic(path, text, len, mode, &diag) != 0) {
		snprintf(err, errlen, "%s: %s", diag.pd_file, diag.pd_msg);
		return -1;
	}
	return 0;
}

static int
pd_review_write(const char *path, const char *text, size_t len, mode_t mode,
    bool create, char *err, size_t errlen)
{
	char buf[700];
	struct pollfd pfd;
	int p[2], st;
	ssize_t n;
	size_t got = 0;
	pid_t pid;

	if (geteuid() == pd.cfg.console_uid)
		return pd_review_write_here(path, text, len, mode, create, err,
		    errlen);
	if (pipe2(p, O_CLOEXEC) != 0 || (pid = fork()) < 0) {
		snprintf(err, errlen, "cannot start the writer: %s",
		    strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int ok = 0;

		close(p[0]);
		if (setgroups(0, NULL) != 0 || setresgid(pd.cfg.console_gid,
		    pd.cfg.console_gid, pd.cfg.console_gid) != 0 ||
		    setresuid(pd.cfg.console_uid, pd.cfg.console_uid,
		    pd.cfg.console_uid) != 0)
			snprintf(buf, sizeof(buf), "Ecannot become uid %u: %s",
			    (unsigned)pd.cfg.console_uid, strerror(errno));
		else if (pd_review_write_here(path, text, len, mode, create,
		    buf + 1, sizeof(buf) - 1) == 0) {
			buf[0] = 'K';
			buf[1] = '\0';
			ok = 1;
		} else
			buf[0] = 'E';
		(void)!write(p[1], buf, strlen(buf));
		_exit(ok ? 0 : 1);
	}
	close(p[1]);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	while (got < sizeof(buf) - 1 && poll(&pfd, 1, PD_REVIEW_WRITE_MS) > 0 &&
	    (n = read(p[0], buf + got, sizeof(buf) - 1 - got)) > 0)
		got += (size_t)n;
	buf[got] = '\0';
	close(p[0]);
	kill(pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (got >= 1 && buf[0] == 'K')
		return 0;
	snprintf(err, errlen, "%s", got >= 1 ? buf + 1 : "no result from the "
	    "writer");
	return -1;
}

/* A new file's name: letters, digits, '.', '_', '-'; not hidden. */
static bool
pd_review_name_ok(const char *s)
{
	size_t n = strlen(s);

	return n > 0 && n <= 200 && s[0] != '.' &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-") == n;
}

/*
 * The edited rules of a save's body (rule.K=TEXT), found in one pass:
 * edits[K] is TEXT decoded, or NULL.  false if a K is not a rule's.
 */
static bool
pd_review_edits(const char *body, char **edits, size_t n)
{
	const char *p = body;

	while (p != NULL && *p != '\0') {
		const char *end = strchr(p, '&'), *v;
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p), i, j = 0;
		unsigned long k;
		char *e, *out;

		if (strncmp(p, "rule.", 5) == 0 && (v = memchr(p, '=', len)) !=
		    NULL) {
			k = strtoul(p + 5, &e, 10);
			if (e != v || e == p + 5 || k >= n)
				return false;
			if ((out = malloc((size_t)(p + len - v))) == NULL)
				return false;
			for (i = (size_t)(v + 1 - p); i < len; i++) {
				unsigned x;

				if (p[i] == '+')
					out[j++] = ' ';
				else if (p[i] == '%' && i + 2 < len &&
				    sscanf(p + i + 1, "%2x", &x) == 1 && x != 0 &&
				    strspn(p + i + 1, "0123456789abcdefABCDEF") >= 2) {
					out[j++] = (char)x;
					i += 2;
				} else
					out[j++] = p[i];
			}
			out[j] = '\0';
			free(edits[k]);
			edits[k] = out;
		}
		p = end != NULL ? end + 1 : NULL;
	}
	return true;
}

static void
pd_review_addq(struct pd_buf *b, const char *rule)
{
	pd_buf_printf(b, "'");
	for (; *rule != '\0'; rule++)
		pd_buf_printf(b, *rule == '\'' ? "''" : "%c", *rule);
	pd_buf_printf(b, "'");
}

/*
 * POST /api/review/save: file=ID&version=V&keep=STRING (one '1' or '0' per
 * rule)&rule.K=TEXT (edited rules)&as=NAME (optional: a new file beside
 * it).  Nothing is written unless every edited rule and the whole result
 * compile.  HTTP code in *code; the JSON answer in b.
 */
void
pd_review_save(const char *body, struct pd_buf *b, unsigned *code)
{
	static char *edits[PD_REVIEW_RULES];
	char v[64], keep[PD_REVIEW_RULES + 1], as[256], err[1200];
	char why[600];
	char target[PATH_MAX + 256], ver[20];
	struct pd_buf out = { .max = PD_CONSOLE_FILE_MAX * 2 };
	struct pd_rfile f;
	struct policy_diag diag;
	unsigned long id;
	size_t k, kept = 0, edited = 0;
	void *blob;
	size_t bsize;
	char *end;

#define FAIL(c, ...) do {						\
	snprintf(err, sizeof(err), __VA_ARGS__);			\
	*code = (c);							\
	goto fail;							\
} while (0)
	memset(&f, 0, sizeof(f));
	if (!pd_form_get(body, "file", v, sizeof(v)) ||
	    (id = strtoul(v, &end, 10), *end != '\0' || v[0] == '\0') ||
	    id >= pd_nreview)
		FAIL(400, "file: the number of a file under review is needed");
	if (pd_review_load(id, &f, err, sizeof(err)) != 0) {
		*code = 409;
		goto fail;
	}
	snprintf(ver, sizeof(ver), "%016llx", (unsigned long long)f.version);
	if (!pd_form_get(body, "version", v, sizeof(v)) || strcmp(v, ver) != 0)
		FAIL(409, "%s changed since it was shown: reload it",
		    pd_review_paths[id]);
	if (!pd_form_get(body, "keep", keep, sizeof(keep)) ||
	    strlen(keep) != f.n || strspn(keep, "01") != f.n)
		FAIL(400, "keep: one 0 or 1 per rule (%zu rules)", f.n);
	if (!pd_review_edits(body, edits, f.n))
		FAIL(400, "rule.K: K is the number of one of the %zu rules "
		    "(from 0)", f.n);
	pd_buf_add(&out, f.text, f.headlen);
	for (k = 0; k < f.n; k++) {
		struct pd_rrule *r = &f.r[k];
		const char *rule = edits[k] != NULL ? edits[k] : "";

		if (keep[k] == '0')
			continue;
		kept++;
		pd_buf_add(&out, r->pre, r->prelen);
		if (rule[0] == '\0' || strcmp(rule, r->text) == 0) {
			pd_buf_add(&out, r->line, r->linelen);
			pd_buf_printf(&out, "\n");
			continue;
		}
		if (pd_review_check_rule(rule, why, sizeof(why)) != 0)
			FAIL(422, "rule %zu (line %u): does not compile, nothing "
			    "was written: %s", k + 1, r->lineno, why);
		edited++;
		pd_buf_printf(&out, "%.*s# edited in policyd's console; "
		    "learned: ", (int)(strspn(r->line, " ")), r->line);
		pd_review_addq(&out, r->text);
		pd_buf_printf(&out, "\n%.*s- ", (int)(strspn(r->line, " ")),
		    r->line);
		pd_review_addq(&out, rule);
		pd_buf_printf(&out, "\n");
	}
	pd_buf_add(&out, f.tail, (size_t)(f.text + f.len - f.tail));
	if (out.failed || out.b == NULL)
		FAIL(500, "out of memory, or the result is too large");
	if (pd_form_get(body, "as", as, sizeof(as)) && as[0] != '\0') {
		char dir[PATH_MAX], *slash;

		if (!pd_review_name_ok(as))
			FAIL(400, "as: a file name beside the reviewed one "
			    "(letters, digits, '.', '_', '-'; not hidden)");
		snprintf(dir, sizeof(dir), "%s", pd_review_paths[id]);
		slash = strrchr(dir, '/');
		*slash = '\0';
		snprintf(target, sizeof(target), "%s/%s", dir, as);
	} else
		snprintf(target, sizeof(target), "%s", pd_review_paths[id]);
	memset(&diag, 0, sizeof(diag));
	if (policy_compile_buffer(target, out.b, out.n, &blob, &bsize,
	    &diag) != 0) {
		if (diag.pd_line != 0)
			FAIL(422, "the result does not compile, nothing was "
			    "written: %s:%u:%u: %s", diag.pd_file, diag.pd_line,
			    diag.pd_col, diag.pd_msg);
		FAIL(422, "the result does not compile, nothing was written: "
		    "%s", diag.pd_msg);
	}
	free(blob);
	if (pd_review_write(target, out.b, out.n, 0600, strcmp(target,
	    pd_review_paths[id]) != 0, err, sizeof(err)) != 0) {
		*code = 409;
		goto fail;
	}
	pd_console_policy_changed(target);
	pd_log(LOG_INFO, "console: %s reviewed and written to %s: %zu rules "
	    "kept (%zu edited), %zu dropped", pd_review_paths[id], target,
	    kept, edited, f.n - kept);
	*code = 200;
	pd_buf_printf(b, "{\"status\":\"saved\",\"path\":");
	pd_buf_json(b, target);
	pd_buf_printf(b, ",\"kept\":%zu,\"edited\":%zu,\"dropped\":%zu,"
	    "\"text\":", kept, edited, f.n - kept);
	snprintf(err, sizeof(err), "%zu rules kept (%zu edited), %zu dropped; "
	    "written to ", kept, edited, f.n - kept);
	{
		struct pd_buf t = { .max = sizeof(err) + sizeof(target) };

		pd_buf_printf(&t, "%s%s", err, target);
		pd_buf_json(b, t.b != NULL ? t.b : err);
		pd_buf_free(&t);
	}
	pd_buf_printf(b, "}");
	pd_buf_free(&out);
	pd_rfile_free(&f);
	for (k = 0; k < PD_REVIEW_RULES; k++) {
		free(edits[k]);
		edits[k] = NULL;
	}
	return;
fail:
	pd_buf_printf(b, "{\"status\":\"%s\",\"text\":", *code == 422 ?
	    "invalid" : "error");
	pd_buf_json(b, err);
	pd_buf_printf(b, "}");
	pd_buf_free(&out);
	pd_rfile_free(&f);
	for (k = 0; k < PD_REVIEW_RULES; k++) {
		free(edits[k]);
		edits[k] = NULL;
	}
#undef FAIL
}

/* POST /api/review/check: rule=TEXT: does it compile alone? */
void
pd_review_check(const char *body, struct pd_buf *b, unsigned *code)
{
	static char rule[PD_REVIEW_BODY_MAX];
	char err[700];

	if (!pd_form_get(body, "rule", rule, sizeof(rule))) {
		*code = 400;
		pd_buf_printf(b, "{\"ok\":false,\"error\":\"rule: the rule to "
		    "check is needed\"}");
		return;
	}
	if (pd_review_check_rule(rule, err, sizeof(err)) != 0) {
		*code = 422;
		pd_buf_printf(b, "{\"ok\":false,\"error\":");
		pd_buf_json(b, err);
		pd_buf_printf(b, "}");
		return;
	}
	*code = 200;
	pd_buf_printf(b, "{\"ok\":true}");
}
