// SPDX-License-Identifier: MIT
/*
 * types.c - extensions, collations, domains and composite types of a model
 * file (the top-level keys extensions:, collations:, domains: and types:).
 * They belong to the file's schema, like every object of the file; for an
 * extension that is the schema it is created in (WITH SCHEMA).  The format
 * is documented in docs/models.md.
 *
 * What is checked here: keys, names, booleans, the SQL fragments (a
 * domain's type, default and checks, an attribute's type) with PostgreSQL's
 * parser, duplicate checks and attributes.  What only the server knows
 * (that an extension is available, that a locale exists) is reported when
 * the models are materialised, at the location in the file.
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/quote.h"
#include "schemagen/sql.h"
#include "yaml-priv.h"

static void set_comment(struct loader *l, const char **out, const struct ynode *v)
{
	const char *s;

	if (v && yget_str(l->d, l->t, v, "comment", &s) && s && *s)
		*out = sg_strdup(l->a, s);
}

static const char *get_string(struct loader *l, const struct ynode *v,
			      const char *key, struct sg_loc *loc)
{
	const char *s;

	if (!v || !yget_str(l->d, l->t, v, key, &s) || !s)
		return NULL;
	if (loc)
		*loc = v->vloc;
	return sg_strdup(l->a, s);
}

/* ---- extensions ---- */

static const char *const extension_keys[] = { "version", "comment" };

void load_extension(struct loader *l, const struct ynode *key,
		    const struct ynode *val)
{
	const struct ynode *v[ARRAY_SIZE(extension_keys)];
	struct sg_extension *e;

	if (!yname_ok(l->d, l->t, key, "extension name"))
		return;
	e = SG_NEW(l->cat, sg_extension, SG_KIND_EXTENSION, l->schema, key->str,
		   NULL);
	e->obj.loc = key->loc;
	e->any_version = true;
	if (ynode_is_null(val))
		return;         /* `name:` alone: the default version */
	if (val->type != YN_MAP) {
		struct sg_diag *dg = yexpect(l->d, l->t, val, "a mapping "
					     "{version:, comment:} or nothing");

		if (val->type == YN_SCALAR)
			sg_diag_hint(dg, l->d, "write {version: %s}",
				     yq(l->t, val->str));
		return;
	}
	yload_keys(l, val, extension_keys, ARRAY_SIZE(extension_keys), v,
		   sg_printf(l->t, "extension %s", yq(l->t, key->str)));
	e->version = get_string(l, v[0], "version", &e->version_loc);
	if (e->version && !*e->version) {
		sg_diag_error(l->d, v[0]->loc, "\"version\" is empty");
		e->version = NULL;
	}
	e->any_version = e->version == NULL;
	set_comment(l, &e->obj.comment, v[1]);
}

/* ---- collations ---- */

static const char *const collation_keys[] = {
	"provider", "locale", "lc_collate", "lc_ctype", "deterministic",
	"comment", "owner",
};

