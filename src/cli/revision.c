// SPDX-License-Identifier: MIT
/*
 * revision.c - `schemagen revision -m MSG [--autogenerate] [--allow-empty]
 * [--head REV] [--splice] [--branch-label LABEL] [--depends-on REV]`: a new
 * migration file on top of the head (or of --head REV).  With
 * --autogenerate the body is diff(database, models) both ways, and the
 * database must be at the heads first, as Alembic requires: the models
 * describe the whole schema, so only a database with every revision
 * applied can be compared with them.
 *
 * As in Alembic: --head names the parent (a head; any revision with
 * --splice, which starts a branch there; `base` for a revision with no
 * parent, a new base), --branch-label names the new revision's branch (so
 * that `LABEL@head` finds it later), --depends-on records a revision of
 * another branch that must be applied first.
 *
 * --rev-id ID names the revision (the same rules as any id, unused); the
 * file's name follows file_template of schemagen.yaml.  Standard output is
 * the path of the file written and nothing else, so that
 * `$EDITOR $(schemagen revision -m x)` works; messages go to stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "schemagen/arena.h"
#include "schemagen/conn.h"
#include "schemagen/diff.h"
#include "schemagen/emit.h"
#include "schemagen/sbuf.h"

/* Same set of ids? (both sorted) */
static bool same_heads(const char *const *a, size_t na,
		       struct sg_revision *const *b, size_t nb)
{
	if (na != nb)
		return false;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]->id) != 0)
			return false;
	return true;
}

static void join_ids(struct sbuf *sb, const char *const *ids, size_t n)
{
	if (n == 0)
		sbuf_adds(sb, "base");
	for (size_t i = 0; i < n; i++)
		sbuf_addf(sb, "%s%s", i ? ", " : "", ids[i]);
}

/* --rev-id: a valid name that no revision uses as id or branch label. */
static int check_rev_id(const struct sg_revgraph *g, const char *id)
{
	if (!store_valid_name(id)) {
		sg_error("--rev-id '%s': revision ids are 1 to 32 letters, digits or underscores, and not head, heads or base",
			 id);
		return -1;
	}
	for (size_t i = 0; i < g->n; i++) {
		const struct sg_revision *r = g->revs[i];

		if (strcmp(r->id, id) == 0)
			return sg_error("--rev-id '%s': revision %s already exists (%s)",
					id, r->id, r->path);
		for (size_t k = 0; k < r->nbranch_labels; k++)
			if (strcmp(r->branch_labels[k], id) == 0)
				return sg_error("--rev-id '%s' is the branch label of revision %s (%s)",
						id, r->id, r->path);
	}
	return 0;
}

/* The parent for --head: one revision; a non-head only with --splice. */
static int head_parent(struct sg_ctx *ctx, const struct sg_revgraph *g,
		       const char *ref, bool splice, const char ***parents,
		       size_t *n)
{
	struct sg_revision **v;
	size_t nv;

	*parents = sg_alloc_array(ctx->a, 2, sizeof(**parents));
	*n = 0;
	if (strcmp(ref, "base") == 0)
		return 0;
	if (store_resolve(ctx->a, g, ref, &v, &nv) < 0)
		return -1;
	if (nv != 1) {
		struct sbuf sb = SBUF_INIT;

		for (size_t i = 0; i < nv; i++)
			sbuf_addf(&sb, "%s%s", i ? ", " : "", v[i]->id);
		sg_error("--head %s names %zu revisions (%s): name one", ref, nv, sb.buf);
		sbuf_release(&sb);
		return -1;
	}
	if (v[0]->nchildren && !splice) {
		sg_error("--head %s: revision %s is not a head; a revision on it would start a new branch",
			 ref, v[0]->id);
		sg_hint("add --splice to start a branch there, or build on a head (`schemagen heads`)");
		return -1;
	}
	(*parents)[(*n)++] = v[0]->id;
	return 0;
}

