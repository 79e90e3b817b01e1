// SPDX-License-Identifier: MIT
/*
 * statistics.c - statistics objects and rules, the children of a relation
 * that PostgreSQL can rename (ALTER STATISTICS / ALTER RULE ... RENAME
 * TO): the walk that pairs them by name and through a declared
 * renamed_from (diff_renamed_children), and the statistics' pair: the same
 * kinds, columns and expressions, or dropped and created again; the
 * statistics target (ALTER STATISTICS ... SET STATISTICS), the comment
 * and the owner are alterations.  Rules are in rule.c.
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/sbuf.h"

#include "diff-priv.h"

static const struct sg_object *by_name(const struct sg_object *const *v, size_t n,
				       const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i]->name, name) == 0)
			return v[i];
	return NULL;
}

void diff_renamed_children(struct differ *df, const struct sg_object *const *fv,
			   size_t fn, const struct sg_object *const *tv, size_t tn,
			   const struct child_ops *ops)
{
	const struct sg_object **fl = sg_alloc_array(df->a, fn + 1, sizeof(*fl));
	const struct sg_object **tl = sg_alloc_array(df->a, tn + 1, sizeof(*tl));
	bool *fgone = sg_alloc_array(df->a, fn + 1, sizeof(bool));
	bool *tgone = sg_alloc_array(df->a, tn + 1, sizeof(bool));
	size_t nf = 0, nt = 0;

	/* a to-side child renamed from a from-side one (upgrade), or a
	 * from-side child renamed from a to-side one (downgrade); only when
	 * the old name is gone and the new one free */
	for (int dir = 0; dir < 2; dir++) {
		const struct sg_object *const *decl = dir ? fv : tv, *const *other = dir ? tv : fv;
		size_t nd = dir ? fn : tn, no = dir ? tn : fn;

		for (size_t i = 0; i < nd; i++) {
			const struct sg_object *c = decl[i], *old, *f, *t;

			if (!c->renamed_from || !(old = by_name(other, no, c->renamed_from)) ||
			    by_name(decl, nd, c->renamed_from) || by_name(other, no, c->name))
				continue;
			f = dir ? c : old;
			t = dir ? old : c;
			for (size_t k = 0; k < fn; k++)
				if (fv[k] == f)
					fgone[k] = true;
			for (size_t k = 0; k < tn; k++)
				if (tv[k] == t)
					tgone[k] = true;
			if (ops->same(df, NULL, f, t)) {
				diff_add(df, SG_OP_RENAME, f, t, 0);
				ops->pair(df, NULL, f, t);
			} else {
				diff_add(df, SG_OP_DROP, f, NULL, 0);
				diff_add(df, SG_OP_CREATE, NULL, t, 0);
			}
		}
	}
	for (size_t i = 0; i < fn; i++)
		if (!fgone[i])
			fl[nf++] = fv[i];
	for (size_t i = 0; i < tn; i++)
		if (!tgone[i])
			tl[nt++] = tv[i];
	{
		/* by name only: the renames are done */
		struct child_ops byname = { ops->pair, NULL };

		diff_children(df, NULL, fl, nf, tl, nt, &byname);
	}
}

/* The same statistics object, whatever its name and its table's? */
static bool statistics_same(struct differ *df, struct colmap *m,
			    const struct sg_object *fo, const struct sg_object *to)
{
	const struct sg_statistics *f = (const void *)fo, *t = (const void *)to;

	(void)df;
	(void)m;
	return f->kinds == t->kinds &&
	       strcmp(sg_statistics_schema(f), sg_statistics_schema(t)) == 0 &&
	       sg_strings_equal(f->columns, f->ncolumns, t->columns, t->ncolumns) &&
	       sg_strings_equal(f->expressions, f->nexpressions, t->expressions,
				t->nexpressions);
}

static void statistics_pair(struct differ *df, struct colmap *m,
			    const struct sg_object *fo, const struct sg_object *to)
{
	const struct sg_statistics *f = (const void *)fo, *t = (const void *)to;
	size_t first = df->out->n;
	sg_chg what = 0;

	if (!statistics_same(df, m, fo, to)) {
		diff_add(df, SG_OP_DROP, fo, NULL, 0);
		diff_add(df, SG_OP_CREATE, NULL, to, 0);
		return;
	}
	if (f->target != t->target)
		what |= SG_CHG_STATS_TARGET;
	if (!sg_streq(fo->comment, to->comment))
		what |= SG_CHG_COMMENT;
	if (what)
		diff_add(df, SG_OP_ALTER, fo, to, what);
	diff_owner_unless_said(df, fo, to, first);
}

void diff_statistics(struct differ *df, const struct sg_table *ft,
		     const struct sg_table *tt)
{
	static const struct child_ops ops = { statistics_pair, statistics_same };

	diff_renamed_children(df, DIFF_CHILD_OBJS(df->a, ft->statistics, ft->nstatistics),
			      ft->nstatistics,
			      DIFF_CHILD_OBJS(df->a, tt->statistics, tt->nstatistics),
			      tt->nstatistics, &ops);
}
