/* policy_learn.c: learning mode: records every decision point of a run, then writes a
 * policy that generalises them (library and locale trees, temporary names, /proc pids). */
/*
 * Decision points are recorded exactly (operation and arguments, with a
 * count); generalisation happens when the policy is written, because it
 * needs the whole run: a name in /tmp is a temporary file when the run
 * created it exclusively (mkstemp's O_CREAT|O_EXCL, or mkdir), and every
 * later use of it must get the same pattern.  The rules:
 *
 *  - reads (open without write intent, stat, access, readlink, chdir)
 *    become fsread rules; of a shared library (NAME.so, NAME.so.N): every
 *    library in its directory (a `match` glob of DIR and "*.so*"); below
 *    a locale, time-zone, terminfo, header or language-library tree: that
 *    tree (`inpath`); anything else: the path itself;
 *  - a direct child of /tmp (or /var/tmp) that the run created, or whose
 *    name looks random, becomes a regular expression keeping its fixed
 *    stem and extension (`re "^/tmp/cc[^/]*\\.s$"`), never a made-up
 *    byte (pl_tmp_split); below a directory the run created there, any
 *    path (`re "^/tmp/tmp[^/]*\/"`: the run's own tree);
 *  - elsewhere, a file the run created exclusively under a made-up name
 *    (ar's and sed -i's, beside the file they replace) becomes its
 *    directory, stem and extension with six bytes of mkstemp's alphabet
 *    between (`re "^/src/st[A-Za-z0-9]{6}$"`: pl_made_temp);
 *  - anything below another directory the run made (mkdir) is permitted
 *    by `inpath` of the outermost one: a repository's .git, a build tree;
 *  - renames and links the run made are permitted with `widen`;
 *  - a file the run opened with O_CREAT may also be unlinked (a build run
 *    again removes its old outputs first: pl_implies_unlink);
 *  - numeric components below /proc and /dev/pts, and in the names of
 *    objects with no path ("pipe:[N]", a namespace's "pid:[N]"), match
 *    any number;
 *  - files under $HOME are written with the expanded path (the language
 *    has no variables) and the comment shows them as $HOME/...;
 *  - addresses, ports included, execve'd programs, signals and socket
 *    kinds are kept exact; named system calls become `NAME: permit`.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_interactive.h"

/* Order of the rule groups in the written policy. */
enum { PL_EXEC, PL_READ, PL_WRITE, PL_NET, PL_PROC, PL_SYSCALL, PL_NGROUP };

struct pl_rec {
	char		*key;		/* canonical exact key */
	uint64_t	calls;
	uint16_t	op;
	uint8_t		write;		/* open with write intent */
	uint32_t	present;
	char		*str[POLICY_F_NSTR];
	int64_t		ints[POLICY_F_NINT];
};

struct policy_learn {
	pthread_mutex_t	lock;
	struct pl_rec	**tab;		/* open addressing on key */
	size_t		cap, n;
	uint64_t	calls;
	uint64_t	skipped;	/* mount calls: not learned */
	char		*home;
	/* while the policy is written: sorted paths the run made */
	const char	**made;		/* directories (mkdir) */
	size_t		nmade;
	const char	**excl;		/* and files (an exclusive create) */
	size_t		nexcl;
	const char	**gone;		/* names it renamed away or unlinked */
	size_t		ngone;
};

