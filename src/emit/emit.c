// SPDX-License-Identifier: MIT
/*
 * emit.c - SQL for an ordered plan.
 *
 * One function per kind and operation (pgquarrel's dumpCreate/dumpDrop/
 * dumpAlter).  Objects read from a database carry the server's own text
 * (pg_get_constraintdef, pg_get_indexdef, format_type, pg_get_expr), which
 * is used as it is; objects loaded from YAML (materialising the models in a
 * scratch database) are spelled out from their fields, and every piece of
 * user-written SQL is recorded as a fragment with its model location, so an
 * error PostgreSQL reports inside it points back into the YAML file.
 *
 * Statements that destroy data carry a warning naming what is lost.
 * Output is deterministic: the same plan always gives the same text.
 *
 * Supported statements: CREATE/DROP SCHEMA; CREATE/DROP TYPE ... AS ENUM,
 * ALTER TYPE ... ADD VALUE; CREATE/ALTER/DROP SEQUENCE, OWNED BY;
 * CREATE/DROP TABLE, RENAME; ADD/DROP/RENAME/ALTER COLUMN (type, collation,
 * default, NOT NULL, identity and its options); ADD/DROP/VALIDATE
 * CONSTRAINT; CREATE/DROP INDEX; COMMENT ON each of them.  Functions,
 * procedures and triggers: function.c; views and materialized views:
 * view.c; GRANT/REVOKE, ROW LEVEL SECURITY and policies: security.c.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diff.h"
#include "schemagen/emit.h"
#include "schemagen/order.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "schemagen/script.h"
#include "schemagen/sql.h"

#include "emit-priv.h"


/* ---- statement building ---- */

void emit_frag_text(struct emitter *e, const char *text, struct sg_loc loc)
{
	struct sg_srcfrag f = { .offset = e->sql.len, .loc = loc };

	sbuf_adds(&e->sql, text);
	f.len = e->sql.len - f.offset;
	if (loc.line)
		SG_VEC_PUSH(e->a, &e->frags, f);
}

/* An identifier that came from a model: inexact location (quoting). */
void emit_frag_ident(struct emitter *e, const char *ident, struct sg_loc loc)
{
	struct sg_srcfrag f = { .offset = e->sql.len, .loc = loc };

	sg_quote_ident(&e->sql, ident);
	f.len = e->sql.len - f.offset;
	f.loc.style = 'x';
	if (loc.line)
		SG_VEC_PUSH(e->a, &e->frags, f);
}

struct sg_stmt *emit_finish(struct emitter *e, const struct sg_object *origin,
			      const char *warning)
{
	struct sg_stmt *st;
	struct sg_sql_edits edits = { 0 };

	sbuf_adds(&e->sql, ";\n");
	st = sg_script_add(e->a, e->script,
			   sg_sql_escape_controls(e->a, e->sql.buf, &edits));
	/* the model fragments in it moved with the respelt names before them */
	for (size_t i = 0; i < e->frags.n; i++) {
		struct sg_srcfrag *f = &e->frags.v[i];
		size_t end = f->offset + f->len;
		long d = 0, de = 0;

		for (size_t k = 0; k < edits.n && edits.v[k].end <= end; k++) {
			if (edits.v[k].end <= f->offset)
				d = edits.v[k].delta;
			de = edits.v[k].delta;
		}
		f->offset = (size_t)((long)f->offset + d);
		f->len = (size_t)((long)end + de) - f->offset;
	}
	st->origin = origin;
	st->warning = warning;
	if (e->frags.n) {
		st->frags = sg_memdup(e->a, e->frags.v, e->frags.n * sizeof(*e->frags.v));
		st->nfrags = st->fragcap = e->frags.n;
	}
	sbuf_reset(&e->sql);
	e->frags.n = 0;
	return st;
}

const char *emit_object_text(struct emitter *e, const struct sg_object *obj)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	sg_object_describe(&sb, obj);
	r = sbuf_to_arena(&sb, e->a);
	sbuf_release(&sb);
	return r;
}

/* schema.table of a child's table, or of the object itself */
void emit_table_name(struct emitter *e, const struct sg_object *obj)
{
	const struct sg_object *t = obj->parent ? obj->parent : obj;

	sg_quote_qualified(&e->sql, t->schema, t->name);
}

bool emit_of_foreign_table(const struct sg_object *obj)
{
	const struct sg_object *t = obj->parent ? obj->parent : obj;

	return t->kind == SG_KIND_FOREIGN_TABLE;
}

void emit_alter_table(struct emitter *e, const struct sg_object *child)
{
	sbuf_adds(&e->sql, emit_of_foreign_table(child) ? "ALTER FOREIGN TABLE "
						       : "ALTER TABLE ");
	emit_table_name(e, child);
	sbuf_addch(&e->sql, ' ');
}

/* ---- comments ---- */

void emit_comment_on(struct emitter *e, const struct sg_object *obj,
		     const char *text)
{
	sbuf_adds(&e->sql, "COMMENT ON ");
	sg_object_sqlref(&e->sql, obj);
	sbuf_adds(&e->sql, " IS ");
	if (text)
		sg_quote_literal(&e->sql, text);
	else
		sbuf_adds(&e->sql, "NULL");
	emit_finish(e, obj, NULL);
}

/*
 * What follows a CREATE: the COMMENT, only when there is one (and the name
 * is known); the owner, when it names one (before the grants, which the
 * new owner then holds as their grantor); the object's privileges; a
 * table's row-level security.  Every CREATE calls it, so a re-created
 * object gets all of them back.
 */
void emit_drop_object(struct emitter *e, const struct sg_object *obj)
{
	sbuf_adds(&e->sql, "DROP ");
	sg_object_sqlref(&e->sql, obj);
	emit_finish(e, obj, NULL);
}

void emit_rename_object(struct emitter *e, const struct sg_object *from,
			const struct sg_object *to)
{
	sbuf_adds(&e->sql, "ALTER ");
	sg_object_sqlref(&e->sql, from);
	sbuf_adds(&e->sql, " RENAME TO ");
	sg_quote_ident(&e->sql, to->name);
	emit_finish(e, to, NULL);
}

void emit_comment_after_create(struct emitter *e, const struct sg_object *obj)
{
	if (obj->comment && !obj->auto_name)
		emit_comment_on(e, obj, obj->comment);
	emit_owner(e, obj);
	emit_grants_after_create(e, obj);
	emit_rls_after_create(e, obj);
}

/* ---- sequences options ---- */

static void type_limits(const char *type, int64_t *min, int64_t *max)
{
	if (type && strcmp(type, "smallint") == 0) {
		*min = INT16_MIN;
		*max = INT16_MAX;
	} else if (type && strcmp(type, "integer") == 0) {
		*min = INT32_MIN;
		*max = INT32_MAX;
	} else {
		*min = INT64_MIN;
		*max = INT64_MAX;
	}
}

/*
 * Appends the options of o that differ from PostgreSQL's defaults (for a
 * new sequence or identity), as "AS t INCREMENT BY n MINVALUE n ...".
 * with_type: sequences take AS; identity sequences follow their column.
 */
void emit_seq_options(struct sbuf *out, const struct sg_seqopts *o,
			bool with_type, const char *sep)
{
	const char *type = (o->set & SG_SEQ_TYPE) && o->type ? o->type : "bigint";
	int64_t inc = (o->set & SG_SEQ_INCREMENT) ? o->increment : 1;
	int64_t tmin, tmax, dmin, dmax, min, max, dstart;
	const char *s = "";

	type_limits(type, &tmin, &tmax);
	dmin = inc > 0 ? 1 : tmin;
	dmax = inc > 0 ? tmax : -1;
	min = (o->set & SG_SEQ_MIN) ? o->min : dmin;
	max = (o->set & SG_SEQ_MAX) ? o->max : dmax;
	dstart = inc > 0 ? min : max;
#define OPT(...) do { sbuf_adds(out, s); sbuf_addf(out, __VA_ARGS__); s = sep; } while (0)
	if (with_type && (o->set & SG_SEQ_TYPE) && strcmp(type, "bigint") != 0)
		OPT("AS %s", type);
	if (inc != 1)
		OPT("INCREMENT BY %" PRId64, inc);
	if (min != dmin)
		OPT("MINVALUE %" PRId64, min);
	if (max != dmax)
		OPT("MAXVALUE %" PRId64, max);
	if ((o->set & SG_SEQ_START) && o->start != dstart)
		OPT("START WITH %" PRId64, o->start);
	if ((o->set & SG_SEQ_CACHE) && o->cache != 1)
		OPT("CACHE %" PRId64, o->cache);
	if ((o->set & SG_SEQ_CYCLE) && o->cycle)
		OPT("CYCLE");
#undef OPT
}

