// SPDX-License-Identifier: MIT
/*
 * json.c - `--format json` (docs/json.md): which commands have it, and the
 * pieces their documents share (revisions, differences, hazards).  The
 * document itself is opened and closed by cli_json_begin() /
 * cli_json_finish() (main.c); each command adds its own members between.
 * Everything goes through the one writer, src/util/json.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "schemagen/arena.h"
#include "schemagen/diff.h"
#include "schemagen/emit.h"
#include "schemagen/json.h"
#include "schemagen/model.h"
#include "schemagen/sbuf.h"

static const char *const json_commands[] = {
	"current", "heads", "history", "show", "check", "diff", "lint",
	"upgrade", "downgrade", "stamp",
};

bool cli_json_supported(const char *cmd)
{
	for (size_t i = 0; i < ARRAY_SIZE(json_commands); i++)
		if (strcmp(json_commands[i], cmd) == 0)
			return true;
	return false;
}

void cli_json_ids(struct sg_json *j, const char *key, const char *const *ids, size_t n)
{
	sg_json_arr(j, key);
	for (size_t i = 0; i < n; i++)
		sg_json_str(j, NULL, ids[i]);
	sg_json_end(j);
}

void cli_json_rev(struct sg_ctx *ctx, const char *key, const struct sg_revision *r,
		  const struct sg_db_state *st, const bool *applied)
{
	sg_json_obj(ctx->json, key);
	cli_json_rev_members(ctx, r, st, applied);
	sg_json_end(ctx->json);
}

void cli_json_rev_members(struct sg_ctx *ctx, const struct sg_revision *r,
			  const struct sg_db_state *st, const bool *applied)
{
	struct sg_json *j = ctx->json;
	const struct sg_applied *ap = st ? runner_applied(st, r->id) : NULL;
	bool changed = false;

	for (size_t k = 0; st && k < st->nchanged; k++)
		changed = changed || st->changed[k] == r;
	sg_json_str(j, "id", r->id);
	cli_json_ids(j, "parents", r->parents, r->nparents);
	cli_json_ids(j, "depends_on", r->depends_on, r->ndepends_on);
	cli_json_ids(j, "branch_labels", r->branch_labels, r->nbranch_labels);
	sg_json_str(j, "message", r->message);
	sg_json_str(j, "created", r->created);
	sg_json_str(j, "path", r->path);
	sg_json_str(j, "checksum", sg_printf(ctx->a, "sha256:%s", r->checksum));
	sg_json_bool(j, "head", r->nchildren == 0);
	if (!st || !applied)
		sg_json_null(j, "applied");
	else
		sg_json_bool(j, "applied", applied[r->order]);
	if (ap && applied && applied[r->order]) {
		sg_json_str(j, "applied_at", ap->at);
		sg_json_str(j, "applied_by", ap->by);
		sg_json_str(j, "applied_direction", ap->direction);
		if (ap->duration_ms >= 0)
			sg_json_int(j, "duration_ms", ap->duration_ms);
		else
			sg_json_null(j, "duration_ms");
	} else {
		sg_json_null(j, "applied_at");
		sg_json_null(j, "applied_by");
		sg_json_null(j, "applied_direction");
		sg_json_null(j, "duration_ms");
	}
	/* as_applied / changed / not_recorded; null when not applied or unknown */
	if (!st || !applied || !applied[r->order])
		sg_json_null(j, "checksum_state");
	else if (changed)
		sg_json_str(j, "checksum_state", "changed");
	else if (ap && ap->checksum)
		sg_json_str(j, "checksum_state", "as_applied");
	else
		sg_json_str(j, "checksum_state", "not_recorded");
}

bool *cli_applied_marks(struct sg_ctx *ctx, const struct sg_revgraph *g,
			const struct sg_db_state *st)
{
	bool *applied = sg_alloc_array(ctx->a, g->n + 1, sizeof(bool));

	for (size_t k = 0; k < st->nheads; k++) {
		struct sg_revision *h = cli_revision_by_id(g, st->heads[k]);

		if (h)
			cli_mark_ancestors(h, applied);
	}
	return applied;
}

