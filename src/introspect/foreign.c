// SPDX-License-Identifier: MIT
/*
 * foreign.c - foreign data wrappers, servers and user mappings, one query
 * per kind.  They belong to the database: every one is read whatever the
 * managed schemas, but those PostgreSQL made (oid < 16384) and extension
 * members (postgres_fdw's wrapper belongs to its extension).
 *
 * Options come as parallel arrays of keys and values.  The value of a
 * secret (a key sg_option_secret() names: password, ...) is never read: the
 * query itself replaces it with NULL, so it never crosses the connection,
 * unless it is a placeholder '$env:NAME' (a scratch database, where the
 * models' environment references are materialised as such).
 *
 * User mappings are read from pg_user_mappings, which shows the options to
 * the server's owner and to superusers only.
 */
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"
#include "schemagen/sbuf.h"
#include "schemagen/sql.h"
#include "schemagen/util.h"

static bool env_name_ok(const char *s)
{
	if (!*s || !(s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z') ||
		     (s[0] >= 'a' && s[0] <= 'z')))
		return false;
	for (; *s; s++)
		if (!(*s == '_' || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9')))
			return false;
	return true;
}

static int opt_cmp(const void *pa, const void *pb)
{
	const struct sg_fdw_option *a = pa, *b = pb;

	return strcmp(a->key, b->key);
}

int introspect_fdw_options(struct ictx *x, const PGresult *res, int r,
			   struct sg_fdw_option **out, size_t *n)
{
	const char **keys, **values;
	long nk, nv;
	struct sg_fdw_option *v;

	*out = NULL;
	*n = 0;
	if (PQgetisnull(res, r, col(res, "opt_keys")))
		return 0;
	nk = text_array(x, PQgetvalue(res, r, col(res, "opt_keys")), &keys);
	nv = text_array(x, PQgetvalue(res, r, col(res, "opt_values")), &values);
	if (nk < 0 || nv < 0)
		return -1;
	if (nk != nv) {
		sg_error("introspection: options of %zu keys and %zu values",
			 (size_t)nk, (size_t)nv);
		return -1;
	}
	v = sg_alloc_array(x->a, nk ? (size_t)nk : 1, sizeof(*v));
	for (long i = 0; i < nk; i++) {
		const char *val = values[i];
		size_t pl = strlen(SG_SECRET_PREFIX);

		v[i].key = keys[i];
		if (val && strncmp(val, SG_SECRET_PREFIX, pl) == 0 &&
		    env_name_ok(val + pl)) {
			v[i].secret = true;
			v[i].env = val + pl;
		} else if (!val || sg_option_secret(keys[i])) {
			v[i].secret = true;
		} else {
			v[i].value = val;
		}
	}
	qsort(v, (size_t)nk, sizeof(*v), opt_cmp);
	*out = v;
	*n = (size_t)nk;
	return 0;
}

static const char fdw_sql[] =
	"SELECT w.oid, w.fdwname,"
	" CASE WHEN w.fdwhandler <> 0 THEN w.fdwhandler::regproc::text END AS handler,"
	" CASE WHEN w.fdwvalidator <> 0 THEN w.fdwvalidator::regproc::text END AS validator,"
	OPTIONS("w.fdwoptions") ", d.description"
	" FROM pg_foreign_data_wrapper w"
	DESCRIPTION_JOIN("d", "pg_foreign_data_wrapper", "w.oid", "0")
	" WHERE w.oid >= 16384"
	" AND " NOT_EXTENSION_MEMBER("pg_foreign_data_wrapper", "w.oid");

int introspect_fdws(struct ictx *x)
{
	static const struct sortkey order[] = { { "fdwname", SORT_TEXT }, { NULL, 0 } };
	PGresult *res = run(x, fdw_sql, 0, NULL);
	int *rows;

	if (!res)
		return -1;
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res); k++) {
		int r = rows[k];
		struct sg_fdw *w = SG_NEW(x->cat, sg_fdw, SG_KIND_FDW, SG_GLOBAL_SCHEMA,
					  PQgetvalue(res, r, col(res, "fdwname")), NULL);

		w->obj.oid = oidv(res, r, col(res, "oid"));
		w->obj.comment = str(x, res, r, col(res, "description"));
		w->handler = str(x, res, r, col(res, "handler"));
		w->validator = str(x, res, r, col(res, "validator"));
		if (introspect_fdw_options(x, res, r, &w->options, &w->noptions) < 0) {
			free(rows);
			PQclear(res);
			return -1;
		}
		oidmap_put(&x->map, OIDMAP_FDW, w->obj.oid, 0, &w->obj);
	}
	free(rows);
	PQclear(res);
	return 0;
}

