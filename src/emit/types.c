// SPDX-License-Identifier: MIT
/*
 * types.c - SQL for extensions, collations, domains and composite types.
 *
 * Statements: CREATE EXTENSION ... WITH SCHEMA ... [VERSION], ALTER
 * EXTENSION UPDATE TO / SET SCHEMA, DROP EXTENSION; CREATE / DROP
 * COLLATION; CREATE DOMAIN (with its valid checks; NOT VALID ones are added
 * after it, CREATE DOMAIN has no NOT VALID), ALTER DOMAIN SET / DROP
 * DEFAULT, SET / DROP NOT NULL, ADD / DROP / VALIDATE CONSTRAINT, DROP
 * DOMAIN; CREATE TYPE ... AS (...), ALTER TYPE ADD / DROP / ALTER
 * ATTRIBUTE, DROP TYPE; COMMENT ON each of them, on a domain's constraints
 * (COMMENT ON CONSTRAINT c ON DOMAIN d) and on a composite type's
 * attributes (COMMENT ON COLUMN t.a).
 *
 * Rebuilds (SG_CHG_REBUILD, see diff/types.c): the RENAME change without a
 * `to` renames the old object aside (emit_stash_name), the DROP drops it
 * under that name once the columns have been recast by the orderer.
 *
 * ALTER TYPE is written without CASCADE: CASCADE only reaches typed tables
 * (CREATE TABLE ... OF type), which the models do not have; columns of a
 * composite type do not need it for ADD and DROP ATTRIBUTE, and ALTER
 * ATTRIBUTE ... TYPE is refused with or without it while a column uses the
 * type, so the differ rebuilds the type then.
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"

#include "emit-priv.h"

/* The object's schema-qualified name, or its stash name for a rebuild. */
static void qualified(struct emitter *e, const struct sg_object *o, bool stash)
{
	sg_quote_qualified(&e->sql, o->schema,
			   stash ? emit_stash_name(e, o->name) : o->name);
}

/* A literal copied from a model: its location, inexact (quoting). */
static void frag_literal(struct emitter *e, const char *text, struct sg_loc loc)
{
	struct sg_srcfrag f = { .offset = e->sql.len, .loc = loc };

	sg_quote_literal(&e->sql, text);
	f.len = e->sql.len - f.offset;
	f.loc.style = 'x';
	if (loc.line)
		SG_VEC_PUSH(e->a, &e->frags, f);
}

/* The first step of a rebuild: the old object steps aside. */
static void stash(struct emitter *e, const char *keyword,
		  const struct sg_object *f, const char *warning)
{
	sbuf_addf(&e->sql, "ALTER %s ", keyword);
	qualified(e, f, false);
	sbuf_addf(&e->sql, " RENAME TO %s", sg_qi(e->a, emit_stash_name(e, f->name)));
	emit_finish(e, f, warning);
}

static void drop(struct emitter *e, const char *keyword,
		 const struct sg_change *c, const char *warning)
{
	sbuf_addf(&e->sql, "DROP %s ", keyword);
	qualified(e, c->from, c->what & SG_CHG_REBUILD);
	emit_finish(e, c->from, warning);
}

/* ---- extensions ---- */

/* Can f be updated to that version (as far as introspection knows)? */
static bool can_update(const struct sg_extension *f, const char *version)
{
	if (!f->update_targets_known || !f->version)
		return true;
	for (size_t i = 0; i < f->nupdate_targets; i++)
		if (sg_streq(f->update_targets[i], version))
			return true;
	return false;
}

