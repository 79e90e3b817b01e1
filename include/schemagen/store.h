/* SPDX-License-Identifier: MIT */
/*
 * store.h - migration files and the revision graph (src/store/).
 *
 * One file per revision, migrations/<rev>_<slug>.sql:
 *
 *     -- schemagen revision: 4c1f9a2e7b30
 *     -- parents: 9e0d4c1a77f2
 *     -- message: add status to orders
 *     -- created: 2026-11-21T10:00:00Z
 *
 *     -- +upgrade
 *     ALTER TABLE ...;
 *
 *     -- +downgrade
 *     -- WARNING: drops column public.orders.status and the data in it
 *     ALTER TABLE ...;
 *
 * Header lines are "-- key: value" before the first section marker; the
 * first revision has an empty `parents:`.  Optional header keys:
 * `branch-labels:` and `depends-on:` (comma-separated), `transaction: none`
 * (set by the writer when a statement cannot run in a transaction block;
 * the parser also detects such statements itself), and `lock-timeout:` and
 * `statement-timeout:` (5s, 500ms, 2min: the runner's SET LOCAL values for
 * this revision, over the run's own).
 *
 * Details of the format (store_parse() and store_format() agree on them):
 *  - The header is the run of "--" lines at the top of the file; it ends at
 *    the first other line (a blank line, usually).  Every header line is
 *    `-- key: value` with a known key; free comments go after the header.
 *    `revision:` is accepted for `schemagen revision:`.
 *  - Revision ids and branch labels are 1 to 32 ASCII letters, digits or
 *    underscores (the version table's column is varchar(32)), and not
 *    `head`, `heads` or `base`; the file name starts with `<id>_` (or is
 *    `<id>.sql`).  `created:` is UTC, 2026-11-21T10:00:00Z.
 *  - `transaction: none` makes both sections run outside a transaction;
 *    without it, a section runs outside one when one of its statements
 *    cannot run inside (up_no_transaction / down_no_transaction).
 *  - The section markers are the lines `-- +upgrade` and `-- +downgrade`,
 *    each at most once, upgrade first; both are required (a section may be
 *    empty).  Only comments may come between the header and the first one.
 *  - A statement's sql is the file's text from its first token through its
 *    terminating ';' (each statement must have one), byte for byte; file,
 *    line and col (1-based, columns count characters) say where it starts.
 *    "-- WARNING: x" comment lines right before a statement become its
 *    warning.  Transaction control (BEGIN, COMMIT, ...) is an error.
 */
#ifndef SG_STORE_H
#define SG_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include "schemagen/script.h"

struct sg_arena;
struct sg_diags;
struct sbuf;

struct sg_revision {
	const char *id;
	const char **parents;
	size_t nparents;
	const char **branch_labels;
	size_t nbranch_labels;
	const char **depends_on;
	size_t ndepends_on;
	const char *message;
	const char *created;
	const char *path;
	const char *text;              /* the whole file (NULL once dropped) */
	size_t len;
	char checksum[65];             /* sha256 of the file's bytes */
	struct sg_script up;           /* statements with file, line, col */
	struct sg_script down;
	bool up_no_transaction;        /* some upgrade statement needs it */
	bool down_no_transaction;
	/* downgrade statements preceded by "-- irreversible: REASON" (their
	 * sg_stmt.irreversible): the downgrade cannot restore the upgrade's
	 * change exactly; the runner refuses it unless forced */
	size_t down_irreversible;
	bool transaction_none;         /* the header says `transaction: none` */
	/*
	 * `online: true` (written by revision --autogenerate --online): both
	 * sections run outside a transaction, each statement committed on its
	 * own with the online lock_timeout and retries (runner.h)
	 */
	bool online;
	const char *lock_timeout;      /* header values; NULL when not given */
	const char *statement_timeout;
	/* `-- schemagen: allow NAME` in the header or before the first
	 * section: hazards accepted for every statement (bits by kind) */
	unsigned hz_allowed;
	/*
	 * store_load() reads only the header; up, down and the two
	 * *_no_transaction flags are filled by store_parse_body():
	 * 0 not parsed yet, 1 parsed, -1 parsed with errors.
	 */
	int body_state;
	size_t body_off;               /* the text after the header */
	int body_line;
	struct sg_arena *arena;        /* where the text and the body's
				        * statements go (the graph's bodies) */
	/* filled by store_load() */
	struct sg_revision **parent_revs;   /* nparents entries */
	struct sg_revision **depends_revs;  /* ndepends_on entries */
	struct sg_revision **children;
	size_t nchildren, childcap;
	int order;                     /* position in sg_revgraph.revs */
};

