// SPDX-License-Identifier: MIT
/*
 * publication.c - publications (pg_publication), database-wide, in one
 * query whatever their number: a row per publication ('p'), per
 * published table ('t': pg_publication_rel, with its PostgreSQL 15 column
 * list and row filter) and per published schema ('n':
 * pg_publication_namespace, 15), told apart by the first column.  Those
 * of the system and of extensions are left out; the managed schemas do
 * not filter them, nor the tables they publish.  The pg_publication_rel
 * rows are registered in the oid map as their publication, so pg_depend's
 * "publication_rel -a-> table" orders the publication after its tables.
 *
 * Version differences: publish_via_partition_root is 13's; column lists,
 * row filters and TABLES IN SCHEMA are 15's.
 */
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"
#include "schemagen/util.h"

static void publications_sql(struct sbuf *sb, int version)
{
	sbuf_adds(sb,
		"SELECT 'p' AS k, p.oid AS pub, 0::oid AS rowoid, p.pubname,"
		" pg_get_userbyid(p.pubowner)::text AS owner, p.puballtables,"
		" concat_ws('', CASE WHEN p.pubinsert THEN 'i' END,"
		"  CASE WHEN p.pubupdate THEN 'u' END, CASE WHEN p.pubdelete THEN 'd' END,"
		"  CASE WHEN p.pubtruncate THEN 't' END) AS publish,");
	sbuf_adds(sb, version >= 130000 ? " p.pubviaroot," : " false AS pubviaroot,");
	sbuf_adds(sb,
		" d.description, NULL::text AS nspname, NULL::text AS relname,"
		" NULL::text[] AS columns, NULL::text AS qual"
		" FROM pg_publication p"
		DESCRIPTION_JOIN("d", "pg_publication", "p.oid", "0")
		" WHERE p.oid >= 16384"
		" AND " NOT_EXTENSION_MEMBER("pg_publication", "p.oid")
		" UNION ALL"
		" SELECT 't', r.prpubid, r.oid, NULL, NULL, NULL, NULL, NULL, NULL,"
		" n.nspname, c.relname,");
	if (version >= 150000)
		sbuf_adds(sb,
			" CASE WHEN r.prattrs IS NOT NULL THEN ARRAY(SELECT a.attname::text"
			"  FROM unnest(r.prattrs::int2[]) WITH ORDINALITY k(attnum, i)"
			"  JOIN pg_attribute a ON a.attrelid = r.prrelid AND a.attnum = k.attnum"
			"  ORDER BY k.i) END,"
			" pg_get_expr(r.prqual, r.prrelid)");
	else
		sbuf_adds(sb, " NULL, NULL");
	sbuf_adds(sb,
		" FROM pg_publication_rel r JOIN pg_class c ON c.oid = r.prrelid"
		" JOIN pg_namespace n ON n.oid = c.relnamespace");
	if (version >= 150000)
		sbuf_adds(sb,
			" UNION ALL"
			" SELECT 'n', s.pnpubid, s.oid, NULL, NULL, NULL, NULL, NULL, NULL,"
			" n.nspname, NULL, NULL, NULL"
			" FROM pg_publication_namespace s"
			" JOIN pg_namespace n ON n.oid = s.pnnspid");
}

