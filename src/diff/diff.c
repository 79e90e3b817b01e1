// SPDX-License-Identifier: MIT
/*
 * diff.c - what differs between two catalogs.
 *
 * Top-level kinds are merge-walked over their sorted per-kind arrays
 * (pgquarrel's quarrelTables); the children of a table pair (columns,
 * constraints, indexes) are walked within the pair, so that the children of a
 * renamed table still match.  Renames are never guessed: only objects that
 * declare renamed_from pair up with an object of the old name, and only when
 * neither name is taken on the other side.
 *
 * Both catalogs hold server-produced text (format_type, pg_get_expr,
 * pg_get_constraintdef, pg_get_indexdef), so equality of that text is
 * equality of the objects; no text heuristics are needed.  Where a declared
 * rename changes the text PostgreSQL would keep up to date by itself (an
 * index on a renamed column), the structured fields are compared through the
 * rename instead, so a rename never rebuilds an index.
 *
 * Supported: schemas, extensions, collations, enums (create, drop, add
 * values at any position, rename values, rebuild when values are removed or
 * reordered), domains, composite types (types.c), sequences, tables,
 * columns (generated ones too), primary key / unique / foreign key / check /
 * exclusion constraints, indexes, functions and procedures, triggers
 * (function.c), views and materialized views (view.c), partitioning,
 * inheritance, persistence, storage parameters and replica identity
 * (partition.c), comments on all of them; row-level security, policies
 * and privileges (security.c).
 *
 * A generated column whose expression changes, or a column that becomes
 * generated, is dropped and added again (its values are computed, nothing
 * is lost but the column's position); on PostgreSQL 17, where ALTER COLUMN
 * SET EXPRESSION exists (on both sides, and in the grammar of the parser
 * that reads migrations back), a changed expression is an alteration
 * (SG_CHG_DEFINITION).  A generated column that becomes an ordinary one
 * keeps its values (DROP EXPRESSION, SG_CHG_DEFINITION too).
 */
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/diff.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "schemagen/scan.h"
#include "schemagen/sql.h"
#include "schemagen/util.h"

#include "diff-priv.h"


struct sg_change *diff_add(struct differ *df, enum sg_op op,
			     const struct sg_object *from,
			     const struct sg_object *to, sg_chg what)
{
	struct sg_change *c = sg_alloc(df->a, sizeof(*c));

	c->op = op;
	c->kind = (from ? from : to)->kind;
	c->from = from;
	c->to = to;
	c->what = what;
	c->id = (int)df->out->n;
	SG_VEC_PUSH(df->a, df->out, c);
	return c;
}

/* ---- renames ---- */

/* The to-side table a from-side table becomes (itself by name otherwise). */
const struct sg_table *diff_renamed_table(const struct differ *df,
					    const struct sg_table *ft)
{
	for (size_t i = 0; i < df->rn_from.n; i++)
		if (df->rn_from.v[i] == ft)
			return df->rn_to.v[i];
	return NULL;
}

bool diff_is_renamed(const struct differ *df, const struct sg_object *o,
		       bool from_side)
{
	for (size_t i = 0; i < df->rn_from.n; i++)
		if ((from_side ? &df->rn_from.v[i]->obj : &df->rn_to.v[i]->obj) == o)
			return true;
	for (size_t i = 0; i < df->orn_from.n; i++)
		if ((from_side ? df->orn_from.v[i] : df->orn_to.v[i]) == o)
			return true;
	return false;
}

static bool ident_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (ch >= '0' && ch <= '9') || ch == '_' || ch == '$' || ch == '"' ||
	       (unsigned char)ch >= 0x80;
}

/*
 * Replaces in *text each `pat` that starts a name token (sg_sql_token(): not
 * inside a string, a quoted name, a dollar quote or a comment) after a
 * character that cannot end an identifier or a qualification (so not a
 * letter, a quote or a dot) and is followed by `next` (a character class:
 * pat then one of next, or, when next is NULL, a character that cannot
 * continue an identifier).
 */
static void replace_names(struct differ *df, const char **text, const char *pat,
			  const char *rep, const char *next)
{
	struct sbuf out = SBUF_INIT;
	const char *s = *text;
	size_t len = strlen(s), n = strlen(pat), i = 0, done = 0;
	bool changed = false;

	while (i < len) {
		struct sg_token t;
		size_t nx = sg_sql_token(s, len, i, &t);

		if ((t.kind == SG_TOK_IDENT || t.kind == SG_TOK_QIDENT) &&
		    strncmp(s + i, pat, n) == 0) {
			char after = s[i + n];

			if ((i == 0 || (!ident_char(s[i - 1]) && s[i - 1] != '.')) &&
			    (next ? after && strchr(next, after) != NULL
				  : !ident_char(after))) {
				sbuf_add(&out, s + done, i - done);
				sbuf_adds(&out, rep);
				done = i = i + n;
				changed = true;
				continue;
			}
		}
		i = nx;
	}
	sbuf_adds(&out, s + done);
	if (changed)
		*text = sbuf_to_arena(&out, df->a);
	sbuf_release(&out);
}

static const char *base_name(const struct sg_object *o);

const char *diff_renamed_text(struct differ *df, const char *text,
			      const struct sg_object *self)
{
	if (!text)
		return text;
	for (size_t i = 0; i < df->orn_from.n; i++) {
		const struct sg_object *f = df->orn_from.v[i], *t = df->orn_to.v[i];
		const char *fname = f->name, *tname = t->name;
		struct sbuf a = SBUF_INIT, b = SBUF_INIT;

		bool routine = f->kind == SG_KIND_FUNCTION || f->kind == SG_KIND_AGGREGATE;

		if (self && routine && f != self)
			continue;

		if (routine) {
			fname = base_name(f);
			tname = base_name(t);
		}
		sg_quote_qualified(&a, f->schema, fname);
		sg_quote_qualified(&b, t->schema, tname);
		replace_names(df, &text, a.buf, b.buf, routine ? "(" : NULL);
		if (f->kind == SG_KIND_VIEW) {
			sbuf_reset(&a);
			sbuf_reset(&b);
			sg_quote_ident(&a, fname);
			sg_quote_ident(&b, tname);
			replace_names(df, &text, a.buf, b.buf, ".");
		}
		sbuf_release(&a);
		sbuf_release(&b);
	}
	return text;
}

