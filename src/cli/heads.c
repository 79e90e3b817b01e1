// SPDX-License-Identifier: MIT
/* heads.c - `schemagen heads`: the revisions nothing builds on yet. */
#include <stdio.h>

#include "cli.h"

int cmd_heads(struct sg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
	const struct sg_cmd *cmd = cli_find("heads");
	struct sg_revgraph g;
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
	for (size_t i = 0; i < g.nheads; i++) {
		if (sg_verbosity > 0)
			printf("%s (head), %s\n", g.heads[i]->id, g.heads[i]->message);
		else
			printf("%s (head)\n", g.heads[i]->id);
	}
	return EXIT_OK;
}
