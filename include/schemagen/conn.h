/* SPDX-License-Identifier: MIT */
/*
 * conn.h - database connections (src/pg/conn.c).  Modules that must see
 * libpq (introspect/, runner/) include pgconn.h for the PGconn behind it.
 */
#ifndef SG_CONN_H
#define SG_CONN_H

#include <stdbool.h>

struct sg_arena;
struct sg_conn;

/*
 * Connects with a libpq URI or key=value string (NULL or "": libpq's own
 * defaults and environment).  Sets client_min_messages=warning,
 * standard_conforming_strings=on and application_name=schemagen.  On failure
 * prints "invalid connection string <masked>: <reason>" or "could not
 * connect to <masked>: <libpq message>", the message passed through
 * sg_conn_scrub(), and returns NULL.
 */
struct sg_conn *sg_conn_open(const char *conninfo);
void sg_conn_close(struct sg_conn *c);

/* The connection string with any password replaced by "****". */
const char *sg_conn_display(const struct sg_conn *c);
/*
 * Masks the password of a URI or key=value string (arena copy): the user
 * info's password (to the last '@' before the first '/'), query parameters
 * whose key decodes to "password", password= values, and the same inside a
 * dbname that libpq expands as a connection string.
 */
char *sg_url_mask(struct sg_arena *a, const char *conninfo);
/*
 * text (a libpq message about conninfo) with the whole conninfo replaced by
 * its masked form and every form of its password (as written, unquoted,
 * percent-decoded, percent-encoded, and as libpq parsed it) by "****".
 * Every libpq message about a connection string passes through here.
 */
char *sg_conn_scrub(struct sg_arena *a, const char *conninfo, const char *text);

/*
 * A URI with a driver part, as SQLAlchemy writes them
 * ("postgresql+psycopg://", "+psycopg2", "+asyncpg", any +NAME of
 * letters, digits and underscores), without it: "postgresql://..." (arena
 * copy).  Anything else is returned as it is.  sg_conn_open() and
 * sg_conninfo_with_db() apply it; sg_url_mask() reads both forms.
 */
const char *sg_conninfo_strip_driver(struct sg_arena *a, const char *conninfo);

/* Runs a command (no result rows wanted); prints the error and returns -1. */
int sg_conn_exec(struct sg_conn *c, const char *sql);
/* Runs a query expected to return one value; arena copy, NULL on error or no row. */
char *sg_conn_value(struct sg_conn *c, struct sg_arena *a, const char *sql);
/*
 * Can PostgreSQL convert a value of type `from` to type `to` (both type
 * names as format_type() writes them, the text a migration carries)?  1
 * yes, 0 no cast exists (SQLSTATE 42846), -1 unknown (a type this
 * database does not have, or any other error); prints nothing.
 */
int sg_conn_can_cast(struct sg_conn *c, const char *from, const char *to);

/*
 * Does extension `name` have an update path from version `from` to `to`
 * on this server (pg_extension_update_paths)?  1 yes, 0 no, -1 unknown
 * (not available here, or any other error); prints nothing.
 */
int sg_conn_extension_path(struct sg_conn *c, const char *name,
			   const char *from, const char *to);
/* server_version_num */
int sg_conn_server_version(const struct sg_conn *c);
/* Name of the database the connection is on. */
const char *sg_conn_dbname(const struct sg_conn *c);
/*
 * Builds a connection string for another database on the same server:
 * conninfo with dbname replaced (arena copy).
 */
char *sg_conninfo_with_db(struct sg_arena *a, const char *conninfo,
			  const char *dbname);

#endif
