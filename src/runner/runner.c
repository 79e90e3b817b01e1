// SPDX-License-Identifier: MIT
/*
 * runner.c - applying revisions to a live database: the version and
 * history tables, the advisory lock, one transaction per revision (or one
 * for the whole run), timeouts, integrity checks against the recorded
 * checksums, and errors mapped back to file:line:col; or, with --sql,
 * printing the same SQL for psql instead.
 *
 * Order of a run (upgrade, downgrade):
 *   1. take a session advisory lock keyed by the version table's name, so
 *      that concurrent runners on one database serialise: the second one
 *      waits (saying who holds the lock, and giving up after --lock-wait),
 *      then reads the version table the first one left and finds nothing
 *      left to do.  A session lock, not a transaction lock, because
 *      revisions that run outside a transaction need it too;
 *   2. read the applied heads and the history, and refuse to go on when a
 *      head is unknown to the migrations directory or an applied file
 *      changed since it was applied (unless the user accepted the change);
 *   3. ask the store for the plan; only then create the version schema and
 *      tables when missing (under the lock, so two first runs cannot race
 *      on CREATE TABLE; after the plan, so that a bad target leaves a
 *      database that never saw schemagen untouched);
 *   4. per revision: BEGIN, SET LOCAL timeouts, each statement on its own
 *      call (so the failing one is known and its error position maps
 *      into it), the version-table change and the history row, COMMIT;
 *      with --single-transaction one BEGIN and COMMIT around them all;
 *   5. release the lock (also after a failure).
 *
 * A revision whose section holds a statement that cannot run in a
 * transaction block runs statement by statement in autocommit (timeouts
 * SET before and RESET after); its version-table change and history row
 * follow in one transaction after the last statement, so a failure
 * part-way leaves the version table where it was, and the report says
 * which statements ran.
 *
 * A runner killed in the middle of a revision leaves nothing half done in
 * a transactional revision: the server rolls the transaction back when it
 * notices the client is gone, and the session lock goes with the session.
 * client_connection_check_interval makes the server notice within a
 * second even while a long statement runs.
 *
 * The bookkeeping statements are built once as text (with quoted
 * literals) and either executed or printed, so --sql output run by psql
 * leaves the same version table as the runner.
 *
 * runner_exec_script() runs generated scripts (models materialised in a
 * scratch database) and maps server errors back to the model files through
 * the statements' fragments.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/pgconn.h"
#include "schemagen/quote.h"
#include "schemagen/runner.h"
#include "schemagen/sbuf.h"
#include "schemagen/script.h"
#include "schemagen/sql.h"
#include "schemagen/store.h"

struct run {
	struct sg_arena *a;
	struct sg_conn *c;            /* NULL in --sql mode */
	const struct sg_revgraph *g;
	const struct sg_runner_opts *o;
	FILE *sql;                    /* --sql output */
	const char *vschema;          /* names as configured */
	const char *vtable;
	const char *htable;
	const char *vt;               /* quoted, qualified */
	const char *ht;
	long long lock_key;
	bool locked;
	const char **heads;           /* applied heads, sorted */
	size_t nheads;
	const char *start;            /* the heads when the run began, as text */
	bool single;                  /* one transaction for the whole run */
	/* SET LOCAL values in force in the open transaction (NULL: none) */
	const char *set_lock;
	const char *set_stmt;
};

static const struct sg_runner_opts no_opts;

/*
 * Runs a statement of a migration.  The placeholders '$env:NAME' of a
 * foreign data statement's secrets (sg_sql_secrets()) become the values of
 * their environment variables here and only here: the text with the
 * values goes to the server, is wiped after, and is never printed (a
 * failing statement is reported as written).  check_secrets() made sure
 * before anything ran that every variable is set.  A scratch or replay
 * database (keep_secret_placeholders) gets the placeholders as written.
 */
static PGresult *exec_stmt(struct run *r, PGconn *pg, const char *sql)
{
	const char *real, *missing;
	PGresult *res;

	if (r->o->keep_secret_placeholders ||
	    sg_sql_secrets(r->a, sql, &real, &missing) < 0 || real == sql)
		return sg_pg_exec(pg, sql);
	res = sg_pg_exec(pg, real);
	memset((char *)real, 0, strlen(real));
	return res;
}

/* The report's copy of a list of heads. */
static void report_heads(const struct run *r, const char **heads, size_t n,
			 const char ***out, size_t *nout)
{
	struct sg_run_report *rep = r->o->report;

	*out = sg_alloc_array(rep->arena, n + 1, sizeof(**out));
	for (size_t i = 0; i < n; i++)
		(*out)[i] = sg_strdup(rep->arena, heads[i]);
	*nout = n;
}

/*
 * A revision applied (committed, or pending the single transaction's
 * COMMIT): the database is at its heads after, the run's report gets the
 * step, and the user the line that says so.
 */
static void revision_applied(struct run *r, const struct sg_revision *rev,
			     const char *dir, size_t nstmts, long long ms,
			     const char **after, size_t nafter)
{
	struct sg_run_report *rep = r->o->report;
	struct sg_run_step st = { .rev = rev, .direction = dir, .statements = nstmts,
				  .duration_ms = ms };

	r->heads = after;
	r->nheads = nafter;
	if (rep) {
		SG_VEC_PUSH(rep->arena, rep, st);
		report_heads(r, r->heads, r->nheads, &rep->to, &rep->nto);
	}
	sg_info("%s %s (%s): %zu statement%s, %lld ms", dir, rev->id, sg_qt(r->a, rev->message),
		nstmts, nstmts == 1 ? "" : "s", ms);
}

static void run_init(struct run *r, struct sg_arena *a, struct sg_conn *c,
		     const struct sg_revgraph *g, const struct sg_runner_opts *o)
{
	uint64_t h;

	if (!o)
		o = &no_opts;
	memset(r, 0, sizeof(*r));
	r->a = a;
	r->c = c;
	r->g = g;
	r->o = o;
	r->sql = o->sql_out;
	r->single = o->single_transaction;
	r->vschema = o->version_schema ? o->version_schema : "public";
	r->vtable = o->version_table ? o->version_table : "schemagen_version";
	r->htable = o->history_table ? o->history_table : "schemagen_history";
	r->vt = sg_qq(a, r->vschema, r->vtable);
	r->ht = sg_qq(a, r->vschema, r->htable);
	h = sg_hash64(r->vt, strlen(r->vt));
	r->lock_key = (long long)(int64_t)h;
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

static const char *join(struct sg_arena *a, const char *const *v, size_t n,
			const char *none)
{
	struct sbuf sb = SBUF_INIT;
	const char *s;

	if (n == 0)
		sbuf_adds(&sb, none);
	for (size_t i = 0; i < n; i++) {
		if (i)
			sbuf_adds(&sb, ", ");
		sbuf_adds(&sb, v[i]);
	}
	s = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return s;
}

/* "5 s", "0.5 s", "2 min" for messages about waiting. */
static const char *duration_text(struct sg_arena *a, long ms)
{
	if (ms % 60000 == 0 && ms >= 60000)
		return sg_printf(a, "%ld min", ms / 60000);
	if (ms % 1000 == 0)
		return sg_printf(a, "%ld s", ms / 1000);
	return sg_printf(a, "%.3g s", (double)ms / 1000.0);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool contains(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

static struct sg_revision *find_rev(const struct sg_revgraph *g, const char *id)
{
	for (size_t i = 0; g && i < g->n; i++)
		if (strcmp(g->revs[i]->id, id) == 0)
			return g->revs[i];
	return NULL;
}

/* Byte offset of the n-th (0-based) character of s (UTF-8). */
static size_t char_to_byte(const char *s, size_t nchars)
{
	size_t i = 0;

	while (s[i] && nchars > 0) {
		i++;
		while (((unsigned char)s[i] & 0xC0) == 0x80)
			i++;
		nchars--;
	}
	return i;
}


/* ---- the version and history tables ---- */

static void version_table_ddl(struct run *r, struct sbuf *out, bool schema)
{
	if (schema) {
		sbuf_adds(out, "CREATE SCHEMA IF NOT EXISTS ");
		sg_quote_ident(out, r->vschema);
		sbuf_adds(out, ";\n");
	}
	sbuf_addf(out,
		  "CREATE TABLE IF NOT EXISTS %s (\n"
		  "    version_num varchar(32) PRIMARY KEY\n"
		  ");\n", r->vt);
}

#define DIRECTIONS "'upgrade', 'downgrade', 'stamp', 'accept'"

static void history_table_ddl(struct run *r, struct sbuf *out)
{
	sbuf_addf(out,
		  "CREATE TABLE IF NOT EXISTS %s (\n"
		  "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
		  "    revision varchar(32) NOT NULL,\n"
		  "    direction text NOT NULL CHECK (direction IN (" DIRECTIONS ")),\n"
		  "    checksum text,\n"
		  "    applied_at timestamptz NOT NULL DEFAULT now(),\n"
		  "    applied_by text NOT NULL DEFAULT current_user,\n"
		  "    duration_ms bigint\n"
		  ");\n", r->ht);
}

/* True when the relation exists; -1 after a query error. */
static int relation_exists(struct run *r, const char *qualified)
{
	const char *params[] = { qualified };
	PGresult *res = sg_conn_query(r->c, "SELECT pg_catalog.to_regclass($1) IS NOT NULL",
				      1, params);
	int ret;

	if (!res)
		return -1;
	ret = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return ret;
}

/*
 * History tables made before `accept` existed have a CHECK constraint
 * without it: widen it (under the lock, in one statement).
 */
static int widen_directions(struct run *r)
{
	const char *params[] = { r->ht };
	struct sbuf sql = SBUF_INIT;
	PGresult *res;
	int ret = 0;

	res = sg_conn_query(r->c,
		"SELECT conname FROM pg_catalog.pg_constraint\n"
		"WHERE conrelid = $1::pg_catalog.regclass AND contype = 'c'\n"
		"  AND pg_catalog.pg_get_constraintdef(oid) LIKE '%direction%'\n"
		"  AND pg_catalog.pg_get_constraintdef(oid) NOT LIKE '%accept%'",
		1, params);
	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res) && ret == 0; i++) {
		sbuf_reset(&sql);
		sbuf_addf(&sql, "ALTER TABLE %s DROP CONSTRAINT ", r->ht);
		sg_quote_ident(&sql, PQgetvalue(res, i, 0));
		sbuf_adds(&sql, ", ADD CONSTRAINT ");
		sg_quote_ident(&sql, PQgetvalue(res, i, 0));
		sbuf_adds(&sql, " CHECK (direction IN (" DIRECTIONS "))");
		sg_verbose("allowing direction `accept` in %s", r->ht);
		ret = sg_conn_exec(r->c, sql.buf);
	}
	PQclear(res);
	sbuf_release(&sql);
	return ret;
}

/*
 * Creates what is missing.  CREATE SCHEMA IF NOT EXISTS would still check
 * the CREATE privilege on the database, so the schema is only created when
 * it is not there.
 */
static int ensure_tables(struct run *r)
{
	struct sbuf sb = SBUF_INIT;
	const char *params[] = { r->vschema };
	PGresult *res;
	int e, h, ret = 0;
	bool schema;

	res = sg_conn_query(r->c, "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1",
			    1, params);
	if (!res)
		return -1;
	schema = PQntuples(res) == 0;
	PQclear(res);
	if ((e = relation_exists(r, r->vt)) < 0)
		return -1;
	if ((h = relation_exists(r, r->ht)) < 0)
		return -1;
	if (!e || schema || !h)
		sg_verbose("creating the version table %s", r->vt);
	/* one statement per call (sg_conn_exec runs exactly one) */
	if (schema) {
		sbuf_adds(&sb, "CREATE SCHEMA IF NOT EXISTS ");
		sg_quote_ident(&sb, r->vschema);
		ret = sg_conn_exec(r->c, sb.buf);
		sbuf_reset(&sb);
	}
	if (ret == 0 && (!e || schema)) {
		version_table_ddl(r, &sb, false);
		ret = sg_conn_exec(r->c, sb.buf);
		sbuf_reset(&sb);
	}
	if (ret == 0 && !h) {
		history_table_ddl(r, &sb);
		ret = sg_conn_exec(r->c, sb.buf);
	}
	sbuf_release(&sb);
	if (ret == 0 && h)
		ret = widen_directions(r);
	return ret;
}

static int read_heads(struct run *r, const char ***heads, size_t *n)
{
	struct sbuf sql = SBUF_INIT;
	PGresult *res;
	int e = relation_exists(r, r->vt);

	*heads = NULL;
	*n = 0;
	if (e <= 0)
		return e;
	sbuf_addf(&sql, "SELECT version_num FROM %s", r->vt);
	res = sg_conn_query(r->c, sql.buf, 0, NULL);
	sbuf_release(&sql);
	if (!res)
		return -1;
	*n = (size_t)PQntuples(res);
	*heads = sg_alloc_array(r->a, *n + 1, sizeof(**heads));
	for (size_t i = 0; i < *n; i++)
		(*heads)[i] = sg_strdup(r->a, PQgetvalue(res, (int)i, 0));
	PQclear(res);
	if (*n > 1)
		qsort(*heads, *n, sizeof(**heads), str_cmp);
	return 0;
}

int runner_current(struct sg_conn *c, const struct sg_runner_opts *o,
		   struct sg_arena *a, const char ***heads, size_t *n)
{
	struct run r;

	run_init(&r, a, c, NULL, o);
	return read_heads(&r, heads, n);
}

/* ---- the database's state: history and integrity ---- */

static int applied_cmp(const void *pa, const void *pb)
{
	const struct sg_applied *a = pa, *b = pb;

	return strcmp(a->revision, b->revision);
}

/* The last upgrade, stamp or accept row of each revision. */
static int read_applied(struct run *r, struct sg_applied **out, size_t *n)
{
	struct sbuf sql = SBUF_INIT;
	PGresult *res;
	int e = relation_exists(r, r->ht);

	*out = NULL;
	*n = 0;
	if (e <= 0)
		return e;
	sbuf_addf(&sql,
		  "SELECT DISTINCT ON (revision) revision, direction, checksum,\n"
		  "       pg_catalog.to_char(applied_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),\n"
		  "       applied_by, coalesce(duration_ms, -1)\n"
		  "FROM %s\n"
		  "WHERE direction IN ('upgrade', 'stamp', 'accept')\n"
		  "ORDER BY revision, id DESC", r->ht);
	res = sg_conn_query(r->c, sql.buf, 0, NULL);
	sbuf_release(&sql);
	if (!res)
		return -1;
	*n = (size_t)PQntuples(res);
	*out = sg_alloc_array(r->a, *n + 1, sizeof(**out));
	for (size_t i = 0; i < *n; i++) {
		struct sg_applied *ap = &(*out)[i];
		int row = (int)i;

		ap->revision = sg_strdup(r->a, PQgetvalue(res, row, 0));
		ap->direction = sg_strdup(r->a, PQgetvalue(res, row, 1));
		ap->checksum = PQgetisnull(res, row, 2) ? NULL
			: sg_strdup(r->a, PQgetvalue(res, row, 2));
		ap->at = sg_strdup(r->a, PQgetvalue(res, row, 3));
		ap->by = sg_strdup(r->a, PQgetvalue(res, row, 4));
		ap->duration_ms = strtoll(PQgetvalue(res, row, 5), NULL, 10);
	}
	PQclear(res);
	/* the database's collation may not sort as strcmp() does */
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), applied_cmp);
	return 0;
}

