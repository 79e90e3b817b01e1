// SPDX-License-Identifier: MIT
/*
 * index.c - indexes that do not implement a constraint.
 *
 * Two queries: the indexes (pg_get_indexdef, uniqueness, NULLS NOT
 * DISTINCT, access method, predicate, comment) and their key and INCLUDE
 * columns, one row per position of indkey.  A key is a column name or, for
 * an expression, pg_get_indexdef(oid, k, true).
 *
 * A key's COLLATE and operator class are reported only when
 * pg_get_indexdef() prints them, i.e. when ruleutils finds them different
 * from the default: the collation of the column or *expression*
 * (exprCollation, which no catalog column holds), and the default operator
 * class of the key's type (GetDefaultOpClass, which allows binary-coercible
 * types).  Neither rule can be restated exactly in SQL, so the definition
 * text is read back: after the "USING method (" prefix each key's text is
 * matched in turn, then " COLLATE <collation>" and " <opclass>", whose SQL
 * text we know from indcollation and indclass.  Should that reading fail
 * (opclass parameters, or text we do not expect), the remaining keys fall
 * back to catalog approximations computed by the query: the column's
 * collation or the expression type's typcollation, and "a default opclass
 * with no other default opclass for exactly the key's (base) type".
 *
 * An index of a partitioned table that is not valid was made ON ONLY the
 * table and not attached to by every partition yet (only).  Indexes of
 * partitions attached to a partitioned index (relispartition)
 * are read too: attached_to names the parent's index (pg_inherits), and
 * default_name is the name PostgreSQL gives the index it creates for a
 * partition, from the index's own column names (partition.c).
 */
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/pgnames.h"
#include "schemagen/arena.h"
#include "schemagen/quote.h"

static void indexes_sql(struct sbuf *sb, int version)
{
	sbuf_adds(sb,
		"SELECT i.indexrelid, i.indrelid, n.nspname, c.relname AS tablename,"
		" ic.relname, pg_get_indexdef(i.indexrelid) AS definition,"
		" i.indisunique, i.indnatts, i.indnkeyatts, am.amname,"
		" pg_get_expr(i.indpred, i.indrelid) AS predicate,"
		" ic.reloptions, c.relkind = 'p' AND NOT i.indisvalid AS only,"
		" (SELECT pi.relname FROM pg_inherits ih"
		"  JOIN pg_class pi ON pi.oid = ih.inhparent"
		"  WHERE ih.inhrelid = i.indexrelid) AS attached_to,"
		" (SELECT ih.inhparent FROM pg_inherits ih"
		"  WHERE ih.inhrelid = i.indexrelid) AS parent_index,"
		" CASE WHEN ic.relispartition THEN"
		"  ARRAY(SELECT ia.attname FROM pg_attribute ia"
		"   WHERE ia.attrelid = i.indexrelid AND ia.attnum > 0"
		"   ORDER BY ia.attnum) END AS colnames,");
	/* NULLS NOT DISTINCT is new in 15 */
	sbuf_adds(sb, version >= 150000 ? " i.indnullsnotdistinct,"
					: " false AS indnullsnotdistinct,");
	sbuf_adds(sb,
		" d.description"
		" FROM pg_index i"
		" JOIN pg_class ic ON ic.oid = i.indexrelid"
		" JOIN pg_class c ON c.oid = i.indrelid"
		" JOIN pg_namespace n ON n.oid = c.relnamespace"
		" JOIN pg_am am ON am.oid = ic.relam"
		DESCRIPTION_JOIN("d", "pg_class", "i.indexrelid", "0")
		" WHERE i.indrelid = ANY ($1::oid[]) AND i.indislive"
		" AND " NOT_EXTENSION_MEMBER("pg_class", "i.indexrelid")
		" AND NOT EXISTS (SELECT 1 FROM pg_constraint k"
		"  WHERE k.conrelid = i.indrelid AND k.conindid = i.indexrelid"
		"  AND k.contype IN ('p', 'u', 'x'))");
}

/*
 * One row per indkey position of the indexes $1 (those introspect_indexes
 * read).  keytype: the key's type for the opclass fallback, a domain's
 * base type (ruleutils looks through one level too); for an expression
 * the index attribute's type, which is the expression's unless the opclass
 * stores another type.  The attributes are looked up one key at a time
 * (OFFSET 0 keeps the planner from hashing all of pg_attribute), and "no
 * other default opclass for the type" is counted once per (method, type)
 * in od instead of a subquery per key.
 */
