// SPDX-License-Identifier: MIT
/*
 * edges.c - the edges between steps (3: R1 to R7 and the rest); see order.c
 */
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/diff.h"
#include "schemagen/order.h"
#include "schemagen/sbuf.h"
#include "order-priv.h"
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

	return (c->kind == SG_KIND_TABLE || c->kind == SG_KIND_FOREIGN_TABLE) &&
	       c->op == SG_OP_ALTER &&
	       !(c->what & ~(sg_chg)(SG_CHG_COMMENT | SG_CHG_REPLICA |
				       SG_CHG_OPTIONS | SG_CHG_PERSISTENCE |
				       SG_CHG_PARTITION | SG_CHG_INHERIT |
				       SG_CHG_DETACH));
}

void od_rule_to_deps(struct orderer *o)
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
					od_edge(o, ys->s.v[a], xs->s.v[b]);
	}
}

void od_rule_from_deps(struct orderer *o)
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

				/* R7: an attachment needs nothing of `from`; a
				 * detachment comes before the table's other
				 * steps, the drops of its dependents too */
				if (s->attach || d->detach)
					continue;
				if (d->group == 0 ||
				    (s->group == 0 && d->group == 2))
					od_edge(o, s->index, d->index);
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
	const struct sg_constraint *con = od_as_con(obj);

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

void od_rule_names(struct orderer *o)
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
					od_edge(o, keys.v[a].node, keys.v[b].node);
		i = j;
	}
}

void od_rule_parents(struct orderer *o)
{
	for (size_t i = 0; i < o->nodes.n; i++) {
		struct node *n = o->nodes.v[i];
		struct sg_change *c = n->step.change;
		const struct sg_object *obj = od_chg_obj(c);

		/* R5: other steps of a renamed object follow its rename */
		if (c->to && c->op != SG_OP_RENAME) {
			const struct objsteps *ss = &o->tsteps[c->to->id];

			for (size_t k = 0; k < ss->s.n; k++)
				if (o->nodes.v[ss->s.v[k]]->step.change->op == SG_OP_RENAME)
					od_edge(o, ss->s.v[k], n->index);
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
					od_edge(o, p->index, n->index);
			}
		}
		if (c->from && c->from->parent) {
			const struct objsteps *ps = &o->fsteps[c->from->parent->id];

			for (size_t k = 0; k < ps->s.n; k++) {
				struct node *p = o->nodes.v[ps->s.v[k]];

				if (p->step.change->op == SG_OP_DROP)
					od_edge(o, n->index, p->index);
				else if (p->step.change->op == SG_OP_RENAME &&
					 c->op == SG_OP_DROP)
					od_edge(o, n->index, p->index);
			}
		}
	}
}

void od_rule_ownership(struct orderer *o)
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
					od_edge(o, ss->s.v[k], n->index);
			}
		}
		/* after the new owner exists */
		od_seq_owner(o->to, (const struct sg_sequence *)c->to, &ot, &oc);
		for (int w = 0; w < 2; w++) {
			const struct sg_object *x = w ? oc : ot;
			const struct objsteps *ts;

			if (!x)
				continue;
			ts = &o->tsteps[x->id];
			for (size_t k = 0; k < ts->s.n; k++)
				od_edge(o, ts->s.v[k], n->index);
		}
		/* before the old owner goes */
		if (!c->from)
			continue;
		od_seq_owner(o->from, (const struct sg_sequence *)c->from, &ot, &oc);
		for (int w = 0; w < 2; w++) {
			const struct sg_object *x = w ? oc : ot;
			const struct objsteps *fs;

			if (!x)
				continue;
			fs = &o->fsteps[x->id];
			for (size_t k = 0; k < fs->s.n; k++)
				if (o->nodes.v[fs->s.v[k]]->group <= 1)
					od_edge(o, n->index, fs->s.v[k]);
		}
	}
}

/*
 * R11: ALTER ... OWNER TO rewrites the object's ACL (the old owner's
 * entries become the new owner's, a grant to the new owner merges into its
 * rights), and ALTER TABLE ... OWNER TO those of the table's columns and
 * of the sequences its columns own too: a change of those grants comes
 * after that owner change, whatever the kind (emit_security_alter()
 * changes them from what the owner change left).
 */
