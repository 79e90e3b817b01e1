// SPDX-License-Identifier: MIT
/*
 * order.c - turns the differ's changes into steps in an order PostgreSQL
 * accepts.
 *
 * 1. Steps.  A created table absorbs the creation of its columns and of the
 *    constraints that can be written inside CREATE TABLE (primary key,
 *    unique, check, and foreign keys whose referenced table exists already);
 *    a dropped table absorbs the drops of its children, and the drop of a
 *    sequence it owns.  Foreign keys between tables created (or dropped)
 *    together stay separate steps: that is how loops between tables are
 *    broken, as pg_dump splits FK constraints out.
 * 2. Forced rebuilds.  (a) Before the steps are made, an object of a kind
 *    that can be re-created without data loss (views, functions, triggers,
 *    policies; see rebuildable()) that stays but depends on something
 *    dropped, or on a column whose type changes, is dropped and re-created
 *    around the change with its children, transitively (views on views,
 *    functions on views); PostgreSQL refuses both changes while such
 *    dependents exist.
 *    An object replaced in place whose dependency goes away for good is
 *    kept (its replacement comes first: CREATE OR REPLACE, ALTER POLICY).
 *    (b) After, an unchanged object that depends on something being
 *    dropped is dropped and re-created around it (a foreign key on a unique
 *    constraint that is replaced, a trigger on a function that is).  A
 *    column cannot be: when it is the column's default that calls a
 *    function being dropped, only the default is dropped before and set
 *    again after (a DROP and a CREATE of the column with SG_CHG_AROUND);
 *    anything else is an error.  Types and collations (enums, domains,
 *    composite types) are rebuilt the way a changed enum is: renamed aside,
 *    created anew, the columns that use them recast, the old one dropped
 *    last; so a domain over a rebuilt domain, or a composite type with an
 *    attribute of one, takes its columns along instead of failing.  A type
 *    that was only to be altered in place is rebuilt instead when what it
 *    depends on is (its ALTER becomes the rebuild's DROP).  An alteration
 *    of a type that is also rebuilt (enum values renamed before values are
 *    removed) comes before it is renamed aside.
 *    A table replaced by a view (or the reverse) is a drop and a create of
 *    two kinds under one name: R3 puts the drop first, and (a) rebuilds
 *    what depended on the old relation.
 * 3. Edges, from the dependencies of both catalogs:
 *    - R1: what a step creates or alters needs what it depends on in `to`
 *      created or altered first;
 *    - R2: what a step drops must first lose its dependents in `from`, and
 *      a dependent's drop comes before the alteration of what it uses;
 *    - R3: a name is freed (drop, rename away) before it is taken again;
 *    - R4: a child's own step comes after its table's creation and before
 *      its table's drop;
 *    - R5: changes inside a renamed table happen after the rename (drops
 *      before it), so each statement names the table as it is then;
 *    - R6: sequence ownership moves after the new owner exists and before
 *      the old owner is dropped;
 *    - R7: a table that leaves a parent (DETACH PARTITION, NO INHERIT) does
 *      so before anything else happens to it or its children, and before
 *      the old parent may be dropped (the detach needs nothing of `to`);
 *      a table that joins a parent (ATTACH PARTITION, INHERIT) does so
 *      after everything else that happens to it and its children, and
 *      after its new parent and the parent's children are in place (the
 *      attach needs nothing of `from`);
 *    - R8: a change PostgreSQL makes by itself (SG_CHG_IMPLIED: a clone of
 *      a parent's index on a partition, a partition's inherited column)
 *      is folded into the step that causes it: the parent object's own
 *      step when that is a statement of its own (a new partition is then
 *      created before it, so that the statement reaches the partition),
 *      else the creation or attachment of the child table; an implied drop
 *      goes with the drop of the child table or of the parent object;
 *    - R10: a partitioned table's new indexes and keys come before the
 *      partitions created with them and before those partitions' own new
 *      indexes and keys, so that PostgreSQL clones them rather than adopt
 *      an equal index a partition has for itself (R8 reverses this for a
 *      clone with a name of its own, which is made to be adopted, and
 *      for an index or key made for the partitioned table only, which
 *      comes after the partitions, their copies made and attached to it
 *      one by one);
 *    - R9: REPLICA IDENTITY USING INDEX comes after the index exists, and
 *      an ALTER that completes a CREATE (from NULL: a new table's replica
 *      identity, a clone's validation) after that CREATE.
 * 4. A topological sort with a min-heap on a deterministic key (drops
 *    first, then renames, alterations, creations; kind priority, reversed
 *    for drops; schema, table, name; change id) -- pg_dump's TopoSort, which
 *    disturbs the base order as little as the edges allow.  What remains
 *    is a loop, reported by object name.
 *
 * Complexity: O((S + E) log S) for S steps and E edges; dependency lookups
 * go through per-object step lists, so nothing is quadratic in the number
 * of objects.
 */
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/diff.h"
#include "schemagen/order.h"
#include "schemagen/sbuf.h"

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

static const struct sg_object *chg_obj(const struct sg_change *c)
{
	return c->to ? c->to : c->from;
}

static int group_of(const struct sg_change *c)
{
	/*
	 * New enum values come first of all: they depend on nothing but their
	 * type, and the runner commits them before the rest of the revision,
	 * because a value added by ALTER TYPE ... ADD VALUE cannot be used in
	 * the transaction that added it.
	 */
	if (c->kind == SG_KIND_ENUM && c->op == SG_OP_ALTER &&
	    (c->what & SG_CHG_ENUM_VALUES))
		return -1;
	switch (c->op) {
	case SG_OP_DROP: return 0;
	case SG_OP_RENAME: return 1;
	case SG_OP_ALTER: return 2;
	case SG_OP_CREATE: return 3;
	}
	return 3;
}

