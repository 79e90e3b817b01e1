// SPDX-License-Identifier: MIT
/*
 * kinds.c - the registry of object kinds: what is true of each kind
 * whatever the stage (pg_dump's ObjectTypePriority and pgquarrel's kind
 * lists in one table).  The stages keep their own per-kind operations in
 * one table each (introspect.c, yaml/load.c, diff/diff.c, order/order.c,
 * emit/emit.c), indexed by the same enum; tests/unit/t-kinds.c checks that
 * every kind has its row everywhere and that the facts agree.
 */
#include <stddef.h>

#include "schemagen/model.h"
#include "schemagen/util.h"

#define CHILD(arr, cnt, cap, sorted)                                  \
	.child = true, .child_array = offsetof(struct sg_table, arr),  \
	.child_count = offsetof(struct sg_table, cnt),                 \
	.child_cap = offsetof(struct sg_table, cap), .child_sorted = sorted

const struct sg_kind_info sg_kind_info[SG_KIND__COUNT] = {
	[SG_KIND_SCHEMA] = {
		.owned = true,
		.name = "schema", .sql = "SCHEMA", .naming = SG_NAME_BARE,
		.namespaces = "s", .pg_catalog = "pg_namespace",
		.privileges = "UC",
	},
	[SG_KIND_EXTENSION] = {
		.name = "extension", .sql = "EXTENSION", .naming = SG_NAME_BARE,
		.namespaces = "e", .pg_catalog = "pg_extension",
	},
	[SG_KIND_COLLATION] = {
		.owned = true,
		.name = "collation", .sql = "COLLATION",
		.naming = SG_NAME_QUALIFIED, .namespaces = "l",
		.pg_catalog = "pg_collation", .rebuilt_as_type = true,
	},
	[SG_KIND_ENUM] = {
		.owned = true,
		.name = "enum", .sql = "TYPE", .naming = SG_NAME_QUALIFIED,
		.namespaces = "t", .pg_catalog = "pg_type",
		.privileges = "U", .public_default = 'U',
		.rebuilt_as_type = true,
	},
	[SG_KIND_DOMAIN] = {
		.owned = true,
		.name = "domain", .sql = "DOMAIN", .naming = SG_NAME_QUALIFIED,
		.namespaces = "t", .pg_catalog = "pg_type",
		.privileges = "U", .public_default = 'U',
		.rebuilt_as_type = true,
	},
	[SG_KIND_COMPOSITE] = {
		.owned = true,
		.name = "type", .sql = "TYPE", .naming = SG_NAME_QUALIFIED,
		.namespaces = "t", .pg_catalog = "pg_type",
		.privileges = "U", .public_default = 'U',
		.rebuilt_as_type = true,
	},
	[SG_KIND_SEQUENCE] = {
		.owned = true,
		.name = "sequence", .sql = "SEQUENCE",
		.naming = SG_NAME_QUALIFIED, .namespaces = "r",
		.pg_catalog = "pg_class", .privileges = "rwU",
	},
	[SG_KIND_FUNCTION] = {
		.owned = true,
		.name = "function", .sql = "FUNCTION",
		.naming = SG_NAME_SIGNATURE, .namespaces = "f",
		.pg_catalog = "pg_proc", .privileges = "X",
		.public_default = 'X', .rebuildable = true,
	},
	[SG_KIND_LANGUAGE] = {
		.owned = true, .global = true,
		.name = "language", .sql = "LANGUAGE", .naming = SG_NAME_BARE,
		.namespaces = "p", .pg_catalog = "pg_language",
		.privileges = "U", .public_default = 'U',
	},
	/* foreign data: database-wide */
	[SG_KIND_FDW] = {
		.owned = true, .global = true,
		.name = "foreign data wrapper", .sql = "FOREIGN DATA WRAPPER",
		.naming = SG_NAME_BARE, .namespaces = "w",
		.pg_catalog = "pg_foreign_data_wrapper", .privileges = "U",
	},
	[SG_KIND_SERVER] = {
		.owned = true, .global = true,
		.name = "server", .sql = "SERVER", .naming = SG_NAME_BARE,
		.namespaces = "v", .pg_catalog = "pg_foreign_server",
		.privileges = "U",
	},
	[SG_KIND_USER_MAPPING] = {
		.global = true,
		.name = "user mapping", .sql = "USER MAPPING",
		.naming = SG_NAME_SQL, .namespaces = "u",
		.pg_catalog = "pg_user_mapping",
	},
	[SG_KIND_TABLE] = {
		.owned = true,
		.name = "table", .sql = "TABLE", .naming = SG_NAME_QUALIFIED,
		.namespaces = "rt", .pg_catalog = "pg_class",
		.relation = true, .privileges = "arwdDxtm",
	},
	[SG_KIND_COLUMN] = {
		.name = "column", .sql = "COLUMN", .naming = SG_NAME_PARENT_DOT,
		.namespaces = "c", .pg_catalog = "pg_class",
		CHILD(columns, ncolumns, columns_cap, false),
		.inheritable = true, .privileges = "arwx",
	},
	[SG_KIND_CONSTRAINT] = {
		.name = "constraint", .sql = "CONSTRAINT",
		.naming = SG_NAME_ON_PARENT, .namespaces = "k",
		.pg_catalog = "pg_constraint",
		CHILD(constraints, nconstraints, constraints_cap, true),
		.inheritable = true,
	},
	[SG_KIND_INDEX] = {
		.name = "index", .sql = "INDEX", .naming = SG_NAME_QUALIFIED,
		.namespaces = "r", .pg_catalog = "pg_class",
		CHILD(indexes, nindexes, indexes_cap, true),
		.inheritable = true,
	},
	[SG_KIND_VIEW] = {
		.owned = true,
		.name = "view", .sql = "VIEW", .naming = SG_NAME_QUALIFIED,
		.namespaces = "rt", .pg_catalog = "pg_class",
		.relation = true, .privileges = "arwdDxtm", .rebuildable = true,
	},
	[SG_KIND_TRIGGER] = {
		.name = "trigger", .sql = "TRIGGER", .naming = SG_NAME_ON_PARENT,
		.namespaces = "g", .pg_catalog = "pg_trigger",
		CHILD(triggers, ntriggers, triggers_cap, true),
		.rebuildable = true,
	},
	[SG_KIND_POLICY] = {
		.name = "policy", .sql = "POLICY", .naming = SG_NAME_ON_PARENT,
		.namespaces = "y", .pg_catalog = "pg_policy",
		CHILD(policies, npolicies, policies_cap, true),
		.rebuildable = true,
	},
};
_Static_assert(ARRAY_SIZE(sg_kind_info) == SG_KIND__COUNT,
	       "sg_kind_info[] must list every enum sg_kind");

const struct sg_kind_info *sg_kind(enum sg_kind kind)
{
	if ((unsigned)kind >= SG_KIND__COUNT)
		SG_BUG("bad kind %d", (int)kind);
	return &sg_kind_info[kind];
}

const char *sg_kind_name(enum sg_kind kind)
{
	return sg_kind(kind)->name;
}

bool sg_kind_is_child(enum sg_kind kind)
{
	return sg_kind(kind)->child;
}

bool sg_kind_is_relation(enum sg_kind kind)
{
	return sg_kind(kind)->relation;
}

struct sg_object *const *sg_children(const struct sg_table *t, enum sg_kind kind,
				     size_t *n)
{
	const struct sg_kind_info *k = sg_kind(kind);
	const char *base = (const char *)t;

	if (!k->child)
		SG_BUG("%s is not a child kind", k->name);
	*n = *(const size_t *)(const void *)(base + k->child_count);
	return *(struct sg_object *const *const *)(const void *)(base + k->child_array);
}