const struct sg_applied *runner_applied(const struct sg_db_state *st,
					const char *rev)
{
	struct sg_applied key = { .revision = rev };

	if (!st->napplied)
		return NULL;
	return bsearch(&key, st->applied, st->napplied, sizeof(key), applied_cmp);
}

/* Fills the problems of st from its heads and history. */
static void find_problems(struct run *r, struct sg_db_state *st)
{
	SG_VEC(const char *) unknown = { 0 };
	SG_VEC(const char *) known = { 0 };
	SG_VEC(struct sg_revision *) changed = { 0 };
	struct sg_revision **applied = NULL;
	size_t napplied = 0;

	for (size_t i = 0; i < st->nheads; i++) {
		if (find_rev(r->g, st->heads[i]))
			SG_VEC_PUSH(r->a, &known, st->heads[i]);
		else
			SG_VEC_PUSH(r->a, &unknown, st->heads[i]);
	}
	st->unknown = unknown.v;
	st->nunknown = unknown.n;
	/* every revision below the known heads (children first) */
	if (known.n && store_plan_downgrade(r->a, r->g, known.v, known.n, "base",
					    &applied, &napplied) < 0)
		napplied = 0;
	for (size_t i = napplied; i-- > 0;) {
		const struct sg_applied *ap = runner_applied(st, applied[i]->id);

		if (ap && ap->checksum && strcmp(ap->checksum, applied[i]->checksum) != 0)
			SG_VEC_PUSH(r->a, &changed, applied[i]);
	}
	st->changed = changed.v;
	st->nchanged = changed.n;
}

static int read_state(struct run *r, struct sg_db_state *st)
{
	memset(st, 0, sizeof(*st));
	if (read_heads(r, &st->heads, &st->nheads) < 0 ||
	    read_applied(r, &st->applied, &st->napplied) < 0)
		return -1;
	find_problems(r, st);
	return 0;
}

int runner_state(struct sg_conn *c, const struct sg_revgraph *g,
		 const struct sg_runner_opts *o, struct sg_arena *a,
		 struct sg_db_state *st)
{
	struct run r;

	run_init(&r, a, c, g, o);
	return read_state(&r, st);
}

size_t runner_report_problems(const struct sg_db_state *st,
			      const struct sg_revgraph *g, const char *retry)
{
	struct sg_arena *a = sg_arena_new();
	const char *dir = g && g->dir ? g->dir : "the migrations directory";
	struct sbuf ids = SBUF_INIT;

	for (size_t i = 0; i < st->nunknown; i++) {
		const struct sg_applied *ap = runner_applied(st, st->unknown[i]);

		if (ap)
			sg_error("the database is at revision %s, which is not in %s: its file has gone since it was recorded (%s %s by %s)",
				 st->unknown[i], dir, ap->direction, ap->at, ap->by);
		else
			sg_error("the database is at revision %s, which is not in %s",
				 st->unknown[i], dir);
		sg_hint("restore its file (check out the code that has it); or, if the database really is at another revision, record that with `schemagen stamp --purge REV`");
	}
	for (size_t i = 0; i < st->nchanged; i++) {
		const struct sg_revision *rev = st->changed[i];
		const struct sg_applied *ap = runner_applied(st, rev->id);

		sg_error("%s: revision %s was changed after it was applied (%s %s by %s): its checksum is not the recorded one",
			 rev->path, rev->id,
			 strcmp(ap->direction, "upgrade") == 0 ? "applied"
			 : strcmp(ap->direction, "stamp") == 0 ? "stamped" : "accepted",
			 ap->at, ap->by);
		sbuf_addf(&ids, "%s%s", i ? "," : "", rev->id);
	}
	if (st->nchanged) {
		if (!retry)
			retry = st->nheads ? sg_printf(a, "schemagen upgrade %s", st->heads[0])
					   : "schemagen upgrade head";
		sg_hint("restore %s as applied (git checkout); or, if the database already has what %s now, accept %s: %s --accept-changed %s",
			st->nchanged == 1 ? "the file" : "the files",
			st->nchanged == 1 ? "the file says" : "the files say",
			st->nchanged == 1 ? "it" : "them", retry, ids.buf);
	}
	sbuf_release(&ids);
	sg_arena_free(a);
	return st->nunknown + st->nchanged;
}

/* ---- the lock ---- */

/*
 * "pid 123 (schemagen, user alice, from 10.0.0.5, connected since ...)"
 * for the session holding the migration lock, or NULL.
 */
static const char *lock_holder(struct run *r)
{
	uint64_t u = (uint64_t)r->lock_key;
	const char *params[2];
	PGresult *res;
	const char *text = NULL;

	/* a bigint key shows as classid (high half), objid (low half) */
	params[0] = sg_printf(r->a, "%u", (unsigned)(u >> 32));
	params[1] = sg_printf(r->a, "%u", (unsigned)(u & 0xffffffffu));
	res = PQexecParams(sg_conn_pg(r->c),
		"SELECT a.pid, coalesce(nullif(a.application_name, ''), 'no application name'),\n"
		"       coalesce(a.usename, '?'),\n"
		"       coalesce('from ' || pg_catalog.host(a.client_addr), 'local socket'),\n"
		"       pg_catalog.to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')\n"
		"FROM pg_catalog.pg_locks l\n"
		"JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid\n"
		"WHERE l.locktype = 'advisory' AND l.granted\n"
		"  AND l.database = (SELECT oid FROM pg_catalog.pg_database\n"
		"                    WHERE datname = pg_catalog.current_database())\n"
		"  AND l.classid = $1::pg_catalog.oid AND l.objid = $2::pg_catalog.oid\n"
		"  AND l.objsubid = 1",
		2, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) > 0)
		text = sg_printf(r->a, "pid %s (%s, user %s, %s, connected since %s)",
				 PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
				 PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3),
				 PQgetvalue(res, 0, 4));
	PQclear(res);
	return text;
}

/* One pg_try_advisory_lock(): 1 taken, 0 held elsewhere, -1 (printed) error. */
static int try_lock(struct run *r, const char *const *params)
{
	PGresult *res = sg_conn_query(r->c, "SELECT pg_catalog.pg_try_advisory_lock($1::pg_catalog.int8)",
				      1, params);
	bool got;

	if (!res)
		return -1;
	got = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return got;
}

/*
 * The wait holds nothing: pg_try_advisory_lock() polled with a growing,
 * jittered pause (20 ms doubling to 500 ms), in autocommit, so that between
 * polls this session has no transaction, no running statement and no
 * snapshot.  A runner blocked in pg_advisory_lock() would hold a snapshot
 * that the other runner's CREATE INDEX CONCURRENTLY must wait out: each
 * would wait for the other.
 */
static int lock(struct run *r)
{
	const char *params[] = { sg_printf(r->a, "%lld", r->lock_key) };
	long wait = r->o->lock_wait_ms;
	double deadline, t;
	long pause = 20;
	/* jitter, different in each runner: they do not poll in step */
	uint32_t seed = ((uint32_t)getpid() * 2654435761u ^ (uint32_t)now_ms()) | 1u;
	const char *holder;
	int got;

	got = try_lock(r, params);
	if (got < 0)
		return -1;
	if (got) {
		r->locked = true;
		return 0;
	}
	holder = lock_holder(r);
	fflush(stdout);
	if (wait == SG_LOCK_NOWAIT) {
		sg_error("the migration lock on %s is held by %s", r->vt,
			 holder ? holder : "another session");
		sg_hint("another runner is migrating this database: try again when it is done, or let this one wait (--lock-wait SECONDS)");
		return -1;
	}
	sg_eprintf("schemagen: waiting%s for the migration lock on %s%s%s\n",
		wait > 0 ? sg_printf(r->a, " up to %s", duration_text(r->a, wait)) : "",
		r->vt, holder ? ", held by " : "", holder ? holder : "");
	deadline = wait > 0 ? now_ms() + (double)wait : 0;
	for (;;) {
		long sleep_ms;
		struct timespec ts;

		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		sleep_ms = pause / 2 + (long)(seed % (uint32_t)(pause / 2 + 1));
		t = now_ms();
		if (deadline > 0 && t >= deadline)
			break;
		if (deadline > 0 && t + (double)sleep_ms > deadline)
			sleep_ms = (long)(deadline - t) + 1;
		ts.tv_sec = sleep_ms / 1000;
		ts.tv_nsec = (sleep_ms % 1000) * 1000000L;
		while (nanosleep(&ts, &ts) < 0)
			;
		got = try_lock(r, params);
		if (got < 0)
			return -1;
		if (got) {
			r->locked = true;
			return 0;
		}
		if (pause < 500)
			pause = pause * 2 > 500 ? 500 : pause * 2;
	}
	holder = lock_holder(r);
	sg_error("gave up waiting for the migration lock on %s after %s: %s",
		 r->vt, duration_text(r->a, wait),
		 holder ? sg_printf(r->a, "it is still held by %s", holder)
			: "it was still held");
	sg_hint("another runner is migrating this database: wait for it to finish, or wait longer (--lock-wait SECONDS)");
	return -1;
}

