// SPDX-License-Identifier: MIT
/*
 * aggregate.c - aggregates.
 *
 * Aggregates pair by identity, "name(argument types)".  PostgreSQL can
 * change nothing of an aggregate's definition in place (ALTER AGGREGATE
 * renames, moves and changes the owner; CREATE OR REPLACE AGGREGATE is
 * 14+ only and refuses to change the kind or the types): any difference
 * of arguments, kind or option is a drop and a create, both marked
 * SG_CHG_DEFINITION so that summaries say "re-created"; the orderer
 * rebuilds what uses it (views, other aggregates).  Comments, privileges
 * and owners are altered.  A declared rename (renamed_from) is ALTER
 * AGGREGATE ... RENAME TO when the definition stays.
 */
#include <string.h>

#include "diff-priv.h"

static bool definition_differs(const struct sg_aggregate *f,
			       const struct sg_aggregate *t)
{
	if (f->aggkind != t->aggkind || !sg_streq(f->arguments, t->arguments) ||
	    !sg_streq(f->order_by, t->order_by))
		return true;
	for (int i = 0; i < SG_AGG__COUNT; i++)
		if (!sg_streq(f->opts[i], t->opts[i]))
			return true;
	return false;
}

static void recreate(struct differ *df, const struct sg_object *f,
		     const struct sg_object *t)
{
	diff_add(df, SG_OP_DROP, f, NULL, SG_CHG_DEFINITION);
	diff_add(df, SG_OP_CREATE, NULL, t, SG_CHG_DEFINITION);
}

void diff_aggregate_pair(struct differ *df, const struct sg_object *fo,
			 const struct sg_object *to)
{
	const struct sg_aggregate *f = (const struct sg_aggregate *)fo;
	const struct sg_aggregate *t = (const struct sg_aggregate *)to;
	sg_chg what = 0;

	if (definition_differs(f, t)) {
		recreate(df, fo, to);
		return;
	}
	if (!sg_streq(fo->comment, to->comment))
		what |= SG_CHG_COMMENT;
	what |= diff_grants(fo, to);
	if (what)
		diff_add(df, SG_OP_ALTER, fo, to, what);
}

void diff_aggregate_renamed(struct differ *df, const struct sg_object *f,
			    const struct sg_object *t)
{
	if (definition_differs((const struct sg_aggregate *)f,
			       (const struct sg_aggregate *)t)) {
		recreate(df, f, t);
		return;
	}
	diff_add(df, SG_OP_RENAME, f, t, 0);
	diff_aggregate_pair(df, f, t);
}