static struct node *new_node(struct orderer *o, struct sg_change *c)
{
	struct node *n = sg_alloc(o->a, sizeof(*n));

	n->step.change = c;
	n->index = (int)o->nodes.n;
	n->group = group_of(c);
	n->ownership = c->kind == SG_KIND_SEQUENCE && c->op == SG_OP_ALTER &&
		       c->what == SG_CHG_OWNED_BY;
	if (c->kind == SG_KIND_TABLE && c->op == SG_OP_ALTER &&
	    (c->what & (SG_CHG_PARTITION | SG_CHG_INHERIT))) {
		n->detach = c->what & SG_CHG_DETACH;
		n->attach = !n->detach;
	}
	SG_VEC_PUSH(o->a, &o->nodes, n);
	return n;
}

static void absorb(struct orderer *o, struct node *n, struct sg_change *c)
{
	struct sg_step *s = &n->step;

	if (s->nabsorbed == s->abscap)
		s->absorbed = sg_arena_grow(o->a, s->absorbed, &s->abscap,
					    s->nabsorbed + 1, sizeof(*s->absorbed));
	s->absorbed[s->nabsorbed++] = c;
}

static void note(struct orderer *o, struct node *n, struct sg_change *c)
{
	if (n->ownership)
		return;    /* ownership steps are wired by R6 only */
	if (c->from)
		SG_VEC_PUSH(o->a, &o->fsteps[c->from->id].s, n->index);
	if (c->to)
		SG_VEC_PUSH(o->a, &o->tsteps[c->to->id].s, n->index);
}

static void edge(struct orderer *o, int before, int after);
#define edge_later edge

