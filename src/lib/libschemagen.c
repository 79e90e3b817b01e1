// SPDX-License-Identifier: MIT
/*
 * libschemagen.c - the library's public functions (include/schemagen.h),
 * over the same pipeline the CLI runs (src/cli/common.c, the runner).
 *
 * Each call gets a fresh run context and arena (freed by the next call),
 * and a silent diagnostics sink (diag.h): every message the stages would
 * print is kept or dropped instead, and the errors become the call's
 * schemagen_error values.  check runs the CLI's own check with a JSON
 * writer, so that its result is the document `check --format json`
 * prints and nothing reaches stdout.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "schemagen.h"
#include "../cli/cli.h"
#include "schemagen/arena.h"
#include "schemagen/conn.h"
#include "schemagen/json.h"
#include "schemagen/sbuf.h"
#include "schemagen/sql.h"
#include "sg-config.h"

struct schemagen {
	char *dir;
	char *url;
	struct sg_arena *a;          /* the last call's */
	struct sg_ctx ctx;
	struct sg_diag_sink sink;
	schemagen_error *errors;
	size_t nerrors;
	struct sbuf json;
};

const char *schemagen_version(void)
{
	return SG_VERSION;
}

schemagen *schemagen_open(const char *dir, const char *url)
{
	schemagen *sg;

	if (!dir)
		return NULL;
	sg = xcalloc(1, sizeof(*sg));
	sg->dir = xstrdup(dir);
	sg->url = url ? xstrdup(url) : NULL;
	sbuf_init(&sg->json, 0);
	return sg;
}

/* A new call: the previous call's memory goes. */
static struct sg_ctx *begin(schemagen *sg, const char *cmd)
{
	if (sg->a)
		sg_arena_free(sg->a);
	sg->a = sg_arena_new();
	memset(&sg->ctx, 0, sizeof(sg->ctx));
	sg->ctx.a = sg->a;
	sg->ctx.cmd = cmd;
	sg->ctx.url = sg->url;
	sg->ctx.config_path = sg_printf(sg->a, "%s/schemagen.yaml", sg->dir);
	memset(&sg->sink, 0, sizeof(sg->sink));
	sg->sink.arena = sg->a;
	sg->sink.silent = true;
	sg_sink = &sg->sink;
	sg->errors = NULL;
	sg->nerrors = 0;
	return &sg->ctx;
}

/* The end of a call: its errors as values; returns rc. */
static int end(schemagen *sg, int rc)
{
	sg_sink = NULL;
	sg->errors = sg_alloc_array(sg->a, sg->sink.n + 1, sizeof(*sg->errors));
	for (size_t i = 0; i < sg->sink.n; i++) {
		const struct sg_diag *dg = &sg->sink.v[i];
		schemagen_error *e = &sg->errors[sg->nerrors++];

		e->file = sg_loc_file(dg->loc);
		e->line = dg->loc.file ? dg->loc.line : 0;
		e->column = e->line > 0 ? (dg->loc.col > 0 ? dg->loc.col : 1) : 0;
		e->message = dg->msg;
		e->hint = dg->hint;
	}
	return rc;
}

/* The database's state against the project's revisions. */
static int read_state(schemagen *sg, struct sg_revgraph *g, struct sg_db_state *st)
{
	struct sg_ctx *ctx = &sg->ctx;
	struct sg_runner_opts o;
	struct sg_conn *conn;
	int rc;

	if (cli_load_graph(ctx, g) < 0)
		return -1;
	cli_runner_opts(ctx, &o);
	if (!(conn = cli_connect(ctx)))
		return -1;
	rc = runner_state(conn, g, &o, ctx->a, st);
	sg_conn_close(conn);
	return rc;
}

int schemagen_current(schemagen *sg, const char *const **ids, size_t *n)
{
	struct sg_revgraph g;
	struct sg_db_state st;

	begin(sg, "current");
	*ids = NULL;
	*n = 0;
	if (read_state(sg, &g, &st) < 0)
		return end(sg, -1);
	*ids = st.heads;
	*n = st.nheads;
	return end(sg, 0);
}

int schemagen_pending(schemagen *sg, const char *const **ids, size_t *n)
{
	struct sg_ctx *ctx = begin(sg, "current");
	struct sg_revgraph g;
	struct sg_db_state st;
	const char **v;
	bool *applied;
	size_t k = 0;

	*ids = NULL;
	*n = 0;
	if (read_state(sg, &g, &st) < 0)
		return end(sg, -1);
	applied = cli_applied_marks(ctx, &g, &st);
	v = sg_alloc_array(ctx->a, g.n + 1, sizeof(*v));
	for (size_t i = 0; i < g.n; i++)
		if (!applied[i])
			v[k++] = g.revs[i]->id;
	*ids = v;
	*n = k;
	return end(sg, 0);
}

int schemagen_upgrade(schemagen *sg, const char *target, size_t *napplied)
{
	struct sg_ctx *ctx = begin(sg, "upgrade");
	struct sg_run_report rep = { .arena = ctx->a };
	struct sg_revgraph g;
	struct sg_runner_opts o;
	struct sg_conn *conn;
	int rc;

	if (napplied)
		*napplied = 0;
	if (!target || !*target) {
		sg_error("schemagen_upgrade: a target is required (head, a revision, +1)");
		return end(sg, -1);
	}
	if (cli_load_graph(ctx, &g) < 0)
		return end(sg, -1);
	cli_runner_opts(ctx, &o);
	o.report = &rep;
	ctx->writes = true;   /* the embedded server only when the project says so */
	if (!(conn = cli_connect(ctx)))
		return end(sg, -1);
	rc = runner_upgrade(conn, &g, target, &o);
	sg_conn_close(conn);
	if (napplied)
		*napplied = rep.n;
	return end(sg, rc < 0 ? -1 : 0);
}

int schemagen_check(schemagen *sg, const char **json)
{
	struct sg_ctx *ctx = begin(sg, "check");
	char *argv[] = { (char *)"check", NULL };
	struct sg_json j;
	int rc;

	if (json)
		*json = NULL;
	sbuf_setlen(&sg->json, 0);
	sg_json_init(&j, &sg->json);
	ctx->json = &j;
	sg_json_obj(&j, NULL);
	sg_json_int(&j, "schemagen_json", SG_JSON_VERSION);
	optind = 0;    /* getopt starts again */
	rc = cmd_check(ctx, 1, argv);
	cli_json_close(ctx, rc, &sg->sink);
	ctx->json = NULL;
	if (json)
		*json = sg->json.buf;
	return end(sg, rc == EXIT_OK ? 0 : rc == EXIT_DIFF ? 1 : -1);
}

size_t schemagen_error_count(const schemagen *sg)
{
	return sg ? sg->nerrors : 0;
}

const schemagen_error *schemagen_error_get(const schemagen *sg, size_t i)
{
	return sg && i < sg->nerrors ? &sg->errors[i] : NULL;
}

void schemagen_close(schemagen *sg)
{
	if (!sg)
		return;
	if (sg->a)
		sg_arena_free(sg->a);
	sbuf_release(&sg->json);
	free(sg->dir);
	free(sg->url);
	free(sg);
	sg_sql_cleanup();
}
