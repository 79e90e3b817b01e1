// SPDX-License-Identifier: MIT
/*
 * t-store.c - migration files and the revision graph: parsing good and bad
 * files (exact diagnostics), statement locations, loading a graph with
 * branches and merges, every target form and its errors, heads after a
 * step, slugs and ids, and the format -> parse round trip.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/sbuf.h"
#include "schemagen/script.h"
#include "schemagen/sql.h"
#include "schemagen/store.h"
#include "schemagen/util.h"
#include "tap.h"

static struct sg_arena *A;

/* ---- capturing stderr (operational errors are printed) ---- */

static FILE *cap_file;
static int cap_saved = -1;

static void cap_begin(void)
{
	fflush(stderr);
	cap_file = tmpfile();
	cap_saved = dup(2);
	dup2(fileno(cap_file), 2);
}

static const char *cap_end(void)
{
	struct sbuf sb = SBUF_INIT;
	char buf[4096];
	size_t n;
	const char *r;

	fflush(stderr);
	dup2(cap_saved, 2);
	close(cap_saved);
	rewind(cap_file);
	while ((n = fread(buf, 1, sizeof(buf), cap_file)) > 0)
		sbuf_add(&sb, buf, n);
	fclose(cap_file);
	r = sbuf_to_arena(&sb, A);
	sbuf_release(&sb);
	return r;
}

/* ---- parsing ---- */

static const char *diags_text(struct sg_diags *d)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	for (size_t i = 0; i < d->n; i++)
		sg_diag_format(&sb, &d->v[i]);
	r = sbuf_to_arena(&sb, A);
	sbuf_release(&sb);
	return r;
}

static struct sg_revision *parse_len(const char *path, const char *text,
				     size_t len, const char **errs)
{
	struct sg_diags d;
	struct sg_revision *r;
	int ret;

	sg_diags_init(&d, A);
	ret = store_parse(A, path, text, len, &r, &d);
	*errs = diags_text(&d);
	if ((ret == 0) != (r != NULL) || (ret == 0) != (d.nerrors == 0))
		return (struct sg_revision *)-1;
	return r;
}

static struct sg_revision *parse(const char *path, const char *text,
				 const char **errs)
{
	return parse_len(path, text, strlen(text), errs);
}

#define HDR "-- schemagen revision: 4c1f9a2e7b30\n" \
	    "-- parents: 9e0d4c1a77f2\n" \
	    "-- message: add status to orders\n" \
	    "-- created: 2026-11-21T10:00:00Z\n"
#define GOODNAME "migrations/4c1f9a2e7b30_add_status.sql"

static void test_parse_good(void)
{
	const char *text =
		HDR
		"\n"
		"-- +upgrade\n"
		"ALTER TABLE public.orders ADD COLUMN status public.order_status DEFAULT 'pending' NOT NULL;\n"
		"\n"
		"-- +downgrade\n"
		"-- WARNING: drops column public.orders.status and the data in it\n"
		"ALTER TABLE public.orders DROP COLUMN status;\n";
	const char *errs;
	struct sg_revision *r = parse(GOODNAME, text, &errs);
	char sum[65];

	is_str(errs, "", "good file: no diagnostics");
	if (!r || r == (void *)-1) {
		ok(false, "good file parses");
		return;
	}
	is_str(r->id, "4c1f9a2e7b30", "id");
	is_int((long long)r->nparents, 1, "one parent");
	is_str(r->parents[0], "9e0d4c1a77f2", "parent");
	is_str(r->message, "add status to orders", "message");
	is_str(r->created, "2026-11-21T10:00:00Z", "created");
	is_str(r->path, GOODNAME, "path");
	sg_sha256_hex(text, strlen(text), sum);
	is_str(r->checksum, sum, "checksum is the sha256 of the bytes");
	is_int((long long)r->up.n, 1, "one upgrade statement");
	is_int((long long)r->down.n, 1, "one downgrade statement");
	is_str(r->up.v[0].sql,
	       "ALTER TABLE public.orders ADD COLUMN status public.order_status DEFAULT 'pending' NOT NULL;",
	       "statement keeps its text and its ';'");
	is_int(r->up.v[0].line, 7, "upgrade statement line");
	is_int(r->up.v[0].col, 1, "upgrade statement col");
	is_str(r->up.v[0].file, GOODNAME, "statement file");
	is_str(r->down.v[0].warning,
	       "drops column public.orders.status and the data in it",
	       "WARNING comment becomes the statement's warning");
	is_int(r->down.v[0].line, 11, "downgrade statement line (after the WARNING comment)");
	ok(!r->up_no_transaction && !r->down_no_transaction, "transactional");
	ok(r->up.v[0].warning == NULL, "no warning on the upgrade statement");

	/* first revision, labels, depends-on, transaction: none, CRLF */
	r = parse("m/aaaa_first.sql",
		  "-- schemagen revision: aaaa\r\n"
		  "-- parents:\r\n"
		  "-- message:\r\n"
		  "-- created: 2026-01-02T03:04:05Z\r\n"
		  "-- branch-labels: billing, core\r\n"
		  "-- depends-on: bbbb\r\n"
		  "-- transaction: none\r\n"
		  "\r\n"
		  "-- free comment after the header: fine\r\n"
		  "/* and a block comment */\r\n"
		  "-- +upgrade\r\n"
		  "SELECT 1;\r\n"
		  "-- +downgrade\r\n", &errs);
	is_str(errs, "", "first revision with optional keys and CRLF: no diagnostics");
	if (r && r != (void *)-1) {
		is_int((long long)r->nparents, 0, "empty parents");
		is_str(r->message, "", "empty message");
		is_int((long long)r->nbranch_labels, 2, "two branch labels");
		is_str(r->branch_labels[1], "core", "second label trimmed");
		is_int((long long)r->ndepends_on, 1, "one depends-on");
		ok(r->up_no_transaction && r->down_no_transaction,
		   "transaction: none makes both sections non-transactional");
		is_int((long long)r->down.n, 0, "empty downgrade section");
		is_int(r->up.v[0].line, 12, "CRLF lines counted");
	}

	/* `revision:` alias and a file named <id>.sql */
	r = parse("m/abcd.sql",
		  "-- revision: abcd\n-- parents:\n-- message: x\n"
		  "-- created: 2026-01-02T03:04:05Z\n-- +upgrade\n-- +downgrade\n",
		  &errs);
	ok(r && r != (void *)-1 && strcmp(r->id, "abcd") == 0,
	   "`revision:` alias, <id>.sql, header ended by the marker");
}

