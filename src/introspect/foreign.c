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
 * User mappings are read from pg_user_mappings, which shows a mapping's
 * options only to the mapped role (with USAGE on the server, or a member of
 * its owner), to the server's owner for a PUBLIC mapping, and to
 * superusers: the query asks the view's own rule whether they are shown,
 * and a mapping whose options are hidden has options_hidden (not compared;
 * one warning names every such mapping).
 */
#include <stdlib.h>
#include <string.h>

#include "introspect-priv.h"
#include "schemagen/arena.h"
#include "schemagen/quote.h"
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

/*
 * Runs one of the queries below and makes an object of each row, in the
 * order of the sort keys: one(x, res, row) reads the row (its options
 * through introspect_fdw_options()), -1 on an error.
 */
static int foreign_rows(struct ictx *x, const char *sql, const struct sortkey *order,
			int (*one)(struct ictx *, const PGresult *, int))
{
	PGresult *res = run(x, sql, 0, NULL);
	int *rows, rc = 0;

	if (!res)
		return -1;
	rows = sorted_rows(res, order);
	for (int k = 0; k < PQntuples(res) && rc == 0; k++)
		rc = one(x, res, rows[k]);
	free(rows);
	PQclear(res);
	return rc;
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

static int fdw_row(struct ictx *x, const PGresult *res, int r)
{
	struct sg_fdw *w = SG_NEW(x->cat, sg_fdw, SG_KIND_FDW, SG_GLOBAL_SCHEMA,
				  PQgetvalue(res, r, col(res, "fdwname")), NULL);

	w->obj.oid = oidv(res, r, col(res, "oid"));
	w->obj.comment = str(x, res, r, col(res, "description"));
	w->handler = str(x, res, r, col(res, "handler"));
	w->validator = str(x, res, r, col(res, "validator"));
	if (introspect_fdw_options(x, res, r, &w->options, &w->noptions) < 0)
		return -1;
	oidmap_put(&x->map, OIDMAP_FDW, w->obj.oid, 0, &w->obj);
	return 0;
}

int introspect_fdws(struct ictx *x)
{
	static const struct sortkey order[] = { { "fdwname", SORT_TEXT }, { NULL, 0 } };

	return foreign_rows(x, fdw_sql, order, fdw_row);
}

static const char server_sql[] =
	"SELECT s.oid, s.srvname, s.srvfdw, w.fdwname, s.srvtype, s.srvversion,"
	OPTIONS("s.srvoptions") ", d.description"
	" FROM pg_foreign_server s"
	" JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw"
	DESCRIPTION_JOIN("d", "pg_foreign_server", "s.oid", "0")
	" WHERE s.oid >= 16384"
	" AND " NOT_EXTENSION_MEMBER("pg_foreign_server", "s.oid");

static int server_row(struct ictx *x, const PGresult *res, int r)
{
	struct sg_server *s = SG_NEW(x->cat, sg_server, SG_KIND_SERVER, SG_GLOBAL_SCHEMA,
				     PQgetvalue(res, r, col(res, "srvname")), NULL);
	struct sg_object *w;

	s->obj.oid = oidv(res, r, col(res, "oid"));
	s->obj.comment = str(x, res, r, col(res, "description"));
	s->wrapper = str(x, res, r, col(res, "fdwname"));
	s->type = str(x, res, r, col(res, "srvtype"));
	s->version = str(x, res, r, col(res, "srvversion"));
	if (introspect_fdw_options(x, res, r, &s->options, &s->noptions) < 0)
		return -1;
	oidmap_put(&x->map, OIDMAP_SERVER, s->obj.oid, 0, &s->obj);
	w = oidmap_get(&x->map, OIDMAP_FDW, oidv(res, r, col(res, "srvfdw")), 0);
	if (w)
		sg_catalog_add_dep(x->cat, &s->obj, w, 'n');
	return 0;
}

int introspect_servers(struct ictx *x)
{
	static const struct sortkey order[] = { { "srvname", SORT_TEXT }, { NULL, 0 } };

	return foreign_rows(x, server_sql, order, server_row);
}

/* the role that runs the introspection is CURRENT_USER (as in defacls) */
static const char mapping_sql[] =
	"SELECT m.umid, m.srvid, m.srvname,"
	" CASE WHEN m.umuser = 0 THEN 'public'"
	"  WHEN m.umuser = (SELECT r.oid FROM pg_roles r"
	"   WHERE r.rolname = current_user) THEN 'current_user'"
	"  ELSE pg_get_userbyid(m.umuser)::text END AS role,"
	OPTIONS("m.umoptions") ","
	/* pg_user_mappings' rule for showing umoptions */
	" NOT ((m.umuser <> 0 AND m.usename = current_user"
	"   AND (pg_has_role(s.srvowner, 'USAGE')"
	"    OR has_server_privilege(s.oid, 'USAGE')))"
	"  OR (m.umuser = 0 AND pg_has_role(s.srvowner, 'USAGE'))"
	"  OR coalesce((SELECT r.rolsuper FROM pg_roles r"
	"   WHERE r.rolname = current_user), false)) AS hidden"
	" FROM pg_user_mappings m JOIN pg_foreign_server s ON s.oid = m.srvid"
	" WHERE m.srvid >= 16384"
	" AND " NOT_EXTENSION_MEMBER("pg_foreign_server", "m.srvid");

static int mapping_row(struct ictx *x, const PGresult *res, int r)
{
	const char *role = str(x, res, r, col(res, "role"));
	const char *server = str(x, res, r, col(res, "srvname"));
	struct sg_user_mapping *m = SG_NEW(x->cat, sg_user_mapping,
		SG_KIND_USER_MAPPING, SG_GLOBAL_SCHEMA,
		sg_user_mapping_name(x->a, role, server), NULL);
	struct sg_object *s;

	m->obj.oid = oidv(res, r, col(res, "umid"));
	m->role = role;
	m->server = server;
	if (introspect_fdw_options(x, res, r, &m->options, &m->noptions) < 0)
		return -1;
	m->options_hidden = charv(res, r, col(res, "hidden")) == 't';
	if (m->options_hidden) {
		struct sbuf *h = &x->hidden_mappings;

		sbuf_adds(h, h->len ? ", " : "");
		sbuf_adds(h, strcmp(role, SG_ROLE_PUBLIC) == 0 ? "PUBLIC"
			  : strcmp(role, SG_ROLE_CURRENT) == 0 ? "CURRENT_USER"
			  : sg_qt(x->a, sg_qi(x->a, role)));
		sbuf_adds(h, " on server ");
		sbuf_adds(h, sg_qt(x->a, sg_qi(x->a, server)));
	}
	oidmap_put(&x->map, OIDMAP_USER_MAPPING, m->obj.oid, 0, &m->obj);
	s = oidmap_get(&x->map, OIDMAP_SERVER, oidv(res, r, col(res, "srvid")), 0);
	if (s)
		sg_catalog_add_dep(x->cat, &m->obj, s, 'n');
	return 0;
}

int introspect_user_mappings(struct ictx *x)
{
	static const struct sortkey order[] = {
		{ "srvname", SORT_TEXT }, { "role", SORT_TEXT }, { NULL, 0 }
	};
	int rc;

	x->hidden_mappings = (struct sbuf)SBUF_INIT;
	rc = foreign_rows(x, mapping_sql, order, mapping_row);

	if (rc == 0 && x->hidden_mappings.len &&
	    !(x->opts && x->opts->quiet_hidden_options))
		sg_warning("the options of the user mappings for %s are not compared: "
			   "pg_user_mappings shows them only to the mapped role, to "
			   "the server's owner for PUBLIC, and to superusers",
			   x->hidden_mappings.buf);
	sbuf_release(&x->hidden_mappings);
	return rc;
}
