// SPDX-License-Identifier: MIT
/*
 * function.c - functions, procedures and triggers.
 *
 * Functions pair by identity, "proname(argument types)", so a changed list
 * of input types is a drop of one function and the creation of another.
 * A pair whose pg_get_functiondef() text differs is replaced in place
 * (SG_CHG_DEFINITION: CREATE OR REPLACE) when PostgreSQL allows it, which
 * keeps the function's oid and so everything that uses it; otherwise it is
 * dropped and created again, and the orderer rebuilds what depends on it.
 * PostgreSQL refuses CREATE OR REPLACE (ProcedureCreate) when:
 *  - the kind changes (function, procedure, window function);
 *  - the result type changes, including SETOF and the row type that OUT
 *    arguments or TABLE columns make;
 *  - an input argument is renamed, or an OUT argument changes;
 *  - a default is removed (a function may gain defaults, never lose them).
 * argsig (mode, name and type of every argument, TABLE columns included)
 * covers the arguments conservatively: any difference there means drop and
 * create.
 *
 * Triggers are children of their relation and are walked from its pair
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

static bool function_replaceable(const struct sg_function *f,
				 const struct sg_function *t)
{
	return f->prokind == t->prokind && f->window == t->window &&
	       sg_streq(f->result, t->result) && sg_streq(f->argsig, t->argsig) &&
	       t->ndefaults >= f->ndefaults;
}

/* pg_get_functiondef() names the function: compared through the renames */
static bool definition_differs(struct differ *df, const struct sg_function *f,
			       const struct sg_function *t)
{
	return !f->definition || !t->definition ||
	       strcmp(diff_renamed_text(df, f->definition, &f->obj), t->definition) != 0;
}

void diff_function_renamed(struct differ *df, const struct sg_function *f,
			   const struct sg_function *t)
{
	if (definition_differs(df, f, t) && !function_replaceable(f, t)) {
		/* dropped and created anyway: nothing to rename */
		diff_add(df, SG_OP_DROP, &f->obj, NULL, 0);
		diff_add(df, SG_OP_CREATE, NULL, &t->obj, 0);
		return;
	}
	diff_add(df, SG_OP_RENAME, &f->obj, &t->obj, 0);
	diff_function_pair(df, f, t);
}

void diff_function_pair(struct differ *df, const struct sg_function *f,
			const struct sg_function *t)
{
	sg_chg what = 0;

	if (definition_differs(df, f, t)) {
		if (!function_replaceable(f, t)) {
			diff_add(df, SG_OP_DROP, &f->obj, NULL, 0);
			diff_add(df, SG_OP_CREATE, NULL, &t->obj, 0);
			return;
		}
		what |= SG_CHG_DEFINITION;
	}
	if (!sg_streq(f->obj.comment, t->obj.comment))
		what |= SG_CHG_COMMENT;
	what |= diff_grants(&f->obj, &t->obj);
	if (what)
		diff_add(df, SG_OP_ALTER, &f->obj, &t->obj, what);
}

/* ---- triggers ---- */

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
	unsigned what = 0;

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
