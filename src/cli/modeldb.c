// SPDX-License-Identifier: MIT
/*
 * modeldb.c - the model database: the models materialised, kept on the
 * scratch server between runs, so that a change to the models costs the
 * DDL of what changed, not of everything (issue 12).
 *
 * It is sg_models_<folder>_<8 hex digits> (named from the project folder
 * as its embedded database is) on the scratch server (embedded or
 * dev_url).  Its database comment records what it holds:
 *
 *     schemagen model database <environment key> <catalog fingerprint>
 *         <model cache key> <server version> <hostid> <project folder>
 *
 * (one line): the server version is its server_version_num (6 digits:
 * an upgrade in place keeps the database and its comment), the
 * environment key is the model cache's key without the
 * models (schemagen's version and binary, schemagen.yaml, the scratch
 * server and its settings, the models' roles that exist there), the
 * fingerprint that of cli_catalog_fingerprint() when it was left (any DDL
 * run there since changes it), and the model cache key the one the
 * catalog read back from it was stored under in the model cache file.
 *
 * The design, catalog to catalog: the catalog the model database holds is
 * the one in the model cache file (the record ties them: the cache key and
 * the fingerprint).  Changed models are brought in with the pipeline every
 * migration goes through -- diff (that catalog -> the YAML-loaded models),
 * order, emit -- exactly as the first materialisation is (an empty
 * database's catalog -> the models; that catalog is kept in <project>.fresh
 * for the default comments a new database has), run in the model database
 * in one transaction, and the database is read back.  No SQL is written
 * by hand and no object is compared by text outside the diff: the result
 * is what `schemagen diff` would make of a live database holding the old
 * models, checked by the server.  One thing a migration keeps that a new
 * database would not is where a column was added: ADD COLUMN appends, a
 * new CREATE TABLE follows the model's order; a table whose columns come
 * back in an order the models do not give is rebuilt (common.c).
 *
 * Rebuilt from scratch (dropped, created, every model materialised),
 * silently (-v says why), when: there is none; the record is not ours or
 * names another environment; the cache file is missing, damaged or of
 * another key; the fingerprint differs (altered from outside, or a step
 * that stopped part-way); the change does not diff, run or read back; the
 * columns come back in another order; --no-cache.  A failing rebuild
 * leaves no model database.  Two runs for one project serialise on an
 * advisory lock on the scratch server's admin connection.  Making one
 * drops the model databases of this host whose project folder is gone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "schemagen/arena.h"
#include "schemagen/conn.h"
#include "schemagen/diff.h"
#include "schemagen/embedded.h"
#include "schemagen/model.h"
#include "schemagen/pgconn.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "schemagen/scan.h"
#include "schemagen/util.h"

#define COMMENT_PREFIX "schemagen model database "

const char *cli_modeldb_name(struct sg_ctx *ctx)
{
	const char *e = cli_embedded_dbname(ctx);

	if (!e || strncmp(e, "schemagen_", 10) != 0)
		return NULL;
	return sg_printf(ctx->a, "sg_models_%s", e + 10);
}

static const char *tail_of(struct sg_ctx *ctx)
{
	char host[9];

	sg_scratch_host_id(host);
	return sg_printf(ctx->a, " %s %s", host, ctx->project_dir);
}

const char *cli_record_version(struct sg_ctx *ctx, struct sg_conn *admin)
{
	return sg_printf(ctx->a, "%06d", sg_conn_server_version(admin));
}

const char *cli_record_version_check(struct sg_ctx *ctx, struct sg_conn *admin,
				     const char *rec)
{
	int was = 0, now = sg_conn_server_version(admin);

	for (int i = 0; i < 6; i++) {
		if (rec[i] < '0' || rec[i] > '9')
			return "it is not one schemagen finished for this project";
		was = was * 10 + (rec[i] - '0');
	}
	if (was == now)
		return NULL;
	return sg_printf(ctx->a, "it was left by PostgreSQL %d.%d, the scratch server "
			 "is PostgreSQL %d.%d now", was / 10000, was % 100, now / 10000,
			 now % 100);
}

static int exec_named(struct sg_conn *admin, const char *sql, const char *name,
		      const char *tail)
{
	struct sbuf sb = SBUF_INIT;
	int rc;

	sbuf_adds(&sb, sql);
	sg_quote_ident(&sb, name);
	if (tail)
		sbuf_adds(&sb, tail);
	rc = sg_conn_exec(admin, sb.buf);
	sbuf_release(&sb);
	return rc;
}

int cli_modeldb_lock(struct sg_ctx *ctx, struct sg_scratch *srv, const char *name)
{
	const char *params[1];
	PGresult *res;

	/* advisory locks are per database: every run's admin connection is
	 * to the same one; released when it closes */
	params[0] = sg_printf(ctx->a, "%lld", (long long)sg_hash64(name, strlen(name)));
	res = sg_conn_query(srv->admin, "SELECT pg_catalog.pg_advisory_lock($1::bigint)",
			    1, params);
	if (!res)
		return -1;
	PQclear(res);
	return 0;
}

