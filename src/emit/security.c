// SPDX-License-Identifier: MIT
/*
 * security.c - GRANT and REVOKE for every kind, ENABLE / FORCE ROW LEVEL
 * SECURITY, and CREATE / ALTER / DROP POLICY.
 *
 * Privileges are emitted as the difference between two grant lists (see
 * model.h: aclitem letters per grantee, the owner left out): for an ALTER,
 * the two sides; after a CREATE, what CREATE gives (sg_grants_default():
 * EXECUTE or USAGE to PUBLIC on functions and types, nothing on the rest)
 * and the object's grants.  Per grantee, in grantee order: REVOKE of what
 * goes, REVOKE GRANT OPTION FOR what stays without it, GRANT of what
 * comes, GRANT ... WITH GRANT OPTION of what comes with it.  One
 * statement per grantee and kind of change, so a role that does not exist
 * is reported at that grantee's line of the model file.
 *
 * Revoking a privilege on a table also revokes it on every column
 * (PostgreSQL's rule); a column that keeps the privilege has it granted
 * again right after.
 *
 * Objects loaded from YAML without `grants:` keep what CREATE gives them:
 * nothing is emitted for them.
 */
#include <string.h>

#include "schemagen/quote.h"
#include "emit-priv.h"

/* The object as GRANT names it (after ON): views are tables to GRANT. */
static void grant_target(struct sbuf *out, const struct sg_object *obj)
{
	switch (obj->kind) {
	case SG_KIND_COLUMN:
		sbuf_adds(out, "TABLE ");
		sg_quote_qualified(out, obj->schema, obj->parent->name);
		break;
	case SG_KIND_SERVER:
		sbuf_adds(out, "FOREIGN SERVER ");
		sg_quote_ident(out, obj->name);
		break;
	case SG_KIND_VIEW:
	case SG_KIND_FOREIGN_TABLE:
		sbuf_adds(out, "TABLE ");
		sg_quote_qualified(out, obj->schema, obj->name);
		break;
	case SG_KIND_AGGREGATE: {
		/* GRANT has no ON AGGREGATE: the function of every argument type */
		const struct sg_aggregate *g = (const struct sg_aggregate *)obj;

		sbuf_adds(out, "FUNCTION ");
		sg_quote_qualified(out, obj->schema, g->aggname);
		sbuf_addf(out, "(%s)", g->argtypes ? g->argtypes : "");
		break;
	}
	default:
		sg_object_sqlref(out, obj);
	}
}

/* "SELECT, INSERT" or, on a column, "SELECT (c), INSERT (c)". */
static void privilege_list(struct sbuf *out, const struct sg_object *obj,
			   const char *letters)
{
	for (const char *p = letters; *p; p++) {
		if (p != letters)
			sbuf_adds(out, ", ");
		sbuf_adds(out, sg_privilege_name(*p));
		if (obj->kind == SG_KIND_COLUMN) {
			sbuf_adds(out, " (");
			sg_quote_ident(out, obj->name);
			sbuf_addch(out, ')');
		}
	}
}

/* Letters of a that are not in b, in a's order. */
static const char *minus(struct emitter *e, const char *a, const char *b)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	for (const char *p = a; p && *p; p++)
		if (!b || !strchr(b, *p))
			sbuf_addch(&sb, *p);
	r = sbuf_to_arena(&sb, e->a);
	sbuf_release(&sb);
	return r;
}

/* Letters in both, in a's order. */
static const char *both(struct emitter *e, const char *a, const char *b)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	for (const char *p = a; p && *p; p++)
		if (b && strchr(b, *p))
			sbuf_addch(&sb, *p);
	r = sbuf_to_arena(&sb, e->a);
	sbuf_release(&sb);
	return r;
}

enum grant_op { REVOKE, REVOKE_OPTION, GRANT, GRANT_OPTION };

/*
 * One GRANT or REVOKE statement.  A grantee written in a model carries its
 * location: the statement's origin is the object as declared there, so an
 * error without a position (an unknown role) is reported at the grantee.
 */
