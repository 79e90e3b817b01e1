// SPDX-License-Identifier: MIT
/*
 * partition.c - SQL for partitioned tables, partitions, table inheritance
 * and table settings: the parts of CREATE TABLE that say PARTITION OF, FOR
 * VALUES, PARTITION BY, INHERITS, UNLOGGED and WITH (...); ATTACH and
 * DETACH PARTITION, INHERIT and NO INHERIT; SET LOGGED / UNLOGGED; storage
 * parameters (SET / RESET, for tables and indexes); REPLICA IDENTITY;
 * ALTER INDEX ... ATTACH PARTITION; clones under names of their own.
 *
 * What PostgreSQL clones by itself onto a partition (an index or constraint
 * of the parent) arrives here as changes marked SG_CHG_IMPLIED, folded by
 * the orderer into the step that makes PostgreSQL create them.  Nothing is
 * written for them when their name is the one PostgreSQL chooses (the
 * usual case, and the one `dump` leaves out of the models).  When it is
 * not, the clone is made to have it: created on the partition beforehand
 * with its name, which PostgreSQL then adopts (the parent's CREATE INDEX,
 * ADD CONSTRAINT or ATTACH PARTITION attaches an equal index that the
 * partition already has), or, when the step is the partition's own CREATE
 * TABLE ... PARTITION OF (which clones every index of the parent at once),
 * renamed from the default name afterwards.
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/quote.h"
#include "schemagen/util.h"

#include "emit-priv.h"

static bool implied_create(const struct sg_change *c)
{
	return c->op == SG_OP_CREATE && (c->what & SG_CHG_IMPLIED);
}

static const char *attached_to(const struct sg_object *o)
{
	if (o->kind == SG_KIND_INDEX)
		return ((const struct sg_index *)o)->attached_to;
	if (o->kind == SG_KIND_CONSTRAINT)
		return ((const struct sg_constraint *)o)->attached_to;
	return NULL;
}

static const char *default_name(const struct sg_object *o)
{
	if (o->kind == SG_KIND_INDEX)
		return ((const struct sg_index *)o)->default_name;
	if (o->kind == SG_KIND_CONSTRAINT)
		return ((const struct sg_constraint *)o)->default_name;
	return NULL;
}

/*
 * An attached index or constraint PostgreSQL would not make by itself as
 * it is: a clone whose name is not the default, or a local key whose
 * index the parent adopted.
 */
static bool custom_clone(const struct sg_object *o)
{
	if (!attached_to(o))
		return false;
	if (o->kind == SG_KIND_CONSTRAINT &&
	    !((const struct sg_constraint *)o)->inherited)
		return true;
	return !sg_streq(o->name, default_name(o));
}

static const char *parent_schema(const struct sg_object *o)
{
	const struct sg_table *t = (const struct sg_table *)o->parent;

	return t->partition_parent ? t->partition_parent->obj.schema : o->schema;
}

/* Is this step the CREATE TABLE of the object's own table? */
static bool created_with_table(const struct sg_step *s, const struct sg_object *o)
{
	return s->change->kind == SG_KIND_TABLE && s->change->op == SG_OP_CREATE &&
	       s->change->to == o->parent;
}

/* CREATE INDEX / ADD CONSTRAINT of a clone on its partition, by name. */
static void precreate(struct emitter *e, const struct sg_object *o)
{
	if (o->kind == SG_KIND_INDEX) {
		emit_index_definition(e, (const struct sg_index *)o);
	} else {
		emit_alter_table(e, o);
		sbuf_adds(&e->sql, "ADD CONSTRAINT ");
		emit_frag_ident(e, o->name, o->loc);
		sbuf_addch(&e->sql, ' ');
		emit_constraint_definition(e, (const struct sg_constraint *)o);
	}
	emit_finish(e, o, NULL);
	emit_comment_after_create(e, o);
}

/* Is the step the creation of an index or key made for its table only? */
static bool creates_only(const struct sg_step *s)
{
	const struct sg_change *c = s->change;

	if (c->op != SG_OP_CREATE)
		return false;
	if (c->kind == SG_KIND_INDEX)
		return ((const struct sg_index *)c->to)->only;
	if (c->kind == SG_KIND_CONSTRAINT)
		return ((const struct sg_constraint *)c->to)->only;
	return false;
}

