/* SPDX-License-Identifier: MIT */
/*
 * config.h - schemagen.yaml.  Loaded by the yaml stage (src/yaml/config.c).
 *
 *   database_url: ${DATABASE_URL}   # libpq URI or key=value string, or
 *                                   # `embedded` (src/cli/common.c)
 *   dev_url: postgres://...         # server for scratch databases
 *   schema_dir: schema
 *   migrations_dir: migrations
 *   schemas: [public, billing]      # narrow what is managed
 *   version_schema: public
 *   version_table: schemagen_version
 *   history_table: schemagen_history
 *   single_transaction: false       # the runner: the whole run in one transaction
 *   lock_wait: 30                   # seconds to wait for the migration lock (none: forever)
 *   lock_timeout: 5s                # SET LOCAL lock_timeout for each revision
 *   statement_timeout: 10min        # SET LOCAL statement_timeout for each revision
 *   lint: true                      # check also lints the pending revisions
 *   online: true                    # revision --autogenerate / diff write online plans
 *   online_lock_timeout: 2s         # lock_timeout of each statement of an online revision
 *   online_lock_retries: 5          # tries again after a lock timeout, with backoff
 *   postgres_version: 17            # scratch server's major version when no
 *                                   # database tells (check without one, --sql)
 *   postgres_versions:              # server programs per major version
 *     17: /opt/pg17/bin
 *   allow_version_mismatch: false   # scratch server of another major version: warn
 *   exclude: [alembic_version, "*_backup", audit.raw_events]
 *                                   # objects dump, diff and check leave out
 *                                   # (sg_catalog_exclude() in model.h)
 *   file_template: "%(year)d%(month).2d%(day).2d_%(rev)s_%(slug)s"
 *                                   # new migration files' names (store.h)
 *
 * Durations are digits with an optional unit ms, s, min, h or d; a bare
 * number is milliseconds for the two timeouts (as PostgreSQL reads them)
 * and seconds for lock_wait.
 * `${VAR}` in a value is replaced by the environment variable; a variable
 * that is not set is an error unless a default is given: `${VAR:-default}`
 * (VAR unset or empty) or `${VAR-default}` (VAR unset).  An empty
 * database_url or dev_url counts as not given.
 */
#ifndef SG_CONFIG_H
#define SG_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "schemagen/diag.h"

struct sg_arena;
struct sg_diags;
struct sg_diag;

/* postgres_versions: in schemagen.yaml: a bin folder per major version. */
struct sg_pg_bindir {
	int major;
	const char *bindir;   /* resolved against the config's folder */
};

struct sg_config {
	const char *path;           /* the schemagen.yaml read; NULL when none */
	const char *root;           /* project directory: the config's folder or "." */
	const char *database_url;   /* NULL when not configured */
	const char *dev_url;        /* NULL: the embedded server */
	/*
	 * database_url / dev_url name an unset variable: the error, reported
	 * only when that setting is the one used (--url, DATABASE_URL or
	 * SCHEMAGEN_DEV_URL come first); the URL itself is then NULL.
	 */
	const struct sg_diag *database_url_unset;
	const struct sg_diag *dev_url_unset;
	const char *schema_dir;     /* resolved against root */
	const char *migrations_dir; /* resolved against root */
	const char **schemas;       /* managed schemas; nschemas == 0: all */
	size_t nschemas;
	const char *version_schema;
	const char *version_table;
	const char *history_table;
	/* the runner (runner.h); false / NULL when not given */
	bool single_transaction;
	const char *lock_wait;
	const char *lock_timeout;
	const char *statement_timeout;
	bool lint;                  /* check runs lint (check --lint) */
	/*
	 * online plans: `online: true` makes revision --autogenerate and
	 * diff write online plans; the runner's per-statement lock_timeout
	 * in online revisions (default 2s) and how many times a statement
	 * that hit it is tried again (default 5)
	 */
	bool online;
	const char *online_lock_timeout;
	const char *online_lock_retries;
	/* the scratch server's version (embedded.h) */
	int postgres_version;       /* 0: not given */
	struct sg_pg_bindir *postgres_versions;
	size_t npostgres_versions;
	bool allow_version_mismatch;
	/* exclude: name patterns (glob; `schema.name` or `name`) */
	const char **exclude;
	size_t nexclude;
	/* file_template: checked by the caller (store_check_template()) at
	 * file_template_loc, the value's location; NULL: the default */
	const char *file_template;
	struct sg_loc file_template_loc;
	/* default_owner: the owner of every model object that names none
	 * (NULL: owners are managed only where `owner:` says) */
	const char *default_owner;
	struct sg_loc default_owner_loc;
};

/* Fills defaults: root ".", schema_dir "schema", migrations_dir "migrations",
 * version_schema "public", version_table "schemagen_version",
 * history_table "schemagen_history". */
void sg_config_defaults(struct sg_config *cfg);

/*
 * Reads path over the defaults.  Unknown keys, wrong value types and bad
 * names are diagnostics with file:line:col (returns -1, prints nothing).
 * schema_dir and migrations_dir are resolved against the file's folder
 * (the defaults too); when that folder is "." they stay as written.
 * cfg should hold sg_config_defaults() (it is filled with them when
 * cfg->root is NULL).  `$$` in a value stands for a literal `$`.
 */
int yaml_load_config(struct sg_arena *a, const char *path,
		     struct sg_config *cfg, struct sg_diags *d);

#endif
