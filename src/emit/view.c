// SPDX-License-Identifier: MIT
/*
 * view.c - SQL for views and materialized views.
 *
 *   CREATE [OR REPLACE] VIEW s.v [WITH (option = 'value', ...)] AS
 *    <query>
 *     WITH LOCAL CHECK OPTION;
 *   CREATE MATERIALIZED VIEW s.m [WITH (...)] AS
 *    <query>
 *     WITH NO DATA;
 *   ALTER [MATERIALIZED] VIEW s.v SET (...); ... RESET (...);
 *   DROP [MATERIALIZED] VIEW s.v;
 *   ALTER [MATERIALIZED] VIEW s.old RENAME TO new; (declared renames)
 *
 * The query is the server's text for an introspected view and the model's
 * text (a fragment with its YAML location) for one being materialised.
 * Options are written as pg_dump writes them: check_option as the WITH
 * CHECK OPTION clause, every other one in WITH (...), values as string
 * literals, which PostgreSQL accepts for every option type and stores as
 * the plain value.  CREATE OR REPLACE VIEW replaces all options at once
 * (PostgreSQL's DefineVirtualRelation), so it lists the new set in full.
 *
 * After a CREATE come the comments of the view and of its columns
 * (emit_comment_after_create, which also restores grants), so a view that
 * is dropped and re-created around another change gets them back; the
 * indexes of a materialized view are steps of their own.
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"

#include "emit-priv.h"

static bool is_mat(const struct sg_view *v)
{
	return v->relkind == 'm';
}

static const char *kind_words(const struct sg_view *v)
{
	return is_mat(v) ? "MATERIALIZED VIEW" : "VIEW";
}

/* The value of option `name` ("name=value"), or NULL. */
static const char *option(const struct sg_view *v, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < v->nreloptions; i++)
		if (strncmp(v->reloptions[i], name, n) == 0 &&
		    v->reloptions[i][n] == '=')
			return v->reloptions[i] + n + 1;
	return NULL;
}

/* An option's name, quoted; "toast.x" keeps its prefix bare. */
static void option_name(struct emitter *e, const char *opt)
{
	const char *eq = strchr(opt, '=');
	size_t n = eq ? (size_t)(eq - opt) : strlen(opt);

	if (strncmp(opt, "toast.", 6) == 0 && n > 6) {
		sbuf_adds(&e->sql, "toast.");
		opt += 6;
		n -= 6;
	}
	sg_quote_ident(&e->sql, sg_strndup(e->a, opt, n));
}

/* name = 'value' */
static void option_setting(struct emitter *e, const char *opt)
{
	const char *eq = strchr(opt, '=');

	option_name(e, opt);
	sbuf_adds(&e->sql, " = ");
	sg_quote_literal(&e->sql, eq ? eq + 1 : "");
}

static bool is_check_option(const char *opt)
{
	return strncmp(opt, "check_option=", 13) == 0;
}

/* " WITH (a = 'x', b = 'y')" of the options CREATE takes there. */
static void with_options(struct emitter *e, const struct sg_view *v)
{
	int n = 0;

	for (size_t i = 0; i < v->nreloptions; i++) {
		if (!is_mat(v) && is_check_option(v->reloptions[i]))
			continue;
		sbuf_adds(&e->sql, n++ ? ", " : " WITH (");
		option_setting(e, v->reloptions[i]);
	}
	if (n)
		sbuf_addch(&e->sql, ')');
}

static bool has_option(const struct sg_view *v, const char *opt)
{
	for (size_t i = 0; i < v->nreloptions; i++)
		if (strcmp(v->reloptions[i], opt) == 0)
			return true;
	return false;
}

/* Same name in v's options (whatever the value)? */
static bool has_option_name(const struct sg_view *v, const char *opt)
{
	const char *eq = strchr(opt, '=');
	size_t n = eq ? (size_t)(eq - opt) : strlen(opt);

	for (size_t i = 0; i < v->nreloptions; i++)
		if (strncmp(v->reloptions[i], opt, n) == 0 &&
		    (v->reloptions[i][n] == '=' || v->reloptions[i][n] == '\0'))
			return true;
	return false;
}

