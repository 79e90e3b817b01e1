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

/* Appends the statements of every step to script. */
void emit_plan(struct sg_arena *a, const struct sg_plan *plan,
	       struct sg_script *script);

/*
 * One line describing a change for `check` and `diff` summaries:
 * "+ table public.orders", "- column public.t.c",
 * "~ column public.t.c: type text -> integer".
 */
void emit_describe(struct sbuf *out, const struct sg_change *c);

#endif
