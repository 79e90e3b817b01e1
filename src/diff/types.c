// SPDX-License-Identifier: MIT
/*
 * types.c - what differs in extensions, collations, domains and composite
 * types.
 *
 * Extensions are database-wide names: they pair by name whatever their
 * schema, and a different schema is a move (an SG_OP_RENAME change, emitted
 * as ALTER EXTENSION ... SET SCHEMA).  A column whose type is the moved
 * extension's keeps its type, though format_type() now qualifies it with the
 * new schema: column types are compared through the move.  (Index and
 * constraint definitions naming the extension's objects are not: those are
 * re-created.)  A version change is an ALTER
 * (SG_CHG_VERSION), unless either side's models gave no version (any_version:
 * the installed one will do).
 *
 * What cannot be altered in place is rebuilt the way an enum is (diff.h,
 * SG_CHG_REBUILD): the old object is renamed aside, the new one created, the
 * columns that use it are cast to it (through text; composite values
 * attribute by attribute), then the old one is dropped.  That is the case of
 *   - a collation whose provider, locale or determinism changes (PostgreSQL
 *     has no ALTER for them);
 *   - a domain whose base type or collation changes (ALTER DOMAIN cannot
 *     change either; the columns are recast: USING col::text::domain);
 *   - a composite type whose attributes are reordered or inserted before
 *     the last one, or whose attribute types change while a column uses it
 *     (PostgreSQL refuses ALTER ATTRIBUTE ... TYPE then, with or without
 *     CASCADE, which only reaches typed tables).  Columns of the type are
 *     converted attribute by attribute, by name (emit.c, recast_composite);
 *     arrays of it through text.
 * Everything else is altered in place: a domain's default, NOT NULL and
 * named checks (SG_CHG_DEFAULT, SG_CHG_NOT_NULL, SG_CHG_DOMAIN), a
 * composite's attributes dropped, added at the end, or retyped while no
 * column uses it (SG_CHG_ATTRIBUTES), comments everywhere.
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"

#include "diff-priv.h"

/* ---- extensions ---- */

static void extension_alter(struct differ *df, const struct sg_extension *f,
			    const struct sg_extension *t)
{
	sg_chg what = 0;

	if (!f->any_version && !t->any_version && !sg_streq(f->version, t->version))
		what |= SG_CHG_VERSION;
	if (!sg_streq(f->obj.comment, t->obj.comment))
		what |= SG_CHG_COMMENT;
	if (what)
		diff_add(df, SG_OP_ALTER, &f->obj, &t->obj, what);
}

/* The extension of that name on the other side, in another schema. */
static const struct sg_object *same_name(const struct sg_catalog *cat,
					 const struct sg_object *o)
{
	for (size_t i = 0; i < cat->nbykind[SG_KIND_EXTENSION]; i++) {
		const struct sg_object *x = cat->bykind[SG_KIND_EXTENSION][i];

		if (strcmp(x->name, o->name) == 0)
			return x;
	}
	return NULL;
}

void diff_find_extension_moves(struct differ *df)
{
	for (size_t i = 0; i < df->to->nbykind[SG_KIND_EXTENSION]; i++) {
		const struct sg_object *t = df->to->bykind[SG_KIND_EXTENSION][i];
		const struct sg_object *f = same_name(df->from, t);

		if (f && strcmp(f->schema, t->schema) != 0) {
			SG_VEC_PUSH(df->a, &df->xm_from, f->schema);
			SG_VEC_PUSH(df->a, &df->xm_to, t->schema);
		}
	}
}

/* s starts with the quoted schema and a dot: where the rest begins. */
static const char *after_schema(struct sg_arena *a, const char *s,
				const char *schema)
{
	const char *q = sg_qi(a, schema);
	size_t n = strlen(q);

	return strncmp(s, q, n) == 0 && s[n] == '.' ? s + n + 1 : NULL;
}

bool diff_same_type_moved(const struct differ *df, const char *f, const char *t)
{
	if (!f || !t)
		return false;
	for (size_t i = 0; i < df->xm_from.n; i++) {
		const char *fr = after_schema(df->a, f, df->xm_from.v[i]);
		const char *tr = after_schema(df->a, t, df->xm_to.v[i]);

		if (fr && tr && strcmp(fr, tr) == 0)
			return true;
	}
	return false;
}

void diff_extension_pair(struct differ *df, const struct sg_object *f,
			 const struct sg_object *t)
{
	extension_alter(df, (const struct sg_extension *)f,
			(const struct sg_extension *)t);
}

void diff_extension_create(struct differ *df, const struct sg_object *t)
{
	const struct sg_object *f = same_name(df->from, t);

	if (!f) {
		diff_add(df, SG_OP_CREATE, NULL, t, 0);
		return;
	}
	/* in another schema: moved */
	diff_add(df, SG_OP_RENAME, f, t, 0);
	extension_alter(df, (const struct sg_extension *)f,
			(const struct sg_extension *)t);
}

void diff_extension_drop(struct differ *df, const struct sg_object *f)
{
	if (!same_name(df->to, f))
		diff_add(df, SG_OP_DROP, f, NULL, 0);
	/* else: a move, recorded when its new side was walked */
}

/* ---- rebuilds ---- */

static void rebuild(struct differ *df, const struct sg_object *f,
		    const struct sg_object *t)
{
	diff_add(df, SG_OP_DROP, f, NULL, SG_CHG_REBUILD);
	diff_add(df, SG_OP_CREATE, NULL, t, SG_CHG_REBUILD);
}

