// SPDX-License-Identifier: MIT
/*
 * d-injection.c - issue 8: every model field that becomes SQL
 * (sg_sqlfields, src/yaml/sqlfields.c) fed payloads that would run a
 * shell command on the server (COPY ... TO PROGRAM 'touch FILE') if they
 * escaped their place: each model that loads is materialised, as `check`
 * does, in a database of the test server, and no payload may create the
 * file.  A control first checks that the server can create it at all
 * (a superuser on the same host); otherwise the test skips.
 *
 * Skips when PGHOST is unset.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <fcntl.h>

#include "schemagen/arena.h"
#include "schemagen/config.h"
#include "schemagen/conn.h"
#include "schemagen/diag.h"
#include "schemagen/diff.h"
#include "schemagen/emit.h"
#include "schemagen/introspect.h"
#include "schemagen/model.h"
#include "schemagen/order.h"
#include "schemagen/pgconn.h"
#include "schemagen/quote.h"
#include "schemagen/runner.h"
#include "schemagen/sbuf.h"
#include "schemagen/script.h"
#include "schemagen/sql.h"
#include "schemagen/util.h"
#include "schemagen/yaml.h"
#include "tap.h"

static struct sg_arena *A;

/* %s: the file's path.  Each tries another way out of its place. */
static const char *const payloads[] = {
	"1);COPY(SELECT)TO PROGRAM'touch %s';--",
	"1;COPY(SELECT)TO PROGRAM'touch %s'",
	"1 */ IS NULL);COPY(SELECT)TO PROGRAM'touch %s';--",
	"x');COPY(SELECT)TO PROGRAM'touch %s';--",
	"x\");COPY(SELECT)TO PROGRAM'touch %s';--",
	"$$;COPY(SELECT)TO PROGRAM'touch %s';$$",
	"1\nCOPY(SELECT)TO PROGRAM'touch %s'",
	"1 -- one\n);COPY(SELECT)TO PROGRAM'touch %s';--",
	"=/*",
};

/* The payload with its %s replaced by path. */
static const char *fill(const char *payload, const char *path)
{
	const char *p = strstr(payload, "%s");

	if (!p)
		return payload;
	return sg_printf(A, "%.*s%s%s", (int)(p - payload), payload, path, p + 2);
}

static char *with_payload(const char *model, const char *payload)
{
	struct sbuf sb = SBUF_INIT;
	const char *at = strchr(model, '@');

	sbuf_add(&sb, model, (size_t)(at - model));
	sbuf_addch(&sb, '"');
	for (const char *p = payload; *p; p++) {
		if (*p == '"' || *p == '\\')
			sbuf_addch(&sb, '\\');
		if (*p == '\n')
			sbuf_adds(&sb, "\\n");
		else
			sbuf_addch(&sb, *p);
	}
	sbuf_addch(&sb, '"');
	sbuf_adds(&sb, at + 1);
	return sbuf_detach(&sb, NULL);
}

/* Drops every schema but the system ones, and makes public again. */
static void reset_db(struct sg_conn *c)
{
	PGresult *res = sg_conn_query(c,
		"SELECT nspname FROM pg_catalog.pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
		"AND nspname <> 'information_schema'", 0, NULL);

	for (int i = 0; res && i < PQntuples(res); i++) {
		struct sbuf sb = SBUF_INIT;

		sbuf_adds(&sb, "DROP SCHEMA ");
		sg_quote_ident(&sb, PQgetvalue(res, i, 0));
		sbuf_adds(&sb, " CASCADE");
		sg_conn_exec(c, sb.buf);
		sbuf_release(&sb);
	}
	PQclear(res);
	sg_conn_exec(c, "CREATE SCHEMA public");
}

/* Loads the model and creates it in c as `check` does; 0 when created. */
static const char *cur_path;

