// SPDX-License-Identifier: MIT
/*
 * replay.c - the migrations replayed for `check` without a database,
 * incrementally.
 *
 * Two levels, each a fallback of the one before:
 *  1. The catalog read back last time (cache.c, <project>.replay), keyed
 *     by the chain of revisions (every revision's id, parents and file
 *     checksum, in graph order) and the environment key of the model cache
 *     (schemagen's version and binary, schemagen.yaml, the scratch server
 *     and its settings).  An unchanged chain touches no database beyond the
 *     key's query.
 *  2. The replay database, kept between runs on the scratch server (the
 *     embedded one or dev_url): sg_replay_<project>_<8 hex digits>, named
 *     from the project folder as its embedded database is.  It carries its
 *     own version and history tables, so the runner brings it from where
 *     it is to the heads, applying only the revisions added since.  Its
 *     database comment records what it was left as: "schemagen replay
 *     database <environment key> <catalog fingerprint> <server version>
 *     <hostid> <project folder>" (the server's server_version_num, 6
 *     digits; hostid as scratch databases have it), the fingerprint
 *     being a SHA-256 of the row count and the sum of xmin of every
 *     per-database system catalog (pg_statistic and large objects aside),
 *     which any DDL run there since changes (an insert or update gives
 *     rows a new xmin, a delete lowers a count).
 *
 * It is dropped and every migration replayed into a new one, silently
 * (-v says why), when: there is none yet; the comment is not ours or
 * names another environment (schemagen or the server changed); the
 * fingerprint differs (altered from outside, or a replay that stopped
 * part-way); a revision applied there is no longer in the migrations or
 * its file changed; the revisions applied there are not the first ones of
 * the graph's order (a new revision sorts before one replayed already: a
 * full replay would apply them in another order); applying the new
 * revisions fails (their errors are kept back; the full replay reports
 * them, at their file and line, when they are the migrations' own);
 * --no-cache.  Two runs for one project serialise on an advisory lock
 * held on the scratch server's admin connection.  Making one drops the
 * replay databases of this host (hostid) whose project folder is gone,
 * as the cache files of such folders are deleted.
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
#include "schemagen/embedded.h"
#include "schemagen/model.h"
#include "schemagen/pgconn.h"
#include "schemagen/quote.h"
#include "schemagen/runner.h"
#include "schemagen/sbuf.h"
#include "schemagen/store.h"
#include "schemagen/util.h"

#define COMMENT_PREFIX "schemagen replay database "

/* sg_replay_<folder>_<8 hex digits>: the project's embedded database name */
static const char *replay_dbname(struct sg_ctx *ctx)
{
	const char *e = cli_embedded_dbname(ctx);

	if (!e || strncmp(e, "schemagen_", 10) != 0)
		return NULL;
	return sg_printf(ctx->a, "sg_replay_%s", e + 10);
}

/* What the replayed state depends on of the migrations. */
static void chain_digest(const struct sg_revgraph *g, char out[65])
{
	struct sbuf sb = SBUF_INIT;

	sbuf_adds(&sb, "replayed migrations\n");
	for (size_t i = 0; i < g->n; i++) {
		const struct sg_revision *r = g->revs[i];

		sbuf_addf(&sb, "%s %s", r->id, r->checksum);
		for (size_t k = 0; k < r->nparents; k++)
			sbuf_addf(&sb, " %s", r->parents[k]);
		sbuf_addch(&sb, '\n');
	}
	sg_sha256_hex(sb.buf, sb.len, out);
	sbuf_release(&sb);
}

