// SPDX-License-Identifier: MIT
/*
 * main.c - global options, command dispatch, and the final check that
 * stdout was written (git.c's run_builtin).
 */
#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "schemagen/arena.h"
#include "schemagen/sql.h"
#include "sg-config.h"

static void usage(FILE *f)
{
	if (f == stdout)
		cli_help_printed = true;   /* text, not a JSON document */
	fprintf(f, "usage: schemagen [--url URL | --embedded] [-c FILE] [-q] [-v] COMMAND [ARGS]\n"
		   "       schemagen --version | --help | COMMAND --help\n\ncommands:\n");
	for (size_t i = 0; i < sg_ncommands; i++)
		fprintf(f, "  %s\n", sg_commands[i].usage);
	fprintf(f, "\nexit status: 0 success, 1 differences found (check), 2 error\n");
}

static int run(struct sg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "url", required_argument, NULL, 'U' },
		{ "embedded", no_argument, NULL, 'E' },
		{ "config", required_argument, NULL, 'c' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ "no-cache", no_argument, NULL, 'N' },
		{ "format", required_argument, NULL, 'F' },
		{ "json", no_argument, NULL, 'J' },
		{ NULL, 0, NULL, 0 },
	};
	const struct sg_cmd *cmd;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "+c:qvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'U': ctx->url = optarg; break;
		case 'E': ctx->embedded = true; break;
		case 'N': ctx->no_cache = true; break;
		case 'c': ctx->config_path = optarg; break;
		case 'q': sg_verbosity = -1; break;
		case 'v': if (sg_verbosity < 2) sg_verbosity++; break;
		case 'h': cli_help_main(stdout); return EXIT_OK;
		case 'V':
			cli_help_printed = true;
			printf("schemagen %s\n", SG_VERSION);
			return EXIT_OK;
		case 'J': break;
		case 'F':
			if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0) {
				sg_error("--format takes text or json, not '%s'", optarg);
				return EXIT_ERR;
			}
			break;
		default:
			sg_error("unknown option or missing argument: %s", argv[optind - 1]);
			usage(stderr);
			return EXIT_ERR;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_ERR;
	}
	if (strcmp(argv[optind], "help") == 0) {
		if (optind + 1 < argc && (cmd = cli_find(argv[optind + 1]))) {
			cli_usage(cmd, false);
			return EXIT_OK;
		}
		if (optind + 1 < argc) {
			sg_error("'%s' is not a schemagen command", argv[optind + 1]);
			sg_hint("`schemagen --help` lists the commands");
			return EXIT_ERR;
		}
		cli_help_main(stdout);
		return EXIT_OK;
	}
	/* man pages and shell completions (help.c); not listed */
	if (strcmp(argv[optind], "__man") == 0 ||
	    strcmp(argv[optind], "__complete") == 0)
		return cli_hidden(ctx, argc - optind, argv + optind);
	cmd = cli_find(argv[optind]);
	if (!cmd) {
		const char *names[32];
		const char *guess;
		size_t n = 0;

		for (size_t i = 0; i < sg_ncommands && n < ARRAY_SIZE(names); i++)
			names[n++] = sg_commands[i].name;
		guess = sg_suggest(argv[optind], names, n);
		sg_error("'%s' is not a schemagen command", argv[optind]);
		if (guess)
			sg_hint("did you mean '%s'?", guess);
		else
			sg_hint("`schemagen --help` lists the commands");
		return EXIT_ERR;
	}
	ctx->cmd = cmd->name;
	argv += optind;
	argc -= optind;
	optind = 0;    /* re-initialise getopt for the command's own options */
	if (ctx->json && !cli_json_supported(cmd->name)) {
		sg_error("%s has no --format json (docs/json.md lists the commands that have)",
			 cmd->name);
		return EXIT_ERR;
	}
	return cmd->fn(ctx, argc, argv);
}

/*
 * --json, --format json, --format=json anywhere before `--`: read before
 * anything runs, so that even a usage error of the command's own options
 * comes as the JSON document.  The last --format wins.
 */
static bool want_json(int argc, char **argv)
{
	bool json = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (strncmp(argv[i], "--format=", 9) == 0)
			json = strcmp(argv[i] + 9, "json") == 0;
		else if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			json = strcmp(argv[++i], "json") == 0;
	}
	return json;
}

int main(int argc, char **argv)
{
	struct sg_ctx ctx = { 0 };
	int rc;

#ifdef __GLIBC__
	/*
	 * One malloc arena for the process.  The live database is read on a
	 * thread of its own (cli_introspect_start()); glibc would give that
	 * thread an arena of its own, whose freed memory (libpq's results) the
	 * main thread cannot reuse and which is kept after the thread ends.
	 * At 10,000 tables that was 12-27 MB more peak memory; the threads
	 * allocate in arena blocks of 64 kB, so they hardly contend.
	 */
	mallopt(M_ARENA_MAX, 1);
#endif
	ctx.a = sg_arena_new();
	ctx.want_json = want_json(argc, argv);
	if (ctx.want_json)
		cli_json_begin(&ctx);
	rc = run(&ctx, argc, argv);
	if (ctx.json) {
		if (cli_help_printed)
			cli_json_abandon(&ctx);   /* --help printed text instead */
		else
			cli_json_finish(&ctx, rc);
	}
	sg_sql_cleanup();
	sg_arena_free(ctx.a);
	/* a full disk or closed pipe must not look like success (git.c) */
	if (fflush(stdout) != 0 || ferror(stdout)) {
		if (errno != EPIPE)
			fprintf(stderr, "schemagen: error: cannot write to standard output: %s\n",
				strerror(errno));
		return EXIT_ERR;
	}
	return rc;
}