static void attach_index(struct emitter *e, const struct sg_object *o)
{
	sbuf_adds(&e->sql, "ALTER INDEX ");
	sg_quote_qualified(&e->sql, parent_schema(o), attached_to(o));
	sbuf_adds(&e->sql, " ATTACH PARTITION ");
	sg_quote_qualified(&e->sql, o->schema, o->name);
	emit_finish(e, o, NULL);
}

void emit_implied_before(struct emitter *e, const struct sg_step *s)
{
	bool only = creates_only(s);

	for (size_t i = 0; i < s->nabsorbed; i++) {
		const struct sg_change *c = s->absorbed[i];

		/* an index made ON ONLY its table makes no copies: each is
		 * made, and attached after it */
		if (implied_create(c) && (custom_clone(c->to) || only) &&
		    !created_with_table(s, c->to))
			precreate(e, c->to);
	}
}

/*
 * An attached index or constraint that nothing else makes (its table and
 * its parent's index were there before): made, then attached.
 */
void emit_implied_alone(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;
	const struct sg_object *o = c->to;

	if (c->op != SG_OP_CREATE || !attached_to(o) ||
	    (o->kind == SG_KIND_CONSTRAINT &&
	     ((const struct sg_constraint *)o)->type == 'f'))
		return;
	precreate(e, o);
	attach_index(e, o);
}

void emit_implied_after(struct emitter *e, const struct sg_step *s)
{
	bool only = creates_only(s);

	for (size_t i = 0; i < s->nabsorbed; i++) {
		const struct sg_change *c = s->absorbed[i];

		if (!implied_create(c) || created_with_table(s, c->to))
			continue;
		if (only && attached_to(c->to))
			attach_index(e, c->to);
		else if (!custom_clone(c->to))
			emit_comment_after_create(e, c->to);
	}
}

/* ---- CREATE TABLE ---- */

static const struct sg_table *first_parent(const struct sg_table *t)
{
	if (t->partition_parent)
		return t->partition_parent;
	for (size_t i = 0; i < t->ninherits; i++)
		if (t->inherits_tables && t->inherits_tables[i])
			return t->inherits_tables[i];
	return NULL;
}

/* What an inherited column sets on its own: NOT NULL, a default. */
static void column_overrides(const struct sg_table *t, const struct sg_column *c,
			     bool *not_null, const char **def)
{
	const struct sg_table *p = first_parent(t);
	const struct sg_column *pc = p ? sg_table_column(p, c->obj.name) : NULL;

	*not_null = c->not_null && !(pc && pc->not_null && c->type);
	*def = c->default_expr && !(pc && c->type &&
				    sg_streq(pc->default_expr, c->default_expr))
		? c->default_expr : NULL;
}

bool emit_standalone_partition(const struct sg_step *s)
{
	const struct sg_table *t = (const struct sg_table *)s->change->to;
	bool custom = false;

	if (!t->partition_of)
		return false;
	for (size_t i = 0; i < s->nabsorbed; i++) {
		const struct sg_change *c = s->absorbed[i];

		if (implied_create(c) && c->to->parent == &t->obj &&
		    custom_clone(c->to))
			custom = true;
	}
	/* its columns must be known in full (not so in the models) */
	if (!t->partition_parent || t->ncolumns != t->partition_parent->ncolumns)
		return false;
	for (size_t i = 0; custom && i < t->ncolumns; i++)
		if (!t->columns[i]->type)
			return false;
	return custom;
}

bool emit_table_constraint(const struct sg_table *t, const struct sg_constraint *k,
			   bool standalone)
{
	(void)t;
	if (!k->inherited && !k->attached_to)
		return true;
	/* a table attached afterwards has its parent's checks and the keys
	 * whose index the parent adopts; the rest comes with the attachment */
	return standalone && (k->type == 'c' || custom_clone(&k->obj));
}

