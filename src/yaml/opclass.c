// SPDX-License-Identifier: MIT
/*
 * opclass.c - operator families and operator classes of a model file
 * (`operator_families:`, `operator_classes:`).
 *
 *   operator_families:
 *     fam:
 *       using: btree
 *       operators:                  # loose members (ALTER ... ADD)
 *         - {number: 1, types: [int, bigint], operator: "<"}
 *         - {number: 15, types: [point, point], operator: "<->",
 *            for_order_by: float_ops}
 *       functions:
 *         - {number: 1, types: [int, bigint], function: "btint48cmp(int, bigint)"}
 *   operator_classes:
 *     my_ops:
 *       using: btree
 *       for_type: int
 *       default: false
 *       family: fam                 # else a family of the class's name
 *       operators: {1: "<", 3: "="} # strategy number: operator(s)
 *       functions: {1: s.cmp(int, int)}
 *       # several members of one number: a list, {1: ["<", "< (int, bigint)"]}
 *       storage: int
 *
 * The method is a name; for_type and storage are types; each operator and
 * function is what follows its number in CREATE OPERATOR CLASS, parsed as
 * exactly one such item.  Strategy and support numbers are whole numbers
 * from 1 to 32767.  The identity is "name USING method", as introspected;
 * a name used with several methods takes a list of mappings.
 */
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/quote.h"
#include "schemagen/scan.h"
#include "schemagen/sql.h"
#include "yaml-priv.h"

static const char *const operator_family_keys[] = {
	"using", "comment", "owner", "operators", "functions",
};
static const char *const family_operator_keys[] = {
	"number", "types", "operator", "for_order_by",
};
static const char *const family_function_keys[] = { "number", "types", "function" };

static const char *const operator_class_keys[] = {
	"using", "for_type", "default", "family", "operators", "functions",
	"storage", "comment", "owner",
};
enum {
	CK_USING, CK_FOR_TYPE, CK_DEFAULT, CK_FAMILY, CK_OPERATORS, CK_FUNCTIONS,
	CK_STORAGE, CK_COMMENT, CK_OWNER, CK__COUNT
};
_Static_assert(ARRAY_SIZE(operator_class_keys) == CK__COUNT, "operator_class_keys");

static const char *load_comment(struct loader *l, const struct ynode *v)
{
	const char *s;

	if (v && yget_str(l->d, l->t, v, "comment", &s) && s && *s)
		return sg_strdup(l->a, s);
	return NULL;
}

/* `using:`, required: an access method's name */
static const char *load_method(struct loader *l, const struct ynode *key,
			       const struct ynode *v, const char *ctx,
			       struct sg_loc *loc)
{
	if (!v || ynode_is_null(v)) {
		sg_diag_error(l->d, key->loc, "missing key \"using\" in %s", ctx);
		return NULL;
	}
	if (!yname_ok(l->d, l->t, v, "access method name"))
		return NULL;
	*loc = v->vloc;
	return sg_strdup(l->a, v->str);
}

struct fmember_vec {
	struct sg_opfamily_member *v;
	size_t n, cap;
};

/* `number:` of a member: a whole number from 1 to 32767 */
static bool load_number(struct loader *l, const struct ynode *key, const struct ynode *v,
			char kind, const char *ctx, int *out)
{
	int64_t n;

	if (!v || ynode_is_null(v)) {
		sg_diag_error(l->d, key->loc, "missing key \"number\" in %s", ctx);
		return false;
	}
	if (!yget_int64(l->d, l->t, v, "number", &n))
		return false;
	if (n < 1 || n > 32767) {
		sg_diag_error(l->d, v->vloc, "%lld is not a %s number: a whole number "
			      "from 1 to 32767", (long long)n,
			      kind == 'o' ? "strategy" : "support");
		return false;
	}
	*out = (int)n;
	return true;
}

