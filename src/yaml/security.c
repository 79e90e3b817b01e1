// SPDX-License-Identifier: MIT
/*
 * security.c - the model keys of privileges, row-level security and
 * policies: `grants:` (on schemas, tables, columns, sequences, enums, and
 * the other kinds that have privileges), `row_level_security:` and
 * `policies:` of a table.  The format is documented in docs/models.md.
 *
 * Privilege names are checked against the kind of the object (a sequence
 * has no DELETE) with a "did you mean"; role names are only checked as
 * names, since roles live in the cluster: one that does not exist is
 * reported by the server, at the grantee's key, when the models are
 * materialised.  Role names are literal like every name: `public` is the
 * PUBLIC pseudo-role (PostgreSQL reserves the name), `PUBLIC` a role of
 * that name.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/sbuf.h"
#include "schemagen/sql.h"
#include "yaml-priv.h"

/* ---- grants ---- */

/* "tables", "sequences", ... for messages about privileges. */
static const char *kind_plural(const struct sg_object *obj)
{
	switch (obj->kind) {
	case SG_KIND_SCHEMA: return "schemas";
	case SG_KIND_SEQUENCE: return "sequences";
	case SG_KIND_COLUMN: return "columns";
	case SG_KIND_FUNCTION: return "functions";
	case SG_KIND_AGGREGATE: return "aggregates";
	case SG_KIND_VIEW: return "views";
	case SG_KIND_FOREIGN_TABLE: return "foreign tables";
	case SG_KIND_FDW: return "foreign data wrappers";
	case SG_KIND_SERVER: return "servers";
	case SG_KIND_ENUM:
	case SG_KIND_DOMAIN:
	case SG_KIND_COMPOSITE: return "types";
	default: return "tables";
	}
}

/* "select, insert, ..." for the privileges of a kind. */
static const char *privilege_words(struct sg_arena *a, const char *letters)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	for (const char *p = letters; *p; p++) {
		const char *name = sg_privilege_name(*p);

		if (p != letters)
			sbuf_adds(&sb, ", ");
		for (const char *q = name; *q; q++)
			sbuf_addch(&sb, *q == ' ' ? '_' : (char)(*q - 'A' + 'a'));
	}
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

/* The privileges `all` stands for: those of the kind but MAINTAIN, which
 * only PostgreSQL 17 has (write it as well to have it). */
static const char *all_privileges(struct sg_arena *a, const struct sg_object *obj)
{
	const char *of = sg_privileges_of(obj);
	char *r = sg_strdup(a, of), *m = strchr(r, 'm');

	if (m)
		memmove(m, m + 1, strlen(m));
	return r;
}

/*
 * A list of privilege names into a set of letters (have[] by rank).
 * Returns false after a diagnostic.
 */
static bool privilege_set(struct loader *l, const struct sg_object *obj,
			  const struct ynode *v, const char *ctx, bool *have)
{
	const char *of = sg_privileges_of(obj);
	bool good = true;

	if (v->type == YN_SCALAR && !ynode_is_null(v)) {
		struct sg_diag *dg = yexpect(l->d, l->t, v, "a list of privileges");

		sg_diag_hint(dg, l->d, "write [%s]", v->str);
		return false;
	}
	if (v->type != YN_SEQ) {
		yexpect(l->d, l->t, v, "a list of privileges");
		return false;
	}
	for (size_t i = 0; i < v->nkids; i++) {
		const struct ynode *it = v->kids[i];
		char letter;
		int rank;

		if (it->type != YN_SCALAR || ynode_is_null(it)) {
			yexpect(l->d, l->t, it, "a privilege name");
			good = false;
			continue;
		}
		if (strcasecmp(it->str, "all") == 0 ||
		    strcasecmp(it->str, "all privileges") == 0 ||
		    strcasecmp(it->str, "all_privileges") == 0) {
			for (const char *p = all_privileges(l->t, obj); *p; p++)
				have[sg_privilege_rank(*p)] = true;
			continue;
		}
		letter = sg_privilege_letter(it->str);
		if (!letter || !strchr(of, letter)) {
			struct sg_diag *dg;
			const char *words = privilege_words(l->t, of);
			const char **cands = sg_alloc_array(l->t, strlen(of) + 1,
							    sizeof(*cands));
			const char *s;

			if (letter)
				dg = sg_diag_error(l->d, it->loc, "%s is not a privilege "
						   "of %s (in %s)", yq(l->t, it->str),
						   kind_plural(obj), ctx);
			else
				dg = sg_diag_error(l->d, it->loc, "unknown privilege %s "
						   "in %s", yq(l->t, it->str), ctx);
			for (size_t k = 0; of[k]; k++)
				cands[k] = privilege_words(l->t, (char[]){ of[k], 0 });
			s = letter ? NULL : sg_suggest(it->str, cands, strlen(of));
			if (s)
				sg_diag_hint(dg, l->d, "did you mean \"%s\"?", s);
			else
				sg_diag_hint(dg, l->d, "%s have %s%s", kind_plural(obj),
					     words, strlen(of) > 1 ? ", or all" : "");
			good = false;
			continue;
		}
		rank = sg_privilege_rank(letter);
		if (have[rank]) {
			sg_diag_error(l->d, it->loc, "privilege %s appears twice in %s",
				      yq(l->t, it->str), ctx);
			good = false;
		}
		have[rank] = true;
	}
	return good;
}