void emit_table_head(struct emitter *e, const struct sg_table *t, bool standalone)
{
	sbuf_adds(&e->sql, t->unlogged ? "CREATE UNLOGGED TABLE " : "CREATE TABLE ");
	sg_quote_qualified(&e->sql, t->obj.schema, t->obj.name);
	if (t->partition_of && !standalone) {
		sbuf_adds(&e->sql, " PARTITION OF ");
		sbuf_adds(&e->sql, t->partition_of);
	}
}

bool emit_table_column(struct emitter *e, const struct sg_table *t,
		       const struct sg_column *c, int *n, bool standalone)
{
	bool not_null;
	const char *def;

	if (!c->inherited || standalone)
		return false;
	/* an INHERITS child sets its own after CREATE TABLE */
	if (!t->partition_of)
		return true;
	column_overrides(t, c, &not_null, &def);
	if (!not_null && !def)
		return true;
	sbuf_adds(&e->sql, (*n)++ ? ",\n    " : "\n    ");
	emit_frag_ident(e, c->obj.name, c->obj.loc);
	sbuf_adds(&e->sql, " WITH OPTIONS");
	if (def) {
		sbuf_adds(&e->sql, " DEFAULT ");
		emit_frag_text(e, def, c->default_loc);
	}
	if (not_null)
		sbuf_adds(&e->sql, " NOT NULL");
	return true;
}

/* (name = 'value', ...) of "name=value" storage parameters. */
static void option_list(struct emitter *e, const char *const *opts, size_t n,
			bool values)
{
	sbuf_addch(&e->sql, '(');
	for (size_t i = 0; i < n; i++) {
		const char *eq = strchr(opts[i], '=');
		const char *name = eq ? sg_strndup(e->a, opts[i], (size_t)(eq - opts[i]))
				      : opts[i];
		const char *dot = strchr(name, '.');

		if (i)
			sbuf_adds(&e->sql, ", ");
		/* toast.name is a qualified option name, not one identifier */
		if (dot) {
			sg_quote_ident(&e->sql, sg_strndup(e->a, name, (size_t)(dot - name)));
			sbuf_addch(&e->sql, '.');
			sg_quote_ident(&e->sql, dot + 1);
		} else {
			sg_quote_ident(&e->sql, name);
		}
		if (values) {
			sbuf_adds(&e->sql, " = ");
			sg_quote_literal(&e->sql, eq ? eq + 1 : "");
		}
	}
	sbuf_addch(&e->sql, ')');
}

void emit_table_tail(struct emitter *e, const struct sg_table *t, bool standalone)
{
	if (t->ninherits) {
		sbuf_adds(&e->sql, " INHERITS (");
		for (size_t i = 0; i < t->ninherits; i++) {
			if (i)
				sbuf_adds(&e->sql, ", ");
			sbuf_adds(&e->sql, t->inherits[i]);
		}
		sbuf_addch(&e->sql, ')');
	}
	if (t->partition_of && !standalone) {
		sbuf_addch(&e->sql, ' ');
		emit_frag_text(e, t->partition_bound ? t->partition_bound : "DEFAULT",
			       t->partition_bound_loc);
	}
	if (t->partition_key) {
		sbuf_adds(&e->sql, " PARTITION BY ");
		emit_frag_text(e, t->partition_key, t->partition_key_loc);
	}
	if (t->nreloptions) {
		sbuf_adds(&e->sql, " WITH ");
		option_list(e, t->reloptions, t->nreloptions, true);
	}
}

static void attach_partition(struct emitter *e, const struct sg_table *t)
{
	struct sg_stmt *st;

	sbuf_adds(&e->sql, "ALTER TABLE ");
	sbuf_adds(&e->sql, t->partition_of);
	sbuf_adds(&e->sql, " ATTACH PARTITION ");
	sg_quote_qualified(&e->sql, t->obj.schema, t->obj.name);
	sbuf_addch(&e->sql, ' ');
	emit_frag_text(e, t->partition_bound ? t->partition_bound : "DEFAULT",
		       t->partition_bound_loc);
	st = emit_finish(e, &t->obj, NULL);
	/* PostgreSQL does not scan a foreign table for the bound */
	if (st && t->obj.kind == SG_KIND_FOREIGN_TABLE)
		st->hz_drop |= 1u << SG_HZ_TABLE_SCAN | 1u << SG_HZ_MAY_FAIL;
}

