/* SPDX-License-Identifier: MIT */
/*
 * pgnames.h - PostgreSQL's rules for the names it chooses itself
 * (src/model/pgnames.c): makeObjectName(), ChooseIndexNameAddition() and
 * ChooseIndexName() of src/backend/commands/indexcmds.c, and the
 * truncation to NAMEDATALEN - 1 bytes that never cuts a UTF-8 character.
 * The model loader names the constraints and indexes a model leaves
 * unnamed with them; introspection finds the indexes a partition got from
 * its parent's.
 */
#ifndef SG_PGNAMES_H
#define SG_PGNAMES_H

#include <stddef.h>

struct sg_arena;

/* PostgreSQL's NAMEDATALEN - 1: longer names are truncated by the server. */
#define SG_NAME_MAX 63

/* The byte length of s clipped to at most max bytes on a UTF-8 boundary
 * (pg_mbcliplen()). */
size_t sg_pg_clip_len(const char *s, size_t max);

/*
 * makeObjectName(): name1[_name2][_label] in at most 63 bytes, the longer
 * of name1 and name2 shortened first (name2 and label may be NULL).
 */
char *sg_pg_object_name(struct sg_arena *a, const char *name1,
			const char *name2, const char *label);

/* ChooseIndexNameAddition(): the names joined by "_", each clipped to 63
 * bytes, stopped once past 63 bytes. */
char *sg_pg_name_addition(struct sg_arena *a, const char *const *names,
			  size_t n);

/*
 * ChooseIndexName() without the number ChooseRelationName() appends when
 * the name is taken: table_pkey for label "pkey", otherwise
 * table_<columns>_label (label "idx", "key", "excl"; no columns part when
 * the addition is empty).
 */
char *sg_pg_index_name(struct sg_arena *a, const char *table,
		       const char *const *colnames, size_t n, const char *label);

#endif
