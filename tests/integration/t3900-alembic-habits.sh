#!/bin/sh
# SPDX-License-Identifier: MIT
# t3900-alembic-habits.sh - the Alembic habits of issue 13:
#  1. revision prints only the path on stdout; --rev-id (validated, unused);
#     file_template names files (date first), the graph still orders them;
#  2. history -i marks the database's revision; upgrade --sql current:head
#     and upgrade --dry-run start at the database's revision, apply nothing;
#  3. new columns in the model's order (ADD COLUMN z, a, m), dump in attnum
#     order;
#  4. init writes `schemas: [public]`; exclude: names and patterns that
#     dump, diff and check leave out on both sides;
#  5. an extension the scratch server lacks: a hint naming dev_url /
#     SCHEMAGEN_DEV_URL; no server programs: which commands need them;
#  6. init then dump works without --force over init's placeholder only.
. "$(dirname "$0")/lib.sh"

DB=$(new_db main)
export DATABASE_URL="$(conninfo "$DB")"
cd "$P" || BAIL_OUT "no project"
run_ok "init" init

# ---- 4a. init manages public only ----

is "$(grep -n '^schemas:' schemagen.yaml)" "$(grep -n '^schemas: \[public\]$' schemagen.yaml)" \
	"init writes schemas: [public] (uncommented)"
like "$(cat schemagen.yaml)" '^schemas: \[public\]$' "the line is there"

# ---- 6. init, then dump over the untouched placeholder ----

q "CREATE TABLE adopted (id int PRIMARY KEY, note text)" >/dev/null
run dump
is "$RC:$OUT:$ERR" "0:Dumped 1 schema to schema:" "dump replaces init's untouched placeholder without --force"
like "$(cat schema/public.yaml)" '^  adopted:$' "the dumped model is written"
run dump
is "$RC:$ERR" "2:schemagen: error: schema/public.yaml already exists; not overwriting model files" \
	"a dumped (not placeholder) model is not overwritten"
mkdir "$T/p6" && (cd "$T/p6" && sg init >/dev/null && echo "# mine" >>schema/public.yaml &&
	sg dump >"$T/out" 2>"$T/err"; echo "$?" >"$T/rc")
is "$(cat "$T/rc"):$(cat "$T/err")" "2:schemagen: error: schema/public.yaml already exists; not overwriting model files" \
	"an edited placeholder is not overwritten"
mkdir "$T/p6b" && (cd "$T/p6b" && sg init >/dev/null && printf 'schema: billing\n' >schema/billing.yaml &&
	sg dump >"$T/out" 2>"$T/err"; echo "$?" >"$T/rc")
is "$(cat "$T/rc"):$(cat "$T/err")" "2:schemagen: error: schema/public.yaml already exists; not overwriting model files" \
	"the placeholder beside another model file is not overwritten"
q "DROP TABLE adopted" >/dev/null
printf 'schema: public\n' >schema/public.yaml

# ---- 1. revision: the path alone on stdout, --rev-id ----

run revision -m "first one"
like "$RC:$OUT" '^0:migrations/[0-9a-f]{12}_first_one\.sql$' "revision prints only the path on stdout"
is "$ERR" "" "and nothing on stderr"
R1=$(rev_of "$OUT")
ok "the path is the file written" test -f "$OUT"
run -q revision -m "second" --rev-id abc_2
is "$RC:$OUT:$ERR" "0:migrations/abc_2_second.sql:" "--rev-id names the revision; -q keeps the path"
is "$(sed -n '1,2p' migrations/abc_2_second.sql)" "-- schemagen revision: abc_2
-- parents: $R1" "the header carries the id and the parent"
snap_dir migrations >"$T/m0"
run revision -m "again" --rev-id abc_2
is "$RC:$OUT:$ERR" "2::schemagen: error: --rev-id 'abc_2': revision abc_2 already exists (migrations/abc_2_second.sql)" \
	"a used id is refused"