void emit_table_created(struct emitter *e, const struct sg_step *s,
			bool standalone)
{
	const struct sg_table *t = (const struct sg_table *)s->change->to;

	/* a partition created on its own: its own indexes for the parent's,
	 * then attached, which adopts them */
	if (standalone) {
		for (size_t i = 0; i < s->nabsorbed; i++) {
			const struct sg_change *c = s->absorbed[i];

			if (implied_create(c) && c->to->parent == &t->obj &&
			    c->kind == SG_KIND_INDEX && custom_clone(c->to))
				precreate(e, c->to);
		}
		attach_partition(e, t);
	}
	for (size_t i = 0; i < s->nabsorbed; i++) {
		const struct sg_change *c = s->absorbed[i];
		const struct sg_object *o = c->to;

		if (!implied_create(c) || o->parent != &t->obj)
			continue;
		/* a clone made by PARTITION OF under its default name */
		if (!standalone && custom_clone(o) && default_name(o)) {
			if (o->kind == SG_KIND_INDEX) {
				sbuf_adds(&e->sql, "ALTER INDEX ");
				sg_quote_qualified(&e->sql, o->schema, default_name(o));
			} else {
				emit_alter_table(e, o);
				sbuf_adds(&e->sql, "RENAME CONSTRAINT ");
				sg_quote_ident(&e->sql, default_name(o));
			}
			sbuf_adds(&e->sql, o->kind == SG_KIND_INDEX ? " RENAME TO " : " TO ");
			emit_frag_ident(e, o->name, o->loc);
			emit_finish(e, o, NULL);
		}
		if (o->kind == SG_KIND_INDEX && !(standalone && custom_clone(o)))
			emit_comment_after_create(e, o);
		/* what an INHERITS child's inherited column sets itself */
		if (o->kind == SG_KIND_COLUMN && !t->partition_of) {
			const struct sg_column *col = (const struct sg_column *)o;
			bool not_null;
			const char *def;

			column_overrides(t, col, &not_null, &def);
			if (def) {
				emit_alter_table(e, o);
				sbuf_addf(&e->sql, "ALTER COLUMN %s SET DEFAULT ",
					  sg_qi(e->a, o->name));
				emit_frag_text(e, def, col->default_loc);
				emit_finish(e, o, NULL);
			}
			if (not_null) {
				emit_alter_table(e, o);
				sbuf_addf(&e->sql, "ALTER COLUMN %s SET NOT NULL",
					  sg_qi(e->a, o->name));
				emit_finish(e, o, NULL);
			}
		}
	}
}

/* ---- ALTER TABLE ---- */

static bool has_option(const char *const *opts, size_t n, const char *opt,
		       bool with_value)
{
	size_t len = strcspn(opt, "=");

	for (size_t i = 0; i < n; i++) {
		if (with_value ? strcmp(opts[i], opt) == 0
			       : strncmp(opts[i], opt, len) == 0 &&
				 (opts[i][len] == '=' || opts[i][len] == '\0'))
			return true;
	}
	return false;
}

/* "SET (...), RESET (...)" turning options f into t; false when equal. */
static bool option_changes(struct emitter *e, const char *const *f, size_t nf,
			   const char *const *t, size_t nt)
{
	SG_VEC(const char *) set = { 0 };
	SG_VEC(const char *) reset = { 0 };

	for (size_t i = 0; i < nt; i++)
		if (!has_option(f, nf, t[i], true))
			SG_VEC_PUSH(e->a, &set, t[i]);
	for (size_t i = 0; i < nf; i++)
		if (!has_option(t, nt, f[i], false))
			SG_VEC_PUSH(e->a, &reset, f[i]);
	if (set.n) {
		sbuf_adds(&e->sql, "SET ");
		option_list(e, set.v, set.n, true);
	}
	if (reset.n) {
		sbuf_adds(&e->sql, set.n ? ", RESET " : "RESET ");
		option_list(e, reset.v, reset.n, false);
	}
	return set.n || reset.n;
}

