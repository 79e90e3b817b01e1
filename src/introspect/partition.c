// SPDX-License-Identifier: MIT
/*
 * partition.c - what a table is besides its columns: partitioning (the key
 * of a partitioned table, the parent and bounds of a partition), the
 * parents of an INHERITS child, persistence (UNLOGGED), storage parameters
 * (the table's and its TOAST table's reloptions), and REPLICA IDENTITY.
 *
 * One query over the tables found, after them: pg_get_partkeydef() for the
 * key, pg_get_expr(relpartbound) for the bounds ("FOR VALUES ..." or
 * "DEFAULT"), pg_inherits in inhseqno order for the parents.  A partition
 * has exactly one parent (partition_of); an INHERITS child one or more.
 * Parents are named by their qualified SQL name, and pointed to when they
 * are tables of the catalog (parents outside the managed schemas are not).
 *
 * Storage parameters are kept as PostgreSQL stores them ("name=value"),
 * those of the TOAST table prefixed with "toast.", the way CREATE TABLE
 * ... WITH and ALTER TABLE ... SET name them; sorted, so that two catalogs
 * compare element by element.
 */
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"
#include "schemagen/quote.h"

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int reloptions(struct ictx *x, const char *opts, const char *toast_opts,
	       const char ***out, size_t *n)
{
	const char **a, **b;
	long na = text_array(x, opts, &a), nb;
	const char **v;

	*out = NULL;
	*n = 0;
	if (na < 0)
		return -1;
	nb = text_array(x, toast_opts, &b);
	if (nb < 0)
		return -1;
	if (na + nb == 0)
		return 0;
	v = sg_alloc_array(x->a, (size_t)(na + nb), sizeof(*v));
	for (long i = 0; i < na; i++)
		v[i] = a[i];
	for (long i = 0; i < nb; i++)
		v[na + i] = sg_printf(x->a, "toast.%s", b[i]);
	qsort(v, (size_t)(na + nb), sizeof(*v), name_cmp);
	*out = v;
	*n = (size_t)(na + nb);
	return 0;
}

static const char details_sql[] =
	"SELECT c.oid, c.relkind, c.relpersistence, c.relispartition,"
	" c.reloptions, tc.reloptions AS toast_options, c.relreplident,"
	" ri.relname AS replica_index,"
	" CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partkey,"
	" CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid)"
	" END AS bound,"
	" coalesce(inh.oids, '{}') AS parent_oids,"
	" coalesce(inh.schemas, '{}') AS parent_schemas,"
	" coalesce(inh.names, '{}') AS parent_names"
	" FROM pg_class c"
	" LEFT JOIN pg_class tc ON tc.oid = c.reltoastrelid"
	" LEFT JOIN pg_index rix ON rix.indrelid = c.oid AND rix.indisreplident"
	" LEFT JOIN pg_class ri ON ri.oid = rix.indexrelid"
	/* the parents, in one lookup per table (not three subqueries) */
	" LEFT JOIN LATERAL (SELECT"
	"  array_agg(ih.inhparent ORDER BY ih.inhseqno) AS oids,"
	"  array_agg(pn.nspname ORDER BY ih.inhseqno) AS schemas,"
	"  array_agg(p.relname ORDER BY ih.inhseqno) AS names"
	"  FROM pg_inherits ih JOIN pg_class p ON p.oid = ih.inhparent"
	"  JOIN pg_namespace pn ON pn.oid = p.relnamespace"
	"  WHERE ih.inhrelid = c.oid) inh ON true"
	" WHERE c.oid = ANY ($1::oid[]) AND c.relkind IN ('r', 'p', 'f')";