static const struct bad_case {
	const char *name;
	const char *path;
	const char *text;
	const char *want;
} bad_cases[] = {
	{ "empty file", "m/a_x.sql", "",
	  "m/a_x.sql:1:1: error: the file is empty\n"
	  "  hint: a migration file starts with `-- schemagen revision: <id>`\n" },
	{ "blank file", "m/a_x.sql", "\n \n\t\n",
	  "m/a_x.sql:1:1: error: the file is empty\n"
	  "  hint: a migration file starts with `-- schemagen revision: <id>`\n" },
	{ "garbage", "m/a_x.sql", "hello world\n",
	  "m/a_x.sql:1:1: error: missing header: a migration file starts with `-- schemagen revision: <id>`\n"
	  "  hint: create migration files with `schemagen revision -m MESSAGE`\n" },
	{ "comment only", "m/a_x.sql", "-- just a comment\n-- and another\n",
	  "m/a_x.sql:1:1: error: missing header: a migration file starts with `-- schemagen revision: <id>`\n"
	  "  hint: create migration files with `schemagen revision -m MESSAGE`\n" },
	{ "invalid UTF-8", "m/a_x.sql", HDR "\n-- +upgrade\nSELECT '\xc3\x28';\n-- +downgrade\n",
	  "m/a_x.sql:7:9: error: invalid UTF-8 (byte 0xc3)\n" },
	{ "missing parents", "m/4c1f9a2e7b30_x.sql",
	  "-- schemagen revision: 4c1f9a2e7b30\n-- message: m\n-- created: 2026-11-21T10:00:00Z\n\n-- +upgrade\n-- +downgrade\n",
	  "m/4c1f9a2e7b30_x.sql:1:1: error: the header has no `parents:` line\n"
	  "  hint: the first revision has an empty `-- parents:`\n" },
	{ "missing revision, message, created", "m/a_x.sql",
	  "-- parents:\n\n-- +upgrade\n-- +downgrade\n",
	  "m/a_x.sql:1:1: error: the header has no `schemagen revision:` line\n"
	  "m/a_x.sql:1:1: error: the header has no `message:` line\n"
	  "m/a_x.sql:1:1: error: the header has no `created:` line\n" },
	{ "unknown key with suggestion", GOODNAME,
	  HDR "-- parnets: x\n\n-- +upgrade\n-- +downgrade\n",
	  GOODNAME ":5:4: error: unknown header key `parnets`\n"
	  "  hint: did you mean `parents`?\n" },
	{ "unknown key without suggestion", GOODNAME,
	  HDR "-- author: me\n\n-- +upgrade\n-- +downgrade\n",
	  GOODNAME ":5:4: error: unknown header key `author`\n"
	  "  hint: header keys are schemagen revision, parents, message, created, branch-labels, depends-on, transaction, online, lock-timeout and statement-timeout\n" },
	{ "malformed header line", GOODNAME,
	  HDR "-- a free comment glued to the header\n\n-- +upgrade\n-- +downgrade\n",
	  GOODNAME ":5:1: error: malformed header line `-- a free comment glued to the header`: expected `-- key: value`\n"
	  "  hint: end the header with a blank line before free comments\n" },
	{ "duplicate key", GOODNAME,
	  HDR "-- message: again\n\n-- +upgrade\n-- +downgrade\n",
	  GOODNAME ":5:1: error: duplicate header key `message` (first given on line 3)\n" },
	{ "invalid revision id", "m/4c1f-9a_x.sql",
	  "-- schemagen revision: 4c1f-9a\n-- parents:\n-- message: m\n-- created: 2026-11-21T10:00:00Z\n\n-- +upgrade\n-- +downgrade\n",
	  "m/4c1f-9a_x.sql:1:24: error: invalid revision id `4c1f-9a`\n"
	  "  hint: ids are 1 to 32 letters, digits or underscores, and not head, heads or base\n" },
	{ "reserved revision id", "m/head_x.sql",
	  "-- schemagen revision: head\n-- parents:\n-- message: m\n-- created: 2026-11-21T10:00:00Z\n\n-- +upgrade\n-- +downgrade\n",
	  "m/head_x.sql:1:24: error: invalid revision id `head`\n"
	  "  hint: ids are 1 to 32 letters, digits or underscores, and not head, heads or base\n" },
	{ "id does not match the file name", "m/4c1f9a2e7b31_add_status.sql",
	  HDR "\n-- +upgrade\n-- +downgrade\n",
	  "m/4c1f9a2e7b31_add_status.sql:1:24: error: revision `4c1f9a2e7b30` does not match the file name `4c1f9a2e7b31_add_status.sql`\n"
	  "  hint: a migration file is named <revision>_<slug>.sql, or as file_template says: its name holds the revision id between `_`, `-` or `.`\n" },
	{ "id is a prefix of the name without underscore", "m/4c1f9a2e7b30x.sql",
	  HDR "\n-- +upgrade\n-- +downgrade\n",
	  "m/4c1f9a2e7b30x.sql:1:24: error: revision `4c1f9a2e7b30` does not match the file name `4c1f9a2e7b30x.sql`\n"
	  "  hint: a migration file is named <revision>_<slug>.sql, or as file_template says: its name holds the revision id between `_`, `-` or `.`\n" },
	{ "bad created", GOODNAME,
	  "-- schemagen revision: 4c1f9a2e7b30\n-- parents:\n-- message: m\n-- created: 2026-11-21 10:00\n\n-- +upgrade\n-- +downgrade\n",
	  GOODNAME ":4:13: error: created: `2026-11-21 10:00` is not a UTC time\n"
	  "  hint: write it as 2026-11-21T10:00:00Z\n" },
	{ "bad transaction value", GOODNAME,
	  HDR "-- transaction: off\n\n-- +upgrade\n-- +downgrade\n",
	  GOODNAME ":5:17: error: transaction: unknown value `off`\n"
	  "  hint: the only value is `none`: run the revision outside a transaction\n" },
	{ "self parent", GOODNAME,
	  "-- schemagen revision: 4c1f9a2e7b30\n-- parents: 4c1f9a2e7b30\n-- message: m\n-- created: 2026-11-21T10:00:00Z\n\n-- +upgrade\n-- +downgrade\n",
	  GOODNAME ":2:13: error: revision `4c1f9a2e7b30` lists itself as a parent\n" },
	{ "duplicate and empty parents", GOODNAME,
	  "-- schemagen revision: 4c1f9a2e7b30\n-- parents: aaaa, ,aaaa\n-- message: m\n-- created: 2026-11-21T10:00:00Z\n\n-- +upgrade\n-- +downgrade\n",
	  GOODNAME ":2:13: error: parents: empty parent in the list\n"
	  GOODNAME ":2:13: error: parents: parent `aaaa` is listed twice\n" },
	{ "bad branch label", GOODNAME,
	  HDR "-- branch-labels: my-branch\n\n-- +upgrade\n-- +downgrade\n",
	  GOODNAME ":5:19: error: branch-labels: invalid branch label `my-branch`\n"
	  "  hint: names are 1 to 32 letters, digits or underscores, and not head, heads or base\n" },
	{ "SQL before the first section", GOODNAME,
	  HDR "\nCREATE TABLE t (a int);\n-- +upgrade\n-- +downgrade\n",
	  GOODNAME ":6:1: error: SQL outside a section\n"
	  "  hint: statements go after `-- +upgrade` or `-- +downgrade`\n" },
	{ "no sections", GOODNAME,
	  HDR "\nCREATE TABLE t (a int);\n",
	  GOODNAME ":6:1: error: SQL outside a section\n"
	  "  hint: statements go after `-- +upgrade` or `-- +downgrade`\n"
	  GOODNAME ":7:1: error: no `-- +upgrade` section\n"
	  "  hint: the statements that apply the revision follow a line `-- +upgrade`\n"
	  GOODNAME ":7:1: error: no `-- +downgrade` section\n"
	  "  hint: the statements that revert the revision follow a line `-- +downgrade` (it may be empty)\n" },
	{ "header only, no trailing newline", GOODNAME,
	  "-- schemagen revision: 4c1f9a2e7b30\n-- parents:\n-- message: m\n-- created: 2026-11-21T10:00:00Z",
	  GOODNAME ":4:33: error: no `-- +upgrade` section\n"
	  "  hint: the statements that apply the revision follow a line `-- +upgrade`\n"
	  GOODNAME ":4:33: error: no `-- +downgrade` section\n"
	  "  hint: the statements that revert the revision follow a line `-- +downgrade` (it may be empty)\n" },
	{ "misspelt section", GOODNAME,
	  HDR "\n-- +upgrade\n-- +downgrad\n",
	  GOODNAME ":7:1: error: unknown section `-- +downgrad`\n"
	  "  hint: did you mean `-- +downgrade`?\n"
	  GOODNAME ":8:1: error: no `-- +downgrade` section\n"
	  "  hint: the statements that revert the revision follow a line `-- +downgrade` (it may be empty)\n" },
	{ "unknown section", GOODNAME,
	  HDR "\n-- +upgrade\n-- +seed\n-- +downgrade\n",
	  GOODNAME ":7:1: error: unknown section `-- +seed`\n"
	  "  hint: the sections are `-- +upgrade` and `-- +downgrade`\n" },
	{ "duplicate section", GOODNAME,
	  HDR "\n-- +upgrade\nSELECT 1;\n-- +downgrade\n-- +upgrade\nSELECT 2;\n",
	  GOODNAME ":9:1: error: duplicate section `-- +upgrade` (first on line 6)\n" },
	{ "downgrade before upgrade", GOODNAME,
	  HDR "\n-- +downgrade\nSELECT 1;\n-- +upgrade\nSELECT 2;\n",
	  GOODNAME ":6:1: error: section `-- +downgrade` comes before `-- +upgrade`\n"
	  "  hint: put the upgrade section first\n" },
	{ "syntax error in the third line of a statement", GOODNAME,
	  HDR "\n-- +upgrade\nSELECT 1;\nCREATE TABLE t (\n    a int,\n    b int NOT NOT NULL\n);\n-- +downgrade\nDROP TABLE t;\n",
	  GOODNAME ":10:15: error: syntax error at or near \"NOT\"\n" },
	{ "syntax error after non-ASCII text", GOODNAME,
	  HDR "\n-- +upgrade\nSELECT 'é€' FROM WHERE;\n-- +downgrade\n",
	  GOODNAME ":7:18: error: syntax error at or near \"WHERE\"\n" },
	{ "syntax errors in both sections", GOODNAME,
	  HDR "\n-- +upgrade\nSELEC 1;\n-- +downgrade\nSELECT 1; DROPP TABLE t;\n",
	  GOODNAME ":7:1: error: syntax error at or near \"SELEC\"\n"
	  GOODNAME ":9:11: error: syntax error at or near \"DROPP\"\n" },
	{ "unterminated dollar quote", GOODNAME,
	  HDR "\n-- +upgrade\nCREATE FUNCTION f() RETURNS int AS $$ SELECT 1;\n-- +downgrade\nDROP FUNCTION f();\n",
	  GOODNAME ":7:36: error: unterminated dollar-quoted string at or near \"$$ SELECT 1;...\"\n"
	  GOODNAME ":10:1: error: no `-- +downgrade` section\n"
	  "  hint: the statements that revert the revision follow a line `-- +downgrade` (it may be empty)\n" },
	{ "missing semicolon at the end of a section", GOODNAME,
	  HDR "\n-- +upgrade\nSELECT 1;\nSELECT 2\n-- +downgrade\n",
	  GOODNAME ":8:9: error: missing `;` at the end of the statement\n"
	  "  hint: end every statement with `;`, so that psql runs the file as it is written\n" },
	{ "transaction control", GOODNAME,
	  HDR "\n-- +upgrade\nBEGIN;\nSELECT 1;\n  COMMIT;\n-- +downgrade\n",
	  GOODNAME ":7:1: error: transaction control is not allowed in migration files: schemagen runs each revision in its own transaction\n"
	  "  hint: statements that cannot run in a transaction (CREATE INDEX CONCURRENTLY, ...) make the revision run outside one by themselves\n"
	  GOODNAME ":9:3: error: transaction control is not allowed in migration files: schemagen runs each revision in its own transaction\n"
	  "  hint: statements that cannot run in a transaction (CREATE INDEX CONCURRENTLY, ...) make the revision run outside one by themselves\n" },
	{ "several header errors at once", "m/x_y.sql",
	  "-- schemagen revision: x\n-- parents: x\n-- mesage: m\n-- created: soon\n\n-- +upgrade\n-- +downgrade\n",
	  "m/x_y.sql:2:13: error: revision `x` lists itself as a parent\n"
	  "m/x_y.sql:3:4: error: unknown header key `mesage`\n"
	  "  hint: did you mean `message`?\n"
	  "m/x_y.sql:4:13: error: created: `soon` is not a UTC time\n"
	  "  hint: write it as 2026-11-21T10:00:00Z\n"
	  "m/x_y.sql:1:1: error: the header has no `message:` line\n" },
};

