// SPDX-License-Identifier: MIT
/*
 * model.c - catalogs: registration of objects and dependencies, the sorted
 * per-kind index used for lookups and merge-walks (pg_dump's common.c), and
 * descriptions for messages.
 */
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/model.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "schemagen/scan.h"

struct sg_catalog *sg_catalog_new(struct sg_arena *a, const char *origin)
{
	struct sg_catalog *cat = sg_alloc(a, sizeof(*cat));

	cat->arena = a;
	cat->origin = sg_strdup(a, origin);
	return cat;
}

#define PUSH(arena, arr, n, cap, item)                                      \
	do {                                                                \
		if ((n) == (cap))                                           \
			(arr) = sg_arena_grow((arena), (arr), &(cap), (n) + 1, \
					      sizeof(*(arr)));              \
		(arr)[(n)++] = (item);                                      \
	} while (0)

void *sg_catalog_add(struct sg_catalog *cat, enum sg_kind kind, size_t size,
		     const char *schema, const char *name,
		     struct sg_object *parent)
{
	struct sg_object *obj;

	if (cat->finished)
		SG_BUG("sg_catalog_add after sg_catalog_finish");
	if (sg_kind_is_child(kind) != (parent != NULL))
		SG_BUG("%s %s: parent mismatch", sg_kind_name(kind), name);
	obj = sg_alloc(cat->arena, size);
	obj->kind = kind;
	obj->id = (int)cat->nobjs;
	/* a child's schema is its relation's (one string for them all) */
	obj->schema = parent ? parent->schema : sg_strdup(cat->arena, schema);
	obj->name = sg_strdup(cat->arena, name);
	obj->parent = parent;
	PUSH(cat->arena, cat->objs, cat->nobjs, cat->cap, obj);

	if (parent) {
		const struct sg_kind_info *k = sg_kind(kind);
		char *t = (char *)parent;
		struct sg_object ***arr = (void *)(t + k->child_array);
		size_t *n = (void *)(t + k->child_count);
		size_t *cap = (void *)(t + k->child_cap);

		if (!sg_kind_is_relation(parent->kind))
			SG_BUG("parent of %s must be a table or view", name);
		PUSH(cat->arena, *arr, *n, *cap, obj);
	}
	return obj;
}

void sg_catalog_add_dep(struct sg_catalog *cat, struct sg_object *obj,
			struct sg_object *ref, char type)
{
	struct sg_dep d = { obj, ref, type };

	if (!obj || !ref || obj == ref)
		return;
	PUSH(cat->arena, cat->deps, cat->ndeps, cat->depcap, d);
}

int sg_object_cmp(const struct sg_object *a, const struct sg_object *b)
{
	int c;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	c = strcmp(a->schema, b->schema);
	if (c)
		return c;
	c = sg_strcmp_null(a->parent ? a->parent->name : NULL,
			   b->parent ? b->parent->name : NULL);
	if (c)
		return c;
	return strcmp(a->name, b->name);
}

static int objp_cmp(const void *pa, const void *pb)
{
	return sg_object_cmp(*(struct sg_object *const *)pa,
			     *(struct sg_object *const *)pb);
}

static int dep_cmp(const void *pa, const void *pb)
{
	const struct sg_dep *a = pa, *b = pb;

	if (a->obj->id != b->obj->id)
		return a->obj->id < b->obj->id ? -1 : 1;
	if (a->ref->id != b->ref->id)
		return a->ref->id < b->ref->id ? -1 : 1;
	return (a->type > b->type) - (a->type < b->type);
}

/* Sorts a relation's children of the kinds kept sorted by name. */
static void sort_children(struct sg_table *t)
{
	for (int k = 0; k < SG_KIND__COUNT; k++) {
		const struct sg_kind_info *ki = &sg_kind_info[k];
		struct sg_object **v;
		size_t n;

		if (!ki->child || !ki->child_sorted)
			continue;
		v = (struct sg_object **)sg_children(t, (enum sg_kind)k, &n);
		if (n > 1)
			qsort(v, n, sizeof(*v), objp_cmp);
	}
}

