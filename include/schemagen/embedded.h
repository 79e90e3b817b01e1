/* SPDX-License-Identifier: MIT */
/*
 * embedded.h - the PostgreSQL cluster schemagen runs itself
 * (src/runner/embedded.c), and scratch databases.
 *
 * The cluster lives in $SCHEMAGEN_HOME, else $XDG_CACHE_HOME/schemagen, else
 * ~/.cache/schemagen (as root: /var/tmp/schemagen-root, since the server then
 * runs as an unprivileged user who cannot enter /root).  There is one
 * cluster per major version (<home>/pg<major>), started from that version's
 * server programs: see sg_pg_want.  The server listens on a unix socket in a 0700
 * directory only (listen_addresses=''), trusts local connections, is started
 * once and left running for the next command; starting is serialised with a
 * lock file so concurrent commands share one server.
 */
#ifndef SG_EMBEDDED_H
#define SG_EMBEDDED_H

#include <stdbool.h>
#include <stddef.h>

struct sg_arena;
struct sg_conn;
struct sg_config;
struct sg_pg_bindir;

/*
 * The major version the embedded server must run: the target database's
 * (set when the command connects to it), else postgres_version from
 * schemagen.yaml; 0 when neither is known.  Its server programs are looked
 * for in $SCHEMAGEN_PG_BINDIR_<major>, `dirs` (postgres_versions: in
 * schemagen.yaml), $SCHEMAGEN_PG_BINDIR when it holds that version,
 * /usr/lib/postgresql/<major>/bin, `pg_config --bindir`, PATH, and
 * ${SCHEMAGEN_PG_CACHE:-/var/tmp/schemagen-pg}/<major>/ (where
 * tools/pg-versions.sh installs them).  None found: an error naming the
 * version, or with allow_mismatch a warning and $SCHEMAGEN_PG_BINDIR or
 * the newest version found.  major 0: $SCHEMAGEN_PG_BINDIR, else the
 * newest version installed on the system (Debian's folders, pg_config,
 * PATH), else the newest in the cache.  A dev_url server of another major version is
 * refused (or warned about) the same way, by sg_scratch_open().
 */
struct sg_pg_want {
	int major;
	const char *why;    /* "the database runs PostgreSQL 17.2" */
	bool allow_mismatch;
	const struct sg_pg_bindir *dirs;
	size_t ndirs;
};
extern struct sg_pg_want sg_pg_want;

/*
 * Makes sure the cluster exists and runs (initdb and start on first use) and
 * returns a conninfo for dbname on it (arena copy), creating that database
 * when create_db is true and it does not exist.  Prints what went wrong
 * (with the server log's tail) and returns NULL on failure.
 *
 * The conninfo is "host=<home>/pg<major>/run port=5432 user=schemagen
 * dbname=<dbname>", each value single-quoted (libpq style) when it needs
 * it; dbname NULL or "" means "postgres".  When the server already runs
 * this costs about 10 ms in a new process (finding the programs and a
 * PQping), 2 ms on later calls in the same process.
 */
char *sg_embedded_conninfo(struct sg_arena *a, const char *dbname,
			   bool create_db);

/* The major version of the server programs the embedded cluster would run
 * (sg_pg_want), without starting anything; 0 after printing why not. */
int sg_embedded_programs_major(void);

/* Stops the cluster if it runs; 0 when stopped or not running, -1 (printed)
 * on failure. */
int sg_embedded_stop(void);
/*
 * Prints the status on stdout, e.g.
 *
 *     home:     /var/tmp/schemagen-root
 *     data:     /var/tmp/schemagen-root/pg15/data
 *     socket:   /var/tmp/schemagen-root/pg15/run
 *     programs: /usr/lib/postgresql/15/bin (PostgreSQL 15.4)
 *     server:   running (PostgreSQL 15.4 (Debian ...), PID 1234, user postgres)
 *
 * ("data: ... (not initialised)", "server:   stopped" or "not created yet"
 * otherwise).  0, or -1 after printing why (e.g. no server programs).
 */
int sg_embedded_status(void);
/* The directory the cluster lives in (malloc'd; a relative $SCHEMAGEN_HOME
 * is made absolute), or NULL after printing why (no HOME). */
char *sg_embedded_home(void);

/*
 * A scratch database: a fresh, empty database on dev_url's server (the
 * dev_url role needs CREATEDB) or on the embedded cluster, dropped by
 * sg_scratch_close().  Leftover scratch databases of processes that died
 * are dropped when the next one is made.
 *
 * The server is cfg->dev_url, else $SCHEMAGEN_DEV_URL, else the embedded
 * cluster's "postgres" database (cfg may be NULL).  Scratch databases are
 * named sg_scratch_<hostid>_<pid>_<n>, where hostid is 8 hex digits hashed
 * from the host name and the PID namespace: "this host" means "where that
 * PID can be checked with kill(pid, 0)", and only those are ever cleaned up.
 */
struct sg_scratch {
	struct sg_conn *conn;      /* connected to the scratch database */
	const char *conninfo;      /* its connection string */
	const char *dbname;
	const char *admin_conninfo;  /* where it was created from */
	/* Added: the admin connection, kept open so that close need not
	 * connect again (NULL once closed). */
	struct sg_conn *admin;
	bool embedded;               /* on the embedded cluster (not dev_url) */
	const char *source;          /* "dev_url", "SCHEMAGEN_DEV_URL"; NULL: embedded */
};

/* The hostid of scratch database names (8 hex digits and a NUL). */
void sg_scratch_host_id(char out[9]);
/* 0, or -1 after printing what failed (*out is then all NULL). */
int sg_scratch_open(struct sg_arena *a, const struct sg_config *cfg,
		    struct sg_scratch *out);
/*
 * sg_scratch_open() in two steps: sg_scratch_server() chooses the server
 * and connects to it (out->admin; the version checks), without creating
 * anything; sg_scratch_create() then makes the database (on failure it
 * closes out).  Between them the server can be asked things (the cached
 * model catalog's key); sg_scratch_close() ends either.
 */
int sg_scratch_server(struct sg_arena *a, const struct sg_config *cfg,
		      struct sg_scratch *out);
int sg_scratch_create(struct sg_arena *a, struct sg_scratch *out);
/*
 * Sets, on the scratch connection, what pg_dump sets at the top of a dump
 * so that a valid dump always loads: check_function_bodies off (a body may
 * name what comes later or what the same change drops), no timeouts,
 * standard_conforming_strings on, xmloption content, row_security off,
 * client_min_messages warning.  0, or -1 (printed).
 */
int sg_scratch_restore_settings(struct sg_scratch *s);
/*
 * Makes sure the scratch server has the roles the models name (n names,
 * never "public").  On the embedded cluster the missing ones are created
 * (NOLOGIN, no privileges: they only need to exist); on a dev_url server
 * nothing is created.  Returns the number of roles still missing (their
 * names in missing[], arena copies), or -1 (printed).
 */
int sg_scratch_roles(struct sg_arena *a, struct sg_scratch *s,
		     const char *const *roles, size_t n, const char **missing);
/* Disconnects and drops the database (a warning when that fails); safe to
 * call twice or on a failed open. */
void sg_scratch_close(struct sg_scratch *s);

#endif