int introspect_table_details(struct ictx *x)
{
	const char *params[1] = { x->table_oids.buf };
	PGresult *res = run(x, details_sql, 1, params);
	int i_oid, i_kind, i_persist, i_ispart, i_opts, i_topts, i_repl,
		i_rindex, i_key, i_bound, i_poids, i_pschemas, i_pnames;
	int rc = 0;

	if (!res)
		return -1;
	i_oid = col(res, "oid");
	i_kind = col(res, "relkind");
	i_persist = col(res, "relpersistence");
	i_ispart = col(res, "relispartition");
	i_opts = col(res, "reloptions");
	i_topts = col(res, "toast_options");
	i_repl = col(res, "relreplident");
	i_rindex = col(res, "replica_index");
	i_key = col(res, "partkey");
	i_bound = col(res, "bound");
	i_poids = col(res, "parent_oids");
	i_pschemas = col(res, "parent_schemas");
	i_pnames = col(res, "parent_names");
	for (int r = 0; r < PQntuples(res) && rc == 0; r++) {
		struct sg_object *o = oidmap_get(&x->map, OIDMAP_CLASS,
						 oidv(res, r, i_oid), 0);
		struct sg_table *t = (struct sg_table *)o;
		const char **poids, **pschemas, **pnames;
		long np;

		if (!o || (o->kind != SG_KIND_TABLE && o->kind != SG_KIND_FOREIGN_TABLE))
			SG_BUG("details of unknown table %u", oidv(res, r, i_oid));
		/* a foreign table: only its parents (its relreplident is 'n',
		 * it has no storage, persistence or key of its own) */
		if (o->kind == SG_KIND_TABLE) {
			t->relkind = charv(res, r, i_kind);
			t->unlogged = charv(res, r, i_persist) == 'u';
			if (reloptions(x, str(x, res, r, i_opts), str(x, res, r, i_topts),
				       &t->reloptions, &t->nreloptions) < 0) {
				rc = -1;
				break;
			}
			t->replica_identity = charv(res, r, i_repl);
			if (t->replica_identity == 'd')
				t->replica_identity = 0;
			t->replica_index = t->replica_identity == 'i'
				? str(x, res, r, i_rindex) : NULL;
			t->partition_key = str(x, res, r, i_key);
		}
		np = text_array(x, PQgetvalue(res, r, i_poids), &poids);
		if (np < 0 || text_array(x, PQgetvalue(res, r, i_pschemas),
					 &pschemas) != np ||
		    text_array(x, PQgetvalue(res, r, i_pnames), &pnames) != np) {
			rc = -1;
			break;
		}
		if (boolv(res, r, i_ispart) && np == 1) {
			o = oidmap_get(&x->map, OIDMAP_CLASS,
				       (uint32_t)strtoul(poids[0], NULL, 10), 0);
			t->partition_of = sg_qq(x->a, pschemas[0], pnames[0]);
			t->partition_bound = str(x, res, r, i_bound);
			t->partition_parent = o && o->kind == SG_KIND_TABLE
				? (struct sg_table *)o : NULL;
		} else if (np > 0) {
			t->ninherits = (size_t)np;
			t->inherits = sg_alloc_array(x->a, (size_t)np,
						     sizeof(*t->inherits));
			t->inherits_tables = sg_alloc_array(
				x->a, (size_t)np, sizeof(*t->inherits_tables));
			for (long i = 0; i < np; i++) {
				o = oidmap_get(&x->map, OIDMAP_CLASS,
					       (uint32_t)strtoul(poids[i], NULL, 10), 0);
				t->inherits[i] = sg_qq(x->a, pschemas[i], pnames[i]);
				/* a foreign table may be a parent too */
				t->inherits_tables[i] = o && (o->kind == SG_KIND_TABLE ||
							      o->kind == SG_KIND_FOREIGN_TABLE)
					? (struct sg_table *)o : NULL;
			}
		}
	}
	PQclear(res);
	return rc;
}

/* ---- attached indexes and constraints ---- */

void attachment(struct ictx *x, struct sg_object *obj, char cls, uint32_t oid)
{
	struct attachment at = { obj, cls, oid };

	if (oid)
		SG_VEC_PUSH(x->a, &x->attachments, at);
}

/*
 * pg_depend ties an attached index to its parent's with deptypes the
 * depend.c query leaves out ('P', 'S'); the attachment is a dependency
 * all the same: the parent's index exists first, and cannot be dropped
 * while a local constraint's index is attached to it.
 */
void introspect_attachments(struct ictx *x)
{
	for (size_t i = 0; i < x->attachments.n; i++) {
		const struct attachment *at = &x->attachments.v[i];
		struct sg_object *ref = oidmap_get(&x->map, at->cls, at->oid, 0);

		if (ref && ref != at->obj)
			sg_catalog_add_dep(x->cat, at->obj, ref, 'a');
	}
}
