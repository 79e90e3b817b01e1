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
	/* global default privileges: one object per role (defacl.c) */
	[SG_KIND_DEFAULT_ACL] = {
		.global = true,
		.name = "default privileges", .sql = "DEFAULT PRIVILEGES",
		.naming = SG_NAME_SQL, .namespaces = "A",
		.pg_catalog = "pg_default_acl",
	},
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
	/* text search: named in their schema's pg_ts_parser / pg_ts_template
	 * / pg_ts_dict / pg_ts_config; parsers and templates have no owner */
	[SG_KIND_TS_PARSER] = {
		.name = "text search parser", .sql = "TEXT SEARCH PARSER",
		.naming = SG_NAME_QUALIFIED, .namespaces = "P",
		.pg_catalog = "pg_ts_parser", .rebuildable = true,
	},
	[SG_KIND_TS_TEMPLATE] = {
		.name = "text search template", .sql = "TEXT SEARCH TEMPLATE",
		.naming = SG_NAME_QUALIFIED, .namespaces = "T",
		.pg_catalog = "pg_ts_template", .rebuildable = true,
	},
	[SG_KIND_TS_DICTIONARY] = {
		.owned = true,
		.name = "text search dictionary", .sql = "TEXT SEARCH DICTIONARY",
		.naming = SG_NAME_QUALIFIED, .namespaces = "D",
		.pg_catalog = "pg_ts_dict", .rebuildable = true,
	},
	[SG_KIND_TS_CONFIG] = {
		.owned = true,
		.name = "text search configuration", .sql = "TEXT SEARCH CONFIGURATION",
		.naming = SG_NAME_QUALIFIED, .namespaces = "C",
		.pg_catalog = "pg_ts_config", .rebuildable = true,
	},
	[SG_KIND_CAST] = {
		.global = true,
		.name = "cast", .sql = "CAST", .naming = SG_NAME_CAST,
		.namespaces = "a", .pg_catalog = "pg_cast",
	},
	/* aggregates and operators (aggregate.c, operator.c in each stage) */
	[SG_KIND_AGGREGATE] = {
		.owned = true,
		.name = "aggregate", .sql = "AGGREGATE",
		.naming = SG_NAME_SIGNATURE, .namespaces = "f",
		.pg_catalog = "pg_proc", .privileges = "X",
		.public_default = 'X', .rebuildable = true,
	},
	[SG_KIND_OPERATOR] = {
		.owned = true,
		.name = "operator", .sql = "OPERATOR",
		.naming = SG_NAME_OPERATOR, .namespaces = "o",
		.pg_catalog = "pg_operator", .rebuildable = true,
	},
	/* operator families and classes (opclass.c in each stage) */
	[SG_KIND_OPFAMILY] = {
		.owned = true,
		.name = "operator family", .sql = "OPERATOR FAMILY",
		.naming = SG_NAME_USING, .namespaces = "o",
		.pg_catalog = "pg_opfamily",
	},
	[SG_KIND_OPCLASS] = {
		.owned = true,
		.name = "operator class", .sql = "OPERATOR CLASS",
		.naming = SG_NAME_USING, .namespaces = "o",
		.pg_catalog = "pg_opclass",
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
		.namespaces = "V", .pg_catalog = "pg_foreign_server",
		.privileges = "U",
	},
	[SG_KIND_USER_MAPPING] = {
		.global = true,
		.name = "user mapping", .sql = "USER MAPPING",
		.naming = SG_NAME_SQL, .namespaces = "U",
		.pg_catalog = "pg_user_mapping",
	},
	/* foreign tables (ftable.c in each stage): relations in a schema,
	 * granted as tables are */
	[SG_KIND_FOREIGN_TABLE] = {
		.owned = true,
		.name = "foreign table", .sql = "FOREIGN TABLE",
		.naming = SG_NAME_QUALIFIED, .namespaces = "rt",
		.pg_catalog = "pg_class", .relation = true,
		.privileges = "arwdDxtm",
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
	/* statistics objects: named in their schema ("S"), on a table */
	[SG_KIND_STATISTICS] = {
		.owned = true,
		.name = "statistics", .sql = "STATISTICS",
		.naming = SG_NAME_QUALIFIED, .namespaces = "S",
		.pg_catalog = "pg_statistic_ext",
		CHILD(statistics, nstatistics, statistics_cap, true),
		.rebuildable = true,
	},
	/* rules: named within their table or view ("u") */
	[SG_KIND_RULE] = {
		.name = "rule", .sql = "RULE", .naming = SG_NAME_ON_PARENT,
		.namespaces = "u", .pg_catalog = "pg_rewrite",
		CHILD(rules, nrules, rules_cap, true),
		.rebuildable = true,
	},
	[SG_KIND_EVENT_TRIGGER] = {
		.global = true, .owned = true,
		.name = "event trigger", .sql = "EVENT TRIGGER",
		.naming = SG_NAME_BARE, .namespaces = "v",
		.pg_catalog = "pg_event_trigger",
	},
	[SG_KIND_PUBLICATION] = {
		.global = true, .owned = true,
		.name = "publication", .sql = "PUBLICATION",
		.naming = SG_NAME_BARE, .namespaces = "b",
		.pg_catalog = "pg_publication",
	},
};
_Static_assert(ARRAY_SIZE(sg_kind_info) == SG_KIND__COUNT,
	       "sg_kind_info[] must list every enum sg_kind");

