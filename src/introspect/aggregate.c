// SPDX-License-Identifier: MIT
/*
 * aggregate.c - aggregates (pg_proc rows of prokind 'a' and their
 * pg_aggregate rows), in one query.
 *
 * Each option is read as the text CREATE AGGREGATE takes back: support
 * functions as regproc prints them (qualified unless visible with
 * search_path = pg_catalog, quoted as needed), types as format_type(),
 * the sort operator as OPERATOR(schema.op), initial conditions as the
 * value of the literal.  Options equal to PostgreSQL's default are NULL
 * (no FINALFUNC_MODIFY of the aggregate's kind, no space estimate, parallel
 * unsafe), so that a dump says only what was chosen.  Extension members
 * are left out, as for functions.  Aggregates are registered as pg_proc
 * rows: their privileges, owners and dependencies come with the
 * functions'.
 */
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"
#include "schemagen/quote.h"

#define REGPROC(col, name) \
	" CASE WHEN a." col " <> 0 THEN a." col "::regproc::text END AS " name ","

static const char aggregates_sql[] =
	"SELECT p.oid, p.pronamespace, n.nspname, p.proname,"
	" oidvectortypes(p.proargtypes) AS argtypes,"
	" (SELECT string_agg(CASE WHEN u.m = 'v' THEN 'VARIADIC ' ELSE '' END"
	"   || CASE WHEN coalesce(u.nm, '') <> '' THEN quote_ident(u.nm) || ' ' ELSE '' END"
	"   || format_type(u.t, NULL), ', ' ORDER BY u.i)"
	"  FROM unnest(p.proargtypes::oid[], p.proargmodes, p.proargnames)"
	"   WITH ORDINALITY u(t, m, nm, i) WHERE u.i <= a.aggnumdirectargs) AS direct,"
	" (SELECT string_agg(CASE WHEN u.m = 'v' THEN 'VARIADIC ' ELSE '' END"
	"   || CASE WHEN coalesce(u.nm, '') <> '' THEN quote_ident(u.nm) || ' ' ELSE '' END"
	"   || format_type(u.t, NULL), ', ' ORDER BY u.i)"
	"  FROM unnest(p.proargtypes::oid[], p.proargmodes, p.proargnames)"
	"   WITH ORDINALITY u(t, m, nm, i) WHERE u.i > a.aggnumdirectargs) AS aggregated,"
	" (SELECT string_agg(format_type(u.t, NULL), ', ' ORDER BY u.i)"
	"  FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY u(t, i)"
	"  WHERE u.i <= a.aggnumdirectargs) AS direct_types,"
	" (SELECT string_agg(format_type(u.t, NULL), ', ' ORDER BY u.i)"
	"  FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY u(t, i)"
	"  WHERE u.i > a.aggnumdirectargs) AS aggregated_types, a.aggkind,"
	REGPROC("aggtransfn", "sfunc")
	" format_type(a.aggtranstype, NULL) AS stype, a.aggtransspace,"
	REGPROC("aggfinalfn", "finalfunc")
	" a.aggfinalextra, a.aggfinalmodify,"
	REGPROC("aggcombinefn", "combinefunc")
	REGPROC("aggserialfn", "serialfunc")
	REGPROC("aggdeserialfn", "deserialfunc")
	" a.agginitval,"
	REGPROC("aggmtransfn", "msfunc")
	REGPROC("aggminvtransfn", "minvfunc")
	" CASE WHEN a.aggmtranstype <> 0 THEN format_type(a.aggmtranstype, NULL) END"
	"  AS mstype, a.aggmtransspace,"
	REGPROC("aggmfinalfn", "mfinalfunc")
	" a.aggmfinalextra, a.aggmfinalmodify, a.aggminitval,"
	" so.nspname AS sortop_nsp, so.oprname AS sortop_name,"
	" p.proparallel, d.description"
	" FROM pg_proc p"
	" JOIN pg_aggregate a ON a.aggfnoid = p.oid"
	" JOIN pg_namespace n ON n.oid = p.pronamespace"
	" LEFT JOIN (SELECT o.oid, sn.nspname, o.oprname FROM pg_operator o"
	"  JOIN pg_namespace sn ON sn.oid = o.oprnamespace) so ON so.oid = a.aggsortop"
	DESCRIPTION_JOIN("d", "pg_proc", "p.oid", "0")
	" WHERE p.pronamespace = ANY ($1::oid[]) AND p.prokind = 'a'"
	" AND " NOT_EXTENSION_MEMBER("pg_proc", "p.oid");

/* a read_only / shareable / read_write keyword, NULL for the default */
static const char *modify_word(char c, char dflt)
{
	if (c == dflt)
		return NULL;
	return c == 'r' ? "read_only" : c == 's' ? "shareable" : c == 'w' ? "read_write" : NULL;
}

