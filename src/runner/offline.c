// SPDX-License-Identifier: MIT
/*
 * offline.c - --sql: the statements of a run printed for psql instead of run
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

void rn_print_stmts(FILE *f, const struct stmts *s)
{
	for (size_t i = 0; i < s->n; i++)
		fprintf(f, "%s\n", s->v[i]);
}

void rn_print_prologue(struct run *r)
{
	struct sbuf sb = SBUF_INIT;

	fprintf(r->sql, "-- run with: psql -v ON_ERROR_STOP=1 -f FILE\n\n");
	fprintf(r->sql, "-- the migration lock (schemagen runners wait for it)\n"
		"SELECT pg_catalog.pg_advisory_lock(%lld);\n", r->lock_key);
	rn_version_table_ddl(r, &sb, strcmp(r->vschema, "public") != 0);
	rn_history_table_ddl(r, &sb);
	fputs(sb.buf, r->sql);
	sbuf_release(&sb);
}

void rn_print_epilogue(struct run *r)
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
	const char *st_to = rn_statement_timeout_of(r, rev);

	fprintf(f, "-- online: each statement in a transaction of its own, waiting at most "
		"%s for its locks (the runner tries a statement that waited longer "
		"again, %d times; psql stops)\n",
		sg_qc(r->a, rn_online_lock_timeout(r, rev)), rn_online_retries(r));
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
		sg_quote_literal(&sb, rn_online_lock_timeout(r, rev));
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
		sg_qc(r->a, rn_join(r->a, r->heads, r->nheads, "base")), n, n == 1 ? "" : "s",
		r->single ? ", in one transaction" : "");
	rn_print_prologue(r);
	if (r->single) {
		fputs("\nBEGIN;\n", f);
		rn_tx_begun(r);
	}
	for (size_t i = 0; i < n; i++) {
		const struct sg_revision *rev = plan[i];
		const struct sg_script *s = up ? &rev->up : &rev->down;
		bool no_tx = up ? rev->up_no_transaction : rev->down_no_transaction;
		size_t lead = no_tx || r->single ? 0 : rn_leading_enum_values(s);
		struct stmts bk = { 0 }, sets = { 0 };
		const char **after;
		size_t nafter;

		store_heads_after(r->a, r->g, r->heads, r->nheads, rev, up, &after, &nafter);
		rn_version_moves(r, &bk, r->heads, r->nheads, after, nafter);
		rn_history_row(r, &bk, rev->id, up ? "upgrade" : "downgrade",
			    rev->checksum, -1);
		fprintf(f, "\n-- %s %s (%s)\n", up ? "upgrade" : "downgrade", rev->id,
			sg_qc(r->a, rev->message));
		if (no_tx && rev->online) {
			print_online(r, f, rev, s);
			fputs("BEGIN;\n", f);
			rn_print_stmts(f, &bk);
			fputs("COMMIT;\n", f);
		} else if (no_tx) {
			struct stmts resets = { 0 };

			fputs("-- runs outside a transaction\n", f);
			rn_session_timeouts(r, rev, false, &sets);
			rn_session_timeouts(r, rev, true, &resets);
			rn_print_stmts(f, &sets);
			for (size_t k = 0; k < s->n; k++)
				print_sql_stmt(f, &s->v[k]);
			rn_print_stmts(f, &resets);
			fputs("BEGIN;\n", f);
			rn_print_stmts(f, &bk);
			fputs("COMMIT;\n", f);
		} else {
			if (!r->single) {
				fputs("BEGIN;\n", f);
				rn_tx_begun(r);
			}
			rn_tx_timeouts(r, rev, &sets);
			rn_print_stmts(f, &sets);
			for (size_t k = 0; k < s->n; k++) {
				if (lead && k == lead) {
					struct stmts again = { 0 };

					fputs("-- new enum values must be committed before they are used\n"
					      "COMMIT;\nBEGIN;\n", f);
					rn_tx_begun(r);
					rn_tx_timeouts(r, rev, &again);
					rn_print_stmts(f, &again);
				}
				print_sql_stmt(f, &s->v[k]);
			}
			rn_print_stmts(f, &bk);
			if (!r->single)
				fputs("COMMIT;\n", f);
		}
		r->heads = after;
		r->nheads = nafter;
	}
	if (r->single)
		fputs("\nCOMMIT;\n", f);
	rn_print_epilogue(r);
}

/*
 * The statements of the revisions to run: store_load() read only the
 * headers.  Errors are printed before anything is touched.
 */
int rn_parse_plan(struct run *r, struct sg_revision **plan, size_t n)
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
int rn_check_irreversible(struct run *r, struct sg_revision **plan, size_t n)
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
			struct sg_loc loc = { .file = sg_file_id(st->file), .line = st->line,
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

	if (rn_read_state(r, &st) < 0 || rn_resolve_accepts(r, &st, &acc, &nacc) < 0)
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
int rn_sql_mode(struct run *r, const char *target, bool up)
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
	if (ret < 0 || rn_parse_plan(r, plan, n) < 0)
		return -1;
	if (dry && !up && rn_check_irreversible(r, plan, n) < 0)
		return -1;
	if (r->single && rn_check_single(r, plan, n, up) < 0)
		return -1;
	if (!dry && rn_check_secrets(r, plan, n, up) < 0)
		return -1;
	if (dry && n == 0) {
		sg_note("dry run: nothing to do: the database is already at %s",
			rn_join(r->a, r->heads, r->nheads, "base"));
		return 0;
	}
	if (dry) {
		const char *start = rn_join(r->a, r->heads, r->nheads, "base");
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
