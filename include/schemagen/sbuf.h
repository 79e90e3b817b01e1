/* SPDX-License-Identifier: MIT */
/*
 * sbuf.h - growable strings (git's strbuf).
 *
 * Invariants:
 *  - buf is never NULL: an empty sbuf points at a shared empty string, so it
 *    can be printed right after SBUF_INIT;
 *  - buf[len] is always NUL;
 *  - alloc is 0 until the first append allocates (then alloc > len).
 * sbuf_release() frees and re-initialises; sbuf_detach() hands the malloc'd
 * string to the caller and re-initialises.
 */
#ifndef SG_SBUF_H
#define SG_SBUF_H

#include <stdarg.h>
#include <stddef.h>
#include "schemagen/util.h"

struct sg_arena;

extern char sbuf_slopbuf[];

struct sbuf {
	size_t alloc;
	size_t len;
	char *buf;
};

#define SBUF_INIT { 0, 0, sbuf_slopbuf }

void sbuf_init(struct sbuf *sb, size_t hint);
void sbuf_release(struct sbuf *sb);
char *sbuf_detach(struct sbuf *sb, size_t *len);
void sbuf_grow(struct sbuf *sb, size_t extra);
void sbuf_setlen(struct sbuf *sb, size_t len);
#define sbuf_reset(sb) sbuf_setlen((sb), 0)

void sbuf_add(struct sbuf *sb, const void *data, size_t len);
void sbuf_adds(struct sbuf *sb, const char *s);
void sbuf_addch(struct sbuf *sb, int c);
void sbuf_addf(struct sbuf *sb, const char *fmt, ...) SG_PRINTF(2, 3);
void sbuf_vaddf(struct sbuf *sb, const char *fmt, va_list ap) SG_PRINTF(2, 0);
/* Removes trailing whitespace. */
void sbuf_rtrim(struct sbuf *sb);

/* Copies the contents into the arena (the sbuf is left as it is). */
char *sbuf_to_arena(const struct sbuf *sb, struct sg_arena *a);

#endif
