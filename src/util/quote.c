// SPDX-License-Identifier: MIT
/*
 * quote.c - identifier and literal quoting, the only way names and values
 * reach SQL text (pg_dump's fmtId() and appendStringLiteral()); and the
 * escaping of text for comment and header lines and for the terminal.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/util.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"

struct keyword {
	const char *word;
	char category;
};

static const struct keyword keywords[] = {
#include "keywords.inc"
};

static int kw_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct keyword *)elem)->word);
}

int sg_keyword_category(const char *word)
{
	const struct keyword *k = bsearch(word, keywords, ARRAY_SIZE(keywords),
					  sizeof(keywords[0]), kw_cmp);

	return k ? k->category : 0;
}

bool sg_ident_is_bare(const char *ident)
{
	const char *p = ident;

	if (!((*p >= 'a' && *p <= 'z') || *p == '_'))
		return false;
	for (p++; *p; p++) {
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		      *p == '_'))
			return false;
	}
	/* Unreserved keywords may stand bare; the others need quotes. */
	switch (sg_keyword_category(ident)) {
	case 0:
	case 'U':
		return true;
	default:
		return false;
	}
}

/* ---- control characters ---- */

/*
 * The UTF-8 character at p: returns its length and sets *cp, or returns 0
 * for a byte that does not start a valid sequence (overlong forms and
 * surrogates included).
 */
static size_t utf8_char(const unsigned char *p, uint32_t *cp)
{
	uint32_t c = p[0];
	size_t n;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF)
		n = 2, c &= 0x1F;
	else if (c >= 0xE0 && c <= 0xEF)
		n = 3, c &= 0x0F;
	else if (c >= 0xF0 && c <= 0xF4)
		n = 4, c &= 0x07;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3F);
	}
	if ((n == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) ||
	    (n == 4 && (c < 0x10000 || c > 0x10FFFF)))
		return 0;
	*cp = c;
	return n;
}

/*
 * Characters that end a line, move the cursor, start a terminal escape
 * sequence or reorder what is shown: C0 controls, DEL, C1 controls, the
 * Unicode line and paragraph separators and the bidirectional embedding,
 * override and isolate controls.
 */
static bool is_control(uint32_t c)
{
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) ||
	       c == 0x2028 || c == 0x2029 || (c >= 0x202A && c <= 0x202E) ||
	       (c >= 0x2066 && c <= 0x2069);
}

/* Length of the character at p, and whether it is to be escaped. */
static size_t char_at(const char *p, bool *escape)
{
	uint32_t c;
	size_t n = utf8_char((const unsigned char *)p, &c);

	*escape = n == 0 || is_control(c);
	return n ? n : 1;
}

static void add_escape(struct sbuf *out, const char *p, size_t n)
{
	uint32_t c;

	if (n == 1 && *p == '\n')
		sbuf_adds(out, "\\n");
	else if (n == 1 && *p == '\r')
		sbuf_adds(out, "\\r");
	else if (n == 1 && *p == '\t')
		sbuf_adds(out, "\\t");
	else if (n == 1)   /* ASCII control or a byte that is not UTF-8 */
		sbuf_addf(out, "\\x%02x", (unsigned char)*p);
	else if (utf8_char((const unsigned char *)p, &c) == n)
		sbuf_addf(out, "\\u%04x", (unsigned)c);
}

enum { KEEP_LINES = 1, BACKSLASH = 2 };

/*
 * The shared escaper.  With BACKSLASH a backslash that would otherwise
 * read as the start of an escape (before n, r, t, x or u) is written \x5c,
 * so sg_unquote_comment() gets the text back exactly; other backslashes
 * stay as they are, so ordinary text (E'a\\b', C:\dir) reads as written.
 */
static void escape_text(struct sbuf *out, const char *s, int flags)
{
	for (const char *p = s; p && *p;) {
		bool esc;
		size_t n = char_at(p, &esc);

		if ((flags & KEEP_LINES) && (*p == '\n' || *p == '\t'))
			esc = false;
		if (esc) {
			add_escape(out, p, n);
		} else if (*p == '\\' && (flags & BACKSLASH) && p[1] &&
			   strchr("nrtxu", p[1])) {
			sbuf_adds(out, "\\x5c");
		} else {
			sbuf_add(out, p, n);
		}
		p += n;
	}
}

void sg_quote_comment(struct sbuf *out, const char *s)
{
	escape_text(out, s, BACKSLASH);
}

void sg_quote_terminal(struct sbuf *out, const char *s, bool keep_lines)
{
	escape_text(out, s, keep_lines ? KEEP_LINES : 0);
}

