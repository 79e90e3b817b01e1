// SPDX-License-Identifier: MIT
/*
 * stamp.c - `schemagen stamp REV [--purge] [--sql]`: records REV as applied
 * without running anything (adopting an existing database, or telling
 * schemagen where a database really is).  --purge empties the version
 * table first, whatever it holds (revisions this directory does not know
 * included).
 */
#include <stdio.h>

#include "cli.h"
#include "schemagen/arena.h"
#include "schemagen/conn.h"

int cmd_stamp(struct sg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "purge", no_argument, NULL, OPT_PURGE },
		{ "sql", no_argument, NULL, OPT_SQL },
		{ "lock-wait", required_argument, NULL, OPT_LOCK_WAIT },
		{ NULL, 0, NULL, 0 },
	};
	const struct sg_cmd *cmd = cli_find("stamp");
	struct { int c; const char *arg; } *flags;
	size_t nflags = 0;
	struct sg_revgraph g;
	struct sg_runner_opts o;
	struct sg_conn *conn = NULL;
	const char *target;
	bool sql = false;
	int c, rc;
	struct sg_run_report rep = { .arena = ctx->a };
	FILE *sqlf = NULL;
	char *sqlbuf = NULL;
	size_t sqllen = 0;

	flags = sg_alloc_array(ctx->a, (size_t)argc + 1, sizeof(*flags));
	while ((c = cli_getopt(ctx, argc, argv, "", longopts, cmd)) != -1) {
		switch (c) {
		case 0: break;
		case 'h': return EXIT_OK;
		case '?': return EXIT_ERR;
		case OPT_SQL: sql = true; break;
		default:
			flags[nflags].c = c;
			flags[nflags++].arg = optarg;
		}
	}
	if (optind >= argc)
		return cli_usage_error(cmd, "a revision is required (head, a revision, base)");
	target = argv[optind++];
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (cli_load_graph(ctx, &g) < 0)
		return EXIT_ERR;
	cli_runner_opts(ctx, &o);
	for (size_t i = 0; i < nflags; i++)
		if (cli_runner_flag(ctx, cmd, flags[i].c, flags[i].arg, &o) < 0)
			return EXIT_ERR;
	if (sql && ctx->json) {
		o.sql_out = sqlf = cli_json_sql_begin(ctx, &sqlbuf, &sqllen);
	} else if (sql) {
		o.sql_out = stdout;
	} else {
		ctx->writes = true;
		conn = cli_connect(ctx);
		if (!conn)
			return EXIT_ERR;
	}
	o.report = &rep;
	rc = runner_stamp(conn, &g, target, &o);
	sg_conn_close(conn);
	if (sqlf)
		cli_json_sql_end(ctx, sqlf, &sqlbuf, &sqllen);
	else if (ctx->json)
		cli_json_run(ctx, target, &rep);
	return rc < 0 ? EXIT_ERR : EXIT_OK;
}
