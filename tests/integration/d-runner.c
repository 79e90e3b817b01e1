// SPDX-License-Identifier: MIT
/*
 * d-runner.c - the runner against a real server: upgrade, current,
 * downgrade -1 and base, stamp; a failing statement rolls its revision back
 * and is reported at file:line:col; two runners at once apply each revision
 * once; --sql output run by psql leaves the same version table; revisions
 * that run outside a transaction; runner_exec_script() mapping errors onto
 * model locations.
 *
 * Every part works in a database of its own (sg_runner_<pid>_<n>, dropped
 * at the end unless SG_TEST_KEEP_DB is set).  Skips when PGHOST is unset.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "schemagen/arena.h"
#include "schemagen/conn.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/pgconn.h"
#include "schemagen/quote.h"
#include "schemagen/runner.h"
#include "schemagen/sbuf.h"
#include "schemagen/script.h"
#include "schemagen/sql.h"
#include "schemagen/store.h"
#include "schemagen/util.h"
#include "tap.h"

static struct sg_arena *A;
static struct sg_conn *admin;
static SG_VEC(const char *) dbs;
static const struct sg_runner_opts opts = { 0 };

/* ---- capturing stdout and stderr ---- */

struct capture {
	FILE *f;
	int saved;
	int fd;
};

static void cap_begin(struct capture *c, int fd)
{
	fflush(fd == 1 ? stdout : stderr);
	c->fd = fd;
	c->f = tmpfile();
	c->saved = dup(fd);
	dup2(fileno(c->f), fd);
}

static const char *read_stream(FILE *f)
{
	struct sbuf sb = SBUF_INIT;
	char buf[4096];
	size_t n;
	const char *r;

	rewind(f);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		sbuf_add(&sb, buf, n);
	r = sbuf_to_arena(&sb, A);
	sbuf_release(&sb);
	return r;
}

static const char *cap_end(struct capture *c)
{
	const char *r;

	fflush(c->fd == 1 ? stdout : stderr);
	dup2(c->saved, c->fd);
	close(c->saved);
	r = read_stream(c->f);
	fclose(c->f);
	return r;
}

/* "12 ms" -> "N ms", so timings compare. */
static const char *no_ms(const char *s)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			const char *q = p;

			while (*q >= '0' && *q <= '9')
				q++;
			if (strncmp(q, " ms", 3) == 0) {
				sbuf_addch(&sb, 'N');
				p = q - 1;
				continue;
			}
		}
		sbuf_addch(&sb, *p);
	}
	r = sbuf_to_arena(&sb, A);
	sbuf_release(&sb);
	return r;
}

/* "2026-11-21T10:00:00Z" -> "TIME", so recorded times compare. */
static const char *no_time(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	struct sbuf sb = SBUF_INIT;
	const char *r;

	for (const char *p = s; *p; p++) {
		size_t k = 0;

		while (shape[k] && p[k] &&
		       (shape[k] == 'd' ? p[k] >= '0' && p[k] <= '9' : p[k] == shape[k]))
			k++;
		if (!shape[k]) {
			sbuf_adds(&sb, "TIME");
			p += k - 1;
			continue;
		}
		sbuf_addch(&sb, *p);
	}
	r = sbuf_to_arena(&sb, A);
	sbuf_release(&sb);
	return r;
}

/* ---- databases and files ---- */

static const char *conninfo(const char *db)
{
	return sg_conninfo_with_db(A, "", db);
}

static struct sg_conn *new_db(const char **name)
{
	struct sbuf sb = SBUF_INIT;
	const char *db = sg_printf(A, "sg_runner_%ld_%zu", (long)getpid(), dbs.n);
	struct sg_conn *c;

	sbuf_adds(&sb, "CREATE DATABASE ");
	sg_quote_ident(&sb, db);
	sbuf_adds(&sb, " TEMPLATE template0 ENCODING 'UTF8'");
	if (sg_conn_exec(admin, sb.buf) < 0)
		exit(1);
	sbuf_release(&sb);
	SG_VEC_PUSH(A, &dbs, db);
	c = sg_conn_open(conninfo(db));
	if (!c)
		exit(1);
	if (name)
		*name = db;
	return c;
}

static const char *value(struct sg_conn *c, const char *sql)
{
	const char *v = sg_conn_value(c, A, sql);

	return v ? v : "";
}

static const char *versions(struct sg_conn *c)
{
	return value(c, "SELECT string_agg(version_num, ' ' ORDER BY version_num)"
			" FROM public.schemagen_version");
}

static bool exists(struct sg_conn *c, const char *rel)
{
	return strcmp(value(c, sg_printf(A, "SELECT to_regclass('%s') IS NOT NULL", rel)),
		      "t") == 0;
}

static char *tmpdir(void)
{
	char tmpl[] = "/tmp/d-runner.XXXXXX";
	char *d = mkdtemp(tmpl);

	return d ? sg_strdup(A, d) : NULL;
}

static void rmtree(const char *dir)
{
	DIR *dh = opendir(dir);
	struct dirent *de;

	if (!dh)
		return;
	while ((de = readdir(dh))) {
		char *p;

		if (de->d_name[0] == '.')
			continue;
		p = sg_path_join(dir, de->d_name);
		unlink(p);
		free(p);
	}
	closedir(dh);
	rmdir(dir);
}

/* Writes a revision with store_write(); statements separated by '\x1e'. */
static void rev(const char *dir, const char *id, const char *parent,
		const char *msg, const char *up, const char *down)
{
	struct sg_script su = { 0 }, sd = { 0 };
	const char *parents[] = { parent };
	char *s, *save = NULL;

	s = sg_strdup(A, up);
	for (char *t = strtok_r(s, "\x1e", &save); t; t = strtok_r(NULL, "\x1e", &save))
		sg_script_add(A, &su, t);
	s = sg_strdup(A, down);
	for (char *t = strtok_r(s, "\x1e", &save); t; t = strtok_r(NULL, "\x1e", &save))
		sg_script_add(A, &sd, t);
	if (!store_write(A, dir, id, parents, parent ? 1 : 0, msg, &su, &sd))
		exit(1);
}

static void put(const char *dir, const char *name, const char *text)
{
	char *p = sg_path_join(dir, name);

	if (sg_write_file_atomic(p, text, strlen(text), false) < 0)
		exit(1);
	free(p);
}

static void load(const char *dir, struct sg_revgraph *g)
{
	struct sg_diags d;

	sg_diags_init(&d, A);
	if (store_load(A, dir, g, &d) < 0) {
		sg_diags_print(&d);
		exit(1);
	}
}

static const char *file_of(const struct sg_revgraph *g, const char *id)
{
	return store_lookup(g, id)->path;
}

