// SPDX-License-Identifier: MIT
/*
 * operator.c - SQL for operators.
 *
 * Statements: CREATE OPERATOR s.op (FUNCTION = ..., LEFTARG = ...,
 * RIGHTARG = ..., COMMUTATOR = ..., ...), DROP OPERATOR s.op (left,
 * right), ALTER OPERATOR ... SET (RESTRICT = ..., JOIN = ...), COMMENT ON
 * OPERATOR, ALTER OPERATOR ... OWNER TO.  An operator's name is not an
 * identifier: it is written as it is, schema-qualified (s.op); the loader
 * checked it against PostgreSQL's rules and the catalog's are the server's.
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"

#include "emit-priv.h"

static void create_operator(struct emitter *e, const struct sg_operator *o)
{
	int n = 1;

	sbuf_adds(&e->sql, "CREATE OPERATOR ");
	sg_quote_ident(&e->sql, o->obj.schema);
	sbuf_addf(&e->sql, ".%s (", o->oprname);
	emit_def_options(e, sg_opr_opts, o->opts, o->opt_locs, 1, &(int){ 0 });
	if (o->left) {
		sbuf_adds(&e->sql, ", LEFTARG = ");
		emit_frag_text(e, o->left, o->left_loc);
	}
	sbuf_adds(&e->sql, ", RIGHTARG = ");
	emit_frag_text(e, o->right, o->right_loc);
	emit_def_options(e, sg_opr_opts + 1, o->opts + 1, o->opt_locs + 1,
			 SG_OPR__COUNT - 1, &n);
	if (o->hashes)
		sbuf_adds(&e->sql, ", HASHES");
	if (o->merges)
		sbuf_adds(&e->sql, ", MERGES");
	sbuf_addch(&e->sql, ')');
	emit_finish(e, &o->obj, NULL);
	emit_comment_after_create(e, &o->obj);
}

/* ALTER OPERATOR ... SET (RESTRICT = f | NONE, JOIN = f | NONE) */
static void alter_estimators(struct emitter *e, const struct sg_operator *f,
			     const struct sg_operator *t)
{
	static const enum sg_op_opt which[] = { SG_OPR_RESTRICT, SG_OPR_JOIN };
	int n = 0;

	sbuf_adds(&e->sql, "ALTER ");
	sg_object_sqlref(&e->sql, &t->obj);
	sbuf_adds(&e->sql, " SET (");
	for (size_t i = 0; i < 2; i++) {
		enum sg_op_opt k = which[i];

		if (sg_streq(f->opts[k], t->opts[k]))
			continue;
		sbuf_addf(&e->sql, "%s%s = ", n++ ? ", " : "", sg_opr_opts[k].sql);
		if (t->opts[k])
			emit_frag_text(e, t->opts[k], t->opt_locs[k]);
		else
			sbuf_adds(&e->sql, "NONE");
	}
	sbuf_addch(&e->sql, ')');
	emit_finish(e, &t->obj, NULL);
}

void emit_operator(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;

	switch (c->op) {
	case SG_OP_CREATE:
		create_operator(e, (const struct sg_operator *)c->to);
		break;
	case SG_OP_DROP:
		sbuf_adds(&e->sql, "DROP ");
		sg_object_sqlref(&e->sql, c->from);
		emit_finish(e, c->from, NULL);
		break;
	case SG_OP_RENAME:
		SG_BUG("operators are not renamed");
		break;
	case SG_OP_ALTER:
		if (c->what & SG_CHG_OPTIONS)
			alter_estimators(e, (const struct sg_operator *)c->from,
					 (const struct sg_operator *)c->to);
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, c->to, c->to->comment);
		break;
	}
}

void emit_describe_operator(struct sbuf *out, const struct sg_change *c, int *n)
{
	const struct sg_operator *f = (const struct sg_operator *)c->from;
	const struct sg_operator *t = (const struct sg_operator *)c->to;

	if (!(c->what & SG_CHG_OPTIONS))
		return;
	if (!sg_streq(f->opts[SG_OPR_RESTRICT], t->opts[SG_OPR_RESTRICT]))
		emit_said(out, n, "restrict");
	if (!sg_streq(f->opts[SG_OPR_JOIN], t->opts[SG_OPR_JOIN]))
		emit_said(out, n, "join");
}
