// SPDX-License-Identifier: MIT
/*
 * evtrigger.c - event triggers: the event, the tags and the function are
 * fixed at CREATE (a change drops and creates the trigger); the enabled
 * state and the comment are altered in place, the owner by security.c,
 * the name by a declared rename (renamed_from).
 */
#include "schemagen/util.h"

#include "diff-priv.h"

static char enabled_of(const struct sg_event_trigger *e)
{
	return e->enabled ? e->enabled : 'O';
}

/* What CREATE fixes: the event, the tags, the function. */
static bool recreated(const struct sg_event_trigger *f,
		      const struct sg_event_trigger *t)
{
	return !sg_streq(f->event, t->event) ||
	       !sg_strings_equal(f->tags, f->ntags, t->tags, t->ntags) ||
	       !sg_streq(f->function_schema, t->function_schema) ||
	       !sg_streq(f->function_name, t->function_name);
}

void diff_event_trigger_pair(struct differ *df, const struct sg_object *fo,
			     const struct sg_object *to)
{
	const struct sg_event_trigger *f = (const struct sg_event_trigger *)fo;
	const struct sg_event_trigger *t = (const struct sg_event_trigger *)to;
	sg_chg what = 0;

	if (recreated(f, t)) {
		diff_add(df, SG_OP_DROP, fo, NULL, SG_CHG_DEFINITION);
		diff_add(df, SG_OP_CREATE, NULL, to, SG_CHG_DEFINITION);
		return;
	}
	if (enabled_of(f) != enabled_of(t))
		what |= SG_CHG_ENABLED;
	if (!sg_streq(f->obj.comment, t->obj.comment))
		what |= SG_CHG_COMMENT;
	if (what)
		diff_add(df, SG_OP_ALTER, fo, to, what);
}

/* A declared rename: ALTER EVENT TRIGGER ... RENAME TO, then the other
 * changes; a trigger re-created anyway is not renamed first. */
void diff_event_trigger_renamed(struct differ *df, const struct sg_object *f,
				const struct sg_object *t)
{
	if (!recreated((const struct sg_event_trigger *)f,
		       (const struct sg_event_trigger *)t))
		diff_add(df, SG_OP_RENAME, f, t, 0);
	diff_event_trigger_pair(df, f, t);
}
