/* SPDX-License-Identifier: MIT */
/*
 * introspect-priv.h - what the per-kind files of src/introspect/ share: the
 * state of one introspection run, the oid map used to turn pg_depend rows
 * into object dependencies, and small helpers over libpq results.
 *
 * Every per-kind loader runs exactly one query (two for indexes: the indexes
 * and their key columns), whatever the number of objects: the managed schemas
 * and the tables found are passed as oid[] parameters, the way pg_dump
 * batches per-table details with unnest('{...}'::oid[]).
 */
#ifndef SG_INTROSPECT_PRIV_H
#define SG_INTROSPECT_PRIV_H

#include <stdbool.h>
#include <stdint.h>

#include "schemagen/arena.h"
#include "schemagen/introspect.h"
#include "schemagen/model.h"
#include "schemagen/pgconn.h"
#include "schemagen/sbuf.h"

/*
 * Keys of the oid map.  The letters are the ones the pg_depend query
 * returns for classid/refclassid (see depend.c), so a pg_depend row is
 * looked up as it comes.  Columns are (OIDMAP_CLASS, table oid, attnum).
 */
enum {
	OIDMAP_CLASS = 'c',      /* pg_class: table, sequence, index */
	OIDMAP_TYPE = 't',       /* pg_type: enum, its array, a row type */
	OIDMAP_CONSTRAINT = 'o', /* pg_constraint */
	OIDMAP_NAMESPACE = 'n',  /* pg_namespace */
	OIDMAP_ATTRDEF = 'd',    /* pg_attrdef: the column it belongs to */
	OIDMAP_PROC = 'p',       /* pg_proc: function, procedure */
	OIDMAP_REWRITE = 'r',    /* pg_rewrite: a view's _RETURN rule -> the view */
	OIDMAP_TRIGGER = 'g',    /* pg_trigger */
	OIDMAP_POLICY = 'y',     /* pg_policy */
	OIDMAP_EXTENSION = 'x',  /* pg_extension */
	OIDMAP_COLLATION = 'l',  /* pg_collation */
	OIDMAP_OPCLASS = 'C',    /* pg_opclass: extension members (types.c), classes */
	OIDMAP_OPFAMILY = 'F',   /* pg_opfamily */
	OIDMAP_AMOP = 'm',       /* pg_amop: an operator class's operator -> the class */
	OIDMAP_AMPROC = 'M',     /* pg_amproc: its function -> the class */
	OIDMAP_OPERATOR = 'O',   /* pg_operator: extension members (types.c), operators */
	OIDMAP_CAST = 'a',       /* pg_cast (cast.c) */
	OIDMAP_EVENT_TRIGGER = 'v', /* pg_event_trigger (evtrigger.c) */
	OIDMAP_PUBLICATION = 'b',   /* pg_publication (publication.c) */
	OIDMAP_PUBLICATION_REL = 'B', /* pg_publication_rel: its publication */
	OIDMAP_FDW = 'w',        /* pg_foreign_data_wrapper */
	OIDMAP_SERVER = 'W',     /* pg_foreign_server */
	OIDMAP_USER_MAPPING = 'u', /* pg_user_mapping */
	OIDMAP_LANGUAGE = 'L',   /* pg_language */
	OIDMAP_DEFAULT_ACL = 'A', /* pg_default_acl (never registered: global
				   * default privileges depend on roles only) */
	OIDMAP_STATISTICS = 'S', /* pg_statistic_ext */
	OIDMAP_TS_DICT = 'D',    /* pg_ts_dict */
	OIDMAP_TS_PARSER = 'P',  /* pg_ts_parser */
	OIDMAP_TS_TEMPLATE = 'T', /* pg_ts_template */
	OIDMAP_TS_CONFIG = 'K',  /* pg_ts_config */
};

/* 16 bytes: at 10,000 tables the map holds some 130,000 entries */
struct oidmap_entry {
	struct sg_object *obj;
	uint32_t oid;
	int16_t sub;                /* a column's attnum (at most 1600); else 0 */
	char cls;
};

/* Open addressing, linear probing; malloc'd, freed by oidmap_release(). */
struct oidmap {
	struct oidmap_entry *v;
	size_t n, cap;
};

/* An object attached to its parent table's index or constraint. */
struct attachment {
	struct sg_object *obj;
	char cls;
	uint32_t oid;
};

struct ictx {
	struct sg_conn *conn;
	struct sg_catalog *cat;
	struct sg_arena *a;
	const struct sg_introspect_opts *opts;
	int server_version;
	struct oidmap map;
	/* "{oid,oid,...}": parameters of the later queries */
	struct sbuf schema_oids;
	struct sbuf table_oids;
	/* a partial read's every oid of the oid map (partial_oids()) */
	struct sbuf read_oids;
	/* attached indexes and constraints, resolved once all are read */
	SG_VEC(struct attachment) attachments;
	/* user mappings whose options were hidden (foreign.c's warning) */
	struct sbuf hidden_mappings;
};

