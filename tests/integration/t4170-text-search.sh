#!/bin/sh
# SPDX-License-Identifier: MIT
# t4170-text-search.sh - text search dictionaries and configurations
# (issue 10).  Created (a template and options, a hostile name, a parser
# and mappings to the models' and PostgreSQL's dictionaries, comments),
# altered (options: ALTER TEXT SEARCH DICTIONARY both ways; mappings: ADD /
# ALTER / DROP MAPPING both ways; another template: dropped and created
# again), renamed (renamed_from), dropped, downgraded, dumped (a fixed
# point; pg_catalog's are not listed), check clean after each step; load
# errors at their line and column.
. "$(dirname "$0")/lib.sh"

new_kind_project

cat >schema/ts.yaml <<'EOF'
schema: ts
text_search_dictionaries:
  eng:
    template: snowball
    options: {language: english, stopwords: english}
    comment: stems
  'dict "x':
    template: simple
    options: {accept: false}
text_search_configurations:
  cfg:
    mappings:
      asciiword: [eng]
      word: ['dict "x', english_stem]
    comment: the app's
EOF

TS="SELECT string_agg(x, E'\n' ORDER BY x) FROM (
  SELECT 'dict ' || dictname || ' ' || t.tmplname || ' ' || COALESCE(dictinitoption, '') || COALESCE(' comment=' || obj_description(d.oid, 'pg_ts_dict'), '') AS x
    FROM pg_ts_dict d JOIN pg_ts_template t ON t.oid = d.dicttemplate WHERE dictnamespace = 'ts'::regnamespace
  UNION ALL
  SELECT 'cfg ' || cfgname || ' ' || (SELECT string_agg(alias || '=' || dicts, ',' ORDER BY alias) FROM (
     SELECT tt.alias, string_agg(m.mapdict::regdictionary::text, ' ' ORDER BY m.mapseqno) AS dicts
       FROM pg_ts_config_map m JOIN ts_token_type(c.cfgparser) tt ON tt.tokid = m.maptokentype
      WHERE m.mapcfg = c.oid GROUP BY tt.alias) mm) || COALESCE(' comment=' || obj_description(c.oid, 'pg_ts_config'), '')
    FROM pg_ts_config c WHERE cfgnamespace = 'ts'::regnamespace) y"

nsteps=1
migrate_step "created" "$TS" "cfg cfg asciiword=ts.eng,word=ts.\"dict \"\"x\" english_stem comment=the app's
dict dict \"x simple accept = 'false'
dict eng snowball language = 'english', stopwords = 'english' comment=stems"
q "SELECT to_tsvector('ts.cfg', 'Running dogs')" >/dev/null
is "$(q "SELECT to_tsvector('ts.cfg', 'Running dogs')::text")" "'dog':2 'run':1" "the configuration works"

# ---- altered: options, mappings, comment ----
sed -i 's/options: {language: english, stopwords: english}/options: {language: english}/; s/asciiword: \[eng\]/asciiword: [eng, simple]\n      numword: simple/; /^      word: /d; s/comment: stems/comment: stemmed/' schema/ts.yaml
run check
like "$OUT" 'text search configuration ts.cfg: mappings' "check names the changed mappings"
nsteps=2
migrate_step "options, mappings and comment changed" "$TS" "cfg cfg asciiword=ts.eng simple,numword=simple comment=the app's
dict dict \"x simple accept = 'false'
dict eng snowball language = 'english' comment=stemmed"
is "$(sed -n '/^-- +upgrade/,$p' "$T/step2.sql" | grep -E '^(ALTER|COMMENT)')" \
"ALTER TEXT SEARCH DICTIONARY ts.eng (stopwords);
COMMENT ON TEXT SEARCH DICTIONARY ts.eng IS 'stemmed';
ALTER TEXT SEARCH CONFIGURATION ts.cfg DROP MAPPING FOR word;
ALTER TEXT SEARCH CONFIGURATION ts.cfg ALTER MAPPING FOR asciiword WITH ts.eng, simple;
ALTER TEXT SEARCH CONFIGURATION ts.cfg ADD MAPPING FOR numword WITH simple;
ALTER TEXT SEARCH DICTIONARY ts.eng (stopwords = 'english');
COMMENT ON TEXT SEARCH DICTIONARY ts.eng IS 'stems';
ALTER TEXT SEARCH CONFIGURATION ts.cfg DROP MAPPING FOR numword;
ALTER TEXT SEARCH CONFIGURATION ts.cfg ALTER MAPPING FOR asciiword WITH ts.eng;
ALTER TEXT SEARCH CONFIGURATION ts.cfg ADD MAPPING FOR word WITH ts.\"dict \"\"x\", english_stem;" "the exact ALTER statements, both ways"

