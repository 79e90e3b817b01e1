// SPDX-License-Identifier: MIT
/*
 * textsearch.c - text search parsers (pg_ts_parser), templates
 * (pg_ts_template), dictionaries (pg_ts_dict) and configurations
 * (pg_ts_config and their mappings, pg_ts_config_map) of the managed
 * schemas, one query each.  A parser's or template's support functions
 * are read as regproc prints them (qualified unless in pg_catalog).
 *
 * Names of templates, parsers and dictionaries are SQL text, qualified
 * unless in pg_catalog (catalog_name).  A dictionary's options are
 * dictinitoption parsed by PostgreSQL's parser (sg_sql_ts_options),
 * sorted by name.  A configuration's mappings come one row per token type
 * and dictionary, the token type named by ts_token_type() of the parser.
 * Members of extensions are left out.
 */
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"
#include "schemagen/sql.h"
#include "schemagen/util.h"

#define TS_PROC(col, name) \
	" CASE WHEN " col " <> 0 THEN " col "::regproc::text END AS " name ","

static const char parsers_sql[] =
	"SELECT p.oid, p.prsnamespace AS nsp, n.nspname, p.prsname AS name,"
	TS_PROC("p.prsstart", "start") TS_PROC("p.prstoken", "gettoken")
	TS_PROC("p.prsend", "end") TS_PROC("p.prslextype", "lextypes")
	TS_PROC("p.prsheadline", "headline")
	" x.description"
	" FROM pg_ts_parser p"
	" JOIN pg_namespace n ON n.oid = p.prsnamespace"
	DESCRIPTION_JOIN("x", "pg_ts_parser", "p.oid", "0")
	" WHERE p.prsnamespace = ANY ($1::oid[])"
	" AND " NOT_EXTENSION_MEMBER("pg_ts_parser", "p.oid");

static const char templates_sql[] =
	"SELECT t.oid, t.tmplnamespace AS nsp, n.nspname, t.tmplname AS name,"
	TS_PROC("t.tmplinit", "init") TS_PROC("t.tmpllexize", "lexize")
	" x.description"
	" FROM pg_ts_template t"
	" JOIN pg_namespace n ON n.oid = t.tmplnamespace"
	DESCRIPTION_JOIN("x", "pg_ts_template", "t.oid", "0")
	" WHERE t.tmplnamespace = ANY ($1::oid[])"
	" AND " NOT_EXTENSION_MEMBER("pg_ts_template", "t.oid");

/* Parsers and templates: one row each, the functions by sg_ts_parser_opts(). */
static int introspect_ts_procs(struct ictx *x, enum sg_kind kind, const char *sql,
			       char cls)
{
	const char *params[1] = { x->schema_oids.buf };
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "name", SORT_TEXT }, { NULL, 0 }
	};
	PGresult *res = run(x, sql, 1, params);
	int *rows, i_oid, i_nsp, i_nspname, i_name, i_comment, nopts;
	int i_opts[SG_TSP__COUNT];
	const struct sg_opt_info *info = sg_ts_parser_opts(kind, &nopts);

	if (!res)
		return -1;
	i_oid = col(res, "oid");
	i_nsp = col(res, "nsp");
	i_nspname = col(res, "nspname");
	i_name = col(res, "name");
	i_comment = col(res, "description");
	for (int i = 0; i < nopts; i++)
		i_opts[i] = col(res, info[i].key);
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res); k++) {
		int r = rows[k];
		struct sg_ts_parser *p = SG_NEW(x->cat, sg_ts_parser, kind,
						 PQgetvalue(res, r, i_nspname),
						 PQgetvalue(res, r, i_name), NULL);

		p->obj.oid = oidv(res, r, i_oid);
		p->obj.comment = str(x, res, r, i_comment);
		for (int i = 0; i < nopts; i++)
			p->opts[i] = str(x, res, r, i_opts[i]);
		oidmap_put(&x->map, cls, p->obj.oid, 0, &p->obj);
		depend_on_schema(x, &p->obj, oidv(res, r, i_nsp));
	}
	free(rows);
	PQclear(res);
	return 0;
}

