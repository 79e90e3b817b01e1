// SPDX-License-Identifier: MIT
/*
 * language.c - a procedural language of the models (database-wide):
 *
 *     languages:
 *       plsample:
 *         handler: {schema: public, name: plsample_call_handler}
 *         inline: plsample_inline_handler     # optional
 *         validator: plsample_validator       # optional
 *         trusted: true                       # optional, false by default
 *         comment: ...
 *         owner: ...
 *         grants: {app: [usage]}
 *         renamed_from: plold                 # ALTER LANGUAGE ... RENAME TO
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/model.h"
#include "schemagen/util.h"
#include "yaml-priv.h"

static const char *const language_keys[] = {
	"handler", "inline", "validator", "trusted", "comment", "owner",
	"grants", "renamed_from",
};

void load_language(struct loader *l, const struct ynode *key,
		   const struct ynode *val)
{
	const struct ynode *v[ARRAY_SIZE(language_keys)];
	struct sg_language *g;
	const char *ctx, *s;

	if (!yname_ok(l->d, l->t, key, "language name"))
		return;
	g = SG_NEW(l->cat, sg_language, SG_KIND_LANGUAGE, SG_GLOBAL_SCHEMA,
		   key->str, NULL);
	g->obj.loc = key->loc;
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, "a mapping {handler:, ...}");
		return;
	}
	ctx = sg_printf(l->t, "language %s", yq(l->t, key->str));
	yload_keys(l, val, language_keys, ARRAY_SIZE(language_keys), v, ctx);
	if (!v[0] || ynode_is_null(v[0])) {
		struct sg_diag *dg = sg_diag_error(l->d, key->loc,
						   "%s needs \"handler\"", ctx);

		sg_diag_hint(dg, l->d, "the function that runs its code, "
			     "returning language_handler");
	} else {
		g->handler = load_qualname(l, v[0], "handler");
	}
	g->inline_handler = load_qualname(l, v[1], "inline");
	g->validator = load_qualname(l, v[2], "validator");
	if (v[3] && !ynode_is_null(v[3]))
		yget_bool(l->d, l->t, v[3], "trusted", &g->trusted);
	if (v[4] && yget_str(l->d, l->t, v[4], "comment", &s) && s && *s)
		g->obj.comment = sg_strdup(l->a, s);
	load_owner(l, &g->obj, v[5]);
	if (v[6] && !ynode_is_null(v[6]))
		load_grants(l, &g->obj, v[6]);
	load_renamed_from(l, &g->obj, v[7], "language", key->str);
}