static void edge(struct orderer *o, int before, int after)
{
	struct node *b;

	if (before == after || before < 0 || after < 0)
		return;
	b = o->nodes.v[before];
	for (size_t i = 0; i < b->out.n; i++)
		if (b->out.v[i] == after)
			return;
	SG_VEC_PUSH(o->a, &b->out, after);
	o->nodes.v[after]->indeg++;
}

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
static bool rebuildable(enum sg_kind kind)
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
static void children(const struct sg_object *rel, const struct sg_object ***out,
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
static void rebuild(struct orderer *o, struct sg_changes *extra, size_t base,
		    bool *fdead, bool *tdead, const struct sg_object *x,
		    const struct sg_object *xt)
{
	const struct sg_object **kids;
	size_t n;

	fdead[x->id] = tdead[xt->id] = true;
	new_change(o, extra, base, SG_OP_DROP, x, NULL);
	if (sg_kind_is_relation(x->kind)) {
		children(x, &kids, &n, o->a);
		for (size_t i = 0; i < n; i++) {
			fdead[kids[i]->id] = true;
			new_change(o, extra, base, SG_OP_DROP, kids[i], NULL);
		}
	}
	new_change(o, extra, base, SG_OP_CREATE, NULL, xt);
	if (sg_kind_is_relation(xt->kind)) {
		children(xt, &kids, &n, o->a);
		for (size_t i = 0; i < n; i++) {
			tdead[kids[i]->id] = true;
			new_change(o, extra, base, SG_OP_CREATE, NULL, kids[i]);
		}
	}
}

static bool rebuilt_as_type(enum sg_kind k);

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
static void add_dependent_rebuilds(struct orderer *o, struct sg_changes *all)
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
			    rebuilt_as_type(dp->obj->kind)) {
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

			if (!rebuildable(x->kind) || o->fdrop[x->id])
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
			rebuild(o, &extra, base, fdead, tdead, x, xt);
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

/* ---- step construction ---- */

static const struct sg_constraint *as_con(const struct sg_object *obj)
{
	return obj && obj->kind == SG_KIND_CONSTRAINT
		? (const struct sg_constraint *)obj : NULL;
}

/* The table a foreign key references, in catalog cat. */
static const struct sg_table *fk_target(const struct sg_catalog *cat,
					const struct sg_constraint *c)
{
	return sg_catalog_table(cat, c->ref_schema, c->ref_table);
}

/* Can this created child be written inside its table's CREATE TABLE? */
static bool inline_on_create(struct orderer *o, const struct sg_change *c)
{
	const struct sg_constraint *k = as_con(c->to);
	const struct sg_table *ref;

	if (c->kind == SG_KIND_COLUMN)
		return true;
	if (!k)
		return false;               /* indexes are statements of their own */
	if (k->not_valid)
		return false;               /* NOT VALID is ignored in CREATE TABLE */
	if (k->only)
		return false;               /* made after the partitions, ONLY */
	if (k->type != 'f')
		return true;
	ref = fk_target(o->to, k);
	if (!ref || &ref->obj == k->obj.parent)
		return true;                /* self-reference works inline */
	return !o->tcreate[ref->obj.id];    /* target must exist already */
}

/* Is this dropped child dropped by its table's DROP TABLE? */
static bool absorbed_on_drop(struct orderer *o, const struct sg_change *c)
{
	const struct sg_constraint *k = as_con(c->from);
	const struct sg_table *ref;

	if (!k || k->type != 'f')
		return true;
	ref = fk_target(o->from, k);
	if (!ref || &ref->obj == k->obj.parent)
		return true;
	/* an FK between two dropped tables is dropped first (loops) */
	return !o->fdrop[ref->obj.id];
}

/* The from-side owner (table, column) of a sequence, if any. */
static void seq_owner(const struct sg_catalog *cat, const struct sg_sequence *s,
		      const struct sg_object **table, const struct sg_object **col)
{
	const struct sg_table *t = s->owned_table
		? sg_catalog_table(cat, s->obj.schema, s->owned_table) : NULL;
	const struct sg_column *c = t ? sg_table_column(t, s->owned_column) : NULL;

	*table = t ? &t->obj : NULL;
	*col = c ? &c->obj : NULL;
}

static bool is_rebuild_drop(const struct sg_change *c)
{
	return c->op == SG_OP_DROP && (c->what & SG_CHG_REBUILD);
}

/*
 * A rebuilt enum: before anything else touches it, the old type is renamed
 * aside (a RENAME change with no `to`), which frees its name for the new
 * type; its DROP, at the end, drops the renamed type.
 */
static struct node *add_stash(struct orderer *o, struct node *drop)
{
	struct sg_change *c = drop->step.change, *st;
	struct node *n;

	st = sg_alloc(o->a, sizeof(*st));
	st->op = SG_OP_RENAME;
	st->kind = c->kind;
	st->from = c->from;
	st->what = SG_CHG_REBUILD;
	st->id = c->id;
	n = new_node(o, st);
	edge_later(o, n->index, drop->index);
	return n;
}

static void add_stash_nodes(struct orderer *o)
{
	size_t n = o->nodes.n;

	for (size_t i = 0; i < n; i++) {
		struct node *st;

		if (!is_rebuild_drop(o->nodes.v[i]->step.change))
			continue;
		st = add_stash(o, o->nodes.v[i]);
		/* an alteration of the old type (enum values renamed before
		 * a rebuild) happens before it is renamed aside */
		for (size_t k = 0; k < n; k++) {
			const struct sg_change *c = o->nodes.v[k]->step.change;

			if (c->op == SG_OP_ALTER && c->from == st->step.change->from)
				edge(o, (int)k, st->index);
		}
	}
}

/*
 * Kinds rebuilt the way an enum is when something they depend on is
 * replaced: the columns (and types) that use them are recast instead of
 * dropped.
 */
static bool rebuilt_as_type(enum sg_kind k)
{
	return sg_kind(k)->rebuilt_as_type;
}

static bool is_seq_drop(const struct sg_change *c)
{
	return c->kind == SG_KIND_SEQUENCE && c->op == SG_OP_DROP;
}

/* ---- implied changes (R8) ---- */

static bool is_implied(const struct sg_change *c)
{
	return (c->what & SG_CHG_IMPLIED) && c->op != SG_OP_RENAME &&
	       chg_obj(c)->parent;
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
static bool only(const struct sg_object *x)
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
		e.depth = tree_depth((const struct sg_table *)chg_obj(changes[i])->parent);
		SG_VEC_PUSH(o->a, &v, e);
	}
	if (v.n > 1)
		qsort(v.v, v.n, sizeof(*v.v), implied_cmp);
	for (size_t i = 0; i < v.n; i++) {
		struct sg_change *c = v.v[i].c;
		const struct sg_object *r = chg_obj(c)->parent, *cp;
		struct node *host = NULL;

		if (c->op == SG_OP_CREATE) {
			struct node *rn = tnode[r->id], *cn;

			cp = origin_of(o->to, c->to);
			cn = cp ? tnode[cp->id] : NULL;
			if (rn) {
				/* a clone of its own name is made by the
				 * partition before the parent's index adopts
				 * it; others by the partition's creation,
				 * after the parent's index (R10) */
				if (cn && cn != tnode[cp->parent->id] &&
				    (own_name(c->to) || only(cp))) {
					host = cn;
					edge(o, rn->index, cn->index);
				} else {
					host = rn;
				}
			} else if (attach[r->id]) {
				host = attach[r->id];
			} else {
				host = cn;
			}
			if (host)
				absorb(o, host, c);
			else
				host = new_node(o, c);
			tnode[c->to->id] = host;
		} else if (c->op == SG_OP_DROP) {
			cp = origin_of(o->from, c->from);
			host = fnode[r->id] ? fnode[r->id] : cp ? fnode[cp->id] : NULL;
			if (host)
				absorb(o, host, c);
			else
				host = new_node(o, c);
			fnode[c->from->id] = host;
		} else {
			/* an inherited column altered with its parent's */
			cp = origin_of(o->to, c->to);
			host = cp ? alter[cp->id] : NULL;
			if (host)
				absorb(o, host, c);
			else
				new_node(o, c);
		}
	}
}

/*
 * Three passes: relations (so children find the step that absorbs them), then
 * everything else but sequence drops, then sequence drops (an owned
 * sequence goes with its owner's drop, table or column, which exists by
 * then).
 */