void cli_json_hazards(struct sg_json *j, const char *key, const struct sg_script *s)
{
	size_t count[SG_HZ__COUNT] = { 0 };

	for (size_t i = 0; s && i < s->n; i++)
		for (size_t k = 0; k < s->v[i].nhz; k++)
			if ((unsigned)s->v[i].hz[k].kind < SG_HZ__COUNT)
				count[s->v[i].hz[k].kind]++;
	sg_json_obj(j, key);
	for (int k = 0; k < SG_HZ__COUNT; k++)
		if (count[k])
			sg_json_int(j, sg_hazard_name((enum sg_hazard)k), (long long)count[k]);
	sg_json_end(j);
}

/*
 * One difference: kind, object (qualified SQL name), change (create, drop,
 * alter, rename, recreate), destructive (the object or data in it goes:
 * a drop, or a rebuild of a type whose values were removed), description
 * (check's line).  Returns false for the changes check does not list.
 */
bool cli_change_visible(const struct sg_changes *changes, const struct sg_change *ch)
{
	const struct sg_object *o = ch->to ? ch->to : ch->from;

	/* a new or dropped table's children go without saying */
	for (size_t k = 0; k < changes->n && o->parent; k++) {
		const struct sg_change *p = changes->v[k];

		if (p->op == ch->op && (p->op == SG_OP_CREATE || p->op == SG_OP_DROP) &&
		    (p->to ? p->to : p->from) == o->parent)
			return false;
	}
	/* nor does the OWNED BY that follows a new sequence */
	if (ch->op == SG_OP_ALTER && ch->what == SG_CHG_OWNED_BY && !ch->from)
		return false;
	return true;
}

void cli_json_change(struct sg_ctx *ctx, const struct sg_change *ch, const char *description)
{
	struct sg_json *j = ctx->json;
	const struct sg_object *o = ch->to ? ch->to : ch->from;
	struct sbuf name = SBUF_INIT;
	const char *change = "alter";
	bool destructive = false;

	switch (ch->op) {
	case SG_OP_CREATE: change = "create"; break;
	case SG_OP_RENAME: change = "rename"; break;
	case SG_OP_ALTER: change = "alter"; break;
	case SG_OP_DROP:
		if (ch->what & SG_CHG_REBUILD) {
			change = "recreate";
			destructive = true;
		} else if (ch->what & SG_CHG_DEFINITION) {
			change = "recreate";
		} else {
			change = "drop";
			destructive = true;
		}
		break;
	}
	sg_object_qualified(&name, o);
	sg_json_obj(j, NULL);
	sg_json_str(j, "kind", sg_kind_name(ch->kind));
	sg_json_str(j, "object", name.buf);
	/* the names themselves, unquoted (hostile ones included) */
	sg_json_str(j, "schema", o->schema);
	sg_json_str(j, "name", o->name);
	sg_json_str(j, "parent", o->parent ? o->parent->name : NULL);
	/* where the models declare it (null: only the database has it) */
	sg_json_str(j, "file", o->loc.line > 0 ? sg_loc_file(o->loc) : NULL);
	if (o->loc.line > 0)
		sg_json_int(j, "line", o->loc.line);
	else
		sg_json_null(j, "line");
	if (ch->op == SG_OP_RENAME && ch->from) {
		struct sbuf old = SBUF_INIT;

		sg_object_qualified(&old, ch->from);
		sg_json_str(j, "from", old.buf);
		sbuf_release(&old);
	}
	sg_json_str(j, "change", change);
	sg_json_bool(j, "destructive", destructive);
	sg_json_str(j, "description", description);
	sg_json_end(j);
	sbuf_release(&name);
}

/* ---- the document ---- */

static struct sbuf json_buf = SBUF_INIT;
static struct sg_json json_writer;
static struct sg_diag_sink json_sink;

void cli_json_begin(struct sg_ctx *ctx)
{
	json_sink.arena = ctx->a;
	sg_sink = &json_sink;
	sg_json_init(&json_writer, &json_buf);
	ctx->json = &json_writer;
	sg_json_obj(ctx->json, NULL);
	sg_json_int(ctx->json, "schemagen_json", SG_JSON_VERSION);
}

void cli_json_abandon(struct sg_ctx *ctx)
{
	sbuf_release(&json_buf);
	sg_sink = NULL;
	ctx->json = NULL;
}