/* `types:` of a member: [left, right] */
static bool load_types(struct loader *l, const struct ynode *key, const struct ynode *v,
		       const char *ctx, struct sg_opfamily_member *m)
{
	if (!v || ynode_is_null(v)) {
		sg_diag_error(l->d, key->loc, "missing key \"types\" in %s", ctx);
		return false;
	}
	if (v->type != YN_SEQ) {
		yexpect(l->d, l->t, v, "a list of two types (left and right)");
		return false;
	}
	if (v->nkids != 2) {
		sg_diag_error(l->d, v->loc, "types of %s: %zu types, not two (left and "
			      "right)", ctx, (size_t)v->nkids);
		return false;
	}
	m->left = yload_sql(l, v->kids[0], "types", SG_FRAG_TYPE,
			    sg_printf(l->t, "left type of %s", ctx), &m->left_loc);
	m->right = yload_sql(l, v->kids[1], "types", SG_FRAG_TYPE,
			     sg_printf(l->t, "right type of %s", ctx), &m->right_loc);
	return m->left && m->right;
}

/* `operators:` or `functions:` of a family: a list of members */
static void load_fmembers(struct loader *l, const struct ynode *v, char kind,
			  const char *fctx, struct fmember_vec *out)
{
	const char *const *keys = kind == 'o' ? family_operator_keys : family_function_keys;
	size_t nkeys = kind == 'o' ? ARRAY_SIZE(family_operator_keys)
				   : ARRAY_SIZE(family_function_keys);

	if (!v || ynode_is_null(v))
		return;
	if (v->type != YN_SEQ) {
		yexpect(l->d, l->t, v, kind == 'o' ? "a list of operators" : "a list of functions");
		return;
	}
	for (size_t i = 0; i < v->nkids; i++) {
		const struct ynode *item = v->kids[i], *k[4] = { 0 };
		struct sg_opfamily_member m = { .kind = kind };
		const char *ctx = sg_printf(l->t, "%s %zu of %s", kind == 'o' ? "operator"
					    : "function", i + 1, fctx);
		bool ok;

		if (item->type != YN_MAP) {
			yexpect(l->d, l->t, item, sg_printf(l->t, "a mapping for %s", ctx));
			continue;
		}
		get_keys(l, item, keys, nkeys, k, ctx);
		ok = load_number(l, item, k[0], kind, ctx, &m.number);
		ok = load_types(l, item, k[1], ctx, &m) && ok;
		m.loc = item->loc;
		if (!k[2] || ynode_is_null(k[2])) {
			sg_diag_error(l->d, item->loc, "missing key \"%s\" in %s", keys[2], ctx);
			ok = false;
		} else if (!(m.text = yload_sql(l, k[2], keys[2], kind == 'o'
						 ? SG_FRAG_OPFAMILY_OPERATOR
						 : SG_FRAG_OPFAMILY_FUNCTION,
						 sg_printf(l->t, "%s of %s", keys[2], ctx), &m.loc))) {
			ok = false;
		}
		if (kind == 'o' && k[3] && !ynode_is_null(k[3])) {
			const char *fs, *fname;

			m.sortfamily = load_qualname(l, k[3], "for_order_by");
			m.sort_loc = k[3]->type == YN_SCALAR ? k[3]->vloc : k[3]->loc;
			/* unqualified: the family of the file's schema */
			if (m.sortfamily &&
			    sg_sql_split_name(l->t, m.sortfamily, &fs, &fname) == 1)
				m.sortfamily = sg_qq(l->a, l->schema, fname);
			ok = ok && m.sortfamily;
		}
		if (!ok)
			continue;
		for (size_t j = 0; j < out->n; j++)
			if (sg_opfamily_member_cmp(&out->v[j], &m) == 0) {
				sg_diag_error(l->d, item->loc, "%s %d (%s, %s) of %s is given "
					      "twice", kind == 'o' ? "operator" : "function",
					      m.number, m.left, m.right, fctx);
				ok = false;
				break;
			}
		if (ok)
			SG_VEC_PUSH(l->a, out, m);
	}
}

