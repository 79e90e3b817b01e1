/* SPDX-License-Identifier: MIT */
/*
 * cli.h - what the commands share (src/cli/): the run context, option
 * parsing, where the databases come from, and the pipeline stages that
 * several commands run (load models, materialise them in a scratch
 * database, introspect, plan).  Private to src/cli and src/main.c.
 */
#ifndef SG_CLI_H
#define SG_CLI_H

#include <getopt.h>
#include <pthread.h>
#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "schemagen/config.h"
#include "schemagen/diag.h"
#include "schemagen/embedded.h"
#include "schemagen/quote.h"
#include "schemagen/runner.h"
#include "schemagen/script.h"
#include "schemagen/store.h"

struct sg_arena;
struct sg_catalog;
struct sg_conn;

/* Exit codes (diff(1), grep(1)). */
enum { EXIT_OK = 0, EXIT_DIFF = 1, EXIT_ERR = 2 };

/* Where the target database comes from. */
enum target_source {
	TARGET_FLAG,       /* --url */
	TARGET_ENV,        /* DATABASE_URL */
	TARGET_CONFIG,     /* database_url: in schemagen.yaml */
	TARGET_LIBPQ,      /* PGHOST, PGSERVICE, ... */
	TARGET_EMBEDDED,   /* the embedded server: asked for (--embedded,
			      `embedded` as the URL), or nothing configured
			      and the command only reads */
};

struct sg_ctx {
	struct sg_arena *a;
	const char *cmd;              /* command name, for messages */
	const char *config_path;      /* -c */
	const char *url;              /* --url */
	bool embedded;                /* --embedded */
	/*
	 * Set by the commands that write to the target (upgrade, downgrade,
	 * stamp) before cli_connect(): the embedded server only when asked
	 * for, and the target printed first.
	 */
	bool writes;
	struct sg_config cfg;
	bool config_loaded;
	const char *project_dir;      /* absolute path of the project folder */
	bool online;                  /* revision / diff --online */
	/* the roles the models name (owners, grants, policies, default privileges),
	 * sorted, without PUBLIC; filled by cli_desired() */
	const char **roles;
	size_t nroles;
	bool no_cache;                /* --no-cache: materialise the models */
	/* cli_introspect(): no warning for hidden user mapping options (dump
	 * says its own) */
	bool quiet_hidden_options;
	/* --format json (json.c): the document's writer, NULL for text */
	struct sg_json *json;
	bool want_json;               /* --json / --format json was given */
	/* check's problems in a document (cli_problem()) */
	struct cli_problem { const char *kind, *message, *fix; } *problems;
	size_t nproblems, problems_cap;
};

/*
 * A command: argv[0] is the command name; options are parsed by the command
 * with cli_getopt().  Returns an exit code.
 */
struct sg_cmd {
	const char *name;
	int (*fn)(struct sg_ctx *ctx, int argc, char **argv);
	const char *usage;            /* "revision -m MSG [--autogenerate]" */
	const char *summary;
};

extern const struct sg_cmd sg_commands[];
extern const size_t sg_ncommands;

/*
 * getopt_long over a command's own options plus the global ones (--url,
 * -c/--config, -q, -v, --help), which may come before or after the command.
 * Returns the option, -1 at the end; handles globals itself (returns 0 for
 * them), prints usage and returns '?' for errors; 'h' means --help was
 * printed and the command should return EXIT_OK.
 */
int cli_getopt(struct sg_ctx *ctx, int argc, char **argv, const char *shortopts,
	       const struct option *longopts, const struct sg_cmd *cmd);
/*
 * The options of a command that has none of its own and takes no
 * argument: the global ones and --help.  Returns -1 when the command goes
 * on, else the exit status it returns (EXIT_OK after --help).
 */
int cli_no_options(struct sg_ctx *ctx, int argc, char **argv,
		   const struct sg_cmd *cmd);
const struct sg_cmd *cli_find(const char *name);
void cli_usage(const struct sg_cmd *cmd, bool to_stderr);
/* help.c: the full help of a command (what --help prints), the top-level
 * help, a command's one line, and the hidden __man / __complete commands
 * (man pages and shell completions are made from these texts). */
