// SPDX-License-Identifier: MIT
/* json.c - the JSON writer; see json.h for the escaping rules. */
#include <string.h>

#include "schemagen/json.h"
#include "schemagen/sbuf.h"
#include "schemagen/util.h"

/*
 * Length of the well-formed UTF-8 sequence at s (at most n bytes), or 0
 * when s does not start one (RFC 3629: no overlongs, no surrogates, nothing
 * above U+10FFFF).  *cp receives the code point.
 */
static size_t utf8_seq(const unsigned char *s, size_t n, unsigned *cp)
{
	unsigned c = s[0], v;
	size_t len;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		v = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		v = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		v = c & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && v < 0x800) || (len == 4 && v < 0x10000) ||
	    (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF)
		return 0;
	*cp = v;
	return len;
}

void sg_json_quote(struct sbuf *out, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	sbuf_addch(out, '"');
	while (i < len) {
		unsigned c = s[i], cp;
		size_t n;

		switch (c) {
		case '"': sbuf_adds(out, "\\\""); i++; continue;
		case '\\': sbuf_adds(out, "\\\\"); i++; continue;
		case '\b': sbuf_adds(out, "\\b"); i++; continue;
		case '\f': sbuf_adds(out, "\\f"); i++; continue;
		case '\n': sbuf_adds(out, "\\n"); i++; continue;
		case '\r': sbuf_adds(out, "\\r"); i++; continue;
		case '\t': sbuf_adds(out, "\\t"); i++; continue;
		}
		if (c < 0x20 || c == 0x7F) {
			sbuf_addf(out, "\\u%04x", c);
			i++;
			continue;
		}
		n = utf8_seq(s + i, len - i, &cp);
		if (n == 0) {
			sbuf_adds(out, "\\ufffd");
			i++;
		} else if (cp == 0x2028 || cp == 0x2029) {
			sbuf_addf(out, "\\u%04x", cp);
			i += n;
		} else {
			sbuf_add(out, s + i, n);
			i += n;
		}
	}
	sbuf_addch(out, '"');
}

void sg_json_init(struct sg_json *j, struct sbuf *out)
{
	memset(j, 0, sizeof(*j));
	j->out = out;
	j->first[0] = true;
}

/* The comma and key before a value. */
static void member(struct sg_json *j, const char *key)
{
	if (!j->first[j->depth])
		sbuf_addch(j->out, ',');
	j->first[j->depth] = false;
	if (j->depth > 0 && j->close[j->depth] == '}') {
		if (!key)
			SG_BUG("JSON object member without a key");
		sg_json_quote(j->out, key, strlen(key));
		sbuf_addch(j->out, ':');
	} else if (key) {
		SG_BUG("JSON key '%s' outside an object", key);
	}
}

static void open(struct sg_json *j, const char *key, char o, char c)
{
	member(j, key);
	if (j->depth + 1 >= SG_JSON_MAX_DEPTH)
		SG_BUG("JSON nested too deeply");
	sbuf_addch(j->out, o);
	j->depth++;
	j->first[j->depth] = true;
	j->close[j->depth] = c;
}

void sg_json_obj(struct sg_json *j, const char *key)
{
	open(j, key, '{', '}');
}

void sg_json_arr(struct sg_json *j, const char *key)
{
	open(j, key, '[', ']');
}

void sg_json_end(struct sg_json *j)
{
	if (j->depth == 0)
		SG_BUG("sg_json_end() without an open value");
	sbuf_addch(j->out, j->close[j->depth]);
	j->depth--;
}

void sg_json_strn(struct sg_json *j, const char *key, const char *s, size_t len)
{
	member(j, key);
	sg_json_quote(j->out, s, len);
}

void sg_json_str(struct sg_json *j, const char *key, const char *s)
{
	if (!s) {
		sg_json_null(j, key);
		return;
	}
	sg_json_strn(j, key, s, strlen(s));
}

void sg_json_int(struct sg_json *j, const char *key, long long v)
{
	member(j, key);
	sbuf_addf(j->out, "%lld", v);
}

void sg_json_bool(struct sg_json *j, const char *key, bool v)
{
	member(j, key);
	sbuf_adds(j->out, v ? "true" : "false");
}

void sg_json_null(struct sg_json *j, const char *key)
{
	member(j, key);
	sbuf_adds(j->out, "null");
}
