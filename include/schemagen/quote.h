/* SPDX-License-Identifier: MIT */
/*
 * quote.h - the one place identifiers and literals are quoted.  No name or
 * value reaches SQL text without going through these functions.
 */
#ifndef SG_QUOTE_H
#define SG_QUOTE_H

#include <stdbool.h>

struct sbuf;
struct sg_arena;

/*
 * Appends ident, double-quoted unless it is a plain lowercase identifier
 * ([a-z_][a-z0-9_]*) that is not a reserved, column-name or type-function-
 * name keyword (pg_dump's fmtId() rules).  Equals the server's quote_ident().
 */
void sg_quote_ident(struct sbuf *out, const char *ident);

/* Appends schema.name, each part quoted; schema NULL gives just name. */
void sg_quote_qualified(struct sbuf *out, const char *schema, const char *name);

/*
 * Appends a string literal: 'text' with quotes doubled, or E'text' with
 * backslashes doubled too when text contains a backslash, so the literal
 * means the same whatever standard_conforming_strings says.
 */
void sg_quote_literal(struct sbuf *out, const char *s);

/*
 * Appends $tag$text$tag$ with a tag that occurs in text$tag$ only at its
 * end (not in text, and not across its end: text ending in `$_`).
 */
void sg_quote_dollar(struct sbuf *out, const char *s);

/* Arena-returning conveniences built on the functions above. */
const char *sg_qi(struct sg_arena *a, const char *ident);
const char *sg_qq(struct sg_arena *a, const char *schema, const char *name);
const char *sg_ql(struct sg_arena *a, const char *s);

/* True when ident needs no quotes (see sg_quote_ident()). */
bool sg_ident_is_bare(const char *ident);

/* Keyword category: 0 not a keyword, 'U' unreserved, 'C' column name,
 * 'T' type or function name, 'R' reserved (from PostgreSQL's kwlist.h). */
int sg_keyword_category(const char *word);

#endif