/* ---- the basic cycle ---- */

static void three_revisions(const char *dir)
{
	rev(dir, "aaaa00000001", NULL, "create t1",
	    "CREATE TABLE public.t1 (id int PRIMARY KEY);",
	    "DROP TABLE public.t1;");
	rev(dir, "aaaa00000002", "aaaa00000001", "add name",
	    "ALTER TABLE public.t1 ADD COLUMN name text;\x1e"
	    "CREATE TABLE public.t2 (x int);",
	    "DROP TABLE public.t2;\x1e"
	    "ALTER TABLE public.t1 DROP COLUMN name;");
	rev(dir, "aaaa00000003", "aaaa00000002", "index name",
	    "CREATE INDEX t1_name ON public.t1 (name);",
	    "DROP INDEX public.t1_name;");
}

static void test_cycle(void)
{
	char *dir = tmpdir();
	struct sg_revgraph g;
	struct sg_conn *c = new_db(NULL);
	struct capture out;
	const char **heads;
	size_t n;
	int ret;

	three_revisions(dir);
	load(dir, &g);

	ok(runner_current(c, &opts, A, &heads, &n) == 0 && n == 0,
	   "current before the first run: base, no table needed");
	cap_begin(&out, 1);
	ret = runner_upgrade(c, &g, "head", &opts);
	is_str(no_ms(cap_end(&out)),
	       "upgrade aaaa00000001 (create t1): 1 statement, N ms\n"
	       "upgrade aaaa00000002 (add name): 2 statements, N ms\n"
	       "upgrade aaaa00000003 (index name): 1 statement, N ms\n",
	       "upgrade head: one line per revision");
	is_int(ret, 0, "upgrade head succeeds");
	ok(runner_current(c, &opts, A, &heads, &n) == 0 && n == 1 &&
	   strcmp(heads[0], "aaaa00000003") == 0, "current is the head");
	ok(exists(c, "public.t1_name") && exists(c, "public.t2"), "schema applied");
	is_str(value(c, "SELECT string_agg(revision || ' ' || direction || ' ' ||"
			" (checksum IS NOT NULL) || ' ' || (duration_ms IS NOT NULL) ||"
			" ' ' || (applied_by = current_user), ', ' ORDER BY id)"
			" FROM public.schemagen_history"),
	       "aaaa00000001 upgrade true true true, aaaa00000002 upgrade true true true, "
	       "aaaa00000003 upgrade true true true", "history rows");
	is_str(value(c, sg_printf(A, "SELECT checksum FROM public.schemagen_history WHERE revision = 'aaaa00000002'")),
	       store_lookup(&g, "aaaa00000002")->checksum, "history checksum is the file's");
	is_str(value(c, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
			" AND pid = pg_backend_pid()"), "0", "lock released");

	cap_begin(&out, 1);
	ret = runner_upgrade(c, &g, "head", &opts);
	is_str(cap_end(&out), "nothing to do: the database is already at aaaa00000003\n",
	       "upgrade head again: nothing to do");
	is_int(ret, 0, "and succeeds");

	cap_begin(&out, 1);
	ret = runner_downgrade(c, &g, "-1", &opts);
	is_str(no_ms(cap_end(&out)), "downgrade aaaa00000003 (index name): 1 statement, N ms\n",
	       "downgrade -1");
	is_int(ret, 0, "downgrade -1 succeeds");
	is_str(versions(c), "aaaa00000002", "version table after -1");
	ok(!exists(c, "public.t1_name") && exists(c, "public.t2"), "index dropped");

	cap_begin(&out, 1);
	ret = runner_downgrade(c, &g, "base", &opts);
	is_str(no_ms(cap_end(&out)),
	       "downgrade aaaa00000002 (add name): 2 statements, N ms\n"
	       "downgrade aaaa00000001 (create t1): 1 statement, N ms\n", "downgrade base");
	is_int(ret, 0, "downgrade base succeeds");
	is_str(versions(c), "", "version table empty at base");
	ok(!exists(c, "public.t1"), "everything reverted");

	cap_begin(&out, 1);
	ret = runner_stamp(c, &g, "aaaa00000002", &opts);
	is_str(cap_end(&out), "stamped the database at aaaa00000002 (it was at base)\n",
	       "stamp");
	is_int(ret, 0, "stamp succeeds");
	is_str(versions(c), "aaaa00000002", "version table after stamp");
	ok(!exists(c, "public.t1"), "stamp runs nothing");
	is_str(value(c, "SELECT revision || ' ' || direction || ' ' || (checksum IS NOT NULL)"
			" FROM public.schemagen_history ORDER BY id DESC LIMIT 1"),
	       "aaaa00000002 stamp true", "stamp history row");
	{
		struct capture err;
		const char *e;

		cap_begin(&out, 1);
		cap_begin(&err, 2);

		ret = runner_upgrade(c, &g, "+1", &opts);
		e = cap_end(&err);
		cap_end(&out);
		ok(strstr(e, "error: relation \"public.t1\" does not exist") != NULL,
		   "upgrade +1 after a false stamp: t1 does not exist");
		ok(ret < 0, "and fails");
	}
	cap_begin(&out, 1);
	ret = runner_stamp(c, &g, "base", &opts);
	is_str(cap_end(&out), "stamped the database at base (it was at aaaa00000002)\n",
	       "stamp base");
	is_str(versions(c), "", "stamp base empties the version table");

	/* an edited applied file is reported */
	cap_begin(&out, 1);
	runner_upgrade(c, &g, "aaaa00000001", &opts);
	cap_end(&out);
	{
		const char *p = file_of(&g, "aaaa00000001");
		size_t len;
		char *buf = sg_read_file(p, &len);
		const char *text;
		struct sbuf sb = SBUF_INIT;
		struct capture err;
		struct sg_revgraph g2;

		sbuf_add(&sb, buf, len);
		sbuf_adds(&sb, "-- edited\n");
		sg_write_file_atomic(p, sb.buf, sb.len, false);
		free(buf);
		sbuf_release(&sb);
		load(dir, &g2);
		cap_begin(&out, 1);
		cap_begin(&err, 2);
		ret = runner_upgrade(c, &g2, "aaaa00000001", &opts);
		text = cap_end(&err);
		cap_end(&out);
		is_str(no_time(text),
		       sg_printf(A, "schemagen: error: %s: revision aaaa00000001 was changed after it was applied (applied TIME by %s): its checksum is not the recorded one\n"
				 "  hint: restore the file as applied (git checkout); or, if the database already has what the file says now, accept it: schemagen upgrade aaaa00000001 --accept-changed aaaa00000001\n",
				 p, value(c, "SELECT current_user")),
		       "edited applied file: refused, with both ways out");
		ok(ret < 0, "and the upgrade fails");
	}
	sg_conn_close(c);
	rmtree(dir);
}

