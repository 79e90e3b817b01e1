// SPDX-License-Identifier: MIT
/*
 * roundtrip.c - `check --roundtrip`: in a scratch database, each revision
 * in order is applied, reverted with its downgrade and applied again; the
 * catalogs are compared after each step (the introspector and the differ,
 * as check compares).  The first revision whose downgrade does not give
 * back the schema before it (or whose upgrade, run again, does not give
 * the same schema) is reported with the differences.  A revision whose
 * downgrade says it cannot restore a step ("-- irreversible: REASON", as
 * generated for an enum value added, a column widened, ...) is reported as
 * irreversible, with the reason, and not reverted: it is not broken.
 */
#include <stdio.h>

#include "cli.h"
#include "schemagen/arena.h"
#include "schemagen/conn.h"
#include "schemagen/diff.h"
#include "schemagen/emit.h"
#include "schemagen/embedded.h"
#include "schemagen/sbuf.h"

/*
 * The differences between the schema we got and the one we want, one
 * "  + table ..." line each (what would turn got into want); NULL when
 * they are the same.
 */
static const char *differences(struct sg_ctx *ctx, const struct sg_catalog *want,
			       const struct sg_catalog *got)
{
	struct sg_changes changes = { 0 };
	struct sg_diags d;
	struct sbuf list = SBUF_INIT;
	const char *r = NULL;

	sg_diags_init(&d, ctx->a);
	if (diff_catalogs(ctx->a, got, want, &changes, &d) < 0) {
		sg_diags_print(&d);
		return "  (the catalogs cannot be compared)\n";
	}
	for (size_t i = 0; i < changes.n; i++) {
		struct sbuf sb = SBUF_INIT;

		emit_describe(&sb, changes.v[i]);
		if (sb.len)
			sbuf_addf(&list, "  %s\n", sg_qt(ctx->a, sb.buf));
		sbuf_release(&sb);
	}
	if (list.len)
		r = sbuf_to_arena(&list, ctx->a);
	sbuf_release(&list);
	return r;
}

/* Runs a section of r as it is (the version table stays). */
static int exec_section(struct sg_ctx *ctx, struct sg_conn *conn,
			const struct sg_script *s)
{
	struct sg_diags d;
	int rc;

	sg_diags_init(&d, ctx->a);
	rc = runner_exec_script(conn, s, &d);
	if (d.nerrors)
		sg_diags_print(&d);
	return rc;
}

int cli_roundtrip(struct sg_ctx *ctx, const struct sg_revgraph *g)
{
	struct sg_scratch scratch;
	struct sg_runner_opts o;
	struct sg_catalog *before, *after, *back, *again;
	struct sg_diags d;
	int saved = sg_verbosity, rc = EXIT_OK;
	size_t irreversible = 0;

	sg_diags_init(&d, ctx->a);
	if (store_parse_bodies(g->revs, g->n, &d) < 0 || d.nerrors)
		return cli_diags(&d);
	if (sg_scratch_open(ctx->a, &ctx->cfg, &scratch) < 0)
		return EXIT_ERR;
	cli_runner_opts(ctx, &o);
	o.keep_secret_placeholders = true;   /* a scratch database */
	if (cli_introspect(ctx, scratch.conn, &before) < 0) {
		rc = EXIT_ERR;
		goto out;
	}
	for (size_t i = 0; i < g->n; i++) {
		const struct sg_revision *r = g->revs[i];
		const char *name = sg_printf(ctx->a, "revision %s (%s)", r->id,
					     sg_qt(ctx->a, r->path));
		const char *diffs;

		if (sg_verbosity < 1)
			sg_verbosity = -1;   /* the runner's progress is noise here */
		rc = runner_upgrade(scratch.conn, g, r->id, &o);
		sg_verbosity = saved;
		if (rc < 0 || cli_introspect(ctx, scratch.conn, &after) < 0) {
			cli_problem(ctx, "roundtrip", NULL, "%s: the upgrade fails\n", name);
			rc = EXIT_DIFF;
			goto out;
		}
		if (r->down_irreversible) {
			const char *why = NULL;

			for (size_t k = 0; k < r->down.n && !why; k++)
				why = r->down.v[k].irreversible;
			printf("%s: irreversible, not reverted: %s\n", name,
			       sg_qt(ctx->a, why ? why : "(no reason given)"));
			irreversible++;
			before = after;
			continue;
		}
		if (exec_section(ctx, scratch.conn, &r->down) < 0) {
			cli_problem(ctx, "roundtrip", NULL, "%s: the downgrade fails\n", name);
			rc = EXIT_DIFF;
			goto out;
		}
		if (cli_introspect(ctx, scratch.conn, &back) < 0) {
			rc = EXIT_ERR;
			goto out;
		}
		if ((diffs = differences(ctx, before, back))) {
			cli_problem(ctx, "roundtrip", NULL, "%s: the downgrade does not restore the schema before it"
			       "; restoring it would take:\n%s", name, diffs);
			rc = EXIT_DIFF;
			goto out;
		}
		if (exec_section(ctx, scratch.conn, &r->up) < 0) {
			cli_problem(ctx, "roundtrip", NULL, "%s: the upgrade fails when run again after the downgrade\n", name);
			rc = EXIT_DIFF;
			goto out;
		}
		if (cli_introspect(ctx, scratch.conn, &again) < 0) {
			rc = EXIT_ERR;
			goto out;
		}
		if ((diffs = differences(ctx, after, again))) {
			cli_problem(ctx, "roundtrip", NULL, "%s: the upgrade, run again after the downgrade, gives "
			       "another schema; reaching the first would take:\n%s", name, diffs);
			rc = EXIT_DIFF;
			goto out;
		}
		before = after;
	}
	if (irreversible)
		sg_info("Round trip: each of the %zu other revision%s upgrades, downgrades "
			"to the schema before it and upgrades again; %zu %s irreversible.",
			g->n - irreversible, g->n - irreversible == 1 ? "" : "s",
			irreversible, irreversible == 1 ? "is" : "are");
	else
		sg_info("Round trip: each of the %zu revision%s upgrades, downgrades to the "
			"schema before it and upgrades again.", g->n, g->n == 1 ? "" : "s");
out:
	sg_scratch_close(&scratch);
	return rc;
}
