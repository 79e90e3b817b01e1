// SPDX-License-Identifier: MIT
/*
 * table.c - a table of a model file and its children: columns (generated
 * ones too), primary key, unique constraints, foreign keys, checks,
 * exclusion constraints and indexes (triggers: function.c).  Its keys about
 * partitioning, inheritance and storage are read by partition.c.
 *
 * Checks that need only the table itself are made here, once the whole
 * table has been read (keys may come in any order): column names used by
 * keys and indexes, renames.  Then the constraints and indexes the model
 * left unnamed get a placeholder name shaped like the one PostgreSQL will
 * choose (obj.auto_name).  References to other tables are checked in
 * check.c, when every file has been read.
 */
#include <stdio.h>
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
#include "yaml-priv.h"

/* A column name used by a key or an index, checked when the table is read. */
struct colref {
	const char *name;
	struct sg_loc loc;
	const char *ctx;
};

struct tload {
	struct loader *l;
	struct sg_table *t;
	const char *tq;             /* the table name quoted for messages */
	const char *noun;           /* "table", or the kind of another relation */
	SG_VEC(struct colref) refs;
	SG_VEC(struct sg_object *) unnamed;
	SG_VEC(struct sg_loc) comment_locs; /* of unnamed objects, same order */
	bool foreign;               /* a foreign table: foreign_column_keys */
	bool child;                 /* has parents: a column may omit its type */
	bool partition;             /* its columns are its parent's */
};

/* The value of key in a mapping, or NULL. */
static const struct ynode *map_get(const struct ynode *map, const char *key)
{
	for (size_t i = 0; i + 1 < map->nkids; i += 2)
		if (map->kids[i]->type == YN_SCALAR &&
		    strcmp(map->kids[i]->str, key) == 0)
			return map->kids[i + 1];
	return NULL;
}

/*
 * Sorts the values of a mapping into vals[] by keys[] (NULL when absent),
 * reporting the keys that are not in keys[].
 */
void get_keys(struct loader *l, const struct ynode *map,
		     const char *const *keys, size_t nkeys,
		     const struct ynode **vals, const char *ctx)
{
	for (size_t j = 0; j < nkeys; j++)
		vals[j] = NULL;
	for (size_t i = 0; i + 1 < map->nkids; i += 2) {
		const struct ynode *k = map->kids[i];
		size_t j;

		if (!ykey_ok(l->d, l->t, k))
			continue;
		for (j = 0; j < nkeys; j++)
			if (strcmp(k->str, keys[j]) == 0)
				break;
		if (j == nkeys)
			yunknown_key(l->d, k, keys, nkeys, ctx);
		else
			vals[j] = map->kids[i + 1];
	}
}

static void set_comment(struct loader *l, struct sg_object *obj,
			const struct ynode *v)
{
	const char *s;

	if (v && yget_str(l->d, l->t, v, "comment", &s) && s && *s)
		obj->comment = sg_strdup(l->a, s);
}

static bool get_bool(struct loader *l, const struct ynode *v, const char *key,
		     bool *out)
{
	return v && yget_bool(l->d, l->t, v, key, out);
}

/* Reads a SQL fragment and checks it with PostgreSQL's parser. */
static const char *get_sql(struct loader *l, const struct ynode *v,
			   const char *key, enum sg_frag kind, const char *what,
			   struct sg_loc *loc)
{
	const char *s;

	if (!v || !yget_str(l->d, l->t, v, key, &s) || !s)
		return NULL;
	if (!(s = sg_sql_fragment(l->a, kind, s, v->vloc, what, l->d)))
		return NULL;
	if (loc)
		*loc = v->vloc;
	return s;
}

/* For the other loaders (yaml-priv.h). */
void yload_keys(struct loader *l, const struct ynode *map,
		const char *const *keys, size_t nkeys, const struct ynode **vals,
		const char *ctx)
{
	get_keys(l, map, keys, nkeys, vals, ctx);
}

const char *yload_sql(struct loader *l, const struct ynode *v, const char *key,
		      enum sg_frag kind, const char *what, struct sg_loc *loc)
{
	return get_sql(l, v, key, kind, what, loc);
}

/*
 * A list of column names: the items are checked as names, and (when
 * check_cols) remembered to be checked against the table's columns.
 */
static bool name_list(struct tload *tl, const struct ynode *n, const char *ctx,
		      bool check_cols, bool nodups, const char ***out,
		      size_t *nout)
{
	struct loader *l = tl->l;
	const char **v;
	size_t k = 0;
	bool good = true;

	*out = NULL;
	*nout = 0;
	if (ynode_is_null(n))
		return true;
	if (n->type != YN_SEQ) {
		struct sg_diag *dg = yexpect(l->d, l->t, n, "a list of column names");

		if (n->type == YN_SCALAR)
			sg_diag_hint(dg, l->d, "write [%s]", n->str);
		return false;
	}
	v = sg_alloc_array(l->a, n->nkids ? n->nkids : 1, sizeof(*v));
	for (size_t i = 0; i < n->nkids; i++) {
		const struct ynode *it = n->kids[i];
		bool dup = false;

		if (!yname_ok(l->d, l->t, it, "column name")) {
			good = false;
			continue;
		}
		for (size_t j = 0; nodups && j < k && !dup; j++)
			dup = strcmp(v[j], it->str) == 0;
		if (dup) {
			sg_diag_error(l->d, it->loc, "column %s appears twice in %s",
				      yq(l->t, it->str), ctx);
			good = false;
			continue;
		}
		v[k++] = sg_strdup(l->a, it->str);
		if (check_cols) {
			struct colref r = { v[k - 1], it->loc, ctx };

			SG_VEC_PUSH(l->t, &tl->refs, r);
		}
	}
	*out = v;
	*nout = k;
	return good;
}

/* "what "name" of table "t"", or "what of table "t"" when unnamed. */
static const char *ctx_of(struct tload *tl, const char *what,
			  const struct ynode *name)
{
	if (name && name->type == YN_SCALAR && !ynode_is_null(name))
		return sg_printf(tl->l->t, "%s %s of %s %s", what,
				 yq(tl->l->t, name->str), tl->noun, tl->tq);
	return sg_printf(tl->l->t, "%s of %s %s", what, tl->noun, tl->tq);
}

/*
 * The name of a constraint or index, NULL when the model gives none (the
 * object then gets a placeholder).  *bad is set when a name is given but
 * unusable.
 */
static const char *child_name(struct tload *tl, const struct ynode *v,
			      const char *what, bool *bad)
{
	*bad = false;
	if (ynode_is_null(v))
		return NULL;
	if (!yname_ok(tl->l->d, tl->l->t, v, what)) {
		*bad = true;
		return NULL;
	}
	return v->str;
}

static void *new_child(struct tload *tl, enum sg_kind kind, size_t size,
		       const char *name, struct sg_loc loc,
		       const struct ynode *comment)
{
	struct sg_object *o = sg_catalog_add(tl->l->cat, kind, size, NULL,
					     name ? name : "", &tl->t->obj);

	o->loc = loc;
	set_comment(tl->l, o, comment);
	if (!name) {
		struct sg_loc cl = comment && o->comment ? comment->loc
							 : (struct sg_loc){ 0 };

		o->auto_name = true;
		SG_VEC_PUSH(tl->l->t, &tl->unnamed, o);
		SG_VEC_PUSH(tl->l->t, &tl->comment_locs, cl);
	}
	return o;
}

/* ---- columns ---- */

static const char *const column_keys[] = {
	"type", "nullable", "default", "identity", "collation", "comment",
	"renamed_from", "generated", "grants",
};

/* a foreign table's column: no identity nor generation; its OPTIONS */
static const char *const foreign_column_keys[] = {
	"type", "nullable", "default", "collation", "comment", "renamed_from",
	"grants", "options",
};

