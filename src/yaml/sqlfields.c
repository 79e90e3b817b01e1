// SPDX-License-Identifier: MIT
/*
 * sqlfields.c - every field of a model file whose value becomes SQL text,
 * with how it is made safe (docs/security.md lists the same).
 *
 * A value reaches a statement in exactly one of these ways:
 *  - SG_SAFE_IDENT / SG_SAFE_QUALIFIED: as a name, through sg_quote_ident
 *    or sg_quote_qualified (the loader checks it is a name: not empty, no
 *    NUL, at most 63 bytes);
 *  - SG_SAFE_LITERAL: as a string constant, through sg_quote_literal;
 *  - SG_SAFE_WORD: as one of a fixed list of keywords, a number or a
 *    boolean, chosen by the loader (the YAML text itself is not written);
 *  - SG_SAFE_FRAGMENT: as written, after PostgreSQL's parser accepted it as
 *    exactly one fragment of its kind (sg_sql_fragment: an expression, a
 *    type name, an operator, a query, ...) and its line comments were
 *    blanked, so that it cannot end, comment out or add to the statement
 *    around it.
 *
 * There is no other way: a new field that becomes SQL gets a row here, and
 * tests/unit/t-yaml.c feeds every row injection payloads
 * (tests/fixtures/yaml/injection.err has what each gives).
 *
 * `model` is a whole model file that uses the field, its value written as
 * @ (the test writes each payload there as a double-quoted YAML string);
 * `good` is a value that loads.
 */
#include "schemagen/sql.h"
#include "schemagen/util.h"
#include "schemagen/yaml.h"

#define FRAG(k) SG_SAFE_FRAGMENT, SG_FRAG_##k
#define IDENT SG_SAFE_IDENT, 0
#define QUAL SG_SAFE_QUALIFIED, 0
#define LIT SG_SAFE_LITERAL, 0
#define WORD SG_SAFE_WORD, 0

/* a table t (id int, r text) for the table-level rows */
#define T "tables:\n  t:\n    columns:\n      id: {type: int}\n      r: {type: text}\n"