static void test_parse_bad(void)
{
	static const char nul[] = HDR "\n-- +upgrade\nSELECT 1;\0\n-- +downgrade\n";
	const char *errs;
	struct sg_revision *r;

	for (size_t i = 0; i < ARRAY_SIZE(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];

		r = parse(c->path, c->text, &errs);
		ok(r == NULL, "%s: rejected", c->name);
		is_str(errs, c->want, "%s: diagnostics", c->name);
	}
	r = parse_len(GOODNAME, nul, sizeof(nul) - 1, &errs);
	ok(r == NULL, "binary file: rejected");
	is_str(errs, GOODNAME ":7:10: error: not a text file: it contains a NUL byte\n",
	       "binary file: diagnostics");
	{
		/* random bytes never crash: a few fixed seeds */
		unsigned seed = 12345;
		bool all = true;

		for (int k = 0; k < 200; k++) {
			char buf[257];
			size_t len = (size_t)(k % 256);

			for (size_t j = 0; j < len; j++) {
				seed = seed * 1103515245u + 12345u;
				buf[j] = (char)(seed >> 16);
			}
			if (k % 2 && len > 40)
				memcpy(buf, HDR, 40);
			buf[len] = '\0';
			r = parse_len("m/r_x.sql", buf, len, &errs);
			all = all && r == NULL && errs[0];
		}
		ok(all, "200 random inputs are rejected with a diagnostic, never a crash");
	}
}

static void test_locations(void)
{
	const char *text =
		HDR
		"\n"
		"-- +upgrade\n"                                        /* 6 */
		"-- a comment; with a semicolon\n"                     /* 7 */
		"CREATE TABLE t (a int); CREATE TABLE u (\n"           /* 8 */
		"    b text DEFAULT 'x;y' -- trailing; comment\n"      /* 9 */
		");\n"                                                 /* 10 */
		"/* block; */ CREATE FUNCTION f() RETURNS int\n"       /* 11 */
		"LANGUAGE plpgsql AS $body$\n"                         /* 12 */
		"BEGIN\n"
		"    PERFORM 1; RETURN 2;\n"
		"END\n"
		"$body$;\n"                                            /* 16 */
		"SELECT 'ünï' AS x; SELECT 2 -- before the semicolon\n" /* 17 */
		";\n"
		"CREATE INDEX CONCURRENTLY i ON t (a);\n"              /* 19 */
		"\n"
		"-- +downgrade\n"                                      /* 21 */
		"DROP INDEX CONCURRENTLY i; DROP FUNCTION f(); DROP TABLE u; DROP TABLE t;\n";
	const char *errs;
	struct sg_revision *r = parse(GOODNAME, text, &errs);
	static const struct { int line, col; const char *sql; } want[] = {
		{ 8, 1, "CREATE TABLE t (a int);" },
		{ 8, 25, "CREATE TABLE u (\n    b text DEFAULT 'x;y' -- trailing; comment\n);" },
		{ 11, 14, "CREATE FUNCTION f() RETURNS int\nLANGUAGE plpgsql AS $body$\nBEGIN\n    PERFORM 1; RETURN 2;\nEND\n$body$;" },
		{ 17, 1, "SELECT 'ünï' AS x;" },
		{ 17, 20, "SELECT 2 -- before the semicolon\n;" },
		{ 19, 1, "CREATE INDEX CONCURRENTLY i ON t (a);" },
	};

	is_str(errs, "", "locations file parses");
	if (!r || r == (void *)-1)
		return;
	is_int((long long)r->up.n, (long long)ARRAY_SIZE(want), "upgrade statements");
	for (size_t i = 0; i < ARRAY_SIZE(want) && i < r->up.n; i++) {
		is_str(r->up.v[i].sql, want[i].sql, "statement %zu text", i + 1);
		is_int(r->up.v[i].line, want[i].line, "statement %zu line", i + 1);
		is_int(r->up.v[i].col, want[i].col, "statement %zu col (characters)", i + 1);
	}
	ok(r->up.n == 6 && r->up.v[5].no_transaction && !r->up.v[0].no_transaction,
	   "CREATE INDEX CONCURRENTLY is marked no_transaction");
	ok(r->up_no_transaction && r->down_no_transaction,
	   "both sections run outside a transaction (detected)");
	is_int((long long)r->down.n, 4, "downgrade statements");
	if (r->down.n == 4) {
		is_int(r->down.v[3].col, 61, "fourth statement on the line: col 61");
		is_str(r->down.v[3].sql, "DROP TABLE t;", "its text");
	}
}

/* Section-marker lines inside strings, comments and bodies are text. */
static void test_marker_lexing(void)
{
	const char *text =
		HDR
		"\n"
		"-- +upgrade\n"
		"SELECT E'it\\'s -- not a comment\n"
		"-- +downgrade inside an E string';\n"
		"SELECT 'a $$ b', $1, $a1$x$a1$;\n"
		"/* a comment /* nested */\n"
		"-- +downgrade\n"
		"*/\n"
		"SELECT \"we\"\"ird\n"
		"-- +downgrade\" FROM x$y$;\n"
		"CREATE FUNCTION g() RETURNS text LANGUAGE sql AS $f$SELECT '\n"
		"-- +downgrade'$f$;\n"
		"-- +downgrade\n"
		"SELECT 1;\n";
	const char *errs;
	struct sg_revision *r = parse(GOODNAME, text, &errs);

	is_str(errs, "", "marker-like lines in strings, comments, identifiers, bodies");
	if (!r || r == (void *)-1)
		return;
	is_int((long long)r->up.n, 4, "four upgrade statements");
	is_int((long long)r->down.n, 1, "one downgrade statement");
	if (r->down.n)
		is_int(r->down.v[0].line, 18, "the real marker starts the downgrade section");
}

/* ---- graph ---- */

static char *tmpdir(void)
{
	char tmpl[] = "/tmp/t-store.XXXXXX";
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

static void put(const char *dir, const char *id, const char *parents,
		const char *extra)
{
	char *path = sg_path_join(dir, sg_printf(A, "%s_m.sql", id));
	const char *text = sg_printf(A,
		"-- schemagen revision: %s\n-- parents: %s\n-- message: m %s\n"
		"-- created: 2026-01-01T00:00:00Z\n%s\n-- +upgrade\nSELECT 1;\n"
		"-- +downgrade\nSELECT 2;\n", id, parents, id, extra ? extra : "");

	if (sg_write_file_atomic(path, text, strlen(text), false) < 0)
		perror(path);
	free(path);
}

static const char *ids(struct sg_revision **v, size_t n)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	for (size_t i = 0; i < n; i++) {
		if (i)
			sbuf_addch(&sb, ' ');
		sbuf_adds(&sb, v[i]->id);
	}
	r = sbuf_to_arena(&sb, A);
	sbuf_release(&sb);
	return r;
}

static const char *strs(const char *const *v, size_t n)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	for (size_t i = 0; i < n; i++) {
		if (i)
			sbuf_addch(&sb, ' ');
		sbuf_adds(&sb, v[i]);
	}
	r = sbuf_to_arena(&sb, A);
	sbuf_release(&sb);
	return r;
}

/* Splits "a b c" into a vector (arena). */
static const char *const *split(const char *s, size_t *n)
{
	const char **v = sg_alloc_array(A, 16, sizeof(*v));
	char *c = sg_strdup(A, s), *save = NULL;

	*n = 0;
	for (char *t = strtok_r(c, " ", &save); t; t = strtok_r(NULL, " ", &save))
		v[(*n)++] = t;
	return v;
}

/* Runs a plan; returns "ids" or "ERR: <stderr>". */
static const char *plan(const struct sg_revgraph *g, bool up,
			const char *current, const char *target)
{
	size_t nc, n;
	const char *const *cur = split(current, &nc);
	struct sg_revision **out;
	int ret;
	const char *err;

	cap_begin();
	if (up)
		ret = store_plan_upgrade(A, g, cur, nc, target, &out, &n);
	else
		ret = store_plan_downgrade(A, g, cur, nc, target, &out, &n);
	err = cap_end();
	if (ret < 0)
		return sg_printf(A, "ERR: %s", err);
	if (*err)
		return sg_printf(A, "UNEXPECTED OUTPUT: %s", err);
	return ids(out, n);
}

/*
 *   aaaa01 -- aaaa02 -- bbbb01 -- dddd01 -- eeee01
 *      \          \              /
 *       \          +-- cccc01 --+
 *        +-- ffff01 (label side)
 */
