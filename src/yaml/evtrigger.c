// SPDX-License-Identifier: MIT
/*
 * evtrigger.c - `event_triggers:`, database-wide: a mapping of event
 * trigger names to {event, tags, function, enabled, comment, owner,
 * renamed_from}.  The event is one of PostgreSQL's words, the tags are
 * string constants (WHEN TAG IN), the function a name or {schema:, name:}
 * (names are literal: "a.b" is one name).
 */
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/util.h"
#include "yaml-priv.h"

static const char *const event_trigger_keys[] = {
	"event", "tags", "function", "enabled", "comment", "owner", "renamed_from",
};
enum { EK_EVENT, EK_TAGS, EK_FUNCTION, EK_ENABLED, EK_COMMENT, EK_OWNER,
       EK_RENAMED };

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void load_function(struct loader *l, struct sg_event_trigger *e,
			  const struct ynode *v)
{
	const struct ynode *nn = v;

	if (v->type == YN_MAP) {
		static const char *const keys[] = { "schema", "name" };
		const struct ynode *kv[2];

		get_keys(l, v, keys, 2, kv, "\"function\"");
		if (!kv[1]) {
			sg_diag_error(l->d, v->loc, "missing key \"name\" in \"function\"");
			return;
		}
		if (kv[0] && !yname_ok(l->d, l->t, kv[0], "schema name"))
			return;
		nn = kv[1];
		if (kv[0])
			e->function_schema = sg_strdup(l->a, kv[0]->str);
	}
	if (!yname_ok(l->d, l->t, nn, "function name"))
		return;
	e->function_name = sg_strdup(l->a, nn->str);
	e->function_loc = nn->loc;
}

static void load_tags(struct loader *l, struct sg_event_trigger *e,
		      const struct ynode *v)
{
	if (ynode_is_null(v))
		return;
	if (v->type != YN_SEQ) {
		yexpect(l->d, l->t, v, "a list of command tags (such as CREATE TABLE)");
		return;
	}
	e->tags = sg_alloc_array(l->a, v->nkids + 1, sizeof(*e->tags));
	e->tags_loc = v->loc;
	for (size_t i = 0; i < v->nkids; i++) {
		const char *s;

		if (!yget_str(l->d, l->t, v->kids[i], "tags", &s))
			continue;
		if (!s || !*s) {
			yexpect(l->d, l->t, v->kids[i], "a command tag");
			continue;
		}
		e->tags[e->ntags++] = sg_strdup(l->a, s);
	}
	if (e->ntags > 1)
		qsort(e->tags, e->ntags, sizeof(*e->tags), str_cmp);
}

void load_event_trigger(struct loader *l, const struct ynode *key,
			const struct ynode *val)
{
	static const char *const events[] = {
		"ddl_command_start", "ddl_command_end", "sql_drop",
		"table_rewrite", "login",
	};
	const struct ynode *v[ARRAY_SIZE(event_trigger_keys)];
	struct sg_event_trigger *e;
	const char *ctx;
	int w;

	if (!yname_ok(l->d, l->t, key, "event trigger name"))
		return;
	e = SG_NEW(l->cat, sg_event_trigger, SG_KIND_EVENT_TRIGGER,
		   SG_GLOBAL_SCHEMA, key->str, NULL);
	e->obj.loc = key->loc;
	e->enabled = 'O';
	ctx = sg_printf(l->t, "event trigger %s", yq(l->t, key->str));
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, "a mapping {event:, function:, ...}");
		return;
	}
	yload_keys(l, val, event_trigger_keys, ARRAY_SIZE(event_trigger_keys), v, ctx);
	if (!v[EK_EVENT]) {
		sg_diag_error(l->d, val->loc, "missing key \"event\" in %s", ctx);
	} else if ((w = yone_of(l, v[EK_EVENT], "event", events,
				ARRAY_SIZE(events))) >= 0) {
		e->event = events[w];
		e->event_loc = v[EK_EVENT]->loc;
	}
	if (!v[EK_FUNCTION])
		sg_diag_error(l->d, val->loc, "missing key \"function\" in %s", ctx);
	else
		load_function(l, e, v[EK_FUNCTION]);
	if (v[EK_TAGS])
		load_tags(l, e, v[EK_TAGS]);
	if (v[EK_ENABLED]) {
		const struct ynode *n = v[EK_ENABLED];

		if (n->type == YN_SCALAR && n->plain &&
		    (strcmp(n->str, "true") == 0 || strcmp(n->str, "false") == 0)) {
			e->enabled = n->str[0] == 't' ? 'O' : 'D';
		} else {
			static const char *const words[] = { "origin", "disabled",
							     "replica", "always" };
			int k = yone_of(l, n, "enabled", words, 4);

			if (k >= 0)
				e->enabled = "ODRA"[k];
		}
	}
	if (v[EK_COMMENT]) {
		const char *s;

		if (yget_str(l->d, l->t, v[EK_COMMENT], "comment", &s) && s && *s)
			e->obj.comment = sg_strdup(l->a, s);
	}
	load_owner(l, &e->obj, v[EK_OWNER]);
	if (v[EK_RENAMED] && !ynode_is_null(v[EK_RENAMED]) &&
	    yname_ok(l->d, l->t, v[EK_RENAMED], "event trigger name")) {
		if (strcmp(v[EK_RENAMED]->str, key->str) == 0) {
			struct sg_diag *dg = sg_diag_error(
				l->d, v[EK_RENAMED]->loc, "event trigger %s is "
				"renamed from itself", yq(l->t, key->str));

			sg_diag_hint(dg, l->d, "remove \"renamed_from\" once the "
				     "rename has been applied");
		} else {
			e->obj.renamed_from = sg_strdup(l->a, v[EK_RENAMED]->str);
			e->obj.renamed_loc = v[EK_RENAMED]->loc;
		}
	}
}
