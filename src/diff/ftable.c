// SPDX-License-Identifier: MIT
/*
 * ftable.c - foreign tables.  Their columns and check constraints are
 * compared as a table's (diff_table_pair(): types, defaults, NOT NULL,
 * collations, comments, grants, renames; a column's OPTIONS by
 * compare_column()), the table's OPTIONS here.  ALTER FOREIGN TABLE cannot
 * change the server: a foreign table moving to another server is dropped
 * and created again (SG_CHG_DEFINITION on both), which loses no rows (they
 * are the server's) but makes the views that use it be rebuilt.
 */
#include "diff-priv.h"
#include "schemagen/util.h"

void diff_foreign_table_create(struct differ *df, const struct sg_object *t)
{
	diff_create_table(df, (const struct sg_table *)t);
}

void diff_foreign_table_drop(struct differ *df, const struct sg_object *f)
{
	diff_drop_table(df, (const struct sg_table *)f);
}

void diff_foreign_table_pair(struct differ *df, const struct sg_object *fo,
			     const struct sg_object *to)
{
	const struct sg_foreign_table *f = (const struct sg_foreign_table *)fo;
	const struct sg_foreign_table *t = (const struct sg_foreign_table *)to;

	if (!sg_streq(f->server, t->server)) {
		size_t n = df->out->n;

		diff_foreign_table_drop(df, fo);
		df->out->v[n]->what |= SG_CHG_DEFINITION;
		n = df->out->n;
		diff_foreign_table_create(df, to);
		df->out->v[n]->what |= SG_CHG_DEFINITION;
		return;
	}
	diff_table_pair(df, &f->rel, &t->rel);
	if (!sg_options_equal(f->options, f->noptions, t->options, t->noptions))
		diff_add(df, SG_OP_ALTER, fo, to, SG_CHG_OPTIONS);
}
