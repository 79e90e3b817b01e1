// SPDX-License-Identifier: MIT
/*
 * revision.c - `schemagen revision -m MSG [--autogenerate] [--allow-empty]`:
 * a new migration file on top of the current heads.  With --autogenerate the
 * body is diff(database, models) both ways, and the database must be at the
 * heads first, as Alembic requires.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "schemagen/arena.h"
#include "schemagen/conn.h"
#include "schemagen/diff.h"
#include "schemagen/emit.h"
#include "schemagen/sbuf.h"

/* Same set of ids? (both sorted) */
static bool same_heads(const char *const *a, size_t na,
		       struct sg_revision *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]->id) != 0)
			return false;
	return true;
}

static void join_ids(struct sbuf *sb, const char *const *ids, size_t n)
{
	if (n == 0)
		sbuf_adds(sb, "base");
	for (size_t i = 0; i < n; i++)
		sbuf_addf(sb, "%s%s", i ? ", " : "", ids[i]);
}

int cmd_revision(struct sg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "message", required_argument, NULL, 'm' },
		{ "autogenerate", no_argument, NULL, 'a' },
		{ "allow-empty", no_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 },
	};
	const struct sg_cmd *cmd = cli_find("revision");
	const char *message = NULL;
	bool autogen = false, allow_empty = false;
	struct sg_revgraph g;
	struct sg_script up = { 0 }, down = { 0 };
	const char **parents;
	size_t nparents;
	char *path;
	int c;

	while ((c = cli_getopt(ctx, argc, argv, "m:", longopts, cmd)) != -1) {
		switch (c) {
		case 0: break;
		case 'h': return EXIT_OK;
		case '?': return EXIT_ERR;
		case 'm': message = optarg; break;
		case 'a': autogen = true; break;
		case 'e': allow_empty = true; break;
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (!message || !*message)
		return cli_usage_error(cmd, "a message is required (-m \"add status to orders\")");
	if (cli_load_graph(ctx, &g) < 0)
		return EXIT_ERR;
	if (g.nheads > 1) {
		struct sbuf sb = SBUF_INIT;

		for (size_t i = 0; i < g.nheads; i++)
			sbuf_addf(&sb, " %s", g.heads[i]->id);
		sg_error("the migrations have %zu heads:%s", g.nheads, sb.buf);
		sg_hint("join them first: schemagen merge -m \"merge heads\"%s", sb.buf);
		sbuf_release(&sb);
		return EXIT_ERR;
	}
	nparents = g.nheads;
	parents = sg_alloc_array(ctx->a, nparents + 1, sizeof(*parents));
	for (size_t i = 0; i < nparents; i++)
		parents[i] = g.heads[i]->id;

	if (autogen) {
		struct sg_conn *conn = cli_connect(ctx);
		struct sg_runner_opts o;
		const char **cur;
		size_t ncur;
		struct sg_catalog *live, *desired;
		struct sg_changes changes = { 0 };
		int rc;

		if (!conn)
			return EXIT_ERR;
		cli_runner_opts(ctx, &o);
		if (runner_current(conn, &o, ctx->a, &cur, &ncur) < 0) {
			sg_conn_close(conn);
			return EXIT_ERR;
		}
		if (!same_heads(cur, ncur, g.heads, g.nheads)) {
			struct sbuf a = SBUF_INIT, b = SBUF_INIT;

			join_ids(&a, cur, ncur);
			join_ids(&b, parents, nparents);
			sg_error("target database is not up to date: it is at %s, the migrations "
				 "head is %s", a.buf, b.buf);
			sg_hint("run `schemagen upgrade head` first, then autogenerate");
			sbuf_release(&a);
			sbuf_release(&b);
			sg_conn_close(conn);
			return EXIT_ERR;
		}
		rc = cli_introspect(ctx, conn, &live);
		sg_conn_close(conn);
		if (rc < 0 || cli_desired(ctx, &desired) < 0)
			return EXIT_ERR;
		if (cli_plan(ctx, live, desired, &up, &down, &changes) < 0)
			return EXIT_ERR;
		if (up.n == 0 && !allow_empty) {
			sg_info("No changes in schema detected; no revision written.");
			return EXIT_OK;
		}
		for (size_t i = 0; i < changes.n; i++) {
			struct sbuf sb = SBUF_INIT;

			emit_describe(&sb, changes.v[i]);
			sg_verbose("%s", sb.buf);
			sbuf_release(&sb);
		}
	}
	path = store_write(ctx->a, ctx->cfg.migrations_dir, store_new_id(ctx->a),
			   parents, nparents, message, &up, &down);
	if (!path)
		return EXIT_ERR;
	sg_info("Generated %s", path);
	return EXIT_OK;
}