int cmd_revision(struct sg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "message", required_argument, NULL, 'm' },
		{ "autogenerate", no_argument, NULL, 'a' },
		{ "allow-empty", no_argument, NULL, 'e' },
		{ "head", required_argument, NULL, 'H' },
		{ "splice", no_argument, NULL, 'S' },
		{ "branch-label", required_argument, NULL, 'B' },
		{ "depends-on", required_argument, NULL, 'D' },
		{ "online", no_argument, NULL, 'O' },
		{ "rev-id", required_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	const struct sg_cmd *cmd = cli_find("revision");
	const char *message = NULL, *head = NULL, *rev_id = NULL;
	bool autogen = false, allow_empty = false, splice = false;
	SG_VEC(const char *) labels = { 0 };
	SG_VEC(const char *) deps = { 0 };
	struct sg_revision_header hdr = { 0 };
	struct sg_revgraph g;
	struct sg_script up = { 0 }, down = { 0 };
	const char **parents;
	size_t nparents;
	char *path;
	int c;

	while ((c = cli_getopt(ctx, argc, argv, "m:", longopts, cmd)) != -1) {
		switch (c) {
		case 0: break;
		case 'h': return EXIT_OK;
		case '?': return EXIT_ERR;
		case 'm': message = optarg; break;
		case 'a': autogen = true; break;
		case 'e': allow_empty = true; break;
		case 'H': head = optarg; break;
		case 'S': splice = true; break;
		case 'B': SG_VEC_PUSH(ctx->a, &labels, optarg); break;
		case 'D': SG_VEC_PUSH(ctx->a, &deps, optarg); break;
		case 'O': ctx->online = true; break;
		case 'R': rev_id = optarg; break;
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (!message || !*message)
		return cli_usage_error(cmd, "a message is required (-m \"add status to orders\")");
	if (splice && !head)
		return cli_usage_error(cmd, "--splice goes with --head REV");
	if (cli_load_graph(ctx, &g) < 0)
		return EXIT_ERR;
	if (rev_id && check_rev_id(&g, rev_id) < 0)
		return EXIT_ERR;
	for (size_t i = 0; i < labels.n; i++) {
		if (cli_check_label(&g, labels.v[i]) < 0)
			return EXIT_ERR;
		if (rev_id && strcmp(rev_id, labels.v[i]) == 0)
			return cli_usage_error(cmd, "--branch-label %s is the --rev-id",
					       labels.v[i]);
		for (size_t k = 0; k < i; k++)
			if (strcmp(labels.v[k], labels.v[i]) == 0)
				return cli_usage_error(cmd, "--branch-label %s is given twice",
						       labels.v[i]);
	}
	for (size_t i = 0; i < deps.n; i++) {
		struct sg_revision *r = store_lookup(&g, deps.v[i]);

		if (!r)
			return EXIT_ERR;
		deps.v[i] = r->id;
	}
	if (head) {
		if (head_parent(ctx, &g, head, splice, &parents, &nparents) < 0)
			return EXIT_ERR;
	} else if (g.nheads > 1) {
		struct sbuf sb = SBUF_INIT;

		for (size_t i = 0; i < g.nheads; i++)
			sbuf_addf(&sb, " %s", g.heads[i]->id);
		sg_error("the migrations have %zu heads:%s", g.nheads, sb.buf);
		sg_hint("join them first: schemagen merge -m \"merge heads\"%s; or say which to build on: --head REV",
			sb.buf);
		sbuf_release(&sb);
		return EXIT_ERR;
	} else {
		nparents = g.nheads;
		parents = sg_alloc_array(ctx->a, nparents + 1, sizeof(*parents));
		for (size_t i = 0; i < nparents; i++)
			parents[i] = g.heads[i]->id;
	}
	for (size_t i = 0; i < deps.n; i++)
		for (size_t k = 0; k < nparents; k++)
			if (strcmp(deps.v[i], parents[k]) == 0)
				return cli_usage_error(cmd, "--depends-on %s is already the parent",
						       deps.v[i]);

	if (autogen) {
		struct sg_conn *conn = cli_connect(ctx);
		struct sg_runner_opts o;
		const char **cur;
		size_t ncur;
		struct sg_catalog *live, *desired;
		struct cli_bg bg;
		struct sg_changes changes = { 0 };
		int rc;

		if (!conn)
			return EXIT_ERR;
		cli_runner_opts(ctx, &o);
		if (runner_current(conn, &o, ctx->a, &cur, &ncur) < 0) {
			sg_conn_close(conn);
			return EXIT_ERR;
		}
		if (!same_heads(cur, ncur, g.heads, g.nheads)) {
			struct sbuf a = SBUF_INIT, b = SBUF_INIT;
			const char **h = sg_alloc_array(ctx->a, g.nheads + 1, sizeof(*h));

			for (size_t i = 0; i < g.nheads; i++)
				h[i] = g.heads[i]->id;
			join_ids(&a, cur, ncur);
			join_ids(&b, h, g.nheads);
			sg_error("target database is not up to date: it is at %s, the migrations "
				 "head%s %s %s", a.buf, g.nheads > 1 ? "s" : "",
				 g.nheads > 1 ? "are" : "is", b.buf);
			sg_hint("run `schemagen upgrade %s` first, then autogenerate",
				g.nheads > 1 ? "heads" : "head");
			sbuf_release(&a);
			sbuf_release(&b);
			sg_conn_close(conn);
			return EXIT_ERR;
		}
		/* the migrations' texts are not needed beside the catalogs */
		store_drop_bodies(&g);
		/* both sides at once: the live database on a thread of its own */
		cli_introspect_start(ctx, conn, &bg);
		rc = cli_desired(ctx, &desired);
		if (cli_introspect_join(ctx, &bg, &live) < 0)
			rc = -1;
		if (rc == 0 && cli_running_role_grants(ctx, conn, desired) < 0)
			rc = -1;
		sg_conn_close(conn);
		if (rc < 0)
			return EXIT_ERR;
		cli_owners(desired, live);
		if (cli_plan(ctx, live, desired, &up, &down, &changes) < 0)
			return EXIT_ERR;
		if (up.n == 0 && !allow_empty) {
			sg_note("No changes in schema detected; no revision written.");
			return EXIT_OK;
		}
		for (size_t i = 0; i < changes.n; i++) {
			struct sbuf sb = SBUF_INIT;

			emit_describe(&sb, changes.v[i]);
			sg_verbose("%s", sb.buf);
			sbuf_release(&sb);
		}
	}
	hdr.id = rev_id ? rev_id : store_new_id(ctx->a);
	hdr.file_template = ctx->cfg.file_template;
	hdr.parents = parents;
	hdr.nparents = nparents;
	hdr.branch_labels = labels.v;
	hdr.nbranch_labels = labels.n;
	hdr.depends_on = deps.v;
	hdr.ndepends_on = deps.n;
	hdr.message = message;
	hdr.online = ctx->online || (autogen && ctx->cfg.online);
	path = store_write_header(ctx->a, ctx->cfg.migrations_dir, &hdr, &up, &down);
	if (!path)
		return EXIT_ERR;
	/* the path is the command's output, even with -q */
	printf("%s\n", path);
	fflush(stdout);
	cli_hazard_summary(&up, path);
	return EXIT_OK;
}