bool emit_seqopts_same_but_type(const struct sg_seqopts *a,
				  const struct sg_seqopts *b)
{
	return a->start == b->start && a->increment == b->increment &&
	       a->min == b->min && a->max == b->max && a->cache == b->cache &&
	       a->cycle == b->cycle;
}

/* The options that differ between two complete option sets. */
void emit_seq_option_changes(struct sbuf *out, const struct sg_seqopts *f,
			       const struct sg_seqopts *t, bool with_type,
			       const char *prefix, const char *sep)
{
	const char *s = prefix;

#define OPT(...) do { sbuf_adds(out, s); sbuf_addf(out, __VA_ARGS__); s = sep; } while (0)
	if (with_type && !sg_streq(f->type, t->type) && t->type)
		OPT("AS %s", t->type);
	if (f->increment != t->increment)
		OPT("INCREMENT BY %" PRId64, t->increment);
	if (f->min != t->min)
		OPT("MINVALUE %" PRId64, t->min);
	if (f->max != t->max)
		OPT("MAXVALUE %" PRId64, t->max);
	if (f->start != t->start)
		OPT("START WITH %" PRId64, t->start);
	if (f->cache != t->cache)
		OPT("CACHE %" PRId64, t->cache);
	if (f->cycle != t->cycle)
		OPT("%s", t->cycle ? "CYCLE" : "NO CYCLE");
#undef OPT
}

/*
 * Narrowed bounds (MINVALUE raised, MAXVALUE lowered): PostgreSQL checks
 * the sequence's current value against them, and refuses when it lies
 * outside.  A sequence never used holds its old START: when that lies
 * outside the new bounds, seq_unused_moves() first moves an unused one
 * (and only such: pg_sequence_last_value() is NULL until the first
 * nextval) into them, which hands out no number twice.  A used sequence
 * keeps its value: the ALTER gets a may-fail hazard (a RESTART would
 * hand out numbers already used).  seq: the sequence, as a SQL regclass
 * expression.
 */
static bool seq_narrows(const struct sg_seqopts *f, const struct sg_seqopts *t)
{
	return t->min > f->min || t->max < f->max;
}

static void seq_setval_unused(struct emitter *e, const char *seq, int64_t v,
			      const struct sg_object *obj)
{
	sbuf_addf(&e->sql, "SELECT pg_catalog.setval(%s, %" PRId64 ", false) "
		  "WHERE pg_catalog.pg_sequence_last_value(%s) IS NULL", seq, v, seq);
	emit_finish(e, obj, NULL);
}

/* Before the ALTER; returns whether the new START must follow it. */
static bool seq_unused_before(struct emitter *e, const struct sg_seqopts *f,
			      const struct sg_seqopts *t, const char *seq,
			      const struct sg_object *obj)
{
	int64_t lo = f->min > t->min ? f->min : t->min;
	int64_t hi = f->max < t->max ? f->max : t->max;
	int64_t v = t->start < lo ? lo : t->start > hi ? hi : t->start;

	if (!seq_narrows(f, t) || (f->start >= t->min && f->start <= t->max) || lo > hi)
		return false;
	seq_setval_unused(e, seq, v, obj);
	return v != t->start;
}

static void seq_narrow_hazard(struct emitter *e, struct sg_stmt *st,
			      const struct sg_seqopts *f, const struct sg_seqopts *t,
			      const char *rel, const char *what)
{
	struct sg_hz h = { .kind = SG_HZ_MAY_FAIL, .rel = rel };

	if (!st || !seq_narrows(f, t))
		return;
	h.what = sg_printf(e->a, "the current value of %s must lie within its new bounds "
			   "%" PRId64 "..%" PRId64 ", or PostgreSQL refuses the change "
			   "(a RESTART would hand out numbers already used)",
			   what, t->min, t->max);
	sg_stmt_add_hazard(e->a, st, &h);
}

/* ---- schema, enum, sequence ---- */

static void emit_schema(struct emitter *e, const struct sg_change *c)
{
	switch (c->op) {
	case SG_OP_CREATE:
		sbuf_adds(&e->sql, "CREATE SCHEMA ");
		sg_quote_ident(&e->sql, c->to->name);
		emit_finish(e, c->to, NULL);
		emit_comment_after_create(e, c->to);
		emit_defacls_change(e, NULL, (const struct sg_schema *)c->to);
		break;
	case SG_OP_DROP:
		/* its pg_default_acl rows depend on it (an auto dependency):
		 * PostgreSQL drops them with it */
		sbuf_adds(&e->sql, "DROP SCHEMA ");
		sg_quote_ident(&e->sql, c->from->name);
		emit_finish(e, c->from, NULL);
		break;
	case SG_OP_ALTER:
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, c->to, c->to->comment);
		break;
	case SG_OP_RENAME:
		SG_BUG("schema rename");
	}
}

static bool enum_has(const struct sg_enum *en, const char *v)
{
	for (size_t i = 0; i < en->nvalues; i++)
		if (strcmp(en->values[i], v) == 0)
			return true;
	return false;
}

/* Where a rebuilt enum's old type waits until its columns have moved. */
const char *emit_stash_name(struct emitter *e, const char *name)
{
	size_t n = strlen(name);

	/* stay within NAMEDATALEN - 1 = 63 bytes (a UTF-8 cut is harmless:
	 * the server truncates the same way, and we quote it) */
	if (n > 55)
		n = 55;
	return sg_printf(e->a, "%.*s__sg_old", (int)n, name);
}

static void value_list(struct sbuf *out, const struct sg_enum *f,
		       const struct sg_enum *t)
{
	int n = 0;

	for (size_t i = 0; i < f->nvalues; i++)
		if (!t || !enum_has(t, f->values[i])) {
			sbuf_adds(out, n++ ? ", " : "");
			sg_quote_literal(out, f->values[i]);
		}
}

static void emit_enum_renames(struct emitter *e, const struct sg_enum *t,
			      const char **old_names, const char **new_names,
			      size_t nr)
{
	for (size_t r = 0; r < nr; r++) {
		sbuf_adds(&e->sql, "ALTER TYPE ");
		sg_quote_qualified(&e->sql, t->obj.schema, t->obj.name);
		sbuf_adds(&e->sql, " RENAME VALUE ");
		sg_quote_literal(&e->sql, old_names[r]);
		sbuf_adds(&e->sql, " TO ");
		sg_quote_literal(&e->sql, new_names[r]);
		emit_finish(e, &t->obj, NULL);
	}
}

/* A value of t as it is called before the renames old -> new. */
static const char *before_rename(const char *v, const char **old_names,
				 const char **new_names, size_t nr)
{
	for (size_t r = 0; r < nr; r++)
		if (strcmp(new_names[r], v) == 0)
			return old_names[r];
	return v;
}

/* Is t's value v an existing one (by its name before the renames)? */
static bool enum_kept(const struct sg_enum *f, const char *v,
		      const char **old_names, const char **new_names, size_t nr)
{
	return enum_has(f, before_rename(v, old_names, new_names, nr));
}

static void emit_enum_adds(struct emitter *e, const struct sg_enum *f,
			   const struct sg_enum *t, const char **old_names,
			   const char **new_names, size_t nr)
{
	/* in order, so each new value's neighbour already exists */
	for (size_t i = 0; i < t->nvalues; i++) {
		if (enum_kept(f, t->values[i], old_names, new_names, nr))
			continue;
		sbuf_adds(&e->sql, "ALTER TYPE ");
		sg_quote_qualified(&e->sql, t->obj.schema, t->obj.name);
		/* IF NOT EXISTS: these are committed ahead of the rest of the
		 * revision, so a rerun after a failure finds them there */
		sbuf_adds(&e->sql, " ADD VALUE IF NOT EXISTS ");
		sg_quote_literal(&e->sql, t->values[i]);
		if (i > 0) {
			sbuf_adds(&e->sql, " AFTER ");
			sg_quote_literal(&e->sql, before_rename(t->values[i - 1],
								old_names, new_names, nr));
		} else if (f->nvalues > 0) {
			/* first position: before the first old value */
			for (size_t k = 1; k < t->nvalues; k++)
				if (enum_kept(f, t->values[k], old_names, new_names, nr)) {
					sbuf_adds(&e->sql, " BEFORE ");
					sg_quote_literal(&e->sql, before_rename(
						t->values[k], old_names, new_names, nr));
					break;
				}
		}
		emit_finish(e, &t->obj, NULL);
	}
}

