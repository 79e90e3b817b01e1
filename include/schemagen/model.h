/* SPDX-License-Identifier: MIT */
/*
 * model.h - the object model shared by every stage.
 *
 * A catalog is the set of schema objects of one side of a comparison: the
 * desired side (loaded from YAML, later read back from the scratch database)
 * or the live side (read from a database).  Both sides use the same structs,
 * so the differ compares like with like.
 *
 * Every kind struct starts with `struct sg_object obj` (pg_dump's
 * DumpableObject), so a `struct sg_object *` can be cast to its kind struct
 * after checking obj->kind.
 *
 * Invariants:
 *  - objects, their strings and arrays live in the catalog's arena and stay
 *    valid for the whole run; nothing is freed one by one;
 *  - obj.id is the index of the object in catalog->objs;
 *  - children (columns, constraints, indexes) have obj.parent set to their
 *    table and obj.schema equal to the table's schema; top-level objects have
 *    parent == NULL;
 *  - the identity of an object is (kind, schema, parent name, name); it is
 *    unique within a catalog and is what the differ matches on;
 *  - after sg_catalog_finish(), the per-kind arrays are sorted by identity with
 *    strcmp (never the server's collation), so output is deterministic.
 *
 * Text fields that hold SQL come in two flavours.  On an introspected catalog
 * they are the server's canonical text (format_type, pg_get_expr,
 * pg_get_constraintdef, pg_get_indexdef, all produced with search_path set to
 * pg_catalog only, so every non-catalog name is schema-qualified).  On a
 * catalog loaded from YAML they are what the user wrote; such a catalog is
 * only ever used to materialise the models in the scratch database, and the
 * result is introspected before anything is compared.
 *
 * Adding a kind: add it to enum sg_kind and its row of facts to
 * sg_kind_info[] in src/model/kinds.c (a _Static_assert checks the count),
 * add its struct below, then its row in each stage's table of per-kind
 * operations (introspect, yaml, diff, order, emit); tests/unit/t-kinds.c
 * fails while a stage lacks one.  docs/adding-a-kind.md lists the files.
 */
#ifndef SG_MODEL_H
#define SG_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "schemagen/diag.h"

struct sg_arena;
struct sbuf;

/*
 * Object kinds.  The order is the base priority of creation (pg_dump's
 * dbObjectTypePriority): when dependencies do not decide, objects are created
 * in this order and dropped in the reverse one.  Keep sg_kind_info[] in
 * src/model/kinds.c in step.
 */
enum sg_kind {
	/* global default privileges (defacl.c in each stage): database-wide,
	 * first, so that everything created after them gets them */
	SG_KIND_DEFAULT_ACL,
	SG_KIND_SCHEMA,
	SG_KIND_LANGUAGE,           /* procedural languages (database-wide) */
	SG_KIND_EXTENSION,
	SG_KIND_COLLATION,
	SG_KIND_ENUM,
	SG_KIND_DOMAIN,
	SG_KIND_COMPOSITE,
	SG_KIND_SEQUENCE,
	SG_KIND_FUNCTION,           /* functions and procedures */
	/* text search (textsearch.c in each stage) */
	SG_KIND_TS_PARSER,          /* CREATE TEXT SEARCH PARSER */
	SG_KIND_TS_TEMPLATE,        /* CREATE TEXT SEARCH TEMPLATE */
	SG_KIND_TS_DICTIONARY,      /* CREATE TEXT SEARCH DICTIONARY */
	SG_KIND_TS_CONFIG,          /* CREATE TEXT SEARCH CONFIGURATION */
	SG_KIND_CAST,               /* database-wide (issue 10, casts.c) */
	SG_KIND_AGGREGATE,          /* aggregate.c in each stage */
	SG_KIND_OPERATOR,           /* operator.c in each stage */
	SG_KIND_OPFAMILY,           /* opclass.c in each stage */
	SG_KIND_OPCLASS,
	/* foreign data (foreign.c in each stage): database-wide */
	SG_KIND_FDW,                /* foreign data wrappers */
	SG_KIND_SERVER,             /* foreign servers */
	SG_KIND_USER_MAPPING,       /* user mappings */
	SG_KIND_FOREIGN_TABLE,      /* CREATE FOREIGN TABLE (ftable.c in each stage) */
	SG_KIND_TABLE,              /* ordinary and partitioned tables */
	SG_KIND_COLUMN,
	SG_KIND_CONSTRAINT,
	SG_KIND_INDEX,
	SG_KIND_VIEW,               /* views and materialized views */
	SG_KIND_TRIGGER,
	SG_KIND_POLICY,
	/* statistics objects and rules (statistics.c, rule.c in each stage) */
	SG_KIND_STATISTICS,         /* CREATE STATISTICS: a child of its table */
	SG_KIND_RULE,               /* CREATE RULE: a child of a table or view */
	/* database-wide kinds (issue 10): event triggers (evtrigger.c) */
	SG_KIND_EVENT_TRIGGER,
	SG_KIND_PUBLICATION,        /* after the tables it publishes (publication.c) */
	SG_KIND__COUNT
};

struct sg_object {
	enum sg_kind kind;
	int id;
	const char *schema;
	const char *name;
	/*
	 * The relation of a child: a table (columns, constraints, indexes,
	 * triggers, policies) or a view (columns, indexes of a materialized
	 * view, triggers).  Both start with struct sg_table, so a parent can
	 * always be read as one.
	 */
	struct sg_object *parent;
	const char *comment;        /* COMMENT ON ... IS; NULL when none */
	const char *renamed_from;   /* YAML `renamed_from` (tables, columns, views, routines) */
	/*
	 * Privileges granted on the object (GRANT), sorted by grantee with
	 * strcmp; only meaningful when has_acl (below) is set.
	 *
	 * On an introspected catalog they are the privileges in force: the
	 * ACL, or PostgreSQL's default for the kind when the ACL is NULL
	 * (acldefault(): EXECUTE to PUBLIC on functions, USAGE to PUBLIC on
	 * types), so an explicit ACL equal to the default is no difference.
	 * Owners are not compared, so the owner's own entries are left out.
	 * has_acl is set on every object of a kind that has privileges
	 * (sg_privileges_of() != NULL).
	 *
	 * On a catalog loaded from YAML, has_acl says the model has a
	 * `grants:` key, and grants are then exactly what it lists; without
	 * one the object keeps the privileges CREATE gives it.  The differ
	 * compares grants only when both sides have has_acl.
	 */
	struct sg_grant *grants;
	size_t ngrants;
	/*
	 * The owner (ALTER ... OWNER TO), of kinds whose facts say `owned`;
	 * NULL: not managed.  Introspection reads every owner (an owned
	 * sequence's is left out: it follows its table); a catalog loaded
	 * from YAML has the model's `owner:` or the project's default_owner;
	 * sg_catalog_annotate() gives the materialised catalog exactly those,
	 * and sg_catalog_forget_owners() clears a live catalog's when the
	 * models manage none.  The differ compares owners only when both
	 * sides have one.
	 */
	const char *owner;
	/* 4-byte aligned from here (no padding between pointers and them) */
	uint32_t oid;               /* catalog oid; 0 when loaded from YAML */
	struct sg_loc loc;          /* where declared in YAML; line 0 otherwise */
	struct sg_loc renamed_loc;  /* YAML: the renamed_from value */
	struct sg_loc owner_loc;    /* YAML: the owner value; line 0 otherwise */
	/*
	 * YAML only: the model gave no name (constraints, indexes), so `name`
	 * is a placeholder that keeps identities unique, shaped like the name
	 * PostgreSQL will choose; emit leaves the name out and lets PostgreSQL
	 * choose it, and the materialised catalog has the real one.
	 */
	bool auto_name;
	bool has_acl;               /* see grants */
};

/*
 * The PUBLIC pseudo-role, in grants and in policy roles.  The lowercase
 * name cannot be a real role's (PostgreSQL reserves it), while a role
 * named "PUBLIC" can exist and is a different role.
 */
#define SG_ROLE_PUBLIC "public"