/* The catalog fingerprint (see the top); -1 after printing a query error. */
int cli_catalog_fingerprint(struct sg_conn *c, char out[65])
{
	static const char query[] =
		"SELECT c.relname::text, (pg_catalog.xpath('/row/f/text()', "
		" pg_catalog.query_to_xml(pg_catalog.format("
		"  'SELECT pg_catalog.count(*) || '':'' || "
		"   COALESCE(pg_catalog.sum(xmin::text::bigint), 0) AS f FROM %s', "
		"  c.oid::regclass), false, true, '')))[1]::text "
		"FROM pg_catalog.pg_class c "
		"WHERE c.relnamespace = 'pg_catalog'::regnamespace AND c.relkind = 'r' "
		" AND NOT c.relisshared AND c.relname NOT IN "
		" ('pg_statistic', 'pg_statistic_ext_data', 'pg_largeobject') "
		"ORDER BY c.relname::text COLLATE \"C\"";
	PGresult *res = sg_conn_query(c, query, 0, NULL);
	struct sbuf sb = SBUF_INIT;

	if (!res)
		return -1;
	for (int i = 0; i < PQntuples(res); i++)
		sbuf_addf(&sb, "%s=%s\n", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
	PQclear(res);
	sg_sha256_hex(sb.buf ? sb.buf : "", sb.len, out);
	sbuf_release(&sb);
	return 0;
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

/* Drops this host's replay databases whose project folder is gone. */
static void prune(struct sg_ctx *ctx, struct sg_scratch *srv, const char *host)
{
	PGresult *res = sg_conn_query(srv->admin, "SELECT datname, "
		"pg_catalog.shobj_description(oid, 'pg_database') "
		"FROM pg_catalog.pg_database WHERE datname LIKE 'sg\\_replay\\_%' "
		"ORDER BY 1", 0, NULL);
	size_t pl = strlen(COMMENT_PREFIX);

	if (!res)
		return;
	for (int i = 0; i < PQntuples(res); i++) {
		size_t skip = pl + 2 * 65 + 7;   /* "<env> <fp> <version> " */
		const char *cm = PQgetvalue(res, i, 1), *dir = cm + skip + 9;
		struct stat st;

		if (strncmp(cm, COMMENT_PREFIX, pl) != 0 || strlen(cm) <= skip + 9 ||
		    strncmp(cm + skip, host, 8) != 0 || dir[-1] != ' ' ||
		    dir[0] != '/' || stat(dir, &st) == 0 || errno != ENOENT)
			continue;
		sg_verbose("replay database %s: removed (%s is gone)",
			   sg_qt(ctx->a, PQgetvalue(res, i, 0)), sg_qt(ctx->a, dir));
		exec_named(srv->admin, "DROP DATABASE IF EXISTS ", PQgetvalue(res, i, 0),
			   " WITH (FORCE)");
	}
	PQclear(res);
}

/* Drops and makes the replay database again; its connection, or NULL. */
static struct sg_conn *fresh_db(struct sg_ctx *ctx, struct sg_scratch *srv,
				const char *name)
{
	char host[9];

	sg_scratch_host_id(host);
	prune(ctx, srv, host);
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
	return sg_conn_open(sg_conninfo_with_db(ctx->a, srv->admin_conninfo, name));
}

/*
 * Runs the upgrade to the heads; with `quiet`, what it says on stderr is
 * held back and only shown when it succeeded (warnings) or with -v.
 */
static int upgrade(struct sg_ctx *ctx, struct sg_conn *c,
		   const struct sg_revgraph *g, bool quiet)
{
	struct sg_runner_opts o;
	int saved = sg_verbosity, fd = -1, rc;
	FILE *tmp = NULL;

	cli_runner_opts(ctx, &o);
	o.keep_secret_placeholders = true;   /* a replay database */
	if (quiet && (tmp = tmpfile()) != NULL) {
		fflush(stderr);
		fd = dup(STDERR_FILENO);
		if (fd < 0 || dup2(fileno(tmp), STDERR_FILENO) < 0) {
			if (fd >= 0)
				close(fd);
			fd = -1;
		}
	}
	if (sg_verbosity < 1)
		sg_verbosity = -1;   /* the replay's progress is noise here */
	rc = runner_upgrade(c, g, "heads", &o);
	sg_verbosity = saved;
	if (fd >= 0) {
		char buf[4096];
		size_t n;

		fflush(stderr);
		dup2(fd, STDERR_FILENO);
		close(fd);
		if (rc == 0 || sg_verbosity >= 1) {
			rewind(tmp);
			while ((n = fread(buf, 1, sizeof(buf), tmp)) > 0)
				fwrite(buf, 1, n, stderr);
		}
	}
	if (tmp)
		fclose(tmp);
	return rc;
}

/*
 * Why the replay database cannot be brought up to date incrementally, or
 * NULL when it can (*pending: how many revisions that applies).
 */
static const char *stale(struct sg_ctx *ctx, struct sg_conn *c,
			 const struct sg_revgraph *g, const char *want_fp,
			 size_t *pending)
{
	struct sg_runner_opts o;
	struct sg_db_state st;
	char fp[65];
	bool *applied;
	size_t last = 0, napplied = 0;


	if (cli_catalog_fingerprint(c, fp) < 0)
		return "its catalog could not be read";
	if (strcmp(fp, want_fp) != 0)
		return "it was altered since the last check (or a replay stopped part-way)";
	cli_runner_opts(ctx, &o);
	if (runner_state(c, g, &o, ctx->a, &st) < 0)
		return "its version table could not be read";
	if (st.nunknown)
		return sg_printf(ctx->a, "revision %s, replayed there, is no longer in %s",
				 st.unknown[0], ctx->cfg.migrations_dir);
	if (st.nchanged)
		return sg_printf(ctx->a, "revision %s (%s) changed since it was replayed",
				 st.changed[0]->id, st.changed[0]->path);
	applied = sg_alloc_array(ctx->a, g->n + 1, sizeof(*applied));
	for (size_t i = 0; i < st.nheads; i++) {
		struct sg_revision *h = cli_revision_by_id(g, st.heads[i]);

		if (h)
			cli_mark_ancestors(h, applied);
	}
	/* a full replay applies the graph's order: the applied ones first */
	for (size_t i = 0; i < g->n; i++)
		if (applied[i]) {
			napplied++;
			last = i + 1;
		}
	for (size_t i = 0; i < last; i++)
		if (!applied[i])
			return sg_printf(ctx->a, "the history diverged: revision %s "
					 "sorts before revisions replayed already",
					 g->revs[i]->id);
	*pending = g->n - napplied;
	return NULL;
}

int cli_replayed(struct sg_ctx *ctx, struct sg_revgraph *g,
		 struct sg_catalog **out)
{
	struct sg_scratch srv;
	struct sg_conn *c = NULL;
	struct sg_catalog *cat;
	char chain[65], key[65], env[65], fp[65];
	const char *name, *why = NULL, *params[2], *tail;
	char host[9];
	bool keyed;
	size_t pending = 0;
	PGresult *res;
	int rc = -1;

	if (cli_load_config(ctx) < 0 || !(name = replay_dbname(ctx)))
		return -1;
	if (sg_scratch_server(ctx->a, &ctx->cfg, &srv) < 0)
		return -1;
	chain_digest(g, chain);
	keyed = cli_cache_key(ctx, &srv, chain, key) == 0;
	if (!ctx->no_cache && keyed && (cat = cli_replay_cache_load(ctx, key)) != NULL) {
		*out = cat;
		rc = 0;
		goto out;
	}
	if (cli_cache_key(ctx, &srv, "replay database", env) < 0)
		goto out;
	sg_scratch_host_id(host);
	tail = sg_printf(ctx->a, " %s %s", host, ctx->project_dir);
	/* one run per project at a time (advisory locks are per database:
	 * every run's admin connection is to the same one) */
	params[0] = sg_printf(ctx->a, "%lld", (long long)sg_hash64(name, strlen(name)));
	res = sg_conn_query(srv.admin, "SELECT pg_catalog.pg_advisory_lock($1::bigint)",
			    1, params);
	if (!res)
		goto out;
	PQclear(res);
	params[0] = name;
	res = sg_conn_query(srv.admin, "SELECT pg_catalog.shobj_description(oid, "
			    "'pg_database') FROM pg_catalog.pg_database "
			    "WHERE datname = $1", 1, params);
	if (!res)
		goto out;
	if (ctx->no_cache) {
		why = "--no-cache";
	} else if (PQntuples(res) == 0) {
		why = "none yet";
	} else {
		const char *cm = PQgetisnull(res, 0, 0) ? "" : PQgetvalue(res, 0, 0);
		size_t pl = strlen(COMMENT_PREFIX);

		/* "<env> <fp> <version> <tail>" */
		if (strncmp(cm, COMMENT_PREFIX, pl) != 0 || strlen(cm) <= pl + 136 ||
		    cm[pl + 64] != ' ' || cm[pl + 129] != ' ' ||
		    strcmp(cm + pl + 136, tail) != 0)
			why = "it is not one schemagen finished for this project";
		else if ((why = cli_record_version_check(ctx, srv.admin,
							 cm + pl + 130)) != NULL)
			;
		else if (memcmp(cm + pl, env, 64) != 0)
			why = "schemagen, schemagen.yaml or the scratch server changed";
		else {
			memcpy(fp, cm + pl + 65, 64);
			fp[64] = '\0';
		}
	}
	PQclear(res);
	if (!why) {
		c = sg_conn_open(sg_conninfo_with_db(ctx->a, srv.admin_conninfo, name));
		if (!c)
			why = "it could not be connected to";
		else
			why = stale(ctx, c, g, fp, &pending);
	}
	/* the migrations set owners and grant to the roles the models (and the
	 * migrations) name */
	if ((!why && pending) || (why && g->n)) {
		if (cli_replay_roles(ctx, &srv, g) < 0)
			goto out;
	}
	if (!why) {
		sg_verbose("replay database %s: %zu of %zu revisions replayed already, "
			   "applying %zu", name, g->n - pending, g->n, pending);
		if (pending && upgrade(ctx, c, g, true) < 0)
			why = "applying the new revisions failed";
	}
	if (why) {
		sg_verbose("replay database %s: %s; replaying every migration", name, why);
		sg_conn_close(c);
		c = fresh_db(ctx, &srv, name);
		if (!c)
			goto out;
		if (g->n && upgrade(ctx, c, g, false) < 0) {
			sg_conn_close(c);
			c = NULL;
			exec_named(srv.admin, "DROP DATABASE IF EXISTS ", name, " WITH (FORCE)");
			goto out;
		}
	}
	/* replayed: the statements are not needed beside the catalog */
	store_drop_bodies(g);
	if (cli_introspect(ctx, c, &cat) < 0 || cli_catalog_fingerprint(c, fp) < 0)
		goto out;
	{
		struct sbuf sb = SBUF_INIT;
		const char *cm = sg_printf(ctx->a, COMMENT_PREFIX "%s %s %s%s", env, fp,
					   cli_record_version(ctx, srv.admin), tail);

		sbuf_adds(&sb, "COMMENT ON DATABASE ");
		sg_quote_ident(&sb, name);
		sbuf_adds(&sb, " IS ");
		sg_quote_literal(&sb, cm);
		rc = sg_conn_exec(srv.admin, sb.buf);
		sbuf_release(&sb);
		if (rc < 0)
			goto out;
	}
	if (keyed)
		cli_replay_cache_store(ctx, key, cat);
	*out = cat;
	rc = 0;
out:
	sg_conn_close(c);
	sg_scratch_close(&srv);
	return rc;
}
