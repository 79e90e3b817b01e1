// SPDX-License-Identifier: MIT
/*
 * foreign.c - the sections foreign_data_wrappers:, servers: and
 * user_mappings: of a model file (database-wide objects: they take no
 * schema, whatever the file's).  docs/models.md documents the format.
 *
 * Options are a mapping of keys to strings; a value can also be
 * {env: NAME}, an environment variable the runner reads when it applies a
 * migration: the value is then never written anywhere.  A secret option
 * (password and the like, sg_option_secret()) must be given so.
 */
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/quote.h"
#include "schemagen/sql.h"
#include "yaml-priv.h"

static bool env_name_ok(const char *s)
{
	if (!*s || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

static int opt_cmp(const void *pa, const void *pb)
{
	const struct sg_fdw_option *a = pa, *b = pb;

	return strcmp(a->key, b->key);
}

/* One option value: a string, or {env: NAME}. */
static bool load_option(struct loader *l, const struct ynode *key,
			const struct ynode *val, const char *ctx,
			struct sg_fdw_option *o)
{
	o->key = sg_strdup(l->a, key->str);
	o->loc = key->loc;
	if (val->type == YN_MAP) {
		const struct ynode *env = NULL;

		for (size_t i = 0; i + 1 < val->nkids; i += 2) {
			static const char *const keys[] = { "env" };
			const struct ynode *k = val->kids[i];

			if (!ykey_ok(l->d, l->t, k))
				return false;
			if (strcmp(k->str, "env") != 0) {
				yunknown_key(l->d, k, keys, 1, sg_printf(l->t,
					     "option %s of %s", yq(l->t, key->str), ctx));
				return false;
			}
			env = val->kids[i + 1];
		}
		if (!env) {
			struct sg_diag *dg = yexpect(l->d, l->t, val,
						     "a string or {env: NAME}");

			sg_diag_hint(dg, l->d, "write {env: NAME}: the runner reads the value from the environment variable NAME");
			return false;
		}
		if (env->type != YN_SCALAR || !env_name_ok(env->str)) {
			struct sg_diag *dg = yexpect(l->d, l->t, env,
				"the name of an environment variable");

			sg_diag_hint(dg, l->d, "letters, digits and `_`, not starting with a digit");
			return false;
		}
		o->env = sg_strdup(l->a, env->str);
		o->secret = true;
		return true;
	}
	if (val->type != YN_SCALAR || ynode_is_null(val)) {
		yexpect(l->d, l->t, val, "a string or {env: NAME}");
		return false;
	}
	if (sg_option_secret(key->str)) {
		/* never echo the value */
		struct sg_diag *dg = sg_diag_error(l->d, val->loc,
			"option %s of %s is a secret: it cannot be written in a model",
			yq(l->t, key->str), ctx);

		sg_diag_hint(dg, l->d, "write {env: NAME}: the runner reads it from the environment variable NAME when it applies the migration, and it is never written to a file");
		return false;
	}
	if (strncmp(val->str, SG_SECRET_PREFIX, strlen(SG_SECRET_PREFIX)) == 0) {
		struct sg_diag *dg = sg_diag_error(l->d, val->loc,
			"option %s of %s starts with \"%s\", which marks an environment variable in migrations",
			yq(l->t, key->str), ctx, SG_SECRET_PREFIX);

		sg_diag_hint(dg, l->d, "write {env: NAME} to read the value from the environment");
		return false;
	}
	if (strlen(val->str) != val->len) {
		sg_diag_error(l->d, val->loc, "option %s of %s holds a NUL character",
			      yq(l->t, key->str), ctx);
		return false;
	}
	o->value = sg_strdup(l->a, val->str);
	return true;
}

void yload_fdw_options(struct loader *l, const struct ynode *v,
		       const char *ctx, struct sg_fdw_option **out, size_t *n)
{
	struct sg_fdw_option *opts;
	size_t k = 0;

	*out = NULL;
	*n = 0;
	if (!v || ynode_is_null(v))
		return;
	if (v->type != YN_MAP) {
		yexpect(l->d, l->t, v, "a mapping of option names to values");
		return;
	}
	opts = sg_alloc_array(l->a, v->nkids / 2 + 1, sizeof(*opts));
	for (size_t i = 0; i + 1 < v->nkids; i += 2) {
		const struct ynode *key = v->kids[i];

		if (!yname_ok(l->d, l->t, key, "option name"))
			continue;
		if (load_option(l, key, v->kids[i + 1], ctx, &opts[k]))
			k++;
	}
	qsort(opts, k, sizeof(*opts), opt_cmp);
	*out = opts;
	*n = k;
}

static const char *get_string(struct loader *l, const struct ynode *v,
			      const char *key)
{
	const char *s;

	if (!v || !yget_str(l->d, l->t, v, key, &s) || !s)
		return NULL;
	return sg_strdup(l->a, s);
}

static void set_comment(struct loader *l, struct sg_object *obj, const struct ynode *v)
{
	const char *s = get_string(l, v, "comment");

	if (s && *s)
		obj->comment = s;
}

/* ---- foreign data wrappers ---- */

static const char *const fdw_keys[] = {
	"handler", "validator", "options", "owner", "comment", "grants",
	"renamed_from",
};

void load_fdw(struct loader *l, const struct ynode *key, const struct ynode *val)
{
	const struct ynode *v[ARRAY_SIZE(fdw_keys)];
	struct sg_fdw *w;
	const char *ctx;

	if (!yname_ok(l->d, l->t, key, "foreign data wrapper name"))
		return;
	w = SG_NEW(l->cat, sg_fdw, SG_KIND_FDW, SG_GLOBAL_SCHEMA, key->str, NULL);
	w->obj.loc = key->loc;
	if (ynode_is_null(val))
		return;
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, "a mapping {handler:, validator:, options:, ...} or nothing");
		return;
	}
	ctx = sg_printf(l->t, "foreign data wrapper %s", yq(l->t, key->str));
	yload_keys(l, val, fdw_keys, ARRAY_SIZE(fdw_keys), v, ctx);
	if (v[0]) {
		w->handler = load_qualname(l, v[0], "handler");
		w->handler_loc = v[0]->vloc;
	}
	if (v[1]) {
		w->validator = load_qualname(l, v[1], "validator");
		w->validator_loc = v[1]->vloc;
	}
	yload_fdw_options(l, v[2], ctx, &w->options, &w->noptions);
	load_owner(l, &w->obj, v[3]);
	set_comment(l, &w->obj, v[4]);
	load_grants(l, &w->obj, v[5]);
	load_renamed_from(l, &w->obj, v[6], "foreign data wrapper", key->str);
}