/* ---- collations ---- */

void diff_collation_pair(struct differ *df, const struct sg_object *fo,
			 const struct sg_object *to)
{
	const struct sg_collation *f = (const struct sg_collation *)fo;
	const struct sg_collation *t = (const struct sg_collation *)to;

	if (f->provider != t->provider || f->deterministic != t->deterministic ||
	    !sg_streq(f->locale, t->locale) ||
	    !sg_streq(f->lc_collate, t->lc_collate) ||
	    !sg_streq(f->lc_ctype, t->lc_ctype)) {
		rebuild(df, fo, to);
		return;
	}
	if (!sg_streq(f->obj.comment, t->obj.comment))
		diff_add(df, SG_OP_ALTER, fo, to, SG_CHG_COMMENT);
}

/* ---- domains ---- */

bool diff_domain_checks_equal(const struct sg_domain *f,
			      const struct sg_domain *t)
{
	if (f->nchecks != t->nchecks)
		return false;
	for (size_t i = 0; i < f->nchecks; i++) {
		const struct sg_domain_check *a = &f->checks[i];
		const struct sg_domain_check *b = sg_domain_find_check(t, a->name);

		if (!b || !sg_streq(a->definition, b->definition) ||
		    a->not_valid != b->not_valid || !sg_streq(a->comment, b->comment))
			return false;
	}
	return true;
}

void diff_domain_pair(struct differ *df, const struct sg_object *fo,
		      const struct sg_object *to)
{
	const struct sg_domain *f = (const struct sg_domain *)fo;
	const struct sg_domain *t = (const struct sg_domain *)to;
	sg_chg what = 0;

	if ((!sg_streq(f->base_type, t->base_type) &&
	     !diff_same_type_moved(df, f->base_type, t->base_type)) ||
	    !sg_streq(f->collation, t->collation)) {
		rebuild(df, fo, to);
		return;
	}
	if (!sg_streq(f->default_expr, t->default_expr))
		what |= SG_CHG_DEFAULT;
	if (f->not_null != t->not_null)
		what |= SG_CHG_NOT_NULL;
	if (!diff_domain_checks_equal(f, t))
		what |= SG_CHG_DOMAIN;
	if (!sg_streq(f->obj.comment, t->obj.comment))
		what |= SG_CHG_COMMENT;
	what |= diff_grants(fo, to);
	if (what)
		diff_add(df, SG_OP_ALTER, fo, to, what);
}

/* ---- composite types ---- */

static const struct sg_attribute *find_attr(const struct sg_composite *c,
					    const char *name)
{
	for (size_t i = 0; i < c->nattrs; i++)
		if (strcmp(c->attrs[i].name, name) == 0)
			return &c->attrs[i];
	return NULL;
}

/*
 * Does a column, another composite type's attribute or a domain of the
 * `from` catalog have this type (or an array of it)?  PostgreSQL refuses to
 * retype an attribute of a type stored anywhere.
 */
static bool used_by_column(const struct differ *df, const struct sg_object *type)
{
	for (size_t i = 0; i < df->from->ndeps; i++) {
		const struct sg_dep *d = &df->from->deps[i];

		if (d->ref == type && (d->obj->kind == SG_KIND_COLUMN ||
				       d->obj->kind == SG_KIND_COMPOSITE ||
				       d->obj->kind == SG_KIND_DOMAIN))
			return true;
	}
	return false;
}

/*
 * Can ALTER TYPE turn f into t?  The kept attributes stay in their order,
 * new ones come last, and a kept attribute changes its type or collation
 * only when no column uses the type.
 */
static bool alterable(const struct differ *df, const struct sg_composite *f,
		      const struct sg_composite *t, bool *changed)
{
	size_t k = 0;           /* kept attributes seen, in f's order */
	bool retyped = false;

	*changed = f->nattrs != t->nattrs;
	for (size_t i = 0; i < f->nattrs; i++) {
		const struct sg_attribute *a = &f->attrs[i], *b = find_attr(t, a->name);

		if (!b) {
			*changed = true;        /* dropped */
			continue;
		}
		/* kept attributes: first in t, in f's order */
		if (k >= t->nattrs || strcmp(t->attrs[k].name, a->name) != 0)
			return false;
		k++;
		if ((!sg_streq(a->type, b->type) &&
		     !diff_same_type_moved(df, a->type, b->type)) ||
		    !sg_streq(a->collation, b->collation))
			retyped = true;
		if (!sg_streq(a->comment, b->comment))
			*changed = true;
	}
	/* t's attributes after the kept ones are new (ADD puts them last) */
	for (size_t j = k; j < t->nattrs; j++) {
		if (find_attr(f, t->attrs[j].name))
			return false;
		*changed = true;
	}
	if (retyped) {
		*changed = true;
		if (used_by_column(df, &f->obj))
			return false;
	}
	return true;
}

void diff_composite_pair(struct differ *df, const struct sg_object *fo,
			 const struct sg_object *to)
{
	const struct sg_composite *f = (const struct sg_composite *)fo;
	const struct sg_composite *t = (const struct sg_composite *)to;
	sg_chg what = 0;
	bool changed;

	if (!alterable(df, f, t, &changed)) {
		rebuild(df, fo, to);
		return;
	}
	if (changed)
		what |= SG_CHG_ATTRIBUTES;
	if (!sg_streq(f->obj.comment, t->obj.comment))
		what |= SG_CHG_COMMENT;
	what |= diff_grants(fo, to);
	if (what)
		diff_add(df, SG_OP_ALTER, fo, to, what);
}