static const char *const identity_keys[] = {
	"generated", "start", "increment", "min", "max", "cache", "cycle",
};

static bool identity_kind(struct loader *l, const struct ynode *v,
			  const char *key, char *out)
{
	static const char *const kinds[] = { "always", "by default" };
	struct sg_diag *dg;
	const char *s;

	if (v->type == YN_SCALAR && !ynode_is_null(v)) {
		if (strcmp(v->str, "always") == 0) {
			*out = 'a';
			return true;
		}
		if (strcmp(v->str, "by default") == 0) {
			*out = 'd';
			return true;
		}
	}
	dg = sg_diag_error(l->d, v->loc, "\"%s\" must be always or by default, "
			   "found %s", key, ynode_found(l->t, v));
	if (v->type == YN_SCALAR && (s = sg_suggest(v->str, kinds, 2)) != NULL)
		sg_diag_hint(dg, l->d, "did you mean \"%s\"?", s);
	return false;
}

/* The type whose range bounds an identity's sequence, when it is one. */
static const char *identity_type(const char *coltype)
{
	static const struct {
		const char *name, *type;
	} types[] = {
		{ "smallint", "smallint" }, { "int2", "smallint" },
		{ "integer", "integer" }, { "int", "integer" }, { "int4", "integer" },
		{ "bigint", "bigint" }, { "int8", "bigint" },
	};

	for (size_t i = 0; coltype && i < ARRAY_SIZE(types); i++)
		if (strcmp(coltype, types[i].name) == 0)
			return types[i].type;
	return "bigint";
}

static void load_identity(struct tload *tl, struct sg_column *c,
			  const struct ynode *v)
{
	struct loader *l = tl->l;
	struct seqlocs locs = { 0 };
	const struct ynode *gen = NULL;
	const char *ctx;

	if (v->type == YN_SCALAR) {
		identity_kind(l, v, "identity", &c->identity);
		return;
	}
	if (v->type != YN_MAP) {
		yexpect(l->d, l->t, v, "always, by default or a mapping");
		return;
	}
	ctx = sg_printf(l->t, "identity of column %s", yq(l->t, c->obj.name));
	for (size_t i = 0; i + 1 < v->nkids; i += 2) {
		const struct ynode *k = v->kids[i], *val = v->kids[i + 1];

		if (!ykey_ok(l->d, l->t, k))
			continue;
		if (strcmp(k->str, "generated") == 0) {
			gen = val;
		} else if (strcmp(k->str, "type") == 0) {
			struct sg_diag *dg = sg_diag_error(
				l->d, k->loc, "unknown key \"type\" in %s", ctx);

			sg_diag_hint(dg, l->d, "the sequence of an identity column "
				     "has the column's type");
		} else if (!load_seqopt(l, k, val, &c->identity_opts, &locs)) {
			seqopt_unknown_key(l, k, identity_keys,
					   ARRAY_SIZE(identity_keys), ctx);
		}
	}
	if (!gen) {
		sg_diag_error(l->d, v->loc, "missing key \"generated\" in %s", ctx);
		return;
	}
	if (!identity_kind(l, gen, "generated", &c->identity))
		return;
	check_seqopts(l, &c->identity_opts, identity_type(c->type), &locs);
}

static void load_column(struct tload *tl, const struct ynode *key,
			const struct ynode *val)
{
	struct loader *l = tl->l;
	const struct ynode *v[ARRAY_SIZE(column_keys)] = { 0 };
	const struct ynode *fv[ARRAY_SIZE(foreign_column_keys)] = { 0 };
	struct sg_column *c;
	const char *ctx, *what, *kq;
	bool nullable = true;

	if (!yname_ok(l->d, l->t, key, "column name"))
		return;
	c = SG_NEW(l->cat, sg_column, SG_KIND_COLUMN, NULL, key->str, &tl->t->obj);
	c->obj.loc = key->loc;
	c->attnum = (int)tl->t->ncolumns;
	kq = yq(l->t, key->str);    /* the name quoted once for the messages */
	ctx = sg_printf(l->t, "column %s", kq);

	if (val->type == YN_SCALAR && !ynode_is_null(val)) {
		v[0] = val;     /* the shorthand `name: type` */
	} else if (val->type == YN_MAP && tl->foreign) {
		get_keys(l, val, foreign_column_keys, ARRAY_SIZE(foreign_column_keys),
			 fv, ctx);
		/* as column_keys[] has them */
		v[0] = fv[0];
		v[1] = fv[1];
		v[2] = fv[2];
		v[4] = fv[3];
		v[5] = fv[4];
		v[6] = fv[5];
		v[8] = fv[6];
		yload_fdw_options(l, fv[7], sg_printf(l->t, "%s of %s %s", ctx,
						     tl->noun, tl->tq),
				  &c->options, &c->noptions);
	} else if (val->type == YN_MAP) {
		get_keys(l, val, column_keys, ARRAY_SIZE(column_keys), v, ctx);
	} else if (ynode_is_null(val)) {
		struct sg_diag *dg = sg_diag_error(l->d, key->loc,
						   "column %s has no type",
						   yq(l->t, key->str));

		sg_diag_hint(dg, l->d, "write \"%s: text\" or \"%s: {type: text, "
			     "...}\"", key->str, key->str);
		return;
	} else {
		yexpect(l->d, l->t, val, "a type or a mapping");
		return;
	}

	what = sg_printf(l->t, "type of column %s", kq);
	if (v[0] && tl->partition) {
		struct sg_diag *dg = sg_diag_error(
			l->d, v[0]->loc, "column %s of partition %s has a type",
			yq(l->t, key->str), tl->tq);

		sg_diag_hint(dg, l->d, "a partition's columns are its parent's; "
			     "remove \"type\" (nullable, default and comment may "
			     "be set)");
	} else if (!v[0] && tl->child) {
		c->inherited = true;    /* settings of a parent's column */
	} else if (!v[0]) {
		sg_diag_error(l->d, key->loc, "missing key \"type\" in %s", ctx);
	} else {
		c->type = get_sql(l, v[0], "type", SG_FRAG_TYPE, what, &c->type_loc);
	}
	if (v[1] && get_bool(l, v[1], "nullable", &nullable))
		c->not_null = !nullable;
	if (v[2]) {
		what = sg_printf(l->t, "default of column %s", kq);
		c->default_expr = get_sql(l, v[2], "default", SG_FRAG_EXPR, what,
					  &c->default_loc);
	}
	if (v[3] && !ynode_is_null(v[3])) {
		load_identity(tl, c, v[3]);
		if (c->identity) {
			/* PostgreSQL makes identity columns NOT NULL */
			if (v[1] && nullable) {
				sg_diag_error(l->d, v[1]->loc, "an identity column "
					      "cannot be nullable");
			}
			c->not_null = true;
			if (v[2] && !ynode_is_null(v[2])) {
				struct sg_diag *dg = sg_diag_error(
					l->d, v[3]->loc, "column %s has both an "
					"identity and a default", yq(l->t, key->str));

				sg_diag_hint(dg, l->d, "an identity column takes its "
					     "values from its sequence: remove "
					     "\"default\"");
			}
		}
	}
	if (v[4] && !ynode_is_null(v[4])) {
		c->collation = load_qualname(l, v[4], "collation");
		c->collation_loc = v[4]->vloc;
	}
	set_comment(l, &c->obj, v[5]);
	if (v[7] && !ynode_is_null(v[7])) {
		what = sg_printf(l->t, "generation expression of column %s", kq);
		c->generated = get_sql(l, v[7], "generated", SG_FRAG_EXPR, what,
				       &c->generated_loc);
		if (v[2] && !ynode_is_null(v[2])) {
			struct sg_diag *dg = sg_diag_error(
				l->d, v[7]->loc, "column %s has both a generation "
				"expression and a default", yq(l->t, key->str));

			sg_diag_hint(dg, l->d, "a generated column computes its values: "
				     "remove \"default\"");
		}
		if (c->identity)
			sg_diag_error(l->d, v[7]->loc, "column %s cannot be both "
				      "generated and an identity", yq(l->t, key->str));
	}
	if (v[6] && !ynode_is_null(v[6]) &&
	    yname_ok(l->d, l->t, v[6], "column name")) {
		if (strcmp(v[6]->str, key->str) == 0) {
			struct sg_diag *dg = sg_diag_error(
				l->d, v[6]->loc, "column %s is renamed from itself",
				yq(l->t, key->str));

			sg_diag_hint(dg, l->d, "remove \"renamed_from\" once the "
				     "rename has been applied");
		} else {
			c->obj.renamed_from = sg_strdup(l->a, v[6]->str);
			c->obj.renamed_loc = v[6]->vloc;
		}
	}
	load_grants(l, &c->obj, v[8]);
}

