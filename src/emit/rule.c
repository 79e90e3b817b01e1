// SPDX-License-Identifier: MIT
/*
 * rule.c - SQL for rules: CREATE [OR REPLACE] RULE (pg_get_ruledef(), or
 * built from the model's fields), ALTER TABLE ... ENABLE / DISABLE RULE,
 * ALTER RULE ... RENAME TO, DROP RULE.
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"

#include "emit-priv.h"

static void rule_from_fields(struct emitter *e, const struct sg_rule *r,
			     bool replace)
{
	sbuf_adds(&e->sql, replace ? "CREATE OR REPLACE RULE " : "CREATE RULE ");
	emit_frag_ident(e, r->obj.name, r->obj.loc);
	sbuf_addf(&e->sql, " AS ON %s TO ", r->event == '2' ? "UPDATE"
		  : r->event == '4' ? "DELETE" : r->event == '1' ? "SELECT" : "INSERT");
	emit_table_name(e, &r->obj);
	if (r->where) {
		sbuf_adds(&e->sql, " WHERE (");
		emit_frag_text(e, r->where, r->where_loc);
		sbuf_adds(&e->sql, "\n)");
	}
	sbuf_adds(&e->sql, r->instead ? " DO INSTEAD " : " DO ALSO ");
	if (!r->nactions) {
		sbuf_adds(&e->sql, "NOTHING");
		return;
	}
	sbuf_addch(&e->sql, '(');
	for (size_t i = 0; i < r->nactions; i++) {
		if (i)
			sbuf_adds(&e->sql, "; ");
		emit_frag_text(e, r->actions[i],
			       r->action_locs ? r->action_locs[i] : r->obj.loc);
		sbuf_addch(&e->sql, '\n');
	}
	sbuf_addch(&e->sql, ')');
}

/* The server's definition, without its semicolon, OR REPLACE when asked. */
static void rule_definition(struct emitter *e, const struct sg_rule *r, bool replace)
{
	const char *def = r->definition;
	size_t n = strlen(def);

	while (n && (def[n - 1] == ';' || def[n - 1] == ' ' || def[n - 1] == '\n'))
		n--;
	if (replace && strncmp(def, "CREATE RULE ", 12) == 0) {
		sbuf_adds(&e->sql, "CREATE OR REPLACE RULE ");
		def += 12;
		n -= 12;
	}
	sbuf_add(&e->sql, def, n);
}

static char rule_enabled(const struct sg_rule *r)
{
	return r->enabled ? r->enabled : 'O';
}

static void set_rule_enabled(struct emitter *e, const struct sg_rule *r)
{
	static const struct {
		char state;
		const char *words;
	} states[] = {
		{ 'O', "ENABLE" }, { 'D', "DISABLE" },
		{ 'R', "ENABLE REPLICA" }, { 'A', "ENABLE ALWAYS" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(states); i++) {
		if (states[i].state != rule_enabled(r))
			continue;
		emit_alter_table(e, &r->obj);
		sbuf_addf(&e->sql, "%s RULE %s", states[i].words, sg_qi(e->a, r->obj.name));
		emit_finish(e, &r->obj, NULL);
		return;
	}
	SG_BUG("rule %s: enabled state %c", r->obj.name, r->enabled);
}

void emit_rule(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;
	const struct sg_rule *f = (const struct sg_rule *)c->from;
	const struct sg_rule *t = (const struct sg_rule *)c->to;

	switch (c->op) {
	case SG_OP_CREATE:
	case SG_OP_ALTER:
		if (c->op == SG_OP_CREATE || (c->what & SG_CHG_DEFINITION)) {
			if (t->definition)
				rule_definition(e, t, c->op == SG_OP_ALTER);
			else
				rule_from_fields(e, t, c->op == SG_OP_ALTER);
			emit_finish(e, &t->obj, NULL);
		}
		if ((c->op == SG_OP_CREATE && rule_enabled(t) != 'O') ||
		    (c->what & SG_CHG_ENABLED))
			set_rule_enabled(e, t);
		if (c->op == SG_OP_CREATE)
			emit_comment_after_create(e, &t->obj);
		else if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, &t->obj, t->obj.comment);
		break;
	case SG_OP_DROP:
		sbuf_addf(&e->sql, "DROP RULE %s ON ", sg_qi(e->a, f->obj.name));
		emit_table_name(e, &f->obj);
		emit_finish(e, &f->obj, NULL);
		break;
	case SG_OP_RENAME:
		sbuf_addf(&e->sql, "ALTER RULE %s ON ", sg_qi(e->a, f->obj.name));
		emit_table_name(e, &t->obj);
		sbuf_addf(&e->sql, " RENAME TO %s", sg_qi(e->a, t->obj.name));
		emit_finish(e, &t->obj, NULL);
		break;
	}
}