void load_collation(struct loader *l, const struct ynode *key,
		    const struct ynode *val)
{
	static const char *const providers[] = { "libc", "icu", "builtin" };
	const struct ynode *v[ARRAY_SIZE(collation_keys)];
	struct sg_collation *c;
	const char *ctx;

	if (!yname_ok(l->d, l->t, key, "collation name"))
		return;
	c = SG_NEW(l->cat, sg_collation, SG_KIND_COLLATION, l->schema, key->str,
		   NULL);
	c->obj.loc = key->loc;
	c->provider = 'c';
	c->deterministic = true;
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, "a mapping {provider:, locale:, ...}");
		return;
	}
	ctx = sg_printf(l->t, "collation %s", yq(l->t, key->str));
	yload_keys(l, val, collation_keys, ARRAY_SIZE(collation_keys), v, ctx);
	if (v[0] && !ynode_is_null(v[0])) {
		const char *p = v[0]->type == YN_SCALAR ? v[0]->str : "";

		if (strcmp(p, "libc") == 0) {
			c->provider = 'c';
		} else if (strcmp(p, "icu") == 0) {
			c->provider = 'i';
		} else if (strcmp(p, "builtin") == 0) {
			c->provider = 'b';
		} else {
			struct sg_diag *dg = sg_diag_error(
				l->d, v[0]->loc, "\"provider\" must be libc, icu or "
				"builtin, found %s", ynode_found(l->t, v[0]));
			const char *s = v[0]->type == YN_SCALAR
				? sg_suggest(p, providers, ARRAY_SIZE(providers)) : NULL;

			if (s)
				sg_diag_hint(dg, l->d, "did you mean \"%s\"?", s);
		}
	}
	c->locale = get_string(l, v[1], "locale", &c->locale_loc);
	c->lc_collate = get_string(l, v[2], "lc_collate",
				   c->locale ? NULL : &c->locale_loc);
	c->lc_ctype = get_string(l, v[3], "lc_ctype",
				 c->locale || c->lc_collate ? NULL : &c->locale_loc);
	if (v[4] && !ynode_is_null(v[4]))
		yget_bool(l->d, l->t, v[4], "deterministic", &c->deterministic);
	set_comment(l, &c->obj.comment, v[5]);
	load_owner(l, &c->obj, v[6]);
	if (c->locale && (c->lc_collate || c->lc_ctype)) {
		struct sg_diag *dg = sg_diag_error(
			l->d, (c->lc_collate ? v[2] : v[3])->loc, "%s has both "
			"\"locale\" and \"%s\"", ctx,
			c->lc_collate ? "lc_collate" : "lc_ctype");

		sg_diag_hint(dg, l->d, "\"locale\" sets both lc_collate and "
			     "lc_ctype");
	} else if (c->provider != 'c' && (c->lc_collate || c->lc_ctype)) {
		sg_diag_error(l->d, (c->lc_collate ? v[2] : v[3])->loc,
			      "\"%s\" is for libc collations; an %s collation "
			      "has a \"locale\"", c->lc_collate ? "lc_collate"
			      : "lc_ctype", c->provider == 'i' ? "icu" : "builtin");
	} else if (!c->locale && (!c->lc_collate || !c->lc_ctype)) {
		struct sg_diag *dg = sg_diag_error(
			l->d, key->loc, "%s needs \"locale\"%s", ctx,
			c->provider == 'c' ? " (or both \"lc_collate\" and "
			"\"lc_ctype\")" : "");

		if (c->provider == 'i')
			sg_diag_hint(dg, l->d, "an ICU locale such as "
				     "und-u-ks-level2");
	}
	/* libc: PostgreSQL keeps lc_collate and lc_ctype, as introspection
	 * reads them; icu and builtin keep the locale */
	if (c->provider == 'c' && c->locale) {
		c->lc_collate = c->lc_ctype = c->locale;
		c->locale = NULL;
	}
}

/* ---- domains ---- */

static const char *const domain_keys[] = {
	"type", "nullable", "default", "collation", "checks", "comment",
	"grants", "owner",
};

static const char *const domain_check_keys[] = {
	"name", "expression", "not_valid", "comment",
};