/* ---- a failing statement ---- */

static void test_failure(void)
{
	char *dir = tmpdir();
	struct sg_revgraph g;
	struct sg_conn *c = new_db(NULL);
	struct capture out, err;
	const char *path, *e, *o;
	int ret;

	rev(dir, "good00000001", NULL, "good one", "CREATE TABLE public.g (x int);",
	    "DROP TABLE public.g;");
	put(dir, "bad000000001_bad_one.sql",
	    "-- schemagen revision: bad000000001\n"
	    "-- parents: good00000001\n"
	    "-- message: bad one\n"
	    "-- created: 2026-01-01T00:00:00Z\n"
	    "\n"
	    "-- +upgrade\n"
	    "CREATE TABLE public.a (x int);\n"
	    "SELECT 1; ALTER TABLE public.a\n"
	    "    ADD COLUMN y int,\n"
	    "    ADD COLUMN zü nosuchtype;\n"
	    "CREATE TABLE public.b (x int);\n"
	    "\n"
	    "-- +downgrade\n"
	    "DROP TABLE public.b;\n"
	    "DROP TABLE public.a;\n");
	load(dir, &g);
	path = file_of(&g, "bad000000001");

	cap_begin(&out, 1);
	cap_begin(&err, 2);
	ret = runner_upgrade(c, &g, "heads", &opts);
	e = cap_end(&err);
	o = cap_end(&out);
	is_str(e,
	       sg_printf(A,
			 "%s:10:19: error: type \"nosuchtype\" does not exist\n"
			 "  SQLSTATE: 42704\n"
			 "  statement: ALTER TABLE public.a\n"
			 "                 ADD COLUMN y int,\n"
			 "                 ADD COLUMN zü nosuchtype;\n"
			 "revision bad000000001 (bad one) was rolled back; the database is still at good00000001\n",
			 path),
	       "failing statement: file:line:col inside its third line, the server's fields, the rollback");
	is_str(no_ms(o), "upgrade good00000001 (good one): 1 statement, N ms\n",
	       "the revision before it was applied");
	ok(ret < 0, "upgrade fails");
	is_str(versions(c), "good00000001", "version table unchanged by the failed revision");
	ok(exists(c, "public.g") && !exists(c, "public.a"), "the failed revision left nothing");
	is_str(value(c, "SELECT count(*) FROM public.schemagen_history"), "1",
	       "no history row for the failed revision");
	is_str(value(c, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
			" AND pid = pg_backend_pid()"), "0", "lock released after the failure");
	is_str(value(c, "SELECT 1"), "1", "connection usable (transaction rolled back)");

	/* an error without a position points at the statement */
	put(dir, "bad000000002_dup.sql",
	    "-- schemagen revision: bad000000002\n"
	    "-- parents: bad000000001\n"
	    "-- message: duplicate\n"
	    "-- created: 2026-01-01T00:00:00Z\n"
	    "\n"
	    "-- +upgrade\n"
	    "  INSERT INTO public.g VALUES (1); CREATE TABLE public.g (x int);\n"
	    "-- +downgrade\n");
	unlink(sg_printf(A, "%s/bad000000001_bad_one.sql", dir));
	put(dir, "bad000000001_bad_one.sql",
	    "-- schemagen revision: bad000000001\n-- parents: good00000001\n"
	    "-- message: fixed\n-- created: 2026-01-01T00:00:00Z\n\n-- +upgrade\n-- +downgrade\n");
	load(dir, &g);
	cap_begin(&out, 1);
	cap_begin(&err, 2);
	ret = runner_upgrade(c, &g, "head", &opts);
	e = cap_end(&err);
	cap_end(&out);
	is_str(e,
	       sg_printf(A,
			 "%s:7:36: error: relation \"g\" already exists\n"
			 "  SQLSTATE: 42P07\n"
			 "  statement: CREATE TABLE public.g (x int);\n"
			 "revision bad000000002 (duplicate) was rolled back; the database is still at bad000000001\n",
			 file_of(&g, "bad000000002")),
	       "error without a position: the statement's own line:col");
	is_str(value(c, "SELECT count(*) FROM public.g"), "0", "the INSERT was rolled back");
	sg_conn_close(c);
	rmtree(dir);
}

/* ---- two runners at once ---- */

static pid_t spawn_upgrade(const char *db, const char *dir, const char *outpath)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		FILE *f = fopen(outpath, "w");
		struct sg_revgraph g;
		struct sg_conn *c;
		int ret;

		dup2(fileno(f), 1);
		dup2(fileno(f), 2);
		c = sg_conn_open(conninfo(db));
		load(dir, &g);
		ret = c ? runner_upgrade(c, &g, "head", &opts) : -1;
		sg_conn_close(c);
		fflush(stdout);
		fflush(stderr);
		_exit(ret < 0 ? 1 : 0);
	}
	return pid;
}