const char *cli_modeldb_usable(struct sg_ctx *ctx, struct sg_scratch *srv,
			       const char *name, const char env[65],
			       struct sg_conn **conn, struct sg_catalog **prev,
			       struct sg_catalog **fresh, char key[65])
{
	const char *params[1] = { name }, *tail = tail_of(ctx);
	char fp[65], want_fp[65], want_key[65];
	size_t pl = strlen(COMMENT_PREFIX);
	const char *cm, *why;
	PGresult *res;

	*conn = NULL;
	if (ctx->no_cache)
		return "--no-cache";
	res = sg_conn_query(srv->admin, "SELECT pg_catalog.shobj_description(oid, "
			    "'pg_database') FROM pg_catalog.pg_database "
			    "WHERE datname = $1", 1, params);
	if (!res)
		return "the server's database list could not be read";
	if (PQntuples(res) == 0) {
		PQclear(res);
		return "none yet";
	}
	cm = PQgetisnull(res, 0, 0) ? "" : sg_strdup(ctx->a, PQgetvalue(res, 0, 0));
	PQclear(res);
	/* "<env> <fp> <key> <version> <tail>" */
	if (strncmp(cm, COMMENT_PREFIX, pl) != 0 || strlen(cm) <= pl + 3 * 65 + 6 ||
	    cm[pl + 64] != ' ' || cm[pl + 129] != ' ' || cm[pl + 194] != ' ' ||
	    strcmp(cm + pl + 201, tail) != 0)
		return "it is not one schemagen finished for this project";
	if ((why = cli_record_version_check(ctx, srv->admin, cm + pl + 195)) != NULL)
		return why;
	if (memcmp(cm + pl, env, 64) != 0)
		return "schemagen, schemagen.yaml or the scratch server changed";
	memcpy(want_fp, cm + pl + 65, 64);
	want_fp[64] = '\0';
	memcpy(want_key, cm + pl + 130, 64);
	want_key[64] = '\0';
	if (!(*prev = cli_cache_load_any(ctx, key)))
		return "the model cache file is missing or damaged";
	if (strcmp(key, want_key) != 0)
		return "the model cache file is not of the catalog it holds";
	if (!(*fresh = cli_fresh_cache_load(ctx, env)))
		return "the empty database's catalog is not cached";
	*conn = sg_conn_open(sg_conninfo_with_db(ctx->a, srv->admin_conninfo, name));
	if (!*conn)
		return "it could not be connected to";
	if (cli_catalog_fingerprint(*conn, fp) < 0)
		return "its catalog could not be read";
	if (strcmp(fp, want_fp) != 0)
		return "it was altered since it was left (or a change stopped part-way)";
	return NULL;
}

/* Drops this host's model databases whose project folder is gone. */
static void prune(struct sg_ctx *ctx, struct sg_scratch *srv)
{
	PGresult *res = sg_conn_query(srv->admin, "SELECT datname, "
		"pg_catalog.shobj_description(oid, 'pg_database') "
		"FROM pg_catalog.pg_database WHERE datname LIKE 'sg\\_models\\_%' "
		"ORDER BY 1", 0, NULL);
	size_t pl = strlen(COMMENT_PREFIX), skip = pl + 3 * 65 + 7;
	char host[9];

	if (!res)
		return;
	sg_scratch_host_id(host);
	for (int i = 0; i < PQntuples(res); i++) {
		const char *cm = PQgetvalue(res, i, 1), *dir = cm + skip + 9;
		struct stat st;

		if (strncmp(cm, COMMENT_PREFIX, pl) != 0 || strlen(cm) <= skip + 9 ||
		    strncmp(cm + skip, host, 8) != 0 || dir[-1] != ' ' ||
		    dir[0] != '/' || stat(dir, &st) == 0 || errno != ENOENT)
			continue;
		sg_verbose("model database %s: removed (%s is gone)",
			   sg_qt(ctx->a, PQgetvalue(res, i, 0)), sg_qt(ctx->a, dir));
		exec_named(srv->admin, "DROP DATABASE IF EXISTS ", PQgetvalue(res, i, 0),
			   " WITH (FORCE)");
	}
	PQclear(res);
}

