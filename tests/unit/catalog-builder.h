/* SPDX-License-Identifier: MIT */
/*
 * catalog-builder.h - builds catalogs in memory the way introspection fills
 * them (server text in definitions, every sequence option set, dependencies
 * as pg_depend records them), for the differ, orderer and emitter tests.
 */
#ifndef SG_CATALOG_BUILDER_H
#define SG_CATALOG_BUILDER_H

#include <stdarg.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/diff.h"
#include "schemagen/emit.h"
#include "schemagen/model.h"
#include "schemagen/order.h"
#include "schemagen/sbuf.h"
#include "schemagen/script.h"

static struct sg_arena *B;   /* the test's arena */

static inline struct sg_catalog *b_catalog(void)
{
	struct sg_catalog *c = sg_catalog_new(B, "test");

	SG_NEW(c, sg_schema, SG_KIND_SCHEMA, "public", "public", NULL);
	return c;
}

static inline struct sg_object *b_schema_of(struct sg_catalog *c, const char *s)
{
	for (size_t i = 0; i < c->nobjs; i++)
		if (c->objs[i]->kind == SG_KIND_SCHEMA && strcmp(c->objs[i]->name, s) == 0)
			return c->objs[i];
	return NULL;
}

static inline struct sg_schema *b_schema(struct sg_catalog *c, const char *name)
{
	return SG_NEW(c, sg_schema, SG_KIND_SCHEMA, name, name, NULL);
}

static inline struct sg_table *b_table(struct sg_catalog *c, const char *schema,
				       const char *name)
{
	struct sg_table *t = SG_NEW(c, sg_table, SG_KIND_TABLE, schema, name, NULL);

	sg_catalog_add_dep(c, &t->obj, b_schema_of(c, schema), 'n');
	return t;
}

static inline struct sg_column *b_col(struct sg_catalog *c, struct sg_table *t,
				      const char *name, const char *type,
				      bool not_null, const char *def)
{
	struct sg_column *col = SG_NEW(c, sg_column, SG_KIND_COLUMN, NULL, name, &t->obj);

	col->attnum = (int)t->ncolumns;
	col->type = sg_strdup(B, type);
	col->not_null = not_null;
	col->default_expr = sg_strdup(B, def);
	return col;
}

static inline const char **b_names(int n, va_list ap)
{
	const char **v = sg_alloc_array(B, (size_t)n + 1, sizeof(*v));

	for (int i = 0; i < n; i++)
		v[i] = sg_strdup(B, va_arg(ap, const char *));
	return v;
}

/* n column names follow */
static inline struct sg_constraint *b_con(struct sg_catalog *c, struct sg_table *t,
					  const char *name, char type,
					  const char *definition, int n, ...)
{
	struct sg_constraint *k = SG_NEW(c, sg_constraint, SG_KIND_CONSTRAINT, NULL,
					 name, &t->obj);
	va_list ap;

	k->type = type;
	k->definition = sg_strdup(B, definition);
	va_start(ap, n);
	k->columns = b_names(n, ap);
	k->ncolumns = (size_t)n;
	va_end(ap);
	for (int i = 0; i < n; i++)
		sg_catalog_add_dep(c, &k->obj, &sg_table_column(t, k->columns[i])->obj, 'a');
	return k;
}

static inline struct sg_constraint *b_fk(struct sg_catalog *c, struct sg_table *t,
					 const char *name, const char *col,
					 struct sg_table *ref, struct sg_constraint *refkey,
					 const char *refcol)
{
	struct sg_constraint *k = b_con(c, t, name, 'f',
		sg_printf(B, "FOREIGN KEY (%s) REFERENCES %s.%s(%s)", col,
			  ref->obj.schema, ref->obj.name, refcol), 1, col);

	k->ref_schema = ref->obj.schema;
	k->ref_table = ref->obj.name;
	k->ref_columns = sg_alloc_array(B, 1, sizeof(char *));
	k->ref_columns[0] = sg_strdup(B, refcol);
	k->nref_columns = 1;
	k->on_delete = k->on_update = 'a';
	k->match = 's';
	sg_catalog_add_dep(c, &k->obj, &refkey->obj, 'n');
	sg_catalog_add_dep(c, &k->obj, &sg_table_column(ref, refcol)->obj, 'n');
	return k;
}

static inline struct sg_index *b_index(struct sg_catalog *c, struct sg_table *t,
				       const char *name, bool unique, const char *col)
{
	struct sg_index *ix = SG_NEW(c, sg_index, SG_KIND_INDEX, NULL, name, &t->obj);

	ix->unique = unique;
	ix->definition = sg_printf(B, "CREATE %sINDEX %s ON %s.%s USING btree (%s)",
				   unique ? "UNIQUE " : "", name, t->obj.schema,
				   t->obj.name, col);
	ix->keys = sg_alloc(B, sizeof(*ix->keys));
	ix->keys[0].column = sg_strdup(B, col);
	ix->nkeys = 1;
	sg_catalog_add_dep(c, &ix->obj, &sg_table_column(t, col)->obj, 'a');
	return ix;
}