static void unlock(struct run *r)
{
	const char *params[] = { sg_printf(r->a, "%lld", r->lock_key) };
	PGresult *res;

	if (!r->locked)
		return;
	r->locked = false;
	res = sg_conn_query(r->c, "SELECT pg_catalog.pg_advisory_unlock($1::pg_catalog.int8)",
			    1, params);
	if (res)
		PQclear(res);
}

/*
 * Lets the server notice a vanished runner while a statement runs (it
 * otherwise finds out only when it next talks to the client), so that a
 * killed runner's transaction is rolled back and its lock released at
 * once.  PostgreSQL 14 and later; best effort.
 */
static void session_setup(struct run *r)
{
	PGresult *res;

	if (sg_conn_server_version(r->c) < 140000)
		return;
	res = sg_pg_exec(sg_conn_pg(r->c),
		     "SELECT pg_catalog.set_config('client_connection_check_interval', '1000', false)");
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		sg_verbose("could not set client_connection_check_interval: %s",
			   PQresultErrorMessage(res));
	PQclear(res);
}
/* ---- bookkeeping statements ---- */

struct stmts {
	const char **v;
	size_t n, cap;
};

static void add_stmt(struct run *r, struct stmts *s, struct sbuf *sb)
{
	SG_VEC_PUSH(r->a, s, sbuf_to_arena(sb, r->a));
	sbuf_reset(sb);
}

/*
 * The statements that take the version table from heads `from` to `to`:
 * an UPDATE for each removed head paired with an added one, then DELETEs
 * and INSERTs for the rest (Alembic's shape).
 */
static void version_moves(struct run *r, struct stmts *out,
			  const char *const *from, size_t nfrom,
			  const char *const *to, size_t nto)
{
	SG_VEC(const char *) gone = { 0 };
	SG_VEC(const char *) added = { 0 };
	struct sbuf sb = SBUF_INIT;
	size_t i;

	for (i = 0; i < nfrom; i++)
		if (!contains(to, nto, from[i]))
			SG_VEC_PUSH(r->a, &gone, from[i]);
	for (i = 0; i < nto; i++)
		if (!contains(from, nfrom, to[i]))
			SG_VEC_PUSH(r->a, &added, to[i]);
	for (i = 0; i < gone.n && i < added.n; i++) {
		sbuf_addf(&sb, "UPDATE %s SET version_num = ", r->vt);
		sg_quote_literal(&sb, added.v[i]);
		sbuf_adds(&sb, " WHERE version_num = ");
		sg_quote_literal(&sb, gone.v[i]);
		sbuf_addch(&sb, ';');
		add_stmt(r, out, &sb);
	}
	for (size_t k = i; k < gone.n; k++) {
		sbuf_addf(&sb, "DELETE FROM %s WHERE version_num = ", r->vt);
		sg_quote_literal(&sb, gone.v[k]);
		sbuf_addch(&sb, ';');
		add_stmt(r, out, &sb);
	}
	for (size_t k = i; k < added.n; k++) {
		sbuf_addf(&sb, "INSERT INTO %s (version_num) VALUES (", r->vt);
		sg_quote_literal(&sb, added.v[k]);
		sbuf_adds(&sb, ");");
		add_stmt(r, out, &sb);
	}
	sbuf_release(&sb);
}

/* A history row; duration < 0 leaves it NULL (--sql). */
static void history_row(struct run *r, struct stmts *out, const char *rev,
			const char *direction, const char *checksum,
			long long duration)
{
	struct sbuf sb = SBUF_INIT;

	sbuf_addf(&sb, "INSERT INTO %s (revision, direction, checksum%s) VALUES (",
		  r->ht, duration >= 0 ? ", duration_ms" : "");
	sg_quote_literal(&sb, rev);
	sbuf_adds(&sb, ", ");
	sg_quote_literal(&sb, direction);
	sbuf_adds(&sb, ", ");
	if (checksum)
		sg_quote_literal(&sb, checksum);
	else
		sbuf_adds(&sb, "NULL");
	if (duration >= 0)
		sbuf_addf(&sb, ", %lld", duration);
	sbuf_adds(&sb, ");");
	add_stmt(r, out, &sb);
	sbuf_release(&sb);
}

/*
 * Runs bookkeeping statements inside the open transaction.  An UPDATE or
 * DELETE that matches no row means someone changed the version table
 * behind the lock's back: stop rather than record a wrong state.
 */
static int run_bookkeeping(struct run *r, const struct stmts *s)
{
	for (size_t i = 0; i < s->n; i++) {
		PGresult *res = sg_conn_query(r->c, s->v[i], 0, NULL);
		const char *rows;

		if (!res)
			return -1;
		rows = PQcmdTuples(res);
		if ((strncmp(s->v[i], "UPDATE", 6) == 0 ||
		     strncmp(s->v[i], "DELETE", 6) == 0) && strcmp(rows, "1") != 0) {
			PQclear(res);
			sg_error("the version table %s does not hold the revisions schemagen read from it: something else changed it",
				 r->vt);
			sg_eprintf("  statement: %s\n", s->v[i]);
			return -1;
		}
		PQclear(res);
	}
	return 0;
}

/* ---- failures ---- */

/* Prints the first lines of a statement, indented under "statement: ". */
static void print_statement(const char *sql)
{
	const int max = 5;
	int line = 0;
	const char *p = sql;

	sg_eputs("  statement: ");
	while (*p && line < max) {
		size_t n = strcspn(p, "\n");

		if (line)
			sg_eputs("             ");
		sg_eprintf("%.*s\n", (int)n, p);
		p += n;
		if (*p == '\n')
			p++;
		line++;
	}
	if (*p)
		sg_eputs("             ...\n");
}

static void print_field(const char *label, const char *value)
{
	const char *p = value;

	if (!value)
		return;
	sg_eprintf("  %s: ", label);
	while (*p) {
		size_t n = strcspn(p, "\n");

		sg_eprintf("%.*s\n", (int)n, p);
		p += n;
		if (*p == '\n' && *++p)
			sg_eprintf("    ");
	}
}

/* Where the error is: the statement's position plus the server's cursor. */
static struct sg_loc stmt_error_loc(const struct sg_stmt *st, const PGresult *res)
{
	struct sg_loc loc = { .file = st->file, .line = st->line, .col = st->col };
	const char *pos = res ? PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION) : NULL;

	if (pos && loc.line > 0) {
		long p = strtol(pos, NULL, 10);

		if (p > 0)
			loc = sg_loc_at(loc, st->sql, char_to_byte(st->sql, (size_t)p - 1));
	}
	return loc;
}

/*
 * "file:line:col: error: message" and the server's fields.  Statements
 * without a file (generated scripts) get "schemagen: error:".
 */
static void print_stmt_error(const struct sg_stmt *st, const PGresult *res,
			     const char *conn_msg)
{
	struct sg_loc loc = stmt_error_loc(st, res);
	const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	struct sbuf sb = SBUF_INIT;

	if (!msg) {
		sbuf_adds(&sb, res ? PQresultErrorMessage(res) : conn_msg);
		sbuf_rtrim(&sb);
		msg = sb.buf;
	}
	{
		struct sg_diag dg = { .sev = SG_SEV_ERROR, .loc = loc, .msg = msg,
				      .hint = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_HINT) : NULL };

		if (!(loc.file && loc.line > 0))
			dg.loc.file = NULL;
		sg_diag_keep(&dg);
	}
	if (loc.file && loc.line > 0)
		sg_eprintf("%s:%d:%d: error: %s\n", loc.file, loc.line, loc.col, msg);
	else
		sg_eprintf("schemagen: error: %s\n", msg);
	if (res) {
		print_field("SQLSTATE", PQresultErrorField(res, PG_DIAG_SQLSTATE));
		print_field("detail", PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL));
		print_field("hint", PQresultErrorField(res, PG_DIAG_MESSAGE_HINT));
		print_field("context", PQresultErrorField(res, PG_DIAG_CONTEXT));
	}
	print_statement(st->sql);
	sbuf_release(&sb);
}

static bool res_ok(const PGresult *res)
{
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ||
	       st == PGRES_EMPTY_QUERY;
}


/* ---- applying a revision ---- */

static void rollback(struct run *r)
{
	PGresult *res = sg_pg_exec(sg_conn_pg(r->c), "ROLLBACK");

	PQclear(res);
}

static const char *ran_text(struct sg_arena *a, size_t k)
{
	return k == 1 ? "statement 1" : sg_printf(a, "statements 1-%zu", k);
}

/*
 * How many leading statements add enum values (ALTER TYPE ... ADD VALUE),
 * when other statements follow.  Those run and commit in a transaction of
 * their own first: PostgreSQL refuses to use a new enum value in the
 * transaction that added it ("unsafe use of new value").  schemagen writes
 * them first and with IF NOT EXISTS, so a rerun after a later failure is
 * safe.  In a single transaction for the whole run there is no such
 * commit: the values are added in it, and PostgreSQL says so if a later
 * statement uses one.
 */
static size_t leading_enum_values(const struct sg_script *s)
{
	size_t k = 0;

	while (k < s->n && (sg_sql_classify(s->v[k].sql) & SG_SQL_ENUM_ADD_VALUE))
		k++;
	return k < s->n ? k : 0;
}

/* ---- timeouts ---- */

static const char *lock_timeout_of(struct run *r, const struct sg_revision *rev)
{
	return rev->lock_timeout ? rev->lock_timeout : r->o->lock_timeout;
}

static const char *statement_timeout_of(struct run *r,
					const struct sg_revision *rev)
{
	return rev->statement_timeout ? rev->statement_timeout
				      : r->o->statement_timeout;
}

static void set_one(struct run *r, struct stmts *out, const char *name,
		    const char *want, const char **cur)
{
	struct sbuf sb = SBUF_INIT;

	if (sg_streq(want, *cur))
		return;
	sbuf_addf(&sb, "SET LOCAL %s ", name);
	if (want) {
		sbuf_adds(&sb, "= ");
		sg_quote_literal(&sb, want);
	} else {
		sbuf_adds(&sb, "TO DEFAULT");
	}
	sbuf_addch(&sb, ';');
	add_stmt(r, out, &sb);
	sbuf_release(&sb);
	*cur = want;
}

/*
 * The SET LOCAL statements that give the open transaction rev's timeouts.
 * Only changes are set: in a single transaction for the whole run, a
 * revision without a value of its own goes back to the run's, or to the
 * session's (TO DEFAULT) when an earlier revision had one.
 */
static void tx_timeouts(struct run *r, const struct sg_revision *rev,
			struct stmts *out)
{
	set_one(r, out, "lock_timeout", lock_timeout_of(r, rev), &r->set_lock);
	set_one(r, out, "statement_timeout", statement_timeout_of(r, rev),
		&r->set_stmt);
}

/* A new transaction starts with the session's timeouts. */
static void tx_begun(struct run *r)
{
	r->set_lock = NULL;
	r->set_stmt = NULL;
}

