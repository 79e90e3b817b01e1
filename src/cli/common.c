// SPDX-License-Identifier: MIT
/*
 * common.c - what the commands share: option parsing with the global
 * options, the configuration, where the target database comes from, and
 * the pipeline stages (models -> scratch database -> catalog; migrations ->
 * scratch database -> catalog; catalogs -> upgrade and downgrade scripts).
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "schemagen/arena.h"
#include "schemagen/conn.h"
#include "schemagen/diff.h"
#include "schemagen/embedded.h"
#include "schemagen/emit.h"
#include "schemagen/introspect.h"
#include "schemagen/model.h"
#include "schemagen/order.h"
#include "schemagen/pgconn.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "schemagen/sql.h"
#include "schemagen/store.h"
#include "schemagen/yaml.h"

/* ---- options ---- */

static const struct option global_longopts[] = {
	{ "url", required_argument, NULL, 0x100 },
	{ "embedded", no_argument, NULL, 0x101 },
	{ "config", required_argument, NULL, 'c' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ "allow-version-mismatch", no_argument, NULL, 0x102 },
	{ "no-cache", no_argument, NULL, 0x105 },
	{ "format", required_argument, NULL, 0x103 },
	{ "json", no_argument, NULL, 0x104 },
};

bool cli_help_printed;

const struct sg_cmd *cli_find(const char *name)
{
	for (size_t i = 0; i < sg_ncommands; i++)
		if (strcmp(sg_commands[i].name, name) == 0)
			return &sg_commands[i];
	return NULL;
}

void cli_usage_to(const struct sg_cmd *cmd, FILE *f)
{
	fprintf(f, "usage: schemagen %s\n", cmd->usage);
	fprintf(f, "\n%s\n\nglobal options: --url URL, --embedded, -c/--config FILE, -q/--quiet, "
		"-v/--verbose, --allow-version-mismatch, --no-cache, --format text|json (--json), "
		"--help\n", cmd->summary);
}

void cli_usage(const struct sg_cmd *cmd, bool to_stderr)
{
	if (to_stderr) {
		sg_eprintf("usage: schemagen %s\n", cmd->usage);
		return;
	}
	cli_help_printed = true;
	cli_usage_to(cmd, stdout);
}

int cli_usage_error(const struct sg_cmd *cmd, const char *fmt, ...)
{
	va_list ap;
	struct sbuf sb = SBUF_INIT;

	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	sg_error("%s: %s", cmd->name, sb.buf);
	sbuf_release(&sb);
	cli_usage(cmd, true);
	return EXIT_ERR;
}

int cli_getopt(struct sg_ctx *ctx, int argc, char **argv, const char *shortopts,
	       const struct option *longopts, const struct sg_cmd *cmd)
{
	static const struct sg_cmd *cached_cmd;
	static struct option *all;
	static char *shorts;
	int c;

	if (cached_cmd != cmd) {
		size_t n = 0, g = ARRAY_SIZE(global_longopts);

		while (longopts && longopts[n].name)
			n++;
		all = sg_alloc_array(ctx->a, n + g + 1, sizeof(*all));
		if (n)
			memcpy(all, longopts, n * sizeof(*all));
		memcpy(all + n, global_longopts, sizeof(global_longopts));
		shorts = sg_printf(ctx->a, "%s%sc:qvh", *shortopts == '+' ? "" : "",
				   shortopts);
		cached_cmd = cmd;
	}
	opterr = 0;
	c = getopt_long(argc, argv, shorts, all, NULL);
	switch (c) {
	case 0x100:
		ctx->url = optarg;
		return 0;
	case 0x101:
		ctx->embedded = true;
		return 0;
	case 0x102:
		sg_pg_want.allow_mismatch = true;
		return 0;
	case 0x105:
		ctx->no_cache = true;
		return 0;
	case 0x103:
		if (strcmp(optarg, "json") != 0 && strcmp(optarg, "text") != 0) {
			cli_usage_error(cmd, "--format takes text or json, not '%s'", optarg);
			return '?';
		}
		return 0;    /* main.c read it before the command ran */
	case 0x104:
		return 0;
	case 'c':
		ctx->config_path = optarg;
		return 0;
	case 'q':
		sg_verbosity = -1;
		return 0;
	case 'v':
		if (sg_verbosity < 2)
			sg_verbosity++;
		return 0;
	case 'h':
		cli_usage(cmd, false);
		return 'h';
	case '?':
	case ':':
		if (optopt && optopt < 0x100)
			cli_usage_error(cmd, "unknown option or missing argument: -%c", optopt);
		else
			cli_usage_error(cmd, "unknown option or missing argument: %s",
					argv[optind - 1]);
		return '?';
	default:
		return c;
	}
}

int cli_no_options(struct sg_ctx *ctx, int argc, char **argv,
		   const struct sg_cmd *cmd)
{
	static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
	int c;

	while ((c = cli_getopt(ctx, argc, argv, "", longopts, cmd)) != -1) {
		if (c == 'h')
			return EXIT_OK;
		if (c == '?')
			return EXIT_ERR;
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	return -1;
}

/* ---- configuration and databases ---- */

int cli_diags(struct sg_diags *d)
{
	sg_diags_print(d);
	return EXIT_ERR;
}

/*
 * The nearest schemagen.yaml: in the working directory or the folders
 * above it, up to the root (as git finds .git).  Returns a path relative
 * to the working directory ("schemagen.yaml", "../../schemagen.yaml"), so
 * that messages name files the way the user reaches them, or NULL.
 */
static const char *find_config(struct sg_arena *a)
{
	struct sbuf up = SBUF_INIT;
	const char *found = NULL;
	struct stat st, here, parent;

	for (int depth = 0; depth < 256; depth++) {
		char *cand = sg_printf(a, "%sschemagen.yaml", up.buf ? up.buf : "");

		if (stat(cand, &st) == 0) {
			found = cand;
			break;
		}
		/* stop at the root: a folder that is its own parent */
		if (stat(up.len ? up.buf : ".", &here) < 0 ||
		    stat(sg_printf(a, "%s..", up.buf ? up.buf : ""), &parent) < 0 ||
		    (here.st_dev == parent.st_dev && here.st_ino == parent.st_ino))
			break;
		sbuf_adds(&up, "../");
	}
	sbuf_release(&up);
	return found;
}

static struct sg_loc envloc(const char *file, int line, int col)
{
	struct sg_loc l = { .file = sg_file_id(file), .line = line, .col = col };

	return l;
}

/* Unquoted .env value: to a ` #` comment, trailing blanks trimmed. */
static char *dotenv_plain(struct sg_arena *a, const char *v)
{
	size_t n = 0, end = 0;

	for (; v[n]; n++) {
		if (v[n] == '#' && (n == 0 || v[n - 1] == ' ' || v[n - 1] == '\t'))
			break;
		if (v[n] != ' ' && v[n] != '\t')
			end = n + 1;
	}
	return sg_strndup(a, v, end);
}

/*
 * A .env file: `KEY=VALUE` lines, `export KEY=VALUE`, values bare (a ` #`
 * starts a comment), 'single-quoted' (as written) or "double-quoted"
 * (\n, \t, \", \\, \$ read as such); `#` lines, blank lines and a bare
 * KEY are skipped.  A variable already in the environment wins.  Values
 * are never printed; a malformed line is an error at file:line:col.
 */
static int load_dotenv(struct sg_arena *a, const char *path)
{
	struct sg_diags d;
	size_t len;
	char *text;
	int lineno = 0;

	if (access(path, F_OK) < 0)
		return 0;
	text = sg_read_file(path, &len);
	if (!text)
		return sg_error("cannot read %s: %s", path, strerror(errno));
	sg_diags_init(&d, a);
	for (char *line = text, *next; line && *line; line = next) {
		char *p = line, *key, *val;
		size_t klen;

		lineno++;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (p[0] && p[strlen(p) - 1] == '\r')
			p[strlen(p) - 1] = '\0';
		p += strspn(p, " \t");
		if (!*p || *p == '#')
			continue;
		if (strncmp(p, "export", 6) == 0 && (p[6] == ' ' || p[6] == '\t'))
			p += 6 + strspn(p + 6, " \t");
		key = p;
		klen = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			      "0123456789_");
		if (klen == 0 || (key[0] >= '0' && key[0] <= '9')) {
			sg_diag_error(&d, envloc(path, lineno, (int)(p - line) + 1),
				      "expected NAME=VALUE (a name of letters, digits and underscores)");
			continue;
		}
		p += klen;
		p += strspn(p, " \t");
		if (!*p || *p == '#')
			continue;   /* a bare NAME: nothing to set */
		if (*p != '=') {
			sg_diag_error(&d, envloc(path, lineno, (int)(p - line) + 1),
				      "expected = after the name %.*s", (int)klen, key);
			continue;
		}
		p++;
		p += strspn(p, " \t");
		if (*p == '\'' || *p == '"') {
			char q = *p++;
			struct sbuf sb = SBUF_INIT;
			const char *rest;

			for (; *p && *p != q; p++) {
				if (q == '"' && *p == '\\' && p[1]) {
					p++;
					sbuf_addch(&sb, *p == 'n' ? '\n' : *p == 't' ? '\t' : *p);
				} else {
					sbuf_addch(&sb, *p);
				}
			}
			rest = *p ? p + 1 : NULL;
			if (rest)
				rest += strspn(rest, " \t");
			if (!rest || (*rest && *rest != '#')) {
				sg_diag_error(&d, envloc(path, lineno, (int)(key - line) + 1),
					      rest ? "text after the closing quote of %.*s"
						   : "the value of %.*s has no closing quote",
					      (int)klen, key);
				sbuf_release(&sb);
				continue;
			}
			val = sbuf_to_arena(&sb, a);
			sbuf_release(&sb);
		} else {
			val = dotenv_plain(a, p);
		}
		key = sg_strndup(a, key, klen);
		if (!getenv(key) && setenv(key, val, 1) < 0)
			sg_diag_error(&d, envloc(path, lineno, 1),
				      "cannot set %s: %s", key, strerror(errno));
	}
	free(text);
	if (d.nerrors) {
		sg_diags_print(&d);
		return -1;
	}
	return 0;
}

