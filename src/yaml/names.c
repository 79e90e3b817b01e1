// SPDX-License-Identifier: MIT
/*
 * names.c - the names PostgreSQL gives unnamed constraints and indexes
 * (makeObjectName, ChooseIndexNameAddition and ChooseIndexColumnNames of
 * src/backend/commands/indexcmds.c), used as placeholders for the
 * constraints and indexes a model leaves unnamed (obj.auto_name), and the
 * splitting of SQL qualified names for the writer.
 *
 * The placeholders only need to be unique and recognisable: emit leaves the
 * name out and the server chooses the real one when the models are
 * materialised.  Shaping them like the server's choice keeps messages
 * about them readable.
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/util.h"
#include "schemagen/sbuf.h"
#include "yaml-priv.h"

size_t pg_clip_len(const char *s, size_t max)
{
	size_t len = strlen(s);

	if (len <= max)
		return len;
	/* pg_mbcliplen(): never cut a UTF-8 character in two */
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

char *pg_object_name(struct sg_arena *a, const char *name1, const char *name2,
		     const char *label)
{
	size_t n1 = strlen(name1), n2 = name2 ? strlen(name2) : 0;
	size_t overhead = 0, avail;
	struct sbuf sb = SBUF_INIT;
	char *r;

	if (label)
		overhead += strlen(label) + 1;
	if (name2)
		overhead++;
	avail = SG_NAME_MAX > overhead ? SG_NAME_MAX - overhead : 0;
	/* truncate the longer name first, as makeObjectName() does */
	while (n1 + n2 > avail) {
		if (n1 > n2)
			n1--;
		else
			n2--;
	}
	n1 = pg_clip_len(name1, n1);
	sbuf_add(&sb, name1, n1);
	if (name2) {
		n2 = pg_clip_len(name2, n2);
		sbuf_addch(&sb, '_');
		sbuf_add(&sb, name2, n2);
	}
	if (label) {
		sbuf_addch(&sb, '_');
		sbuf_adds(&sb, label);
	}
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

char *pg_name_addition(struct sg_arena *a, const char *const *names, size_t n)
{
	struct sbuf sb = SBUF_INIT;
	char *r;

	for (size_t i = 0; i < n; i++) {
		if (sb.len > 0)
			sbuf_addch(&sb, '_');
		sbuf_add(&sb, names[i], pg_clip_len(names[i], SG_NAME_MAX));
		if (sb.len >= SG_NAME_MAX + 1)
			break;
	}
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

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

int sql_split_name(struct sg_arena *a, const char *text, const char **schema,
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
