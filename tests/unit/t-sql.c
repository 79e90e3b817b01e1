// SPDX-License-Identifier: MIT
/* t-sql.c - fragment checks, splitting, references, classification. */
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/sbuf.h"
#include "schemagen/script.h"
#include "schemagen/sql.h"
#include "tap.h"

static struct sg_arena *A;

/* Checks text and returns the formatted diagnostics ("" when fine). */
static const char *check(enum sg_frag kind, const char *text, struct sg_loc loc)
{
	struct sg_diags d;
	struct sbuf sb = SBUF_INIT;
	const char *r;

	sg_diags_init(&d, A);
	sg_sql_check(kind, text, loc, "default", &d);
	for (size_t i = 0; i < d.n; i++)
		sg_diag_format(&sb, &d.v[i]);
	r = sbuf_to_arena(&sb, A);
	sbuf_release(&sb);
	return r;
}

static void test_check(void)
{
	struct sg_loc plain = { .file = sg_file_id("m.yaml"), .line = 4, .col = 20 };
	struct sg_loc block = { .file = sg_file_id("m.yaml"), .line = 7, .col = 7, .style = 'l', .indent = 6 };

	is_str(check(SG_FRAG_EXPR, "now()", plain), "", "valid expression");
	is_str(check(SG_FRAG_EXPR, "lower(email", plain),
	       "m.yaml:4:31: error: default: syntax error at end of input\n",
	       "syntax error points past the end of the scalar");
	is_str(check(SG_FRAG_EXPR, "lower(x) y z", plain),
	       "m.yaml:4:31: error: default: syntax error at or near \"z\"\n",
	       "syntax error points at the token");
	is_str(check(SG_FRAG_EXPR, "a > 0 AND\nb = = 2", block),
	       "m.yaml:8:11: error: default: syntax error at or near \"=\"\n",
	       "error on the second line of a literal block");
	is_str(check(SG_FRAG_EXPR, "1; DROP TABLE x", plain),
	       "m.yaml:4:20: error: default contains more than one statement\n",
	       "a second statement is refused");
	is_str(check(SG_FRAG_EXPR, "1 FROM t", plain),
	       "m.yaml:4:20: error: default is not a single expression\n",
	       "a FROM clause is refused");
	is_str(check(SG_FRAG_EXPR, "id > 0 AND", plain),
	       "m.yaml:4:20: error: default has a stray word after the expression "
	       "(an operator missing its right side?)\n",
	       "a dangling AND reads as a label: said plainly");
	is_str(check(SG_FRAG_EXPR, "  ", plain),
	       "m.yaml:4:20: error: default is empty\n", "empty fragment");
	is_str(check(SG_FRAG_TYPE, "character varying(20)[]", plain), "", "valid type");
	is_str(check(SG_FRAG_TYPE, "public.\"Mood\"", plain), "", "quoted qualified type");
	is_str(check(SG_FRAG_TYPE, "int int", plain),
	       "m.yaml:4:20: error: default is not a type name\n",
	       "a type with a trailing word");
	is_str(check(SG_FRAG_TYPE, "varchar(", plain),
	       "m.yaml:4:28: error: default: syntax error at end of input\n",
	       "bad type");
	is_str(check(SG_FRAG_TYPE, "int, 2", plain),
	       "m.yaml:4:20: error: default is not a type name\n",
	       "a type followed by more is refused");
	is_str(check(SG_FRAG_QUERY, "SELECT 1 FROM t", plain), "", "a query");
	is_str(check(SG_FRAG_QUERY, "DELETE FROM t", plain),
	       "m.yaml:4:20: error: default is not a SELECT query\n", "not a query");
	is_str(check(SG_FRAG_EXPR, "'caf\xc3\xa9' || ", plain),
	       "m.yaml:4:30: error: default: syntax error at end of input\n",
	       "columns count characters, not bytes");
}