static void load_domain_check(struct loader *l, struct sg_domain *dm,
			      const struct ynode *item, const char *dctx)
{
	const struct ynode *v[ARRAY_SIZE(domain_check_keys)];
	struct sg_domain_check *k = &dm->checks[dm->nchecks];
	const char *ctx;

	if (item->type != YN_MAP) {
		yexpect(l->d, l->t, item, "a mapping {name:, expression:}");
		return;
	}
	yload_keys(l, item, domain_check_keys, ARRAY_SIZE(domain_check_keys), v,
		   sg_printf(l->t, "a check of %s", dctx));
	if (!v[0] || ynode_is_null(v[0])) {
		struct sg_diag *dg = sg_diag_error(l->d, item->loc, "missing key "
						   "\"name\" in a check of %s",
						   dctx);

		sg_diag_hint(dg, l->d, "the checks of a domain are named: they "
			     "are altered by name");
		return;
	}
	if (!yname_ok(l->d, l->t, v[0], "constraint name"))
		return;
	for (size_t i = 0; i < dm->nchecks; i++) {
		if (strcmp(dm->checks[i].name, v[0]->str) == 0) {
			struct sg_diag *dg = sg_diag_error(
				l->d, v[0]->loc, "check %s of %s is defined twice",
				yq(l->t, v[0]->str), dctx);

			sg_diag_hint(dg, l->d, "first defined at %s:%d:%d",
				     sg_loc_file(dm->checks[i].name_loc),
				     dm->checks[i].name_loc.line,
				     dm->checks[i].name_loc.col);
			return;
		}
	}
	ctx = sg_printf(l->t, "check %s of %s", yq(l->t, v[0]->str), dctx);
	k->name = sg_strdup(l->a, v[0]->str);
	k->name_loc = v[0]->loc;
	if (!v[1] || ynode_is_null(v[1]))
		sg_diag_error(l->d, item->loc, "missing key \"expression\" in %s", ctx);
	else
		k->expression = yload_sql(l, v[1], "expression", SG_FRAG_EXPR,
					  sg_printf(l->t, "expression of %s", ctx),
					  &k->loc);
	if (v[2] && !ynode_is_null(v[2]))
		yget_bool(l->d, l->t, v[2], "not_valid", &k->not_valid);
	set_comment(l, &k->comment, v[3]);
	if (k->expression)
		dm->nchecks++;
}

/* Sorted by name, as introspection has them. */
static void sort_checks(struct sg_domain *dm)
{
	for (size_t i = 1; i < dm->nchecks; i++)
		for (size_t j = i; j > 0 && strcmp(dm->checks[j - 1].name,
						   dm->checks[j].name) > 0; j--) {
			struct sg_domain_check t = dm->checks[j];

			dm->checks[j] = dm->checks[j - 1];
			dm->checks[j - 1] = t;
		}
}

void load_domain(struct loader *l, const struct ynode *key,
		 const struct ynode *val)
{
	const struct ynode *v[ARRAY_SIZE(domain_keys)] = { 0 };
	struct sg_domain *dm;
	const char *ctx;
	bool nullable = true;

	if (!yname_ok(l->d, l->t, key, "domain name"))
		return;
	dm = SG_NEW(l->cat, sg_domain, SG_KIND_DOMAIN, l->schema, key->str, NULL);
	dm->obj.loc = key->loc;
	ctx = sg_printf(l->t, "domain %s", yq(l->t, key->str));
	if (val->type == YN_SCALAR && !ynode_is_null(val)) {
		v[0] = val;     /* the shorthand `name: type` */
	} else if (val->type == YN_MAP) {
		yload_keys(l, val, domain_keys, ARRAY_SIZE(domain_keys), v, ctx);
	} else {
		yexpect(l->d, l->t, val, "a type or a mapping");
		return;
	}
	if (!v[0] || ynode_is_null(v[0]))
		sg_diag_error(l->d, key->loc, "missing key \"type\" in %s", ctx);
	else
		dm->base_type = yload_sql(l, v[0], "type", SG_FRAG_TYPE,
					  sg_printf(l->t, "type of %s", ctx),
					  &dm->type_loc);
	if (v[1] && !ynode_is_null(v[1]) &&
	    yget_bool(l->d, l->t, v[1], "nullable", &nullable))
		dm->not_null = !nullable;
	if (v[2] && !ynode_is_null(v[2]))
		dm->default_expr = yload_sql(l, v[2], "default", SG_FRAG_EXPR,
					     sg_printf(l->t, "default of %s", ctx),
					     &dm->default_loc);
	if (v[3] && !ynode_is_null(v[3])) {
		dm->collation = load_qualname(l, v[3], "collation");
		dm->collation_loc = v[3]->vloc;
	}
	if (v[4] && !ynode_is_null(v[4])) {
		if (v[4]->type != YN_SEQ) {
			yexpect(l->d, l->t, v[4], "a list of checks");
		} else {
			dm->checks = sg_alloc_array(l->a, v[4]->nkids + 1,
						    sizeof(*dm->checks));
			for (size_t i = 0; i < v[4]->nkids; i++)
				load_domain_check(l, dm, v[4]->kids[i], ctx);
			sort_checks(dm);
		}
	}
	set_comment(l, &dm->obj.comment, v[5]);
	load_grants(l, &dm->obj, v[6]);
	load_owner(l, &dm->obj, v[7]);
}

