// SPDX-License-Identifier: MIT
/*
 * partial.c - the model database read back after an incremental step:
 * only the tables and views the step touched, merged into the catalog it
 * held (introspect_partial(), src/introspect/partial.c), instead of the
 * whole database: at 10,000 tables a full read-back is a second
 * introspection as long as the live database's.
 *
 * The relations touched are those of the plan's changes (every step and
 * what it absorbed: the orderer's rebuilds of dependents included), each
 * object's relation (itself, or the table or view it hangs under).  The
 * whole database is read instead (-v says why) when a change is of
 * another kind (a function, a type, a sequence, a schema, ...), a rename,
 * `exclude:` is set, introspect_partial() declines, or SCHEMAGEN_NO_PARTIAL is set
 * in the environment.  With SCHEMAGEN_PARTIAL_CHECK set, the database is read
 * whole as well and the two catalogs compared, serialised, byte for byte
 * (-v says which; the full one is used when they differ): the tests'.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "schemagen/arena.h"
#include "schemagen/diff.h"
#include "schemagen/introspect.h"
#include "schemagen/model.h"
#include "schemagen/order.h"
#include "schemagen/pgconn.h"
#include "schemagen/quote.h"
#include "schemagen/sbuf.h"
#include "schemagen/util.h"

struct rels {
	SG_VEC(const char *) schemas;
	SG_VEC(const char *) names;
};

static const char *add_object(struct sg_ctx *ctx, struct rels *r,
			      const struct sg_object *o)
{
	const struct sg_object *rel;

	if (!o)
		return NULL;
	switch (o->kind) {
	case SG_KIND_TABLE: case SG_KIND_VIEW: case SG_KIND_COLUMN:
	case SG_KIND_CONSTRAINT: case SG_KIND_INDEX: case SG_KIND_TRIGGER:
	case SG_KIND_POLICY: case SG_KIND_RULE:
		break;
	default:
		return sg_printf(ctx->a, "a %s changed", sg_kind_name(o->kind));
	}
	rel = o->parent ? o->parent : o;
	if (rel->kind != SG_KIND_TABLE && rel->kind != SG_KIND_VIEW)
		return sg_printf(ctx->a, "a %s changed", sg_kind_name(rel->kind));
	if (o->renamed_from || rel->renamed_from)
		return "a relation or column was renamed";
	for (size_t i = 0; i < r->names.n; i++)
		if (strcmp(r->names.v[i], rel->name) == 0 &&
		    strcmp(r->schemas.v[i], rel->schema) == 0)
			return NULL;
	SG_VEC_PUSH(ctx->a, &r->schemas, rel->schema);
	SG_VEC_PUSH(ctx->a, &r->names, rel->name);
	return NULL;
}

static const char *add_change(struct sg_ctx *ctx, struct rels *r,
			      const struct sg_change *c)
{
	const char *why;

	if (c->op == SG_OP_RENAME)
		return "a relation or column was renamed";
	if ((why = add_object(ctx, r, c->from)) != NULL)
		return why;
	return add_object(ctx, r, c->to);
}

/* The catalogs, oids and all, byte for byte; NULL when they are equal. */
static const char *compare(struct sg_ctx *ctx, const struct sg_catalog *a,
			   const struct sg_catalog *b)
{
	struct sbuf x = SBUF_INIT, y = SBUF_INIT;
	const char *why = NULL;

	sg_catalog_serialise(&x, a);
	sg_catalog_serialise(&y, b);
	if (a->nobjs != b->nobjs)
		why = sg_printf(ctx->a, "%zu objects, the full read %zu", a->nobjs,
				b->nobjs);
	else if (a->ndeps != b->ndeps)
		why = sg_printf(ctx->a, "%zu dependencies, the full read %zu",
				a->ndeps, b->ndeps);
	else if (x.len != y.len || memcmp(x.buf, y.buf, x.len) != 0) {
		why = "the serialised catalogs differ";
		for (size_t i = 0; i < a->nobjs; i++)
			if (sg_object_digest(a->objs[i]) != sg_object_digest(b->objs[i]) ||
			    a->objs[i]->oid != b->objs[i]->oid) {
				why = sg_printf(ctx->a, "object %zu: %s %s.%s, the full "
						"read's %s %s.%s", i,
						sg_kind_name(a->objs[i]->kind),
						sg_qt(ctx->a, a->objs[i]->schema ? a->objs[i]->schema : ""),
						sg_qt(ctx->a, a->objs[i]->name),
						sg_kind_name(b->objs[i]->kind),
						sg_qt(ctx->a, b->objs[i]->schema ? b->objs[i]->schema : ""),
						sg_qt(ctx->a, b->objs[i]->name));
				break;
			}
	}
	sbuf_release(&x);
	sbuf_release(&y);
	return why;
}

const char *cli_partial_read(struct sg_ctx *ctx, struct sg_conn *c,
			     const struct sg_plan *plan, struct sg_catalog *prev,
			     struct sg_catalog **out)
{
	struct sg_introspect_opts o = cli_introspect_opts(ctx);
	struct rels r = { 0 };
	struct sg_catalog *m, *full;
	unsigned long q0 = sg_conn_query_count(c);
	const char *why = NULL, *differs;
	int rc;

	if (getenv("SCHEMAGEN_NO_PARTIAL"))
		return "SCHEMAGEN_NO_PARTIAL is set";
	if (ctx->cfg.nexclude)
		return "exclude: is set";
	for (size_t i = 0; i < plan->n && !why; i++) {
		why = add_change(ctx, &r, plan->steps[i]->change);
		for (size_t k = 0; k < plan->steps[i]->nabsorbed && !why; k++)
			why = add_change(ctx, &r, plan->steps[i]->absorbed[k]);
	}
	if (why)
		return why;
	rc = introspect_partial(c, &o, prev, r.schemas.v, r.names.v, r.names.n, &m, &why);
	if (rc < 0)
		return "the partial read failed";
	if (rc > 0)
		return why;
	sg_verbose("model database: read back %zu changed relation%s and their "
		   "neighbours, %lu queries", r.names.n, r.names.n == 1 ? "" : "s",
		   sg_conn_query_count(c) - q0);
	if (getenv("SCHEMAGEN_PARTIAL_CHECK") && cli_introspect(ctx, c, &full) == 0) {
		if ((differs = compare(ctx, m, full)) != NULL) {
			sg_verbose("model database: the partial read is not the full "
				   "read: %s", differs);
			m = full;
		} else {
			sg_verbose("model database: the partial read is the full read");
		}
	}
	*out = m;
	return NULL;
}