/* Function fragments: arguments, results, bodies. */
static void test_check_function(void)
{
	struct sg_loc plain = { .file = sg_file_id("m.yaml"), .line = 4, .col = 20 };
	struct sg_loc block = { .file = sg_file_id("m.yaml"), .line = 7, .col = 7, .style = 'l', .indent = 6 };

	is_str(check(SG_FRAG_ARGUMENT, "a integer", plain), "", "argument");
	is_str(check(SG_FRAG_ARGUMENT, "OUT total numeric(10,2)", plain), "",
	       "OUT argument with a type modifier");
	is_str(check(SG_FRAG_ARGUMENT, "VARIADIC xs text[] DEFAULT ARRAY['a', 'b']", plain),
	       "", "variadic argument with a default");
	is_str(check(SG_FRAG_ARGUMENT, "integer", plain), "", "unnamed argument");
	is_str(check(SG_FRAG_ARGUMENT, "a int, b int", plain),
	       "m.yaml:4:20: error: default is not one argument declaration\n",
	       "two arguments in one item");
	is_str(check(SG_FRAG_ARGUMENT, "a int DEFAULT", plain),
	       "m.yaml:4:33: error: default: syntax error at end of input\n",
	       "a default without a value: the error is at the end");
	is_str(check(SG_FRAG_ARGUMENT, "a int) RETURNS int LANGUAGE sql AS 'x'; DROP TABLE t; --",
		     plain),
	       "m.yaml:4:76: error: default: syntax error at end of input\n",
	       "closing the argument list early: the wrapper's end is an error");
	is_str(check(SG_FRAG_RESULT, "SETOF", plain),
	       "m.yaml:4:25: error: default: syntax error at end of input\n",
	       "an incomplete result: the wrapper's own tokens are not named");
	is_str(check(SG_FRAG_RESULT, "SETOF public.t", plain), "", "SETOF result");
	is_str(check(SG_FRAG_RESULT, "TABLE(x integer, \"Y z\" text)", plain), "",
	       "TABLE result");
	is_str(check(SG_FRAG_RESULT, "int LANGUAGE plpgsql", plain),
	       "m.yaml:4:20: error: default is not a result type\n",
	       "options after the result are refused");
	is_str(check(SG_FRAG_SCRIPT, "SELECT 1; UPDATE t SET a = $1; SELECT 2", plain), "",
	       "statements of a sql body");
	is_str(check(SG_FRAG_SCRIPT, "SELECT 1;\nSELEC 2", block),
	       "m.yaml:8:7: error: default: syntax error at or near \"SELEC\"\n",
	       "error in the second statement of a body");
	is_str(check(SG_FRAG_ROUTINE_BODY, "BEGIN ATOMIC\n  SELECT 1;\n  SELECT 2;\nEND", block),
	       "", "BEGIN ATOMIC body");
	is_str(check(SG_FRAG_ROUTINE_BODY, "RETURN a + b", plain), "", "RETURN body");
	is_str(check(SG_FRAG_ROUTINE_BODY, "RETURN 1; DROP TABLE t", plain),
	       "m.yaml:4:20: error: default is not a SQL-standard body (BEGIN ATOMIC ... END "
	       "or RETURN expression)\n", "a statement after the body is refused");
}

static const char *arg(const char *text)
{
	struct sg_sql_arg a;

	if (sg_sql_argument(A, text, &a) < 0)
		return "(error)";
	return sg_printf(A, "%c %s %s.%s %d%s%s", a.mode, a.name ? a.name : "-",
			 a.type_schema ? a.type_schema : "-", a.type_name, a.ndims,
			 a.pct_type ? " %type" : "", a.has_default ? " default" : "");
}

static void test_argument(void)
{
	is_str(arg("a integer"), "i a pg_catalog.int4 0", "SQL spelling of a type");
	is_str(arg("int4"), "i - -.int4 0", "unnamed, internal name");
	is_str(arg("OUT b text[]"), "o b -.text 1", "OUT array");
	is_str(arg("INOUT c public.\"Mood\""), "b c public.Mood 0", "INOUT user type");
	is_str(arg("VARIADIC xs numeric(10,2)[][] DEFAULT '{}'"),
	       "v xs pg_catalog.numeric 2 default", "variadic with a default");
	is_str(arg("IN x t.c%TYPE"), "i x t.c 0 %type", "a column's type (%%TYPE)");
	is_str(arg("a int, b int"), "(error)", "not one argument");
}

static void test_split(void)
{
	const char *sql =
		"-- leading comment\n"
		"CREATE TABLE a (x int);\n"
		"\n"
		"CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql;\n"
		"/* block */ INSERT INTO a VALUES (';');\n"
		"-- trailing comment\n";
	struct sg_sql_span *s;
	size_t n, off;
	const char *msg;

	ok(sg_sql_split(A, sql, &s, &n, &off, &msg) == 0, "split succeeds");
	is_int((long long)n, 3, "three statements");
	if (n == 3) {
		is_str(sg_strndup(A, sql + s[0].offset, s[0].len), "CREATE TABLE a (x int)",
		       "first statement without comment or semicolon");
		is_str(sg_strndup(A, sql + s[1].offset, s[1].len),
		       "CREATE FUNCTION f() RETURNS int AS $$ SELECT 1; $$ LANGUAGE sql",
		       "dollar-quoted body keeps its semicolon");
		is_str(sg_strndup(A, sql + s[2].offset, s[2].len),
		       "INSERT INTO a VALUES (';')", "block comment skipped");
	}
	ok(sg_sql_split(A, "SELECT 1;\nSELEC 2;", &s, &n, &off, &msg) < 0,
	   "syntax error reported");
	is_int((long long)off, 10, "at the right byte offset");
	is_str(msg, "syntax error at or near \"SELEC\"", "with the parser's message");
	ok(sg_sql_split(A, "-- only a comment\n", &s, &n, &off, &msg) == 0 && n == 0,
	   "a script of comments has no statements");
}

static const char *refs(enum sg_frag kind, const char *text)
{
	struct sg_sql_ref *r;
	size_t n;
	struct sbuf sb = SBUF_INIT;
	const char *out;

	if (sg_sql_refs(A, kind, text, &r, &n) < 0)
		return "(error)";
	for (size_t i = 0; i < n; i++)
		sbuf_addf(&sb, "%s%c:%s%s%s", i ? " " : "", r[i].kind,
			  r[i].schema ? r[i].schema : "", r[i].schema ? "." : "", r[i].name);
	out = sbuf_to_arena(&sb, A);
	sbuf_release(&sb);
	return out;
}

