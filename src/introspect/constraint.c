// SPDX-License-Identifier: MIT
/*
 * constraint.c - primary key, unique, foreign key and check constraints.
 *
 * Besides pg_get_constraintdef()'s text, every structured field is read from
 * pg_constraint: key columns by name in key order (conkey), INCLUDE columns
 * and NULLS NOT DISTINCT from the constraint's index, the referenced table
 * and columns (confrelid, confkey), actions and match type, deferrability,
 * validity, NO INHERIT, and a check's expression through pg_get_expr().
 * Constraints that come from a parent table are read too, marked
 * inherited: checks inherited by name (conislocal false), and the primary
 * keys, unique and exclusion constraints and foreign keys PostgreSQL cloned
 * onto a partition or adopted when the partition was attached (conparentid
 * set), whose default_name is the name PostgreSQL gives such a clone
 * (partition.c).  attached_to names the parent's foreign key a foreign key
 * is cloned from, or the parent's index the index of a key is attached to
 * (pg_inherits): that of the parent's constraint for a clone, a plain index
 * when a local constraint's index was adopted by the parent's CREATE INDEX.
 * A key of a partitioned table whose index is not valid was made ONLY for
 * the table (only).  Left out: the rows PostgreSQL adds for a foreign key
 * that references a partitioned table on the referencing table itself
 * (conparentid pointing to a constraint of the same table).
 * Constraint triggers are not constraints of the model.
 *
 * Column names come from the columns read before (attnames(): conkey,
 * the INCLUDE part of indkey, confkey map onto them by attribute number),
 * not from a subquery per constraint; a foreign key to a table outside the
 * table oids has its referenced columns named by the query.
 *
 * Exclusion constraints, in a second query over their oids, run when there
 * are some (so no other query plans its element subqueries): besides the definition (what the differ
 * compares), each element of the index behind it -- the column, or the expression as
 * pg_get_indexdef(oid, k, true) prints it, the operator of conexclop, the
 * order options -- and the access method and predicate, for dumps.  An
 * element's operator class and collation are reported when they are not
 * the defaults by the catalog approximations index.c falls back to (the
 * column's or expression type's collation; "the default opclass with no
 * other default for the key's type"): naming a default one in a dump is
 * harmless, the definition compares equal.
 *
 * The index behind a primary key, unique or exclusion constraint is mapped
 * onto the constraint, so pg_depend rows naming the index (a foreign key depends on
 * the referenced unique index) become dependencies on the constraint.
 */
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/pgnames.h"
#include "schemagen/arena.h"

/* One array per property of the elements of an exclusion constraint. */
#define EXCL(expr)                                                           \
	"CASE WHEN co.contype = 'x' THEN ARRAY(SELECT " expr                 \
	" FROM unnest(ci.indkey::int2[]) WITH ORDINALITY k(attnum, n)"       \
	" LEFT JOIN pg_attribute a ON a.attrelid = ci.indrelid"              \
	"  AND a.attnum = k.attnum AND k.attnum > 0"                         \
	" LEFT JOIN pg_attribute ia ON ia.attrelid = ci.indexrelid"          \
	"  AND ia.attnum = k.n"                                              \
	" LEFT JOIN pg_type kt ON kt.oid = coalesce(a.atttypid, ia.atttypid)" \
	" LEFT JOIN pg_opclass opc ON opc.oid = ci.indclass[k.n - 1]"        \
	" LEFT JOIN pg_namespace opcn ON opcn.oid = opc.opcnamespace"        \
	" LEFT JOIN pg_collation xco ON xco.oid = ci.indcollation[k.n - 1]"  \
	" LEFT JOIN pg_namespace xcn ON xcn.oid = xco.collnamespace"         \
	" LEFT JOIN pg_operator op ON op.oid = co.conexclop[k.n]"            \
	" LEFT JOIN pg_namespace opn ON opn.oid = op.oprnamespace"           \
	" WHERE k.n <= ci.indnkeyatts ORDER BY k.n) END"

/* Names of the attributes of rel listed in an int2[] column, in order. */
#define ATTNAMES(rel, arr, cond)                                             \
	"ARRAY(SELECT a.attname FROM unnest(" arr ") WITH ORDINALITY k(attnum, n)" \
	" JOIN pg_attribute a ON a.attrelid = " rel " AND a.attnum = k.attnum" \
	cond " ORDER BY k.n)"

