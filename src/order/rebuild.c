// SPDX-License-Identifier: MIT
/*
 * rebuild.c - forced rebuilds: dependents of what is dropped or retyped dropped
 * and re-created around the change (2a), and unchanged objects around a
 * drop, types renamed aside and rebuilt (2); see order.c
 */
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/diff.h"
#include "schemagen/order.h"
#include "schemagen/sbuf.h"
#include "order-priv.h"
/* ---- rebuilds of dependents (2a) ---- */

/*
 * Kinds whose objects can be dropped and re-created without losing data,
 * and that PostgreSQL will not let stay while something they depend on is
 * dropped or has its column type changed (ALTER COLUMN TYPE: "cannot alter
 * type of a column used by a view or rule", "... used by a function or
 * procedure", "... used in a trigger definition", "... used in a policy
 * definition").  Add a kind here to have its objects rebuilt around such
 * changes; a relation is rebuilt with all its children.  Functions record
 * column dependencies only for SQL-standard bodies.
 */
bool od_rebuildable(enum sg_kind kind)
{
	return sg_kind(kind)->rebuildable;
}

/*
 * The object of `to` that takes the place of from-object x, by name: for
 * a relation a table or view of the same name (a table replaced by a view
 * is the same name for whatever depends on it), for a column the column of
 * that relation.
 */
static const struct sg_object *successor(const struct orderer *o,
					 const struct sg_object *x)
{
	const struct sg_object *p;

	if (x->kind == SG_KIND_COLUMN) {
		const struct sg_column *c;

		p = successor(o, x->parent);
		c = p ? sg_table_column((const struct sg_table *)p, x->name) : NULL;
		return c ? &c->obj : NULL;
	}
	if (sg_kind_is_relation(x->kind)) {
		p = sg_catalog_find(o->to, SG_KIND_TABLE, x->schema, NULL, x->name);
		if (!p)
			p = sg_catalog_find(o->to, SG_KIND_FOREIGN_TABLE, x->schema,
					    NULL, x->name);
		return p ? p : sg_catalog_find(o->to, SG_KIND_VIEW, x->schema, NULL,
					       x->name);
	}
	return sg_catalog_find(o->to, x->kind, x->schema,
			       x->parent ? x->parent->name : NULL, x->name);
}

static struct sg_change *new_change(struct orderer *o, struct sg_changes *extra,
				    size_t base, enum sg_op op,
				    const struct sg_object *from,
				    const struct sg_object *to)
{
	struct sg_change *c = sg_alloc(o->a, sizeof(*c));

	c->op = op;
	c->kind = (from ? from : to)->kind;
	c->from = from;
	c->to = to;
	c->id = (int)(base + extra->n);
	SG_VEC_PUSH(o->a, extra, c);
	if (op == SG_OP_DROP)
		o->fdrop[from->id] = c;
	else
		o->tcreate[to->id] = c;
	return c;
}

/* The children of a relation, in the order their changes are made. */
void od_children(const struct sg_object *rel, const struct sg_object ***out,
		 size_t *n, struct sg_arena *a)
{
	const struct sg_table *t = (const struct sg_table *)rel;
	size_t k = 0;

	*out = sg_alloc_array(a, t->ncolumns + t->nconstraints + t->nindexes +
			      t->ntriggers + t->npolicies + 1, sizeof(**out));
	for (size_t i = 0; i < t->ncolumns; i++)
		(*out)[k++] = &t->columns[i]->obj;
	for (size_t i = 0; i < t->nconstraints; i++)
		(*out)[k++] = &t->constraints[i]->obj;
	for (size_t i = 0; i < t->nindexes; i++)
		(*out)[k++] = &t->indexes[i]->obj;
	for (size_t i = 0; i < t->ntriggers; i++)
		(*out)[k++] = &t->triggers[i]->obj;
	for (size_t i = 0; i < t->npolicies; i++)
		(*out)[k++] = &t->policies[i]->obj;
	*n = k;
}

/*
 * x (from) is dropped and xt (to) created in place of whatever the differ
 * said about them: their changes, and those of their children, are marked
 * dead (fdead/tdead) and replaced by a drop and a create of each.
 */
