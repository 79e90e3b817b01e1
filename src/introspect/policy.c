// SPDX-License-Identifier: MIT
/*
 * policy.c - row-level security of tables and their policies.
 *
 * One query over the tables found (the oid[] of table.c), left-joined to
 * pg_policy: each table's relrowsecurity / relforcerowsecurity, and one row
 * per policy.  The RLS switches are read here rather than in the table
 * query because they only matter together with the policies they enforce.
 *
 * A policy's roles are names (pg_get_userbyid), PUBLIC (role 0) as
 * SG_ROLE_PUBLIC, sorted with strcmp: PostgreSQL keeps polroles in the
 * order given, which says nothing.  USING and WITH CHECK are
 * pg_get_expr() text under search_path = pg_catalog.  Policies are
 * registered in the oid map, so the pg_depend rows that tie a policy to
 * the columns, functions and tables its expressions use become
 * dependencies (a column drop then rebuilds or alters the policy first).
 */
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"

static const char policies_sql[] =
	"SELECT c.oid AS relid, n.nspname, c.relname, c.relrowsecurity,"
	" c.relforcerowsecurity, p.oid AS polid, p.polname, p.polpermissive,"
	" p.polcmd,"
	" ARRAY(SELECT CASE WHEN r = 0 THEN 'public'"
	"   ELSE pg_get_userbyid(r)::text END"
	"   FROM unnest(p.polroles) AS r)::text[] AS roles,"
	" pg_get_expr(p.polqual, p.polrelid) AS using_expr,"
	" pg_get_expr(p.polwithcheck, p.polrelid) AS check_expr,"
	" d.description"
	" FROM pg_class c"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_policy p ON p.polrelid = c.oid"
	DESCRIPTION_JOIN("d", "pg_policy", "p.oid", "0")
	" WHERE c.oid = ANY ($1::oid[])";

static int role_cmp(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

int introspect_policies(struct ictx *x)
{
	const char *params[1] = { x->table_oids.buf };
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "relname", SORT_TEXT },
		{ "polname", SORT_TEXT }, { NULL, 0 }
	};
	PGresult *res = run(x, policies_sql, 1, params);
	int *rows, i_rel, i_rls, i_force, i_polid, i_name, i_perm, i_cmd,
		i_roles, i_using, i_check, i_comment;
	int rc = 0;

	if (!res)
		return -1;
	i_rel = col(res, "relid");
	i_rls = col(res, "relrowsecurity");
	i_force = col(res, "relforcerowsecurity");
	i_polid = col(res, "polid");
	i_name = col(res, "polname");
	i_perm = col(res, "polpermissive");
	i_cmd = col(res, "polcmd");
	i_roles = col(res, "roles");
	i_using = col(res, "using_expr");
	i_check = col(res, "check_expr");
	i_comment = col(res, "description");
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res) && rc == 0; k++) {
		int r = rows[k];
		uint32_t rel = oidv(res, r, i_rel);
		struct sg_object *t = oidmap_get(&x->map, OIDMAP_CLASS, rel, 0);
		struct sg_table *tab;
		struct sg_policy *p;
		long n;

		if (!t || !sg_kind_is_relation(t->kind))
			SG_BUG("policy of unknown table %u", rel);
		tab = (struct sg_table *)t;
		tab->rls_enabled = boolv(res, r, i_rls);
		tab->rls_forced = boolv(res, r, i_force);
		if (PQgetisnull(res, r, i_polid))
			continue;       /* a table without policies */
		p = SG_NEW(x->cat, sg_policy, SG_KIND_POLICY, NULL,
			   PQgetvalue(res, r, i_name), t);
		p->obj.oid = oidv(res, r, i_polid);
		p->obj.comment = str(x, res, r, i_comment);
		p->permissive = boolv(res, r, i_perm);
		p->command = charv(res, r, i_cmd);
		n = text_array(x, PQgetvalue(res, r, i_roles), &p->roles);
		if (n < 0) {
			rc = -1;
			break;
		}
		p->nroles = (size_t)n;
		if (p->nroles > 1)
			qsort(p->roles, p->nroles, sizeof(*p->roles), role_cmp);
		p->using_expr = str(x, res, r, i_using);
		p->check_expr = str(x, res, r, i_check);
		oidmap_put(&x->map, OIDMAP_POLICY, p->obj.oid, 0, &p->obj);
	}
	free(rows);
	PQclear(res);
	return rc;
}