void cli_usage_to(const struct sg_cmd *cmd, FILE *f);
void cli_help_main(FILE *f);
const char *cli_brief(const struct sg_cmd *cmd);
int cli_hidden(struct sg_ctx *ctx, int argc, char **argv);
int cli_usage_error(const struct sg_cmd *cmd, const char *fmt, ...) SG_PRINTF(2, 3);

/*
 * schemagen.yaml: -c FILE, else the nearest schemagen.yaml in the working
 * directory or above it (as git finds .git), else defaults (the project
 * folder is then the working directory).  A .env file beside it is read
 * first (KEY=VALUE lines; the environment wins).
 */
int cli_load_config(struct sg_ctx *ctx);

/*
 * The project's own database on the embedded server:
 * schemagen_<folder name slug>_<8 hex digits hashed from its absolute path>.
 */
const char *cli_embedded_dbname(struct sg_ctx *ctx);

/* The target connection string and where it came from (arena copies). */
int cli_target(struct sg_ctx *ctx, const char **conninfo, enum target_source *src);
/* True when a database is configured (anything but the embedded default). */
bool cli_has_target(struct sg_ctx *ctx);
/*
 * Connects to the target, saying which database is used when verbose;
 * when ctx->writes, prints "target: host:port/db as user" on stderr first
 * (unless quiet).
 */
struct sg_conn *cli_connect(struct sg_ctx *ctx);

/* The runner's options from schemagen.yaml (names, lock wait, timeouts). */
void cli_runner_opts(struct sg_ctx *ctx, struct sg_runner_opts *o);

/*
 * Options the commands that run migrations share (upgrade, downgrade,
 * stamp): their getopt codes, and cli_runner_flag(), which applies one to
 * o.  Returns 1 when c was one of them, 0 when not, -1 after a usage
 * error (printed).
 */
enum {
	OPT_SQL = 0x200,
	OPT_SINGLE,
	OPT_NO_SINGLE,
	OPT_LOCK_WAIT,
	OPT_LOCK_TIMEOUT,
	OPT_STATEMENT_TIMEOUT,
	OPT_ACCEPT,
	OPT_PURGE,
	OPT_FORCE_IRREVERSIBLE,
};
int cli_runner_flag(struct sg_ctx *ctx, const struct sg_cmd *cmd, int c,
		    const char *arg, struct sg_runner_opts *o);

/* --lock-wait and lock_wait: a bare number is seconds.  -1 when invalid. */
long cli_lock_wait_ms(const char *s);

/*
 * Revisions a reference names: what store_resolve() takes, and `current`
 * (the database's heads; needs conn).  Prints an error and returns -1.
 */
int cli_resolve(struct sg_ctx *ctx, const struct sg_revgraph *g,
		struct sg_conn *conn, const char *ref,
		struct sg_revision ***out, size_t *n);

/* A new branch label: a valid name no revision has as id or label. */
int cli_check_label(const struct sg_revgraph *g, const char *label);

/* "abc123 (label1, label2)": an id with its branch labels. */
const char *cli_rev_name(struct sg_ctx *ctx, const struct sg_revision *r);

/* The revision graph of migrations_dir; prints diagnostics. */
int cli_load_graph(struct sg_ctx *ctx, struct sg_revgraph *g);

/* Marks r and its ancestors in mark[] (indexed by sg_revision.order). */
void cli_mark_ancestors(const struct sg_revision *r, bool *mark);
/* The revision with exactly this id, or NULL (no message). */
struct sg_revision *cli_revision_by_id(const struct sg_revgraph *g, const char *id);

/* The introspection options of the configuration (schema filter, own
 * tables, hidden options quiet when the command asks). */
struct sg_introspect_opts cli_introspect_opts(const struct sg_ctx *ctx);
/* Reads the live database (config's schema filter, own tables left out). */
int cli_introspect(struct sg_ctx *ctx, struct sg_conn *c, struct sg_catalog **out);
/*
 * The model database read back after an incremental step (the plan run
 * in it, from prev): only the relations it touched, merged into prev
 * (partial.c).  NULL and *out (prev used up); else why not (prev intact:
 * the caller reads it whole).
 */
struct sg_plan;
const char *cli_partial_read(struct sg_ctx *ctx, struct sg_conn *c,
			     const struct sg_plan *plan, struct sg_catalog *prev,
			     struct sg_catalog **out);

