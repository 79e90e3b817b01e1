// SPDX-License-Identifier: MIT
/*
 * partial.c - reading back only what a change can have touched (issue 12):
 * the model database after an incremental step holds the catalog it held
 * before (prev, the model cache) but for the tables and views the step
 * changed.  Those are read again, with the relations next to them in
 * pg_depend (an FK's other table, a view over them: their columns are what
 * the dependencies name), and merged into prev so that the result is,
 * object for object, id for id, dependency for dependency, what a full
 * read would give:
 *
 *   - the changed relations are those named with their partitions-or-
 *     inheritance families, whole (parents, partitions, children,
 *     transitively, as the database and as prev link them): inherited
 *     columns and constraints, attached indexes and the parent pointers
 *     cross a family, which is read and merged as one;
 *   - the partial read P is introspect_catalog() with `relations` set:
 *     the tables and views loaders read only those (one added condition,
 *     one oid[] parameter: the query count does not change); their
 *     children follow (the table oids parameter; triggers, rules,
 *     statistics objects too), privileges, owners and pg_depend rows
 *     only for the oids read (partial_oids()); every other kind is read
 *     whole (few objects in a model of tables);
 *   - the merged catalog holds prev's objects but for those of the
 *     changed relations (the relation and its children), and P's objects
 *     of the changed relations, per kind in the order of introspect.c's
 *     steps, and within a kind in the order its loader sorts its rows
 *     (the same keys, compared the same way: strcmp);
 *   - its dependencies: prev's between objects outside the changed
 *     relations, P's with an end in them, the other end P's copy of an
 *     object prev holds (found by identity).
 *
 * It declines (the caller reads everything) when it cannot vouch for the
 * result: an object of a changed relation of a kind it does not place
 * (foreign tables and their children, ...), a table whose parent would be
 * the other side's copy, a dependency on an object prev lacks, anything
 * read outside the changed relations that prev does not hold as read,
 * objects out of the order it expects.  tests/integration/t4500 and
 * t4660 compare the result with a full read after a series of changes.
 */
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"
#include "schemagen/util.h"

/*
 * The relations next to the changed ones, one query: the changed
 * relations with their partitions-or-inheritance families (parents,
 * children, transitively: columns, constraints, indexes and pointers
 * cross them), flagged and named (they are read as changed); their
 * objects (the relation, its indexes, constraints, rules, triggers,
 * defaults, policies, statistics objects, row type and its array), the
 * other side of every pg_depend row naming one of them (both
 * indexes of pg_depend), each mapped to its relation (an index to its
 * table, ...; a lookup per row, not a scan of every catalog).
 */
