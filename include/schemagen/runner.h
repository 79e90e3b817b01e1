/* SPDX-License-Identifier: MIT */
/*
 * runner.h - applying migrations and scripts to a database (src/runner/).
 *
 * The version table (version_schema.version_table, one row per applied head,
 * as alembic_version) and the history table (revision, direction, checksum,
 * applied_at, applied_by, duration_ms; direction is upgrade, downgrade,
 * stamp or accept) are created on first use.  NULL names in
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

/* sg_runner_opts.lock_wait_ms: do not wait for the migration lock at all. */
#define SG_LOCK_NOWAIT (-1L)

/*
 * What a run did, for --format json and the library (sg_runner_opts.report;
 * strings and lists in report->arena).  from: the heads when the run
 * began; to: the heads it left (committed); steps: each revision applied
 * and committed, in order (none after a single-transaction run that was
 * rolled back).  Stamp fills from and to only.
 */
struct sg_run_step {
	const struct sg_revision *rev;
	const char *direction;        /* upgrade or downgrade */
	size_t statements;
	long long duration_ms;
};
struct sg_run_report {
	struct sg_arena *arena;
	bool ran;                     /* from/to were read */
	const char **from, **to;
	size_t nfrom, nto;
	struct sg_run_step *v;
	size_t n, cap;
};

struct sg_runner_opts {
	const char *version_schema;
	const char *version_table;
	const char *history_table;
	FILE *sql_out;       /* --sql: print instead of running (conn may be NULL) */
	/*
	 * Added for the production runner (all zero: the old behaviour).
	 *  - single_transaction: the whole run in one transaction (refused
	 *    when a revision of the plan must run outside one);
	 *  - lock_wait_ms: how long to wait for the migration lock; 0 waits
	 *    as long as it takes, SG_LOCK_NOWAIT not at all;
	 *  - lock_timeout, statement_timeout: SET LOCAL values for every
	 *    revision ("5s"; see store_valid_timeout()), which a revision's
	 *    own `-- lock-timeout:` / `-- statement-timeout:` override; NULL
	 *    leaves the server's settings;
	 *  - accept_changed: applied revisions (ids, prefixes or labels) whose
	 *    edited file the user accepts: a history row `accept` records the
	 *    file's new checksum before anything runs;
	 *  - purge (stamp): empty the version table first, whatever it holds.
	 */
	bool single_transaction;
	long lock_wait_ms;
	const char *lock_timeout;
	const char *statement_timeout;
	const char *const *accept_changed;
	size_t naccept_changed;
	bool purge;
	/* downgrade: run revisions whose downgrade says it is irreversible
	 * ("-- irreversible: ..." lines), instead of refusing them */
	bool force_irreversible;
	/*
	 * Revisions with `online: true`: the lock_timeout of each statement
	 * (SET LOCAL in the statement's own transaction; the revision's
	 * `-- lock-timeout:` wins; NULL: 2s; not for CREATE/DROP INDEX
	 * CONCURRENTLY, which do not block writes while they wait), and how
	 * many times a statement stopped by it (55P03) is tried again, with
	 * backoff (< 0: 5).
	 */
	const char *online_lock_timeout;
	int online_lock_retries;
	/*
	 * --dry-run: with sql_out and a connection, the SQL of the run from
	 * the database's heads (integrity problems refused as for a run),
	 * nothing applied, what it would apply said on stderr.  With sql_out
	 * and a connection but no dry_run, a range may start at `current`.
	 */
	bool dry_run;
	/*
	 * A scratch or replay database: the placeholders '$env:NAME' of
	 * foreign data secrets are executed as written (the values are
	 * neither needed nor wanted there); otherwise the runner substitutes
	 * the environment's values just before each statement executes.
	 */
	bool keep_secret_placeholders;
	/* filled when set (see struct sg_run_report) */
	struct sg_run_report *report;
};

/*
 * The applied heads from the version table, sorted; none when the table
 * does not exist.  Returns -1 after printing a query error.
 */
int runner_current(struct sg_conn *c, const struct sg_runner_opts *o,
		   struct sg_arena *a, const char ***heads, size_t *n);