static uint64_t
pl_hash(const char *s)
{
	uint64_t h = 1469598103934665603u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

struct policy_learn *
policy_learn_new(const char *home)
{
	struct policy_learn *l = calloc(1, sizeof(*l));

	if (l == NULL)
		return NULL;
	pthread_mutex_init(&l->lock, NULL);
	if (home != NULL && home[0] == '/' && strcmp(home, "/") != 0) {
		size_t n = strlen(home);

		if ((l->home = strdup(home)) == NULL) {
			free(l);
			return NULL;
		}
		while (n > 1 && l->home[n - 1] == '/')
			l->home[--n] = '\0';
	}
	return l;
}

static void
pl_rec_free(struct pl_rec *r)
{
	unsigned f;

	if (r == NULL)
		return;
	for (f = 0; f < POLICY_F_NSTR; f++)
		free(r->str[f]);
	free(r->key);
	free(r);
}

void
policy_learn_free(struct policy_learn *l)
{
	size_t i;

	if (l == NULL)
		return;
	for (i = 0; i < l->cap; i++)
		pl_rec_free(l->tab[i]);
	free(l->tab);
	free(l->home);
	pthread_mutex_destroy(&l->lock);
	free(l);
}

uint64_t
policy_learn_calls(const struct policy_learn *l)
{
	return l->calls;
}

static bool
pl_open_writes(const struct policy_request *r)
{
	int64_t fl = r->pr_int[POLICY_F_FLAGS - POLICY_F_NSTR];

	return (fl & POLICY_O_ACCMODE) != POLICY_O_RDONLY ||
	    (fl & (POLICY_O_CREAT | POLICY_O_TRUNC | POLICY_O_APPEND |
	    POLICY_O_TMPFILE)) != 0;
}

/* Which fields a learned rule keeps, per operation. */
static uint32_t
pl_fields(unsigned op)
{
	switch (op) {
	case POLICY_OP_CONNECT: case POLICY_OP_BIND: case POLICY_OP_SENDTO:
	case POLICY_OP_SENDMSG:
		return 1u << POLICY_F_SOCKADDR;
	case POLICY_OP_SOCKET:
		return (1u << POLICY_F_DOMAIN) | (1u << POLICY_F_TYPE);
	case POLICY_OP_KILL:
		return 1u << POLICY_F_SIGNAL;
	case POLICY_OP_PTRACE:
		return 1u << POLICY_F_REQUEST;
	case POLICY_OP_SYSCALL:
		return 1u << POLICY_F_SYSCALL;
	case POLICY_OP_EXECVE:
		return 1u << POLICY_F_FILENAME;
	default:
		return (1u << POLICY_F_FILENAME) | (1u << POLICY_F_FILENAME2) |
		    (1u << POLICY_F_FLAGS);
	}
}

static int
pl_grow(struct policy_learn *l)
{
	size_t ncap = l->cap ? l->cap * 2 : 256, i;
	struct pl_rec **nt = calloc(ncap, sizeof(*nt));

	if (nt == NULL)
		return -1;
	for (i = 0; i < l->cap; i++) {
		size_t j;

		if (l->tab[i] == NULL)
			continue;
		j = pl_hash(l->tab[i]->key) & (ncap - 1);
		while (nt[j] != NULL)
			j = (j + 1) & (ncap - 1);
		nt[j] = l->tab[i];
	}
	free(l->tab);
	l->tab = nt;
	l->cap = ncap;
	return 0;
}

void
policy_learn_add(struct policy_learn *l, const struct policy_request *r)
{
	policy_learn_add_whole(l, r, NULL);
}

void
policy_learn_add_whole(struct policy_learn *l, const struct policy_request *r,
    const char *const whole[POLICY_F_NLONG])
{
	const char *str[POLICY_F_NSTR] = { r->pr_filename, r->pr_filename2,
	    r->pr_sockaddr, r->pr_argv, r->pr_syscall };
	uint32_t keep = pl_fields(r->pr_op) & r->pr_present;
	char *key;
	size_t klen = 64, i;
	unsigned f;
	struct pl_rec *rec;
	int write = r->pr_op == POLICY_OP_OPEN && pl_open_writes(r);
	FILE *fp;

	if (r->pr_op == POLICY_OP_NONE || r->pr_op >= POLICY_OP_COUNT)
		return;
	for (f = 0; whole != NULL && f < POLICY_F_NLONG; f++)
		if (whole[f] != NULL)
			str[f] = whole[f];
	if ((fp = open_memstream(&key, &klen)) == NULL)
		return;
	fprintf(fp, "%u/%d", (unsigned)r->pr_op, write);
	for (f = 0; f < POLICY_F_COUNT; f++) {
		if (!(keep & (1u << f)) || f == POLICY_F_FLAGS)
			continue;
		if (f < POLICY_F_NSTR)
			fprintf(fp, "|%u=%s", f, str[f]);
		else
			fprintf(fp, "|%u=%lld", f,
			    (long long)r->pr_int[f - POLICY_F_NSTR]);
	}
	if (fclose(fp) != 0)
		return;
	pthread_mutex_lock(&l->lock);
	l->calls++;
	if (r->pr_op == POLICY_OP_MOUNT || r->pr_op == POLICY_OP_UNMOUNT) {
		l->skipped++;
		goto out;
	}
	if ((l->n + 1) * 2 > l->cap && pl_grow(l) != 0)
		goto out;
	i = pl_hash(key) & (l->cap - 1);
	while (l->tab[i] != NULL && strcmp(l->tab[i]->key, key) != 0)
		i = (i + 1) & (l->cap - 1);
	if ((rec = l->tab[i]) == NULL) {
		if ((rec = calloc(1, sizeof(*rec))) == NULL)
			goto out;
		rec->key = key;
		key = NULL;
		rec->op = r->pr_op;
		rec->write = (uint8_t)write;
		rec->present = keep;
		for (f = 0; f < POLICY_F_NSTR; f++)
			if ((keep & (1u << f)) &&
			    (rec->str[f] = strdup(str[f])) == NULL) {
				pl_rec_free(rec);
				goto out;
			}
		for (f = POLICY_F_NSTR; f < POLICY_F_COUNT; f++)
			rec->ints[f - POLICY_F_NSTR] = r->pr_int[f - POLICY_F_NSTR];
		l->tab[i] = rec;
		l->n++;
	}
	/* a create anywhere in the run marks a file the run makes (and an
	 * exclusive one a temporary name) */
	if (r->pr_op == POLICY_OP_OPEN) {
		int64_t fl = r->pr_int[POLICY_F_FLAGS - POLICY_F_NSTR];

		rec->ints[POLICY_F_FLAGS - POLICY_F_NSTR] |=
		    fl & POLICY_O_CREAT;
		if ((fl & (POLICY_O_CREAT | POLICY_O_EXCL)) ==
		    (POLICY_O_CREAT | POLICY_O_EXCL))
			rec->ints[POLICY_F_FLAGS - POLICY_F_NSTR] |=
			    POLICY_O_EXCL;
	}
	rec->calls++;
out:
	pthread_mutex_unlock(&l->lock);
	free(key);
}

/* ------------------------------------------------------------------ */
/* Generalisation                                                      */

/* A growing string. */
struct pl_str {
	char	*b;
	size_t	n, cap;
	bool	oom;
};

static void
ps_add(struct pl_str *s, const char *p, size_t n)
{
	if (s->oom)
		return;
	if (s->n + n + 1 > s->cap) {
		size_t c = s->cap ? s->cap : 64;
		char *nb;

		while (c < s->n + n + 1)
			c *= 2;
		if ((nb = realloc(s->b, c)) == NULL) {
			s->oom = true;
			return;
		}
		s->b = nb;
		s->cap = c;
	}
	memcpy(s->b + s->n, p, n);
	s->n += n;
	s->b[s->n] = '\0';
}

static void
ps_cat(struct pl_str *s, const char *p)
{
	ps_add(s, p, strlen(p));
}

/* Text for a "..." operand of the rule language: \" and \\ escaped; a
 * regex escape (one backslash in the regex) is written as two. */
static void
ps_rule_quoted(struct pl_str *s, const char *p)
{
	ps_cat(s, "\"");
	for (; *p; p++) {
		if (*p == '"' || *p == '\\')
			ps_add(s, "\\", 1);
		ps_add(s, p, 1);
	}
	ps_cat(s, "\"");
}

/* Append p to a regex with its metacharacters escaped. */
static void
ps_rx_lit(struct pl_str *s, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (strchr(".[]{}()*+?|^$\\", p[i]) != NULL)
			ps_add(s, "\\", 1);
		ps_add(s, p + i, 1);
	}
}

