// SPDX-License-Identifier: MIT
/*
 * view.c - views and materialized views of a model file.
 *
 *   views:
 *     active_customers:
 *       query: |
 *         SELECT id, email FROM customers WHERE active
 *       check_option: local          # or cascaded
 *       security_barrier: true
 *       security_invoker: true
 *       comment: ...
 *       columns: {email: {comment: ...}}
 *       triggers: {...}              # INSTEAD OF, as a table's
 *   materialized_views:
 *     order_totals:
 *       query: SELECT ...
 *       with_data: false
 *       options: {fillfactor: 70}
 *       indexes: [...]               # as a table's
 *
 * A view given as a plain string is just its query.  The query is parsed
 * with PostgreSQL's parser at its exact location (SG_FRAG_QUERY); what only
 * the server can say (an unknown table or column) comes back from the
 * scratch database at the same place.  A view's columns are those of its
 * query, so `columns` only comments them.  Options become reloptions
 * ("name=value", sorted), the form introspection reads: the named keys of
 * views and the `options` mapping (storage parameters of materialized
 * views, or any option by its PostgreSQL name) may not set one twice.
 */
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/sbuf.h"
#include "schemagen/sql.h"
#include "yaml-priv.h"

static const char *const view_keys[] = {
	"query", "comment", "columns", "check_option", "security_barrier",
	"security_invoker", "options", "triggers", "grants", "renamed_from",
	"owner", "rules",
};

static const char *const matview_keys[] = {
	"query", "comment", "columns", "options", "with_data", "indexes",
	"grants", "renamed_from", "owner", "statistics",
};

/* Positions in view_keys[] and matview_keys[]; the first three are shared. */
enum { K_QUERY, K_COMMENT, K_COLUMNS };
enum { KV_CHECK_OPTION = 3, KV_SECURITY_BARRIER, KV_SECURITY_INVOKER, KV_OPTIONS,
       KV_TRIGGERS, KV_GRANTS, KV_RENAMED_FROM, KV_OWNER, KV_RULES };
enum { KM_OPTIONS = 3, KM_WITH_DATA, KM_INDEXES, KM_GRANTS, KM_RENAMED_FROM, KM_OWNER,
       KM_STATISTICS };

/* An option being collected, with where it was given. */
struct opt {
	const char *name, *value;
	struct sg_loc loc;
};

struct vload {
	struct loader *l;
	struct sg_view *v;
	const char *noun;           /* "view" or "materialized view" */
	const char *vq;             /* the name, quoted for messages */
	SG_VEC(struct opt) opts;
};

static void add_option(struct vload *vl, const char *name, const char *value,
		       struct sg_loc loc)
{
	struct loader *l = vl->l;
	struct opt o = { name, value, loc };

	for (size_t i = 0; i < vl->opts.n; i++) {
		if (strcmp(vl->opts.v[i].name, name) == 0) {
			struct sg_diag *dg = sg_diag_error(
				l->d, loc, "option %s of %s %s is given twice",
				yq(l->t, name), vl->noun, vl->vq);

			sg_diag_hint(dg, l->d, "first given at %s:%d:%d",
				     sg_loc_file(vl->opts.v[i].loc), vl->opts.v[i].loc.line,
				     vl->opts.v[i].loc.col);
			return;
		}
	}
	SG_VEC_PUSH(l->t, &vl->opts, o);
}

static void bool_option(struct vload *vl, const struct ynode *key,
			const struct ynode *v)
{
	bool b;

	if (ynode_is_null(v))
		return;
	if (yget_bool(vl->l->d, vl->l->t, v, key->str, &b))
		add_option(vl, key->str, b ? "true" : "false", key->loc);
}

static void check_option(struct vload *vl, const struct ynode *key,
			 const struct ynode *v)
{
	static const char *const words[] = { "local", "cascaded" };
	struct loader *l = vl->l;
	struct sg_diag *dg;
	const char *s;

	if (ynode_is_null(v))
		return;
	if (v->type == YN_SCALAR &&
	    (strcmp(v->str, "local") == 0 || strcmp(v->str, "cascaded") == 0)) {
		add_option(vl, "check_option", v->str, key->loc);
		return;
	}
	dg = sg_diag_error(l->d, v->loc, "\"check_option\" must be local or "
			   "cascaded, found %s", ynode_found(l->t, v));
	if (v->type == YN_SCALAR && (s = sg_suggest(v->str, words, 2)) != NULL)
		sg_diag_hint(dg, l->d, "did you mean \"%s\"?", s);
	else if (v->type == YN_SCALAR && strcmp(v->str, "true") == 0)
		sg_diag_hint(dg, l->d, "WITH CHECK OPTION is cascaded");
}

