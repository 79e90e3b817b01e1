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

/* A piece of a statement that was copied from a model file. */
struct sg_srcfrag {
	size_t offset, len;   /* byte range in the statement */
	struct sg_loc loc;    /* where the text is in the model file */
};

struct sg_stmt {
	const char *sql;      /* one statement, with its closing ';' */
	/* "drops table public.t and the data in it"; NULL when nothing is lost */
	const char *warning;
	const struct sg_object *origin;  /* object it creates/alters; may be NULL */
	struct sg_srcfrag *frags;
	size_t nfrags, fragcap;
	/* migration files: where the statement starts (1-based) */
	const char *file;
	int line, col;
	bool no_transaction;  /* cannot run inside a transaction block */
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
 * "-- WARNING: ..." (through sg_quote_comment()) when it has a warning.
 */
void sg_stmt_format(struct sbuf *out, const struct sg_stmt *st);

/* Appends the statements, each as sg_stmt_format() writes it. */
void sg_script_format(struct sbuf *out, const struct sg_script *s);

#endif