/* ---- primary key and unique constraints ---- */

static const char *const pkey_keys[] = {
	"name", "columns", "include", "deferrable", "initially_deferred", "comment",
	"attached_to", "only",
};

static const char *const unique_keys[] = {
	"name", "columns", "include", "nulls_distinct", "deferrable",
	"initially_deferred", "comment", "attached_to", "only",
};

/*
 * attached_to of a partition's constraint or index: the parent table's
 * constraint or index it is attached to (checked in check.c).
 */
static const char *load_attached(struct tload *tl, const struct ynode *v)
{
	struct loader *l = tl->l;

	if (!v || ynode_is_null(v))
		return NULL;
	if (!yname_ok(l->d, l->t, v, "index name"))
		return NULL;
	if (!tl->partition) {
		struct sg_diag *dg = sg_diag_error(
			l->d, v->loc, "\"attached_to\" on table %s, which is not "
			"a partition", tl->tq);

		sg_diag_hint(dg, l->d, "only a partition's indexes and "
			     "constraints are attached to its parent's");
		return NULL;
	}
	return sg_strdup(l->a, v->str);
}

/*
 * `only: true`: an index or key of a partitioned table made for the table
 * only, which not every partition has a copy of.
 */
static bool load_only(struct tload *tl, const struct ynode *v)
{
	bool only = false;

	if (!get_bool(tl->l, v, "only", &only) || !only)
		return false;
	if (!tl->t->partition_key) {
		struct sg_diag *dg = sg_diag_error(
			tl->l->d, v->loc, "\"only\" on table %s, which is not "
			"partitioned", tl->tq);

		sg_diag_hint(dg, tl->l->d, "remove it: every index of a table "
			     "that is not partitioned is the table's only");
		return false;
	}
	return true;
}

/* The name PostgreSQL gives a constraint it clones onto the partition. */
static const char *clone_name(struct tload *tl, const struct sg_constraint *k)
{
	struct sg_arena *a = tl->l->t;
	const char **names;
	size_t n = 0;

	if (k->type == 'p')
		return sg_pg_object_name(tl->l->a, tl->t->obj.name, NULL, "pkey");
	names = sg_alloc_array(a, k->ncolumns + k->ninclude + 1, sizeof(*names));
	for (size_t i = 0; i < k->ncolumns; i++)
		names[n++] = k->columns[i];
	for (size_t i = 0; i < k->ninclude; i++)
		names[n++] = k->include[i];
	return sg_pg_object_name(tl->l->a, tl->t->obj.name,
			      sg_pg_name_addition(a, names, n), "key");
}

/* deferrable / initially_deferred, as PostgreSQL reads them: INITIALLY
 * DEFERRED implies DEFERRABLE, but not with an explicit NOT DEFERRABLE. */
/*
 * A new child named by name_node (NULL: PostgreSQL names it), declared at
 * its name or else at loc; NULL after a diagnostic about the name.
 */
static void *new_named_child(struct tload *tl, enum sg_kind kind, size_t size,
			     struct sg_loc loc, const struct ynode *name_node,
			     const char *what, const struct ynode *comment)
{
	const char *name;
	bool bad;

	name = child_name(tl, name_node, what, &bad);
	if (bad)
		return NULL;
	return new_child(tl, kind, size, name, name ? name_node->loc : loc, comment);
}

static void load_deferral(struct loader *l, struct sg_constraint *k,
			  const struct ynode *deferrable,
			  const struct ynode *deferred)
{
	bool dfr = false, init = false;
	bool have_dfr = get_bool(l, deferrable, "deferrable", &dfr);

	if (get_bool(l, deferred, "initially_deferred", &init) && init) {
		if (have_dfr && !dfr)
			sg_diag_error(l->d, deferred->loc, "a constraint that is "
				      "initially deferred must be deferrable");
		dfr = true;
	}
	k->deferrable = dfr;
	k->deferred = init;
}

static void load_pkey(struct tload *tl, const struct ynode *val)
{
	struct loader *l = tl->l;
	const struct ynode *v[ARRAY_SIZE(pkey_keys)] = { 0 };
	struct sg_constraint *k;
	const char *ctx;
	struct sg_loc loc = val->loc;

	if (ynode_is_null(val))
		return;
	if (val->type == YN_SEQ) {
		v[1] = val;
	} else if (val->type == YN_MAP) {
		v[0] = map_get(val, "name");
		get_keys(l, val, pkey_keys, ARRAY_SIZE(pkey_keys), v,
			 ctx_of(tl, "primary key", v[0]));
	} else {
		struct sg_diag *dg = yexpect(l->d, l->t, val, "a list of column "
					     "names or a mapping");

		if (val->type == YN_SCALAR)
			sg_diag_hint(dg, l->d, "write [%s]", val->str);
		return;
	}
	ctx = ctx_of(tl, "primary key", v[0]);
	k = new_named_child(tl, SG_KIND_CONSTRAINT, sizeof(*k), loc,
				   v[0], "constraint name", v[5]);
	if (!k)
		return;
	k->type = 'p';
	if (!v[1]) {
		sg_diag_error(l->d, val->loc, "missing key \"columns\" in %s", ctx);
	} else if (name_list(tl, v[1], ctx, true, true, &k->columns, &k->ncolumns) &&
		   k->ncolumns == 0) {
		sg_diag_error(l->d, v[1]->loc, "%s has no columns", ctx);
	}
	name_list(tl, v[2], ctx, true, true, &k->include, &k->ninclude);
	load_deferral(l, k, v[3], v[4]);
	/* a partition's primary key is attached to its parent's, when the
	 * parent has one (check.c); attached_to may say so */
	k->attached_to = load_attached(tl, v[6]);
	if (tl->partition)
		k->default_name = clone_name(tl, k);
	k->inherited = k->attached_to != NULL;
	k->only = load_only(tl, v[7]);
}

static void load_unique(struct tload *tl, const struct ynode *item)
{
	struct loader *l = tl->l;
	const struct ynode *v[ARRAY_SIZE(unique_keys)] = { 0 };
	struct sg_constraint *k;
	const char *ctx;
	struct sg_loc loc = item->loc;
	bool distinct = true;

	if (item->type == YN_SEQ) {
		v[1] = item;    /* the shorthand: just the columns */
	} else if (item->type == YN_MAP) {
		v[0] = map_get(item, "name");
		get_keys(l, item, unique_keys, ARRAY_SIZE(unique_keys), v,
			 ctx_of(tl, "unique constraint", v[0]));
	} else {
		yexpect(l->d, l->t, item, "a mapping or a list of column names");
		return;
	}
	ctx = ctx_of(tl, "unique constraint", v[0]);
	k = new_named_child(tl, SG_KIND_CONSTRAINT, sizeof(*k), loc,
				   v[0], "constraint name", v[6]);
	if (!k)
		return;
	k->type = 'u';
	if (!v[1])
		sg_diag_error(l->d, item->loc, "missing key \"columns\" in %s", ctx);
	else if (name_list(tl, v[1], ctx, true, true, &k->columns, &k->ncolumns) &&
		 k->ncolumns == 0)
		sg_diag_error(l->d, v[1]->loc, "%s has no columns", ctx);
	name_list(tl, v[2], ctx, true, true, &k->include, &k->ninclude);
	if (get_bool(l, v[3], "nulls_distinct", &distinct))
		k->nulls_not_distinct = !distinct;
	load_deferral(l, k, v[4], v[5]);
	k->attached_to = load_attached(tl, v[7]);
	if (k->attached_to) {
		k->inherited = true;
		k->default_name = clone_name(tl, k);
	}
	k->only = load_only(tl, v[8]);
}

