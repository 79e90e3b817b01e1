// SPDX-License-Identifier: MIT
/*
 * aggregate.c - SQL for aggregates, and the option lists that aggregates
 * and operators share.
 *
 * Statements: CREATE AGGREGATE s.name (arguments | * | [direct] ORDER BY
 * aggregated) (SFUNC = ..., STYPE = ..., ...), DROP AGGREGATE s.name(types),
 * ALTER AGGREGATE ... RENAME TO, COMMENT ON AGGREGATE; privileges are
 * granted ON FUNCTION (security.c), owners with ALTER AGGREGATE ... OWNER TO.
 * A changed definition is a DROP and a CREATE (diff/aggregate.c).
 *
 * Option values: function names, types and operators are written as they
 * are (the server's text, or a model's fragment that the parser accepted
 * as exactly one), initial conditions as literals, words and numbers as
 * the loader chose them.
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"

#include "emit-priv.h"

void emit_def_options(struct emitter *e, const struct sg_opt_info *info,
		      const char *const *opts, const struct sg_loc *locs, int n,
		      int *count)
{
	for (int i = 0; i < n; i++) {
		struct sg_loc loc = locs[i];

		if (!opts[i])
			continue;
		sbuf_adds(&e->sql, (*count)++ ? ", " : "");
		sbuf_adds(&e->sql, info[i].sql);
		if (info[i].type == 'b')
			continue;
		sbuf_adds(&e->sql, " = ");
		switch (info[i].type) {
		case 'l': {
			struct sg_srcfrag f = { .offset = e->sql.len, .loc = loc };

			sg_quote_literal(&e->sql, opts[i]);
			f.len = e->sql.len - f.offset;
			f.loc.style = 'x';
			if (loc.line)
				SG_VEC_PUSH(e->a, &e->frags, f);
			break;
		}
		case 'w':
			for (const char *p = opts[i]; *p; p++)
				sbuf_addch(&e->sql, *p >= 'a' && *p <= 'z'
					   ? (char)(*p - 'a' + 'A') : *p);
			break;
		default:
			emit_frag_text(e, opts[i], loc);
			break;
		}
	}
}

static void create_aggregate(struct emitter *e, const struct sg_aggregate *g)
{
	int n = 0;

	sbuf_adds(&e->sql, "CREATE AGGREGATE ");
	sg_quote_qualified(&e->sql, g->obj.schema, g->aggname);
	sbuf_adds(&e->sql, " (");
	if (g->arguments)
		emit_frag_text(e, g->arguments, g->arguments_loc);
	if (g->order_by) {
		sbuf_adds(&e->sql, g->arguments ? " ORDER BY " : "ORDER BY ");
		emit_frag_text(e, g->order_by, g->order_by_loc);
	}
	if (!g->arguments && !g->order_by)
		sbuf_addch(&e->sql, '*');
	sbuf_adds(&e->sql, ") (");
	emit_def_options(e, sg_agg_opts, g->opts, g->opt_locs, SG_AGG__COUNT, &n);
	if (g->aggkind == 'h')
		sbuf_adds(&e->sql, n ? ", HYPOTHETICAL" : "HYPOTHETICAL");
	sbuf_addch(&e->sql, ')');
	emit_finish(e, &g->obj, NULL);
	emit_comment_after_create(e, &g->obj);
}

void emit_aggregate(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;

	switch (c->op) {
	case SG_OP_CREATE:
		create_aggregate(e, (const struct sg_aggregate *)c->to);
		break;
	case SG_OP_DROP:
		sbuf_adds(&e->sql, "DROP ");
		sg_object_sqlref(&e->sql, c->from);
		emit_finish(e, c->from, NULL);
		break;
	case SG_OP_RENAME:
		sbuf_adds(&e->sql, "ALTER ");
		sg_object_sqlref(&e->sql, c->from);
		sbuf_adds(&e->sql, " RENAME TO ");
		sg_quote_ident(&e->sql, ((const struct sg_aggregate *)c->to)->aggname);
		emit_finish(e, c->to, NULL);
		break;
	case SG_OP_ALTER:
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, c->to, c->to->comment);
		break;
	}
}
