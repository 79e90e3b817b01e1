// SPDX-License-Identifier: MIT
/*
 * history.c - `schemagen history [-r A:B] [--verbose]`: revisions newest
 * first, as Alembic lists them ("parent -> rev (head), message").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "schemagen/arena.h"
#include "schemagen/sbuf.h"

static int resolve_end(const struct sg_revgraph *g, const char *ref, bool *mark,
		       bool lower)
{
	struct sg_revision *r;

	if (!ref || !*ref || strcmp(ref, lower ? "base" : "heads") == 0 ||
	    (!lower && strcmp(ref, "head") == 0)) {
		if (!lower)
			for (size_t i = 0; i < g->nheads; i++)
				cli_mark_ancestors(g->heads[i], mark);
		return 0;
	}
	r = store_lookup(g, ref);
	if (!r)
		return -1;
	if (lower) {
		/* everything strictly below A */
		for (size_t i = 0; i < r->nparents; i++)
			if (r->parent_revs[i])
				cli_mark_ancestors(r->parent_revs[i], mark);
	} else {
		cli_mark_ancestors(r, mark);
	}
	return 0;
}

static void print_rev(const struct sg_revision *r)
{
	struct sbuf parents = SBUF_INIT, marks = SBUF_INIT;

	for (size_t i = 0; i < r->nparents; i++)
		sbuf_addf(&parents, "%s%s", i ? ", " : "", r->parents[i]);
	if (r->nchildren == 0)
		sbuf_adds(&marks, " (head)");
	if (r->nchildren > 1)
		sbuf_adds(&marks, " (branchpoint)");
	if (r->nparents > 1)
		sbuf_adds(&marks, " (mergepoint)");
	if (sg_verbosity > 0)
		printf("Rev: %s%s\nParent: %s\nPath: %s\n\n    %s\n\n", r->id, marks.buf,
		       r->nparents ? parents.buf : "<base>", r->path, r->message);
	else if (r->nparents > 1)
		printf("(%s) -> %s%s, %s\n", parents.buf, r->id, marks.buf, r->message);
	else
		printf("%s -> %s%s, %s\n", r->nparents ? parents.buf : "<base>", r->id,
		       marks.buf, r->message);
	sbuf_release(&parents);
	sbuf_release(&marks);
}

int cmd_history(struct sg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rev-range", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const struct sg_cmd *cmd = cli_find("history");
	const char *range = NULL;
	struct sg_revgraph g;
	bool *upper, *lower;
	int c;

	while ((c = cli_getopt(ctx, argc, argv, "r:", longopts, cmd)) != -1) {
		switch (c) {
		case 0: break;
		case 'h': return EXIT_OK;
		case '?': return EXIT_ERR;
		case 'r': range = optarg; break;
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (cli_load_graph(ctx, &g) < 0)
		return EXIT_ERR;
	upper = sg_alloc_array(ctx->a, g.n + 1, sizeof(bool));
	lower = sg_alloc_array(ctx->a, g.n + 1, sizeof(bool));
	if (range) {
		const char *colon = strchr(range, ':');
		char *a, *b;

		if (!colon)
			return cli_usage_error(cmd, "-r takes a range A:B (base:head, abc1:)");
		a = sg_strndup(ctx->a, range, (size_t)(colon - range));
		b = sg_strdup(ctx->a, colon + 1);
		if (resolve_end(&g, a, lower, true) < 0 ||
		    resolve_end(&g, b, upper, false) < 0)
			return EXIT_ERR;
	} else {
		for (size_t i = 0; i < g.nheads; i++)
			cli_mark_ancestors(g.heads[i], upper);
	}
	for (size_t i = g.n; i-- > 0;)
		if (upper[i] && !lower[i])
			print_rev(g.revs[i]);
	return EXIT_OK;
}