/* ---- servers ---- */

static const char *const server_keys[] = {
	"wrapper", "type", "version", "options", "owner", "comment", "grants",
	"renamed_from",
};

void load_server(struct loader *l, const struct ynode *key, const struct ynode *val)
{
	const struct ynode *v[ARRAY_SIZE(server_keys)];
	struct sg_server *s;
	const char *ctx;

	if (!yname_ok(l->d, l->t, key, "server name"))
		return;
	s = SG_NEW(l->cat, sg_server, SG_KIND_SERVER, SG_GLOBAL_SCHEMA, key->str, NULL);
	s->obj.loc = key->loc;
	ctx = sg_printf(l->t, "server %s", yq(l->t, key->str));
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, "a mapping {wrapper:, options:, ...}");
		return;
	}
	yload_keys(l, val, server_keys, ARRAY_SIZE(server_keys), v, ctx);
	if (!v[0] || ynode_is_null(v[0])) {
		struct sg_diag *dg = sg_diag_error(l->d, key->loc,
			"%s needs \"wrapper\"", ctx);

		sg_diag_hint(dg, l->d, "the foreign data wrapper it uses: wrapper: postgres_fdw");
	} else if (yname_ok(l->d, l->t, v[0], "foreign data wrapper name")) {
		s->wrapper = sg_strdup(l->a, v[0]->str);
		s->wrapper_loc = v[0]->vloc;
	}
	s->type = get_string(l, v[1], "type");
	s->version = get_string(l, v[2], "version");
	yload_fdw_options(l, v[3], ctx, &s->options, &s->noptions);
	load_owner(l, &s->obj, v[4]);
	set_comment(l, &s->obj, v[5]);
	load_grants(l, &s->obj, v[6]);
	load_renamed_from(l, &s->obj, v[7], "server", key->str);
}

