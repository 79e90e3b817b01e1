// SPDX-License-Identifier: MIT
/*
 * help.c - everything the help texts say comes from here and from the
 * command table (commands.c): the top-level help, the man pages built from
 * them (`schemagen __man PAGE`, run by meson at build time, so the pages
 * cannot disagree with `--help`), and the words the shell completions
 * offer (`schemagen __complete WHAT`).  The two hidden commands are not
 * listed anywhere a user looks.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "schemagen/arena.h"
#include "schemagen/sbuf.h"
#include "sg-config.h"

/* One line per command for the top-level help and the man pages' NAME. */
static const struct {
	const char *name, *line;
} briefs[] = {
	{ "init", "create schemagen.yaml, schema/ and migrations/" },
	{ "revision", "write a new migration (--autogenerate: the model changes)" },
	{ "upgrade", "apply migrations up to a target (--sql: print them)" },
	{ "downgrade", "revert migrations down to a target (--sql: print them)" },
	{ "current", "print the revision(s) the database is at" },
	{ "history", "list the revisions, newest first" },
	{ "heads", "print the revisions nothing builds on yet" },
	{ "branches", "print each branch point and what grows from it" },
	{ "show", "print a revision's header and file" },
	{ "stamp", "record a revision as applied without running it" },
	{ "merge", "write a revision joining branches" },
	{ "check", "exit 1 when models, migrations and database disagree" },
	{ "diff", "print the SQL revision --autogenerate would write" },
	{ "lint", "print the hazards of migrations or SQL files" },
	{ "dump", "write YAML models describing a live database" },
	{ "embedded", "manage the PostgreSQL server schemagen runs itself" },
};

static const char global_options[] =
	"global options (every command takes them, before or after its name):\n"
	"  --url URL                 the target database: a libpq URI or key=value\n"
	"                            string, or `embedded`\n"
	"  --embedded                the embedded server's project database as target\n"
	"  -c, --config FILE         the project file (default: the nearest\n"
	"                            schemagen.yaml in the working folder or above)\n"
	"  -q, --quiet               only errors on stderr\n"
	"  -v, --verbose             more detail (twice: more)\n"
	"  --allow-version-mismatch  go on when the server programs of the target's\n"
	"                            major version are missing (with a warning)\n"
	"  --no-cache                materialise the models again instead of reading\n"
	"                            the cached model catalog (the model database\n"
	"                            rebuilt; diff, check, revision --autogenerate)\n"
	"  --format text|json, --json  one JSON document on stdout (docs/json.md)\n"
	"  -h, --help                this help; COMMAND --help: the command's own\n";

/*
 * The order cli_target() (common.c) follows; t3850 checks it against
 * the behaviour.
 */
static const char database_order[] =
	"the database (the first one given wins):\n"
	"  1. --url URL or --embedded\n"
	"  2. DATABASE_URL (the environment, or .env beside schemagen.yaml)\n"
	"  3. database_url: in schemagen.yaml (${VAR} and ${VAR:-default} expand)\n"
	"  4. libpq's environment: PGHOST, PGHOSTADDR, PGSERVICE, PGDATABASE, PGPORT\n"
	"  5. none: upgrade, downgrade and stamp refuse to run; commands that only\n"
	"     read use the embedded server\n"
	"  `embedded` as the URL from any of them names the embedded server.\n";

static const char environment[] =
	"environment:\n"
	"  DATABASE_URL             the target database (see above)\n"
	"  SCHEMAGEN_DEV_URL        server for scratch databases (dev_url:; needs\n"
	"                           CREATEDB); default: the embedded server\n"
	"  SCHEMAGEN_HOME           the embedded server's folder (default:\n"
	"                           $XDG_CACHE_HOME/schemagen or ~/.cache/schemagen;\n"
	"                           as root /var/tmp/schemagen-root)\n"
	"  SCHEMAGEN_PG_BINDIR      a folder of PostgreSQL server programs\n"
	"  SCHEMAGEN_PG_BINDIR_<N>  the server programs of major version N\n"
	"  SCHEMAGEN_PG_CACHE       where tools/pg-versions.sh installs server\n"
	"                           programs (default: /var/tmp/schemagen-pg)\n"
	"  SCHEMAGEN_NO_PARTIAL     read the model database back whole after an\n"
	"                           incremental step (default: in part)\n"
	"  SCHEMAGEN_PARTIAL_CHECK  read it in part and whole, and use the whole\n"
	"                           read when they differ (-v says where)\n"
	"  SCHEMAGEN_INCREMENTAL_CHECK  after an incremental step, materialise\n"
	"                           the models whole beside it and fail when the\n"
	"                           catalogs differ (the tests')\n"
	"  PGHOST, PGHOSTADDR, PGSERVICE, PGDATABASE, PGPORT, PGUSER, PGPASSWORD\n"
	"                           libpq's own, for the target (see above)\n";

