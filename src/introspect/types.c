// SPDX-License-Identifier: MIT
/*
 * types.c - extensions, collations, domains and composite types.
 *
 * One query per kind, over the managed schemas (the oid[] parameter of
 * schema.c); objects that belong to an extension are left out, as
 * everywhere.  What each kind registers in the oid map, so that depend.c
 * turns pg_depend rows into dependencies on it:
 *   extension  the extension (its comment only when it is not the one its
 *              control file gives, pg_available_extensions.comment), and
 *              every object that belongs to it (types
 *              and their array types, functions, operators, operator
 *              classes, collations, relations): a column of type citext or
 *              an index with gin_trgm_ops depends on the extension, which is
 *              what orders CREATE EXTENSION before them and DROP EXTENSION
 *              after them;
 *   collation  the collation (columns, indexes, domains and attributes that
 *              use it depend on it);
 *   domain     its type and array type, and its CHECK constraints (a check
 *              that calls a function makes the domain depend on it);
 *   composite  its type and array type, and its pg_class row (typrelid)
 *              with each attribute, so an attribute's type or collation is
 *              a dependency of the composite type.
 *
 * Text compared by the differ is the server's: format_type() for types,
 * pg_get_expr() for a domain's default, pg_get_constraintdef() for its
 * checks, all with search_path = pg_catalog so names come out qualified.
 *
 * Version differences: the ICU locale of a collation is colllocale in 17,
 * colliculocale in 15 and 16, collcollate before 15; 17's NOT NULL
 * constraints of domains (contype 'n') are read as typnotnull.  Only 15 is
 * tested here.
 */
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"

/* ---- extensions ---- */

static const char extensions_sql[] =
	"SELECT e.oid, e.extname, e.extnamespace, n.nspname, e.extversion,"
	" d.description, ae.comment AS default_comment,"
	" ARRAY(SELECT u.target FROM pg_extension_update_paths(e.extname) u"
	"  WHERE u.source = e.extversion AND u.path IS NOT NULL"
	"  ORDER BY u.target COLLATE \"C\") AS update_targets"
	" FROM pg_extension e"
	" JOIN pg_namespace n ON n.oid = e.extnamespace"
	" LEFT JOIN pg_available_extensions ae ON ae.name = e.extname"
	DESCRIPTION_JOIN("d", "pg_extension", "e.oid", "0")
	" WHERE e.extnamespace = ANY ($1::oid[])";

/*
 * The members of the extensions found (deptype 'e'), with each member
 * type's array type, which is not a member itself.
 */
static const char members_sql[] =
	"SELECT CASE m.classid"
	"  WHEN 'pg_type'::regclass THEN 't'"
	"  WHEN 'pg_proc'::regclass THEN 'p'"
	"  WHEN 'pg_collation'::regclass THEN 'l'"
	"  WHEN 'pg_opclass'::regclass THEN 'C'"
	"  WHEN 'pg_operator'::regclass THEN 'O'"
	"  WHEN 'pg_class'::regclass THEN 'c' END AS cls,"
	" m.objid, m.refobjid"
	" FROM pg_depend m"
	" WHERE m.refclassid = 'pg_extension'::regclass AND m.deptype = 'e'"
	" AND m.refobjid = ANY ($1::oid[])"
	" AND m.classid IN ('pg_type'::regclass, 'pg_proc'::regclass,"
	"  'pg_collation'::regclass, 'pg_opclass'::regclass,"
	"  'pg_operator'::regclass, 'pg_class'::regclass)"
	" UNION ALL"
	" SELECT 't', t.typarray, m.refobjid"
	" FROM pg_depend m JOIN pg_type t ON t.oid = m.objid"
	" WHERE m.refclassid = 'pg_extension'::regclass AND m.deptype = 'e'"
	" AND m.refobjid = ANY ($1::oid[]) AND m.classid = 'pg_type'::regclass"
	" AND t.typarray <> 0";

static int map_members(struct ictx *x, const char *ext_oids)
{
	const char *params[1] = { ext_oids };
	PGresult *res = run(x, members_sql, 1, params);
	int i_cls, i_oid, i_ext;

	if (!res)
		return -1;
	i_cls = col(res, "cls");
	i_oid = col(res, "objid");
	i_ext = col(res, "refobjid");
	for (int r = 0; r < PQntuples(res); r++) {
		struct sg_object *ext = oidmap_get(&x->map, OIDMAP_EXTENSION,
						   oidv(res, r, i_ext), 0);

		if (ext)
			oidmap_put(&x->map, charv(res, r, i_cls),
				   oidv(res, r, i_oid), 0, ext);
	}
	PQclear(res);
	return 0;
}

