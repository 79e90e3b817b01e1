// SPDX-License-Identifier: MIT
/*
 * aggregate.c - aggregates of a model file (`aggregates:`), and the
 * options that aggregates and operators share the shape of.
 *
 * An aggregate is a mapping under its name; overloads share the name, so
 * the value may instead be a list of mappings, one per overload (as for
 * functions).  `arguments` is a list of argument declarations (or one
 * string with all of them), `order_by` the aggregated arguments of an
 * ordered-set aggregate (`arguments` are then its direct ones), each
 * checked with PostgreSQL's parser.  The options are those of CREATE
 * AGGREGATE (sg_agg_opts[]): function names, types and the sort operator
 * are parsed as exactly one such fragment, initial conditions are
 * literals, the rest words or numbers.
 *
 * The identity is "name(input types)" with the types as format_type()
 * spells them ("*" for none, " ORDER BY " before the aggregated ones),
 * like the introspected one's.
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "schemagen/scan.h"
#include "schemagen/sql.h"
#include "yaml-priv.h"

const char *yload_opt(struct loader *l, const struct sg_opt_info *o,
		      const struct ynode *v, const char *ctx, struct sg_loc *loc)
{
	const char *what = sg_printf(l->t, "%s of %s", o->key, ctx);
	const char *s;

	if (!v || ynode_is_null(v))
		return NULL;
	switch (o->type) {
	case 'f':
		return yload_sql(l, v, o->key, SG_FRAG_FUNCTION_NAME, what, loc);
	case 't':
		return yload_sql(l, v, o->key, SG_FRAG_TYPE, what, loc);
	case 'o':
		return yload_sql(l, v, o->key, SG_FRAG_OPERATOR, what, loc);
	case 'l':
		if (!yget_str(l->d, l->t, v, o->key, &s) || !s)
			return NULL;
		*loc = v->vloc;
		return sg_strdup(l->a, s);
	case 'n': {
		int64_t n;

		if (!yget_int64(l->d, l->t, v, o->key, &n))
			return NULL;
		if (n <= 0 || n > 2147483647) {
			sg_diag_error(l->d, v->loc, "\"%s\" must be a positive number, "
				      "found %s", o->key, ynode_found(l->t, v));
			return NULL;
		}
		*loc = v->vloc;
		return sg_printf(l->a, "%lld", (long long)n);
	}
	case 'b': {
		bool b = false;

		if (!yget_bool(l->d, l->t, v, o->key, &b) || !b)
			return NULL;
		*loc = v->vloc;
		return "true";
	}
	case 'w': {
		const char *words[4];
		size_t n = 0;
		char *all = sg_strdup(l->t, o->words);
		int w;

		for (char *p = strtok(all, " "); p && n < 4; p = strtok(NULL, " "))
			words[n++] = p;
		w = yone_of(l, v, o->key, words, n);
		if (w < 0)
			return NULL;
		*loc = v->vloc;
		return sg_strdup(l->a, words[w]);
	}
	default:
		SG_BUG("option type %c", o->type);
	}
	return NULL;
}

/* ---- aggregates ---- */

enum {
	AK_ARGUMENTS = SG_AGG__COUNT, AK_ORDER_BY, AK_HYPOTHETICAL, AK_COMMENT,
	AK_GRANTS, AK_OWNER, AK_RENAMED_FROM, AK__COUNT
};

/* sg_agg_opts[]'s keys in their order, then the others (AK_*) */
static const char *const aggregate_keys[] = {
	"sfunc", "stype", "sspace", "finalfunc", "finalfunc_extra",
	"finalfunc_modify", "combinefunc", "serialfunc", "deserialfunc",
	"initcond", "msfunc", "minvfunc", "mstype", "msspace", "mfinalfunc",
	"mfinalfunc_extra", "mfinalfunc_modify", "minitcond", "sortop", "parallel",
	"arguments", "order_by", "hypothetical", "comment", "grants", "owner",
	"renamed_from",
};
_Static_assert(ARRAY_SIZE(aggregate_keys) == AK__COUNT, "aggregate_keys");