struct sg_revgraph {
	const char *dir;
	/* topological order: parents before children, ties by id */
	struct sg_revision **revs;
	size_t n;
	struct sg_revision **heads;    /* revisions without children, by id */
	size_t nheads;
	struct sg_revision **bases;    /* revisions without parents, by id */
	size_t nbases;
	/* the files' texts and parsed bodies (statements, hazards): a child
	 * of the arena the graph was loaded into, store_drop_bodies() */
	struct sg_arena *bodies;
};

/*
 * Parses one migration file.  Errors (missing or malformed header, unknown
 * section, statements outside a section, SQL the parser rejects) are
 * diagnostics at file:line:col; returns -1 then.
 */
int store_parse(struct sg_arena *a, const char *path, const char *text,
		size_t len, struct sg_revision **out, struct sg_diags *d);

/*
 * The same, but the sections and statements are left for
 * store_parse_body() (which it calls only when the header has errors, so
 * that a broken file reports all its problems at once).  Graph commands
 * need only headers: a large data migration costs its size in memory, not
 * the parse tree of all its statements, until it is applied.
 */
int store_parse_header(struct sg_arena *a, const char *path, const char *text,
		       size_t len, struct sg_revision **out,
		       struct sg_diags *d);

/*
 * A file of plain SQL (no header, no sections), read as the upgrade of a
 * revision with only path, text and up set: what `lint` reads when a file
 * is not a migration.  Diagnostics as store_parse().
 */
int store_parse_plain(struct sg_arena *a, const char *path, const char *text,
		      size_t len, struct sg_revision **out, struct sg_diags *d);

/*
 * Parses the sections and statements of a revision read by
 * store_parse_header() (allocating in the arena it was read into); once,
 * later calls return the first result.  Diagnostics as store_parse().
 */
int store_parse_body(struct sg_revision *r, struct sg_diags *d);
/* store_parse_body() of each; -1 when any has errors. */
int store_parse_bodies(struct sg_revision *const *revs, size_t n,
		       struct sg_diags *d);

/*
 * Loads every *.sql file of dir (headers only: store_parse_header()) and
 * links the graph.  Duplicate ids, unknown parents and cycles are
 * diagnostics.  A missing dir is an empty graph.
 * The files are those sg_dir_files() finds (not recursive): a symbolic link
 * is followed only to a file inside root (the project folder) or dir.
 */
int store_load_project(struct sg_arena *a, const char *root, const char *dir,
		       struct sg_revgraph *g, struct sg_diags *d);
/* store_load_project() with no project folder: links only inside dir. */
int store_load(struct sg_arena *a, const char *dir, struct sg_revgraph *g,
	       struct sg_diags *d);

/*
 * Frees the texts and bodies of g's revisions (g->bodies): text NULL, up
 * and down empty; what the header gave (ids, parents, message, path,
 * checksum, flags) stays.  For a command done with the statements (check,
 * once the migrations are replayed): at 10,000 tables a first revision's
 * text and statements are tens of MB.  store_parse_body() of a dropped
 * revision is a bug.
 */
void store_drop_bodies(struct sg_revgraph *g);

/*
 * Finds a revision by id, unique id prefix or branch label.  On failure
 * prints "no revision matches 'x'" or "revision prefix 'x' is ambiguous:
 * a, b" and returns NULL.
 */
struct sg_revision *store_lookup(const struct sg_revgraph *g, const char *ref);

/*
 * The revisions to apply to go from the applied heads `current` to target
 * (head, heads, REV, prefix, +N, REV+N, branch@head), in application order
 * (parents first).  Prints an error and returns -1 for unknown revisions,
 * `head` with several heads (naming them), or a target below current.
 */
int store_plan_upgrade(struct sg_arena *a, const struct sg_revgraph *g,
		       const char *const *current, size_t ncurrent,
		       const char *target, struct sg_revision ***out,
		       size_t *n);

/*
 * The revisions to revert to go from current down to target (-N, REV,
 * REV-N, base), in reversion order (children first).  Going down to REV
 * reverts what descends from it (through parents and depends-on); other
 * branches stay applied.
 */
int store_plan_downgrade(struct sg_arena *a, const struct sg_revgraph *g,
			 const char *const *current, size_t ncurrent,
			 const char *target, struct sg_revision ***out,
			 size_t *n);