struct sg_conn *cli_modeldb_create(struct sg_ctx *ctx, struct sg_scratch *srv,
				   const char *name)
{
	struct sg_conn *c;

	prune(ctx, srv);
	/* FORCE (PostgreSQL 13, the oldest supported): a dead run's session */
	if (exec_named(srv->admin, "DROP DATABASE IF EXISTS ", name, " WITH (FORCE)") < 0)
		return NULL;
	if (exec_named(srv->admin, "CREATE DATABASE ", name, " TEMPLATE template0") < 0) {
		if (srv->source)
			sg_hint("the %s role needs the CREATEDB privilege for scratch "
				"databases (%s)", srv->source,
				sg_url_mask(ctx->a, srv->admin_conninfo));
		return NULL;
	}
	c = sg_conn_open(sg_conninfo_with_db(ctx->a, srv->admin_conninfo, name));
	if (c)
		sg_verbose("model database %s on %s (PostgreSQL %d%s)", name,
			   sg_conn_display(srv->admin),
			   sg_conn_server_version(srv->admin) / 10000,
			   srv->embedded ? ", embedded" : "");
	return c;
}

void cli_modeldb_drop(struct sg_scratch *srv, const char *name)
{
	exec_named(srv->admin, "DROP DATABASE IF EXISTS ", name, " WITH (FORCE)");
}

int cli_modeldb_seal(struct sg_ctx *ctx, struct sg_scratch *srv, const char *name,
		     struct sg_conn *c, const char env[65], const char key[65])
{
	struct sbuf sb = SBUF_INIT;
	char fp[65];
	int rc;

	if (cli_catalog_fingerprint(c, fp) < 0)
		return -1;
	sbuf_adds(&sb, "COMMENT ON DATABASE ");
	sg_quote_ident(&sb, name);
	sbuf_adds(&sb, " IS ");
	sg_quote_literal(&sb, sg_printf(ctx->a, COMMENT_PREFIX "%s %s %s %s%s", env, fp,
					key, cli_record_version(ctx, srv->admin),
					tail_of(ctx)));
	rc = sg_conn_exec(srv->admin, sb.buf);
	sbuf_release(&sb);
	return rc;
}

bool cli_quiet_used;

int cli_quiet_begin(void)
{
	FILE *tmp = tmpfile();
	int fd;

	cli_quiet_used = true;
	if (!tmp)
		return -1;
	fflush(stderr);
	fd = dup(STDERR_FILENO);
	if (fd < 0 || dup2(fileno(tmp), STDERR_FILENO) < 0) {
		if (fd >= 0)
			close(fd);
		fclose(tmp);
		return -1;
	}
	fclose(tmp);   /* the descriptor dup2 made keeps the file */
	return fd;
}

void cli_quiet_end(int fd)
{
	if (fd < 0)
		return;
	fflush(stderr);
	dup2(fd, STDERR_FILENO);
	close(fd);
}

/* ---- which objects changed ---- */

#define DIGESTS_HEADER "schemagen model digests 3\n"
#define NDIGEST 5
/* "<id> <digest> <grants> <owner> <default privileges>\n", 16 hex digits each */
#define DIGEST_LINE (NDIGEST * 17)

struct digest {
	uint64_t id;      /* the object's identity: kind, schema, parent, name */
	uint64_t dg;      /* sg_object_digest() */
	uint64_t gv;      /* its grants (`grants:` given or not, and which) */
	uint64_t ov;      /* its owner (named or not, and which) */
	uint64_t dv;      /* of a schema, its default privileges */
};

struct cli_digests {
	struct digest *v;
	size_t n, cap;
};

/* Of the catalog the model database holds: where each object is. */
struct held {
	uint64_t id;      /* identity() */
	size_t idx;       /* its index in that catalog */
};

static uint64_t identity(const struct sg_object *o)
{
	struct sbuf sb = SBUF_INIT;
	uint64_t h;

	sbuf_addf(&sb, "%d\n%s\n%s\n%s", (int)o->kind, o->schema ? o->schema : "",
		  o->parent ? o->parent->name : "", o->name);
	h = sg_hash64(sb.buf, sb.len);
	sbuf_release(&sb);
	return h;
}

/*
 * The object's privileges as its model gives them: its grants (has_acl:
 * `grants:` given), its owner and, of a schema, its default privileges
 * (what a table made later gets).  cli_modeldb_filter() decides from them
 * which changes the model database can take incrementally.
 */
