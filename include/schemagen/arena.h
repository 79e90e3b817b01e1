/* SPDX-License-Identifier: MIT */
/*
 * arena.h - region allocator (in the spirit of git's mem-pool and PostgreSQL's
 * memory contexts).
 *
 * Everything a run builds (both catalogs, the change list, the plan, the
 * revision graph) is allocated from one arena that lives until exit; phases
 * that make garbage use a child arena and free it.  Allocation never returns
 * NULL and returns zeroed memory aligned for any type.  Individual blocks are
 * never freed.
 */
#ifndef SG_ARENA_H
#define SG_ARENA_H

#include <stdarg.h>
#include <stddef.h>
#include "schemagen/util.h"

struct sg_arena;

struct sg_arena *sg_arena_new(void);
/*
 * A child of parent: an arena of its own that sg_arena_free() may free
 * before its parent, else freed with it (what a phase needs only for a
 * while, where the run's arena may outlive it).
 */
struct sg_arena *sg_arena_child(struct sg_arena *parent);
/* Frees a, its children and, when it is a child, unlinks it from its parent. */
void sg_arena_free(struct sg_arena *a);
/* Moves everything src holds (its children too) into dst (freed with it)
 * and frees src. */
void sg_arena_adopt(struct sg_arena *dst, struct sg_arena *src);

/* The bytes its blocks hold (tests). */
size_t sg_arena_size(const struct sg_arena *a);

/* Zeroed memory, max_align_t aligned (strings: byte aligned). */
void *sg_alloc(struct sg_arena *a, size_t n);
/* n * size with overflow check. */
void *sg_alloc_array(struct sg_arena *a, size_t n, size_t size);
char *sg_strdup(struct sg_arena *a, const char *s);        /* NULL -> NULL */
char *sg_strndup(struct sg_arena *a, const char *s, size_t n);
char *sg_printf(struct sg_arena *a, const char *fmt, ...) SG_PRINTF(2, 3);
char *sg_vprintf(struct sg_arena *a, const char *fmt, va_list ap) SG_PRINTF(2, 0);
void *sg_memdup(struct sg_arena *a, const void *p, size_t n);

/*
 * Growable arrays in an arena.  A vector is any struct with members
 * `v` (element pointer), `n` and `cap` (size_t):
 *
 *     struct { struct sg_column **v; size_t n, cap; } cols = {0};
 *     SG_VEC_PUSH(arena, &cols, col);
 *
 * Growing copies into a new block (the old one stays in the arena until it is
 * freed); at most half the memory is lost this way.  An array bigger than
 * a quarter block has a block of its own, which is reallocated instead
 * (nothing lost): v must then be what sg_arena_grow() or an allocation
 * of the arena returned, and nothing may point into the old array.
 */
void *sg_arena_grow(struct sg_arena *a, void *v, size_t *cap, size_t need,
		    size_t elsize);
#define SG_VEC_PUSH(arena, vec, item)                                        \
	do {                                                                 \
		if ((vec)->n == (vec)->cap)                                  \
			(vec)->v = sg_arena_grow((arena), (vec)->v,          \
						 &(vec)->cap, (vec)->n + 1,  \
						 sizeof(*(vec)->v));         \
		(vec)->v[(vec)->n++] = (item);                               \
	} while (0)

/* Declares an anonymous vector type of T. */
#define SG_VEC(T) struct { T *v; size_t n, cap; }

#endif
