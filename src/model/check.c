// SPDX-License-Identifier: MIT
/*
 * check.c - what can only be checked once every model file is read: objects
 * defined twice (in one file or two), names that collide in PostgreSQL's
 * shared namespaces, foreign keys and OWNED BY that name missing tables or
 * columns, renames from objects that still exist, partitions and INHERITS
 * children whose parents are missing or do not fit; then the dependencies
 * the models imply (type 'm'), which order the materialisation of the models
 * in the scratch database, and sg_catalog_finish().
 *
 * Lookups use a sorted copy of the objects rather than sg_catalog_find(),
 * because the catalog may only be finished after the last dependency is
 * added (finish sorts and deduplicates them).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "schemagen/scan.h"
#include "schemagen/sql.h"

struct check {
	struct sg_catalog *cat;
	struct sg_diags *d;
	struct sg_arena *t;
	struct sg_object **sorted;  /* every object, by identity then id */
	size_t n;
	SG_VEC(struct sg_object *) exts;   /* the extensions of the models */
	SG_VEC(struct sg_opclass *) opclasses; /* the operator classes */
};

static int ident_id_cmp(const void *pa, const void *pb)
{
	const struct sg_object *a = *(struct sg_object *const *)pa;
	const struct sg_object *b = *(struct sg_object *const *)pb;
	int c = sg_object_cmp(a, b);

	if (c)
		return c;
	return (a->id > b->id) - (a->id < b->id);
}

static int ident_cmp(const void *pa, const void *pb)
{
	return sg_object_cmp(*(struct sg_object *const *)pa,
			     *(struct sg_object *const *)pb);
}

static struct sg_object *lookup(const struct check *c, enum sg_kind kind,
				const char *schema, const char *parent,
				const char *name)
{
	struct sg_object kp = { .kind = SG_KIND_TABLE, .name = parent };
	struct sg_object key = {
		.kind = kind, .schema = schema, .name = name,
		.parent = parent ? &kp : NULL,
	};
	struct sg_object *k = &key, **hit;

	if (!schema || !name)
		return NULL;
	hit = bsearch(&k, c->sorted, c->n, sizeof(*c->sorted), ident_cmp);
	return hit ? *hit : NULL;
}

static const char *describe(const struct check *c, const struct sg_object *o)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	if (o->auto_name) {
		const struct sg_constraint *k = (const struct sg_constraint *)o;

		if (o->kind == SG_KIND_INDEX)
			sbuf_adds(&sb, "an index");
		else
			sbuf_adds(&sb, k->type == 'p' ? "the primary key"
				  : k->type == 'u' ? "a unique constraint"
				  : k->type == 'f' ? "a foreign key"
				  : k->type == 'x' ? "an exclusion constraint"
				  : "a check constraint");
		sbuf_adds(&sb, " of ");
		sg_object_describe(&sb, o->parent);
	} else {
		sg_object_describe(&sb, o);
		if (o->kind == SG_KIND_INDEX) {
			sbuf_adds(&sb, " of ");
			sg_object_describe(&sb, o->parent);
		}
	}
	r = sbuf_to_arena(&sb, c->t);
	sbuf_release(&sb);
	return r;
}

static void hint_first(struct check *c, struct sg_diag *dg,
		       const struct sg_object *first, const char *verb)
{
	if (first->loc.line)
		sg_diag_hint(dg, c->d, "first %s at %s:%d:%d", verb,
			     sg_loc_file(first->loc), first->loc.line, first->loc.col);
}

/* Objects with the same identity: the later one is the mistake. */
static void check_duplicates(struct check *c)
{
	/* the children of a table defined twice are not reported again;
	 * tables sort before their children */
	bool *second = sg_alloc_array(c->t, c->cat->nobjs + 1, sizeof(*second));

	for (size_t i = 1; i < c->n; i++) {
		struct sg_object *a = c->sorted[i - 1], *b = c->sorted[i];
		struct sg_diag *dg;

		if (sg_object_cmp(a, b) != 0)
			continue;
		second[b->id] = true;
		if (b->parent && second[b->parent->id])
			continue;
		/* find the first of the run */
		for (size_t j = i - 1; j > 0 && sg_object_cmp(c->sorted[j - 1], b) == 0; j--)
			a = c->sorted[j - 1];
		dg = sg_diag_error(c->d, b->loc, "%s is defined twice",
				   describe(c, b));
		hint_first(c, dg, a, "defined");
	}
}

struct nsent {
	struct sg_object *obj;
	const char *schema, *name;
};

static int nsent_cmp(const void *pa, const void *pb)
{
	const struct nsent *a = pa, *b = pb;
	int r = strcmp(a->schema, b->schema);

	if (r)
		return r;
	r = strcmp(a->name, b->name);
	if (r)
		return r;
	return (a->obj->id > b->obj->id) - (a->obj->id < b->obj->id);
}

/*
 * PostgreSQL's shared namespaces: relations (tables, sequences, indexes,
 * including those of primary keys and unique constraints) share pg_class,
 * and a table's row type shares pg_type with enums.  Placeholder names are
 * left out: the server picks a free name for those.
 */
static void check_namespace(struct check *c, bool types, bool statistics)
{
	SG_VEC(struct nsent) v = { 0 };

	for (size_t i = 0; i < c->cat->nobjs; i++) {
		struct sg_object *o = c->cat->objs[i];
		bool in;

		if (o->auto_name)
			continue;
		if (statistics) {
			in = o->kind == SG_KIND_STATISTICS;
		} else if (types) {
			in = o->kind == SG_KIND_TABLE || o->kind == SG_KIND_ENUM ||
			     o->kind == SG_KIND_VIEW || o->kind == SG_KIND_DOMAIN ||
			     o->kind == SG_KIND_COMPOSITE ||
			     o->kind == SG_KIND_FOREIGN_TABLE;
		} else {
			/* a composite type has a pg_class row too */
			in = o->kind == SG_KIND_TABLE || o->kind == SG_KIND_SEQUENCE ||
			     o->kind == SG_KIND_INDEX || o->kind == SG_KIND_VIEW ||
			     o->kind == SG_KIND_COMPOSITE ||
			     o->kind == SG_KIND_FOREIGN_TABLE;
			if (o->kind == SG_KIND_CONSTRAINT) {
				char t = ((struct sg_constraint *)o)->type;

				in = t == 'p' || t == 'u' || t == 'x';
			}
		}
		if (in) {
			struct nsent e = { o, statistics
					      ? sg_statistics_schema((struct sg_statistics *)o)
					      : o->schema, o->name };

			SG_VEC_PUSH(c->t, &v, e);
		}
	}
	if (v.n > 1)
		qsort(v.v, v.n, sizeof(*v.v), nsent_cmp);
	for (size_t i = 1; i < v.n; i++) {
		struct nsent *a = &v.v[i - 1], *b = &v.v[i];
		struct sg_diag *dg;

		if (strcmp(a->schema, b->schema) != 0 || strcmp(a->name, b->name) != 0)
			continue;
		/* the same identity is "defined twice", reported above */
		if (sg_object_cmp(a->obj, b->obj) == 0)
			continue;
		/* two relations clash as relations already */
		if (types && sg_kind_is_relation(a->obj->kind) &&
		    sg_kind_is_relation(b->obj->kind))
			continue;
		dg = sg_diag_error(c->d, b->obj->loc, "%s has the same name as %s",
				   describe(c, b->obj), describe(c, a->obj));
		if (types && (a->obj->kind == SG_KIND_TABLE ||
			      b->obj->kind == SG_KIND_TABLE))
			sg_diag_hint(dg, c->d, "a table's row type is a type "
				     "named like the table");
		else if (types)
			sg_diag_hint(dg, c->d, "enums, domains and composite types "
				     "share one namespace per schema");
		else if (a->obj->kind == SG_KIND_COMPOSITE ||
			 b->obj->kind == SG_KIND_COMPOSITE)
			sg_diag_hint(dg, c->d, "a composite type has a relation "
				     "named like it, in the namespace of tables, "
				     "sequences and indexes");
		else
			sg_diag_hint(dg, c->d, "tables, views, sequences, indexes, "
				     "primary keys and unique constraints share "
				     "one namespace per schema");
	}
}