static bool
pl_has_ctl(const char *p)
{
	for (; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return true;
	return false;
}

static bool
pl_under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

static bool
pl_all_digits(const char *p, size_t n)
{
	size_t i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)p[i]))
			return false;
	return true;
}

/* Trees read as a whole: the tree's root for path, or NULL. */
static const char *
pl_tree(const char *path, char *buf, size_t cap)
{
	static const char *const fixed[] = {
		"/usr/lib/locale", "/usr/share/locale", "/usr/share/i18n",
		"/usr/share/locale-langpack", "/usr/lib/x86_64-linux-gnu/gconv",
		"/usr/share/zoneinfo", "/usr/share/terminfo", "/usr/lib/terminfo",
		"/etc/terminfo", "/usr/include", "/usr/lib/gcc",
		"/usr/libexec/gcc", "/usr/lib/python3/dist-packages",
		"/usr/share/git-core", "/usr/share/perl", "/usr/lib/ssl",
	};
	static const char *const versioned[] = {	/* ROOT + name.N... */
		"/usr/lib/python3.", "/usr/local/lib/python3.",
		"/usr/lib/x86_64-linux-gnu/perl", "/usr/share/perl/5",
	};
	size_t i;

	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (pl_under(path, fixed[i]))
			return fixed[i];
	for (i = 0; i < sizeof(versioned) / sizeof(versioned[0]); i++) {
		size_t n = strlen(versioned[i]);
		const char *e;

		if (strncmp(path, versioned[i], n) != 0)
			continue;
		e = strchr(path + n, '/');
		if (e == NULL)
			e = path + strlen(path);
		if ((size_t)(e - path) >= cap)
			return NULL;
		memcpy(buf, path, (size_t)(e - path));
		buf[e - path] = '\0';
		return buf;
	}
	return NULL;
}

/* A shared library: "...so" or "...so.N[.N...]" as the last name. */
static bool
pl_is_lib(const char *path)
{
	const char *b = strrchr(path, '/'), *p;

	b = b ? b + 1 : path;
	if ((p = strstr(b, ".so")) == NULL || p == b)
		return false;
	for (p += 3; *p; p++)
		if (!isdigit((unsigned char)*p) && *p != '.')
			return false;
	return true;
}

/* Do the six bytes at p look made up: all of mkstemp's or tempfile's
 * alphabet ([A-Za-z0-9_]), with a digit or both cases? */
static bool
pl_made_up(const char *p)
{
	int digit = 0, upper = 0, lower = 0, i;

	for (i = 0; i < 6; i++) {
		if (!isalnum((unsigned char)p[i]) && p[i] != '_')
			return false;
		digit |= isdigit((unsigned char)p[i]) != 0;
		upper |= isupper((unsigned char)p[i]) != 0;
		lower |= islower((unsigned char)p[i]) != 0;
	}
	return digit || (upper && lower);
}

/*
 * Split a temporary file name into its fixed stem, the made-up middle and
 * the extension.  The extension runs from the first '.' (or the end) after
 * six made-up bytes, else from the first '.' after six bytes (mkstemps' suffix, as in
 * "ccXXXXXX.cdtor.c"; made-up letters are never dots).  The middle is glibc's six bytes of [A-Za-z0-9] when an upper-case
 * letter shows there; otherwise it may be Python's eight of [a-z0-9_]
 * (tempfile: "tmp" and eight, or eight alone), so eight are taken: taking
 * too many only makes the pattern wider, keeping a made-up byte in the
 * stem would make it miss the next run.  A stem whose last part (after
 * '.', '-' or '_') holds upper-case letters or digits is made up too
 * (mktemp(1)'s ten X's): it is cut back to the separator.  Returns false
 * if the name is too short for that.
 */
static bool
pl_tmp_split(const char *name, size_t nlen, size_t *pre, size_t *ext)
{
	size_t p, e, i;
	bool upper = false;

	for (e = 6; e <= nlen; e++)	/* the first '.' after made-up bytes */
		if ((e == nlen || name[e] == '.') && pl_made_up(name + e - 6))
			break;
	if (e > nlen)			/* else the first '.' */
		for (e = 6; e < nlen && name[e] != '.'; e++)
			continue;
	if (e < 6 || e > nlen || nlen - e > 16)
		return false;
	for (i = e - 6; i < e; i++)
		upper |= isupper((unsigned char)name[i]) != 0;
	p = upper || e < 8 ? e - 6 : e - 8;
	for (i = p; i > 0 && strchr(".-_", name[i - 1]) == NULL; i--)
		if (isupper((unsigned char)name[i - 1]) ||
		    isdigit((unsigned char)name[i - 1])) {
			while (i > 0 && strchr(".-_", name[i - 1]) == NULL)
				i--;
			p = i;
			break;
		}
	*pre = p;
	*ext = e;
	return true;
}

/* Does a file name look made up by mkstemp or tempfile? */
static bool
pl_random_name(const char *name, size_t nlen)
{
	size_t pre, ext;

	return pl_tmp_split(name, nlen, &pre, &ext) &&
	    pl_made_up(name + ext - 6);
}

/* The temporary-file directory a path is directly below, or NULL. */
static const char *
pl_tmpdir(const char *path)
{
	static const char *const dirs[] = { "/tmp/", "/var/tmp/", "/dev/shm/" };
	size_t i;

	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (strncmp(path, dirs[i], strlen(dirs[i])) == 0 &&
		    path[strlen(dirs[i])] != '\0')
			return dirs[i];
	return NULL;
}

