// SPDX-License-Identifier: MIT
/*
 * history.c - `schemagen history [-r A:B] [--verbose]`: revisions newest
 * first, as Alembic lists them ("parent -> rev (head), message").
 *
 * A and B are anything a target names that is not relative (base, head,
 * heads, a revision or prefix, a branch label, branch@head, REV+N, REV-N)
 * or `current`, the database's heads.  The range is A, B and what lies
 * between: descendants of A that are ancestors of B, both ends included;
 * an empty end (or base for A) leaves that side open.  -i
 * (--indicate-current) marks the database's heads `(current)`, as
 * Alembic does; it needs the database.  --verbose shows each revision's header, and, when
 * a database is configured, whether and when and by whom it was applied:
 * then the database must be reachable.  Without `current` and --verbose,
 * history needs no database.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "schemagen/json.h"
#include "schemagen/arena.h"
#include "schemagen/conn.h"
#include "schemagen/sbuf.h"

/* Marks r and its descendants (children). */
static void mark_descendants(const struct sg_revision *r, bool *mark)
{
	if (mark[r->order])
		return;
	mark[r->order] = true;
	for (size_t i = 0; i < r->nchildren; i++)
		mark_descendants(r->children[i], mark);
}

/*
 * Marks what an end of the range covers: for the upper end B, B and its
 * ancestors; for the lower end A, A and its descendants (as Alembic, so
 * that `-r billing:` shows the billing branch, not the other branches'
 * revisions too).  An empty end is everything.
 */
static int resolve_end(struct sg_ctx *ctx, const struct sg_revgraph *g,
		       struct sg_conn *conn, const char *ref, bool *mark,
		       bool lower)
{
	struct sg_revision **v;
	size_t n;

	if (!ref || !*ref) {
		for (size_t i = 0; i < g->n; i++)
			mark[i] = true;
		return 0;
	}
	if (cli_resolve(ctx, g, conn, ref, &v, &n) < 0)
		return -1;
	if (lower && n == 0) {
		/* base (or a database at base): everything */
		for (size_t i = 0; i < g->n; i++)
			mark[i] = true;
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (lower)
			mark_descendants(v[i], mark);
		else
			cli_mark_ancestors(v[i], mark);
	}
	return 0;
}

struct dbinfo {
	bool have;                    /* a database was read */
	struct sg_db_state st;
	bool *applied;                /* by sg_revision.order */
	bool *current;
};

static void print_rev(struct sg_ctx *ctx, const struct sg_revision *r,
		      const struct dbinfo *db)
{
	struct sbuf parents = SBUF_INIT, marks = SBUF_INIT;

	for (size_t i = 0; i < r->nparents; i++)
		sbuf_addf(&parents, "%s%s", i ? ", " : "", r->parents[i]);
	if (r->nchildren == 0)
		sbuf_adds(&marks, " (head)");
	if (r->nchildren > 1)
		sbuf_adds(&marks, " (branchpoint)");
	if (r->nparents > 1)
		sbuf_adds(&marks, " (mergepoint)");
	if (db->have && db->current[r->order])
		sbuf_adds(&marks, " (current)");
	if (sg_verbosity > 0) {
		printf("Rev: %s%s\nParent: %s\n", cli_rev_name(ctx, r), marks.buf,
		       r->nparents ? parents.buf : "<base>");
		if (r->ndepends_on) {
			printf("Also depends on:");
			for (size_t i = 0; i < r->ndepends_on; i++)
				printf("%s %s", i ? "," : "", r->depends_on[i]);
			printf("\n");
		}
		printf("Path: %s\nCreated: %s\n", r->path, r->created);
		if (db->have) {
			const struct sg_applied *ap = runner_applied(&db->st, r->id);
			bool changed = false;

			for (size_t i = 0; i < db->st.nchanged; i++)
				changed = changed || db->st.changed[i] == r;
			if (!db->applied[r->order])
				printf("Applied: no\n");
			else if (ap)
				printf("Applied: %s by %s (%s%s)%s\n", ap->at, sg_qt(ctx->a, ap->by), ap->direction,
				       ap->duration_ms >= 0 ? sg_printf(ctx->a, ", %lld ms", ap->duration_ms) : "",
				       changed ? "; the file CHANGED since" : "");
			else
				printf("Applied: yes (not recorded: below a stamped revision)\n");
		}
		printf("\n    %s\n\n", sg_qt(ctx->a, r->message));
	} else if (r->nparents > 1) {
		printf("(%s) -> %s%s, %s\n", parents.buf, cli_rev_name(ctx, r), marks.buf,
		       sg_qt(ctx->a, r->message));
	} else {
		printf("%s -> %s%s, %s\n", r->nparents ? parents.buf : "<base>",
		       cli_rev_name(ctx, r), marks.buf, sg_qt(ctx->a, r->message));
	}
	sbuf_release(&parents);
	sbuf_release(&marks);
}

