// SPDX-License-Identifier: MIT
/*
 * merge.c - `schemagen merge -m MSG REV REV...`: a revision with several
 * parents and no statements, joining branches.
 */
#include "cli.h"
#include "schemagen/arena.h"

int cmd_merge(struct sg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "message", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	const struct sg_cmd *cmd = cli_find("merge");
	const char *message = NULL;
	struct sg_revgraph g;
	struct sg_script empty = { 0 };
	const char **parents;
	size_t n = 0;
	char *path;
	int c;

	while ((c = cli_getopt(ctx, argc, argv, "m:", longopts, cmd)) != -1) {
		switch (c) {
		case 0: break;
		case 'h': return EXIT_OK;
		case '?': return EXIT_ERR;
		case 'm': message = optarg; break;
		}
	}
	if (!message || !*message)
		return cli_usage_error(cmd, "a message is required (-m \"merge heads\")");
	if (argc - optind < 2)
		return cli_usage_error(cmd, "name at least two revisions to merge "
				       "(`schemagen heads` lists them)");
	if (cli_load_graph(ctx, &g) < 0)
		return EXIT_ERR;
	parents = sg_alloc_array(ctx->a, (size_t)(argc - optind) + 1, sizeof(*parents));
	for (int i = optind; i < argc; i++) {
		struct sg_revision *r = store_lookup(&g, argv[i]);

		if (!r)
			return EXIT_ERR;
		for (size_t k = 0; k < n; k++)
			if (parents[k] == r->id)
				return cli_usage_error(cmd, "revision %s is named twice", r->id);
		parents[n++] = r->id;
	}
	path = store_write(ctx->a, ctx->cfg.migrations_dir, store_new_id(ctx->a),
			   parents, n, message, &empty, &empty);
	if (!path)
		return EXIT_ERR;
	sg_info("Generated %s", path);
	return EXIT_OK;
}
