// SPDX-License-Identifier: MIT
/*
 * publication.c - publications: FOR ALL TABLES cannot become a list of
 * tables or back (drop and create); the tables and schemas published
 * (SG_CHG_DEFINITION: ALTER PUBLICATION ADD / DROP), the options
 * (SG_CHG_OPTIONS: publish, publish_via_partition_root) and the comment
 * are altered, the owner by security.c, the name by a declared rename.
 */
#include <string.h>

#include "schemagen/util.h"

#include "diff-priv.h"

static bool same_table(const struct sg_pub_table *a, const struct sg_pub_table *b)
{
	return sg_streq(a->schema, b->schema) && strcmp(a->name, b->name) == 0 &&
	       sg_strings_equal(a->columns, a->ncolumns, b->columns, b->ncolumns) &&
	       sg_streq(a->where, b->where);
}

static bool diff_pub_tables_equal(const struct sg_publication *f,
			   const struct sg_publication *t)
{
	if (f->ntables != t->ntables ||
	    !sg_strings_equal(f->schemas, f->nschemas, t->schemas, t->nschemas))
		return false;
	for (size_t i = 0; i < f->ntables; i++)
		if (!same_table(&f->tables[i], &t->tables[i]))
			return false;
	return true;
}

static bool recreated(const struct sg_object *f, const struct sg_object *t)
{
	return ((const struct sg_publication *)f)->all_tables !=
	       ((const struct sg_publication *)t)->all_tables;
}

void diff_publication_pair(struct differ *df, const struct sg_object *fo,
			   const struct sg_object *to)
{
	const struct sg_publication *f = (const struct sg_publication *)fo;
	const struct sg_publication *t = (const struct sg_publication *)to;
	sg_chg what = 0;

	if (recreated(fo, to)) {
		diff_add(df, SG_OP_DROP, fo, NULL, SG_CHG_DEFINITION);
		diff_add(df, SG_OP_CREATE, NULL, to, SG_CHG_DEFINITION);
		return;
	}
	if (!diff_pub_tables_equal(f, t))
		what |= SG_CHG_DEFINITION;
	if (!sg_streq(f->publish, t->publish) || f->via_root != t->via_root)
		what |= SG_CHG_OPTIONS;
	if (!sg_streq(f->obj.comment, t->obj.comment))
		what |= SG_CHG_COMMENT;
	if (what)
		diff_add(df, SG_OP_ALTER, fo, to, what);
}

void diff_publication_renamed(struct differ *df, const struct sg_object *f,
			      const struct sg_object *t)
{
	if (!recreated(f, t))
		diff_add(df, SG_OP_RENAME, f, t, 0);
	diff_publication_pair(df, f, t);
}
