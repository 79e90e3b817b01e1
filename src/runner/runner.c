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
 *
 * Here: the run, bookkeeping statements, failures, timeouts and the entry
 * points; the version and history tables and the database's state are in
 * history.c, the lock in lock.c, revisions outside a transaction in
 * steps.c, --sql in offline.c, generated scripts in generated.c; what
 * they share in runner-priv.h.
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
#include "runner-priv.h"

static const struct sg_runner_opts no_opts;

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
void rn_revision_applied(struct run *r, const struct sg_revision *rev,
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

void rn_run_init(struct run *r, struct sg_arena *a, struct sg_conn *c,
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

double rn_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

const char *rn_join(struct sg_arena *a, const char *const *v, size_t n,
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
const char *rn_duration_text(struct sg_arena *a, long ms)
{
	if (ms % 60000 == 0 && ms >= 60000)
		return sg_printf(a, "%ld min", ms / 60000);
	if (ms % 1000 == 0)
		return sg_printf(a, "%ld s", ms / 1000);
	return sg_printf(a, "%.3g s", (double)ms / 1000.0);
}

int rn_str_cmp(const void *a, const void *b)
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

struct sg_revision *rn_find_rev(const struct sg_revgraph *g, const char *id)
{
	for (size_t i = 0; g && i < g->n; i++)
		if (strcmp(g->revs[i]->id, id) == 0)
			return g->revs[i];
	return NULL;
}

/* Byte offset of the n-th (0-based) character of s (UTF-8). */
size_t rn_char_to_byte(const char *s, size_t nchars)
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

/* ---- bookkeeping statements ---- */

void rn_add_stmt(struct run *r, struct stmts *s, struct sbuf *sb)
{
	SG_VEC_PUSH(r->a, s, sbuf_to_arena(sb, r->a));
	sbuf_reset(sb);
}

/*
 * The statements that take the version table from heads `from` to `to`:
 * an UPDATE for each removed head paired with an added one, then DELETEs
 * and INSERTs for the rest (Alembic's shape).
 */
void rn_version_moves(struct run *r, struct stmts *out,
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
		rn_add_stmt(r, out, &sb);
	}
	for (size_t k = i; k < gone.n; k++) {
		sbuf_addf(&sb, "DELETE FROM %s WHERE version_num = ", r->vt);
		sg_quote_literal(&sb, gone.v[k]);
		sbuf_addch(&sb, ';');
		rn_add_stmt(r, out, &sb);
	}
	for (size_t k = i; k < added.n; k++) {
		sbuf_addf(&sb, "INSERT INTO %s (version_num) VALUES (", r->vt);
		sg_quote_literal(&sb, added.v[k]);
		sbuf_adds(&sb, ");");
		rn_add_stmt(r, out, &sb);
	}
	sbuf_release(&sb);
}

/* A history row; duration < 0 leaves it NULL (--sql). */
void rn_history_row(struct run *r, struct stmts *out, const char *rev,
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
	rn_add_stmt(r, out, &sb);
	sbuf_release(&sb);
}

/*
 * Runs bookkeeping statements inside the open transaction.  An UPDATE or
 * DELETE that matches no row means someone changed the version table
 * behind the lock's back: stop rather than record a wrong state.
 */
int rn_run_bookkeeping(struct run *r, const struct stmts *s)
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
	struct sg_loc loc = { .file = sg_file_id(st->file), .line = st->line, .col = st->col };
	const char *pos = res ? PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION) : NULL;

	if (pos && loc.line > 0) {
		long p = strtol(pos, NULL, 10);

		if (p > 0)
			loc = sg_loc_at(loc, st->sql, rn_char_to_byte(st->sql, (size_t)p - 1));
	}
	return loc;
}

/*
 * "file:line:col: error: message" and the server's fields.  Statements
 * without a file (generated scripts) get "schemagen: error:".
 */
void rn_print_stmt_error(const struct sg_stmt *st, const PGresult *res,
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
			dg.loc.file = 0;
		sg_diag_keep(&dg);
	}
	if (loc.file && loc.line > 0)
		sg_eprintf("%s:%d:%d: error: %s\n", sg_loc_file(loc), loc.line, loc.col, msg);
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