static void grants_add(struct sbuf *sb, const struct sg_grant *g, size_t n)
{
	for (size_t i = 0; i < n; i++)
		sbuf_addf(sb, "%s\n%s\n%s\n", g[i].grantee ? g[i].grantee : "",
			  g[i].privs ? g[i].privs : "", g[i].grantable ? g[i].grantable : "");
}

static uint64_t grants_of(const struct sg_object *o)
{
	struct sbuf sb = SBUF_INIT;
	uint64_t h;

	sbuf_addf(&sb, "%d\n%zu\n", (int)o->has_acl, o->ngrants);
	grants_add(&sb, o->grants, o->ngrants);
	h = sg_hash64(sb.buf, sb.len);
	sbuf_release(&sb);
	return h;
}

/* 0: no owner named */
static uint64_t owner_of(const struct sg_object *o)
{
	return o->owner ? sg_hash64(o->owner, strlen(o->owner)) | 1 : 0;
}

static uint64_t defacls_of(const struct sg_object *o)
{
	struct sbuf sb = SBUF_INIT;
	uint64_t h;

	if (o->kind == SG_KIND_SCHEMA) {
		const struct sg_schema *s = (const void *)o;

		for (size_t i = 0; i < s->ndefacls; i++) {
			sbuf_addf(&sb, "defacl\n%s\n%c\n%zu\n",
				  s->defacls[i].role ? s->defacls[i].role : "",
				  s->defacls[i].objtype, s->defacls[i].ngrants);
			grants_add(&sb, s->defacls[i].grants, s->defacls[i].ngrants);
		}
	}
	h = sg_hash64(sb.buf ? sb.buf : "", sb.len);
	sbuf_release(&sb);
	return h;
}

static int digest_cmp(const void *x, const void *y)
{
	const struct digest *a = x, *b = y;

	return a->id < b->id ? -1 : a->id > b->id;
}

static const struct digest *find(const struct cli_digests *d, uint64_t id)
{
	struct digest k = { .id = id };

	return d->n ? bsearch(&k, d->v, d->n, sizeof(k), digest_cmp) : NULL;
}

static struct cli_digests *digests(struct sg_arena *a, const struct sg_catalog *cat)
{
	struct cli_digests *d = sg_alloc(a, sizeof(*d));

	d->v = sg_alloc_array(a, cat->nobjs + 1, sizeof(*d->v));
	for (size_t i = 0; i < cat->nobjs; i++)
		if (cat->objs[i])
			d->v[d->n++] = (struct digest){ identity(cat->objs[i]),
				sg_object_digest(cat->objs[i]),
				grants_of(cat->objs[i]), owner_of(cat->objs[i]),
				defacls_of(cat->objs[i]) };
	qsort(d->v, d->n, sizeof(*d->v), digest_cmp);
	return d;
}

static int held_cmp(const void *x, const void *y)
{
	const struct held *a = x, *b = y;

	return a->id < b->id ? -1 : a->id > b->id;
}

/* The objects of cat by identity, sorted (n of them in *n). */
static struct held *held_of(struct sg_arena *a, const struct sg_catalog *cat,
			    size_t *n)
{
	struct held *h = sg_alloc_array(a, cat->nobjs + 1, sizeof(*h));

	*n = 0;
	for (size_t i = 0; i < cat->nobjs; i++)
		if (cat->objs[i])
			h[(*n)++] = (struct held){ identity(cat->objs[i]), i };
	qsort(h, *n, sizeof(*h), held_cmp);
	return h;
}

static const struct held *held_find(const struct held *h, size_t n, uint64_t id)
{
	struct held k = { .id = id };

	return n ? bsearch(&k, h, n, sizeof(k), held_cmp) : NULL;
}

/*
 * The file: DIGESTS_HEADER, the key, "\n", sg_hash64 of the body (16 hex
 * digits), "\n", then the body: a DIGEST_LINE per object, ids ascending.
 * Written by put() (the body's hash as zeros: at *at, filled in by the
 * caller) and read (digests_add()) in pieces, never the whole file in
 * memory (at 10,000 tables 8 MB of text).
 */