/*
 * Objects of `side_new` that declare renamed_from pair with the object of the
 * old name in `side_old` when the old name is free in side_new and the new
 * name is free in side_old.  Works for both directions: upgrade pairs a
 * desired object with renamed_from against the live one, downgrade the other
 * way round.
 */
static void find_table_renames(struct differ *df)
{
	const struct sg_catalog *sides[2] = { df->to, df->from };

	for (int dir = 0; dir < 2; dir++) {
		const struct sg_catalog *decl = sides[dir], *other = sides[1 - dir];

		for (size_t i = 0; i < decl->nbykind[SG_KIND_TABLE]; i++) {
			const struct sg_table *t = (const struct sg_table *)
				decl->bykind[SG_KIND_TABLE][i];
			const struct sg_table *old;

			if (!t->obj.renamed_from)
				continue;
			old = sg_catalog_table(other, t->obj.schema, t->obj.renamed_from);
			if (!old || sg_catalog_table(decl, t->obj.schema, t->obj.renamed_from) ||
			    sg_catalog_table(other, t->obj.schema, t->obj.name))
				continue;
			if (dir == 0) {
				SG_VEC_PUSH(df->a, &df->rn_from, old);
				SG_VEC_PUSH(df->a, &df->rn_to, t);
			} else {
				SG_VEC_PUSH(df->a, &df->rn_from, t);
				SG_VEC_PUSH(df->a, &df->rn_to, old);
			}
		}
	}
}

/*
 * Declared renames of views, materialized views, functions and procedures,
 * both ways as for tables.  The old object must be of the same sort (a view
 * is not renamed from a materialized view, a function not from a
 * procedure), and a routine's old identity is the old name with the
 * routine's own argument types: each overload is renamed on its own.
 */
/* A routine's or aggregate's name without its argument types. */
static const char *base_name(const struct sg_object *o)
{
	if (o->kind == SG_KIND_AGGREGATE)
		return ((const struct sg_aggregate *)o)->aggname;
	if (o->kind == SG_KIND_FUNCTION)
		return ((const struct sg_function *)o)->proname;
	return o->name;
}

static const char *old_identity(struct differ *df, const struct sg_object *o)
{
	if (o->kind != SG_KIND_FUNCTION && o->kind != SG_KIND_AGGREGATE)
		return o->renamed_from;
	return sg_printf(df->a, "%s%s", o->renamed_from,
			 o->name + strlen(base_name(o)));
}

/* Of the kinds that share one namespace, a rename stays within its sort. */
static bool same_sort(const struct sg_object *a, const struct sg_object *b)
{
	switch (a->kind) {
	case SG_KIND_VIEW:
		return ((const struct sg_view *)a)->relkind ==
		       ((const struct sg_view *)b)->relkind;
	case SG_KIND_AGGREGATE:
		return ((const struct sg_aggregate *)a)->aggkind ==
		       ((const struct sg_aggregate *)b)->aggkind;
	case SG_KIND_FUNCTION:
		return ((const struct sg_function *)a)->prokind ==
		       ((const struct sg_function *)b)->prokind &&
		       ((const struct sg_function *)a)->window ==
		       ((const struct sg_function *)b)->window;
	default:
		return true;
	}
}

/*
 * The user mappings of a renamed server follow it (ALTER SERVER ... RENAME
 * TO renames them with it): a mapping of a role for the old server pairs
 * with the mapping of the role for the new name.
 */
static void pair_renamed_server_mappings(struct differ *df)
{
	size_t n = df->orn_from.n;

	for (size_t i = 0; i < n; i++) {
		const struct sg_object *fs = df->orn_from.v[i], *ts = df->orn_to.v[i];

		if (fs->kind != SG_KIND_SERVER)
			continue;
		for (size_t k = 0; k < df->from->nbykind[SG_KIND_USER_MAPPING]; k++) {
			const struct sg_user_mapping *fm = (const struct sg_user_mapping *)
				df->from->bykind[SG_KIND_USER_MAPPING][k];
			const struct sg_object *tm;

			if (strcmp(fm->server, fs->name) != 0)
				continue;
			tm = sg_catalog_find(df->to, SG_KIND_USER_MAPPING,
					     SG_GLOBAL_SCHEMA, NULL,
					     sg_user_mapping_name(df->a, fm->role,
								  ts->name));
			if (!tm || sg_catalog_find(df->to, SG_KIND_USER_MAPPING,
						   SG_GLOBAL_SCHEMA, NULL, fm->obj.name) ||
			    sg_catalog_find(df->from, SG_KIND_USER_MAPPING,
					    SG_GLOBAL_SCHEMA, NULL, tm->name))
				continue;
			SG_VEC_PUSH(df->a, &df->orn_from, &fm->obj);
			SG_VEC_PUSH(df->a, &df->orn_to, tm);
		}
	}
}

/* The name a from-side object of kind `kind` named `name` has in `to`. */
const char *diff_new_name(const struct differ *df, enum sg_kind kind,
			  const char *name)
{
	for (size_t i = 0; name && i < df->orn_from.n; i++)
		if (df->orn_from.v[i]->kind == kind &&
		    strcmp(df->orn_from.v[i]->name, name) == 0)
			return df->orn_to.v[i]->name;
	return name;
}

static const struct diff_kind_ops kind_ops[SG_KIND__COUNT];