static long hex_run(const char *p, size_t len, int digits)
{
	long v = 0;

	if (len < (size_t)digits)
		return -1;
	for (int i = 0; i < digits; i++) {
		int h = sg_hexval(p[i]);

		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

static void add_utf8(struct sbuf *out, uint32_t c)
{
	if (c < 0x80) {
		sbuf_addch(out, (char)c);
	} else if (c < 0x800) {
		sbuf_addch(out, (char)(0xC0 | (c >> 6)));
		sbuf_addch(out, (char)(0x80 | (c & 0x3F)));
	} else {
		sbuf_addch(out, (char)(0xE0 | (c >> 12)));
		sbuf_addch(out, (char)(0x80 | ((c >> 6) & 0x3F)));
		sbuf_addch(out, (char)(0x80 | (c & 0x3F)));
	}
}

char *sg_unquote_comment(struct sg_arena *a, const char *s, size_t len)
{
	struct sbuf sb = SBUF_INIT;
	char *r;

	for (size_t i = 0; i < len; i++) {
		long v;

		if (s[i] != '\\' || i + 1 == len) {
			sbuf_addch(&sb, s[i]);
			continue;
		}
		switch (s[i + 1]) {
		case 'n': sbuf_addch(&sb, '\n'); i++; continue;
		case 'r': sbuf_addch(&sb, '\r'); i++; continue;
		case 't': sbuf_addch(&sb, '\t'); i++; continue;
		case 'x':
			if ((v = hex_run(s + i + 2, len - i - 2, 2)) > 0) {
				sbuf_addch(&sb, (char)v);
				i += 3;
				continue;
			}
			break;
		case 'u':
			/* a surrogate or NUL would not be text: left as written */
			if ((v = hex_run(s + i + 2, len - i - 2, 4)) > 0 &&
			    !(v >= 0xD800 && v <= 0xDFFF)) {
				add_utf8(&sb, (uint32_t)v);
				i += 5;
				continue;
			}
			break;
		}
		sbuf_addch(&sb, s[i]);
	}
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

const char *sg_qc(struct sg_arena *a, const char *s)
{
	struct sbuf sb = SBUF_INIT;
	char *r;

	sg_quote_comment(&sb, s);
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

const char *sg_qt(struct sg_arena *a, const char *s)
{
	struct sbuf sb = SBUF_INIT;
	char *r;

	sg_quote_terminal(&sb, s, false);
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

size_t sg_control_len(const char *p, bool lines_ok, unsigned *cp)
{
	uint32_t c;
	size_t n = utf8_char((const unsigned char *)p, &c);

	/* bytes that are not UTF-8 cannot be written as escapes in SQL */
	if (n == 0 || !*p || !is_control(c) || (lines_ok && (c == '\n' || c == '\t')))
		return 0;
	if (cp)
		*cp = c;
	return n;
}

bool sg_has_control(const char *s, size_t len, bool lines_ok)
{
	for (size_t i = 0; i < len; i++)
		if (sg_control_len(s + i, lines_ok, NULL))
			return true;
	return false;
}

/* A name: a newline counts (U&"..." keeps it off the line); a literal
 * (a comment, a default) keeps its newlines and tabs. */
static bool has_sql_control(const char *s, bool ident)
{
	for (const char *p = s; *p; p++)
		if (sg_control_len(p, true, NULL) || (ident && *p == '\n'))
			return true;
	return false;
}

/*
 * Appends the characters of s for U&"..." (esc_quote '"') or E'...' (esc
 * '\''): quotes and backslashes doubled, controls other than newline and
 * tab as \XXXX (U&) or \xHH / \uXXXX (E''), so no control reaches the
 * SQL text itself.
 */
static void add_sql_escaped(struct sbuf *out, const char *s, char quote)
{
	for (const char *p = s; *p;) {
		unsigned c = (unsigned char)*p;
		size_t n = sg_control_len(p, true, &c);

		if (!n && quote == '"' && *p == '\n')
			n = 1;
		if (n) {
			if (quote == '"')
				sbuf_addf(out, "\\%04x", (unsigned)c);
			else if (c < 0x80)
				sbuf_addf(out, "\\x%02x", (unsigned)c);
			else
				sbuf_addf(out, "\\u%04x", (unsigned)c);
		} else {
			if (*p == quote || *p == '\\')
				sbuf_addch(out, *p);
			sbuf_addch(out, *p);
			n = 1;
		}
		p += n;
	}
}

void sg_quote_ident(struct sbuf *out, const char *ident)
{
	if (has_sql_control(ident, true)) {
		/* still exactly the name, but no ESC or CR in the SQL text */
		sbuf_adds(out, "U&\"");
		add_sql_escaped(out, ident, '"');
		sbuf_addch(out, '"');
		return;
	}
	sg_quote_list_name(out, ident);
}

void sg_quote_list_name(struct sbuf *out, const char *ident)
{
	if (sg_ident_is_bare(ident)) {
		sbuf_adds(out, ident);
		return;
	}
	sbuf_addch(out, '"');
	for (const char *p = ident; *p; p++) {
		if (*p == '"')
			sbuf_addch(out, '"');
		sbuf_addch(out, *p);
	}
	sbuf_addch(out, '"');
}

void sg_quote_qualified(struct sbuf *out, const char *schema, const char *name)
{
	if (schema) {
		sg_quote_ident(out, schema);
		sbuf_addch(out, '.');
	}
	sg_quote_ident(out, name);
}

void sg_quote_literal(struct sbuf *out, const char *s)
{
	bool backslash = strchr(s, '\\') != NULL;

	if (has_sql_control(s, false)) {
		sbuf_adds(out, "E'");
		add_sql_escaped(out, s, '\'');
		sbuf_addch(out, '\'');
		return;
	}
	if (backslash)
		sbuf_addch(out, 'E');
	sbuf_addch(out, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '\'' || (backslash && *p == '\\'))
			sbuf_addch(out, *p);
		sbuf_addch(out, *p);
	}
	sbuf_addch(out, '\'');
}

/*
 * True when tag closes s$tag only at its end: the server's lexer ends a
 * dollar-quoted string at the first occurrence of the tag, which may
 * start inside s (s ending in "$_" and the tag "$_$" give "...$_$_$").
 */
static bool tag_fits(const char *s, size_t n, const char *tag, size_t tn)
{
	const char *p = strstr(s, tag);

	if (p)
		return false;
	/* an occurrence that starts in s's last tn - 1 bytes */
	for (size_t k = tn - 1; k > 0; k--)
		if (k <= n && memcmp(s + n - k, tag, k) == 0 &&
		    memcmp(tag + k, tag, tn - k) == 0)
			return false;
	return true;
}

void sg_quote_dollar(struct sbuf *out, const char *s)
{
	struct sbuf tag = SBUF_INIT;
	size_t n = strlen(s);

	/* pg_dump's appendStringLiteralDQ: grow the tag until it is unused. */
	sbuf_adds(&tag, "$_$");
	while (!tag_fits(s, n, tag.buf, tag.len)) {
		sbuf_setlen(&tag, tag.len - 1);
		sbuf_adds(&tag, "_$");
	}
	sbuf_add(out, tag.buf, tag.len);
	sbuf_adds(out, s);
	sbuf_add(out, tag.buf, tag.len);
	sbuf_release(&tag);
}

const char *sg_qi(struct sg_arena *a, const char *ident)
{
	struct sbuf sb = SBUF_INIT;
	char *r;

	sg_quote_ident(&sb, ident);
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

const char *sg_qq(struct sg_arena *a, const char *schema, const char *name)
{
	struct sbuf sb = SBUF_INIT;
	char *r;

	sg_quote_qualified(&sb, schema, name);
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

const char *sg_ql(struct sg_arena *a, const char *s)
{
	struct sbuf sb = SBUF_INIT;
	char *r;

	sg_quote_literal(&sb, s);
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

/* The quoting of names and values in messages (yq() of the loader). */
#define QUOTE_MAX 60

const char *sg_quote_msgn(struct sg_arena *a, const char *s, size_t len)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;
	size_t i;

	sbuf_addch(&sb, '"');
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i >= QUOTE_MAX && (c & 0xC0) != 0x80) {
			sbuf_adds(&sb, "...");
			break;
		}
		switch (c) {
		case '"': sbuf_adds(&sb, "\\\""); break;
		case '\\': sbuf_adds(&sb, "\\\\"); break;
		case '\n': sbuf_adds(&sb, "\\n"); break;
		case '\t': sbuf_adds(&sb, "\\t"); break;
		case '\r': sbuf_adds(&sb, "\\r"); break;
		default:
			if (c < 0x20 || c == 0x7F)
				sbuf_addf(&sb, "\\x%02X", c);
			else
				sbuf_addch(&sb, (char)c);
		}
	}
	sbuf_addch(&sb, '"');
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

const char *sg_quote_msg(struct sg_arena *a, const char *s)
{
	return sg_quote_msgn(a, s ? s : "", s ? strlen(s) : 0);
}
