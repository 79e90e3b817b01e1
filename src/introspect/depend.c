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
 *   pg_proc, pg_rewrite (a view's rule: the view), pg_trigger, pg_policy,
 *   pg_extension, pg_collation: when their loaders register them
 *   pg_opclass, pg_operator: the extension they belong to (types.c), so an
 *                       index with gin_trgm_ops needs pg_trgm
 * Rows with an unmapped side (objects outside the managed schemas, kinds
 * not loaded) and rows that map an object onto itself are dropped.  The
 * sequence -a-> column row of OWNED BY is dropped too: ownership is recorded
 * as owned_table/owned_column, which the orderer treats specially.
 */
#include "introspect-priv.h"

#define CLASS_CASE(col)                                             \
	" CASE " col                                                \
	"  WHEN 'pg_class'::regclass THEN 'c'"                      \
	"  WHEN 'pg_type'::regclass THEN 't'"                       \
	"  WHEN 'pg_constraint'::regclass THEN 'o'"                 \
	"  WHEN 'pg_namespace'::regclass THEN 'n'"                  \
	"  WHEN 'pg_attrdef'::regclass THEN 'd'"                    \
	"  WHEN 'pg_proc'::regclass THEN 'p'"                       \
	"  WHEN 'pg_rewrite'::regclass THEN 'r'"                    \
	"  WHEN 'pg_trigger'::regclass THEN 'g'"                    \
	"  WHEN 'pg_policy'::regclass THEN 'y'"                     \
	"  WHEN 'pg_extension'::regclass THEN 'x'"                  \
	"  WHEN 'pg_collation'::regclass THEN 'l'"                  \
	"  WHEN 'pg_opclass'::regclass THEN 'C'"                    \
	"  WHEN 'pg_operator'::regclass THEN 'O' END"

#define CLASS_LIST                                                  \
	" ('pg_class'::regclass, 'pg_type'::regclass,"              \
	"  'pg_constraint'::regclass, 'pg_namespace'::regclass,"    \
	"  'pg_attrdef'::regclass, 'pg_proc'::regclass,"            \
	"  'pg_rewrite'::regclass, 'pg_trigger'::regclass,"         \
	"  'pg_policy'::regclass, 'pg_extension'::regclass,"        \
	"  'pg_collation'::regclass, 'pg_opclass'::regclass,"       \
	"  'pg_operator'::regclass)"

/*
 * Every catalog an object of the model lives in is listed; rows whose side
 * is not in the oid map (a kind whose loader does not register it) are
 * dropped below, so listing a catalog early is harmless.
 */
static const char depends_sql[] =
	"SELECT" CLASS_CASE("classid") " AS cls,"
	" objid, objsubid," CLASS_CASE("refclassid") " AS refcls,"
	" refobjid, refobjsubid, deptype"
	" FROM pg_depend"
	" WHERE deptype IN ('n', 'a')"
	" AND objid >= 16384 AND refobjid >= 16384" /* FirstNormalObjectId */
	" AND classid IN" CLASS_LIST
	" AND refclassid IN" CLASS_LIST;

static struct sg_object *map_side(struct ictx *x, char cls, uint32_t oid,
				  int32_t sub)
{
	/* a column is (table, attnum); everything else has subid 0 */
	if (cls != OIDMAP_CLASS)
		sub = 0;
	return oidmap_get(&x->map, cls, oid, sub);
}

int introspect_depends(struct ictx *x)
{
	PGresult *res = run(x, depends_sql, 0, NULL);
	int i_cls, i_oid, i_sub, i_refcls, i_refoid, i_refsub, i_type;

	if (!res)
		return -1;
	i_cls = col(res, "cls");
	i_oid = col(res, "objid");
	i_sub = col(res, "objsubid");
	i_refcls = col(res, "refcls");
	i_refoid = col(res, "refobjid");
	i_refsub = col(res, "refobjsubid");
	i_type = col(res, "deptype");
	for (int r = 0; r < PQntuples(res); r++) {
		char type = charv(res, r, i_type);
		struct sg_object *obj = map_side(x, charv(res, r, i_cls),
						 oidv(res, r, i_oid),
						 (int32_t)intv(res, r, i_sub));
		struct sg_object *ref = map_side(x, charv(res, r, i_refcls),
						 oidv(res, r, i_refoid),
						 (int32_t)intv(res, r, i_refsub));

		if (!obj || !ref || obj == ref)
			continue;
		if (obj->kind == SG_KIND_SEQUENCE && ref->kind == SG_KIND_COLUMN &&
		    type == 'a')
			continue; /* OWNED BY */
		sg_catalog_add_dep(x->cat, obj, ref, type);
	}
	PQclear(res);
	return 0;
}