/* options: {name: value, ...}, values as PostgreSQL reads them. */
static void options_map(struct vload *vl, const struct ynode *v)
{
	struct loader *l = vl->l;

	if (!v || ynode_is_null(v))
		return;
	if (v->type != YN_MAP) {
		yexpect(l->d, l->t, v, "a mapping of option names to values");
		return;
	}
	for (size_t i = 0; i + 1 < v->nkids; i += 2) {
		const struct ynode *k = v->kids[i], *val = v->kids[i + 1];
		const char *s;

		if (!ykey_ok(l->d, l->t, k) || !yname_ok(l->d, l->t, k, "option name"))
			continue;
		if (strchr(k->str, '=')) {
			sg_diag_error(l->d, k->loc, "option name %s contains \"=\"",
				      yq(l->t, k->str));
			continue;
		}
		if (val->type != YN_SCALAR || ynode_is_null(val)) {
			yexpect(l->d, l->t, val, sg_printf(l->t, "a value for "
							   "option %s",
							   yq(l->t, k->str)));
			continue;
		}
		if (!yget_str(l->d, l->t, val, k->str, &s) || !s)
			continue;
		add_option(vl, k->str, s, k->loc);
	}
}

static int opt_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void finish_options(struct vload *vl)
{
	struct sg_view *v = vl->v;

	v->reloptions = sg_alloc_array(vl->l->a, vl->opts.n + 1,
				       sizeof(*v->reloptions));
	for (size_t i = 0; i < vl->opts.n; i++)
		v->reloptions[i] = sg_printf(vl->l->a, "%s=%s", vl->opts.v[i].name,
					     vl->opts.v[i].value);
	v->nreloptions = vl->opts.n;
	if (v->nreloptions > 1)
		qsort(v->reloptions, v->nreloptions, sizeof(*v->reloptions), opt_cmp);
}

/* columns: {name: {comment: ...}} -- only comments: the query makes them. */
static void load_columns(struct vload *vl, const struct ynode *v)
{
	static const char *const keys[] = { "comment", "grants" };
	struct loader *l = vl->l;

	if (!v || ynode_is_null(v))
		return;
	if (v->type != YN_MAP) {
		yexpect(l->d, l->t, v, "a mapping of column names to {comment: ...}");
		return;
	}
	for (size_t i = 0; i + 1 < v->nkids; i += 2) {
		const struct ynode *k = v->kids[i], *val = v->kids[i + 1];
		struct sg_column *c;
		const char *ctx;

		if (!ykey_ok(l->d, l->t, k) || !yname_ok(l->d, l->t, k, "column name"))
			continue;
		c = SG_NEW(l->cat, sg_column, SG_KIND_COLUMN, NULL, k->str,
			   &vl->v->rel.obj);
		c->obj.loc = k->loc;
		c->attnum = (int)vl->v->rel.ncolumns;
		if (ynode_is_null(val))
			continue;
		ctx = sg_printf(l->t, "column %s of %s %s", yq(l->t, k->str),
				vl->noun, vl->vq);
		if (val->type != YN_MAP) {
			struct sg_diag *dg = yexpect(l->d, l->t, val, "a mapping "
						     "{comment: ...}");

			sg_diag_hint(dg, l->d, "the columns of a view come from "
				     "its query; only their comments are given");
			continue;
		}
		for (size_t j = 0; j + 1 < val->nkids; j += 2) {
			const struct ynode *ck = val->kids[j], *cv = val->kids[j + 1];
			const char *s;

			if (!ykey_ok(l->d, l->t, ck))
				continue;
			if (strcmp(ck->str, "comment") == 0) {
				if (yget_str(l->d, l->t, cv, "comment", &s) && s && *s)
					c->obj.comment = sg_strdup(l->a, s);
			} else if (strcmp(ck->str, "grants") == 0) {
				load_grants(l, &c->obj, cv);
			} else if (strcmp(ck->str, "type") == 0 ||
				   strcmp(ck->str, "nullable") == 0 ||
				   strcmp(ck->str, "default") == 0) {
				struct sg_diag *dg = sg_diag_error(
					l->d, ck->loc, "unknown key %s in %s",
					yq(l->t, ck->str), ctx);

				sg_diag_hint(dg, l->d, "the columns of a view come "
					     "from its query; only their comments "
					     "are given");
			} else {
				yunknown_key(l->d, ck, keys, ARRAY_SIZE(keys), ctx);
			}
		}
	}
}

/* The query, parsed; without the trailing ";" and blanks one may write. */
static void load_query(struct vload *vl, const struct ynode *key,
		       const struct ynode *v)
{
	struct loader *l = vl->l;
	const char *s;
	size_t n;

	if (!v || ynode_is_null(v)) {
		sg_diag_error(l->d, v ? v->loc : key->loc, "missing key \"query\" "
			      "in %s %s", vl->noun, vl->vq);
		return;
	}
	if (!yget_str(l->d, l->t, v, "query", &s) || !s)
		return;
	if (!(s = sg_sql_fragment(l->t, SG_FRAG_QUERY, s, v->vloc,
				  sg_printf(l->t, "query of %s %s", vl->noun, vl->vq),
				  l->d)))
		return;
	n = strlen(s);
	while (n > 0 && strchr(" \t\n;", s[n - 1]))
		n--;
	vl->v->definition = sg_strndup(l->a, s, n);
	vl->v->definition_loc = v->vloc;
}

