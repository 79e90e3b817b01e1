// SPDX-License-Identifier: MIT
/*
 * heads.c - `schemagen heads [--verbose]`: the revisions nothing builds on
 * yet, with their branch labels ("abc123 (billing) (head)").
 */
#include <stdio.h>

#include "cli.h"
#include "schemagen/json.h"

int cmd_heads(struct sg_ctx *ctx, int argc, char **argv)
{
	const struct sg_cmd *cmd = cli_find("heads");
	struct sg_revgraph g;
	int c;

	if ((c = cli_no_options(ctx, argc, argv, cmd)) >= 0)
		return c;
	if (cli_load_graph(ctx, &g) < 0)
		return EXIT_ERR;
	if (ctx->json) {
		sg_json_arr(ctx->json, "heads");
		for (size_t i = 0; i < g.nheads; i++)
			cli_json_rev(ctx, NULL, g.heads[i], NULL, NULL);
		sg_json_end(ctx->json);
		return EXIT_OK;
	}
	for (size_t i = 0; i < g.nheads; i++) {
		const struct sg_revision *r = g.heads[i];

		if (sg_verbosity > 0) {
			printf("Rev: %s (head)\nParent:", cli_rev_name(ctx, r));
			if (!r->nparents)
				printf(" <base>");
			for (size_t k = 0; k < r->nparents; k++)
				printf("%s %s", k ? "," : "", r->parents[k]);
			printf("\nPath: %s\n\n    %s\n\n", r->path, sg_qt(ctx->a, r->message));
		} else {
			printf("%s (head)\n", cli_rev_name(ctx, r));
		}
	}
	return EXIT_OK;
}
