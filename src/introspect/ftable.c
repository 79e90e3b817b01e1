// SPDX-License-Identifier: MIT
/*
 * ftable.c - foreign tables (pg_class relkind 'f' with their
 * pg_foreign_table row), one query.  Their oids join the table oids, so
 * their columns (with attfdwoptions) and check constraints come from the
 * queries of table.c and constraint.c, as a view's columns do.  The
 * options are read as a server's (secrets masked by the query).  A
 * foreign table that is a partition or an INHERITS child gets its parent,
 * bounds and parents from partition.c's query over the table oids, as a
 * table does; its triggers and statistics objects come from trigger.c and
 * statistics.c (their parent is any relation of the oid map).
 */
#include <stdlib.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"

static const char ftables_sql[] =
	"SELECT c.oid, c.relnamespace, n.nspname, c.relname, c.reltype,"
	" rt.typarray, s.srvname," OPTIONS("ft.ftoptions") ", d.description"
	" FROM pg_foreign_table ft"
	" JOIN pg_class c ON c.oid = ft.ftrelid"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" JOIN pg_foreign_server s ON s.oid = ft.ftserver"
	" LEFT JOIN pg_type rt ON rt.oid = c.reltype"
	DESCRIPTION_JOIN("d", "pg_class", "c.oid", "0")
	" WHERE c.relkind = 'f' AND c.relnamespace = ANY ($1::oid[])"
	" AND " NOT_EXTENSION_MEMBER("pg_class", "c.oid");

int introspect_foreign_tables(struct ictx *x)
{
	const char *params[1] = { x->schema_oids.buf };
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "relname", SORT_TEXT }, { NULL, 0 }
	};
	PGresult *res = run(x, ftables_sql, 1, params);
	int *rows, rc = 0;

	if (!res)
		return -1;
	rows = sorted_rows(res, order);
	oidlist_reopen(&x->table_oids);
	for (int k = 0; k < PQntuples(res) && rc == 0; k++) {
		int r = rows[k];
		struct sg_foreign_table *f = SG_NEW(
			x->cat, sg_foreign_table, SG_KIND_FOREIGN_TABLE,
			PQgetvalue(res, r, col(res, "nspname")),
			PQgetvalue(res, r, col(res, "relname")), NULL);
		uint32_t type = oidv(res, r, col(res, "reltype"));
		uint32_t array = oidv(res, r, col(res, "typarray"));

		f->rel.obj.oid = oidv(res, r, col(res, "oid"));
		f->rel.obj.comment = str(x, res, r, col(res, "description"));
		f->server = str(x, res, r, col(res, "srvname"));
		rc = introspect_fdw_options(x, res, r, &f->options, &f->noptions);
		oidmap_put(&x->map, OIDMAP_CLASS, f->rel.obj.oid, 0, &f->rel.obj);
		/* a column of the row type (or an array of it) needs the table */
		if (type)
			oidmap_put(&x->map, OIDMAP_TYPE, type, 0, &f->rel.obj);
		if (array)
			oidmap_put(&x->map, OIDMAP_TYPE, array, 0, &f->rel.obj);
		depend_on_schema(x, &f->rel.obj, oidv(res, r, col(res, "relnamespace")));
		oidlist_add(&x->table_oids, f->rel.obj.oid);
	}
	oidlist_end(&x->table_oids);
	free(rows);
	PQclear(res);
	return rc;
}
