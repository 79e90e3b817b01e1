// SPDX-License-Identifier: MIT
/*
 * language.c - CREATE [OR REPLACE] [TRUSTED] LANGUAGE, DROP LANGUAGE.
 * The handler, inline handler and validator are SQL names made by the
 * quoting functions (introspection's catalog_name(), the loader's
 * load_qualname()).
 */
#include "emit-priv.h"
#include "schemagen/quote.h"

static void create_language(struct emitter *e, const struct sg_language *t,
			    bool replace)
{
	sbuf_addf(&e->sql, "CREATE %s%sLANGUAGE ", replace ? "OR REPLACE " : "",
		  t->trusted ? "TRUSTED " : "");
	sg_quote_ident(&e->sql, t->obj.name);
	sbuf_addf(&e->sql, " HANDLER %s", t->handler);
	if (t->inline_handler)
		sbuf_addf(&e->sql, " INLINE %s", t->inline_handler);
	if (t->validator)
		sbuf_addf(&e->sql, " VALIDATOR %s", t->validator);
	emit_finish(e, &t->obj, NULL);
}

void emit_language(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;

	switch (c->op) {
	case SG_OP_CREATE:
		create_language(e, (const struct sg_language *)c->to, false);
		emit_comment_after_create(e, c->to);
		break;
	case SG_OP_DROP:
		emit_drop_object(e, c->from);
		break;
	case SG_OP_RENAME:
		emit_rename_object(e, c->from, c->to);
		break;
	case SG_OP_ALTER:
		if (c->what & SG_CHG_DEFINITION)
			create_language(e, (const struct sg_language *)c->to, true);
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, c->to, c->to->comment);
		break;
	}
}
