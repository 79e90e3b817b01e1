// SPDX-License-Identifier: MIT
/*
 * operator.c - operators of a model file (`operators:`).
 *
 * An operator is a mapping under its name (`===`: quote the names YAML
 * reads otherwise, such as "@@" or "|/"); overloads for other types share
 * the name, so the value may instead be a list of mappings.  The name is
 * checked against PostgreSQL's rules for operator names (scan.l) here,
 * since it is written into statements as it is, never quoted:
 *  - only the characters + - * / < > = ~ ! @ # % ^ & | ` ?, at most 63;
 *  - no -- nor a slash-star inside (they start comments);
 *  - a name of several characters ends in + or - only when it also has
 *    one of ~ ! @ # % ^ & | ` ? (else the lexer splits it);
 *  - not != (an alias of <>) nor =>.
 * `left` (absent for a prefix operator) and `right` are types, `function`,
 * `restrict` and `join` function names, `commutator` and `negator`
 * operators (=, OPERATOR(schema.op)), each parsed as exactly that.
 *
 * The identity is "name(left, right)" with the types as format_type()
 * spells them (NONE for no left type), like the introspected one's.
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/sbuf.h"
#include "schemagen/sql.h"
#include "yaml-priv.h"

/* sg_opr_opts[]'s keys in their order, then the others (OK_*) */
static const char *const operator_keys[] = {
	"function", "commutator", "negator", "restrict", "join",
	"left", "right", "hashes", "merges", "comment", "owner",
};
enum {
	OK_LEFT = SG_OPR__COUNT, OK_RIGHT, OK_HASHES, OK_MERGES, OK_COMMENT,
	OK_OWNER, OK__COUNT
};
_Static_assert(ARRAY_SIZE(operator_keys) == OK__COUNT, "operator_keys");

/* NULL when s is an operator name PostgreSQL accepts, else why not. */
static const char *operator_name_problem(const char *s)
{
	static const char chars[] = "+-*/<>=~!@#%^&|`?";
	size_t n = strlen(s);

	if (strspn(s, chars) != n)
		return "it may only contain the characters + - * / < > = ~ ! @ # % ^ & | ` ?";
	if (strstr(s, "--") || strstr(s, "/*"))
		return "it cannot contain -- or /* (they start comments)";
	if (n > 1 && (s[n - 1] == '+' || s[n - 1] == '-') && !strpbrk(s, "~!@#%^&|`?"))
		return "a name of several characters can end in + or - only when "
		       "it has one of ~ ! @ # % ^ & | ` ?";
	if (strcmp(s, "!=") == 0 || strcmp(s, "=>") == 0)
		return "PostgreSQL reads != as <> and reserves =>";
	return NULL;
}

/* A type of the operator, its format_type() spelling into ident. */
static const char *load_type(struct loader *l, const struct ynode *v,
			     const char *key, const char *ctx, struct sbuf *ident,
			     struct sg_loc *loc)
{
	const char *what = sg_printf(l->t, "%s of %s", key, ctx);
	const char *t = yload_sql(l, v, key, SG_FRAG_TYPE, what, loc);
	struct sg_sql_arg a;

	if (!t)
		return NULL;
	if (sg_sql_argument(l->t, t, &a) < 0) {
		sbuf_adds(ident, t);
		return t;
	}
	routine_identity_type(ident, &a);
	return t;
}

static void load_operator(struct loader *l, const struct ynode *key,
			  const struct ynode *val, const char *ctx)
{
	const struct ynode *v[OK__COUNT];
	struct sbuf ident = SBUF_INIT;
	struct sg_operator *o;
	const char *left = NULL, *right = NULL;
	struct sg_loc left_loc = { 0 }, right_loc = { 0 };
	bool bad = false;

	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, sg_printf(l->t, "a mapping for %s", ctx));
		return;
	}
	get_keys(l, val, operator_keys, OK__COUNT, v, ctx);
	sbuf_addf(&ident, "%s(", key->str);
	if (v[OK_LEFT] && !ynode_is_null(v[OK_LEFT])) {
		left = load_type(l, v[OK_LEFT], "left", ctx, &ident, &left_loc);
		bad = !left;
	} else {
		sbuf_adds(&ident, "NONE");
	}
	sbuf_adds(&ident, ", ");
	if (!v[OK_RIGHT] || ynode_is_null(v[OK_RIGHT])) {
		struct sg_diag *dg = sg_diag_error(l->d, key->loc, "missing key "
						   "\"right\" in %s", ctx);

		sg_diag_hint(dg, l->d, "PostgreSQL has no postfix operators: every "
			     "operator has a right argument type");
		bad = true;
	} else {
		right = load_type(l, v[OK_RIGHT], "right", ctx, &ident, &right_loc);
		bad = bad || !right;
	}
	sbuf_addch(&ident, ')');
	if (bad) {
		sbuf_release(&ident);
		return;
	}
	o = SG_NEW(l->cat, sg_operator, SG_KIND_OPERATOR, l->schema, ident.buf, NULL);
	sbuf_release(&ident);
	o->obj.loc = key->loc;
	o->oprname = sg_strdup(l->a, key->str);
	o->left = left;
	o->right = right;
	o->left_loc = left_loc;
	o->right_loc = right_loc;
	for (int i = 0; i < SG_OPR__COUNT; i++)
		o->opts[i] = yload_opt(l, &sg_opr_opts[i], v[i], ctx, &o->opt_locs[i]);
	if (!v[SG_OPR_FUNCTION])
		sg_diag_error(l->d, key->loc, "missing key \"function\" in %s", ctx);
	if (v[OK_HASHES])
		yget_bool(l->d, l->t, v[OK_HASHES], "hashes", &o->hashes);
	if (v[OK_MERGES])
		yget_bool(l->d, l->t, v[OK_MERGES], "merges", &o->merges);
	if (v[OK_COMMENT]) {
		const char *s;

		if (yget_str(l->d, l->t, v[OK_COMMENT], "comment", &s) && s && *s)
			o->obj.comment = sg_strdup(l->a, s);
	}
	load_owner(l, &o->obj, v[OK_OWNER]);
}

static void load_one(struct loader *l, const struct ynode *key,
		     const struct ynode *val)
{
	const char *ctx, *problem;

	if (!yname_ok(l->d, l->t, key, "operator name"))
		return;
	if ((problem = operator_name_problem(key->str)) != NULL) {
		sg_diag_error(l->d, key->loc, "%s is not an operator name: %s",
			      yq(l->t, key->str), problem);
		return;
	}
	ctx = sg_printf(l->t, "operator %s", yq(l->t, key->str));
	if (ynode_is_null(val) || (val->type == YN_SEQ && val->nkids == 0)) {
		sg_diag_error(l->d, ynode_is_null(val) ? key->loc : val->loc,
			      "%s has no definition", ctx);
		return;
	}
	if (val->type != YN_SEQ) {
		load_operator(l, key, val, ctx);
		return;
	}
	for (size_t i = 0; i < val->nkids; i++) {
		struct ynode k = *key;

		if (val->nkids > 1)
			k.loc = val->kids[i]->loc;
		load_operator(l, &k, val->kids[i], ctx);
	}
}

void load_operators(struct loader *l, const struct ynode *val)
{
	if (ynode_is_null(val))
		return;
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, "a mapping of operator names to definitions");
		return;
	}
	for (size_t i = 0; i + 1 < val->nkids; i += 2)
		if (ykey_ok(l->d, l->t, val->kids[i]))
			load_one(l, val->kids[i], val->kids[i + 1]);
}
