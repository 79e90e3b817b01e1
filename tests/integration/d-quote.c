// SPDX-License-Identifier: MIT
/*
 * d-quote.c - sg_quote_ident() and sg_quote_literal() against the server:
 *  - for every keyword of src/util/keywords.inc (and odd names), the result
 *    equals the server's quote_ident(), asked in one query;
 *  - every keyword, quoted, names a column that comes back with exactly that
 *    name (SELECT 1 AS <quoted>, ...), in both letter cases;
 *  - tricky strings quoted as literals equal the server's quote_literal()
 *    and mean the original string again, with standard_conforming_strings
 *    on and off;
 *  - function bodies quoted by sg_quote_dollar() mean the body again,
 *    bodies ending in `$`, `$_`, `$_$` and `$__` included.
 * Read-only: runs in the default database.  Skips when PGHOST is unset.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/conn.h"
#include "schemagen/pgconn.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "tap.h"

struct keyword {
	const char *word;
	char category;
};

static const struct keyword keywords[] = {
#include "../../src/util/keywords.inc"
};

/* Names that are not keywords but test the other rules. */
static const char *const odd_names[] = {
	"a", "_", "_x", "x1", "x$", "$x", "1st", "a b", "a.b", "A", "Abort",
	"SELECT", "user_", "café", "日本", "it's", "say \"hi\"", "\"", "a\\b",
	"tab\there", " lead", "trail ", "-x", "x-y", "zzz9_", "ß",
};

static const char *const literals[] = {
	"", "plain", "'", "''", "it's", "\\", "\\\\", "a\\'b", "E'x'", "$$",
	"$tag$", "line\nbreak", "tab\there", "café", "日本", "--", "/*", ";",
	"\"", "back\\slash and 'quote'", "\\x41", "%s", "?",
};

static struct sg_arena *A;

/* {"w1","w2",...} with " and \ escaped: a text[] literal. */
static void array_literal(struct sbuf *sb, const char *const *v, size_t n)
{
	sbuf_addch(sb, '{');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sbuf_addch(sb, ',');
		sbuf_addch(sb, '"');
		for (const char *p = v[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				sbuf_addch(sb, '\\');
			sbuf_addch(sb, *p);
		}
		sbuf_addch(sb, '"');
	}
	sbuf_addch(sb, '}');
}

/* Compares sg_quote_ident() with the server's quote_ident() for each name. */
static void compare_quote_ident(struct sg_conn *c, const char *what,
				const char *const *names, size_t n)
{
	struct sbuf arr = SBUF_INIT;
	const char *params[1];
	PGresult *res;
	size_t bad = 0;

	array_literal(&arr, names, n);
	params[0] = arr.buf;
	res = sg_conn_query(c, "SELECT pg_catalog.quote_ident(k) FROM "
			    "pg_catalog.unnest($1::pg_catalog.text[]) WITH ORDINALITY AS t(k, i) "
			    "ORDER BY i", 1, params);
	if (!ok(res != NULL, "%s: one quote_ident() query", what)) {
		sbuf_release(&arr);
		return;
	}
	is_int(PQntuples(res), (long long)n, "%s: a row per name", what);
	for (size_t i = 0; i < n && (int)i < PQntuples(res); i++) {
		struct sbuf sb = SBUF_INIT;

		sg_quote_ident(&sb, names[i]);
		if (strcmp(sb.buf, PQgetvalue(res, (int)i, 0)) != 0) {
			tap_diag("%s: sg_quote_ident gives %s, quote_ident %s", names[i],
				 sb.buf, PQgetvalue(res, (int)i, 0));
			bad++;
		}
		sbuf_release(&sb);
	}
	is_int((long long)bad, 0, "%s: sg_quote_ident() equals quote_ident() for all %zu",
	       what, n);
	PQclear(res);
	sbuf_release(&arr);
}

/* SELECT 1 AS <quoted name>, ...: the columns come back named as given. */
static void names_round_trip(struct sg_conn *c, const char *what,
			     const char *const *names, size_t n)
{
	struct sbuf sql = SBUF_INIT;
	PGresult *res;
	size_t bad = 0;

	sbuf_adds(&sql, "SELECT ");
	for (size_t i = 0; i < n; i++) {
		sbuf_addf(&sql, "%s1 AS ", i ? ", " : "");
		sg_quote_ident(&sql, names[i]);
	}
	res = sg_conn_query(c, sql.buf, 0, NULL);
	if (!ok(res != NULL, "%s: SELECT 1 AS <quoted>... parses", what)) {
		sbuf_release(&sql);
		return;
	}
	for (size_t i = 0; i < n && (int)i < PQnfields(res); i++) {
		if (strcmp(PQfname(res, (int)i), names[i]) != 0) {
			tap_diag("%s came back as %s", names[i], PQfname(res, (int)i));
			bad++;
		}
	}
	is_int((long long)bad + (PQnfields(res) != (int)n), 0,
	       "%s: every quoted name means itself", what);
	PQclear(res);
	sbuf_release(&sql);
}

