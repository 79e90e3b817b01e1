// SPDX-License-Identifier: MIT
/*
 * conn.c - libpq connections: opening with schemagen's session settings,
 * queries that report failures the way pg_dump does, and connection strings
 * shown with their password masked.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/pgconn.h"
#include "schemagen/sbuf.h"

struct sg_conn {
	PGconn *pg;
	char *display;
	unsigned long nqueries;
};

PGconn *sg_conn_pg(struct sg_conn *c)
{
	return c->pg;
}

static void mask_uri(struct sbuf *out, const char *s)
{
	const char *auth = strstr(s, "://") + 3;
	const char *end = auth + strcspn(auth, "/?#");
	const char *at = NULL, *colon, *q;

	for (const char *p = auth; p < end; p++)
		if (*p == '@')
			at = p;
	sbuf_add(out, s, (size_t)(auth - s));
	if (at) {
		colon = memchr(auth, ':', (size_t)(at - auth));
		if (colon) {
			sbuf_add(out, auth, (size_t)(colon - auth));
			sbuf_adds(out, ":****");
		} else {
			sbuf_add(out, auth, (size_t)(at - auth));
		}
		auth = at;
	}
	/* query parameters: password=... */
	q = strchr(auth, '?');
	if (!q) {
		sbuf_adds(out, auth);
		return;
	}
	sbuf_add(out, auth, (size_t)(q - auth));
	while (*q) {
		size_t n = strcspn(q + 1, "&") + 1;

		if (strncmp(q + 1, "password=", 9) == 0) {
			sbuf_add(out, q, 10);
			sbuf_adds(out, "****");
		} else {
			sbuf_add(out, q, n);
		}
		q += n;
	}
}

static void mask_kv(struct sbuf *out, const char *s)
{
	const char *p = s;

	while (*p) {
		const char *key = p;
		size_t klen;

		while (*p && isspace((unsigned char)*p))
			sbuf_addch(out, *p++);
		key = p;
		while (*p && *p != '=' && !isspace((unsigned char)*p))
			p++;
		klen = (size_t)(p - key);
		sbuf_add(out, key, klen);
		while (*p && isspace((unsigned char)*p))
			sbuf_addch(out, *p++);
		if (*p != '=')
			continue;
		sbuf_addch(out, *p++);
		while (*p && isspace((unsigned char)*p))
			sbuf_addch(out, *p++);
		{
			const char *v = p;
			bool secret = klen == 8 && strncmp(key, "password", 8) == 0;

			if (*p == '\'') {
				for (p++; *p && *p != '\''; p++)
					if (*p == '\\' && p[1])
						p++;
				if (*p)
					p++;
			} else {
				while (*p && !isspace((unsigned char)*p))
					p++;
			}
			if (secret)
				sbuf_adds(out, "****");
			else
				sbuf_add(out, v, (size_t)(p - v));
		}
	}
}

char *sg_url_mask(struct sg_arena *a, const char *conninfo)
{
	struct sbuf sb = SBUF_INIT;
	char *r;

	if (!conninfo || !*conninfo)
		return sg_strdup(a, "(libpq defaults)");
	if (strncmp(conninfo, "postgres://", 11) == 0 ||
	    strncmp(conninfo, "postgresql://", 13) == 0)
		mask_uri(&sb, conninfo);
	else
		mask_kv(&sb, conninfo);
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

static void notice_quiet(void *arg, const char *message)
{
	(void)arg;
	if (sg_verbosity > 0)
		fprintf(stderr, "schemagen: server: %s", message);
}

struct sg_conn *sg_conn_open(const char *conninfo)
{
	const char *keys[] = { "dbname", "fallback_application_name", NULL };
	const char *vals[] = { conninfo && *conninfo ? conninfo : NULL,
			       "schemagen", NULL };
	struct sg_arena *tmp = sg_arena_new();
	struct sg_conn *c = xcalloc(1, sizeof(*c));

	c->display = xstrdup(sg_url_mask(tmp, conninfo));
	sg_arena_free(tmp);
	c->pg = PQconnectdbParams(keys, vals, 1);
	if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) {
		const char *msg = c->pg ? PQerrorMessage(c->pg) : "out of memory";
		struct sbuf sb = SBUF_INIT;

		sbuf_adds(&sb, msg);
		sbuf_rtrim(&sb);
		sg_error("could not connect to %s: %s", c->display, sb.buf);
		sbuf_release(&sb);
		sg_conn_close(c);
		return NULL;
	}
	if (!conninfo || !*conninfo) {
		/* say which database libpq's defaults and environment chose */
		struct sbuf sb = SBUF_INIT;

		sbuf_addf(&sb, "host=%s port=%s user=%s dbname=%s (libpq defaults)",
			  PQhost(c->pg), PQport(c->pg), PQuser(c->pg), PQdb(c->pg));
		free(c->display);
		c->display = xstrdup(sb.buf);
		sbuf_release(&sb);
	}
	PQsetNoticeProcessor(c->pg, notice_quiet, NULL);
	/* one statement (one per call, and one round trip) */
	if (sg_conn_exec(c, "SELECT pg_catalog.set_config('client_min_messages', 'warning', false), "
			    "pg_catalog.set_config('standard_conforming_strings', 'on', false)") < 0) {
		sg_conn_close(c);
		return NULL;
	}
	return c;
}

