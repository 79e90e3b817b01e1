/* SPDX-License-Identifier: MIT */
/*
 * yaml-priv.h - what the files of src/yaml/ share: a small document tree
 * built from libyaml's events (with exact 1-based locations, duplicate keys
 * detected), helpers that read typed values out of it with diagnostics, and
 * the naming rules PostgreSQL applies to unnamed constraints and indexes.
 *
 * The tree lives in a scratch arena that the loader frees after each file;
 * everything kept in a catalog is copied into the catalog's arena.
 */
#ifndef SG_YAML_PRIV_H
#define SG_YAML_PRIV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/pgnames.h"
#include "schemagen/sql.h"

struct sg_arena;
struct sg_catalog;
struct sg_config;
struct sg_object;
struct sbuf;

enum ynode_type { YN_SCALAR, YN_MAP, YN_SEQ };

/* (the fields ordered to leave no holes: a model of ten thousand tables
 * has a million nodes) */
struct ynode {
	enum ynode_type type;
	bool plain;                 /* scalars: plain style: null/true/false/numbers apply */
	bool dup;                   /* a repeated key, dropped from its mapping */
	uint32_t len;               /* scalars: bytes; != strlen(str) when it holds a NUL */
	/* mappings: kids[2i] is a key, kids[2i + 1] its value; sequences: items */
	uint32_t nkids;
	struct sg_loc loc;          /* where the node starts (exact) */
	struct sg_loc vloc;         /* scalars: the value, with style/indent for sg_loc_at() */
	const char *str;            /* scalars: the value, NUL-terminated */
	struct ynode **kids;
};

/*
 * Parses one YAML document into a tree allocated in a.  file is used in
 * locations and must outlive the diagnostics.  Syntax errors, aliases,
 * several documents and duplicate keys are diagnostics; after a syntax error
 * *root is NULL.  An empty document gives *root == NULL.  Returns 0, or -1
 * when a diagnostic was added.
 */
int ydoc_parse(struct sg_arena *a, const char *file, const char *text,
	       size_t len, struct ynode **root, struct sg_diags *d);

/* ---- typed access, each reporting its own diagnostic (walk.c) ---- */

bool ynode_is_null(const struct ynode *n);
/*
 * A user string for a message: double-quoted, control characters escaped,
 * shortened to about 60 bytes.  Every name or value quoted in a message goes
 * through it, so a message stays one line whatever the input.
 */
const char *yq(struct sg_arena *a, const char *s);
const char *yqn(struct sg_arena *a, const char *s, size_t len);
/* "a mapping", "a list", "nothing", or the scalar quoted (shortened). */
const char *ynode_found(struct sg_arena *a, const struct ynode *n);

/* Adds "expected <what>, found ..." at n. */
struct sg_diag *yexpect(struct sg_diags *d, struct sg_arena *a,
			const struct ynode *n, const char *what);

/*
 * Reports an unknown key with a suggestion from keys[] ("did you mean"), or
 * the list of valid keys when none is close.  ctx completes "unknown key
 * "x" in <ctx>".  Returns the diagnostic, for one more hint.
 */
struct sg_diag *yunknown_key(struct sg_diags *d, const struct ynode *key,
			     const char *const *keys, size_t nkeys,
			     const char *ctx);

/* A mapping key must be a scalar; reports and returns false otherwise. */
bool ykey_ok(struct sg_diags *d, struct sg_arena *a, const struct ynode *key);

/* Scalar value as a string; a null node gives *out = NULL.  key names the
 * setting in messages.  Returns false after a diagnostic. */
bool yget_str(struct sg_diags *d, struct sg_arena *a, const struct ynode *n,
	      const char *key, const char **out);
bool yget_bool(struct sg_diags *d, struct sg_arena *a, const struct ynode *n,
	       const char *key, bool *out);
bool yget_int64(struct sg_diags *d, struct sg_arena *a, const struct ynode *n,
		const char *key, int64_t *out);

/*
 * Checks a name (a key, or an item of a name list): a non-empty string
 * without NUL characters, at most 63 bytes.  what: "table name", ...
 */
bool yname_ok(struct sg_diags *d, struct sg_arena *a, const struct ynode *n,
	      const char *what);

/* Decodes one UTF-8 character of a NUL-terminated string; returns its
 * length in bytes, 0 when the bytes are not UTF-8. */
size_t yaml_u8dec(const unsigned char *s, uint32_t *cp);

/* True when s is a YAML-1.1-or-1.2 word or number that a plain scalar would
 * not keep as a string (null, yes, 0x1F, .inf, ...). */
bool yaml_word_is_special(const char *s);

/* ---- the model loader (load.c, table.c) ---- */

struct sg_seqopts;
struct sg_table;
struct sg_schema;

