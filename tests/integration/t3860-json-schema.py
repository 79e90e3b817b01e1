#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""t3860-json-schema.py - the JSON Schemas of share/schema/ (run by t3860-json-schema.sh).

    t3860-json-schema.py SOURCE_ROOT FILE...

 - share/schema/*.json are what tools/gen-json-schema.py writes;
 - each key table of the loader (src/yaml/*.c: `static const char *const
   <kind>_keys[]`, and the small inline `keys[]` ones) has exactly the keys
   of its object in the schema: a key added to the loader and not to the
   schema (or the other way) fails here;
 - every model the repository holds validates: the example project,
   tests/fixtures/yaml/{good,write}, the YAML examples of docs/models.md and
   README.md, and FILE... (what init and dump wrote, from the .sh);
 - each bad fixture error the loader reports for a key or a type reason
   (unknown or missing key, a value of the wrong kind, a word not among the
   allowed ones) is an error of the schema at the same line.

YAML is read as YAML 1.2 reads it (yaml-language-server's default: only
true/false are booleans) and duplicate keys are refused, as the loader does.
"""
import glob
import json
import os
import re
import subprocess
import sys

import jsonschema
import yaml

ROOT = sys.argv[1]
EXTRA = sys.argv[2:]
n = 0
failed = 0


def ok(cond, name, diag=None):
    global n, failed
    n += 1
    print("%sok %d - %s" % ("" if cond else "not ", n, name))
    if not cond:
        failed += 1
        for line in (diag or "").splitlines()[:40]:
            print("# " + line)
    return cond


class Loader(yaml.SafeLoader):
    pass


Loader.yaml_implicit_resolvers = {
    k: [(t, r) for t, r in v if t not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
Loader.yaml_implicit_resolvers = {
    k: [(t, r) for t, r in v if t != "tag:yaml.org,2002:int"]
    for k, v in Loader.yaml_implicit_resolvers.items()}
# integers as the loader reads them: decimal only (0x10, 0o7, 1_000 are text)
Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?[0-9]+$"),
                             list("-+0123456789"))
Loader.add_implicit_resolver("tag:yaml.org,2002:bool",
                             re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


class Refused(Exception):
    pass


def construct_mapping(loader, node, deep=False):
    keys = set()
    for k, _ in node.value:
        key = loader.construct_object(k, deep=deep)
        try:
            hash(key)
        except TypeError:
            raise Refused("line %d: a key that is not a name" % (k.start_mark.line + 1))
        if key in keys:
            raise Refused("line %d: duplicate key %r" % (k.start_mark.line + 1, key))
        keys.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


Loader.add_constructor("tag:yaml.org,2002:map", construct_mapping)


def lines_of(text):
    """path tuple -> (line of the key, line of the value), 1-based."""
    out = {}

    def walk(node, path, keyline):
        out[path] = (keyline, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode):
                    # the key as the data has it (an int stays an int)
                    walk(v, path + (Loader("").construct_object(k),), k.start_mark.line + 1)
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                walk(v, path + (i,), v.start_mark.line + 1)

    root = yaml.compose(text, Loader=Loader)
    if root is not None:
        walk(root, (), 1)
    return out


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=Loader)


def schema(name):
    with open(os.path.join(ROOT, "share", "schema", name), encoding="utf-8") as f:
        return json.load(f)


MODEL = schema("model.schema.json")
CONFIG = schema("config.schema.json")
jsonschema.Draft7Validator.check_schema(MODEL)
jsonschema.Draft7Validator.check_schema(CONFIG)
VM = jsonschema.Draft7Validator(MODEL)
VC = jsonschema.Draft7Validator(CONFIG)


def leaves(e):
    yield e
    for c in e.context or ():
        yield from leaves(c)


def explain(errors):
    out = []
    for e in errors:
        for l in sorted(leaves(e), key=lambda x: -len(x.absolute_path))[:4]:
            out.append("%s: %s" % ("/".join(map(str, l.absolute_path)), l.message[:160]))
    return "\n".join(out)


# ---- the committed files are the generator's ----
r = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "gen-json-schema.py"), "--check"],
                   capture_output=True, text=True)
ok(r.returncode == 0, "share/schema/*.json are what tools/gen-json-schema.py writes", r.stderr)

# ---- the loader's key tables ----
defs = MODEL["definitions"]


def props(o):
    return set(o.get("properties", {}))


tables = {}      # name -> keys, for the named tables
inline = []      # (file, keys) for the inline ones
for path in sorted(glob.glob(os.path.join(ROOT, "src", "yaml", "*.c"))):
    src = open(path, encoding="utf-8").read()
    src = re.sub(r"/\*.*?\*/", "", src, flags=re.S)
    for m in re.finditer(r"static const char \*const (\w*?)keys\[\] = \{(.*?)\};", src, re.S):
        keys = re.findall(r'"([^"]*)"', m.group(2))
        if m.group(1):
            tables[m.group(1).rstrip("_")] = (os.path.basename(path), keys)
        else:
            inline.append((os.path.basename(path), keys))
