// SPDX-License-Identifier: MIT
/*
 * publication.c - `publications:`, database-wide: a mapping of names to
 * {all_tables | tables, schemas, publish, via_partition_root, comment,
 * owner, renamed_from}.  A table is a name (unqualified: found in the
 * search path) or {schema:, table:, columns:, where:}; `where` is an
 * expression checked by PostgreSQL's parser.
 */
#include <stdlib.h>
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/util.h"
#include "yaml-priv.h"

static const char *const publication_keys[] = {
	"all_tables", "tables", "schemas", "publish", "via_partition_root",
	"comment", "owner", "renamed_from",
};
enum { PK_ALL, PK_TABLES, PK_SCHEMAS, PK_PUBLISH, PK_ROOT, PK_COMMENT,
       PK_OWNER, PK_RENAMED };

static const char *const pub_table_keys[] = { "schema", "table", "columns", "where" };

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

/* A list of names (nodes checked as names), into the arena. */
static const char **names(struct loader *l, const struct ynode *v, const char *what,
			  const char *expected, size_t *n)
{
	const char **out;

	*n = 0;
	if (v->type != YN_SEQ) {
		yexpect(l->d, l->t, v, expected);
		return NULL;
	}
	out = sg_alloc_array(l->a, v->nkids + 1, sizeof(*out));
	for (size_t i = 0; i < v->nkids; i++)
		if (yname_ok(l->d, l->t, v->kids[i], what))
			out[(*n)++] = sg_strdup(l->a, v->kids[i]->str);
	return out;
}

static bool load_pub_table(struct loader *l, struct sg_pub_table *t,
			   const struct ynode *v)
{
	const struct ynode *k[ARRAY_SIZE(pub_table_keys)];

	t->loc = v->loc;
	if (v->type == YN_SCALAR) {
		if (!yname_ok(l->d, l->t, v, "table name"))
			return false;
		t->name = sg_strdup(l->a, v->str);
		return true;
	}
	if (v->type != YN_MAP) {
		yexpect(l->d, l->t, v, "a table name or {schema:, table:, columns:, where:}");
		return false;
	}
	yload_keys(l, v, pub_table_keys, ARRAY_SIZE(pub_table_keys), k,
		   "a published table");
	if (!k[1]) {
		sg_diag_error(l->d, v->loc, "missing key \"table\" in a published table");
		return false;
	}
	if ((k[0] && !yname_ok(l->d, l->t, k[0], "schema name")) ||
	    !yname_ok(l->d, l->t, k[1], "table name"))
		return false;
	t->schema = k[0] ? sg_strdup(l->a, k[0]->str) : NULL;
	t->name = sg_strdup(l->a, k[1]->str);
	t->loc = k[1]->loc;
	if (k[2] && !ynode_is_null(k[2]))
		t->columns = names(l, k[2], "column name", "a list of column names",
				   &t->ncolumns);
	if (k[3])
		t->where = yload_sql(l, k[3], "where", SG_FRAG_EXPR, "where",
				     &t->where_loc);
	return true;
}

static void load_publish(struct loader *l, struct sg_publication *p,
			 const struct ynode *v)
{
	static const char *const ops[] = { "insert", "update", "delete", "truncate" };
	bool on[4] = { false };
	char buf[5];
	size_t n = 0;

	if (v->type != YN_SEQ) {
		yexpect(l->d, l->t, v, "a list of insert, update, delete, truncate");
		return;
	}
	for (size_t i = 0; i < v->nkids; i++) {
		int k = yone_of(l, v->kids[i], "publish", ops, 4);

		if (k >= 0)
			on[k] = true;
	}
	for (int k = 0; k < 4; k++)
		if (on[k])
			buf[n++] = "iudt"[k];
	buf[n] = '\0';
	p->publish = sg_strdup(l->a, buf);
}

