// SPDX-License-Identifier: MIT
/*
 * trigger.c - the `triggers:` of a table or view (load_triggers(), reusable
 * for views): a mapping name -> timing, events, for_each, when, function,
 * arguments, and the rest.  The function is checked in model/check.c once every
 * file is read.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "schemagen/sql.h"

#include "yaml-priv.h"

static const char *const trigger_keys[] = {
	"timing", "events", "update_of", "for_each", "when", "function",
	"arguments", "constraint", "deferrable", "initially_deferred",
	"referencing", "from", "enabled", "comment",
};
enum {
	TK_TIMING, TK_EVENTS, TK_UPDATE_OF, TK_FOR_EACH, TK_WHEN, TK_FUNCTION,
	TK_ARGUMENTS, TK_CONSTRAINT, TK_DEFERRABLE, TK_DEFERRED, TK_REFERENCING,
	TK_FROM, TK_ENABLED, TK_COMMENT, TK__COUNT
};
_Static_assert(ARRAY_SIZE(trigger_keys) == TK__COUNT, "trigger_keys");

static void load_events(struct loader *l, struct sg_trigger *g,
			const struct ynode *v)
{
	static const char *const words[] = { "insert", "delete", "update", "truncate" };
	static const char *const upper[] = { "INSERT", "DELETE", "UPDATE", "TRUNCATE" };
	bool seen[4] = { false };
	const struct ynode *one = v;
	size_t n = 1;

	if (v->type == YN_SEQ) {
		n = v->nkids;
	} else if (v->type != YN_SCALAR || ynode_is_null(v)) {
		yexpect(l->d, l->t, v, "a list of events (insert, update, delete, truncate)");
		return;
	}
	if (n == 0) {
		sg_diag_error(l->d, v->loc, "\"events\" is empty");
		return;
	}
	for (size_t i = 0; i < n; i++) {
		int w;

		if (v->type == YN_SEQ)
			one = v->kids[i];
		w = yone_of(l, one, "events", words, 4);
		if (w < 0)
			continue;
		if (seen[w])
			sg_diag_error(l->d, one->loc, "event %s appears twice", words[w]);
		seen[w] = true;
	}
	/* in the order pg_get_triggerdef() writes them */
	g->events = sg_alloc_array(l->a, 4, sizeof(*g->events));
	for (int w = 0; w < 4; w++)
		if (seen[w])
			g->events[g->nevents++] = upper[w];
}

static const char **name_list(struct loader *l, const struct ynode *v,
			      const char *what, size_t *n)
{
	const char **out;

	*n = 0;
	if (ynode_is_null(v))
		return NULL;
	if (v->type != YN_SEQ) {
		yexpect(l->d, l->t, v, sg_printf(l->t, "a list of %s", what));
		return NULL;
	}
	out = sg_alloc_array(l->a, v->nkids + 1, sizeof(*out));
	for (size_t i = 0; i < v->nkids; i++)
		if (yname_ok(l->d, l->t, v->kids[i], what))
			out[(*n)++] = sg_strdup(l->a, v->kids[i]->str);
	return out;
}

/* function: name, schema.name is NOT split (names are literal); a mapping
 * {schema:, name:} qualifies. */
static void load_trigger_function(struct loader *l, struct sg_trigger *g,
				  const struct ynode *v)
{
	if (v->type == YN_MAP) {
		const struct ynode *sn = NULL, *nn = NULL;

		for (size_t i = 0; i + 1 < v->nkids; i += 2) {
			static const char *const keys[] = { "schema", "name" };
			const struct ynode *k = v->kids[i];

			if (!ykey_ok(l->d, l->t, k))
				continue;
			if (strcmp(k->str, "schema") == 0)
				sn = v->kids[i + 1];
			else if (strcmp(k->str, "name") == 0)
				nn = v->kids[i + 1];
			else
				yunknown_key(l->d, k, keys, 2, "\"function\"");
		}
		if (!nn) {
			sg_diag_error(l->d, v->loc, "missing key \"name\" in \"function\"");
			return;
		}
		if ((sn && !yname_ok(l->d, l->t, sn, "schema name")) ||
		    !yname_ok(l->d, l->t, nn, "function name"))
			return;
		g->function_schema = sn ? sg_strdup(l->a, sn->str) : NULL;
		g->function_name = sg_strdup(l->a, nn->str);
	} else {
		if (!yname_ok(l->d, l->t, v, "function name"))
			return;
		g->function_name = sg_strdup(l->a, v->str);
	}
	g->function = sg_qq(l->a, g->function_schema, g->function_name);
	g->function_loc = v->loc;
}