static void test_graph(void)
{
	char *dir = tmpdir();
	struct sg_revgraph g;
	struct sg_diags d;
	struct sg_revision *r;
	const char *err;

	put(dir, "aaaa01", "", NULL);
	put(dir, "aaaa02", "aaaa01", NULL);
	put(dir, "bbbb01", "aaaa02", NULL);
	put(dir, "cccc01", "aaaa02", NULL);
	put(dir, "dddd01", "cccc01, bbbb01", NULL);
	put(dir, "eeee01", "dddd01", NULL);
	put(dir, "ffff01", "aaaa01", "-- branch-labels: side\n");
	sg_diags_init(&d, A);
	is_int(store_load(A, dir, &g, &d), 0, "graph loads");
	is_str(diags_text(&d), "", "no diagnostics");
	is_str(ids(g.revs, g.n), "aaaa01 aaaa02 bbbb01 cccc01 dddd01 eeee01 ffff01",
	       "topological order, ties by id");
	is_str(ids(g.heads, g.nheads), "eeee01 ffff01", "heads");
	is_str(ids(g.bases, g.nbases), "aaaa01", "bases");
	r = g.n > 4 ? g.revs[4] : NULL;
	ok(r && r->nparents == 2 && r->parent_revs[0] == g.revs[3] &&
	   r->parent_revs[1] == g.revs[2], "merge parents linked in file order");
	ok(g.n && g.revs[1]->nchildren == 2, "aaaa02 has two children");
	is_int(g.n ? g.revs[6]->order : -1, 6, "order field");

	/* lookup */
	ok(store_lookup(&g, "dddd01") == g.revs[4], "lookup by id");
	ok(store_lookup(&g, "ddd") == g.revs[4], "lookup by prefix");
	ok(store_lookup(&g, "d") == g.revs[4], "lookup by a one-character prefix");
	ok(store_lookup(&g, "side") == g.revs[6], "lookup by branch label");
	cap_begin();
	r = store_lookup(&g, "aaaa");
	err = cap_end();
	ok(r == NULL, "ambiguous prefix");
	is_str(err, "schemagen: error: revision prefix 'aaaa' is ambiguous: aaaa01, aaaa02\n",
	       "ambiguous prefix message");
	cap_begin();
	r = store_lookup(&g, "zzz");
	err = cap_end();
	ok(r == NULL, "unknown revision");
	is_str(err, "schemagen: error: no revision matches 'zzz'\n", "unknown revision message");

	/* upgrade targets */
	is_str(plan(&g, true, "", "head"),
	       "ERR: schemagen: error: 'head' is ambiguous: the migrations have 2 heads (eeee01, ffff01)\n"
	       "  hint: use `heads` for all of them, `<branch>@head` or a revision for one, or join them: schemagen merge -m MESSAGE eeee01 ffff01\n",
	       "upgrade head with two heads");
	is_str(plan(&g, true, "", "heads"),
	       "aaaa01 aaaa02 bbbb01 cccc01 dddd01 eeee01 ffff01", "upgrade heads from base");
	is_str(plan(&g, true, "", "eeee01"),
	       "aaaa01 aaaa02 bbbb01 cccc01 dddd01 eeee01", "upgrade REV from base");
	is_str(plan(&g, true, "bbbb01", "ee"), "cccc01 dddd01 eeee01",
	       "upgrade prefix: the merge pulls in the other branch");
	is_str(plan(&g, true, "aaaa02", "side"), "ffff01", "upgrade to a branch label");
	is_str(plan(&g, true, "aaaa01", "side@head"), "ffff01", "upgrade branch@head");
	is_str(plan(&g, true, "aaaa01", "bbbb01@head"), "aaaa02 bbbb01 cccc01 dddd01 eeee01",
	       "upgrade REV@head");
	is_str(plan(&g, true, "", "aaaa01@head"),
	       "ERR: schemagen: error: aaaa01 has several heads: eeee01, ffff01\n"
	       "  hint: name one of them\n", "REV@head with several heads");
	is_str(plan(&g, true, "", "side@tail"),
	       "ERR: schemagen: error: invalid target 'side@tail': after `@` only `head` is understood\n",
	       "unknown @ suffix");
	is_str(plan(&g, true, "", "+1"), "aaaa01", "+1 from base");
	is_str(plan(&g, true, "aaaa02", "+1"),
	       "ERR: schemagen: error: cannot go up from aaaa02: it has several children (bbbb01, cccc01)\n"
	       "  hint: name the target revision\n", "+1 at a branch point");
	is_str(plan(&g, true, "bbbb01", "+2"), "cccc01 dddd01 eeee01", "+2 across a merge");
	is_str(plan(&g, true, "dddd01", "+3"),
	       "ERR: schemagen: error: cannot go up 3 revisions from dddd01: there is only 1\n",
	       "+N beyond the head");
	is_str(plan(&g, true, "bbbb01 ffff01", "+1"),
	       "ERR: schemagen: error: the database has several heads (bbbb01, ffff01): '+1' needs one\n"
	       "  hint: name the target revision, or use `heads`\n", "+1 with two current heads");
	is_str(plan(&g, true, "eeee01", "+1"),
	       "ERR: schemagen: error: cannot go up from eeee01: it is a head, there is nothing above it\n",
	       "+1 at a head");
	is_str(plan(&g, true, "", "+x"),
	       "ERR: schemagen: error: invalid target '+x': expected a positive number after the sign\n",
	       "+x");
	is_str(plan(&g, true, "", "+0"),
	       "ERR: schemagen: error: invalid target '+0': expected a positive number after the sign\n",
	       "+0");
	is_str(plan(&g, true, "", "bbbb01+2"), "aaaa01 aaaa02 bbbb01 cccc01 dddd01 eeee01", "REV+N");
	is_str(plan(&g, true, "", "eeee01-2"),
	       "ERR: schemagen: error: cannot go down from merge revision dddd01: it has several parents (bbbb01, cccc01)\n"
	       "  hint: name the target revision\n", "REV-N through a merge");
	is_str(plan(&g, true, "", "ffff01-1"), "aaaa01", "REV-N as an upgrade target");
	is_str(plan(&g, true, "dddd01", "aaaa02"),
	       "ERR: schemagen: error: revision aaaa02 is not ahead of the current revision dddd01\n"
	       "  hint: to go back to it, use `downgrade aaaa02`\n", "upgrade to a revision below current");
	is_str(plan(&g, true, "dddd01", "dddd01"), "", "upgrade to current: nothing to do");
	is_str(plan(&g, true, "eeee01 ffff01", "heads"), "", "upgrade heads at heads: nothing to do");
	is_str(plan(&g, true, "bbbb01", "-1"),
	       "ERR: schemagen: error: '-1' is not an upgrade target\n"
	       "  hint: to revert revisions, use `downgrade -1`\n", "-1 for upgrade");
	is_str(plan(&g, true, "", "base"), "", "upgrade base at base: nothing to do");
	is_str(plan(&g, true, "aaaa01", "base"),
	       "ERR: schemagen: error: base is not an upgrade target\n"
	       "  hint: to revert every revision, use `downgrade base`\n", "upgrade base");
	is_str(plan(&g, true, "", "aaaa"),
	       "ERR: schemagen: error: revision prefix 'aaaa' is ambiguous: aaaa01, aaaa02\n",
	       "upgrade to an ambiguous prefix");
	is_str(plan(&g, true, "", "nope"),
	       "ERR: schemagen: error: no revision matches 'nope'\n", "upgrade to an unknown revision");
	is_str(plan(&g, true, "", ""),
	       "ERR: schemagen: error: no target revision given\n", "empty target");
	is_str(plan(&g, true, "zzzz01", "heads"),
	       sg_printf(A, "ERR: schemagen: error: the database is at revision zzzz01, which is not in %s\n"
			 "  hint: restore its file (check out the branch that has it), or, if the database really is elsewhere, record that with `schemagen stamp --purge REV`\n",
			 dir), "current revision unknown to the graph");

	/* downgrade targets */
	is_str(plan(&g, false, "eeee01 ffff01", "base"),
	       "ffff01 eeee01 dddd01 cccc01 bbbb01 aaaa02 aaaa01", "downgrade base: children first");
	is_str(plan(&g, false, "", "base"), "", "downgrade base at base: nothing to do");
	is_str(plan(&g, false, "eeee01", "-2"), "eeee01 dddd01", "downgrade -2");
	is_str(plan(&g, false, "eeee01", "-3"),
	       "ERR: schemagen: error: cannot go down past merge revision dddd01: it has several parents (bbbb01, cccc01)\n"
	       "  hint: name the target revision\n", "downgrade -N past a merge");
	is_str(plan(&g, false, "ffff01", "-2"), "ffff01 aaaa01", "downgrade -N to base");
	is_str(plan(&g, false, "ffff01", "-3"),
	       "ERR: schemagen: error: cannot go down 3 revisions from ffff01: there are only 2\n",
	       "downgrade -N below base");
	is_str(plan(&g, false, "eeee01 ffff01", "-1"),
	       "ERR: schemagen: error: the database has several heads (eeee01, ffff01): '-1' needs one\n"
	       "  hint: name the target revision\n", "downgrade -1 with two heads");
	is_str(plan(&g, false, "", "-1"),
	       "ERR: schemagen: error: nothing to downgrade: the database is at base\n",
	       "downgrade -1 at base");
	is_str(plan(&g, false, "eeee01", "aaaa02"), "eeee01 dddd01 cccc01 bbbb01",
	       "downgrade to a revision");
	is_str(plan(&g, false, "eeee01 ffff01", "aaaa02"), "eeee01 dddd01 cccc01 bbbb01",
	       "downgrade to a revision leaves the other branch alone (Alembic)");
	is_str(plan(&g, false, "eeee01 ffff01", "aaaa01"), "ffff01 eeee01 dddd01 cccc01 bbbb01 aaaa02",
	       "downgrade to the branch point reverts both branches");
	is_str(plan(&g, false, "eeee01", "cccc01"), "eeee01 dddd01",
	       "downgrade to one side of a merge reverts the merge, the other side stays");
	is_str(plan(&g, false, "eeee01", "eeee01"), "", "downgrade to current: nothing to do");
	is_str(plan(&g, false, "eeee01", "ffff01"),
	       "ERR: schemagen: error: revision ffff01 is not applied: the database is at eeee01\n"
	       "  hint: to apply it, use `upgrade ffff01`\n", "downgrade to a revision not applied");
	is_str(plan(&g, false, "eeee01", "bbbb01-1"), "eeee01 dddd01 cccc01 bbbb01", "downgrade REV-N");
	is_str(plan(&g, false, "eeee01", "aaaa02-2"),
	       "eeee01 dddd01 cccc01 bbbb01 aaaa02 aaaa01", "downgrade REV-N reaching base");
	is_str(plan(&g, false, "eeee01", "head"),
	       "ERR: schemagen: error: 'head' is not a downgrade target\n"
	       "  hint: downgrade to -N, a revision, or base\n", "downgrade head");
	is_str(plan(&g, false, "eeee01", "side@head"),
	       "ERR: schemagen: error: 'side@head' is not a downgrade target\n"
	       "  hint: downgrade to -N, a revision, or base\n", "downgrade branch@head");
	is_str(plan(&g, false, "eeee01", "+1"),
	       "ERR: schemagen: error: '+1' is not a downgrade target\n"
	       "  hint: to apply revisions, use `upgrade +1`\n", "downgrade +1");
	is_str(plan(&g, false, "ffff01", "-1"), "ffff01", "downgrade -1");

	/* heads after a step */
	{
		const char **out;
		size_t n, nc;
		const char *const *cur;

		cur = split("bbbb01", &nc);
		store_heads_after(A, &g, cur, nc, g.revs[3], true, &out, &n);
		is_str(strs(out, n), "bbbb01 cccc01", "heads after applying a second branch");
		cur = split("bbbb01 cccc01", &nc);
		store_heads_after(A, &g, cur, nc, g.revs[4], true, &out, &n);
		is_str(strs(out, n), "dddd01", "heads after applying the merge");
		cur = split("dddd01", &nc);
		store_heads_after(A, &g, cur, nc, g.revs[4], false, &out, &n);
		is_str(strs(out, n), "bbbb01 cccc01", "heads after reverting the merge");
		cur = split("aaaa01", &nc);
		store_heads_after(A, &g, cur, nc, g.revs[0], false, &out, &n);
		is_str(strs(out, n), "", "heads after reverting the first revision");
		cur = split("", &nc);
		store_heads_after(A, &g, cur, nc, g.revs[0], true, &out, &n);
		is_str(strs(out, n), "aaaa01", "heads after applying the first revision");
		cur = split("eeee01 zzzz", &nc);
		store_heads_after(A, &g, cur, nc, g.revs[6], true, &out, &n);
		is_str(strs(out, n), "eeee01 ffff01 zzzz", "unknown heads are kept");
	}

	/* resolve and heads_of (stamp) */
	{
		struct sg_revision **v;
		const char **h;
		size_t n, nh;

		ok(store_resolve(A, &g, "heads", &v, &n) == 0 && n == 2, "resolve heads");
		store_heads_of(A, &g, v, n, &h, &nh);
		is_str(strs(h, nh), "eeee01 ffff01", "heads of heads");
		ok(store_resolve(A, &g, "base", &v, &n) == 0 && n == 0, "resolve base");
		ok(store_resolve(A, &g, "dddd", &v, &n) == 0 && n == 1, "resolve prefix");
		store_heads_of(A, &g, v, n, &h, &nh);
		is_str(strs(h, nh), "dddd01", "heads of a merge");
		cap_begin();
		ok(store_resolve(A, &g, "-1", &v, &n) < 0, "resolve refuses -1");
		is_str(cap_end(), "schemagen: error: '-1' is relative to the database's current revision; name a revision\n",
		       "resolve -1 message");
	}
	rmtree(dir);

	/* a missing directory is an empty graph */
	sg_diags_init(&d, A);
	is_int(store_load(A, "/nonexistent/t-store", &g, &d), 0, "missing dir loads");
	ok(g.n == 0 && g.nheads == 0, "missing dir is an empty graph");
	is_str(plan(&g, true, "", "head"), "", "upgrade head on an empty graph: nothing");
	is_str(plan(&g, true, "", "+1"),
	       "ERR: schemagen: error: cannot go up from base: there are no revisions\n",
	       "+1 on an empty graph");
}

