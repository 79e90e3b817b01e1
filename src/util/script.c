// SPDX-License-Identifier: MIT
/* script.c - statement lists shared by emit/, store/ and runner/. */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "schemagen/script.h"
#include "schemagen/util.h"

struct sg_stmt *sg_script_add(struct sg_arena *a, struct sg_script *s,
			      const char *sql)
{
	struct sg_stmt st = { .sql = sg_strdup(a, sql) };

	SG_VEC_PUSH(a, s, st);
	return &s->v[s->n - 1];
}

static const char *const hazard_names[SG_HZ__COUNT] = {
	[SG_HZ_LOCK_ACCESS_EXCLUSIVE] = "lock-access-exclusive",
	[SG_HZ_LOCK_EXCLUSIVE] = "lock-exclusive",
	[SG_HZ_LOCK_SHARE_ROW_EXCLUSIVE] = "lock-share-row-exclusive",
	[SG_HZ_LOCK_SHARE] = "lock-share",
	[SG_HZ_TABLE_REWRITE] = "table-rewrite",
	[SG_HZ_TABLE_SCAN] = "table-scan",
	[SG_HZ_INDEX_BUILD] = "index-build-blocks-writes",
	[SG_HZ_DATA_LOSS] = "data-loss",
	[SG_HZ_MAY_FAIL] = "may-fail",
	[SG_HZ_NO_TRANSACTION] = "no-transaction",
};

const char *sg_hazard_name(enum sg_hazard k)
{
	return (unsigned)k < SG_HZ__COUNT ? hazard_names[k] : NULL;
}

int sg_hazard_of(const char *name, size_t len)
{
	for (int k = 0; k < SG_HZ__COUNT; k++)
		if (strlen(hazard_names[k]) == len && memcmp(hazard_names[k], name, len) == 0)
			return k;
	return -1;
}

void sg_stmt_add_hazard(struct sg_arena *a, struct sg_stmt *st,
			const struct sg_hz *h)
{
	if (st->nhz == st->hzcap)
		st->hz = sg_arena_grow(a, st->hz, &st->hzcap, st->nhz + 1, sizeof(*st->hz));
	st->hz[st->nhz++] = *h;
}

size_t sg_script_hazard_summary(struct sbuf *out, const struct sg_script *s)
{
	size_t count[SG_HZ__COUNT] = { 0 }, total = 0;

	for (size_t i = 0; i < s->n; i++)
		for (size_t k = 0; k < s->v[i].nhz; k++)
			count[s->v[i].hz[k].kind]++;
	/* the worst first: what loses data, then what fails, then locks */
	static const enum sg_hazard order[] = {
		SG_HZ_DATA_LOSS, SG_HZ_MAY_FAIL, SG_HZ_TABLE_REWRITE, SG_HZ_TABLE_SCAN,
		SG_HZ_INDEX_BUILD, SG_HZ_LOCK_ACCESS_EXCLUSIVE, SG_HZ_LOCK_EXCLUSIVE,
		SG_HZ_LOCK_SHARE_ROW_EXCLUSIVE, SG_HZ_LOCK_SHARE, SG_HZ_NO_TRANSACTION,
	};
	for (size_t i = 0; i < ARRAY_SIZE(order); i++) {
		if (!count[order[i]])
			continue;
		sbuf_addf(out, "%s%zu %s", total ? ", " : "", count[order[i]],
			  hazard_names[order[i]]);
		total += count[order[i]];
	}
	return total;
}

static void stmt_format(struct sbuf *out, const struct sg_stmt *st, bool hazards)
{
	if (st->irreversible) {
		sbuf_adds(out, "-- irreversible: ");
		sg_quote_comment(out, st->irreversible);
		sbuf_addch(out, '\n');
	}
	if (st->warning) {
		sbuf_adds(out, "-- WARNING: ");
		sg_quote_comment(out, st->warning);
		sbuf_addch(out, '\n');
	}
	for (size_t k = 0; hazards && k < st->nhz; k++) {
		sbuf_addf(out, "-- hazard: %s: ", hazard_names[st->hz[k].kind]);
		sg_quote_comment(out, st->hz[k].what);
		sbuf_addch(out, '\n');
	}
	sbuf_adds(out, st->sql);
	if (st->sql[0] && st->sql[strlen(st->sql) - 1] != '\n')
		sbuf_addch(out, '\n');
}

void sg_stmt_format(struct sbuf *out, const struct sg_stmt *st)
{
	stmt_format(out, st, true);
}

void sg_stmt_format_sql(struct sbuf *out, const struct sg_stmt *st)
{
	stmt_format(out, st, false);
}

void sg_script_format_sql(struct sbuf *out, const struct sg_script *s)
{
	for (size_t i = 0; i < s->n; i++)
		stmt_format(out, &s->v[i], false);
}

void sg_script_format(struct sbuf *out, const struct sg_script *s)
{
	for (size_t i = 0; i < s->n; i++)
		sg_stmt_format(out, &s->v[i]);
}
