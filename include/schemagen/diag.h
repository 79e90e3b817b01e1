/* SPDX-License-Identifier: MIT */
/*
 * diag.h - the three tiers of error reporting.
 *
 * 1. User-input diagnostics (YAML models, SQL inside them, migration files)
 *    are collected in a struct sg_diags so that one run reports every problem
 *    of a file, then printed as
 *
 *        path:line:col: error: message
 *          hint: what to do about it
 *
 *    Lines and columns are 1-based (libyaml's marks are 0-based: add 1).
 *
 * 2. Operational failures (I/O, connection, query) are printed at once with
 *    sg_error(), which returns -1 so callers write `return sg_error(...)`
 *    (git's error()).
 *
 * 3. Internal bugs call SG_BUG() (util.h) and abort.
 *
 * Exit codes: 0 success, 1 differences found (check), 2 any error.
 */
#ifndef SG_DIAG_H
#define SG_DIAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "schemagen/util.h"

struct sg_arena;

/*
 * A place in an input file.  line == 0 means "no location".  file is the
 * file's id in the process-wide table of file names (sg_file_id(); 0: no
 * file), so a location is 16 bytes: catalogs hold millions of them.
 *
 * For SQL fragments kept in YAML scalars, `style` tells how an offset into
 * the scalar's value maps back to the file (see sg_loc_at()):
 *   0   - exact: the value is the text starting at line:col (plain or quoted
 *         scalar without escapes, on one line), or a whole file;
 *   'l' - literal block (`|`): the value's first line starts at line:col,
 *         following lines start at column `indent` + 1;
 *   'x' - inexact: every offset maps to line:col itself.
 */
struct sg_loc {
	uint32_t file;              /* sg_file_id(); 0: none (sg_loc_file()) */
	int line;
	int col;
	uint16_t indent;            /* style 'l' (sg_loc_indent()) */
	char style;
};

/*
 * The id of a file name (0 for NULL), the same for the same name; the
 * table lives as long as the process (reachable, never freed) and is
 * shared by every thread (behind a mutex).
 */
uint32_t sg_file_id(const char *path);
/* The name of an id (NULL for 0 or an id never given). */
const char *sg_file_name(uint32_t id);
/* The file of a location, NULL when none. */
static inline const char *sg_loc_file(struct sg_loc loc)
{
	return loc.file ? sg_file_name(loc.file) : NULL;
}
/* A location of `file` (a name; NULL: none) at line:col. */
static inline struct sg_loc sg_loc_make(const char *file, int line, int col)
{
	return (struct sg_loc){ .file = sg_file_id(file), .line = line, .col = col };
}
/*
 * Sets a literal block's indentation: one beyond what indent can hold
 * makes the location inexact (style 'x': every offset maps to line:col).
 */
static inline void sg_loc_indent(struct sg_loc *loc, size_t indent)
{
	if (indent > UINT16_MAX) {
		loc->style = 'x';
		loc->indent = 0;
	} else {
		loc->indent = (uint16_t)indent;
	}
}

/* Maps a 0-based byte offset into `text` (which starts at loc) to a location. */
struct sg_loc sg_loc_at(struct sg_loc loc, const char *text, size_t offset);

enum sg_severity { SG_SEV_ERROR, SG_SEV_WARNING, SG_SEV_NOTE };

struct sg_diag {
	enum sg_severity sev;
	struct sg_loc loc;
	const char *msg;
	const char *hint; /* NULL when none */
};

/*
 * At most SG_DIAGS_MAX diagnostics are kept (the first ones added); later
 * ones are only counted, so a file with millions of errors costs no more
 * memory than one with a hundred, and sg_diags_print() ends with
 * "... and N more errors".  nerrors counts them all.
 */
#define SG_DIAGS_MAX 100

struct sg_diags {
	struct sg_arena *arena;
	struct sg_diag *v;
	size_t n, cap;
	int nerrors;
	size_t dropped_errors, dropped_other;  /* beyond SG_DIAGS_MAX */
	struct sg_diag spare;   /* what sg_diag_add() returns for those */
};

void sg_diags_init(struct sg_diags *d, struct sg_arena *a);

/*
 * Adds a diagnostic; returns the new entry so a hint can be attached (past
 * SG_DIAGS_MAX, a scratch entry that is not kept).
 */
struct sg_diag *sg_diag_add(struct sg_diags *d, enum sg_severity sev,
			    struct sg_loc loc, const char *fmt, ...)
	SG_PRINTF(4, 5);
#define sg_diag_error(d, loc, ...) sg_diag_add((d), SG_SEV_ERROR, (loc), __VA_ARGS__)
void sg_diag_hint(struct sg_diag *dg, struct sg_diags *d, const char *fmt, ...)
	SG_PRINTF(3, 4);

/*
 * Sorts by file, line, col (stable) and prints every entry to stderr, then
 * "... and N more errors" when some were not kept.
 */
void sg_diags_print(struct sg_diags *d);
/* Formats one diagnostic the way sg_diags_print() does, into out. */
struct sbuf;
void sg_diag_format(struct sbuf *out, const struct sg_diag *dg);

/*
 * Where messages go.  With no sink (sg_sink == NULL, the default) they are
 * printed: diagnostics, errors, warnings and details on stderr, progress
 * (sg_info) on stdout.  With a sink, every error and warning (sg_error,
 * sg_warning, sg_diags_print, sg_diag_emit; sg_hint attaches to the latest)
 * is also kept in it, in order, as a struct sg_diag, and stdout is left
 * alone: progress goes to stderr (--format json, whose document owns
 * stdout), or nowhere when `silent` (the library, which prints nothing;
 * free text of sg_eprintf() is then dropped too).  At most SG_DIAGS_MAX
 * are kept; `dropped` counts the rest.
 */
struct sg_diag_sink {
	struct sg_arena *arena;
	struct sg_diag *v;
	size_t n, cap;
	size_t dropped;
	bool silent;
};
extern struct sg_diag_sink *sg_sink;

/* Reports one diagnostic: kept by the sink, printed unless silent. */
void sg_diag_emit(const struct sg_diag *dg);
/* Keeps dg in the sink without printing it (the caller printed it). */
void sg_diag_keep(const struct sg_diag *dg);
/* Attaches a hint to the sink's latest entry when it has none. */
void sg_sink_hint(const char *hint);
/* An error at a place in a file ("file:line:col: error: ..."); returns -1. */
int sg_error_at(struct sg_loc loc, const char *fmt, ...) SG_PRINTF(2, 3);
/* Free text for stderr (a statement, SQLSTATE, notes): dropped when silent. */
void sg_eprintf(const char *fmt, ...) SG_PRINTF(1, 2);
void sg_eputs(const char *s);

/* Verbosity: -1 quiet, 0 normal, 1 verbose, 2 debug. */
extern int sg_verbosity;

/* "schemagen: error: ..." on stderr; returns -1. */
int sg_error(const char *fmt, ...) SG_PRINTF(1, 2);
/* "schemagen: warning: ..." on stderr. */
void sg_warning(const char *fmt, ...) SG_PRINTF(1, 2);
/* "  hint: ..." on stderr, after an sg_error(). */
void sg_hint(const char *fmt, ...) SG_PRINTF(1, 2);
/* Progress on stdout unless quiet, flushed line by line. */
void sg_info(const char *fmt, ...) SG_PRINTF(1, 2);
/* A message on stderr unless quiet (for commands whose stdout is data). */
void sg_note(const char *fmt, ...) SG_PRINTF(1, 2);
/* Details on stderr when verbose (-v). */
void sg_verbose(const char *fmt, ...) SG_PRINTF(1, 2);

#endif