void load_publication(struct loader *l, const struct ynode *key,
		      const struct ynode *val)
{
	const struct ynode *v[ARRAY_SIZE(publication_keys)];
	struct sg_publication *p;
	const char *ctx;

	if (!yname_ok(l->d, l->t, key, "publication name"))
		return;
	p = SG_NEW(l->cat, sg_publication, SG_KIND_PUBLICATION, SG_GLOBAL_SCHEMA,
		   key->str, NULL);
	p->obj.loc = key->loc;
	p->publish = "iudt";
	if (ynode_is_null(val))
		return;     /* `name:` alone: a publication of nothing yet */
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, "a mapping {tables:, publish:, ...}");
		return;
	}
	ctx = sg_printf(l->t, "publication %s", yq(l->t, key->str));
	yload_keys(l, val, publication_keys, ARRAY_SIZE(publication_keys), v, ctx);
	if (v[PK_ALL] && !ynode_is_null(v[PK_ALL]))
		yget_bool(l->d, l->t, v[PK_ALL], "all_tables", &p->all_tables);
	if (v[PK_TABLES] && !ynode_is_null(v[PK_TABLES])) {
		const struct ynode *tv = v[PK_TABLES];

		if (p->all_tables) {
			sg_diag_error(l->d, tv->loc, "%s has both \"all_tables: true\" "
				      "and \"tables\"", ctx);
		} else if (tv->type != YN_SEQ) {
			yexpect(l->d, l->t, tv, "a list of tables");
		} else {
			p->tables = sg_alloc_array(l->a, tv->nkids + 1, sizeof(*p->tables));
			for (size_t i = 0; i < tv->nkids; i++)
				if (load_pub_table(l, &p->tables[p->ntables], tv->kids[i]))
					p->ntables++;
			if (p->ntables > 1)
				qsort(p->tables, p->ntables, sizeof(*p->tables), table_cmp);
			for (size_t i = 1; i < p->ntables; i++)
				if (table_cmp(&p->tables[i - 1], &p->tables[i]) == 0)
					sg_diag_error(l->d, p->tables[i].loc, "%s lists table "
						      "%s twice", ctx,
						      yq(l->t, p->tables[i].name));
		}
	}
	if (v[PK_SCHEMAS] && !ynode_is_null(v[PK_SCHEMAS])) {
		if (p->all_tables)
			sg_diag_error(l->d, v[PK_SCHEMAS]->loc, "%s has both "
				      "\"all_tables: true\" and \"schemas\"", ctx);
		p->schemas = names(l, v[PK_SCHEMAS], "schema name",
				   "a list of schema names", &p->nschemas);
		p->schemas_loc = v[PK_SCHEMAS]->loc;
		if (p->nschemas > 1)
			qsort(p->schemas, p->nschemas, sizeof(*p->schemas), str_cmp);
	}
	if (v[PK_PUBLISH] && !ynode_is_null(v[PK_PUBLISH]))
		load_publish(l, p, v[PK_PUBLISH]);
	if (v[PK_ROOT] && !ynode_is_null(v[PK_ROOT]))
		yget_bool(l->d, l->t, v[PK_ROOT], "via_partition_root", &p->via_root);
	if (v[PK_COMMENT]) {
		const char *s;

		if (yget_str(l->d, l->t, v[PK_COMMENT], "comment", &s) && s && *s)
			p->obj.comment = sg_strdup(l->a, s);
	}
	load_owner(l, &p->obj, v[PK_OWNER]);
	if (v[PK_RENAMED] && !ynode_is_null(v[PK_RENAMED]) &&
	    yname_ok(l->d, l->t, v[PK_RENAMED], "publication name")) {
		if (strcmp(v[PK_RENAMED]->str, key->str) == 0) {
			struct sg_diag *dg = sg_diag_error(
				l->d, v[PK_RENAMED]->loc, "%s is renamed from itself", ctx);

			sg_diag_hint(dg, l->d, "remove \"renamed_from\" once the "
				     "rename has been applied");
		} else {
			p->obj.renamed_from = sg_strdup(l->a, v[PK_RENAMED]->str);
			p->obj.renamed_loc = v[PK_RENAMED]->loc;
		}
	}
}