static void constraints_sql(struct sbuf *sb, int version)
{
	/*
	 * Key, INCLUDE and referenced columns come as attribute numbers
	 * (conkey, indkey, confkey), named from the columns read before
	 * (attnames()); only a foreign key to a table outside $1 has its
	 * referenced columns named here.  The elements of exclusion
	 * constraints are read by a query of their own (exclusions_sql).
	 */
	sbuf_adds(sb,
		"SELECT co.oid, co.conrelid, n.nspname, c.relname, co.conname,"
		" co.contype, pg_get_constraintdef(co.oid) AS definition,"
		" co.conkey::text AS conkey, ci.indkey::text AS indkey,"
		" ci.indnkeyatts,");
	/* NULLS NOT DISTINCT is new in 15 */
	sbuf_adds(sb, version >= 150000 ? " ci.indnullsnotdistinct,"
					: " false AS indnullsnotdistinct,");
	sbuf_adds(sb,
		" rn.nspname AS ref_schema, rc.relname AS ref_table,"
		" co.confrelid, co.confkey::text AS confkey,"
		" CASE WHEN co.contype = 'f' AND NOT co.confrelid = ANY ($1::oid[])"
		" THEN " ATTNAMES("co.confrelid", "co.confkey", "") " END AS ref_columns,"
		" co.confdeltype, co.confupdtype, co.confmatchtype,"
		" co.condeferrable, co.condeferred, co.convalidated,"
		" co.connoinherit,"
		" pg_get_expr(co.conbin, co.conrelid) AS expression,"
		" co.conindid, d.description,"
		" co.conislocal, co.conparentid, pc.conname AS parent_conname,"
		" c.relkind = 'p' AND NOT coalesce(ci.indisvalid, true) AS only,"
		" pix.inhparent AS parent_index,"
		" (SELECT pi.relname FROM pg_class pi WHERE pi.oid = pix.inhparent)"
		"  AS parent_index_name,"
		" CASE WHEN co.conparentid <> 0 AND co.conindid <> 0 THEN"
		"  ARRAY(SELECT ia.attname FROM pg_attribute ia"
		"   WHERE ia.attrelid = co.conindid AND ia.attnum > 0"
		"   ORDER BY ia.attnum) END AS index_colnames"
		" FROM pg_constraint co"
		" JOIN pg_class c ON c.oid = co.conrelid"
		" JOIN pg_namespace n ON n.oid = c.relnamespace"
		" LEFT JOIN pg_index ci ON ci.indexrelid = co.conindid"
		"  AND co.contype IN ('p', 'u', 'x')"
		" LEFT JOIN pg_class rc ON rc.oid = co.confrelid"
		" LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace"
		" LEFT JOIN pg_constraint pc ON pc.oid = co.conparentid"
		" LEFT JOIN pg_inherits pix ON co.contype IN ('p', 'u', 'x')"
		"  AND pix.inhrelid = co.conindid"
		DESCRIPTION_JOIN("d", "pg_constraint", "co.oid", "0")
		" WHERE co.conrelid = ANY ($1::oid[])"
		" AND co.contype IN ('p', 'u', 'f', 'c', 'x')"
		" AND (co.conparentid = 0 OR pc.conrelid <> co.conrelid)");
}

/* The exclusion constraints $1: their access method, predicate and
 * elements. */
