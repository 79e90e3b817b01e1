// SPDX-License-Identifier: MIT
/*
 * current.c - `schemagen current [--verbose]`: the revisions the database
 * is at, marked (head) when no later revision exists.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "schemagen/conn.h"

int cmd_current(struct sg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
	const struct sg_cmd *cmd = cli_find("current");
	struct sg_revgraph g;
	struct sg_runner_opts o;
	struct sg_conn *conn;
	const char **cur;
	size_t ncur;
	int c;

	while ((c = cli_getopt(ctx, argc, argv, "", longopts, cmd)) != -1) {
		if (c == 'h')
			return EXIT_OK;
		if (c == '?')
			return EXIT_ERR;
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (cli_load_graph(ctx, &g) < 0)
		return EXIT_ERR;
	cli_runner_opts(ctx, &o);
	conn = cli_connect(ctx);
	if (!conn)
		return EXIT_ERR;
	if (runner_current(conn, &o, ctx->a, &cur, &ncur) < 0) {
		sg_conn_close(conn);
		return EXIT_ERR;
	}
	if (sg_verbosity > 0)
		printf("Current revision(s) for %s:\n", sg_conn_display(conn));
	sg_conn_close(conn);
	if (ncur == 0 && sg_verbosity > 0)
		printf("base (no revision applied)\n");
	for (size_t i = 0; i < ncur; i++) {
		struct sg_revision *r = NULL;
		bool head = false;

		for (size_t k = 0; k < g.n; k++)
			if (strcmp(g.revs[k]->id, cur[i]) == 0)
				r = g.revs[k];
		for (size_t k = 0; k < g.nheads; k++)
			head = head || g.heads[k] == r;
		if (!r)
			printf("%s (not in %s)\n", cur[i], ctx->cfg.migrations_dir);
		else if (sg_verbosity > 0)
			printf("Rev: %s%s\nPath: %s\n\n    %s\n\n", r->id,
			       head ? " (head)" : "", r->path, r->message);
		else
			printf("%s%s\n", r->id, head ? " (head)" : "");
	}
	return EXIT_OK;
}