/* SET (before) or RESET (after) around a revision outside a transaction. */
static void session_timeouts(struct run *r, const struct sg_revision *rev,
			     bool reset, struct stmts *out)
{
	const char *names[] = { "lock_timeout", "statement_timeout" };
	const char *vals[] = { lock_timeout_of(r, rev), statement_timeout_of(r, rev) };
	struct sbuf sb = SBUF_INIT;

	for (size_t i = 0; i < 2; i++) {
		if (!vals[i])
			continue;
		if (reset) {
			sbuf_addf(&sb, "RESET %s;", names[i]);
		} else {
			sbuf_addf(&sb, "SET %s = ", names[i]);
			sg_quote_literal(&sb, vals[i]);
			sbuf_addch(&sb, ';');
		}
		add_stmt(r, out, &sb);
	}
	sbuf_release(&sb);
}

static int exec_all(struct run *r, const struct stmts *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (sg_conn_exec(r->c, s->v[i]) < 0)
			return -1;
	return 0;
}

/* After a statement ran out of time: which limit, and where it came from. */
static void timeout_note(struct run *r, const struct sg_revision *rev,
			 const PGresult *res)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *name, *val, *from;

	if (!state)
		return;
	if (strcmp(state, "55P03") == 0) {
		name = "lock_timeout";
		val = lock_timeout_of(r, rev);
		from = rev->lock_timeout ? "the revision's `-- lock-timeout:`"
					 : "--lock-timeout or lock_timeout in schemagen.yaml";
	} else if (strcmp(state, "57014") == 0) {
		name = "statement_timeout";
		val = statement_timeout_of(r, rev);
		from = rev->statement_timeout ? "the revision's `-- statement-timeout:`"
			: "--statement-timeout or statement_timeout in schemagen.yaml";
	} else {
		return;
	}
	if (val)
		sg_eprintf("  note: %s was %s (from %s)\n", name, val, from);
}

/* ---- revisions outside a transaction: steps, resume, online ---- */

/*
 * Such a revision runs statement by statement.  Each statement is a step
 * recorded in the steps table (<history_table>_steps: revision,
 * direction, step, the sha256 of the statement, state, when) when it is
 * done: in the statement's own transaction for a statement that can run
 * in one, right after it for one that cannot.  A CREATE or DROP INDEX
 * CONCURRENTLY is recorded `started` first.  A rerun after an interruption
 * (a failure, SIGKILL, a lost connection) skips the steps done, and finds
 * out what became of a `started` concurrent index statement from the
 * catalog: an index built and valid, or dropped, is counted as done; an
 * INVALID one left by a failed build is dropped and built again.  The
 * version table and the history row follow the last step, in one
 * transaction that also deletes the revision's step rows.
 */

static const char *steps_table(struct run *r)
{
	return sg_qq(r->a, r->vschema, sg_printf(r->a, "%s_steps", r->htable));
}

static int ensure_steps_table(struct run *r)
{
	return sg_conn_exec(r->c, sg_printf(r->a,
		"CREATE TABLE IF NOT EXISTS %s (\n"
		"    revision varchar(32) NOT NULL,\n"
		"    direction text NOT NULL,\n"
		"    step integer NOT NULL,\n"
		"    statement_sha256 text NOT NULL,\n"
		"    state text NOT NULL,\n"
		"    at timestamptz NOT NULL DEFAULT now(),\n"
		"    PRIMARY KEY (revision, direction, step)\n"
		")", steps_table(r)));
}

/* The statement recording step i (1-based) of rev in `state`. */
static const char *step_row(struct run *r, const struct sg_revision *rev,
			    const char *dir, size_t i, const char *sha,
			    const char *state)
{
	struct sbuf sb = SBUF_INIT;
	const char *ret;

	sbuf_addf(&sb, "INSERT INTO %s (revision, direction, step, statement_sha256, state) VALUES (",
		  steps_table(r));
	sg_quote_literal(&sb, rev->id);
	sbuf_adds(&sb, ", ");
	sg_quote_literal(&sb, dir);
	sbuf_addf(&sb, ", %zu, ", i);
	sg_quote_literal(&sb, sha);
	sbuf_adds(&sb, ", ");
	sg_quote_literal(&sb, state);
	sbuf_adds(&sb, ") ON CONFLICT (revision, direction, step) DO UPDATE SET "
		  "statement_sha256 = EXCLUDED.statement_sha256, state = EXCLUDED.state, at = now()");
	ret = sbuf_to_arena(&sb, r->a);
	sbuf_release(&sb);
	return ret;
}

/*
 * state[i]: 0 nothing recorded, 'd' done, 's' started, 'c' started as a
 * statement the file no longer has (the statement that failed may be
 * fixed; a leftover INVALID index is still dropped).  A step done whose
 * statement is no longer the one that ran is refused.
 */
static int read_steps(struct run *r, const struct sg_revision *rev,
		      const char *dir, const struct sg_script *s, char *state)
{
	const char *params[] = { rev->id, dir };
	PGresult *res = sg_conn_query(r->c, sg_printf(r->a,
		"SELECT step, statement_sha256, state FROM %s "
		"WHERE revision = $1 AND direction = $2 ORDER BY step", steps_table(r)),
		2, params);

	if (!res)
		return -1;
	for (int k = 0; k < PQntuples(res); k++) {
		long i = strtol(PQgetvalue(res, k, 0), NULL, 10);
		char sha[65];

		if (i < 1 || (size_t)i > s->n)
			continue;
		sg_sha256_hex(s->v[i - 1].sql, strlen(s->v[i - 1].sql), sha);
		if (strcmp(sha, PQgetvalue(res, k, 1)) != 0 && PQgetvalue(res, k, 2)[0] != 'd') {
			state[i - 1] = 'c';
			continue;
		}
		if (strcmp(sha, PQgetvalue(res, k, 1)) != 0) {
			sg_eprintf("%s:%d:%d: error: statement %ld of revision %s (%s) is not the one that %s before\n",
				s->v[i - 1].file, s->v[i - 1].line, s->v[i - 1].col, i, rev->id,
				sg_qt(r->a, rev->message),
				"ran");
			sg_hint("a revision interrupted part-way resumes where it stopped: restore the statements that ran as they were (only the failed one and those after it may change), or undo them by hand and delete the rows of %s for revision %s",
				steps_table(r), rev->id);
			PQclear(res);
			return -1;
		}
		state[i - 1] = PQgetvalue(res, k, 2)[0] == 'd' ? 'd' : 's';
	}
	PQclear(res);
	return 0;
}

/* 1 valid, 0 INVALID, -2 no such index, -1 query error. */
static int index_state(struct run *r, const struct sg_sql_cindex *ci)
{
	const char *q = ci->schema ? sg_qq(r->a, ci->schema, ci->name) : sg_qi(r->a, ci->name);
	const char *params[] = { q };
	PGresult *res = sg_conn_query(r->c,
		"SELECT i.indisvalid FROM pg_catalog.pg_index i "
		"WHERE i.indexrelid = pg_catalog.to_regclass($1)", 1, params);
	int ret;

	if (!res)
		return -1;
	ret = PQntuples(res) == 0 ? -2 : strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	return ret;
}

/*
 * Before a concurrent index statement that may have run part-way: 1 when
 * it is done already (only when `same`: the statement started is this
 * one), 0 to run it (an INVALID index of a failed build dropped first),
 * -1 after an error.
 */
static int concurrent_prepare(struct run *r, const struct sg_sql_cindex *ci,
			      bool same)
{
	const char *q = ci->schema ? sg_qq(r->a, ci->schema, ci->name) : sg_qi(r->a, ci->name);
	int st = index_state(r, ci);

	if (st == -1)
		return -1;
	if (!ci->create)
		return same && st == -2;
	if (st == 1)
		return same;
	if (st == 0) {
		sg_info("dropping the INVALID index %s left by an interrupted CREATE INDEX CONCURRENTLY, to build it again",
			sg_qt(r->a, q));
		if (sg_conn_exec(r->c, sg_printf(r->a, "DROP INDEX CONCURRENTLY IF EXISTS %s", q)) < 0)
			return -1;
	}
	return 0;
}

static bool is_lock_timeout(const PGresult *res)
{
	return res && sg_streq(PQresultErrorField(res, PG_DIAG_SQLSTATE), "55P03");
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0)
		;
}

static const char *online_lock_timeout(struct run *r, const struct sg_revision *rev)
{
	if (rev->lock_timeout)
		return rev->lock_timeout;
	return r->o->online_lock_timeout ? r->o->online_lock_timeout : "2s";
}

static int online_retries(struct run *r)
{
	return r->o->online_lock_retries < 0 ? 5 : r->o->online_lock_retries;
}

/*
 * Runs statement i: in a transaction with its step row, or (a concurrent
 * index statement) alone, recorded started before and done after.  An
 * online revision's statement that meets lock_timeout is tried again.
 * Returns 0, or -1 with *failed set to the failing result (NULL when
 * something else failed; already reported).
 */
static int run_step(struct run *r, const struct sg_revision *rev, const char *dir,
		    const struct sg_script *s, size_t i, char state, PGresult **failed)
{
	const struct sg_stmt *st = &s->v[i];
	PGconn *pg = sg_conn_pg(r->c);
	struct sg_sql_cindex ci;
	bool concurrent = st->no_transaction &&
			  sg_sql_concurrent_index(r->a, st->sql, &ci) == 1;
	int retries = rev->online ? online_retries(r) : 0;
	long backoff = 250;
	char sha[65];

	*failed = NULL;
	sg_sha256_hex(st->sql, strlen(st->sql), sha);
	for (int attempt = 0;; attempt++) {
		PGresult *res;

		if (concurrent) {
			if (state || attempt > 0) {
				int done = concurrent_prepare(r, &ci, state != 'c');

				if (done < 0)
					return -1;
				if (done) {
					sg_info("statement %zu of revision %s (%s) had finished before it was interrupted",
						i + 1, rev->id, sg_qt(r->a, rev->message));
					return sg_conn_exec(r->c, step_row(r, rev, dir, i + 1, sha, "done"));
				}
			}
			if (sg_conn_exec(r->c, step_row(r, rev, dir, i + 1, sha, "started")) < 0)
				return -1;
			res = exec_stmt(r, pg, st->sql);
			if (res_ok(res)) {
				PQclear(res);
				return sg_conn_exec(r->c, step_row(r, rev, dir, i + 1, sha, "done"));
			}
		} else if (st->no_transaction) {
			/* VACUUM and the like: run again if interrupted */
			res = exec_stmt(r, pg, st->sql);
			if (res_ok(res)) {
				PQclear(res);
				return sg_conn_exec(r->c, step_row(r, rev, dir, i + 1, sha, "done"));
			}
		} else {
			if (sg_conn_exec(r->c, "BEGIN") < 0)
				return -1;
			if (rev->online) {
				struct sbuf sb = SBUF_INIT;

				sbuf_adds(&sb, "SET LOCAL lock_timeout = ");
				sg_quote_literal(&sb, online_lock_timeout(r, rev));
				res = sg_pg_exec(pg, sb.buf);
				sbuf_release(&sb);
				if (!res_ok(res)) {
					sg_pg_print_error(res, "setting lock_timeout");
					PQclear(res);
					rollback(r);
					return -1;
				}
				PQclear(res);
			}
			res = exec_stmt(r, pg, st->sql);
			if (res_ok(res)) {
				PQclear(res);
				if (sg_conn_exec(r->c, step_row(r, rev, dir, i + 1, sha, "done")) < 0 ||
				    sg_conn_exec(r->c, "COMMIT") < 0) {
					rollback(r);
					return -1;
				}
				return 0;
			}
			rollback(r);
		}
		if (!is_lock_timeout(res) || attempt >= retries) {
			*failed = res;
			return -1;
		}
		PQclear(res);
		sg_eprintf("%s:%d:%d: statement %zu of revision %s waited longer than lock_timeout (%s): trying again in %ld ms (retry %d of %d)\n",
			st->file, st->line, st->col, i + 1, rev->id,
			concurrent ? "the server's" : online_lock_timeout(r, rev),
			backoff, attempt + 1, retries);
		sleep_ms(backoff);
		backoff = backoff * 2 > 8000 ? 8000 : backoff * 2;
	}
}

