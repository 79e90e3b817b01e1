// SPDX-License-Identifier: MIT
/*
 * cast.c - casts (pg_cast), database-wide: one query whatever their
 * number.  The casts of the system (oid < 16384, the casts between
 * built-in types pg_catalog has) and of extensions are left out; the
 * managed schemas do not filter them.  Each is registered in the oid map,
 * so pg_depend's rows "cast -n-> its function, its source and target
 * types" order it after them (those of built-in types are not read).
 *
 * The name is "(source AS target)" with both types as format_type()
 * prints them (search_path = pg_catalog: qualified unless built in), the
 * function as regprocedure prints it ("app.f(app.t)").
 */
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"
#include "schemagen/util.h"

static const char casts_sql[] =
	"SELECT c.oid, format_type(c.castsource, NULL) AS source,"
	" format_type(c.casttarget, NULL) AS target, c.castmethod, c.castcontext,"
	" CASE WHEN c.castfunc <> 0 THEN c.castfunc::regprocedure::text END"
	"  AS function, d.description"
	" FROM pg_cast c"
	DESCRIPTION_JOIN("d", "pg_cast", "c.oid", "0")
	" WHERE c.oid >= 16384"
	" AND " NOT_EXTENSION_MEMBER("pg_cast", "c.oid");

int introspect_casts(struct ictx *x)
{
	static const struct sortkey order[] = {
		{ "source", SORT_TEXT }, { "target", SORT_TEXT }, { NULL, 0 }
	};
	PGresult *res = run(x, casts_sql, 0, NULL);
	int *rows, i_oid, i_source, i_target, i_method, i_context, i_fn, i_comment;

	if (!res)
		return -1;
	i_oid = col(res, "oid");
	i_source = col(res, "source");
	i_target = col(res, "target");
	i_method = col(res, "castmethod");
	i_context = col(res, "castcontext");
	i_fn = col(res, "function");
	i_comment = col(res, "description");
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res); k++) {
		int r = rows[k];
		const char *source = PQgetvalue(res, r, i_source);
		const char *target = PQgetvalue(res, r, i_target);
		struct sg_cast *c = SG_NEW(x->cat, sg_cast, SG_KIND_CAST,
					   SG_GLOBAL_SCHEMA,
					   sg_printf(x->a, "(%s AS %s)", source, target),
					   NULL);

		c->obj.oid = oidv(res, r, i_oid);
		c->obj.comment = str(x, res, r, i_comment);
		c->source = str(x, res, r, i_source);
		c->target = str(x, res, r, i_target);
		c->method = charv(res, r, i_method);
		c->context = charv(res, r, i_context);
		c->function = str(x, res, r, i_fn);
		oidmap_put(&x->map, OIDMAP_CAST, c->obj.oid, 0, &c->obj);
	}
	free(rows);
	PQclear(res);
	return 0;
}