/*
 * One grantee's privileges on an object, as aclitem letters (arwdDxtm for
 * tables and views, arwx for columns, rwU for sequences, X for functions,
 * U for types, UC for schemas) in aclitem order ("arwdDxtXUCTcsAm");
 * `grantable` holds the letters granted WITH GRANT OPTION (a subset of
 * privs, "" when none).  grantee is a role name or SG_ROLE_PUBLIC.
 */
struct sg_grant {
	const char *grantee;
	const char *privs;
	const char *grantable;
	struct sg_loc loc;          /* YAML: the grantee's key; line 0 otherwise */
};

/*
 * Default privileges of a schema (ALTER DEFAULT PRIVILEGES [FOR ROLE role]
 * IN SCHEMA schema GRANT ... ON TABLES | SEQUENCES | FUNCTIONS | TYPES):
 * one pg_default_acl row with defaclnamespace = the schema.  Such a row is
 * added to the global defaults when an object is created, so what it holds
 * is exactly what was granted IN SCHEMA.  grants are sorted by grantee,
 * never empty (PostgreSQL deletes a row whose ACL becomes empty).
 */
struct sg_defacl {
	/*
	 * FOR ROLE: NULL for the role that runs schemagen (the YAML entry
	 * without for_role; introspection reports the connection's
	 * current_user as NULL, so the models do not name the deploying role)
	 */
	const char *role;
	char objtype;               /* pg_default_acl.defaclobjtype: r S f T */
	struct sg_grant *grants;
	size_t ngrants;
	struct sg_loc loc;          /* YAML: the class key; line 0 otherwise */
	struct sg_loc role_loc;     /* YAML: the for_role value */
};

/*
 * Global default privileges of one role (ALTER DEFAULT PRIVILEGES [FOR
 * ROLE role] GRANT|REVOKE ... ON TABLES | SEQUENCES | FUNCTIONS | TYPES |
 * SCHEMAS, without IN SCHEMA): its pg_default_acl rows with
 * defaclnamespace 0.  Such a row replaces PostgreSQL's built-in defaults
 * for the role and class, so each entry holds the full privileges objects
 * of the class get (the role's own left out, as an owner's are), and a
 * class without an entry has the built-in ones (sg_defacl_builtin()); an
 * entry equal to them is no entry (PostgreSQL deletes the row).  Entries
 * may have no grants (REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC).  obj.name
 * is SQL: "FOR ROLE CURRENT_USER" for the role that runs schemagen (role
 * NULL), "FOR ROLE name" otherwise (sg_default_acl_name()).
 */
struct sg_default_acl {
	struct sg_object obj;       /* schema: SG_GLOBAL_SCHEMA */
	const char *role;           /* NULL: the role that runs schemagen */
	struct sg_loc role_loc;     /* YAML: the for_role value */
	/* sorted by sg_defacl_rank(); each with role set as above */
	struct sg_defacl *defacls;
	size_t ndefacls;
};

struct sg_schema {
	struct sg_object obj;
	/* sorted by role (NULL first, then strcmp), then sg_defacl_rank() */
	struct sg_defacl *defacls;
	size_t ndefacls;
};

/*
 * CREATE EXTENSION name WITH SCHEMA obj.schema VERSION version.  Extension
 * names are database-wide: the differ pairs extensions by name, and a
 * different schema is a move (ALTER EXTENSION SET SCHEMA, an SG_OP_RENAME).
 */
/*
 * The schema of a database-wide object (languages, casts, event triggers,
 * publications, foreign data wrappers, servers, user mappings): the empty
 * string, which no schema can be named (PostgreSQL has no zero-length
 * names).  Kinds whose facts say `global`.
 */
#define SG_GLOBAL_SCHEMA ""

/* A procedural language (CREATE LANGUAGE; not those of extensions). */
struct sg_language {
	struct sg_object obj;       /* schema: SG_GLOBAL_SCHEMA */
	/* SQL names of the functions, qualified unless in pg_catalog */
	const char *handler;
	const char *inline_handler; /* NULL: none */
	const char *validator;      /* NULL: none */
	bool trusted;
};

struct sg_extension {
	struct sg_object obj;       /* schema: where its objects live */
	const char *version;        /* NULL: the default version (YAML) */
	/*
	 * The comment the extension's control file gives it: introspection
	 * reports obj.comment only when it differs (so models and dumps only
	 * say what the user said), and restoring "no comment" restores it.
	 */
	const char *default_comment;
	/*
	 * Introspected: the versions ALTER EXTENSION ... UPDATE TO can reach
	 * from the installed one (pg_extension_update_paths), sorted; emit
	 * says so when a version change has no path.
	 */
	const char **update_targets;
	size_t nupdate_targets;
	struct sg_loc version_loc;
	bool update_targets_known;
	/*
	 * The models gave no version: any installed version will do (the
	 * differ does not compare versions then).  Set by the YAML loader and
	 * carried onto the materialised catalog by sg_catalog_annotate().
	 */
	bool any_version;
};

/*
 * CREATE COLLATION; text fields as pg_collation has them.  A libc collation
 * has lc_collate and lc_ctype (YAML `locale` sets both); an ICU collation
 * has locale only.  The collation version is not compared.
 */
struct sg_collation {
	struct sg_object obj;
	const char *locale;         /* icu: colliculocale (15+) / collcollate */
	const char *lc_collate;
	const char *lc_ctype;
	struct sg_loc locale_loc;   /* YAML: where the locale was given */
	char provider;              /* 'c' libc, 'i' icu, 'd' default */
	bool deterministic;
};

/* A named CHECK of a domain. */
struct sg_domain_check {
	const char *name;
	/*
	 * The condition: pg_get_expr(conbin) text ("(VALUE > 0)") when
	 * introspected, what the user wrote (YAML).  definition is
	 * pg_get_constraintdef() ("CHECK ((VALUE > 0)) NOT VALID"), NULL on a
	 * YAML catalog; the differ compares definitions.
	 */
	const char *expression;
	const char *definition;
	const char *comment;        /* COMMENT ON CONSTRAINT name ON DOMAIN d */
	struct sg_loc loc;          /* YAML: the expression */
	struct sg_loc name_loc;     /* YAML: the name */
	bool not_valid;
	bool auto_name;             /* YAML: no name given (placeholder) */
};

struct sg_domain {
	struct sg_object obj;
	const char *base_type;      /* format_type() text, or YAML */
	const char *collation;      /* SQL text, NULL for the base type's */
	const char *default_expr;   /* pg_get_expr(typdefaultbin), or YAML */
	struct sg_domain_check *checks;  /* by name */
	size_t nchecks;
	struct sg_loc type_loc;     /* YAML: base_type */
	struct sg_loc collation_loc;
	struct sg_loc default_loc;
	bool not_null;
};

/* An attribute of a composite type. */
struct sg_attribute {
	const char *name;
	const char *type;           /* format_type() text, or YAML */
	const char *collation;      /* when not the type's default */
	struct sg_loc loc;          /* YAML: the name */
	struct sg_loc type_loc;     /* YAML: the type */
	struct sg_loc collation_loc;
	const char *comment;        /* COMMENT ON COLUMN type.attribute */
};

struct sg_composite {
	struct sg_object obj;
	struct sg_attribute *attrs; /* in order */
	size_t nattrs;
};

struct sg_enum {
	struct sg_object obj;
	const char **values;        /* in sort order */
	size_t nvalues;
	struct sg_loc *value_locs;  /* YAML only; NULL otherwise */
	/*
	 * YAML `renamed_from` of each value (NULL entries for values without
	 * one; the array itself NULL when no value has one), carried onto the
	 * materialised catalog by sg_catalog_annotate(); see sg_enum_renames().
	 */
	const char **value_renamed_from;
	struct sg_loc *value_renamed_locs;
};

/* Bits of struct sg_seqopts.set: which options were given. */
enum {
	SG_SEQ_TYPE      = 1 << 0,
	SG_SEQ_START     = 1 << 1,
	SG_SEQ_INCREMENT = 1 << 2,
	SG_SEQ_MIN       = 1 << 3,
	SG_SEQ_MAX       = 1 << 4,
	SG_SEQ_CACHE     = 1 << 5,
	SG_SEQ_CYCLE     = 1 << 6,
	SG_SEQ_ALL       = (1 << 7) - 1,
};