static void load_family(struct loader *l, const struct ynode *key,
			const struct ynode *val)
{
	struct fmember_vec mv = { 0 };
	const struct ynode *v[ARRAY_SIZE(operator_family_keys)];
	const char *ctx, *method;
	struct sg_opfamily *f;
	struct sg_loc mloc = { 0 };

	if (!yname_ok(l->d, l->t, key, "operator family name"))
		return;
	ctx = sg_printf(l->t, "operator family %s", yq(l->t, key->str));
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, sg_printf(l->t, "a mapping for %s", ctx));
		return;
	}
	get_keys(l, val, operator_family_keys, ARRAY_SIZE(operator_family_keys), v, ctx);
	if (!(method = load_method(l, key, v[0], ctx, &mloc)))
		return;
	f = SG_NEW(l->cat, sg_opfamily, SG_KIND_OPFAMILY, l->schema,
		   sg_printf(l->t, "%s USING %s", key->str, method), NULL);
	f->obj.loc = key->loc;
	f->famname = sg_strdup(l->a, key->str);
	f->method = method;
	f->method_loc = mloc;
	f->obj.comment = load_comment(l, v[1]);
	load_owner(l, &f->obj, v[2]);
	load_fmembers(l, v[3], 'o', ctx, &mv);
	load_fmembers(l, v[4], 'f', ctx, &mv);
	if (mv.n > 1)
		qsort(mv.v, mv.n, sizeof(*mv.v), sg_opfamily_member_cmp);
	f->members = mv.v;
	f->nmembers = mv.n;
}

struct member_vec {
	struct sg_opclass_member *v;
	size_t n, cap;
};

/* `operators:` or `functions:`: number -> item */
static void load_members(struct loader *l, const struct ynode *v, char kind,
			 const char *ctx, struct member_vec *out)
{
	const char *key = kind == 'o' ? "operators" : "functions";

	if (!v || ynode_is_null(v))
		return;
	if (v->type != YN_MAP) {
		yexpect(l->d, l->t, v, kind == 'o'
			? "a mapping of strategy numbers to operators"
			: "a mapping of support numbers to functions");
		return;
	}
	for (size_t i = 0; i + 1 < v->nkids; i += 2) {
		const struct ynode *k = v->kids[i], *item = v->kids[i + 1];
		struct sg_opclass_member m = { .kind = kind };
		char *end;
		long n;

		if (!ykey_ok(l->d, l->t, k))
			continue;
		n = strtol(k->str, &end, 10);
		if (*end || end == k->str || k->str[0] == '+' || k->str[0] == ' ' ||
		    n < 1 || n > 32767) {
			sg_diag_error(l->d, k->loc, "%s is not a %s number: a whole number "
				      "from 1 to 32767", yq(l->t, k->str),
				      kind == 'o' ? "strategy" : "support");
			continue;
		}
		m.number = (int)n;
		/* several members of one number (cross-type): a list */
		for (size_t j = 0; j < (item->type == YN_SEQ ? item->nkids : 1); j++) {
			m.text = yload_sql(l, item->type == YN_SEQ ? item->kids[j] : item, key,
					   kind == 'o' ? SG_FRAG_OPCLASS_OPERATOR
					   : SG_FRAG_OPCLASS_FUNCTION,
					   sg_printf(l->t, "%s %ld of %s", kind == 'o' ? "operator"
						     : "function", n, ctx), &m.loc);
			if (m.text)
				SG_VEC_PUSH(l->a, out, m);
		}
	}
}

