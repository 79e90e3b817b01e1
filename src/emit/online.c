// SPDX-License-Identifier: MIT
/*
 * online.c - online plans (`revision --autogenerate --online`): the same
 * changes written so that the tables they touch stay writable.
 *
 *  - an index of an existing table: CREATE / DROP INDEX CONCURRENTLY;
 *  - a foreign key or check of an existing table: ADD ... NOT VALID, then
 *    VALIDATE CONSTRAINT as a statement of its own (the runner commits
 *    each statement of an online revision on its own, so the validation
 *    scan holds only SHARE UPDATE EXCLUSIVE);
 *  - SET NOT NULL: CHECK (col IS NOT NULL) NOT VALID, VALIDATE, SET NOT
 *    NULL (PostgreSQL 12 and later skip the scan when a valid check
 *    proves it), DROP the check;
 *  - UNIQUE / PRIMARY KEY of an existing table: CREATE UNIQUE INDEX
 *    CONCURRENTLY under the constraint's name, then ADD CONSTRAINT ...
 *    USING INDEX;
 *  - a type change that rewrites the table stays as it is, with a
 *    `-- not online:` line saying so.
 * Tables created by the same plan, partitioned tables and partitions'
 * attached indexes get the plain statements.
 */
#include <inttypes.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/quote.h"
#include "schemagen/sql.h"
#include "schemagen/util.h"

#include "emit-priv.h"

/* A table of the catalog before the plan, not created by it. */
static bool existing_table(const struct emitter *e, const struct sg_object *child)
{
	const struct sg_object *t = child->parent;

	if (!t || t->kind != SG_KIND_TABLE)
		return false;
	if (((const struct sg_table *)t)->relkind == 'p')
		return false;
	for (size_t i = 0; i < e->new_tables.n; i++)
		if (e->new_tables.v[i] == t ||
		    (sg_streq(e->new_tables.v[i]->schema, t->schema) &&
		     sg_streq(e->new_tables.v[i]->name, t->name)))
			return false;
	return true;
}

bool emit_online_index(struct emitter *e, const struct sg_change *c)
{
	const struct sg_index *ix;
	const char *def;

	if (!e->online)
		return false;
	if (c->op == SG_OP_DROP) {
		ix = (const struct sg_index *)c->from;
		if (ix->attached_to || ix->only || !existing_table(e, c->from))
			return false;
		sbuf_adds(&e->sql, "DROP INDEX CONCURRENTLY ");
		sg_quote_qualified(&e->sql, c->from->schema, c->from->name);
		emit_finish(e, c->from, NULL);
		return true;
	}
	if (c->op != SG_OP_CREATE)
		return false;
	ix = (const struct sg_index *)c->to;
	if (ix->attached_to || ix->only || !existing_table(e, c->to))
		return false;
	emit_index_definition(e, ix);
	def = sg_sql_index_concurrently(e->a, e->sql.buf);
	if (!def) {
		sbuf_reset(&e->sql);
		e->frags.n = 0;
		return false;
	}
	/* CONCURRENTLY goes before every model fragment of the statement */
	for (size_t i = 0; i < e->frags.n; i++)
		e->frags.v[i].offset += strlen(" CONCURRENTLY");
	sbuf_reset(&e->sql);
	sbuf_adds(&e->sql, def);
	emit_finish(e, c->to, NULL);
	emit_comment_after_create(e, c->to);
	return true;
}

static void validate(struct emitter *e, const struct sg_object *k)
{
	emit_alter_table(e, k);
	sbuf_addf(&e->sql, "VALIDATE CONSTRAINT %s", sg_qi(e->a, k->name));
	emit_finish(e, k, NULL);
}