/* ---- foreign keys ---- */

static const char *const fkey_keys[] = {
	"name", "columns", "references", "on_delete", "on_update", "match",
	"deferrable", "initially_deferred", "not_valid", "comment",
};

static const struct {
	const char *word;
	char action;
} fk_actions[] = {
	{ "no action", SG_FK_NO_ACTION }, { "restrict", SG_FK_RESTRICT },
	{ "cascade", SG_FK_CASCADE }, { "set null", SG_FK_SET_NULL },
	{ "set default", SG_FK_SET_DEFAULT },
};

static void fk_action(struct loader *l, const struct ynode *v, const char *key,
		      char *out)
{
	static const char *const words[] = {
		"no action", "restrict", "cascade", "set null", "set default",
	};
	struct sg_diag *dg;
	const char *s;

	*out = SG_FK_NO_ACTION;
	if (!v || ynode_is_null(v))
		return;
	if (v->type == YN_SCALAR)
		for (size_t i = 0; i < ARRAY_SIZE(fk_actions); i++)
			if (strcmp(v->str, fk_actions[i].word) == 0) {
				*out = fk_actions[i].action;
				return;
			}
	dg = sg_diag_error(l->d, v->loc, "\"%s\" must be no action, restrict, "
			   "cascade, set null or set default, found %s", key,
			   ynode_found(l->t, v));
	if (v->type != YN_SCALAR)
		return;
	s = sg_suggest(v->str, words, ARRAY_SIZE(words));
	for (size_t i = 0; !s && i < ARRAY_SIZE(words); i++)
		if (strcasecmp(v->str, words[i]) == 0)
			s = words[i];
	if (s)
		sg_diag_hint(dg, l->d, "did you mean \"%s\"?", s);
}

static bool trim_name(struct loader *l, const char *s, size_t len,
		      const char **out)
{
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0 || len > SG_NAME_MAX || memchr(s, '"', len))
		return false;
	*out = sg_strndup(l->a, s, len);
	return true;
}

/*
 * "[schema.]table(col, ...)" or "[schema.]table": names are literal, so
 * one that holds . ( ) , or " needs the mapping form.
 */
static bool parse_references(struct loader *l, struct sg_constraint *k,
			     const char *s)
{
	const char *paren = strchr(s, '('), *end = s + strlen(s);
	const char *dot, *tend = paren ? paren : end;
	SG_VEC(const char *) cols = { 0 };

	dot = memchr(s, '.', (size_t)(tend - s));
	if (memchr(s, ')', (size_t)(tend - s)) || memchr(s, ',', (size_t)(tend - s)))
		return false;
	if (dot) {
		if (memchr(dot + 1, '.', (size_t)(tend - dot - 1)))
			return false;
		if (!trim_name(l, s, (size_t)(dot - s), &k->ref_schema) ||
		    !trim_name(l, dot + 1, (size_t)(tend - dot - 1), &k->ref_table))
			return false;
	} else if (!trim_name(l, s, (size_t)(tend - s), &k->ref_table)) {
		return false;
	}
	if (!paren)
		return true;
	while (end > paren && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end[-1] != ')' || end - 1 == paren)
		return false;
	for (const char *p = paren + 1; p < end;) {
		const char *q = p;
		const char *name;

		while (q < end - 1 && *q != ',')
			q++;
		if (memchr(p, '(', (size_t)(q - p)) || memchr(p, ')', (size_t)(q - p)) ||
		    !trim_name(l, p, (size_t)(q - p), &name))
			return false;
		for (size_t i = 0; i < cols.n; i++)
			if (strcmp(cols.v[i], name) == 0)
				return false;
		SG_VEC_PUSH(l->a, &cols, name);
		p = q + 1;
	}
	k->ref_columns = cols.v;
	k->nref_columns = cols.n;
	return true;
}

static void load_references(struct tload *tl, struct sg_constraint *k,
			    const struct ynode *v, const char *ctx)
{
	static const char *const keys[] = { "schema", "table", "columns" };
	struct loader *l = tl->l;
	const struct ynode *vals[3];

	if (v->type == YN_SCALAR && !ynode_is_null(v)) {
		struct sg_diag *dg;

		k->ref_loc = v->vloc;
		if (strlen(v->str) == v->len && parse_references(l, k, v->str))
			return;
		k->ref_schema = k->ref_table = NULL;
		dg = sg_diag_error(l->d, v->loc, "\"references\" must be "
				   "table(column, ...) or schema.table(column, ...), "
				   "found %s", ynode_found(l->t, v));
		sg_diag_hint(dg, l->d, "names that contain . ( ) , \" or spaces "
			     "at either end need the mapping form {schema:, "
			     "table:, columns: [...]}");
		return;
	}
	if (v->type != YN_MAP) {
		yexpect(l->d, l->t, v, "table(column, ...) or a mapping");
		return;
	}
	k->ref_loc = v->loc;
	get_keys(l, v, keys, ARRAY_SIZE(keys), vals,
		 sg_printf(l->t, "\"references\" of %s", ctx));
	if (vals[0] && !ynode_is_null(vals[0]) &&
	    yname_ok(l->d, l->t, vals[0], "schema name"))
		k->ref_schema = sg_strdup(l->a, vals[0]->str);
	if (!vals[1])
		sg_diag_error(l->d, v->loc, "missing key \"table\" in \"references\"");
	else if (yname_ok(l->d, l->t, vals[1], "table name"))
		k->ref_table = sg_strdup(l->a, vals[1]->str);
	name_list(tl, vals[2], "\"references\"", false, true, &k->ref_columns,
		  &k->nref_columns);
}

static void load_fkey(struct tload *tl, const struct ynode *item)
{
	static const char *const matches[] = { "simple", "full" };
	struct loader *l = tl->l;
	const struct ynode *v[ARRAY_SIZE(fkey_keys)] = { 0 };
	struct sg_constraint *k;
	const char *ctx;
	struct sg_loc loc = item->loc;

	if (item->type != YN_MAP) {
		yexpect(l->d, l->t, item, "a mapping");
		return;
	}
	v[0] = map_get(item, "name");
	ctx = ctx_of(tl, "foreign key", v[0]);
	get_keys(l, item, fkey_keys, ARRAY_SIZE(fkey_keys), v, ctx);
	k = new_named_child(tl, SG_KIND_CONSTRAINT, sizeof(*k), loc,
				   v[0], "constraint name", v[9]);
	if (!k)
		return;
	k->type = 'f';
	k->match = 's';
	if (!v[1])
		sg_diag_error(l->d, item->loc, "missing key \"columns\" in %s", ctx);
	else if (name_list(tl, v[1], ctx, true, true, &k->columns, &k->ncolumns) &&
		 k->ncolumns == 0)
		sg_diag_error(l->d, v[1]->loc, "%s has no columns", ctx);
	if (!v[2] || ynode_is_null(v[2]))
		sg_diag_error(l->d, item->loc, "missing key \"references\" in %s", ctx);
	else
		load_references(tl, k, v[2], ctx);
	if (k->ref_table && !k->ref_schema)
		k->ref_schema = l->schema;
	if (k->ref_table && k->nref_columns && k->ncolumns &&
	    k->nref_columns != k->ncolumns)
		sg_diag_error(l->d, v[2]->loc, "%s has %zu column%s but references "
			      "%zu", ctx, k->ncolumns, k->ncolumns == 1 ? "" : "s",
			      k->nref_columns);
	fk_action(l, v[3], "on_delete", &k->on_delete);
	fk_action(l, v[4], "on_update", &k->on_update);
	if (v[5] && !ynode_is_null(v[5])) {
		if (v[5]->type == YN_SCALAR && strcmp(v[5]->str, "full") == 0) {
			k->match = 'f';
		} else if (v[5]->type != YN_SCALAR || strcmp(v[5]->str, "simple") != 0) {
			struct sg_diag *dg = sg_diag_error(
				l->d, v[5]->loc, "\"match\" must be simple or full, "
				"found %s", ynode_found(l->t, v[5]));
			const char *s = v[5]->type == YN_SCALAR
				? sg_suggest(v[5]->str, matches, 2) : NULL;

			if (s)
				sg_diag_hint(dg, l->d, "did you mean \"%s\"?", s);
		}
	}
	load_deferral(l, k, v[6], v[7]);
	get_bool(l, v[8], "not_valid", &k->not_valid);
}

