// SPDX-License-Identifier: MIT
/*
 * sequence.c - sequences (pg_sequence), with OWNED BY.
 *
 * Identity sequences (an internal, deptype 'i', dependency on their column)
 * are not objects of their own: their options are the identity column's
 * identity_opts (table.c).  OWNED BY is the auto (deptype 'a') dependency on
 * a column, refobjsubid > 0; PostgreSQL requires the owning table to be in
 * the sequence's schema, so owned_table/owned_column are plain names.  A
 * sequence owned by the version or history table is schemagen's own and is
 * left out with its table.
 */
#include <stdlib.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"

/* The sequences that are objects (no extension members, no identity
 * sequences) first, in a subquery the planner keeps (OFFSET 0): the
 * OWNED BY lookups then run for those only, not for every identity
 * sequence. */
static const char sequences_sql[] =
	"SELECT c.oid, c.relnamespace, n.nspname, c.relname,"
	" format_type(s.seqtypid, NULL) AS seq_type, s.seqstart AS seq_start,"
	" s.seqincrement AS seq_increment, s.seqmin AS seq_min,"
	" s.seqmax AS seq_max, s.seqcache AS seq_cache, s.seqcycle AS seq_cycle,"
	" ot.relname AS owned_table, oa.attname AS owned_column,"
	" d.description"
	" FROM (SELECT c.oid, c.relnamespace, c.relname FROM pg_class c"
	"  WHERE c.relkind = 'S' AND c.relnamespace = ANY ($1::oid[])"
	"  AND " NOT_EXTENSION_MEMBER("pg_class", "c.oid")
	"  AND NOT EXISTS (SELECT 1 FROM pg_depend i"
	"  WHERE i.classid = 'pg_class'::regclass AND i.objid = c.oid"
	"  AND i.refclassid = 'pg_class'::regclass AND i.deptype = 'i'"
	"  OFFSET 0) OFFSET 0) c"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" JOIN pg_sequence s ON s.seqrelid = c.oid"
	" LEFT JOIN pg_depend od ON od.classid = 'pg_class'::regclass"
	"  AND od.objid = c.oid AND od.objsubid = 0"
	"  AND od.refclassid = 'pg_class'::regclass AND od.refobjsubid > 0"
	"  AND od.deptype = 'a'"
	" LEFT JOIN pg_class ot ON ot.oid = od.refobjid"
	" LEFT JOIN pg_attribute oa ON oa.attrelid = od.refobjid"
	"  AND oa.attnum = od.refobjsubid"
	DESCRIPTION_JOIN("d", "pg_class", "c.oid", "0")
	" WHERE NOT coalesce(n.nspname = coalesce($2, 'public') AND ot.relname IN ($3, $4), false)";

int introspect_sequences(struct ictx *x)
{
	const char *params[4] = {
		x->schema_oids.buf, x->opts->version_schema,
		x->opts->version_table, x->opts->history_table,
	};
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "relname", SORT_TEXT }, { NULL, 0 }
	};
	PGresult *res = run(x, sequences_sql, 4, params);
	int *rows, i_oid, i_nsp, i_nspname, i_name, i_owned_table,
		i_owned_column, i_comment;

	if (!res)
		return -1;
	i_oid = col(res, "oid");
	i_nsp = col(res, "relnamespace");
	i_nspname = col(res, "nspname");
	i_name = col(res, "relname");
	i_owned_table = col(res, "owned_table");
	i_owned_column = col(res, "owned_column");
	i_comment = col(res, "description");
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res); k++) {
		int r = rows[k];
		struct sg_sequence *s = SG_NEW(x->cat, sg_sequence,
					       SG_KIND_SEQUENCE,
					       PQgetvalue(res, r, i_nspname),
					       PQgetvalue(res, r, i_name), NULL);

		s->obj.oid = oidv(res, r, i_oid);
		s->obj.comment = str(x, res, r, i_comment);
		seqopts_from_row(x, &s->opts, res, r, "seq_");
		s->owned_table = str(x, res, r, i_owned_table);
		s->owned_column = str(x, res, r, i_owned_column);
		oidmap_put(&x->map, OIDMAP_CLASS, s->obj.oid, 0, &s->obj);
		depend_on_schema(x, &s->obj, oidv(res, r, i_nsp));
	}
	free(rows);
	PQclear(res);
	return 0;
}