static const char keys_sql[] =
	"SELECT i.indexrelid, k.n, k.attnum, k.n <= i.indnkeyatts AS is_key,"
	" a.attname,"
	" CASE WHEN k.attnum = 0"
	"  THEN pg_get_indexdef(i.indexrelid, k.n::int, true) END AS expression,"
	" CASE WHEN k.attnum = 0"
	"  THEN pg_get_indexdef(i.indexrelid, k.n::int, false) END AS key_text,"
	" i.indoption[k.n - 1] AS option,"
	" cn.nspname AS collation_nspname, co.collname,"
	" co.oid IS NULL OR co.oid = coalesce(a.attcollation, kt.typcollation)"
	"  AS collation_default,"
	" opcn.nspname AS opclass_nspname, opc.opcname,"
	" opc.opcdefault AND coalesce(od.n, 0) ="
	"  CASE WHEN opc.opcintype = od.opcintype THEN 1 ELSE 0 END"
	"  AS opclass_default"
	" FROM pg_index i"
	" CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, n)"
	" LEFT JOIN LATERAL (SELECT a.attname, a.attcollation, a.atttypid"
	"  FROM pg_attribute a WHERE a.attrelid = i.indrelid"
	"  AND a.attnum = k.attnum AND k.attnum > 0 OFFSET 0) a ON true"
	" LEFT JOIN LATERAL (SELECT ia.atttypid FROM pg_attribute ia"
	"  WHERE ia.attrelid = i.indexrelid AND ia.attnum = k.n"
	"  AND a.atttypid IS NULL OFFSET 0) ia ON true"
	" LEFT JOIN pg_type kt ON kt.oid = coalesce(a.atttypid, ia.atttypid)"
	" LEFT JOIN pg_collation co ON co.oid = i.indcollation[k.n - 1]"
	"  AND k.n <= i.indnkeyatts"
	" LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace"
	" LEFT JOIN pg_opclass opc ON opc.oid = i.indclass[k.n - 1]"
	"  AND k.n <= i.indnkeyatts"
	" LEFT JOIN pg_namespace opcn ON opcn.oid = opc.opcnamespace"
	" LEFT JOIN (SELECT opcmethod, opcintype, count(*) AS n FROM pg_opclass"
	"  WHERE opcdefault GROUP BY opcmethod, opcintype) od"
	"  ON od.opcmethod = opc.opcmethod AND od.opcintype ="
	"  CASE WHEN kt.typtype = 'd' THEN kt.typbasetype ELSE kt.oid END"
	" WHERE i.indexrelid = ANY ($1::oid[])";

/* What the definition text is matched against, for one key. */
struct keytext {
	const char *text;       /* the key as pg_get_indexdef(oid) prints it */
	const char *collation;  /* SQL text of indcollation, NULL when none */
	const char *opclass;    /* SQL text of indclass */
	bool collation_default; /* the catalog fallbacks */
	bool opclass_default;
};

static bool skip(const char **p, const char *s)
{
	size_t n = strlen(s);

	if (strncmp(*p, s, n) != 0)
		return false;
	*p += n;
	return true;
}

/* " " opclass, followed by the end of the key. */
static bool skip_word(const char **p, const char *word)
{
	const char *q = *p;

	if (!skip(&q, " ") || !skip(&q, word))
		return false;
	if (*q != ' ' && *q != ',' && *q != ')')
		return false;
	*p = q;
	return true;
}

