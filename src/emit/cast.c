// SPDX-License-Identifier: MIT
/*
 * cast.c - CREATE CAST / DROP CAST and the comment; a cast is never
 * altered otherwise (the differ drops and creates it).  The types and the
 * function are the server's text (format_type, regprocedure) or model
 * fragments the parser accepted as a type name and a function signature.
 */
#include "schemagen/quote.h"
#include "schemagen/util.h"

#include "emit-priv.h"

static void create_cast(struct emitter *e, const struct sg_cast *c)
{
	sbuf_adds(&e->sql, "CREATE CAST (");
	emit_frag_text(e, c->source, c->source_loc);
	sbuf_adds(&e->sql, " AS ");
	emit_frag_text(e, c->target, c->target_loc);
	sbuf_adds(&e->sql, ") ");
	if (c->method == 'f' && c->function) {
		sbuf_adds(&e->sql, "WITH FUNCTION ");
		emit_frag_text(e, c->function, c->function_loc);
	} else if (c->method == 'i') {
		sbuf_adds(&e->sql, "WITH INOUT");
	} else {
		sbuf_adds(&e->sql, "WITHOUT FUNCTION");
	}
	if (c->context == 'a')
		sbuf_adds(&e->sql, " AS ASSIGNMENT");
	else if (c->context == 'i')
		sbuf_adds(&e->sql, " AS IMPLICIT");
	emit_finish(e, &c->obj, NULL);
	emit_comment_after_create(e, &c->obj);
}

void emit_cast(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;

	switch (c->op) {
	case SG_OP_CREATE:
		create_cast(e, (const struct sg_cast *)c->to);
		break;
	case SG_OP_DROP:
		emit_drop_object(e, c->from);
		break;
	case SG_OP_ALTER:
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, c->to, c->to->comment);
		break;
	case SG_OP_RENAME:
		SG_BUG("cast rename");
	}
}
