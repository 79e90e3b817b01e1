// SPDX-License-Identifier: MIT
/*
 * foreign.c - CREATE / ALTER / DROP of foreign data wrappers, servers and
 * user mappings.  Option keys are quoted as identifiers, values as
 * literals; a secret's value is never known here: it is written as the
 * placeholder '$env:NAME', which the runner replaces with the value of the
 * environment variable NAME, quoted, just before it executes the statement
 * (sg_sql_secrets()), so that no file, output or log holds it.
 */
#include <string.h>

#include "emit-priv.h"
#include "schemagen/quote.h"
#include "schemagen/sql.h"
#include "schemagen/util.h"

static void option_value(struct emitter *e, const struct sg_object *obj,
			 const struct sg_fdw_option *o)
{
	if (o->secret) {
		struct sbuf sb = SBUF_INIT;

		sbuf_adds(&sb, SG_SECRET_PREFIX);
		sbuf_adds(&sb, sg_option_env(e->a, obj, o));
		sg_quote_literal(&e->sql, sb.buf);
		sbuf_release(&sb);
	} else {
		sg_quote_literal(&e->sql, o->value);
	}
}

/* " OPTIONS (k 'v', ...)" of a CREATE; nothing when none */
void emit_fdw_create_options(struct emitter *e, const struct sg_object *obj,
			   const struct sg_fdw_option *v, size_t n)
{
	if (!n)
		return;
	sbuf_adds(&e->sql, " OPTIONS (");
	for (size_t i = 0; i < n; i++) {
		if (i)
			sbuf_adds(&e->sql, ", ");
		sg_quote_ident(&e->sql, v[i].key);
		sbuf_addch(&e->sql, ' ');
		option_value(e, obj, &v[i]);
	}
	sbuf_addch(&e->sql, ')');
}

static const struct sg_fdw_option *find_option(const struct sg_fdw_option *v,
					       size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].key, key) == 0)
			return &v[i];
	return NULL;
}

/* " OPTIONS (DROP k, SET k 'v', ADD k 'v')" from f's options to t's */
void emit_fdw_alter_options(struct emitter *e, const struct sg_object *obj,
			  const struct sg_fdw_option *f, size_t nf,
			  const struct sg_fdw_option *t, size_t nt)
{
	bool first = true;

	sbuf_adds(&e->sql, " OPTIONS (");
	for (size_t i = 0; i < nf; i++) {
		if (find_option(t, nt, f[i].key))
			continue;
		sbuf_adds(&e->sql, first ? "DROP " : ", DROP ");
		sg_quote_ident(&e->sql, f[i].key);
		first = false;
	}
	for (size_t i = 0; i < nt; i++) {
		const struct sg_fdw_option *o = find_option(f, nf, t[i].key);

		if (o && (o->secret || t[i].secret || sg_streq(o->value, t[i].value)))
			continue;
		sbuf_adds(&e->sql, first ? "" : ", ");
		sbuf_adds(&e->sql, o ? "SET " : "ADD ");
		sg_quote_ident(&e->sql, t[i].key);
		sbuf_addch(&e->sql, ' ');
		option_value(e, obj, &t[i]);
		first = false;
	}
	sbuf_addch(&e->sql, ')');
}

static void mapping_head(struct emitter *e, const char *verb,
			 const struct sg_object *obj)
{
	sbuf_addf(&e->sql, "%s USER MAPPING %s", verb, obj->name);
}