static int apply_steps(struct run *r, const struct sg_revision *rev, bool up)
{
	const struct sg_script *s = up ? &rev->up : &rev->down;
	const char *dir = up ? "upgrade" : "downgrade";
	PGconn *pg = sg_conn_pg(r->c);
	const char **after;
	size_t nafter, ndone = 0, first = 0;
	struct stmts bk = { 0 }, sets = { 0 }, resets = { 0 };
	char *state = sg_alloc(r->a, s->n + 1);
	double t0 = now_ms();
	long long ms;
	struct sbuf sb = SBUF_INIT;

	memset(state, 0, s->n + 1);
	store_heads_after(r->a, r->g, r->heads, r->nheads, rev, up, &after, &nafter);
	if (ensure_steps_table(r) < 0 || read_steps(r, rev, dir, s, state) < 0)
		return -1;
	for (size_t i = 0; i < s->n; i++)
		if (state[i] == 'd')
			ndone++;
	while (first < s->n && state[first] == 'd')
		first++;
	if (ndone)
		sg_info("%s %s (%s): resuming at statement %zu of %zu (%zu done before)", dir,
			rev->id, sg_qt(r->a, rev->message), first + 1, s->n, ndone);
	if (rev->online) {
		/* lock_timeout is set for each statement instead */
		if (statement_timeout_of(r, rev)) {
			sbuf_adds(&sb, "SET statement_timeout = ");
			sg_quote_literal(&sb, statement_timeout_of(r, rev));
			add_stmt(r, &sets, &sb);
			sbuf_adds(&sb, "RESET statement_timeout");
			add_stmt(r, &resets, &sb);
		}
	} else {
		session_timeouts(r, rev, false, &sets);
		session_timeouts(r, rev, true, &resets);
	}
	sbuf_release(&sb);
	if (exec_all(r, &sets) < 0)
		return -1;
	for (size_t i = 0; i < s->n; i++) {
		PGresult *res;

		if (state[i] == 'd')
			continue;
		if (run_step(r, rev, dir, s, i, state[i], &res) == 0) {
			state[i] = 'd';
			continue;
		}
		if (res) {
			print_stmt_error(&s->v[i], res, PQerrorMessage(pg));
			if (is_lock_timeout(res) && rev->online)
				sg_eprintf("  note: each statement of an online revision waits at most %s for a lock (online_lock_timeout in schemagen.yaml, or the revision's `-- lock-timeout:`), and is tried %d more time%s\n",
					online_lock_timeout(r, rev), online_retries(r),
					online_retries(r) == 1 ? "" : "s");
			else
				timeout_note(r, rev, res);
			PQclear(res);
		}
		ndone = 0;
		for (size_t k = 0; k < s->n; k++)
			if (state[k] == 'd')
				ndone++;
		if (ndone == 0)
			sg_eprintf("revision %s (%s) runs outside a transaction; its first statement failed, so nothing of it was applied; the database is still at %s\n",
				rev->id, sg_qt(r->a, rev->message), join(r->a, r->heads, r->nheads, "base"));
		else
			sg_eprintf("revision %s (%s) runs outside a transaction: %s of %zu ran and stay%s applied, statement %zu failed; the version table still says %s\n"
				"  hint: the statements that ran are recorded: fix the cause and run the command again, it resumes at statement %zu\n",
				rev->id, sg_qt(r->a, rev->message), ran_text(r->a, i), s->n,
				i == 1 ? "s" : "", i + 1,
				join(r->a, r->heads, r->nheads, "base"), i + 1);
		for (size_t k = 0; k < resets.n; k++)
			PQclear(sg_pg_exec(pg, resets.v[k]));
		return -1;
	}
	ms = (long long)(now_ms() - t0 + 0.5);
	version_moves(r, &bk, r->heads, r->nheads, after, nafter);
	history_row(r, &bk, rev->id, dir, rev->checksum, ms);
	if (exec_all(r, &resets) < 0 || sg_conn_exec(r->c, "BEGIN") < 0)
		return -1;
	if (run_bookkeeping(r, &bk) < 0)
		goto failed;
	{
		const char *params[] = { rev->id, dir };
		PGresult *res = sg_conn_query(r->c, sg_printf(r->a,
			"DELETE FROM %s WHERE revision = $1 AND direction = $2",
			steps_table(r)), 2, params);

		if (!res)
			goto failed;
		PQclear(res);
	}
	if (sg_conn_exec(r->c, "COMMIT") < 0)
		goto failed;
	revision_applied(r, rev, dir, s->n, ms, after, nafter);
	return 0;
failed:
	rollback(r);
	sg_eprintf("revision %s (%s): its statements ran, but recording it failed; run the command again to record it\n",
		rev->id, sg_qt(r->a, rev->message));
	return -1;
}

static int apply(struct run *r, const struct sg_revision *rev, bool up)
{
	const struct sg_script *s = up ? &rev->up : &rev->down;
	bool no_tx = up ? rev->up_no_transaction : rev->down_no_transaction;
	const char *dir = up ? "upgrade" : "downgrade";
	PGconn *pg = sg_conn_pg(r->c);
	const char **after;
	size_t nafter;
	struct stmts bk = { 0 }, sets = { 0 }, resets = { 0 };
	double t0 = now_ms();
	long long ms;
	size_t lead = no_tx || r->single ? 0 : leading_enum_values(s);

	/* (with single, check_single() refused a revision outside one
	 * before anything ran: no_tx is false below) */
	if (no_tx && !r->single)
		return apply_steps(r, rev, up);
	store_heads_after(r->a, r->g, r->heads, r->nheads, rev, up, &after, &nafter);
	if (no_tx) {
		session_timeouts(r, rev, false, &sets);
		session_timeouts(r, rev, true, &resets);
	} else {
		if (!r->single) {
			if (sg_conn_exec(r->c, "BEGIN") < 0)
				return -1;
			tx_begun(r);
		}
		tx_timeouts(r, rev, &sets);
	}
	if (exec_all(r, &sets) < 0)
		goto control_failed;
	for (size_t i = 0; i < s->n; i++) {
		PGresult *res;

		if (lead && i == lead) {
			struct stmts again = { 0 };

			if (sg_conn_exec(r->c, "COMMIT") < 0 || sg_conn_exec(r->c, "BEGIN") < 0)
				goto control_failed;
			tx_begun(r);
			tx_timeouts(r, rev, &again);
			if (exec_all(r, &again) < 0)
				goto control_failed;
		}
		res = exec_stmt(r, pg, s->v[i].sql);
		if (res_ok(res)) {
			PQclear(res);
			continue;
		}
		print_stmt_error(&s->v[i], res, PQerrorMessage(pg));
		timeout_note(r, rev, res);
		if (r->single && res && sg_streq(PQresultErrorField(res, PG_DIAG_SQLSTATE), "55P04"))
			sg_eprintf("  note: in a single transaction for the whole run, new enum values cannot be used by later statements: run without --single-transaction\n");
		PQclear(res);
		if (r->single) {
			rollback(r);
			sg_eprintf("revision %s (%s) failed, so the whole run was rolled back (one transaction); the database is still at %s\n",
				rev->id, sg_qt(r->a, rev->message), r->start);
		} else if (!no_tx) {
			rollback(r);
			sg_eprintf("revision %s (%s) was rolled back; the database is still at %s\n",
				rev->id, sg_qt(r->a, rev->message), join(r->a, r->heads, r->nheads, "base"));
			if (lead && i >= lead)
				sg_eprintf("  note: the enum values its first %zu statement%s added "
					"were committed first and stay (ADD VALUE IF NOT EXISTS makes "
					"a rerun safe)\n", lead, lead == 1 ? "" : "s");
		} else if (i == 0) {
			sg_eprintf("revision %s (%s) runs outside a transaction; its first statement failed, so nothing of it was applied; the database is still at %s\n",
				rev->id, sg_qt(r->a, rev->message), join(r->a, r->heads, r->nheads, "base"));
		} else {
			sg_eprintf("revision %s (%s) runs outside a transaction: %s of %zu ran and stay%s applied, statement %zu failed; the version table still says %s\n",
				rev->id, sg_qt(r->a, rev->message), ran_text(r->a, i), s->n,
				i == 1 ? "s" : "", i + 1,
				join(r->a, r->heads, r->nheads, "base"));
			sg_eprintf("  hint: finish or undo the statements that ran by hand, then run the command again\n");
		}
		if (no_tx) {
			/* best effort: the session's timeouts as they were */
			for (size_t k = 0; k < resets.n; k++)
				PQclear(sg_pg_exec(pg, resets.v[k]));
		}
		return -1;
	}
	ms = (long long)(now_ms() - t0 + 0.5);
	version_moves(r, &bk, r->heads, r->nheads, after, nafter);
	history_row(r, &bk, rev->id, dir, rev->checksum, ms);
	if (no_tx && (exec_all(r, &resets) < 0 || sg_conn_exec(r->c, "BEGIN") < 0))
		return -1;
	if (run_bookkeeping(r, &bk) < 0)
		goto control_failed;
	if (!r->single) {
		PGresult *res = sg_pg_exec(pg, "COMMIT");

		if (!res_ok(res)) {
			struct sg_stmt commit = { .sql = "COMMIT", .file = rev->path };

			print_stmt_error(&commit, res, PQerrorMessage(pg));
			PQclear(res);
			sg_eprintf("revision %s (%s) was rolled back; the database is still at %s\n",
				rev->id, sg_qt(r->a, rev->message), join(r->a, r->heads, r->nheads, "base"));
			return -1;
		}
		PQclear(res);
	}
	revision_applied(r, rev, dir, s->n, ms, after, nafter);
	return 0;

control_failed:
	rollback(r);
	if (r->single)
		sg_eprintf("the whole run was rolled back (one transaction); the database is still at %s\n",
			r->start);
	else if (!no_tx)
		sg_eprintf("revision %s (%s) was rolled back; the database is still at %s\n",
			rev->id, sg_qt(r->a, rev->message), join(r->a, r->heads, r->nheads, "base"));
	return -1;
}

/*
 * A single transaction cannot hold a revision that must run outside one:
 * say which and why, before anything runs.
 */
static int check_single(struct run *r, struct sg_revision **plan, size_t n,
			bool up)
{
	for (size_t i = 0; i < n; i++) {
		const struct sg_revision *rev = plan[i];
		const struct sg_script *s = up ? &rev->up : &rev->down;
		const char *why = NULL;

		if (!(up ? rev->up_no_transaction : rev->down_no_transaction))
			continue;
		for (size_t k = 0; k < s->n && !why; k++)
			if (s->v[k].no_transaction)
				why = sg_printf(r->a, "its statement at %s:%d:%d cannot run in a transaction block",
						s->v[k].file, s->v[k].line, s->v[k].col);
		if (!why && rev->online)
			why = sg_printf(r->a, "its header says `online: true` (%s)", rev->path);
		if (!why)
			why = sg_printf(r->a, "its header says `transaction: none` (%s)", rev->path);
		sg_error("cannot run in a single transaction: revision %s (%s) must run outside one: %s",
			 rev->id, sg_qt(r->a, rev->message), why);
		sg_hint("run without --single-transaction (and without `single_transaction: true` in schemagen.yaml): each revision then runs in a transaction of its own, and this one outside any");
		return -1;
	}
	return 0;
}

/*
 * Every environment variable the secrets of the plan's statements name
 * (foreign data options: '$env:NAME') must be set before anything runs.
 */