/* Adds or replaces (cls, oid, sub) -> obj. */
void oidmap_put(struct oidmap *m, char cls, uint32_t oid, int32_t sub,
		struct sg_object *obj);
struct sg_object *oidmap_get(const struct oidmap *m, char cls, uint32_t oid,
			     int32_t sub);
void oidmap_release(struct oidmap *m);

/*
 * Result helpers.  col() finds a result column by name (pg_dump's PQfnumber
 * i_<column> idiom) and is an internal bug when it is missing; str() is
 * NULL for SQL NULL; the arena copies live as long as the catalog.
 */
int col(const PGresult *res, const char *name);
const char *str(struct ictx *x, const PGresult *res, int row, int c);
bool boolv(const PGresult *res, int row, int c);
uint32_t oidv(const PGresult *res, int row, int c);
int64_t intv(const PGresult *res, int row, int c);
char charv(const PGresult *res, int row, int c);

/*
 * Parses the text form of a one-dimensional array of text or name
 * ("{a,"b c",NULL}") into arena strings.  NULL elements become NULL.
 * Returns the number of elements; -1 (after sg_error) when malformed.
 */
long text_array(struct ictx *x, const char *s, const char ***out);

/*
 * Row order for a result: rows sorted by the named columns, compared with
 * strcmp (SORT_TEXT) or numerically (SORT_NUM), never with the server's
 * collation; NULL sorts first.  keys ends with a NULL name (at most 7 keys).
 * Returns a malloc'd array of row numbers.
 */
enum { SORT_TEXT, SORT_NUM };
struct sortkey {
	const char *name;
	int how;
};
int *sorted_rows(const PGresult *res, const struct sortkey *keys);

/* Runs a query with the given parameters (NULL entries are SQL NULL). */
PGresult *run(struct ictx *x, const char *sql, int nparams,
	      const char *const *params);

/* The text form of a text[] value ({"a","b"}), for a parameter. */
void text_array_literal(struct sbuf *sb, const char *const *v, size_t n);

/* Appends an oid to a "{...}" list being built (close it with oidlist_end). */
void oidlist_add(struct sbuf *sb, uint32_t oid);
void oidlist_end(struct sbuf *sb);
/* Opens a closed list again for more oids (views join the table oids). */
void oidlist_reopen(struct sbuf *sb);

/*
 * A partial read's restrictions (opts->relations set; NULL in a full
 * read, which the queries' "$n::oid[] IS NULL OR ..." keeps whole):
 * partial_rels() is the relations read (the table oids: the child
 * queries of triggers, rules, statistics objects), partial_oids() every
 * oid of the oid map, of any catalog (privileges, owners), or only those
 * of the relations' objects (relations_only: pg_depend; a schema's or an
 * enum's oid would bring every row naming it).  A
 * row the restriction leaves out is one whose object is not in the oid
 * map, which the loader drops anyway: the objects read are the same.
 */
const char *partial_rels(struct ictx *x);
const char *partial_oids(struct ictx *x, bool relations_only);

/*
 * SQL text of a collation or operator class name as ruleutils prints it with
 * search_path = pg_catalog: quoted, qualified unless in pg_catalog.
 */
const char *catalog_name(struct ictx *x, const char *nsp, const char *name);

/* Sets the sequence options from columns <prefix>type, <prefix>start, ... */
void seqopts_from_row(struct ictx *x, struct sg_seqopts *o, const PGresult *res,
		      int row, const char *prefix);

/*
 * Storage parameters from reloptions text arrays (the table's, and its TOAST
 * table's, prefixed "toast."), sorted; see partition.c.
 */
int reloptions(struct ictx *x, const char *opts, const char *toast_opts,
	       const char ***out, size_t *n);

/* Records obj -> its schema (by namespace oid); see schema.c. */
void depend_on_schema(struct ictx *x, struct sg_object *obj, uint32_t nspoid);

/* The per-kind loaders; introspect.c lists them by kind and runs them
 * in its steps[]. */
int introspect_schemas(struct ictx *x);
int introspect_extensions(struct ictx *x);
int introspect_collations(struct ictx *x);
/* foreign.c: database-wide */
int introspect_fdws(struct ictx *x);
int introspect_servers(struct ictx *x);
int introspect_user_mappings(struct ictx *x);
int introspect_enums(struct ictx *x);
int introspect_domains(struct ictx *x);
int introspect_composites(struct ictx *x);
int introspect_sequences(struct ictx *x);
int introspect_tables(struct ictx *x);
int introspect_table_details(struct ictx *x);
int introspect_views(struct ictx *x);
int introspect_columns(struct ictx *x);
int introspect_constraints(struct ictx *x);
int introspect_indexes(struct ictx *x);
int introspect_functions(struct ictx *x);
/* database-wide kinds (issue 10): casts (cast.c), event triggers
 * (evtrigger.c) */
