// SPDX-License-Identifier: MIT
/* script.c - statement lists shared by emit/, store/ and runner/. */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "schemagen/script.h"

struct sg_stmt *sg_script_add(struct sg_arena *a, struct sg_script *s,
			      const char *sql)
{
	struct sg_stmt st = { .sql = sg_strdup(a, sql) };

	SG_VEC_PUSH(a, s, st);
	return &s->v[s->n - 1];
}

void sg_stmt_format(struct sbuf *out, const struct sg_stmt *st)
{
	if (st->warning) {
		sbuf_adds(out, "-- WARNING: ");
		sg_quote_comment(out, st->warning);
		sbuf_addch(out, '\n');
	}
	sbuf_adds(out, st->sql);
	if (st->sql[0] && st->sql[strlen(st->sql) - 1] != '\n')
		sbuf_addch(out, '\n');
}

void sg_script_format(struct sbuf *out, const struct sg_script *s)
{
	for (size_t i = 0; i < s->n; i++)
		sg_stmt_format(out, &s->v[i]);
}