void sg_catalog_finish(struct sg_catalog *cat)
{
	size_t counts[SG_KIND__COUNT] = { 0 };
	size_t k;

	if (cat->finished)
		SG_BUG("sg_catalog_finish called twice");
	for (size_t i = 0; i < cat->nobjs; i++)
		counts[cat->objs[i]->kind]++;
	for (k = 0; k < SG_KIND__COUNT; k++) {
		cat->bykind[k] = sg_alloc_array(cat->arena, counts[k] ? counts[k] : 1,
						sizeof(struct sg_object *));
		cat->nbykind[k] = 0;
	}
	for (size_t i = 0; i < cat->nobjs; i++) {
		struct sg_object *o = cat->objs[i];

		cat->bykind[o->kind][cat->nbykind[o->kind]++] = o;
		if (sg_kind_is_relation(o->kind))
			sort_children((struct sg_table *)o);
	}
	for (k = 0; k < SG_KIND__COUNT; k++)
		if (cat->nbykind[k] > 1)
			qsort(cat->bykind[k], cat->nbykind[k],
			      sizeof(struct sg_object *), objp_cmp);

	/* Deterministic dependency list without duplicates. */
	if (cat->ndeps > 1) {
		size_t w = 1;

		qsort(cat->deps, cat->ndeps, sizeof(*cat->deps), dep_cmp);
		for (size_t r = 1; r < cat->ndeps; r++) {
			struct sg_dep *p = &cat->deps[w - 1], *d = &cat->deps[r];

			if (p->obj == d->obj && p->ref == d->ref)
				continue;
			cat->deps[w++] = *d;
		}
		cat->ndeps = w;
	}
	cat->finished = true;
}

bool sg_name_excluded(const char *const *patterns, size_t npatterns,
		      const char *schema, const char *name)
{
	for (size_t i = 0; i < npatterns; i++) {
		const char *p = patterns[i], *dot = strchr(p, '.');

		if (!dot) {
			if (fnmatch(p, name, 0) == 0)
				return true;
			continue;
		}
		{
			size_t n = (size_t)(dot - p);
			char *sp = malloc(n + 1);
			bool m;

			if (!sp)
				SG_BUG("out of memory");
			memcpy(sp, p, n);
			sp[n] = '\0';
			m = schema && fnmatch(sp, schema, 0) == 0 &&
			    fnmatch(dot + 1, name, 0) == 0;
			free(sp);
			if (m)
				return true;
		}
	}
	return false;
}

/* Every top-level kind but schemas and extensions: children go with
 * their relation, database-wide objects by their bare name. */
static bool excluded_kind(enum sg_kind k)
{
	return !sg_kind_is_child(k) && k != SG_KIND_SCHEMA && k != SG_KIND_EXTENSION;
}

/* The name `exclude:` patterns match: a routine's, an aggregate's, an
 * operator's and an operator class's or family's own name, without the
 * argument types or access method obj.name carries. */
static const char *exclusion_name(const struct sg_object *o)
{
	switch (o->kind) {
	case SG_KIND_FUNCTION:
		return ((const struct sg_function *)o)->proname;
	case SG_KIND_AGGREGATE:
		return ((const struct sg_aggregate *)o)->aggname;
	case SG_KIND_OPERATOR:
		return ((const struct sg_operator *)o)->oprname;
	case SG_KIND_OPFAMILY:
		return ((const struct sg_opfamily *)o)->famname;
	case SG_KIND_OPCLASS:
		return ((const struct sg_opclass *)o)->opcname;
	default:
		return o->name;
	}
}

