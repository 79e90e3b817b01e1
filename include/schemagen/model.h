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
 * Adding a kind: add it to enum sg_kind (keep kind_info[] in model.c in step,
 * a _Static_assert checks the count), add its struct below, then its
 * introspect, yaml load/write, diff and emit parts.
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
 * in this order and dropped in the reverse one.  Keep kind_info[] in
 * src/model/model.c in step.
 */
enum sg_kind {
	SG_KIND_SCHEMA,
	SG_KIND_ENUM,
	SG_KIND_SEQUENCE,
	SG_KIND_TABLE,
	SG_KIND_COLUMN,
	SG_KIND_CONSTRAINT,
	SG_KIND_INDEX,
	SG_KIND__COUNT
};

struct sg_object {
	enum sg_kind kind;
	int id;
	const char *schema;
	const char *name;
	struct sg_object *parent;   /* table of a column/constraint/index */
	uint32_t oid;               /* catalog oid; 0 when loaded from YAML */
	struct sg_loc loc;          /* where declared in YAML; line 0 otherwise */
	const char *comment;        /* COMMENT ON ... IS; NULL when none */
	const char *renamed_from;   /* YAML `renamed_from` (tables, columns) */
	struct sg_loc renamed_loc;
	/*
	 * YAML only: the model gave no name (constraints, indexes), so `name`
	 * is a placeholder that keeps identities unique, shaped like the name
	 * PostgreSQL will choose; emit leaves the name out and lets PostgreSQL
	 * choose it, and the materialised catalog has the real one.
	 */
	bool auto_name;
};

struct sg_schema {
	struct sg_object obj;
};

struct sg_enum {
	struct sg_object obj;
	const char **values;        /* in sort order */
	size_t nvalues;
	struct sg_loc *value_locs;  /* YAML only; NULL otherwise */
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
	unsigned set;
	const char *type;           /* smallint, integer or bigint */
	int64_t start, increment, min, max, cache;
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

struct sg_column;
struct sg_constraint;
struct sg_index;

struct sg_table {
	struct sg_object obj;
	struct sg_column **columns;         /* in attnum / YAML order */
	size_t ncolumns;
	struct sg_constraint **constraints; /* sorted by name */
	size_t nconstraints;
	struct sg_index **indexes;          /* sorted by name; not those of constraints */
	size_t nindexes;
	size_t columns_cap, constraints_cap, indexes_cap; /* model.c only */
};

struct sg_column {
	struct sg_object obj;
	int attnum;                 /* 1-based position among live columns */
	const char *type;           /* format_type() text, or the YAML text */
	struct sg_loc type_loc;
	bool not_null;
	const char *default_expr;   /* NULL when none */
	struct sg_loc default_loc;
	char identity;              /* 0, 'a' (ALWAYS) or 'd' (BY DEFAULT) */
	struct sg_seqopts identity_opts;
	const char *collation;      /* qualified name when not the type's default */
	struct sg_loc collation_loc;
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
	char type;                  /* 'p' primary, 'u' unique, 'f' foreign, 'c' check */
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
	bool nulls_not_distinct;    /* u */
	/* f */
	const char *ref_schema;
	const char *ref_table;
	const char **ref_columns;
	size_t nref_columns;
	struct sg_loc ref_loc;
	char on_delete, on_update;  /* SG_FK_* */
	char match;                 /* 's' simple, 'f' full */
	/* all */
	bool deferrable, deferred;
	bool not_valid;
	bool no_inherit;            /* c */
	const char *expression;     /* c: pg_get_expr(conbin) or YAML text */
	struct sg_loc expr_loc;
};

struct sg_index_key {
	const char *column;         /* either a column name ... */
	const char *expression;     /* ... or an expression */
	struct sg_loc loc;
	const char *collation;      /* NULL for the default */
	const char *opclass;        /* NULL for the default */
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
	bool unique;
	bool nulls_not_distinct;
	const char *method;         /* NULL for btree */
	struct sg_index_key *keys;
	size_t nkeys;
	const char **include;
	size_t ninclude;
	const char *where;          /* partial index predicate */
	struct sg_loc where_loc;
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

/* Lookup by identity (binary search; needs sg_catalog_finish()). */
struct sg_object *sg_catalog_find(const struct sg_catalog *cat,
				  enum sg_kind kind, const char *schema,
				  const char *parent, const char *name);
struct sg_table *sg_catalog_table(const struct sg_catalog *cat,
				  const char *schema, const char *name);
struct sg_column *sg_table_column(const struct sg_table *t, const char *name);

/* Compares identities: kind, schema, parent name, name. */
int sg_object_cmp(const struct sg_object *a, const struct sg_object *b);

/* "table", "column", ... */
const char *sg_kind_name(enum sg_kind kind);

/*
 * Appends a human description: `table public.orders`,
 * `column public.orders.status`, `constraint orders_pkey on public.orders`.
 * Identifiers are quoted as in SQL.
 */
void sg_object_describe(struct sbuf *out, const struct sg_object *obj);
/* Appends the qualified SQL name: public.orders (children: the table's). */
void sg_object_qualified(struct sbuf *out, const struct sg_object *obj);

/*
 * Copies what only the models know (YAML locations, renamed_from) onto the
 * objects of the same identity in `dst` (the introspected scratch database).
 */
void sg_catalog_annotate(struct sg_catalog *dst, const struct sg_catalog *src);

#endif