int introspect_extensions(struct ictx *x)
{
	const char *params[1] = { x->schema_oids.buf };
	static const struct sortkey order[] = {
		{ "extname", SORT_TEXT }, { NULL, 0 }
	};
	PGresult *res = run(x, extensions_sql, 1, params);
	struct sbuf oids = SBUF_INIT;
	int *rows, i_oid, i_name, i_nsp, i_nspname, i_version, i_comment,
		i_default, i_targets;
	int rc = 0;
	long n;

	if (!res)
		return -1;
	i_oid = col(res, "oid");
	i_name = col(res, "extname");
	i_nsp = col(res, "extnamespace");
	i_nspname = col(res, "nspname");
	i_version = col(res, "extversion");
	i_comment = col(res, "description");
	i_default = col(res, "default_comment");
	i_targets = col(res, "update_targets");
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res) && rc == 0; k++) {
		int r = rows[k];
		struct sg_extension *e = SG_NEW(x->cat, sg_extension,
						SG_KIND_EXTENSION,
						PQgetvalue(res, r, i_nspname),
						PQgetvalue(res, r, i_name), NULL);

		e->obj.oid = oidv(res, r, i_oid);
		e->default_comment = str(x, res, r, i_default);
		e->obj.comment = str(x, res, r, i_comment);
		/* the control file's comment is no comment of the user's */
		if (sg_streq(e->obj.comment, e->default_comment))
			e->obj.comment = NULL;
		e->version = str(x, res, r, i_version);
		n = text_array(x, PQgetvalue(res, r, i_targets), &e->update_targets);
		if (n < 0) {
			rc = -1;
			break;
		}
		e->nupdate_targets = (size_t)n;
		e->update_targets_known = true;
		oidmap_put(&x->map, OIDMAP_EXTENSION, e->obj.oid, 0, &e->obj);
		oidlist_add(&oids, e->obj.oid);
		depend_on_schema(x, &e->obj, oidv(res, r, i_nsp));
	}
	oidlist_end(&oids);
	free(rows);
	PQclear(res);
	if (rc == 0)
		rc = map_members(x, oids.buf);
	sbuf_release(&oids);
	return rc;
}

/* ---- what extensions require (for the models) ---- */

static const char requires_sql[] =
	"SELECT v.name, v.version, v.requires, a.default_version"
	" FROM pg_available_extension_versions v"
	" JOIN pg_available_extensions a ON a.name = v.name"
	" WHERE v.name = ANY ($1::text[]) AND v.requires IS NOT NULL";

static struct sg_object *model_extension(struct sg_catalog *cat, const char *name)
{
	for (size_t i = 0; i < cat->nbykind[SG_KIND_EXTENSION]; i++)
		if (strcmp(cat->bykind[SG_KIND_EXTENSION][i]->name, name) == 0)
			return cat->bykind[SG_KIND_EXTENSION][i];
	return NULL;
}

int introspect_extension_requires(struct sg_conn *c, struct sg_catalog *models)
{
	struct ictx x = { .conn = c, .cat = models, .a = models->arena };
	size_t n = models->nbykind[SG_KIND_EXTENSION];
	const char **names;
	struct sbuf param = SBUF_INIT;
	const char *params[1];
	PGresult *res;
	int i_name, i_version, i_requires, i_default, rc = 0;

	if (n == 0)
		return 0;
	names = sg_alloc_array(x.a, n, sizeof(*names));
	for (size_t i = 0; i < n; i++)
		names[i] = models->bykind[SG_KIND_EXTENSION][i]->name;
	text_array_literal(&param, names, n);
	params[0] = param.buf;
	res = run(&x, requires_sql, 1, params);
	sbuf_release(&param);
	if (!res)
		return -1;
	i_name = col(res, "name");
	i_version = col(res, "version");
	i_requires = col(res, "requires");
	i_default = col(res, "default_version");
	/* rows in the server's order, but each adds a set of edges: the
	 * result does not depend on it */
	for (int r = 0; r < PQntuples(res) && rc == 0; r++) {
		const struct sg_extension *e = (const struct sg_extension *)
			model_extension(models, PQgetvalue(res, r, i_name));
		const char *want = e && e->version ? e->version
						   : PQgetvalue(res, r, i_default);
		const char **req;
		long k;

		if (!e || strcmp(PQgetvalue(res, r, i_version), want) != 0)
			continue;
		k = text_array(&x, PQgetvalue(res, r, i_requires), &req);
		if (k < 0) {
			rc = -1;
			break;
		}
		for (long j = 0; j < k; j++)
			sg_catalog_add_dep(models, (struct sg_object *)&e->obj,
					   model_extension(models, req[j]), 'm');
	}
	PQclear(res);
	return rc;
}