static void test_depends(void)
{
	char *dir = tmpdir();
	struct sg_revgraph g;
	struct sg_diags d;

	/* two independent lines; b2 depends on a1 */
	put(dir, "a1", "", "-- branch-labels: alpha\n");
	put(dir, "a2", "a1", NULL);
	put(dir, "b1", "", "-- branch-labels: beta\n");
	put(dir, "b2", "b1", "-- depends-on: alpha\n");
	/* non-migration files are ignored */
	sg_write_file_atomic(sg_printf(A, "%s/README.md", dir), "x", 1, false);
	sg_diags_init(&d, A);
	is_int(store_load(A, dir, &g, &d), 0, "graph with depends-on loads");
	is_str(diags_text(&d), "", "no diagnostics");
	is_str(ids(g.revs, g.n), "a1 a2 b1 b2", "order");
	is_str(ids(g.heads, g.nheads), "a2 b2", "heads (depends-on does not make children)");
	is_str(ids(g.bases, g.nbases), "a1 b1", "two bases");
	ok(g.n == 4 && g.revs[3]->depends_revs[0] == g.revs[0], "depends-on resolved through the label");
	is_str(plan(&g, true, "", "beta@head"), "a1 b1 b2", "upgrade pulls in the dependency");
	is_str(plan(&g, true, "", "b2"), "a1 b1 b2", "upgrade REV pulls in the dependency");
	is_str(plan(&g, true, "b2", "a1"), "", "dependency already applied: nothing to do");
	is_str(plan(&g, true, "b2", "heads"), "a2", "upgrade heads");
	is_str(plan(&g, false, "a1 b1", "-1"),
	       "ERR: schemagen: error: the database has several heads (a1, b1): '-1' needs one\n"
	       "  hint: name the target revision\n", "-1 with two heads");
	is_str(plan(&g, false, "b2", "a1"), "b2",
	       "downgrade to the dependency reverts what depends on it, not the rest of its line");
	is_str(plan(&g, false, "b2", "-2"), "b2 b1", "-N down one line to base");
	is_str(plan(&g, false, "a2 b2", "b2-2"), "b2 b1",
	       "REV-N below the first revision of REV's line: that line only");
	is_str(plan(&g, false, "b2", "-3"),
	       "ERR: schemagen: error: cannot go down 3 revisions from b2: there are only 2\n",
	       "-N stops at the base of its line");
	is_str(plan(&g, false, "a2 b2", "a1"), "b2 a2",
	       "downgrade to a dependency keeps it");
	{
		const char **out;
		size_t n, nc;
		const char *const *cur = split("a1 b1", &nc);

		store_heads_after(A, &g, cur, nc, g.revs[3], true, &out, &n);
		is_str(strs(out, n), "b2", "heads after applying the dependent revision");
	}
	rmtree(dir);

	/* -N never reverts a revision that something staying applied needs */
	dir = tmpdir();
	put(dir, "c1", "", NULL);
	put(dir, "c2", "c1", NULL);
	put(dir, "y1", "", "-- depends-on: c1\n");
	put(dir, "c3", "c2", "-- depends-on: y1\n");
	sg_diags_init(&d, A);
	is_int(store_load(A, dir, &g, &d), 0, "second depends-on graph loads");
	is_str(ids(g.revs, g.n), "c1 c2 y1 c3", "order follows depends-on");
	is_str(plan(&g, false, "c3", "-2"), "c3 c2", "-2 along the parent line");
	is_str(plan(&g, false, "c3", "-3"),
	       "ERR: schemagen: error: cannot revert c1: y1 depends on it and stays applied\n"
	       "  hint: name the target revision\n", "-3 would strand y1");
	is_str(plan(&g, false, "c3", "base"), "c3 y1 c2 c1", "base reverts everything");
	rmtree(dir);
}

