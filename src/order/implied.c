// SPDX-License-Identifier: MIT
/*
 * implied.c - changes PostgreSQL makes by itself (R8: a parent's index cloned
 * onto a partition, a partition's inherited column); see order.c
 */
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/diff.h"
#include "schemagen/order.h"
#include "schemagen/sbuf.h"
#include "order-priv.h"
/* ---- implied changes (R8) ---- */

static bool is_implied(const struct sg_change *c)
{
	return (c->what & SG_CHG_IMPLIED) && c->op != SG_OP_RENAME &&
	       od_chg_obj(c)->parent;
}

/* How many parents up a table's partition or inheritance tree goes. */
static int tree_depth(const struct sg_table *t)
{
	int d = 0;

	while (d < 32 && (t->partition_parent ||
			  (t->ninherits && t->inherits_tables && t->inherits_tables[0]))) {
		t = t->partition_parent ? t->partition_parent : t->inherits_tables[0];
		d++;
	}
	return d;
}

/*
 * The object of a parent table that a child's object comes from: the
 * column or check of the same name, the constraint or index named by
 * attached_to.
 */
static const struct sg_object *origin_of(const struct sg_catalog *cat,
					 const struct sg_object *x)
{
	const struct sg_table *ps[8];
	size_t np = sg_table_parents((const struct sg_table *)x->parent, ps, 8);
	const char *name = x->name;

	if (x->kind == SG_KIND_INDEX && ((const struct sg_index *)x)->attached_to)
		name = ((const struct sg_index *)x)->attached_to;
	if (x->kind == SG_KIND_CONSTRAINT &&
	    ((const struct sg_constraint *)x)->attached_to)
		name = ((const struct sg_constraint *)x)->attached_to;
	for (size_t i = 0; i < np; i++) {
		const struct sg_object *c = sg_catalog_find(cat, x->kind,
			ps[i]->obj.schema, ps[i]->obj.name, name);

		/* a key's index may be attached to a plain index, an
		 * index to a key's */
		if (!c && x->kind == SG_KIND_CONSTRAINT && name != x->name)
			c = sg_catalog_find(cat, SG_KIND_INDEX, ps[i]->obj.schema,
					    ps[i]->obj.name, name);
		if (!c && x->kind == SG_KIND_INDEX)
			c = sg_catalog_find(cat, SG_KIND_CONSTRAINT,
					    ps[i]->obj.schema, ps[i]->obj.name, name);
		if (c)
			return c;
	}
	return NULL;
}

/*
 * An attached index or key that PostgreSQL would not make as it is: a clone
 * with a name other than the default, or a local key whose index the
 * parent adopted.
 */
static bool own_name(const struct sg_object *x)
{
	if (x->kind == SG_KIND_INDEX)
		return !sg_streq(x->name, ((const struct sg_index *)x)->default_name);
	if (x->kind == SG_KIND_CONSTRAINT) {
		const struct sg_constraint *k = (const struct sg_constraint *)x;

		return !k->inherited || !sg_streq(x->name, k->default_name);
	}
	return false;
}

/* A partitioned table's index or key made for the table only. */
bool od_only(const struct sg_object *x)
{
	if (x->kind == SG_KIND_INDEX)
		return ((const struct sg_index *)x)->only;
	if (x->kind == SG_KIND_CONSTRAINT)
		return ((const struct sg_constraint *)x)->only;
	return false;
}

struct implied_ent {
	struct sg_change *c;
	int depth;
	size_t pos;
};

static int implied_cmp(const void *pa, const void *pb)
{
	const struct implied_ent *a = pa, *b = pb;

	if (a->depth != b->depth)
		return a->depth < b->depth ? -1 : 1;
	return (a->pos > b->pos) - (a->pos < b->pos);
}

/*
 * Is x an index or key that R10 creates before the partitions created with
 * its table (so that creating them clones it)?  Other objects with a
 * statement of their own (a foreign key or NOT VALID check added by ALTER
 * TABLE, as between tables that reference each other) come after the
 * partitions, and that statement clones them.
 */
static bool cloned_by_partition(const struct sg_object *x)
{
	const struct sg_constraint *k = od_as_con(x);

	return x->kind == SG_KIND_INDEX ||
	       (k && (k->type == 'p' || k->type == 'u'));
}

/*
 * Finds the step that makes an implied change happen (see R8 above) and
 * folds the change into it; parents' changes are placed before their
 * children's, so that a clone of a clone finds its host.
 */
