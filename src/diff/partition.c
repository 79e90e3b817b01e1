// SPDX-License-Identifier: MIT
/*
 * partition.c - the differ's part for partitioned tables, partitions, table
 * inheritance and the table-level settings that are not children:
 * persistence (UNLOGGED), storage parameters, REPLICA IDENTITY.
 *
 * A table whose kind changes (ordinary <-> partitioned) or whose partition
 * key changes cannot be altered into the other: it is dropped and created
 * again (the data is lost; emit says so), and the sequences it owns are
 * moved aside and back so that they survive.  So is a partitioned table
 * whose persistence changes (PostgreSQL ignores SET LOGGED / UNLOGGED on
 * one); its partitions are detached before and attached after.
 *
 * A partition that changes parent or bounds, or an INHERITS child that
 * gains or loses parents, gets two changes on the table: a detach (ALTER
 * with SG_CHG_DETACH: DETACH PARTITION, NO INHERIT), which the orderer
 * places before anything else happens to the table and before the old
 * parent may go, and an attach (ATTACH PARTITION, INHERIT), placed after
 * everything else and after the new parent exists.  A parent that is
 * dropped and created again counts as another parent.
 *
 * Children that come from a parent (inherited columns and checks; indexes
 * and constraints PostgreSQL clones onto partitions, attached_to) are
 * created, altered and dropped by PostgreSQL together with the parent's:
 * their changes are marked SG_CHG_IMPLIED, which the orderer folds into
 * the step that causes them (the parent's change, or the child table's
 * creation or attachment) and emit writes nothing for -- except the
 * statements that give a clone a name other than PostgreSQL's default.
 * What stays explicit: what a table must have before it can be attached
 * (its columns and checks), what a detached table loses afterwards, what
 * a child may set on its own (a default, NOT NULL, comments).  An attached
 * index or constraint whose name changed while its parent did not is
 * renamed; a local index of a partition that should be attached to an
 * existing index of the parent is attached (ALTER INDEX ... ATTACH
 * PARTITION).
 */
#include <string.h>

#include "diff-priv.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "schemagen/util.h"

/* The to-side table a from-side table becomes (renamed or the same name). */
static const struct sg_table *to_table(const struct differ *df,
				       const struct sg_table *ft)
{
	const struct sg_table *t = diff_renamed_table(df, ft);

	if (!t && ft->obj.kind == SG_KIND_FOREIGN_TABLE) {   /* an INHERITS parent */
		for (size_t i = 0; i < df->orn_from.n; i++)
			if (df->orn_from.v[i] == &ft->obj)
				return (const struct sg_table *)df->orn_to.v[i];
		return (const struct sg_table *)sg_catalog_find(
			df->to, SG_KIND_FOREIGN_TABLE, ft->obj.schema, NULL, ft->obj.name);
	}
	return t ? t : sg_catalog_table(df->to, ft->obj.schema, ft->obj.name);
}

static char relkind(const struct sg_table *t)
{
	return t->relkind ? t->relkind : 'r';
}

bool diff_table_needs_rebuild(const struct sg_table *ft, const struct sg_table *tt)
{
	if (relkind(ft) != relkind(tt))
		return true;
	/* ALTER TABLE ... SET [UN]LOGGED does nothing to a partitioned table
	 * (its partitions have their own persistence) */
	return relkind(ft) == 'p' &&
	       (!sg_streq(ft->partition_key, tt->partition_key) ||
		ft->unlogged != tt->unlogged);
}

/* Is the from-side parent (fp, named fname) the to-side one, kept as it is? */
static bool same_parent(const struct differ *df, const struct sg_table *fp,
			const char *fname, const struct sg_table *tp,
			const char *tname)
{
	if (!fp || !tp)
		return sg_streq(fname, tname);
	return to_table(df, fp) == tp && !diff_table_needs_rebuild(fp, tp);
}

/* ---- rebuilt tables ---- */

/* A copy of a sequence that is owned by nothing (for OWNED BY NONE). */
static const struct sg_object *disowned(struct differ *df,
					const struct sg_sequence *s)
{
	struct sg_sequence *c = sg_memdup(df->a, s, sizeof(*s));

	c->owned_table = c->owned_column = NULL;
	return &c->obj;
}

