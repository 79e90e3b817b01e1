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
#include "schemagen/util.h"
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

/*
 * ---- passwords ----
 *
 * Every text about a connection string passes through here before it is
 * printed: sg_url_mask() for the string itself, sg_conn_scrub() for what
 * libpq says about it (libpq quotes parts of a malformed URI, the raw
 * password among them, in its messages).  Both read the string the way
 * libpq does (fe-connect.c conninfo_uri_parse_options), and where a
 * malformed string could be read two ways they take the wider reading: the
 * user info of a URI runs to the last '@' before the first '/' (libpq stops
 * at the first), so a password with a stray '?' or '#' is masked whole, and
 * sg_conn_open() refuses a URI with two '@' there (libpq would take the rest
 * of the password for the host name and print it).
 */

/*
 * The length of "postgres://", "postgresql://" or either with a driver
 * ("postgresql+psycopg://", SQLAlchemy's spelling) at s, else 0.  Any
 * driver text without ':', '/', '@' or a space counts here, so that a URI
 * with a malformed driver is still masked as a URI.
 */
static size_t uri_prefix_len(const char *s)
{
	size_t n;

	if (strncmp(s, "postgresql", 10) == 0)
		n = 10;
	else if (strncmp(s, "postgres", 8) == 0)
		n = 8;
	else
		return 0;
	if (s[n] == '+')
		n += 1 + strcspn(s + n + 1, ":/@ \t\n");
	return strncmp(s + n, "://", 3) == 0 ? n + 3 : 0;
}

static bool is_uri(const char *s)
{
	return uri_prefix_len(s) > 0;
}