static void build_steps(struct orderer *o, struct sg_change **changes, size_t n)
{
	struct node **tnode = sg_alloc_array(o->a, o->to->nobjs + 1, sizeof(*tnode));
	struct node **fnode = sg_alloc_array(o->a, o->from->nobjs + 1, sizeof(*fnode));

	for (int pass = 0; pass < 3; pass++) {
		for (size_t i = 0; i < n; i++) {
			struct sg_change *c = changes[i];
			const struct sg_object *obj = chg_obj(c);
			bool table = sg_kind_is_relation(c->kind) &&
				     (c->op == SG_OP_CREATE || c->op == SG_OP_DROP);
			struct node *host = NULL;

			if (is_implied(c) ||
			    pass != (table ? 0 : is_seq_drop(c) ? 2 : 1))
				continue;
			if (pass == 0) {
				host = new_node(o, c);
			} else if (obj->parent && c->op == SG_OP_CREATE &&
				   tnode[obj->parent->id] && inline_on_create(o, c)) {
				host = tnode[obj->parent->id];
				absorb(o, host, c);
			} else if (obj->parent && c->op == SG_OP_DROP &&
				   fnode[obj->parent->id] && absorbed_on_drop(o, c)) {
				host = fnode[obj->parent->id];
				absorb(o, host, c);
			} else if (pass == 2) {
				const struct sg_object *ot, *oc;

				seq_owner(o->from, (const struct sg_sequence *)c->from,
					  &ot, &oc);
				if (ot && fnode[ot->id])
					host = fnode[ot->id];
				else if (oc && fnode[oc->id])
					host = fnode[oc->id];
				if (host)
					absorb(o, host, c);
				else
					host = new_node(o, c);
			} else {
				host = new_node(o, c);
			}
			if (c->op == SG_OP_CREATE)
				tnode[c->to->id] = host;
			else if (c->op == SG_OP_DROP)
				fnode[c->from->id] = host;
		}
	}
	place_implied(o, changes, n, tnode, fnode);
	add_stash_nodes(o);
	for (size_t i = 0; i < o->nodes.n; i++) {
		struct node *nd = o->nodes.v[i];
		const struct sg_change *c = nd->step.change;

		note(o, nd, nd->step.change);
		for (size_t k = 0; k < nd->step.nabsorbed; k++)
			note(o, nd, nd->step.absorbed[k]);
		if (c->kind == SG_KIND_CONSTRAINT && c->op == SG_OP_CREATE &&
		    tnode[c->to->parent->id] && tnode[c->to->parent->id] != nd)
			nd->step.separate_fk = true;
	}
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
	note(o, new_node(o, c), c);
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
		n->group = group_of(c);
		o->fdrop[x->id] = c;
		o->tcreate[cc->to->id] = cc;
		note(o, new_node(o, cc), cc);
		n = add_stash(o, n);
		note(o, n, n->step.change);
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
	note(o, new_node(o, dc), dc);
	note(o, new_node(o, cc), cc);
	return true;
}

/*
 * Adds DROP+CREATE changes for unchanged objects that depend on an object
 * being dropped.  Returns -1 (with a diagnostic) when such an object cannot
 * be rebuilt (a column: that would lose its data), unless only its default
 * needs to step aside (default_around).
 */
static int add_forced_rebuilds(struct orderer *o, struct sg_changes *all)
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
				if (rebuilt_as_type(x->kind) && !o->fdrop[x->id] &&
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
			    x->kind == SG_KIND_SCHEMA) {
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
			if (rebuilt_as_type(x->kind))
				dc->what = cc->what = SG_CHG_REBUILD;
			o->fdrop[x->id] = dc;
			o->tcreate[xt->id] = cc;
			/* give them steps now so has_steps() sees them */
			{
				struct node *dn = new_node(o, dc);

				note(o, dn, dc);
				note(o, new_node(o, cc), cc);
				if (dc->what & SG_CHG_REBUILD) {
					struct node *sn = add_stash(o, dn);

					note(o, sn, sn->step.change);
				}
			}
			again = true;
		}
	}
	return rc;
}

/* ---- edges (3) ---- */

static bool is_create_like(const struct node *n)
{
	return n->step.change->op != SG_OP_DROP;
}

/*
 * A table's own settings (comment, storage, persistence, replica identity,
 * its parents) are nothing its dependents wait for.
 */
static bool table_settings(const struct node *n)
{
	const struct sg_change *c = n->step.change;

	return c->kind == SG_KIND_TABLE && c->op == SG_OP_ALTER &&
	       !(c->what & ~(sg_chg)(SG_CHG_COMMENT | SG_CHG_REPLICA |
				       SG_CHG_OPTIONS | SG_CHG_PERSISTENCE |
				       SG_CHG_PARTITION | SG_CHG_INHERIT |
				       SG_CHG_DETACH));
}

static void rule_to_deps(struct orderer *o)
{
	for (size_t i = 0; i < o->to->ndeps; i++) {
		const struct sg_dep *dp = &o->to->deps[i];
		const struct objsteps *xs = &o->tsteps[dp->obj->id];
		const struct objsteps *ys = &o->tsteps[dp->ref->id];

		/* a sequence's dependency on its owner is ownership (R6) */
		if (dp->obj->kind == SG_KIND_SEQUENCE &&
		    (dp->ref->kind == SG_KIND_COLUMN || dp->ref->kind == SG_KIND_TABLE))
			continue;
		for (size_t a = 0; a < ys->s.n; a++)
			for (size_t b = 0; b < xs->s.n; b++)
				if (is_create_like(o->nodes.v[ys->s.v[a]]) &&
				    !table_settings(o->nodes.v[ys->s.v[a]]) &&
				    is_create_like(o->nodes.v[xs->s.v[b]]) &&
				    !o->nodes.v[xs->s.v[b]]->detach)
					edge(o, ys->s.v[a], xs->s.v[b]);
	}
}