/*
 * Sequence options, for sequences and identity columns.  Introspection sets
 * every bit; YAML sets the bits of the options the user wrote, the others
 * take PostgreSQL's defaults.
 */
struct sg_seqopts {
	const char *type;           /* smallint, integer or bigint */
	int64_t start, increment, min, max, cache;
	unsigned set;
	bool cycle;
};

struct sg_sequence {
	struct sg_object obj;
	struct sg_seqopts opts;
	/* OWNED BY table.column; the table is in the sequence's schema. */
	const char *owned_table;
	const char *owned_column;
	struct sg_loc owned_loc;
};

/*
 * CREATE TEXT SEARCH DICTIONARY name (TEMPLATE = template, option = value,
 * ...).  template is SQL text (qualified unless in pg_catalog); options
 * are "name=value", sorted by name (pg_ts_dict.dictinitoption's values as
 * strings: a number and the same number quoted are one value).
 */
struct sg_ts_dict {
	struct sg_object obj;
	const char *template_name;
	struct sg_loc template_loc;
	const char **options;
	size_t noptions;
	struct sg_loc options_loc;  /* YAML only */
};

/*
 * CREATE TEXT SEARCH PARSER name (START = f, GETTOKEN = f, END = f,
 * LEXTYPES = f [, HEADLINE = f]) and CREATE TEXT SEARCH TEMPLATE name
 * ([INIT = f,] LEXIZE = f): their support functions, in opts[] by enum
 * sg_tsp_opt / sg_tst_opt (a template uses the first SG_TST__COUNT), as
 * regproc prints them (qualified unless in pg_catalog), NULL when not
 * given; on a YAML catalog what the user wrote, located in opt_locs[].
 * Neither has an owner; they are renamed, never altered otherwise.
 */
enum sg_tsp_opt {
	SG_TSP_START, SG_TSP_GETTOKEN, SG_TSP_END, SG_TSP_LEXTYPES,
	SG_TSP_HEADLINE, SG_TSP__COUNT
};
enum sg_tst_opt { SG_TST_INIT, SG_TST_LEXIZE, SG_TST__COUNT };

struct sg_ts_parser {           /* SG_KIND_TS_PARSER and SG_KIND_TS_TEMPLATE */
	struct sg_object obj;
	const char *opts[SG_TSP__COUNT];
	struct sg_loc opt_locs[SG_TSP__COUNT];
};

/* One mapping of a text search configuration: a token type and its
 * dictionaries (SQL text, qualified unless in pg_catalog), in order. */
struct sg_ts_mapping {
	const char *token;
	const char **dicts;
	size_t ndicts;
	struct sg_loc loc;          /* YAML: the token type's key */
};

/* CREATE TEXT SEARCH CONFIGURATION name (PARSER = parser), then its
 * mappings (ALTER ... ADD MAPPING FOR token WITH dicts). */
struct sg_ts_config {
	struct sg_object obj;
	const char *parser;         /* SQL text, qualified unless in pg_catalog */
	struct sg_ts_mapping *maps; /* sorted by token (strcmp) */
	size_t nmaps;
	struct sg_loc parser_loc;
};

/*
 * CREATE AGGREGATE.  Like a function, obj.name is "aggname(identity
 * arguments)" (pg_get_function_identity_arguments(): "integer",
 * "double precision ORDER BY anyelement" for an ordered-set aggregate, "*"
 * for none).  The options are text in opts[] by enum sg_agg_opt, NULL for
 * PostgreSQL's default: function names as regproc prints them, types as
 * format_type(), initial conditions as the literal's value, the sort
 * operator as OPERATOR(schema.op), finalfunc_modify and parallel as their
 * keyword (read_only, ...; safe, ...), the _extra flags "true", the space
 * estimates as numbers.  On a YAML catalog they are what the user wrote,
 * each with its location in opt_locs[].
 */
enum sg_agg_opt {
	SG_AGG_SFUNC, SG_AGG_STYPE, SG_AGG_SSPACE, SG_AGG_FINALFUNC,
	SG_AGG_FINALFUNC_EXTRA, SG_AGG_FINALFUNC_MODIFY, SG_AGG_COMBINEFUNC,
	SG_AGG_SERIALFUNC, SG_AGG_DESERIALFUNC, SG_AGG_INITCOND, SG_AGG_MSFUNC,
	SG_AGG_MINVFUNC, SG_AGG_MSTYPE, SG_AGG_MSSPACE, SG_AGG_MFINALFUNC,
	SG_AGG_MFINALFUNC_EXTRA, SG_AGG_MFINALFUNC_MODIFY, SG_AGG_MINITCOND,
	SG_AGG_SORTOP, SG_AGG_PARALLEL, SG_AGG__COUNT
};

struct sg_aggregate {
	struct sg_object obj;
	const char *aggname;
	/*
	 * The argument declarations, ", "-separated ("x integer"): all of
	 * them, or an ordered-set aggregate's direct ones (NULL: none), and
	 * its aggregated ones (ORDER BY ...; NULL for a normal aggregate).
	 */
	const char *arguments;
	const char *order_by;
	struct sg_loc arguments_loc, order_by_loc;
	/* every argument type, oidvectortypes(): GRANT ... ON FUNCTION */
	const char *argtypes;
	const char *opts[SG_AGG__COUNT];
	struct sg_loc opt_locs[SG_AGG__COUNT];
	char aggkind;               /* 'n' normal, 'o' ordered-set, 'h' hypothetical */
};

/*
 * CREATE OPERATOR.  obj.name is "oprname(left, right)" with the types as
 * format_type() prints them, NONE for the missing left one of a prefix
 * operator.  The other text fields are NULL when not given: functions as
 * regproc prints them, the commutator and negator as OPERATOR(schema.op).
 */
enum sg_op_opt {
	SG_OPR_FUNCTION, SG_OPR_COMMUTATOR, SG_OPR_NEGATOR, SG_OPR_RESTRICT,
	SG_OPR_JOIN, SG_OPR__COUNT
};

struct sg_operator {
	struct sg_object obj;
	const char *oprname;
	const char *left;           /* NULL: a prefix operator */
	const char *right;
	struct sg_loc left_loc, right_loc;
	const char *opts[SG_OPR__COUNT];
	struct sg_loc opt_locs[SG_OPR__COUNT];
	bool hashes, merges;
};

/*
 * The options of CREATE AGGREGATE and CREATE OPERATOR (src/model/kinds.c),
 * by enum sg_agg_opt / sg_op_opt: the YAML key, the SQL word and the sort
 * of value: 'f' a function name, 't' a type, 'o' an operator
 * (OPERATOR(schema.op)), 'l' a string literal, 'n' a positive number,
 * 'b' a flag ("true": the bare word), 'w' one of `words` (space-separated).
 */
struct sg_opt_info {
	const char *key;
	const char *sql;
	char type;
	const char *words;
};
extern const struct sg_opt_info sg_agg_opts[SG_AGG__COUNT];
extern const struct sg_opt_info sg_opr_opts[SG_OPR__COUNT];
extern const struct sg_opt_info sg_tsp_opts[SG_TSP__COUNT];
extern const struct sg_opt_info sg_tst_opts[SG_TST__COUNT];
/* sg_tsp_opts or sg_tst_opts, and how many, for a parser or template */
const struct sg_opt_info *sg_ts_parser_opts(enum sg_kind kind, int *n);

/*
 * CREATE OPERATOR FAMILY name USING method.  obj.name is "name USING
 * method" (names are unique per schema and method); a family PostgreSQL
 * made for an operator class of the same name (CREATE OPERATOR CLASS
 * without FAMILY) is not read: it comes and goes with the class (its
 * loose members are the class's).  members are the family's loose
 * members (ALTER OPERATOR FAMILY ... ADD, and what PostgreSQL 13 and
 * later tie to the family rather than to the class that named them:
 * cross-type members, GiST's operators), by kind, number, left, right.
 */
