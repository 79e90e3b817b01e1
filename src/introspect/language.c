// SPDX-License-Identifier: MIT
/*
 * language.c - procedural languages (pg_language), database-wide.
 *
 * Only languages a user created with CREATE LANGUAGE: not the built-in
 * ones (internal, c, sql: oids below FirstNormalObjectId) and not those an
 * extension brings (plpgsql, plperl, ...: pg_depend deptype 'e'), which come
 * and go with their extension.  The handler, inline handler and validator
 * are SQL names, qualified unless in pg_catalog (catalog_name()).
 */
#include <stdlib.h>

#include "introspect-priv.h"

static const char languages_sql[] =
	"SELECT l.oid, l.lanname, l.lanpltrusted,"
	" hn.nspname AS handler_nsp, h.proname AS handler,"
	" inn.nspname AS inline_nsp, i.proname AS inline,"
	" vn.nspname AS validator_nsp, v.proname AS validator,"
	" d.description"
	" FROM pg_language l"
	" JOIN pg_proc h ON h.oid = l.lanplcallfoid"
	" JOIN pg_namespace hn ON hn.oid = h.pronamespace"
	" LEFT JOIN pg_proc i ON i.oid = l.laninline"
	" LEFT JOIN pg_namespace inn ON inn.oid = i.pronamespace"
	" LEFT JOIN pg_proc v ON v.oid = l.lanvalidator"
	" LEFT JOIN pg_namespace vn ON vn.oid = v.pronamespace"
	DESCRIPTION_JOIN("d", "pg_language", "l.oid", "0")
	" WHERE l.lanispl AND l.oid >= 16384"
	" AND " NOT_EXTENSION_MEMBER("pg_language", "l.oid");

int introspect_languages(struct ictx *x)
{
	static const struct sortkey order[] = {
		{ "lanname", SORT_TEXT }, { NULL, 0 }
	};
	PGresult *res = run(x, languages_sql, 0, NULL);
	int *rows, i_oid, i_name, i_trusted, i_hnsp, i_h, i_insp, i_i,
		i_vnsp, i_v, i_comment;

	if (!res)
		return -1;
	i_oid = col(res, "oid");
	i_name = col(res, "lanname");
	i_trusted = col(res, "lanpltrusted");
	i_hnsp = col(res, "handler_nsp");
	i_h = col(res, "handler");
	i_insp = col(res, "inline_nsp");
	i_i = col(res, "inline");
	i_vnsp = col(res, "validator_nsp");
	i_v = col(res, "validator");
	i_comment = col(res, "description");
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res); k++) {
		int r = rows[k];
		struct sg_language *g = SG_NEW(x->cat, sg_language,
					       SG_KIND_LANGUAGE, SG_GLOBAL_SCHEMA,
					       PQgetvalue(res, r, i_name), NULL);

		g->obj.oid = oidv(res, r, i_oid);
		g->obj.comment = str(x, res, r, i_comment);
		g->trusted = boolv(res, r, i_trusted);
		g->handler = catalog_name(x, str(x, res, r, i_hnsp),
					  str(x, res, r, i_h));
		g->inline_handler = catalog_name(x, str(x, res, r, i_insp),
						 str(x, res, r, i_i));
		g->validator = catalog_name(x, str(x, res, r, i_vnsp),
					    str(x, res, r, i_v));
		oidmap_put(&x->map, OIDMAP_LANGUAGE, g->obj.oid, 0, &g->obj);
	}
	free(rows);
	PQclear(res);
	return 0;
}