static void json_diags(struct sg_json *j, const struct sg_diag_sink *sink,
		       const char *key, enum sg_severity sev)
{
	sg_json_arr(j, key);
	for (size_t i = 0; i < sink->n; i++) {
		const struct sg_diag *dg = &sink->v[i];

		if (dg->sev != sev)
			continue;
		sg_json_obj(j, NULL);
		sg_json_str(j, "file", sg_loc_file(dg->loc));
		if (dg->loc.file && dg->loc.line > 0) {
			sg_json_int(j, "line", dg->loc.line);
			sg_json_int(j, "column", dg->loc.col > 0 ? dg->loc.col : 1);
		} else {
			sg_json_null(j, "line");
			sg_json_null(j, "column");
		}
		sg_json_str(j, "message", dg->msg);
		sg_json_str(j, "hint", dg->hint);
		sg_json_end(j);
	}
	sg_json_end(j);
}

void cli_json_close(struct sg_ctx *ctx, int rc, const struct sg_diag_sink *sink)
{
	struct sg_json *j = ctx->json;

	/* a command that stopped half-way leaves members open */
	while (j->depth > 1)
		sg_json_end(j);
	sg_json_str(j, "command", ctx->cmd);
	sg_json_int(j, "exit_code", rc);
	json_diags(j, sink, "errors", SG_SEV_ERROR);
	json_diags(j, sink, "warnings", SG_SEV_WARNING);
	sg_json_int(j, "more_errors", (long long)sink->dropped);
	sg_json_end(j);
}

void cli_json_finish(struct sg_ctx *ctx, int rc)
{
	cli_json_close(ctx, rc, &json_sink);
	sbuf_addch(&json_buf, '\n');
	fputs(json_buf.buf, stdout);
	sbuf_release(&json_buf);
	sg_sink = NULL;
	ctx->json = NULL;
}

/* ---- upgrade, downgrade, stamp ---- */

void cli_json_run(struct sg_ctx *ctx, const char *target, const struct sg_run_report *rep)
{
	struct sg_json *j = ctx->json;

	sg_json_str(j, "target", target);
	if (!rep->ran) {
		/* stopped before the database was read */
		sg_json_null(j, "from");
		sg_json_null(j, "to");
	} else {
		cli_json_ids(j, "from", rep->from, rep->nfrom);
		cli_json_ids(j, "to", rep->to, rep->nto);
	}
	sg_json_arr(j, "applied");
	for (size_t i = 0; i < rep->n; i++) {
		const struct sg_run_step *st = &rep->v[i];

		sg_json_obj(j, NULL);
		sg_json_str(j, "id", st->rev->id);
		sg_json_str(j, "message", st->rev->message);
		sg_json_str(j, "path", st->rev->path);
		sg_json_str(j, "direction", st->direction);
		sg_json_int(j, "statements", (long long)st->statements);
		sg_json_int(j, "duration_ms", st->duration_ms);
		sg_json_end(j);
	}
	sg_json_end(j);
}

FILE *cli_json_sql_begin(struct sg_ctx *ctx, char **buf, size_t *len)
{
	FILE *f = open_memstream(buf, len);

	if (!f)
		SG_BUG("open_memstream failed");
	return f;
}

void cli_json_sql_end(struct sg_ctx *ctx, FILE *f, char **buf, size_t *len)
{
	fclose(f);
	sg_json_strn(ctx->json, "sql", *buf, *len);
	free(*buf);
}

/* ---- check's problems ---- */

void cli_problem(struct sg_ctx *ctx, const char *kind, const char *fix,
		 const char *fmt, ...)
{
	struct sbuf sb = SBUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	sbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	if (!ctx->json) {
		fputs(sb.buf, stdout);
		if (fix)
			printf("  fix: %s\n", fix);
	} else {
		struct cli_problem pr = { .kind = kind, .fix = fix };

		sbuf_rtrim(&sb);
		pr.message = sbuf_to_arena(&sb, ctx->a);
		if (ctx->nproblems == ctx->problems_cap)
			ctx->problems = sg_arena_grow(ctx->a, ctx->problems, &ctx->problems_cap,
						      ctx->nproblems + 1, sizeof(*ctx->problems));
		ctx->problems[ctx->nproblems++] = pr;
	}
	sbuf_release(&sb);
}

void cli_json_problems(struct sg_ctx *ctx)
{
	struct sg_json *j = ctx->json;

	sg_json_arr(j, "problems");
	for (size_t i = 0; i < ctx->nproblems; i++) {
		sg_json_obj(j, NULL);
		sg_json_str(j, "kind", ctx->problems[i].kind);
		sg_json_str(j, "message", ctx->problems[i].message);
		sg_json_str(j, "fix", ctx->problems[i].fix);
		sg_json_end(j);
	}
	sg_json_end(j);
}