ok(len(tables) >= 25 and len(inline) >= 8,
   "the loader's key tables are found (%d named, %d inline)" % (len(tables), len(inline)))

special = {
    "top": props(MODEL),          # the top level of a model file
    "config": props(CONFIG),      # schemagen.yaml
    "unsupported": None,          # triggers, roles at the top: refused with a hint
    "file": "subset",             # the top level's keys before the sections
}
for name, (f, keys) in sorted(tables.items()):
    if name in special:
        want = special[name]
        if want is None:
            ok(not (set(keys) & props(MODEL)),
               "%s: %s_keys (keys refused at the top) are not in the schema" % (f, name))
            continue
        if want == "subset":
            ok(set(keys) <= props(MODEL),
               "%s: %s_keys are keys of a model file's top level in the schema" % (f, name),
               "only in the loader: %s" % sorted(set(keys) - props(MODEL)))
            continue
    elif name in defs:
        want = props(defs[name])
    else:
        ok(False, "%s: %s_keys has an object in the schema (definitions/%s)" % (f, name, name))
        continue
    ok(set(keys) == want, "%s: %s_keys are the keys of %s in the schema" % (f, name, name),
       "only in the loader: %s\nonly in the schema: %s" %
       (sorted(set(keys) - want), sorted(want - set(keys))))
shapes = [props(d) for d in defs.values()]
config_keys = set(tables["config"][1])
for f, keys in inline:
    if set(keys) < config_keys:
        continue     # load.c: schemagen.yaml's keys, refused in a model with a hint
    ok(set(keys) in shapes, "%s: the inline table {%s} is an object of the schema" % (f, ", ".join(keys)))

# ---- every model of the repository validates ----


def valid(validator, data, name):
    errors = list(validator.iter_errors(data if data is not None else {}))
    ok(not errors, name, explain(errors))


models = sorted(glob.glob(os.path.join(ROOT, "schema", "*.yaml")) +
                glob.glob(os.path.join(ROOT, "tests", "fixtures", "yaml", "good", "*.yaml")) +
                glob.glob(os.path.join(ROOT, "tests", "fixtures", "yaml", "write", "*.yaml")))
ok(len(models) >= 9, "models found (%d)" % len(models))
for p in models:
    valid(VM, load(p), "valid: " + os.path.relpath(p, ROOT))
valid(VC, load(os.path.join(ROOT, "schemagen.yaml")), "valid: schemagen.yaml (the example project)")
for p in EXTRA:
    v = VC if os.path.basename(p) == "schemagen.yaml" else VM
    with open(p, encoding="utf-8") as f:
        first = f.readline()
    ok(re.match(r"^# yaml-language-server: \$schema=/\S+/(model|config)\.schema\.json$", first),
       "%s starts with the yaml-language-server line" % os.path.basename(p), first)
    valid(v, load(p), "valid: %s (written by schemagen)" % os.path.basename(p))