bool emit_online_constraint(struct emitter *e, const struct sg_change *c)
{
	const struct sg_constraint *k = (const struct sg_constraint *)c->to;

	if (!e->online || c->op != SG_OP_CREATE || k->only || k->inherited ||
	    !existing_table(e, c->to))
		return false;
	switch (k->type) {
	case 'f':
	case 'c':
		if (k->not_valid)
			return false;   /* the model wants it not validated */
		emit_alter_table(e, c->to);
		sbuf_adds(&e->sql, "ADD CONSTRAINT ");
		emit_frag_ident(e, k->obj.name, k->obj.loc);
		sbuf_addch(&e->sql, ' ');
		emit_constraint_definition(e, k);
		sbuf_adds(&e->sql, " NOT VALID");
		emit_finish(e, c->to, NULL);
		validate(e, c->to);
		break;
	case 'p':
	case 'u':
		if (!k->ncolumns)
			return false;
		sbuf_adds(&e->sql, "CREATE UNIQUE INDEX CONCURRENTLY ");
		sg_quote_ident(&e->sql, k->obj.name);
		sbuf_adds(&e->sql, " ON ");
		emit_table_name(e, c->to);
		sbuf_addch(&e->sql, ' ');
		emit_name_list(&e->sql, k->columns, k->ncolumns);
		if (k->ninclude) {
			sbuf_adds(&e->sql, " INCLUDE ");
			emit_name_list(&e->sql, k->include, k->ninclude);
		}
		if (k->nulls_not_distinct)
			sbuf_adds(&e->sql, " NULLS NOT DISTINCT");
		emit_finish(e, c->to, NULL);
		emit_alter_table(e, c->to);
		sbuf_addf(&e->sql, "ADD CONSTRAINT %s %s USING INDEX %s",
			  sg_qi(e->a, k->obj.name), k->type == 'p' ? "PRIMARY KEY" : "UNIQUE",
			  sg_qi(e->a, k->obj.name));
		if (k->deferrable)
			sbuf_adds(&e->sql, " DEFERRABLE");
		if (k->deferred)
			sbuf_adds(&e->sql, " INITIALLY DEFERRED");
		emit_finish(e, c->to, NULL);
		break;
	default:
		return false;   /* exclusion constraints: no online form */
	}
	emit_comment_after_create(e, c->to);
	return true;
}

bool emit_online_not_null(const struct emitter *e, const struct sg_change *c)
{
	return e->online && existing_table(e, c->to);
}

/* sg_nn_<column>, or a prefix of it and a hash when that is too long. */
static const char *nn_name(struct emitter *e, const char *col)
{
	size_t n = strlen(col), k = 40;

	if (n <= 57)
		return sg_printf(e->a, "sg_nn_%s", col);
	while (k > 0 && ((unsigned char)col[k] & 0xC0) == 0x80)
		k--;   /* not inside a UTF-8 sequence */
	return sg_printf(e->a, "sg_nn_%.*s_%08" PRIx64, (int)k, col,
			 sg_hash64(col, n) & 0xffffffffu);
}

void emit_online_set_not_null(struct emitter *e, const struct sg_column *col)
{
	const char *chk = sg_qi(e->a, nn_name(e, col->obj.name));
	const char *name = sg_qi(e->a, col->obj.name);

	emit_alter_table(e, &col->obj);
	sbuf_addf(&e->sql, "ADD CONSTRAINT %s CHECK (%s IS NOT NULL) NOT VALID", chk, name);
	emit_finish(e, &col->obj, NULL);
	emit_alter_table(e, &col->obj);
	sbuf_addf(&e->sql, "VALIDATE CONSTRAINT %s", chk);
	emit_finish(e, &col->obj, NULL);
	emit_alter_table(e, &col->obj);
	sbuf_addf(&e->sql, "ALTER COLUMN %s SET NOT NULL", name);
	emit_finish(e, &col->obj, NULL);
	emit_alter_table(e, &col->obj);
	sbuf_addf(&e->sql, "DROP CONSTRAINT %s", chk);
	emit_finish(e, &col->obj, NULL);
}

void emit_online_not_online(struct emitter *e, const char *why)
{
	if (e->online)
		sbuf_addf(&e->sql, "-- not online: %s\n", sg_qc(e->a, why));
}