void emit_extension(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;
	const struct sg_extension *f = (const struct sg_extension *)c->from;
	const struct sg_extension *t = (const struct sg_extension *)c->to;

	switch (c->op) {
	case SG_OP_CREATE:
		sbuf_adds(&e->sql, "CREATE EXTENSION ");
		emit_frag_ident(e, t->obj.name, t->obj.loc);
		sbuf_adds(&e->sql, " WITH SCHEMA ");
		sg_quote_ident(&e->sql, t->obj.schema);
		if (t->version && !t->any_version) {
			sbuf_adds(&e->sql, " VERSION ");
			frag_literal(e, t->version, t->version_loc);
		}
		emit_finish(e, &t->obj, NULL);
		emit_comment_after_create(e, &t->obj);
		break;
	case SG_OP_DROP:
		sbuf_adds(&e->sql, "DROP EXTENSION ");
		sg_quote_ident(&e->sql, f->obj.name);
		emit_finish(e, &f->obj, sg_printf(e->a, "drops %s and every object "
					     "it created, with their data",
					     emit_object_text(e, &f->obj)));
		break;
	case SG_OP_RENAME:
		sbuf_adds(&e->sql, "ALTER EXTENSION ");
		sg_quote_ident(&e->sql, t->obj.name);
		sbuf_adds(&e->sql, " SET SCHEMA ");
		sg_quote_ident(&e->sql, t->obj.schema);
		emit_finish(e, &t->obj, NULL);
		break;
	case SG_OP_ALTER:
		if ((c->what & SG_CHG_VERSION) && t->version) {
			if (!can_update(f, t->version))
				sbuf_addf(&e->sql, "-- the server this was generated on has "
					  "no update path from version %s to %s: "
					  "PostgreSQL will refuse this step\n",
					  sg_qc(e->a, f->version), sg_qc(e->a, t->version));
			sbuf_adds(&e->sql, "ALTER EXTENSION ");
			sg_quote_ident(&e->sql, t->obj.name);
			sbuf_adds(&e->sql, " UPDATE TO ");
			sg_quote_literal(&e->sql, t->version);
			emit_finish(e, &t->obj, NULL);
		}
		/* no comment of the user's: the control file's again */
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, &t->obj, t->obj.comment ? t->obj.comment
							: t->default_comment);
		break;
	}
}

/* ---- collations ---- */

static void collation_option(struct emitter *e, const char *name,
			     const char *value, struct sg_loc loc)
{
	sbuf_addf(&e->sql, ", %s = ", name);
	frag_literal(e, value, loc);
}

static void create_collation(struct emitter *e, const struct sg_collation *t)
{
	sbuf_adds(&e->sql, "CREATE COLLATION ");
	qualified(e, &t->obj, false);
	switch (t->provider) {
	case 'i':
		sbuf_adds(&e->sql, " (provider = icu");
		break;
	case 'b':
		sbuf_adds(&e->sql, " (provider = builtin");
		break;
	default:
		sbuf_adds(&e->sql, " (provider = libc");
		break;
	}
	if (t->locale) {
		collation_option(e, "locale", t->locale, t->locale_loc);
	} else if (t->lc_collate && t->lc_ctype &&
		   strcmp(t->lc_collate, t->lc_ctype) == 0) {
		collation_option(e, "locale", t->lc_collate, t->locale_loc);
	} else {
		if (t->lc_collate)
			collation_option(e, "lc_collate", t->lc_collate, t->locale_loc);
		if (t->lc_ctype)
			collation_option(e, "lc_ctype", t->lc_ctype, t->locale_loc);
	}
	if (!t->deterministic)
		sbuf_adds(&e->sql, ", deterministic = false");
	sbuf_addch(&e->sql, ')');
	emit_finish(e, &t->obj, NULL);
	emit_comment_after_create(e, &t->obj);
}

void emit_collation(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;

	switch (c->op) {
	case SG_OP_CREATE:
		create_collation(e, (const struct sg_collation *)c->to);
		break;
	case SG_OP_DROP:
		drop(e, "COLLATION", c, NULL);
		break;
	case SG_OP_RENAME:
		stash(e, "COLLATION", c->from,
		      sg_printf(e->a, "rebuilds %s: the columns that use it are "
				"altered to the new one, their indexes rebuilt",
				emit_object_text(e, c->from)));
		break;
	case SG_OP_ALTER:
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, c->to, c->to->comment);
		break;
	}
}

/* ---- domains ---- */

static void check_comment(struct emitter *e, const struct sg_domain *d,
			  const struct sg_domain_check *k, const char *text)
{
	sbuf_adds(&e->sql, "COMMENT ON CONSTRAINT ");
	sg_quote_ident(&e->sql, k->name);
	sbuf_adds(&e->sql, " ON DOMAIN ");
	qualified(e, &d->obj, false);
	sbuf_adds(&e->sql, " IS ");
	if (text)
		sg_quote_literal(&e->sql, text);
	else
		sbuf_adds(&e->sql, "NULL");
	emit_finish(e, &d->obj, NULL);
}

