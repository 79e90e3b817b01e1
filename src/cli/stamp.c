// SPDX-License-Identifier: MIT
/*
 * stamp.c - `schemagen stamp REV`: records REV as applied without running
 * anything (adopting an existing database).
 */
#include "cli.h"
#include "schemagen/conn.h"

int cmd_stamp(struct sg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
	const struct sg_cmd *cmd = cli_find("stamp");
	struct sg_revgraph g;
	struct sg_runner_opts o;
	struct sg_conn *conn;
	const char *target;
	int c, rc;

	while ((c = cli_getopt(ctx, argc, argv, "", longopts, cmd)) != -1) {
		if (c == 'h')
			return EXIT_OK;
		if (c == '?')
			return EXIT_ERR;
	}
	if (optind >= argc)
		return cli_usage_error(cmd, "a revision is required (head, a revision, base)");
	target = argv[optind++];
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (cli_load_graph(ctx, &g) < 0)
		return EXIT_ERR;
	cli_runner_opts(ctx, &o);
	conn = cli_connect(ctx);
	if (!conn)
		return EXIT_ERR;
	rc = runner_stamp(conn, &g, target, &o);
	sg_conn_close(conn);
	return rc < 0 ? EXIT_ERR : EXIT_OK;
}
