/* SPDX-License-Identifier: MIT */
/*
 * yaml.h - the model files: reading the schema/ model files into a catalog, and
 * writing a catalog back as YAML (`schemagen dump`).  libyaml is used only
 * in src/yaml/.  The file format is documented in docs/models.md.
 *
 * Locations set by the loader (all 1-based, columns in characters):
 *  - obj.loc: the key that names the object (tables, columns, enums,
 *    sequences); for constraints and indexes, which are list items, the
 *    value of their `name`, or the start of the item when unnamed; for a
 *    schema, its name after `schema:` (in the file that gives its comment,
 *    if one does), and line 0 for the implicit `public`;
 *  - type_loc, default_loc, collation_loc, expr_loc, where_loc, ref_loc,
 *    owned_loc, renamed_loc, index key loc, enum value_locs: the scalar
 *    value, with `style` as documented in diag.h (0 exact, 'l' literal
 *    block with `indent`, 'x' otherwise); for a value written as a mapping
 *    (references, owned_by), the start of the mapping.
 *
 * Constraints and indexes the models leave unnamed get obj.auto_name and a
 * placeholder name shaped like the one PostgreSQL will choose
 * (orders_pkey, orders_customer_id_fkey, orders_total_check, ...), unique
 * within their table.
 */
#ifndef SG_YAML_H
#define SG_YAML_H

#include <stdbool.h>

#include "schemagen/model.h"

struct sg_arena;
struct sg_catalog;
struct sg_config;
struct sg_diags;
struct sbuf;

/*
 * Reads every *.yaml and *.yml file under dir (recursively, in strcmp order
 * of their paths) into cat, which must be new (not finished).  Every problem
 * of every file is a diagnostic with its location: YAML syntax, unknown keys
 * (with a suggestion), wrong value types, duplicate objects (naming both
 * places), references to missing tables or columns, SQL fragments that do
 * not parse.  Adds the dependencies the models imply (type 'm') and calls
 * sg_catalog_finish().  Objects outside cfg->schemas (when given) are
 * errors.  Returns 0, or -1 when d has errors.  A missing or empty dir is an
 * empty model, not an error.  The files are those sg_dir_files() finds
 * (recursive; symbolic links only to files inside cfg->root or dir).
 */
int yaml_load_models(const char *dir, const struct sg_config *cfg,
		     struct sg_catalog *cat, struct sg_diags *d);
/*
 * The same, and the fingerprint of exactly what was read: the SHA-256 of
 * each file's path and content, hashed together (64 hex digits + NUL), for
 * the cached model catalog.
 */
int yaml_load_models_digest(const char *dir, const struct sg_config *cfg,
			    struct sg_catalog *cat, struct sg_diags *d,
			    char digest[65]);
/*
 * That fingerprint alone, the files read but not parsed (the cached
 * models, cli/warm.c); -1 when a file cannot be listed or read (the full
 * load then says so).
 */
int yaml_models_digest(const char *dir, const struct sg_config *cfg,
		       char digest[65]);

/*
 * Loads one document given as text (name is used in locations), for tests
 * and tools.  Like yaml_load_models() but does not finish the catalog, so
 * several documents can be added before sg_catalog_finish(); call
 * sg_catalog_check() afterwards for the cross-file checks.
 */
int yaml_load_text(const char *name, const char *text,
		   const struct sg_config *cfg, struct sg_catalog *cat,
		   struct sg_diags *d);

/*
 * Appends the YAML for the objects of one schema of an introspected
 * catalog, in the format yaml_load_text() reads, so that loading it and
 * materialising gives the same catalog back.  Deterministic: objects by
 * name, columns by attnum, options only when they differ from PostgreSQL's
 * defaults.  The catalog need not be finished.
 */
void yaml_format_schema(struct sbuf *out, const struct sg_catalog *cat,
			const char *schema);

/* Appends s as a YAML scalar (plain when it can be, else quoted). */
void yaml_scalar(struct sbuf *out, const char *s);

/*
 * Writes one file per schema, dir/<schema>.yaml, each atomically; refuses
 * (error, nothing written) to overwrite existing files unless force.
 * Creates dir as needed.  `public` is written only when it has objects or a
 * comment; every other schema is written, even empty.  In file names, `/`,
 * `%`, control characters and a leading dot are written %XX.  Returns 0 or
 * -1 after sg_error().
 */
int yaml_write_models(const struct sg_catalog *cat, const char *dir,
		      bool force);

/*
 * Every model field whose value becomes SQL text, and how it is made safe
 * (src/yaml/sqlfields.c; docs/security.md).
 */
enum sg_sqlsafe {
	SG_SAFE_IDENT,     /* a name: sg_quote_ident */
	SG_SAFE_QUALIFIED, /* a name, maybe schema-qualified: sg_quote_qualified */
	SG_SAFE_LITERAL,   /* a string constant: sg_quote_literal (bodies: dollar-quoted) */
	SG_SAFE_WORD,      /* a keyword from a fixed list, a number or a boolean */
	SG_SAFE_FRAGMENT,  /* parsed as exactly one fragment (sg_sql_fragment) */
	/* an operator's name: only PostgreSQL's operator characters, no
	 * comment opener (checked by the loader), written as it is */
	SG_SAFE_OPERATOR_NAME,
};

struct sg_sqlfield {
	const char *path;          /* "tables.<name>.columns.<name>.default" */
	enum sg_sqlsafe safe;
	int frag;                  /* enum sg_frag, for SG_SAFE_FRAGMENT */
	const char *good;          /* a value that loads */
	const char *model;         /* a model file with the value written as @ */
};

extern const struct sg_sqlfield sg_sqlfields[];
extern const size_t sg_nsqlfields;

/* Do the models have this kind: its keys, and the loader and writer of
 * each section of a top-level kind?  (tests/unit/t-kinds) */
bool yaml_kind_supported(enum sg_kind kind);

#endif
