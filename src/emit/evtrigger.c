// SPDX-License-Identifier: MIT
/*
 * evtrigger.c - CREATE / DROP EVENT TRIGGER; ALTER EVENT TRIGGER for the
 * enabled state, the name (a declared rename) and, through security.c,
 * the owner; the comment.
 */
#include "schemagen/quote.h"
#include "schemagen/util.h"

#include "emit-priv.h"

static char enabled_of(const struct sg_event_trigger *t)
{
	return t->enabled ? t->enabled : 'O';
}

static const char *enabled_words(char enabled)
{
	return enabled == 'D' ? "DISABLE" : enabled == 'R' ? "ENABLE REPLICA"
	       : enabled == 'A' ? "ENABLE ALWAYS" : "ENABLE";
}

static void alter(struct emitter *e, const struct sg_object *o)
{
	sbuf_adds(&e->sql, "ALTER EVENT TRIGGER ");
	sg_quote_ident(&e->sql, o->name);
	sbuf_addch(&e->sql, ' ');
}

static void set_enabled(struct emitter *e, const struct sg_event_trigger *t)
{
	alter(e, &t->obj);
	sbuf_adds(&e->sql, enabled_words(enabled_of(t)));
	emit_finish(e, &t->obj, NULL);
}

static void create_event_trigger(struct emitter *e, const struct sg_event_trigger *t)
{
	sbuf_adds(&e->sql, "CREATE EVENT TRIGGER ");
	emit_frag_ident(e, t->obj.name, t->obj.loc);
	sbuf_adds(&e->sql, " ON ");
	emit_frag_ident(e, t->event, t->event_loc);
	for (size_t i = 0; i < t->ntags; i++) {
		sbuf_adds(&e->sql, i ? ", " : " WHEN TAG IN (");
		sg_quote_literal(&e->sql, t->tags[i]);
	}
	if (t->ntags)
		sbuf_addch(&e->sql, ')');
	sbuf_adds(&e->sql, " EXECUTE FUNCTION ");
	if (t->function_schema) {
		sg_quote_ident(&e->sql, t->function_schema);
		sbuf_addch(&e->sql, '.');
	}
	emit_frag_ident(e, t->function_name, t->function_loc);
	sbuf_adds(&e->sql, "()");
	emit_finish(e, &t->obj, NULL);
	if (enabled_of(t) != 'O')
		set_enabled(e, t);
	emit_comment_after_create(e, &t->obj);
}

void emit_event_trigger(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;
	const struct sg_event_trigger *t = (const struct sg_event_trigger *)c->to;

	switch (c->op) {
	case SG_OP_CREATE:
		create_event_trigger(e, t);
		break;
	case SG_OP_DROP:
		emit_drop_object(e, c->from);
		break;
	case SG_OP_RENAME:
		emit_rename_object(e, c->from, c->to);
		break;
	case SG_OP_ALTER:
		if (c->what & SG_CHG_ENABLED)
			set_enabled(e, t);
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, c->to, c->to->comment);
		break;
	}
}

void emit_describe_event_trigger(struct sbuf *out, const struct sg_change *c,
				 int *n)
{
	const struct sg_event_trigger *t = (const struct sg_event_trigger *)c->to;

	if (c->what & SG_CHG_ENABLED) {
		char en = enabled_of(t);

		emit_said(out, n, "%s", en == 'D' ? "disabled"
			  : en == 'R' ? "enabled on replicas only"
			  : en == 'A' ? "enabled always" : "enabled");
	}
}
