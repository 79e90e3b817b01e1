// SPDX-License-Identifier: MIT
/*
 * ftable.c - CREATE / ALTER / DROP FOREIGN TABLE.  The columns and check
 * constraints are emitted by emit.c as a table's, with ALTER FOREIGN
 * TABLE (emit_alter_table()); a column's OPTIONS goes after its type.  A
 * foreign table holds no rows of its own: dropping it, or a column of it,
 * loses nothing here, so no warning says so.  ALTER FOREIGN TABLE cannot
 * change the server: the differ drops and creates the table instead.
 * A partition is CREATE FOREIGN TABLE ... PARTITION OF parent FOR VALUES
 * ... SERVER, an INHERITS child ... (columns) INHERITS (...) SERVER; they
 * are attached and detached as tables are (partition.c: ALTER TABLE
 * parent ATTACH / DETACH PARTITION, ALTER TABLE ... [NO] INHERIT).
 */
#include "emit-priv.h"
#include "schemagen/quote.h"
#include "schemagen/util.h"

static void create_foreign_table(struct emitter *e, const struct sg_step *s)
{
	const struct sg_foreign_table *f = (const struct sg_foreign_table *)s->change->to;
	const struct sg_table *t = &f->rel;
	size_t open;
	int n = 0;

	sbuf_adds(&e->sql, "CREATE FOREIGN TABLE ");
	sg_quote_qualified(&e->sql, t->obj.schema, t->obj.name);
	if (t->partition_of) {
		sbuf_adds(&e->sql, " PARTITION OF ");
		sbuf_adds(&e->sql, t->partition_of);
	}
	open = e->sql.len;
	sbuf_adds(&e->sql, " (");
	for (size_t i = 0; i < t->ncolumns; i++) {
		/* a parent's column: what the partition sets of its own
		 * (WITH OPTIONS), an INHERITS child's after (partition.c) */
		if (!emit_absorbed(s, &t->columns[i]->obj) ||
		    emit_table_column(e, t, t->columns[i], &n, false))
			continue;
		sbuf_adds(&e->sql, n++ ? ",\n    " : "\n    ");
		emit_column_definition(e, t->columns[i]);
	}
	for (size_t i = 0; i < t->nconstraints; i++) {
		if (!emit_absorbed(s, &t->constraints[i]->obj) ||
		    !emit_table_constraint(t, t->constraints[i], false))
			continue;
		sbuf_adds(&e->sql, n++ ? ",\n    " : "\n    ");
		emit_constraint_clause(e, t->constraints[i]);
	}
	if (n == 0 && t->partition_of)
		sbuf_setlen(&e->sql, open);
	else
		sbuf_adds(&e->sql, n ? "\n)" : ")");
	/* INHERITS (...), or the bounds */
	emit_table_tail(e, t, false);
	sbuf_adds(&e->sql, " SERVER ");
	/* the server's name as the model gave it: an unknown server is
	 * reported there */
	emit_frag_ident(e, f->server, f->server_loc);
	emit_fdw_create_options(e, &t->obj, f->options, f->noptions);
	emit_finish(e, &t->obj, NULL);
	emit_table_created(e, s, false);
	/* a parent's column cannot take OPTIONS in CREATE: set after */
	for (size_t i = 0; i < t->ncolumns; i++) {
		const struct sg_column *c = t->columns[i];

		if (!c->inherited || !c->noptions || !emit_absorbed(s, &c->obj))
			continue;
		emit_alter_table(e, &c->obj);
		sbuf_addf(&e->sql, "ALTER COLUMN %s", sg_qi(e->a, c->obj.name));
		emit_fdw_alter_options(e, &c->obj, NULL, 0, c->options, c->noptions);
		emit_finish(e, &c->obj, NULL);
	}
	emit_comment_after_create(e, &t->obj);
	emit_children_comments(e, s, t);
}

/* What changed: options, and the links of a partition or INHERITS child. */
void emit_describe_foreign_table(struct sbuf *out, const struct sg_change *c, int *n)
{
	emit_describe_foreign(out, c, n);
	emit_describe_partition(out, c, n);
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
		emit_table_drop_detach(e, c);
		emit_drop_object(e, c->from);
		break;
	case SG_OP_RENAME:
		emit_rename_object(e, c->from, c->to);
		break;
	case SG_OP_ALTER:
		if (c->what & (SG_CHG_PARTITION | SG_CHG_INHERIT)) {
			/* ALTER TABLE parent ATTACH / DETACH PARTITION,
			 * ALTER TABLE ... [NO] INHERIT (partition.c); its
			 * SG_CHG_OPTIONS are the server's OPTIONS, below */
			struct sg_change links = *c;

			links.what &= SG_CHG_PARTITION | SG_CHG_INHERIT | SG_CHG_DETACH;
			emit_table_alter(e, &links);
		}
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