int cli_load_config(struct sg_ctx *ctx)
{
	struct sg_diags d;
	const char *path = ctx->config_path;
	char *abs;

	if (ctx->config_loaded)
		return 0;
	sg_config_defaults(&ctx->cfg);
	if (!path)
		path = find_config(ctx->a);
	if (path) {
		const char *slash = strrchr(path, '/');
		const char *dir = slash ? sg_strndup(ctx->a, path, (size_t)(slash - path) + 1) : "";

		if (access(path, R_OK) < 0)
			return sg_error("cannot read config file %s: %s", path,
					strerror(errno));
		/* before ${VAR} in the config and DATABASE_URL are read */
		if (load_dotenv(ctx->a, sg_printf(ctx->a, "%s.env", dir)) < 0)
			return -1;
		sg_diags_init(&d, ctx->a);
		if (yaml_load_config(ctx->a, path, &ctx->cfg, &d) < 0 || d.nerrors) {
			sg_diags_print(&d);
			return -1;
		}
		if (ctx->cfg.file_template) {
			size_t at;
			const char *why = store_check_template(ctx->cfg.file_template, &at);

			if (why) {
				struct sg_diag *dg = sg_diag_error(&d,
					sg_loc_at(ctx->cfg.file_template_loc,
						  ctx->cfg.file_template, at),
					"file_template: %s", why);

				sg_diag_hint(dg, &d, "for example \"%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s\"");
				sg_diags_print(&d);
				return -1;
			}
		}
		if (d.n)
			sg_diags_print(&d);
		if (!ctx->config_path && strcmp(path, "schemagen.yaml") != 0)
			sg_verbose("project: %s", path);
	}
	abs = realpath(ctx->cfg.root, NULL);
	ctx->project_dir = sg_strdup(ctx->a, abs ? abs : ctx->cfg.root);
	free(abs);
	ctx->config_loaded = true;
	/* the scratch server's version until a database tells (embedded.h) */
	if (ctx->cfg.postgres_version && !sg_pg_want.major) {
		sg_pg_want.major = ctx->cfg.postgres_version;
		sg_pg_want.why = sg_printf(ctx->a, "%s sets postgres_version: %d",
					   ctx->cfg.path, ctx->cfg.postgres_version);
	}
	if (ctx->cfg.allow_version_mismatch)
		sg_pg_want.allow_mismatch = true;
	sg_pg_want.dirs = ctx->cfg.postgres_versions;
	sg_pg_want.ndirs = ctx->cfg.npostgres_versions;
	return 0;
}

const char *cli_embedded_dbname(struct sg_ctx *ctx)
{
	const char *dir, *base;
	struct sbuf sb = SBUF_INIT;
	size_t start;
	uint64_t h;
	const char *r;

	if (cli_load_config(ctx) < 0)
		return NULL;
	dir = ctx->project_dir;
	base = strrchr(dir, '/');
	base = base && base[1] ? base + 1 : dir;
	h = sg_hash64(dir, strlen(dir));
	sbuf_adds(&sb, "schemagen_");
	start = sb.len;
	for (const char *p = base; *p && sb.len - start < 32; p++) {
		char ch = *p;

		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
			sbuf_addch(&sb, ch);
		else if (sb.len > start && sb.buf[sb.len - 1] != '_')
			sbuf_addch(&sb, '_');
	}
	while (sb.len > start && sb.buf[sb.len - 1] == '_')
		sbuf_setlen(&sb, sb.len - 1);
	if (sb.len == start)
		sbuf_adds(&sb, "project");
	sbuf_addf(&sb, "_%08x", (unsigned)(h & 0xffffffffu));
	r = sbuf_to_arena(&sb, ctx->a);
	sbuf_release(&sb);
	return r;
}

static bool libpq_env_set(void)
{
	static const char *const vars[] = {
		"PGHOST", "PGHOSTADDR", "PGSERVICE", "PGDATABASE", "PGPORT",
	};

	for (size_t i = 0; i < ARRAY_SIZE(vars); i++) {
		const char *v = getenv(vars[i]);

		if (v && *v)
			return true;
	}
	return false;
}

/* `embedded` as a URL asks for the embedded server. */
static bool says_embedded(const char *url)
{
	return url && strcmp(url, "embedded") == 0;
}

int cli_target(struct sg_ctx *ctx, const char **conninfo, enum target_source *src)
{
	const char *env = getenv("DATABASE_URL");
	bool asked = false;

	if (cli_load_config(ctx) < 0)
		return -1;
	if (ctx->embedded && ctx->url)
		return sg_error("--url and --embedded both name the database: give one");
	if (ctx->embedded) {
		asked = true;
		*src = TARGET_FLAG;
	} else if (ctx->url) {
		*conninfo = ctx->url;
		*src = TARGET_FLAG;
	} else if (env && *env) {
		*conninfo = env;
		*src = TARGET_ENV;
	} else if (ctx->cfg.database_url_unset) {
		sg_diag_emit(ctx->cfg.database_url_unset);
		return -1;
	} else if (ctx->cfg.database_url) {
		*conninfo = ctx->cfg.database_url;
		*src = TARGET_CONFIG;
	} else if (libpq_env_set()) {
		*conninfo = "";
		*src = TARGET_LIBPQ;
	} else {
		*src = TARGET_EMBEDDED;
		if (ctx->writes) {
			sg_error("%s writes to a database, and none is configured: the embedded server is used only when asked for",
				 ctx->cmd ? ctx->cmd : "this command");
			sg_hint("set DATABASE_URL (in the environment, or in a .env file beside schemagen.yaml) or pass --url URL; "
				"for the embedded server, write `database_url: embedded` in schemagen.yaml or pass --embedded");
			return -1;
		}
	}
	if (!asked && *src != TARGET_EMBEDDED && says_embedded(*conninfo))
		asked = true;
	if (asked || *src == TARGET_EMBEDDED) {
		const char *db = cli_embedded_dbname(ctx);

		*conninfo = db ? sg_embedded_conninfo(ctx->a, db, true) : NULL;
		*src = TARGET_EMBEDDED;
		if (!*conninfo)
			return -1;
		return 0;
	}
	*conninfo = sg_conninfo_strip_driver(ctx->a, *conninfo);
	return 0;
}

bool cli_has_target(struct sg_ctx *ctx)
{
	const char *env = getenv("DATABASE_URL");

	if (cli_load_config(ctx) < 0)
		return false;
	/* an unset ${VAR} in database_url: cli_target() reports it */
	return ctx->embedded || ctx->url || (env && *env) || ctx->cfg.database_url ||
	       ctx->cfg.database_url_unset || libpq_env_set();
}

/* "target: host:port/db as user" (a socket directory is shown as its path). */
static void print_target(struct sg_ctx *ctx, struct sg_conn *c, bool embedded)
{
	PGconn *pg = sg_conn_pg(c);
	const char *where = sg_printf(ctx->a, "%s:%s/%s as %s",
				      sg_qt(ctx->a, PQhost(pg) ? PQhost(pg) : "?"),
				      sg_qt(ctx->a, PQport(pg) ? PQport(pg) : "?"),
				      sg_qt(ctx->a, PQdb(pg) ? PQdb(pg) : "?"),
				      sg_qt(ctx->a, PQuser(pg) ? PQuser(pg) : "?"));

	if (sg_verbosity < 0)
		return;
	fflush(stdout);
	if (embedded)
		sg_eprintf("target: embedded (%s)\n", where);
	else
		sg_eprintf("target: %s\n", where);
}

