// SPDX-License-Identifier: MIT
/*
 * acl.c - the privileges granted on every object read, in one query
 * (pg_dump's getAdditionalACLs idea, over all catalogs at once).
 *
 * A UNION over the ACL columns of pg_namespace, pg_class, pg_attribute,
 * pg_proc and pg_type in the managed schemas gives (catalog letter, oid,
 * attnum, owner, ACL); the rows are mapped onto objects through the oid map
 * the loaders filled (the letters are the oid map's: 'c' with an attnum is
 * a column), so the query needs no knowledge of kinds, and an object a
 * loader left out (an extension member, schemagen's own tables) is left
 * out here too.
 *
 * A NULL ACL means "the default for the kind", which is not nothing:
 * functions grant EXECUTE and types USAGE to PUBLIC.  The query reads
 * acldefault() in its place, so grants are the privileges in force and an
 * explicit ACL equal to the default (REVOKE then GRANT back) is no
 * difference.  aclexplode() spells each entry out; entries whose grantee
 * is the owner are left out (owners are not compared, and the owner's
 * rights follow whoever owns the object).  Several grantors of one
 * privilege to one grantee count once.  Array types and the row types of
 * tables, which share their relation's or element's privileges and are
 * mapped onto it, are not read.
 *
 * Every object of a kind that has privileges gets has_acl, with or without
 * rows: having no grants is a fact too.
 *
 * In a partial read the parts over catalogs that grow with the schema
 * (pg_class, pg_attribute, pg_proc, pg_type; for owners pg_statistic_ext
 * too) take only the oids of the oid map (partial_oids()): index lookups
 * instead of a scan of pg_attribute.
 *
 * introspect_defacls() reads the default privileges of the managed schemas
 * (pg_default_acl rows with defaclnamespace set) and the global ones
 * (defaclnamespace 0: sg_default_acl objects, compared with the built-in
 * defaults they replace) in one more query.  A schema-scoped
 * row is added to the global defaults when an object is created, so its
 * ACL is exactly what ALTER DEFAULT PRIVILEGES IN SCHEMA granted: no
 * acldefault() here, and no entry is left out (the FOR ROLE role's own
 * entries included).  The role that runs the introspection (current_user)
 * is reported as no role: the models leave out FOR ROLE for the role that
 * runs the migrations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"
#include "schemagen/sbuf.h"

static const char acl_sql[] =
	"WITH acls (cls, oid, sub, owner, acl) AS ("
	" SELECT 'n', n.oid, 0, n.nspowner,"
	"  coalesce(n.nspacl, acldefault('n'::\"char\", n.nspowner))"
	" FROM pg_namespace n WHERE n.oid = ANY ($1::oid[])"
	" UNION ALL"
	" SELECT 'c', c.oid, 0, c.relowner,"
	"  coalesce(c.relacl, acldefault(CASE WHEN c.relkind = 'S' THEN 's'"
	"   ELSE 'r' END::\"char\", c.relowner))"
	" FROM pg_class c WHERE c.relnamespace = ANY ($1::oid[])"
	" AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
	" AND ($2::oid[] IS NULL OR c.oid = ANY ($2::oid[]))"
	" UNION ALL"
	" SELECT 'c', a.attrelid, a.attnum, c.relowner, a.attacl"
	" FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
	" WHERE c.relnamespace = ANY ($1::oid[]) AND a.attacl IS NOT NULL"
	" AND a.attnum > 0 AND NOT a.attisdropped"
	" AND ($2::oid[] IS NULL OR a.attrelid = ANY ($2::oid[]))"
	" UNION ALL"
	" SELECT 'p', p.oid, 0, p.proowner,"
	"  coalesce(p.proacl, acldefault('f'::\"char\", p.proowner))"
	" FROM pg_proc p WHERE p.pronamespace = ANY ($1::oid[])"
	" AND ($2::oid[] IS NULL OR p.oid = ANY ($2::oid[]))"
	" UNION ALL"
	" SELECT 't', t.oid, 0, t.typowner,"
	"  coalesce(t.typacl, acldefault('T'::\"char\", t.typowner))"
	" FROM pg_type t WHERE t.typnamespace = ANY ($1::oid[])"
	" AND NOT (t.typelem <> 0 AND t.typlen = -1)"
	" AND (t.typrelid = 0 OR EXISTS (SELECT 1 FROM pg_class r"
	"  WHERE r.oid = t.typrelid AND r.relkind = 'c'))"
	" AND ($2::oid[] IS NULL OR t.oid = ANY ($2::oid[]))"
	" UNION ALL"
	" SELECT 'w', w.oid, 0, w.fdwowner,"
	"  coalesce(w.fdwacl, acldefault('F'::\"char\", w.fdwowner))"
	" FROM pg_foreign_data_wrapper w"
	" UNION ALL"
	" SELECT 'W', s.oid, 0, s.srvowner,"
	"  coalesce(s.srvacl, acldefault('S'::\"char\", s.srvowner))"
	" FROM pg_foreign_server s"
	" UNION ALL"
	" SELECT 'L', l.oid, 0, l.lanowner,"
	"  coalesce(l.lanacl, acldefault('l'::\"char\", l.lanowner))"
	" FROM pg_language l WHERE l.lanispl AND l.oid >= 16384"
	")"
	" SELECT a.cls, a.oid, a.sub,"
	" CASE WHEN x.grantee = 0 THEN 'public'"
	"  ELSE pg_get_userbyid(x.grantee)::text END AS grantee,"
	" string_agg(x.privilege_type, ',') AS privs,"
	" string_agg(CASE WHEN x.is_grantable THEN x.privilege_type END, ',')"
	"  AS grantable"
	" FROM acls a CROSS JOIN LATERAL aclexplode(a.acl) AS x"
	" WHERE x.grantee <> a.owner"
	" GROUP BY 1, 2, 3, 4";

/* "SELECT,INSERT,SELECT" -> "ar", in aclitem order; NULL gives "". */
const char *acl_letters(struct ictx *x, const char *names)
{
	static const char order[] = "arwdDxtXUCTcsAm";
	bool have[sizeof(order)] = { false };
	char buf[sizeof(order)];
	size_t n = 0;

	while (names && *names) {
		const char *end = strchr(names, ',');
		size_t len = end ? (size_t)(end - names) : strlen(names);
		char one[32];
		int rank;

		snprintf(one, sizeof(one), "%.*s", (int)len, names);
		rank = sg_privilege_rank(sg_privilege_letter(one));
		if (rank >= 0 && rank < (int)sizeof(order) - 1)
			have[rank] = true;
		names += len + (end ? 1 : 0);
	}
	for (size_t rank = 0; rank + 1 < sizeof(order); rank++)
		if (have[rank])
			buf[n++] = order[rank];
	buf[n] = '\0';
	return sg_strdup(x->a, buf);
}

