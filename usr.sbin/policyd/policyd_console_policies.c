/* policyd_console_policies.c: the policy files the console shows: each YAML file alarms came
 * from, its text when first seen (to diff what was added since), and logged matches per line. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "policyd.h"

#define PD_COUNTED_LINES	4096	/* lines counted per file */

struct pd_pfile {
	char		*path;		/* the YAML file (ma_path) */
	char		*name;		/* as decisions name it (pa_policy) */
	uid_t		owner;		/* whose alarm named it */
	char		*first;		/* its text when first seen */
	uint32_t	*counts;	/* logged decisions per line */
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
	f->counts = calloc(PD_COUNTED_LINES, sizeof(*f->counts));
	if (f->path == NULL || f->name == NULL || f->counts == NULL) {
		free(f->path);
		free(f->name);
		free(f->first);
		free(f->counts);
		memset(f, 0, sizeof(*f));
		return;
	}
	pd_npfiles++;
}

void
pd_console_policy_count(const struct policy_msg_decision *d)
{
	size_t i;

	if (d->md_line == 0 || d->md_line >= PD_COUNTED_LINES)
		return;
	for (i = 0; i < pd_npfiles; i++)
		if (strcmp(pd_pfiles[i].name, d->md_policy) == 0 ||
		    strcmp(pd_pfiles[i].path, d->md_policy) == 0)
			pd_pfiles[i].counts[d->md_line]++;
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
		pd_buf_printf(b, ",\"counts\":{");
		for (l = 1; l < PD_COUNTED_LINES; l++)
			if (f->counts[l] != 0) {
				pd_buf_printf(b, "%s\"%zu\":%u", firstc ? "" : ",",
				    l, (unsigned)f->counts[l]);
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
		free(pd_pfiles[i].path);
		free(pd_pfiles[i].name);
		free(pd_pfiles[i].first);
		free(pd_pfiles[i].counts);
	}
	pd_npfiles = 0;
}
