// SPDX-License-Identifier: MIT
/*
 * statistics.c - the `statistics:` of a table: a mapping of statistics
 * object names to {kinds, columns, expressions, target, comment, owner,
 * renamed_from, schema} (CREATE STATISTICS name (kinds) ON columns,
 * expressions FROM table), and those of a materialized view.  The object
 * lives in its relation's schema unless `schema` names another.
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/sql.h"

#include "yaml-priv.h"

static const char *const statistics_keys[] = {
	"kinds", "columns", "expressions", "target", "comment", "owner",
	"renamed_from", "schema",
};
enum {
	SK_KINDS, SK_COLUMNS, SK_EXPRESSIONS, SK_TARGET, SK_COMMENT, SK_OWNER,
	SK_RENAMED_FROM, SK_SCHEMA, SK__COUNT
};
_Static_assert(ARRAY_SIZE(statistics_keys) == SK__COUNT, "statistics_keys");

static const char *const kind_words[] = { "ndistinct", "dependencies", "mcv" };

static void load_kinds(struct loader *l, struct sg_statistics *st,
		       const struct ynode *v)
{
	const struct ynode *one = v;
	size_t n = 1;

	st->kinds_loc = v->loc;
	if (v->type == YN_SEQ) {
		n = v->nkids;
	} else if (v->type != YN_SCALAR || ynode_is_null(v)) {
		yexpect(l->d, l->t, v, "a list of kinds (ndistinct, dependencies, mcv)");
		return;
	}
	if (n == 0) {
		struct sg_diag *dg = sg_diag_error(l->d, v->loc, "\"kinds\" is empty");

		sg_diag_hint(dg, l->d, "leave \"kinds\" out for all three");
		return;
	}
	st->kinds = 0;
	for (size_t i = 0; i < n; i++) {
		int w;

		if (v->type == YN_SEQ)
			one = v->kids[i];
		w = yone_of(l, one, "kinds", kind_words, 3);
		if (w < 0)
			continue;
		if (st->kinds & (1u << w))
			sg_diag_error(l->d, one->loc, "kind %s appears twice in \"kinds\"",
				      kind_words[w]);
		st->kinds |= 1u << w;
	}
}

static void load_stx_columns(struct loader *l, struct sg_table *t,
			     struct sg_statistics *st, const struct ynode *v,
			     const char *ctx)
{
	SG_VEC(const char *) cols = { 0 };

	if (v->type != YN_SEQ) {
		yexpect(l->d, l->t, v, "a list of column names");
		return;
	}
	for (size_t i = 0; i < v->nkids; i++) {
		const struct ynode *it = v->kids[i];
		bool dup = false;

		if (!yname_ok(l->d, l->t, it, "column name"))
			continue;
		for (size_t j = 0; j < cols.n && !dup; j++)
			dup = strcmp(cols.v[j], it->str) == 0;
		if (dup) {
			sg_diag_error(l->d, it->loc, "column %s appears twice in %s",
				      yq(l->t, it->str), ctx);
			continue;
		}
		/* a partition's or INHERITS child's columns come from its
		 * parents: the scratch database checks those */
		if (t->obj.kind == SG_KIND_TABLE && !sg_table_column(t, it->str) &&
		    !t->partition_of && !t->ninherits) {
			sg_diag_error(l->d, it->loc, "unknown column %s in %s",
				      yq(l->t, it->str), ctx);
			continue;
		}
		SG_VEC_PUSH(l->a, &cols, sg_strdup(l->a, it->str));
	}
	st->columns = cols.v;
	st->ncolumns = cols.n;
}

static void load_stx_expressions(struct loader *l, struct sg_statistics *st,
				 const struct ynode *v, const char *ctx)
{
	SG_VEC(const char *) ex = { 0 };
	SG_VEC(struct sg_loc) locs = { 0 };

	if (v->type != YN_SEQ) {
		yexpect(l->d, l->t, v, "a list of expressions");
		return;
	}
	for (size_t i = 0; i < v->nkids; i++) {
		struct sg_loc loc;
		const char *s = yget_sql(l, v->kids[i], "expressions", SG_FRAG_EXPR,
					 sg_printf(l->t, "expression of %s", ctx), &loc);

		if (!s)
			continue;
		SG_VEC_PUSH(l->a, &ex, s);
		SG_VEC_PUSH(l->a, &locs, loc);
	}
	st->expressions = ex.v;
	st->nexpressions = ex.n;
	st->expr_locs = locs.v;
}