static int table_cmp(const void *pa, const void *pb)
{
	const struct sg_pub_table *a = pa, *b = pb;
	int c = sg_strcmp_null(a->schema, b->schema);

	return c ? c : strcmp(a->name, b->name);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int introspect_publications(struct ictx *x)
{
	static const struct sortkey order[] = {
		{ "k", SORT_TEXT }, { "pubname", SORT_TEXT }, { "nspname", SORT_TEXT },
		{ "relname", SORT_TEXT }, { NULL, 0 }
	};
	struct sbuf sql = SBUF_INIT;
	PGresult *res;
	int *rows, i_k, i_pub, i_row, i_name, i_owner, i_all, i_publish, i_root,
		i_comment, i_nsp, i_rel, i_cols, i_qual;
	int rc = 0;

	publications_sql(&sql, x->server_version);
	res = run(x, sql.buf, 0, NULL);
	sbuf_release(&sql);
	if (!res)
		return -1;
	i_k = col(res, "k");
	i_pub = col(res, "pub");
	i_row = col(res, "rowoid");
	i_name = col(res, "pubname");
	i_owner = col(res, "owner");
	i_all = col(res, "puballtables");
	i_publish = col(res, "publish");
	i_root = col(res, "pubviaroot");
	i_comment = col(res, "description");
	i_nsp = col(res, "nspname");
	i_rel = col(res, "relname");
	i_cols = col(res, "columns");
	i_qual = col(res, "qual");
	rows = sorted_rows(res, order);
	/*
	 * The 'p' rows first, then the others counted (pass 1) and read into
	 * arrays of that size (pass 2).
	 */
	for (int pass = 0; pass < 3 && rc == 0; pass++) {
		if (pass == 2) {
			for (size_t i = 0; i < x->cat->nobjs; i++) {
				struct sg_publication *p = (struct sg_publication *)x->cat->objs[i];

				if (p->obj.kind != SG_KIND_PUBLICATION)
					continue;
				p->tables = sg_alloc_array(x->a, p->ntables + 1, sizeof(*p->tables));
				p->schemas = sg_alloc_array(x->a, p->nschemas + 1, sizeof(*p->schemas));
				p->ntables = p->nschemas = 0;
			}
		}
		for (int k = 0; k < PQntuples(res) && rc == 0; k++) {
			int r = rows[k];
			char kind = charv(res, r, i_k);
			struct sg_publication *p;

			if ((kind == 'p') != (pass == 0))
				continue;
			if (kind == 'p') {
				p = SG_NEW(x->cat, sg_publication, SG_KIND_PUBLICATION,
					   SG_GLOBAL_SCHEMA, PQgetvalue(res, r, i_name), NULL);
				p->obj.oid = oidv(res, r, i_pub);
				p->obj.owner = str(x, res, r, i_owner);
				p->obj.comment = str(x, res, r, i_comment);
				p->all_tables = boolv(res, r, i_all);
				p->publish = str(x, res, r, i_publish);
				p->via_root = boolv(res, r, i_root);
				oidmap_put(&x->map, OIDMAP_PUBLICATION, p->obj.oid, 0, &p->obj);
				continue;
			}
			p = (struct sg_publication *)oidmap_get(&x->map, OIDMAP_PUBLICATION,
								 oidv(res, r, i_pub), 0);
			if (!p)
				continue;   /* an extension's */
			if (pass == 1) {
				if (kind == 'n')
					p->nschemas++;
				else
					p->ntables++;
			} else if (kind == 'n') {
				p->schemas[p->nschemas++] = str(x, res, r, i_nsp);
			} else {
				struct sg_pub_table *t = &p->tables[p->ntables++];

				t->schema = str(x, res, r, i_nsp);
				t->name = str(x, res, r, i_rel);
				t->where = str(x, res, r, i_qual);
				if (!PQgetisnull(res, r, i_cols)) {
					long n = text_array(x, PQgetvalue(res, r, i_cols),
							    &t->columns);

					if (n < 0) {
						rc = -1;
						break;
					}
					t->ncolumns = (size_t)n;
				}
				oidmap_put(&x->map, OIDMAP_PUBLICATION_REL,
					   oidv(res, r, i_row), 0, &p->obj);
			}
		}
	}
	for (size_t i = 0; i < x->cat->nobjs; i++) {
		struct sg_publication *p = (struct sg_publication *)x->cat->objs[i];

		if (p->obj.kind != SG_KIND_PUBLICATION)
			continue;
		if (p->ntables > 1)
			qsort(p->tables, p->ntables, sizeof(*p->tables), table_cmp);
		if (p->nschemas > 1)
			qsort(p->schemas, p->nschemas, sizeof(*p->schemas), str_cmp);
	}
	free(rows);
	PQclear(res);
	return rc;
}
