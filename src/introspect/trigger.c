// SPDX-License-Identifier: MIT
/*
 * trigger.c - triggers of tables and views (pg_trigger).
 *
 * What is compared is pg_get_triggerdef(); the enabled state (tgenabled),
 * which the definition does not show, is a field of its own, since it is
 * changed with ALTER TABLE ... ENABLE/DISABLE TRIGGER rather than by
 * re-creating the trigger.  The structured fields (timing, events, UPDATE
 * OF columns, WHEN, function, arguments, transition tables, constraint
 * trigger options) are read for the dump: tgtype's bits, tgattr's column
 * names, tgargs (a bytea of NUL-terminated strings, read as hex whatever
 * bytea_output says), and the WHEN condition
 * cut out of the definition (pg_get_expr cannot print tgqual: it refers to
 * OLD and NEW).
 *
 * Left out: internal triggers (tgisinternal: those of foreign keys and of
 * deferrable unique constraints), and on partitions the clones of a
 * partitioned table's trigger (tgparentid, PostgreSQL 13+; before 13 the
 * clones are internal).  The query selects by schema and maps each
 * trigger's relation through the oid map, so triggers of relations that
 * are not loaded (schemagen's own tables, kinds not modelled) are skipped.
 */
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/scan.h"
#include "schemagen/arena.h"
#include "schemagen/util.h"

/* tgtype bits (catalog/pg_trigger.h) */
enum {
	TGTYPE_ROW = 1 << 0,
	TGTYPE_BEFORE = 1 << 1,
	TGTYPE_INSERT = 1 << 2,
	TGTYPE_DELETE = 1 << 3,
	TGTYPE_UPDATE = 1 << 4,
	TGTYPE_TRUNCATE = 1 << 5,
	TGTYPE_INSTEAD = 1 << 6,
};

static void triggers_sql(struct sbuf *sb, int version)
{
	sbuf_adds(sb,
		"SELECT t.oid, t.tgrelid, n.nspname, c.relname, t.tgname,"
		" pg_get_triggerdef(t.oid) AS definition, t.tgenabled, t.tgtype,"
		" t.tgconstraint <> 0 AS isconstraint, t.tgdeferrable,"
		" t.tginitdeferred, t.tgnargs,"
		/* hex whatever bytea_output says */
		" encode(t.tgargs, 'hex') AS tgargs,"
		" fn.nspname AS function_schema, f.proname AS function_name,"
		" ARRAY(SELECT a.attname FROM unnest(t.tgattr::int2[])"
		"  WITH ORDINALITY k(attnum, i) JOIN pg_attribute a"
		"  ON a.attrelid = t.tgrelid AND a.attnum = k.attnum ORDER BY k.i)"
		"  AS update_columns,"
		" t.tgoldtable, t.tgnewtable,"
		" CASE WHEN t.tgconstrrelid <> 0 THEN t.tgconstrrelid::regclass::text"
		" END AS from_table,"
		" d.description"
		" FROM pg_trigger t"
		" JOIN pg_class c ON c.oid = t.tgrelid"
		" JOIN pg_namespace n ON n.oid = c.relnamespace"
		" JOIN pg_proc f ON f.oid = t.tgfoid"
		" JOIN pg_namespace fn ON fn.oid = f.pronamespace"
		DESCRIPTION_JOIN("d", "pg_trigger", "t.oid", "0")
		" WHERE c.relnamespace = ANY ($1::oid[]) AND NOT t.tgisinternal"
		" AND ($2::oid[] IS NULL OR t.tgrelid = ANY ($2::oid[]))");
	if (version >= 130000)
		sbuf_adds(sb, " AND t.tgparentid = 0");
}

/*
 * tgargs as hex digits ("6100..."): nargs NUL-terminated strings.  Returns
 * -1 when the value is not what is expected.
 */
static int trigger_args(struct ictx *x, const char *hex, long nargs,
			const char ***out, size_t *n)
{
	struct sbuf sb = SBUF_INIT;
	const char **v;
	size_t k = 0;

	*out = NULL;
	*n = 0;
	if (nargs <= 0)
		return 0;
	v = sg_alloc_array(x->a, (size_t)nargs, sizeof(*v));
	for (const char *p = hex; p[0] && p[1] && k < (size_t)nargs; p += 2) {
		int hi = sg_hexval(p[0]), lo = sg_hexval(p[1]);

		if (hi < 0 || lo < 0)
			break;
		if (hi == 0 && lo == 0) {
			v[k++] = sbuf_to_arena(&sb, x->a);
			sbuf_reset(&sb);
		} else {
			sbuf_addch(&sb, (char)(hi * 16 + lo));
		}
	}
	sbuf_release(&sb);
	if (k != (size_t)nargs)
		return sg_error("tgargs holds %zu arguments, tgnargs says %ld", k, nargs);
	*out = v;
	*n = k;
	return 0;
}

/* Length of the parenthesised text starting after an opening '(' at s,
 * up to (not including) its closing ')'; strings and names are skipped. */
static size_t paren_span(const char *s)
{
	size_t len = strlen(s), i = 0;
	int depth = 1;

	while (i < len) {
		struct sg_token t;
		size_t next = sg_sql_token(s, len, i, &t);

		if (t.kind == SG_TOK_OTHER && s[i] == '(')
			depth++;
		else if (t.kind == SG_TOK_OTHER && s[i] == ')' && --depth == 0)
			return i;
		i = next;
	}
	return len;
}