/*
 * The desired catalog: loads the models, creates them in a scratch database
 * (errors point into the YAML files), reads them back.  The scratch database
 * is dropped before returning.
 */
int cli_desired(struct sg_ctx *ctx, struct sg_catalog **out);

/*
 * Owners are managed only when the models name one (`owner:` or
 * default_owner): otherwise the live catalog's are forgotten, so adopting
 * a database neither reports nor restores them.
 */
void cli_owners(const struct sg_catalog *desired, struct sg_catalog *live);

/*
 * The migrations replayed up to the heads, read back (check without a
 * database): cached by the chain of revisions, else brought up to date
 * incrementally in the project's replay database (replay.c).  Once they
 * are replayed, g's texts and bodies are dropped (store_drop_bodies()).
 */
int cli_replayed(struct sg_ctx *ctx, struct sg_revgraph *g,
		 struct sg_catalog **out);

/*
 * Before migrations are replayed on the scratch server: the roles the
 * models name, and those the migrations' upgrade statements name (an
 * owner or grantee of an object a later revision dropped: roles are the
 * cluster's, no migration creates them), created there as for
 * materialising the models (NOLOGIN on the embedded server; a dev_url
 * server lacking one is an error at the model line, else the migration
 * statement, naming it).  Loads the models for them; sets ctx->roles (the
 * models' roles only).
 */
/*
 * The models' global default privileges without for_role (the running
 * role's) granting to the role connected as: errors at each grantee
 * (PostgreSQL keeps nothing for such a grant).  -1 after printing them.
 */
int cli_running_role_grants(struct sg_ctx *ctx, struct sg_conn *conn,
			    const struct sg_catalog *desired);

struct sg_scratch;
int cli_replay_roles(struct sg_ctx *ctx, struct sg_scratch *srv,
		     const struct sg_revgraph *g);

/*
 * Upgrade and downgrade scripts between two catalogs; *nchanges receives the
 * number of changes of the upgrade.  Prints diagnostics on failure.
 */
struct sg_changes;
int cli_plan(struct sg_ctx *ctx, const struct sg_catalog *from,
	     const struct sg_catalog *to, struct sg_script *up,
	     struct sg_script *down, struct sg_changes *changes);

/*
 * "hazards: 2 data-loss, 1 table-rewrite (see WHERE)" for an upgrade, on
 * stderr (nothing for a script without hazards, or with -q).  The
 * downgrade's are in its `-- hazard:` lines only: undoing a creation
 * always drops.
 */
void cli_hazard_summary(const struct sg_script *up, const char *where);

/*
 * lint (lint.c): prints the hazards of the upgrade sections of revs, each
 * `file:line: hazard NAME: what`; EXIT_DIFF when one is not allowed,
 * EXIT_ERR when a file has errors.  cli_lint_pending() lints the pending
 * revisions (all of them when no database is configured).
 */
int cli_lint_revisions(struct sg_ctx *ctx, struct sg_revision *const *revs,
		       size_t n);
int cli_lint_pending(struct sg_ctx *ctx, const struct sg_revgraph *g);

/* check --roundtrip (roundtrip.c): exit code. */
int cli_roundtrip(struct sg_ctx *ctx, const struct sg_revgraph *g);

/* Prints diagnostics collected in d (sorted) and returns EXIT_ERR. */
int cli_diags(struct sg_diags *d);

/*
 * --format json (json.c, docs/json.md).  SG_JSON_VERSION is the document's
 * "schemagen_json": raised when a member changes meaning or goes away
 * (adding members does not raise it).
 */
#define SG_JSON_VERSION 1
struct sg_json;
struct sg_changes;
struct sg_change;
bool cli_json_supported(const char *cmd);
/* Opens the document (and the sink that collects errors): main.c. */
void cli_json_begin(struct sg_ctx *ctx);
/* Adds exit_code, errors, warnings, closes and prints the document. */
void cli_json_finish(struct sg_ctx *ctx, int rc);
/* The members every document ends with (errors from sink), closing it. */
void cli_json_close(struct sg_ctx *ctx, int rc, const struct sg_diag_sink *sink);
/* Drops the document unprinted (after --help). */
void cli_json_abandon(struct sg_ctx *ctx);
void cli_json_ids(struct sg_json *j, const char *key, const char *const *ids, size_t n);
/*
 * A revision object; st and applied (by sg_revision.order, see
 * cli_applied_marks()) NULL when the database was not read.
 */