static const char *set_letters(struct sg_arena *a, const bool *have)
{
	static const char order[] = "arwdDxtXUCTcsAm";
	char buf[sizeof(order)];
	size_t n = 0;

	for (size_t i = 0; i + 1 < sizeof(order); i++)
		if (have[i])
			buf[n++] = order[i];
	buf[n] = '\0';
	return sg_strdup(a, buf);
}

static int grant_cmp(const void *pa, const void *pb)
{
	return strcmp(((const struct sg_grant *)pa)->grantee,
		      ((const struct sg_grant *)pb)->grantee);
}

/* One grantee: a list of privileges, or {privileges:, with_grant_option:}. */
static bool load_grantee(struct loader *l, const struct sg_object *obj,
			 const struct ynode *key, const struct ynode *v,
			 const char *what, struct sg_grant *g)
{
	static const char *const keys[] = { "privileges", "with_grant_option" };
	const char *ctx = sg_printf(l->t, "%s to %s", what, yq(l->t, key->str));
	const struct ynode *vals[2] = { v, NULL };
	bool have[16] = { false }, option[16] = { false };

	if (!yname_ok(l->d, l->t, key, "role name"))
		return false;
	if (v->type == YN_MAP) {
		get_keys(l, v, keys, ARRAY_SIZE(keys), vals, ctx);
		if (!vals[0]) {
			sg_diag_error(l->d, v->loc, "missing key \"privileges\" in %s",
				      ctx);
			return false;
		}
	} else if (ynode_is_null(v)) {
		struct sg_diag *dg = sg_diag_error(l->d, key->loc, "no privileges "
						   "for %s", yq(l->t, key->str));

		sg_diag_hint(dg, l->d, "write %s: [...], or leave the role out",
			     key->str);
		return false;
	}
	if (!privilege_set(l, obj, vals[0], ctx, have))
		return false;
	if (set_letters(l->t, have)[0] == '\0') {
		struct sg_diag *dg = sg_diag_error(l->d, vals[0]->loc, "no privileges "
						   "for %s", yq(l->t, key->str));

		sg_diag_hint(dg, l->d, "leave the role out to grant it nothing");
		return false;
	}
	if (vals[1] && !ynode_is_null(vals[1])) {
		bool all = false;

		if (vals[1]->type == YN_SCALAR) {
			if (!yget_bool(l->d, l->t, vals[1], "with_grant_option", &all))
				return false;
			if (all)
				memcpy(option, have, sizeof(option));
		} else if (!privilege_set(l, obj, vals[1], sg_printf(l->t,
				"\"with_grant_option\" of %s", ctx), option)) {
			return false;
		} else {
			for (size_t i = 0; i < ARRAY_SIZE(option); i++)
				if (option[i] && !have[i]) {
					sg_diag_error(l->d, vals[1]->loc, "\"with_grant_option\" "
						      "names a privilege missing from "
						      "\"privileges\" (in %s)", ctx);
					return false;
				}
		}
	}
	g->grantee = sg_strdup(l->a, key->str);
	g->privs = set_letters(l->a, have);
	g->grantable = set_letters(l->a, option);
	g->loc = key->loc;
	return true;
}