/* ---- checks ---- */

static const char *const check_keys[] = {
	"name", "expression", "no_inherit", "not_valid", "comment",
};

static void load_check(struct tload *tl, const struct ynode *item)
{
	struct loader *l = tl->l;
	const struct ynode *v[ARRAY_SIZE(check_keys)] = { 0 };
	struct sg_constraint *k;
	const char *ctx;
	struct sg_loc loc = item->loc;

	if (item->type == YN_SCALAR && !ynode_is_null(item)) {
		v[1] = item;    /* the shorthand: just the expression */
	} else if (item->type == YN_MAP) {
		v[0] = map_get(item, "name");
		get_keys(l, item, check_keys, ARRAY_SIZE(check_keys), v,
			 ctx_of(tl, "check constraint", v[0]));
	} else {
		yexpect(l->d, l->t, item, "a mapping or an expression");
		return;
	}
	ctx = ctx_of(tl, "check constraint", v[0]);
	k = new_named_child(tl, SG_KIND_CONSTRAINT, sizeof(*k), loc,
				   v[0], "constraint name", v[4]);
	if (!k)
		return;
	k->type = 'c';
	if (!v[1] || ynode_is_null(v[1]))
		sg_diag_error(l->d, item->loc, "missing key \"expression\" in %s", ctx);
	else
		k->expression = get_sql(l, v[1], "expression", SG_FRAG_EXPR,
					sg_printf(l->t, "expression of %s", ctx),
					&k->expr_loc);
	get_bool(l, v[2], "no_inherit", &k->no_inherit);
	get_bool(l, v[3], "not_valid", &k->not_valid);
}

/* ---- exclusion constraints ---- */

static const char *const exclusion_keys[] = {
	"name", "using", "elements", "include", "where", "deferrable",
	"initially_deferred", "comment",
};

static bool index_key(struct tload *tl, const struct ynode *it, const char *ctx,
		      struct sg_index_key *key, const struct ynode **op);

static void load_exclusion(struct tload *tl, const struct ynode *item)
{
	struct loader *l = tl->l;
	const struct ynode *v[ARRAY_SIZE(exclusion_keys)] = { 0 };
	SG_VEC(struct sg_index_key) keys = { 0 };
	SG_VEC(const char *) ops = { 0 };
	SG_VEC(struct sg_loc) oplocs = { 0 };
	struct sg_constraint *k;
	const char *ctx;
	struct sg_loc loc = item->loc;

	if (item->type != YN_MAP) {
		yexpect(l->d, l->t, item, "a mapping");
		return;
	}
	v[0] = map_get(item, "name");
	ctx = ctx_of(tl, "exclusion constraint", v[0]);
	get_keys(l, item, exclusion_keys, ARRAY_SIZE(exclusion_keys), v, ctx);
	k = new_named_child(tl, SG_KIND_CONSTRAINT, sizeof(*k), loc,
				   v[0], "constraint name", v[7]);
	if (!k)
		return;
	k->type = 'x';
	if (v[1] && !ynode_is_null(v[1]) &&
	    yname_ok(l->d, l->t, v[1], "index method") &&
	    strcmp(v[1]->str, "gist") != 0)
		k->excl_method = sg_strdup(l->a, v[1]->str);
	if (!v[2] || ynode_is_null(v[2])) {
		sg_diag_error(l->d, item->loc, "missing key \"elements\" in %s", ctx);
	} else if (v[2]->type != YN_SEQ) {
		yexpect(l->d, l->t, v[2], "a list of elements {column: or "
			"expression:, operator:}");
	} else if (v[2]->nkids == 0) {
		sg_diag_error(l->d, v[2]->loc, "%s has no elements", ctx);
	} else {
		for (size_t i = 0; i < v[2]->nkids; i++) {
			struct sg_index_key key;
			const struct ynode *op = NULL;
			const char *s;

			if (!index_key(tl, v[2]->kids[i], ctx, &key, &op))
				continue;
			if (!yget_str(l->d, l->t, op, "operator", &s) || !s)
				continue;
			if (strlen(s) != op->len) {
				sg_diag_error(l->d, op->loc, "\"operator\" must be an "
					      "operator such as = or &&, found %s",
					      ynode_found(l->t, op));
				continue;
			}
			/* embedded after WITH as it is: parsed as exactly an
			 * operator name (no comment, no operand, nothing else) */
			s = sg_sql_fragment(l->a, SG_FRAG_OPERATOR, s, op->vloc,
					    sg_printf(l->t, "\"operator\" of %s", ctx),
					    l->d);
			if (!s)
				continue;
			SG_VEC_PUSH(l->a, &keys, key);
			SG_VEC_PUSH(l->a, &ops, s);
			SG_VEC_PUSH(l->a, &oplocs, op->vloc);
		}
	}
	k->excl_keys = keys.v;
	k->excl_ops = ops.v;
	k->excl_op_locs = oplocs.v;
	k->nexcl = keys.n;
	name_list(tl, v[3], ctx, true, true, &k->include, &k->ninclude);
	if (v[4])
		k->excl_where = get_sql(l, v[4], "where", SG_FRAG_EXPR,
					sg_printf(l->t, "\"where\" of %s", ctx),
					&k->excl_where_loc);
	load_deferral(l, k, v[5], v[6]);
}

/* ---- indexes ---- */

static const char *const index_keys[] = {
	"name", "unique", "columns", "expressions", "method", "include", "where",
	"nulls_distinct", "comment", "with", "attached_to", "only",
};

static const char *const key_keys[] = {
	"column", "expression", "order", "nulls", "opclass", "collation",
	"operator",
};

/*
 * An index key, or (op != NULL) an element of an exclusion constraint,
 * which also has an operator and no shorthand.
 */
static bool index_key(struct tload *tl, const struct ynode *it, const char *ctx,
		      struct sg_index_key *key, const struct ynode **op)
{
	struct loader *l = tl->l;
	const struct ynode *v[ARRAY_SIZE(key_keys)];
	size_t nkeys = ARRAY_SIZE(key_keys) - (op ? 0 : 1);