/* ---- collations ---- */

static void collations_sql(struct sbuf *sb, int version)
{
	sbuf_adds(sb,
		"SELECT c.oid, c.collnamespace, n.nspname, c.collname,"
		" c.collprovider, c.collisdeterministic,");
	if (version >= 170000)
		sbuf_adds(sb, " c.collcollate, c.collctype, c.colllocale AS locale,");
	else if (version >= 150000)
		sbuf_adds(sb, " c.collcollate, c.collctype, c.colliculocale AS locale,");
	else
		sbuf_adds(sb,
			" CASE WHEN c.collprovider = 'c' THEN c.collcollate END AS collcollate,"
			" CASE WHEN c.collprovider = 'c' THEN c.collctype END AS collctype,"
			" CASE WHEN c.collprovider = 'i' THEN c.collcollate END AS locale,");
	sbuf_adds(sb,
		" d.description"
		" FROM pg_collation c"
		" JOIN pg_namespace n ON n.oid = c.collnamespace"
		DESCRIPTION_JOIN("d", "pg_collation", "c.oid", "0")
		" WHERE c.collnamespace = ANY ($1::oid[])"
		" AND " NOT_EXTENSION_MEMBER("pg_collation", "c.oid"));
}

int introspect_collations(struct ictx *x)
{
	const char *params[1] = { x->schema_oids.buf };
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "collname", SORT_TEXT }, { NULL, 0 }
	};
	struct sbuf sql = SBUF_INIT;
	PGresult *res;
	int *rows, i_oid, i_nsp, i_nspname, i_name, i_provider, i_det,
		i_collate, i_ctype, i_locale, i_comment;

	collations_sql(&sql, x->server_version);
	res = run(x, sql.buf, 1, params);
	sbuf_release(&sql);
	if (!res)
		return -1;
	i_oid = col(res, "oid");
	i_nsp = col(res, "collnamespace");
	i_nspname = col(res, "nspname");
	i_name = col(res, "collname");
	i_provider = col(res, "collprovider");
	i_det = col(res, "collisdeterministic");
	i_collate = col(res, "collcollate");
	i_ctype = col(res, "collctype");
	i_locale = col(res, "locale");
	i_comment = col(res, "description");
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res); k++) {
		int r = rows[k];
		struct sg_collation *c = SG_NEW(x->cat, sg_collation,
						SG_KIND_COLLATION,
						PQgetvalue(res, r, i_nspname),
						PQgetvalue(res, r, i_name), NULL);

		c->obj.oid = oidv(res, r, i_oid);
		c->obj.comment = str(x, res, r, i_comment);
		c->provider = charv(res, r, i_provider);
		c->deterministic = boolv(res, r, i_det);
		c->lc_collate = str(x, res, r, i_collate);
		c->lc_ctype = str(x, res, r, i_ctype);
		c->locale = str(x, res, r, i_locale);
		oidmap_put(&x->map, OIDMAP_COLLATION, c->obj.oid, 0, &c->obj);
		depend_on_schema(x, &c->obj, oidv(res, r, i_nsp));
	}
	free(rows);
	PQclear(res);
	return 0;
}

/* ---- domains ---- */

/* The checks of the domain, in name order (name sorts with "C"). */
#define DOMAIN_CHECKS(expr)                                                 \
	"ARRAY(SELECT " expr " FROM pg_constraint k WHERE k.contypid = t.oid" \
	" AND k.contype = 'c' ORDER BY k.conname)"

static const char domains_sql[] =
	"SELECT t.oid, t.typnamespace, n.nspname, t.typname, t.typarray,"
	" format_type(t.typbasetype, t.typtypmod) AS base_type, t.typnotnull,"
	" pg_get_expr(t.typdefaultbin, 0) AS default_expr,"
	" cn.nspname AS collation_nspname, co.collname,"
	" " DOMAIN_CHECKS("k.oid") " AS check_oids,"
	" " DOMAIN_CHECKS("k.conname") " AS check_names,"
	" " DOMAIN_CHECKS("pg_get_constraintdef(k.oid)") " AS check_defs,"
	" " DOMAIN_CHECKS("pg_get_expr(k.conbin, 0)") " AS check_exprs,"
	" " DOMAIN_CHECKS("k.convalidated") " AS check_valid,"
	" " DOMAIN_CHECKS("obj_description(k.oid, 'pg_constraint')") " AS check_comments,"
	" d.description"
	" FROM pg_type t"
	" JOIN pg_namespace n ON n.oid = t.typnamespace"
	" JOIN pg_type bt ON bt.oid = t.typbasetype"
	" LEFT JOIN pg_collation co ON co.oid = t.typcollation"
	"  AND t.typcollation <> bt.typcollation"
	" LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace"
	DESCRIPTION_JOIN("d", "pg_type", "t.oid", "0")
	" WHERE t.typtype = 'd' AND t.typnamespace = ANY ($1::oid[])"
	" AND " NOT_EXTENSION_MEMBER("pg_type", "t.oid");

