// SPDX-License-Identifier: MIT
/*
 * merge.c - `schemagen merge -m MSG [--branch-label LABEL] REV REV...`: a
 * revision with several parents and no statements, joining branches.  The
 * REVs are anything that names one revision (ids, prefixes, labels,
 * branch@head) or `heads`.
 */
#include <string.h>

#include <stdio.h>

#include "cli.h"
#include "schemagen/arena.h"

int cmd_merge(struct sg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "message", required_argument, NULL, 'm' },
		{ "branch-label", required_argument, NULL, 'B' },
		{ NULL, 0, NULL, 0 },
	};
	const struct sg_cmd *cmd = cli_find("merge");
	const char *message = NULL;
	SG_VEC(const char *) labels = { 0 };
	struct sg_revision_header hdr = { 0 };
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
		case 'B': SG_VEC_PUSH(ctx->a, &labels, optarg); break;
		}
	}
	if (!message || !*message)
		return cli_usage_error(cmd, "a message is required (-m \"merge heads\")");
	if (argc - optind < 1)
		return cli_usage_error(cmd, "name at least two revisions to merge, or `heads` "
				       "(`schemagen heads` lists them)");
	if (cli_load_graph(ctx, &g) < 0)
		return EXIT_ERR;
	for (size_t i = 0; i < labels.n; i++)
		if (cli_check_label(&g, labels.v[i]) < 0)
			return EXIT_ERR;
	parents = sg_alloc_array(ctx->a, g.n + 1, sizeof(*parents));
	for (int i = optind; i < argc; i++) {
		struct sg_revision **v;
		size_t nv;

		if (store_resolve(ctx->a, &g, argv[i], &v, &nv) < 0)
			return EXIT_ERR;
		for (size_t j = 0; j < nv; j++) {
			for (size_t k = 0; k < n; k++)
				if (parents[k] == v[j]->id)
					return cli_usage_error(cmd, "revision %s is named twice",
							       v[j]->id);
			parents[n++] = v[j]->id;
		}
	}
	if (n < 2)
		return cli_usage_error(cmd, "name at least two revisions to merge "
				       "(`schemagen heads` lists them)");
	hdr.id = store_new_id(ctx->a);
	hdr.parents = parents;
	hdr.nparents = n;
	hdr.branch_labels = labels.v;
	hdr.nbranch_labels = labels.n;
	hdr.message = message;
	hdr.file_template = ctx->cfg.file_template;
	path = store_write_header(ctx->a, ctx->cfg.migrations_dir, &hdr, &empty, &empty);
	if (!path)
		return EXIT_ERR;
	printf("%s\n", path);   /* as revision: the path alone on stdout */
	return EXIT_OK;
}
