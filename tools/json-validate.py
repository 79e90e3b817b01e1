#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""json-validate.py SCHEMA FILE... - checks that each FILE holds exactly one
JSON document (nothing before or after it, strict JSON: no NaN) and that it
validates against the JSON Schema SCHEMA (draft 7; python3-jsonschema).
Prints one line per problem; exits 0 when all are valid, 1 when one is not,
2 on usage errors."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("json-validate: python3-jsonschema is missing (tools/setup.sh --test)",
          file=sys.stderr)
    sys.exit(2)


def no_constant(name):
    raise ValueError("not JSON: " + name)


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    bad = 0
    for path in argv[2:]:
        with open(path, "rb") as f:
            raw = f.read()
        try:
            # strict UTF-8: the writer never emits an invalid byte
            doc = json.loads(raw.decode("utf-8"), parse_constant=no_constant)
        except (UnicodeDecodeError, ValueError) as e:
            print(f"{path}: not one JSON document: {e}")
            bad += 1
            continue
        for err in sorted(validator.iter_errors(doc), key=lambda e: list(e.path)):
            where = "/".join(str(p) for p in err.path) or "(top)"
            print(f"{path}: {where}: {err.message}")
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