struct sg_opfamily_member {
	char kind;                  /* 'o' operator, 'f' function */
	int number;                 /* strategy or support number */
	const char *left, *right;   /* types: format_type(), or YAML */
	/* "s.op" (the operator's name) or "s.f(types)" (regprocedure) */
	const char *text;
	const char *sortfamily;     /* FOR ORDER BY s.f; NULL: FOR SEARCH */
	struct sg_loc loc, left_loc, right_loc, sort_loc;
};

/* qsort order of struct sg_opfamily_member: kind, number, left, right */
int sg_opfamily_member_cmp(const void *a, const void *b);

struct sg_opfamily {
	struct sg_object obj;
	const char *famname;
	const char *method;
	struct sg_opfamily_member *members; /* by kind ('f' first), number, left, right */
	size_t nmembers;
	struct sg_loc method_loc;
};

/* One OPERATOR or FUNCTION of an operator class. */
struct sg_opclass_member {
	char kind;                  /* 'o' operator, 'f' function */
	int number;                 /* strategy or support number */
	/*
	 * What follows the number in CREATE OPERATOR CLASS: "s.op (l, r)
	 * [FOR ORDER BY s.fam]", "(l, r) s.f(l, r)" as introspection spells
	 * them (types always given); the model's text on a YAML catalog.
	 */
	const char *text;
	struct sg_loc loc;
};

/*
 * CREATE OPERATOR CLASS name [DEFAULT] FOR TYPE type USING method
 * [FAMILY family] AS members, STORAGE type.  obj.name is "name USING
 * method".  family is NULL for the family of the class's own name.
 */
struct sg_opclass {
	struct sg_object obj;
	const char *opcname;
	const char *method;
	const char *for_type;       /* format_type(), or YAML */
	const char *family;         /* qualified SQL name, or NULL */
	const char *storage;        /* NULL: the type itself */
	struct sg_opclass_member *members;  /* operators by number, then functions */
	size_t nmembers;
	struct sg_loc method_loc, type_loc, family_loc, storage_loc;
	bool is_default;
};

/*
 * One option of a foreign data wrapper, server or user mapping (OPTIONS
 * (key 'value')), sorted by key.  A secret (sg_option_secret(): password
 * and the like, or any option the models give as {env: NAME}) is never
 * read from a database nor held in clear: value is NULL, env names the
 * environment variable the runner reads it from when it applies a
 * migration (NULL when introspected from a live database: then
 * sg_option_env() derives one), and the differ compares only that it is
 * set.
 */
struct sg_fdw_option {
	const char *key;
	const char *value;          /* NULL for a secret */
	const char *env;            /* a secret's environment variable, or NULL */
	struct sg_loc loc;          /* YAML: the key; line 0 otherwise */
	bool secret;
};

/* CREATE FOREIGN DATA WRAPPER name [HANDLER h] [VALIDATOR v] OPTIONS (...). */
struct sg_fdw {
	struct sg_object obj;       /* schema: SG_GLOBAL_SCHEMA */
	const char *handler;        /* qualified SQL name of the function, or NULL */
	const char *validator;
	struct sg_loc handler_loc, validator_loc;
	struct sg_fdw_option *options;
	size_t noptions;
};

/* CREATE SERVER name [TYPE t] [VERSION v] FOREIGN DATA WRAPPER w OPTIONS (...). */
struct sg_server {
	struct sg_object obj;       /* schema: SG_GLOBAL_SCHEMA */
	const char *wrapper;        /* the foreign data wrapper's name */
	const char *type;           /* NULL: none */
	const char *version;        /* NULL: none */
	struct sg_fdw_option *options;
	size_t noptions;
	struct sg_loc wrapper_loc;
};

/*
 * CREATE USER MAPPING FOR role SERVER server OPTIONS (...).  obj.name is
 * the identity "FOR <role> SERVER <server>" as SQL (role quoted, PUBLIC,
 * or CURRENT_USER for the role that runs schemagen); see
 * sg_user_mapping_name().
 */
struct sg_user_mapping {
	struct sg_object obj;       /* schema: SG_GLOBAL_SCHEMA */
	const char *role;           /* SG_ROLE_PUBLIC, SG_ROLE_CURRENT or a role */
	const char *server;
	struct sg_fdw_option *options;
	size_t noptions;
	/* read from a database whose pg_user_mappings hides the options from
	 * the role reading it: the options are unknown, never compared */
	bool options_hidden;
};

/* The role that runs schemagen, in user mappings (CURRENT_USER); lower
 * case, which PostgreSQL reserves. */
#define SG_ROLE_CURRENT "current_user"

/* "FOR <role> SERVER <server>", the identity of a user mapping. */
const char *sg_user_mapping_name(struct sg_arena *a, const char *role,
				 const char *server);
/* Is an option key one whose value is a secret (password, ...)? */
bool sg_option_secret(const char *key);
/*
 * The environment variable of a secret option: its own, or, when none is
 * known (a live database), one derived from the object and the key
 * (PGFDW_<SERVER>_<ROLE>_<KEY>, letters, digits and `_` only).
 */
const char *sg_option_env(struct sg_arena *a, const struct sg_object *obj,
			  const struct sg_fdw_option *o);
/* Are two option lists (sorted by key) the same (secrets: both set)? */
bool sg_options_equal(const struct sg_fdw_option *a, size_t na,
		      const struct sg_fdw_option *b, size_t nb);

struct sg_column;
struct sg_constraint;
struct sg_index;
struct sg_trigger;
struct sg_policy;
struct sg_statistics;
struct sg_rule;

/*
 * Functions and procedures.  Overloads share a name, so obj.name is
 * "proname(argument types)" -- the identity -- and proname holds the bare
 * name.  On an introspected catalog `definition` is pg_get_functiondef()
 * (a complete CREATE OR REPLACE statement) and identity_args is
 * pg_get_function_identity_arguments(); the other fields are there for the
 * YAML side and for deciding between CREATE OR REPLACE and drop + create.
 */
struct sg_function {
	struct sg_object obj;
	const char *proname;
	const char *arguments;      /* pg_get_function_arguments(): names, modes, defaults */
	const char *identity_args;  /* pg_get_function_identity_arguments() */
	const char *result;         /* pg_get_function_result(); NULL for procedures */
	const char *language;
	const char *body;           /* prosrc, or the SQL-standard body */
	double cost, rows;
	/* proconfig, "name=value", in the order PostgreSQL keeps (the order
	 * of the SET clauses) */
	const char **config;
	size_t nconfig;
	const char *definition;
	/*
	 * Introspection also sets: whether the body is a SQL-standard one
	 * (BEGIN ATOMIC ... END, RETURN expr; pg_get_function_sqlbody() text
	 * in `body`: sql_body below); pronargdefaults (ndefaults below); and
	 * `argsig`, one "mode:name:type" per argument of every mode (TABLE
	 * columns too), which decides whether CREATE OR REPLACE can turn one
	 * version into another.
	 */
	const char *library;        /* probin: a C function's shared library */
	const char *argsig;
	/*
	 * YAML only: the argument declarations one by one ("a integer",
	 * "OUT b text", "c int DEFAULT 0"), each with its location (arguments
	 * holds them joined), and the locations of the other fragments
	 * (result_loc, language_loc, config_loc below).
	 */
	const char **arglist;
	struct sg_loc *arglocs;
	size_t nargs;
	/* 4-byte aligned from here */
	int ndefaults;
	struct sg_loc body_loc;
	struct sg_loc result_loc, language_loc, config_loc;
	char prokind;               /* 'f' function, 'p' procedure */
	char volatility;            /* 'i', 's', 'v' */
	bool strict, security_definer, leakproof;
	char parallel;              /* 's', 'r', 'u' */
	bool sql_body;
	bool window;                /* prokind 'w' (prokind is then 'f') */
};

/*
 * A table, and the first member of a view: the arrays of children are
 * shared by both.  Views use columns (comments), indexes (materialized
 * views) and triggers.
 */