/*
 * Extension names are database-wide: one extension in two schemas is the
 * same extension twice.  Collects the extensions for need_extensions()
 * and has_extension().
 */
static void check_extensions(struct check *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct sg_object *o = c->sorted[i];

		if (o->kind != SG_KIND_EXTENSION)
			continue;
		for (size_t j = 0; j < c->exts.n; j++) {
			struct sg_object *p = c->exts.v[j];
			struct sg_diag *dg;

			if (strcmp(p->name, o->name) != 0 ||
			    strcmp(p->schema, o->schema) == 0)
				continue;
			dg = sg_diag_error(c->d, o->loc, "extension %s is in schema "
					   "%s and in schema %s", sg_quote_msg(c->t, o->name),
					   sg_quote_msg(c->t, p->schema), sg_quote_msg(c->t, o->schema));
			sg_diag_hint(dg, c->d, "an extension is installed once per "
				     "database, in one schema; first declared at "
				     "%s:%d:%d", sg_loc_file(p->loc), p->loc.line, p->loc.col);
		}
		SG_VEC_PUSH(c->t, &c->exts, o);
	}
}

/* Names of the tables of a schema, or of the columns of a table, for
 * suggestions. */
static const char *suggest_table(struct check *c, const char *schema,
				 const char *name)
{
	SG_VEC(const char *) names = { 0 };

	for (size_t i = 0; i < c->cat->nobjs; i++) {
		const struct sg_object *o = c->cat->objs[i];

		if (o->kind == SG_KIND_TABLE && strcmp(o->schema, schema) == 0)
			SG_VEC_PUSH(c->t, &names, o->name);
	}
	return sg_suggest(name, names.v, names.n);
}

static const char *suggest_column(struct check *c, const struct sg_table *t,
				  const char *name)
{
	const char **names = sg_alloc_array(c->t, t->ncolumns + 1, sizeof(*names));

	for (size_t i = 0; i < t->ncolumns; i++)
		names[i] = t->columns[i]->obj.name;
	return sg_suggest(name, names, t->ncolumns);
}

/* Reports a missing table named by `key` ("references", "owned_by"). */
static struct sg_table *need_table(struct check *c, struct sg_loc loc,
				   const char *key, const char *schema,
				   const char *name)
{
	struct sg_table *t = (struct sg_table *)lookup(c, SG_KIND_TABLE, schema,
						       NULL, name);
	struct sg_diag *dg;
	const char *s;

	if (t)
		return t;
	dg = sg_diag_error(c->d, loc, "\"%s\" names table %s, which is not in "
			   "the models", key, sg_qq(c->t, schema, name));
	s = suggest_table(c, schema, name);
	if (s)
		sg_diag_hint(dg, c->d, "did you mean %s?", sg_quote_msg(c->t, s));
	else if (!lookup(c, SG_KIND_SCHEMA, schema, NULL, schema))
		sg_diag_hint(dg, c->d, "no model file is in schema %s",
			     sg_quote_msg(c->t, schema));
	return NULL;
}

static struct sg_column *need_column(struct check *c, struct sg_loc loc,
				     const char *key, struct sg_table *t,
				     const char *name)
{
	struct sg_column *col = sg_table_column(t, name);
	struct sg_diag *dg;
	const char *s;

	if (col)
		return col;
	dg = sg_diag_error(c->d, loc, "\"%s\" names column %s, which table %s "
			   "does not have", key, sg_quote_msg(c->t, name),
			   sg_qq(c->t, t->obj.schema, t->obj.name));
	s = suggest_column(c, t, name);
	if (s)
		sg_diag_hint(dg, c->d, "did you mean %s?", sg_quote_msg(c->t, s));
	return NULL;
}

static void add_dep(struct check *c, struct sg_object *obj, struct sg_object *ref)
{
	sg_catalog_add_dep(c->cat, obj, ref, 'm');
}

/* Resolves an unqualified name as PostgreSQL would with search_path set to
 * the object's schema, then public. */
static struct sg_object *resolve(struct check *c, enum sg_kind kind,
				 const struct sg_sql_ref *r, const char *own)
{
	struct sg_object *o;

	if (r->schema)
		return lookup(c, kind, r->schema, NULL, r->name);
	o = lookup(c, kind, own, NULL, r->name);
	return o ? o : lookup(c, kind, "public", NULL, r->name);
}

/*
 * A type, function or operator class the models do not define may be an
 * extension's (citext, gin_trgm_ops): the object then needs every extension
 * of the models created first.  Which extension provides what is only known
 * once it is installed, so all of them; an extension depends on nothing
 * but its schema, so these edges cannot make a loop.
 */
static void need_extensions(struct check *c, struct sg_object *obj)
{
	for (size_t i = 0; i < c->exts.n; i++)
		add_dep(c, obj, c->exts.v[i]);
}

/*
 * A collation named by SQL text ("C", public.ci): the collation of the
 * models it resolves to (own schema, then public), if any.
 */
static void collation_dep(struct check *c, struct sg_object *obj,
			  const char *sql)
{
	struct sg_sql_ref r = { .kind = 'l' };
	struct sg_object *o;

	if (!sql || sg_sql_split_name(c->t, sql, &r.schema, &r.name) == 0)
		return;
	o = resolve(c, SG_KIND_COLLATION, &r, obj->schema);
	if (o)
		add_dep(c, obj, o);
}

/*
 * Dependencies of an object on the enums, domains, composite types (casts,
 * column types), row types and sequences (nextval etc.) a fragment names,
 * and on the extensions when it names a type or function the models do
 * not have.
 * The model functions a call names: every overload of the name (the
 * arguments' types are not known here), in the schema the call names, or
 * unqualified in the object's schema, then public.  Functions are sorted
 * by identity, "name(types)", so the overloads of a name are adjacent.
 */