/* "CONSTRAINT name CHECK (...)[ NOT VALID]" */
static void check_clause(struct emitter *e, const struct sg_domain_check *k,
			 bool with_not_valid)
{
	sbuf_adds(&e->sql, "CONSTRAINT ");
	emit_frag_ident(e, k->name, k->name_loc);
	sbuf_addch(&e->sql, ' ');
	if (k->definition) {
		size_t n = strlen(k->definition);

		/* CREATE DOMAIN takes no NOT VALID: cut it there */
		if (!with_not_valid && n > 10 &&
		    strcmp(k->definition + n - 10, " NOT VALID") == 0)
			n -= 10;
		sbuf_add(&e->sql, k->definition, n);
		return;
	}
	sbuf_adds(&e->sql, "CHECK (");
	emit_frag_text(e, k->expression, k->loc);
	sbuf_addch(&e->sql, ')');
	if (with_not_valid && k->not_valid)
		sbuf_adds(&e->sql, " NOT VALID");
}

static void alter_domain(struct emitter *e, const struct sg_domain *d)
{
	sbuf_adds(&e->sql, "ALTER DOMAIN ");
	qualified(e, &d->obj, false);
	sbuf_addch(&e->sql, ' ');
}

static void add_check(struct emitter *e, const struct sg_domain *d,
		      const struct sg_domain_check *k)
{
	alter_domain(e, d);
	sbuf_adds(&e->sql, "ADD ");
	check_clause(e, k, true);
	emit_finish(e, &d->obj, NULL);
}

static void create_domain(struct emitter *e, const struct sg_domain *d)
{
	sbuf_adds(&e->sql, "CREATE DOMAIN ");
	qualified(e, &d->obj, false);
	sbuf_adds(&e->sql, " AS ");
	emit_frag_text(e, d->base_type, d->type_loc);
	if (d->collation) {
		sbuf_adds(&e->sql, " COLLATE ");
		emit_frag_text(e, d->collation, d->collation_loc);
	}
	if (d->default_expr) {
		sbuf_adds(&e->sql, " DEFAULT ");
		emit_frag_text(e, d->default_expr, d->default_loc);
	}
	if (d->not_null)
		sbuf_adds(&e->sql, " NOT NULL");
	for (size_t i = 0; i < d->nchecks; i++) {
		if (d->checks[i].not_valid)
			continue;
		sbuf_adds(&e->sql, "\n    ");
		check_clause(e, &d->checks[i], false);
	}
	emit_finish(e, &d->obj, NULL);
	for (size_t i = 0; i < d->nchecks; i++)
		if (d->checks[i].not_valid)
			add_check(e, d, &d->checks[i]);
	emit_comment_after_create(e, &d->obj);
	for (size_t i = 0; i < d->nchecks; i++)
		if (d->checks[i].comment)
			check_comment(e, d, &d->checks[i], d->checks[i].comment);
}

/* The same check but for NOT VALID, which VALIDATE turns into t. */
static bool validated(const struct sg_domain_check *f,
		      const struct sg_domain_check *t)
{
	return sg_only_validated(f->definition, f->not_valid, t->definition,
				 t->not_valid);
}

static bool same_check(const struct sg_domain_check *f,
		       const struct sg_domain_check *t)
{
	return sg_streq(f->definition, t->definition) && f->not_valid == t->not_valid;
}

static void alter_checks(struct emitter *e, const struct sg_domain *f,
			 const struct sg_domain *t)
{
	/* drops first: a check replaced under its name is dropped, then added */
	for (size_t i = 0; i < f->nchecks; i++) {
		const struct sg_domain_check *a = &f->checks[i];
		const struct sg_domain_check *b = sg_domain_find_check(t, a->name);

		if (b && (same_check(a, b) || validated(a, b)))
			continue;
		alter_domain(e, f);
		sbuf_addf(&e->sql, "DROP CONSTRAINT %s", sg_qi(e->a, a->name));
		emit_finish(e, &t->obj, NULL);
	}
	for (size_t i = 0; i < t->nchecks; i++) {
		const struct sg_domain_check *b = &t->checks[i];
		const struct sg_domain_check *a = sg_domain_find_check(f, b->name);

		if (a && validated(a, b)) {
			alter_domain(e, t);
			sbuf_addf(&e->sql, "VALIDATE CONSTRAINT %s", sg_qi(e->a, b->name));
			emit_finish(e, &t->obj, NULL);
		} else if (!a || !same_check(a, b)) {
			add_check(e, t, b);
			if (b->comment)
				check_comment(e, t, b, b->comment);
			continue;
		}
		if (!sg_streq(a->comment, b->comment))
			check_comment(e, t, b, b->comment);
	}
}

