// SPDX-License-Identifier: MIT
/*
 * show.c - `schemagen show REV`: a revision's header and its file.  REV is
 * anything history's range ends take (a revision, prefix, branch label,
 * branch@head, head, heads, `current`); several revisions are shown one
 * after the other.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "schemagen/json.h"
#include "schemagen/conn.h"
#include "schemagen/sbuf.h"

static void show_one(struct sg_ctx *ctx, const struct sg_revision *r)
{
	printf("Rev: %s%s\nParent:", cli_rev_name(ctx, r), r->nchildren ? "" : " (head)");
	if (r->nparents == 0)
		printf(" <base>");
	for (size_t i = 0; i < r->nparents; i++)
		printf("%s %s", i ? "," : "", r->parents[i]);
	if (r->ndepends_on) {
		printf("\nAlso depends on:");
		for (size_t i = 0; i < r->ndepends_on; i++)
			printf("%s %s", i ? "," : "", r->depends_on[i]);
	}
	{
		/* the file as it is, but no ESC or CR of it reaches the terminal */
		struct sbuf sb = SBUF_INIT;

		sg_quote_terminal(&sb, r->text, true);
		printf("\nPath: %s\nChecksum: sha256:%s\n\n%s", r->path, r->checksum, sb.buf);
		sbuf_release(&sb);
	}
	if (r->len && r->text[r->len - 1] != '\n')
		putchar('\n');
}

int cmd_show(struct sg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
	const struct sg_cmd *cmd = cli_find("show");
	struct sg_revgraph g;
	struct sg_revision **v;
	struct sg_conn *conn = NULL;
	size_t n;
	int c, rc;

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
	if (strcmp(argv[optind], "current") == 0 && !(conn = cli_connect(ctx)))
		return EXIT_ERR;
	rc = cli_resolve(ctx, &g, conn, argv[optind], &v, &n);
	sg_conn_close(conn);
	if (rc < 0)
		return EXIT_ERR;
	if (n == 0) {
		sg_error("'%s' names no revision%s", argv[optind],
			 strcmp(argv[optind], "current") == 0 ? ": the database is at base" : "");
		return EXIT_ERR;
	}
	if (ctx->json) {
		sg_json_arr(ctx->json, "revisions");
		for (size_t i = 0; i < n; i++) {
			sg_json_obj(ctx->json, NULL);
			cli_json_rev_members(ctx, v[i], NULL, NULL);
			sg_json_strn(ctx->json, "text", v[i]->text, v[i]->len);
			sg_json_end(ctx->json);
		}
		sg_json_end(ctx->json);
		return EXIT_OK;
	}
	for (size_t i = 0; i < n; i++) {
		if (i)
			printf("\n");
		show_one(ctx, v[i]);
	}
	return EXIT_OK;
}