static const char neighbours_sql[] =
	"WITH RECURSIVE named AS (SELECT c.oid FROM pg_class c"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" JOIN unnest($1::text[], $2::text[]) AS w(s, r)"
	"  ON w.s = n.nspname AND w.r = c.relname"
	" WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')),"
	/* with their partitions, parents and children, transitively */
	" fam(oid) AS (SELECT oid FROM named"
	" UNION SELECT k.oid FROM fam f CROSS JOIN LATERAL"
	"  (SELECT i.inhparent FROM pg_inherits i WHERE i.inhrelid = f.oid"
	"   UNION ALL SELECT i.inhrelid FROM pg_inherits i"
	"   WHERE i.inhparent = f.oid) k(oid)),"
	" ch AS (SELECT c.* FROM fam CROSS JOIN LATERAL"
	"  (SELECT c.oid, c.reltype, n.nspname, c.relname FROM pg_class c"
	"   JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = fam.oid"
	"   AND c.relkind IN ('r', 'p', 'v', 'm', 'f') OFFSET 0) c),"
	/* their objects (each a lookup per relation, OFFSET 0: the
	 * recursive CTE's estimate would have the planner scan and hash
	 * every catalog) */
	" o(classid, objid) AS (SELECT k.* FROM ch CROSS JOIN LATERAL ("
	" SELECT 'pg_class'::regclass, ch.oid"
	" UNION ALL (SELECT 'pg_class'::regclass, i.indexrelid FROM pg_index i"
	"  WHERE i.indrelid = ch.oid OFFSET 0)"
	" UNION ALL (SELECT 'pg_constraint'::regclass, k.oid FROM pg_constraint k"
	"  WHERE k.conrelid = ch.oid OFFSET 0)"
	" UNION ALL (SELECT 'pg_rewrite'::regclass, r.oid FROM pg_rewrite r"
	"  WHERE r.ev_class = ch.oid OFFSET 0)"
	" UNION ALL (SELECT 'pg_trigger'::regclass, t.oid FROM pg_trigger t"
	"  WHERE t.tgrelid = ch.oid OFFSET 0)"
	" UNION ALL (SELECT 'pg_attrdef'::regclass, a.oid FROM pg_attrdef a"
	"  WHERE a.adrelid = ch.oid OFFSET 0)"
	" UNION ALL (SELECT 'pg_policy'::regclass, p.oid FROM pg_policy p"
	"  WHERE p.polrelid = ch.oid OFFSET 0)"
	" UNION ALL (SELECT 'pg_statistic_ext'::regclass, s.oid"
	"  FROM pg_statistic_ext s WHERE s.stxrelid = ch.oid OFFSET 0)"
	" UNION ALL SELECT 'pg_type'::regclass, ch.reltype WHERE ch.reltype <> 0"
	" UNION ALL (SELECT 'pg_type'::regclass, t.typarray FROM pg_type t"
	"  WHERE t.oid = ch.reltype AND t.typarray <> 0 OFFSET 0)) k),"
	/* the other side of the pg_depend rows naming one */
	" other(classid, objid) AS (SELECT DISTINCT k.* FROM o CROSS JOIN LATERAL ("
	" (SELECT d.refclassid, d.refobjid FROM pg_depend d"
	"  WHERE d.classid = o.classid AND d.objid = o.objid OFFSET 0)"
	" UNION ALL (SELECT d.classid, d.objid FROM pg_depend d"
	"  WHERE d.refclassid = o.classid AND d.refobjid = o.objid OFFSET 0)) k)"
	" SELECT oid, true AS changed, nspname, relname FROM ch"
	/* each mapped to its relation */
	" UNION SELECT r.rel, false, NULL, NULL FROM other x"
	" CROSS JOIN LATERAL (SELECT CASE x.classid"
	" WHEN 'pg_class'::regclass THEN (SELECT CASE"
	"  WHEN c.relkind IN ('i', 'I') THEN (SELECT i.indrelid FROM pg_index i"
	"   JOIN pg_class ic ON ic.oid = i.indrelid"
	"   AND ic.relkind IN ('r', 'p', 'm') WHERE i.indexrelid = c.oid)"
	"  WHEN c.relkind IN ('r', 'p', 'v', 'm', 'f') THEN c.oid END"
	"  FROM pg_class c WHERE c.oid = x.objid)"
	" WHEN 'pg_constraint'::regclass THEN (SELECT nullif(k.conrelid, 0)"
	"  FROM pg_constraint k WHERE k.oid = x.objid)"
	" WHEN 'pg_rewrite'::regclass THEN (SELECT r.ev_class FROM pg_rewrite r"
	"  WHERE r.oid = x.objid)"
	" WHEN 'pg_trigger'::regclass THEN (SELECT t.tgrelid FROM pg_trigger t"
	"  WHERE t.oid = x.objid)"
	" WHEN 'pg_attrdef'::regclass THEN (SELECT a.adrelid FROM pg_attrdef a"
	"  WHERE a.oid = x.objid)"
	" WHEN 'pg_policy'::regclass THEN (SELECT p.polrelid FROM pg_policy p"
	"  WHERE p.oid = x.objid)"
	" WHEN 'pg_statistic_ext'::regclass THEN (SELECT s.stxrelid"
	"  FROM pg_statistic_ext s WHERE s.oid = x.objid)"
	/* a row type or its array: the relation */
	" WHEN 'pg_type'::regclass THEN (SELECT tc.oid FROM pg_type t"
	"  LEFT JOIN pg_type e ON e.oid = t.typelem"
	"  JOIN pg_class tc ON tc.oid = coalesce(nullif(t.typrelid, 0), e.typrelid)"
	"  AND tc.relkind IN ('r', 'p', 'v', 'm', 'f') WHERE t.oid = x.objid)"
	" END AS rel) r"
	" WHERE r.rel IS NOT NULL"
	" ORDER BY 1, 2";