static int
pl_strpcmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Collect the paths the run made, sorted, for pl_made_root and pl_created. */
static void
pl_made_collect(struct policy_learn *l)
{
	size_t i;

	l->nmade = l->nexcl = l->ngone = 0;
	l->made = calloc(l->n + 1, sizeof(*l->made));
	l->excl = calloc(l->n + 1, sizeof(*l->excl));
	l->gone = calloc(l->n + 1, sizeof(*l->gone));
	if (l->made == NULL || l->excl == NULL || l->gone == NULL)
		return;
	for (i = 0; i < l->cap; i++) {
		const struct pl_rec *r = l->tab[i];

		if (r == NULL || !(r->present & (1u << POLICY_F_FILENAME)) ||
		    r->str[POLICY_F_FILENAME][0] != '/')
			continue;
		if (r->op == POLICY_OP_MKDIR)
			l->made[l->nmade++] = r->str[POLICY_F_FILENAME];
		else if (r->op == POLICY_OP_OPEN &&
		    (r->ints[POLICY_F_FLAGS - POLICY_F_NSTR] & POLICY_O_EXCL))
			l->excl[l->nexcl++] = r->str[POLICY_F_FILENAME];
		else if (r->op == POLICY_OP_RENAME || r->op == POLICY_OP_UNLINK)
			l->gone[l->ngone++] = r->str[POLICY_F_FILENAME];
	}
	qsort(l->made, l->nmade, sizeof(*l->made), pl_strpcmp);
	qsort(l->excl, l->nexcl, sizeof(*l->excl), pl_strpcmp);
	qsort(l->gone, l->ngone, sizeof(*l->gone), pl_strpcmp);
}

static void
pl_made_free(struct policy_learn *l)
{
	free(l->made);
	free(l->excl);
	free(l->gone);
	l->made = l->excl = l->gone = NULL;
	l->nmade = l->nexcl = l->ngone = 0;
}

static bool
pl_in(const char *const *set, size_t n, const char *key)
{
	return n > 0 && bsearch(&key, set, n, sizeof(*set), pl_strpcmp) != NULL;
}

/* Did the run make dir+name[0..nlen) (mkdir, or an exclusive create)? */
static bool
pl_created(struct policy_learn *l, const char *dir, const char *name,
    size_t nlen)
{
	char buf[POLICY_PATH_MAX];
	size_t dl = strlen(dir);

	if (dl + nlen >= sizeof(buf))
		return false;
	memcpy(buf, dir, dl);
	memcpy(buf + dl, name, nlen);
	buf[dl + nlen] = '\0';
	return pl_in(l->made, l->nmade, buf) || pl_in(l->excl, l->nexcl, buf);
}

/*
 * The outermost directory the run made that path is strictly below, in
 * buf, or NULL.  What the run keeps in a tree of its own (a repository's
 * .git, a build's output directory) has names made at run time (object
 * hashes, lock files): the whole tree is the run's.
 */
static const char *
pl_made_root(struct policy_learn *l, const char *path, char *buf, size_t cap)
{
	size_t n = strlen(path), k;

	if (l->nmade == 0 || path[0] != '/' || n >= cap)
		return NULL;
	for (k = 1; k < n; k++) {
		const char *key = buf;

		if (path[k] != '/')
			continue;
		memcpy(buf, path, k);
		buf[k] = '\0';
		if (pl_in(l->made, l->nmade, key))
			return buf;
	}
	return NULL;
}

/*
 * A file the run created exclusively under a name mkstemp made up, in a
 * directory other than the temporary ones: ar and sed -i make theirs
 * beside the file they replace.  Its pattern keeps the directory and the
 * name's fixed stem and extension, with exactly six bytes of mkstemp's
 * alphabet between them, so that the next run's name matches and hardly
 * any file of the tree does.  False if path is no such file.  Six bytes
 * of one case and no digit look like a word, not mkstemp's; but a file
 * the run made exclusively and then renamed away or unlinked was its
 * temporary whatever the draw (mkstemp gives "sedqwerty" one time in
 * about a hundred), so then any six of its alphabet do.
 */
static bool
pl_made_temp(struct policy_learn *l, const char *path, struct pl_str *pat)
{
	const char *name = strrchr(path, '/');
	size_t nlen, pre, ext, i;
	bool alnum = true;

	if (name == NULL || path[0] != '/' || !pl_in(l->excl, l->nexcl, path))
		return false;
	name++;
	nlen = strlen(name);
	if (!pl_tmp_split(name, nlen, &pre, &ext))
		return false;
	for (i = ext - 6; i < ext; i++)
		alnum = alnum && isalnum((unsigned char)name[i]);
	if (!pl_made_up(name + ext - 6) &&
	    !(alnum && ext > 6 && pl_in(l->gone, l->ngone, path)))
		return false;
	ps_cat(pat, "^");
	ps_rx_lit(pat, path, (size_t)(name - path));
	ps_rx_lit(pat, name, ext - 6);
	ps_cat(pat, "[A-Za-z0-9]{6}");
	ps_rx_lit(pat, name + ext, nlen - ext);
	ps_cat(pat, "$");
	return true;
}

/* The name of an object with no path: "pipe:[N]", "socket:[N]", a
 * namespace's "pid:[N]", "mnt:[N]"...: numbered afresh each run. */
static bool
pl_anon_name(const char *path)
{
	size_t n = strspn(path, "abcdefghijklmnopqrstuvwxyz_");

	return n > 0 && path[n] == ':' && path[n + 1] == '[';
}

/* How a learned test compares: the rule language's operator for each. */
enum pl_kind { PK_EQ, PK_RE, PK_MATCH, PK_INPATH };
static const char *const pl_kind_op[] = { "eq", "re", "match", "inpath" };

/*
 * The generalisation of one path: its kind and operand (in pat, not yet
 * quoted).  reading: the library and tree forms apply.
 */