struct loader {
	struct sg_arena *a;         /* the catalog's arena: what is kept */
	struct sg_arena *t;         /* scratch, freed after the file */
	struct sg_diags *d;
	struct sg_catalog *cat;
	const struct sg_config *cfg;
	const char *file;           /* the caller's: messages only (locations hold sg_file_id()) */
	const char *schema;         /* the file's schema, in a */
	struct load_schemas *schemas; /* the schemas so far, NULL: search cat */
};

/* Where each sequence option was given, for messages (index: SG_SEQ_* bit
 * number). */
struct seqlocs {
	struct sg_loc loc[7];
};

/*
 * Sorts the values of a mapping into vals[] by keys[] (NULL when absent),
 * reporting the keys that are not in keys[] (table.c).
 */
void get_keys(struct loader *l, const struct ynode *map,
	      const char *const *keys, size_t nkeys,
	      const struct ynode **vals, const char *ctx);

/*
 * Reads one sequence option (type, start, increment, min, max, cache,
 * cycle) into o; returns false when key is not one of them.
 */
bool load_seqopt(struct loader *l, const struct ynode *key,
		 const struct ynode *val, struct sg_seqopts *o,
		 struct seqlocs *locs);
/* Reports an unknown key of a sequence or identity, knowing SQL's names
 * for the options (minvalue, increment_by, ...). */
void seqopt_unknown_key(struct loader *l, const struct ynode *key,
			const char *const *keys, size_t nkeys, const char *ctx);
/* Checks the options against each other and the type's range. */
void check_seqopts(struct loader *l, const struct sg_seqopts *o,
		   const char *type, const struct seqlocs *locs);

/*
 * A collation or operator class: a literal name (scalar) or a mapping
 * {schema:, name:}, returned as SQL text (quoted as needed); NULL after a
 * diagnostic or when null.
 */
const char *load_qualname(struct loader *l, const struct ynode *n,
			  const char *key);

/*
 * Privileges, row-level security and policies (security.c).  load_grants()
 * reads a `grants:` value onto any object of a kind that has privileges
 * (sets has_acl; nothing when null); load_rls() a table's
 * `row_level_security:`; load_policies() its `policies:`.
 */
void load_grants(struct loader *l, struct sg_object *obj, const struct ynode *v);
/* `owner:` of a kind that has one: a role name (not public). */
void load_owner(struct loader *l, struct sg_object *obj, const struct ynode *v);
void load_rls(struct loader *l, struct sg_table *t, const struct ynode *v);
/* A file's `default_privileges:`, added to the schema's (security.c). */
void load_defacls(struct loader *l, struct sg_schema *sch, const struct ynode *v);
/* `global_default_privileges:` (security.c), written by write.c. */
struct writer;
void load_global_defacls(struct loader *l, const struct ynode *v);
void write_global_defacls(struct writer *w, struct sbuf *out,
			  const struct sg_catalog *cat, const char *schema);
void load_policies(struct loader *l, struct sg_table *t, const struct ynode *v);

/*
 * `renamed_from` of a view, materialized view, function or procedure (v,
 * nothing when null): a name in the object's own schema, not the object's
 * own name.  noun: "view", "function", ...; name: the object's name as
 * written.  Sets obj->renamed_from and renamed_loc, or reports.
 */
void load_renamed_from(struct loader *l, struct sg_object *obj,
		       const struct ynode *v, const char *noun, const char *name);

/* Reads a table (key: its name, val: its mapping) into the catalog. */
void load_table(struct loader *l, const struct ynode *key,
		const struct ynode *val);
/* The same for a partition listed under `partitions:` of parent. */
void load_table_in(struct loader *l, const struct ynode *key,
		   const struct ynode *val, struct sg_table *parent);

/* ---- partitioning, inheritance, storage (partition.c) ---- */

/* The values of a table's keys that partition.c reads (NULL: absent). */
struct table_extra {
	const struct ynode *partition_by, *partition_of, *bounds, *inherits;
	const struct ynode *unlogged, *storage, *replica;
};

/* Reads them into t (tq: its name quoted for messages); parent: the table
 * whose `partitions:` lists t, or NULL. */
void load_table_extra(struct loader *l, struct sg_table *t, const char *tq,
		      const struct table_extra *x, struct sg_table *parent);
/* The partitions listed under t's `partitions:`. */
void load_partitions(struct loader *l, struct sg_table *t, const char *tq,
		     const struct ynode *v);
/* A mapping of storage parameters as sorted "name=value" strings. */
const char **load_storage(struct loader *l, const struct ynode *v,
			  const char *what, size_t *n);
/* Checks replica_identity's index once the table's indexes are read. */
void check_replica_index(struct loader *l, struct sg_table *t, const char *tq);

/*
 * Reads the `indexes:` list of a relation other than a table (a
 * materialized view), with a table's syntax; noun names the relation's
 * kind in messages.  Key columns are not checked against the relation.
 */