static void rule_from_deps(struct orderer *o)
{
	for (size_t i = 0; i < o->from->ndeps; i++) {
		const struct sg_dep *dp = &o->from->deps[i];
		const struct objsteps *xs = &o->fsteps[dp->obj->id];
		const struct objsteps *ys = &o->fsteps[dp->ref->id];

		if (dp->obj->kind == SG_KIND_SEQUENCE &&
		    (dp->ref->kind == SG_KIND_COLUMN || dp->ref->kind == SG_KIND_TABLE))
			continue;
		for (size_t a = 0; a < ys->s.n; a++) {
			struct node *d = o->nodes.v[ys->s.v[a]];

			for (size_t b = 0; b < xs->s.n; b++) {
				struct node *s = o->nodes.v[xs->s.v[b]];

				if (s->attach)
					continue;   /* R7: needs nothing of `from` */
				if (d->group == 0 ||
				    (s->group == 0 && d->group == 2))
					edge(o, s->index, d->index);
			}
		}
	}
}

/*
 * Name keys: objects that share a namespace cannot coexist with the same
 * name, so a step that frees a name comes before a step that takes it.
 * Namespaces: relations (tables, sequences, indexes, and the indexes of
 * primary key and unique constraints) and types (enums, tables' row types)
 * per schema; columns and constraints per table; schemas.
 */
struct namekey {
	char ns;                 /* 'r' relation, 't' type, 'c' column, 'k' constraint, 's' schema, ... */
	const char *schema, *table, *name;
	int node;
	bool frees;              /* drop or rename-away, else takes */
};

static int namekey_cmp(const void *pa, const void *pb)
{
	const struct namekey *a = pa, *b = pb;
	int c;

	if (a->ns != b->ns)
		return a->ns < b->ns ? -1 : 1;
	if ((c = sg_strcmp_null(a->schema, b->schema)))
		return c;
	if ((c = sg_strcmp_null(a->table, b->table)))
		return c;
	return strcmp(a->name, b->name);
}

static void push_keys(struct orderer *o, void *vec, const struct sg_object *obj,
		      int node, bool frees)
{
	SG_VEC(struct namekey) *v = vec;
	struct namekey k = { .schema = obj->schema, .name = obj->name,
			     .node = node, .frees = frees };
	const struct sg_constraint *con = as_con(obj);

	/*
	 * every namespace the kind's names take (sg_kind_info[].namespaces);
	 * database-wide names have no schema, a child's are per relation
	 */
	for (const char *ns = sg_kind(obj->kind)->namespaces; *ns; ns++) {
		k.ns = *ns;
		if (sg_kind(obj->kind)->naming == SG_NAME_BARE)
			k.schema = NULL;
		else if (obj->parent && sg_kind(obj->kind)->naming != SG_NAME_QUALIFIED)
			k.table = obj->parent->name;
		SG_VEC_PUSH(o->a, v, k);
	}
	/* a primary key, unique or exclusion constraint: its index too */
	if (con && (con->type == 'p' || con->type == 'u' || con->type == 'x')) {
		k.ns = 'r';
		k.table = NULL;
		SG_VEC_PUSH(o->a, v, k);
	}
}

static void change_keys(struct orderer *o, void *vec, const struct sg_change *c,
			int node)
{
	switch (c->op) {
	case SG_OP_DROP:
		/* a rebuilt type's drop frees only its temporary name */
		if (!(c->what & SG_CHG_REBUILD))
			push_keys(o, vec, c->from, node, true);
		break;
	case SG_OP_CREATE:
		push_keys(o, vec, c->to, node, false);
		break;
	case SG_OP_RENAME:
		push_keys(o, vec, c->from, node, true);
		if (c->to)
			push_keys(o, vec, c->to, node, false);
		break;
	case SG_OP_ALTER:
		break;
	}
}

static void rule_names(struct orderer *o)
{
	SG_VEC(struct namekey) keys = { 0 };

	for (size_t i = 0; i < o->nodes.n; i++) {
		struct node *n = o->nodes.v[i];

		change_keys(o, &keys, n->step.change, n->index);
		for (size_t k = 0; k < n->step.nabsorbed; k++)
			change_keys(o, &keys, n->step.absorbed[k], n->index);
	}
	if (keys.n < 2)
		return;
	qsort(keys.v, keys.n, sizeof(*keys.v), namekey_cmp);
	for (size_t i = 0; i < keys.n;) {
		size_t j = i;

		while (j < keys.n && namekey_cmp(&keys.v[i], &keys.v[j]) == 0)
			j++;
		for (size_t a = i; a < j; a++)
			for (size_t b = i; b < j; b++)
				if (keys.v[a].frees && !keys.v[b].frees)
					edge(o, keys.v[a].node, keys.v[b].node);
		i = j;
	}
}

static void rule_parents(struct orderer *o)
{
	for (size_t i = 0; i < o->nodes.n; i++) {
		struct node *n = o->nodes.v[i];
		struct sg_change *c = n->step.change;
		const struct sg_object *obj = chg_obj(c);

		/* R5: other steps of a renamed object follow its rename */
		if (c->to && c->op != SG_OP_RENAME) {
			const struct objsteps *ss = &o->tsteps[c->to->id];

			for (size_t k = 0; k < ss->s.n; k++)
				if (o->nodes.v[ss->s.v[k]]->step.change->op == SG_OP_RENAME)
					edge(o, ss->s.v[k], n->index);
		}
		if (!obj->parent)
			continue;
		if (c->to && c->to->parent) {
			const struct objsteps *ps = &o->tsteps[c->to->parent->id];

			for (size_t k = 0; k < ps->s.n; k++) {
				struct node *p = o->nodes.v[ps->s.v[k]];

				/* R4: after its table is created; R5: after its
				 * table is renamed */
				if (p->step.change->op == SG_OP_CREATE ||
				    p->step.change->op == SG_OP_RENAME)
					edge(o, p->index, n->index);
			}
		}
		if (c->from && c->from->parent) {
			const struct objsteps *ps = &o->fsteps[c->from->parent->id];

			for (size_t k = 0; k < ps->s.n; k++) {
				struct node *p = o->nodes.v[ps->s.v[k]];

				if (p->step.change->op == SG_OP_DROP)
					edge(o, n->index, p->index);
				else if (p->step.change->op == SG_OP_RENAME &&
					 c->op == SG_OP_DROP)
					edge(o, n->index, p->index);
			}
		}
	}
}