static void test_concurrent(void)
{
	char *dir = tmpdir();
	const char *db, *o1 = sg_printf(A, "%s.1", dir), *o2 = sg_printf(A, "%s.2", dir);
	struct sg_conn *c = new_db(&db);
	pid_t p1, p2;
	int st1 = -1, st2 = -1;
	bool held = false;
	const char *out1, *out2;
	FILE *f;

	rev(dir, "cccc00000001", NULL, "slow start",
	    "CREATE TABLE public.c (x int);\x1eSELECT pg_sleep(1.5);", "DROP TABLE public.c;");
	rev(dir, "cccc00000002", "cccc00000001", "second",
	    "INSERT INTO public.c VALUES (1);", "DELETE FROM public.c;");

	p1 = spawn_upgrade(db, dir, o1);
	/* wait until the first runner holds the lock, then start the second */
	for (int i = 0; i < 200 && !held; i++) {
		held = strcmp(value(c, "SELECT count(*) > 0 FROM pg_locks"
				       " WHERE locktype = 'advisory' AND granted"
				       " AND database = (SELECT oid FROM pg_database"
				       " WHERE datname = current_database())"), "t") == 0;
		if (!held)
			usleep(20000);
	}
	ok(held, "first runner holds the advisory lock");
	p2 = spawn_upgrade(db, dir, o2);
	waitpid(p1, &st1, 0);
	waitpid(p2, &st2, 0);
	ok(WIFEXITED(st1) && WEXITSTATUS(st1) == 0, "first runner succeeds");
	ok(WIFEXITED(st2) && WEXITSTATUS(st2) == 0, "second runner succeeds");
	f = fopen(o1, "r");
	out1 = f ? read_stream(f) : "";
	if (f)
		fclose(f);
	f = fopen(o2, "r");
	out2 = f ? read_stream(f) : "";
	if (f)
		fclose(f);
	is_str(no_ms(out1),
	       "upgrade cccc00000001 (slow start): 2 statements, N ms\n"
	       "upgrade cccc00000002 (second): 1 statement, N ms\n",
	       "first runner applied both revisions");
	ok(strstr(out2, "schemagen: waiting for the migration lock on public.schemagen_version, held by pid ") != NULL &&
	   strstr(out2, "(schemagen, user ") != NULL &&
	   strstr(out2, ", local socket, connected since ") != NULL,
	   "second runner says who holds the lock");
	ok(strstr(out2, "nothing to do: the database is already at cccc00000002\n") != NULL,
	   "second runner found nothing left to do");
	if (!strstr(out2, "nothing to do"))
		tap_diag("second runner said: %s", out2);
	is_str(value(c, "SELECT string_agg(revision || ':' || n, ' ' ORDER BY revision) FROM"
			" (SELECT revision, count(*) AS n FROM public.schemagen_history"
			"  WHERE direction = 'upgrade' GROUP BY revision) s"),
	       "cccc00000001:1 cccc00000002:1", "each revision applied exactly once");
	is_str(value(c, "SELECT count(*) FROM public.c"), "1", "the INSERT ran once");
	is_str(versions(c), "cccc00000002", "version table at head");
	unlink(o1);
	unlink(o2);
	sg_conn_close(c);
	rmtree(dir);
}

/* ---- --sql ---- */

static int psql_file(const char *db, const char *file)
{
	const char *bindir = getenv("SG_TEST_PG_BINDIR");
	const char *psql = bindir ? sg_printf(A, "%s/psql", bindir) : "psql";
	const char *cmd = sg_printf(A, "%s -X -q -v ON_ERROR_STOP=1 -d '%s' -f '%s' >%s.log 2>&1",
				    psql, db, file, file);
	int rc = system(cmd);

	if (rc != 0) {
		FILE *f = fopen(sg_printf(A, "%s.log", file), "r");

		tap_diag("psql failed: %s", f ? read_stream(f) : "?");
		if (f)
			fclose(f);
	}
	unlink(sg_printf(A, "%s.log", file));
	return rc;
}

static const char *sql_of(const struct sg_revgraph *g, bool up, const char *target,
			  const char *file)
{
	FILE *f = fopen(file, "w+");
	struct sg_runner_opts o = { .sql_out = f };
	int ret = up ? runner_upgrade(NULL, g, target, &o)
		     : runner_downgrade(NULL, g, target, &o);
	const char *text = read_stream(f);

	fclose(f);
	return ret < 0 ? NULL : text;
}

static const char *schema_of(struct sg_conn *c)
{
	return value(c, "SELECT string_agg(table_name || '.' || column_name, ' '"
			" ORDER BY table_name, column_name) FROM information_schema.columns"
			" WHERE table_schema = 'public' AND table_name NOT LIKE 'schemagen%'");
}

static void test_sql(void)
{
	char *dir = tmpdir();
	const char *file = sg_printf(A, "%s.sql", dir);
	const char *db1, *text;
	struct sg_conn *c1 = new_db(&db1), *c2 = new_db(NULL);
	struct sg_revgraph g;
	struct capture out;
	int ret;

	three_revisions(dir);
	rev(dir, "aaaa00000004", "aaaa00000003", "quote's and dollars",
	    "CREATE FUNCTION public.f() RETURNS text LANGUAGE plpgsql AS $$\n"
	    "BEGIN\n  RETURN 'it''s; fine';\nEND\n$$;",
	    "DROP FUNCTION public.f();");
	load(dir, &g);

	text = sql_of(&g, true, "head", file);
	ok(text != NULL, "upgrade --sql succeeds without a connection");
	ok(text && strstr(text, "\n-- upgrade aaaa00000002 (add name)\nBEGIN;\n"
				"ALTER TABLE public.t1 ADD COLUMN name text;\n"
				"CREATE TABLE public.t2 (x int);\n"
				"UPDATE public.schemagen_version SET version_num = 'aaaa00000002'"
				" WHERE version_num = 'aaaa00000001';\n"
				"INSERT INTO public.schemagen_history (revision, direction, checksum)"
				" VALUES ('aaaa00000002', 'upgrade', '") != NULL,
	   "--sql: BEGIN, statements, version move, history row");
	ok(text && strncmp(text, "-- schemagen upgrade head: from base, 4 revisions\n", 50) == 0,
	   "--sql header");
	is_int(psql_file(db1, file), 0, "psql runs the upgrade SQL");
	cap_begin(&out, 1);
	runner_upgrade(c2, &g, "head", &opts);
	cap_end(&out);
	is_str(versions(c1), versions(c2), "psql and the runner leave the same version table");
	is_str(versions(c1), "aaaa00000004", "at head");
	is_str(schema_of(c1), schema_of(c2), "and the same tables");
	is_str(value(c1, "SELECT public.f()"), "it's; fine", "dollar-quoted body intact");
	is_str(value(c1, "SELECT string_agg(revision || ' ' || direction, ', ' ORDER BY id)"
			 " FROM public.schemagen_history"),
	       "aaaa00000001 upgrade, aaaa00000002 upgrade, aaaa00000003 upgrade, aaaa00000004 upgrade",
	       "psql wrote the history too");

	/* the runner continues where psql left off, and the reverse */
	cap_begin(&out, 1);
	ret = runner_downgrade(c1, &g, "aaaa00000002", &opts);
	cap_end(&out);
	is_int(ret, 0, "runner downgrades a psql-upgraded database");
	text = sql_of(&g, true, "aaaa00000002:head", file);
	ok(text && strstr(text, "from aaaa00000002, 2 revisions") != NULL, "--sql FROM:TO range");
	is_int(psql_file(db1, file), 0, "psql runs the ranged SQL");
	is_str(versions(c1), "aaaa00000004", "back at head");
	text = sql_of(&g, false, "base", file);
	ok(text && strstr(text, "from aaaa00000004, 4 revisions") != NULL,
	   "downgrade --sql starts at the heads");
	is_int(psql_file(db1, file), 0, "psql runs the downgrade SQL");
	is_str(versions(c1), "", "psql downgrade to base empties the version table");
	is_str(schema_of(c1), "", "and drops everything");
	cap_begin(&out, 1);
	ret = runner_downgrade(c2, &g, "base", &opts);
	cap_end(&out);
	is_int(ret, 0, "runner downgrade base");
	is_str(versions(c1), versions(c2), "same version table after downgrade");

	cap_begin(&out, 2);
	ret = runner_upgrade(c1, &g, "a:b", &opts);
	text = cap_end(&out);
	ok(ret < 0, "a range without --sql is refused");
	is_str(text, "schemagen: error: a range like 'a:b' is only for --sql\n",
	       "range message");
	unlink(file);
	sg_conn_close(c1);
	sg_conn_close(c2);
	rmtree(dir);
}

