// SPDX-License-Identifier: MIT
/*
 * rule.c - rules: children of their table or view, walked from its pair
 * function (diff_rules), renamed through renamed_from (ALTER RULE ...
 * RENAME TO).  Two rules are the same when their pg_get_ruledef() texts
 * are, but for the rule's name and, on a renamed relation, the relation's
 * name; otherwise CREATE OR REPLACE RULE makes one into the other
 * (SG_CHG_DEFINITION).  The enabled state and the comment are
 * alterations.
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"

#include "diff-priv.h"

/* The definition after "CREATE RULE name AS", with " TO relation" as the
 * to-side relation's name. */
static const char *rule_body(struct differ *df, const struct sg_rule *r,
			     const struct sg_object *rel)
{
	struct sbuf head = SBUF_INIT, from = SBUF_INIT, out = SBUF_INIT;
	const char *def = r->definition, *at;
	const char *ret;

	sbuf_adds(&head, "CREATE RULE ");
	sg_quote_ident(&head, r->obj.name);
	sbuf_adds(&head, " AS");
	if (strncmp(def, head.buf, head.len) == 0)
		def += head.len;
	sbuf_adds(&from, " TO ");
	sg_quote_qualified(&from, r->obj.parent->schema, r->obj.parent->name);
	at = strstr(def, from.buf);
	if (rel && at && (at[from.len] == ' ' || at[from.len] == '\n')) {
		sbuf_add(&out, def, (size_t)(at - def));
		sbuf_adds(&out, " TO ");
		sg_quote_qualified(&out, rel->schema, rel->name);
		sbuf_adds(&out, at + from.len);
		def = out.buf;
	}
	ret = sg_strdup(df->a, def);
	sbuf_release(&head);
	sbuf_release(&from);
	sbuf_release(&out);
	return ret;
}

static bool rule_same(struct differ *df, struct colmap *m,
		      const struct sg_object *fo, const struct sg_object *to)
{
	const struct sg_rule *f = (const void *)fo, *t = (const void *)to;

	(void)m;
	if (!f->definition || !t->definition)
		return false;
	return strcmp(diff_renamed_text(df, rule_body(df, f, to->parent), NULL),
		      rule_body(df, t, NULL)) == 0;
}

static char enabled_of(const struct sg_rule *r)
{
	return r->enabled ? r->enabled : 'O';
}

static void rule_pair(struct differ *df, struct colmap *m,
		      const struct sg_object *fo, const struct sg_object *to)
{
	const struct sg_rule *f = (const void *)fo, *t = (const void *)to;
	sg_chg what = 0;

	if (!rule_same(df, m, fo, to))
		what |= SG_CHG_DEFINITION;
	if (enabled_of(f) != enabled_of(t))
		what |= SG_CHG_ENABLED;
	if (!sg_streq(fo->comment, to->comment))
		what |= SG_CHG_COMMENT;
	if (what)
		diff_add(df, SG_OP_ALTER, fo, to, what);
}

/* Renamed: the rename, then CREATE OR REPLACE when it differs. */
static bool rule_renamable(struct differ *df, struct colmap *m,
			   const struct sg_object *fo, const struct sg_object *to)
{
	(void)df;
	(void)m;
	return ((const struct sg_rule *)fo)->event == ((const struct sg_rule *)to)->event;
}

void diff_rules(struct differ *df, const struct sg_table *ft,
		const struct sg_table *tt)
{
	static const struct child_ops ops = { rule_pair, rule_renamable };

	diff_renamed_children(df, DIFF_CHILD_OBJS(df->a, ft->rules, ft->nrules),
			      ft->nrules, DIFF_CHILD_OBJS(df->a, tt->rules, tt->nrules),
			      tt->nrules, &ops);
}

void diff_create_rules(struct differ *df, const struct sg_table *t)
{
	for (size_t i = 0; i < t->nrules; i++)
		diff_add(df, SG_OP_CREATE, NULL, &t->rules[i]->obj, 0);
}

void diff_drop_rules(struct differ *df, const struct sg_table *f)
{
	for (size_t i = 0; i < f->nrules; i++)
		diff_add(df, SG_OP_DROP, &f->rules[i]->obj, NULL, 0);
}
