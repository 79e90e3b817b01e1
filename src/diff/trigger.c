// SPDX-License-Identifier: MIT
/*
 * trigger.c - triggers: children of their relation, walked from its pair
 * function (diff_triggers): same pg_get_triggerdef() text, or dropped and
 * created again; the enabled state and the comment are alterations.  A
 * trigger on a renamed table is compared with the table's new name put in
 * its old definition, so a rename alone does not rebuild it.
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"

#include "diff-priv.h"

/*
 * Does the from-trigger's definition equal the to-trigger's once its
 * table's old name is replaced by the new one?
 */
static bool trigger_same(struct differ *df, const struct sg_trigger *f,
			 const struct sg_trigger *t)
{
	const struct sg_object *fp = f->obj.parent, *tp = t->obj.parent;
	struct sbuf from = SBUF_INIT, to = SBUF_INIT, fixed = SBUF_INIT;
	const char *at, *fdef;
	bool same;

	if (!f->definition || !t->definition)
		return false;
	/* a renamed function (EXECUTE FUNCTION), a renamed view (ON) */
	fdef = diff_renamed_text(df, f->definition, NULL);
	if (strcmp(fdef, t->definition) == 0)
		return true;
	if (strcmp(fp->name, tp->name) == 0 && strcmp(fp->schema, tp->schema) == 0)
		return false;
	sbuf_adds(&from, " ON ");
	sg_quote_qualified(&from, fp->schema, fp->name);
	sbuf_addch(&from, ' ');
	sbuf_adds(&to, " ON ");
	sg_quote_qualified(&to, tp->schema, tp->name);
	sbuf_addch(&to, ' ');
	at = strstr(fdef, from.buf);
	if (at) {
		sbuf_add(&fixed, fdef, (size_t)(at - fdef));
		sbuf_adds(&fixed, to.buf);
		sbuf_adds(&fixed, at + from.len);
	}
	same = at && strcmp(fixed.buf, t->definition) == 0;
	sbuf_release(&from);
	sbuf_release(&to);
	sbuf_release(&fixed);
	return same;
}

static char enabled_of(const struct sg_trigger *g)
{
	return g->enabled ? g->enabled : 'O';
}

static void trigger_pair(struct differ *df, struct colmap *m,
			 const struct sg_object *fo, const struct sg_object *to)
{
	const struct sg_trigger *f = (const void *)fo, *t = (const void *)to;
	sg_chg what = 0;

	(void)m;
	if (!trigger_same(df, f, t)) {
		diff_add(df, SG_OP_DROP, fo, NULL, 0);
		diff_add(df, SG_OP_CREATE, NULL, to, 0);
		return;
	}
	if (enabled_of(f) != enabled_of(t))
		what |= SG_CHG_ENABLED;
	if (!sg_streq(fo->comment, to->comment))
		what |= SG_CHG_COMMENT;
	if (what)
		diff_add(df, SG_OP_ALTER, fo, to, what);
}

void diff_triggers(struct differ *df, const struct sg_table *ft,
		   const struct sg_table *tt)
{
	static const struct child_ops ops = { trigger_pair, NULL };

	diff_children(df, NULL, DIFF_CHILD_OBJS(df->a, ft->triggers, ft->ntriggers),
		      ft->ntriggers,
		      DIFF_CHILD_OBJS(df->a, tt->triggers, tt->ntriggers),
		      tt->ntriggers, &ops);
}

void diff_create_triggers(struct differ *df, const struct sg_table *t)
{
	for (size_t i = 0; i < t->ntriggers; i++)
		diff_add(df, SG_OP_CREATE, NULL, &t->triggers[i]->obj, 0);
}

void diff_drop_triggers(struct differ *df, const struct sg_table *f)
{
	for (size_t i = 0; i < f->ntriggers; i++)
		diff_add(df, SG_OP_DROP, &f->triggers[i]->obj, NULL, 0);
}