	memset(key, 0, sizeof(*key));
	if (op && it->type != YN_MAP) {
		struct sg_diag *dg = yexpect(l->d, l->t, it, "a mapping {column: "
					     "or expression:, operator:}");

		if (it->type == YN_SCALAR)
			sg_diag_hint(dg, l->d, "write {column: %s, operator: ...}",
				     it->str);
		return false;
	}
	if (it->type == YN_SCALAR) {
		struct colref r;

		if (!yname_ok(l->d, l->t, it, "column name"))
			return false;
		key->column = sg_strdup(l->a, it->str);
		key->loc = it->vloc;
		r = (struct colref){ key->column, it->loc, ctx };
		SG_VEC_PUSH(l->t, &tl->refs, r);
		return true;
	}
	if (it->type != YN_MAP) {
		yexpect(l->d, l->t, it, "a column name or a mapping");
		return false;
	}
	v[6] = NULL;
	get_keys(l, it, key_keys, nkeys, v,
		 sg_printf(l->t, op ? "an element of %s" : "a key of %s", ctx));
	if (!!v[0] == !!v[1]) {
		sg_diag_error(l->d, it->loc, "an %s needs either \"column\" "
			      "or \"expression\"%s", op ? "element" : "index key",
			      v[0] ? ", not both" : "");
		return false;
	}
	if (op) {
		*op = v[6];
		if (!v[6] || ynode_is_null(v[6])) {
			sg_diag_error(l->d, it->loc, "missing key \"operator\" in an "
				      "element of %s", ctx);
			return false;
		}
	}
	if (v[0]) {
		struct colref r;

		if (!yname_ok(l->d, l->t, v[0], "column name"))
			return false;
		key->column = sg_strdup(l->a, v[0]->str);
		key->loc = v[0]->vloc;
		r = (struct colref){ key->column, v[0]->loc, ctx };
		SG_VEC_PUSH(l->t, &tl->refs, r);
	} else {
		key->expression = get_sql(l, v[1], "expression", SG_FRAG_EXPR,
					  sg_printf(l->t, "expression of %s", ctx),
					  &key->loc);
		if (!key->expression)
			return false;
	}
	if (v[2] && !ynode_is_null(v[2])) {
		if (v[2]->type == YN_SCALAR && strcmp(v[2]->str, "desc") == 0)
			key->desc = true;
		else if (v[2]->type != YN_SCALAR || strcmp(v[2]->str, "asc") != 0)
			sg_diag_error(l->d, v[2]->loc, "\"order\" must be asc or "
				      "desc, found %s", ynode_found(l->t, v[2]));
	}
	if (v[3] && !ynode_is_null(v[3])) {
		if (v[3]->type == YN_SCALAR && strcmp(v[3]->str, "first") == 0)
			key->nulls = 'f';
		else if (v[3]->type == YN_SCALAR && strcmp(v[3]->str, "last") == 0)
			key->nulls = 'l';
		else
			sg_diag_error(l->d, v[3]->loc, "\"nulls\" must be first or "
				      "last, found %s", ynode_found(l->t, v[3]));
	}
	if (v[4])
		key->opclass = load_qualname(l, v[4], "opclass");
	if (v[5])
		key->collation = load_qualname(l, v[5], "collation");
	return true;
}

static void load_index(struct tload *tl, const struct ynode *item)
{
	struct loader *l = tl->l;
	const struct ynode *v[ARRAY_SIZE(index_keys)] = { 0 };
	SG_VEC(struct sg_index_key) keys = { 0 };
	struct sg_index *ix;
	const char *ctx;
	struct sg_loc loc = item->loc;
	bool distinct = true;

	if (item->type != YN_MAP) {
		yexpect(l->d, l->t, item, "a mapping");
		return;
	}
	v[0] = map_get(item, "name");
	ctx = ctx_of(tl, "index", v[0]);
	get_keys(l, item, index_keys, ARRAY_SIZE(index_keys), v, ctx);
	ix = new_named_child(tl, SG_KIND_INDEX, sizeof(*ix), loc,
				   v[0], "index name", v[8]);
	if (!ix)
		return;
	get_bool(l, v[1], "unique", &ix->unique);
	if (v[2] && !ynode_is_null(v[2])) {
		if (v[2]->type != YN_SEQ) {
			yexpect(l->d, l->t, v[2], "a list of columns");
		} else {
			for (size_t i = 0; i < v[2]->nkids; i++) {
				struct sg_index_key key;

				if (index_key(tl, v[2]->kids[i], ctx, &key, NULL))
					SG_VEC_PUSH(l->a, &keys, key);
			}
		}
	}
	if (v[3] && !ynode_is_null(v[3])) {
		if (v[3]->type != YN_SEQ) {
			yexpect(l->d, l->t, v[3], "a list of expressions");
		} else {
			for (size_t i = 0; i < v[3]->nkids; i++) {
				struct sg_index_key key = { 0 };
				const struct ynode *e = v[3]->kids[i];

				key.expression = get_sql(l, e, "expressions",
							 SG_FRAG_EXPR,
							 sg_printf(l->t, "expression of %s", ctx),
							 &key.loc);
				if (key.expression)
					SG_VEC_PUSH(l->a, &keys, key);
				else if (e->type != YN_SCALAR || ynode_is_null(e))
					yexpect(l->d, l->t, e, "an expression");
			}
		}
	}
	if ((!v[2] || ynode_is_null(v[2]) || v[2]->nkids == 0) &&
	    (!v[3] || ynode_is_null(v[3]) || v[3]->nkids == 0)) {
		struct sg_diag *dg = sg_diag_error(l->d, item->loc, "%s has no "
						   "columns or expressions", ctx);

		sg_diag_hint(dg, l->d, "add \"columns: [...]\" or \"expressions: "
			     "[...]\"");
	}
	ix->keys = keys.v;
	ix->nkeys = keys.n;
	if (v[4] && !ynode_is_null(v[4]) &&
	    yname_ok(l->d, l->t, v[4], "index method") &&
	    strcmp(v[4]->str, "btree") != 0)
		ix->method = sg_strdup(l->a, v[4]->str);
	name_list(tl, v[5], ctx, true, true, &ix->include, &ix->ninclude);
	if (v[6])
		ix->where = get_sql(l, v[6], "where", SG_FRAG_EXPR,
				    sg_printf(l->t, "\"where\" of %s", ctx),
				    &ix->where_loc);
	if (get_bool(l, v[7], "nulls_distinct", &distinct))
		ix->nulls_not_distinct = !distinct;
	if (v[9])
		ix->reloptions = load_storage(l, v[9], "storage parameters",
					      &ix->nreloptions);
	ix->attached_to = load_attached(tl, v[10]);
	ix->only = load_only(tl, v[11]);
}

/* ---- placeholder names (ChooseConstraintName / ChooseIndexName) ---- */

/*
 * The single column a check expression refers to, or NULL: PostgreSQL
 * names a check "table_column_check" when its expression uses exactly one
 * column, "table_check" otherwise.  The server looks at the analysed
 * expression; a scan of the tokens (skipping literals, function names,
 * qualified names and cast types) is close enough for a placeholder.
 */
static const char *check_column(struct tload *tl, const char *expr)
{
	const char *found = NULL;
	size_t len = strlen(expr), i = 0;
	struct sbuf id = SBUF_INIT;
	bool after_cast = false, many = false;

	while (i < len && !many) {
		struct sg_token t;
		size_t next = sg_sql_token(expr, len, i, &t);
		const char *q;

		if (t.kind == SG_TOK_OTHER && expr[i] == ':' && expr[i + 1] == ':') {
			after_cast = true;
			i += 2;
			continue;
		}
		i = next;
		sbuf_reset(&id);
		if (t.kind == SG_TOK_QIDENT) {
			size_t b = t.start + (expr[t.start] == '"' ? 1 : 3);

			for (size_t k = b; k < next - !t.open; k++) {
				sbuf_addch(&id, expr[k]);
				k += expr[k] == '"';
			}
		} else if (t.kind == SG_TOK_IDENT) {
			for (size_t k = t.start; k < next; k++)
				sbuf_addch(&id, expr[k] >= 'A' && expr[k] <= 'Z'
					   ? expr[k] + 32 : expr[k]);
		} else {
			/* strings and dollar quotes are skipped whole; blanks
			 * and comments keep a cast's type coming */
			if (t.kind != SG_TOK_SPACE && t.kind != SG_TOK_LINE_COMMENT &&
			    t.kind != SG_TOK_BLOCK_COMMENT && t.kind != SG_TOK_STRING &&
			    t.kind != SG_TOK_DOLLAR)
				after_cast = false;
			continue;
		}
		/* a qualified name, a function's, a cast's type: not a column */
		q = expr + next;
		while (*q == ' ' || *q == '\t' || *q == '\n')
			q++;
		if (after_cast || (t.start > 0 && expr[t.start - 1] == '.') ||
		    expr[next] == '.' || *q == '(') {
			after_cast = false;
			continue;
		}
		if (sg_table_column(tl->t, id.buf)) {
			if (found && strcmp(found, id.buf) != 0)
				many = true;
			else if (!found)
				found = sg_table_column(tl->t, id.buf)->obj.name;
		}
	}
	sbuf_release(&id);
	return many ? NULL : found;
}