static const char files[] =
	"files:\n"
	"  schemagen.yaml  the project: database_url, dev_url, schema_dir,\n"
	"                  migrations_dir, ... (schemagen.yaml(5))\n"
	"  .env            KEY=VALUE lines beside it, read first; the environment wins\n"
	"  schema/*.yaml   the models (schemagen-models(5))\n"
	"  migrations/     one SQL file per revision\n";

static const char exit_status[] =
	"exit status: 0 success, 1 differences found (check; current when the\n"
	"database and the migrations disagree; lint), 2 error\n";

const char *cli_brief(const struct sg_cmd *cmd)
{
	static char first[128];
	const char *s = cmd->summary, *end;

	for (size_t i = 0; i < ARRAY_SIZE(briefs); i++)
		if (strcmp(briefs[i].name, cmd->name) == 0)
			return briefs[i].line;
	/* a command without its line: the summary's first sentence */
	end = strstr(s, ".  ");
	if (!end)
		end = strchr(s, '\n');
	if (!end)
		end = s + strlen(s);
	snprintf(first, sizeof(first), "%.*s", (int)(end - s), s);
	for (char *p = first; *p; p++)
		if (*p == '\n')
			*p = ' ';
	first[0] = (char)tolower((unsigned char)first[0]);   /* "Prints" -> "prints" */
	return first;
}

void cli_help_main(FILE *f)
{
	fprintf(f, "usage: schemagen [--url URL | --embedded] [-c FILE] [-q] [-v] COMMAND [ARGS]\n"
		   "       schemagen --version | --help | help COMMAND | COMMAND --help\n\n"
		   "commands:\n");
	for (size_t i = 0; i < sg_ncommands; i++)
		fprintf(f, "  %-10s %s\n", sg_commands[i].name, cli_brief(&sg_commands[i]));
	fprintf(f, "\n%s\n%s\n%s\n%s\n%s", global_options, database_order,
		environment, files, exit_status);
}

/* ---- man pages ---- */

/* Text as roff shows it in a no-fill block. */
static void roff_text(FILE *f, const char *s)
{
	bool bol = true;

	for (; *s; s++) {
		if (bol && (*s == '.' || *s == '\''))
			fputs("\\&", f);
		if (*s == '\\')
			fputs("\\e", f);
		else
			fputc(*s, f);
		bol = *s == '\n';
	}
	if (!bol)
		fputc('\n', f);
}

static void roff_header(FILE *f, const char *page, const char *brief)
{
	fputs(".TH ", f);
	for (const char *p = page; *p; p++)
		fputc(toupper((unsigned char)*p), f);
	fprintf(f, " 1 \"\" \"schemagen %s\" \"schemagen manual\"\n"
		   ".SH NAME\n", SG_VERSION);
	fprintf(f, "%s \\- ", page);
	roff_text(f, brief);
}

static const char see_also_cmd[] =
	".SH SEE ALSO\n"
	".BR schemagen (1),\n"
	".BR schemagen.yaml (5),\n"
	".BR schemagen-models (5)\n";

/*
 * A page: NAME, then the help text verbatim in a no-fill block (t3850
 * takes it back out and compares it with --help).
 */
static int man_page(const char *page)
{
	FILE *f = stdout;

	if (strcmp(page, "schemagen") == 0) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);

		if (!m)
			return EXIT_ERR;
		cli_help_main(m);
		fclose(m);
		roff_header(f, "schemagen", "PostgreSQL schema migrations from YAML models");
		fputs(".SH DESCRIPTION\n.nf\n", f);
		roff_text(f, buf);
		fputs(".fi\n.SH SEE ALSO\n", f);
		for (size_t i = 0; i < sg_ncommands; i++)
			fprintf(f, ".BR schemagen-%s (1),\n", sg_commands[i].name);
		fputs(".BR schemagen.yaml (5),\n.BR schemagen-models (5)\n", f);
		free(buf);
		return EXIT_OK;
	}
	if (strncmp(page, "schemagen-", 10) == 0) {
		const struct sg_cmd *cmd = cli_find(page + 10);
		char *buf = NULL;
		size_t len = 0;
		FILE *m;

		if (!cmd)
			goto unknown;
		m = open_memstream(&buf, &len);
		if (!m)
			return EXIT_ERR;
		cli_usage_to(cmd, m);
		fclose(m);
		roff_header(f, page, cli_brief(cmd));
		fputs(".SH DESCRIPTION\n.nf\n", f);
		roff_text(f, buf);
		fputs(".fi\n", f);
		fputs(see_also_cmd, f);
		free(buf);
		return EXIT_OK;
	}
unknown:
	sg_error("__man: no page %s", page);
	return EXIT_ERR;
}

/* ---- completion words ---- */

static bool have_word(char **words, size_t n, const char *w)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(words[i], w) == 0)
			return true;
	return false;
}

