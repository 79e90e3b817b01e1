// SPDX-License-Identifier: MIT
/*
 * steps.c - revisions outside a transaction: statement by statement, the steps
 * table that lets a run resume, online plans and their lock_timeout retries
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
/*
 * Runs a statement of a migration.  The placeholders '$env:NAME' of a
 * foreign data statement's secrets (sg_sql_secrets()) become the values of
 * their environment variables here and only here: the text with the
 * values goes to the server, is wiped after, and is never printed (a
 * failing statement is reported as written).  rn_check_secrets() made sure
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

void rn_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0)
		;
}

const char *rn_online_lock_timeout(struct run *r, const struct sg_revision *rev)
{
	if (rev->lock_timeout)
		return rev->lock_timeout;
	return r->o->online_lock_timeout ? r->o->online_lock_timeout : "2s";
}

int rn_online_retries(struct run *r)
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
int rn_run_step(struct run *r, const struct sg_revision *rev, const char *dir,
		const struct sg_script *s, size_t i, char state, PGresult **failed)
{
	const struct sg_stmt *st = &s->v[i];
	PGconn *pg = sg_conn_pg(r->c);
	struct sg_sql_cindex ci;
	bool concurrent = st->no_transaction &&
			  sg_sql_concurrent_index(r->a, st->sql, &ci) == 1;
	int retries = rev->online ? rn_online_retries(r) : 0;
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
			if (rn_res_ok(res)) {
				PQclear(res);
				return sg_conn_exec(r->c, step_row(r, rev, dir, i + 1, sha, "done"));
			}
		} else if (st->no_transaction) {
			/* VACUUM and the like: run again if interrupted */
			res = exec_stmt(r, pg, st->sql);
			if (rn_res_ok(res)) {
				PQclear(res);
				return sg_conn_exec(r->c, step_row(r, rev, dir, i + 1, sha, "done"));
			}
		} else {
			if (sg_conn_exec(r->c, "BEGIN") < 0)
				return -1;
			if (rev->online) {
				struct sbuf sb = SBUF_INIT;

				sbuf_adds(&sb, "SET LOCAL lock_timeout = ");
				sg_quote_literal(&sb, rn_online_lock_timeout(r, rev));
				res = sg_pg_exec(pg, sb.buf);
				sbuf_release(&sb);
				if (!rn_res_ok(res)) {
					sg_pg_print_error(res, "setting lock_timeout");
					PQclear(res);
					rn_rollback(r);
					return -1;
				}
				PQclear(res);
			}
			res = exec_stmt(r, pg, st->sql);
			if (rn_res_ok(res)) {
				PQclear(res);
				if (sg_conn_exec(r->c, step_row(r, rev, dir, i + 1, sha, "done")) < 0 ||
				    sg_conn_exec(r->c, "COMMIT") < 0) {
					rn_rollback(r);
					return -1;
				}
				return 0;
			}
			rn_rollback(r);
		}
		if (!is_lock_timeout(res) || attempt >= retries) {
			*failed = res;
			return -1;
		}
		PQclear(res);
		sg_eprintf("%s:%d:%d: statement %zu of revision %s waited longer than lock_timeout (%s): trying again in %ld ms (retry %d of %d)\n",
			st->file, st->line, st->col, i + 1, rev->id,
			concurrent ? "the server's" : rn_online_lock_timeout(r, rev),
			backoff, attempt + 1, retries);
		rn_sleep_ms(backoff);
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
	double t0 = rn_now_ms();
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
		if (rn_statement_timeout_of(r, rev)) {
			sbuf_adds(&sb, "SET statement_timeout = ");
			sg_quote_literal(&sb, rn_statement_timeout_of(r, rev));
			rn_add_stmt(r, &sets, &sb);
			sbuf_adds(&sb, "RESET statement_timeout");
			rn_add_stmt(r, &resets, &sb);
		}
	} else {
		rn_session_timeouts(r, rev, false, &sets);
		rn_session_timeouts(r, rev, true, &resets);
	}
	sbuf_release(&sb);
	if (rn_exec_all(r, &sets) < 0)
		return -1;
	for (size_t i = 0; i < s->n; i++) {
		PGresult *res;

		if (state[i] == 'd')
			continue;
		if (rn_run_step(r, rev, dir, s, i, state[i], &res) == 0) {
			state[i] = 'd';
			continue;
		}
		if (res) {
			rn_print_stmt_error(&s->v[i], res, PQerrorMessage(pg));
			if (is_lock_timeout(res) && rev->online)
				sg_eprintf("  note: each statement of an online revision waits at most %s for a lock (online_lock_timeout in schemagen.yaml, or the revision's `-- lock-timeout:`), and is tried %d more time%s\n",
					rn_online_lock_timeout(r, rev), rn_online_retries(r),
					rn_online_retries(r) == 1 ? "" : "s");
			else
				rn_timeout_note(r, rev, res);
			PQclear(res);
		}
		ndone = 0;
		for (size_t k = 0; k < s->n; k++)
			if (state[k] == 'd')
				ndone++;
		if (ndone == 0)
			sg_eprintf("revision %s (%s) runs outside a transaction; its first statement failed, so nothing of it was applied; the database is still at %s\n",
				rev->id, sg_qt(r->a, rev->message), rn_join(r->a, r->heads, r->nheads, "base"));
		else
			sg_eprintf("revision %s (%s) runs outside a transaction: %s of %zu ran and stay%s applied, statement %zu failed; the version table still says %s\n"
				"  hint: the statements that ran are recorded: fix the cause and run the command again, it resumes at statement %zu\n",
				rev->id, sg_qt(r->a, rev->message), rn_ran_text(r->a, i), s->n,
				i == 1 ? "s" : "", i + 1,
				rn_join(r->a, r->heads, r->nheads, "base"), i + 1);
		for (size_t k = 0; k < resets.n; k++)
			PQclear(sg_pg_exec(pg, resets.v[k]));
		return -1;
	}
	ms = (long long)(rn_now_ms() - t0 + 0.5);
	rn_version_moves(r, &bk, r->heads, r->nheads, after, nafter);
	rn_history_row(r, &bk, rev->id, dir, rev->checksum, ms);
	if (rn_exec_all(r, &resets) < 0 || sg_conn_exec(r->c, "BEGIN") < 0)
		return -1;
	if (rn_run_bookkeeping(r, &bk) < 0)
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
	rn_revision_applied(r, rev, dir, s->n, ms, after, nafter);
	return 0;