struct sg_table {
	struct sg_object obj;
	struct sg_column **columns;         /* in attnum / YAML order */
	size_t ncolumns;
	struct sg_constraint **constraints; /* sorted by name */
	size_t nconstraints;
	struct sg_index **indexes;          /* sorted by name; not those of constraints */
	size_t nindexes;
	struct sg_trigger **triggers;       /* sorted by name */
	size_t ntriggers;
	struct sg_policy **policies;        /* sorted by name */
	size_t npolicies;
	size_t columns_cap, constraints_cap, indexes_cap; /* model.c only */
	size_t triggers_cap, policies_cap;                /* model.c only */
	struct sg_statistics **statistics;  /* sorted by name */
	size_t nstatistics, statistics_cap;
	struct sg_rule **rules;             /* sorted by name; not a view's _RETURN */
	size_t nrules, rules_cap;
	/* tables only (and relkind .. replica_identity at the end) */
	const char **reloptions;    /* storage parameters "name=value", sorted */
	size_t nreloptions;
	const char *partition_key;  /* pg_get_partkeydef(): "RANGE (created_at)" */
	const char *partition_of;   /* parent table, qualified SQL name, or NULL */
	const char *partition_bound;/* pg_get_expr(relpartbound): "FOR VALUES ..." / "DEFAULT" */
	const char **inherits;      /* parents (INHERITS), qualified SQL names, in order */
	size_t ninherits;
	/*
	 * The tables partition_of and inherits name, when they are in the
	 * same catalog (NULL otherwise: a parent outside the managed
	 * schemas).  Set by introspection and by the YAML checks.
	 */
	struct sg_table *partition_parent;
	struct sg_table **inherits_tables;  /* ninherits entries */
	const char *replica_index;  /* the index for replica_identity 'i' */
	/* 4-byte aligned from here.  YAML only: where partition_by, bounds,
	 * partition_of, inherits and replica_identity were given */
	struct sg_loc partition_key_loc, partition_bound_loc, partition_of_loc;
	struct sg_loc inherits_loc, replica_loc;
	char relkind;               /* 'r' ordinary, 'p' partitioned (0 = 'r') */
	bool unlogged;
	bool rls_enabled, rls_forced;
	char replica_identity;      /* 'd' default (0 = 'd'), 'n' nothing, 'f' full, 'i' index */
};

/* Views ('v') and materialized views ('m'). */
struct sg_view {
	struct sg_table rel;        /* obj.kind == SG_KIND_VIEW */
	const char *definition;     /* pg_get_viewdef(), or the YAML query */
	const char **reloptions;    /* security_barrier, check_option, security_invoker, fillfactor ... */
	size_t nreloptions;
	struct sg_loc definition_loc;
	char relkind;
	bool with_data;             /* materialized: populated (default true) */
};

/*
 * CREATE FOREIGN TABLE name (columns, CHECKs) SERVER server OPTIONS (...).
 * Its columns and check constraints are children of rel as a table's
 * (a column's own OPTIONS in sg_column.options); PostgreSQL does not
 * enforce the checks.  ALTER FOREIGN TABLE cannot change the server: a
 * new server drops and creates the foreign table (no rows are local).
 */
struct sg_foreign_table {
	struct sg_table rel;        /* obj.kind == SG_KIND_FOREIGN_TABLE */
	const char *server;         /* the foreign server's name */
	struct sg_loc server_loc;
	struct sg_fdw_option *options;  /* by key */
	size_t noptions;
};

/*
 * CREATE TRIGGER.  definition is pg_get_triggerdef(); the structured
 * fields serve YAML and dumps.  A trigger depends on its function.
 */
struct sg_trigger {
	struct sg_object obj;       /* parent: table or view */
	const char *definition;
	const char *timing;         /* BEFORE, AFTER, INSTEAD OF */
	const char **events;        /* INSERT, UPDATE, DELETE, TRUNCATE */
	size_t nevents;
	const char **update_columns;/* UPDATE OF */
	size_t nupdate_columns;
	const char *when;           /* WHEN (...) condition */
	const char *function;       /* qualified SQL name of the function */
	const char **arguments;     /* literal arguments */
	size_t narguments;
	/* the function as schema (NULL: unqualified in YAML) and name */
	const char *function_schema;
	const char *function_name;
	/* REFERENCING OLD TABLE AS / NEW TABLE AS (transition tables) */
	const char *old_table;
	const char *new_table;
	/* constraint triggers: FROM referenced table, qualified SQL name */
	const char *from_table;
	struct sg_loc when_loc;     /* YAML: the condition */
	struct sg_loc function_loc; /* YAML: the function */
	bool for_each_row;
	bool constraint;            /* CREATE CONSTRAINT TRIGGER */
	bool deferrable, deferred;
	char enabled;               /* 'O' origin (0 = 'O'), 'D' disabled, 'R' replica, 'A' always */
};

/* CREATE POLICY. */
struct sg_policy {
	struct sg_object obj;       /* parent: table */
	const char **roles;         /* sorted (strcmp); SG_ROLE_PUBLIC for PUBLIC */
	size_t nroles;
	const char *using_expr;     /* pg_get_expr(polqual), or YAML */
	const char *check_expr;     /* pg_get_expr(polwithcheck), or YAML */
	struct sg_loc roles_loc;    /* YAML: the `roles:` value; line 0 otherwise */
	struct sg_loc using_loc;
	struct sg_loc check_loc;
	bool permissive;            /* false: AS RESTRICTIVE */
	char command;               /* '*' ALL, 'r' SELECT, 'a' INSERT, 'w' UPDATE, 'd' DELETE */
};

/*
 * CREATE STATISTICS name (kinds) ON columns, (expressions) FROM table: an
 * extended statistics object of a table or materialized view.  Like every
 * child, obj.schema is its relation's; `schema` is its own when another
 * (NULL otherwise: sg_statistics_schema()).  definition is
 * pg_get_statisticsobjdef() (NULL on a YAML catalog); the fields serve
 * YAML and dumps.
 */
enum {
	SG_STX_NDISTINCT = 1 << 0,      /* 'd' */
	SG_STX_DEPENDENCIES = 1 << 1,   /* 'f' */
	SG_STX_MCV = 1 << 2,            /* 'm' */
	SG_STX_ALL = (1 << 3) - 1,
};
struct sg_statistics {
	struct sg_object obj;       /* parent: the table */
	const char *definition;
	const char **columns;       /* column names, in attnum order */
	size_t ncolumns;
	const char **expressions;   /* pg_get_statisticsobjdef_expressions(), or YAML */
	size_t nexpressions;
	struct sg_loc *expr_locs;   /* YAML only */
	const char *schema;         /* NULL: its relation's */
	unsigned kinds;             /* SG_STX_*; 0: a single expression's (PG14+) */
	/* ALTER STATISTICS SET STATISTICS (13+); -1: the default */
	int target;
	struct sg_loc target_loc;
	struct sg_loc kinds_loc;
	struct sg_loc schema_loc;   /* YAML only */
};

/* The schema a statistics object is named in. */
static inline const char *sg_statistics_schema(const struct sg_statistics *st)
{
	return st->schema ? st->schema : st->obj.schema;
}

/*
 * CREATE RULE name AS ON event TO relation [WHERE condition] DO [INSTEAD]
 * {NOTHING | (action; ...)}.  definition is pg_get_ruledef() (NULL on a
 * YAML catalog); introspection fills the fields from it too (dumps).
 */
struct sg_rule {
	struct sg_object obj;       /* parent: table or view */
	const char *definition;
	const char *where;
	const char **actions;       /* statements; none: NOTHING */
	size_t nactions;
	struct sg_loc *action_locs; /* YAML only */
	struct sg_loc where_loc;
	char event;                 /* ev_type: '1' select, '2' update, '3' insert, '4' delete */
	bool instead;
	char enabled;               /* ev_enabled: 'O' (0 = 'O'), 'D', 'R', 'A' */
};

/*
 * CREATE CAST (source AS target) WITH FUNCTION f(args) | WITHOUT FUNCTION
 * | WITH INOUT [AS ASSIGNMENT | AS IMPLICIT].  obj.name is
 * "(source AS target)" with both types as format_type() prints them (the
 * YAML text on a catalog loaded from models); a cast cannot be altered
 * but for its comment: any other change drops and creates it.  Casts of
 * the system (oid < 16384) and of extensions are not read.
 */