/* The changed relations, sorted by (schema, name) for bsearch. */
struct relname {
	const char *schema, *name;
};

struct changed {
	SG_VEC(struct relname) v;
};

static int relname_cmp(const void *pa, const void *pb)
{
	const struct relname *a = pa, *b = pb;
	int c = strcmp(a->schema, b->schema);

	return c ? c : strcmp(a->name, b->name);
}

static bool has_rel(const struct changed *ch, const char *schema, const char *name)
{
	struct relname k = { schema, name };

	return ch->v.n && bsearch(&k, ch->v.v, ch->v.n, sizeof(k), relname_cmp);
}

/* Adds (schema, name), keeping the list sorted; false when it was there. */
static bool add_rel(struct sg_arena *a, struct changed *ch, const char *schema,
		    const char *name)
{
	struct relname k = { schema, name };
	size_t lo = 0, hi = ch->v.n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = relname_cmp(&ch->v.v[mid], &k);

		if (c == 0)
			return false;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	SG_VEC_PUSH(a, &ch->v, k);
	memmove(&ch->v.v[lo + 1], &ch->v.v[lo], (ch->v.n - 1 - lo) * sizeof(k));
	ch->v.v[lo] = k;
	return true;
}

static const struct sg_object *relation_of(const struct sg_object *o)
{
	return o->parent ? o->parent : o;
}

/* Is o (or the relation it hangs under) one of the changed relations? */
static bool in_changed(const struct changed *ch, const struct sg_object *o)
{
	const struct sg_object *r = relation_of(o);

	if (r->kind != SG_KIND_TABLE && r->kind != SG_KIND_VIEW &&
	    r->kind != SG_KIND_FOREIGN_TABLE)
		return false;
	return has_rel(ch, r->schema, r->name);
}

/* Parent k of table t (0: a partition's, 1...: INHERITS'), NULL for
 * none or one outside the catalog. */
static const struct sg_table *parent_of(const struct sg_table *t, size_t k)
{
	if (k == 0)
		return t->partition_parent;
	return k <= t->ninherits && t->inherits_tables ? t->inherits_tables[k - 1]
						       : NULL;
}

/*
 * The changed relations' partitions-or-inheritance families as prev
 * holds them (a partition detached, a parent dropped: the database no
 * longer links them, prev's objects still do), added to ch, transitively.
 */
static void prev_families(struct sg_arena *a, struct changed *ch,
			  const struct sg_catalog *prev)
{
	static const enum sg_kind kinds[] = { SG_KIND_TABLE, SG_KIND_FOREIGN_TABLE };
	bool more = true;

	while (more) {
		more = false;
		for (size_t q = 0; q < ARRAY_SIZE(kinds); q++)
			for (size_t i = 0; i < prev->nbykind[kinds[q]]; i++) {
				const struct sg_table *t = (const void *)prev->bykind[kinds[q]][i];
				bool mine = has_rel(ch, t->obj.schema, t->obj.name);

				for (size_t k = 0; k <= t->ninherits; k++) {
					const struct sg_table *p = parent_of(t, k);
					bool theirs;

					if (!p)
						continue;
					theirs = has_rel(ch, p->obj.schema, p->obj.name);
					if (mine && !theirs)
						more |= add_rel(a, ch, p->obj.schema,
								p->obj.name);
					else if (theirs && !mine)
						more |= mine = add_rel(a, ch, t->obj.schema,
								       t->obj.name);
				}
			}
	}
}

/* The kinds of a changed relation's objects this file places. */
static bool placed(enum sg_kind k)
{
	switch (k) {
	case SG_KIND_TABLE: case SG_KIND_VIEW: case SG_KIND_COLUMN:
	case SG_KIND_CONSTRAINT: case SG_KIND_INDEX: case SG_KIND_TRIGGER:
	case SG_KIND_POLICY: case SG_KIND_RULE:
		return true;
	default:
		return false;
	}
}

