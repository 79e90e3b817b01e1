// SPDX-License-Identifier: MIT
/*
 * ftable.c - CREATE / ALTER / DROP FOREIGN TABLE.  The columns and check
 * constraints are emitted by emit.c as a table's, with ALTER FOREIGN
 * TABLE (emit_alter_table()); a column's OPTIONS goes after its type.  A
 * foreign table holds no rows of its own: dropping it, or a column of it,
 * loses nothing here, so no warning says so.  ALTER FOREIGN TABLE cannot
 * change the server: the differ drops and creates the table instead.
 */
#include "emit-priv.h"
#include "schemagen/quote.h"
#include "schemagen/util.h"

static void create_foreign_table(struct emitter *e, const struct sg_step *s)
{
	const struct sg_foreign_table *f = (const struct sg_foreign_table *)s->change->to;
	const struct sg_table *t = &f->rel;
	int n = 0;

	sbuf_adds(&e->sql, "CREATE FOREIGN TABLE ");
	sg_quote_qualified(&e->sql, t->obj.schema, t->obj.name);
	sbuf_adds(&e->sql, " (");
	for (size_t i = 0; i < t->ncolumns; i++) {
		if (!emit_absorbed(s, &t->columns[i]->obj))
			continue;
		sbuf_adds(&e->sql, n++ ? ",\n    " : "\n    ");
		emit_column_definition(e, t->columns[i]);
	}
	for (size_t i = 0; i < t->nconstraints; i++) {
		if (!emit_absorbed(s, &t->constraints[i]->obj))
			continue;
		sbuf_adds(&e->sql, n++ ? ",\n    " : "\n    ");
		emit_constraint_clause(e, t->constraints[i]);
	}
	sbuf_adds(&e->sql, n ? "\n) SERVER " : ") SERVER ");
	/* the server's name as the model gave it: an unknown server is
	 * reported there */
	emit_frag_ident(e, f->server, f->server_loc);
	emit_fdw_create_options(e, &t->obj, f->options, f->noptions);
	emit_finish(e, &t->obj, NULL);
	emit_comment_after_create(e, &t->obj);
	emit_children_comments(e, s, t);
}

void emit_foreign_table(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;
	const struct sg_foreign_table *f = (const struct sg_foreign_table *)c->from;
	const struct sg_foreign_table *t = (const struct sg_foreign_table *)c->to;

	switch (c->op) {
	case SG_OP_CREATE:
		create_foreign_table(e, s);
		break;
	case SG_OP_DROP:
		/* the rows are the server's: nothing is lost here */
		emit_drop_object(e, c->from);
		break;
	case SG_OP_RENAME:
		emit_rename_object(e, c->from, c->to);
		break;
	case SG_OP_ALTER:
		if (c->what & SG_CHG_OPTIONS) {
			sbuf_adds(&e->sql, "ALTER FOREIGN TABLE ");
			sg_quote_qualified(&e->sql, c->to->schema, c->to->name);
			emit_fdw_alter_options(e, c->to, f->options, f->noptions,
					       t->options, t->noptions);
			emit_finish(e, c->to, NULL);
		}
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, c->to, c->to->comment);
		break;
	}
}
