// SPDX-License-Identifier: MIT
/*
 * history.c - the version and history tables, and the database's state: the
 * applied heads, the history, integrity against the recorded checksums
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
/* ---- the version and history tables ---- */

void rn_version_table_ddl(struct run *r, struct sbuf *out, bool schema)
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

void rn_history_table_ddl(struct run *r, struct sbuf *out)
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
int rn_ensure_tables(struct run *r)
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
		rn_version_table_ddl(r, &sb, false);
		ret = sg_conn_exec(r->c, sb.buf);
		sbuf_reset(&sb);
	}
	if (ret == 0 && !h) {
		rn_history_table_ddl(r, &sb);
		ret = sg_conn_exec(r->c, sb.buf);
	}
	sbuf_release(&sb);
	if (ret == 0 && h)
		ret = widen_directions(r);
	return ret;
}

int rn_read_heads(struct run *r, const char ***heads, size_t *n)
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
		qsort(*heads, *n, sizeof(**heads), rn_str_cmp);
	return 0;
}

int runner_current(struct sg_conn *c, const struct sg_runner_opts *o,
		   struct sg_arena *a, const char ***heads, size_t *n)
{
	struct run r;

	rn_run_init(&r, a, c, NULL, o);
	return rn_read_heads(&r, heads, n);
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
		if (rn_find_rev(r->g, st->heads[i]))
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

int rn_read_state(struct run *r, struct sg_db_state *st)
{
	memset(st, 0, sizeof(*st));
	if (rn_read_heads(r, &st->heads, &st->nheads) < 0 ||
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

	rn_run_init(&r, a, c, g, o);
	return rn_read_state(&r, st);
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