static uint64_t digests_write(struct sg_arena *a, const char key[65],
			      const struct sg_catalog *model,
			      void (*put)(void *, const void *, size_t), void *arg,
			      size_t *at)
{
	struct cli_digests *d = digests(a, model);
	uint64_t h = SG_HASH64_INIT;
	char line[DIGEST_LINE + 1];

	put(arg, DIGESTS_HEADER, strlen(DIGESTS_HEADER));
	put(arg, key, 64);
	put(arg, "\n", 1);
	*at = strlen(DIGESTS_HEADER) + 65;
	put(arg, "0000000000000000\n", 17);
	for (size_t i = 0; i < d->n; i++) {
		snprintf(line, sizeof(line), "%016llx %016llx %016llx %016llx %016llx\n",
			 (unsigned long long)d->v[i].id, (unsigned long long)d->v[i].dg,
			 (unsigned long long)d->v[i].gv, (unsigned long long)d->v[i].ov,
			 (unsigned long long)d->v[i].dv);
		h = sg_hash64_more(h, line, DIGEST_LINE);
		put(arg, line, DIGEST_LINE);
	}
	return h;
}

static void put_sbuf(void *sb, const void *data, size_t len)
{
	sbuf_add(sb, data, len);
}

static void put_afile(void *f, const void *data, size_t len)
{
	sg_afile_write(f, data, len);
}

void cli_digests_format(struct sg_arena *a, struct sbuf *sb, const char key[65],
			const struct sg_catalog *model)
{
	size_t start = sb->len, at;
	uint64_t h = digests_write(a, key, model, put_sbuf, sb, &at);
	char sum[17];

	snprintf(sum, sizeof(sum), "%016llx", (unsigned long long)h);
	memcpy(sb->buf + start + at, sum, 16);
}

void cli_digests_store(struct sg_ctx *ctx, const char key[65],
		       const struct sg_catalog *model)
{
	const char *path = cli_cache_file(ctx, ".models");
	struct sg_afile f;
	struct sg_arena *a;
	size_t at;
	uint64_t h;
	char sum[17];

	if (!path)
		return;
	if (sg_afile_open(&f, path, false) < 0) {
		sg_verbose("model digests: cannot write %s: %s", path, strerror(errno));
		return;
	}
	a = sg_arena_new();   /* the digests: dropped once written */
	h = digests_write(a, key, model, put_afile, &f, &at);
	sg_arena_free(a);
	snprintf(sum, sizeof(sum), "%016llx", (unsigned long long)h);
	sg_afile_patch(&f, at, sum, 16);
	if (sg_afile_commit(&f) < 0)
		sg_verbose("model digests: cannot write %s: %s", path, strerror(errno));
}

/* The header (hl + 65 + 17 bytes at data) for key: its body's hash; -1
 * when it is not one. */
static int digests_header(const char *data, const char key[65], uint64_t *sum)
{
	size_t hl = strlen(DIGESTS_HEADER);

	*sum = 0;
	if (memcmp(data, DIGESTS_HEADER, hl) != 0 || memcmp(data + hl, key, 64) != 0 ||
	    data[hl + 64] != '\n' || data[hl + 65 + 16] != '\n')
		return -1;
	return sg_hex64(data + hl + 65, sum) ? 0 : -1;
}

/*
 * Lines of the body (n bytes, whole lines) added to d, which has room for
 * them; -1 when one is malformed or out of order.
 */
static int digests_add(struct cli_digests *d, const char *body, size_t n)
{
	if (n % DIGEST_LINE != 0 || d->cap - d->n < n / DIGEST_LINE)
		return -1;
	for (size_t i = 0; i < n; i += DIGEST_LINE) {
		uint64_t v[NDIGEST] = { 0 };

		/* NDIGEST times 16 hex digits, each followed by a space, the
		 * last by a newline; ids ascending */
		for (size_t k = 0; k < NDIGEST; k++)
			if (!sg_hex64(body + i + 17 * k, &v[k]) ||
			    body[i + 17 * k + 16] != (k + 1 < NDIGEST ? ' ' : '\n'))
				return -1;
		if (d->n && d->v[d->n - 1].id >= v[0])
			return -1;
		d->v[d->n++] = (struct digest){ v[0], v[1], v[2], v[3], v[4] };
	}
	return 0;
}

static struct cli_digests *digests_new(struct sg_arena *a, size_t n)
{
	struct cli_digests *d = sg_alloc(a, sizeof(*d));

	d->cap = n;
	d->v = sg_alloc_array(a, n + 1, sizeof(*d->v));
	return d;
}

struct cli_digests *cli_digests_parse(struct sg_arena *a, const char *data,
				      size_t len, const char key[65])
{
	size_t hl = strlen(DIGESTS_HEADER) + 65 + 17, n;
	struct cli_digests *d;
	uint64_t sum;

	if (len < hl || digests_header(data, key, &sum) < 0)
		return NULL;
	n = len - hl;
	if (sg_hash64(data + hl, n) != sum || n % DIGEST_LINE != 0)
		return NULL;
	d = digests_new(a, n / DIGEST_LINE);
	return digests_add(d, data + hl, n) < 0 ? NULL : d;
}

