// SPDX-License-Identifier: MIT
/*
 * introspect.c - reading a catalog from a live database: the transaction
 * around the per-kind queries (pg_dump's snapshot rules) and the order in
 * which they run.
 *
 * Why one REPEATABLE READ, READ ONLY transaction: every query sees the same
 * snapshot, so the oids one query returns (schemas, tables) are valid
 * parameters for the next.  Why search_path = pg_catalog, set with
 * set_config(..., true): format_type, pg_get_expr, pg_get_constraintdef and
 * pg_get_indexdef qualify every name that is not visible in the search path,
 * so with only pg_catalog in it every user object comes out schema-qualified,
 * whatever the caller's session says; the setting is transaction-local, so
 * the caller's own search_path is back after COMMIT.  jit is turned off
 * the same way: once autovacuum has analyzed a large catalog, the planner's
 * estimates pass jit_above_cost and compiling the constraint query's
 * expressions took 3.3 s of a 3.5 s query (1000 tables; 0.17 s without).
 * TimeZone, DateStyle and IntervalStyle are fixed too (UTC, ISO,
 * postgres, as pg_dump does): constants in defaults, checks and partition
 * bounds are printed in the session's style, and the live database and the
 * scratch one may well have different defaults.
 *
 * When the caller is already inside a transaction (the runner may introspect
 * in the transaction that applies a migration), the snapshot and isolation
 * level are the caller's; a savepoint confines the search_path change, which
 * ROLLBACK TO SAVEPOINT undoes.
 *
 * The number of queries is fixed (24 or so), whatever the size of the
 * database: per-kind queries, per-table details batched with oid[]
 * parameters, one pg_depend query.
 */
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"
#include "schemagen/diag.h"

static int exec(struct ictx *x, const char *sql)
{
	PGresult *res = run(x, sql, 0, NULL);

	if (!res)
		return -1;
	PQclear(res);
	return 0;
}

static int load_all(struct ictx *x)
{
	if (exec(x, "SELECT pg_catalog.set_config('search_path', 'pg_catalog', true),"
		    " pg_catalog.set_config('jit', 'off', true),"
		    " pg_catalog.set_config('TimeZone', 'UTC', true),"
		    " pg_catalog.set_config('DateStyle', 'ISO', true),"
		    " pg_catalog.set_config('IntervalStyle', 'postgres', true)") < 0)
		return -1;
	if (introspect_schemas(x) < 0 || introspect_extensions(x) < 0 ||
	    introspect_collations(x) < 0 || introspect_enums(x) < 0 ||
	    introspect_domains(x) < 0 || introspect_composites(x) < 0 ||
	    introspect_sequences(x) < 0 || introspect_tables(x) < 0 ||
	    introspect_views(x) < 0 || introspect_table_details(x) < 0 ||
	    introspect_columns(x) < 0 || introspect_constraints(x) < 0 ||
	    introspect_indexes(x) < 0 || introspect_functions(x) < 0 ||
	    introspect_triggers(x) < 0 || introspect_policies(x) < 0 ||
	    introspect_acls(x) < 0 || introspect_defacls(x) < 0 ||
	    introspect_depends(x) < 0)
		return -1;
	introspect_attachments(x);
	return 0;
}

int introspect_catalog(struct sg_conn *c, const struct sg_introspect_opts *o,
		       struct sg_catalog *cat)
{
	static const struct sg_introspect_opts all;
	struct ictx x = {
		.conn = c,
		.cat = cat,
		.a = cat->arena,
		.opts = o ? o : &all,
		.server_version = sg_conn_server_version(c),
		.schema_oids = SBUF_INIT,
		.table_oids = SBUF_INIT,
	};
	bool nested = PQtransactionStatus(sg_conn_pg(c)) != PQTRANS_IDLE;
	int rc;

	if (x.server_version < 120000) {
		return sg_error("PostgreSQL %d.%d is not supported "
				"(schemagen needs 12 or later)",
				x.server_version / 10000,
				x.server_version % 10000);
	}
	cat->server_version = x.server_version;
	if (exec(&x, nested ? "SAVEPOINT sg_introspect"
			    : "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY") < 0)
		return -1;
	rc = load_all(&x);
	if (nested)
		rc = exec(&x, "ROLLBACK TO SAVEPOINT sg_introspect") < 0 ||
		     exec(&x, "RELEASE SAVEPOINT sg_introspect") < 0 ? -1 : rc;
	else if (rc == 0)
		rc = exec(&x, "COMMIT");
	else
		exec(&x, "ROLLBACK");
	oidmap_release(&x.map);
	sbuf_release(&x.schema_oids);
	sbuf_release(&x.table_oids);
	if (rc == 0)
		sg_catalog_finish(cat);
	return rc;
}