void diff_table_rebuild(struct differ *df, const struct sg_table *ft,
			const struct sg_table *tt)
{
	diff_drop_table(df, ft);
	diff_create_table(df, tt);
	/*
	 * DROP TABLE drops the sequences the table owns (serial columns):
	 * those that are kept are disowned before and owned again after.
	 */
	for (size_t i = 0; i < df->from->nbykind[SG_KIND_SEQUENCE]; i++) {
		const struct sg_sequence *fs = (const struct sg_sequence *)
			df->from->bykind[SG_KIND_SEQUENCE][i];
		const struct sg_sequence *ts;

		if (!fs->owned_table || strcmp(fs->obj.schema, ft->obj.schema) != 0 ||
		    strcmp(fs->owned_table, ft->obj.name) != 0)
			continue;
		ts = (const struct sg_sequence *)sg_catalog_find(
			df->to, SG_KIND_SEQUENCE, fs->obj.schema, NULL, fs->obj.name);
		if (!ts)
			continue;
		diff_add(df, SG_OP_ALTER, &fs->obj, disowned(df, ts), SG_CHG_OWNED_BY);
		if (ts->owned_table)
			diff_add(df, SG_OP_ALTER, disowned(df, fs), &ts->obj,
				 SG_CHG_OWNED_BY);
	}
}

/* ---- the table's own settings and links ---- */

struct links {
	bool attaching, detaching;
};

static bool has_parent(const struct differ *df, const struct sg_table *fp,
		       const char *fname, const struct sg_table *t,
		       bool t_is_to)
{
	for (size_t i = 0; i < t->ninherits; i++) {
		const struct sg_table *tp = t->inherits_tables ? t->inherits_tables[i] : NULL;

		if (t_is_to ? same_parent(df, fp, fname, tp, t->inherits[i])
			    : same_parent(df, tp, t->inherits[i], fp, fname))
			return true;
	}
	return false;
}

static struct links table_links(struct differ *df, const struct sg_table *ft,
				const struct sg_table *tt, bool record)
{
	struct links l = { false, false };

	if (ft->partition_of || tt->partition_of) {
		bool same = ft->partition_of && tt->partition_of &&
			same_parent(df, ft->partition_parent, ft->partition_of,
				    tt->partition_parent, tt->partition_of) &&
			sg_streq(ft->partition_bound, tt->partition_bound);

		if (!same) {
			l.detaching = ft->partition_of != NULL;
			l.attaching = tt->partition_of != NULL;
			if (record && l.detaching)
				diff_add(df, SG_OP_ALTER, &ft->obj, &tt->obj,
					 SG_CHG_PARTITION | SG_CHG_DETACH);
			if (record && l.attaching)
				diff_add(df, SG_OP_ALTER, &ft->obj, &tt->obj,
					 SG_CHG_PARTITION);
		}
	}
	{
		bool removed = false, added = false;

		for (size_t i = 0; i < ft->ninherits; i++)
			if (!has_parent(df, ft->inherits_tables ? ft->inherits_tables[i] : NULL,
					ft->inherits[i], tt, true))
				removed = true;
		for (size_t i = 0; i < tt->ninherits; i++)
			if (!has_parent(df, tt->inherits_tables ? tt->inherits_tables[i] : NULL,
					tt->inherits[i], ft, false))
				added = true;
		if (record && removed)
			diff_add(df, SG_OP_ALTER, &ft->obj, &tt->obj,
				 SG_CHG_INHERIT | SG_CHG_DETACH);
		if (record && added)
			diff_add(df, SG_OP_ALTER, &ft->obj, &tt->obj, SG_CHG_INHERIT);
		l.detaching = l.detaching || removed;
		l.attaching = l.attaching || added;
	}
	return l;
}

static bool replica_equal(const struct sg_table *a, const struct sg_table *b)
{
	char ra = a->replica_identity ? a->replica_identity : 'd';
	char rb = b->replica_identity ? b->replica_identity : 'd';

	return ra == rb && (ra != 'i' || sg_streq(a->replica_index, b->replica_index));
}

void diff_table_props(struct differ *df, const struct sg_table *ft,
		      const struct sg_table *tt)
{
	sg_chg what = 0;

	if (ft->unlogged != tt->unlogged)
		what |= SG_CHG_PERSISTENCE;
	if (!sg_strings_equal(ft->reloptions, ft->nreloptions, tt->reloptions,
			   tt->nreloptions))
		what |= SG_CHG_OPTIONS;
	if (what)
		diff_add(df, SG_OP_ALTER, &ft->obj, &tt->obj, what);
	if (!replica_equal(ft, tt))
		diff_add(df, SG_OP_ALTER, &ft->obj, &tt->obj, SG_CHG_REPLICA);
	table_links(df, ft, tt, true);
}