static void rule_ownership(struct orderer *o)
{
	for (size_t i = 0; i < o->nodes.n; i++) {
		struct node *n = o->nodes.v[i];
		const struct sg_change *c = n->step.change;
		const struct sg_object *ot, *oc;

		if (!n->ownership)
			continue;
		/* after the sequence exists (its CREATE or rename; not its
		 * other alterations, which may have to wait for the old owner's
		 * drop themselves) */
		{
			const struct objsteps *ss = &o->tsteps[c->to->id];

			for (size_t k = 0; k < ss->s.n; k++) {
				enum sg_op op = o->nodes.v[ss->s.v[k]]->step.change->op;

				if (op == SG_OP_CREATE || op == SG_OP_RENAME)
					edge(o, ss->s.v[k], n->index);
			}
		}
		/* after the new owner exists */
		seq_owner(o->to, (const struct sg_sequence *)c->to, &ot, &oc);
		for (int w = 0; w < 2; w++) {
			const struct sg_object *x = w ? oc : ot;
			const struct objsteps *ts;

			if (!x)
				continue;
			ts = &o->tsteps[x->id];
			for (size_t k = 0; k < ts->s.n; k++)
				edge(o, ts->s.v[k], n->index);
		}
		/* before the old owner goes */
		if (!c->from)
			continue;
		seq_owner(o->from, (const struct sg_sequence *)c->from, &ot, &oc);
		for (int w = 0; w < 2; w++) {
			const struct sg_object *x = w ? oc : ot;
			const struct objsteps *fs;

			if (!x)
				continue;
			fs = &o->fsteps[x->id];
			for (size_t k = 0; k < fs->s.n; k++)
				if (o->nodes.v[fs->s.v[k]]->group <= 1)
					edge(o, n->index, fs->s.v[k]);
		}
	}
}

/* Does a change touch table t (of its side) or one of its children? */
static bool touches(const struct sg_change *c, const struct sg_object *ft,
		    const struct sg_object *tt)
{
	const struct sg_object *f = c->from, *t = c->to;

	return (ft && f && (f == ft || f->parent == ft)) ||
	       (tt && t && (t == tt || t->parent == tt));
}

static bool step_touches(const struct node *n, const struct sg_object *ft,
			 const struct sg_object *tt)
{
	if (touches(n->step.change, ft, tt))
		return true;
	for (size_t k = 0; k < n->step.nabsorbed; k++)
		if (touches(n->step.absorbed[k], ft, tt))
			return true;
	return false;
}

/* An index moved out of the way of an attachment (SG_CHG_PARTITION). */
static bool moved_aside(const struct sg_change *c)
{
	return c->kind == SG_KIND_INDEX && (c->what & SG_CHG_PARTITION) &&
	       (c->op == SG_OP_DROP || c->op == SG_OP_CREATE);
}

/* Does the step make PostgreSQL create children of table t by itself? */
static bool hosts_implied(const struct node *n, const struct sg_object *t)
{
	for (size_t k = 0; k < n->step.nabsorbed; k++) {
		const struct sg_change *a = n->step.absorbed[k];

		if (a->op == SG_OP_CREATE && (a->what & SG_CHG_IMPLIED) &&
		    a->to->parent == t)
			return true;
	}
	return false;
}

/*
 * R7: detaching first, attaching last.  Also: a table leaves its old
 * parents before anything of those parents is dropped (so that what it
 * had from them stays its own), and a local index moved out of the way of
 * an attachment goes before and comes back after.
 */
static void rule_links(struct orderer *o)
{
	for (size_t i = 0; i < o->nodes.n; i++) {
		struct node *n = o->nodes.v[i];
		const struct sg_change *c = n->step.change;
		const struct sg_table *tp[8];
		size_t np = 0;

		if (moved_aside(c)) {
			const struct sg_object *t = chg_obj(c)->parent;

			for (size_t k = 0; k < o->nodes.n; k++) {
				struct node *m = o->nodes.v[k];

				if (m == n || !(hosts_implied(m, t) || m->attach))
					continue;
				if (m->attach && m->step.change->to != t)
					continue;
				if (c->op == SG_OP_DROP)
					edge(o, n->index, m->index);
				else
					edge(o, m->index, n->index);
			}
			continue;
		}
		if (!n->attach && !n->detach)
			continue;
		np = sg_table_parents((const struct sg_table *)(n->attach ? c->to : c->from),
				   tp, 8);
		for (size_t k = 0; k < o->nodes.n; k++) {
			struct node *m = o->nodes.v[k];
			const struct sg_change *mc = m->step.change;

			if (m == n)
				continue;
			if (step_touches(m, c->from, c->to)) {
				if ((mc->op == SG_OP_RENAME && mc->kind == SG_KIND_TABLE) ||
				    moved_aside(mc))
					continue;
				if (n->detach)
					edge(o, n->index, m->index);
				else if (!m->detach)
					edge(o, m->index, n->index);
				continue;
			}
			for (size_t p = 0; p < np; p++) {
				/* the new parents and their children first */
				if (n->attach && mc->op != SG_OP_DROP && !m->detach &&
				    step_touches(m, NULL, &tp[p]->obj))
					edge(o, m->index, n->index);
				/* the old ones lose nothing before */
				if (n->detach && mc->op == SG_OP_DROP &&
				    step_touches(m, &tp[p]->obj, NULL))
					edge(o, n->index, m->index);
			}
		}
	}
}