run revision -m "bad" --rev-id bad-id
is "$RC:$OUT:$ERR" "2::schemagen: error: --rev-id 'bad-id': revision ids are 1 to 32 letters, digits or underscores, and not head, heads or base" \
	"an invalid id is refused (same rules as every id)"
run revision -m "bad" --rev-id heads
is "$RC:$ERR" "2:schemagen: error: --rev-id 'heads': revision ids are 1 to 32 letters, digits or underscores, and not head, heads or base" \
	"a reserved name is refused"
run revision -m "labelled" --rev-id r3 --branch-label lab
is "$RC:$OUT" "0:migrations/r3_labelled.sql" "a revision with a branch label"
snap_dir migrations >"$T/m0"
run revision -m "x" --rev-id lab
is "$RC:$ERR" "2:schemagen: error: --rev-id 'lab' is the branch label of revision r3 (migrations/r3_labelled.sql)" \
	"an id that is a branch label is refused"
snap_dir migrations >"$T/m1"
is_file "$T/m1" "$T/m0" "refusals write nothing"

# ---- 1b. file_template ----

cp schemagen.yaml "$T/schemagen.yaml.orig"
printf 'file_template: "%%(year)d%%(month).2d%%(day).2d_%%(rev)s_%%(slug)s"\n' >>schemagen.yaml
run revision -m "Dated one" --rev-id r4
like "$RC:$OUT" '^0:migrations/[0-9]{8}_r4_dated_one\.sql$' "file_template: date first"
F4=$OUT
is "$(basename "$F4" | cut -c1-8)" "$(sed -n 's/^-- created: \([0-9]*\)-\([0-9]*\)-\([0-9]*\)T.*/\1\2\3/p' "$F4")" \
	"the date is the created header's (UTC)"
printf 'file_template: "%%(epoch)d-%%(rev)s"\n' >"$T/tmpl" && cp "$T/schemagen.yaml.orig" schemagen.yaml &&
	cat "$T/tmpl" >>schemagen.yaml