static void emit_enum(struct emitter *e, const struct sg_change *c)
{
	const struct sg_enum *f = (const struct sg_enum *)c->from;
	const struct sg_enum *t = (const struct sg_enum *)c->to;

	switch (c->op) {
	case SG_OP_CREATE:
		sbuf_adds(&e->sql, "CREATE TYPE ");
		sg_quote_qualified(&e->sql, t->obj.schema, t->obj.name);
		sbuf_adds(&e->sql, " AS ENUM (");
		for (size_t i = 0; i < t->nvalues; i++) {
			struct sg_srcfrag fr = { .offset = e->sql.len };

			if (i)
				sbuf_adds(&e->sql, ", ");
			fr.offset = e->sql.len;
			sg_quote_literal(&e->sql, t->values[i]);
			if (t->value_locs && t->value_locs[i].line) {
				fr.len = e->sql.len - fr.offset;
				fr.loc = t->value_locs[i];
				fr.loc.style = 'x';
				SG_VEC_PUSH(e->a, &e->frags, fr);
			}
		}
		sbuf_addch(&e->sql, ')');
		emit_finish(e, &t->obj, NULL);
		emit_comment_after_create(e, &t->obj);
		break;
	case SG_OP_DROP:
		sbuf_adds(&e->sql, "DROP TYPE ");
		sg_quote_qualified(&e->sql, f->obj.schema,
				   (c->what & SG_CHG_REBUILD) ? emit_stash_name(e, f->obj.name)
							      : f->obj.name);
		emit_finish(e, &f->obj, NULL);
		break;
	case SG_OP_ALTER:
		{
			const char **old_names = NULL, **new_names = NULL;
			size_t nr = 0;

			if (c->what & SG_CHG_ENUM_RENAME)
				nr = sg_enum_renames(e->a, f, t, &old_names, &new_names);
			/*
			 * New values go first (the runner commits them ahead of
			 * the revision), naming their neighbours as they are
			 * then; the renames follow.  A rename never frees a name
			 * a new value takes: sg_enum_renames() only renames to
			 * a free name from one that is gone.
			 */
			if (c->what & SG_CHG_ENUM_VALUES)
				emit_enum_adds(e, f, t, old_names, new_names, nr);
			emit_enum_renames(e, t, old_names, new_names, nr);
		}
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, &t->obj, t->obj.comment);
		break;
	case SG_OP_RENAME:
		/* the first step of a rebuild: the old type steps aside */
		{
			struct sbuf vals = SBUF_INIT;
			const char *w;

			value_list(&vals, f, NULL);
			w = sg_printf(e->a, "rebuilds %s with its values changed (it had %s); "
				      "rows holding a value that no longer exists make the "
				      "migration fail", emit_object_text(e, &f->obj), vals.buf);
			sbuf_release(&vals);
			sbuf_adds(&e->sql, "ALTER TYPE ");
			sg_quote_qualified(&e->sql, f->obj.schema, f->obj.name);
			sbuf_addf(&e->sql, " RENAME TO %s", sg_qi(e->a, emit_stash_name(e, f->obj.name)));
			emit_finish(e, &f->obj, w);
		}
		break;
	}
}

static void emit_sequence(struct emitter *e, const struct sg_change *c)
{
	const struct sg_sequence *f = (const struct sg_sequence *)c->from;
	const struct sg_sequence *t = (const struct sg_sequence *)c->to;

	switch (c->op) {
	case SG_OP_CREATE:
		sbuf_adds(&e->sql, "CREATE SEQUENCE ");
		sg_quote_qualified(&e->sql, t->obj.schema, t->obj.name);
		{
			struct sbuf o = SBUF_INIT;

			emit_seq_options(&o, &t->opts, true, " ");
			if (o.len) {
				sbuf_addch(&e->sql, ' ');
				sbuf_adds(&e->sql, o.buf);
			}
			sbuf_release(&o);
		}
		emit_finish(e, &t->obj, NULL);
		emit_comment_after_create(e, &t->obj);
		break;
	case SG_OP_DROP:
		sbuf_adds(&e->sql, "DROP SEQUENCE ");
		sg_quote_qualified(&e->sql, f->obj.schema, f->obj.name);
		emit_finish(e, &f->obj, sg_printf(e->a, "drops %s and its current value",
					     emit_object_text(e, &f->obj)));
		break;
	case SG_OP_ALTER:
		if (c->what & SG_CHG_SEQ_OPTS) {
			struct sbuf q = SBUF_INIT;
			const char *seq;
			bool after;

			sg_quote_literal(&q, sg_qq(e->a, t->obj.schema, t->obj.name));
			seq = sg_printf(e->a, "%s::pg_catalog.regclass", q.buf);
			sbuf_release(&q);
			after = seq_unused_before(e, &f->opts, &t->opts, seq, &t->obj);
			sbuf_adds(&e->sql, "ALTER SEQUENCE ");
			sg_quote_qualified(&e->sql, t->obj.schema, t->obj.name);
			emit_seq_option_changes(&e->sql, &f->opts, &t->opts, true, " ", " ");
			seq_narrow_hazard(e, emit_finish(e, &t->obj, NULL), &f->opts, &t->opts,
					  sg_qq(e->a, t->obj.schema, t->obj.name),
					  emit_object_text(e, &t->obj));
			if (after)
				seq_setval_unused(e, seq, t->opts.start, &t->obj);
		}
		if (c->what & SG_CHG_OWNED_BY) {
			sbuf_adds(&e->sql, "ALTER SEQUENCE ");
			sg_quote_qualified(&e->sql, t->obj.schema, t->obj.name);
			sbuf_adds(&e->sql, " OWNED BY ");
			if (t->owned_table) {
				sg_quote_qualified(&e->sql, t->obj.schema, t->owned_table);
				sbuf_addch(&e->sql, '.');
				sg_quote_ident(&e->sql, t->owned_column);
			} else {
				sbuf_adds(&e->sql, "NONE");
			}
			emit_finish(e, &t->obj, NULL);
		}
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, &t->obj, t->obj.comment);
		break;
	case SG_OP_RENAME:
		SG_BUG("sequence rename");
	}
}

/* ---- columns ---- */