struct sg_cast {
	struct sg_object obj;       /* schema: SG_GLOBAL_SCHEMA */
	const char *source, *target;
	/* 'f': the function as regprocedure prints it ("app.f(app.t)"),
	 * or the YAML fragment */
	const char *function;
	struct sg_loc source_loc, target_loc, function_loc;
	char method;                /* 'f' function, 'b' binary (WITHOUT FUNCTION), 'i' inout */
	char context;               /* 'e' explicit, 'a' assignment, 'i' implicit */
};

/*
 * CREATE EVENT TRIGGER name ON event [WHEN TAG IN (...)] EXECUTE FUNCTION
 * f(); ALTER EVENT TRIGGER ... ENABLE / DISABLE / ENABLE REPLICA |
 * ALWAYS, OWNER TO, RENAME TO.
 */
struct sg_event_trigger {
	struct sg_object obj;       /* schema: SG_GLOBAL_SCHEMA */
	const char *event;          /* ddl_command_start, sql_drop, ... */
	const char **tags;          /* WHEN TAG IN, upper case, sorted; none: every tag */
	size_t ntags;
	/* the function: schema (NULL: unqualified in YAML) and name */
	const char *function_schema;
	const char *function_name;
	struct sg_loc event_loc, tags_loc, function_loc;
	char enabled;               /* 'O' origin (0 = 'O'), 'D' disabled, 'R' replica, 'A' always */
};

/* A table of a publication: FOR TABLE name [(columns)] [WHERE (expr)]. */
struct sg_pub_table {
	const char *schema;         /* NULL: unqualified (YAML) */
	const char *name;
	const char **columns;       /* PostgreSQL 15 column list; NULL: all */
	size_t ncolumns;
	/* PostgreSQL 15 row filter: pg_get_expr(prqual, prrelid), or YAML */
	const char *where;
	struct sg_loc loc, where_loc;
};

/*
 * CREATE PUBLICATION name [FOR ALL TABLES | FOR TABLE ..., TABLES IN
 * SCHEMA ...] WITH (publish = '...', publish_via_partition_root = ...);
 * ALTER PUBLICATION ADD / DROP / SET TABLE, SET (...), OWNER TO, RENAME.
 */
struct sg_publication {
	struct sg_object obj;       /* schema: SG_GLOBAL_SCHEMA */
	struct sg_pub_table *tables;  /* sorted by schema, name */
	size_t ntables;
	const char **schemas;       /* TABLES IN SCHEMA (15), sorted */
	size_t nschemas;
	/* publish = the operations, as letters of "iudt" in that order */
	const char *publish;
	struct sg_loc schemas_loc;
	bool all_tables;
	bool via_root;              /* publish_via_partition_root (13) */
};

struct sg_column {
	struct sg_object obj;
	const char *type;           /* format_type() text, or the YAML text */
	const char *default_expr;   /* NULL when none */
	const char *collation;      /* qualified name when not the type's default */
	/* GENERATED ALWAYS AS (expr) STORED: the expression; default_expr is NULL then */
	const char *generated;
	/* a foreign table's column: OPTIONS (...) (attfdwoptions), by key */
	struct sg_fdw_option *options;
	size_t noptions;
	struct sg_seqopts identity_opts;
	/* 4-byte aligned from here */
	int attnum;                 /* 1-based position among live columns */
	struct sg_loc type_loc;
	struct sg_loc default_loc;
	struct sg_loc collation_loc;
	struct sg_loc generated_loc;
	bool not_null;
	char identity;              /* 0, 'a' (ALWAYS) or 'd' (BY DEFAULT) */
	/* PostgreSQL 18's VIRTUAL generated column (attgenerated 'v'); models
	 * declare stored ones only, so a virtual one differs from its model */
	bool generated_virtual;
	/*
	 * From a parent table only (attislocal false: a partition's columns,
	 * an INHERITS child's columns it did not declare itself).  PostgreSQL
	 * creates, alters and drops it with the parent's; only what the child
	 * may change on its own (default, NOT NULL, comment) is compared.  On
	 * a YAML catalog such a column may have no type: it only overrides.
	 */
	bool inherited;
};

/* FK actions, as pg_constraint.confupdtype/confdeltype. */
enum {
	SG_FK_NO_ACTION = 'a',
	SG_FK_RESTRICT = 'r',
	SG_FK_CASCADE = 'c',
	SG_FK_SET_NULL = 'n',
	SG_FK_SET_DEFAULT = 'd',
};

struct sg_constraint {
	struct sg_object obj;
	/*
	 * pg_get_constraintdef() text ("PRIMARY KEY (id)", "CHECK ((a > 0))",
	 * "FOREIGN KEY (a) REFERENCES public.t(id) ON DELETE CASCADE").  On a
	 * YAML catalog this is NULL and emit builds the text from the fields
	 * below.
	 */
	const char *definition;
	/* p, u, f: key columns; p, u: INCLUDE columns */
	const char **columns;
	size_t ncolumns;
	const char **include;
	size_t ninclude;
	/* f */
	const char *ref_schema;
	const char *ref_table;
	const char **ref_columns;
	size_t nref_columns;
	const char *expression;     /* c: pg_get_expr(conbin) or YAML text */
	/*
	 * inherited (below): comes from a parent table (conislocal false): a
	 * check inherited by name, or a primary key, unique, exclusion or
	 * foreign key that PostgreSQL cloned onto a partition (or adopted
	 * when it attached the partition); created and dropped with the
	 * parent's.  attached_to: for a foreign key, the parent's foreign key
	 * it is cloned from; for a key of a partition, the parent's index its
	 * index is attached to (the index of the parent's key for a clone, a
	 * plain index when a local key's index was adopted).  default_name:
	 * the name PostgreSQL gives a clone (partition_pkey,
	 * partition_columns_key, the parent's name for a foreign key).
	 */
	const char *attached_to;
	const char *default_name;
	/*
	 * x: EXCLUDE USING excl_method (element WITH operator, ...)
	 * [INCLUDE (include)] [WHERE (excl_where)].  Each element is an index
	 * key (column or expression, opclass, collation, order); excl_ops[i]
	 * is its operator as SQL text ("=", "&&", "OPERATOR(s.&&)").
	 */
	const char *excl_method;     /* NULL: gist */
	struct sg_index_key *excl_keys;
	const char **excl_ops;
	struct sg_loc *excl_op_locs; /* YAML only */
	size_t nexcl;
	const char *excl_where;
	/* 4-byte aligned from here */
	struct sg_loc ref_loc;      /* f */
	struct sg_loc expr_loc;     /* c */
	struct sg_loc excl_where_loc; /* x */
	char type;                  /* 'p' primary, 'u' unique, 'f' foreign, 'c' check, 'x' exclusion */
	char on_delete, on_update;  /* f: SG_FK_* */
	char match;                 /* f: 's' simple, 'f' full */
	bool nulls_not_distinct;    /* u */
	/* all */
	bool deferrable, deferred;
	bool not_valid;
	bool no_inherit;            /* c */
	bool inherited;             /* see attached_to */
	/* p, u of a partitioned table: made for the table only (ALTER TABLE
	 * ONLY), some partitions not attached yet; see sg_index.only */
	bool only;
};

struct sg_index_key {
	const char *column;         /* either a column name ... */
	const char *expression;     /* ... or an expression */
	const char *collation;      /* NULL for the default */
	const char *opclass;        /* NULL for the default */
	struct sg_loc loc;
	bool desc;
	char nulls;                 /* 0 default, 'f' NULLS FIRST, 'l' NULLS LAST */
};

