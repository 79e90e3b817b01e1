// SPDX-License-Identifier: MIT
/*
 * dump.c - `schemagen dump [--url URL] [-o DIR] [--force]`: writes YAML
 * models describing a live database, one file per schema; adopting an
 * existing database starts here (then `schemagen stamp head`).
 */
#include "cli.h"
#include "schemagen/conn.h"
#include "schemagen/model.h"
#include "schemagen/yaml.h"

int cmd_dump(struct sg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const struct sg_cmd *cmd = cli_find("dump");
	const char *dir = NULL;
	bool force = false;
	struct sg_conn *conn;
	struct sg_catalog *cat;
	int c, rc;

	while ((c = cli_getopt(ctx, argc, argv, "o:f", longopts, cmd)) != -1) {
		switch (c) {
		case 0: break;
		case 'h': return EXIT_OK;
		case '?': return EXIT_ERR;
		case 'o': dir = optarg; break;
		case 'f': force = true; break;
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (cli_load_config(ctx) < 0)
		return EXIT_ERR;
	if (!dir)
		dir = ctx->cfg.schema_dir;
	if (!(conn = cli_connect(ctx)))
		return EXIT_ERR;
	rc = cli_introspect(ctx, conn, &cat);
	sg_conn_close(conn);
	if (rc < 0 || yaml_write_models(cat, dir, force) < 0)
		return EXIT_ERR;
	sg_info("Dumped %zu schema%s to %s", cat->nbykind[SG_KIND_SCHEMA],
		cat->nbykind[SG_KIND_SCHEMA] == 1 ? "" : "s", dir);
	return EXIT_OK;
}