void load_owner(struct loader *l, struct sg_object *obj, const struct ynode *v)
{
	if (!v || ynode_is_null(v))
		return;
	if (!sg_kind(obj->kind)->owned)
		SG_BUG("owner of a %s", sg_kind_name(obj->kind));
	if (v->type != YN_SCALAR) {
		struct sg_diag *dg = yexpect(l->d, l->t, v, "a role name");

		sg_diag_hint(dg, l->d, "write owner: role");
		return;
	}
	if (!yname_ok(l->d, l->t, v, "role name"))
		return;
	if (strcmp(v->str, SG_ROLE_PUBLIC) == 0) {
		sg_diag_error(l->d, v->loc, "\"owner\" cannot be public");
		return;
	}
	obj->owner = sg_strdup(l->a, v->str);
	obj->owner_loc = v->loc;
}

void load_grants(struct loader *l, struct sg_object *obj, const struct ynode *v)
{
	SG_VEC(struct sg_grant) gs = { 0 };

	if (!v || ynode_is_null(v))
		return;
	if (!sg_privileges_of(obj))
		SG_BUG("grants on a %s", sg_kind_name(obj->kind));
	if (v->type != YN_MAP) {
		struct sg_diag *dg = yexpect(l->d, l->t, v, "a mapping of role "
					     "names to privileges");

		sg_diag_hint(dg, l->d, "write grants: {role: [privilege, ...]}");
		return;
	}
	for (size_t i = 0; i + 1 < v->nkids; i += 2) {
		struct sg_grant g;

		if (!ykey_ok(l->d, l->t, v->kids[i]))
			continue;
		if (load_grantee(l, obj, v->kids[i], v->kids[i + 1], "the grants", &g))
			SG_VEC_PUSH(l->a, &gs, g);
	}
	if (gs.n > 1)
		qsort(gs.v, gs.n, sizeof(*gs.v), grant_cmp);
	obj->grants = gs.v;
	obj->ngrants = gs.n;
	obj->has_acl = true;
}

/* ---- default privileges ---- */

static const char *const defacl_keys[] = {
	"for_role", "tables", "sequences", "functions", "types",
};

static int defacl_qsort_cmp(const void *pa, const void *pb)
{
	return sg_defacl_cmp(pa, pb);
}

/* The grants of one class ("tables: {role: [privilege, ...]}"). */
static bool load_defacl_class(struct loader *l, const struct ynode *key,
			      const struct ynode *v, char objtype, bool global,
			      struct sg_defacl *out)
{
	SG_VEC(struct sg_grant) gs = { 0 };
	const struct sg_object fake = { .kind = sg_defacl_kind(objtype) };
	const char *what = sg_printf(l->t, "the default privileges on %s",
				     key->str);

	if (v->type != YN_MAP) {
		struct sg_diag *dg = yexpect(l->d, l->t, v, "a mapping of role "
					     "names to privileges");

		sg_diag_hint(dg, l->d, "write %s: {role: [privilege, ...]}",
			     key->str);
		return false;
	}
	for (size_t i = 0; i + 1 < v->nkids; i += 2) {
		const struct ynode *rk = v->kids[i], *rv = v->kids[i + 1];
		struct sg_grant g;

		if (!ykey_ok(l->d, l->t, rk))
			continue;
		/* an empty list would be a REVOKE, which IN SCHEMA cannot do */
		if (!global && rv->type == YN_SEQ && rv->nkids == 0) {
			struct sg_diag *dg = sg_diag_error(
				l->d, rv->loc, "no privileges for %s in %s",
				yq(l->t, rk->str), what);

			sg_diag_hint(dg, l->d, "default privileges of a schema "
				     "only add to the global ones: they cannot "
				     "take away what PostgreSQL grants by default "
				     "(EXECUTE on functions and USAGE on types to "
				     "PUBLIC); leave the role out");
			continue;
		}
		if (load_grantee(l, &fake, rk, rv, what, &g))
			SG_VEC_PUSH(l->a, &gs, g);
	}
	if (gs.n > 1)
		qsort(gs.v, gs.n, sizeof(*gs.v), grant_cmp);
	out->objtype = objtype;
	out->grants = gs.v;
	out->ngrants = gs.n;
	out->loc = key->loc;
	return true;
}

/* The key of a value of a mapping. */
static const struct ynode *key_of(const struct ynode *map,
				  const struct ynode *val)
{
	for (size_t i = 0; i + 1 < map->nkids; i += 2)
		if (map->kids[i + 1] == val)
			return map->kids[i];
	SG_BUG("a value without its key");
}