static int strcmp0(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

/*
 * The order of a kind's loader (its sortkey list): tables and views by
 * schema and name; indexes by schema and their own name; columns by their
 * relation and position; the other children by their relation and name.
 */
static int key_cmp(const struct sg_object *a, const struct sg_object *b)
{
	int c;

	switch (a->kind) {
	case SG_KIND_TABLE: case SG_KIND_VIEW: case SG_KIND_INDEX:
		c = strcmp0(a->schema, b->schema);
		return c ? c : strcmp0(a->name, b->name);
	case SG_KIND_COLUMN:
		if ((c = strcmp0(a->parent->schema, b->parent->schema)) != 0 ||
		    (c = strcmp0(a->parent->name, b->parent->name)) != 0)
			return c;
		return (((const struct sg_column *)a)->attnum >
			((const struct sg_column *)b)->attnum) -
		       (((const struct sg_column *)a)->attnum <
			((const struct sg_column *)b)->attnum);
	default:
		if ((c = strcmp0(a->parent->schema, b->parent->schema)) != 0 ||
		    (c = strcmp0(a->parent->name, b->parent->name)) != 0)
			return c;
		return strcmp0(a->name, b->name);
	}
}

/*
 * The result's tables point to their parents (partition_parent,
 * inherits_tables): prev's, kept, to prev's objects kept, P's, of the
 * changed relations, to P's objects of the changed relations.  A family
 * is read whole (prev_families(), the neighbours query), so that holds
 * but for what the database and prev disagree on that the two do not
 * see: declined.
 */
static const char *parents_apart(const struct changed *ch,
				 const struct sg_catalog *cat, bool read)
{
	static const enum sg_kind kinds[] = { SG_KIND_TABLE, SG_KIND_FOREIGN_TABLE };

	for (size_t q = 0; q < ARRAY_SIZE(kinds); q++)
		for (size_t i = 0; i < cat->nbykind[kinds[q]]; i++) {
			const struct sg_table *t = (const void *)cat->bykind[kinds[q]][i];

			if (in_changed(ch, &t->obj) != read)
				continue;
			for (size_t k = 0; k <= t->ninherits; k++) {
				const struct sg_table *pt = parent_of(t, k);

				if (pt && in_changed(ch, &pt->obj) != read)
					return "partitions or inheritance across the "
					       "changed relations' bounds";
			}
		}
	return NULL;
}

/* Read by P only for the relations asked for (the others: every one). */
static bool restricted(enum sg_kind k)
{
	return placed(k) || k == SG_KIND_STATISTICS;
}

/*
 * What P read outside the changed relations is what prev holds: the
 * same objects (P's neighbours and every object of the kinds P reads
 * whole), each as it was (its digest and oid) -- a change that touched
 * anything else (a sequence dropped with a column, ...) is not vouched
 * for.
 */
static const char *unchanged_outside(struct sg_arena *a, const struct changed *ch,
				     const struct sg_catalog *prev,
				     const struct sg_catalog *p)
{
	size_t *n = sg_alloc_array(a, SG_KIND__COUNT, sizeof(*n));

	for (size_t i = 0; i < p->nobjs; i++) {
		const struct sg_object *o = p->objs[i], *q;

		if (!o || in_changed(ch, o))
			continue;
		q = sg_catalog_find(prev, o->kind, o->schema,
				    o->parent ? o->parent->name : NULL, o->name);
		if (!q)
			return sg_printf(a, "a %s outside the changed relations is new",
					 sg_kind_name(o->kind));
		if (q->oid != o->oid || sg_object_digest(q) != sg_object_digest(o))
			return sg_printf(a, "a %s outside the changed relations changed",
					 sg_kind_name(o->kind));
		if (!restricted(o->kind))
			n[o->kind]++;
	}
	for (size_t i = 0; i < prev->nobjs; i++) {
		const struct sg_object *o = prev->objs[i];

		if (o && !restricted(o->kind) && !in_changed(ch, o) && n[o->kind]-- == 0)
			return sg_printf(a, "a %s outside the changed relations is gone",
					 sg_kind_name(o->kind));
	}
	return NULL;
}

/* prev's object of P's object o (by identity); o itself when it is one of
 * the changed relations' */
static struct sg_object *counterpart(const struct changed *ch,
				     const struct sg_catalog *prev, struct sg_object *o)
{
	if (in_changed(ch, o))
		return o;
	return sg_catalog_find(prev, o->kind, o->schema,
			       o->parent ? o->parent->name : NULL, o->name);
}

static const char *merge(struct sg_arena *a, const struct changed *ch,
			 struct sg_catalog *prev, struct sg_catalog *p,
			 struct sg_catalog **out)
{
	struct sg_catalog *m;
	struct sg_object ***pk = sg_alloc_array(a, SG_KIND__COUNT, sizeof(*pk));
	size_t *npk = sg_alloc_array(a, SG_KIND__COUNT, sizeof(*npk));
	bool *pchg = sg_alloc_array(a, prev->nobjs + 1, sizeof(bool));
	struct sg_dep *deps;
	size_t ndeps = 0, nobjs = 0;
	int last = -1;

	const char *why;

	if ((why = parents_apart(ch, prev, false)) != NULL ||
	    (why = parents_apart(ch, p, true)) != NULL ||
	    (why = unchanged_outside(a, ch, prev, p)) != NULL)
		return why;
	/* prev: in the steps' order, each object's kind placed */
	for (size_t i = 0; i < prev->nobjs; i++) {
		struct sg_object *o = prev->objs[i];
		int r;

		if (!o || (r = introspect_kind_rank(o->kind)) < 0)
			return "the previous catalog is not one read from a database";
		if (r < last)
			return "the previous catalog is not in the order of a read";
		last = r;
		if ((pchg[i] = in_changed(ch, o)) && !placed(o->kind))
			return sg_printf(a, "a changed relation has a %s",
					 sg_kind_name(o->kind));
	}
	/* P's objects of the changed relations, per kind, in P's order */
	for (size_t i = 0; i < p->nobjs; i++) {
		struct sg_object *o = p->objs[i];

		if (!o || !in_changed(ch, o))
			continue;
		if (!placed(o->kind))
			return sg_printf(a, "a changed relation has a %s",
					 sg_kind_name(o->kind));
		if (!pk[o->kind])
			pk[o->kind] = sg_alloc_array(a, p->nobjs, sizeof(**pk));
		if (npk[o->kind] && key_cmp(pk[o->kind][npk[o->kind] - 1], o) >= 0)
			return "the partial read is not in its loaders' order";
		pk[o->kind][npk[o->kind]++] = o;
	}
	/* the dependencies, before the ids change: prev's outside the changed
	 * relations, P's with an end in them */
	deps = sg_alloc_array(a, prev->ndeps + p->ndeps + 1, sizeof(*deps));
	for (size_t i = 0; i < prev->ndeps; i++)
		if (!pchg[prev->deps[i].obj->id] && !pchg[prev->deps[i].ref->id])
			deps[ndeps++] = prev->deps[i];
	for (size_t i = 0; i < p->ndeps; i++) {
		struct sg_dep d = p->deps[i];

		if (!in_changed(ch, d.obj) && !in_changed(ch, d.ref))
			continue;
		d.obj = counterpart(ch, prev, d.obj);
		d.ref = counterpart(ch, prev, d.ref);
		if (!d.obj || !d.ref)
			return "a dependency on an object the previous catalog lacks";
		deps[ndeps++] = d;
	}

	m = sg_catalog_new(a, p->origin);
	m->server_version = p->server_version;
	m->owners = p->owners;
	m->objs = sg_alloc_array(a, prev->nobjs + p->nobjs + 1, sizeof(*m->objs));
	for (size_t i = 0;;) {
		/* one kind at a time: prev's run of it merged with P's */
		enum sg_kind k = i < prev->nobjs ? prev->objs[i]->kind : SG_KIND__COUNT;
		int r = i < prev->nobjs ? introspect_kind_rank(k) : 1 << 30;
		size_t j = 0;
		int pr = -1;

		/* P's kinds that come before prev's next kind (none in prev) */
		for (int q = 0; q < SG_KIND__COUNT; q++)
			if (npk[q] && introspect_kind_rank((enum sg_kind)q) < r &&
			    (pr < 0 || introspect_kind_rank((enum sg_kind)q) <
				       introspect_kind_rank((enum sg_kind)pr)))
				pr = q;
		if (pr >= 0) {
			for (j = 0; j < npk[pr]; j++)
				m->objs[nobjs++] = pk[pr][j];
			npk[pr] = 0;
			continue;
		}
		if (i >= prev->nobjs)
			break;
		for (; i < prev->nobjs && prev->objs[i]->kind == k; i++) {
			struct sg_object *o = prev->objs[i];

			if (pchg[i])
				continue;
			while (j < npk[k] && key_cmp(pk[k][j], o) < 0)
				m->objs[nobjs++] = pk[k][j++];
			if (j < npk[k] && key_cmp(pk[k][j], o) == 0)
				return "a changed relation's object has another's place";
			m->objs[nobjs++] = o;
		}
		while (j < npk[k])
			m->objs[nobjs++] = pk[k][j++];
		npk[k] = 0;
	}
	m->nobjs = m->cap = nobjs;
	for (size_t i = 0; i < nobjs; i++)
		m->objs[i]->id = (int)i;
	m->deps = deps;
	m->ndeps = m->depcap = ndeps;
	/* prev's objects are m's now */
	prev->nobjs = 0;
	prev->ndeps = 0;
	memset(prev->nbykind, 0, sizeof(prev->nbykind));
	sg_catalog_finish(m);
	*out = m;
	return NULL;
}

int introspect_partial(struct sg_conn *c, const struct sg_introspect_opts *o,
		       struct sg_catalog *prev, const char *const *schemas,
		       const char *const *names, size_t n, struct sg_catalog **out,
		       const char **why)
{
	struct sg_introspect_opts po = *o;
	struct changed ch = { 0 };
	struct sbuf s = SBUF_INIT, r = SBUF_INIT, rels = SBUF_INIT;
	struct sg_catalog *p;
	const char *params[2], **sv, **nv;
	PGresult *res;
	int rc = -1;

	*why = NULL;
	for (size_t i = 0; i < n; i++)
		add_rel(prev->arena, &ch, schemas[i], names[i]);
	prev_families(prev->arena, &ch, prev);
	sv = sg_alloc_array(prev->arena, ch.v.n + 1, sizeof(*sv));
	nv = sg_alloc_array(prev->arena, ch.v.n + 1, sizeof(*nv));
	for (size_t i = 0; i < ch.v.n; i++) {
		sv[i] = ch.v.v[i].schema;
		nv[i] = ch.v.v[i].name;
	}
	text_array_literal(&s, sv, ch.v.n);
	text_array_literal(&r, nv, ch.v.n);
	params[0] = s.buf;
	params[1] = r.buf;
	res = sg_conn_query(c, neighbours_sql, 2, params);
	sbuf_release(&s);
	sbuf_release(&r);
	if (!res)
		return -1;
	/* rows by oid, a changed relation's (named) before a neighbour's */
	for (int i = 0; i < PQntuples(res); i++) {
		bool same = i > 0 && strcmp(PQgetvalue(res, i, 0),
					    PQgetvalue(res, i - 1, 0)) == 0;

		if (!same)
			oidlist_add(&rels, (uint32_t)strtoul(PQgetvalue(res, i, 0),
							     NULL, 10));
		if (strcmp(PQgetvalue(res, i, 1), "t") == 0)
			add_rel(prev->arena, &ch,
				sg_strdup(prev->arena, PQgetvalue(res, i, 2)),
				sg_strdup(prev->arena, PQgetvalue(res, i, 3)));
	}
	oidlist_end(&rels);
	PQclear(res);
	po.relations = rels.buf;
	p = sg_catalog_new(prev->arena, "database");
	if (introspect_catalog(c, &po, p) == 0) {
		rc = 0;
		if ((*why = merge(prev->arena, &ch, prev, p, out)) != NULL)
			rc = 1;
	}
	sbuf_release(&rels);
	return rc;
}
