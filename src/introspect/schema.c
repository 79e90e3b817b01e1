// SPDX-License-Identifier: MIT
/*
 * schema.c - schemas and enum types.
 *
 * The schema query is the only one that sees the managed-schema names (a
 * text[] parameter, NULL for "every non-system schema"); it decides which
 * schemas are managed, and every later top-level query takes the oids it
 * found as an oid[] parameter, so the rules below live in one place:
 * pg_catalog, information_schema, pg_toast*, pg_temp_* and pg_toast_temp_*
 * are never managed, nor are schemas that belong to an extension, nor a
 * version schema other than public that holds only schemagen's own tables.
 */
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"

static const char schemas_sql[] =
	"SELECT n.oid, n.nspname, d.description"
	" FROM pg_namespace n"
	DESCRIPTION_JOIN("d", "pg_namespace", "n.oid", "0")
	" WHERE n.nspname <> ALL (ARRAY['pg_catalog', 'information_schema'])"
	" AND n.nspname NOT LIKE 'pg\\_toast%'"
	" AND n.nspname NOT LIKE 'pg\\_temp\\_%'"
	" AND ($1::text[] IS NULL OR n.nspname = ANY ($1::text[]))"
	" AND " NOT_EXTENSION_MEMBER("pg_namespace", "n.oid")
	/*
	 * A version schema of its own (not public) that holds nothing but
	 * schemagen's tables, their indexes and sequences is schemagen's, not
	 * the user's: the models never mention it, and it must not look like
	 * a schema to drop.  Anything else in it makes it an ordinary schema.
	 */
	" AND NOT coalesce(n.nspname::text = $2::text AND $2::text <> 'public'"
	"  AND NOT EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid"
	"   AND NOT EXISTS (SELECT 1 FROM pg_class t WHERE t.relnamespace = n.oid"
	"    AND t.relname::text IN ($3::text, $4::text, $4::text || '_steps')"
	"    AND (t.oid = c.oid"
	"     OR EXISTS (SELECT 1 FROM pg_index i"
	"                WHERE i.indexrelid = c.oid AND i.indrelid = t.oid)"
	"     OR EXISTS (SELECT 1 FROM pg_depend dp"
	"                WHERE dp.classid = 'pg_class'::regclass AND dp.objid = c.oid"
	"                AND dp.refclassid = 'pg_class'::regclass AND dp.refobjid = t.oid))))"
	"  AND NOT EXISTS (SELECT 1 FROM pg_type ty WHERE ty.typnamespace = n.oid"
	"   AND ty.typrelid = 0 AND ty.typelem = 0), false)";

/* The text form of a text[] value: {"a","b"} with '"' and '\' escaped. */
void text_array_literal(struct sbuf *sb, const char *const *v, size_t n)
{
	sbuf_addch(sb, '{');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sbuf_addch(sb, ',');
		sbuf_addch(sb, '"');
		for (const char *p = v[i]; *p; p++) {
			if (*p == '"' || *p == '\\')
				sbuf_addch(sb, '\\');
			sbuf_addch(sb, *p);
		}
		sbuf_addch(sb, '"');
	}
	sbuf_addch(sb, '}');
}

int introspect_schemas(struct ictx *x)
{
	struct sbuf names = SBUF_INIT;
	const char *params[4] = {
		NULL, x->opts->version_schema, x->opts->version_table,
		x->opts->history_table,
	};
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { NULL, 0 }
	};
	PGresult *res;
	int *rows, i_oid, i_name, i_comment;

	if (x->opts->nschemas) {
		text_array_literal(&names, x->opts->schemas, x->opts->nschemas);
		params[0] = names.buf;
	}
	res = run(x, schemas_sql, 4, params);
	sbuf_release(&names);
	if (!res)
		return -1;
	i_oid = col(res, "oid");
	i_name = col(res, "nspname");
	i_comment = col(res, "description");
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res); k++) {
		int r = rows[k];
		const char *name = PQgetvalue(res, r, i_name);
		struct sg_schema *s = SG_NEW(x->cat, sg_schema, SG_KIND_SCHEMA,
					     name, name, NULL);

		s->obj.oid = oidv(res, r, i_oid);
		s->obj.comment = str(x, res, r, i_comment);
		oidmap_put(&x->map, OIDMAP_NAMESPACE, s->obj.oid, 0, &s->obj);
		oidlist_add(&x->schema_oids, s->obj.oid);
	}
	oidlist_end(&x->schema_oids);
	free(rows);
	PQclear(res);
	return 0;
}

/*
 * Every top-level object depends on its schema: pg_depend's rows for that
 * are filtered out with every oid below FirstNormalObjectId (public's among
 * them), and the orderer needs them all.
 */
void depend_on_schema(struct ictx *x, struct sg_object *obj,
			     uint32_t nspoid)
{
	sg_catalog_add_dep(x->cat, obj,
			   oidmap_get(&x->map, OIDMAP_NAMESPACE, nspoid, 0), 'n');
}

static const char enums_sql[] =
	"SELECT t.oid, t.typnamespace, t.typarray, n.nspname, t.typname,"
	" ARRAY(SELECT e.enumlabel FROM pg_enum e WHERE e.enumtypid = t.oid"
	"       ORDER BY e.enumsortorder) AS labels,"
	" d.description"
	" FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
	DESCRIPTION_JOIN("d", "pg_type", "t.oid", "0")
	" WHERE t.typtype = 'e' AND t.typnamespace = ANY ($1::oid[])"
	" AND " NOT_EXTENSION_MEMBER("pg_type", "t.oid");

int introspect_enums(struct ictx *x)
{
	const char *params[1] = { x->schema_oids.buf };
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "typname", SORT_TEXT }, { NULL, 0 }
	};
	PGresult *res = run(x, enums_sql, 1, params);
	int *rows, i_oid, i_nsp, i_array, i_nspname, i_name, i_labels, i_comment;
	int rc = 0;

	if (!res)
		return -1;
	i_oid = col(res, "oid");
	i_nsp = col(res, "typnamespace");
	i_array = col(res, "typarray");
	i_nspname = col(res, "nspname");
	i_name = col(res, "typname");
	i_labels = col(res, "labels");
	i_comment = col(res, "description");
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res) && rc == 0; k++) {
		int r = rows[k];
		struct sg_enum *e = SG_NEW(x->cat, sg_enum, SG_KIND_ENUM,
					   PQgetvalue(res, r, i_nspname),
					   PQgetvalue(res, r, i_name), NULL);
		long n = text_array(x, PQgetvalue(res, r, i_labels), &e->values);

		if (n < 0) {
			rc = -1;
			break;
		}
		e->nvalues = (size_t)n;
		e->obj.oid = oidv(res, r, i_oid);
		e->obj.comment = str(x, res, r, i_comment);
		oidmap_put(&x->map, OIDMAP_TYPE, e->obj.oid, 0, &e->obj);
		if (oidv(res, r, i_array))
			oidmap_put(&x->map, OIDMAP_TYPE, oidv(res, r, i_array), 0,
				   &e->obj);
		depend_on_schema(x, &e->obj, oidv(res, r, i_nsp));
	}
	free(rows);
	PQclear(res);
	return rc;
}
