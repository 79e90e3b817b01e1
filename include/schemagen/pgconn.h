/* SPDX-License-Identifier: MIT */
/*
 * pgconn.h - the libpq side of struct sg_conn, for introspect/ and runner/
 * only (the other stages never see libpq-fe.h).
 */
#ifndef SG_PGCONN_H
#define SG_PGCONN_H

#include <libpq-fe.h>
#include "schemagen/conn.h"

PGconn *sg_conn_pg(struct sg_conn *c);

/*
 * Every statement schemagen sends goes through sg_pg_exec() or
 * sg_conn_query(): PQexecParams, PostgreSQL's extended protocol, which
 * runs exactly ONE statement per call ("cannot insert multiple commands
 * into a prepared statement" otherwise).  Whatever a model fragment or a
 * migration statement smuggles past the parser cannot become a second
 * statement on the server.  PQexec (the simple protocol, which runs any
 * number) is not used anywhere in src/ (tests/unit/t-util checks).
 */
PGresult *sg_pg_exec(PGconn *pg, const char *sql);

/*
 * Runs a query with text parameters; returns the result (caller PQclear()s)
 * or NULL after printing the server's message, SQLSTATE, detail, hint and
 * "Query was: ..." (pg_dump's die_on_query_failure, without dying).
 * Counts the queries issued on c (sg_conn_query_count()).
 */
PGresult *sg_conn_query(struct sg_conn *c, const char *sql, int nparams,
			const char *const *params);
unsigned long sg_conn_query_count(const struct sg_conn *c);

/*
 * sg_conn_query() for a result of many rows: hands the rows to row() one
 * at a time (libpq's single-row mode, PQsendQueryParams: one statement as
 * well), each in a result of its own that row() must not keep, so the
 * whole result is never held (pg_depend's rows at 10,000 tables: 18 MB).
 * row() returns < 0 to stop: the rows left are read and dropped.  Returns
 * 0, or -1 after printing the server's error as sg_conn_query() does (or
 * when row() stopped); rows before a server error were handed already.
 */
int sg_conn_query_rows(struct sg_conn *c, const char *sql, int nparams,
		       const char *const *params,
		       int (*row)(void *arg, const PGresult *res), void *arg);

/* Prints a failed result's message, SQLSTATE, detail and hint to stderr. */
void sg_pg_print_error(const PGresult *res, const char *context);

#endif