bool rn_res_ok(const PGresult *res)
{
	ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;

	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ||
	       st == PGRES_EMPTY_QUERY;
}

/* ---- applying a revision ---- */

void rn_rollback(struct run *r)
{
	PGresult *res = sg_pg_exec(sg_conn_pg(r->c), "ROLLBACK");

	PQclear(res);
}

const char *rn_ran_text(struct sg_arena *a, size_t k)
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
size_t rn_leading_enum_values(const struct sg_script *s)
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

const char *rn_statement_timeout_of(struct run *r,
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
	rn_add_stmt(r, out, &sb);
	sbuf_release(&sb);
	*cur = want;
}

/*
 * The SET LOCAL statements that give the open transaction rev's timeouts.
 * Only changes are set: in a single transaction for the whole run, a
 * revision without a value of its own goes back to the run's, or to the
 * session's (TO DEFAULT) when an earlier revision had one.
 */
void rn_tx_timeouts(struct run *r, const struct sg_revision *rev,
		    struct stmts *out)
{
	set_one(r, out, "lock_timeout", lock_timeout_of(r, rev), &r->set_lock);
	set_one(r, out, "statement_timeout", rn_statement_timeout_of(r, rev),
		&r->set_stmt);
}

/* A new transaction starts with the session's timeouts. */
void rn_tx_begun(struct run *r)
{
	r->set_lock = NULL;
	r->set_stmt = NULL;
}

/* SET (before) or RESET (after) around a revision outside a transaction. */
void rn_session_timeouts(struct run *r, const struct sg_revision *rev,
			 bool reset, struct stmts *out)
{
	const char *names[] = { "lock_timeout", "statement_timeout" };
	const char *vals[] = { lock_timeout_of(r, rev), rn_statement_timeout_of(r, rev) };
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
		rn_add_stmt(r, out, &sb);
	}
	sbuf_release(&sb);
}

int rn_exec_all(struct run *r, const struct stmts *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (sg_conn_exec(r->c, s->v[i]) < 0)
			return -1;
	return 0;
}

