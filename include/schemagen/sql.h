/* SPDX-License-Identifier: MIT */
/*
 * sql.h - what schemagen asks of PostgreSQL's parser (libpg_query, used only
 * in src/normalise/): checking SQL fragments of the models, splitting
 * migration files into statements, finding what an expression refers to, and
 * classifying statements.
 */
#ifndef SG_SQL_H
#define SG_SQL_H

#include <stdbool.h>
#include <stddef.h>
#include "schemagen/diag.h"

struct sg_arena;
struct sg_diags;

enum sg_frag {
	SG_FRAG_EXPR,     /* a scalar expression: default, check, index key */
	SG_FRAG_TYPE,     /* a type name: integer[], varchar(20), public.t */
	SG_FRAG_QUERY,    /* a SELECT (view bodies) */
	/* functions and procedures */
	SG_FRAG_SCRIPT,   /* statements separated by ';' (a LANGUAGE sql body) */
	SG_FRAG_ROUTINE_BODY, /* a SQL-standard body: BEGIN ATOMIC ... END, RETURN expr */
	SG_FRAG_ARGUMENT, /* one argument: [IN|OUT|INOUT|VARIADIC] [name] type [DEFAULT expr] */
	SG_FRAG_RESULT,   /* what follows RETURNS: type, SETOF type, TABLE (name type, ...) */
	/* tables */
	SG_FRAG_OPERATOR, /* an operator: =, &&, OPERATOR(schema.op) (exclusion constraints) */
	SG_FRAG_PARTITION_BY,    /* what follows PARTITION BY: RANGE (a), HASH (b) */
	SG_FRAG_PARTITION_BOUND, /* a partition's bound: FOR VALUES ..., DEFAULT */
	/* rules */
	SG_FRAG_RULE_ACTION, /* one action of CREATE RULE: INSERT, UPDATE, DELETE, SELECT, NOTIFY */
	/* a routine with its argument types: schema.f(integer, text) (casts) */
	SG_FRAG_SIGNATURE,
	/* aggregates, operators */
	SG_FRAG_FUNCTION_NAME,   /* a function's name, maybe qualified: int4pl, s.f */
	/* what follows the number of an operator class's OPERATOR / FUNCTION */
	SG_FRAG_OPCLASS_OPERATOR, /* <, s.=== (int, int), <-> FOR ORDER BY s.f */
	SG_FRAG_OPCLASS_FUNCTION, /* s.cmp(int, int), (int, int) btint4cmp(int, int) */
	SG_FRAG_OPFAMILY_OPERATOR, /* an operator family member's operator: <, s.=== */
	SG_FRAG_OPFAMILY_FUNCTION, /* an operator family member's function: s.cmp(int, int) */
};

/*
 * Parses text as a fragment of that kind.  On a syntax error adds
 * "<what>: <parser message>" at the location of the error inside text
 * (sg_loc_at(loc, text, offset)) and returns -1.
 */
int sg_sql_check(enum sg_frag kind, const char *text, struct sg_loc loc,
		 const char *what, struct sg_diags *d);

/*
 * Checks text like sg_sql_check() and returns what a model keeps and
 * embeds in statements: a copy in a with each line comment (from -- to
 * the end of the line) blanked to spaces, byte for byte (one at the very
 * end is cut off with the blanks before it).  NULL after a diagnostic.
 *
 * This is what makes a fragment safe at every embedding site: a line
 * comment at the end of "1 -- one" would swallow whatever the emitter
 * writes after it on the same line (" NOT NULL", the ")" of a CHECK, the
 * ";").  Block comments end themselves (an unterminated one is a syntax
 * error), so they stay.  Blanking byte for byte keeps every offset, so
 * the server's error positions still map to the model file.  Comments are
 * found by PostgreSQL's own scanner (pg_query_scan) on the very text the
 * parser checked.  SG_FRAG_SCRIPT (a body written as a string constant)
 * is kept as written.
 */
const char *sg_sql_fragment(struct sg_arena *a, enum sg_frag kind,
			    const char *text, struct sg_loc loc,
			    const char *what, struct sg_diags *d);

/*
 * The parts of a rule's definition (pg_get_ruledef(): CREATE RULE name AS
 * ON event TO relation [WHERE condition] DO [ALSO | INSTEAD] {NOTHING |
 * action | (action; ...)}), found with PostgreSQL's scanner: the
 * condition (NULL when none) and each action's text, trimmed, without
 * its semicolon (none for NOTHING).  -1 when def is not such a statement.
 */
