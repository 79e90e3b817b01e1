// SPDX-License-Identifier: MIT
/*
 * textsearch.c - text search parsers (`text_search_parsers:`: start,
 * gettoken, end, lextypes, headline, comment, renamed_from) and templates
 * (`text_search_templates:`: init, lexize, comment, renamed_from), whose
 * support functions are function names parsed as exactly that; text
 * search dictionaries (`text_search_dictionaries:`:
 * template, options, comment, owner, renamed_from) and configurations
 * (`text_search_configurations:`: parser, mappings of token types to
 * dictionaries, comment, owner, renamed_from).  Templates, parsers and
 * dictionaries are names or {schema:, name:}; an unqualified dictionary
 * that the models declare in the configuration's schema is qualified by
 * check.c.  Option values are strings (numbers and booleans as written).
 */
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"

#include "schemagen/sql.h"
#include "yaml-priv.h"

/* sg_tsp_opts[] / sg_tst_opts[]'s keys in their order, then the others */
static const char *const ts_parser_keys[] = {
	"start", "gettoken", "end", "lextypes", "headline", "comment", "renamed_from",
};
static const char *const ts_template_keys[] = {
	"init", "lexize", "comment", "renamed_from",
};
static const char *const ts_dict_keys[] = {
	"template", "options", "comment", "owner", "renamed_from",
};
static const char *const ts_config_keys[] = {
	"parser", "mappings", "comment", "owner", "renamed_from",
};

static int str_cmp(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

static void set_comment(struct loader *l, struct sg_object *o, const struct ynode *v)
{
	const char *s;

	if (v && yget_str(l->d, l->t, v, "comment", &s) && s && *s)
		o->comment = sg_strdup(l->a, s);
}

static void load_options(struct loader *l, struct sg_ts_dict *d, const struct ynode *v,
			 const char *ctx)
{
	SG_VEC(const char *) opts = { 0 };

	if (v->type != YN_MAP) {
		yexpect(l->d, l->t, v, "a mapping of option names to values");
		return;
	}
	d->options_loc = v->loc;
	for (size_t i = 0; i + 1 < v->nkids; i += 2) {
		const struct ynode *k = v->kids[i], *val = v->kids[i + 1];
		const char *s;

		if (!ykey_ok(l->d, l->t, k) || !yname_ok(l->d, l->t, k, "option name"))
			continue;
		if (!yget_str(l->d, l->t, val, k->str, &s))
			continue;
		if (!s) {
			sg_diag_error(l->d, val->loc, "option %s of %s has no value",
				      yq(l->t, k->str), ctx);
			continue;
		}
		SG_VEC_PUSH(l->a, &opts, sg_printf(l->a, "%s=%s", k->str, s));
	}
	if (opts.n > 1)
		qsort(opts.v, opts.n, sizeof(*opts.v), str_cmp);
	d->options = opts.v;
	d->noptions = opts.n;
}

void load_ts_dict(struct loader *l, const struct ynode *key, const struct ynode *val)
{
	const struct ynode *v[ARRAY_SIZE(ts_dict_keys)] = { 0 };
	struct sg_ts_dict *d;
	const char *ctx;

	if (!yname_ok(l->d, l->t, key, "text search dictionary name"))
		return;
	d = SG_NEW(l->cat, sg_ts_dict, SG_KIND_TS_DICTIONARY, l->schema, key->str, NULL);
	d->obj.loc = key->loc;
	ctx = sg_printf(l->t, "text search dictionary %s", yq(l->t, key->str));
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, sg_printf(l->t, "a mapping for %s", ctx));
		return;
	}
	get_keys(l, val, ts_dict_keys, ARRAY_SIZE(ts_dict_keys), v, ctx);
	if (!v[0] || ynode_is_null(v[0])) {
		struct sg_diag *dg = sg_diag_error(l->d, key->loc, "missing key "
						   "\"template\" in %s", ctx);

		sg_diag_hint(dg, l->d, "such as template: snowball");
	} else {
		d->template_name = load_qualname(l, v[0], "template");
		d->template_loc = v[0]->loc;
	}
	if (v[1] && !ynode_is_null(v[1]))
		load_options(l, d, v[1], ctx);
	set_comment(l, &d->obj, v[2]);
	load_owner(l, &d->obj, v[3]);
	load_renamed_from(l, &d->obj, v[4], "text search dictionary", key->str);
}