void cli_json_rev(struct sg_ctx *ctx, const char *key, const struct sg_revision *r,
		  const struct sg_db_state *st, const bool *applied);
/* The same members, into an object the caller opened (and closes). */
void cli_json_rev_members(struct sg_ctx *ctx, const struct sg_revision *r,
			  const struct sg_db_state *st, const bool *applied);
bool *cli_applied_marks(struct sg_ctx *ctx, const struct sg_revgraph *g,
			const struct sg_db_state *st);
/* {"data-loss": 2, ...}: the hazards of a script's statements. */
void cli_json_hazards(struct sg_json *j, const char *key, const struct sg_script *s);
/* Whether check lists a change (children of new/dropped tables do not). */
bool cli_change_visible(const struct sg_changes *changes, const struct sg_change *ch);
/* A difference object (kind, object, change, destructive, description). */
void cli_json_change(struct sg_ctx *ctx, const struct sg_change *ch, const char *description);
/* upgrade, downgrade, stamp: target, from, to, applied (docs/json.md). */
struct sg_run_report;
void cli_json_run(struct sg_ctx *ctx, const char *target, const struct sg_run_report *rep);
/* --sql in a document: the SQL goes into a memory stream, then "sql". */
FILE *cli_json_sql_begin(struct sg_ctx *ctx, char **buf, size_t *len);
void cli_json_sql_end(struct sg_ctx *ctx, FILE *f, char **buf, size_t *len);
/*
 * One of check's problems (kind: multiple_heads, unknown_revision,
 * changed_revision, pending_revision, missing_role, roundtrip): printed
 * as the text plus "  fix: FIX" lines, or kept for the document's
 * "problems" (cli_json_problems()).  The text ends with a newline.
 */
void cli_problem(struct sg_ctx *ctx, const char *kind, const char *fix,
		 const char *fmt, ...) SG_PRINTF(4, 5);
void cli_json_problems(struct sg_ctx *ctx);
/* True once --help printed a command's usage (no document then). */
extern bool cli_help_printed;

/* The commands. */
int cmd_init(struct sg_ctx *ctx, int argc, char **argv);
int cmd_revision(struct sg_ctx *ctx, int argc, char **argv);
int cmd_upgrade(struct sg_ctx *ctx, int argc, char **argv);
int cmd_downgrade(struct sg_ctx *ctx, int argc, char **argv);
int cmd_current(struct sg_ctx *ctx, int argc, char **argv);
int cmd_history(struct sg_ctx *ctx, int argc, char **argv);
int cmd_heads(struct sg_ctx *ctx, int argc, char **argv);
int cmd_branches(struct sg_ctx *ctx, int argc, char **argv);
int cmd_show(struct sg_ctx *ctx, int argc, char **argv);
int cmd_stamp(struct sg_ctx *ctx, int argc, char **argv);
int cmd_merge(struct sg_ctx *ctx, int argc, char **argv);
int cmd_check(struct sg_ctx *ctx, int argc, char **argv);
int cmd_diff(struct sg_ctx *ctx, int argc, char **argv);
int cmd_dump(struct sg_ctx *ctx, int argc, char **argv);
int cmd_lint(struct sg_ctx *ctx, int argc, char **argv);
int cmd_embedded(struct sg_ctx *ctx, int argc, char **argv);

/*
 * The cached model catalog (cache.c): the key of the models, schemagen
 * and the scratch server (srv connected by sg_scratch_server()); the
 * catalog stored under that key (NULL when there is none: -v says why);
 * storing one (failures only said with -v).
 */
struct sg_scratch;
int cli_cache_key(struct sg_ctx *ctx, struct sg_scratch *srv,
		  const char *models_digest, char key[65]);
struct sg_catalog *cli_cache_load(struct sg_ctx *ctx, const char key[65]);
void cli_cache_store(struct sg_ctx *ctx, const char key[65],
		     const struct sg_catalog *cat);
/*
 * The live database introspected on a thread of its own while the models
 * are materialised (common.c): start (c is the thread's until the join),
 * join
 * (the catalog, or -1 after the error was printed).
 */