/* ---- names that need quoting ---- */

static void test_custom_names(void)
{
	char *dir = tmpdir();
	const char *file = sg_printf(A, "%s.sql", dir), *db2, *text;
	struct sg_conn *c = new_db(NULL), *c2 = new_db(&db2);
	struct sg_runner_opts o = { .version_schema = "Ops Schema",
				    .version_table = "Version", .history_table = "hist" };
	struct sg_revgraph g;
	struct capture out;
	const char **heads;
	size_t n;
	int ret;

	three_revisions(dir);
	load(dir, &g);
	ok(runner_current(c, &o, A, &heads, &n) == 0 && n == 0,
	   "current with a missing version schema: base");
	cap_begin(&out, 1);
	ret = runner_upgrade(c, &g, "aaaa00000002", &o);
	cap_end(&out);
	is_int(ret, 0, "upgrade with quoted version names");
	is_str(value(c, "SELECT string_agg(version_num, ' ') FROM \"Ops Schema\".\"Version\""),
	       "aaaa00000002", "version table in the quoted schema");
	is_str(value(c, "SELECT count(*) FROM \"Ops Schema\".hist"), "2", "history table too");
	ok(runner_current(c, &o, A, &heads, &n) == 0 && n == 1 &&
	   strcmp(heads[0], "aaaa00000002") == 0, "current reads it");
	ok(!exists(c, "public.schemagen_version"), "nothing in public");

	{
		FILE *f = fopen(file, "w+");
		struct sg_runner_opts so = o;

		so.sql_out = f;
		ret = runner_upgrade(NULL, &g, "aaaa00000002", &so);
		text = read_stream(f);
		fclose(f);
	}
	ok(ret == 0 && strstr(text, "CREATE SCHEMA IF NOT EXISTS \"Ops Schema\";\n"
				    "CREATE TABLE IF NOT EXISTS \"Ops Schema\".\"Version\" (\n") != NULL,
	   "--sql creates the quoted schema and table");
	is_int(psql_file(db2, file), 0, "psql runs it");
	is_str(value(c2, "SELECT string_agg(version_num, ' ') FROM \"Ops Schema\".\"Version\""),
	       "aaaa00000002", "same version table through psql");
	unlink(file);
	sg_conn_close(c);
	sg_conn_close(c2);
	rmtree(dir);
}

/* ---- the checked-in sample store ---- */

static void test_fixture_store(void)
{
	const char *root = getenv("SG_SOURCE_ROOT");
	const char *dir = root ? sg_printf(A, "%s/tests/fixtures/migrations/graph", root)
			       : "fixtures/migrations/graph";
	const char *file = sg_printf(A, "/tmp/d-runner-fixture-%ld.sql", (long)getpid());
	const char *db2;
	struct sg_conn *c = new_db(NULL), *c2 = new_db(&db2);
	struct sg_revgraph g;
	struct capture out;
	int ret;

	load(dir, &g);
	cap_begin(&out, 1);
	ret = runner_upgrade(c, &g, "4d5e", &opts);
	ret = ret == 0 ? runner_upgrade(c, &g, "head", &opts) : ret;
	is_str(no_ms(cap_end(&out)),
	       "upgrade 1a2b3c4d5e6f (create customers): 2 statements, N ms\n"
	       "upgrade 2b3c4d5e6f70 (add orders): 3 statements, N ms\n"
	       "upgrade 4d5e6f708192 (add status to orders): 1 statement, N ms\n"
	       "upgrade 3c4d5e6f7081 (index customer email): 1 statement, N ms\n"
	       "upgrade 5e6f708192a3 (merge): 0 statements, N ms\n",
	       "fixture store: one branch, then the other and the merge");
	is_int(ret, 0, "fixture store applies");
	is_str(versions(c), "5e6f708192a3", "at the merge");
	is_str(value(c, "SELECT count(*) FROM public.schemagen_history"), "5", "five history rows");
	ok(exists(c, "public.customers_email_key"), "concurrent index built");
	ok(sql_of(&g, true, "heads", file) != NULL, "fixture --sql");
	is_int(psql_file(db2, file), 0, "psql applies the fixture SQL");
	is_str(versions(c2), versions(c), "same version table");
	is_str(schema_of(c2), schema_of(c), "same columns");
	cap_begin(&out, 1);
	ret = runner_downgrade(c, &g, "base", &opts);
	cap_end(&out);
	is_int(ret, 0, "fixture store reverts to base");
	is_str(schema_of(c), "", "nothing left");
	is_str(value(c, "SELECT count(*) FROM pg_type WHERE typname = 'order_status'"), "0",
	       "enum dropped");
	unlink(file);
	sg_conn_close(c);
	sg_conn_close(c2);
}

/* ---- revisions outside a transaction ---- */