static void test_load_errors(void)
{
	char *dir = tmpdir();
	struct sg_revgraph g;
	struct sg_diags d;
	const char *want;

	/* duplicate ids and branch labels, unknown parents and dependencies */
	put(dir, "aaaa01", "", "-- branch-labels: main\n");
	put(dir, "aaaa02", "aaaa01", "-- branch-labels: main\n");
	put(dir, "bbbb01", "aaaa03", NULL);
	put(dir, "cccc01", "aaaa02", "-- depends-on: nothere\n");
	put(dir, "dddd01", "aaaa02", "-- branch-labels: bbbb01\n");
	{
		char *p = sg_path_join(dir, "aaaa01_copy.sql");
		const char *text = "-- schemagen revision: aaaa01\n-- parents:\n-- message: copy\n"
				   "-- created: 2026-01-01T00:00:00Z\n\n-- +upgrade\n-- +downgrade\n";

		sg_write_file_atomic(p, text, strlen(text), false);
		free(p);
	}
	sg_diags_init(&d, A);
	ok(store_load(A, dir, &g, &d) < 0, "duplicate id: load fails");
	want = sg_printf(A,
		"%s/aaaa01_m.sql:1:24: error: duplicate revision id `aaaa01`: %s/aaaa01_copy.sql has it too\n"
		"  hint: give one of them a new id (`schemagen revision` makes them)\n",
		dir, dir);
	is_str(diags_text(&d), want, "duplicate id: diagnostic names both files");

	unlink(sg_printf(A, "%s/aaaa01_copy.sql", dir));
	sg_diags_init(&d, A);
	ok(store_load(A, dir, &g, &d) < 0, "link errors: load fails");
	want = sg_printf(A,
		"%s/dddd01_m.sql:5:19: error: branch label `bbbb01` is also a revision id\n"
		"%s/aaaa02_m.sql:5:19: error: branch label `main` is also used by revision aaaa01 (%s/aaaa01_m.sql)\n"
		"%s/bbbb01_m.sql:2:13: error: unknown parent revision `aaaa03`\n"
		"  hint: did you mean `aaaa01`? if not, no file in %s has it: restore the file of revision aaaa03 (the revisions that build on it need it)\n"
		"%s/cccc01_m.sql:5:16: error: depends-on: no revision or branch label `nothere`\n",
		dir, dir, dir, dir, dir, dir);
	is_str(diags_text(&d), want, "unknown parents, dependencies; duplicate labels");

	/* a parent whose file has gone */
	put(dir, "eeee01", "zzzz99", NULL);
	sg_diags_init(&d, A);
	store_load(A, dir, &g, &d);
	ok(strstr(diags_text(&d), sg_printf(A,
		"%s/eeee01_m.sql:2:13: error: unknown parent revision `zzzz99`\n"
		"  hint: no file in %s has it: restore the file of revision zzzz99 (the revisions that build on it need it)\n",
		dir, dir)) != NULL, "a missing parent's file: restore it");
	rmtree(dir);

	/* a cycle */
	dir = tmpdir();
	put(dir, "base01", "", NULL);
	put(dir, "cyc001", "base01, cyc003", NULL);
	put(dir, "cyc002", "cyc001", NULL);
	put(dir, "cyc003", "cyc002", NULL);
	sg_diags_init(&d, A);
	ok(store_load(A, dir, &g, &d) < 0, "cycle: load fails");
	want = sg_printf(A,
		"%s/cyc001_m.sql:2:13: error: the revision graph has a cycle: cyc001 -> cyc003 -> cyc002 -> cyc001\n"
		"  hint: each arrow goes from a revision to one of its parents or depends-on revisions\n",
		dir);
	is_str(diags_text(&d), want, "cycle: diagnostic shows it");

	/* a broken file: its diagnostics, nothing else */
	put(dir, "cyc003", "", NULL);
	{
		char *p = sg_path_join(dir, "zzzz_bad.sql");

		sg_write_file_atomic(p, "garbage\n", 8, false);
		free(p);
	}
	sg_diags_init(&d, A);
	ok(store_load(A, dir, &g, &d) < 0, "bad file: load fails");
	want = sg_printf(A,
		"%s/zzzz_bad.sql:1:1: error: missing header: a migration file starts with `-- schemagen revision: <id>`\n"
		"  hint: create migration files with `schemagen revision -m MESSAGE`\n", dir);
	is_str(diags_text(&d), want, "bad file: its diagnostic only");
	rmtree(dir);
}

static void test_names(void)
{
	static const struct { const char *in, *want; } slugs[] = {
		{ "add status to orders", "add_status_to_orders" },
		{ "  Add  STATUS -- to   orders!! ", "add_status_to_orders" },
		{ "café au lait", "caf_au_lait" },
		{ "naïve_über__snake", "nave_ber_snake" },
		{ "", "revision" },
		{ "!!!", "revision" },
		{ "日本語", "revision" },
		{ "a very long message that goes on and on beyond forty characters",
		  "a_very_long_message_that_goes_on_and_on" },
		{ "0123456789012345678901234567890123456789xyz", "0123456789012345678901234567890123456789" },
		{ "012345678901234567890123456789012345678 x", "012345678901234567890123456789012345678" },
	};
	char *a = store_new_id(A), *b = store_new_id(A);
	bool hex = strlen(a) == 12 && strspn(a, "0123456789abcdef") == 12;

	for (size_t i = 0; i < ARRAY_SIZE(slugs); i++)
		is_str(store_slug(A, slugs[i].in), slugs[i].want, "slug of '%s'", slugs[i].in);
	ok(hex, "new id is 12 lowercase hex digits (%s)", a);
	ok(strcmp(a, b) != 0, "two new ids differ");
}

/* file_template: the names it gives, the templates it refuses, and the
 * parser reading a date-first name back. */
static void test_file_template(void)
{
	static const struct { const char *t, *want; } names[] = {
		{ NULL, "4c1f9a2e7b30_add_status.sql" },
		{ "%(rev)s_%(slug)s", "4c1f9a2e7b30_add_status.sql" },
		{ "%(year)d%(month).2d%(day).2d_%(rev)s_%(slug)s", "20260301_4c1f9a2e7b30_add_status.sql" },
		{ "%(year)d-%(month)d-%(day)d.%(hour).2d%(minute).2d%(second).2d-%(rev)s", "2026-3-1.070809-4c1f9a2e7b30.sql" },
		{ "%(epoch)d_%(rev)s", "1772348889_4c1f9a2e7b30.sql" },
	};
	static const struct { const char *t, *why; size_t at; } bad[] = {
		{ "%(slug)s", "the template must contain %(rev)s", 0 },
		{ "%(rev)s%(rev)s", "%(rev)s may appear only once", 0 },
		{ "%(rev)s/x", "only letters, digits, `_`, `-`, `.` and %(field)s may appear in a file name", 7 },
		{ ".%(rev)s", "a file name starting with `.` would be skipped", 0 },
		{ "%(rev)s_%(x)s", "unknown field (rev, slug, year, month, day, hour, minute, second, epoch)", 8 },
		{ "%(rev)s_%(day)s", "a date field is written with `d`, as %(year)d or %(month).2d", 8 },
		{ "%(rev)d", "%(rev)s and %(slug)s are written with `s`", 0 },
		{ "%(rev)s_%(day).123d", "a field is written %(name)s or %(name)d (%(month).2d pads to 2 digits)", 8 },
		{ "%(rev)s_%%", "a field is written %(name)s or %(name)d (%(month).2d pads to 2 digits)", 8 },
		{ "%(rev", "a field is written %(name)s or %(name)d (%(month).2d pads to 2 digits)", 0 },
	};
	const char *errs;
	struct sg_revision *r;

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		size_t at;

		if (names[i].t)
			is_str(store_check_template(names[i].t, &at), NULL, "template %s is valid", names[i].t);
		is_str(store_file_name(A, names[i].t, "4c1f9a2e7b30", "Add status!",
				       "2026-03-01T07:08:09Z"),
		       names[i].want, "file name from %s", names[i].t ? names[i].t : "the default");
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		size_t at = 99;

		is_str(store_check_template(bad[i].t, &at), bad[i].why, "template %s refused", bad[i].t);
		is_int((long long)at, (long long)bad[i].at, "template %s: at %zu", bad[i].t, bad[i].at);
	}
	r = parse("m/20261121_4c1f9a2e7b30_add_status.sql", HDR "\n-- +upgrade\n-- +downgrade\n", &errs);
	is_str(errs, "", "a date-first name holding the id parses");
	ok(r && r != (void *)-1 && strcmp(r->id, "4c1f9a2e7b30") == 0, "its id is the header's");
	r = parse("m/x4c1f9a2e7b30_add_status.sql", HDR "\n-- +upgrade\n-- +downgrade\n", &errs);
	ok(strstr(errs, "does not match the file name") != NULL, "the id inside another word is not its id");
}