struct cli_bg {
	pthread_t thread;
	bool threaded;
	struct sg_ctx ctx;
	struct sg_conn *conn;
	struct sg_catalog *cat;
	int rc;
};
void cli_introspect_start(struct sg_ctx *ctx, struct sg_conn *c, struct cli_bg *bg);
int cli_introspect_join(struct sg_ctx *ctx, struct cli_bg *bg, struct sg_catalog **out);
/*
 * A file in the cache file's format (cache.c): its key, payload and the
 * payload's hash, checked (-1: not one, or damaged); cli_cache_file_check()
 * the same of the file at path, read in pieces (its key and hash, not its
 * payload; -2: it cannot be opened).  Writing one, streamed: cli_cache_open() makes the temporary
 * file and writes the header (-1 with errno), cli_cache_put() (a
 * sg_catalog_serialise_to() sink) appends to the payload, cli_cache_close()
 * puts the payload's hash in the header and renames the file into place
 * (-1 with errno: nothing written; *size, when not NULL, the file's size).
 */
int cli_cache_payload(const char *data, size_t len, char key[65],
		      const char **payload, size_t *plen, uint64_t *hash);
int cli_cache_file_check(const char *path, char key[65], uint64_t *hash);
struct cli_cache_out {
	struct sg_afile f;
	uint64_t hash;          /* of the payload so far */
};
int cli_cache_open(struct sg_ctx *ctx, struct cli_cache_out *o, const char *path,
		   const char key[65]);
void cli_cache_put(void *o, const void *data, size_t len);
int cli_cache_close(struct cli_cache_out *o, uint64_t *size);
/*
 * The models' catalog as `diff` uses it, kept beside the model cache
 * (warm.c): with the models unchanged it is read without parsing them.
 * cli_warm_read() needs no server (NULL: none for these models);
 * cli_warm_take() checks it against the key and the model cache file and
 * returns the catalog, NULL (nothing said) when anything differs;
 * cli_warm_store() writes it for the catalog stored under key.
 */
struct cli_warm;
struct cli_warm *cli_warm_read(struct sg_ctx *ctx, const char digest[65]);
struct sg_catalog *cli_warm_take(struct sg_ctx *ctx, struct sg_scratch *srv,
				 const char digest[65], struct cli_warm *w);
/* Lets go of what cli_warm_read() read, when cli_warm_take() is not called. */
void cli_warm_drop(struct cli_warm *w);
void cli_warm_store(struct sg_ctx *ctx, const char key[65], const char digest[65],
		    const struct sg_catalog *desired);
/* The path of the project's cache file of extension ext; NULL: no cache. */
const char *cli_cache_file(struct sg_ctx *ctx, const char *ext);
/*
 * The model database's digests of the models it holds (modeldb.c):
 * written beside the model cache under its key; NULL when there are none
 * for that key.  cli_modeldb_filter() keeps, of the changes from prev (the
 * catalog it holds) to model, those of objects that changed (its own
 * work allocated from a); non-NULL: why the change cannot be made
 * incrementally (a new database is made).
 */
struct cli_digests;
void cli_digests_store(struct sg_ctx *ctx, const char key[65],
		       const struct sg_catalog *model);
struct cli_digests *cli_digests_load(struct sg_ctx *ctx, struct sg_arena *a,
				     const char key[65]);
/*
 * The readers of the two files, on their bytes (tests/fuzz/fuzz-cache.c):
 * NULL when anything is wrong (*why says what, for the cache file; key
 * NULL: any key, *got the one it has).
 */
struct sg_catalog *cli_cache_parse(struct sg_arena *a, const char *data, size_t len,
				   const char *key, char *got, const char **why);
struct cli_digests *cli_digests_parse(struct sg_arena *a, const char *data,
				      size_t len, const char key[65]);
/* And their writers, into sb (tests/fuzz/gen-cache-seeds.c too). */
struct sbuf;
void cli_cache_format(struct sbuf *sb, const char key[65], const char *project,
		      const struct sg_catalog *cat);
void cli_digests_format(struct sg_arena *a, struct sbuf *sb, const char key[65],
			const struct sg_catalog *model);
struct sg_changes;
const char *cli_modeldb_filter(struct sg_arena *a, const struct cli_digests *dg,
			const struct sg_catalog *prev, const struct sg_catalog *model,
			struct sg_changes *changes);