static void grant_stmt(struct emitter *e, const struct sg_object *obj,
		       const struct sg_defacl *da, enum grant_op op,
		       const char *letters, const struct sg_grant *g)
{
	const struct sg_object *origin = obj;

	if (!*letters)
		return;
	if (da) {
		sbuf_adds(&e->sql, "ALTER DEFAULT PRIVILEGES ");
		if (da->role) {
			sbuf_adds(&e->sql, "FOR ROLE ");
			emit_frag_ident(e, da->role, da->role_loc);
			sbuf_addch(&e->sql, ' ');
		}
		if (obj->kind == SG_KIND_SCHEMA) {
			sbuf_adds(&e->sql, "IN SCHEMA ");
			sg_quote_ident(&e->sql, obj->name);
			sbuf_addch(&e->sql, ' ');
		}
		if (da->loc.line) {
			struct sg_object *o = sg_memdup(e->a, obj, sizeof(*obj));

			o->loc = da->loc;
			origin = o;
		}
	}
	switch (op) {
	case REVOKE:
		sbuf_adds(&e->sql, "REVOKE ");
		break;
	case REVOKE_OPTION:
		sbuf_adds(&e->sql, "REVOKE GRANT OPTION FOR ");
		break;
	case GRANT:
	case GRANT_OPTION:
		sbuf_adds(&e->sql, "GRANT ");
		break;
	}
	privilege_list(&e->sql, obj, letters);
	sbuf_adds(&e->sql, " ON ");
	if (da)
		sbuf_adds(&e->sql, sg_defacl_keyword(da->objtype));
	else
		grant_target(&e->sql, obj);
	sbuf_adds(&e->sql, op == GRANT || op == GRANT_OPTION ? " TO " : " FROM ");
	if (strcmp(g->grantee, SG_ROLE_PUBLIC) == 0) {
		sbuf_adds(&e->sql, "PUBLIC");
	} else {
		emit_frag_ident(e, g->grantee, g->loc);
		if (g->loc.line) {
			struct sg_object *o = sg_memdup(e->a, obj, sizeof(*obj));

			o->loc = g->loc;
			origin = o;
		}
	}
	if (op == GRANT_OPTION)
		sbuf_adds(&e->sql, " WITH GRANT OPTION");
	emit_finish(e, origin, NULL);
}

static const struct sg_grant *find_grant(const struct sg_grant *v, size_t n,
					 const char *grantee)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].grantee, grantee) == 0)
			return &v[i];
	return NULL;
}

/*
 * After a table-level REVOKE of `letters` from a grantee, the columns of
 * table (the new side) that have some of them get them back.
 */
static void regrant_columns(struct emitter *e, const struct sg_object *table,
			    const char *grantee, const char *letters,
			    bool options_only)
{
	const struct sg_table *t = (const struct sg_table *)table;

	for (size_t i = 0; i < t->ncolumns; i++) {
		const struct sg_object *c = &t->columns[i]->obj;
		const struct sg_grant *cg;

		if (!c->has_acl || !(cg = find_grant(c->grants, c->ngrants, grantee)))
			continue;
		if (!options_only)
			grant_stmt(e, c, NULL, GRANT,
				   minus(e, both(e, cg->privs, letters), cg->grantable), cg);
		grant_stmt(e, c, NULL, GRANT_OPTION, both(e, cg->grantable, letters), cg);
	}
}

/*
 * Statements that turn grants f into grants t on obj.  table is the new
 * side of a table or view whose columns get back what a table-level
 * REVOKE takes from them (NULL otherwise).
 */
