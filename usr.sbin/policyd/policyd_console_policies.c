/* policyd_console_policies.c: the policy files the console shows: each YAML file alarms came
 * from, its text when first seen (to diff what was added since), and logged matches per rule. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "policyd.h"
#include "policy_interactive.h"

#define PD_COUNTED_RULES	4096	/* rule texts counted per file */
#define PD_PFILE_VERSIONS	8	/* texts kept per file */

/*
 * A decision names its rule by line number in the file as its supervisor
 * loaded it; the console adds rules, which moves the lines below.  So
 * counts are kept by the rule's text: the line is read in the version of
 * the file that was current when the reporting supervisor connected
 * (versions are recorded when policyd writes the file), and the text of
 * that line is the key.
 */
struct pd_pversion {
	char		*text;
	uint64_t	after;		/* for peers with a serial above */
};

struct pd_rcount {
	char		*rule;		/* the line's text, trimmed */
	uint32_t	n;
};

struct pd_pfile {
	char		*path;		/* the YAML file (ma_path) */
	char		*name;		/* as decisions name it (pa_policy) */
	uid_t		owner;		/* whose alarm named it */
	char		*first;		/* its text when first seen */
	struct pd_pversion v[PD_PFILE_VERSIONS];	/* v[0].text: first */
	size_t		nv;
	struct pd_rcount *counts;	/* logged decisions per rule text */
	size_t		ncounts;
};

static struct pd_pfile pd_pfiles[PD_CONSOLE_FILES];
static size_t pd_npfiles;

/* A regular file's text, at most PD_CONSOLE_FILE_MAX bytes; NULL if not. */
static char *
pd_pfile_read(const char *path)
{
	struct stat st;
	char *t;
	ssize_t n;
	size_t got = 0;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)) < 0)
		return NULL;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (t = malloc(PD_CONSOLE_FILE_MAX + 1)) == NULL) {
		close(fd);
		return NULL;
	}
	while (got < PD_CONSOLE_FILE_MAX && (n = read(fd, t + got,
	    PD_CONSOLE_FILE_MAX - got)) > 0)
		got += (size_t)n;
	close(fd);
	t[got] = '\0';
	return t;
}

void
pd_console_policy_seen(const struct pd_alarm *a)
{
	const struct policy_msg_alarm *m = &a->a_msg;
	struct pd_pfile *f;
	size_t i;

	if (pd.cfg.console == NULL || m->ma_path[0] != '/')
		return;
	for (i = 0; i < pd_npfiles; i++)
		if (strcmp(pd_pfiles[i].path, m->ma_path) == 0 &&
		    pd_pfiles[i].owner == a->a_owner)
			return;
	if (pd_npfiles >= PD_CONSOLE_FILES)
		return;
	f = &pd_pfiles[pd_npfiles];
	f->path = strdup(m->ma_path);
	f->name = strdup(m->ma_alarm.pa_policy);
	f->owner = a->a_owner;
	f->first = pd_pfile_read(m->ma_path);
	f->counts = NULL;
	f->ncounts = 0;
	if (f->path == NULL || f->name == NULL) {
		free(f->path);
		free(f->name);
		free(f->first);
		memset(f, 0, sizeof(*f));
		return;
	}
	/* the supervisors connected so far loaded this text (or an older) */
	f->v[0].text = f->first;
	f->v[0].after = 0;
	f->nv = 1;
	pd_npfiles++;
}

/* policyd wrote path: peers that connect from now on load its new text. */
void
pd_console_policy_changed(const char *path)
{
	size_t i;

	if (pd.cfg.console == NULL)
		return;
	for (i = 0; i < pd_npfiles; i++) {
		struct pd_pfile *f = &pd_pfiles[i];
		char *t;

		if (strcmp(f->path, path) != 0 ||
		    (t = pd_pfile_read(path)) == NULL)
			continue;
		if (f->nv == PD_PFILE_VERSIONS) {	/* forget the oldest but first */
			free(f->v[1].text);
			memmove(&f->v[1], &f->v[2], (PD_PFILE_VERSIONS - 2) *
			    sizeof(f->v[0]));
			f->nv--;
		}
		f->v[f->nv].text = t;
		f->v[f->nv].after = pd.next_serial;
		f->nv++;
	}
}

/* Line n of text, trimmed, into out; false if there is none. */
static bool
pd_pfile_line(const char *text, uint32_t n, char *out, size_t cap)
{
	const char *p = text, *e;
	uint32_t l;

	if (text == NULL)
		return false;
	for (l = 1; l < n && p != NULL; l++)
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	if (p == NULL || *p == '\0')
		return false;
	e = strchr(p, '\n');
	if (e == NULL)
		e = p + strlen(p);
	while (p < e && (*p == ' ' || *p == '\t'))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		e--;
	if (e == p)
		return false;
	snprintf(out, cap, "%.*s", (int)(e - p), p);
	return true;
}

static void
pd_pfile_count(struct pd_pfile *f, const char *rule)
{
	struct pd_rcount *c;
	size_t i;

	for (i = 0; i < f->ncounts; i++)
		if (strcmp(f->counts[i].rule, rule) == 0) {
			f->counts[i].n++;
			return;
		}
	if (f->ncounts >= PD_COUNTED_RULES)
		return;
	if ((f->ncounts & (f->ncounts - 1)) == 0) {	/* 0, 1, 2, 4...: full */
		c = realloc(f->counts, (f->ncounts ? f->ncounts * 2 : 1) *
		    sizeof(*c));
		if (c == NULL)
			return;
		f->counts = c;
	}
	if ((f->counts[f->ncounts].rule = strdup(rule)) == NULL)
		return;
	f->counts[f->ncounts++].n = 1;
}