int sg_sql_rule_parts(struct sg_arena *a, const char *def, const char **where,
		      const char ***actions, size_t *nactions);

/*
 * The options of a text search dictionary as pg_ts_dict.dictinitoption
 * keeps them (name = 'value', name = 42, ...), parsed by PostgreSQL's
 * parser: "name=value" strings in the order given, the values as text.
 * -1 when text is not such a list.
 */
int sg_sql_ts_options(struct sg_arena *a, const char *text, const char ***out,
		      size_t *n);

/* One statement of a script: byte offset and length in the script text. */
struct sg_sql_span {
	size_t offset;
	size_t len;
};

/*
 * Splits a script into statements with PostgreSQL's own parser.  Each span
 * starts at the statement's first token and ends after its last one (the
 * semicolon excluded); empty statements are skipped.  On a syntax error
 * returns -1 with *err_offset (byte offset in sql) and *err_msg.
 */
int sg_sql_split(struct sg_arena *a, const char *sql, struct sg_sql_span **out,
		 size_t *n, size_t *err_offset, const char **err_msg);

/* One rewritten token of sg_sql_escape_controls(): it ended at `end` in
 * the old text, and the new text is `delta` bytes longer up to there. */
struct sg_sql_edit {
	size_t end;
	long delta;
};

struct sg_sql_edits {
	struct sg_sql_edit *v;
	size_t n, cap;
};

/*
 * Generated SQL holds text the server wrote (definitions, type names), and
 * so a name with a line break or an ESC in it as it is.  This respells each
 * quoted name and string literal that holds a control character the way
 * sg_quote_ident() and sg_quote_literal() do (U&"..." and E'...' escapes):
 * the same statement, and no such character in its text.  Dollar-quoted
 * bodies and comments stay as written.  Returns sql itself when nothing
 * changes; *edits says how offsets into sql moved.
 */
const char *sg_sql_escape_controls(struct sg_arena *a, const char *sql,
				   struct sg_sql_edits *edits);

/* A name an expression or query refers to. */
struct sg_sql_ref {
	char kind;           /* 'r' relation, 'f' function, 't' type, 's' sequence (nextval etc.) */
	const char *schema;  /* NULL when unqualified */
	const char *name;
};

/* Collects the references in a fragment (deduplicated, sorted). */
int sg_sql_refs(struct sg_arena *a, enum sg_frag kind, const char *text,
		struct sg_sql_ref **out, size_t *n);

/* A role one statement names (sg_sql_roles()). */
struct sg_sql_role {
	const char *name;
	size_t offset;       /* byte offset of the name in the statement */
};

/*
 * The roles a statement names by name (every RoleSpec of its parse tree:
 * OWNER TO, GRANT ... TO, FOR ROLE, AUTHORIZATION, USER MAPPING FOR,
 * policies' TO, ...; the roles GRANT role TO grants), in the order
 * written; PUBLIC and CURRENT_USER-like words are none.  *created is the
 * role a CREATE ROLE/USER/GROUP statement creates, else NULL.  -1 when
 * stmt does not parse.
 */
int sg_sql_roles(struct sg_arena *a, const char *stmt, struct sg_sql_role **out,
		 size_t *n, const char **created);

/* One argument declaration of a function (SG_FRAG_ARGUMENT), parsed. */
struct sg_sql_arg {
	char mode;              /* 'i' IN, 'o' OUT, 'b' INOUT, 'v' VARIADIC */
	const char *name;       /* NULL when unnamed */
	const char *type_schema;/* NULL when unqualified (pg_catalog for SQL's
				 * own spellings: integer is pg_catalog.int4) */
	const char *type_name;  /* the type's name as the parser has it */
	int ndims;              /* array dimensions ([] after the type) */
	bool pct_type;          /* table.column%TYPE */
	bool has_default;
};

/* Parses one argument declaration; -1 when it is not one. */
int sg_sql_argument(struct sg_arena *a, const char *text, struct sg_sql_arg *out);

/* Bits returned by sg_sql_classify(). */
enum {
	/* cannot run inside a transaction block: CREATE/DROP INDEX
	 * CONCURRENTLY, REINDEX CONCURRENTLY, VACUUM, ALTER SYSTEM,
	 * CREATE/DROP DATABASE or TABLESPACE, CLUSTER without a table */
	SG_SQL_NO_TRANSACTION = 1 << 0,
	/* BEGIN, COMMIT, ROLLBACK, SAVEPOINT, ...: the runner owns transactions */
	SG_SQL_TRANSACTION_CONTROL = 1 << 1,
	/* ALTER TYPE ... ADD VALUE: the new value cannot be used in the same
	 * transaction */
	SG_SQL_ENUM_ADD_VALUE = 1 << 2,
	/* CREATE/ALTER FOREIGN DATA WRAPPER, SERVER, USER MAPPING, CREATE
	 * FOREIGN TABLE: options, where secrets are placeholders */
	SG_SQL_FOREIGN_OPTIONS = 1 << 3,
};