static const char server_sql[] =
	"SELECT s.oid, s.srvname, s.srvfdw, w.fdwname, s.srvtype, s.srvversion,"
	OPTIONS("s.srvoptions") ", d.description"
	" FROM pg_foreign_server s"
	" JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw"
	DESCRIPTION_JOIN("d", "pg_foreign_server", "s.oid", "0")
	" WHERE s.oid >= 16384"
	" AND " NOT_EXTENSION_MEMBER("pg_foreign_server", "s.oid");

int introspect_servers(struct ictx *x)
{
	static const struct sortkey order[] = { { "srvname", SORT_TEXT }, { NULL, 0 } };
	PGresult *res = run(x, server_sql, 0, NULL);
	int *rows;

	if (!res)
		return -1;
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res); k++) {
		int r = rows[k];
		struct sg_server *s = SG_NEW(x->cat, sg_server, SG_KIND_SERVER,
					     SG_GLOBAL_SCHEMA,
					     PQgetvalue(res, r, col(res, "srvname")), NULL);
		struct sg_object *w;

		s->obj.oid = oidv(res, r, col(res, "oid"));
		s->obj.comment = str(x, res, r, col(res, "description"));
		s->wrapper = str(x, res, r, col(res, "fdwname"));
		s->type = str(x, res, r, col(res, "srvtype"));
		s->version = str(x, res, r, col(res, "srvversion"));
		if (introspect_fdw_options(x, res, r, &s->options, &s->noptions) < 0) {
			free(rows);
			PQclear(res);
			return -1;
		}
		oidmap_put(&x->map, OIDMAP_SERVER, s->obj.oid, 0, &s->obj);
		w = oidmap_get(&x->map, OIDMAP_FDW, oidv(res, r, col(res, "srvfdw")), 0);
		if (w)
			sg_catalog_add_dep(x->cat, &s->obj, w, 'n');
	}
	free(rows);
	PQclear(res);
	return 0;
}

/* the role that runs the introspection is CURRENT_USER (as in defacls) */
static const char mapping_sql[] =
	"SELECT m.umid, m.srvid, m.srvname,"
	" CASE WHEN m.umuser = 0 THEN 'public'"
	"  WHEN m.umuser = (SELECT r.oid FROM pg_roles r"
	"   WHERE r.rolname = current_user) THEN 'current_user'"
	"  ELSE pg_get_userbyid(m.umuser)::text END AS role,"
	OPTIONS("m.umoptions")
	" FROM pg_user_mappings m"
	" WHERE m.srvid >= 16384"
	" AND " NOT_EXTENSION_MEMBER("pg_foreign_server", "m.srvid");

int introspect_user_mappings(struct ictx *x)
{
	static const struct sortkey order[] = {
		{ "srvname", SORT_TEXT }, { "role", SORT_TEXT }, { NULL, 0 }
	};
	PGresult *res = run(x, mapping_sql, 0, NULL);
	int *rows;

	if (!res)
		return -1;
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res); k++) {
		int r = rows[k];
		const char *role = str(x, res, r, col(res, "role"));
		const char *server = str(x, res, r, col(res, "srvname"));
		struct sg_user_mapping *m = SG_NEW(x->cat, sg_user_mapping,
			SG_KIND_USER_MAPPING, SG_GLOBAL_SCHEMA,
			sg_user_mapping_name(x->a, role, server), NULL);
		struct sg_object *s;

		m->obj.oid = oidv(res, r, col(res, "umid"));
		m->role = role;
		m->server = server;
		if (introspect_fdw_options(x, res, r, &m->options, &m->noptions) < 0) {
			free(rows);
			PQclear(res);
			return -1;
		}
		oidmap_put(&x->map, OIDMAP_USER_MAPPING, m->obj.oid, 0, &m->obj);
		s = oidmap_get(&x->map, OIDMAP_SERVER, oidv(res, r, col(res, "srvid")), 0);
		if (s)
			sg_catalog_add_dep(x->cat, &m->obj, s, 'n');
	}
	free(rows);
	PQclear(res);
	return 0;
}