static void test_refs(void)
{
	is_str(refs(SG_FRAG_EXPR, "nextval('public.\"Seq\"'::regclass)"),
	       "f:nextval s:public.Seq t:regclass", "nextval names a sequence");
	is_str(refs(SG_FRAG_EXPR, "'a'::mood"), "t:mood", "a cast names a type");
	is_str(refs(SG_FRAG_TYPE, "billing.status[]"), "t:billing.status", "array type");
	is_str(refs(SG_FRAG_QUERY, "SELECT x FROM s.t JOIN u ON true"),
	       "r:u r:s.t", "relations of a query (unqualified first)");
	is_str(refs(SG_FRAG_EXPR, "nextval('S1')"), "f:nextval s:s1",
	       "unquoted sequence names fold to lower case");
	is_str(refs(SG_FRAG_ROUTINE_BODY, "BEGIN ATOMIC INSERT INTO log SELECT f(x) "
		    "FROM s.t; END"),
	       "f:f r:log r:s.t", "a SQL-standard body: not the wrapper's RETURNS int");
	is_str(refs(SG_FRAG_ARGUMENT, "a mood DEFAULT g()"), "f:g t:mood",
	       "an argument's type and default");
	is_str(refs(SG_FRAG_RESULT, "SETOF orders"), "t:orders", "a result");
	is_str(refs(SG_FRAG_SCRIPT, "DELETE FROM a; SELECT * FROM b"), "r:a r:b",
	       "every statement of a script");
}

static void test_classify(void)
{
	is_int(sg_sql_classify("CREATE INDEX CONCURRENTLY i ON t (a)"),
	       SG_SQL_NO_TRANSACTION, "create index concurrently");
	is_int(sg_sql_classify("DROP INDEX CONCURRENTLY i"), SG_SQL_NO_TRANSACTION,
	       "drop index concurrently");
	is_int(sg_sql_classify("REINDEX (CONCURRENTLY) TABLE t"), SG_SQL_NO_TRANSACTION,
	       "reindex concurrently");
	is_int(sg_sql_classify("VACUUM t"), SG_SQL_NO_TRANSACTION, "vacuum");
	is_int(sg_sql_classify("ALTER SYSTEM SET work_mem = '1MB'"), SG_SQL_NO_TRANSACTION,
	       "alter system");
	is_int(sg_sql_classify("COMMIT"), SG_SQL_TRANSACTION_CONTROL, "commit");
	is_int(sg_sql_classify("ALTER TYPE t ADD VALUE 'x'"), SG_SQL_ENUM_ADD_VALUE,
	       "enum add value");
	is_int(sg_sql_classify("ALTER TYPE t RENAME VALUE 'x' TO 'y'"), 0,
	       "enum rename value is fine");
	is_int(sg_sql_classify("CREATE INDEX i ON t (a)"), 0, "plain index");
}

/* Online plans: CONCURRENTLY put into an index definition, and read back. */
static const char *cindex(const char *stmt)
{
	struct sg_sql_cindex ci;

	if (sg_sql_concurrent_index(A, stmt, &ci) != 1)
		return "-";
	return sg_printf(A, "%s %s.%s", ci.create ? "create" : "drop",
			 ci.schema ? ci.schema : "", ci.name);
}

static void test_concurrently(void)
{
	const char *r;

	is_str(sg_sql_index_concurrently(A, "CREATE INDEX i ON public.t USING btree (a)"),
	       "CREATE INDEX CONCURRENTLY i ON public.t USING btree (a)", "an index");
	is_str(sg_sql_index_concurrently(A, "CREATE UNIQUE INDEX \"index\" ON s.t (\"index\")"),
	       "CREATE UNIQUE INDEX CONCURRENTLY \"index\" ON s.t (\"index\")",
	       "a unique index named index: after the keyword only");
	r = sg_sql_index_concurrently(A, "CREATE INDEX CONCURRENTLY i ON t (a)");
	ok(r == NULL, "already concurrent: NULL");
	r = sg_sql_index_concurrently(A, "DROP INDEX i");
	ok(r == NULL, "not a CREATE INDEX: NULL");
	is_str(cindex("CREATE INDEX CONCURRENTLY i ON s.t (a)"), "create s.i", "a concurrent build");
	is_str(cindex("CREATE INDEX CONCURRENTLY i ON t (a)"), "create .i", "unqualified");
	is_str(cindex("DROP INDEX CONCURRENTLY \"S\".\"I\""), "drop S.I", "a concurrent drop");
	is_str(cindex("CREATE INDEX CONCURRENTLY ON t (a)"), "-", "no name: nothing to resume by");
	is_str(cindex("CREATE INDEX i ON t (a)"), "-", "not concurrent");
	is_str(cindex("DROP INDEX CONCURRENTLY a, b"), "-", "DROP INDEX CONCURRENTLY takes one index");
}

/* The kept text of a fragment, or its diagnostics after "!". */
static const char *frag(enum sg_frag kind, const char *text)
{
	struct sg_loc plain = { .file = sg_file_id("m.yaml"), .line = 4, .col = 20 };
	struct sg_diags d;
	struct sbuf sb = SBUF_INIT;
	const char *r;

	sg_diags_init(&d, A);
	r = sg_sql_fragment(A, kind, text, plain, "f", &d);
	if (r)
		return r;
	sbuf_addch(&sb, '!');
	for (size_t i = 0; i < d.n; i++)
		sg_diag_format(&sb, &d.v[i]);
	r = sbuf_to_arena(&sb, A);
	sbuf_release(&sb);
	return r;
}

