// SPDX-License-Identifier: MIT
/*
 * scratch.c - scratch databases: the empty database the YAML model is
 * materialised in (and migrations are replayed into) so that the server
 * itself normalises it before the introspector reads it back.
 *
 * Each one is CREATE DATABASE sg_scratch_<hostid>_<pid>_<n> TEMPLATE
 * template0 on the dev_url server or the embedded cluster, and dropped
 * WITH (FORCE) when closed.  A process that dies in between leaves its
 * database behind; the next scratch database made on the same host drops
 * those whose PID no longer exists (kill(pid, 0) == ESRCH).  hostid hashes
 * the host name and the PID namespace, so a shared dev server never loses
 * another machine's (or another container's) databases: their PIDs mean
 * nothing here.
 *
 * Cost, measured on the embedded cluster (PostgreSQL 15.20, fsync off, the
 * project's 2-CPU CI VM; d-embedded prints it on every run): open + close
 * take about 30 ms on an idle machine -- CREATE DATABASE copying
 * template0's ~7.5 MB is nearly all of it, DROP ~4 ms, a connection ~2 ms
 * -- and 60-250 ms while other builds load the machine.  autogenerate does
 * it twice.  STRATEGY FILE_COPY (PostgreSQL 15) measured no faster than
 * the default WAL_LOG (each won under different load), so the default
 * stays.  A pre-created template of our own would not help: template0 is
 * already empty and the copy is the cost, so a clone of anything else
 * cannot be cheaper; only a pool of databases created ahead of time could
 * hide it, which is not worth leftovers for 30 ms.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "schemagen/arena.h"
#include "schemagen/config.h"
#include "schemagen/diag.h"
#include "schemagen/embedded.h"
#include "schemagen/pgconn.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"

#define SCRATCH_PREFIX "sg_scratch_"

static unsigned scratch_counter;

/*
 * 8 hex digits from the host name and the PID namespace: kill(pid, 0)
 * tells whether the owner is alive only within one PID namespace of one
 * host, and containers on one host share host names only by accident.
 */
void sg_scratch_host_id(char out[9])
{
	char host[256] = "", ns[64] = "";
	struct sbuf sb = SBUF_INIT;
	ssize_t n;

	if (gethostname(host, sizeof(host) - 1) < 0)
		strcpy(host, "unknown");
	n = readlink("/proc/self/ns/pid", ns, sizeof(ns) - 1);
	ns[n > 0 ? n : 0] = '\0';
	sbuf_addf(&sb, "%s\n%s", host, ns);
	snprintf(out, 9, "%08x", (unsigned)(sg_hash64(sb.buf, sb.len) & 0xffffffffu));
	sbuf_release(&sb);
}

static const char *drop_sql(struct sg_arena *a, struct sg_conn *admin,
			    const char *dbname)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	sbuf_adds(&sb, "DROP DATABASE IF EXISTS ");
	sg_quote_ident(&sb, dbname);
	/* FORCE (PostgreSQL 13) ends sessions still connected to it, e.g.
	 * of a dead process whose backend has not noticed yet */
	if (sg_conn_server_version(admin) >= 130000)
		sbuf_adds(&sb, " WITH (FORCE)");
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

/* Parses "<pid>_<n>" (the rest of a scratch name); 0 when malformed. */
static long name_pid(const char *rest)
{
	char *end;
	long pid;

	errno = 0;
	pid = strtol(rest, &end, 10);
	if (errno || end == rest || pid <= 0 || *end != '_' || !end[1])
		return 0;
	for (end++; *end; end++)
		if (*end < '0' || *end > '9')
			return 0;
	return pid;
}