struct cli_digests *cli_digests_load(struct sg_ctx *ctx, struct sg_arena *a,
				     const char key[65])
{
	/* pieces of whole lines */
	enum { PIECE = (SG_AFILE_BUFSIZE / DIGEST_LINE) * DIGEST_LINE };
	const char *path = cli_cache_file(ctx, ".models");
	size_t hl = strlen(DIGESTS_HEADER) + 65 + 17, n;
	struct cli_digests *d = NULL;
	struct stat st;
	uint64_t sum, h = SG_HASH64_INIT;
	char *buf;
	FILE *f;

	if (!path || !(f = fopen(path, "rbe")))
		return NULL;
	buf = xmalloc(PIECE);
	/* the file's size gives the number of lines (checked as they come) */
	if (fstat(fileno(f), &st) < 0 || st.st_size < (off_t)hl ||
	    (size_t)(st.st_size - (off_t)hl) % DIGEST_LINE != 0 ||
	    fread(buf, 1, hl, f) != hl || digests_header(buf, key, &sum) < 0)
		goto out;
	d = digests_new(a, (size_t)(st.st_size - (off_t)hl) / DIGEST_LINE);
	while ((n = fread(buf, 1, PIECE, f)) > 0) {
		h = sg_hash64_more(h, buf, n);
		if (digests_add(d, buf, n) < 0) {
			d = NULL;
			goto out;
		}
	}
	if (ferror(f) || h != sum || d->n != d->cap)
		d = NULL;
out:
	free(buf);
	fclose(f);
	return d;
}

/*
 * Diffing the catalog the model database holds against the YAML-loaded
 * models finds, besides the real changes, differences of form only: the
 * server's text (pg_get_constraintdef, a view's deparsed query) against
 * the models' fields.  An object whose model is what it was when the
 * database was brought to the models (its digest, sg_object_digest(), is
 * the one recorded then) is what the database holds: its changes are of
 * form and are dropped -- unless it depends (the database's pg_depend, as
 * introspected) on an object that changed, or is dropped, renamed or
 * created: a view over a changed table is made again, as a new database
 * would make it.  What the order adds around the changes kept (rebuilds
 * of dependents) it adds as for any migration.
 *
 * Grants and owners changed are made incrementally (GRANT, REVOKE, ALTER
 * ... OWNER TO, as a migration does; the catalog's grants are the
 * privileges in force, whoever granted them, so the order they were given
 * in does not show; `grants:` or `owner:` taken out: what a new database
 * gives, cli_modeldb_grants_default() and cli_modeldb_owners_default()),
 * except where a new database would hold something else (then a new
 * database is made): a schema's default privileges changed (objects made
 * before keep what they got), grants or an owner changed in a schema with
 * default privileges (what an object got from them depends on who made
 * it when), any change of global default privileges (the same, for every
 * schema).  Nor a change of a partition or of what it holds (the server
 * names and attaches a partition's indexes by what exists when it is
 * made), nor of a foreign partition or INHERITS child.
 */
/* The object's schema (or the schema) has default privileges, or the
 * database has global ones. */
static bool under_defacls(const struct sg_catalog *model, const struct sg_object *o)
{
	const char *schema = o->kind == SG_KIND_SCHEMA ? o->name : o->schema;

	if (model->nbykind[SG_KIND_DEFAULT_ACL])
		return true;
	for (size_t i = 0; i < model->nbykind[SG_KIND_SCHEMA]; i++) {
		const struct sg_schema *s = (const void *)model->bykind[SG_KIND_SCHEMA][i];

		if (s->ndefacls && schema && strcmp(s->obj.name, schema) == 0)
			return true;
	}
	return false;
}

/* The family an operator class names (FAMILY), in cat; NULL when none. */
static const struct sg_object *class_family(struct sg_arena *a,
					    const struct sg_catalog *cat,
					    const struct sg_object *o)
{
	const struct sg_opclass *c = (const struct sg_opclass *)o;
	const char *fs, *fn;

	if (o->kind != SG_KIND_OPCLASS || !c->family ||
	    sg_sql_split_name(a, c->family, &fs, &fn) != 2)
		return NULL;
	for (size_t i = 0; i < cat->nbykind[SG_KIND_OPFAMILY]; i++) {
		const struct sg_opfamily *f = (const void *)cat->bykind[SG_KIND_OPFAMILY][i];

		if (strcmp(f->obj.schema, fs) == 0 && strcmp(f->famname, fn) == 0 &&
		    strcmp(f->method, c->method) == 0)
			return &f->obj;
	}
	return NULL;
}