/*
 * A command's options, as its usage and summary name them (so a new
 * option documented in commands.c is completed too), then the global ones.
 */
static void complete_options(struct sg_ctx *ctx, const struct sg_cmd *cmd)
{
	static const char *const globals[] = {
		"--url", "--embedded", "-c", "--config", "-q", "--quiet", "-v",
		"--verbose", "--allow-version-mismatch", "--no-cache", "--format",
		"--json", "-h", "--help",
	};
	char *words[128];
	size_t n = 0;
	const char *texts[4] = { cmd ? cmd->usage : "", cmd ? cmd->summary : "", "", "" };
	const char *as = cmd ? strstr(cmd->summary, "Options as\nfor ") : NULL;

	/* "Options as for upgrade." (downgrade): upgrade's too */
	if (as || (cmd && (as = strstr(cmd->summary, "Options as for ")))) {
		const struct sg_cmd *other;
		char name[32];

		as += strlen("Options as for ");
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(as, ". \n"), as);
		if ((other = cli_find(name)) && other != cmd) {
			texts[2] = other->usage;
			texts[3] = other->summary;
		}
	}
	for (size_t t = 0; t < ARRAY_SIZE(texts); t++) {
		const char *s = texts[t];
		/* the usage line, and the summary's indented lines of options
		 * ("  -m, --message MSG  what"); its prose, at the start of
		 * lines, names other commands' options too */
		bool usage = t % 2 == 0, optline = usage;

		for (const char *p = s; *p; p++) {
			const char *q = p;

			if (p == s || p[-1] == '\n') {
				const char *b = p;

				while (*b == ' ')
					b++;
				optline = usage || b > p;   /* indented: options */
			}
			if (!optline || *p != '-' || (p > s && !strchr(" [(|,`", p[-1])))
				continue;
			q++;
			if (*q == '-')
				q++;
			/* -N in "TARGET: -N" is no option: short ones are lower case */
			if (!(q > p + 1 ? isalpha((unsigned char)*q) : islower((unsigned char)*q)))
				continue;
			while (isalnum((unsigned char)*q) || (*q == '-' && isalnum((unsigned char)q[1])))
				q++;
			/* a short option is one letter */
			if (p[1] != '-' && q - p != 2)
				continue;
			if (n < ARRAY_SIZE(words)) {
				char *w = sg_strndup(ctx->a, p, (size_t)(q - p));

				if (!have_word(words, n, w))
					words[n++] = w;
			}
			p = q - 1;
		}
	}
	for (size_t i = 0; i < ARRAY_SIZE(globals); i++)
		if (n < ARRAY_SIZE(words) && !have_word(words, n, globals[i]))
			words[n++] = (char *)globals[i];
	for (size_t i = 0; i < n; i++)
		printf("%s\n", words[i]);
}

/* Revision ids and branch labels of the project; nothing when none loads. */
static int complete_revisions(struct sg_ctx *ctx)
{
	struct sg_revgraph g;

	sg_verbosity = -1;
	if (cli_load_graph(ctx, &g) < 0)
		return EXIT_ERR;
	for (size_t i = 0; i < g.n; i++)
		printf("%s\n", g.revs[i]->id);
	for (size_t i = 0; i < g.n; i++)
		for (size_t j = 0; j < g.revs[i]->nbranch_labels; j++)
			printf("%s\n", g.revs[i]->branch_labels[j]);
	return EXIT_OK;
}

/*
 * schemagen __complete commands        NAME<TAB>LINE, one a line
 * schemagen __complete options [CMD]   CMD's options and the global ones
 * schemagen __complete revisions       ids and branch labels (-c FILE first
 *                                      for another project)
 * schemagen __man PAGE                 schemagen, schemagen-COMMAND (roff)
 * schemagen __man                      the names of the pages
 */
int cli_hidden(struct sg_ctx *ctx, int argc, char **argv)
{
	if (strcmp(argv[0], "__man") == 0) {
		if (argc < 2) {
			printf("schemagen\n");
			for (size_t i = 0; i < sg_ncommands; i++)
				printf("schemagen-%s\n", sg_commands[i].name);
			return EXIT_OK;
		}
		return man_page(argv[1]);
	}
	if (argc >= 2 && strcmp(argv[1], "commands") == 0) {
		for (size_t i = 0; i < sg_ncommands; i++)
			printf("%s\t%s\n", sg_commands[i].name, cli_brief(&sg_commands[i]));
		return EXIT_OK;
	}
	if (argc >= 2 && strcmp(argv[1], "options") == 0) {
		const struct sg_cmd *cmd = argc >= 3 ? cli_find(argv[2]) : NULL;

		complete_options(ctx, cmd);
		return EXIT_OK;
	}
	if (argc >= 2 && strcmp(argv[1], "revisions") == 0)
		return complete_revisions(ctx);
	sg_error("__complete: commands, options [CMD] or revisions");
	return EXIT_ERR;
}