# The documentation's examples: whole files, a table's body (indented 4),
# a table's columns or partitions (indented 6), schemagen.yaml.
nex = 0
for doc in ("docs/models.md", "README.md"):
    text = open(os.path.join(ROOT, doc), encoding="utf-8").read()
    for m in re.finditer(r"```yaml\n(.*?)```", text, re.S):
        block = m.group(1)
        line = text[:m.start()].count("\n") + 2
        name = "valid: %s:%d (example)" % (doc, line)
        if re.search(r"^\s*[\w-]+: \.\.\.$|\[\.\.\.\]|\{\.\.\.\}", block, re.M):
            continue     # an outline with ... for values
        first = next((l for l in block.splitlines() if l.strip() and not l.lstrip().startswith("#")), "")
        indent = len(first) - len(first.lstrip())
        try:
            data = yaml.load(block, Loader=Loader)
        except Refused:
            continue     # a key twice: alternatives shown side by side
        except yaml.YAMLError as e:
            ok(False, name, "not YAML as YAML 1.2 reads it: %s" % e)
            continue
        nex += 1
        if indent == 0 and isinstance(data, dict) and (
                "database_url" in data or block.lstrip().startswith("# schemagen.yaml")):
            valid(VC, data, name)
        elif indent == 0:
            valid(VM, data, name)
        elif indent == 4:
            valid(VM, {"tables": {"t": dict(data, columns={})}}, name)
        else:
            a = list(VM.iter_errors({"tables": {"t": {"columns": data}}}))
            b = list(VM.iter_errors({"tables": {"t": {"columns": {}, "partitions": data}}}))
            ok(not a or not b, name, explain(a))
ok(nex >= 30, "examples of the docs checked (%d)" % nex)

# ---- the bad fixtures ----
TYPE_OR_KEY = re.compile(
    r'error: (unknown key |missing key |expected a name as key|expected (a|an) .*, found'
    r'|"[^"]*" must be (true or false|an integer|[a-z ]+(, [a-z ]+)* or [a-z ]+|'
    r'true, false, forced or \{enabled:, forced:\}), found)')
# context decides, the schema cannot: a partition's or a child's columns
# need no type, a function with OUT arguments no returns
CONTEXT = re.compile(r'missing key "type" in column|missing key "returns" in function')
checked = 0
for errpath in sorted(glob.glob(os.path.join(ROOT, "tests", "fixtures", "yaml", "bad", "*.err"))):
    ypath = errpath[:-4] + ".yaml"
    if not os.path.exists(ypath):
        continue        # a folder of files: cross-file errors
    want = []
    for l in open(errpath, encoding="utf-8"):
        m = re.match(r"^\S+?:(\d+):(\d+): (error: .*)$", l.rstrip("\n"))
        if m and TYPE_OR_KEY.search(m.group(3)) and not CONTEXT.search(m.group(3)):
            want.append((int(m.group(1)), m.group(3)))
    if not want:
        continue
    base = os.path.basename(ypath)
    try:
        text = open(ypath, encoding="utf-8").read()
        data = yaml.load(text, Loader=Loader)
    except (Refused, yaml.YAMLError) as e:
        ok(True, "%s: refused as YAML (%s)" % (base, str(e).splitlines()[0]))
        checked += len(want)
        continue
    where = lines_of(text)
    flagged = set()
    for e in VM.iter_errors(data if data is not None else {}):
        for l in leaves(e):
            path = tuple(l.absolute_path)
            kl, vl = where.get(path, (0, 0))
            flagged.update((kl, vl))
            if l.validator == "additionalProperties":
                for k in re.findall(r"'([^']*)'", l.message.split(" was unexpected")[0]):
                    flagged.add(where.get(path + (k,), (0, 0))[0])
            if l.validator == "required":
                flagged.add(kl)
                flagged.add(vl)
    for line, msg in want:
        checked += 1
        ok(line in flagged, "%s:%d: the schema refuses it too (%s)" % (base, line, msg[7:80]),
           "the schema's errors are at lines %s" % sorted(flagged))
ok(checked >= 40, "bad fixture errors of a key or type reason checked (%d)" % checked)

print("1..%d" % n)
sys.exit(1 if failed else 0)
