#!/bin/sh
# SPDX-License-Identifier: MIT
# t3860-json-schema: the JSON Schemas of share/schema/ and the files
# schemagen writes for editors.
#
#  - init writes the yaml-language-server line first in schemagen.yaml and
#    schema/public.yaml, dump in each model file; the loader reads them
#    (diff of the dumped models finds nothing);
#  - t3860-json-schema.py: the schemas are the generator's, each object has
#    the keys of the loader's table, every model of the repository and the
#    files written here validate, and the bad fixtures' key and type errors
#    are errors of the schema at the same line.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
"$PY" -c 'import jsonschema, yaml' 2>/dev/null ||
	skip_all "python3-jsonschema and python3-yaml are not installed (tools/setup.sh --test)"

dir=$(sed -n 's/^#define SG_SCHEMA_DIR "\(.*\)"$/\1/p' "$SG_BUILD_ROOT/sg-config.h")
cd "$T" || exit 1
run init p
is_rc 0 "init"
is "$(head -1 p/schemagen.yaml)" "# yaml-language-server: \$schema=$dir/config.schema.json" \
	"init: schemagen.yaml names the config schema"
is "$(head -1 p/schema/public.yaml)" "$MODEL_SCHEMA_LINE" "init: schema/public.yaml names the model schema"
is "$MODEL_SCHEMA_LINE" "# yaml-language-server: \$schema=$dir/model.schema.json" "... where meson installs it"

cd p || exit 1
sed -i '/^schemas: /d' schemagen.yaml  # every schema managed
DB=$(new_db main)
DBURL=$(conninfo "$DB")
q "CREATE SCHEMA shop; CREATE TYPE shop.mood AS ENUM ('ok', 'meh');
   CREATE TABLE shop.t (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, m shop.mood NOT NULL DEFAULT 'ok',
                        note text CHECK (note <> ''));
   CREATE INDEX t_note ON shop.t (lower(note)) WHERE note IS NOT NULL;
   CREATE VIEW shop.v AS SELECT id FROM shop.t" >/dev/null
rm schema/public.yaml
run dump --url "$DBURL"
is_rc 0 "dump" || diag "$ERR"
is "$(head -1 schema/shop.yaml)" "$MODEL_SCHEMA_LINE" "dump: the model file names the model schema"
run diff --url "$DBURL"
is "$RC" 0 "the loader reads the files with the line: diff finds nothing" || diag "$OUT" "$ERR"
like "$OUT" "No changes" "diff: no changes"
cd "$T" || exit 1

"$PY" "$SG_SOURCE_ROOT/tests/integration/t3860-json-schema.py" "$SG_SOURCE_ROOT" \
	p/schemagen.yaml p/schema/*.yaml >"$T/py.tap" 2>&1
rc=$?
# the Python checks, renumbered into this script's TAP
while IFS= read -r l; do
	case $l in
	"ok "*) _pass "${l#ok [0-9]* - }" ;;
	"not ok "*) _fail "${l#not ok [0-9]* - }" ;;
	"#"*) echo "$l" ;;
	esac
done <"$T/py.tap"
is "$rc" "$([ "$_nfail" -eq 0 ] && echo 0 || echo 1)" "t3860-json-schema.py: exit status" ||
	diag "$(tail -20 "$T/py.tap")"
done_testing
