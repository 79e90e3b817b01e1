// SPDX-License-Identifier: MIT
/*
 * pgnames.c - the names PostgreSQL gives unnamed constraints and indexes
 * (makeObjectName, ChooseIndexNameAddition and ChooseIndexName of
 * src/backend/commands/indexcmds.c), written once for the model loader's
 * placeholders of unnamed constraints and indexes (obj.auto_name) and for
 * introspection's names of the indexes a partition inherits.
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/pgnames.h"
#include "schemagen/sbuf.h"

size_t sg_pg_clip_len(const char *s, size_t max)
{
	size_t len = strlen(s);

	if (len <= max)
		return len;
	/* pg_mbcliplen(): never cut a UTF-8 character in two */
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

char *sg_pg_object_name(struct sg_arena *a, const char *name1,
			const char *name2, const char *label)
{
	size_t n1 = strlen(name1), n2 = name2 ? strlen(name2) : 0;
	size_t overhead = 0, avail;
	struct sbuf sb = SBUF_INIT;
	char *r;

	if (label)
		overhead += strlen(label) + 1;
	if (name2)
		overhead++;
	avail = SG_NAME_MAX > overhead ? SG_NAME_MAX - overhead : 0;
	/* truncate the longer name first, as makeObjectName() does */
	while (n1 + n2 > avail) {
		if (n1 > n2)
			n1--;
		else
			n2--;
	}
	n1 = sg_pg_clip_len(name1, n1);
	sbuf_add(&sb, name1, n1);
	if (name2) {
		n2 = sg_pg_clip_len(name2, n2);
		sbuf_addch(&sb, '_');
		sbuf_add(&sb, name2, n2);
	}
	if (label) {
		sbuf_addch(&sb, '_');
		sbuf_adds(&sb, label);
	}
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

char *sg_pg_name_addition(struct sg_arena *a, const char *const *names,
			  size_t n)
{
	struct sbuf sb = SBUF_INIT;
	char *r;

	for (size_t i = 0; i < n; i++) {
		if (sb.len > 0)
			sbuf_addch(&sb, '_');
		sbuf_add(&sb, names[i], sg_pg_clip_len(names[i], SG_NAME_MAX));
		if (sb.len >= SG_NAME_MAX + 1)
			break;
	}
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

char *sg_pg_index_name(struct sg_arena *a, const char *table,
		       const char *const *colnames, size_t n, const char *label)
{
	const char *add;

	if (strcmp(label, "pkey") == 0)
		return sg_pg_object_name(a, table, NULL, label);
	add = sg_pg_name_addition(a, colnames, n);
	return sg_pg_object_name(a, table, *add ? add : NULL, label);
}