/* The entry of schema s with this role (any class), or NULL. */
static const struct sg_defacl *find_role(const struct sg_defacl *v, size_t n,
					 const char *role)
{
	for (size_t i = 0; i < n; i++)
		if (!v[i].role == !role && (!role || strcmp(v[i].role, role) == 0))
			return &v[i];
	return NULL;
}

/* `for_role:` of an entry: *role stays NULL without it; false on error. */
static bool load_for_role(struct loader *l, const struct ynode *v,
			  const char **role, struct sg_loc *role_loc)
{
	if (!v || ynode_is_null(v))
		return true;
	if (v->type != YN_SCALAR) {
		yexpect(l->d, l->t, v, "a role name");
		return false;
	}
	if (!yname_ok(l->d, l->t, v, "role name"))
		return false;
	if (strcmp(v->str, SG_ROLE_PUBLIC) == 0) {
		struct sg_diag *dg = sg_diag_error(l->d, v->loc, "\"for_role\" "
						   "cannot be public");

		sg_diag_hint(dg, l->d, "for_role names the role that creates "
			     "the objects; leave it out for the role that runs "
			     "the migrations");
		return false;
	}
	*role = sg_strdup(l->a, v->str);
	*role_loc = v->loc;
	return true;
}

/* A list of default privileges (a schema's or the global ones)? */
static bool defacl_list(struct loader *l, const struct ynode *v, const char *hint)
{
	struct sg_diag *dg;

	if (!v || ynode_is_null(v))
		return false;
	if (v->type == YN_SEQ)
		return true;
	dg = yexpect(l->d, l->t, v, "a list of default privileges");
	sg_diag_hint(dg, l->d, "%s", hint);
	return false;
}

/* One entry of such a list: a mapping, its keys read into vals (keys[0]
 * is for_role) and its role; false when it is to be skipped. */
static bool defacl_entry(struct loader *l, const struct ynode *it,
			 const char *const *keys, size_t nkeys, const struct ynode **vals,
			 const char *what, const char *hint, const char **role,
			 struct sg_loc *role_loc)
{
	if (it->type != YN_MAP) {
		struct sg_diag *dg = yexpect(l->d, l->t, it, "a mapping");

		sg_diag_hint(dg, l->d, "%s", hint);
		return false;
	}
	get_keys(l, it, keys, nkeys, vals, what);
	return load_for_role(l, vals[0], role, role_loc);
}

static void defacl_no_class(struct loader *l, const struct ynode *it, const char *hint)
{
	struct sg_diag *dg = sg_diag_error(l->d, it->loc, "default privileges "
					   "without an object class");

	sg_diag_hint(dg, l->d, "%s", hint);
}

void load_defacls(struct loader *l, struct sg_schema *sch, const struct ynode *v)
{
	SG_VEC(struct sg_defacl) all = { 0 }, seen = { 0 };
	size_t before = sch->ndefacls;

	if (!defacl_list(l, v, "write default_privileges: [{tables: {role: "
			 "[privilege, ...]}}]"))
		return;
	for (size_t i = 0; i < sch->ndefacls; i++)
		SG_VEC_PUSH(l->a, &all, sch->defacls[i]);
	for (size_t i = 0; i < v->nkids; i++) {
		const struct ynode *it = v->kids[i];
		const struct ynode *vals[ARRAY_SIZE(defacl_keys)];
		const struct sg_defacl *prev;
		const char *role = NULL;
		struct sg_loc role_loc = { 0 };
		bool any = false;
		size_t first = all.n;

		if (!defacl_entry(l, it, defacl_keys, ARRAY_SIZE(defacl_keys), vals,
				  "default privileges", "write {for_role: role, tables: "
				  "{role: [privilege, ...]}}", &role, &role_loc))
			continue;
		prev = find_role(all.v, first, role);
		if (!prev)
			prev = find_role(seen.v, seen.n, role);
		if (prev) {
			struct sg_diag *dg = sg_diag_error(
				l->d, it->loc, "default privileges %s are given "
				"twice", role ? sg_printf(l->t, "for role %s",
				yq(l->t, role)) : "of the role that runs the "
				"migrations");

			sg_diag_hint(dg, l->d, "the other is at %s:%d:%d; give "
				     "each role's default privileges in one entry "
				     "of one file", sg_loc_file(prev->loc), prev->loc.line,
				     prev->loc.col);
			continue;
		}
		/* an entry with errors, or none, still takes its role */
		SG_VEC_PUSH(l->t, &seen, ((struct sg_defacl){ .role = role,
							      .loc = it->loc }));
		for (size_t k = 1; k < ARRAY_SIZE(defacl_keys); k++) {
			struct sg_defacl e = { .role = role, .role_loc = role_loc };

			if (!vals[k])
				continue;
			any = true;
			if (ynode_is_null(vals[k]))
				continue;
			if (load_defacl_class(l, key_of(it, vals[k]),
					      vals[k], sg_defacl_objtype(defacl_keys[k]),
					      false, &e) && e.ngrants)
				SG_VEC_PUSH(l->a, &all, e);
		}
		if (!any)
			defacl_no_class(l, it, "give tables:, sequences:, functions: "
					"or types:");
	}
	if (all.n == before)
		return;
	qsort(all.v, all.n, sizeof(*all.v), defacl_qsort_cmp);
	sch->defacls = all.v;
	sch->ndefacls = all.n;
}