static bool named_deps(struct check *c, struct sg_object *obj,
		       const struct sg_sql_ref *r, enum sg_kind kind)
{
	const char *schemas[2] = { r->schema ? r->schema : obj->schema,
				   r->schema ? NULL : "public" };

	for (int s = 0; s < 2; s++) {
		struct sg_object *f;
		bool found = false;
		size_t lo = 0, hi = c->n;
		char *prefix;

		if (!schemas[s] || (s == 1 && strcmp(schemas[0], "public") == 0))
			continue;
		prefix = sg_printf(c->t, "%s(", r->name);
		/* first function of that schema whose name is >= prefix */
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			struct sg_object *m = c->sorted[mid];
			int cmp = m->kind != kind
				? (m->kind < kind ? -1 : 1)
				: strcmp(m->schema, schemas[s]) ? strcmp(m->schema, schemas[s])
				: strcmp(m->name, prefix);

			if (cmp < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		for (; lo < c->n; lo++) {
			f = c->sorted[lo];
			if (f->kind != kind || strcmp(f->schema, schemas[s]) != 0 ||
			    strncmp(f->name, prefix, strlen(prefix)) != 0)
				break;
			if (f != obj)
				add_dep(c, obj, f);
			found = true;
		}
		if (found)
			return true;
	}
	return false;
}

/* Every model function of the name (overloads), see named_deps(). */
static void function_deps(struct check *c, struct sg_object *obj,
			  const struct sg_sql_ref *r)
{
	named_deps(c, obj, r, SG_KIND_FUNCTION);

}

/*
 * Dependencies of an object on the enums (casts, column types), row types,
 * sequences (nextval etc.) and functions a fragment names.
 */
static void frag_deps(struct check *c, struct sg_object *obj,
		      enum sg_frag kind, const char *text)
{
	struct sg_sql_ref *refs;
	size_t n;

	if (!text)
		return;
	/* a type names a model type only when enums or tables are in play;
	 * an expression can only name one in a cast or a call */
	if (kind == SG_FRAG_EXPR && !strchr(text, ':') && !strchr(text, '('))
		return;
	if (sg_sql_refs(c->t, kind, text, &refs, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct sg_object *o = NULL;

		if (refs[i].kind == 't') {
			o = resolve(c, SG_KIND_ENUM, &refs[i], obj->schema);
			if (!o)
				o = resolve(c, SG_KIND_DOMAIN, &refs[i], obj->schema);
			if (!o)
				o = resolve(c, SG_KIND_COMPOSITE, &refs[i], obj->schema);
			if (!o)
				o = resolve(c, SG_KIND_TABLE, &refs[i], obj->schema);
		} else if (refs[i].kind == 's') {
			o = resolve(c, SG_KIND_SEQUENCE, &refs[i], obj->schema);
		} else if (refs[i].kind == 'f') {
			function_deps(c, obj, &refs[i]);
		} else if (refs[i].kind == 'r' && kind != SG_FRAG_EXPR) {
			o = resolve(c, SG_KIND_TABLE, &refs[i], obj->schema);
			if (!o)
				o = resolve(c, SG_KIND_SEQUENCE, &refs[i], obj->schema);
			if (!o)
				o = resolve(c, SG_KIND_VIEW, &refs[i], obj->schema);
			if (!o)
				o = resolve(c, SG_KIND_FOREIGN_TABLE, &refs[i], obj->schema);
		}
		if (o)
			add_dep(c, obj, o);
		else if ((refs[i].kind == 't' || refs[i].kind == 'f') &&
			 !sg_streq(refs[i].schema, "pg_catalog"))
			need_extensions(c, obj);
	}
}

/*
 * True for a type spelled with a built-in type's first word (text,
 * character varying(20), timestamp with time zone, integer[]): those cannot
 * name a model type, and most columns have one, so the parse is saved.
 */
static bool builtin_type(const char *type)
{
	static const char *const words[] = {
		"bigint", "bigserial", "bit", "bool", "boolean", "box", "bytea",
		"char", "character", "cidr", "circle", "date", "daterange",
		"decimal", "double", "float", "float4", "float8", "inet", "int",
		"int2", "int4", "int4range", "int8", "int8range", "integer",
		"interval", "json", "jsonb", "line", "lseg", "macaddr", "macaddr8",
		"money", "name", "numeric", "numrange", "oid", "path", "pg_lsn",
		"point", "polygon", "real", "regclass", "serial", "serial2",
		"serial4", "serial8", "smallint", "smallserial", "text", "time",
		"timestamp", "timestamptz", "timetz", "tsquery", "tsrange",
		"tstzrange", "tsvector", "uuid", "varbit", "varchar", "xml",
	};
	size_t n = strspn(type, "abcdefghijklmnopqrstuvwxyz0123456789_");

	if (n == 0 || type[n] == '.' || type[n] == '"')
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(words); i++)
		if (strlen(words[i]) == n && strncmp(type, words[i], n) == 0)
			return true;
	return false;
}

/*
 * A view after the relations, types, functions and sequences its query
 * names, resolved as the scratch database resolves them (the view's schema,
 * then public); names that are not in the models are the server's business
 * (catalog tables, or an error it reports at the query's location).
 */
static void query_deps(struct check *c, struct sg_object *obj, const char *text)
{
	static const enum sg_kind rels[] = { SG_KIND_TABLE, SG_KIND_VIEW,
					     SG_KIND_SEQUENCE };
	static const enum sg_kind types[] = { SG_KIND_ENUM, SG_KIND_DOMAIN,
					      SG_KIND_COMPOSITE, SG_KIND_TABLE,
					      SG_KIND_VIEW };
	struct sg_sql_ref *refs;
	size_t n;

	if (!text || sg_sql_refs(c->t, SG_FRAG_QUERY, text, &refs, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		const enum sg_kind *kinds = NULL;
		size_t nk = 0;

		switch (refs[i].kind) {
		case 'r':
			kinds = rels;
			nk = ARRAY_SIZE(rels);
			break;
		case 't':
			kinds = types;
			nk = ARRAY_SIZE(types);
			break;
		case 's':
			kinds = rels + 2;
			nk = 1;
			break;
		case 'f':
			function_deps(c, obj, &refs[i]);
			break;
		default:
			break;
		}
		for (size_t k = 0; k < nk; k++) {
			struct sg_object *o = resolve(c, kinds[k], &refs[i], obj->schema);

			if (o && o != obj) {
				add_dep(c, obj, o);
				break;
			}
		}
	}
}

static void column_deps(struct check *c, struct sg_object *obj,
			struct sg_table *t, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		add_dep(c, obj, (struct sg_object *)sg_table_column(t, names[i]));
}

/* Index keys and exclusion elements: columns, expressions, collations,
 * operator classes (not the models': maybe an extension's). */
/* The model operator classes an index key names (every method's). */
static void opclass_deps(struct check *c, struct sg_object *o, const char *sql)
{
	const char *schema = NULL, *name = NULL;

	if (sg_sql_split_name(c->t, sql, &schema, &name) == 0)
		return;
	for (size_t i = 0; i < c->opclasses.n; i++) {
		struct sg_opclass *k = c->opclasses.v[i];

		if (strcmp(k->opcname, name) == 0 &&
		    strcmp(k->obj.schema, schema ? schema : o->schema) == 0)
			add_dep(c, o, &k->obj);
	}
}

static void key_deps(struct check *c, struct sg_object *o, struct sg_table *t,
		     const struct sg_index_key *keys, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (keys[i].column)
			add_dep(c, o, (struct sg_object *)sg_table_column(
					t, keys[i].column));
		else
			frag_deps(c, o, SG_FRAG_EXPR, keys[i].expression);
		collation_dep(c, o, keys[i].collation);
		if (keys[i].opclass) {
			need_extensions(c, o);
			opclass_deps(c, o, keys[i].opclass);
		}
	}
}

static bool is_child(const struct sg_table *t);
static bool has_column(const struct sg_table *t, const char *name, int depth);

static void check_fkey(struct check *c, struct sg_constraint *k)
{
	struct sg_table *t = (struct sg_table *)k->obj.parent;
	struct sg_table *rt;
	bool has_pkey = false;

	column_deps(c, &k->obj, t, k->columns, k->ncolumns);
	if (!k->ref_table)
		return;
	rt = need_table(c, k->ref_loc, "references", k->ref_schema, k->ref_table);
	if (!rt)
		return;
	for (size_t i = 0; i < k->nref_columns; i++)
		if (!is_child(rt) || !has_column(rt, k->ref_columns[i], 0))
			need_column(c, k->ref_loc, "references", rt,
				    k->ref_columns[i]);
	add_dep(c, &k->obj, &rt->obj);
	for (size_t i = 0; i < rt->nconstraints; i++) {
		struct sg_constraint *rk = rt->constraints[i];

		if (rk->type == 'p')
			has_pkey = true;
		if (rk->type == 'p' || rk->type == 'u')
			add_dep(c, &k->obj, &rk->obj);
	}
	for (size_t i = 0; i < rt->nindexes; i++)
		if (rt->indexes[i]->unique)
			add_dep(c, &k->obj, &rt->indexes[i]->obj);
	if (!k->nref_columns && !has_pkey) {
		struct sg_diag *dg = sg_diag_error(
			c->d, k->ref_loc, "referenced table %s has no primary key",
			sg_qq(c->t, rt->obj.schema, rt->obj.name));

		sg_diag_hint(dg, c->d, "name the referenced columns: %s(...)",
			     rt->obj.name);
	}
}

/*
 * A function depends on its schema, on the model types its arguments and
 * result name, on the functions its argument defaults call, and -- for a
 * SQL-standard body, which PostgreSQL resolves when the function is
 * created -- on the relations, functions, types and sequences the body
 * names.  A string body (LANGUAGE sql AS '...') is resolved only when the
 * function runs, or when its check runs: the models are materialised with
 * the checks deferred to the end (emit/function.c), so such a body adds no
 * dependency, and a function that reads a table can be the default of a
 * column of that very table.
 */
static void check_function(struct check *c, struct sg_function *f)
{
	struct sg_object *o = &f->obj;

	add_dep(c, o, lookup(c, SG_KIND_SCHEMA, o->schema, NULL, o->schema));
	for (size_t i = 0; i < f->nargs; i++)
		frag_deps(c, o, SG_FRAG_ARGUMENT, f->arglist[i]);
	frag_deps(c, o, SG_FRAG_RESULT, f->result);
	if (f->sql_body)
		frag_deps(c, o, SG_FRAG_ROUTINE_BODY, f->body);
}

/* Trigger functions PostgreSQL has built in (pg_catalog). */
static bool catalog_trigger_function(const char *name)
{
	static const char *const names[] = {
		"suppress_redundant_updates_trigger", "tsvector_update_trigger",
		"tsvector_update_trigger_column",
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (strcmp(name, names[i]) == 0)
			return true;
	return false;
}

/* Is a schema one the models describe (a schema with a model file)? */
static bool model_schema(struct check *c, const char *schema)
{
	return lookup(c, SG_KIND_SCHEMA, schema, NULL, schema) != NULL;
}

/* Does the schema hold an extension of the models (whose functions the
 * models do not list)? */
static bool has_extension(struct check *c, const char *schema)
{
	for (size_t i = 0; i < c->exts.n; i++)
		if (strcmp(c->exts.v[i]->schema, schema) == 0)
			return true;
	return false;
}

/*
 * A trigger depends on its relation, its function (which must be in the
 * models, returning trigger, unless it is built in or lives where the
 * models do not look), the columns of UPDATE OF, and what WHEN calls.
 */
static void check_trigger(struct check *c, struct sg_trigger *g)
{
	struct sg_object *o = &g->obj;
	struct sg_table *t = (struct sg_table *)o->parent;
	const char *schemas[2] = { g->function_schema ? g->function_schema : o->schema,
				   g->function_schema ? NULL : "public" };
	struct sg_function *fn = NULL;
	struct sg_diag *dg;

	add_dep(c, o, o->parent);
	for (size_t i = 0; i < g->nupdate_columns; i++)
		add_dep(c, o, (struct sg_object *)sg_table_column(t, g->update_columns[i]));
	frag_deps(c, o, SG_FRAG_EXPR, g->when);
	if (!g->function_name)
		return;
	for (int s = 0; s < 2 && !fn; s++)
		if (schemas[s])
			fn = (struct sg_function *)lookup(c, SG_KIND_FUNCTION, schemas[s], NULL,
							  sg_printf(c->t, "%s()", g->function_name));
	if (fn) {
		add_dep(c, o, &fn->obj);
		if (fn->result && strcasecmp(fn->result, "trigger") != 0 &&
		    strcasecmp(fn->result, "pg_catalog.trigger") != 0) {
			dg = sg_diag_error(c->d, g->function_loc, "function %s returns %s, "
					   "not trigger", sg_qq(c->t, fn->obj.schema, fn->proname),
					   fn->result);
			sg_diag_hint(dg, c->d, "a trigger function is declared \"returns: "
				     "trigger\"");
		}
		return;
	}
	if (g->function_schema ? (strcmp(g->function_schema, "pg_catalog") == 0 ||
				  !model_schema(c, g->function_schema) ||
				  has_extension(c, g->function_schema))
			       : (catalog_trigger_function(g->function_name) ||
				  has_extension(c, o->schema) || has_extension(c, "public")))
		return;
	dg = sg_diag_error(c->d, g->function_loc, "trigger %s calls function %s(), "
			   "which is not in the models", sg_quote_msg(c->t, o->name),
			   g->function_schema ? sg_qq(c->t, g->function_schema, g->function_name)
					      : sg_qi(c->t, g->function_name));
	sg_diag_hint(dg, c->d, "declare it under \"functions:\" with \"returns: "
		     "trigger\" and no arguments");
}

/*
 * A policy's expressions: besides the types, sequences and functions
 * frag_deps() finds, the tables and views their subqueries read must
 * exist before the policy is created.
 */
static void policy_deps(struct check *c, struct sg_object *obj, const char *text)
{
	struct sg_sql_ref *refs;
	size_t n;

	if (!text)
		return;
	frag_deps(c, obj, SG_FRAG_EXPR, text);
	if (!strchr(text, '(') || sg_sql_refs(c->t, SG_FRAG_EXPR, text, &refs, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct sg_object *o;

		if (refs[i].kind != 'r')
			continue;
		o = resolve(c, SG_KIND_TABLE, &refs[i], obj->schema);
		if (!o)
			o = resolve(c, SG_KIND_VIEW, &refs[i], obj->schema);
		if (!o)
			o = resolve(c, SG_KIND_FOREIGN_TABLE, &refs[i], obj->schema);
		if (o)
			add_dep(c, obj, o);
	}
}

/* ---- partitions and inheritance ---- */

/* The table a qualified SQL name written by partition.c names. */
static struct sg_table *parent_table(struct check *c, const char *sqlname,
				     struct sg_loc loc, const char *key)
{
	const char *schema, *name;

	struct sg_object *f;

	if (sg_sql_split_name(c->t, sqlname, &schema, &name) != 2)
		return NULL;
	/* an INHERITS parent may be a foreign table */
	if (strcmp(key, "inherits") == 0 &&
	    (f = lookup(c, SG_KIND_FOREIGN_TABLE, schema, NULL, name)) != NULL)
		return &((struct sg_foreign_table *)f)->rel;
	return need_table(c, loc, key, schema, name);
}

/* Sets the parent pointers of every table, before anything uses them. */
static void resolve_parents(struct check *c)
{
	for (size_t i = 0; i < c->cat->nobjs; i++) {
		struct sg_table *t = (struct sg_table *)c->cat->objs[i];

		if (t->obj.kind == SG_KIND_FOREIGN_TABLE)
			t = &((struct sg_foreign_table *)c->cat->objs[i])->rel;
		else if (t->obj.kind != SG_KIND_TABLE)
			continue;
		if (t->partition_of && !t->partition_parent)
			t->partition_parent = parent_table(c, t->partition_of,
							   t->partition_of_loc,
							   "partition_of");
		for (size_t k = 0; k < t->ninherits; k++)
			t->inherits_tables[k] = parent_table(c, t->inherits[k],
							     t->inherits_loc,
							     "inherits");
	}
}

/* A column of t or, through its parents, of its ancestors. */
static bool has_column(const struct sg_table *t, const char *name, int depth)
{
	const struct sg_column *col = sg_table_column(t, name);

	if (depth > 32)
		return false;
	if (col && (col->type || !col->inherited))
		return true;
	if (t->partition_parent && has_column(t->partition_parent, name, depth + 1))
		return true;
	for (size_t i = 0; i < t->ninherits; i++)
		if (t->inherits_tables[i] &&
		    has_column(t->inherits_tables[i], name, depth + 1))
			return true;
	return false;
}

static bool is_child(const struct sg_table *t)
{
	return t->partition_of || t->ninherits;
}

/* Column names a child's constraint or index uses exist in its family. */
static void check_child_columns(struct check *c, struct sg_table *t,
				const struct sg_object *o, const char *const *names,
				size_t n, struct sg_loc loc)
{
	for (size_t i = 0; i < n; i++) {
		if (!has_column(t, names[i], 0))
			sg_diag_error(c->d, loc.line ? loc : o->loc,
				      "unknown column %s in %s",
				      sg_quote_msg(c->t, names[i]), describe(c, o));
	}
}

static struct sg_object *parent_child(struct check *c, const struct sg_table *p,
				      enum sg_kind kind, const char *name)
{
	return lookup(c, kind, p->obj.schema, p->obj.name, name);
}

static void check_links(struct check *c, struct sg_table *t)
{
	const char *tq = sg_qq(c->t, t->obj.schema, t->obj.name);
	struct sg_table *p = t->partition_parent;

	if (p) {
		add_dep(c, &t->obj, &p->obj);
		if (!p->partition_key) {
			struct sg_diag *dg = sg_diag_error(
				c->d, t->partition_of_loc, "%s %s is a partition "
				"of table %s, which is not partitioned",
				sg_kind_name(t->obj.kind), tq,
				sg_qq(c->t, p->obj.schema, p->obj.name));

			sg_diag_hint(dg, c->d, "add \"partition_by\" to table %s",
				     sg_quote_msg(c->t, p->obj.name));
		}
	}
	for (size_t i = 0; i < t->ninherits; i++)
		if (t->inherits_tables[i])
			add_dep(c, &t->obj, &t->inherits_tables[i]->obj);
	if (!is_child(t))
		return;
	for (size_t i = 0; i < t->ncolumns; i++) {
		struct sg_column *col = t->columns[i];
		bool found = false;

		if (col->type || !col->inherited)
			continue;
		if (p)
			found = has_column(p, col->obj.name, 1);
		for (size_t k = 0; k < t->ninherits && !found; k++)
			found = t->inherits_tables[k] &&
				has_column(t->inherits_tables[k], col->obj.name, 1);
		if (!found && (p || t->ninherits == 0 || t->inherits_tables[0])) {
			struct sg_diag *dg = sg_diag_error(
				c->d, col->obj.loc, "column %s of table %s has no type "
				"and is not a column of its parent", sg_quote_msg(c->t, col->obj.name),
				tq);

			sg_diag_hint(dg, c->d, "give it a type, or declare it in "
				     "the parent table");
		}
	}
	for (size_t i = 0; i < t->nconstraints; i++) {
		struct sg_constraint *k = t->constraints[i];

		check_child_columns(c, t, &k->obj, k->columns, k->ncolumns, k->obj.loc);
		check_child_columns(c, t, &k->obj, k->include, k->ninclude, k->obj.loc);
		if (!p || (k->type != 'p' && k->type != 'u'))
			continue;
		if (k->type == 'p' && !k->attached_to) {
			/* a partition's primary key is its parent's, when it has one */
			for (size_t j = 0; j < p->nconstraints; j++)
				if (p->constraints[j]->type == 'p')
					k->attached_to = p->constraints[j]->obj.name;
			k->inherited = k->attached_to != NULL;
		} else if (k->attached_to) {
			struct sg_constraint *pk = (struct sg_constraint *)
				parent_child(c, p, SG_KIND_CONSTRAINT, k->attached_to);
			struct sg_object *pi = parent_child(c, p, SG_KIND_INDEX,
							    k->attached_to);

			/* the parent's key: a clone of it; the parent's
			 * index: a key of the partition whose index the
			 * parent's adopted */
			if (pk && (pk->type == 'p' || pk->type == 'u')) {
				k->inherited = true;
				add_dep(c, &k->obj, &pk->obj);
			} else if (pi) {
				k->inherited = false;
				add_dep(c, &k->obj, pi);
			} else {
				sg_diag_error(c->d, k->obj.loc, "\"attached_to\" names %s, "
					      "which is not an index, primary key or "
					      "unique constraint of table %s",
					      sg_quote_msg(c->t, k->attached_to),
					      sg_qq(c->t, p->obj.schema, p->obj.name));
			}
		}
	}
	for (size_t i = 0; i < t->nindexes; i++) {
		struct sg_index *ix = t->indexes[i];
		struct sg_object *pi;

		for (size_t k = 0; k < ix->nkeys; k++)
			if (ix->keys[k].column)
				check_child_columns(c, t, &ix->obj, &ix->keys[k].column,
						    1, ix->keys[k].loc);
		check_child_columns(c, t, &ix->obj, ix->include, ix->ninclude,
				    ix->obj.loc);
		if (!ix->attached_to || !p)
			continue;
		pi = parent_child(c, p, SG_KIND_INDEX, ix->attached_to);
		if (!pi)
			sg_diag_error(c->d, ix->obj.loc, "\"attached_to\" names index "
				      "%s, which table %s does not have",
				      sg_quote_msg(c->t, ix->attached_to),
				      sg_qq(c->t, p->obj.schema, p->obj.name));
		else
			add_dep(c, &ix->obj, pi);
	}
}

/*
 * A view, materialized view, function or procedure renamed from an object
 * the models still define: the rename could never apply.  A relation's old
 * name is looked for among tables and views (one namespace); a routine's is
 * the old name with the routine's own argument types (overloads are renamed
 * one by one).  Two objects renamed from the same old one are an error too.
 */
/* A relation as schema.name, a routine as schema.name(argument types). */
static const char *renamed_display(const struct check *c, const struct sg_object *o,
				   const char *name)
{
	return o->kind == SG_KIND_FUNCTION || o->kind == SG_KIND_AGGREGATE
		? sg_printf(c->t, "%s.%s", sg_qi(c->t, o->schema), name)
		: sg_qq(c->t, o->schema, name);
}

/* A routine's or aggregate's name without its argument types. */
static const char *base_name(const struct sg_object *o)
{
	return o->kind == SG_KIND_AGGREGATE ? ((const struct sg_aggregate *)o)->aggname
					    : ((const struct sg_function *)o)->proname;
}

static const char *renamed_noun(const struct sg_object *o)
{
	if (o->kind == SG_KIND_FUNCTION)
		return ((const struct sg_function *)o)->prokind == 'p'
			? "procedure" : "function";
	if (o->kind == SG_KIND_VIEW)
		return ((const struct sg_view *)o)->relkind == 'm'
			? "materialized view" : "view";
	return sg_kind_name(o->kind);
}

static void check_renamed_from(struct check *c, struct sg_object *o)
{
	const char *noun = renamed_noun(o), *old_ident, *what;
	struct sg_object *old = NULL;
	struct sg_diag *dg;

	if (!o->renamed_from)
		return;
	if (o->kind == SG_KIND_FUNCTION || o->kind == SG_KIND_AGGREGATE) {
		old_ident = sg_printf(c->t, "%s%s", o->renamed_from,
				      o->name + strlen(base_name(o)));
		old = lookup(c, o->kind, o->schema, NULL, old_ident);
	} else {
		old_ident = o->renamed_from;
		old = lookup(c, SG_KIND_VIEW, o->schema, NULL, old_ident);
		if (!old)
			old = lookup(c, SG_KIND_TABLE, o->schema, NULL, old_ident);
		if (!old)
			old = lookup(c, SG_KIND_FOREIGN_TABLE, o->schema, NULL, old_ident);
	}
	what = renamed_display(c, o, old_ident);
	if (old) {
		dg = sg_diag_error(c->d, o->renamed_loc, "%s %s is renamed from %s, "
				   "which is still defined", noun,
				   renamed_display(c, o, o->name), what);
		if (old->loc.line)
			sg_diag_hint(dg, c->d, "remove \"renamed_from\" or the %s "
				     "defined at %s:%d:%d", renamed_noun(old),
				     sg_loc_file(old->loc), old->loc.line, old->loc.col);
		return;
	}
	/* an earlier object of the kind renamed from the same one */
	for (size_t i = 0; i < c->n; i++) {
		const struct sg_object *p = c->cat->objs[i];
		const char *p_old;

		if (p == o)
			break;
		if (p->kind != o->kind || !p->renamed_from ||
		    strcmp(p->schema, o->schema) != 0)
			continue;
		p_old = o->kind == SG_KIND_FUNCTION || o->kind == SG_KIND_AGGREGATE
			? sg_printf(c->t, "%s%s", p->renamed_from, p->name +
				    strlen(base_name(p)))
			: p->renamed_from;
		if (strcmp(p_old, old_ident) != 0)
			continue;
		dg = sg_diag_error(c->d, o->renamed_loc, "%s %s is renamed from %s, "
				   "and so is %s", noun, renamed_display(c, o, o->name),
				   what, renamed_display(c, p, p->name));
		sg_diag_hint(dg, c->d, "one object can be renamed to one name only: "
			     "remove one \"renamed_from\"");
		return;
	}
}

/* ---- aggregates and operators ---- */

/* "aggregate app.a(integer)", for messages */
static const char *described(const struct check *c, const struct sg_object *o)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	sg_object_describe(&sb, o);
	r = sbuf_to_arena(&sb, c->t);
	sbuf_release(&sb);
	return r;
}

/*
 * The options of an aggregate or operator: dependencies on the model
 * functions, types and operators they name; a function or operator
 * qualified with a schema of the models that the models do not define
 * is an error at the option.
 */
static void check_opts(struct check *c, struct sg_object *o,
		       const struct sg_opt_info *info, const char *const *opts,
		       const struct sg_loc *locs, int n)
{
	for (int i = 0; i < n; i++) {
		struct sg_sql_ref r = { 0 };
		bool found;

		if (!opts[i])
			continue;
		if (info[i].type == 't') {
			if (!builtin_type(opts[i]))
				frag_deps(c, o, SG_FRAG_TYPE, opts[i]);
			continue;
		}
		if (info[i].type == 'f') {
			if (sg_sql_split_name(c->t, opts[i], &r.schema, &r.name) == 0)
				continue;
			r.kind = 'f';
			found = named_deps(c, o, &r, SG_KIND_FUNCTION);
			if (!found && model_schema(c, r.schema))
				sg_diag_error(c->d, locs[i], "%s of %s: function %s is not "
					      "defined in the models", info[i].key,
					      described(c, o), sg_qq(c->t, r.schema, r.name));
			else if (!found && !sg_streq(r.schema, "pg_catalog"))
				need_extensions(c, o);
		}
	}
}

static void check_aggregate(struct check *c, struct sg_aggregate *g)
{
	add_dep(c, &g->obj, lookup(c, SG_KIND_SCHEMA, g->obj.schema, NULL, g->obj.schema));
	check_opts(c, &g->obj, sg_agg_opts, g->opts, g->opt_locs, SG_AGG__COUNT);
}

static void check_operator(struct check *c, struct sg_operator *p)
{
	add_dep(c, &p->obj, lookup(c, SG_KIND_SCHEMA, p->obj.schema, NULL, p->obj.schema));
	if (p->left && !builtin_type(p->left))
		frag_deps(c, &p->obj, SG_FRAG_TYPE, p->left);
	if (p->right && !builtin_type(p->right))
		frag_deps(c, &p->obj, SG_FRAG_TYPE, p->right);
	check_opts(c, &p->obj, sg_opr_opts, p->opts, p->opt_locs, SG_OPR__COUNT);
}

/* An operator class: after its schema and its family, when the models
 * define it (else the family must exist already, or PostgreSQL says so). */
static void check_opclass(struct check *c, struct sg_opclass *k)
{
	struct sg_sql_ref r = { .kind = 'F' };
	struct sg_object *fam;

	add_dep(c, &k->obj, lookup(c, SG_KIND_SCHEMA, k->obj.schema, NULL, k->obj.schema));
	if (k->for_type && !builtin_type(k->for_type))
		frag_deps(c, &k->obj, SG_FRAG_TYPE, k->for_type);
	if (!k->family || sg_sql_split_name(c->t, k->family, &r.schema, &r.name) == 0)
		return;
	fam = lookup(c, SG_KIND_OPFAMILY, r.schema, NULL,
		     sg_printf(c->t, "%s USING %s", r.name, k->method));
	if (fam)
		add_dep(c, &k->obj, fam);
	else if (model_schema(c, r.schema))
		sg_diag_error(c->d, k->family_loc, "family of %s: operator family %s "
			      "USING %s is not defined in the models", described(c, &k->obj),
			      sg_qq(c->t, r.schema, r.name), sg_qi(c->t, k->method));
}

/*
 * The loose members of a family: after the types they name and the
 * families they order by, when the models define them (the operators and
 * functions come first by their kinds' order).
 */
static void check_opfamily(struct check *c, struct sg_opfamily *f)
{
	for (size_t i = 0; i < f->nmembers; i++) {
		const struct sg_opfamily_member *m = &f->members[i];
		struct sg_sql_ref r = { .kind = 'F' };

		if (!builtin_type(m->left))
			frag_deps(c, &f->obj, SG_FRAG_TYPE, m->left);
		if (!builtin_type(m->right))
			frag_deps(c, &f->obj, SG_FRAG_TYPE, m->right);
		if (m->sortfamily &&
		    sg_sql_split_name(c->t, m->sortfamily, &r.schema, &r.name) == 2) {
			struct sg_object *sf = lookup(c, SG_KIND_OPFAMILY, r.schema, NULL,
						      sg_printf(c->t, "%s USING btree", r.name));

			if (sf && sf != &f->obj)
				add_dep(c, &f->obj, sf);
		}
	}
}

/*
 * The template of a dictionary or the parser of a configuration, when
 * the models define it: a dependency; unqualified, one of the object's
 * schema is qualified (the scratch database's search_path may not find
 * it).
 */
static void ts_base_dep(struct check *c, struct sg_object *o, enum sg_kind kind,
			const char **name_text)
{
	const char *sch, *name;
	int np = *name_text ? sg_sql_split_name(c->t, *name_text, &sch, &name) : 0;
	struct sg_object *b;

	if (np == 0)
		return;
	b = lookup(c, kind, np == 2 ? sch : o->schema, NULL, name);
	if (!b)
		return;
	add_dep(c, o, b);
	if (np == 1)
		*name_text = sg_qq(c->cat->arena, b->schema, b->name);
}

static void check_object(struct check *c, struct sg_object *o)
{
	switch (o->kind) {
	case SG_KIND_FUNCTION: {
		struct sg_object *lang = lookup(c, SG_KIND_LANGUAGE, SG_GLOBAL_SCHEMA,
						NULL, ((struct sg_function *)o)->language);

		check_function(c, (struct sg_function *)o);
		check_renamed_from(c, o);
		if (lang)
			add_dep(c, o, lang);
		break;
	}
	case SG_KIND_LANGUAGE:
		/* its handlers are C functions: PostgreSQL's or an extension's */
		break;
	case SG_KIND_TRIGGER:
		check_trigger(c, (struct sg_trigger *)o);
		break;
	case SG_KIND_AGGREGATE:
		check_aggregate(c, (struct sg_aggregate *)o);
		check_renamed_from(c, o);
		break;
	case SG_KIND_OPERATOR:
		check_operator(c, (struct sg_operator *)o);
		break;
	case SG_KIND_OPFAMILY:
		add_dep(c, o, lookup(c, SG_KIND_SCHEMA, o->schema, NULL, o->schema));
		check_opfamily(c, (struct sg_opfamily *)o);
		break;
	case SG_KIND_OPCLASS:
		check_opclass(c, (struct sg_opclass *)o);
		break;
	case SG_KIND_SCHEMA:
	case SG_KIND_DEFAULT_ACL:   /* roles only, which are not managed */
		break;
	/* foreign data: the wrapper a server uses, the server of a mapping
	 * (when the models have them; else the database must) */
	case SG_KIND_FDW:
		break;
	case SG_KIND_SERVER:
		add_dep(c, o, lookup(c, SG_KIND_FDW, SG_GLOBAL_SCHEMA, NULL,
				     ((struct sg_server *)o)->wrapper));
		break;
	case SG_KIND_USER_MAPPING:
		add_dep(c, o, lookup(c, SG_KIND_SERVER, SG_GLOBAL_SCHEMA, NULL,
				     ((struct sg_user_mapping *)o)->server));
		break;
	case SG_KIND_FOREIGN_TABLE:
		add_dep(c, o, lookup(c, SG_KIND_SCHEMA, o->schema, NULL, o->schema));
		add_dep(c, o, lookup(c, SG_KIND_SERVER, SG_GLOBAL_SCHEMA, NULL,
				     ((struct sg_foreign_table *)o)->server));
		check_links(c, &((struct sg_foreign_table *)o)->rel);
		sg_check_foreign_partition(c->d, c->t, (struct sg_foreign_table *)o);
		check_renamed_from(c, o);
		break;
	case SG_KIND_EXTENSION:
	case SG_KIND_COLLATION:
	case SG_KIND_ENUM:
		add_dep(c, o, lookup(c, SG_KIND_SCHEMA, o->schema, NULL, o->schema));
		break;
	case SG_KIND_DOMAIN: {
		struct sg_domain *dm = (struct sg_domain *)o;

		add_dep(c, o, lookup(c, SG_KIND_SCHEMA, o->schema, NULL, o->schema));
		if (dm->base_type && !builtin_type(dm->base_type))
			frag_deps(c, o, SG_FRAG_TYPE, dm->base_type);
		collation_dep(c, o, dm->collation);
		frag_deps(c, o, SG_FRAG_EXPR, dm->default_expr);
		for (size_t i = 0; i < dm->nchecks; i++)
			frag_deps(c, o, SG_FRAG_EXPR, dm->checks[i].expression);
		break;
	}
	case SG_KIND_COMPOSITE: {
		struct sg_composite *ct = (struct sg_composite *)o;

		add_dep(c, o, lookup(c, SG_KIND_SCHEMA, o->schema, NULL, o->schema));
		for (size_t i = 0; i < ct->nattrs; i++) {
			if (ct->attrs[i].type && !builtin_type(ct->attrs[i].type))
				frag_deps(c, o, SG_FRAG_TYPE, ct->attrs[i].type);
			collation_dep(c, o, ct->attrs[i].collation);
		}
		break;
	}
	case SG_KIND_SEQUENCE: {
		struct sg_sequence *s = (struct sg_sequence *)o;
		struct sg_table *t;

		add_dep(c, o, lookup(c, SG_KIND_SCHEMA, o->schema, NULL, o->schema));
		if (!s->owned_table)
			break;
		t = need_table(c, s->owned_loc, "owned_by", o->schema, s->owned_table);
		if (t) {
			struct sg_column *col = need_column(c, s->owned_loc, "owned_by",
							    t, s->owned_column);

			add_dep(c, o, (struct sg_object *)col);
		}
		break;
	}
	case SG_KIND_TABLE: {
		struct sg_object *old;

		add_dep(c, o, lookup(c, SG_KIND_SCHEMA, o->schema, NULL, o->schema));
		check_links(c, (struct sg_table *)o);
		if (!o->renamed_from)
			break;
		old = lookup(c, SG_KIND_TABLE, o->schema, NULL, o->renamed_from);
		if (old) {
			struct sg_diag *dg = sg_diag_error(
				c->d, o->renamed_loc, "table %s is renamed from %s, "
				"which is still defined",
				sg_qq(c->t, o->schema, o->name),
				sg_qq(c->t, o->schema, o->renamed_from));

			if (old->loc.line)
				sg_diag_hint(dg, c->d, "remove \"renamed_from\" or "
					     "the table defined at %s:%d:%d",
					     sg_loc_file(old->loc), old->loc.line,
					     old->loc.col);
		}
		break;
	}
	case SG_KIND_VIEW:
		add_dep(c, o, lookup(c, SG_KIND_SCHEMA, o->schema, NULL, o->schema));
		query_deps(c, o, ((struct sg_view *)o)->definition);
		check_renamed_from(c, o);
		break;
	case SG_KIND_COLUMN: {
		struct sg_column *col = (struct sg_column *)o;

		add_dep(c, o, o->parent);
		if (col->type && !builtin_type(col->type))
			frag_deps(c, o, SG_FRAG_TYPE, col->type);
		frag_deps(c, o, SG_FRAG_EXPR, col->default_expr);
		frag_deps(c, o, SG_FRAG_EXPR, col->generated);
		collation_dep(c, o, col->collation);
		break;
	}
	case SG_KIND_CONSTRAINT: {
		struct sg_constraint *k = (struct sg_constraint *)o;
		struct sg_table *t = (struct sg_table *)o->parent;

		add_dep(c, o, o->parent);
		if (k->type == 'f') {
			check_fkey(c, k);
		} else if (k->type == 'x') {
			key_deps(c, o, t, k->excl_keys, k->nexcl);
			column_deps(c, o, t, k->include, k->ninclude);
			frag_deps(c, o, SG_FRAG_EXPR, k->excl_where);
			/* gist on scalar types needs btree_gist, operators may be
			 * an extension's too */
			need_extensions(c, o);
		} else {
			column_deps(c, o, t, k->columns, k->ncolumns);
			column_deps(c, o, t, k->include, k->ninclude);
			frag_deps(c, o, SG_FRAG_EXPR, k->expression);
		}
		break;
	}
	case SG_KIND_INDEX: {
		struct sg_index *ix = (struct sg_index *)o;
		struct sg_table *t = (struct sg_table *)o->parent;

		add_dep(c, o, o->parent);
		key_deps(c, o, t, ix->keys, ix->nkeys);
		if (ix->method)
			need_extensions(c, o);  /* an access method may be one's */
		column_deps(c, o, t, ix->include, ix->ninclude);
		frag_deps(c, o, SG_FRAG_EXPR, ix->where);
		break;
	}
	case SG_KIND_POLICY: {
		struct sg_policy *p = (struct sg_policy *)o;

		add_dep(c, o, o->parent);
		policy_deps(c, o, p->using_expr);
		policy_deps(c, o, p->check_expr);
		break;
	}
	case SG_KIND_TS_PARSER:
	case SG_KIND_TS_TEMPLATE: {
		struct sg_ts_parser *p = (struct sg_ts_parser *)o;
		int n;
		const struct sg_opt_info *info = sg_ts_parser_opts(o->kind, &n);

		add_dep(c, o, lookup(c, SG_KIND_SCHEMA, o->schema, NULL, o->schema));
		check_opts(c, o, info, p->opts, p->opt_locs, n);
		break;
	}
	case SG_KIND_TS_DICTIONARY:
		add_dep(c, o, lookup(c, SG_KIND_SCHEMA, o->schema, NULL, o->schema));
		ts_base_dep(c, o, SG_KIND_TS_TEMPLATE,
			    &((struct sg_ts_dict *)o)->template_name);
		break;
	case SG_KIND_TS_CONFIG: {
		struct sg_ts_config *cf = (struct sg_ts_config *)o;

		add_dep(c, o, lookup(c, SG_KIND_SCHEMA, o->schema, NULL, o->schema));
		ts_base_dep(c, o, SG_KIND_TS_PARSER, &cf->parser);
		/* a dictionary of the models: unqualified, one of the
		 * configuration's schema (then qualified, as the scratch
		 * database's search_path may not find it) */
		for (size_t i = 0; i < cf->nmaps; i++)
			for (size_t j = 0; j < cf->maps[i].ndicts; j++) {
				const char *sch, *name;
				int np = sg_sql_split_name(c->t, cf->maps[i].dicts[j], &sch, &name);
				struct sg_object *d;

				if (np == 0)
					continue;
				d = lookup(c, SG_KIND_TS_DICTIONARY, np == 2 ? sch : o->schema,
					   NULL, name);
				if (!d)
					continue;
				add_dep(c, o, d);
				if (np == 1)
					cf->maps[i].dicts[j] = sg_qq(c->cat->arena, d->schema, d->name);
			}
		break;
	}
	case SG_KIND_STATISTICS: {
		struct sg_statistics *st = (struct sg_statistics *)o;

		add_dep(c, o, o->parent);
		if (st->schema) {
			/* in another schema of the models (the only ones read) */
			struct sg_object *sch = lookup(c, SG_KIND_SCHEMA, st->schema, NULL,
						       st->schema);

			if (sch)
				add_dep(c, o, sch);
			else
				sg_diag_error(c->d, st->schema_loc, "schema of %s: schema %s "
					      "is not defined in the models",
					      described(c, o), sg_qi(c->t, st->schema));
		}
		column_deps(c, o, (struct sg_table *)o->parent, st->columns, st->ncolumns);
		for (size_t i = 0; i < st->nexpressions; i++)
			frag_deps(c, o, SG_FRAG_EXPR, st->expressions[i]);
		break;
	}
	case SG_KIND_RULE: {
		struct sg_rule *r = (struct sg_rule *)o;

		add_dep(c, o, o->parent);
		policy_deps(c, o, r->where);
		for (size_t i = 0; i < r->nactions; i++)
			frag_deps(c, o, SG_FRAG_RULE_ACTION, r->actions[i]);
		break;
	}
	case SG_KIND_CAST:
		/* database-wide: the types and the function come first by
		 * kind order (pg_dump's); nothing else to check */
		break;
	case SG_KIND_EVENT_TRIGGER:
	case SG_KIND_PUBLICATION:
		/* database-wide, created after every other kind (a
		 * publication after the tables it publishes) */
		break;
	case SG_KIND__COUNT:
		SG_BUG("bad kind");
	}
}

int sg_catalog_check(struct sg_catalog *cat, struct sg_diags *d)
{
	struct check c = { .cat = cat, .d = d };
	size_t nobjs = cat->nobjs;

	c.t = sg_arena_new();
	c.n = nobjs;
	c.sorted = sg_alloc_array(c.t, nobjs ? nobjs : 1, sizeof(*c.sorted));
	for (size_t i = 0; i < nobjs; i++)
		c.sorted[i] = cat->objs[i];
	if (c.n > 1)
		qsort(c.sorted, c.n, sizeof(*c.sorted), ident_id_cmp);

	/*
	 * public keeps the comment every new database gives it unless a file
	 * says otherwise: being silent about public is not a change.
	 */
	for (size_t i = 0; i < nobjs; i++) {
		struct sg_object *o = cat->objs[i];

		if (o->kind == SG_KIND_SCHEMA && !o->comment &&
		    strcmp(o->name, "public") == 0)
			o->comment = "standard public schema";
	}
	check_duplicates(&c);
	check_namespace(&c, false, false);
	check_namespace(&c, true, false);
	check_namespace(&c, false, true);
	check_extensions(&c);
	/* the operator classes, for opclass_deps(): not a search of every
	 * object for every index key that names one */
	for (size_t i = 0; i < nobjs; i++)
		if (cat->objs[i]->kind == SG_KIND_OPCLASS)
			SG_VEC_PUSH(c.t, &c.opclasses, (struct sg_opclass *)cat->objs[i]);
	resolve_parents(&c);
	for (size_t i = 0; i < nobjs; i++)
		check_object(&c, cat->objs[i]);

	sg_catalog_finish(cat);
	sg_arena_free(c.t);
	return d->nerrors > 0 ? -1 : 0;
}