void od_rebuild(struct orderer *o, struct sg_changes *extra, size_t base,
		bool *fdead, bool *tdead, const struct sg_object *x,
		const struct sg_object *xt)
{
	const struct sg_object **kids;
	size_t n;

	fdead[x->id] = tdead[xt->id] = true;
	new_change(o, extra, base, SG_OP_DROP, x, NULL);
	if (sg_kind_is_relation(x->kind)) {
		od_children(x, &kids, &n, o->a);
		for (size_t i = 0; i < n; i++) {
			fdead[kids[i]->id] = true;
			new_change(o, extra, base, SG_OP_DROP, kids[i], NULL);
		}
	}
	new_change(o, extra, base, SG_OP_CREATE, NULL, xt);
	if (sg_kind_is_relation(xt->kind)) {
		od_children(xt, &kids, &n, o->a);
		for (size_t i = 0; i < n; i++) {
			tdead[kids[i]->id] = true;
			new_change(o, extra, base, SG_OP_CREATE, NULL, kids[i]);
		}
	}
}

/*
 * An ALTER of from-object x that replaces its definition in place: CREATE
 * OR REPLACE, or an ALTER POLICY that sets new expressions (which the
 * policy's USING or WITH CHECK must, when a column it used is dropped).
 */
static bool replaced_in_place(struct sg_change **v, size_t n,
			      const struct sg_object *x)
{
	for (size_t i = 0; i < n; i++)
		if (v[i]->op == SG_OP_ALTER && v[i]->from == x &&
		    (v[i]->what & (SG_CHG_DEFINITION | SG_CHG_POLICY)))
			return true;
	return false;
}

/*
 * Rebuilds of dependents (2a), before the steps are made.  An object of a
 * rebuildable kind that stays (it is in `to` by name) and depends, in
 * `from`, on an object that is dropped, on a type that is rebuilt, or on a
 * column whose type changes (an ALTER with SG_CHG_TYPE, or a column of a
 * rebuilt type, which will be recast) is dropped and re-created around the
 * change, with its children -- whether the differ found it unchanged or
 * altered.  One
 * exception: an object replaced in place (CREATE OR REPLACE) whose
 * dependency is dropped for good (nothing takes its name in `to`) is kept,
 * since its replacement no longer uses it; rule R2 puts the replacement
 * before the drop.  Repeated until nothing changes: a view rebuilt makes
 * the views on it rebuilt.
 */
void od_add_dependent_rebuilds(struct orderer *o, struct sg_changes *all)
{
	const struct sg_catalog *from = o->from;
	bool *retyped = sg_alloc_array(o->a, from->nobjs + 1, sizeof(bool));
	bool *rebuilt = sg_alloc_array(o->a, from->nobjs + 1, sizeof(bool));
	bool *fdead = sg_alloc_array(o->a, from->nobjs + 1, sizeof(bool));
	bool *tdead = sg_alloc_array(o->a, o->to->nobjs + 1, sizeof(bool));
	struct sg_changes extra = { 0 };
	size_t base = all->n, w = 0;
	bool again = true;

	for (size_t i = 0; i < all->n; i++) {
		const struct sg_change *c = all->v[i];

		if (c->op == SG_OP_ALTER && c->kind == SG_KIND_COLUMN &&
		    (c->what & SG_CHG_TYPE))
			retyped[c->from->id] = true;
	}
	/*
	 * Types rebuilt: those the differ rebuilds and, as (b) will, the types
	 * built on one of them; the columns of such types are recast.
	 */
	for (size_t i = 0; i < all->n; i++)
		if (all->v[i]->op == SG_OP_DROP && (all->v[i]->what & SG_CHG_REBUILD))
			rebuilt[all->v[i]->from->id] = true;
	while (again) {
		again = false;
		for (size_t i = 0; i < from->ndeps; i++) {
			const struct sg_dep *dp = &from->deps[i];

			if (rebuilt[dp->ref->id] && !rebuilt[dp->obj->id] &&
			    od_rebuilt_as_type(dp->obj->kind)) {
				rebuilt[dp->obj->id] = true;
				again = true;
			}
		}
	}
	for (size_t i = 0; i < from->ndeps; i++) {
		const struct sg_dep *dp = &from->deps[i];

		if (dp->obj->kind == SG_KIND_COLUMN && rebuilt[dp->ref->id])
			retyped[dp->obj->id] = true;
	}
	again = true;
	while (again) {
		again = false;
		for (size_t i = 0; i < from->ndeps; i++) {
			const struct sg_dep *dp = &from->deps[i];
			const struct sg_object *x = dp->obj, *y = dp->ref, *xt;

			if (!od_rebuildable(x->kind) || o->fdrop[x->id])
				continue;
			if (!o->fdrop[y->id] && !retyped[y->id] && !rebuilt[y->id])
				continue;
			if (y == x || y->parent == x || (x->parent && x->parent == y))
				continue;
			/* a child of a dropped relation goes (and comes back) with it */
			if (x->parent && o->fdrop[x->parent->id])
				continue;
			xt = sg_catalog_find(o->to, x->kind, x->schema,
					     x->parent ? x->parent->name : NULL, x->name);
			if (!xt)
				continue;   /* dropped anyway; the differ said so */
			if (!retyped[y->id] && !successor(o, y) &&
			    replaced_in_place(all->v, all->n, x))
				continue;
			od_rebuild(o, &extra, base, fdead, tdead, x, xt);
			again = true;
		}
	}
	if (!extra.n)
		return;
	/* the differ's changes of what is rebuilt give way to the rebuild */
	for (size_t i = 0; i < all->n; i++) {
		struct sg_change *c = all->v[i];

		if ((c->from && fdead[c->from->id]) || (c->to && tdead[c->to->id]))
			continue;
		all->v[w++] = c;
	}
	all->n = w;
	for (size_t i = 0; i < extra.n; i++)
		SG_VEC_PUSH(o->a, all, extra.v[i]);
}

