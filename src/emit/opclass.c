// SPDX-License-Identifier: MIT
/*
 * opclass.c - SQL for operator families and operator classes.
 *
 * Statements: CREATE / DROP OPERATOR FAMILY s.f USING m; CREATE OPERATOR
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

void emit_opfamily(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;

	switch (c->op) {
	case SG_OP_CREATE:
		sbuf_adds(&e->sql, "CREATE ");
		sg_object_sqlref(&e->sql, c->to);
		emit_finish(e, c->to, NULL);
		emit_comment_after_create(e, c->to);
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