void sg_conn_close(struct sg_conn *c)
{
	if (!c)
		return;
	if (c->pg)
		PQfinish(c->pg);
	free(c->display);
	free(c);
}

const char *sg_conn_display(const struct sg_conn *c)
{
	return c->display;
}

void sg_pg_print_error(const PGresult *res, const char *context)
{
	const char *msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *detail = PQresultErrorField(res, PG_DIAG_MESSAGE_DETAIL);
	const char *hint = PQresultErrorField(res, PG_DIAG_MESSAGE_HINT);
	struct sbuf sb = SBUF_INIT;

	if (!msg) {
		sbuf_adds(&sb, PQresultErrorMessage(res));
		sbuf_rtrim(&sb);
		msg = sb.buf;
	}
	if (context)
		sg_error("%s: %s", context, msg);
	else
		sg_error("%s", msg);
	if (state)
		fprintf(stderr, "  SQLSTATE: %s\n", state);
	if (detail)
		fprintf(stderr, "  detail: %s\n", detail);
	if (hint)
		fprintf(stderr, "  hint: %s\n", hint);
	sbuf_release(&sb);
}

PGresult *sg_pg_exec(PGconn *pg, const char *sql)
{
	return PQexecParams(pg, sql, 0, NULL, NULL, NULL, NULL, 0);
}

PGresult *sg_conn_query(struct sg_conn *c, const char *sql, int nparams,
			const char *const *params)
{
	PGresult *res;
	ExecStatusType st;

	c->nqueries++;
	res = PQexecParams(c->pg, sql, nparams, NULL, params, NULL, NULL, 0);
	st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
		return res;
	if (res) {
		sg_pg_print_error(res, "query failed");
		PQclear(res);
	} else {
		sg_error("query failed: %s", PQerrorMessage(c->pg));
	}
	if (sg_verbosity > 0 || strlen(sql) < 2000)
		fprintf(stderr, "  query was: %s\n", sql);
	return NULL;
}

unsigned long sg_conn_query_count(const struct sg_conn *c)
{
	return c->nqueries;
}

int sg_conn_exec(struct sg_conn *c, const char *sql)
{
	PGresult *res = sg_conn_query(c, sql, 0, NULL);

	if (!res)
		return -1;
	PQclear(res);
	return 0;
}

char *sg_conn_value(struct sg_conn *c, struct sg_arena *a, const char *sql)
{
	PGresult *res = sg_conn_query(c, sql, 0, NULL);
	char *v = NULL;

	if (!res)
		return NULL;
	if (PQntuples(res) > 0 && PQnfields(res) > 0 && !PQgetisnull(res, 0, 0))
		v = sg_strdup(a, PQgetvalue(res, 0, 0));
	PQclear(res);
	return v;
}

int sg_conn_can_cast(struct sg_conn *c, const char *from, const char *to)
{
	struct sbuf sb = SBUF_INIT;
	PGresult *res;
	const char *state;
	int rc;

	/* the parser looks the cast up; NULL converts nothing */
	sbuf_addf(&sb, "SELECT CAST(CAST(NULL AS %s) AS %s)", from, to);
	c->nqueries++;
	res = sg_pg_exec(c->pg, sb.buf);
	sbuf_release(&sb);
	if (res && PQresultStatus(res) == PGRES_TUPLES_OK) {
		PQclear(res);
		return 1;
	}
	state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	rc = state && strcmp(state, "42846") == 0 ? 0 : -1;  /* cannot_coerce */
	PQclear(res);
	return rc;
}

int sg_conn_server_version(const struct sg_conn *c)
{
	return PQserverVersion(c->pg);
}

const char *sg_conn_dbname(const struct sg_conn *c)
{
	return PQdb(c->pg);
}

char *sg_conninfo_with_db(struct sg_arena *a, const char *conninfo,
			  const char *dbname)
{
	char *err = NULL;
	PQconninfoOption *opts = PQconninfoParse(conninfo ? conninfo : "", &err);
	struct sbuf sb = SBUF_INIT;
	char *r;

	if (!opts) {
		if (err)
			PQfreemem(err);
		/* unparsable: let the connection attempt report it */
		return sg_printf(a, "%s dbname=%s", conninfo ? conninfo : "", dbname);
	}
	for (PQconninfoOption *o = opts; o->keyword; o++) {
		const char *v = strcmp(o->keyword, "dbname") == 0 ? dbname : o->val;

		if (!v)
			continue;
		if (sb.len)
			sbuf_addch(&sb, ' ');
		sbuf_addf(&sb, "%s='", o->keyword);
		for (const char *p = v; *p; p++) {
			if (*p == '\'' || *p == '\\')
				sbuf_addch(&sb, '\\');
			sbuf_addch(&sb, *p);
		}
		sbuf_addch(&sb, '\'');
	}
	if (!strstr(sb.buf, "dbname=")) {
		if (sb.len)
			sbuf_addch(&sb, ' ');
		sbuf_addf(&sb, "dbname='%s'", dbname);
	}
	PQconninfoFree(opts);
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}