/* Drops this host's scratch databases whose process is gone. */
static void drop_leftovers(struct sg_arena *a, struct sg_conn *admin,
			   const char *prefix)
{
	const char *pattern = sg_printf(a, "%s%%", prefix);
	const char *params[] = { pattern };
	PGresult *res;
	size_t plen = strlen(prefix);

	/* LIKE's "_" matches any character; the prefix is checked exactly below */
	res = sg_conn_query(admin, "SELECT datname FROM pg_catalog.pg_database "
				   "WHERE datname LIKE $1 ORDER BY datname",
			    1, params);
	if (!res) {
		sg_warning("could not look for leftover scratch databases");
		return;
	}
	for (int i = 0; i < PQntuples(res); i++) {
		const char *name = PQgetvalue(res, i, 0);
		long pid;

		if (strncmp(name, prefix, plen) != 0)
			continue;
		pid = name_pid(name + plen);
		if (pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		sg_verbose("dropping scratch database %s left by process %ld",
			   name, pid);
		if (sg_conn_exec(admin, drop_sql(a, admin, name)) < 0)
			sg_warning("could not drop leftover scratch database %s",
				   name);
	}
	PQclear(res);
}

int sg_scratch_server(struct sg_arena *a, const struct sg_config *cfg,
		      struct sg_scratch *out)
{
	const char *admin_url = cfg ? cfg->dev_url : NULL;
	const char *from = "dev_url";
	struct sg_conn *admin;

	memset(out, 0, sizeof(*out));
	if ((!admin_url || !*admin_url) && cfg && cfg->dev_url_unset) {
		/* dev_url: ${VAR} with VAR unset: not a silent fallback */
		sg_diag_emit(cfg->dev_url_unset);
		return -1;
	}
	if (!admin_url || !*admin_url) {
		admin_url = getenv("SCHEMAGEN_DEV_URL");
		from = "SCHEMAGEN_DEV_URL";
	}
	if (!admin_url || !*admin_url) {
		admin_url = sg_embedded_conninfo(a, "postgres", false);
		from = NULL;
		if (!admin_url)
			return -1;
	}
	admin = sg_conn_open(admin_url);
	if (!admin) {
		if (from)
			sg_hint("scratch databases are made on the server %s names; "
				"unset it to use the embedded PostgreSQL", from);
		return -1;
	}
	/* the scratch server matches the target's version (embedded.h) */
	if (from && sg_pg_want.major &&
	    sg_conn_server_version(admin) / 10000 != sg_pg_want.major) {
		int m = sg_conn_server_version(admin) / 10000;

		if (!sg_pg_want.allow_mismatch) {
			sg_error("%s, and the scratch server that %s names runs "
				 "PostgreSQL %d (%s)", sg_pg_want.why, from, m,
				 sg_conn_display(admin));
			sg_hint("point %s at a PostgreSQL %d server, unset it to use "
				"the embedded one, or accept the mismatch with "
				"--allow-version-mismatch", from, sg_pg_want.major);
			sg_conn_close(admin);
			return -1;
		}
		sg_warning("%s, but the scratch server that %s names runs "
			   "PostgreSQL %d (version mismatch allowed): the models are "
			   "checked by another version's rules", sg_pg_want.why, from, m);
	}
	out->admin = admin;
	out->admin_conninfo = sg_strdup(a, admin_url);
	out->embedded = from == NULL;
	out->source = from;
	return 0;
}

int sg_scratch_create(struct sg_arena *a, struct sg_scratch *out)
{
	struct sbuf sql = SBUF_INIT;
	const char *from = out->source;
	char hostid[9];
	const char *prefix, *name, *conninfo;

	sg_scratch_host_id(hostid);
	prefix = sg_printf(a, SCRATCH_PREFIX "%s_", hostid);
	drop_leftovers(a, out->admin, prefix);

	name = sg_printf(a, "%s%ld_%u", prefix, (long)getpid(), ++scratch_counter);
	sbuf_adds(&sql, "CREATE DATABASE ");
	sg_quote_ident(&sql, name);
	/* template0: empty, and nobody can be connected to it */
	sbuf_adds(&sql, " TEMPLATE template0");
	if (sg_conn_exec(out->admin, sql.buf) < 0) {
		if (from)
			sg_hint("the %s role needs the CREATEDB privilege for scratch "
				"databases (%s)", from, sg_url_mask(a, out->admin_conninfo));
		sbuf_release(&sql);
		sg_scratch_close(out);
		return -1;
	}
	sbuf_release(&sql);

	conninfo = sg_conninfo_with_db(a, out->admin_conninfo, name);
	out->conn = sg_conn_open(conninfo);
	out->dbname = name;
	if (!out->conn) {
		sg_scratch_close(out);
		return -1;
	}
	out->conninfo = conninfo;
	sg_verbose("scratch database %s on %s (PostgreSQL %d%s)", name,
		   sg_conn_display(out->admin),
		   sg_conn_server_version(out->admin) / 10000,
		   out->embedded ? ", embedded" : "");
	return 0;
}

int sg_scratch_open(struct sg_arena *a, const struct sg_config *cfg,
		    struct sg_scratch *out)
{
	if (sg_scratch_server(a, cfg, out) < 0)
		return -1;
	return sg_scratch_create(a, out);
}

int sg_scratch_restore_settings(struct sg_scratch *s)
{
	static const char *const sets[] = {
		"SET statement_timeout = 0",
		"SET lock_timeout = 0",
		"SET idle_in_transaction_session_timeout = 0",
		"SET client_encoding = 'UTF8'",
		"SET standard_conforming_strings = on",
		"SET check_function_bodies = false",
		"SET xmloption = content",
		"SET client_min_messages = warning",
		"SET row_security = off",
	};

	for (size_t i = 0; i < ARRAY_SIZE(sets); i++)
		if (sg_conn_exec(s->conn, sets[i]) < 0)
			return -1;
	/* PostgreSQL 17 */
	if (sg_conn_server_version(s->conn) >= 170000 &&
	    sg_conn_exec(s->conn, "SET transaction_timeout = 0") < 0)
		return -1;
	return 0;
}

int sg_scratch_roles(struct sg_arena *a, struct sg_scratch *s,
		     const char *const *roles, size_t n, const char **missing)
{
	size_t nmissing = 0;

	for (size_t i = 0; i < n; i++) {
		const char *params[] = { roles[i] };
		PGresult *res = sg_conn_query(s->conn, "SELECT 1 FROM pg_catalog.pg_roles "
					      "WHERE rolname = $1", 1, params);
		struct sbuf sql = SBUF_INIT;
		bool exists;

		if (!res)
			return -1;
		exists = PQntuples(res) > 0;
		PQclear(res);
		if (exists)
			continue;
		if (!s->embedded) {
			missing[nmissing++] = sg_strdup(a, roles[i]);
			continue;
		}
		sbuf_adds(&sql, "CREATE ROLE ");
		sg_quote_ident(&sql, roles[i]);
		sbuf_adds(&sql, " NOLOGIN");
		res = sg_pg_exec(sg_conn_pg(s->conn), sql.buf);
		sbuf_release(&sql);
		if (PQresultStatus(res) != PGRES_COMMAND_OK) {
			const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

			/* a concurrent schemagen made it first */
			if (!state || (strcmp(state, "42710") != 0 &&
				       strcmp(state, "23505") != 0)) {
				sg_pg_print_error(res, "could not create a role the "
						  "models name in the embedded PostgreSQL");
				PQclear(res);
				return -1;
			}
		} else {
			sg_verbose("created role %s (NOLOGIN) in the embedded PostgreSQL",
				   roles[i]);
		}
		PQclear(res);
	}
	return (int)nmissing;
}

void sg_scratch_close(struct sg_scratch *s)
{
	struct sg_arena *tmp;

	if (!s)
		return;
	sg_conn_close(s->conn);
	s->conn = NULL;
	if (s->admin && s->dbname) {
		tmp = sg_arena_new();
		if (sg_conn_exec(s->admin, drop_sql(tmp, s->admin, s->dbname)) < 0)
			sg_warning("could not drop scratch database %s; the next "
				   "schemagen run on this host drops it", s->dbname);
		sg_arena_free(tmp);
	}
	sg_conn_close(s->admin);
	memset(s, 0, sizeof(*s));
}