# ---- another template: dropped and created again, the configuration around it ----
sed -i 's/template: snowball/template: simple/; s/options: {language: english}/options: {stopwords: english}/' schema/ts.yaml
nsteps=3
migrate_step "template changed" "$TS" "cfg cfg asciiword=ts.eng simple,numword=simple comment=the app's
dict dict \"x simple accept = 'false'
dict eng simple stopwords = 'english' comment=stemmed"
like "$(cat "$T/step3.sql")" 'DROP TEXT SEARCH DICTIONARY ts\.eng;' "the dictionary is dropped and created again"

# ---- renamed ----
sed -i 's/^  cfg:/  cfg2:\n    renamed_from: cfg/' schema/ts.yaml
nsteps=4
migrate_step "renamed" "$TS" "cfg cfg2 asciiword=ts.eng simple,numword=simple comment=the app's
dict dict \"x simple accept = 'false'
dict eng simple stopwords = 'english' comment=stemmed"
is "$(grep RENAME "$T/step4.sql")" "ALTER TEXT SEARCH CONFIGURATION ts.cfg RENAME TO cfg2;
ALTER TEXT SEARCH CONFIGURATION ts.cfg2 RENAME TO cfg;" "a rename, both ways"

# ---- dropped ----
sed -i '/^  .dict "x.:/,/^    options: {accept: false}/d' schema/ts.yaml
nsteps=5
migrate_step "one dropped" "$TS" "cfg cfg2 asciiword=ts.eng simple,numword=simple comment=the app's
dict eng simple stopwords = 'english' comment=stemmed"
like "$(cat "$T/step5.sql")" 'DROP TEXT SEARCH DICTIONARY ts\."dict ""x";' "DROP, quoted"

# ---- downgrade ----
run downgrade -1
is_rc 0 "downgrade -1" || diag "$ERR"
like "$(q "$TS")" "dict dict \"x simple accept = 'false'" "downgraded: the dropped dictionary is back"
run downgrade -3
is_rc 0 "downgrade -3" || diag "$ERR"
is "$(q "$TS")" "cfg cfg asciiword=ts.eng,word=ts.\"dict \"\"x\" english_stem comment=the app's
dict dict \"x simple accept = 'false'
dict eng snowball language = 'english', stopwords = 'english' comment=stems" "downgraded to the first step"
run upgrade head
is_rc 0 "upgrade again" || diag "$ERR"

# ---- dump ----
run dump -o "$T/dump"
is_rc 0 "dump" || diag "$ERR"
like "$(cat "$T/dump/ts.yaml")" "text_search_configurations:" "the dump has the configurations"
cp "$T/dump/ts.yaml" schema/ts.yaml
run diff
is "$RC:$OUT" "0:No changes in schema detected." "the dumped models match the database"

# ---- load errors ----
cat >schema/bad.yaml <<'EOF'
schema: ts2
text_search_dictionaries:
  d1: {options: {a: b}}
  d2: {template: simple, options: {a: }}
text_search_configurations:
  c1: {mappings: {word: []}}
  c2: {parse: default}
EOF
run diff
is "$RC" 2 "bad text search objects: exit 2"
is "$ERR" 'schema/bad.yaml:3:3: error: missing key "template" in text search dictionary "d1"
  hint: such as template: snowball
schema/bad.yaml:4:39: error: option "a" of text search dictionary "d2" has no value
schema/bad.yaml:6:25: error: token type "word" of text search configuration "c1" has no dictionaries
  hint: leave the token type out to map it to nothing
schema/bad.yaml:7:8: error: unknown key "parse" in text search configuration "c2"
  hint: did you mean "parser"?' "each error at its line and column"
rm schema/bad.yaml

done_testing