struct sg_conn *cli_connect(struct sg_ctx *ctx)
{
	const char *conninfo;
	enum target_source src;
	struct sg_conn *c;

	if (cli_target(ctx, &conninfo, &src) < 0)
		return NULL;
	c = sg_conn_open(conninfo);
	if (!c)
		return NULL;
	if (ctx->writes)
		print_target(ctx, c, src == TARGET_EMBEDDED);
	sg_verbose("database: %s%s", sg_conn_display(c),
		   src != TARGET_EMBEDDED ? "" :
		   cli_has_target(ctx) ? " (embedded)" :
		   " (embedded; no database configured)");
	{
		const char *v = PQparameterStatus(sg_conn_pg(c), "server_version");

		/* the scratch server matches it (embedded.h) */
		sg_pg_want.major = sg_conn_server_version(c) / 10000;
		sg_pg_want.why = sg_printf(ctx->a, "the database runs PostgreSQL %s",
					   v ? sg_strndup(ctx->a, v, strcspn(v, " ")) : "?");
	}
	return c;
}

long cli_lock_wait_ms(const char *s)
{
	long long ms;

	if (!s || !*s)
		return -1;
	if (strspn(s, "0123456789") == strlen(s) && strlen(s) <= 9)
		return atol(s) * 1000L;
	ms = store_timeout_ms(s);
	return ms < 0 || ms > 86400000LL * 30 ? -1 : (long)ms;
}

/* lock_wait_ms from a duration: 0 means "do not wait". */
static long lock_wait_opt(long ms)
{
	return ms == 0 ? SG_LOCK_NOWAIT : ms;
}

void cli_runner_opts(struct sg_ctx *ctx, struct sg_runner_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->version_schema = ctx->cfg.version_schema;
	o->version_table = ctx->cfg.version_table;
	o->history_table = ctx->cfg.history_table;
	o->single_transaction = ctx->cfg.single_transaction;
	o->lock_timeout = ctx->cfg.lock_timeout;
	o->statement_timeout = ctx->cfg.statement_timeout;
	o->online_lock_timeout = ctx->cfg.online_lock_timeout;
	o->online_lock_retries = ctx->cfg.online_lock_retries
		? atoi(ctx->cfg.online_lock_retries) : -1;
	/* checked when the config was read */
	if (ctx->cfg.lock_wait && cli_lock_wait_ms(ctx->cfg.lock_wait) >= 0)
		o->lock_wait_ms = lock_wait_opt(cli_lock_wait_ms(ctx->cfg.lock_wait));
}

int cli_runner_flag(struct sg_ctx *ctx, const struct sg_cmd *cmd, int c,
		    const char *arg, struct sg_runner_opts *o)
{
	switch (c) {
	case OPT_SINGLE:
		o->single_transaction = true;
		return 1;
	case OPT_NO_SINGLE:
		o->single_transaction = false;
		return 1;
	case OPT_LOCK_WAIT: {
		long ms = cli_lock_wait_ms(arg);

		if (ms < 0) {
			cli_usage_error(cmd, "--lock-wait: '%s' is not a number of seconds (or a duration: 500ms, 2min)",
					arg);
			return -1;
		}
		o->lock_wait_ms = lock_wait_opt(ms);
		return 1;
	}
	case OPT_LOCK_TIMEOUT:
	case OPT_STATEMENT_TIMEOUT:
		if (!store_valid_timeout(arg)) {
			cli_usage_error(cmd, "--%s: '%s' is not a duration (500ms, 5s, 2min, 1h; 0 turns it off)",
					c == OPT_LOCK_TIMEOUT ? "lock-timeout" : "statement-timeout",
					arg);
			return -1;
		}
		if (c == OPT_LOCK_TIMEOUT)
			o->lock_timeout = arg;
		else
			o->statement_timeout = arg;
		return 1;
	case OPT_ACCEPT: {
		/* repeatable, and comma-separated */
		char *list = sg_strdup(ctx->a, arg), *save = NULL;
		const char **v = sg_alloc_array(ctx->a, o->naccept_changed + strlen(arg) + 1,
						sizeof(*v));

		if (o->naccept_changed)
			memcpy(v, o->accept_changed, o->naccept_changed * sizeof(*v));
		for (char *t = strtok_r(list, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
			v[o->naccept_changed++] = t;
		o->accept_changed = v;
		return 1;
	}
	case OPT_PURGE:
		o->purge = true;
		return 1;
	default:
		return 0;
	}
}

int cli_resolve(struct sg_ctx *ctx, const struct sg_revgraph *g,
		struct sg_conn *conn, const char *ref,
		struct sg_revision ***out, size_t *n)
{
	struct sg_runner_opts o;
	const char **cur;
	size_t ncur;

	if (!ref || strcmp(ref, "current") != 0)
		return store_resolve(ctx->a, g, ref, out, n);
	if (!conn)
		return sg_error("'current' needs a database");
	cli_runner_opts(ctx, &o);
	if (runner_current(conn, &o, ctx->a, &cur, &ncur) < 0)
		return -1;
	*out = sg_alloc_array(ctx->a, ncur + 1, sizeof(**out));
	*n = 0;
	for (size_t i = 0; i < ncur; i++) {
		struct sg_revision *r = cli_revision_by_id(g, cur[i]);

		if (!r) {
			sg_error("the database is at revision %s, which is not in %s",
				 cur[i], ctx->cfg.migrations_dir);
			return -1;
		}
		(*out)[(*n)++] = r;
	}
	return 0;
}

/* A new branch label: a valid name no revision uses as id or label. */
int cli_check_label(const struct sg_revgraph *g, const char *label)
{
	if (!store_valid_name(label)) {
		sg_error("--branch-label '%s': labels are 1 to 32 letters, digits or underscores, and not head, heads or base",
			 label);
		return -1;
	}
	for (size_t i = 0; i < g->n; i++) {
		const struct sg_revision *r = g->revs[i];

		if (strcmp(r->id, label) == 0)
			return sg_error("--branch-label '%s' is a revision id", label);
		for (size_t k = 0; k < r->nbranch_labels; k++)
			if (strcmp(r->branch_labels[k], label) == 0)
				return sg_error("--branch-label '%s' is already the label of revision %s (%s)",
						label, r->id, r->path);
	}
	return 0;
}

const char *cli_rev_name(struct sg_ctx *ctx, const struct sg_revision *r)
{
	struct sbuf sb = SBUF_INIT;
	const char *s;

	sbuf_adds(&sb, r->id);
	if (r->nbranch_labels) {
		sbuf_adds(&sb, " (");
		for (size_t i = 0; i < r->nbranch_labels; i++)
			sbuf_addf(&sb, "%s%s", i ? ", " : "", r->branch_labels[i]);
		sbuf_addch(&sb, ')');
	}
	s = sbuf_to_arena(&sb, ctx->a);
	sbuf_release(&sb);
	return s;
}

int cli_load_graph(struct sg_ctx *ctx, struct sg_revgraph *g)
{
	struct sg_diags d;

	if (cli_load_config(ctx) < 0)
		return -1;
	sg_diags_init(&d, ctx->a);
	if (store_load_project(ctx->a, ctx->cfg.root, ctx->cfg.migrations_dir,
			       g, &d) < 0 || d.nerrors) {
		sg_diags_print(&d);
		return -1;
	}
	return 0;
}

void cli_mark_ancestors(const struct sg_revision *r, bool *mark)
{
	if (mark[r->order])
		return;
	mark[r->order] = true;
	for (size_t i = 0; i < r->nparents; i++)
		if (r->parent_revs[i])
			cli_mark_ancestors(r->parent_revs[i], mark);
}

struct sg_revision *cli_revision_by_id(const struct sg_revgraph *g, const char *id)
{
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->revs[i]->id, id) == 0)
			return g->revs[i];
	return NULL;
}

/* ---- pipeline ---- */

struct sg_introspect_opts cli_introspect_opts(const struct sg_ctx *ctx)
{
	return (struct sg_introspect_opts){
		.schemas = (const char *const *)ctx->cfg.schemas,
		.nschemas = ctx->cfg.nschemas,
		.version_schema = ctx->cfg.version_schema,
		.version_table = ctx->cfg.version_table,
		.history_table = ctx->cfg.history_table,
		.quiet_hidden_options = ctx->quiet_hidden_options,
	};
}

