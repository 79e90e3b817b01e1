// SPDX-License-Identifier: MIT
/*
 * scan.c - SQL text read by hand where no parse tree is wanted: qualified
 * names ("s"."n", U&"..." spellings).
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