/*
 * `global_default_privileges:` (any file): one entry per role, each one
 * sg_default_acl object.  A class given states the full privileges
 * objects of the class get (the role's own left out); one equal to
 * PostgreSQL's built-in defaults is the same as none and is not kept.
 */
static const char *const global_defacl_keys[] = {
	"for_role", "tables", "sequences", "functions", "types", "schemas",
};

void load_global_defacls(struct loader *l, const struct ynode *v)
{
	if (!defacl_list(l, v, "write global_default_privileges: [{functions: "
			 "{role: [execute]}}]"))
		return;
	for (size_t i = 0; i < v->nkids; i++) {
		const struct ynode *it = v->kids[i];
		const struct ynode *vals[ARRAY_SIZE(global_defacl_keys)];
		SG_VEC(struct sg_defacl) all = { 0 };
		const char *role = NULL;
		struct sg_loc role_loc = { 0 };
		struct sg_default_acl *g;
		bool any = false;

		if (!defacl_entry(l, it, global_defacl_keys,
				  ARRAY_SIZE(global_defacl_keys), vals,
				  "global default privileges", "write {for_role: role, "
				  "functions: {role: [privilege, ...]}}", &role, &role_loc))
			continue;
		for (size_t k = 1; k < ARRAY_SIZE(global_defacl_keys); k++) {
			struct sg_defacl e = { .role = role, .role_loc = role_loc };
			const struct sg_grant *def;
			size_t ndef;
			bool own = false;

			if (!vals[k])
				continue;
			any = true;
			if (ynode_is_null(vals[k]))
				continue;
			if (!load_defacl_class(l, key_of(it, vals[k]), vals[k],
					       sg_defacl_objtype(global_defacl_keys[k]),
					       true, &e))
				continue;
			for (size_t j = 0; role && j < e.ngrants; j++)
				if (strcmp(e.grants[j].grantee, role) == 0) {
					struct sg_diag *dg = sg_diag_error(
						l->d, e.grants[j].loc, "global "
						"default privileges for role %s "
						"name the role itself",
						yq(l->t, role));

					sg_diag_hint(dg, l->d, "a role's own "
						     "privileges on what it creates "
						     "are not managed (as an "
						     "owner's are not); leave it "
						     "out");
					own = true;
				}
			sg_defacl_builtin(e.objtype, &def, &ndef);
			if (!own && !sg_grants_equal(e.grants, e.ngrants, def, ndef))
				SG_VEC_PUSH(l->a, &all, e);
		}
		if (!any) {
			defacl_no_class(l, it, "give tables:, sequences:, functions:, "
					"types: or schemas:");
			continue;
		}
		/* the built-in defaults in full: nothing to manage */
		if (!all.n)
			continue;
		qsort(all.v, all.n, sizeof(*all.v), defacl_qsort_cmp);
		g = SG_NEW(l->cat, sg_default_acl, SG_KIND_DEFAULT_ACL,
			   SG_GLOBAL_SCHEMA, sg_default_acl_name(l->a, role), NULL);
		g->obj.loc = it->loc;
		g->role = role;
		g->role_loc = role_loc;
		g->defacls = all.v;
		g->ndefacls = all.n;
	}
}