/* The header writer: every optional key, read back by the parser. */
static void test_header(void)
{
	const char *parents[] = { "a1", "b1" };
	const char *labels[] = { "billing", "main" };
	const char *deps[] = { "x2" };
	struct sg_revision_header h = {
		.id = "m1", .parents = parents, .nparents = 2,
		.branch_labels = labels, .nbranch_labels = 2,
		.depends_on = deps, .ndepends_on = 1,
		.message = "merge", .created = "2026-11-21T10:00:00Z",
		.no_transaction = true, .lock_timeout = "5s",
		.statement_timeout = "10min",
	};
	struct sg_script up = { 0 };
	struct sbuf sb = SBUF_INIT;
	struct sg_revision *r;
	const char *errs;

	sg_script_add(A, &up, "SELECT 1;");
	store_format_header(&sb, &h, &up, NULL);
	is_str(sb.buf,
	       "-- schemagen revision: m1\n"
	       "-- parents: a1, b1\n"
	       "-- message: merge\n"
	       "-- created: 2026-11-21T10:00:00Z\n"
	       "-- branch-labels: billing, main\n"
	       "-- depends-on: x2\n"
	       "-- transaction: none\n"
	       "-- lock-timeout: 5s\n"
	       "-- statement-timeout: 10min\n"
	       "\n-- +upgrade\nSELECT 1;\n\n-- +downgrade\n",
	       "header writer: every optional key, in order");
	r = parse("m/m1_merge.sql", sb.buf, &errs);
	is_str(errs, "", "and it parses");
	ok(r && r != (void *)-1 && r->nbranch_labels == 2 && r->ndepends_on == 1 &&
	   r->transaction_none && r->up_no_transaction && r->down_no_transaction &&
	   sg_streq(r->lock_timeout, "5s") && sg_streq(r->statement_timeout, "10min"),
	   "labels, depends-on, transaction: none and the timeouts read back");
	sbuf_reset(&sb);
	h.no_transaction = false;
	h.lock_timeout = h.statement_timeout = NULL;
	h.nbranch_labels = h.ndepends_on = 0;
	store_format_header(&sb, &h, &up, NULL);
	ok(!strstr(sb.buf, "transaction:") && !strstr(sb.buf, "timeout") &&
	   !strstr(sb.buf, "branch-labels") && !strstr(sb.buf, "depends-on"),
	   "optional keys only when given");
	r = parse("m/m1_merge.sql", sb.buf, &errs);
	ok(r && r != (void *)-1 && !r->lock_timeout && !r->statement_timeout &&
	   !r->transaction_none && !r->up_no_transaction, "none read back");
	sbuf_release(&sb);

	/* the timeouts' syntax */
	{
		static const struct { const char *s; long long ms; } t[] = {
			{ "0", 0 }, { "500", 500 }, { "500ms", 500 }, { "5s", 5000 },
			{ "2min", 120000 }, { "1h", 3600000 }, { "1d", 86400000 },
			{ "", -1 }, { "5 s", -1 }, { "5S", -1 }, { "-1s", -1 },
			{ "1.5s", -1 }, { "s", -1 }, { "5sec", -1 }, { "1234567890", -1 },
		};

		for (size_t i = 0; i < ARRAY_SIZE(t); i++)
			ok(store_timeout_ms(t[i].s) == t[i].ms &&
			   store_valid_timeout(t[i].s) == (t[i].ms >= 0),
			   "timeout '%s' is %lld ms", t[i].s, t[i].ms);
	}
	r = parse(GOODNAME, HDR "-- lock-timeout: soon\n-- statement-timeout: 5 s\n\n-- +upgrade\n-- +downgrade\n",
		  &errs);
	ok(r == NULL, "bad timeouts: rejected");
	is_str(errs,
	       GOODNAME ":5:18: error: lock-timeout: `soon` is not a duration\n"
	       "  hint: write a whole number with a unit: 500ms, 5s, 2min, 1h (0 turns the timeout off)\n"
	       GOODNAME ":6:23: error: statement-timeout: `5 s` is not a duration\n"
	       "  hint: write a whole number with a unit: 500ms, 5s, 2min, 1h (0 turns the timeout off)\n",
	       "bad timeouts: at the value");
	ok(store_valid_name("main") && !store_valid_name("heads") && !store_valid_name("a-b") &&
	   !store_valid_name(""), "store_valid_name");
}

static void test_format(void)
{
	struct sg_script up = { 0 }, down = { 0 };
	struct sbuf sb = SBUF_INIT;
	const char *parents[] = { "9e0d4c1a77f2", "1234abcd5678" };
	const char *errs;
	struct sg_revision *r;
	struct sg_stmt *st;
	char *dir, *path;

	sg_script_add(A, &up, "ALTER TABLE public.orders ADD COLUMN status public.order_status DEFAULT 'pending' NOT NULL;");
	st = sg_script_add(A, &down, "ALTER TABLE public.orders DROP COLUMN status;");
	st->warning = "drops column public.orders.status and the data in it";
	store_format(&sb, "4c1f9a2e7b30", parents, 1, "add status\nto orders",
		     "2026-11-21T10:00:00Z", &up, &down);
	is_str(sb.buf,
	       "-- schemagen revision: 4c1f9a2e7b30\n"
	       "-- parents: 9e0d4c1a77f2\n"
	       "-- message: add status\\nto orders\n"
	       "-- created: 2026-11-21T10:00:00Z\n"
	       "\n"
	       "-- +upgrade\n"
	       "ALTER TABLE public.orders ADD COLUMN status public.order_status DEFAULT 'pending' NOT NULL;\n"
	       "\n"
	       "-- +downgrade\n"
	       "-- WARNING: drops column public.orders.status and the data in it\n"
	       "ALTER TABLE public.orders DROP COLUMN status;\n",
	       "format: the design.md layout");
	sbuf_reset(&sb);
	store_format(&sb, "aaaa", NULL, 0, "", "2026-11-21T10:00:00Z", NULL, NULL);
	is_str(sb.buf,
	       "-- schemagen revision: aaaa\n-- parents:\n-- message:\n"
	       "-- created: 2026-11-21T10:00:00Z\n\n-- +upgrade\n\n-- +downgrade\n",
	       "format: first revision, empty message and sections");
	r = parse("m/aaaa_x.sql", sb.buf, &errs);
	ok(r && r != (void *)-1 && r->up.n == 0 && r->down.n == 0,
	   "the empty template parses");

	/* issue 8: a message and a warning that try to leave their line */
	memset(&up, 0, sizeof(up));
	memset(&down, 0, sizeof(down));
	st = sg_script_add(A, &up, "DROP TABLE app.t;");
	st->warning = "drops table app.\"junk\nALTER ROLE x SUPERUSER; --\" and C:\\new\x1b[2J";
	sg_script_add(A, &down, "SELECT 1;");
	sbuf_reset(&sb);
	store_format(&sb, "bbbb", NULL, 0, "msg\n-- +downgrade\nSELECT 2;\r\x07 \\n",
		     "2026-11-21T10:00:00Z", &up, &down);
	is_str(sb.buf,
	       "-- schemagen revision: bbbb\n-- parents:\n"
	       "-- message: msg\\n-- +downgrade\\nSELECT 2;\\r\\x07 \\x5cn\n"
	       "-- created: 2026-11-21T10:00:00Z\n\n-- +upgrade\n"
	       "-- WARNING: drops table app.\"junk\\nALTER ROLE x SUPERUSER; --\" and C:\\x5cnew\\x1b[2J\n"
	       "DROP TABLE app.t;\n\n-- +downgrade\nSELECT 1;\n",
	       "format: controls in the message and the warning are escapes, one line each");
	r = parse("m/bbbb_x.sql", sb.buf, &errs);
	ok(r && r != (void *)-1 && r->up.n == 1 && r->down.n == 1,
	   "it parses: one statement each way");
	if (r && r != (void *)-1 && r->up.n == 1) {
		is_str(r->message, "msg\n-- +downgrade\nSELECT 2;\r\x07 \\n",
		       "the message reads back exactly");
		is_str(r->up.v[0].warning, st->warning, "the warning reads back exactly");
	}

	/* round trip of awkward statements */
	memset(&up, 0, sizeof(up));
	memset(&down, 0, sizeof(down));
	sg_script_add(A, &up, "CREATE TABLE \"Odd;Name\" (\n    a text DEFAULT 'x;\n-- +downgrade y'\n);");
	st = sg_script_add(A, &up, "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN 1; -- ;\nEND\n$$;");
	st->warning = "replaces function f";
	sg_script_add(A, &up, "SELECT 1 /* ; */ -- trailing comment\n;");
	sg_script_add(A, &up, "CREATE INDEX CONCURRENTLY i ON \"Odd;Name\" (a);");
	sg_script_add(A, &down, "DROP INDEX CONCURRENTLY i;");
	st = sg_script_add(A, &down, "DROP TABLE \"Odd;Name\";");
	st->warning = "drops table public.\"Odd;Name\" and the data in it";
	sbuf_reset(&sb);
	store_format(&sb, "bbbb", parents, 2, "round trip", "2026-11-21T10:00:00Z", &up, &down);
	ok(strstr(sb.buf, "-- parents: 9e0d4c1a77f2, 1234abcd5678\n") != NULL, "two parents");
	ok(strstr(sb.buf, "-- transaction: none\n") != NULL,
	   "a no-transaction statement puts `transaction: none` in the header");
	r = parse("m/bbbb_round_trip.sql", sb.buf, &errs);
	is_str(errs, "", "round trip parses");
	if (r && r != (void *)-1) {
		bool same = r->up.n == up.n && r->down.n == down.n;

		for (size_t i = 0; same && i < up.n; i++)
			same = strcmp(r->up.v[i].sql, up.v[i].sql) == 0 &&
			       sg_streq(r->up.v[i].warning, up.v[i].warning);
		for (size_t i = 0; same && i < down.n; i++)
			same = strcmp(r->down.v[i].sql, down.v[i].sql) == 0 &&
			       sg_streq(r->down.v[i].warning, down.v[i].warning);
		ok(same, "parsed statements and warnings equal the written ones");
		is_int((long long)r->nparents, 2, "two parents read back");
		is_str(r->message, "round trip", "message read back");
	}

	/* store_write */
	dir = tmpdir();
	path = sg_printf(A, "%s/sub/dir", dir);
	{
		char *w = store_write(A, path, "cafe01", NULL, 0, "Initial schema!", &up, &down);
		char *want = sg_printf(A, "%s/cafe01_initial_schema.sql", path);
		struct sg_revgraph g;
		struct sg_diags d;
		const char *err;

		is_str(w, want, "store_write returns the path, creating the directory");
		cap_begin();
		w = store_write(A, path, "cafe01", NULL, 0, "Initial schema!", &up, &down);
		err = cap_end();
		ok(w == NULL, "store_write refuses to overwrite");
		is_str(err, sg_printf(A, "schemagen: error: could not write %s: the file already exists\n", want),
		       "overwrite message");
		sg_diags_init(&d, A);
		ok(store_load(A, path, &g, &d) == 0 && g.n == 1 &&
		   g.revs[0]->created && strlen(g.revs[0]->created) == 20,
		   "written file loads, with a created time");
		unlink(want);
		rmdir(path);
		rmdir(sg_printf(A, "%s/sub", dir));
		rmdir(dir);
	}
	sbuf_release(&sb);
}

