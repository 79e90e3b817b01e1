// SPDX-License-Identifier: MIT
/*
 * depend.c - dependencies between the objects read, from one pg_depend query
 * (pg_dump's getDependencies).
 *
 * Only normal ('n') and auto ('a') rows between user objects (both oids at
 * or above FirstNormalObjectId) are read; pin ('p'), extension ('e') and
 * internal ('i') rows say nothing the orderer can use (internal ones tie an
 * index to its constraint, an array type to its element, a table to its row
 * type, all of which are mapped onto one object below).  Each side is mapped
 * through the oid map the loaders filled:
 *   pg_class            table, sequence, index; the constraint for the index
 *                       of a primary key or unique constraint
 *   pg_class, subid > 0 column
 *   pg_attrdef          the column the default belongs to, so "the default
 *                       of t.id calls nextval('s')" is column -> sequence
 *   pg_type             enum (its array type too), table (its row type and
 *                       that type's array)
 *   pg_constraint       constraint
 *   pg_namespace        schema
 *   pg_proc, pg_rewrite (a view's _RETURN rule: the view; other rules:
 *   themselves), pg_trigger, pg_policy, pg_statistic_ext, pg_ts_dict,
 *   pg_ts_config, pg_ts_parser, pg_ts_template,
 *   pg_extension, pg_collation: when their loaders register them
 *   pg_opclass, pg_operator: the extension they belong to (types.c), so an
 *                       index with gin_trgm_ops needs pg_trgm
 * Rows with an unmapped side (objects outside the managed schemas, kinds
 * not loaded) and rows that map an object onto itself are dropped.  The
 * sequence -a-> column row of OWNED BY is dropped too: ownership is recorded
 * as owned_table/owned_column, which the orderer treats specially.
 */
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/util.h"

/*
 * The system catalogs whose rows the query reads, each with the letter it
 * returns for it (the oid map's class, introspect-priv.h).  Every catalog
 * an object of the model lives in is listed (sg_kind_info[].pg_catalog;
 * tests/unit/t-kinds.c checks it); rows whose side is not in the oid map
 * (a kind whose loader does not register it) are dropped below, so listing
 * a catalog early is harmless.
 */
static const struct {
	const char *catalog;
	char cls;
} classes[] = {
	{ "pg_class", OIDMAP_CLASS }, { "pg_type", OIDMAP_TYPE },
	{ "pg_constraint", OIDMAP_CONSTRAINT }, { "pg_namespace", OIDMAP_NAMESPACE },
	{ "pg_attrdef", OIDMAP_ATTRDEF }, { "pg_proc", OIDMAP_PROC },
	{ "pg_rewrite", OIDMAP_REWRITE }, { "pg_trigger", OIDMAP_TRIGGER },
	{ "pg_policy", OIDMAP_POLICY }, { "pg_extension", OIDMAP_EXTENSION },
	{ "pg_collation", OIDMAP_COLLATION }, { "pg_opclass", OIDMAP_OPCLASS },
	{ "pg_operator", OIDMAP_OPERATOR }, { "pg_opfamily", OIDMAP_OPFAMILY },
	{ "pg_amop", OIDMAP_AMOP }, { "pg_amproc", OIDMAP_AMPROC },
	{ "pg_language", OIDMAP_LANGUAGE },
	{ "pg_statistic_ext", OIDMAP_STATISTICS },
	{ "pg_ts_dict", OIDMAP_TS_DICT }, { "pg_ts_config", OIDMAP_TS_CONFIG },
	{ "pg_ts_parser", OIDMAP_TS_PARSER }, { "pg_ts_template", OIDMAP_TS_TEMPLATE },
	{ "pg_cast", OIDMAP_CAST }, { "pg_event_trigger", OIDMAP_EVENT_TRIGGER },
	{ "pg_publication", OIDMAP_PUBLICATION },
	{ "pg_publication_rel", OIDMAP_PUBLICATION_REL },
	{ "pg_foreign_data_wrapper", OIDMAP_FDW },
	{ "pg_foreign_server", OIDMAP_SERVER },
	{ "pg_user_mapping", OIDMAP_USER_MAPPING },
	{ "pg_default_acl", OIDMAP_DEFAULT_ACL },
};

bool depend_class_known(const char *pg_catalog)
{
	for (size_t i = 0; pg_catalog && i < ARRAY_SIZE(classes); i++)
		if (strcmp(classes[i].catalog, pg_catalog) == 0)
			return true;
	return false;
}