int introspect_aggregates(struct ictx *x)
{
	const char *params[1] = { x->schema_oids.buf };
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "proname", SORT_TEXT },
		{ "argtypes", SORT_TEXT }, { NULL, 0 }
	};
	/* the text columns read as they are, by option */
	static const struct {
		enum sg_agg_opt opt;
		const char *col;
	} texts[] = {
		{ SG_AGG_SFUNC, "sfunc" }, { SG_AGG_STYPE, "stype" },
		{ SG_AGG_FINALFUNC, "finalfunc" }, { SG_AGG_COMBINEFUNC, "combinefunc" },
		{ SG_AGG_SERIALFUNC, "serialfunc" }, { SG_AGG_DESERIALFUNC, "deserialfunc" },
		{ SG_AGG_INITCOND, "agginitval" }, { SG_AGG_MSFUNC, "msfunc" },
		{ SG_AGG_MINVFUNC, "minvfunc" }, { SG_AGG_MSTYPE, "mstype" },
		{ SG_AGG_MFINALFUNC, "mfinalfunc" }, { SG_AGG_MINITCOND, "aggminitval" },
	};
	PGresult *res = run(x, aggregates_sql, 1, params);
	int *rows;

	if (!res)
		return -1;
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res); k++) {
		int r = rows[k];
		char kind = charv(res, r, col(res, "aggkind"));
		const char *dt = PQgetvalue(res, r, col(res, "direct_types"));
		const char *at = PQgetvalue(res, r, col(res, "aggregated_types"));
		const char *name = kind == 'n'
			? sg_printf(x->a, "%s(%s)", PQgetvalue(res, r, col(res, "proname")),
				    *at ? at : "*")
			: sg_printf(x->a, "%s(%s%sORDER BY %s)",
				    PQgetvalue(res, r, col(res, "proname")), dt,
				    *dt ? " " : "", at);
		struct sg_aggregate *g = SG_NEW(x->cat, sg_aggregate, SG_KIND_AGGREGATE,
						PQgetvalue(res, r, col(res, "nspname")),
						name, NULL);
		char dflt_modify, c;
		long n;

		g->obj.oid = oidv(res, r, col(res, "oid"));
		g->obj.comment = str(x, res, r, col(res, "description"));
		g->aggname = str(x, res, r, col(res, "proname"));
		g->aggkind = kind;
		if (kind == 'n') {
			g->arguments = str(x, res, r, col(res, "aggregated"));
		} else {
			g->arguments = str(x, res, r, col(res, "direct"));
			g->order_by = str(x, res, r, col(res, "aggregated"));
		}
		g->argtypes = str(x, res, r, col(res, "argtypes"));
		for (size_t i = 0; i < ARRAY_SIZE(texts); i++)
			g->opts[texts[i].opt] = str(x, res, r, col(res, texts[i].col));
		n = intv(res, r, col(res, "aggtransspace"));
		if (n)
			g->opts[SG_AGG_SSPACE] = sg_printf(x->a, "%ld", n);
		n = intv(res, r, col(res, "aggmtransspace"));
		if (n)
			g->opts[SG_AGG_MSSPACE] = sg_printf(x->a, "%ld", n);
		if (boolv(res, r, col(res, "aggfinalextra")))
			g->opts[SG_AGG_FINALFUNC_EXTRA] = "true";
		if (boolv(res, r, col(res, "aggmfinalextra")))
			g->opts[SG_AGG_MFINALFUNC_EXTRA] = "true";
		/* ordered-set aggregates default to read_write (pg_dump) */
		dflt_modify = g->aggkind == 'n' ? 'r' : 'w';
		g->opts[SG_AGG_FINALFUNC_MODIFY] =
			modify_word(charv(res, r, col(res, "aggfinalmodify")), dflt_modify);
		g->opts[SG_AGG_MFINALFUNC_MODIFY] =
			modify_word(charv(res, r, col(res, "aggmfinalmodify")), dflt_modify);
		if (!PQgetisnull(res, r, col(res, "sortop_name"))) {
			struct sbuf sb = SBUF_INIT;

			sbuf_adds(&sb, "OPERATOR(");
			sg_quote_ident(&sb, PQgetvalue(res, r, col(res, "sortop_nsp")));
			sbuf_addf(&sb, ".%s)", PQgetvalue(res, r, col(res, "sortop_name")));
			g->opts[SG_AGG_SORTOP] = sbuf_to_arena(&sb, x->a);
			sbuf_release(&sb);
		}
		c = charv(res, r, col(res, "proparallel"));
		g->opts[SG_AGG_PARALLEL] = c == 's' ? "safe" : c == 'r' ? "restricted" : NULL;
		oidmap_put(&x->map, OIDMAP_PROC, g->obj.oid, 0, &g->obj);
		depend_on_schema(x, &g->obj, oidv(res, r, col(res, "pronamespace")));
	}
	free(rows);
	PQclear(res);
	return 0;
}
