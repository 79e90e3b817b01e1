// SPDX-License-Identifier: MIT
/*
 * statistics.c - extended statistics objects (pg_statistic_ext) of the
 * tables read, in one query.
 *
 * What is compared is pg_get_statisticsobjdef(); the kinds (stxkind), the
 * columns (stxkeys, by name) and, from PostgreSQL 14 on, the expressions
 * (pg_get_statisticsobjdef_expressions) are read for the dump.  The
 * statistics target (stxstattarget, 13+: -1 or, from 17 on, NULL for the
 * default) is a field of its own, changed by ALTER STATISTICS ... SET
 * STATISTICS.  Those of tables, materialized views and foreign tables are
 * read, in any managed schema (the models declare them under the
 * relation, with `schema:` when not the relation's); members of extensions
 * are left out.
 */
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"
#include "schemagen/util.h"

static void statistics_sql(struct sbuf *sb, int version)
{
	sbuf_adds(sb,
		"SELECT s.oid, s.stxrelid, n.nspname, c.relname, s.stxname,"
		" s.stxnamespace, sn.nspname AS stxnspname,"
		" pg_get_statisticsobjdef(s.oid) AS definition,"
		" s.stxkind::text AS kinds,"
		" ARRAY(SELECT a.attname FROM unnest(s.stxkeys::int2[])"
		"  WITH ORDINALITY k(attnum, i) JOIN pg_attribute a"
		"  ON a.attrelid = s.stxrelid AND a.attnum = k.attnum ORDER BY k.i)"
		"  AS columns,");
	sbuf_adds(sb, version >= 140000
		  ? " pg_get_statisticsobjdef_expressions(s.oid) AS exprs,"
		  : " NULL::text[] AS exprs,");
	sbuf_adds(sb, version >= 170000 ? " COALESCE(s.stxstattarget, -1) AS target,"
		  : version >= 130000 ? " s.stxstattarget AS target,"
		  : " -1 AS target,");
	sbuf_adds(sb,
		" d.description"
		" FROM pg_statistic_ext s"
		" JOIN pg_class c ON c.oid = s.stxrelid"
		" JOIN pg_namespace n ON n.oid = c.relnamespace"
		" JOIN pg_namespace sn ON sn.oid = s.stxnamespace"
		DESCRIPTION_JOIN("d", "pg_statistic_ext", "s.oid", "0")
		" WHERE c.relnamespace = ANY ($1::oid[])"
		" AND s.stxnamespace = ANY ($1::oid[])"
		" AND " NOT_EXTENSION_MEMBER("pg_statistic_ext", "s.oid")
		" AND ($2::oid[] IS NULL OR s.stxrelid = ANY ($2::oid[]))");
}

static unsigned kind_bits(const char *s)
{
	unsigned k = 0;

	for (; *s; s++)
		k |= *s == 'd' ? SG_STX_NDISTINCT : *s == 'f' ? SG_STX_DEPENDENCIES
		     : *s == 'm' ? SG_STX_MCV : 0;
	return k;
}

int introspect_statistics(struct ictx *x)
{
	const char *params[2] = { x->schema_oids.buf, partial_rels(x) };
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "relname", SORT_TEXT },
		{ "stxname", SORT_TEXT }, { NULL, 0 }
	};
	struct sbuf sql = SBUF_INIT;
	PGresult *res;
	int *rows, i_oid, i_rel, i_name, i_def, i_kinds, i_cols, i_exprs,
		i_target, i_comment, i_nsp, i_nspname;
	int rc = 0;

	statistics_sql(&sql, x->server_version);
	res = run(x, sql.buf, 2, params);
	sbuf_release(&sql);
	if (!res)
		return -1;
	i_oid = col(res, "oid");
	i_rel = col(res, "stxrelid");
	i_name = col(res, "stxname");
	i_def = col(res, "definition");
	i_kinds = col(res, "kinds");
	i_cols = col(res, "columns");
	i_exprs = col(res, "exprs");
	i_target = col(res, "target");
	i_comment = col(res, "description");
	i_nsp = col(res, "stxnamespace");
	i_nspname = col(res, "stxnspname");
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res) && rc == 0; k++) {
		int r = rows[k];
		struct sg_object *t = oidmap_get(&x->map, OIDMAP_CLASS,
						 oidv(res, r, i_rel), 0);
		struct sg_statistics *st;
		long n;

		/* tables, materialized views and foreign tables (the only
		 * relations with them) */
		if (!t || (t->kind != SG_KIND_TABLE && t->kind != SG_KIND_VIEW &&
			   t->kind != SG_KIND_FOREIGN_TABLE))
			continue;
		st = SG_NEW(x->cat, sg_statistics, SG_KIND_STATISTICS, NULL,
			    PQgetvalue(res, r, i_name), t);
		st->obj.oid = oidv(res, r, i_oid);
		st->obj.comment = str(x, res, r, i_comment);
		st->definition = str(x, res, r, i_def);
		st->kinds = kind_bits(PQgetvalue(res, r, i_kinds));
		st->target = (int)intv(res, r, i_target);
		if (strcmp(PQgetvalue(res, r, i_nspname), t->schema) != 0) {
			st->schema = sg_strdup(x->a, PQgetvalue(res, r, i_nspname));
			depend_on_schema(x, &st->obj, oidv(res, r, i_nsp));
		}
		n = text_array(x, PQgetvalue(res, r, i_cols), &st->columns);
		if (n < 0) {
			rc = -1;
			break;
		}
		st->ncolumns = (size_t)n;
		if (!PQgetisnull(res, r, i_exprs)) {
			n = text_array(x, PQgetvalue(res, r, i_exprs), &st->expressions);
			if (n < 0) {
				rc = -1;
				break;
			}
			st->nexpressions = (size_t)n;
		}
		oidmap_put(&x->map, OIDMAP_STATISTICS, st->obj.oid, 0, &st->obj);
	}
	free(rows);
	PQclear(res);
	return rc;
}
