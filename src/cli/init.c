// SPDX-License-Identifier: MIT
/* init.c - `schemagen init [DIR]`: a new project; never overwrites. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "schemagen/arena.h"
#include "schemagen/conn.h"
#include "sg-config.h"

static const char config_template[] =
	"# yaml-language-server: $schema=" SG_SCHEMA_DIR "/config.schema.json\n"
	"# schemagen project configuration (see docs/models.md for the model files).\n"
	"#\n"
	"# The database to migrate: a libpq URI or key=value string, or `embedded`.  The\n"
	"# --url option and DATABASE_URL (environment, or .env beside this file) come\n"
	"# first; ${VAR} reads the environment (unset: an error, ${VAR:-x}: a fallback).\n"
	"# Unset, upgrade/downgrade/stamp refuse to run; reads use the embedded server.\n"
	"database_url: ${DATABASE_URL:-}\n"
	"\n"
	"# Server for scratch databases (needs CREATEDB); default: the embedded one.\n"
	"# dev_url: postgres://localhost/postgres\n"
	"\n"
	"schema_dir: schema\n"
	"migrations_dir: migrations\n"
	"\n"
	"# The schemas schemagen manages: nothing outside them is read, changed or\n"
	"# dropped, and models of other schemas are an error.  Add the schemas\n"
	"# you manage; without the line, every non-system schema is managed.\n"
	"schemas: [public]\n"
	"\n"
	"# Objects dump, diff and check leave out (names, glob patterns, schema.name):\n"
	"# exclude: [alembic_version, \"*_backup\"]\n"
	"\n"
	"# Names of new migration files (default %(rev)s_%(slug)s), say date first:\n"
	"# file_template: \"%(year)d%(month).2d%(day).2d_%(rev)s_%(slug)s\"\n"
	"\n"
	"# The PostgreSQL major version the models are materialised on when no\n"
	"# database tells (check without one, --sql); with a database, its version.\n";

static const char model_template[] =
	"# yaml-language-server: $schema=" SG_SCHEMA_DIR "/model.schema.json\n"
	"# Desired schema for `public`.  Every *.yaml file under schema/ is read.\n"
	"# Example:\n"
	"#\n"
	"# tables:\n"
	"#   customers:\n"
	"#     columns:\n"
	"#       id: {type: bigint, identity: always}\n"
	"#       email: {type: text, nullable: false}\n"
	"#     primary_key: [id]\n"
	"schema: public\n";

static int write_new(const char *dir, const char *name, const char *text)
{
	char *path = sg_path_join(dir, name);
	int rc = sg_write_file_atomic(path, text, strlen(text), true);

	if (rc < 0)
		sg_error("cannot write %s: %s", path, strerror(errno));
	free(path);
	return rc;
}

int cmd_init(struct sg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
	const struct sg_cmd *cmd = cli_find("init");
	const char *dir = ".";
	static const char *const parts[] = { "schemagen.yaml", "schema", "migrations" };
	int c;

	while ((c = cli_getopt(ctx, argc, argv, "", longopts, cmd)) != -1) {
		if (c == 'h')
			return EXIT_OK;
		if (c == '?')
			return EXIT_ERR;
	}
	if (optind < argc)
		dir = argv[optind++];
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	for (size_t i = 0; i < ARRAY_SIZE(parts); i++) {
		char *p = sg_path_join(dir, parts[i]);
		struct stat st;
		int exists = lstat(p, &st) == 0;

		if (exists) {
			sg_error("%s already exists; init does not overwrite anything", p);
			free(p);
			return EXIT_ERR;
		}
		free(p);
	}
	if (sg_mkdir_p(dir, 0777) < 0)
		return sg_error("cannot create %s: %s", dir, strerror(errno)), EXIT_ERR;
	{
		char *schema = sg_path_join(dir, "schema");
		char *migrations = sg_path_join(dir, "migrations");
		int rc = 0;

		if (mkdir(schema, 0777) < 0 || mkdir(migrations, 0777) < 0)
			rc = sg_error("cannot create folders in %s: %s", dir, strerror(errno));
		if (rc == 0) {
			int major = 0;
			char *text;

			/* the server it can see: the configured database, else
			 * the embedded server's programs */
			if (cli_has_target(ctx)) {
				struct sg_conn *conn = cli_connect(ctx);

				if (conn)
					major = sg_conn_server_version(conn) / 10000;
				sg_conn_close(conn);
			} else {
				major = sg_embedded_programs_major();
			}
			text = major >= 13 && major <= 18
				? sg_printf(ctx->a, "%spostgres_version: %d\n",
					    config_template, major)
				: sg_printf(ctx->a, "%s# postgres_version: 17\n",
					    config_template);
			rc = write_new(dir, "schemagen.yaml", text);
		}
		if (rc == 0)
			rc = write_new(schema, "public.yaml", model_template);
		if (rc == 0)
			rc = write_new(migrations, ".keep", "");
		free(schema);
		free(migrations);
		if (rc < 0)
			return EXIT_ERR;
	}
	sg_info("Created schemagen.yaml, schema/public.yaml and migrations/ in %s", dir);
	sg_info("Next: describe tables in schema/*.yaml, then "
		"`schemagen revision --autogenerate -m \"create tables\"`");
	return EXIT_OK;
}

bool cli_is_init_placeholder(const char *text, size_t len)
{
	return len == strlen(model_template) &&
	       memcmp(text, model_template, len) == 0;
}