/*
 * The argument declarations of `v` (a list, or one string of them
 * separated by commas), each checked and appended to `text` (", "
 * between them) and its type to `ident`.  False after a diagnostic.
 */
static bool load_args(struct loader *l, const struct ynode *v, const char *key,
		      const char *ctx, struct sbuf *text, struct sbuf *ident,
		      size_t *count)
{
	const char **items;
	size_t *offsets = NULL, n;
	const char *s;
	bool ok = true;

	*count = 0;
	if (!v || ynode_is_null(v))
		return true;
	if (v->type == YN_SCALAR) {
		if (!yget_str(l->d, l->t, v, key, &s) || !s)
			return false;
		n = sg_sql_split_list(l->t, s, &items, &offsets);
	} else if (v->type == YN_SEQ) {
		n = v->nkids;
		items = sg_alloc_array(l->t, n ? n : 1, sizeof(*items));
		for (size_t i = 0; i < n; i++)
			if (!yget_str(l->d, l->t, v->kids[i], key, &items[i]) || !items[i]) {
				if (items[i] == NULL && v->kids[i]->type == YN_SCALAR)
					sg_diag_error(l->d, v->kids[i]->loc, "an argument of "
						      "%s is empty", ctx);
				return false;
			}
	} else {
		yexpect(l->d, l->t, v, "a list of argument declarations");
		return false;
	}
	for (size_t i = 0; i < n; i++) {
		struct sg_loc loc = offsets ? sg_loc_at(v->vloc, s, offsets[i])
					    : v->kids[i]->vloc;
		const char *what = sg_printf(l->t, "%s %zu of %s",
					     strcmp(key, "order_by") == 0
					     ? "ordered argument" : "argument", i + 1, ctx);
		const char *t = sg_sql_fragment(l->a, SG_FRAG_ARGUMENT, items[i], loc,
						what, l->d);
		struct sg_sql_arg a;

		if (!t || sg_sql_argument(l->t, t, &a) < 0) {
			ok = false;
			continue;
		}
		if (a.mode == 'o' || a.mode == 'b' || a.has_default) {
			sg_diag_error(l->d, loc, "%s: an aggregate's arguments have no "
				      "OUT, INOUT or DEFAULT", what);
			ok = false;
			continue;
		}
		if (*count) {
			sbuf_adds(text, ", ");
			sbuf_adds(ident, ", ");
		}
		sbuf_adds(text, t);
		routine_identity_type(ident, &a);
		(*count)++;
	}
	return ok;
}