/* ---- row-level security ---- */

void load_rls(struct loader *l, struct sg_table *t, const struct ynode *v)
{
	static const char *const keys[] = { "enabled", "forced" };
	const struct ynode *vals[2];
	struct sg_diag *dg;

	if (!v || ynode_is_null(v))
		return;
	if (v->type == YN_SCALAR && v->plain && strcmp(v->str, "forced") == 0) {
		t->rls_enabled = t->rls_forced = true;
		return;
	}
	if (v->type == YN_SCALAR && v->plain &&
	    (strcmp(v->str, "true") == 0 || strcmp(v->str, "false") == 0)) {
		t->rls_enabled = strcmp(v->str, "true") == 0;
		return;
	}
	if (v->type == YN_MAP) {
		get_keys(l, v, keys, ARRAY_SIZE(keys), vals, "\"row_level_security\"");
		if (vals[0])
			yget_bool(l->d, l->t, vals[0], "enabled", &t->rls_enabled);
		if (vals[1])
			yget_bool(l->d, l->t, vals[1], "forced", &t->rls_forced);
		return;
	}
	dg = sg_diag_error(l->d, v->loc, "\"row_level_security\" must be true, "
			   "false, forced or {enabled:, forced:}, found %s",
			   ynode_found(l->t, v));
	if (v->type == YN_SCALAR && strcasecmp(v->str, "force") == 0)
		sg_diag_hint(dg, l->d, "did you mean \"forced\"?");
}

/* ---- policies ---- */

static const char *const policy_keys[] = {
	"command", "as", "roles", "using", "with_check", "comment",
};

static const struct {
	const char *word;
	char cmd;
} commands[] = {
	{ "all", '*' }, { "select", 'r' }, { "insert", 'a' },
	{ "update", 'w' }, { "delete", 'd' },
};

static char policy_command(struct loader *l, const struct ynode *v)
{
	static const char *const words[] = {
		"all", "select", "insert", "update", "delete",
	};
	struct sg_diag *dg;
	const char *s;

	if (!v || ynode_is_null(v))
		return '*';
	if (v->type == YN_SCALAR)
		for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
			if (strcasecmp(v->str, commands[i].word) == 0)
				return commands[i].cmd;
	dg = sg_diag_error(l->d, v->loc, "\"command\" must be all, select, insert, "
			   "update or delete, found %s", ynode_found(l->t, v));
	if (v->type == YN_SCALAR && (s = sg_suggest(v->str, words, ARRAY_SIZE(words))))
		sg_diag_hint(dg, l->d, "did you mean \"%s\"?", s);
	return '*';
}

static bool policy_permissive(struct loader *l, const struct ynode *v)
{
	static const char *const words[] = { "permissive", "restrictive" };
	struct sg_diag *dg;
	const char *s;

	if (!v || ynode_is_null(v))
		return true;
	if (v->type == YN_SCALAR) {
		if (strcasecmp(v->str, "permissive") == 0)
			return true;
		if (strcasecmp(v->str, "restrictive") == 0)
			return false;
	}
	dg = sg_diag_error(l->d, v->loc, "\"as\" must be permissive or "
			   "restrictive, found %s", ynode_found(l->t, v));
	if (v->type == YN_SCALAR && (s = sg_suggest(v->str, words, 2)))
		sg_diag_hint(dg, l->d, "did you mean \"%s\"?", s);
	return true;
}

