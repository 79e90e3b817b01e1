// SPDX-License-Identifier: MIT
/*
 * dump.c - `schemagen dump [--url URL] [-o DIR] [--force]`: writes YAML
 * models describing a live database, one file per schema; adopting an
 * existing database starts here (then `schemagen stamp head`).  Owners are
 * written only with --owners (models that name none leave them alone).  Without
 * --force it refuses to overwrite model files, except the placeholder
 * schema/public.yaml of `init` when that is all the folder holds.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "schemagen/conn.h"
#include "schemagen/model.h"
#include "schemagen/yaml.h"

/*
 * Is the only model file in dir (*.yaml / *.yml, subfolders too, as the
 * loader reads them) public.yaml exactly as `init` wrote it?
 */
static bool only_placeholder(const char *dir)
{
	char *path = sg_path_join(dir, "public.yaml");
	size_t len;
	char *text = sg_read_file(path, &len);
	bool ok = text && cli_is_init_placeholder(text, len);
	DIR *dp;
	struct dirent *e;

	free(text);
	free(path);
	if (!ok || !(dp = opendir(dir)))
		return false;
	while (ok && (e = readdir(dp))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    strcmp(e->d_name, "public.yaml") == 0)
			continue;
		/* anything else (a model, a folder of them, a file dump would
		 * write) leaves the refusal in place */
		ok = e->d_name[0] == '.';
	}
	closedir(dp);
	return ok;
}

int cmd_dump(struct sg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "owners", no_argument, NULL, 'W' },
		{ NULL, 0, NULL, 0 },
	};
	const struct sg_cmd *cmd = cli_find("dump");
	const char *dir = NULL;
	bool force = false, owners = false;
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
		case 'W': owners = true; break;
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (cli_load_config(ctx) < 0)
		return EXIT_ERR;
	if (!dir)
		dir = ctx->cfg.schema_dir;
	if (!force && only_placeholder(dir)) {
		/* init's untouched schema/public.yaml is all there is */
		sg_verbose("%s holds only the placeholder init wrote: replacing it", dir);
		force = true;
	}
	if (!(conn = cli_connect(ctx)))
		return EXIT_ERR;
	rc = cli_introspect(ctx, conn, &cat);
	sg_conn_close(conn);
	if (rc == 0 && !owners)
		sg_catalog_forget_owners(cat);
	if (rc < 0 || yaml_write_models(cat, dir, force) < 0)
		return EXIT_ERR;
	sg_info("Dumped %zu schema%s to %s", cat->nbykind[SG_KIND_SCHEMA],
		cat->nbykind[SG_KIND_SCHEMA] == 1 ? "" : "s", dir);
	return EXIT_OK;
}