static void grants_change(struct emitter *e, const struct sg_object *obj,
			  const struct sg_defacl *da,
			  const struct sg_grant *f, size_t nf,
			  const struct sg_grant *t, size_t nt,
			  const struct sg_object *table)
{
	static const struct sg_grant none = { "", "", "", { 0 } };
	size_t i = 0, j = 0;

	while (i < nf || j < nt) {
		int c = i >= nf ? 1 : j >= nt ? -1 : strcmp(f[i].grantee, t[j].grantee);
		const struct sg_grant *fg = c <= 0 ? &f[i] : &none;
		const struct sg_grant *tg = c >= 0 ? &t[j] : &none;
		const struct sg_grant *who = c >= 0 ? tg : fg;
		const char *gone = minus(e, fg->privs, tg->privs);
		const char *option_gone = minus(e, both(e, fg->grantable, tg->privs),
						tg->grantable);

		grant_stmt(e, obj, da, REVOKE, gone, who);
		grant_stmt(e, obj, da, REVOKE_OPTION, option_gone, who);
		if (table && (*gone || *option_gone)) {
			regrant_columns(e, table, who->grantee, gone, false);
			regrant_columns(e, table, who->grantee, option_gone, true);
		}
		grant_stmt(e, obj, da, GRANT, minus(e, minus(e, tg->privs, fg->privs),
						 tg->grantable), who);
		grant_stmt(e, obj, da, GRANT_OPTION, minus(e, tg->grantable, fg->grantable),
			   who);
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
}

/*
 * The role whose rights the ACL of obj leaves out: its owner, or its
 * table's for a column (NULL when owners are not managed).
 */
static const char *acl_owner(const struct sg_object *obj)
{
	return obj->kind == SG_KIND_COLUMN && obj->parent ? obj->parent->owner
							  : obj->owner;
}

/*
 * The grants of from as they are once the owner has changed (f's ACL owner
 * -> t's): PostgreSQL's ALTER ... OWNER TO gives the old owner's entries
 * (its rights, and what it granted) to the new owner and merges what the
 * new owner had been granted into its rights, so a grant to the new owner
 * is gone.  The owner change comes first (R11 in order/), so the grants
 * are changed from these.
 */
static void grants_after_owner_change(struct emitter *e, const struct sg_object *f,
				      const struct sg_object *t,
				      const struct sg_grant **g, size_t *n)
{
	const char *fo = acl_owner(f), *to = acl_owner(t);
	struct sg_grant *v;
	size_t k = 0;

	if (!fo || !to || strcmp(fo, to) == 0 || !find_grant(*g, *n, to))
		return;
	v = sg_alloc_array(e->a, *n, sizeof(*v));
	for (size_t i = 0; i < *n; i++)
		if (strcmp((*g)[i].grantee, to) != 0)
			v[k++] = (*g)[i];
	*g = v;
	*n = k;
}

/* ALTER <kind> name OWNER TO role, one statement. */
void emit_owner(struct emitter *e, const struct sg_object *obj)
{
	if (!obj->owner || !sg_kind(obj->kind)->owned)
		return;
	sbuf_adds(&e->sql, "ALTER ");
	sg_object_sqlref(&e->sql, obj);
	sbuf_adds(&e->sql, " OWNER TO ");
	sg_quote_ident(&e->sql, obj->owner);
	emit_finish(e, obj, NULL);
}

void emit_grants_after_create(struct emitter *e, const struct sg_object *obj)
{
	const struct sg_grant *def;
	size_t ndef;

	if (!obj->has_acl || !sg_privileges_of(obj))
		return;
	sg_grants_created(e->to, obj, &def, &ndef);
	grants_change(e, obj, NULL, def, ndef, obj->grants, obj->ngrants, NULL);
}

static void rls_stmt(struct emitter *e, const struct sg_object *t,
		     const char *what)
{
	sbuf_adds(&e->sql, "ALTER TABLE ");
	sg_quote_qualified(&e->sql, t->schema, t->name);
	sbuf_addf(&e->sql, " %s ROW LEVEL SECURITY", what);
	emit_finish(e, t, NULL);
}

void emit_rls_after_create(struct emitter *e, const struct sg_object *obj)
{
	const struct sg_table *t = (const struct sg_table *)obj;

	if (obj->kind != SG_KIND_TABLE)
		return;
	if (t->rls_enabled)
		rls_stmt(e, obj, "ENABLE");
	if (t->rls_forced)
		rls_stmt(e, obj, "FORCE");
}

void emit_security_alter(struct emitter *e, const struct sg_change *c)
{
	if (c->op != SG_OP_ALTER || !c->from || !c->to)
		return;
	if (c->what & SG_CHG_RLS) {
		const struct sg_table *f = (const struct sg_table *)c->from;
		const struct sg_table *t = (const struct sg_table *)c->to;

		if (f->rls_enabled != t->rls_enabled)
			rls_stmt(e, c->to, t->rls_enabled ? "ENABLE" : "DISABLE");
		if (f->rls_forced != t->rls_forced)
			rls_stmt(e, c->to, t->rls_forced ? "FORCE" : "NO FORCE");
	}
	/* the owner first: ALTER ... OWNER TO rewrites the ACL the grants
	 * are then changed in (and the orderer puts every other change of
	 * these grants after it: R11) */
	if (c->what & SG_CHG_OWNER)
		emit_owner(e, c->to);
	if (c->what & SG_CHG_GRANTS) {
		const struct sg_grant *fg = c->from->grants;
		size_t nf = c->from->ngrants;

		grants_after_owner_change(e, c->from, c->to, &fg, &nf);
		grants_change(e, c->to, NULL, fg, nf, c->to->grants, c->to->ngrants,
			      sg_kind_is_relation(c->to->kind) ? c->to : NULL);
	}
	/* a schema's (a role's global ones are emit_default_acl()'s) */
	if ((c->what & SG_CHG_DEFACL) && c->kind == SG_KIND_SCHEMA)
		emit_defacls_change(e, (const struct sg_schema *)c->from,
				    (const struct sg_schema *)c->to);
}

/* ---- default privileges ---- */

/*
 * Statements that turn the default privileges f into t (sorted lists) of
 * obj: a schema, or a role's global ones (a class on one side only is,
 * on the other, no grants for a schema and PostgreSQL's built-in
 * defaults globally).
 */
static void defacl_lists_change(struct emitter *e, const struct sg_object *obj,
				const struct sg_defacl *f, size_t nf,
				const struct sg_defacl *t, size_t nt)
{
	bool global = obj->kind == SG_KIND_DEFAULT_ACL;
	size_t i = 0, j = 0;

	/* merge-walk by (role, class) */
	while (i < nf || j < nt) {
		const struct sg_defacl *fd = i < nf ? &f[i] : NULL;
		const struct sg_defacl *td = j < nt ? &t[j] : NULL;
		int c = !fd ? 1 : !td ? -1 : sg_defacl_cmp(fd, td);
		const struct sg_grant *def = NULL;
		size_t ndef = 0;

		if (global)
			sg_defacl_builtin((c <= 0 ? fd : td)->objtype, &def, &ndef);
		if (c == 0)
			grants_change(e, obj, td, fd->grants, fd->ngrants,
				      td->grants, td->ngrants, NULL);
		else if (c < 0)
			grants_change(e, obj, fd, fd->grants, fd->ngrants,
				      def, ndef, NULL);
		else
			grants_change(e, obj, td, def, ndef, td->grants,
				      td->ngrants, NULL);
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
}

void emit_defacls_change(struct emitter *e, const struct sg_schema *f,
			 const struct sg_schema *t)
{
	defacl_lists_change(e, &t->obj, f ? f->defacls : NULL,
			    f ? f->ndefacls : 0, t->defacls, t->ndefacls);
}

/*
 * Global default privileges of a role: created from PostgreSQL's built-in
 * defaults, dropped back to them, altered class by class.
 */
void emit_default_acl(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;
	const struct sg_default_acl *f = (const struct sg_default_acl *)c->from;
	const struct sg_default_acl *t = (const struct sg_default_acl *)c->to;

	if (c->op == SG_OP_RENAME)
		SG_BUG("global default privileges renamed");
	defacl_lists_change(e, t ? &t->obj : &f->obj,
			    f ? f->defacls : NULL, f ? f->ndefacls : 0,
			    t ? t->defacls : NULL, t ? t->ndefacls : 0);
}

/* ---- policies ---- */

static const char *command_word(char cmd)
{
	switch (cmd) {
	case 'r': return "SELECT";
	case 'a': return "INSERT";
	case 'w': return "UPDATE";
	case 'd': return "DELETE";
	default: return NULL;   /* '*': ALL, the default */
	}
}

static void policy_head(struct emitter *e, const char *verb,
			const struct sg_object *p)
{
	sbuf_adds(&e->sql, verb);
	sbuf_addch(&e->sql, ' ');
	emit_frag_ident(e, p->name, p->loc);
	sbuf_adds(&e->sql, " ON ");
	emit_table_name(e, p);
}

static void policy_roles(struct emitter *e, const struct sg_policy *p)
{
	sbuf_adds(&e->sql, " TO ");
	for (size_t i = 0; i < p->nroles; i++) {
		struct sg_srcfrag f = { .offset = e->sql.len, .loc = p->roles_loc };

		if (i)
			sbuf_adds(&e->sql, ", ");
		f.offset = e->sql.len;
		sg_role_sql(&e->sql, p->roles[i]);
		f.len = e->sql.len - f.offset;
		f.loc.style = 'x';
		if (f.loc.line)
			SG_VEC_PUSH(e->a, &e->frags, f);
	}
}

static bool only_public(const struct sg_policy *p)
{
	return p->nroles == 0 ||
	       (p->nroles == 1 && strcmp(p->roles[0], SG_ROLE_PUBLIC) == 0);
}

/* The policy as the origin of its statements: an unknown role (an error
 * without a position) is reported at `roles:`. */
static const struct sg_object *policy_origin(struct emitter *e,
					     const struct sg_policy *p)
{
	struct sg_object *o;

	if (!p->roles_loc.line)
		return &p->obj;
	o = sg_memdup(e->a, &p->obj, sizeof(p->obj));
	o->loc = p->roles_loc;
	return o;
}

static void create_policy(struct emitter *e, const struct sg_policy *p)
{
	policy_head(e, "CREATE POLICY", &p->obj);
	if (!p->permissive)
		sbuf_adds(&e->sql, " AS RESTRICTIVE");
	if (command_word(p->command))
		sbuf_addf(&e->sql, " FOR %s", command_word(p->command));
	if (!only_public(p))
		policy_roles(e, p);
	if (p->using_expr) {
		sbuf_adds(&e->sql, " USING (");
		emit_frag_text(e, p->using_expr, p->using_loc);
		sbuf_addch(&e->sql, ')');
	}
	if (p->check_expr) {
		sbuf_adds(&e->sql, " WITH CHECK (");
		emit_frag_text(e, p->check_expr, p->check_loc);
		sbuf_addch(&e->sql, ')');
	}
	emit_finish(e, policy_origin(e, p), NULL);
	emit_comment_after_create(e, &p->obj);
}

static bool roles_equal(const struct sg_policy *f, const struct sg_policy *t)
{
	return sg_strings_equal(f->roles, f->nroles, t->roles, t->nroles);
}

static void alter_policy(struct emitter *e, const struct sg_policy *f,
			 const struct sg_policy *t)
{
	policy_head(e, "ALTER POLICY", &t->obj);
	if (!roles_equal(f, t)) {
		if (only_public(t))
			sbuf_adds(&e->sql, " TO PUBLIC");
		else
			policy_roles(e, t);
	}
	if (!sg_streq(f->using_expr, t->using_expr) && t->using_expr) {
		sbuf_adds(&e->sql, " USING (");
		emit_frag_text(e, t->using_expr, t->using_loc);
		sbuf_addch(&e->sql, ')');
	}
	if (!sg_streq(f->check_expr, t->check_expr) && t->check_expr) {
		sbuf_adds(&e->sql, " WITH CHECK (");
		emit_frag_text(e, t->check_expr, t->check_loc);
		sbuf_addch(&e->sql, ')');
	}
	emit_finish(e, policy_origin(e, t), NULL);
}

void emit_policy(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;
	const struct sg_policy *f = (const struct sg_policy *)c->from;
	const struct sg_policy *t = (const struct sg_policy *)c->to;

	switch (c->op) {
	case SG_OP_CREATE:
		create_policy(e, t);
		break;
	case SG_OP_DROP:
		policy_head(e, "DROP POLICY", &f->obj);
		emit_finish(e, &f->obj, NULL);
		break;
	case SG_OP_ALTER:
		if (c->what & SG_CHG_POLICY)
			alter_policy(e, f, t);
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, &t->obj, t->obj.comment);
		break;
	case SG_OP_RENAME:
		SG_BUG("policy rename");
	}
}

/* ---- descriptions for check and diff ---- */

static void said(struct sbuf *out, int *n)
{
	sbuf_adds(out, (*n)++ ? ", " : ": ");
}

/* "insert, select (grantable)": the privileges as the models spell them. */
static void privilege_words(struct sbuf *out, const char *privs,
			    const char *grantable)
{
	if (!privs || !*privs) {
		sbuf_adds(out, "none");
		return;
	}
	for (const char *p = privs; *p; p++) {
		if (p != privs)
			sbuf_adds(out, ", ");
		for (const char *q = sg_privilege_name(*p); *q; q++)
			sbuf_addch(out, *q == ' ' ? '_' : (char)(*q - 'A' + 'a'));
		if (grantable && strchr(grantable, *p))
			sbuf_adds(out, " (grantable)");
	}
}

/*
 * "default privileges on tables to app_reader: none -> select" (with "for
 * role r" after "privileges" for another role), per grantee that differs.
 */
static void describe_defacl_grants(struct sbuf *out, int *n,
				   const struct sg_defacl *da,
				   const struct sg_grant *f, size_t nf,
				   const struct sg_grant *t, size_t nt)
{
	size_t i = 0, j = 0;

	while (i < nf || j < nt) {
		const struct sg_grant *fg = i < nf ? &f[i] : NULL;
		const struct sg_grant *tg = j < nt ? &t[j] : NULL;
		int cmp = !fg ? 1 : !tg ? -1 : strcmp(fg->grantee, tg->grantee);

		if (cmp == 0 && strcmp(fg->privs, tg->privs) == 0 &&
		    strcmp(fg->grantable, tg->grantable) == 0) {
			i++;
			j++;
			continue;
		}
		said(out, n);
		sbuf_adds(out, "default privileges ");
		if (da->role) {
			sbuf_adds(out, "for role ");
			sg_role_sql(out, da->role);
			sbuf_addch(out, ' ');
		}
		sbuf_addf(out, "on %s to ", sg_defacl_class(da->objtype));
		sg_role_sql(out, cmp <= 0 ? fg->grantee : tg->grantee);
		sbuf_adds(out, ": ");
		privilege_words(out, cmp <= 0 ? fg->privs : NULL,
				cmp <= 0 ? fg->grantable : NULL);
		sbuf_adds(out, " -> ");
		privilege_words(out, cmp >= 0 ? tg->privs : NULL,
				cmp >= 0 ? tg->grantable : NULL);
		if (cmp <= 0)
			i++;
		if (cmp >= 0)
			j++;
	}
}

static void describe_defacls(struct sbuf *out, int *n, bool global,
			     const struct sg_defacl *f, size_t nf,
			     const struct sg_defacl *t, size_t nt)
{
	size_t i = 0, j = 0;

	while (i < nf || j < nt) {
		const struct sg_defacl *fd = i < nf ? &f[i] : NULL;
		const struct sg_defacl *td = j < nt ? &t[j] : NULL;
		int c = !fd ? 1 : !td ? -1 : sg_defacl_cmp(fd, td);
		const struct sg_grant *def = NULL;
		size_t ndef = 0;

		if (global)
			sg_defacl_builtin((c <= 0 ? fd : td)->objtype, &def, &ndef);
		describe_defacl_grants(out, n, c <= 0 ? fd : td,
				       c <= 0 ? fd->grants : def,
				       c <= 0 ? fd->ngrants : ndef,
				       c >= 0 ? td->grants : def,
				       c >= 0 ? td->ngrants : ndef);
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
}

/* What changed in a role's global default privileges. */
void emit_describe_default_acl(struct sbuf *out, const struct sg_change *c,
			       int *n)
{
	const struct sg_default_acl *f = (const struct sg_default_acl *)c->from;
	const struct sg_default_acl *t = (const struct sg_default_acl *)c->to;

	if (c->op == SG_OP_ALTER && f && t)
		describe_defacls(out, n, true, f->defacls, f->ndefacls,
				 t->defacls, t->ndefacls);
}

void emit_describe_security(struct sbuf *out, int *n, const struct sg_change *c)
{
	if (c->op != SG_OP_ALTER || !c->from || !c->to)
		return;
	if (c->what & SG_CHG_OWNER) {
		said(out, n);
		sbuf_adds(out, "owner ");
		sg_quote_ident(out, c->from->owner);
		sbuf_adds(out, " -> ");
		sg_quote_ident(out, c->to->owner);
	}
	if (c->what & SG_CHG_RLS) {
		const struct sg_table *f = (const struct sg_table *)c->from;
		const struct sg_table *t = (const struct sg_table *)c->to;
		static const char *const state[2][2] = {
			{ "disabled", "forced only" }, { "enabled", "enabled and forced" },
		};

		said(out, n);
		sbuf_addf(out, "row level security %s -> %s",
			  state[f->rls_enabled][f->rls_forced],
			  state[t->rls_enabled][t->rls_forced]);
	}
	if (c->what & SG_CHG_POLICY) {
		const struct sg_policy *f = (const struct sg_policy *)c->from;
		const struct sg_policy *t = (const struct sg_policy *)c->to;

		if (!roles_equal(f, t)) {
			said(out, n);
			sbuf_adds(out, "roles");
		}
		if (!sg_streq(f->using_expr, t->using_expr)) {
			said(out, n);
			sbuf_adds(out, "USING");
		}
		if (!sg_streq(f->check_expr, t->check_expr)) {
			said(out, n);
			sbuf_adds(out, "WITH CHECK");
		}
	}
	if ((c->what & SG_CHG_DEFACL) && c->kind == SG_KIND_SCHEMA)
		describe_defacls(out, n, false,
				 ((const struct sg_schema *)c->from)->defacls,
				 ((const struct sg_schema *)c->from)->ndefacls,
				 ((const struct sg_schema *)c->to)->defacls,
				 ((const struct sg_schema *)c->to)->ndefacls);
	if (c->what & SG_CHG_GRANTS) {
		const struct sg_object *fo = c->from, *to = c->to;
		size_t i = 0, j = 0;

		/* "grants to app: select -> insert, select (grantable)" */
		while (i < fo->ngrants || j < to->ngrants) {
			const struct sg_grant *f = i < fo->ngrants ? &fo->grants[i] : NULL;
			const struct sg_grant *t = j < to->ngrants ? &to->grants[j] : NULL;
			int cmp = !f ? 1 : !t ? -1 : strcmp(f->grantee, t->grantee);

			if (cmp == 0 && strcmp(f->privs, t->privs) == 0 &&
			    strcmp(f->grantable, t->grantable) == 0) {
				i++;
				j++;
				continue;
			}
			said(out, n);
			sbuf_adds(out, "grants to ");
			sg_role_sql(out, cmp <= 0 ? f->grantee : t->grantee);
			sbuf_adds(out, ": ");
			privilege_words(out, cmp <= 0 ? f->privs : NULL,
					cmp <= 0 ? f->grantable : NULL);
			sbuf_adds(out, " -> ");
			privilege_words(out, cmp >= 0 ? t->privs : NULL,
					cmp >= 0 ? t->grantable : NULL);
			if (cmp <= 0)
				i++;
			if (cmp >= 0)
				j++;
		}
	}
}
