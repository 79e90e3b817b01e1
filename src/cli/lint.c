// SPDX-License-Identifier: MIT
/*
 * lint.c - `schemagen lint [FILE...]`: the hazards of migrations (README,
 * "Hazards"), generated or hand-written, each `file:line: hazard NAME:
 * what`.  Exit 0 when every hazard is accepted by a `-- schemagen: allow
 * NAME` comment (right above its statement, or in the file's header), 1
 * when one is not, 2 on errors.  Without FILE: the pending revisions when
 * a database is configured, else every revision.  Only the upgrade
 * sections count: a downgrade is the way back (check --roundtrip tests it).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "schemagen/json.h"
#include "schemagen/arena.h"
#include "schemagen/conn.h"
#include "schemagen/sbuf.h"
#include "schemagen/util.h"

struct lint_count {
	size_t hazards, open;
};

static void lint_one(struct sg_ctx *ctx, const struct sg_revision *r,
		     struct lint_count *lc)
{
	for (size_t i = 0; i < r->up.n; i++) {
		const struct sg_stmt *st = &r->up.v[i];

		for (size_t k = 0; k < st->nhz; k++) {
			const struct sg_hz *h = &st->hz[k];
			unsigned bit = 1u << h->kind;
			const char *how = "";

			if (st->hz_allowed & bit)
				how = sg_printf(ctx->a, " (allowed on line %d)", st->hz_allow_line);
			else if (r->hz_allowed & bit)
				how = " (allowed for the file)";
			else
				lc->open++;
			lc->hazards++;
			if (ctx->json) {
				struct sg_json *j = ctx->json;

				sg_json_obj(j, NULL);
				sg_json_str(j, "file", r->path);
				sg_json_int(j, "line", st->line);
				sg_json_str(j, "revision", r->id && *r->id ? r->id : NULL);
				sg_json_str(j, "hazard", sg_hazard_name(h->kind));
				sg_json_str(j, "what", h->what);
				sg_json_bool(j, "allowed", (st->hz_allowed | r->hz_allowed) & bit);
				sg_json_end(j);
				continue;
			}
			printf("%s:%d: hazard %s: %s%s\n", sg_qt(ctx->a, r->path), st->line,
			       sg_hazard_name(h->kind), sg_qt(ctx->a, h->what), how);
		}
	}
}

int cli_lint_revisions(struct sg_ctx *ctx, struct sg_revision *const *revs,
		       size_t n)
{
	struct sg_diags d;
	struct lint_count lc = { 0 };

	sg_diags_init(&d, ctx->a);
	if (store_parse_bodies(revs, n, &d) < 0 || d.nerrors)
		return cli_diags(&d);
	/* check --lint: beside check's own "hazards" */
	bool in_check = ctx->cmd && strcmp(ctx->cmd, "check") == 0;

	if (ctx->json)
		sg_json_arr(ctx->json, in_check ? "lint" : "hazards");
	for (size_t i = 0; i < n; i++)
		lint_one(ctx, revs[i], &lc);
	if (ctx->json) {
		sg_json_end(ctx->json);
		sg_json_int(ctx->json, in_check ? "lint_not_allowed" : "not_allowed",
			    (long long)lc.open);
	}
	fflush(stdout);
	if (lc.open) {
		sg_eprintf("lint: %zu hazard%s, %zu not allowed\n", lc.hazards,
			lc.hazards == 1 ? "" : "s", lc.open);
		sg_hint("accept a hazard with a comment `-- schemagen: allow NAME` right above "
			"its statement (or in the file's header, for all its statements)");
		return EXIT_DIFF;
	}
	if (sg_verbosity >= 0)
		sg_eprintf("lint: %zu hazard%s, all allowed\n", lc.hazards,
			lc.hazards == 1 ? "" : "s");
	return EXIT_OK;
}

/* A migration starts with its header; anything else is plain SQL. */
static bool is_migration(const char *text)
{
	text += strspn(text, " \t\r\n");
	return strncmp(text, "-- schemagen revision:", 22) == 0 ||
	       strncmp(text, "-- revision:", 12) == 0;
}

int cli_lint_pending(struct sg_ctx *ctx, const struct sg_revgraph *g)
{
	SG_VEC(struct sg_revision *) revs = { 0 };

	if (cli_has_target(ctx)) {
		struct sg_conn *conn = cli_connect(ctx);
		struct sg_runner_opts o;
		struct sg_db_state st;
		bool *applied;

		if (!conn)
			return EXIT_ERR;
		cli_runner_opts(ctx, &o);
		if (runner_state(conn, g, &o, ctx->a, &st) < 0) {
			sg_conn_close(conn);
			return EXIT_ERR;
		}
		sg_conn_close(conn);
		applied = sg_alloc_array(ctx->a, g->n + 1, sizeof(bool));
		for (size_t k = 0; k < st.nheads; k++) {
			struct sg_revision *h = cli_revision_by_id(g, st.heads[k]);

			if (h)
				cli_mark_ancestors(h, applied);
		}
		for (size_t i = 0; i < g->n; i++)
			if (!applied[i])
				SG_VEC_PUSH(ctx->a, &revs, g->revs[i]);
	} else {
		for (size_t i = 0; i < g->n; i++)
			SG_VEC_PUSH(ctx->a, &revs, g->revs[i]);
	}
	return cli_lint_revisions(ctx, revs.v, revs.n);
}

int cmd_lint(struct sg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = { { NULL, 0, NULL, 0 } };
	const struct sg_cmd *cmd = cli_find("lint");
	SG_VEC(struct sg_revision *) revs = { 0 };
	struct sg_revgraph g;
	struct sg_diags d;
	int c;

	while ((c = cli_getopt(ctx, argc, argv, "", longopts, cmd)) != -1) {
		if (c == 'h')
			return EXIT_OK;
		if (c == '?')
			return EXIT_ERR;
	}
	if (optind >= argc) {
		if (cli_load_graph(ctx, &g) < 0)
			return EXIT_ERR;
		return cli_lint_pending(ctx, &g);
	}
	sg_diags_init(&d, ctx->a);
	for (int i = optind; i < argc; i++) {
		size_t len;
		char *m = sg_read_file(argv[i], &len), *text;
		struct sg_revision *r;
		int rc;

		if (!m) {
			sg_error("cannot read %s: %s", sg_qt(ctx->a, argv[i]), strerror(errno));
			return EXIT_ERR;
		}
		text = sg_memdup(ctx->a, m, len + 1);
		free(m);
		rc = is_migration(text)
			? store_parse(ctx->a, argv[i], text, len, &r, &d)
			: store_parse_plain(ctx->a, argv[i], text, len, &r, &d);
		if (rc == 0)
			SG_VEC_PUSH(ctx->a, &revs, r);
	}
	if (d.nerrors)
		return cli_diags(&d);
	return cli_lint_revisions(ctx, revs.v, revs.n);
}