int cli_introspect(struct sg_ctx *ctx, struct sg_conn *c, struct sg_catalog **out)
{
	struct sg_introspect_opts o = cli_introspect_opts(ctx);
	struct sg_catalog *cat = sg_catalog_new(ctx->a, "database");
	unsigned long q0 = sg_conn_query_count(c);
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (introspect_catalog(c, &o, cat) < 0)
		return -1;
	if (ctx->cfg.nexclude) {
		size_t n = sg_catalog_exclude(cat, ctx->cfg.exclude, ctx->cfg.nexclude);

		if (n)
			sg_verbose("exclude: left out %zu object%s of %s", n,
				   n == 1 ? "" : "s", sg_conn_dbname(c));
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	sg_verbose("introspected %s: %zu objects, %zu dependencies, %lu queries, %.1f ms",
		   sg_conn_dbname(c), cat->nobjs, cat->ndeps, sg_conn_query_count(c) - q0,
		   (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	*out = cat;
	return 0;
}

/*
 * Both sides read at once (issue 12): the live database is introspected
 * on a thread of its own, with an arena of its own (arenas are not shared
 * between threads), while the models are materialised and read back on
 * the main thread; joining hands the thread's arena to ctx's.  Nothing
 * else is shared: the thread reads ctx's configuration, which nothing
 * changes by then, and its own connection.  When no thread can be made,
 * the introspection runs at once.
 */
static void *bg_run(void *p)
{
	struct cli_bg *bg = p;

	bg->rc = cli_introspect(&bg->ctx, bg->conn, &bg->cat);
	/* introspection parses some catalog text (text search options, rule
	 * parts): libpg_query frees the thread's own contexts when it ends;
	 * the main thread frees its own (sg_sql_cleanup(), per thread) */
	return NULL;
}

void cli_introspect_start(struct sg_ctx *ctx, struct sg_conn *c, struct cli_bg *bg)
{
	bg->ctx = *ctx;
	bg->ctx.a = sg_arena_new();
	bg->conn = c;
	bg->cat = NULL;
	bg->rc = -1;
	bg->threaded = pthread_create(&bg->thread, NULL, bg_run, bg) == 0;
	if (!bg->threaded)
		bg_run(bg);
}

int cli_introspect_join(struct sg_ctx *ctx, struct cli_bg *bg, struct sg_catalog **out)
{
	if (bg->threaded)
		pthread_join(bg->thread, NULL);
	/* its error may have gone where stderr was held back meanwhile (an
	 * incremental step of the model database): once more, to say it */
	if (bg->threaded && bg->rc < 0 && cli_quiet_used)
		bg->rc = cli_introspect(&bg->ctx, bg->conn, &bg->cat);
	bg->threaded = false;
	sg_arena_adopt(ctx->a, bg->ctx.a);
	bg->ctx.a = NULL;
	*out = bg->cat;
	return bg->rc;
}

/*
 * Schemas a fresh database has (public) keep their default comment unless
 * the models give one, so that not mentioning it is not a change.
 */
static void inherit_default_comments(struct sg_catalog *model,
				     const struct sg_catalog *fresh)
{
	for (size_t i = 0; i < fresh->nbykind[SG_KIND_SCHEMA]; i++) {
		const struct sg_object *s = fresh->bykind[SG_KIND_SCHEMA][i];
		struct sg_object *m = sg_catalog_find(model, SG_KIND_SCHEMA, s->schema,
						      NULL, s->name);

		if (m && !m->comment)
			m->comment = s->comment;
	}
}

struct role_ref {
	const char *name;
	struct sg_loc loc;
};

static int role_ref_cmp(const void *x, const void *y)
{
	const struct role_ref *a = x, *b = y;

	return strcmp(a->name, b->name);
}

static void add_role(struct sg_arena *a, void *vec, const char *name,
		     struct sg_loc loc)
{
	SG_VEC(struct role_ref) *v = vec;

	if (name && strcmp(name, SG_ROLE_PUBLIC) != 0)
		SG_VEC_PUSH(a, v, ((struct role_ref){ name, loc }));
}

/* The roles the models name, sorted, each once, with where first named. */
static size_t model_roles(struct sg_arena *a, const struct sg_catalog *cat,
			  struct role_ref **out)
{
	SG_VEC(struct role_ref) v = { 0 };
	size_t n = 0;

	for (size_t i = 0; i < cat->nobjs; i++) {
		const struct sg_object *o = cat->objs[i];

		if (!o)
			continue;
		add_role(a, &v, o->owner, o->owner_loc);
		if (o->has_acl)
			for (size_t k = 0; k < o->ngrants; k++)
				add_role(a, &v, o->grants[k].grantee, o->grants[k].loc);
		if (o->kind == SG_KIND_POLICY) {
			const struct sg_policy *p = (const void *)o;

			for (size_t k = 0; k < p->nroles; k++)
				add_role(a, &v, p->roles[k], p->roles_loc);
		} else if (o->kind == SG_KIND_USER_MAPPING) {
			const struct sg_user_mapping *m = (const void *)o;

			if (strcmp(m->role, SG_ROLE_CURRENT) != 0)
				add_role(a, &v, m->role, o->loc);
		} else if (o->kind == SG_KIND_SCHEMA ||
			   o->kind == SG_KIND_DEFAULT_ACL) {
			const struct sg_schema *s = (const void *)o;
			const struct sg_default_acl *g = (const void *)o;
			const struct sg_defacl *dv = o->kind == SG_KIND_SCHEMA
				? s->defacls : g->defacls;
			size_t nd = o->kind == SG_KIND_SCHEMA ? s->ndefacls
				: g->ndefacls;

			for (size_t k = 0; k < nd; k++) {
				const struct sg_defacl *dp = &dv[k];

				add_role(a, &v, dp->role, dp->role_loc);
				for (size_t j = 0; j < dp->ngrants; j++)
					add_role(a, &v, dp->grants[j].grantee,
						 dp->grants[j].loc);
			}
		}
	}
	if (v.n)
		qsort(v.v, v.n, sizeof(v.v[0]), role_ref_cmp);
	/* stable enough: keep the first of equal names */
	for (size_t i = 0; i < v.n; i++)
		if (!n || strcmp(v.v[n - 1].name, v.v[i].name) != 0)
			v.v[n++] = v.v[i];
	*out = v.v;
	return n;
}

/* The roles the models name, as ctx->roles too; *out with where first named. */
static size_t set_model_roles(struct sg_ctx *ctx, const struct sg_catalog *model,
			      struct role_ref **out)
{
	size_t n = model_roles(ctx->a, model, out);
	const char **names = sg_alloc_array(ctx->a, n + 1, sizeof(*names));

	/* ctx's own copies: the models' catalog is freed (cli_desired()) */
	for (size_t i = 0; i < n; i++)
		names[i] = sg_strdup(ctx->a, (*out)[i].name);
	ctx->roles = names;
	ctx->nroles = n;
	return n;
}

/*
 * The roles the models name must exist where they are materialised: the
 * embedded server gets them (NOLOGIN), a dev_url server must have them.
 */
static int scratch_roles_of(struct sg_ctx *ctx, struct sg_scratch *scratch,
			    const struct role_ref *refs, const char *const *names,
			    size_t n, const char *who)
{
	const char **missing = sg_alloc_array(ctx->a, n + 1, sizeof(*missing));
	struct sg_diags d;
	int k;

	k = sg_scratch_roles(ctx->a, scratch, names, n, missing);
	if (k <= 0)
		return k;
	sg_diags_init(&d, ctx->a);
	for (int i = 0; i < k; i++)
		for (size_t j = 0; j < n; j++)
			if (strcmp(refs[j].name, missing[i]) == 0) {
				struct sg_diag *dg = sg_diag_error(&d, refs[j].loc,
					"role %s does not exist on the scratch server "
					"(dev_url or SCHEMAGEN_DEV_URL)",
					sg_qi(ctx->a, missing[i]));

				sg_diag_hint(dg, &d, "create it there (CREATE ROLE %s "
					     "NOLOGIN), or unset dev_url to use the "
					     "embedded server, which creates the roles "
					     "%s name", sg_qi(ctx->a, missing[i]), who);
				break;
			}
	sg_diags_print(&d);
	return -1;
}

static int scratch_roles(struct sg_ctx *ctx, struct sg_scratch *scratch,
			 const struct role_ref *refs, size_t n)
{
	return scratch_roles_of(ctx, scratch, refs, ctx->roles, n, "the models");
}

/*
 * The roles the upgrade statements of the migrations name that refs (the
 * models') does not, appended to it, each with where first named; the
 * roles a migration creates itself are not.  A statement that does not
 * parse names none (the server reports it when it runs); a file whose
 * body does not split is reported here (its body is parsed once: the
 * replay would get the result without the messages), -1.
 */
static int migration_roles(struct sg_ctx *ctx, const struct sg_revgraph *g,
			   void *vec)
{
	SG_VEC(struct role_ref) *v = vec;
	SG_VEC(const char *) created = { 0 };
	size_t nmodel = v->n;
	struct sg_diags d;

	sg_diags_init(&d, ctx->a);
	for (size_t i = 0; i < g->n; i++) {
		struct sg_revision *r = g->revs[i];

		if (store_parse_body(r, &d) < 0) {
			sg_diags_print(&d);
			return -1;
		}
		for (size_t k = 0; k < r->up.n; k++) {
			const struct sg_stmt *st = &r->up.v[k];
			struct sg_loc at = { .file = sg_file_id(st->file), .line = st->line,
					     .col = st->col };
			struct sg_sql_role *rv;
			const char *made;
			size_t n;

			if (sg_sql_roles(ctx->a, st->sql, &rv, &n, &made) < 0)
				continue;
			if (made)
				SG_VEC_PUSH(ctx->a, &created, made);
			for (size_t j = 0; j < n; j++) {
				bool have = false;

				for (size_t m = 0; m < v->n && !have; m++)
					have = strcmp(v->v[m].name, rv[j].name) == 0;
				if (!have)
					SG_VEC_PUSH(ctx->a, v, ((struct role_ref){
						rv[j].name,
						sg_loc_at(at, st->sql, rv[j].offset) }));
			}
		}
	}
	/* a role a migration creates: not made before it runs */
	for (size_t i = nmodel, w = nmodel; i <= v->n; i++) {
		bool made = false;

		if (i == v->n) {
			v->n = w;
			break;
		}
		for (size_t m = 0; m < created.n && !made; m++)
			made = strcmp(created.v[m], v->v[i].name) == 0;
		if (!made)
			v->v[w++] = v->v[i];
	}
	return 0;
}

static int replay_roles(struct sg_ctx *ctx, struct sg_scratch *srv,
			const struct sg_revgraph *g, struct sg_catalog *model)
{
	struct sg_scratch s = *srv;
	struct role_ref *roles;
	SG_VEC(struct role_ref) all = { 0 };
	const char **names;
	struct sg_diags d;
	size_t n;

	sg_diags_init(&d, ctx->a);
	if (yaml_load_models(ctx->cfg.schema_dir, &ctx->cfg, model, &d) < 0 ||
	    d.nerrors) {
		sg_diags_print(&d);
		return -1;
	}
	n = set_model_roles(ctx, model, &roles);
	for (size_t i = 0; i < n; i++)
		SG_VEC_PUSH(ctx->a, &all, roles[i]);
	if (migration_roles(ctx, g, &all) < 0)
		return -1;
	names = sg_alloc_array(ctx->a, all.n + 1, sizeof(*names));
	for (size_t i = 0; i < all.n; i++)
		names[i] = all.v[i].name;
	/* roles are the server's: its admin connection will do */
	s.conn = srv->admin;
	return scratch_roles_of(ctx, &s, all.v, names, all.n,
				"the models and the migrations") < 0 ? -1 : 0;
}

/* The models' catalog, read for their roles only, freed once they are made
 * (ctx->roles are copies): at 10,000 tables it is as big as the replay's. */
int cli_replay_roles(struct sg_ctx *ctx, struct sg_scratch *srv,
		     const struct sg_revgraph *g)
{
	struct sg_arena *ma = sg_arena_new();
	int rc = replay_roles(ctx, srv, g, sg_catalog_new(ma, "models"));

	sg_arena_free(ma);
	return rc;
}

/*
 * Are the columns of every table in got in the order the models give them
 * (of its columns those the models name)?  A full materialisation creates
 * them in that order; a migration appends what it adds.
 */
static bool columns_in_model_order(const struct sg_catalog *got,
				   const struct sg_catalog *model)
{
	for (size_t i = 0; i < got->nbykind[SG_KIND_TABLE]; i++) {
		const struct sg_table *t = (const void *)got->bykind[SG_KIND_TABLE][i];
		const struct sg_table *m = (const void *)sg_catalog_find(
			model, SG_KIND_TABLE, t->obj.schema, NULL, t->obj.name);
		size_t k = 0;

		if (!m)
			continue;
		for (size_t j = 0; j < t->ncolumns; j++) {
			const char *name = t->columns[j]->obj.name;
			bool named = false;

			for (size_t x = 0; x < m->ncolumns && !named; x++)
				named = strcmp(m->columns[x]->obj.name, name) == 0;
			if (!named)
				continue;
			if (k >= m->ncolumns || strcmp(m->columns[k]->obj.name, name) != 0)
				return false;
			k++;
		}
	}
	return true;
}

/*
 * The models leave sequence options unset that PostgreSQL then defaults;
 * introspection reads every one.  A CREATE needs only those given, but an
 * ALTER from the database's options compares and sets each: the models'
 * are completed with PostgreSQL's defaults (as emit_seq_options() knows
 * them) while the model database's changes are planned, and restored
 * after (saved[], n entries).
 */
struct saved_opts {
	struct sg_seqopts *p, was;
};

static void complete_seqopts(struct sg_arena *a, struct sg_seqopts *o,
			     const char *type, struct saved_opts *sv)
{
	int64_t tmin = INT64_MIN, tmax = INT64_MAX;

	sv->p = o;
	sv->was = *o;
	if (!(o->set & SG_SEQ_TYPE) || !o->type)
		o->type = sg_strdup(a, type);
	if (sg_streq(o->type, "smallint")) {
		tmin = INT16_MIN;
		tmax = INT16_MAX;
	} else if (sg_streq(o->type, "integer")) {
		tmin = INT32_MIN;
		tmax = INT32_MAX;
	}
	if (!(o->set & SG_SEQ_INCREMENT))
		o->increment = 1;
	if (!(o->set & SG_SEQ_MIN))
		o->min = o->increment > 0 ? 1 : tmin;
	if (!(o->set & SG_SEQ_MAX))
		o->max = o->increment > 0 ? tmax : -1;
	if (!(o->set & SG_SEQ_START))
		o->start = o->increment > 0 ? o->min : o->max;
	if (!(o->set & SG_SEQ_CACHE))
		o->cache = 1;
	if (!(o->set & SG_SEQ_CYCLE))
		o->cycle = false;
	o->set = SG_SEQ_ALL;
}

static size_t complete_model_seqopts(struct sg_arena *a, struct sg_catalog *model,
				     struct saved_opts **out)
{
	struct saved_opts *sv;
	size_t n = 0;

	/* as many as there are sequences and identities, not objects */
	for (size_t i = 0; i < model->nobjs; i++) {
		const struct sg_object *o = model->objs[i];

		n += o && (o->kind == SG_KIND_SEQUENCE ||
			   (o->kind == SG_KIND_COLUMN &&
			    ((const struct sg_column *)o)->identity));
	}
	sv = sg_alloc_array(a, n + 1, sizeof(*sv));
	n = 0;
	for (size_t i = 0; i < model->nobjs; i++) {
		struct sg_object *o = model->objs[i];

		if (!o)
			continue;
		if (o->kind == SG_KIND_SEQUENCE) {
			struct sg_sequence *q = (void *)o;

			complete_seqopts(a, &q->opts, "bigint", &sv[n++]);
		} else if (o->kind == SG_KIND_COLUMN) {
			struct sg_column *c = (void *)o;

			if (c->identity)
				complete_seqopts(a, &c->identity_opts, c->type, &sv[n++]);
		}
	}
	*out = sv;
	return n;
}

/*
 * Brings the model database (scratch->conn), holding prev, to the models
 * (modeldb.c has the design): diff, order, emit, run in one transaction,
 * read back.  NULL and *out on success; else why not (nothing said: the
 * caller materialises everything, which reports the models' errors).
 *
 * Memory (issue 12: within 2x pg_dump's at 10,000 tables): the diff of
 * every object (mostly differences of form, dropped by the filter) is
 * made in an arena of its own, freed once the changes kept are copied
 * out; the step's plan and script in another, freed once the database is
 * read back.  The catalog read back (ctx->a) points into neither.
 */
/* NULL, or an object of one of the two catalogs (not one the differ made) */
static bool held_by(const struct sg_catalog *a, const struct sg_catalog *b,
		    const struct sg_object *o)
{
	return !o || (o->id >= 0 && (((size_t)o->id < a->nobjs && a->objs[o->id] == o) ||
				     ((size_t)o->id < b->nobjs && b->objs[o->id] == o)));
}

static const char *incremental(struct sg_ctx *ctx, struct sg_scratch *scratch,
			       struct sg_catalog *model, struct sg_catalog *prev,
			       const struct sg_catalog *fresh,
			       const struct cli_digests *dg, struct sg_catalog **out)
{
	struct sg_arena *all = sg_arena_new(), *step = sg_arena_new();
	struct sg_changes changes = { 0 }, kept = { 0 };
	struct sg_plan plan = { 0 };
	struct sg_script script = { 0 };
	struct sg_diags d;
	const char *why = NULL, *pwhy;
	struct saved_opts *saved;
	struct cli_saved_grants *grants;
	struct cli_saved_owners *owners = NULL;
	size_t nsaved;
	bool keep_all = false;
	int fd;

	sg_diags_init(&d, ctx->a);
	/* what it says is the full materialisation's to say */
	fd = sg_verbosity >= 1 ? -1 : cli_quiet_begin();
	nsaved = complete_model_seqopts(all, model, &saved);
	grants = cli_modeldb_grants_default(all, model, fresh);
	if (!(owners = cli_modeldb_owners_default(all, scratch->conn, dg, model,
						  fresh))) {
		why = "the role materialising the models could not be read";
		goto out;
	}
	if (diff_catalogs(all, prev, model, &changes, &d) < 0 || d.nerrors) {
		why = "the change could not be planned";
		goto out;
	}
	/* the digests are of the models as written */
	for (size_t i = 0; i < nsaved; i++)
		*saved[i].p = saved[i].was;
	nsaved = 0;
	cli_modeldb_grants_restore(grants);
	cli_modeldb_owners_restore(owners);
	owners = NULL;
	if ((why = cli_modeldb_filter(all, dg, prev, model, &changes)) != NULL)
		goto out;
	/* the changes kept (flat), the rest dropped -- unless one names an
	 * object the differ made (a table rebuilt disowns a sequence) */
	kept.v = sg_alloc_array(step, changes.n + 1, sizeof(*kept.v));
	kept.cap = changes.n + 1;
	for (size_t i = 0; i < changes.n; i++) {
		const struct sg_change *c = changes.v[i];

		if (!held_by(prev, model, c->from) || !held_by(prev, model, c->to))
			keep_all = true;
		kept.v[kept.n++] = sg_memdup(step, c, sizeof(*c));
	}
	if (!keep_all) {
		sg_arena_free(all);
		all = NULL;
	}
	nsaved = complete_model_seqopts(step, model, &saved);
	grants = cli_modeldb_grants_default(step, model, fresh);
	if (!(owners = cli_modeldb_owners_default(step, scratch->conn, dg, model,
						  fresh))) {
		why = "the role materialising the models could not be read";
		goto out;
	}
	if (order_changes(step, prev, model, &kept, &plan, &d) < 0 || d.nerrors) {
		why = "the change could not be planned";
		goto out;
	}
	emit_plan(step, &plan, &script);
	sg_verbose("model database: %zu statements for %zu changes", script.n,
		   kept.n);
	if (script.n == 0) {
		/* the database is the one the fingerprint vouched for */
		*out = prev;
	} else if (runner_exec_script(scratch->conn, &script, &d) < 0 || d.nerrors) {
		why = "the change failed to run";
		goto out;
	} else if ((pwhy = cli_partial_read(ctx, scratch->conn, &plan, prev, out)) != NULL &&
		   (sg_verbose("model database: reading it back whole: %s", pwhy),
		    cli_introspect(ctx, scratch->conn, out) < 0)) {
		/* read in part, or else whole (prev intact) */
		why = "it could not be read back";
		goto out;
	}
	if (!columns_in_model_order(*out, model))
		why = "a table's columns are not in the models' order";
out:
	for (size_t i = 0; i < nsaved; i++)
		*saved[i].p = saved[i].was;
	cli_modeldb_grants_restore(grants);
	cli_modeldb_owners_restore(owners);
	cli_quiet_end(fd);
	if (why && d.n && sg_verbosity >= 1)
		sg_diags_print(&d);
	sg_arena_free(all);
	sg_arena_free(step);
	return why;
}

/* Every model made in the database scratch->conn holds (an empty one,
 * whose catalog is fresh), and it read back. */
static int materialise(struct sg_ctx *ctx, struct sg_scratch *scratch,
		       struct sg_catalog *fresh, struct sg_catalog *model,
		       struct sg_catalog **out)
{
	/* the DDL of every model: dropped once run (memory) */
	struct sg_arena *stage = sg_arena_new();
	struct sg_changes changes = { 0 };
	struct sg_plan plan = { 0 };
	struct sg_script script = { 0 };
	struct sg_diags d;
	int rc = -1;

	sg_diags_init(&d, ctx->a);
	if (diff_catalogs(stage, fresh, model, &changes, &d) < 0 ||
	    order_changes(stage, fresh, model, &changes, &plan, &d) < 0) {
		sg_diags_print(&d);
		goto out;
	}
	emit_plan(stage, &plan, &script);
	if (runner_exec_script(scratch->conn, &script, &d) < 0) {
		if (d.n)
			sg_diags_print(&d);
		goto out;
	}
	sg_arena_free(stage);
	stage = NULL;
	rc = cli_introspect(ctx, scratch->conn, out);
out:
	sg_arena_free(stage);
	return rc;
}

/* The catalog serialised with every object's oid 0 (a database made
 * twice has other oids, nothing else). */
static void serialise_sans_oids(struct sg_arena *a, struct sbuf *sb,
				struct sg_catalog *cat)
{
	uint32_t *oids = sg_alloc_array(a, cat->nobjs + 1, sizeof(*oids));

	for (size_t i = 0; i < cat->nobjs; i++)
		if (cat->objs[i]) {
			oids[i] = cat->objs[i]->oid;
			cat->objs[i]->oid = 0;
		}
	sg_catalog_serialise(sb, cat);
	for (size_t i = 0; i < cat->nobjs; i++)
		if (cat->objs[i])
			cat->objs[i]->oid = oids[i];
}

/*
 * SCHEMAGEN_INCREMENTAL_CHECK (the tests': t4640 runs the shared corpus
 * with it): after an incremental step, the models are materialised whole
 * in a database of their own beside the model database (made, read back,
 * dropped) and the two catalogs compared, oids aside; when they differ
 * it is an error naming the first object that does (-1).
 */
static int incremental_check(struct sg_ctx *ctx, struct sg_scratch *scratch,
			     const char *name, struct sg_catalog *fresh,
			     struct sg_catalog *model, const struct role_ref *roles,
			     size_t nroles, struct sg_catalog *got)
{
	struct sg_scratch s = *scratch;
	struct sg_catalog *full = NULL;
	struct sbuf x = SBUF_INIT, y = SBUF_INIT;
	const char *check = sg_printf(ctx->a, "sg_check_%016llx",
				      (unsigned long long)sg_hash64(name, strlen(name)));
	const char *why = NULL;
	int rc = -1;

	if (!(s.conn = cli_modeldb_create(ctx, &s, check)))
		goto out;
	if (sg_scratch_restore_settings(&s) < 0 ||
	    scratch_roles(ctx, &s, roles, nroles) < 0 ||
	    materialise(ctx, &s, fresh, model, &full) < 0) {
		why = "the models do not materialise whole";
		goto out;
	}
	serialise_sans_oids(ctx->a, &x, got);
	serialise_sans_oids(ctx->a, &y, full);
	if (got->nobjs != full->nobjs)
		why = sg_printf(ctx->a, "%zu objects, the full materialisation %zu",
				got->nobjs, full->nobjs);
	else if (x.len != y.len || memcmp(x.buf, y.buf, x.len) != 0) {
		why = "the same objects, their dependencies differ";
		for (size_t i = 0; i < got->nobjs; i++) {
			const struct sg_object *a = got->objs[i], *b = full->objs[i];
			struct sbuf sd = SBUF_INIT;

			if (a && b && a->kind == b->kind && sg_streq(a->schema, b->schema) &&
			    sg_streq(a->name, b->name) &&
			    sg_object_digest(a) == sg_object_digest(b))
				continue;
			if (a)
				sg_object_describe(&sd, a);
			why = sg_printf(ctx->a, "object %zu (%s) differs", i,
					sg_qt(ctx->a, sd.buf ? sd.buf : "none"));
			sbuf_release(&sd);
			break;
		}
	} else {
		sg_verbose("incremental check: the catalog is a full materialisation's");
		rc = 0;
	}
out:
	if (rc < 0)
		sg_error("incremental check: the model database's catalog is not a full "
			 "materialisation's: %s", why ? why : "the check failed");
	sbuf_release(&x);
	sbuf_release(&y);
	if (s.conn) {
		sg_conn_close(s.conn);
		cli_modeldb_drop(&s, check);
	}
	return rc;
}

static int desired_of(struct sg_ctx *ctx, struct sg_catalog *model,
		      struct sg_catalog **out)
{
	struct role_ref *roles;
	size_t nroles;
	struct sg_catalog *fresh = NULL, *prev = NULL, *desired = NULL;
	struct sg_scratch scratch;
	struct sg_diags d;
	char digest[65], key[65], env[65], prevkey[65];
	const char *name, *why;
	struct cli_digests *dg;
	struct cli_warm *warm;
	struct sg_arena *dga;
	bool built = false, opened = false;
	int rc = -1;

	if (cli_load_config(ctx) < 0)
		return -1;
	sg_diags_init(&d, ctx->a);
	/* the models unchanged: their catalog as last time, not parsed (warm.c) */
	if (!ctx->no_cache &&
	    yaml_models_digest(ctx->cfg.schema_dir, &ctx->cfg, digest) == 0 &&
	    (warm = cli_warm_read(ctx, digest)) != NULL) {
		if (sg_scratch_server(ctx->a, &ctx->cfg, &scratch) < 0) {
			cli_warm_drop(warm);
			return -1;
		}
		opened = true;
		if ((desired = cli_warm_take(ctx, &scratch, digest, warm)) != NULL) {
			*out = desired;
			rc = 0;
			goto out;
		}
	}
	if (yaml_load_models_digest(ctx->cfg.schema_dir, &ctx->cfg, model, &d,
				    digest) < 0 || d.nerrors) {
		sg_diags_print(&d);
		if (opened)
			sg_scratch_close(&scratch);
		return -1;
	}
	nroles = set_model_roles(ctx, model, &roles);
	if (!opened && sg_scratch_server(ctx->a, &ctx->cfg, &scratch) < 0)
		return -1;
	if (sg_model_check_version(model, sg_conn_server_version(scratch.admin), &d) < 0) {
		sg_diags_print(&d);
		goto out;
	}
	/* nothing the models depend on changed: the catalog of last time */
	if (!ctx->no_cache && cli_cache_key(ctx, &scratch, digest, key) == 0 &&
	    (desired = cli_cache_load(ctx, key)) != NULL) {
		sg_catalog_annotate(desired, model);
		cli_warm_store(ctx, key, digest, desired);
		*out = desired;
		rc = 0;
		goto out;
	}
	/* the model database: brought up to date, else made again */
	if (!(name = cli_modeldb_name(ctx)) ||
	    cli_modeldb_lock(ctx, &scratch, name) < 0 ||
	    cli_cache_key(ctx, &scratch, "model database", env) < 0)
		goto out;
	/* extensions that require others: the server knows which */
	if (introspect_extension_requires(scratch.admin, model) < 0)
		goto out;
	why = cli_modeldb_usable(ctx, &scratch, name, env, &scratch.conn, &prev, &fresh,
				 prevkey);
	if (!why) {
		sg_verbose("model database %s: bringing it to the models", name);
		/* as pg_dump restores (a body may name what the change drops) */
		if (sg_scratch_restore_settings(&scratch) < 0 ||
		    scratch_roles(ctx, &scratch, roles, nroles) < 0)
			goto out;
		inherit_default_comments(model, fresh);
		/* the digests: dropped once the step is made */
		dga = sg_arena_new();
		if (!(dg = cli_digests_load(ctx, dga, prevkey)))
			why = "the digests of the models it holds are missing or damaged";
		else
			why = incremental(ctx, &scratch, model, prev, fresh, dg, &desired);
		sg_arena_free(dga);
	}
	if (why) {
		sg_verbose("model database %s: %s; materialising every model", name, why);
		sg_conn_close(scratch.conn);
		if (!(scratch.conn = cli_modeldb_create(ctx, &scratch, name)))
			goto out;
		built = true;
		sg_verbose("materialising the models in scratch database %s", name);
		if (sg_scratch_restore_settings(&scratch) < 0 ||
		    scratch_roles(ctx, &scratch, roles, nroles) < 0)
			goto out;
		if (cli_introspect(ctx, scratch.conn, &fresh) < 0)
			goto out;
		inherit_default_comments(model, fresh);
		if (materialise(ctx, &scratch, fresh, model, &desired) < 0)
			goto out;
	} else if (getenv("SCHEMAGEN_INCREMENTAL_CHECK") &&
		   incremental_check(ctx, &scratch, name, fresh, model, roles, nroles,
				     desired) < 0) {
		goto out;
	}
	/* the keys again: materialising may have made roles (embedded) */
	if (cli_cache_key(ctx, &scratch, "model database", env) < 0 ||
	    cli_cache_key(ctx, &scratch, digest, key) < 0 ||
	    cli_modeldb_seal(ctx, &scratch, name, scratch.conn, env, key) < 0)
		goto out;
	if (built)
		cli_fresh_cache_store(ctx, env, fresh);
	cli_cache_store(ctx, key, desired);
	cli_digests_store(ctx, key, model);
	sg_catalog_annotate(desired, model);
	cli_warm_store(ctx, key, digest, desired);
	*out = desired;
	rc = 0;
out:
	if (rc < 0 && built)
		cli_modeldb_drop(&scratch, name);
	sg_scratch_close(&scratch);
	return rc;
}

/*
 * The models' catalog is in an arena of its own, dropped once the desired
 * catalog is annotated from it (sg_catalog_annotate() copies what it
 * takes, ctx->roles are copies): at 10,000 tables it is a third of the
 * peak otherwise, beside the desired and the live catalogs.
 */
int cli_desired(struct sg_ctx *ctx, struct sg_catalog **out)
{
	struct sg_arena *ma = sg_arena_new();
	int rc = desired_of(ctx, sg_catalog_new(ma, "models"), out);

	sg_arena_free(ma);
	return rc;
}

void cli_owners(const struct sg_catalog *desired, struct sg_catalog *live)
{
	if (!desired->owners)
		sg_catalog_forget_owners(live);
}

/*
 * A column type change PostgreSQL cannot convert (no cast between the two
 * types: bigint to timestamp) would fail when the migration runs; it is
 * refused now, at the model's column, with what to write instead.  The
 * server is asked, in a scratch database: types every database has are
 * checked; a change between user types meets the server's error at
 * upgrade (rolled back whole, like any failing revision).  `down` says the
 * changes are the downgrade's, whose desired side is `from`.
 */
static int check_casts(struct sg_ctx *ctx, const struct sg_changes *changes,
		       bool down, struct sg_scratch *scratch, struct sg_diags *d)
{
	int bad = 0;

	for (size_t i = 0; i < changes->n; i++) {
		const struct sg_change *c = changes->v[i];
		const struct sg_column *f = (const void *)c->from, *t = (const void *)c->to;
		const struct sg_column *model = down ? f : t;
		struct sg_diag *dg;
		int ok;

		if (c->op != SG_OP_ALTER || c->kind != SG_KIND_COLUMN ||
		    !(c->what & SG_CHG_TYPE) || (c->what & SG_CHG_RECAST) ||
		    sg_streq(f->type, t->type))
			continue;
		if (!scratch->conn && sg_scratch_open(ctx->a, &ctx->cfg, scratch) < 0)
			return -1;
		ok = sg_conn_can_cast(scratch->conn, f->type, t->type);
		if (ok != 0)
			continue;
		dg = sg_diag_error(d, model->type_loc.line ? model->type_loc : model->obj.loc,
				   "%scolumn %s.%s cannot change type from %s to %s: "
				   "PostgreSQL has no cast between them",
				   down ? "the downgrade cannot be generated: " : "",
				   sg_qq(ctx->a, t->obj.parent->schema, t->obj.parent->name),
				   sg_qi(ctx->a, t->obj.name), f->type, t->type);
		sg_diag_hint(dg, d, "keep the type, or write this migration by hand "
			     "(`schemagen revision -m MSG`) with ALTER TABLE %s ALTER COLUMN %s "
			     "TYPE %s USING <an expression of %s>",
			     sg_qq(ctx->a, t->obj.parent->schema, t->obj.parent->name),
			     sg_qi(ctx->a, t->obj.name), t->type, sg_qi(ctx->a, f->obj.name));
		bad++;
	}
	return bad ? -1 : 0;
}

/* The first statement of a script that `obj` is the origin of. */
static struct sg_stmt *stmt_of(struct sg_script *s, const struct sg_object *obj)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].origin == obj)
			return &s->v[i];
	return NULL;
}