/* n values follow */
static inline struct sg_enum *b_enum(struct sg_catalog *c, const char *schema,
				     const char *name, int n, ...)
{
	struct sg_enum *e = SG_NEW(c, sg_enum, SG_KIND_ENUM, schema, name, NULL);
	va_list ap;

	va_start(ap, n);
	e->values = b_names(n, ap);
	e->nvalues = (size_t)n;
	va_end(ap);
	sg_catalog_add_dep(c, &e->obj, b_schema_of(c, schema), 'n');
	return e;
}

static inline struct sg_sequence *b_seq(struct sg_catalog *c, const char *schema,
					const char *name, const char *type)
{
	struct sg_sequence *s = SG_NEW(c, sg_sequence, SG_KIND_SEQUENCE, schema, name, NULL);

	s->opts.set = SG_SEQ_ALL;
	s->opts.type = sg_strdup(B, type);
	s->opts.start = 1;
	s->opts.increment = 1;
	s->opts.min = 1;
	s->opts.max = strcmp(type, "integer") == 0 ? 2147483647 : 9223372036854775807LL;
	s->opts.cache = 1;
	sg_catalog_add_dep(c, &s->obj, b_schema_of(c, schema), 'n');
	return s;
}

/*
 * A view ('v') or materialized view ('m') with its definition; columns are
 * added with b_col() on &v->rel, and what its _RETURN rule depends on with
 * b_uses() (introspection maps the rule's dependencies onto the view).
 */
static inline struct sg_view *b_view(struct sg_catalog *c, const char *schema,
				     const char *name, char relkind,
				     const char *definition)
{
	struct sg_view *v = SG_NEW(c, sg_view, SG_KIND_VIEW, schema, name, NULL);

	v->relkind = relkind;
	v->definition = sg_strdup(B, definition);
	v->with_data = true;
	sg_catalog_add_dep(c, &v->rel.obj, b_schema_of(c, schema), 'n');
	return v;
}

static inline void b_uses(struct sg_catalog *c, struct sg_view *v,
			  struct sg_object *ref)
{
	sg_catalog_add_dep(c, &v->rel.obj, ref, 'n');
}

/* public.add(a integer, b integer) RETURNS integer, LANGUAGE sql
 * IMMUTABLE, as introspection reads it (body: prosrc) */
static inline struct sg_function *b_add_fn(struct sg_catalog *c, const char *body)
{
	struct sg_function *f = SG_NEW(c, sg_function, SG_KIND_FUNCTION, "public",
				       "add(integer, integer)", NULL);

	f->proname = "add";
	f->prokind = 'f';
	f->arguments = f->identity_args = "a integer, b integer";
	f->result = "integer";
	f->language = "sql";
	f->body = sg_strdup(B, body);
	f->volatility = 'i';
	f->parallel = 'u';
	f->cost = 100;
	f->argsig = "i:a:integer,i:b:integer";
	f->definition = sg_printf(B, "CREATE OR REPLACE FUNCTION public.add(a integer, b integer)\n"
				  " RETURNS integer\n LANGUAGE sql\n IMMUTABLE\nAS $function$%s$function$\n",
				  body);
	sg_catalog_add_dep(c, &f->obj, b_schema_of(c, "public"), 'n');
	return f;
}

/* diff + order + emit; returns the script text, or "ERROR: <diags>" */
static inline const char *b_plan(struct sg_catalog *from, struct sg_catalog *to)
{
	struct sg_changes ch = { 0 };
	struct sg_plan plan = { 0 };
	struct sg_script script = { 0 };
	struct sg_diags d;
	struct sbuf sb = SBUF_INIT;
	const char *r;

	if (!from->finished)
		sg_catalog_finish(from);
	if (!to->finished)
		sg_catalog_finish(to);
	sg_diags_init(&d, B);
	if (diff_catalogs(B, from, to, &ch, &d) < 0 ||
	    order_changes(B, from, to, &ch, &plan, &d) < 0) {
		sbuf_adds(&sb, "ERROR: ");
		for (size_t i = 0; i < d.n; i++)
			sg_diag_format(&sb, &d.v[i]);
	} else {
		emit_plan(B, &plan, &script);
		sg_script_format_sql(&sb, &script);   /* hazards: t-sql, t3350 */
	}
	r = sbuf_to_arena(&sb, B);
	sbuf_release(&sb);
	return r;
}

#endif