void emit_column_definition(struct emitter *e, const struct sg_column *col)
{
	emit_frag_ident(e, col->obj.name, col->obj.loc);
	sbuf_addch(&e->sql, ' ');
	emit_frag_text(e, col->type, col->type_loc);
	/* a foreign table's column: OPTIONS comes before the constraints */
	emit_fdw_create_options(e, &col->obj, col->options, col->noptions);
	if (col->collation) {
		sbuf_adds(&e->sql, " COLLATE ");
		emit_frag_text(e, col->collation, col->collation_loc);
	}
	if (col->identity) {
		struct sbuf o = SBUF_INIT;
		struct sg_seqopts opts = col->identity_opts;

		/* the identity sequence has the column's type */
		opts.type = col->type;
		opts.set |= SG_SEQ_TYPE;
		emit_seq_options(&o, &opts, false, " ");
		sbuf_addf(&e->sql, " GENERATED %s AS IDENTITY",
			  col->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
		if (o.len)
			sbuf_addf(&e->sql, " (%s)", o.buf);
		sbuf_release(&o);
	}
	if (col->generated) {
		sbuf_adds(&e->sql, " GENERATED ALWAYS AS (");
		emit_frag_text(e, col->generated, col->generated_loc);
		sbuf_adds(&e->sql, ") STORED");
	} else if (col->default_expr) {
		sbuf_adds(&e->sql, " DEFAULT ");
		emit_frag_text(e, col->default_expr, col->default_loc);
	}
	if (col->not_null && !col->identity)
		sbuf_adds(&e->sql, " NOT NULL");
}

/* "character varying(20)[]" -> "character varying[]" */
static char *base_type(struct sg_arena *a, const char *type)
{
	struct sbuf sb = SBUF_INIT;
	int depth = 0;
	char *r;

	for (const char *p = type; *p; p++) {
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if (depth == 0)
			sbuf_addch(&sb, *p);
	}
	r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/*
 * Does a type change need USING?  PostgreSQL converts with an assignment
 * cast when it can; an explicit cast in USING would silently truncate
 * strings (varchar(n)) where the assignment cast raises an error.  So USING
 * is only written when the base types differ and are not both strings or
 * both numbers (families with assignment casts among them).
 */
static bool needs_using(struct sg_arena *a, const char *from, const char *to)
{
	static const char *const strings[] = {
		"text", "character varying", "character", "name", "\"char\"", NULL };
	static const char *const numbers[] = {
		"smallint", "integer", "bigint", "numeric", "real",
		"double precision", NULL };
	const char *fb = base_type(a, from), *tb = base_type(a, to);

	if (strcmp(fb, tb) == 0)
		return false;
	if (in_list(fb, strings) && in_list(tb, strings))
		return false;
	if (in_list(fb, numbers) && in_list(tb, numbers))
		return false;
	return true;
}

/* The numbers of a type modifier: "numeric(10,2)" -> 10, 2. */
static int typmods(const char *type, long v[2])
{
	const char *p = strchr(type, '(');
	int n = 0;

	while (p && n < 2 && *p && *p != ')') {
		char *end;

		v[n++] = strtol(p + 1, &end, 10);
		p = strchr(end, ',');
	}
	return n;
}

/*
 * Is a type change a pure widening that keeps every value exactly?  Same
 * base type with a larger (or no) length or precision, a step up among the
 * integers, an integer to unlimited numeric, real to double precision, or
 * anything to text.  Anything else gets a data warning.
 */
static bool is_widening(struct sg_arena *a, const char *from, const char *to)
{
	static const char *const ints[] = { "smallint", "integer", "bigint", NULL };
	const char *fb = base_type(a, from), *tb = base_type(a, to);
	long fv[2] = { 0, 0 }, tv[2] = { 0, 0 };
	int fn, tn;

	if (strcmp(fb, tb) == 0) {
		fn = typmods(from, fv);
		tn = typmods(to, tv);
		if (tn == 0)
			return true;              /* limit removed */
		if (fn == 0 || fn != tn)
			return false;             /* limit added */
		if (strcmp(fb, "numeric") == 0)   /* integer digits and scale both kept */
			return tv[0] - tv[1] >= fv[0] - fv[1] && tv[1] >= fv[1];
		return tv[0] >= fv[0];
	}
	/* every value has a text form, and text has no limit */
	if (strcmp(to, "text") == 0)
		return true;
	if (in_list(fb, ints) && strcmp(to, "numeric") == 0)
		return true;              /* numeric without a limit holds any integer */
	if (strcmp(fb, "real") == 0 && strcmp(tb, "double precision") == 0)
		return true;
	for (int i = 0; ints[i]; i++)
		for (int j = i + 1; ints[j]; j++)
			if (strcmp(fb, ints[i]) == 0 && strcmp(tb, ints[j]) == 0)
				return true;
	return false;
}

/*
 * Does ALTER COLUMN TYPE keep the stored values as they are (no table
 * rewrite)?  PostgreSQL skips the rewrite when the conversion is a binary
 * relabelling, and the length coercions of varchar, numeric, bit varying
 * and the time types become one when the limit grows or goes (their
 * planner support functions); numeric keeps its scale.  A collation-only
 * change keeps them too.  bpchar pads: always rewritten.
 */
static bool keeps_storage(struct sg_arena *a, const char *from, const char *to)
{
	static const char *const relaxable[] = {
		"character varying", "numeric", "bit varying", "timestamp without time zone",
		"timestamp with time zone", "time without time zone",
		"time with time zone", "interval", NULL };
	static const char *const texts[] = { "text", "character varying", NULL };
	const char *fb = base_type(a, from), *tb = base_type(a, to);
	long fv[2] = { 0, 0 }, tv[2] = { 0, 0 };
	int fn = typmods(from, fv), tn = typmods(to, tv);

	if (strcmp(from, to) == 0)
		return true;
	if (strcmp(fb, tb) == 0) {
		if (!in_list(fb, relaxable))
			return false;
		if (tn == 0)
			return true;
		if (fn == 0 || fn != tn)
			return false;
		if (strcmp(fb, "numeric") == 0)
			return tv[1] == fv[1] && tv[0] >= fv[0];
		return tv[0] >= fv[0];
	}
	/* text and varchar are binary-coercible both ways; a limit added is not */
	if (in_list(fb, texts) && in_list(tb, texts))
		return tn == 0;
	return strcmp(fb, "cidr") == 0 && strcmp(tb, "inet") == 0;
}

bool emit_type_widens(struct sg_arena *a, const char *from, const char *to)
{
	return sg_streq(from, to) || is_widening(a, from, to);
}

/*
 * A type change PostgreSQL makes without rewriting the table: a limit of
 * varchar, varbit or numeric (same scale) raised or removed, varchar to
 * text.  Anything else is written as not online.
 */
static bool no_rewrite(struct sg_arena *a, const char *from, const char *to)
{
	return keeps_storage(a, from, to);
}

static void sub(struct emitter *e, int *n)
{
	sbuf_adds(&e->sql, (*n)++ ? ",\n    " : "\n    ");
}

/*
 * A column of a rebuilt composite type (not an array of it) is converted
 * attribute by attribute, by name: USING CASE WHEN c IS NOT DISTINCT FROM
 * NULL THEN NULL ELSE ROW((c).a::t, NULL::t, ...)::type END.  Text would
 * not do when attributes are added, dropped or moved.  False when the
 * column is not such a column.
 */
static bool recast_composite(struct emitter *e, const struct sg_change *c,
			     const struct sg_column *t)
{
	const struct sg_composite *ft = (const struct sg_composite *)c->recast_from;
	const struct sg_composite *tt = (const struct sg_composite *)c->recast_to;
	const char *col = sg_qi(e->a, t->obj.name);

	if (!ft || !tt || ft->obj.kind != SG_KIND_COMPOSITE ||
	    tt->obj.kind != SG_KIND_COMPOSITE ||
	    strcmp(t->type, sg_qq(e->a, tt->obj.schema, tt->obj.name)) != 0)
		return false;
	sbuf_addf(&e->sql, " USING CASE WHEN %s IS NOT DISTINCT FROM NULL THEN NULL"
		  " ELSE ROW(", col);
	for (size_t i = 0; i < tt->nattrs; i++) {
		const struct sg_attribute *a = &tt->attrs[i];
		bool kept = false;

		for (size_t k = 0; k < ft->nattrs && !kept; k++)
			kept = strcmp(ft->attrs[k].name, a->name) == 0;
		if (i)
			sbuf_adds(&e->sql, ", ");
		if (kept)
			sbuf_addf(&e->sql, "(%s).%s::%s", col, sg_qi(e->a, a->name), a->type);
		else
			sbuf_addf(&e->sql, "NULL::%s", a->type);
	}
	sbuf_addf(&e->sql, ")::%s END", t->type);
	return true;
}

static void emit_column_alter(struct emitter *e, const struct sg_change *c)
{
	const struct sg_column *f = (const struct sg_column *)c->from;
	const struct sg_column *t = (const struct sg_column *)c->to;
	sg_chg w = c->what;
	int n = 0;
	const char *warning = NULL;
	bool retype = w & SG_CHG_TYPE;
	/* a foreign table holds no rows: nothing to convert, rewrite or scan
	 * (and PostgreSQL refuses USING there) */
	bool foreign = emit_of_foreign_table(&t->obj);
	/* online: SET NOT NULL through a validated check, after the rest */
	bool online_nn = (w & SG_CHG_NOT_NULL) && t->not_null && !retype &&
			 !foreign && emit_online_not_null(e, c);
	/* the identity's sequence, when its options change */
	bool idopts = ((w & SG_CHG_IDENTITY_OPTS) ||
		       ((w & SG_CHG_IDENTITY) && f->identity && t->identity)) &&
		      !emit_seqopts_same_but_type(&f->identity_opts, &t->identity_opts);
	const char *idseq = NULL;
	bool idafter = false;

	if (idopts && f->identity && t->identity && t->obj.parent) {
		struct sbuf q = SBUF_INIT;

		sbuf_adds(&q, "pg_catalog.pg_get_serial_sequence(");
		sg_quote_literal(&q, sg_qq(e->a, t->obj.parent->schema, t->obj.parent->name));
		sbuf_adds(&q, ", ");
		sg_quote_literal(&q, t->obj.name);
		sbuf_adds(&q, ")::pg_catalog.regclass");
		idseq = sg_strdup(e->a, q.buf);
		sbuf_release(&q);
		idafter = seq_unused_before(e, &f->identity_opts, &t->identity_opts,
					    idseq, &t->obj);
	}

	if (w & ~SG_CHG_COMMENT) {
		if (retype && !foreign && !sg_streq(f->type, t->type) &&
		    !no_rewrite(e->a, f->type, t->type))
			emit_online_not_online(e, sg_printf(e->a,
				"changing the type of %s from %s to %s rewrites the table, "
				"which blocks reads and writes until it is done",
				emit_object_text(e, &t->obj), f->type, t->type));
		emit_alter_table(e, &t->obj);
		sbuf_rtrim(&e->sql);
		/* DROP pass: defaults and identity that are replaced */
		if (f->default_expr && ((w & SG_CHG_DEFAULT) || retype)) {
			sub(e, &n);
			sbuf_addf(&e->sql, "ALTER COLUMN %s DROP DEFAULT", sg_qi(e->a, t->obj.name));
		}
		if ((w & SG_CHG_IDENTITY) && f->identity && !t->identity) {
			sub(e, &n);
			sbuf_addf(&e->sql, "ALTER COLUMN %s DROP IDENTITY", sg_qi(e->a, t->obj.name));
		}
		if ((w & SG_CHG_DEFINITION) && f->generated && !t->generated) {
			/* the computed values stay, as ordinary ones */
			sub(e, &n);
			sbuf_addf(&e->sql, "ALTER COLUMN %s DROP EXPRESSION", sg_qi(e->a, t->obj.name));
		}
		if ((w & SG_CHG_NOT_NULL) && !t->not_null) {
			sub(e, &n);
			sbuf_addf(&e->sql, "ALTER COLUMN %s DROP NOT NULL", sg_qi(e->a, t->obj.name));
		}
		if (retype) {
			sub(e, &n);
			sbuf_addf(&e->sql, "ALTER COLUMN %s TYPE ", sg_qi(e->a, t->obj.name));
			emit_frag_text(e, t->type, t->type_loc);
			if (t->collation) {
				sbuf_adds(&e->sql, " COLLATE ");
				emit_frag_text(e, t->collation, t->collation_loc);
			} else if (f->collation) {
				sbuf_adds(&e->sql, " COLLATE pg_catalog.\"default\"");
			}
			if (foreign) {
				/* no rows here: no USING, no conversion */
			} else if ((w & SG_CHG_RECAST) && recast_composite(e, c, t)) {
				/* attribute by attribute */
			} else if (w & SG_CHG_RECAST) {
				/* from a rebuilt type: through text (arrays too) */
				size_t tl = strlen(t->type);
				bool array = tl > 2 && strcmp(t->type + tl - 2, "[]") == 0;

				sbuf_addf(&e->sql, " USING %s::text%s::%s", sg_qi(e->a, t->obj.name),
					  array ? "[]" : "", t->type);
			} else if (!sg_streq(f->type, t->type) &&
				   needs_using(e->a, f->type, t->type)) {
				sbuf_addf(&e->sql, " USING %s::", sg_qi(e->a, t->obj.name));
				sbuf_adds(&e->sql, t->type);
			}
			if (!foreign && !sg_streq(f->type, t->type) &&
			    !is_widening(e->a, f->type, t->type))
				warning = sg_printf(e->a, "changes the type of %s from %s to %s: "
						    "values may be rounded or truncated, or fail to convert",
						    emit_object_text(e, &t->obj), f->type, t->type);
		}
		if ((w & SG_CHG_NOT_NULL) && t->not_null && !online_nn) {
			sub(e, &n);
			sbuf_addf(&e->sql, "ALTER COLUMN %s SET NOT NULL", sg_qi(e->a, t->obj.name));
		}
		if ((w & SG_CHG_IDENTITY) && t->identity) {
			sub(e, &n);
			if (f->identity) {
				sbuf_addf(&e->sql, "ALTER COLUMN %s SET GENERATED %s",
					  sg_qi(e->a, t->obj.name),
					  t->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
			} else {
				struct sbuf o = SBUF_INIT;
				struct sg_seqopts opts = t->identity_opts;

				opts.type = t->type;
				opts.set |= SG_SEQ_TYPE;
				emit_seq_options(&o, &opts, false, " ");
				sbuf_addf(&e->sql, "ALTER COLUMN %s ADD GENERATED %s AS IDENTITY",
					  sg_qi(e->a, t->obj.name),
					  t->identity == 'a' ? "ALWAYS" : "BY DEFAULT");
				if (o.len)
					sbuf_addf(&e->sql, " (%s)", o.buf);
				sbuf_release(&o);
			}
		}
		if (idopts) {
			struct sbuf o = SBUF_INIT;

			emit_seq_option_changes(&o, &f->identity_opts, &t->identity_opts, false,
					   "", " SET ");
			if (o.len) {
				sub(e, &n);
				sbuf_addf(&e->sql, "ALTER COLUMN %s SET %s",
					  sg_qi(e->a, t->obj.name), o.buf);
			}
			sbuf_release(&o);
		}
		if ((w & SG_CHG_DEFINITION) && t->generated) {
			/* PostgreSQL 17: the differ asks for it only there */
			sub(e, &n);
			sbuf_addf(&e->sql, "ALTER COLUMN %s SET EXPRESSION AS (",
				  sg_qi(e->a, t->obj.name));
			emit_frag_text(e, t->generated, t->generated_loc);
			sbuf_addch(&e->sql, ')');
		}
		if (t->default_expr && ((w & SG_CHG_DEFAULT) || (retype && f->default_expr))) {
			sub(e, &n);
			sbuf_addf(&e->sql, "ALTER COLUMN %s SET DEFAULT ", sg_qi(e->a, t->obj.name));
			emit_frag_text(e, t->default_expr, t->default_loc);
		}
		if (w & SG_CHG_OPTIONS) {
			/* a foreign table's column options */
			sub(e, &n);
			sbuf_addf(&e->sql, "ALTER COLUMN %s", sg_qi(e->a, t->obj.name));
			emit_fdw_alter_options(e, &t->obj, f->options, f->noptions,
					       t->options, t->noptions);
		}
		if (n == 0) {
			sbuf_reset(&e->sql);
		} else {
			struct sg_stmt *st = emit_finish(e, &t->obj, warning);

			/* what the text alone cannot tell about the type change */
			if (retype && !foreign && !(w & SG_CHG_RECAST)) {
				if (keeps_storage(e->a, f->type, t->type))
					st->hz_drop |= 1u << SG_HZ_TABLE_REWRITE;
				if (is_widening(e->a, f->type, t->type) &&
				    !((w & SG_CHG_NOT_NULL) && t->not_null))
					st->hz_drop |= 1u << SG_HZ_MAY_FAIL;
			}
			if (idseq)
				seq_narrow_hazard(e, st, &f->identity_opts, &t->identity_opts,
						  sg_qq(e->a, t->obj.parent->schema,
							t->obj.parent->name),
						  sg_printf(e->a, "the identity sequence of %s",
							    emit_object_text(e, &t->obj)));
		}
		if (idafter)
			seq_setval_unused(e, idseq, t->identity_opts.start, &t->obj);
		if (online_nn)
			emit_online_set_not_null(e, t);
	}
	if (w & SG_CHG_COMMENT)
		emit_comment_on(e, &t->obj, t->obj.comment);
}

/* Only the default, around a function it calls that is rebuilt. */
static void emit_default_around(struct emitter *e, const struct sg_change *c)
{
	const struct sg_column *col = (const struct sg_column *)(c->to ? c->to : c->from);

	emit_alter_table(e, &col->obj);
	sbuf_addf(&e->sql, "ALTER COLUMN %s ", sg_qi(e->a, col->obj.name));
	if (c->op == SG_OP_DROP) {
		sbuf_adds(&e->sql, "DROP DEFAULT");
	} else {
		sbuf_adds(&e->sql, "SET DEFAULT ");
		emit_frag_text(e, col->default_expr, col->default_loc);
	}
	emit_finish(e, &col->obj, NULL);
}

static void emit_column(struct emitter *e, const struct sg_change *c)
{
	if (c->what & SG_CHG_AROUND) {
		emit_default_around(e, c);
		return;
	}
	switch (c->op) {
	case SG_OP_CREATE:
		emit_alter_table(e, c->to);
		sbuf_adds(&e->sql, "ADD COLUMN ");
		emit_column_definition(e, (const struct sg_column *)c->to);
		emit_finish(e, c->to, NULL);
		emit_comment_after_create(e, c->to);
		break;
	case SG_OP_DROP:
		if (emit_of_foreign_table(c->from)) {
			/* the rows are the server's: nothing is lost here */
			emit_alter_table(e, c->from);
			sbuf_addf(&e->sql, "DROP COLUMN %s", sg_qi(e->a, c->from->name));
			emit_finish(e, c->from, NULL);
			break;
		}
		if (((const struct sg_column *)c->from)->generated) {
			/* computed values: nothing is lost, but say why */
			sbuf_addf(&e->sql, "-- %s is generated: its values are computed, "
				  "no data is lost\n", sg_qc(e->a, emit_object_text(e, c->from)));
			emit_alter_table(e, c->from);
			sbuf_addf(&e->sql, "DROP COLUMN %s", sg_qi(e->a, c->from->name));
			emit_finish(e, c->from, NULL);
			break;
		}
		if (c->what & SG_CHG_ONLY) {
			/* the children keep their copies, as their own */
			sbuf_adds(&e->sql, "ALTER TABLE ONLY ");
			emit_table_name(e, c->from);
			sbuf_addch(&e->sql, ' ');
		} else {
			emit_alter_table(e, c->from);
		}
		sbuf_addf(&e->sql, "DROP COLUMN %s", sg_qi(e->a, c->from->name));
		emit_finish(e, c->from, sg_printf(e->a, "drops %s and the data in it",
					     emit_object_text(e, c->from)));
		break;
	case SG_OP_RENAME:
		emit_alter_table(e, c->to);
		sbuf_addf(&e->sql, "RENAME COLUMN %s TO %s", sg_qi(e->a, c->from->name),
			  sg_qi(e->a, c->to->name));
		emit_finish(e, c->to, NULL);
		break;
	case SG_OP_ALTER:
		emit_column_alter(e, c);
		break;
	}
}

/* ---- constraints ---- */

static const char *fk_action(char a)
{
	switch (a) {
	case SG_FK_RESTRICT: return "RESTRICT";
	case SG_FK_CASCADE: return "CASCADE";
	case SG_FK_SET_NULL: return "SET NULL";
	case SG_FK_SET_DEFAULT: return "SET DEFAULT";
	default: return NULL;   /* NO ACTION is the default */
	}
}

void emit_name_list(struct sbuf *out, const char *const *names, size_t n)
{
	sbuf_addch(out, '(');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sbuf_adds(out, ", ");
		sg_quote_ident(out, names[i]);
	}
	sbuf_addch(out, ')');
}

/* The constraint's definition: the server's text, or built from the model. */
void emit_constraint_definition(struct emitter *e, const struct sg_constraint *k)
{
	if (k->definition) {
		sbuf_adds(&e->sql, k->definition);
		return;
	}
	switch (k->type) {
	case 'p':
		sbuf_adds(&e->sql, "PRIMARY KEY ");
		emit_name_list(&e->sql, k->columns, k->ncolumns);
		break;
	case 'u':
		sbuf_adds(&e->sql, "UNIQUE ");
		if (k->nulls_not_distinct)
			sbuf_adds(&e->sql, "NULLS NOT DISTINCT ");
		emit_name_list(&e->sql, k->columns, k->ncolumns);
		break;
	case 'f':
		sbuf_adds(&e->sql, "FOREIGN KEY ");
		emit_name_list(&e->sql, k->columns, k->ncolumns);
		sbuf_adds(&e->sql, " REFERENCES ");
		{
			struct sg_srcfrag fr = { .offset = e->sql.len, .loc = k->ref_loc };

			sg_quote_qualified(&e->sql, k->ref_schema, k->ref_table);
			if (k->nref_columns)
				emit_name_list(&e->sql, k->ref_columns, k->nref_columns);
			fr.len = e->sql.len - fr.offset;
			fr.loc.style = 'x';
			if (fr.loc.line)
				SG_VEC_PUSH(e->a, &e->frags, fr);
		}
		if (k->match == 'f')
			sbuf_adds(&e->sql, " MATCH FULL");
		if (fk_action(k->on_update))
			sbuf_addf(&e->sql, " ON UPDATE %s", fk_action(k->on_update));
		if (fk_action(k->on_delete))
			sbuf_addf(&e->sql, " ON DELETE %s", fk_action(k->on_delete));
		break;
	case 'c':
		sbuf_adds(&e->sql, "CHECK (");
		emit_frag_text(e, k->expression, k->expr_loc);
		sbuf_addch(&e->sql, ')');
		if (k->no_inherit)
			sbuf_adds(&e->sql, " NO INHERIT");
		break;
	case 'x':
		sbuf_addf(&e->sql, "EXCLUDE USING %s (",
			  k->excl_method ? sg_qi(e->a, k->excl_method) : "gist");
		for (size_t i = 0; i < k->nexcl; i++) {
			if (i)
				sbuf_adds(&e->sql, ", ");
			emit_index_key(e, &k->excl_keys[i]);
			sbuf_adds(&e->sql, " WITH ");
			emit_frag_text(e, k->excl_ops[i], k->excl_op_locs
				       ? k->excl_op_locs[i] : (struct sg_loc){ 0 });
		}
		sbuf_addch(&e->sql, ')');
		if (k->ninclude) {
			sbuf_adds(&e->sql, " INCLUDE ");
			emit_name_list(&e->sql, k->include, k->ninclude);
		}
		if (k->excl_where) {
			sbuf_adds(&e->sql, " WHERE (");
			emit_frag_text(e, k->excl_where, k->excl_where_loc);
			sbuf_addch(&e->sql, ')');
		}
		break;
	default:
		SG_BUG("constraint type %c", k->type);
	}
	if ((k->type == 'p' || k->type == 'u') && k->ninclude) {
		sbuf_adds(&e->sql, " INCLUDE ");
		emit_name_list(&e->sql, k->include, k->ninclude);
	}
	if (k->deferrable)
		sbuf_adds(&e->sql, " DEFERRABLE");
	if (k->deferred)
		sbuf_adds(&e->sql, " INITIALLY DEFERRED");
	if (k->not_valid)
		sbuf_adds(&e->sql, " NOT VALID");
}

void emit_constraint_clause(struct emitter *e, const struct sg_constraint *k)
{
	if (!k->obj.auto_name) {
		sbuf_adds(&e->sql, "CONSTRAINT ");
		emit_frag_ident(e, k->obj.name, k->obj.loc);
		sbuf_addch(&e->sql, ' ');
	}
	emit_constraint_definition(e, k);
}

static void emit_constraint(struct emitter *e, const struct sg_change *c)
{
	if (emit_online_constraint(e, c))
		return;
	switch (c->op) {
	case SG_OP_CREATE:
		if (((const struct sg_constraint *)c->to)->only) {
			/* a partitioned table's key made for the table only */
			sbuf_adds(&e->sql, "ALTER TABLE ONLY ");
			emit_table_name(e, c->to);
			sbuf_addch(&e->sql, ' ');
		} else {
			emit_alter_table(e, c->to);
		}
		sbuf_adds(&e->sql, "ADD ");
		emit_constraint_clause(e, (const struct sg_constraint *)c->to);
		emit_finish(e, c->to, NULL);
		emit_comment_after_create(e, c->to);
		break;
	case SG_OP_DROP:
		emit_alter_table(e, c->from);
		sbuf_addf(&e->sql, "DROP CONSTRAINT %s", sg_qi(e->a, c->from->name));
		emit_finish(e, c->from, NULL);
		break;
	case SG_OP_ALTER:
		if (c->what & SG_CHG_VALIDATE) {
			emit_alter_table(e, c->to);
			sbuf_addf(&e->sql, "VALIDATE CONSTRAINT %s", sg_qi(e->a, c->to->name));
			emit_finish(e, c->to, NULL);
		}
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, c->to, c->to->comment);
		break;
	case SG_OP_RENAME:
		/* a primary key's or unique constraint's index follows */
		emit_alter_table(e, c->to);
		sbuf_addf(&e->sql, "RENAME CONSTRAINT %s TO %s", sg_qi(e->a, c->from->name),
			  sg_qi(e->a, c->to->name));
		emit_finish(e, c->to, NULL);
		break;
	}
}

/* ---- indexes ---- */

void emit_index_key(struct emitter *e, const struct sg_index_key *k)
{
	if (k->column) {
		emit_frag_ident(e, k->column, k->loc);
	} else {
		sbuf_addch(&e->sql, '(');
		emit_frag_text(e, k->expression, k->loc);
		sbuf_addch(&e->sql, ')');
	}
	if (k->collation)
		sbuf_addf(&e->sql, " COLLATE %s", k->collation);
	if (k->opclass)
		sbuf_addf(&e->sql, " %s", k->opclass);
	if (k->desc)
		sbuf_adds(&e->sql, " DESC");
	if (k->nulls == 'f')
		sbuf_adds(&e->sql, " NULLS FIRST");
	else if (k->nulls == 'l')
		sbuf_adds(&e->sql, " NULLS LAST");
}

void emit_index_definition(struct emitter *e, const struct sg_index *ix)
{
	if (ix->definition) {
		sbuf_adds(&e->sql, ix->only ? ix->definition
				 : emit_recursive_indexdef(e, ix->definition));
		return;
	}
	sbuf_adds(&e->sql, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
	if (!ix->obj.auto_name) {
		emit_frag_ident(e, ix->obj.name, ix->obj.loc);
		sbuf_addch(&e->sql, ' ');
	}
	sbuf_adds(&e->sql, ix->only ? "ON ONLY " : "ON ");
	emit_table_name(e, &ix->obj);
	if (ix->method)
		sbuf_addf(&e->sql, " USING %s", sg_qi(e->a, ix->method));
	sbuf_adds(&e->sql, " (");
	for (size_t i = 0; i < ix->nkeys; i++) {
		if (i)
			sbuf_adds(&e->sql, ", ");
		emit_index_key(e, &ix->keys[i]);
	}
	sbuf_addch(&e->sql, ')');
	if (ix->ninclude) {
		sbuf_adds(&e->sql, " INCLUDE ");
		emit_name_list(&e->sql, ix->include, ix->ninclude);
	}
	if (ix->nulls_not_distinct)
		sbuf_adds(&e->sql, " NULLS NOT DISTINCT");
	if (ix->nreloptions) {
		sbuf_adds(&e->sql, " WITH (");
		for (size_t i = 0; i < ix->nreloptions; i++) {
			const char *eq = strchr(ix->reloptions[i], '=');

			if (i)
				sbuf_adds(&e->sql, ", ");
			sg_quote_ident(&e->sql, eq ? sg_strndup(e->a, ix->reloptions[i],
						(size_t)(eq - ix->reloptions[i]))
						   : ix->reloptions[i]);
			sbuf_adds(&e->sql, " = ");
			sg_quote_literal(&e->sql, eq ? eq + 1 : "");
		}
		sbuf_addch(&e->sql, ')');
	}
	if (ix->where) {
		sbuf_adds(&e->sql, " WHERE ");
		emit_frag_text(e, ix->where, ix->where_loc);
	}
}

static void emit_index(struct emitter *e, const struct sg_change *c)
{
	if (emit_online_index(e, c))
		return;
	switch (c->op) {
	case SG_OP_CREATE:
		emit_index_definition(e, (const struct sg_index *)c->to);
		emit_finish(e, c->to, NULL);
		emit_comment_after_create(e, c->to);
		break;
	case SG_OP_DROP:
		sbuf_adds(&e->sql, "DROP INDEX ");
		sg_quote_qualified(&e->sql, c->from->schema, c->from->name);
		emit_finish(e, c->from, NULL);
		break;
	case SG_OP_ALTER:
		emit_index_alter(e, c);
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, c->to, c->to->comment);
		break;
	case SG_OP_RENAME:
		sbuf_adds(&e->sql, "ALTER INDEX ");
		sg_quote_qualified(&e->sql, c->from->schema, c->from->name);
		sbuf_addf(&e->sql, " RENAME TO %s", sg_qi(e->a, c->to->name));
		emit_finish(e, c->to, NULL);
		break;
	}
}

/* ---- tables ---- */

bool emit_absorbed(const struct sg_step *s, const struct sg_object *to)
{
	for (size_t i = 0; i < s->nabsorbed; i++)
		if (s->absorbed[i]->to == to)
			return true;
	return false;
}

static int con_rank(const struct sg_constraint *k)
{
	switch (k->type) {
	case 'p': return 0;
	case 'u': return 1;
	case 'c': return 2;
	default: return 3;
	}
}

static void emit_create_table(struct emitter *e, const struct sg_step *s)
{
	const struct sg_table *t = (const struct sg_table *)s->change->to;
	bool standalone = emit_standalone_partition(s);
	size_t open;
	int n = 0;

	emit_table_head(e, t, standalone);
	open = e->sql.len;
	sbuf_adds(&e->sql, " (");
	for (size_t i = 0; i < t->ncolumns; i++) {
		if (!emit_absorbed(s, &t->columns[i]->obj) ||
		    emit_table_column(e, t, t->columns[i], &n, standalone))
			continue;
		sbuf_adds(&e->sql, n++ ? ",\n    " : "\n    ");
		emit_column_definition(e, t->columns[i]);
	}
	/* primary key first, then unique, check, foreign keys; by name within;
	 * not those that come from a parent table */
	for (int rank = 0; rank < 4; rank++)
		for (size_t i = 0; i < t->nconstraints; i++) {
			const struct sg_constraint *k = t->constraints[i];

			if (con_rank(k) != rank || !emit_absorbed(s, &k->obj) ||
			    !emit_table_constraint(t, k, standalone))
				continue;
			sbuf_adds(&e->sql, n++ ? ",\n    " : "\n    ");
			emit_constraint_clause(e, k);
		}
	/* a partition says nothing more than its parent when it can */
	if (n == 0 && t->partition_of && !standalone)
		sbuf_setlen(&e->sql, open);
	else
		sbuf_adds(&e->sql, n ? "\n)" : ")");
	emit_table_tail(e, t, standalone);
	emit_finish(e, &t->obj, NULL);
	emit_table_created(e, s, standalone);
	emit_comment_after_create(e, &t->obj);
	emit_children_comments(e, s, t);
}

void emit_children_comments(struct emitter *e, const struct sg_step *s,
			    const struct sg_table *t)
{
	for (size_t i = 0; i < t->ncolumns; i++)
		if (emit_absorbed(s, &t->columns[i]->obj))
			emit_comment_after_create(e, &t->columns[i]->obj);
	for (size_t i = 0; i < t->nconstraints; i++)
		if (emit_absorbed(s, &t->constraints[i]->obj))
			emit_comment_after_create(e, &t->constraints[i]->obj);
}

void emit_table(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;

	switch (c->op) {
	case SG_OP_CREATE:
		emit_create_table(e, s);
		break;
	case SG_OP_DROP:
		emit_table_drop_detach(e, c);
		sbuf_adds(&e->sql, "DROP TABLE ");
		sg_quote_qualified(&e->sql, c->from->schema, c->from->name);
		emit_finish(e, c->from, sg_printf(e->a, "drops %s and the data in it",
					     emit_object_text(e, c->from)));
		break;
	case SG_OP_RENAME:
		sbuf_adds(&e->sql, "ALTER TABLE ");
		sg_quote_qualified(&e->sql, c->from->schema, c->from->name);
		sbuf_addf(&e->sql, " RENAME TO %s", sg_qi(e->a, c->to->name));
		emit_finish(e, c->to, NULL);
		break;
	case SG_OP_ALTER:
		emit_table_alter(e, c);
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, c->to, c->to->comment);
		break;
	}
}