/* ---- children that come from parents ---- */

/*
 * Does the object come from a parent table: an inherited column or check,
 * a clone, or a local key whose index is attached to an index of the
 * parent.
 */
static bool inherited(const struct sg_object *o)
{
	switch (o->kind) {
	case SG_KIND_COLUMN:
		return ((const struct sg_column *)o)->inherited;
	case SG_KIND_CONSTRAINT:
		return ((const struct sg_constraint *)o)->inherited ||
		       ((const struct sg_constraint *)o)->attached_to;
	case SG_KIND_INDEX:
		return ((const struct sg_index *)o)->attached_to != NULL;
	default:
		return false;
	}
}

static const char *attached_to(const struct sg_object *o)
{
	if (o->kind == SG_KIND_CONSTRAINT)
		return ((const struct sg_constraint *)o)->attached_to;
	if (o->kind == SG_KIND_INDEX)
		return ((const struct sg_index *)o)->attached_to;
	return NULL;
}

/* A local key whose index the parent adopted: it cannot go by itself. */
static bool local_attached(const struct sg_object *o)
{
	return o->kind == SG_KIND_CONSTRAINT &&
	       ((const struct sg_constraint *)o)->attached_to &&
	       !((const struct sg_constraint *)o)->inherited;
}

/*
 * The object of a parent table that a child object comes from: the column
 * or check of the same name; the constraint a foreign key is cloned from;
 * the index (or the constraint owning it) named by attached_to.
 */
static const struct sg_object *counterpart(const struct sg_catalog *cat,
					   const struct sg_table *t,
					   const struct sg_object *o)
{
	const struct sg_table *ps[8];
	size_t np = sg_table_parents(t, ps, 8);
	const char *name = attached_to(o) ? attached_to(o) : o->name;

	for (size_t i = 0; i < np; i++) {
		const struct sg_object *c = sg_catalog_find(
			cat, o->kind, ps[i]->obj.schema, ps[i]->obj.name, name);

		if (!c && o->kind == SG_KIND_CONSTRAINT && attached_to(o))
			c = sg_catalog_find(cat, SG_KIND_INDEX, ps[i]->obj.schema,
					    ps[i]->obj.name, name);
		if (!c && o->kind == SG_KIND_INDEX)
			c = sg_catalog_find(cat, SG_KIND_CONSTRAINT, ps[i]->obj.schema,
					    ps[i]->obj.name, name);
		if (c)
			return c;
	}
	return NULL;
}

static const char *definition(const struct sg_object *o)
{
	if (o->kind == SG_KIND_CONSTRAINT)
		return ((const struct sg_constraint *)o)->definition;
	if (o->kind == SG_KIND_INDEX)
		return ((const struct sg_index *)o)->definition;
	return NULL;
}

/*
 * Is the parent's object that a child object comes from kept as it is?
 * (It is not when it is created, dropped, or replaced.)
 */
static bool counterpart_kept(const struct differ *df, const struct sg_table *ft,
			     const struct sg_object *fo,
			     const struct sg_table *tt,
			     const struct sg_object *to)
{
	const struct sg_object *fc = counterpart(df->from, ft, fo);
	const struct sg_object *tc = counterpart(df->to, tt, to);
	const struct sg_table *fp, *tp;

	if (!fc || !tc || fc->kind != tc->kind)
		return false;
	fp = (const struct sg_table *)fc->parent;
	tp = (const struct sg_table *)tc->parent;
	if (to_table(df, fp) != tp || diff_table_needs_rebuild(fp, tp))
		return false;
	if (fc->kind == SG_KIND_COLUMN)
		return true;
	/* a renamed parent table spells its definitions differently */
	return diff_renamed_table(df, fp) || sg_streq(definition(fc), definition(tc));
}

/* Removes changes marked dead from out[first..]. */
static void compact(struct differ *df, size_t first, const bool *dead)
{
	size_t w = first;

	for (size_t r = first; r < df->out->n; r++) {
		if (dead[r - first])
			continue;
		df->out->v[w] = df->out->v[r];
		df->out->v[w]->id = (int)w;
		w++;
	}
	df->out->n = w;
}

