/* SPDX-License-Identifier: MIT */
/*
 * schemagen.h - libschemagen: migrate a database from an application at
 * start-up (pkg-config: libschemagen).
 *
 *     schemagen *sg = schemagen_open("/srv/app", getenv("DATABASE_URL"));
 *     if (schemagen_upgrade(sg, "head", NULL) < 0)
 *         for (size_t i = 0; i < schemagen_error_count(sg); i++) {
 *             const schemagen_error *e = schemagen_error_get(sg, i);
 *             fprintf(stderr, "%s:%d:%d: %s\n", e->file ? e->file : "schemagen",
 *                     e->line, e->column, e->message);
 *         }
 *     schemagen_close(sg);
 *
 * The library does what the CLI does, with the same project files
 * (schemagen.yaml, migrations/, schema/), the same version table, the same
 * migration lock (so several instances starting at once apply each revision
 * once) and the same rules for where the database comes from: the url
 * given to schemagen_open(), else DATABASE_URL, else database_url: in
 * schemagen.yaml.  Upgrades write to a database only when one of those
 * names it (or it says `embedded`).
 *
 * Errors are values: each call that fails returns -1 and leaves its errors
 * (file, line, column, message, hint; as the CLI would print them) for
 * schemagen_error_count() / schemagen_error_get().  The library prints
 * nothing and never calls exit(), with two exceptions it shares with the
 * CLI: running out of memory ends the process (exit status 2), and an
 * internal bug aborts it.
 *
 * Lifetimes: strings and arrays a call returns stay valid until the next
 * call on the same handle or schemagen_close().  Not thread-safe: use a
 * handle from one thread at a time, and one handle at a time per process
 * (the library keeps process-wide state, and reading the project's .env
 * file sets environment variables, as the CLI does).
 */
#ifndef SCHEMAGEN_H
#define SCHEMAGEN_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct schemagen schemagen;

typedef struct schemagen_error {
	const char *file;     /* NULL when the error has no place in a file */
	int line, column;     /* 1-based; 0 when none */
	const char *message;
	const char *hint;     /* NULL when none */
} schemagen_error;

/* "0.1.0" */
const char *schemagen_version(void);

/*
 * A handle on the project in `dir` (the folder of its schemagen.yaml), and
 * the database `url` (any libpq connection string or URI; NULL: as the CLI
 * decides).  Returns NULL only when dir is NULL; a project that cannot be
 * read is reported by the first call.
 */
schemagen *schemagen_open(const char *dir, const char *url);
void schemagen_close(schemagen *sg);

/*
 * The revisions the database is at (its heads; none at base).  Returns 0,
 * or -1 on error.
 */
int schemagen_current(schemagen *sg, const char *const **ids, size_t *n);
/* The revisions not applied yet, oldest first.  0 or -1. */
int schemagen_pending(schemagen *sg, const char *const **ids, size_t *n);

/*
 * Applies migrations up to target ("head", "heads", a revision, "+1", ...
 * as `schemagen upgrade`).  *napplied (may be NULL) receives how many
 * revisions were applied and committed, also on failure.  0 or -1.
 */
int schemagen_upgrade(schemagen *sg, const char *target, size_t *napplied);

/*
 * `schemagen check`: 0 when models, migrations and database agree, 1 when
 * they do not, -1 on error.  *json (may be NULL) receives the result as
 * `schemagen check --format json` prints it (docs/json.md): differences,
 * problems, pending revisions.
 */
int schemagen_check(schemagen *sg, const char **json);

/* The errors (and warnings) of the last call. */
size_t schemagen_error_count(const schemagen *sg);
const schemagen_error *schemagen_error_get(const schemagen *sg, size_t i);

#ifdef __cplusplus
}
#endif

#endif