static void step_schema(struct emitter *e, const struct sg_step *s)
{
	emit_schema(e, s->change);
}

static void step_enum(struct emitter *e, const struct sg_step *s)
{
	emit_enum(e, s->change);
}

static void step_sequence(struct emitter *e, const struct sg_step *s)
{
	emit_sequence(e, s->change);
}

static void step_column(struct emitter *e, const struct sg_step *s)
{
	emit_column(e, s->change);
}

static void step_constraint(struct emitter *e, const struct sg_step *s)
{
	emit_constraint(e, s->change);
}

static void step_index(struct emitter *e, const struct sg_step *s)
{
	emit_index(e, s->change);
}

/* ---- descriptions for check and diff ---- */

void emit_said(struct sbuf *out, int *n, const char *fmt, ...)
{
	va_list ap;

	sbuf_adds(out, (*n)++ ? ", " : ": ");
	va_start(ap, fmt);
	sbuf_vaddf(out, fmt, ap);
	va_end(ap);
}

static const char *or_none(const char *s)
{
	return s ? s : "none";
}

/* What changed in a column. */
static void describe_column(struct sbuf *out, const struct sg_change *c, int *np)
{
	int n = *np;

	const struct sg_column *f = (const struct sg_column *)c->from;
	const struct sg_column *t = (const struct sg_column *)c->to;

	if ((c->what & SG_CHG_TYPE) && !sg_streq(f->type, t->type))
		emit_said(out, &n, "type %s -> %s", f->type, t->type);
	if ((c->what & SG_CHG_TYPE) && !sg_streq(f->collation, t->collation))
		emit_said(out, &n, "collation %s -> %s", or_none(f->collation),
		     or_none(t->collation));
	if (c->what & SG_CHG_NOT_NULL)
		emit_said(out, &n, "%s", t->not_null ? "NOT NULL added" : "NOT NULL dropped");
	if (c->what & SG_CHG_DEFAULT)
		emit_said(out, &n, "default %s -> %s", or_none(f->default_expr),
		     or_none(t->default_expr));
	if (c->what & SG_CHG_IDENTITY)
		emit_said(out, &n, "identity %s -> %s",
		     f->identity == 'a' ? "always" : f->identity == 'd' ? "by default" : "none",
		     t->identity == 'a' ? "always" : t->identity == 'd' ? "by default" : "none");
	if (c->what & SG_CHG_IDENTITY_OPTS)
		emit_said(out, &n, "identity options");
	if ((c->what & SG_CHG_DEFINITION) && !sg_streq(f->generated, t->generated))
		emit_said(out, &n, "generation expression %s -> %s", or_none(f->generated),
		     or_none(t->generated));
	if ((c->what & SG_CHG_DEFINITION) && f->generated && t->generated &&
	    f->generated_virtual != t->generated_virtual)
		emit_said(out, &n, "generated %s -> %s",
			  f->generated_virtual ? "virtual" : "stored",
			  t->generated_virtual ? "virtual" : "stored");
	if (c->what & SG_CHG_OPTIONS)
		emit_said(out, &n, "options");    /* a foreign table's column */
	*np = n;
}

