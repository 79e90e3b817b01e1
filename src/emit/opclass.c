// SPDX-License-Identifier: MIT
/*
 * opclass.c - SQL for operator families and operator classes.
 *
 * Statements: CREATE / DROP OPERATOR FAMILY s.f USING m; ALTER OPERATOR
 * FAMILY s.f USING m ADD OPERATOR n s.op (l, r) [FOR ORDER BY s.g] or ADD
 * FUNCTION n (l, r) s.f(types), DROP OPERATOR|FUNCTION n (l, r), one
 * statement a member (the drops first); CREATE OPERATOR
 * CLASS s.c [DEFAULT] FOR TYPE t USING m [FAMILY s.f] AS OPERATOR n ...,
 * FUNCTION n ..., STORAGE t; COMMENT ON and ALTER ... OWNER TO of both.
 * A class without FAMILY makes a family of its own name, which DROP
 * OPERATOR CLASS leaves behind: such a class is dropped with DROP OPERATOR
 * FAMILY of its name, which takes the class with it.
 */
#include <string.h>

#include "schemagen/quote.h"
#include "schemagen/sbuf.h"

#include "emit-priv.h"

static void alter_family(struct emitter *e, const struct sg_opfamily *f)
{
	sbuf_adds(&e->sql, "ALTER OPERATOR FAMILY ");
	sg_quote_qualified(&e->sql, f->obj.schema, f->famname);
	sbuf_adds(&e->sql, " USING ");
	emit_frag_ident(e, f->method, f->method_loc);
}

static void member_types(struct emitter *e, const struct sg_opfamily_member *m)
{
	sbuf_adds(&e->sql, " (");
	emit_frag_text(e, m->left, m->left_loc);
	sbuf_adds(&e->sql, ", ");
	emit_frag_text(e, m->right, m->right_loc);
	sbuf_addch(&e->sql, ')');
}

static void add_member(struct emitter *e, const struct sg_opfamily *f,
		       const struct sg_opfamily_member *m)
{
	alter_family(e, f);
	sbuf_addf(&e->sql, " ADD %s %d", m->kind == 'o' ? "OPERATOR" : "FUNCTION",
		  m->number);
	if (m->kind == 'o') {
		sbuf_addch(&e->sql, ' ');
		emit_frag_text(e, m->text, m->loc);
		member_types(e, m);
		if (m->sortfamily) {
			sbuf_adds(&e->sql, " FOR ORDER BY ");
			emit_frag_text(e, m->sortfamily, m->sort_loc);
		}
	} else {
		member_types(e, m);
		sbuf_addch(&e->sql, ' ');
		emit_frag_text(e, m->text, m->loc);
	}
	emit_finish(e, &f->obj, NULL);
}

static void drop_member(struct emitter *e, const struct sg_opfamily *f,
			const struct sg_opfamily_member *m)
{
	alter_family(e, f);
	sbuf_addf(&e->sql, " DROP %s %d", m->kind == 'o' ? "OPERATOR" : "FUNCTION",
		  m->number);
	member_types(e, m);
	emit_finish(e, &f->obj, NULL);
}

static bool member_same(const struct sg_opfamily_member *a,
			const struct sg_opfamily_member *b)
{
	return sg_streq(a->text, b->text) && sg_streq(a->sortfamily, b->sortfamily);
}

/* The members of `a` that `b` lacks or has otherwise (both sorted). */
static void members_not_in(struct emitter *e, const struct sg_opfamily *a,
			   const struct sg_opfamily *b, bool drop)
{
	size_t j = 0;

	for (size_t i = 0; i < a->nmembers; i++) {
		int c = 1;

		while (j < b->nmembers &&
		       (c = sg_opfamily_member_cmp(&b->members[j], &a->members[i])) < 0)
			j++;
		if (j < b->nmembers && c == 0 && member_same(&a->members[i], &b->members[j]))
			continue;
		if (drop)
			drop_member(e, a, &a->members[i]);
		else
			add_member(e, a, &a->members[i]);
	}
}

void emit_opfamily(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;
	const struct sg_opfamily *t = (const struct sg_opfamily *)c->to;
	const struct sg_opfamily *f = (const struct sg_opfamily *)c->from;
	static const struct sg_opfamily none;

	switch (c->op) {
	case SG_OP_CREATE:
		sbuf_adds(&e->sql, "CREATE ");
		sg_object_sqlref(&e->sql, c->to);
		emit_finish(e, c->to, NULL);
		emit_comment_after_create(e, c->to);
		members_not_in(e, t, &none, false);
		break;
	case SG_OP_DROP:
		sbuf_adds(&e->sql, "DROP ");
		sg_object_sqlref(&e->sql, c->from);
		emit_finish(e, c->from, NULL);
		break;
	case SG_OP_RENAME:
		SG_BUG("operator families are not renamed");
		break;
	case SG_OP_ALTER:
		if (c->what & SG_CHG_DEFINITION) {
			/* drops by the old family's spelling of the types */
			members_not_in(e, f, t, true);
			members_not_in(e, t, f, false);
		}
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, c->to, c->to->comment);
		break;
	}
}

static void create_opclass(struct emitter *e, const struct sg_opclass *c)
{
	sbuf_adds(&e->sql, "CREATE OPERATOR CLASS ");
	sg_quote_qualified(&e->sql, c->obj.schema, c->opcname);
	sbuf_adds(&e->sql, c->is_default ? " DEFAULT FOR TYPE " : " FOR TYPE ");
	emit_frag_text(e, c->for_type, c->type_loc);
	sbuf_adds(&e->sql, " USING ");
	emit_frag_ident(e, c->method, c->method_loc);
	if (c->family) {
		sbuf_adds(&e->sql, " FAMILY ");
		emit_frag_text(e, c->family, c->family_loc);
	}
	sbuf_adds(&e->sql, " AS ");
	for (size_t i = 0; i < c->nmembers; i++) {
		const struct sg_opclass_member *m = &c->members[i];

		sbuf_addf(&e->sql, "%s%s %d ", i ? ", " : "",
			  m->kind == 'o' ? "OPERATOR" : "FUNCTION", m->number);
		emit_frag_text(e, m->text, m->loc);
	}
	if (c->storage) {
		sbuf_adds(&e->sql, ", STORAGE ");
		emit_frag_text(e, c->storage, c->storage_loc);
	}
	emit_finish(e, &c->obj, NULL);
	emit_comment_after_create(e, &c->obj);
}

void emit_opclass(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;
	const struct sg_opclass *f = (const struct sg_opclass *)c->from;

	switch (c->op) {
	case SG_OP_CREATE:
		create_opclass(e, (const struct sg_opclass *)c->to);
		break;
	case SG_OP_DROP:
		if (f->family) {
			sbuf_adds(&e->sql, "DROP ");
			sg_object_sqlref(&e->sql, c->from);
		} else {
			/* the family of its name goes too, the class with it */
			sbuf_adds(&e->sql, "DROP OPERATOR FAMILY ");
			sg_quote_qualified(&e->sql, f->obj.schema, f->opcname);
			sbuf_adds(&e->sql, " USING ");
			sg_quote_ident(&e->sql, f->method);
		}
		emit_finish(e, c->from, NULL);
		break;
	case SG_OP_RENAME:
		SG_BUG("operator classes are not renamed");
		break;
	case SG_OP_ALTER:
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, c->to, c->to->comment);
		break;
	}
}