/* The declared renames of every kind with a `renamed` op (kind order). */
static void find_object_renames(struct differ *df)
{
	const struct sg_catalog *sides[2] = { df->to, df->from };

	for (int dir = 0; dir < 2; dir++) {
		const struct sg_catalog *decl = sides[dir], *other = sides[1 - dir];

		for (int k = 0; k < SG_KIND__COUNT; k++) {
			enum sg_kind kind = (enum sg_kind)k;

			if (!kind_ops[k].renamed)
				continue;
			for (size_t i = 0; i < decl->nbykind[kind]; i++) {
				const struct sg_object *t = decl->bykind[kind][i];
				const struct sg_object *old;
				const char *ident;

				if (!t->renamed_from)
					continue;
				ident = old_identity(df, t);
				old = sg_catalog_find(other, kind, t->schema, NULL, ident);
				if (!old || !same_sort(old, t) ||
				    sg_catalog_find(decl, kind, t->schema, NULL, ident) ||
				    sg_catalog_find(other, kind, t->schema, NULL, t->name) ||
				    diff_is_renamed(df, old, dir == 0))
					continue;
				SG_VEC_PUSH(df->a, &df->orn_from, dir == 0 ? old : t);
				SG_VEC_PUSH(df->a, &df->orn_to, dir == 0 ? t : old);
			}
		}
	}
	pair_renamed_server_mappings(df);
}

/* A declared rename with nothing in the way: RENAME TO, then the rest. */
static void diff_renamed_pair(struct differ *df, const struct sg_object *f,
			      const struct sg_object *t)
{
	diff_add(df, SG_OP_RENAME, f, t, 0);
	kind_ops[f->kind].pair(df, f, t);
}

/* Column of the to-table that a from-table's column becomes. */
struct colmap {
	const struct sg_table *ft, *tt;
	SG_VEC(const struct sg_column *) cf;
	SG_VEC(const struct sg_column *) ct;
};

static void find_column_renames(struct differ *df, struct colmap *m)
{
	const struct sg_table *sides[2] = { m->tt, m->ft };

	for (int dir = 0; dir < 2; dir++) {
		const struct sg_table *decl = sides[dir], *other = sides[1 - dir];

		for (size_t i = 0; i < decl->ncolumns; i++) {
			const struct sg_column *c = decl->columns[i], *old;

			if (!c->obj.renamed_from)
				continue;
			old = sg_table_column(other, c->obj.renamed_from);
			if (!old || sg_table_column(decl, c->obj.renamed_from) ||
			    sg_table_column(other, c->obj.name))
				continue;
			SG_VEC_PUSH(df->a, &m->cf, dir == 0 ? old : c);
			SG_VEC_PUSH(df->a, &m->ct, dir == 0 ? c : old);
		}
	}
}

static const char *map_column(const struct colmap *m, const char *from_name)
{
	for (size_t i = 0; i < m->cf.n; i++)
		if (strcmp(m->cf.v[i]->obj.name, from_name) == 0)
			return m->ct.v[i]->obj.name;
	return from_name;
}

static bool has_renames(const struct colmap *m)
{
	return m->cf.n > 0 || strcmp(m->ft->obj.name, m->tt->obj.name) != 0;
}

/* ---- comparisons ---- */

bool diff_seqopts_equal(const struct sg_seqopts *a, const struct sg_seqopts *b,
			  bool with_type)
{
	return (!with_type || sg_streq(a->type, b->type)) && a->start == b->start &&
	       a->increment == b->increment && a->min == b->min &&
	       a->max == b->max && a->cache == b->cache && a->cycle == b->cycle;
}

/*
 * Is a column type (an array of) an enum of the catalog, or a domain over
 * one?  PostgreSQL has no cast between two enums: a column moving from one
 * such type to another is converted through text (SG_CHG_RECAST).
 */
static bool enum_like(const struct differ *df, const struct sg_catalog *cat,
		      const char *type, int depth)
{
	size_t n;
	char *elem;

	if (!type || depth > 8)
		return false;
	n = strlen(type);
	while (n > 2 && strncmp(type + n - 2, "[]", 2) == 0)
		n -= 2;
	elem = sg_strndup(df->a, type, n);
	for (size_t i = 0; i < cat->nbykind[SG_KIND_ENUM]; i++) {
		const struct sg_object *o = cat->bykind[SG_KIND_ENUM][i];

		if (strcmp(elem, sg_qq(df->a, o->schema, o->name)) == 0)
			return true;
	}
	for (size_t i = 0; i < cat->nbykind[SG_KIND_DOMAIN]; i++) {
		const struct sg_domain *d =
			(const struct sg_domain *)cat->bykind[SG_KIND_DOMAIN][i];

		if (strcmp(elem, sg_qq(df->a, d->obj.schema, d->obj.name)) == 0)
			return enum_like(df, cat, d->base_type, depth + 1);
	}
	return false;
}

static sg_chg compare_column(const struct differ *df, const struct sg_column *f,
			       const struct sg_column *t)
{
	sg_chg what = 0;

	if ((!sg_streq(f->type, t->type) &&
	     !diff_same_type_moved(df, f->type, t->type)) ||
	    !sg_streq(f->collation, t->collation))
		what |= SG_CHG_TYPE;
	if ((what & SG_CHG_TYPE) && !sg_streq(f->type, t->type) &&
	    enum_like(df, df->from, f->type, 0) && enum_like(df, df->to, t->type, 0))
		what |= SG_CHG_RECAST;
	if (f->not_null != t->not_null)
		what |= SG_CHG_NOT_NULL;
	if (!sg_streq(f->default_expr, t->default_expr) &&
	    !sg_sql_same(SG_FRAG_EXPR, f->default_expr, t->default_expr))
		what |= SG_CHG_DEFAULT;
	if (!sg_streq(f->generated, t->generated) ||
	    f->generated_virtual != t->generated_virtual)
		what |= SG_CHG_DEFINITION;
	if (f->identity != t->identity)
		what |= SG_CHG_IDENTITY;
	else if (f->identity &&
		 !diff_seqopts_equal(&f->identity_opts, &t->identity_opts, false))
		what |= SG_CHG_IDENTITY_OPTS;
	/* a foreign table's column */
	if (!sg_options_equal(f->options, f->noptions, t->options, t->noptions))
		what |= SG_CHG_OPTIONS;
	if (!sg_streq(f->obj.comment, t->obj.comment))
		what |= SG_CHG_COMMENT;
	what |= diff_grants(&f->obj, &t->obj);
	return what;
}

static bool names_equal_mapped(const struct colmap *m, const char **fa,
			       size_t fn, const char **ta, size_t tn)
{
	if (fn != tn)
		return false;
	for (size_t i = 0; i < fn; i++)
		if (strcmp(map_column(m, fa[i]), ta[i]) != 0)
			return false;
	return true;
}

