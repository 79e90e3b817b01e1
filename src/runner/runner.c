// SPDX-License-Identifier: MIT
/*
 * runner.c - applying revisions to a live database: the version and
 * history tables, the advisory lock, one transaction per revision, and
 * errors mapped back to file:line:col; or, with --sql, printing the same
 * SQL for psql instead.
 *
 * Order of a run (upgrade, downgrade, stamp):
 *   1. take a session advisory lock keyed by the version table's name, so
 *      that concurrent runners on one database serialise: the second one
 *      waits (saying who holds the lock), then reads the version table the
 *      first one left and finds nothing left to do;
 *   2. create the version schema and tables when missing (under the lock,
 *      so two first runs cannot race on CREATE TABLE);
 *   3. read the applied heads and ask the store for the plan;
 *   4. per revision: BEGIN, each statement on its own PQexec (so the
 *      failing one is known and its error position maps into it), the
 *      version-table change and the history row, COMMIT;
 *   5. release the lock (also after a failure).
 *
 * A revision whose section holds a statement that cannot run in a
 * transaction block runs statement by statement in autocommit; its
 * version-table change and history row follow in one transaction after the
 * last statement, so a failure part-way leaves the version table where it
 * was, and the report says which statements ran.
 *
 * The version-table statements are built once as text (with quoted
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
};

static void run_init(struct run *r, struct sg_arena *a, struct sg_conn *c,
		     const struct sg_revgraph *g, const struct sg_runner_opts *o)
{
	uint64_t h;

	memset(r, 0, sizeof(*r));
	r->a = a;
	r->c = c;
	r->g = g;
	r->sql = o ? o->sql_out : NULL;
	r->vschema = o && o->version_schema ? o->version_schema : "public";
	r->vtable = o && o->version_table ? o->version_table : "schemagen_version";
	r->htable = o && o->history_table ? o->history_table : "schemagen_history";
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

static void history_table_ddl(struct run *r, struct sbuf *out)
{
	sbuf_addf(out,
		  "CREATE TABLE IF NOT EXISTS %s (\n"
		  "    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
		  "    revision varchar(32) NOT NULL,\n"
		  "    direction text NOT NULL CHECK (direction IN ('upgrade', 'downgrade', 'stamp')),\n"
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
 * Creates what is missing.  CREATE SCHEMA IF NOT EXISTS would still check
 * the CREATE privilege on the database, so the schema is only created when
 * it is not there.
 */
