// SPDX-License-Identifier: MIT
/*
 * arena.c - region allocator.  Blocks are chained; a request larger than a
 * quarter of the block size gets a block of its own, so big allocations do
 * not waste the tail of the current block.  Strings are packed (byte
 * aligned); everything else is max_align_t aligned.  A vector grown past
 * a quarter block is in a block of its own, which growing reallocates in
 * place of copying (the copies left behind were most of a big catalog's
 * waste: its dependency list).
 */
#include <stdalign.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"

#define BLOCK_SIZE (64 * 1024)
#define ALIGN alignof(max_align_t)

/* marks a block of one allocation of its own (sg_arena_grow() finds it
 * from its data) */
#define DEDICATED 0x5347646564696361ULL

struct block {
	struct block *next;
	struct block **pprev;   /* the link that points at it */
	size_t used, size;
	uint64_t dedicated;     /* DEDICATED, else 0 */
	alignas(max_align_t) unsigned char data[];
};

struct sg_arena {
	struct block *head;
	/* child arenas (sg_arena_child()), freed with this one */
	struct sg_arena *kids;
	struct sg_arena *next_kid, **pprev_kid;   /* in the parent's list */
};

struct sg_arena *sg_arena_new(void)
{
	return xcalloc(1, sizeof(struct sg_arena));
}

/* Links a into parent's children (a in no list yet). */
static void link_kid(struct sg_arena *parent, struct sg_arena *a)
{
	a->next_kid = parent->kids;
	if (a->next_kid)
		a->next_kid->pprev_kid = &a->next_kid;
	parent->kids = a;
	a->pprev_kid = &parent->kids;
}

static void unlink_kid(struct sg_arena *a)
{
	if (!a->pprev_kid)
		return;
	*a->pprev_kid = a->next_kid;
	if (a->next_kid)
		a->next_kid->pprev_kid = a->pprev_kid;
	a->next_kid = NULL;
	a->pprev_kid = NULL;
}

struct sg_arena *sg_arena_child(struct sg_arena *parent)
{
	struct sg_arena *a = sg_arena_new();

	link_kid(parent, a);
	return a;
}

void sg_arena_free(struct sg_arena *a)
{
	struct block *b, *next;

	if (!a)
		return;
	while (a->kids)
		sg_arena_free(a->kids);
	unlink_kid(a);
	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

void sg_arena_adopt(struct sg_arena *dst, struct sg_arena *src)
{
	struct block *last;

	if (!src)
		return;
	unlink_kid(src);
	while (src->kids) {
		struct sg_arena *k = src->kids;

		unlink_kid(k);
		link_kid(dst, k);
	}
	if (src->head) {
		for (last = src->head; last->next; last = last->next)
			;
		/* behind dst's current block, as a dedicated block is */
		if (dst->head) {
			last->next = dst->head->next;
			if (last->next)
				last->next->pprev = &last->next;
			dst->head->next = src->head;
			src->head->pprev = &dst->head->next;
		} else {
			dst->head = src->head;
			src->head->pprev = &dst->head;
		}
	}
	free(src);
}

size_t sg_arena_size(const struct sg_arena *a)
{
	size_t n = 0;

	for (const struct block *b = a->head; b; b = b->next)
		n += b->size;
	return n;
}

static struct block *new_block(size_t size)
{
	struct block *b = xmalloc(sizeof(*b) + size);

	b->next = NULL;
	b->used = 0;
	b->size = size;
	b->dedicated = 0;
	return b;
}

/* Links b into a's list behind `at`, or at its head when at is NULL. */
static void link_behind(struct sg_arena *a, struct block *at, struct block *b)
{
	struct block **link = at ? &at->next : &a->head;

	b->next = *link;
	if (b->next)
		b->next->pprev = &b->next;
	*link = b;
	b->pprev = link;
}

/* n bytes (n > 0) aligned to align (a power of two, at most ALIGN). */
static void *alloc(struct sg_arena *a, size_t n, size_t align)
{
	struct block *b = a->head;
	size_t off;
	void *p;

	if (n > BLOCK_SIZE / 4) {
		/* A dedicated block, linked behind the current one. */
		struct block *big = new_block(n);

		big->used = n;
		big->dedicated = DEDICATED;
		link_behind(a, b, big);
		memset(big->data, 0, n);
		return big->data;
	}
	off = b ? (b->used + align - 1) & ~(align - 1) : 0;
	if (!b || off > b->size || b->size - off < n) {
		b = new_block(BLOCK_SIZE);
		link_behind(a, NULL, b);
		off = 0;
	}
	p = b->data + off;
	b->used = off + n;
	memset(p, 0, n);
	return p;
}

void *sg_alloc(struct sg_arena *a, size_t n)
{
	n = (n + ALIGN - 1) & ~(ALIGN - 1);
	if (n == 0)
		n = ALIGN;
	return alloc(a, n, ALIGN);
}

void *sg_alloc_array(struct sg_arena *a, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		SG_BUG("array allocation overflows (%zu x %zu)", n, size);
	return sg_alloc(a, n * size);
}

char *sg_strdup(struct sg_arena *a, const char *s)
{
	return s ? sg_strndup(a, s, strlen(s)) : NULL;
}

char *sg_strndup(struct sg_arena *a, const char *s, size_t n)
{
	char *p = alloc(a, n + 1, 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *sg_memdup(struct sg_arena *a, const void *p, size_t n)
{
	void *q = sg_alloc(a, n);

	if (n)
		memcpy(q, p, n);
	return q;
}

char *sg_vprintf(struct sg_arena *a, const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	char *p;

	va_copy(cp, ap);
	SG_NO_FORMAT_TRUNCATION_WARNING(n = vsnprintf(NULL, 0, fmt, cp));
	va_end(cp);
	if (n < 0)
		SG_BUG("bad format string %s", fmt);
	p = alloc(a, (size_t)n + 1, 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *sg_printf(struct sg_arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = sg_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

/*
 * v's dedicated block, or NULL.  An array bigger than a quarter block
 * (what sg_arena_grow() is given) is the data of a dedicated block, whose
 * header precedes it: the mark says so.
 */
static struct block *dedicated_of(void *v, size_t bytes)
{
	struct block *b;

	if (bytes <= BLOCK_SIZE / 4)
		return NULL;
	b = (struct block *)((unsigned char *)v - offsetof(struct block, data));
	return b->dedicated == DEDICATED && b->size >= bytes ? b : NULL;
}

void *sg_arena_grow(struct sg_arena *a, void *v, size_t *cap, size_t need,
		    size_t elsize)
{
	size_t ncap = *cap ? *cap : 4;
	struct block *b;
	void *nv;

	while (ncap < need)
		ncap *= 2;
	if (ncap == *cap)
		return v;
	if (elsize && ncap > SIZE_MAX / elsize)
		SG_BUG("array allocation overflows (%zu x %zu)", ncap, elsize);
	if (v && *cap && (b = dedicated_of(v, *cap * elsize)) != NULL) {
		/* in place of a copy: the block reallocated, relinked */
		size_t was = b->size, now = ncap * elsize;
		struct block **link = b->pprev;

		if (now < was)
			now = was;
		b = xrealloc(b, sizeof(*b) + now);
		*link = b;
		if (b->next)
			b->next->pprev = &b->next;
		memset(b->data + was, 0, now - was);
		b->size = b->used = now;
		*cap = ncap;
		return b->data;
	}
	nv = sg_alloc_array(a, ncap, elsize);
	if (v && *cap)
		memcpy(nv, v, *cap * elsize);
	*cap = ncap;
	return nv;
}
