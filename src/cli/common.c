// SPDX-License-Identifier: MIT
/*
 * common.c - what the commands share: option parsing with the global
 * options, the configuration, where the target database comes from, and
 * the pipeline stages (models -> scratch database -> catalog; migrations ->
 * scratch database -> catalog; catalogs -> upgrade and downgrade scripts).
 */
#include <errno.h>
#include <stdarg.h>
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
#include "schemagen/yaml.h"

/* ---- options ---- */

static const struct option global_longopts[] = {
	{ "url", required_argument, NULL, 0x100 },
	{ "config", required_argument, NULL, 'c' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
};

const struct sg_cmd *cli_find(const char *name)
{
	for (size_t i = 0; i < sg_ncommands; i++)
		if (strcmp(sg_commands[i].name, name) == 0)
			return &sg_commands[i];
	return NULL;
}

void cli_usage(const struct sg_cmd *cmd, bool to_stderr)
{
	FILE *f = to_stderr ? stderr : stdout;

	fprintf(f, "usage: schemagen %s\n", cmd->usage);
	if (!to_stderr)
		fprintf(f, "\n%s\n\nglobal options: --url URL, -c/--config FILE, -q/--quiet, "
			"-v/--verbose, --help\n", cmd->summary);
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

int cli_load_config(struct sg_ctx *ctx)
{
	struct sg_diags d;
	const char *path = ctx->config_path;
	struct stat st;

	if (ctx->config_loaded)
		return 0;
	sg_config_defaults(&ctx->cfg);
	if (!path && stat("schemagen.yaml", &st) == 0)
		path = "schemagen.yaml";
	if (path) {
		if (access(path, R_OK) < 0)
			return sg_error("cannot read config file %s: %s", path,
					strerror(errno));
		sg_diags_init(&d, ctx->a);
		if (yaml_load_config(ctx->a, path, &ctx->cfg, &d) < 0 || d.nerrors) {
			sg_diags_print(&d);
			return -1;
		}
		if (d.n)
			sg_diags_print(&d);
	}
	ctx->config_loaded = true;
	return 0;
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

int cli_target(struct sg_ctx *ctx, const char **conninfo, enum target_source *src)
{
	const char *env = getenv("DATABASE_URL");

	if (cli_load_config(ctx) < 0)
		return -1;
	if (ctx->url) {
		*conninfo = ctx->url;
		*src = TARGET_FLAG;
	} else if (env && *env) {
		*conninfo = env;
		*src = TARGET_ENV;
	} else if (ctx->cfg.database_url_unset) {
		struct sbuf sb = SBUF_INIT;

		sg_diag_format(&sb, ctx->cfg.database_url_unset);
		fputs(sb.buf, stderr);
		sbuf_release(&sb);
		return -1;
	} else if (ctx->cfg.database_url) {
		*conninfo = ctx->cfg.database_url;
		*src = TARGET_CONFIG;
	} else if (libpq_env_set()) {
		*conninfo = "";
		*src = TARGET_LIBPQ;
	} else {
		*conninfo = sg_embedded_conninfo(ctx->a, "schemagen", true);
		*src = TARGET_EMBEDDED;
		if (!*conninfo)
			return -1;
	}
	return 0;
}

bool cli_has_target(struct sg_ctx *ctx)
{
	const char *env = getenv("DATABASE_URL");

	if (cli_load_config(ctx) < 0)
		return false;
	/* an unset ${VAR} in database_url: cli_target() reports it */
	return ctx->url || (env && *env) || ctx->cfg.database_url ||
	       ctx->cfg.database_url_unset || libpq_env_set();
}

struct sg_conn *cli_connect(struct sg_ctx *ctx)
{
	const char *conninfo;
	enum target_source src;
	struct sg_conn *c;

	if (cli_target(ctx, &conninfo, &src) < 0)
		return NULL;
	c = sg_conn_open(conninfo);
	if (c)
		sg_verbose("database: %s%s", sg_conn_display(c),
			   src == TARGET_EMBEDDED ? " (embedded; no database configured)" : "");
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

int cli_introspect(struct sg_ctx *ctx, struct sg_conn *c, struct sg_catalog **out)
{
	struct sg_introspect_opts o = {
		.schemas = (const char *const *)ctx->cfg.schemas,
		.nschemas = ctx->cfg.nschemas,
		.version_schema = ctx->cfg.version_schema,
		.version_table = ctx->cfg.version_table,
		.history_table = ctx->cfg.history_table,
	};
	struct sg_catalog *cat = sg_catalog_new(ctx->a, "database");
	unsigned long q0 = sg_conn_query_count(c);
	struct timespec t0, t1;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (introspect_catalog(c, &o, cat) < 0)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	sg_verbose("introspected %s: %zu objects, %zu dependencies, %lu queries, %.1f ms",
		   sg_conn_dbname(c), cat->nobjs, cat->ndeps, sg_conn_query_count(c) - q0,
		   (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6);
	*out = cat;
	return 0;
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

int cli_desired(struct sg_ctx *ctx, struct sg_catalog **out)
{
	struct sg_catalog *model = sg_catalog_new(ctx->a, "models");
	struct sg_catalog *fresh, *desired;
	struct sg_scratch scratch;
	struct sg_changes changes = { 0 };
	struct sg_plan plan = { 0 };
	struct sg_script script = { 0 };
	struct sg_diags d;
	int rc = -1;

	if (cli_load_config(ctx) < 0)
		return -1;
	sg_diags_init(&d, ctx->a);
	if (yaml_load_models(ctx->cfg.schema_dir, &ctx->cfg, model, &d) < 0 ||
	    d.nerrors) {
		sg_diags_print(&d);
		return -1;
	}
	if (sg_scratch_open(ctx->a, &ctx->cfg, &scratch) < 0)
		return -1;
	sg_verbose("materialising the models in scratch database %s", scratch.dbname);
	/* extensions that require others: the server knows which */
	if (introspect_extension_requires(scratch.conn, model) < 0)
		goto out;
	if (cli_introspect(ctx, scratch.conn, &fresh) < 0)
		goto out;
	inherit_default_comments(model, fresh);
	if (diff_catalogs(ctx->a, fresh, model, &changes, &d) < 0 ||
	    order_changes(ctx->a, fresh, model, &changes, &plan, &d) < 0) {
		sg_diags_print(&d);
		goto out;
	}
	emit_plan(ctx->a, &plan, &script);
	if (runner_exec_script(scratch.conn, &script, &d) < 0) {
		if (d.n)
			sg_diags_print(&d);
		goto out;
	}
	if (cli_introspect(ctx, scratch.conn, &desired) < 0)
		goto out;
	sg_catalog_annotate(desired, model);
	*out = desired;
	rc = 0;
out:
	sg_scratch_close(&scratch);
	return rc;
}

int cli_replayed(struct sg_ctx *ctx, const struct sg_revgraph *g,
		 struct sg_catalog **out)
{
	struct sg_scratch scratch;
	struct sg_runner_opts o;
	int saved = sg_verbosity, rc = -1;

	if (sg_scratch_open(ctx->a, &ctx->cfg, &scratch) < 0)
		return -1;
	cli_runner_opts(ctx, &o);
	if (g->n > 0) {
		if (sg_verbosity < 1)
			sg_verbosity = -1;   /* the replay's progress is noise here */
		rc = runner_upgrade(scratch.conn, g, "heads", &o);
		sg_verbosity = saved;
		if (rc < 0)
			goto out;
	}
	rc = cli_introspect(ctx, scratch.conn, out);
out:
	sg_scratch_close(&scratch);
	return rc;
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
	emit_plan(ctx->a, &pu, up);
	if (!down)
		return 0;
	if (diff_catalogs(ctx->a, to, from, &back, &d) < 0 ||
	    order_changes(ctx->a, to, from, &back, &pd, &d) < 0) {
		sg_diags_print(&d);
		sg_hint("the upgrade can be made but not its reverse; "
			"write the downgrade by hand with `schemagen revision -m`");
		return -1;
	}
	emit_plan(ctx->a, &pd, down);
	if (check_casts(ctx, changes, false, &scratch, &d) < 0 ||
	    check_casts(ctx, &back, true, &scratch, &d) < 0)
		rc = -1;
	if (scratch.conn)
		sg_scratch_close(&scratch);
	if (d.nerrors)
		sg_diags_print(&d);
	return rc;
}
