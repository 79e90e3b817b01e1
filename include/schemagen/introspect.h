/* SPDX-License-Identifier: MIT */
/*
 * introspect.h - reading a catalog from a live database (src/introspect/).
 *
 * One REPEATABLE READ, READ ONLY transaction with search_path set to
 * pg_catalog, so every name in the server's deparsed text is
 * schema-qualified.  One query per object kind, per-table details batched
 * (pg_dump's getTableAttrs): the number of queries does not depend on the
 * number of objects.  System schemas, temporary schemas, extension members
 * and the version and history tables are left out.
 */
#ifndef SG_INTROSPECT_H
#define SG_INTROSPECT_H

#include <stdbool.h>
#include <stddef.h>

#include "schemagen/model.h"

struct sg_conn;
struct sg_catalog;

struct sg_introspect_opts {
	const char *const *schemas; /* managed schemas; NULL/0: all non-system */
	size_t nschemas;
	/*
	 * tables to leave out (schemagen's own bookkeeping), with the
	 * sequences they own; version_schema NULL means public
	 */
	const char *version_schema;
	const char *version_table;
	const char *history_table;
	/*
	 * "{oid,...}": only these tables and views (and what hangs under
	 * them) are read; NULL: every one.  For introspect_partial().
	 */
	const char *relations;
	/* no warning for user mappings whose options pg_user_mappings hides
	 * (options_hidden): the caller says its own (dump) */
	bool quiet_hidden_options;
};

/*
 * Fills cat (new, unfinished) with every object of the database, with
 * dependencies from pg_depend mapped onto the objects, and finishes it.
 * Returns 0, or -1 after printing the query failure (cat is then left
 * unfinished and must not be used).
 *
 * o may be NULL: every non-system schema, nothing else left out.  On a
 * connection already inside a transaction the caller's snapshot is used and
 * a savepoint confines the search_path change; otherwise the queries run in
 * a transaction of their own.  The caller's search_path is unchanged
 * afterwards either way.  Needs PostgreSQL 12 or later.
 *
 * Every object gets its catalog oid; a column, which has none of its own,
 * gets its table's.  Dependency types are 'n' and 'a' (pg_depend's), plus
 * 'n' for every top-level object -> its schema.
 */
int introspect_catalog(struct sg_conn *c, const struct sg_introspect_opts *o,
		       struct sg_catalog *cat);

/*
 * Adds to `models` (a catalog loaded from model files, finished) what the
 * server's extension control files say the models cannot: that an
 * extension requires another (earthdistance requires cube), as 'm'
 * dependencies between the models' extensions, so that the required one is
 * created first when the models are materialised.  One query on c; the
 * version looked up is the model's, or the server's default.  Returns 0,
 * or -1 after printing the query failure.
 */
int introspect_extension_requires(struct sg_conn *c, struct sg_catalog *models);

/*
 * Reads back a database that holds prev (a finished catalog read from it,
 * or made by this function) but for the tables and views named (schemas[i],
 * names[i]), which a change made, altered or dropped: those are read again,
 * and the result merged into prev is what introspect_catalog() would give
 * (src/introspect/partial.c).  0: *out is the catalog, and prev's objects
 * are *out's (prev is left empty); 1: it cannot vouch for the result, *why
 * says why, prev is intact (read everything); -1 after printing a query
 * failure.
 */
int introspect_partial(struct sg_conn *c, const struct sg_introspect_opts *o,
		       struct sg_catalog *prev, const char *const *schemas,
		       const char *const *names, size_t n, struct sg_catalog **out,
		       const char **why);

/*
 * Does introspection read this kind: a loader in introspect.c's table, run
 * once, and its system catalog in the pg_depend query?  (tests/unit/t-kinds)
 */
bool introspect_kind_loaded(enum sg_kind kind);

#endif