/* CASE col WHEN 'pg_class'::regclass THEN 'c' ... END */
static void class_case(struct sbuf *sb, const char *col)
{
	sbuf_addf(sb, " CASE %s", col);
	for (size_t i = 0; i < ARRAY_SIZE(classes); i++)
		sbuf_addf(sb, " WHEN '%s'::regclass THEN '%c'", classes[i].catalog,
			  classes[i].cls);
	sbuf_adds(sb, " END");
}

/* ('pg_class'::regclass, ...) */
static void class_list(struct sbuf *sb)
{
	for (size_t i = 0; i < ARRAY_SIZE(classes); i++)
		sbuf_addf(sb, "%s'%s'::regclass", i ? ", " : " (", classes[i].catalog);
	sbuf_adds(sb, ")");
}

static void depends_arm(struct sbuf *sb)
{
	sbuf_adds(sb, "SELECT");
	class_case(sb, "classid");
	sbuf_adds(sb, " AS cls, objid, objsubid,");
	class_case(sb, "refclassid");
	sbuf_adds(sb, " AS refcls, refobjid, refobjsubid, deptype"
		  " FROM pg_depend"
		  " WHERE deptype IN ('n', 'a')"
		  " AND objid >= 16384 AND refobjid >= 16384" /* FirstNormalObjectId */
		  " AND classid IN");
	class_list(sb);
	sbuf_adds(sb, " AND refclassid IN");
	class_list(sb);
}

/*
 * A full read: every row.  A partial read ($1, partial_oids()): the rows
 * with a side among the oids of the relations read and their objects,
 * through pg_depend's two indexes, the depender side, then the
 * referenced side of the rows the first arm did not return (the merge,
 * partial.c, takes only dependencies with an end in a changed relation).
 */
static void depends_sql(struct sbuf *sb, bool partial)
{
	depends_arm(sb);
	if (!partial)
		return;
	sbuf_adds(sb, " AND objid = ANY ($1::oid[]) UNION ALL ");
	depends_arm(sb);
	sbuf_adds(sb, " AND refobjid = ANY ($1::oid[])"
		  " AND NOT objid = ANY ($1::oid[])");
}

static struct sg_object *map_side(struct ictx *x, char cls, uint32_t oid,
				  int32_t sub)
{
	/* a column is (table, attnum); everything else has subid 0 */
	if (cls != OIDMAP_CLASS)
		sub = 0;
	return oidmap_get(&x->map, cls, oid, sub);
}

/* the query's columns, found in its first row */
struct dep_rows {
	struct ictx *x;
	int i_cls, i_oid, i_sub, i_refcls, i_refoid, i_refsub, i_type;
};

static int depend_row(void *arg, const PGresult *res)
{
	struct dep_rows *d = arg;
	struct sg_object *obj, *ref;
	char type;

	if (d->i_cls < 0) {
		d->i_cls = col(res, "cls");
		d->i_oid = col(res, "objid");
		d->i_sub = col(res, "objsubid");
		d->i_refcls = col(res, "refcls");
		d->i_refoid = col(res, "refobjid");
		d->i_refsub = col(res, "refobjsubid");
		d->i_type = col(res, "deptype");
	}
	type = charv(res, 0, d->i_type);
	obj = map_side(d->x, charv(res, 0, d->i_cls), oidv(res, 0, d->i_oid),
		       (int32_t)intv(res, 0, d->i_sub));
	ref = map_side(d->x, charv(res, 0, d->i_refcls), oidv(res, 0, d->i_refoid),
		       (int32_t)intv(res, 0, d->i_refsub));
	if (!obj || !ref || obj == ref)
		return 0;
	if (obj->kind == SG_KIND_SEQUENCE && ref->kind == SG_KIND_COLUMN &&
	    type == 'a')
		return 0; /* OWNED BY */
	sg_catalog_add_dep(d->x->cat, obj, ref, type);
	return 0;
}

/* pg_depend's rows are many (a dozen per table): read one at a time */
int introspect_depends(struct ictx *x)
{
	struct sbuf sql = SBUF_INIT;
	const char *oids = partial_oids(x, true);
	struct dep_rows d = { .x = x, .i_cls = -1 };
	int rc;

	depends_sql(&sql, oids != NULL);
	rc = sg_conn_query_rows(x->conn, sql.buf, oids ? 1 : 0, oids ? &oids : NULL,
				depend_row, &d);
	sbuf_release(&sql);
	return rc;
}
