/* SPDX-License-Identifier: MIT */
/*
 * script.h - a list of SQL statements with what is known about each: the
 * object it comes from, where its user-written fragments came from in the
 * models, the data it destroys.  Produced by emit/ (from a plan) and by
 * store/ (from a migration file); consumed by runner/.
 */
#ifndef SG_SCRIPT_H
#define SG_SCRIPT_H

#include <stdbool.h>
#include <stddef.h>
#include "schemagen/diag.h"

struct sg_arena;
struct sg_object;
struct sbuf;
struct sg_script;

/* A piece of a statement that was copied from a model file. */
struct sg_srcfrag {
	size_t offset, len;   /* byte range in the statement */
	struct sg_loc loc;    /* where the text is in the model file */
};

/*
 * What a statement does to a live database (README, "Hazards").  The names
 * (sg_hazard_name) are part of the interface: migration files carry them in
 * `-- hazard: NAME: ...` lines and `-- schemagen: allow NAME` accepts them.
 */
enum sg_hazard {
	SG_HZ_LOCK_ACCESS_EXCLUSIVE,  /* blocks reads and writes */
	SG_HZ_LOCK_EXCLUSIVE,         /* blocks writes (REFRESH ... CONCURRENTLY) */
	SG_HZ_LOCK_SHARE_ROW_EXCLUSIVE, /* blocks writes (foreign keys, triggers) */
	SG_HZ_LOCK_SHARE,             /* blocks writes (CREATE INDEX) */
	SG_HZ_TABLE_REWRITE,
	SG_HZ_TABLE_SCAN,
	SG_HZ_INDEX_BUILD,            /* index-build-blocks-writes */
	SG_HZ_DATA_LOSS,
	SG_HZ_MAY_FAIL,
	SG_HZ_NO_TRANSACTION,
	SG_HZ__COUNT
};

/* One hazard of a statement. */
struct sg_hz {
	enum sg_hazard kind;
	const char *rel;      /* the relation, quoted as SQL (NULL: none known) */
	const char *what;     /* one line: what it does, naming the relation */
	bool uncertain;       /* the text alone cannot decide (a type change) */
};

struct sg_stmt;
/* Appends a copy of h to the statement's hazards. */
void sg_stmt_add_hazard(struct sg_arena *a, struct sg_stmt *st,
			const struct sg_hz *h);
/* "table-rewrite"; NULL for a bad value. */
const char *sg_hazard_name(enum sg_hazard k);
/* The hazard with that name (len bytes), -1 when none. */
int sg_hazard_of(const char *name, size_t len);
/* Appends "2 data-loss, 1 table-rewrite" for the statements' hazards (by
 * name order); returns the number of hazards. */
size_t sg_script_hazard_summary(struct sbuf *out, const struct sg_script *s);

struct sg_stmt {
	const char *sql;      /* one statement, with its closing ';' */
	/* "drops table public.t and the data in it"; NULL when nothing is lost */
	const char *warning;
	/*
	 * Downgrade statements: why this step cannot restore what the upgrade
	 * changed (an extension with no update path back, enum values or a
	 * narrower type that data written since may not fit); written as
	 * "-- irreversible: REASON" before the statement.  NULL otherwise.
	 */
	const char *irreversible;
	const struct sg_object *origin;  /* object it creates/alters; may be NULL */
	struct sg_srcfrag *frags;
	size_t nfrags, fragcap;
	/* migration files: where the statement starts (1-based) */
	const char *file;
	int line, col;
	bool no_transaction;  /* cannot run inside a transaction block */
	/* hazards: filled by sg_script_hazards() (src/normalise/sql.c) from
	 * the text; the emitter may add entries before and drop uncertain
	 * ones by kind (bits 1 << kind) that it knows better */
	struct sg_hz *hz;
	size_t nhz, hzcap;
	unsigned hz_drop;
	/* migration files: the hazard names of its `-- hazard:` lines (bits),
	 * and those its `-- schemagen: allow` lines (and the header's) accept */
	unsigned hz_written, hz_allowed;
	int hz_allow_line;    /* line of the nearest allow comment, or 0 */
};

struct sg_script {
	struct sg_stmt *v;
	size_t n, cap;
};

/* Appends a statement (sql copied into the arena) and returns it. */
struct sg_stmt *sg_script_add(struct sg_arena *a, struct sg_script *s,
			      const char *sql);

/*
 * Appends one statement as migration-file text, preceded by
 * "-- WARNING: ..." when it has a warning and one "-- hazard: NAME: ..."
 * line per hazard (through sg_quote_comment()).
 */
void sg_stmt_format(struct sbuf *out, const struct sg_stmt *st);

/* Appends the statements, each as sg_stmt_format() writes it. */
void sg_script_format(struct sbuf *out, const struct sg_script *s);

/* The same without the hazard lines: SQL to run (upgrade --sql). */
void sg_stmt_format_sql(struct sbuf *out, const struct sg_stmt *st);
void sg_script_format_sql(struct sbuf *out, const struct sg_script *s);

#endif