int cmd_history(struct sg_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "rev-range", required_argument, NULL, 'r' },
		{ "indicate-current", no_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 },
	};
	const struct sg_cmd *cmd = cli_find("history");
	const char *range = NULL;
	char *lo = NULL, *hi = NULL;
	struct sg_revgraph g;
	struct sg_conn *conn = NULL;
	struct dbinfo db = { 0 };
	bool *upper, *lower;
	bool indicate = false;
	int c, rc = EXIT_ERR;

	while ((c = cli_getopt(ctx, argc, argv, "r:i", longopts, cmd)) != -1) {
		switch (c) {
		case 0: break;
		case 'h': return EXIT_OK;
		case '?': return EXIT_ERR;
		case 'r': range = optarg; break;
		case 'i': indicate = true; break;
		}
	}
	if (optind < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (range) {
		const char *colon = strchr(range, ':');

		if (!colon)
			return cli_usage_error(cmd, "-r takes a range A:B (base:head, abc1:, :abc1, current:)");
		lo = sg_strndup(ctx->a, range, (size_t)(colon - range));
		hi = sg_strdup(ctx->a, colon + 1);
	}
	if (cli_load_graph(ctx, &g) < 0)
		return EXIT_ERR;
	if ((lo && strcmp(lo, "current") == 0) || (hi && strcmp(hi, "current") == 0) ||
	    indicate || ((sg_verbosity > 0 || ctx->json) && cli_has_target(ctx))) {
		struct sg_runner_opts o;

		if (!(conn = cli_connect(ctx)))
			return EXIT_ERR;
		cli_runner_opts(ctx, &o);
		if (sg_verbosity > 0 || indicate || ctx->json) {
			if (runner_state(conn, &g, &o, ctx->a, &db.st) < 0)
				goto out;
			db.have = true;
			db.applied = sg_alloc_array(ctx->a, g.n + 1, sizeof(bool));
			db.current = sg_alloc_array(ctx->a, g.n + 1, sizeof(bool));
			for (size_t i = 0; i < db.st.nheads; i++) {
				struct sg_revision *r = cli_revision_by_id(&g, db.st.heads[i]);

				if (r) {
					cli_mark_ancestors(r, db.applied);
					db.current[r->order] = true;
				}
			}
		}
	}
	upper = sg_alloc_array(ctx->a, g.n + 1, sizeof(bool));
	lower = sg_alloc_array(ctx->a, g.n + 1, sizeof(bool));
	if (resolve_end(ctx, &g, conn, lo, lower, true) < 0 ||
	    resolve_end(ctx, &g, conn, hi, upper, false) < 0)
		goto out;
	if (ctx->json) {
		sg_json_arr(ctx->json, "revisions");
		for (size_t i = g.n; i-- > 0;)
			if (upper[i] && lower[i])
				cli_json_rev(ctx, NULL, g.revs[i], db.have ? &db.st : NULL,
					     db.have ? db.applied : NULL);
		sg_json_end(ctx->json);
		if (db.have) {
			sg_json_arr(ctx->json, "current");
			for (size_t i = 0; i < db.st.nheads; i++)
				sg_json_str(ctx->json, NULL, db.st.heads[i]);
			sg_json_end(ctx->json);
		} else {
			sg_json_null(ctx->json, "current");
		}
		rc = EXIT_OK;
		goto out;
	}
	for (size_t i = g.n; i-- > 0;)
		if (upper[i] && lower[i])
			print_rev(ctx, g.revs[i], &db);
	rc = EXIT_OK;
out:
	sg_conn_close(conn);
	return rc;
}
