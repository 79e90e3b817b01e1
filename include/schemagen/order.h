/* SPDX-License-Identifier: MIT */
/*
 * order.h - putting changes in an order PostgreSQL accepts (src/order/).
 *
 * Changes become steps; a created table absorbs the creation of its columns
 * and of the constraints that can be written inline, a dropped table the
 * drops of its children.  Edges come from the dependencies of both catalogs:
 * what a step creates or alters needs what it depends on (in `to`) created
 * first; what a step drops must first lose its dependents (in `from`).  A
 * topological sort with a heap keyed on a deterministic base order (drops
 * before creations, kind priority, schema, name; pg_dump's TopoSort) gives
 * the same file for the same change every time.  Loops are broken by
 * splitting foreign keys and sequence ownership into later steps; a loop
 * that cannot be broken is described by object name.
 */
#ifndef SG_ORDER_H
#define SG_ORDER_H

#include <stdbool.h>
#include <stddef.h>

struct sg_arena;
struct sg_catalog;
struct sg_change;
struct sg_changes;
struct sg_diags;

struct sg_step {
	struct sg_change *change;     /* the main change */
	struct sg_change **absorbed;  /* children emitted with it */
	size_t nabsorbed, abscap;
	bool separate_fk;             /* (constraint) added after its table */
};

struct sg_plan {
	struct sg_step **steps;       /* in execution order */
	size_t n, cap;
	/* the catalog the plan goes to (order_changes()): what an object
	 * created gets by default depends on its global default privileges */
	const struct sg_catalog *to;
};

int order_changes(struct sg_arena *a, const struct sg_catalog *from,
		  const struct sg_catalog *to, const struct sg_changes *changes,
		  struct sg_plan *out, struct sg_diags *d);

#endif