static void load_referencing(struct loader *l, struct sg_trigger *g,
			     const struct ynode *v)
{
	static const char *const keys[] = { "old_table", "new_table" };

	if (ynode_is_null(v))
		return;
	if (v->type != YN_MAP) {
		yexpect(l->d, l->t, v, "a mapping {old_table:, new_table:}");
		return;
	}
	for (size_t i = 0; i + 1 < v->nkids; i += 2) {
		const struct ynode *k = v->kids[i], *val = v->kids[i + 1];

		if (!ykey_ok(l->d, l->t, k))
			continue;
		if (strcmp(k->str, "old_table") == 0 || strcmp(k->str, "new_table") == 0) {
			if (!yname_ok(l->d, l->t, val, "transition table name"))
				continue;
			if (k->str[0] == 'o')
				g->old_table = sg_strdup(l->a, val->str);
			else
				g->new_table = sg_strdup(l->a, val->str);
		} else {
			yunknown_key(l->d, k, keys, 2, "\"referencing\"");
		}
	}
}

static void load_trigger(struct loader *l, struct sg_table *rel,
			 const struct ynode *key, const struct ynode *val)
{
	const struct ynode *v[TK__COUNT];
	struct sg_trigger *g;
	const char *ctx, *s;

	if (!yname_ok(l->d, l->t, key, "trigger name"))
		return;
	ctx = sg_printf(l->t, "trigger %s of %s", yq(l->t, key->str),
			yq(l->t, rel->obj.name));
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, sg_printf(l->t, "a mapping for %s", ctx));
		return;
	}
	g = SG_NEW(l->cat, sg_trigger, SG_KIND_TRIGGER, NULL, key->str, &rel->obj);
	g->obj.loc = key->loc;
	get_keys(l, val, trigger_keys, TK__COUNT, v, ctx);

	if (!v[TK_TIMING]) {
		sg_diag_error(l->d, key->loc, "missing key \"timing\" in %s", ctx);
	} else {
		static const char *const words[] = { "before", "after", "instead of" };
		static const char *const upper[] = { "BEFORE", "AFTER", "INSTEAD OF" };
		int w = yone_of(l, v[TK_TIMING], "timing", words, 3);

		if (w >= 0)
			g->timing = upper[w];
	}
	if (!v[TK_EVENTS])
		sg_diag_error(l->d, key->loc, "missing key \"events\" in %s", ctx);
	else
		load_events(l, g, v[TK_EVENTS]);
	if (v[TK_UPDATE_OF]) {
		bool update = false;

		g->update_columns = name_list(l, v[TK_UPDATE_OF], "column names",
					      &g->nupdate_columns);
		for (size_t i = 0; i < g->nevents; i++)
			update = update || strcmp(g->events[i], "UPDATE") == 0;
		if (g->nupdate_columns && !update && g->nevents)
			sg_diag_error(l->d, v[TK_UPDATE_OF]->loc, "\"update_of\" needs "
				      "the update event in \"events\"");
		for (size_t i = 0; i < g->nupdate_columns; i++)
			if (rel->obj.kind == SG_KIND_TABLE &&
			    !sg_table_column(rel, g->update_columns[i]))
				sg_diag_error(l->d, v[TK_UPDATE_OF]->kids[i]->loc,
					      "unknown column %s in %s",
					      yq(l->t, g->update_columns[i]), ctx);
	}
	if (v[TK_FOR_EACH]) {
		static const char *const words[] = { "statement", "row" };
		int w = yone_of(l, v[TK_FOR_EACH], "for_each", words, 2);

		g->for_each_row = w == 1;
	}
	if (v[TK_WHEN] && !ynode_is_null(v[TK_WHEN]))
		g->when = yget_sql(l, v[TK_WHEN], "when", SG_FRAG_EXPR,
				  sg_printf(l->t, "condition of %s", ctx), &g->when_loc);
	if (!v[TK_FUNCTION] || ynode_is_null(v[TK_FUNCTION]))
		sg_diag_error(l->d, key->loc, "missing key \"function\" in %s", ctx);
	else
		load_trigger_function(l, g, v[TK_FUNCTION]);
	if (v[TK_ARGUMENTS] && !ynode_is_null(v[TK_ARGUMENTS])) {
		const struct ynode *a = v[TK_ARGUMENTS];

		if (a->type != YN_SEQ) {
			yexpect(l->d, l->t, a, "a list of arguments (strings)");
		} else {
			g->arguments = sg_alloc_array(l->a, a->nkids + 1, sizeof(*g->arguments));
			for (size_t i = 0; i < a->nkids; i++) {
				if (a->kids[i]->type != YN_SCALAR) {
					yexpect(l->d, l->t, a->kids[i], "a string");
					continue;
				}
				if (!yget_str(l->d, l->t, a->kids[i], "arguments", &s))
					continue;
				g->arguments[g->narguments++] = sg_strdup(l->a, s ? s : "");
			}
		}
	}
	if (v[TK_CONSTRAINT])
		yget_bool(l->d, l->t, v[TK_CONSTRAINT], "constraint", &g->constraint);
	if (v[TK_DEFERRABLE])
		yget_bool(l->d, l->t, v[TK_DEFERRABLE], "deferrable", &g->deferrable);
	if (v[TK_DEFERRED])
		yget_bool(l->d, l->t, v[TK_DEFERRED], "initially_deferred", &g->deferred);
	if ((g->deferrable || g->deferred || v[TK_FROM]) && !g->constraint) {
		const struct ynode *at = v[TK_FROM] ? v[TK_FROM]
				       : v[TK_DEFERRABLE] ? v[TK_DEFERRABLE] : v[TK_DEFERRED];
		struct sg_diag *dg = sg_diag_error(l->d, at->loc, "only a constraint "
						   "trigger can be %s", v[TK_FROM]
						   ? "FROM another table" : "deferred");

		sg_diag_hint(dg, l->d, "add \"constraint: true\"");
	}
	if (v[TK_REFERENCING])
		load_referencing(l, g, v[TK_REFERENCING]);
	if (v[TK_FROM] && !ynode_is_null(v[TK_FROM]))
		g->from_table = load_qualname(l, v[TK_FROM], "from");
	if (v[TK_ENABLED]) {
		const struct ynode *e = v[TK_ENABLED];

		if (e->type == YN_SCALAR && e->plain &&
		    (strcmp(e->str, "true") == 0 || strcmp(e->str, "false") == 0)) {
			g->enabled = e->str[0] == 't' ? 'O' : 'D';
		} else {
			static const char *const words[] = { "origin", "disabled",
							     "replica", "always" };
			int w = yone_of(l, e, "enabled", words, 4);

			if (w >= 0)
				g->enabled = "ODRA"[w];
		}
		if (g->enabled == 'D' && rel->obj.kind == SG_KIND_VIEW)
			sg_diag_error(l->d, e->loc, "a trigger of a view cannot be disabled");
	}
	if (v[TK_COMMENT] && yget_str(l->d, l->t, v[TK_COMMENT], "comment", &s) && s && *s)
		g->obj.comment = sg_strdup(l->a, s);
}

void load_triggers(struct loader *l, struct sg_table *rel, const struct ynode *val)
{
	if (ynode_is_null(val))
		return;
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, "a mapping of trigger names to definitions");
		return;
	}
	for (size_t i = 0; i + 1 < val->nkids; i += 2)
		if (ykey_ok(l->d, l->t, val->kids[i]))
			load_trigger(l, rel, val->kids[i], val->kids[i + 1]);
}
