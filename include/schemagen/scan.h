/* SPDX-License-Identifier: MIT */
/*
 * scan.h - SQL text read without the parser (src/normalise/scan.c).
 */
#ifndef SG_SCAN_H
#define SG_SCAN_H

#include <stdbool.h>
#include <stddef.h>

struct sg_arena;

/*
 * The tokens of SQL text, as PostgreSQL's lexer (scan.l) delimits them with
 * standard_conforming_strings on.  Every byte belongs to exactly one token,
 * so the tokens of a text, one after the other, are the text.
 */
enum sg_tok {
	SG_TOK_END,           /* the end of the text (len 0) */
	SG_TOK_SPACE,         /* blanks: space, tab, newline, CR, FF, VT */
	SG_TOK_LINE_COMMENT,  /* -- to the end of the line, newline excluded */
	SG_TOK_BLOCK_COMMENT, /* slash-star to star-slash, nested */
	SG_TOK_STRING,        /* '..', E'..' (backslash escapes), X'..', B'..',
			       * N'..', U&'..'; '' inside is a quote */
	SG_TOK_DOLLAR,        /* $tag$ .. $tag$ ($$ .. $$) */
	SG_TOK_QIDENT,        /* ".." or U&".."; "" inside is a quote */
	SG_TOK_IDENT,         /* a keyword or an unquoted name ($ inside) */
	SG_TOK_NUMBER,        /* 12, 1.5, .5, 1e-3 */
	SG_TOK_PARAM,         /* $1 */
	SG_TOK_OTHER,         /* one byte of anything else: ( ) , . ; : ...
			       * (".." is one) */
};

struct sg_token {
	enum sg_tok kind;
	size_t start, len;   /* s[start .. start+len) */
	bool open;           /* a string, name, body or comment the text ends in */
};

/*
 * The token starting at s[i] (SG_TOK_END when i >= len) into *t; returns the
 * offset after it.  Reads nothing at or past s[len].
 *
 *	for (size_t i = 0; i < len; ) { i = sg_sql_token(s, len, i, &t); ... }
 */
size_t sg_sql_token(const char *s, size_t len, size_t i, struct sg_token *t);
/* Not blanks or a comment (nor the end). */
bool sg_sql_token_is_code(enum sg_tok kind);

/*
 * Splits a list of SQL items (function arguments as
 * pg_get_function_arguments() prints them) at its top-level commas, not
 * inside parentheses, brackets, strings, names or comments; items are
 * trimmed of blanks, and offsets[i] is where item i starts in text.
 * Returns the number of items (arena arrays).
 */
size_t sg_sql_split_list(struct sg_arena *a, const char *text,
			 const char ***items, size_t **offsets);

/*
 * Splits SQL text "a", "\"A b\"", U&"..." or "s.n" into at most two parts,
 * unquoting (unquoted parts folded to lower case); returns the number of
 * parts (1 or 2), or 0 when text is not a plain possibly-qualified name.
 */
int sg_sql_split_name(struct sg_arena *a, const char *text, const char **schema,
		      const char **name);

#endif
