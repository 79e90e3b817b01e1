/* SPDX-License-Identifier: MIT */
/*
 * yaml.h - the model files: reading the schema/ model files into a catalog, and
 * writing a catalog back as YAML (`schemagen dump`).  libyaml is used only
 * in src/yaml/.  The file format is documented in README.md ("Model files").
 */
#ifndef SG_YAML_H
#define SG_YAML_H

#include <stdbool.h>

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
 * empty model, not an error.
 */
int yaml_load_models(const char *dir, const struct sg_config *cfg,
		     struct sg_catalog *cat, struct sg_diags *d);

/*
 * Loads one document given as text (name is used in locations), for tests
 * and tools.  Like yaml_load_models() but does not finish the catalog, so
 * several documents can be added before sg_catalog_finish(); call
 * yaml_check_models() afterwards for the cross-file checks.
 */
int yaml_load_text(const char *name, const char *text,
		   const struct sg_config *cfg, struct sg_catalog *cat,
		   struct sg_diags *d);
/* Cross-reference checks and model dependencies; finishes cat. */
int yaml_check_models(struct sg_catalog *cat, struct sg_diags *d);

/*
 * Appends the YAML for the objects of one schema of an introspected
 * catalog, in the format yaml_load_text() reads, so that loading it and
 * materialising gives the same catalog back.
 */
void yaml_format_schema(struct sbuf *out, const struct sg_catalog *cat,
			const char *schema);

/*
 * Writes one file per schema, dir/<schema>.yaml, each atomically; refuses
 * (error, nothing written) to overwrite existing files unless force.
 */
int yaml_write_models(const struct sg_catalog *cat, const char *dir,
		      bool force);

#endif