/*
 * An inherited column's alteration: what follows the parent's own change
 * (its type always; default and NOT NULL when the parent changes them the
 * same way) happens by itself.
 */
static sg_chg column_residue(const struct sg_table *ft, const struct sg_table *tt,
			       const struct differ *df, const struct sg_column *f,
			       const struct sg_column *t, sg_chg what)
{
	const struct sg_column *pf = (const struct sg_column *)
		counterpart(df->from, ft, &f->obj);
	const struct sg_column *pt = (const struct sg_column *)
		counterpart(df->to, tt, &t->obj);

	if (!f->inherited || !t->inherited)
		return what;
	what &= ~(sg_chg)(SG_CHG_TYPE | SG_CHG_RECAST);
	if (pf && pt && sg_streq(pf->default_expr, f->default_expr) &&
	    sg_streq(pt->default_expr, t->default_expr))
		what &= ~(sg_chg)SG_CHG_DEFAULT;
	if (pf && pt && pf->not_null == f->not_null && pt->not_null == t->not_null)
		what &= ~(sg_chg)SG_CHG_NOT_NULL;
	return what;
}

/* A child of t by kind and name. */
static const struct sg_object *child(const struct sg_catalog *cat,
				     const struct sg_table *t, enum sg_kind kind,
				     const char *name)
{
	return sg_catalog_find(cat, kind, t->obj.schema, t->obj.name, name);
}

/* Has a change been recorded for either object since first? */
static bool has_change(const struct differ *df, size_t first,
		       const struct sg_object *f, const struct sg_object *t)
{
	for (size_t k = first; k < df->out->n; k++) {
		const struct sg_change *c = df->out->v[k];

		if ((f && c->from == f) || (t && c->to == t))
			return true;
	}
	return false;
}

/* What an index looks like apart from its name and table: " USING ...". */
static const char *index_shape(const struct sg_index *ix)
{
	const char *u = ix->definition ? strstr(ix->definition, " USING ") : NULL;

	return u ? u : "";
}

/*
 * PostgreSQL attaches an equal index the partition already has rather than
 * create a new one, when the parent's index is created or the partition
 * attached.  A local index that must stay local is then moved out of the
 * way: dropped before and created again after (SG_CHG_PARTITION on both,
 * which the orderer places around the attachment).
 */
static void move_aside_equal_locals(struct differ *df, const struct sg_table *ft,
				    const struct sg_table *tt, size_t first)
{
	size_t n = df->out->n;

	for (size_t i = first; i < n; i++) {
		const struct sg_change *c = df->out->v[i];
		const struct sg_index *pi;

		if (c->op != SG_OP_CREATE || !(c->what & SG_CHG_IMPLIED) ||
		    c->kind != SG_KIND_INDEX || c->to->parent != &tt->obj)
			continue;
		pi = (const struct sg_index *)counterpart(df->to, tt, c->to);
		if (!pi || pi->obj.kind != SG_KIND_INDEX)
			continue;
		for (size_t k = 0; k < ft->nindexes; k++) {
			const struct sg_index *l = ft->indexes[k];
			const struct sg_object *lt = child(df->to, tt, SG_KIND_INDEX,
							   l->obj.name);

			if (l->attached_to || !lt || inherited(lt) ||
			    l->unique != pi->unique ||
			    strcmp(index_shape(l), index_shape(pi)) != 0 ||
			    has_change(df, first, &l->obj, lt))
				continue;
			diff_add(df, SG_OP_DROP, &l->obj, NULL, SG_CHG_PARTITION);
			diff_add(df, SG_OP_CREATE, NULL, lt, SG_CHG_PARTITION);
		}
	}
}

/*
 * ALTER TABLE parent ADD CONSTRAINT ... CHECK ... NOT VALID leaves the
 * children's copies not valid too, while CREATE TABLE ... PARTITION OF
 * validates them: a valid copy of a check that is not valid on the parent
 * is validated after it is made (a no-op in the second case).
 */
static void validate_checks(struct differ *df, const struct sg_table *tt,
			    size_t first)
{
	size_t n = df->out->n;

	for (size_t i = first; i < n; i++) {
		const struct sg_change *c = df->out->v[i];
		const struct sg_constraint *k = (const struct sg_constraint *)c->to;
		const struct sg_constraint *pk;

		if (c->op != SG_OP_CREATE || c->kind != SG_KIND_CONSTRAINT ||
		    !(c->what & SG_CHG_IMPLIED) || c->to->parent != &tt->obj ||
		    k->type != 'c' || k->not_valid)
			continue;
		pk = (const struct sg_constraint *)counterpart(df->to, tt, c->to);
		if (pk && pk->obj.kind == SG_KIND_CONSTRAINT && pk->not_valid)
			diff_add(df, SG_OP_ALTER, NULL, c->to, SG_CHG_VALIDATE);
	}
}