/*
 * For the incremental step: gives every object of model without `grants:`
 * (of a kind with privileges, outside default privileges) the grants a
 * new model database would hold, PostgreSQL's defaults after CREATE (an
 * object of the empty database, fresh: the grants it has there), so
 * that taking `grants:` out of a model is a change the diff makes
 * (REVOKE what was granted).  Returns what to hand to
 * cli_modeldb_grants_restore(), which puts the models back as written.
 */
struct cli_saved_grants;
struct cli_saved_grants *cli_modeldb_grants_default(struct sg_arena *a,
						    struct sg_catalog *model,
						    const struct sg_catalog *fresh);
void cli_modeldb_grants_restore(struct cli_saved_grants *s);
/*
 * The same for `owner:` taken out of a model (the previous models, dg,
 * named an owner, these name none): the owner a new model database gives
 * the object -- the one it has in the empty database (fresh: the public
 * schema), else the role materialising the models (current_user on c,
 * asked once when needed) -- so that the diff makes the change (ALTER
 * ... OWNER TO).  NULL after printing a query failure.
 */
struct cli_saved_owners;
struct cli_saved_owners *cli_modeldb_owners_default(struct sg_arena *a,
						    struct sg_conn *c,
						    const struct cli_digests *dg,
						    struct sg_catalog *model,
						    const struct sg_catalog *fresh);
void cli_modeldb_owners_restore(struct cli_saved_owners *s);
/* The catalog in the cache file whatever its key (the key it has in key). */
struct sg_catalog *cli_cache_load_any(struct sg_ctx *ctx, char key[65]);
/* An empty database's catalog (<project>.fresh), under the environment key. */
struct sg_catalog *cli_fresh_cache_load(struct sg_ctx *ctx, const char key[65]);
void cli_fresh_cache_store(struct sg_ctx *ctx, const char key[65],
			   const struct sg_catalog *cat);
/* Is text exactly the schema/public.yaml that `init` writes (untouched)? */
bool cli_is_init_placeholder(const char *text, size_t len);
/*
 * A fingerprint of a database's catalog (replay.c): SHA-256 of the row
 * count and xmin sum of every per-database system catalog, which any DDL
 * changes; -1 after printing a query error.
 */
struct sg_conn;
int cli_catalog_fingerprint(struct sg_conn *c, char out[65]);
/*
 * The model database (modeldb.c): its name; the project's lock; why it
 * cannot be brought up to date incrementally, or NULL (then *conn is
 * connected to it, *prev is the catalog it holds, *fresh an empty
 * database's); a new one (dropped first); dropping it; recording what it
 * holds.  Stderr held back (cli_quiet_begin() gives the saved descriptor).
 */
const char *cli_modeldb_name(struct sg_ctx *ctx);
int cli_modeldb_lock(struct sg_ctx *ctx, struct sg_scratch *srv, const char *name);
const char *cli_modeldb_usable(struct sg_ctx *ctx, struct sg_scratch *srv,
			       const char *name, const char env[65],
			       struct sg_conn **conn, struct sg_catalog **prev,
			       struct sg_catalog **fresh, char key[65]);
struct sg_conn *cli_modeldb_create(struct sg_ctx *ctx, struct sg_scratch *srv,
				   const char *name);
void cli_modeldb_drop(struct sg_scratch *srv, const char *name);
int cli_modeldb_seal(struct sg_ctx *ctx, struct sg_scratch *srv, const char *name,
		     struct sg_conn *c, const char env[65], const char key[65]);
/*
 * The server's version in the model and replay databases' records: its
 * server_version_num, 6 digits; NULL when rec's is the server's, else why
 * not (an upgrade in place keeps the databases and their comments).
 */
const char *cli_record_version(struct sg_ctx *ctx, struct sg_conn *admin);
const char *cli_record_version_check(struct sg_ctx *ctx, struct sg_conn *admin,
				     const char *rec);
int cli_quiet_begin(void);
extern bool cli_quiet_used;   /* stderr was held back at some point */
void cli_quiet_end(int fd);
/* The same for the replayed migrations (<project>.replay; replay.c). */
struct sg_catalog *cli_replay_cache_load(struct sg_ctx *ctx, const char key[65]);
void cli_replay_cache_store(struct sg_ctx *ctx, const char key[65],
			    const struct sg_catalog *cat);

#endif