run revision -m "e" --rev-id r5
like "$RC:$OUT" '^0:migrations/[0-9]{10}-r5\.sql$' "file_template: epoch, no slug"
F5=$OUT
run heads
is "$RC:$OUT" "0:r5 (head)" "the graph, not the name, finds the head"
run history
is "$OUT" "r4 -> r5 (head), e
r3 -> r4, Dated one
abc_2 -> r3 (lab), labelled
$R1 -> abc_2, second
<base> -> $R1, first one" "history in graph order (file names sort otherwise)"
cp "$F5" migrations/0_copy.sql
run heads
is "$RC:$ERR" "2:migrations/0_copy.sql:1:24: error: revision \`r5\` does not match the file name \`0_copy.sql\`
  hint: a migration file is named <revision>_<slug>.sql, or as file_template says: its name holds the revision id between \`_\`, \`-\` or \`.\`" \
	"a file whose name does not hold its id is still refused"
rm migrations/0_copy.sql
for tmpl in '%(slug)s' '%(rev)s/%(slug)s' '%(rev)s_%(when)s' '%(rev)s_%(year)s' '%(rev)s_%(rev)s'; do
	cp "$T/schemagen.yaml.orig" schemagen.yaml
	printf 'file_template: "%s"\n' "$tmpl" >>schemagen.yaml
	run heads
	printf '%s\n' "$ERR" >>"$T/tmpl_errors"
done
L=$(grep -c '' "$T/schemagen.yaml.orig")
L=$((L + 1))
is "$(cat "$T/tmpl_errors")" "schemagen.yaml:$L:17: error: file_template: the template must contain %(rev)s
  hint: for example \"%(year)d%(month).2d%(day).2d_%(rev)s_%(slug)s\"
schemagen.yaml:$L:24: error: file_template: only letters, digits, \`_\`, \`-\`, \`.\` and %(field)s may appear in a file name
  hint: for example \"%(year)d%(month).2d%(day).2d_%(rev)s_%(slug)s\"
schemagen.yaml:$L:25: error: file_template: unknown field (rev, slug, year, month, day, hour, minute, second, epoch)
  hint: for example \"%(year)d%(month).2d%(day).2d_%(rev)s_%(slug)s\"
schemagen.yaml:$L:25: error: file_template: a date field is written with \`d\`, as %(year)d or %(month).2d
  hint: for example \"%(year)d%(month).2d%(day).2d_%(rev)s_%(slug)s\"
schemagen.yaml:$L:17: error: file_template: %(rev)s may appear only once
  hint: for example \"%(year)d%(month).2d%(day).2d_%(rev)s_%(slug)s\"" \
	"bad templates: the reason at the place in schemagen.yaml"
cp "$T/schemagen.yaml.orig" schemagen.yaml

# ---- 2. history -i, upgrade --sql current:head, --dry-run ----

run upgrade abc_2
is_rc 0 "upgrade to abc_2"
run history -i
is "$RC:$OUT" "0:r4 -> r5 (head), e
r3 -> r4, Dated one
abc_2 -> r3 (lab), labelled
$R1 -> abc_2 (current), second
<base> -> $R1, first one" "history -i marks the database's revision (current)"
run history --indicate-current -r abc_2:r3
is "$RC:$OUT" "0:abc_2 -> r3 (lab), labelled
$R1 -> abc_2 (current), second" "--indicate-current with a range"
run upgrade --sql abc_2:head
is_rc 0 "upgrade --sql abc_2:head"
tail -n +2 "$T/out" >"$T/sql_abc"
run upgrade --sql current:head
is "$RC:$(head -n 1 "$T/out")" "0:-- schemagen upgrade current:head: from abc_2, 3 revisions" \
	"upgrade --sql current:head starts at the database's revision"
tail -n +2 "$T/out" >"$T/sql_cur"
is_file "$T/sql_cur" "$T/sql_abc" "the same SQL as from the revision named"
run upgrade --sql head:current
is "$RC:$ERR" "2:schemagen: error: \`current\` can only start a range (current:head)" "current ends no range"
snap_db >"$T/db0"
run upgrade --dry-run head
is "$RC:$TARGET" "0:$PGHOST:${PGPORT:-5432}/$DB as ${PGUSER:-postgres}" "upgrade --dry-run: exit 0, the target said"
is "$ERR" "dry run: upgrade would apply 3 revisions (r3, r4, r5) from abc_2; nothing was applied" \
	"--dry-run says what it would apply"
is "$(head -n 1 "$T/out")" "-- schemagen upgrade head: from abc_2, 3 revisions" "the SQL from the database's revision"
tail -n +2 "$T/out" >"$T/sql_dry"
is_file "$T/sql_dry" "$T/sql_abc" "the pending SQL, as --sql prints it"
snap_db >"$T/db1"
is_file "$T/db1" "$T/db0" "--dry-run applies nothing"
run downgrade --dry-run base
is "$RC:$ERR" "0:dry run: downgrade would revert 2 revisions (abc_2, $R1) from abc_2; nothing was applied" \
	"downgrade --dry-run too"
run upgrade --dry-run --sql head
is "$RC" 2 "--dry-run with --sql: a usage error"
run upgrade head
is_rc 0 "upgrade head"
run upgrade --dry-run head
is "$RC:$OUT:$ERR" "0::dry run: nothing to do: the database is already at r5" "--dry-run at the head"
run history -i -r r5:
is "$OUT" "r4 -> r5 (head) (current), e" "(current) on the head"

# ---- 3. new columns in the model's order ----

cat >schema/public.yaml <<'EOF'
schema: public
tables:
  t:
    columns:
      id: {type: integer}
EOF
run revision --autogenerate -m "t" --rev-id t1
run upgrade head
cat >schema/public.yaml <<'EOF'
schema: public
tables:
  t:
    columns:
      id: {type: integer}
      z: {type: integer}
      a: {type: text}
      m: {type: bigint}
EOF
run revision --autogenerate -m "zam" --rev-id t2
is "$RC:$OUT" "0:migrations/t2_zam.sql" "autogenerate: the path alone on stdout"
is "$ERR" "hazards: 3 lock-access-exclusive (see migrations/t2_zam.sql)" "the hazard summary on stderr"
is "$(grep -v '^-- hazard' migrations/t2_zam.sql | sed -n '/^-- +upgrade/,$p')" "-- +upgrade
ALTER TABLE public.t ADD COLUMN z integer;
ALTER TABLE public.t ADD COLUMN a text;
ALTER TABLE public.t ADD COLUMN m bigint;

-- +downgrade
-- WARNING: drops column public.t.z and the data in it
ALTER TABLE public.t DROP COLUMN z;
-- WARNING: drops column public.t.a and the data in it
ALTER TABLE public.t DROP COLUMN a;
-- WARNING: drops column public.t.m and the data in it
ALTER TABLE public.t DROP COLUMN m;" "ADD COLUMN z, a, m: the model's order, not the alphabet"
run upgrade head
is "$(q "SELECT string_agg(attname, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 'public.t'::regclass AND attnum > 0")" \
	"id,z,a,m" "the table has them in that order"
run dump -o "$T/d3"
is "$(sed -n '/^    columns:/,/^    [a-z]/p' "$T/d3/public.yaml")" "    columns:
      id: integer
      z: integer
      a: text
      m: bigint" "dump writes columns in attnum order"
run revision --autogenerate -m none
is "$RC:$OUT:$ERR" "0::No changes in schema detected; no revision written." \
	"nothing changed: the message on stderr, stdout empty"

# ---- 4b. exclude ----

q "CREATE TABLE public.alembic_version (version_num varchar(32) PRIMARY KEY);
CREATE TABLE public.orders_backup (id serial PRIMARY KEY, x int);
CREATE INDEX ON public.orders_backup (x);
CREATE SCHEMA rep; CREATE TABLE rep.events (id int); CREATE TABLE rep.kept (id int);
CREATE VIEW public.v_backup AS SELECT 1 AS one;" >/dev/null
run check
is "$RC" 1 "without exclude: check finds the extra objects"
like "$OUT" 'alembic_version' "... alembic_version among them"
cp schemagen.yaml "$T/schemagen.yaml.orig"
sed -i 's/^schemas: \[public\]$/schemas: [public, rep]/' schemagen.yaml
cat >>schemagen.yaml <<'EOF'
exclude: [alembic_version, "*_backup", rep.events]
EOF
cat >schema/rep.yaml <<'EOF'
schema: rep
tables:
  kept:
    columns:
      id: {type: integer}
EOF
cat >>schema/public.yaml <<'EOF'
  model_backup:
    columns:
      id: {type: integer}
EOF
run revision --autogenerate -m "rep" --rev-id t3
is "$RC:$OUT:$ERR" "0::No changes in schema detected; no revision written." \
	"excluded on both sides: neither the live tables (nor the owned sequence, the index, the view) nor the model's model_backup differ"
run check
is "$RC:$OUT" "0:No differences: the database is at the head and matches the models." \
	"check ignores the excluded objects"
run diff
is "$RC:$OUT" "0:No changes in schema detected." "diff ignores them"
run dump -o "$T/d4"
is "$RC:$(ls "$T/d4")" "0:public.yaml
rep.yaml" "dump: one file per schema"
unlike "$(cat "$T/d4/public.yaml" "$T/d4/rep.yaml")" 'alembic_version|_backup|events|schemagen_' \
	"dump leaves out the excluded objects (and schemagen's own tables)"
like "$(cat "$T/d4/rep.yaml")" '^  kept:$' "and keeps the rest"
is "$(q "SELECT count(*) FROM pg_class WHERE relname IN ('alembic_version', 'orders_backup', 'events', 'v_backup')")" 4 \
	"the excluded objects are still there"
cp schemagen.yaml "$T/schemagen.yaml.ex"
printf 'exclude: ["", alembic_version, alembic_version]\n' >>"$T/schemagen.yaml.orig"
cp "$T/schemagen.yaml.orig" schemagen.yaml
L=$(grep -c '' schemagen.yaml)
run heads
is "$RC:$ERR" "2:schemagen.yaml:$L:11: error: \"exclude\": \"\" is not a name or pattern
  hint: write a name (alembic_version), a pattern (*_backup) or schema.name (audit.*)
schemagen.yaml:$L:32: error: \"exclude\": \"alembic_version\" is listed twice" "bad exclude entries"
cp "$T/schemagen.yaml.ex" schemagen.yaml

# ---- 5a. an extension the scratch server lacks ----

if [ "$(q "SELECT count(*) FROM pg_available_extensions WHERE name = 'vector'")" = 0 ]; then
	cat >schema/ext.yaml <<'EOF'
schema: public
extensions:
  vector:
EOF
	run diff
	is "$RC:$OUT" "2:" "a model extension the scratch server lacks: exit 2"
	like "$(printf '%s\n' "$ERR" | head -n 1)" '^schema/ext\.yaml:3:3: error: (could not open extension control file .*vector\.control.*|extension "vector" is not available)$' \
		"the server's error at the model's extension"
	is "$(printf '%s\n' "$ERR" | grep -c '^  hint: the scratch server, where the models are materialised, does not have extension vector: install it there, or set dev_url in schemagen.yaml (or SCHEMAGEN_DEV_URL) to a server that has it (its role needs CREATEDB)$')" 1 \
		"the hint names dev_url and SCHEMAGEN_DEV_URL"
	rm schema/ext.yaml
else
	skip 3 "the server has pgvector"
fi

# ---- 5b. no server programs ----

# A mount namespace hides /usr/lib/postgresql; PATH and the program cache
# lead nowhere; SCHEMAGEN_HOME is new, so no embedded server runs.
nobin() {
	unshare -m /bin/sh -c '
		/bin/mount -t tmpfs none /usr/lib/postgresql || exit 77
		cd "$1" && shift
		unset SCHEMAGEN_DEV_URL SCHEMAGEN_PG_BINDIR
		PATH=/nonexistent SCHEMAGEN_PG_CACHE=/nonexistent SCHEMAGEN_HOME="$H" \
			exec "$SCHEMAGEN" "$@"' sh "$@" >"$T/out" 2>"$T/err"
	RC=$?
	OUT=$(cat "$T/out")
	ERR=$(cat "$T/err")
}
export H="$T/home"
nobin "$P" diff
if [ "$RC" = 77 ] || ! [ -d /usr/lib/postgresql ]; then
	skip 2 "no mount namespace to hide the server programs"
else
	V=$(($(server_version_num) / 10000))
	is "$RC:$(printf '%s\n' "$ERR" | sed -E 's/PostgreSQL [0-9]+\.[0-9]+,/PostgreSQL V.M,/')" "2:schemagen: error: the database runs PostgreSQL V.M, and no PostgreSQL $V server programs were found for the scratch database (looked at SCHEMAGEN_PG_BINDIR_$V, postgres_versions in schemagen.yaml, SCHEMAGEN_PG_BINDIR, /usr/lib/postgresql/$V/bin, pg_config --bindir, PATH and /nonexistent/$V)
  hint: install them (tools/pg-versions.sh install $V, or the postgresql-$V package), set SCHEMAGEN_PG_BINDIR_$V or postgres_versions: {$V: DIR} in schemagen.yaml to their bin folder, or accept another version with --allow-version-mismatch
  hint: they are needed where the models are materialised (revision --autogenerate, diff, check) without dev_url, and by commands that use the embedded server as their database; upgrade, downgrade, stamp, current, history and dump against --url / DATABASE_URL do not need them" \
		"no server programs: which commands need them, and that upgrade does not"
	nobin "$P" downgrade -1
	is "$RC:$(printf '%s\n' "$OUT" | norm_ms)" "0:downgrade t2 (zam): 3 statements, N ms" \
		"downgrade (and upgrade) run without them"
fi

done_testing