/*
 * Two definitions the server wrote (after `prefix`, to make a statement)
 * that differ in text but not in meaning: the server's deparser is not
 * always a fixed point (see sg_sql_same), so what it wrote for a live
 * object may come back different once created again from that text.
 */
static bool statement_same(struct sg_arena *a, const char *prefix,
			   const char *x, const char *y)
{
	if (!x || !y)
		return false;
	return sg_sql_same(SG_FRAG_QUERY, sg_printf(a, "%s%s", prefix, x),
			   sg_printf(a, "%s%s", prefix, y));
}

/*
 * Same constraint?  The server's definition text decides; when renames are
 * in play the structured fields are compared through the renames instead
 * (checks keep comparing text: an expression is not rewritten by us).
 */
/*
 * The column map of the table an FK references, through declared renames
 * (the referenced table may be renamed, or have renamed columns, while the
 * referencing one has neither).
 */
static bool ref_colmap(struct differ *df, const struct sg_constraint *f,
		       struct colmap *rm)
{
	const struct sg_table *fref = sg_catalog_table(df->from, f->ref_schema,
						       f->ref_table);
	const struct sg_table *tref;

	if (!fref)
		return false;
	tref = diff_renamed_table(df, fref);
	if (!tref)
		tref = sg_catalog_table(df->to, fref->obj.schema, fref->obj.name);
	if (!tref)
		return false;
	memset(rm, 0, sizeof(*rm));
	rm->ft = fref;
	rm->tt = tref;
	find_column_renames(df, rm);
	return true;
}

/*
 * Same constraint?  The server's definition text decides; when renames are
 * in play (of this table, its columns, or the table an FK references) the
 * structured fields are compared through the renames instead: PostgreSQL
 * keeps such constraints up to date by itself, so a rename must not
 * rebuild them.  Checks keep comparing text: we do not rewrite expressions.
 */
static bool constraint_same(struct differ *df, const struct colmap *m,
			    const struct sg_constraint *f,
			    const struct sg_constraint *t)
{
	struct colmap rm;
	bool have_rm;

	if (f->type != t->type)
		return false;
	/* a key made for a partitioned table only is made again so */
	if (t->only && !f->only)
		return false;
	if (sg_streq(f->definition, t->definition) ||
	    statement_same(df->a, "ALTER TABLE x ADD ", f->definition, t->definition))
		return true;
	if (f->type == 'c' || f->type == 'x')
		return false;
	have_rm = f->type == 'f' && ref_colmap(df, f, &rm);
	if (!has_renames(m) && !(have_rm && has_renames(&rm)))
		return false;
	if (!names_equal_mapped(m, f->columns, f->ncolumns, t->columns, t->ncolumns) ||
	    !names_equal_mapped(m, f->include, f->ninclude, t->include, t->ninclude) ||
	    f->nulls_not_distinct != t->nulls_not_distinct ||
	    f->deferrable != t->deferrable || f->deferred != t->deferred ||
	    f->not_valid != t->not_valid)
		return false;
	if (f->type == 'f') {
		if (!have_rm || !sg_streq(rm.tt->obj.schema, t->ref_schema) ||
		    !sg_streq(rm.tt->obj.name, t->ref_table) ||
		    f->on_delete != t->on_delete || f->on_update != t->on_update ||
		    f->match != t->match ||
		    !names_equal_mapped(&rm, f->ref_columns, f->nref_columns,
					t->ref_columns, t->nref_columns))
			return false;
	}
	return true;
}

static bool index_same(struct differ *df, const struct colmap *m,
		       const struct sg_index *f, const struct sg_index *t)
{
	/* an index made for a partitioned table only is made again so */
	if (t->only && !f->only)
		return false;
	if (sg_streq(f->definition, t->definition) ||
	    statement_same(df->a, "", f->definition, t->definition))
		return true;
	if (!has_renames(m))
		return false;
	if (f->unique != t->unique || f->nulls_not_distinct != t->nulls_not_distinct ||
	    !sg_streq(f->method, t->method) || !sg_streq(f->where, t->where) ||
	    f->nkeys != t->nkeys ||
	    !names_equal_mapped(m, f->include, f->ninclude, t->include, t->ninclude))
		return false;
	for (size_t i = 0; i < f->nkeys; i++) {
		const struct sg_index_key *a = &f->keys[i], *b = &t->keys[i];

		if (!sg_streq(a->expression, b->expression) ||
		    !sg_streq(a->collation, b->collation) ||
		    !sg_streq(a->opclass, b->opclass) || a->desc != b->desc ||
		    a->nulls != b->nulls)
			return false;
		if ((a->column == NULL) != (b->column == NULL))
			return false;
		if (a->column && strcmp(map_column(m, a->column), b->column) != 0)
			return false;
	}
	return true;
}

/* ---- children of a table pair ---- */

/*
 * Must a column be dropped and added again for its generation expression?
 * When it becomes generated, and when the expression changes before
 * PostgreSQL 17 (no SET EXPRESSION).  A generated column that becomes an
 * ordinary one keeps its values with DROP EXPRESSION.
 */
static bool readd_generated(const struct differ *df, const struct sg_column *f,
			    const struct sg_column *t)
{
	if (!t->generated)
		return false;
	/* stored <-> virtual (18): no ALTER changes the kind */
	if (f->generated && f->generated_virtual != t->generated_virtual)
		return true;
	if (sg_streq(f->generated, t->generated))
		return false;
	if (!f->generated)
		return true;
	return df->from->server_version < 170000 || df->to->server_version < 170000 ||
	       sg_sql_parser_version() < 170000;
}

