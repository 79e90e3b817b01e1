#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""gen-json-schema.py [--check] - writes share/schema/{model,config}.schema.json.

The JSON Schemas (draft-07, what yaml-language-server reads) of the model files and of schemagen.yaml,
for editors (yaml-language-server: the `# yaml-language-server: $schema=`
line init and dump write).  This file is their source: edit it, run it,
commit both.  --check exits 1 when the committed files differ from what it
writes.  t3860 compares each object's keys with the loader's key tables
(src/yaml/*.c: `<kind>_keys[]` is `definitions/<kind>`), validates every example
and fixture model, and checks that the bad fixtures the loader refuses for
a key or a type are refused here too.

What YAML allows and the loader reads alike is allowed: nothing (`key:`,
`~`) means "not given" for every optional key; names and SQL fragments are
any scalar (`yes` and `123` are names); words the loader compares without
case are matched without case.
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "share", "schema")
BASE = "https://schemagen.dev/schema/"   # an identifier, not fetched

NULL = {"type": "null"}
SCALAR = {"type": ["string", "number", "boolean"]}
NAME = dict(SCALAR, description="a name, literal (case and all)")
SQL = dict(SCALAR, description="an SQL fragment")
BOOL = {"type": "boolean"}
INT = {"type": "integer"}
NUMBER = {"type": "number"}
TEXT = dict(SCALAR, description="text")


def ref(name):
    return {"$ref": "#/definitions/" + name}


def ci(word):
    return "".join("[%s%s]" % (c.lower(), c.upper()) if c.isalpha() else
                   ("\\" + c if c in ".*+?()[]{}|^$\\" else c) for c in word)


def words(*ws, case=False):
    """One of ws (case-insensitive unless case=True; the enum is for completion)."""
    if case:
        return {"enum": list(ws)}
    return {"anyOf": [{"enum": list(ws)},
                      {"type": "string", "pattern": "^(%s)$" % "|".join(ci(w) for w in ws)}]}


def one_of(*alts):
    return {"anyOf": list(alts)}


def list_of(item, one=False):
    """A list of item (one=True: or one item alone)."""
    lst = {"type": "array", "items": item}
    return one_of(lst, item) if one else lst


def map_of(value):
    return {"type": "object", "additionalProperties": value}


def obj(props, required=(), desc=None):
    """A mapping with exactly these keys; optional ones may be null."""
    o = {"type": "object",
         "properties": {k: (v if k in required else one_of(v, NULL)) for k, v in props.items()},
         "additionalProperties": False}
    if required:
        o["required"] = list(required)
    if desc:
        o["description"] = desc
    return o


NAMES = list_of(NAME)
QUALNAME = one_of(NAME, ref("qualified_name"))

defs = {}
defs["qualified_name"] = obj({"schema": NAME, "name": NAME}, required=("name",))
defs["grant"] = obj({"privileges": list_of(NAME),
                     "with_grant_option": one_of(BOOL, NAMES)}, required=("privileges",))
defs["grants"] = dict(map_of(one_of(list_of(NAME), ref("grant"), NULL)),
                      description="role: [privilege, ...] or {privileges:, with_grant_option:}")
seqopts = {"start": INT, "increment": INT, "min": INT, "max": INT, "cache": INT, "cycle": BOOL}
defs["identity"] = obj(dict({"generated": words("always", "by default", case=True)}, **seqopts),
                       required=("generated",))
defs["column"] = obj({
    "type": SQL, "nullable": BOOL, "default": SQL,
    "identity": one_of(words("always", "by default", case=True), ref("identity")),
    "collation": QUALNAME, "comment": TEXT, "renamed_from": NAME,
    "generated": SQL, "grants": ref("grants")})
defs["pkey"] = obj({"name": NAME, "columns": NAMES, "include": NAMES, "deferrable": BOOL,
                    "initially_deferred": BOOL, "comment": TEXT, "attached_to": NAME,
                    "only": BOOL}, required=("columns",))
defs["unique"] = obj({"name": NAME, "columns": NAMES, "include": NAMES,
                      "nulls_distinct": BOOL, "deferrable": BOOL, "initially_deferred": BOOL,
                      "comment": TEXT, "attached_to": NAME, "only": BOOL},
                     required=("columns",))
defs["references"] = obj({"schema": NAME, "table": NAME, "columns": NAMES},
                         required=("table",))
ACTION = words("no action", "restrict", "cascade", "set null", "set default", case=True)
defs["fkey"] = obj({"name": NAME, "columns": NAMES,
                    "references": one_of(NAME, ref("references")),
                    "on_delete": ACTION, "on_update": ACTION,
                    "match": words("simple", "full", case=True),
                    "deferrable": BOOL, "initially_deferred": BOOL, "not_valid": BOOL,
                    "comment": TEXT}, required=("columns", "references"))
defs["check"] = obj({"name": NAME, "expression": SQL, "no_inherit": BOOL, "not_valid": BOOL,
                     "comment": TEXT}, required=("expression",))
defs["key"] = obj({"column": NAME, "expression": SQL, "order": words("asc", "desc"),
                   "nulls": words("first", "last"), "opclass": QUALNAME,
                   "collation": QUALNAME, "operator": SQL},
                  desc="an index key: column or expression")
defs["element"] = dict(defs["key"], required=["operator"],
                       description="an element of an exclusion constraint: column or "
                                   "expression, and operator")
defs["element"]["properties"] = dict(defs["key"]["properties"], operator=SQL)
defs["exclusion"] = obj({"name": NAME, "using": NAME, "elements": list_of(ref("element")),
                         "include": NAMES, "where": SQL, "deferrable": BOOL,
                         "initially_deferred": BOOL, "comment": TEXT})
defs["index"] = obj({"name": NAME, "unique": BOOL,
                     "columns": list_of(one_of(NAME, ref("key")), one=True),
                     "expressions": list_of(SQL), "method": NAME,
                     "include": NAMES, "where": SQL, "nulls_distinct": BOOL,
                     "comment": TEXT, "with": map_of(SCALAR), "attached_to": NAME,
                     "only": BOOL})
defs["referencing"] = obj({"old_table": NAME, "new_table": NAME})
defs["trigger"] = obj({
    "timing": words("before", "after", "instead of"),
    "events": list_of(words("insert", "update", "delete", "truncate"), one=True),
    "update_of": NAMES, "for_each": words("row", "statement"), "when": SQL,
    "function": QUALNAME, "arguments": list_of(SCALAR, one=True), "constraint": BOOL,
    "deferrable": BOOL, "initially_deferred": BOOL, "referencing": ref("referencing"),
    "from": QUALNAME,
    "enabled": one_of(BOOL, words("origin", "disabled", "replica", "always")),
    "comment": TEXT})
defs["row_level_security"] = obj({"enabled": BOOL, "forced": BOOL})
defs["policy"] = obj({"command": words("all", "select", "insert", "update", "delete"),
                      "as": words("permissive", "restrictive"), "roles": list_of(NAME, one=True),
                      "using": SQL, "with_check": SQL, "comment": TEXT})
defs["ts_parser"] = obj({"start": SQL, "gettoken": SQL, "end": SQL, "lextypes": SQL,
                         "headline": SQL, "comment": TEXT, "renamed_from": NAME},
                        required=("start", "gettoken", "end", "lextypes"))
defs["ts_template"] = obj({"init": SQL, "lexize": SQL, "comment": TEXT,
                           "renamed_from": NAME}, required=("lexize",))
defs["ts_dict"] = obj({"template": QUALNAME, "options": map_of(SCALAR), "comment": TEXT,
                       "owner": NAME, "renamed_from": NAME}, required=("template",))
defs["ts_config"] = obj({"parser": QUALNAME,
                         "mappings": map_of(list_of(QUALNAME, one=True)),
                         "comment": TEXT, "owner": NAME, "renamed_from": NAME})
defs["statistics"] = obj({
    "kinds": list_of(words("ndistinct", "dependencies", "mcv"), one=True),
    "columns": NAMES, "expressions": list_of(SQL), "target": INT, "comment": TEXT,
    "owner": NAME, "renamed_from": NAME, "schema": NAME})
defs["rule"] = obj({
    "event": words("insert", "update", "delete"), "where": SQL, "instead": BOOL,
    "actions": list_of(SQL, one=True),
    "enabled": one_of(BOOL, words("origin", "disabled", "replica", "always")),
    "comment": TEXT, "renamed_from": NAME}, required=("event",))
defs["table_ref"] = obj({"schema": NAME, "table": NAME}, required=("table",))
defs["replica_identity"] = obj({"index": NAME})
TABLEREF = one_of(NAME, ref("table_ref"))
defs["table"] = obj({
    "comment": TEXT, "renamed_from": NAME,
    "columns": map_of(one_of(SQL, ref("column"), NULL)),
    "primary_key": one_of(NAMES, ref("pkey")),
    "unique": list_of(one_of(list_of(NAME), ref("unique"))),
    "foreign_keys": list_of(ref("fkey")),
    "checks": list_of(one_of(SQL, ref("check"))),
    "indexes": list_of(ref("index")),
    "triggers": map_of(ref("trigger")),
    "exclusions": list_of(ref("exclusion")),
    "row_level_security": one_of(BOOL, words("forced", "force"), ref("row_level_security")),
    "policies": map_of(one_of(ref("policy"), NULL)),
    "grants": ref("grants"),
    "partition_by": SQL,
    "partitions": map_of(one_of(ref("table"), NULL)),
    "partition_of": TABLEREF,
    "bounds": SQL,
    "inherits": list_of(TABLEREF, one=True),
    "unlogged": BOOL,
    "storage": map_of(SCALAR),
    "replica_identity": one_of(words("default", "full", "nothing"), ref("replica_identity")),
    "statistics": map_of(ref("statistics")),
    "rules": map_of(ref("rule")),
})
# `columns` is required, except for a partition (its parent's columns)
defs["table"]["anyOf"] = [{"required": ["columns"]}, {"required": ["bounds"]}]
defs["extension"] = obj({"version": SCALAR, "comment": TEXT})
defs["collation"] = obj({"provider": words("libc", "icu", "builtin"), "locale": NAME,
                         "lc_collate": NAME, "lc_ctype": NAME, "deterministic": BOOL,
                         "comment": TEXT})
defs["enum_value"] = obj({"name": NAME, "renamed_from": NAME}, required=("name",))
ENUM_VALUES = list_of(one_of(NAME, ref("enum_value")))
defs["enum"] = obj({"values": ENUM_VALUES, "comment": TEXT, "grants": ref("grants")},
                   required=("values",))
defs["domain_check"] = obj({"name": NAME, "expression": SQL, "not_valid": BOOL,
                            "comment": TEXT}, required=("name", "expression"))
defs["domain"] = obj({"type": SQL, "nullable": BOOL, "default": SQL, "collation": QUALNAME,
                      "checks": list_of(ref("domain_check")), "comment": TEXT,
                      "grants": ref("grants")}, required=("type",))
defs["attribute"] = obj({"type": SQL, "collation": QUALNAME, "comment": TEXT},
                        required=("type",))
defs["composite"] = obj({"attributes": map_of(one_of(SQL, ref("attribute"))),
                         "comment": TEXT, "grants": ref("grants")},
                        required=("attributes",))
defs["owned_by"] = obj({"table": NAME, "column": NAME}, required=("table", "column"))
defs["sequence"] = obj(dict({"type": words("smallint", "integer", "bigint")}, **seqopts,
                            owned_by=one_of(NAME, ref("owned_by")), comment=TEXT,
                            grants=ref("grants")))
defs["function"] = obj({
    "arguments": list_of(SQL, one=True), "returns": SQL, "language": NAME, "body": SQL,
    "volatility": words("volatile", "stable", "immutable"),
    "strict": BOOL, "security_definer": BOOL, "leakproof": BOOL,
    "parallel": words("unsafe", "restricted", "safe"),
    "cost": NUMBER, "rows": NUMBER,
    "set": map_of(one_of(SCALAR, list_of(SCALAR))),
    "window": BOOL, "library": TEXT, "comment": TEXT, "grants": ref("grants"),
    "renamed_from": NAME}, required=("body",))
FUNCTIONS = map_of(one_of(ref("function"), list_of(ref("function"))))
MODIFY = words("read_only", "shareable", "read_write")
defs["aggregate"] = obj({
    "arguments": list_of(SQL, one=True), "order_by": list_of(SQL, one=True),
    "hypothetical": BOOL, "sfunc": SQL, "stype": SQL, "sspace": INT, "finalfunc": SQL,
    "finalfunc_extra": BOOL, "finalfunc_modify": MODIFY, "combinefunc": SQL,
    "serialfunc": SQL, "deserialfunc": SQL, "initcond": SCALAR, "msfunc": SQL,
    "minvfunc": SQL, "mstype": SQL, "msspace": INT, "mfinalfunc": SQL,
    "mfinalfunc_extra": BOOL, "mfinalfunc_modify": MODIFY, "minitcond": SCALAR,
    "sortop": SQL, "parallel": words("unsafe", "restricted", "safe"), "comment": TEXT,
    "grants": ref("grants"), "renamed_from": NAME}, required=("sfunc", "stype"))
TYPE_PAIR = dict(list_of(SQL), minItems=2, maxItems=2, description="left and right types")
defs["family_operator"] = obj({
    "number": INT, "types": TYPE_PAIR, "operator": SQL, "for_order_by": QUALNAME},
    required=("number", "types", "operator"))
defs["family_function"] = obj({
    "number": INT, "types": TYPE_PAIR, "function": SQL},
    required=("number", "types", "function"))
defs["operator_family"] = obj({
    "using": NAME, "operators": list_of(ref("family_operator")),
    "functions": list_of(ref("family_function")), "comment": TEXT},
    required=("using",))
NUMBERED = dict(map_of(one_of(SQL, list_of(SQL))),
                description="strategy or support number: item (several: a list)")
defs["operator_class"] = obj({
    "using": NAME, "for_type": SQL, "default": BOOL, "family": QUALNAME,
    "operators": NUMBERED, "functions": NUMBERED, "storage": SQL, "comment": TEXT},
    required=("using", "for_type"))
defs["operator"] = obj({
    "left": SQL, "right": SQL, "function": SQL, "commutator": SQL, "negator": SQL,
    "restrict": SQL, "join": SQL, "hashes": BOOL, "merges": BOOL, "comment": TEXT},
    required=("right", "function"))
defs["view_column"] = obj({"comment": TEXT, "grants": ref("grants")})
defs["view"] = obj({"query": SQL, "comment": TEXT,
                    "columns": map_of(one_of(ref("view_column"), NULL)),
                    "check_option": words("local", "cascaded", case=True),
                    "security_barrier": BOOL, "security_invoker": BOOL,
                    "options": map_of(SCALAR), "triggers": map_of(ref("trigger")),
                    "grants": ref("grants"), "renamed_from": NAME,
                    "rules": map_of(ref("rule"))}, required=("query",))
defs["matview"] = obj({"query": SQL, "comment": TEXT,
                       "columns": map_of(one_of(ref("view_column"), NULL)),
                       "options": map_of(SCALAR), "with_data": BOOL,
                       "indexes": list_of(ref("index")), "grants": ref("grants"),
                       "renamed_from": NAME, "statistics": map_of(ref("statistics"))},
                      required=("query",))
defs["language"] = obj({"handler": QUALNAME, "inline": QUALNAME, "validator": QUALNAME,
                        "trusted": BOOL, "comment": TEXT, "grants": ref("grants"),
                        "renamed_from": NAME}, required=("handler",))
# foreign data: options are strings or {env: NAME} (secrets: never written)
defs["env"] = obj({"env": NAME}, required=("env",),
                  desc="the environment variable that holds the value")
OPTIONS = map_of(one_of(SCALAR, ref("env")))
defs["fdw"] = obj({"handler": QUALNAME, "validator": QUALNAME, "options": OPTIONS,
                   "comment": TEXT, "grants": ref("grants"), "renamed_from": NAME})
defs["server"] = obj({"wrapper": NAME, "type": TEXT, "version": TEXT, "options": OPTIONS,
                      "comment": TEXT, "grants": ref("grants"), "renamed_from": NAME},
                     required=("wrapper",))
defs["mapping"] = obj({"options": OPTIONS, "options_hidden": BOOL})
# foreign tables: columns and checks as a table's, options as a server's
defs["foreign_column"] = obj({
    "type": SQL, "nullable": BOOL, "default": SQL, "collation": QUALNAME, "comment": TEXT,
    "renamed_from": NAME, "grants": ref("grants"), "options": OPTIONS})
defs["foreign_table"] = obj({
    "server": NAME, "options": OPTIONS,
    "columns": map_of(one_of(SQL, ref("foreign_column"), NULL)),
    "checks": list_of(one_of(SQL, ref("check"))),
    "comment": TEXT, "grants": ref("grants"), "renamed_from": NAME,
    "partition_of": TABLEREF, "bounds": SQL, "inherits": list_of(TABLEREF, one=True),
    "triggers": map_of(ref("trigger")), "statistics": map_of(ref("statistics"))},
    required=("server",))
# `columns` is required, except for a partition or an INHERITS child
defs["foreign_table"]["anyOf"] = [{"required": ["columns"]}, {"required": ["partition_of"]},
                                  {"required": ["inherits"]}]
defs["defacl"] = obj({"for_role": NAME, "tables": ref("grants"), "sequences": ref("grants"),
                      "functions": ref("grants"), "types": ref("grants")})
defs["global_defacl"] = obj({"for_role": NAME, "tables": ref("grants"),
                             "sequences": ref("grants"), "functions": ref("grants"),
                             "types": ref("grants"), "schemas": ref("grants")})

# database-wide kinds (issue 10)
defs["cast"] = obj({"source": SQL, "target": SQL, "function": SQL, "inout": BOOL,
                    "without_function": BOOL,
                    "context": words("explicit", "assignment", "implicit"),
                    "comment": TEXT}, required=("source", "target"))
defs["event_trigger"] = obj({
    "event": words("ddl_command_start", "ddl_command_end", "sql_drop", "table_rewrite",
                   "login"),
    "tags": list_of(TEXT), "function": QUALNAME,
    "enabled": one_of(BOOL, words("origin", "disabled", "replica", "always")),
    "comment": TEXT, "renamed_from": NAME}, required=("event", "function"))

defs["pub_table"] = obj({"schema": NAME, "table": NAME, "columns": NAMES, "where": SQL},
                        required=("table",))
defs["publication"] = obj({
    "all_tables": BOOL, "tables": list_of(one_of(NAME, ref("pub_table"))),
    "schemas": NAMES,
    "publish": list_of(words("insert", "update", "delete", "truncate")),
    "via_partition_root": BOOL, "comment": TEXT, "renamed_from": NAME})

# owner: on every kind PostgreSQL gives an owner (kinds.c's `owned` fact)
for k in ("collation", "composite", "domain", "enum", "function", "language", "matview",
          "sequence", "table", "view", "event_trigger", "publication", "aggregate",
          "operator", "operator_family", "operator_class", "fdw", "server", "foreign_table"):
    defs[k]["properties"]["owner"] = NAME

top = obj({
    "schema": NAME, "owner": NAME, "comment": TEXT, "grants": ref("grants"),
    "default_privileges": list_of(ref("defacl")),
    "extensions": map_of(one_of(ref("extension"), NULL)),
    # database-wide: in any file, the file's schema does not apply
    "global_default_privileges": list_of(ref("global_defacl")),
    "languages": map_of(ref("language")),
    "foreign_data_wrappers": map_of(one_of(ref("fdw"), NULL)),
    "servers": map_of(ref("server")),
    "user_mappings": map_of(one_of(map_of(one_of(ref("mapping"), NULL)), NULL)),
    "collations": map_of(ref("collation")),
    "enums": map_of(one_of(ENUM_VALUES, ref("enum"))),
    "domains": map_of(one_of(SQL, ref("domain"))),
    "types": map_of(ref("composite")),
    "sequences": map_of(one_of(ref("sequence"), NULL)),
    "foreign_tables": map_of(ref("foreign_table")),
    "tables": map_of(one_of(ref("table"), NULL)),
    "functions": FUNCTIONS,
    "procedures": FUNCTIONS,
    "text_search_parsers": map_of(ref("ts_parser")),
    "text_search_templates": map_of(ref("ts_template")),
    "text_search_dictionaries": map_of(ref("ts_dict")),
    "text_search_configurations": map_of(one_of(ref("ts_config"), NULL)),
    "aggregates": map_of(one_of(ref("aggregate"), list_of(ref("aggregate")))),
    "operators": map_of(one_of(ref("operator"), list_of(ref("operator")))),
    "operator_families": map_of(one_of(ref("operator_family"), list_of(ref("operator_family")))),
    "operator_classes": map_of(one_of(ref("operator_class"), list_of(ref("operator_class")))),
    "views": map_of(one_of(SQL, ref("view"))),
    "materialized_views": map_of(one_of(SQL, ref("matview"))),
    "casts": list_of(ref("cast")),
    "event_triggers": map_of(ref("event_trigger")),
    "publications": map_of(one_of(ref("publication"), NULL)),
})
model = {"$schema": "http://json-schema.org/draft-07/schema#",
         "$id": BASE + "model.schema.json",
         "title": "schemagen model file (schema/*.yaml)",
         "description": "The desired schema of one PostgreSQL schema; see "
                        "docs/models.md or schemagen-models(5).  Generated by "
                        "tools/gen-json-schema.py.",
         **top, "definitions": defs}

DURATION = one_of(INT, {"type": "string", "pattern": "^[0-9]+ *(ms|s|min|h|d)?$"})
config = {"$schema": "http://json-schema.org/draft-07/schema#",
          "$id": BASE + "config.schema.json",
          "title": "schemagen.yaml",
          "description": "The project file of schemagen; see schemagen.yaml(5).  "
                         "Generated by tools/gen-json-schema.py.",
          **obj({
              "database_url": TEXT, "dev_url": TEXT, "schema_dir": TEXT,
              "migrations_dir": TEXT, "schemas": list_of(NAME),
              "version_schema": NAME, "version_table": NAME, "history_table": NAME,
              "single_transaction": BOOL, "lock_wait": DURATION,
              "lock_timeout": DURATION, "statement_timeout": DURATION, "lint": BOOL,
              "online": BOOL, "online_lock_timeout": DURATION,
              "online_lock_retries": INT,
              "postgres_version": {"type": "integer", "minimum": 13, "maximum": 18},
              "postgres_versions": {"type": "object",
                                    "propertyNames": {"pattern": "^1[3-8]$"},
                                    "additionalProperties": TEXT},
              "allow_version_mismatch": BOOL,
              "exclude": list_of(TEXT), "file_template": TEXT, "default_owner": NAME,
          })}


def main():
    out = {"model.schema.json": model, "config.schema.json": config}
    check = "--check" in sys.argv
    bad = 0
    for name, doc in out.items():
        text = json.dumps(doc, indent=2, sort_keys=False) + "\n"
        path = os.path.join(OUT, name)
        if check:
            try:
                with open(path, encoding="utf-8") as f:
                    same = f.read() == text
            except OSError:
                same = False
            if not same:
                print("%s is not what tools/gen-json-schema.py writes" % path, file=sys.stderr)
                bad = 1
        else:
            os.makedirs(OUT, exist_ok=True)
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
    sys.exit(bad)


if __name__ == "__main__":
    main()
