/* SPDX-License-Identifier: MIT */
/*
 * emit.h - SQL for an ordered plan (src/emit/).  Every identifier and
 * literal goes through quote.h; output is deterministic.
 */
#ifndef SG_EMIT_H
#define SG_EMIT_H

struct sg_arena;
struct sg_plan;
struct sg_script;
struct sg_change;
struct sbuf;

#include <stdbool.h>

#include "schemagen/model.h"

/* Appends the statements of every step to script. */
void emit_plan(struct sg_arena *a, const struct sg_plan *plan,
	       struct sg_script *script);

/*
 * emit_plan(), or with online an online plan: indexes built and dropped
 * CONCURRENTLY, constraints added NOT VALID and validated on their own,
 * SET NOT NULL through a validated check, keys through a unique index
 * built concurrently; rewrites marked `-- not online:` (src/emit/online.c).
 */
void emit_plan_online(struct sg_arena *a, const struct sg_plan *plan,
		      struct sg_script *script, bool online);

/*
 * One line describing a change for `check` and `diff` summaries:
 * "+ table public.orders", "- column public.t.c",
 * "~ column public.t.c: type text -> integer".
 */
void emit_describe(struct sbuf *out, const struct sg_change *c);

/*
 * Does a column type change from `from` to `to` keep every value exactly
 * (a longer varchar, a larger integer, anything to text, ...)?
 */
bool emit_type_widens(struct sg_arena *a, const char *from, const char *to);

/* Does emit have its row for this kind?  (tests/unit/t-kinds) */
bool emit_kind_supported(enum sg_kind kind);

#endif