int introspect_casts(struct ictx *x);
int introspect_event_triggers(struct ictx *x);
int introspect_publications(struct ictx *x);
/* aggregate.c, operator.c */
int introspect_aggregates(struct ictx *x);
int introspect_operators(struct ictx *x);
/* opclass.c */
int introspect_opfamilies(struct ictx *x);
int introspect_opclasses(struct ictx *x);
/* after every relation kind (tables, views): maps triggers onto them */
int introspect_triggers(struct ictx *x);
/* row-level security switches of tables, and their policies (policy.c) */
int introspect_policies(struct ictx *x);
int introspect_languages(struct ictx *x);
/* statistics objects of tables (statistics.c), rules of tables and views
 * (rule.c): after the relations */
int introspect_statistics(struct ictx *x);
/* text search dictionaries and configurations (textsearch.c) */
int introspect_ts_parsers(struct ictx *x);
int introspect_ts_templates(struct ictx *x);
int introspect_ts_dicts(struct ictx *x);
int introspect_ts_configs(struct ictx *x);
int introspect_rules(struct ictx *x);
/* privileges of every object loaded before it (acl.c): run it last but
 * for the dependencies */
int introspect_acls(struct ictx *x);
/* Owners of every object read, in one query (acl.c). */
int introspect_owners(struct ictx *x);
/* Default privileges of the managed schemas (acl.c). */
int introspect_defacls(struct ictx *x);
/* "SELECT,INSERT" (aclexplode's privilege_type, joined) -> "ar"; NULL -> "". */
const char *acl_letters(struct ictx *x, const char *names);
int introspect_depends(struct ictx *x);
/* The position of the kind's loader in introspect.c's steps (-1: none):
 * the order of the kinds' objects in a catalog read (partial.c). */
int introspect_kind_rank(enum sg_kind kind);
/* Does the pg_depend query read the rows of this system catalog
 * ("pg_class")? (depend.c) */
bool depend_class_known(const char *pg_catalog);
/* Records obj -> the parent's object (cls, oid) it is attached to. */
void attachment(struct ictx *x, struct sg_object *obj, char cls, uint32_t oid);
/* Makes the dependencies of attachment() once every object is known. */
void introspect_attachments(struct ictx *x);

/*
 * SQL fragment: true when the object (classid given as a regclass name,
 * objid as an expression) does not belong to an extension.  OFFSET 0 keeps
 * it a lookup per row in pg_depend's depender index: as an anti join the
 * planner reads all of pg_depend (the largest catalog) into a hash.
 */
#define NOT_EXTENSION_MEMBER(catalog, oidexpr)                               \
	"NOT EXISTS (SELECT 1 FROM pg_depend e"                              \
	" WHERE e.classid = '" catalog "'::regclass"                         \
	" AND e.objid = " oidexpr " AND e.deptype = 'e' OFFSET 0)"

/* pg_description join for the object (classoid, objoid, objsubid). */
#define DESCRIPTION_JOIN(alias, catalog, oidexpr, subexpr)                   \
	" LEFT JOIN pg_description " alias " ON " alias ".classoid = '"      \
	catalog "'::regclass AND " alias ".objoid = " oidexpr " AND "        \
	alias ".objsubid = " subexpr

/*
 * foreign.c: the keys and values of an options column (pg_options_to_table)
 * as columns opt_keys and opt_values, a secret's value (a key
 * sg_option_secret() names) replaced with NULL by the query itself, so it
 * never crosses the connection, unless it is a placeholder '$env:NAME';
 * introspect_fdw_options() reads them (none when opt_keys is NULL).
 */
#define SG_SECRET_KEY_RE "(password|passwd|secret|token|passphrase)$"
#define OPTIONS(col)                                                         \
	" ARRAY(SELECT o.option_name FROM pg_options_to_table(" col ") o)"  \
	"  AS opt_keys,"                                                     \
	" ARRAY(SELECT CASE WHEN o.option_name ~* '" SG_SECRET_KEY_RE "'"    \
	"  AND o.option_value NOT LIKE '$env:%' THEN NULL"                   \
	"  ELSE o.option_value END FROM pg_options_to_table(" col ") o)"     \
	"  AS opt_values"
int introspect_fdw_options(struct ictx *x, const PGresult *res, int r,
			   struct sg_fdw_option **out, size_t *n);
/* ftable.c */
int introspect_foreign_tables(struct ictx *x);

#endif