/* ---- user mappings: server -> role -> {options:} ---- */

static const char *const mapping_keys[] = { "options", "options_hidden" };

static void load_mapping(struct loader *l, const struct ynode *server,
			 const struct ynode *key, const struct ynode *val)
{
	const struct ynode *v[ARRAY_SIZE(mapping_keys)];
	struct sg_user_mapping *m;
	const char *role, *ctx;

	if (!yname_ok(l->d, l->t, key, "role name"))
		return;
	/* PostgreSQL reserves these names: no role has them */
	role = strcmp(key->str, "public") == 0 ? SG_ROLE_PUBLIC
	       : strcmp(key->str, "current_user") == 0 ? SG_ROLE_CURRENT
	       : key->str;
	m = SG_NEW(l->cat, sg_user_mapping, SG_KIND_USER_MAPPING, SG_GLOBAL_SCHEMA,
		   sg_user_mapping_name(l->t, role, server->str), NULL);
	m->obj.loc = key->loc;
	m->role = sg_strdup(l->a, role);
	m->server = sg_strdup(l->a, server->str);
	if (ynode_is_null(val))
		return;
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, "a mapping {options:} or nothing");
		return;
	}
	ctx = sg_printf(l->t, "user mapping %s", m->obj.name);
	yload_keys(l, val, mapping_keys, ARRAY_SIZE(mapping_keys), v, ctx);
	yload_fdw_options(l, v[0], ctx, &m->options, &m->noptions);
	/* options the models do not manage (what dump writes for a mapping
	 * whose options pg_user_mappings hid from it) */
	if (v[1] && !ynode_is_null(v[1]) &&
	    yget_bool(l->d, l->t, v[1], "options_hidden", &m->options_hidden) &&
	    m->options_hidden && v[0] && !ynode_is_null(v[0])) {
		struct sg_diag *dg = sg_diag_error(l->d, v[1]->loc, "%s gives options "
						   "and options_hidden: true", ctx);

		sg_diag_hint(dg, l->d, "options_hidden: true says the models do not "
			     "manage its options: leave out one of them");
	}
}

void load_user_mappings(struct loader *l, const struct ynode *val)
{
	if (ynode_is_null(val))
		return;
	if (val->type != YN_MAP) {
		struct sg_diag *dg = yexpect(l->d, l->t, val,
			"a mapping of server names to their mappings");

		sg_diag_hint(dg, l->d, "write user_mappings: {server: {role: {options: {...}}}}");
		return;
	}
	for (size_t i = 0; i + 1 < val->nkids; i += 2) {
		const struct ynode *server = val->kids[i], *roles = val->kids[i + 1];

		if (!yname_ok(l->d, l->t, server, "server name"))
			continue;
		if (ynode_is_null(roles))
			continue;
		if (roles->type != YN_MAP) {
			yexpect(l->d, l->t, roles, "a mapping of role names to {options:}");
			continue;
		}
		for (size_t j = 0; j + 1 < roles->nkids; j += 2)
			if (ykey_ok(l->d, l->t, roles->kids[j]))
				load_mapping(l, server, roles->kids[j], roles->kids[j + 1]);
	}
}