void od_rule_owner_grants(struct orderer *o)
{
	int *owner_step = NULL;

	for (size_t i = 0; i < o->nodes.n; i++) {
		const struct sg_change *c = o->nodes.v[i]->step.change;

		if (c->op != SG_OP_ALTER || !(c->what & SG_CHG_OWNER) || !c->from)
			continue;
		if (!owner_step)
			owner_step = sg_alloc_array(o->a, o->from->nobjs + 1,
						    sizeof(*owner_step));
		owner_step[c->from->id] = (int)i + 1;
	}
	if (!owner_step)
		return;
	for (size_t i = 0; i < o->nodes.n; i++) {
		const struct sg_change *c = o->nodes.v[i]->step.change;
		const struct sg_object *x, *col;

		if (c->op != SG_OP_ALTER || !(c->what & SG_CHG_GRANTS) || !c->from)
			continue;
		x = c->from;
		if (x->kind == SG_KIND_COLUMN && x->parent)
			x = x->parent;
		else if (x->kind == SG_KIND_SEQUENCE &&
			 ((const struct sg_sequence *)x)->owned_table) {
			od_seq_owner(o->from, (const struct sg_sequence *)x, &x, &col);
			if (!x)
				continue;
		}
		if (owner_step[x->id])
			od_edge(o, owner_step[x->id] - 1, (int)i);
	}
}

/* Does a change touch table t (of its side) or one of its children? */
bool od_touches(const struct sg_change *c, const struct sg_object *ft,
		const struct sg_object *tt)
{
	const struct sg_object *f = c->from, *t = c->to;

	return (ft && f && (f == ft || f->parent == ft)) ||
	       (tt && t && (t == tt || t->parent == tt));
}

static bool step_touches(const struct node *n, const struct sg_object *ft,
			 const struct sg_object *tt)
{
	if (od_touches(n->step.change, ft, tt))
		return true;
	for (size_t k = 0; k < n->step.nabsorbed; k++)
		if (od_touches(n->step.absorbed[k], ft, tt))
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
void od_rule_links(struct orderer *o)
{
	for (size_t i = 0; i < o->nodes.n; i++) {
		struct node *n = o->nodes.v[i];
		const struct sg_change *c = n->step.change;
		const struct sg_table *tp[8];
		size_t np = 0;

		if (moved_aside(c)) {
			const struct sg_object *t = od_chg_obj(c)->parent;

			for (size_t k = 0; k < o->nodes.n; k++) {
				struct node *m = o->nodes.v[k];

				if (m == n || !(hosts_implied(m, t) || m->attach))
					continue;
				if (m->attach && m->step.change->to != t)
					continue;
				if (c->op == SG_OP_DROP)
					od_edge(o, n->index, m->index);
				else
					od_edge(o, m->index, n->index);
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
				if ((mc->op == SG_OP_RENAME && (mc->kind == SG_KIND_TABLE ||
				     mc->kind == SG_KIND_FOREIGN_TABLE)) ||
				    moved_aside(mc))
					continue;
				if (n->detach)
					od_edge(o, n->index, m->index);
				else if (!m->detach)
					od_edge(o, m->index, n->index);
				continue;
			}
			for (size_t p = 0; p < np; p++) {
				/* the new parents and their children first */
				if (n->attach && mc->op != SG_OP_DROP && !m->detach &&
				    step_touches(m, NULL, &tp[p]->obj))
					od_edge(o, m->index, n->index);
				/* the old ones lose nothing before */
				if (n->detach && mc->op == SG_OP_DROP &&
				    step_touches(m, &tp[p]->obj, NULL))
					od_edge(o, n->index, m->index);
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
void od_rule_clone_first(struct orderer *o)
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
			if (od_only(mc->to)) {
				if (n->step.change->to->kind == SG_KIND_TABLE)
					od_edge(o, n->index, m->index);
				continue;
			}
			od_edge(o, m->index, n->index);
		}
	}
}

/* R9: replica identity after its index; a new table's ALTER after it. */
void od_rule_table_alters(struct orderer *o)
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
					od_edge(o, ss->s.v[k], n->index);
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
				od_edge(o, ss->s.v[k], n->index);
		}
	}
}