static void diff_columns(struct differ *df, struct colmap *m)
{
	const struct sg_table *ft = m->ft, *tt = m->tt;

	/* renamed pairs first */
	for (size_t i = 0; i < m->cf.n; i++) {
		sg_chg what = compare_column(df, m->cf.v[i], m->ct.v[i]);

		/* a generated column re-added needs no rename */
		if (readd_generated(df, m->cf.v[i], m->ct.v[i])) {
			diff_add(df, SG_OP_DROP, &m->cf.v[i]->obj, NULL, 0);
			diff_add(df, SG_OP_CREATE, NULL, &m->ct.v[i]->obj, 0);
			continue;
		}

		diff_add(df, SG_OP_RENAME, &m->cf.v[i]->obj, &m->ct.v[i]->obj, 0);
		if (what)
			diff_add(df, SG_OP_ALTER, &m->cf.v[i]->obj, &m->ct.v[i]->obj, what);
	}
	/* dropped: in from, not matched (by name or rename) */
	for (size_t i = 0; i < ft->ncolumns; i++) {
		const struct sg_column *c = ft->columns[i];
		bool renamed = false;

		for (size_t k = 0; k < m->cf.n; k++)
			renamed = renamed || m->cf.v[k] == c;
		if (renamed)
			continue;
		if (!sg_table_column(tt, c->obj.name))
			diff_add(df, SG_OP_DROP, &c->obj, NULL, 0);
	}
	/* altered and added, in the to-table's column order */
	for (size_t i = 0; i < tt->ncolumns; i++) {
		const struct sg_column *c = tt->columns[i], *fc;
		bool renamed = false;
		sg_chg what;

		for (size_t k = 0; k < m->ct.n; k++)
			renamed = renamed || m->ct.v[k] == c;
		if (renamed)
			continue;
		fc = sg_table_column(ft, c->obj.name);
		if (!fc) {
			diff_add(df, SG_OP_CREATE, NULL, &c->obj, 0);
			continue;
		}
		if (readd_generated(df, fc, c)) {
			diff_add(df, SG_OP_DROP, &fc->obj, NULL, 0);
			diff_add(df, SG_OP_CREATE, NULL, &c->obj, 0);
			continue;
		}
		what = compare_column(df, fc, c);
		if (what)
			diff_add(df, SG_OP_ALTER, &fc->obj, &c->obj, what);
	}
}

/*
 * Walks two name-sorted lists of children.  In a table with declared
 * renames, a child that lost its name match but is structurally the one
 * on the other side is renamed, not rebuilt: PostgreSQL names a primary key
 * or an index after its table, so renaming the table leaves "clients_pkey"
 * where the models now say "customers_pkey".  Pairs are looked for only
 * there: nothing is guessed in tables without a declared rename.
 */
void diff_children(struct differ *df, struct colmap *m,
		   const struct sg_object *const *fv, size_t fn,
		   const struct sg_object *const *tv, size_t tn,
		   const struct child_ops *ops)
{
	SG_VEC(const struct sg_object *) gone = { 0 };
	SG_VEC(const struct sg_object *) added = { 0 };
	size_t i = 0, j = 0;

	while (i < fn || j < tn) {
		const struct sg_object *f = i < fn ? fv[i] : NULL;
		const struct sg_object *t = j < tn ? tv[j] : NULL;
		int c = !f ? 1 : !t ? -1 : strcmp(f->name, t->name);

		if (c < 0) {
			SG_VEC_PUSH(df->a, &gone, f);
			i++;
		} else if (c > 0) {
			SG_VEC_PUSH(df->a, &added, t);
			j++;
		} else {
			ops->pair(df, m, f, t);
			i++;
			j++;
		}
	}
	for (size_t a = 0; a < added.n && ops->same && has_renames(m); a++)
		for (size_t g = 0; g < gone.n; g++) {
			const struct sg_object *f = gone.v[g], *t = added.v[a];

			if (!f || !ops->same(df, m, f, t))
				continue;
			diff_add(df, SG_OP_RENAME, f, t, 0);
			if (!sg_streq(f->comment, t->comment))
				diff_add(df, SG_OP_ALTER, f, t, SG_CHG_COMMENT);
			gone.v[g] = NULL;
			added.v[a] = NULL;
			break;
		}
	for (size_t g = 0; g < gone.n; g++)
		if (gone.v[g])
			diff_add(df, SG_OP_DROP, gone.v[g], NULL, 0);
	for (size_t a = 0; a < added.n; a++)
		if (added.v[a])
			diff_add(df, SG_OP_CREATE, NULL, added.v[a], 0);
}

const struct sg_object *const *diff_child_objs(struct sg_arena *a,
					       const void *const *v, size_t n,
					       size_t off)
{
	const struct sg_object **o = sg_alloc_array(a, n + 1, sizeof(*o));

	for (size_t i = 0; i < n; i++)
		o[i] = (const struct sg_object *)((const char *)v[i] + off);
	return o;
}

static void constraint_pair(struct differ *df, struct colmap *m,
			    const struct sg_object *fo, const struct sg_object *to)
{
	const struct sg_constraint *f = (const void *)fo, *t = (const void *)to;

	if (sg_only_validated(f->definition, f->not_valid, t->definition, t->not_valid)) {
		sg_chg what = SG_CHG_VALIDATE;

		if (!sg_streq(fo->comment, to->comment))
			what |= SG_CHG_COMMENT;
		diff_add(df, SG_OP_ALTER, fo, to, what);
	} else if (!constraint_same(df, m, f, t)) {
		diff_add(df, SG_OP_DROP, fo, NULL, 0);
		diff_add(df, SG_OP_CREATE, NULL, to, 0);
	} else if (!sg_streq(fo->comment, to->comment)) {
		diff_add(df, SG_OP_ALTER, fo, to, SG_CHG_COMMENT);
	}
}

static bool constraint_renamed(struct differ *df, struct colmap *m,
			       const struct sg_object *f, const struct sg_object *t)
{
	return constraint_same(df, m, (const void *)f, (const void *)t);
}

static void diff_constraints(struct differ *df, struct colmap *m)
{
	static const struct child_ops ops = { constraint_pair, constraint_renamed };

	diff_children(df, m,
		      DIFF_CHILD_OBJS(df->a, m->ft->constraints, m->ft->nconstraints),
		      m->ft->nconstraints,
		      DIFF_CHILD_OBJS(df->a, m->tt->constraints, m->tt->nconstraints),
		      m->tt->nconstraints, &ops);
}