static void exclusions_sql(struct sbuf *sb)
{
	sbuf_adds(sb, "SELECT co.oid, xam.amname AS excl_method,"
		  " pg_get_expr(ci.indpred, ci.indrelid) AS excl_where,");
	sbuf_adds(sb, " " EXCL("a.attname") " AS excl_columns,");
	sbuf_adds(sb, " " EXCL("CASE WHEN k.attnum = 0"
			       " THEN pg_get_indexdef(ci.indexrelid, k.n::int, true) END")
		  " AS excl_exprs,");
	sbuf_adds(sb, " " EXCL("CASE WHEN opn.nspname = 'pg_catalog' THEN op.oprname::text"
			       " ELSE 'OPERATOR(' || quote_ident(opn.nspname) || '.'"
			       " || op.oprname || ')' END") " AS excl_ops,");
	sbuf_adds(sb, " " EXCL("ci.indoption[k.n - 1]") " AS excl_options,");
	sbuf_adds(sb, " " EXCL("xcn.nspname") " AS excl_coll_nsps,");
	sbuf_adds(sb, " " EXCL("xco.collname") " AS excl_coll_names,");
	sbuf_adds(sb, " " EXCL("xco.oid IS NULL OR xco.oid = coalesce(a.attcollation,"
			       " kt.typcollation)") " AS excl_coll_defaults,");
	sbuf_adds(sb, " " EXCL("opcn.nspname") " AS excl_opc_nsps,");
	sbuf_adds(sb, " " EXCL("opc.opcname") " AS excl_opc_names,");
	sbuf_adds(sb, " " EXCL("opc.opcdefault AND NOT EXISTS (SELECT 1 FROM pg_opclass o2"
			       " WHERE o2.opcmethod = opc.opcmethod AND o2.opcdefault"
			       " AND o2.oid <> opc.oid"
			       " AND o2.opcintype = CASE WHEN kt.typtype = 'd'"
			       " THEN kt.typbasetype ELSE kt.oid END)")
		  " AS excl_opc_defaults");
	sbuf_adds(sb,
		" FROM pg_constraint co"
		" LEFT JOIN pg_index ci ON ci.indexrelid = co.conindid"
		" LEFT JOIN pg_class xc ON xc.oid = ci.indexrelid"
		" LEFT JOIN pg_am xam ON xam.oid = xc.relam"
		" WHERE co.oid = ANY ($1::oid[])");
}

/*
 * The names of the columns of table rel whose numbers list holds (the text
 * of an int2[], "{1,3}", or of an int2vector, "1 3"), from position from
 * (0-based) on: the columns introspect_columns() read and mapped by (rel,
 * attnum).  NULL and 0 for none, as text_array() reads "{}".
 */
static void attnames(struct ictx *x, uint32_t rel, const char *list,
		     long from, const char ***out, size_t *n)
{
	SG_VEC(const char *) v = { 0 };
	const char *p = list;
	long pos = 0;

	while (p && *p) {
		char *end;
		long attnum;
		struct sg_object *o;

		if ((*p < '0' || *p > '9') && *p != '-') {
			p++;
			continue;
		}
		attnum = strtol(p, &end, 10);
		p = end;
		/* an expression's 0 (exclusion constraints) names nothing */
		if (pos++ < from || attnum <= 0)
			continue;
		o = oidmap_get(&x->map, OIDMAP_CLASS, rel, (int32_t)attnum);
		if (!o || o->kind != SG_KIND_COLUMN)
			SG_BUG("constraint column %ld of a table not read (%u)",
			       attnum, rel);
		SG_VEC_PUSH(x->a, &v, o->name);
	}
	*out = v.v;
	*n = v.n;
}

static int names(struct ictx *x, const PGresult *res, int r, int c,
		 const char ***out, size_t *n)
{
	long k = text_array(x, PQgetisnull(res, r, c) ? NULL
						      : PQgetvalue(res, r, c),
			    out);

	if (k < 0)
		return -1;
	*n = (size_t)k;
	return 0;
}

/* Result columns read by exclusion(), in its order. */
static const char *const excl_cols[] = {
	"excl_method", "excl_where", "excl_columns", "excl_exprs", "excl_ops",
	"excl_options", "excl_coll_nsps", "excl_coll_names",
	"excl_coll_defaults", "excl_opc_nsps", "excl_opc_names",
	"excl_opc_defaults",
};

/* INDOPTION_DESC and INDOPTION_NULLS_FIRST (catalog/pg_index.h) */
enum { OPT_DESC = 1, OPT_NULLS_FIRST = 2 };

static int exclusion(struct ictx *x, struct sg_constraint *c,
		     const PGresult *res, int r, const int *xc)
{
	const char **v[10];
	long n = -1;
	const char *m = str(x, res, r, xc[0]);

	c->excl_method = m && strcmp(m, "gist") != 0 ? m : NULL;
	c->excl_where = str(x, res, r, xc[1]);
	for (int i = 0; i < 10; i++) {
		long k = text_array(x, PQgetisnull(res, r, xc[i + 2]) ? NULL
				    : PQgetvalue(res, r, xc[i + 2]), &v[i]);

		if (k < 0 || (n >= 0 && k != n))
			return k < 0 ? -1 : sg_error("introspection: exclusion "
						     "constraint %s: bad elements",
						     c->obj.name);
		n = k;
	}
	c->nexcl = (size_t)n;
	c->excl_keys = sg_alloc_array(x->a, c->nexcl + 1, sizeof(*c->excl_keys));
	c->excl_ops = v[2];
	for (size_t i = 0; i < c->nexcl; i++) {
		struct sg_index_key *k = &c->excl_keys[i];
		int opt = v[3][i] ? atoi(v[3][i]) : 0;

		k->column = v[0][i];
		k->expression = v[1][i];
		k->desc = opt & OPT_DESC;
		if (k->desc && !(opt & OPT_NULLS_FIRST))
			k->nulls = 'l';
		else if (!k->desc && (opt & OPT_NULLS_FIRST))
			k->nulls = 'f';
		if (!v[6][i] || strcmp(v[6][i], "t") != 0)
			k->collation = catalog_name(x, v[4][i], v[5][i]);
		if (!v[9][i] || strcmp(v[9][i], "t") != 0)
			k->opclass = catalog_name(x, v[7][i], v[8][i]);
	}
	return 0;
}