/* FigureIndexColname(), roughly: a function call gives its name, a column
 * its own, anything else "expr". */
static const char *expr_colname(struct tload *tl, const char *expr)
{
	const char *p = expr, *last = NULL;
	size_t lastlen = 0;
	struct sbuf sb = SBUF_INIT;
	const char *r;

	while (*p == ' ' || *p == '(')
		p++;
	for (;;) {
		const char *s = p;

		while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		       (*p >= '0' && *p <= '9') || *p == '_' ||
		       (unsigned char)*p >= 0x80)
			p++;
		if (p == s || (*s >= '0' && *s <= '9'))
			return "expr";
		last = s;
		lastlen = (size_t)(p - s);
		if (*p != '.')
			break;
		p++;
	}
	while (*p == ' ')
		p++;
	if (*p != '(' && *p != '\0' && *p != ')')
		return "expr";
	for (size_t i = 0; i < lastlen; i++)
		sbuf_addch(&sb, last[i] >= 'A' && last[i] <= 'Z' ? last[i] + 32 : last[i]);
	r = sbuf_to_arena(&sb, tl->l->t);
	sbuf_release(&sb);
	return r;
}

/* ChooseIndexColumnNames(): key and INCLUDE column names, made distinct. */
static const char **index_colnames(struct tload *tl, const struct sg_index_key *keys,
				   size_t nkeys, const char *const *inc,
				   size_t ninc, size_t *n)
{
	struct sg_arena *a = tl->l->t;
	const char **out = sg_alloc_array(a, nkeys + ninc + 1, sizeof(*out));

	*n = 0;
	for (size_t i = 0; i < nkeys + ninc; i++) {
		const char *orig = i < nkeys
			? (keys[i].column ? keys[i].column
					  : expr_colname(tl, keys[i].expression))
			: inc[i - nkeys];
		const char *cur = orig;

		for (int pass = 1;; pass++) {
			bool clash = false;
			char num[16];
			size_t clip;

			for (size_t j = 0; j < *n && !clash; j++)
				clash = strcmp(out[j], cur) == 0;
			if (!clash)
				break;
			snprintf(num, sizeof(num), "%d", pass);
			clip = sg_pg_clip_len(orig, SG_NAME_MAX - strlen(num));
			cur = sg_printf(a, "%.*s%s", (int)clip, orig, num);
		}
		out[(*n)++] = cur;
	}
	return out;
}

static const char *label_kind(const char *label)
{
	switch (label[0]) {
	case 'p': return "the primary key";
	case 'k': return "a unique constraint";
	case 'f': return "a foreign key";
	case 'c': return "a check constraint";
	case 'e': return "an exclusion constraint";
	default: return "an index";
	}
}

static bool name_taken(const struct sg_table *t, const char *name)
{
	for (size_t i = 0; i < t->nconstraints; i++)
		if (strcmp(t->constraints[i]->obj.name, name) == 0)
			return true;
	for (size_t i = 0; i < t->nindexes; i++)
		if (strcmp(t->indexes[i]->obj.name, name) == 0)
			return true;
	return false;
}

/*
 * Gives each unnamed constraint and index of the table a placeholder, unique
 * among the table's constraints and indexes (all an identity needs).
 */
static void name_unnamed(struct tload *tl)
{
	struct loader *l = tl->l;
	const char *table = tl->t->obj.name;

	for (size_t i = 0; i < tl->unnamed.n; i++) {
		struct sg_object *o = tl->unnamed.v[i];
		const char *addition = NULL, *label, *name;
		const char **names;
		size_t n;

		if (o->kind == SG_KIND_INDEX) {
			struct sg_index *ix = (struct sg_index *)o;

			names = index_colnames(tl, ix->keys, ix->nkeys, ix->include,
					       ix->ninclude, &n);
			addition = sg_pg_name_addition(l->t, names, n);
			label = "idx";
		} else {
			struct sg_constraint *k = (struct sg_constraint *)o;

			switch (k->type) {
			case 'p':
				label = "pkey";
				break;
			case 'u': {
				SG_VEC(struct sg_index_key) keys = { 0 };

				for (size_t j = 0; j < k->ncolumns; j++) {
					struct sg_index_key key = { .column = k->columns[j] };

					SG_VEC_PUSH(l->t, &keys, key);
				}
				names = index_colnames(tl, keys.v, keys.n, k->include,
						       k->ninclude, &n);
				addition = sg_pg_name_addition(l->t, names, n);
				label = "key";
				break;
			}
			case 'f':
				addition = sg_pg_name_addition(l->t, k->columns, k->ncolumns);
				label = "fkey";
				break;
			case 'x':
				names = index_colnames(tl, k->excl_keys, k->nexcl,
						       k->include, k->ninclude, &n);
				addition = sg_pg_name_addition(l->t, names, n);
				label = "excl";
				break;
			default:
				addition = k->expression ? check_column(tl, k->expression)
							 : NULL;
				label = "check";
				break;
			}
		}
		name = sg_pg_object_name(l->t, table, addition, label);
		for (int pass = 1; name_taken(tl->t, name); pass++)
			name = sg_pg_object_name(l->t, table, addition,
					      sg_printf(l->t, "%s%d", label, pass));
		o->name = sg_strdup(l->a, name);
		if (o->comment) {
			struct sg_diag *dg = sg_diag_error(
				l->d, tl->comment_locs.v[i], "%s of %s %s has a "
				"comment but no name", label_kind(label), tl->noun,
				tl->tq);

			sg_diag_hint(dg, l->d, "a comment is set by name: add "
				     "\"name:\" (PostgreSQL would choose \"%s\")",
				     name);
		}
	}
}

/* ---- the table ---- */

static const char *const table_keys[] = {
	"comment", "renamed_from", "columns", "primary_key", "unique",
	"foreign_keys", "checks", "indexes", "triggers", "exclusions",
	/* security.c */
	"row_level_security", "policies", "grants",
	/* partition.c */
	"partition_by", "partitions", "partition_of", "bounds", "inherits",
	"unlogged", "storage", "replica_identity",
	"owner",
	/* statistics.c, rule.c */
	"statistics", "rules",
};

/* The position of a key in table_keys[]. */
static size_t table_key(const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(table_keys); i++)
		if (strcmp(table_keys[i], key) == 0)
			return i;
	SG_BUG("no table key %s", key);
}

static void load_list(struct tload *tl, const struct ynode *v, const char *what,
		      void (*fn)(struct tload *, const struct ynode *))
{
	if (!v || ynode_is_null(v))
		return;
	if (v->type != YN_SEQ) {
		yexpect(tl->l->d, tl->l->t, v, sg_printf(tl->l->t, "a list of %s",
							  what));
		return;
	}
	for (size_t i = 0; i < v->nkids; i++)
		fn(tl, v->kids[i]);
}