size_t sg_catalog_exclude(struct sg_catalog *cat, const char *const *patterns,
			  size_t npatterns)
{
	bool *gone;
	size_t n = 0, w;

	if (!npatterns || !cat->nobjs)
		return 0;
	gone = calloc(cat->nobjs, sizeof(*gone));
	if (!gone)
		SG_BUG("out of memory");
	for (size_t i = 0; i < cat->nobjs; i++) {
		const struct sg_object *o = cat->objs[i];
		const char *name;

		if (!o || !excluded_kind(o->kind) || o->parent)
			continue;
		name = exclusion_name(o);
		gone[i] = sg_name_excluded(patterns, npatterns,
					   sg_kind(o->kind)->global ? NULL : o->schema,
					   name);
	}
	/* owned sequences with their table, then children with their parent */
	for (size_t i = 0; i < cat->nobjs; i++) {
		const struct sg_object *o = cat->objs[i];
		const struct sg_sequence *q = (const void *)o;
		const struct sg_object *t;

		if (!o || o->kind != SG_KIND_SEQUENCE || gone[i] || !q->owned_table)
			continue;
		t = sg_catalog_find(cat, SG_KIND_TABLE, o->schema, NULL, q->owned_table);
		gone[i] = t && gone[t->id];
	}
	for (size_t i = 0; i < cat->nobjs; i++) {
		const struct sg_object *o = cat->objs[i];

		for (const struct sg_object *p = o ? o->parent : NULL; p && !gone[i]; p = p->parent)
			gone[i] = gone[p->id];
	}
	for (size_t i = 0; i < cat->nobjs; i++)
		n += gone[i];
	if (!n) {
		free(gone);
		return 0;
	}
	for (size_t k = 0; k < SG_KIND__COUNT; k++) {
		w = 0;
		for (size_t i = 0; i < cat->nbykind[k]; i++)
			if (!gone[cat->bykind[k][i]->id])
				cat->bykind[k][w++] = cat->bykind[k][i];
		cat->nbykind[k] = w;
	}
	w = 0;
	for (size_t i = 0; i < cat->ndeps; i++)
		if (!gone[cat->deps[i].obj->id] && !gone[cat->deps[i].ref->id])
			cat->deps[w++] = cat->deps[i];
	cat->ndeps = w;
	w = 0;
	for (size_t i = 0; i < cat->nobjs; i++) {
		if (gone[i])
			continue;
		cat->objs[w] = cat->objs[i];
		if (cat->objs[w])
			cat->objs[w]->id = (int)w;
		w++;
	}
	cat->nobjs = w;
	free(gone);
	return n;
}

struct sg_object *sg_catalog_find(const struct sg_catalog *cat,
				  enum sg_kind kind, const char *schema,
				  const char *parent, const char *name)
{
	struct sg_object key_parent = { .kind = SG_KIND_TABLE, .name = parent };
	struct sg_object key = {
		.kind = kind, .schema = schema, .name = name,
		.parent = parent ? &key_parent : NULL,
	};
	struct sg_object *kp = &key, **hit;

	if (!cat->finished)
		SG_BUG("sg_catalog_find before sg_catalog_finish");
	if (!schema || !name)
		return NULL;
	hit = bsearch(&kp, cat->bykind[kind], cat->nbykind[kind],
		      sizeof(struct sg_object *), objp_cmp);
	return hit ? *hit : NULL;
}

struct sg_table *sg_catalog_table(const struct sg_catalog *cat,
				  const char *schema, const char *name)
{
	return (struct sg_table *)sg_catalog_find(cat, SG_KIND_TABLE, schema,
						  NULL, name);
}

struct sg_column *sg_table_column(const struct sg_table *t, const char *name)
{
	for (size_t i = 0; i < t->ncolumns; i++)
		if (strcmp(t->columns[i]->obj.name, name) == 0)
			return t->columns[i];
	return NULL;
}

/* A function's signature: its name, then the argument types of obj.name. */
static void function_signature(struct sbuf *out, const struct sg_object *obj)
{
	const struct sg_function *f = (const struct sg_function *)obj;
	const char *proname = f->proname ? f->proname : obj->name;
	size_t n;

	if (obj->kind == SG_KIND_AGGREGATE)
		proname = ((const struct sg_aggregate *)obj)->aggname
			? ((const struct sg_aggregate *)obj)->aggname : obj->name;
	n = strlen(proname);

	sg_quote_qualified(out, obj->schema, proname);
	if (strncmp(obj->name, proname, n) == 0 && obj->name[n] == '(')
		sbuf_adds(out, obj->name + n);
	else
		sbuf_adds(out, "()");
}

