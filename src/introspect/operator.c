// SPDX-License-Identifier: MIT
/*
 * operator.c - operators (pg_operator), in one query.
 *
 * The identity is "oprname(left, right)" with format_type() names (NONE
 * for a prefix operator's missing left one), which is how COMMENT ON,
 * ALTER and DROP OPERATOR name one.  Functions are read as regproc prints
 * them, the commutator and negator as OPERATOR(schema.op).  Shell
 * operators (oprcode 0: named as a commutator or negator before being
 * defined) and extension members are left out.  Operators are registered
 * under pg_operator, so their owners and dependencies (on the function
 * and the types) are read with the other kinds'.
 */
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"
#include "schemagen/quote.h"

static const char operators_sql[] =
	"SELECT o.oid, o.oprnamespace, n.nspname, o.oprname,"
	" CASE WHEN o.oprleft <> 0 THEN format_type(o.oprleft, NULL) END AS lefttype,"
	" format_type(o.oprright, NULL) AS righttype,"
	" o.oprcode::regproc::text AS function,"
	" CASE WHEN o.oprrest <> 0 THEN o.oprrest::regproc::text END AS restrict,"
	" CASE WHEN o.oprjoin <> 0 THEN o.oprjoin::regproc::text END AS join,"
	" cn.nspname AS com_nsp, c.oprname AS com_name,"
	" nn.nspname AS neg_nsp, ng.oprname AS neg_name,"
	" o.oprcanhash, o.oprcanmerge, d.description"
	" FROM pg_operator o"
	" JOIN pg_namespace n ON n.oid = o.oprnamespace"
	" LEFT JOIN pg_operator c ON c.oid = o.oprcom"
	" LEFT JOIN pg_namespace cn ON cn.oid = c.oprnamespace"
	" LEFT JOIN pg_operator ng ON ng.oid = o.oprnegate"
	" LEFT JOIN pg_namespace nn ON nn.oid = ng.oprnamespace"
	DESCRIPTION_JOIN("d", "pg_operator", "o.oid", "0")
	" WHERE o.oprnamespace = ANY ($1::oid[]) AND o.oprcode <> 0"
	" AND " NOT_EXTENSION_MEMBER("pg_operator", "o.oid");

/* OPERATOR(schema.op), or NULL when the row has none */
static const char *operator_ref(struct ictx *x, const PGresult *res, int r,
				const char *nsp, const char *name)
{
	struct sbuf sb = SBUF_INIT;
	const char *s;

	if (PQgetisnull(res, r, col(res, name)))
		return NULL;
	sbuf_adds(&sb, "OPERATOR(");
	sg_quote_ident(&sb, PQgetvalue(res, r, col(res, nsp)));
	sbuf_addf(&sb, ".%s)", PQgetvalue(res, r, col(res, name)));
	s = sbuf_to_arena(&sb, x->a);
	sbuf_release(&sb);
	return s;
}

int introspect_operators(struct ictx *x)
{
	const char *params[1] = { x->schema_oids.buf };
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "oprname", SORT_TEXT },
		{ "lefttype", SORT_TEXT }, { "righttype", SORT_TEXT }, { NULL, 0 }
	};
	PGresult *res = run(x, operators_sql, 1, params);
	int *rows;

	if (!res)
		return -1;
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res); k++) {
		int r = rows[k];
		const char *left = str(x, res, r, col(res, "lefttype"));
		const char *right = str(x, res, r, col(res, "righttype"));
		const char *oprname = str(x, res, r, col(res, "oprname"));
		struct sg_operator *o = SG_NEW(x->cat, sg_operator, SG_KIND_OPERATOR,
					       PQgetvalue(res, r, col(res, "nspname")),
					       sg_printf(x->a, "%s(%s, %s)", oprname,
							 left ? left : "NONE", right),
					       NULL);

		o->obj.oid = oidv(res, r, col(res, "oid"));
		o->obj.comment = str(x, res, r, col(res, "description"));
		o->oprname = oprname;
		o->left = left;
		o->right = right;
		o->opts[SG_OPR_FUNCTION] = str(x, res, r, col(res, "function"));
		o->opts[SG_OPR_RESTRICT] = str(x, res, r, col(res, "restrict"));
		o->opts[SG_OPR_JOIN] = str(x, res, r, col(res, "join"));
		o->opts[SG_OPR_COMMUTATOR] = operator_ref(x, res, r, "com_nsp", "com_name");
		o->opts[SG_OPR_NEGATOR] = operator_ref(x, res, r, "neg_nsp", "neg_name");
		o->hashes = boolv(res, r, col(res, "oprcanhash"));
		o->merges = boolv(res, r, col(res, "oprcanmerge"));
		oidmap_put(&x->map, OIDMAP_OPERATOR, o->obj.oid, 0, &o->obj);
		depend_on_schema(x, &o->obj, oidv(res, r, col(res, "oprnamespace")));
	}
	free(rows);
	PQclear(res);
	return 0;
}
