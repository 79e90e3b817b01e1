// SPDX-License-Identifier: MIT
/*
 * ftable.c - the section foreign_tables: of a model file, in the file's
 * schema.  docs/models.md documents the format:
 *
 *   foreign_tables:
 *     remote_orders:
 *       server: billing
 *       options: {schema_name: public, table_name: orders}
 *       columns:
 *         id: {type: bigint, nullable: false, options: {column_name: order_id}}
 *       checks: [id > 0]
 *     orders_archive:                 (a partition: columns are the parent's)
 *       server: archive
 *       partition_of: orders
 *       bounds: FOR VALUES FROM (MINVALUE) TO ('2020-01-01')
 *       triggers: {...}               (as a table's: no constraint,
 *       statistics: {...}              INSTEAD OF or transition tables)
 *
 * Columns and checks are read as a table's (table.c), and so are
 * partition_of, bounds and inherits (partition.c), triggers (trigger.c)
 * and statistics (statistics.c); options as a
 * server's (foreign.c: a secret only as {env: NAME}).  An unknown server is
 * PostgreSQL's error when the models are materialised, at the `server:`
 * value.
 */
#include <string.h>

#include "schemagen/arena.h"
#include "schemagen/diag.h"
#include "schemagen/model.h"
#include "yaml-priv.h"

static const char *const foreign_table_keys[] = {
	"server", "options", "columns", "checks", "comment", "owner", "grants",
	"renamed_from", "partition_of", "bounds", "inherits", "triggers",
	"statistics",
};

/*
 * partition_of and bounds (a partition: CREATE FOREIGN TABLE ... PARTITION
 * OF), or inherits (INHERITS), read as a table's (partition.c).  A foreign
 * partition is declared here, under foreign_tables:, never under its
 * parent's partitions: (which holds tables).
 */
static void load_parents(struct loader *l, struct sg_foreign_table *f,
			 const struct ynode *key, const struct ynode *const *v)
{
	struct table_extra x = { .partition_of = v[8], .bounds = v[9],
				 .inherits = v[10] };

	if (x.bounds && !ynode_is_null(x.bounds) &&
	    (!x.partition_of || ynode_is_null(x.partition_of))) {
		struct sg_diag *dg = sg_diag_error(l->d, x.bounds->loc,
			"foreign table %s has \"bounds\" but no \"partition_of\"",
			yq(l->t, key->str));

		sg_diag_hint(dg, l->d, "a foreign partition names its parent: "
			     "partition_of: measurements");
		x.bounds = NULL;
	}
	load_table_extra(l, &f->rel, yq(l->t, key->str), &x, NULL);
}

void load_foreign_table(struct loader *l, const struct ynode *key,
			const struct ynode *val)
{
	const struct ynode *v[ARRAY_SIZE(foreign_table_keys)] = { 0 };
	struct sg_foreign_table *f;
	const char *ctx, *s;

	if (!yname_ok(l->d, l->t, key, "foreign table name"))
		return;
	f = SG_NEW(l->cat, sg_foreign_table, SG_KIND_FOREIGN_TABLE, l->schema,
		   key->str, NULL);
	f->rel.obj.loc = key->loc;
	ctx = sg_printf(l->t, "foreign table %s", yq(l->t, key->str));
	if (val->type != YN_MAP) {
		yexpect(l->d, l->t, val, "a mapping {server:, columns:, ...}");
		return;
	}
	yload_keys(l, val, foreign_table_keys, ARRAY_SIZE(foreign_table_keys), v, ctx);
	if (!v[0] || ynode_is_null(v[0])) {
		struct sg_diag *dg = sg_diag_error(l->d, key->loc,
			"%s needs \"server\"", ctx);

		sg_diag_hint(dg, l->d, "the foreign server it reads from: server: billing");
	} else if (yname_ok(l->d, l->t, v[0], "server name")) {
		f->server = sg_strdup(l->a, v[0]->str);
		f->server_loc = v[0]->vloc;
	}
	yload_fdw_options(l, v[1], ctx, &f->options, &f->noptions);
	load_parents(l, f, key, v);
	load_foreign_table_parts(l, &f->rel, key, v[2], v[3]);
	if (v[11])
		load_triggers(l, &f->rel, v[11]);
	load_statistics(l, &f->rel, v[12]);
	if (v[4] && yget_str(l->d, l->t, v[4], "comment", &s) && s && *s)
		f->rel.obj.comment = sg_strdup(l->a, s);
	load_owner(l, &f->rel.obj, v[5]);
	load_grants(l, &f->rel.obj, v[6]);
	if (v[7] && !ynode_is_null(v[7]) &&
	    yname_ok(l->d, l->t, v[7], "foreign table name")) {
		if (strcmp(v[7]->str, key->str) == 0) {
			struct sg_diag *dg = sg_diag_error(l->d, v[7]->loc,
				"%s is renamed from itself", ctx);

			sg_diag_hint(dg, l->d, "remove \"renamed_from\" once the "
				     "rename has been applied");
		} else {
			f->rel.obj.renamed_from = sg_strdup(l->a, v[7]->str);
			f->rel.obj.renamed_loc = v[7]->vloc;
		}
	}
}