struct sg_index {
	struct sg_object obj;
	/*
	 * pg_get_indexdef() text, "CREATE [UNIQUE] INDEX name ON schema.table
	 * USING method (...)"; NULL on a YAML catalog.
	 */
	const char *definition;
	const char *method;         /* NULL for btree */
	struct sg_index_key *keys;
	size_t nkeys;
	const char **include;
	size_t ninclude;
	const char *where;          /* partial index predicate */
	const char **reloptions;    /* storage parameters "name=value", sorted */
	size_t nreloptions;
	/*
	 * An index of a partition that is attached to an index of the
	 * partition's parent table (the name of that index, which is in the
	 * parent table's schema).  PostgreSQL creates such an index when the
	 * parent's index is created or the partition joins the parent, with
	 * the name in default_name (ChooseIndexName, without the number it
	 * adds when the name is taken); it is dropped with the parent's.
	 */
	const char *attached_to;
	const char *default_name;
	struct sg_loc where_loc;    /* 4-byte aligned from here */
	bool unique;
	bool nulls_not_distinct;
	/*
	 * An index of a partitioned table made for the table only (CREATE
	 * INDEX ... ON ONLY), to which some partitions have no index attached
	 * yet: PostgreSQL marks it not valid until they all have one.
	 */
	bool only;
};

/*
 * A dependency: obj needs ref to exist.  type is pg_depend's deptype ('n'
 * normal, 'a' auto, 'i' internal) for introspected catalogs, or 'm' for one
 * derived from the models.
 */
struct sg_dep {
	struct sg_object *obj;
	struct sg_object *ref;
	char type;
};

struct sg_catalog {
	struct sg_arena *arena;
	struct sg_object **objs;            /* by id */
	size_t nobjs, cap;
	struct sg_dep *deps;
	size_t ndeps, depcap;
	/* per kind, sorted by identity after sg_catalog_finish() */
	struct sg_object **bykind[SG_KIND__COUNT];
	size_t nbykind[SG_KIND__COUNT];
	bool finished;
	int server_version;                 /* server_version_num; 0 for YAML */
	const char *origin;                 /* "database", "models", ... for messages */
	/* the models name an owner (an `owner:` key or default_owner) */
	bool owners;
};

struct sg_catalog *sg_catalog_new(struct sg_arena *a, const char *origin);

/*
 * Allocates an object of `size` bytes (the kind struct) and registers it.
 * schema and name are copied into the arena.  Children are also appended to
 * their table's array (columns in call order).  Must not be called after
 * sg_catalog_finish().
 */
void *sg_catalog_add(struct sg_catalog *cat, enum sg_kind kind, size_t size,
		     const char *schema, const char *name,
		     struct sg_object *parent);
#define SG_NEW(cat, type, kind, schema, name, parent) \
	((struct type *)sg_catalog_add((cat), (kind), sizeof(struct type), \
				       (schema), (name), (parent)))

void sg_catalog_add_dep(struct sg_catalog *cat, struct sg_object *obj,
			struct sg_object *ref, char type);

/*
 * Sorts the per-kind arrays and each table's constraints and indexes, and
 * drops duplicate dependencies.  Call once, after the last add.
 */
void sg_catalog_finish(struct sg_catalog *cat);
/*
 * The checks of a loaded model (src/model/check.c): duplicates, shared
 * namespaces, references to missing objects, renames, partitions; then the
 * dependencies the models imply; finishes cat.  -1 on errors (in d).
 */
struct sg_diags;
int sg_catalog_check(struct sg_catalog *cat, struct sg_diags *d);

/*
 * `exclude:` of schemagen.yaml: leaves out of a finished catalog every
 * object whose name matches one of the glob patterns (fnmatch: `*`, `?`,
 * `[...]`): a pattern with a `.` is `schema.name` (each side a glob), one
 * without matches the name in any schema.  Tables, views, sequences,
 * functions (by name, every overload), types and collations are matched;
 * what belongs to an excluded object goes with it (columns, constraints,
 * indexes, triggers, policies; a sequence owned by an excluded table),
 * and so do the dependencies naming it.  Returns the number left out.
 */
size_t sg_catalog_exclude(struct sg_catalog *cat, const char *const *patterns,
			  size_t npatterns);
/* Does schema.name match one of the patterns (as above)? */
bool sg_name_excluded(const char *const *patterns, size_t npatterns,
		      const char *schema, const char *name);

/* Lookup by identity (binary search; needs sg_catalog_finish()). */
struct sg_object *sg_catalog_find(const struct sg_catalog *cat,
				  enum sg_kind kind, const char *schema,
				  const char *parent, const char *name);
struct sg_table *sg_catalog_table(const struct sg_catalog *cat,
				  const char *schema, const char *name);
struct sg_column *sg_table_column(const struct sg_table *t, const char *name);

/* Compares identities: kind, schema, parent name, name. */
int sg_object_cmp(const struct sg_object *a, const struct sg_object *b);

/*
 * The facts of a kind (src/model/kinds.c): one row per enum sg_kind, the
 * only place that says what is true of a kind whatever the stage.
 */
enum sg_name_style {
	SG_NAME_BARE,        /* database-wide: schema, extension */
	SG_NAME_QUALIFIED,   /* schema.name (an index too: its own name) */
	SG_NAME_SIGNATURE,   /* schema.name(argument types) */
	SG_NAME_PARENT_DOT,  /* schema.table.column */
	SG_NAME_ON_PARENT,   /* name ON schema.table */
	SG_NAME_CAST,        /* obj.name is the SQL text "(source AS target)" */
	SG_NAME_OPERATOR,    /* schema.op (left, right) */
	SG_NAME_USING,       /* schema.name USING method */
	SG_NAME_SQL,         /* the name is SQL text already: user mappings */
};

struct sg_kind_info {
	const char *name;            /* in messages: "table", "column" */
	const char *sql;             /* COMMENT ON / GRANT word: "TABLE" */
	enum sg_name_style naming;
	/*
	 * The namespaces an object's name takes (pg_class 'r', pg_type 't',
	 * ...), for the orderer's name clashes: letters of
	 * "s" schema, "e" extension, "r" relation, "t" type, "l" collation,
	 * "f" routine, "o" operator, "w" foreign data wrapper, "V" server, "U" user
	 * mapping, and, within one relation, "c" column, "k" constraint,
	 * "g" trigger, "y" policy.
	 */
	const char *namespaces;
	/* the system catalog its objects live in (pg_depend's classid) */
	const char *pg_catalog;
	bool relation;               /* has children: tables, views */
	bool child;                  /* lives in a relation (obj.parent) */
	/*
	 * Children: the relation's array of them (offsets into struct
	 * sg_table of the array, its count and its capacity), and whether
	 * sg_catalog_finish() sorts it by name (columns keep their order).
	 */
	size_t child_array, child_count, child_cap;
	bool child_sorted;
	/* a partition or INHERITS child gets it from its parent (the
	 * `inherited` / `attached_to` fields) */
	bool inheritable;
	/* aclitem letters it can be granted (NULL: none), and the one PUBLIC
	 * has right after CREATE (0: none) */
	const char *privileges;
	char public_default;
	/*
	 * Dropped and created again, without losing data, around changes of
	 * what it depends on (views, routines, triggers, policies); rebuilt
	 * the way an enum is, the columns that use it recast (types,
	 * collations).
	 */
	bool rebuildable;
	bool rebuilt_as_type;
	/* has an owner that ALTER <sql> ... OWNER TO changes */
	bool owned;
	/*
	 * Belongs to the database, not to a schema: obj.schema is
	 * SG_GLOBAL_SCHEMA, its YAML section may stand in any model file
	 * (and is dumped into database.yaml), `schemas:` does not filter it.
	 */
	bool global;
};

extern const struct sg_kind_info sg_kind_info[SG_KIND__COUNT];

/* The facts of a kind; an internal bug for a value out of range. */
const struct sg_kind_info *sg_kind(enum sg_kind kind);
/* "table", "column", ... */
const char *sg_kind_name(enum sg_kind kind);
/* Columns, constraints, indexes, triggers, policies. */
bool sg_kind_is_child(enum sg_kind kind);
/* Tables and views: the parents of children. */
bool sg_kind_is_relation(enum sg_kind kind);
/* The children of kind `kind` (a child kind) of relation t, and their
 * number. */
struct sg_object *const *sg_children(const struct sg_table *t, enum sg_kind kind,
				     size_t *n);