/* After a statement ran out of time: which limit, and where it came from. */
void rn_timeout_note(struct run *r, const struct sg_revision *rev,
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
		val = rn_statement_timeout_of(r, rev);
		from = rev->statement_timeout ? "the revision's `-- statement-timeout:`"
			: "--statement-timeout or statement_timeout in schemagen.yaml";
	} else {
		return;
	}
	if (val)
		sg_eprintf("  note: %s was %s (from %s)\n", name, val, from);
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

	rn_run_init(&r, a, c, g, o);
	if (r.sql) {
		ret = rn_sql_mode(&r, target, up);
		goto out;
	}
	if (target && strchr(target, ':')) {
		sg_error("a range like '%s' is only for --sql", target);
		goto out;
	}
	rn_session_setup(&r);
	if (rn_lock(&r) < 0 || rn_read_state(&r, &st) < 0)
		goto out;
	r.heads = st.heads;
	r.nheads = st.nheads;
	if (rn_resolve_accepts(&r, &st, &acc, &nacc) < 0)
		goto out;
	if (runner_report_problems(&st, g, sg_printf(a, "schemagen %s %s",
						     up ? "upgrade" : "downgrade",
						     target ? target : "")) > 0)
		goto out;
	/*
	 * The plan comes before the tables are created: a target that does
	 * not resolve must leave a database that never saw schemagen as it
	 * was (rn_read_heads() takes a missing version table for base).
	 */
	if (up)
		ret = store_plan_upgrade(a, g, r.heads, r.nheads, target, &plan, &n);
	else
		ret = store_plan_downgrade(a, g, r.heads, r.nheads, target, &plan, &n);
	if (ret < 0)
		goto out;
	ret = -1;
	if (rn_parse_plan(&r, plan, n) < 0)
		goto out;
	if (!up && rn_check_irreversible(&r, plan, n) < 0)
		goto out;
	if (r.single && rn_check_single(&r, plan, n, up) < 0)
		goto out;
	if (rn_check_secrets(&r, plan, n, up) < 0)
		goto out;
	if (rn_ensure_tables(&r) < 0 || rn_record_accepts(&r, acc, nacc) < 0)
		goto out;
	ret = 0;
	r.start = rn_join(a, r.heads, r.nheads, "base");
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
		rn_tx_begun(&r);
	}
	for (size_t i = 0; i < n && ret == 0; i++)
		ret = rn_apply(&r, plan[i], up);
	if (r.single && ret == 0) {
		PGresult *res = sg_pg_exec(sg_conn_pg(c), "COMMIT");

		if (!rn_res_ok(res)) {
			struct sg_stmt commit = { .sql = "COMMIT" };

			rn_print_stmt_error(&commit, res, PQerrorMessage(sg_conn_pg(c)));
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
		rn_unlock(&r);
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
		struct sg_revision *h = rn_find_rev(r->g, cur[i]);
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

	rn_run_init(&r, a, c, g, o);
	if (store_resolve(a, g, target, &revs, &nrevs) < 0)
		goto out;
	/* the heads the target itself stands for get history rows */
	store_heads_of(a, g, revs, nrevs, &mine, &nmine);
	if (r.sql) {
		sbuf_addf(&sb, "DELETE FROM %s;", r.vt);
		rn_add_stmt(&r, &bk, &sb);
		rn_version_moves(&r, &bk, NULL, 0, mine, nmine);
		for (size_t i = 0; i < nmine; i++)
			rn_history_row(&r, &bk, mine[i], "stamp", rn_find_rev(g, mine[i])->checksum, -1);
		if (nmine == 0)
			rn_history_row(&r, &bk, "base", "stamp", NULL, -1);
		fprintf(r.sql, "-- schemagen stamp %s: the version table from scratch\n",
			sg_qc(a, target));
		rn_print_prologue(&r);
		fputs("\nBEGIN;\n", r.sql);
		rn_print_stmts(r.sql, &bk);
		fputs("COMMIT;\n", r.sql);
		rn_print_epilogue(&r);
		ret = 0;
		goto out;
	}
	rn_session_setup(&r);
	if (rn_lock(&r) < 0 || rn_read_heads(&r, &r.heads, &r.nheads) < 0)
		goto out;
	if (!o || !o->purge) {
		for (size_t i = 0; i < r.nheads; i++) {
			if (rn_find_rev(g, r.heads[i]))
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
	if (rn_ensure_tables(&r) < 0)
		goto out;
	if (o && o->purge)
		rn_version_moves(&r, &bk, NULL, 0, to, nto);
	else
		rn_version_moves(&r, &bk, r.heads, r.nheads, to, nto);
	for (size_t i = 0; i < nmine; i++)
		rn_history_row(&r, &bk, mine[i], "stamp", rn_find_rev(g, mine[i])->checksum, -1);
	if (nmine == 0)
		rn_history_row(&r, &bk, "base", "stamp", NULL, -1);
	if (sg_conn_exec(c, "BEGIN") < 0)
		goto out;
	/* --purge: whatever is there, known or not; no row count to check */
	if (o && o->purge)
		sbuf_addf(&sb, "DELETE FROM %s", r.vt);
	if ((sb.len && sg_conn_exec(c, sb.buf) < 0) ||
	    rn_run_bookkeeping(&r, &bk) < 0 || sg_conn_exec(c, "COMMIT") < 0) {
		rn_rollback(&r);
		goto out;
	}
	if (o && o->report) {
		o->report->ran = true;
		report_heads(&r, r.heads, r.nheads, &o->report->from, &o->report->nfrom);
		report_heads(&r, to, nto, &o->report->to, &o->report->nto);
	}
	sg_info("stamped the database at %s (it was at %s)", rn_join(a, to, nto, "base"),
		rn_join(a, r.heads, r.nheads, "base"));
	ret = 0;
out:
	sbuf_release(&sb);
	if (r.locked)
		rn_unlock(&r);
	sg_arena_free(a);
	return ret;
}
