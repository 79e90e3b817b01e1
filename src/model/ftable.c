// SPDX-License-Identifier: MIT
/*
 * ftable.c - what PostgreSQL refuses of a foreign table that is a
 * partition or has triggers, found in the models when they are loaded
 * (at the YAML location) rather than by the scratch server:
 *
 * - a partitioned table with a primary key, a unique constraint or a
 *   unique index cannot have a foreign partition ("cannot create unique
 *   index on partitioned table": an index cannot be made on a foreign
 *   table), nor one with a foreign key ("foreign key constraints are not
 *   supported on foreign tables"); what the parent's parents have counts
 *   too, since it is cloned onto the parent;
 * - a trigger of a foreign table is no constraint trigger, not INSTEAD
 *   OF, and has no transition tables (REFERENCING).  TRUNCATE needs
 *   PostgreSQL 16 (version.c).
 */
#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "schemagen/quote.h"
#include "schemagen/util.h"

/* What of table p a foreign partition cannot have, or NULL. */
static const struct sg_object *refused(const struct sg_table *p, const char **why)
{
	for (size_t i = 0; i < p->nconstraints; i++) {
		const struct sg_constraint *k = p->constraints[i];

		if (k->type == 'p' || k->type == 'u' || k->type == 'x') {
			*why = "an index cannot be made on a foreign table";
			return &k->obj;
		}
		if (k->type == 'f') {
			*why = "a foreign table cannot have foreign keys";
			return &k->obj;
		}
	}
	for (size_t i = 0; i < p->nindexes; i++)
		if (p->indexes[i]->unique) {
			*why = "an index cannot be made on a foreign table";
			return &p->indexes[i]->obj;
		}
	return NULL;
}

void sg_check_foreign_partition(struct sg_diags *d, struct sg_arena *t,
				const struct sg_foreign_table *f)
{
	const struct sg_table *p = f->rel.partition_parent;

	for (int depth = 0; p && depth < 32; depth++, p = p->partition_parent) {
		const char *why = NULL;
		const struct sg_object *o = refused(p, &why);
		struct sg_diag *dg;

		if (!o)
			continue;
		dg = sg_diag_error(d, f->rel.partition_of_loc.line
				   ? f->rel.partition_of_loc : f->rel.obj.loc,
				   "foreign table %s cannot be a partition of table "
				   "%s, which has %s %s: %s",
				   sg_qq(t, f->rel.obj.schema, f->rel.obj.name),
				   sg_qq(t, p->obj.schema, p->obj.name),
				   o->kind == SG_KIND_INDEX ? "unique index"
				   : ((const struct sg_constraint *)o)->type == 'p'
				   ? "primary key" : ((const struct sg_constraint *)o)->type == 'u'
				   ? "unique constraint" : ((const struct sg_constraint *)o)->type == 'x'
				   ? "exclusion constraint" : "foreign key",
				   sg_quote_msg(t, o->name), why);
		sg_diag_hint(dg, d, "PostgreSQL refuses both; "
			     "keep the key on the partitions that are tables, "
			     "or make this partition a table");
		break;
	}
	for (size_t i = 0; i < f->rel.ntriggers; i++) {
		const struct sg_trigger *g = f->rel.triggers[i];
		const char *what = g->constraint ? "a constraint trigger"
			: sg_streq(g->timing, "INSTEAD OF") ? "an INSTEAD OF trigger"
			: (g->old_table || g->new_table)
			? "a trigger with transition tables (referencing)" : NULL;

		if (what)
			sg_diag_error(d, g->obj.loc, "trigger %s of foreign table %s "
				      "cannot be %s: PostgreSQL refuses it on a "
				      "foreign table", sg_quote_msg(t, g->obj.name),
				      sg_qq(t, f->rel.obj.schema, f->rel.obj.name),
				      what);
	}
}