static int materialise(struct sg_conn *c, const char *text)
{
	struct sg_arena *a = sg_arena_new();
	struct sg_catalog *model = sg_catalog_new(a, "models");
	struct sg_catalog *fresh = sg_catalog_new(a, "database");
	struct sg_changes changes = { 0 };
	struct sg_plan plan = { 0 };
	struct sg_script script = { 0 };
	struct sg_config cfg;
	struct sg_diags d;
	int rc = -1, saved = dup(2), null = open("/dev/null", O_WRONLY);

	sg_config_defaults(&cfg);
	sg_diags_init(&d, a);
	if (yaml_load_text("m.yaml", text, &cfg, model, &d) < 0 ||
	    sg_catalog_check(model, &d) < 0 || d.nerrors) {
		rc = 1;   /* refused when loaded: t-yaml checks how */
		goto out;
	}
	fflush(stderr);
	dup2(null, 2);   /* the server's complaints about odd names */
	if (introspect_extension_requires(c, model) < 0 ||
	    introspect_catalog(c, NULL, fresh) < 0 ||
	    diff_catalogs(a, fresh, model, &changes, &d) < 0 ||
	    order_changes(a, fresh, model, &changes, &plan, &d) < 0)
		goto out;
	emit_plan(a, &plan, &script);
	rc = runner_exec_script(c, &script, &d) < 0 ? 2 : 0;
out:
	if (rc == 2 && getenv("SG_TEST_VERBOSE") && d.n)
		tap_diag("not created: %s: %s", cur_path, d.v[0].msg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	close(null);
	sg_arena_free(a);
	return rc;
}

int main(void)
{
	struct sg_conn *admin, *c;
	struct sbuf sb = SBUF_INIT;
	char tmpl[] = "/tmp/sgi.XXXXXX";   /* short: names hold at most 63 bytes */
	const char *dir, *mark, *db;
	size_t created = 0, loaded = 0, escaped = 0;

	if (!getenv("PGHOST"))
		tap_skip_all("PGHOST is not set (run under tools/with-postgres.sh)");
	A = sg_arena_new();
	admin = sg_conn_open(NULL);
	if (!admin)
		return 1;
	db = sg_printf(A, "sg_injection_%ld", (long)getpid());
	sbuf_adds(&sb, "CREATE DATABASE ");
	sg_quote_ident(&sb, db);
	sbuf_adds(&sb, " TEMPLATE template0 ENCODING 'UTF8'");
	if (sg_conn_exec(admin, sb.buf) < 0)
		return 1;
	c = sg_conn_open(sg_printf(A, "dbname=%s", db));
	if (!c)
		return 1;
	sg_conn_exec(c, "DO $$BEGIN CREATE ROLE r1; EXCEPTION WHEN duplicate_object THEN NULL; END$$");
	sg_conn_exec(c, "DO $$BEGIN CREATE ROLE r2; EXCEPTION WHEN duplicate_object THEN NULL; END$$");

	/* the server may run as another user: the file goes where it can write */
	dir = mkdtemp(tmpl);
	if (!dir || chmod(dir, 0777) < 0)
		return 1;
	mark = sg_printf(A, "%s/p", dir);
	{
		const char *ctl = sg_printf(A, "%s/control", dir);
		PGresult *res = sg_pg_exec(sg_conn_pg(c),
			sg_printf(A, "COPY (SELECT 1) TO PROGRAM 'touch %s'", ctl));

		PQclear(res);
		if (access(ctl, F_OK) != 0) {
			rmdir(dir);
			tap_skip_all("the server cannot run COPY ... TO PROGRAM here");
		}
		unlink(ctl);
	}

	for (size_t i = 0; i < sg_nsqlfields; i++) {
		const struct sg_sqlfield *f = &sg_sqlfields[i];

		for (size_t k = 0; k < ARRAY_SIZE(payloads); k++) {
			char *text = with_payload(f->model, fill(payloads[k], mark));
			int rc;

			cur_path = f->path;
			reset_db(c);
			rc = materialise(c, text);
			loaded += rc != 1;
			created += rc == 0;
			if (access(mark, F_OK) == 0) {
				tap_diag("%s: payload %zu ran a shell command:\n%s", f->path, k + 1, text);
				unlink(mark);
				escaped++;
			}
			free(text);
		}
	}
	tap_diag("%zu fields x %zu payloads: %zu loaded, %zu created on the server",
		 sg_nsqlfields, ARRAY_SIZE(payloads), loaded, created);
	ok(loaded > 0 && created > 0, "payloads reached the server (quoted)");
	is_int((long long)escaped, 0, "no payload ran anything on the server");

	/* the payloads run as SQL by the server itself do create the file */
	{
		struct sg_conn *c2 = c;
		PGresult *res = sg_pg_exec(sg_conn_pg(c2), sg_printf(A,
			"COPY (SELECT 1) TO PROGRAM 'touch %s'", mark));

		PQclear(res);
		ok(access(mark, F_OK) == 0, "the same command run directly does (the check can fail)");
		unlink(mark);
	}
	rmdir(dir);
	sg_conn_exec(c, "DROP OWNED BY r1, r2");
	sg_conn_close(c);
	sbuf_reset(&sb);
	sbuf_adds(&sb, "DROP DATABASE ");
	sg_quote_ident(&sb, db);
	sbuf_adds(&sb, " WITH (FORCE)");
	sg_conn_exec(admin, sb.buf);
	sg_conn_exec(admin, "DROP ROLE IF EXISTS r1");
	sg_conn_exec(admin, "DROP ROLE IF EXISTS r2");
	sbuf_release(&sb);
	sg_conn_close(admin);
	sg_arena_free(A);
	sg_sql_cleanup();
	return tap_done();
}
