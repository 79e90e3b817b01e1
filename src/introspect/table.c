// SPDX-License-Identifier: MIT
/*
 * table.c - tables and their columns (and the columns of views, whose oids
 * view.c adds to the table oids).
 *
 * Tables are relkind 'r' and 'p' (partitioning, inheritance and storage
 * are read by partition.c), minus extension members and
 * schemagen's own version and history tables.  The oids found become the
 * oid[] parameter of the column, constraint and index queries (pg_dump's
 * getTableAttrs batching), so a table left out here is left out with all its
 * children.
 *
 * Columns: format_type(atttypid, atttypmod) as the type; the default from
 * pg_attrdef through pg_get_expr; an identity column's options from its
 * identity sequence (the one with an internal dependency on the column); a
 * collation only when it differs from the type's typcollation, as the SQL
 * text ruleutils would print (quoted, qualified unless in pg_catalog).
 * Generated columns (attgenerated 's', STORED, or 'v', PostgreSQL 18's
 * VIRTUAL: generated_virtual): the expression is `generated`
 * (pg_get_expr of the pg_attrdef row), never a default.  A column
 * that only comes from a parent (attislocal false) is marked inherited.
 */
#include <stdlib.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"

static const char tables_sql[] =
	"SELECT c.oid, c.relnamespace, n.nspname, c.relname, c.reltype,"
	" rt.typarray, d.description"
	" FROM pg_class c"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_type rt ON rt.oid = c.reltype"
	DESCRIPTION_JOIN("d", "pg_class", "c.oid", "0")
	" WHERE c.relkind IN ('r', 'p') AND c.relnamespace = ANY ($1::oid[])"
	" AND " NOT_EXTENSION_MEMBER("pg_class", "c.oid")
	" AND NOT coalesce(n.nspname = coalesce($2, 'public') AND c.relname::text IN ($3::text, $4::text, $4::text || '_steps'), false)"
	" AND ($5::oid[] IS NULL OR c.oid = ANY ($5::oid[]))";

int introspect_tables(struct ictx *x)
{
	const char *params[5] = {
		x->schema_oids.buf, x->opts->version_schema,
		x->opts->version_table, x->opts->history_table,
		x->opts->relations,
	};
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "relname", SORT_TEXT }, { NULL, 0 }
	};
	PGresult *res = run(x, tables_sql, 5, params);
	int *rows, i_oid, i_nsp, i_nspname, i_name, i_type, i_array, i_comment;

	if (!res)
		return -1;
	i_oid = col(res, "oid");
	i_nsp = col(res, "relnamespace");
	i_nspname = col(res, "nspname");
	i_name = col(res, "relname");
	i_type = col(res, "reltype");
	i_array = col(res, "typarray");
	i_comment = col(res, "description");
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res); k++) {
		int r = rows[k];
		struct sg_table *t = SG_NEW(x->cat, sg_table, SG_KIND_TABLE,
					    PQgetvalue(res, r, i_nspname),
					    PQgetvalue(res, r, i_name), NULL);

		t->obj.oid = oidv(res, r, i_oid);
		t->obj.comment = str(x, res, r, i_comment);
		oidmap_put(&x->map, OIDMAP_CLASS, t->obj.oid, 0, &t->obj);
		/* a column of the row type (or an array of it) needs the table */
		if (oidv(res, r, i_type))
			oidmap_put(&x->map, OIDMAP_TYPE, oidv(res, r, i_type), 0,
				   &t->obj);
		if (oidv(res, r, i_array))
			oidmap_put(&x->map, OIDMAP_TYPE, oidv(res, r, i_array), 0,
				   &t->obj);
		depend_on_schema(x, &t->obj, oidv(res, r, i_nsp));
		oidlist_add(&x->table_oids, t->obj.oid);
	}
	oidlist_end(&x->table_oids);
	free(rows);
	PQclear(res);
	return 0;
}

/*
 * A default is deparsed without its table (pg_get_expr(adbin, 0)): it
 * cannot name a column, and with the table's oid pg_get_expr opens the
 * table, building its relcache entry (most of this query's time on a cold
 * connection).  A generated column's expression names columns.  The
 * identity sequence is looked up per identity column through
 * pg_depend's reference index (OFFSET 0 keeps the planner from hashing all
 * of pg_depend).
 */