/*
 * An object's `grants:` taken out of the models: a new database has
 * PostgreSQL's defaults (sg_grants_default(); outside default privileges,
 * which rebuild), or for an object the empty database has (the public
 * schema: USAGE for PUBLIC) the grants it has there, so the objects
 * without `grants:` are given those for the diff, order and emit of the
 * incremental step, which then revoke what the model database still
 * holds.  An object whose grants never
 * were in its model holds the defaults already: no change.
 */
struct cli_saved_grants {
	size_t n;
	struct sg_object **objs;
};

struct cli_saved_grants *cli_modeldb_grants_default(struct sg_arena *a,
						    struct sg_catalog *model,
						    const struct sg_catalog *fresh)
{
	struct cli_saved_grants *s = sg_alloc(a, sizeof(*s));

	s->objs = sg_alloc_array(a, model->nobjs + 1, sizeof(*s->objs));
	for (size_t i = 0; i < model->nobjs; i++) {
		struct sg_object *o = model->objs[i];
		const struct sg_grant *g;
		const struct sg_object *f;
		size_t n;

		if (!o || o->has_acl || !sg_privileges_of(o) ||
		    under_defacls(model, o))
			continue;
		/* one the empty database has (the public schema): its grants */
		f = fresh ? sg_catalog_find(fresh, o->kind, o->schema,
					    o->parent ? o->parent->name : NULL,
					    o->name) : NULL;
		if (f && f->has_acl) {
			g = f->grants;
			n = f->ngrants;
		} else {
			sg_grants_default(o, &g, &n);
		}
		o->has_acl = true;
		o->grants = n ? sg_alloc_array(a, n, sizeof(*o->grants)) : NULL;
		if (n)
			memcpy(o->grants, g, n * sizeof(*g));
		o->ngrants = n;
		s->objs[s->n++] = o;
	}
	return s;
}

void cli_modeldb_grants_restore(struct cli_saved_grants *s)
{
	for (size_t i = 0; s && i < s->n; i++) {
		s->objs[i]->has_acl = false;
		s->objs[i]->grants = NULL;
		s->objs[i]->ngrants = 0;
	}
	if (s)
		s->n = 0;
}

struct cli_saved_owners {
	size_t n;
	struct sg_object **objs;
};

struct cli_saved_owners *cli_modeldb_owners_default(struct sg_arena *a,
						    struct sg_conn *c,
						    const struct cli_digests *dg,
						    struct sg_catalog *model,
						    const struct sg_catalog *fresh)
{
	struct cli_saved_owners *s = sg_alloc(a, sizeof(*s));
	const char *role = NULL;

	s->objs = sg_alloc_array(a, model->nobjs + 1, sizeof(*s->objs));
	for (size_t i = 0; i < model->nobjs; i++) {
		struct sg_object *o = model->objs[i];
		const struct sg_object *f;
		const struct digest *was;

		if (!o || o->owner || !sg_kind(o->kind)->owned ||
		    !(was = find(dg, identity(o))) || !was->ov)
			continue;
		f = fresh ? sg_catalog_find(fresh, o->kind, o->schema,
					    o->parent ? o->parent->name : NULL,
					    o->name) : NULL;
		if (f && f->owner) {
			o->owner = f->owner;
		} else {
			if (!role) {
				PGresult *res = sg_conn_query(c, "SELECT current_user",
							      0, NULL);

				if (!res) {
					cli_modeldb_owners_restore(s);
					return NULL;
				}
				role = sg_strdup(a, PQgetvalue(res, 0, 0));
				PQclear(res);
			}
			o->owner = role;
		}
		s->objs[s->n++] = o;
	}
	return s;
}

void cli_modeldb_owners_restore(struct cli_saved_owners *s)
{
	for (size_t i = 0; s && i < s->n; i++)
		s->objs[i]->owner = NULL;
	if (s)
		s->n = 0;
}

static bool in_partition(const struct sg_object *o)
{
	for (; o; o = o->parent) {
		if (o->kind == SG_KIND_TABLE && ((const struct sg_table *)o)->partition_of)
			return true;
		/* a foreign partition or INHERITS child: its parents' columns
		 * have no type in the models */
		if (o->kind == SG_KIND_FOREIGN_TABLE &&
		    (((const struct sg_table *)o)->partition_of ||
		     ((const struct sg_table *)o)->ninherits))
			return true;
	}
	return false;
}