void sg_object_qualified(struct sbuf *out, const struct sg_object *obj)
{
	const struct sg_object *o = obj->parent ? obj->parent : obj;

	switch (sg_kind(obj->kind)->naming) {
	case SG_NAME_BARE:
		sg_quote_ident(out, obj->name);
		break;
	case SG_NAME_QUALIFIED:
		sg_quote_qualified(out, obj->kind == SG_KIND_STATISTICS
				   ? sg_statistics_schema((const struct sg_statistics *)obj)
				   : obj->schema, obj->name);
		break;
	case SG_NAME_SIGNATURE:
		function_signature(out, obj);
		break;
	case SG_NAME_CAST:
		sbuf_adds(out, obj->name);   /* SQL text: "(source AS target)" */
		break;
	case SG_NAME_PARENT_DOT:
	case SG_NAME_ON_PARENT:
		sg_quote_qualified(out, o->schema, o->name);
		break;
	case SG_NAME_USING: {
		/* schema.name USING method */
		const char *name = obj->kind == SG_KIND_OPCLASS
			? ((const struct sg_opclass *)obj)->opcname
			: ((const struct sg_opfamily *)obj)->famname;
		const char *method = obj->kind == SG_KIND_OPCLASS
			? ((const struct sg_opclass *)obj)->method
			: ((const struct sg_opfamily *)obj)->method;

		sg_quote_qualified(out, obj->schema, name ? name : obj->name);
		sbuf_adds(out, " USING ");
		sg_quote_ident(out, method ? method : "?");
		break;
	}
	case SG_NAME_OPERATOR: {
		/* schema.op (left, right): an operator's name is no identifier */
		const struct sg_operator *op = (const struct sg_operator *)obj;

		const char *name = op->oprname ? op->oprname : "";
		size_t n = strlen(name);

		sg_quote_ident(out, obj->schema);
		if (strncmp(obj->name, name, n) == 0 && obj->name[n] == '(')
			sbuf_addf(out, ".%s %s", name, obj->name + n);
		else
			sbuf_addf(out, ".%s", obj->name);
		break;
	}
	case SG_NAME_SQL:
		sbuf_adds(out, obj->name);
		break;
	}
}

static bool is_matview(const struct sg_object *obj)
{
	return obj->kind == SG_KIND_VIEW && ((const struct sg_view *)obj)->relkind == 'm';
}

static bool is_procedure(const struct sg_object *obj)
{
	return obj->kind == SG_KIND_FUNCTION &&
	       ((const struct sg_function *)obj)->prokind == 'p';
}

/*
 * The name part of a description or SQL reference: schemas and extensions
 * bare, columns as table.column, constraints, triggers and policies as
 * "name <on> table", functions with their argument types, the rest
 * qualified.
 */
static void object_name(struct sbuf *out, const struct sg_object *obj,
			const char *on)
{
	switch (sg_kind(obj->kind)->naming) {
	case SG_NAME_PARENT_DOT:
		sg_quote_qualified(out, obj->schema, obj->parent->name);
		sbuf_addch(out, '.');
		sg_quote_ident(out, obj->name);
		break;
	case SG_NAME_ON_PARENT:
		sg_quote_ident(out, obj->name);
		sbuf_adds(out, on);
		sg_quote_qualified(out, obj->schema, obj->parent->name);
		break;
	default:
		sg_object_qualified(out, obj);
	}
}

void sg_object_describe(struct sbuf *out, const struct sg_object *obj)
{
	if (is_matview(obj))
		sbuf_adds(out, "materialized view");
	else if (is_procedure(obj))
		sbuf_adds(out, "procedure");
	else
		sbuf_adds(out, sg_kind_name(obj->kind));
	sbuf_addch(out, ' ');
	object_name(out, obj, " on ");
}

void sg_object_sqlref(struct sbuf *out, const struct sg_object *obj)
{
	if (is_matview(obj))
		sbuf_adds(out, "MATERIALIZED VIEW");
	else if (is_procedure(obj))
		sbuf_adds(out, "PROCEDURE");
	else
		sbuf_adds(out, sg_kind(obj->kind)->sql);
	sbuf_addch(out, ' ');
	object_name(out, obj, " ON ");
}

/*
 * What annotation copies lives in dst's arena: the models' catalog can be
 * freed once it is taken (issue 12: three catalogs of 10,000 tables at
 * once were the peak).  Locations are copied as they are (their file is
 * an id of the process-wide table, sg_file_id()).
 */
struct annot {
	struct sg_arena *a;
};

/*
 * What only the models say about an enum's values (renames) and an
 * extension's version (none given: any will do).
 */
