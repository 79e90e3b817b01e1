// SPDX-License-Identifier: MIT
/*
 * version.c - features of the models that need a newer PostgreSQL than the
 * server they go to.  The loader does not know the server; this runs once
 * the scratch server is open, before anything is materialised, and reports
 * each such feature at its YAML location ("needs PostgreSQL N"), so a
 * model never fails later with the server's syntax error.
 *
 * Checked: NULLS NOT DISTINCT of unique constraints and indexes (15),
 * security_invoker of views (15), expressions of statistics objects (14),
 * their statistics target (13); a publication's TABLES IN SCHEMA,
 * column lists and row filters (15); TRUNCATE triggers of foreign tables
 * (16).
 */
#include <string.h>

#include "schemagen/diag.h"
#include "schemagen/model.h"

static void need(struct sg_diags *d, const struct sg_object *o, int version,
		 int needs, const char *what)
{
	sg_diag_error(d, o->loc, "%s needs PostgreSQL %d (the server is %d)", what,
		      needs / 10000, version / 10000);
}

int sg_model_check_version(const struct sg_catalog *m, int version, struct sg_diags *d)
{
	int before = d->nerrors;

	if (version <= 0)
		return 0;
	for (size_t i = 0; i < m->nbykind[SG_KIND_CONSTRAINT]; i++) {
		const struct sg_constraint *k =
			(const struct sg_constraint *)m->bykind[SG_KIND_CONSTRAINT][i];

		if (k->nulls_not_distinct && version < 150000)
			need(d, &k->obj, version, 150000, "NULLS NOT DISTINCT (nulls_distinct: false)");
	}
	for (size_t i = 0; i < m->nbykind[SG_KIND_INDEX]; i++) {
		const struct sg_index *ix =
			(const struct sg_index *)m->bykind[SG_KIND_INDEX][i];

		if (ix->nulls_not_distinct && version < 150000)
			need(d, &ix->obj, version, 150000, "NULLS NOT DISTINCT (nulls_distinct: false)");
	}
	for (size_t i = 0; i < m->nbykind[SG_KIND_VIEW]; i++) {
		const struct sg_view *v = (const struct sg_view *)m->bykind[SG_KIND_VIEW][i];

		for (size_t j = 0; j < v->nreloptions; j++)
			if (!strncmp(v->reloptions[j], "security_invoker=", 17) &&
			    version < 150000)
				need(d, &v->rel.obj, version, 150000, "security_invoker");
	}
	for (size_t i = 0; i < m->nbykind[SG_KIND_STATISTICS]; i++) {
		const struct sg_statistics *st =
			(const struct sg_statistics *)m->bykind[SG_KIND_STATISTICS][i];

		if (st->nexpressions && version < 140000)
			sg_diag_error(d, st->expr_locs ? st->expr_locs[0] : st->obj.loc,
				      "expressions of statistics need PostgreSQL 14 "
				      "(the server is %d)", version / 10000);
		if (st->target >= 0 && version < 130000)
			sg_diag_error(d, st->target_loc.line ? st->target_loc : st->obj.loc,
				      "the target of statistics needs PostgreSQL 13 "
				      "(the server is %d)", version / 10000);
	}
	for (size_t i = 0; i < m->nbykind[SG_KIND_TRIGGER] && version < 160000; i++) {
		const struct sg_trigger *g =
			(const struct sg_trigger *)m->bykind[SG_KIND_TRIGGER][i];

		for (size_t j = 0; j < g->nevents; j++)
			if (g->obj.parent->kind == SG_KIND_FOREIGN_TABLE &&
			    strcmp(g->events[j], "TRUNCATE") == 0)
				need(d, &g->obj, version, 160000,
				     "a TRUNCATE trigger of a foreign table");
	}
	for (size_t i = 0; i < m->nbykind[SG_KIND_PUBLICATION]; i++) {
		const struct sg_publication *p =
			(const struct sg_publication *)m->bykind[SG_KIND_PUBLICATION][i];

		if (version >= 150000)
			break;
		if (p->nschemas)
			sg_diag_error(d, p->schemas_loc, "TABLES IN SCHEMA (schemas) "
				      "needs PostgreSQL 15 (the server is %d)",
				      version / 10000);
		for (size_t j = 0; j < p->ntables; j++) {
			if (p->tables[j].columns)
				sg_diag_error(d, p->tables[j].loc, "a column list of a "
					      "published table needs PostgreSQL 15 "
					      "(the server is %d)", version / 10000);
			if (p->tables[j].where)
				sg_diag_error(d, p->tables[j].where_loc, "a row filter "
					      "(where) of a published table needs "
					      "PostgreSQL 15 (the server is %d)",
					      version / 10000);
		}
	}
	return d->nerrors > before ? -1 : 0;
}