/*
 * Is the parent's index that a partition's own key (fo) is attached to
 * dropped (or replaced)?  Then the partition is detached around the drop
 * (PostgreSQL refuses to drop either index while the key is attached) and
 * attached again, its key its own.  An index of the parent that stays
 * cannot let go of it: re-attaching would adopt it again.
 */
static bool parent_index_goes(const struct differ *df, const struct sg_table *ft,
			      const struct sg_object *fo)
{
	const struct sg_object *fc = counterpart(df->from, ft, fo), *tc;
	const struct sg_table *tp;

	if (!fc || fc->kind != SG_KIND_INDEX)
		return false;
	tp = to_table(df, (const struct sg_table *)fc->parent);
	tc = tp ? child(df->to, tp, fc->kind, fc->name) : NULL;
	return !tc || !sg_streq(definition(fc), definition(tc));
}

/*
 * The index of a partition's own key, adopted by an index of the parent:
 * neither can be dropped while the other holds it (PostgreSQL refuses
 * both).  A migration of their own must detach the partition first.
 */
static void cannot_drop_adopter(struct differ *df, const struct sg_table *ft,
				const struct sg_object *fo)
{
	const struct sg_object *pi = counterpart(df->from, ft, fo);
	struct sbuf a = SBUF_INIT, b = SBUF_INIT;
	struct sg_diag *dg;

	sg_object_describe(&a, pi);
	sg_object_describe(&b, fo);
	dg = sg_diag_error(df->d, fo->loc, "cannot replace %s: the index of %s "
			   "is attached to it", a.buf, b.buf);
	sg_diag_hint(dg, df->d, "detach partition %s from its parent in a "
		     "migration of its own first",
		     sg_qq(df->a, ft->obj.schema, ft->obj.name));
	sbuf_release(&a);
	sbuf_release(&b);
	df->errors++;
}