/* ---- composite types ---- */

static const char *const composite_keys[] = {
	"attributes", "comment", "grants", "owner",
};
static const char *const attribute_keys[] = { "type", "collation", "comment" };

static void load_attribute(struct loader *l, struct sg_composite *ct,
			   const struct ynode *key, const struct ynode *val,
			   const char *tctx)
{
	const struct ynode *v[ARRAY_SIZE(attribute_keys)] = { 0 };
	struct sg_attribute *a;
	const char *ctx;

	if (!yname_ok(l->d, l->t, key, "attribute name"))
		return;
	ctx = sg_printf(l->t, "attribute %s of %s", yq(l->t, key->str), tctx);
	if (val->type == YN_SCALAR && !ynode_is_null(val)) {
		v[0] = val;     /* `name: type` */
	} else if (val->type == YN_MAP) {
		yload_keys(l, val, attribute_keys, ARRAY_SIZE(attribute_keys), v, ctx);
	} else {
		yexpect(l->d, l->t, val, "a type or a mapping");
		return;
	}
	a = &ct->attrs[ct->nattrs];
	a->name = sg_strdup(l->a, key->str);
	a->loc = key->loc;
	if (!v[0] || ynode_is_null(v[0])) {
		sg_diag_error(l->d, key->loc, "missing key \"type\" in %s", ctx);
		return;
	}
	a->type = yload_sql(l, v[0], "type", SG_FRAG_TYPE,
			    sg_printf(l->t, "type of %s", ctx), &a->type_loc);
	if (!a->type)
		return;
	if (v[1] && !ynode_is_null(v[1])) {
		a->collation = load_qualname(l, v[1], "collation");
		a->collation_loc = v[1]->vloc;
	}
	set_comment(l, &a->comment, v[2]);
	ct->nattrs++;
}

void load_composite(struct loader *l, const struct ynode *key,
		    const struct ynode *val)
{
	const struct ynode *v[ARRAY_SIZE(composite_keys)];
	struct sg_composite *ct;
	const char *ctx;

	if (!yname_ok(l->d, l->t, key, "type name"))
		return;
	ct = SG_NEW(l->cat, sg_composite, SG_KIND_COMPOSITE, l->schema, key->str,
		    NULL);
	ct->obj.loc = key->loc;
	ctx = sg_printf(l->t, "type %s", yq(l->t, key->str));
	if (val->type != YN_MAP) {
		struct sg_diag *dg = yexpect(l->d, l->t, val, "a mapping "
					     "{attributes:, comment:}");

		sg_diag_hint(dg, l->d, "types: holds composite types; enums are "
			     "under enums:, domains under domains:");
		return;
	}
	yload_keys(l, val, composite_keys, ARRAY_SIZE(composite_keys), v, ctx);
	set_comment(l, &ct->obj.comment, v[1]);
	load_grants(l, &ct->obj, v[2]);
	load_owner(l, &ct->obj, v[3]);
	if (!v[0]) {
		struct sg_diag *dg = sg_diag_error(l->d, key->loc, "missing key "
						   "\"attributes\" in %s", ctx);

		sg_diag_hint(dg, l->d, "a type without attributes says "
			     "\"attributes: {}\"");
		return;
	}
	if (ynode_is_null(v[0]))
		return;
	if (v[0]->type != YN_MAP) {
		yexpect(l->d, l->t, v[0], "a mapping of attribute names to types "
			"or definitions");
		return;
	}
	ct->attrs = sg_alloc_array(l->a, v[0]->nkids / 2 + 1, sizeof(*ct->attrs));
	for (size_t i = 0; i + 1 < v[0]->nkids; i += 2)
		if (ykey_ok(l->d, l->t, v[0]->kids[i]))
			load_attribute(l, ct, v[0]->kids[i], v[0]->kids[i + 1], ctx);
}
