// SPDX-License-Identifier: MIT
/*
 * trigger.c - SQL for triggers: pg_get_triggerdef() text or the fields; the
 * enabled state (tgenabled) follows as ALTER TABLE ... DISABLE / ENABLE
 * [REPLICA | ALWAYS] TRIGGER, which is also how a change of it alone is
 * made.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "schemagen/arena.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"

#include "emit-priv.h"

static void trigger_from_fields(struct emitter *e, const struct sg_trigger *g)
{
	sbuf_adds(&e->sql, g->constraint ? "CREATE CONSTRAINT TRIGGER " : "CREATE TRIGGER ");
	emit_frag_ident(e, g->obj.name, g->obj.loc);
	sbuf_addf(&e->sql, " %s ", g->timing ? g->timing : "AFTER");
	for (size_t i = 0; i < g->nevents; i++) {
		if (i)
			sbuf_adds(&e->sql, " OR ");
		sbuf_adds(&e->sql, g->events[i]);
		if (strcmp(g->events[i], "UPDATE") == 0 && g->nupdate_columns) {
			sbuf_adds(&e->sql, " OF ");
			for (size_t k = 0; k < g->nupdate_columns; k++) {
				if (k)
					sbuf_adds(&e->sql, ", ");
				sg_quote_ident(&e->sql, g->update_columns[k]);
			}
		}
	}
	sbuf_adds(&e->sql, " ON ");
	emit_table_name(e, &g->obj);
	if (g->from_table) {
		sbuf_adds(&e->sql, " FROM ");
		sbuf_adds(&e->sql, g->from_table);
	}
	if (g->deferrable || g->deferred)
		sbuf_adds(&e->sql, " DEFERRABLE");
	if (g->deferred)
		sbuf_adds(&e->sql, " INITIALLY DEFERRED");
	if (g->old_table || g->new_table) {
		sbuf_adds(&e->sql, " REFERENCING");
		if (g->old_table)
			sbuf_addf(&e->sql, " OLD TABLE AS %s", sg_qi(e->a, g->old_table));
		if (g->new_table)
			sbuf_addf(&e->sql, " NEW TABLE AS %s", sg_qi(e->a, g->new_table));
	}
	sbuf_adds(&e->sql, g->for_each_row ? " FOR EACH ROW" : " FOR EACH STATEMENT");
	if (g->when) {
		sbuf_adds(&e->sql, " WHEN (");
		emit_frag_text(e, g->when, g->when_loc);
		sbuf_addch(&e->sql, ')');
	}
	sbuf_adds(&e->sql, " EXECUTE FUNCTION ");
	{
		struct sg_srcfrag fr = { .offset = e->sql.len, .loc = g->function_loc };

		if (g->function_name)
			sg_quote_qualified(&e->sql, g->function_schema, g->function_name);
		else
			sbuf_adds(&e->sql, g->function);
		fr.len = e->sql.len - fr.offset;
		fr.loc.style = 'x';
		if (fr.loc.line)
			SG_VEC_PUSH(e->a, &e->frags, fr);
	}
	sbuf_addch(&e->sql, '(');
	for (size_t i = 0; i < g->narguments; i++) {
		if (i)
			sbuf_adds(&e->sql, ", ");
		sg_quote_literal(&e->sql, g->arguments[i]);
	}
	sbuf_addch(&e->sql, ')');
}

static char enabled_of(const struct sg_trigger *g)
{
	return g->enabled ? g->enabled : 'O';
}

static void set_enabled(struct emitter *e, const struct sg_trigger *g)
{
	static const struct {
		char state;
		const char *words;
	} states[] = {
		{ 'O', "ENABLE" }, { 'D', "DISABLE" },
		{ 'R', "ENABLE REPLICA" }, { 'A', "ENABLE ALWAYS" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(states); i++) {
		if (states[i].state != enabled_of(g))
			continue;
		emit_alter_table(e, &g->obj);
		sbuf_addf(&e->sql, "%s TRIGGER %s", states[i].words,
			  sg_qi(e->a, g->obj.name));
		emit_finish(e, &g->obj, NULL);
		return;
	}
	SG_BUG("trigger %s: enabled state %c", g->obj.name, g->enabled);
}

void emit_trigger(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;
	const struct sg_trigger *f = (const struct sg_trigger *)c->from;
	const struct sg_trigger *t = (const struct sg_trigger *)c->to;

	switch (c->op) {
	case SG_OP_CREATE:
		if (t->definition)
			sbuf_adds(&e->sql, t->definition);
		else
			trigger_from_fields(e, t);
		emit_finish(e, &t->obj, NULL);
		if (enabled_of(t) != 'O')
			set_enabled(e, t);
		emit_comment_after_create(e, &t->obj);
		break;
	case SG_OP_DROP:
		sbuf_addf(&e->sql, "DROP TRIGGER %s ON ", sg_qi(e->a, f->obj.name));
		emit_table_name(e, &f->obj);
		emit_finish(e, &f->obj, NULL);
		break;
	case SG_OP_ALTER:
		if (c->what & SG_CHG_ENABLED)
			set_enabled(e, t);
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, &t->obj, t->obj.comment);
		break;
	case SG_OP_RENAME:
		SG_BUG("trigger rename");
	}
}