void diff_inherited_children(struct differ *df, const struct sg_table *ft,
			     const struct sg_table *tt, size_t first)
{
	struct links l = table_links(df, ft, tt, false);
	size_t n = df->out->n;
	bool *dead;

	if (!tt->partition_of && !tt->ninherits && !ft->partition_of &&
	    !ft->ninherits)
		return;
	dead = sg_alloc_array(df->a, n - first + 1, sizeof(*dead));
	for (size_t i = first; i < n; i++) {
		struct sg_change *c = df->out->v[i];
		const struct sg_object *o = c->to ? c->to : c->from;

		if (dead[i - first] || !o->parent || c->kind == SG_KIND_TABLE)
			continue;
		switch (c->op) {
		case SG_OP_CREATE:
			if (!inherited(c->to))
				break;
			/* a table being attached must have its columns and
			 * checks first */
			if (l.attaching && !attached_to(c->to))
				break;
			/* a clone renamed while its parent object stays */
			if (attached_to(c->to) && !l.attaching && !l.detaching) {
				for (size_t k = first; k < n; k++) {
					struct sg_change *d = df->out->v[k];

					if (dead[k - first] || d->op != SG_OP_DROP ||
					    d->kind != c->kind || !inherited(d->from) ||
					    !sg_streq(attached_to(d->from), attached_to(c->to)) ||
					    !counterpart_kept(df, ft, d->from, tt, c->to))
						continue;
					dead[k - first] = true;
					c->op = SG_OP_RENAME;
					c->from = d->from;
					break;
				}
				if (c->op == SG_OP_RENAME)
					break;
			}
			c->what |= SG_CHG_IMPLIED;
			break;
		case SG_OP_DROP:
			if (!inherited(c->from) || l.detaching || local_attached(c->from))
				break;
			c->what |= SG_CHG_IMPLIED;
			break;
		case SG_OP_ALTER:
			if (c->kind == SG_KIND_COLUMN && !l.attaching && !l.detaching) {
				sg_chg rest = column_residue(
					ft, tt, df, (const struct sg_column *)c->from,
					(const struct sg_column *)c->to, c->what);

				/* kept when all of it follows the parent: it
				 * is a step of the parent's column then */
				c->what = rest ? rest : c->what | SG_CHG_IMPLIED;
			}
			break;
		case SG_OP_RENAME:
			break;
		}
	}
	compact(df, first, dead);
	validate_checks(df, tt, first);

	/*
	 * Unchanged pairs whose origin changes: a clone whose parent object
	 * goes goes with it, and is made again (by the parent's new object,
	 * or by the models as a local object); a local index to be attached
	 * to an index of the parent that stays is attached (ALTER INDEX ...
	 * ATTACH PARTITION).
	 */
	if (!l.attaching && !l.detaching) {
		bool readopt = false;

		for (size_t i = 0; i < ft->nconstraints + ft->nindexes; i++) {
			const struct sg_object *fo = i < ft->nconstraints
				? &ft->constraints[i]->obj
				: &ft->indexes[i - ft->nconstraints]->obj;
			const struct sg_object *to = child(df->to, tt, fo->kind, fo->name);

			if (!to || has_change(df, first, fo, to))
				continue;
			if (local_attached(fo) && !counterpart_kept(df, ft, fo, tt, to) &&
			    counterpart(df->from, ft, fo) &&
			    counterpart(df->from, ft, fo)->kind == SG_KIND_INDEX) {
				if (ft->partition_of && tt->partition_of &&
				    parent_index_goes(df, ft, fo)) {
					if (readopt)
						continue;
					/* detached around the parent index's drop,
					 * then attached again: its key stays its own */
					diff_add(df, SG_OP_ALTER, &ft->obj, &tt->obj,
						 SG_CHG_PARTITION | SG_CHG_DETACH);
					diff_add(df, SG_OP_ALTER, &ft->obj, &tt->obj,
						 SG_CHG_PARTITION);
					readopt = true;
				} else {
					cannot_drop_adopter(df, ft, fo);
				}
			} else if (inherited(fo) && !counterpart_kept(df, ft, fo, tt, to)) {
				diff_add(df, SG_OP_DROP, fo, NULL,
					 local_attached(fo) ? 0 : SG_CHG_IMPLIED);
				diff_add(df, SG_OP_CREATE, NULL, to,
					 inherited(to) ? SG_CHG_IMPLIED : 0);
			} else if (!inherited(fo) && inherited(to) &&
				   fo->kind == SG_KIND_INDEX &&
				   counterpart_kept(df, ft, to, tt, to)) {
				diff_add(df, SG_OP_ALTER, fo, to, SG_CHG_PARTITION);
			}
		}
	}
	move_aside_equal_locals(df, ft, tt, first);
}

/*
 * A created table: what comes from its parents comes with it (CREATE TABLE
 * ... PARTITION OF / INHERITS).  A dropped one: its clones go with it.
 */
void diff_mark_created(struct differ *df, const struct sg_table *tt, size_t first)
{
	for (size_t i = first; i < df->out->n; i++) {
		struct sg_change *c = df->out->v[i];

		if (c->op == SG_OP_CREATE && c->to->parent == &tt->obj &&
		    inherited(c->to))
			c->what |= SG_CHG_IMPLIED;
	}
	validate_checks(df, tt, first);
	if (tt->replica_identity && tt->replica_identity != 'd')
		diff_add(df, SG_OP_ALTER, NULL, &tt->obj, SG_CHG_REPLICA);
}

/* Does a foreign key reference t or a table t is a partition of? */
static bool referenced(const struct sg_catalog *cat, const struct sg_table *t)
{
	for (int depth = 0; t && depth < 32; depth++, t = t->partition_parent) {
		for (size_t i = 0; i < cat->nbykind[SG_KIND_CONSTRAINT]; i++) {
			const struct sg_constraint *k = (const struct sg_constraint *)
				cat->bykind[SG_KIND_CONSTRAINT][i];

			if (k->type == 'f' && sg_streq(k->ref_schema, t->obj.schema) &&
			    sg_streq(k->ref_table, t->obj.name))
				return true;
		}
	}
	return false;
}

void diff_mark_dropped(struct differ *df, const struct sg_table *ft, size_t first)
{
	/*
	 * A partition of a table that foreign keys reference cannot be dropped
	 * while attached (the keys' hidden clones on it): it is detached
	 * first (SG_CHG_DETACH on its DROP).
	 */
	if (ft->partition_parent && referenced(df->from, ft->partition_parent))
		df->out->v[first]->what |= SG_CHG_DETACH;
	for (size_t i = first; i < df->out->n; i++) {
		struct sg_change *c = df->out->v[i];

		if (c->op == SG_OP_DROP && c->from->parent == &ft->obj &&
		    inherited(c->from))
			c->what |= SG_CHG_IMPLIED;
	}
}

