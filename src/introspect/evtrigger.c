// SPDX-License-Identifier: MIT
/*
 * evtrigger.c - event triggers (pg_event_trigger), database-wide: one
 * query whatever their number, the managed schemas do not filter them
 * (their function may live anywhere); those of the system and of
 * extensions are left out.  Each is registered in the oid map, so
 * pg_depend's row "event trigger -n-> its function" orders it after the
 * function.  The owner is read here (evtowner), not in acl.c's owner
 * query, which goes by schema.
 */
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"
#include "schemagen/util.h"

static const char evtriggers_sql[] =
	"SELECT t.oid, t.evtname, t.evtevent, t.evtenabled,"
	" coalesce(t.evttags, '{}'::text[]) AS tags,"
	" fn.nspname AS function_schema, f.proname AS function_name,"
	" pg_get_userbyid(t.evtowner)::text AS owner, d.description"
	" FROM pg_event_trigger t"
	" JOIN pg_proc f ON f.oid = t.evtfoid"
	" JOIN pg_namespace fn ON fn.oid = f.pronamespace"
	DESCRIPTION_JOIN("d", "pg_event_trigger", "t.oid", "0")
	" WHERE t.oid >= 16384"
	" AND " NOT_EXTENSION_MEMBER("pg_event_trigger", "t.oid");

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int introspect_event_triggers(struct ictx *x)
{
	static const struct sortkey order[] = {
		{ "evtname", SORT_TEXT }, { NULL, 0 }
	};
	PGresult *res = run(x, evtriggers_sql, 0, NULL);
	int *rows, i_oid, i_name, i_event, i_enabled, i_tags, i_fnsp, i_fn,
		i_owner, i_comment;
	int rc = 0;

	if (!res)
		return -1;
	i_oid = col(res, "oid");
	i_name = col(res, "evtname");
	i_event = col(res, "evtevent");
	i_enabled = col(res, "evtenabled");
	i_tags = col(res, "tags");
	i_fnsp = col(res, "function_schema");
	i_fn = col(res, "function_name");
	i_owner = col(res, "owner");
	i_comment = col(res, "description");
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res) && rc == 0; k++) {
		int r = rows[k];
		struct sg_event_trigger *e = SG_NEW(x->cat, sg_event_trigger,
						    SG_KIND_EVENT_TRIGGER,
						    SG_GLOBAL_SCHEMA,
						    PQgetvalue(res, r, i_name), NULL);
		long n;

		e->obj.oid = oidv(res, r, i_oid);
		e->obj.comment = str(x, res, r, i_comment);
		e->obj.owner = str(x, res, r, i_owner);
		e->event = str(x, res, r, i_event);
		e->enabled = charv(res, r, i_enabled);
		e->function_schema = str(x, res, r, i_fnsp);
		e->function_name = str(x, res, r, i_fn);
		n = text_array(x, PQgetvalue(res, r, i_tags), &e->tags);
		if (n < 0) {
			rc = -1;
			break;
		}
		e->ntags = (size_t)n;
		if (e->ntags > 1)
			qsort(e->tags, e->ntags, sizeof(*e->tags), str_cmp);
		oidmap_put(&x->map, OIDMAP_EVENT_TRIGGER, e->obj.oid, 0, &e->obj);
	}
	free(rows);
	PQclear(res);
	return rc;
}