void emit_fdw(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;
	const struct sg_fdw *f = (const struct sg_fdw *)c->from;
	const struct sg_fdw *t = (const struct sg_fdw *)c->to;

	switch (c->op) {
	case SG_OP_CREATE:
		sbuf_adds(&e->sql, "CREATE FOREIGN DATA WRAPPER ");
		sg_quote_ident(&e->sql, t->obj.name);
		if (t->handler) {
			sbuf_adds(&e->sql, " HANDLER ");
			sbuf_adds(&e->sql, t->handler);
		}
		if (t->validator) {
			sbuf_adds(&e->sql, " VALIDATOR ");
			sbuf_adds(&e->sql, t->validator);
		}
		emit_fdw_create_options(e, c->to, t->options, t->noptions);
		emit_finish(e, c->to, NULL);
		emit_comment_after_create(e, c->to);
		break;
	case SG_OP_DROP:
		emit_drop_object(e, c->from);
		break;
	case SG_OP_RENAME:
		emit_rename_object(e, c->from, c->to);
		break;
	case SG_OP_ALTER:
		if (c->what & SG_CHG_HANDLER) {
			sbuf_adds(&e->sql, "ALTER FOREIGN DATA WRAPPER ");
			sg_quote_ident(&e->sql, t->obj.name);
			if (t->handler)
				sbuf_addf(&e->sql, " HANDLER %s", t->handler);
			else
				sbuf_adds(&e->sql, " NO HANDLER");
			if (t->validator)
				sbuf_addf(&e->sql, " VALIDATOR %s", t->validator);
			else
				sbuf_adds(&e->sql, " NO VALIDATOR");
			emit_finish(e, c->to, NULL);
		}
		if (c->what & SG_CHG_OPTIONS) {
			sbuf_adds(&e->sql, "ALTER FOREIGN DATA WRAPPER ");
			sg_quote_ident(&e->sql, t->obj.name);
			emit_fdw_alter_options(e, c->to, f->options, f->noptions, t->options,
				      t->noptions);
			emit_finish(e, c->to, NULL);
		}
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, c->to, c->to->comment);
		break;
	}
}

void emit_server(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;
	const struct sg_server *f = (const struct sg_server *)c->from;
	const struct sg_server *t = (const struct sg_server *)c->to;

	switch (c->op) {
	case SG_OP_CREATE:
		sbuf_adds(&e->sql, "CREATE SERVER ");
		sg_quote_ident(&e->sql, t->obj.name);
		if (t->type) {
			sbuf_adds(&e->sql, " TYPE ");
			sg_quote_literal(&e->sql, t->type);
		}
		if (t->version) {
			sbuf_adds(&e->sql, " VERSION ");
			sg_quote_literal(&e->sql, t->version);
		}
		sbuf_adds(&e->sql, " FOREIGN DATA WRAPPER ");
		sg_quote_ident(&e->sql, t->wrapper);
		emit_fdw_create_options(e, c->to, t->options, t->noptions);
		emit_finish(e, c->to, NULL);
		emit_comment_after_create(e, c->to);
		break;
	case SG_OP_DROP:
		emit_drop_object(e, c->from);
		break;
	case SG_OP_RENAME:
		emit_rename_object(e, c->from, c->to);
		break;
	case SG_OP_ALTER:
		if (c->what & (SG_CHG_VERSION | SG_CHG_OPTIONS)) {
			sbuf_adds(&e->sql, "ALTER SERVER ");
			sg_quote_ident(&e->sql, t->obj.name);
			if (c->what & SG_CHG_VERSION) {
				sbuf_adds(&e->sql, " VERSION ");
				if (t->version)
					sg_quote_literal(&e->sql, t->version);
				else
					sbuf_adds(&e->sql, "NULL");
			}
			if (c->what & SG_CHG_OPTIONS)
				emit_fdw_alter_options(e, c->to, f->options, f->noptions,
					      t->options, t->noptions);
			emit_finish(e, c->to, NULL);
		}
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, c->to, c->to->comment);
		break;
	}
}

void emit_user_mapping(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;
	const struct sg_user_mapping *f = (const struct sg_user_mapping *)c->from;
	const struct sg_user_mapping *t = (const struct sg_user_mapping *)c->to;

	switch (c->op) {
	case SG_OP_CREATE:
		mapping_head(e, "CREATE", c->to);
		emit_fdw_create_options(e, c->to, t->options, t->noptions);
		emit_finish(e, c->to, NULL);
		break;
	case SG_OP_DROP:
		mapping_head(e, "DROP", c->from);
		emit_finish(e, c->from, NULL);
		break;
	case SG_OP_RENAME:
		SG_BUG("user mappings are not renamed");
	case SG_OP_ALTER:
		if (c->what & SG_CHG_OPTIONS) {
			mapping_head(e, "ALTER", c->to);
			emit_fdw_alter_options(e, c->to, f->options, f->noptions, t->options,
				      t->noptions);
			emit_finish(e, c->to, NULL);
		}
		break;
	}
}

/* What changed: the parts, never an option's value. */
void emit_describe_foreign(struct sbuf *out, const struct sg_change *c, int *n)
{
	if (c->what & SG_CHG_HANDLER)
		emit_said(out, n, "handler or validator");
	if (c->what & SG_CHG_VERSION)
		emit_said(out, n, "version");
	if (c->what & SG_CHG_OPTIONS)
		emit_said(out, n, "options");
}