static void index_pair(struct differ *df, struct colmap *m,
		       const struct sg_object *fo, const struct sg_object *to)
{
	const struct sg_index *f = (const void *)fo, *t = (const void *)to;

	if (diff_index_options_only(df, f, t)) {
		sg_chg what = SG_CHG_OPTIONS;

		if (!sg_streq(fo->comment, to->comment))
			what |= SG_CHG_COMMENT;
		diff_add(df, SG_OP_ALTER, fo, to, what);
	} else if (!index_same(df, m, f, t)) {
		diff_add(df, SG_OP_DROP, fo, NULL, 0);
		diff_add(df, SG_OP_CREATE, NULL, to, 0);
	} else if (!sg_streq(fo->comment, to->comment)) {
		diff_add(df, SG_OP_ALTER, fo, to, SG_CHG_COMMENT);
	}
}

static bool index_renamed(struct differ *df, struct colmap *m,
			  const struct sg_object *f, const struct sg_object *t)
{
	return index_same(df, m, (const void *)f, (const void *)t);
}

static void diff_indexes(struct differ *df, struct colmap *m)
{
	static const struct child_ops ops = { index_pair, index_renamed };

	diff_children(df, m, DIFF_CHILD_OBJS(df->a, m->ft->indexes, m->ft->nindexes),
		      m->ft->nindexes,
		      DIFF_CHILD_OBJS(df->a, m->tt->indexes, m->tt->nindexes),
		      m->tt->nindexes, &ops);
}

static void diff_triggers_of(struct differ *df, struct colmap *m)
{
	diff_triggers(df, m->ft, m->tt);
}

static void diff_policies_of(struct differ *df, struct colmap *m)
{
	diff_policies(df, m->ft, m->tt);
}

static void diff_statistics_of(struct differ *df, struct colmap *m)
{
	diff_statistics(df, m->ft, m->tt);
}

static void diff_rules_of(struct differ *df, struct colmap *m)
{
	diff_rules(df, m->ft, m->tt);
}

/*
 * Walks the children of a pair of tables, kind by kind in kind order: those
 * of the kinds a partition or INHERITS child gets from its parent
 * (inheritable), or the others.
 */
static void walk_children(struct differ *df, struct colmap *m, bool inheritable)
{
	for (int k = 0; k < SG_KIND__COUNT; k++)
		if (sg_kind_info[k].child && sg_kind_info[k].inheritable == inheritable)
			kind_ops[k].children(df, m);
}

/*
 * Creates (kind order) or drops (reverse kind order) the children of a
 * table created or dropped, of the inheritable kinds or the others.
 */
static void add_children(struct differ *df, enum sg_op op,
			 const struct sg_table *t, bool inheritable)
{
	for (int i = 0; i < SG_KIND__COUNT; i++) {
		int k = op == SG_OP_DROP && inheritable ? SG_KIND__COUNT - 1 - i : i;
		struct sg_object *const *v;
		size_t n;

		if (!sg_kind_info[k].child || sg_kind_info[k].inheritable != inheritable)
			continue;
		v = sg_children(t, (enum sg_kind)k, &n);
		for (size_t j = 0; j < n; j++)
			diff_add(df, op, op == SG_OP_DROP ? v[j] : NULL,
				 op == SG_OP_DROP ? NULL : v[j], 0);
	}
}

void diff_relation_indexes(struct differ *df, const struct sg_table *ft,
			   const struct sg_table *tt)
{
	struct colmap m = { .ft = ft, .tt = tt };

	diff_indexes(df, &m);
}

void diff_table_pair(struct differ *df, const struct sg_table *ft,
			    const struct sg_table *tt)
{
	struct colmap m = { .ft = ft, .tt = tt };
	sg_chg what = diff_grants(&ft->obj, &tt->obj) | diff_rls(ft, tt);
	size_t first;

	if (diff_table_needs_rebuild(ft, tt)) {
		diff_table_rebuild(df, ft, tt);
		return;
	}
	if (strcmp(ft->obj.name, tt->obj.name) != 0)
		diff_add(df, SG_OP_RENAME, &ft->obj, &tt->obj, 0);
	if (!sg_streq(ft->obj.comment, tt->obj.comment))
		what |= SG_CHG_COMMENT;
	if (what)
		diff_add(df, SG_OP_ALTER, &ft->obj, &tt->obj, what);
	diff_table_props(df, ft, tt);
	first = df->out->n;
	find_column_renames(df, &m);
	/* the children partitions and INHERITS children share first: what
	 * PostgreSQL does to them by itself is marked once they are all
	 * walked */
	walk_children(df, &m, true);
	diff_inherited_children(df, ft, tt, first);
	walk_children(df, &m, false);
}

void diff_create_table(struct differ *df, const struct sg_table *t)
{
	size_t first = df->out->n;

	diff_add(df, SG_OP_CREATE, NULL, &t->obj, 0);
	add_children(df, SG_OP_CREATE, t, true);
	diff_mark_created(df, t, first);
	add_children(df, SG_OP_CREATE, t, false);
}

void diff_drop_table(struct differ *df, const struct sg_table *t)
{
	size_t first = df->out->n;

	diff_add(df, SG_OP_DROP, &t->obj, NULL, 0);
	add_children(df, SG_OP_DROP, t, false);
	add_children(df, SG_OP_DROP, t, true);
	diff_mark_dropped(df, t, first);
}

/* ---- top-level kinds ---- */

void diff_enum_pair(struct differ *df, const struct sg_enum *f,
			   const struct sg_enum *t)
{
	sg_chg what = 0;
	size_t k = 0, nr;
	const char **old_names, **new_names;

	if (!sg_streq(f->obj.comment, t->obj.comment))
		what |= SG_CHG_COMMENT;
	nr = sg_enum_renames(df->a, f, t, &old_names, &new_names);
	/* the old values, renamed, must appear in order among the new ones */
	for (size_t i = 0; i < t->nvalues && k < f->nvalues; i++) {
		const char *fv = f->values[k];

		for (size_t r = 0; r < nr; r++)
			if (strcmp(old_names[r], fv) == 0)
				fv = new_names[r];
		if (strcmp(t->values[i], fv) == 0)
			k++;
	}
	if (k < f->nvalues) {
		/*
		 * Values removed or reordered: rebuild the type.  Renamed
		 * values are renamed in the old type first (the orderer puts
		 * that ALTER before the rebuild), so the columns' values
		 * convert through text under their new names.
		 */
		if (nr)
			diff_add(df, SG_OP_ALTER, &f->obj, &t->obj, SG_CHG_ENUM_RENAME);
		diff_add(df, SG_OP_DROP, &f->obj, NULL, SG_CHG_REBUILD);
		diff_add(df, SG_OP_CREATE, NULL, &t->obj, SG_CHG_REBUILD);
		return;
	}
	if (t->nvalues > f->nvalues)
		what |= SG_CHG_ENUM_VALUES;
	if (nr)
		what |= SG_CHG_ENUM_RENAME;
	what |= diff_grants(&f->obj, &t->obj);
	if (what)
		diff_add(df, SG_OP_ALTER, &f->obj, &t->obj, what);
}