int introspect_acls(struct ictx *x)
{
	const char *params[2] = { x->schema_oids.buf, partial_oids(x, false) };
	static const struct sortkey order[] = {
		{ "cls", SORT_TEXT }, { "oid", SORT_NUM }, { "sub", SORT_NUM },
		{ "grantee", SORT_TEXT }, { NULL, 0 }
	};
	PGresult *res = run(x, acl_sql, 2, params);
	SG_VEC(struct sg_grant) cur = { 0 };
	struct sg_object *obj = NULL;
	int *rows, i_cls, i_oid, i_sub, i_grantee, i_privs, i_grantable;

	if (!res)
		return -1;
	i_cls = col(res, "cls");
	i_oid = col(res, "oid");
	i_sub = col(res, "sub");
	i_grantee = col(res, "grantee");
	i_privs = col(res, "privs");
	i_grantable = col(res, "grantable");
	rows = sorted_rows(res, order);
	for (int k = 0; k <= PQntuples(res); k++) {
		int r = k < PQntuples(res) ? rows[k] : -1;
		struct sg_object *o = NULL;
		struct sg_grant g;

		if (r >= 0) {
			char cls = charv(res, r, i_cls);

			o = oidmap_get(&x->map, cls, oidv(res, r, i_oid),
				       cls == OIDMAP_CLASS ? (int32_t)intv(res, r, i_sub) : 0);
			/* a type's oid may map onto a table (its row type) */
			if (o && (!sg_privileges_of(o) ||
				  (cls == OIDMAP_TYPE && sg_kind_is_relation(o->kind))))
				o = NULL;
		}
		if (o != obj || r < 0) {
			if (obj && cur.n) {
				obj->grants = sg_memdup(x->a, cur.v, cur.n * sizeof(*cur.v));
				obj->ngrants = cur.n;
			}
			cur.n = 0;
			obj = o;
		}
		if (!o)
			continue;
		g = (struct sg_grant){
			.grantee = sg_strdup(x->a, PQgetvalue(res, r, i_grantee)),
			.privs = acl_letters(x, PQgetvalue(res, r, i_privs)),
			.grantable = acl_letters(x, PQgetisnull(res, r, i_grantable)
					     ? NULL : PQgetvalue(res, r, i_grantable)),
		};
		if (*g.privs)
			SG_VEC_PUSH(x->a, &cur, g);
	}
	free(rows);
	PQclear(res);
	for (size_t i = 0; i < x->cat->nobjs; i++)
		if (sg_privileges_of(x->cat->objs[i]))
			x->cat->objs[i]->has_acl = true;
	return 0;
}