/* ---- forced rebuilds (2) ---- */

static bool has_steps(const struct orderer *o, const struct sg_object *from_obj)
{
	return o->fsteps[from_obj->id].s.n > 0;
}

/*
 * A column whose enum type is rebuilt is cast to the new type through text:
 * its ALTER (made if it had none) gets SG_CHG_TYPE | SG_CHG_RECAST.
 */
static bool recast_column(struct orderer *o, struct sg_changes *all,
			  const struct sg_object *x, const struct sg_object *xt,
			  const struct sg_object *type)
{
	const struct sg_object *type_to = sg_catalog_find(o->to, type->kind,
							  type->schema, NULL,
							  type->name);
	struct sg_change *c;

	for (size_t i = 0; i < o->nodes.n; i++) {
		c = o->nodes.v[i]->step.change;
		if (c->op == SG_OP_ALTER && c->from == x) {
			if (c->what & SG_CHG_RECAST)
				return false;
			c->what |= SG_CHG_TYPE | SG_CHG_RECAST;
			c->recast_from = type;
			c->recast_to = type_to;
			return true;
		}
	}
	c = sg_alloc(o->a, sizeof(*c));
	c->op = SG_OP_ALTER;
	c->kind = SG_KIND_COLUMN;
	c->from = x;
	c->to = xt;
	c->recast_from = type;
	c->recast_to = type_to;
	c->what = SG_CHG_TYPE | SG_CHG_RECAST;
	c->id = (int)all->n;
	SG_VEC_PUSH(o->a, all, c);
	od_note(o, od_new_node(o, c), c);
	return true;
}

/*
 * A type altered in place (a composite type gaining an attribute, a domain
 * getting a new default) that depends on something dropped or rebuilt is
 * rebuilt instead: its ALTER becomes the DROP of the rebuild, a CREATE and
 * the step that renames it aside are added.  Returns whether it did.
 */
static bool rebuild_altered(struct orderer *o, struct sg_changes *all,
			    const struct sg_object *x)
{
	const struct objsteps *fs = &o->fsteps[x->id];

	for (size_t k = 0; k < fs->s.n; k++) {
		struct node *n = o->nodes.v[fs->s.v[k]];
		struct sg_change *c = n->step.change, *cc;

		if (c->op != SG_OP_ALTER || c->from != x || !c->to)
			continue;
		cc = sg_alloc(o->a, sizeof(*cc));
		cc->op = SG_OP_CREATE;
		cc->kind = c->kind;
		cc->to = c->to;
		cc->what = SG_CHG_REBUILD;
		cc->id = (int)all->n;
		SG_VEC_PUSH(o->a, all, cc);
		c->op = SG_OP_DROP;
		c->to = NULL;
		c->what = SG_CHG_REBUILD;
		n->group = od_group_of(c);
		o->fdrop[x->id] = c;
		o->tcreate[cc->to->id] = cc;
		od_note(o, od_new_node(o, cc), cc);
		n = od_add_stash(o, n);
		od_note(o, n, n->step.change);
		return true;
	}
	return false;
}

/*
 * A column whose default calls a function that is dropped and created
 * again keeps its data: its default is dropped before the function goes
 * (a DROP change with SG_CHG_AROUND, ordered like a drop) and set again
 * once the new function exists (a CREATE with SG_CHG_AROUND, ordered like
 * a creation).  They are not recorded in fdrop/tcreate: the column itself
 * stays, and so does everything that depends on it.
 */
