/* SPDX-License-Identifier: MIT */
/*
 * json.h - the one JSON writer (src/util/json.c), used by every command's
 * --format json output and by nothing else.
 *
 * Strings are written as valid JSON whatever their bytes: `"` and `\`
 * escaped, every byte below 0x20 and DEL as \n, \t, ... or \u00XX, U+2028
 * and U+2029 as \u2028 / \u2029 (JavaScript's line separators), and every
 * byte that is not part of a well-formed UTF-8 sequence (stray continuation
 * bytes, overlong forms, surrogates, code points above U+10FFFF, truncated
 * sequences) as \ufffd.  Names read from catalogs are hostile: nothing in
 * them can end a string or break the document.
 *
 * The writer keeps track of nesting and commas; callers name a member's key
 * inside an object and pass NULL inside an array.  Invariant: after
 * sg_json_end() closed the outermost value, out holds one complete JSON
 * document.
 */
#ifndef SG_JSON_H
#define SG_JSON_H

#include <stdbool.h>
#include <stddef.h>

struct sbuf;

#define SG_JSON_MAX_DEPTH 32

struct sg_json {
	struct sbuf *out;
	int depth;
	bool first[SG_JSON_MAX_DEPTH];   /* nothing written at this level yet */
	char close[SG_JSON_MAX_DEPTH];   /* '}' or ']' */
};

void sg_json_init(struct sg_json *j, struct sbuf *out);
/* Opens an object / array as member `key` (NULL in arrays and at the top). */
void sg_json_obj(struct sg_json *j, const char *key);
void sg_json_arr(struct sg_json *j, const char *key);
/* Closes the innermost object or array. */
void sg_json_end(struct sg_json *j);
/* A string member; NULL writes null. */
void sg_json_str(struct sg_json *j, const char *key, const char *s);
/* A string of exactly len bytes (may contain NUL). */
void sg_json_strn(struct sg_json *j, const char *key, const char *s, size_t len);
void sg_json_int(struct sg_json *j, const char *key, long long v);
void sg_json_bool(struct sg_json *j, const char *key, bool v);
void sg_json_null(struct sg_json *j, const char *key);

/* Appends s (len bytes) to out as a quoted JSON string (rules above). */
void sg_json_quote(struct sbuf *out, const char *s, size_t len);

#endif
