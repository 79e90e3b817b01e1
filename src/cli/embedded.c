// SPDX-License-Identifier: MIT
/*
 * embedded.c - `schemagen embedded start|stop|status|url`: the PostgreSQL
 * server schemagen runs itself for scratch databases, and as the target when
 * no database is configured.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_embedded(struct sg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
	const struct sg_cmd *cmd = cli_find("embedded");
	const char *action;
	int c;

	while ((c = cli_getopt(ctx, argc, argv, "", longopts, cmd)) != -1) {
		if (c == 'h')
			return EXIT_OK;
		if (c == '?')
			return EXIT_ERR;
	}
	if (optind >= argc)
		return cli_usage_error(cmd, "an action is required: start, stop, status or url");
	action = argv[optind++];
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (strcmp(action, "start") == 0 || strcmp(action, "url") == 0) {
		/* the project's own database (made when missing) */
		const char *db = cli_embedded_dbname(ctx);
		char *url = db ? sg_embedded_conninfo(ctx->a, db, true) : NULL;

		if (!url)
			return EXIT_ERR;
		if (strcmp(action, "url") == 0)
			printf("%s\n", url);
		else
			sg_info("embedded PostgreSQL is running: %s", url);
		return EXIT_OK;
	}
	if (strcmp(action, "stop") == 0) {
		if (sg_embedded_stop() < 0)
			return EXIT_ERR;
		sg_info("embedded PostgreSQL is stopped");
		return EXIT_OK;
	}
	if (strcmp(action, "status") == 0)
		return sg_embedded_status() < 0 ? EXIT_ERR : EXIT_OK;
	return cli_usage_error(cmd, "unknown action '%s' (start, stop, status or url)", action);
}