/* What the history table last recorded for a revision. */
struct sg_applied {
	const char *revision;
	const char *direction;   /* upgrade, stamp or accept */
	const char *checksum;    /* NULL when none was recorded */
	const char *at;          /* UTC, 2026-11-21T10:00:00Z */
	const char *by;          /* the database role */
	long long duration_ms;   /* -1 when not recorded */
};

/*
 * The database's state against a revision graph: its heads, what the
 * history says about each applied revision, and the integrity problems
 * that stop upgrade and downgrade:
 *  - changed: applied revisions whose file's checksum is not the one
 *    recorded by their last upgrade, stamp or accept;
 *  - unknown: heads of the version table that the graph does not have
 *    (a file removed while applied, or a database migrated from another
 *    checkout).
 */
struct sg_db_state {
	const char **heads;
	size_t nheads;
	struct sg_applied *applied;     /* sorted by revision */
	size_t napplied;
	struct sg_revision **changed;   /* in graph order */
	size_t nchanged;
	const char **unknown;           /* sorted */
	size_t nunknown;
};

/* Reads st (no lock, nothing written).  Returns -1 after a query error. */
int runner_state(struct sg_conn *c, const struct sg_revgraph *g,
		 const struct sg_runner_opts *o, struct sg_arena *a,
		 struct sg_db_state *st);

/* The history's last upgrade, stamp or accept row of rev, or NULL. */
const struct sg_applied *runner_applied(const struct sg_db_state *st,
					const char *rev);

/*
 * Prints each integrity problem of st as an error with what to do about
 * it; `retry` is the command the hints offer with --accept-changed
 * (NULL: `schemagen upgrade <a current head>`).  Returns the number of
 * problems.
 */
size_t runner_report_problems(const struct sg_db_state *st,
			      const struct sg_revgraph *g, const char *retry);

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
 *    at <heads or base>"; revisions applied before it stay applied (with
 *    single_transaction, the whole run is rolled back instead);
 *  - a section with a statement that cannot run in a transaction (or a
 *    revision with `transaction: none`) runs statement by statement in
 *    autocommit, its version-table update and history row in a transaction
 *    after the last one; a failure part-way says which statements ran;
 *  - before planning, under the lock, the database's state is checked
 *    (runner_state()): a head the graph does not know, or an applied file
 *    that changed and is not in o->accept_changed, is reported and nothing
 *    runs;
 *  - timeouts: SET LOCAL lock_timeout / statement_timeout after each BEGIN
 *    (SET before and RESET after a revision that runs outside a
 *    transaction), from the revision's header or the options;
 *  - the lock: a runner that has to wait prints who holds the lock (pid,
 *    application, user, client address, since when); with lock_wait_ms it
 *    gives up after that long, saying who still holds it;
 *  - the session sets client_connection_check_interval (PostgreSQL 14 and
 *    later) so that a runner killed in the middle of a statement has its
 *    transaction rolled back and its lock released within a second or so;
 *  - --sql: the target may be "FROM:TO" (FROM's heads are the starting
 *    point); without FROM, upgrades start at base and downgrades at the
 *    graph's heads.  The output (the advisory lock, CREATE TABLE IF NOT
 *    EXISTS for both tables, then per revision BEGIN, SET LOCAL timeouts,
 *    statements, version-table UPDATE/DELETE/INSERT, history row, COMMIT;
 *    one BEGIN/COMMIT around everything with single_transaction) is meant
 *    for `psql -v ON_ERROR_STOP=1 -f` and leaves the same version table as
 *    the runner.  Ranges without --sql are an error.
 */
int runner_upgrade(struct sg_conn *c, const struct sg_revgraph *g,
		   const char *target, const struct sg_runner_opts *o);
int runner_downgrade(struct sg_conn *c, const struct sg_revgraph *g,
		     const char *target, const struct sg_runner_opts *o);

/*
 * Records target's heads (head, heads, REV, base, ...; see store_resolve)
 * in the version table without running anything, with a history row per
 * head (direction `stamp`; revision `base` when stamping base).  As
 * Alembic: the current heads on the target's lines (its ancestors and
 * descendants) are replaced, heads of unrelated branches stay, and a
 * version table holding a revision the graph does not know is refused;
 * with o->purge the table is emptied first instead, whatever it holds.
 * `base` empties it.  Prints "stamped the database at X (it was at Y)".
 * With sql_out, prints the SQL of a purge stamp.
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