/* Reads the elements of the exclusion constraints whose oids are listed
 * in oids ("{...}"). */
static int load_exclusions(struct ictx *x, const char *oids)
{
	const char *params[1] = { oids };
	struct sbuf sql = SBUF_INIT;
	PGresult *res;
	int xc[ARRAY_SIZE(excl_cols)], i_oid, rc = 0;

	exclusions_sql(&sql);
	res = run(x, sql.buf, 1, params);
	sbuf_release(&sql);
	if (!res)
		return -1;
	i_oid = col(res, "oid");
	for (size_t i = 0; i < ARRAY_SIZE(excl_cols); i++)
		xc[i] = col(res, excl_cols[i]);
	for (int r = 0; r < PQntuples(res) && rc == 0; r++) {
		struct sg_object *o = oidmap_get(&x->map, OIDMAP_CONSTRAINT,
						 oidv(res, r, i_oid), 0);

		if (!o || o->kind != SG_KIND_CONSTRAINT)
			SG_BUG("exclusion constraint %u not read",
			       oidv(res, r, i_oid));
		rc = exclusion(x, (struct sg_constraint *)o, res, r, xc);
	}
	PQclear(res);
	return rc;
}

int introspect_constraints(struct ictx *x)
{
	const char *params[1] = { x->table_oids.buf };
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "relname", SORT_TEXT },
		{ "conname", SORT_TEXT }, { NULL, 0 }
	};
	struct sbuf sql = SBUF_INIT;
	PGresult *res;
	int *rows, i_oid, i_rel, i_name, i_type, i_def, i_cols, i_incl, i_nkey,
		i_nnd, i_ref_schema, i_ref_table, i_refrel, i_refkey, i_ref_cols, i_deltype,
		i_updtype,
		i_matchtype, i_deferrable, i_deferred, i_validated, i_noinherit,
		i_expr, i_index, i_local, i_only, i_parentid, i_parent, i_pindex,
		i_pindexname, i_idxcols, i_comment;
	struct sbuf excl = SBUF_INIT;
	int rc = 0;

	constraints_sql(&sql, x->server_version);
	res = run(x, sql.buf, 1, params);
	sbuf_release(&sql);
	if (!res)
		return -1;
	i_oid = col(res, "oid");
	i_rel = col(res, "conrelid");
	i_name = col(res, "conname");
	i_type = col(res, "contype");
	i_def = col(res, "definition");
	i_cols = col(res, "conkey");
	i_incl = col(res, "indkey");
	i_nkey = col(res, "indnkeyatts");
	i_nnd = col(res, "indnullsnotdistinct");
	i_ref_schema = col(res, "ref_schema");
	i_ref_table = col(res, "ref_table");
	i_refrel = col(res, "confrelid");
	i_refkey = col(res, "confkey");
	i_ref_cols = col(res, "ref_columns");
	i_deltype = col(res, "confdeltype");
	i_updtype = col(res, "confupdtype");
	i_matchtype = col(res, "confmatchtype");
	i_deferrable = col(res, "condeferrable");
	i_deferred = col(res, "condeferred");
	i_validated = col(res, "convalidated");
	i_noinherit = col(res, "connoinherit");
	i_expr = col(res, "expression");
	i_index = col(res, "conindid");
	i_local = col(res, "conislocal");
	i_only = col(res, "only");
	i_parentid = col(res, "conparentid");
	i_parent = col(res, "parent_conname");
	i_pindex = col(res, "parent_index");
	i_pindexname = col(res, "parent_index_name");
	i_idxcols = col(res, "index_colnames");
	i_comment = col(res, "description");
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res) && rc == 0; k++) {
		int r = rows[k];
		uint32_t rel = oidv(res, r, i_rel);
		struct sg_object *t = oidmap_get(&x->map, OIDMAP_CLASS, rel, 0);
		struct sg_constraint *c;

		if (!t || (t->kind != SG_KIND_TABLE && t->kind != SG_KIND_FOREIGN_TABLE))
			SG_BUG("constraint of unknown table %u", rel);
		c = SG_NEW(x->cat, sg_constraint, SG_KIND_CONSTRAINT, NULL,
			   PQgetvalue(res, r, i_name), t);
		c->obj.oid = oidv(res, r, i_oid);
		c->obj.comment = str(x, res, r, i_comment);
		c->type = charv(res, r, i_type);
		c->definition = str(x, res, r, i_def);
		if (c->type != 'c')
			attnames(x, rel, PQgetvalue(res, r, i_cols), 0,
				 &c->columns, &c->ncolumns);
		if (!PQgetisnull(res, r, i_incl))
			attnames(x, rel, PQgetvalue(res, r, i_incl),
				 intv(res, r, i_nkey), &c->include, &c->ninclude);
		c->nulls_not_distinct = c->type == 'u' && boolv(res, r, i_nnd);
		if (c->type == 'x')
			oidlist_add(&excl, oidv(res, r, i_oid));
		if (c->type == 'f') {
			c->ref_schema = str(x, res, r, i_ref_schema);
			c->ref_table = str(x, res, r, i_ref_table);
			if (!PQgetisnull(res, r, i_ref_cols)) {
				if (names(x, res, r, i_ref_cols, &c->ref_columns,
					  &c->nref_columns) < 0)
					rc = -1;
			} else {
				attnames(x, (uint32_t)oidv(res, r, i_refrel),
					 PQgetvalue(res, r, i_refkey), 0,
					 &c->ref_columns, &c->nref_columns);
			}
			c->on_delete = charv(res, r, i_deltype);
			c->on_update = charv(res, r, i_updtype);
			c->match = charv(res, r, i_matchtype);
		}
		c->deferrable = boolv(res, r, i_deferrable);
		c->deferred = boolv(res, r, i_deferred);
		c->not_valid = !boolv(res, r, i_validated);
		if (c->type == 'c') {
			/* PostgreSQL marks p/u/f of plain tables noinherit too;
			 * the model knows NO INHERIT for checks only */
			c->no_inherit = boolv(res, r, i_noinherit);
			c->expression = str(x, res, r, i_expr);
		}
		c->inherited = !boolv(res, r, i_local);
		c->only = boolv(res, r, i_only);
		/* a foreign key is cloned from its parent's; a key's index is
		 * attached to an index of the parent, which may or may not be
		 * a constraint's */
		if (c->type == 'f' && oidv(res, r, i_parentid)) {
			c->attached_to = str(x, res, r, i_parent);
			c->default_name = c->attached_to;
			attachment(x, &c->obj, OIDMAP_CONSTRAINT,
				   oidv(res, r, i_parentid));
		} else if (oidv(res, r, i_pindex)) {
			c->attached_to = str(x, res, r, i_pindexname);
			attachment(x, &c->obj, OIDMAP_CLASS, oidv(res, r, i_pindex));
		}
		if (c->attached_to && oidv(res, r, i_parentid) && c->type != 'f') {
			const char **cols;
			long n = text_array(x, str(x, res, r, i_idxcols), &cols);

			if (n < 0)
				rc = -1;
			else
				c->default_name = sg_pg_index_name(
					x->a, t->name, cols, (size_t)n,
					c->type == 'p' ? "pkey"
					: c->type == 'x' ? "excl" : "key");
		}
		oidmap_put(&x->map, OIDMAP_CONSTRAINT, c->obj.oid, 0, &c->obj);
		if (c->type == 'p' || c->type == 'u' || c->type == 'x')
			oidmap_put(&x->map, OIDMAP_CLASS, oidv(res, r, i_index), 0,
				   &c->obj);
	}
	free(rows);
	PQclear(res);
	/* planning it costs even for none: only when there are some */
	oidlist_end(&excl);
	if (rc == 0 && strcmp(excl.buf, "{}") != 0)
		rc = load_exclusions(x, excl.buf);
	sbuf_release(&excl);
	return rc;
}
