// SPDX-License-Identifier: MIT
/*
 * function.c - functions and procedures (pg_proc), in any language.
 *
 * What is compared is pg_get_functiondef(): the complete CREATE OR REPLACE
 * statement PostgreSQL itself would write, with search_path = pg_catalog so
 * that every type name in it is schema-qualified.  The other fields are
 * read as well: the differ needs the result and the arguments mode by mode
 * (argsig) and the number of defaults to know whether CREATE OR REPLACE
 * can turn one version into the other, and the dump needs the parts one by
 * one.
 *
 * The identity (obj.name) is "proname(argument types)" with the types of
 * proargtypes as oidvectortypes() prints them: the input arguments, which
 * is what makes overloads distinct in PostgreSQL (pg_proc's unique index is
 * on name, argument types and schema), so it is stable across versions of
 * one function and never the same for two.  For a procedure with OUT
 * arguments that still names it: PostgreSQL accepts DROP PROCEDURE and
 * COMMENT ON PROCEDURE with the input types only.
 *
 * Left out: aggregates (prokind 'a': CREATE AGGREGATE is not modelled) and
 * extension members (they come with CREATE EXTENSION).  Window functions
 * are functions with `window` set.
 *
 * SQL-standard bodies (BEGIN ATOMIC, RETURN; PostgreSQL 14+) are read with
 * pg_get_function_sqlbody(); older servers have none.
 */
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"

static void functions_sql(struct sbuf *sb, int version)
{
	sbuf_adds(sb,
		"SELECT p.oid, p.pronamespace, n.nspname, p.proname, p.prokind,"
		" oidvectortypes(p.proargtypes) AS argtypes,"
		" pg_get_function_identity_arguments(p.oid) AS identity_args,"
		" pg_get_function_arguments(p.oid) AS arguments,"
		" CASE WHEN p.prokind <> 'p' THEN pg_get_function_result(p.oid) END AS result,"
		" l.lanname, p.prosrc, p.probin,");
	sbuf_adds(sb, version >= 140000
		? " CASE WHEN p.prosqlbody IS NOT NULL"
		  " THEN pg_get_function_sqlbody(p.oid) END AS sqlbody,"
		: " NULL::text AS sqlbody,");
	sbuf_adds(sb,
		" p.provolatile, p.proisstrict, p.prosecdef, p.proleakproof,"
		" p.proparallel, p.procost, p.prorows, p.proconfig, p.pronargdefaults,"
		" (SELECT string_agg(coalesce(a.m::text, 'i') || ':' || coalesce(a.nm, '')"
		"   || ':' || format_type(a.t, NULL), ',' ORDER BY a.i)"
		"  FROM unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]),"
		"   p.proargmodes, p.proargnames) WITH ORDINALITY a(t, m, nm, i)) AS argsig,"
		" pg_get_functiondef(p.oid) AS definition, d.description"
		" FROM pg_proc p"
		" JOIN pg_namespace n ON n.oid = p.pronamespace"
		" JOIN pg_language l ON l.oid = p.prolang"
		DESCRIPTION_JOIN("d", "pg_proc", "p.oid", "0")
		" WHERE p.pronamespace = ANY ($1::oid[]) AND p.prokind <> 'a'"
		" AND " NOT_EXTENSION_MEMBER("pg_proc", "p.oid"));
}

int introspect_functions(struct ictx *x)
{
	const char *params[1] = { x->schema_oids.buf };
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "proname", SORT_TEXT },
		{ "argtypes", SORT_TEXT }, { NULL, 0 }
	};
	struct sbuf sql = SBUF_INIT;
	PGresult *res;
	int *rows, i_oid, i_nsp, i_nspname, i_name, i_kind, i_argtypes, i_ident,
		i_args, i_result, i_lang, i_src, i_bin, i_sqlbody, i_vol, i_strict,
		i_secdef, i_leak, i_par, i_cost, i_rows, i_config, i_ndefaults,
		i_argsig, i_def, i_comment;
	int rc = 0;

	functions_sql(&sql, x->server_version);
	res = run(x, sql.buf, 1, params);
	sbuf_release(&sql);
	if (!res)
		return -1;
	i_oid = col(res, "oid");
	i_nsp = col(res, "pronamespace");
	i_nspname = col(res, "nspname");
	i_name = col(res, "proname");
	i_kind = col(res, "prokind");
	i_argtypes = col(res, "argtypes");
	i_ident = col(res, "identity_args");
	i_args = col(res, "arguments");
	i_result = col(res, "result");
	i_lang = col(res, "lanname");
	i_src = col(res, "prosrc");
	i_bin = col(res, "probin");
	i_sqlbody = col(res, "sqlbody");
	i_vol = col(res, "provolatile");
	i_strict = col(res, "proisstrict");
	i_secdef = col(res, "prosecdef");
	i_leak = col(res, "proleakproof");
	i_par = col(res, "proparallel");
	i_cost = col(res, "procost");
	i_rows = col(res, "prorows");
	i_config = col(res, "proconfig");
	i_ndefaults = col(res, "pronargdefaults");
	i_argsig = col(res, "argsig");
	i_def = col(res, "definition");
	i_comment = col(res, "description");
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res) && rc == 0; k++) {
		int r = rows[k];
		const char *name = sg_printf(x->a, "%s(%s)", PQgetvalue(res, r, i_name),
					     PQgetvalue(res, r, i_argtypes));
		struct sg_function *f = SG_NEW(x->cat, sg_function, SG_KIND_FUNCTION,
					       PQgetvalue(res, r, i_nspname), name, NULL);
		long n;

		f->obj.oid = oidv(res, r, i_oid);
		f->obj.comment = str(x, res, r, i_comment);
		f->proname = str(x, res, r, i_name);
		f->prokind = charv(res, r, i_kind);
		if (f->prokind == 'w') {
			f->prokind = 'f';
			f->window = true;
		}
		f->arguments = str(x, res, r, i_args);
		f->identity_args = str(x, res, r, i_ident);
		f->result = str(x, res, r, i_result);
		f->language = str(x, res, r, i_lang);
		if (!PQgetisnull(res, r, i_sqlbody)) {
			f->body = str(x, res, r, i_sqlbody);
			f->sql_body = true;
		} else {
			f->body = str(x, res, r, i_src);
		}
		f->library = str(x, res, r, i_bin);
		f->volatility = charv(res, r, i_vol);
		f->strict = boolv(res, r, i_strict);
		f->security_definer = boolv(res, r, i_secdef);
		f->leakproof = boolv(res, r, i_leak);
		f->parallel = charv(res, r, i_par);
		f->cost = strtod(PQgetvalue(res, r, i_cost), NULL);
		f->rows = strtod(PQgetvalue(res, r, i_rows), NULL);
		n = text_array(x, PQgetisnull(res, r, i_config) ? NULL
				  : PQgetvalue(res, r, i_config), &f->config);
		if (n < 0)
			rc = -1;
		else
			f->nconfig = (size_t)n;
		f->ndefaults = (int)intv(res, r, i_ndefaults);
		f->argsig = str(x, res, r, i_argsig);
		f->definition = str(x, res, r, i_def);
		oidmap_put(&x->map, OIDMAP_PROC, f->obj.oid, 0, &f->obj);
		depend_on_schema(x, &f->obj, oidv(res, r, i_nsp));
	}
	free(rows);
	PQclear(res);
	return rc;
}