static void test_no_transaction(void)
{
	char *dir = tmpdir();
	const char *db, *file = sg_printf(A, "%s.sql", dir), *text, *path;
	struct sg_conn *c = new_db(&db);
	struct sg_revgraph g;
	struct capture out, err;
	int ret;

	rev(dir, "nt0000000001", NULL, "table", "CREATE TABLE public.c (x int, y int);",
	    "DROP TABLE public.c;");
	rev(dir, "nt0000000002", "nt0000000001", "concurrent index",
	    "CREATE INDEX CONCURRENTLY c_x ON public.c (x);",
	    "DROP INDEX CONCURRENTLY public.c_x;");
	load(dir, &g);
	{
		struct sg_revision *r = store_lookup(&g, "nt0000000002");
		struct sg_diags d;

		sg_diags_init(&d, A);
		ok(!r->up_no_transaction && store_parse_body(r, &d) == 0 &&
		   r->up_no_transaction,
		   "revision detected as no-transaction (when its statements are parsed)");
	}
	cap_begin(&out, 1);
	ret = runner_upgrade(c, &g, "head", &opts);
	is_str(no_ms(cap_end(&out)),
	       "upgrade nt0000000001 (table): 1 statement, N ms\n"
	       "upgrade nt0000000002 (concurrent index): 1 statement, N ms\n",
	       "CREATE INDEX CONCURRENTLY revision applied");
	is_int(ret, 0, "upgrade succeeds");
	ok(exists(c, "public.c_x"), "index exists");
	is_str(value(c, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'public.c_x'::regclass"),
	       "t", "index valid");
	is_str(versions(c), "nt0000000002", "version table updated after the statements");
	cap_begin(&out, 1);
	ret = runner_downgrade(c, &g, "-1", &opts);
	cap_end(&out);
	ok(ret == 0 && !exists(c, "public.c_x"), "DROP INDEX CONCURRENTLY downgrade");

	text = sql_of(&g, true, "head", file);
	ok(text && strstr(text, "-- upgrade nt0000000002 (concurrent index)\n"
				"-- runs outside a transaction\n"
				"CREATE INDEX CONCURRENTLY c_x ON public.c (x);\n"
				"BEGIN;\n") != NULL, "--sql: no BEGIN around the concurrent index");
	{
		const char *db2;
		struct sg_conn *c2 = new_db(&db2);

		is_int(psql_file(db2, file), 0, "psql runs it");
		is_str(versions(c2), "nt0000000002", "psql version table");
		sg_conn_close(c2);
	}

	put(dir, "nt0000000003_three.sql",
	    "-- schemagen revision: nt0000000003\n"
	    "-- parents: nt0000000002\n"
	    "-- message: three indexes\n"
	    "-- created: 2026-01-01T00:00:00Z\n"
	    "\n"
	    "-- +upgrade\n"
	    "CREATE INDEX CONCURRENTLY c_y ON public.c (y);\n"
	    "CREATE INDEX CONCURRENTLY c_z ON public.c (nosuchcol);\n"
	    "CREATE TABLE public.never (x int);\n"
	    "\n"
	    "-- +downgrade\n"
	    "DROP INDEX CONCURRENTLY public.c_y;\n");
	load(dir, &g);
	path = file_of(&g, "nt0000000003");
	cap_begin(&out, 1);
	cap_begin(&err, 2);
	ret = runner_upgrade(c, &g, "head", &opts);
	text = cap_end(&err);
	cap_end(&out);
	is_str(text,
	       sg_printf(A,
			 "%s:8:1: error: column \"nosuchcol\" does not exist\n"
			 "  SQLSTATE: 42703\n"
			 "  statement: CREATE INDEX CONCURRENTLY c_z ON public.c (nosuchcol);\n"
			 "revision nt0000000003 (three indexes) runs outside a transaction: statement 1 of 3 ran and stays applied, statement 2 failed; the version table still says nt0000000002\n"
			 "  hint: the statements that ran are recorded: fix the cause and run the command again, it resumes at statement 2\n",
			 path),
	       "failure part-way: which statements ran");
	ok(ret < 0, "upgrade fails");
	ok(exists(c, "public.c_y") && !exists(c, "public.never"), "statement 1 stays, 3 never ran");
	is_str(versions(c), "nt0000000002", "version table not moved");
	is_str(value(c, "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
			" AND pid = pg_backend_pid()"), "0", "lock released");
	unlink(file);
	sg_conn_close(c);
	rmtree(dir);
}

/* ---- the production runner: state, lock wait, one transaction, stamp ---- */

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void hold_lock(struct sg_conn *c, bool on)
{
	const char *vt = "public.schemagen_version";
	long long key = (long long)(int64_t)sg_hash64(vt, strlen(vt));

	sg_conn_exec(c, sg_printf(A, "SELECT pg_advisory_%slock(%lld)", on ? "" : "un", key));
}

static void test_production(void)
{
	char *dir = tmpdir();
	const char *db, *text, *e;
	struct sg_conn *c = new_db(&db), *other;
	struct sg_runner_opts o = { 0 };
	struct sg_revgraph g;
	struct sg_db_state st;
	struct capture out, err;
	int ret;

	put(dir, "p1_one.sql",
	    "-- schemagen revision: p1\n-- parents:\n-- message: one\n"
	    "-- created: 2026-01-01T00:00:00Z\n-- lock-timeout: 5s\n\n"
	    "-- +upgrade\nCREATE TABLE public.p1 (x int);\n\n"
	    "-- +downgrade\nDROP TABLE public.p1;\n");
	put(dir, "p2_two.sql",
	    "-- schemagen revision: p2\n-- parents: p1\n-- message: two\n"
	    "-- created: 2026-01-01T00:00:00Z\n\n"
	    "-- +upgrade\nCREATE TABLE public.p2 (x int);\nSELECT 1 / 0;\n\n"
	    "-- +downgrade\nDROP TABLE public.p2;\n");
	load(dir, &g);

	ok(runner_state(c, &g, &o, A, &st) == 0 && st.nheads == 0 && st.napplied == 0 &&
	   st.nchanged == 0 && st.nunknown == 0, "state of a database that never saw schemagen");

	/* --sql, one transaction: the second revision goes back to the session's timeout */
	{
		FILE *f = tmpfile();
		struct sg_runner_opts so = { .sql_out = f, .single_transaction = true };

		ret = runner_upgrade(NULL, &g, "head", &so);
		text = read_stream(f);
		fclose(f);
		ok(ret == 0 && strstr(text,
			"\nBEGIN;\n\n-- upgrade p1 (one)\nSET LOCAL lock_timeout = '5s';\n"
			"CREATE TABLE public.p1 (x int);\n") &&
		   strstr(text, "-- upgrade p2 (two)\nSET LOCAL lock_timeout TO DEFAULT;\n"
				"CREATE TABLE public.p2 (x int);\n") &&
		   strstr(text, "\nCOMMIT;\n\nSELECT pg_catalog.pg_advisory_unlock("),
		   "--sql in one transaction: a revision's timeout ends with it (TO DEFAULT)");
	}

	/* one transaction: the failure in p2 takes p1 with it */
	o.single_transaction = true;
	cap_begin(&out, 1);
	cap_begin(&err, 2);
	ret = runner_upgrade(c, &g, "head", &o);
	e = cap_end(&err);
	cap_end(&out);
	ok(ret < 0 && strstr(e, "revision p2 (two) failed, so the whole run was rolled back (one transaction); the database is still at base\n"),
	   "single transaction: the report");
	ok(!exists(c, "public.p1") && strcmp(versions(c), "") == 0 &&
	   strcmp(value(c, "SELECT count(*) FROM public.schemagen_history"), "0") == 0,
	   "single transaction: nothing of the run stays");
	o.single_transaction = false;

	/* the lock: not waiting, and waiting a little */
	other = sg_conn_open(conninfo(db));
	hold_lock(other, true);
	o.lock_wait_ms = SG_LOCK_NOWAIT;
	cap_begin(&err, 2);
	ret = runner_upgrade(c, &g, "p1", &o);
	e = cap_end(&err);
	ok(ret < 0 && starts(e, "schemagen: error: the migration lock on public.schemagen_version is held by pid "),
	   "lock held, SG_LOCK_NOWAIT: refused at once");
	o.lock_wait_ms = 300;
	cap_begin(&err, 2);
	ret = runner_upgrade(c, &g, "p1", &o);
	e = cap_end(&err);
	ok(ret < 0 && strstr(e, "schemagen: waiting up to 0.3 s for the migration lock on public.schemagen_version, held by pid ") &&
	   strstr(e, "schemagen: error: gave up waiting for the migration lock on public.schemagen_version after 0.3 s: it is still held by pid "),
	   "lock held, 300 ms: gives up, saying who holds it");
	ok(strcmp(value(c, "SHOW lock_timeout"), "0") == 0 && strcmp(value(c, "SHOW statement_timeout"), "0") == 0,
	   "the wait's timeouts do not outlive it");
	hold_lock(other, false);
	cap_begin(&out, 1);
	ret = runner_upgrade(c, &g, "p1", &o);
	cap_end(&out);
	ok(ret == 0 && strcmp(versions(c), "p1") == 0, "lock free: applied");
	is_str(value(c, "SHOW client_connection_check_interval"), "1s",
	       "the runner's session checks for a vanished client");
	sg_conn_close(other);

	/* a history table from before `accept` is widened; accepting an edit */
	sg_conn_exec(c, "ALTER TABLE public.schemagen_history DROP CONSTRAINT schemagen_history_direction_check, "
			"ADD CONSTRAINT schemagen_history_direction_check CHECK (direction IN ('upgrade', 'downgrade', 'stamp'))");
	put(dir, "p1_one.sql",
	    "-- schemagen revision: p1\n-- parents:\n-- message: one\n"
	    "-- created: 2026-01-01T00:00:00Z\n-- lock-timeout: 5s\n\n"
	    "-- +upgrade\nCREATE TABLE public.p1 (x int); -- edited\n\n"
	    "-- +downgrade\nDROP TABLE public.p1;\n");
	unlink(sg_printf(A, "%s/p2_two.sql", dir));
	load(dir, &g);
	ok(runner_state(c, &g, &o, A, &st) == 0 && st.nchanged == 1 &&
	   strcmp(st.changed[0]->id, "p1") == 0, "runner_state: the edited file");
	{
		const char *acc[] = { "p1" };

		o.accept_changed = acc;
		o.naccept_changed = 1;
		cap_begin(&out, 1);
		ret = runner_upgrade(c, &g, "head", &o);
		text = cap_end(&out);
		o.naccept_changed = 0;
	}
	is_str(text, sg_printf(A, "accepted the changed file of revision p1 (%s/p1_one.sql): its new checksum is recorded\n"
			       "nothing to do: the database is already at p1\n", dir),
	       "accept_changed: recorded, in an old history table too");
	ok(ret == 0 && runner_state(c, &g, &o, A, &st) == 0 && st.nchanged == 0 &&
	   strcmp(runner_applied(&st, "p1")->direction, "accept") == 0,
	   "the state is clean again; the last row is the acceptance");

	/* stamp: other branches' heads stay; unknown heads need --purge */
	put(dir, "q1_q.sql",
	    "-- schemagen revision: q1\n-- parents:\n-- message: q\n"
	    "-- created: 2026-01-01T00:00:00Z\n\n-- +upgrade\n\n-- +downgrade\n");
	put(dir, "q2_q.sql",
	    "-- schemagen revision: q2\n-- parents: q1\n-- message: q2\n"
	    "-- created: 2026-01-01T00:00:00Z\n\n-- +upgrade\n\n-- +downgrade\n");
	load(dir, &g);
	cap_begin(&out, 1);
	ret = runner_stamp(c, &g, "q2", &o);
	is_str(cap_end(&out), "stamped the database at p1, q2 (it was at p1)\n",
	       "stamp on another branch keeps this one's head");
	cap_begin(&out, 1);
	ret = runner_stamp(c, &g, "q1", &o);
	is_str(cap_end(&out), "stamped the database at p1, q1 (it was at p1, q2)\n",
	       "stamp down a branch replaces its head");
	sg_conn_exec(c, "INSERT INTO public.schemagen_version VALUES ('gone')");
	cap_begin(&err, 2);
	ret = runner_stamp(c, &g, "q2", &o);
	ok(ret < 0 && starts(cap_end(&err), "schemagen: error: the version table holds revision gone, which is not in "),
	   "stamp over an unknown head is refused");
	o.purge = true;
	cap_begin(&out, 1);
	ret = runner_stamp(c, &g, "q2", &o);
	is_str(cap_end(&out), "stamped the database at q2 (it was at gone, p1, q1)\n", "stamp with purge");
	ok(ret == 0 && strcmp(versions(c), "q2") == 0, "purge: only q2 left");
	sg_conn_close(c);
	rmtree(dir);
}

/* ---- generated scripts ---- */

static void test_exec_script(void)
{
	struct sg_conn *c = new_db(NULL);
	struct sg_script s = { 0 };
	struct sg_diags d;
	struct sg_stmt *st;
	struct sg_object billing = { .schema = "billing", .name = "x" };
	struct sg_object m2 = { .schema = "public", .name = "m2",
				.loc = { .file = sg_file_id("schema/app.yaml"), .line = 9, .col = 3 } };
	struct sg_srcfrag frag = {
		.loc = { .file = sg_file_id("schema/app.yaml"), .line = 5, .col = 20 },
	};
	struct sbuf sb = SBUF_INIT;
	struct capture err;
	int ret;

	/* search_path follows the origin's schema */
	sg_script_add(A, &s, "CREATE SCHEMA billing;");
	st = sg_script_add(A, &s, "CREATE FUNCTION billing.f() RETURNS int LANGUAGE sql AS 'SELECT 7';");
	st->origin = &billing;
	st = sg_script_add(A, &s, "CREATE TABLE billing.x (a int DEFAULT f());");
	st->origin = &billing;
	st = sg_script_add(A, &s, "CREATE TABLE public.y (a int);");
	st->origin = &m2;
	sg_diags_init(&d, A);
	ret = runner_exec_script(c, &s, &d);
	is_int(ret, 0, "script with per-schema search_path runs");
	is_str(value(c, "SELECT pg_get_expr(adbin, adrelid) FROM pg_attrdef"
			" WHERE adrelid = 'billing.x'::regclass"), "billing.f()",
	       "unqualified function found through the origin's schema");
	is_str(value(c, "SHOW search_path"), "\"$user\", public",
	       "search_path was local to the script's transaction");

	/* an error inside a fragment */
	memset(&s, 0, sizeof(s));
	sg_script_add(A, &s, "CREATE TABLE public.before (a int);");
	sbuf_adds(&sb, "CREATE TABLE public.m (a int DEFAULT ");
	frag.offset = sb.len;
	sbuf_adds(&sb, "1 + nosuchfunc('é', 1)");
	frag.len = sb.len - frag.offset;
	sbuf_adds(&sb, ");");
	st = sg_script_add(A, &s, sb.buf);
	st->frags = sg_memdup(A, &frag, sizeof(frag));
	st->nfrags = st->fragcap = 1;
	sg_diags_init(&d, A);
	cap_begin(&err, 2);
	ret = runner_exec_script(c, &s, &d);
	is_str(cap_end(&err), "", "nothing printed when the error maps to a model");
	ok(ret < 0, "failing script returns -1");
	sbuf_reset(&sb);
	for (size_t i = 0; i < d.n; i++)
		sg_diag_format(&sb, &d.v[i]);
	is_str(sb.buf,
	       "schema/app.yaml:5:24: error: function nosuchfunc(unknown, integer) does not exist\n"
	       "  hint: No function matches the given name and argument types. You might need to add explicit type casts.\n",
	       "error position mapped into the fragment");
	ok(!exists(c, "public.before"), "script rolled back");

	/* no fragment at the position: the origin's declaration */
	memset(&s, 0, sizeof(s));
	st = sg_script_add(A, &s, "CREATE TABLE public.m2 (a nosuchtype);");
	st->origin = &m2;
	sg_diags_init(&d, A);
	ret = runner_exec_script(c, &s, &d);
	sbuf_reset(&sb);
	for (size_t i = 0; i < d.n; i++)
		sg_diag_format(&sb, &d.v[i]);
	ok(ret < 0, "fails");
	is_str(sb.buf, "schema/app.yaml:9:3: error: type \"nosuchtype\" does not exist\n",
	       "error at the origin's declaration");

	/* nothing known: printed */
	memset(&s, 0, sizeof(s));
	sg_script_add(A, &s, "SELECT 1/0;");
	sg_diags_init(&d, A);
	cap_begin(&err, 2);
	ret = runner_exec_script(c, &s, &d);
	is_str(cap_end(&err),
	       "schemagen: error: division by zero\n"
	       "  SQLSTATE: 22012\n"
	       "  statement: SELECT 1/0;\n", "unmapped error printed");
	ok(ret < 0 && d.n == 0, "no diagnostic");

	/* a replayed migration statement keeps its file location */
	memset(&s, 0, sizeof(s));
	st = sg_script_add(A, &s, "SELECT\n  nosuchcol FROM public.y;");
	st->file = "migrations/x_y.sql";
	st->line = 12;
	st->col = 5;
	sg_diags_init(&d, A);
	cap_begin(&err, 2);
	ret = runner_exec_script(c, &s, &d);
	is_str(cap_end(&err),
	       "migrations/x_y.sql:13:3: error: column \"nosuchcol\" does not exist\n"
	       "  SQLSTATE: 42703\n"
	       "  statement: SELECT\n"
	       "               nosuchcol FROM public.y;\n", "migration statement error at its file:line:col");
	sbuf_release(&sb);
	sg_conn_close(c);
}

/*
 * One statement per call: whatever reaches the connection layer, a second
 * statement in the same string is refused by the server (extended
 * protocol) and nothing of it runs.
 */
static void test_one_statement(void)
{
	struct sg_conn *c = new_db(NULL);
	struct sg_script s = { 0 };
	struct sg_diags d;
	struct capture err;
	const char *out;
	PGresult *res;
	int ret;

	cap_begin(&err, 2);
	ret = sg_conn_exec(c, "CREATE TABLE one (a int); CREATE TABLE two (a int)");
	out = cap_end(&err);
	is_int(ret, -1, "sg_conn_exec refuses two statements");
	ok(strstr(out, "cannot insert multiple commands into a prepared statement") != NULL,
	   "with the server's message");
	ok(!exists(c, "public.one") && !exists(c, "public.two"), "neither statement ran");
	cap_begin(&err, 2);
	ok(sg_conn_value(c, A, "SELECT 1; SELECT 2") == NULL, "sg_conn_value refuses two");
	cap_end(&err);
	res = sg_pg_exec(sg_conn_pg(c), "SELECT 1; CREATE TABLE three (a int)");
	is_int(PQresultStatus(res), PGRES_FATAL_ERROR, "sg_pg_exec refuses two");
	PQclear(res);
	ok(!exists(c, "public.three"), "the second one did not run");
	is_int(sg_conn_can_cast(c, "int) AS int); CREATE TABLE four (a int); SELECT CAST(CAST(NULL AS int", "text"),
	       -1, "sg_conn_can_cast: a smuggled statement is an error");
	ok(!exists(c, "public.four"), "and did not run");

	/* a generated statement (materialising models) with a second one */
	sg_script_add(A, &s, "CREATE TABLE five (a int DEFAULT 1); CREATE TABLE six (a int);");
	sg_diags_init(&d, A);
	cap_begin(&err, 2);
	ret = runner_exec_script(c, &s, &d);
	out = cap_end(&err);
	is_int(ret, -1, "runner_exec_script refuses a statement holding two");
	ok(strstr(out, "cannot insert multiple commands") != NULL, "and says why");
	ok(!exists(c, "public.five") && !exists(c, "public.six"), "nothing of it ran");
	sg_conn_close(c);
}

int main(void)
{
	const char *keep = getenv("SG_TEST_KEEP_DB");

	if (!getenv("PGHOST"))
		tap_skip_all("PGHOST is not set (run under tools/with-postgres.sh)");
	A = sg_arena_new();
	admin = sg_conn_open(NULL);
	if (!admin)
		return 1;
	test_cycle();
	test_failure();
	test_concurrent();
	test_sql();
	test_custom_names();
	test_fixture_store();
	test_no_transaction();
	test_production();
	test_exec_script();
	test_one_statement();
	for (size_t i = 0; i < dbs.n && !keep; i++) {
		struct sbuf sb = SBUF_INIT;

		sbuf_adds(&sb, "DROP DATABASE ");
		sg_quote_ident(&sb, dbs.v[i]);
		sbuf_adds(&sb, " WITH (FORCE)");
		sg_conn_exec(admin, sb.buf);
		sbuf_release(&sb);
	}
	sg_conn_close(admin);
	sg_arena_free(A);
	sg_sql_cleanup();
	return tap_done();
}