static enum pl_kind
pl_path_gen(struct policy_learn *l, const char *path, bool reading,
    struct pl_str *pat)
{
	const char *td = pl_tmpdir(path), *tree;
	char tbuf[POLICY_PATH_MAX];

	if (td != NULL) {
		const char *name = path + strlen(td);
		size_t nlen = strcspn(name, "/"), pre, ext;

		if ((pl_created(l, td, name, nlen) ||
		    (name[nlen] == '\0' && pl_random_name(name, nlen))) &&
		    pl_tmp_split(name, nlen, &pre, &ext)) {
			ps_cat(pat, "^");
			ps_rx_lit(pat, td, strlen(td));
			ps_rx_lit(pat, name, pre);
			ps_cat(pat, "[^/]*");
			ps_rx_lit(pat, name + ext, nlen - ext);
			/* below it: the tree the run made, as a whole */
			ps_cat(pat, name[nlen] == '\0' ? "$" : "/");
			return PK_RE;
		}
	}
	if ((tree = pl_made_root(l, path, tbuf, sizeof(tbuf))) != NULL) {
		ps_cat(pat, tree);
		return PK_INPATH;
	}
	if (pl_made_temp(l, path, pat))
		return PK_RE;
	if (strncmp(path, "/proc/", 6) == 0 || strncmp(path, "/dev/pts/", 9) == 0 ||
	    pl_anon_name(path)) {
		struct pl_str rx = { 0 };
		const char *p = path;
		bool any = false;

		ps_cat(&rx, "^");
		while (*p) {
			size_t n = strcspn(p, "/[]");

			if (pl_all_digits(p, n)) {
				ps_cat(&rx, "[0-9]+");
				any = true;
			} else
				ps_rx_lit(&rx, p, n);
			p += n;
			if (*p) {
				ps_rx_lit(&rx, p, 1);
				p++;
			}
		}
		ps_cat(&rx, "$");
		if (any && !rx.oom) {
			ps_cat(pat, rx.b);
			free(rx.b);
			return PK_RE;
		}
		free(rx.b);
	}
	if (reading && pl_is_lib(path)) {
		const char *sl = strrchr(path, '/');

		ps_add(pat, path, (size_t)(sl - path));
		ps_cat(pat, "/*.so*");
		return PK_MATCH;
	}
	if (reading && (tree = pl_tree(path, tbuf, sizeof(tbuf))) != NULL) {
		ps_cat(pat, tree);
		return PK_INPATH;
	}
	ps_cat(pat, path);
	return PK_EQ;
}

/* Write "FIELD OP OPERAND" (and free the operand); *generic: OP is not eq. */
static void
pl_test_out(struct pl_str *out, const char *field, enum pl_kind k,
    struct pl_str *pat, bool *generic)
{
	*generic = k != PK_EQ;
	ps_cat(out, field);
	ps_cat(out, " ");
	ps_cat(out, pl_kind_op[k]);
	ps_cat(out, " ");
	ps_rule_quoted(out, pat->oom ? "" : pat->b);
	out->oom |= pat->oom;
	free(pat->b);
}

/* The test on one path field; *generic is set when it covers more than
 * this path. */
static void
pl_path_test(struct policy_learn *l, const char *field, const char *path,
    bool reading, struct pl_str *out, bool *generic)
{
	struct pl_str pat = { 0 };

	pl_test_out(out, field, pl_path_gen(l, path, reading, &pat), &pat,
	    generic);
}

/* Append p to a glob with its metacharacters escaped. */
static void
ps_glob_lit(struct pl_str *s, const char *p)
{
	for (; *p; p++) {
		if (strchr("*?[\\", *p) != NULL)
			ps_add(s, "\\", 1);
		ps_add(s, p, 1);
	}
}

/* Ports from 32768 up: handed out at run time (bind to port 0, the
 * kernel's ephemeral range), so a learned port there is any such port. */
#define PL_EPHEMERAL	"(3276[89]|327[7-9][0-9]|32[89][0-9][0-9]|" \
			"3[3-9][0-9][0-9][0-9]|[45][0-9][0-9][0-9][0-9]|" \
			"6[0-4][0-9][0-9][0-9]|65[0-4][0-9][0-9]|" \
			"655[0-2][0-9]|6553[0-5])"

/*
 * The test on a socket address: a local socket's path generalised as a
 * path is (a temporary directory's socket), an Internet port the kernel
 * hands out (32768 and up) as any such port; everything else exact.
 */
static void
pl_sockaddr_test(struct policy_learn *l, const char *sa, struct pl_str *out,
    bool *generic)
{
	const char *colon = strrchr(sa, ':');
	struct pl_str pat = { 0 };
	enum pl_kind k = PK_EQ;

	if (strncmp(sa, "unix-/", 6) == 0) {
		struct pl_str pp = { 0 };

		k = pl_path_gen(l, sa + 5, false, &pp);
		if (!pp.oom && k == PK_RE) {
			ps_cat(&pat, "^unix-");
			ps_cat(&pat, pp.b + 1);		/* after its '^' */
		} else if (!pp.oom && k == PK_INPATH) {
			ps_cat(&pat, "unix-");
			ps_glob_lit(&pat, pp.b);
			ps_cat(&pat, "/*");
			k = PK_MATCH;
		} else
			k = PK_EQ;
		free(pp.b);
	} else if ((strncmp(sa, "inet-", 5) == 0 || strncmp(sa, "inet6-", 6) == 0) &&
	    colon != NULL && strlen(colon + 1) == 5 && pl_all_digits(colon + 1, 5) &&
	    atoi(colon + 1) >= 32768 && atoi(colon + 1) <= 65535) {
		ps_cat(&pat, "^");
		ps_rx_lit(&pat, sa, (size_t)(colon + 1 - sa));
		ps_cat(&pat, PL_EPHEMERAL "$");
		k = PK_RE;
	}
	if (k == PK_EQ) {
		free(pat.b);
		pat = (struct pl_str){ 0 };
		ps_cat(&pat, sa);
	}
	pl_test_out(out, "sockaddr", k, &pat, generic);
}