static bool has_edge(const struct node *a, const struct node *b)
{
	for (size_t i = 0; i < a->out.n; i++)
		if (a->out.v[i] == b->index)
			return true;
	return false;
}

/* A partition created, or an index or key of a partition created. */
static const struct sg_table *created_in_partition(const struct sg_change *c)
{
	const struct sg_object *x = c->to;
	const struct sg_table *t;

	if (c->op != SG_OP_CREATE || (c->what & SG_CHG_IMPLIED))
		return NULL;
	if (x->kind == SG_KIND_TABLE)
		t = (const struct sg_table *)x;
	else if (x->kind == SG_KIND_INDEX || x->kind == SG_KIND_CONSTRAINT)
		t = (const struct sg_table *)x->parent;
	else
		return NULL;
	return t->partition_parent;
}

/*
 * R10: the indexes and keys a partitioned table gets come before the
 * partitions created with it and before the partitions' own indexes and
 * keys, so that PostgreSQL clones the parent's onto the partitions instead
 * of adopting an equal index a partition was given for itself.
 */
static void rule_clone_first(struct orderer *o)
{
	for (size_t i = 0; i < o->nodes.n; i++) {
		struct node *n = o->nodes.v[i];
		const struct sg_table *p = created_in_partition(n->step.change);

		if (!p)
			continue;
		for (size_t k = 0; k < o->nodes.n; k++) {
			struct node *m = o->nodes.v[k];
			const struct sg_change *mc = m->step.change;

			if (m == n || mc->op != SG_OP_CREATE ||
			    (mc->kind != SG_KIND_INDEX && mc->kind != SG_KIND_CONSTRAINT) ||
			    mc->to->parent != &p->obj || has_edge(n, m))
				continue;
			if (mc->kind == SG_KIND_CONSTRAINT &&
			    ((const struct sg_constraint *)mc->to)->type != 'p' &&
			    ((const struct sg_constraint *)mc->to)->type != 'u')
				continue;
			/* made for the parent only: after its partitions */
			if (only(mc->to)) {
				if (n->step.change->to->kind == SG_KIND_TABLE)
					edge(o, n->index, m->index);
				continue;
			}
			edge(o, m->index, n->index);
		}
	}
}

/* R9: replica identity after its index; a new table's ALTER after it. */
static void rule_table_alters(struct orderer *o)
{
	for (size_t i = 0; i < o->nodes.n; i++) {
		struct node *n = o->nodes.v[i];
		const struct sg_change *c = n->step.change;
		const struct sg_table *t;
		const struct objsteps *ss;

		if (c->op != SG_OP_ALTER || !c->to)
			continue;
		/* the ALTER that completes a CREATE (from NULL) follows it */
		if (!c->from) {
			ss = &o->tsteps[c->to->id];
			for (size_t k = 0; k < ss->s.n; k++)
				if (o->nodes.v[ss->s.v[k]]->step.change->op == SG_OP_CREATE)
					edge(o, ss->s.v[k], n->index);
		}
		if (c->kind != SG_KIND_TABLE)
			continue;
		t = (const struct sg_table *)c->to;

		if ((c->what & SG_CHG_REPLICA) && t->replica_index) {
			const struct sg_object *ix = sg_catalog_find(
				o->to, SG_KIND_INDEX, t->obj.schema, t->obj.name,
				t->replica_index);

			if (!ix)
				ix = sg_catalog_find(o->to, SG_KIND_CONSTRAINT,
						     t->obj.schema, t->obj.name,
						     t->replica_index);
			if (!ix)
				continue;
			ss = &o->tsteps[ix->id];
			for (size_t k = 0; k < ss->s.n; k++)
				edge(o, ss->s.v[k], n->index);
		}
	}
}

/* ---- topological sort (4) ---- */

/*
 * The base order.  Within a group, top-level kinds keep their priority
 * (schemas, types, sequences before tables); a relation's children sort
 * with their table or view, so that a reviewer reads each table's statements together
 * (CREATE TABLE, then its indexes and late constraints).  Drops reverse the
 * kind priorities.
 */
static int cluster_kind(const struct sg_object *o)
{
	return o->parent ? (int)o->parent->kind : (int)o->kind;
}