void load_relation_indexes(struct loader *l, struct sg_table *rel,
			   const struct ynode *v, const char *noun);

/* Views and materialized views (view.c). */
void load_view(struct loader *l, const struct ynode *key,
	       const struct ynode *val);
void load_matview(struct loader *l, const struct ynode *key,
		  const struct ynode *val);

/*
 * Sorts the values of a mapping into vals[] by keys[] (NULL when absent),
 * reporting keys not in keys[] ("unknown key ... in <ctx>").
 */
void yload_keys(struct loader *l, const struct ynode *map,
		const char *const *keys, size_t nkeys, const struct ynode **vals,
		const char *ctx);
/*
 * A SQL fragment checked with PostgreSQL's parser (what: names it in the
 * message); copied into the catalog's arena, its location in *loc.  NULL
 * when absent, null or bad.
 */
const char *yload_sql(struct loader *l, const struct ynode *v, const char *key,
		      enum sg_frag kind, const char *what, struct sg_loc *loc);

/* ---- extensions, collations, domains, composite types (types.c) ---- */

void load_extension(struct loader *l, const struct ynode *key,
		    const struct ynode *val);
void load_collation(struct loader *l, const struct ynode *key,
		    const struct ynode *val);
void load_domain(struct loader *l, const struct ynode *key,
		 const struct ynode *val);
void load_language(struct loader *l, const struct ynode *key,
		   const struct ynode *val);
void load_composite(struct loader *l, const struct ynode *key,
		    const struct ynode *val);

/* function.c: an argument's type as format_type() spells it, for the
 * identity of a routine, an aggregate or an operator */
void routine_identity_type(struct sbuf *out, const struct sg_sql_arg *arg);

/* aggregate.c: one option of sg_agg_opts[] / sg_opr_opts[] at v (NULL
 * when absent, false, or bad after a diagnostic), its location in *loc */
const char *yload_opt(struct loader *l, const struct sg_opt_info *o,
		      const struct ynode *v, const char *ctx, struct sg_loc *loc);
/* aggregate.c, operator.c: the values of `aggregates:` and `operators:` */
void load_aggregates(struct loader *l, const struct ynode *val);
void load_operators(struct loader *l, const struct ynode *val);
/* opclass.c: `operator_families:` and `operator_classes:` */
void load_opfamilies(struct loader *l, const struct ynode *val);
void load_opclasses(struct loader *l, const struct ynode *val);

/* function.c: the value of `functions:` (or `procedures:`) of a file */
void load_functions(struct loader *l, const struct ynode *val, bool procedures);
/*
 * function.c: the value of `triggers:` of a relation (a table, or a view
 * from the views' loader), a mapping of trigger names to definitions;
 * call it after the relation's columns are loaded (UPDATE OF is checked
 * against the columns of a table).
 */
void load_triggers(struct loader *l, struct sg_table *rel, const struct ynode *val);

/*
 * statistics.c: the `statistics:` of a table; rule.c: the `rules:` of a
 * table or view.  Call them after the relation's columns are loaded.
 */
void load_statistics(struct loader *l, struct sg_table *t, const struct ynode *v);
void load_rules(struct loader *l, struct sg_table *rel, const struct ynode *v);

/* textsearch.c: one dictionary or configuration of a file's section */
void load_ts_parser(struct loader *l, const struct ynode *key, const struct ynode *val);
void load_ts_template(struct loader *l, const struct ynode *key, const struct ynode *val);
void load_ts_dict(struct loader *l, const struct ynode *key, const struct ynode *val);
void load_ts_config(struct loader *l, const struct ynode *key, const struct ynode *val);

/* One word of a fixed list (case-insensitive) at key v: its position; -1
 * after a diagnostic (walk.c). */
int yone_of(struct loader *l, const struct ynode *v, const char *key,
	    const char *const *words, size_t n);
/* A SQL fragment of the models at key v, checked by the parser; NULL when
 * bad, after a diagnostic (walk.c). */
const char *yget_sql(struct loader *l, const struct ynode *v,
		     const char *key, enum sg_frag kind, const char *what,
		     struct sg_loc *loc);

/*
 * The kinds' rows (load.c): where the models declare a kind (keys: the
 * sections of a file for a top-level kind, the keys of a table's mapping
 * for a child, "schema" for schemas) and, for a top-level kind, the loader
 * and the writer (write.c) of each section.
 */
struct writer;
enum { YAML_KIND_KEYS = 5, YAML_KIND_SECTIONS = 2 };
struct yaml_kind_ops {
	const char *keys[YAML_KIND_KEYS];
	void (*load[YAML_KIND_SECTIONS])(struct loader *l, const struct ynode *val);
	void (*write[YAML_KIND_SECTIONS])(struct writer *w, struct sbuf *out,
					  const struct sg_catalog *cat,
					  const char *schema);
};
extern const struct yaml_kind_ops yaml_kinds[SG_KIND__COUNT];