/* The values of enum f that enum t lacks, quoted: "'a', 'b'"; NULL if none. */
static const char *values_lost(struct sg_arena *a, const struct sg_enum *f,
			       const struct sg_enum *t)
{
	struct sbuf sb = SBUF_INIT;
	const char *r = NULL, **oldn, **newn;
	size_t nren = sg_enum_renames(a, f, t, &oldn, &newn);

	for (size_t i = 0; i < f->nvalues; i++) {
		bool kept = false;

		/* renamed, not removed */
		for (size_t k = 0; k < nren && !kept; k++)
			kept = strcmp(f->values[i], oldn[k]) == 0;
		for (size_t k = 0; k < t->nvalues && !kept; k++)
			kept = strcmp(f->values[i], t->values[k]) == 0;
		if (kept)
			continue;
		if (sb.len)
			sbuf_adds(&sb, ", ");
		sg_quote_literal(&sb, f->values[i]);
	}
	if (sb.len)
		r = sbuf_to_arena(&sb, a);
	sbuf_release(&sb);
	return r;
}

/*
 * Downgrade steps that cannot restore what the upgrade changed, known now:
 * an extension with no update path back to its old version, enum values
 * that the downgrade removes (rows written since may hold them), a column
 * narrowed back (values written since may not fit).  Their statements get
 * the reason (sg_stmt.irreversible: "-- irreversible: ..." in the file,
 * which makes the runner refuse the downgrade unless forced); each is said
 * on stderr.  The statements stay, as PostgreSQL's best effort.
 */