static bool owner_equal(const struct differ *df, const struct sg_sequence *f,
			const struct sg_sequence *t)
{
	const struct sg_table *ft;
	const char *tname;

	if (!f->owned_table || !t->owned_table)
		return f->owned_table == t->owned_table;
	ft = sg_catalog_table(df->from, f->obj.schema, f->owned_table);
	tname = ft && diff_renamed_table(df, ft) ? diff_renamed_table(df, ft)->obj.name
					    : f->owned_table;
	/* a renamed owner column keeps ownership in PostgreSQL; compare through
	 * the column rename of that table when there is one */
	if (strcmp(tname, t->owned_table) != 0)
		return false;
	if (strcmp(f->owned_column, t->owned_column) == 0)
		return true;
	if (ft) {
		const struct sg_table *tt = sg_catalog_table(df->to, t->obj.schema,
							     t->owned_table);
		struct colmap m = { .ft = ft, .tt = tt };

		if (tt) {
			find_column_renames((struct differ *)df, &m);
			return strcmp(map_column(&m, f->owned_column), t->owned_column) == 0;
		}
	}
	return false;
}

void diff_sequence_pair(struct differ *df, const struct sg_sequence *f,
			       const struct sg_sequence *t)
{
	sg_chg what = 0;

	if (!diff_seqopts_equal(&f->opts, &t->opts, true))
		what |= SG_CHG_SEQ_OPTS;
	if (!sg_streq(f->obj.comment, t->obj.comment))
		what |= SG_CHG_COMMENT;
	what |= diff_grants(&f->obj, &t->obj);
	if (what)
		diff_add(df, SG_OP_ALTER, &f->obj, &t->obj, what);
	/* ownership is a change of its own: the orderer places it after the
	 * new owner exists and before the old owner goes */
	if (!owner_equal(df, f, t))
		diff_add(df, SG_OP_ALTER, &f->obj, &t->obj, SG_CHG_OWNED_BY);
}

static void pair_schema(struct differ *df, const struct sg_object *f,
			const struct sg_object *t)
{
	sg_chg what = diff_grants(f, t);

	if (!sg_streq(f->comment, t->comment))
		what |= SG_CHG_COMMENT;
	if (!sg_defacls_equal((const struct sg_schema *)f,
			      (const struct sg_schema *)t))
		what |= SG_CHG_DEFACL;
	if (what)
		diff_add(df, SG_OP_ALTER, f, t, what);
}

/* A role's global default privileges: one ALTER when they differ. */
static void pair_default_acl(struct differ *df, const struct sg_object *fo,
			     const struct sg_object *to)
{
	const struct sg_default_acl *f = (const struct sg_default_acl *)fo;
	const struct sg_default_acl *t = (const struct sg_default_acl *)to;

	if (!sg_defacl_lists_equal(f->defacls, f->ndefacls, t->defacls,
				   t->ndefacls))
		diff_add(df, SG_OP_ALTER, fo, to, SG_CHG_DEFACL);
}

static void pair_enum(struct differ *df, const struct sg_object *f,
		      const struct sg_object *t)
{
	diff_enum_pair(df, (const struct sg_enum *)f, (const struct sg_enum *)t);
}

static void pair_sequence(struct differ *df, const struct sg_object *f,
			  const struct sg_object *t)
{
	diff_sequence_pair(df, (const struct sg_sequence *)f,
			   (const struct sg_sequence *)t);
}

static void create_sequence(struct differ *df, const struct sg_object *t)
{
	diff_add(df, SG_OP_CREATE, NULL, t, 0);
	if (((const struct sg_sequence *)t)->owned_table)
		diff_add(df, SG_OP_ALTER, NULL, t, SG_CHG_OWNED_BY);
}

static void pair_table(struct differ *df, const struct sg_object *f,
		       const struct sg_object *t)
{
	diff_table_pair(df, (const struct sg_table *)f, (const struct sg_table *)t);
}

static void pair_function(struct differ *df, const struct sg_object *f,
			  const struct sg_object *t)
{
	diff_function_pair(df, (const struct sg_function *)f,
			   (const struct sg_function *)t);
}

static void create_table_obj(struct differ *df, const struct sg_object *t)
{
	diff_create_table(df, (const struct sg_table *)t);
}

static void drop_table_obj(struct differ *df, const struct sg_object *f)
{
	diff_drop_table(df, (const struct sg_table *)f);
}

/*
 * What each top-level kind does when it is in both catalogs (pair), only
 * in `to` (create) or only in `from` (drop).  NULL create/drop record a
 * plain CREATE/DROP change.  A child kind walks its children of a pair
 * of tables (children); a table created or dropped creates or drops its
 * children with it.  tests/unit/t-kinds.c checks every kind has its row.
 */