/* The sections' writers (write.c): the objects of the schema, if any. */
void write_extensions(struct writer *w, struct sbuf *out,
		      const struct sg_catalog *cat, const char *schema);
void write_collations(struct writer *w, struct sbuf *out,
		      const struct sg_catalog *cat, const char *schema);
void write_enums(struct writer *w, struct sbuf *out,
		 const struct sg_catalog *cat, const char *schema);
void write_domains(struct writer *w, struct sbuf *out,
		   const struct sg_catalog *cat, const char *schema);
void write_composites(struct writer *w, struct sbuf *out,
		      const struct sg_catalog *cat, const char *schema);
void write_sequences(struct writer *w, struct sbuf *out,
		     const struct sg_catalog *cat, const char *schema);
void write_functions(struct writer *w, struct sbuf *out,
		     const struct sg_catalog *cat, const char *schema);
void write_procedures(struct writer *w, struct sbuf *out,
		      const struct sg_catalog *cat, const char *schema);
/* foreign.c: database-wide (schema SG_GLOBAL_SCHEMA whatever the file's) */
void load_fdw(struct loader *l, const struct ynode *key, const struct ynode *val);
void load_server(struct loader *l, const struct ynode *key, const struct ynode *val);
void load_user_mappings(struct loader *l, const struct ynode *val);
void write_fdws(struct writer *w, struct sbuf *out,
		const struct sg_catalog *cat, const char *schema);
void write_servers(struct writer *w, struct sbuf *out,
		   const struct sg_catalog *cat, const char *schema);
void write_user_mappings(struct writer *w, struct sbuf *out,
			 const struct sg_catalog *cat, const char *schema);
/* OPTIONS of a wrapper, server, mapping, foreign table or its column: a
 * mapping of keys to strings or {env: NAME} (secrets), sorted by key */
void yload_fdw_options(struct loader *l, const struct ynode *v, const char *ctx,
		       struct sg_fdw_option **out, size_t *n);
/* ftable.c: foreign tables, in the file's schema */
void load_foreign_table(struct loader *l, const struct ynode *key,
			const struct ynode *val);
void write_foreign_tables(struct writer *w, struct sbuf *out,
			  const struct sg_catalog *cat, const char *schema);
/* table.c: a foreign table's columns and checks, loaded as a table's */
void load_foreign_table_parts(struct loader *l, struct sg_table *t,
			      const struct ynode *key, const struct ynode *columns,
			      const struct ynode *checks);
void write_languages(struct writer *w, struct sbuf *out,
		     const struct sg_catalog *cat, const char *schema);
void write_ts_parsers(struct writer *w, struct sbuf *out,
		      const struct sg_catalog *cat, const char *schema);
void write_ts_templates(struct writer *w, struct sbuf *out,
			const struct sg_catalog *cat, const char *schema);
void write_ts_dicts(struct writer *w, struct sbuf *out,
		    const struct sg_catalog *cat, const char *schema);
void write_ts_configs(struct writer *w, struct sbuf *out,
		      const struct sg_catalog *cat, const char *schema);
void write_aggregates(struct writer *w, struct sbuf *out,
		      const struct sg_catalog *cat, const char *schema);
void write_operators(struct writer *w, struct sbuf *out,
		     const struct sg_catalog *cat, const char *schema);
void write_opfamilies(struct writer *w, struct sbuf *out,
		       const struct sg_catalog *cat, const char *schema);
void write_opclasses(struct writer *w, struct sbuf *out,
		      const struct sg_catalog *cat, const char *schema);
void write_tables(struct writer *w, struct sbuf *out,
		  const struct sg_catalog *cat, const char *schema);
void write_views(struct writer *w, struct sbuf *out,
		 const struct sg_catalog *cat, const char *schema);
void write_matviews(struct writer *w, struct sbuf *out,
		    const struct sg_catalog *cat, const char *schema);

/* Database-wide kinds (issue 10): casts (cast.c), event triggers
 * (evtrigger.c); their writers are in write.c. */
void load_casts(struct loader *l, const struct ynode *val);
void load_event_trigger(struct loader *l, const struct ynode *key,
			const struct ynode *val);
void write_casts(struct writer *w, struct sbuf *out,
		 const struct sg_catalog *cat, const char *schema);
void write_event_triggers(struct writer *w, struct sbuf *out,
			  const struct sg_catalog *cat, const char *schema);
/* publication.c */
void load_publication(struct loader *l, const struct ynode *key,
		      const struct ynode *val);
void write_publications(struct writer *w, struct sbuf *out,
			const struct sg_catalog *cat, const char *schema);

#endif