const char *sg_conninfo_strip_driver(struct sg_arena *a, const char *conninfo)
{
	size_t pre = conninfo ? uri_prefix_len(conninfo) : 0;
	const char *plus;
	size_t dlen;

	if (!pre || !(plus = memchr(conninfo, '+', pre)))
		return conninfo;
	dlen = pre - 3 - (size_t)(plus + 1 - conninfo);
	if (dlen == 0 || strspn(plus + 1, "abcdefghijklmnopqrstuvwxyz"
				"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != dlen)
		return conninfo;
	return sg_printf(a, "postgresql://%s", conninfo + pre);
}

/* Percent-decodes s[0..n) leniently: a bad %XX is copied as written. */
static void pct_decode(struct sbuf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int hi, lo;

		if (s[i] == '%' && i + 2 < n && (hi = sg_hexval(s[i + 1])) >= 0 &&
		    (lo = sg_hexval(s[i + 2])) >= 0 && (hi || lo)) {
			sbuf_addch(out, (char)(hi << 4 | lo));
			i += 2;
		} else {
			sbuf_addch(out, s[i]);
		}
	}
}

/* A URI query parameter's key, decoded and trimmed as libpq reads it. */
static bool key_is_password(const char *k, size_t n)
{
	struct sbuf sb = SBUF_INIT;
	const char *p;
	size_t len;
	bool r;

	pct_decode(&sb, k, n);
	p = sb.buf;
	while (*p == ' ')
		p++;
	len = strlen(p);
	while (len && p[len - 1] == ' ')
		len--;
	r = len == 8 && strncmp(p, "password", 8) == 0;
	sbuf_release(&sb);
	return r;
}

/* The spans of a URI that are secret, as offsets [start, end). */
struct spans {
	size_t v[32][2];
	size_t n;
};

static void span_add(struct spans *sp, size_t start, size_t end)
{
	if (end > start && sp->n < ARRAY_SIZE(sp->v)) {
		sp->v[sp->n][0] = start;
		sp->v[sp->n][1] = end;
		sp->n++;
	}
}

/*
 * The password spans of a URI: the user info's password (to the last '@'
 * before the first '/', and to the first '@' as libpq reads it), and the
 * value of every query parameter whose key decodes to "password".  Returns
 * where the host part starts.
 */
static size_t uri_spans(const char *s, struct spans *sp)
{
	size_t pre = uri_prefix_len(s);
	size_t stop = pre + strcspn(s + pre, "/"), first = 0, last = 0, host = pre;
	const char *q;

	for (size_t i = pre; i < stop; i++)
		if (s[i] == '@') {
			if (!first)
				first = i;
			last = i;
		}
	if (last) {
		const char *colon = memchr(s + pre, ':', first - pre);

		if (colon) {
			span_add(sp, (size_t)(colon - s) + 1, last);
			span_add(sp, (size_t)(colon - s) + 1, first);
		}
		host = last + 1;
	}
	q = strchr(s + host, '?');
	while (q && *q) {
		const char *k = q + 1;
		size_t n = strcspn(k, "&");
		const char *eq = memchr(k, '=', n);

		if (eq && key_is_password(k, (size_t)(eq - k)))
			span_add(sp, (size_t)(eq + 1 - s), (size_t)(k + n - s));
		q = k[n] ? k + n : NULL;
	}
	return host;
}

/* Does the user info of a URI hold a second '@' (an unencoded one)? */
static bool uri_two_ats(const char *s)
{
	size_t pre = uri_prefix_len(s), stop = pre + strcspn(s + pre, "/");
	const char *at = memchr(s + pre, '@', stop - pre);

	return at && memchr(at + 1, '@', stop - (size_t)(at + 1 - s));
}

static void mask_uri(struct sbuf *out, const char *s)
{
	struct spans sp = { .n = 0 };
	size_t i = 0;

	uri_spans(s, &sp);
	while (s[i]) {
		size_t end = 0;

		for (size_t k = 0; k < sp.n; k++)
			if (sp.v[k][0] == i && sp.v[k][1] > end)
				end = sp.v[k][1];
		if (end) {
			sbuf_adds(out, "****");
			i = end;
		} else {
			sbuf_addch(out, s[i++]);
		}
	}
}

/*
 * Walks a key=value string as libpq does; calls fn for each pair with the
 * value as written (raw, with its quotes) and unquoted.
 */
typedef void kv_fn(void *arg, struct sbuf *out, const char *key, size_t klen,
		   const char *raw, size_t rawlen, const char *val);

static void walk_kv(const char *s, struct sbuf *out, kv_fn *fn, void *arg)
{
	const char *p = s;

	while (*p) {
		const char *key, *v;
		size_t klen;
		struct sbuf val = SBUF_INIT;

		while (*p && isspace((unsigned char)*p)) {
			if (out)
				sbuf_addch(out, *p);
			p++;
		}
		key = p;
		while (*p && *p != '=' && !isspace((unsigned char)*p))
			p++;
		klen = (size_t)(p - key);
		if (out)
			sbuf_add(out, key, klen);
		while (*p && isspace((unsigned char)*p)) {
			if (out)
				sbuf_addch(out, *p);
			p++;
		}
		if (*p != '=')
			continue;
		if (out)
			sbuf_addch(out, *p);
		p++;
		while (*p && isspace((unsigned char)*p)) {
			if (out)
				sbuf_addch(out, *p);
			p++;
		}
		v = p;
		if (*p == '\'') {
			for (p++; *p && *p != '\''; p++) {
				if (*p == '\\' && p[1])
					p++;
				sbuf_addch(&val, *p);
			}
			if (*p)
				p++;
		} else {
			for (; *p && !isspace((unsigned char)*p); p++) {
				if (*p == '\\' && p[1])
					p++;
				sbuf_addch(&val, *p);
			}
		}
		fn(arg, out, key, klen, v, (size_t)(p - v), val.buf);
		sbuf_release(&val);
	}
}

/* libpq reads a dbname holding a URI or an '=' as a connection string. */
static bool dbname_expands(const char *key, size_t klen, const char *val)
{
	return klen == 6 && strncmp(key, "dbname", 6) == 0 &&
	       (is_uri(val) || strchr(val, '='));
}

static void mask_any(struct sbuf *out, const char *s);

static void mask_pair(void *arg, struct sbuf *out, const char *key, size_t klen,
		      const char *raw, size_t rawlen, const char *val)
{
	(void)arg;
	if (klen == 8 && strncmp(key, "password", 8) == 0) {
		sbuf_adds(out, "****");
	} else if (dbname_expands(key, klen, val)) {
		sbuf_addch(out, '\'');
		mask_any(out, val);
		sbuf_addch(out, '\'');
	} else {
		sbuf_add(out, raw, rawlen);
	}
}

static void mask_any(struct sbuf *out, const char *s)
{
	if (is_uri(s))
		mask_uri(out, s);
	else
		walk_kv(s, out, mask_pair, NULL);
}

char *sg_url_mask(struct sg_arena *a, const char *conninfo)
{
	struct sbuf sb = SBUF_INIT;
	char *r;

	if (!conninfo || !*conninfo)
		return sg_strdup(a, "(libpq defaults)");
	mask_any(&sb, conninfo);
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

/* Every form in which a password might come back in a message. */
struct secrets {
	char *v[64];
	size_t n;
};

static void secret_add1(struct secrets *sc, const char *s, size_t n)
{
	if (!n || sc->n >= ARRAY_SIZE(sc->v))
		return;
	for (size_t i = 0; i < sc->n; i++)
		if (strlen(sc->v[i]) == n && memcmp(sc->v[i], s, n) == 0)
			return;
	sc->v[sc->n] = xmalloc(n + 1);
	memcpy(sc->v[sc->n], s, n);
	sc->v[sc->n][n] = '\0';
	sc->n++;
}

/* s as written, percent-decoded and percent-encoded */
static void secret_add(struct secrets *sc, const char *s, size_t n)
{
	struct sbuf sb = SBUF_INIT;

	secret_add1(sc, s, n);
	pct_decode(&sb, s, n);
	secret_add1(sc, sb.buf, sb.len);
	sbuf_reset(&sb);
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];

		if (isalnum(ch) || strchr("-._~", ch))
			sbuf_addch(&sb, (char)ch);
		else
			sbuf_addf(&sb, "%%%02X", ch);
	}
	secret_add1(sc, sb.buf, sb.len);
	sbuf_release(&sb);
}