static void load_one(struct loader *l, struct sg_table *t, const struct ynode *key,
		     const struct ynode *val)
{
	const struct ynode *v[SK__COUNT] = { 0 };
	struct sg_statistics *st;
	const char *ctx, *s;
	size_t nc, ne;

	if (!yname_ok(l->d, l->t, key, "statistics name"))
		return;
	st = SG_NEW(l->cat, sg_statistics, SG_KIND_STATISTICS, NULL, key->str, &t->obj);
	st->obj.loc = key->loc;
	st->kinds = SG_STX_ALL;
	st->target = -1;
	ctx = sg_printf(l->t, "statistics %s of %s %s", yq(l->t, key->str),
			t->obj.kind == SG_KIND_TABLE ? "table" : "materialized view",
			yq(l->t, t->obj.name));
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, sg_printf(l->t, "a mapping for %s", ctx));
		return;
	}
	get_keys(l, val, statistics_keys, SK__COUNT, v, ctx);
	if (v[SK_KINDS])
		load_kinds(l, st, v[SK_KINDS]);
	if (v[SK_COLUMNS] && !ynode_is_null(v[SK_COLUMNS]))
		load_stx_columns(l, t, st, v[SK_COLUMNS], ctx);
	if (v[SK_EXPRESSIONS] && !ynode_is_null(v[SK_EXPRESSIONS]))
		load_stx_expressions(l, st, v[SK_EXPRESSIONS], ctx);
	if (v[SK_TARGET] && !ynode_is_null(v[SK_TARGET])) {
		int64_t n;

		if (yget_int64(l->d, l->t, v[SK_TARGET], "target", &n)) {
			if (n < -1 || n > 10000)
				sg_diag_error(l->d, v[SK_TARGET]->loc, "\"target\" must be "
					      "-1 (the default) to 10000, found %s",
					      yq(l->t, v[SK_TARGET]->str));
			else
				st->target = (int)n;
			st->target_loc = v[SK_TARGET]->loc;
		}
	}
	if (v[SK_COMMENT] && yget_str(l->d, l->t, v[SK_COMMENT], "comment", &s) && s && *s)
		st->obj.comment = sg_strdup(l->a, s);
	load_owner(l, &st->obj, v[SK_OWNER]);
	load_renamed_from(l, &st->obj, v[SK_RENAMED_FROM], "statistics", key->str);
	if (v[SK_SCHEMA] && !ynode_is_null(v[SK_SCHEMA]) &&
	    yname_ok(l->d, l->t, v[SK_SCHEMA], "schema name")) {
		/* the relation's own schema is no other one */
		if (strcmp(v[SK_SCHEMA]->str, t->obj.schema) != 0)
			st->schema = sg_strdup(l->a, v[SK_SCHEMA]->str);
		st->schema_loc = v[SK_SCHEMA]->loc;
	}
	/* CREATE STATISTICS's own rules, where they are broken */
	nc = v[SK_COLUMNS] && v[SK_COLUMNS]->type == YN_SEQ ? v[SK_COLUMNS]->nkids : 0;
	ne = v[SK_EXPRESSIONS] && v[SK_EXPRESSIONS]->type == YN_SEQ
		? v[SK_EXPRESSIONS]->nkids : 0;
	if (nc == 0 && ne == 1) {
		/* statistics of one expression (14+): no kinds */
		if (v[SK_KINDS]) {
			struct sg_diag *dg = sg_diag_error(l->d, v[SK_KINDS]->loc,
							   "%s is on one expression, "
							   "which has no kinds", ctx);

			sg_diag_hint(dg, l->d, "remove \"kinds\"");
		}
		st->kinds = 0;
	} else if (nc + ne < 2) {
		struct sg_diag *dg = sg_diag_error(l->d, key->loc, "%s needs at "
						   "least two columns or "
						   "expressions", ctx);

		sg_diag_hint(dg, l->d, "PostgreSQL keeps the statistics of one "
			     "column by itself (ANALYZE)");
	}
}

void load_statistics(struct loader *l, struct sg_table *t, const struct ynode *v)
{
	if (!v || ynode_is_null(v))
		return;
	if (v->type != YN_MAP) {
		struct sg_diag *dg = yexpect(l->d, l->t, v, "a mapping of statistics "
					     "names to statistics");

		if (v->type == YN_SEQ)
			sg_diag_hint(dg, l->d, "statistics are keyed by name: "
				     "statistics: {name: {columns: [a, b]}}");
		return;
	}
	for (size_t i = 0; i + 1 < v->nkids; i += 2)
		if (ykey_ok(l->d, l->t, v->kids[i]))
			load_one(l, t, v->kids[i], v->kids[i + 1]);
	/* a rename from a name still in use is a contradiction */
	for (size_t i = 0; i < t->nstatistics; i++) {
		const struct sg_statistics *st = t->statistics[i];

		for (size_t j = 0; st->obj.renamed_from && j < t->nstatistics; j++)
			if (strcmp(t->statistics[j]->obj.name, st->obj.renamed_from) == 0)
				sg_diag_error(l->d, st->obj.renamed_loc, "statistics %s is "
					      "renamed from %s, which is still a "
					      "statistics object of table %s",
					      yq(l->t, st->obj.name),
					      yq(l->t, st->obj.renamed_from),
					      yq(l->t, t->obj.name));
	}
}
