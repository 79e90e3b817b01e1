// SPDX-License-Identifier: MIT
/*
 * view.c - views ('v') and materialized views ('m').
 *
 * One query: the relation, its definition, options, comment, whether a
 * materialized view is populated, its row type, and the oid of its _RETURN
 * rule.  The rule is what pg_depend records the view's dependencies on
 * (rule -> table column, function, other view, type), so mapping the rule's
 * oid to the view (OIDMAP_REWRITE) turns those rows into "view depends on
 * ..." without another query.  The view oids join the table oids, so the
 * column query reads the views' columns (names, types and collations,
 * which decide whether CREATE OR REPLACE VIEW is possible, and comments)
 * and the index query the indexes of materialized views.
 *
 * The definition is pg_get_viewdef(oid) -- the non-pretty form, as pg_dump
 * uses it -- with search_path = pg_catalog, so every name outside
 * pg_catalog comes out qualified.  The pretty form (pg_get_viewdef(oid,
 * true)) drops parentheses by operator precedence and may not parse back
 * into the same query (the PostgreSQL manual: "the default format is more
 * likely to be interpreted the same way by future versions"), and a dump
 * that does not parse back to the same tree is not a fixpoint.  The
 * non-pretty text, fed back to CREATE VIEW, gives itself again.  The
 * leading space and the trailing ";" of the server's text are cut.
 *
 * Options: reloptions as "name=value", with those of a materialized view's
 * TOAST table as "toast.name=value", sorted with strcmp.  A view's
 * WITH CHECK OPTION is the reloption check_option, as the server stores it.
 *
 * Views that belong to an extension are left out, like every extension
 * member.  Same catalogs in PostgreSQL 12 to 17 (security_invoker, new in
 * 15, is only an option string).
 */
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"

static const char views_sql[] =
	"SELECT c.oid, c.relnamespace, n.nspname, c.relname, c.relkind,"
	" pg_get_viewdef(c.oid) AS definition,"
	" c.reloptions, tc.reloptions AS toast_reloptions, c.relispopulated,"
	" c.reltype, rt.typarray, r.oid AS rule_oid, d.description"
	" FROM pg_class c"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	" LEFT JOIN pg_type rt ON rt.oid = c.reltype"
	" LEFT JOIN pg_class tc ON tc.oid = c.reltoastrelid"
	" LEFT JOIN pg_rewrite r ON r.ev_class = c.oid AND r.rulename = '_RETURN'"
	DESCRIPTION_JOIN("d", "pg_class", "c.oid", "0")
	" WHERE c.relkind IN ('v', 'm') AND c.relnamespace = ANY ($1::oid[])"
	" AND " NOT_EXTENSION_MEMBER("pg_class", "c.oid")
	" AND ($2::oid[] IS NULL OR c.oid = ANY ($2::oid[]))";

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The view's text without the server's leading blank and final ";". */
static const char *trim_definition(struct ictx *x, const char *s)
{
	size_t n;

	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\n')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ';' || s[n - 1] == ' ' || s[n - 1] == '\n'))
		n--;
	return sg_strndup(x->a, s, n);
}

/* reloptions, then the TOAST table's as "toast.<name>=<value>", sorted. */
static int load_options(struct ictx *x, struct sg_view *v, const char *rel,
			const char *toast)
{
	const char **a, **b;
	long na = text_array(x, rel, &a);
	long nb = text_array(x, toast, &b);
	size_t n = 0;

	if (na < 0 || nb < 0)
		return -1;
	v->reloptions = sg_alloc_array(x->a, (size_t)(na + nb) + 1,
				       sizeof(*v->reloptions));
	for (long i = 0; i < na; i++)
		if (a[i])
			v->reloptions[n++] = a[i];
	for (long i = 0; i < nb; i++)
		if (b[i])
			v->reloptions[n++] = sg_printf(x->a, "toast.%s", b[i]);
	if (n > 1)
		qsort(v->reloptions, n, sizeof(*v->reloptions), str_cmp);
	v->nreloptions = n;
	return 0;
}

int introspect_views(struct ictx *x)
{
	const char *params[2] = { x->schema_oids.buf, x->opts->relations };
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "relname", SORT_TEXT }, { NULL, 0 }
	};
	PGresult *res = run(x, views_sql, 2, params);
	int *rows, i_oid, i_nsp, i_nspname, i_name, i_kind, i_def, i_opts,
		i_topts, i_populated, i_type, i_array, i_rule, i_comment;
	int rc = 0;

	if (!res)
		return -1;
	i_oid = col(res, "oid");
	i_nsp = col(res, "relnamespace");
	i_nspname = col(res, "nspname");
	i_name = col(res, "relname");
	i_kind = col(res, "relkind");
	i_def = col(res, "definition");
	i_opts = col(res, "reloptions");
	i_topts = col(res, "toast_reloptions");
	i_populated = col(res, "relispopulated");
	i_type = col(res, "reltype");
	i_array = col(res, "typarray");
	i_rule = col(res, "rule_oid");
	i_comment = col(res, "description");
	rows = sorted_rows(res, order);
	oidlist_reopen(&x->table_oids);
	for (int k = 0; k < PQntuples(res) && rc == 0; k++) {
		int r = rows[k];
		struct sg_view *v = SG_NEW(x->cat, sg_view, SG_KIND_VIEW,
					   PQgetvalue(res, r, i_nspname),
					   PQgetvalue(res, r, i_name), NULL);

		v->rel.obj.oid = oidv(res, r, i_oid);
		v->rel.obj.comment = str(x, res, r, i_comment);
		v->relkind = charv(res, r, i_kind);
		v->definition = trim_definition(x, PQgetvalue(res, r, i_def));
		v->with_data = boolv(res, r, i_populated);
		rc = load_options(x, v,
				  PQgetisnull(res, r, i_opts) ? NULL
					: PQgetvalue(res, r, i_opts),
				  PQgetisnull(res, r, i_topts) ? NULL
					: PQgetvalue(res, r, i_topts));
		oidmap_put(&x->map, OIDMAP_CLASS, v->rel.obj.oid, 0, &v->rel.obj);
		if (oidv(res, r, i_rule))
			oidmap_put(&x->map, OIDMAP_REWRITE, oidv(res, r, i_rule), 0,
				   &v->rel.obj);
		/* a column of the row type (or an array of it) needs the view */
		if (oidv(res, r, i_type))
			oidmap_put(&x->map, OIDMAP_TYPE, oidv(res, r, i_type), 0,
				   &v->rel.obj);
		if (oidv(res, r, i_array))
			oidmap_put(&x->map, OIDMAP_TYPE, oidv(res, r, i_array), 0,
				   &v->rel.obj);
		depend_on_schema(x, &v->rel.obj, oidv(res, r, i_nsp));
		oidlist_add(&x->table_oids, v->rel.obj.oid);
	}
	oidlist_end(&x->table_oids);
	free(rows);
	PQclear(res);
	return rc;
}