static bool default_around(struct orderer *o, struct sg_changes *all,
			   const struct sg_object *x, const struct sg_object *y,
			   const struct sg_object *xt)
{
	const struct sg_column *c = (const struct sg_column *)x;
	const struct sg_column *ct = (const struct sg_column *)xt;
	struct sg_change *dc, *cc;

	if (x->kind != SG_KIND_COLUMN || y->kind != SG_KIND_FUNCTION ||
	    !c->default_expr || c->generated || !ct->default_expr || ct->generated)
		return false;
	dc = sg_alloc(o->a, sizeof(*dc));
	dc->op = SG_OP_DROP;
	dc->kind = SG_KIND_COLUMN;
	dc->from = x;
	dc->what = SG_CHG_AROUND;
	dc->id = (int)all->n;
	SG_VEC_PUSH(o->a, all, dc);
	cc = sg_alloc(o->a, sizeof(*cc));
	cc->op = SG_OP_CREATE;
	cc->kind = SG_KIND_COLUMN;
	cc->to = xt;
	cc->what = SG_CHG_AROUND;
	cc->id = (int)all->n;
	SG_VEC_PUSH(o->a, all, cc);
	od_note(o, od_new_node(o, dc), dc);
	od_note(o, od_new_node(o, cc), cc);
	return true;
}

/*
 * Adds DROP+CREATE changes for unchanged objects that depend on an object
 * being dropped.  Returns -1 (with a diagnostic) when such an object cannot
 * be rebuilt (a column: that would lose its data), unless only its default
 * needs to step aside (default_around).
 */
int od_add_forced_rebuilds(struct orderer *o, struct sg_changes *all)
{
	bool again = true;
	int rc = 0;

	while (again) {
		again = false;
		for (size_t i = 0; i < o->from->ndeps; i++) {
			const struct sg_dep *dp = &o->from->deps[i];
			const struct sg_object *x = dp->obj, *y = dp->ref, *xt;
			struct sg_change *dc, *cc;

			if (!o->fdrop[y->id])
				continue;
			if (x->kind == SG_KIND_COLUMN &&
			    (o->fdrop[y->id]->what & SG_CHG_REBUILD)) {
				if (o->fdrop[x->id] || (x->parent && o->fdrop[x->parent->id]))
					continue;
				xt = sg_catalog_find(o->to, x->kind, x->schema,
						     x->parent->name, x->name);
				if (xt && recast_column(o, all, x, xt, y))
					again = true;
				continue;
			}
			if (has_steps(o, x)) {
				if (od_rebuilt_as_type(x->kind) && !o->fdrop[x->id] &&
				    rebuild_altered(o, all, x))
					again = true;
				continue;
			}
			if (x->parent == y || (y->parent && x == y->parent))
				continue;
			/* a child of a dropped table goes with it */
			if (x->parent && o->fdrop[x->parent->id])
				continue;
			xt = sg_catalog_find(o->to, x->kind, x->schema,
					     x->parent ? x->parent->name : NULL, x->name);
			if (!xt)
				continue;   /* dropped anyway; the differ said so */
			if (default_around(o, all, x, y, xt)) {
				again = true;
				continue;
			}
			if (x->kind == SG_KIND_COLUMN || x->kind == SG_KIND_TABLE ||
			    x->kind == SG_KIND_FOREIGN_TABLE || x->kind == SG_KIND_SCHEMA) {
				struct sbuf a = SBUF_INIT, b = SBUF_INIT;

				sg_object_describe(&a, y);
				sg_object_describe(&b, x);
				sg_diag_error(o->d, y->loc, "cannot drop %s: %s depends on it",
					      a.buf, b.buf);
				sbuf_release(&a);
				sbuf_release(&b);
				rc = -1;
				continue;
			}
			dc = sg_alloc(o->a, sizeof(*dc));
			dc->op = SG_OP_DROP;
			dc->kind = x->kind;
			dc->from = x;
			dc->id = (int)all->n;
			SG_VEC_PUSH(o->a, all, dc);
			cc = sg_alloc(o->a, sizeof(*cc));
			cc->op = SG_OP_CREATE;
			cc->kind = x->kind;
			cc->to = xt;
			cc->id = (int)all->n;
			SG_VEC_PUSH(o->a, all, cc);
			/* a type is rebuilt: its columns are recast, not lost */
			if (od_rebuilt_as_type(x->kind))
				dc->what = cc->what = SG_CHG_REBUILD;
			o->fdrop[x->id] = dc;
			o->tcreate[xt->id] = cc;
			/* give them steps now so has_steps() sees them */
			{
				struct node *dn = od_new_node(o, dc);

				od_note(o, dn, dc);
				od_note(o, od_new_node(o, cc), cc);
				if (dc->what & SG_CHG_REBUILD) {
					struct node *sn = od_add_stash(o, dn);

					od_note(o, sn, sn->step.change);
				}
			}
			again = true;
		}
	}
	return rc;
}