static void place_implied(struct orderer *o, struct sg_change **changes,
			  size_t n, struct node **tnode, struct node **fnode)
{
	SG_VEC(struct implied_ent) v = { 0 };
	struct node **attach = sg_alloc_array(o->a, o->to->nobjs + 1, sizeof(*attach));
	struct node **alter = sg_alloc_array(o->a, o->to->nobjs + 1, sizeof(*alter));

	for (size_t i = 0; i < o->nodes.n; i++) {
		struct node *nd = o->nodes.v[i];
		const struct sg_change *c = nd->step.change;

		if (nd->attach)
			attach[c->to->id] = nd;
		else if (c->op == SG_OP_ALTER && c->to && c->from)
			alter[c->to->id] = nd;
	}
	for (size_t i = 0; i < n; i++) {
		struct implied_ent e = { changes[i], 0, i };

		if (!is_implied(changes[i]))
			continue;
		e.depth = tree_depth((const struct sg_table *)od_chg_obj(changes[i])->parent);
		SG_VEC_PUSH(o->a, &v, e);
	}
	if (v.n > 1)
		qsort(v.v, v.n, sizeof(*v.v), implied_cmp);
	for (size_t i = 0; i < v.n; i++) {
		struct sg_change *c = v.v[i].c;
		const struct sg_object *r = od_chg_obj(c)->parent, *cp;
		struct node *host = NULL;

		if (c->op == SG_OP_CREATE) {
			struct node *rn = tnode[r->id], *cn;

			cp = origin_of(o->to, c->to);
			cn = cp ? tnode[cp->id] : NULL;
			if (rn) {
				/* a clone of its own name is made by the
				 * partition before the parent's index adopts
				 * it, and a clone of a parent's constraint
				 * added by a statement of its own by that
				 * statement, after the partition; others by
				 * the partition's creation, after the
				 * parent's index (R10) */
				if (cn && cn != tnode[cp->parent->id] &&
				    (own_name(c->to) || od_only(cp) ||
				     !cloned_by_partition(cp))) {
					host = cn;
					od_edge(o, rn->index, cn->index);
				} else {
					host = rn;
				}
			} else if (attach[r->id]) {
				host = attach[r->id];
			} else {
				host = cn;
			}
			if (host)
				od_absorb(o, host, c);
			else
				host = od_new_node(o, c);
			tnode[c->to->id] = host;
		} else if (c->op == SG_OP_DROP) {
			cp = origin_of(o->from, c->from);
			host = fnode[r->id] ? fnode[r->id] : cp ? fnode[cp->id] : NULL;
			if (host)
				od_absorb(o, host, c);
			else
				host = od_new_node(o, c);
			fnode[c->from->id] = host;
		} else {
			/* an inherited column altered with its parent's */
			cp = origin_of(o->to, c->to);
			host = cp ? alter[cp->id] : NULL;
			if (host)
				od_absorb(o, host, c);
			else
				od_new_node(o, c);
		}
	}
}

/*
 * Three passes: relations (so children find the step that absorbs them), then
 * everything else but sequence drops, then sequence drops (an owned
 * sequence goes with its owner's drop, table or column, which exists by
 * then).
 */
void od_build_steps(struct orderer *o, struct sg_change **changes, size_t n)
{
	struct node **tnode = sg_alloc_array(o->a, o->to->nobjs + 1, sizeof(*tnode));
	struct node **fnode = sg_alloc_array(o->a, o->from->nobjs + 1, sizeof(*fnode));

	for (int pass = 0; pass < 3; pass++) {
		for (size_t i = 0; i < n; i++) {
			struct sg_change *c = changes[i];
			const struct sg_object *obj = od_chg_obj(c);
			bool table = sg_kind_is_relation(c->kind) &&
				     (c->op == SG_OP_CREATE || c->op == SG_OP_DROP);
			struct node *host = NULL;

			if (is_implied(c) ||
			    pass != (table ? 0 : od_is_seq_drop(c) ? 2 : 1))
				continue;
			if (pass == 0) {
				host = od_new_node(o, c);
			} else if (obj->parent && c->op == SG_OP_CREATE &&
				   tnode[obj->parent->id] && od_inline_on_create(o, c)) {
				host = tnode[obj->parent->id];
				od_absorb(o, host, c);
			} else if (obj->parent && c->op == SG_OP_DROP &&
				   fnode[obj->parent->id] && od_absorbed_on_drop(o, c)) {
				host = fnode[obj->parent->id];
				od_absorb(o, host, c);
			} else if (pass == 2) {
				const struct sg_object *ot, *oc;

				od_seq_owner(o->from, (const struct sg_sequence *)c->from,
					  &ot, &oc);
				if (ot && fnode[ot->id])
					host = fnode[ot->id];
				else if (oc && fnode[oc->id])
					host = fnode[oc->id];
				if (host)
					od_absorb(o, host, c);
				else
					host = od_new_node(o, c);
			} else {
				host = od_new_node(o, c);
			}
			if (c->op == SG_OP_CREATE)
				tnode[c->to->id] = host;
			else if (c->op == SG_OP_DROP)
				fnode[c->from->id] = host;
		}
	}
	place_implied(o, changes, n, tnode, fnode);
	od_add_stash_nodes(o);
	for (size_t i = 0; i < o->nodes.n; i++) {
		struct node *nd = o->nodes.v[i];
		const struct sg_change *c = nd->step.change;

		od_note(o, nd, nd->step.change);
		for (size_t k = 0; k < nd->step.nabsorbed; k++)
			od_note(o, nd, nd->step.absorbed[k]);
		if (c->kind == SG_KIND_CONSTRAINT && c->op == SG_OP_CREATE &&
		    tnode[c->to->parent->id] && tnode[c->to->parent->id] != nd)
			nd->step.separate_fk = true;
	}
}
