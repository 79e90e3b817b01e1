/* SPDX-License-Identifier: MIT */
/*
 * runner.h - applying migrations and scripts to a database (src/runner/).
 *
 * The version table (version_schema.version_table, one row per applied head,
 * as alembic_version) and the history table (revision, direction, checksum,
 * applied_at, applied_by, duration) are created on first use.  Runners hold
 * a session advisory lock while they read the version table and apply, so
 * concurrent runners serialise and never apply a revision twice.  Each
 * revision runs in its own transaction together with its version-table
 * update; a failing statement rolls the whole revision back and is reported
 * as
 *
 *     migrations/abc_x.sql:12:1: error: <PostgreSQL message>
 *       SQLSTATE: 42P01
 *       detail: ...
 *       hint: ...
 *       statement: ALTER TABLE ...
 */
#ifndef SG_RUNNER_H
#define SG_RUNNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct sg_arena;
struct sg_conn;
struct sg_diags;
struct sg_revgraph;
struct sg_script;

struct sg_runner_opts {
	const char *version_schema;
	const char *version_table;
	const char *history_table;
	FILE *sql_out;       /* --sql: print instead of running (conn may be NULL) */
};

/*
 * The applied heads from the version table, sorted; none when the table
 * does not exist.  Returns -1 after printing a query error.
 */
int runner_current(struct sg_conn *c, const struct sg_runner_opts *o,
		   struct sg_arena *a, const char ***heads, size_t *n);

/*
 * Upgrades to target / downgrades to target (see store_plan_*), printing one
 * line per revision applied.  With o->sql_out set, prints the SQL that would
 * run (BEGIN/COMMIT, the statements, the version-table bookkeeping) starting
 * from base, or from `from` when given, and touches no database.
 */
int runner_upgrade(struct sg_conn *c, const struct sg_revgraph *g,
		   const char *target, const struct sg_runner_opts *o);
int runner_downgrade(struct sg_conn *c, const struct sg_revgraph *g,
		     const char *target, const struct sg_runner_opts *o);

/* Sets the version table to target's heads without running anything. */
int runner_stamp(struct sg_conn *c, const struct sg_revgraph *g,
		 const char *target, const struct sg_runner_opts *o);

/*
 * Runs a generated script in one transaction (materialising models in a
 * scratch database, replaying migrations).  A failing statement that came
 * from the models is reported at the model's file:line:col (through the
 * statement's fragments and origin) as a diagnostic in d; otherwise printed.
 * Each statement runs with search_path set to its origin's schema, then
 * public.  Returns 0 or -1.
 */
int runner_exec_script(struct sg_conn *c, const struct sg_script *s,
		       struct sg_diags *d);

#endif