/* The options of aggregates and operators (model.h). */
const struct sg_opt_info sg_agg_opts[SG_AGG__COUNT] = {
	[SG_AGG_SFUNC] = { "sfunc", "SFUNC", 'f', NULL },
	[SG_AGG_STYPE] = { "stype", "STYPE", 't', NULL },
	[SG_AGG_SSPACE] = { "sspace", "SSPACE", 'n', NULL },
	[SG_AGG_FINALFUNC] = { "finalfunc", "FINALFUNC", 'f', NULL },
	[SG_AGG_FINALFUNC_EXTRA] = { "finalfunc_extra", "FINALFUNC_EXTRA", 'b', NULL },
	[SG_AGG_FINALFUNC_MODIFY] = { "finalfunc_modify", "FINALFUNC_MODIFY", 'w',
				      "read_only shareable read_write" },
	[SG_AGG_COMBINEFUNC] = { "combinefunc", "COMBINEFUNC", 'f', NULL },
	[SG_AGG_SERIALFUNC] = { "serialfunc", "SERIALFUNC", 'f', NULL },
	[SG_AGG_DESERIALFUNC] = { "deserialfunc", "DESERIALFUNC", 'f', NULL },
	[SG_AGG_INITCOND] = { "initcond", "INITCOND", 'l', NULL },
	[SG_AGG_MSFUNC] = { "msfunc", "MSFUNC", 'f', NULL },
	[SG_AGG_MINVFUNC] = { "minvfunc", "MINVFUNC", 'f', NULL },
	[SG_AGG_MSTYPE] = { "mstype", "MSTYPE", 't', NULL },
	[SG_AGG_MSSPACE] = { "msspace", "MSSPACE", 'n', NULL },
	[SG_AGG_MFINALFUNC] = { "mfinalfunc", "MFINALFUNC", 'f', NULL },
	[SG_AGG_MFINALFUNC_EXTRA] = { "mfinalfunc_extra", "MFINALFUNC_EXTRA", 'b', NULL },
	[SG_AGG_MFINALFUNC_MODIFY] = { "mfinalfunc_modify", "MFINALFUNC_MODIFY", 'w',
				       "read_only shareable read_write" },
	[SG_AGG_MINITCOND] = { "minitcond", "MINITCOND", 'l', NULL },
	[SG_AGG_SORTOP] = { "sortop", "SORTOP", 'o', NULL },
	[SG_AGG_PARALLEL] = { "parallel", "PARALLEL", 'w', "safe restricted unsafe" },
};

const struct sg_opt_info sg_opr_opts[SG_OPR__COUNT] = {
	[SG_OPR_FUNCTION] = { "function", "FUNCTION", 'f', NULL },
	[SG_OPR_COMMUTATOR] = { "commutator", "COMMUTATOR", 'o', NULL },
	[SG_OPR_NEGATOR] = { "negator", "NEGATOR", 'o', NULL },
	[SG_OPR_RESTRICT] = { "restrict", "RESTRICT", 'f', NULL },
	[SG_OPR_JOIN] = { "join", "JOIN", 'f', NULL },
};

const struct sg_opt_info sg_tsp_opts[SG_TSP__COUNT] = {
	[SG_TSP_START] = { "start", "START", 'f', NULL },
	[SG_TSP_GETTOKEN] = { "gettoken", "GETTOKEN", 'f', NULL },
	[SG_TSP_END] = { "end", "END", 'f', NULL },
	[SG_TSP_LEXTYPES] = { "lextypes", "LEXTYPES", 'f', NULL },
	[SG_TSP_HEADLINE] = { "headline", "HEADLINE", 'f', NULL },
};

const struct sg_opt_info sg_tst_opts[SG_TST__COUNT] = {
	[SG_TST_INIT] = { "init", "INIT", 'f', NULL },
	[SG_TST_LEXIZE] = { "lexize", "LEXIZE", 'f', NULL },
};

const struct sg_opt_info *sg_ts_parser_opts(enum sg_kind kind, int *n)
{
	bool parser = kind == SG_KIND_TS_PARSER;

	*n = parser ? SG_TSP__COUNT : SG_TST__COUNT;
	return parser ? sg_tsp_opts : sg_tst_opts;
}

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
