/* SPDX-License-Identifier: MIT */
/*
 * quote.h - the one place identifiers and literals are quoted.  No name or
 * value reaches SQL text without going through these functions.
 */
#ifndef SG_QUOTE_H
#define SG_QUOTE_H

#include <stdbool.h>
#include <stddef.h>

struct sbuf;
struct sg_arena;

/*
 * Appends ident, double-quoted unless it is a plain lowercase identifier
 * ([a-z_][a-z0-9_]*) that is not a reserved, column-name or type-function-
 * name keyword (pg_dump's fmtId() rules).  Equals the server's quote_ident(),
 * except that a name holding a control character (see sg_quote_comment(),
 * a newline too, but not a tab) is written U&"..." with it as \XXXX: the
 * same name, and no line break, ESC or CR in the SQL text.
 */
void sg_quote_ident(struct sbuf *out, const char *ident);

/*
 * The server's quote_ident() exactly, never U&"...": for names in text the
 * server splits as a list of identifiers rather than parses as SQL (the
 * value of search_path), which then goes through sg_quote_literal().
 */
void sg_quote_list_name(struct sbuf *out, const char *ident);

/* Appends schema.name, each part quoted; schema NULL gives just name. */
void sg_quote_qualified(struct sbuf *out, const char *schema, const char *name);

/*
 * Appends a string literal: 'text' with quotes doubled, or E'text' with
 * backslashes doubled too when text contains a backslash, so the literal
 * means the same whatever standard_conforming_strings says.  Text holding
 * a control other than newline and tab is written E'...' with it as \xHH
 * or \uXXXX.
 */
void sg_quote_literal(struct sbuf *out, const char *s);

/*
 * Appends $tag$text$tag$ with a tag that occurs in text$tag$ only at its
 * end (not in text, and not across its end: text ending in `$_`).
 */
void sg_quote_dollar(struct sbuf *out, const char *s);

/*
 * The one rule for text in a comment or header line that schemagen writes
 * (`-- WARNING: ...`, `-- message: ...`, --sql's comments): every control
 * character -- C0 (newline, CR, tab, ESC, BEL, ...), DEL, C1, U+2028/U+2029
 * and the bidirectional overrides -- and every byte that is not UTF-8 is
 * written as an escape (\n \r \t \xHH \uXXXX), so the line cannot end
 * early or change the terminal.  A backslash is written \x5c only where it
 * would otherwise start an escape (before n, r, t, x or u), and stays as it
 * is elsewhere; sg_unquote_comment() returns the text exactly.
 */
void sg_quote_comment(struct sbuf *out, const char *s);

/* The inverse of sg_quote_comment() for the len bytes at s; a backslash that
 * starts no escape stays as it is. */
char *sg_unquote_comment(struct sg_arena *a, const char *s, size_t len);

/*
 * For text printed to the terminal (names, messages, server errors): the
 * same escapes, backslashes left alone (it is read, not parsed back); with
 * keep_lines, newline and tab pass unchanged for text made of lines.
 */
void sg_quote_terminal(struct sbuf *out, const char *s, bool keep_lines);

/*
 * The length of the character at p when it is a control of that rule
 * (newline and tab not counted when lines_ok; bytes that are not UTF-8 not
 * counted), its code point in *cp (may be NULL); 0 otherwise.
 */
size_t sg_control_len(const char *p, bool lines_ok, unsigned *cp);

/* True when the len bytes at s hold such a control. */
bool sg_has_control(const char *s, size_t len, bool lines_ok);

/* Arena-returning conveniences built on the functions above. */
/*
 * A user string for a message: double-quoted, control characters escaped,
 * shortened to about 60 bytes (arena copy).  Every name or value the model
 * loader and checks quote in a message goes through it, so a message stays
 * one line whatever the input.
 */
const char *sg_quote_msg(struct sg_arena *a, const char *s);
const char *sg_quote_msgn(struct sg_arena *a, const char *s, size_t len);
const char *sg_qi(struct sg_arena *a, const char *ident);
const char *sg_qq(struct sg_arena *a, const char *schema, const char *name);
const char *sg_ql(struct sg_arena *a, const char *s);
const char *sg_qc(struct sg_arena *a, const char *s);	/* sg_quote_comment */
const char *sg_qt(struct sg_arena *a, const char *s);	/* sg_quote_terminal, one line */

/* True when ident needs no quotes (see sg_quote_ident()). */
bool sg_ident_is_bare(const char *ident);

/* Keyword category: 0 not a keyword, 'U' unreserved, 'C' column name,
 * 'T' type or function name, 'R' reserved (from PostgreSQL's kwlist.h). */
int sg_keyword_category(const char *word);

#endif
