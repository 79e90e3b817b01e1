// SPDX-License-Identifier: MIT
/*
 * diff.c - `schemagen diff`: prints the SQL that `revision --autogenerate`
 * would write (both sections), writing nothing.
 */
#include <stdio.h>

#include "cli.h"
#include "schemagen/emit.h"
#include "schemagen/json.h"
#include "schemagen/conn.h"
#include "schemagen/diff.h"
#include "schemagen/sbuf.h"

int cmd_diff(struct sg_ctx *ctx, int argc, char **argv)
{
	const struct sg_cmd *cmd = cli_find("diff");
	struct sg_conn *conn;
	struct sg_catalog *live, *desired;
	struct sg_script up = { 0 }, down = { 0 };
	struct sg_changes changes = { 0 };
	struct sbuf sb = SBUF_INIT;
	static const struct option longopts[] = {
		{ "online", no_argument, NULL, 'O' },
		{ NULL, 0, NULL, 0 },
	};
	struct cli_bg bg;
	int c, rc;

	while ((c = cli_getopt(ctx, argc, argv, "", longopts, cmd)) != -1) {
		if (c == 'h')
			return EXIT_OK;
		if (c == '?')
			return EXIT_ERR;
		if (c == 'O')
			ctx->online = true;
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (!(conn = cli_connect(ctx)))
		return EXIT_ERR;
	/* both sides at once: the live database on a thread of its own */
	cli_introspect_start(ctx, conn, &bg);
	rc = cli_desired(ctx, &desired);
	if (cli_introspect_join(ctx, &bg, &live) < 0)
		rc = -1;
	if (rc == 0 && cli_running_role_grants(ctx, conn, desired) < 0)
		rc = -1;
	sg_conn_close(conn);
	if (rc < 0 ||
	    (cli_owners(desired, live),
	     cli_plan(ctx, live, desired, &up, &down, &changes) < 0))
		return EXIT_ERR;
	if (ctx->json) {
		sg_json_arr(ctx->json, "differences");
		for (size_t i = 0; i < changes.n; i++) {
			struct sbuf d = SBUF_INIT;

			if (cli_change_visible(&changes, changes.v[i])) {
				emit_describe(&d, changes.v[i]);
				if (d.len)
					cli_json_change(ctx, changes.v[i], d.buf);
			}
			sbuf_release(&d);
		}
		sg_json_end(ctx->json);
		cli_json_hazards(ctx->json, "hazards", &up);
		if (up.n) {
			sg_script_format(&sb, &up);
			sg_json_str(ctx->json, "upgrade", sb.buf);
			sbuf_setlen(&sb, 0);
			sg_script_format(&sb, &down);
			sg_json_str(ctx->json, "downgrade", sb.buf);
		} else {
			sg_json_null(ctx->json, "upgrade");
			sg_json_null(ctx->json, "downgrade");
		}
		sbuf_release(&sb);
		return EXIT_OK;
	}
	if (up.n == 0) {
		sg_info("No changes in schema detected.");
		return EXIT_OK;
	}
	sbuf_adds(&sb, "-- +upgrade\n");
	sg_script_format(&sb, &up);
	sbuf_adds(&sb, "\n-- +downgrade\n");
	sg_script_format(&sb, &down);
	fputs(sb.buf, stdout);
	fflush(stdout);
	sbuf_release(&sb);
	cli_hazard_summary(&up, "the `-- hazard:` lines above");
	return EXIT_OK;
}