/* Parallel arrays of one row: every one must have n elements. */
static int row_arrays(struct ictx *x, const PGresult *res, int r,
		      const int *cols, const char ****out, size_t narrays,
		      size_t *n)
{
	long first = -1;

	for (size_t i = 0; i < narrays; i++) {
		long k = text_array(x, PQgetvalue(res, r, cols[i]), out[i]);

		if (k < 0)
			return -1;
		if (first >= 0 && k != first)
			return sg_error("introspection: arrays of different lengths");
		first = k;
	}
	*n = first < 0 ? 0 : (size_t)first;
	return 0;
}

int introspect_domains(struct ictx *x)
{
	const char *params[1] = { x->schema_oids.buf };
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "typname", SORT_TEXT }, { NULL, 0 }
	};
	PGresult *res = run(x, domains_sql, 1, params);
	int *rows, i_oid, i_nsp, i_nspname, i_name, i_array, i_base, i_notnull,
		i_default, i_collnsp, i_collname, i_comment;
	int ck[6];
	int rc = 0;

	if (!res)
		return -1;
	i_oid = col(res, "oid");
	i_nsp = col(res, "typnamespace");
	i_nspname = col(res, "nspname");
	i_name = col(res, "typname");
	i_array = col(res, "typarray");
	i_base = col(res, "base_type");
	i_notnull = col(res, "typnotnull");
	i_default = col(res, "default_expr");
	i_collnsp = col(res, "collation_nspname");
	i_collname = col(res, "collname");
	i_comment = col(res, "description");
	ck[0] = col(res, "check_oids");
	ck[1] = col(res, "check_names");
	ck[2] = col(res, "check_defs");
	ck[3] = col(res, "check_exprs");
	ck[4] = col(res, "check_valid");
	ck[5] = col(res, "check_comments");
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res) && rc == 0; k++) {
		int r = rows[k];
		struct sg_domain *dm = SG_NEW(x->cat, sg_domain, SG_KIND_DOMAIN,
					      PQgetvalue(res, r, i_nspname),
					      PQgetvalue(res, r, i_name), NULL);
		const char **oids, **names, **defs, **exprs, **valid, **comments;
		const char ***arrays[6] = { &oids, &names, &defs, &exprs, &valid,
					    &comments };
		size_t n;

		dm->obj.oid = oidv(res, r, i_oid);
		dm->obj.comment = str(x, res, r, i_comment);
		dm->base_type = str(x, res, r, i_base);
		dm->not_null = boolv(res, r, i_notnull);
		dm->default_expr = str(x, res, r, i_default);
		dm->collation = catalog_name(x, str(x, res, r, i_collnsp),
					     str(x, res, r, i_collname));
		if (row_arrays(x, res, r, ck, arrays, 6, &n) < 0) {
			rc = -1;
			break;
		}
		dm->checks = sg_alloc_array(x->a, n ? n : 1, sizeof(*dm->checks));
		dm->nchecks = n;
		for (size_t i = 0; i < n; i++) {
			struct sg_domain_check *c = &dm->checks[i];

			c->name = names[i];
			c->definition = defs[i];
			c->expression = exprs[i];
			c->not_valid = !valid[i] || strcmp(valid[i], "t") != 0;
			c->comment = comments[i];
			oidmap_put(&x->map, OIDMAP_CONSTRAINT,
				   (uint32_t)strtoul(oids[i], NULL, 10), 0,
				   &dm->obj);
		}
		oidmap_put(&x->map, OIDMAP_TYPE, dm->obj.oid, 0, &dm->obj);
		if (oidv(res, r, i_array))
			oidmap_put(&x->map, OIDMAP_TYPE, oidv(res, r, i_array), 0,
				   &dm->obj);
		depend_on_schema(x, &dm->obj, oidv(res, r, i_nsp));
	}
	free(rows);
	PQclear(res);
	return rc;
}