/*
 * The applied heads after applying (up) or reverting (!up) rev on top of
 * heads: the maximal elements of the applied set.  Sorted by id.
 */
void store_heads_after(struct sg_arena *a, const struct sg_revgraph *g,
		       const char *const *heads, size_t nheads,
		       const struct sg_revision *rev, bool up,
		       const char ***out, size_t *nout);

/*
 * Resolves an absolute target (head, heads, base, REV, unique prefix, branch
 * label, X@head, REV+N, REV-N) into the set of revisions it names, sorted by
 * id; base (or REV-N reaching below the first revision) gives n == 0.
 * Relative targets (+N, -N) are refused.  Prints an error and returns -1.
 */
int store_resolve(struct sg_arena *a, const struct sg_revgraph *g,
		  const char *target, struct sg_revision ***out, size_t *n);

/* The heads (maximal elements) of revs and their ancestors, sorted by id. */
int store_heads_of(struct sg_arena *a, const struct sg_revgraph *g,
		   struct sg_revision *const *revs, size_t n,
		   const char ***out, size_t *nout);

/*
 * Revision ids and branch labels: 1 to 32 ASCII letters, digits or
 * underscores, and not head, heads or base.
 */
bool store_valid_name(const char *s);

/*
 * A lock or statement timeout as the header, the command line and
 * schemagen.yaml take it: digits with an optional unit ms, s, min, h or d
 * ("0" turns the timeout off).
 */
bool store_valid_timeout(const char *s);
/* Its value in milliseconds (a bare number counts as ms), or -1. */
long long store_timeout_ms(const char *s);

/* A new random 12-hex-digit revision id. */
char *store_new_id(struct sg_arena *a);
/* "add status to orders" -> "add_status_to_orders" (at most 40 chars). */
char *store_slug(struct sg_arena *a, const char *message);

/* Appends the file text of a revision (header, both sections). */
void store_format(struct sbuf *out, const char *id, const char *const *parents,
		  size_t nparents, const char *message, const char *created,
		  const struct sg_script *up, const struct sg_script *down);

/*
 * The header of a new revision, for the writers below: every optional key
 * is written only when given, in the order revision, parents, message,
 * created, branch-labels, depends-on, transaction, lock-timeout,
 * statement-timeout.  `transaction: none` is written when no_transaction
 * is set or a statement of either section needs it.
 */
struct sg_revision_header {
	const char *id;
	const char *const *parents;
	size_t nparents;
	const char *const *branch_labels;
	size_t nbranch_labels;
	const char *const *depends_on;
	size_t ndepends_on;
	const char *message;
	const char *created;           /* NULL: now */
	bool no_transaction;
	bool online;                   /* `online: true` */
	const char *lock_timeout;      /* NULL: not written */
	const char *statement_timeout;
	/* the file's name (not written into it): file_template of
	 * schemagen.yaml, see store_check_template(); NULL: %(rev)s_%(slug)s */
	const char *file_template;
};

/*
 * A file name template, as Alembic's file_template: literal letters,
 * digits, `_`, `-` and `.` (not first), and fields %(rev)s,
 * %(slug)s, %(year)d, %(month)d, %(day)d, %(hour)d, %(minute)d,
 * %(second)d, %(epoch)d (the created time, UTC), a number optionally
 * zero-padded as %(month).2d.  %(rev)s must appear exactly once; `.sql`
 * is added.  Returns NULL when t is valid, else what is wrong (static
 * text) with *at the offset in t.
 */
const char *store_check_template(const char *t, size_t *at);
/* The file name for id, message and created (2026-11-21T10:00:00Z) under a
 * valid template t (NULL: the default), `.sql` included. */
char *store_file_name(struct sg_arena *a, const char *t, const char *id,
		      const char *message, const char *created);

void store_format_header(struct sbuf *out, const struct sg_revision_header *h,
			 const struct sg_script *up,
			 const struct sg_script *down);
char *store_write_header(struct sg_arena *a, const char *dir,
			 const struct sg_revision_header *h,
			 const struct sg_script *up,
			 const struct sg_script *down);

/*
 * Writes dir/<id>_<slug>.sql atomically (refusing to overwrite) and returns
 * its path (arena copy), or NULL after printing the error.
 */
char *store_write(struct sg_arena *a, const char *dir, const char *id,
		  const char *const *parents, size_t nparents,
		  const char *message, const struct sg_script *up,
		  const struct sg_script *down);

#endif
