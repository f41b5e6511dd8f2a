/* policy_arena.c: the compiler's region allocator: every tree node and string a
 * compilation makes lives here and is freed in one call, so no error path can leak. */
#include <stdlib.h>
#include <string.h>

#include "policy_compile.h"

struct pc_chunk {
	struct pc_chunk	*next;
	size_t		used, size;
	max_align_t	data[];
};

#define PC_CHUNK_MIN	(64 * 1024)

void *
pc_alloc(struct pc_arena *a, size_t n)
{
	struct pc_chunk *c = a->a_chunks;
	void *p;

	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (c == NULL || c->size - c->used < n) {
		size_t sz = n > PC_CHUNK_MIN ? n : PC_CHUNK_MIN;
		if ((c = calloc(1, sizeof(*c) + sz)) == NULL) {
			a->a_failed = true;
			return NULL;
		}
		c->size = sz;
		c->next = a->a_chunks;
		a->a_chunks = c;
	}
	p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

char *
pc_strndup(struct pc_arena *a, const char *s, size_t n)
{
	char *d = pc_alloc(a, n + 1);

	if (d != NULL) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

bool
pc_adopt(struct pc_arena *a, void *blk)
{
	if (a->a_nadopted == a->a_capadopted) {
		size_t cap = a->a_capadopted ? a->a_capadopted * 2 : 16;
		void **n = realloc(a->a_adopted, cap * sizeof(*n));
		if (n == NULL) {
			free(blk);
			a->a_failed = true;
			return false;
		}
		a->a_adopted = n;
		a->a_capadopted = cap;
	}
	a->a_adopted[a->a_nadopted++] = blk;
	return true;
}

void
pc_arena_free(struct pc_arena *a)
{
	struct pc_chunk *c, *n;
	size_t i;

	for (c = a->a_chunks; c != NULL; c = n) {
		n = c->next;
		free(c);
	}
	for (i = 0; i < a->a_nadopted; i++)
		free(a->a_adopted[i]);
	free(a->a_adopted);
	memset(a, 0, sizeof(*a));
}