/*
 * A column an INHERITS parent drops while its children keep it as their
 * own: PostgreSQL's DROP COLUMN would drop the children's inherited copies
 * too; ALTER TABLE ONLY leaves them, local, with their data.  Only when
 * every child that has the column keeps it (a child dropping it too would
 * need a drop of its own, after the parent's).  Partitioned tables have no
 * ONLY for this (their partitions' columns are always inherited).
 */
void diff_columns_kept_by_children(struct differ *df)
{
	for (size_t i = 0; i < df->out->n; i++) {
		struct sg_change *c = df->out->v[i];
		const struct sg_table *ft;
		int kept = 0, lost = 0;

		if (c->op != SG_OP_DROP || c->kind != SG_KIND_COLUMN ||
		    (c->what & SG_CHG_IMPLIED) || !c->from->parent)
			continue;
		ft = (const struct sg_table *)c->from->parent;
		if (relkind(ft) != 'r')
			continue;
		for (size_t k = 0; k < df->from->nbykind[SG_KIND_TABLE]; k++) {
			const struct sg_table *ch = (const struct sg_table *)
				df->from->bykind[SG_KIND_TABLE][k];
			const struct sg_table *tch;
			const struct sg_object *fc, *tc;
			bool is_child = false;

			for (size_t p = 0; p < ch->ninherits && ch->inherits_tables; p++)
				is_child |= ch->inherits_tables[p] == ft;
			if (!is_child)
				continue;
			fc = child(df->from, ch, SG_KIND_COLUMN, c->from->name);
			if (!fc)
				continue;
			tch = to_table(df, ch);
			tc = tch ? child(df->to, tch, SG_KIND_COLUMN, c->from->name) : NULL;
			if (tc && !((const struct sg_column *)tc)->inherited)
				kept++;
			else
				lost++;
		}
		if (kept && !lost)
			c->what |= SG_CHG_ONLY;
	}
}

/* ---- index storage parameters ---- */

/* " WITH (name=value, ...)" as pg_get_indexdef() prints reloptions. */
static const char *with_clause(struct sg_arena *a, const struct sg_index *ix)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	sbuf_adds(&sb, " WITH (");
	for (size_t i = 0; i < ix->nreloptions; i++) {
		const char *opt = ix->reloptions[i], *eq = strchr(opt, '=');
		char *name = sg_strndup(a, opt, eq ? (size_t)(eq - opt) : strlen(opt));
		const char *value = eq ? eq + 1 : "";

		if (i)
			sbuf_adds(&sb, ", ");
		sg_quote_ident(&sb, name);
		sbuf_addch(&sb, '=');
		if (sg_ident_is_bare(value)) {
			sbuf_adds(&sb, value);
		} else {
			sbuf_addch(&sb, '\'');
			for (const char *p = value; *p; p++) {
				if (*p == '\'')
					sbuf_addch(&sb, '\'');
				sbuf_addch(&sb, *p);
			}
			sbuf_addch(&sb, '\'');
		}
	}
	sbuf_addch(&sb, ')');
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

/* The definition without its WITH (...) clause. */
static const char *bare_definition(struct sg_arena *a, const struct sg_index *ix)
{
	const char *w, *hit;

	if (!ix->definition || !ix->nreloptions)
		return ix->definition;
	w = with_clause(a, ix);
	hit = strstr(ix->definition, w);
	if (!hit)
		return ix->definition;
	return sg_printf(a, "%.*s%s", (int)(hit - ix->definition), ix->definition,
			 hit + strlen(w));
}

bool diff_index_options_only(struct differ *df, const struct sg_index *f,
			     const struct sg_index *t)
{
	const struct sg_table *ft = (const struct sg_table *)f->obj.parent;

	/* ALTER INDEX ... SET is refused for partitioned indexes */
	if (relkind(ft) == 'p' || f->attached_to || t->attached_to)
		return false;
	if (sg_strings_equal(f->reloptions, f->nreloptions, t->reloptions,
			  t->nreloptions))
		return false;
	return sg_streq(bare_definition(df->a, f), bare_definition(df->a, t));
}
