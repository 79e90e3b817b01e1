// SPDX-License-Identifier: MIT
/*
 * security.c - what differs in privileges, row-level security and
 * policies.
 *
 * Privileges are compared for every kind by one helper, diff_grants(),
 * which each pair function ORs into the `what` of its ALTER: grants are
 * sorted by grantee and hold aclitem letters in aclitem order, so list
 * equality is the comparison.  For a top-level kind whose pair function
 * does not, walk_kind() adds an ALTER of the grants alone
 * (diff_grants_unless_said()); children are compared by their relation's
 * pair function.  A side loaded from YAML without `grants:`
 * (has_acl false) says nothing about privileges and is not compared: that
 * only happens when the models are materialised, for objects that already
 * exist in a fresh database (the schema public).
 *
 * Policies are children of their table, walked from diff_table_pair().
 * ALTER POLICY can change the roles and set USING or WITH CHECK, but not
 * the command, permissive/restrictive, nor remove an expression: those
 * changes drop and re-create the policy.
 */
#include <string.h>

#include "diff-priv.h"

sg_chg diff_grants(const struct sg_object *f, const struct sg_object *t)
{
	if (!f->has_acl || !t->has_acl)
		return 0;
	return sg_grants_equal(f->grants, f->ngrants, t->grants, t->ngrants)
		? 0 : SG_CHG_GRANTS;
}

void diff_grants_unless_said(struct differ *df, const struct sg_object *f,
			     const struct sg_object *t, size_t first)
{
	if (!diff_grants(f, t))
		return;
	for (size_t i = first; i < df->out->n; i++) {
		const struct sg_change *c = df->out->v[i];

		if ((c->from == f && (c->op == SG_OP_DROP || (c->what & SG_CHG_GRANTS))) ||
		    (c->to == t && c->op == SG_OP_CREATE))
			return;
	}
	diff_add(df, SG_OP_ALTER, f, t, SG_CHG_GRANTS);
}

/*
 * Owners: compared when both sides name one (a side that does not, the
 * models without `owner:` nor default_owner, does not manage them); an
 * ALTER of its own, unless the object is dropped or created again (a
 * CREATE sets the owner it creates with: emit_comment_after_create()).
 */
void diff_owner_unless_said(struct differ *df, const struct sg_object *f,
			    const struct sg_object *t, size_t first)
{
	if (!f->owner || !t->owner || strcmp(f->owner, t->owner) == 0)
		return;
	/* a sequence owned by a column follows its table */
	if (f->kind == SG_KIND_SEQUENCE &&
	    (((const struct sg_sequence *)f)->owned_table ||
	     ((const struct sg_sequence *)t)->owned_table))
		return;
	for (size_t i = first; i < df->out->n; i++) {
		struct sg_change *c = df->out->v[i];

		if ((c->from == f && c->op == SG_OP_DROP) ||
		    (c->to == t && c->op == SG_OP_CREATE))
			return;
		/* with the grants: emitted between their revokes and grants
		 * (emit_security_alter()), as the owner's entry moves */
		if (c->from == f && c->to == t && c->op == SG_OP_ALTER &&
		    (c->what & SG_CHG_GRANTS)) {
			c->what |= SG_CHG_OWNER;
			return;
		}
	}
	diff_add(df, SG_OP_ALTER, f, t, SG_CHG_OWNER);
}

sg_chg diff_rls(const struct sg_table *f, const struct sg_table *t)
{
	return f->rls_enabled != t->rls_enabled || f->rls_forced != t->rls_forced
		? SG_CHG_RLS : 0;
}

static bool roles_equal(const struct sg_policy *f, const struct sg_policy *t)
{
	return sg_strings_equal(f->roles, f->nroles, t->roles, t->nroles);
}

static void pair_policy(struct differ *df, const struct sg_policy *f,
			const struct sg_policy *t)
{
	sg_chg what = 0;

	if (f->permissive != t->permissive || f->command != t->command ||
	    (f->using_expr && !t->using_expr) || (f->check_expr && !t->check_expr)) {
		diff_add(df, SG_OP_DROP, &f->obj, NULL, 0);
		diff_add(df, SG_OP_CREATE, NULL, &t->obj, 0);
		return;
	}
	if (!roles_equal(f, t) || !sg_streq(f->using_expr, t->using_expr) ||
	    !sg_streq(f->check_expr, t->check_expr))
		what |= SG_CHG_POLICY;
	if (!sg_streq(f->obj.comment, t->obj.comment))
		what |= SG_CHG_COMMENT;
	if (what)
		diff_add(df, SG_OP_ALTER, &f->obj, &t->obj, what);
}

static void policy_pair(struct differ *df, struct colmap *m,
			const struct sg_object *f, const struct sg_object *t)
{
	(void)m;
	pair_policy(df, (const void *)f, (const void *)t);
}

void diff_policies(struct differ *df, const struct sg_table *ft,
		   const struct sg_table *tt)
{
	static const struct child_ops ops = { policy_pair, NULL };

	diff_children(df, NULL, DIFF_CHILD_OBJS(df->a, ft->policies, ft->npolicies),
		      ft->npolicies,
		      DIFF_CHILD_OBJS(df->a, tt->policies, tt->npolicies),
		      tt->npolicies, &ops);
}
