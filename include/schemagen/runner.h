/* SPDX-License-Identifier: MIT */
/*
 * runner.h - applying migrations and scripts to a database (src/runner/).
 *
 * The version table (version_schema.version_table, one row per applied head,
 * as alembic_version) and the history table (revision, direction, checksum,
 * applied_at, applied_by, duration) are created on first use.  NULL names in
 * struct sg_runner_opts mean public, schemagen_version, schemagen_history.
 * The advisory lock's key is sg_hash64() of the quoted, qualified version
 * table name; a runner that has to wait prints the pid, application name
 * and connection time of the session holding it.  Runners hold
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
 *
 * Details:
 *  - progress on stdout (sg_info): "upgrade 4c1f9a2e7b30 (add status): 3
 *    statements, 12 ms", or "nothing to do: the database is already at X";
 *  - a failing statement is reported on stderr as in the comment at the top,
 *    then "revision <id> (<message>) was rolled back; the database is still
 *    at <heads or base>"; revisions applied before it stay applied;
 *  - a section with a statement that cannot run in a transaction (or a
 *    revision with `transaction: none`) runs statement by statement in
 *    autocommit, its version-table update and history row in a transaction
 *    after the last one; a failure part-way says which statements ran;
 *  - before applying, applied revisions whose file's checksum differs from
 *    the one recorded in the history are warned about;
 *  - --sql: the target may be "FROM:TO" (FROM's heads are the starting
 *    point); without FROM, upgrades start at base and downgrades at the
 *    graph's heads.  The output (CREATE TABLE IF NOT EXISTS for both tables,
 *    then per revision BEGIN, statements, version-table UPDATE/DELETE/INSERT,
 *    history row, COMMIT) is meant for `psql -v ON_ERROR_STOP=1 -f` and
 *    leaves the same version table as the runner.  Ranges without --sql are
 *    an error.
 */
int runner_upgrade(struct sg_conn *c, const struct sg_revgraph *g,
		   const char *target, const struct sg_runner_opts *o);
int runner_downgrade(struct sg_conn *c, const struct sg_revgraph *g,
		     const char *target, const struct sg_runner_opts *o);

/*
 * Sets the version table to target's heads (head, heads, REV, base, ...;
 * see store_resolve) without running anything, replacing whatever it held,
 * with a history row per head (direction `stamp`; revision `base` when
 * stamping base).  Prints "stamped the database at X (it was at Y)".
 */
int runner_stamp(struct sg_conn *c, const struct sg_revgraph *g,
		 const char *target, const struct sg_runner_opts *o);

/*
 * Runs a generated script in one transaction (materialising models in a
 * scratch database, replaying migrations).  A failing statement that came
 * from the models is reported at the model's file:line:col (through the
 * statement's fragments and origin) as a diagnostic in d; otherwise printed.
 * Each statement runs with search_path set to its origin's schema, then
 * public.  Returns 0 or -1.
 *
 * The diagnostic carries PostgreSQL's primary message, and its hint as the
 * diagnostic's hint.  Statements that have a file and line (replayed
 * migrations) and fail are printed like migration errors.  A script with a
 * statement marked no_transaction runs in autocommit instead of one
 * transaction (search_path then set for the session and reset at the end).
 */
int runner_exec_script(struct sg_conn *c, const struct sg_script *s,
		       struct sg_diags *d);

#endif
