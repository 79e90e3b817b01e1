// SPDX-License-Identifier: MIT
/*
 * rule.c - the `rules:` of a table or view: a mapping of rule names to
 * {event, where, instead, actions, enabled, comment, renamed_from}
 * (CREATE RULE name AS ON event TO relation [WHERE where] DO [INSTEAD]
 * {NOTHING | (action; ...)}).  Each action is one statement, checked by
 * PostgreSQL's parser as exactly one rule action.
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/sql.h"

#include "yaml-priv.h"

static const char *const rule_keys[] = {
	"event", "where", "instead", "actions", "enabled", "comment",
	"renamed_from",
};
enum {
	RK_EVENT, RK_WHERE, RK_INSTEAD, RK_ACTIONS, RK_ENABLED, RK_COMMENT,
	RK_RENAMED_FROM, RK__COUNT
};
_Static_assert(ARRAY_SIZE(rule_keys) == RK__COUNT, "rule_keys");

static void load_actions(struct loader *l, struct sg_rule *r,
			 const struct ynode *v, const char *ctx)
{
	SG_VEC(const char *) acts = { 0 };
	SG_VEC(struct sg_loc) locs = { 0 };
	size_t n = v->type == YN_SEQ ? v->nkids : 1;

	if (v->type == YN_MAP) {
		yexpect(l->d, l->t, v, "a list of statements");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		const struct ynode *it = v->type == YN_SEQ ? v->kids[i] : v;
		struct sg_loc loc;
		const char *s = yget_sql(l, it, "actions", SG_FRAG_RULE_ACTION,
					 sg_printf(l->t, "action of %s", ctx), &loc);

		if (!s)
			continue;
		SG_VEC_PUSH(l->a, &acts, s);
		SG_VEC_PUSH(l->a, &locs, loc);
	}
	r->actions = acts.v;
	r->nactions = acts.n;
	r->action_locs = locs.v;
}

static void load_rule(struct loader *l, struct sg_table *rel,
		      const struct ynode *key, const struct ynode *val)
{
	static const char *const events[] = { "insert", "update", "delete" };
	const struct ynode *v[RK__COUNT] = { 0 };
	const char *noun = rel->obj.kind == SG_KIND_VIEW ? "view" : "table";
	struct sg_rule *r;
	const char *ctx, *s;

	if (!yname_ok(l->d, l->t, key, "rule name"))
		return;
	ctx = sg_printf(l->t, "rule %s of %s %s", yq(l->t, key->str), noun,
			yq(l->t, rel->obj.name));
	if (strcmp(key->str, "_RETURN") == 0) {
		struct sg_diag *dg = sg_diag_error(l->d, key->loc, "%s: \"_RETURN\" "
						   "is a view's own rule", ctx);

		sg_diag_hint(dg, l->d, "a view's query is its \"query\"");
		return;
	}
	r = SG_NEW(l->cat, sg_rule, SG_KIND_RULE, NULL, key->str, &rel->obj);
	r->obj.loc = key->loc;
	r->event = '3';
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, sg_printf(l->t, "a mapping for %s", ctx));
		return;
	}
	get_keys(l, val, rule_keys, RK__COUNT, v, ctx);
	if (!v[RK_EVENT]) {
		struct sg_diag *dg = sg_diag_error(l->d, key->loc, "missing key "
						   "\"event\" in %s", ctx);

		sg_diag_hint(dg, l->d, "event: insert, update or delete");
	} else {
		int w = yone_of(l, v[RK_EVENT], "event", events, 3);

		if (w >= 0)
			r->event = "324"[w];
	}
	if (v[RK_WHERE] && !ynode_is_null(v[RK_WHERE]))
		r->where = yget_sql(l, v[RK_WHERE], "where", SG_FRAG_EXPR,
				    sg_printf(l->t, "\"where\" of %s", ctx), &r->where_loc);
	if (v[RK_INSTEAD])
		yget_bool(l->d, l->t, v[RK_INSTEAD], "instead", &r->instead);
	if (v[RK_ACTIONS] && !ynode_is_null(v[RK_ACTIONS]))
		load_actions(l, r, v[RK_ACTIONS], ctx);
	if (v[RK_ENABLED]) {
		const struct ynode *e = v[RK_ENABLED];

		if (e->type == YN_SCALAR && e->plain &&
		    (strcmp(e->str, "true") == 0 || strcmp(e->str, "false") == 0)) {
			r->enabled = e->str[0] == 't' ? 'O' : 'D';
		} else {
			static const char *const words[] = { "origin", "disabled",
							     "replica", "always" };
			int w = yone_of(l, e, "enabled", words, 4);

			if (w >= 0)
				r->enabled = "ODRA"[w];
		}
		if (r->enabled && r->enabled != 'O' && rel->obj.kind == SG_KIND_VIEW)
			sg_diag_error(l->d, e->loc, "the enabled state of a view's rule "
				      "cannot be changed");
	}
	if (v[RK_COMMENT] && yget_str(l->d, l->t, v[RK_COMMENT], "comment", &s) && s && *s)
		r->obj.comment = sg_strdup(l->a, s);
	if (v[RK_RENAMED_FROM] && !ynode_is_null(v[RK_RENAMED_FROM]) &&
	    yname_ok(l->d, l->t, v[RK_RENAMED_FROM], "rule name")) {
		if (strcmp(v[RK_RENAMED_FROM]->str, key->str) == 0) {
			struct sg_diag *dg = sg_diag_error(l->d, v[RK_RENAMED_FROM]->loc,
							   "rule %s is renamed from "
							   "itself", yq(l->t, key->str));

			sg_diag_hint(dg, l->d, "remove \"renamed_from\" once the "
				     "rename has been applied");
		} else {
			r->obj.renamed_from = sg_strdup(l->a, v[RK_RENAMED_FROM]->str);
			r->obj.renamed_loc = v[RK_RENAMED_FROM]->vloc;
		}
	}
}

void load_rules(struct loader *l, struct sg_table *rel, const struct ynode *v)
{
	if (!v || ynode_is_null(v))
		return;
	if (v->type != YN_MAP) {
		struct sg_diag *dg = yexpect(l->d, l->t, v, "a mapping of rule "
					     "names to rules");

		if (v->type == YN_SEQ)
			sg_diag_hint(dg, l->d, "rules are keyed by name: "
				     "rules: {name: {event: insert, ...}}");
		return;
	}
	for (size_t i = 0; i + 1 < v->nkids; i += 2)
		if (ykey_ok(l->d, l->t, v->kids[i]))
			load_rule(l, rel, v->kids[i], v->kids[i + 1]);
	for (size_t i = 0; i < rel->nrules; i++) {
		const struct sg_rule *r = rel->rules[i];

		for (size_t j = 0; r->obj.renamed_from && j < rel->nrules; j++)
			if (strcmp(rel->rules[j]->obj.name, r->obj.renamed_from) == 0)
				sg_diag_error(l->d, r->obj.renamed_loc, "rule %s is "
					      "renamed from %s, which is still a "
					      "rule of %s %s", yq(l->t, r->obj.name),
					      yq(l->t, r->obj.renamed_from),
					      rel->obj.kind == SG_KIND_VIEW ? "view" : "table",
					      yq(l->t, rel->obj.name));
	}
}