static const char *def_prefix(struct ictx *x, const struct sg_index *ix,
			      bool only, const char *am)
{
	struct sbuf sb = SBUF_INIT;
	const char *r;

	sbuf_adds(&sb, ix->unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ");
	sg_quote_ident(&sb, ix->obj.name);
	sbuf_adds(&sb, only ? " ON ONLY " : " ON ");
	sg_quote_qualified(&sb, ix->obj.schema, ix->obj.parent->name);
	sbuf_adds(&sb, " USING ");
	sg_quote_ident(&sb, am);
	sbuf_adds(&sb, " (");
	r = sbuf_to_arena(&sb, x->a);
	sbuf_release(&sb);
	return r;
}

/*
 * Sets each key's collation and opclass: from the definition text as long
 * as it reads as expected, from the catalog fallbacks after that.
 */
static void resolve_keys(struct ictx *x, struct sg_index *ix,
			 const struct keytext *kt)
{
	const char *am = ix->method ? ix->method : "btree";
	const char *p = ix->definition;
	const char *pre1 = def_prefix(x, ix, false, am);
	const char *pre2 = def_prefix(x, ix, true, am);
	bool reading = p && (skip(&p, pre1) || skip(&p, pre2));

	for (size_t k = 0; k < ix->nkeys; k++) {
		struct sg_index_key *key = &ix->keys[k];
		bool coll = false, opc = false;

		if (reading && k > 0)
			reading = skip(&p, ", ");
		if (reading)
			reading = kt[k].text && skip(&p, kt[k].text);
		if (reading) {
			if (kt[k].collation) {
				struct sbuf sb = SBUF_INIT;

				sbuf_addf(&sb, " COLLATE %s", kt[k].collation);
				coll = skip(&p, sb.buf);
				sbuf_release(&sb);
			}
			opc = kt[k].opclass && skip_word(&p, kt[k].opclass);
			/* opclass parameters: stop reading */
			if (*p == ' ' && p[1] == '(')
				reading = false;
		} else {
			coll = kt[k].collation && !kt[k].collation_default;
			opc = kt[k].opclass && !kt[k].opclass_default;
		}
		if (reading) {
			skip(&p, " DESC");
			if (!skip(&p, " NULLS FIRST"))
				skip(&p, " NULLS LAST");
			reading = *p == ',' || *p == ')';
		}
		key->collation = coll ? kt[k].collation : NULL;
		key->opclass = opc ? kt[k].opclass : NULL;
	}
}

/* INDOPTION_DESC and INDOPTION_NULLS_FIRST (catalog/pg_index.h) */
enum { OPT_DESC = 1, OPT_NULLS_FIRST = 2 };

static int load_keys(struct ictx *x, const char *index_oids)
{
	const char *params[1] = { index_oids };
	static const struct sortkey order[] = {
		{ "indexrelid", SORT_NUM }, { "n", SORT_NUM }, { NULL, 0 }
	};
	PGresult *res = run(x, keys_sql, 1, params);
	struct keytext *kt = NULL;
	struct sg_index *cur = NULL;
	int *rows, i_index, i_n, i_iskey, i_attname, i_expr, i_text, i_option,
		i_collnsp, i_collname, i_colldef, i_opcnsp, i_opcname, i_opcdef;

	if (!res)
		return -1;
	i_index = col(res, "indexrelid");
	i_n = col(res, "n");
	i_iskey = col(res, "is_key");
	i_attname = col(res, "attname");
	i_expr = col(res, "expression");
	i_text = col(res, "key_text");
	i_option = col(res, "option");
	i_collnsp = col(res, "collation_nspname");
	i_collname = col(res, "collname");
	i_colldef = col(res, "collation_default");
	i_opcnsp = col(res, "opclass_nspname");
	i_opcname = col(res, "opcname");
	i_opcdef = col(res, "opclass_default");
	rows = sorted_rows(res, order);
	for (int k = 0; k <= PQntuples(res); k++) {
		int r = k < PQntuples(res) ? rows[k] : -1;
		struct sg_object *o = r < 0 ? NULL
			: oidmap_get(&x->map, OIDMAP_CLASS,
				     oidv(res, r, i_index), 0);
		struct sg_index *ix = o && o->kind == SG_KIND_INDEX
			? (struct sg_index *)o : NULL;
		size_t n;

		if (cur && ix != cur) {
			resolve_keys(x, cur, kt);
			free(kt);
			kt = NULL;
			cur = NULL;
		}
		if (!ix)
			continue;
		if (!cur) {
			cur = ix;
			kt = xcalloc(ix->nkeys ? ix->nkeys : 1, sizeof(*kt));
		}
		n = (size_t)intv(res, r, i_n) - 1;
		if (!boolv(res, r, i_iskey)) {
			n -= ix->nkeys;
			if (n >= ix->ninclude)
				SG_BUG("index %s: bad INCLUDE position", ix->obj.name);
			ix->include[n] = str(x, res, r, i_attname);
			continue;
		}
		if (n >= ix->nkeys)
			SG_BUG("index %s: bad key position", ix->obj.name);
		{
			struct sg_index_key *key = &ix->keys[n];
			int opt = (int)intv(res, r, i_option);

			key->column = str(x, res, r, i_attname);
			key->expression = str(x, res, r, i_expr);
			key->desc = opt & OPT_DESC;
			if (key->desc && !(opt & OPT_NULLS_FIRST))
				key->nulls = 'l';
			else if (!key->desc && (opt & OPT_NULLS_FIRST))
				key->nulls = 'f';
			kt[n].text = key->column ? sg_qi(x->a, key->column)
						 : str(x, res, r, i_text);
			kt[n].collation = catalog_name(x,
				str(x, res, r, i_collnsp),
				str(x, res, r, i_collname));
			kt[n].opclass = catalog_name(x, str(x, res, r, i_opcnsp),
						     str(x, res, r, i_opcname));
			kt[n].collation_default = boolv(res, r, i_colldef);
			kt[n].opclass_default = boolv(res, r, i_opcdef);
		}
	}
	free(rows);
	PQclear(res);
	return 0;
}

int introspect_indexes(struct ictx *x)
{
	const char *params[1] = { x->table_oids.buf };
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "relname", SORT_TEXT }, { NULL, 0 }
	};
	struct sbuf sql = SBUF_INIT;
	PGresult *res;
	int *rows, i_oid, i_rel, i_name, i_def, i_unique, i_natts, i_nkeyatts,
		i_am, i_pred, i_nnd, i_opts, i_only, i_attached, i_pindex,
		i_colnames, i_comment;
	struct sbuf oids = SBUF_INIT;
	int rc = 0;

	indexes_sql(&sql, x->server_version);
	res = run(x, sql.buf, 1, params);
	sbuf_release(&sql);
	if (!res)
		return -1;
	i_oid = col(res, "indexrelid");
	i_rel = col(res, "indrelid");
	i_name = col(res, "relname");
	i_def = col(res, "definition");
	i_unique = col(res, "indisunique");
	i_natts = col(res, "indnatts");
	i_nkeyatts = col(res, "indnkeyatts");
	i_am = col(res, "amname");
	i_pred = col(res, "predicate");
	i_nnd = col(res, "indnullsnotdistinct");
	i_opts = col(res, "reloptions");
	i_only = col(res, "only");
	i_attached = col(res, "attached_to");
	i_pindex = col(res, "parent_index");
	i_colnames = col(res, "colnames");
	i_comment = col(res, "description");
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res); k++) {
		int r = rows[k];
		uint32_t rel = oidv(res, r, i_rel);
		struct sg_object *t = oidmap_get(&x->map, OIDMAP_CLASS, rel, 0);
		struct sg_index *ix;
		const char *am = PQgetvalue(res, r, i_am);
		int64_t natts = intv(res, r, i_natts);
		int64_t nkey = intv(res, r, i_nkeyatts);

		if (!t || !sg_kind_is_relation(t->kind))
			SG_BUG("index of unknown table %u", rel);
		ix = SG_NEW(x->cat, sg_index, SG_KIND_INDEX, NULL,
			    PQgetvalue(res, r, i_name), t);
		ix->obj.oid = oidv(res, r, i_oid);
		ix->obj.comment = str(x, res, r, i_comment);
		ix->definition = str(x, res, r, i_def);
		ix->unique = boolv(res, r, i_unique);
		ix->nulls_not_distinct = boolv(res, r, i_nnd);
		ix->method = strcmp(am, "btree") == 0 ? NULL : sg_strdup(x->a, am);
		ix->nkeys = (size_t)nkey;
		ix->keys = sg_alloc_array(x->a, ix->nkeys ? ix->nkeys : 1,
					  sizeof(*ix->keys));
		ix->ninclude = (size_t)(natts - nkey);
		ix->include = sg_alloc_array(x->a, ix->ninclude ? ix->ninclude : 1,
					     sizeof(*ix->include));
		ix->where = str(x, res, r, i_pred);
		if (reloptions(x, str(x, res, r, i_opts), NULL, &ix->reloptions,
			       &ix->nreloptions) < 0)
			rc = -1;
		ix->only = boolv(res, r, i_only);
		ix->attached_to = str(x, res, r, i_attached);
		if (ix->attached_to) {
			const char **cols;
			long n = text_array(x, str(x, res, r, i_colnames), &cols);

			if (n < 0)
				rc = -1;
			else
				ix->default_name = sg_pg_index_name(
					x->a, t->name, cols, (size_t)n, "idx");
			attachment(x, &ix->obj, OIDMAP_CLASS,
				   oidv(res, r, i_pindex));
		}
		oidmap_put(&x->map, OIDMAP_CLASS, ix->obj.oid, 0, &ix->obj);
		oidlist_add(&oids, ix->obj.oid);
	}
	free(rows);
	PQclear(res);
	oidlist_end(&oids);
	if (rc == 0)
		rc = load_keys(x, oids.buf);
	sbuf_release(&oids);
	return rc;
}
