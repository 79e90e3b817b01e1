// SPDX-License-Identifier: MIT
/*
 * textsearch.c - SQL for text search parsers and templates (CREATE TEXT
 * SEARCH PARSER name (START = f, ...), CREATE TEXT SEARCH TEMPLATE name
 * (INIT = f, LEXIZE = f); RENAME TO; DROP), dictionaries (CREATE TEXT SEARCH
 * DICTIONARY name (TEMPLATE = t, option = 'value', ...); ALTER ... (option
 * = 'value', removed_option); RENAME TO; DROP) and configurations (CREATE
 * TEXT SEARCH CONFIGURATION name (PARSER = p), then ALTER ... ADD MAPPING
 * FOR token WITH dictionaries; ALTER / DROP MAPPING; RENAME TO; DROP).
 * Option names are identifiers, values literals; templates, parsers and
 * dictionaries are SQL names quoted when they were read.
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"

#include "emit-priv.h"

/* SQL name text from the models or the catalog, mapped to its place. */
static void sql_name(struct emitter *e, const char *text, struct sg_loc loc)
{
	struct sg_srcfrag fr = { .offset = e->sql.len, .loc = loc };

	sbuf_adds(&e->sql, text);
	fr.len = e->sql.len - fr.offset;
	fr.loc.style = 'x';
	if (fr.loc.line)
		SG_VEC_PUSH(e->a, &e->frags, fr);
}

static void head(struct emitter *e, const char *verb, const struct sg_object *o)
{
	sbuf_addf(&e->sql, "%s %s ", verb, sg_kind(o->kind)->sql);
	sg_quote_qualified(&e->sql, o->schema, o->name);
}

/* name = 'value' */
static void option(struct emitter *e, const char *opt, bool with_value)
{
	const char *eq = strchr(opt, '=');

	sg_quote_ident(&e->sql, sg_strndup(e->a, opt, (size_t)(eq - opt)));
	if (with_value) {
		sbuf_adds(&e->sql, " = ");
		sg_quote_literal(&e->sql, eq + 1);
	}
}

static bool has_option(const struct sg_ts_dict *d, const char *opt)
{
	size_t n = (size_t)(strchr(opt, '=') - opt);

	for (size_t i = 0; i < d->noptions; i++)
		if (strncmp(d->options[i], opt, n) == 0 && d->options[i][n] == '=')
			return true;
	return false;
}

static void alter_options(struct emitter *e, const struct sg_ts_dict *f,
			  const struct sg_ts_dict *t)
{
	int n = 0;

	head(e, "ALTER", &t->obj);
	sbuf_adds(&e->sql, " (");
	for (size_t i = 0; i < t->noptions; i++) {
		bool same = false;

		for (size_t j = 0; j < f->noptions && !same; j++)
			same = strcmp(f->options[j], t->options[i]) == 0;
		if (same)
			continue;
		sbuf_adds(&e->sql, n++ ? ", " : "");
		option(e, t->options[i], true);
	}
	for (size_t i = 0; i < f->noptions; i++) {
		if (has_option(t, f->options[i]))
			continue;
		sbuf_adds(&e->sql, n++ ? ", " : "");
		option(e, f->options[i], false);    /* removed */
	}
	sbuf_addch(&e->sql, ')');
	emit_finish(e, &t->obj, NULL);
}

static void mapping(struct emitter *e, const struct sg_ts_config *c, const char *verb,
		    const struct sg_ts_mapping *m)
{
	head(e, "ALTER", &c->obj);
	sbuf_addf(&e->sql, " %s MAPPING FOR ", verb);
	emit_frag_ident(e, m->token, m->loc);
	if (strcmp(verb, "DROP") != 0) {
		sbuf_adds(&e->sql, " WITH ");
		for (size_t i = 0; i < m->ndicts; i++) {
			sbuf_adds(&e->sql, i ? ", " : "");
			sql_name(e, m->dicts[i], m->loc);
		}
	}
	emit_finish(e, &c->obj, NULL);
}

