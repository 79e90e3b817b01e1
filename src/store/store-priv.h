/* SPDX-License-Identifier: MIT */
/*
 * store-priv.h - helpers shared by the files of src/store/ (parse.c,
 * graph.c, write.c); not an interface for other stages.
 */
#ifndef SG_STORE_PRIV_H
#define SG_STORE_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include "schemagen/diag.h"

struct sg_arena;
struct sg_diags;
struct sg_revision;
struct sbuf;

/* Longest revision id: the version table's column is varchar(32). */
#define STORE_ID_MAX 32

/*
 * store_valid_name() (store.h): target syntax uses '+', '-', '@' and ':'
 * as operators, so none of them may occur in a name.
 */

/*
 * store_parse_header() with the file's text (and later its body) in ta,
 * the header's values in a: store_load_project() gives every file's the
 * graph's bodies arena.
 */
int store_parse_header_in(struct sg_arena *a, struct sg_arena *ta,
			  const char *path, const char *text, size_t len,
			  struct sg_revision **out, struct sg_diags *d);

/* Location of a byte offset in a text that starts at file:1:1. */
struct sg_loc store_loc(const char *file, const char *text, size_t len,
			size_t offset);

/* Location of the value of header key `key` in rev's text (1:1 if absent). */
struct sg_loc store_header_loc(const struct sg_revision *rev, const char *key);

/* Appends "a, b, c" (or `none` when n == 0). */
void store_join(struct sbuf *out, const char *const *v, size_t n,
		const char *none);

#endif
