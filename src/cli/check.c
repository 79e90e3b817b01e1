// SPDX-License-Identifier: MIT
/*
 * check.c - `schemagen check`: exit 0 when models, migrations and database
 * agree, 1 with a readable list of each difference when they do not.  With
 * a database configured it compares the database (which must be at the
 * migrations' head) with the models; without one it replays every
 * migration into a scratch database and compares that with the models: the
 * CI check that needs no server.
 *
 * Besides schema differences it lists: several heads (with the merge
 * command that joins them), pending revisions, and the database's
 * integrity problems: a revision the directory does not know, an applied
 * file changed since it was applied (each with how to fix it).
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "schemagen/json.h"
#include "schemagen/arena.h"
#include "schemagen/conn.h"
#include "schemagen/diff.h"
#include "schemagen/emit.h"
#include "schemagen/order.h"
#include "schemagen/pgconn.h"
#include "schemagen/sbuf.h"

int cmd_check(struct sg_ctx *ctx, int argc, char **argv)
{
	enum { OPT_LINT = 0x300, OPT_ROUNDTRIP };
	static const struct option longopts[] = {
		{ "lint", no_argument, NULL, OPT_LINT },
		{ "roundtrip", no_argument, NULL, OPT_ROUNDTRIP },
		{ NULL, 0, NULL, 0 },
	};
	const struct sg_cmd *cmd = cli_find("check");
	struct sg_revgraph g;
	struct sg_catalog *live, *desired;
	struct sg_changes changes = { 0 };
	struct sg_diags d;
	int problems = 0, c, lint = -1;
	bool roundtrip = false, threaded = false;
	struct cli_bg bg;
	int rc;
	const char *against;
	struct sg_conn *target = NULL;
	SG_VEC(const char *) pending = { 0 };

	while ((c = cli_getopt(ctx, argc, argv, "", longopts, cmd)) != -1) {
		if (c == 'h')
			return EXIT_OK;
		if (c == '?')
			return EXIT_ERR;
		if (c == OPT_LINT)
			lint = 1;
		else if (c == OPT_ROUNDTRIP)
			roundtrip = true;
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (cli_load_graph(ctx, &g) < 0)
		return EXIT_ERR;
	if (lint < 0)
		lint = ctx->cfg.lint;
	if (roundtrip) {
		c = cli_roundtrip(ctx, &g);
		if (c == EXIT_ERR)
			return c;
		problems += c == EXIT_DIFF;
	}
	if (lint) {
		c = cli_lint_pending(ctx, &g);
		if (c == EXIT_ERR)
			return c;
		problems += c == EXIT_DIFF;
	}
	if (g.nheads > 1) {
		struct sbuf sb = SBUF_INIT;

		for (size_t i = 0; i < g.nheads; i++)
			sbuf_addf(&sb, " %s", g.heads[i]->id);
		cli_problem(ctx, "multiple_heads",
			    sg_printf(ctx->a, "schemagen merge -m \"merge heads\"%s", sb.buf),
			    "migrations have %zu heads:%s\n", g.nheads, sb.buf);
		sbuf_release(&sb);
		problems++;
	}
	if (cli_has_target(ctx)) {
		struct sg_conn *conn = cli_connect(ctx);
		struct sg_runner_opts o;
		struct sg_db_state st;
		bool *applied;

		if (!conn)
			return EXIT_ERR;
		cli_runner_opts(ctx, &o);
		if (runner_state(conn, &g, &o, ctx->a, &st) < 0) {
			sg_conn_close(conn);
			return EXIT_ERR;
		}
		applied = sg_alloc_array(ctx->a, g.n + 1, sizeof(bool));
		for (size_t k = 0; k < st.nheads; k++) {
			struct sg_revision *h = cli_revision_by_id(&g, st.heads[k]);

			if (h)
				cli_mark_ancestors(h, applied);
		}
		for (size_t k = 0; k < st.nunknown; k++) {
			const struct sg_applied *ap = runner_applied(&st, st.unknown[k]);

			cli_problem(ctx, "unknown_revision",
				    "restore its file, or record where the database really is: "
				    "schemagen stamp --purge REV",
				    "database is at revision %s, which is not in %s%s\n",
				    st.unknown[k], ctx->cfg.migrations_dir,
				    ap ? sg_printf(ctx->a, " (%s %s by %s)", ap->direction, ap->at, sg_qt(ctx->a, ap->by)) : "");
			problems++;
		}
		for (size_t k = 0; k < st.nchanged; k++) {
			const struct sg_revision *r = st.changed[k];
			const struct sg_applied *ap = runner_applied(&st, r->id);

			cli_problem(ctx, "changed_revision",
				    sg_printf(ctx->a, "restore the file as applied, or accept it: "
					      "schemagen upgrade %s --accept-changed %s",
					      st.nheads ? st.heads[0] : "head", r->id),
				    "revision %s (%s) was changed after it was applied (%s %s by %s)\n",
				    r->id, r->path, ap->direction, ap->at, sg_qt(ctx->a, ap->by));
			problems++;
		}
		for (size_t i = 0; i < g.n; i++)
			if (!applied[i]) {
				cli_problem(ctx, "pending_revision", NULL, "pending revision %s, %s\n",
					    g.revs[i]->id, sg_qt(ctx->a, g.revs[i]->message));
				SG_VEC_PUSH(ctx->a, &pending, g.revs[i]->id);
				problems++;
			}
		/* both sides at once: the database on a thread of its own */
		cli_introspect_start(ctx, conn, &bg);
		threaded = true;
		target = conn;  /* for the roles, once the models are read */
		against = "database";
	} else {
		if (cli_replayed(ctx, &g, &live) < 0)
			return EXIT_ERR;
		against = "migrations";
	}
	/* replayed, linted: the migrations' texts and statements are not
	 * needed beside the models and the two catalogs */
	store_drop_bodies(&g);
	rc = cli_desired(ctx, &desired);
	if (threaded && cli_introspect_join(ctx, &bg, &live) < 0)
		rc = -1;
	if (rc == 0 && target && cli_running_role_grants(ctx, target, desired) < 0)
		rc = -1;
	if (rc < 0) {
		sg_conn_close(target);
		return EXIT_ERR;
	}
	/* roles the models name that the database lacks */
	for (size_t i = 0; target && i < ctx->nroles; i++) {
		const char *params[] = { ctx->roles[i] };
		PGresult *res = sg_conn_query(target, "SELECT 1 FROM pg_catalog.pg_roles "
					      "WHERE rolname = $1", 1, params);

		if (!res) {
			sg_conn_close(target);
			return EXIT_ERR;
		}
		if (PQntuples(res) == 0) {
			cli_problem(ctx, "missing_role",
				    sg_printf(ctx->a, "CREATE ROLE %s NOLOGIN; (with the attributes and "
					      "memberships it needs)",
					      sg_qt(ctx->a, sg_qi(ctx->a, ctx->roles[i]))),
				    "role %s, which the models name, does not exist in the database\n",
				    sg_qt(ctx->a, ctx->roles[i]));
			problems++;
		}
		PQclear(res);
	}
	sg_conn_close(target);
	cli_owners(desired, live);
	sg_diags_init(&d, ctx->a);
	if (diff_catalogs(ctx->a, live, desired, &changes, &d) < 0)
		sg_diags_print(&d);
	{
		struct sbuf list = SBUF_INIT;
		size_t n = 0;

		if (ctx->json) {
			sg_json_str(ctx->json, "against", against);
			cli_json_ids(ctx->json, "pending", pending.v, pending.n);
			sg_json_arr(ctx->json, "differences");
		}
		for (size_t i = 0; i < changes.n; i++) {
			struct sbuf sb = SBUF_INIT;
			const struct sg_change *ch = changes.v[i];

			/* a new or dropped table's children go without saying,
			 * nor does the OWNED BY that follows a new sequence */
			if (!cli_change_visible(&changes, ch))
				continue;
			emit_describe(&sb, ch);
			if (sb.len) {
				if (ctx->json)
					cli_json_change(ctx, ch, sb.buf);
				else
					sbuf_addf(&list, "  %s\n", sg_qt(ctx->a, sb.buf));
				n++;
			}
			sbuf_release(&sb);
		}
		if (ctx->json)
			sg_json_end(ctx->json);
		if (n && ctx->json) {
			struct sg_plan plan = { 0 };
			struct sg_script up = { 0 };
			struct sg_diags od;

			sg_diags_init(&od, ctx->a);
			if (order_changes(ctx->a, live, desired, &changes, &plan, &od) == 0) {
				emit_plan(ctx->a, &plan, &up);
				cli_json_hazards(ctx->json, "hazards", &up);
			}
		} else if (ctx->json) {
			cli_json_hazards(ctx->json, "hazards", NULL);
		} else if (n) {
			struct sg_plan plan = { 0 };
			struct sg_script up = { 0 };
			struct sg_diags od;

			printf("%s and models differ (%zu change%s for `schemagen revision "
			       "--autogenerate`):\n%s", against, n, n == 1 ? "" : "s", list.buf);
			fflush(stdout);
			/* what the revision that makes them agree would do */
			sg_diags_init(&od, ctx->a);
			if (order_changes(ctx->a, live, desired, &changes, &plan, &od) == 0) {
				emit_plan(ctx->a, &plan, &up);
				cli_hazard_summary(&up, "`schemagen diff`");
			}
		}
		sbuf_release(&list);
		problems += (int)n + d.nerrors;
	}
	if (ctx->json) {
		cli_json_problems(ctx);
		sg_json_bool(ctx->json, "in_sync", problems == 0);
	}
	if (problems)
		return EXIT_DIFF;
	if (strcmp(against, "database") == 0)
		sg_info("No differences: the database is at the head and matches the models.");
	else
		sg_info("No differences: the migrations, replayed into a scratch database, "
			"match the models.");
	return EXIT_OK;
}
