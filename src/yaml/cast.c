// SPDX-License-Identifier: MIT
/*
 * cast.c - `casts:`, database-wide: a list of {source, target, function |
 * without_function | inout, context, comment}.  source and target are
 * type names and function a routine with its argument types, each checked
 * by PostgreSQL's parser; the cast's name is "(source AS target)" as
 * written (the materialised catalog has the server's spelling).
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/util.h"
#include "yaml-priv.h"

static const char *const cast_keys[] = {
	"source", "target", "function", "without_function", "inout", "context",
	"comment",
};
enum { CK_SOURCE, CK_TARGET, CK_FUNCTION, CK_WITHOUT, CK_INOUT, CK_CONTEXT,
       CK_COMMENT };

/* A `true` switch (without_function, inout); false or null: not given. */
static bool switch_on(struct loader *l, const struct ynode *v, const char *key)
{
	bool b = false;

	if (!v || ynode_is_null(v))
		return false;
	return yget_bool(l->d, l->t, v, key, &b) && b;
}

static void load_cast(struct loader *l, const struct ynode *item)
{
	static const char *const contexts[] = { "explicit", "assignment", "implicit" };
	const struct ynode *v[ARRAY_SIZE(cast_keys)];
	const char *source, *target, *function = NULL;
	struct sg_loc sloc = { 0 }, tloc = { 0 }, floc = { 0 };
	const struct ynode *how[3] = { 0 };
	size_t nhow = 0;
	struct sg_cast *c;
	int k;

	if (item->type != YN_MAP) {
		yexpect(l->d, l->t, item, "a mapping {source:, target:, function:, ...}");
		return;
	}
	yload_keys(l, item, cast_keys, ARRAY_SIZE(cast_keys), v, "a cast");
	if (!v[CK_SOURCE] || !v[CK_TARGET]) {
		sg_diag_error(l->d, item->loc, "missing key \"%s\" in a cast",
			      v[CK_SOURCE] ? "target" : "source");
		return;
	}
	source = yload_sql(l, v[CK_SOURCE], "source", SG_FRAG_TYPE, "source",
			   &sloc);
	target = yload_sql(l, v[CK_TARGET], "target", SG_FRAG_TYPE, "target",
			   &tloc);
	if (v[CK_FUNCTION] && !ynode_is_null(v[CK_FUNCTION]))
		how[nhow++] = v[CK_FUNCTION];
	if (switch_on(l, v[CK_WITHOUT], "without_function"))
		how[nhow++] = v[CK_WITHOUT];
	if (switch_on(l, v[CK_INOUT], "inout"))
		how[nhow++] = v[CK_INOUT];
	if (!source || !target)
		return;
	c = SG_NEW(l->cat, sg_cast, SG_KIND_CAST, SG_GLOBAL_SCHEMA,
		   sg_printf(l->t, "(%s AS %s)", source, target), NULL);
	c->obj.loc = item->loc;
	c->source = source;
	c->target = target;
	c->source_loc = sloc;
	c->target_loc = tloc;
	c->context = 'e';
	c->method = 'f';
	if (nhow == 0) {
		struct sg_diag *dg = sg_diag_error(
			l->d, item->loc, "cast %s needs \"function\", "
			"\"without_function: true\" or \"inout: true\"",
			c->obj.name);

		sg_diag_hint(dg, l->d, "CREATE CAST takes WITH FUNCTION, "
			     "WITHOUT FUNCTION or WITH INOUT");
	} else if (nhow > 1) {
		sg_diag_error(l->d, how[1]->loc, "cast %s takes one of "
			      "\"function\", \"without_function\" and \"inout\"",
			      c->obj.name);
	} else if (how[0] == v[CK_FUNCTION]) {
		function = yload_sql(l, v[CK_FUNCTION], "function",
				     SG_FRAG_SIGNATURE, "function", &floc);
		c->function = function;
		c->function_loc = floc;
	} else {
		c->method = how[0] == v[CK_WITHOUT] ? 'b' : 'i';
	}
	if (v[CK_CONTEXT] && !ynode_is_null(v[CK_CONTEXT]) &&
	    (k = yone_of(l, v[CK_CONTEXT], "context", contexts, 3)) >= 0)
		c->context = "eai"[k];
	if (v[CK_COMMENT]) {
		const char *s;

		if (yget_str(l->d, l->t, v[CK_COMMENT], "comment", &s) && s && *s)
			c->obj.comment = sg_strdup(l->a, s);
	}
}

void load_casts(struct loader *l, const struct ynode *val)
{
	if (ynode_is_null(val))
		return;
	if (val->type != YN_SEQ) {
		yexpect(l->d, l->t, val, "a list of casts {source:, target:, ...}");
		return;
	}
	for (size_t i = 0; i < val->nkids; i++)
		load_cast(l, val->kids[i]);
}