/* What changed in an object of the other kinds: the parts `what` names. */
static void describe_object(struct sbuf *out, const struct sg_change *c, int *np)
{
	int n = *np;

	emit_describe_type(out, c, &n);
	if (c->what & SG_CHG_SEQ_OPTS)
		emit_said(out, &n, "options");
	if (c->what & SG_CHG_OWNED_BY) {
		const struct sg_sequence *t = (const struct sg_sequence *)c->to;

		if (t->owned_table)
			emit_said(out, &n, "owned by %s.%s", t->owned_table, t->owned_column);
		else
			emit_said(out, &n, "no longer owned");
	}
	if (c->what & (SG_CHG_ENUM_VALUES | SG_CHG_ENUM_RENAME)) {
		const struct sg_enum *f = (const struct sg_enum *)c->from;
		const struct sg_enum *t = (const struct sg_enum *)c->to;
		struct sg_arena *a = sg_arena_new();
		const char **old_names, **new_names;
		size_t nr = sg_enum_renames(a, f, t, &old_names, &new_names);

		for (size_t i = 0; i < t->nvalues; i++)
			if (!enum_kept(f, t->values[i], old_names, new_names, nr))
				emit_said(out, &n, "value '%s' added", t->values[i]);
		for (size_t r = 0; r < nr; r++)
			emit_said(out, &n, "value '%s' renamed to '%s'", old_names[r],
			     new_names[r]);
		sg_arena_free(a);
	}
	if (c->what & SG_CHG_VALIDATE)
		emit_said(out, &n, "validated");
	if (c->what & SG_CHG_DEFINITION)
		emit_said(out, &n, "definition");
	if (c->what & SG_CHG_ENABLED) {
		const struct sg_trigger *t = (const struct sg_trigger *)c->to;

		emit_said(out, &n, "%s", t->enabled == 'D' ? "disabled"
		     : t->enabled == 'R' ? "enabled on replicas only"
		     : t->enabled == 'A' ? "enabled always" : "enabled");
	}
	if ((c->what & SG_CHG_OPTIONS) && !(c->what & SG_CHG_SEQ_OPTS))
		emit_said(out, &n, "options");
	emit_describe_partition(out, c, &n);
	*np = n;
}