static void test_operator(void)
{
	struct sg_loc plain = { .file = sg_file_id("m.yaml"), .line = 4, .col = 20 };

	is_str(check(SG_FRAG_OPERATOR, "=", plain), "", "operator =");
	is_str(check(SG_FRAG_OPERATOR, "&&", plain), "", "operator &&");
	is_str(check(SG_FRAG_OPERATOR, "OPERATOR(pg_catalog.<>)", plain), "",
	       "qualified operator");
	is_str(check(SG_FRAG_OPERATOR, "OPERATOR(\"My s\".-|-)", plain), "",
	       "operator in a quoted schema");
	is_str(check(SG_FRAG_OPERATOR, "=/*", plain),
	       "m.yaml:4:21: error: default: unterminated /* comment at or near \"/*\"\n",
	       "an operator opening a comment is refused");
	is_str(check(SG_FRAG_OPERATOR, ";", plain),
	       "m.yaml:4:21: error: default: syntax error at end of input\n",
	       "a semicolon is no operator");
	is_str(check(SG_FRAG_OPERATOR, "= NULL; COPY x TO PROGRAM 'id'; SELECT NULL =", plain),
	       "m.yaml:4:20: error: default is not an operator name (such as = or &&)\n",
	       "a second statement is refused");
	is_str(check(SG_FRAG_OPERATOR, "= NULL OR NULL =", plain),
	       "m.yaml:4:20: error: default is not an operator name (such as = or &&)\n",
	       "an operand and a second operator are refused");
	is_str(check(SG_FRAG_OPERATOR, "= (NULL) =", plain),
	       "m.yaml:4:29: error: default: syntax error at or near \"=\"\n",
	       "an operand smuggled inside is refused");
	is_str(check(SG_FRAG_OPERATOR, "IS DISTINCT FROM", plain),
	       "m.yaml:4:20: error: default is not an operator name (such as = or &&)\n",
	       "a construct that is not an operator is refused");
	is_str(check(SG_FRAG_OPERATOR, "OPERATOR(a.b.=)", plain),
	       "m.yaml:4:20: error: default is not an operator name (such as = or &&)\n",
	       "three-part operator names are refused");
	is_str(check(SG_FRAG_OPERATOR, "'x'", plain),
	       "m.yaml:4:20: error: default: syntax error at or near \"'x'\"\n",
	       "a literal is no operator");
	is_str(check(SG_FRAG_OPERATOR, "= '", plain),
	       "m.yaml:4:22: error: default: unterminated quoted string at or near \"'\"\n",
	       "an unbalanced quote is refused");
	is_str(check(SG_FRAG_OPERATOR, "= $$", plain),
	       "m.yaml:4:22: error: default: unterminated dollar-quoted string at or near \"$$\"\n",
	       "an open dollar quote is refused");
	is_str(frag(SG_FRAG_OPERATOR, "= -- equal"), "=", "trailing comment blanked");
}

static void test_fragment(void)
{
	is_str(frag(SG_FRAG_EXPR, "1 -- one"), "1", "a trailing line comment is blanked");
	is_str(frag(SG_FRAG_EXPR, "a -- first\n + b -- second\n"),
	       "a         \n + b          \n", "line comments blanked byte for byte");
	is_str(frag(SG_FRAG_EXPR, "a /* c */ + '--' || $$--$$"),
	       "a /* c */ + '--' || $$--$$", "block comments and strings kept");
	is_str(frag(SG_FRAG_EXPR, "a > 0 --"), "a > 0", "an empty line comment");
	is_str(frag(SG_FRAG_TYPE, "int -- x"), "int", "in a type");
	is_str(frag(SG_FRAG_QUERY, "SELECT 1 -- one"), "SELECT 1", "in a query");
	is_str(frag(SG_FRAG_ROUTINE_BODY, "RETURN 1 -- one"), "RETURN 1",
	       "in a SQL-standard body");
	is_str(frag(SG_FRAG_SCRIPT, "SELECT 1 -- one\n"), "SELECT 1 -- one\n",
	       "a body written as a string is kept as written");
	is_str(frag(SG_FRAG_EXPR, "1 -- one\n; DROP TABLE t"),
	       "!m.yaml:4:20: error: f contains more than one statement\n",
	       "a statement after a comment is still refused");
	is_str(frag(SG_FRAG_EXPR, "1 /* open"),
	       "!m.yaml:4:22: error: f: unterminated /* comment at or near \"/* open\"\n",
	       "an unterminated block comment is refused");
	is_str(frag(SG_FRAG_PARTITION_BY, "RANGE (a) -- key"), "RANGE (a)", "partition key");
	is_str(frag(SG_FRAG_PARTITION_BY, "RANGE (a) TABLESPACE pg_default"),
	       "!m.yaml:4:20: error: f is not a partition key (RANGE (...), LIST (...) "
	       "or HASH (...))\n", "a partition key with more after it is refused");
	is_str(frag(SG_FRAG_PARTITION_BOUND, "FOR VALUES IN (1)"), "FOR VALUES IN (1)",
	       "partition bound");
	is_str(frag(SG_FRAG_PARTITION_BOUND, "DEFAULT WITH (fillfactor = 10)"),
	       "!m.yaml:4:20: error: f is not a partition bound (FOR VALUES ... or DEFAULT)\n",
	       "a bound with storage parameters after it is refused");
	is_str(frag(SG_FRAG_PARTITION_BOUND, "DEFAULT; DROP TABLE t"),
	       "!m.yaml:4:20: error: f contains more than one statement\n",
	       "a bound with a second statement is refused");
}