static void load_relation(struct loader *l, const struct ynode *key,
			  const struct ynode *val, char relkind)
{
	bool mat = relkind == 'm';
	const char *const *keys = mat ? matview_keys : view_keys;
	size_t nkeys = mat ? ARRAY_SIZE(matview_keys) : ARRAY_SIZE(view_keys);
	const struct ynode *v[ARRAY_SIZE(view_keys)] = { 0 };
	const struct ynode *kn[ARRAY_SIZE(view_keys)] = { 0 };
	struct vload vl = { .l = l, .noun = mat ? "materialized view" : "view" };
	const char *s;

	if (!yname_ok(l->d, l->t, key, mat ? "materialized view name" : "view name"))
		return;
	vl.v = SG_NEW(l->cat, sg_view, SG_KIND_VIEW, l->schema, key->str, NULL);
	vl.v->rel.obj.loc = key->loc;
	vl.v->relkind = relkind;
	vl.v->with_data = true;
	vl.vq = yq(l->t, key->str);

	if (val->type == YN_SCALAR && !ynode_is_null(val)) {
		load_query(&vl, key, val);      /* the shorthand: just the query */
		return;
	}
	if (val->type != YN_MAP) {
		struct sg_diag *dg = yexpect(l->d, l->t, val,
					     sg_printf(l->t, "a query or a mapping for "
						       "%s %s", vl.noun, vl.vq));

		if (ynode_is_null(val))
			sg_diag_hint(dg, l->d, "write \"%s: {query: SELECT ...}\"",
				     key->str);
		return;
	}
	for (size_t i = 0; i + 1 < val->nkids; i += 2) {
		const struct ynode *k = val->kids[i];
		struct sg_diag *dg;
		size_t j;

		if (!ykey_ok(l->d, l->t, k))
			continue;
		for (j = 0; j < nkeys; j++)
			if (strcmp(k->str, keys[j]) == 0)
				break;
		if (j < nkeys) {
			kn[j] = k;
			v[j] = val->kids[i + 1];
			continue;
		}
		dg = yunknown_key(l->d, k, keys, nkeys,
				  sg_printf(l->t, "%s %s", vl.noun, vl.vq));
		if (!mat && (strcmp(k->str, "indexes") == 0 ||
			     strcmp(k->str, "with_data") == 0 ||
			     strcmp(k->str, "statistics") == 0))
			sg_diag_hint(dg, l->d, "only materialized "
				     "views have %s: list the view under "
				     "materialized_views", k->str);
		else if (mat && (strcmp(k->str, "triggers") == 0 ||
				 strcmp(k->str, "rules") == 0))
			sg_diag_hint(dg, l->d, "PostgreSQL has no "
				     "%s on materialized views", k->str);
	}
	load_query(&vl, key, v[K_QUERY]);
	if (v[K_COMMENT] && yget_str(l->d, l->t, v[K_COMMENT], "comment", &s) &&
	    s && *s)
		vl.v->rel.obj.comment = sg_strdup(l->a, s);
	load_columns(&vl, v[K_COLUMNS]);
	if (mat) {
		options_map(&vl, v[KM_OPTIONS]);
		if (v[KM_WITH_DATA] && !ynode_is_null(v[KM_WITH_DATA]))
			yget_bool(l->d, l->t, v[KM_WITH_DATA], "with_data",
				  &vl.v->with_data);
		if (v[KM_INDEXES])
			load_relation_indexes(l, &vl.v->rel, v[KM_INDEXES], vl.noun);
		load_statistics(l, &vl.v->rel, v[KM_STATISTICS]);
	} else {
		if (v[KV_CHECK_OPTION])
			check_option(&vl, kn[KV_CHECK_OPTION], v[KV_CHECK_OPTION]);
		if (v[KV_SECURITY_BARRIER])
			bool_option(&vl, kn[KV_SECURITY_BARRIER], v[KV_SECURITY_BARRIER]);
		if (v[KV_SECURITY_INVOKER])
			bool_option(&vl, kn[KV_SECURITY_INVOKER], v[KV_SECURITY_INVOKER]);
		options_map(&vl, v[KV_OPTIONS]);
		if (v[KV_TRIGGERS])
			load_triggers(l, &vl.v->rel, v[KV_TRIGGERS]);
		load_rules(l, &vl.v->rel, v[KV_RULES]);
	}
	load_grants(l, &vl.v->rel.obj, v[mat ? KM_GRANTS : KV_GRANTS]);
	load_owner(l, &vl.v->rel.obj, v[mat ? KM_OWNER : KV_OWNER]);
	load_renamed_from(l, &vl.v->rel.obj, v[mat ? KM_RENAMED_FROM : KV_RENAMED_FROM],
			  vl.noun, key->str);
	finish_options(&vl);
}

void load_view(struct loader *l, const struct ynode *key,
	       const struct ynode *val)
{
	load_relation(l, key, val, 'v');
}

void load_matview(struct loader *l, const struct ynode *key,
		  const struct ynode *val)
{
	load_relation(l, key, val, 'm');
}