static void alter_domain_change(struct emitter *e, const struct sg_change *c)
{
	const struct sg_domain *f = (const struct sg_domain *)c->from;
	const struct sg_domain *t = (const struct sg_domain *)c->to;

	if (c->what & SG_CHG_DEFAULT) {
		alter_domain(e, t);
		if (t->default_expr) {
			sbuf_adds(&e->sql, "SET DEFAULT ");
			emit_frag_text(e, t->default_expr, t->default_loc);
		} else {
			sbuf_adds(&e->sql, "DROP DEFAULT");
		}
		emit_finish(e, &t->obj, NULL);
	}
	if (c->what & SG_CHG_NOT_NULL) {
		alter_domain(e, t);
		sbuf_adds(&e->sql, t->not_null ? "SET NOT NULL" : "DROP NOT NULL");
		emit_finish(e, &t->obj, NULL);
	}
	if (c->what & SG_CHG_DOMAIN)
		alter_checks(e, f, t);
	if (c->what & SG_CHG_COMMENT)
		emit_comment_on(e, &t->obj, t->obj.comment);
}

void emit_domain(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;

	switch (c->op) {
	case SG_OP_CREATE:
		create_domain(e, (const struct sg_domain *)c->to);
		break;
	case SG_OP_DROP:
		drop(e, "DOMAIN", c, NULL);
		break;
	case SG_OP_RENAME:
		stash(e, "DOMAIN", c->from,
		      sg_printf(e->a, "rebuilds %s: the columns that use it are cast "
				"to the new one through text, and a value that does "
				"not convert or fails a check makes the migration fail",
				emit_object_text(e, c->from)));
		break;
	case SG_OP_ALTER:
		alter_domain_change(e, c);
		break;
	}
}

/* ---- composite types ---- */

static void attribute_definition(struct emitter *e, const struct sg_attribute *a)
{
	emit_frag_ident(e, a->name, a->loc);
	sbuf_addch(&e->sql, ' ');
	emit_frag_text(e, a->type, a->type_loc);
	if (a->collation) {
		sbuf_adds(&e->sql, " COLLATE ");
		emit_frag_text(e, a->collation, a->collation_loc);
	}
}

static void attribute_comment(struct emitter *e, const struct sg_composite *t,
			      const struct sg_attribute *a, const char *text)
{
	sbuf_adds(&e->sql, "COMMENT ON COLUMN ");
	qualified(e, &t->obj, false);
	sbuf_addch(&e->sql, '.');
	sg_quote_ident(&e->sql, a->name);
	sbuf_adds(&e->sql, " IS ");
	if (text)
		sg_quote_literal(&e->sql, text);
	else
		sbuf_adds(&e->sql, "NULL");
	emit_finish(e, &t->obj, NULL);
}

static void create_composite(struct emitter *e, const struct sg_composite *t)
{
	sbuf_adds(&e->sql, "CREATE TYPE ");
	qualified(e, &t->obj, false);
	sbuf_adds(&e->sql, " AS (");
	for (size_t i = 0; i < t->nattrs; i++) {
		sbuf_adds(&e->sql, i ? ",\n    " : "\n    ");
		attribute_definition(e, &t->attrs[i]);
	}
	sbuf_adds(&e->sql, t->nattrs ? "\n)" : ")");
	emit_finish(e, &t->obj, NULL);
	emit_comment_after_create(e, &t->obj);
	for (size_t i = 0; i < t->nattrs; i++)
		if (t->attrs[i].comment)
			attribute_comment(e, t, &t->attrs[i], t->attrs[i].comment);
}

static const struct sg_attribute *find_attr(const struct sg_composite *c,
					    const char *name)
{
	for (size_t i = 0; i < c->nattrs; i++)
		if (strcmp(c->attrs[i].name, name) == 0)
			return &c->attrs[i];
	return NULL;
}

static void sub(struct emitter *e, int *n)
{
	sbuf_adds(&e->sql, (*n)++ ? ",\n    " : "\n    ");
}

