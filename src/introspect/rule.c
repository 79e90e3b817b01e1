// SPDX-License-Identifier: MIT
/*
 * rule.c - rules (pg_rewrite) of the tables and views read, in one query.
 *
 * What is compared is pg_get_ruledef(); the event, INSTEAD and the enabled
 * state (ev_enabled, which the definition does not show: ALTER TABLE ...
 * ENABLE / DISABLE RULE) are fields of their own.  The condition and the
 * actions are cut out of the definition by the writer (dump), with
 * PostgreSQL's scanner (sg_sql_rule_parts).  Left out: a view's own
 * _RETURN rule (it is the view) and members of extensions.  Each rule is
 * registered in the oid map under pg_rewrite, so what its actions use
 * becomes its dependencies.
 */
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"
#include "schemagen/util.h"

static const char rules_sql[] =
	"SELECT r.oid, r.ev_class, n.nspname, c.relname, r.rulename,"
	" r.ev_type, r.ev_enabled, r.is_instead,"
	" pg_get_ruledef(r.oid) AS definition, d.description"
	" FROM pg_rewrite r"
	" JOIN pg_class c ON c.oid = r.ev_class"
	" JOIN pg_namespace n ON n.oid = c.relnamespace"
	DESCRIPTION_JOIN("d", "pg_rewrite", "r.oid", "0")
	" WHERE c.relnamespace = ANY ($1::oid[])"
	" AND NOT (r.rulename = '_RETURN' AND r.ev_type = '1')"
	" AND " NOT_EXTENSION_MEMBER("pg_rewrite", "r.oid")
	" AND ($2::oid[] IS NULL OR r.ev_class = ANY ($2::oid[]))";

int introspect_rules(struct ictx *x)
{
	const char *params[2] = { x->schema_oids.buf, partial_rels(x) };
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "relname", SORT_TEXT },
		{ "rulename", SORT_TEXT }, { NULL, 0 }
	};
	PGresult *res = run(x, rules_sql, 2, params);
	int *rows, i_oid, i_rel, i_name, i_type, i_enabled, i_instead, i_def,
		i_comment;

	if (!res)
		return -1;
	i_oid = col(res, "oid");
	i_rel = col(res, "ev_class");
	i_name = col(res, "rulename");
	i_type = col(res, "ev_type");
	i_enabled = col(res, "ev_enabled");
	i_instead = col(res, "is_instead");
	i_def = col(res, "definition");
	i_comment = col(res, "description");
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res); k++) {
		int r = rows[k];
		struct sg_object *t = oidmap_get(&x->map, OIDMAP_CLASS,
						 oidv(res, r, i_rel), 0);
		struct sg_rule *ru;

		if (!t || !sg_kind_is_relation(t->kind))
			continue;   /* a relation not read */
		ru = SG_NEW(x->cat, sg_rule, SG_KIND_RULE, NULL,
			    PQgetvalue(res, r, i_name), t);
		ru->obj.oid = oidv(res, r, i_oid);
		ru->obj.comment = str(x, res, r, i_comment);
		ru->definition = str(x, res, r, i_def);
		ru->event = charv(res, r, i_type);
		ru->enabled = charv(res, r, i_enabled);
		ru->instead = boolv(res, r, i_instead);
		oidmap_put(&x->map, OIDMAP_REWRITE, ru->obj.oid, 0, &ru->obj);
	}
	free(rows);
	PQclear(res);
	return 0;
}