/*
 * The WHEN condition of pg_get_triggerdef()'s text: "... FOR EACH ROW
 * WHEN (cond) EXECUTE FUNCTION ...".  The condition follows the FOR EACH
 * clause, the only place " WHEN (" can appear before EXECUTE (table and
 * transition-table names are quoted when odd, so they cannot hold it).
 */
static const char *when_of(struct ictx *x, const char *def)
{
	const char *fe = strstr(def, " FOR EACH ");
	const char *w;

	if (!fe)
		return NULL;
	w = strstr(fe, " WHEN (");
	if (!w)
		return NULL;
	{
		const char *ex = strstr(fe, " EXECUTE ");

		if (ex && ex < w)
			return NULL;
	}
	w += strlen(" WHEN (");
	return sg_strndup(x->a, w, paren_span(w));
}

static int names(struct ictx *x, const PGresult *res, int r, int c,
		 const char ***out, size_t *n)
{
	long k = text_array(x, PQgetisnull(res, r, c) ? NULL : PQgetvalue(res, r, c),
			    out);

	if (k < 0)
		return -1;
	*n = (size_t)k;
	return 0;
}

int introspect_triggers(struct ictx *x)
{
	const char *params[2] = { x->schema_oids.buf, partial_rels(x) };
	static const struct sortkey order[] = {
		{ "nspname", SORT_TEXT }, { "relname", SORT_TEXT },
		{ "tgname", SORT_TEXT }, { NULL, 0 }
	};
	struct sbuf sql = SBUF_INIT;
	PGresult *res;
	int *rows, i_oid, i_rel, i_name, i_def, i_enabled, i_type, i_constraint,
		i_deferrable, i_deferred, i_nargs, i_args, i_fnsp, i_fname,
		i_upcols, i_old, i_new, i_from, i_comment;
	int rc = 0;

	triggers_sql(&sql, x->server_version);
	res = run(x, sql.buf, 2, params);
	sbuf_release(&sql);
	if (!res)
		return -1;
	i_oid = col(res, "oid");
	i_rel = col(res, "tgrelid");
	i_name = col(res, "tgname");
	i_def = col(res, "definition");
	i_enabled = col(res, "tgenabled");
	i_type = col(res, "tgtype");
	i_constraint = col(res, "isconstraint");
	i_deferrable = col(res, "tgdeferrable");
	i_deferred = col(res, "tginitdeferred");
	i_nargs = col(res, "tgnargs");
	i_args = col(res, "tgargs");
	i_fnsp = col(res, "function_schema");
	i_fname = col(res, "function_name");
	i_upcols = col(res, "update_columns");
	i_old = col(res, "tgoldtable");
	i_new = col(res, "tgnewtable");
	i_from = col(res, "from_table");
	i_comment = col(res, "description");
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res) && rc == 0; k++) {
		int r = rows[k];
		struct sg_object *rel = oidmap_get(&x->map, OIDMAP_CLASS,
						   oidv(res, r, i_rel), 0);
		struct sg_trigger *g;
		long type;
		SG_VEC(const char *) ev = { 0 };

		if (!rel || !sg_kind_is_relation(rel->kind))
			continue;
		g = SG_NEW(x->cat, sg_trigger, SG_KIND_TRIGGER, NULL,
			   PQgetvalue(res, r, i_name), rel);
		g->obj.oid = oidv(res, r, i_oid);
		g->obj.comment = str(x, res, r, i_comment);
		g->definition = str(x, res, r, i_def);
		g->enabled = charv(res, r, i_enabled);
		type = (long)intv(res, r, i_type);
		g->timing = (type & TGTYPE_INSTEAD) ? "INSTEAD OF"
			    : (type & TGTYPE_BEFORE) ? "BEFORE" : "AFTER";
		if (type & TGTYPE_INSERT)
			SG_VEC_PUSH(x->a, &ev, "INSERT");
		if (type & TGTYPE_DELETE)
			SG_VEC_PUSH(x->a, &ev, "DELETE");
		if (type & TGTYPE_UPDATE)
			SG_VEC_PUSH(x->a, &ev, "UPDATE");
		if (type & TGTYPE_TRUNCATE)
			SG_VEC_PUSH(x->a, &ev, "TRUNCATE");
		g->events = ev.v;
		g->nevents = ev.n;
		g->for_each_row = type & TGTYPE_ROW;
		g->constraint = boolv(res, r, i_constraint);
		g->deferrable = boolv(res, r, i_deferrable);
		g->deferred = boolv(res, r, i_deferred);
		g->function_schema = str(x, res, r, i_fnsp);
		g->function_name = str(x, res, r, i_fname);
		g->function = catalog_name(x, g->function_schema, g->function_name);
		g->when = when_of(x, g->definition);
		g->old_table = str(x, res, r, i_old);
		g->new_table = str(x, res, r, i_new);
		g->from_table = str(x, res, r, i_from);
		if (names(x, res, r, i_upcols, &g->update_columns,
			  &g->nupdate_columns) < 0 ||
		    trigger_args(x, PQgetvalue(res, r, i_args),
				 (long)intv(res, r, i_nargs), &g->arguments,
				 &g->narguments) < 0)
			rc = -1;
		oidmap_put(&x->map, OIDMAP_TRIGGER, g->obj.oid, 0, &g->obj);
	}
	free(rows);
	PQclear(res);
	return rc;
}
