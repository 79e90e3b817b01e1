#!/bin/sh
# SPDX-License-Identifier: MIT
# t4340-ts-parsers.sh - text search parsers and templates (issue 10), made
# of PostgreSQL's own C functions (prsd_*, dsimple_*), so no extension is
# needed.  Created (a dictionary of the models' template and a
# configuration of the models' parser, named without their schema,
# created after them; comments), altered (comment: COMMENT ON; another
# function: dropped and created again, the dictionary and the
# configuration rebuilt around it), renamed (renamed_from), dropped,
# downgraded, dumped (a fixed point), check clean after each step; load
# errors at their line and column.
. "$(dirname "$0")/lib.sh"

new_kind_project

cat >schema/ts.yaml <<'EOF'
schema: ts
text_search_parsers:
  prs:
    start: prsd_start
    gettoken: prsd_nexttoken
    end: prsd_end
    lextypes: prsd_lextype
    headline: prsd_headline
    comment: words
text_search_templates:
  tmpl:
    init: dsimple_init
    lexize: dsimple_lexize
text_search_dictionaries:
  d:
    template: tmpl
    options: {stopwords: english}
text_search_configurations:
  c:
    parser: prs
    mappings:
      asciiword: [d]
EOF

TS="SELECT string_agg(x, E'\n' ORDER BY x) FROM (
  SELECT 'parser ' || prsname || ' ' || concat_ws(',', prsstart, prstoken, prsend, prslextype, nullif(prsheadline::oid, 0)::regproc)
         || COALESCE(' comment=' || obj_description(oid, 'pg_ts_parser'), '') AS x
    FROM pg_ts_parser WHERE prsnamespace = 'ts'::regnamespace
  UNION ALL
  SELECT 'template ' || tmplname || ' ' || concat_ws(',', nullif(tmplinit::oid, 0)::regproc, tmpllexize)
         || COALESCE(' comment=' || obj_description(oid, 'pg_ts_template'), '')
    FROM pg_ts_template WHERE tmplnamespace = 'ts'::regnamespace
  UNION ALL
  SELECT 'dict ' || dictname || ' ' || (SELECT tmplnamespace::regnamespace || '.' || tmplname FROM pg_ts_template WHERE oid = dicttemplate)
         || COALESCE(' ' || dictinitoption, '')
    FROM pg_ts_dict WHERE dictnamespace = 'ts'::regnamespace
  UNION ALL
  SELECT 'cfg ' || cfgname || ' ' || (SELECT prsname FROM pg_ts_parser WHERE oid = cfgparser)
    FROM pg_ts_config WHERE cfgnamespace = 'ts'::regnamespace) y"

nsteps=1
migrate_step "created" "$TS" "cfg c prs
dict d ts.tmpl stopwords = 'english'
parser prs prsd_start,prsd_nexttoken,prsd_end,prsd_lextype,prsd_headline comment=words
template tmpl dsimple_init,dsimple_lexize" || diag "$(cat "$T/step1.sql")"
is "$(grep -E '^CREATE TEXT SEARCH (PARSER|TEMPLATE)' "$T/step1.sql")" \
"CREATE TEXT SEARCH PARSER ts.prs (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end, LEXTYPES = prsd_lextype, HEADLINE = prsd_headline);
CREATE TEXT SEARCH TEMPLATE ts.tmpl (INIT = dsimple_init, LEXIZE = dsimple_lexize);" \
	"CREATE statements, before the dictionary and configuration"
is "$(q "SELECT to_tsvector('ts.c', 'The Running dogs')::text")" "'dogs':3 'running':2" \
	"the configuration works (its dictionary drops the stop word)"

# ---- altered: another function: rebuilt (without INIT, the template
# takes no options) ----
sed -i 's/comment: words/comment: the words/; /^    init: dsimple_init/d; /^    options:/d; /^    headline: prsd_headline/d' schema/ts.yaml
run check
like "$OUT" 'text search template ts.tmpl: definition' "check names the re-created template"
nsteps=2
migrate_step "functions and comment changed" "$TS" "cfg c prs
dict d ts.tmpl
parser prs prsd_start,prsd_nexttoken,prsd_end,prsd_lextype comment=the words
template tmpl dsimple_lexize"
is "$(sed -n '/^-- +upgrade/,/^-- +downgrade/p' "$T/step2.sql" | grep -E '^(DROP|CREATE|COMMENT)' | sed 's/ (.*//')" \
"DROP TEXT SEARCH CONFIGURATION ts.c;
DROP TEXT SEARCH DICTIONARY ts.d;
DROP TEXT SEARCH TEMPLATE ts.tmpl;
DROP TEXT SEARCH PARSER ts.prs;
CREATE TEXT SEARCH PARSER ts.prs
COMMENT ON TEXT SEARCH PARSER ts.prs IS 'the words';
CREATE TEXT SEARCH TEMPLATE ts.tmpl
CREATE TEXT SEARCH DICTIONARY ts.d
CREATE TEXT SEARCH CONFIGURATION ts.c" "dependents dropped first and created after" ||
	diag "$(cat "$T/step2.sql")"