static const char columns_sql[] =
	"SELECT a.attrelid, a.attnum, n.nspname, c.relname, a.attname,"
	" format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull,"
	" CASE WHEN a.attgenerated = '' THEN pg_get_expr(ad.adbin, 0)"
	" END AS default_expr,"
	" CASE WHEN a.attgenerated <> '' THEN pg_get_expr(ad.adbin, ad.adrelid)"
	" END AS generated, a.attgenerated = 'v' AS generated_virtual,"
	" ad.oid AS attrdef_oid, a.attidentity, a.attislocal,"
	" cn.nspname AS collation_nspname, co.collname,"
	" format_type(s.seqtypid, NULL) AS id_type, s.seqstart AS id_start,"
	" s.seqincrement AS id_increment, s.seqmin AS id_min,"
	" s.seqmax AS id_max, s.seqcache AS id_cache, s.seqcycle AS id_cycle,"
	" d.description,"
	/* a foreign table's column options (introspect_fdw_options()) */
	" CASE WHEN a.attfdwoptions IS NOT NULL THEN ARRAY(SELECT o.option_name"
	"  FROM pg_options_to_table(a.attfdwoptions) o) END AS opt_keys,"
	" CASE WHEN a.attfdwoptions IS NOT NULL THEN ARRAY(SELECT CASE WHEN"
	"  o.option_name ~* '" SG_SECRET_KEY_RE "'"
	"  AND o.option_value NOT LIKE '$env:%' THEN NULL ELSE o.option_value END"
	"  FROM pg_options_to_table(a.attfdwoptions) o) END AS opt_values"
	" FROM unnest($1::oid[]) src(oid)"
	" JOIN pg_attribute a ON a.attrelid = src.oid"
	" JOIN pg_class c ON c.oid = a.attrelid"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" JOIN pg_type t ON t.oid = a.atttypid"
	" LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid"
	"  AND ad.adnum = a.attnum"
	" LEFT JOIN pg_collation co ON co.oid = a.attcollation"
	"  AND a.attcollation <> t.typcollation"
	" LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace"
	" LEFT JOIN LATERAL (SELECT idd.objid FROM pg_depend idd"
	"  WHERE a.attidentity <> ''"
	"  AND idd.refclassid = 'pg_class'::regclass"
	"  AND idd.refobjid = a.attrelid AND idd.refobjsubid = a.attnum"
	"  AND idd.classid = 'pg_class'::regclass AND idd.deptype = 'i'"
	"  OFFSET 0) idd ON true"
	" LEFT JOIN pg_sequence s ON s.seqrelid = idd.objid"
	DESCRIPTION_JOIN("d", "pg_class", "a.attrelid", "a.attnum")
	" WHERE a.attnum > 0"
	" AND NOT a.attisdropped";

int introspect_columns(struct ictx *x)
{
	const char *params[1] = { x->table_oids.buf };
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "relname", SORT_TEXT },
		{ "attnum", SORT_NUM }, { NULL, 0 }
	};
	PGresult *res = run(x, columns_sql, 1, params);
	int *rows, i_rel, i_attnum, i_name, i_type, i_notnull, i_default,
		i_attrdef, i_identity, i_local, i_collnsp, i_collname, i_comment,
		i_generated, i_virtual;

	if (!res)
		return -1;
	i_rel = col(res, "attrelid");
	i_attnum = col(res, "attnum");
	i_name = col(res, "attname");
	i_type = col(res, "type");
	i_notnull = col(res, "attnotnull");
	i_default = col(res, "default_expr");
	i_generated = col(res, "generated");
	i_virtual = col(res, "generated_virtual");
	i_attrdef = col(res, "attrdef_oid");
	i_identity = col(res, "attidentity");
	i_local = col(res, "attislocal");
	i_collnsp = col(res, "collation_nspname");
	i_collname = col(res, "collname");
	i_comment = col(res, "description");
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res); k++) {
		int r = rows[k];
		uint32_t rel = oidv(res, r, i_rel);
		struct sg_object *t = oidmap_get(&x->map, OIDMAP_CLASS, rel, 0);
		struct sg_column *c;
		int attnum = (int)intv(res, r, i_attnum);

		if (!t || !sg_kind_is_relation(t->kind))
			SG_BUG("column of unknown table %u", rel);
		c = SG_NEW(x->cat, sg_column, SG_KIND_COLUMN, NULL,
			   PQgetvalue(res, r, i_name), t);
		c->obj.oid = rel;
		c->obj.comment = str(x, res, r, i_comment);
		c->attnum = (int)((struct sg_table *)t)->ncolumns;
		c->type = str(x, res, r, i_type);
		c->not_null = boolv(res, r, i_notnull);
		c->default_expr = str(x, res, r, i_default);
		c->generated = str(x, res, r, i_generated);
		c->generated_virtual = boolv(res, r, i_virtual);
		c->identity = charv(res, r, i_identity);
		c->inherited = !boolv(res, r, i_local);
		if (c->identity)
			seqopts_from_row(x, &c->identity_opts, res, r, "id_");
		c->collation = catalog_name(x, str(x, res, r, i_collnsp),
					    str(x, res, r, i_collname));
		if (introspect_fdw_options(x, res, r, &c->options, &c->noptions) < 0) {
			free(rows);
			PQclear(res);
			return -1;
		}
		oidmap_put(&x->map, OIDMAP_CLASS, rel, attnum, &c->obj);
		if (!PQgetisnull(res, r, i_attrdef))
			oidmap_put(&x->map, OIDMAP_ATTRDEF,
				   oidv(res, r, i_attrdef), 0, &c->obj);
	}
	free(rows);
	PQclear(res);
	return 0;
}