static void load_aggregate(struct loader *l, const struct ynode *key,
			   const struct ynode *val, const char *ctx)
{
	const struct ynode *v[AK__COUNT];
	struct sbuf text = SBUF_INIT, ident = SBUF_INIT, otext = SBUF_INIT,
		    oident = SBUF_INIT;
	struct sg_aggregate *g;
	size_t ndirect = 0, nordered = 0;
	bool hypothetical = false, ok;
	const char *argtypes;

	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, sg_printf(l->t, "a mapping for %s", ctx));
		return;
	}
	get_keys(l, val, aggregate_keys, AK__COUNT, v, ctx);
	ok = load_args(l, v[AK_ARGUMENTS], "arguments", ctx, &text, &ident, &ndirect);
	ok = load_args(l, v[AK_ORDER_BY], "order_by", ctx, &otext, &oident,
		       &nordered) && ok;
	if (v[AK_HYPOTHETICAL])
		yget_bool(l->d, l->t, v[AK_HYPOTHETICAL], "hypothetical", &hypothetical);
	if (hypothetical && !nordered)
		sg_diag_error(l->d, v[AK_HYPOTHETICAL]->loc, "\"hypothetical\" is for "
			      "ordered-set aggregates (with \"order_by\")");
	if (!ok) {
		sbuf_release(&text);
		sbuf_release(&ident);
		sbuf_release(&otext);
		sbuf_release(&oident);
		return;
	}
	argtypes = sg_printf(l->a, "%s%s%s", ident.buf, ndirect && nordered ? ", " : "",
			     oident.buf);
	if (nordered) {
		sbuf_addf(&ident, "%sORDER BY %s", ndirect ? " " : "", oident.buf);
	} else if (!ndirect) {
		sbuf_adds(&ident, "*");
	}
	g = SG_NEW(l->cat, sg_aggregate, SG_KIND_AGGREGATE, l->schema,
		   sg_printf(l->t, "%s(%s)", key->str, ident.buf), NULL);
	g->obj.loc = key->loc;
	g->aggname = sg_strdup(l->a, key->str);
	g->aggkind = !nordered ? 'n' : hypothetical ? 'h' : 'o';
	g->argtypes = argtypes;
	if (text.len) {
		g->arguments = sbuf_to_arena(&text, l->a);
		g->arguments_loc = v[AK_ARGUMENTS]->loc;
		g->arguments_loc.style = 'x';
	}
	if (otext.len) {
		g->order_by = sbuf_to_arena(&otext, l->a);
		g->order_by_loc = v[AK_ORDER_BY]->loc;
		g->order_by_loc.style = 'x';
	}
	sbuf_release(&text);
	sbuf_release(&ident);
	sbuf_release(&otext);
	sbuf_release(&oident);
	for (int i = 0; i < SG_AGG__COUNT; i++)
		g->opts[i] = yload_opt(l, &sg_agg_opts[i], v[i], ctx, &g->opt_locs[i]);
	if (!v[SG_AGG_SFUNC])
		sg_diag_error(l->d, key->loc, "missing key \"sfunc\" in %s", ctx);
	if (!v[SG_AGG_STYPE])
		sg_diag_error(l->d, key->loc, "missing key \"stype\" in %s", ctx);
	if (v[AK_COMMENT]) {
		const char *s;

		if (yget_str(l->d, l->t, v[AK_COMMENT], "comment", &s) && s && *s)
			g->obj.comment = sg_strdup(l->a, s);
	}
	load_grants(l, &g->obj, v[AK_GRANTS]);
	load_owner(l, &g->obj, v[AK_OWNER]);
	load_renamed_from(l, &g->obj, v[AK_RENAMED_FROM], "aggregate", key->str);
}

/* name: {...} or name: [{...}, {...}] (overloads) */
static void load_one(struct loader *l, const struct ynode *key,
		     const struct ynode *val)
{
	const char *ctx;

	if (!yname_ok(l->d, l->t, key, "aggregate name"))
		return;
	ctx = sg_printf(l->t, "aggregate %s", yq(l->t, key->str));
	if (ynode_is_null(val) || (val->type == YN_SEQ && val->nkids == 0)) {
		sg_diag_error(l->d, ynode_is_null(val) ? key->loc : val->loc,
			      "%s has no definition", ctx);
		return;
	}
	if (val->type != YN_SEQ) {
		load_aggregate(l, key, val, ctx);
		return;
	}
	for (size_t i = 0; i < val->nkids; i++) {
		struct ynode k = *key;

		if (val->nkids > 1)
			k.loc = val->kids[i]->loc;
		load_aggregate(l, &k, val->kids[i], ctx);
	}
}

void load_aggregates(struct loader *l, const struct ynode *val)
{
	if (ynode_is_null(val))
		return;
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, "a mapping of aggregate names to definitions");
		return;
	}
	for (size_t i = 0; i + 1 < val->nkids; i += 2)
		if (ykey_ok(l->d, l->t, val->kids[i]))
			load_one(l, val->kids[i], val->kids[i + 1]);
}