static void create_view(struct emitter *e, const struct sg_view *f,
			const struct sg_view *t)
{
	const char *check = is_mat(t) ? NULL : option(t, "check_option");

	sbuf_addf(&e->sql, "CREATE %s%s ", f ? "OR REPLACE " : "", kind_words(t));
	sg_quote_qualified(&e->sql, t->rel.obj.schema, t->rel.obj.name);
	with_options(e, t);
	sbuf_adds(&e->sql, " AS\n ");
	emit_frag_text(e, t->definition ? t->definition : "", t->definition_loc);
	/* a trailing -- comment in a model's query would swallow what follows */
	if (t->definition && strstr(t->definition, "--"))
		sbuf_addch(&e->sql, '\n');
	if (check) {
		sbuf_adds(&e->sql, "\n  WITH ");
		for (const char *p = check; *p; p++)
			sbuf_addch(&e->sql, *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p);
		sbuf_adds(&e->sql, " CHECK OPTION");
	}
	if (is_mat(t) && !t->with_data)
		sbuf_adds(&e->sql, "\n  WITH NO DATA");
	emit_finish(e, &t->rel.obj, NULL);
	if (!f)
		emit_comment_after_create(e, &t->rel.obj);
	/* column comments: all of a new view; of a replaced one, those of the
	 * columns it gains (the others are changes of their own) */
	for (size_t i = 0; i < t->rel.ncolumns; i++) {
		const struct sg_object *c = &t->rel.columns[i]->obj;

		if (!f || !sg_table_column(&f->rel, c->name))
			emit_comment_after_create(e, c);
	}
}

static void alter_options(struct emitter *e, const struct sg_view *f,
			  const struct sg_view *t)
{
	int n = 0;

	for (size_t i = 0; i < t->nreloptions; i++) {
		if (has_option(f, t->reloptions[i]))
			continue;
		if (!n++) {
			sbuf_addf(&e->sql, "ALTER %s ", kind_words(t));
			sg_quote_qualified(&e->sql, t->rel.obj.schema, t->rel.obj.name);
			sbuf_adds(&e->sql, " SET (");
		} else {
			sbuf_adds(&e->sql, ", ");
		}
		option_setting(e, t->reloptions[i]);
	}
	if (n) {
		sbuf_addch(&e->sql, ')');
		emit_finish(e, &t->rel.obj, NULL);
	}
	n = 0;
	for (size_t i = 0; i < f->nreloptions; i++) {
		if (has_option_name(t, f->reloptions[i]))
			continue;
		if (!n++) {
			sbuf_addf(&e->sql, "ALTER %s ", kind_words(t));
			sg_quote_qualified(&e->sql, t->rel.obj.schema, t->rel.obj.name);
			sbuf_adds(&e->sql, " RESET (");
		} else {
			sbuf_adds(&e->sql, ", ");
		}
		option_name(e, f->reloptions[i]);
	}
	if (n) {
		sbuf_addch(&e->sql, ')');
		emit_finish(e, &t->rel.obj, NULL);
	}
}

void emit_view(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;
	const struct sg_view *f = (const struct sg_view *)c->from;
	const struct sg_view *t = (const struct sg_view *)c->to;

	switch (c->op) {
	case SG_OP_CREATE:
		create_view(e, NULL, t);
		break;
	case SG_OP_DROP:
		sbuf_addf(&e->sql, "DROP %s ", kind_words(f));
		sg_quote_qualified(&e->sql, f->rel.obj.schema, f->rel.obj.name);
		emit_finish(e, &f->rel.obj, NULL);
		break;
	case SG_OP_ALTER:
		if (c->what & SG_CHG_DEFINITION)
			create_view(e, f, t);
		else if (c->what & SG_CHG_OPTIONS)
			alter_options(e, f, t);
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, &t->rel.obj, t->rel.obj.comment);
		break;
	case SG_OP_RENAME:
		/* a declared rename: PostgreSQL keeps the oid, so the data of
		 * a materialized view, grants and dependents stay */
		sbuf_addf(&e->sql, "ALTER %s ", kind_words(f));
		sg_quote_qualified(&e->sql, f->rel.obj.schema, f->rel.obj.name);
		sbuf_addf(&e->sql, " RENAME TO %s", sg_qi(e->a, t->rel.obj.name));
		emit_finish(e, &t->rel.obj, NULL);
		break;
	}
}