static void check_literals(struct sg_conn *c, const char *scs)
{
	size_t n = ARRAY_SIZE(literals), same = 0, means = 0;
	struct sbuf sql = SBUF_INIT;
	PGresult *res;

	sbuf_addf(&sql, "SET standard_conforming_strings = %s", scs);
	if (sg_conn_exec(c, sql.buf) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		const char *params[1] = { literals[i] };
		struct sbuf q = SBUF_INIT;

		sbuf_adds(&q, "SELECT pg_catalog.quote_literal($1::pg_catalog.text), ($1 = ");
		sg_quote_literal(&q, literals[i]);
		sbuf_adds(&q, ")::pg_catalog.text");
		res = sg_conn_query(c, q.buf, 1, params);
		if (res) {
			struct sbuf mine = SBUF_INIT;

			sg_quote_literal(&mine, literals[i]);
			if (strcmp(mine.buf, PQgetvalue(res, 0, 0)) == 0)
				same++;
			else
				tap_diag("literal %s: quote_literal gives %s", mine.buf,
					 PQgetvalue(res, 0, 0));
			if (strcmp(PQgetvalue(res, 0, 1), "true") == 0)
				means++;
			else
				tap_diag("literal %s does not mean the original", mine.buf);
			sbuf_release(&mine);
			PQclear(res);
		}
		sbuf_release(&q);
	}
	is_int((long long)same, (long long)n,
	       "standard_conforming_strings=%s: sg_quote_literal() equals quote_literal()", scs);
	is_int((long long)means, (long long)n,
	       "standard_conforming_strings=%s: every literal means its string", scs);
	sbuf_release(&sql);
}

/* SELECT <dollar-quoted body> = $1: the server reads the body back whole. */
static void check_dollar(struct sg_conn *c)
{
	static const char *const bodies[] = {
		"", "x", "x $", "x $_", "x $_$", "x $__", "x $__$", "$_$ $__",
		"$$", "$_", "select 1; $_", "a $_$ b $__$ c $_",
	};
	size_t means = 0;

	for (size_t i = 0; i < ARRAY_SIZE(bodies); i++) {
		const char *params[1] = { bodies[i] };
		struct sbuf q = SBUF_INIT;
		PGresult *res;

		sbuf_adds(&q, "SELECT (");
		sg_quote_dollar(&q, bodies[i]);
		sbuf_adds(&q, " = $1)::pg_catalog.text");
		res = sg_conn_query(c, q.buf, 1, params);
		if (res && strcmp(PQgetvalue(res, 0, 0), "true") == 0)
			means++;
		else
			tap_diag("dollar quote %s does not mean the body", q.buf);
		PQclear(res);
		sbuf_release(&q);
	}
	is_int((long long)means, (long long)ARRAY_SIZE(bodies),
	       "every dollar-quoted body means itself");
}

int main(void)
{
	size_t nk = ARRAY_SIZE(keywords);
	const char **words, **upper;
	size_t nsrv = 0;
	struct sg_conn *c;
	int rc;

	if (!getenv("PGHOST"))
		tap_skip_all("PGHOST is not set (run under tools/with-postgres.sh)");
	A = sg_arena_new();
	c = sg_conn_open("");
	if (!c) {
		printf("Bail out! cannot connect\n");
		return 1;
	}
	words = sg_alloc_array(A, nk, sizeof(*words));
	upper = sg_alloc_array(A, nk, sizeof(*upper));
	for (size_t i = 0; i < nk; i++) {
		char *u = sg_strdup(A, keywords[i].word);

		for (char *p = u; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		words[i] = keywords[i].word;
		upper[i] = u;
	}
	ok(nk > 400, "keywords.inc lists the keywords (%zu)", nk);
	{
		size_t nr = 0, nu = 0;

		for (size_t i = 0; i < nk; i++) {
			nr += keywords[i].category == 'R';
			nu += keywords[i].category == 'U';
		}
		ok(nr > 50 && nu > 250, "all categories present (%zu reserved, %zu unreserved)",
		   nr, nu);
	}
	{
		/*
		 * The server's own list (pg_get_keywords) is within ours: ours
		 * is the newest version's (PostgreSQL 18), so every keyword of
		 * an older server is there with its category; words only newer
		 * versions know are quoted more, never less.  The quote_ident()
		 * comparisons below use the server's words.
		 */
		PGresult *res = sg_conn_query(c,
			"SELECT word, catcode FROM pg_catalog.pg_get_keywords() ORDER BY word COLLATE \"C\"",
			0, NULL);
		size_t bad = 0, j = 0;

		if (ok(res != NULL, "pg_get_keywords()")) {
			ok((size_t)PQntuples(res) <= nk, "no more keywords than ours (%d, %zu)",
			   PQntuples(res), nk);
			nsrv = 0;
			for (int i = 0; i < PQntuples(res); i++) {
				const char *w = PQgetvalue(res, i, 0);

				while (j < nk && strcmp(keywords[j].word, w) < 0)
					j++;
				if (j >= nk || strcmp(keywords[j].word, w) != 0 ||
				    toupper((unsigned char)*PQgetvalue(res, i, 1)) !=
				    keywords[j].category) {
					tap_diag("server keyword %s/%s: ours %s/%c", w,
						 PQgetvalue(res, i, 1),
						 j < nk ? keywords[j].word : "-",
						 j < nk ? keywords[j].category : '-');
					bad++;
					continue;
				}
				words[nsrv] = keywords[j].word;
				upper[nsrv++] = upper[j];
			}
			is_int((long long)bad, 0, "every keyword of the server, with its category, is ours");
			PQclear(res);
		}
	}
	compare_quote_ident(c, "keywords", words, nsrv);
	compare_quote_ident(c, "upper-case keywords", upper, nsrv);
	compare_quote_ident(c, "odd names", odd_names, ARRAY_SIZE(odd_names));
	names_round_trip(c, "keywords", words, nsrv);
	names_round_trip(c, "upper-case keywords", upper, nsrv);
	names_round_trip(c, "odd names", odd_names, ARRAY_SIZE(odd_names));
	check_literals(c, "on");
	check_literals(c, "off");
	check_dollar(c);
	sg_conn_close(c);
	rc = tap_done();
	sg_arena_free(A);
	return rc;
}