static void
pl_int_operand(struct pl_str *s, unsigned f, int64_t v)
{
	const struct policy_name *t = f == POLICY_F_DOMAIN ? policy_domain_names :
	    f == POLICY_F_TYPE ? policy_socktype_names : NULL;
	const char *n = NULL;
	char num[32];
	unsigned cnt = 0;

	if (f == POLICY_F_SIGNAL) {
		while (policy_signal_names[cnt].pn_name != NULL)
			cnt++;
		if (v >= 1 && v <= (int64_t)cnt)
			n = policy_signal_names[v - 1].pn_name;
		else if (v > 64)
			v -= 64;
	} else if (t != NULL)
		n = policy_name_of(t, v);
	if (n == NULL) {
		snprintf(num, sizeof(num), "%lld", (long long)v);
		n = num;
	}
	ps_cat(s, n);
}

/* The rule (without action) for a record, its group, and whether it is
 * more general than the record. */
static int
pl_rule(struct policy_learn *l, const struct pl_rec *r, struct pl_str *out,
    int *group, bool *generic)
{
	const char *op = policy_name_of(policy_op_names, r->op);
	bool g2 = false, reading;
	unsigned f;

	*generic = false;
	switch (r->op) {
	case POLICY_OP_SYSCALL:
		if (!(r->present & (1u << POLICY_F_SYSCALL)))
			return -1;
		ps_cat(out, r->str[POLICY_F_SYSCALL]);
		ps_cat(out, ": ");
		*group = PL_SYSCALL;
		return 0;
	case POLICY_OP_EXECVE:
		*group = PL_EXEC;
		ps_cat(out, "execve: ");
		if (!(r->present & (1u << POLICY_F_FILENAME)))
			return -1;
		if (pl_has_ctl(r->str[POLICY_F_FILENAME]))
			return -1;
		/* a program the run made (a test's helper in its temporary
		 * directory): generalised as a path it wrote */
		pl_path_test(l, "filename", r->str[POLICY_F_FILENAME], false,
		    out, generic);
		ps_cat(out, " then ");
		return 0;
	case POLICY_OP_CONNECT: case POLICY_OP_BIND: case POLICY_OP_SENDTO:
	case POLICY_OP_SENDMSG:
		*group = PL_NET;
		ps_cat(out, op);
		ps_cat(out, ": ");
		if (r->present & (1u << POLICY_F_SOCKADDR)) {
			if (pl_has_ctl(r->str[POLICY_F_SOCKADDR]))
				return -1;
			pl_sockaddr_test(l, r->str[POLICY_F_SOCKADDR], out,
			    generic);
		} else
			ps_cat(out, "not sockaddr match \"*\"");
		ps_cat(out, " then ");
		return 0;
	case POLICY_OP_SOCKET: case POLICY_OP_KILL: case POLICY_OP_PTRACE: {
		bool first = true;

		*group = r->op == POLICY_OP_SOCKET ? PL_NET : PL_PROC;
		ps_cat(out, op);
		ps_cat(out, ": ");
		for (f = POLICY_F_NSTR; f < POLICY_F_COUNT; f++) {
			if (!(r->present & (1u << f)))
				continue;
			ps_cat(out, first ? "" : " and ");
			ps_cat(out, policy_name_of(policy_field_names, f));
			ps_cat(out, " eq ");
			pl_int_operand(out, f, r->ints[f - POLICY_F_NSTR]);
			first = false;
		}
		if (!first)
			ps_cat(out, " then ");
		return 0;
	}
	default:
		break;
	}
	/* file system operations */
	reading = (r->op == POLICY_OP_OPEN && !r->write) ||
	    r->op == POLICY_OP_ACCESS || r->op == POLICY_OP_STAT ||
	    r->op == POLICY_OP_READLINK || r->op == POLICY_OP_CHDIR;
	*group = reading ? PL_READ : PL_WRITE;
	ps_cat(out, reading ? "fsread" : op);
	ps_cat(out, ": ");
	if (!(r->present & (1u << POLICY_F_FILENAME)))
		return 0;
	if (pl_has_ctl(r->str[POLICY_F_FILENAME]) ||
	    ((r->present & (1u << POLICY_F_FILENAME2)) &&
	    pl_has_ctl(r->str[POLICY_F_FILENAME2])))
		return -1;
	pl_path_test(l, "filename", r->str[POLICY_F_FILENAME], reading, out,
	    generic);
	if (r->present & (1u << POLICY_F_FILENAME2)) {
		ps_cat(out, " and ");
		pl_path_test(l, "filename2", r->str[POLICY_F_FILENAME2], false,
		    out, &g2);
		*generic |= g2;
	}
	ps_cat(out, " then ");
	return 0;
}

/* A learned rule: its text, group, and what it covers. */
struct pl_rule {
	char		*text;
	int		group;
	uint64_t	calls;
	const char	*name1;		/* the first of its paths or addresses */
	unsigned	nnames;		/* how many distinct ones */
	bool		implied;	/* by the run's creates only
					 * (pl_implies_unlink) */
};

static int
pl_rule_cmp(const void *a, const void *b)
{
	const struct pl_rule *x = a, *y = b;

	if (x->group != y->group)
		return x->group - y->group;
	return strcmp(x->text, y->text);
}

/* Text for a comment line: printable ASCII only. */
static void
pl_plain(struct pl_str *o, const char *p)
{
	for (; *p; p++) {
		char c = (unsigned char)*p >= 0x20 && (unsigned char)*p < 0x7f ?
		    *p : '?';
		ps_add(o, &c, 1);
	}
}

/* The same, with the home directory written as $HOME. */
static void
pl_comment(struct policy_learn *l, struct pl_str *o, const char *text)
{
	if (l->home != NULL && pl_under(text, l->home)) {
		ps_cat(o, "$HOME");
		text += strlen(l->home);
	}
	pl_plain(o, text);
}