const struct sg_sqlfield sg_sqlfields[] = {
	/* the file */
	{ "schema", IDENT, "app", "schema: @\n" },
	{ "comment", LIT, "c", "comment: @\n" },
	{ "grants.<role>", IDENT, "r1", "grants: {@: [usage]}\n" },
	{ "default_privileges[].for_role", IDENT, "r1",
	  "default_privileges: [{for_role: @, tables: {r2: [select]}}]\n" },
	{ "default_privileges[].tables.<role>", IDENT, "r1",
	  "default_privileges: [{tables: {@: [select]}}]\n" },
	/* extensions, collations */
	{ "extensions.<name>", IDENT, "citext", "extensions:\n  @:\n" },
	{ "extensions.<name>.version", LIT, "1.6", "extensions:\n  citext: {version: @}\n" },
	{ "collations.<name>", IDENT, "c1", "collations:\n  @: {locale: C}\n" },
	{ "collations.<name>.locale", LIT, "C", "collations:\n  c1: {locale: @}\n" },
	{ "collations.<name>.lc_collate", LIT, "C",
	  "collations:\n  c1: {lc_collate: @, lc_ctype: C}\n" },
	{ "collations.<name>.lc_ctype", LIT, "C",
	  "collations:\n  c1: {lc_collate: C, lc_ctype: @}\n" },
	{ "collations.<name>.provider", WORD, "icu",
	  "collations:\n  c1: {provider: @, locale: und}\n" },
	/* enums, sequences */
	{ "enums.<name>", IDENT, "e", "enums:\n  @: [a]\n" },
	{ "enums.<name>[]", LIT, "a", "enums:\n  e: [@]\n" },
	{ "enums.<name>[].renamed_from", LIT, "a", "enums:\n  e: [{name: b, renamed_from: @}]\n" },
	{ "sequences.<name>", IDENT, "s", "sequences:\n  @:\n" },
	{ "sequences.<name>.type", WORD, "integer", "sequences:\n  s: {type: @}\n" },
	{ "sequences.<name>.owned_by", IDENT, "t.id",
	  T "sequences:\n  s: {owned_by: @}\n" },
	/* domains, composite types */
	{ "domains.<name>", IDENT, "d", "domains:\n  @: {type: int}\n" },
	{ "domains.<name>.type", FRAG(TYPE), "int", "domains:\n  d: {type: @}\n" },
	{ "domains.<name>.default", FRAG(EXPR), "1", "domains:\n  d: {type: int, default: @}\n" },
	{ "domains.<name>.collation", QUAL, "C", "domains:\n  d: {type: text, collation: @}\n" },
	{ "domains.<name>.checks[].name", IDENT, "k",
	  "domains:\n  d: {type: int, checks: [{name: @, expression: VALUE > 0}]}\n" },
	{ "domains.<name>.checks[].expression", FRAG(EXPR), "VALUE > 0",
	  "domains:\n  d: {type: int, checks: [{name: k, expression: @}]}\n" },
	{ "types.<name>", IDENT, "ty", "types:\n  @: {attributes: {a: int}}\n" },
	{ "types.<name>.attributes.<name>", IDENT, "a", "types:\n  ty: {attributes: {@: int}}\n" },
	{ "types.<name>.attributes.<name>.type", FRAG(TYPE), "int",
	  "types:\n  ty: {attributes: {a: {type: @}}}\n" },
	{ "types.<name>.attributes.<name>.collation", QUAL, "C",
	  "types:\n  ty: {attributes: {a: {type: text, collation: @}}}\n" },
	/* tables and columns */
	{ "tables.<name>", IDENT, "t", "tables:\n  @:\n    columns:\n      id: {type: int}\n" },
	{ "tables.<name>.renamed_from", IDENT, "old",
	  "tables:\n  t:\n    renamed_from: @\n    columns:\n      id: {type: int}\n" },
	{ "tables.<name>.columns.<name>", IDENT, "c", "tables:\n  t:\n    columns:\n      @: {type: int}\n" },
	{ "tables.<name>.columns.<name>.type", FRAG(TYPE), "int",
	  "tables:\n  t:\n    columns:\n      c: {type: @}\n" },
	{ "tables.<name>.columns.<name>.default", FRAG(EXPR), "1",
	  "tables:\n  t:\n    columns:\n      c: {type: int, default: @}\n" },
	{ "tables.<name>.columns.<name>.generated", FRAG(EXPR), "id + 1",
	  T "      g: {type: int, generated: @}\n" },
	{ "tables.<name>.columns.<name>.collation", QUAL, "C",
	  "tables:\n  t:\n    columns:\n      c: {type: text, collation: @}\n" },
	{ "tables.<name>.columns.<name>.renamed_from", IDENT, "old",
	  "tables:\n  t:\n    columns:\n      c: {type: int, renamed_from: @}\n" },
	{ "tables.<name>.columns.<name>.comment", LIT, "c",
	  "tables:\n  t:\n    columns:\n      c: {type: int, comment: @}\n" },
	{ "tables.<name>.primary_key.name", IDENT, "pk", T "    primary_key: {name: @, columns: [id]}\n" },
	{ "tables.<name>.unique[].include[]", IDENT, "r",
	  T "    unique: [{columns: [id], include: [@]}]\n" },
	{ "tables.<name>.foreign_keys[].references.table", QUAL, "t",
	  T "    primary_key: [id]\n    foreign_keys: [{columns: [id], references: {table: @, columns: [id]}}]\n" },
	{ "tables.<name>.checks[].name", IDENT, "k", T "    checks: [{name: @, expression: id > 0}]\n" },
	{ "tables.<name>.checks[].expression", FRAG(EXPR), "id > 0",
	  T "    checks: [{name: k, expression: @}]\n" },
	{ "tables.<name>.exclusions[].using", IDENT, "gist",
	  T "    exclusions: [{using: @, elements: [{column: id, operator: \"=\"}]}]\n" },
	{ "tables.<name>.exclusions[].elements[].operator", FRAG(OPERATOR), "=",
	  T "    exclusions: [{elements: [{column: id, operator: @}]}]\n" },
	{ "tables.<name>.exclusions[].elements[].expression", FRAG(EXPR), "id + 1",
	  T "    exclusions: [{elements: [{expression: @, operator: \"=\"}]}]\n" },
	{ "tables.<name>.exclusions[].elements[].opclass", QUAL, "int4_ops",
	  T "    exclusions: [{elements: [{column: id, operator: \"=\", opclass: @}]}]\n" },
	{ "tables.<name>.exclusions[].where", FRAG(EXPR), "id > 0",
	  T "    exclusions: [{elements: [{column: id, operator: \"=\"}], where: @}]\n" },
	{ "tables.<name>.indexes[].name", IDENT, "i", T "    indexes: [{name: @, columns: [id]}]\n" },
	{ "tables.<name>.indexes[].method", IDENT, "hash", T "    indexes: [{method: @, columns: [id]}]\n" },
	{ "tables.<name>.indexes[].columns[]", IDENT, "id", T "    indexes: [{columns: [@]}]\n" },
	{ "tables.<name>.indexes[].expressions[]", FRAG(EXPR), "lower(r)",
	  T "    indexes: [{expressions: [@]}]\n" },
	{ "tables.<name>.indexes[].columns[].collation", QUAL, "C",
	  T "    indexes: [{columns: [{column: r, collation: @}]}]\n" },
	{ "tables.<name>.indexes[].columns[].opclass", QUAL, "text_pattern_ops",
	  T "    indexes: [{columns: [{column: r, opclass: @}]}]\n" },
	{ "tables.<name>.indexes[].where", FRAG(EXPR), "id > 0",
	  T "    indexes: [{columns: [id], where: @}]\n" },
	{ "tables.<name>.indexes[].with.<name>", IDENT, "fillfactor",
	  T "    indexes: [{columns: [id], with: {@: 70}}]\n" },
	{ "tables.<name>.indexes[].with.<name>.value", LIT, "70",
	  T "    indexes: [{columns: [id], with: {fillfactor: @}}]\n" },
	{ "tables.<name>.storage.<name>", IDENT, "fillfactor", T "    storage: {@: 70}\n" },
	{ "tables.<name>.storage.<name>.value", LIT, "70", T "    storage: {fillfactor: @}\n" },
	{ "tables.<name>.replica_identity.index", IDENT, "i",
	  T "    indexes: [{name: i, unique: true, columns: [id]}]\n"
	    "    replica_identity: {index: @}\n" },
	{ "tables.<name>.partition_by", FRAG(PARTITION_BY), "RANGE (id)", T "    partition_by: @\n" },
	{ "tables.<name>.partitions.<name>.bounds", FRAG(PARTITION_BOUND), "DEFAULT",
	  T "    partition_by: RANGE (id)\n    partitions:\n      p: {bounds: @}\n" },
	{ "tables.<name>.partition_of", QUAL, "t",
	  T "    partition_by: RANGE (id)\n  p: {partition_of: @, bounds: DEFAULT}\n" },
	{ "tables.<name>.inherits[]", QUAL, "t", T "  c:\n    inherits: [@]\n" },
	{ "tables.<name>.policies.<name>", IDENT, "p", T "    policies: {@: {}}\n" },
	{ "tables.<name>.policies.<name>.roles[]", IDENT, "r1", T "    policies: {p: {roles: [@]}}\n" },
	{ "tables.<name>.policies.<name>.using", FRAG(EXPR), "id > 0",
	  T "    policies: {p: {using: @}}\n" },
	{ "tables.<name>.policies.<name>.with_check", FRAG(EXPR), "id > 0",
	  T "    policies: {p: {with_check: @}}\n" },
	/* triggers */
	{ "tables.<name>.triggers.<name>.when", FRAG(EXPR), "new.id > 0",
	  T "    triggers: {g: {timing: before, events: [insert], for_each: row, when: @, function: f}}\n"
	    "functions:\n  f: {returns: trigger, language: plpgsql, body: BEGIN RETURN NEW; END}\n" },
	{ "tables.<name>.triggers.<name>.function", QUAL, "f",
	  T "    triggers: {g: {timing: before, events: [insert], for_each: row, function: @}}\n"
	    "functions:\n  f: {returns: trigger, language: plpgsql, body: BEGIN RETURN NEW; END}\n" },
	{ "tables.<name>.triggers.<name>.arguments[]", LIT, "x",
	  T "    triggers: {g: {timing: before, events: [insert], for_each: row, function: f, arguments: [@]}}\n"
	    "functions:\n  f: {returns: trigger, language: plpgsql, body: BEGIN RETURN NEW; END}\n" },
	{ "tables.<name>.triggers.<name>.referencing.new_table", IDENT, "n",
	  T "    triggers: {g: {timing: after, events: [insert], function: f, referencing: {new_table: @}}}\n"
	    "functions:\n  f: {returns: trigger, language: plpgsql, body: BEGIN RETURN NULL; END}\n" },
	/* functions and procedures */
	{ "functions.<name>", IDENT, "f", "functions:\n  @: {returns: int, body: SELECT 1}\n" },
	{ "functions.<name>.arguments[]", FRAG(ARGUMENT), "a int",
	  "functions:\n  f: {arguments: [@], returns: int, body: SELECT 1}\n" },
	{ "functions.<name>.returns", FRAG(RESULT), "int",
	  "functions:\n  f: {returns: @, body: SELECT 1}\n" },
	{ "functions.<name>.language", IDENT, "sql",
	  "functions:\n  f: {returns: int, language: @, body: SELECT 1}\n" },
	{ "functions.<name>.body (sql)", FRAG(SCRIPT), "SELECT 1",
	  "functions:\n  f: {returns: int, body: @}\n" },
	{ "functions.<name>.body (SQL-standard)", FRAG(ROUTINE_BODY), "RETURN 1",
	  "functions:\n  f: {returns: int, body: @}\n" },
	{ "functions.<name>.body (other languages)", LIT, "BEGIN RETURN 1; END",
	  "functions:\n  f: {returns: int, language: plpgsql, body: @}\n" },
	{ "functions.<name>.set.<name>", IDENT, "work_mem",
	  "functions:\n  f: {returns: int, body: SELECT 1, set: {@: 64MB}}\n" },
	{ "functions.<name>.set.<name>.value", LIT, "64MB",
	  "functions:\n  f: {returns: int, body: SELECT 1, set: {work_mem: @}}\n" },
	{ "functions.<name>.library", LIT, "lib",
	  "functions:\n  f: {returns: int, language: c, library: @, body: f}\n" },
	{ "procedures.<name>.arguments[]", FRAG(ARGUMENT), "a int",
	  "procedures:\n  p: {arguments: [@], body: SELECT 1}\n" },
	/* views */
	{ "views.<name>", IDENT, "v", "views:\n  @: SELECT 1 AS a\n" },
	{ "views.<name>.query", FRAG(QUERY), "SELECT 1 AS a", "views:\n  v: {query: @}\n" },
	{ "views.<name>.options.<name>", IDENT, "security_barrier",
	  "views:\n  v: {query: SELECT 1 AS a, options: {@: true}}\n" },
	{ "materialized_views.<name>.query", FRAG(QUERY), "SELECT 1 AS a",
	  "materialized_views:\n  m: {query: @}\n" },
	{ "materialized_views.<name>.indexes[].expressions[]", FRAG(EXPR), "a + 1",
	  "materialized_views:\n  m: {query: SELECT 1 AS a, indexes: [{expressions: [@]}]}\n" },
	/* owners: a role name, as the file's schema's and each object's */
	{ "owner", IDENT, "r1", "owner: @\n" },
	{ "tables.<name>.owner", IDENT, "r1", T "    owner: @\n" },
	{ "views.<name>.owner", IDENT, "r1", "views:\n  v: {query: SELECT 1 AS a, owner: @}\n" },
	{ "materialized_views.<name>.owner", IDENT, "r1",
	  "materialized_views:\n  m: {query: SELECT 1 AS a, owner: @}\n" },
	{ "functions.<name>.owner", IDENT, "r1",
	  "functions:\n  f: {returns: int, body: SELECT 1, owner: @}\n" },
	{ "procedures.<name>.owner", IDENT, "r1",
	  "procedures:\n  p: {body: SELECT 1, owner: @}\n" },
	{ "sequences.<name>.owner", IDENT, "r1", "sequences:\n  s: {owner: @}\n" },
	{ "enums.<name>.owner", IDENT, "r1", "enums:\n  e: {values: [a], owner: @}\n" },
	{ "domains.<name>.owner", IDENT, "r1", "domains:\n  d: {type: int, owner: @}\n" },
	{ "types.<name>.owner", IDENT, "r1", "types:\n  ty: {attributes: {a: int}, owner: @}\n" },
	{ "collations.<name>.owner", IDENT, "r1", "collations:\n  c1: {locale: C, owner: @}\n" },
	/* foreign data (database-wide) */
	{ "foreign_data_wrappers.<name>", IDENT, "w", "foreign_data_wrappers:\n  @:\n" },
	{ "foreign_data_wrappers.<name>.handler", QUAL, "h",
	  "foreign_data_wrappers:\n  w: {handler: @}\n" },
	{ "foreign_data_wrappers.<name>.validator", QUAL, "v",
	  "foreign_data_wrappers:\n  w: {validator: @}\n" },
	{ "foreign_data_wrappers.<name>.options.<name>", IDENT, "debug",
	  "foreign_data_wrappers:\n  w: {options: {@: x}}\n" },
	{ "foreign_data_wrappers.<name>.options.<name>.value", LIT, "on",
	  "foreign_data_wrappers:\n  w: {options: {debug: @}}\n" },
	{ "foreign_data_wrappers.<name>.owner", IDENT, "r1",
	  "foreign_data_wrappers:\n  w: {owner: @}\n" },
	{ "servers.<name>", IDENT, "s", "servers:\n  @: {wrapper: w}\n" },
	{ "servers.<name>.wrapper", IDENT, "w", "servers:\n  s: {wrapper: @}\n" },
	{ "servers.<name>.type", LIT, "pg", "servers:\n  s: {wrapper: w, type: @}\n" },
	{ "servers.<name>.version", LIT, "16", "servers:\n  s: {wrapper: w, version: @}\n" },
	{ "servers.<name>.options.<name>.value", LIT, "h",
	  "servers:\n  s: {wrapper: w, options: {host: @}}\n" },
	{ "servers.<name>.owner", IDENT, "r1", "servers:\n  s: {wrapper: w, owner: @}\n" },
	{ "user_mappings.<server>", IDENT, "s", "user_mappings:\n  @: {r1: {}}\n" },
	{ "user_mappings.<server>.<role>", IDENT, "r1", "user_mappings:\n  s: {@: {}}\n" },
	{ "user_mappings.<server>.<role>.options.<name>.value", LIT, "u",
	  "user_mappings:\n  s: {r1: {options: {user: @}}}\n" },
	{ "user_mappings.<server>.<role>.options.<name>.env", LIT, "PW",
	  "user_mappings:\n  s: {r1: {options: {password: {env: @}}}}\n" },
};

const size_t sg_nsqlfields = ARRAY_SIZE(sg_sqlfields);