static void annotate_kind(struct annot *an, struct sg_object *d, const struct sg_object *s)
{
	if (d->kind == SG_KIND_ENUM) {
		struct sg_enum *de = (struct sg_enum *)d;
		const struct sg_enum *se = (const struct sg_enum *)s;

		/* by position: the materialised type has the models' values
		 * in the models' order */
		if (de->nvalues == se->nvalues) {
			de->value_renamed_from = NULL;
			de->value_renamed_locs = NULL;
		}
		if (de->nvalues == se->nvalues && se->value_renamed_from) {
			de->value_renamed_from = sg_alloc_array(an->a, se->nvalues + 1,
								sizeof(*de->value_renamed_from));
			for (size_t i = 0; i < se->nvalues; i++)
				de->value_renamed_from[i] = sg_strdup(an->a,
								      se->value_renamed_from[i]);
		}
		if (de->nvalues == se->nvalues && se->value_renamed_locs) {
			de->value_renamed_locs = sg_alloc_array(an->a, se->nvalues + 1,
								sizeof(*de->value_renamed_locs));
			for (size_t i = 0; i < se->nvalues; i++)
				de->value_renamed_locs[i] = se->value_renamed_locs[i];
		}
	} else if (d->kind == SG_KIND_EXTENSION) {
		struct sg_extension *dx = (struct sg_extension *)d;
		const struct sg_extension *sx = (const struct sg_extension *)s;

		dx->any_version = sx->any_version;
		dx->version_loc = sx->version_loc;
	} else if (d->kind == SG_KIND_COLUMN) {
		/* messages about a column's type point at the type */
		((struct sg_column *)d)->type_loc =
			((const struct sg_column *)s)->type_loc;
	} else if (d->kind == SG_KIND_USER_MAPPING) {
		/* options the models do not manage stay unknown */
		((struct sg_user_mapping *)d)->options_hidden =
			((const struct sg_user_mapping *)s)->options_hidden;
	} else if (d->kind == SG_KIND_DEFAULT_ACL) {
		/* messages about a grantee point at it (same class and grantee) */
		const struct sg_default_acl *sg = (const struct sg_default_acl *)s;
		struct sg_default_acl *dg = (struct sg_default_acl *)d;

		dg->role_loc = sg->role_loc;
		for (size_t i = 0; i < dg->ndefacls; i++)
			for (size_t k = 0; k < sg->ndefacls; k++) {
				struct sg_defacl *de = &dg->defacls[i];
				const struct sg_defacl *se = &sg->defacls[k];

				if (de->objtype != se->objtype)
					continue;
				de->loc = se->loc;
				de->role_loc = se->role_loc;
				for (size_t j = 0; j < de->ngrants; j++)
					for (size_t m = 0; m < se->ngrants; m++)
						if (strcmp(de->grants[j].grantee,
							   se->grants[m].grantee) == 0)
							de->grants[j].loc =
								se->grants[m].loc;
			}
	}
}

/* Appends s without the qualifications of names (`x.` before a name). */
static void unqualified(struct sbuf *out, const char *s)
{
	size_t len = strlen(s), i = 0;

	while (i < len) {
		struct sg_token t;
		size_t next = sg_sql_token(s, len, i, &t);

		if ((t.kind == SG_TOK_IDENT || t.kind == SG_TOK_QIDENT) && s[next] == '.')
			next++;     /* a qualification: left out */
		else
			sbuf_add(out, s + i, t.len);
		i = next;
	}
}

/*
 * The function of dst that a model's function is, when their identities
 * are spelled differently: a model leaves its own types unqualified
 * ("f(mood)"), the catalog qualifies them ("f(app.mood)").  Only a single
 * match counts.
 */
static struct sg_object *find_function_loosely(const struct sg_catalog *dst,
					       const struct sg_object *s)
{
	struct sbuf want = SBUF_INIT, got = SBUF_INIT;
	struct sg_object *hit = NULL;
	int n = 0;

	unqualified(&want, s->name);
	for (size_t i = 0; i < dst->nbykind[SG_KIND_FUNCTION]; i++) {
		struct sg_object *d = dst->bykind[SG_KIND_FUNCTION][i];

		if (strcmp(d->schema, s->schema) != 0)
			continue;
		sbuf_reset(&got);
		unqualified(&got, d->name);
		if (strcmp(got.buf, want.buf) == 0) {
			hit = d;
			n++;
		}
	}
	sbuf_release(&want);
	sbuf_release(&got);
	return n == 1 ? hit : NULL;
}

bool sg_strings_equal(const char *const *a, size_t na,
		      const char *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return false;
	return true;
}

bool sg_only_validated(const char *f, bool f_not_valid, const char *t,
		       bool t_not_valid)
{
	size_t fl, tl;

	if (!f_not_valid || t_not_valid || !f || !t)
		return false;
	fl = strlen(f);
	tl = strlen(t);
	return fl == tl + 10 && strcmp(f + tl, " NOT VALID") == 0 &&
	       strncmp(f, t, tl) == 0;
}

