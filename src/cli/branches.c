// SPDX-License-Identifier: MIT
/*
 * branches.c - `schemagen branches [--verbose]`: every branch point (a
 * revision with more than one child) and the revisions that grow from it,
 * as Alembic shows them:
 *
 *     2b3c4d5e6f70 (branchpoint), add orders
 *         -> 3c4d5e6f7081, index customer email
 *         -> 4d5e6f708192, add status to orders
 *
 * Several bases (revisions with no parent: `revision --head base`) start
 * separate lines of history; they are listed under "base" when there is
 * more than one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "schemagen/arena.h"

static int by_id(const void *pa, const void *pb)
{
	const struct sg_revision *a = *(const struct sg_revision *const *)pa;
	const struct sg_revision *b = *(const struct sg_revision *const *)pb;

	return strcmp(a->id, b->id);
}

static void print_child(struct sg_ctx *ctx, const struct sg_revision *r)
{
	printf("    -> %s%s%s, %s\n", cli_rev_name(ctx, r), r->nchildren ? "" : " (head)",
	       r->nchildren > 1 ? " (branchpoint)" : "", sg_qt(ctx->a, r->message));
	if (sg_verbosity > 0)
		printf("       %s\n", r->path);
}

static void print_children(struct sg_ctx *ctx, struct sg_revision *const *v, size_t n)
{
	struct sg_revision **s = sg_memdup(ctx->a, v, n * sizeof(*s));

	qsort(s, n, sizeof(*s), by_id);
	for (size_t i = 0; i < n; i++)
		print_child(ctx, s[i]);
}

int cmd_branches(struct sg_ctx *ctx, int argc, char **argv)
{
	const struct sg_cmd *cmd = cli_find("branches");
	struct sg_revgraph g;
	int c;

	if ((c = cli_no_options(ctx, argc, argv, cmd)) >= 0)
		return c;
	if (cli_load_graph(ctx, &g) < 0)
		return EXIT_ERR;
	if (g.nbases > 1) {
		printf("base (%zu bases)\n", g.nbases);
		print_children(ctx, g.bases, g.nbases);
	}
	for (size_t i = 0; i < g.n; i++) {
		const struct sg_revision *r = g.revs[i];

		if (r->nchildren < 2)
			continue;
		printf("%s (branchpoint), %s\n", cli_rev_name(ctx, r), sg_qt(ctx->a, r->message));
		if (sg_verbosity > 0)
			printf("    %s\n", r->path);
		print_children(ctx, r->children, r->nchildren);
	}
	return EXIT_OK;
}