static void alter_table_name(struct emitter *e, const struct sg_table *t)
{
	sbuf_adds(&e->sql, "ALTER TABLE ");
	sg_quote_qualified(&e->sql, t->obj.schema, t->obj.name);
	sbuf_addch(&e->sql, ' ');
}

static char relkind(const struct sg_table *t)
{
	return t->relkind ? t->relkind : 'r';
}

/* The same parent on both sides, not rebuilt (as the differ decides). */
static bool same_parent(const struct sg_table *fp, const char *fname,
			const struct sg_table *tp, const char *tname)
{
	if (!sg_streq(fname, tname))
		return false;
	if (!fp || !tp)
		return true;
	return relkind(fp) == relkind(tp) &&
	       (relkind(fp) != 'p' || (sg_streq(fp->partition_key, tp->partition_key) &&
				       fp->unlogged == tp->unlogged));
}

static bool has_parent(const struct sg_table *t, const struct sg_table *p,
		       const char *name, bool p_from)
{
	for (size_t i = 0; i < t->ninherits; i++) {
		const struct sg_table *q = t->inherits_tables ? t->inherits_tables[i] : NULL;

		if (p_from ? same_parent(p, name, q, t->inherits[i])
			   : same_parent(q, t->inherits[i], p, name))
			return true;
	}
	return false;
}

static void replica_identity(struct emitter *e, const struct sg_table *t)
{
	alter_table_name(e, t);
	sbuf_adds(&e->sql, "REPLICA IDENTITY ");
	switch (t->replica_identity) {
	case 'n':
		sbuf_adds(&e->sql, "NOTHING");
		break;
	case 'f':
		sbuf_adds(&e->sql, "FULL");
		break;
	case 'i':
		sbuf_adds(&e->sql, "USING INDEX ");
		sg_quote_ident(&e->sql, t->replica_index ? t->replica_index : "");
		break;
	default:
		sbuf_adds(&e->sql, "DEFAULT");
	}
	emit_finish(e, &t->obj, NULL);
}

void emit_table_drop_detach(struct emitter *e, const struct sg_change *c)
{
	const struct sg_table *f = (const struct sg_table *)c->from;

	if (!(c->what & SG_CHG_DETACH) || !f->partition_of)
		return;
	sbuf_adds(&e->sql, "ALTER TABLE ");
	sbuf_adds(&e->sql, f->partition_of);
	sbuf_adds(&e->sql, " DETACH PARTITION ");
	sg_quote_qualified(&e->sql, f->obj.schema, f->obj.name);
	emit_finish(e, &f->obj, NULL);
}

void emit_table_alter(struct emitter *e, const struct sg_change *c)
{
	const struct sg_table *f = (const struct sg_table *)c->from;
	const struct sg_table *t = (const struct sg_table *)c->to;
	sg_chg w = c->what;

	if ((w & SG_CHG_PARTITION) && (w & SG_CHG_DETACH)) {
		sbuf_adds(&e->sql, "ALTER TABLE ");
		sbuf_adds(&e->sql, f->partition_of);
		sbuf_adds(&e->sql, " DETACH PARTITION ");
		sg_quote_qualified(&e->sql, t->obj.schema, t->obj.name);
		emit_finish(e, &t->obj, NULL);
	} else if (w & SG_CHG_PARTITION) {
		attach_partition(e, t);
	}
	if ((w & SG_CHG_INHERIT) && (w & SG_CHG_DETACH)) {
		for (size_t i = 0; i < f->ninherits; i++) {
			if (has_parent(t, f->inherits_tables ? f->inherits_tables[i] : NULL,
				       f->inherits[i], true))
				continue;
			alter_table_name(e, t);
			sbuf_adds(&e->sql, "NO INHERIT ");
			sbuf_adds(&e->sql, f->inherits[i]);
			emit_finish(e, &t->obj, NULL);
		}
	} else if (w & SG_CHG_INHERIT) {
		for (size_t i = 0; i < t->ninherits; i++) {
			if (has_parent(f, t->inherits_tables ? t->inherits_tables[i] : NULL,
				       t->inherits[i], false))
				continue;
			alter_table_name(e, t);
			sbuf_adds(&e->sql, "INHERIT ");
			sbuf_adds(&e->sql, t->inherits[i]);
			emit_finish(e, &t->obj, NULL);
		}
	}
	if (w & SG_CHG_PERSISTENCE) {
		alter_table_name(e, t);
		sbuf_adds(&e->sql, t->unlogged ? "SET UNLOGGED" : "SET LOGGED");
		emit_finish(e, &t->obj, NULL);
	}
	if (w & SG_CHG_OPTIONS) {
		alter_table_name(e, t);
		if (option_changes(e, f ? f->reloptions : NULL, f ? f->nreloptions : 0,
				   t->reloptions, t->nreloptions))
			emit_finish(e, &t->obj, NULL);
		else
			sbuf_reset(&e->sql);
	}
	if (w & SG_CHG_REPLICA)
		replica_identity(e, t);
}