/* A rule's distinct names, hashed with the rule: (rule, name) pairs. */
struct pl_seen {
	size_t		rule;
	const char	*name;
};

static uint64_t
pl_seen_hash(size_t rule, const char *name)
{
	return pl_hash(name) ^ ((uint64_t)rule * 0x9e3779b97f4a7c15u);
}

/* The rules being collected, with their indexes by text and by name. */
struct pl_collect {
	struct pl_rule	*rules;
	size_t		nr, cap;	/* rules: room for 2 per record */
	size_t		*bytext;	/* rule index + 1, open addressing */
	struct pl_seen	*seen;
};

/* The permitting rule for record r (with op in place of its own), added
 * to c or merged with the rule of the same text.  0, or -1 if r makes no
 * rule. */
static int
pl_collect_one(struct policy_learn *l, struct pl_collect *c,
    const struct pl_rec *r, unsigned op, bool implied)
{
	struct pl_rec as = *r;
	struct pl_str t = { 0 };
	int group = PL_SYSCALL;
	bool generic;
	size_t h, j;
	const char *name1;

	as.op = (uint16_t)op;
	/* a rule whose operand the compiler would refuse (longer than 4096
	 * bytes: a path below 4096 bytes of directories) is left out; the
	 * call is then denied, not the whole policy lost */
	if (pl_rule(l, &as, &t, &group, &generic) != 0 || t.oom ||
	    t.n > 4096) {
		free(t.b);
		return -1;
	}
	/* the run made this move: it is not to be refused for crossing
	 * rules (policy.5, Moves) */
	ps_cat(&t, op == POLICY_OP_RENAME || op == POLICY_OP_LINK ?
	    "permit widen" : "permit");
	if (t.oom) {
		free(t.b);
		return -1;
	}
	for (h = pl_hash(t.b) & (c->cap - 1); c->bytext[h] != 0 &&
	    strcmp(c->rules[c->bytext[h] - 1].text, t.b) != 0;
	    h = (h + 1) & (c->cap - 1))
		continue;
	if (c->bytext[h] == 0) {
		j = c->nr++;
		c->rules[j].text = t.b;
		c->rules[j].group = group;
		c->rules[j].implied = implied;
		if (implied)
			c->rules[j].name1 = r->str[POLICY_F_FILENAME];
		c->bytext[h] = j + 1;
	} else {
		j = c->bytext[h] - 1;
		free(t.b);
	}
	if (implied)
		return 0;
	c->rules[j].calls += r->calls;
	name1 = (r->present & (1u << POLICY_F_FILENAME)) ?
	    r->str[POLICY_F_FILENAME] :
	    (r->present & (1u << POLICY_F_SOCKADDR)) ?
	    r->str[POLICY_F_SOCKADDR] : NULL;
	if (name1 == NULL)
		return 0;
	for (h = pl_seen_hash(j, name1) & (c->cap - 1); c->seen[h].name != NULL &&
	    (c->seen[h].rule != j || strcmp(c->seen[h].name, name1) != 0);
	    h = (h + 1) & (c->cap - 1))
		continue;
	if (c->seen[h].name != NULL)
		return 0;
	c->seen[h].rule = j;
	c->seen[h].name = name1;
	if (c->rules[j].nnames++ == 0)
		c->rules[j].name1 = name1;
	return 0;
}

/*
 * What a run's record implies beyond itself: a file the run opened with
 * O_CREAT may also be removed.  A build run again over its own outputs
 * removes them before making them anew (as and ld unlink an existing
 * output first), which the first run, on a clean tree, never did; and
 * removing a file adds nothing to what creating and truncating it
 * already allow.
 */
static bool
pl_implies_unlink(const struct pl_rec *r)
{
	return r->op == POLICY_OP_OPEN && r->write &&
	    (r->present & (1u << POLICY_F_FILENAME)) &&
	    r->str[POLICY_F_FILENAME][0] == '/' &&
	    (r->ints[POLICY_F_FLAGS - POLICY_F_NSTR] & POLICY_O_CREAT);
}

/* The generalised rules of the run, sorted by group and text (l->lock
 * held).  Returns their number; *rulesp is NULL when there are none.
 * Linear in the records: runs make hundreds of thousands (a test making
 * links until EMLINK). */
static size_t
pl_rules_collect(struct policy_learn *l, struct pl_rule **rulesp)
{
	struct pl_collect c = { 0 };
	size_t i;

	*rulesp = NULL;
	if (l->n == 0)
		return 0;
	for (c.cap = 64; c.cap < 4 * l->n; c.cap *= 2)
		continue;
	c.rules = calloc(2 * l->n, sizeof(*c.rules));
	c.bytext = calloc(c.cap, sizeof(*c.bytext));
	c.seen = calloc(c.cap, sizeof(*c.seen));
	if (c.rules == NULL || c.bytext == NULL || c.seen == NULL) {
		free(c.rules);
		free(c.bytext);
		free(c.seen);
		return 0;
	}
	pl_made_collect(l);
	for (i = 0; i < l->cap; i++) {
		const struct pl_rec *r = l->tab[i];

		if (r != NULL)
			(void)pl_collect_one(l, &c, r, r->op, false);
	}
	/* after the run's own rules, so that one the run made too is its */
	for (i = 0; i < l->cap; i++) {
		const struct pl_rec *r = l->tab[i];

		if (r != NULL && pl_implies_unlink(r))
			(void)pl_collect_one(l, &c, r, POLICY_OP_UNLINK, true);
	}
	free(c.bytext);
	free(c.seen);
	if (c.nr > 1)
		qsort(c.rules, c.nr, sizeof(*c.rules), pl_rule_cmp);
	pl_made_free(l);
	*rulesp = c.rules;
	return c.nr;
}