static int check_secrets(struct run *r, struct sg_revision **plan, size_t n,
			 bool up)
{
	if (r->o->keep_secret_placeholders || r->sql)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const struct sg_script *s = up ? &plan[i]->up : &plan[i]->down;

		for (size_t k = 0; k < s->n; k++) {
			const char *real, *missing;

			if (sg_sql_secrets(r->a, s->v[k].sql, &real, &missing) == 0) {
				if (real != s->v[k].sql)
					memset((char *)real, 0, strlen(real));
				continue;
			}
			sg_error("%s:%d:%d: the environment variable %s is not set: revision %s (%s) reads a secret from it",
				 s->v[k].file, s->v[k].line, s->v[k].col, missing,
				 plan[i]->id, sg_qt(r->a, plan[i]->message));
			sg_hint("set %s to the value (a password, ...) before running the migration; schemagen never writes it to a file", missing);
			return -1;
		}
	}
	return 0;
}

/*
 * --accept-changed: the changed revisions the user accepts leave
 * st->changed and are returned in *acc.  Naming an unchanged revision is
 * a warning (nothing to accept), an unknown one an error.
 */
static int resolve_accepts(struct run *r, struct sg_db_state *st,
			   struct sg_revision ***acc, size_t *nacc)
{
	SG_VEC(struct sg_revision *) v = { 0 };

	for (size_t i = 0; i < r->o->naccept_changed; i++) {
		struct sg_revision *rev = store_lookup(r->g, r->o->accept_changed[i]);
		bool found = false;

		if (!rev)
			return -1;
		for (size_t k = 0; k < st->nchanged; k++) {
			if (st->changed[k] != rev)
				continue;
			found = true;
			SG_VEC_PUSH(r->a, &v, rev);
			memmove(&st->changed[k], &st->changed[k + 1],
				(st->nchanged - k - 1) * sizeof(*st->changed));
			st->nchanged--;
			break;
		}
		for (size_t k = 0; k < v.n && !found; k++)
			found = v.v[k] == rev;
		if (!found)
			sg_warning("--accept-changed %s: the file of revision %s is the one the database recorded (or it is not applied); nothing to accept",
				   r->o->accept_changed[i], rev->id);
	}
	*acc = v.v;
	*nacc = v.n;
	return 0;
}

static int record_accepts(struct run *r, struct sg_revision **acc, size_t n)
{
	struct stmts bk = { 0 };

	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		history_row(r, &bk, acc[i]->id, "accept", acc[i]->checksum, -1);
	if (sg_conn_exec(r->c, "BEGIN") < 0)
		return -1;
	if (exec_all(r, &bk) < 0 || sg_conn_exec(r->c, "COMMIT") < 0) {
		rollback(r);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		sg_info("accepted the changed file of revision %s (%s): its new checksum is recorded",
			acc[i]->id, acc[i]->path);
	return 0;
}

/* ---- --sql ---- */

static void print_sql_stmt(FILE *f, const struct sg_stmt *st)
{
	struct sbuf sb = SBUF_INIT;

	sg_stmt_format_sql(&sb, st);
	if (!st->sql[0])
		sbuf_addch(&sb, '\n');
	fputs(sb.buf, f);
	sbuf_release(&sb);
}

static void print_stmts(FILE *f, const struct stmts *s)
{
	for (size_t i = 0; i < s->n; i++)
		fprintf(f, "%s\n", s->v[i]);
}

static void print_prologue(struct run *r)
{
	struct sbuf sb = SBUF_INIT;

	fprintf(r->sql, "-- run with: psql -v ON_ERROR_STOP=1 -f FILE\n\n");
	fprintf(r->sql, "-- the migration lock (schemagen runners wait for it)\n"
		"SELECT pg_catalog.pg_advisory_lock(%lld);\n", r->lock_key);
	version_table_ddl(r, &sb, strcmp(r->vschema, "public") != 0);
	history_table_ddl(r, &sb);
	fputs(sb.buf, r->sql);
	sbuf_release(&sb);
}

static void print_epilogue(struct run *r)
{
	fprintf(r->sql, "\nSELECT pg_catalog.pg_advisory_unlock(%lld);\n", r->lock_key);
	fflush(r->sql);
}

/*
 * An online revision as the runner runs it (run_step): each statement that
 * can run in a transaction in one of its own, waiting at most the online
 * lock_timeout for its locks; the others alone.  psql cannot retry a
 * statement that met lock_timeout, as the runner does: the output says so.
 */
static void print_online(struct run *r, FILE *f, const struct sg_revision *rev,
			 const struct sg_script *s)
{
	struct sbuf sb = SBUF_INIT;
	const char *st_to = statement_timeout_of(r, rev);

	fprintf(f, "-- online: each statement in a transaction of its own, waiting at most "
		"%s for its locks (the runner tries a statement that waited longer "
		"again, %d times; psql stops)\n",
		sg_qc(r->a, online_lock_timeout(r, rev)), online_retries(r));
	if (st_to) {
		sbuf_adds(&sb, "SET statement_timeout = ");
		sg_quote_literal(&sb, st_to);
		fprintf(f, "%s;\n", sb.buf);
	}
	for (size_t k = 0; k < s->n; k++) {
		if (s->v[k].no_transaction) {
			print_sql_stmt(f, &s->v[k]);
			continue;
		}
		sbuf_reset(&sb);
		sbuf_adds(&sb, "SET LOCAL lock_timeout = ");
		sg_quote_literal(&sb, online_lock_timeout(r, rev));
		fprintf(f, "BEGIN;\n%s;\n", sb.buf);
		print_sql_stmt(f, &s->v[k]);
		fputs("COMMIT;\n", f);
	}
	if (st_to)
		fputs("RESET statement_timeout;\n", f);
	sbuf_release(&sb);
}

/*
 * Prints what the runner would do from r->heads along plan, as SQL that
 * psql runs with the same result: the lock, per revision BEGIN, timeouts,
 * statements, version-table moves and history row, COMMIT.
 */
static void print_plan(struct run *r, const char *verb, const char *target,
		       struct sg_revision **plan, size_t n, bool up)
{
	FILE *f = r->sql;

	fprintf(f, "-- schemagen %s %s: from %s, %zu revision%s%s\n", verb, sg_qc(r->a, target),
		sg_qc(r->a, join(r->a, r->heads, r->nheads, "base")), n, n == 1 ? "" : "s",
		r->single ? ", in one transaction" : "");
	print_prologue(r);
	if (r->single) {
		fputs("\nBEGIN;\n", f);
		tx_begun(r);
	}
	for (size_t i = 0; i < n; i++) {
		const struct sg_revision *rev = plan[i];
		const struct sg_script *s = up ? &rev->up : &rev->down;
		bool no_tx = up ? rev->up_no_transaction : rev->down_no_transaction;
		size_t lead = no_tx || r->single ? 0 : leading_enum_values(s);
		struct stmts bk = { 0 }, sets = { 0 };
		const char **after;
		size_t nafter;

		store_heads_after(r->a, r->g, r->heads, r->nheads, rev, up, &after, &nafter);
		version_moves(r, &bk, r->heads, r->nheads, after, nafter);
		history_row(r, &bk, rev->id, up ? "upgrade" : "downgrade",
			    rev->checksum, -1);
		fprintf(f, "\n-- %s %s (%s)\n", up ? "upgrade" : "downgrade", rev->id,
			sg_qc(r->a, rev->message));
		if (no_tx && rev->online) {
			print_online(r, f, rev, s);
			fputs("BEGIN;\n", f);
			print_stmts(f, &bk);
			fputs("COMMIT;\n", f);
		} else if (no_tx) {
			struct stmts resets = { 0 };

			fputs("-- runs outside a transaction\n", f);
			session_timeouts(r, rev, false, &sets);
			session_timeouts(r, rev, true, &resets);
			print_stmts(f, &sets);
			for (size_t k = 0; k < s->n; k++)
				print_sql_stmt(f, &s->v[k]);
			print_stmts(f, &resets);
			fputs("BEGIN;\n", f);
			print_stmts(f, &bk);
			fputs("COMMIT;\n", f);
		} else {
			if (!r->single) {
				fputs("BEGIN;\n", f);
				tx_begun(r);
			}
			tx_timeouts(r, rev, &sets);
			print_stmts(f, &sets);
			for (size_t k = 0; k < s->n; k++) {
				if (lead && k == lead) {
					struct stmts again = { 0 };

					fputs("-- new enum values must be committed before they are used\n"
					      "COMMIT;\nBEGIN;\n", f);
					tx_begun(r);
					tx_timeouts(r, rev, &again);
					print_stmts(f, &again);
				}
				print_sql_stmt(f, &s->v[k]);
			}
			print_stmts(f, &bk);
			if (!r->single)
				fputs("COMMIT;\n", f);
		}
		r->heads = after;
		r->nheads = nafter;
	}
	if (r->single)
		fputs("\nCOMMIT;\n", f);
	print_epilogue(r);
}

/*
 * The statements of the revisions to run: store_load() read only the
 * headers.  Errors are printed before anything is touched.
 */
static int parse_plan(struct run *r, struct sg_revision **plan, size_t n)
{
	struct sg_diags d;

	sg_diags_init(&d, r->a);
	if (store_parse_bodies(plan, n, &d) < 0 || d.nerrors) {
		sg_diags_print(&d);
		return -1;
	}
	return 0;
}

/*
 * A downgrade whose section says a step is irreversible ("-- irreversible:
 * REASON" before it) is refused before anything runs, unless forced: the
 * statements are PostgreSQL's best effort, which fails (or loses what the
 * upgrade made) when the data does not allow going back.
 */
static int check_irreversible(struct run *r, struct sg_revision **plan, size_t n)
{
	struct sg_diags d;
	struct sg_diag *dg = NULL;

	if (r->o->force_irreversible)
		return 0;
	sg_diags_init(&d, r->a);
	for (size_t i = 0; i < n; i++) {
		const struct sg_script *s = &plan[i]->down;

		for (size_t k = 0; k < s->n; k++) {
			const struct sg_stmt *st = &s->v[k];
			struct sg_loc loc = { .file = st->file, .line = st->line,
					      .col = st->col, .style = 'x' };

			if (st->irreversible)
				dg = sg_diag_error(&d, loc, "the downgrade of revision %s "
						   "cannot restore this step: %s",
						   plan[i]->id, st->irreversible);
		}
	}
	if (!dg)
		return 0;
	sg_diag_hint(dg, &d, "nothing was run; `--force-irreversible` runs the "
		     "downgrade anyway (PostgreSQL's best effort, which may fail "
		     "or lose what the upgrade made)");
	sg_diags_print(&d);
	return -1;
}

/*
 * The database's heads as the start of an offline plan (`current:` or
 * --dry-run): read without the lock, refused on the integrity problems a
 * run refuses (accepted changed files aside).
 */
static int db_heads(struct run *r, const char *target, bool up)
{
	struct sg_db_state st;
	struct sg_revision **acc;
	size_t nacc;

	if (read_state(r, &st) < 0 || resolve_accepts(r, &st, &acc, &nacc) < 0)
		return -1;
	if (runner_report_problems(&st, r->g, sg_printf(r->a, "schemagen %s %s",
							 up ? "upgrade" : "downgrade",
							 target ? target : "")) > 0)
		return -1;
	r->heads = st.heads;
	r->nheads = st.nheads;
	return 0;
}

/*
 * --sql: "FROM:TO" starts from FROM's heads (`current`: the database's,
 * when there is a connection); --dry-run at the database's heads;
 * otherwise upgrades start at base and downgrades at the graph's heads.
 */
static int sql_mode(struct run *r, const char *target, bool up)
{
	const char *colon = target ? strchr(target, ':') : NULL;
	const char *to = target;
	bool dry = r->o->dry_run && r->c;
	struct sg_revision **plan;
	size_t n;
	int ret;

	if (colon && dry)
		return sg_error("--dry-run starts at the database's revision: give a target, not a range ('%s')",
				target);
	if (colon) {
		const char *from = sg_strndup(r->a, target, (size_t)(colon - target));
		struct sg_revision **v;
		size_t nv;

		to = colon + 1;
		if (strcmp(to, "current") == 0)
			return sg_error("`current` can only start a range (current:%s)",
					up ? "head" : "base");
		if (strcmp(from, "current") == 0) {
			if (!r->c)
				return sg_error("--sql works without a database, so it cannot know `current`: name the revision the database is at");
			if (db_heads(r, target, up) < 0)
				return -1;
		} else {
			if (store_resolve(r->a, r->g, from, &v, &nv) < 0)
				return -1;
			store_heads_of(r->a, r->g, v, nv, &r->heads, &r->nheads);
		}
	} else if (dry) {
		if (db_heads(r, target, up) < 0)
			return -1;
	} else if (!up) {
		store_heads_of(r->a, r->g, r->g->heads, r->g->nheads,
			       &r->heads, &r->nheads);
	}
	if (up)
		ret = store_plan_upgrade(r->a, r->g, r->heads, r->nheads, to, &plan, &n);
	else
		ret = store_plan_downgrade(r->a, r->g, r->heads, r->nheads, to, &plan, &n);
	if (ret < 0 || parse_plan(r, plan, n) < 0)
		return -1;
	if (dry && !up && check_irreversible(r, plan, n) < 0)
		return -1;
	if (r->single && check_single(r, plan, n, up) < 0)
		return -1;
	if (!dry && check_secrets(r, plan, n, up) < 0)
		return -1;
	if (dry && n == 0) {
		sg_note("dry run: nothing to do: the database is already at %s",
			join(r->a, r->heads, r->nheads, "base"));
		return 0;
	}
	if (dry) {
		const char *start = join(r->a, r->heads, r->nheads, "base");
		struct sbuf ids = SBUF_INIT;

		for (size_t i = 0; i < n; i++)
			sbuf_addf(&ids, "%s%s", i ? ", " : "", plan[i]->id);
		print_plan(r, up ? "upgrade" : "downgrade", target, plan, n, up);
		sg_note("dry run: %s would %s %zu revision%s (%s) from %s; nothing was applied",
			up ? "upgrade" : "downgrade", up ? "apply" : "revert", n,
			n == 1 ? "" : "s", ids.buf, start);
		sbuf_release(&ids);
		return 0;
	}
	print_plan(r, up ? "upgrade" : "downgrade", target, plan, n, up);
	return 0;
}

/* ---- entry points ---- */

static int migrate(struct sg_conn *c, const struct sg_revgraph *g,
		   const char *target, const struct sg_runner_opts *o, bool up)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_revision **plan, **acc;
	size_t n, nacc;
	struct sg_db_state st;
	struct run r;
	int ret = -1;

	run_init(&r, a, c, g, o);
	if (r.sql) {
		ret = sql_mode(&r, target, up);
		goto out;
	}
	if (target && strchr(target, ':')) {
		sg_error("a range like '%s' is only for --sql", target);
		goto out;
	}
	session_setup(&r);
	if (lock(&r) < 0 || read_state(&r, &st) < 0)
		goto out;
	r.heads = st.heads;
	r.nheads = st.nheads;
	if (resolve_accepts(&r, &st, &acc, &nacc) < 0)
		goto out;
	if (runner_report_problems(&st, g, sg_printf(a, "schemagen %s %s",
						     up ? "upgrade" : "downgrade",
						     target ? target : "")) > 0)
		goto out;
	/*
	 * The plan comes before the tables are created: a target that does
	 * not resolve must leave a database that never saw schemagen as it
	 * was (read_heads() takes a missing version table for base).
	 */
	if (up)
		ret = store_plan_upgrade(a, g, r.heads, r.nheads, target, &plan, &n);
	else
		ret = store_plan_downgrade(a, g, r.heads, r.nheads, target, &plan, &n);
	if (ret < 0)
		goto out;
	ret = -1;
	if (parse_plan(&r, plan, n) < 0)
		goto out;
	if (!up && check_irreversible(&r, plan, n) < 0)
		goto out;
	if (r.single && check_single(&r, plan, n, up) < 0)
		goto out;
	if (check_secrets(&r, plan, n, up) < 0)
		goto out;
	if (ensure_tables(&r) < 0 || record_accepts(&r, acc, nacc) < 0)
		goto out;
	ret = 0;
	r.start = join(a, r.heads, r.nheads, "base");
	if (o && o->report) {
		o->report->ran = true;
		report_heads(&r, r.heads, r.nheads, &o->report->from, &o->report->nfrom);
		report_heads(&r, r.heads, r.nheads, &o->report->to, &o->report->nto);
	}
	if (n == 0) {
		sg_info("nothing to do: the database is already at %s", r.start);
		goto out;
	}
	if (r.single) {
		if ((ret = sg_conn_exec(c, "BEGIN")) < 0)
			goto out;
		tx_begun(&r);
	}
	for (size_t i = 0; i < n && ret == 0; i++)
		ret = apply(&r, plan[i], up);
	if (r.single && ret == 0) {
		PGresult *res = sg_pg_exec(sg_conn_pg(c), "COMMIT");

		if (!res_ok(res)) {
			struct sg_stmt commit = { .sql = "COMMIT" };

			print_stmt_error(&commit, res, PQerrorMessage(sg_conn_pg(c)));
			sg_eprintf("the whole run was rolled back (one transaction); the database is still at %s\n",
				r.start);
			ret = -1;
		} else {
			sg_info("committed %zu revision%s in one transaction", n,
				n == 1 ? "" : "s");
		}
		PQclear(res);
	}
	if (r.single && ret < 0 && o && o->report && o->report->ran) {
		/* rolled back as a whole: nothing of it stays */
		o->report->n = 0;
		report_heads(&r, o->report->from, o->report->nfrom,
			     &o->report->to, &o->report->nto);
	}
out:
	if (r.locked)
		unlock(&r);
	sg_arena_free(a);
	return ret;
}

