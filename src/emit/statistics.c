// SPDX-License-Identifier: MIT
/*
 * statistics.c - SQL for statistics objects (CREATE STATISTICS: the
 * server's pg_get_statisticsobjdef() text, or built from the model's
 * fields; ALTER STATISTICS ... SET STATISTICS, RENAME TO; DROP
 * STATISTICS), and what changed in a statistics object or a rule (rules:
 * rule.c).  The owner follows from emit.c and security.c like every
 * kind's.
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"

#include "emit-priv.h"

/* ---- statistics objects ---- */

static void statistics_from_fields(struct emitter *e, const struct sg_statistics *st)
{
	static const char *const words[] = { "ndistinct", "dependencies", "mcv" };
	int n = 0;

	sbuf_adds(&e->sql, "CREATE STATISTICS ");
	sg_quote_ident(&e->sql, sg_statistics_schema(st));
	sbuf_addch(&e->sql, '.');
	emit_frag_ident(e, st->obj.name, st->obj.loc);
	if (st->kinds && st->kinds != SG_STX_ALL) {
		sbuf_adds(&e->sql, " (");
		for (int i = 0; i < 3; i++)
			if (st->kinds & (1u << i))
				sbuf_addf(&e->sql, "%s%s", n++ ? ", " : "", words[i]);
		sbuf_addch(&e->sql, ')');
	}
	sbuf_adds(&e->sql, " ON ");
	n = 0;
	for (size_t i = 0; i < st->ncolumns; i++) {
		sbuf_adds(&e->sql, n++ ? ", " : "");
		sg_quote_ident(&e->sql, st->columns[i]);
	}
	for (size_t i = 0; i < st->nexpressions; i++) {
		sbuf_adds(&e->sql, n++ ? ", (" : "(");
		emit_frag_text(e, st->expressions[i],
			       st->expr_locs ? st->expr_locs[i] : st->obj.loc);
		sbuf_adds(&e->sql, "\n)");
	}
	sbuf_adds(&e->sql, " FROM ");
	emit_table_name(e, &st->obj);
}

static void set_target(struct emitter *e, const struct sg_statistics *st)
{
	sbuf_adds(&e->sql, "ALTER STATISTICS ");
	sg_quote_qualified(&e->sql, sg_statistics_schema(st), st->obj.name);
	sbuf_addf(&e->sql, " SET STATISTICS %d", st->target);
	emit_finish(e, &st->obj, NULL);
}

void emit_statistics(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;
	const struct sg_statistics *f = (const struct sg_statistics *)c->from;
	const struct sg_statistics *t = (const struct sg_statistics *)c->to;

	switch (c->op) {
	case SG_OP_CREATE:
		if (t->definition)
			sbuf_adds(&e->sql, t->definition);
		else
			statistics_from_fields(e, t);
		emit_finish(e, &t->obj, NULL);
		if (t->target >= 0)
			set_target(e, t);
		emit_comment_after_create(e, &t->obj);
		break;
	case SG_OP_DROP:
		emit_drop_object(e, &f->obj);
		break;
	case SG_OP_ALTER:
		if (c->what & SG_CHG_STATS_TARGET)
			set_target(e, t);
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, &t->obj, t->obj.comment);
		break;
	case SG_OP_RENAME:
		sbuf_adds(&e->sql, "ALTER STATISTICS ");
		sg_quote_qualified(&e->sql, sg_statistics_schema(f), f->obj.name);
		sbuf_addf(&e->sql, " RENAME TO %s", sg_qi(e->a, t->obj.name));
		emit_finish(e, &t->obj, NULL);
		break;
	}
}

/* What changed in a statistics object or a rule. */
void emit_describe_statistics(struct sbuf *out, const struct sg_change *c, int *n)
{
	if (c->what & SG_CHG_STATS_TARGET) {
		const struct sg_statistics *f = (const void *)c->from;
		const struct sg_statistics *t = (const void *)c->to;

		emit_said(out, n, "statistics target %d -> %d", f->target, t->target);
	}
	if (c->what & SG_CHG_DEFINITION)
		emit_said(out, n, "definition");
	if (c->what & SG_CHG_ENABLED) {
		const struct sg_rule *t = (const struct sg_rule *)c->to;

		emit_said(out, n, "%s", t->enabled == 'D' ? "disabled"
			  : t->enabled == 'R' ? "enabled on replicas only"
			  : t->enabled == 'A' ? "enabled always" : "enabled");
	}
}