static void load_class(struct loader *l, const struct ynode *key,
		       const struct ynode *val)
{
	const struct ynode *v[CK__COUNT];
	struct member_vec mv = { 0 };
	const char *ctx, *method;
	struct sg_opclass *c;
	struct sg_loc mloc = { 0 };

	if (!yname_ok(l->d, l->t, key, "operator class name"))
		return;
	ctx = sg_printf(l->t, "operator class %s", yq(l->t, key->str));
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, sg_printf(l->t, "a mapping for %s", ctx));
		return;
	}
	get_keys(l, val, operator_class_keys, CK__COUNT, v, ctx);
	if (!(method = load_method(l, key, v[CK_USING], ctx, &mloc)))
		return;
	c = SG_NEW(l->cat, sg_opclass, SG_KIND_OPCLASS, l->schema,
		   sg_printf(l->t, "%s USING %s", key->str, method), NULL);
	c->obj.loc = key->loc;
	c->opcname = sg_strdup(l->a, key->str);
	c->method = method;
	c->method_loc = mloc;
	if (!v[CK_FOR_TYPE] || ynode_is_null(v[CK_FOR_TYPE]))
		sg_diag_error(l->d, key->loc, "missing key \"for_type\" in %s", ctx);
	else
		c->for_type = yload_sql(l, v[CK_FOR_TYPE], "for_type", SG_FRAG_TYPE,
					sg_printf(l->t, "for_type of %s", ctx), &c->type_loc);
	if (v[CK_DEFAULT])
		yget_bool(l->d, l->t, v[CK_DEFAULT], "default", &c->is_default);
	if (v[CK_FAMILY] && !ynode_is_null(v[CK_FAMILY])) {
		const char *fs, *fname;

		c->family = load_qualname(l, v[CK_FAMILY], "family");
		c->family_loc = v[CK_FAMILY]->type == YN_SCALAR ? v[CK_FAMILY]->vloc
								  : v[CK_FAMILY]->loc;
		/* unqualified: the family of the file's schema */
		if (c->family && sg_sql_split_name(l->t, c->family, &fs, &fname) == 1)
			c->family = sg_qq(l->a, l->schema, fname);
	}
	if (v[CK_STORAGE] && !ynode_is_null(v[CK_STORAGE]))
		c->storage = yload_sql(l, v[CK_STORAGE], "storage", SG_FRAG_TYPE,
				       sg_printf(l->t, "storage of %s", ctx), &c->storage_loc);
	load_members(l, v[CK_OPERATORS], 'o', ctx, &mv);
	load_members(l, v[CK_FUNCTIONS], 'f', ctx, &mv);
	if (!v[CK_OPERATORS] && !v[CK_FUNCTIONS])
		sg_diag_error(l->d, key->loc, "%s has no operators and no functions", ctx);
	c->members = mv.v;
	c->nmembers = mv.n;
	c->obj.comment = load_comment(l, v[CK_COMMENT]);
	load_owner(l, &c->obj, v[CK_OWNER]);
}

static void load_section(struct loader *l, const struct ynode *val, const char *what,
			 void (*one)(struct loader *, const struct ynode *,
				     const struct ynode *))
{
	if (ynode_is_null(val))
		return;
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, sg_printf(l->t, "a mapping of %s names to "
						   "definitions", what));
		return;
	}
	for (size_t i = 0; i + 1 < val->nkids; i += 2) {
		if (!ykey_ok(l->d, l->t, val->kids[i]))
			continue;
		if (ynode_is_null(val->kids[i + 1])) {
			sg_diag_error(l->d, val->kids[i]->loc, "%s %s has no definition",
				      what, yq(l->t, val->kids[i]->str));
			continue;
		}
		if (val->kids[i + 1]->type != YN_SEQ) {
			one(l, val->kids[i], val->kids[i + 1]);
			continue;
		}
		/* one per access method: a list of mappings */
		for (size_t j = 0; j < val->kids[i + 1]->nkids; j++) {
			struct ynode k = *val->kids[i];

			if (val->kids[i + 1]->nkids > 1)
				k.loc = val->kids[i + 1]->kids[j]->loc;
			one(l, &k, val->kids[i + 1]->kids[j]);
		}
	}
}

void load_opfamilies(struct loader *l, const struct ynode *val)
{
	load_section(l, val, "operator family", load_family);
}

void load_opclasses(struct loader *l, const struct ynode *val)
{
	load_section(l, val, "operator class", load_class);
}