static int str_cmp(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

static void policy_roles(struct loader *l, struct sg_policy *p,
			 const struct ynode *v, const char *ctx)
{
	SG_VEC(const char *) roles = { 0 };

	if (!v || ynode_is_null(v)) {
		SG_VEC_PUSH(l->a, &roles, SG_ROLE_PUBLIC);
	} else if (v->type == YN_SCALAR) {
		/* one role alone */
		if (yname_ok(l->d, l->t, v, "role name"))
			SG_VEC_PUSH(l->a, &roles, sg_strdup(l->a, v->str));
		p->roles_loc = v->loc;
	} else if (v->type != YN_SEQ) {
		yexpect(l->d, l->t, v, "a list of role names");
	} else {
		p->roles_loc = v->loc;
		for (size_t i = 0; i < v->nkids; i++) {
			const struct ynode *it = v->kids[i];
			bool dup = false;

			if (!yname_ok(l->d, l->t, it, "role name"))
				continue;
			for (size_t j = 0; j < roles.n && !dup; j++)
				dup = strcmp(roles.v[j], it->str) == 0;
			if (dup) {
				sg_diag_error(l->d, it->loc, "role %s appears twice in %s",
					      yq(l->t, it->str), ctx);
				continue;
			}
			SG_VEC_PUSH(l->a, &roles, sg_strdup(l->a, it->str));
		}
		if (v->nkids == 0) {
			struct sg_diag *dg = sg_diag_error(l->d, v->loc, "%s has no "
							   "roles", ctx);

			sg_diag_hint(dg, l->d, "leave \"roles\" out for every role "
				     "(PUBLIC)");
		}
	}
	if (roles.n > 1)
		qsort(roles.v, roles.n, sizeof(*roles.v), str_cmp);
	p->roles = roles.v;
	p->nroles = roles.n;
}

static const char *policy_expr(struct loader *l, const struct ynode *v,
			       const char *key, const char *ctx,
			       struct sg_loc *loc)
{
	const char *s;

	if (!v || !yget_str(l->d, l->t, v, key, &s) || !s)
		return NULL;
	if (!(s = sg_sql_fragment(l->a, SG_FRAG_EXPR, s, v->vloc,
				  sg_printf(l->t, "\"%s\" of %s", key, ctx), l->d)))
		return NULL;
	*loc = v->vloc;
	return s;
}

static void load_policy(struct loader *l, struct sg_table *t,
			const struct ynode *key, const struct ynode *val)
{
	const struct ynode *v[ARRAY_SIZE(policy_keys)] = { 0 };
	struct sg_policy *p;
	const char *ctx, *s;

	if (!yname_ok(l->d, l->t, key, "policy name"))
		return;
	p = SG_NEW(l->cat, sg_policy, SG_KIND_POLICY, NULL, key->str, &t->obj);
	p->obj.loc = key->loc;
	p->permissive = true;
	p->command = '*';
	ctx = sg_printf(l->t, "policy %s of table %s", yq(l->t, key->str),
			yq(l->t, t->obj.name));
	if (!ynode_is_null(val) && val->type != YN_MAP) {
		yexpect(l->d, l->t, val, sg_printf(l->t, "a mapping for %s", ctx));
		return;
	}
	if (!ynode_is_null(val))
		get_keys(l, val, policy_keys, ARRAY_SIZE(policy_keys), v, ctx);
	p->command = policy_command(l, v[0]);
	p->permissive = policy_permissive(l, v[1]);
	policy_roles(l, p, v[2], ctx);
	p->using_expr = policy_expr(l, v[3], "using", ctx, &p->using_loc);
	p->check_expr = policy_expr(l, v[4], "with_check", ctx, &p->check_loc);
	if (v[5] && yget_str(l->d, l->t, v[5], "comment", &s) && s && *s)
		p->obj.comment = sg_strdup(l->a, s);
	/* CREATE POLICY's own rules, said where they are broken */
	if (p->command == 'a' && v[3] && !ynode_is_null(v[3])) {
		struct sg_diag *dg = sg_diag_error(l->d, v[3]->loc, "an insert "
						   "policy has no \"using\"");

		sg_diag_hint(dg, l->d, "new rows are checked by \"with_check\"");
	}
	if ((p->command == 'r' || p->command == 'd') && v[4] &&
	    !ynode_is_null(v[4])) {
		struct sg_diag *dg = sg_diag_error(
			l->d, v[4]->loc, "a %s policy has no \"with_check\"",
			p->command == 'r' ? "select" : "delete");

		sg_diag_hint(dg, l->d, "the rows it applies to are chosen by "
			     "\"using\"");
	}
}

void load_policies(struct loader *l, struct sg_table *t, const struct ynode *v)
{
	if (!v || ynode_is_null(v))
		return;
	if (v->type != YN_MAP) {
		struct sg_diag *dg = yexpect(l->d, l->t, v, "a mapping of policy "
					     "names to policies");

		if (v->type == YN_SEQ)
			sg_diag_hint(dg, l->d, "policies are keyed by name: "
				     "policies: {name: {using: ...}}");
		return;
	}
	for (size_t i = 0; i + 1 < v->nkids; i += 2)
		if (ykey_ok(l->d, l->t, v->kids[i]))
			load_policy(l, t, v->kids[i], v->kids[i + 1]);
}
