/* policy_import.c: converts a systrace policy ("Policy: /bin/ls, Emulation: native"
 * and rule lines) to YAML with the same meaning; every rule is parsed to check it. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "policy_compile.h"

/* Offset of the first control byte or invalid UTF-8 sequence, or -1:
 * the YAML written must be readable back. */
static size_t
policy_import_bad_byte(const char *s, size_t n)
{
	size_t i = 0, k, more;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x80) {
			if ((c < 0x20 && c != '\t') || c == 0x7f)
				return i;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			more = 1;
		else if (c >= 0xe0 && c <= 0xef)
			more = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			more = 3;
		else
			return i;
		for (k = 1; k <= more; k++)
			if (i + k >= n || ((unsigned char)s[i + k] & 0xc0) != 0x80)
				return i;
		i += more + 1;
	}
	return (size_t)-1;
}

/* "Policy: /bin/ls, Emulation: native" */
static int
policy_import_header(const char *name, const char *s, size_t n, unsigned line,
    char *pname, size_t psize, struct policy_diag *diag)
{
	const char *comma = memchr(s, ',', n);
	size_t plen = (comma ? (size_t)(comma - s) : n) - 7;
	const char *p = s + 7;

	while (plen > 0 && isspace((unsigned char)*p)) {
		p++;
		plen--;
	}
	while (plen > 0 && isspace((unsigned char)p[plen - 1]))
		plen--;
	if (plen == 0 || plen >= psize) {
		policy_diag_set(diag, name, line, 9, "expected a policy name "
		    "after 'Policy:'");
		return -1;
	}
	memcpy(pname, p, plen);
	pname[plen] = '\0';
	if (comma != NULL) {
		const char *e = comma + 1;
		size_t elen = n - (size_t)(e - s);
		int64_t v;

		while (elen > 0 && isspace((unsigned char)*e)) {
			e++;
			elen--;
		}
		while (elen > 0 && isspace((unsigned char)e[elen - 1]))
			elen--;
		if (elen < 10 || strncmp(e, "Emulation:", 10) != 0) {
			policy_diag_set(diag, name, line, (unsigned)(e - s) + 1,
			    "expected 'Emulation: NAME' after the policy name");
			return -1;
		}
		e += 10;
		elen -= 10;
		while (elen > 0 && isspace((unsigned char)*e)) {
			e++;
			elen--;
		}
		if (!policy_name_lookup(policy_emul_names, e, elen, &v)) {
			policy_diag_set(diag, name, line, (unsigned)(e - s) + 1,
			    "unknown emulation '%.*s' (expected native, "
			    "netbsd32, linux or linux32)", (int)elen, e);
			return -1;
		}
	}
	return 0;
}

int
policy_import_systrace(const char *name, const char *text, size_t len,
    FILE *out, struct policy_diag *diag)
{
	struct pc_arena arena;
	char pname[POLICY_NAME_MAX] = "", *buf = NULL;
	size_t bufsize = 0, i = 0;
	unsigned line = 0, nrules = 0;
	FILE *mem;
	int rv = -1;

	memset(&arena, 0, sizeof(arena));
	if ((mem = open_memstream(&buf, &bufsize)) == NULL) {
		policy_diag_set(diag, name, 0, 0, "out of memory");
		return -1;
	}
	while (i < len) {
		const char *s = text + i, *nl = memchr(s, '\n', len - i);
		size_t n = nl ? (size_t)(nl - s) : len - i, ind = 0, bad;
		struct pc_where w;
		struct pc_rule rule;

		i += n + (nl != NULL);
		line++;
		while (n > 0 && (s[n - 1] == '\r' || isspace((unsigned char)s[n - 1])))
			n--;
		while (ind < n && isspace((unsigned char)s[ind]))
			ind++;
		if ((bad = policy_import_bad_byte(s, n)) != (size_t)-1) {
			policy_diag_set(diag, name, line, (unsigned)bad + 1,
			    "byte 0x%02x is not allowed (control character or "
			    "invalid UTF-8)", (unsigned char)s[bad]);
			goto out;
		}
		if (ind == n || s[ind] == '#')
			continue;
		if (n - ind >= 7 && strncmp(s + ind, "Policy:", 7) == 0) {
			if (pname[0] != '\0') {
				policy_diag_set(diag, name, line, (unsigned)ind + 1,
				    "a second 'Policy:' header (one policy per "
				    "file)");
				goto out;
			}
			if (policy_import_header(name, s + ind, n - ind, line,
			    pname, sizeof(pname), diag) != 0)
				goto out;
			continue;
		}
		if (pname[0] == '\0') {
			policy_diag_set(diag, name, line, (unsigned)ind + 1,
			    "expected 'Policy: NAME, Emulation: EMUL' before "
			    "the first rule");
			goto out;
		}
		w.file = name;
		w.line = line;
		w.col = (unsigned)ind + 1;
		if (pc_parse_rule(&arena, s + ind, n - ind, NULL, NULL, &w,
		    &rule, diag) != 0)
			goto out;
		if (nrules++ == 0)
			fprintf(mem, "rules:\n");
		fprintf(mem, "  - ");
		policy_yaml_quoted(mem, s + ind, n - ind);
		fputc('\n', mem);
	}
	if (pname[0] == '\0') {
		policy_diag_set(diag, name, line ? line : 1, 1, "no 'Policy:' "
		    "header: not a systrace policy");
		goto out;
	}
	if (fflush(mem) != 0)
		goto out;
	{
		const char *base = strrchr(pname, '/');

		fprintf(out, "# Imported from the systrace policy %s.\n", name);
		fprintf(out, "# systrace asked the user about calls no rule "
		    "covered: default is ask.\npolicy: 1\nname: ");
		policy_yaml_quoted(out, base ? base + 1 : pname,
		    strlen(base ? base + 1 : pname));
		fputc('\n', out);
		if (pname[0] == '/') {
			fprintf(out, "program: ");
			policy_yaml_quoted(out, pname, strlen(pname));
			fputc('\n', out);
		}
		fprintf(out, "default: ask\n");
		fwrite(buf, 1, bufsize, out);
		rv = fflush(out) == 0 ? 0 : -1;
		if (rv != 0)
			policy_diag_set(diag, name, 0, 0, "write error");
	}
out:
	fclose(mem);
	free(buf);
	pc_arena_free(&arena);
	return rv;
}