/* Column names used by keys and indexes must be columns of the table. */
static void check_colrefs(struct tload *tl)
{
	struct loader *l = tl->l;
	const char **names = sg_alloc_array(l->t, tl->t->ncolumns + 1,
					    sizeof(*names));

	for (size_t i = 0; i < tl->t->ncolumns; i++)
		names[i] = tl->t->columns[i]->obj.name;
	for (size_t i = 0; i < tl->refs.n; i++) {
		const struct colref *r = &tl->refs.v[i];
		struct sg_diag *dg;
		const char *s;

		/* a child's columns also come from its parents (check.c) */
		if (sg_table_column(tl->t, r->name) || tl->child)
			continue;
		dg = sg_diag_error(l->d, r->loc, "unknown column %s in %s",
				   yq(l->t, r->name), r->ctx);
		s = sg_suggest(r->name, names, tl->t->ncolumns);
		if (s)
			sg_diag_hint(dg, l->d, "did you mean %s?", yq(l->t, s));
	}
	/* a rename from a column that is still there is a contradiction */
	for (size_t i = 0; i < tl->t->ncolumns; i++) {
		const struct sg_column *c = tl->t->columns[i];
		const struct sg_column *old;

		if (!c->obj.renamed_from)
			continue;
		old = sg_table_column(tl->t, c->obj.renamed_from);
		if (old) {
			struct sg_diag *dg = sg_diag_error(
				l->d, c->obj.renamed_loc, "column %s is renamed from "
				"%s, which is still a column of table %s",
				yq(l->t, c->obj.name), yq(l->t, old->obj.name), tl->tq);

			sg_diag_hint(dg, l->d, "remove \"renamed_from\", or the "
				     "column %s", yq(l->t, old->obj.name));
		}
	}
}

void load_table(struct loader *l, const struct ynode *key,
		const struct ynode *val)
{
	load_table_in(l, key, val, NULL);
}

void load_table_in(struct loader *l, const struct ynode *key,
		   const struct ynode *val, struct sg_table *parent)
{
	const struct ynode *v[ARRAY_SIZE(table_keys)] = { 0 };
	struct tload tl = { .l = l, .noun = "table" };
	struct table_extra x;
	const char *ctx;

	if (!yname_ok(l->d, l->t, key, "table name"))
		return;
	tl.t = SG_NEW(l->cat, sg_table, SG_KIND_TABLE, l->schema, key->str, NULL);
	tl.t->obj.loc = key->loc;
	tl.tq = yq(l->t, key->str);
	if (ynode_is_null(val)) {
		struct sg_diag *dg = sg_diag_error(l->d, key->loc, "table %s has "
						   "no definition", tl.tq);

		sg_diag_hint(dg, l->d, "a table without columns is written "
			     "\"%s: {columns: {}}\"", key->str);
		return;
	}
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, sg_printf(l->t, "a mapping for table %s",
						  tl.tq));
		return;
	}
	ctx = sg_printf(l->t, "table %s", tl.tq);
	get_keys(l, val, table_keys, ARRAY_SIZE(table_keys), v, ctx);
	x = (struct table_extra){
		.partition_by = v[table_key("partition_by")],
		.partition_of = v[table_key("partition_of")],
		.bounds = v[table_key("bounds")],
		.inherits = v[table_key("inherits")],
		.unlogged = v[table_key("unlogged")],
		.storage = v[table_key("storage")],
		.replica = v[table_key("replica_identity")],
	};
	load_table_extra(l, tl.t, tl.tq, &x, parent);
	tl.partition = tl.t->partition_of != NULL ||
		       (x.partition_of && !ynode_is_null(x.partition_of));
	tl.child = tl.partition || tl.t->ninherits > 0;

	set_comment(l, &tl.t->obj, v[0]);
	if (v[1] && !ynode_is_null(v[1]) &&
	    yname_ok(l->d, l->t, v[1], "table name")) {
		if (strcmp(v[1]->str, key->str) == 0) {
			struct sg_diag *dg = sg_diag_error(
				l->d, v[1]->loc, "table %s is renamed from itself",
				tl.tq);

			sg_diag_hint(dg, l->d, "remove \"renamed_from\" once the "
				     "rename has been applied");
		} else {
			tl.t->obj.renamed_from = sg_strdup(l->a, v[1]->str);
			tl.t->obj.renamed_loc = v[1]->vloc;
		}
	}
	/* columns first: keys may come in any order */
	if (v[2] && !ynode_is_null(v[2])) {
		if (v[2]->type != YN_MAP) {
			yexpect(l->d, l->t, v[2], "a mapping of column names to types "
				"or definitions");
		} else {
			for (size_t i = 0; i + 1 < v[2]->nkids; i += 2)
				if (ykey_ok(l->d, l->t, v[2]->kids[i]))
					load_column(&tl, v[2]->kids[i],
						    v[2]->kids[i + 1]);
		}
	} else if (!v[2] && !tl.child) {
		struct sg_diag *dg = sg_diag_error(l->d, key->loc, "missing key "
						   "\"columns\" in %s", ctx);

		sg_diag_hint(dg, l->d, "a table without columns says \"columns: {}\"");
	}
	if (v[3])
		load_pkey(&tl, v[3]);
	load_list(&tl, v[4], "unique constraints", load_unique);
	load_list(&tl, v[5], "foreign keys", load_fkey);
	load_list(&tl, v[6], "check constraints", load_check);
	load_list(&tl, v[7], "indexes", load_index);
	load_list(&tl, v[9], "exclusion constraints", load_exclusion);
	if (v[8])
		load_triggers(l, tl.t, v[8]);
	load_rls(l, tl.t, v[10]);
	load_policies(l, tl.t, v[11]);
	load_grants(l, &tl.t->obj, v[12]);
	load_owner(l, &tl.t->obj, v[table_key("owner")]);
	load_statistics(l, tl.t, v[table_key("statistics")]);
	load_rules(l, tl.t, v[table_key("rules")]);

	check_colrefs(&tl);
	name_unnamed(&tl);
	check_replica_index(l, tl.t, tl.tq);
	load_partitions(l, tl.t, tl.tq, v[table_key("partitions")]);
}

void load_foreign_table_parts(struct loader *l, struct sg_table *t,
			      const struct ynode *key, const struct ynode *columns,
			      const struct ynode *checks)
{
	struct tload tl = { .l = l, .t = t, .noun = "foreign table", .foreign = true };

	tl.tq = yq(l->t, t->obj.name);
	/* a partition's or INHERITS child's columns come from its parents */
	tl.partition = t->partition_of != NULL;
	tl.child = tl.partition || t->ninherits > 0;
	if (columns && !ynode_is_null(columns)) {
		if (columns->type != YN_MAP) {
			yexpect(l->d, l->t, columns, "a mapping of column names to "
				"types or definitions");
		} else {
			for (size_t i = 0; i + 1 < columns->nkids; i += 2)
				if (ykey_ok(l->d, l->t, columns->kids[i]))
					load_column(&tl, columns->kids[i],
						    columns->kids[i + 1]);
		}
	} else if (!columns && !tl.child) {
		struct sg_diag *dg = sg_diag_error(l->d, key->loc, "missing key "
						   "\"columns\" in foreign table %s",
						   tl.tq);

		sg_diag_hint(dg, l->d, "a foreign table without columns says "
			     "\"columns: {}\"");
	}
	load_list(&tl, checks, "check constraints", load_check);
	check_colrefs(&tl);
	name_unnamed(&tl);
}

void load_relation_indexes(struct loader *l, struct sg_table *rel,
			   const struct ynode *v, const char *noun)
{
	struct tload tl = { .l = l, .t = rel, .noun = noun };

	tl.tq = yq(l->t, rel->obj.name);
	load_list(&tl, v, "indexes", load_index);
	/* the columns come from the query: the scratch database checks them */
	name_unnamed(&tl);
}
