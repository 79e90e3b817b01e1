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

#include <stddef.h>

struct sg_conn;
struct sg_catalog;

struct sg_introspect_opts {
	const char *const *schemas; /* managed schemas; NULL/0: all non-system */
	size_t nschemas;
	/* tables to leave out (schemagen's own bookkeeping) */
	const char *version_schema;
	const char *version_table;
	const char *history_table;
};

/*
 * Fills cat (new, unfinished) with every object of the database, with
 * dependencies from pg_depend mapped onto the objects, and finishes it.
 * Returns 0, or -1 after printing the query failure.
 */
int introspect_catalog(struct sg_conn *c, const struct sg_introspect_opts *o,
		       struct sg_catalog *cat);

#endif