static const struct diff_kind_ops kind_ops[SG_KIND__COUNT] = {
	[SG_KIND_DEFAULT_ACL] = { pair_default_acl, NULL, NULL },
	[SG_KIND_SCHEMA] = { pair_schema, NULL, NULL },
	[SG_KIND_EXTENSION] = { diff_extension_pair, diff_extension_create,
				diff_extension_drop },
	[SG_KIND_COLLATION] = { diff_collation_pair, NULL, NULL },
	[SG_KIND_LANGUAGE] = { diff_language_pair, NULL, NULL, .renamed = diff_renamed_pair },
	[SG_KIND_ENUM] = { pair_enum, NULL, NULL },
	[SG_KIND_DOMAIN] = { diff_domain_pair, NULL, NULL },
	[SG_KIND_COMPOSITE] = { diff_composite_pair, NULL, NULL },
	[SG_KIND_SEQUENCE] = { pair_sequence, create_sequence, NULL },
	[SG_KIND_FUNCTION] = { pair_function, NULL, NULL, .renamed = diff_function_renamed },
	[SG_KIND_TS_PARSER] = { diff_ts_pair, NULL, NULL, .renamed = diff_ts_renamed },
	[SG_KIND_TS_TEMPLATE] = { diff_ts_pair, NULL, NULL, .renamed = diff_ts_renamed },
	[SG_KIND_TS_DICTIONARY] = { diff_ts_pair, NULL, NULL, .renamed = diff_ts_renamed },
	[SG_KIND_TS_CONFIG] = { diff_ts_pair, NULL, NULL, .renamed = diff_ts_renamed },
	[SG_KIND_AGGREGATE] = { diff_aggregate_pair, NULL, NULL, .renamed = diff_aggregate_renamed },
	[SG_KIND_OPERATOR] = { diff_operator_pair, NULL, NULL },
	[SG_KIND_OPFAMILY] = { diff_opfamily_pair, NULL, NULL },
	[SG_KIND_OPCLASS] = { diff_opclass_pair, NULL, NULL },
	[SG_KIND_FDW] = { diff_fdw_pair, NULL, NULL, .renamed = diff_renamed_pair },
	[SG_KIND_SERVER] = { diff_server_pair, NULL, NULL, .renamed = diff_renamed_pair },
	/* renamed with their server only: what else differs */
	[SG_KIND_USER_MAPPING] = { diff_user_mapping_pair, NULL, NULL,
				   .renamed = diff_user_mapping_pair },
	[SG_KIND_FOREIGN_TABLE] = { diff_foreign_table_pair, diff_foreign_table_create,
				    diff_foreign_table_drop,
				    .renamed = diff_foreign_table_pair },
	[SG_KIND_TABLE] = { pair_table, create_table_obj, drop_table_obj },
	[SG_KIND_VIEW] = { diff_view_pair, diff_view_create, diff_view_drop,
			   .renamed = diff_view_renamed },
	[SG_KIND_COLUMN] = { .children = diff_columns },
	[SG_KIND_CONSTRAINT] = { .children = diff_constraints },
	[SG_KIND_INDEX] = { .children = diff_indexes },
	[SG_KIND_TRIGGER] = { .children = diff_triggers_of },
	[SG_KIND_POLICY] = { .children = diff_policies_of },
	[SG_KIND_STATISTICS] = { .children = diff_statistics_of },
	[SG_KIND_RULE] = { .children = diff_rules_of },
	[SG_KIND_CAST] = { diff_cast_pair, NULL, NULL },
	[SG_KIND_EVENT_TRIGGER] = { diff_event_trigger_pair, NULL, NULL, .renamed = diff_event_trigger_renamed },
	[SG_KIND_PUBLICATION] = { diff_publication_pair, NULL, NULL, .renamed = diff_publication_renamed },
};

bool diff_kind_supported(enum sg_kind kind)
{
	if ((unsigned)kind >= SG_KIND__COUNT)
		return false;
	return sg_kind_is_child(kind) ? kind_ops[kind].children != NULL
				      : kind_ops[kind].pair != NULL;
}

/* Merge-walk of one top-level kind. */
static void walk_kind(struct differ *df, enum sg_kind kind)
{
	const struct diff_kind_ops *ops = &kind_ops[kind];
	struct sg_object **fa = df->from->bykind[kind], **ta = df->to->bykind[kind];
	size_t fn = df->from->nbykind[kind], tn = df->to->nbykind[kind];
	size_t i = 0, j = 0;

	while (i < fn || j < tn) {
		struct sg_object *f = i < fn ? fa[i] : NULL;
		struct sg_object *t = j < tn ? ta[j] : NULL;
		int c = !f ? 1 : !t ? -1 : sg_object_cmp(f, t);

		if (c < 0) {
			i++;
			if (diff_is_renamed(df, f, true))
				continue;
			if (ops->drop)
				ops->drop(df, f);
			else
				diff_add(df, SG_OP_DROP, f, NULL, 0);
		} else if (c > 0) {
			j++;
			if (diff_is_renamed(df, t, false))
				continue;
			if (ops->create)
				ops->create(df, t);
			else
				diff_add(df, SG_OP_CREATE, NULL, t, 0);
		} else {
			size_t first = df->out->n;

			i++;
			j++;
			ops->pair(df, f, t);
			diff_grants_unless_said(df, f, t, first);
			diff_owner_unless_said(df, f, t, first);
		}
	}
}

int diff_catalogs(struct sg_arena *a, const struct sg_catalog *from,
		  const struct sg_catalog *to, struct sg_changes *out,
		  struct sg_diags *d)
{
	struct differ df = { .a = a, .from = from, .to = to, .out = out, .d = d };

	if (!from->finished || !to->finished)
		SG_BUG("diff_catalogs needs finished catalogs");
	find_table_renames(&df);
	diff_find_extension_moves(&df);
	find_object_renames(&df);
	for (size_t i = 0; i < df.rn_from.n; i++) {
		size_t first = df.out->n;

		diff_table_pair(&df, df.rn_from.v[i], df.rn_to.v[i]);
		diff_owner_unless_said(&df, &df.rn_from.v[i]->obj,
				       &df.rn_to.v[i]->obj, first);
	}
	for (size_t i = 0; i < df.orn_from.n; i++) {
		const struct sg_object *f = df.orn_from.v[i], *t = df.orn_to.v[i];
		size_t first = df.out->n;

		kind_ops[f->kind].renamed(&df, f, t);
		diff_grants_unless_said(&df, f, t, first);
		diff_owner_unless_said(&df, f, t, first);
	}
	for (int k = 0; k < SG_KIND__COUNT; k++)
		if (!sg_kind_is_child((enum sg_kind)k))
			walk_kind(&df, (enum sg_kind)k);
	diff_columns_kept_by_children(&df);
	return df.errors ? -1 : 0;
}
