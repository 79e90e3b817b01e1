// SPDX-License-Identifier: MIT
/*
 * upgrade.c - `schemagen upgrade TARGET [--sql] [options]`: applies
 * migrations up to TARGET (head, heads, a revision or unique prefix,
 * branch@head, +N, REV+N).  With --sql it prints the SQL that would run and
 * needs no database, unless the range starts at `current` (the
 * database's heads); --dry-run prints that SQL from the database's heads
 * to TARGET and applies nothing.  The options (shared with downgrade): one transaction
 * for the whole run, how long to wait for the migration lock, lock and
 * statement timeouts, accepting changed applied files.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "schemagen/arena.h"
#include "schemagen/conn.h"

/* Shared by upgrade and downgrade. */
int cli_migrate(struct sg_ctx *ctx, int argc, char **argv, bool up);

int cli_migrate(struct sg_ctx *ctx, int argc, char **argv, bool up)
{
	static const struct option longopts[] = {
		{ "sql", no_argument, NULL, OPT_SQL },
		{ "single-transaction", no_argument, NULL, OPT_SINGLE },
		{ "no-single-transaction", no_argument, NULL, OPT_NO_SINGLE },
		{ "lock-wait", required_argument, NULL, OPT_LOCK_WAIT },
		{ "lock-timeout", required_argument, NULL, OPT_LOCK_TIMEOUT },
		{ "statement-timeout", required_argument, NULL, OPT_STATEMENT_TIMEOUT },
		{ "accept-changed", required_argument, NULL, OPT_ACCEPT },
		{ "force-irreversible", no_argument, NULL, OPT_FORCE_IRREVERSIBLE },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const struct sg_cmd *cmd = cli_find(up ? "upgrade" : "downgrade");
	bool sql = false, force_irreversible = false, dry_run = false;
	const char *target;
	struct sg_revgraph g;
	struct sg_runner_opts o;
	struct sg_conn *conn = NULL;
	const char *relative = NULL;
	struct { int c; const char *arg; } *flags;
	size_t nflags = 0;
	int c, rc;
	struct sg_run_report rep = { .arena = ctx->a };
	FILE *sqlf = NULL;
	char *sqlbuf = NULL;
	size_t sqllen = 0;

	flags = sg_alloc_array(ctx->a, (size_t)argc + 1, sizeof(*flags));

	/* `downgrade -1` / `upgrade -2`: a relative target, not an option */
	for (int i = 1; i < argc; i++) {
		const char *p = argv[i];

		if (strcmp(p, "--") == 0)
			break;
		if (p[0] == '-' && p[1] >= '0' && p[1] <= '9' &&
		    strspn(p + 1, "0123456789") == strlen(p + 1)) {
			if (relative)
				return cli_usage_error(cmd, "more than one target given");
			relative = p;
			memmove(&argv[i], &argv[i + 1], (size_t)(argc - i) * sizeof(*argv));
			argc--;
			i--;
		}
	}
	while ((c = cli_getopt(ctx, argc, argv, "", longopts, cmd)) != -1) {
		switch (c) {
		case 0: break;
		case 'h': return EXIT_OK;
		case '?': return EXIT_ERR;
		case OPT_SQL: sql = true; break;
		case 'n': dry_run = true; break;
		case OPT_FORCE_IRREVERSIBLE:
			if (up)
				return cli_usage_error(cmd, "--force-irreversible is for downgrade");
			force_irreversible = true;
			break;
		default:
			/* applied over the config's settings once -c is known */
			flags[nflags].c = c;
			flags[nflags++].arg = optarg;
		}
	}
	if (cli_load_config(ctx) < 0)
		return EXIT_ERR;
	cli_runner_opts(ctx, &o);
	for (size_t i = 0; i < nflags; i++)
		if (cli_runner_flag(ctx, cmd, flags[i].c, flags[i].arg, &o) < 0)
			return EXIT_ERR;
	o.force_irreversible = force_irreversible;
	if (relative) {
		target = relative;
	} else {
		if (optind >= argc)
			return cli_usage_error(cmd, "a target is required (%s)",
					       up ? "head, a revision, +1" : "-1, a revision, base");
		target = argv[optind++];
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (cli_load_graph(ctx, &g) < 0)
		return EXIT_ERR;
	if (sql && dry_run)
		return cli_usage_error(cmd, "--dry-run is --sql from the database's revision: give one of them");
	o.dry_run = dry_run;
	if (sql || dry_run)
		o.sql_out = ctx->json ? (sqlf = cli_json_sql_begin(ctx, &sqlbuf, &sqllen))
				      : stdout;
	if (dry_run) {
		/* the database the run would write to, said as for a run */
		ctx->writes = true;
		conn = cli_connect(ctx);
		if (!conn)
			return EXIT_ERR;
	} else if (sql) {
		/* a range from `current` reads the database's heads */
		if (strncmp(target, "current:", 8) == 0 && !(conn = cli_connect(ctx)))
			return EXIT_ERR;
	} else {
		ctx->writes = true;
		conn = cli_connect(ctx);
		if (!conn)
			return EXIT_ERR;
	}
	o.report = &rep;
	rc = up ? runner_upgrade(conn, &g, target, &o)
		: runner_downgrade(conn, &g, target, &o);
	sg_conn_close(conn);
	if (sqlf)
		cli_json_sql_end(ctx, sqlf, &sqlbuf, &sqllen);
	else if (ctx->json)
		cli_json_run(ctx, target, &rep);
	return rc < 0 ? EXIT_ERR : EXIT_OK;
}

int cmd_upgrade(struct sg_ctx *ctx, int argc, char **argv)
{
	return cli_migrate(ctx, argc, argv, true);
}