static void secrets_of(struct secrets *sc, const char *s);

static void secret_pair(void *arg, struct sbuf *out, const char *key, size_t klen,
			const char *raw, size_t rawlen, const char *val)
{
	struct secrets *sc = arg;

	(void)out;
	if (klen == 8 && strncmp(key, "password", 8) == 0) {
		secret_add(sc, raw, rawlen);
		secret_add(sc, val, strlen(val));
	} else if (dbname_expands(key, klen, val)) {
		secrets_of(sc, val);
	}
}

static void secrets_of(struct secrets *sc, const char *s)
{
	if (is_uri(s)) {
		struct spans sp = { .n = 0 };

		uri_spans(s, &sp);
		for (size_t i = 0; i < sp.n; i++)
			secret_add(sc, s + sp.v[i][0], sp.v[i][1] - sp.v[i][0]);
	} else {
		walk_kv(s, NULL, secret_pair, sc);
	}
}

static int secret_len_cmp(const void *a, const void *b)
{
	size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);

	return la < lb ? 1 : la > lb ? -1 : 0;
}

char *sg_conn_scrub(struct sg_arena *a, const char *conninfo, const char *text)
{
	struct secrets sc = { .n = 0 };
	struct sbuf sb = SBUF_INIT;
	const char *masked = NULL;
	size_t clen = conninfo ? strlen(conninfo) : 0;
	char *err = NULL, *r;
	PQconninfoOption *opts;

	if (!text)
		return NULL;
	if (clen) {
		secrets_of(&sc, conninfo);
		/* and the password as libpq itself read it, when it could */
		opts = PQconninfoParse(conninfo, &err);
		for (PQconninfoOption *o = opts; o && o->keyword; o++)
			if (strcmp(o->keyword, "password") == 0 && o->val)
				secret_add(&sc, o->val, strlen(o->val));
		if (opts)
			PQconninfoFree(opts);
		if (err)
			PQfreemem(err);
		masked = sg_url_mask(a, conninfo);
	}
	/* longest first, so that a password is replaced whole */
	if (sc.n > 1)
		qsort(sc.v, sc.n, sizeof(*sc.v), secret_len_cmp);
	for (const char *p = text; *p;) {
		size_t k;

		if (clen && strncmp(p, conninfo, clen) == 0) {
			sbuf_adds(&sb, masked);
			p += clen;
			continue;
		}
		for (k = 0; k < sc.n; k++)
			if (strncmp(p, sc.v[k], strlen(sc.v[k])) == 0)
				break;
		if (k < sc.n) {
			sbuf_adds(&sb, "****");
			p += strlen(sc.v[k]);
		} else {
			sbuf_addch(&sb, *p++);
		}
	}
	for (size_t i = 0; i < sc.n; i++)
		free(sc.v[i]);
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

/*
 * A message of libpq about conninfo, scrubbed, without its trailing newline
 * and without a trailing `: "<the whole string>"` (it is printed already).
 */
static char *libpq_message(struct sg_arena *a, const char *conninfo,
			   const char *display, const char *msg)
{
	struct sbuf sb = SBUF_INIT;
	char *tail, *r;

	sbuf_adds(&sb, sg_conn_scrub(a, conninfo, msg ? msg : "out of memory"));
	sbuf_rtrim(&sb);
	tail = sg_printf(a, ": \"%s\"", display);
	if (sb.len > strlen(tail) &&
	    strcmp(sb.buf + sb.len - strlen(tail), tail) == 0)
		sbuf_setlen(&sb, sb.len - strlen(tail));
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

static void notice_quiet(void *arg, const char *message)
{
	(void)arg;
	if (sg_verbosity > 0)
		sg_eprintf("schemagen: server: %s", message);
}

struct sg_conn *sg_conn_open(const char *conninfo)
{
	const char *keys[] = { "dbname", "fallback_application_name", NULL };
	const char *vals[] = { conninfo && *conninfo ? conninfo : NULL,
			       "schemagen", NULL };
	struct sg_arena *tmp = sg_arena_new();
	struct sg_conn *c = xcalloc(1, sizeof(*c));

	/* postgresql+psycopg://...: the driver part is for other programs */
	conninfo = sg_conninfo_strip_driver(tmp, conninfo);
	vals[0] = conninfo && *conninfo ? conninfo : NULL;
	c->display = xstrdup(sg_url_mask(tmp, conninfo));
	if (conninfo && is_uri(conninfo) && memchr(conninfo, '+', uri_prefix_len(conninfo))) {
		/* a driver part that is not a name: postgresql+://, postgresql+a-b:// */
		sg_error("invalid connection string %s: the part after \"+\" is not a driver name",
			 c->display);
		sg_hint("write postgresql://..., or postgresql+DRIVER://... with a driver name of letters, digits and underscores (it is dropped)");
		sg_arena_free(tmp);
		sg_conn_close(c);
		return NULL;
	}
	if (conninfo && *conninfo) {
		/* libpq's parse errors quote the string: say it ourselves */
		char *err = NULL;
		PQconninfoOption *opts = PQconninfoParse(conninfo, &err);

		if (!opts || (is_uri(conninfo) && uri_two_ats(conninfo))) {
			sg_error("invalid connection string %s: %s", c->display,
				 opts ? "\"@\" appears more than once before the host"
				      : libpq_message(tmp, conninfo, c->display, err));
			if (opts)
				PQconninfoFree(opts);
			if (is_uri(conninfo) && (opts || !err || !strstr(err, "query parameter")))
				sg_hint("in a URI, percent-encode the user name and password: "
					"%%25 for %%, %%40 for @, %%2F for /, %%3F for ?, %%20 for a space");
			if (err)
				PQfreemem(err);
			sg_arena_free(tmp);
			sg_conn_close(c);
			return NULL;
		}
		PQconninfoFree(opts);
	}
	c->pg = PQconnectdbParams(keys, vals, 1);
	if (!c->pg || PQstatus(c->pg) != CONNECTION_OK) {
		sg_error("could not connect to %s: %s", c->display,
			 libpq_message(tmp, conninfo, c->display,
				       c->pg ? PQerrorMessage(c->pg) : NULL));
		sg_arena_free(tmp);
		sg_conn_close(c);
		return NULL;
	}
	sg_arena_free(tmp);
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
		sg_eprintf("  SQLSTATE: %s\n", state);
	if (detail)
		sg_eprintf("  detail: %s\n", detail);
	if (hint)
		sg_eprintf("  hint: %s\n", hint);
	sg_sink_hint(hint);
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
		sg_eprintf("  query was: %s\n", sql);
	return NULL;
}

int sg_conn_query_rows(struct sg_conn *c, const char *sql, int nparams,
		       const char *const *params,
		       int (*row)(void *arg, const PGresult *res), void *arg)
{
	PGresult *res;
	int rc = 0;
	bool failed = false;

	c->nqueries++;
	if (!PQsendQueryParams(c->pg, sql, nparams, NULL, params, NULL, NULL, 0)) {
		sg_error("query failed: %s", PQerrorMessage(c->pg));
		failed = true;
	} else if (!PQsetSingleRowMode(c->pg)) {
		SG_BUG("single-row mode refused right after sending a query");
	}
	/* every result is read, whatever happens: the connection stays usable */
	while (!failed && (res = PQgetResult(c->pg)) != NULL) {
		switch (PQresultStatus(res)) {
		case PGRES_SINGLE_TUPLE:
			if (rc == 0 && row(arg, res) < 0)
				rc = -1;
			break;
		case PGRES_TUPLES_OK:
		case PGRES_COMMAND_OK:
			break;
		default:
			if (!failed)
				sg_pg_print_error(res, "query failed");
			failed = true;
			break;
		}
		PQclear(res);
		if (failed)
			while ((res = PQgetResult(c->pg)) != NULL)
				PQclear(res);
	}
	if (failed) {
		if (sg_verbosity > 0 || strlen(sql) < 2000)
			sg_eprintf("  query was: %s\n", sql);
		return -1;
	}
	return rc;
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

int sg_conn_extension_path(struct sg_conn *c, const char *name,
			   const char *from, const char *to)
{
	const char *params[3] = { name, from, to };
	PGresult *res;
	int rc = -1;

	c->nqueries++;
	res = PQexecParams(c->pg, "SELECT count(*) FROM pg_catalog.pg_extension_update_paths($1)"
			   " WHERE source = $2 AND target = $3 AND path IS NOT NULL",
			   3, NULL, params, NULL, NULL, 0);
	if (res && PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		rc = strcmp(PQgetvalue(res, 0, 0), "0") != 0;
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
	PQconninfoOption *opts;
	struct sbuf sb = SBUF_INIT;
	char *r;

	conninfo = sg_conninfo_strip_driver(a, conninfo);
	opts = PQconninfoParse(conninfo ? conninfo : "", &err);

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