int introspect_ts_parsers(struct ictx *x)
{
	return introspect_ts_procs(x, SG_KIND_TS_PARSER, parsers_sql, OIDMAP_TS_PARSER);
}

int introspect_ts_templates(struct ictx *x)
{
	return introspect_ts_procs(x, SG_KIND_TS_TEMPLATE, templates_sql,
				   OIDMAP_TS_TEMPLATE);
}

static const char dicts_sql[] =
	"SELECT d.oid, d.dictnamespace, n.nspname, d.dictname,"
	" tn.nspname AS tmplnsp, t.tmplname, d.dictinitoption, x.description"
	" FROM pg_ts_dict d"
	" JOIN pg_namespace n ON n.oid = d.dictnamespace"
	" JOIN pg_ts_template t ON t.oid = d.dicttemplate"
	" JOIN pg_namespace tn ON tn.oid = t.tmplnamespace"
	DESCRIPTION_JOIN("x", "pg_ts_dict", "d.oid", "0")
	" WHERE d.dictnamespace = ANY ($1::oid[])"
	" AND " NOT_EXTENSION_MEMBER("pg_ts_dict", "d.oid");

static int str_cmp(const void *pa, const void *pb)
{
	return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

int introspect_ts_dicts(struct ictx *x)
{
	const char *params[1] = { x->schema_oids.buf };
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "dictname", SORT_TEXT }, { NULL, 0 }
	};
	PGresult *res = run(x, dicts_sql, 1, params);
	int *rows, i_oid, i_nsp, i_nspname, i_name, i_tnsp, i_tname, i_opts, i_comment;
	int rc = 0;

	if (!res)
		return -1;
	i_oid = col(res, "oid");
	i_nsp = col(res, "dictnamespace");
	i_nspname = col(res, "nspname");
	i_name = col(res, "dictname");
	i_tnsp = col(res, "tmplnsp");
	i_tname = col(res, "tmplname");
	i_opts = col(res, "dictinitoption");
	i_comment = col(res, "description");
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res); k++) {
		int r = rows[k];
		struct sg_ts_dict *d = SG_NEW(x->cat, sg_ts_dict, SG_KIND_TS_DICTIONARY,
					      PQgetvalue(res, r, i_nspname),
					      PQgetvalue(res, r, i_name), NULL);

		d->obj.oid = oidv(res, r, i_oid);
		d->obj.comment = str(x, res, r, i_comment);
		d->template_name = catalog_name(x, PQgetvalue(res, r, i_tnsp),
						PQgetvalue(res, r, i_tname));
		if (!PQgetisnull(res, r, i_opts)) {
			if (sg_sql_ts_options(x->a, PQgetvalue(res, r, i_opts), &d->options,
					      &d->noptions) < 0) {
				rc = sg_error("text search dictionary %s: cannot read its "
					      "options", d->obj.name);
				break;
			}
			if (d->noptions > 1)
				qsort(d->options, d->noptions, sizeof(*d->options), str_cmp);
		}
		oidmap_put(&x->map, OIDMAP_TS_DICT, d->obj.oid, 0, &d->obj);
		depend_on_schema(x, &d->obj, oidv(res, r, i_nsp));
	}
	free(rows);
	PQclear(res);
	return rc;
}

