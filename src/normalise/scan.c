// SPDX-License-Identifier: MIT
/*
 * scan.c - SQL text read by hand where no parse tree is wanted or none can
 * be had (a migration file's sections, texts with errors): the one token
 * scanner, a small version of PostgreSQL's lexer (scan.l) that knows where
 * every string, quoted name, dollar-quoted body and comment ends; and
 * qualified names ("s"."n", U&"..." spellings).
 */
#include <stdbool.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/sbuf.h"
#include "schemagen/scan.h"
#include "schemagen/util.h"

/* Appends code point cp as UTF-8. */
static void add_utf8(struct sbuf *sb, unsigned cp)
{
	if (cp < 0x80) {
		sbuf_addch(sb, (char)cp);
	} else if (cp < 0x800) {
		sbuf_addch(sb, (char)(0xC0 | (cp >> 6)));
		sbuf_addch(sb, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		sbuf_addch(sb, (char)(0xE0 | (cp >> 12)));
		sbuf_addch(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
		sbuf_addch(sb, (char)(0x80 | (cp & 0x3F)));
	} else {
		sbuf_addch(sb, (char)(0xF0 | (cp >> 18)));
		sbuf_addch(sb, (char)(0x80 | ((cp >> 12) & 0x3F)));
		sbuf_addch(sb, (char)(0x80 | ((cp >> 6) & 0x3F)));
		sbuf_addch(sb, (char)(0x80 | (cp & 0x3F)));
	}
}

int sg_sql_split_name(struct sg_arena *a, const char *text, const char **schema,
		   const char **name)
{
	const char *parts[2];
	int np = 0;
	const char *p = text;
	struct sbuf cur = SBUF_INIT;

	for (;;) {
		bool uescape = false;

		sbuf_reset(&cur);
		if ((p[0] == 'U' || p[0] == 'u') && p[1] == '&' && p[2] == '"') {
			/* U&"..." (sg_quote_ident's spelling of a name with a
			 * control character): \XXXX, \+XXXXXX and \\ */
			uescape = true;
			p += 2;
		}
		if (*p == '"') {
			for (p++;; p++) {
				if (*p == '\0')
					goto bad;
				if (*p == '"') {
					if (p[1] != '"')
						break;
					p++;
				}
				if (uescape && *p == '\\') {
					int ndig = p[1] == '+' ? 6 : 4;
					const char *h = p + 1 + (p[1] == '+');
					unsigned long cp = 0;

					if (p[1] == '\\') {
						sbuf_addch(&cur, '\\');
						p++;
						continue;
					}
					for (int k = 0; k < ndig; k++) {
						int v = sg_hexval(h[k]);

						if (v < 0)
							goto bad;
						cp = cp * 16 + (unsigned long)v;
					}
					if (cp == 0 || cp > 0x10FFFF)
						goto bad;
					add_utf8(&cur, (unsigned)cp);
					p = h + ndig - 1;
					continue;
				}
				sbuf_addch(&cur, *p);
			}
			p++;
			if (cur.len == 0)
				goto bad;
		} else {
			while (*p && *p != '.' && *p != '"' && *p != ' ') {
				/* unquoted names are folded to lower case */
				sbuf_addch(&cur, *p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
				p++;
			}
			if (cur.len == 0)
				goto bad;
		}
		if (np == 2)
			goto bad;
		parts[np++] = sbuf_to_arena(&cur, a);
		if (*p == '\0')
			break;
		if (*p != '.')
			goto bad;
		p++;
	}
	sbuf_release(&cur);
	*schema = np == 2 ? parts[0] : NULL;
	*name = parts[np - 1];
	return np;
bad:
	sbuf_release(&cur);
	return 0;
}

/* ---- the token scanner ---- */

static bool ident_start(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       c >= 0x80;
}

static bool ident_cont(unsigned char c)
{
	return ident_start(c) || (c >= '0' && c <= '9') || c == '$';
}

static bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* The end of a quoted token whose body starts at i: q doubled is q itself,
 * backslash escapes when esc (E''); *open when the text ends first. */
static size_t quoted_end(const char *s, size_t len, size_t i, char q, bool esc,
			 bool *open)
{
	while (i < len) {
		if (esc && s[i] == '\\' && i + 1 < len) {
			i += 2;
		} else if (s[i] == q) {
			if (i + 1 < len && s[i + 1] == q)
				i += 2;
			else
				return i + 1;
		} else {
			i++;
		}
	}
	*open = true;
	return len;
}

size_t sg_sql_token(const char *s, size_t len, size_t i, struct sg_token *t)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t j = i;

	t->start = i;
	t->open = false;
	if (i >= len) {
		t->kind = SG_TOK_END;
		t->len = 0;
		return len;
	}
	switch (u[i]) {
	case ' ': case '\t': case '\n': case '\r': case '\f': case '\v':
		t->kind = SG_TOK_SPACE;
		while (j < len && (u[j] == ' ' || u[j] == '\t' || u[j] == '\n' ||
				   u[j] == '\r' || u[j] == '\f' || u[j] == '\v'))
			j++;
		goto done;
	case '-':
		if (i + 1 < len && s[i + 1] == '-') {
			t->kind = SG_TOK_LINE_COMMENT;
			while (j < len && s[j] != '\n')
				j++;
			goto done;
		}
		break;
	case '/':
		if (i + 1 < len && s[i + 1] == '*') {
			int depth = 1;

			t->kind = SG_TOK_BLOCK_COMMENT;
			j = i + 2;
			while (j < len && depth > 0) {
				if (s[j] == '/' && j + 1 < len && s[j + 1] == '*') {
					depth++;
					j += 2;
				} else if (s[j] == '*' && j + 1 < len && s[j + 1] == '/') {
					depth--;
					j += 2;
				} else {
					j++;
				}
			}
			t->open = depth > 0;
			goto done;
		}
		break;
	case '\'':
		t->kind = SG_TOK_STRING;
		j = quoted_end(s, len, i + 1, '\'', false, &t->open);
		goto done;
	case '"':
		t->kind = SG_TOK_QIDENT;
		j = quoted_end(s, len, i + 1, '"', false, &t->open);
		goto done;
	case '$':
		if (i + 1 < len && is_digit(u[i + 1])) {
			t->kind = SG_TOK_PARAM;
			for (j = i + 1; j < len && is_digit(u[j]); j++)
				;
			goto done;
		}
		/* $tag$: a tag is an identifier without '$', or nothing */
		for (j = i + 1; j < len && ident_cont(u[j]) && u[j] != '$'; j++)
			;
		if (j < len && s[j] == '$' && (j == i + 1 || ident_start(u[i + 1]))) {
			size_t taglen = j + 1 - i;

			t->kind = SG_TOK_DOLLAR;
			for (j++; j < len; j++)
				if (s[j] == '$' && len - j >= taglen &&
				    memcmp(s + j, s + i, taglen) == 0)
					break;
			if (j < len)
				j += taglen;
			else
				t->open = true;
			goto done;
		}
		j = i;
		break;
	case 'E': case 'e': case 'X': case 'x': case 'B': case 'b':
	case 'N': case 'n':
		if (i + 1 < len && s[i + 1] == '\'') {
			bool esc = u[i] == 'E' || u[i] == 'e';

			t->kind = SG_TOK_STRING;
			j = quoted_end(s, len, i + 2, '\'', esc, &t->open);
			goto done;
		}
		break;
	case 'U': case 'u':
		if (i + 2 < len && s[i + 1] == '&' && (s[i + 2] == '\'' || s[i + 2] == '"')) {
			t->kind = s[i + 2] == '"' ? SG_TOK_QIDENT : SG_TOK_STRING;
			j = quoted_end(s, len, i + 3, s[i + 2], false, &t->open);
			goto done;
		}
		break;
	default:
		break;
	}
	if (ident_start(u[i])) {
		t->kind = SG_TOK_IDENT;
		for (j = i + 1; j < len && ident_cont(u[j]); j++)
			;
	} else if (is_digit(u[i]) || (u[i] == '.' && i + 1 < len && is_digit(u[i + 1]))) {
		t->kind = SG_TOK_NUMBER;
		for (j = i; j < len && is_digit(u[j]); j++)
			;
		if (j < len && s[j] == '.' && !(j + 1 < len && s[j + 1] == '.'))
			for (j++; j < len && is_digit(u[j]); j++)
				;
		if (j < len && (s[j] == 'e' || s[j] == 'E')) {
			size_t k = j + 1;

			if (k < len && (s[k] == '+' || s[k] == '-'))
				k++;
			if (k < len && is_digit(u[k]))
				for (j = k; j < len && is_digit(u[j]); j++)
					;
		}
	} else {
		/* .. is one token (plpgsql's ranges), as in scan.l */
		t->kind = SG_TOK_OTHER;
		j = i + 1 + (u[i] == '.' && i + 1 < len && s[i + 1] == '.');
	}
done:
	t->len = j - i;
	return j;
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

bool sg_sql_token_is_code(enum sg_tok kind)
{
	return kind != SG_TOK_SPACE && kind != SG_TOK_LINE_COMMENT &&
	       kind != SG_TOK_BLOCK_COMMENT && kind != SG_TOK_END;
}

size_t sg_sql_split_list(struct sg_arena *a, const char *text,
			 const char ***items, size_t **offsets)
{
	SG_VEC(const char *) iv = { 0 };
	SG_VEC(size_t) ov = { 0 };
	size_t len = strlen(text), start = 0, i = 0;
	int depth = 0;

	for (;;) {
		struct sg_token t;
		size_t next = sg_sql_token(text, len, i, &t);
		char c = t.kind == SG_TOK_OTHER ? text[i] : '\0';

		if (c == '(' || c == '[') {
			depth++;
		} else if ((c == ')' || c == ']') && depth > 0) {
			depth--;
		} else if ((c == ',' && depth == 0) || t.kind == SG_TOK_END) {
			size_t b = start, e = i;

			while (b < e && is_blank(text[b]))
				b++;
			while (e > b && is_blank(text[e - 1]))
				e--;
			if (e > b) {
				SG_VEC_PUSH(a, &iv, sg_strndup(a, text + b, e - b));
				SG_VEC_PUSH(a, &ov, b);
			}
			if (t.kind == SG_TOK_END)
				break;
			start = next;
		}
		i = next;
	}
	*items = iv.v;
	*offsets = ov.v;
	return iv.n;
}
