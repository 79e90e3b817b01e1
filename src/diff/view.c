// SPDX-License-Identifier: MIT
/*
 * view.c - views and materialized views in the differ.
 *
 * A view pair compares the server's text of the two definitions
 * (pg_get_viewdef), the result columns (name, type, collation), the options
 * (reloptions, including check_option) and the comments.  What PostgreSQL
 * can change in place is an ALTER change:
 *  - SG_CHG_DEFINITION: CREATE OR REPLACE VIEW, possible when the old
 *    columns are kept with the same names, types and collations, in the same
 *    order, and new ones are only appended (checkViewColumns() in
 *    PostgreSQL's view.c; a renamed column is a definition change that
 *    fails this test);
 *  - SG_CHG_OPTIONS: ALTER [MATERIALIZED] VIEW ... SET / RESET;
 *  - SG_CHG_COMMENT, and the comments of columns on both sides;
 *  - SG_CHG_GRANTS (security.c), of the view and of its columns.
 * Anything else -- a view whose columns change otherwise, any change of a
 * materialized view's query, a view becoming a materialized view or back --
 * is a drop and a create of the relation with its children (columns,
 * indexes of a materialized view, triggers), so that the new one gets its
 * comments and indexes back; the two carry SG_CHG_DEFINITION, which
 * summaries read as "re-created".  Views that depend on a view dropped here are
 * rebuilt around it by the orderer.
 *
 * Whether a materialized view is populated (WITH [NO] DATA) is data, not
 * schema: it decides how a materialized view is created, and is not
 * compared (a REFRESH is not a migration).
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diff.h"
#include "schemagen/model.h"

#include "diff-priv.h"

static bool same_column(const struct sg_column *a, const struct sg_column *b)
{
	return strcmp(a->obj.name, b->obj.name) == 0 && sg_streq(a->type, b->type) &&
	       sg_streq(a->collation, b->collation);
}

/* Are f's columns, in order, the first columns of t (with exact = all)? */
static bool columns_kept(const struct sg_table *f, const struct sg_table *t,
			 bool exact)
{
	if (t->ncolumns < f->ncolumns || (exact && t->ncolumns != f->ncolumns))
		return false;
	for (size_t i = 0; i < f->ncolumns; i++)
		if (!same_column(f->columns[i], t->columns[i]))
			return false;
	return true;
}

static bool options_equal(const struct sg_view *f, const struct sg_view *t)
{
	if (f->nreloptions != t->nreloptions)
		return false;
	for (size_t i = 0; i < f->nreloptions; i++)
		if (strcmp(f->reloptions[i], t->reloptions[i]) != 0)
			return false;
	return true;
}

void diff_view_create(struct differ *df, const struct sg_object *o)
{
	const struct sg_table *t = (const struct sg_table *)o;

	diff_add(df, SG_OP_CREATE, NULL, o, 0);
	for (size_t i = 0; i < t->ncolumns; i++)
		diff_add(df, SG_OP_CREATE, NULL, &t->columns[i]->obj, 0);
	for (size_t i = 0; i < t->nindexes; i++)
		diff_add(df, SG_OP_CREATE, NULL, &t->indexes[i]->obj, 0);
	for (size_t i = 0; i < t->nstatistics; i++)   /* a materialized view's */
		diff_add(df, SG_OP_CREATE, NULL, &t->statistics[i]->obj, 0);
	diff_create_triggers(df, t);
	diff_create_rules(df, t);
}

void diff_view_drop(struct differ *df, const struct sg_object *o)
{
	const struct sg_table *f = (const struct sg_table *)o;

	diff_add(df, SG_OP_DROP, o, NULL, 0);
	diff_drop_rules(df, f);
	diff_drop_triggers(df, f);
	for (size_t i = 0; i < f->nstatistics; i++)
		diff_add(df, SG_OP_DROP, &f->statistics[i]->obj, NULL, 0);
	for (size_t i = 0; i < f->nindexes; i++)
		diff_add(df, SG_OP_DROP, &f->indexes[i]->obj, NULL, 0);
	for (size_t i = 0; i < f->ncolumns; i++)
		diff_add(df, SG_OP_DROP, &f->columns[i]->obj, NULL, 0);
}

/*
 * Drop and create, both marked SG_CHG_DEFINITION so that summaries say
 * "re-created" once rather than a drop and a create.
 */
static void recreate(struct differ *df, const struct sg_object *fo,
		     const struct sg_object *to)
{
	size_t n = df->out->n;

	diff_view_drop(df, fo);
	df->out->v[n]->what |= SG_CHG_DEFINITION;
	n = df->out->n;
	diff_view_create(df, to);
	df->out->v[n]->what |= SG_CHG_DEFINITION;
}

/* Does the definition differ (through declared renames of what it uses)? */
static bool definition_differs(struct differ *df, const struct sg_view *f,
			       const struct sg_view *t)
{
	return !sg_streq(diff_renamed_text(df, f->definition, NULL), t->definition) ||
	       !columns_kept(&f->rel, &t->rel, true);
}

/* Can t not be reached from f in place (relkind, query of a materialized
 * view, columns a CREATE OR REPLACE cannot keep)? */
static bool needs_recreate(struct differ *df, const struct sg_view *f,
			   const struct sg_view *t)
{
	return f->relkind != t->relkind ||
	       (definition_differs(df, f, t) &&
		(t->relkind == 'm' || !columns_kept(&f->rel, &t->rel, false)));
}

void diff_view_renamed(struct differ *df, const struct sg_object *fo,
		       const struct sg_object *to)
{
	const struct sg_view *f = (const struct sg_view *)fo;
	const struct sg_view *t = (const struct sg_view *)to;

	if (needs_recreate(df, f, t)) {
		/* the new one is created from scratch: nothing to rename */
		recreate(df, fo, to);
		return;
	}
	diff_add(df, SG_OP_RENAME, fo, to, 0);
	diff_view_pair(df, fo, to);
}

void diff_view_pair(struct differ *df, const struct sg_object *fo,
		    const struct sg_object *to)
{
	const struct sg_view *f = (const struct sg_view *)fo;
	const struct sg_view *t = (const struct sg_view *)to;
	bool definition = definition_differs(df, f, t);
	sg_chg what = 0;

	if (needs_recreate(df, f, t)) {
		recreate(df, fo, to);
		return;
	}
	if (definition)
		what |= SG_CHG_DEFINITION;
	if (!options_equal(f, t))
		what |= SG_CHG_OPTIONS;
	if (!sg_streq(fo->comment, to->comment))
		what |= SG_CHG_COMMENT;
	what |= diff_grants(fo, to);
	if (what)
		diff_add(df, SG_OP_ALTER, fo, to, what);
	/* comments and grants of the columns on both sides; those of new
	 * columns are set after CREATE OR REPLACE by the view's own change */
	for (size_t i = 0; i < f->rel.ncolumns; i++) {
		const struct sg_column *fc = f->rel.columns[i];
		const struct sg_column *tc = sg_table_column(&t->rel, fc->obj.name);
		sg_chg cw;

		if (!tc)
			continue;
		cw = diff_grants(&fc->obj, &tc->obj);
		if (!sg_streq(fc->obj.comment, tc->obj.comment))
			cw |= SG_CHG_COMMENT;
		if (cw)
			diff_add(df, SG_OP_ALTER, &fc->obj, &tc->obj, cw);
	}
	diff_relation_indexes(df, &f->rel, &t->rel);
	diff_statistics(df, &f->rel, &t->rel);
	diff_triggers(df, &f->rel, &t->rel);
	diff_rules(df, &f->rel, &t->rel);
}
