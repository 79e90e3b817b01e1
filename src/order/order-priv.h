/* SPDX-License-Identifier: MIT */
/*
 * order-priv.h - what the files of the orderer share: the nodes (steps) and
 * the orderer's state, and the helpers of order.c (steps, the topological
 * sort), rebuild.c (forced rebuilds, 2 and 2a), implied.c (R8) and
 * edges.c (3).
 */
#ifndef SG_ORDER_PRIV_H
#define SG_ORDER_PRIV_H

#include <stdbool.h>

#include "schemagen/arena.h"
#include "schemagen/diff.h"
#include "schemagen/order.h"

struct node {
	struct sg_step step;
	int index;
	int group;               /* -1 enum values, 0 drop, 1 rename, 2 alter, 3 create */
	bool ownership;          /* a sequence OWNED BY step (R6) */
	bool attach, detach;     /* a table joining / leaving a parent (R7) */
	SG_VEC(int) out;         /* edges to later nodes */
	int indeg;
};

/* Steps that touch one object of a catalog. */
struct objsteps {
	SG_VEC(int) s;
};

struct orderer {
	struct sg_arena *a;
	const struct sg_catalog *from, *to;
	struct sg_diags *d;
	SG_VEC(struct node *) nodes;
	struct objsteps *fsteps;   /* by from-object id */
	struct objsteps *tsteps;   /* by to-object id */
	/* change of each object, by op */
	struct sg_change **fdrop;  /* DROP of from-object */
	struct sg_change **tcreate;/* CREATE of to-object */
	SG_VEC(struct sg_change *) extra; /* changes added by forced rebuilds */
};

const struct sg_object *od_chg_obj(const struct sg_change *c);
int od_group_of(const struct sg_change *c);
struct node *od_new_node(struct orderer *o, struct sg_change *c);
void od_absorb(struct orderer *o, struct node *n, struct sg_change *c);
void od_note(struct orderer *o, struct node *n, struct sg_change *c);
void od_edge(struct orderer *o, int before, int after);
const struct sg_constraint *od_as_con(const struct sg_object *obj);
bool od_inline_on_create(struct orderer *o, const struct sg_change *c);
bool od_absorbed_on_drop(struct orderer *o, const struct sg_change *c);
void od_seq_owner(const struct sg_catalog *cat, const struct sg_sequence *s,
		  const struct sg_object **table, const struct sg_object **col);
struct node *od_add_stash(struct orderer *o, struct node *drop);
void od_add_stash_nodes(struct orderer *o);
bool od_rebuilt_as_type(enum sg_kind k);
bool od_is_seq_drop(const struct sg_change *c);
bool od_rebuildable(enum sg_kind kind);
void od_children(const struct sg_object *rel, const struct sg_object ***out,
		 size_t *n, struct sg_arena *a);
void od_rebuild(struct orderer *o, struct sg_changes *extra, size_t base,
		bool *fdead, bool *tdead, const struct sg_object *x,
		const struct sg_object *xt);
void od_add_dependent_rebuilds(struct orderer *o, struct sg_changes *all);
int od_add_forced_rebuilds(struct orderer *o, struct sg_changes *all);
bool od_only(const struct sg_object *x);
void od_build_steps(struct orderer *o, struct sg_change **changes, size_t n);
void od_rule_to_deps(struct orderer *o);
void od_rule_from_deps(struct orderer *o);
void od_rule_names(struct orderer *o);
void od_rule_parents(struct orderer *o);
void od_rule_ownership(struct orderer *o);
void od_rule_owner_grants(struct orderer *o);
bool od_touches(const struct sg_change *c, const struct sg_object *ft,
		const struct sg_object *tt);
void od_rule_links(struct orderer *o);
void od_rule_clone_first(struct orderer *o);
void od_rule_table_alters(struct orderer *o);
#define edge_later od_edge

#endif