static int mark_irreversible(struct sg_ctx *ctx, const struct sg_changes *back,
			     struct sg_script *down, struct sg_scratch *scratch)
{
	for (size_t i = 0; i < back->n; i++) {
		const struct sg_change *c = back->v[i];
		const char *why = NULL;
		struct sg_stmt *st;

		if (c->op == SG_OP_ALTER && c->kind == SG_KIND_EXTENSION &&
		    (c->what & SG_CHG_VERSION)) {
			const struct sg_extension *f = (const void *)c->from;
			const struct sg_extension *t = (const void *)c->to;

			int path = 1;

			if (!f->version || !t->version)
				continue;
			if (f->update_targets_known) {
				/* what introspection read from pg_extension_update_paths */
				path = 0;
				for (size_t k = 0; k < f->nupdate_targets; k++)
					path |= sg_streq(f->update_targets[k], t->version);
			} else {
				if (!scratch->conn &&
				    sg_scratch_open(ctx->a, &ctx->cfg, scratch) < 0)
					return -1;
				path = sg_conn_extension_path(scratch->conn, t->obj.name,
							      f->version, t->version);
			}
			if (path == 0)
				why = sg_printf(ctx->a, "extension %s has no update path from "
						"version %s back to %s",
						t->obj.name, f->version, t->version);
		} else if (c->op == SG_OP_CREATE && c->kind == SG_KIND_ENUM &&
			   (c->what & SG_CHG_REBUILD)) {
			const struct sg_enum *t = (const void *)c->to;

			for (size_t k = 0; k < back->n && !why; k++) {
				const struct sg_change *x = back->v[k];
				const char *lost;

				if (x->op != SG_OP_DROP || x->kind != SG_KIND_ENUM ||
				    !sg_streq(x->from->schema, t->obj.schema) ||
				    !sg_streq(x->from->name, t->obj.name))
					continue;
				lost = values_lost(ctx->a, (const void *)x->from, t);
				if (lost)
					why = sg_printf(ctx->a, "PostgreSQL cannot remove values "
							"from an enum: type %s is made again without %s, "
							"which rows written since the upgrade may hold",
							sg_qq(ctx->a, t->obj.schema, t->obj.name), lost);
			}
		} else if (c->op == SG_OP_ALTER && c->kind == SG_KIND_COLUMN &&
			   (c->what & SG_CHG_TYPE) && !(c->what & SG_CHG_RECAST) &&
			   c->to->parent->kind != SG_KIND_FOREIGN_TABLE) {
			/* (a foreign table's values are the server's) */
			const struct sg_column *f = (const void *)c->from;
			const struct sg_column *t = (const void *)c->to;

			if (emit_type_widens(ctx->a, t->type, f->type) &&
			    !emit_type_widens(ctx->a, f->type, t->type))
				why = sg_printf(ctx->a, "column %s.%s is narrowed from %s back "
						"to %s, which values written since the upgrade "
						"may not fit",
						sg_qq(ctx->a, t->obj.parent->schema,
						      t->obj.parent->name),
						sg_qi(ctx->a, t->obj.name), f->type, t->type);
		}
		if (!why || !(st = stmt_of(down, c->to)))
			continue;
		st->irreversible = why;
		sg_eprintf("irreversible downgrade: %s\n", sg_qt(ctx->a, why));
	}
	return 0;
}