/* In place (the differ checked that ALTER TYPE can do it). */
static void alter_attributes(struct emitter *e, const struct sg_composite *f,
			     const struct sg_composite *t)
{
	struct sbuf dropped = SBUF_INIT;
	const char *warning = NULL;
	int n = 0;

	sbuf_adds(&e->sql, "ALTER TYPE ");
	qualified(e, &t->obj, false);
	for (size_t i = 0; i < f->nattrs; i++) {
		if (find_attr(t, f->attrs[i].name))
			continue;
		sub(e, &n);
		sbuf_addf(&e->sql, "DROP ATTRIBUTE %s", sg_qi(e->a, f->attrs[i].name));
		if (dropped.len)
			sbuf_adds(&dropped, ", ");
		sg_quote_ident(&dropped, f->attrs[i].name);
	}
	for (size_t i = 0; i < t->nattrs; i++) {
		const struct sg_attribute *b = &t->attrs[i], *a = find_attr(f, b->name);

		if (!a) {
			sub(e, &n);
			sbuf_adds(&e->sql, "ADD ATTRIBUTE ");
			attribute_definition(e, b);
		} else if (!sg_streq(a->type, b->type) ||
			   !sg_streq(a->collation, b->collation)) {
			sub(e, &n);
			sbuf_addf(&e->sql, "ALTER ATTRIBUTE %s TYPE ", sg_qi(e->a, b->name));
			emit_frag_text(e, b->type, b->type_loc);
			if (b->collation) {
				sbuf_adds(&e->sql, " COLLATE ");
				emit_frag_text(e, b->collation, b->collation_loc);
			} else if (a->collation) {
				sbuf_adds(&e->sql, " COLLATE pg_catalog.\"default\"");
			}
		}
	}
	if (dropped.len)
		warning = sg_printf(e->a, "drops attribute%s %s of %s and their values "
				    "wherever the type is stored",
				    strchr(dropped.buf, ',') ? "s" : "", dropped.buf,
				    emit_object_text(e, &t->obj));
	sbuf_release(&dropped);
	if (n)
		emit_finish(e, &t->obj, warning);
	else
		sbuf_reset(&e->sql);
	for (size_t i = 0; i < t->nattrs; i++) {
		const struct sg_attribute *b = &t->attrs[i], *a = find_attr(f, b->name);

		if (a ? !sg_streq(a->comment, b->comment) : b->comment != NULL)
			attribute_comment(e, t, b, b->comment);
	}
}

void emit_composite(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;

	switch (c->op) {
	case SG_OP_CREATE:
		create_composite(e, (const struct sg_composite *)c->to);
		break;
	case SG_OP_DROP:
		drop(e, "TYPE", c, NULL);
		break;
	case SG_OP_RENAME:
		stash(e, "TYPE", c->from,
		      sg_printf(e->a, "rebuilds %s: the columns that use it are "
				"converted attribute by attribute (by name; dropped "
				"attributes are lost, new ones are null), arrays of it "
				"through text; a value that does not convert makes the "
				"migration fail", emit_object_text(e, c->from)));
		break;
	case SG_OP_ALTER:
		if (c->what & SG_CHG_ATTRIBUTES)
			alter_attributes(e, (const struct sg_composite *)c->from,
					 (const struct sg_composite *)c->to);
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, c->to, c->to->comment);
		break;
	}
}

/* ---- descriptions ---- */

static void said(struct sbuf *out, int *n, const char *s)
{
	sbuf_adds(out, (*n)++ ? ", " : ": ");
	sbuf_adds(out, s);
}

void emit_describe_type(struct sbuf *out, const struct sg_change *c, int *n)
{
	switch (c->kind) {
	case SG_KIND_EXTENSION:
		if (c->what & SG_CHG_VERSION) {
			const struct sg_extension *f = (const struct sg_extension *)c->from;
			const struct sg_extension *t = (const struct sg_extension *)c->to;
			struct sbuf sb = SBUF_INIT;

			sbuf_addf(&sb, "version %s -> %s", f->version ? f->version : "none",
				  t->version ? t->version : "none");
			said(out, n, sb.buf);
			sbuf_release(&sb);
		}
		break;
	case SG_KIND_DOMAIN:
		if (c->what & SG_CHG_DEFAULT)
			said(out, n, "default");
		if (c->what & SG_CHG_NOT_NULL)
			said(out, n, ((const struct sg_domain *)c->to)->not_null
				     ? "NOT NULL added" : "NOT NULL dropped");
		if (c->what & SG_CHG_DOMAIN)
			said(out, n, "checks");
		break;
	case SG_KIND_COMPOSITE:
		if (c->what & SG_CHG_ATTRIBUTES)
			said(out, n, "attributes");
		break;
	default:
		break;
	}
}