int runner_upgrade(struct sg_conn *c, const struct sg_revgraph *g,
		   const char *target, const struct sg_runner_opts *o)
{
	return migrate(c, g, target, o, true);
}

int runner_downgrade(struct sg_conn *c, const struct sg_revgraph *g,
		     const char *target, const struct sg_runner_opts *o)
{
	return migrate(c, g, target, o, false);
}

/* True when a is b or one of its ancestors (parents and depends-on). */
static bool is_ancestor(struct sg_arena *a, const struct sg_revgraph *g,
			struct sg_revision *anc, struct sg_revision *rev)
{
	struct sg_revision *v[] = { anc, rev };
	const char **h;
	size_t nh;

	store_heads_of(a, g, v, 2, &h, &nh);
	return nh == 1 && strcmp(h[0], rev->id) == 0;
}

/*
 * The heads after stamping targets over cur (all known): the current heads
 * on no target's line stay, the targets join them.
 */
static void stamp_heads(struct run *r, struct sg_revision **targets, size_t nt,
			const char *const *cur, size_t ncur,
			const char ***out, size_t *nout)
{
	SG_VEC(struct sg_revision *) keep = { 0 };

	for (size_t i = 0; i < ncur; i++) {
		struct sg_revision *h = find_rev(r->g, cur[i]);
		bool related = false;

		for (size_t k = 0; k < nt && !related; k++)
			related = is_ancestor(r->a, r->g, h, targets[k]) ||
				  is_ancestor(r->a, r->g, targets[k], h);
		if (!related)
			SG_VEC_PUSH(r->a, &keep, h);
	}
	for (size_t k = 0; k < nt; k++)
		SG_VEC_PUSH(r->a, &keep, targets[k]);
	store_heads_of(r->a, r->g, keep.v, keep.n, out, nout);
}

int runner_stamp(struct sg_conn *c, const struct sg_revgraph *g,
		 const char *target, const struct sg_runner_opts *o)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_revision **revs;
	size_t nrevs, nto, nmine;
	const char **to, **mine;
	struct stmts bk = { 0 };
	struct sbuf sb = SBUF_INIT;
	struct run r;
	int ret = -1;

	run_init(&r, a, c, g, o);
	if (store_resolve(a, g, target, &revs, &nrevs) < 0)
		goto out;
	/* the heads the target itself stands for get history rows */
	store_heads_of(a, g, revs, nrevs, &mine, &nmine);
	if (r.sql) {
		sbuf_addf(&sb, "DELETE FROM %s;", r.vt);
		add_stmt(&r, &bk, &sb);
		version_moves(&r, &bk, NULL, 0, mine, nmine);
		for (size_t i = 0; i < nmine; i++)
			history_row(&r, &bk, mine[i], "stamp", find_rev(g, mine[i])->checksum, -1);
		if (nmine == 0)
			history_row(&r, &bk, "base", "stamp", NULL, -1);
		fprintf(r.sql, "-- schemagen stamp %s: the version table from scratch\n",
			sg_qc(a, target));
		print_prologue(&r);
		fputs("\nBEGIN;\n", r.sql);
		print_stmts(r.sql, &bk);
		fputs("COMMIT;\n", r.sql);
		print_epilogue(&r);
		ret = 0;
		goto out;
	}
	session_setup(&r);
	if (lock(&r) < 0 || read_heads(&r, &r.heads, &r.nheads) < 0)
		goto out;
	if (!o || !o->purge) {
		for (size_t i = 0; i < r.nheads; i++) {
			if (find_rev(g, r.heads[i]))
				continue;
			sg_error("the version table holds revision %s, which is not in %s",
				 r.heads[i], g->dir ? g->dir : "the migrations directory");
			sg_hint("`schemagen stamp --purge %s` empties the version table first, whatever it holds",
				target);
			goto out;
		}
	}
	if ((o && o->purge) || nrevs == 0) {
		to = mine;
		nto = nmine;
	} else {
		stamp_heads(&r, revs, nrevs, r.heads, r.nheads, &to, &nto);
	}
	if (ensure_tables(&r) < 0)
		goto out;
	if (o && o->purge)
		version_moves(&r, &bk, NULL, 0, to, nto);
	else
		version_moves(&r, &bk, r.heads, r.nheads, to, nto);
	for (size_t i = 0; i < nmine; i++)
		history_row(&r, &bk, mine[i], "stamp", find_rev(g, mine[i])->checksum, -1);
	if (nmine == 0)
		history_row(&r, &bk, "base", "stamp", NULL, -1);
	if (sg_conn_exec(c, "BEGIN") < 0)
		goto out;
	/* --purge: whatever is there, known or not; no row count to check */
	if (o && o->purge)
		sbuf_addf(&sb, "DELETE FROM %s", r.vt);
	if ((sb.len && sg_conn_exec(c, sb.buf) < 0) ||
	    run_bookkeeping(&r, &bk) < 0 || sg_conn_exec(c, "COMMIT") < 0) {
		rollback(&r);
		goto out;
	}
	if (o && o->report) {
		o->report->ran = true;
		report_heads(&r, r.heads, r.nheads, &o->report->from, &o->report->nfrom);
		report_heads(&r, to, nto, &o->report->to, &o->report->nto);
	}
	sg_info("stamped the database at %s (it was at %s)", join(a, to, nto, "base"),
		join(a, r.heads, r.nheads, "base"));
	ret = 0;
out:
	sbuf_release(&sb);
	if (r.locked)
		unlock(&r);
	sg_arena_free(a);
	return ret;
}

/* ---- generated scripts ---- */

/*
 * Maps an error inside a generated statement to the model file: the
 * fragment that covers the error position, else the origin object's
 * declaration.  Returns false when neither is known.
 */