static void
pl_rules_free(struct pl_rule *rules, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		free(rules[i].text);
	free(rules);
}

/* The comment above a rule: how many calls it covers, and an example. */
static void
pl_rule_note(struct policy_learn *l, const struct pl_rule *r, struct pl_str *o)
{
	char num[64];

	if (r->implied) {
		ps_cat(o, "implied: the run creates ");
		pl_comment(l, o, r->name1);
		ps_cat(o, ", which running it again removes first");
		return;
	}
	snprintf(num, sizeof(num), "%llu call%s", (unsigned long long)r->calls,
	    r->calls == 1 ? "" : "s");
	ps_cat(o, num);
	if (r->nnames > 1) {
		snprintf(num, sizeof(num), ", %u names, e.g. ", r->nnames);
		ps_cat(o, num);
		pl_comment(l, o, r->name1);
	} else if (r->nnames == 1 && l->home != NULL &&
	    pl_under(r->name1, l->home)) {
		ps_cat(o, ": ");
		pl_comment(l, o, r->name1);
	}
}

char *
policy_learn_yaml(struct policy_learn *l, const char *name,
    const char *cmdline, size_t *lenp)
{
	struct pl_rule *rules;
	struct pl_str o = { 0 };
	size_t nr, i;
	char num[64];

	pthread_mutex_lock(&l->lock);
	nr = pl_rules_collect(l, &rules);
	if (rules == NULL && l->n > 0) {
		pthread_mutex_unlock(&l->lock);
		return NULL;
	}

	ps_cat(&o, "# Learned by `policyctl learn` from: ");
	pl_comment(l, &o, cmdline != NULL ? cmdline : "?");
	snprintf(num, sizeof(num), "\n# %llu decisions in %zu rules.",
	    (unsigned long long)l->calls, nr);
	ps_cat(&o, num);
	if (l->home != NULL) {
		ps_cat(&o, "  $HOME was ");
		pl_plain(&o, l->home);
		ps_cat(&o, ": rules for files under it\n# name the expanded "
		    "path (the policy language has no variables).");
	}
	if (l->skipped > 0) {
		snprintf(num, sizeof(num), "\n# %llu mount calls were not "
		    "learned.", (unsigned long long)l->skipped);
		ps_cat(&o, num);
	}
	ps_cat(&o, "\n# Everything the run did is permitted, nothing else: "
	    "review before use.\npolicy: 1\nname: ");
	{
		char nm[128];
		size_t k = 0;

		for (i = 0; name != NULL && name[i] && k + 1 < sizeof(nm); i++)
			if (isalnum((unsigned char)name[i]) || name[i] == '-' ||
			    name[i] == '_' || name[i] == '.')
				nm[k++] = name[i];
		nm[k] = '\0';
		ps_cat(&o, k ? nm : "learned");
	}
	ps_cat(&o, "\ndefault: deny\nerrno: EACCES\nlog: deny\nrules:\n");
	for (i = 0; i < nr; i++) {
		const char *p;

		ps_cat(&o, "  # ");
		pl_rule_note(l, &rules[i], &o);
		ps_cat(&o, "\n  - '");
		for (p = rules[i].text; *p; p++) {
			if (*p == '\'')
				ps_add(&o, "'", 1);	/* YAML: '' is ' */
			ps_add(&o, p, 1);
		}
		ps_cat(&o, "'\n");
	}
	pthread_mutex_unlock(&l->lock);
	pl_rules_free(rules, nr);
	if (o.oom) {
		free(o.b);
		return NULL;
	}
	if (lenp != NULL)
		*lenp = o.n;
	return o.b;
}

/*
 * `policyctl learn -a`: the policy text (name: its file, for messages)
 * with every rule of this run that it does not have yet appended, each
 * with its comment; everything already there (rules, order, comments,
 * hand edits) is kept.  NULL with diag set if the text does not compile.
 */
char *
policy_learn_merge(struct policy_learn *l, const char *name, const char *text,
    size_t len, size_t *lenp, unsigned *added, struct policy_diag *diag)
{
	struct policy_loaded *pl;
	struct pl_rule *rules;
	void *blob;
	size_t bsize, nr, i, curlen = len;
	char *cur;
	uint32_t j;

	*added = 0;
	if (policy_compile_buffer(name, text, len, &blob, &bsize, diag) != 0)
		return NULL;
	pl = policy_load_blob(blob, bsize, name, diag);
	free(blob);
	if (pl == NULL)
		return NULL;
	if ((cur = malloc(len + 1)) == NULL) {
		policy_loaded_free(pl);
		policy_diag_set(diag, name, 0, 0, "out of memory");
		return NULL;
	}
	memcpy(cur, text, len);
	cur[len] = '\0';
	pthread_mutex_lock(&l->lock);
	nr = pl_rules_collect(l, &rules);
	for (i = 0; cur != NULL && i < nr; i++) {
		struct pl_str note = { 0 };
		char *next;

		for (j = 0; j < pl->pl_policy.p_nrules; j++)
			if (strcmp(policy_str(&pl->pl_policy,
			    pl->pl_policy.p_rules[j].pr_text), rules[i].text) == 0)
				break;
		if (j < pl->pl_policy.p_nrules)
			continue;
		pl_rule_note(l, &rules[i], &note);
		next = note.oom ? NULL : policy_yaml_with_rule(name, cur, curlen,
		    rules[i].text, note.b, diag);
		free(note.b);
		free(cur);
		if ((cur = next) != NULL) {
			curlen = strlen(cur);
			(*added)++;
		}
	}
	if (nr == 0 && l->n > 0) {
		free(cur);
		cur = NULL;
		policy_diag_set(diag, name, 0, 0, "out of memory");
	}
	pthread_mutex_unlock(&l->lock);
	pl_rules_free(rules, nr);
	policy_loaded_free(pl);
	if (cur != NULL && lenp != NULL)
		*lenp = curlen;
	return cur;
}
