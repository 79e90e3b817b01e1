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
 * Parallel plans are turned off too: the planner chose parallel hash
 * joins over whole catalogs for the index query (10,000 tables), whose
 * workers cost more CPU than the lookups they replace.
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
 * The number of queries is fixed (about 45), whatever the size of the
 * database: per-kind queries, per-table details batched with oid[]
 * parameters, one pg_depend query; one more when there are exclusion
 * constraints (constraint.c).
 */
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/util.h"

static int exec(struct ictx *x, const char *sql)
{
	PGresult *res = run(x, sql, 0, NULL);

	if (!res)
		return -1;
	PQclear(res);
	return 0;
}

/*
 * Each kind's loader: one query (two for indexes), whatever the number of
 * objects.  Indexed by enum sg_kind; tests/unit/t-kinds.c checks that
 * every kind has one and runs in steps[] exactly once.
 */
static int (*const loaders[SG_KIND__COUNT])(struct ictx *) = {
	[SG_KIND_DEFAULT_ACL] = introspect_defacls,
	[SG_KIND_SCHEMA] = introspect_schemas,
	[SG_KIND_EXTENSION] = introspect_extensions,
	[SG_KIND_COLLATION] = introspect_collations,
	[SG_KIND_ENUM] = introspect_enums,
	[SG_KIND_DOMAIN] = introspect_domains,
	[SG_KIND_COMPOSITE] = introspect_composites,
	[SG_KIND_SEQUENCE] = introspect_sequences,
	[SG_KIND_FUNCTION] = introspect_functions,
	[SG_KIND_FDW] = introspect_fdws,
	[SG_KIND_SERVER] = introspect_servers,
	[SG_KIND_USER_MAPPING] = introspect_user_mappings,
	[SG_KIND_LANGUAGE] = introspect_languages,
	[SG_KIND_AGGREGATE] = introspect_aggregates,
	[SG_KIND_OPERATOR] = introspect_operators,
	[SG_KIND_OPFAMILY] = introspect_opfamilies,
	[SG_KIND_OPCLASS] = introspect_opclasses,
	[SG_KIND_FOREIGN_TABLE] = introspect_foreign_tables,
	[SG_KIND_TABLE] = introspect_tables,
	[SG_KIND_COLUMN] = introspect_columns,
	[SG_KIND_CONSTRAINT] = introspect_constraints,
	[SG_KIND_INDEX] = introspect_indexes,
	[SG_KIND_VIEW] = introspect_views,
	[SG_KIND_TRIGGER] = introspect_triggers,
	[SG_KIND_POLICY] = introspect_policies,
	[SG_KIND_STATISTICS] = introspect_statistics,
	[SG_KIND_RULE] = introspect_rules,
	[SG_KIND_TS_PARSER] = introspect_ts_parsers,
	[SG_KIND_TS_TEMPLATE] = introspect_ts_templates,
	[SG_KIND_TS_DICTIONARY] = introspect_ts_dicts,
	[SG_KIND_TS_CONFIG] = introspect_ts_configs,
	[SG_KIND_CAST] = introspect_casts,
	[SG_KIND_EVENT_TRIGGER] = introspect_event_triggers,
	[SG_KIND_PUBLICATION] = introspect_publications,
};

/*
 * The order the loaders run in, with the passes over several kinds
 * between them (pass set: not a kind's loader).  A loader runs after the
 * kinds whose oids it takes as parameters or maps its rows onto: the
 * relations (tables, then views, which join the table oids) before their
 * children, every kind before the privileges and the dependencies.
 */
static const struct step {
	enum sg_kind kind;
	int (*pass)(struct ictx *);
} steps[] = {
	{ SG_KIND_SCHEMA, NULL }, { SG_KIND_EXTENSION, NULL },
	{ SG_KIND_COLLATION, NULL }, { SG_KIND_ENUM, NULL },
	{ SG_KIND_DOMAIN, NULL }, { SG_KIND_COMPOSITE, NULL },
	{ SG_KIND_SEQUENCE, NULL }, { SG_KIND_TS_PARSER, NULL },
	{ SG_KIND_TS_TEMPLATE, NULL }, { SG_KIND_TS_DICTIONARY, NULL },
	{ SG_KIND_TS_CONFIG, NULL }, { SG_KIND_TABLE, NULL },
	{ SG_KIND_VIEW, NULL }, { SG_KIND_FOREIGN_TABLE, NULL },
	{ 0, introspect_table_details },
	{ SG_KIND_COLUMN, NULL }, { SG_KIND_CONSTRAINT, NULL },
	{ SG_KIND_INDEX, NULL }, { SG_KIND_FUNCTION, NULL },
	{ SG_KIND_LANGUAGE, NULL },
	{ SG_KIND_AGGREGATE, NULL }, { SG_KIND_OPERATOR, NULL },
	{ SG_KIND_OPFAMILY, NULL }, { SG_KIND_OPCLASS, NULL },
	{ SG_KIND_TRIGGER, NULL }, { SG_KIND_POLICY, NULL },
	{ SG_KIND_STATISTICS, NULL }, { SG_KIND_RULE, NULL },
	{ SG_KIND_CAST, NULL }, { SG_KIND_EVENT_TRIGGER, NULL },
	{ SG_KIND_PUBLICATION, NULL },
	{ SG_KIND_FDW, NULL }, { SG_KIND_SERVER, NULL },
	{ SG_KIND_USER_MAPPING, NULL },
	{ 0, introspect_acls }, { SG_KIND_DEFAULT_ACL, NULL },
	{ 0, introspect_owners },
	{ 0, introspect_depends },
};

bool introspect_kind_loaded(enum sg_kind kind)
{
	int n = 0;

	for (size_t i = 0; i < ARRAY_SIZE(steps); i++)
		n += !steps[i].pass && steps[i].kind == kind;
	return (unsigned)kind < SG_KIND__COUNT && loaders[kind] && n == 1 &&
	       depend_class_known(sg_kind(kind)->pg_catalog);
}

int introspect_kind_rank(enum sg_kind kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(steps); i++)
		if (!steps[i].pass && steps[i].kind == kind)
			return (int)i;
	return -1;
}

static int load_all(struct ictx *x)
{
	if (exec(x, "SELECT pg_catalog.set_config('search_path', 'pg_catalog', true),"
		    " pg_catalog.set_config('jit', 'off', true),"
		    " pg_catalog.set_config('max_parallel_workers_per_gather', '0', true),"
		    " pg_catalog.set_config('TimeZone', 'UTC', true),"
		    " pg_catalog.set_config('DateStyle', 'ISO', true),"
		    " pg_catalog.set_config('IntervalStyle', 'postgres', true)") < 0)
		return -1;
	for (size_t i = 0; i < ARRAY_SIZE(steps); i++)
		if ((steps[i].pass ? steps[i].pass : loaders[steps[i].kind])(x) < 0)
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
		.read_oids = SBUF_INIT,
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
	sbuf_release(&x.read_oids);
	if (rc == 0)
		sg_catalog_finish(cat);
	return rc;
}