size_t sg_table_parents(const struct sg_table *t, const struct sg_table **out,
			size_t max)
{
	size_t n = 0;

	if (t->partition_parent && n < max)
		out[n++] = t->partition_parent;
	for (size_t i = 0; i < t->ninherits && n < max; i++)
		if (t->inherits_tables && t->inherits_tables[i])
			out[n++] = t->inherits_tables[i];
	return n;
}

const struct sg_domain_check *sg_domain_find_check(const struct sg_domain *d,
						   const char *name)
{
	for (size_t i = 0; i < d->nchecks; i++)
		if (strcmp(d->checks[i].name, name) == 0)
			return &d->checks[i];
	return NULL;
}

void sg_catalog_forget_owners(struct sg_catalog *cat)
{
	for (size_t i = 0; i < cat->nobjs; i++)
		if (cat->objs[i])
			cat->objs[i]->owner = NULL;
}

void sg_catalog_annotate(struct sg_catalog *dst, const struct sg_catalog *src)
{
	struct annot an = { .a = dst->arena };

	/* owners: exactly those the models name (the scratch server's own
	 * user owns the rest, which says nothing) */
	sg_catalog_forget_owners(dst);
	dst->owners = src->owners;
	for (size_t i = 0; i < src->nobjs; i++) {
		const struct sg_object *s = src->objs[i];
		struct sg_object *d;

		if (!s || !s->owner)
			continue;
		d = sg_catalog_find(dst, s->kind, s->schema,
				    s->parent ? s->parent->name : NULL, s->name);
		if (!d && s->kind == SG_KIND_FUNCTION)
			d = find_function_loosely(dst, s);
		if (d) {
			d->owner = sg_strdup(an.a, s->owner);
			d->owner_loc = s->owner_loc;
		}
	}
	for (size_t i = 0; i < src->nobjs; i++) {
		const struct sg_object *s = src->objs[i];
		struct sg_object *d;

		if (s->loc.line == 0 && !s->renamed_from)
			continue;
		d = sg_catalog_find(dst, s->kind, s->schema,
				    s->parent ? s->parent->name : NULL, s->name);
		if (!d && s->kind == SG_KIND_FUNCTION)
			d = find_function_loosely(dst, s);
		if (!d)
			continue;
		d->loc = s->loc;
		d->renamed_from = sg_strdup(an.a, s->renamed_from);
		d->renamed_loc = s->renamed_loc;
		annotate_kind(&an, d, s);
	}
}

static bool has_value(const struct sg_enum *e, const char *v)
{
	for (size_t i = 0; i < e->nvalues; i++)
		if (strcmp(e->values[i], v) == 0)
			return true;
	return false;
}

size_t sg_enum_renames(struct sg_arena *a, const struct sg_enum *from,
		       const struct sg_enum *to, const char ***old_names,
		       const char ***new_names)
{
	size_t cap = from->nvalues + to->nvalues + 1, n = 0;
	const char **o = sg_alloc_array(a, cap, sizeof(*o));
	const char **nw = sg_alloc_array(a, cap, sizeof(*nw));

	for (int dir = 0; dir < 2; dir++) {
		/* dir 0: `to` declares (upgrade); dir 1: `from` does (downgrade) */
		const struct sg_enum *decl = dir ? from : to, *other = dir ? to : from;

		if (!decl->value_renamed_from)
			continue;
		for (size_t i = 0; i < decl->nvalues; i++) {
			const char *v = decl->values[i], *r = decl->value_renamed_from[i];
			bool dup = false;

			if (!r || !has_value(other, r) || has_value(decl, r) ||
			    has_value(other, v))
				continue;
			for (size_t k = 0; k < n; k++)
				dup = dup || strcmp(o[k], dir ? v : r) == 0;
			if (dup)
				continue;
			o[n] = dir ? v : r;
			nw[n] = dir ? r : v;
			n++;
		}
	}
	*old_names = o;
	*new_names = nw;
	return n;
}

int sg_opfamily_member_cmp(const void *a, const void *b)
{
	const struct sg_opfamily_member *x = a, *y = b;
	int c;

	if (x->kind != y->kind)
		return x->kind == 'f' ? -1 : 1;
	if (x->number != y->number)
		return x->number < y->number ? -1 : 1;
	if ((c = strcmp(x->left, y->left)))
		return c;
	return strcmp(x->right, y->right);
}