/* issue 8: names and literals the server wrote, respelt without controls */
static void test_escape_controls(void)
{
	struct sg_sql_edits ed = { 0 };
	const char *plain = "CREATE TABLE \"a b\" (\n    x text DEFAULT 'l1\nl2'\n);\n";
	const char *in = "CREATE TABLE \"s\n*/ --$$\x1b\"\"'\".t (c \"s\x1b\".\"e\" DEFAULT 'a\x1b''b',"
			 " d text DEFAULT E'x\\\x07y\\\\\x1b', f text DEFAULT 'l1\nl2');\n"
			 "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $b$SELECT '\x1b'$b$; -- \"\x1b\"\n";
	const char *out;

	ok(sg_sql_escape_controls(A, plain, &ed) == plain && ed.n == 0,
	   "no control (newlines in a literal and the layout): the same text, not scanned");
	out = sg_sql_escape_controls(A, in, &ed);
	is_str(out, "CREATE TABLE U&\"s\\000a*/ --$$\\001b\"\"'\".t (c U&\"s\\001b\".\"e\""
		    " DEFAULT E'a\\x1b''b', d text DEFAULT E'x\\x07y\\\\\\x1b', f text DEFAULT 'l1\nl2');\n"
		    "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $b$SELECT '\x1b'$b$; -- \"\x1b\"\n",
	       "quoted names and literals respelt; dollar quotes, comments and newlines in literals kept");
	is_int((long long)ed.n, 4, "four tokens respelt");
	ok(ed.n == 4 && ed.v[0].end == 28 && ed.v[0].delta == 10 && ed.v[3].delta == 25,
	   "the first edit ends at 28 and is 10 bytes longer; 25 in all (%zu, %ld)",
	   ed.n ? ed.v[0].end : 0, ed.n ? ed.v[0].delta : 0L);
}

/* "name rel; name rel" for one statement, "?" when it does not parse */
static const char *hazards(const char *sql)
{
	struct sg_hz *v;
	size_t n;
	const char *creates;
	struct sbuf sb = SBUF_INIT;
	const char *r;

	if (sg_sql_hazards(A, sql, &v, &n, &creates) < 0)
		return "?";
	for (size_t i = 0; i < n; i++)
		sbuf_addf(&sb, "%s%s%s%s%s", i ? "; " : "", sg_hazard_name(v[i].kind),
			  v[i].rel ? " " : "", v[i].rel ? v[i].rel : "",
			  v[i].uncertain ? "?" : "");
	r = sbuf_to_arena(&sb, A);
	sbuf_release(&sb);
	return r;
}

