// SPDX-License-Identifier: MIT
/*
 * generated.c - running generated scripts (the models materialised in a scratch
 * database), pipelined, with server errors mapped back to the model files
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
		size_t off = rn_char_to_byte(st->sql, (size_t)strtol(pos, NULL, 10) - 1);

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
		if (!rn_res_ok(res)) {
			if (!res || !diag_for_stmt(st, res, d))
				rn_print_stmt_error(st, res, PQerrorMessage(pg));
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
	if (!rn_res_ok(res) && PQresultStatus(res) != PGRES_PIPELINE_ABORTED &&
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
				rn_print_stmt_error(st, p.err, PQerrorMessage(p.pg));
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