static bool diag_for_stmt(const struct sg_stmt *st, const PGresult *res,
			  struct sg_diags *d)
{
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
	const char *pos = PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION);
	struct sg_diag *dg = NULL;

	if (!d || !msg)
		return false;
	if (pos && strtol(pos, NULL, 10) > 0) {
		size_t off = char_to_byte(st->sql, (size_t)strtol(pos, NULL, 10) - 1);

		for (size_t i = 0; i < st->nfrags && !dg; i++) {
			const struct sg_srcfrag *f = &st->frags[i];
			char *text;

			if (off < f->offset || off >= f->offset + f->len ||
			    f->loc.line == 0)
				continue;
			text = sg_strndup(d->arena, st->sql + f->offset, f->len);
			dg = sg_diag_error(d, sg_loc_at(f->loc, text, off - f->offset),
					   "%s", msg);
		}
	}
	if (!dg && st->origin && st->origin->loc.line > 0)
		dg = sg_diag_error(d, st->origin->loc, "%s", msg);
	if (!dg)
		return false;
	if (hint)
		sg_diag_hint(dg, d, "%s", hint);
	/* an extension the scratch server lacks (pgvector on a plain server):
	 * 58P01 no control file (13-15), 0A000 not available (16 and later) */
	if (st->origin && st->origin->kind == SG_KIND_EXTENSION &&
	    (sg_streq(PQresultErrorField(res, PG_DIAG_SQLSTATE), "58P01") ||
	     sg_streq(PQresultErrorField(res, PG_DIAG_SQLSTATE), "0A000")))
		sg_diag_hint(dg, d, "the scratch server, where the models are "
			     "materialised, does not have extension %s: install it "
			     "there, or set dev_url in schemagen.yaml (or "
			     "SCHEMAGEN_DEV_URL) to a server that has it (its role "
			     "needs CREATEDB)", st->origin->name);
	return true;
}

/*
 * The search_path for statements of `schema`, as a query: the schema, then
 * public.  `local`: for the transaction only.
 */
static char *search_path_sql(const char *schema, bool local)
{
	struct sbuf path = SBUF_INIT, sql = SBUF_INIT;

	sg_quote_list_name(&path, schema);
	if (strcmp(schema, "public") != 0)
		sbuf_adds(&path, ", public");
	sbuf_adds(&sql, "SELECT pg_catalog.set_config('search_path', ");
	sg_quote_literal(&sql, path.buf);
	sbuf_addf(&sql, ", %s)", local ? "true" : "false");
	sbuf_release(&path);
	return sbuf_detach(&sql, NULL);
}

/* A script that must run in autocommit: one statement per round trip. */
static int exec_autocommit(struct sg_conn *c, const struct sg_script *s,
			   struct sg_diags *d)
{
	PGconn *pg = sg_conn_pg(c);
	const char *cur = NULL;
	int ret = 0;

	for (size_t i = 0; i < s->n && ret == 0; i++) {
		const struct sg_stmt *st = &s->v[i];
		const char *schema = st->origin ? st->origin->schema : NULL;
		PGresult *res;

		if (schema && !sg_streq(schema, cur)) {
			char *sql = search_path_sql(schema, false);

			ret = sg_conn_exec(c, sql);
			free(sql);
			cur = schema;
			if (ret < 0)
				break;
		}
		res = sg_pg_exec(pg, st->sql);
		if (!res_ok(res)) {
			if (!res || !diag_for_stmt(st, res, d))
				print_stmt_error(st, res, PQerrorMessage(pg));
			ret = -1;
		}
		PQclear(res);
	}
	if (cur)
		sg_conn_exec(c, "RESET search_path");
	return ret;
}

/*
 * Pipeline mode (libpq 14): every statement is still a message of its own
 * (PQsendQueryParams, the extended protocol: one statement per message),
 * but they are sent without waiting for each answer, so the server works
 * at its own speed instead of one network round trip per statement.  A
 * Sync every PIPE_BATCH statements (or PIPE_BYTES of SQL) lets the server
 * flush its answers; the answers of one batch are read while the next is
 * on its way, so at most two batches of answers (a few dozen bytes each)
 * wait in the socket and neither side can block the other.  After an
 * error the server skips to the next Sync and the transaction is aborted:
 * we send nothing more, read what is left and report the first error.
 */
#define PIPE_BATCH 256
#define PIPE_BYTES (256u * 1024u)
#define PIPE_HELPER ((size_t)-1)   /* BEGIN, set_config, COMMIT */
#define PIPE_SYNC ((size_t)-2)

struct pipe {
	PGconn *pg;
	size_t *q;          /* what was sent, in order: a statement's index,
			       PIPE_HELPER or PIPE_SYNC */
	size_t nq, head, cap;
	size_t nsync;       /* syncs sent and not yet read */
	size_t err_at;      /* the statement that failed, or PIPE_HELPER */
	PGresult *err;      /* its result (the first error only) */
	bool broken;        /* the connection failed */
};

static bool pipe_push(struct pipe *p, size_t what)
{
	if (p->nq == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 1024;
		size_t *q = realloc(p->q, cap * sizeof(*q));

		if (!q)
			return false;
		p->q = q;
		p->cap = cap;
	}
	p->q[p->nq++] = what;
	return true;
}

static bool pipe_send(struct pipe *p, const char *sql, size_t what)
{
	if (!PQsendQueryParams(p->pg, sql, 0, NULL, NULL, NULL, NULL, 0) ||
	    !pipe_push(p, what)) {
		p->broken = true;
		return false;
	}
	return true;
}

static bool pipe_sync(struct pipe *p)
{
	if (!PQpipelineSync(p->pg) || !pipe_push(p, PIPE_SYNC)) {
		p->broken = true;
		return false;
	}
	p->nsync++;
	return true;
}

/* Reads the answer to the oldest thing sent. */
static void pipe_read(struct pipe *p)
{
	size_t what = p->q[p->head++];
	PGresult *res;

	if (what == PIPE_SYNC) {
		p->nsync--;
		res = PQgetResult(p->pg);
		if (!res || PQresultStatus(res) != PGRES_PIPELINE_SYNC)
			p->broken = true;
		PQclear(res);
		return;
	}
	/* one result, then NULL; a broken connection gives NULL at once */
	res = PQgetResult(p->pg);
	if (!res) {
		p->broken = true;
		return;
	}
	if (!res_ok(res) && PQresultStatus(res) != PGRES_PIPELINE_ABORTED &&
	    !p->err) {
		p->err = res;
		p->err_at = what;
		res = NULL;
	}
	PQclear(res);
	while ((res = PQgetResult(p->pg)) != NULL)
		PQclear(res);
}

/*
 * What to do when even one statement's locks do not fit in the server's
 * lock table (out of shared memory, 53200): the hint of the error's
 * diagnostic (the last one in d), or printed when there is none.
 */
static void lock_table_hint(struct sg_conn *c, struct sg_diags *d, bool in_d)
{
	PGresult *res = sg_pg_exec(sg_conn_pg(c), "SELECT pg_catalog.current_setting("
				   "'max_locks_per_transaction')");
	const char *now = res && PQresultStatus(res) == PGRES_TUPLES_OK &&
			  PQntuples(res) == 1 ? PQgetvalue(res, 0, 0) : "?";
#define LOCK_TABLE_HINT "the server's lock table is full: raise " \
	"max_locks_per_transaction (now %s) on the scratch server, " \
	"e.g. ALTER SYSTEM SET max_locks_per_transaction = 1024, and restart it"

	if (in_d && d && d->n)
		sg_diag_hint(&d->v[d->n - 1], d, LOCK_TABLE_HINT, now);
	else
		sg_hint(LOCK_TABLE_HINT, now);
#undef LOCK_TABLE_HINT
	PQclear(res);
}

/*
 * Runs statements [from, to) of s in one transaction through the pipeline.
 * Returns 0; -1 after reporting the error; -2 (nothing reported, the
 * transaction rolled back) when the server's lock table is full and
 * `may_split`, so the caller runs them in smaller steps.
 */
static int exec_pipeline(struct sg_conn *c, const struct sg_script *s,
			 size_t from, size_t to, bool may_split,
			 struct sg_diags *d)
{
	struct pipe p = { .pg = sg_conn_pg(c), .err_at = PIPE_HELPER };
	const char *cur = NULL;
	size_t batch = 0, bytes = 0;
	int ret = 0;

	if (!PQenterPipelineMode(p.pg)) {
		sg_error("cannot enter pipeline mode: %s", PQerrorMessage(p.pg));
		return -1;
	}
	pipe_send(&p, "BEGIN", PIPE_HELPER);
	for (size_t i = from; i < to && !p.err && !p.broken; i++) {
		const struct sg_stmt *st = &s->v[i];
		const char *schema = st->origin ? st->origin->schema : NULL;

		if (schema && !sg_streq(schema, cur)) {
			char *sql = search_path_sql(schema, true);

			pipe_send(&p, sql, PIPE_HELPER);
			free(sql);
			cur = schema;
		}
		if (!pipe_send(&p, st->sql, i))
			break;
		bytes += strlen(st->sql);
		if (++batch < PIPE_BATCH && bytes < PIPE_BYTES)
			continue;
		batch = bytes = 0;
		if (!pipe_sync(&p))
			break;
		/* the previous batch's answers, while the server runs this one */
		while (p.nsync > 1 && !p.broken)
			pipe_read(&p);
	}
	if (!p.err && !p.broken)
		pipe_send(&p, "COMMIT", PIPE_HELPER);
	if (!p.broken)
		pipe_sync(&p);
	while (p.head < p.nq && !p.broken)
		pipe_read(&p);
	if (p.broken) {
		/* the connection is gone: nothing more can be read or sent */
		sg_error("the connection to the database failed while "
			 "running the script: %s", PQerrorMessage(p.pg));
		ret = -1;
	} else {
		PQexitPipelineMode(p.pg);
		if (PQtransactionStatus(p.pg) != PQTRANS_IDLE)
			PQclear(sg_pg_exec(p.pg, "ROLLBACK"));
	}
	if (p.err && !p.broken) {
		const char *state = PQresultErrorField(p.err, PG_DIAG_SQLSTATE);

		if (may_split && state && strcmp(state, "53200") == 0) {
			ret = -2;
		} else if (p.err_at == PIPE_HELPER) {
			sg_pg_print_error(p.err, "query failed");
			ret = -1;
		} else {
			const struct sg_stmt *st = &s->v[p.err_at];

			bool in_d = diag_for_stmt(st, p.err, d);

			if (!in_d)
				print_stmt_error(st, p.err, PQerrorMessage(p.pg));
			if (state && strcmp(state, "53200") == 0)
				lock_table_hint(c, d, in_d);
			ret = -1;
		}
	}
	PQclear(p.err);
	free(p.q);
	return ret;
}

int runner_exec_script(struct sg_conn *c, const struct sg_script *s,
		       struct sg_diags *d)
{
	size_t step, from = 0;

	/* CREATE INDEX CONCURRENTLY and the like (replayed migrations) cannot
	 * run in the script's transaction: then the script runs in autocommit */
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].no_transaction)
			return exec_autocommit(c, s, d);
	/*
	 * One transaction, unless the server's lock table cannot hold the
	 * locks of all the objects it creates (out of shared memory, 53200:
	 * a model of many thousand tables on a server with the default
	 * max_locks_per_transaction): then it runs again in steps, each its
	 * own transaction, halved until they fit.  A scratch database is
	 * dropped after use, so steps committed before a failure do no harm.
	 */
	step = s->n;
	while (from < s->n) {
		size_t n = s->n - from < step ? s->n - from : step;
		int rc = exec_pipeline(c, s, from, from + n, n > 1, d);

		if (rc == -2) {
			step = n / 2;
			sg_verbose("the server's lock table is full: running the "
				   "script in steps of %zu statements", step);
			continue;
		}
		if (rc < 0)
			return -1;
		from += n;
	}
	return 0;
}