/*
 * The owners of every object read, in one query shaped like acl_sql: the
 * rows are mapped onto objects through the oid map, and only kinds with
 * owners (sg_kind(kind)->owned) take one.  A sequence owned by a column
 * has its table's owner (PostgreSQL requires it; ALTER TABLE ... OWNER
 * TO moves it with the table), which the differ does not compare.
 */
static const char owner_sql[] =
	"SELECT 'n' AS cls, n.oid, pg_get_userbyid(n.nspowner)::text AS owner"
	" FROM pg_namespace n WHERE n.oid = ANY ($1::oid[])"
	" UNION ALL"
	" SELECT 'c', c.oid, pg_get_userbyid(c.relowner)::text"
	" FROM pg_class c WHERE c.relnamespace = ANY ($1::oid[])"
	" AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
	" AND ($2::oid[] IS NULL OR c.oid = ANY ($2::oid[]))"
	" UNION ALL"
	" SELECT 'p', p.oid, pg_get_userbyid(p.proowner)::text"
	" FROM pg_proc p WHERE p.pronamespace = ANY ($1::oid[])"
	" AND ($2::oid[] IS NULL OR p.oid = ANY ($2::oid[]))"
	" UNION ALL"
	" SELECT 't', t.oid, pg_get_userbyid(t.typowner)::text"
	" FROM pg_type t WHERE t.typnamespace = ANY ($1::oid[])"
	" AND t.typtype IN ('e', 'd', 'c') AND (t.typrelid = 0 OR EXISTS"
	"  (SELECT 1 FROM pg_class r WHERE r.oid = t.typrelid AND r.relkind = 'c'))"
	" AND ($2::oid[] IS NULL OR t.oid = ANY ($2::oid[]))"
	" UNION ALL"
	" SELECT 'l', l.oid, pg_get_userbyid(l.collowner)::text"
	" FROM pg_collation l WHERE l.collnamespace = ANY ($1::oid[])"
	" UNION ALL"
	" SELECT 'w', w.oid, pg_get_userbyid(w.fdwowner)::text"
	" FROM pg_foreign_data_wrapper w"
	" UNION ALL"
	" SELECT 'W', s.oid, pg_get_userbyid(s.srvowner)::text"
	" FROM pg_foreign_server s"
	" UNION ALL"
	" SELECT 'L', l.oid, pg_get_userbyid(l.lanowner)::text"
	" FROM pg_language l WHERE l.lanispl AND l.oid >= 16384"
	" UNION ALL"
	" SELECT 'S', s.oid, pg_get_userbyid(s.stxowner)::text"
	" FROM pg_statistic_ext s WHERE s.stxnamespace = ANY ($1::oid[])"
	" AND ($2::oid[] IS NULL OR s.oid = ANY ($2::oid[]))"
	" UNION ALL"
	" SELECT 'D', d.oid, pg_get_userbyid(d.dictowner)::text"
	" FROM pg_ts_dict d WHERE d.dictnamespace = ANY ($1::oid[])"
	" UNION ALL"
	" SELECT 'K', c.oid, pg_get_userbyid(c.cfgowner)::text"
	" FROM pg_ts_config c WHERE c.cfgnamespace = ANY ($1::oid[])"
	" UNION ALL"
	" SELECT 'O', o.oid, pg_get_userbyid(o.oprowner)::text"
	" FROM pg_operator o WHERE o.oprnamespace = ANY ($1::oid[])"
	" UNION ALL"
	" SELECT 'F', f.oid, pg_get_userbyid(f.opfowner)::text"
	" FROM pg_opfamily f WHERE f.opfnamespace = ANY ($1::oid[])"
	" UNION ALL"
	" SELECT 'C', c.oid, pg_get_userbyid(c.opcowner)::text"
	" FROM pg_opclass c WHERE c.opcnamespace = ANY ($1::oid[])";