/* The placeholder of an environment variable in a migration: '$env:NAME'
 * (the quotes are the literal's). */
#define SG_SECRET_PREFIX "$env:"

/*
 * The secrets of a foreign data statement (SG_SQL_FOREIGN_OPTIONS): each
 * string constant written exactly '$env:NAME' (SG_SECRET_PREFIX, NAME
 * letters, digits and `_`) becomes the value of the environment variable
 * NAME, quoted as a literal.  *out is stmt itself when the statement is
 * not one of those or has no placeholder.  Returns 0, or -1 with *missing
 * the name of a variable that is not set.  The result holds a secret: it
 * goes to the server only, never to a file, an output or a message.
 */
int sg_sql_secrets(struct sg_arena *a, const char *stmt, const char **out,
		   const char **missing);

/* Classifies one statement (parse failures classify as 0). */
unsigned sg_sql_classify(const char *stmt);

/* The PostgreSQL version whose grammar the parser (libpg_query) reads, as
 * server_version_num: syntax newer than it cannot be written into a
 * migration, whatever the server's version. */
int sg_sql_parser_version(void);

/*
 * Do two fragments of `kind` (SG_FRAG_EXPR, or SG_FRAG_QUERY for whole
 * statements) mean the same, as the server's parser would read them?
 * Parse trees are compared, locations aside, with the one rewrite that the
 * server's parse analysis makes and its deparser does not undo: a cast of
 * an ARRAY[...] constructor to an array type is a cast of each element
 * (`(ARRAY['a'::varchar])::text[]` is `ARRAY[('a'::varchar)::text]`, what
 * pg_get_constraintdef writes for SQLAlchemy's `col IN (...)` checks and
 * what the same text becomes once created again).  Unparsable text is
 * never the same as anything.
 */
bool sg_sql_same(enum sg_frag kind, const char *a, const char *b);

struct sg_hz;
struct sg_script;

/*
 * The hazards of one statement from its text (README, "Hazards"): each
 * with the relation it affects, quoted as SQL.  *creates receives the
 * relation (table, index, materialized view) the statement creates, or
 * NULL.  -1 when the text does not parse.
 */
int sg_sql_hazards(struct sg_arena *a, const char *stmt, struct sg_hz **out,
		   size_t *n, const char **creates);

/*
 * Fills each statement's hazards (sg_stmt.hz): the entries already there
 * (the emitter's, or a migration file's `-- hazard:` lines), then the
 * classifier's of other kinds, but those the statement drops (hz_drop),
 * uncertain ones a migration file's lines leave out, and those on a
 * relation an earlier statement of the script created.  A statement with
 * a data warning has its data-loss hazard say the warning's words (the
 * classifier's gets them; one is added when there is none).
 */
void sg_script_hazards(struct sg_arena *a, struct sg_script *s);

/*
 * Online plans (emit): the CREATE [UNIQUE] INDEX statement `def` (the
 * server's pg_get_indexdef text, or one emit built) with CONCURRENTLY
 * after its INDEX keyword, found by PostgreSQL's scanner.  NULL when def
 * is not a CREATE INDEX statement or already says CONCURRENTLY.
 */
const char *sg_sql_index_concurrently(struct sg_arena *a, const char *def);

/* What sg_sql_concurrent_index() finds. */
struct sg_sql_cindex {
	bool create;         /* CREATE INDEX CONCURRENTLY; false: DROP INDEX CONCURRENTLY */
	const char *schema;  /* the index's schema (a CREATE: its table's); NULL when unqualified */
	const char *name;
};

/*
 * The runner's resume of an interrupted revision: when stmt is a CREATE
 * INDEX CONCURRENTLY with a name or a DROP INDEX CONCURRENTLY of one
 * index, fills out and returns 1; else 0.
 */
int sg_sql_concurrent_index(struct sg_arena *a, const char *stmt,
			    struct sg_sql_cindex *out);

/* Releases the parser's memory (call at exit, for valgrind). */
void sg_sql_cleanup(void);

#endif
