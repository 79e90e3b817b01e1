// SPDX-License-Identifier: MIT
/*
 * order.c - turns the differ's changes into steps in an order PostgreSQL
 * accepts.  Here: steps and the topological sort; forced rebuilds in
 * rebuild.c, implied changes in implied.c, edges in edges.c (what they
 * share in order-priv.h).
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
 *    policies; see od_rebuildable() in rebuild.c) that stays but depends
 *    on something dropped, or on a column whose type changes, is dropped
 *    and re-created around the change with its children, transitively
 *    (views on views, functions on views); PostgreSQL refuses both
 *    changes while such dependents exist.
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
 *      else the creation or attachment of the child table -- a new
 *      partition's creation also hosts the clones of the indexes and keys
 *      R10 puts before it, but not those of a foreign key added by ALTER
 *      TABLE (between tables that reference each other), which come after
 *      it; an implied drop
 *      goes with the drop of the child table or of the parent object;
 *    - R10: a partitioned table's new indexes and keys come before the
 *      partitions created with them and before those partitions' own new
 *      indexes and keys, so that PostgreSQL clones them rather than adopt
 *      an equal index a partition has for itself (R8 reverses this for a
 *      clone with a name of its own, which is made to be adopted, and
 *      for an index or key made for the partitioned table only, which
 *      comes after the partitions, their copies made and attached to it
 *      one by one);
 *    - R11: a change of grants comes after the owner change of the
 *      object whose ACL holds them (the object, a column's table, an owned
 *      sequence's table): ALTER ... OWNER TO rewrites that ACL;
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
#include "order-priv.h"

const struct sg_object *od_chg_obj(const struct sg_change *c)
{
	return c->to ? c->to : c->from;
}

int od_group_of(const struct sg_change *c)
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

struct node *od_new_node(struct orderer *o, struct sg_change *c)
{
	struct node *n = sg_alloc(o->a, sizeof(*n));

	n->step.change = c;
	n->index = (int)o->nodes.n;
	n->group = od_group_of(c);
	n->ownership = c->kind == SG_KIND_SEQUENCE && c->op == SG_OP_ALTER &&
		       c->what == SG_CHG_OWNED_BY;
	if ((c->kind == SG_KIND_TABLE || c->kind == SG_KIND_FOREIGN_TABLE) &&
	    c->op == SG_OP_ALTER && (c->what & (SG_CHG_PARTITION | SG_CHG_INHERIT))) {
		n->detach = c->what & SG_CHG_DETACH;
		n->attach = !n->detach;
	}
	SG_VEC_PUSH(o->a, &o->nodes, n);
	return n;
}

void od_absorb(struct orderer *o, struct node *n, struct sg_change *c)
{
	struct sg_step *s = &n->step;

	if (s->nabsorbed == s->abscap)
		s->absorbed = sg_arena_grow(o->a, s->absorbed, &s->abscap,
					    s->nabsorbed + 1, sizeof(*s->absorbed));
	s->absorbed[s->nabsorbed++] = c;
}

void od_note(struct orderer *o, struct node *n, struct sg_change *c)
{
	if (n->ownership)
		return;    /* ownership steps are wired by R6 only */
	if (c->from)
		SG_VEC_PUSH(o->a, &o->fsteps[c->from->id].s, n->index);
	if (c->to)
		SG_VEC_PUSH(o->a, &o->tsteps[c->to->id].s, n->index);
}

void od_edge(struct orderer *o, int before, int after)
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

/* ---- step construction ---- */

const struct sg_constraint *od_as_con(const struct sg_object *obj)
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
bool od_inline_on_create(struct orderer *o, const struct sg_change *c)
{
	const struct sg_constraint *k = od_as_con(c->to);
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
bool od_absorbed_on_drop(struct orderer *o, const struct sg_change *c)
{
	const struct sg_constraint *k = od_as_con(c->from);
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
void od_seq_owner(const struct sg_catalog *cat, const struct sg_sequence *s,
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
struct node *od_add_stash(struct orderer *o, struct node *drop)
{
	struct sg_change *c = drop->step.change, *st;
	struct node *n;

	st = sg_alloc(o->a, sizeof(*st));
	st->op = SG_OP_RENAME;
	st->kind = c->kind;
	st->from = c->from;
	st->what = SG_CHG_REBUILD;
	st->id = c->id;
	n = od_new_node(o, st);
	edge_later(o, n->index, drop->index);
	return n;
}

void od_add_stash_nodes(struct orderer *o)
{
	size_t n = o->nodes.n;

	for (size_t i = 0; i < n; i++) {
		struct node *st;

		if (!is_rebuild_drop(o->nodes.v[i]->step.change))
			continue;
		st = od_add_stash(o, o->nodes.v[i]);
		/* an alteration of the old type (enum values renamed before
		 * a rebuild) happens before it is renamed aside */
		for (size_t k = 0; k < n; k++) {
			const struct sg_change *c = o->nodes.v[k]->step.change;

			if (c->op == SG_OP_ALTER && c->from == st->step.change->from)
				od_edge(o, (int)k, st->index);
		}
	}
}

/*
 * Kinds rebuilt the way an enum is when something they depend on is
 * replaced: the columns (and types) that use them are recast instead of
 * dropped.
 */
bool od_rebuilt_as_type(enum sg_kind k)
{
	return sg_kind(k)->rebuilt_as_type;
}

bool od_is_seq_drop(const struct sg_change *c)
{
	return c->kind == SG_KIND_SEQUENCE && c->op == SG_OP_DROP;
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
	const struct sg_object *oa = od_chg_obj(a->step.change);
	const struct sg_object *ob = od_chg_obj(b->step.change);
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
	sg_object_describe(sb, od_chg_obj(c));
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

	out->to = to;
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
	od_add_dependent_rebuilds(&o, &all);
	od_build_steps(&o, all.v, all.n);
	rc = od_add_forced_rebuilds(&o, &all);
	od_rule_to_deps(&o);
	od_rule_from_deps(&o);
	od_rule_names(&o);
	od_rule_parents(&o);
	od_rule_ownership(&o);
	od_rule_owner_grants(&o);
	od_rule_links(&o);
	od_rule_table_alters(&o);
	od_rule_clone_first(&o);
	if (topo_sort(&o, out) < 0)
		rc = -1;
	return rc;
}