/*
 * Per kind (pgquarrel's dump* functions): the emitter of its steps, what
 * emit_describe() says of its ALTER, and of its rebuild when it is rebuilt
 * as a type (NULL: an enum's words).  tests/unit/t-kinds.c checks every
 * kind has its row.
 */
static const struct emit_kind_ops {
	void (*emit)(struct emitter *, const struct sg_step *);
	void (*describe)(struct sbuf *, const struct sg_change *, int *);
	const char *rebuilt;
} emit_kinds[SG_KIND__COUNT] = {
	[SG_KIND_DEFAULT_ACL] = { emit_default_acl, emit_describe_default_acl, NULL },
	[SG_KIND_SCHEMA] = { step_schema, describe_object, NULL },
	[SG_KIND_EXTENSION] = { emit_extension, describe_object, NULL },
	[SG_KIND_COLLATION] = { emit_collation, describe_object,
				": definition changed (collation rebuilt)" },
	[SG_KIND_ENUM] = { step_enum, describe_object,
			   ": values removed or reordered (type rebuilt)" },
	[SG_KIND_DOMAIN] = { emit_domain, describe_object,
			     ": base type or collation changed (domain rebuilt)" },
	[SG_KIND_COMPOSITE] = { emit_composite, describe_object,
				": attributes changed (type rebuilt)" },
	[SG_KIND_SEQUENCE] = { step_sequence, describe_object, NULL },
	[SG_KIND_FUNCTION] = { emit_function, describe_object, NULL },
	[SG_KIND_FDW] = { emit_fdw, emit_describe_foreign, NULL },
	[SG_KIND_SERVER] = { emit_server, emit_describe_foreign, NULL },
	[SG_KIND_USER_MAPPING] = { emit_user_mapping, emit_describe_foreign, NULL },
	[SG_KIND_LANGUAGE] = { emit_language, describe_object, NULL },
	[SG_KIND_TS_PARSER] = { emit_ts, describe_object, NULL },
	[SG_KIND_TS_TEMPLATE] = { emit_ts, describe_object, NULL },
	[SG_KIND_TS_DICTIONARY] = { emit_ts, emit_describe_ts, NULL },
	[SG_KIND_TS_CONFIG] = { emit_ts, emit_describe_ts, NULL },
	[SG_KIND_AGGREGATE] = { emit_aggregate, describe_object, NULL },
	[SG_KIND_OPERATOR] = { emit_operator, emit_describe_operator, NULL },
	[SG_KIND_OPFAMILY] = { emit_opfamily, describe_object, NULL },
	[SG_KIND_OPCLASS] = { emit_opclass, describe_object, NULL },
	[SG_KIND_FOREIGN_TABLE] = { emit_foreign_table, emit_describe_foreign_table, NULL },
	[SG_KIND_TABLE] = { emit_table, describe_object, NULL },
	[SG_KIND_COLUMN] = { step_column, describe_column, NULL },
	[SG_KIND_CONSTRAINT] = { step_constraint, describe_object, NULL },
	[SG_KIND_INDEX] = { step_index, describe_object, NULL },
	[SG_KIND_VIEW] = { emit_view, describe_object, NULL },
	[SG_KIND_TRIGGER] = { emit_trigger, describe_object, NULL },
	[SG_KIND_POLICY] = { emit_policy, describe_object, NULL },
	[SG_KIND_STATISTICS] = { emit_statistics, emit_describe_statistics, NULL },
	[SG_KIND_RULE] = { emit_rule, emit_describe_statistics, NULL },
	[SG_KIND_CAST] = { emit_cast, describe_object, NULL },
	[SG_KIND_EVENT_TRIGGER] = { emit_event_trigger,
				    emit_describe_event_trigger, NULL },
	[SG_KIND_PUBLICATION] = { emit_publication, emit_describe_publication, NULL },
};