/* ---- composite types ---- */

/* The live attributes of the type's relation, in attnum order. */
#define ATTRS(expr)                                                         \
	"ARRAY(SELECT " expr " FROM pg_attribute a"                         \
	" JOIN pg_type at ON at.oid = a.atttypid"                           \
	" LEFT JOIN pg_collation co ON co.oid = a.attcollation"             \
	"  AND a.attcollation <> at.typcollation"                           \
	" LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace"           \
	" WHERE a.attrelid = t.typrelid AND a.attnum > 0"                   \
	" AND NOT a.attisdropped ORDER BY a.attnum)"

static const char composites_sql[] =
	"SELECT t.oid, t.typrelid, t.typnamespace, n.nspname, t.typname,"
	" t.typarray,"
	" " ATTRS("a.attnum") " AS attnums,"
	" " ATTRS("a.attname") " AS attnames,"
	" " ATTRS("format_type(a.atttypid, a.atttypmod)") " AS atttypes,"
	" " ATTRS("cn.nspname") " AS collation_nspnames,"
	" " ATTRS("co.collname") " AS collnames,"
	" " ATTRS("col_description(a.attrelid, a.attnum)") " AS comments,"
	" d.description"
	" FROM pg_type t"
	" JOIN pg_namespace n ON n.oid = t.typnamespace"
	" JOIN pg_class c ON c.oid = t.typrelid AND c.relkind = 'c'"
	DESCRIPTION_JOIN("d", "pg_type", "t.oid", "0")
	" WHERE t.typtype = 'c' AND t.typnamespace = ANY ($1::oid[])"
	" AND " NOT_EXTENSION_MEMBER("pg_type", "t.oid");

int introspect_composites(struct ictx *x)
{
	const char *params[1] = { x->schema_oids.buf };
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "typname", SORT_TEXT }, { NULL, 0 }
	};
	PGresult *res = run(x, composites_sql, 1, params);
	int *rows, i_oid, i_rel, i_nsp, i_nspname, i_name, i_array, i_comment;
	int ac[6];
	int rc = 0;

	if (!res)
		return -1;
	i_oid = col(res, "oid");
	i_rel = col(res, "typrelid");
	i_nsp = col(res, "typnamespace");
	i_nspname = col(res, "nspname");
	i_name = col(res, "typname");
	i_array = col(res, "typarray");
	i_comment = col(res, "description");
	ac[0] = col(res, "attnums");
	ac[1] = col(res, "attnames");
	ac[2] = col(res, "atttypes");
	ac[3] = col(res, "collation_nspnames");
	ac[4] = col(res, "collnames");
	ac[5] = col(res, "comments");
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res) && rc == 0; k++) {
		int r = rows[k];
		struct sg_composite *ct = SG_NEW(x->cat, sg_composite,
						 SG_KIND_COMPOSITE,
						 PQgetvalue(res, r, i_nspname),
						 PQgetvalue(res, r, i_name), NULL);
		const char **nums, **names, **types, **collnsps, **collnames,
			**comments;
		const char ***arrays[6] = { &nums, &names, &types, &collnsps,
					    &collnames, &comments };
		uint32_t rel = oidv(res, r, i_rel);
		size_t n;

		ct->obj.oid = oidv(res, r, i_oid);
		ct->obj.comment = str(x, res, r, i_comment);
		if (row_arrays(x, res, r, ac, arrays, 6, &n) < 0) {
			rc = -1;
			break;
		}
		ct->attrs = sg_alloc_array(x->a, n ? n : 1, sizeof(*ct->attrs));
		ct->nattrs = n;
		for (size_t i = 0; i < n; i++) {
			struct sg_attribute *at = &ct->attrs[i];

			at->name = names[i];
			at->type = types[i];
			at->collation = catalog_name(x, collnsps[i], collnames[i]);
			at->comment = comments[i];
			oidmap_put(&x->map, OIDMAP_CLASS, rel,
				   (int32_t)strtol(nums[i], NULL, 10), &ct->obj);
		}
		oidmap_put(&x->map, OIDMAP_CLASS, rel, 0, &ct->obj);
		oidmap_put(&x->map, OIDMAP_TYPE, ct->obj.oid, 0, &ct->obj);
		if (oidv(res, r, i_array))
			oidmap_put(&x->map, OIDMAP_TYPE, oidv(res, r, i_array), 0,
				   &ct->obj);
		depend_on_schema(x, &ct->obj, oidv(res, r, i_nsp));
	}
	free(rows);
	PQclear(res);
	return rc;
}