/*
 * Appends a human description: `table public.orders`,
 * `column public.orders.status`, `constraint orders_pkey on public.orders`.
 * Identifiers are quoted as in SQL.
 */
void sg_object_describe(struct sbuf *out, const struct sg_object *obj);
/* Appends the qualified SQL name: public.orders (children: the table's;
 * functions: public.f(integer, text)). */
void sg_object_qualified(struct sbuf *out, const struct sg_object *obj);
/*
 * Appends the object as COMMENT ON and GRANT name it: "TABLE public.t",
 * "MATERIALIZED VIEW public.v", "FUNCTION public.f(integer)",
 * "COLUMN public.t.c", "TRIGGER t ON public.x", "TYPE public.e", ...
 */
void sg_object_sqlref(struct sbuf *out, const struct sg_object *obj);

/*
 * Privileges (src/model/privilege.c).
 *
 * The aclitem letters an object of this kind can be granted, in aclitem
 * order ("arwdDxtm" for tables and views, "arwx" for columns, "rwU" for
 * sequences, "X" for functions and procedures, "U" for enums, domains and
 * composite types, "UC" for schemas); NULL for kinds without privileges.
 * MAINTAIN ('m') exists from PostgreSQL 17 on.
 */
const char *sg_privileges_of(const struct sg_object *obj);
/* "SELECT" for 'r', ...; NULL for a letter that is no privilege. */
const char *sg_privilege_name(char letter);
/* The letter of a privilege name (any case; "ALTER SYSTEM" or
 * "alter_system"), 0 when there is none. */
char sg_privilege_letter(const char *name);
/* Position of a letter in aclitem order (for sorting), -1 when unknown. */
int sg_privilege_rank(char letter);
/*
 * The grants an object has right after CREATE, as introspection reports
 * them (owner left out): EXECUTE to PUBLIC on functions and procedures,
 * USAGE to PUBLIC on types, nothing on the rest.  *n is 0 or 1.
 */
void sg_grants_default(const struct sg_object *obj, const struct sg_grant **out,
		       size_t *n);
/*
 * What CREATE gives obj when the role that runs schemagen makes it in a
 * database of catalog cat (NULL: sg_grants_default()): the global default
 * privileges of that role for the object's class, when cat has them, in
 * place of the built-in ones.  (A schema's default privileges, which add
 * to these, are not counted.)
 */
void sg_grants_created(const struct sg_catalog *cat, const struct sg_object *obj,
		       const struct sg_grant **out, size_t *n);
/* Are two grant lists (sorted by grantee) the same? */
bool sg_grants_equal(const struct sg_grant *a, size_t na,
		     const struct sg_grant *b, size_t nb);
/*
 * Default privileges: the object classes of pg_default_acl that can be
 * scoped to a schema ('r' tables, 'S' sequences, 'f' functions, 'T'
 * types), in this order.  sg_defacl_rank() is the position (-1 for any
 * other letter), sg_defacl_class() the YAML key ("tables"),
 * sg_defacl_keyword() the SQL word ("TABLES"), sg_defacl_privileges()
 * the aclitem letters of the class ("arwdDxtm", "rwU", "X", "U").
 */
int sg_defacl_rank(char objtype);
const char *sg_defacl_class(char objtype);
const char *sg_defacl_keyword(char objtype);
const char *sg_defacl_privileges(char objtype);
/* A kind whose objects have the privileges of the class (for
 * sg_privileges_of(): tables, sequences, functions, enums). */
enum sg_kind sg_defacl_kind(char objtype);
/* The objtype of a YAML key ("tables" -> 'r'); 0 when unknown. */
char sg_defacl_objtype(const char *class_name);
/* Compares two entries: role (NULL first), then class. */
int sg_defacl_cmp(const struct sg_defacl *a, const struct sg_defacl *b);
/* Are the default privileges of two schemas the same? */
bool sg_defacls_equal(const struct sg_schema *a, const struct sg_schema *b);
/* Are two sorted lists of default privileges the same? */
bool sg_defacl_lists_equal(const struct sg_defacl *a, size_t na,
			   const struct sg_defacl *b, size_t nb);
/*
 * Global default privileges: the class 'n' (SCHEMAS, "UC") exists only
 * globally, after the four above (rank 4).  sg_defacl_builtin() gives what
 * PostgreSQL grants objects of the class when no row says otherwise, the
 * owner left out (EXECUTE to PUBLIC for 'f', USAGE to PUBLIC for 'T',
 * nothing for the rest); sg_default_acl_name() the object's name.
 */
void sg_defacl_builtin(char objtype, const struct sg_grant **out, size_t *n);
const char *sg_default_acl_name(struct sg_arena *a, const char *role);

/* Appends a role as SQL: PUBLIC for SG_ROLE_PUBLIC, else quoted. */
void sg_role_sql(struct sbuf *out, const char *role);

/* Are two arrays of strings the same, element by element? */
bool sg_strings_equal(const char *const *a, size_t na,
		      const char *const *b, size_t nb);

/*
 * Is constraint definition f (pg_get_constraintdef) the definition t but
 * for a trailing " NOT VALID", which ALTER ... VALIDATE CONSTRAINT takes
 * away?
 */
bool sg_only_validated(const char *f, bool f_not_valid, const char *t,
		       bool t_not_valid);

/*
 * The tables a table comes from: its partition parent, then its INHERITS
 * parents (those resolved), at most max of them into out; returns how many.
 */
size_t sg_table_parents(const struct sg_table *t, const struct sg_table **out,
			size_t max);

/* The check of a domain by name; NULL when it has none of that name. */
const struct sg_domain_check *sg_domain_find_check(const struct sg_domain *d,
						   const char *name);

/*
 * Copies what only the models know (YAML locations, renamed_from) onto the
 * objects of the same identity in `dst` (the introspected scratch database).
 */
void sg_catalog_annotate(struct sg_catalog *dst, const struct sg_catalog *src);

/*
 * Forgets the owners of an introspected catalog (owners are then not
 * compared, nor restored); for a live catalog when the models name none.
 */
void sg_catalog_forget_owners(struct sg_catalog *cat);

/*
 * A catalog as bytes (src/model/serial.c: versioned, strings interned) and
 * back.  sg_catalog_deserialise() checks everything it reads and returns
 * NULL for anything malformed; the catalog it returns is finished.
 */
void sg_catalog_serialise(struct sbuf *out, const struct sg_catalog *cat);
/* The same bytes handed to put() in pieces of about 64 kB as they are
 * made, never the whole in memory (the cache files, written streamed). */
void sg_catalog_serialise_to(const struct sg_catalog *cat,
			     void (*put)(void *arg, const void *data, size_t len),
			     void *arg);
/*
 * A hash of what an object is, its locations, oid and the ids of the
 * objects it points to aside (those by kind, schema and name): equal for
 * an object loaded twice from the same YAML wherever it stands in its
 * file (the model database's incremental path, cli/modeldb.c).
 */
uint64_t sg_object_digest(const struct sg_object *o);
struct sg_catalog *sg_catalog_deserialise(struct sg_arena *a, const void *data,
					  size_t len);

struct sg_diags;
/* Reports, at their YAML locations, the features of models `m` that need a
 * newer PostgreSQL than `version` (server_version_num); -1 when any. */
int sg_model_check_version(const struct sg_catalog *m, int version, struct sg_diags *d);
/* What PostgreSQL refuses of foreign table f as a partition (its parent's
 * keys) and of its triggers, at their YAML locations (model/ftable.c). */
void sg_check_foreign_partition(struct sg_diags *d, struct sg_arena *t,
				const struct sg_foreign_table *f);

/*
 * The values of enum `from` that become values of another name in `to`:
 * declared by `renamed_from` on either side (a value of `to` renamed from a
 * value of `from`, or, for a downgrade, a value of `from` renamed from a
 * value of `to`), and only when the old name is gone and the new one is
 * free.  Fills old_names[i] -> new_names[i] (arena arrays) and returns the
 * number of renames.
 */
size_t sg_enum_renames(struct sg_arena *a, const struct sg_enum *from,
		       const struct sg_enum *to, const char ***old_names,
		       const char ***new_names);

#endif
