// SPDX-License-Identifier: MIT
/*
 * current.c - `schemagen current [--verbose]`: the revisions the database
 * is at, marked (head) when no later revision exists.  With --verbose each
 * one's parents, branch labels, file, message, when and by whom it was
 * applied, and whether its file is still the one applied.
 *
 * The integrity problems that stop upgrade (a head the migrations
 * directory does not know, an applied file changed since) are reported on
 * stderr after the list, and make the exit code 1: the list is still
 * printed, so a deploy script can show where the database is, but a
 * script that checks the exit code does not go on as if all were well.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "schemagen/json.h"
#include "schemagen/conn.h"
#include "schemagen/sbuf.h"

static void print_verbose(struct sg_ctx *ctx, const struct sg_revision *r,
			  const struct sg_db_state *st, bool changed)
{
	const struct sg_applied *ap = runner_applied(st, r->id);

	printf("Rev: %s%s\n", cli_rev_name(ctx, r), r->nchildren ? "" : " (head)");
	printf("Parent:");
	if (!r->nparents)
		printf(" <base>");
	for (size_t i = 0; i < r->nparents; i++)
		printf("%s %s", i ? "," : "", r->parents[i]);
	printf("\n");
	if (r->ndepends_on) {
		printf("Also depends on:");
		for (size_t i = 0; i < r->ndepends_on; i++)
			printf("%s %s", i ? "," : "", r->depends_on[i]);
		printf("\n");
	}
	if (r->nchildren) {
		printf("Head: no, later revisions:");
		for (size_t i = 0; i < r->nchildren; i++)
			printf("%s %s", i ? "," : "", r->children[i]->id);
		printf("\n");
	} else {
		printf("Head: yes\n");
	}
	printf("Path: %s\n", r->path);
	if (ap) {
		printf("Applied: %s by %s (%s", ap->at, sg_qt(ctx->a, ap->by), ap->direction);
		if (ap->duration_ms >= 0)
			printf(", %lld ms", ap->duration_ms);
		printf(")\n");
	} else {
		printf("Applied: not recorded (an ancestor of a stamped revision)\n");
	}
	if (changed)
		printf("Checksum: sha256:%s, CHANGED since it was applied (recorded: sha256:%s)\n",
		       r->checksum, ap ? ap->checksum : "?");
	else if (ap && ap->checksum)
		printf("Checksum: sha256:%s (as applied)\n", r->checksum);
	else
		printf("Checksum: sha256:%s (none recorded)\n", r->checksum);
	printf("\n    %s\n\n", sg_qt(ctx->a, r->message));
}

int cmd_current(struct sg_ctx *ctx, int argc, char **argv)
{
	const struct sg_cmd *cmd = cli_find("current");
	struct sg_revgraph g;
	struct sg_runner_opts o;
	struct sg_db_state st;
	struct sg_conn *conn;
	int c;

	if ((c = cli_no_options(ctx, argc, argv, cmd)) >= 0)
		return c;
	if (cli_load_graph(ctx, &g) < 0)
		return EXIT_ERR;
	cli_runner_opts(ctx, &o);
	conn = cli_connect(ctx);
	if (!conn)
		return EXIT_ERR;
	if (runner_state(conn, &g, &o, ctx->a, &st) < 0) {
		sg_conn_close(conn);
		return EXIT_ERR;
	}
	if (ctx->json) {
		bool *applied = cli_applied_marks(ctx, &g, &st);

		sg_json_str(ctx->json, "database", sg_conn_display(conn));
		sg_conn_close(conn);
		sg_json_arr(ctx->json, "current");
		for (size_t i = 0; i < st.nheads; i++) {
			struct sg_revision *r = cli_revision_by_id(&g, st.heads[i]);

			if (r)
				cli_json_rev(ctx, NULL, r, &st, applied);
		}
		sg_json_end(ctx->json);
		cli_json_ids(ctx->json, "unknown", st.unknown, st.nunknown);
		sg_json_arr(ctx->json, "changed");
		for (size_t i = 0; i < st.nchanged; i++)
			sg_json_str(ctx->json, NULL, st.changed[i]->id);
		sg_json_end(ctx->json);
		sg_json_arr(ctx->json, "pending");
		for (size_t i = 0; i < g.n; i++)
			if (!applied[i])
				sg_json_str(ctx->json, NULL, g.revs[i]->id);
		sg_json_end(ctx->json);
		return runner_report_problems(&st, &g, NULL) ? EXIT_DIFF : EXIT_OK;
	}
	if (sg_verbosity > 0)
		printf("Current revision(s) for %s:\n", sg_conn_display(conn));
	sg_conn_close(conn);
	if (st.nheads == 0 && sg_verbosity > 0)
		printf("base (no revision applied)\n");
	for (size_t i = 0; i < st.nheads; i++) {
		struct sg_revision *r = cli_revision_by_id(&g, st.heads[i]);
		bool changed = false;

		for (size_t k = 0; r && k < st.nchanged; k++)
			changed = changed || st.changed[k] == r;
		if (!r)
			printf("%s (not in %s)\n", st.heads[i], ctx->cfg.migrations_dir);
		else if (sg_verbosity > 0)
			print_verbose(ctx, r, &st, changed);
		else
			printf("%s%s%s\n", cli_rev_name(ctx, r), r->nchildren ? "" : " (head)",
			       changed ? " (changed since it was applied)" : "");
	}
	fflush(stdout);
	return runner_report_problems(&st, &g, NULL) ? EXIT_DIFF : EXIT_OK;
}