/* Does rule (a policy file's line, "- ..." trimmed) decide r by itself?  Compiled
 * alone, as the file's line would be, and evaluated on the decision's request. */
static bool
pd_pfile_rule_matches(const char *rule, const struct policy_request *r)
{
	static const char head[] = "policy: 1\nname: count\ndefault: permit\n"
	    "rules:\n  ";
	struct policy_diag diag;
	struct policy_loaded *pl;
	struct policy_decision d;
	size_t len = strlen(rule), bsize;
	char *yaml;
	void *blob;
	bool yes = false;

	if (rule[0] != '-' || (yaml = malloc(sizeof(head) + len + 2)) == NULL)
		return false;
	snprintf(yaml, sizeof(head) + len + 2, "%s%s\n", head, rule);
	memset(&diag, 0, sizeof(diag));
	if (policy_compile_buffer("count", yaml, strlen(yaml), &blob, &bsize,
	    &diag) == 0) {
		if ((pl = policy_load_blob(blob, bsize, "count", &diag)) != NULL) {
			memset(&d, 0, sizeof(d));
			policy_eval(&pl->pl_policy, r, &d);
			yes = d.pd_rule == 0;
			policy_loaded_free(pl);
		}
		free(blob);
	}
	free(yaml);
	return yes;
}

void
pd_console_policy_count(const struct policy_msg_decision *d, uint64_t serial)
{
	static char rule[8192];
	size_t i, v, w, k;

	if (d->md_line == 0)
		return;
	for (i = 0; i < pd_npfiles; i++) {
		struct pd_pfile *f = &pd_pfiles[i];
		bool found = false;

		if (strcmp(f->name, d->md_policy) != 0 &&
		    strcmp(f->path, d->md_policy) != 0)
			continue;
		/* the text the reporting supervisor loaded when it connected */
		for (v = f->nv; v > 1 && f->v[v - 1].after >= serial; v--)
			;
		v--;
		if (f->nv == 1) {
			if (pd_pfile_line(f->v[0].text, d->md_line, rule,
			    sizeof(rule)))
				pd_pfile_count(f, rule);
			continue;
		}
		/* it reloads the file when policyd writes its alarm's rule: of
		 * the texts, the first whose line decides the request (that one
		 * first, then the newest) */
		for (k = 0; k <= f->nv && !found; k++) {
			w = k == 0 ? v : f->nv - k;
			if (k > 0 && w == v)
				continue;
			if (pd_pfile_line(f->v[w].text, d->md_line, rule,
			    sizeof(rule)) && pd_pfile_rule_matches(rule,
			    &d->md_req))
				found = true;
		}
		if (found || pd_pfile_line(f->v[v].text, d->md_line, rule,
		    sizeof(rule)))
			pd_pfile_count(f, rule);
	}
}

/* [{"path":..,"text":..,"first":..,"counts":{"line":n}},...]: the files of
 * the alarms the console's user may see. */
void
pd_console_policies_json(struct pd_buf *b)
{
	struct pd_client *c = pd_console_client();
	bool firstf = true;
	size_t i, l;

	pd_buf_printf(b, "[");
	for (i = 0; i < pd_npfiles; i++) {
		struct pd_pfile *f = &pd_pfiles[i];
		bool firstc = true;
		char *now;

		if (c->uid != 0 && c->uid != f->owner)
			continue;
		now = pd_pfile_read(f->path);
		pd_buf_printf(b, "%s{\"path\":", firstf ? "" : ",");
		pd_buf_json(b, f->path);
		pd_buf_printf(b, ",\"name\":");
		pd_buf_json(b, f->name);
		pd_buf_printf(b, ",\"text\":");
		if (now != NULL)
			pd_buf_json(b, now);
		else
			pd_buf_printf(b, "null");
		pd_buf_printf(b, ",\"first\":");
		if (f->first != NULL)
			pd_buf_json(b, f->first);
		else
			pd_buf_printf(b, "null");
		/* by the rule's text (its line, trimmed), wherever it is now */
		pd_buf_printf(b, ",\"counts\":{");
		for (l = 0; l < f->ncounts; l++) {
			pd_buf_printf(b, "%s", firstc ? "" : ",");
			pd_buf_json(b, f->counts[l].rule);
			pd_buf_printf(b, ":%u", (unsigned)f->counts[l].n);
			firstc = false;
		}
		pd_buf_printf(b, "}}");
		free(now);
		firstf = false;
	}
	pd_buf_printf(b, "]");
}

void
pd_console_policies_free(void)
{
	size_t i;

	for (i = 0; i < pd_npfiles; i++) {
		struct pd_pfile *f = &pd_pfiles[i];
		size_t j;

		free(f->path);
		free(f->name);
		for (j = 0; j < f->nv; j++)	/* v[0].text is first */
			free(f->v[j].text);
		for (j = 0; j < f->ncounts; j++)
			free(f->counts[j].rule);
		free(f->counts);
		memset(f, 0, sizeof(*f));
	}
	pd_npfiles = 0;
}