/* ---- indexes and constraints ---- */

void emit_index_alter(struct emitter *e, const struct sg_change *c)
{
	const struct sg_index *f = (const struct sg_index *)c->from;
	const struct sg_index *t = (const struct sg_index *)c->to;

	if (c->what & SG_CHG_OPTIONS) {
		sbuf_adds(&e->sql, "ALTER INDEX ");
		sg_quote_qualified(&e->sql, t->obj.schema, t->obj.name);
		sbuf_addch(&e->sql, ' ');
		if (option_changes(e, f->reloptions, f->nreloptions, t->reloptions,
				   t->nreloptions))
			emit_finish(e, &t->obj, NULL);
		else
			sbuf_reset(&e->sql);
	}
	if ((c->what & SG_CHG_PARTITION) && t->attached_to) {
		const struct sg_table *p = (const struct sg_table *)t->obj.parent;

		sbuf_adds(&e->sql, "ALTER INDEX ");
		sg_quote_qualified(&e->sql, p->partition_parent
				   ? p->partition_parent->obj.schema : t->obj.schema,
				   t->attached_to);
		sbuf_adds(&e->sql, " ATTACH PARTITION ");
		sg_quote_qualified(&e->sql, t->obj.schema, t->obj.name);
		emit_finish(e, &t->obj, NULL);
	}
}

/* The definition of an index of a partitioned table reaches the partitions. */
const char *emit_recursive_indexdef(struct emitter *e, const char *def)
{
	const char *only = strstr(def, " ON ONLY ");

	if (!only)
		return def;
	return sg_printf(e->a, "%.*s ON %s", (int)(only - def), def, only + 9);
}

/* ---- descriptions ---- */

static const char *replica_word(const struct sg_table *t)
{
	switch (t->replica_identity) {
	case 'n': return "nothing";
	case 'f': return "full";
	case 'i': return "using index";
	default: return "default";
	}
}

void emit_describe_partition(struct sbuf *out, const struct sg_change *c, int *n)
{
	const struct sg_table *f = (const struct sg_table *)c->from;
	const struct sg_table *t = (const struct sg_table *)c->to;
	sg_chg w = c->what;

	if (c->kind == SG_KIND_INDEX) {
		if (w & SG_CHG_PARTITION)
			emit_said(out, n, "attached to index %s",
			     ((const struct sg_index *)c->to)->attached_to);
		return;
	}
	if (c->kind != SG_KIND_TABLE && c->kind != SG_KIND_FOREIGN_TABLE)
		return;
	if ((w & SG_CHG_PARTITION) && (w & SG_CHG_DETACH))
		emit_said(out, n, "detached from %s", f->partition_of);
	else if (w & SG_CHG_PARTITION)
		emit_said(out, n, "attached to %s %s", t->partition_of,
		     t->partition_bound ? t->partition_bound : "DEFAULT");
	if ((w & SG_CHG_INHERIT) && (w & SG_CHG_DETACH))
		emit_said(out, n, "parents removed");
	else if (w & SG_CHG_INHERIT)
		emit_said(out, n, "parents added");
	if (w & SG_CHG_PERSISTENCE)
		emit_said(out, n, "%s", t->unlogged ? "unlogged" : "logged");
	if (w & SG_CHG_REPLICA)
		emit_said(out, n, "replica identity %s", replica_word(t));
}