int cli_plan(struct sg_ctx *ctx, const struct sg_catalog *from,
	     const struct sg_catalog *to, struct sg_script *up,
	     struct sg_script *down, struct sg_changes *changes)
{
	struct sg_changes back = { 0 };
	struct sg_plan pu = { 0 }, pd = { 0 };
	struct sg_scratch scratch = { 0 };
	struct sg_diags d;
	int rc = 0;

	sg_diags_init(&d, ctx->a);
	if (diff_catalogs(ctx->a, from, to, changes, &d) < 0 ||
	    order_changes(ctx->a, from, to, changes, &pu, &d) < 0)
		return cli_diags(&d), -1;
	emit_plan_online(ctx->a, &pu, up, ctx->online || ctx->cfg.online);
	if (!down)
		return 0;
	if (diff_catalogs(ctx->a, to, from, &back, &d) < 0 ||
	    order_changes(ctx->a, to, from, &back, &pd, &d) < 0) {
		sg_diags_print(&d);
		sg_hint("the upgrade can be made but not its reverse; "
			"write the downgrade by hand with `schemagen revision -m`");
		return -1;
	}
	emit_plan_online(ctx->a, &pd, down, ctx->online || ctx->cfg.online);
	if (check_casts(ctx, changes, false, &scratch, &d) < 0 ||
	    check_casts(ctx, &back, true, &scratch, &d) < 0 ||
	    mark_irreversible(ctx, &back, down, &scratch) < 0)
		rc = -1;
	if (scratch.conn)
		sg_scratch_close(&scratch);
	if (d.nerrors)
		sg_diags_print(&d);
	return rc;
}

