// SPDX-License-Identifier: MIT
/*
 * publication.c - CREATE / DROP PUBLICATION; ALTER PUBLICATION for the
 * tables and schemas published (DROP then ADD: a table whose column list
 * or row filter changes is dropped and added again, in the migration's
 * transaction), the options (SET (publish = ..., publish_via_partition_root
 * = ...)), the name; the comment and, through security.c, the owner.
 */
#include <string.h>

#include "schemagen/quote.h"
#include "schemagen/util.h"

#include "emit-priv.h"

static const char *publish_text(struct emitter *e, const char *letters)
{
	static const struct { char c; const char *word; } ops[] = {
		{ 'i', "insert" }, { 'u', "update" }, { 'd', "delete" }, { 't', "truncate" },
	};
	struct sbuf sb = SBUF_INIT;
	const char *r;

	for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
		if (letters && strchr(letters, ops[i].c))
			sbuf_addf(&sb, "%s%s", sb.len ? ", " : "", ops[i].word);
	r = sbuf_to_arena(&sb, e->a);
	sbuf_release(&sb);
	return r;
}

static bool default_publish(const char *letters)
{
	return !letters || strcmp(letters, "iudt") == 0;
}

static void table_name(struct emitter *e, const struct sg_pub_table *t)
{
	if (t->schema) {
		sg_quote_ident(&e->sql, t->schema);
		sbuf_addch(&e->sql, '.');
	}
	emit_frag_ident(e, t->name, t->loc);
}

/* name [(columns)] [WHERE (expr)] */
static void table_spec(struct emitter *e, const struct sg_pub_table *t)
{
	table_name(e, t);
	if (t->columns) {
		sbuf_addch(&e->sql, ' ');
		emit_name_list(&e->sql, t->columns, t->ncolumns);
	}
	if (t->where) {
		sbuf_adds(&e->sql, " WHERE (");
		emit_frag_text(e, t->where, t->where_loc);
		sbuf_addch(&e->sql, ')');
	}
}

static void alter(struct emitter *e, const struct sg_object *o)
{
	sbuf_adds(&e->sql, "ALTER PUBLICATION ");
	sg_quote_ident(&e->sql, o->name);
	sbuf_addch(&e->sql, ' ');
}

static void create_publication(struct emitter *e, const struct sg_publication *p)
{
	int n = 0;

	sbuf_adds(&e->sql, "CREATE PUBLICATION ");
	emit_frag_ident(e, p->obj.name, p->obj.loc);
	if (p->all_tables)
		sbuf_adds(&e->sql, " FOR ALL TABLES");
	for (size_t i = 0; i < p->ntables; i++) {
		sbuf_adds(&e->sql, n++ ? ", " : " FOR TABLE ");
		table_spec(e, &p->tables[i]);
	}
	for (size_t i = 0; i < p->nschemas; i++) {
		sbuf_adds(&e->sql, n++ ? ", TABLES IN SCHEMA " : " FOR TABLES IN SCHEMA ");
		sg_quote_ident(&e->sql, p->schemas[i]);
	}
	n = 0;
	if (!default_publish(p->publish)) {
		sbuf_adds(&e->sql, " WITH (publish = ");
		sg_quote_literal(&e->sql, publish_text(e, p->publish));
		n++;
	}
	if (p->via_root)
		sbuf_adds(&e->sql, n++ ? ", publish_via_partition_root = true"
				       : " WITH (publish_via_partition_root = true");
	if (n)
		sbuf_addch(&e->sql, ')');
	emit_finish(e, &p->obj, NULL);
	emit_comment_after_create(e, &p->obj);
}

static const struct sg_pub_table *find_table(const struct sg_publication *p,
					     const struct sg_pub_table *t)
{
	for (size_t i = 0; i < p->ntables; i++)
		if (sg_streq(p->tables[i].schema, t->schema) &&
		    strcmp(p->tables[i].name, t->name) == 0)
			return &p->tables[i];
	return NULL;
}

static bool same_spec(const struct sg_pub_table *a, const struct sg_pub_table *b)
{
	return a && b && sg_strings_equal(a->columns, a->ncolumns, b->columns, b->ncolumns) &&
	       sg_streq(a->where, b->where);
}

static bool has_schema(const struct sg_publication *p, const char *s)
{
	for (size_t i = 0; i < p->nschemas; i++)
		if (strcmp(p->schemas[i], s) == 0)
			return true;
	return false;
}

/* The tables and schemas of f that t does not have (as they are), dropped;
 * then those of t that f does not have, added. */
static void change_tables(struct emitter *e, const struct sg_publication *f,
			  const struct sg_publication *t)
{
	for (int add = 0; add < 2; add++) {
		const struct sg_publication *a = add ? t : f, *b = add ? f : t;
		int n = 0;

		for (size_t i = 0; i < a->ntables; i++) {
			if (same_spec(&a->tables[i], find_table(b, &a->tables[i])))
				continue;
			if (!n++) {
				alter(e, &t->obj);
				sbuf_adds(&e->sql, add ? "ADD TABLE " : "DROP TABLE ");
			} else {
				sbuf_adds(&e->sql, ", ");
			}
			if (add)
				table_spec(e, &a->tables[i]);
			else
				table_name(e, &a->tables[i]);
		}
		for (size_t i = 0; i < a->nschemas; i++) {
			if (has_schema(b, a->schemas[i]))
				continue;
			if (!n++) {
				alter(e, &t->obj);
				sbuf_adds(&e->sql, add ? "ADD " : "DROP ");
			} else {
				sbuf_adds(&e->sql, ", ");
			}
			sbuf_adds(&e->sql, "TABLES IN SCHEMA ");
			sg_quote_ident(&e->sql, a->schemas[i]);
		}
		if (n)
			emit_finish(e, &t->obj, NULL);
	}
}

static void set_options(struct emitter *e, const struct sg_publication *f,
			const struct sg_publication *t)
{
	int n = 0;

	alter(e, &t->obj);
	sbuf_adds(&e->sql, "SET (");
	if (!sg_streq(f->publish, t->publish)) {
		sbuf_adds(&e->sql, "publish = ");
		sg_quote_literal(&e->sql, publish_text(e, t->publish));
		n++;
	}
	if (f->via_root != t->via_root)
		sbuf_addf(&e->sql, "%spublish_via_partition_root = %s", n++ ? ", " : "",
			  t->via_root ? "true" : "false");
	sbuf_addch(&e->sql, ')');
	emit_finish(e, &t->obj, NULL);
}

void emit_publication(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;
	const struct sg_publication *f = (const struct sg_publication *)c->from;
	const struct sg_publication *t = (const struct sg_publication *)c->to;

	switch (c->op) {
	case SG_OP_CREATE:
		create_publication(e, t);
		break;
	case SG_OP_DROP:
		emit_drop_object(e, &f->obj);
		break;
	case SG_OP_RENAME:
		emit_rename_object(e, &f->obj, &t->obj);
		break;
	case SG_OP_ALTER:
		if (c->what & SG_CHG_DEFINITION)
			change_tables(e, f, t);
		if (c->what & SG_CHG_OPTIONS)
			set_options(e, f, t);
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, c->to, c->to->comment);
		break;
	}
}

void emit_describe_publication(struct sbuf *out, const struct sg_change *c, int *n)
{
	if (c->what & SG_CHG_DEFINITION)
		emit_said(out, n, "tables");
	if (c->what & SG_CHG_OPTIONS)
		emit_said(out, n, "options");
}