static void test_hazards(void)
{
	static const struct { const char *sql, *want; } cases[] = {
		/* nothing to fear */
		{ "CREATE TABLE t (a int)", "" },
		{ "CREATE VIEW v AS SELECT 1", "" },
		{ "COMMENT ON TABLE t IS 'x'", "" },
		{ "ALTER TYPE e ADD VALUE 'x'", "" },
		{ "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'", "" },
		{ "INSERT INTO t VALUES (1)", "" },
		/* locks */
		{ "ALTER TABLE s.t ADD COLUMN c int", "lock-access-exclusive s.t" },
		{ "ALTER TABLE t ADD COLUMN c timestamptz DEFAULT now()", "lock-access-exclusive t" },
		{ "ALTER TABLE t ADD COLUMN c int DEFAULT 0 NOT NULL", "lock-access-exclusive t" },
		{ "ALTER TABLE t ALTER COLUMN c SET DEFAULT 1", "lock-access-exclusive t" },
		{ "ALTER TABLE t ALTER COLUMN c DROP NOT NULL", "lock-access-exclusive t" },
		{ "ALTER TABLE t DROP CONSTRAINT k", "lock-access-exclusive t" },
		{ "ALTER TABLE t RENAME TO u", "lock-access-exclusive t" },
		{ "ALTER TABLE t ALTER COLUMN c SET STATISTICS 100", "" },
		{ "ALTER TABLE t DISABLE TRIGGER ALL", "lock-share-row-exclusive t" },
		{ "CREATE TRIGGER g AFTER INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()",
		  "lock-share-row-exclusive t" },
		{ "CREATE POLICY p ON t USING (true)", "lock-access-exclusive t" },
		{ "DROP TRIGGER g ON s.t", "lock-access-exclusive s.t" },
		{ "DROP VIEW v", "lock-access-exclusive v" },
		{ "DROP SEQUENCE s.q", "lock-access-exclusive s.q; data-loss s.q" },
		{ "DROP INDEX s.i", "lock-access-exclusive s.i" },
		{ "REFRESH MATERIALIZED VIEW CONCURRENTLY m", "lock-exclusive m" },
		{ "REFRESH MATERIALIZED VIEW m", "lock-access-exclusive m" },
		/* index builds */
		{ "CREATE INDEX i ON t (a)", "lock-share t; index-build-blocks-writes t" },
		{ "CREATE UNIQUE INDEX i ON t (a)",
		  "lock-share t; index-build-blocks-writes t; may-fail t" },
		{ "CREATE INDEX CONCURRENTLY i ON t (a)", "no-transaction" },
		{ "CREATE UNIQUE INDEX CONCURRENTLY i ON t (a)", "may-fail t; no-transaction" },
		{ "DROP INDEX CONCURRENTLY i", "no-transaction" },
		{ "REINDEX INDEX i", "lock-share i; index-build-blocks-writes i" },
		/* rewrites */
		{ "ALTER TABLE t ADD COLUMN c uuid DEFAULT gen_random_uuid()",
		  "lock-access-exclusive t; table-rewrite t" },
		{ "ALTER TABLE t ADD COLUMN c bigserial",
		  "lock-access-exclusive t; table-rewrite t" },
		{ "ALTER TABLE t ADD COLUMN c int GENERATED ALWAYS AS IDENTITY",
		  "lock-access-exclusive t; table-rewrite t" },
		{ "ALTER TABLE t ADD COLUMN c int GENERATED ALWAYS AS (a + 1) STORED",
		  "lock-access-exclusive t; table-rewrite t" },
		{ "ALTER TABLE t ADD COLUMN c int DEFAULT my_func()",
		  "lock-access-exclusive t; table-rewrite t?" },
		{ "ALTER TABLE t ALTER COLUMN c TYPE bigint",
		  "lock-access-exclusive t; table-rewrite t?; may-fail t?" },
		{ "ALTER TABLE t SET TABLESPACE x", "lock-access-exclusive t; table-rewrite t" },
		{ "ALTER TABLE t SET LOGGED", "lock-access-exclusive t; table-rewrite t" },
		{ "VACUUM FULL t", "lock-access-exclusive t; table-rewrite t; no-transaction" },
		{ "CLUSTER t USING i", "lock-access-exclusive t; table-rewrite t" },
		/* scans and what may fail */
		{ "ALTER TABLE t ALTER COLUMN c SET NOT NULL",
		  "lock-access-exclusive t; table-scan t; may-fail t" },
		{ "ALTER TABLE t ADD COLUMN c int NOT NULL",
		  "lock-access-exclusive t; may-fail t" },
		{ "ALTER TABLE t ADD CONSTRAINT k CHECK (a > 0)",
		  "lock-access-exclusive t; table-scan t; may-fail t" },
		{ "ALTER TABLE t ADD CONSTRAINT k CHECK (a > 0) NOT VALID",
		  "lock-access-exclusive t" },
		{ "ALTER TABLE t VALIDATE CONSTRAINT k", "table-scan t; may-fail t" },
		{ "ALTER TABLE t ADD CONSTRAINT k FOREIGN KEY (a) REFERENCES u (id)",
		  "lock-share-row-exclusive t; lock-share-row-exclusive u; table-scan t; may-fail t" },
		{ "ALTER TABLE t ADD CONSTRAINT k FOREIGN KEY (a) REFERENCES u (id) NOT VALID",
		  "lock-share-row-exclusive t; lock-share-row-exclusive u" },
		{ "ALTER TABLE t ADD CONSTRAINT k UNIQUE (a)",
		  "lock-access-exclusive t; index-build-blocks-writes t; may-fail t" },
		{ "ALTER TABLE t ADD CONSTRAINT k UNIQUE USING INDEX i", "lock-access-exclusive t" },
		{ "ALTER TABLE t ADD PRIMARY KEY (a)",
		  "lock-access-exclusive t; table-scan t; may-fail t; index-build-blocks-writes t" },
		{ "ALTER TABLE t ADD CONSTRAINT k PRIMARY KEY USING INDEX i",
		  "lock-access-exclusive t; table-scan t; may-fail t" },
		{ "ALTER TABLE t ADD CONSTRAINT x EXCLUDE USING gist (a WITH &&)",
		  "lock-access-exclusive t; index-build-blocks-writes t; may-fail t" },
		{ "ALTER TABLE p ATTACH PARTITION c FOR VALUES IN (1)",
		  "lock-access-exclusive c; table-scan c; may-fail c" },
		{ "ALTER DOMAIN d ADD CONSTRAINT k CHECK (VALUE > 0)", "table-scan d; may-fail d" },
		{ "ALTER DOMAIN d ADD CONSTRAINT k CHECK (VALUE > 0) NOT VALID", "" },
		{ "ALTER DOMAIN d SET NOT NULL", "table-scan d; may-fail d" },
		/* data loss */
		{ "DROP TABLE s.t", "lock-access-exclusive s.t; data-loss s.t" },
		{ "DROP TABLE a, b",
		  "lock-access-exclusive a; data-loss a; lock-access-exclusive b; data-loss b" },
		{ "ALTER TABLE t DROP COLUMN c", "lock-access-exclusive t; data-loss t" },
		{ "TRUNCATE t", "lock-access-exclusive t; data-loss t" },
		{ "DELETE FROM t WHERE a = 1", "data-loss t" },
		{ "DROP SCHEMA s CASCADE", "data-loss s" },
		{ "DROP TYPE e", "" },
		/* references of a new table */
		{ "CREATE TABLE t (a int REFERENCES u (id))", "lock-share-row-exclusive u" },
		{ "CREATE TABLE t (a int, FOREIGN KEY (a) REFERENCES s.u)",
		  "lock-share-row-exclusive s.u" },
		{ "CREATE TABLE c PARTITION OF p FOR VALUES IN (1)", "lock-access-exclusive p" },
		/* quoting of hostile names */
		{ "DROP TABLE \"a\"\"b\"", "lock-access-exclusive \"a\"\"b\"; data-loss \"a\"\"b\"" },
		{ "ALTER TABLE t ADD COLUMN", "?" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		is_str(hazards(cases[i].sql), cases[i].want, "%s", cases[i].sql);
	for (int k = 0; k < SG_HZ__COUNT; k++) {
		const char *n = sg_hazard_name((enum sg_hazard)k);

		is_int(sg_hazard_of(n, strlen(n)), k, "hazard name %s", n);
	}
	is_int(sg_hazard_of("data-los", 8), -1, "a prefix is no name");
}

/* A script: hazards on relations it created are left out. */
static void test_script_hazards(void)
{
	struct sg_script s = { 0 };
	struct sbuf sb = SBUF_INIT;

	sg_script_add(A, &s, "CREATE TABLE s.n (a int);");
	sg_script_add(A, &s, "CREATE INDEX n_i ON s.n (a);");
	sg_script_add(A, &s, "ALTER TABLE s.n ADD CONSTRAINT k FOREIGN KEY (a) REFERENCES s.old (id);");
	sg_script_add(A, &s, "DROP INDEX s.n_i;");
	sg_script_add(A, &s, "ALTER TABLE s.old ALTER COLUMN c TYPE text;");
	s.v[4].hz_drop = 1u << SG_HZ_TABLE_REWRITE;
	sg_script_add(A, &s, "ALTER TABLE s.old DROP COLUMN c;");
	s.v[5].warning = "drops column s.old.c";
	sg_script_hazards(A, &s);
	sg_script_hazards(A, &s);   /* twice: the same */
	is_int((long long)(s.v[0].nhz + s.v[1].nhz + s.v[3].nhz), 0,
	       "the new table, its index, the index dropped: nothing");
	is_int((long long)s.v[2].nhz, 1, "the foreign key: the old table's lock only");
	is_str(s.v[2].nhz ? s.v[2].hz[0].rel : "", "s.old", "on s.old");
	is_int((long long)s.v[4].nhz, 2, "the type change: lock and may-fail, no rewrite");
	is_int((long long)s.v[5].nhz, 2, "the drop: lock and data-loss, one each");
	is_int((long long)sg_script_hazard_summary(&sb, &s), 5, "five in all");
	is_str(sb.buf, "1 data-loss, 1 may-fail, 2 lock-access-exclusive, "
		       "1 lock-share-row-exclusive", "the summary, the worst first");
	sbuf_release(&sb);
	sbuf_init(&sb, 0);
	sg_stmt_format(&sb, &s.v[5]);
	is_str(sb.buf, "-- WARNING: drops column s.old.c\n"
		       "-- hazard: lock-access-exclusive: takes an ACCESS EXCLUSIVE lock on s.old: "
		       "its reads and writes wait until the transaction ends\n"
		       "-- hazard: data-loss: drops column s.old.c\n"
		       "ALTER TABLE s.old DROP COLUMN c;\n",
	       "written with its hazard lines: the data-loss one in the warning's words");
	sbuf_release(&sb);
}

/* A script creating many relations: each later statement's relation
 * found among them by the name after its schema (hashed, not a search of
 * every one created: a first revision of thousands of tables). */
static void test_script_hazards_many(void)
{
	struct sg_script s = { 0 };
	static const struct {
		const char *sql;
		size_t nhz;
		const char *what;
	} later[] = {
		{ "ALTER TABLE s1.t1 DROP COLUMN a;", 0, "a table it created, as created" },
		{ "ALTER TABLE s2.t1 DROP COLUMN a;", 2, "the same name in another schema" },
		{ "ALTER TABLE t2 DROP COLUMN a;", 0, "unqualified, created qualified" },
		{ "ALTER TABLE s0.u DROP COLUMN a;", 0, "qualified, created unqualified" },
		{ "ALTER TABLE s0.v DROP COLUMN a;", 2, "a table it did not create" },
		{ "ALTER TABLE \"a.b\" DROP COLUMN a;", 0, "a quoted name with a dot, created" },
		{ "ALTER TABLE a.b DROP COLUMN a;", 2, "not the quoted name's" },
		{ "ALTER TABLE s2.t299 DROP COLUMN a;", 0, "the last one created" },
		{ "ALTER TABLE s0.t299 DROP COLUMN a;", 2, "the last one's name elsewhere" },
	};
	size_t first;

	for (int i = 0; i < 300; i++)
		sg_script_add(A, &s, sg_printf(A, "CREATE TABLE s%d.t%d (a int);", i % 3, i));
	sg_script_add(A, &s, "CREATE TABLE u (a int);");
	sg_script_add(A, &s, "CREATE TABLE \"a.b\" (a int);");
	first = s.n;
	for (size_t i = 0; i < sizeof(later) / sizeof(later[0]); i++)
		sg_script_add(A, &s, later[i].sql);
	sg_script_hazards(A, &s);
	for (size_t i = 0; i < sizeof(later) / sizeof(later[0]); i++)
		is_int((long long)s.v[first + i].nhz, (long long)later[i].nhz, "%s: %s",
		       later[i].sql, later[i].what);
}

static void test_same(void)
{
	/* what pg_get_constraintdef writes for SQLAlchemy's `status IN ('a', 'b')`
	 * on a varchar column, and what that text becomes once created again */
	const char *live = "CHECK (((status)::text = ANY ((ARRAY['a'::character varying, "
			   "'b'::character varying])::text[])))";
	const char *again = "CHECK (((status)::text = ANY (ARRAY[('a'::character varying)::text, "
			    "('b'::character varying)::text])))";

	ok(sg_sql_same(SG_FRAG_QUERY, sg_printf(A, "ALTER TABLE x ADD %s", live),
		       sg_printf(A, "ALTER TABLE x ADD %s", again)),
	   "array cast = cast of each element (check)");
	ok(sg_sql_same(SG_FRAG_EXPR, "(ARRAY[1, 2])::bigint[]", "ARRAY[(1)::bigint, 2::bigint]"),
	   "array cast: expression");
	ok(sg_sql_same(SG_FRAG_EXPR, "ARRAY[(1)::bigint, 2::bigint]", "(ARRAY[1, 2])::bigint[]"),
	   "array cast: either side");
	ok(sg_sql_same(SG_FRAG_EXPR, "(ARRAY[ARRAY[1], ARRAY[2]])::int[][]",
		       "ARRAY[ARRAY[1::int], ARRAY[2::int]]"),
	   "nested constructors: elements cast to the element type");
	ok(sg_sql_same(SG_FRAG_EXPR, "a  +\n 1", "(a + 1)"), "layout and parentheses aside");
	ok(!sg_sql_same(SG_FRAG_EXPR, "(ARRAY[1, 2])::bigint[]", "ARRAY[1::bigint, 3::bigint]"),
	   "a different value is different");
	ok(!sg_sql_same(SG_FRAG_EXPR, "(ARRAY[1, 2])::bigint[]", "ARRAY[1::int, 2::int]"),
	   "a different element type is different");
	ok(!sg_sql_same(SG_FRAG_EXPR, "(ARRAY[1, 2])::bigint[]", "ARRAY[1::bigint]"),
	   "a different length is different");
	ok(!sg_sql_same(SG_FRAG_EXPR, "(ARRAY[1])::bigint", "ARRAY[1::bigint]"),
	   "a cast to a scalar type is not pushed in");
	ok(!sg_sql_same(SG_FRAG_EXPR, "'a'", "'A'"), "constants compare exactly");
	ok(!sg_sql_same(SG_FRAG_EXPR, "a + (", "a +  ("), "unparsable text is never the same...");
	ok(!sg_sql_same(SG_FRAG_EXPR, "1", "1; SELECT 2"), "...nor two statements as one");
}

/* the roles a statement names: "name@offset ..." and the created one */
static const char *roles_of(const char *stmt)
{
	struct sg_sql_role *r;
	const char *made;
	struct sbuf sb = SBUF_INIT;
	const char *out;
	size_t n;

	if (sg_sql_roles(A, stmt, &r, &n, &made) < 0)
		return "(error)";
	for (size_t i = 0; i < n; i++)
		sbuf_addf(&sb, "%s%s@%zu", i ? " " : "", r[i].name, r[i].offset);
	if (made)
		sbuf_addf(&sb, " created %s", made);
	out = sg_strdup(A, sb.buf ? sb.buf : "");
	sbuf_release(&sb);
	return out;
}

static void test_roles(void)
{
	is_str(roles_of("ALTER TABLE t OWNER TO \"Own er\""), "Own er@23",
	       "OWNER TO, quoted, at its offset");
	is_str(roles_of("GRANT SELECT ON t TO a, public, CURRENT_USER, b WITH GRANT OPTION"),
	       "a@21 b@46", "GRANT TO: PUBLIC and CURRENT_USER are no roles");
	is_str(roles_of("ALTER DEFAULT PRIVILEGES FOR ROLE o IN SCHEMA s GRANT "
			"SELECT ON TABLES TO r"), "o@34 r@74", "FOR ROLE and the grantee");
	is_str(roles_of("CREATE SCHEMA s AUTHORIZATION o"), "o@30", "AUTHORIZATION");
	is_str(roles_of("CREATE USER MAPPING FOR u SERVER s"), "u@24", "USER MAPPING FOR");
	is_str(roles_of("CREATE POLICY p ON t TO r USING (true)"), "r@24", "a policy's TO");
	is_str(roles_of("GRANT g TO m"), "g@0 m@11", "GRANT role TO: both (the granted one without a place)");
	is_str(roles_of("CREATE ROLE x IN ROLE g"), "g@22 created x", "CREATE ROLE: the role made");
	is_str(roles_of("CREATE TABLE t (a int)"), "", "none");
	is_str(roles_of("GRANT SELECT ON t TO"), "(error)", "a syntax error");
}

int main(void)
{
	A = sg_arena_new();
	test_check();
	test_check_function();
	test_argument();
	test_split();
	test_refs();
	test_classify();
	test_hazards();
	test_same();
	test_script_hazards();
	test_script_hazards_many();
	test_concurrently();
	test_operator();
	test_fragment();
	test_escape_controls();
	test_roles();
	sg_arena_free(A);
	sg_sql_cleanup();
	return tap_done();
}