static int ensure_tables(struct run *r)
{
	struct sbuf sb = SBUF_INIT;
	const char *params[] = { r->vschema };
	PGresult *res;
	int e, ret = 0;
	bool schema;

	res = sg_conn_query(r->c, "SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1",
			    1, params);
	if (!res)
		return -1;
	schema = PQntuples(res) == 0;
	PQclear(res);
	if ((e = relation_exists(r, r->vt)) < 0)
		return -1;
	if (!e || schema)
		version_table_ddl(r, &sb, schema);
	if ((e = relation_exists(r, r->ht)) < 0)
		return -1;
	if (!e)
		history_table_ddl(r, &sb);
	if (sb.len) {
		sg_verbose("creating the version table %s", r->vt);
		ret = sg_conn_exec(r->c, sb.buf);
	}
	sbuf_release(&sb);
	return ret;
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
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

/* ---- the lock ---- */

static int lock(struct run *r)
{
	const char *key = sg_printf(r->a, "%lld", r->lock_key);
	const char *params[3] = { key };
	uint64_t u = (uint64_t)r->lock_key;
	PGresult *res;
	bool got;

	res = sg_conn_query(r->c, "SELECT pg_catalog.pg_try_advisory_lock($1::pg_catalog.int8)",
			    1, params);
	if (!res)
		return -1;
	got = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	PQclear(res);
	if (!got) {
		/* a bigint key shows as classid (high half), objid (low half) */
		params[1] = sg_printf(r->a, "%u", (unsigned)(u >> 32));
		params[2] = sg_printf(r->a, "%u", (unsigned)(u & 0xffffffffu));
		res = sg_conn_query(r->c,
			"SELECT a.pid, coalesce(a.application_name, ''),\n"
			"       pg_catalog.date_trunc('second', a.backend_start)\n"
			"FROM pg_catalog.pg_locks l\n"
			"JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid\n"
			"WHERE l.locktype = 'advisory' AND l.granted\n"
			"  AND l.database = (SELECT oid FROM pg_catalog.pg_database\n"
			"                    WHERE datname = pg_catalog.current_database())\n"
			"  AND l.classid = $1::pg_catalog.oid AND l.objid = $2::pg_catalog.oid\n"
			"  AND l.objsubid = 1",
			2, params + 1);
		if (!res)
			return -1;
		if (PQntuples(res) > 0) {
			fflush(stdout);
			fprintf(stderr,
				"schemagen: waiting for the migration lock on %s, held by pid %s (%s, connected since %s)\n",
				r->vt, PQgetvalue(res, 0, 0),
				*PQgetvalue(res, 0, 1) ? PQgetvalue(res, 0, 1) : "no application name",
				PQgetvalue(res, 0, 2));
		} else {
			fflush(stdout);
			fprintf(stderr, "schemagen: waiting for the migration lock on %s\n",
				r->vt);
		}
		PQclear(res);
		res = sg_conn_query(r->c, "SELECT pg_catalog.pg_advisory_lock($1::pg_catalog.int8)",
				    1, params);
		if (!res)
			return -1;
		PQclear(res);
	}
	r->locked = true;
	return 0;
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

static bool contains(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
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
			fprintf(stderr, "  statement: %s\n", s->v[i]);
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

	fputs("  statement: ", stderr);
	while (*p && line < max) {
		size_t n = strcspn(p, "\n");

		if (line)
			fputs("             ", stderr);
		fprintf(stderr, "%.*s\n", (int)n, p);
		p += n;
		if (*p == '\n')
			p++;
		line++;
	}
	if (*p)
		fputs("             ...\n", stderr);
}

static void print_field(const char *label, const char *value)
{
	const char *p = value;

	if (!value)
		return;
	fprintf(stderr, "  %s: ", label);
	while (*p) {
		size_t n = strcspn(p, "\n");

		fprintf(stderr, "%.*s\n", (int)n, p);
		p += n;
		if (*p == '\n' && *++p)
			fprintf(stderr, "    ");
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
	fflush(stdout);
	if (loc.file && loc.line > 0)
		fprintf(stderr, "%s:%d:%d: error: %s\n", loc.file, loc.line, loc.col, msg);
	else
		fprintf(stderr, "schemagen: error: %s\n", msg);
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
	PGresult *res = PQexec(sg_conn_pg(r->c), "ROLLBACK");

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
 * safe.
 */
static size_t leading_enum_values(const struct sg_script *s)
{
	size_t k = 0;

	while (k < s->n && (sg_sql_classify(s->v[k].sql) & SG_SQL_ENUM_ADD_VALUE))
		k++;
	return k < s->n ? k : 0;
}

static int apply(struct run *r, const struct sg_revision *rev, bool up)
{
	const struct sg_script *s = up ? &rev->up : &rev->down;
	bool no_tx = up ? rev->up_no_transaction : rev->down_no_transaction;
	const char *dir = up ? "upgrade" : "downgrade";
	PGconn *pg = sg_conn_pg(r->c);
	const char **after;
	size_t nafter;
	struct stmts bk = { 0 };
	double t0 = now_ms();
	long long ms;

	size_t lead = no_tx ? 0 : leading_enum_values(s);

	store_heads_after(r->a, r->g, r->heads, r->nheads, rev, up, &after, &nafter);
	if (!no_tx && sg_conn_exec(r->c, "BEGIN") < 0)
		return -1;
	for (size_t i = 0; i < s->n; i++) {
		PGresult *res;

		if (lead && i == lead &&
		    (sg_conn_exec(r->c, "COMMIT") < 0 || sg_conn_exec(r->c, "BEGIN") < 0))
			return -1;
		res = PQexec(pg, s->v[i].sql);
		if (res_ok(res)) {
			PQclear(res);
			continue;
		}
		print_stmt_error(&s->v[i], res, PQerrorMessage(pg));
		PQclear(res);
		if (!no_tx) {
			rollback(r);
			fprintf(stderr, "revision %s (%s) was rolled back; the database is still at %s\n",
				rev->id, rev->message, join(r->a, r->heads, r->nheads, "base"));
			if (lead && i >= lead)
				fprintf(stderr, "  note: the enum values its first %zu statement%s added "
					"were committed first and stay (ADD VALUE IF NOT EXISTS makes "
					"a rerun safe)\n", lead, lead == 1 ? "" : "s");
		} else if (i == 0) {
			fprintf(stderr, "revision %s (%s) runs outside a transaction; its first statement failed, so nothing of it was applied; the database is still at %s\n",
				rev->id, rev->message, join(r->a, r->heads, r->nheads, "base"));
		} else {
			fprintf(stderr, "revision %s (%s) runs outside a transaction: %s of %zu ran and stay%s applied, statement %zu failed; the version table still says %s\n",
				rev->id, rev->message, ran_text(r->a, i), s->n,
				i == 1 ? "s" : "", i + 1,
				join(r->a, r->heads, r->nheads, "base"));
			fprintf(stderr, "  hint: finish or undo the statements that ran by hand, then run the command again\n");
		}
		return -1;
	}
	ms = (long long)(now_ms() - t0 + 0.5);
	version_moves(r, &bk, r->heads, r->nheads, after, nafter);
	history_row(r, &bk, rev->id, dir, rev->checksum, ms);
	if (no_tx && sg_conn_exec(r->c, "BEGIN") < 0)
		return -1;
	if (run_bookkeeping(r, &bk) < 0) {
		rollback(r);
		return -1;
	}
	{
		PGresult *res = PQexec(pg, "COMMIT");

		if (!res_ok(res)) {
			struct sg_stmt commit = { .sql = "COMMIT", .file = rev->path };

			print_stmt_error(&commit, res, PQerrorMessage(pg));
			PQclear(res);
			fprintf(stderr, "revision %s (%s) was rolled back; the database is still at %s\n",
				rev->id, rev->message, join(r->a, r->heads, r->nheads, "base"));
			return -1;
		}
		PQclear(res);
	}
	r->heads = after;
	r->nheads = nafter;
	sg_info("%s %s (%s): %zu statement%s, %lld ms", dir, rev->id, rev->message,
		s->n, s->n == 1 ? "" : "s", ms);
	return 0;
}

/*
 * Warns about applied revisions whose file changed since: the recorded
 * checksum of its last upgrade (or stamp) differs from the file's.
 */
static void check_checksums(struct run *r)
{
	struct sg_revision **applied;
	size_t napplied;
	struct sbuf sql = SBUF_INIT;
	PGresult *res;

	if (relation_exists(r, r->ht) <= 0)
		return;
	if (store_plan_downgrade(r->a, r->g, r->heads, r->nheads, "base",
				 &applied, &napplied) < 0)
		return;
	sbuf_addf(&sql,
		  "SELECT DISTINCT ON (revision) revision, checksum FROM %s\n"
		  "WHERE direction IN ('upgrade', 'stamp') AND checksum IS NOT NULL\n"
		  "ORDER BY revision, id DESC", r->ht);
	res = sg_conn_query(r->c, sql.buf, 0, NULL);
	sbuf_release(&sql);
	if (!res)
		return;
	for (int i = 0; i < PQntuples(res); i++) {
		const char *id = PQgetvalue(res, i, 0);

		for (size_t k = 0; k < napplied; k++) {
			if (strcmp(applied[k]->id, id) != 0 ||
			    strcmp(applied[k]->checksum, PQgetvalue(res, i, 1)) == 0)
				continue;
			sg_warning("%s: revision %s was changed after it was applied (its checksum differs from the recorded one)",
				   applied[k]->path, id);
		}
	}
	PQclear(res);
}

/* ---- --sql ---- */

static void print_sql_stmt(FILE *f, const struct sg_stmt *st)
{
	size_t n = strlen(st->sql);

	if (st->warning)
		fprintf(f, "-- WARNING: %s\n", st->warning);
	fputs(st->sql, f);
	if (!n || st->sql[n - 1] != '\n')
		fputc('\n', f);
}

/*
 * Prints what the runner would do from `from` (heads) along plan, as SQL
 * that psql runs with the same result: per revision BEGIN, statements,
 * version-table moves and history row, COMMIT.
 */
static void print_plan(struct run *r, const char *verb, const char *target,
		       struct sg_revision **plan, size_t n, bool up)
{
	FILE *f = r->sql;
	struct sbuf sb = SBUF_INIT;

	fprintf(f, "-- schemagen %s %s: from %s, %zu revision%s\n", verb, target,
		join(r->a, r->heads, r->nheads, "base"), n, n == 1 ? "" : "s");
	fprintf(f, "-- run with: psql -v ON_ERROR_STOP=1 -f FILE\n\n");
	version_table_ddl(r, &sb, strcmp(r->vschema, "public") != 0);
	history_table_ddl(r, &sb);
	fputs(sb.buf, f);
	sbuf_release(&sb);
	for (size_t i = 0; i < n; i++) {
		const struct sg_revision *rev = plan[i];
		const struct sg_script *s = up ? &rev->up : &rev->down;
		bool no_tx = up ? rev->up_no_transaction : rev->down_no_transaction;
		struct stmts bk = { 0 };
		const char **after;
		size_t nafter;

		store_heads_after(r->a, r->g, r->heads, r->nheads, rev, up, &after, &nafter);
		version_moves(r, &bk, r->heads, r->nheads, after, nafter);
		history_row(r, &bk, rev->id, up ? "upgrade" : "downgrade",
			    rev->checksum, -1);
		fprintf(f, "\n-- %s %s (%s)\n", up ? "upgrade" : "downgrade", rev->id,
			rev->message);
		size_t lead = no_tx ? 0 : leading_enum_values(s);

		if (no_tx)
			fputs("-- runs outside a transaction\n", f);
		else
			fputs("BEGIN;\n", f);
		for (size_t k = 0; k < s->n; k++) {
			if (lead && k == lead)
				fputs("-- new enum values must be committed before they are used\n"
				      "COMMIT;\nBEGIN;\n", f);
			print_sql_stmt(f, &s->v[k]);
		}
		if (no_tx)
			fputs("BEGIN;\n", f);
		for (size_t k = 0; k < bk.n; k++)
			fprintf(f, "%s\n", bk.v[k]);
		fputs("COMMIT;\n", f);
		r->heads = after;
		r->nheads = nafter;
	}
	fflush(f);
}

/*
 * --sql: "FROM:TO" starts from FROM's heads; otherwise upgrades start at
 * base and downgrades at the graph's heads.
 */
static int sql_mode(struct run *r, const char *target, bool up)
{
	const char *colon = target ? strchr(target, ':') : NULL;
	const char *to = target;
	struct sg_revision **plan;
	size_t n;
	int ret;

	if (colon) {
		const char *from = sg_strndup(r->a, target, (size_t)(colon - target));
		struct sg_revision **v;
		size_t nv;

		to = colon + 1;
		if (store_resolve(r->a, r->g, from, &v, &nv) < 0)
			return -1;
		store_heads_of(r->a, r->g, v, nv, &r->heads, &r->nheads);
	} else if (!up) {
		store_heads_of(r->a, r->g, r->g->heads, r->g->nheads,
			       &r->heads, &r->nheads);
	}
	if (up)
		ret = store_plan_upgrade(r->a, r->g, r->heads, r->nheads, to, &plan, &n);
	else
		ret = store_plan_downgrade(r->a, r->g, r->heads, r->nheads, to, &plan, &n);
	if (ret < 0)
		return -1;
	print_plan(r, up ? "upgrade" : "downgrade", target, plan, n, up);
	return 0;
}

/* ---- entry points ---- */

static int migrate(struct sg_conn *c, const struct sg_revgraph *g,
		   const char *target, const struct sg_runner_opts *o, bool up)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_revision **plan;
	size_t n;
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
	/*
	 * The plan comes before the tables are created: a target that does
	 * not resolve must leave a database that never saw schemagen as it
	 * was (read_heads() takes a missing version table for base).
	 */
	if (lock(&r) < 0 || read_heads(&r, &r.heads, &r.nheads) < 0)
		goto out;
	if (up)
		ret = store_plan_upgrade(a, g, r.heads, r.nheads, target, &plan, &n);
	else
		ret = store_plan_downgrade(a, g, r.heads, r.nheads, target, &plan, &n);
	if (ret < 0)
		goto out;
	if ((ret = ensure_tables(&r)) < 0)
		goto out;
	check_checksums(&r);
	if (n == 0)
		sg_info("nothing to do: the database is already at %s",
			join(a, r.heads, r.nheads, "base"));
	for (size_t i = 0; i < n && ret == 0; i++)
		ret = apply(&r, plan[i], up);
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

int runner_stamp(struct sg_conn *c, const struct sg_revgraph *g,
		 const char *target, const struct sg_runner_opts *o)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_revision **revs;
	size_t nrevs, nto;
	const char **to;
	struct stmts bk = { 0 };
	struct sbuf sb = SBUF_INIT;
	struct run r;
	int ret = -1;

	run_init(&r, a, c, g, o);
	if (store_resolve(a, g, target, &revs, &nrevs) < 0)
		goto out;
	store_heads_of(a, g, revs, nrevs, &to, &nto);
	sbuf_addf(&sb, "DELETE FROM %s;", r.vt);
	add_stmt(&r, &bk, &sb);
	version_moves(&r, &bk, NULL, 0, to, nto);
	for (size_t i = 0; i < nto; i++) {
		const struct sg_revision *rev = store_lookup(g, to[i]);

		history_row(&r, &bk, to[i], "stamp", rev ? rev->checksum : NULL, -1);
	}
	if (nto == 0)
		history_row(&r, &bk, "base", "stamp", NULL, -1);
	if (r.sql) {
		fprintf(r.sql, "-- schemagen stamp %s\n", target);
		fprintf(r.sql, "-- run with: psql -v ON_ERROR_STOP=1 -f FILE\n\n");
		version_table_ddl(&r, &sb, strcmp(r.vschema, "public") != 0);
		history_table_ddl(&r, &sb);
		fputs(sb.buf, r.sql);
		fputs("\nBEGIN;\n", r.sql);
		for (size_t i = 0; i < bk.n; i++)
			fprintf(r.sql, "%s\n", bk.v[i]);
		fputs("COMMIT;\n", r.sql);
		fflush(r.sql);
		ret = 0;
		goto out;
	}
	if (lock(&r) < 0 || ensure_tables(&r) < 0 ||
	    read_heads(&r, &r.heads, &r.nheads) < 0)
		goto out;
	if (sg_conn_exec(c, "BEGIN") < 0)
		goto out;
	/* the DELETE purges whatever is there: no row count to check */
	for (size_t i = 0; i < bk.n; i++) {
		if (sg_conn_exec(c, bk.v[i]) < 0) {
			rollback(&r);
			goto out;
		}
	}
	if (sg_conn_exec(c, "COMMIT") < 0)
		goto out;
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
	return true;
}

int runner_exec_script(struct sg_conn *c, const struct sg_script *s,
		       struct sg_diags *d)
{
	PGconn *pg = sg_conn_pg(c);
	struct sg_arena *a = sg_arena_new();
	const char *cur = NULL;
	bool no_tx = false;
	int ret = 0;

	/* CREATE INDEX CONCURRENTLY and the like (replayed migrations) cannot
	 * run in the script's transaction: then the script runs in autocommit */
	for (size_t i = 0; i < s->n; i++)
		no_tx = no_tx || s->v[i].no_transaction;
	if (!no_tx && sg_conn_exec(c, "BEGIN") < 0) {
		sg_arena_free(a);
		return -1;
	}
	for (size_t i = 0; i < s->n && ret == 0; i++) {
		const struct sg_stmt *st = &s->v[i];
		const char *schema = st->origin ? st->origin->schema : NULL;
		PGresult *res;

		if (schema && !sg_streq(schema, cur)) {
			struct sbuf path = SBUF_INIT, sql = SBUF_INIT;

			sg_quote_ident(&path, schema);
			if (strcmp(schema, "public") != 0)
				sbuf_adds(&path, ", public");
			sbuf_adds(&sql, "SELECT pg_catalog.set_config('search_path', ");
			sg_quote_literal(&sql, path.buf);
			sbuf_addf(&sql, ", %s)", no_tx ? "false" : "true");
			ret = sg_conn_exec(c, sql.buf);
			sbuf_release(&path);
			sbuf_release(&sql);
			cur = schema;
			if (ret < 0)
				break;
		}
		res = PQexec(pg, st->sql);
		if (!res_ok(res)) {
			if (!res || !diag_for_stmt(st, res, d))
				print_stmt_error(st, res, PQerrorMessage(pg));
			ret = -1;
		}
		PQclear(res);
	}
	if (!no_tx) {
		if (ret < 0)
			PQclear(PQexec(pg, "ROLLBACK"));
		else
			ret = sg_conn_exec(c, "COMMIT");
	} else if (cur) {
		sg_conn_exec(c, "RESET search_path");
	}
	sg_arena_free(a);
	return ret;
}