static const struct sg_ts_mapping *find_map(const struct sg_ts_config *c, const char *token)
{
	for (size_t i = 0; i < c->nmaps; i++)
		if (strcmp(c->maps[i].token, token) == 0)
			return &c->maps[i];
	return NULL;
}

static void alter_mappings(struct emitter *e, const struct sg_ts_config *f,
			   const struct sg_ts_config *t)
{
	for (size_t i = 0; i < f->nmaps; i++)
		if (!find_map(t, f->maps[i].token))
			mapping(e, t, "DROP", &f->maps[i]);
	for (size_t i = 0; i < t->nmaps; i++) {
		const struct sg_ts_mapping *fm = f ? find_map(f, t->maps[i].token) : NULL;

		if (!fm)
			mapping(e, t, "ADD", &t->maps[i]);
		else if (!sg_strings_equal(fm->dicts, fm->ndicts, t->maps[i].dicts,
					   t->maps[i].ndicts))
			mapping(e, t, "ALTER", &t->maps[i]);
	}
}

void emit_ts(struct emitter *e, const struct sg_step *s)
{
	const struct sg_change *c = s->change;
	const struct sg_object *f = c->from, *t = c->to;
	enum sg_kind kind = (f ? f : t)->kind;
	bool dict = kind == SG_KIND_TS_DICTIONARY;

	switch (c->op) {
	case SG_OP_CREATE:
		head(e, "CREATE", t);
		if (kind == SG_KIND_TS_PARSER || kind == SG_KIND_TS_TEMPLATE) {
			const struct sg_ts_parser *p = (const void *)t;
			int n, count = 0;
			const struct sg_opt_info *info = sg_ts_parser_opts(kind, &n);

			sbuf_adds(&e->sql, " (");
			emit_def_options(e, info, p->opts, p->opt_locs, n, &count);
			sbuf_addch(&e->sql, ')');
			emit_finish(e, t, NULL);
		} else if (dict) {
			const struct sg_ts_dict *d = (const void *)t;

			sbuf_adds(&e->sql, " (TEMPLATE = ");
			sql_name(e, d->template_name, d->template_loc);
			for (size_t i = 0; i < d->noptions; i++) {
				sbuf_adds(&e->sql, ", ");
				option(e, d->options[i], true);
			}
			sbuf_addch(&e->sql, ')');
			emit_finish(e, t, NULL);
		} else {
			const struct sg_ts_config *cf = (const void *)t;
			static const struct sg_ts_config none;

			sbuf_adds(&e->sql, " (PARSER = ");
			sql_name(e, cf->parser, cf->parser_loc);
			sbuf_addch(&e->sql, ')');
			emit_finish(e, t, NULL);
			alter_mappings(e, &none, cf);
		}
		emit_comment_after_create(e, t);
		break;
	case SG_OP_DROP:
		head(e, "DROP", f);
		emit_finish(e, f, NULL);
		break;
	case SG_OP_ALTER:
		if (c->what & SG_CHG_OPTIONS)
			alter_options(e, (const void *)f, (const void *)t);
		if (c->what & SG_CHG_DEFINITION)
			alter_mappings(e, (const void *)f, (const void *)t);
		if (c->what & SG_CHG_COMMENT)
			emit_comment_on(e, t, t->comment);
		break;
	case SG_OP_RENAME:
		head(e, "ALTER", f);
		sbuf_addf(&e->sql, " RENAME TO %s", sg_qi(e->a, t->name));
		emit_finish(e, t, NULL);
		break;
	}
}

void emit_describe_ts(struct sbuf *out, const struct sg_change *c, int *n)
{
	if (c->what & SG_CHG_OPTIONS)
		emit_said(out, n, "options");
	if (c->what & SG_CHG_DEFINITION)
		emit_said(out, n, "mappings");
}