failed:
	rn_rollback(r);
	sg_eprintf("revision %s (%s): its statements ran, but recording it failed; run the command again to record it\n",
		rev->id, sg_qt(r->a, rev->message));
	return -1;
}

int rn_apply(struct run *r, const struct sg_revision *rev, bool up)
{
	const struct sg_script *s = up ? &rev->up : &rev->down;
	bool no_tx = up ? rev->up_no_transaction : rev->down_no_transaction;
	const char *dir = up ? "upgrade" : "downgrade";
	PGconn *pg = sg_conn_pg(r->c);
	const char **after;
	size_t nafter;
	struct stmts bk = { 0 }, sets = { 0 }, resets = { 0 };
	double t0 = rn_now_ms();
	long long ms;
	size_t lead = no_tx || r->single ? 0 : rn_leading_enum_values(s);

	/* (with single, rn_check_single() refused a revision outside one
	 * before anything ran: no_tx is false below) */
	if (no_tx && !r->single)
		return apply_steps(r, rev, up);
	store_heads_after(r->a, r->g, r->heads, r->nheads, rev, up, &after, &nafter);
	if (no_tx) {
		rn_session_timeouts(r, rev, false, &sets);
		rn_session_timeouts(r, rev, true, &resets);
	} else {
		if (!r->single) {
			if (sg_conn_exec(r->c, "BEGIN") < 0)
				return -1;
			rn_tx_begun(r);
		}
		rn_tx_timeouts(r, rev, &sets);
	}
	if (rn_exec_all(r, &sets) < 0)
		goto control_failed;
	for (size_t i = 0; i < s->n; i++) {
		PGresult *res;

		if (lead && i == lead) {
			struct stmts again = { 0 };

			if (sg_conn_exec(r->c, "COMMIT") < 0 || sg_conn_exec(r->c, "BEGIN") < 0)
				goto control_failed;
			rn_tx_begun(r);
			rn_tx_timeouts(r, rev, &again);
			if (rn_exec_all(r, &again) < 0)
				goto control_failed;
		}
		res = exec_stmt(r, pg, s->v[i].sql);
		if (rn_res_ok(res)) {
			PQclear(res);
			continue;
		}
		rn_print_stmt_error(&s->v[i], res, PQerrorMessage(pg));
		rn_timeout_note(r, rev, res);
		if (r->single && res && sg_streq(PQresultErrorField(res, PG_DIAG_SQLSTATE), "55P04"))
			sg_eprintf("  note: in a single transaction for the whole run, new enum values cannot be used by later statements: run without --single-transaction\n");
		PQclear(res);
		if (r->single) {
			rn_rollback(r);
			sg_eprintf("revision %s (%s) failed, so the whole run was rolled back (one transaction); the database is still at %s\n",
				rev->id, sg_qt(r->a, rev->message), r->start);
		} else if (!no_tx) {
			rn_rollback(r);
			sg_eprintf("revision %s (%s) was rolled back; the database is still at %s\n",
				rev->id, sg_qt(r->a, rev->message), rn_join(r->a, r->heads, r->nheads, "base"));
			if (lead && i >= lead)
				sg_eprintf("  note: the enum values its first %zu statement%s added "
					"were committed first and stay (ADD VALUE IF NOT EXISTS makes "
					"a rerun safe)\n", lead, lead == 1 ? "" : "s");
		} else if (i == 0) {
			sg_eprintf("revision %s (%s) runs outside a transaction; its first statement failed, so nothing of it was applied; the database is still at %s\n",
				rev->id, sg_qt(r->a, rev->message), rn_join(r->a, r->heads, r->nheads, "base"));
		} else {
			sg_eprintf("revision %s (%s) runs outside a transaction: %s of %zu ran and stay%s applied, statement %zu failed; the version table still says %s\n",
				rev->id, sg_qt(r->a, rev->message), rn_ran_text(r->a, i), s->n,
				i == 1 ? "s" : "", i + 1,
				rn_join(r->a, r->heads, r->nheads, "base"));
			sg_eprintf("  hint: finish or undo the statements that ran by hand, then run the command again\n");
		}
		if (no_tx) {
			/* best effort: the session's timeouts as they were */
			for (size_t k = 0; k < resets.n; k++)
				PQclear(sg_pg_exec(pg, resets.v[k]));
		}
		return -1;
	}
	ms = (long long)(rn_now_ms() - t0 + 0.5);
	rn_version_moves(r, &bk, r->heads, r->nheads, after, nafter);
	rn_history_row(r, &bk, rev->id, dir, rev->checksum, ms);
	if (no_tx && (rn_exec_all(r, &resets) < 0 || sg_conn_exec(r->c, "BEGIN") < 0))
		return -1;
	if (rn_run_bookkeeping(r, &bk) < 0)
		goto control_failed;
	if (!r->single) {
		PGresult *res = sg_pg_exec(pg, "COMMIT");

		if (!rn_res_ok(res)) {
			struct sg_stmt commit = { .sql = "COMMIT", .file = rev->path };

			rn_print_stmt_error(&commit, res, PQerrorMessage(pg));
			PQclear(res);
			sg_eprintf("revision %s (%s) was rolled back; the database is still at %s\n",
				rev->id, sg_qt(r->a, rev->message), rn_join(r->a, r->heads, r->nheads, "base"));
			return -1;
		}
		PQclear(res);
	}
	rn_revision_applied(r, rev, dir, s->n, ms, after, nafter);
	return 0;

control_failed:
	rn_rollback(r);
	if (r->single)
		sg_eprintf("the whole run was rolled back (one transaction); the database is still at %s\n",
			r->start);
	else if (!no_tx)
		sg_eprintf("revision %s (%s) was rolled back; the database is still at %s\n",
			rev->id, sg_qt(r->a, rev->message), rn_join(r->a, r->heads, r->nheads, "base"));
	return -1;
}

/*
 * A single transaction cannot hold a revision that must run outside one:
 * say which and why, before anything runs.
 */
int rn_check_single(struct run *r, struct sg_revision **plan, size_t n,
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
int rn_check_secrets(struct run *r, struct sg_revision **plan, size_t n,
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
int rn_resolve_accepts(struct run *r, struct sg_db_state *st,
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

int rn_record_accepts(struct run *r, struct sg_revision **acc, size_t n)
{
	struct stmts bk = { 0 };

	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		rn_history_row(r, &bk, acc[i]->id, "accept", acc[i]->checksum, -1);
	if (sg_conn_exec(r->c, "BEGIN") < 0)
		return -1;
	if (rn_exec_all(r, &bk) < 0 || sg_conn_exec(r->c, "COMMIT") < 0) {
		rn_rollback(r);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		sg_info("accepted the changed file of revision %s (%s): its new checksum is recorded",
			acc[i]->id, acc[i]->path);
	return 0;
}