/*
 * store_load() reads headers only: a broken statement is found when the
 * revision's body is parsed (before it is applied), once.
 */
static void test_lazy_body(void)
{
	char *dir = tmpdir();
	char *path = sg_path_join(dir, "bbbb01_m.sql");
	const char *text =
		"-- schemagen revision: bbbb01\n-- parents: aaaa01\n-- message: m\n"
		"-- created: 2026-01-01T00:00:00Z\n\n-- +upgrade\n"
		"CREATE TABLE x (id int;\n-- +downgrade\n";
	struct sg_revgraph g;
	struct sg_diags d;

	put(dir, "aaaa01", "", NULL);
	sg_write_file_atomic(path, text, strlen(text), false);
	sg_diags_init(&d, A);
	is_int(store_load(A, dir, &g, &d), 0, "lazy: a file with a bad statement loads");
	is_str(diags_text(&d), "", "lazy: no diagnostics from the headers");
	ok(g.n == 2 && g.revs[1]->body_state == 0 && g.revs[1]->up.n == 0,
	   "lazy: the body is not parsed yet");
	is_int(store_parse_body(g.revs[0], &d), 0, "lazy: a good body parses");
	ok(g.revs[0]->up.n == 1 && g.revs[0]->down.n == 1 &&
	   strcmp(g.revs[0]->up.v[0].sql, "SELECT 1;") == 0 &&
	   g.revs[0]->up.v[0].line == 7, "lazy: its statements and lines");
	is_int(store_parse_bodies(g.revs, g.n, &d), -1, "lazy: the bad body fails");
	is_str(diags_text(&d), sg_printf(A,
		"%s:7:23: error: syntax error at or near \";\"\n", path),
	       "lazy: the statement's error at its location");
	sg_diags_init(&d, A);
	is_int(store_parse_body(g.revs[1], &d), -1, "lazy: a second call fails too");
	is_int(d.n, 0, "lazy: without reporting again");
	unlink(path);
	free(path);
	rmtree(dir);
}

/*
 * A loaded graph's texts and bodies are in g.bodies, not in the arena it
 * was loaded into, and store_drop_bodies() frees them, the headers kept:
 * check drops them once the migrations are replayed (at 10,000 tables a
 * first revision's text and statements were ~38 MB beside the catalogs).
 * A section is split without a copy of it left in the body.
 */
static void test_drop_bodies(void)
{
	struct sg_arena *a = sg_arena_new();
	char *dir = tmpdir();
	char *path = sg_path_join(dir, "bbbb01_big.sql");
	struct sbuf sb = SBUF_INIT;
	struct sg_revgraph g;
	struct sg_diags d;
	size_t loaded, big;
	const struct sg_revision *r;
	struct sg_revision *one;
	char sum[65];

	sbuf_adds(&sb, "-- schemagen revision: bbbb01\n-- parents: aaaa01\n"
		  "-- message: big\n-- created: 2026-01-01T00:00:00Z\n\n-- +upgrade\n");
	for (int i = 0; i < 4000; i++)
		sbuf_addf(&sb, "CREATE TABLE public.t%d (id bigint PRIMARY KEY, "
			  "name text NOT NULL);\n", i);
	sbuf_adds(&sb, "\n-- +downgrade\n");
	for (int i = 3999; i >= 0; i--)
		sbuf_addf(&sb, "-- hazard: data-loss: drops table public.t%d\n"
			  "DROP TABLE public.t%d;\n", i, i);
	put(dir, "aaaa01", "", NULL);
	sg_write_file_atomic(path, sb.buf, sb.len, false);
	sg_diags_init(&d, A);
	is_int(store_load(a, dir, &g, &d), 0, "drop: the graph loads");
	loaded = sg_arena_size(a);
	ok(loaded < sb.len / 4, "drop: the file's text is not in the graph's arena (%zu bytes "
	   "for a text of %zu)", loaded, sb.len);
	is_int(store_parse_bodies(g.revs, g.n, &d), 0, "drop: the bodies parse");
	is_str(diags_text(&d), "", "drop: without diagnostics");
	r = g.n == 2 ? g.revs[1] : NULL;
	ok(r && r->up.n == 4000 && r->down.n == 4000 && r->down.v[0].nhz >= 1,
	   "drop: statements and hazards");
	is_int((long long)(sg_arena_size(a) - loaded), 0,
	       "drop: the statements are not in the graph's arena either");
	snprintf(sum, sizeof(sum), "%s", r ? r->checksum : "");
	store_drop_bodies(&g);
	ok(g.bodies == NULL, "drop: the bodies' arena is freed");
	ok(g.revs[0]->text == NULL && g.revs[1]->text == NULL &&
	   g.revs[1]->up.n == 0 && g.revs[1]->down.n == 0 && g.revs[1]->arena == NULL,
	   "drop: no revision points at it");
	ok(strcmp(g.revs[1]->id, "bbbb01") == 0 && strcmp(g.revs[1]->message, "big") == 0 &&
	   strcmp(g.revs[1]->path, path) == 0 && strcmp(g.revs[1]->checksum, sum) == 0 &&
	   g.revs[1]->parent_revs[0] == g.revs[0] && g.nheads == 1 &&
	   g.heads[0] == g.revs[1], "drop: the headers and the graph stay");
	is_int((long long)(sg_arena_size(a) - loaded), 0, "drop: the graph's arena as it was");
	store_drop_bodies(&g);   /* twice: nothing left to free */
	ok(g.bodies == NULL, "drop: a second drop is harmless");
	/* a section is split without a copy of it kept: a file of one
	 * statement of 500,000 bytes is held twice (the text and the
	 * statement), not three times */
	sg_arena_free(a);
	a = sg_arena_new();
	sbuf_reset(&sb);
	sbuf_adds(&sb, "-- schemagen revision: bbbb01\n-- parents: aaaa01\n"
		  "-- message: big\n-- created: 2026-01-01T00:00:00Z\n\n-- +upgrade\n"
		  "SELECT '");
	for (int i = 0; i < 50000; i++)
		sbuf_adds(&sb, "0123456789");
	sbuf_adds(&sb, "';\n\n-- +downgrade\n");
	is_int(store_parse(a, path, sb.buf, sb.len, &one, &d), 0, "drop: a big statement parses");
	ok(one && one->up.n == 1 && strlen(one->up.v[0].sql) > 500000, "drop: its statement");
	big = sg_arena_size(a);
	ok(big < sb.len * 5 / 2, "drop: the text and the statement, no copy of the section "
	   "(%zu bytes for a text of %zu)", big, sb.len);
	sg_arena_free(a);
	sbuf_release(&sb);
	unlink(path);
	free(path);
	rmtree(dir);
}

static const char *fixture_dir(void)
{
	const char *root = getenv("SG_SOURCE_ROOT");

	return root ? sg_printf(A, "%s/tests/fixtures/migrations/graph", root)
		    : "fixtures/migrations/graph";
}

/* The checked-in sample store: loads, and every file is what store_format writes. */
static void test_fixtures(void)
{
	struct sg_revgraph g;
	struct sg_diags d;
	bool same = true;

	sg_diags_init(&d, A);
	is_int(store_load(A, fixture_dir(), &g, &d), 0, "fixture store loads");
	is_str(diags_text(&d), "", "no diagnostics");
	is_str(ids(g.revs, g.n), "1a2b3c4d5e6f 2b3c4d5e6f70 3c4d5e6f7081 4d5e6f708192 5e6f708192a3",
	       "fixture order");
	is_str(ids(g.heads, g.nheads), "5e6f708192a3", "one head (the merge)");
	ok(g.n == 5 && g.revs[1]->body_state == 0 && g.revs[1]->up.n == 0,
	   "store_load reads the headers only");
	is_int(store_parse_bodies(g.revs, g.n, &d), 0, "the bodies parse");
	ok(g.n == 5 && g.revs[2]->up_no_transaction && !g.revs[3]->up_no_transaction,
	   "the CONCURRENTLY revision runs outside a transaction");
	ok(g.n == 5 && g.revs[1]->up.n == 3 && g.revs[1]->down.n == 3 &&
	   g.revs[1]->down.v[1].warning != NULL, "statements and warnings of add_orders");
	for (size_t i = 0; i < g.n; i++) {
		struct sbuf sb = SBUF_INIT;
		const struct sg_revision *r = g.revs[i];

		struct sg_revision_header h = {
			.id = r->id, .parents = r->parents, .nparents = r->nparents,
			.branch_labels = r->branch_labels,
			.nbranch_labels = r->nbranch_labels,
			.depends_on = r->depends_on, .ndepends_on = r->ndepends_on,
			.message = r->message, .created = r->created,
			.no_transaction = r->transaction_none,
			.lock_timeout = r->lock_timeout,
			.statement_timeout = r->statement_timeout,
		};

		store_format_header(&sb, &h, &r->up, &r->down);
		if (strcmp(sb.buf, r->text) != 0) {
			same = false;
			tap_diag("%s differs from store_format's output:\n%s", r->path, sb.buf);
		}
		sbuf_release(&sb);
	}
	ok(same, "every fixture file is byte for byte what store_format_header writes for it");
}

int main(void)
{
	A = sg_arena_new();
	test_parse_good();
	test_parse_bad();
	test_locations();
	test_marker_lexing();
	test_graph();
	test_depends();
	test_load_errors();
	test_names();
	test_file_template();
	test_header();
	test_format();
	test_lazy_body();
	test_drop_bodies();
	test_fixtures();
	sg_arena_free(A);
	sg_sql_cleanup();
	return tap_done();
}