void cli_hazard_summary(const struct sg_script *up, const char *where)
{
	struct sbuf sb = SBUF_INIT;

	if (sg_verbosity >= 0 && sg_script_hazard_summary(&sb, up))
		sg_eprintf("hazards: %s (see %s)\n", sb.buf, where);
	sbuf_release(&sb);
}

/*
 * Global default privileges without for_role are the running role's; a
 * grant in them to that very role is nothing to PostgreSQL (ALTER DEFAULT
 * PRIVILEGES GRANT ... TO itself leaves its built-in privileges as they
 * are, and no pg_default_acl row), so it would be a difference forever.
 * Refused at the grantee once the role is known: the one connected as.
 */
int cli_running_role_grants(struct sg_ctx *ctx, struct sg_conn *conn,
			    const struct sg_catalog *desired)
{
	PGresult *res;
	const char *me;
	struct sg_diags d;

	if (!desired->nbykind[SG_KIND_DEFAULT_ACL])
		return 0;
	res = sg_conn_query(conn, "SELECT current_user", 0, NULL);
	if (!res)
		return -1;
	me = sg_strdup(ctx->a, PQgetvalue(res, 0, 0));
	PQclear(res);
	sg_diags_init(&d, ctx->a);
	for (size_t i = 0; i < desired->nbykind[SG_KIND_DEFAULT_ACL]; i++) {
		const struct sg_default_acl *g =
			(const void *)desired->bykind[SG_KIND_DEFAULT_ACL][i];

		if (g->role)
			continue;
		for (size_t k = 0; k < g->ndefacls; k++)
			for (size_t j = 0; j < g->defacls[k].ngrants; j++) {
				const struct sg_grant *gr = &g->defacls[k].grants[j];
				struct sg_diag *dg;

				if (strcmp(gr->grantee, me) != 0)
					continue;
				dg = sg_diag_error(&d, gr->loc.line ? gr->loc : g->obj.loc,
					"global default privileges of the role that "
					"runs the migrations (connected as %s) name "
					"that role itself", sg_quote_msg(ctx->a, me));
				sg_diag_hint(dg, &d, "a role's own privileges on what "
					     "it creates are not managed (as an owner's "
					     "are not); leave it out, or give for_role: "
					     "to state another role's default privileges");
			}
	}
	if (!d.nerrors)
		return 0;
	sg_diags_print(&d);
	return -1;
}