int introspect_owners(struct ictx *x)
{
	const char *params[2] = { x->schema_oids.buf, partial_oids(x, false) };
	PGresult *res = run(x, owner_sql, 2, params);
	int i_cls, i_oid, i_owner;

	if (!res)
		return -1;
	i_cls = col(res, "cls");
	i_oid = col(res, "oid");
	i_owner = col(res, "owner");
	for (int r = 0; r < PQntuples(res); r++) {
		char cls = charv(res, r, i_cls);
		struct sg_object *o = oidmap_get(&x->map, cls, oidv(res, r, i_oid), 0);

		if (!o || !sg_kind(o->kind)->owned ||
		    (cls == OIDMAP_TYPE && sg_kind_is_relation(o->kind)))
			continue;
		o->owner = sg_strdup(x->a, PQgetvalue(res, r, i_owner));
	}
	PQclear(res);
	return 0;
}

static const char defacl_sql[] =
	"SELECT d.defaclnamespace AS nsp,"
	" CASE WHEN d.defaclrole = (SELECT r.oid FROM pg_roles r"
	"  WHERE r.rolname = current_user) THEN ''"
	"  ELSE pg_get_userbyid(d.defaclrole)::text END AS role,"
	" d.defaclobjtype AS objtype,"
	" CASE WHEN x.grantee = 0 THEN 'public'"
	"  ELSE pg_get_userbyid(x.grantee)::text END AS grantee,"
	" x.grantee = d.defaclrole AS own,"
	" string_agg(x.privilege_type, ',') AS privs,"
	" string_agg(CASE WHEN x.is_grantable THEN x.privilege_type END, ',')"
	"  AS grantable"
	" FROM pg_default_acl d"
	" LEFT JOIN LATERAL aclexplode(d.defaclacl) AS x ON true"
	" WHERE d.defaclnamespace = ANY ($1::oid[]) OR d.defaclnamespace = 0"
	" GROUP BY 1, 2, 3, 4, 5";

static int defacl_qsort_cmp(const void *pa, const void *pb)
{
	return sg_defacl_cmp(pa, pb);
}

/* Sorts each schema's entries: the rows come by (role, objtype letter). */
static void sort_defacls(struct sg_catalog *cat)
{
	for (size_t i = 0; i < cat->nobjs; i++) {
		struct sg_schema *s = (struct sg_schema *)cat->objs[i];

		if (s->obj.kind == SG_KIND_SCHEMA && s->ndefacls > 1)
			qsort(s->defacls, s->ndefacls, sizeof(*s->defacls),
			      defacl_qsort_cmp);
		if (s->obj.kind == SG_KIND_DEFAULT_ACL) {
			struct sg_default_acl *g = (struct sg_default_acl *)s;

			if (g->ndefacls > 1)
				qsort(g->defacls, g->ndefacls, sizeof(*g->defacls),
				      defacl_qsort_cmp);
		}
	}
}

/*
 * The entries being collected for one schema, or for one role's global
 * default privileges (global: an entry without grants is kept, one equal
 * to the built-in defaults is not).
 */
struct defacl_acc {
	struct ictx *x;
	SG_VEC(struct sg_defacl) entries;
	SG_VEC(struct sg_grant) grants;
	struct sg_defacl cur;
	bool open, global;
};

static void close_entry(struct defacl_acc *acc)
{
	if (acc->open && acc->global) {
		const struct sg_grant *def;
		size_t ndef;

		sg_defacl_builtin(acc->cur.objtype, &def, &ndef);
		if (!sg_grants_equal(acc->grants.v, acc->grants.n, def, ndef)) {
			acc->cur.grants = acc->grants.n
				? sg_memdup(acc->x->a, acc->grants.v,
					    acc->grants.n * sizeof(*acc->grants.v))
				: NULL;
			acc->cur.ngrants = acc->grants.n;
			SG_VEC_PUSH(acc->x->a, &acc->entries, acc->cur);
		}
	} else if (acc->open && acc->grants.n) {
		acc->cur.grants = sg_memdup(acc->x->a, acc->grants.v,
					    acc->grants.n * sizeof(*acc->grants.v));
		acc->cur.ngrants = acc->grants.n;
		SG_VEC_PUSH(acc->x->a, &acc->entries, acc->cur);
	}
	acc->grants.n = 0;
	acc->open = false;
}

static void close_schema(struct defacl_acc *acc, struct sg_schema *s)
{
	close_entry(acc);
	if (s && acc->entries.n) {
		s->defacls = sg_memdup(acc->x->a, acc->entries.v,
				       acc->entries.n * sizeof(*acc->entries.v));
		s->ndefacls = acc->entries.n;
	}
	acc->entries.n = 0;
}