static void load_mappings(struct loader *l, struct sg_ts_config *c,
			  const struct ynode *v, const char *ctx)
{
	SG_VEC(struct sg_ts_mapping) maps = { 0 };

	if (v->type != YN_MAP) {
		yexpect(l->d, l->t, v, "a mapping of token types to dictionaries");
		return;
	}
	for (size_t i = 0; i + 1 < v->nkids; i += 2) {
		const struct ynode *k = v->kids[i], *dv = v->kids[i + 1];
		struct sg_ts_mapping m = { 0 };
		SG_VEC(const char *) dicts = { 0 };
		size_t n = dv->type == YN_SEQ ? dv->nkids : 1;

		if (!ykey_ok(l->d, l->t, k) || !yname_ok(l->d, l->t, k, "token type"))
			continue;
		m.token = sg_strdup(l->a, k->str);
		m.loc = k->loc;
		if (ynode_is_null(dv) || (dv->type == YN_SEQ && dv->nkids == 0)) {
			struct sg_diag *dg = sg_diag_error(l->d, dv->loc, "token type %s "
							   "of %s has no dictionaries",
							   yq(l->t, k->str), ctx);

			sg_diag_hint(dg, l->d, "leave the token type out to map it "
				     "to nothing");
			continue;
		}
		for (size_t j = 0; j < n; j++) {
			const char *s = load_qualname(l, dv->type == YN_SEQ ? dv->kids[j] : dv,
						      "dictionary");

			if (s)
				SG_VEC_PUSH(l->a, &dicts, s);
		}
		m.dicts = dicts.v;
		m.ndicts = dicts.n;
		SG_VEC_PUSH(l->a, &maps, m);
	}
	/* sorted by token type, as introspection has them */
	for (size_t i = 1; i < maps.n; i++)
		for (size_t j = i; j > 0 && strcmp(maps.v[j - 1].token, maps.v[j].token) > 0; j--) {
			struct sg_ts_mapping t = maps.v[j];

			maps.v[j] = maps.v[j - 1];
			maps.v[j - 1] = t;
		}
	c->maps = maps.v;
	c->nmaps = maps.n;
}

void load_ts_config(struct loader *l, const struct ynode *key, const struct ynode *val)
{
	const struct ynode *v[ARRAY_SIZE(ts_config_keys)] = { 0 };
	struct sg_ts_config *c;
	const char *ctx;

	if (!yname_ok(l->d, l->t, key, "text search configuration name"))
		return;
	c = SG_NEW(l->cat, sg_ts_config, SG_KIND_TS_CONFIG, l->schema, key->str, NULL);
	c->obj.loc = key->loc;
	c->parser = "\"default\"";
	ctx = sg_printf(l->t, "text search configuration %s", yq(l->t, key->str));
	if (ynode_is_null(val))
		return;
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, sg_printf(l->t, "a mapping for %s", ctx));
		return;
	}
	get_keys(l, val, ts_config_keys, ARRAY_SIZE(ts_config_keys), v, ctx);
	if (v[0] && !ynode_is_null(v[0])) {
		c->parser = load_qualname(l, v[0], "parser");
		c->parser_loc = v[0]->loc;
	}
	if (v[1] && !ynode_is_null(v[1]))
		load_mappings(l, c, v[1], ctx);
	set_comment(l, &c->obj, v[2]);
	load_owner(l, &c->obj, v[3]);
	load_renamed_from(l, &c->obj, v[4], "text search configuration", key->str);
}

/*
 * A parser or template: its functions (sg_ts_parser_opts()' keys), then
 * comment and renamed_from.  Those CREATE requires are required.
 */
static void load_ts_procs(struct loader *l, enum sg_kind kind, const struct ynode *key,
			  const struct ynode *val)
{
	const struct ynode *v[ARRAY_SIZE(ts_parser_keys)] = { 0 };
	bool parser = kind == SG_KIND_TS_PARSER;
	const char *noun = sg_kind_name(kind), *ctx;
	struct sg_ts_parser *p;
	int nopts;
	const struct sg_opt_info *info = sg_ts_parser_opts(kind, &nopts);

	if (!yname_ok(l->d, l->t, key, sg_printf(l->t, "%s name", noun)))
		return;
	p = SG_NEW(l->cat, sg_ts_parser, kind, l->schema, key->str, NULL);
	p->obj.loc = key->loc;
	ctx = sg_printf(l->t, "%s %s", noun, yq(l->t, key->str));
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, sg_printf(l->t, "a mapping for %s", ctx));
		return;
	}
	get_keys(l, val, parser ? ts_parser_keys : ts_template_keys,
		 parser ? ARRAY_SIZE(ts_parser_keys) : ARRAY_SIZE(ts_template_keys), v, ctx);
	for (int i = 0; i < nopts; i++) {
		p->opts[i] = yload_opt(l, &info[i], v[i], ctx, &p->opt_locs[i]);
		/* a parser's headline and a template's init are optional */
		if (!v[i] && i != (parser ? SG_TSP_HEADLINE : SG_TST_INIT))
			sg_diag_error(l->d, key->loc, "missing key \"%s\" in %s",
				      info[i].key, ctx);
	}
	set_comment(l, &p->obj, v[nopts]);
	load_renamed_from(l, &p->obj, v[nopts + 1], noun, key->str);
}

void load_ts_parser(struct loader *l, const struct ynode *key, const struct ynode *val)
{
	load_ts_procs(l, SG_KIND_TS_PARSER, key, val);
}

void load_ts_template(struct loader *l, const struct ynode *key, const struct ynode *val)
{
	load_ts_procs(l, SG_KIND_TS_TEMPLATE, key, val);
}
