// SPDX-License-Identifier: MIT
/* show.c - `schemagen show REV`: a revision's header and its file. */
#include <stdio.h>

#include "cli.h"

int cmd_show(struct sg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
	const struct sg_cmd *cmd = cli_find("show");
	struct sg_revgraph g;
	struct sg_revision *r;
	int c;

	while ((c = cli_getopt(ctx, argc, argv, "", longopts, cmd)) != -1) {
		if (c == 'h')
			return EXIT_OK;
		if (c == '?')
			return EXIT_ERR;
	}
	if (optind >= argc)
		return cli_usage_error(cmd, "a revision is required");
	if (optind + 1 < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind + 1]);
	if (cli_load_graph(ctx, &g) < 0)
		return EXIT_ERR;
	if (!(r = store_lookup(&g, argv[optind])))
		return EXIT_ERR;
	printf("Rev: %s%s\nParent:", r->id, r->nchildren ? "" : " (head)");
	if (r->nparents == 0)
		printf(" <base>");
	for (size_t i = 0; i < r->nparents; i++)
		printf("%s %s", i ? "," : "", r->parents[i]);
	printf("\nPath: %s\nChecksum: sha256:%s\n\n%s", r->path, r->checksum, r->text);
	if (r->len && r->text[r->len - 1] != '\n')
		putchar('\n');
	return EXIT_OK;
}