/* One role's global default privileges become an object, if any. */
static void close_global(struct defacl_acc *acc, bool any, const char *role)
{
	struct sg_default_acl *g;

	close_entry(acc);
	if (any && acc->entries.n) {
		g = SG_NEW(acc->x->cat, sg_default_acl, SG_KIND_DEFAULT_ACL,
			   SG_GLOBAL_SCHEMA,
			   sg_default_acl_name(acc->x->a, role), NULL);
		g->role = role;
		g->defacls = sg_memdup(acc->x->a, acc->entries.v,
				       acc->entries.n * sizeof(*acc->entries.v));
		g->ndefacls = acc->entries.n;
	}
	acc->entries.n = 0;
}

static bool same_role(const char *a, const char *b)
{
	return !a == !b && (!a || strcmp(a, b) == 0);
}

/*
 * Both scopes in one query: the schema-scoped rows of the managed schemas
 * onto their schema, the global ones (defaclnamespace 0) into one
 * object per role (sg_default_acl).  Classes schemagen does not know (a
 * later server's: large objects) are left out.
 */
int introspect_defacls(struct ictx *x)
{
	const char *params[1] = { x->schema_oids.buf };
	static const struct sortkey order[] = {
		{ "nsp", SORT_NUM }, { "role", SORT_TEXT }, { "objtype", SORT_TEXT },
		{ "grantee", SORT_TEXT }, { NULL, 0 }
	};
	PGresult *res = run(x, defacl_sql, 1, params);
	struct defacl_acc acc = { .x = x };
	struct sg_schema *sch = NULL;
	const char *grole = NULL;
	bool in_global = false;
	int *rows, i_nsp, i_role, i_objtype, i_grantee, i_own, i_privs, i_grantable;

	if (!res)
		return -1;
	i_nsp = col(res, "nsp");
	i_role = col(res, "role");
	i_objtype = col(res, "objtype");
	i_grantee = col(res, "grantee");
	i_own = col(res, "own");
	i_privs = col(res, "privs");
	i_grantable = col(res, "grantable");
	rows = sorted_rows(res, order);
	/* rows come grouped by schema (global first), then by (role, objtype) */
	for (int k = 0; k < PQntuples(res); k++) {
		int r = rows[k];
		uint32_t nsp = oidv(res, r, i_nsp);
		struct sg_object *o = nsp ? oidmap_get(&x->map, OIDMAP_NAMESPACE,
						       nsp, 0) : NULL;
		const char *role = PQgetvalue(res, r, i_role);
		char objtype = charv(res, r, i_objtype);
		struct sg_grant g;

		/* a class schemagen does not know (a later server's) */
		if ((nsp && (!o || o->kind != SG_KIND_SCHEMA)) ||
		    sg_defacl_rank(objtype) < 0)
			continue;
		role = *role ? role : NULL;
		if (!nsp) {
			if (!in_global || !same_role(grole, role)) {
				close_global(&acc, in_global, grole);
				grole = role ? sg_strdup(x->a, role) : NULL;
				in_global = acc.global = true;
			} else if (acc.open && acc.cur.objtype != objtype) {
				close_entry(&acc);
			}
		} else if ((struct sg_schema *)o != sch) {
			if (in_global)
				close_global(&acc, true, grole);
			in_global = acc.global = false;
			close_schema(&acc, sch);
			sch = (struct sg_schema *)o;
		} else if (acc.open && (!same_role(acc.cur.role, role) ||
					acc.cur.objtype != objtype)) {
			close_entry(&acc);
		}
		if (!acc.open) {
			acc.cur = (struct sg_defacl){
				.role = in_global ? grole
				      : role ? sg_strdup(x->a, role) : NULL,
				.objtype = objtype,
			};
			acc.open = true;
		}
		/* no grantee (an empty ACL), or the role's own privileges */
		if (PQgetisnull(res, r, i_grantee) ||
		    (in_global && boolv(res, r, i_own)))
			continue;
		g = (struct sg_grant){
			.grantee = sg_strdup(x->a, PQgetvalue(res, r, i_grantee)),
			.privs = acl_letters(x, PQgetvalue(res, r, i_privs)),
			.grantable = acl_letters(x, PQgetisnull(res, r, i_grantable)
						 ? NULL : PQgetvalue(res, r, i_grantable)),
		};
		if (*g.privs)
			SG_VEC_PUSH(x->a, &acc.grants, g);
	}
	if (in_global)
		close_global(&acc, true, grole);
	else
		close_schema(&acc, sch);
	free(rows);
	PQclear(res);
	sort_defacls(x->cat);
	return 0;
}