sed -i 's/comment: the words/comment: all words/' schema/ts.yaml
nsteps=3
migrate_step "comment changed" "$TS" "cfg c prs
dict d ts.tmpl
parser prs prsd_start,prsd_nexttoken,prsd_end,prsd_lextype comment=all words
template tmpl dsimple_lexize"
is "$(sed -n '/^-- +upgrade/,$p' "$T/step3.sql" | grep -E '^[A-Z]')" \
"COMMENT ON TEXT SEARCH PARSER ts.prs IS 'all words';
COMMENT ON TEXT SEARCH PARSER ts.prs IS 'the words';" "a comment alone: COMMENT ON both ways"

# ---- renamed ----
sed -i 's/^  prs:/  "prs 2":\n    renamed_from: prs/; s/^  tmpl:/  tmpl2:\n    renamed_from: tmpl/; s/parser: prs/parser: "prs 2"/; s/template: tmpl/template: tmpl2/' schema/ts.yaml
nsteps=4
migrate_step "renamed" "$TS" "cfg c prs 2
dict d ts.tmpl2
parser prs 2 prsd_start,prsd_nexttoken,prsd_end,prsd_lextype comment=all words
template tmpl2 dsimple_lexize"
is "$(grep RENAME "$T/step4.sql")" "ALTER TEXT SEARCH PARSER ts.prs RENAME TO \"prs 2\";
ALTER TEXT SEARCH TEMPLATE ts.tmpl RENAME TO tmpl2;
ALTER TEXT SEARCH PARSER ts.\"prs 2\" RENAME TO prs;
ALTER TEXT SEARCH TEMPLATE ts.tmpl2 RENAME TO tmpl;" "renames, both ways"

# ---- dump: a fixed point ----
run dump -o "$T/dump"
is_rc 0 "dump" || diag "$ERR"
like "$(cat "$T/dump/ts.yaml")" "text_search_parsers:" "the dump has the parsers"
cp schema/ts.yaml "$T/ts.yaml"
cp "$T/dump/ts.yaml" schema/ts.yaml
run diff
is "$RC:$OUT" "0:No changes in schema detected." "the dumped models match the database"
cp "$T/ts.yaml" schema/ts.yaml

# ---- dropped ----
sed -i '/^text_search_configurations:/,$d; /^text_search_parsers:/,/^text_search_templates:/{/^text_search_templates:/!d}' schema/ts.yaml
nsteps=5
migrate_step "dropped" "$TS" "dict d ts.tmpl2
template tmpl2 dsimple_lexize"
like "$(cat "$T/step5.sql")" 'DROP TEXT SEARCH PARSER ts\."prs 2";' "DROP, quoted"

# ---- downgrade ----
run downgrade -4
is_rc 0 "downgrade -4" || diag "$ERR"
is "$(q "$TS")" "cfg c prs
dict d ts.tmpl stopwords = 'english'
parser prs prsd_start,prsd_nexttoken,prsd_end,prsd_lextype,prsd_headline comment=words
template tmpl dsimple_init,dsimple_lexize" "downgraded to the first step"

# ---- load errors ----
cat >schema/bad.yaml <<'EOF'
schema: ts2
text_search_parsers:
  p1: {start: prsd_start, gettoken: prsd_nexttoken, end: prsd_end}
  p2: {start: prsd_start, gettoken: prsd_nexttoken, end: prsd_end, lextypes: "f(", headlines: x}
text_search_templates:
  t1: {init: dsimple_init}
EOF
run diff
is "$RC" 2 "bad parsers and templates: exit 2"
is "$ERR" 'schema/bad.yaml:3:3: error: missing key "lextypes" in text search parser "p1"
schema/bad.yaml:4:81: error: lextypes of text search parser "p2": syntax error at end of input
schema/bad.yaml:4:84: error: unknown key "headlines" in text search parser "p2"
  hint: did you mean "headline"?
schema/bad.yaml:6:3: error: missing key "lexize" in text search template "t1"' "each error at its line and column"
rm schema/bad.yaml

done_testing
