// SPDX-License-Identifier: MIT
/*
 * quote.c - identifier and literal quoting, the only way names and values
 * reach SQL text (pg_dump's fmtId() and appendStringLiteral()).
 */
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
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

void sg_quote_ident(struct sbuf *out, const char *ident)
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