const char *cli_modeldb_filter(struct sg_arena *a, const struct cli_digests *old,
			const struct sg_catalog *prev, const struct sg_catalog *model,
			struct sg_changes *changes)
{
	struct cli_digests *now = digests(a, model);
	size_t nheld;
	struct held *held = held_of(a, prev, &nheld);
	bool *fchg = sg_alloc_array(a, prev->nobjs + 1, sizeof(bool));
	bool *tchg = sg_alloc_array(a, model->nobjs + 1, sizeof(bool));
	bool again = true;
	size_t w = 0, nf = 0;

	for (size_t i = 0; i < model->nobjs; i++) {
		const struct sg_object *o = model->objs[i];
		const struct digest *was, *is;

		if (!o || !(was = find(old, identity(o))) || !(is = find(now, identity(o))))
			continue;
		if (was->dv != is->dv)
			return "default privileges changed";
		if ((was->gv != is->gv || was->ov != is->ov) && under_defacls(model, o))
			return "grants or an owner changed under default privileges";
	}
	/* global default privileges: what every object made after them holds */
	for (size_t i = 0; i < changes->n; i++)
		if (changes->v[i]->kind == SG_KIND_DEFAULT_ACL)
			return "global default privileges changed";

	for (size_t i = 0; i < prev->nobjs; i++) {
		const struct sg_object *o = prev->objs[i];
		const struct digest *was, *is;

		if (!o)
			continue;
		was = find(old, identity(o));
		is = find(now, identity(o));
		/* made by the server (not in the models): as its dependencies */
		if (was && (!is || is->dg != was->dg))
			fchg[o->id] = true;
	}
	while (again) {
		again = false;
		/* a relation dropped (or dropped to be made again) takes its
		 * indexes, constraints and triggers with it: they are made again */
		for (size_t i = 0; i < changes->n; i++) {
			const struct sg_change *c = changes->v[i];

			if (c->op != SG_OP_DROP || !c->from || !fchg[c->from->id] ||
			    !sg_kind_is_relation(c->from->kind))
				continue;
			for (size_t k = 0; k < prev->nobjs; k++)
				if (prev->objs[k] && prev->objs[k]->parent == c->from &&
				    !fchg[prev->objs[k]->id])
					fchg[prev->objs[k]->id] = again = true;
		}
		for (size_t i = 0; i < prev->ndeps; i++) {
			const struct sg_dep *dp = &prev->deps[i];

			if (fchg[dp->ref->id] && !fchg[dp->obj->id])
				fchg[dp->obj->id] = again = true;
		}
		/*
		 * A class made again in a family it names: the members
		 * PostgreSQL tied to the family although CREATE OPERATOR CLASS
		 * named them (cross-type ones) stay when the class is dropped,
		 * and are read as the family's loose members, where the models
		 * give them in the class: the family's change (dropping them)
		 * goes with it, and so do the other classes of the family,
		 * which tied theirs too (else the new CREATE OPERATOR CLASS
		 * meets them: "duplicate key", and a full rebuild every time).
		 */
		for (size_t k = 0; k < prev->nbykind[SG_KIND_OPCLASS]; k++) {
			const struct sg_object *c = prev->bykind[SG_KIND_OPCLASS][k];
			const struct sg_object *f = class_family(a, prev, c);

			if (!f)
				continue;
			if (fchg[c->id] && !fchg[f->id])
				fchg[f->id] = again = true;
			if (fchg[f->id] && !fchg[c->id])
				fchg[c->id] = again = true;
		}
	}
	for (size_t i = 0; i < model->nobjs; i++) {
		const struct sg_object *o = model->objs[i];
		const struct digest *was, *is;
		const struct held *h;
		uint64_t id;

		if (!o)
			continue;
		id = identity(o);
		was = find(old, id);
		is = find(now, id);
		h = held_find(held, nheld, id);
		tchg[o->id] = !was || !is || was->dg != is->dg ||
			      (h && fchg[prev->objs[h->idx]->id]);
	}
	for (size_t i = 0; i < changes->n; i++) {
		struct sg_change *c = changes->v[i];

		if ((c->from && fchg[c->from->id]) || (c->to && tchg[c->to->id])) {
			if (in_partition(c->from) || in_partition(c->to))
				return "a partition changed";
			changes->v[w++] = c;
		}
	}
	for (size_t i = 0; i < prev->nobjs; i++)
		nf += fchg[i];
	sg_verbose("model database: %zu of %zu changes are of objects that changed "
		   "(%zu of its objects)", w, changes->n, nf);
	changes->n = w;
	for (size_t i = 0; i < w; i++)
		changes->v[i]->id = (int)i;
	return NULL;
}
