// SPDX-License-Identifier: MIT
/*
 * lock.c - the session advisory lock that serialises runners on a database
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
int rn_lock(struct run *r)
{
	const char *params[] = { sg_printf(r->a, "%lld", r->lock_key) };
	long wait = r->o->lock_wait_ms;
	double deadline, t;
	long pause = 20;
	/* jitter, different in each runner: they do not poll in step */
	uint32_t seed = ((uint32_t)getpid() * 2654435761u ^ (uint32_t)rn_now_ms()) | 1u;
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
		wait > 0 ? sg_printf(r->a, " up to %s", rn_duration_text(r->a, wait)) : "",
		r->vt, holder ? ", held by " : "", holder ? holder : "");
	deadline = wait > 0 ? rn_now_ms() + (double)wait : 0;
	for (;;) {
		long sleep_ms;
		struct timespec ts;

		seed ^= seed << 13;
		seed ^= seed >> 17;
		seed ^= seed << 5;
		sleep_ms = pause / 2 + (long)(seed % (uint32_t)(pause / 2 + 1));
		t = rn_now_ms();
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
		 r->vt, rn_duration_text(r->a, wait),
		 holder ? sg_printf(r->a, "it is still held by %s", holder)
			: "it was still held");
	sg_hint("another runner is migrating this database: wait for it to finish, or wait longer (--lock-wait SECONDS)");
	return -1;
}

void rn_unlock(struct run *r)
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
void rn_session_setup(struct run *r)
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