bool emit_kind_supported(enum sg_kind kind)
{
	return (unsigned)kind < SG_KIND__COUNT && emit_kinds[kind].emit &&
	       emit_kinds[kind].describe &&
	       (!sg_kind(kind)->rebuilt_as_type || emit_kinds[kind].rebuilt);
}

void emit_plan(struct sg_arena *a, const struct sg_plan *plan,
	       struct sg_script *script)
{
	emit_plan_online(a, plan, script, false);
}

void emit_plan_online(struct sg_arena *a, const struct sg_plan *plan,
		      struct sg_script *script, bool online)
{
	struct emitter e = { .a = a, .script = script, .sql = SBUF_INIT,
			     .online = online, .to = plan->to };

	for (size_t i = 0; online && i < plan->n; i++) {
		const struct sg_change *c = plan->steps[i]->change;

		if (c->kind == SG_KIND_TABLE && c->op == SG_OP_CREATE)
			SG_VEC_PUSH(a, &e.new_tables, c->to);
	}

	for (size_t i = 0; i < plan->n; i++) {
		const struct sg_step *s = plan->steps[i];
		enum sg_kind k = s->change->kind;

		emit_implied_before(&e, s);
		/* a change PostgreSQL makes by itself has no statement */
		if (!(s->change->what & SG_CHG_IMPLIED) || s->change->op == SG_OP_RENAME)
			emit_kinds[k].emit(&e, s);
		else
			emit_implied_alone(&e, s);
		/* privileges and row-level security, whatever the kind */
		emit_security_alter(&e, s->change);
		emit_implied_after(&e, s);
	}
	emit_functions_recheck(&e);
	sbuf_release(&e.sql);
	sg_script_hazards(a, script);
}

void emit_describe(struct sbuf *out, const struct sg_change *c)
{
	int n = 0;

	switch (c->op) {
	case SG_OP_CREATE:
		if (c->what & (SG_CHG_REBUILD | SG_CHG_DEFINITION))
			return;   /* described by its DROP */
		sbuf_adds(out, "+ ");
		sg_object_describe(out, c->to);
		return;
	case SG_OP_DROP:
		if (c->what & SG_CHG_REBUILD) {
			sbuf_adds(out, "~ ");
			sg_object_describe(out, c->from);
			sbuf_adds(out, emit_kinds[c->kind].rebuilt
				       ? emit_kinds[c->kind].rebuilt
				       : ": values removed or reordered (type rebuilt)");
			return;
		}
		if (c->what & SG_CHG_DEFINITION) {
			/* dropped and created again: a change of definition */
			sbuf_adds(out, "~ ");
			sg_object_describe(out, c->from);
			sbuf_adds(out, ": definition (re-created)");
			return;
		}
		sbuf_adds(out, "- ");
		sg_object_describe(out, c->from);
		return;
	case SG_OP_RENAME:
		sbuf_adds(out, "~ ");
		sg_object_describe(out, c->from);
		if (c->kind == SG_KIND_EXTENSION) {
			sbuf_adds(out, " moved to schema ");
			sg_quote_ident(out, c->to->schema);
			return;
		}
		sbuf_adds(out, " renamed to ");
		sg_quote_ident(out, c->to->name);
		return;
	case SG_OP_ALTER:
		break;
	}
	sbuf_adds(out, "~ ");
	sg_object_describe(out, c->to);
	emit_kinds[c->kind].describe(out, c, &n);
	emit_describe_security(out, &n, c);
	if (c->what & SG_CHG_COMMENT)
		emit_said(out, &n, "comment");
}