static const char configs_sql[] =
	"SELECT c.oid, c.cfgnamespace, n.nspname, c.cfgname,"
	" pn.nspname AS prsnsp, p.prsname,"
	" (SELECT t.alias FROM ts_token_type(c.cfgparser) t"
	"  WHERE t.tokid = m.maptokentype) AS token,"
	" m.mapseqno, dn.nspname AS dictnsp, dd.dictname, x.description"
	" FROM pg_ts_config c"
	" JOIN pg_namespace n ON n.oid = c.cfgnamespace"
	" JOIN pg_ts_parser p ON p.oid = c.cfgparser"
	" JOIN pg_namespace pn ON pn.oid = p.prsnamespace"
	" LEFT JOIN pg_ts_config_map m ON m.mapcfg = c.oid"
	" LEFT JOIN pg_ts_dict dd ON dd.oid = m.mapdict"
	" LEFT JOIN pg_namespace dn ON dn.oid = dd.dictnamespace"
	DESCRIPTION_JOIN("x", "pg_ts_config", "c.oid", "0")
	" WHERE c.cfgnamespace = ANY ($1::oid[])"
	" AND " NOT_EXTENSION_MEMBER("pg_ts_config", "c.oid");

int introspect_ts_configs(struct ictx *x)
{
	const char *params[1] = { x->schema_oids.buf };
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "cfgname", SORT_TEXT },
		{ "token", SORT_TEXT }, { "mapseqno", SORT_NUM }, { NULL, 0 }
	};
	PGresult *res = run(x, configs_sql, 1, params);
	int *rows, i_oid, i_nsp, i_nspname, i_name, i_pnsp, i_pname, i_token,
		i_dnsp, i_dname, i_comment;
	struct sg_ts_config *c = NULL;
	SG_VEC(struct sg_ts_mapping) maps = { 0 };
	SG_VEC(const char *) dicts = { 0 };

	if (!res)
		return -1;
	i_oid = col(res, "oid");
	i_nsp = col(res, "cfgnamespace");
	i_nspname = col(res, "nspname");
	i_name = col(res, "cfgname");
	i_pnsp = col(res, "prsnsp");
	i_pname = col(res, "prsname");
	i_token = col(res, "token");
	i_dnsp = col(res, "dictnsp");
	i_dname = col(res, "dictname");
	i_comment = col(res, "description");
	rows = sorted_rows(res, order);
	for (int k = 0; k <= PQntuples(res); k++) {
		int r = k < PQntuples(res) ? rows[k] : -1;
		bool new_cfg = r < 0 || !c || c->obj.oid != oidv(res, r, i_oid);
		bool new_map = new_cfg || !maps.n ||
			       strcmp(maps.v[maps.n - 1].token, PQgetvalue(res, r, i_token)) != 0;

		if (c && (new_map || new_cfg) && maps.n) {
			maps.v[maps.n - 1].dicts = dicts.v;
			maps.v[maps.n - 1].ndicts = dicts.n;
			memset(&dicts, 0, sizeof(dicts));
		}
		if (c && new_cfg) {
			c->maps = maps.v;
			c->nmaps = maps.n;
			memset(&maps, 0, sizeof(maps));
		}
		if (r < 0)
			break;
		if (new_cfg) {
			c = SG_NEW(x->cat, sg_ts_config, SG_KIND_TS_CONFIG,
				   PQgetvalue(res, r, i_nspname), PQgetvalue(res, r, i_name),
				   NULL);
			c->obj.oid = oidv(res, r, i_oid);
			c->obj.comment = str(x, res, r, i_comment);
			c->parser = catalog_name(x, PQgetvalue(res, r, i_pnsp),
						 PQgetvalue(res, r, i_pname));
			oidmap_put(&x->map, OIDMAP_TS_CONFIG, c->obj.oid, 0, &c->obj);
			depend_on_schema(x, &c->obj, oidv(res, r, i_nsp));
		}
		if (PQgetisnull(res, r, i_token))
			continue;   /* no mappings */
		if (new_map) {
			struct sg_ts_mapping m = {
				.token = sg_strdup(x->a, PQgetvalue(res, r, i_token)),
			};

			SG_VEC_PUSH(x->a, &maps, m);
		}
		SG_VEC_PUSH(x->a, &dicts, catalog_name(x, PQgetvalue(res, r, i_dnsp),
						       PQgetvalue(res, r, i_dname)));
	}
	free(rows);
	PQclear(res);
	return 0;
}