static int node_cmp(const struct node *a, const struct node *b)
{
	const struct sg_object *oa = chg_obj(a->step.change);
	const struct sg_object *ob = chg_obj(b->step.change);
	const struct sg_object *ta = oa->parent ? oa->parent : oa;
	const struct sg_object *tb = ob->parent ? ob->parent : ob;
	int ca = cluster_kind(oa), cb = cluster_kind(ob), ka = oa->kind, kb = ob->kind;
	int c;

	if (a->group != b->group)
		return a->group < b->group ? -1 : 1;
	/* ownership after everything else of the same group */
	if (a->ownership != b->ownership)
		return a->ownership ? 1 : -1;
	if (a->group == 0) {
		ca = -ca;
		cb = -cb;
		ka = -ka;
		kb = -kb;
	}
	if (ca != cb)
		return ca < cb ? -1 : 1;
	if ((c = strcmp(ta->schema, tb->schema)))
		return c;
	if ((c = strcmp(ta->name, tb->name)))
		return c;
	if (ka != kb)
		return ka < kb ? -1 : 1;
	/* a table's new (and dropped) columns in the table's order (the
	 * model's), not by name; changes to columns stay by name */
	if ((a->group == 0 || a->group == 3) &&
	    oa->kind == SG_KIND_COLUMN && ob->kind == SG_KIND_COLUMN &&
	    oa->parent == ob->parent) {
		int pa = ((const struct sg_column *)oa)->attnum;
		int pb = ((const struct sg_column *)ob)->attnum;

		if (pa != pb)
			return pa < pb ? -1 : 1;
	}
	if ((c = strcmp(oa->name, ob->name)))
		return c;
	return a->step.change->id < b->step.change->id ? -1
	       : a->step.change->id > b->step.change->id;
}

struct heap {
	struct node **v;
	size_t n;
};

static void heap_push(struct heap *h, struct node *x)
{
	size_t i = h->n++;

	h->v[i] = x;
	while (i > 0) {
		size_t p = (i - 1) / 2;

		if (node_cmp(h->v[p], h->v[i]) <= 0)
			break;
		struct node *t = h->v[p];
		h->v[p] = h->v[i];
		h->v[i] = t;
		i = p;
	}
}

static struct node *heap_pop(struct heap *h)
{
	struct node *top = h->v[0];
	size_t i = 0;

	h->v[0] = h->v[--h->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < h->n && node_cmp(h->v[l], h->v[m]) < 0)
			m = l;
		if (r < h->n && node_cmp(h->v[r], h->v[m]) < 0)
			m = r;
		if (m == i)
			break;
		struct node *t = h->v[m];
		h->v[m] = h->v[i];
		h->v[i] = t;
		i = m;
	}
	return top;
}

static void describe_change(struct sbuf *sb, const struct sg_change *c)
{
	static const char *const ops[] = { "create", "drop", "alter", "rename" };

	sbuf_adds(sb, ops[c->op]);
	sbuf_addch(sb, ' ');
	sg_object_describe(sb, chg_obj(c));
}

static int topo_sort(struct orderer *o, struct sg_plan *out)
{
	struct heap h = { sg_alloc_array(o->a, o->nodes.n + 1, sizeof(struct node *)), 0 };
	size_t placed = 0;

	for (size_t i = 0; i < o->nodes.n; i++)
		if (o->nodes.v[i]->indeg == 0)
			heap_push(&h, o->nodes.v[i]);
	while (h.n > 0) {
		struct node *n = heap_pop(&h);

		if (out->n == out->cap)
			out->steps = sg_arena_grow(o->a, out->steps, &out->cap,
						   out->n + 1, sizeof(*out->steps));
		out->steps[out->n++] = &n->step;
		placed++;
		for (size_t k = 0; k < n->out.n; k++) {
			struct node *m = o->nodes.v[n->out.v[k]];

			if (--m->indeg == 0)
				heap_push(&h, m);
		}
	}
	if (placed < o->nodes.n) {
		struct sbuf sb = SBUF_INIT;
		int shown = 0;

		for (size_t i = 0; i < o->nodes.n && shown < 6; i++) {
			if (o->nodes.v[i]->indeg == 0)
				continue;
			if (shown++)
				sbuf_adds(&sb, ", ");
			describe_change(&sb, o->nodes.v[i]->step.change);
		}
		sg_diag_error(o->d, (struct sg_loc){ 0 },
			      "cannot order the changes: a dependency loop involves %s",
			      sb.buf);
		sbuf_release(&sb);
		return -1;
	}
	return 0;
}

int order_changes(struct sg_arena *a, const struct sg_catalog *from,
		  const struct sg_catalog *to, const struct sg_changes *changes,
		  struct sg_plan *out, struct sg_diags *d)
{
	struct orderer o = { .a = a, .from = from, .to = to, .d = d };
	struct sg_changes all = { 0 };
	int rc;

	o.fsteps = sg_alloc_array(a, from->nobjs + 1, sizeof(*o.fsteps));
	o.tsteps = sg_alloc_array(a, to->nobjs + 1, sizeof(*o.tsteps));
	o.fdrop = sg_alloc_array(a, from->nobjs + 1, sizeof(*o.fdrop));
	o.tcreate = sg_alloc_array(a, to->nobjs + 1, sizeof(*o.tcreate));
	for (size_t i = 0; i < changes->n; i++) {
		struct sg_change *c = changes->v[i];

		SG_VEC_PUSH(a, &all, c);
		if (c->op == SG_OP_DROP)
			o.fdrop[c->from->id] = c;
		else if (c->op == SG_OP_CREATE)
			o.tcreate[c->to->id] = c;
	}
	add_dependent_rebuilds(&o, &all);
	build_steps(&o, all.v, all.n);
	rc = add_forced_rebuilds(&o, &all);
	rule_to_deps(&o);
	rule_from_deps(&o);
	rule_names(&o);
	rule_parents(&o);
	rule_ownership(&o);
	rule_links(&o);
	rule_table_alters(&o);
	rule_clone_first(&o);
	if (topo_sort(&o, out) < 0)
		rc = -1;
	return rc;
}
