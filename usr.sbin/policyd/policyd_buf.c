/* policyd_buf.c: a growable text buffer with a ceiling, for the console's JSON and events:
 * printf, JSON strings; past its ceiling (or out of memory) it stops and says so. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policyd.h"

static bool
pd_buf_room(struct pd_buf *b, size_t more)
{
	size_t cap;
	char *nb;

	if (b->failed)
		return false;
	if (b->n + more + 1 <= b->cap)
		return true;
	if (b->n + more + 1 > b->max) {
		b->failed = true;
		return false;
	}
	cap = b->cap ? b->cap : 1024;
	while (cap < b->n + more + 1)
		cap *= 2;
	if (cap > b->max)
		cap = b->max;
	if ((nb = realloc(b->b, cap)) == NULL) {
		b->failed = true;
		return false;
	}
	b->b = nb;
	b->cap = cap;
	return true;
}

void
pd_buf_printf(struct pd_buf *b, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	k = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (k < 0 || !pd_buf_room(b, (size_t)k))
		return;
	va_start(ap, fmt);
	vsnprintf(b->b + b->n, b->cap - b->n, fmt, ap);
	va_end(ap);
	b->n += (size_t)k;
}

void
pd_buf_add(struct pd_buf *b, const void *p, size_t n)
{
	if (!pd_buf_room(b, n))
		return;
	memcpy(b->b + b->n, p, n);
	b->n += n;
	b->b[b->n] = '\0';
}

/* s as a JSON string, quotes included. */
void
pd_buf_json(struct pd_buf *b, const char *s)
{
	pd_buf_add(b, "\"", 1);
	for (; s != NULL && *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };

			pd_buf_add(b, e, 2);
		} else if (c < 0x20 || c == 0x7f)
			pd_buf_printf(b, "\\u%04x", c);
		else
			pd_buf_add(b, s, 1);
	}
	pd_buf_add(b, "\"", 1);
}

void
pd_buf_free(struct pd_buf *b)
{
	free(b->b);
	memset(b, 0, sizeof(*b));
}
